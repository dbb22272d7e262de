"""Quantities are shown with their unit, and quantities of different products are not added up:
10 Widgets (Units), 25 kg of rice and 4 dozen eggs are no "39"."""

import base64
import io
from datetime import date

import openpyxl
from freezegun import freeze_time
from lxml import etree

from odoo.tests import tagged

from .common import xlsx_file
from .count_common import JxcCountCommon


@tagged("post_install", "-at_install")
class TestUnitColumns(JxcCountCommon):
    """Besides the count fixtures: 500 kg of rice and 40 dozen eggs on Shelf 2; on 3 March 2025
    customer A bought and got 10 Widgets at 25.00, 25 kg of rice at 3.00 and 4 dozen eggs at 5.00."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rice, cls.eggs = cls.env["product.product"].create([
            {**cls._prepare_product_vals("JXC Rice", 2.0, 3.0, "JXC-RICE"), "uom_id": cls.env.ref("uom.product_uom_kgm").id},
            {**cls._prepare_product_vals("JXC Eggs", 3.0, 5.0, "JXC-EGGS"), "uom_id": cls.env.ref("uom.product_uom_dozen").id},
        ])
        with freeze_time("2024-01-01 02:00:00"):
            cls._set_on_hand(cls.rice, 500, cls.shelf_2)
            cls._set_on_hand(cls.eggs, 40, cls.shelf_2)
        with freeze_time("2025-03-03 04:00:00"):
            cls._deliver(cls._create_sale(cls.customer_a, [
                (cls.product_1, 10, 25.0), (cls.rice, 25, 3.0), (cls.eggs, 4, 5.0),
            ]))
        cls.env.flush_all()

    def _export_sales(self):
        Sales = self.env["jxc.sales.report"].with_context(lang="en_US")
        domain = [("partner_id", "=", self.customer_a.id), ("date", ">=", "2025-03-01"), ("date", "<", "2025-04-01")]
        self.assertEqual(Sales.search(domain).uom_id, self.product_1.uom_id | self.rice.uom_id | self.eggs.uom_id)
        action = Sales.with_context(active_domain=domain).action_export_xlsx()
        return openpyxl.load_workbook(io.BytesIO(base64.b64decode(xlsx_file(action).datas)))

    def test_sales_export_says_the_units_and_adds_no_quantities(self):
        book = self._export_sales()
        ws = book["Best Sellers"]
        self.assertEqual([c.value for c in ws[4]], [
            "Delivery Date", "Product", "Product Category", "Customer", "Warehouse", "Quantity Delivered", "Unit",
            "Revenue", "Cost", "Margin",
        ])
        self.assertEqual(sorted((row[1], row[5], row[6], row[7]) for row in ws.iter_rows(min_row=5, max_row=7, values_only=True)), [
            ("[JXC-001] JXC Widget", 10, "Units", 250), ("[JXC-EGGS] JXC Eggs", 4, "Dozens", 20),
            ("[JXC-RICE] JXC Rice", 25, "kg", 75),
        ])
        # the total row: no "39" of three units, the amounts summed
        self.assertEqual([c.value for c in ws[8]], [
            "Total", None, None, None, None, None, None, "=SUM(H5:H7)", "=SUM(I5:I7)", "=SUM(J5:J7)",
        ])
        top = book["Top 10 Products"]
        self.assertEqual([[c.value for c in row] for row in top.iter_rows(min_row=4, max_row=8)], [
            ["Product", "Quantity Delivered", "Unit", "Revenue", "Margin"],
            ["[JXC-001] JXC Widget", 10, "Units", 250, 150],
            ["[JXC-RICE] JXC Rice", 25, "kg", 75, 25],
            ["[JXC-EGGS] JXC Eggs", 4, "Dozens", 20, 8],
            ["Total", None, None, "=SUM(D5:D7)", "=SUM(E5:E7)"],
        ])

    def test_lists_show_the_unit_after_the_quantity(self):
        """Each analysis list has the product's unit right after its quantity, shown by default
        (the ABC list: hidden, as its quantity)."""
        for model, quantity, optional in (
            ("jxc.sales.report", "quantity", "show"), ("jxc.purchase.cost.report", "quantity", "show"),
            ("jxc.stock.aging.report", "quantity", "show"), ("jxc.dead.stock.report", "quantity", "show"),
            ("jxc.inventory.snapshot", "quantity", "show"), ("jxc.abc.result", "demand_qty", "hide"),
        ):
            arch = etree.fromstring(self.env[model].get_views([(False, "list")])["views"]["list"]["arch"])
            columns = arch.xpath("/list/field")
            names = [column.get("name") for column in columns]
            self.assertEqual(names[names.index(quantity) + 1], "uom_id", model)
            self.assertEqual(columns[names.index("uom_id")].get("optional"), optional, model)
            self.assertEqual(self.env[model]._fields["uom_id"].related, "product_id.uom_id", model)
        # the stock analyses (SQL views) read it as the product's
        Aging = self.env["jxc.stock.aging.report"]
        rows = Aging.search([("product_id", "in", (self.rice | self.eggs).ids)])
        self.assertEqual({(row.product_id, row.uom_id) for row in rows},
                         {(self.rice, self.rice.uom_id), (self.eggs, self.eggs.uom_id)})

    def test_loss_report_says_the_unit(self):
        """20 kg of rice short on Shelf 2 (475 kg after the sale): the loss report says kg next to
        475, 455 and -20."""
        plan = self._create_plan(product_ids=[(6, 0, self.rice.ids)])
        plan.action_start()
        plan.line_ids.counted_qty = 455
        html = self.env["ir.actions.report"]._render_qweb_html("jxc_addon.report_jxc_count_loss", plan.ids)[0].decode()
        self.assertRegex(html, r"<th>Lot / Package / Owner</th>\s*<th>Unit</th>\s*<th class=\"text-end\">Book at Count</th>")
        quantity = r"\s*<td class=\"text-end\"><span[^>]*>%s</span></td>"
        self.assertRegex(html, r"JXC Rice</span></td>\s*<td><span></span></td>\s*<td><span>kg</span></td>"
                         + quantity % r"475\.00" + quantity % r"455\.00" + quantity % "-\ufeff20\\.00")
        # the subtotals and total span the columns up to the value
        self.assertRegex(html, r"<td colspan=\"8\"><strong>Total</strong></td>\s*<td class=\"text-end o_jxc_total\">")

    def test_monthly_summary_best_sellers_say_the_unit(self):
        html = self.env["ir.actions.report"]._render_qweb_html(
            "jxc_addon.report_jxc_monthly_summary", self.company.ids, data={"month": date(2025, 3, 1).isoformat()},
        )[0].decode()
        best = html.split("o_jxc_best")[1].split("</table>")[0]
        self.assertIn("<th>Unit</th>", best)
        for name, quantity, unit in (("JXC Widget", "10.00", "Units"), ("JXC Rice", "25.00", "kg"), ("JXC Eggs", "4.00", "Dozens")):
            self.assertRegex(best, r"%s</td>\s*<td class=\"text-end\"[^>]*>%s</td>\s*<td>%s</td>" % (name, quantity, unit))
