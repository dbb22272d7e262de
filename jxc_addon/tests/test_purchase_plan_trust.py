"""What the purchase plan shows is what it does, on the fixtures of safety_common.py (today
30 June 2025): the daily refresh gets through every company and its digests as Odoo's cron
runner calls it; snoozed and archived rules are neither planned, warned about nor ordered;
the quantity shown is the one Create RFQs orders; the stock-out flag, the digest's recipients
and its to-dos follow the stock and the buyers of today."""

import time
from datetime import date, datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo.addons.base.models.ir_cron import MIN_RUNS_PER_JOB
from odoo.addons.jxc_addon.models import jxc_purchase_plan
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from ..tools.company_day import local_midnight_utc
from .safety_common import PurchasePlanCommon

DIGEST_ACTIVITY = "mail.mail_activity_data_todo"


def run_cron_as_odoo(test, cron):
    """Run ``cron`` as ``ir.cron._run_job`` does with its time used up from the start: the
    server action is called with a fresh progress again while the last call processed some
    work and reported some left, at most MIN_RUNS_PER_JOB times a run; a run that ends with
    work left is run again (Odoo reschedules it at once). Returns each call's (done,
    remaining) and the ``remaining`` each call set first."""
    calls, first_remaining = [], []
    Cron = type(test.env["ir.cron"])
    original = Cron._commit_progress

    def commit_progress(cron_self, processed=0, *, remaining=None, deactivate=False):
        if remaining is not None and len(first_remaining) <= len(calls):
            first_remaining.append(remaining)
        return original(cron_self, processed, remaining=remaining, deactivate=deactivate)

    # _commit_progress commits each step: the test's transaction is kept instead
    with patch.object(test.env.cr, "commit", lambda: None), patch.object(Cron, "_commit_progress", commit_progress):
        for _run in range(3):
            for _loop in range(MIN_RUNS_PER_JOB):
                job, progress = cron.with_context(
                    cron_id=cron.id, cron_end_time=time.monotonic() - 1.0,
                )._add_progress(timed_out_counter=0)
                job.env["ir.actions.server"].browse(cron.ir_actions_server_id.id).run()
                calls.append((progress.done, progress.remaining))
                if not progress.remaining:
                    return calls, first_remaining  # fully done: Odoo calls no more
                if not progress.done:
                    break  # processed nothing: partially done, run again later
    return calls, first_remaining


