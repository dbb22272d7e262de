"""Issue 19: the dashboard's tiles say "–" where there is nothing to measure, point-in-time
tiles carry no trend, tiles come in groups with the key figures first, and the 12-month
charts (value, turnover, service level, on-time rate, count accuracy) carry the year before."""

import base64
import io
from datetime import date

import openpyxl
from freezegun import freeze_time

from odoo.tests import tagged

from .analysis_common import JxcAnalysisCommon
from .common import JxcCommon, xlsx_file
from .common_supplier import JxcSupplierCommon


@tagged("post_install", "-at_install")
class TestDashboardServiceLevel(JxcCommon):
    """February 2025: customer A orders 8 widgets, the first delivery ships 6 (backorder of 2,
    shipped on the 20th); customer B orders 2, shipped at once. Fill rate = the mean of the
    delivery lines' fills = (6/8 + 2/2) / 2 = 87.5 %."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time("2025-01-05 04:00:00"):
            cls._set_on_hand(cls.product_1, 20)
        cls.sale_a = cls._sell_in_two(cls.customer_a, cls.product_1, 8, 6, "2025-02-10 04:00:00", "2025-02-20 04:00:00")
        with freeze_time("2025-02-22 04:00:00"):
            cls._deliver(cls._create_sale(cls.customer_b, [(cls.product_1, 2, 25.0)]))
        cls.env.flush_all()
        cls.env["jxc.inventory.snapshot"]._backfill(cls.company, date(2025, 1, 1), date(2025, 3, 1))

    def _data(self, period="month"):
        with freeze_time("2025-03-05 04:00:00"):
            return self.env["jxc.dashboard"].get_dashboard_data(period)

    def test_fill_rate_tile_and_chart(self):
        self.assertEqual(len(self.sale_a.picking_ids), 2)  # the delivery and its backorder
        data = self._data()
        tile = next(t for t in data["tiles"] if t["key"] == "service_level")
        self.assertEqual(tile["value"], 0.875)
        self.assertEqual(tile["display"], "87.5 %")
        self.assertIsNone(tile["previous"])  # January: no delivery
        self.assertFalse(tile["compare"])
        # the tile's list: the two first deliveries done in February (the backorder counts in its first)
        self.assertEqual(self.env["stock.picking"].search_count(tile["action"]["domain"]), 2)
        chart = next(c for c in data["charts"] if c["key"] == "service_level")
        self.assertEqual(chart["labels"][-1], "2025-02")
        self.assertEqual(chart["labels"][0], "2024-03")
        self.assertEqual(chart["current"], [None] * 11 + [0.875])
        self.assertEqual(chart["previous"], [None] * 12)

    def test_nothing_to_measure_is_a_dash(self):
        """Nothing counted, nothing received from vendors: "–", no "0.0 %" and no trend."""
        tiles = {t["key"]: t for t in self._data()["tiles"]}
        for key in ("count_accuracy", "supplier_on_time_rate"):
            self.assertIsNone(tiles[key]["value"], key)
            self.assertEqual(tiles[key]["display"], "–", key)
            self.assertFalse(tiles[key]["compare"], key)
        charts = {c["key"]: c for c in self._data()["charts"]}
        self.assertEqual(charts["count_accuracy"]["current"], [None] * 12)

    def test_month_end_not_recorded_is_a_dash(self):
        """In April the month end of March is not recorded yet (the snapshots end in February):
        with 100.00 in stock the value tile must not say 0.00. It says "–" with the reason, as
        the chart's March and the carrying cost and turnover tiles, and the Excel sheet leaves
        them blank as the screen does."""
        Dashboard = self.env["jxc.dashboard"].with_context(lang="en_US")
        with freeze_time("2025-04-10 04:00:00"):
            data = Dashboard.get_dashboard_data("month")
            book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(
                xlsx_file(Dashboard.action_export_xlsx("month")).datas)))
        self.assertEqual(self.product_1.qty_available, 10)
        tiles = {t["key"]: t for t in data["tiles"]}
        for key in ("inventory_value", "carrying_cost_year", "turnover", "days_of_inventory"):
            self.assertIsNone(tiles[key]["value"], key)
            self.assertEqual(tiles[key]["display"], "–", key)
            self.assertFalse(tiles[key]["compare"], key)
        self.assertIn("The month end 2025-03-31 is not recorded yet", tiles["inventory_value"]["note"])
        chart = next(c for c in data["charts"] if c["key"] == "inventory_value")
        self.assertEqual(chart["current"][-3:], [200.0, 100.0, None])
        sheet = {row[0]: row[1:] for row in book["KPIs"].iter_rows(min_row=5, values_only=True)}
        self.assertEqual(sheet["Inventory Value"], (None, None, None))
        self.assertEqual(sheet["Carrying Cost in Period"], (None, None, None))
        # February's month end is recorded: a figure, and no note
        with freeze_time("2025-03-05 04:00:00"):
            february = {t["key"]: t for t in Dashboard.get_dashboard_data("month")["tiles"]}
        self.assertEqual(february["inventory_value"]["value"], 100.0)
        self.assertFalse(february["inventory_value"]["note"])
        self.assertIsNotNone(february["carrying_cost_year"]["value"])

    def test_groups_and_point_in_time(self):
        data = self._data()
        self.assertEqual([g["key"] for g in data["groups"]], ["key", "buy", "stock", "count", "cost"])
        key_figures = [t["key"] for t in data["groups"][0]["tiles"]]
        self.assertEqual(key_figures[:3], ["inventory_value", "service_level", "turnover"])
        self.assertNotIn("abc_class_n", [t["key"] for t in data["tiles"]])
        tiles = {t["key"]: t for t in data["tiles"]}
        # a state as of now has no "previous period": no "■0 % (67)"
        for key in ("jxc_projected_stockouts", "dead_stock_value", "dead_stock_products"):
            self.assertTrue(tiles[key]["point_in_time"], key)
            self.assertFalse(tiles[key]["compare"], key)
            self.assertEqual(tiles[key]["previous_display"], "", key)
        # inventory value: 20 x 10 at January's end, 10 x 10 at February's
        value = tiles["inventory_value"]
        self.assertEqual((value["value"], value["previous"], value["compare"]), (100.0, 200.0, True))
        # which way is good news: a stock value falling is neither (no colour), losses rising is bad
        self.assertEqual(
            (value["better"], tiles["count_loss_value"]["better"], tiles["turnover"]["better"]),
            (None, "lower", "higher"),
        )
        chart = next(c for c in data["charts"] if c["key"] == "inventory_value")
        self.assertEqual(chart["current"][-2:], [200.0, 100.0])
        self.assertEqual(chart["previous"], [None] * 12)
        self.assertEqual(chart["action"], value["action"])


@tagged("post_install", "-at_install")
class TestDashboardPeriodTiles(JxcAnalysisCommon):
    def test_carrying_cost_follows_the_period(self):
        """Average inventory x 20 % x days / 365 -- Jan: WH1 500 (8.49), WH2 150 (2.55); Feb: WH1
        825 (12.66), WH2 300 (4.60): last month is February alone, the last quarter both."""
        with freeze_time("2025-03-05 04:00:00"):
            month = {t["key"]: t for t in self.env["jxc.dashboard"].get_dashboard_data("month")["tiles"]}
            quarter = {t["key"]: t for t in self.env["jxc.dashboard"].get_dashboard_data("quarter")["tiles"]}
        self.assertAlmostEqual(month["carrying_cost_year"]["value"], 12.66 + 4.60, places=2)
        self.assertAlmostEqual(month["carrying_cost_year"]["previous"], 8.49 + 2.55, places=2)
        self.assertAlmostEqual(quarter["carrying_cost_year"]["value"], 8.49 + 2.55 + 12.66 + 4.60, places=2)
        self.assertEqual(month["carrying_cost_year"]["label"], "Carrying Cost in Period")


@tagged("post_install", "-at_install")
class TestDashboardVendorsEvaluated(JxcSupplierCommon):
    def test_vendors_not_evaluations(self):
        (self.february | self.march).action_compute()
        evaluations = self.env["jxc.supplier.evaluation"].search([("company_id", "=", self.company.id)])
        vendors = evaluations.partner_id
        self.assertGreater(len(evaluations), len(vendors))  # vendors evaluated in both months
        with freeze_time("2025-04-05 04:00:00"):
            tiles = {t["key"]: t for t in self.env["jxc.dashboard"].get_dashboard_data("quarter")["tiles"]}
        self.assertEqual(tiles["supplier_evaluations"]["value"], len(vendors))
        self.assertEqual(tiles["supplier_evaluations"]["label"], "Vendors Evaluated")
        at_risk = evaluations.filtered("risk").partner_id
        self.assertEqual(tiles["supplier_at_risk"]["value"], len(at_risk))

    def test_on_time_chart_is_the_evaluation_measure_per_month(self):
        """The on-time chart measures all its months in one query (nothing stored yet for the
        closed months: ``jxc.dashboard.month``); each month equals the supplier evaluation's
        own measure of that month (``_get_receipt_data``)."""
        Dashboard = self.env["jxc.dashboard"]
        months = [date(2024, 12, 1), date(2025, 1, 1), date(2025, 2, 1), date(2025, 3, 1), date(2025, 4, 1)]
        bounds = Dashboard._get_day_bounds(self.company, months)
        period = self.env["jxc.supplier.period"].new({"company_id": self.company.id})
        expected = []
        for start, stop in zip(bounds, bounds[1:], strict=False):
            data = period._get_receipt_data(start, stop).values()
            received = sum(d["received_qty"] for d in data)
            expected.append(sum(d["on_time_qty"] for d in data) / received if received else None)
        self.assertTrue(any(rate is not None and rate < 1.0 for rate in expected), "a month with late receipts")
        queries = self.env.cr.sql_log_count
        with freeze_time("2025-04-05 04:00:00"):
            self.assertEqual(Dashboard._get_on_time_rates(self.company, months), (expected, None))
        self.assertEqual(self.env.cr.sql_log_count - queries, 2)  # the store, then the receipts
