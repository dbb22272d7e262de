from collections import defaultdict

from odoo import api, fields, models

from ..tools.company_day import company_today

DIGEST_ACTIVITY = "mail.mail_activity_data_todo"


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
        """The vendor's buyer, else the product's responsible in the line's company, else (or
        when that user may not open the company's digest) the company's first stock-control
        manager."""
        user = line.vendor_id.buyer_id or line.product_id.with_company(line.company_id).responsible_id
        if user and user.has_group("jxc_addon.group_jxc_user") and line.company_id in user.company_ids:
            return user
        return self.env.ref("jxc_addon.group_jxc_manager").user_ids.filtered(
            lambda u: line.company_id in u.company_ids and not u.share).sorted("id")[:1]

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
        # A buyer whose warnings all went away since this morning's run: today's digest empties.
        for user in set(existing) - set(by_user):
            existing[user].write({"line_ids": [fields.Command.clear()], "below_count": 0, "stockout_count": 0,
                                  "overstock_count": 0})
            existing[user].activity_feedback([DIGEST_ACTIVITY])
        for user, user_lines in by_user.items():
            vals = {
                "line_ids": [fields.Command.set(user_lines.ids)],
                "below_count": len(user_lines.filtered("is_below_safety")),
                "stockout_count": len(user_lines.filtered("is_stockout_risk")),
                "overstock_count": len(user_lines.filtered("is_overstock")),
            }
            # in the buyer's language, not the scheduler's
            summary = self.with_context(lang=user.lang).env._(
                "Stock warnings: %(below)s below safety stock, %(stockout)s stock-outs, %(over)s overstock",
                below=vals["below_count"], stockout=vals["stockout_count"], over=vals["overstock_count"],
            )
            digest = existing.get(user)
            if digest:
                digest.write(vals)
                digest.activity_search([DIGEST_ACTIVITY]).summary = summary
            else:
                # Today's digest supersedes the buyer's earlier ones: their to-dos are closed.
                self.search([("company_id", "=", company.id), ("user_id", "=", user.id), ("date", "<", today),
                             ("activity_ids", "!=", False)]).activity_feedback([DIGEST_ACTIVITY])
                digest = self.create({**vals, "company_id": company.id, "user_id": user.id, "date": today})
                digest.activity_schedule(DIGEST_ACTIVITY, date_deadline=today, summary=summary, user_id=user.id)
            digests |= digest
        return digests

    @api.readonly
    def action_open_lines(self):
        self.ensure_one()
        action = self.env["jxc.purchase.plan"]._get_warning_action(self.name, [("id", "in", self.line_ids.ids)])
        return action
