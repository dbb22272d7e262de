"""Issue 19: the dashboard's tiles say "–" where there is nothing to measure, point-in-time
tiles carry no trend, tiles come in groups with the key figures first, and the 12-month
charts (value, turnover, service level, on-time rate, count accuracy) carry the year before."""

import base64
import io
from datetime import date

import openpyxl
from freezegun import freeze_time
from lxml import html as lxml_html

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .analysis_common import JxcAnalysisCommon
from .common import JxcCommon, xlsx_file
from .common_supplier_graded import JxcSupplierGradedCommon


def _stock_and_sell(cls, stocked_at, sales, month_from, month_to):
    """100 widgets at 10.00 on hand at ``stocked_at``, sold [(quantity, delivered at)] to
    customer A, and the month ends from ``month_from`` to ``month_to`` back-filled."""
    with freeze_time(stocked_at):
        cls._set_on_hand(cls.product_1, 100)
    for qty, delivered_at in sales:
        cls._sell(cls.customer_a, [(cls.product_1, qty, 25.0)], delivered_at)
    cls.env.flush_all()
    cls.env["jxc.inventory.snapshot"]._backfill(cls.company, month_from, month_to)


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
        # blank as on screen, with the screen's note; the dead stock on hand is as of now
        self.assertEqual(sheet["Inventory Value"], (None, None, None, None, "Period", tiles["inventory_value"]["note"]))
        self.assertEqual(sheet["Carrying Cost in Period"][:5], (None, None, None, None, "Period"))
        dead = next(t for t in data["tiles"] if t["key"] == "dead_stock_value")
        self.assertTrue(dead["point_in_time"])
        self.assertEqual(sheet[dead["label"]][4], "Now")
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
        # the tile opens its month end; the chart's details the 24 month ends it draws
        self.assertEqual(value["action"]["domain"], [("company_id", "=", self.company.id), ("date", "=", date(2025, 2, 28))])
        self.assertEqual(chart["action"]["domain"], [
            ("company_id", "=", self.company.id), ("date", ">=", date(2023, 3, 1)), ("date", "<=", date(2025, 2, 28)),
        ])


