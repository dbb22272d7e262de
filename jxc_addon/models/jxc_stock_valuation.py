"""What the stock is worth: Odoo 19's own valuation at an instant, for many products at once.

Odoo's valuation at a date is ``product.with_context(to_date=...).total_value``
(stock_account ``product.py``): standard-price products at the standard price in force then
(``_get_standard_price_at_date``), average-cost products by replaying their valued moves
(``_run_avco``), FIFO products from the latest receipts that cover the quantity
(``_run_fifo``). Each incoming move counts at its value *as known at that date*
(``stock.move._get_value(at_date=...)``: vendor bills, manual values and landed costs dated
later are left out). Valued stock is the company's own stock in its internal and transit
locations (``stock.location._should_be_valued``); stock owned by a partner (consignment) is
worth nothing to the company.

Odoo computes this product by product with several queries per product and per incoming
move: a month-end back-fill of thousands of products would take hours. This model replays
the same rules for all products and all month ends in a few queries: one read of the valued
moves, one of the manual cost records; only the incoming moves whose value changed *after*
the instant (a later bill, a later manual value) are asked to Odoo's own
``_get_value(at_date=...)``. ``tests/test_analysis_valuation.py`` proves equality with
``total_value`` to the cent, flow by flow.

Lot-valued products (each lot its own cost) are few and valued by Odoo itself, lot by lot.

The stock value now is Odoo's ``total_value`` without a date (each receipt at its stored
value, a standard price as it is now); at a month end, Odoo's value with ``to_date``.

Four things Odoo's own figure leaves to the reader and this model decides:

* the instant is exact (the month end at midnight in the company's timezone; Odoo's
  ``to_date`` is a UTC day and its quantity and value read different instants of it);
* a product whose history makes its stock negative (sales back-filled before the opening
  stock was entered by an inventory adjustment) is *anchored*: the first later inventory
  adjustment into the warehouse is taken as its opening balance, so no month end shows a
  negative quantity or value; if even that does not cover the history, the row is left at
  zero. Both are flagged (``history_state``) and explained on the dashboard. A warehouse
  below zero while the company as a whole holds stock (delivered from a warehouse that had
  none) with no later adjustment keeps Odoo's figures: each warehouse at the company's value
  per unit, as Odoo values its quants, the negative row included (flagged negative);
* consigned stock is worth nothing for every cost method: for FIFO, Odoo 19 leaves the
  owner out of its quantity filter, so consigned units deepen its FIFO stack into the
  company's older receipts (``tests/test_analysis_valuation.py``, the known difference);
* a company's cost records are its own: Odoo 19 reads a product's manual cost changes of
  every company (as superuser, without a company filter) when it replays the average cost
  or looks up a standard price at a date, so a cost changed in another company moves this
  company's value in Odoo's figure and not in this one.
"""

from bisect import bisect_right
from collections import defaultdict
from contextlib import contextmanager
from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.tools import SQL, float_is_zero

from ..tools.company_day import company_tz_name, local_date
from ..tools.sql_array import sql_array

# key of the cursor cache holding the stock values "now" during ``_valuing_once``
NOW_VALUES = "jxc_stock_values_now"

# the date of a document whose effect on a move's value Odoo leaves out at every date
FOREVER = datetime(9999, 12, 31)

# a valued location, as stock_account's stock.location._should_be_valued
VALUED = "(%(alias)s.company_id IS NOT NULL AND %(alias)s.usage IN ('internal', 'transit'))"


def valued_location_sql(alias):
    """SQL condition: the location ``alias`` holds stock the company values."""
    return SQL(VALUED % {"alias": alias})


