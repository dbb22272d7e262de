from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    jxc_demand_history_days = fields.Integer(related="company_id.jxc_demand_history_days", readonly=False)
    jxc_dead_stock_days = fields.Integer(related="company_id.jxc_dead_stock_days", readonly=False)
    jxc_carrying_cost_rate = fields.Float(related="company_id.jxc_carrying_cost_rate", readonly=False)
    jxc_ordering_cost = fields.Float(related="company_id.jxc_ordering_cost", readonly=False)
    jxc_overstock_days = fields.Integer(related="company_id.jxc_overstock_days", readonly=False)
    jxc_shortage_notify_purchase = fields.Boolean(related="company_id.jxc_shortage_notify_purchase", readonly=False)
