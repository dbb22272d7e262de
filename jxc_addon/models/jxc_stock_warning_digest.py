import logging
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.fields import Domain

from ..tools.company_day import company_today
from ..tools.company_users import company_todo_user

_logger = logging.getLogger(__name__)

DIGEST_ACTIVITY = "mail.mail_activity_data_todo"


class JxcStockWarningDigest(models.Model):
    """Daily 库存预警 digest of one buyer: the plan lines below safety stock, at risk of
    a stock-out before the next receipt or in overstock, announced by one activity."""

    _name = "jxc.stock.warning.digest"
    _description = "Stock Warning Digest"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", search="_search_name")
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    user_id = fields.Many2one("res.users", string="Buyer", required=True, readonly=True, index=True)
    date = fields.Date(required=True, readonly=True)
    line_ids = fields.Many2many("jxc.purchase.plan", string="Warnings", readonly=True, check_company=True)
    below_count = fields.Integer(string="Below Safety Stock", readonly=True)
    stockout_count = fields.Integer(string="Projected Stock-outs", readonly=True)
    overstock_count = fields.Integer(string="Overstock", readonly=True)

    _digest_uniq = models.Constraint("UNIQUE(company_id, user_id, date)", "One digest per buyer and day.")

    def write(self, vals):
        # the daily action writes the digests; users follow them up (chatter, activities) only
        if not self.env.su and set(vals) & {"company_id", "user_id", "date", "line_ids", "below_count",
                                             "stockout_count", "overstock_count"}:
            raise AccessError(self.env._("A stock warning digest is written by the daily action only."))
        return super().write(vals)

    @api.depends("user_id", "date")
    def _compute_name(self):
        for digest in self:
            digest.name = self.env._("Stock warnings of %(user)s on %(date)s", user=digest.user_id.name, date=digest.date)

    def _search_name(self, operator, value):
        # the name reads "... of <buyer> on <date>": searched by the buyer, as the search box does
        return [("user_id", operator, value)]

    @api.model
    def _get_responsible(self, line):
        """The vendor's buyer, else the product's responsible in the line's company, else the
        company's first inventory control manager: the first who may open the digest."""
        company = line.company_id
        return company_todo_user(
            self.env, company, line.vendor_id.buyer_id, line.product_id.with_company(company).responsible_id,
        )

    @api.model
    def _are_digests_sent(self, company):
        """Whether today's digests of ``company`` were sent by the daily refresh (its last step)."""
        return company.sudo().jxc_digest_date == company_today(company)

    @api.model
    def _mark_digests_sent(self, company):
        company.sudo().jxc_digest_date = company_today(company)

    @api.model
    def _send_digests(self, company):
        """Create today's digest of each responsible buyer (once a day: rerunning updates
        the lines without scheduling a second activity). The company's users who get none
        today have their open digest to-dos closed."""
        today = company_today(company)
        Plan = self.env["jxc.purchase.plan"]
        # rules snoozed or archived since the last refresh are no warning
        lines = Plan.search(Plan._get_plannable_line_domain(company) & Domain.OR([
            Domain("is_below_safety", "=", True), Domain("is_stockout_risk", "=", True),
            Domain("is_overstock", "=", True),
        ]))
        by_user = defaultdict(lambda: Plan)
        unassigned = Plan
        for line in lines:
            user = self._get_responsible(line)
            if user:
                by_user[user] |= line
            else:
                unassigned |= line
        if unassigned:
            # nobody who works for the company may open them: said where an administrator looks
            _logger.warning(
                "Stock warning digest of %s: %d warnings reach nobody (no buyer, product responsible "
                "or inventory control manager works for the company); products: %s",
                company.display_name, len(unassigned), ", ".join(unassigned.product_id.mapped("display_name")[:10]),
            )
        existing = {
            digest.user_id: digest
            for digest in self.search([("company_id", "=", company.id), ("date", "=", today)])
        }
        digests = self.browse()
        # A buyer whose warnings all went away since this morning's run: today's digest empties.
        for user in set(existing) - set(by_user):
            existing[user].write({"line_ids": [fields.Command.clear()], "below_count": 0, "stockout_count": 0,
                                  "overstock_count": 0})
        # Whoever gets no digest today has no warning left: their open digest to-dos are closed.
        self.search([
            ("company_id", "=", company.id), ("user_id", "not in", [user.id for user in by_user]),
            ("activity_ids", "!=", False),
        ]).activity_feedback([DIGEST_ACTIVITY])
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
                emptied = not digest.line_ids
                digest.write(vals)
                activity = digest.activity_search([DIGEST_ACTIVITY])
                if activity:
                    activity.summary = summary
                elif emptied:
                    # its warnings went away earlier today and this job closed the to-do: they are
                    # back, announced again (a to-do the buyer marked done keeps its lines)
                    digest.activity_schedule(DIGEST_ACTIVITY, date_deadline=today, summary=summary, user_id=user.id)
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
