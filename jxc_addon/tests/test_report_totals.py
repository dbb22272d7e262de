"""Totals of the analyses that must not simply add up their rows.

- Month-end balances (the snapshots' and the turnover report's stock quantity and value) are
  stock at a date: a group of several month ends shows the stock at its last one (its first
  for the opening balance), flows (deliveries, COGS, carrying cost) add up; a group's turnover
  and days of inventory follow from those figures, as the dashboard's turnover of a period does.
  The Excel total row says the same as the screen. History of ``analysis_common.py``:

  ==========  ==============  ==============  ================  ==============
  month end   WH1 qty/value   WH2 qty/value   opening (both)    COGS (both)
  ==========  ==============  ==============  ================  ==============
  2025-01-31  100 / 1,000     30 / 300        0                 0
  2025-02-28  65 / 650        30 / 300        1,300             350
  2025-03-31  45 / 450        20 / 200        950               100
  ==========  ==============  ==============  ================  ==============

- Purchase cost: a product's all-vendor row of a month repeats its vendors' rows; totals count
  the purchases once whichever rows are shown.
- The company's service level is the mean fill of the delivery lines, whatever their units.
- Dead stock: sales are net of customer returns (a sale returned in full is no sale).
"""

import base64
import io
from datetime import date

import openpyxl
from freezegun import freeze_time

from odoo.tests import tagged

from .analysis_common import JxcAnalysisCommon
from .common import JxcCommon, xlsx_file