@tagged("post_install", "-at_install")
class TestPurchasePlanTrust(PurchasePlanCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Digest = cls.env["jxc.stock.warning.digest"]
        cls.clerk = new_test_user(cls.env, login="jxc_trust_clerk", groups="base.group_user",
                                  company_id=cls.company.id, company_ids=[cls.company.id])

    def _line(self, plan, product):
        return plan.filtered(lambda line: line.product_id == product)

    # --- 1. the daily refresh, called as Odoo's cron runner calls it ------------------------
    def _create_other_company_plan(self):
        """A second company buying one product (fixed safety stock 5, none on hand) through its
        own rule, and its inventory control manager."""
        other = self.env["res.company"].create({"name": "JXC Trust Other Co"})
        manager = new_test_user(self.env, login="jxc_trust_other_manager", groups="jxc_addon.group_jxc_manager",
                                company_id=other.id, company_ids=[other.id])
        product = self.env["product.product"].create({
            **self._prepare_product_vals("JXC Trust Lamp", 5.0, 12.0, "JXC-T01"),
            "seller_ids": [Command.create({"partner_id": self.vendor_a.id, "price": 5.0, "delay": 2,
                                           "company_id": other.id})],
        })
        self.env["jxc.safety.stock.rule"].with_company(other).create({
            "name": "Other lamp", "product_id": product.id, "method": "fixed", "fixed_qty": 5.0,
            "history_days": 10, "review_days": 7, "company_id": other.id,
        })
        self.env["stock.warehouse.orderpoint"]._jxc_update_orderpoints(other)
        return other, manager, product

    def test_hourly_runs_refresh_each_company_after_its_own_midnight(self):
        """The job runs every hour: a company's lines are refreshed in its first run after
        midnight in the company's timezone (Shanghai, Paris), its digests sent then, and a run
        with nothing to do in a company leaves its lines as they are."""
        other, _manager, _product = self._create_other_company_plan()
        other.partner_id.tz = "Europe/Paris"
        cron = self.env.ref("jxc_addon.ir_cron_jxc_purchase_plan_refresh")
        self.assertEqual((cron.interval_number, cron.interval_type), (1, "hours"))
        Plan = self.Plan.sudo()

        def refreshed():
            return {company: set(Plan.search([("company_id", "=", company.id)]).mapped("refreshed_on"))
                    for company in (self.company, other)}

        # 30 June, 23:30 in Shanghai and 17:30 in Paris: both refreshed that day
        with freeze_time("2025-06-30 15:30:00"):
            run_cron_as_odoo(self, cron)
        evening = datetime(2025, 6, 30, 15, 30)
        self.assertEqual(refreshed(), {self.company: {evening}, other: {evening}})
        # 1 July, 00:30 in Shanghai, still 30 June in Paris
        with freeze_time("2025-06-30 16:30:00"):
            run_cron_as_odoo(self, cron)
            self.assertTrue(self.Digest._are_digests_sent(self.company))
        self.assertEqual(refreshed(), {self.company: {datetime(2025, 6, 30, 16, 30)}, other: {evening}})
        # 1 July, 00:30 in Paris; in Shanghai the line of the product delivered since
        line_1 = Plan.search([("company_id", "=", self.company.id), ("product_id", "=", self.product_1.id)])
        on_hand = line_1.qty_on_hand
        self._deliver(self._create_sale(self.customer_a, [(self.product_1, 3.0, 25.0)]))
        with freeze_time("2025-06-30 22:30:00"):
            run_cron_as_odoo(self, cron)
            self.assertTrue(self.Digest._are_digests_sent(other))
        self.assertEqual(line_1.qty_on_hand, on_hand - 3.0)
        self.assertEqual(refreshed(), {
            self.company: {datetime(2025, 6, 30, 16, 30), datetime(2025, 6, 30, 22, 30)},
            other: {datetime(2025, 6, 30, 22, 30)},
        })

    def test_daily_refresh_reaches_every_company_and_its_digests(self):
        """One rule per call (Odoo's time is up after each batch): company after company, each
        company's digests once its rules are done, until nothing is left; ``remaining`` counts
        every company's rules and digest step from the first call."""
        other, other_manager, other_product = self._create_other_company_plan()
        self.vendor_b.buyer_id = self.jxc_user
        cron = self.env.ref("jxc_addon.ir_cron_jxc_purchase_plan_refresh")
        managed = {
            company: self.Plan.sudo().with_company(company)._get_managed_orderpoints(company)
            for company in (self.company, other)
        }
        self.assertEqual((len(managed[self.company]), managed[other].product_id), (4, other_product))
        with freeze_time("2025-07-01 04:00:00"), patch.object(jxc_purchase_plan, "REFRESH_BATCH", 1):
            companies = self.env["res.company"].search([])
            calls, first_remaining = run_cron_as_odoo(self, cron)
            # all the rules of the day (none refreshed yet today) and one digest step per company
            self.assertEqual(first_remaining[0], len(managed[self.company]) + len(managed[other]) + len(companies))
            self.assertEqual(calls[-1][1], 0)
            for company in (self.company, other):
                lines = self.Plan.search([("company_id", "=", company.id)])
                self.assertEqual(lines.orderpoint_id, managed[company], company.name)
                self.assertTrue(all(
                    line.refreshed_on >= local_midnight_utc(company, date(2025, 7, 1)) for line in lines
                ), company.name)
                self.assertTrue(self.Digest._are_digests_sent(company), company.name)
            today = [("date", "=", date(2025, 7, 1))]
            self.assertEqual(self.Digest.search([("company_id", "=", self.company.id), *today]).user_id, self.jxc_user)
            other_digest = self.Digest.search([("company_id", "=", other.id), *today])
            self.assertEqual(other_digest.user_id, other_manager)
            self.assertEqual(other_digest.line_ids.product_id, other_product)
            # called again the same day (a second run): nothing left, nothing sent twice
            calls, first_remaining = run_cron_as_odoo(self, cron)
            self.assertEqual((len(calls), first_remaining), (1, [0]))
            self.assertEqual(len(other_digest.activity_ids), 1)

    # --- 2. snoozed and archived rules ----------------------------------------------------------
    def test_snoozed_and_archived_rules_are_left_out(self):
        plan = self.Plan._refresh(self.company)
        line_1, line_3 = self._line(plan, self.product_1), self._line(plan, self.product_3)
        self.assertTrue(line_1.is_stockout_risk and line_3.is_below_safety)
        self.assertGreater(line_1.suggested_qty, 0.0)
        # since the refresh: product 1's rule snoozed for a week (only a manual rule can be),
        # product 3 archived (and its rule with it)
        line_1.orderpoint_id.trigger = "manual"
        line_1.orderpoint_id.snoozed_until = date(2025, 7, 7)
        self.product_3.action_archive()
        self.vendor_b.buyer_id = self.jxc_user
        # a buyer choosing the vendor of the snoozed rule's line is told why it cannot be kept
        with self.assertRaisesRegex(UserError, "JXC Widget was snoozed or archived since the plan was refreshed"):
            line_1.with_user(self.jxc_user).vendor_id = self.vendor_a
        self.assertEqual(line_1.vendor_id, self.vendor_b)
        digests = self.Digest._send_digests(self.company)
        self.assertFalse(digests.line_ids & (line_1 | line_3))
        action = (line_1 | line_3).with_user(self.jxc_user).action_create_rfq()
        self.assertEqual(action["params"]["title"], "Nothing to order")
        self.assertIn("snoozed or archived", action["params"]["message"])
        self.assertFalse(self.env["purchase.order.line"].search([
            ("product_id", "in", (self.product_1 | self.product_3).ids),
            ("order_id.state", "=", "draft"),
        ]))
        # nor listed: the lines are gone from the plan
        self.assertFalse((line_1 | line_3).exists())
        plan = self.Plan._refresh(self.company)
        self.assertFalse(plan.product_id & (self.product_1 | self.product_3))
        # the snooze over: planned again
        with freeze_time("2025-07-07 04:00:00"):
            self.assertIn(self.product_1, self.Plan._refresh(self.company).product_id)

    def test_rule_that_no_longer_buys_is_not_ordered(self):
        """Since the refresh, product 1's rule was given a route that brings it from a depot
        outside the warehouse: Odoo's replenishment would make a transfer, no RFQ. Create RFQs
        orders nothing for it, says why and removes its line; product 3 is still ordered."""
        plan = self.Plan._refresh(self.company)
        line_1, line_3 = self._line(plan, self.product_1), self._line(plan, self.product_3)
        depot = self.env["stock.location"].create({
            "name": "JXC Depot", "usage": "internal", "company_id": self.company.id,
        })
        route = self.env["stock.route"].create({"name": "JXC From Depot", "product_selectable": True, "rule_ids": [Command.create({
            "name": "JXC Depot to Stock", "action": "pull", "procure_method": "make_to_stock",
            "location_src_id": depot.id, "location_dest_id": self.warehouse.lot_stock_id.id,
            "picking_type_id": self.warehouse.int_type_id.id, "company_id": self.company.id,
        })]})
        line_1.orderpoint_id.route_id = route
        moves_before = self.env["stock.move"].search_count([("location_id", "=", depot.id)])
        action = (line_1 | line_3).with_user(self.jxc_user).action_create_rfq()
        self.assertEqual(action["params"]["title"], "Some lines had nothing to order")
        self.assertIn("Nothing ordered for [JXC-001] JXC Widget: their reordering rules no longer buy",
                      action["params"]["message"])
        orders = self.env["purchase.order"].browse(action["params"]["next"]["domain"][0][2])
        self.assertEqual(orders.order_line.product_id, self.product_3)
        self.assertEqual(self.env["stock.move"].search_count([("location_id", "=", depot.id)]), moves_before)
        self.assertFalse(line_1.exists())
        self.assertTrue(line_3.exists())

    # --- 3. the quantity shown is the quantity ordered -----------------------------------------
    def test_quantity_shown_is_ordered_with_the_buyers_vendor(self):
        """Product 3 (5 to order from vendor B) in packs of 12: Odoo orders 12. The buyer takes
        vendor C, who sells from 30: 30 is raised to packs again, 36 shown, estimated and ordered."""
        vendor_c = self.env["res.partner"].create({"name": "JXC Vendor C", "supplier_rank": 1})
        self.env["product.supplierinfo"].create({
            "partner_id": vendor_c.id, "product_tmpl_id": self.product_3.product_tmpl_id.id,
            "min_qty": 30.0, "price": 8.0, "delay": 4,
        })
        self._orderpoint(self.product_3).replenishment_uom_id = self._pack_of(12)
        line_3 = self._line(self.Plan._refresh(self.company), self.product_3)
        self.assertEqual((line_3.vendor_id, line_3.suggested_qty), (self.vendor_b, 12.0))
        line_3.with_user(self.jxc_user).vendor_id = vendor_c
        self.assertEqual((line_3.suggested_qty, line_3.price_unit, line_3.amount), (36.0, 8.0, 288.0))
        # the buyer's vendor is kept at the next refresh, and so is its quantity
        line_3 = self._line(self.Plan._refresh(self.company), self.product_3)
        self.assertEqual((line_3.vendor_id, line_3.suggested_qty, line_3.amount), (vendor_c, 36.0, 288.0))
        self.assertEqual(line_3.orderpoint_id.supplier_id.partner_id, self.vendor_b)  # the rule keeps its vendor
        wizard = self.env["jxc.purchase.plan.order"].with_user(self.jxc_user).create({"line_ids": [Command.set(line_3.ids)]})
        self.assertEqual(wizard.amount, 288.0)
        action = line_3.with_user(self.jxc_user).action_create_rfq()
        order = self.env["purchase.order"].browse(action["domain"][0][2])
        self.assertEqual(order.partner_id, vendor_c)
        self.assertEqual((order.order_line.product_qty, order.order_line.price_unit), (36.0, 8.0))

    def test_line_follows_the_rules_vendor_unless_a_buyer_chose(self):
        """Product 1's rule buys from vendor B (11.00, 3 days). An integrator sets vendor A's
        price line on the rule, as Odoo's Replenishment screen does: the line follows (Odoo's
        replenishment orders from A). A buyer then chooses B on the line: kept at the refresh,
        ordered, and from then on the rule's own vendor, which the line follows again."""
        orderpoint = self._orderpoint(self.product_1)
        line_1 = self._line(self.Plan._refresh(self.company), self.product_1)
        self.assertEqual((line_1.vendor_id, line_1.vendor_chosen), (self.vendor_b, False))
        orderpoint.supplier_id = self.product_1.seller_ids.filtered(lambda seller: seller.partner_id == self.vendor_a)
        line_1 = self._line(self.Plan._refresh(self.company), self.product_1)
        self.assertEqual((line_1.vendor_id, line_1.price_unit, line_1.expected_date), (self.vendor_a, 10.0, date(2025, 7, 5)))
        line_1.with_user(self.jxc_user).vendor_id = self.vendor_b
        self.assertTrue(line_1.vendor_chosen)
        line_1 = self._line(self.Plan._refresh(self.company), self.product_1)
        self.assertEqual((line_1.vendor_id, line_1.vendor_chosen), (self.vendor_b, True))
        action = line_1.with_user(self.jxc_user).action_create_rfq()
        self.assertEqual(self.env["purchase.order"].browse(action["domain"][0][2]).partner_id, self.vendor_b)
        self.assertEqual((orderpoint.supplier_id.partner_id, line_1.vendor_chosen), (self.vendor_b, False))
        orderpoint.supplier_id = self.product_1.seller_ids.filtered(lambda seller: seller.partner_id == self.vendor_a)
        self.assertEqual(self._line(self.Plan._refresh(self.company), self.product_1).vendor_id, self.vendor_a)

    # --- 4. and 7. the digest's recipients and their to-dos --------------------------------------
    def test_digest_todo_closed_when_the_buyer_has_no_warning_today(self):
        self.vendor_b.buyer_id = self.jxc_user
        self.Plan._cron_refresh()
        first = self.Digest.search([("company_id", "=", self.company.id), ("user_id", "=", self.jxc_user.id)])
        self.assertEqual(len(first.activity_ids), 1)
        # the next day the warnings are the manager's: the buyer's to-do of yesterday is closed
        self.vendor_b.buyer_id = self.jxc_manager
        with freeze_time("2025-07-01 04:00:00"):
            self.Plan._cron_refresh()
        self.assertFalse(self.Digest.search([("user_id", "=", self.jxc_user.id), ("date", "=", date(2025, 7, 1))]))
        self.assertFalse(first.activity_ids)
        self.assertFalse(self.env["mail.activity"].search([
            ("res_model", "=", "jxc.stock.warning.digest"), ("user_id", "=", self.jxc_user.id),
        ]))

    def test_digest_todo_again_when_warnings_return_the_same_day(self):
        """The buyer's warnings went to the manager at 10:00 (today's to-do closed by the job) and
        came back at 14:00: a to-do again, not the lines without one until tomorrow."""
        self.vendor_b.buyer_id = self.jxc_user
        self.Plan._cron_refresh()
        digest = self.Digest.search([("company_id", "=", self.company.id), ("user_id", "=", self.jxc_user.id)])
        self.vendor_b.buyer_id = self.jxc_manager
        self.Digest._send_digests(self.company)
        self.assertEqual((digest.line_ids, digest.activity_ids), (self.Plan, self.env["mail.activity"]))
        self.vendor_b.buyer_id = self.jxc_user
        self.Digest._send_digests(self.company)
        self.assertTrue(digest.line_ids)
        self.assertEqual(digest.activity_ids.user_id, self.jxc_user)
        # a to-do the buyer marked done stays done while its lines are updated
        digest.activity_ids.action_feedback()
        self.Digest._send_digests(self.company)
        self.assertFalse(digest.activity_ids)

    def test_digest_goes_to_the_products_responsible_when_the_buyer_may_not(self):
        self.vendor_b.buyer_id = self.clerk  # no inventory control rights
        self.product_1.with_company(self.company).responsible_id = self.jxc_user
        self.Plan._cron_refresh()
        digest = self.Digest.search([("company_id", "=", self.company.id), ("user_id", "=", self.jxc_user.id)])
        self.assertEqual(digest.line_ids.product_id, self.product_1)
        self.assertNotIn(self.clerk, self.Digest.search([]).user_id)

    def test_digest_logs_the_warnings_nobody_may_open(self):
        """No buyer, product responsible or inventory control manager works for the company: the
        warnings go to nobody, and the log says so, naming the products."""
        self.vendor_b.buyer_id = self.clerk
        managers = self.env.ref("jxc_addon.group_jxc_manager").sudo()
        managers.write({"user_ids": [Command.unlink(user.id) for user in managers.user_ids]})
        self.Plan._refresh(self.company)
        with self.assertLogs("odoo.addons.jxc_addon.models.jxc_stock_warning_digest", "WARNING") as logs:
            digests = self.Digest._send_digests(self.company)
        self.assertFalse(digests)
        self.assertEqual(len(logs.output), 1)
        self.assertIn("reach nobody", logs.output[0])
        self.assertIn(self.product_1.display_name, logs.output[0])

    def test_digest_to_a_manager_through_an_implied_group(self):
        """The only inventory control manager has the group through another that implies it."""
        director = self.env["res.groups"].create({
            "name": "JXC Director", "implied_ids": [Command.link(self.env.ref("jxc_addon.group_jxc_manager").id)],
        })
        managers = self.env.ref("jxc_addon.group_jxc_manager").sudo()
        managers.write({"user_ids": [Command.unlink(user.id) for user in managers.user_ids]})
        boss = new_test_user(self.env, login="jxc_plan_director", groups="base.group_user", company_id=self.company.id,
                             company_ids=self.company.ids)
        boss.group_ids = [Command.link(director.id)]
        self.vendor_b.buyer_id = self.clerk
        self.Plan._refresh(self.company)
        self.assertEqual(self.Digest._send_digests(self.company).user_id, boss)

    # --- 5. stock already out, receipt overdue ----------------------------------------------------
    def test_stockout_flagged_when_out_and_the_receipt_is_overdue(self):
        """Product 1: its 10 on hand all reserved for an order, and a receipt due on 28 June not
        received: out now, and nothing arrives before today."""
        self._create_sale(self.customer_a, [(self.product_1, 10.0, 25.0)])
        with freeze_time("2025-06-25 02:00:00"):
            self._create_purchase(self.vendor_a, [(self.product_1, 30.0, 10.0)], date_planned="2025-06-28 04:00:00")
        line = self._line(self.Plan._refresh(self.company), self.product_1)
        self.assertEqual((line.qty_on_hand, line.qty_outgoing), (10.0, 10.0))
        self.assertEqual((line.next_receipt_date, line.stockout_date), (date(2025, 6, 28), date(2025, 6, 30)))
        self.assertTrue(line.is_stockout_risk)

    # --- 6. drift to-dos: who, in which language, on which day ------------------------------------
    def test_drift_todo_for_an_eligible_user_in_their_language_on_the_company_day(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["jxc_addon"], ["zh_CN"], overwrite=True)
        self.jxc_user.lang = "zh_CN"
        orderpoint = self._orderpoint(self.product_1)
        orderpoint.sudo().write({"jxc_forecast_bias_z": 3.0})
        self.vendor_b.buyer_id = self.clerk  # no inventory control rights: not them
        self.product_1.with_company(self.company).responsible_id = self.jxc_user
        # 17:00 UTC on 30 June is 1 July in Shanghai
        with freeze_time(datetime(2025, 6, 30, 17, 0)):
            self.env["jxc.forecast.drift"]._send_alerts(self.company, orderpoint)
        activity = self.env["mail.activity"].search([
            ("res_model", "=", "product.product"), ("res_id", "=", self.product_1.id),
            ("activity_type_id", "=", self.env.ref("mail.mail_activity_data_warning").id),
        ])
        self.assertEqual(activity.user_id, self.jxc_user)
        self.assertEqual(activity.date_deadline, date(2025, 7, 1))
        self.assertTrue(activity.summary.startswith("预测偏离"), activity.summary)
