import io
from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools.pdf import PdfFileReader

from .count_common import JxcCountCommon


@tagged("post_install", "-at_install")
class TestCountReport(JxcCountCommon):
    """Count sheet, loss/gain summaries, accuracy analysis and the dashboard figures."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product_2.name = "螺丝钉"
        # Posted on 2025-05-10 (Shanghai): Widget 98 (-2, loss 20), Gadget 52 (+2, 4 %: gain 8),
        # Gizmo 9 (-1, 10 % > 5 %: damage, loss 50).
        with freeze_time("2025-05-10 03:00:00"):
            cls.plan = cls.env["jxc.count.plan"].create({"warehouse_id": cls.warehouse.id})
            cls.plan.action_start()
            for product, qty in ((cls.product_1, 98), (cls.product_2, 52), (cls.product_3, 9)):
                cls.plan.line_ids.filtered(lambda line, product=product: line.product_id == product).counted_qty = qty
            cls.plan.action_submit()
            cls.plan.line_ids.filtered("is_discrepancy").reason_id = cls.reason_damage
            cls.plan.action_approve()
            cls.plan.action_post()

    def _html(self, report, records):
        html, _type = self.env["ir.actions.report"]._render_qweb_html(report, records.ids)
        return html.decode()

    def test_count_sheet_html(self):
        plan = self._create_plan(blind=True)
        self.env["stock.quant"].sudo()._update_available_quantity(self.product_1, self.shelf_2, 5)
        plan.action_start()
        html = self._html("jxc_addon.report_jxc_count_sheet", plan)
        self.assertIn(plan.name, html)
        self.assertIn("螺丝钉", html)  # Chinese product names are kept as text
        self.assertIn('alt="JXC-SHELF-1"', html)
        self.assertIn('alt="JXC-002"', html)
        self.assertEqual(html.count('src="data:image/svg+xml;base64,'), 1 + 2 + 4)  # plan, 2 shelves, 4 lines
        self.assertNotIn("Book Qty", html)  # blind plan: no book column
        # Sorted by location, then product code.
        positions = [html.index(s) for s in ("Shelf 1", "JXC-001", "JXC-002", "Shelf 2")]
        self.assertEqual(positions, sorted(positions))
        self.assertLess(html.index("Shelf 2"), html.rindex("JXC-003"))
        plan.blind = False
        self.assertIn("Book Qty", self._html("jxc_addon.report_jxc_count_sheet", plan))

    def test_count_sheet_in_the_counters_language(self):
        """Printed by an English-speaking manager for a Chinese counter: headings and values in
        Chinese alike, not Chinese product names under English headings."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["jxc_addon"], ["zh_CN"])
        counter = new_test_user(self.env, login="jxc_zh_sheet", groups="jxc_addon.group_jxc_user", lang="zh_CN")
        self.product_1.product_tmpl_id.with_context(lang="zh_CN").name = "JXC 小部件"
        plan = self._create_plan(user_id=counter.id)
        plan.action_start()
        html = self._html("jxc_addon.report_jxc_count_sheet", plan.with_context(lang="en_US"))
        self.assertEqual(("盘点表" in html, "Count Sheet" in html), (True, False))
        # the product's name too, not the printer's English one
        self.assertEqual(("JXC 小部件" in html, "JXC Widget" in html), (True, False))

    def test_loss_and_gain_reports_for_managers_only(self):
        """Hiding the Print menu is not enough: Odoo's report route renders any report for
        whoever reads the plan. A counter asking for it directly gets an access error."""
        Report = self.env["ir.actions.report"]
        for report in ("jxc_addon.report_jxc_count_loss", "jxc_addon.report_jxc_count_gain"):
            with self.assertRaises(AccessError):
                Report.with_user(self.counter)._render_qweb_html(report, self.plan.ids)
            html, _type = Report.with_user(self.jxc_manager)._render_qweb_html(report, self.plan.ids)
            self.assertIn(self.plan.name, html.decode())

    def test_loss_and_gain_summaries(self):
        loss = self._html("jxc_addon.report_jxc_count_loss", self.plan)
        self.assertIn("Loss Report", loss)
        self.assertIn("JXC Widget", loss)
        self.assertIn("JXC Gizmo", loss)
        self.assertNotIn("螺丝钉", loss)
        self.assertRegex(loss, r"Subtotal <span>Damage</span>(.|\n)*?-\ufeff50\.00")
        self.assertRegex(loss, r"Subtotal <span>Loss</span>(.|\n)*?-\ufeff20\.00")
        self.assertRegex(loss, r"o_jxc_total(.|\n)*?-\ufeff70\.00")
        # quantities in the unit's decimals (Product Unit), not as Python prints floats
        self.assertRegex(loss, r"JXC Gizmo(.|\n)*?>10\.00<(.|\n)*?>9\.00<(.|\n)*?>-\ufeff?1\.00<")
        self.assertNotIn(">10.0<", loss)
        gain = self._html("jxc_addon.report_jxc_count_gain", self.plan)
        self.assertIn("Gain Report", gain)
        self.assertIn("螺丝钉", gain)
        self.assertNotIn("JXC Gizmo", gain)
        self.assertRegex(gain, r"o_jxc_total(.|\n)*?>8\.00<")

    def test_loss_summary_before_posting_adds_up(self):
        """Printed for signature once approved, before posting: the Widget's loss within
        tolerance has no reason yet (it gets the default one when posted); its subtotal is
        shown, the subtotals add up to the total."""
        plan = self._create_plan()
        plan.action_start()
        # the book after the posting of setUpClass: 98, 52, 9
        self._count(plan, {self.product_1: 96, self.product_2: 52, self.product_3: 8})
        plan.action_submit()
        plan.line_ids.filtered("is_discrepancy").reason_id = self.reason_damage
        plan.action_approve()
        loss = self._html("jxc_addon.report_jxc_count_loss", plan)
        self.assertRegex(loss, r"Subtotal <span>Damage</span>(.|\n)*?-\ufeff50\.00")
        self.assertRegex(loss, r"o_jxc_unexplained(.|\n)*?-\ufeff20\.00")
        self.assertRegex(loss, r"o_jxc_total(.|\n)*?-\ufeff70\.00")
        self.assertNotIn("o_jxc_unexplained", self._html("jxc_addon.report_jxc_count_loss", self.plan))

    def test_plan_accuracy(self):
        self.assertEqual(self.plan.counted_count, 3)
        self.assertEqual(self.plan.discrepancy_count, 1)
        self.assertAlmostEqual(self.plan.accuracy, 2 / 3)
        # 1 - (20 + 8 + 50) / 1700
        self.assertAlmostEqual(self.plan.accuracy_value, 1 - 78 / 1700)
        self.assertEqual((self.plan.loss_value, self.plan.gain_value), (70.0, 8.0))

    def test_plan_figures_in_pivot_and_sorted_lists(self):
        """The plans' figures are read from their lines, not stored: the pivot, the graph and a
        grouped list add them up all the same, a list sorts by them, and a counter may not
        group by what the book tells."""
        plan = self._create_plan()
        plan.action_start()
        self._count(plan, {self.product_1: 97})       # the book after setUpClass: 98; 1 of 3 counted
        Plan = self.env["jxc.count.plan"].with_user(self.jxc_manager)
        measures = ["line_count:sum", "counted_count:sum", "discrepancy_count:sum", "loss_value:sum",
                  "gain_value:sum", "accuracy:avg"]
        groups = {state: values for state, *values in Plan._read_group(
            [("id", "in", (plan | self.plan).ids)], ["state"], measures)}
        self.assertEqual(groups["done"], [3, 3, 1, 70.0, 8.0, 2 / 3])
        self.assertEqual(groups["in_progress"], [3, 1, 0, 10.0, 0.0, 1.0])
        [total] = Plan._read_group([("id", "in", (plan | self.plan).ids)], [], ["counted_count:sum", "loss_value:sum_currency"])
        self.assertEqual(total, (4, 80.0))
        self.assertIsInstance(total[0], int)             # summed as the integer column it was
        both = [("id", "in", (plan | self.plan).ids)]
        self.assertEqual(Plan.search(both, order="counted_count").ids, [plan.id, self.plan.id])
        self.assertEqual(Plan.search(both, order="counted_count desc").ids, [self.plan.id, plan.id])
        self.assertEqual(Plan.search(both + [("counted_count", "<", 3)]), plan)
        self.assertEqual(Plan.fields_get(["line_count", "loss_value"], ["aggregator", "sortable", "searchable"]), {
            "line_count": {"aggregator": "sum", "sortable": True, "searchable": True},
            "loss_value": {"aggregator": "sum", "sortable": True, "searchable": True}})
        # the custom filters a manager builds: any operator on any figure
        self.assertEqual(Plan.search(both + [("discrepancy_count", ">=", 1)]), self.plan)
        self.assertEqual(Plan.search(both + [("loss_value", "in", [10.0, 70.0])]), plan | self.plan)
        self.assertEqual(Plan.search(both + [("accuracy", "!=", 1.0)]), self.plan)
        self.assertEqual(Plan.search(both + [("gain_value", "=", False)]), plan)
        self.assertEqual(Plan.search(both + ["!", ("to_review_count", "<", 0)]), plan | self.plan)
        with self.assertRaises(AccessError):
            self.env["jxc.count.plan"].with_user(self.counter)._read_group([], ["state"], ["discrepancy_count:sum"])
        with self.assertRaises(AccessError):
            self.env["jxc.count.plan"].with_user(self.counter).search([("discrepancy_count", ">", 0)])
        self.assertEqual(self.env["jxc.count.plan"].with_user(self.counter)._read_group(
            [("id", "=", plan.id)], [], ["counted_count:sum"]), [(1,)])

    def test_accuracy_of_negative_stock_as_the_report_says(self):
        """A count of a shelf whose Gizmo stands at -5 on the book (standard price 50: a book worth
        -250), found empty: +5, 250 off. The plan's value accuracy is 0 %, as the accuracy report's
        row; not 1 - 250 / -250 = 200 %."""
        shelf = self.env["stock.location"].create({"name": "Shelf Minus", "location_id": self.stock_location.id})
        self._set_on_hand(self.product_3, -5, shelf)
        plan = self._create_plan(location_ids=[(6, 0, shelf.ids)])
        plan.action_start()
        line = plan.line_ids
        self.assertEqual((line.book_qty, line.book_value), (-5.0, -250.0))
        line.counted_qty = 0
        self.assertEqual(plan.accuracy_value, 0.0)
        self.env.flush_all()
        row = self.env["jxc.count.accuracy.report"].search([("plan_id", "=", plan.id)])
        self.assertEqual(row.accuracy_value, plan.accuracy_value)

    def test_accuracy_by_location_and_shrinkage_by_reason(self):
        Report = self.env["jxc.count.accuracy.report"]
        rows = {row.location_id: row for row in Report.search([("plan_id", "=", self.plan.id)])}
        # Shelf 1: both lines within tolerance; book 1,200, differences 20 + 8.
        shelf_1 = rows[self.shelf_1]
        self.assertEqual((shelf_1.line_count, shelf_1.accurate_count, shelf_1.book_value), (2, 2, 1200.0))
        self.assertEqual(shelf_1.accuracy, 1.0)
        self.assertAlmostEqual(shelf_1.accuracy_value, 1 - 28 / 1200)
        # Shelf 2: the Gizmo (-1 of 10) is beyond the 5 % tolerance; 50 of 500 lost.
        shelf_2 = rows[self.shelf_2]
        self.assertEqual((shelf_2.line_count, shelf_2.accurate_count, shelf_2.loss_value), (1, 0, 50.0))
        self.assertEqual(shelf_2.accuracy, 0.0)
        self.assertAlmostEqual(shelf_2.accuracy_value, 0.9)
        # The plan's group row: 2 of its 3 lines, 1 - 78 / 1,700 of its value (not the
        # average 50 % of its two locations).
        [group] = Report.with_user(self.jxc_manager).formatted_read_group(
            [("plan_id", "=", self.plan.id)], ["plan_id"], ["accuracy:avg", "accuracy_value:avg"])
        self.assertAlmostEqual(group["accuracy:avg"], 2 / 3)
        self.assertAlmostEqual(group["accuracy_value:avg"], 1 - 78 / 1700)
        # Shrinkage by reason and period: the pivot of the posted count lines.
        Line = self.env["jxc.count.line"]
        by_reason = dict(Line._read_group([("plan_id", "=", self.plan.id)], ["reason_id"], ["loss_value:sum"]))
        self.assertEqual(by_reason, {self.reason_loss: 20.0, self.reason_surplus: 0.0, self.reason_damage: 50.0})
        by_month = Line._read_group([("plan_state", "=", "done")], ["date_done:month"], ["difference_value:sum"])
        self.assertEqual([(d.date(), v) for d, v in by_month], [(date(2025, 5, 1), -62.0)])

    def test_dashboard_kpis(self):
        kpis = {k["key"]: k for k in self.env["jxc.count.plan"]._get_jxc_dashboard_kpis(
            self.company, date(2025, 5, 1), date(2025, 6, 1))}
        self.assertAlmostEqual(kpis["count_accuracy"]["value"], 2 / 3)
        self.assertEqual(kpis["count_accuracy"]["type"], "percent")
        lines = self.env["jxc.count.line"].search(kpis["count_accuracy"]["action"]["domain"])
        self.assertEqual(len(lines), 3)
        self.assertEqual(len(lines.filtered("is_discrepancy")), 1)
        self.assertEqual(kpis["count_plans_done"]["value"], 1.0)
        self.assertEqual(self.env["jxc.count.plan"].search_count(kpis["count_plans_done"]["action"]["domain"]), 1)
        self.assertEqual(kpis["count_loss_value"]["value"], 70.0)
        # the stocktakes' losses, named apart from the month's Count Losses of every adjustment
        self.assertEqual(kpis["count_loss_value"]["label"], "Stocktake Losses")
        loss_lines = self.env["jxc.count.line"].search(kpis["count_loss_value"]["action"]["domain"])
        self.assertEqual(sum(loss_lines.mapped("loss_value")), 70.0)
        empty = {k["key"]: k["value"] for k in self.env["jxc.count.plan"]._get_jxc_dashboard_kpis(
            self.company, date(2025, 6, 1), date(2025, 7, 1))}
        # nothing counted: no accuracy to show ("–"), not 0 %
        self.assertEqual(empty, {"count_accuracy": None, "count_plans_done": 0.0, "count_loss_value": 0.0})
        # the dashboard's two periods together, in two queries (lines, plans)
        with self.assertQueryCount(2):
            together = self.env["jxc.count.plan"]._get_jxc_dashboard_kpis_periods(
                self.company, [(date(2025, 5, 1), date(2025, 6, 1)), (date(2025, 6, 1), date(2025, 7, 1))])
        self.assertEqual([{k["key"]: k["value"] for k in tiles} for tiles in together], [
            {"count_accuracy": 2 / 3, "count_plans_done": 1.0, "count_loss_value": 70.0}, empty])
        # Counters do not get the loss value.
        keys = [k["key"] for k in self.env["jxc.count.plan"].with_user(self.counter)._get_jxc_dashboard_kpis(
            self.company, date(2025, 5, 1), date(2025, 6, 1))]
        self.assertEqual(keys, ["count_accuracy", "count_plans_done"])

    def test_period_uses_company_timezone(self):
        # Posted 2025-05-10 11:00 Shanghai; a period ending on 2025-05-10 excludes it.
        kpis = {k["key"]: k["value"] for k in self.env["jxc.count.plan"]._get_jxc_dashboard_kpis(
            self.company, date(2025, 5, 1), date(2025, 5, 10))}
        self.assertEqual(kpis["count_plans_done"], 0.0)

    def test_period_of_company_without_timezone_is_utc(self):
        """A company without a timezone counts its days in UTC, as every day-based figure of the
        add-on does, not in the timezone of the user who opens the dashboard: posted on
        2025-05-31 at 17:00 UTC (already 1 June in Shanghai), the count belongs to May."""
        self.company.partner_id.tz = False
        self.env.user.tz = "Asia/Shanghai"
        with freeze_time("2025-05-31 17:00:00"):
            plan = self._create_plan(location_ids=[(6, 0, self.shelf_2.ids)])
            plan.action_start()
            plan.line_ids.counted_qty = 9
            plan.action_submit()
            plan.action_approve()
            plan.action_post()
        Plan = self.env["jxc.count.plan"]
        may = {k["key"]: k["value"] for k in Plan._get_jxc_dashboard_kpis(self.company, date(2025, 5, 1), date(2025, 6, 1))}
        june = {k["key"]: k["value"] for k in Plan._get_jxc_dashboard_kpis(self.company, date(2025, 6, 1), date(2025, 7, 1))}
        self.assertEqual((may["count_plans_done"], june["count_plans_done"]), (2.0, 0.0))

    def test_count_sheet_pdf_keeps_chinese_text(self):
        """The real PDF (wkhtmltopdf) embeds a CJK font: the Chinese name is extractable text."""
        plan = self._create_plan(location_ids=[(6, 0, self.shelf_1.ids)])
        plan.action_start()
        with self.allow_pdf_render():
            pdf, report_type = self.env["ir.actions.report"].with_context(force_report_rendering=True)._render_qweb_pdf("jxc_addon.report_jxc_count_sheet", plan.ids)
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        reader = PdfFileReader(io.BytesIO(pdf))
        text = "".join(page.extract_text() for page in reader.pages)
        self.assertIn("螺丝钉", text)
        self.assertIn(plan.name, text)
