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

    def test_new_lot_takes_the_label_best_before(self):
        """A label with a best-before date (AI 15) and no expiry: product_expiry puts the best
        before the product's use_time (10 days) before the expiration date, so the lot expires 10
        days after the label's best before and is best before the label's day."""
        self.yogurt.use_time = 10
        result = self._scan("01" + GTIN + "15250920" + "10Y-BB")
        self.assertEqual((result["ok"], result["kind"], result["expiry"]), (True, "found", False))
        lot = self.env["stock.lot"].search([("name", "=", "Y-BB"), ("product_id", "=", self.yogurt.id)])
        self.assertEqual(
            (str(lot.use_date), str(lot.expiration_date), str(lot.alert_date)),
            ("2025-09-20 15:59:59", "2025-09-30 15:59:59", "2025-09-10 15:59:59"),
        )
        self.assertEqual(result["best_before"], "2025-09-20")
        self.assertIn("New lot Y-BB expires on 09/30/2025 (best before 09/20/2025 on the label).", result["message"])

    def test_new_lot_takes_both_dates_of_the_label(self):
        """A label with an expiry (AI 17, 30 September) and a best before (AI 15, 31 August):
        the lot expires on the label's day and is best before the label's other day, not the
        product's use_time (10 days) before the expiry; product_expiry's alert and removal dates
        are still computed from the expiry."""
        self.yogurt.use_time = 10
        result = self._scan("01" + GTIN + "17250930" + "15250831" + "10Y-BOTH")
        self.assertEqual((result["ok"], result["expiry"], result["best_before"]), (True, "2025-09-30", "2025-08-31"))
        lot = self.env["stock.lot"].search([("name", "=", "Y-BOTH"), ("product_id", "=", self.yogurt.id)])
        self.assertEqual(
            (str(lot.expiration_date), str(lot.use_date), str(lot.alert_date), str(lot.removal_date)),
            ("2025-09-30 15:59:59", "2025-08-31 15:59:59", "2025-09-10 15:59:59", "2025-09-30 15:59:59"),
        )

    def test_best_before_across_summer_time(self):
        """A company in Berlin: best before 25 March 2025, 10 days of use time across the
        change to summer time (30 March): the lot expires at the end of 4 April there (21:59:59
        UTC in summer time), not at 00:59:59 on 5 April."""
        self.company.partner_id.tz = "Europe/Berlin"
        self.yogurt.use_time = 10
        result = self._scan("01" + GTIN + "15250325" + "10Y-DST")
        self.assertEqual(result["ok"], True, result["message"])
        lot = self.env["stock.lot"].search([("name", "=", "Y-DST"), ("product_id", "=", self.yogurt.id)])
        self.assertEqual(str(lot.expiration_date), "2025-04-04 21:59:59")

    def test_new_lot_without_dates_on_the_label(self):
        """Neither expiry (AI 17) nor best before (AI 15) on the label: the new lot keeps
        product_expiry's default (today + 100 days) and the screen says the label had no date."""
        result = self._scan("01" + GTIN + "10Y-NODATE")
        self.assertEqual((result["ok"], result["kind"]), (True, "found"))
        lot = self.env["stock.lot"].search([("name", "=", "Y-NODATE"), ("product_id", "=", self.yogurt.id)])
        self.assertEqual(str(lot.expiration_date), "2025-07-10 05:00:00")
        self.assertIn("The label has no expiry date: new lot Y-NODATE expires on 07/10/2025, the product's default "
                      "(100 days from today).", result["message"])
        # a lot Odoo knows keeps its date: nothing to say
        result = self._scan("01" + GTIN + "10Y-B")
        self.assertEqual((result["ok"], result["kind"]), (True, "count"))
        self.assertNotIn("expir", result["message"])
