from odoo import fields, models


class StockMove(models.Model):
    _inherit = "stock.move"

    # Set on the adjustments posted by a count plan (盘点单): which plan, line and reason.
    jxc_count_plan_id = fields.Many2one("jxc.count.plan", string="Count Plan", readonly=True, index="btree_not_null")
    jxc_count_line_id = fields.Many2one("jxc.count.line", string="Count Line", readonly=True, index="btree_not_null")
    jxc_count_reason_id = fields.Many2one("jxc.count.reason", string="Count Reason", readonly=True)
    jxc_accounting_date = fields.Date(string="Count Accounting Date", readonly=True)
