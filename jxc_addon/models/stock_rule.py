from odoo import models


class StockRule(models.Model):
    # what a route does for a reordering rule: buy or move, from where, with which delay
    _name = "stock.rule"
    _inherit = ["stock.rule", "jxc.purchase.plan.change.mixin"]
    _jxc_plan_ignored_fields = frozenset({"name"})  # a warehouse renamed renames its rules

    def _get_jxc_plan_pairs(self):
        return self.env["jxc.purchase.plan.change"]._get_routing_pairs(self)
