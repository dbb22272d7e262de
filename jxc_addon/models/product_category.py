from odoo import api, models


class ProductCategory(models.Model):
    # a category's routes (and its parents') are Odoo's next choice after the product's own
    _name = "product.category"
    _inherit = ["product.category", "jxc.purchase.plan.change.mixin"]
    _jxc_plan_fields = frozenset({"route_ids", "parent_id"})
    _jxc_plan_new_read = False
    _jxc_plan_pair_fields = frozenset()  # the products under it, wherever it moves

    def _get_jxc_plan_pairs(self, fnames=None):
        # the planned products under it, in their companies: a category high in the tree holds
        # every product, most of them planned nowhere
        products = set(self.env["product.product"].sudo().search([("categ_id", "child_of", self.ids)]).ids)
        return {pair for pair in self.env["jxc.purchase.plan.change"]._get_planned_pairs(None) if pair[0] in products}

    def write(self, vals):
        if "parent_id" not in vals:
            return super().write(vals)
        moved = self.filtered(lambda category: category.parent_id.id != vals["parent_id"])
        result = super().write(vals)
        if moved:
            # the safety-stock rules of the new parents apply to the products under it now
            self.env["jxc.planning.engine"]._update_products(
                self.env["product.product"].sudo().search([("categ_id", "child_of", moved.ids)]))
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_count_plan_filter(self):
        # Odoo deletes the subcategories along, in SQL, without their own checks
        self.env["jxc.count.plan"]._check_filter_unlink("categ_ids", self.search([("id", "child_of", self.ids)]))