@tagged("post_install", "-at_install")
class TestDashboardTurnoverDetails(JxcCommon):
    """100 widgets at 10.00 on hand from December 2024; 40 sold in January, 20 in February.
    Month ends: December 1,000.00; January 600.00 (cost of goods 400.00); February 400.00
    (200.00). February's turnover: 200 / ((600 + 400) / 2) = 0.4; its days of inventory
    28 x 500 / 200 = 70."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        _stock_and_sell(cls, "2024-12-05 04:00:00", [(40, "2025-01-15 04:00:00"), (20, "2025-02-10 04:00:00")],
                        date(2024, 12, 1), date(2025, 3, 1))

    def _data(self):
        with freeze_time("2025-03-05 04:00:00"):
            return self.env["jxc.dashboard"].get_dashboard_data("month")

    def test_turnover_tiles_open_the_period_whose_total_they_are(self):
        """The list behind the turnover tiles holds February alone (not January's deliveries):
        its total is the tiles' figures."""
        tiles = {t["key"]: t for t in self._data()["tiles"]}
        self.assertEqual((tiles["turnover"]["value"], tiles["days_of_inventory"]["value"]), (0.4, 70.0))
        for key in ("turnover", "days_of_inventory"):
            action = tiles[key]["action"]
            self.assertEqual(action["res_model"], "jxc.turnover.report", key)
            Report = self.env[action["res_model"]]
            [total] = Report._read_group(action["domain"], [], ["turnover:avg", "days_of_inventory:avg", "cogs_value:sum"])
            self.assertEqual(total, (0.4, 70.0, 200.0), key)
            [total] = Report.formatted_read_group(action["domain"], [], ["turnover:avg", "days_of_inventory:avg"])
            self.assertEqual((total["turnover:avg"], total["days_of_inventory:avg"]), (0.4, 70.0), key)

    def test_tile_lists_are_titled_in_the_users_date_format(self):
        self.env.ref("base.lang_en").date_format = "%d/%m/%Y"
        tiles = {t["key"]: t for t in self._data()["tiles"]}
        self.assertEqual([tiles[key]["action"]["name"] for key in ("inventory_value", "carrying_cost_year", "turnover")], [
            "Inventory Value at 28/02/2025", "Carrying Cost 01/02/2025 to 28/02/2025",
            "Turnover 01/02/2025 to 28/02/2025",
        ])

    def test_returns_above_deliveries_leave_the_days_of_inventory_empty(self):
        """March: 15 of January's widgets come back, nothing is sold. Used: -150; the turnover
        is -150 / ((400 + 550) / 2) as its list's, and the days of inventory undefined (-), as
        the list's total is, with the note why."""
        delivery = self.env["stock.picking"].search([
            ("partner_id", "=", self.customer_a.id), ("picking_type_code", "=", "outgoing")], order="date_done", limit=1)
        with freeze_time("2025-03-10 04:00:00"):
            self._return_picking(delivery, {self.product_1: 15})
        self.env["jxc.inventory.snapshot"]._backfill(self.company, date(2025, 3, 1), date(2025, 4, 1))
        with freeze_time("2025-04-05 04:00:00"):
            tiles = {t["key"]: t for t in self.env["jxc.dashboard"].get_dashboard_data("month")["tiles"]}
        turnover, days = tiles["turnover"], tiles["days_of_inventory"]
        self.assertAlmostEqual(turnover["value"], -150 / 475)
        self.assertIsNone(days["value"])
        self.assertIn("customer returns were worth more than the deliveries", days["note"])
        [total] = self.env["jxc.turnover.report"]._read_group(days["action"]["domain"], [],
                                                              ["turnover:avg", "days_of_inventory:avg"])
        self.assertAlmostEqual(total[0], -150 / 475)
        self.assertIs(total[1], False)  # the read group's empty aggregate

    def test_no_class_changes_tile_without_a_default_abc_profile(self):
        """No default ABC profile classifies the products: no class changes measured (not 0)."""
        self.assertFalse(self.env["jxc.abc.profile"].search([("company_id", "=", self.company.id), ("is_default", "=", True)]))
        kpis = self.env["jxc.abc.profile"]._get_jxc_dashboard_kpis(self.company, date(2025, 2, 1), date(2025, 3, 1))
        self.assertEqual(kpis, [])
        self.assertNotIn("abc_class_changes", {t["key"] for t in self._data()["tiles"]})
        self.env["jxc.abc.profile"].create({"name": "JXC ABC", "is_default": True})
        self.assertEqual({t["key"]: t["value"] for t in self._data()["tiles"]}["abc_class_changes"], 0.0)

    def test_monthly_summary_printed_by_managers_only(self):
        """The summary reads the inventory values, which the dashboard hides from the users."""
        dashboard = self.env["jxc.dashboard"]
        with freeze_time("2025-03-05 04:00:00"):
            self.assertIs(dashboard.with_user(self.jxc_user).get_dashboard_data("month")["can_print_summary"], False)
            self.assertIs(dashboard.with_user(self.jxc_manager).get_dashboard_data("month")["can_print_summary"], True)
            with self.assertRaisesRegex(AccessError, "^Only inventory control managers can print the monthly summary.$"):
                dashboard.with_user(self.jxc_user).action_print_summary("month")
            action = dashboard.with_user(self.jxc_manager).action_print_summary("month")
        self.assertEqual((action["type"], action["report_name"], action["data"]),
                         ("ir.actions.report", "jxc_addon.report_jxc_monthly_summary", {"month": "2025-02-01"}))

    def test_month_below_zero_has_no_turnover(self):
        """A month end below zero (March: -500.00, set on its snapshot row) after
        February's 400.00, with 900.00 delivered in March: its turnover is undefined without
        average stock, "–" on the tile, a gap in the chart and a blank in the Excel sheet, as
        the turnover report leaves it empty; not 900 / ((400 - 500) / 2) = -18."""
        self._sell(self.customer_a, [(self.product_1, 90, 25.0)], "2025-03-10 04:00:00")
        Snapshot = self.env["jxc.inventory.snapshot"]
        Snapshot._backfill(self.company, date(2025, 3, 1), date(2025, 4, 1))
        march = Snapshot.search([("company_id", "=", self.company.id), ("date", "=", date(2025, 3, 31)),
                                 ("product_id", "=", self.product_1.id)])
        self.assertEqual(len(march), 1)
        march.write({"quantity": -50.0, "value": -500.0})
        Dashboard = self.env["jxc.dashboard"].with_context(lang="en_US")
        with freeze_time("2025-04-05 04:00:00"):
            data = Dashboard.get_dashboard_data("month")
            book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(
                xlsx_file(Dashboard.action_export_xlsx("month")).datas)))
        self.assertIsNone(next(t for t in data["tiles"] if t["key"] == "turnover")["value"])
        charts = {c["key"]: c for c in data["charts"]}
        self.assertEqual(charts["inventory_value"]["current"][-2:], [400.0, -500.0])
        self.assertEqual(charts["turnover"]["current"][-2:], [0.4, None])
        self.assertEqual([row[1:] for row in book["12 Months"].iter_rows(min_row=5, values_only=True)][-2:],
                         [(400.0, 0.4), (-500.0, None)])
        [[turnover]] = self.env["jxc.turnover.report"]._read_group(
            [("company_id", "=", self.company.id), ("date", "=", date(2025, 3, 31))], [], ["turnover:avg"])
        self.assertIs(turnover, False)

    def test_chart_details_are_the_months_the_chart_draws(self):
        """A chart's details open its 24 month ends; the graph by month gives its points."""
        charts = {c["key"]: c for c in self._data()["charts"]}
        for key, aggregate in (("inventory_value", "value:sum"), ("turnover", "turnover:avg")):
            chart = charts[key]
            labels = ["%s%s" % (int(label[:4]) - 1, label[4:]) for label in chart["labels"]] + chart["labels"]
            points = {label: value for label, value in zip(labels, chart["previous"] + chart["current"], strict=True)
                      if value is not None}
            action = chart["action"]
            self.assertEqual(action["domain"][1:], [("date", ">=", date(2023, 3, 1)), ("date", "<=", date(2025, 2, 28))], key)
            groups = self.env[action["res_model"]]._read_group(action["domain"], ["date:month"], [aggregate])
            self.assertEqual({day.strftime("%Y-%m"): round(figure, 2) for day, figure in groups}, points, key)
        self.assertEqual(charts["inventory_value"]["current"][-3:], [1000.0, 600.0, 400.0])
        self.assertEqual(charts["turnover"]["current"][-3:], [0.0, 0.5, 0.4])

    def test_other_charts_details_are_their_24_months(self):
        """The service level, count accuracy and supplier on-time charts open the records of
        the 24 months they draw, where their tiles open February alone."""
        data = self._data()
        charts, tiles = {c["key"]: c for c in data["charts"]}, {t["key"]: t for t in data["tiles"]}
        Picking = self.env["stock.picking"]
        # the deliveries of 15 January and 10 February
        self.assertEqual(Picking.search_count(tiles["service_level"]["action"]["domain"]), 1)
        self.assertEqual(Picking.search_count(charts["service_level"]["action"]["domain"]), 2)
        start, stop = self.env["jxc.count.plan"]._get_jxc_period_bounds(self.company, date(2023, 3, 1), date(2025, 3, 1))
        domain = charts["count_accuracy"]["action"]["domain"]
        self.assertEqual([term for term in domain if term[0] == "date_done"],
                         [("date_done", ">=", start), ("date_done", "<", stop)])
        domain = charts["supplier_on_time_rate"]["action"]["domain"]
        self.assertEqual([term for term in domain if term[0] in ("date_from", "date_to")],
                         [("date_from", "<", date(2025, 3, 1)), ("date_to", ">=", date(2023, 3, 1))])
        self.assertNotEqual(domain, tiles["supplier_on_time_rate"]["action"]["domain"])

    def test_monthly_summary_lays_out_the_tiles_as_the_screen(self):
        """The PDF prints the screen's tiles in the screen's order (not the ABC "no movement"
        count the screen hides) and marks those that are a state as of now."""
        self.env["jxc.abc.profile"].create({"name": "JXC ABC", "is_default": True})
        with freeze_time("2025-03-05 04:00:00"):
            screen = self.env["jxc.dashboard"].get_dashboard_data("month")
            values = self.env["report.jxc_addon.report_jxc_monthly_summary"]._get_report_values(
                self.company.ids, data={"month": "2025-02-01"})
            html = self.env["ir.actions.report"]._render_qweb_html(
                "jxc_addon.report_jxc_monthly_summary", self.company.ids, data={"month": "2025-02-01"})[0]
        keys = [kpi["key"] for kpi in values["kpis"]]
        self.assertNotIn("abc_class_n", keys)
        self.assertIn("abc_class_a", keys)
        self.assertEqual(keys, [tile["key"] for group in screen["groups"] for tile in group["tiles"]])
        self.assertEqual(keys[:5], ["inventory_value", "service_level", "turnover", "jxc_projected_stockouts", "dead_stock_value"])
        self.assertEqual([group["key"] for group in values["kpi_groups"]], ["key", "buy", "stock", "count", "cost"])
        now = {"jxc_projected_stockouts", "dead_stock_value", "jxc_below_safety_stock", "jxc_forecast_drift",
               "dead_stock_products", "abc_class_a", "jxc_overstock_value"}
        marked = {kpi["key"] for kpi in values["kpis"] if kpi["point_in_time"]}
        # the shelf-life bridge's lot tiles, when it is installed, are its own tests' to check
        self.assertEqual({key for key in marked if not key.startswith(("near_expiry_", "expired_"))}, now)
        rows = {row.get("data-key"): row for row in lxml_html.fromstring(html).xpath("//table[hasclass('o_jxc_kpis')]//tr[@data-key]")}
        self.assertEqual(list(rows), keys)
        for key, row in rows.items():
            mark = [span.text for span in row.xpath(".//span[hasclass('o_jxc_now')]")]
            self.assertEqual(mark, ["Now"] if key in marked else [], key)
        self.assertIn("Now: the current state (as last computed), not the state at the end of the month.", html.decode())


