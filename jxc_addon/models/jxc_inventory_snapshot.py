"""Month-end inventory snapshots: own valued quantity and value per product and warehouse.

The value is Odoo's own valuation at the month end (``jxc.stock.valuation``, the one number
every analysis rests on): what ``product.with_context(to_date=...).total_value`` gives, for
the company's own stock in its valued locations, split over the warehouses pro rata to their
quantity (stock in transit or in a valued location outside any warehouse: a row without
warehouse). A product whose history would make its stock negative is anchored on its first
later inventory adjustment and flagged (``history_state``); a warehouse below zero while the
company as a whole holds stock keeps its negative row, valued as Odoo values its quants, and is
flagged apart.

The quantity at a month end is Odoo's quantity at that instant: the quants, taking back what
was done after it. The monthly action records the month that just ended (frozen); the
back-fill rebuilds the other month ends in one pass (``_backfill``) with the values as Odoo
computes them today. Month ends are midnight in the company's timezone.
"""

import logging
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, split_every
from odoo.tools.misc import format_date

from ..tools.company_day import company_today, local_date, local_midnight_utc
from ..tools.cron_progress import run_steps
from ..tools.net_demand import from_customer_sql, to_customer_sql
from ..tools.orm_batch import bulk_create
from .jxc_stock_valuation import valued_location_sql

_logger = logging.getLogger(__name__)

BACKFILL_MONTHS = 12
# The movements of a month's row, each with its sign on the value: opening value + movements +
# receipts and other changes (other_value) = closing value.
MONTH_FLOWS = (("revaluation_value", 1), ("cogs_value", -1), ("scrap_value", -1), ("count_loss_value", -1),
               ("count_gain_value", 1), ("consumption_value", -1))


