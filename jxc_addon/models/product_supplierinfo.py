from odoo import api, models

from ..tools.precommit import collect_before_commit

# what a vendor line is known by: neither the vendor chosen nor its delay, minimum or price
NAMING_FIELDS = frozenset({"product_name", "product_code"})
# the products whose vendor lines changed in the current transaction, updated when it commits
PENDING = "jxc_addon.vendor_line_products"


class ProductSupplierinfo(models.Model):
    """The purchase plan shows the vendor's price, minimum and delay; the safety stock's
    reordering rules take their vendor, lead time and minimum from the vendor lines: a buyer
    changing a vendor's delay sees the reorder point follow at once, as Odoo's forecast
    follows the delay. Only the rules the safety stock manages already: a new product gets
    its rules from the weekly update, with or without vendor lines. Updated once per
    transaction, before it commits: an order confirmed with 50 new vendor lines (Odoo adds
    the vendor to each product) updates the 50 products together."""

    _name = "product.supplierinfo"
    _inherit = ["product.supplierinfo", "jxc.purchase.plan.change.mixin"]

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._jxc_update_orderpoints(lines._jxc_get_products())
        return lines

    def write(self, vals):
        if not vals.keys() - NAMING_FIELDS:
            return super().write(vals)
        products = self._jxc_get_products()  # a line moved to another product leaves the old one changed
        result = super().write(vals)
        self._jxc_update_orderpoints(products | self._jxc_get_products())
        return result

    def unlink(self):
        products = self._jxc_get_products()
        result = super().unlink()
        self._jxc_update_orderpoints(products)
        return result

    def _jxc_get_products(self):
        """The variants these lines price: their own, else every variant of their template."""
        lines = self.sudo()
        return lines.product_id | lines.filtered(lambda line: not line.product_id).product_tmpl_id.product_variant_ids

    @api.model
    def _jxc_update_orderpoints(self, products):
        """Have the managed reordering rules of ``products`` recomputed before the transaction
        commits."""
        if not products:
            return
        collect_before_commit(self.env.cr, PENDING, self.browse()._jxc_update_pending_orderpoints, products.ids)

    def _jxc_update_pending_orderpoints(self):
        product_ids = self.env.cr.precommit.data.pop(PENDING, None)
        if not product_ids:
            return
        managed = self.env["stock.warehouse.orderpoint"].sudo().search([
            ("jxc_rule_id", "!=", False), ("product_id", "in", list(product_ids))]).product_id
        self.env["jxc.planning.engine"]._update_products(managed)
