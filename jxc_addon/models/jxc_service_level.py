"""Service level (交付满足率): the fill rate of the deliveries to customers (sister companies
included: a delivery's moves go to a customer as the net demand reads it, ``tools/net_demand.py``).

A customer delivery is its first picking and every backorder split from it, level by level
(Odoo links a backorder to the picking validated, so a backorder's backorder points to the
backorder). Each product of a delivery is a line (a kit's components are one, filled as its
least filled: jxc_mrp): of the quantity the line asked (the demand
of all those pickings, in the product's unit), its fill is the share its first picking
shipped: the done quantity of its moves, at most their demand. What the first picking left
behind, shipped later by a backorder, cancelled in it or dropped with "No Backorder", is
unfilled. A delivery counts in the month its first picking was completed; read from Odoo's
own pickings and moves; a month without a delivery has nothing to measure (None).

The fill rate of a product (``by_product``) is shipped / asked in its unit. The company's
mean of its lines' fills: quantities of different products and units (12 units and 3 dozen)
do not add up, and a line weighing by its size would let one bulk article hide the lines the
customers waited for; each line counts the same, a partly shipped line for its share (on a
delivery of one product, the same figure as its quantity fill rate).
"""

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL

from ..tools.done_qty import DONE_QTY, DONE_QTY_JOINS, flush_done_qty
from ..tools.net_demand import to_customer_domain, to_customer_sql


