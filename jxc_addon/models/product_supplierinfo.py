from odoo import api, models

# what a vendor line is known by: neither the vendor chosen nor its delay, minimum or price
NAMING_FIELDS = frozenset({"product_name", "product_code"})


class ProductSupplierinfo(models.Model):
    """The purchase plan shows the vendor's price, minimum and delay; the safety stock's
    reordering rules take their vendor, lead time and minimum from the vendor lines: a buyer
    changing a vendor's delay sees the reorder point follow at once, as Odoo's forecast
    follows the delay (the engine's ``_update_products_before_commit``)."""

    _name = "product.supplierinfo"
    _inherit = ["product.supplierinfo", "jxc.purchase.plan.change.mixin"]

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        self.env["jxc.planning.engine"]._update_products_before_commit(lines._jxc_get_products())
        return lines

    def write(self, vals):
        if not vals.keys() - NAMING_FIELDS:
            return super().write(vals)
        products = self._jxc_get_products()  # a line moved to another product leaves the old one changed
        result = super().write(vals)
        self.env["jxc.planning.engine"]._update_products_before_commit(products | self._jxc_get_products())
        return result

    def unlink(self):
        products = self._jxc_get_products()
        result = super().unlink()
        self.env["jxc.planning.engine"]._update_products_before_commit(products)
        return result

    def _jxc_get_products(self):
        """The variants these lines price: their own, else every variant of their template."""
        lines = self.sudo()
        return lines.product_id | lines.filtered(lambda line: not line.product_id).product_tmpl_id.product_variant_ids
