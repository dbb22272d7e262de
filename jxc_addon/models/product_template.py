from odoo import api, fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    jxc_seasonal = fields.Boolean(
        string="Seasonal Demand",
        help="Forecast this product's demand from the same period last year times the recent "
        "trend instead of a moving average (e.g. seasonal clothing).",
    )

    def write(self, vals):
        if "supplier_taxes_id" in vals:
            # the plan's untaxed prices take out the purchase taxes included in the vendor's price
            self.env["jxc.purchase.plan.change"]._note((product.id, False) for product in self.product_variant_ids)
        if not {"route_ids", "categ_id"} & vals.keys():
            return super().write(vals)
        # the routes Odoo replenishes with: the purchase plan leaves out a rule that no longer buys
        before = {template: (template.route_ids, template.categ_id) for template in self}
        result = super().write(vals)
        changed = self.filtered(lambda template: before[template] != (template.route_ids, template.categ_id))
        self.env["jxc.purchase.plan.change"]._note((product.id, False) for product in changed.product_variant_ids)
        # another category may bring another safety-stock rule, which the product form names at once
        moved = changed.filtered(lambda template: before[template][1] != template.categ_id)
        if moved:
            self.env["jxc.planning.engine"]._update_products(moved.product_variant_ids)
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_count_plan_filter(self):
        # Odoo deletes the variants with their template in SQL, without their own checks
        self.env["jxc.count.plan"]._check_filter_unlink(
            "product_ids", self.with_context(active_test=False).product_variant_ids)
