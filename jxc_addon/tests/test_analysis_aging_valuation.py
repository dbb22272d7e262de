"""Stock aging values the stock as Odoo does: its rows of a product and warehouse add up to
Odoo's own valuation (``total_value`` with ``warehouse_id``), to the cent; consigned stock is
aged as its owner's and worth nothing."""

import base64
import io

import openpyxl
from freezegun import freeze_time

from odoo.tests import tagged

from .common import xlsx_file
from .valuation_common import JxcValuationCommon

NOW = "2025-02-01 04:00:00"


@tagged("post_install", "-at_install")
class TestAgingValueEqualsOdoo(JxcValuationCommon):
    """Average and FIFO products: 10 received at 10 (billed at 12), 10 at 14, 4 at 20 in the
    second warehouse, 8 delivered; 5 of the average-cost product received on consignment
    (owned by vendor B)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.average = cls._product("average", code="AGAV")
        cls.fifo = cls._product("fifo", code="AGFI")
        products = cls.average | cls.fifo
        cls.order = cls._buy(cls.vendor_a, [(p, 10, 10.0) for p in products], "2025-01-05 04:00:00")
        cls._buy(cls.vendor_a, [(p, 10, 14.0) for p in products], "2025-01-06 04:00:00")
        cls._buy(cls.vendor_b, [(p, 4, 20.0) for p in products], "2025-01-07 04:00:00", warehouse=cls.warehouse_2)
        cls._sell(cls.customer_a, [(p, 8, 30.0) for p in products], "2025-01-10 04:00:00")
        with freeze_time("2025-01-12 04:00:00"):
            cls._receive_consigned(cls.average, 5.0, cls.vendor_b)
        cls._bill(cls.order, dict.fromkeys(products, 12.0), "2025-01-15")

    def _aging(self, product, warehouse):
        with freeze_time(NOW):
            rows = self.env["jxc.stock.aging.report"].search(
                [("product_id", "=", product.id), ("warehouse_id", "=", warehouse.id)], order="receipt_date")
            return [(row.receipt_date.day, row.owner_id, row.quantity, row.value) for row in rows]

    def _odoo_now(self, product, warehouse):
        self.env.flush_all()
        self.env.invalidate_all()
        with freeze_time(NOW):
            return round(product.with_company(self.company).with_context(warehouse_id=warehouse.id).total_value, 2)

    def test_rows_add_up_to_odoo_value(self):
        no_owner = self.env["res.partner"]
        cases = {
            # 10 at 12 (billed) + 10 at 14 + 4 at 20 = 340 for 24, 8 delivered at 340 / 24: 226.67
            # for 16; the main warehouse holds 12 of them (170.00), the second 4 (56.67)
            self.average: {
                self.warehouse: (170.0, [
                    (5, no_owner, 2.0, 28.33),  # 170 x 2 / 12
                    (6, no_owner, 10.0, 141.67),
                    (12, self.vendor_b, 5.0, 0.0),
                ]),
                self.warehouse_2: (56.67, [(7, no_owner, 4.0, 56.67)]),
            },
            # the 16 left are the latest receipts: 4 at 20, 10 at 14, 2 at 12 (billed) = 244,
            # shared by quantity: 183 in the main warehouse, 61 in the second
            self.fifo: {
                self.warehouse: (183.0, [
                    (5, no_owner, 2.0, 30.5),  # 183 x 2 / 12
                    (6, no_owner, 10.0, 152.5),
                ]),
                self.warehouse_2: (61.0, [(7, no_owner, 4.0, 61.0)]),
            },
        }
        # (Odoo's value of the warehouse, the aging rows (receipt day, owner, quantity, value))
        for product, by_warehouse in cases.items():
            for warehouse, (odoo_value, rows) in by_warehouse.items():
                with self.subTest(product=product.display_name, warehouse=warehouse.name):
                    self.assertEqual(self._odoo_now(product, warehouse), odoo_value)
                    self.assertEqual(self._aging(product, warehouse), rows)

    def test_export_says_whose_stock(self):
        """The consigned row of the export names its owner, as the list does: 5 worth 0 are
        vendor B's, not the company's own stock at no cost."""
        domain = [("product_id", "=", self.average.id), ("warehouse_id", "=", self.warehouse.id)]
        with freeze_time(NOW):
            action = self.env["jxc.stock.aging.report"].with_context(
                lang="en_US", active_domain=domain).action_export_xlsx()
        ws = openpyxl.load_workbook(io.BytesIO(base64.b64decode(xlsx_file(action).datas))).active
        header = [cell.value for cell in ws[4]]
        owner, quantity, value = header.index("Owner"), header.index("On Hand"), header.index("Value")
        self.assertEqual(sorted((row[owner].value or "", row[quantity].value, row[value].value) for row in ws.iter_rows(min_row=5, max_row=7)),
                         [("", 2, 28.33), ("", 10, 141.67), (self.vendor_b.display_name, 5, 0)])
