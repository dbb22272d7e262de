"""Scheduled actions not covered by their feature's tests: the nightly supplier evaluation
and the daily purchase-plan refresh. Each processes in batches (progress per batch), logs
and skips a batch that raises while the others complete, and is idempotent when re-run.
(ABC, snapshots, cycle counts and reordering rules have the same tests in their files.)
When Odoo's time for a job is up, every job still gets to the end of its work."""

from datetime import date, datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo.addons.jxc_addon.models import jxc_forecast_drift, jxc_planning_engine, jxc_purchase_plan
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.sql_db import db_connect
from odoo.tests import tagged
from odoo.tools.convert import convert_file

from .common import JxcCommon, run_migration
from .test_purchase_plan_trust import run_cron_as_odoo

PERIOD_LOGGER = "odoo.addons.jxc_addon.models.jxc_supplier_period"
PLAN_LOGGER = "odoo.addons.jxc_addon.models.jxc_purchase_plan"
ENGINE_LOGGER = "odoo.addons.jxc_addon.models.jxc_planning_engine"
# what Odoo's stock raises for a loop between warehouses' routes
LOOP_ERROR = "Invalid rule's configuration, the following rule causes an endless loop: injected"


@tagged("post_install", "-at_install")
class TestCronFaults(JxcCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for month in (2, 3):
            with freeze_time(f"2025-0{month}-03 02:00:00"):
                order = cls._create_purchase(cls.vendor_a, [(cls.product_1, 10.0, 10.0)],
                                             date_planned=f"2025-0{month}-08 04:00:00")
            with freeze_time(f"2025-0{month}-08 02:00:00"):
                cls._receive(order)
        Period = cls.env["jxc.supplier.period"]
        cls.february = Period._get_or_create_period(cls.company, date(2025, 2, 1))
        cls.march = Period._get_or_create_period(cls.company, date(2025, 3, 1))

    def _supplier_cron(self, **kwargs):
        with freeze_time("2025-04-02 03:00:00"):
            self.env["jxc.supplier.period"]._cron_compute_supplier_evaluations(**kwargs)

    def _evaluation_failing_for(self, bad):
        """A patch of the supplier evaluation that raises for the period ``bad``."""
        Period = type(self.env["jxc.supplier.period"])
        original = Period._get_evaluation_data

        def failing(period, criteria):
            if period == bad:
                raise ZeroDivisionError("injected fault")
            return original(period, criteria)

        return patch.object(Period, "_get_evaluation_data", failing)

    def test_supplier_cron_skips_a_failing_period(self):
        february = self.february
        with self._evaluation_failing_for(february), self.assertLogs(PERIOD_LOGGER, "ERROR") as logs:
            self._supplier_cron()
        self.assertIn("Supplier evaluation of period %s" % february.name, logs.output[0])
        self.assertFalse(february.evaluation_ids)
        self.assertEqual(self.march.evaluation_ids.partner_id, self.vendor_a)
        # Re-running completes the skipped period; a third run changes nothing.
        self._supplier_cron()
        self.assertEqual(february.evaluation_ids.partner_id, self.vendor_a)
        evaluations = (february | self.march).evaluation_ids
        scores = evaluations.mapped("score")
        self._supplier_cron()
        self.assertEqual((february | self.march).evaluation_ids, evaluations)
        self.assertEqual(evaluations.mapped("score"), scores)

    def test_time_up_stops_after_a_step_that_succeeded(self):
        """Odoo's time for the job is up from the start and February fails: the call goes on to
        March, which succeeds, and stops there. February, still to do, comes first at every call:
        stopping right after it, no call would ever reach March."""
        february = self.february
        Cron = type(self.env["ir.cron"])
        with self._evaluation_failing_for(february), \
                patch.object(Cron, "_commit_progress", autospec=True, return_value=0.0) as progress, \
                self.assertLogs(PERIOD_LOGGER, "ERROR"):
            self._supplier_cron(use_new_cursor=True)
        self.assertFalse(february.evaluation_ids)
        self.assertEqual(self.march.evaluation_ids.partner_id, self.vendor_a)
        # February's step and March's, then the stop (April, the current month, waits)
        self.assertEqual([call.args[1:] for call in progress.call_args_list[1:]], [(1,), (1,)])

    def test_supplier_cron_commits_per_period(self):
        Cron = type(self.env["ir.cron"])
        with patch.object(Cron, "_commit_progress", autospec=True, return_value=60.0) as progress:
            self._supplier_cron(use_new_cursor=True)
        periods = self.env["jxc.supplier.period"].search([("state", "=", "open")])
        self.assertGreaterEqual(len(periods), 3)  # February, March, April (current)
        calls = progress.call_args_list
        self.assertEqual(calls[0].kwargs, {"remaining": len(periods)})
        self.assertEqual([call.args[1:] for call in calls[1:]], [(1,)] * len(periods))
        # The time is up after the first period: the job stops; the next call continues.
        self.february.evaluation_ids.sudo().unlink()
        self.february.computed_at = False
        self.march.computed_at = False
        with patch.object(Cron, "_commit_progress", autospec=True, side_effect=[60.0, 0.0]):
            self._supplier_cron(use_new_cursor=True)
        self.assertTrue(self.february.evaluation_ids)
        self.assertFalse(self.march.computed_at)

    def test_supplier_cron_continues_the_night_not_the_evening(self):
        """The job (this run at 03:00 UTC, 11:00 in Shanghai) goes on after what was computed
        since the company's midnight, by its own earlier call or a manager (09:00), but computes
        again a period a manager computed the evening before (23:00): what was received since
        counts."""
        with freeze_time("2025-04-01 15:00:00"):
            self.march.action_compute()
        with freeze_time("2025-04-02 01:00:00"):
            self.february.action_compute()
        Cron = type(self.env["ir.cron"])
        with patch.object(Cron, "_commit_progress", autospec=True, return_value=60.0):
            self._supplier_cron(use_new_cursor=True)
        self.assertEqual(self.march.computed_at, datetime(2025, 4, 2, 3, 0))
        self.assertEqual(self.february.computed_at, datetime(2025, 4, 2, 1, 0))

    def test_supplier_cron_computes_again_a_period_computed_before_it_ended(self):
        """The job moved to 23:00 UTC (07:00 the next morning in Shanghai). A buyer computed March
        at 06:00 UTC on 31 March, its last afternoon in Shanghai: after the UTC midnight of the
        job's day, but before March ended. The job computes March again, with its last hours."""
        self.company.partner_id.tz = "Asia/Shanghai"
        with freeze_time("2025-03-31 06:00:00"):
            self.march.action_compute()
        Cron = type(self.env["ir.cron"])
        with freeze_time("2025-03-31 23:00:00"), \
                patch.object(Cron, "_commit_progress", autospec=True, return_value=60.0):
            self.env["jxc.supplier.period"]._cron_compute_supplier_evaluations(use_new_cursor=True)
        self.assertEqual(self.march.computed_at, datetime(2025, 3, 31, 23, 0))

    @freeze_time("2025-04-02 03:00:00")  # the runs compared must fall on one company day
    def test_purchase_plan_cron_batches_skips_and_is_idempotent(self):
        orderpoints = self._managed_rules()
        bad = orderpoints.filtered(lambda op: op.product_id == self.product_2)
        Cron = type(self.env["ir.cron"])
        with patch.object(jxc_purchase_plan, "REFRESH_BATCH", 1), self._refresh_failing_for(bad), \
                patch.object(Cron, "_commit_progress", autospec=True, return_value=60.0) as progress, \
                self.assertLogs(PLAN_LOGGER, "ERROR") as logs:
            self.env["jxc.purchase.plan"]._cron_refresh(use_new_cursor=True)
        self.assertIn("a batch was not refreshed", logs.output[0])
        lines = self.env["jxc.purchase.plan"].search([("company_id", "=", self.company.id)])
        self.assertEqual(lines.orderpoint_id, orderpoints - bad)
        # One progress step per batch of one reordering rule and one per company's digests,
        # all counted from the start.
        companies = self.env["res.company"].search_count([])
        self.assertEqual(progress.call_args_list[0].kwargs, {"remaining": 3 + companies})
        self.assertEqual(sum(1 for call in progress.call_args_list if call.args[1:] == (1,)), 3 + companies)
        # Without the fault every rule gets its line; running again keeps the same lines.
        self.env["jxc.purchase.plan"]._cron_refresh()
        lines = self.env["jxc.purchase.plan"].search([("company_id", "=", self.company.id)])
        self.assertEqual(lines.orderpoint_id, orderpoints)
        suggested = lines.mapped("suggested_qty")
        digests = self.env["jxc.stock.warning.digest"].search([("company_id", "=", self.company.id)])
        self.env["jxc.purchase.plan"]._cron_refresh()
        self.assertEqual(self.env["jxc.purchase.plan"].search([("company_id", "=", self.company.id)]), lines)
        self.assertEqual(lines.mapped("suggested_qty"), suggested)
        self.assertEqual(self.env["jxc.stock.warning.digest"].search([("company_id", "=", self.company.id)]), digests)

    def _managed_rules(self):
        """The class's products under a fixed safety stock: their 3 reordering rules, without plan
        lines (the update refreshed them today: the cron, as Odoo runs it, would leave them out)."""
        self.env["jxc.safety.stock.rule"].create({
            "name": "Cron faults", "categ_id": self.category.id, "method": "fixed", "fixed_qty": 5.0,
            "history_days": 30, "review_days": 7,
        })
        Orderpoint = self.env["stock.warehouse.orderpoint"]
        Orderpoint._jxc_update_orderpoints(self.company)
        self.env["jxc.purchase.plan"].search([("company_id", "=", self.company.id)]).unlink()
        orderpoints = Orderpoint.search([("jxc_rule_id", "!=", False), ("company_id", "=", self.company.id)])
        self.assertEqual(len(orderpoints), 3)
        return orderpoints

    def _refresh_failing_for(self, bad):
        """A patch of the plan's refresh that raises for a batch holding the rule ``bad``."""
        Plan = type(self.env["jxc.purchase.plan"])
        original = Plan._refresh

        def failing(plan, company, batch=None):
            if batch is not None and bad in batch:
                raise ValueError("injected fault")
            return original(plan, company, batch)

        return patch.object(Plan, "_refresh", failing)

    def test_one_bad_rule_leaves_the_rest_of_its_batch_refreshed(self):
        """A rule whose line cannot be refreshed fails its batch: the batch's other rules are
        refreshed one by one, the bad one is logged and tried again with the changed products."""
        orderpoints = self._managed_rules()
        bad = orderpoints.filtered(lambda op: op.product_id == self.product_2)
        with self._refresh_failing_for(bad), self.assertLogs(PLAN_LOGGER, "ERROR") as logs:
            self.env["jxc.purchase.plan"]._cron_refresh()
        self.assertIn("a batch was not refreshed", logs.output[0])
        self.assertIn("%s not refreshed" % bad.display_name, "\n".join(logs.output[1:]))
        lines = self.env["jxc.purchase.plan"].search([("company_id", "=", self.company.id)])
        self.assertEqual(lines.orderpoint_id, orderpoints - bad)
        self.assertIn(self.product_2.id, [product_id for _id, product_id in
                                          self.env["jxc.purchase.plan.change"]._read(self.company)])

    def test_purchase_plan_cron_skips_a_company_it_cannot_plan(self):
        """The rules of one company cannot be listed (an error in another module, say): the other
        companies' plans are still refreshed and the error is logged."""
        orderpoints = self._managed_rules()
        Plan = type(self.env["jxc.purchase.plan"])
        original = Plan._get_managed_orderpoints
        other = self.env["res.company"].create({"name": "JXC Other Company"})

        def failing(plan, company, rules_of=None):
            if company == other:
                raise ValueError("injected fault")
            return original(plan, company, rules_of)

        with patch.object(Plan, "_get_managed_orderpoints", failing), self.assertLogs(PLAN_LOGGER, "ERROR") as logs:
            self.env["jxc.purchase.plan"]._cron_refresh()
        self.assertIn("Purchase plan of JXC Other Company: the rules to refresh could not be found", logs.output[0])
        lines = self.env["jxc.purchase.plan"].search([("company_id", "=", self.company.id)])
        self.assertEqual(lines.orderpoint_id, orderpoints)

    def test_a_product_whose_routes_odoo_refuses_is_left_out(self):
        """Odoo refuses one product's routes (a loop between two warehouses): the safety stock
        skips its rule and the purchase plan leaves it out, both logged; the others are computed."""
        # routes of its own (Odoo's check fails for a product's routes, which other products share)
        self.product_2.route_ids = [Command.link(self.env["stock.route"].create(
            {"name": "JXC Looping", "product_selectable": True}).id)]
        orderpoints = self._managed_rules()
        bad = orderpoints.filtered(lambda op: op.product_id == self.product_2)
        min_qty = bad.product_min_qty
        self.env["jxc.safety.stock.rule"].search([("name", "=", "Cron faults")]).fixed_qty = 8.0
        Product = type(self.env["product.product"])
        original = Product._get_rules_from_location
        looping = self.product_2

        def refused(product, location, route_ids=False, seen_rules=False):
            if product == looping:
                raise UserError(LOOP_ERROR)
            return original(product, location, route_ids=route_ids, seen_rules=seen_rules)

        with patch.object(Product, "_get_rules_from_location", refused), \
                self.assertLogs(ENGINE_LOGGER, "WARNING") as engine_logs, \
                self.assertLogs(PLAN_LOGGER, "WARNING") as plan_logs:
            counts = self.env["stock.warehouse.orderpoint"]._jxc_update_orderpoints(self.company)
            self.env["jxc.purchase.plan"]._cron_refresh()
        self.assertEqual(counts["updated"], 2)
        self.assertEqual(bad.product_min_qty, min_qty)
        self.assertIn("Safety stock: %s" % self.product_2.display_name, engine_logs.output[0])
        self.assertIn("Purchase plan: %s left out" % bad.display_name, plan_logs.output[0])
        lines = self.env["jxc.purchase.plan"].search([("company_id", "=", self.company.id)])
        self.assertEqual(lines.orderpoint_id, orderpoints - bad)

    def _update_lock_taken(self):
        """Whether the company's update lock is taken: a real second connection cannot take it."""
        key = (jxc_planning_engine.UPDATE_LOCK, self.company.id)
        with db_connect(self.env.cr.dbname).cursor() as other:
            other.execute("SELECT pg_try_advisory_lock(%s, %s)", key)
            free = other.fetchone()[0]
            if free:
                other.execute("SELECT pg_advisory_unlock(%s, %s)", key)
        return not free

    def test_button_and_scheduled_action_do_not_compute_at_once(self):
        """A first safety-stock rule starts the weekly action in the background, and the manager
        presses Compute: while the action computes the company's rules (another session holds
        the lock), the button is refused before anything is written, instead of creating the
        same rules again; while a manager computes them, the action leaves the company to him
        and says so. Once the other session is done, the button computes."""
        rule = self.env["jxc.safety.stock.rule"].create({
            "name": "Cron clash", "categ_id": self.category.id, "method": "fixed", "fixed_qty": 5.0,
            "history_days": 30, "review_days": 7,
        })
        Orderpoint = self.env["stock.warehouse.orderpoint"]
        with db_connect(self.env.cr.dbname).cursor() as other:
            other.execute("SELECT pg_advisory_lock(%s, %s)", (jxc_planning_engine.UPDATE_LOCK, self.company.id))
            with self.assertRaisesRegex(UserError, "The reordering rules of %s are being computed by the scheduled "
                                        "action" % self.company.name):
                rule.with_user(self.jxc_manager).action_compute_reordering_rules()
            with self.assertLogs(ENGINE_LOGGER, "WARNING") as logs:
                Orderpoint._jxc_cron_update_orderpoints()
            self.assertIn("reordering rules of %s not updated: a manager is computing them" % self.company.name,
                          logs.output[0])
            self.assertFalse(Orderpoint.search([("jxc_rule_id", "=", rule.id)]))
            other.execute("SELECT pg_advisory_unlock(%s, %s)", (jxc_planning_engine.UPDATE_LOCK, self.company.id))
        rule.with_user(self.jxc_manager).action_compute_reordering_rules()
        self.assertEqual(len(Orderpoint.search([("jxc_rule_id", "=", rule.id)])), 3)

    def test_scheduled_action_holds_the_lock_over_its_batches(self):
        """The action commits its batches (which ends a transaction's lock): it holds the
        company's lock for its whole run, and releases it at the end."""
        self.env["jxc.safety.stock.rule"].create({
            "name": "Cron lock", "categ_id": self.category.id, "method": "fixed", "fixed_qty": 5.0,
        })
        seen = []
        Engine = type(self.env["jxc.planning.engine"])
        with patch.object(Engine, "_update_company", lambda engine, company, use_new_cursor: seen.append(
                (company, use_new_cursor, self._update_lock_taken()))):
            self.env["jxc.planning.engine"]._cron_update_orderpoints(use_new_cursor=True)
        self.assertEqual(seen, [(self.company, True, True)])
        self.assertFalse(self._update_lock_taken())

    def test_supplier_cron_skips_a_failing_company(self):
        """One company's periods or standings fail: the others still get theirs."""
        other_company = self.env["res.company"].create({"name": "JXC Other Company"})
        Partner = type(self.env["res.partner"])
        original = Partner._update_jxc_supplier_standing
        company = self.company

        def failing(model, partners, standing_company):
            if standing_company == company:
                raise ValueError("injected fault")
            return original(model, partners, standing_company)

        Period = self.env["jxc.supplier.period"]
        with patch.object(Partner, "_update_jxc_supplier_standing", failing), \
                self.assertLogs(PERIOD_LOGGER, "ERROR") as logs:
            self._supplier_cron()
        self.assertIn("Supplier periods and standings of company %s failed" % company.name, logs.output[0])
        self.assertEqual(Period.search([("company_id", "=", other_company.id)]).mapped("date_from"),
                         [date(2025, 4, 1), date(2025, 3, 1)])

    def test_crons_get_to_the_end_when_the_time_is_up(self):
        """With Odoo's time for the job used up from the first batch on: the safety-stock
        update and the drift alerts, which select (and plan) all their rules again at each
        call, do every batch in one call; the plan refresh stops after each batch and the next
        calls go on with the rules not refreshed today."""
        self.env["jxc.safety.stock.rule"].create({
            "name": "Time is up", "categ_id": self.category.id, "method": "fixed", "fixed_qty": 5.0,
            "history_days": 30, "review_days": 7,
        })
        Orderpoint = self.env["stock.warehouse.orderpoint"]
        Plan = self.env["jxc.purchase.plan"]
        Cron = type(self.env["ir.cron"])
        with patch.object(jxc_planning_engine, "UPDATE_BATCH", 1), patch.object(jxc_purchase_plan, "REFRESH_BATCH", 1), \
                patch.object(jxc_forecast_drift, "ALERT_BATCH", 1), \
                patch.object(Cron, "_commit_progress", autospec=True, return_value=0.0) as progress:
            Orderpoint._jxc_cron_update_orderpoints(use_new_cursor=True)
            orderpoints = Orderpoint.search([("jxc_rule_id", "!=", False), ("company_id", "=", self.company.id)])
            self.assertEqual(len(orderpoints), 3)
            self.assertEqual(orderpoints.mapped("jxc_safety_stock"), [5.0] * 3)
            # a batch per rule, then the purchase plan's refresh committed
            self.assertEqual([call.args[1:] for call in progress.call_args_list[1:]], [(1,)] * 3 + [(0,)])
            self.assertEqual(len(Plan.search([("orderpoint_id", "in", orderpoints.ids)])), 3)

            orderpoints.sudo().write({"jxc_forecast_bias_z": 3.0})
            self.env["jxc.forecast.drift"]._cron_send_alerts(use_new_cursor=True)
        alerted = self.env["mail.activity"].search([
            ("res_model", "=", "product.product"), ("res_id", "in", orderpoints.product_id.ids),
            ("activity_type_id", "=", self.env.ref("mail.mail_activity_data_warning").id),
        ])
        self.assertEqual(sorted(alerted.mapped("res_id")), sorted(orderpoints.product_id.ids))

        # The plan refresh, called as Odoo's cron runner calls it (no call Odoo would not make):
        # one rule per call, then each company's digests, until nothing is left.
        Plan.search([("company_id", "=", self.company.id)]).write({"refreshed_on": "2020-01-01 00:00:00"})
        cron = self.env.ref("jxc_addon.ir_cron_jxc_purchase_plan_refresh")
        companies = self.env["res.company"].search([])
        with freeze_time("2025-04-02 03:00:00"), patch.object(jxc_purchase_plan, "REFRESH_BATCH", 1):
            calls, first_remaining = run_cron_as_odoo(self, cron)
            self.assertEqual(first_remaining[0], 3 + len(companies))
            self.assertEqual(calls, [(1, 3 + len(companies) - call) for call in range(1, 4 + len(companies))])
            self.assertEqual(Plan.search_count([
                ("company_id", "=", self.company.id), ("refreshed_on", ">", "2020-01-01 00:00:00"),
            ]), 3)
            self.assertTrue(all(self.env["jxc.stock.warning.digest"]._are_digests_sent(company) for company in companies))

    def test_an_upgrade_keeps_what_an_administrator_set_on_the_jobs(self):
        """The add-on's scheduled actions are loaded once (noupdate, as Odoo's own): an upgrade
        leaves their schedule, interval and state as an administrator set them."""
        files = ("abc", "count", "dashboard", "forecast", "inventory_snapshot", "safety_stock", "supplier")
        crons = self.env["ir.cron"].browse(self.env["ir.model.data"].search([
            ("module", "=", "jxc_addon"), ("model", "=", "ir.cron"),
        ]).mapped("res_id"))
        self.assertEqual(len(crons), 8)
        crons.write({"active": False, "interval_number": 3, "nextcall": "2030-01-01 05:00:00"})
        for name in files:
            convert_file(self.env, "jxc_addon", f"data/jxc_{name}_cron.xml", {}, mode="update")
        self.assertEqual({(cron.active, cron.interval_number, str(cron.nextcall)) for cron in crons},
                         {(False, 3, "2030-01-01 05:00:00")})

    def test_upgrade_marks_the_jobs_noupdate(self):
        """A database installed while their data files were not noupdate keeps the jobs' rows
        updatable until the 19.0.1.4.0 migration marks them, as the files say now."""
        names = ("ir_cron_jxc_update_orderpoints", "ir_cron_jxc_purchase_plan_refresh", "jxc_supplier_period_cron",
                 "ir_cron_jxc_forecast_drift")
        data = self.env["ir.model.data"].search([("module", "=", "jxc_addon"), ("name", "in", names)])
        self.assertEqual(len(data), 4)
        data.noupdate = False
        run_migration(self.env, "19.0.1.4.0")
        data.invalidate_recordset()
        self.assertEqual(data.mapped("noupdate"), [True] * 4)


    def test_upgrade_moves_the_daily_and_monthly_jobs_to_every_hour_unless_changed(self):
        """19.0.1.14.0: the cycle counts, drift alerts (daily at 01:00 UTC), ABC/XYZ (the 1st at
        01:00) and supplier evaluations (daily at 02:00), still as installed, run every hour from
        the next hour, each company's work after its own midnight; a changed schedule stays."""
        installed = {
            "jxc_count_cycle_rule_cron": ("days", "2025-04-03 01:00:00"),
            "ir_cron_jxc_forecast_drift": ("days", "2025-04-03 01:00:00"),
            "jxc_abc_profile_cron": ("months", "2025-05-01 01:00:00"),
            "jxc_supplier_period_cron": ("days", "2025-04-03 02:00:00"),
        }
        crons = {name: self.env.ref("jxc_addon." + name) for name in installed}
        with freeze_time("2025-04-02 10:20:00"):
            for name, (interval_type, nextcall) in installed.items():
                crons[name].write({"interval_number": 1, "interval_type": interval_type, "nextcall": nextcall})
            crons["jxc_supplier_period_cron"].nextcall = "2025-04-03 05:00:00"  # an administrator's hour
            run_migration(self.env, "19.0.1.14.0")
        self.assertEqual({name: (cron.interval_type, str(cron.nextcall)) for name, cron in crons.items()}, {
            "jxc_count_cycle_rule_cron": ("hours", "2025-04-02 11:00:00"),
            "ir_cron_jxc_forecast_drift": ("hours", "2025-04-02 11:00:00"),
            "jxc_abc_profile_cron": ("hours", "2025-04-02 11:00:00"),
            "jxc_supplier_period_cron": ("days", "2025-04-03 05:00:00"),
        })

    def test_upgrade_moves_the_plan_job_to_every_hour_unless_changed(self):
        """19.0.1.5.0: the plan's job, still as installed (every day at 19:00 UTC), runs every
        hour from the next hour; a schedule an administrator changed is left as it is."""
        cron = self.env.ref("jxc_addon.ir_cron_jxc_purchase_plan_refresh")
        with freeze_time("2025-04-02 10:20:00"):
            cron.write({"interval_type": "days", "nextcall": "2025-04-02 19:00:00"})
            run_migration(self.env, "19.0.1.5.0")
            self.assertEqual((cron.interval_number, cron.interval_type, str(cron.nextcall)),
                             (1, "hours", "2025-04-02 11:00:00"))
            cron.write({"interval_type": "days", "nextcall": "2025-04-02 21:00:00"})
            run_migration(self.env, "19.0.1.5.0")
            self.assertEqual((cron.interval_type, str(cron.nextcall)), ("days", "2025-04-02 21:00:00"))