class JxcServiceLevel(models.AbstractModel):
    _name = "jxc.service.level"
    _description = "JXC Service Level (delivery fill rate)"

    # the figures are Odoo's deliveries: whoever may read them may see the tile
    _jxc_dashboard_access_model = "stock.picking"
    # the dashboard charts the tile month by month
    _jxc_dashboard_charted = True

    @api.model
    def _get_fill_rates(self, company, days):
        """[(filled, lines)] of the first deliveries completed in each [days[i], days[i+1])
        (the company's days, ascending): the sum of their lines' fills and their number."""
        bounds = self.env["jxc.dashboard"]._get_day_bounds(company, days)
        by_bucket = {bucket: (filled, lines) for bucket, filled, lines in self._get_fill_rate_rows(company, bounds)}
        return [by_bucket.get(index, (0.0, 0.0)) for index in range(1, len(bounds))]

    @api.model
    def _get_fill_rates_by_product(self, company, start, stop):
        """{(product id, warehouse id): (shipped, asked)} of the first deliveries completed in
        [start, stop): the service each product really got from each warehouse."""
        return {
            (product_id, warehouse_id): (shipped, asked)
            for _bucket, product_id, warehouse_id, shipped, asked in self._get_fill_rate_rows(
                company, [start, stop], by_product=True)
        }

    @api.model
    def _get_fill_rate_rows(self, company, bounds, by_product=False):
        """[(bucket, [product id, warehouse id,] shipped, asked)]: a delivery line's fill is what
        its first picking shipped of what all its pickings (the first and its backorders) were
        asked. By product: the quantities in its unit; else (filled, lines): the sum of the
        lines' fills and their number."""
        if by_product:
            keys, sums = SQL(", product_id, warehouse_id"), SQL("SUM(shipped), SUM(asked)")
            measured = SQL("SELECT bucket, product_id, warehouse_id, shipped, asked FROM lines WHERE asked > 0")
        else:
            keys, sums = SQL(""), SQL("SUM(fill), COUNT(*)")
            # a line sold as several products (a kit: its components) is filled as much as the
            # least filled of them
            measured = SQL("""
                SELECT bucket, MIN(shipped / asked) AS fill
                  FROM lines
                 WHERE asked > 0
                 GROUP BY bucket, first_id, warehouse_id, line_id, CASE WHEN line_id IS NULL THEN product_id END""")
        flush_done_qty(self.env)
        self.env["stock.move"].flush_model(
            ["picking_id", "state", "location_dest_id", "product_qty", "origin_returned_move_id"])
        self.env["stock.location"].flush_model(["usage", "company_id"])
        self.env["stock.picking"].flush_model(
            ["company_id", "picking_type_id", "state", "backorder_id", "date_done"])
        # the first pickings and their backorders of every level as one list (a join on "id =
        # first OR backorder of first" cannot be hashed: it read the pickings one by one)
        rows = self.env.execute_query(SQL(
            """
            WITH RECURSIVE firsts AS (
                SELECT p.id, t.warehouse_id, width_bucket(p.date_done, %(bounds)s::timestamp[]) AS bucket
                  FROM stock_picking p
                  JOIN stock_picking_type t ON t.id = p.picking_type_id
                 WHERE p.company_id = %(company)s AND t.code = 'outgoing' AND p.state = 'done'
                   AND p.backorder_id IS NULL AND p.date_done >= %(start)s AND p.date_done < %(stop)s
            ), pickings AS (
                SELECT id AS first_id, id AS picking_id, warehouse_id, bucket FROM firsts
                UNION ALL
                SELECT pk.first_id, bp.id, pk.warehouse_id, pk.bucket
                  FROM pickings pk JOIN stock_picking bp ON bp.backorder_id = pk.picking_id
            ), lines AS (
                SELECT pk.bucket, pk.first_id, m.product_id, pk.warehouse_id, %(line_id)s AS line_id,
                       COALESCE(SUM(LEAST(%(done_qty)s, m.product_qty))
                                FILTER (WHERE m.picking_id = pk.first_id AND m.state = 'done'), 0) AS shipped,
                       COALESCE(SUM(m.product_qty), 0) AS asked
                  FROM pickings pk
                  JOIN stock_move m ON m.picking_id = pk.picking_id
                  JOIN stock_location dl ON dl.id = m.location_dest_id AND %(to_customer)s
                  %(done_qty_joins)s
                 WHERE m.picking_id != pk.first_id OR m.state IN ('done', 'cancel')
                 GROUP BY 1, 2, 3, 4, 5
            )
            SELECT bucket%(keys)s, %(sums)s
              FROM (%(measured)s) measured
             GROUP BY bucket%(keys)s
            """,
            bounds=list(bounds), company=company.id, start=bounds[0], stop=bounds[-1], keys=keys, sums=sums,
            done_qty=DONE_QTY, done_qty_joins=DONE_QTY_JOINS, to_customer=to_customer_sql("dl", "m"),
            line_id=self._get_fill_line_sql(SQL("m")), measured=measured,
        ))
        return [(*row[:-2], float(row[-2]), float(row[-1])) for row in rows]

    @api.model
    def _get_fill_line_sql(self, move):
        """SQL of the order line whose several products the delivery move ``move`` (alias) is
        one of, filled together (a kit's components: jxc_mrp); NULL for a move of the product
        its line sells, which is a line of its own."""
        return SQL("NULL::int")

    @api.model
    def _get_jxc_dashboard_kpis(self, company, date_from, date_to):
        return self._get_jxc_dashboard_kpis_periods(company, [(date_from, date_to)])[0]

    @api.model
    def _get_jxc_dashboard_kpis_periods(self, company, periods):
        """The tile of each [date_from, date_to) of ``periods``: the closed months as stored
        (``jxc.dashboard.month``), the others from one query in which the deliveries are
        bucketed by every period boundary; a period sums its buckets."""
        days = sorted({day for period in periods for day in period})
        bounds = self.env["jxc.dashboard"]._get_day_bounds(company, days)
        fills, measured_at = self.env["jxc.dashboard.month"]._get_figures(company, "service_level", days)
        results = []
        for date_from, date_to in periods:
            first, last = days.index(date_from), days.index(date_to)
            filled = sum(fill[0] for fill in fills[first:last])
            lines = sum(fill[1] for fill in fills[first:last])
            results.append([self._prepare_kpi(company, bounds[first], bounds[last], filled, lines, measured_at)])
        return results

    @api.model
    def _prepare_kpi(self, company, start, stop, filled, lines, measured_at=None):
        return {
            "key": "service_level",
            "label": self.env._("Service Level (Fill Rate)"),
            "value": filled / lines if lines else None,
            "type": "percent",
            "measured_at": measured_at and fields.Datetime.to_string(measured_at),
            "description": self.env._(
                "Share of the lines (products) of the customer deliveries completed in the period shipped by "
                "the first delivery, each line counting the same whatever its unit and quantity, a partly "
                "shipped line for its share (the rest went out later in backorders or was cancelled).",
            ),
            "action": {
                "type": "ir.actions.act_window",
                "name": self.env._("Deliveries"),
                "res_model": "stock.picking",
                "views": [[False, "list"], [False, "form"]],
                "view_mode": "list,form",
                # the deliveries the figure is made of: first pickings (their backorders count
                # in them) with a move to a customer
                "domain": list(Domain.AND([
                    [("company_id", "=", company.id), ("picking_type_code", "=", "outgoing"),
                     ("state", "=", "done"), ("backorder_id", "=", False),
                     ("date_done", ">=", start), ("date_done", "<", stop)],
                    Domain("move_ids", "any", to_customer_domain()),
                ])),
                "context": {"create": False},
            },
        }
