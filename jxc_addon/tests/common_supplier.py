"""Fixtures of the supplier evaluation tests: a worked example over March 2025.

All times are UTC; the company works in Asia/Shanghai (UTC+8), so 02:00 UTC is 10:00 the
same day in Shanghai. Default criteria: on-time 30 %, fill rate 20 %, quality 20 %,
price 15 % (scale 20), lead time 15 % (scale 10); quality scale 10.

February (vendor B only): PO 10 x product_1 @ 11, confirmed 3 Feb, planned and received
10 Feb (7 days, promised 3: not late, the planned 7 days being later) -> on-time 100, fill
100, quality 100, lead time 100, no price data (one vendor) -> score 100, grade A.

March:
- Vendor A, confirmed 3 Mar: 10 x product_1 @ 10 planned 10 Mar; 6 received 8 Mar (on
  time, 5 days), 4 received 13 Mar (late, 10 days), 1 returned 14 Mar (updating the order: 9 received). 20 x product_2 @ 4
  planned 20 Mar; 15 received 20 Mar (on time, 17 days), rest cancelled. One quality
  incident of 1 unit on 21 Mar.
- Vendor B, confirmed 5 Mar: 10 x product_1 @ 12 planned and received 12 Mar (7 days);
  4 x product_3 @ 50 planned 5 Apr (not received).
- Vendor C, confirmed 6 Mar: 10 x product_2 @ 5 planned 10 Apr (not received).
"""

from datetime import date

from freezegun import freeze_time

from .common import JxcCommon


class JxcSupplierCommon(JxcCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.vendor_c = cls.env["res.partner"].create({"name": "JXC Vendor C", "supplier_rank": 1})
        cls.Period = cls.env["jxc.supplier.period"]
        with freeze_time("2025-02-03 02:00:00"):
            cls.po_b0 = cls._create_purchase(cls.vendor_b, [(cls.product_1, 10.0, 11.0)], date_planned="2025-02-10 04:00:00")
        with freeze_time("2025-02-10 02:00:00"):
            cls._receive(cls.po_b0)
        with freeze_time("2025-03-03 02:00:00"):
            cls.po_a1 = cls._create_purchase(cls.vendor_a, [(cls.product_1, 10.0, 10.0)], date_planned="2025-03-10 04:00:00")
            cls.po_a2 = cls._create_purchase(cls.vendor_a, [(cls.product_2, 20.0, 4.0)], date_planned="2025-03-20 04:00:00")
        with freeze_time("2025-03-05 02:00:00"):
            cls.po_b1 = cls._create_purchase(cls.vendor_b, [(cls.product_1, 10.0, 12.0)], date_planned="2025-03-12 04:00:00")
            cls.po_b2 = cls._create_purchase(cls.vendor_b, [(cls.product_3, 4.0, 50.0)], date_planned="2025-04-05 04:00:00")
        with freeze_time("2025-03-06 02:00:00"):
            cls.po_c1 = cls._create_purchase(cls.vendor_c, [(cls.product_2, 10.0, 5.0)], date_planned="2025-04-10 04:00:00")
        with freeze_time("2025-03-08 02:00:00"):
            cls.receipt_a1 = cls._receive(cls.po_a1, {cls.product_1: 6.0})
        with freeze_time("2025-03-12 02:00:00"):
            cls._receive(cls.po_b1)
        with freeze_time("2025-03-13 02:00:00"):
            cls.backorder_a1 = cls._receive(cls.po_a1)
        with freeze_time("2025-03-14 02:00:00"):
            cls._return_picking(cls.backorder_a1, {cls.product_1: 1.0})
        with freeze_time("2025-03-20 02:00:00"):
            cls._receive(cls.po_a2, {cls.product_2: 15.0}, backorder=False)
        cls.incident = cls.env["jxc.supplier.incident"].create({
            "partner_id": cls.vendor_a.id, "product_id": cls.product_2.id, "date": date(2025, 3, 21),
            "quantity": 1.0, "severity": "major",
        })
        cls.february = cls.Period._get_or_create_period(cls.company, date(2025, 2, 1))
        cls.march = cls.Period._get_or_create_period(cls.company, date(2025, 3, 15))

    @classmethod
    def _evaluation(cls, period, partner):
        return period.evaluation_ids.filtered(lambda e: e.partner_id == partner)

    @classmethod
    def _lines(cls, evaluation):
        return {line.criterion_id.criterion_type: line for line in evaluation.line_ids}
