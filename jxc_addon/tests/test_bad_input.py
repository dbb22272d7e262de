"""Bad input: every settings field, rule, profile, wizard and import refuses a wrong value
with a clear message before anything is written; empty data gives defined figures."""

import base64
import io
from datetime import date

import openpyxl
from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger

from .common import JxcCommon, xlsx_file


@tagged("post_install", "-at_install")
class TestBadInput(JxcCommon):
    def _assert_refused(self, exception, fragment, func, *args, **kwargs):
        with self.assertRaises(exception) as caught:
            func(*args, **kwargs)
        self.assertIn(fragment, str(caught.exception))

    def _assert_sql_refused(self, model, fragment, func, *args):
        """A CHECK constraint refuses the row in the database; the user reads its message
        (the RPC layer turns the IntegrityError into this ValidationError text)."""
        with self.assertRaises(IntegrityError) as caught, mute_logger("odoo.sql_db"), self.cr.savepoint():
            func(*args)
        self.assertIn(fragment, model._sql_error_to_message(caught.exception))

    # --- settings ------------------------------------------------------------------
    def test_settings_page_refuses_each_bad_value(self):
        cases = [
            ({"jxc_demand_history_days": 6}, "at least 7 days"),
            ({"jxc_demand_history_days": 800000}, "3650 days (ten years) or fewer"),
            ({"jxc_dead_stock_days": 0}, "at least 1 day"),
            # the dead-stock window would start before PostgreSQL's first date
            ({"jxc_dead_stock_days": 99999999}, "is 99999999: enter 3650 days (ten years)"),
            ({"jxc_overstock_days": 3651}, "is 3651: enter 3650 days (ten years)"),
            ({"jxc_supplier_on_time_tolerance": 40000}, "is 40000: enter 3650 days (ten years)"),
            ({"jxc_carrying_cost_rate": 100.5}, "between 0 and 100"),
            ({"jxc_ordering_cost": -5.0}, "cost per purchase order"),
            ({"jxc_overstock_days": -1}, "overstock delay"),
            ({"jxc_supplier_grade_a": 60.0}, "0 <= C <= B <= A <= 100"),   # A below B (70)
            ({"jxc_supplier_grade_a": 101.0}, "0 <= C <= B <= A <= 100"),
            ({"jxc_supplier_grade_c": -1.0}, "0 <= C <= B <= A <= 100"),
            ({"jxc_supplier_on_time_tolerance": -2}, "cannot be negative"),
            ({"jxc_supplier_score_drop": -1.0}, "cannot be negative"),
            ({"jxc_supplier_on_time_min": 100.1}, "minimum on-time rate"),
            ({"jxc_aging_buckets": "30,abc,90"}, "aging buckets"),
            ({"jxc_aging_buckets": "90,60,180"}, "increasing order"),
            ({"jxc_aging_buckets": "30,30"}, "increasing order"),
            ({"jxc_aging_buckets": "0,30"}, "aging buckets"),
            ({"jxc_aging_buckets": "30;60"}, "aging buckets"),
            ({"jxc_aging_buckets": "-30,60"}, "aging buckets"),
            ({"jxc_slow_turnover_rate": -0.5}, "slow-moving turnover"),
        ]
        before = self.company.read([next(iter(vals)) for vals, _fragment in cases])[0]
        for vals, fragment in cases:
            with self.subTest(vals=vals):
                self._assert_refused(ValidationError, fragment, self._save_settings, vals)
        self.assertEqual(self.company.read(list(before))[0], before)

    def _save_settings(self, vals):
        with Form(self.env["res.config.settings"]) as settings:
            for fname, value in vals.items():
                setattr(settings, fname, value)
        settings.record.execute()

    def test_empty_aging_buckets_refused(self):
        self._assert_refused(ValidationError, "aging buckets", self.company.write, {"jxc_aging_buckets": False})
        self.assertEqual(self.company._get_jxc_aging_limits(), [30, 60, 90, 180, 365])

    # --- safety stock rules ---------------------------------------------------------
    def test_service_level_range(self):
        Rule = self.env["jxc.safety.stock.rule"]
        base = {"name": "SL", "categ_id": self.category.id, "method": "statistical", "history_days": 30}
        for level in (50.0, 49.0, 0.0, 99.995, 100.0, -5.0):
            with self.subTest(level=level):
                self._assert_refused(ValidationError, "must be above 50 % and at most 99.99 %",
                                     Rule.create, dict(base, service_level=level))
        for level in (50.01, 99.99):
            self.assertEqual(Rule.create(dict(base, service_level=level)).service_level, level)
        self._assert_refused(ValidationError, "class A service level", Rule.create, dict(
            base, service_level=95.0, service_level_by_abc=True, service_level_a=100.0))
        # Fixed quantities do not use a service level: no check.
        self.assertTrue(Rule.create(dict(base, method="fixed", fixed_qty=5.0, service_level=10.0)))

    def test_safety_rule_quantities(self):
        Rule = self.env["jxc.safety.stock.rule"]
        base = {"name": "Q", "categ_id": self.category.id, "method": "fixed", "history_days": 30}
        for vals in ({"fixed_qty": -1.0}, {"cover_days": -3}, {"review_days": -1}, {"no_history_qty": -2.0},
                     {"trend_days": 0}):
            with self.subTest(vals=vals):
                self._assert_refused(ValidationError, "negative quantity or number of days", Rule.create, dict(base, **vals))
        self._assert_sql_refused(Rule, "at least 7 days", Rule.create, dict(base, history_days=3))
        # a mistyped length would only fail at the next computation, past Python's last date
        for vals in ({"history_days": 800000}, {"trend_days": 3651}, {"cover_days": 10 ** 6}, {"review_days": 4000}):
            with self.subTest(vals=vals):
                self._assert_refused(ValidationError, "3650 days or fewer", Rule.create, dict(base, **vals))

    # --- ABC/XYZ profiles -------------------------------------------------------------
    def test_abc_cutoffs_and_limits(self):
        Profile = self.env["jxc.abc.profile"]
        for vals in ({"cutoff_a": 0.0}, {"cutoff_a": 95.0, "cutoff_b": 95.0}, {"cutoff_a": 96.0, "cutoff_b": 90.0},
                     {"cutoff_b": 100.5}, {"cutoff_a": -10.0}):
            with self.subTest(vals=vals):
                self._assert_refused(ValidationError, "strictly increasing between 0 and 100",
                                     Profile.create, dict({"name": "Cut"}, **vals))
        for vals in ({"xyz_limit_x": 0.0}, {"xyz_limit_x": 1.0, "xyz_limit_y": 1.0}, {"xyz_limit_x": -0.5}):
            with self.subTest(vals=vals):
                self._assert_refused(ValidationError, "(0 < X < Y)", Profile.create, dict({"name": "XYZ"}, **vals))
        self._assert_refused(ValidationError, "at least two XYZ demand periods", Profile.create,
                             {"name": "Short", "lookback_days": 13, "xyz_period": "week"})
        self._assert_refused(ValidationError, "3650 days (ten years) or fewer", Profile.create,
                             {"name": "Short", "lookback_days": 800000})
        self._assert_refused(ValidationError, "none is chosen", Profile.create, {"name": "Cats", "scope": "categories"})
        self.assertFalse(Profile.search([("name", "in", ["Cut", "XYZ", "Short", "Cats"])]))

    # --- supplier evaluation ------------------------------------------------------------
    def test_supplier_weights_scores_and_incidents(self):
        criteria = self.env["jxc.supplier.criterion"].search([("company_id", "=", self.company.id)])
        criteria.filtered(lambda c: c.criterion_type == "price").weight = 25.0   # total 110 %
        period = self.env["jxc.supplier.period"]._get_or_create_period(self.company, date(2025, 3, 15))
        self._assert_refused(UserError, "total 110.0 % instead of 100 %", period.action_compute)
        self.assertFalse(period.evaluation_ids)
        def overweight():
            criteria[:1].weight = 150.0
            criteria.flush_recordset()
        self._assert_sql_refused(criteria, "between 0 and 100", overweight)
        Incident = self.env["jxc.supplier.incident"]
        self._assert_sql_refused(Incident, "cannot be negative", Incident.create,
                                 {"partner_id": self.vendor_a.id, "quantity": -1.0})
        manual = self.env["jxc.supplier.criterion"].create({
            "name": "Service", "criterion_type": "manual", "weight": 0.0, "company_id": self.company.id,
        })
        Score = self.env["jxc.supplier.manual.score"]
        self._assert_sql_refused(Score, "between 0 and 100", Score.create, {
            "period_id": period.id, "partner_id": self.vendor_a.id, "criterion_id": manual.id, "score": 120.0,
        })

    def test_supplier_risk_responsible(self):
        """The risk responsible gets the vendor's risk and its reason, mailed: a portal user, a
        user of another company or one who may not read the Supplier Evaluation tab (a buyer
        without inventory control rights) is refused; an inventory control buyer is taken."""
        portal = new_test_user(self.env, login="jxc_risk_portal", groups="base.group_portal")
        other = self.env["res.company"].create({"name": "JXC Risk Other"})
        elsewhere = new_test_user(self.env, login="jxc_risk_elsewhere", groups="purchase.group_purchase_user",
                                  company_id=other.id, company_ids=[(6, 0, other.ids)])
        clerk = new_test_user(self.env, login="jxc_risk_clerk", groups="base.group_user")
        # the note sends them to the Supplier Evaluation tab, an inventory control user's
        purchase_only = new_test_user(self.env, login="jxc_risk_purchase_only", groups="purchase.group_purchase_manager")
        for user in (portal, elsewhere, clerk, purchase_only):
            with self.subTest(user=user.login):
                self._assert_refused(ValidationError, "must be an internal user of the company who may read",
                                     self.company.write, {"jxc_supplier_risk_user_id": user.id})
        buyer = new_test_user(self.env, login="jxc_risk_buyer",
                              groups="purchase.group_purchase_manager,jxc_addon.group_jxc_user")
        self.company.jxc_supplier_risk_user_id = buyer
        self.env.flush_all()  # the check runs, and takes them
        self.env.invalidate_all()
        self.assertEqual(self.company.jxc_supplier_risk_user_id, buyer)

    # --- counts ----------------------------------------------------------------------------
    def test_count_config_values(self):
        self._assert_refused(ValidationError, "cannot be negative", self.env["jxc.count.tolerance"].create,
                             {"company_id": self.company.id, "qty_percent": -1.0})
        self._assert_refused(ValidationError, "is 500.0 %, more than the whole book quantity. Enter a percentage of "
                             "at most 100", self.env["jxc.count.tolerance"].create,
                             {"company_id": self.company.id, "qty_percent": 500.0})
        self.env["jxc.count.tolerance"].create({"company_id": self.company.id, "qty_percent": 100.0})
        Cycle = self.env["jxc.count.cycle.rule"]
        base = {"name": "Cycle", "warehouse_id": self.warehouse.id}
        self._assert_refused(ValidationError, "at least 1 line per day", Cycle.create, dict(base, max_lines_per_day=0))
        self._assert_refused(ValidationError, "cannot be negative", Cycle.create, dict(base, days_a=-30))
        self._assert_refused(ValidationError, "positive value threshold", Cycle.create,
                             dict(base, rule_type="turnover", turnover_value=0.0))

    def test_counted_quantity_negative_and_uom_mismatch(self):
        self._set_on_hand(self.product_1, 10.0)
        plan = self.env["jxc.count.plan"].create({"warehouse_id": self.warehouse.id})
        plan.action_start()
        line = plan.line_ids.filtered(lambda row: row.product_id == self.product_1)
        counter = new_test_user(self.env, login="jxc_bad_counter", name="Counter", groups="jxc_addon.group_jxc_user")
        self._assert_refused(UserError, "cannot be negative", line.with_user(counter).write, {"counted_qty": -1.0})
        self._assert_refused(UserError, "cannot be negative", self.env["jxc.count.line"].with_user(counter).create, {
            "plan_id": plan.id, "product_id": self.product_2.id, "location_id": self.stock_location.id,
            "counted_qty": -3.0,
        })
        self.assertFalse(line.is_counted)
        # An Excel sheet counted in dozens instead of the product's unit is refused, row by row.
        action = plan.action_export_xlsx()
        attachment = xlsx_file(action)
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(attachment.datas)))
        ws = book.active
        header = next(i for i, row in enumerate(ws.iter_rows(values_only=True), start=1) if row[1] == "Product Code")
        uom_col = 5
        counted_col = ws.max_column
        first = header + 1
        ws.cell(first, uom_col).value = "Dozens"
        ws.cell(first, counted_col).value = 1
        output = io.BytesIO()
        book.save(output)
        wizard = self.env["jxc.count.import.wizard"].create({
            "plan_id": plan.id, "file": base64.b64encode(output.getvalue()), "filename": "dozens.xlsx",
        })
        with self.assertRaises(UserError) as caught:
            wizard.action_import()
        self.assertIn(f"Row {first}: unit 'Dozens' is not the unit of", str(caught.exception))
        self.assertFalse(plan.line_ids.filtered("is_counted"))
        # The product's own unit (or an empty cell) is accepted.
        ws.cell(first, uom_col).value = "Units"
        output = io.BytesIO()
        book.save(output)
        wizard.file = base64.b64encode(output.getvalue())
        wizard.action_import()
        self.assertEqual(len(plan.line_ids.filtered("is_counted")), 1)

    # --- empty data: defined results, no division by zero ---------------------------------
    def test_empty_company_gives_zero_figures(self):
        company = self.env["res.company"].create({"name": "JXC Empty Co"})
        env = self.env(context=dict(self.env.context, allowed_company_ids=[company.id]))
        with freeze_time("2025-05-10 04:00:00"):
            # No stock, no deliveries: counts and sums are 0; turnover, days of inventory, accuracy
            # and rates have nothing to measure (None, shown "–"): not errors, not a false 0 %.
            kpis = env["jxc.dashboard"].with_company(company)._get_kpis(company, date(2025, 4, 1), date(2025, 5, 1))
            self.assertTrue(kpis)
            for kpi in kpis:
                if kpi["value"] is not None:
                    self.assertIsInstance(kpi["value"], (int, float), kpi["key"])
                    self.assertEqual(kpi["value"], 0, kpi["key"])
            self.assertLessEqual({"turnover", "days_of_inventory", "count_accuracy", "supplier_on_time_rate", "service_level"},
                                 {kpi["key"] for kpi in kpis if kpi["value"] is None})
            # No receipts: the period computes without evaluating anyone.
            period = env["jxc.supplier.period"]._get_or_create_period(company, date(2025, 4, 15))
            period.action_compute()
            self.assertFalse(period.evaluation_ids)
            # No demand: a profile classifies the company's storable products N (none here).
            profile = env["jxc.abc.profile"].create({"name": "Empty", "company_id": company.id})
            profile.action_compute()
            self.assertFalse(env["jxc.abc.result"].search([("profile_id", "=", profile.id), ("abc_class", "!=", "n")]))
            self.assertEqual(env["jxc.turnover.report"].search_count([("company_id", "=", company.id)]), 0)

    def test_no_demand_safety_stock(self):
        """A statistical rule with no demand in the window uses the no-history quantity (σ = 0, d̄ = 0)."""
        self.env["jxc.safety.stock.rule"].create({
            "name": "No demand", "product_id": self.product_3.id, "method": "statistical", "service_level": 95.0,
            "history_days": 30, "review_days": 7, "no_history_qty": 4.0,
        })
        with freeze_time("2025-06-30 04:00:00"):
            self.env["stock.warehouse.orderpoint"]._jxc_update_orderpoints(self.company)
        orderpoint = self.env["stock.warehouse.orderpoint"].search([("product_id", "=", self.product_3.id)])
        self.assertEqual(orderpoint.jxc_safety_stock, 4.0)
        self.assertEqual(orderpoint.jxc_demand_mean, 0.0)
        self.assertEqual(orderpoint.product_min_qty, 4.0)
