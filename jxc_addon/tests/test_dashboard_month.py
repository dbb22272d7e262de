"""The dashboard's figures of closed months (``jxc.dashboard.month``): measured every night
and stored, read by the dashboard instead of two years of moves. Stored figures equal the
live measure; a past document changed shows after the next night's measure, and the chart
says when that was; other settings, a month not stored or not closed are measured live;
company-bound, read-only for users; a company that fails is skipped and logged.

February 2025: customer A orders 8, the first delivery ships 6 (backorder of 2 shipped on the
20th), customer B orders 2, shipped at once: fill rate (6/8 + 2/2) / 2 = 87.5 %. Vendor A
delivers one order line of 10 on its planned day and another of 5 four days late: on time
(1 + 0) / 2 = 50 % of the lines (not 10 / 15 of the quantities)."""

from datetime import date, datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import JxcCommon

LOGGER = "odoo.addons.jxc_addon.models.jxc_dashboard_month"
NOW = "2025-03-05 04:00:00"


@tagged("post_install", "-at_install")
class TestDashboardMonth(JxcCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time("2025-01-05 04:00:00"):
            cls._set_on_hand(cls.product_1, 40)
        cls._sell_in_two(cls.customer_a, cls.product_1, 8, 6, "2025-02-10 04:00:00", "2025-02-20 04:00:00")
        with freeze_time("2025-02-22 04:00:00"):
            cls._deliver(cls._create_sale(cls.customer_b, [(cls.product_1, 2, 25.0)]))
        for planned, received, qty in (("2025-02-08", "2025-02-08", 10.0), ("2025-02-10", "2025-02-14", 5.0)):
            cls._buy(cls.vendor_a, [(cls.product_2, qty, 10.0)], "2025-02-01 02:00:00", f"{received} 04:00:00",
                     date_planned=f"{planned} 04:00:00")
        cls.company.jxc_supplier_on_time_tolerance = 0
        cls.env.flush_all()
        cls.Month = cls.env["jxc.dashboard.month"]

    def _store(self, at=NOW):
        with freeze_time(at):
            self.Month._cron_store_months()

    def _data(self, period="month"):
        with freeze_time(NOW):
            data = self.env["jxc.dashboard"].get_dashboard_data(period)
        return {tile["key"]: tile for tile in data["tiles"]}, {chart["key"]: chart for chart in data["charts"]}

    def _figures(self, key, days):
        with freeze_time(NOW):
            return self.Month._get_figures(self.company, key, days)

    def test_stored_months_are_the_live_measure(self):
        live_tiles, live_charts = self._data()
        live_quarter, _charts = self._data("quarter")
        self._store()
        rows = self.Month.search([("company_id", "=", self.company.id)])
        self.assertEqual(len(rows), 48)  # 24 closed months of two figures
        self.assertEqual(rows.mapped("month")[0], date(2023, 3, 1))
        february = {row.key: row for row in rows if row.month == date(2025, 2, 1)}
        self.assertEqual((february["service_level"].numerator, february["service_level"].denominator), (1.75, 2.0))
        self.assertEqual(
            (february["supplier_on_time_rate"].numerator, february["supplier_on_time_rate"].denominator), (1.0, 2.0))
        self.assertEqual(february["supplier_on_time_rate"].settings, "Asia/Shanghai|0|lines")

        tiles, charts = self._data()
        quarter, _charts = self._data("quarter")
        self.assertEqual(tiles["service_level"]["value"], live_tiles["service_level"]["value"])
        self.assertEqual(tiles["service_level"]["value"], 0.875)
        self.assertEqual(quarter["service_level"]["value"], live_quarter["service_level"]["value"])
        for key in ("service_level", "supplier_on_time_rate"):
            self.assertEqual(charts[key]["current"], live_charts[key]["current"], key)
            self.assertEqual(charts[key]["previous"], live_charts[key]["previous"], key)
            self.assertIsNone(live_charts[key]["measured_at"], key)
            self.assertEqual(charts[key]["measured_at"], NOW, key)
        self.assertEqual(charts["supplier_on_time_rate"]["current"][-1], 0.5)
        # stored: the tiles of both periods read the store in one query and measure nothing
        ServiceLevel = self.env["jxc.service.level"]
        Dashboard = self.env["jxc.dashboard"]
        with freeze_time(NOW):
            for period in ("month", "quarter"):
                periods = list(Dashboard._get_periods(self.company, period))
                with self.assertQueryCount(1):
                    ServiceLevel._get_jxc_dashboard_kpis_periods(self.company, periods)

    def test_a_changed_past_document_shows_after_the_night(self):
        self._store()
        # a February delivery validated late (a document of a closed month): ships 2 of 4
        self._sell_in_two(self.customer_b, self.product_1, 4, 2, "2025-02-25 04:00:00", "2025-03-02 04:00:00")
        self.env.flush_all()
        tiles, charts = self._data()
        self.assertEqual(tiles["service_level"]["value"], 0.875)
        self.assertEqual(charts["service_level"]["measured_at"], NOW)
        self._store(at="2025-03-06 01:00:00")
        tiles, charts = self._data()
        self.assertEqual(tiles["service_level"]["value"], 0.75)
        self.assertEqual(charts["service_level"]["measured_at"], "2025-03-06 01:00:00")
        # measured again: the rows are updated, not added
        self.assertEqual(self.Month.search_count([("company_id", "=", self.company.id)]), 48)

    def test_other_settings_are_measured_live(self):
        self._store()
        days = [date(2025, 1, 1), date(2025, 2, 1), date(2025, 3, 1)]
        self.assertEqual(self._figures("supplier_on_time_rate", days), ([(0.0, 0.0), (1.0, 2.0)], self.Month.search(
            [("company_id", "=", self.company.id)], limit=1).computed_at))
        self.company.jxc_supplier_on_time_tolerance = 5
        kits = self._kit_receipt_queries()
        with self.assertQueryCount(2 + kits):  # the store, then the receipts (and the kits')
            figures, measured_at = self._figures("supplier_on_time_rate", days)
        self.assertEqual(figures, [(0.0, 0.0), (2.0, 2.0)])
        self.assertIsNone(measured_at)
        # the fill rate does not depend on the tolerance: still stored
        self.assertIsNotNone(self._figures("service_level", days)[1])
        self.company.partner_id.tz = "Europe/Paris"
        self.assertEqual(self._figures("service_level", days), ([(0.0, 0.0), (1.75, 2.0)], None))

    def test_a_month_stored_as_quantities_is_measured_again(self):
        """February as an earlier version stored it, on time over received quantities (10 of
        15: 66.67 %) under the timezone and tolerance alone: the chart measures it again as the
        mean of the lines, 50 %, and the night stores that."""
        self.Month.create({
            "company_id": self.company.id, "key": "supplier_on_time_rate", "month": date(2025, 2, 1),
            "numerator": 10.0, "denominator": 15.0, "settings": "Asia/Shanghai|0", "computed_at": "2025-03-02 00:00:00",
        })
        days = [date(2025, 2, 1), date(2025, 3, 1)]
        self.assertEqual(self._figures("supplier_on_time_rate", days), ([(1.0, 2.0)], None))
        _tiles, charts = self._data()
        self.assertEqual(charts["supplier_on_time_rate"]["current"][-1], 0.5)
        self._store()
        stored = self.Month.search([("company_id", "=", self.company.id), ("key", "=", "supplier_on_time_rate"),
                                    ("month", "=", date(2025, 2, 1))])
        self.assertEqual((stored.numerator, stored.denominator, stored.settings), (1.0, 2.0, "Asia/Shanghai|0|lines"))
        self.assertEqual(self._figures("supplier_on_time_rate", days), ([(1.0, 2.0)], stored.computed_at))

    def test_months_not_stored_or_not_closed_are_measured_live(self):
        self._store()
        self.Month.search([("month", "=", date(2025, 1, 1))]).unlink()
        days = [date(2024, 12, 1), date(2025, 1, 1), date(2025, 2, 1), date(2025, 3, 1), date(2025, 4, 1)]
        ServiceLevel = self.env["jxc.service.level"]
        with freeze_time(NOW):
            live = ServiceLevel._get_fill_rates(self.company, days)
            # one query of the store, one measure of January to March (the open month)
            with self.assertQueryCount(2):
                figures, measured_at = self.Month._get_figures(self.company, "service_level", days)
        self.assertEqual(figures, live)
        self.assertEqual(figures[2], (1.75, 2.0))
        self.assertEqual(measured_at, self.Month.search([("company_id", "=", self.company.id)], limit=1).computed_at)
        # bounds that are not month starts are never read from the store
        with freeze_time(NOW):
            self.assertEqual(
                self.Month._get_figures(self.company, "service_level", [date(2025, 2, 1), date(2025, 2, 21)]),
                ([(0.75, 1.0)], None))

    def test_company_bound_and_read_only(self):
        self._store()
        self._create_other_company_manager("jxc_month_other")
        other = self.env["res.users"].search([("login", "=", "jxc_month_other")])
        self.assertFalse(self.Month.with_user(other).search([]))
        self.assertEqual(len(self.Month.with_user(self.jxc_user).search([])), 48)
        with self.assertRaises(AccessError):
            self.Month.with_user(self.jxc_manager).search([], limit=1).write({"numerator": 1.0})
        with self.assertRaises(AccessError):
            self.Month.with_user(self.plain_user).search([])

    def test_cron_skips_a_failing_company(self):
        other = self.env["res.company"].create({"name": "JXC Month Other"})
        Month = type(self.Month)
        original = Month._store_company

        def failing(model, company):
            if company == self.company:
                raise ZeroDivisionError("injected fault")
            return original(model, company)

        with patch.object(Month, "_store_company", failing), self.assertLogs(LOGGER, "ERROR") as logs:
            self._store()
        self.assertIn("not stored for company %s" % self.company.name, logs.output[0])
        self.assertFalse(self.Month.search_count([("company_id", "=", self.company.id)]))
        self.assertEqual(self.Month.search_count([("company_id", "=", other.id)]), 48)
        # the next call the same day continues with the company not measured yet
        self._store(at="2025-03-05 09:00:00")
        rows = self.Month.search([("company_id", "in", (self.company | other).ids)])
        self.assertEqual(len(rows), 96)
        self.assertEqual(set(rows.mapped("computed_at")), {datetime(2025, 3, 5, 9, 0), datetime(2025, 3, 5, 4, 0)})
        self.assertEqual(set(rows.filtered(lambda row: row.company_id == other).mapped("computed_at")),
                         {datetime(2025, 3, 5, 4, 0)})
