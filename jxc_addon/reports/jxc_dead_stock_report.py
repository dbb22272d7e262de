"""Slow-moving and dead stock (滞销 / 呆滞) per product and warehouse, for the stock on hand.

One definition, used by the list, its filters and the dashboard tiles (and stated in the
column help): a row's *days idle* count from its last sale or consumption (a done move from
the warehouse to a customer or to production), or from the first receipt of the stock on hand
when that came later (stock bought again after the last sale is as idle as it is old), or,
never sold, from that receipt (first in, first out: what was received and has since gone back to the
vendor, been scrapped or counted away is not on hand); of lot- or serial-tracked goods, the
first receipt of the lots on hand, each lot first in, first out on its own (an old lot left when
a newer one was shipped first is as old as its receipt).
Sales are net of customer returns, as every demand figure of the add-on
(``tools/net_demand.py``): the outgoing quantity of the window is net of the returns in it, and
a sale counts as the last one only if what left from its date on was not all sent back since
(a sale returned in full is no sale: the clock goes back to the sale before, or the receipt).
Count losses, scrap, returns to vendors and transfers to other warehouses are not sales: they
do not restart the clock (dead stock sent elsewhere is still unsold); goods got from another
warehouse of the company count from the
receipt they came from, followed back through the transfers by FIFO as the aging report does
(a transfer does not make stock new, nor as old as the product's first receipt). A transfer may
go straight from one warehouse to the other or through the company's inter-warehouse transit
location, as Odoo's resupply between warehouses does (a delivery out of the supplying
warehouse into transit, a receipt from transit into the supplied one): either way, neither
leg is a sale or a receipt, and goods still in transit are on hand in no warehouse. Goods
received through the inter-company transit location (it has no company) were bought from
another company: a receipt, as from a vendor.

* dead: idle for the company's ``jxc_dead_stock_days`` days or more;
* new: never sold and received less than that ago: too recent to judge (not slow);
* slow: sold before, but its turnover over that window, annualised (quantity sold or consumed
  x 365 / window / quantity on hand), is below the company's ``jxc_slow_turnover_rate``;
* active otherwise.
Value tied up = Odoo's valuation of the company's own stock in the warehouse
(``jxc.stock.valuation``: FIFO / average / standard as Odoo, consigned stock worth nothing).
"""

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools.net_demand import net_demand_query
from ..tools.row_id import stable_row_id_sql
from ..tools.warehouse_border import (
    company_transfer_sql,
    crosses_border_sql,
    net_of_returns_sql,
    vendor_returned_sql,
)


