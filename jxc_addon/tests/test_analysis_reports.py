from datetime import date

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time
from lxml import etree

from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import Form, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .analysis_common import JxcAnalysisCommon
from .common import JxcCommon


@tagged("post_install", "-at_install")
class TestTurnoverWorkedExample(JxcCommon):
    """Walmart fiscal 2024 as published (calcdragon.com/c/inventory-turnover-calculator, figures in
    $ millions from Walmart's annual report): beginning inventory 56,576, ending inventory 54,892,
    COGS 490,142 -> average inventory 55,734, turnover 8.79, days of inventory 365 / 8.79 = 41.5.
    Rebuilt with one unit = $1 million of a product costing 1.00, over calendar 2025 (365 days)."""

    def test_walmart_fy2024(self):
        product = self.env["product.product"].create(self._prepare_product_vals("JXC Walmart Goods", 1.0, 2.0, "JXC-WMT"))
        with freeze_time("2024-12-05 04:00:00"):
            self._set_on_hand(product, 56576)
        with freeze_time("2025-06-10 04:00:00"):
            self._receive(self._create_purchase(self.vendor_a, [(product, 488458, 1.0)]))
        with freeze_time("2025-06-20 04:00:00"):
            self._deliver(self._create_sale(self.customer_a, [(product, 490142, 2.0)]))
        self.env.flush_all()
        self.env["jxc.inventory.snapshot"]._backfill(self.company, date(2024, 12, 1), date(2026, 1, 1))
        figures = self.env["jxc.inventory.snapshot"]._get_period_figures(self.company, date(2025, 1, 1), date(2026, 1, 1))
        self.assertEqual((figures["opening"], figures["closing"], figures["cogs"]), (56576.0, 54892.0, 490142.0))
        self.assertEqual(figures["average"], 55734.0)
        self.assertAlmostEqual(figures["turnover"], 8.79, places=2)
        self.assertAlmostEqual(figures["days_of_inventory"], 41.5, places=1)
        kpis = {k["key"]: k["value"] for k in self.env["jxc.dashboard"]._get_kpis(self.company, date(2025, 1, 1), date(2026, 1, 1))}
        self.assertAlmostEqual(kpis["turnover"], 490142 / 55734, places=6)
        self.assertAlmostEqual(kpis["days_of_inventory"], 365 * 55734 / 490142, places=6)
        # the June row of the monthly report: same textbook formula over 30 days
        june = self.env["jxc.turnover.report"].search([("product_id", "=", product.id), ("date", "=", date(2025, 6, 30))])
        self.assertEqual((june.opening_value, june.value, june.average_value), (56576.0, 54892.0, 55734.0))
        self.assertAlmostEqual(june.turnover, 8.7943, places=4)
        self.assertAlmostEqual(june.days_of_inventory, 30 * 55734 / 490142, places=4)


