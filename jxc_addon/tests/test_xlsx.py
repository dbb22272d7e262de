import base64
import io
from datetime import date

import openpyxl

from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from .common import xlsx_file


@tagged("post_install", "-at_install")
class TestXlsxHelper(TransactionCase):
    """The shared Excel helper every JXC report uses."""

    def _sheets(self):
        return [
            {
                "title": "排名",
                "columns": [
                    {"title": "产品", "type": "char", "width": 24},
                    {"title": "数量", "type": "int", "total": True},
                    {"title": "金额", "type": "monetary", "total": True},
                    {"title": "占比", "type": "percent"},
                    {"title": "日期", "type": "date"},
                ],
                "rows": [["甲", 3, 120.5, 0.6, date(2025, 1, 31)], ["乙", 2, 80.25, 0.4, None]],
            },
            {"title": "排名", "columns": [{"title": "X", "type": "float"}], "rows": []},
        ]

    def test_layout_formats_and_totals(self):
        content = self.env["jxc.xlsx"]._render("ABC 分类", self._sheets(), filters=[("期间", "2025-01")])
        book = openpyxl.load_workbook(io.BytesIO(content))
        self.assertEqual(book.sheetnames, ["排名", "排名 (2)"])
        ws = book["排名"]
        self.assertEqual(ws["A1"].value, "ABC 分类")
        self.assertIn(self.env.company.name, ws["A2"].value)
        self.assertIn("期间: 2025-01", ws["A2"].value)
        self.assertEqual([c.value for c in ws[4]], ["产品", "数量", "金额", "占比", "日期"])
        self.assertTrue(ws["A4"].font.b)
        self.assertEqual(ws["A4"].fill.fgColor.rgb, "FFD9E1F2")
        self.assertEqual(ws.freeze_panes, "A5")
        self.assertEqual(ws.auto_filter.ref, "A4:E6")
        self.assertEqual(ws["B5"].number_format, "#,##0")
        self.assertIn(self.env.company.currency_id.symbol, ws["C5"].number_format)
        self.assertEqual(ws["D5"].number_format, "0.0%")
        self.assertEqual(ws["E5"].number_format, "yyyy-mm-dd")
        self.assertEqual(ws["E5"].value.date(), date(2025, 1, 31))
        self.assertIsNone(ws["E6"].value)
        self.assertEqual(ws["B7"].value, "=SUM(B5:B6)")
        self.assertEqual(ws["C7"].value, "=SUM(C5:C6)")
        self.assertEqual(ws["A7"].value, "Total")
        self.assertEqual(ws.column_dimensions["A"].width, 24 + 0.7109375)

    def test_download_action(self):
        action = self.env["jxc.xlsx"]._action_download("x.xlsx", "T", self._sheets())
        self.assertEqual((action["type"], action["tag"]), ("ir.actions.client", "jxc_download"))
        attachment = xlsx_file(action)
        # the file is in the action: nothing stored, the export can run on a read replica
        self.assertEqual((attachment.name, attachment.mimetype), (
            "x.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
        self.assertFalse(self.env["ir.attachment"].search_count([("res_model", "=", "jxc.xlsx")]))
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(attachment.datas)))
        self.assertEqual(len(book.sheetnames), 2)

    def test_sheet_larger_than_excel_refused(self):
        """A sheet's rows past Excel's 1,048,576 would be left out of the file without a word:
        refused before anything is written, the sheet named. The title lines and the header take
        4 rows, the totals 1: 1,048,571 rows with totals fit, one more does not; without totals
        1,048,572 fit."""
        Xlsx = self.env["jxc.xlsx"].with_context(lang="en_US")
        totals = {"title": "Moves", "columns": [{"title": "Qty", "type": "int", "total": True}]}
        plain = {"title": "Lots", "columns": [{"title": "Qty", "type": "int"}]}
        Xlsx._check_sheet_size("T", {**totals, "rows": [[1]] * 1048571})
        Xlsx._check_sheet_size("T", {**plain, "rows": [[1]] * 1048572})
        for sheet, rows in ((totals, 1048572), (plain, 1048573)):
            with self.assertRaises(UserError) as caught:
                Xlsx._action_download("x.xlsx", "T", [self._sheets()[0], {**sheet, "rows": [[1]] * rows}])
            self.assertEqual(str(caught.exception), (
                "The sheet “%s” would have 1048577 rows, more than the 1048576 an Excel sheet holds. Narrow the "
                "search (a shorter period, fewer products or warehouses) and export again." % sheet["title"]))

    def test_currency_symbol_spaced_as_odoo(self):
        """Amounts read as Odoo shows them (format_amount): the symbol, a no-break space, the
        amount, on the currency's side."""
        euro = self.env.ref("base.EUR")
        for currency, position in ((euro, "after"), (euro, "before")):
            currency.position = position
            book = openpyxl.load_workbook(io.BytesIO(self.env["jxc.xlsx"]._render("T", self._sheets(), currency=currency)))
            expected = ('"€\u00a0"#,##0.00' if position == "before" else '#,##0.00"\u00a0€"')
            self.assertEqual(book["排名"]["C5"].number_format, expected, position)
