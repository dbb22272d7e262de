from odoo import api, models


class JxcPurchasePlan(models.Model):
    _inherit = "jxc.purchase.plan"

    @api.model
    def _filter_purchased(self, orderpoints):
        # a rule Odoo replenishes by manufacturing raises a manufacturing order, not an RFQ;
        # only a product with a bill of materials can have one (its route is asked then)
        orderpoints = super()._filter_purchased(orderpoints)
        routes = self.env["jxc.planning.engine"]._get_manufacture_routes(orderpoints.company_id[:1])
        return orderpoints.filtered(
            lambda orderpoint: not orderpoint.product_id.bom_ids or orderpoint.effective_route_id not in routes)
