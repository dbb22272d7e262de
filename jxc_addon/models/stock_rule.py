from odoo import models


class StockRule(models.Model):
    # what a route does for a reordering rule: buy or move, from where, with which delay
    _name = "stock.rule"
    _inherit = ["stock.rule", "jxc.purchase.plan.routing.mixin"]