@tagged("post_install", "-at_install")
class TestDashboardTurnoverFirstStockInPeriod(JxcCommon):
    """The first stock arrives on 5 October 2025 (100 widgets at 10.00); 20 sold in October,
    20 in November. Last 3 months, as of 5 December: September (no stock, no rows) to
    November. Average inventory (0 + 600) / 2 = 300, cost of goods 400: turnover 1.33; days of
    inventory over the period's 91 days, September included: 91 x 300 / 400 = 68.25 (not the
    61 days of October and November, 45.75)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        _stock_and_sell(cls, "2025-10-05 04:00:00", [(20, "2025-10-15 04:00:00"), (20, "2025-11-10 04:00:00")],
                        date(2025, 9, 1), date(2025, 12, 1))

    def test_days_of_inventory_span_the_period_before_the_first_stock(self):
        with freeze_time("2025-12-05 04:00:00"):
            data = self.env["jxc.dashboard"].get_dashboard_data("quarter")
        self.assertEqual((data["date_from"], data["date_to"]), ("2025-09-01", "2025-11-30"))
        tiles = {t["key"]: t for t in data["tiles"]}
        self.assertEqual(round(tiles["turnover"]["value"], 4), round(400.0 / 300.0, 4))
        self.assertEqual(tiles["days_of_inventory"]["value"], 68.25)
        action = tiles["days_of_inventory"]["action"]
        Report = self.env[action["res_model"]]
        self.assertEqual(Report.search_count(action["domain"] + [("date", "<", date(2025, 10, 31))]), 0)
        [total] = Report._read_group(
            action["domain"], [], ["turnover:avg", "days_of_inventory:avg", "period_days:max", "used_value:sum"])
        self.assertEqual((round(total[0], 4), total[1], total[2], total[3]), (round(400.0 / 300.0, 4), 68.25, 91, 400.0))
        [total] = Report.formatted_read_group(action["domain"], [], ["days_of_inventory:avg"])
        self.assertEqual(total["days_of_inventory:avg"], 68.25)
        # a filter on November alone spans November's 30 days: 30 x (800 + 600) / 2 / 200
        [total] = Report._read_group(
            action["domain"] + [("date", ">=", date(2025, 11, 1)), ("date", "<=", date(2025, 11, 30))],
            [], ["days_of_inventory:avg", "period_days:max"])
        self.assertEqual(total, (105.0, 30))
        # a filter into December, not recorded yet on 5 December, spans the recorded months only,
        # whatever a company the user does not work in recorded already
        other = self.env["res.company"].create({"name": "JXC Ahead Co"})
        self.env["jxc.inventory.snapshot"].sudo().create(
            {"date": date(2025, 12, 31), "company_id": other.id, "product_id": self.product_1.id})
        Report = Report.with_context(allowed_company_ids=self.company.ids)
        [total] = Report._read_group(
            action["domain"][:-1] + [("date", "<=", date(2025, 12, 31))], [], ["days_of_inventory:avg", "period_days:max"])
        self.assertEqual(total, (68.25, 91))


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
class TestDashboardVendorsEvaluated(JxcSupplierGradedCommon):
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
        # the lists they open show as many groups as the tiles count
        Evaluation = self.env["jxc.supplier.evaluation"]
        for key in ("supplier_evaluations", "supplier_at_risk"):
            action = tiles[key]["action"]
            self.assertEqual(action["context"], {"group_by": ["partner_id"]})
            groups = Evaluation._read_group(action["domain"], action["context"]["group_by"])
            self.assertEqual(len(groups), tiles[key]["value"], key)

    def test_month_of_a_company_evaluating_by_quarter(self):
        """Evaluated by quarter: on 5 April, last month (March) lies inside the first quarter.
        The tile's on-time rate is March's receipts, measured as the evaluations measure them
        (the chart's March); the vendors evaluated and at risk are the quarter's, which the tiles
        open. Before, no period lay inside March: "–" and 0 vendors."""
        self.company.jxc_supplier_period_type = "quarter"
        q1 = self.env["jxc.supplier.period"].create({"period_type": "quarter", "date_from": date(2025, 1, 1)})
        q1.action_compute()
        self.assertTrue(q1.evaluation_ids)
        Dashboard = self.env["jxc.dashboard"]
        with freeze_time("2025-04-05 04:00:00"):
            tiles = {t["key"]: t for t in Dashboard.get_dashboard_data("month")["tiles"]}
            [march, _april], _measured = Dashboard._get_on_time_rates(
                self.company, [date(2025, 3, 1), date(2025, 4, 1), date(2025, 5, 1)])
        # March's receipts (common_supplier.py), the mean of the order lines: vendor A's widgets 6
        # of 10 on time and gadgets 15 of 15, vendor B's widgets 10 of 10
        self.assertAlmostEqual(march, (0.6 + 1 + 1) / 3)
        self.assertAlmostEqual(tiles["supplier_on_time_rate"]["value"], (0.6 + 1 + 1) / 3)
        self.assertEqual(tiles["supplier_evaluations"]["value"], len(q1.evaluation_ids.partner_id))
        self.assertEqual(tiles["supplier_at_risk"]["value"], len(q1.evaluation_ids.filtered("risk").partner_id))
        Evaluation = self.env["jxc.supplier.evaluation"]
        self.assertEqual(Evaluation.search(tiles["supplier_evaluations"]["action"]["domain"]), q1.evaluation_ids)

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
            lines = sum(d["received_lines"] for d in data)
            expected.append(sum(d["on_time_sum"] for d in data) / lines if lines else None)
        self.assertTrue(any(rate is not None and rate < 1.0 for rate in expected), "a month with late receipts")
        kits = self._kit_receipt_queries()
        queries = self.env.cr.sql_log_count
        with freeze_time("2025-04-05 04:00:00"):
            self.assertEqual(Dashboard._get_on_time_rates(self.company, months), (expected, None))
        # the store, then the receipts (and, with jxc_mrp, the receipts of kits: one more)
        self.assertEqual(self.env.cr.sql_log_count - queries, 2 + kits)
