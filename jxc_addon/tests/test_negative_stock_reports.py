"""A warehouse below zero while the company as a whole holds stock (delivered from a warehouse
that had none) on the screens that show the valuation: the snapshot's history state and the
dashboard's note say why the row is negative, and the stock aging report keeps its negative
value (in a bucket of its own, not aged) so that its total is Odoo's valuation."""

from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .valuation_common import JxcValuationCommon

NOW = "2026-01-15 04:00:00"


@tagged("post_install", "-at_install")
class TestNegativeWarehouseReports(JxcValuationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # created at 5, 110 bought at 12 into WH1, 10 delivered from WH1 and 10 from WH2, which
        # held none: WH1 100, WH2 -10, the company 90 at Odoo's 12 a unit (AVCO)
        cls.product = cls._product("average", cost=5.0, code="NEGR")
        cls._buy(cls.vendor_a, [(cls.product, 110, 12.0)], "2025-01-05 04:00:00")
        cls._sell(cls.customer_a, [(cls.product, 10, 30.0)], "2025-01-10 04:00:00")
        cls._sell(cls.customer_a, [(cls.product, 10, 30.0)], "2025-01-12 04:00:00", warehouse=cls.warehouse_2)

    def test_snapshot_flags_the_negative_warehouse_and_the_dashboard_says_why(self):
        Snapshot = self.env["jxc.inventory.snapshot"]
        Snapshot.search([]).unlink()
        with freeze_time(NOW):
            Snapshot._backfill(self.company, date(2025, 1, 1), date(2025, 2, 1))
        rows = Snapshot.search([("product_id", "=", self.product.id), ("date", "=", date(2025, 1, 31))])
        self.assertEqual({r.warehouse_id: (r.quantity, r.value, r.history_state) for r in rows}, {
            self.warehouse: (100.0, 1200.0, False),
            self.warehouse_2: (-10.0, -120.0, "negative"),
        })
        # the warehouses add up to Odoo's value of the product at the month end
        self.assertEqualsOdoo(self.product, date(2025, 1, 31), 1080.0)
        self.assertEqual(sum(rows.mapped("value")), 1080.0)
        with freeze_time(NOW):
            tiles = {
                kpi["key"]: kpi for kpi in self.env["jxc.dashboard"].with_user(self.jxc_manager)._get_kpis(
                    self.company, date(2025, 1, 1), date(2025, 2, 1))
            }
        self.assertEqual(
            tiles["inventory_value"]["note"],
            "1 product(s) below zero in a warehouse while the company holds stock: valued as Odoo values its "
            "quants, at the company's value per unit, the negative warehouse included (see the History column).",
        )
        self.assertEqual(tiles["turnover"]["note"], tiles["inventory_value"]["note"])

    def test_aging_keeps_the_negative_value(self):
        """WH1's 100 are aged from their receipt at 1,200; WH2's -10 have no age, their -120 are
        in the bucket Negative Stock: the report's value is Odoo's 1,080 (product and quants)."""
        self.env.flush_all()
        self.env.invalidate_all()
        with freeze_time(NOW):
            rows = self.env["jxc.stock.aging.report"].search([("product_id", "=", self.product.id)])
            self.assertEqual(
                sorted((r.warehouse_id.code, r.age_days, r.age_bucket, r.quantity, r.value) for r in rows), [
                    (self.warehouse_2.code, 0, "Negative Stock", -10.0, -120.0),
                    (self.warehouse.code, 375, "6. >365 days", 100.0, 1200.0),
                ])
            self.assertFalse(rows.filtered(lambda r: r.quantity < 0).receipt_date)
            odoo_total = self.product.with_company(self.company).total_value
            quants = self.env["stock.quant"].search([("product_id", "=", self.product.id), ("company_id", "=", self.company.id)])
            odoo_wh2 = sum(quants.filtered(lambda q: q.location_id.warehouse_id == self.warehouse_2).mapped("value"))
        self.assertEqual(round(odoo_total, 2), 1080.0)
        self.assertEqual(round(odoo_wh2, 2), -120.0)
        self.assertEqual(sum(rows.mapped("value")), round(odoo_total, 2))
