from odoo import api, models


class JxcPlanningInputMixin(models.AbstractModel):
    """Records that are inputs of the safety stock's reordering rules of their products (vendor
    lines, bills of materials): created, changed or deleted, the products' managed rules are
    recomputed before the transaction commits (the engine's ``_update_products_before_commit``),
    as Odoo's forecast follows a vendor's delay at once."""

    _name = "jxc.planning.input.mixin"
    _description = "Input of the Safety Stock's Reordering Rules"

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        self.env["jxc.planning.engine"]._update_products_before_commit(records._jxc_get_products())
        return records

    def write(self, vals):
        if not self._jxc_changes_levels(vals):
            return super().write(vals)
        products = self._jxc_get_products()  # a record moved to another product leaves the old one changed
        result = super().write(vals)
        self.env["jxc.planning.engine"]._update_products_before_commit(products | self._jxc_get_products())
        return result

    def unlink(self):
        products = self._jxc_get_products()
        result = super().unlink()
        self.env["jxc.planning.engine"]._update_products_before_commit(products)
        return result

    @api.model
    def _jxc_changes_levels(self, vals):
        """Whether writing ``vals`` may change the levels of the products' rules."""
        return True

    def _jxc_get_products(self):
        """The variants these records concern: their own, else every variant of their template."""
        records = self.sudo().with_context(active_test=False)
        return records.product_id | records.filtered(lambda record: not record.product_id).product_tmpl_id.product_variant_ids