@tagged("post_install", "-at_install")
class TestTurnoverGroups(JxcCommon):
    """Two products at 10.00, 100 of each on hand from December 2024; in January all the widgets
    are sold (none left: no month end after January) and half of the other ("JXC Half Sold":
    500.00 left until March). Over the first quarter (90 days): widget (1,000 + 0) / 2 = 500
    average, 1,000 used: turnover 2, days of inventory 90 x 500 / 1,000 = 45; the other
    (1,000 + 500) / 2 = 750, 500 used: 90 x 750 / 500 = 135."""

    QUARTER = (date(2025, 1, 1), date(2025, 3, 31))

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.gadget = cls.env["product.product"].create(cls._prepare_product_vals("JXC Half Sold", 10.0, 25.0, "JXC-HALF"))
        with freeze_time("2024-12-06 04:00:00"):
            cls._set_on_hand(cls.product_1, 100)
            cls._set_on_hand(cls.gadget, 100)
        cls._sell(cls.customer_a, [(cls.product_1, 100, 25.0), (cls.gadget, 50, 25.0)], "2025-01-20 04:00:00")
        cls.env.flush_all()
        cls.env["jxc.inventory.snapshot"]._backfill(cls.company, date(2024, 12, 1), date(2025, 4, 1))

    def _domain(self):
        return [("company_id", "=", self.company.id), ("product_id", "in", (self.product_1 | self.gadget).ids),
                ("date", ">=", self.QUARTER[0]), ("date", "<=", self.QUARTER[1])]

    def test_a_product_group_spans_the_period_read(self):
        """A product sold out in January: its quarter is 90 days, as the dashboard's, not its
        own January; a group of months keeps its own days."""
        Turnover = self.env["jxc.turnover.report"]
        aggregates = ["opening_value:sum", "value:sum", "used_value:sum", "turnover:avg", "days_of_inventory:avg", "period_days:max"]
        by_product = {product: figures for product, *figures in Turnover._read_group(self._domain(), ["product_id"], aggregates)}
        self.assertEqual(by_product[self.product_1], [1000.0, 0.0, 1000.0, 2.0, 45.0, 90])
        self.assertEqual(by_product[self.gadget], [1000.0, 500.0, 500.0, 2 / 3, 135.0, 90])
        # by product and month: January alone (31 days) for the widget
        january = Turnover._read_group(
            self._domain() + [("product_id", "=", self.product_1.id)], ["date:month"], ["days_of_inventory:avg", "period_days:max"])
        self.assertEqual([(day, days, span) for day, days, span in january], [(date(2025, 1, 1), 15.5, 31)])
        # by product and quarter: the quarter's 90 days, as the product's row (not January's 31,
        # its only month)
        quarters = Turnover._read_group(self._domain(), ["product_id", "date:quarter"],
                                        ["days_of_inventory:avg", "period_days:max"])
        self.assertIn((self.product_1, date(2025, 1, 1), 45.0, 90), quarters)
        # the 50 Gadgets left after January did not move in February: no days of inventory
        # (infinitely many), not 0 days
        february = [*self._domain(), ("product_id", "=", self.gadget.id), ("date", "=", date(2025, 2, 28))]
        [(product, value, used, days)] = Turnover._read_group(
            february, ["product_id"], ["value:sum", "used_value:sum", "days_of_inventory:avg"])
        self.assertEqual((product, value, used), (self.gadget, 500.0, 0.0))
        self.assertIs(days, False)  # (0.0 == False: assertEqual would not tell them apart)
        # the row's Excel cell is empty too (the list hides its 0.0)
        rows = Turnover.search_fetch(february, ["days_of_inventory"])
        [cell] = Turnover._get_jxc_xlsx_column(rows, "days_of_inventory")
        self.assertIs(cell, False)
        # the pivot asks the groupings at once (grouping sets): each row as read alone
        rows, products, months, [total] = Turnover._read_grouping_sets(
            self._domain(), [["product_id", "date:month"], ["product_id"], ["date:month"], []],
            ["turnover:avg", "days_of_inventory:avg", "period_days:max"],
        )
        self.assertEqual({p: (t, d, s) for p, t, d, s in products}, {
            self.product_1: (2.0, 45.0, 90), self.gadget: (2 / 3, 135.0, 90)})
        self.assertIn((self.product_1, date(2025, 1, 1), 2.0, 15.5, 31), rows)
        self.assertEqual([(day, s) for day, _t, _d, s in months], [(date(2025, 1, 1), 31), (date(2025, 2, 1), 28), (date(2025, 3, 1), 31)])
        # both: 2,000 opening, 500 closing (March), 1,500 used over the quarter
        self.assertEqual(total, (1500 / 1250, 90 * 1250 / 1500, 90))
        # ordered and filtered on a ratio (list headers, having) the same way
        ordered = Turnover._read_group(self._domain(), ["product_id"], ["days_of_inventory:avg"],
                                       having=[("days_of_inventory:avg", ">", 100)], order="days_of_inventory:avg desc")
        self.assertEqual(ordered, [(self.gadget, 135.0)])

    def test_turnover_without_average_inventory_is_undefined(self):
        """10 lamps bought on 5 February and all sold on 20 February: nothing at either month
        end, 80.00 used. Its turnover is undefined (empty, as the dashboard's "–"), not 0, which
        would rank the fastest mover with what never moves."""
        lamp = self.env["product.product"].create(self._prepare_product_vals("JXC Quick Lamp", 8.0, 12.0, "JXC-QLAMP"))
        self._buy(self.vendor_a, [(lamp, 10, 8.0)], "2025-02-05 04:00:00")
        self._sell(self.customer_a, [(lamp, 10, 12.0)], "2025-02-20 04:00:00")
        self.env.flush_all()
        self.env["jxc.inventory.snapshot"]._backfill(self.company, date(2025, 2, 1), date(2025, 3, 1))
        Turnover = self.env["jxc.turnover.report"]
        domain = [("product_id", "=", lamp.id), ("date", "=", date(2025, 2, 28))]
        rows = Turnover.search_fetch(domain, ["average_value", "used_value", "turnover"])
        self.assertEqual((rows.average_value, rows.used_value), (0.0, 80.0))
        # the row's Excel cell is empty (the list shows a float's 0.0 for it)
        [cell] = Turnover._get_jxc_xlsx_column(rows, "turnover")
        self.assertIs(cell, False)
        [(turnover,)] = Turnover._read_group(domain, [], ["turnover:avg"])
        self.assertIs(turnover, False)

    def test_total_of_two_currencies_divides_converted_sums(self):
        """A company in EUR (1 EUR = 10 of ours) beside ours, January rows of one product:
        ours 7,000 opening, closing and used (turnover 1); theirs 100 opening and closing, 1,000
        used (EUR; turnover 10). Together, converted: average 7,000 + 1,000 = 8,000, used 7,000
        + 10,000 = 17,000: turnover 2.125, days of inventory 31 x 8,000 / 17,000."""
        ours = self.company
        eur = self.env.ref("base.EUR")
        self.assertNotEqual(ours.currency_id, eur)
        eur.active = True
        theirs = self.env["res.company"].create({"name": "JXC Euro Company", "currency_id": eur.id})
        self.env["res.currency.rate"].create({"name": "2025-01-01", "rate": 0.1, "currency_id": eur.id, "company_id": ours.id})
        product = self.env["product.product"].create(self._prepare_product_vals("JXC Euro Goods", 1.0, 2.0, "JXC-EUR"))
        Snapshot = self.env["jxc.inventory.snapshot"]
        for company, opening, closing, cogs in ((ours, 7000.0, 7000.0, 7000.0), (theirs, 100.0, 100.0, 1000.0)):
            Snapshot._insert_rows(company, [{
                "company_id": company.id, "date": date(2025, 1, 31), "product_id": product.id, "categ_id": product.categ_id.id,
                "warehouse_id": False, "quantity": 1.0, "value": closing, "history_state": False, "opening_quantity": 1.0,
                "opening_value": opening, "delivered_qty": 1.0, "cogs_value": cogs, "scrap_value": 0.0,
                "count_loss_value": 0.0, "count_gain_value": 0.0, "consumption_value": 0.0, "revaluation_value": 0.0,
                "is_live": False,
            }])
        self.env.flush_all()
        Turnover = self.env["jxc.turnover.report"].with_context(allowed_company_ids=[ours.id, theirs.id])
        domain = [("product_id", "=", product.id)]
        with freeze_time("2025-03-05 04:00:00"):
            [total] = Turnover.formatted_read_group(domain, [], [
                "average_value:sum_currency", "used_value:sum_currency", "turnover:avg", "days_of_inventory:avg"])
            by_company = Turnover._read_group(domain, ["company_id"], ["turnover:avg", "days_of_inventory:avg"])
        self.assertEqual((total["average_value:sum_currency"], total["used_value:sum_currency"]), (8000.0, 17000.0))
        self.assertEqual(total["turnover:avg"], 2.125)
        self.assertAlmostEqual(total["days_of_inventory:avg"], 31 * 8000 / 17000)
        # each company in its own currency: its own figures
        self.assertEqual(sorted((c.name, t, d) for c, t, d in by_company), [
            ("JXC Euro Company", 10.0, 3.1), (ours.name, 1.0, 31.0)])


