from odoo import models


class StockRoute(models.Model):
    # how Odoo replenishes a reordering rule (buy or resupply, and the lead days of the way)
    _name = "stock.route"
    _inherit = ["stock.route", "jxc.purchase.plan.change.mixin"]
    _jxc_plan_ignored_fields = frozenset({"name"})  # a warehouse renamed renames its routes

    def _get_jxc_plan_pairs(self):
        return self.env["jxc.purchase.plan.change"]._get_routing_pairs(self)
