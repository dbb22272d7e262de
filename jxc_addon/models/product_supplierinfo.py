from odoo import api, models

# what a vendor line is known by: neither the vendor chosen nor its delay, minimum or price
NAMING_FIELDS = frozenset({"product_name", "product_code"})


class ProductSupplierinfo(models.Model):
    """The purchase plan shows the vendor's price, minimum and delay; the safety stock's
    reordering rules take their vendor, lead time and minimum from the vendor lines."""

    _name = "product.supplierinfo"
    _inherit = ["product.supplierinfo", "jxc.purchase.plan.change.mixin", "jxc.planning.input.mixin"]

    @api.model
    def _jxc_changes_levels(self, vals):
        return bool(vals.keys() - NAMING_FIELDS)
