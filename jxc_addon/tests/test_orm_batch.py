"""tools/orm_batch.py: the batch INSERT and UPDATE store what Odoo's create and write store."""

from datetime import date, datetime

from odoo.tests import tagged

from ..tools.orm_batch import bulk_create, bulk_write
from .common import JxcCommon

COMPARED = [
    "company_id", "product_id", "warehouse_id", "method", "forecast_method", "operation",
    "old_min_qty", "new_min_qty", "old_max_qty", "new_max_qty", "old_safety_stock", "new_safety_stock",
    "create_uid",
]


@tagged("post_install", "-at_install")
class TestOrmBatch(JxcCommon):
    def _log_vals(self, product, qty):
        return {
            "company_id": self.company.id, "product_id": product.id, "warehouse_id": self.warehouse.id,
            "orderpoint_id": False, "rule_id": False, "method": "statistical", "forecast_method": "seasonal",
            "operation": "update", "old_min_qty": qty, "new_min_qty": qty * 3, "old_max_qty": 0.0,
            "new_max_qty": None, "old_safety_stock": 1 / 3, "new_safety_stock": 2.675,
        }

    def test_bulk_create_stores_what_create_stores(self):
        Log = self.env["jxc.safety.stock.log"].sudo()
        vals_list = [self._log_vals(self.product_1, 1.23456), self._log_vals(self.product_2, 7.005)]
        created = bulk_create(Log, vals_list)
        reference = Log.create(vals_list)
        self.assertEqual(created.mapped("product_id"), self.product_1 | self.product_2)  # order of vals_list
        self.assertEqual(created.read(COMPARED), [
            {**values, "id": record.id} for values, record in zip(reference.read(COMPARED), created, strict=True)
        ])
        # Product Unit has 2 digits: rounded as the ORM rounds (half up), None stored as 0.
        self.assertEqual(created[0].read(["new_min_qty", "new_max_qty", "old_safety_stock", "new_safety_stock"])[0],
                         {"id": created[0].id, "new_min_qty": 3.7, "new_max_qty": 0.0, "old_safety_stock": 0.33,
                          "new_safety_stock": 2.68})
        self.assertTrue(created[0].create_date)
        self.assertFalse(bulk_create(Log, []))

    def test_bulk_write_stores_what_write_stores(self):
        Log = self.env["jxc.safety.stock.log"].sudo()
        logs = Log.create([self._log_vals(self.product_1, 1.0), self._log_vals(self.product_2, 2.0)])
        reference = Log.create([self._log_vals(self.product_1, 1.0), self._log_vals(self.product_2, 2.0)])
        updates = [{"new_min_qty": 4.444, "operation": "create"}, {"new_min_qty": 0.125, "operation": "update"}]
        bulk_write(logs, updates)
        for record, vals in zip(reference, updates, strict=True):
            record.write(vals)
        self.assertEqual(logs.mapped("new_min_qty"), [4.44, 0.13])
        self.assertEqual(logs.mapped("new_min_qty"), reference.mapped("new_min_qty"))
        self.assertEqual(logs.mapped("operation"), ["create", "update"])

    def test_bulk_write_dates_and_flags(self):
        """Dates and naive datetimes given as such are stored as they are, dates given as the
        strings Odoo also accepts are converted by the field, and flags are booleans: what
        ``write`` stores."""
        orderpoints = self.env["stock.warehouse.orderpoint"].create([{
            "product_id": product.id, "warehouse_id": self.warehouse.id, "location_id": self.warehouse.lot_stock_id.id,
        } for product in (self.product_1, self.product_2)])
        Plan = self.env["jxc.purchase.plan"].sudo()
        lines = Plan.create([{
            "company_id": self.company.id, "orderpoint_id": orderpoint.id, "product_id": orderpoint.product_id.id,
            "warehouse_id": self.warehouse.id,
        } for orderpoint in orderpoints])
        updates = [
            {"next_receipt_date": date(2025, 3, 8), "stockout_date": "2025-03-20",
             "refreshed_on": datetime(2025, 3, 1, 4, 30, 15), "is_overstock": 1, "vendor_chosen": True},
            {"next_receipt_date": False, "stockout_date": date(2025, 3, 21),
             "refreshed_on": False, "is_overstock": None, "vendor_chosen": False},
        ]
        bulk_write(lines, updates)
        self.assertEqual(lines.mapped("next_receipt_date"), [date(2025, 3, 8), False])
        self.assertEqual(lines.mapped("stockout_date"), [date(2025, 3, 20), date(2025, 3, 21)])
        self.assertEqual(lines.mapped("refreshed_on"), [datetime(2025, 3, 1, 4, 30, 15), False])
        self.assertEqual(lines.mapped("is_overstock"), [True, False])
        self.assertEqual(lines.mapped("vendor_chosen"), [True, False])
        # and so does the database, not only the cache
        self.env.invalidate_all()
        self.assertEqual(lines.read(["next_receipt_date", "refreshed_on", "is_overstock"]), [
            {"id": lines[0].id, "next_receipt_date": date(2025, 3, 8), "refreshed_on": datetime(2025, 3, 1, 4, 30, 15),
             "is_overstock": True},
            {"id": lines[1].id, "next_receipt_date": False, "refreshed_on": False, "is_overstock": False},
        ])
