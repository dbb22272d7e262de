"""Fixtures of the count (盘点) tests.

Two shelves under WH/Stock hold the common products::

    Shelf 1: product_1 (cost 10) 100 units, product_2 (cost 4) 50 units
    Shelf 2: product_3 (cost 50) 10 units

so that the book value of a full count is 100*10 + 50*4 + 10*50 = 1,700. The company
tolerance is 5 % of the book quantity (no absolute or value limit).
"""

from freezegun import freeze_time

from odoo.fields import Command
from odoo.tests import new_test_user

from .common import JxcCommon


class JxcCountCommon(JxcCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Location = cls.env["stock.location"]
        cls.shelf_1 = Location.create({"name": "Shelf 1", "location_id": cls.stock_location.id, "barcode": "JXC-SHELF-1"})
        cls.shelf_2 = Location.create({"name": "Shelf 2", "location_id": cls.stock_location.id, "barcode": "JXC-SHELF-2"})
        # dated before every count of the tests, which freeze their own days: an adjustment
        # after a count is a count of the quant again (jxc.count.line._get_counted_again)
        with freeze_time("2024-01-01 02:00:00"):
            cls._set_on_hand(cls.product_1, 100, cls.shelf_1)
            cls._set_on_hand(cls.product_2, 50, cls.shelf_1)
            cls._set_on_hand(cls.product_3, 10, cls.shelf_2)
        cls.tolerance = cls.env["jxc.count.tolerance"].create({"company_id": cls.company.id, "qty_percent": 5.0})
        cls.reason_loss = cls.env.ref("jxc_addon.jxc_count_reason_loss")
        cls.reason_damage = cls.env.ref("jxc_addon.jxc_count_reason_damage")
        cls.reason_surplus = cls.env.ref("jxc_addon.jxc_count_reason_surplus")
        cls.counter = new_test_user(cls.env, login="jxc_counter", name="JXC Counter", groups="jxc_addon.group_jxc_user")

    @classmethod
    def _create_plan(cls, **vals):
        return cls.env["jxc.count.plan"].create({"warehouse_id": cls.warehouse.id, **vals})

    def _line(self, plan, product, location=None):
        lines = plan.line_ids.filtered(lambda line: line.product_id == product)
        if location:
            lines = lines.filtered(lambda line: line.location_id == location)
        self.assertEqual(len(lines), 1, "expected one line of %s" % product.display_name)
        return lines

    def _count(self, plan, quantities):
        """Count {product: qty} and submit."""
        for product, qty in quantities.items():
            self._line(plan, product).counted_qty = qty

    def _on_hand(self, product, location=None):
        return product.with_context(location=(location or self.stock_location).id).qty_available


# the scanning screen's day: its plans start at 08:00 and are scanned from 09:00
SCAN_DAY = "2026-07-01 "


class JxcCountScanCommon(JxcCountCommon):
    """The scanning screen's tests: plans of Shelf 1 and 2 started on ``SCAN_DAY``, scanned by the counter."""

    def _start(self, user=None, **vals):
        plan = self._create_plan(**{"location_ids": [Command.set((self.shelf_1 | self.shelf_2).ids)], **vals})
        with freeze_time(SCAN_DAY + "08:00:00"):
            plan.action_start()
        return plan.with_user(user or self.counter)

    def _scan(self, plan, barcode, location=None, package=None, at=SCAN_DAY + "09:00:00"):
        with freeze_time(at):
            return plan.jxc_scan(barcode, location.id if location else False, package.id if package else False)

    def _lot_on_hand(self, product, name, qty):
        """A lot of ``product`` with ``qty`` on Shelf 2, through Odoo's inventory adjustment."""
        lot = self.env["stock.lot"].create({"name": name, "product_id": product.id})
        self.env["stock.quant"].with_context(inventory_mode=True).create({
            "product_id": product.id, "location_id": self.shelf_2.id, "lot_id": lot.id, "inventory_quantity": qty,
        }).action_apply_inventory()
        return lot

    def _scan_logs(self, plan):
        return self.env["jxc.count.scan"].search([("plan_id", "=", plan.id)])

