"""Stock aging (库龄): the quantities on hand by age, dated by FIFO from their receipt.

What is left on hand in a warehouse is what came in last (first in, first out): of the
done move lines entering the warehouse, the newest cover the on-hand quantity, each with
its remaining part. A transfer from another warehouse of the company does not make the
goods younger: by FIFO it took the oldest units of its source warehouse, so its part is
followed back through the source's incoming lines (and their own transfers) to the
receipts - from vendors, customers, production or inventory adjustments - and aged from
those. The same holds for a transfer through the company's inter-warehouse transit location,
Odoo's resupply between warehouses (a delivery out of the supplying warehouse into transit,
then a receipt from transit into the supplied one): the transit location is a stage of its
own, FIFO too, followed back to the warehouse that sent the goods; goods still in transit
are on hand in no warehouse and have no row. Goods received through the inter-company
transit location (it has no company) were bought from another company: a receipt, aged from
it. Lot- and serial-tracked goods are dated by their own lots: FIFO runs per lot (what is on hand
of a lot came in last with that lot; a transfer of a lot took that lot from its source), so an
old lot left on hand when a newer one was shipped first (expiry-first picking) keeps its age; a
lot below zero in a warehouse that holds stock (delivered though it was not there) has no age.
Ages are in days in the company's timezone; the buckets are each company's
``jxc_aging_buckets`` (default 30, 60, 90, 180, 365 days). Stock owned by a partner
(consignment) is aged on its own, as the partner's, and worth nothing to the company. Value =
Odoo's own valuation of the company's stock in the warehouse now (``jxc.stock.valuation``:
standard price, average cost or FIFO layers, each receipt at its value after the vendor bill),
shared over its age rows by quantity (of a lot-valued product, by quantity times its lot's value
per unit, as Odoo values each lot apart), rounded so that the rows add up to Odoo's figure to the
cent. A warehouse below zero while the company as a whole holds stock (delivered from a
warehouse that had none) has no age: it has one row in the bucket "Negative Stock", with its
negative quantity and Odoo's value of it (its quants', at the company's value per unit), so
that the report's value adds up to Odoo's value of the company's stock in its warehouses.
"""

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools.age_buckets import bucket_label_sql, bucket_sequence_sql, day_limits_sql
from ..tools.row_id import stable_row_id_sql
from ..tools.warehouse_border import (
    company_transfer_sql,
    crosses_stage_sql,
    net_of_returns_sql,
    stock_stage_sql,
    vendor_return_line_sql,
    vendor_returned_sql,
)


