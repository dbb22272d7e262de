from collections import defaultdict

from odoo import api, fields, models

from ..tools.company_day import company_today


class JxcStockWarningDigest(models.Model):
    """Daily 库存预警 digest of one buyer: the plan lines below safety stock, at risk of
    a stock-out before the next receipt or in overstock, announced by one activity."""

    _name = "jxc.stock.warning.digest"
    _description = "Stock Warning Digest"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name")
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    user_id = fields.Many2one("res.users", string="Buyer", required=True, readonly=True, index=True)
    date = fields.Date(required=True, readonly=True)
    line_ids = fields.Many2many("jxc.purchase.plan", string="Warnings", readonly=True, check_company=True)
    below_count = fields.Integer(string="Below Safety Stock", readonly=True)
    stockout_count = fields.Integer(string="Projected Stock-outs", readonly=True)
    overstock_count = fields.Integer(string="Overstock", readonly=True)

    _digest_uniq = models.Constraint("UNIQUE(company_id, user_id, date)", "One digest per buyer and day.")

    @api.depends("user_id", "date")
    def _compute_name(self):
        for digest in self:
            digest.name = self.env._("Stock warnings of %(user)s on %(date)s", user=digest.user_id.name, date=digest.date)

    @api.model
    def _get_responsible(self, line):
        return line.vendor_id.buyer_id or line.product_id.responsible_id

    @api.model
    def _send_digests(self, company):
        """Create today's digest of each responsible buyer (once a day: rerunning updates
        the lines without scheduling a second activity)."""
        today = company_today(company)
        lines = self.env["jxc.purchase.plan"].search([
            ("company_id", "=", company.id), "|", "|",
            ("is_below_safety", "=", True), ("is_stockout_risk", "=", True), ("is_overstock", "=", True),
        ])
        by_user = defaultdict(lambda: self.env["jxc.purchase.plan"])
        for line in lines:
            user = self._get_responsible(line)
            if user:
                by_user[user] |= line
        existing = {
            digest.user_id: digest
            for digest in self.search([("company_id", "=", company.id), ("date", "=", today)])
        }
        digests = self.browse()
        for user, user_lines in by_user.items():
            vals = {
                "line_ids": [fields.Command.set(user_lines.ids)],
                "below_count": len(user_lines.filtered("is_below_safety")),
                "stockout_count": len(user_lines.filtered("is_stockout_risk")),
                "overstock_count": len(user_lines.filtered("is_overstock")),
            }
            digest = existing.get(user)
            if digest:
                digest.write(vals)
            else:
                digest = self.create({**vals, "company_id": company.id, "user_id": user.id, "date": today})
                digest.activity_schedule(
                    "mail.mail_activity_data_todo",
                    date_deadline=today,
                    summary=self.env._(
                        "Stock warnings: %(below)s below safety stock, %(stockout)s stock-outs, %(over)s overstock",
                        below=digest.below_count, stockout=digest.stockout_count, over=digest.overstock_count,
                    ),
                    user_id=user.id,
                )
            digests |= digest
        return digests

    @api.readonly
    def action_open_lines(self):
        self.ensure_one()
        action = self.env["jxc.purchase.plan"]._get_warning_action(self.name, [("id", "in", self.line_ids.ids)])
        return action