@tagged("post_install", "-at_install")
class TestAnalysisReports(JxcAnalysisCommon):
    def test_turnover_and_carrying_cost(self):
        row = self.env["jxc.turnover.report"].search([
            ("date", "=", date(2025, 2, 28)), ("warehouse_id", "=", self.warehouse.id), ("product_id", "=", self.product_1.id),
        ])
        # average (1000 + 650) / 2 = 825; COGS 350; turnover 350 / 825; DOI 28 x 825 / 350 = 66
        self.assertEqual((row.opening_value, row.value, row.average_value, row.cogs_value), (1000.0, 650.0, 825.0, 350.0))
        self.assertAlmostEqual(row.turnover, 0.424242, places=5)
        self.assertAlmostEqual(row.days_of_inventory, 66.0, places=6)
        # 825 x 20 % x 28 / 365 = 12.657... (rows unrounded: a year is the exact sum of its months)
        self.assertAlmostEqual(row.carrying_cost, 825 * 0.2 * 28 / 365, places=6)
        # by warehouse over the quarter: WH2 Jan 150 x .2 x 31/365 + Feb 300 x .2 x 28/365 + Mar 250 x .2 x 31/365
        groups = self.env["jxc.turnover.report"]._read_group(
            [("company_id", "=", self.company.id)], ["warehouse_id"], ["carrying_cost:sum"])
        by_wh = dict(groups)
        self.assertAlmostEqual(by_wh[self.warehouse_2], 2.55 + 4.60 + 4.25, places=2)
        # February was recorded by the monthly action: a later rate leaves what it reported
        self.assertTrue(self.env["jxc.inventory.snapshot"].browse(row.id).is_live)  # a turnover row is its snapshot
        self.company.jxc_carrying_cost_rate = 10.0
        self.env.flush_all()
        row.invalidate_recordset()
        self.assertAlmostEqual(row.carrying_cost, 825 * 0.2 * 28 / 365, places=6)

    def test_best_sellers(self):
        Sales = self.env["jxc.sales.report"]
        domain = [("company_id", "=", self.company.id)]
        by_customer = {p: (q, r, c, m) for p, q, r, c, m in Sales._read_group(
            domain, ["partner_id"], ["quantity:sum", "revenue:sum", "cost:sum", "margin:sum"])}
        # customer A: 40 - 5 returned = 35 x 25 = 875 at cost 350; customer B: 10 (Mar) + 5 (Apr) x 25
        self.assertEqual(by_customer[self.customer_a], (35.0, 875.0, 350.0, 525.0))
        self.assertEqual(by_customer[self.customer_b], (15.0, 375.0, 150.0, 225.0))
        by_month = dict(Sales._read_group(domain, ["date:month"], ["revenue:sum"]))
        self.assertEqual(sorted(by_month.values()), [125.0, 250.0, 875.0])
        top = Sales._read_group(domain, ["product_id"], ["revenue:sum"], order="revenue:sum desc", limit=1)
        self.assertEqual(top[0], (self.product_1, 1250.0))

    def test_purchase_cost(self):
        Cost = self.env["jxc.purchase.cost.report"]
        rows = Cost.search([("product_id", "=", self.product_1.id), ("date", "=", date(2025, 2, 1))])
        overall = rows.filtered("all_vendors")
        # February: (50 x 12 + 50 x 11) / 100 = 11.5 against 10 in January: +1.5 = +15 %
        self.assertEqual((overall.quantity, overall.amount, overall.average_price), (100.0, 1150.0, 11.5))
        self.assertEqual((overall.previous_price, overall.price_variance), (10.0, 1.5))
        self.assertAlmostEqual(overall.price_variance_rate, 15.0)
        vendor_a = rows.filtered(lambda r: r.partner_id == self.vendor_a)
        self.assertEqual((vendor_a.average_price, vendor_a.previous_price, vendor_a.last_price), (12.0, 10.0, 12.0))
        self.assertAlmostEqual(vendor_a.price_variance_rate, 20.0)
        self.assertEqual(vendor_a.supplier_grade, "a")
        vendor_b = rows.filtered(lambda r: r.partner_id == self.vendor_b)
        self.assertEqual((vendor_b.average_price, vendor_b.supplier_grade), (11.0, "b"))
        self.assertFalse(vendor_b.previous_price)
        january = Cost.search([("product_id", "=", self.product_1.id), ("date", "=", date(2025, 1, 1)), ("all_vendors", "=", True)])
        self.assertEqual((january.average_price, january.last_price), (10.0, 10.0))
        # the first month has no previous price (the list leaves it empty), not one of 0
        self.assertEqual((january.has_previous_price, overall.has_previous_price, vendor_b.has_previous_price),
                         (False, True, False))

    def test_best_sellers_follow_odoos_delivered_quantity(self):
        """10 sold at 20 and delivered; 2 come back on a return that updates the order (a refund)
        and on one that does not (taken back for repair): Odoo's delivered quantity is 8, then
        10, and so are the report's quantity and revenue."""
        product = self.env["product.product"].create(self._prepare_product_vals("JXC Kettle", 5.0, 20.0, "JXC-KTL"))
        results = []
        for to_refund in (True, False):
            with freeze_time("2025-02-10 04:00:00"):
                self._set_on_hand(product, 10)
                order = self._create_sale(self.customer_a, [(product, 10.0, 20.0)])
                delivery = self._deliver(order)
            with freeze_time("2025-02-12 04:00:00"):
                wizard = Form(self.env["stock.return.picking"].with_context(
                    active_id=delivery.id, active_model="stock.picking")).save()
                wizard.product_return_moves.write({"quantity": 2.0, "to_refund": to_refund})
                returned = self.env["stock.picking"].browse(wizard.action_create_returns()["res_id"])
                self._validate_picking(returned, {product: 2.0})
            rows = self.env["jxc.sales.report"].search([("order_id", "=", order.id)])
            results.append((order.order_line.qty_delivered, sum(rows.mapped("quantity")), sum(rows.mapped("revenue"))))
        self.assertEqual(results, [(8.0, 8.0, 160.0), (10.0, 10.0, 200.0)])

    def test_revenue_of_a_line_sold_by_the_dozen(self):
        """2 dozen sold at 120 a dozen, delivered as 24 units: 240 of revenue, not 24 x 120."""
        product = self.env["product.product"].create(self._prepare_product_vals("JXC Eggs", 5.0, 10.0, "JXC-EGGS"))
        with freeze_time("2025-02-10 04:00:00"):
            self._set_on_hand(product, 30)
            order = self.env["sale.order"].create({
                "partner_id": self.customer_a.id,
                "order_line": [Command.create({
                    "product_id": product.id, "product_uom_qty": 2.0, "price_unit": 120.0,
                    "product_uom_id": self.env.ref("uom.product_uom_dozen").id,
                })],
            })
            order.action_confirm()
            self._deliver(order)
        rows = self.env["jxc.sales.report"].search([("order_id", "=", order.id)])
        self.assertEqual((rows.quantity, rows.revenue, rows.cost), (24.0, 240.0, 120.0))

    def test_amounts_rounded_as_the_company_currency(self):
        """A currency of three decimals (as the Kuwaiti dinar): 1 sold at 1.2345 is 1.235 of
        revenue, as on Odoo's order line, and 3 bought at 0.3348 are 1.004 (not 1.24 and 1.00)."""
        self.company.currency_id.rounding = 0.001
        product = self.env["product.product"].create(self._prepare_product_vals("JXC Dinar Goods", 0.5, 1.0, "JXC-KWD"))
        self._buy(self.vendor_a, [(product, 3, 0.3348)], "2025-02-10 04:00:00")
        with freeze_time("2025-02-11 04:00:00"):
            order = self._create_sale(self.customer_a, [(product, 1, 1.2345)])
            self._deliver(order)
        self.assertEqual(order.order_line.price_subtotal, 1.235)
        self.assertEqual(self.env["jxc.sales.report"].search([("order_id", "=", order.id)]).revenue, 1.235)
        cost = self.env["jxc.purchase.cost.report"].search([("product_id", "=", product.id), ("all_vendors", "=", True)])
        self.assertEqual(cost.amount, 1.004)

    def test_purchase_cost_of_an_order_to_a_contact(self):
        """Vendor A (graded A) bought at 10 in January; in March an order to its contact Li Wei
        at 12: vendor A's row, graded A, +20 % on January (not a row of Li Wei without grade)."""
        product = self.env["product.product"].create(self._prepare_product_vals("JXC Contact Goods", 5.0, 9.0, "JXC-CTC"))
        contact = self.env["res.partner"].create({"name": "Li Wei", "parent_id": self.vendor_a.id, "type": "contact"})
        self._buy(self.vendor_a, [(product, 5, 10.0)], "2025-01-10 04:00:00")
        self._buy(contact, [(product, 5, 12.0)], "2025-03-10 04:00:00")
        march = self.env["jxc.purchase.cost.report"].search([
            ("product_id", "=", product.id), ("date", "=", date(2025, 3, 1)), ("all_vendors", "=", False)])
        self.assertEqual((march.partner_id, march.supplier_grade), (self.vendor_a, "a"))
        self.assertEqual((march.average_price, march.previous_price), (12.0, 10.0))
        self.assertAlmostEqual(march.price_variance_rate, 20.0)

    def test_purchase_cost_rows_keep_their_ids(self):
        """A purchase of the Widget in December, before its other months, adds rows before
        theirs: the rows keep the ids the list showed."""
        Cost = self.env["jxc.purchase.cost.report"]

        def ids():
            Cost.invalidate_model()
            return {(row.product_id, row.date, row.partner_id): row.id for row in Cost.search([])}

        before = ids()
        self._buy(self.vendor_a, [(self.product_1, 4, 5.0)], "2024-12-10 04:00:00")
        after = ids()
        self.assertEqual({key: after[key] for key in before}, before)
        self.assertEqual(len(after), len(before) + 2)  # the vendor's row and the all-vendors one

    def test_purchase_cost_month_in_company_timezone(self):
        """Confirmed at 20:00 UTC on 28 February, 04:00 on 1 March in Shanghai: a March purchase."""
        product = self.env["product.product"].create(self._prepare_product_vals("JXC Late Order", 5.0, 9.0, "JXC-LATE"))
        self._buy(self.vendor_a, [(product, 4, 5.0)], "2025-02-28 20:00:00")
        rows = self.env["jxc.purchase.cost.report"].search([("product_id", "=", product.id), ("all_vendors", "=", True)])
        self.assertEqual([(str(row.date), row.quantity) for row in rows], [("2025-03-01", 4.0)])

    def test_best_sellers_month_in_company_timezone(self):
        """Delivered at 20:00 UTC on 28 February, 04:00 on 1 March in Shanghai: a March sale in the
        company's month, for a reader in UTC as in Shanghai (as the turnover and purchase cost)."""
        product = self.env["product.product"].create(self._prepare_product_vals("JXC Late Sale", 5.0, 9.0, "JXC-LSALE"))
        with freeze_time("2025-02-20 04:00:00"):
            self._set_on_hand(product, 10)
        with freeze_time("2025-02-28 20:00:00"):
            self._deliver(self._create_sale(self.customer_a, [(product, 4, 9.0)]))
        domain = [("product_id", "=", product.id)]
        for tz in ("UTC", "Asia/Shanghai"):
            Sales = self.env["jxc.sales.report"].with_context(tz=tz)
            self.assertEqual(Sales._read_group(domain, ["day:month"], ["quantity:sum"]), [(date(2025, 3, 1), 4.0)], tz)
            self.assertEqual(Sales.search(domain).day, date(2025, 3, 1))
        views = self.env["jxc.sales.report"].get_views([(False, "search"), (False, "pivot")])["views"]
        self.assertIn("'group_by': 'day:month'", views["search"]["arch"])
        self.assertIn('name="day" interval="month"', views["pivot"]["arch"])

    def test_dashboard_equals_lists(self):
        dashboard = self.env["jxc.dashboard"]
        date_from, date_to = date(2025, 2, 1), date(2025, 3, 1)
        kpis = {k["key"]: k for k in dashboard._get_kpis(self.company, date_from, date_to)}
        self.assertLessEqual(
            {"inventory_value", "turnover", "days_of_inventory", "dead_stock_value", "carrying_cost_year",
             "supplier_on_time_rate", "jxc_below_safety_stock", "jxc_projected_stockouts", "jxc_overstock_value",
             "count_accuracy"},
            set(kpis),
        )

        def rows(kpi):
            action = kpis[kpi]["action"]
            return self.env[action["res_model"]].search(action["domain"])

        self.assertEqual(kpis["inventory_value"]["value"], sum(rows("inventory_value").mapped("value")))
        self.assertEqual(kpis["inventory_value"]["value"], 950.0)
        # the turnover report of February: January's closing is February's opening
        turnover_rows = rows("turnover")
        self.assertEqual(set(turnover_rows.mapped("date")), {date(2025, 2, 28)})
        opening, closing, cogs = (sum(turnover_rows.mapped(name)) for name in ("opening_value", "value", "cogs_value"))
        self.assertEqual((opening, closing, cogs), (1300.0, 950.0, 350.0))
        self.assertAlmostEqual(kpis["turnover"]["value"], cogs / ((opening + closing) / 2))
        self.assertAlmostEqual(kpis["days_of_inventory"]["value"], 28 * (opening + closing) / 2 / cogs)
        [total] = self.env["jxc.turnover.report"]._read_group(
            kpis["turnover"]["action"]["domain"], [], ["turnover:avg", "days_of_inventory:avg"])
        self.assertAlmostEqual(total[0], kpis["turnover"]["value"])
        self.assertAlmostEqual(total[1], kpis["days_of_inventory"]["value"])
        self.assertAlmostEqual(kpis["carrying_cost_year"]["value"], sum(rows("carrying_cost_year").mapped("carrying_cost")), places=6)
        # average inventory x 20 % x days / 365 -- Feb: WH1 825 (12.66), WH2 300 (4.60): the period's months only
        self.assertAlmostEqual(kpis["carrying_cost_year"]["value"], 12.66 + 4.60, places=2)
        self.assertEqual(kpis["dead_stock_value"]["value"], sum(rows("dead_stock_value").mapped("value")))
        # January rebuilt since February was recorded (a bill dated in January re-values it by
        # 200): the tile still opens February at the 1,300 recorded with it, as the report does
        january = self.env["jxc.inventory.snapshot"].search([("company_id", "=", self.company.id), ("date", "=", date(2025, 1, 31))])
        january[:1].sudo().value += 200.0
        kpis = {k["key"]: k for k in dashboard._get_kpis(self.company, date_from, date_to)}
        self.assertAlmostEqual(kpis["turnover"]["value"], cogs / ((1300.0 + 950.0) / 2))
        [total] = self.env["jxc.turnover.report"]._read_group(
            kpis["turnover"]["action"]["domain"], [], ["turnover:avg"])
        self.assertAlmostEqual(total[0], kpis["turnover"]["value"])

    def test_dashboard_period_comparison(self):
        with freeze_time("2025-03-05 04:00:00"):
            data = self.env["jxc.dashboard"].get_dashboard_data("month")
        self.assertEqual((data["date_from"], data["date_to"]), ("2025-02-01", "2025-02-28"))
        # on screen in the user's date format, as Odoo shows dates
        self.assertEqual(data["period_label"], "02/01/2025 – 02/28/2025")
        self.env["res.lang"]._activate_lang("zh_CN")
        with freeze_time("2025-03-05 04:00:00"):
            data_zh = self.env["jxc.dashboard"].with_context(lang="zh_CN").get_dashboard_data("month")
        self.assertEqual(data_zh["period_label"], "2025/02/01 – 2025/02/28")
        self.assertEqual(
            self.env["jxc.turnover.report"]._get_jxc_turnover_action(self.company, date(2025, 1, 31), date(2025, 2, 28))["name"],
            "Turnover 01/31/2025 to 02/28/2025",
        )
        tiles = {t["key"]: t for t in data["tiles"]}
        value = tiles["inventory_value"]
        self.assertEqual((value["value"], value["previous"], value["trend"]), (950.0, 1300.0, -350.0))
        self.assertEqual(value["trend_percent"], -26.9)
        # from 0 to 3 is a change of 3, no percentage (the tile shows "▲ vs 0")
        tile = self.env["jxc.dashboard"]._prepare_tile(
            {"key": "abc_class_changes", "label": "Class Changes", "value": 3, "type": "int", "action": {}}, 0, {}, self.company)
        self.assertEqual((tile["compare"], tile["trend"], tile["trend_percent"]), (True, 3, None))
        # a rate from 50 % to 75 % changed by 25 points, not by 50 %
        tile = self.env["jxc.dashboard"]._prepare_tile(
            {"key": "service_level", "label": "Service Level", "value": 0.75, "type": "percent", "action": {}}, 0.5, {},
            self.company)
        self.assertEqual((tile["trend"], tile["trend_percent"], tile["trend_points"]), (0.25, None, 25.0))
        self.assertEqual(len(data["series"]), 12)
        self.assertEqual(data["series"][-1]["month"], "2025-02")
        self.assertEqual(data["series"][-1]["value"], 950.0)
        self.assertEqual(data["series"][-2]["value"], 1300.0)
        self.assertEqual(data["series"][-2]["value_pct"], 100.0)
        self.assertAlmostEqual(data["series"][-1]["turnover"], round(350 / 1125, 2))
        # a quarter against the quarter before (Nov-Jan: no COGS)
        with freeze_time("2025-04-05 04:00:00"):
            data = self.env["jxc.dashboard"].get_dashboard_data("quarter")
        tiles = {t["key"]: t for t in data["tiles"]}
        self.assertEqual((data["date_from"], data["date_to"]), ("2025-01-01", "2025-03-31"))
        # opening: nothing before January; closing: March 650; COGS 350 + 100
        self.assertAlmostEqual(tiles["turnover"]["value"], 450 / 325)
        # December, before the first recorded month end: nothing to compare with ("–")
        self.assertIsNone(tiles["inventory_value"]["previous"])
        self.assertFalse(tiles["inventory_value"]["compare"])

    def test_access_managers_only(self):
        for model in ("jxc.inventory.snapshot", "jxc.turnover.report", "jxc.stock.aging.report",
                      "jxc.dead.stock.report", "jxc.sales.report", "jxc.purchase.cost.report"):
            with self.assertRaises(AccessError, msg=model):
                self.env[model].with_user(self.jxc_user).search([])
            # A manager reads every analysis of the fixture history (no AccessError, rows visible).
            self.assertTrue(self.env[model].with_user(self.jxc_manager).search_count([]), model)
        data = self.env["jxc.dashboard"].with_user(self.jxc_user).get_dashboard_data()
        self.assertEqual(data["series"], [])
        self.assertTrue(data["tiles"])  # counts a buyer may see (purchase plan, supplier scores, counts)
        self.assertFalse([t["key"] for t in data["tiles"] if t["type"] == "monetary"])
        self.assertFalse({"inventory_value", "dead_stock_value", "carrying_cost_year"} & {t["key"] for t in data["tiles"]})
        self.assertTrue(self.env["jxc.inventory.snapshot"].with_user(self.jxc_manager).search([]))

    def test_dashboard_refused_outside_inventory_control(self):
        """A salesman and a portal user read deliveries (sale_stock), but the dashboard measures
        the service level over every delivery of the company: it is refused to them, its export
        and summary too."""
        salesman = new_test_user(self.env, login="jxc_dash_salesman", groups="sales_team.group_sale_salesman")
        portal = new_test_user(self.env, login="jxc_dash_portal", groups="base.group_portal")
        for user in (salesman, portal):
            dashboard = self.env["jxc.dashboard"].with_user(user)
            self.assertTrue(self.env["stock.picking"].with_user(user).has_access("read"), user.login)
            for call in (dashboard.get_dashboard_data, dashboard.action_export_xlsx, dashboard.action_print_summary):
                with self.assertRaisesRegex(AccessError, "Only inventory control users", msg=user.login):
                    call("month")

    def test_multi_company(self):
        other = self.env["res.company"].create({"name": "JXC Other Co"})
        user = new_test_user(
            self.env, login="jxc_other_manager", name="Other Manager", groups="jxc_addon.group_jxc_manager",
            company_id=other.id, company_ids=[other.id],
        )
        for model in ("jxc.inventory.snapshot", "jxc.turnover.report", "jxc.sales.report", "jxc.purchase.cost.report"):
            self.assertTrue(self.env[model].search_count([("company_id", "=", self.company.id)]), model)
            self.assertEqual(self.env[model].with_user(user).search_count([]), 0, model)
        data = self.env["jxc.dashboard"].with_user(user).with_company(other).get_dashboard_data()
        # nothing anywhere: zero counts, and "–" (None) where there is nothing to measure
        self.assertTrue(all(t["value"] in (0, None) for t in data["tiles"]))


