import math
from datetime import datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .common import JxcCommon


@tagged("post_install", "-at_install")
class TestVendorLeadTime(JxcCommon):
    """Measured lead times, shared by supplier evaluation and safety stock."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Confirmed at 17:00 UTC = 01:00 next day in Shanghai (the company's timezone).
        with freeze_time("2025-03-10 17:00:00"):
            cls.po_a = cls._create_purchase(cls.vendor_a, [(cls.product_1, 10.0, 10.0)])
            cls.po_b = cls._create_purchase(cls.vendor_b, [(cls.product_3, 4.0, 50.0)])
        # 6 of 10 arrive on 14 March 23:00 Shanghai: 3 days (11 -> 14), 4 if dates were taken in UTC.
        with freeze_time("2025-03-14 15:00:00"):
            cls._receive(cls.po_a, {cls.product_1: 6.0})
            cls._receive(cls.po_b)
        # The backorder arrives on 21 March 00:30 Shanghai: 10 days.
        with freeze_time("2025-03-20 16:30:00"):
            cls._receive(cls.po_a)
            # A return to the vendor is not a receipt.
            cls._return_picking(cls.po_a.picking_ids.filtered(lambda p: p.backorder_id), {cls.product_1: 2.0})
        cls.date_from = datetime(2025, 3, 1)
        cls.date_to = datetime(2025, 4, 1)

    def test_per_vendor(self):
        stats = self.env["purchase.order.line"]._get_jxc_lead_time_stats(self.date_from, self.date_to, self.company)
        self.assertEqual(stats[self.vendor_a.id]["count"], 2)
        self.assertAlmostEqual(stats[self.vendor_a.id]["mean"], 6.5)
        self.assertAlmostEqual(stats[self.vendor_a.id]["stddev"], math.sqrt(24.5))
        self.assertEqual(stats[self.vendor_b.id]["count"], 1)
        self.assertAlmostEqual(stats[self.vendor_b.id]["mean"], 3.0)
        self.assertEqual(stats[self.vendor_b.id]["stddev"], 0.0)

    def test_per_product_and_filters(self):
        Line = self.env["purchase.order.line"]
        stats = Line._get_jxc_lead_time_stats(
            self.date_from, self.date_to, self.company, partner_ids=[self.vendor_a.id], by_product=True,
        )
        self.assertEqual(list(stats), [(self.vendor_a.id, self.product_1.id)])
        # Outside the window: nothing.
        self.assertEqual(Line._get_jxc_lead_time_stats(datetime(2025, 4, 1), datetime(2025, 5, 1), self.company), {})
        # Only the receipt of 14 March falls before 15 March.
        early = Line._get_jxc_lead_time_stats(self.date_from, datetime(2025, 3, 15), self.company)
        self.assertEqual(early[self.vendor_a.id]["count"], 1)
        self.assertAlmostEqual(early[self.vendor_a.id]["mean"], 3.0)

    def test_other_company_sees_nothing(self):
        other = self.env["res.company"].create({"name": "JXC Other Co"})
        self.assertEqual(
            self.env["purchase.order.line"]._get_jxc_lead_time_stats(self.date_from, self.date_to, other), {}
        )

    def test_orders_to_a_contact_belong_to_the_vendor(self):
        contact = self.env["res.partner"].create({"name": "JXC Vendor A Desk", "parent_id": self.vendor_a.id})
        with freeze_time("2025-03-10 17:00:00"):
            po = self._create_purchase(contact, [(self.product_2, 5.0, 4.0)])
        with freeze_time("2025-03-12 15:00:00"):  # 11 -> 12 March in Shanghai: 1 day
            self._receive(po)
        Line = self.env["purchase.order.line"]
        stats = Line._get_jxc_lead_time_stats(self.date_from, self.date_to, self.company)
        self.assertNotIn(contact.id, stats)
        self.assertEqual(stats[self.vendor_a.id]["count"], 3)
        self.assertAlmostEqual(stats[self.vendor_a.id]["mean"], 14 / 3)
        by_product = Line._get_jxc_lead_time_stats(
            self.date_from, self.date_to, self.company, partner_ids=[self.vendor_a.id], by_product=True,
        )
        self.assertEqual(by_product[self.vendor_a.id, self.product_2.id]["count"], 1)
