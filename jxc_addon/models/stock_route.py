from odoo import models


class StockRoute(models.Model):
    # how Odoo replenishes a reordering rule (buy or resupply, and the lead days of the way)
    _name = "stock.route"
    _inherit = ["stock.route", "jxc.purchase.plan.routing.mixin"]