@tagged("post_install", "-at_install")
class TestAnalysisViews(JxcAnalysisCommon):
    def test_actions_views_and_groupings_load(self):
        """Every analysis action opens its views, and its pivot groupings and default filters run."""
        for xmlid in ("jxc_inventory_snapshot_action", "jxc_turnover_report_action", "jxc_stock_aging_report_action",
                      "jxc_dead_stock_report_action", "jxc_sales_report_action", "jxc_purchase_cost_report_action",
                      "jxc_turnover_report_action_carrying"):
            action = self.env.ref("jxc_addon." + xmlid)
            model = self.env[action.res_model].with_user(self.jxc_manager)
            views = model.get_views([(False, mode) for mode in action.view_mode.split(",")] + [(False, "search")])
            self.assertEqual(set(views["views"]), set(action.view_mode.split(",")) | {"search"}, xmlid)
            groupbys = [name for name, field in model._fields.items()
                        if field.type in ("many2one", "selection", "char") and field.store and name != "display_name"]
            for groupby in groupbys:
                model.formatted_read_group([], [groupby], ["__count"])
            model.formatted_read_group([], ["date:month"] if "date" in model._fields else [], ["__count"])
        aging = self.env["jxc.stock.aging.report"]
        self.assertEqual(self.env.ref("jxc_addon.jxc_dashboard_action").tag, "jxc_dashboard")
        self.assertTrue(aging.search_count([]))

    def test_carrying_cost_opens_on_the_last_twelve_month_ends(self):
        """Opened on 10 January 2026, before January's month end exists: the default filter
        keeps the month ends since 1 January 2025 (the fixtures' first quarter of 2025), where
        This Year would show nothing."""
        action = self.env.ref("jxc_addon.jxc_turnover_report_action_carrying")
        self.assertEqual(safe_eval(action.context), {"search_default_last_12_months": 1})
        arch = etree.fromstring(self.env["jxc.turnover.report"].get_views([(False, "search")])["views"]["search"]["arch"])
        [domain] = arch.xpath("//filter[@name='last_12_months']/@domain")
        with freeze_time("2026-01-10 04:00:00"):
            domain = safe_eval(domain, {"context_today": date.today, "relativedelta": relativedelta})
        self.assertEqual(domain, [("date", ">=", "2025-01-01")])
        Report = self.env["jxc.turnover.report"]
        self.assertEqual(Report.search_count(domain + [("company_id", "=", self.company.id)]),
                         Report.search_count([("company_id", "=", self.company.id), ("date", "<", date(2025, 4, 1))]))
        self.assertTrue(Report.search_count(domain))
