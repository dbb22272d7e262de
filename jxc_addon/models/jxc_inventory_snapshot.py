"""Month-end inventory snapshots: on-hand quantity and value per product and warehouse.

Valuation basis (Odoo 19 has no stock.valuation.layer; stock_account keeps the value on
``stock.move.value`` for moves entering (``is_in``) or leaving (``is_out``) the company's
valued locations, and the standard-price history in ``product.value``):

* FIFO and AVCO products: the *book value* of the product at the month end,
  ``sum(value of valued incoming moves) - sum(value of valued outgoing moves)`` up to that
  instant. Outgoing moves are valued by stock_account at their FIFO / average cost, so this
  is what ``product.total_value`` reports for those cost methods.
* Standard-price products: quantity x the standard price in force at the month end (the last
  ``product.value`` price record before it, as ``_get_standard_price_at_date`` does).
* The company value of a product is spread over its warehouses pro rata to their quantity.

Quantities are the done move lines into / out of the internal locations of each warehouse.
A *live* snapshot (the monthly cron) starts from the quants and takes back the lines done
after the month end; the back-fill rebuilds the same figures from the done moves alone, so
both must agree (tested). Month ends are midnight in the company's timezone.
"""

import logging
from datetime import datetime, time, timedelta

import pytz
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)


