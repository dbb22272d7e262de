from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import SQL

from .common import JxcCommon, run_migration


@tagged("post_install", "-at_install")
class TestCarryingCost(JxcCommon):
    """Carrying cost = average inventory x annual rate + the warehouse's fixed monthly cost
    shared by average inventory value. Worked example: 100 units at 45 held all year at 80 %
    with a 250 share of the fixed cost: 3,600 + 250 = 3,850 (2,610 + 250 = 2,860 at 58 %)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.depot = cls.env["stock.warehouse"].create({"name": "JXC Depot", "code": "JXCD"})
        # 125 a month shared with a product worth five times as much: 125 / 6 x 12 = 250 a year
        cls.depot.jxc_monthly_fixed_cost = 125.0
        cls.chair, cls.table = cls.env["product.product"].create([
            cls._prepare_product_vals("JXC Chair", 45.0, 60.0, "JXC-CHAIR"),
            cls._prepare_product_vals("JXC Table", 45.0, 60.0, "JXC-TABLE"),
        ])
        with freeze_time("2024-12-10 04:00:00"):
            cls._set_on_hand(cls.chair, 100, location=cls.depot.lot_stock_id)
            cls._set_on_hand(cls.table, 500, location=cls.depot.lot_stock_id)
        cls.env["jxc.inventory.snapshot"]._backfill(cls.company, date(2024, 12, 1), date(2026, 1, 1))

    def _year_cost(self, product):
        report = self.env["jxc.turnover.report"]
        domain = [("product_id", "=", product.id), ("date", ">=", date(2025, 1, 1)), ("date", "<", date(2026, 1, 1))]
        return [round(value, 2) for value in report._read_group(domain, [], ["carrying_cost:sum", "fixed_carrying_cost:sum"])[0]]

    def test_worked_example(self):
        self.company.jxc_carrying_cost_rate = 80.0
        self.assertEqual(self._year_cost(self.chair), [3850.0, 250.0])
        self.company.jxc_carrying_cost_rate = 58.0
        self.env.invalidate_all()
        self.assertEqual(self._year_cost(self.chair), [2860.0, 250.0])
        self.assertEqual(self._year_cost(self.table), [22500 * 0.58 + 1250.0, 1250.0])

    def test_without_fixed_cost_only_the_rate(self):
        self.depot.jxc_monthly_fixed_cost = 0.0
        self.company.jxc_carrying_cost_rate = 80.0
        self.assertEqual(self._year_cost(self.chair), [3600.0, 0.0])

    def _month_cost(self, product, month_end):
        report = self.env["jxc.turnover.report"]
        domain = [("product_id", "=", product.id), ("date", "=", month_end)]
        return [round(value, 2) for value in report._read_group(domain, [], ["carrying_cost:sum", "fixed_carrying_cost:sum"])[0]]

    def test_a_month_recorded_live_keeps_its_settings(self):
        """January recorded by the monthly action at 80 % and 125 a month: a later 58 % and 300
        a month leave it as reported (4,500 x 80 % x 31 / 365 + 125 / 6); the back-filled
        February follows the settings (4,500 x 58 % x 28 / 365 + 300 / 6)."""
        self.company.jxc_carrying_cost_rate = 80.0
        Snapshot = self.env["jxc.inventory.snapshot"]
        Snapshot._record_month(self.company, date(2025, 1, 31), live=True)
        self.company.jxc_carrying_cost_rate = 58.0
        self.depot.jxc_monthly_fixed_cost = 300.0
        self.env.invalidate_all()
        january = [round(4500 * 0.80 * 31 / 365 + 125 / 6, 2), round(125 / 6, 2)]
        self.assertEqual(self._month_cost(self.chair, date(2025, 1, 31)), january)
        self.assertEqual(self._month_cost(self.chair, date(2025, 2, 28)), [round(4500 * 0.58 * 28 / 365 + 50, 2), 50.0])
        # recorded before this version: the upgrade gives the live months today's settings
        self.env.execute_query(SQL(
            "UPDATE jxc_inventory_snapshot SET carrying_cost_rate = 0, warehouse_fixed_cost = 0 WHERE is_live"))
        run_migration(self.env, "19.0.1.12.0")
        self.env.invalidate_all()
        self.assertEqual(self._month_cost(self.chair, date(2025, 1, 31)),
                         [round(4500 * 0.58 * 31 / 365 + 50, 2), 50.0])
