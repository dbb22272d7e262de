"""Safety stock, forecast and reordering rules computed through the ORM on real done
moves (fixtures and hand computations in safety_common.py).

The statistical formulas are the ones of Chopra & Meindl, *Supply Chain Management*,
chapter "Safety Inventory" (ss = z sigma_D sqrt(L); with lead-time variability
ss = z sqrt(L sigma_D^2 + D^2 s_L^2)); test_safety_formulas.py checks them on the
book's worked examples, these tests on this company's own deliveries. Odoo reviews the
minimum once a day, so the safety stock adds the undershoot U of a day's demand (Silver,
Pyke & Thomas, ch. 7): ss = E[U] + z sqrt(sigma_L^2 + Var U), see tools/inventory_policy.py.
"""

import math
from datetime import date, datetime
from unittest.mock import patch

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import SUPERUSER_ID
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger

from ..models import jxc_planning_engine as planning_engine
from ..tools.safety_stock_math import round_order_quantity
from .common import run_migration
from .safety_common import SafetyStockCommon


@tagged("post_install", "-at_install")
class TestSafetyStockComputation(SafetyStockCommon):
    def test_rule_of_a_product_no_rule_applies_to_is_released(self):
        """The Gizmo moves to a category no safety-stock rule covers: its reordering rule is no
        longer managed at once (kept with its last levels, the change logged; the other
        products' rules and classes untouched), the next update leaves it alone and the
        purchase plan no longer shows it."""
        self._compute()
        op = self._orderpoint(self.product_3)
        levels = (op.product_min_qty, op.product_max_qty)
        self.assertIn(op, self.env["jxc.purchase.plan"]._refresh(self.company).orderpoint_id)
        self.product_3.sudo().jxc_demand_class = "lumpy"  # as an earlier computation on its sales left it
        self.product_1.sudo().jxc_demand_class = "erratic"
        self.product_3.categ_id = self.env["product.category"].create({"name": "JXC Unplanned"})
        self.assertEqual((op.jxc_rule_id, op.product_min_qty, op.product_max_qty), (self.env["jxc.safety.stock.rule"], *levels))
        self.assertEqual(self.product_1.jxc_demand_class, "erratic")
        counts = self._compute()
        self.assertEqual((counts["released"], counts["unchanged"]), (0, 3))
        log = self.env["jxc.safety.stock.log"].search([("orderpoint_id", "=", op.id)], order="id desc", limit=1)
        self.assertEqual((log.operation, log.rule_id, log.new_min_qty), ("release", self.rule_category, levels[0]))
        self.assertFalse(self.product_3.jxc_demand_class)
        self.assertEqual(self._compute()["released"], 0)
        self.assertNotIn(op, self.env["jxc.purchase.plan"]._refresh(self.company).orderpoint_id)

    def test_levels_follow_the_rule_that_applies_now(self):
        """What applies to a product changes: its reordering rule follows at once, as the product
        form's Safety Stock Rule does, not at the next weekly update. Moved to another category,
        it takes that category's rule; that rule archived, the broader one again; its ABC class
        fixed by hand, the class rule. A rule's settings change many products at once: the
        weekly update is set to run now, in the background."""
        self._compute()
        op = self._orderpoint(self.product_3)
        self.assertEqual(op.jxc_rule_id, self.rule_category)
        cron = self.env.ref("jxc_addon.ir_cron_jxc_update_orderpoints")
        Trigger = self.env["ir.cron.trigger"].sudo()
        Trigger.search([("cron_id", "=", cron.id)]).unlink()  # as the job's last run cleared them
        bulk = self.env["product.category"].create({"name": "JXC Bulk"})
        rule_bulk = self.env["jxc.safety.stock.rule"].create({
            "name": "Bulk", "categ_id": bulk.id, "method": "fixed", "fixed_qty": 100.0, "history_days": 10})
        self.assertEqual(Trigger.search_count([("cron_id", "=", cron.id)]), 1)
        self.product_3.categ_id = bulk
        self.assertEqual((op.jxc_rule_id, op.jxc_safety_stock), (rule_bulk, 100.0))
        self.assertEqual(self.product_3.jxc_safety_stock_rule_id, rule_bulk)
        self.assertGreaterEqual(op.product_min_qty, 100.0)
        # archived, no rule applies to its category: released at once, its levels kept
        rule_bulk.action_archive()
        self.assertEqual((op.jxc_rule_id, op.jxc_safety_stock), (self.env["jxc.safety.stock.rule"], 100.0))
        self.assertEqual(Trigger.search_count([("cron_id", "=", cron.id)]), 1)
        self.product_3.categ_id = self.category
        self.assertEqual((op.jxc_rule_id, op.jxc_safety_stock), (self.rule_category, 5.0))
        # more products than a request recomputes: the background update instead (each time as
        # if the run before had cleared its trigger)
        Trigger.search([("cron_id", "=", cron.id)]).unlink()
        with patch.object(planning_engine, "AT_ONCE_PRODUCTS", 1):
            (self.product_3 | self.product_1).product_tmpl_id.categ_id = bulk
        self.assertEqual((op.jxc_rule_id, op.jxc_safety_stock), (self.rule_category, 5.0))
        self.assertEqual(Trigger.search_count([("cron_id", "=", cron.id)]), 1)
        (self.product_3 | self.product_1).product_tmpl_id.categ_id = self.category
        Trigger.search([("cron_id", "=", cron.id)]).unlink()
        self.rule_category.service_level = 97.0
        self.assertEqual(Trigger.search_count([("cron_id", "=", cron.id)]), 1)
        Trigger.search([("cron_id", "=", cron.id)]).unlink()
        self.rule_category.name = "JXC goods (renamed)"
        self.assertEqual(Trigger.search_count([("cron_id", "=", cron.id)]), 0)
        # its ABC class fixed by hand on the default classification: the class-A rule at once
        profile = self.env["jxc.abc.profile"].create({"name": "JXC default", "is_default": True})
        result = self.env["jxc.abc.result"].sudo().create({
            "profile_id": profile.id, "product_id": self.product_3.id, "abc_class": "c", "computed_class": "c"})
        result.write({"override_class": "a", "override_reason": "Key spare part"})
        self.assertEqual(self.product_3.with_company(self.company).jxc_abc_class, "a")
        self.assertEqual(op.jxc_rule_id, self.rule_class_a)

    def test_locked_rule_stays_when_its_rule_is_archived(self):
        """A locked reordering rule is left as it is when its safety-stock rule is archived, as
        the update leaves it: still linked, its levels kept, nothing logged, though another rule
        applies to its product now; the unlocked one archived with it is released. Deleting the
        rule releases the locked one too (the link itself is gone)."""
        self._compute()
        locked, unlocked = self._orderpoint(self.product_1), self._orderpoint(self.product_3)
        self.assertEqual((locked.jxc_rule_id, unlocked.jxc_rule_id), (self.rule_class_a, self.rule_category))
        locked.action_jxc_lock()
        levels = (locked.product_min_qty, locked.product_max_qty, locked.jxc_safety_stock)
        Log = self.env["jxc.safety.stock.log"]
        logs = Log.search_count([("orderpoint_id", "=", locked.id)])
        self.rule_class_a.action_archive()
        self.assertEqual(
            (locked.jxc_rule_id, locked.product_min_qty, locked.product_max_qty, locked.jxc_safety_stock),
            (self.rule_class_a, *levels),
        )
        self.assertEqual(Log.search_count([("orderpoint_id", "=", locked.id)]), logs)
        self.rule_category.action_archive()
        self.assertEqual(locked.jxc_rule_id, self.rule_class_a)
        self.assertFalse(unlocked.jxc_rule_id)
        self.assertEqual(Log.search([("orderpoint_id", "=", unlocked.id)], order="id desc", limit=1).operation, "release")
        self.rule_class_a.unlink()
        self.assertEqual((locked.jxc_rule_id, locked.product_min_qty), (self.env["jxc.safety.stock.rule"], levels[0]))
        self.assertEqual(Log.search([("orderpoint_id", "=", locked.id)], order="id desc", limit=1).operation, "release")

    def test_rule_of_a_subcategory_wins_over_its_parents(self):
        """Two category rules, one of the Gizmo's category and one of a subcategory: a product of
        the subcategory takes the subcategory's rule, whatever the sequences and which came first
        (as Odoo's putaway rules take the closest category). A subcategory moved under another
        parent changes its products' rule at once."""
        self._compute()
        op = self._orderpoint(self.product_3)
        spares = self.env["product.category"].create({"name": "JXC Spares", "parent_id": self.category.id})
        rule_spares = self.env["jxc.safety.stock.rule"].create({
            "name": "Spares", "categ_id": spares.id, "method": "fixed", "fixed_qty": 100.0, "history_days": 10,
            "sequence": self.rule_category.sequence + 10})
        self.assertEqual(rule_spares.specificity, self.rule_category.specificity)
        self.product_3.categ_id = spares
        self.assertEqual(self.product_3.jxc_safety_stock_rule_id, rule_spares)
        self.assertEqual((op.jxc_rule_id, op.jxc_safety_stock), (rule_spares, 100.0))
        # a subcategory without a rule of its own moved under another category: the rule of
        # its new parent, at once
        tools = self.env["product.category"].create({"name": "JXC Tools", "parent_id": self.category.id})
        self.product_3.categ_id = tools
        self.assertEqual((op.jxc_rule_id, op.jxc_safety_stock), (self.rule_category, 5.0))
        bulk = self.env["product.category"].create({"name": "JXC Bulk"})
        rule_bulk = self.env["jxc.safety.stock.rule"].create({
            "name": "Bulk", "categ_id": bulk.id, "method": "fixed", "fixed_qty": 50.0, "history_days": 10})
        tools.parent_id = bulk
        self.product_3.invalidate_recordset(["jxc_safety_stock_rule_id"])
        self.assertEqual(self.product_3.jxc_safety_stock_rule_id, rule_bulk)
        self.assertEqual((op.jxc_rule_id, op.jxc_safety_stock), (rule_bulk, 50.0))

    def test_levels_follow_the_vendor_lines_at_once(self):
        """A buyer changes the delay of the Widget's vendor line: its reordering rule's lead time
        and levels follow at once (as Odoo's forecast follows the delay), not at the next weekly
        update (once per transaction, before it commits); the line deleted, the other vendor
        takes over; a new vendor code changes nothing. A vendor's grade or the company's purchase
        lead time changed, the update of every rule runs in the background."""
        op = self._computed_orderpoint(self.product_1)
        seller = op.supplier_id
        lead_time, min_qty = op.jxc_lead_time, op.product_min_qty
        Log = self.env["jxc.safety.stock.log"]
        logs = Log.search_count([("orderpoint_id", "=", op.id)])
        seller.delay += 10
        self.assertEqual(op.jxc_lead_time, lead_time)
        self.env.cr.flush()  # before the transaction commits, once for all the lines changed in it
        self.assertEqual(op.jxc_lead_time, lead_time + 10)
        self.assertGreater(op.product_min_qty, min_qty)
        self.assertEqual(Log.search_count([("orderpoint_id", "=", op.id)]), logs + 1)
        # as the weekly update computes it
        self.assertEqual(self._compute()["updated"], 0)
        seller.product_code = "W-NEW"
        self.env.cr.flush()
        self.assertEqual(Log.search_count([("orderpoint_id", "=", op.id)]), logs + 1)
        other = self.product_1.seller_ids - seller
        # lines of two products changed in one transaction: one update of both, before it commits
        Engine = type(self.env["jxc.planning.engine"])
        with patch.object(Engine, "_update_products", autospec=True, side_effect=Engine._update_products) as update:
            seller.unlink()
            self.product_3.seller_ids.delay += 1
            self.assertFalse(update.called)
            self.env.cr.flush()
        self.assertEqual(update.call_count, 1)
        self.assertEqual(update.call_args.args[1], self.product_1 | self.product_3)
        self.assertEqual((op.supplier_id, op.jxc_lead_time), (other, other.delay + self.company.days_to_purchase))
        # a vendor graded again (an evaluation grades them all): every rule, in the background
        cron = self.env.ref("jxc_addon.ir_cron_jxc_update_orderpoints")
        Trigger = self.env["ir.cron.trigger"].sudo()
        Trigger.search([("cron_id", "=", cron.id)]).unlink()  # as the job's run clears them
        self.vendor_a.with_company(self.company).jxc_supplier_grade = "c"
        self.assertEqual(Trigger.search_count([("cron_id", "=", cron.id)]), 1)
        # the next vendor graded while that run is due: the same run (one trigger, one wake-up)
        self.vendor_b.with_company(self.company).jxc_supplier_grade = "b"
        self.assertEqual(Trigger.search_count([("cron_id", "=", cron.id)]), 1)
        Trigger.search([("cron_id", "=", cron.id)]).unlink()
        # the company's settings the rules are computed with: saved unchanged, nothing; changed, too
        self.company.jxc_ordering_cost = self.company.jxc_ordering_cost
        self.assertEqual(Trigger.search_count([("cron_id", "=", cron.id)]), 0)
        self.company.days_to_purchase += 1
        self.assertEqual(Trigger.search_count([("cron_id", "=", cron.id)]), 1)
        Trigger.search([("cron_id", "=", cron.id)]).unlink()
        self.vendor_a.with_company(self.company).comment = "Prefers e-mail"
        self.assertEqual(Trigger.search_count([("cron_id", "=", cron.id)]), 0)

    def test_rules_of_a_company_whose_last_rule_was_archived_are_released(self):
        """The company archives its only safety-stock rule: the weekly job still visits it and
        releases its reordering rules (kept with their last levels, logged), which the purchase
        plan no longer shows as managed."""
        self._compute()
        managed = self.Orderpoint.search([("jxc_rule_id", "!=", False), ("company_id", "=", self.company.id)])
        self.assertEqual(len(managed), 4)
        levels = managed.read(["product_min_qty", "product_max_qty"])
        self.env["jxc.safety.stock.rule"].search([("company_id", "=", self.company.id)]).action_archive()
        self.assertFalse(self.env["jxc.safety.stock.rule"].search([("company_id", "=", self.company.id)]))
        self.env["stock.warehouse.orderpoint"]._jxc_cron_update_orderpoints()
        self.assertFalse(managed.jxc_rule_id)
        self.assertEqual(managed.read(["product_min_qty", "product_max_qty"]), levels)
        self.assertEqual(self.env["jxc.safety.stock.log"].search_count(
            [("orderpoint_id", "in", managed.ids), ("operation", "=", "release")]), 4)
        self.assertFalse(self.env["jxc.purchase.plan"].search([("orderpoint_id", "in", managed.ids)]))

    def test_deleted_rule_releases_its_reordering_rules(self):
        """A manager deletes the Gadget's own rule: the release of its reordering rule is logged
        (the rule it was managed by now gone) and the category's rule takes it over at once."""
        self._compute()
        op = self._orderpoint(self.product_2)
        self.assertEqual(op.jxc_rule_id, self.rule_product_2)
        levels = (op.product_min_qty, op.product_max_qty)
        self.assertIn(op, self.env["jxc.purchase.plan"]._refresh(self.company).orderpoint_id)
        self.rule_product_2.unlink()
        release = self.env["jxc.safety.stock.log"].search(
            [("orderpoint_id", "=", op.id), ("operation", "=", "release")], order="id desc", limit=1)
        self.assertEqual((release.rule_id, release.old_min_qty, release.new_min_qty),
                         (self.env["jxc.safety.stock.rule"], levels[0], levels[0]))
        # at once, the category's rule takes it over
        self.assertEqual(op.jxc_rule_id, self.rule_category)
        self.assertEqual(self.env["jxc.safety.stock.log"].search(
            [("orderpoint_id", "=", op.id)], order="id desc", limit=1).rule_id, self.rule_category)
        self.assertEqual(self._compute()["updated"], 0)

    def test_deleting_a_rule_needs_the_right_to_delete_it(self):
        """A user who may not delete safety-stock rules releases nothing by trying."""
        self._compute()
        op = self._orderpoint(self.product_2)
        user = new_test_user(self.env, "jxc_ss_reader", groups="stock.group_stock_user,jxc_addon.group_jxc_user",
                             company_id=self.company.id)
        with self.assertRaises(AccessError):
            self.rule_product_2.with_user(user).unlink()
        self.assertEqual(op.jxc_rule_id, self.rule_product_2)

    def test_criterion_of_a_rule_cannot_be_deleted(self):
        """Deleting the product or category a rule applies to would empty the criterion, and the
        rule, as specific as before, would then apply to every product: refused by the database
        (Odoo's "archive it instead"). Odoo then archives a variant it cleans up instead."""
        product = self.env["product.product"].create(self._prepare_product_vals("JXC Draft", 1.0, 2.0, "JXC-DRAFT"))
        category = self.env["product.category"].create({"name": "JXC Seasonal"})
        self.env["jxc.safety.stock.rule"].create([
            {"name": "Draft only", "product_id": product.id, "method": "fixed", "fixed_qty": 500.0},
            {"name": "Seasonal", "categ_id": category.id, "method": "fixed", "fixed_qty": 200.0},
        ])
        for record in (product, category):
            with self.subTest(record=record._name), self.assertRaises(IntegrityError), \
                    mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                record.unlink()
        product._unlink_or_archive()
        self.assertTrue(product.exists())
        self.assertFalse(product.active)
        self.assertEqual(self._computed_orderpoint(self.product_1).jxc_rule_id, self.rule_class_a)

    def test_class_service_levels_are_for_the_cycle_target(self):
        """A fill-rate target is the same for every class: the rule's form hides the class levels
        (which only a cycle service level takes) and no longer checks them."""
        with Form(self.rule_class_a) as form:
            form.service_level_by_abc = True
            self.assertFalse(form._get_modifier("service_level_a", "invisible"))
            form.service_target = "fill_rate"
            self.assertTrue(all(form._get_modifier(name, "invisible") for name in (
                "service_level_by_abc", "service_level_a", "service_level_b", "service_level_c")))
        self.rule_class_a.service_level_a = 30.0  # left from before, not taken
        self._compute()
        self.assertEqual(self._orderpoint(self.product_1).jxc_service_level, self.rule_class_a.fill_rate)
        with self.assertRaisesRegex(ValidationError, "class A service level"):
            self.rule_class_a.service_target = "cycle"

    def test_statistical_abc_service_level_with_zero_days(self):
        counts = self._compute()
        self.assertEqual(counts, {"created": 4, "updated": 0, "unchanged": 0, "skipped_locked": 0, "released": 0})
        op = self._orderpoint(self.product_1)
        # The class-A rule (ABC class beats category) with the class-A service level 98 %.
        self.assertEqual(op.jxc_rule_id, self.rule_class_a)
        self.assertEqual(self.product_1.jxc_safety_stock_rule_id, self.rule_class_a)
        self.assertEqual(op.jxc_service_level, 98.0)
        # 10 days, 4 of them with demand: mean 45 / 10, sigma sqrt(422.5 / 9).
        self.assertAlmostEqual(op.jxc_demand_mean, 4.5)
        self.assertAlmostEqual(op.jxc_demand_stddev, 6.8516, places=4)
        # Vendor B (grade A) beats the cheaper vendor A (grade B): promised 3 days.
        self.assertEqual(op.supplier_id.partner_id, self.vendor_b)
        self.assertEqual(op.jxc_lead_time_source, "promised")
        self.assertEqual(op.jxc_lead_time, 3.0)
        # Odoo checks the minimum once a day, after the day's demand: the stock is below it by
        # the undershoot U, E[U] = E[D^2] / (2 E[D]) = 62.5 / 9 = 6.944444 and Var U =
        # E[D^3] / (3 E[D]) - E[U]^2 = 1012.5 / 13.5 - 48.225309 = 26.774691 (days of 0, 10, 0,
        # 20, 5, 0, 0, 10, 0, 0). sigma_L = 6.851602 x sqrt(3) = 11.867322, with the undershoot
        # sqrt(140.833333 + 26.774691) = 12.946352; ss = 6.944444 + 2.053749 x 12.946352 =
        # 33.5330 -> 33.54 (rounded up to 0.01), 2.8257 deviations (the textbook z sigma_L,
        # 24.37, would ignore the undershoot).
        self.assertAlmostEqual(op.jxc_safety_stock, 33.54)
        self.assertAlmostEqual(op.jxc_z, 2.8257, places=4)
        # Forecast (moving average): 4.5 x 3 = 13.5 over the lead time, 4.5 x 7 = 31.5 over the review.
        self.assertEqual(op.jxc_forecast_method, "moving_average")
        self.assertAlmostEqual(op.jxc_forecast_lt, 13.5)
        self.assertAlmostEqual(op.jxc_forecast_qty, 45.0)
        # Reorder point 13.5 + 33.54 = 47.04 -> 48 whole units; max adds the review demand 31.5
        # raised to vendor B's minimum 40.
        self.assertEqual(op.product_min_qty, 48.0)
        self.assertEqual(op.product_max_qty, 88.0)
        self.assertEqual(op.trigger, "auto")

    def test_upgrade_updates_the_rules_at_once(self):
        """The upgrade to 19.0.1.17.0 (the undershoot counted) sets the update of every rule to
        run in the background at once, not at the next weekly run."""
        cron = self.env.ref("jxc_addon.ir_cron_jxc_update_orderpoints")
        Trigger = self.env["ir.cron.trigger"].sudo()
        Trigger.search([("cron_id", "=", cron.id)]).unlink()
        run_migration(self.env, "19.0.1.17.0")
        self.assertEqual(Trigger.search([("cron_id", "=", cron.id)]).call_at, datetime(2025, 6, 30, 4, 0))

    def test_lead_time_variability_measured(self):
        """Two receipts (after 4 and 6 days) are too few to measure the vendor by (one alone
        would have no spread at all): the promised 5 days, without spread. A third receipt, after
        9 days, and the lead time is measured."""
        op = self._computed_orderpoint(self.product_2)
        self.assertEqual(op.jxc_rule_id, self.rule_product_2)
        self.assertEqual((op.jxc_lead_time_source, op.jxc_lead_time, op.jxc_lead_time_stddev), ("promised", 5.0, 0.0))
        # 30 days, 3 with demand: mean 0.8, variance (216 - 30 x 0.64) / 29 = 6.786207.
        self.assertAlmostEqual(op.jxc_demand_mean, 0.8)
        self.assertAlmostEqual(op.jxc_demand_stddev, 2.6050, places=4)
        # Undershoot of the days 6, 12, 6 in 30: E[U] = 7.2 / 1.6 = 4.5, Var U = 72 / 2.4 - 20.25 =
        # 9.75; ss = 4.5 + 1.644854 x sqrt(2.605035^2 x 5 + 9.75) = 4.5 + 1.644854 x 6.609163 =
        # 15.3711 -> 15.38 (rounded up to 0.01)
        self.assertAlmostEqual(op.jxc_safety_stock, 15.38)
        self._buy_gadgets_in_nine_days(self.vendor_a)
        op = self._computed_orderpoint(self.product_2)
        # Receipts after 4, 6 and 9 days: mean 19 / 3 = 6.3333, sample variance 19 / 3 (sigma 2.5166).
        self.assertEqual(op.jxc_lead_time_source, "measured")
        self.assertAlmostEqual(op.jxc_lead_time, 6.33)
        self.assertAlmostEqual(op.jxc_lead_time_stddev, 2.52)
        # sigma_L = sqrt(19/3 x 6.786207 + 0.8^2 x 19/3) = 6.858034 (without the lead-time
        # variability 2.605035 x sqrt(19/3) = 6.56); ss = 4.5 + 1.644854 x sqrt(6.858034^2 + 9.75)
        # = 4.5 + 1.644854 x 7.535426 = 16.8947 -> 16.90
        self.assertAlmostEqual(op.jxc_safety_stock, 16.90)
        # Reorder point 0.8 x 19/3 + 16.90 = 21.97 -> 22; max + 0.8 x 7 = 5.6 -> 28.
        self.assertEqual(op.product_min_qty, 22.0)
        self.assertEqual(op.product_max_qty, 28.0)

    def test_dropship_is_no_receipt_of_the_lead_time(self):
        """A third order of Gadgets from vendor A, delivered by the vendor straight to a customer
        9 days later (dropship): no receipt into the stock, so still two receipts, too few to
        measure the vendor by: the promised 5 days. The supplier evaluation still counts it."""
        with freeze_time("2025-06-16 02:00:00"):
            order = self._create_purchase(self.vendor_a, [(self.product_2, 20.0, 4.0)])
        customers = self.env.ref("stock.stock_location_customers")
        order.picking_ids.write({"location_dest_id": customers.id})
        order.picking_ids.move_ids.write({"location_dest_id": customers.id})
        with freeze_time("2025-06-25 02:00:00"):
            self._receive(order)
        self.assertEqual(order.picking_ids.move_ids.mapped("state"), ["done"])
        op = self._computed_orderpoint(self.product_2)
        self.assertEqual((op.jxc_lead_time_source, op.jxc_lead_time), ("promised", 5.0))
        stats = self.env["purchase.order.line"]._get_jxc_lead_time_stats(
            datetime(2025, 6, 1), datetime(2025, 7, 1), self.company, product_ids=self.product_2.ids, by_product=True)
        self.assertEqual(stats[self.vendor_a.id, self.product_2.id]["count"], 3)

    def test_days_to_purchase_in_the_lead_time(self):
        """Odoo's lead days of a buy rule add the company's Days to Purchase to the vendor's
        lead time: the rule is planned on the same days as Odoo orders it."""
        self.company.days_to_purchase = 3
        op = self._computed_orderpoint(self.product_3)
        self.assertEqual(op.jxc_lead_time, 13.0)  # vendor 10 + 3
        self.assertEqual(op.lead_days, 13.0)      # Odoo's own
        plan = self.env["jxc.purchase.plan"]._refresh(self.company)  # today 30 June (setUp)
        # vendor B brings Widgets 3 days after an order placed 3 days from now
        line = plan.filtered(lambda line: line.product_id == self.product_1)
        self.assertEqual(line.expected_date, date(2025, 7, 6))

    def test_no_history_fallback(self):
        op = self._computed_orderpoint(self.product_3)
        self.assertEqual(op.jxc_rule_id, self.rule_category)
        self.assertEqual(op.jxc_forecast_method, "no_history")
        self.assertEqual((op.jxc_demand_mean, op.jxc_demand_stddev, op.jxc_forecast_qty), (0.0, 0.0, 0.0))
        # The rule's explicit fallback quantity, no division by zero.
        self.assertEqual(op.jxc_safety_stock, 5.0)
        self.assertEqual((op.product_min_qty, op.product_max_qty), (5.0, 5.0))
        self.assertEqual(op.jxc_lead_time, 10.0)
        # a vendor selling no fewer than 12: the maximum leaves room for one such order, or Odoo's
        # scheduler would order 5 of a vendor's 12
        op.supplier_id.min_qty = 12.0
        self._compute()
        self.assertEqual((op.product_min_qty, op.product_max_qty), (5.0, 17.0))

    def test_one_period_of_history_has_the_fallback_safety_stock(self):
        """The Gizmo came in on 29 June and sold 20 that day: one day of history [20], no
        deviation to measure. The forecast follows the 20 a day; the safety stock is the rule's
        5 for new products, not 0: reorder point 20 x 10 days + 5 = 205."""
        with freeze_time("2025-06-29 02:00:00"):
            self._set_on_hand(self.product_3, 30.0)
            self._deliver(self._create_sale(self.customer_a, [(self.product_3, 20.0, 60.0)]))
        op = self._computed_orderpoint(self.product_3)
        self.assertEqual((op.jxc_demand_mean, op.jxc_demand_stddev, op.jxc_lead_time), (20.0, 0.0, 10.0))
        self.assertEqual((op.jxc_safety_stock, op.product_min_qty), (5.0, 205.0))

    def test_lapsed_vendor_line_keeps_its_promised_lead_time(self):
        """The Gizmo's only vendor line ended yesterday: no vendor for the rule (Odoo cannot buy
        it at a valid price), but the lead time stays the 10 days its vendor promised, not 0,
        so the reorder point still covers the demand until it arrives."""
        op = self._computed_orderpoint(self.product_3)
        self.assertEqual((op.jxc_lead_time, len(op.supplier_id)), (10.0, 1))
        self.product_3.seller_ids.date_end = date(2025, 6, 29)
        op = self._computed_orderpoint(self.product_3)
        self.assertEqual((op.jxc_lead_time, op.jxc_lead_time_source, op.supplier_id), (10.0, "promised", op.supplier_id.browse()))

    def test_unsold_product_is_not_new(self):
        """A product in the warehouse since before its 10-day window [20 June, 30 June) and not
        sold once in it has a demand of zero, not the rule's quantity for new products: dead
        stock is not replenished. One that came in during the window is still new."""
        with freeze_time("2025-06-25 02:00:00"):
            self._set_on_hand(self.product_3, 12.0)  # came in during the window: new
        op = self._computed_orderpoint(self.product_3)
        self.assertEqual((op.jxc_forecast_method, op.jxc_safety_stock, op.product_min_qty), ("no_history", 5.0, 5.0))
        with freeze_time("2025-06-20 02:00:00"):  # 10:00 on the window's first day in Shanghai
            self._set_on_hand(self.product_3, 11.0)
        op = self._computed_orderpoint(self.product_3)
        self.assertEqual(op.jxc_forecast_method, "moving_average")
        self.assertEqual((op.jxc_demand_mean, op.jxc_demand_stddev, op.jxc_forecast_qty), (0.0, 0.0, 0.0))
        self.assertEqual((op.jxc_safety_stock, op.product_min_qty, op.product_max_qty), (0.0, 0.0, 0.0))
        self.assertFalse(op.jxc_forecast_wape)  # nothing to measure an error against

    def test_bulk_return_does_not_widen_the_deviation(self):
        """The Gizmo sells 4 a day over its 10-day window, but on 25 June a customer returns 30
        bought before it: that day's net demand is 4 - 30 = -26. The mean counts the return
        ((40 - 30) / 10 = 1 a day); the deviation takes that day as no demand (nine 4s and a 0:
        1.2649), not as -26 (9.4868), which would raise the safety stock for goods coming back."""
        with freeze_time("2025-06-01 02:00:00"):
            self._set_on_hand(self.product_3, 200.0)
        with freeze_time("2025-06-10 02:00:00"):
            early = self._deliver(self._create_sale(self.customer_b, [(self.product_3, 30.0, 60.0)]))
        for day in range(20, 30):
            with freeze_time("2025-06-%02d 02:00:00" % day):
                self._deliver(self._create_sale(self.customer_a, [(self.product_3, 4.0, 60.0)]))
        with freeze_time("2025-06-25 03:00:00"):
            self._return_picking(early, {self.product_3: 30.0})
        op = self._computed_orderpoint(self.product_3)
        self.assertAlmostEqual(op.jxc_demand_mean, 1.0)
        expected = math.sqrt((9 * 4.0**2 - 10 * 3.6**2) / 9)  # nine 4s and a 0: mean 3.6
        self.assertAlmostEqual(expected, 1.2649, places=4)
        self.assertAlmostEqual(op.jxc_demand_stddev, round(expected, 4))

    def test_product_carried_elsewhere_is_not_new(self):
        """A second warehouse that never had the Gizmo, while the first received it during the
        window: new in the first (the rule's 5 for new products), not carried in the second
        (minimum 0), where Odoo would otherwise buy 5. A product never in any warehouse of the
        company is new in both."""
        warehouse_2 = self.env["stock.warehouse"].create({"name": "JXC Shop", "code": "JXS"})
        self._compute()
        op_shop = self.Orderpoint.search([("product_id", "=", self.product_3.id), ("warehouse_id", "=", warehouse_2.id)])
        self.assertEqual((op_shop.jxc_forecast_method, op_shop.jxc_safety_stock, op_shop.product_min_qty),
                         ("no_history", 5.0, 5.0))
        with freeze_time("2025-06-25 02:00:00"):
            self._set_on_hand(self.product_3, 12.0)
        op = self._computed_orderpoint(self.product_3)
        self.assertEqual((op.jxc_forecast_method, op.jxc_safety_stock, op.product_min_qty), ("no_history", 5.0, 5.0))
        self.assertEqual((op_shop.jxc_forecast_method, op_shop.jxc_demand_mean, op_shop.jxc_safety_stock,
                          op_shop.product_min_qty, op_shop.product_max_qty), ("moving_average", 0.0, 0.0, 0.0, 0.0))

    def test_seasonal_product(self):
        op = self._computed_orderpoint(self.product_4)
        self.assertEqual(op.jxc_rule_id, self.rule_product_4)
        self.assertEqual(op.jxc_forecast_method, "seasonal")
        # Trend: 15 in the last 14 days / 10 in the same 14 days a year ago.
        self.assertAlmostEqual(op.jxc_trend, 1.5)
        # Lead time 5 days a year ago (1-5 July 2024): 30 x 1.5; review 7 days (6-12 July): 20 x 1.5.
        self.assertAlmostEqual(op.jxc_forecast_lt, 45.0)
        self.assertAlmostEqual(op.jxc_forecast_review, 30.0)
        self.assertAlmostEqual(op.jxc_forecast_qty, 75.0)
        self.assertEqual(op.jxc_safety_stock, 8.0)
        self.assertEqual((op.product_min_qty, op.product_max_qty), (53.0, 83.0))
        # Not marked seasonal: moving average of the last 10 days (15 / 10 = 1.5 a day).
        self.product_4.jxc_seasonal = False
        self._compute()
        self.assertEqual(op.jxc_forecast_method, "moving_average")
        self.assertAlmostEqual(op.jxc_forecast_qty, 1.5 * 12)

    def test_seasonal_product_returned_above_its_sales(self):
        """20 of last year's Parkas come back on 26 June 2025: this year's trend window nets
        15 - 20 = -5. The trend is 0, not -0.5: the forecast is 0 (not -15 and -10) and the
        rule keeps its fixed safety stock of 8 (not levels of 0). Last year's method's MASE is
        not shown beside the seasonal forecast."""
        delivery = self.env["stock.picking"].search([
            ("product_id", "=", self.product_4.id), ("picking_type_code", "=", "outgoing"),
            ("date_done", ">=", "2024-07-01"), ("date_done", "<", "2024-07-03")])
        with freeze_time("2025-06-26 02:00:00"):
            self._return_picking(delivery, {self.product_4: 20.0})
        op = self._computed_orderpoint(self.product_4)
        self.assertEqual((op.jxc_forecast_method, op.jxc_trend, op.jxc_forecast_lt, op.jxc_forecast_review),
                         ("seasonal", 0.0, 0.0, 0.0))
        self.assertEqual((op.jxc_safety_stock, op.product_min_qty, op.product_max_qty), (8.0, 8.0, 8.0))
        self.assertEqual(op.jxc_forecast_mase, 0.0)

    def test_seasonal_product_new_during_last_years_windows(self):
        """A seasonal Scarf came in on 25 June 2024, inside last year's 14-day trend window
        (17-30 June 2024): 4 sold then, 30 in the lead time a year ago, 15 in the last 14 days.
        Its year-ago figures cover part of a window (trend 15 / 4 = 3.75, lead time 30 x 3.75
        = 112.5): it keeps the moving average, 15 / 10 days x (5 + 7) = 18."""
        scarf = self.env["product.product"].create({
            **self._prepare_product_vals("JXC Scarf", 20.0, 60.0, "JXC-014"), "jxc_seasonal": True,
            "seller_ids": [Command.create({"partner_id": self.vendor_a.id, "price": 20.0, "delay": 5})],
        })
        self.env["jxc.safety.stock.rule"].create({
            "name": "Scarf", "product_id": scarf.id, "method": "fixed", "fixed_qty": 8.0,
            "history_days": 10, "review_days": 7, "trend_days": 14,
        })
        with freeze_time("2024-06-25 02:00:00"):
            self._set_on_hand(scarf, 100.0)
        for when, qty in (("2024-06-28 02:00:00", 4.0), ("2024-07-02 02:00:00", 30.0), ("2025-06-25 02:00:00", 15.0)):
            with freeze_time(when):
                self._deliver(self._create_sale(self.customer_a, [(scarf, qty, 60.0)]))
        op = self._computed_orderpoint(scarf)
        self.assertEqual((op.jxc_forecast_method, op.jxc_lead_time), ("moving_average", 5.0))
        self.assertAlmostEqual(op.jxc_forecast_qty, 18.0)
        # the Parka, there since 1 June 2024, is still forecast from last year
        self.assertEqual(self._orderpoint(self.product_4).jxc_forecast_method, "seasonal")

    def test_seasonal_fractional_lead_time(self):
        """A lead time of 6.5 days (5 promised + 1.5 to place the order) takes half of the
        seventh day a year ago (7 July 2024: 10 sold): lead time 30 + 5 = 35 x 1.5 = 52.5; the
        review period the other half, the 20 of 8 July and half of 14 July (nothing): 25 x 1.5
        = 37.5. Not a rounded 6 days (45 and 45)."""
        with freeze_time("2024-07-07 02:00:00"):
            self._deliver(self._create_sale(self.customer_a, [(self.product_4, 10.0, 60.0)]))
        self.company.days_to_purchase = 1.5
        op = self._computed_orderpoint(self.product_4)
        self.assertEqual((op.jxc_forecast_method, op.jxc_lead_time, op.jxc_trend), ("seasonal", 6.5, 1.5))
        self.assertEqual((op.jxc_forecast_lt, op.jxc_forecast_review), (52.5, 37.5))
        # A review period of none forecasts nothing after the lead time.
        self.rule_product_4.review_days = 0
        self._compute()
        self.assertEqual((op.jxc_forecast_lt, op.jxc_forecast_review), (52.5, 0.0))

    def test_recompute_twice_changes_nothing(self):
        self._compute()
        logs = self.env["jxc.safety.stock.log"].search([("company_id", "=", self.company.id)])
        self.assertEqual(len(logs), 4)
        self.assertEqual(set(logs.mapped("operation")), {"create"})
        values = self.Orderpoint.search([("jxc_rule_id", "!=", False)]).read(["product_min_qty", "product_max_qty", "jxc_safety_stock"])
        self.assertEqual(self._compute(), {"created": 0, "updated": 0, "unchanged": 4, "skipped_locked": 0, "released": 0})
        self.assertEqual(self.env["jxc.safety.stock.log"].search_count([("company_id", "=", self.company.id)]), 4)
        self.assertEqual(
            self.Orderpoint.search([("jxc_rule_id", "!=", False)]).read(["product_min_qty", "product_max_qty", "jxc_safety_stock"]),
            values,
        )

    def test_change_is_logged_days_of_cover(self):
        self._compute()
        self.rule_class_a.write({"method": "days", "cover_days": 10.0})
        self.assertEqual(self._compute()["updated"], 1)
        op = self._orderpoint(self.product_1)
        # 4.5 a day x 10 days = 45; reorder point 13.5 + 45 = 58.5 -> 59; max + 40 (vendor minimum).
        self.assertEqual(op.jxc_safety_stock, 45.0)
        self.assertEqual((op.product_min_qty, op.product_max_qty), (59.0, 99.0))
        log = self.env["jxc.safety.stock.log"].search([("orderpoint_id", "=", op.id), ("operation", "=", "update")])
        self.assertEqual(len(log), 1)
        self.assertEqual((log.rule_id, log.method), (self.rule_class_a, "days"))
        self.assertEqual((log.old_safety_stock, log.new_safety_stock), (33.54, 45.0))
        self.assertEqual((log.old_min_qty, log.new_min_qty), (48.0, 59.0))
        self.assertEqual((log.old_max_qty, log.new_max_qty), (88.0, 99.0))

    def test_weekly_demand(self):
        self.rule_class_a.write({"demand_period": "week", "history_days": 14})
        op = self._computed_orderpoint(self.product_1)
        # Two whole weeks back from yesterday: 16-22 June 5 + 10 = 15, 23-29 June 20 + 5 + 10 = 35:
        # mean 25 a week (25 / 7 a day), sigma sqrt((10^2 + 10^2) / 1) = 14.1421 a week.
        self.assertEqual(op.jxc_demand_period, "week")
        self.assertAlmostEqual(op.jxc_demand_mean, 3.5714, places=4)
        self.assertAlmostEqual(op.jxc_demand_stddev, 14.1421, places=4)
        # Lead time 3 days = 3/7 week: sigma_L = 14.1421 x sqrt(3/7) = 9.258201. Odoo still checks
        # the minimum every day: the undershoot of a day's demand, from the weeks' cumulants per day
        # (mean 25/7, variance 100/7, third central moment 0): E[D^2] = 27.040816, E[D^3] =
        # 198.615160, E[U] = 3.785714, Var U = 4.205782; ss = 3.785714 + 2.053749 x
        # sqrt(9.258201^2 + 4.205782) = 3.785714 + 2.053749 x 9.482619 = 23.2606 -> 23.27.
        self.assertAlmostEqual(op.jxc_safety_stock, 23.27)
        # Reorder point 25/7 x 3 + 23.27 = 33.98 -> 34 whole units; max + 25 raised to the minimum 40.
        self.assertEqual(op.product_min_qty, 34.0)
        self.assertEqual(op.product_max_qty, 74.0)

    def test_warehouse_rule_and_demand_per_warehouse(self):
        warehouse_2 = self.env["stock.warehouse"].create({"name": "JXC Second Warehouse", "code": "JX2"})
        rule_wh2 = self.env["jxc.safety.stock.rule"].create({
            "name": "Second warehouse", "warehouse_id": warehouse_2.id, "method": "fixed", "fixed_qty": 3.0,
            "history_days": 10,
        })
        counts = self._compute()
        self.assertEqual(counts["created"], 8)  # 4 products x 2 warehouses
        op_2 = self.Orderpoint.search([("product_id", "=", self.product_1.id), ("warehouse_id", "=", warehouse_2.id)])
        # Warehouse (4) beats ABC class (2) there; the first warehouse keeps the class-A rule.
        self.assertEqual(op_2.jxc_rule_id, rule_wh2)
        self.assertEqual(self._orderpoint(self.product_1).jxc_rule_id, self.rule_class_a)
        # The product rule (8) beats the warehouse rule.
        op_p2 = self.Orderpoint.search([("product_id", "=", self.product_2.id), ("warehouse_id", "=", warehouse_2.id)])
        self.assertEqual(op_p2.jxc_rule_id, self.rule_product_2)
        # Nothing was delivered from the second warehouse: its demand is its own, none (a
        # product the company carries elsewhere is not new there).
        self.assertEqual((op_2.jxc_demand_mean, op_2.jxc_forecast_method), (0.0, "moving_average"))
        self.assertAlmostEqual(self._orderpoint(self.product_1).jxc_demand_mean, 4.5)
        # A fixed safety stock does not need history; with no demand to size an order, the maximum
        # leaves room for the vendor's minimum (B sells no fewer than 40)
        self.assertEqual((op_2.jxc_safety_stock, op_2.product_min_qty, op_2.product_max_qty), (3.0, 3.0, 43.0))

    def test_moq_and_multiple_rounding(self):
        op = self._computed_orderpoint(self.product_1)
        op.replenishment_uom_id = self._pack_of(12)
        self._compute()
        # Review demand 31.5 -> vendor minimum 40 -> packs of 12: 48, on the reorder point 48.
        self.assertEqual(op.product_max_qty, 48.0 + 48)

    def test_multiple_smaller_than_the_products_unit(self):
        """A product kept in boxes of 12 and replenished by the unit: the multiple is 1/12 of a
        box, not 0.09 (one unit rounded up to the boxes' 0.01), so an order of 1 box stays 1
        box, as Odoo's own rounding to the replenishment unit orders it."""
        box = self._pack_of(12)
        product = self.env["product.product"].create({
            **self._prepare_product_vals("JXC Boxed", 12.0, 30.0, "JXC-BOX"), "uom_id": box.id})
        op = self.Orderpoint.create({
            "product_id": product.id, "location_id": self.stock_location.id,
            "product_min_qty": 1.0, "product_max_qty": 2.0, "replenishment_uom_id": self.uom_unit.id,
        })
        multiple = op._jxc_get_multiple()
        self.assertAlmostEqual(multiple, 1 / 12, places=12)
        self.assertAlmostEqual(round_order_quantity(1.0, 0.0, multiple), op._get_multiple_rounded_qty(1.0))

    def test_economic_order_quantity(self):
        self.company.jxc_ordering_cost = 50.0
        op = self._computed_orderpoint(self.product_1)
        # D = 4.5 x 365 = 1642.5 a year, S = 50, H = 11.0 x 20 % = 2.2: EOQ = sqrt(2 D S / H) = 273.238.
        self.assertAlmostEqual(op.jxc_eoq, 273.24)
        self.assertEqual(op.product_max_qty, 48.0 + 274)  # whole units

    def test_buyer_rule_on_a_sub_location_is_not_doubled(self):
        """A buyer replenishes the widget on a shelf of WH/Stock with a rule of their own: the
        safety stock creates no second rule at WH/Stock, which Odoo would run as well and order
        the widget twice. Its 3 other products get their rules."""
        shelf = self.env["stock.location"].create({"name": "Shelf 1", "location_id": self.warehouse.lot_stock_id.id})
        buyer_rule = self.env["stock.warehouse.orderpoint"].create({
            "product_id": self.product_1.id, "location_id": shelf.id, "product_min_qty": 5.0, "product_max_qty": 20.0,
        })
        self.assertEqual(self._compute(), {"created": 3, "updated": 0, "unchanged": 0, "skipped_locked": 1, "released": 0})
        self.assertFalse(self._orderpoint(self.product_1))
        rules = self.env["stock.warehouse.orderpoint"].search([("product_id", "=", self.product_1.id)])
        self.assertEqual(rules, buyer_rule)
        self.assertEqual((buyer_rule.product_min_qty, buyer_rule.product_max_qty), (5.0, 20.0))

    def test_locked_rule_untouched(self):
        op = self._computed_orderpoint(self.product_1)
        op.with_user(self.jxc_user).action_jxc_lock()
        self.assertTrue(op.jxc_locked)
        self.assertEqual(op.jxc_locked_by_id, self.jxc_user)
        self.assertEqual(op.jxc_locked_date.date(), date(2025, 6, 30))
        op.write({"product_min_qty": 30.0, "product_max_qty": 90.0})
        self.rule_class_a.service_level_a = 99.0
        self.assertEqual(self._compute()["skipped_locked"], 1)
        self.assertEqual((op.product_min_qty, op.product_max_qty, op.jxc_safety_stock), (30.0, 90.0, 33.54))
        with self.assertRaises(AccessError):
            op.with_user(self.jxc_user).action_jxc_unlock()
        self.assertTrue(op.jxc_locked)
        # Odoo's stock managers may edit reordering rules, not unlock one or reclassify a product
        stock_manager = new_test_user(self.env, login="jxc_stock_manager", groups="stock.group_stock_manager")
        with self.assertRaisesRegex(AccessError, "Lock and Unlock buttons"):
            op.with_user(stock_manager).write({"jxc_locked": False})
        # nor create a rule locked (by someone else), in the values or in his own defaults
        probe = self.env["product.product"].create({"name": "JXC Lock Probe", "is_storable": True})
        new_rule = {"product_id": probe.id, "location_id": self.warehouse.lot_stock_id.id,
                    "jxc_locked_by_id": self.jxc_manager.id}
        self.env["ir.default"].with_user(stock_manager).set(
            "stock.warehouse.orderpoint", "jxc_locked", True, user_id=True)
        for vals in (new_rule, {key: value for key, value in new_rule.items() if key != "jxc_locked_by_id"}):
            with self.subTest(vals=vals), self.assertRaisesRegex(AccessError, "Lock and Unlock buttons"):
                self.env["stock.warehouse.orderpoint"].with_user(stock_manager).create(vals)
        made = self.env["stock.warehouse.orderpoint"].with_user(stock_manager).sudo().create(
            {"product_id": probe.id, "location_id": self.warehouse.lot_stock_id.id})
        self.assertFalse(made.jxc_locked)
        with self.assertRaisesRegex(AccessError, "set by the classification"):
            self.product_1.with_user(stock_manager).write({"jxc_abc_class": "c"})
        # nor a product manager on a new product (an import), in the values or in his defaults
        product_manager = new_test_user(self.env, login="jxc_class_product_manager",
                                        groups="stock.group_stock_manager,product.group_product_manager")
        Product = self.env["product.product"].with_user(product_manager)
        for model, vals in ((Product, {"name": "JXC Class Probe", "jxc_abc_class": "a"}),
                            (Product.with_context(default_jxc_xyz_class="x"), {"name": "JXC Class Probe"})):
            with self.subTest(vals=vals), self.assertRaisesRegex(AccessError, "set by the classification"):
                model.create(vals)
        self.assertTrue(Product.create({"name": "JXC Class Probe", "jxc_abc_class": False}))
        # the product form (the classes shown read-only) creates products as before
        form = Form(Product)
        form.name = "JXC Class Form Probe"
        form.is_storable = True
        self.assertFalse(form.save().jxc_abc_class)
        op.with_user(self.jxc_manager).action_jxc_unlock()
        self.assertFalse(op.jxc_locked)
        self.assertEqual(self._compute()["updated"], 1)
        # z(99 %) = 2.326348: 6.944444 + 2.326348 x 12.946352 = 37.0622 -> 37.07 (the undershoot
        # as in test_statistical_abc_service_level_with_zero_days).
        self.assertAlmostEqual(op.jxc_safety_stock, 37.07)

    def test_system_figures_are_the_engines(self):
        """Odoo's stock users may edit reordering rules, not the figures the add-on computes:
        the managing rule, the safety stock, the drift alert's activity (which the alert deletes
        later, as superuser). A duplicate is the user's own rule, without them."""
        op = self._computed_orderpoint(self.product_1)
        self.assertEqual((op.jxc_rule_id, op.jxc_safety_stock), (self.rule_class_a, 33.54))
        stock_user = new_test_user(self.env, login="jxc_rule_editor", groups="stock.group_stock_manager")
        foreign = self.env["mail.activity"].create({
            "res_model_id": self.env["ir.model"]._get_id("res.partner"), "res_id": self.jxc_manager.partner_id.id,
            "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id, "user_id": self.jxc_manager.id,
        })
        for vals in ({"jxc_rule_id": self.rule_product_2.id}, {"jxc_safety_stock": 0.0},
                     {"jxc_drift_activity_id": foreign.id}, {"jxc_overstock_since": "2025-01-01"},
                     {"jxc_forecast_qty": 0.0}):
            with self.subTest(vals=vals), self.assertRaisesRegex(AccessError, "safety stock computation sets"):
                op.with_user(stock_user).write(vals)
        self.assertEqual((op.jxc_rule_id, op.jxc_safety_stock, op.jxc_drift_activity_id),
                         (self.rule_class_a, 33.54, self.env["mail.activity"]))
        # the user's edits of Odoo's fields stay his
        op.with_user(stock_user).write({"product_min_qty": 31.0})
        self.assertEqual(op.product_min_qty, 31.0)
        probe = self.env["product.product"].create({"name": "JXC Figures Probe", "is_storable": True})
        new_rule = {"product_id": probe.id, "location_id": self.warehouse.lot_stock_id.id}
        with self.assertRaisesRegex(AccessError, "Safety Stock Rule"):
            self.Orderpoint.with_user(stock_user).create({**new_rule, "jxc_rule_id": self.rule_class_a.id})
        self.env["ir.default"].with_user(stock_user).set(
            "stock.warehouse.orderpoint", "jxc_rule_id", self.rule_class_a.id, user_id=True)
        with self.assertRaisesRegex(AccessError, "Safety Stock Rule"):
            self.Orderpoint.with_user(stock_user).create(new_rule)
        made = self.Orderpoint.with_user(stock_user).sudo().create(new_rule)
        self.assertFalse(made.jxc_rule_id)
        self.env["ir.default"].search([("user_id", "=", stock_user.id)]).unlink()
        other = self.env["stock.location"].create({"name": "JXC Shelf", "location_id": self.warehouse.lot_stock_id.id})
        duplicate = op.with_user(stock_user).copy({"location_id": other.id})
        self.assertEqual((duplicate.jxc_rule_id, duplicate.jxc_safety_stock, duplicate.jxc_method),
                         (self.env["jxc.safety.stock.rule"], 0.0, False))
        self.assertEqual((duplicate.product_min_qty, duplicate.product_id), (31.0, self.product_1))

    def test_odoo_suggestion_adopted_as_an_automatic_rule(self):
        """A manual rule Odoo's replenishment report made by itself is replaced by the safety
        stock's automatic rule, with the route the buyer set on it but not the quantity typed on
        it: an automatic rule orders what Odoo computes (a manual quantity left on it would be
        ordered again at every run of the scheduler). A suggestion the buyer snoozed stays as it
        is until the snooze ends; a manual rule a buyer made stays manual."""
        suggestions = self.Orderpoint.with_user(SUPERUSER_ID).create([{
            "product_id": product.id, "location_id": self.stock_location.id,
            "warehouse_id": self.warehouse.id, "trigger": "manual", "product_min_qty": 0.0, "product_max_qty": 0.0,
            "qty_to_order_manual": 12.0, **vals,
        } for product, vals in ((self.product_1, {}), (self.product_3, {"snoozed_until": date(2025, 7, 5)}))])
        chosen = self.Orderpoint.with_user(self.jxc_manager).create({
            "product_id": self.product_2.id, "location_id": self.stock_location.id,
            "warehouse_id": self.warehouse.id, "trigger": "manual", "product_min_qty": 0.0, "product_max_qty": 0.0,
        })
        counts = self._compute()
        self.assertEqual((counts["created"], counts["updated"], counts["skipped_locked"]), (2, 1, 1))
        self.assertFalse(suggestions[0].exists())  # product_1 replaced
        adopted = self._orderpoint(self.product_1)
        self.assertEqual((adopted.jxc_rule_id, adopted.trigger), (self.rule_class_a, "auto"))
        self.assertEqual((adopted.snoozed_until, adopted.qty_to_order_manual), (False, 0.0))
        self.assertEqual(adopted.qty_to_order, adopted.qty_to_order_computed)
        self.assertNotEqual(adopted.create_uid.id, SUPERUSER_ID)
        self.assertEqual((chosen.jxc_rule_id, chosen.trigger), (self.rule_product_2, "manual"))
        snoozed = suggestions[1]
        self.assertEqual((snoozed.jxc_rule_id.id, snoozed.trigger, snoozed.qty_to_order_manual), (False, "manual", 12.0))
        with freeze_time("2025-07-06 04:00:00"):
            self._compute()
        self.assertFalse(snoozed.exists())
        self.assertEqual(self._orderpoint(self.product_3).qty_to_order_manual, 0.0)

    def test_manual_trigger_keeps_the_managed_rule(self):
        """A buyer who sets a rule of the safety stock to Manual and orders once keeps it, its
        lock and its trigger: Odoo deletes the manual rules the superuser created (its own
        suggestions) once nothing is left to order, and the scheduled action runs as the superuser."""
        self.assertEqual(self.env.uid, SUPERUSER_ID)  # as the scheduled action
        self._compute()
        op = self._orderpoint(self.product_1)
        self.assertEqual(op.create_uid, self.env.ref("base.user_admin"))
        op.trigger = "manual"
        op.with_user(self.jxc_user).action_jxc_lock()
        self.assertEqual(op.qty_to_order, 78.0)
        op.action_replenish()  # Order Once
        self.assertTrue(op.exists())
        self.assertEqual((op.qty_to_order, op.trigger, op.jxc_locked), (0.0, "manual", True))
        self.Orderpoint._unlink_processed_orderpoints()  # Odoo's autovacuum
        self.assertTrue(op.exists())
        # a managed rule the superuser created (a script, an import) is not a suggestion either
        self._orderpoint(self.product_3).unlink()
        legacy = self.Orderpoint.with_user(SUPERUSER_ID).create({
            "product_id": self.product_3.id, "location_id": self.stock_location.id,
            "warehouse_id": self.warehouse.id, "product_min_qty": 0.0, "product_max_qty": 0.0,
        })
        self._compute()
        self.assertTrue(legacy.jxc_rule_id)
        legacy.write({"trigger": "manual", "product_min_qty": 0.0, "product_max_qty": 0.0})
        self.assertEqual(legacy.qty_to_order, 0.0)
        self.Orderpoint._unlink_processed_orderpoints()
        self.assertTrue(legacy.exists())
        # Odoo's own suggestions are still Odoo's to delete
        spare = self.env["product.product"].create(self._prepare_product_vals("JXC Spare", 1.0, 2.0, "JXC-099"))
        suggestion = self.Orderpoint.with_user(SUPERUSER_ID).create({
            "product_id": spare.id, "location_id": self.stock_location.id,
            "warehouse_id": self.warehouse.id, "trigger": "manual", "product_min_qty": 0.0, "product_max_qty": 0.0,
        })
        self.Orderpoint._unlink_processed_orderpoints()
        self.assertFalse(suggestion.exists())

    def test_scheduler_creates_the_planned_rfq(self):
        self._compute()
        plan = self.env["jxc.purchase.plan"]._refresh(self.company)
        line_1 = plan.filtered(lambda line: line.product_id == self.product_1)
        line_3 = plan.filtered(lambda line: line.product_id == self.product_3)
        # On hand 10 below the reorder point 48: up to the max 88.
        self.assertEqual(line_1.suggested_qty, 78.0)
        self.assertAlmostEqual(line_3.suggested_qty, 5.0)
        # 16 Gadgets on hand below their reorder point 20 (test_lead_time_variability_measured):
        # up to 26, from vendor A; the Parka's fixed 8 is covered.
        self.assertEqual(plan.filtered(lambda line: line.product_id in self.product_2 | self.product_4).mapped("suggested_qty"), [10.0, 0.0])
        self.env["stock.rule"].run_scheduler(company_id=self.company.id)
        po_lines = self.env["purchase.order.line"].search([
            ("product_id", "in", (self.product_1 | self.product_3).ids), ("order_id.state", "=", "draft"),
        ])
        self.assertEqual(po_lines.order_id.partner_id, self.vendor_b)
        self.assertEqual(len(po_lines.order_id), 1)
        for line in (line_1, line_3):
            po_line = po_lines.filtered(lambda po_line, product=line.product_id: po_line.product_id == product)
            self.assertEqual(po_line.partner_id, line.vendor_id)
            self.assertAlmostEqual(po_line.product_qty, line.suggested_qty)
            self.assertAlmostEqual(po_line.price_unit, line.price_unit)

    def test_scheduler_orders_the_plans_vendor_of_a_rule_at_risk(self):
        """Vendor B, whom the update gave the rules, falls at risk where the company blocks: the
        plan's refresh gives product 1's rule vendor A, so Odoo's scheduler orders from A what
        the line shows, not an RFQ to B the buyers could not confirm. The Gizmo, sold by B
        alone, keeps B."""
        self._compute()
        self.company.jxc_supplier_risk_action = "block"
        self.vendor_b.with_company(self.company).sudo().jxc_supplier_risk = True
        plan = self.env["jxc.purchase.plan"]._refresh(self.company)
        line_1 = plan.filtered(lambda line: line.product_id == self.product_1)
        self.assertEqual((line_1.vendor_id, line_1.orderpoint_id.supplier_id.partner_id), (self.vendor_a, self.vendor_a))
        self.assertEqual(self._orderpoint(self.product_3).supplier_id.partner_id, self.vendor_b)
        self.env["stock.rule"].run_scheduler(company_id=self.company.id)
        po_line = self.env["purchase.order.line"].search([
            ("product_id", "=", self.product_1.id), ("order_id.state", "=", "draft")])
        self.assertEqual((po_line.partner_id, po_line.product_qty), (self.vendor_a, line_1.suggested_qty))

    def test_weekly_cron(self):
        self.env["stock.warehouse.orderpoint"]._jxc_cron_update_orderpoints()
        self.assertEqual(len(self.Orderpoint.search([("jxc_rule_id", "!=", False)])), 4)
        self.assertEqual(self._orderpoint(self.product_1).product_min_qty, 48.0)
        # the purchase plan shows the new rules at once, nothing left for its opening
        line_1 = self.env["jxc.purchase.plan"].search([("orderpoint_id", "=", self._orderpoint(self.product_1).id)])
        self.assertEqual(line_1.reorder_point, 48.0)
        self.assertEqual(self.env["jxc.purchase.plan.change"]._read(self.company), [])
        cron = self.env.ref("jxc_addon.ir_cron_jxc_update_orderpoints")
        self.assertEqual((cron.interval_number, cron.interval_type, cron.active), (1, "weeks", True))

    def test_failing_rule_is_skipped(self):
        Engine = type(self.env["jxc.planning.engine"])
        original = Engine._prepare_orderpoint_vals
        product_3 = self.product_3

        def prepare(engine, plan, multiple):
            if plan["product"] == product_3:
                raise ValueError("broken data")
            return original(engine, plan, multiple)

        with patch.object(Engine, "_prepare_orderpoint_vals", prepare), self.assertLogs(
            "odoo.addons.jxc_addon.models.jxc_planning_engine", level="ERROR",
        ) as logs:
            counts = self._compute()
        self.assertEqual(counts["created"], 3)
        self.assertFalse(self._orderpoint(self.product_3))
        self.assertTrue(self._orderpoint(self.product_1))
        self.assertIn("JXC Gizmo", logs.output[0])
        # The button says so: a warning naming the product, not a success.
        with patch.object(Engine, "_prepare_orderpoint_vals", prepare), self.assertLogs(
            "odoo.addons.jxc_addon.models.jxc_planning_engine", level="ERROR",
        ):
            action = self.rule_category.with_user(self.jxc_manager).action_compute_reordering_rules()
        self.assertEqual((action["params"]["type"], action["params"]["sticky"]), ("warning", True))
        self.assertIn("1 could not be updated and keep their previous values: [JXC-003] JXC Gizmo.", action["params"]["message"])
        self.assertIn("0 created, 0 updated, 3 unchanged", action["params"]["message"])
        # a clash with another transaction is not a failure of the rule: the button's request is run again
        from psycopg2.errors import SerializationFailure  # noqa: PLC0415

        def clash(engine, plan, multiple):
            raise SerializationFailure("could not serialize access due to concurrent update")

        with patch.object(Engine, "_prepare_orderpoint_vals", clash), self.assertRaises(SerializationFailure):
            self.rule_category.with_user(self.jxc_manager).action_compute_reordering_rules()

    def test_service_level_validation(self):
        for level in (50.0, 100.0):
            with self.assertRaises(ValidationError):
                self.rule_category.service_level = level
        with self.assertRaises(ValidationError):
            self.rule_class_a.service_level_c = 45.0
        self.rule_category.service_level = 99.99

    def test_demand_statistics_are_set_based(self):
        products = self.product_1 | self.product_2
        self.env.flush_all()
        self.assertEqual(self.company.partner_id.tz, "Asia/Shanghai")  # cached: not a demand query
        before = self.env.cr.sql_log_count
        two = self.env["jxc.planning.engine"]._get_demand_sums(self.company, products.ids, date(2025, 5, 31), date(2025, 6, 30))
        self.assertEqual(self.env.cr.sql_log_count - before, 1)
        before = self.env.cr.sql_log_count
        four = self.env["jxc.planning.engine"]._get_demand_sums(
            self.company, (products | self.product_3 | self.product_4).ids, date(2025, 5, 31), date(2025, 6, 30),
        )
        self.assertEqual(self.env.cr.sql_log_count - before, 1)
        key = (self.product_1.id, self.warehouse.id)
        # 31 May - 29 June: 5 + 10 + 20 + 5 + 10 = 50; squares 25 + 100 + 400 + 25 + 100.
        self.assertEqual(two[key], (50.0, 650.0))
        self.assertEqual(four[key], two[key])
        self.assertNotIn((self.product_3.id, self.warehouse.id), four)

    def _count_queries(self, function):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        function()
        self.env.flush_all()
        return self.env.cr.sql_log_count - before

    def test_query_count_does_not_grow_with_products(self):
        Plan = self.env["jxc.purchase.plan"]
        self._compute()
        plans_4 = self._count_queries(lambda: self.env["jxc.planning.engine"]._get_plans(self.company))
        refresh_4 = self._count_queries(lambda: Plan._refresh(self.company))
        odoo_4 = self._odoo_recompute_queries()
        products = self.env["product.product"].create([
            {
                **self._prepare_product_vals(f"JXC Extra {i}", 1.0, 2.0, f"JXC-X{i}"),
                "seller_ids": [Command.create({"partner_id": self.vendor_a.id, "price": 1.0, "delay": 2})],
            }
            for i in range(20)
        ])
        for product in products[:5]:
            self._set_on_hand(product, 5.0)
        self._compute()
        Plan._refresh(self.company)
        self.assertEqual(Plan.search_count([("company_id", "=", self.company.id)]), 24)
        # 6 times the products: the engine's own queries stay the same, give or take a prefetch
        # batch; the plan grows only by what Odoo's own recomputation of the rules grows by.
        self.assertLessEqual(self._count_queries(lambda: self.env["jxc.planning.engine"]._get_plans(self.company)), plans_4 + 3)
        odoo_growth = self._odoo_recompute_queries() - odoo_4
        self.assertLessEqual(self._count_queries(lambda: Plan._refresh(self.company)), refresh_4 + odoo_growth + 3)

    def test_refresh_with_a_preview_keeps_the_other_forecasts(self):
        """A buyer chose another vendor than the rule's: the refresh previews that rule's
        quantity in a savepoint it rolls back, which empties the cache. The other rules'
        forecasts, computed just before (as the safety stock's update does), are not computed
        again (they were, one by one batch: 13 s more at S = 5)."""
        Plan = self.env["jxc.purchase.plan"]
        self._compute()
        Plan._refresh(self.company)
        line = Plan.search([("product_id", "=", self.product_1.id), ("company_id", "=", self.company.id)])
        self.assertEqual(line.orderpoint_id.supplier_id.partner_id, self.vendor_b)
        line.with_user(self.jxc_user).vendor_id = self.vendor_a
        orderpoints = self.Orderpoint.search([("jxc_rule_id", "!=", False)])
        self.assertGreater(len(orderpoints), 1)
        Plan._recompute_quantities_to_order(orderpoints)
        computed = []
        original = type(self.Orderpoint)._compute_qty

        def spy(records):
            if records:
                computed.append(records.ids)
            return original(records)

        with patch.object(type(self.Orderpoint), "_compute_qty", spy):
            Plan._refresh(self.company, fresh=orderpoints)
        self.assertEqual(computed, [line.orderpoint_id.ids])
        self.assertEqual(line.vendor_id, self.vendor_a)

    def test_access(self):
        with self.assertRaises(AccessError):
            self.env["jxc.safety.stock.rule"].with_user(self.jxc_user).create({"name": "Buyer rule", "method": "fixed"})
        with self.assertRaises(AccessError):
            self.rule_category.with_user(self.jxc_user).write({"fixed_qty": 3.0})
        with self.assertRaises(AccessError):
            self.Orderpoint.with_user(self.jxc_user)._jxc_update_orderpoints(self.company)
        with self.assertRaises(AccessError):
            self.env["jxc.safety.stock.rule"].with_user(self.plain_user).search([])
        self.assertEqual(self.rule_category.with_user(self.jxc_user).read(["method"])[0]["method"], "statistical")
        self.rule_category.with_user(self.jxc_manager).write({"fixed_qty": 3.0})
        action = self.rule_category.with_user(self.jxc_manager).action_compute_reordering_rules()
        self.assertEqual(action["tag"], "display_notification")
        self.assertTrue(self._orderpoint(self.product_3))
        # The button also refreshes the purchase plan.
        self.assertEqual(self.env["jxc.purchase.plan"].search_count([("company_id", "=", self.company.id)]), 4)

    def test_other_company_isolated(self):
        self._compute()
        other = self.env["res.company"].create({"name": "JXC Safety Other Co"})
        other_user = self.env["res.users"].create({
            "name": "Other Buyer", "login": "jxc_other_buyer", "company_id": other.id, "company_ids": [(6, 0, other.ids)],
            "group_ids": [(6, 0, [self.env.ref("jxc_addon.group_jxc_manager").id, self.env.ref("base.group_user").id])],
        })
        self.assertFalse(self.env["jxc.safety.stock.rule"].with_user(other_user).search([]))
        self.assertFalse(self.env["jxc.safety.stock.log"].with_user(other_user).search([]))
        with self.assertRaises(AccessError):
            self.rule_category.with_user(other_user).read(["name"])
        # Computing the other company touches nothing here.
        self.assertEqual(
            self.Orderpoint._jxc_update_orderpoints(other),
            {"created": 0, "updated": 0, "unchanged": 0, "skipped_locked": 0, "released": 0},
        )


