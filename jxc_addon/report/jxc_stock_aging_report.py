"""Stock aging (库龄): the quantities on hand by age, dated by FIFO.

What is left on hand in a warehouse is what came in last (first in, first out): the incoming
done move lines of the warehouse are taken newest first until they cover the on-hand
quantity; each contributes its remaining part at the age of its receipt date (company
timezone). Value = quantity x the product's current cost (``standard_price``, which
stock_account keeps at the FIFO / average unit value). The bucket limits are the company's
``jxc_aging_buckets`` (default 30, 60, 90, 180, 365 days).
"""

from odoo import api, fields, models
from odoo.tools import SQL


class JxcStockAgingReport(models.Model):
    _name = "jxc.stock.aging.report"
    _inherit = ["jxc.analysis.mixin"]
    _description = "JXC Stock Aging"
    _auto = False
    _order = "age_days desc, id"
    _rec_name = "product_id"

    _jxc_xlsx_fields = (
        ("product_id", None), ("categ_id", None), ("warehouse_id", None), ("receipt_date", None),
        ("age_days", None), ("age_bucket", None), ("quantity", None), ("value", None),
    )
    _jxc_xlsx_totals = ("quantity", "value")

    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", readonly=True)
    receipt_date = fields.Datetime(readonly=True)
    age_days = fields.Integer(string="Age (days)", readonly=True, aggregator="max")
    age_bucket = fields.Char(readonly=True)
    bucket_sequence = fields.Integer(readonly=True, aggregator=None)
    quantity = fields.Float(string="On Hand", readonly=True)
    value = fields.Monetary(readonly=True, groups="jxc_addon.group_jxc_manager")

    def _get_bucket_sql(self):
        limits = self.env.company._get_jxc_aging_limits()
        whens, low = [], 0
        for seq, limit in enumerate(limits, start=1):
            label = "%s-%s" % (low, limit)
            whens.append(SQL("WHEN age_days <= %s THEN %s", limit, "%02d|%d. %s" % (seq, seq, label)))
            low = limit + 1
        n = len(limits) + 1
        last = "%02d|%d. >%s" % (n, n, limits[-1])
        return SQL("CASE %s ELSE %s END", SQL(" ").join(whens), last)

    @api.model
    def _get_jxc_xlsx_title(self):
        return self.env._("Stock Aging")

    @property
    def _table_query(self):
        return SQL(
            """
            WITH onhand AS (
                SELECT q.company_id, q.product_id, l.warehouse_id, SUM(q.quantity) AS qty
                  FROM stock_quant q JOIN stock_location l ON l.id = q.location_id
                 WHERE l.usage = 'internal' AND l.warehouse_id IS NOT NULL
                 GROUP BY 1, 2, 3 HAVING SUM(q.quantity) > 0
            ), incoming AS (
                SELECT ml.id, ml.product_id, dl.warehouse_id, ml.date, ml.quantity_product_uom AS qty,
                       SUM(ml.quantity_product_uom) OVER (
                           PARTITION BY ml.product_id, dl.warehouse_id ORDER BY ml.date DESC, ml.id DESC) AS cum
                  FROM stock_move_line ml
                  JOIN stock_location dl ON dl.id = ml.location_dest_id
                  JOIN stock_location sl ON sl.id = ml.location_id
                 WHERE ml.state = 'done' AND dl.usage = 'internal' AND dl.warehouse_id IS NOT NULL
                   AND (sl.usage != 'internal' OR sl.warehouse_id IS DISTINCT FROM dl.warehouse_id)
            ), layers AS (
                SELECT i.id, o.company_id, i.product_id, i.warehouse_id, i.date,
                       LEAST(i.qty, o.qty - (i.cum - i.qty)) AS qty,
                       ((NOW() AT TIME ZONE COALESCE(p.tz, 'UTC'))::date
                        - (i.date AT TIME ZONE 'UTC' AT TIME ZONE COALESCE(p.tz, 'UTC'))::date) AS age_days
                  FROM incoming i
                  JOIN onhand o ON o.product_id = i.product_id AND o.warehouse_id = i.warehouse_id
                  JOIN res_company c ON c.id = o.company_id
                  JOIN res_partner p ON p.id = c.partner_id
                 WHERE i.cum - i.qty < o.qty
            ), bucketed AS (
                SELECT layers.*, %(bucket)s AS bucket FROM layers
            )
            SELECT b.id, b.company_id, c.currency_id, b.product_id, pt.categ_id, b.warehouse_id,
                   b.date AS receipt_date, b.age_days,
                   split_part(b.bucket, '|', 2) AS age_bucket,
                   split_part(b.bucket, '|', 1)::integer AS bucket_sequence,
                   b.qty AS quantity,
                   ROUND((b.qty * COALESCE((pp.standard_price ->> b.company_id::text)::numeric, 0))::numeric, 2) AS value
              FROM bucketed b
              JOIN res_company c ON c.id = b.company_id
              JOIN product_product pp ON pp.id = b.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
            """,
            bucket=self._get_bucket_sql(),
        )