class JxcStockValuation(models.AbstractModel):
    _name = "jxc.stock.valuation"
    _description = "JXC Stock Valuation (Odoo's valuation at a date, in batches)"

    # --- quantities ----------------------------------------------------------------------
    @api.model
    def _sql_valued_lines(self, company, date_condition, all_owners=False):
        """Signed done quantities (product UoM) of the company's own stock (``all_owners``: and
        of the stock others own there) per product and warehouse (NULL: a valued location
        outside any warehouse, e.g. transit). Read from the move lines alone (a done line has
        its move's date) to keep the month-end sums cheap."""
        # each line leaves its source's side (-) and enters its destination's (+); a side counts
        # when its location is valued, a move inside one warehouse (or within transit) nets out
        return SQL(
            """
            SELECT ml.product_id, side.warehouse_id, side.sign * ml.quantity_product_uom AS qty, ml.lot_id
              FROM stock_move_line ml
              JOIN stock_location dl ON dl.id = ml.location_dest_id
              JOIN stock_location sl ON sl.id = ml.location_id
              JOIN product_product pp ON pp.id = ml.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
             CROSS JOIN LATERAL (VALUES (dl.warehouse_id, 1.0, %(dest_valued)s), (sl.warehouse_id, -1.0, %(src_valued)s))
                   AS side(warehouse_id, sign, valued)
             WHERE ml.state = 'done' AND ml.company_id = %(company)s AND pt.is_storable AND %(own)s
               AND side.valued
               AND NOT (%(src_valued)s AND %(dest_valued)s AND sl.warehouse_id IS NOT DISTINCT FROM dl.warehouse_id)
               AND %(cond)s
            """,
            company=company.id, own=SQL("ml.picked") if all_owners else self._sql_own_line(company, "ml"),
            src_valued=valued_location_sql("sl"), dest_valued=valued_location_sql("dl"), cond=date_condition,
        )

    @api.model
    def _sql_own_line(self, company, alias):
        """SQL: the move line (alias ``alias``) moves the company's own stock, as Odoo values
        it (``stock.move.line._should_exclude_for_valuation``): picked, owned by no one else."""
        return SQL(
            "(%(ml)s.picked AND (%(ml)s.owner_id IS NULL OR %(ml)s.owner_id = %(partner)s))",
            ml=SQL.identifier(alias), partner=company.partner_id.id,
        )

    @api.model
    def _sql_product_filter(self, alias, product_ids):
        if product_ids is None:
            return SQL("TRUE")
        return SQL("%s = ANY(%s)", SQL.identifier(alias, "product_id"), list(product_ids))

    @api.model
    def _get_quantities_at(self, company, boundary, product_ids=None, by_lot=False, all_owners=False):
        """{(product_id, warehouse_id or None): qty} of own valued stock before ``boundary``
        (of ``product_ids`` only, if given); ``by_lot``: {(product_id, lot_id or None,
        warehouse_id or None): qty}; ``all_owners``: consigned stock included.

        Odoo's own quantity at a date (``qty_available`` with ``to_date``): the quants now,
        taking back what was done since ``boundary``, for every month end (the monthly action
        and the back-fill alike). Not the sum of the done moves before it, which misses stock
        that entered without a move (an import, a quant set by code) and then puts a
        warehouse's later moves against nothing.
        """
        query = SQL(
            """
            SELECT product_id, %(key)s, SUM(qty) FROM (
                SELECT q.product_id, l.warehouse_id, q.lot_id, q.quantity AS qty
                  FROM stock_quant q JOIN stock_location l ON l.id = q.location_id
                 WHERE q.company_id = %(company)s AND %(valued)s AND %(owner)s AND %(quant_products)s
                UNION ALL
                SELECT product_id, warehouse_id, lot_id, -qty FROM (%(later)s) later
            ) t GROUP BY product_id, %(key)s
            """,
            key=SQL("lot_id, warehouse_id") if by_lot else SQL("warehouse_id"),
            company=company.id, valued=valued_location_sql("l"),
            owner=SQL("TRUE") if all_owners else SQL("(q.owner_id IS NULL OR q.owner_id = %s)", company.partner_id.id),
            quant_products=self._sql_product_filter("q", product_ids),
            later=self._sql_valued_lines(company, SQL(
                "ml.date >= %s AND %s", boundary, self._sql_product_filter("ml", product_ids)), all_owners=all_owners),
        )
        rounding = 10 ** -self.env["decimal.precision"].precision_get("Product Unit")
        return {tuple(key): qty for *key, qty in self.env.execute_query(query) if abs(qty or 0.0) >= rounding / 2}

    # --- values ----------------------------------------------------------------------------
    @api.model
    def _get_stock_values_at(self, company, instant=None, product_ids=None):
        """{(product_id, warehouse_id or None): (qty, value, history_state)} of the company's own
        stock at ``instant`` (naive UTC datetime; default: now, from the quants). The one entry
        point for every analysis that needs what the stock is worth (aging, dead stock, ...).
        A product's value depends on its own moves alone: ``product_ids`` restricts the work
        to those products without changing their figures."""
        memo = self.env.cr.cache.get(NOW_VALUES) if instant is None else None
        key = (company.id, None if product_ids is None else tuple(sorted(product_ids)))
        if memo is not None and key in memo:
            return memo[key]
        self.env.flush_all()
        # Python's clock, not the transaction's start (cr.now()): a cost changed or a move done
        # earlier in the same transaction is dated after that start
        boundary = instant or fields.Datetime.now() + timedelta(seconds=1)
        quantities = {boundary: self._get_quantities_at(company, boundary, product_ids)}
        values = self._get_values(company, [boundary], quantities, now=instant is None)[boundary]
        if memo is not None:
            memo[key] = values
        return values

    @contextmanager
    def _valuing_once(self):
        """Within the block, the stock now is valued once per company: for a read that queries
        a report view several times, e.g. a list page and then its count. Only around reads:
        nothing may change the stock inside the block."""
        cache = self.env.cr.cache
        if NOW_VALUES in cache:  # an outer block holds the values
            yield
            return
        cache[NOW_VALUES] = {}
        try:
            yield
        finally:
            cache.pop(NOW_VALUES, None)

    @api.model
    def _get_stock_values_sql(self, companies, instant=None):
        """The stock values of ``_get_stock_values_at`` for each of ``companies`` as an SQL
        relation ``(company_id, product_id, warehouse_id, quantity, value)`` (warehouse_id NULL:
        own stock outside any warehouse), for a report view to join: the value of a product in
        a warehouse is Odoo's, consigned stock and unvalued locations are not in it."""
        rows = [
            (company.id, pid, wid, qty, value)
            for company in companies
            for (pid, wid), (qty, value, _state) in self._get_stock_values_at(company, instant).items()
        ]
        columns = list(zip(*rows, strict=True)) or [(), (), (), (), ()]
        return SQL(
            "SELECT * FROM unnest(%s, %s, %s, %s, %s) AS v(company_id, product_id, warehouse_id, quantity, value)",
            *(sql_array(column, sql_type) for column, sql_type in zip(
                columns, ("int4", "int4", "int4", "numeric", "numeric"), strict=True)),
        )

    @api.model
    def _get_values(self, company, boundaries, quantities, now=False):
        """{boundary: {(product_id, warehouse_id): (qty, value, history_state)}}.

        ``quantities``: {boundary: {(product_id, warehouse_id): qty}} (``_get_quantities_at``).
        The company value of a product is Odoo's (see the module docstring); a warehouse gets
        its share pro rata to its quantity, as ``total_value`` with a ``warehouse_id`` does; of a
        lot-valued product, the sum of its lots' shares there (Odoo values each lot apart).
        ``now``: the one boundary is the present, valued as ``total_value`` without ``to_date``.
        """
        result = {}
        product_ids = sorted({p for qties in quantities.values() for p, _w in qties})
        if not product_ids:
            return {boundary: {} for boundary in boundaries}
        products = self.env["product.product"].browse(product_ids).with_company(company)
        products.fetch(["standard_price"])
        cost_methods, lot_valued_ids = self._get_cost_methods(products)
        lot_splits = {boundary: defaultdict(lambda: defaultdict(float)) for boundary in boundaries}
        company_values = self._get_company_values(
            company, products, boundaries, quantities, cost_methods, lot_valued_ids, now=now, lot_splits=lot_splits)
        anchors = self._get_anchors(company, boundaries, quantities)
        currency = company.currency_id
        for boundary in boundaries:
            qties = quantities[boundary]
            company_qty = defaultdict(float)
            for (pid, _wid), qty in qties.items():
                company_qty[pid] += qty
            rows = {}
            negative = {pid for (pid, _wid), qty in qties.items() if qty < 0}
            troubled = {pid for pid, value in company_values[boundary].items() if value < 0}
            # a warehouse below zero while the company holds stock (delivered from the wrong
            # warehouse) and no later adjustment to anchor on: Odoo has a figure, each quant
            # at the company's unit value, the negative one included; kept, and flagged
            anchored = {pid for at, pid, _wid in anchors if at == boundary}
            troubled |= {pid for pid in negative if company_qty[pid] <= 0 or pid in anchored}
            # Odoo's value of the product shared by quantity (of a lot-valued product, the value
            # of its lots there): each warehouse gets the rounded share of its cumulated quantity
            # (value) minus the one before it, so the warehouses add up to the company's value to
            # the cent (as the aging report's rows do)
            cumulated = defaultdict(float)
            for (pid, wid), qty in sorted(qties.items(), key=lambda item: (item[0][0], item[0][1] or 0)):
                if pid in troubled:
                    continue
                total = company_values[boundary].get(pid, 0.0)
                split = lot_splits[boundary].get(pid)
                if split is not None:
                    before, cumulated[pid] = cumulated[pid], cumulated[pid] + split.get(wid, 0.0)
                    value = currency.round(currency.round(cumulated[pid]) - currency.round(before))
                else:
                    before, cumulated[pid] = cumulated[pid], cumulated[pid] + qty
                    value = currency.round(
                        currency.round(total * cumulated[pid] / company_qty[pid])
                        - currency.round(total * before / company_qty[pid])
                    ) if company_qty[pid] else 0.0
                rows[pid, wid] = (qty, value, "negative" if qty < 0 else False)
            if troubled:
                prices = self._get_standard_prices(company, products.browse(troubled), boundary - timedelta(seconds=1))
                by_product = defaultdict(dict)
                for (pid, wid), qty in qties.items():
                    if pid in troubled:
                        by_product[pid][wid] = qty
                for pid in troubled:
                    unit = prices[pid]
                    if cost_methods[pid] != "standard" and company_qty[pid]:
                        # Odoo's unit value of the replayed stock (its ``avg_cost``), not the
                        # cost the product was created with
                        replayed = company_values[boundary].get(pid, 0.0) / company_qty[pid]
                        unit = replayed if replayed > 0 else unit
                    rows.update(self._anchor_product(
                        company, products.browse(pid), boundary, by_product[pid], anchors, unit, cost_methods[pid]))
            result[boundary] = rows
        return result

    @api.model
    def _get_cost_methods(self, products):
        """({product id: Odoo's ``cost_method``}, ids of the lot-valued products). Odoo computes
        the cost method product by product from the category and the company; products sharing
        both share it, so it is asked to Odoo once per (category, company), on one product of
        each (a recordset of its own, so that the computation does not run for all the others)."""
        # the template's columns read in one query: reading them through each variant (fields
        # inherited from the template are computed as related fields) cost more than the
        # valuation's own queries on a big catalogue
        self.env["product.template"].flush_model(["categ_id", "company_id", "lot_valuated"])
        key_of, lot_valued_ids = {}, set()
        for product_id, categ_id, company_id, lot_valuated in self.env.execute_query(SQL(
            """
            SELECT pp.id, pt.categ_id, pt.company_id, pt.lot_valuated
              FROM product_product pp JOIN product_template pt ON pt.id = pp.product_tmpl_id
             WHERE pp.id = ANY(%s)
            """, products.ids,
        )):
            key_of[product_id] = (categ_id, company_id)
            if lot_valuated:
                lot_valued_ids.add(product_id)
        first = {}
        for product_id, key in key_of.items():
            first.setdefault(key, product_id)
        methods = {
            key: product.cost_method
            for key, product in zip(first, products.browse(list(first.values())), strict=True)
        }
        return {product_id: methods[key] for product_id, key in key_of.items()}, lot_valued_ids

    @api.model
    def _anchor_product(self, company, product, boundary, warehouse_qty, anchors, unit_cost, cost_method):
        """Rows of a product whose history makes its stock negative at ``boundary``: the first
        later inventory adjustment into the warehouse is its opening balance; if none covers
        the gap, the row is left at zero (history incomplete). Valued at the adjustment's unit
        cost (for standard-price products, and without an adjustment: ``unit_cost``, the
        standard price in force or Odoo's replayed unit value). ``warehouse_qty``:
        {warehouse_id: qty} of the product."""
        rows = {}
        unit = None
        pid = product.id
        for wid, qty in warehouse_qty.items():
            anchor = anchors.get((boundary, pid, wid))
            state = False
            if qty < 0:
                if anchor and qty + anchor[0] >= 0:
                    qty, state = qty + anchor[0], "anchored"
                else:
                    qty, state = 0.0, "incomplete"
            if anchor and unit is None and anchor[0]:
                unit = anchor[1] / anchor[0]
            rows[pid, wid] = [qty, state]
        if cost_method == "standard" or unit is None:
            unit = unit_cost
        currency = company.currency_id
        return {key: (qty, currency.round(qty * max(unit, 0.0)), state or "anchored") for key, (qty, state) in rows.items()}

    @api.model
    def _get_anchors(self, company, boundaries, quantities):
        """{(boundary, product_id, warehouse_id): (qty, value)} of the first inventory
        adjustment of the company's own stock into the warehouse after ``boundary``, for the
        rows that are negative (consigned units counted in are no opening balance of its own)."""
        negative = [(b, p, w) for b in boundaries for (p, w), qty in quantities[b].items() if qty < 0]
        if not negative:
            return {}
        rows = self.env.execute_query(SQL(
            """
            SELECT DISTINCT ON (n.boundary, n.product_id, n.warehouse_id)
                   n.boundary, n.product_id, n.warehouse_id, ml.quantity_product_uom,
                   CASE WHEN mq.qty > 0 THEN m.value * ml.quantity_product_uom / mq.qty ELSE 0 END
              FROM unnest(%(boundaries)s::timestamp[], %(products)s::int[], %(warehouses)s::int[])
                   AS n(boundary, product_id, warehouse_id)
              JOIN stock_move_line ml ON ml.product_id = n.product_id AND ml.date >= n.boundary
              JOIN stock_move m ON m.id = ml.move_id
              JOIN stock_location sl ON sl.id = ml.location_id
              JOIN stock_location dl ON dl.id = ml.location_dest_id
              JOIN LATERAL (SELECT SUM(x.quantity_product_uom) AS qty FROM stock_move_line x
                             WHERE x.move_id = m.id AND %(own_x)s) mq ON TRUE
             WHERE m.state = 'done' AND m.company_id = %(company)s AND sl.usage = 'inventory'
               AND %(own)s AND %(dest_valued)s AND dl.warehouse_id IS NOT DISTINCT FROM n.warehouse_id
             ORDER BY n.boundary, n.product_id, n.warehouse_id, ml.date, ml.id
            """,
            boundaries=[b for b, _p, _w in negative], products=[p for _b, p, _w in negative],
            warehouses=[w for _b, _p, w in negative], company=company.id, dest_valued=valued_location_sql("dl"),
            own=self._sql_own_line(company, "ml"), own_x=self._sql_own_line(company, "x"),
        ))
        return {(b, p, w): (float(qty), float(value or 0.0)) for b, p, w, qty, value in rows}

    @api.model
    def _get_standard_prices(self, company, products, at):
        """{product_id: standard price in force at ``at``}, as ``_get_standard_price_at_date``:
        the last manual cost record before ``at``; before any, the first one; else the cost."""
        rows = self.env.execute_query(SQL(
            """
            SELECT pp.id,
                   COALESCE(
                     (SELECT v.value FROM product_value v
                       WHERE v.product_id = pp.id AND v.company_id = %(company)s AND v.move_id IS NULL
                         AND v.lot_id IS NULL AND v.date <= %(at)s
                       ORDER BY v.date DESC, v.id DESC LIMIT 1),
                     (SELECT v.value FROM product_value v
                       WHERE v.product_id = pp.id AND v.company_id = %(company)s AND v.move_id IS NULL
                         AND v.lot_id IS NULL
                       ORDER BY v.date, v.id LIMIT 1),
                     (pp.standard_price ->> %(company_key)s)::numeric, 0)
              FROM product_product pp WHERE pp.id = ANY(%(ids)s)
            """,
            company=company.id, at=at, company_key=str(company.id), ids=products.ids,
        ))
        return {pid: float(price) for pid, price in rows}

    @api.model
    def _get_company_values(self, company, products, boundaries, quantities, cost_methods, lot_valued_ids, now=False,
                            lot_splits=None):
        """{boundary: {product_id: value of the company's own stock}} by Odoo's cost methods.

        :param lot_splits: filled with {boundary: {product_id: {warehouse_id: value}}} of the
            lot-valued products (``_get_lot_values``)
        """
        company_qty = {
            boundary: self._sum_by_product(quantities[boundary]) for boundary in boundaries
        }
        result = {boundary: {} for boundary in boundaries}
        lot_valued = products.browse(sorted(lot_valued_ids))
        if lot_valued:
            self._get_lot_values(company, lot_valued, boundaries, company_qty, result, now=now, splits=lot_splits)
            products -= lot_valued
        standard = products.filtered(lambda p: cost_methods[p.id] == "standard")
        for boundary in boundaries:
            held = standard.filtered(lambda p, b=boundary: company_qty[b].get(p.id))
            if not held:
                continue
            if now:
                # Odoo's value now is the standard price itself, which a cost-method switch or
                # an average-cost update changes without a cost record
                prices = {product.id: product.standard_price for product in held}
            else:
                prices = self._get_standard_prices(company, held, boundary - timedelta(seconds=1))
            result[boundary].update({pid: prices[pid] * company_qty[boundary][pid] for pid in held.ids})
        replayed = products - standard
        if not replayed:
            return result
        moves = self._get_valued_moves(company, replayed, max(boundaries), now=now)
        manual = self._get_manual_costs(company, replayed, max(boundaries))
        # now, every move's value is known: Odoo reads the stored values
        late = {} if now else self._get_late_in_values(company, replayed, boundaries)
        late_ids = {move_id for values in late.values() for move_id in values}
        # every unit of measure rounds at the "Product Unit" precision (uom.uom.is_zero)
        digits = self.env["decimal.precision"].precision_get("Product Unit")
        for product in replayed:
            product_moves = moves.get(product.id, [])
            points = []
            for boundary in boundaries:
                qty = company_qty[boundary].get(product.id)
                if qty and not float_is_zero(qty, precision_digits=digits):
                    points.append((boundary, boundary - timedelta(seconds=1), qty))
            if not points:
                continue
            if any(move[1] in late_ids for move in product_moves):
                # values known at each boundary differ: one replay per boundary
                batches = [([point], late.get(point[0], {})) for point in points]
            else:
                batches = [(points, {})]
            for batch, in_values in batches:
                if cost_methods[product.id] == "average":
                    values = self._run_avco(product_moves, manual.get(product.id, []), batch, in_values)
                else:
                    values = self._run_fifo(product, product_moves, batch, in_values)
                for boundary, value in values.items():
                    result[boundary][product.id] = value
        return result

    @api.model
    def _get_lot_values(self, company, products, boundaries, company_qty, result, now=False, splits=None):
        """Lot-valued products (``lot_valuated``): Odoo values each lot on its own (its
        moves, its cost records, its own average or FIFO stack), so the sum of the lots is
        asked to Odoo, lot by lot, at the instant (``stock.lot.total_value`` with ``to_date``;
        without it ``now``, which reads the moves' stored values).
        Such products are few: the per-lot queries stay out of the batch replay. Fills
        ``result`` ({boundary: {product_id: value}}).

        A lot's ``total_value`` covers its whole quantity, consigned units included (Odoo reads
        it without an owner filter); the company's own units get their share of it, as Odoo's
        quants value them (``stock.quant._compute_value``: a quant's quantity over the lot's
        ``product_qty``, its stock of every owner in the valued locations, transit included):
        consigned stock is worth nothing.
        ``splits`` ({boundary: {product_id: {warehouse_id: value}}}), if given, gets each lot's
        value shared among the warehouses that hold it, by its own units there: a warehouse
        holding the dear lot is worth more than one holding as many units of a cheap one, as
        Odoo's value of the product in each warehouse (``warehouse_id``) says."""
        lots = self.env["stock.lot"].sudo().with_company(company).search(
            [("product_id", "in", products.ids), ("company_id", "in", [company.id, False])])
        for boundary in boundaries:
            at = boundary - timedelta(seconds=1)
            own, own_by_warehouse, held = defaultdict(float), defaultdict(dict), defaultdict(float)
            for (pid, lot_id, wid), qty in self._get_quantities_at(company, boundary, products.ids, by_lot=True).items():
                own[pid, lot_id] += qty
                own_by_warehouse[pid, lot_id][wid] = qty
            for (pid, lot_id, _wid), qty in self._get_quantities_at(
                    company, boundary, products.ids, by_lot=True, all_owners=True).items():
                held[pid, lot_id] += qty
            for lot in lots:
                if not company_qty[boundary].get(lot.product_id.id) or not own.get((lot.product_id.id, lot.id)):
                    continue
                lot_at = lot if now else lot.with_context(to_date=at)
                quantity = held[lot.product_id.id, lot.id]
                if lot.product_id.uom_id.is_zero(quantity):
                    continue
                own_qty = own[lot.product_id.id, lot.id]
                value = lot_at.total_value * own_qty / quantity
                result[boundary][lot.product_id.id] = result[boundary].get(lot.product_id.id, 0.0) + value
                if splits is not None:
                    for wid, qty in own_by_warehouse[lot.product_id.id, lot.id].items():
                        splits[boundary][lot.product_id.id][wid] += value * qty / own_qty

    @api.model
    def _sum_by_product(self, quantities):
        totals = defaultdict(float)
        for (pid, _wid), qty in quantities.items():
            totals[pid] += qty
        return totals

    @api.model
    def _get_valued_moves(self, company, products, boundary, now=False):
        """{product_id: [(date, id, in_qty, out_qty, value, is_in, is_dropship)]} of the valued
        moves (``is_in`` / ``is_out`` / ``is_dropship``) before ``boundary``, in Odoo's order.

        ``value`` is the value an incoming move has in Odoo's valuation (``_run_avco`` and
        ``_run_fifo``): now (``now``), its stored value; at a past date
        (``_get_value(at_date=...)``), its stored value too, except for a move valued at the
        product's cost (no purchase line, not the return of a delivery, no manual value),
        which Odoo then values at today's cost. A dropship stores no value: Odoo asks
        ``_get_value`` for it every time, and so does this method. A dropship counts its done
        quantity (``_get_valued_qty``), in and out."""
        rows = self.env.execute_query(SQL(
            """
            SELECT m.product_id, m.date, m.id,
                   COALESCE(SUM(ml.quantity_product_uom) FILTER (
                       WHERE NOT %(src_valued)s AND %(dest_valued)s), 0) AS in_qty,
                   COALESCE(SUM(ml.quantity_product_uom) FILTER (
                       WHERE %(src_valued)s AND NOT %(dest_valued)s), 0) AS out_qty,
                   m.value, m.is_in, m.is_out, m.is_dropship,
                   CASE WHEN m.is_dropship THEN
                       (SELECT SUM(x.quantity_product_uom) FROM stock_move_line x WHERE x.move_id = m.id)
                   END AS dropship_qty,
                   %(at_cost)s AS at_cost
              FROM stock_move m
              LEFT JOIN stock_move_line ml ON ml.move_id = m.id AND %(own)s
              LEFT JOIN stock_location sl ON sl.id = ml.location_id
              LEFT JOIN stock_location dl ON dl.id = ml.location_dest_id
             WHERE m.company_id = %(company)s AND m.product_id = ANY(%(ids)s) AND m.date < %(boundary)s
               AND (m.is_in OR m.is_out OR m.is_dropship)
             GROUP BY m.id
             ORDER BY m.product_id, m.date, m.id
            """,
            src_valued=valued_location_sql("sl"), dest_valued=valued_location_sql("dl"), own=self._sql_own_line(company, "ml"),
            company=company.id, ids=products.ids, boundary=boundary,
            at_cost=SQL(" AND ").join(self._get_at_cost_conditions()),
        ))
        cost = {product.id: product.standard_price for product in products}
        dropships = self.env["stock.move"].browse(row[2] for row in rows if row[8]).with_company(company).sudo()
        at = None if now else boundary - timedelta(seconds=1)
        dropship_values = {move.id: move._get_value(at_date=at) for move in dropships}
        moves = defaultdict(list)
        for pid, date, move_id, in_qty, out_qty, value, is_in, is_out, is_dropship, dropship_qty, at_cost in rows:
            if is_dropship:
                in_qty = out_qty = float(dropship_qty or 0.0)
                value = dropship_values[move_id]
            elif at_cost and not now:
                value = cost[pid] * in_qty
            else:
                value = float(value or 0.0)
            in_qty = in_qty if (is_in or is_dropship) else 0.0
            out_qty = out_qty if (is_out or is_dropship) else 0.0
            moves[pid].append((date, move_id, in_qty, out_qty, value, bool(is_in), bool(is_dropship)))
        return moves

    @api.model
    def _get_at_cost_conditions(self):
        """SQL conditions on the move ``m``: an incoming move that Odoo's ``_get_value`` values
        at the product's cost (its last resort): no purchase line, not the return of a
        delivery, no manual value. The extension point of a module whose moves Odoo values
        otherwise (the production of ``jxc_mrp``)."""
        return [
            SQL("m.is_in AND m.purchase_line_id IS NULL"),
            SQL("NOT EXISTS (SELECT 1 FROM stock_move o WHERE o.id = m.origin_returned_move_id AND o.is_out)"),
            SQL("NOT EXISTS (SELECT 1 FROM product_value v WHERE v.move_id = m.id)"),
        ]

    @api.model
    def _get_manual_costs(self, company, products, boundary):
        """{product_id: [(date, unit cost)]} of the manual cost changes (``product.value``
        without move or lot) before ``boundary``, oldest first."""
        rows = self.env.execute_query(SQL(
            """
            SELECT product_id, date, value FROM product_value
             WHERE company_id = %(company)s AND product_id = ANY(%(ids)s) AND move_id IS NULL
               AND lot_id IS NULL AND date < %(boundary)s
             ORDER BY product_id, date, id
            """,
            company=company.id, ids=products.ids, boundary=boundary,
        ))
        costs = defaultdict(list)
        for pid, date, value in rows:
            costs[pid].append((date, float(value)))
        return costs

    @api.model
    def _get_late_value_queries(self, company, products):
        """SQL queries of ``(move_id, move date, document date)``: the documents that change the
        value of an incoming move of ``products`` and that Odoo's ``_get_value(at_date=...)``
        leaves out before their date: vendor bills, manual values; and a bill no longer posted
        (reset to draft, cancelled), which the stored value may still hold and Odoo leaves out
        at every date (``FOREVER``). The extension point of a module adding others (the landed
        costs of ``jxc_stock_landed_costs``)."""
        self.env["account.move.line"].flush_model(["purchase_line_id", "date", "parent_state"])
        return [
            SQL(
                """
                SELECT m.id, m.date, bill.known_from
                  FROM stock_move m
                  JOIN account_move_line aml ON aml.purchase_line_id = m.purchase_line_id AND aml.parent_state = 'posted'
                  -- a bill counts from its date's midnight in the company's calendar
                 CROSS JOIN LATERAL (
                       SELECT (aml.date::timestamp AT TIME ZONE %(tz)s) AT TIME ZONE 'UTC' AS known_from
                 ) bill
                 WHERE m.company_id = %(company)s AND m.product_id = ANY(%(ids)s) AND (m.is_in OR m.is_dropship)
                   AND bill.known_from > m.date
                """,
                company=company.id, ids=products.ids, tz=company_tz_name(company),
            ),
            SQL(
                """
                SELECT DISTINCT m.id, m.date, %(forever)s::timestamp
                  FROM stock_move m
                  JOIN account_move_line aml ON aml.purchase_line_id = m.purchase_line_id
                       AND aml.parent_state IN ('draft', 'cancel')
                 WHERE m.company_id = %(company)s AND m.product_id = ANY(%(ids)s) AND (m.is_in OR m.is_dropship)
                """,
                company=company.id, ids=products.ids, forever=FOREVER,
            ),
            SQL(
                """
                SELECT m.id, m.date, v.date
                  FROM stock_move m
                  JOIN product_value v ON v.move_id = m.id
                 WHERE m.company_id = %(company)s AND m.product_id = ANY(%(ids)s) AND (m.is_in OR m.is_dropship)
                   AND v.date > m.date
                """,
                company=company.id, ids=products.ids,
            ),
        ]

    @api.model
    def _get_late_in_values(self, company, products, boundaries):
        """{boundary: {move_id: value known at the boundary}} of the incoming moves whose value
        changed after a boundary (a vendor bill dated later, a later manual value): those, and
        only those, are valued by Odoo's own ``_get_value(at_date=...)``."""
        rows = self.env.execute_query(SQL(" UNION ALL ").join(self._get_late_value_queries(company, products)))
        # Odoo leaves out a bill dated after the instant's day and a manual value dated after
        # the instant: either changes the value at every boundary in (move date, document date]
        todo = defaultdict(set)
        for move_id, move_date, doc_date in rows:
            for boundary in boundaries:
                if move_date < boundary <= doc_date:
                    todo[boundary].add(move_id)
        result = {}
        for boundary, move_ids in todo.items():
            at = self._get_value_instant(company, boundary)
            moves = self.env["stock.move"].browse(sorted(move_ids)).with_company(company)
            result[boundary] = {move.id: move.sudo()._get_value(at_date=at) for move in moves}
        return result

    @api.model
    def _get_value_instant(self, company, boundary):
        """The instant to give Odoo's ``stock.move._get_value(at_date=...)`` for the value at
        ``boundary`` (a company-local midnight): the second before it, but no later than the
        end of the day before in UTC. Odoo compares the dates of bills and landed costs with
        the UTC date of that instant, which west of UTC is already the boundary's own day."""
        at = boundary - timedelta(seconds=1)
        return min(at, datetime.combine(local_date(company, at), time(23, 59, 59)))

    @api.model
    def _run_avco(self, moves, manual, points, in_values):
        """{boundary: company value} of an average-cost product at each ``(boundary, at, qty)``
        of ``points``, as stock_account's ``_run_avco(at_date=at)``, in one pass over its moves:
        the moves in order, the manual cost changes applied before the first move after them;
        a manual cost dated after the last receipt is the cost of the whole quantity."""
        result = {}
        quantity = avco_value = avco_total = 0.0
        pending, index, last_in = list(manual), 0, None
        for boundary, at, qty in points:
            while index < len(moves) and moves[index][0] <= at:
                date, move_id, in_qty, out_qty, value, is_in, is_dropship = moves[index]
                index += 1
                while pending and date >= pending[0][0]:
                    avco_value = pending.pop(0)[1]
                    avco_total = avco_value * quantity
                if is_in or is_dropship:
                    last_in = date
                    in_value = in_values.get(move_id, value)
                    previous = quantity
                    quantity += in_qty
                    if previous > 0:
                        avco_total += in_value
                        avco_value = avco_total / quantity
                    else:
                        avco_value = in_value / in_qty if in_qty else avco_value
                        avco_total = avco_value * quantity
                if out_qty:
                    avco_total -= out_qty * avco_value
                    quantity -= out_qty
            position = bisect_right(manual, at, key=lambda cost: cost[0])
            last_manual = manual[position - 1] if position else None
            if last_manual and (last_in is None or last_manual[0] > last_in):
                result[boundary] = last_manual[1] * qty
            else:
                result[boundary] = avco_total
        return result

    @api.model
    def _run_fifo(self, product, moves, points, in_values):
        """{boundary: company value} of a FIFO product at each ``(boundary, at, qty)``: the
        latest receipts that cover ``qty``, as stock_account's ``_run_fifo`` (beyond the
        receipts: the newest receipt's unit cost)."""
        stack = [move for move in moves if move[5]]
        result = {}
        for boundary, at, qty in points:
            end = bisect_right(stack, at, key=lambda move: move[0])
            cost, remaining = 0.0, qty
            for position in range(end - 1, -1, -1):
                _date, move_id, in_qty, _out, value, _in, _drop = stack[position]
                if remaining <= 0:
                    break
                if not in_qty:
                    continue
                taken = min(in_qty, remaining)
                cost += in_values.get(move_id, value) * taken / in_qty
                remaining -= taken
            if remaining > 0:
                newest = stack[end - 1] if end else None
                cost += remaining * (newest[4] / newest[2] if newest and newest[2] else product.standard_price)
            result[boundary] = cost
        return result