class JxcInventorySnapshot(models.Model):
    _name = "jxc.inventory.snapshot"
    _inherit = ["jxc.analysis.mixin"]
    _description = "JXC Month-end Inventory Snapshot"
    _order = "date desc, company_id, warehouse_id, product_id"
    _check_company_auto = True

    _jxc_xlsx_fields = (
        ("date", None), ("product_id", None), ("categ_id", None), ("warehouse_id", None),
        ("quantity", None), ("value", None), ("delivered_qty", None), ("cogs_value", None),
    )
    _jxc_xlsx_totals = ("quantity", "value", "delivered_qty", "cogs_value")

    date = fields.Date(string="Month End", required=True, index=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    product_id = fields.Many2one("product.product", required=True, index=True, readonly=True, check_company=True)
    categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", required=True, index=True, readonly=True, check_company=True)
    quantity = fields.Float(string="On Hand", digits="Product Unit", readonly=True)
    value = fields.Monetary(string="Inventory Value", currency_field="currency_id", readonly=True)
    opening_quantity = fields.Float(digits="Product Unit", readonly=True)
    opening_value = fields.Monetary(currency_field="currency_id", readonly=True)
    delivered_qty = fields.Float(
        string="Delivered Quantity", digits="Product Unit", readonly=True,
        help="Quantity delivered to customers during the month, net of customer returns.",
    )
    cogs_value = fields.Monetary(
        string="Cost of Goods Delivered", currency_field="currency_id", readonly=True,
        help="Stock value of the deliveries to customers during the month, net of customer returns.",
    )
    is_live = fields.Boolean(string="Recorded Live", readonly=True, help="Taken by the monthly scheduled action (not back-filled).")

    _unique_row = models.UniqueIndex("(company_id, date, product_id, warehouse_id)")

    @api.model
    def _get_jxc_xlsx_title(self):
        return self.env._("Inventory Snapshots")

    # --- period helpers ------------------------------------------------------------
    @api.model
    def _month_end(self, day):
        return (day.replace(day=1) + relativedelta(months=1)) - timedelta(days=1)

    @api.model
    def _get_boundary(self, company, month_end):
        """UTC instant (naive) at which the month ending ``month_end`` closes in the company's timezone."""
        tz = pytz.timezone(company.partner_id.tz or "UTC")
        local = tz.localize(datetime.combine(month_end + timedelta(days=1), time.min))
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    @api.model
    def _company_today(self, company):
        tz = pytz.timezone(company.partner_id.tz or "UTC")
        return datetime.now(pytz.utc).astimezone(tz).date()

    # --- SQL building blocks ---------------------------------------------------------
    @api.model
    def _sql_warehouse_lines(self, company, date_condition):
        """Signed done quantities (product UoM) per product and warehouse, storable products only."""
        return SQL(
            """
            SELECT ml.product_id, dl.warehouse_id, ml.quantity_product_uom AS qty
              FROM stock_move_line ml
              JOIN stock_location dl ON dl.id = ml.location_dest_id
              JOIN stock_location sl ON sl.id = ml.location_id
              JOIN product_product pp ON pp.id = ml.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
             WHERE ml.state = 'done' AND ml.company_id = %(company)s AND pt.is_storable
               AND dl.usage = 'internal' AND dl.warehouse_id IS NOT NULL
               AND (sl.usage != 'internal' OR sl.warehouse_id IS DISTINCT FROM dl.warehouse_id)
               AND %(cond)s
            UNION ALL
            SELECT ml.product_id, sl.warehouse_id, -ml.quantity_product_uom
              FROM stock_move_line ml
              JOIN stock_location dl ON dl.id = ml.location_dest_id
              JOIN stock_location sl ON sl.id = ml.location_id
              JOIN product_product pp ON pp.id = ml.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
             WHERE ml.state = 'done' AND ml.company_id = %(company)s AND pt.is_storable
               AND sl.usage = 'internal' AND sl.warehouse_id IS NOT NULL
               AND (dl.usage != 'internal' OR dl.warehouse_id IS DISTINCT FROM sl.warehouse_id)
               AND %(cond)s
            """,
            company=company.id,
            cond=date_condition,
        )

    @api.model
    def _get_quantities_at(self, company, boundary, live=False):
        """{(product_id, warehouse_id): qty} on hand at ``boundary``.

        ``live``: start from the quants and take back what was done since ``boundary``;
        otherwise add up every done move line before ``boundary``.
        """
        if live:
            query = SQL(
                """
                SELECT product_id, warehouse_id, SUM(qty) FROM (
                    SELECT q.product_id, l.warehouse_id, q.quantity AS qty
                      FROM stock_quant q JOIN stock_location l ON l.id = q.location_id
                     WHERE q.company_id = %(company)s AND l.usage = 'internal' AND l.warehouse_id IS NOT NULL
                    UNION ALL
                    SELECT product_id, warehouse_id, -qty FROM (%(later)s) later
                ) t GROUP BY product_id, warehouse_id
                """,
                company=company.id,
                later=self._sql_warehouse_lines(company, SQL("ml.date >= %s", boundary)),
            )
        else:
            query = SQL(
                "SELECT product_id, warehouse_id, SUM(qty) FROM (%s) t GROUP BY product_id, warehouse_id",
                self._sql_warehouse_lines(company, SQL("ml.date < %s", boundary)),
            )
        rounding = 10 ** -self.env["decimal.precision"].precision_get("Product Unit")
        return {(p, w): qty for p, w, qty in self.env.execute_query(query) if abs(qty or 0.0) >= rounding / 2}

    @api.model
    def _get_values_at(self, company, boundary, quantities):
        """{(product_id, warehouse_id): value} for ``quantities`` at ``boundary`` (see the module docstring)."""
        if not quantities:
            return {}
        products = self.env["product.product"].browse({p for p, _w in quantities}).with_company(company)
        standard_ids = products.filtered(lambda p: p.cost_method == "standard").ids
        standard = set(standard_ids)  # built once: a set per product made a back-fill quadratic
        book_ids = [pid for pid in products.ids if pid not in standard]
        unit = {}
        if standard_ids:
            # standard price in force at the boundary; before any record, the first one; else the current price
            rows = self.env.execute_query(SQL(
                """
                SELECT pp.id,
                       COALESCE(
                         (SELECT v.value FROM product_value v
                           WHERE v.product_id = pp.id AND v.company_id = %(company)s AND v.move_id IS NULL
                             AND v.lot_id IS NULL AND v.date <= %(boundary)s
                           ORDER BY v.date DESC, v.id DESC LIMIT 1),
                         (SELECT v.value FROM product_value v
                           WHERE v.product_id = pp.id AND v.company_id = %(company)s AND v.move_id IS NULL
                             AND v.lot_id IS NULL
                           ORDER BY v.date, v.id LIMIT 1),
                         (pp.standard_price ->> %(company_key)s)::numeric, 0)
                  FROM product_product pp WHERE pp.id = ANY(%(ids)s)
                """,
                company=company.id, boundary=boundary, company_key=str(company.id), ids=standard_ids,
            ))
            unit.update({pid: float(price) for pid, price in rows})
        book = {}
        if book_ids:
            rows = self.env.execute_query(SQL(
                """
                SELECT m.product_id,
                       SUM(CASE WHEN m.is_in THEN m.value ELSE 0 END) - SUM(CASE WHEN m.is_out THEN m.value ELSE 0 END)
                  FROM stock_move m
                 WHERE m.state = 'done' AND m.company_id = %(company)s AND m.date < %(boundary)s
                   AND (m.is_in OR m.is_out) AND m.product_id = ANY(%(ids)s)
                 GROUP BY m.product_id
                """,
                company=company.id, boundary=boundary, ids=book_ids,
            ))
            book = {pid: float(value or 0.0) for pid, value in rows}
        company_qty = {}
        for (pid, _wid), qty in quantities.items():
            company_qty[pid] = company_qty.get(pid, 0.0) + qty
        values = {}
        for (pid, wid), qty in quantities.items():
            if pid in unit:
                values[pid, wid] = company.currency_id.round(qty * unit[pid])
            elif company_qty[pid]:
                values[pid, wid] = company.currency_id.round(book.get(pid, 0.0) * qty / company_qty[pid])
            else:
                values[pid, wid] = 0.0
        return values

    @api.model
    def _get_deliveries_between(self, company, start, stop):
        """{(product_id, warehouse_id): (qty, cost)} delivered to customers in [start, stop), net of returns."""
        rows = self.env.execute_query(SQL(
            """
            SELECT m.product_id, COALESCE(sl.warehouse_id, dl.warehouse_id),
                   SUM(CASE WHEN dl.usage = 'customer' THEN mlq.qty ELSE -mlq.qty END),
                   SUM(CASE WHEN dl.usage = 'customer' THEN m.value ELSE -m.value END)
              FROM stock_move m
              JOIN stock_location sl ON sl.id = m.location_id
              JOIN stock_location dl ON dl.id = m.location_dest_id
              JOIN product_product pp ON pp.id = m.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
              JOIN LATERAL (SELECT SUM(ml.quantity_product_uom) AS qty FROM stock_move_line ml
                             WHERE ml.move_id = m.id) mlq ON TRUE
             WHERE m.state = 'done' AND m.company_id = %(company)s AND pt.is_storable
               AND m.date >= %(start)s AND m.date < %(stop)s
               AND ((sl.usage = 'internal' AND sl.warehouse_id IS NOT NULL AND dl.usage = 'customer')
                 OR (dl.usage = 'internal' AND dl.warehouse_id IS NOT NULL AND sl.usage = 'customer'))
             GROUP BY 1, 2
            """,
            company=company.id, start=start, stop=stop,
        ))
        return {(p, w): (float(q or 0.0), float(v or 0.0)) for p, w, q, v in rows}

    # --- snapshot building -----------------------------------------------------------
    @api.model
    def _prepare_month_vals(self, company, month_end, live=False):
        """Snapshot rows of ``company`` for the month ending ``month_end``."""
        prev_end = month_end.replace(day=1) - timedelta(days=1)
        boundary = self._get_boundary(company, month_end)
        prev_boundary = self._get_boundary(company, prev_end)
        quantities = self._get_quantities_at(company, boundary, live=live)
        values = self._get_values_at(company, boundary, quantities)
        previous = self.search([("company_id", "=", company.id), ("date", "=", prev_end)]) if live else self.browse()
        if previous:
            opening = {(s.product_id.id, s.warehouse_id.id): (s.quantity, s.value) for s in previous}
        else:
            prev_quantities = self._get_quantities_at(company, prev_boundary)
            prev_values = self._get_values_at(company, prev_boundary, prev_quantities)
            opening = {key: (qty, prev_values[key]) for key, qty in prev_quantities.items()}
        deliveries = self._get_deliveries_between(company, prev_boundary, boundary)
        keys = set(quantities) | set(opening) | set(deliveries)
        products = self.env["product.product"].browse({p for p, _w in keys})
        categ = {p.id: p.categ_id.id for p in products}
        return [
            {
                "company_id": company.id,
                "date": month_end,
                "product_id": pid,
                "categ_id": categ[pid],
                "warehouse_id": wid,
                "quantity": quantities.get((pid, wid), 0.0),
                "value": values.get((pid, wid), 0.0),
                "opening_quantity": opening.get((pid, wid), (0.0, 0.0))[0],
                "opening_value": opening.get((pid, wid), (0.0, 0.0))[1],
                "delivered_qty": deliveries.get((pid, wid), (0.0, 0.0))[0],
                "cogs_value": deliveries.get((pid, wid), (0.0, 0.0))[1],
                "is_live": live,
            }
            for pid, wid in sorted(keys)
        ]

    @api.model
    def _record_month(self, company, month_end, live=False):
        """(Re)write the snapshot of one month; running it twice gives the same rows."""
        self.sudo().search([("company_id", "=", company.id), ("date", "=", month_end)]).unlink()
        return self.sudo().create(self._prepare_month_vals(company, month_end, live=live))

    @api.model
    def _backfill(self, company, date_from=None, date_to=None):
        """Rebuild the month ends of ``company`` from ``date_from`` (default: its first done move)
        to the last complete month before ``date_to`` (default: today) from the done moves."""
        last_end = (date_to or self._company_today(company)).replace(day=1) - timedelta(days=1)
        if not date_from:
            self.env["stock.move"].flush_model(["date", "state", "company_id"])
            first = self.env.execute_query(SQL(
                "SELECT MIN(date) FROM stock_move WHERE state = 'done' AND company_id = %s", company.id,
            ))[0][0]
            if not first:
                return self.browse()
            date_from = first.date()
        month_end = self._month_end(date_from)
        snapshots = self.browse()
        while month_end <= last_end:
            snapshots |= self._record_month(company, month_end)
            month_end = self._month_end(month_end + timedelta(days=1))
        return snapshots

    @api.model
    def _cron_take_snapshots(self, use_new_cursor=False):
        """Monthly: record the month that just ended for every company (live), and back-fill
        the months before it when the company has no history yet. Idempotent."""
        self.env.flush_all()
        companies = self.env["res.company"].search([])
        if use_new_cursor:
            self.env["ir.cron"]._commit_progress(remaining=len(companies))
        for company in companies:
            try:
                with self.env.cr.savepoint():
                    self._take_company_snapshot(company)
            except Exception:
                _logger.exception("JXC inventory snapshot failed for company %s; skipped", company.name)
            if use_new_cursor and not self.env["ir.cron"]._commit_progress(1):
                break

    @api.model
    def _take_company_snapshot(self, company):
        month_end = self._company_today(company).replace(day=1) - timedelta(days=1)
        domain = [("company_id", "=", company.id)]
        if self.sudo().search_count(domain + [("date", "=", month_end)], limit=1):
            return self.browse()
        last = self.sudo().search(domain, order="date desc", limit=1)
        if last:
            gap_from = last.date + timedelta(days=1)
            if gap_from < month_end.replace(day=1):
                self._backfill(company, gap_from, month_end.replace(day=1))
        else:
            self._backfill(company, date_to=month_end.replace(day=1))
        return self._record_month(company, month_end, live=True)

    def action_backfill(self):
        """Rebuild every month end of the current company from the done moves."""
        self.env["jxc.inventory.snapshot"].check_access("read")
        self.env.flush_all()
        self._backfill(self.env.company)
        return {"type": "ir.actions.client", "tag": "soft_reload"}

    # --- figures for the dashboard ---------------------------------------------------
    @api.model
    def _get_period_figures(self, company, date_from, date_to):
        """Opening / closing inventory value and COGS of the months in [date_from, date_to)."""
        domain = [("company_id", "=", company.id)]
        opening_date = date_from - timedelta(days=1)
        closing_date = self._month_end(date_to - timedelta(days=1))
        month_domain = domain + [("date", ">=", date_from), ("date", "<=", closing_date)]
        opening = self._read_group(domain + [("date", "=", opening_date)], [], ["value:sum"])[0][0]
        closing = self._read_group(domain + [("date", "=", closing_date)], [], ["value:sum"])[0][0]
        cogs = self._read_group(month_domain, [], ["cogs_value:sum"])[0][0]
        days = (date_to - date_from).days
        average = (opening + closing) / 2.0
        return {
            "opening": opening, "closing": closing, "average": average, "cogs": cogs, "days": days,
            "turnover": cogs / average if average else 0.0,
            "days_of_inventory": days * average / cogs if cogs else 0.0,
            "opening_date": opening_date, "closing_date": closing_date,
        }

    @api.model
    def _get_jxc_dashboard_kpis(self, company, date_from, date_to):
        figures = self._get_period_figures(company, date_from, date_to)
        value_action = self._get_list_action(
            self.env._("Inventory Value at %(date)s", date=figures["closing_date"]),
            [("company_id", "=", company.id), ("date", "=", figures["closing_date"])],
        )
        turnover_action = self._get_list_action(
            self.env._("Turnover %(start)s to %(end)s", start=date_from, end=figures["closing_date"]),
            [("company_id", "=", company.id), "|", ("date", "=", figures["opening_date"]),
             "&", ("date", ">=", date_from), ("date", "<=", figures["closing_date"])],
        )
        return [
            {"key": "inventory_value", "label": self.env._("Inventory Value"), "value": figures["closing"],
             "type": "monetary", "action": value_action},
            {"key": "turnover", "label": self.env._("Inventory Turnover"), "value": figures["turnover"],
             "type": "float", "action": turnover_action},
            {"key": "days_of_inventory", "label": self.env._("Days of Inventory"),
             "value": figures["days_of_inventory"], "type": "float", "action": turnover_action},
        ]

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
