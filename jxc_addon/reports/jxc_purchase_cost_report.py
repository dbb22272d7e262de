"""Purchase cost: average unit price per product and month, per vendor and over all vendors.

Confirmed purchase order lines (company currency, product UoM) grouped by month of the order
confirmation in the company's timezone, per vendor (the commercial partner: an order to one of
its contacts is the vendor's). Rows with an empty vendor are the all-vendor figures of the product. The price
variance compares the month's average price with the previous month the product (and vendor)
was bought; the last price is the unit price of the month's latest order line; the grade is
the vendor's current ``jxc_supplier_grade`` in the order's company.

A product's all-vendor row of a month sums its vendors' rows of that month: the same purchases
twice. A group's quantity and amount (and the sheet's amount: quantities of different products
have no total) therefore add up its per-vendor rows, or its all-vendor rows when it has no
per-vendor row, whichever rows the filters show. Only the rows of one kind are summed: a sum of
both kinds would count every purchase twice, and per-vendor rows are the detail that any other
filter (a vendor, a price increase) keeps whole.
"""

from odoo import api, fields, models
from odoo.tools import SQL

from ..models.res_partner import SUPPLIER_GRADES
from ..tools.row_id import stable_row_id_sql


class JxcPurchaseCostReport(models.Model):
    _name = "jxc.purchase.cost.report"
    _inherit = ["jxc.product.analysis.mixin"]
    _description = "Purchase Cost"
    _auto = False
    _order = "date desc, product_id, partner_id, id"

    _jxc_xlsx_fields = (
        ("date", None), ("product_id", None), ("partner_id", None), ("supplier_grade", None),
        ("quantity", None), ("uom_id", None), ("amount", None), ("average_price", "price"), ("previous_price", "price"),
        ("price_variance", "price"), ("price_variance_rate", None), ("last_price", "price"),
    )
    # no quantity total: the rows are of different products, in different units
    _jxc_xlsx_totals = ("amount",)
    _depends = {
        "purchase.order.line": ["order_id", "product_id", "product_qty", "product_uom_id", "price_subtotal", "display_type"],
        "purchase.order": ["state", "company_id", "partner_id", "date_approve", "date_order", "currency_rate"],
        "res.company": ["currency_id", "partner_id"],
        "res.currency": ["decimal_places"],
        "res.partner": ["commercial_partner_id", "jxc_supplier_grade", "tz"],
        "product.product": ["product_tmpl_id"],
        "product.template": ["categ_id", "uom_id"],
        "uom.uom": ["factor"],
    }

    date = fields.Date(string="Month", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Vendor", readonly=True)
    all_vendors = fields.Boolean(readonly=True)
    supplier_grade = fields.Selection(SUPPLIER_GRADES, string="Vendor Grade", readonly=True)
    quantity = fields.Float(string="Quantity Ordered", readonly=True)
    uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    amount = fields.Monetary(string="Untaxed Amount", readonly=True, groups="jxc_addon.group_jxc_manager")
    average_price = fields.Float(
        min_display_digits="Product Price", readonly=True, aggregator=None, groups="jxc_addon.group_jxc_manager",
        help="Untaxed amount / quantity in the product's unit: what the goods cost after the vendor's discounts. "
        "Odoo's Purchase Analysis averages the unit prices before discount (its Average Cost).",
    )
    # no earlier month bought from: no previous price, not a price of 0 (the list leaves it empty, as the sheet)
    has_previous_price = fields.Boolean(readonly=True)
    previous_price = fields.Float(string="Previous Average Price", min_display_digits="Product Price", readonly=True,
                                  aggregator=None, groups="jxc_addon.group_jxc_manager")
    price_variance = fields.Float(min_display_digits="Product Price", readonly=True, aggregator=None,
                                  groups="jxc_addon.group_jxc_manager")
    price_variance_rate = fields.Float(string="Price Variance (%)", readonly=True, aggregator=None,
                                       groups="jxc_addon.group_jxc_manager")
    last_price = fields.Float(
        min_display_digits="Product Price", readonly=True, aggregator=None, groups="jxc_addon.group_jxc_manager",
        help="The untaxed amount per unit (after discounts) of the month's latest order line.",
    )

    def _read_group_select(self, aggregate_spec, query):
        fname, _sep, func = aggregate_spec.partition(":")
        if fname not in ("quantity", "amount") or func not in ("sum", "sum_currency"):
            return super()._read_group_select(aggregate_spec, query)
        return SQL(
            "COALESCE(SUM(%(value)s) FILTER (WHERE NOT %(all_vendors)s), SUM(%(value)s))",
            value=self._get_jxc_summed_sql(aggregate_spec, query),
            all_vendors=self._field_to_sql(self._table, "all_vendors", query),
        )

    @api.model
    def _get_jxc_xlsx_total(self, name, names):
        """The rows with a vendor, or all rows if none has one (``_read_group_select``)."""
        if "partner_id" not in names:
            return {"total": False}
        return {"total": "nonempty", "total_by": names.index("partner_id")}

    @property
    def _table_query(self):
        return SQL(
            """
            WITH lines AS (
                -- product category, currency and vendor grade joined here, once per order line:
                -- joined after the grouping they made nested loops over every row of the view
                SELECT l.id, po.company_id, c.currency_id, l.product_id, pt.categ_id, rp.id AS partner_id,
                       rp.jxc_supplier_grade ->> po.company_id::text AS grade,
                       date_trunc('month', COALESCE(po.date_approve, po.date_order)
                                  AT TIME ZONE 'UTC' AT TIME ZONE COALESCE(cp.tz, 'UTC'))::date AS month,
                       COALESCE(po.date_approve, po.date_order) AS order_date,
                       l.product_qty * line_uom.factor / product_uom.factor AS qty,
                       l.price_subtotal / COALESCE(NULLIF(po.currency_rate, 0), 1.0) AS amount
                  FROM purchase_order_line l
                  JOIN purchase_order po ON po.id = l.order_id
                  JOIN res_company c ON c.id = po.company_id
                  JOIN res_partner cp ON cp.id = c.partner_id
                  -- the vendor of an order to one of its contacts: graded, and priced, as one
                  JOIN res_partner contact ON contact.id = po.partner_id
                  JOIN res_partner rp ON rp.id = contact.commercial_partner_id
                  JOIN product_product pp ON pp.id = l.product_id
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                  JOIN uom_uom line_uom ON line_uom.id = l.product_uom_id
                  JOIN uom_uom product_uom ON product_uom.id = pt.uom_id
                 WHERE po.state = 'purchase' AND l.display_type IS NULL AND l.product_qty > 0
            ), grouped AS (
                -- currency, category and grade depend on company, product and vendor: grouping by
                -- them as well forms the same groups
                SELECT company_id, currency_id, product_id, categ_id, partner_id, grade, month,
                       GROUPING(partner_id) = 1 AS all_vendors, SUM(qty) AS qty, SUM(amount) AS amount,
                       (ARRAY_AGG(amount / NULLIF(qty, 0) ORDER BY order_date DESC, id DESC))[1] AS last_price
                  FROM lines
                 GROUP BY GROUPING SETS ((company_id, currency_id, product_id, categ_id, partner_id, grade, month),
                                         (company_id, currency_id, product_id, categ_id, month))
            ), priced AS (
                SELECT g.*, g.amount / NULLIF(g.qty, 0) AS avg_price,
                       LAG(g.amount / NULLIF(g.qty, 0)) OVER (
                           PARTITION BY g.company_id, g.product_id, g.partner_id, g.all_vendors ORDER BY g.month
                       ) AS prev_price
                  FROM grouped g
            )
            SELECT %(row_id)s AS id,
                   p.month AS date, p.company_id, p.currency_id, p.product_id, p.categ_id, p.partner_id,
                   p.all_vendors, p.grade AS supplier_grade,
                   p.qty AS quantity, ROUND(p.amount::numeric, cur.decimal_places) AS amount, p.avg_price AS average_price,
                   p.prev_price IS NOT NULL AS has_previous_price,
                   p.prev_price AS previous_price, p.avg_price - p.prev_price AS price_variance,
                   CASE WHEN p.prev_price > 0 THEN (p.avg_price - p.prev_price) / p.prev_price * 100.0 END
                       AS price_variance_rate,
                   p.last_price
              FROM priced p
              -- rounded as the company's currency (Odoo's monetary fields): 3 decimals for KWD
              JOIN res_currency cur ON cur.id = p.currency_id
            """,
            row_id=stable_row_id_sql(SQL("p.company_id"), SQL("p.product_id"), SQL("p.month"), SQL("p.all_vendors"),
                                     SQL("p.partner_id")),
        )