class JxcInventorySnapshot(models.Model):
    _name = "jxc.inventory.snapshot"
    _inherit = ["jxc.analysis.mixin"]
    _description = "Inventory Snapshots"
    _order = "date desc, company_id, warehouse_id, product_id"
    _check_company_auto = True

    # the month's movements after the closing value, the opening last: a row adds up (MONTH_FLOWS)
    _jxc_xlsx_fields = (
        ("date", None), ("product_id", None), ("categ_id", None), ("warehouse_id", None),
        ("quantity", None), ("uom_id", None), ("value", None), ("delivered_qty", None), ("cogs_value", None),
        ("scrap_value", None), ("count_loss_value", None), ("count_gain_value", None), ("consumption_value", None),
        ("revaluation_value", None), ("other_value", None), ("opening_value", None), ("history_state", None),
    )
    # no quantity totals: the rows are of different products, in different units
    _jxc_xlsx_totals = ("value", "cogs_value", "scrap_value", "count_loss_value", "count_gain_value",
                        "consumption_value", "revaluation_value", "other_value", "opening_value")
    # stock at the month end: a group of several months shows its last (opening: its first)
    _jxc_balance_fields = {"quantity": "last", "value": "last", "opening_quantity": "first", "opening_value": "first"}

    date = fields.Date(string="Month End", required=True, index=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    product_id = fields.Many2one("product.product", required=True, index=True, readonly=True, check_company=True)
    categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    warehouse_id = fields.Many2one(
        "stock.warehouse", index=True, readonly=True, check_company=True,
        help="Empty for own stock outside any warehouse (in transit between warehouses, other valued locations).",
    )
    quantity = fields.Float(
        string="On Hand", digits="Product Unit", readonly=True,
        help="The company's own stock at the month end: stock owned by a partner (consignment), which Odoo's "
        "on-hand quantity includes, is left out, as it is worth nothing to the company.",
    )
    uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    value = fields.Monetary(
        string="Inventory Value", readonly=True,
        help="Odoo's valuation of the company's own stock at the month end (FIFO, average or standard cost), "
        "taken at midnight in the company's timezone, when the month ends there. Odoo's own valuation at a "
        "date takes the quantities at the start of that day in UTC: a move on a month's last day can make the "
        "two differ. With FIFO and consigned stock on hand, Odoo counts the consigned units in its FIFO "
        "quantity (valuing the company's own units at older receipts); here consigned stock is worth nothing "
        "under every cost method.",
    )
    opening_quantity = fields.Float(digits="Product Unit", readonly=True)
    opening_value = fields.Monetary(readonly=True)
    delivered_qty = fields.Float(
        string="Delivered Quantity", digits="Product Unit", readonly=True,
        help="Quantity delivered to customers (sister companies included) during the month, net of customer returns.",
    )
    cogs_value = fields.Monetary(
        string="Cost of Goods Delivered", readonly=True,
        help="Stock value of the deliveries to customers (sister companies included) during the month, net of "
        "customer returns.",
    )
    scrap_value = fields.Monetary(
        string="Scrapped Value", readonly=True,
        help="Stock value scrapped during the month (报废), not part of the cost of goods delivered.",
    )
    count_loss_value = fields.Monetary(
        string="Count Losses", readonly=True,
        help="Stock value lost by inventory adjustments during the month (盘亏, 报损).",
    )
    count_gain_value = fields.Monetary(
        string="Count Gains", readonly=True,
        help="Stock value found by inventory adjustments during the month (盘盈, 报溢).",
    )
    consumption_value = fields.Monetary(
        string="Consumed Value", readonly=True,
        help="Stock value consumed during the month (moved into production locations). With the cost of "
        "goods delivered, the cost of goods used of the turnover.",
    )
    revaluation_value = fields.Monetary(
        string="Revaluation of Closed Months", readonly=True,
        help="What became known this month about the value of the previous month end, which stays "
        "as it was recorded (e.g. a vendor bill at another price or a cost change dated in a closed "
        "month).",
    )
    other_value = fields.Monetary(
        string="Receipts and Other Changes", readonly=True,
        help="Every other change of the value in the month: receipts (from vendors, sister companies and "
        "production), returns to vendors, transfers between warehouses, and value changes dated in the month "
        "(a vendor bill at another price, a landed cost, a new standard cost). With it the month adds up: "
        "opening value + revaluation - cost of goods delivered - scrapped - count losses + count gains - "
        "consumed + receipts and other changes = closing value.",
    )
    history_state = fields.Selection(
        [("anchored", "Opening Stock from a Later Adjustment"), ("incomplete", "History Incomplete"),
         ("negative", "Warehouse Below Zero")],
        string="History", readonly=True,
        help="The done moves make the stock negative at this month end (typically sales entered "
        "before the opening stock, which came later by an inventory adjustment). Anchored: the "
        "first later inventory adjustment of the warehouse is taken as the opening stock. "
        "Incomplete: even that does not cover the history; the row is left at zero. "
        "Warehouse below zero: the warehouse delivered more than it held while the company as a "
        "whole holds stock (e.g. delivered from the wrong warehouse); the row keeps its negative "
        "quantity and value, each warehouse valued at the company's value per unit as Odoo values "
        "its quants, so that the warehouses add up to Odoo's value of the product.",
    )
    is_live = fields.Boolean(string="Recorded Live", readonly=True, help="Recorded by the daily scheduled action at the month end (not back-filled).")
    # what the carrying cost of a month recorded live rests on: a later change of the settings
    # does not rewrite the months reported (back-filled months follow the settings, as their values)
    carrying_cost_rate = fields.Float(
        string="Carrying Cost Rate (%)", readonly=True, aggregator=None,
        help="The company's annual carrying cost rate when the month end was recorded.",
    )
    warehouse_fixed_cost = fields.Monetary(
        readonly=True, aggregator=None,
        help="The warehouse's monthly fixed cost when the month end was recorded.",
    )

    # stock in transit has no warehouse: one row of it per product and month end too
    _unique_row = models.UniqueIndex("(company_id, date, product_id, COALESCE(warehouse_id, 0))")

    # --- period helpers ------------------------------------------------------------
    @api.model
    def _month_end(self, day):
        return (day.replace(day=1) + relativedelta(months=1)) - timedelta(days=1)

    @api.model
    def _get_boundary(self, company, month_end):
        """UTC instant (naive) at which the month ending ``month_end`` closes in the company's timezone."""
        return local_midnight_utc(company, month_end + timedelta(days=1))

    # --- building blocks -------------------------------------------------------------
    @api.model
    def _get_quantities_at(self, company, boundary):
        return self.env["jxc.stock.valuation"]._get_quantities_at(company, boundary)

    @api.model
    def _get_deliveries_between(self, company, start, stop):
        """{(product_id, warehouse_id): (delivered qty, cogs, scrap, count losses, count gains,
        consumption)} of the valued stock in [start, stop), at the values Odoo booked on the moves.

        Cost of goods delivered: to customers, net of customer returns, as the net demand reads
        them (``tools/net_demand.py``: a sister company is a customer). Beside it, not mixed in:
        scrap (报废), count losses and gains (报损 / 报溢, inventory adjustments) and consumption
        (into production locations; what production makes is output, not a negative consumption)."""
        consumed = SQL("CASE WHEN dl.usage = 'production' THEN m.value ELSE 0 END")
        if "unbuild_id" in self.env["stock.move"]._fields:
            # with mrp, as the net demand reads it: an unbuild takes back a consumption (its
            # components come out of production into stock) and is none itself
            self.env["stock.move"].flush_model(["unbuild_id"])
            consumed = SQL(
                """CASE WHEN dl.usage = 'production' AND m.unbuild_id IS NULL THEN m.value
                        WHEN sl.usage = 'production' AND m.unbuild_id IS NOT NULL THEN -m.value ELSE 0 END""")
        rows = self.env.execute_query(SQL(
            """
            SELECT m.product_id, CASE WHEN %(src_valued)s THEN sl.warehouse_id ELSE dl.warehouse_id END,
                   SUM(CASE WHEN %(to_customer)s THEN mlq.qty WHEN %(from_customer)s THEN -mlq.qty ELSE 0 END),
                   SUM(CASE WHEN %(to_customer)s THEN m.value WHEN %(from_customer)s THEN -m.value ELSE 0 END),
                   SUM(CASE WHEN m.scrap_id IS NOT NULL THEN m.value ELSE 0 END),
                   SUM(CASE WHEN m.scrap_id IS NULL AND m.is_inventory AND dl.usage = 'inventory' THEN m.value ELSE 0 END),
                   SUM(CASE WHEN m.scrap_id IS NULL AND m.is_inventory AND sl.usage = 'inventory' THEN m.value ELSE 0 END),
                   SUM(%(consumed)s)
              FROM stock_move m
              JOIN stock_location sl ON sl.id = m.location_id
              JOIN stock_location dl ON dl.id = m.location_dest_id
              JOIN product_product pp ON pp.id = m.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
              -- the company's own units, as the quantity and value count them (not consigned stock)
              JOIN LATERAL (SELECT SUM(ml.quantity_product_uom) AS qty FROM stock_move_line ml
                             WHERE ml.move_id = m.id AND %(own)s) mlq ON TRUE
             WHERE m.state = 'done' AND m.company_id = %(company)s AND pt.is_storable
               AND m.date >= %(start)s AND m.date < %(stop)s
               AND (%(src_valued)s != %(dest_valued)s)
               AND (dl.usage IN ('inventory', 'production') OR sl.usage IN ('inventory', 'production')
                    OR %(to_customer)s OR %(from_customer)s)
             GROUP BY 1, 2
            """,
            company=company.id, own=self.env["jxc.stock.valuation"]._sql_own_line(company, "ml"), start=start, stop=stop,
            consumed=consumed,
            to_customer=to_customer_sql("dl", "m"), from_customer=from_customer_sql("sl", "m"),
            src_valued=valued_location_sql("sl"), dest_valued=valued_location_sql("dl"),
        ))
        return {(p, w): tuple(float(x or 0.0) for x in figures) for p, w, *figures in rows}

    # --- snapshot building -----------------------------------------------------------
    @api.model
    def _prepare_month_vals(self, company, month_end, live=False):
        """Snapshot rows of ``company`` for the month ending ``month_end``."""
        return self._prepare_months_vals(company, [month_end], live=live)

    @api.model
    def _prepare_months_vals(self, company, month_ends, live=False):
        """Snapshot rows of ``company`` for several month ends (see ``_iter_months_vals``)."""
        return [vals for _month_end, vals_list in self._iter_months_vals(company, month_ends, live) for vals in vals_list]

    @api.model
    def _iter_months_vals(self, company, month_ends, live=False):
        """(month end, snapshot rows) of ``company`` for several month ends, valued together
        (one read of the valued moves for all of them), the rows built month by month.
        ``live``: the rows are recorded by the monthly action (frozen)."""
        self.env.flush_all()  # the valuation reads the moves in SQL
        month_ends = sorted(month_ends)
        prev_ends = [end.replace(day=1) - timedelta(days=1) for end in month_ends]
        boundary = {end: self._get_boundary(company, end) for end in set(month_ends) | set(prev_ends)}
        # a month already recorded is frozen: the month after it opens on what was recorded,
        # and what became known since about it shows as this month's revaluation
        recorded = {}
        for prev_end in set(prev_ends) - set(month_ends):
            previous = self.search([("company_id", "=", company.id), ("date", "=", prev_end)])
            if previous:
                recorded[prev_end] = {
                    (s.product_id.id, s.warehouse_id.id or None): (s.quantity, s.value) for s in previous
                }
        quantities = {
            boundary[end]: self._get_quantities_at(company, boundary[end])
            for end in set(month_ends) | set(prev_ends)
        }
        valuation = self.env["jxc.stock.valuation"]._get_values(company, sorted(quantities), quantities)
        del quantities
        for month_end, prev_end in zip(month_ends, prev_ends, strict=True):
            rows = valuation[boundary[month_end]]
            known = {key: row[:2] for key, row in valuation[boundary[prev_end]].items()}
            opening = recorded.get(prev_end, known)
            revaluation = {
                key: company.currency_id.round(known.get(key, (0.0, 0.0))[1] - opening.get(key, (0.0, 0.0))[1])
                for key in set(known) | set(opening)
            }
            deliveries = self._get_deliveries_between(company, boundary[prev_end], boundary[month_end])
            yield month_end, self._prepare_rows(company, month_end, rows, opening, deliveries, revaluation, live)

    @api.model
    def _prepare_rows(self, company, month_end, rows, opening, deliveries, revaluation, live):
        revaluation = {key: value for key, value in revaluation.items() if value}
        keys = set(rows) | set(opening) | set(deliveries) | set(revaluation)
        products = self.env["product.product"].browse({p for p, _w in keys})
        categ = {p.id: p.categ_id.id for p in products}
        fixed = {w.id: w.jxc_monthly_fixed_cost for w in self.env["stock.warehouse"].browse({w for _p, w in keys if w})}
        vals_list = [
            {
                "company_id": company.id,
                "date": month_end,
                "product_id": pid,
                "categ_id": categ[pid],
                "warehouse_id": wid or False,
                "quantity": rows.get((pid, wid), (0.0, 0.0, False))[0],
                "value": rows.get((pid, wid), (0.0, 0.0, False))[1],
                "history_state": rows.get((pid, wid), (0.0, 0.0, False))[2],
                "opening_quantity": opening.get((pid, wid), (0.0, 0.0))[0],
                "opening_value": opening.get((pid, wid), (0.0, 0.0))[1],
                **dict(zip(
                    ("delivered_qty", "cogs_value", "scrap_value", "count_loss_value", "count_gain_value",
                     "consumption_value"),
                    deliveries.get((pid, wid), (0.0,) * 6), strict=True,
                )),
                "revaluation_value": revaluation.get((pid, wid), 0.0),
                "is_live": live,
                "carrying_cost_rate": company.jxc_carrying_cost_rate,
                "warehouse_fixed_cost": fixed.get(wid, 0.0),
            }
            for pid, wid in sorted(keys, key=lambda key: (key[0], key[1] or 0))
        ]
        for vals in vals_list:
            vals["other_value"] = self._get_other_value(company.currency_id, vals)
        return vals_list

    @api.model
    def _get_other_value(self, currency, vals):
        """What the row's movements leave unexplained between its opening and its closing value
        (receipts and other changes), from the amounts as stored (rounded), so that the row adds
        up to the cent."""
        amount = {name: currency.round(vals[name]) for name in ("value", "opening_value", *dict(MONTH_FLOWS))}
        return currency.round(
            amount["value"] - amount["opening_value"] - sum(sign * amount[name] for name, sign in MONTH_FLOWS))

    @api.model
    def _lock_history(self, company):
        """Hold ``company``'s month ends for this transaction, or refuse at once: two rebuilds,
        or a rebuild and the monthly action, at the same time would each delete and insert the
        same rows. PostgreSQL's advisory lock on (this table, the company), released at the
        end of the transaction; a transaction may take it again."""
        locked = self.env.execute_query(SQL(
            "SELECT pg_try_advisory_xact_lock(%s::regclass::oid::int, %s)", self._table, company.id,
        ))[0][0]
        if not locked:
            raise UserError(self.env._(
                "The stock history of %(company)s is being rebuilt right now, by another user or the monthly "
                "scheduled action; try again in a moment.", company=company.name,
            ))

    @api.model
    def _record_month(self, company, month_end, live=False):
        """(Re)write the snapshot of one month; running it twice gives the same rows."""
        self._lock_history(company)
        self.sudo().search([("company_id", "=", company.id), ("date", "=", month_end)]).unlink()
        return self._insert_rows(company, self._prepare_month_vals(company, month_end, live=live))

    @api.model
    def _insert_rows(self, company, vals_list):
        """Insert snapshot rows in one statement (the add-on's own table; the ORM's create took
        1.5 ms a row: two minutes for a 2,000-product back-fill). Amounts rounded to the
        company's currency as the ORM would store them."""
        currency = company.currency_id
        monetary = [name for name, field in self._fields.items() if field.type == "monetary" and field.store]
        return bulk_create(self, [
            {**vals, **{name: currency.round(vals.get(name) or 0.0) for name in monetary}} for vals in vals_list
        ])

    @api.model
    def _backfill(self, company, date_from=None, date_to=None):
        """Rebuild the month ends of ``company`` from ``date_from`` (default: its first done move)
        to the last complete month before ``date_to`` (default: today) from the done moves, with
        the values as Odoo computes them today. Months recorded live by the monthly action are
        frozen and left as they are."""
        self._lock_history(company)
        last_end = (date_to or company_today(company)).replace(day=1) - timedelta(days=1)
        date_from = date_from or self._get_first_move_date(company)
        if not date_from:
            return self.browse()
        month_ends = self._get_month_ends(date_from, last_end)
        # a month recorded by the monthly action is frozen (what was known then)
        frozen = set(self.sudo().search([
            ("company_id", "=", company.id), ("date", "in", month_ends), ("is_live", "=", True),
        ]).mapped("date"))
        month_ends = [end for end in month_ends if end not in frozen]
        if not month_ends:
            return self.browse()
        self.sudo().search([("company_id", "=", company.id), ("date", "in", month_ends)]).unlink()
        snapshot_ids = []
        # a year of month ends valued at once (the moves read once), created month by month
        # and dropped from the cache: a big company's rows never sit in memory together
        for chunk in split_every(BACKFILL_MONTHS, month_ends):
            for _month_end, vals_list in self._iter_months_vals(company, list(chunk)):
                snapshot_ids += self._insert_rows(company, vals_list).ids
        return self.browse(snapshot_ids)

    @api.model
    def _get_first_move_date(self, company):
        """Date, in the company's timezone (its month ends are), of its first done move; None
        without one."""
        self.env["stock.move"].flush_model(["state", "company_id", "date"])
        first = self.env.execute_query(SQL(
            "SELECT MIN(date) FROM stock_move WHERE state = 'done' AND company_id = %s", company.id,
        ))[0][0]
        return local_date(company, first) if first else None

    @api.model
    def _get_month_ends(self, date_from, last_end):
        """The month ends from the month of ``date_from`` to ``last_end``."""
        month_ends, month_end = [], self._month_end(date_from)
        while month_end <= last_end:
            month_ends.append(month_end)
            month_end = self._month_end(month_end + timedelta(days=1))
        return month_ends

    @api.model
    def _cron_take_snapshots(self, use_new_cursor=False):
        """Daily: record the month that just ended in each company's timezone (live), once,
        after back-filling the months before it the company has no snapshot of (no history
        yet, or months the action did not run). Idempotent. Each year of back-filled months
        is a step of its own, committed by the cron: a big company's back-fill, stopped by the
        worker's time limit, goes on where it stopped (``res.company.jxc_snapshot_date``: a
        year, or a company, without stock leaves no row to go on after). A year that fails stops
        its company's later steps: the next run tries it again, no month end is left out."""
        self.env.flush_all()
        steps = []
        for company in self.env["res.company"].search([]):
            try:
                with self.env.cr.savepoint():
                    steps += self._get_snapshot_steps(company)
            except Exception:
                _logger.exception("JXC inventory snapshot failed for company %s; skipped", company.name)
        failing = set()

        def take(step):
            company = step[0]
            if company in failing:
                # an earlier year failed: its marker stays before it, the next run starts there again
                return False
            failing.add(company)
            self._take_snapshot_step(step)
            failing.discard(company)

        run_steps(
            self.env, steps, take, _logger,
            "JXC inventory snapshot failed for company %s (month ends %s); skipped", use_new_cursor=use_new_cursor,
            describe=lambda step: (step[0].name, ", ".join(str(end) for end in step[1])),
        )

    @api.model
    def _get_snapshot_steps(self, company):
        """[(company, month ends, live)]: the month that just ended in ``company``'s timezone
        (live), unless taken, after the months before it not taken yet, a year per step."""
        month_end = company_today(company).replace(day=1) - timedelta(days=1)
        Snapshot = self.sudo()
        marker = company.sudo().jxc_snapshot_date
        if marker and marker >= month_end or Snapshot.search_count(
            [("company_id", "=", company.id), ("date", "=", month_end), ("is_live", "=", True)], limit=1,
        ):
            return []
        # a rebuild (Rebuild from Moves) before this run leaves the month rebuilt, not recorded live
        taken = [Snapshot.search([("company_id", "=", company.id), ("date", "<", month_end)], order="date desc",
                                 limit=1).date, marker]
        taken = max(day for day in taken if day) if any(taken) else None
        date_from = taken + timedelta(days=1) if taken else self._get_first_move_date(company)
        month_ends = self._get_month_ends(date_from, month_end - timedelta(days=1)) if date_from else []
        return [
            *((company, chunk, False) for chunk in split_every(BACKFILL_MONTHS, month_ends, list)),
            (company, [month_end], True),
        ]

    @api.model
    def _take_snapshot_step(self, step):
        company, month_ends, live = step
        if live:
            snapshots = self._record_month(company, month_ends[0], live=True)
        else:
            snapshots = self._backfill(company, month_ends[0], month_ends[-1] + timedelta(days=1))
        company.sudo().jxc_snapshot_date = month_ends[-1]
        return snapshots

    def action_backfill(self):
        """Rebuild the month ends of the current company not recorded by the monthly action
        from the done moves."""
        self.env["jxc.inventory.snapshot"].check_access("read")
        self.env.flush_all()
        self._backfill(self.env.company)
        return {"type": "ir.actions.client", "tag": "soft_reload"}

    # --- figures for the dashboard ---------------------------------------------------
    @api.model
    def _get_recorded_range(self, company):
        """(first, last) month end recorded for ``company`` (None, None: none yet). Every month
        end between them is recorded, a month without stock as no row (the monthly action
        back-fills the gaps): inside the range a month without rows is worth 0; outside it
        nothing is known yet (a last month end without any stock reads as not recorded)."""
        [(first, last)] = self._read_group([("company_id", "=", company.id)], [], ["date:min", "date:max"])
        return first or None, last or None

    @api.model
    def _is_recorded(self, recorded_range, month_end):
        """Whether ``month_end`` lies in ``recorded_range`` (``_get_recorded_range``)."""
        first, last = recorded_range
        return bool(first) and first <= month_end <= last

    @api.model
    def _get_period_figures(self, company, date_from, date_to):
        """Opening / closing inventory value, cost of goods delivered (``cogs``), consumed in
        production (``consumption``) and used (``used``: both, the turnover's numerator, as the
        turnover report's) of the months in [date_from, date_to). The opening is the first
        month's opening value, as recorded with it, as the turnover report's: the month end
        before may have been rebuilt since (a bill dated in it), which the period's flows did
        not start from."""
        domain = [("company_id", "=", company.id)]
        opening_date = date_from - timedelta(days=1)
        closing_date = self._month_end(date_to - timedelta(days=1))
        month_domain = domain + [("date", ">=", date_from), ("date", "<=", closing_date)]
        first_month = domain + [("date", "=", self._month_end(date_from))]
        if self.search_count(first_month, limit=1):
            opening = self._read_group(first_month, [], ["opening_value:sum"])[0][0] or 0.0
        else:
            opening = self._read_group(domain + [("date", "=", opening_date)], [], ["value:sum"])[0][0] or 0.0
        closing = self._read_group(domain + [("date", "=", closing_date)], [], ["value:sum"])[0][0] or 0.0
        cogs, consumption = self._read_group(month_domain, [], ["cogs_value:sum", "consumption_value:sum"])[0]
        cogs, consumption = cogs or 0.0, consumption or 0.0
        used = cogs + consumption
        recorded = self._get_recorded_range(company)
        days = (date_to - date_from).days
        average = (opening + closing) / 2.0
        return {
            "opening": opening, "closing": closing, "average": average, "days": days,
            "cogs": cogs, "consumption": consumption, "used": used,
            # undefined without average stock, or when nothing was used, as the turnover report's
            "turnover": used / average if average > 0 else 0.0,
            "days_of_inventory": days * average / used if used > 0 else 0.0,
            "opening_date": opening_date, "closing_date": closing_date,
            "closing_recorded": self._is_recorded(recorded, closing_date),
            "closing_pending": not recorded[1] or closing_date > recorded[1],
        }

    @api.model
    def _get_jxc_dashboard_kpis(self, company, date_from, date_to):
        figures = self._get_period_figures(company, date_from, date_to)
        value_action = self._get_list_action(
            self.env._("Inventory Value at %(date)s", date=format_date(self.env, figures["closing_date"])),
            [("company_id", "=", company.id), ("date", "=", figures["closing_date"])],
        )
        # the period's months alone, whose total is the tile: the opening stock is their first
        # month's opening value, not the rows of the month before (whose flows are not the period's)
        turnover_action = self.env["jxc.turnover.report"]._get_jxc_turnover_action(
            company, date_from, figures["closing_date"])
        notes = self._get_history_notes(company, figures)
        return [
            {"key": "inventory_value", "label": self.env._("Inventory Value"),
             "value": figures["closing"] if figures["closing_recorded"] else None,
             "type": "monetary", "action": value_action, "note": notes["value"]},
            {"key": "turnover", "label": self.env._("Inventory Turnover"),
             "value": figures["turnover"] if figures["average"] > 0 and figures["closing_recorded"] else None,
             "type": "float", "action": turnover_action, "note": notes["turnover"]},
            {"key": "days_of_inventory", "label": self.env._("Days of Inventory"),
             "value": figures["days_of_inventory"] if figures["used"] > 0 and figures["closing_recorded"] else None,
             "type": "float", "action": turnover_action,
             "note": notes["turnover"]},
        ]

    @api.model
    def _get_history_notes(self, company, figures):
        """What the value and turnover tiles must say next to their figure: products whose
        history was anchored on a later opening stock, warehouses below zero, and any figure
        below zero."""
        # only the month ends whose stock value a figure rests on: the value tile the closing
        # one; the turnover its opening (the month end before the period, whose value the first
        # month opens on) and its closing, the months between adding only flows, valued as
        # booked on the moves
        value_note = self._get_history_flag_note(company, [figures["closing_date"]])
        turnover_note = self._get_history_flag_note(company, [figures["opening_date"], figures["closing_date"]])
        if figures["closing"] < 0 or figures["opening"] < 0:
            value_note = self.env._(
                "Below zero: the done moves make the stock negative. Rebuild the snapshots from the moves.",
            )
        if figures["used"] < 0:
            turnover_note = self.env._(
                "Below zero: customer returns were worth more than the deliveries in this period.",
            )
        if figures["closing_pending"]:
            value_note = turnover_note = self.env._(
                "The month end %(date)s is not recorded yet: the monthly snapshot action records it on "
                "the first day of the next month (or Rebuild from Moves in Analysis > Inventory Snapshots).",
                date=figures["closing_date"],
            )
        return {"value": value_note, "turnover": turnover_note}

    @api.model
    def _get_history_flag_note(self, company, month_ends):
        """The note on the products flagged (``history_state``) at ``month_ends``, False if none."""
        domain = [("company_id", "=", company.id), ("date", "in", month_ends)]
        anchored = self._read_group(
            domain + [("history_state", "in", ("anchored", "incomplete"))], [], ["product_id:count_distinct"])[0][0]
        negative = self._read_group(
            domain + [("history_state", "=", "negative")], [], ["product_id:count_distinct"])[0][0]
        notes = []
        if anchored:
            notes.append(self.env._(
                "%(count)s product(s) sold before their opening stock was entered: valued from the "
                "first later inventory adjustment (see the History column).", count=anchored,
            ))
        if negative:
            notes.append(self.env._(
                "%(count)s product(s) below zero in a warehouse while the company holds stock: valued as "
                "Odoo values its quants, at the company's value per unit, the negative warehouse included "
                "(see the History column).", count=negative,
            ))
        return " ".join(notes) or False

    @api.model
    def _get_list_action(self, name, domain):
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": self._name,
            "views": [[False, "list"], [False, "pivot"], [False, "graph"]],
            "view_mode": "list,pivot,graph",
            "domain": domain,
        }