@tagged("post_install", "-at_install")
class TestAnalysisTotals(JxcAnalysisCommon):
    def _domain(self, *extra):
        return [("company_id", "=", self.company.id), ("product_id", "=", self.product_1.id), *extra]

    def _export(self, model, domain):
        action = self.env[model].with_context(lang="en_US", active_domain=domain).action_export_xlsx()
        content = base64.b64decode(xlsx_file(action).datas)
        # the formulas, then the values the file carries for them
        return (openpyxl.load_workbook(io.BytesIO(content)).active,
                openpyxl.load_workbook(io.BytesIO(content), data_only=True).active)

    def test_snapshot_groups_show_the_last_month_end(self):
        Snapshot = self.env["jxc.inventory.snapshot"]
        aggregates = ["quantity:sum", "value:sum", "opening_quantity:sum", "opening_value:sum",
                      "delivered_qty:sum", "cogs_value:sum"]
        # the product over three month ends (the grand total of the list, as the pivot reads it):
        # the stock at the end of March, what was delivered in the three months
        [total] = Snapshot._read_group(self._domain(), [], aggregates)
        self.assertEqual(total, (65.0, 650.0, 0.0, 0.0, 45.0, 450.0))
        by_warehouse = Snapshot._read_group(self._domain(), ["warehouse_id"], aggregates)
        self.assertEqual(sorted((w.name, *figures) for w, *figures in by_warehouse), sorted([
            (self.warehouse.name, 45.0, 450.0, 0.0, 0.0, 35.0, 350.0),
            (self.warehouse_2.name, 20.0, 200.0, 0.0, 0.0, 10.0, 100.0),
        ]))
        # one month end: the sum of its rows, as before
        by_month = Snapshot.formatted_read_group(self._domain(), ["date:month"], ["quantity:sum", "value:sum"])
        self.assertEqual([(g["date:month"][1], g["quantity:sum"], g["value:sum"]) for g in by_month], [
            ("January 2025", 130.0, 1300.0), ("February 2025", 95.0, 950.0), ("March 2025", 65.0, 650.0),
        ])

    def test_turnover_group_is_the_dashboards_turnover(self):
        Turnover = self.env["jxc.turnover.report"]
        domain = self._domain(("date", ">=", date(2025, 2, 1)), ("date", "<=", date(2025, 3, 31)))
        [total] = Turnover.formatted_read_group(domain, [], [
            "opening_value:sum", "value:sum", "value:sum_currency", "average_value:sum", "average_value:sum_currency",
            "cogs_value:sum", "turnover:avg", "days_of_inventory:avg", "quantity:sum", "period_days:max",
        ])
        self.assertEqual(
            [total[key] for key in ("opening_value:sum", "value:sum", "value:sum_currency", "average_value:sum",
                                    "average_value:sum_currency", "cogs_value:sum", "quantity:sum")],
            [1300.0, 650.0, 650.0, 975.0, 975.0, 450.0, 65.0],
        )
        self.assertAlmostEqual(total["turnover:avg"], 450 / 975)
        self.assertEqual(total["period_days:max"], 59)  # February and March
        self.assertAlmostEqual(total["days_of_inventory:avg"], 59 * 975 / 450)
        figures = self.env["jxc.inventory.snapshot"]._get_period_figures(self.company, date(2025, 2, 1), date(2025, 4, 1))
        self.assertAlmostEqual(total["turnover:avg"], figures["turnover"])
        self.assertAlmostEqual(total["days_of_inventory:avg"], figures["days_of_inventory"])
        # a month's group is its rows' sums; its ratios those of the row of one warehouse and month
        [february] = Turnover.formatted_read_group(
            domain + [("date", "=", date(2025, 2, 28))], [], ["average_value:sum", "turnover:avg", "days_of_inventory:avg"])
        self.assertEqual(february["average_value:sum"], 1125.0)
        self.assertAlmostEqual(february["turnover:avg"], 350 / 1125)
        self.assertAlmostEqual(february["days_of_inventory:avg"], 90.0)
        row = Turnover.search(domain + [("date", "=", date(2025, 2, 28)), ("warehouse_id", "=", self.warehouse.id)])
        [wh1] = Turnover._read_group([("id", "=", row.id)], [], ["turnover:avg", "days_of_inventory:avg"])
        self.assertAlmostEqual(wh1[0], row.turnover)
        self.assertAlmostEqual(wh1[1], row.days_of_inventory)

    def test_excel_totals_agree_with_the_screen(self):
        ws, values = self._export("jxc.inventory.snapshot", self._domain())
        self.assertEqual([c.value for c in ws[4]][4:9], [
            "On Hand", "Unit", "Inventory Value", "Delivered Quantity", "Cost of Goods Delivered"])
        self.assertEqual(ws["A11"].value, "Total")
        # the values add up; the quantities, of products in different units, have no total
        self.assertEqual([ws.cell(11, col).value for col in range(5, 10)], [
            None, None, "=SUMIFS(G5:G10,A5:A10,MAX(A5:A10))", None, "=SUM(I5:I10)",
        ])
        self.assertEqual([values.cell(11, col).value for col in range(5, 10)], [None, None, 650, None, 450])

        domain = self._domain(("date", ">=", date(2025, 2, 1)))
        ws, values = self._export("jxc.turnover.report", domain)
        self.assertEqual([c.value for c in ws[4]][4:9], [
            "Opening Value", "Closing Value", "Average Inventory", "Cost of Goods Delivered", "Turnover"])
        self.assertEqual(ws["A9"].value, "Total")
        self.assertEqual(ws["E9"].value, "=SUMIFS(E5:E8,A5:A8,MIN(A5:A8))")
        self.assertEqual([values.cell(9, col).value for col in range(5, 9)], [1300, 650, None, 450])

    def test_purchase_cost_counts_each_purchase_once(self):
        # January: 100 @ 10 from vendor A; February: 50 @ 12 from A and 50 @ 11 from B. Each month
        # has its rows per vendor and its all-vendor row: the purchases are 200 for 2,150.
        Report = self.env["jxc.purchase.cost.report"].with_user(self.jxc_manager)
        domain = [("product_id", "=", self.product_1.id)]
        self.assertEqual(Report.search_count(domain), 5)
        for rows in ([], [("all_vendors", "=", False)], [("all_vendors", "=", True)]):
            [total] = Report.formatted_read_group(domain + rows, [], ["quantity:sum", "amount:sum", "amount:sum_currency"])
            self.assertEqual((total["quantity:sum"], total["amount:sum"], total["amount:sum_currency"]),
                             (200.0, 2150.0, 2150.0), rows)
        by_month = Report.formatted_read_group(domain, ["date:month"], ["quantity:sum", "amount:sum"])
        self.assertEqual([(g["date:month"][1], g["quantity:sum"], g["amount:sum"]) for g in by_month], [
            ("January 2025", 100.0, 1000.0), ("February 2025", 100.0, 1150.0),
        ])
        by_vendor = Report.formatted_read_group(domain, ["partner_id"], ["quantity:sum", "amount:sum"])
        self.assertEqual(sorted((g["partner_id"] and g["partner_id"][1] or "", g["amount:sum"]) for g in by_vendor), [
            ("", 2150.0), (self.vendor_a.name, 1600.0), (self.vendor_b.name, 550.0),
        ])
        # the sheet of both kinds: the vendors' rows; of the all-vendor rows alone: theirs
        for rows in ([], [("all_vendors", "=", True)]):
            ws, values = self._export("jxc.purchase.cost.report", domain + rows)
            self.assertEqual([c.value for c in ws[4]][4:7], ["Quantity Ordered", "Unit", "Untaxed Amount"])
            last = 4 + Report.search_count(domain + rows)
            self.assertEqual(ws.cell(last + 1, 1).value, "Total")
            self.assertEqual(ws.cell(last + 1, 7).value, '=IF(COUNTIF(C5:C%(n)s,"?*")>0,SUMIFS(G5:G%(n)s,C5:C%(n)s,"?*"),'
                             'SUM(G5:G%(n)s))' % {"n": last})
            # no total of the quantities: a sheet's rows are of products in different units
            self.assertEqual([values.cell(last + 1, col).value for col in (5, 6, 7)], [None, None, 2150], rows)


