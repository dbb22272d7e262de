import logging
from collections import defaultdict
from datetime import datetime, timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.addons.jxc_addon.tools.company_day import company_today, local_midnight_utc
from odoo.addons.jxc_addon.tools.company_users import company_todo_user
from odoo.addons.jxc_addon.tools.cron_progress import goes_on
from odoo.exceptions import AccessError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)


class JxcExpiryAlert(models.Model):
    """近效期预警 of one responsible: the lots on hand whose alert date was reached that day,
    announced by one activity instead of one per lot."""

    _name = "jxc.expiry.alert"
    _description = "Near-Expiry Alert"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True
    # its responsible (a JXC user, who may only read it) follows it up: notes, the next activity
    _mail_post_access = "read"

    name = fields.Char(compute="_compute_name", search="_search_name")
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    user_id = fields.Many2one("res.users", string="Responsible", required=True, readonly=True, index=True)
    date = fields.Date(required=True, readonly=True)
    lot_ids = fields.Many2many("stock.lot", string="Lots", readonly=True, check_company=True)
    lot_count = fields.Integer(string="Number of Lots", compute="_compute_lot_count")

    _alert_uniq = models.Constraint("UNIQUE(company_id, user_id, date)", "One near-expiry alert per responsible and day.")

    def write(self, vals):
        # the hourly action writes the alerts (a lot in one is announced, never again); users
        # follow them up (chatter, activities) only
        if not self.env.su and set(vals) & {"company_id", "user_id", "date", "lot_ids"}:
            raise AccessError(self.env._("A near-expiry alert is written by the hourly scheduled action only."))
        return super().write(vals)

    @api.depends("user_id", "date")
    def _compute_name(self):
        for alert in self:
            alert.name = self.env._("Near-expiry lots of %(user)s on %(date)s", user=alert.user_id.name, date=alert.date)

    def _search_name(self, operator, value):
        # the name reads "... of <responsible> on <date>": searched by the responsible, as the search box does
        return [("user_id", operator, value)]

    @api.depends("lot_ids")
    def _compute_lot_count(self):
        for alert in self:
            alert.lot_count = len(alert.lot_ids)

    @api.model
    def _get_due_quants(self):
        """The quants of the lots whose alert date is reached and that no alert of the company
        announced yet, by each company's own day: a lot is due from the start of its alert date
        in the company's timezone, as the warnings list shows it. The stock of the shelf-life
        report (``_get_due_quants_domain``), so that an alert's lots are those its button
        shows. Not Odoo's ``product_expiry_reminded``: Odoo's own daily action sets it at its
        UTC day, which for a company east of UTC may come first, and the lot would never reach
        the digest; but not the lots it announced itself either (``_get_reminded_by_odoo``).
        Quants, not lots: a lot may be shared by companies, its stock is not."""
        quants = self.env["stock.quant"]
        relation = self._fields["lot_ids"]
        self.flush_model(["company_id", "lot_ids"])
        for company in self.env["res.company"].search([]):
            tomorrow = local_midnight_utc(company, company_today(company) + timedelta(days=1))
            due = self._filter_on_hand(quants.search(self._get_due_quants_domain(company, tomorrow)))
            if not due:
                continue
            announced = {lot_id for [lot_id] in self.env.execute_query(SQL(
                """
                SELECT rel.%(lot)s FROM %(relation)s rel JOIN %(alert)s a ON a.id = rel.%(alert_column)s
                 WHERE a.company_id = %(company)s AND rel.%(lot)s = ANY(%(lots)s)
                """,
                lot=SQL.identifier(relation.column2), relation=SQL.identifier(relation.relation),
                alert=SQL.identifier(self._table), alert_column=SQL.identifier(relation.column1),
                company=company.id, lots=due.lot_id.ids,
            ))}
            announced |= self._get_reminded_by_odoo(due.lot_id)
            quants |= due.filtered(lambda quant, announced=announced: quant.lot_id.id not in announced)
        return quants

    @api.model
    def _get_reminded_by_odoo(self, lots):
        """The ids of ``lots`` Odoo's own daily action announced with an activity of their own
        (product_expiry's reminder: while the digest's scheduled action was off, or before this
        module was installed), done since or not: a digest would announce them a second time."""
        todo = self.env.ref("mail.mail_activity_data_todo")
        return set(self.env["mail.activity"].sudo().with_context(active_test=False).search([
            ("res_model", "=", "stock.lot"), ("res_id", "in", lots.ids), ("automated", "=", True),
            ("activity_type_id", "=", todo.id),
        ]).mapped("res_id"))

    @api.model
    def _filter_on_hand(self, quants):
        """The shelf-life report's rows among ``quants`` (of ``_get_due_quants_domain``): a
        lot's stock in a warehouse, when it adds up to some."""
        on_hand = defaultdict(float)
        for quant in quants:
            on_hand[quant.lot_id, quant.location_id.warehouse_id] += quant.quantity
        return quants.filtered(lambda quant: quant.product_id.uom_id.compare(
            on_hand[quant.lot_id, quant.location_id.warehouse_id], 0.0) > 0)

    @api.model
    def _get_due_quants_domain(self, company, tomorrow):
        """The company's stock of lots whose alert date is before ``tomorrow`` (UTC), on the
        shelf-life report's conditions: the company's own stock (no owner, or the company
        itself; not consigned stock) in the internal locations of a warehouse, of lots with an
        expiration date, of a product that uses expiration dates."""
        return [
            ("company_id", "=", company.id), ("lot_id.alert_date", "<", tomorrow),
            ("lot_id.expiration_date", "!=", False), ("product_id.use_expiration_date", "=", True), ("quantity", "!=", 0),
            ("location_id.usage", "=", "internal"), ("location_id.warehouse_id", "!=", False),
            ("owner_id", "in", [False, company.partner_id.id]),
        ]

    @api.model
    def _get_digest_lots(self):
        """The lots Odoo's own daily reminder would announce now (``stock.lot._alert_date_exceeded``:
        alert date reached on its UTC day, not reminded yet, stock in an internal location)
        whose every such stock a digest announces, on the company's own day: the stock of the
        shelf-life report (``_get_due_quants_domain``, ``_filter_on_hand``), of a company with a
        responsible for it. A lot also held where no digest goes (consigned, outside a
        warehouse, a warehouse where a negative quant of the lot cancels it out, a company
        without JXC manager) keeps Odoo's reminder, and so does every lot while the digest's
        scheduled action is off."""
        cron = self.env.ref("jxc_product_expiry.jxc_expiry_alert_cron", raise_if_not_found=False)
        if not (cron and cron.sudo().active):
            return self.env["stock.lot"]
        return self._filter_digest_only(self.env["stock.lot"].search([
            ("alert_date", "<=", fields.Date.today()), ("product_expiry_reminded", "=", False)]))

    @api.model
    def _filter_digest_only(self, lots):
        """The lots of ``lots`` whose every stock in an internal location a digest announces
        (see ``_get_digest_lots``): Odoo's reminder has nothing left to say about them."""
        quants = self.env["stock.quant"].search([
            ("lot_id", "in", lots.ids), ("quantity", ">", 0), ("location_id.usage", "=", "internal")])
        announced = self.env["stock.quant"]
        for company in quants.company_id:
            if not company:
                continue
            # with the lots' negative quants, which the report nets in a warehouse
            domain = self._get_due_quants_domain(company, datetime.max)
            announced |= self._filter_on_hand(self.env["stock.quant"].search(
                [("lot_id", "in", quants.lot_id.ids), *domain])) & quants
        responsible = {}  # asked once per product and company
        for product, company in {(quant.product_id, quant.company_id) for quant in announced}:
            responsible[product, company] = self._get_responsible(product, company)
        announced_ids = set(announced.ids)
        digest_lots = self.env["stock.lot"]
        for lot, lot_quants in quants.grouped("lot_id").items():
            if all(quant.id in announced_ids and responsible[quant.product_id, quant.company_id] for quant in lot_quants):
                digest_lots |= lot
        return digest_lots

    @api.model
    def _get_responsible(self, product, company):
        """Who receives the digest of ``product``'s lots in ``company``: the product's
        responsible when they may read the alert it opens (an Inventory user without the
        JXC groups may not), else the company's first JXC manager; nobody when the company
        has none (Odoo's own per-lot reminder then stays)."""
        user = product.with_company(company).responsible_id
        if user and self._may_read_alerts(user, company):
            return user
        return company_todo_user(self.env, company)

    @api.model
    def _may_read_alerts(self, user, company):
        """Whether ``user`` may read the near-expiry alerts of ``company``: an active user (a
        product's responsible may have left), the model's access rights and its company rule
        (the user's companies)."""
        return user.active and company in user.company_ids and self.browse().with_user(user).has_access("read")

    @api.model
    def _cron_send_alerts(self, use_new_cursor=False):
        """Hourly scheduled action: a lot is announced in the first run after the start of its
        alert date in its company's timezone (``_get_due_quants``), once; commits after each
        responsible when run by the scheduler."""
        return self._send_alerts(use_new_cursor=use_new_cursor)

    @api.model
    def _send_alerts(self, use_new_cursor=False):
        """One alert (and one activity) per company and responsible for the due lots. The lots
        whose every stock a digest announces are marked reminded (Odoo's own flag), so that
        Odoo's reminder leaves them; a lot also held where no digest goes keeps it;
        a lot or responsible that fails is logged and skipped, the others go on."""
        by_user = defaultdict(lambda: self.env["stock.lot"])
        for quant in self._get_due_quants():
            try:
                user = self._get_responsible(quant.product_id, quant.company_id)
            except Exception:
                _logger.exception("Near-expiry alert: lot %s (id %s) failed; skipped.", quant.lot_id.name, quant.lot_id.id)
                continue
            if user:
                by_user[quant.company_id, user] |= quant.lot_id
        if use_new_cursor:
            self.env["ir.cron"]._commit_progress(remaining=len(by_user))
        alerts = self.browse()
        for (company, user), lots in by_user.items():
            succeeded = False
            try:
                with self.env.cr.savepoint():
                    alerts |= self._create_alert(company, user, lots)
                succeeded = True
            except Exception:
                _logger.exception("Near-expiry alert of %s (lots %s) failed; skipped.", user.login, lots.ids)
            if use_new_cursor and not goes_on(self.env, 1, succeeded):
                break
        return alerts

    @api.model
    def _create_alert(self, company, user, lots):
        today = company_today(company)
        alert = self.search([("company_id", "=", company.id), ("user_id", "=", user.id), ("date", "=", today)])
        if alert:
            # a second run of the day adds the new lots to the day's alert and its activity
            alert.lot_ids = [fields.Command.link(lot.id) for lot in lots]
        else:
            alert = self.create({
                "company_id": company.id, "user_id": user.id, "date": today,
                "lot_ids": [fields.Command.set(lots.ids)],
            })
        # The open activity lists the day's lots; once done, a later run announces its own lots
        # in a new one. Written in the responsible's language, not the scheduler's.
        activity = alert.activity_search(["mail.mail_activity_data_todo"])
        announced = alert.lot_ids if activity else lots
        env = self.with_context(lang=user.lang).env
        # a lot past its expiration date (as Odoo's product_expiry_alert judges it) is no longer sold
        now = fields.Datetime.now()
        expired = announced.filtered(lambda lot: lot.expiration_date and lot.expiration_date <= now)
        # past its removal date Odoo no longer reserves a lot for deliveries (product_expiry)
        removed = (announced - expired).filtered(lambda lot: lot.removal_date and lot.removal_date <= now)

        def names(lots):
            return ", ".join("%s %s" % (lot.product_id.with_env(env).display_name, lot.name) for lot in lots)

        notes = []
        if announced - expired - removed:
            notes.append(env._("Sell, use or move these lots before they expire: %(lots)s",
                               lots=names(announced - expired - removed)))
        if removed:
            notes.append(env._(
                "Past their removal date, no longer reserved for deliveries: use them, sell them off or return them "
                "before they expire: %(lots)s", lots=names(removed)))
        if expired:
            notes.append(env._("Expired: take these lots out of sale and scrap or return them: %(lots)s",
                               lots=names(expired)))
        vals = {
            "summary": env._("Near expiry: %(count)s lots reached their alert date", count=len(announced)),
            "note": Markup("<br/>").join(notes),
        }
        if activity:
            activity.write(vals)
        else:
            alert.activity_schedule("mail.mail_activity_data_todo", date_deadline=today, user_id=user.id, **vals)
        # Odoo's reminder skips a lot flagged reminded: only those no other stock of keeps it
        self._filter_digest_only(lots).product_expiry_reminded = True
        return alert

    @api.readonly
    def action_open_lots(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("jxc_product_expiry.jxc_shelf_life_report_action_warning")
        # its company's stock of the lots: a lot may be shared, its stock is not
        action["domain"] = [("lot_id", "in", self.lot_ids.ids), ("company_id", "=", self.company_id.id)]
        action["context"] = {}
        return action
