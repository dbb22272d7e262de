from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    jxc_demand_history_days = fields.Integer(related="company_id.jxc_demand_history_days", readonly=False)
    jxc_dead_stock_days = fields.Integer(related="company_id.jxc_dead_stock_days", readonly=False)
    jxc_carrying_cost_rate = fields.Float(related="company_id.jxc_carrying_cost_rate", readonly=False)
    jxc_aging_buckets = fields.Char(related="company_id.jxc_aging_buckets", readonly=False)
    jxc_slow_turnover_rate = fields.Float(related="company_id.jxc_slow_turnover_rate", readonly=False)
