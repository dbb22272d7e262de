"""Shelf life (保质期): the company's own lots on hand by days left to their expiration date.

One row per lot and warehouse (internal locations of a warehouse, lots with an expiration
date, stock owned by the company). Days left count calendar days in the company's timezone
from today to the lot's ``expiration_date``; a lot is *expired* from that moment on (as
Odoo's ``product_expiry_alert``) and *near expiry* (近效期) from the start of its ``alert_date``'s
day in the company's timezone (the day the daily alert announces it) until then.
The buckets are each company's ``jxc_shelf_life_buckets`` (default 30, 90, 180 days) after
an *Expired* bucket. Value = quantity x the unit value of the add-on's own valuation of the
company's stock now (``jxc.stock.valuation``, the figure of the aging and dead-stock reports):
the value of the product in the warehouse over its quantity there, or for a lot-valuated
product the lot's own value per unit. Each company of the rows is valued once and by itself,
whatever companies the user has ticked; stock in transit or owned by a partner (consignment)
neither has a row nor changes the value of the others; nothing is valued for a user who may
not read the value. The vendor is the supplier of the lot's first receipt from a vendor
location; a lot never received from a vendor (e.g. found in a count) shows the product's
first seller (``product.supplierinfo`` order).
"""

from collections import defaultdict

from odoo import api, fields, models
from odoo.addons.jxc_addon.tools.age_buckets import bucket_label_sql, bucket_sequence_sql, day_limits_sql
from odoo.addons.jxc_addon.tools.row_id import stable_row_id_sql
from odoo.addons.jxc_addon.tools.sql_array import sql_array
from odoo.addons.jxc_addon.tools.warehouse_border import vendor_location_sql
from odoo.tools import SQL


