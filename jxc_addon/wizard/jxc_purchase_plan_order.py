from odoo import api, fields, models


class JxcPurchasePlanOrder(models.TransientModel):
    """The confirmation of "Create RFQs" pressed with no line ticked: it names what the list
    would order (lines, amount) before anything is ordered."""

    _name = "jxc.purchase.plan.order"
    _description = "Create RFQs for the Listed Lines"

    line_ids = fields.Many2many("jxc.purchase.plan", string="Lines to Order", readonly=True)
    line_count = fields.Integer(compute="_compute_totals")
    currency_id = fields.Many2one("res.currency", compute="_compute_totals")
    amount = fields.Monetary(
        string="Estimated Amount", compute="_compute_totals",
        groups="jxc_addon.group_jxc_manager,purchase.group_purchase_user",
    )
    vendor_count = fields.Integer(string="Vendors", compute="_compute_totals")

    @api.depends("line_ids")
    def _compute_totals(self):
        currency = self.env.company.currency_id
        today = fields.Date.context_today(self)
        for wizard in self:
            wizard.line_count = len(wizard.line_ids)
            wizard.currency_id = currency
            # a user of several companies may list lines in several currencies: each line's
            # amount is converted at today's rate of its company into the current company's
            wizard.amount = sum(
                line.currency_id._convert(line.amount, currency, line.company_id, today)
                for line in wizard.line_ids
            )
            wizard.vendor_count = len(wizard.line_ids.vendor_id)

    def action_confirm(self):
        self.ensure_one()
        return self.line_ids.action_create_rfq()
