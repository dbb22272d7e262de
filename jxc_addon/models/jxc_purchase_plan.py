import logging
import math
from collections import defaultdict
from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, LockError, UserError
from odoo.fields import Command, Domain
from odoo.tools import SQL, float_compare, split_every

from ..tools.company_day import company_today, company_tz_name, local_midnight_utc
from ..tools.cron_progress import goes_on
from ..tools.orm_batch import bulk_create, bulk_write, check_company_batch
from ..tools.stock_context import without_stock_context
from ..tools.window_action import dialog_action, notification_action
from .product_product import ABC_CLASSES
from .res_partner import SUPPLIER_GRADES

_logger = logging.getLogger(__name__)
REFRESH_BATCH = 1000
# lines the opening of the plan refreshes at most (about 1.7 ms each): more go to the scheduled action
REFRESH_ON_OPEN = 3000
# first key of the transaction lock one refresh of a company's changes holds (the second: the company)
CHANGES_LOCK = 7410
# the states of the moves Odoo's forecast counts as incoming or outgoing (stock's _compute_quantities_dict)
PENDING_STATES = ("waiting", "confirmed", "assigned", "partially_available")


class JxcPurchasePlan(models.Model):
    """采购计划: one line per reordering rule managed by the safety stock, with what
    should be bought now. Refreshed from the reordering rules once a day (after midnight in
    the company's timezone) and every hour for the products changed since, by the safety-stock
    update, on demand, and when opened for the products changed since
    (jxc.purchase.plan.change); the buyer may switch the vendor, then creates the RFQs
    through Odoo's procurement."""

    _name = "jxc.purchase.plan"
    _description = "Purchase Plan Line"
    _order = "is_stockout_risk desc, stockout_date, id"
    # the dashboard's warning tiles are the lines as last refreshed, the same for every period
    _jxc_dashboard_period_free = True
    _check_company_auto = True

    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    orderpoint_id = fields.Many2one(
        "stock.warehouse.orderpoint", string="Reordering Rule", required=True, readonly=True,
        ondelete="cascade", index=True, check_company=True,
    )
    product_id = fields.Many2one(related="orderpoint_id.product_id", store=True, index=True)
    product_uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    warehouse_id = fields.Many2one(related="orderpoint_id.warehouse_id", store=True, index=True)
    # Classes and grades are per company: the line's, not the one the user works in.
    abc_class = fields.Selection(
        ABC_CLASSES, string="ABC Class", compute="_compute_company_figures", search="_search_abc_class",
    )
    # no group totals: the lines are of different products, in different units
    qty_on_hand = fields.Float(string="On Hand", readonly=True, digits="Product Unit", aggregator=False)
    qty_incoming = fields.Float(
        string="Incoming", readonly=True, digits="Product Unit", aggregator=False,
        help="Receipts expected and RFQs not yet confirmed.",
    )
    qty_outgoing = fields.Float(
        string="Outgoing", readonly=True, digits="Product Unit", aggregator=False,
        help="Odoo's outgoing quantity at the rule's location: every delivery and transfer not done yet, reserved or not.",
    )
    qty_position = fields.Float(
        string="Stock Position", readonly=True, digits="Product Unit", aggregator=False,
        help="Odoo's forecast of the reordering rule: on hand + incoming - outgoing up to the rule's lead time "
        "and horizon, draft RFQs included; what the rule compares with its reorder point.",
    )
    forecast_qty = fields.Float(
        string="Forecast Demand", readonly=True, digits="Product Unit", aggregator=False,
        help="Forecast demand over the lead time and the review period.",
    )
    forecast_method = fields.Selection(related="orderpoint_id.jxc_forecast_method")
    safety_stock = fields.Float(readonly=True, digits="Product Unit", aggregator=False)
    reorder_point = fields.Float(readonly=True, digits="Product Unit", aggregator=False)
    max_qty = fields.Float(string="Max", readonly=True, digits="Product Unit", aggregator=False)
    suggested_qty = fields.Float(
        string="To Order", readonly=True, digits="Product Unit", aggregator=False,
        help="The reordering rule's quantity to order (Odoo's own figure, recomputed at each refresh and "
        "again when the RFQs are created), raised to the vendor's minimum quantity where it is below it: what "
        "Create RFQs orders for it now.",
    )
    deadline_date = fields.Date(
        string="Order By", compute="_compute_deadline_date", compute_sudo=True,
        help="Odoo's deadline of the reordering rule: the day to order by so that the goods arrive before the "
        "stock falls below the minimum. Where the line's vendor is not the rule's, the deadline Odoo gives the "
        "rule with that vendor on it (its lead time moves the deadline).",
    )
    # Odoo's deadline with the line's vendor on the rule, where that vendor is not the rule's:
    # computed at the refresh with the previewed quantity (the rule keeps its vendor until ordered)
    preview_deadline_date = fields.Date(string="Deadline with the Line's Vendor", readonly=True, copy=False)
    route_id = fields.Many2one(related="orderpoint_id.route_id")
    vendor_id = fields.Many2one(
        "res.partner", domain="[('id', 'in', allowed_vendor_ids)]",
        help="The reordering rule's vendor, whom Odoo's replenishment orders from (the safety stock gives the rule "
        "the best-graded vendor, then the cheapest), else the best. A vendor you choose here stays until the RFQ "
        "is created; the rule then orders from it until the next safety-stock update chooses again (lock the "
        "rule to keep your vendor). Until you create the RFQ here, Odoo's scheduler, which orders the rules "
        "with the automatic trigger, still orders from the rule's vendor.",
    )
    vendor_chosen = fields.Boolean(
        string="Vendor Chosen by Buyer", readonly=True, copy=False,
        help="A buyer chose this line's vendor: the refresh keeps it instead of following the reordering rule's.",
    )
    allowed_vendor_ids = fields.Many2many("res.partner", compute="_compute_allowed_vendor_ids")
    vendor_grade = fields.Selection(
        SUPPLIER_GRADES, string="Grade", compute="_compute_company_figures", search="_search_vendor_grade",
    )
    # what the company pays its vendors: for buyers and managers, not warehouse keepers
    price_unit = fields.Float(
        string="Untaxed Unit Price", aggregator=False, compute="_compute_vendor_terms", store=True,
        min_display_digits="Product Price",
        groups="jxc_addon.group_jxc_manager,purchase.group_purchase_user",
        help="Untaxed price of one product unit from the vendor's price line Odoo selects for this quantity and "
        "the RFQ's order date (validity dates, quantity breaks), converted from the line's unit and currency: taxes "
        "included in the vendor's price are taken out, as on the RFQ's untaxed amount. The order date is today, "
        "or later by the company's Days to Purchase; 0 when no price line of the vendor is valid then, as on the "
        "RFQ.",
    )
    expected_date = fields.Date(
        string="Expected Arrival", compute="_compute_vendor_terms", store=True,
        help="Today plus the company's Days to Purchase and the vendor's delivery lead time.",
    )
    amount = fields.Monetary(
        string="Untaxed Amount", compute="_compute_vendor_terms", store=True, groups="jxc_addon.group_jxc_manager,purchase.group_purchase_user",
        help="Untaxed amount of the quantity to order at the unit price.",
    )
    demand_mean = fields.Float(string="Avg Daily Demand", readonly=True, digits=(16, 4), aggregator=False)
    next_receipt_date = fields.Date(readonly=True, help="Scheduled date of the next pending receipt.")
    stockout_date = fields.Date(
        string="Projected Stock-out", readonly=True,
        help="Day the stock on hand, less the deliveries already due, runs out at the average daily demand, with "
        "what the receipts arriving before then bring.",
    )
    is_stockout_risk = fields.Boolean(
        string="Stock-out before Receipt", readonly=True,
        help="The stock runs out before the next receipt (or, without one, before a new order could arrive), also "
        "with what the receipts arriving before then bring.",
    )
    is_urgent = fields.Boolean(
        string="Urgent", compute="_compute_is_urgent", store=True,
        help="The stock runs out before an order placed today arrives (the lines in red).",
    )
    is_below_safety = fields.Boolean(string="Below Safety Stock", readonly=True)
    is_overstock = fields.Boolean(string="Overstock", readonly=True)
    overstock_since = fields.Date(related="orderpoint_id.jxc_overstock_since")
    overstock_value = fields.Monetary(
        readonly=True, groups="jxc_addon.group_jxc_manager",
        help="Cost of the company's own stock above the maximum: consigned stock, on hand for the rule, costs it "
        "nothing.",
    )
    refreshed_on = fields.Datetime(readonly=True)

    _orderpoint_uniq = models.Constraint("UNIQUE(orderpoint_id)", "A reordering rule has one purchase plan line.")

    def _check_company(self, fnames=None):
        # Written in batches of thousands by the safety stock and the plan refresh.
        return check_company_batch(self, fnames, super()._check_company)

    def write(self, vals):
        # Buyers choose the vendor; the figures come from the refresh (run as superuser).
        if not self.env.su and set(vals) - {"vendor_id"}:
            raise AccessError(self.env._(
                "Only the vendor of a purchase plan line can be changed; refresh the plan to update its figures."
            ))
        if "vendor_id" in vals and not self.env.su and not self.env.user.has_group("purchase.group_purchase_user"):
            # what Create RFQs (buyers only) orders from, and then the reordering rule's vendor
            raise AccessError(self.env._("Only purchase users can choose the vendor of a purchase plan line."))
        if "vendor_id" in vals and not self.env.su:
            # the refresh after the write would delete such a line: the buyer's choice gone unsaid
            held = self.filtered(lambda line: not line._is_plannable())
            if held:
                raise UserError(self.env._(
                    "The reordering rule of %(products)s was snoozed or archived since the plan was refreshed: "
                    "there is nothing to order for it now. Refresh the plan.",
                    products=", ".join(held.product_id.mapped("display_name")),
                ))
        if vals.get("vendor_id"):
            self._check_vendor_sells(self.env["res.partner"].browse(vals["vendor_id"]))
        if "vendor_id" in vals and "vendor_chosen" not in vals:
            # the refresh writes its lines past write(): a vendor written is always someone's choice
            vals = dict(vals, vendor_chosen=True)
        result = super().write(vals)
        if "vendor_id" in vals:
            # the figures follow the vendor: what Create RFQs orders from it (its lead time,
            # purchase unit and minimum give Odoo's quantity)
            for company in self.company_id:
                self.sudo()._refresh(company, self.filtered(lambda line, company=company: line.company_id == company).orderpoint_id)
        return result

    def _check_vendor_sells(self, vendor):
        """Refuse ``vendor`` for lines whose product it has no price line for valid today (the
        list does not offer it, a call through the API may): the refresh could not keep it."""
        for line in self:
            if not line.sudo()._get_seller(vendor):
                raise UserError(self.env._(
                    "%(vendor)s has no price for %(product)s valid today; choose another vendor, or give it a price "
                    "valid today on the product's Purchase tab.",
                    vendor=vendor.display_name, product=line.product_id.display_name,
                ))

    @api.depends("product_id", "vendor_id", "company_id")
    def _compute_company_figures(self):
        for line in self:
            line.abc_class = line.product_id.with_company(line.company_id).jxc_abc_class
            line.vendor_grade = line.vendor_id.commercial_partner_id.with_company(line.company_id).jxc_supplier_grade

    def _search_abc_class(self, operator, value):
        return self._get_line_company_domain("product_id", [("jxc_abc_class", operator, value)])

    def _search_vendor_grade(self, operator, value):
        return self._get_line_company_domain("vendor_id", [("commercial_partner_id.jxc_supplier_grade", operator, value)])

    def _get_line_company_domain(self, fname, condition):
        """The lines whose ``fname`` record meets ``condition`` (on a per-company field) in the
        line's own company, for each company the user works in."""
        comodel = self.env[self._fields[fname].comodel_name]
        return Domain.OR(
            Domain("company_id", "=", company.id) & Domain(fname, "in", comodel.with_company(company)._search(condition))
            for company in self.env.companies
        )

    @api.depends("product_id")
    def _compute_allowed_vendor_ids(self):
        # the vendors with a price valid today: the ones the refresh and Create RFQs can keep
        for line in self:
            product = line.product_id.with_company(line.company_id)
            line.allowed_vendor_ids = product._get_filtered_sellers(
                quantity=None, date=company_today(line.company_id), uom_id=product.uom_id,
            ).partner_id

    def _get_seller(self, vendor=None):
        """The line of the chosen vendor (or of ``vendor``) Odoo prices this quantity with today
        (validity dates, quantity breaks, units)."""
        self.ensure_one()
        vendor = vendor or self.vendor_id
        company = self.company_id or self.env.company
        return self.env["jxc.planning.engine"]._select_vendor_line(
            self.product_id, company, vendor, self.suggested_qty, company_today(company),
        ) if vendor else self.env["product.supplierinfo"]

    @api.depends("vendor_id", "preview_deadline_date", "orderpoint_id.deadline_date", "orderpoint_id.supplier_id")
    def _compute_deadline_date(self):
        for line in self:
            orderpoint = line.orderpoint_id
            line.deadline_date = (
                orderpoint.deadline_date if line.vendor_id == orderpoint.supplier_id.partner_id
                else line.preview_deadline_date
            )

    @api.depends("is_stockout_risk", "stockout_date", "expected_date")
    def _compute_is_urgent(self):
        for line in self:
            line.is_urgent = self._is_urgent(line.is_stockout_risk, line.stockout_date, line.expected_date)

    @api.model
    def _is_urgent(self, is_stockout_risk, stockout_date, expected_date):
        return bool(is_stockout_risk and stockout_date and expected_date and stockout_date < expected_date)

    @api.depends("vendor_id", "suggested_qty", "refreshed_on")
    def _compute_vendor_terms(self):
        tax_cache = {}
        for line in self:
            company = line.company_id or self.env.company
            line.update(self._prepare_vendor_terms(
                line._get_seller(), line.product_id, line.suggested_qty, company, company_today(company),
                tax_cache=tax_cache,
            ))

    @api.model
    def _prepare_vendor_terms(self, seller, product, qty, company, today, price_seller=None, tax_cache=None):
        """Unit price (untaxed, per product unit, company currency), expected arrival and
        amount of buying ``qty`` of ``product`` from ``seller`` (a product.supplierinfo, possibly
        empty: then at cost, arriving today). ``price_seller``: the vendor's line that prices
        the order when it is not ``seller`` (Odoo orders from the rule's own line, arriving
        after its lead time, at the price of the vendor's line it selects for the quantity and
        the RFQ's order date; an empty one: none is valid then, and the RFQ line comes at 0).
        ``tax_cache``: the engine's ``_get_unit_price``'s, kept by a caller pricing many lines."""
        if price_seller is None:
            price_seller = seller
        if price_seller:
            price = self.env["jxc.planning.engine"]._get_unit_price(
                price_seller, product, company, today, vendor=seller.partner_id, tax_cache=tax_cache)
        else:
            # no line of the vendor valid on the RFQ's order date: Odoo's RFQ line comes at 0
            price = 0.0 if seller else product.with_company(company).standard_price
        return {
            "price_unit": price,
            "expected_date": today + timedelta(days=seller.delay + company.days_to_purchase if seller else 0),
            "amount": company.currency_id.round(price * qty),
        }

    # --- refresh ---------------------------------------------------------------------
    @api.model
    def _cron_refresh(self, use_new_cursor=False):
        """Every hour: refresh each company's plan lines not refreshed yet that day in the
        company's timezone and in Odoo's (UTC: the day Odoo dates the rules' figures by), all of
        them in the first run after each of the two midnights, so that the plan shows Odoo's
        figures of the day Odoo is in, and those of the
        products changed since, in batches, then its warning digests of the day.
        A batch that fails is logged and skipped. With ``use_new_cursor`` (the cron) progress
        is committed per step and the job stops when Odoo's time for it is up: Odoo calls it
        again while ``remaining`` (all companies' rules left plus one last step per company: its
        products changed meanwhile and its digests) is above 0. The rules whose
        line was refreshed today (by an earlier call, the safety-stock update or a buyer) are
        left out, and a company's digests are sent once its rules are done, after the lines of
        the products changed meanwhile (or too many for the plan's opening, which runs this job
        then). Once they are sent, the day's later calls look at the rules whose line was not
        refreshed today and those of changed products only: a rule without a line did not buy
        when the day's refresh looked at it (a warehouse resupplied from another), and the
        products of a batch that failed are noted as changed."""
        Cron = self.env["ir.cron"]
        Digest = self.env["jxc.stock.warning.digest"].sudo()
        Change = self.env["jxc.purchase.plan.change"]
        work = []
        for company in self.env["res.company"].sudo().search([]):
            try:
                with self.env.cr.savepoint():
                    work += self._get_refresh_work(company, use_new_cursor)
            except Exception:
                # the other companies' plans are still refreshed
                _logger.exception("Purchase plan of %s: the rules to refresh could not be found", company.name)
        if use_new_cursor:
            Cron._commit_progress(remaining=sum(len(orderpoints) + 1 for _company, _plan, orderpoints in work))
        for company, plan, orderpoints in work:
            left = len(orderpoints)
            for batch in split_every(REFRESH_BATCH, orderpoints.ids, orderpoints.browse):
                if not plan._try_lock_company(company):
                    break
                failed = plan._refresh_batch(company, batch)
                if failed:
                    # their products are tried again with the changed ones (a rule that never had
                    # a line included): at the end of this step, on opening, in the next hour
                    Change._note({(product_id, company.id) for product_id in failed.product_id.ids})
                left -= len(batch)
                if use_new_cursor and not goes_on(self.env, len(batch), failed != batch):
                    return
            if left:
                # A buyer's Refresh (or the safety-stock update) holds the plan: the rules it
                # leaves are still due, and the digests wait for them, in the next hour's run.
                _logger.info("Purchase plan of %s is being refreshed by another session: left to the next run",
                             company.name)
                if use_new_cursor and not Cron._commit_progress(left + 1):
                    return
                continue
            try:
                with self.env.cr.savepoint():
                    # what changed while the batches ran, and the changes of products without lines
                    plan._refresh_changed(company)
            except Exception:
                _logger.exception("Purchase plan of %s: the changed lines were not refreshed", company.name)
            try:
                with self.env.cr.savepoint():
                    # today's digests again: their lines follow the refresh, with no second activity
                    Digest.with_company(company)._send_digests(company)
            except Exception:
                # tried again in the next hour's run
                _logger.exception("Stock warning digests of %s not sent", company.name)
            else:
                Digest._mark_digests_sent(company)
            if use_new_cursor and not Cron._commit_progress(1):
                return

    @api.model
    def _refresh_batch(self, company, batch):
        """Refresh the lines of the rules ``batch`` in a savepoint; if that fails, each rule in
        its own, so that one bad rule does not keep the others' lines from being refreshed.
        Failures are logged. Returns the rules whose line was not refreshed."""
        try:
            with self.env.cr.savepoint():
                self._refresh(company, batch)
            return batch.browse()
        except Exception:
            _logger.exception("Purchase plan of %s: a batch was not refreshed", company.name)
        if len(batch) == 1:
            return batch
        failed = batch.browse()
        for orderpoint in batch:
            try:
                with self.env.cr.savepoint():
                    self._refresh(company, orderpoint)
            except Exception:
                _logger.exception("Purchase plan of %s: %s not refreshed", company.name, orderpoint.display_name)
                failed |= orderpoint
        return failed

    @api.model
    def _get_refresh_work(self, company, use_new_cursor):
        """[(company, plan, rules)] of ``_cron_refresh`` for ``company``: every rule the plan
        shows, or with ``use_new_cursor`` those due in this call (see there); empty if none."""
        Digest = self.env["jxc.stock.warning.digest"].sudo()
        Change = self.env["jxc.purchase.plan.change"]
        plan = self.sudo().with_company(company)
        if not use_new_cursor:
            return [(company, plan, plan._get_managed_orderpoints(company))]
        # the rules whose line was not refreshed today, and those of the products changed
        # since (too many for an opening of the plan)
        changed = list({product_id for _id, product_id in Change._read(company)})
        # the later of the company's midnight and Odoo's: Odoo dates the rules' figures (lead-time
        # horizon, deadline) by its own day, UTC (fields.Date.today()), which may begin after the
        # company's (east of UTC): refreshed before it, a line keeps the day before's dates
        midnight = max(
            local_midnight_utc(company, company_today(company)),
            datetime.combine(fields.Date.today(), time.min),
        )
        day_done = Digest._are_digests_sent(company)
        if day_done:
            # Every rule was looked at today: a rule without a line did not buy then, and
            # buys now only after a change of its rule, route or product (or a failed batch,
            # noted as a change below).
            stale = Domain("id", "in", plan._search([
                ("company_id", "=", company.id), ("refreshed_on", "<", midnight),
            ]).subselect("orderpoint_id"))
        else:
            stale = Domain("id", "not in", plan._search([
                ("company_id", "=", company.id), ("refreshed_on", ">=", midnight),
            ]).subselect("orderpoint_id"))
        due = self.env["stock.warehouse.orderpoint"].sudo().with_company(company).search(
            Domain("company_id", "=", company.id) & Domain("jxc_rule_id", "!=", False)
            & plan._get_plannable_orderpoint_domain(company) & (stale | Domain("product_id", "in", changed)),
        )
        if day_done:
            # The day's refresh is done (every line, then the digests): the hours after it
            # ask Odoo's routes about the due rules alone, not about every rule. A line whose
            # rule left the plan since goes with the change of its rule, route or product.
            orderpoints = plan._filter_purchased(due)
            if not orderpoints and not changed:
                return []
        else:
            # also removes the lines of the rules no longer managed
            orderpoints = plan._get_managed_orderpoints(company) & due
        return [(company, plan, orderpoints)]

    @api.model
    def _get_plannable_orderpoint_domain(self, company):
        """The reordering rules the plan shows and orders: active rules of active products,
        not snoozed (Odoo's replenishment hides a snoozed rule, its scheduler orders active
        rules of active products only)."""
        today = company_today(company)
        return (
            Domain("active", "=", True) & Domain("product_id.active", "=", True)
            & (Domain("snoozed_until", "=", False) | Domain("snoozed_until", "<=", today))
        )

    @api.model
    def _get_plannable_line_domain(self, company):
        """The plan lines of ``company`` whose rule is still planned (``_get_plannable_orderpoint_domain``):
        a rule snoozed or archived since the last refresh is left out before it."""
        orderpoints = self.env["stock.warehouse.orderpoint"].sudo().with_context(active_test=False)._search(
            Domain("company_id", "=", company.id) & self._get_plannable_orderpoint_domain(company),
        )
        return Domain("company_id", "=", company.id) & Domain("orderpoint_id", "in", orderpoints)

    @api.model
    def _get_managed_orderpoints(self, company, rules_of=None):
        """The reordering rules the safety stock manages that buy and are planned
        (``_get_plannable_orderpoint_domain``); plan lines of others are removed.

        :param rules_of: the ``_supply_rules_finder`` to ask (one of the same update)"""
        orderpoints = self._filter_purchased(self.env["stock.warehouse.orderpoint"].sudo().with_company(company).search(
            Domain("company_id", "=", company.id) & Domain("jxc_rule_id", "!=", False)
            & self._get_plannable_orderpoint_domain(company),
        ), rules_of)
        self.sudo().search([("company_id", "=", company.id), ("orderpoint_id", "not in", orderpoints.ids)]).unlink()
        return orderpoints

    @api.model
    def _filter_purchased(self, orderpoints, rules_of=None):
        """The rules of ``orderpoints`` that replenish by buying: those whose rules, as Odoo
        runs them (its ``rule_ids``: the rule's route, else the product's, else the
        warehouse's), buy (``jxc.planning.engine._buys``): not a warehouse resupplied from
        another, nor a rule Odoo replenishes by manufacturing."""
        engine = self.env["jxc.planning.engine"]
        rules_of = rules_of or engine._supply_rules_finder(orderpoints.company_id[:1])

        def buys(orderpoint):
            try:
                return engine._buys(rules_of(orderpoint.product_id, orderpoint.location_id, orderpoint.route_id))
            except UserError as error:
                # Odoo refuses the product's routes (a loop between warehouses): this rule is left
                # out, not the company's plan
                _logger.warning("Purchase plan: %s left out: %s", orderpoint.display_name, error)
                return False

        return orderpoints.filtered(buys)

    @api.model
    def _try_lock_company(self, company):
        """Whether this transaction now holds the lock of ``company``'s plan refreshes (held to
        its end; False: another session holds it)."""
        return self.env.execute_query(SQL("SELECT pg_try_advisory_xact_lock(%s, %s)", CHANGES_LOCK, company.id))[0][0]

    @api.model
    def _lock_company(self, company):
        """Take the lock of ``company``'s plan refreshes for this transaction, or refuse before
        anything is written: one refresh of a company's plan at a time, as two would both
        create its missing lines and write the same lines."""
        if not self._try_lock_company(company):
            raise UserError(self.env._(
                "The purchase plan of %(company)s is being refreshed by another user or the scheduled action; "
                "its lines are current once that refresh ends. Try again in a moment.", company=company.name))

    def action_refresh(self):
        for company in self.env.companies:
            self._lock_company(company)
            self._refresh(company)
        return {"type": "ir.actions.client", "tag": "soft_reload"}

    @api.model
    def _refresh(self, company, orderpoints=None, fresh=None, choose_seller=None):
        """(Re)build the plan lines of ``company`` (or of ``orderpoints``) from the reordering
        rules the safety stock manages, with quantities read set-based per warehouse.

        :param fresh: rules whose Odoo quantities were recomputed in this transaction (just
            written by the safety stock): not recomputed again
        :param choose_seller: the engine's ``_vendor_line_chooser`` of today, shared with the
            safety stock's update that came just before
        """
        if not self.env.su and not self.env.user.has_group("jxc_addon.group_jxc_user"):
            raise AccessError(self.env._("Only inventory control users can refresh the purchase plan."))
        # the rules' own stock, never one a caller narrowed to a lot, an owner, a date or a location
        lines = without_stock_context(self)._refresh_lines(company, orderpoints, fresh, choose_seller)
        return lines.with_env(self.env)

    @api.model
    def _refresh_lines(self, company, orderpoints, fresh, choose_seller):
        """``_refresh``, its access checked, in a context without the client's stock keys."""
        engine = self.env["jxc.planning.engine"].sudo().with_company(company)
        today = company_today(company)
        choose_seller = choose_seller or engine._vendor_line_chooser(company, today)
        # the changes these lines will have seen (read before the figures): forgotten once refreshed
        changes = self.env["jxc.purchase.plan.change"]._read(
            company, None if orderpoints is None else orderpoints.product_id.ids,
        )
        if orderpoints is None:
            orderpoints = self._get_managed_orderpoints(company, getattr(choose_seller, "rules_of", None))
        orderpoints = orderpoints.with_env(self.env).sudo().with_company(company)
        refreshed = orderpoints
        # rules snoozed or archived (or of a product archived) since: out of the plan
        held = orderpoints - orderpoints.filtered_domain(self._get_plannable_orderpoint_domain(company))
        if held:
            self.sudo().search([("orderpoint_id", "in", held.ids)]).unlink()
            orderpoints -= held
        if not orderpoints:
            self._forget_changes(company, changes, refreshed)
            return self.browse()
        currency = company.currency_id
        replaced = self._replace_vendors_at_risk(company, orderpoints, choose_seller)
        self._recompute_quantities_to_order((orderpoints - fresh if fresh else orderpoints) | replaced)
        lines = {line.orderpoint_id.id: line for line in self.sudo().search([("orderpoint_id", "in", orderpoints.ids)])}
        orders, previews = self._get_planned_orders(orderpoints, lines, choose_seller)
        in_progress = orderpoints._quantity_in_progress()
        quantities = {}
        # at the rule's own location, as Odoo's rule reads its stock: a warehouse's input and
        # output zones (two- and three-step routes) are beside its stock, not in it
        product_ids_by_location = defaultdict(set)  # ids: a union of recordsets per rule is quadratic
        for orderpoint in orderpoints:
            product_ids_by_location[orderpoint.location_id.id].add(orderpoint.product_id.id)
        for location_id, product_ids in product_ids_by_location.items():
            products = orderpoints.product_id.browse(product_ids).with_context(location=location_id)
            for product_id, values in products._compute_quantities_dict(None, None, None).items():
                quantities[product_id, location_id] = values
        pending_receipts = self._get_pending_receipts(company, orderpoints)
        deliveries_due = self._get_deliveries_due(company, orderpoints, today)
        tax_cache = {}  # the vendors' fiscal positions and taxes, read once for the lines' prices
        overstock_days = company.jxc_overstock_days
        now = fields.Datetime.now()
        to_create, to_update, vals_of = [], [], {}
        overstock_since = {today: [], False: []}  # orderpoint ids whose "above max since" changes
        # what Odoo 19's uom.compare does (every unit at the "Product Unit" precision), read once
        digits = self.env["decimal.precision"].precision_get("Product Unit")

        def compare(value1, value2):
            return float_compare(value1, value2, precision_digits=digits)

        consigned = self._get_consigned_quantities(company, orderpoints.filtered(lambda orderpoint: compare(
            quantities.get((orderpoint.product_id.id, orderpoint.location_id.id), {}).get("qty_available", 0.0),
            orderpoint.product_max_qty,
        ) > 0))
        unsellable = self._get_unsellable_quantities(company, orderpoints)
        for orderpoint in orderpoints:
            product = orderpoint.product_id
            qty = quantities.get((product.id, orderpoint.location_id.id), {})
            on_hand = qty.get("qty_available", 0.0)
            sellable = on_hand - unsellable.get(orderpoint.id, 0.0)
            outgoing = qty.get("outgoing_qty", 0.0)
            incoming = qty.get("incoming_qty", 0.0) + in_progress.get(orderpoint.id, 0.0)
            line = lines.get(orderpoint.id)
            # One number per rule: what Create RFQs orders for it now, from the line's vendor.
            seller, suggested, price_seller = orders[orderpoint.id]
            vendor = seller.partner_id
            mean = orderpoint.jxc_demand_mean
            arrival = today + timedelta(days=seller.delay + company.days_to_purchase if seller else 0)
            receipts = pending_receipts.get(orderpoint.id, [])
            next_receipt = receipts[0][0] if receipts else False
            # the day the stock on hand, less the deliveries due, runs out, with what the receipts
            # that arrive before then bring; a risk if that is before the receipt that would follow
            available = sellable - deliveries_due.get(orderpoint.id, 0.0)
            stockout, receipt = self._project_stockout(today, available, mean, receipts, arrival)
            if stockout and compare(available, 0.0) <= 0:
                stockout = today  # out now, whatever a late receipt may still bring
            over = compare(orderpoint.product_max_qty, 0.0) > 0 and compare(sellable, orderpoint.product_max_qty) > 0
            since = orderpoint.jxc_overstock_since
            if over and not since:
                since = today
                overstock_since[today].append(orderpoint.id)
            elif not over and since:
                since = False
                overstock_since[False].append(orderpoint.id)
            vals = {
                "qty_on_hand": on_hand,
                "qty_incoming": incoming,
                "qty_outgoing": outgoing,
                "qty_position": orderpoint.qty_forecast,
                "forecast_qty": orderpoint.jxc_forecast_qty,
                "safety_stock": orderpoint.jxc_safety_stock,
                "reorder_point": orderpoint.product_min_qty,
                "max_qty": orderpoint.product_max_qty,
                "suggested_qty": suggested,
                "preview_deadline_date": False,
                "vendor_id": vendor.id,
                # a buyer's choice the vendor no longer honours (no valid price): the rule's again.
                # A contact's choice ordered through its company's line (Odoo's _select_seller
                # takes a contact's and its parent's lines) is still the buyer's.
                "vendor_chosen": bool(line and line.vendor_chosen and vendor in (line.vendor_id | line.vendor_id.parent_id)),
                "demand_mean": mean,
                "next_receipt_date": next_receipt,
                "stockout_date": stockout,
                # already out (nothing left for the orders) before any receipt, or out before it
                "is_stockout_risk": bool(stockout and (stockout < receipt or compare(available, 0.0) <= 0)),
                "is_below_safety": compare(sellable, orderpoint.jxc_safety_stock) < 0,
                "is_overstock": bool(over and since and (today - since).days >= overstock_days),
                # the company's own stock above the maximum: consigned stock costs it nothing
                "overstock_value": currency.round(max(min(
                    sellable - orderpoint.product_max_qty, sellable - consigned.get(orderpoint.id, 0.0),
                ), 0.0) * product.standard_price if over else 0.0),
                "refreshed_on": now,
                # The stored terms of the vendor (what _compute_vendor_terms gives), set here so
                # that thousands of lines are not recomputed one by one.
                **self._prepare_vendor_terms(seller, product, suggested, company, today, price_seller, tax_cache),
            }
            # stored computed: the new lines are inserted as they are, without computing it
            vals["is_urgent"] = self._is_urgent(vals["is_stockout_risk"], stockout, vals["expected_date"])
            vals_of[orderpoint.id] = vals
            if line:
                to_update.append((line, vals))
            else:
                vals.update(orderpoint_id=orderpoint.id, company_id=company.id, product_id=product.id,
                            warehouse_id=orderpoint.warehouse_id.id)
                to_create.append(vals)
        # Grouped by identical value: two writes whatever the number of rules.
        for since, ids in overstock_since.items():
            if ids:
                orderpoints.browse(ids).write({"jxc_overstock_since": since})
        # Odoo's quantities with another vendor on the rule, last: the rollback of their
        # savepoint empties the cache, from which the lines above were read
        previewed = self._preview_quantities_to_order(previews)
        if previews:
            # The rollback emptied the cache: the rules, products and vendor lines held from
            # before it (the chooser's too) would each be read alone, their prefetch lost (four
            # queries a line). What the terms below read, read again together.
            preview_rules = orderpoints.browse(list(previewed))
            preview_rules.fetch(["product_id", "warehouse_id"])
            templates = preview_rules.product_id.product_tmpl_id
            templates.fetch(["uom_id", "seller_ids", "supplier_taxes_id"])
            templates.seller_ids.fetch()
        for orderpoint, seller in previews.items():
            suggested, deadline, price_date = previewed[orderpoint.id]
            # priced as Odoo prices the RFQ line: the vendor's line for the quantity previewed
            price_seller = self._get_order_price_seller(
                orderpoint, seller.partner_id, suggested,
                choose_seller(orderpoint.product_id, seller.partner_id, suggested, orderpoint.warehouse_id) or seller,
                price_date)
            vals_of[orderpoint.id].update(
                suggested_qty=suggested, preview_deadline_date=deadline,
                **self._prepare_vendor_terms(
                    seller, orderpoint.product_id, suggested, company, today, price_seller, tax_cache),
            )
        # Existing lines in one UPDATE, new ones in one INSERT, instead of a statement per line;
        # every value comes from the company's own rules, products and vendors (run as superuser).
        bulk_write(self.sudo().browse([line.id for line, _vals in to_update]), [vals for _line, vals in to_update],
                   check_access=False)
        bulk_create(self.sudo(), to_create)
        self._forget_changes(company, changes, refreshed)
        return self.sudo().search([("orderpoint_id", "in", orderpoints.ids)]).sudo(False)

    @api.model
    def _forget_changes(self, company, changes, orderpoints):
        """Forget the ``changes`` [(change id, product id)] of ``company`` the refresh of
        ``orderpoints`` has seen: all but those of a product with a line of another rule, not
        refreshed."""
        others = set(self.sudo().search([
            ("company_id", "=", company.id), ("product_id", "in", list({product_id for _id, product_id in changes})),
            ("orderpoint_id", "not in", orderpoints.ids),
        ]).product_id.ids) if changes else set()
        self.env["jxc.purchase.plan.change"]._forget([
            change_id for change_id, product_id in changes if product_id not in others
        ])

    @api.model
    def _refresh_changed(self, company, limit=None):
        """Refresh the lines of ``company`` that may be out of date: those of the products changed
        since (their stock moves, RFQ lines, vendor prices or rules: jxc.purchase.plan.change),
        with a line for each rule of theirs the safety stock manages and buys with. The changes
        read are forgotten, those of products without a rule in the plan too. The passing of
        days alone (a move entering a rule's lead-time horizon, stock-out dates) is the daily
        refresh's: here the cost follows the work done since, not the size of the plan.

        :param limit: the most lines to refresh; more are left to the scheduled action (an opening starts it)
        :return: whether the lines are up to date; False when another session is refreshing
            the company's changes (they will be once it commits), more than ``limit`` changed or
            a product's lines failed
        """
        if not self._try_lock_company(company):
            return False
        Change = self.env["jxc.purchase.plan.change"]
        changes = Change._read(company)
        product_ids = list({product_id for _id, product_id in changes})
        lines = self.sudo().search([("company_id", "=", company.id), ("product_id", "in", product_ids)])
        orderpoints = lines.orderpoint_id | self.env["stock.warehouse.orderpoint"].sudo().search([
            ("company_id", "=", company.id), ("jxc_rule_id", "!=", False), ("product_id", "in", product_ids),
        ])
        if limit is not None and len(orderpoints) > limit:
            return False
        planned = self._filter_purchased(orderpoints.filtered("jxc_rule_id"))
        # a rule no longer managed, or given a route that does not buy: out of the plan
        lines.filtered(lambda line: line.orderpoint_id not in planned).unlink()
        failed = set()
        for batch in split_every(REFRESH_BATCH, planned.sorted(lambda o: o.product_id.id).ids, planned.browse):
            failed.update(self._refresh_batch(company, batch).product_id.ids)
        # kept for the next refresh: the changes of the products whose lines were not refreshed
        Change._forget([change_id for change_id, product_id in changes if product_id not in failed])
        return not failed

    @api.model
    def action_open_plan(self):
        return self._open_current("jxc_addon.jxc_purchase_plan_action")

    @api.model
    def action_open_warnings(self):
        """The stock warnings, brought up to date first. The dashboard's tiles open one kind of
        warning of the company they count (``jxc_warning``, ``jxc_warning_company_id`` in the
        context): a filter of the lines the user may see anyway, of a company the user has
        selected, and only that company's lines are refreshed."""
        kind, company_id = self.env.context.get("jxc_warning"), self.env.context.get("jxc_warning_company_id")
        warnings = self._get_warnings()
        if kind not in warnings or company_id not in self.env.companies.ids:
            return self._open_current("jxc_addon.jxc_purchase_plan_action_warnings")
        company = self.env["res.company"].browse(company_id)
        name, _label, flag = warnings[kind]
        return self._open_current("jxc_addon.jxc_purchase_plan_action_warnings", company, {
            "name": name, "display_name": name, "domain": self._get_warning_domain(company, flag),
        })

    @api.model
    def _open_current(self, xmlid, companies=None, values=None):
        """The action ``xmlid`` (updated with ``values``) on lines brought up to date first
        (``_refresh_changed``: those of ``companies``, by default the selected ones), as Odoo's
        replenishment recomputes its rules when opened: the plan shows what Create RFQs would
        order now."""
        if not self.env.user.has_group("jxc_addon.group_jxc_user"):
            raise AccessError(self.env._("Only inventory control users can open the purchase plan."))
        behind = self.env["res.company"]
        for company in companies or self.env.companies:
            try:
                with self.env.cr.savepoint():
                    if not self._refresh_changed(company, REFRESH_ON_OPEN):
                        behind |= company
            except Exception:
                # the plan still opens, as last refreshed
                _logger.exception("Purchase plan of %s: the changed lines were not refreshed on opening", company.name)
                behind |= company
        action = {**self.env["ir.actions.actions"]._for_xml_id(xmlid), **(values or {})}
        if not behind:
            return action
        # The plan's scheduled action, started now, takes the changed products' rules in batches committed
        # one by one (too many for an opening, or failed here). Only an opening starts it: the
        # action itself, failing on a product, would start itself again and again.
        cron = self.env.ref("jxc_addon.ir_cron_jxc_purchase_plan_refresh", raise_if_not_found=False)
        if cron and cron.sudo().active:
            cron.sudo()._trigger()
        return notification_action(
            self.env._(
                "Some lines of %(companies)s may not show the latest stock moves, orders or prices yet: they are "
                "being refreshed in the background. Open the plan again in a few minutes, or click Refresh to "
                "refresh every line now.",
                companies=", ".join(behind.mapped("name")),
            ),
            "warning", title=self.env._("Purchase plan being refreshed"), next_action=action,
        )

    def _get_rfq_quantity(self, today):
        """What Create RFQs orders for this line now: its rule's quantity to order, recomputed
        just before (``_recompute_quantities_to_order``), within ``_limit_rfq_quantity``;
        nothing for a rule snoozed or archived."""
        self.ensure_one()
        if not self._is_plannable():
            return 0.0
        return self._limit_rfq_quantity(max(self.orderpoint_id.qty_to_order, 0.0), today)

    def _limit_rfq_quantity(self, qty, today):
        """``qty`` within what a module limits the plan's suggestion to (the shelf life of
        ``jxc_product_expiry``), also once raised to the vendor's minimum: the extension point."""
        return qty

    def _is_limited_to_nothing(self, unlimited_qty):
        """Whether the line orders nothing because of a limit (``_limit_rfq_quantity``), not
        because the stock covers its rule: its rule would order ``unlimited_qty`` with the line's
        vendor on it (read then: the rule may have its own vendor back since)."""
        self.ensure_one()
        return self.product_uom_id.compare(unlimited_qty, 0.0) > 0

    def _get_rfq_limit_message(self):
        """What Create RFQs says of these lines, which a limit brought to nothing
        (``_is_limited_to_nothing``); the module that limits them says why."""
        return self.env._(
            "Nothing ordered for %(products)s: their reordering rules would order, but the plan limits the quantity "
            "to nothing. The plan lines are refreshed.",
            products=", ".join(self.product_id.mapped("display_name")),
        )

    @api.model
    def _replace_vendors_at_risk(self, company, orderpoints, choose_seller):
        """Give the unlocked rules of ``orderpoints`` whose vendor fell at risk since the safety
        stock chose it the best vendor line now (``choose_seller`` ranks vendors at risk last), as
        Create RFQs and the next update would: Odoo's scheduler orders a rule from the rule's own
        vendor, and an RFQ to a vendor at risk (which buyers may not confirm where the company
        blocks) would count as on order. A rule whose vendors are all at risk keeps its vendor.
        Returns the rules changed."""
        changed = orderpoints.browse()
        no_vendor = self.env["res.partner"]
        at_risk = orderpoints.supplier_id.partner_id.filtered(lambda vendor: vendor._is_jxc_risk_flagged(company))
        for orderpoint in orderpoints.filtered(lambda op: op.supplier_id.partner_id in at_risk and not op.jxc_locked):
            seller = choose_seller(orderpoint.product_id, no_vendor, max(orderpoint.qty_to_order, 0.0),
                                   orderpoint.warehouse_id)
            if seller and not seller.partner_id._is_jxc_risk_flagged(company):
                orderpoint.supplier_id = seller
                changed |= orderpoint
        return changed

    def _is_plannable(self):
        """Whether the line's rule is still planned (``_get_plannable_orderpoint_domain``)."""
        self.ensure_one()
        orderpoint = self.orderpoint_id.sudo()
        return bool(orderpoint.filtered_domain(self._get_plannable_orderpoint_domain(self.company_id)))

    @api.model
    def _get_planned_orders(self, orderpoints, lines, choose_seller):
        """({rule id: (vendor line, quantity, vendor line of the price)}, {rule: vendor line}):
        what Create RFQs orders for each of ``orderpoints`` now, and the rules whose quantity
        is still to preview.
        The vendor is the one a buyer chose on its line ``lines`` {rule id: line} (while the
        vendor still sells the product), else the rule's (whom Odoo's own replenishment orders
        from, whoever set it) unless at risk where the company warns or blocks, else the best;
        the quantity is Odoo's quantity to order with that vendor on the rule, raised to the
        vendor's minimum (``_round_order_quantity``). The rule's own vendor is ordered from the
        rule's own line, as Odoo's replenishment does (``supplierinfo_id``), and priced with the
        line of that vendor Odoo selects for the quantity. Where the vendor is not the rule's,
        its lead time and purchase unit change that quantity: ``_preview_quantities_to_order``
        of the rules returned second gives it (the quantity returned for them is the rule's)."""
        orders, previews = {}, {}
        no_vendor = self.env["res.partner"]
        for orderpoint in orderpoints:
            product, warehouse = orderpoint.product_id, orderpoint.warehouse_id
            qty = max(orderpoint.qty_to_order, 0.0)
            line = lines.get(orderpoint.id)
            seller = self.env["product.supplierinfo"]
            rule_vendor = orderpoint.supplier_id.partner_id
            if rule_vendor and rule_vendor._is_jxc_risk_flagged(orderpoint.company_id):
                # at risk since the update gave it the rule: its RFQ, which a buyer could not
                # confirm, would count as on order; the best vendor instead (a buyer may choose it)
                rule_vendor = no_vendor
            chosen_from = no_vendor
            for vendor in (line.vendor_id if line and line.vendor_chosen else no_vendor) | rule_vendor:
                seller = choose_seller(product, vendor, qty, warehouse)
                if seller:
                    chosen_from = vendor
                    break
            seller = seller or choose_seller(product, no_vendor, qty, warehouse)  # the best vendor
            price_seller = seller
            rule_partner = orderpoint.supplier_id.partner_id
            # the rule's vendor, also priced by its company's line (a contact's vendor: Odoo's
            # replenishment still orders from the rule's own line)
            if seller and rule_partner and rule_partner in (seller.partner_id, chosen_from):
                seller = orderpoint.supplier_id
            if seller and seller != orderpoint.supplier_id:
                previews[orderpoint] = seller
            else:
                qty = self._round_order_quantity(orderpoint, seller, qty)
                price_seller = self._get_order_price_seller(orderpoint, seller.partner_id, qty, price_seller)
            orders[orderpoint.id] = (seller, qty, price_seller)
        return orders, previews

    @api.model
    def _get_consigned_quantities(self, company, orderpoints):
        """{rule id: quantity others own} at each of ``orderpoints``' locations and below: the
        quants whose owner is not the company (consignment), on hand for Odoo's rule but of
        no cost to the company. One query."""
        return {orderpoint_id: quantity for orderpoint_id, (quantity, _reserved) in self._sum_rule_quants(orderpoints, [
            ("owner_id", "!=", False), ("owner_id", "!=", company.partner_id.id),
        ]).items()}

    @api.model
    def _get_unsellable_quantities(self, company, orderpoints):
        """{rule id: quantity} of the stock on hand at ``orderpoints``' locations that is no longer
        sold from today (jxc_product_expiry: lots past their removal date, which Odoo no longer
        reserves for deliveries): the stock-out, below-safety and overstock figures count
        without it, the On Hand column is Odoo's."""
        return {}

    @api.model
    def _sum_rule_quants(self, orderpoints, domain):
        """{rule id: (quantity, reserved quantity)} of the quants of ``orderpoints``' products
        matching ``domain`` at each rule's location and below, as Odoo's rule reads its stock.
        One query."""
        if not orderpoints:
            return {}
        groups = self.env["stock.quant"].sudo()._read_group([
            ("product_id", "in", orderpoints.product_id.ids), ("location_id", "child_of", orderpoints.location_id.ids),
            *domain,
        ], ["product_id", "location_id"], ["quantity:sum", "reserved_quantity:sum"])
        rules_of = defaultdict(list)
        for orderpoint in orderpoints:
            rules_of[orderpoint.product_id.id].append(orderpoint)
        sums = defaultdict(lambda: (0.0, 0.0))
        for product, location, quantity, reserved in groups:
            for orderpoint in rules_of[product.id]:
                if location.parent_path.startswith(orderpoint.location_id.parent_path):
                    total, total_reserved = sums[orderpoint.id]
                    sums[orderpoint.id] = (total + quantity, total_reserved + reserved)
        return dict(sums)

    @api.model
    def _preview_quantities_to_order(self, sellers):
        """{rule id: (quantity Create RFQs orders, Odoo's deadline)} for the rules of ``sellers``
        {rule: vendor line} once the vendor line is set on the rule, as Create RFQs sets it: Odoo
        computes the quantity and the deadline itself (lead time, purchase unit), in a savepoint
        rolled back, so the rule keeps its vendor until the buyer orders."""
        if not sellers:
            return {}
        orderpoints = self.env["stock.warehouse.orderpoint"].sudo().concat(*sellers)
        self.env.flush_all()
        # the rules written here are rolled back: not changed
        with self.env["jxc.purchase.plan.change"]._ignoring_notes(), self.env.cr.savepoint(flush=False) as savepoint:
            for orderpoint, seller in sellers.items():
                orderpoint.supplier_id = seller
            self._recompute_quantities_to_order(orderpoints)
            quantities = {
                orderpoint.id: (self._round_order_quantity(orderpoint, seller, max(orderpoint.qty_to_order, 0.0)),
                                orderpoint.deadline_date,
                                # the RFQ's order date follows the vendor's lead time
                                self._has_dated_prices(orderpoint.product_id, seller.partner_id)
                                and self._get_order_price_date(orderpoint))
                for orderpoint, seller in sellers.items()
            }
            self.env.flush_all()
            savepoint.rollback()
        # the database is back as it was: so must be what the ORM holds of it
        self.env.invalidate_all()
        return quantities

    @api.model
    def _round_order_quantity(self, orderpoint, seller, qty):
        """``qty`` of ``orderpoint`` (whose vendor line is ``seller``) as Create RFQs orders it:
        at least the vendor's minimum, as Odoo's own choice of a vendor in its replenishment,
        and then again a whole multiple of the rule's packaging (Odoo's rounding)."""
        uom = orderpoint.product_id.uom_id
        if not seller or uom.compare(qty, 0.0) <= 0:
            return 0.0 if uom.compare(qty, 0.0) <= 0 else qty
        if uom.compare(qty, seller.product_uom_id._compute_quantity(seller.min_qty, uom)) >= 0:
            return qty
        # the vendor's smallest minimum, not the break of the line on the rule: higher breaks
        # price larger orders, they are no minimum order (``_select_vendor_line``)
        product = orderpoint.product_id.with_company(orderpoint.company_id)
        valid = product._get_filtered_sellers(
            partner_id=seller.partner_id, quantity=None, date=company_today(orderpoint.company_id), uom_id=uom,
        ) or seller
        minimum = self.env["jxc.planning.engine"]._get_smallest_minimum(valid, uom)
        if uom.compare(qty, minimum) >= 0:
            return qty
        return orderpoint._get_multiple_rounded_qty(minimum)

    @api.model
    def _has_dated_prices(self, product, vendor):
        """Whether a price line of ``vendor`` (or of its parent) for ``product`` starts or ends
        from yesterday on: only then may the line Odoo prices an RFQ with on its order date
        differ from the one valid today (yesterday: the company's today may be Odoo's
        tomorrow)."""
        since = fields.Date.today() - timedelta(days=1)
        return bool(vendor) and any(
            line.partner_id in (vendor | vendor.parent_id)
            and (line.date_start and line.date_start >= since or line.date_end and line.date_end >= since)
            for line in product.seller_ids if not line.product_id or line.product_id == product
        )

    @api.model
    def _get_order_price_date(self, orderpoint):
        """The day Odoo prices the RFQ line Create RFQs makes for ``orderpoint`` (with its
        vendor): the order date of the rule's procurement (``_procure_orderpoint_confirm``: the
        procurement date less the global horizon; ``_get_dates_info``: less the vendor's days),
        not before today (``_prepare_purchase_order_line``), Odoo's days being UTC ones. Days to
        Purchase make it later than today. An RFQ the line joins keeps its own order date."""
        date = orderpoint._get_orderpoint_procurement_date()
        horizon = orderpoint.get_horizon_days()
        if horizon:
            date -= timedelta(days=int(horizon))
        dates = orderpoint.product_id._get_dates_info(date, orderpoint.location_id, route_ids=orderpoint.route_id)
        return max(dates["date_order"].date(), fields.Date.today())

    @api.model
    def _get_order_price_seller(self, orderpoint, vendor, qty, price_seller, price_date=None):
        """The line of ``vendor`` Odoo prices the RFQ line for ``qty`` of ``orderpoint`` with:
        ``price_seller``, chosen on today, unless a price line of the vendor starts or ends from
        today on (``_has_dated_prices``); then the one Odoo selects on the order date
        (``price_date``, else ``_get_order_price_date``), empty when none is valid then."""
        if not self._has_dated_prices(orderpoint.product_id, vendor):
            return price_seller
        price_date = price_date or self._get_order_price_date(orderpoint)
        if price_date == company_today(orderpoint.company_id):
            return price_seller
        return self.env["jxc.planning.engine"]._select_vendor_line(
            orderpoint.product_id, orderpoint.company_id, vendor, qty, price_date)

    @api.model
    def _recompute_quantities_to_order(self, orderpoints):
        """Recompute Odoo's stored quantity to order and deadline of ``orderpoints`` from the current
        forecast, as Odoo's scheduler does before ordering: the stored figure follows the
        rules' minimum, maximum and purchases, not the deliveries since. Odoo's own
        computation, as its replenishment report runs it."""
        orderpoints = without_stock_context(orderpoints)  # stored: the rules' own stock
        fnames = ["qty_to_order_computed", "deadline_date"]
        for company in orderpoints.company_id:
            # In the rules' company, whatever the caller's: Odoo's lead days add the horizon of
            # the environment's company (stock.rule._get_lead_days), as its scheduler and
            # Create RFQs (_procure_orderpoint_confirm) run them.
            company_orderpoints = orderpoints.filtered(
                lambda orderpoint, company=company: orderpoint.company_id == company).with_company(company)
            # The vendor lines of every product in one query (Odoo reads them per rule for its multiple).
            company_orderpoints.product_id.seller_ids.fetch()
            company_orderpoints._jxc_compute_forecast()
            for fname in fnames:
                self.env.add_to_compute(company_orderpoints._fields[fname], company_orderpoints)
            company_orderpoints.flush_recordset(fnames)
        # the quantity to order follows the computed one, which the ORM recomputed without
        # telling it: read again (Odoo's action_replenish computes it again for the same reason)
        orderpoints.invalidate_recordset(["qty_to_order"])

    @api.model
    def _get_pending_receipts(self, company, orderpoints):
        """{rule id: [(day (company calendar), quantity in the product's unit)]} of the pending
        receipts at each rule's location, by day of the move's date: the moves Odoo's forecast
        counts as incoming there (``_get_domain_locations_new``): not done, arriving at the
        location or below it, or headed there as their final destination, from outside it. A
        receipt in two or three steps thus counts once, by its pending step: the first, to the
        input zone, is headed for the stock; the next (the put-away) is created when the step
        before it is done. One query per location of the rules."""
        return self._get_pending_moves(company, orderpoints, incoming=True)

    @api.model
    def _get_deliveries_due(self, company, orderpoints, today):
        """{rule id: quantity in the product's unit} of the pending deliveries out of each
        rule's location dated ``today`` or before (company calendar): of what Odoo's forecast
        counts as outgoing there, what is due already. Those planned later are the demand to
        come, which the average daily demand stands for: taken off today as well, a sale due in
        two months would make a stock-out of this week."""
        due = defaultdict(float)
        for rule_id, moves in self._get_pending_moves(company, orderpoints, incoming=False).items():
            due[rule_id] = sum(quantity for day, quantity in moves if day <= today)
        return due

    @api.model
    def _get_pending_moves(self, company, orderpoints, incoming):
        """{rule id: [(day (company calendar), quantity in the product's unit)]} of the moves
        Odoo's forecast counts as ``incoming`` (else outgoing) at each rule's location, by day
        of the move's date (see ``_get_pending_receipts``). One query per location of the rules."""
        Move = self.env["stock.move"].sudo().with_context(active_test=False, tz=company_tz_name(company))
        rule_of = defaultdict(dict)  # {location id: {product id: rule id}}: one rule per product and location
        for orderpoint in orderpoints:
            rule_of[orderpoint.location_id.id][orderpoint.product_id.id] = orderpoint.id
        moves = defaultdict(list)
        for location_id, rules in rule_of.items():
            _quants, moves_in, moves_out = self.env["product.product"]._get_domain_locations_new([location_id])
            groups = Move._read_group(
                Domain("product_id", "in", list(rules)) & Domain("state", "in", PENDING_STATES)
                & (moves_in if incoming else moves_out),
                ["product_id", "date:day"], ["product_qty:sum"], order="date:day",
            )
            for product, day, quantity in groups:
                moves[rules[product.id]].append((fields.Date.to_date(day), quantity))
        return moves

    @api.model
    def _project_stockout(self, today, available, mean, receipts, arrival):
        """(projected stock-out day, the receipt it comes before): ``available`` runs out at
        ``mean`` a day, each pending receipt (day, quantity) that arrives by then adding its
        quantity (as Odoo's forecast adds what comes in, not just that something comes: a
        customer's return of one unit does not avert a stock-out); the receipt is the first
        arriving after that day (one not received yet arrives today at the earliest), else
        ``arrival``, a new order's. No stock-out without demand."""
        if mean <= 0:
            return False, arrival
        for day, quantity in receipts:
            day = max(day, today)
            stockout = today + timedelta(days=math.floor(max(available, 0.0) / mean))
            if stockout < day:
                return stockout, day
            available += quantity
        return today + timedelta(days=math.floor(max(available, 0.0) / mean)), arrival

    # --- RFQs -------------------------------------------------------------------------
    def action_create_rfq(self):
        """Order the selected lines through Odoo's own replenishment of their reordering
        rules, with the chosen vendor set on each rule: the quantity is the rule's quantity
        to order recomputed now, so a line already on order (a second click, an RFQ made
        elsewhere) orders nothing and says so."""
        if not self.env.user.has_group("jxc_addon.group_jxc_user") or not self.env.user.has_group(
            "purchase.group_purchase_user"
        ):
            raise AccessError(self.env._("Only buyers (inventory control and purchase users) can create RFQs from the plan."))
        if not self:
            # the list's header button with no line ticked: the lines listed that have something
            # to order (the client's domain only selects; access rights and rules still apply)
            lines = self.search(Domain(self.env.context.get("active_domain") or []) & Domain("suggested_qty", ">", 0))
            lines = lines.filtered(lambda line: line._is_plannable())
            if not lines:
                raise UserError(self.env._("Nothing to order in this list: no line has a quantity to order."))
            # ordering a whole list is confirmed first, on a screen that says what it orders
            wizard = self.env["jxc.purchase.plan.order"].create({"line_ids": [Command.set(lines.ids)]})
            return dialog_action(wizard, self.env._("Create RFQs"))
        self.check_access("write")
        # Two buyers ordering the same lines at once would each miss the other's uncommitted
        # RFQ and order twice: the second is told to wait. Once the first has committed, its
        # refresh has rewritten the lines, so a request that read them before retries (Odoo
        # retries a serialization failure) and then finds the RFQ.
        try:
            self.sudo().lock_for_update(allow_referencing=True)
        except LockError as error:
            raise UserError(self.env._(
                "These purchase plan lines are being ordered by another user right now; reload the plan in a "
                "moment: what was ordered meanwhile is then on order.",
            )) from error
        ordered, nothing, not_buying, no_vendor = self.browse(), self.browse(), self.browse(), self.browse()
        blocked, blocked_vendors, unlimited = self.browse(), self.env["res.partner"], {}
        overrides_block = self.env["purchase.order"]._can_override_jxc_supplier_block()
        # the RFQ lines of these rules before: the list shown at the end is of what this call ordered
        PurchaseLine = self.env["purchase.order.line"].sudo()
        rfq_domain = [("orderpoint_id", "in", self.orderpoint_id.ids), ("order_id.state", "=", "draft")]
        rfq_before = {line.id: line.product_qty for line in PurchaseLine.search_fetch(rfq_domain, ["product_qty"])}
        # snoozed or archived since the last refresh: nothing to order, and the refresh below
        # removes their lines (named now)
        held = self.filtered(lambda line: not line._is_plannable())
        held_products = ", ".join(held.product_id.mapped("display_name"))
        for company in self.company_id:
            company_lines = (self - held).filtered(
                lambda line, company=company: line.company_id == company).sudo().with_company(company)
            # given a route since that resupplies or makes the product: Odoo's replenishment
            # would run a transfer or a manufacturing order, no RFQ; out of the plan
            purchased = self._filter_purchased(company_lines.orderpoint_id)
            not_buying |= company_lines.filtered(lambda line, purchased=purchased: line.orderpoint_id not in purchased)
            company_lines -= not_buying
            if not company_lines:
                continue
            orderpoints = company_lines.orderpoint_id
            engine = self.env["jxc.planning.engine"].sudo().with_company(company)
            today = company_today(company)
            choose_seller = engine._vendor_line_chooser(company, today)
            self._recompute_quantities_to_order(orderpoints)
            # The vendor now, as the refresh decides it: the buyer's choice, else the rule's
            # current one (changed since the refresh, the rule's wins), else the best.
            orders, _previews = self._get_planned_orders(
                orderpoints, {line.orderpoint_id.id: line for line in company_lines}, choose_seller)
            sellers = {line: orders[line.orderpoint_id.id][0] for line in company_lines}
            before = {orderpoint: (orderpoint.supplier_id, orderpoint.route_id, orderpoint.jxc_buy_route_auto)
                      for orderpoint in orderpoints}
            # Another vendor goes on the rule before its quantity is read: Odoo's quantity to
            # order depends on the rule's vendor line (its unit, its lead time). That line is
            # chosen for the quantity to order, which may then change; twice settles it.
            changed = orderpoints.browse()
            for _pass in range(2):
                for line in company_lines.filtered(lambda line, changed=changed: line.orderpoint_id in changed):
                    sellers[line] = engine._select_vendor_line(
                        line.product_id, company, sellers[line].partner_id, line._get_rfq_quantity(today), today,
                    ) or sellers[line]
                changed = orderpoints.browse()
                for line in company_lines:
                    orderpoint = line.orderpoint_id
                    if sellers[line] and orderpoint.supplier_id != sellers[line]:
                        routed = bool(orderpoint.route_id)
                        orderpoint.supplier_id = sellers[line]
                        if not routed and orderpoint.route_id:
                            # purchase_stock's inverse added the Buy route for the vendor: set
                            # for the order as the update sets it, no route a buyer chose
                            orderpoint.sudo().jxc_buy_route_auto = True
                        changed |= orderpoint
                if not changed:
                    break
                self._recompute_quantities_to_order(changed)
            quantities = {line: line._get_rfq_quantity(today) for line in company_lines}
            # Odoo's own quantity with the line's vendor on the rule, before the plan's limits
            unlimited.update({line: max(line.orderpoint_id.qty_to_order, 0.0) for line in company_lines})
            to_order = company_lines.filtered(
                lambda line, quantities=quantities: line.product_uom_id.compare(quantities[line], 0.0) > 0)
            nothing |= company_lines - to_order
            # a rule that orders nothing keeps the vendor and route it had (its line keeps the
            # buyer's choice for the next order)
            for orderpoint in (company_lines - to_order).orderpoint_id:
                supplier, route, auto = before[orderpoint]
                if orderpoint.supplier_id != supplier:
                    orderpoint.write({"supplier_id": supplier.id, "route_id": route.id, "jxc_buy_route_auto": auto})
            # without a vendor line valid for the quantity Odoo's replenishment would fail on the
            # rule: those lines order nothing and say so, the others are ordered
            missing = to_order.filtered(lambda line, sellers=sellers: not sellers.get(line))
            no_vendor |= missing
            to_order -= missing
            if company.jxc_supplier_risk_action == "block" and not overrides_block:
                # an RFQ to a vendor this buyer could not confirm would count as on order and keep
                # the rule from ordering elsewhere (a buyer's choice made before the vendor fell at
                # risk): not ordered, the rule keeps what it had, the buyer is told
                held_back = to_order.filtered(
                    lambda line, sellers=sellers, company=company: sellers[line].partner_id._is_jxc_risk_flagged(company))
                for orderpoint in held_back.orderpoint_id:
                    supplier, route, auto = before[orderpoint]
                    if orderpoint.supplier_id != supplier:
                        orderpoint.write({"supplier_id": supplier.id, "route_id": route.id, "jxc_buy_route_auto": auto})
                blocked |= held_back
                blocked_vendors |= self.env["res.partner"].union(*(sellers[line].partner_id for line in held_back))
                to_order -= held_back
            if not to_order:
                continue
            for line in to_order:
                orderpoint = line.orderpoint_id
                # at least the vendor's minimum, then the rule's multiple again (the vendor is on the
                # rule), within the limit: what the plan line shows
                quantities[line] = line._limit_rfq_quantity(
                    self._round_order_quantity(orderpoint, sellers[line], quantities[line]), today)
                # less than the rule's own quantity (a limit the plan adds): Odoo's manual
                # quantity to order, which its replenishment uses once
                if line.product_uom_id.compare(quantities[line], orderpoint.qty_to_order) != 0:
                    orderpoint.qty_to_order_manual = quantities[line]
            # the horizon of the procurement's dates is the company's, not one a client sent
            without_stock_context(to_order.orderpoint_id)._procure_orderpoint_confirm(company_id=company)
            # As Odoo's replenishment button: a manual quantity is used once.
            to_order.orderpoint_id.action_remove_manual_qty_to_order()
            # A locked rule is the buyer's: a vendor the plan ordered from in place of its own
            # (one at risk) served this order only; a vendor a buyer chose on the line stays.
            for line in to_order.filtered(lambda line: line.orderpoint_id.jxc_locked and not line.vendor_chosen):
                supplier, route, auto = before[line.orderpoint_id]
                if line.orderpoint_id.supplier_id != supplier:
                    line.orderpoint_id.write({"supplier_id": supplier.id, "route_id": route.id, "jxc_buy_route_auto": auto})
            # the buyer's vendor is the rule's now: the line follows the rule again
            to_order.filtered("vendor_chosen").sudo().write({"vendor_chosen": False})
            ordered |= to_order
        not_buying_products = ", ".join(not_buying.product_id.mapped("display_name"))
        not_buying.sudo().unlink()
        for company in (self - not_buying).company_id:
            self._refresh(company, (self - not_buying).filtered(
                lambda line, company=company: line.company_id == company).orderpoint_id)
        # A notification, not an error: the refreshed plan (and what was ordered) is kept.
        messages = []
        limited = nothing.filtered(lambda line: line._is_limited_to_nothing(unlimited.get(line, 0.0)))
        if nothing - limited:
            messages.append(self.env._(
                "Nothing ordered for %(products)s: the stock on hand and on order already covers their reordering "
                "rules (quantity to order 0). The plan lines are refreshed.",
                products=", ".join((nothing - limited).product_id.mapped("display_name")),
            ))
        if limited:
            messages.append(limited._get_rfq_limit_message())
        if held:
            messages.append(self.env._(
                "Nothing ordered for %(products)s: their reordering rules are snoozed or archived, or their "
                "products archived; their plan lines are removed.",
                products=held_products,
            ))
        if not_buying_products:
            messages.append(self.env._(
                "Nothing ordered for %(products)s: their reordering rules no longer buy (their route now resupplies "
                "the warehouse or makes the product; Odoo's replenishment orders them that way); their plan lines "
                "are removed.",
                products=not_buying_products,
            ))
        if no_vendor:
            messages.append(self.env._(
                "Nothing ordered for %(products)s: no vendor has a valid price for their quantity to order today. "
                "Choose a vendor on their plan lines, or add a price on the product's Purchase tab.",
                products=", ".join(no_vendor.product_id.mapped("display_name")),
            ))
        if blocked:
            messages.append(self.env._(
                "Nothing ordered for %(products)s: their vendors (%(vendors)s) are at risk and the company blocks "
                "orders to them. Choose another vendor on their plan lines, or ask a purchase manager to order.",
                products=", ".join(blocked.product_id.mapped("display_name")),
                vendors=", ".join(blocked_vendors.mapped("display_name")),
            ))
        nothing_message = " ".join(messages)
        nothing |= held | not_buying | no_vendor | blocked
        if not ordered:
            return notification_action(
                nothing_message, "warning", title=self.env._("Nothing to order"),
                next_action={"type": "ir.actions.client", "tag": "soft_reload"},
            )
        # the RFQs created or added to now (Odoo merges into an open RFQ of the vendor), not the
        # older ones of these rules
        orders = PurchaseLine.search(rfq_domain).filtered(lambda line: line.orderpoint_id in ordered.orderpoint_id and (
            line.id not in rfq_before or line.product_uom_id.compare(line.product_qty, rfq_before[line.id]) != 0
        )).order_id
        action = {
            "type": "ir.actions.act_window",
            "name": self.env._("Requests for Quotation"),
            "res_model": "purchase.order",
            "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
            "domain": [("id", "in", orders.ids)],
        }
        if not nothing:
            return action
        return notification_action(
            nothing_message, "warning", title=self.env._("Some lines had nothing to order"), next_action=action,
        )

    # --- dashboard ----------------------------------------------------------------------
    def _get_warning_action(self, name, domain):
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": "jxc.purchase.plan",
            "view_mode": "list,form",
            "views": [(self.env.ref("jxc_addon.jxc_purchase_plan_view_list_warnings").id, "list"), (False, "form")],
            "domain": domain,
        }

    @api.model
    def _get_warnings(self):
        """{dashboard tile: (list title, tile label, flag)}: the stock warnings the tiles count."""
        below, stockouts = self.env._("Below Safety Stock"), self.env._("Projected Stock-outs")
        return {
            "jxc_below_safety_stock": (below, below, "is_below_safety"),
            "jxc_projected_stockouts": (stockouts, stockouts, "is_stockout_risk"),
            "jxc_overstock_value": (self.env._("Overstock"), self.env._("Overstock Value"), "is_overstock"),
        }

    @api.model
    def _get_warning_domain(self, company, flag):
        """The lines of ``company`` a tile counts and opens: one domain for both, so the figure is
        its list's."""
        return [("company_id", "=", company.id), (flag, "=", True)]

    @api.model
    def _get_jxc_dashboard_kpis(self, company, date_from, date_to):
        """Stock warnings of ``company`` as of the last plan refresh (a snapshot: the
        period does not change them). Each value is the count/sum of its action's list. The
        dashboard only reads (its request may run on a read-only replica): when products changed
        since, the tiles say so. A tile opens its list through ``action_open_warnings``, which
        refreshes the changed lines first: the list shows the warnings as they are now."""
        changed = self.env["jxc.purchase.plan.change"]._count_planned(company)
        note = self.env._(
            "Products changed since the last refresh: %(count)s. Open the purchase plan or the stock warnings "
            "to bring these figures up to date.", count=changed,
        ) if changed else False
        Plan = self.sudo()
        open_warnings = self.env.ref("jxc_addon.jxc_purchase_plan_action_open_warnings")
        kpis = []
        for key, (name, label, field) in self._get_warnings().items():
            domain = self._get_warning_domain(company, field)
            overstock = field == "is_overstock"
            value = sum(Plan.search(domain).mapped("overstock_value")) if overstock else float(Plan.search_count(domain))
            kpis.append({
                "key": key, "label": label, "note": note, "value": value,
                "type": "monetary" if overstock else "int",
                "action": {
                    "type": "ir.actions.server", "id": open_warnings.id, "name": name,
                    "context": {"jxc_warning": key, "jxc_warning_company_id": company.id},
                },
            })
        return kpis