class JxcShelfLifeReport(models.Model):
    _name = "jxc.shelf.life.report"
    _inherit = ["jxc.product.analysis.mixin"]
    _description = "JXC Shelf Life"
    _auto = False
    _order = "days_left, id"
    _rec_name = "lot_id"
    # the dashboard tiles are today's stock, whatever the period
    _jxc_dashboard_period_free = True

    _jxc_xlsx_fields = (
        ("product_id", None), ("lot_id", None), ("categ_id", None), ("warehouse_id", None), ("vendor_id", None),
        ("expiration_date", None), ("alert_date", None), ("days_left", None), ("shelf_life_bucket", None),
        ("quantity", None), ("uom_id", None), ("value", None),
    )
    # no quantity total: the lots are of different products, in different units
    _jxc_xlsx_totals = ("value",)
    _depends = {
        "stock.quant": ["company_id", "product_id", "lot_id", "location_id", "owner_id", "quantity"],
        "stock.lot": ["expiration_date", "alert_date"],
        "stock.location": ["usage", "warehouse_id", "company_id"],
        "stock.move.line": ["state", "date", "lot_id", "location_id", "picking_id", "company_id"],
        "stock.picking": ["partner_id"],
        "res.company": ["currency_id", "partner_id", "jxc_shelf_life_buckets"],
        "res.currency": ["decimal_places"],
        "res.partner": ["tz", "commercial_partner_id"],
        "product.product": ["product_tmpl_id"],
        "product.template": ["categ_id", "use_expiration_date"],
        "product.supplierinfo": ["partner_id", "product_tmpl_id", "product_id", "company_id", "sequence", "min_qty",
                                 "price"],
    }

    lot_id = fields.Many2one("stock.lot", string="Lot/Serial", readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", readonly=True)
    vendor_id = fields.Many2one(
        "res.partner", readonly=True,
        help="The vendor of the lot's first receipt; for a lot never received from a vendor, the product's "
        "first vendor.",
    )
    expiration_date = fields.Datetime(readonly=True)
    alert_date = fields.Datetime(readonly=True)
    days_left = fields.Integer(
        readonly=True, aggregator="min",
        help="Days from today to the expiration date, in the company's timezone (negative once expired).",
    )
    shelf_life_bucket = fields.Char(string="Shelf-life Bucket", readonly=True)
    bucket_sequence = fields.Integer(readonly=True, aggregator=None)
    is_expired = fields.Boolean(string="Expired", readonly=True)
    is_near_expiry = fields.Boolean(
        string="Near Expiry", readonly=True,
        help="The lot's alert date is reached (today or before, in the company's timezone) and it has not "
        "expired yet.",
    )
    quantity = fields.Float(string="On Hand", digits="Product Unit", readonly=True)
    uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    value = fields.Monetary(readonly=True, groups="jxc_addon.group_jxc_manager")

    @api.model
    def _get_jxc_xlsx_title(self):
        return self.env._("Shelf Life")

    @api.model
    def _get_jxc_dashboard_kpis(self, company, date_from, date_to):
        """Dashboard tiles: the lots near expiry and expired (counts), and for managers the value
        at risk (near expiry) and the expired value."""
        # the tiles read the report twice: the stock is valued once for both
        with self.env["jxc.stock.valuation"]._valuing_once():
            near_tiles = self._prepare_jxc_dashboard_tiles(
                company, "near_expiry", [("is_near_expiry", "=", True)], self.env._("Near Expiry"),
                self.env._("Near-Expiry Lots"), self.env._("Value at Risk (Near Expiry)"),
            )
            expired_tiles = self._prepare_jxc_dashboard_tiles(
                company, "expired", [("is_expired", "=", True)], self.env._("Expired"),
                self.env._("Expired Lots"), self.env._("Expired Stock Value"),
            )
        return near_tiles + expired_tiles

    @api.model
    def _prepare_jxc_dashboard_tiles(self, company, key, domain, name, count_label, value_label):
        domain = [("company_id", "=", company.id), *domain]
        show_values = self.env.user.has_group("jxc_addon.group_jxc_manager")
        # lots, not rows: a lot in two warehouses has a row in each
        aggregates = ["lot_id:count_distinct", "value:sum"] if show_values else ["lot_id:count_distinct"]
        figures = self._read_group(domain, [], aggregates)[0]
        action = {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": self._name,
            "views": [[False, "list"], [False, "pivot"], [False, "graph"]],
            "view_mode": "list,pivot,graph",
            "domain": domain,
        }
        # the lots as of now, whatever period the dashboard shows: marked so, never compared;
        # the count's list grouped by lot, as many groups as the tile counts
        tiles = [{"key": "%s_lots" % key, "label": count_label, "value": figures[0], "type": "int",
                  "action": {**action, "context": {"group_by": ["lot_id"]}}, "point_in_time": True}]
        if show_values:
            # no lot: nothing at risk, 0 (the sum of no rows comes back as False)
            tiles.append({"key": "%s_value" % key, "label": value_label, "value": figures[1] or 0.0, "type": "monetary",
                          "action": action, "point_in_time": True})
        return tiles

    @api.model
    def _get_unit_values(self):
        """SQL relation (company_id, product_id, warehouse_id, lot_id, unit_value) of the unit
        values of the stock the report shows (``_get_company_unit_values``); empty for a user
        who may not read the value: the stock is not valued for nothing."""
        rows = []
        if self._has_field_access(self._fields["value"], "read"):
            for company, lots in self._get_shown_lots().items():
                rows += self._get_company_unit_values(company, lots)
        columns = list(zip(*rows, strict=True)) or [(), (), (), (), ()]
        return SQL(
            "SELECT * FROM unnest(%s, %s, %s, %s, %s) AS v(company_id, product_id, warehouse_id, lot_id, unit_value)",
            *(sql_array(column, sql_type) for column, sql_type in zip(
                columns, ("int4", "int4", "int4", "int4", "numeric"), strict=True)),
        )

    @api.model
    def _get_shown_lots(self):
        """{company: lots} of the stock the report shows (each company's own lots with an
        expiration date on hand in its warehouses), of the companies whose rows the user reads
        (the record rules: the companies ticked; every company for the superuser)."""
        companies = self.env["res.company"].sudo().search([]) if self.env.su else self.env.companies
        groups = self.env["stock.quant"].sudo()._read_group(
            [("company_id", "in", companies.ids), ("lot_id.expiration_date", "!=", False),
             ("location_id.usage", "=", "internal"), ("location_id.warehouse_id", "!=", False),
             ("owner_id", "in", [False, *companies.partner_id.ids]), ("quantity", ">", 0)],
            ["company_id"], ["lot_id:recordset"],
        )
        return dict(groups)

    @api.model
    def _get_company_unit_values(self, company, lots):
        """Rows (company_id, product_id, warehouse_id, lot_id, unit_value) of ``company``'s
        unit values of the products of ``lots``, from the add-on's valuation of the company's
        own stock now (``jxc.stock.valuation``), each company by itself: per product and
        warehouse (the warehouse's value over its quantity; lot and warehouse empty: the
        company's, for a warehouse whose lots net to nothing); per lot for lot-valuated
        products, each lot valued as that valuation values it (Odoo's value of the lot over
        the quantity behind it)."""
        lot_valued = lots.filtered("product_id.lot_valuated")
        products = (lots - lot_valued).product_id
        rows = []
        if products:
            totals = defaultdict(lambda: [0.0, 0.0])
            stock_values = self.env["jxc.stock.valuation"]._get_stock_values_at(company, product_ids=products.ids)
            for (product_id, warehouse_id), (qty, value, _state) in stock_values.items():
                totals[product_id][0] += qty
                totals[product_id][1] += value
                if warehouse_id and qty:
                    rows.append((company.id, product_id, warehouse_id, None, value / qty))
            rows += [(company.id, pid, None, None, value / qty) for pid, (qty, value) in totals.items() if qty]
        # the company alone: the quantities behind a lot's value are the company's, not those
        # of every company the user ticked; all of them, as Odoo's quant value divides the lot's
        # value (``stock.lot.product_qty``: internal and transit locations, every owner), not
        # only what its warehouses hold
        for lot in lot_valued.sudo().with_context(allowed_company_ids=[company.id]):
            quantity = sum(lot.quant_ids.filtered(lambda quant: quant.company_id == company and (
                quant.location_id.usage == "internal"
                or quant.location_id.usage == "transit" and quant.location_id.company_id)).mapped("quantity"))
            if not lot.product_id.uom_id.is_zero(quantity):
                rows.append((company.id, lot.product_id.id, None, lot.id, lot.total_value / quantity))
        return rows

    @property
    def _table_query(self):
        # "now" comes from Python, so that a report read under a frozen clock (tests) or at any
        # time of the transaction counts the same days
        now = fields.Datetime.now()
        return SQL(
            """
            WITH unit_value AS (%(unit_values)s
            ), onhand AS (
                SELECT q.company_id, q.product_id, q.lot_id, l.warehouse_id, SUM(q.quantity) AS qty
                  FROM stock_quant q
                  JOIN stock_location l ON l.id = q.location_id
                  JOIN res_company c ON c.id = q.company_id
                 WHERE l.usage = 'internal' AND l.warehouse_id IS NOT NULL AND q.lot_id IS NOT NULL
                   AND (q.owner_id IS NULL OR q.owner_id = c.partner_id)
                 GROUP BY 1, 2, 3, 4 HAVING SUM(q.quantity) > 0
            ), first_receipt AS (
                -- per company: a lot of a product shared by companies has a first vendor in each
                SELECT DISTINCT ON (ml.company_id, ml.lot_id) ml.company_id, ml.lot_id,
                       rp.commercial_partner_id AS vendor_id
                  FROM stock_move_line ml
                  JOIN stock_location sl ON sl.id = ml.location_id
                  JOIN stock_picking p ON p.id = ml.picking_id
                  JOIN res_partner rp ON rp.id = p.partner_id
                 WHERE ml.state = 'done' AND %(from_vendor)s
                   AND ml.lot_id IN (SELECT lot_id FROM onhand)
                 ORDER BY ml.company_id, ml.lot_id, ml.date, ml.id
            ), dated AS (
                SELECT o.*, c.currency_id, lot.expiration_date, lot.alert_date,
                       %(limits)s AS limits,
                       lot.expiration_date <= %(now)s AS is_expired,
                       ((lot.expiration_date AT TIME ZONE 'UTC' AT TIME ZONE COALESCE(pa.tz, 'UTC'))::date
                        - (%(now)s::timestamp AT TIME ZONE 'UTC' AT TIME ZONE COALESCE(pa.tz, 'UTC'))::date)
                           AS days_left,
                       ((lot.alert_date AT TIME ZONE 'UTC' AT TIME ZONE COALESCE(pa.tz, 'UTC'))::date
                        <= (%(now)s::timestamp AT TIME ZONE 'UTC' AT TIME ZONE COALESCE(pa.tz, 'UTC'))::date)
                           AS alert_reached,
                       COALESCE(lu.unit_value, wu.unit_value, cu.unit_value) AS unit_value,
                       pp.product_tmpl_id, pt.categ_id
                  FROM onhand o
                  JOIN stock_lot lot ON lot.id = o.lot_id
                  JOIN res_company c ON c.id = o.company_id
                  JOIN res_partner pa ON pa.id = c.partner_id
                  JOIN product_product pp ON pp.id = o.product_id
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                  LEFT JOIN unit_value lu ON lu.company_id = o.company_id AND lu.lot_id = o.lot_id
                  LEFT JOIN unit_value wu ON wu.company_id = o.company_id AND wu.product_id = o.product_id
                                         AND wu.warehouse_id = o.warehouse_id
                  LEFT JOIN unit_value cu ON cu.company_id = o.company_id AND cu.product_id = o.product_id
                                         AND cu.warehouse_id IS NULL AND cu.lot_id IS NULL
                 -- a product whose expiration dates were switched off keeps its lots' old dates,
                 -- which Odoo no longer reads (its stock is available again)
                 WHERE lot.expiration_date IS NOT NULL AND pt.use_expiration_date
            ), bucketed AS (
                -- bucket 0 is the expired stock, bucket n the days left up to the n-th limit
                SELECT d.*, CASE WHEN d.is_expired THEN 0 ELSE %(seq)s END AS seq
                  FROM dated d
            )
            SELECT %(row_id)s AS id,
                   b.company_id, b.currency_id, b.product_id, b.lot_id, b.categ_id, b.warehouse_id,
                   COALESCE(fr.vendor_id, (
                       SELECT si.partner_id FROM product_supplierinfo si
                        WHERE si.product_tmpl_id = b.product_tmpl_id
                          AND (si.product_id IS NULL OR si.product_id = b.product_id)
                          AND (si.company_id IS NULL OR si.company_id = b.company_id)
                        ORDER BY si.sequence, si.min_qty DESC, si.price, si.id LIMIT 1)) AS vendor_id,
                   b.expiration_date, b.alert_date, b.days_left, b.is_expired,
                   NOT b.is_expired AND COALESCE(b.alert_reached, FALSE) AS is_near_expiry,
                   CASE WHEN b.seq = 0 THEN '0. ' || %(expired)s
                        ELSE %(bucket)s
                   END AS shelf_life_bucket,
                   b.seq AS bucket_sequence,
                   b.qty AS quantity,
                   ROUND((b.qty * COALESCE(b.unit_value, 0))::numeric, cur.decimal_places) AS value
              FROM bucketed b
              JOIN res_currency cur ON cur.id = b.currency_id
              LEFT JOIN first_receipt fr ON fr.lot_id = b.lot_id AND fr.company_id = b.company_id
            """,
            now=now,
            unit_values=self._get_unit_values(),
            limits=day_limits_sql(SQL("c.jxc_shelf_life_buckets"), "30,90,180"),
            from_vendor=vendor_location_sql(SQL("sl")),
            expired=self.env._("Expired"),
            bucket=bucket_label_sql(self.env, SQL("b.seq"), SQL("b.limits")),
            seq=bucket_sequence_sql(SQL("d.days_left"), SQL("d.limits")),
            row_id=stable_row_id_sql(SQL("b.company_id"), SQL("b.product_id"), SQL("b.lot_id"), SQL("b.warehouse_id")),
        )