class JxcDeadStockReport(models.Model):
    _name = "jxc.dead.stock.report"
    _inherit = ["jxc.product.analysis.mixin"]
    _description = "Slow-moving and Dead Stock"
    _auto = False
    _order = "value desc, id"
    _jxc_counted_rows = 50000

    _jxc_xlsx_fields = (
        ("product_id", None), ("categ_id", None), ("warehouse_id", None), ("stock_status", None),
        ("quantity", None), ("uom_id", None), ("value", None), ("last_out_date", None), ("in_stock_since", None),
        ("idle_days", None), ("window_out_qty", None), ("annual_turnover", None),
    )
    # no quantity total: the rows are of different products, in different units
    _jxc_xlsx_totals = ("value",)
    _depends = {
        # owner_id: the aging's FIFO layers that date goods got from another warehouse
        "stock.quant": ["company_id", "product_id", "location_id", "quantity", "owner_id", "lot_id"],
        "stock.move.line": ["state", "date", "product_id", "location_id", "location_dest_id", "quantity_product_uom",
                            "company_id", "move_id", "owner_id", "lot_id"],
        "stock.move": ["state", "date", "product_id", "location_id", "location_dest_id", "quantity", "product_uom",
                       "company_id", "origin_returned_move_id"],
        "stock.location": ["usage", "warehouse_id", "company_id"],
        "res.company": ["currency_id", "partner_id", "jxc_dead_stock_days", "jxc_slow_turnover_rate"],
        "res.partner": ["tz"],
        "product.product": ["standard_price", "product_tmpl_id"],
        "product.template": ["categ_id", "uom_id"],
        "uom.uom": ["factor"],
    }
    # the dashboard tile is the stock on hand now, the same for every period: computed once
    _jxc_dashboard_period_free = True

    warehouse_id = fields.Many2one("stock.warehouse", readonly=True)
    quantity = fields.Float(string="On Hand", readonly=True)
    uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    value = fields.Monetary(
        string="Value Tied Up", readonly=True, groups="jxc_addon.group_jxc_manager",
        help="Odoo's inventory valuation of the company's own stock of the product in the warehouse "
        "(FIFO, average or standard cost); stock owned by a partner (consignment) is worth nothing.",
    )
    last_out_date = fields.Datetime(
        string="Last Outgoing",
        readonly=True,
        help="The last sale or consumption from the warehouse (delivery to a customer or to production) that "
        "customers did not send back in full. Count losses, scrap, returns to vendors and transfers to other "
        "warehouses do not count.",
    )
    in_stock_since = fields.Datetime(
        readonly=True, help="The oldest receipt of the stock on hand in the warehouse (first in, first out); goods "
        "got from another warehouse of the company: the receipt they came from (first in, first out through the "
        "transfers, as the stock aging dates them). Goods tracked by lot or serial number: the receipts of the "
        "lots on hand.",
    )
    last_move_date = fields.Datetime(string="Last Movement", readonly=True)
    idle_days = fields.Integer(
        string="Days Idle", readonly=True, aggregator="max",
        help="Days since the last sale or consumption from the warehouse, or since the stock on hand was received "
        "when that came later (never sold: since it was received).",
    )
    window_out_qty = fields.Float(
        string="Outgoing in Window", readonly=True,
        help="Sold or consumed from the warehouse in the company's dead-stock days, net of customer returns.",
    )
    annual_turnover = fields.Float(string="Annual Turnover (qty)", digits=(16, 2), readonly=True, aggregator=None)
    stock_status = fields.Selection(
        [("dead", "Dead Stock"), ("slow", "Slow Moving"), ("new", "New, Not Sold Yet"), ("active", "Moving Normally")],
        string="Status", readonly=True,
        help="Dead: idle (no sale or consumption since the stock on hand was received, or for longer) for the "
        "company's dead-stock days or more (Settings). New: never sold, received more recently than that. Slow: "
        "sold before, but turning fewer times a year over those days than the company's slow-moving rate. "
        "Moving normally: the rest.",
    )

    @property
    def _table_query(self):
        return self._get_rows_query(**self._get_valued_arrays())

    @api.model
    def _get_rows_query(self, v_products=(), v_warehouses=(), v_values=()):
        """The rows of the report, valued from the arrays of ``_get_valued_arrays`` (empty:
        every value 0, for who needs the statuses alone)."""
        return SQL(
            """
            WITH onhand AS (
                SELECT %(row_id)s AS id, q.company_id, q.product_id, l.warehouse_id, SUM(q.quantity) AS qty
                  FROM stock_quant q JOIN stock_location l ON l.id = q.location_id
                 WHERE l.usage = 'internal' AND l.warehouse_id IS NOT NULL
                 GROUP BY 2, 3, 4 HAVING SUM(q.quantity) > 0
            ), lots AS (
                -- per lot (0: none): what is on hand of a lot came in with that lot. Read apart
                -- from onhand: summed from these, onhand's rows were guessed ten times too few,
                -- and the planner looped over the products for each of them
                SELECT q.product_id, l.warehouse_id, COALESCE(q.lot_id, 0) AS lot_id, SUM(q.quantity) AS qty
                  FROM stock_quant q JOIN stock_location l ON l.id = q.location_id
                 WHERE l.usage = 'internal' AND l.warehouse_id IS NOT NULL
                 GROUP BY 1, 2, 3
            ), params AS (
                SELECT c.id AS company_id, c.currency_id, c.jxc_dead_stock_days AS days,
                       c.jxc_slow_turnover_rate AS slow_rate, COALESCE(p.tz, 'UTC') AS tz,
                       -- the window: the company's last dead-stock days, as the idle days count
                       -- them (a sale that many company days ago is out of it, whatever its hour),
                       -- from the company's midnight that starts it, in UTC
                       ((((%(now)s AT TIME ZONE 'UTC' AT TIME ZONE COALESCE(p.tz, 'UTC'))::date
                          - c.jxc_dead_stock_days + 1)::timestamp AT TIME ZONE COALESCE(p.tz, 'UTC'))
                        AT TIME ZONE 'UTC') AS window_start
                  FROM res_company c JOIN res_partner p ON p.id = c.partner_id
            ), lines AS (
                -- the done move lines summed per (product, source, destination) in one pass, the
                -- locations joined to those sums: a join of every line to its locations sorted
                -- the whole history on disk, and a small location table without statistics
                -- made the planner expect one row of it
                SELECT ml.product_id, ml.location_id, ml.location_dest_id,
                       MIN(ml.date) AS first_date, MAX(ml.date) AS last_date
                  FROM stock_move_line ml
                 WHERE ml.state = 'done'
                 GROUP BY 1, 2, 3
            ), returned AS (%(returned)s
            ), entered AS (
                -- the lines entering each warehouse (moves inside one do not), less what their
                -- move sent back to its vendor of their lot (0: none)
                SELECT ml.id, ml.product_id, dl.warehouse_id, COALESCE(ml.lot_id, 0) AS lot_id, ml.date,
                       %(transfer)s AS is_transfer, %(net)s AS qty
                  FROM stock_move_line ml
                  JOIN stock_location dl ON dl.id = ml.location_dest_id
                  JOIN stock_location sl ON sl.id = ml.location_id
                  JOIN onhand o ON o.product_id = ml.product_id AND o.warehouse_id = dl.warehouse_id
                  LEFT JOIN returned rt ON rt.move_id = ml.move_id AND rt.lot_id = COALESCE(ml.lot_id, 0)
                 WHERE ml.state = 'done' AND %(entering)s
            ), covering AS (
                -- What is on hand of a lot came in last with it (first in, first out): of those
                -- lines, the ones not covered by the newer ones hold it; its first receipt is the
                -- oldest of those of all lots, not the first ever (stock since sent back to its
                -- vendor, scrapped, counted away or sold from another lot is not on hand)
                SELECT product_id, warehouse_id, MIN(date) FILTER (WHERE NOT is_transfer) AS first_receipt,
                       BOOL_OR(is_transfer) AS transferred_in
                  FROM (SELECT e.*, lo.qty AS on_hand,
                               SUM(e.qty) OVER (PARTITION BY e.product_id, e.warehouse_id, e.lot_id
                                                ORDER BY e.date DESC, e.id DESC) - e.qty AS newer
                          -- left: joined on the lot, an expression, the planner would expect next to
                          -- no lines and loop over them
                          FROM entered e
                          LEFT JOIN lots lo ON lo.product_id = e.product_id AND lo.warehouse_id = e.warehouse_id
                                           AND lo.lot_id = e.lot_id
                         WHERE e.qty > 0) e
                 WHERE newer < on_hand
                 GROUP BY 1, 2
            ), fifo AS (
                -- the receipts the stock on hand came from, through the company's transfers
                SELECT product_id, warehouse_id, MIN(date) AS first_receipt
                  FROM (WITH RECURSIVE %(layers)s SELECT * FROM layers) layers
                 GROUP BY 1, 2
            ), demand AS (
                -- sales and consumptions out of each warehouse, customer returns into it negative;
                -- kept: what left from this date on, less what came back since. A return of a
                -- delivery counts at that delivery's date: a sale returned in full is no sale,
                -- and it takes nothing from a later one
                SELECT d.product_id, d.warehouse_id, COALESCE(om.date, d.date) AS date, d.qty,
                       d.date >= pa.window_start AS in_window,
                       SUM(d.qty) OVER (PARTITION BY d.product_id, d.warehouse_id
                                        ORDER BY COALESCE(om.date, d.date) DESC) AS kept
                  FROM (%(demand)s) d
                  JOIN params pa ON pa.company_id = d.company_id
                  JOIN stock_move rm ON rm.id = d.id
                  LEFT JOIN stock_move om ON om.id = rm.origin_returned_move_id AND d.qty < 0
                 WHERE d.warehouse_id IS NOT NULL
            ), sides AS (
                SELECT product_id, warehouse_id, MAX(date) FILTER (WHERE qty > 0 AND kept > 0) AS last_out,
                       NULL::timestamp AS first_in, NULL::timestamp AS last_move,
                       SUM(qty) FILTER (WHERE in_window) AS window_out
                  FROM demand
                 GROUP BY 1, 2
                UNION ALL
                SELECT li.product_id, sl.warehouse_id, NULL, NULL, MAX(li.last_date), NULL
                  FROM lines li
                  JOIN stock_location sl ON sl.id = li.location_id
                 WHERE sl.usage = 'internal' AND sl.warehouse_id IS NOT NULL
                 GROUP BY 1, 2
                UNION ALL
                -- the first receipt of the stock on hand; goods got from another warehouse count from
                -- the receipt they came from, followed back by FIFO as the aging does (a transfer
                -- does not make stock new, and does not make it as old as the product's first receipt)
                SELECT entering.product_id, entering.warehouse_id, NULL,
                       CASE WHEN cv.transferred_in THEN COALESCE(fifo.first_receipt, cv.first_receipt)
                            ELSE cv.first_receipt END,
                       entering.last_move, NULL
                  FROM (
                    SELECT li.product_id, dl.warehouse_id, MAX(li.last_date) AS last_move
                      FROM lines li
                      JOIN stock_location dl ON dl.id = li.location_dest_id
                     WHERE dl.usage = 'internal' AND dl.warehouse_id IS NOT NULL
                     GROUP BY 1, 2
                  ) entering
                  LEFT JOIN covering cv ON cv.product_id = entering.product_id AND cv.warehouse_id = entering.warehouse_id
                  LEFT JOIN fifo ON fifo.product_id = entering.product_id AND fifo.warehouse_id = entering.warehouse_id
            ), moves AS (
                SELECT product_id, warehouse_id, MAX(last_out) AS last_out, MIN(first_in) AS first_in,
                       MAX(last_move) AS last_move, SUM(window_out) AS window_out
                  FROM sides GROUP BY 1, 2
            ), valued AS (
                SELECT * FROM unnest(%(v_products)s::int[], %(v_warehouses)s::int[], %(v_values)s::numeric[])
                    AS v(product_id, warehouse_id, value)
            ), facts AS (
                SELECT o.*, pa.currency_id, pa.days, pa.slow_rate, m.last_out, m.first_in, m.last_move,
                       COALESCE(m.window_out, 0) AS window_out,
                       ((%(now)s AT TIME ZONE 'UTC' AT TIME ZONE pa.tz)::date
                        - (COALESCE(GREATEST(m.last_out, m.first_in), m.last_move) AT TIME ZONE 'UTC' AT TIME ZONE pa.tz)::date)
                        AS idle_days
                  FROM onhand o
                  JOIN params pa ON pa.company_id = o.company_id
                  LEFT JOIN moves m ON m.product_id = o.product_id AND m.warehouse_id = o.warehouse_id
            )
            SELECT f.id, f.company_id, f.currency_id, f.product_id, pt.categ_id, f.warehouse_id,
                   f.qty AS quantity,
                   COALESCE(v.value, 0) AS value,
                   f.last_out AS last_out_date, f.first_in AS in_stock_since, f.last_move AS last_move_date,
                   COALESCE(f.idle_days, 0) AS idle_days, f.window_out AS window_out_qty,
                   f.window_out * 365.0 / f.days / f.qty AS annual_turnover,
                   CASE WHEN COALESCE(f.idle_days, 0) >= f.days THEN 'dead'
                        WHEN f.last_out IS NULL THEN 'new'
                        WHEN f.window_out * 365.0 / f.days / f.qty < f.slow_rate THEN 'slow'
                        ELSE 'active' END AS stock_status
              FROM facts f
              JOIN product_product pp ON pp.id = f.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
              LEFT JOIN valued v ON v.product_id = f.product_id AND v.warehouse_id = f.warehouse_id
            """,
            # Python's clock, not PostgreSQL's: ages follow the server's (and the tests') time
            now=fields.Datetime.now(),
            # the row's own on every read: not a quant's id, which goes when Odoo cleans up empty quants
            row_id=stable_row_id_sql(SQL("q.company_id"), SQL("q.product_id"), SQL("l.warehouse_id")),
            v_products=list(v_products), v_warehouses=list(v_warehouses), v_values=list(v_values),
            transfer=company_transfer_sql(SQL("sl"), SQL("dl")),
            entering=crosses_border_sql(SQL("dl"), SQL("sl")),
            returned=vendor_returned_sql(), net=net_of_returns_sql(SQL("ml"), SQL("rt")),
            # followed only for the products some warehouse got from another (the costly part)
            layers=self.env["jxc.stock.aging.report"]._get_layers_ctes(
                SQL("SELECT product_id FROM covering WHERE transferred_in")),
            demand=SQL(" UNION ALL ").join(
                SQL("SELECT %s AS company_id, n.id, n.product_id, n.warehouse_id, n.date, n.qty FROM (%s) n",
                    company.id, net_demand_query(self.env, company, include_production=True))
                # every company's, as the stock on hand above: the record rules choose the rows
                for company in self.env["res.company"].sudo().search([])
            ),
        )

    @api.model
    def _get_valued_arrays(self, companies=None, product_ids=None):
        """Odoo's value of the own stock now per (product, warehouse) of ``companies`` (default:
        the user's), as SQL arrays: the one valuation every analysis shares
        (``jxc.stock.valuation``)."""
        products, warehouses, values = [], [], []
        Valuation = self.env["jxc.stock.valuation"]
        for company in companies or self.env.companies:
            stock_values = Valuation._get_stock_values_at(company, product_ids=product_ids)
            for (product_id, warehouse_id), (_qty, value, _state) in stock_values.items():
                if warehouse_id:
                    products.append(product_id)
                    warehouses.append(warehouse_id)
                    values.append(value)
        return {"v_products": products, "v_warehouses": warehouses, "v_values": values}

    def _get_jxc_dashboard_kpis(self, company, date_from, date_to):
        """Dead stock now: its value and its products, both the sums of the list they open (the
        products' list grouped by product: a product dead in two warehouses is two rows).
        The statuses come first, unvalued; only the dead products are then valued (a product's
        value depends on its own moves alone), not all the stock on hand."""
        domain = [("company_id", "=", company.id), ("stock_status", "=", "dead")]
        self.env.flush_all()
        dead_rows = self.env.execute_query(SQL(
            "SELECT product_id, warehouse_id FROM (%s) r WHERE company_id = %s AND stock_status = 'dead'",
            self._get_rows_query(), company.id,
        ))
        product_ids = sorted({product_id for product_id, _warehouse_id in dead_rows})
        arrays = self._get_valued_arrays(company, product_ids)
        keys = zip(arrays["v_products"], arrays["v_warehouses"], strict=True)
        values = dict(zip(keys, arrays["v_values"], strict=True))
        # summed by PostgreSQL as the list's own sum: numeric, not float
        [(value,)] = self.env.execute_query(SQL(
            "SELECT COALESCE(SUM(v), 0) FROM unnest(%s::numeric[]) v",
            [values.get(row, 0.0) for row in dead_rows],
        ))
        value, products = float(value), len(product_ids)
        action = {
            "type": "ir.actions.act_window",
            "name": self.env._("Dead Stock"),
            "res_model": self._name,
            "views": [[False, "list"], [False, "pivot"], [False, "graph"]],
            "view_mode": "list,pivot,graph",
            "domain": domain,
        }
        description = self._get_definition_help(company)
        return [
            {"key": "dead_stock_value", "label": self.env._("Dead Stock Value"), "value": value,
             "type": "monetary", "action": action, "description": description},
            {"key": "dead_stock_products", "label": self.env._("Dead Stock Products"), "value": float(products),
             "type": "int", "action": {**action, "context": {"group_by": ["product_id"]}}, "description": description},
        ]

    @api.model
    def _get_definition_help(self, company):
        return self.env._(
            "Dead stock: stock on hand with no sale or consumption for %(days)s days or more (never sold: "
            "received %(days)s days ago or more).", days=company.jxc_dead_stock_days,
        )
