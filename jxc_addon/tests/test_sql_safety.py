"""SQL safety: every raw query of the module goes through odoo.tools.SQL with parameters, so
quotes and SQL fragments typed by users are data, never SQL. Hostile text is fed through
every user-editable text that reaches a query (names, codes, categories, locations, search
filters, import cells, the aging buckets setting) and the figures stay exact."""

import base64
import io
import re
from datetime import date
from pathlib import Path

import openpyxl
from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import JxcCommon, xlsx_file

DROP = "x'); DROP TABLE res_partner; --"
HOSTILE = [DROP, "%s", "%(x)s", "O'Brien \" ; SELECT 1 --", "100%_\\"]
MODULE = Path(__file__).resolve().parents[1]


@tagged("post_install", "-at_install")
class TestSqlSafety(JxcCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.category.name = "%(x)s " + DROP
        cls.vendor_a.name = DROP
        cls.customer_a.name = "%s %(x)s"
        cls.product_1.write({"name": DROP, "default_code": "%s", "barcode": "%(x)s'--"})
        cls.product_2.write({"name": "O'Brien \" ; SELECT 1 --", "default_code": DROP})
        cls.shelf = cls.env["stock.location"].create({"name": DROP, "location_id": cls.stock_location.id})
        cls._buy(cls.vendor_a, [(cls.product_1, 30.0, 10.0), (cls.product_2, 10.0, 4.0)],
                 "2025-03-03 02:00:00", "2025-03-06 02:00:00", date_planned="2025-03-06 04:00:00")
        cls._sell(cls.customer_a, [(cls.product_1, 12.0, 25.0)], "2025-03-12 02:00:00")

    def test_every_raw_query_is_parameterised(self):
        """No cr.execute with a formatted string, no SQL() built from an f-string or % / format."""
        offenders = []
        for path in MODULE.rglob("*.py"):
            if "tests" in path.parts:
                continue
            text = path.read_text(encoding="utf-8")
            for pattern in (r"cr\.execute\(", r"SQL\(\s*f[\"']", r"SQL\(\s*[\"'][^\"']*[\"']\s*%",
                            r"SQL\([^)]*\.format\(", r"execute_query\(\s*f?[\"']"):
                offenders += ["%s: %s" % (path.name, m.group(0)) for m in re.finditer(pattern, text)]
        self.assertEqual(offenders, [])

    def test_hostile_names_flow_through_every_feature(self):
        env = self.env
        with freeze_time("2025-04-10 04:00:00"):
            period = env["jxc.supplier.period"]._get_or_create_period(self.company, date(2025, 3, 15))
            period.action_compute()
            evaluation = period.evaluation_ids
            self.assertEqual(evaluation.partner_id.name, DROP)
            self.assertEqual(evaluation.received_qty, 40.0)
            profile = env["jxc.abc.profile"].create({
                "name": DROP, "measure": "quantity", "scope": "categories", "category_ids": [(6, 0, self.category.ids)],
            })
            profile.action_compute()
            results = {r.product_id: r for r in env["jxc.abc.result"].search([("profile_id", "=", profile.id)])}
            self.assertEqual(results[self.product_1].demand_qty, 12.0)
            # The only product with demand holds 100 %: the first-ranked product is A.
            self.assertEqual(results[self.product_1].abc_class, "a")
            self.assertEqual(results[self.product_2].abc_class, "n")
            env["jxc.inventory.snapshot"]._backfill(self.company)
            snapshot = env["jxc.inventory.snapshot"].search([
                ("product_id", "=", self.product_1.id), ("date", "=", date(2025, 3, 31)),
            ])
            self.assertEqual(snapshot.quantity, 18.0)
            env["jxc.safety.stock.rule"].create({
                "name": DROP, "categ_id": self.category.id, "method": "fixed", "fixed_qty": 7.0,
                "history_days": 30, "review_days": 7,
            })
            env["stock.warehouse.orderpoint"]._jxc_update_orderpoints(self.company)
            orderpoint = env["stock.warehouse.orderpoint"].search([("product_id", "=", self.product_1.id)])
            self.assertEqual(orderpoint.jxc_safety_stock, 7.0)
        # Search filters typed in the lists: the text is a value, and matches literally.
        for model in ("jxc.sales.report", "jxc.purchase.cost.report", "jxc.stock.aging.report",
                      "jxc.turnover.report", "jxc.inventory.snapshot"):
            Model = env[model]
            for text in HOSTILE:
                Model.search([("product_id.name", "ilike", text)])
                Model.name_search(text)
            self.assertEqual(Model.search_count([("product_id.name", "=", DROP)]),
                             Model.search_count([("product_id", "=", self.product_1.id)]), model)
        sales = env["jxc.sales.report"].search([("partner_id.name", "=", "%s %(x)s")])
        self.assertEqual(sum(sales.mapped("quantity")), 12.0)
        action = env["jxc.sales.report"].with_context(
            active_domain=[("product_id.name", "ilike", DROP), ("categ_id.name", "ilike", "%(x)s")],
        ).action_export_xlsx()
        self.assertTrue(xlsx_file(action).datas)
        self.assertTrue(env["res.partner"].search_count([]))  # the table is still there

    def test_hostile_count_plan_and_import_cells(self):
        self._set_on_hand(self.product_1, 5.0, self.shelf)
        plan = self.env["jxc.count.plan"].create({
            "warehouse_id": self.warehouse.id, "location_ids": [(6, 0, self.shelf.ids)], "note": DROP,
        })
        plan.action_start()
        self.assertEqual(plan.line_ids.product_id, self.product_1)
        action = plan.action_export_xlsx()
        attachment = xlsx_file(action)
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(attachment.datas)))
        ws = book.active
        header = next(i for i, row in enumerate(ws.iter_rows(values_only=True), start=1) if row[1] == "Product Code")
        self.assertEqual(ws.cell(header + 1, 2).value, "%s")  # the hostile code went out as data
        ws.cell(header + 1, ws.max_column).value = 4
        ws.append([self.shelf.complete_name, DROP, "", "%(x)s", "", None, 1])
        ws.append([DROP, "%(x)s'--", "", None, "", None, "1); DELETE FROM stock_quant; --"])
        output = io.BytesIO()
        book.save(output)
        wizard = self.env["jxc.count.import.wizard"].create({"plan_id": plan.id, "file": base64.b64encode(output.getvalue())})
        with self.assertRaises(UserError) as caught:
            wizard.action_import()
        message = str(caught.exception)
        self.assertIn("unknown lot/serial '%(x)s'", message)
        self.assertIn("unknown location %r" % DROP, message)
        self.assertIn("is not a number", message)
        self.assertFalse(plan.line_ids.filtered("is_counted"))
        self.assertEqual(self.product_1.with_context(location=self.shelf.id).qty_available, 5.0)

    def test_hostile_aging_buckets_refused(self):
        for text in (DROP, "30) OR 1=1 --", "%s,%(x)s", "30,60; DROP TABLE res_partner"):
            with self.subTest(text=text), self.assertRaises(ValidationError):
                self.company.jxc_aging_buckets = text
                self.company.flush_recordset()
        self.assertEqual(self.company.jxc_aging_buckets, "30,60,90,180,365")
        # the report still reads the stock, in the buckets kept: 30 bought, 12 sold
        rows = self.env["jxc.stock.aging.report"].search([("product_id", "=", self.product_1.id)])
        self.assertEqual(sum(rows.mapped("quantity")), 18.0)
