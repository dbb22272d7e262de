"""A known history for the analysis tests (dates in UTC; the company runs on Asia/Shanghai).

Two warehouses, product_1 (standard cost 10):

====================  ==========================================  =========  =========
when                  what                                        WH1 qty    WH2 qty
====================  ==========================================  =========  =========
2025-01-10            receipt PO vendor A 100 @ 10 (WH1)            100
2025-01-20            count in WH2: on hand set to 30                           30
2025-02-05            sale to customer A 40 @ 25 delivered (WH1)     60
2025-02-15            customer A returns 5 (WH1)                     65
2025-02-18            POs: vendor A 50 @ 12, vendor B 50 @ 11 (not received)
2025-03-10            sale to customer B 10 @ 25 delivered (WH2)               20
2025-03-20            20 returned to vendor A (WH1)                  45
2025-04-02            sale to customer B 5 @ 25 delivered (WH1)      40
====================  ==========================================  =========  =========

The monthly scheduled action runs on 2025-02-01, 2025-03-01 and, late, on 2025-04-03
(after the April delivery), so January to March are recorded live.
"""

from freezegun import freeze_time

from .common import JxcCommon


class JxcAnalysisCommon(JxcCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.jxc_carrying_cost_rate = 20.0
        cls.warehouse_2 = cls.env["stock.warehouse"].create({"name": "JXC Second Warehouse", "code": "JXC2"})
        cls.vendor_b.with_company(cls.company).jxc_supplier_grade = "b"
        cls.vendor_a.with_company(cls.company).jxc_supplier_grade = "a"
        Snapshot = cls.env["jxc.inventory.snapshot"]
        p1 = cls.product_1
        with freeze_time("2025-01-10 04:00:00"):
            cls.po_jan = cls._create_purchase(cls.vendor_a, [(p1, 100, 10.0)])
            cls.receipt_jan = cls._receive(cls.po_jan)
        with freeze_time("2025-01-20 04:00:00"):
            cls._set_on_hand(p1, 30, location=cls.warehouse_2.lot_stock_id)
        with freeze_time("2025-02-01 05:00:00"):
            Snapshot._cron_take_snapshots()
        with freeze_time("2025-02-05 04:00:00"):
            cls.so_feb = cls._create_sale(cls.customer_a, [(p1, 40, 25.0)])
            cls.delivery_feb = cls._deliver(cls.so_feb)
        with freeze_time("2025-02-15 04:00:00"):
            cls._return_picking(cls.delivery_feb, {p1: 5})
        with freeze_time("2025-02-18 04:00:00"):
            cls._create_purchase(cls.vendor_a, [(p1, 50, 12.0)])
            cls._create_purchase(cls.vendor_b, [(p1, 50, 11.0)])
        with freeze_time("2025-03-01 05:00:00"):
            Snapshot._cron_take_snapshots()
        with freeze_time("2025-03-10 04:00:00"):
            cls.so_mar = cls._create_sale(cls.customer_b, [(p1, 10, 25.0)], warehouse=cls.warehouse_2)
            cls._deliver(cls.so_mar)
        with freeze_time("2025-03-20 04:00:00"):
            cls._return_picking(cls.receipt_jan, {p1: 20})
        with freeze_time("2025-04-02 04:00:00"):
            cls.so_apr = cls._create_sale(cls.customer_b, [(p1, 5, 25.0)])
            cls._deliver(cls.so_apr)
        with freeze_time("2025-04-03 05:00:00"):
            Snapshot._cron_take_snapshots()
        cls.env.flush_all()

    def _forget_snapshots(self):
        """No snapshot taken in any company, as on a database the add-on has just arrived in."""
        self.env["jxc.inventory.snapshot"].search([]).unlink()
        self.env["res.company"].search([]).sudo().jxc_snapshot_date = False

    def _snapshot_rows(self, snapshots):
        return sorted(
            (s.date, s.product_id.id, s.warehouse_id.id, round(s.quantity, 4), round(s.value, 2),
             round(s.opening_quantity, 4), round(s.opening_value, 2), round(s.delivered_qty, 4), round(s.cogs_value, 2))
            for s in snapshots
        )
