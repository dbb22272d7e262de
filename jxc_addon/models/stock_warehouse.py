from odoo import fields, models


class StockWarehouse(models.Model):
    _name = "stock.warehouse"
    _inherit = ["stock.warehouse", "jxc.purchase.plan.routing.mixin"]
    # the warehouse's routes, Odoo's last choice of how to replenish a reordering rule (its
    # steps and resupply are written on the routes and rules themselves)
    _jxc_plan_fields = frozenset({"route_ids", "active"})
    _jxc_plan_new_read = False

    # Carrying cost is not only the annual rate on the stock's value: rent, insurance and staff
    # cost the same every month whatever is stored. The turnover analysis spreads this amount
    # over the products of the warehouse by their average value of the month.
    jxc_currency_id = fields.Many2one(related="company_id.currency_id", string="JXC Currency")
    jxc_monthly_fixed_cost = fields.Monetary(
        string="Fixed Carrying Cost per Month", currency_field="jxc_currency_id",
        groups="jxc_addon.group_jxc_manager",
        help="Monthly cost of running the warehouse (rent, insurance, staff). Added to the carrying "
        "cost of the turnover analysis, allocated to products by their average inventory value.",
    )
