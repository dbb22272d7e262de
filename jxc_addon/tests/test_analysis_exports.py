import base64
import io
from datetime import date
from unittest.mock import patch

import openpyxl
from freezegun import freeze_time

from odoo.tests import tagged

from .analysis_common import JxcAnalysisCommon
from .common import xlsx_file


@tagged("post_install", "-at_install")
class TestAnalysisExports(JxcAnalysisCommon):
    """Excel files of every analysis and of the dashboard, and the monthly PDF summary."""

    def _download(self, action):
        attachment = xlsx_file(action)
        return openpyxl.load_workbook(io.BytesIO(base64.b64decode(attachment.datas)))

    def _export(self, model, domain):
        return self._download(self.env[model].with_context(lang="en_US", active_domain=domain).action_export_xlsx())

    def test_turnover_xlsx(self):
        domain = [("date", "=", date(2025, 2, 28))]
        book = self._export("jxc.turnover.report", domain)
        self.assertEqual(book.sheetnames, ["Inventory Turnover"])
        ws = book.active
        self.assertEqual(ws["A1"].value, "Inventory Turnover")
        self.assertIn(self.company.name, ws["A2"].value)
        self.assertEqual([c.value for c in ws[4]], [
            "Month End", "Product", "Product Category", "Warehouse", "Opening Value", "Closing Value",
            "Average Inventory", "Cost of Goods Delivered", "Turnover", "Days of Inventory", "Carrying Cost",
            "Consumed Value", "Cost of Goods Used",
        ])
        self.assertTrue(ws["A4"].font.b)
        self.assertEqual(ws.freeze_panes, "A5")
        rows = list(ws.iter_rows(min_row=5, max_row=6, values_only=True))
        by_wh = {r[3]: r for r in rows}
        wh1 = by_wh[self.warehouse.name]
        self.assertEqual(wh1[0].date(), date(2025, 2, 28))
        self.assertEqual(wh1[4:8], (1000, 650, 825, 350))
        self.assertAlmostEqual(wh1[9], 66.0)
        self.assertEqual(ws["A5"].number_format, "yyyy-mm-dd")
        self.assertIn(self.company.currency_id.symbol, ws["E5"].number_format)
        self.assertEqual(ws["I5"].number_format, "#,##0.00")
        self.assertEqual(ws["A7"].value, "Total")
        self.assertEqual(ws["H7"].value, "=SUM(H5:H6)")
        self.assertIsNone(ws["I7"].value)
        # nothing consumed in production: the cost of goods used is the cost of goods delivered
        self.assertEqual(wh1[11:13], (0, 350))
        self.assertEqual((ws["L7"].value, ws["M7"].value), ("=SUM(L5:L6)", "=SUM(M5:M6)"))

    def test_quantities_keep_their_decimals(self):
        """Quantities kept at 3 decimals ("Product Unit" precision): the file shows them so,
        as Odoo's screens do, not rounded to 2 (0.125 kg is no 0.13 kg)."""
        self.env.ref("uom.decimal_product_uom").digits = 3
        ws = self._export("jxc.inventory.snapshot", [("company_id", "=", self.company.id)]).active
        header = [c.value for c in ws[4]]
        for title in ("On Hand", "Delivered Quantity"):
            self.assertEqual(ws.cell(5, header.index(title) + 1).number_format, "#,##0.000", title)

    def test_each_analysis_exports(self):
        expected = {
            "jxc.inventory.snapshot": (["Month End", "Product", "Product Category", "Warehouse", "On Hand", "Unit",
                                        "Inventory Value", "Delivered Quantity", "Cost of Goods Delivered",
                                        "Scrapped Value", "Count Losses", "Count Gains", "Consumed Value",
                                        "Revaluation of Closed Months", "Receipts and Other Changes", "Opening Value",
                                        "History"], 6),
            "jxc.stock.aging.report": (["Product", "Product Category", "Warehouse", "Owner", "Lot/Serial Number", "Receipt Date", "Age (days)",
                                        "Age Bucket", "On Hand", "Unit", "Value"], None),
            "jxc.dead.stock.report": (["Product", "Product Category", "Warehouse", "Status", "On Hand", "Unit",
                                       "Value Tied Up", "Last Outgoing", "In Stock Since", "Days Idle",
                                       "Outgoing in Window", "Annual Turnover (qty)"], 2),
            "jxc.sales.report": (["Delivery Date", "Product", "Product Category", "Customer", "Warehouse",
                                  "Quantity Delivered", "Unit", "Revenue", "Cost", "Margin"], 4),
            "jxc.purchase.cost.report": (["Month", "Product", "Vendor", "Vendor Grade", "Quantity Ordered", "Unit",
                                          "Untaxed Amount", "Average Price", "Previous Average Price", "Price Variance",
                                          "Price Variance (%)", "Last Price"], 5),
        }
        for model, (headers, count) in expected.items():
            domain = [("company_id", "=", self.company.id)]
            book = self._export(model, domain)
            ws = book.active
            self.assertEqual([c.value for c in ws[4]], headers, model)
            records = self.env[model].search(domain)
            if count is not None:
                self.assertEqual(len(records), count, model)
            self.assertEqual(ws.max_row, 4 + len(records) + 1, model)
            self.assertEqual(ws.cell(ws.max_row, 1).value, "Total", model)
            # every row in the unit of its product (all Widgets here), and no total of the
            # quantities: the rows are of different products, whose units do not add up
            unit = headers.index("Unit") + 1
            self.assertEqual({ws.cell(r, unit).value for r in range(5, ws.max_row)}, {"Units"}, model)
            self.assertEqual([ws.cell(ws.max_row, col).value for col in (unit - 1, unit)], [None, None], model)
        sales = self._export("jxc.sales.report", [("company_id", "=", self.company.id)]).active
        self.assertEqual(sales["H9"].value, "=SUM(H5:H8)")
        self.assertEqual(sum(sales.cell(r, 8).value for r in range(5, 9)), 1250)
        cost = self._export("jxc.purchase.cost.report", [("all_vendors", "=", False)]).active
        # a first purchase has no previous price: an empty cell, not 0 (the record reads 0.0)
        rows = self.env["jxc.purchase.cost.report"].search([("all_vendors", "=", False)])
        # the variance rate is already in percent (15.0 for 15 %): a number under "Price Variance (%)"
        self.assertNotEqual(cost["K5"].number_format, "0.0%")
        # unit prices with at least the digits of Odoo's "Product Price" precision and up to 6
        # where they have them (a 0.0125 screw is not 0.01), amounts with the currency's
        self.assertIn("#,##0.00####", cost["H5"].number_format)
        self.env.ref("product.decimal_price").digits = 4
        cost = self._export("jxc.purchase.cost.report", [("all_vendors", "=", False)]).active
        for column in "HIJL":
            self.assertIn("#,##0.0000", cost[column + "5"].number_format, column)
        self.assertIn("#,##0.00", cost["G5"].number_format)
        self.assertNotIn("#,##0.000", cost["G5"].number_format)
        rates = [cost.cell(r, 11).value for r in range(5, 5 + len(rows))]
        self.assertTrue(any(rates))
        self.assertEqual(sorted(rate for rate in rates if rate),
                         sorted(row.price_variance_rate for row in rows if row.price_variance_rate))
        firsts = rows.filtered(lambda row: not row.previous_price)
        self.assertTrue(firsts)
        previous = [cost.cell(r, 9).value for r in range(5, 5 + len(rows))]
        self.assertEqual(previous.count(None), len(firsts))
        self.assertNotIn(0, previous)

    def test_export_follows_selection_without_domain(self):
        rows = self.env["jxc.sales.report"].search([("partner_id", "=", self.customer_a.id)])
        book = self._download(rows.with_context(lang="en_US").action_export_xlsx())
        self.assertEqual(book.active.max_row, 4 + len(rows) + 1)

    def test_export_of_selected_rows_under_filters(self):
        """The list's header button sends its filters and calls the method on the ticked rows:
        the file holds those rows, and says so under the filters."""
        Sales = self.env["jxc.sales.report"].with_context(lang="en_US")
        domain = [("company_id", "=", self.company.id)]
        self.assertGreater(Sales.search_count(domain), 2)
        ticked = Sales.search(domain, limit=2)
        book = self._download(ticked.with_context(active_domain=domain, active_ids=ticked.ids).action_export_xlsx())
        ws = book.active
        self.assertEqual(ws.max_row, 4 + 2 + 1)
        self.assertIn("Rows: 2 selected", ws["A2"].value)
        # ticked in a list sorted by revenue: the sheet keeps the list's order, not the report's own
        by_revenue = Sales.search(domain, order="revenue desc, id", limit=3)
        revenues = [row.revenue for row in by_revenue]
        self.assertNotEqual(by_revenue.ids, Sales.search([("id", "in", by_revenue.ids)]).ids)
        ws = self._download(by_revenue.with_context(active_domain=domain).action_export_xlsx()).active
        column = [cell.value for cell in ws[4]].index("Revenue") + 1
        self.assertEqual([ws.cell(row, column).value for row in (5, 6, 7)], revenues)
        # nothing ticked: every row of the filters
        book = self._download(Sales.browse().with_context(active_domain=domain).action_export_xlsx())
        self.assertEqual(book.active.max_row, 4 + Sales.search_count(domain) + 1)
        # "Select all" sends Odoo's limit of ids (here lowered to 2): the whole filter, not 2 rows
        self.env["ir.config_parameter"].set_param("web.active_ids_limit", 2)
        ws = self._download(ticked.with_context(active_domain=domain).action_export_xlsx()).active
        self.assertEqual(ws.max_row, 4 + Sales.search_count(domain) + 1)
        self.assertNotIn("selected", ws["A2"].value)

    def test_datetimes_in_the_users_timezone(self):
        """A delivery done at 04:00 UTC reads 12:00 for a user in Shanghai, as the list shows it."""
        row = self.env["jxc.sales.report"].search([("partner_id", "=", self.customer_b.id)], limit=1)
        book = self._download(row.with_context(lang="en_US", tz="Asia/Shanghai").action_export_xlsx())
        self.assertEqual(row.date.hour, 4)
        self.assertEqual(book.active["A5"].value, row.date.replace(hour=12))

    def test_filters_in_words(self):
        """The header says the filters as the list applies them: the search panel's datetime
        bounds (sent in UTC) in the reader's timezone, as the rows are, and conditions of which
        one is enough joined by "or" (two customers: either), not listed as if both held."""
        domain = ["&", ("date", ">=", "2024-12-31 16:00:00"),
                  "|", ("partner_id", "=", self.customer_a.id), ("partner_id", "=", self.customer_b.id)]
        Sales = self.env["jxc.sales.report"].with_context(lang="en_US", tz="Asia/Shanghai")
        book = self._download(Sales.with_context(active_domain=domain).action_export_xlsx())
        header = book.active["A2"].value
        self.assertIn("Delivery Date: ≥ 2025-01-01 00:00:00", header)
        self.assertIn("Customer: = JXC Customer A or = JXC Customer B", header)
        domain = ["|", ("partner_id", "=", self.customer_a.id), ("product_id", "=", self.product_1.id)]
        book = self._download(Sales.with_context(active_domain=domain).action_export_xlsx())
        self.assertIn("Filter: Customer = JXC Customer A or Product = [JXC-001] JXC Widget", book.active["A2"].value)

    def test_custom_filters_in_words(self):
        """Filters Odoo 19's search takes are said in words instead of failing the export: an
        "in range" date relative to today, a path to a field of a related record (its value read
        on the last field: a category, not a product of the category's id) and a sub-filter."""
        Sales = self.env["jxc.sales.report"].with_context(lang="en_US", tz="Asia/Shanghai")
        category = self.product_1.categ_id
        domain = [("date", ">=", "today -30d"), ("product_id.categ_id", "=", category.id),
                  ("product_id", "any", [("default_code", "=", "JXC-001")])]
        with freeze_time("2025-03-31 20:00:00"):  # 1 April in Shanghai
            book = self._download(Sales.with_context(active_domain=domain).action_export_xlsx())
        header = book.active["A2"].value
        self.assertIn("Delivery Date: ≥ 2025-03-02", header)
        self.assertIn("Product › Product Category: = %s" % category.display_name, header)
        self.assertIn("Product: any", header)
        self.assertIn("JXC-001", header)
        sheet = book.active
        column = [cell.value for cell in sheet[4]].index("Product") + 1
        rows = [sheet.cell(row, column).value for row in range(5, sheet.max_row)]
        self.assertEqual((len(rows), set(rows)), (2, {self.product_1.display_name}))

    def test_filter_on_several_values_and_names_read_as_text(self):
        """A filter "is in" on a selection (the dead-stock list's statuses, the snapshots' History
        Anchored filter) is said in words instead of failing the export; a company named like a
        formula is written as text in the header, not as a formula Excel would run or repair."""
        self.company.name = "=HYPERLINK(\"http://example.com\",\"JXC\")"
        Dead = self.env["jxc.dead.stock.report"].with_context(lang="en_US")
        domain = [("stock_status", "in", ["dead", "slow"])]
        book = self._download(Dead.with_context(active_domain=domain).action_export_xlsx())
        header = book.active["A2"]
        self.assertEqual(header.data_type, "s")
        self.assertTrue(header.value.startswith('=HYPERLINK("http://example.com","JXC") | Status: is in Dead Stock, Slow Moving'))
        Snapshot = self.env["jxc.inventory.snapshot"].with_context(lang="en_US")
        domain = [("history_state", "in", ["anchored", "incomplete"])]
        book = self._download(Snapshot.with_context(active_domain=domain).action_export_xlsx())
        self.assertIn("History: is in Opening Stock from a Later Adjustment, History Incomplete", book.active["A2"].value)
        # a text search, a flag and an empty field in words, not the domain's operators
        Cost = self.env["jxc.purchase.cost.report"].with_context(lang="en_US")
        domain = [("all_vendors", "=", False), ("product_id", "ilike", "Widget"), ("supplier_grade", "=", False)]
        header = self._download(Cost.with_context(active_domain=domain).action_export_xlsx()).active["A2"].value
        self.assertIn("Product: contains Widget", header)
        self.assertIn("Vendor Grade: is not set", header)
        self.assertRegex(header, r": No( \||$)")
        self.assertNotIn("ilike", header)

    def test_dashboard_xlsx(self):
        Dashboard = self.env["jxc.dashboard"].with_context(lang="en_US")
        with freeze_time("2025-03-05 04:00:00"):
            screen = Dashboard.get_dashboard_data("month")
            # the sheet shows the tiles and the series, not the charts: their queries are not run
            with patch.object(type(Dashboard), "_get_charts", side_effect=AssertionError("charts computed")):
                book = self._download(Dashboard.action_export_xlsx("month"))
        self.assertTrue(screen["charts"])
        self.assertEqual(book.sheetnames, ["KPIs", "12 Months"])
        kpis = book["KPIs"]
        self.assertEqual([c.value for c in kpis[4]],
                         ["Indicator", "Value", "Previous Period", "Change", "Change (%)", "As of", "Note"])
        values = {r[0]: r[1:] for r in kpis.iter_rows(min_row=5, values_only=True)}
        # the change as the tile shows it too: -350 / 1300 = -26.9 %
        self.assertEqual(values["Inventory Value"], (950, 1300, -350, -0.269, "Period", None))
        # each indicator in its own format: the value in the currency, a rate in percent
        formats = {row[0].value: row[1].number_format for row in kpis.iter_rows(min_row=5)}
        self.assertIn(self.company.currency_id.symbol, formats["Inventory Value"])
        rates = [tile["label"] for tile in screen["tiles"] if tile["type"] == "percent"]
        self.assertTrue(rates)
        self.assertEqual({formats[label] for label in rates}, {"0.0%"})
        months = book["12 Months"]
        self.assertEqual(months["A16"].value, "2025-02")
        self.assertEqual(months["B16"].value, 950)
        self.assertIn("2025-02-01 .. 2025-02-28", kpis["A2"].value)
        # the same figures as the screen's
        self.assertEqual([(r[0], r[1]) for r in kpis.iter_rows(min_row=5, values_only=True)],
                         [(tile["label"], tile["value"]) for tile in screen["tiles"]])

    def test_monthly_summary_html(self):
        html = self.env["ir.actions.report"]._render_qweb_html(
            "jxc_addon.report_jxc_monthly_summary", self.company.ids, data={"month": "2025-02-01"},
        )[0].decode()
        self.assertIn("Inventory Control Summary", html)
        self.assertIn("2025-02", html)
        for label in ("Inventory Value", "Inventory Turnover", "Days of Inventory", "Carrying Cost in Period"):
            self.assertIn(label, html)
        # February: value 950; average (1300 + 950) / 2 = 1125; COGS 350 -> turnover 0.31, 28 x 1125 / 350 = 90 days
        self.assertIn("950.00", html)
        self.assertIn(">0.31<", html)
        self.assertIn(">90.00<", html)
        # best seller of February: JXC Widget, 35 delivered net for 875.00 of revenue, 525.00 of margin
        best = html.split("o_jxc_best")[1].split("</table>")[0]
        self.assertIn("JXC Widget", best)
        self.assertIn("35.00", best)
        self.assertIn("875.00", best)
        self.assertIn("525.00", best)
        self.assertIn("<td>Units</td>", best)  # the unit next to the quantity
        slowest = html.split("o_jxc_slowest")[1].split("</table>")[0]
        self.assertLess(slowest.index(self.warehouse_2.name), slowest.index(self.warehouse.name))
        dead = html.split("o_jxc_dead")[1].split("</table>")[0]
        self.assertEqual(dead.count("JXC Widget"), 2)
        self.assertEqual(dead.count("<td>Units</td>"), 2)
        # the dead stock of today under February's title: marked "Now", and the note says what it means
        heading = html.split("o_jxc_dead")[0].rsplit("<h5>", 1)[1]
        self.assertIn("Dead Stock", heading)
        self.assertIn("o_jxc_now", heading)
        self.assertIn("o_jxc_now_note", html)

    def test_sales_xlsx_top_products_and_filters(self):
        domain = [("partner_id", "=", self.customer_b.id)]
        book = self._export("jxc.sales.report", domain)
        self.assertEqual(book.sheetnames, ["Best Sellers", "Top 10 Products"])
        top = book["Top 10 Products"]
        self.assertEqual([c.value for c in top[4]], ["Product", "Quantity Delivered", "Unit", "Revenue", "Margin"])
        self.assertEqual([c.value for c in top[5]], ["[JXC-001] JXC Widget", 15, "Units", 375, 225])
        # the products' quantities have no total (units of each their own), their revenue has
        self.assertEqual([c.value for c in top[6]], ["Total", None, None, "=SUM(D5)", "=SUM(E5)"])
        self.assertIn("Customer: = JXC Customer B", top["A2"].value)