@tagged("post_install", "-at_install")
class TestCompanyFillRate(JxcCommon):
    """The company's service level does not add quantities of different units: a delivery of
    12 widgets (units) shipped in full and 3 dozen eggs of which 1 dozen shipped (the rest in a
    backorder) is filled at (1 + 1/3) / 2 = 66.7 % (its two lines), not (12 + 1) / (12 + 3) =
    86.7 % (and 25 / 48 = 52 % had the eggs been counted in units)."""

    FEBRUARY = [date(2025, 2, 1), date(2025, 3, 1)]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.eggs = cls.env["product.product"].create({
            **cls._prepare_product_vals("JXC Eggs", 3.0, 5.0, "JXC-EGG"), "uom_id": cls.env.ref("uom.product_uom_dozen").id,
        })
        with freeze_time("2025-01-05 04:00:00"):
            cls._set_on_hand(cls.product_1, 100)
            cls._set_on_hand(cls.eggs, 1)
        with freeze_time("2025-02-10 04:00:00"):
            cls.sale = cls._create_sale(cls.customer_a, [(cls.product_1, 12, 25.0), (cls.eggs, 3, 5.0)])
            cls._deliver(cls.sale, {cls.product_1: 12, cls.eggs: 1})

    def _tile(self):
        with freeze_time("2025-03-05 04:00:00"):
            return self.env["jxc.service.level"]._get_jxc_dashboard_kpis(self.company, *self.FEBRUARY)[0]["value"]

    def test_lines_weigh_the_same_whatever_their_unit(self):
        ServiceLevel = self.env["jxc.service.level"]
        self.assertEqual(self.sale.picking_ids.backorder_ids.move_ids.mapped("product_uom_qty"), [2.0])
        self.env.flush_all()
        [(filled, lines)] = ServiceLevel._get_fill_rates(self.company, self.FEBRUARY)
        self.assertEqual(lines, 2)
        self.assertAlmostEqual(filled, 1 + 1 / 3)
        self.assertAlmostEqual(self._tile(), 2 / 3)
        # each product's own fill rate stays in its unit
        bounds = self.env["jxc.dashboard"]._get_day_bounds(self.company, self.FEBRUARY)
        self.assertEqual(ServiceLevel._get_fill_rates_by_product(self.company, *bounds), {
            (self.product_1.id, self.warehouse.id): (12.0, 12.0), (self.eggs.id, self.warehouse.id): (1.0, 3.0),
        })

    def test_a_month_stored_as_quantities_is_measured_again(self):
        Month = self.env["jxc.dashboard.month"]
        # February as an earlier version stored it (shipped / asked quantities, timezone alone)
        Month.create({
            "company_id": self.company.id, "key": "service_level", "month": self.FEBRUARY[0], "numerator": 13.0,
            "denominator": 15.0, "settings": "Asia/Shanghai", "computed_at": "2025-03-02 00:00:00",
        })
        self.assertAlmostEqual(self._tile(), 2 / 3)
        with freeze_time("2025-03-05 04:00:00"):
            Month._store_company(self.company)
        stored = Month.search([("company_id", "=", self.company.id), ("key", "=", "service_level"),
                               ("month", "=", self.FEBRUARY[0])])
        self.assertEqual((stored.denominator, stored.settings), (2.0, "Asia/Shanghai|lines"))
        self.assertAlmostEqual(self._tile(), 2 / 3)


@tagged("post_install", "-at_install")
class TestDeadStockNetOfReturns(JxcCommon):
    """On 1 June 2025 (dead after 90 days, slow below 2 turns a year), both products received
    100 on 10 January:

    * widgets: 10 sold on 1 February, 20 sold on 20 May and all 20 sent back on 25 May: the May
      sale is no sale; last sold 1 February, 120 days ago: dead, nothing out in the window;
    * gadgets: 30 sold on 20 May, 10 sent back on 25 May: last sold 20 May, 20 out in the window.
    """

    NOW = "2025-06-01 04:00:00"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._set_stock_status_limits(dead_days=90, slow_rate=2.0)
        widget, gadget = cls.product_1, cls.product_2
        with freeze_time("2025-01-10 04:00:00"):
            cls._receive(cls._create_purchase(cls.vendor_a, [(widget, 100, 10.0), (gadget, 100, 4.0)]))
        cls._sell(cls.customer_a, [(widget, 10, 25.0)], "2025-02-01 04:00:00")
        may = cls._sell(cls.customer_a, [(widget, 20, 25.0), (gadget, 30, 9.0)], "2025-05-20 04:00:00")
        with freeze_time("2025-05-25 04:00:00"):
            cls._return_picking(may, {widget: 20, gadget: 10})
        cls.env.flush_all()

    def test_returns_are_netted(self):
        with freeze_time(self.NOW):
            rows = self.env["jxc.dead.stock.report"].search([("product_id", "in", (self.product_1 | self.product_2).ids)])
            figures = {
                row.product_id: (row.stock_status, row.quantity, str(row.last_out_date), row.idle_days, row.window_out_qty)
                for row in rows
            }
        self.assertEqual(figures, {
            self.product_1: ("dead", 90.0, "2025-02-01 04:00:00", 120, 0.0),
            self.product_2: ("slow", 80.0, "2025-05-20 04:00:00", 12, 20.0),
        })
