"""Issue 20: the dashboard does less work for the same figures.

* the dead-stock tile values the dead products only: a product's value does not depend on the
  other products, so ``_get_stock_values_at`` restricted to some products gives their figures
  of the full valuation, to the cent;
* Odoo's cost method is asked once per (category, company) and is Odoo's for every product;
* the service-level tiles of two periods come from one query and equal the tiles computed
  period by period;
* a list page of the dead-stock and aging views and its count value the stock once, and run
  the view once: the same page and length as Odoo's page-then-count.

Fill rates: January 2025, 4 asked, the first delivery ships 2 (the rest on 25 January): 50 %;
February, 8 asked of which 6 shipped first, plus 2 shipped at once: 80 %; the quarter
December-February: (2 + 6 + 2) / (4 + 8 + 2).
"""

from unittest.mock import patch

from freezegun import freeze_time

from odoo.addons.web.models.models import Base
from odoo.sql_db import Cursor
from odoo.tests import tagged

from .valuation_common import JxcValuationCommon


@tagged("post_install", "-at_install")
class TestDashboardShortcuts(JxcValuationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fifo = cls._product("fifo", cost=5.0, code="SHF")
        cls.average = cls._product("average", cost=8.0, code="SHA")
        cls.standard = cls._product("standard", cost=12.0, code="SHS")
        cls._buy(cls.vendor_a, [(cls.fifo, 10, 5.0), (cls.average, 10, 8.0), (cls.standard, 10, 12.0)],
                 "2025-01-05 04:00:00")
        cls._buy(cls.vendor_a, [(cls.fifo, 10, 7.0), (cls.average, 10, 10.0)], "2025-01-06 04:00:00",
                 warehouse=cls.warehouse_2)
        cls._sell_in_two(cls.customer_a, cls.fifo, 4, 2, "2025-01-10 04:00:00", "2025-01-25 04:00:00")
        cls._sell_in_two(cls.customer_a, cls.average, 8, 6, "2025-02-10 04:00:00", "2025-02-20 04:00:00")
        cls._sell(cls.customer_b, [(cls.standard, 2, 20.0)], "2025-02-22 04:00:00")
        cls.env.flush_all()

    def test_values_of_some_products_are_those_of_the_full_valuation(self):
        Valuation = self.env["jxc.stock.valuation"]
        with freeze_time("2025-03-05 04:00:00"):
            full = Valuation._get_stock_values_at(self.company)
            some = Valuation._get_stock_values_at(self.company, product_ids=[self.fifo.id, self.standard.id])
        self.assertEqual(some, {key: row for key, row in full.items() if key[0] in (self.fifo.id, self.standard.id)})
        # FIFO: 6 left of 10 @ 5 in WH1 (30), 10 @ 7 in WH2 (70): 100 shared pro rata 6 / 10
        self.assertEqual(some[self.fifo.id, self.warehouse.id], (6.0, 37.5, False))
        self.assertEqual(some[self.fifo.id, self.warehouse_2.id], (10.0, 62.5, False))
        self.assertEqual(some[self.standard.id, self.warehouse.id], (8.0, 96.0, False))

    def test_cost_methods_are_odoo_s(self):
        # a category of its own without a cost method set: the company's default
        unset = self.env["product.category"].create({"name": "JXC default method"})
        default = self.env["product.product"].create({
            **self._prepare_product_vals("JXC default method", 3.0, 9.0, "SHD"), "categ_id": unset.id,
        })
        by_lot = self.env["product.product"].create({
            **self._prepare_product_vals("JXC lot valued", 3.0, 9.0, "SHL"), "tracking": "lot", "lot_valuated": True,
        })
        products = (self.fifo | self.average | self.standard | default | by_lot).with_company(self.company)
        methods, lot_valued_ids = self.env["jxc.stock.valuation"]._get_cost_methods(products)
        self.assertEqual(methods, {product.id: product.cost_method for product in products})
        self.assertEqual(lot_valued_ids, {by_lot.id})
        self.assertEqual(set(products.filtered("lot_valuated").ids), {by_lot.id})
        self.assertEqual([methods[p.id] for p in products[:3]], ["fifo", "average", "standard"])
        self.assertEqual(methods[default.id], self.company.cost_method)

    def test_service_level_periods_in_one_query(self):
        ServiceLevel = self.env["jxc.service.level"]
        Dashboard = self.env["jxc.dashboard"]
        with freeze_time("2025-03-05 04:00:00"):
            for period, expected in (("month", (0.875, 0.5)), ("quarter", (0.75, None))):
                periods = list(Dashboard._get_periods(self.company, period))
                # the closed months stored (none yet: ``jxc.dashboard.month``), then one measure
                with self.assertQueryCount(2):
                    together = ServiceLevel._get_jxc_dashboard_kpis_periods(self.company, periods)
                one_by_one = [ServiceLevel._get_jxc_dashboard_kpis(self.company, *p) for p in periods]
                self.assertEqual(together, one_by_one, period)
                self.assertEqual(tuple(tiles[0]["value"] for tiles in together), expected, period)

    def test_list_page_and_count_value_the_stock_once(self):
        Valuation = type(self.env["jxc.stock.valuation"])
        original = Valuation._get_values
        calls = []

        def counted(model, *args, **kwargs):
            calls.append(model._name)
            return original(model, *args, **kwargs)

        products = [self.fifo.id, self.average.id, self.standard.id]
        for model, spec in (("jxc.dead.stock.report", {"value": {}}), ("jxc.stock.aging.report", {"value": {}})):
            Report = self.env[model]
            with self.subTest(model=model), freeze_time("2025-03-05 04:00:00"):
                expected = Report.search([("product_id", "in", products)]).mapped("value")
                calls.clear()
                with patch.object(Valuation, "_get_values", counted):
                    # a page of 2 rows is full: its count is needed too
                    page = Report.web_search_read([("product_id", "in", products)], spec, limit=2)
                self.assertEqual((len(calls), page["length"]), (1, len(expected)))
                self.assertEqual([row["value"] for row in page["records"]], expected[:2])
                # out of the block, the next read values the stock as it is then
                self._buy(self.vendor_a, [(self.standard, 1, 12.0)], "2025-03-05 04:00:00")
                self.env.invalidate_all()  # a new request: the rows read above are not in its cache
                self.assertEqual(sum(Report.search([("product_id", "in", products)]).mapped("value")),
                                 round(sum(expected) + 12.0, 2))

    def test_list_page_and_count_in_one_run_of_the_view(self):
        products = [self.fifo.id, self.average.id, self.standard.id]
        domain = [("product_id", "in", products)]
        original = Cursor.execute
        view_runs = []
        for model, spec in (("jxc.dead.stock.report", {"value": {}, "product_id": {"fields": {"display_name": {}}}}),
                            ("jxc.stock.aging.report", {"value": {}, "age_days": {}, "quantity": {}})):
            # a manager, not the superuser: the record rules read the company of the page's rows
            Report = self.env[model].with_user(self.jxc_manager)

            def counted(cursor, query, params=None, log_exceptions=True, table=Report._table):
                if '"%s"' % table in str(query):
                    view_runs.append(str(query))
                return original(cursor, query, params, log_exceptions)

            total = Report.search_count(domain)
            self.assertGreaterEqual(total, 5, "the fixture gives several pages of 2 rows")
            with freeze_time("2025-03-05 04:00:00"):
                for offset, limit, count_limit, cap in ((0, 2, None, 50000), (2, 2, None, 50000), (4, 2, None, 50000),
                                                        (0, 2, 3, 50000), (2, 2, 3, 50000), (0, 80, None, 50000),
                                                        (0, 2, None, 3), (0, 2, None, 0)):
                    with self.subTest(model=model, offset=offset, limit=limit, count_limit=count_limit, cap=cap):
                        kwargs = {"offset": offset, "limit": limit, "count_limit": count_limit}
                        self.env.invalidate_all()
                        odoo = Base.web_search_read(Report, domain, spec, **kwargs)
                        self.env.invalidate_all()
                        view_runs.clear()
                        with patch.object(type(Report), "_jxc_counted_rows", cap), patch.object(Cursor, "execute", counted):
                            ours = Report.web_search_read(domain, spec, **kwargs)
                        self.assertEqual(ours, odoo)
                        # one run of the view unless there are more rows than it counts (cap 3)
                        # or it does not (cap 0): then Odoo's count follows a full page
                        counted_here = cap > limit and offset + cap > total
                        full_page = len(odoo["records"]) == limit and not (count_limit and count_limit <= offset + limit)
                        self.assertEqual(len(view_runs), 1 if counted_here or not full_page else 2, view_runs)