@tagged("post_install", "-at_install")
class TestSafetyStockBulkUpdate(SafetyStockCommon):
    """The reordering rules are created and updated set-based (one create, one SQL UPDATE):
    the stored figures must be what ``write`` would store, Odoo's own stored quantities
    (quantity to order, deadline) must follow the new minimum and maximum, and the number
    of queries must not grow with the number of products."""

    def _add_products(self, count):
        products = self.env["product.product"].create([
            {
                **self._prepare_product_vals(f"JXC Bulk {i}", 2.0, 5.0, f"JXC-B{i}"),
                "seller_ids": [Command.create({"partner_id": self.vendor_a.id, "price": 2.0, "delay": 4})],
            }
            for i in range(count)
        ])
        for product in products[:4]:
            self._set_on_hand(product, 3.0)
        return products

    def _assert_odoo_quantities_fresh(self, orderpoints):
        """Stored quantity to order and deadline equal a recomputation from scratch."""
        fnames = ["qty_to_order_computed", "deadline_date"]
        orderpoints.invalidate_recordset()
        stored = {op.id: tuple(op[f] for f in fnames) for op in orderpoints}
        for fname in fnames:
            self.env.add_to_compute(orderpoints._fields[fname], orderpoints)
        orderpoints.flush_recordset(fnames)
        orderpoints.invalidate_recordset()
        self.assertEqual({op.id: tuple(op[f] for f in fnames) for op in orderpoints}, stored)

    def test_bulk_update_stores_what_write_would(self):
        self._compute()
        orderpoints = self.Orderpoint.search([("jxc_rule_id", "!=", False)])
        before = {op.id: op.qty_to_order_computed for op in orderpoints}
        # A longer review period raises every maximum: every rule is updated.
        (self.rule_category | self.rule_class_a | self.rule_product_2 | self.rule_product_4).write({"review_days": 21})
        self.assertEqual(self._compute(), {"created": 0, "updated": 4, "unchanged": 0, "skipped_locked": 0, "released": 0})
        op = self._orderpoint(self.product_1)
        # 4.5 a day: reorder point unchanged 48, max 48 + 4.5 x 21 = 94.5 -> 95 (above vendor B's 40).
        self.assertEqual((op.product_min_qty, op.product_max_qty, op.jxc_review_days), (48.0, 143.0, 21))
        self.assertAlmostEqual(op.jxc_forecast_review, 94.5)
        self.assertAlmostEqual(op.jxc_forecast_qty, 13.5 + 94.5)  # stored compute followed the SQL update
        self.assertEqual(op.write_uid, self.env.user)
        # The vendor's inverse (purchase_stock): a rule with a vendor gets the buy route.
        buy_route = self.env["stock.rule"].search([("action", "=", "buy")], limit=1).route_id
        self.assertEqual(op.route_id, buy_route)
        # Every figure equals what the plans ask for (what write() stored before).
        engine = self.env["jxc.planning.engine"]
        plans = engine._get_plans(self.company)
        for plan in plans:
            op = self._orderpoint(plan["product"])
            expected = engine._prepare_orderpoint_vals(plan, op._jxc_get_multiple())
            stored = engine._read_stored(op, list(expected))[op.id]
            for fname, value in expected.items():
                self.assertFalse(engine._differs(stored[fname], value), f"{plan['product'].name} {fname}")
                # the stored value is the record's (a many2one as its id)
                record_value = op[fname].id if op._fields[fname].type == "many2one" else op[fname]
                self.assertFalse(engine._differs(stored[fname], record_value), fname)
        # Odoo's stored quantity to order follows the new maximum (product 1 is below its minimum).
        op = self._orderpoint(self.product_1)
        self.assertEqual(op.qty_to_order_computed - before[op.id], 143.0 - 88.0, before)
        self._assert_odoo_quantities_fresh(orderpoints)

    def test_query_count_does_not_grow_with_products(self):
        Rule = self.env["jxc.safety.stock.rule"]
        create_4, counts = self._count_queries(self._compute)
        odoo_4 = self._odoo_recompute_queries()
        self.assertEqual(counts["created"], 4)
        Rule.search([]).write({"review_days": 14})
        update_4, counts = self._count_queries(self._compute)
        self.assertEqual(counts["updated"], 4)
        self._add_products(20)
        create_20, counts = self._count_queries(self._compute)
        self.assertEqual((counts["created"], counts["unchanged"]), (20, 4))
        Rule.search([]).write({"review_days": 21})
        update_24, counts = self._count_queries(self._compute)
        self.assertEqual(counts["updated"], 24)
        # 5 and 6 times the rules: the queries grow by what Odoo's own recomputation of the
        # rules' quantities grows by (the ORM runs it for the written rules), give or take the
        # prefetch of the new products' related records.
        odoo_growth = self._odoo_recompute_queries() - odoo_4
        self.assertLessEqual(create_20, create_4 + odoo_growth + 10, (create_4, create_20, odoo_growth))
        self.assertLessEqual(update_24, update_4 + odoo_growth + 10, (update_4, update_24, odoo_growth))
        self._assert_odoo_quantities_fresh(self.Orderpoint.search([("jxc_rule_id", "!=", False)]))

    def test_company_check_of_batches(self):
        """The company check on the union of a batch still refuses another company's rule."""
        other = self.env["res.company"].create({"name": "JXC Other Company"})
        rule = self.env["jxc.safety.stock.rule"].create({"name": "Other rule", "company_id": other.id, "method": "fixed"})
        vals = [
            {"product_id": product.id, "location_id": self.stock_location.id, "company_id": self.company.id}
            for product in (self.product_1, self.product_2)
        ]
        vals[1]["jxc_rule_id"] = rule.id
        with self.assertRaises(UserError):
            self.Orderpoint.create(vals)
        self.assertEqual(len(self.Orderpoint.create(vals[:1])), 1)