class JxcStockAgingReport(models.Model):
    _name = "jxc.stock.aging.report"
    _inherit = ["jxc.product.analysis.mixin"]
    _description = "Stock Aging"
    _auto = False
    _order = "age_days desc nulls last, id"
    _jxc_counted_rows = 50000

    _jxc_xlsx_fields = (
        ("product_id", None), ("categ_id", None), ("warehouse_id", None), ("owner_id", None), ("lot_id", None),
        ("receipt_date", None), ("age_days", None), ("age_bucket", None), ("quantity", None), ("uom_id", None), ("value", None),
    )
    # no quantity total: the rows are of different products, in different units
    _jxc_xlsx_totals = ("value",)
    _depends = {
        "stock.quant": ["company_id", "product_id", "location_id", "quantity", "owner_id", "lot_id"],
        "stock.move.line": [
            "state", "date", "product_id", "location_id", "location_dest_id", "quantity_product_uom", "owner_id",
            "move_id", "lot_id",
        ],
        "stock.move": ["value", "state", "origin_returned_move_id"],
        "stock.location": ["usage", "warehouse_id", "company_id"],
        "res.company": ["currency_id", "partner_id", "jxc_aging_buckets"],
        "res.currency": ["decimal_places"],
        "res.partner": ["tz"],
        "product.product": ["standard_price", "product_tmpl_id"],
        "product.template": ["categ_id"],
    }

    warehouse_id = fields.Many2one("stock.warehouse", readonly=True)
    owner_id = fields.Many2one(
        "res.partner", readonly=True,
        help="Consigned stock: owned by this partner, not by the company, and worth nothing to it.",
    )
    # as Odoo's stock screens: only where lots and serial numbers are in use
    lot_id = fields.Many2one(
        "stock.lot", string="Lot/Serial Number", readonly=True, groups="stock.group_production_lot",
    )
    receipt_date = fields.Datetime(
        readonly=True,
        help="When the goods entered the company: a transfer from another warehouse keeps the date of the "
        "receipt it came from.",
    )
    age_days = fields.Integer(string="Age (days)", readonly=True, aggregator="max")
    age_bucket = fields.Char(
        readonly=True,
        help="A warehouse below zero (it delivered more than it held while the company as a whole holds "
        "stock) has no age: its negative quantity and value are in the bucket Negative Stock, valued as "
        "Odoo values its quants, so that the value adds up to Odoo's. A lot below zero in a warehouse that "
        "holds stock has no age either: its negative quantity is in Negative Stock, worth nothing there "
        "(the warehouse's value is on its other rows).",
    )
    bucket_sequence = fields.Integer(readonly=True, aggregator=None)
    quantity = fields.Float(string="On Hand", readonly=True)
    uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    value = fields.Monetary(readonly=True, groups="jxc_addon.group_jxc_manager")

    @property
    def _table_query(self):
        return SQL(
            """
            WITH RECURSIVE vals AS (
                %(values)s
            ), %(layers)s, companies AS (
                -- each company's buckets and day, once: not parsed again for every row
                SELECT c.id, c.currency_id, cur.decimal_places, COALESCE(pa.tz, 'UTC') AS tz,
                       %(limits)s AS limits,
                       (%(now)s AT TIME ZONE 'UTC' AT TIME ZONE COALESCE(pa.tz, 'UTC'))::date AS today
                  FROM res_company c
                  JOIN res_partner pa ON pa.id = c.partner_id
                  JOIN res_currency cur ON cur.id = c.currency_id
            ), lot_units AS (
                SELECT * FROM unnest(%(unit_companies)s::int[], %(unit_lots)s::int[], %(units)s::numeric[])
                    AS u(company_id, lot_id, unit)
            ), aged AS (
                -- weight: what the row's share of the warehouse's value goes by, its quantity (of a
                -- lot-valued product, times its lot's value per unit)
                SELECT l.*, co.currency_id, co.decimal_places, co.limits,
                       co.today - (l.date AT TIME ZONE 'UTC' AT TIME ZONE co.tz)::date AS age_days,
                       l.qty * COALESCE(lu.unit, 1) AS weight
                  FROM layers l
                  JOIN companies co ON co.id = l.company_id
                  LEFT JOIN lot_units lu ON lu.company_id = l.company_id AND lu.lot_id = l.lot_id
            ), bucketed AS (
                SELECT a.*, %(seq)s AS seq,
                       SUM(a.weight) OVER (PARTITION BY a.product_id, a.warehouse_id, a.owner_id
                                           ORDER BY a.line_id) AS cum,
                       SUM(a.weight) OVER (PARTITION BY a.product_id, a.warehouse_id, a.owner_id) AS total
                  FROM aged a
            ), valued AS (
                -- the warehouse's value (Odoo's) shared by weight; each row gets the rounded share
                -- of its cumulated weight minus the one before it, so the rows add up to the
                -- warehouse's value exactly. Consigned stock is worth nothing.
                SELECT b.*, CASE WHEN b.owner_id = 0 AND b.total > 0 THEN
                           ROUND(b.row_value * b.cum / b.total, b.decimal_places)
                           - ROUND(b.row_value * (b.cum - b.weight) / b.total, b.decimal_places)
                       ELSE 0 END AS value
                  FROM bucketed b
            ), report AS (
                -- row_key: what identifies the row in its product, warehouse and owner (its line)
                SELECT b.line_id::text AS row_key, b.company_id, b.currency_id, b.product_id, b.warehouse_id,
                       NULLIF(b.owner_id, 0) AS owner_id, NULLIF(b.lot_id, 0) AS lot_id, b.date AS receipt_date,
                       b.age_days, %(bucket)s AS age_bucket, b.seq AS bucket_sequence, b.qty AS quantity,
                       COALESCE(b.value, 0) AS value
                  FROM valued b
                UNION ALL
                -- a warehouse below zero has no age; its (negative) value is Odoo's, kept so that
                -- the report adds up to Odoo's value of the stock
                SELECT NULL, v.company_id, co.currency_id, v.product_id, v.warehouse_id, NULL, NULL, NULL, NULL,
                       %(negative)s, 0, v.quantity, v.value
                  FROM vals v
                  JOIN companies co ON co.id = v.company_id
                 WHERE v.warehouse_id IS NOT NULL AND v.quantity < 0
                UNION ALL
                -- a lot below zero where the warehouse holds stock (delivered though it was not
                -- there) has no age either; kept so that the rows add up to the stock on hand, the
                -- warehouse's value on its aged rows
                SELECT 'lot ' || n.lot_id, n.company_id, co.currency_id, n.product_id, n.warehouse_id,
                       NULLIF(n.owner_id, 0), NULLIF(n.lot_id, 0), NULL, NULL, %(negative)s, 0, n.qty, 0
                  FROM lots n
                  JOIN companies co ON co.id = n.company_id
                 WHERE n.qty < 0 AND n.stock > 0
            )
            SELECT %(row_id)s AS id,
                   r.company_id, r.currency_id, r.product_id, pt.categ_id, r.warehouse_id, r.owner_id, r.lot_id,
                   r.receipt_date, r.age_days, r.age_bucket, r.bucket_sequence, r.quantity, r.value
              FROM report r
              JOIN product_product pp ON pp.id = r.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
            """,
            # Python's clock, not PostgreSQL's: ages follow the server's (and the tests') time
            now=fields.Datetime.now(),
            limits=day_limits_sql(SQL("c.jxc_aging_buckets"), "30,60,90,180,365"),
            values=self.env["jxc.stock.valuation"]._get_stock_values_sql(self.env.companies),
            **self._get_lot_unit_arrays(),
            bucket=bucket_label_sql(self.env, SQL("b.seq"), SQL("b.limits")),
            negative=self.env._("Negative Stock"),
            seq=bucket_sequence_sql(SQL("a.age_days"), SQL("a.limits")),
            layers=self._get_layers_ctes(values=SQL("SELECT * FROM vals")),
            row_id=stable_row_id_sql(SQL("r.row_key"), SQL("r.warehouse_id"), SQL("r.owner_id"), SQL("r.product_id")),
        )

    @api.model
    def _get_lot_unit_arrays(self):
        """Odoo's value per unit of each lot of a lot-valued product on hand in the user's
        companies, as the arrays ``unit_companies``, ``unit_lots``, ``units``: Odoo values each
        such lot apart (its quants at the lot's value per unit), so its age rows share the
        warehouse's value by that, not by quantity alone."""
        groups = self.env["stock.quant"].sudo()._read_group([
            ("company_id", "in", self.env.companies.ids), ("location_id.usage", "=", "internal"),
            ("lot_id", "!=", False), ("product_id.lot_valuated", "=", True), ("quantity", ">", 0),
        ], ["company_id", "lot_id"])
        arrays = {"unit_companies": [], "unit_lots": [], "units": []}
        for company, lot in groups:
            lot = lot.with_company(company)
            if not lot.product_id.uom_id.is_zero(lot.product_qty):
                arrays["unit_companies"].append(company.id)
                arrays["unit_lots"].append(lot.id)
                arrays["units"].append(lot.total_value / lot.product_qty)
        return arrays

    @api.model
    def _get_layers_ctes(self, products=None, values=None):
        """The CTEs (for a ``WITH RECURSIVE``) up to ``layers``: the stock on hand of each
        company, product, warehouse, owner (0: the company's own) and lot (0: none) split by
        FIFO into the receipts it came from (``line_id``, ``date``, ``qty``), through the
        company's transfers:
        the ages of this report and the first receipt of never-sold transferred goods in the
        dead-stock report.

        :param products: an SQL query of the product ids to follow (default: all)
        :param values: an SQL relation of Odoo's values (``_get_stock_values_sql``): each
            layer's ``row_value`` is then the value of the company's own stock of its product
            in its warehouse, all lots (NULL for consigned stock and without ``values``)

        ``lots`` holds the quantity (``qty``) of every lot of each company, product, warehouse
        and owner, with their ``stock`` (all lots'): only lots above zero where the stock is have
        layers.
        """
        # The in-sequence of a stage (a warehouse, or a company transit location: see
        # tools/warehouse_border.py) numbers the units entering it, oldest first: line i holds
        # units [cum - qty, cum). FIFO sends out the units in the same order, so the units a
        # transfer took from its source stage are those of the same numbers in the source's
        # out-sequence; a piece [lo, hi) of a transfer line is [lo + shift, hi + shift) of the
        # source's in-sequence, shift = the transfer's end in the source's out-sequence minus
        # its end in the destination's in-sequence. A resupply through transit is followed back
        # in two such steps: from the supplied warehouse to transit, from transit to the supplier.
        # All of it per lot (0: none): the units of a lot on hand came in with that lot, and a
        # transfer of a lot took that lot's oldest units from its source.
        return SQL(
            """lots AS (
                -- owner 0: the company's own stock; a partner's (consignment) is aged on its own;
                -- lot 0: none; stock: of all lots of the product there
                SELECT g.*, SUM(g.qty) OVER (PARTITION BY g.company_id, g.product_id, g.warehouse_id, g.owner_id)
                           AS stock
                  FROM (SELECT q.company_id, q.product_id, l.warehouse_id,
                               CASE WHEN q.owner_id = c.partner_id THEN 0 ELSE COALESCE(q.owner_id, 0) END AS owner_id,
                               COALESCE(q.lot_id, 0) AS lot_id, SUM(q.quantity) AS qty
                          FROM stock_quant q
                          JOIN stock_location l ON l.id = q.location_id
                          JOIN res_company c ON c.id = q.company_id
                         WHERE l.usage = 'internal' AND l.warehouse_id IS NOT NULL AND %(products)s
                         GROUP BY 1, 2, 3, 4, 5) g
            ), onhand AS (
                -- value: of the company's own stock (all its lots), carried to the layers (joined
                -- to them, whose number the planner cannot guess, it looped over the values for
                -- each layer)
                SELECT o.company_id, o.product_id, o.warehouse_id, o.owner_id, o.lot_id, o.qty, %(value)s AS value
                  FROM lots o
                  %(value_join)s
                 -- one condition: each more divides the planner's guess of the rows, and next to none
                 -- made it loop over the incoming lines for each of them
                 WHERE LEAST(o.qty, o.stock) > 0
            ), returned AS (%(returned)s
            ), entered AS (
                -- stage: the warehouse or company transit location the line enters; from_stage: the
                -- company's stage it comes from (a transfer), NULL for a receipt; qty: less what its
                -- move sent back to its vendor (those units left with the return)
                SELECT x.id, x.product_id, x.stage, x.owner_id, x.lot_id, x.date, x.from_stage, %(net)s AS qty
                  FROM (SELECT ml.id, ml.move_id, ml.product_id, st.stage, o.owner_id, COALESCE(ml.lot_id, 0) AS lot_id,
                               ml.date, ml.quantity_product_uom,
                               CASE WHEN %(transfer)s THEN %(source_stage)s END AS from_stage
                          %(entering_lines)s) x
                  LEFT JOIN returned rt ON rt.move_id = x.move_id AND rt.lot_id = x.lot_id
            ), entering AS (
                SELECT e.id, e.product_id, e.stage, e.owner_id, e.lot_id, e.date, e.qty, e.from_stage,
                       SUM(e.qty) OVER (PARTITION BY e.product_id, e.stage, e.owner_id, e.lot_id
                                        ORDER BY e.date, e.id) AS cum,
                       SUM(e.qty) OVER (PARTITION BY e.product_id, e.stage, e.owner_id, e.lot_id) AS total
                  FROM entered e
                 WHERE e.qty > 0
            ), leaving AS (
                -- the out-sequences, only of the (product, stage) pairs that sent transfers; the
                -- returns to vendors left the in-sequence with their receipts
                SELECT ml.id, SUM(ml.quantity_product_uom) OVER (
                           PARTITION BY ml.product_id, st.stage, o.owner_id, COALESCE(ml.lot_id, 0)
                           ORDER BY ml.date, ml.id) AS cum
                  %(leaving_lines)s
                   AND NOT %(vendor_return)s
                   AND (ml.product_id, st.stage) IN (
                       SELECT product_id, from_stage FROM entering WHERE from_stage IS NOT NULL)
            ), incoming AS (
                SELECT e.id, e.product_id, e.stage, e.owner_id, e.lot_id, e.date, e.qty, e.cum, e.total, e.from_stage,
                       lv.cum - e.cum AS shift
                  FROM entering e LEFT JOIN leaving lv ON lv.id = e.id AND e.from_stage IS NOT NULL
            ), pieces AS (
                SELECT o.company_id, o.product_id, o.warehouse_id AS row_warehouse_id, o.owner_id, o.lot_id,
                       i.id AS line_id, i.date, i.from_stage, i.shift, GREATEST(i.cum - i.qty, i.total - o.qty) AS lo,
                       i.cum AS hi, 0 AS depth, o.value
                  FROM incoming i
                  JOIN onhand o ON o.product_id = i.product_id AND o.warehouse_id = i.stage
                                AND o.owner_id = i.owner_id AND o.lot_id = i.lot_id
                 WHERE i.cum > i.total - o.qty
                UNION ALL
                -- a transfer's piece becomes the pieces of the source's lines it took; without any
                -- (a source that went negative) it stays, dated by the transfer (shift NULL: final)
                SELECT p.company_id, p.product_id, p.row_warehouse_id, p.owner_id, p.lot_id, COALESCE(s.id, p.line_id),
                       COALESCE(s.date, p.date), s.from_stage, s.shift,
                       COALESCE(GREATEST(s.cum - s.qty, p.lo + p.shift), p.lo),
                       COALESCE(LEAST(s.cum, p.hi + p.shift), p.hi), p.depth + 1, p.value
                  FROM pieces p
                  LEFT JOIN incoming s ON s.product_id = p.product_id AND s.stage = p.from_stage
                                      AND s.owner_id = p.owner_id AND s.lot_id = p.lot_id
                                      AND s.cum - s.qty < p.hi + p.shift AND s.cum > p.lo + p.shift
                 WHERE p.shift IS NOT NULL AND p.depth < 20
            ), layers AS (
                SELECT p.company_id, p.product_id, p.row_warehouse_id AS warehouse_id, p.owner_id, p.lot_id,
                       p.line_id, p.date, SUM(p.hi - p.lo) AS qty, p.value AS row_value
                  FROM pieces p
                 WHERE p.shift IS NULL OR p.depth >= 20
                 GROUP BY 1, 2, 3, 4, 5, 6, 7, 9
            )""",
            products=SQL("q.product_id IN (%s)", products) if products else SQL("TRUE"),
            value=SQL("v.value") if values else SQL("NULL::numeric"),
            value_join=SQL(
                "LEFT JOIN (%s) v ON v.company_id = o.company_id AND v.product_id = o.product_id "
                "AND v.warehouse_id = o.warehouse_id AND o.owner_id = 0", values,
            ) if values else SQL(),
            entering_lines=self._crossing_lines(SQL("dl"), SQL("sl"), products),
            leaving_lines=self._crossing_lines(SQL("sl"), SQL("dl"), products),
            transfer=company_transfer_sql(SQL("sl"), SQL("dl")), source_stage=stock_stage_sql(SQL("sl")),
            returned=vendor_returned_sql(), net=net_of_returns_sql(SQL("x"), SQL("rt")),
            vendor_return=vendor_return_line_sql(SQL("ml"), SQL("dl")),
        )

    @api.model
    def _crossing_lines(self, side, other, products=None):
        """FROM and WHERE of the done move lines that cross the border of a stage (a warehouse or
        a company transit location) at the ``side`` location (``dl`` entering, ``sl`` leaving),
        with ``st.stage`` (that stage) and ``o.owner_id`` (0: the company's own stock), of the
        ``products`` query's products (default: all). Moves inside one warehouse neither enter
        nor leave it."""
        return SQL(
            """FROM stock_move_line ml
                  JOIN stock_location dl ON dl.id = ml.location_dest_id
                  JOIN stock_location sl ON sl.id = ml.location_id
                  JOIN res_company c ON c.id = %(side)s.company_id
                 CROSS JOIN LATERAL (SELECT %(stage)s AS stage) st
                 CROSS JOIN LATERAL (SELECT CASE WHEN ml.owner_id = c.partner_id THEN 0
                                                 ELSE COALESCE(ml.owner_id, 0) END AS owner_id) o
                 WHERE ml.state = 'done' AND %(crossing)s AND %(products)s""",
            side=side, stage=stock_stage_sql(side), crossing=crosses_stage_sql(side, other),
            products=SQL("ml.product_id IN (%s)", products) if products else SQL("TRUE"),
        )
