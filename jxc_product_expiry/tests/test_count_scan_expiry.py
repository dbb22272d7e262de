"""The scanning screen with expiration dates: a GS1 label's expiry (AI 17) on the lots it finds."""

from freezegun import freeze_time

from odoo.tests import tagged

from .common import JxcExpiryCommon

GTIN = "04006381333931"


@tagged("post_install", "-at_install")
class TestCountScanExpiry(JxcExpiryCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.yogurt.barcode = GTIN[1:]
        with freeze_time("2025-04-01 04:00:00"):
            cls.plan = cls.env["jxc.count.plan"].create({
                "warehouse_id": cls.warehouse.id, "product_ids": [(6, 0, cls.yogurt.ids)],
            })
            cls.plan.action_start()
        cls.stock = cls.warehouse.lot_stock_id

    def _scan(self, barcode):
        with freeze_time("2025-04-01 05:00:00"):
            return self.plan.jxc_scan(barcode, self.stock.id, False)

    def test_new_lot_takes_the_label_expiry(self):
        result = self._scan("01" + GTIN + "17250930" + "10Y-NEW")
        self.assertEqual((result["ok"], result["kind"], result["expiry"]), (True, "found", "2025-09-30"))
        lot = self.env["stock.lot"].search([("name", "=", "Y-NEW"), ("product_id", "=", self.yogurt.id)])
        # usable to the end of 30 September in Shanghai; product_expiry's alert 20 days before
        self.assertEqual(str(lot.expiration_date), "2025-09-30 15:59:59")
        self.assertEqual(str(lot.alert_date), "2025-09-10 15:59:59")
        self.assertIn("New lot Y-NEW expires on 09/30/2025.", result["message"])
        line = self.plan.line_ids.filtered(lambda line: line.lot_id == lot)
        self.assertEqual((line.counted_qty, line.is_found, str(line.lot_expiration_date)),
                         (1.0, True, "2025-09-30 15:59:59"))
        log = self.env["jxc.count.scan"].search([("plan_id", "=", self.plan.id)])
        self.assertEqual(str(log.label_expiry_date), "2025-09-30")

    def test_known_lot_keeps_its_date(self):
        """Y-B expires on 9 June (Shanghai): a matching label only counts, another one is pointed out."""
        result = self._scan("01" + GTIN + "17250609" + "10Y-B")
        self.assertEqual((result["ok"], result["kind"]), (True, "count"))
        self.assertNotIn("expires", result["message"])
        result = self._scan("01" + GTIN + "17250610" + "10Y-B")
        self.assertEqual((result["ok"], result["kind"]), (True, "count"))
        self.assertIn("The label says 06/10/2025 but lot Y-B expires on 06/09/2025", result["message"])
        self.assertEqual(str(self.lot_b.expiration_date), "2025-06-09 04:00:00")
        line = self.plan.line_ids.filtered(lambda line: line.lot_id == self.lot_b)
        self.assertEqual(line.counted_qty, 2.0)

    def test_product_without_expiration_dates(self):
        """A lot product that does not use expiration dates: the expiry stays on the scan log."""
        self.yogurt.use_expiration_date = False
        result = self._scan("01" + GTIN + "17250930" + "10Y-PLAIN")
        self.assertEqual((result["ok"], result["kind"]), (True, "found"))
        self.assertIn("is kept with this scan only", result["message"])
        lot = self.env["stock.lot"].search([("name", "=", "Y-PLAIN")])
        self.assertFalse(lot.expiration_date)
        log = self.env["jxc.count.scan"].search([("plan_id", "=", self.plan.id)])
        self.assertEqual(str(log.label_expiry_date), "2025-09-30")
