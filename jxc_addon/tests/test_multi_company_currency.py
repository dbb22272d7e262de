"""Scheduled actions compute each company separately, in its own currency (issue 9, item 2).

Company A (the main company, cost 10.00 in its currency) and company B (another currency
CB, AVCO) each buy 10 JXC Currency Widgets in March 2025 and deliver 4. B buys in A's currency F at
1 CB = 8 F: 10 x 16.00 F = 160.00 F = 20.00 CB, so B's average cost is 2.00 CB.
Every scheduled action of the module then runs once (as ir.cron calls it) on 2 April 2025:
  supplier evaluation (March)  purchase volume  A 100.00      B 20.00 CB
  month-end snapshot 31 March  6 on hand, value A 60.00       B 12.00 CB
  ABC consumption value        4 delivered x cost: A 40.00    B 8.00 CB
  dashboard (B's manager)      Inventory Value tile 12.00 in B's currency symbol
and no record of one company references the other's company, warehouse or period."""

import base64
import io
from unittest.mock import patch

import openpyxl
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import JxcCommon, xlsx_file


@tagged("post_install", "-at_install")
class TestMultiCompanyCurrency(JxcCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.currency_a = cls.company.currency_id
        code_b = "EUR" if cls.currency_a.name == "USD" else "USD"
        cls.currency_b = cls.env["res.currency"].with_context(active_test=False).search([("name", "=", code_b)])
        cls.currency_b.active = True
        cls.currency_a.active = True
        cls.company_b = cls.env["res.company"].create({"name": "JXC Currency Co", "currency_id": cls.currency_b.id})
        cls.company_b.partner_id.tz = "Asia/Shanghai"
        cls.env["res.currency.rate"].create([
            {"name": "2025-01-01", "currency_id": cls.currency_b.id, "rate": 1.0, "company_id": cls.company_b.id},
            {"name": "2025-01-01", "currency_id": cls.currency_a.id, "rate": 8.0, "company_id": cls.company_b.id},
        ])
        cls.env.user.company_ids |= cls.company_b
        cls.env_b = cls.env(context=dict(cls.env.context, allowed_company_ids=[cls.company_b.id]))
        cls.warehouse_b = cls.env_b["stock.warehouse"].search([("company_id", "=", cls.company_b.id)])
        cls.category.with_company(cls.company).property_cost_method = "standard"
        cls.category.with_company(cls.company_b).property_cost_method = "average"
        cls.manager_b = new_test_user(
            cls.env, login="jxc_manager_b", name="JXC Manager B", company_id=cls.company_b.id,
            company_ids=[Command.set(cls.company_b.ids)],
            groups="jxc_addon.group_jxc_manager,stock.group_stock_manager",
        )
        # Created before the moves: Odoo's AVCO starts from the latest manual cost before them.
        with freeze_time("2025-02-01 02:00:00"):
            cls.widget = cls.env["product.product"].create(
                cls._prepare_product_vals("JXC Currency Widget", 10.0, 25.0, "JXC-CUR"))
        with freeze_time("2025-03-03 02:00:00"):
            order_a = cls._create_purchase(cls.vendor_a, [(cls.widget, 10.0, 10.0)])
            cls.order_b = cls.env_b["purchase.order"].create({
                "partner_id": cls.vendor_a.id,
                "currency_id": cls.currency_a.id,
                "picking_type_id": cls.warehouse_b.in_type_id.id,
                "order_line": [Command.create({"product_id": cls.widget.id, "product_qty": 10.0, "price_unit": 16.0})],
            })
            cls.order_b.button_confirm()
        with freeze_time("2025-03-05 02:00:00"):
            cls._receive(order_a)
            cls._receive(cls.order_b)
        with freeze_time("2025-03-10 02:00:00"):
            cls._deliver(cls._create_sale(cls.customer_a, [(cls.widget, 4.0, 25.0)]))
            sale_b = cls.env_b["sale.order"].create({
                "partner_id": cls.customer_a.id,
                "warehouse_id": cls.warehouse_b.id,
                "order_line": [Command.create({"product_id": cls.widget.id, "product_uom_qty": 4.0, "price_unit": 5.0})],
            })
            sale_b.action_confirm()
            cls._deliver(sale_b)
        cls.profile_a, cls.profile_b = cls.env["jxc.abc.profile"].create([
            {"name": "ABC A", "company_id": cls.company.id, "measure": "consumption_value", "lookback_days": 365,
             "is_default": True},
            {"name": "ABC B", "company_id": cls.company_b.id, "measure": "consumption_value", "lookback_days": 365,
             "is_default": True},
        ])
        # what the scheduled actions plan from in each company: reordering rules, cycle counts
        cls.env["jxc.safety.stock.rule"].create([
            {"name": "Goods %s" % company.name, "company_id": company.id, "categ_id": cls.category.id,
             "method": "fixed", "fixed_qty": 5.0, "history_days": 30, "review_days": 7}
            for company in (cls.company, cls.company_b)
        ])
        cls.env["jxc.count.cycle.rule"].create([
            {"name": "Cycle %s" % warehouse.name, "warehouse_id": warehouse.id, "company_id": warehouse.company_id.id}
            for warehouse in (cls.warehouse, cls.warehouse_b)
        ])
        Cron = type(cls.env["ir.cron"])
        with freeze_time("2025-04-02 03:00:00"), \
                patch.object(Cron, "_commit_progress", autospec=True, return_value=60.0):
            # The `code` of every ir.cron of the module (data/*cron*.xml), run once.
            cls.env["jxc.supplier.period"]._cron_compute_supplier_evaluations(use_new_cursor=True)
            cls.env["jxc.inventory.snapshot"]._cron_take_snapshots(use_new_cursor=True)
            cls.env["jxc.abc.profile"]._cron_compute_profiles(commit_progress=True)
            cls.env["stock.warehouse.orderpoint"]._jxc_cron_update_orderpoints(use_new_cursor=True)
            cls.env["jxc.purchase.plan"]._cron_refresh(use_new_cursor=True)
            cls.env["jxc.count.cycle.rule"]._cron_create_due_plans(use_new_cursor=True)

    def test_purchase_converted_at_the_order_rate(self):
        self.assertEqual(self.order_b.currency_id, self.currency_a)
        self.assertAlmostEqual(self.order_b.currency_rate, 8.0)
        self.assertAlmostEqual(self.widget.with_company(self.company_b).standard_price, 2.0)
        self.assertAlmostEqual(self.widget.with_company(self.company).standard_price, 10.0)

    def test_supplier_evaluation_per_company_currency(self):
        evaluations = self.env["jxc.supplier.evaluation"].search([
            ("partner_id", "=", self.vendor_a.id), ("date_from", "=", "2025-03-01"),
            ("company_id", "in", (self.company | self.company_b).ids),
        ])
        by_company = {e.company_id: e for e in evaluations}
        self.assertEqual(len(evaluations), 2)
        self.assertEqual(by_company[self.company].purchase_amount, 100.0)
        self.assertEqual(by_company[self.company_b].purchase_amount, 20.0)
        self.assertEqual(by_company[self.company_b].currency_id, self.currency_b)
        for evaluation in evaluations:
            self.assertEqual(evaluation.period_id.company_id, evaluation.company_id)

    def test_snapshot_value_per_company_currency(self):
        snapshots = self.env["jxc.inventory.snapshot"].search([
            ("product_id", "=", self.widget.id), ("date", "=", "2025-03-31"),
            ("company_id", "in", (self.company | self.company_b).ids),
        ])
        got = {(s.company_id, s.warehouse_id): (s.quantity, s.value, s.currency_id) for s in snapshots}
        self.assertEqual(got, {
            (self.company, self.warehouse): (6.0, 60.0, self.currency_a),
            (self.company_b, self.warehouse_b): (6.0, 12.0, self.currency_b),
        })

    def test_abc_value_per_company_currency(self):
        results = self.env["jxc.abc.result"].search([
            ("profile_id", "in", (self.profile_a | self.profile_b).ids), ("product_id", "=", self.widget.id),
        ])
        self.assertEqual({(r.company_id, r.value) for r in results}, {(self.company, 40.0), (self.company_b, 8.0)})
        for profile in self.profile_a | self.profile_b:
            self.assertTrue(profile.last_computed_on)
            self.assertEqual(profile.result_ids.company_id, profile.company_id)

    def test_dashboard_monetary_tiles_in_company_currency(self):
        with freeze_time("2025-04-02 03:00:00"):
            data_b = self.env["jxc.dashboard"].with_user(self.manager_b).get_dashboard_data("month")
            data_a = self.env["jxc.dashboard"].with_user(self.jxc_manager).get_dashboard_data("month")
        for data, company, value in ((data_a, self.company, 60.0), (data_b, self.company_b, 12.0)):
            self.assertEqual(data["company"], company.name)
            tiles = {tile["key"]: tile for tile in data["tiles"]}
            self.assertEqual(tiles["inventory_value"]["value"], value)
            monetary = [tile for tile in data["tiles"] if tile["type"] == "monetary"]
            self.assertTrue(monetary)
            self.assertNotEqual(self.currency_a.symbol, self.currency_b.symbol)
            for tile in monetary:
                self.assertIn(company.currency_id.symbol, tile["display"])

    def test_excel_export_in_one_currency(self):
        """Snapshots of both companies mix currencies: the export is refused, nothing written.
        B's rows alone name company B and carry B's currency symbol, from company A's screen."""
        Snapshot = self.env["jxc.inventory.snapshot"].with_context(
            lang="en_US", allowed_company_ids=[self.company.id, self.company_b.id])
        both = [("product_id", "=", self.widget.id), ("date", "=", "2025-03-31")]
        with self.assertRaisesRegex(UserError, "several currencies"):
            Snapshot.with_context(active_domain=both).action_export_xlsx()
        only_b = [*both, ("company_id", "=", self.company_b.id)]
        attachment = xlsx_file(Snapshot.with_context(active_domain=only_b).action_export_xlsx())
        ws = openpyxl.load_workbook(io.BytesIO(base64.b64decode(attachment.datas))).active
        self.assertTrue(ws["A2"].value.startswith(self.company_b.name))
        value_cell = next(cell for cell in ws[5] if cell.value == 12.0)
        self.assertIn(self.currency_b.symbol, value_cell.number_format)
        self.assertNotIn(self.currency_a.symbol, value_cell.number_format)

    def test_excel_export_of_two_companies_in_one_currency(self):
        """A sister company in A's currency: an export of both companies' rows names both in its
        header and each row's company in a first column; one company's rows have no such column."""
        company_c = self.env["res.company"].create({"name": "JXC Sister Co", "currency_id": self.currency_a.id})
        self.env.user.company_ids |= company_c
        Snapshot = self.env["jxc.inventory.snapshot"].with_context(
            lang="en_US", allowed_company_ids=[self.company.id, company_c.id])
        row_a = Snapshot.search([("product_id", "=", self.widget.id), ("date", "=", "2025-03-31"),
                                 ("company_id", "=", self.company.id)])
        self.assertEqual(len(row_a), 1)
        row_a.sudo().copy({"company_id": company_c.id, "warehouse_id": False})
        domain = [("product_id", "=", self.widget.id), ("date", "=", "2025-03-31"),
                  ("company_id", "in", [self.company.id, company_c.id])]

        def sheet(domain):
            attachment = xlsx_file(Snapshot.with_context(active_domain=domain).action_export_xlsx())
            return openpyxl.load_workbook(io.BytesIO(base64.b64decode(attachment.datas))).active

        ws = sheet(domain)
        names = ", ".join(sorted([self.company.name, "JXC Sister Co"]))
        self.assertTrue(ws["A2"].value.startswith(names + " |"), ws["A2"].value)
        self.assertEqual(ws["A4"].value, "Company")
        self.assertEqual(sorted(ws.cell(row, 1).value for row in (5, 6)), sorted([self.company.name, "JXC Sister Co"]))
        ws = sheet([*domain, ("company_id", "=", self.company.id)])
        self.assertTrue(ws["A2"].value.startswith(self.company.name + " |"))
        self.assertNotEqual(ws["A4"].value, "Company")

    def test_no_record_references_the_other_company(self):
        for model in ("jxc.supplier.evaluation", "jxc.inventory.snapshot", "jxc.abc.result",
                      "jxc.purchase.plan", "jxc.count.plan", "stock.warehouse.orderpoint"):
            for company, other in ((self.company, self.company_b), (self.company_b, self.company)):
                records = self.env[model].search([("company_id", "=", company.id)])
                self.assertTrue(records, f"{model} of {company.name}: the scheduled actions made none")
                for name, field in records._fields.items():
                    if field.type == "many2one" and field.comodel_name in ("res.company", "stock.warehouse",
                                                                          "jxc.supplier.period", "jxc.abc.profile"):
                        targets = records.mapped(name)
                        company_of = targets if field.comodel_name == "res.company" else targets.mapped("company_id")
                        self.assertNotIn(other, company_of, f"{model}.{name} of {company.name}")

    def test_count_accuracy_of_both_companies_in_one_currency(self):
        """A's count loses 1 of its 6 Widgets (10.00 of a book value of 60.00); B's finds its 6
        (book 12.00 CB). Seen from A, where 1 CB = 8.00: the two plans' value accuracy is
        1 - 10 / (60 + 96), not 1 - 10 / (60 + 12) as the amounts read unconverted."""
        self.env["res.currency.rate"].create([
            {"name": "2025-01-01", "currency_id": self.currency_a.id, "rate": 1.0, "company_id": self.company.id},
            {"name": "2025-01-01", "currency_id": self.currency_b.id, "rate": 0.125, "company_id": self.company.id},
        ])
        plans = self.env["jxc.count.plan"]
        with freeze_time("2025-04-03 03:00:00"):
            for env, warehouse, counted in ((self.env, self.warehouse, 5.0), (self.env_b, self.warehouse_b, 6.0)):
                plan = env["jxc.count.plan"].create({"warehouse_id": warehouse.id})
                plan.action_start()
                for line in plan.line_ids:
                    line.counted_qty = counted if line.product_id == self.widget else line.book_qty
                plan.action_submit()
                plan.line_ids.filtered("is_discrepancy").reason_id = self.env.ref("jxc_addon.jxc_count_reason_loss")
                plan.action_approve()
                plan.action_post()
                plans |= plan
        Report = self.env["jxc.count.accuracy.report"].with_context(
            allowed_company_ids=[self.company.id, self.company_b.id])
        by_company = {row.company_id: row for row in Report.search([("plan_id", "in", plans.ids)])}
        self.assertEqual(
            {company: (row.book_value, row.abs_difference_value) for company, row in by_company.items()},
            {self.company: (60.0, 10.0), self.company_b: (12.0, 0.0)},
        )
        [group] = Report.formatted_read_group([("plan_id", "in", plans.ids)], [], ["accuracy_value:avg"])
        self.assertAlmostEqual(group["accuracy_value:avg"], 1 - 10 / 156)

    def test_forecast_accuracy_of_both_companies_in_one_currency(self):
        """The Widget's forecast missed 10 of a demand of 100 in A (cost 10.00) and 50 of 100 in
        B (cost 2.00 CB). Seen from A, where 1 CB = 8.00, B's cost is 16.00: the two rules'
        WAPE is (10 x 10 + 50 x 16) / (100 x 10 + 100 x 16) = 34.62 %, not the 16.67 % of
        B's cost read as 2.00 of A's currency."""
        self.env["res.currency.rate"].create([
            {"name": "2025-01-01", "currency_id": self.currency_a.id, "rate": 1.0, "company_id": self.company.id},
            {"name": "2025-01-01", "currency_id": self.currency_b.id, "rate": 0.125, "company_id": self.company.id},
        ])
        rules = self.env["stock.warehouse.orderpoint"].search([("product_id", "=", self.widget.id)])
        self.assertEqual(rules.company_id, self.company | self.company_b)
        for rule in rules:
            abs_error = 10.0 if rule.company_id == self.company else 50.0
            # the figures the engine stores after its backtest of the rule's forecast
            rule.write({"jxc_forecast_method": "ses", "jxc_forecast_actual": 100.0,
                        "jxc_forecast_abs_error": abs_error, "jxc_forecast_error": -abs_error})
        Report = self.env["jxc.forecast.accuracy.report"].with_context(
            allowed_company_ids=[self.company.id, self.company_b.id])
        domain = [("orderpoint_id", "in", rules.ids)]
        self.assertEqual(
            {(row.company_id, row.unit_cost, row.abs_error_value) for row in Report.search(domain)},
            {(self.company, 10.0, 100.0), (self.company_b, 2.0, 100.0)},
        )
        [group] = Report.formatted_read_group(domain, [], ["wape:avg", "bias:avg"])
        self.assertAlmostEqual(group["wape:avg"], 900 / 2600 * 100)
        self.assertAlmostEqual(group["bias:avg"], -900 / 2600 * 100)

    def test_count_posted_in_the_plans_company(self):
        """B's count finds 5 of its 6 Widgets; a manager working in A with B enabled posts it.
        Odoo values the loss with B's own cost (2.00 CB, its average), not A's 10.00: the
        posting runs in the plan's company, as its estimate does."""
        with freeze_time("2025-04-03 03:00:00"):
            plan = self.env_b["jxc.count.plan"].create({"warehouse_id": self.warehouse_b.id})
            plan.action_start()
            for line in plan.line_ids:
                line.counted_qty = 5.0 if line.product_id == self.widget else line.book_qty
            plan.action_submit()
            plan.line_ids.filtered("is_discrepancy").reason_id = self.env.ref("jxc_addon.jxc_count_reason_loss")
            plan.action_approve()
            self.assertEqual(plan.loss_value, 2.0)
            plan.with_context(allowed_company_ids=[self.company.id, self.company_b.id]).action_post()
        move = self.env["stock.move"].search([("jxc_count_plan_id", "=", plan.id)])
        self.assertEqual((move.company_id, move.product_qty, move.value), (self.company_b, 1.0, 2.0))
