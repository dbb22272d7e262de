"""Slow-moving and dead stock (滞销 / 呆滞) per product and warehouse, for the stock on hand.

* dead: no sale or consumption (a done move from the warehouse to a customer or to
  production) for the company's ``jxc_dead_stock_days`` days. Count losses, scrap, returns to
  vendors and transfers to other warehouses are not sales: they do not restart the clock.
  Stock never sold from the warehouse counts from its first receipt; goods it got from
  another warehouse of the company from the product's first receipt in the company (a
  transfer does not make stock new);
* slow: it sold, but its turnover over that window, annualised (quantity sold or consumed x
  365 / window / quantity on hand), is below the company's ``jxc_slow_turnover_rate``;
* active otherwise.
Value tied up = quantity on hand x the product's current cost (``standard_price``).
"""

from odoo import api, fields, models
from odoo.tools import SQL


class JxcDeadStockReport(models.Model):
    _name = "jxc.dead.stock.report"
    _inherit = ["jxc.analysis.mixin"]
    _description = "JXC Slow-moving and Dead Stock"
    _auto = False
    _order = "value desc, id"
    _rec_name = "product_id"

    _jxc_xlsx_fields = (
        ("product_id", None), ("categ_id", None), ("warehouse_id", None), ("stock_status", None),
        ("quantity", None), ("value", None), ("last_out_date", None), ("last_move_date", None),
        ("idle_days", None), ("window_out_qty", None), ("annual_turnover", None),
    )
    _jxc_xlsx_totals = ("quantity", "value")
    _depends = {
        "stock.quant": ["company_id", "product_id", "location_id", "quantity"],
        "stock.move.line": ["state", "date", "product_id", "location_id", "location_dest_id", "quantity_product_uom"],
        "stock.location": ["usage", "warehouse_id", "company_id"],
        "res.company": ["currency_id", "partner_id", "jxc_dead_stock_days", "jxc_slow_turnover_rate"],
        "res.partner": ["tz"],
        "product.product": ["standard_price", "product_tmpl_id"],
        "product.template": ["categ_id"],
    }
    # the dashboard tile is the stock on hand now, the same for every period: computed once
    _jxc_dashboard_period_free = True

    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", readonly=True)
    quantity = fields.Float(string="On Hand", readonly=True)
    value = fields.Monetary(string="Value Tied Up", readonly=True, groups="jxc_addon.group_jxc_manager")
    last_out_date = fields.Datetime(
        string="Last Outgoing",
        readonly=True,
        help="The last sale or consumption from the warehouse (delivery to a customer or to production). "
        "Count losses, scrap, returns to vendors and transfers to other warehouses do not count.",
    )
    last_move_date = fields.Datetime(string="Last Movement", readonly=True)
    idle_days = fields.Integer(string="Days Without Outgoing", readonly=True, aggregator="max")
    window_out_qty = fields.Float(string="Outgoing in Window", readonly=True)
    annual_turnover = fields.Float(string="Annual Turnover (qty)", digits=(16, 2), readonly=True, aggregator=None)
    stock_status = fields.Selection(
        [("dead", "Dead Stock"), ("slow", "Slow Moving"), ("active", "Active")], string="Status", readonly=True,
    )

    @api.model
    def _get_jxc_xlsx_title(self):
        return self.env._("Slow-moving and Dead Stock")

    @property
    def _table_query(self):
        return SQL(
            """
            WITH onhand AS (
                SELECT MIN(q.id) AS id, q.company_id, q.product_id, l.warehouse_id, SUM(q.quantity) AS qty
                  FROM stock_quant q JOIN stock_location l ON l.id = q.location_id
                 WHERE l.usage = 'internal' AND l.warehouse_id IS NOT NULL
                 GROUP BY 2, 3, 4 HAVING SUM(q.quantity) > 0
            ), params AS (
                SELECT c.id AS company_id, c.currency_id, c.jxc_dead_stock_days AS days,
                       c.jxc_slow_turnover_rate AS slow_rate, COALESCE(p.tz, 'UTC') AS tz
                  FROM res_company c JOIN res_partner p ON p.id = c.partner_id
            ), sides AS (
                -- one hash aggregate per side of the move lines, per (product, warehouse): joining
                -- every line to the on-hand rows made a nested loop over all history
                SELECT ml.product_id, sl.warehouse_id,
                       MAX(ml.date) FILTER (WHERE dl.usage IN ('customer', 'production')) AS last_out,
                       NULL::timestamp AS first_in, MAX(ml.date) AS last_move,
                       SUM(ml.quantity_product_uom) FILTER (WHERE dl.usage IN ('customer', 'production')
                           AND ml.date >= %(now)s - make_interval(days => pa.days)) AS window_out
                  FROM stock_move_line ml
                  JOIN stock_location sl ON sl.id = ml.location_id
                  JOIN stock_location dl ON dl.id = ml.location_dest_id
                  JOIN params pa ON pa.company_id = sl.company_id
                 WHERE ml.state = 'done' AND sl.usage = 'internal' AND sl.warehouse_id IS NOT NULL
                 GROUP BY 1, 2
                UNION ALL
                SELECT product_id, warehouse_id, NULL, LEAST(first_receipt, CASE WHEN transferred_in THEN
                           MIN(first_receipt) OVER (PARTITION BY product_id, company_id) END), last_move, NULL
                  FROM (
                    -- first receipt from outside the company's warehouses; got goods from another one?
                    SELECT ml.product_id, dl.warehouse_id, dl.company_id,
                           MIN(ml.date) FILTER (WHERE sl.usage != 'internal' OR sl.warehouse_id IS NULL
                               OR sl.company_id != dl.company_id) AS first_receipt,
                           BOOL_OR(sl.usage = 'internal' AND sl.company_id = dl.company_id
                               AND sl.warehouse_id != dl.warehouse_id) AS transferred_in,
                           MAX(ml.date) AS last_move
                      FROM stock_move_line ml
                      JOIN stock_location dl ON dl.id = ml.location_dest_id
                      JOIN stock_location sl ON sl.id = ml.location_id
                     WHERE ml.state = 'done' AND dl.usage = 'internal' AND dl.warehouse_id IS NOT NULL
                     GROUP BY 1, 2, 3
                  ) entering
            ), moves AS (
                SELECT product_id, warehouse_id, MAX(last_out) AS last_out, MIN(first_in) AS first_in,
                       MAX(last_move) AS last_move, SUM(window_out) AS window_out
                  FROM sides GROUP BY 1, 2
            ), facts AS (
                SELECT o.*, pa.currency_id, pa.days, pa.slow_rate, m.last_out, m.last_move,
                       COALESCE(m.window_out, 0) AS window_out,
                       ((%(now)s AT TIME ZONE 'UTC' AT TIME ZONE pa.tz)::date
                        - (COALESCE(m.last_out, m.first_in, m.last_move) AT TIME ZONE 'UTC' AT TIME ZONE pa.tz)::date)
                        AS idle_days
                  FROM onhand o
                  JOIN params pa ON pa.company_id = o.company_id
                  LEFT JOIN moves m ON m.product_id = o.product_id AND m.warehouse_id = o.warehouse_id
            )
            SELECT f.id, f.company_id, f.currency_id, f.product_id, pt.categ_id, f.warehouse_id,
                   f.qty AS quantity,
                   ROUND((f.qty * COALESCE((pp.standard_price ->> f.company_id::text)::numeric, 0))::numeric, 2) AS value,
                   f.last_out AS last_out_date, f.last_move AS last_move_date,
                   COALESCE(f.idle_days, 0) AS idle_days, f.window_out AS window_out_qty,
                   f.window_out * 365.0 / f.days / f.qty AS annual_turnover,
                   CASE WHEN COALESCE(f.idle_days, 0) >= f.days THEN 'dead'
                        WHEN f.window_out * 365.0 / f.days / f.qty < f.slow_rate THEN 'slow'
                        ELSE 'active' END AS stock_status
              FROM facts f
              JOIN product_product pp ON pp.id = f.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
            """,
            # Python's clock, not PostgreSQL's: ages follow the server's (and the tests') time
            now=fields.Datetime.now(),
        )

    def _get_jxc_dashboard_kpis(self, company, date_from, date_to):
        domain = [("company_id", "=", company.id), ("stock_status", "=", "dead")]
        value = self._read_group(domain, [], ["value:sum"])[0][0]
        return [{
            "key": "dead_stock_value",
            "label": self.env._("Dead Stock Value"),
            "value": value,
            "type": "monetary",
            "action": {
                "type": "ir.actions.act_window",
                "name": self.env._("Dead Stock"),
                "res_model": self._name,
                "views": [[False, "list"], [False, "pivot"], [False, "graph"]],
                "view_mode": "list,pivot,graph",
                "domain": domain,
            },
        }]
