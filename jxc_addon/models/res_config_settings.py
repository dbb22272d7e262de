from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    jxc_demand_history_days = fields.Integer(related="company_id.jxc_demand_history_days", readonly=False)
    jxc_dead_stock_days = fields.Integer(related="company_id.jxc_dead_stock_days", readonly=False)
    jxc_carrying_cost_rate = fields.Float(related="company_id.jxc_carrying_cost_rate", readonly=False)

    jxc_supplier_period_type = fields.Selection(related="company_id.jxc_supplier_period_type", readonly=False)
    jxc_supplier_on_time_tolerance = fields.Integer(related="company_id.jxc_supplier_on_time_tolerance", readonly=False)
    jxc_supplier_grade_a = fields.Float(related="company_id.jxc_supplier_grade_a", readonly=False)
    jxc_supplier_grade_b = fields.Float(related="company_id.jxc_supplier_grade_b", readonly=False)
    jxc_supplier_grade_c = fields.Float(related="company_id.jxc_supplier_grade_c", readonly=False)
    jxc_supplier_score_drop = fields.Float(related="company_id.jxc_supplier_score_drop", readonly=False)
    jxc_supplier_on_time_min = fields.Float(related="company_id.jxc_supplier_on_time_min", readonly=False)
    jxc_supplier_risk_action = fields.Selection(related="company_id.jxc_supplier_risk_action", readonly=False)
    jxc_supplier_risk_user_id = fields.Many2one(related="company_id.jxc_supplier_risk_user_id", readonly=False)

    def action_jxc_open_supplier_criteria(self):
        return self.env["ir.actions.act_window"]._for_xml_id("jxc_addon.jxc_supplier_criterion_action")
    jxc_aging_buckets = fields.Char(related="company_id.jxc_aging_buckets", readonly=False)
    jxc_slow_turnover_rate = fields.Float(related="company_id.jxc_slow_turnover_rate", readonly=False)
    jxc_ordering_cost = fields.Float(related="company_id.jxc_ordering_cost", readonly=False)
    jxc_overstock_days = fields.Integer(related="company_id.jxc_overstock_days", readonly=False)
    jxc_shortage_notify_purchase = fields.Boolean(related="company_id.jxc_shortage_notify_purchase", readonly=False)
