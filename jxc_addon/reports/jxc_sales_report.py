"""Best sellers and sales trends (畅销): delivered quantity, revenue, cost and margin.

One row per done delivery (or customer return, negative) of a sale order line: the moves of
net customer demand (``tools/net_demand.py``) that have a sale line, and its dropships (from
the vendor to the customer: sold, as Odoo's delivered quantity counts them, from no warehouse). Revenue is the
line's untaxed unit price x the quantity done (not the demand: over-deliveries and lines added
at delivery count what left; a return only when it updates the order's quantities, as Odoo's
delivered quantity counts it), in the company currency (the order's rate); cost is the stock
value stock_account put on the move; margin = revenue - cost.
"""

from datetime import timedelta

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL

from ..tools.company_day import company_today, local_midnight_utc
from ..tools.net_demand import net_demand_condition
from ..tools.sale_line_sql import dropship_sql, sale_move_revenue, sale_move_sign


class JxcSalesReport(models.Model):
    _name = "jxc.sales.report"
    _inherit = ["jxc.product.analysis.mixin"]
    _description = "Best Sellers"
    _auto = False
    _order = "date desc, id"

    _jxc_xlsx_fields = (
        ("date", None), ("product_id", None), ("categ_id", None), ("partner_id", None), ("warehouse_id", None),
        ("quantity", None), ("uom_id", None), ("revenue", None), ("cost", None), ("margin", None),
    )
    # no quantity total: the rows are of different products, in different units
    _jxc_xlsx_totals = ("revenue", "cost", "margin")
    _depends = {
        "stock.move": ["state", "date", "company_id", "product_id", "location_id", "location_dest_id", "quantity",
                       "sale_line_id", "value", "product_qty", "product_uom", "origin_returned_move_id", "to_refund"],
        "stock.move.line": ["move_id", "quantity_product_uom"],
        # the inter-company transit location (a sale to a sister company) is told by its company
        "stock.location": ["usage", "warehouse_id", "company_id"],
        "sale.order.line": ["order_id", "product_id", "product_uom_id", "product_uom_qty", "price_subtotal",
                            "price_unit", "discount", "qty_delivered"],
        "uom.uom": ["factor"],
        "sale.order": ["partner_id", "currency_rate"],
        "res.company": ["currency_id", "partner_id"],
        "res.partner": ["tz"],
        "res.currency": ["decimal_places"],
        "product.product": ["product_tmpl_id"],
        "product.template": ["categ_id", "uom_id"],
    }

    date = fields.Datetime(string="Delivery Date", readonly=True)
    # the company's day (and month), whatever the reader's timezone: as the other analyses count
    day = fields.Date(string="Delivery Day", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", readonly=True)
    order_id = fields.Many2one("sale.order", string="Sales Order", readonly=True)
    quantity = fields.Float(string="Quantity Delivered", readonly=True)
    uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    revenue = fields.Monetary(readonly=True)
    cost = fields.Monetary(
        readonly=True, groups="jxc_addon.group_jxc_manager",
        help="The stock value Odoo booked on the delivery (net of customer returns). Empty for a dropship: "
        "Odoo books no stock value on goods sent from the vendor straight to the customer (their cost is "
        "the vendor's bill), so such a sale has no cost or margin here.",
    )
    margin = fields.Monetary(
        readonly=True, groups="jxc_addon.group_jxc_manager",
        help="Revenue - cost. Empty for a dropship, which has no stock value (see Cost).",
    )
    is_top_seller = fields.Boolean(
        string="Top 10 Products", compute="_compute_is_top_seller", search="_search_is_top_seller",
        help="Among its company's 10 products of the highest revenue over the last 365 days (the graph's default: "
        "one bar per product for the few that matter, not one for every product sold).",
    )

    _jxc_top_n = 10

    @api.model
    def _get_top_products(self):
        """{company id: ids of its ``_jxc_top_n`` products of the highest net revenue over the 365
        days before today in its calendar}, for each company the user works in, among the rows
        they may read: revenues of companies in other currencies are not added up. A product
        whose returns outweigh its sales there is not a best seller."""
        top = {}
        for company in self.env.companies:
            since = local_midnight_utc(company, company_today(company) - timedelta(days=365))
            groups = self._read_group([("company_id", "=", company.id), ("date", ">=", since)], ["product_id"],
                                      ["revenue:sum"], having=[("revenue:sum", ">", 0)],
                                      order="revenue:sum desc, product_id", limit=self._jxc_top_n)
            top[company.id] = [product.id for product, _revenue in groups]
        return top

    @api.depends_context("uid", "company", "allowed_company_ids")
    def _compute_is_top_seller(self):
        top = self._get_top_products()
        for row in self:
            row.is_top_seller = row.product_id.id in top.get(row.company_id.id, ())

    def _search_is_top_seller(self, operator, value):
        if operator not in ("=", "!="):
            return NotImplemented
        top = Domain.OR(
            Domain("company_id", "=", company_id) & Domain("product_id", "in", product_ids)
            for company_id, product_ids in self._get_top_products().items()
        )
        return top if (operator == "=") == bool(value) else ~top

    @api.model
    def _prepare_jxc_xlsx_extra_sheets(self, domain):
        """The top products by revenue over the exported rows."""
        groups = self._read_group(domain, ["product_id"], ["quantity:sum", "revenue:sum"], order="revenue:sum desc",
                                  limit=self._jxc_top_n)
        columns = [
            {"title": self._fields["product_id"]._description_string(self.env), "type": "char"},
            # no quantity total: the products' quantities are in different units
            {"title": self._fields["quantity"]._description_string(self.env), "type": "float"},
            {"title": self._fields["uom_id"]._description_string(self.env), "type": "char"},
            {"title": self._fields["revenue"]._description_string(self.env), "type": "monetary", "total": True},
        ]
        rows = [[product.display_name, qty, product.uom_id.display_name, revenue] for product, qty, revenue in groups]
        if self._has_field_access(self._fields["margin"], "read"):
            margins = dict(self._read_group(domain + [("product_id", "in", [g[0].id for g in groups])],
                                            ["product_id"], ["margin:sum"]))
            columns.append({"title": self._fields["margin"]._description_string(self.env), "type": "monetary", "total": True})
            for row, (product, _qty, _revenue) in zip(rows, groups, strict=True):
                row.append(margins.get(product, 0.0))
        return [{"title": self.env._("Top %(n)s Products", n=self._jxc_top_n), "columns": columns, "rows": rows}]

    @property
    def _table_query(self):
        # LEFT JOINs on required foreign keys (the rows exist whenever sale_line_id is set) and the
        # delivered quantity as a scalar subquery: PostgreSQL drops what a query does not use, so
        # counting the rows or taking the latest 80 no longer joins or sums over all history.
        return SQL(
            """
            SELECT m.id, m.date, (m.date AT TIME ZONE 'UTC' AT TIME ZONE COALESCE(cp.tz, 'UTC'))::date AS day, m.company_id, c.currency_id, m.product_id, pt.categ_id,
                   so.partner_id, COALESCE(sl.warehouse_id, dl.warehouse_id) AS warehouse_id, so.id AS order_id,
                   sign * (SELECT SUM(ml.quantity_product_uom) FROM stock_move_line ml
                                  WHERE ml.move_id = m.id) AS quantity,
                   ROUND((sign * %(revenue)s / COALESCE(NULLIF(so.currency_rate, 0), 1.0))::numeric,
                         cur.decimal_places) AS revenue,
                   sign * m.value AS cost,
                   ROUND((sign * %(revenue)s / COALESCE(NULLIF(so.currency_rate, 0), 1.0))::numeric,
                         cur.decimal_places) - sign * m.value AS margin
              FROM stock_move m
              JOIN stock_location sl ON sl.id = m.location_id
              JOIN stock_location dl ON dl.id = m.location_dest_id
              LEFT JOIN sale_order_line sol ON sol.id = m.sale_line_id
              LEFT JOIN sale_order so ON so.id = sol.order_id
              LEFT JOIN res_company c ON c.id = m.company_id
              LEFT JOIN res_partner cp ON cp.id = c.partner_id
              -- rounded as the company's currency (Odoo's monetary fields): 3 decimals for KWD
              LEFT JOIN res_currency cur ON cur.id = c.currency_id
              LEFT JOIN product_product pp ON pp.id = m.product_id
              LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
              CROSS JOIN LATERAL (SELECT %(sign)s AS sign) s
             WHERE m.state = 'done' AND m.sale_line_id IS NOT NULL AND (%(net_demand)s OR %(dropship)s)
               -- a return counts only when it updates the order, as Odoo's delivered quantity
               -- (sale_stock's _get_outgoing_incoming_moves): goods taken back for repair or an
               -- exchange stay sold, and so does the replacement that goes out for them
               AND (m.origin_returned_move_id IS NULL OR m.to_refund)
            """,
            revenue=sale_move_revenue("m"), sign=sale_move_sign("sl", "dl"), net_demand=net_demand_condition("sl", "dl"),
            dropship=dropship_sql("sl", "dl"),
        )
