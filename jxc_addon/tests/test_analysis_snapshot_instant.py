"""The quantity of a month end per warehouse is Odoo's on-hand at that instant.

The company runs on Asia/Shanghai; the clock stands at 2026-12-31 23:30 UTC, already New
Year's morning in Shanghai, so December has just ended. The month ends at midnight in
Shanghai (16:00 UTC): a delivery at that very second belongs to January, a receipt at 22:30
UTC too. Stock that entered without a move (a quant set by code, as an import does) is on
hand for Odoo at every past date: the back-filled months count it as well.
"""

from datetime import date, timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .common import JxcCommon


@tagged("post_install", "-at_install")
class TestSnapshotInstant(JxcCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warehouse_2 = cls.env["stock.warehouse"].create({"name": "JXC Instant WH2", "code": "JXI2"})
        p1 = cls.product_1
        with freeze_time("2026-11-10 04:00:00"):
            cls._receive(cls._create_purchase(cls.vendor_a, [(p1, 20, 10.0)]))
        with freeze_time("2026-11-12 04:00:00"):
            cls.env["stock.quant"]._update_available_quantity(cls.product_2, cls.warehouse_2.lot_stock_id, 5.0)
        with freeze_time("2026-12-20 04:00:00"):
            picking = cls.env["stock.picking"].create({
                "picking_type_id": cls.warehouse.int_type_id.id,
                "location_id": cls.stock_location.id,
                "location_dest_id": cls.warehouse_2.lot_stock_id.id,
                "move_ids": [(0, 0, {
                    "product_id": p1.id, "product_uom_qty": 2.0, "product_uom": p1.uom_id.id,
                    "location_id": cls.stock_location.id, "location_dest_id": cls.warehouse_2.lot_stock_id.id,
                })],
            })
            picking.action_confirm()
            cls._validate_picking(picking)
        with freeze_time("2026-12-31 10:00:00"):  # 18:00 in Shanghai: December
            cls._deliver(cls._create_sale(cls.customer_a, [(p1, 4, 25.0)]))
        with freeze_time("2026-12-31 16:00:00"):  # midnight in Shanghai: January
            cls._deliver(cls._create_sale(cls.customer_a, [(p1, 3, 25.0)]))
        with freeze_time("2026-12-31 22:30:00"):
            order = cls._create_purchase(cls.vendor_a, [(p1, 7, 10.0)], confirm=False)
            order.picking_type_id = cls.warehouse_2.in_type_id
            order.button_confirm()
            cls._receive(order)
        with freeze_time("2026-12-31 23:30:00"):
            cls.env["jxc.inventory.snapshot"]._cron_take_snapshots()

    def _stored(self, month_end):
        rows = self.env["jxc.inventory.snapshot"].search([
            ("company_id", "=", self.company.id), ("date", "=", month_end),
            ("product_id", "in", (self.product_1 | self.product_2).ids),
        ])
        return {(r.product_id, r.warehouse_id): r.quantity for r in rows if r.quantity}

    def _odoo(self, month_end):
        """Odoo's on-hand per product and warehouse at the last second of the month in Shanghai."""
        instant = self.env["jxc.inventory.snapshot"]._get_boundary(self.company, month_end) - timedelta(seconds=1)
        self.env.invalidate_all()
        result = {}
        with freeze_time("2026-12-31 23:30:00"):
            for product in self.product_1 | self.product_2:
                for warehouse in self.warehouse | self.warehouse_2:
                    qty = product.with_context(warehouse_id=warehouse.id, to_date=instant).qty_available
                    if qty:
                        result[product, warehouse] = qty
        return result

    def test_recorded_month_is_odoo_on_hand_at_month_end(self):
        december = date(2026, 12, 31)
        expected = {
            (self.product_1, self.warehouse): 14.0,  # 20 - 2 transferred - 4 delivered on the 31st
            (self.product_1, self.warehouse_2): 2.0,
            (self.product_2, self.warehouse_2): 5.0,
        }
        self.assertEqual(self._odoo(december), expected)
        self.assertEqual(self._stored(december), expected)
        self.assertTrue(self.env["jxc.inventory.snapshot"].search([("date", "=", december)], limit=1).is_live)

    def test_backfilled_month_is_odoo_on_hand_at_month_end(self):
        november = date(2026, 11, 30)
        expected = {(self.product_1, self.warehouse): 20.0, (self.product_2, self.warehouse_2): 5.0}
        self.assertEqual(self._odoo(november), expected)
        self.assertEqual(self._stored(november), expected)
        with freeze_time("2026-12-31 23:30:00"):
            self.env["jxc.inventory.snapshot"]._backfill(self.company)  # the rebuild gives the same
        self.assertEqual(self._stored(november), expected)
