import base64
import io
from datetime import date

import openpyxl
from lxml import etree

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common import xlsx_file
from .common_supplier_graded import JxcSupplierGradedCommon


@tagged("post_install", "-at_install")
class TestSupplierAccessAndReports(JxcSupplierGradedCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        (cls.february | cls.march).action_compute()

    def test_buyer_reads_but_does_not_configure(self):
        Evaluation = self.env["jxc.supplier.evaluation"].with_user(self.jxc_user)
        self.assertEqual(Evaluation.search_count([("period_id", "=", self.march.id)]), 3)
        self.assertTrue(Evaluation.search([("partner_id", "=", self.vendor_a.id)]).line_ids.mapped("score"))
        criterion = self.env["jxc.supplier.criterion"].with_user(self.jxc_user).search([], limit=1)
        self.assertTrue(criterion.weight)
        with self.assertRaises(AccessError):
            criterion.weight = 50.0
        period = self.march.with_user(self.jxc_user)
        with self.assertRaises(AccessError):
            period.action_close()
        with self.assertRaises(AccessError):
            period.action_compute()
        self.assertEqual(self.march.state, "open")
        # Buyers log quality incidents and manual scores.
        incident = self.env["jxc.supplier.incident"].with_user(self.jxc_user).create({
            "partner_id": self.vendor_a.id, "quantity": 2.0, "severity": "critical",
        })
        self.assertEqual(incident.company_id, self.company)
        # Who scored is who is signed in: the client cannot name someone else, at creation or later.
        service = self.env["jxc.supplier.criterion"].create({"name": "Service", "criterion_type": "manual", "weight": 0.0})
        score = self.env["jxc.supplier.manual.score"].with_user(self.jxc_user).create({
            "period_id": self.march.id, "partner_id": self.vendor_a.id, "criterion_id": service.id, "score": 70.0,
            "user_id": self.jxc_manager.id,
        })
        self.assertEqual(score.user_id, self.jxc_user)
        # a manager corrects it: still the buyer's score (each buyer gives one, averaged)
        score.with_user(self.jxc_manager).score = 80.0
        self.assertEqual((score.user_id, score.score), (self.jxc_user, 80.0))
        score.with_user(self.jxc_user).write({"user_id": self.jxc_manager.id, "score": 75.0})
        self.assertEqual((score.user_id, score.score), (self.jxc_user, 75.0))
        # The vendor form shows the score to buyers.
        vendor = self.vendor_a.with_user(self.jxc_user)
        self.assertEqual(vendor.jxc_supplier_evaluation_count, 1)  # March only
        self.assertEqual(vendor.action_jxc_open_supplier_evaluations()["domain"], [("partner_id", "=", self.vendor_a.id)])

    def test_manager_configures_and_closes(self):
        criterion = self.env["jxc.supplier.criterion"].with_user(self.jxc_manager).search(
            [("criterion_type", "=", "price")], limit=1,
        )
        criterion.scale = 25.0
        period = self.march.with_user(self.jxc_manager)
        period.action_compute()
        period.action_close()
        self.assertEqual(self.march.state, "closed")
        # Its evaluations speak of March: the period cannot be moved, nor its status written by hand.
        for vals in ({"date_from": date(2025, 4, 1)}, {"date_to": date(2025, 3, 10)}, {"name": "2025-02"},
                     {"state": "open"}, {"computed_at": False}):
            with self.subTest(vals=vals), self.assertRaisesRegex(UserError, "cannot be written"):
                period.write(vals)
        self.assertEqual((self.march.date_from, self.march.date_to, self.march.name, self.march.state),
                         (date(2025, 3, 1), date(2025, 3, 31), "2025-03", "closed"))
        # nor does a new one end early: its end and name follow its type and first day
        Period = self.env["jxc.supplier.period"].with_user(self.jxc_manager)
        for vals in ({"date_to": "2025-04-10"}, {"name": "2025-04"}):
            with self.subTest(vals=vals), self.assertRaisesRegex(UserError, "ends and is named by its type"):
                Period.create({"date_from": "2025-04-01", **vals})
        with self.assertRaisesRegex(UserError, "ends and is named by its type"):
            Period.with_context(default_date_to="2025-04-10").create({"date_from": "2025-04-01"})
        with Form(Period) as form:
            form.date_from = date(2025, 4, 1)
        self.assertEqual((form.record.date_to, form.record.name), (date(2025, 4, 30), "2025-04"))
        period.action_reopen()
        self.assertEqual(self.march.state, "open")

    def test_search_by_vendor_period_and_status(self):
        """Periods, incidents and manual scores are searched by what a buyer types (not by id),
        with their obvious filters."""
        expected = {
            "jxc.supplier.period": ({"name"}, {"open", "closed", "date_from"}),
            "jxc.supplier.incident": ({"partner_id", "product_id", "user_id"}, {"mine", "date"}),
            "jxc.supplier.manual.score": ({"partner_id", "period_id", "criterion_id", "user_id"}, {"mine", "open_periods"}),
        }
        for model, (fields_, filters) in expected.items():
            with self.subTest(model=model):
                arch = etree.fromstring(self.env[model].with_user(self.jxc_manager).get_views(
                    [(False, "search")])["views"]["search"]["arch"])
                self.assertLessEqual(fields_, {node.get("name") for node in arch.iter("field")})
                self.assertLessEqual(filters, {node.get("name") for node in arch.iter("filter")})

    def test_plain_user_and_other_company_see_nothing(self):
        with self.assertRaises(AccessError):
            self.env["jxc.supplier.evaluation"].with_user(self.plain_user).search([])
        other = self.env["res.company"].create({"name": "JXC Elsewhere"})
        stranger = new_test_user(
            self.env, login="jxc_stranger", name="Other Company Manager", company_id=other.id, company_ids=[other.id],
            groups="jxc_addon.group_jxc_manager,purchase.group_purchase_manager",
        )
        for model in ("jxc.supplier.evaluation", "jxc.supplier.evaluation.line", "jxc.supplier.period",
                      "jxc.supplier.criterion", "jxc.supplier.incident"):
            self.assertFalse(self.env[model].with_user(stranger).search([]), model)
        with self.assertRaises(AccessError):
            self.march.evaluation_ids[:1].with_user(stranger).read(["score"])

    def test_standing_evaluation_of_another_company_is_refused(self):
        """A manager of another company writes that company's evaluation of vendor A onto A in
        the main one (over the API: the field is read-only on the form): refused, else the
        main company's buyers would read the other company's grade and reasons as A's."""
        other = self.env["res.company"].create({"name": "JXC Other Standing"})
        period = self.env["jxc.supplier.period"].create({
            "company_id": other.id, "date_from": "2025-03-01", "date_to": "2025-03-31"})
        theirs = self.env["jxc.supplier.evaluation"].create({
            "period_id": period.id, "partner_id": self.vendor_a.id, "company_id": other.id, "score": 10.0, "grade": "d"})
        ours = self._evaluation(self.march, self.vendor_a)
        vendor = self.vendor_a.with_company(self.company)
        with self.assertRaisesRegex(UserError, "is of JXC Other Standing: a vendor's standing in"):
            vendor.with_user(self.jxc_manager).write({"jxc_supplier_evaluation_id": theirs.id})
        self.assertEqual(vendor.sudo().jxc_supplier_evaluation_id, ours)
        vendor.with_user(self.jxc_manager).write({"jxc_supplier_evaluation_id": ours.id})

    def test_scorecard_html(self):
        evaluation = self._evaluation(self.march, self.vendor_a)
        html, _fmt = self.env["ir.actions.report"]._render_qweb_html(
            "jxc_addon.jxc_supplier_evaluation_report_scorecard", evaluation.ids,
        )
        html = html.decode()
        self.assertIn("Supplier Scorecard", html)
        self.assertIn("JXC Vendor A", html)
        self.assertRegex(html, '<td class="jxc_score"><span[^>]*>65.4</span></td>')
        self.assertIn('<td class="jxc_grade"><span>C</span></td>', html)
        self.assertIn("80.00", html)  # on-time raw value
        # in a reader's language that writes decimals with a comma, as Odoo's own figures
        self.env["res.lang"]._activate_lang("de_DE")
        html_de = self.env["ir.actions.report"].with_context(lang="de_DE")._render_qweb_html(
            "jxc_addon.jxc_supplier_evaluation_report_scorecard", evaluation.ids,
        )[0].decode()
        self.assertRegex(html_de, '<td class="jxc_score"><span[^>]*>65,4</span></td>')
        self.assertIn("80,00", html_de)
        html_c = self.env["ir.actions.report"]._render_qweb_html(
            "jxc_addon.jxc_supplier_evaluation_report_scorecard", self._evaluation(self.march, self.vendor_c).ids,
        )[0].decode()
        self.assertEqual(html_c.count("No data in the period"), 3)  # C's fill rate and price have data
        self.assertIn("grade D", html_c)
        self.assertIn(evaluation.action_print_scorecard()["type"], ("ir.actions.report", "ir.actions.act_window"))
        report = self.env.ref("jxc_addon.jxc_supplier_evaluation_report_scorecard")
        self.assertEqual(report.report_action(evaluation, config=False)["report_name"], "jxc_addon.report_jxc_supplier_scorecard")

    def test_ranking_excel(self):
        action = self.march.with_user(self.jxc_user).action_export_ranking()  # buyers may export
        attachment = xlsx_file(action)
        sheet = openpyxl.load_workbook(io.BytesIO(base64.b64decode(attachment.datas)))["2025-03"]
        self.assertEqual(sheet["A1"].value, "Supplier Ranking")
        self.assertEqual(
            [c.value for c in sheet[4]],
            ["Rank", "Vendor", "Score", "Grade", "Change", "On-Time Delivery", "Fill Rate", "Quality",
             "Price Competitiveness", "Lead Time", "Purchase Volume", "At Risk"],
        )
        row_b = [c.value for c in sheet[5]]
        self.assertEqual(row_b[:5], [1, "JXC Vendor B", 89.09, "A", -10.91])
        self.assertEqual(row_b[5:8], [100, 100, 100])
        self.assertAlmostEqual(row_b[8], 50 - (1200 / 11 - 100) * 2.5, places=6)
        self.assertEqual(row_b[9:11], [100, 320])
        self.assertEqual([c.value for c in sheet[6]][:4], [2, "JXC Vendor A", 65.36, "C"])
        row_c = [c.value for c in sheet[7]]
        self.assertEqual(row_c[:5], [3, "JXC Vendor C", 4.95, "D", None])
        self.assertEqual(row_c[5:8] + row_c[9:10], [None, 0, None, None])
        self.assertIn("grade D", row_c[11])
        self.assertEqual(sheet["K8"].value, "=SUM(K5:K7)")
        # vendors of equal scores (as the sheet shows them) share their rank, the next one counts them
        self._evaluation(self.march, self.vendor_a).sudo().score = 89.091
        self._evaluation(self.march, self.vendor_c).sudo().score = 88.5
        sheet = openpyxl.load_workbook(io.BytesIO(base64.b64decode(
            xlsx_file(self.march.action_export_ranking()).datas)))["2025-03"]
        self.assertEqual([[c.value for c in sheet[row]][:3] for row in (5, 6, 7)],
                         [[1, "JXC Vendor A", 89.091], [1, "JXC Vendor B", 89.09], [3, "JXC Vendor C", 88.5]])

    def test_keeper_does_not_see_purchase_volume(self):
        """A warehouse keeper (inventory control user, no purchase rights) reads the scorecards
        but not what the company spends with each vendor: not in the records, the ranking export,
        the scorecard or any view, and every view still opens for the keeper."""
        keeper = new_test_user(self.env, login="jxc_volume_keeper", groups="jxc_addon.group_jxc_user")
        evaluation = self._evaluation(self.march, self.vendor_a).with_user(keeper)
        self.assertEqual(evaluation.read(["grade"])[0]["grade"], "c")
        with self.assertRaises(AccessError):
            evaluation.read(["purchase_amount"])
        sheet = openpyxl.load_workbook(io.BytesIO(base64.b64decode(
            xlsx_file(self.march.with_user(keeper).action_export_ranking()).datas)))["2025-03"]
        self.assertEqual(
            [c.value for c in sheet[4]],
            ["Rank", "Vendor", "Score", "Grade", "Change", "On-Time Delivery", "Fill Rate", "Quality",
             "Price Competitiveness", "Lead Time", "At Risk"],
        )
        self.assertEqual([c.value for c in sheet[6]][1:4:2], ["JXC Vendor A", "C"])
        html = self.env["ir.actions.report"].with_user(keeper)._render_qweb_html(
            "jxc_addon.report_jxc_supplier_scorecard", evaluation.ids,
        )[0].decode()
        self.assertIn('<td class="jxc_grade"><span>C</span></td>', html)
        self.assertNotIn("Purchase Volume", html)
        self.assertIn("Purchase Volume", self.env["ir.actions.report"].with_user(self.jxc_user)._render_qweb_html(
            "jxc_addon.report_jxc_supplier_scorecard", evaluation.ids,
        )[0].decode())
        for model, view_types in (("jxc.supplier.evaluation", ["list", "form", "pivot", "graph", "search"]),
                                  ("jxc.supplier.period", ["list", "form"]), ("res.partner", ["form"])):
            views = self.env[model].with_user(keeper).get_views([(False, view_type) for view_type in view_types])
            for view_type in view_types:
                with self.subTest(model=model, view_type=view_type):
                    self.assertNotIn("purchase_amount", views["views"][view_type]["arch"])
        self.assertNotIn("purchase_amount", self.env["jxc.supplier.evaluation"].with_user(keeper).fields_get())
        with Form(self.march.with_user(keeper)) as form:
            self.assertEqual(form.name, "2025-03")
        with Form(self.vendor_a.with_user(keeper)) as form:
            self.assertEqual(form.name, "JXC Vendor A")
        # buyers still see it
        self.assertIn("purchase_amount", self.env["jxc.supplier.evaluation"].with_user(self.jxc_user).get_views(
            [(False, "list")])["views"]["list"]["arch"])

    def test_dashboard_kpis_match_the_list(self):
        Evaluation = self.env["jxc.supplier.evaluation"]
        kpis = {k["key"]: k for k in Evaluation._get_jxc_dashboard_kpis(self.company, date(2025, 3, 1), date(2025, 4, 1))}
        on_time = kpis["supplier_on_time_rate"]
        self.assertEqual(on_time["type"], "percent")
        # The mean of the order lines received: A's widgets 6 of 10 and gadgets 15 of 15, B's
        # widgets 10 of 10, C nothing received; February is outside the window. The evaluations'
        # on-time rates, each weighed by its vendor's lines received, give the same figure.
        self.assertAlmostEqual(on_time["value"], (0.6 + 1 + 1) / 3)
        listed = Evaluation.search(on_time["action"]["domain"])
        self.assertEqual(listed, self.march.evaluation_ids)
        received = self.march._get_receipt_data(*self.march._get_utc_bounds())
        self.assertEqual({pid: data["received_lines"] for pid, data in received.items()},
                         {self.vendor_a.id: 2, self.vendor_b.id: 1})
        self.assertAlmostEqual(
            sum(e.on_time_rate / 100 * received.get(e.partner_id.id, {}).get("received_lines", 0) for e in listed) / 3,
            on_time["value"])
        self.assertEqual(kpis["supplier_evaluations"]["value"], 3)
        self.assertEqual(Evaluation.search_count(kpis["supplier_at_risk"]["action"]["domain"]), 1)
        self.assertEqual(kpis["supplier_at_risk"]["value"], 1)
        empty = Evaluation._get_jxc_dashboard_kpis(self.company, date(2024, 1, 1), date(2024, 2, 1))
        self.assertIsNone(empty[0]["value"])  # nothing received: no rate ("–"), not 0 %

    def test_odoo_purchase_user_sees_the_vendors_standing(self):
        """A buyer with Odoo's Purchase / User right alone (no inventory control group) reads a
        vendor's grade and risk: the order shows the risk banner and the grade, the vendor list
        the score, grade and the at-risk filter. Not the evaluations themselves."""
        buyer = new_test_user(self.env, login="jxc_odoo_buyer", groups="purchase.group_purchase_user")
        po_form = self.env["purchase.order"].with_user(buyer).get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn("Vendor at risk", po_form)
        self.assertIn('name="jxc_supplier_grade"', po_form)
        partner_views = self.env["res.partner"].with_user(buyer).get_views([(False, "list"), (False, "search"), (False, "form")])
        self.assertIn('name="jxc_supplier_grade"', partner_views["views"]["list"]["arch"])
        self.assertIn("jxc_supplier_at_risk", partner_views["views"]["search"]["arch"])
        self.assertNotIn("jxc_supplier_evaluation_ids", partner_views["views"]["form"]["arch"])
        keeper = new_test_user(self.env, login="jxc_keeper_views", groups="stock.group_stock_user")
        self.assertNotIn("Vendor at risk", self.env["purchase.order"].with_user(keeper).get_views(
            [(False, "form")])["views"]["form"]["arch"])

    def test_views_and_settings(self):
        for model in ("jxc.supplier.evaluation", "jxc.supplier.period", "jxc.supplier.criterion",
                      "jxc.supplier.incident", "jxc.supplier.manual.score"):
            views = self.env[model].with_user(self.jxc_user).get_views([(False, "list"), (False, "form"), (False, "search")])
            self.assertIn("list", views["views"])
        pivot = self.env["jxc.supplier.evaluation"].get_views([(False, "pivot"), (False, "graph")])
        self.assertIn("score", pivot["views"]["pivot"]["arch"])
        partner_form = self.env["res.partner"].with_user(self.jxc_user).get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn("action_jxc_open_supplier_evaluations", partner_form)
        self.assertIn("jxc_supplier_evaluation_ids", partner_form)
        po_form = self.env["purchase.order"].with_user(self.jxc_user).get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn("jxc_supplier_grade", po_form)
        with Form(self.env["jxc.supplier.period"].browse(self.march.id)) as form:
            self.assertEqual(form.name, "2025-03")
        settings = Form(self.env["res.config.settings"])
        settings.jxc_supplier_risk_action = "block"
        settings.jxc_supplier_grade_a = 90.0
        settings.save().execute()
        self.assertEqual(self.company.jxc_supplier_risk_action, "block")
        self.assertEqual(self.company.jxc_supplier_grade_a, 90.0)
        self.assertEqual(self.company._get_jxc_supplier_grade(89.9), "b")
        from odoo.exceptions import ValidationError
        with self.assertRaisesRegex(ValidationError, "C <= B <= A"):
            self.company.jxc_supplier_grade_c = 95.0
