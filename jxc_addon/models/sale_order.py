import logging
from collections import defaultdict
from datetime import date, timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_date, formatLang

from ..tools.client_defaults import check_client_defaults
from ..tools.company_day import company_today, company_tz_name, local_date
from ..tools.stock_context import without_stock_context

SHORTAGE_ACTIVITY = "jxc_addon.mail_activity_type_jxc_sale_shortage"
REPLENISH_ACTIVITY = "jxc_addon.mail_activity_type_jxc_sale_replenish"
# the confirmed orders whose lines changed in the transaction (cr.precommit.data)
RECHECK_KEY = "jxc_addon.sale_shortage_recheck"

_logger = logging.getLogger(__name__)


class LeadTimeDay(date):
    """A replenishment day counted from today by the days Odoo takes to replenish
    (``_jxc_get_lead_time_dates``), not a receipt's date: a recheck on a later day finds it a day
    later for the same shortage (``_jxc_shortage_key``)."""


class SaleOrder(models.Model):
    _inherit = "sale.order"

    jxc_shortage_warning = fields.Text(
        string="Stock Shortage", readonly=True, copy=False, groups="sales_team.group_sale_salesman",
        help="Set at confirmation, and again when the lines of the confirmed order change or the stock, receipts "
        "and deliveries of its products move, when a line needs more than the stock available by its delivery "
        "date (超售).",
    )
    # what the warning is about: its lines, their delivery days, shortages and receipts (see _jxc_shortage_key)
    jxc_shortage_key = fields.Char(
        string="Shortage Key", readonly=True, copy=False, index="btree_not_null", groups="sales_team.group_sale_salesman")

    def action_confirm(self):
        result = super().action_confirm()
        # Measured as Odoo's availability widget measures the confirmed order, from how its
        # forecast fills the new deliveries: not as it measures a quotation, whose forecast at a
        # date counts only the deliveries due by then (stock Odoo reserves at confirmation for a
        # later delivery is free there) and counts a delivery date already past with the stock of
        # that day. A client's context keys of Odoo's stock figures do not steer it.
        confirmed = without_stock_context(self.filtered(lambda o: o.state == "sale"))
        try:
            with self.env.cr.savepoint():
                shortages = confirmed._get_jxc_confirmed_shortages()
                for order in confirmed:
                    order._jxc_warn_shortages(shortages.get(order, []))
        except (UserError, AccessError):
            # an advisory check that fails (a product whose routes Odoo refuses) is logged: it must
            # not undo the confirmation Odoo made, as a failed recheck does not undo a receipt
            _logger.exception("Stock shortage check of sales orders %s failed; confirmed without a warning.",
                              ", ".join(confirmed.mapped("name")))
        return result

    @api.model_create_multi
    def create(self, vals_list):
        # the context's default_ and a user's ir.default are the client's values too
        vals_list = check_client_defaults(self, vals_list, {"jxc_shortage_warning", "jxc_shortage_key"}, lambda given: [
            self._check_jxc_shortage_write(vals) for vals in given])
        return super().create(vals_list)

    def write(self, vals):
        self._check_jxc_shortage_write(vals)
        result = super().write(vals)
        if "commitment_date" in vals:
            # the lines' delivery date: their moves may now come after it
            self._jxc_recheck_shortages_later()
        return result

    def _action_cancel(self):
        result = super()._action_cancel()
        self._jxc_clear_shortages()
        return result

    @api.model
    def _jxc_get_delivery_date(self, line):
        """When ``line`` is to be delivered, as Odoo's availability widget dates it."""
        return line.scheduled_date

    @api.model
    def _jxc_get_shortage_row(self, line, needed, available):
        """The row of ``line`` short of ``needed`` with ``available`` (in its unit), or None:
        [line, needed, available, shortage, replenishment date (set by the caller), delivery date].
        The delivery date is read here, once: the warning's key and texts are written after
        clearing the order's activities, which empties the cache it is computed in (per line,
        from the forecast)."""
        if line.product_uom_id.compare(available, needed) < 0:
            return [line, needed, available, needed - max(available, 0.0), False, self._jxc_get_delivery_date(line)]
        return None

    def _get_jxc_confirmed_shortages(self):
        """{order: [(line, needed, available, shortage, replenishment date, delivery date)]} of confirmed orders:
        the lines Odoo's availability widget flags on a confirmed order, whose deliveries are
        planned: their moves are forecast to have less than what is still to deliver
        (``free_qty_today``), or to have it only after the line's delivery date
        (``forecast_expected_date``). What is available by the delivery date, and when the rest
        comes, is read from how Odoo's forecast fills their moves (``_jxc_get_move_forecasts``):
        stock and the receipts due by then are available; the receipts it gives them after come
        then (not one Odoo gives an earlier delivery); when they do not bring all that is
        missing, the shortage comes after the days Odoo takes to replenish the warehouse from
        today. Lines made or bought to order are left out: they take no stock, the order Odoo
        makes for them brings what they sell."""
        lines = self.order_line.filtered(
            lambda line: line.state == "sale" and line.display_qty_widget and not line.is_mto)
        # computed now: their moves (and those of the other orders) changed since any earlier read
        lines.invalidate_recordset(["qty_available_today", "free_qty_today", "scheduled_date", "forecast_expected_date"])
        flagged = lines.filtered(lambda line: (
            line.forecast_expected_date and line.forecast_expected_date > line.scheduled_date
            or line.product_uom_id.compare(line.free_qty_today, line.qty_to_deliver) < 0))
        moves_of = {line: line.move_ids.filtered(
            lambda move, line=line: move.product_id == line.product_id and move.state not in ("done", "cancel"))
            for line in flagged}
        fills = self._jxc_get_move_forecasts(self.env["stock.move"].union(*moves_of.values()))
        result = {}
        ordered_today = []  # (row, line, quantity ordered today in the product's unit, last receipt day): dated below, all at once
        for line in flagged:
            product_uom, company = line.product_id.uom_id, line.order_id.company_id
            in_time, later, last, unfilled = self._jxc_split_forecast(
                [fill for move in moves_of[line] for fill in fills.get(move, [])], self._jxc_get_delivery_date(line))
            needed = line.qty_to_deliver
            row = self._jxc_get_shortage_row(line, needed, product_uom._compute_quantity(in_time, line.product_uom_id))
            if not row:
                continue
            # what no receipt brings (Odoo's forecast leaves it unfilled, or no move asks for it):
            # ordered today; the line is served once that and the receipts after its date are in
            rest = max(unfilled, line.product_uom_id._compute_quantity(needed, product_uom) - in_time - later)
            if product_uom.compare(rest, 0.0) > 0:
                ordered_today.append((row, line, rest, last and local_date(company, last)))
            else:
                row[4] = local_date(company, last)
            result.setdefault(line.order_id, []).append(row)
        dates = self._jxc_get_lead_time_dates([
            (line.product_id, line.warehouse_id, line.order_id.company_id, quantity)
            for _row, line, quantity, _received in ordered_today
        ])
        for (row, _line, _quantity, received), day in zip(ordered_today, dates, strict=True):
            row[4] = max(day, received) if day and received else day
        return result

    @api.model
    def _jxc_get_move_forecasts(self, moves):
        """{move: [(quantity, receipt date or None, filled)]}: how Odoo's forecast fills each of
        the outgoing ``moves`` (its forecasted report's reconciliation, which their
        ``forecast_availability`` sums), in the product's unit: from stock (reserved, on hand,
        elsewhere in the warehouse: no date), from a receipt (its date), or not at all. A move
        Odoo reserved in full has its stock; one of no warehouse is not filled."""
        result = {}
        Report = self.env["stock.forecasted_product_product"].sudo()
        outgoing = moves.filtered(lambda move: move.state in ("waiting", "confirmed", "partially_available"))
        for move in moves - outgoing:
            result[move] = [(move.product_qty, None, move.state == "assigned")]
        for warehouse, warehouse_moves in outgoing.grouped(lambda move: move.location_id.warehouse_id).items():
            if not warehouse:
                for move in warehouse_moves:
                    result[move] = [(move.product_qty, None, False)]
                continue
            locations = self.env["stock.location"]._search([("id", "child_of", warehouse.view_location_id.id)])
            for location, location_moves in warehouse_moves.grouped("location_id").items():
                report_lines = Report._get_report_lines(False, location_moves.product_id.ids, locations, location,
                                                        read=False)
                for report_line in report_lines:
                    move = report_line.get("move_out")
                    if move and move in location_moves and report_line["quantity"]:
                        move_in = report_line.get("move_in")
                        result.setdefault(move, []).append(
                            (report_line["quantity"], move_in.date if move_in else None, report_line["replenishment_filled"]))
        return result

    @api.model
    def _jxc_split_forecast(self, fills, delivery):
        """(what ``fills`` (``_jxc_get_move_forecasts`` of a line's moves) bring by ``delivery``,
        what receipts bring after it, the last of their dates, what nothing brings), in the
        product's unit."""
        in_time = later = unfilled = 0.0
        last = None
        for quantity, received, filled in fills:
            if not filled:
                unfilled += quantity
            elif received and received > delivery:
                later += quantity
                last = max(last, received) if last else received
            else:
                in_time += quantity
        return in_time, later, last, unfilled

    @api.model
    def _check_jxc_shortage_write(self, vals):
        """The warning is the availability check's (which writes it as superuser): a
        salesperson's RPC may not clear or change it (Odoo does not enforce readonly)."""
        if {"jxc_shortage_warning", "jxc_shortage_key"}.intersection(vals) and not self.env.su:
            raise AccessError(self.env._(
                "The stock shortage warning of a sales order is set by the availability check when the order is "
                "confirmed or changed; it cannot be written. Change the order's lines or delivery date instead."))

    def _jxc_recheck_shortages_later(self, cause="order"):
        """Recheck the warnings of these orders once, before the transaction commits: a save
        of the order form writes its changed lines one by one. ``cause``: "order" (its lines
        or delivery date changed) or "stock" (stock of its products moved); a change of the
        order in the same transaction is what the recheck says."""
        orders = self.filtered(lambda order: order.state == "sale")
        if not orders:
            return
        data = self.env.cr.precommit.data
        if RECHECK_KEY not in data:
            data[RECHECK_KEY] = {}
            env = self.env

            @self.env.cr.precommit.add
            def recheck():
                # a recheck that fails (a product whose routes Odoo refuses) is logged: it must not
                # undo the change that asked for it (a receipt validated, a line saved)
                causes = data.pop(RECHECK_KEY, {})
                # as the system, in the name of who saved: the orders warned of the products whose
                # stock moved are anyone's, which the user who moved it may not read
                orders = env["sale.order"].sudo().browse(sorted(causes)).exists()

                def attempt(part, kind, log):
                    try:
                        with env.cr.savepoint():
                            part._jxc_recheck_shortages(kind)
                        return True
                    except (UserError, AccessError):
                        if log:
                            _logger.exception("Stock shortage recheck of sales order %s failed; its warning is "
                                              "kept.", part.name)
                        return False

                for kind in ("order", "stock"):
                    batch = orders.filtered(lambda order, kind=kind: causes[order.id] == kind)
                    # together: one forecast of each warehouse for all of them (a receipt of a
                    # product many orders lack); when one fails, each alone, the others go on
                    if len(batch) > 1 and attempt(batch, kind, log=False):
                        continue
                    for order in batch:
                        attempt(order, kind, log=True)
        for order_id in orders.ids:
            if cause == "order" or order_id not in data[RECHECK_KEY]:
                data[RECHECK_KEY][order_id] = cause

    @api.model
    def _jxc_recheck_warned_orders(self, products):
        """Recheck, before the transaction commits, the confirmed orders warned of a shortage
        of ``products`` (who moved the stock may not read sales orders)."""
        if products:
            self.sudo().search([
                ("jxc_shortage_key", "!=", False), ("state", "=", "sale"), ("order_line.product_id", "in", products.ids),
            ])._jxc_recheck_shortages_later("stock")

    def _jxc_recheck_shortages(self, cause="order"):
        """After its lines changed (a line added, a quantity, product or unit changed), or the
        stock of its products moved (``cause`` "stock"), the warnings of a confirmed order follow
        what Odoo's widget flags now: replaced when the lines short or their quantities differ,
        removed once no line is short."""
        orders = without_stock_context(self.filtered(lambda order: order.state == "sale"))
        shortages = orders._get_jxc_confirmed_shortages()
        for order in orders:
            rows = shortages.get(order, [])
            if self._jxc_shortage_key(rows) != (order.sudo().jxc_shortage_key or ""):
                order._jxc_warn_shortages(rows, changed=cause)

    @api.model
    def _jxc_shortage_key(self, rows):
        """The short lines, by line, with their delivery days and shortages: what a recheck
        warns again when it changes. Not what they need and have available (a partial delivery
        lowers both, the shortage stays), nor a replenishment day the lead time counts from
        today (a recheck on a later day finds the same shortage); but a receipt's day, or none
        known: a purchase cancelled, rescheduled or confirmed changes when the line is served,
        as Odoo's widget shows it."""
        def replenished(day):
            return "" if isinstance(day, LeadTimeDay) else ":%s" % (day or "unknown")

        return ";".join(
            "%s:%s:%s%s" % (line.id, local_date(line.order_id.company_id, delivery), line.product_uom_id.round(shortage),
                            replenished(replenishment))
            for line, _needed, _available, shortage, replenishment, delivery in sorted(rows, key=lambda row: row[0].id)
        )

    @api.model
    def _jxc_get_lead_time_dates(self, requests):
        """For each of ``requests`` [(product, warehouse, company, quantity)], in their order:
        the day ``quantity`` of ``product`` ordered today arrives in ``warehouse`` (the days
        Odoo takes to replenish it, with the vendor line it would price the quantity with),
        False when unknown (no vendor price valid today). The reordering rules' routes and
        vendors of all of them are searched at once (the engine's ``_replenishment_finder``),
        not once per short line."""
        engine = self.env["jxc.planning.engine"]
        pairs_of = defaultdict(list)
        for product, warehouse, company, _quantity in requests:
            pairs_of[warehouse.company_id, company_today(company)].append((product, warehouse))
        lead_time_of = {key: engine._replenishment_finder(key[0], pairs, key[1]) for key, pairs in pairs_of.items()}
        dates = []
        for product, warehouse, company, quantity in requests:
            today = company_today(company)
            days = lead_time_of[warehouse.company_id, today](product, warehouse, quantity)
            day = today + timedelta(days=days) if days is not None else None
            dates.append(LeadTimeDay(day.year, day.month, day.day) if day else False)
        return dates

    def _jxc_warn_shortages(self, shortages, changed=False):
        """Tell the salesperson (and with the company's setting the buyers) what the order
        lacks; a new confirmation, or a recheck of the confirmed order (``changed``: "order"
        after a change of it, "stock" after stock moved), replaces the warnings of an earlier one."""
        self.ensure_one()
        # not raised if an administrator deleted the type: Odoo schedules its default type then
        shortage_type_id = self.env["ir.model.data"]._xmlid_to_res_id(SHORTAGE_ACTIVITY, raise_if_not_found=False)
        # who had the to-do: still theirs when the stock moved
        previous = self.sudo().activity_ids.filtered(
            lambda activity: activity.activity_type_id.id == shortage_type_id).user_id[:1]
        self._jxc_clear_shortages()
        if not shortages:
            return
        # The order's own record, also when a customer's payment confirms it: in the language of
        # its salesperson (else the company's); each to-do in its recipient's.
        record = self._jxc_for_reader(self.user_id or self.company_id.partner_id)
        lines = record._jxc_shortage_lines(shortages)
        self.sudo().write({"jxc_shortage_warning": "\n".join(lines), "jxc_shortage_key": self._jxc_shortage_key(shortages)})
        note = Markup("<br/>").join(lines)
        # The salesperson, or whoever confirmed or changed the order: not OdooBot, nor the customer
        # or the public user a paid web order is confirmed as, who is not the author of the internal
        # note either, nor whoever moved the stock (a warehouse keeper validating a receipt).
        confirmer = self.env.user if changed != "stock" else self.env["res.users"]
        author = confirmer.partner_id if confirmer and not confirmer.share else self.env.ref("base.partner_root")
        titles = {
            False: record.env._("Stock shortage at confirmation:"),
            "order": record.env._("Stock shortage after a change of the order:"),
            "stock": record.env._("Stock shortage after stock moved:"),
        }
        record.message_post(body=Markup("%s<br/>%s") % (titles[changed], note), author_id=author.id)
        if changed == "stock":
            user = self.user_id or previous
        else:
            user = self.user_id or (confirmer if not confirmer._is_superuser() and not confirmer.share else None)
        if user:
            order = self._jxc_for_reader(user)
            order.activity_schedule(
                SHORTAGE_ACTIVITY, summary=order.env._("Not enough stock for this order (超售)"),
                note=Markup("<br/>").join(order._jxc_shortage_lines(shortages)), user_id=user.id)
        if self.company_id.jxc_shortage_notify_purchase:
            for buyer, rows in self._jxc_get_replenishers(shortages).items():
                order = self._jxc_for_reader(buyer)
                order.activity_schedule(
                    REPLENISH_ACTIVITY, summary=order.env._("Replenish for sales order %(order)s", order=self.name),
                    note=Markup("<br/>").join(order._jxc_shortage_lines(rows)), user_id=buyer.id,
                )

    def _jxc_get_replenishers(self, shortages):
        """{user: the rows of ``shortages`` theirs to replenish}: the vendor's buyer where the
        warehouse buys, where another warehouse resupplies it (or it makes the product) the
        product's responsible; the responsible too when the buyer works for another company
        only or may not open the order (a purchase user without sales rights)."""
        self.ensure_one()
        engine = self.env["jxc.planning.engine"]
        # the routes and vendors of the reordering rules of all the rows at once
        pairs_of = defaultdict(list)
        for line, *_values in shortages:
            pairs_of[line.warehouse_id.company_id].append((line.product_id, line.warehouse_id))
        finders = {company: engine._replenishment_finder(company, pairs) for company, pairs in pairs_of.items()}
        rows_of = defaultdict(list)
        for row in shortages:
            line, _needed, _available, shortage, _replenishment, _delivery = row
            product = line.product_id.with_company(self.company_id)
            quantity = line.product_uom_id._compute_quantity(shortage, product.uom_id)
            seller = finders[line.warehouse_id.company_id].vendor_line(product, line.warehouse_id, quantity)
            for user in (seller.partner_id.buyer_id, product.responsible_id):
                # judged in the order's company: the companies the confirming user ticked may
                # not be theirs (Odoo refuses a user a company they lack)
                if user and self.company_id in user.company_ids and self.with_user(user).with_context(
                        allowed_company_ids=self.company_id.ids).has_access("read"):
                    rows_of[user].append(row)
                    break
        return rows_of

    def _jxc_for_reader(self, reader):
        """The order in the language and timezone of ``reader`` (a user or a partner), the
        company's timezone when they have none: the delivery dates as their screen shows them."""
        return self.with_context(lang=reader.lang, tz=reader.tz or company_tz_name(self.company_id))

    def _jxc_shortage_lines(self, shortages):
        """One line per short order line, in the environment's language, formats and timezone."""
        return [
            self.env._(
                "%(product)s: %(needed)s %(unit)s to deliver, %(available)s available by %(date)s, short of "
                "%(short)s; expected replenishment %(replenishment)s.",
                product=line.with_env(self.env).product_id.display_name,
                unit=line.with_env(self.env).product_uom_id.name,
                needed=self._jxc_format_qty(needed), available=self._jxc_format_qty(available),
                short=self._jxc_format_qty(shortage),
                date=format_date(self.env, fields.Datetime.context_timestamp(self, delivery).date()),
                replenishment=format_date(self.env, replenishment) if replenishment
                else self._jxc_unknown_replenishment(line),
            )
            for line, needed, available, shortage, replenishment, delivery in shortages
        ]

    def _jxc_unknown_replenishment(self, line):
        """What the warning says of a short line without replenishment date."""
        if self._jxc_is_kit_line(line):
            return self.env._(
                "unknown: a component of this kit has no vendor price valid today; add one on the component's "
                "Purchase tab")
        return self.env._("unknown: no vendor price of this product is valid today; add one on its Purchase tab")

    @api.model
    def _jxc_is_kit_line(self, line):
        """Whether ``line`` sells a kit, measured from its components (jxc_mrp, with mrp)."""
        return False

    def _jxc_format_qty(self, qty):
        return formatLang(self.env, qty, dp="Product Unit")

    def _jxc_clear_shortages(self):
        """Drop the shortage warnings and activities of the orders (cancelled, or confirmed anew)."""
        self.sudo().filtered("jxc_shortage_warning").write({"jxc_shortage_warning": False, "jxc_shortage_key": False})
        # The system's own activities, whoever they were given to (a buyer's to-do included).
        self.sudo().activity_unlink([SHORTAGE_ACTIVITY, REPLENISH_ACTIVITY])
