"""The analysis queries that scale (one aggregate per side of the move lines, counting without
joining) give the rows the data implies, with query counts that do not grow with the rows.

Twenty products: a third never went out (dead), a third went out long ago, a third sold 10 days
ago; five also lie in a second warehouse.
"""

from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .analysis_common import JxcAnalysisCommon
from .common import JxcCommon


@tagged("post_install", "-at_install")
class TestAnalysisScaling(JxcCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._set_stock_status_limits(dead_days=90, slow_rate=2.0)
        cls.warehouse_2 = cls.env["stock.warehouse"].create({"name": "JXC Scaling Warehouse", "code": "JXCS"})
        cls.products = cls.env["product.product"].create([
            cls._prepare_product_vals("JXC Scale %02d" % i, 2.0 + i, 9.0 + i, "JXC-S%02d" % i) for i in range(20)
        ])
        now = datetime.now()
        with freeze_time(now - timedelta(days=500)):
            for i, product in enumerate(cls.products):
                cls._set_on_hand(product, 10 + i)
                if i < 5:
                    cls._set_on_hand(product, 4 + i, location=cls.warehouse_2.lot_stock_id)
        with freeze_time(now - timedelta(days=400)):
            cls._deliver(cls._create_sale(cls.customer_a, [(p, 2, 20.0) for p in cls.products[1::3]]))
        with freeze_time(now - timedelta(days=10)):
            cls._deliver(cls._create_sale(cls.customer_b, [(p, 1 + i, 30.0) for i, p in enumerate(cls.products[2::3])]))
        cls.env.flush_all()

    def test_dead_stock_rows(self):
        # in_stock_since came later (issue 19); the value is Odoo's valuation now, equal here
        # (standard cost, no revaluation) to the reference's quantity x cost
        report = self.env["jxc.dead.stock.report"].search([("product_id", "in", self.products.ids)])
        self.assertEqual(len(report), 25)  # 20 products in the first warehouse, 5 in the second
        # never sold or last sold 400 days ago: dead; sold 10 days ago: slow (see below)
        self.assertEqual(
            {(r.product_id, r.warehouse_id) for r in report if r.stock_status == "dead"},
            {(p, self.warehouse) for i, p in enumerate(self.products) if i % 3 != 2}
            | {(p, self.warehouse_2) for p in self.products[:5]},
        )
        # standard cost 2 + i, nothing revalued: Odoo's valuation is quantity x cost
        self.assertEqual(
            {r.product_id: r.value for r in report if r.warehouse_id == self.warehouse_2},
            {p: (4 + i) * (2.0 + i) for i, p in enumerate(self.products[:5])},
        )
        by_key = {(r.product_id, r.warehouse_id): r for r in report}
        p0, p1, p2 = self.products[:3]
        self.assertEqual(by_key[p0, self.warehouse].stock_status, "dead")
        self.assertEqual(by_key[p0, self.warehouse].window_out_qty, 0.0)
        self.assertEqual(by_key[p1, self.warehouse].quantity, 9.0)  # 11 - 2 delivered 400 days ago
        self.assertEqual(by_key[p1, self.warehouse].stock_status, "dead")
        # 1 delivered 10 days ago out of 12: 1 x 365 / 90 / 11 = 0.37 a year < 2 -> slow
        self.assertEqual(by_key[p2, self.warehouse].window_out_qty, 1.0)
        self.assertAlmostEqual(by_key[p2, self.warehouse].annual_turnover, 365 / 90 / 11, places=6)
        self.assertEqual(by_key[p2, self.warehouse].stock_status, "slow")
        self.assertEqual(by_key[p2, self.warehouse_2].stock_status, "dead")  # never left the second warehouse

    def test_sales_rows(self):
        report = self.env["jxc.sales.report"].search([("product_id", "in", self.products.ids)])
        self.assertEqual(len(report), 13)  # one delivery line per product sold
        expected = dict.fromkeys(self.products[1::3], (2.0, 40.0))
        expected.update({p: (1.0 + i, 30.0 * (1 + i)) for i, p in enumerate(self.products[2::3])})
        self.assertEqual({r.product_id: (r.quantity, r.revenue) for r in report}, expected)
        # cost of the goods at standard cost 2 + i, margin = revenue - cost
        for row in report:
            cost = row.quantity * row.product_id.standard_price
            self.assertAlmostEqual(row.cost, cost, places=2)
            self.assertAlmostEqual(row.margin, row.revenue - cost, places=2)
        rows = self.env["jxc.sales.report"].search([("product_id", "=", self.products[5].id)])
        self.assertEqual(rows.mapped("quantity"), [2.0])  # products[5] is the second of [2::3]: 1 + 1
        self.assertEqual(rows.mapped("revenue"), [60.0])

    def test_xlsx_rows_same_as_read(self):
        """The column-wise sheet gives the cells the record-wise read() formatting gave."""
        for model in ("jxc.dead.stock.report", "jxc.sales.report"):
            Model = self.env[model].with_context(lang="en_US")
            names = [name for name, _t in Model._jxc_xlsx_fields]
            records = Model.search_fetch([("product_id", "in", self.products.ids)], names, order=Model._order)
            expected = []
            for values in records.read(names):
                row = []
                for name in names:
                    field, value = Model._fields[name], values[name]
                    if field.type == "many2one":
                        value = value[1] if value else ""
                    elif field.type == "selection":
                        value = dict(field._description_selection(Model.env)).get(value, "") if value else ""
                    row.append(value)
                expected.append(row)
            self.assertTrue(expected, model)
            self.assertEqual(Model._prepare_jxc_xlsx_sheet(records)["rows"], expected, model)

    def _export_queries(self, model, products):
        self.env.invalidate_all()
        Model = self.env[model].with_context(active_domain=[("product_id", "in", products.ids)])
        self.env.user.partner_id.mapped("name")  # the same user records in cache for every measure
        before = self.env.cr.sql_log_count
        Model.action_export_xlsx()
        return self.env.cr.sql_log_count - before

    def test_export_queries_flat(self):
        for model in ("jxc.dead.stock.report", "jxc.sales.report", "jxc.stock.aging.report"):
            self._export_queries(model, self.products)  # warm the registry's caches
            self.assertEqual(
                self._export_queries(model, self.products[:2] | self.products[2::3][:1]),
                self._export_queries(model, self.products), model,
            )

    def test_dashboard_dead_stock_computed_once(self):
        """The dead-stock tile is the stock on hand now: the previous period reuses it (trend 0)."""
        calls = []
        Report = self.env.registry["jxc.dead.stock.report"]
        original = Report._get_jxc_dashboard_kpis

        def counting(model, company, date_from, date_to):
            calls.append((date_from, date_to))
            return original(model, company, date_from, date_to)

        self.patch(Report, "_get_jxc_dashboard_kpis", counting)
        data = self.env["jxc.dashboard"].get_dashboard_data("month")
        self.assertEqual(len(calls), 1)
        tile = next(t for t in data["tiles"] if t["key"] == "dead_stock_value")
        self.assertEqual(tile["previous"], tile["value"])
        self.assertEqual(tile["trend"], 0.0)
        dead = self.env["jxc.dead.stock.report"].search(tile["action"]["domain"])
        self.assertAlmostEqual(tile["value"], sum(dead.mapped("value")), places=2)


@tagged("post_install", "-at_install")
class TestDashboardPeriods(JxcAnalysisCommon):
    def test_carrying_cost_periods_in_one_query(self):
        """The carrying-cost tiles of several periods (one query, and one for the recorded month
        ends) equal one _read_group per period."""
        Turnover = self.env["jxc.turnover.report"]
        periods = [(date(2025, 2, 1), date(2025, 3, 1)), (date(2025, 3, 1), date(2025, 4, 1)),
                   (date(2024, 12, 1), date(2025, 1, 1))]
        before = self.env.cr.sql_log_count
        tiles = Turnover._get_jxc_dashboard_kpis_periods(self.company, periods)
        self.assertEqual(self.env.cr.sql_log_count - before, 2)
        for (date_from, date_to), (tile,) in zip(periods[:2], tiles, strict=False):
            expected = Turnover._read_group(tile["action"]["domain"], [], ["carrying_cost:sum"])[0][0]
            self.assertEqual(tile["value"], expected)
            self.assertEqual(Turnover._get_jxc_dashboard_kpis(self.company, date_from, date_to), [tile])
        # each period's own months (Feb: WH1 825 -> 12.66, WH2 300 -> 4.60), not the year to date
        self.assertAlmostEqual(tiles[0][0]["value"], 12.66 + 4.60, places=2)
        # December 2024, before the first recorded month end: nothing to measure ("–"), not 0.00
        self.assertIsNone(tiles[2][0]["value"])


@tagged("post_install", "-at_install")
class TestBackfillQueries(JxcCommon):
    """The back-fill values every month end of every product in a number of queries that does
    not grow with the products: average-cost and FIFO products are replayed from one read of
    their moves (``jxc.stock.valuation``), not asked to Odoo one by one."""

    def _products(self, count, method, start):
        categ = self._create_category("JXC scaling %s %s" % (method, start), method)
        with freeze_time("2024-12-01 04:00:00"):
            return self.env["product.product"].create([
                {**self._prepare_product_vals("JXC S%s" % i, 3.0, 5.0, "JXC-S%s" % i), "categ_id": categ.id}
                for i in range(start, start + count)
            ])

    def _flow(self, products):
        for month in (1, 2, 3):
            with freeze_time("2025-%02d-05 04:00:00" % month):
                self._receive(self._create_purchase(self.vendor_a, [(p, 10, 3.0 + month) for p in products]))
            with freeze_time("2025-%02d-15 04:00:00" % month):
                self._deliver(self._create_sale(self.customer_a, [(p, 6, 9.0) for p in products]))

    def _backfill_queries(self):
        Snapshot = self.env["jxc.inventory.snapshot"]
        Snapshot._backfill(self.company, date(2025, 1, 1), date(2025, 7, 1))  # warms the ormcaches
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        Snapshot._backfill(self.company, date(2025, 1, 1), date(2025, 7, 1))
        return self.env.cr.sql_log_count - before

    def test_backfill_queries_flat(self):
        few = self._products(2, "average", 0) | self._products(2, "fifo", 100)
        self._flow(few)
        queries_few = self._backfill_queries()
        more = self._products(8, "average", 200) | self._products(8, "fifo", 300)
        self._flow(more)
        queries_more = self._backfill_queries()
        # 6 month ends of 4, then of 20 products: the same number of queries (measured: 43;
        # the rows are inserted month by month, one INSERT per 100 rows of a month)
        self.assertEqual(queries_more, queries_few)
        self.assertLess(queries_more, 60)
        rows = self.env["jxc.inventory.snapshot"].search([("product_id", "in", more.ids), ("date", "=", date(2025, 3, 31))])
        # 12 left on March 31st; each product's value is Odoo's own (FIFO: 10 x 6 + 2 x 5 = 70)
        self.assertEqual(len(rows), 16)
        for row in rows:
            product = row.product_id.with_company(self.company).with_context(to_date=date(2025, 3, 31))
            self.assertEqual(round(row.value, 2), round(product.total_value, 2), row.product_id.display_name)
