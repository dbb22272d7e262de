import logging
from datetime import date
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.fields import Datetime as DatetimeField
from odoo.tests import new_test_user, tagged
from odoo.tools import convert_file

from ..models.jxc_count_cycle_rule import JxcCountCycleRule
from .common import run_migration
from .count_common import JxcCountCommon


@tagged("post_install", "-at_install")
class TestCountCycle(JxcCountCommon):
    """Cycle-count rules: by ABC class, by value turned over, zero confirmation; the daily cron."""

    def _rule(self, **vals):
        return self.env["jxc.count.cycle.rule"].create({
            "name": "Test rule", "warehouse_id": self.warehouse.id, "user_id": self.jxc_manager.id, **vals,
        })

    def _ship(self, product, qty, location):
        """A done delivery of ``qty`` of ``product`` taken from ``location``."""
        customers = self.env.ref("stock.stock_location_customers")
        picking = self.env["stock.picking"].create({
            "picking_type_id": self.warehouse.out_type_id.id,
            "location_id": location.id,
            "location_dest_id": customers.id,
            "move_ids": [Command.create({
                "product_id": product.id, "product_uom_qty": qty, "location_id": location.id,
                "location_dest_id": customers.id,
            })],
        })
        picking.action_confirm()
        return self._validate_picking(picking)

    def _post_plan(self, plan):
        plan.action_start()
        for line in plan.line_ids:
            line.counted_qty = line.book_qty
        plan.action_submit()
        plan.action_approve()
        plan.action_post()

    def test_abc_rule_schedules_by_class_and_spreads_lines(self):
        self.product_1.jxc_abc_class = "a"
        self.product_2.jxc_abc_class = "b"
        self.product_3.jxc_abc_class = "c"
        rule = self._rule(rule_type="abc", days_a=30, days_b=90, days_c=365, max_lines_per_day=2)
        with freeze_time("2025-01-01 02:00:00"):
            plan_a = rule._create_due_plans()
            # Never counted: all due; at most 2 lines today, by product.
            self.assertEqual(plan_a.product_ids, self.product_1 | self.product_2)
            self.assertEqual((plan_a.count_type, plan_a.cycle_rule_id, plan_a.state), ("cycle", rule, "draft"))
            self.assertTrue(plan_a.blind)
            self.assertEqual(plan_a.activity_ids.summary, "Cycle count due (Test rule)")
            self.assertEqual(plan_a.activity_ids.date_deadline.isoformat(), "2025-01-01")
            # run again the same day (by hand): the day's plan is made, no second day's worth of lines
            self.assertFalse(rule._create_due_plans())
            plan_a.date_scheduled = "2025-01-02"  # a supervisor moves it: tomorrow still gets its plan
        with freeze_time("2025-01-02 02:00:00"):
            plan_b = rule._create_due_plans()
            self.assertEqual(plan_b.product_ids, self.product_3)  # the rest, products 1 and 2 are planned
            self._post_plan(plan_a)
            plan_b.action_cancel()
        with freeze_time("2025-01-30 02:00:00"):  # 28 days after the count: A not due yet, C never counted
            plan_c = rule._create_due_plans()
            self.assertEqual(plan_c.product_ids, self.product_3)
        with freeze_time("2025-02-01 02:00:00"):  # 30 days after the count (2 January): A due again, B (90 days) not
            plan_d = rule._create_due_plans()
            self.assertEqual(plan_d.product_ids, self.product_1)
        self.assertEqual(rule.plan_ids, plan_a | plan_b | plan_c | plan_d)

    def test_plan_scheduled_on_the_company_day(self):
        """Run at 17:00 UTC on 31 March it is already 1 April in Shanghai: the plan and its
        activity are due on the company's day, whatever the timezone of the user the scheduler
        runs as."""
        self.env.user.tz = "America/New_York"
        self.product_1.jxc_abc_class = "a"
        rule = self._rule(rule_type="abc")
        with freeze_time("2025-03-31 17:00:00"):
            plan = rule._create_due_plans()
        self.assertEqual(plan.date_scheduled, date(2025, 4, 1))
        self.assertEqual(plan.activity_ids.date_deadline, date(2025, 4, 1))

    def test_abc_rule_class_n_not_counted_by_default(self):
        self.product_1.jxc_abc_class = "n"
        self.product_2.jxc_abc_class = "a"
        self.product_3.jxc_abc_class = False  # unclassified counts as N
        rule = self._rule(rule_type="abc")
        self.assertEqual(rule._create_due_plans().product_ids, self.product_2)

    def test_abc_rule_last_count_per_location(self):
        """product_1: 100 on Shelf 1, never counted, and 5 on Shelf 3, shipped. The zero
        confirmation of the emptied Shelf 3 counts Shelf 3 only: product_1 is still never
        counted on Shelf 1, hence due for the ABC rule the next day."""
        shelf_3 = self.env["stock.location"].create({"name": "Shelf 3", "location_id": self.stock_location.id})
        with freeze_time("2025-03-01 02:00:00"):
            self._set_on_hand(self.product_1, 5, shelf_3)
        self.product_1.jxc_abc_class = "a"
        zero = self._rule(rule_type="zero")
        with freeze_time("2025-03-02 01:00:00"):
            self.assertFalse(zero._create_due_plans())
        with freeze_time("2025-03-02 03:00:00"):
            self._ship(self.product_1, 5, shelf_3)
        with freeze_time("2025-03-03 02:00:00"):
            confirmation = zero._create_due_plans()
            self.assertEqual(confirmation.location_ids, shelf_3)
            self._post_plan(confirmation)
        self.assertEqual([(line.product_id, line.location_id, line.book_qty) for line in confirmation.line_ids],
                         [(self.product_1, shelf_3, 0.0)])
        rule = self._rule(rule_type="abc", days_a=30)
        with freeze_time("2025-03-04 02:00:00"):
            self.assertEqual(rule._create_due_plans().product_ids, self.product_1)

    def test_abc_rule_due_on_company_days(self):
        """Counted at 20:00 in Shanghai on 1 January, an A product (30 days) is due on
        31 January, whatever the hour of the morning run."""
        self.product_1.jxc_abc_class = "a"
        rule = self._rule(rule_type="abc", days_a=30)
        with freeze_time("2025-01-01 12:00:00"):
            plan = rule._create_due_plans()
            self.assertEqual(plan.product_ids, self.product_1)
            self._post_plan(plan)
        with freeze_time("2025-01-30 02:00:00"):
            self.assertFalse(rule._create_due_plans())
        with freeze_time("2025-01-31 02:00:00"):  # 10:00 in Shanghai, 30 days after the count
            self.assertEqual(rule._create_due_plans().product_ids, self.product_1)

    def _count_on_1_january_post_on_20th(self, rule):
        """The rule's plan of 1 January 2025 counted as the book says that day, approved and
        posted on 20 January."""
        with freeze_time("2025-01-01 02:00:00"):
            plan = rule._create_due_plans()
            plan.action_start()
            for line in plan.line_ids:
                line.counted_qty = line.book_qty
            plan.action_submit()
        with freeze_time("2025-01-20 02:00:00"):
            plan.action_approve()
            plan.action_post()
        return plan

    def test_abc_rule_cycle_from_the_count_not_the_posting(self):
        """Counted on 1 January, approved and posted on 20 January: an A product (30 days) is
        due on 31 January, 30 days after it was counted, not on 19 February."""
        self.product_1.jxc_abc_class = "a"
        rule = self._rule(rule_type="abc", days_a=30)
        self._count_on_1_january_post_on_20th(rule)
        with freeze_time("2025-01-30 02:00:00"):
            self.assertFalse(rule._create_due_plans())
        with freeze_time("2025-01-31 02:00:00"):
            self.assertEqual(rule._create_due_plans().product_ids, self.product_1)

    def _count_in_physical_inventory(self, product, location, qty):
        """Count ``product`` at ``location`` in Odoo's Physical Inventory and apply it."""
        quant = self.env["stock.quant"].with_context(inventory_mode=True).search(
            [("product_id", "=", product.id), ("location_id", "=", location.id)])
        quant.inventory_quantity = qty
        self.assertIsNone(quant.action_apply_inventory())  # applied, no conflict wizard

    def test_abc_rule_counts_physical_inventory(self):
        """Class A every 30 days, no count plan: the Widget counted 98 (of 100) in Odoo's
        Physical Inventory yesterday, 14 June, is not due; the Gadget's 50 confirmed there 40
        days ago, 6 May, are. The Gizmo, last adjusted when put on hand (1 January 2024), is
        class N and not counted."""
        self.product_1.jxc_abc_class = "a"
        self.product_2.jxc_abc_class = "a"
        self.product_3.jxc_abc_class = "n"
        with freeze_time("2025-05-06 02:00:00"):
            self._count_in_physical_inventory(self.product_2, self.shelf_1, 50)
        with freeze_time("2025-06-14 02:00:00"):
            self._count_in_physical_inventory(self.product_1, self.shelf_1, 98)
        self.assertEqual(self._on_hand(self.product_1, self.shelf_1), 98.0)
        rule = self._rule(rule_type="abc", days_a=30)
        self.assertEqual(rule._get_last_count_dates(rule._get_locations()), {
            self.product_1.id: DatetimeField.to_datetime("2025-06-14 02:00:00"),
            self.product_2.id: DatetimeField.to_datetime("2025-05-06 02:00:00"),
            self.product_3.id: DatetimeField.to_datetime("2024-01-01 02:00:00"),
        })
        with freeze_time("2025-06-15 02:00:00"):
            self.assertEqual(rule._create_due_plans().product_ids, self.product_2)

    def test_abc_rule_physical_inventory_after_a_plan(self):
        """The Widget counted by a plan on 1 January, posted on 20 January (its confirmation
        move, dated then, is the plan's: the count is of 1 January), then counted 97 in
        Physical Inventory on 10 February: class A (30 days), it is due on 12 March, 30 days
        after the later count, not on 31 January."""
        self.product_1.jxc_abc_class = "a"
        rule = self._rule(rule_type="abc", days_a=30)
        self._count_on_1_january_post_on_20th(rule)
        locations = rule._get_locations()
        self.assertEqual(rule._get_last_count_dates(locations)[self.product_1.id],
                         DatetimeField.to_datetime("2025-01-01 02:00:00"))
        with freeze_time("2025-02-10 02:00:00"):
            self._count_in_physical_inventory(self.product_1, self.shelf_1, 97)
        self.assertEqual(rule._get_last_count_dates(locations)[self.product_1.id],
                         DatetimeField.to_datetime("2025-02-10 02:00:00"))
        with freeze_time("2025-03-11 02:00:00"):
            self.assertFalse(rule._create_due_plans())
        with freeze_time("2025-03-12 02:00:00"):
            self.assertEqual(rule._create_due_plans().product_ids, self.product_1)

    def test_abc_rule_counts_negative_stock(self):
        """An oversold A product (-7 on Shelf 1) is due like any other, and counted at -7."""
        oversold = self.env["product.product"].create(self._prepare_product_vals("JXC Oversold", 5.0, 8.0, "JXC-NEG"))
        self.env["stock.quant"]._update_available_quantity(oversold, self.shelf_1, -7)
        oversold.jxc_abc_class = "a"
        rule = self._rule(rule_type="abc")
        plan = rule._create_due_plans()
        self.assertEqual(plan.product_ids, oversold)
        plan.action_start()
        self.assertEqual([(line.location_id, line.book_qty) for line in plan.line_ids], [(self.shelf_1, -7.0)])

    def test_abc_rule_most_overdue_first(self):
        """One line a day: product_1 (A, 30 days) counted on 22 May is due since 21 June;
        product_3 (C, 365 days) counted on 30 June 2024 since 30 June 2025. On 1 July the A
        product, 10 days overdue, goes before the C product, 1 day overdue."""
        self.product_1.jxc_abc_class = "a"
        self.product_3.jxc_abc_class = "c"
        with freeze_time("2024-06-30 02:00:00"):
            self._post_plan(self._create_plan(count_type="cycle", product_ids=[Command.set(self.product_3.ids)]))
        with freeze_time("2025-05-22 02:00:00"):
            self._post_plan(self._create_plan(count_type="cycle", product_ids=[Command.set(self.product_1.ids)]))
        rule = self._rule(rule_type="abc", days_a=30, days_b=90, days_c=365, max_lines_per_day=1)
        with freeze_time("2025-07-01 02:00:00"):
            self.assertEqual(rule._create_due_plans().product_ids, self.product_1)

    def test_abc_rule_never_counted_first_then_by_class(self):
        """Products never counted come first, the more valuable class first (product_3, A,
        before product_2, C), then the counted ones by due date."""
        self.product_1.jxc_abc_class = "a"
        with freeze_time("2025-05-22 02:00:00"):
            self._post_plan(self._create_plan(count_type="cycle", product_ids=[Command.set(self.product_1.ids)]))
        self.product_2.jxc_abc_class = "c"
        self.product_3.jxc_abc_class = "a"
        rule = self._rule(rule_type="abc", days_a=30, days_c=365)
        with freeze_time("2025-07-01 02:00:00"):
            self.assertEqual(rule._get_due_product_ids(DatetimeField.now()),
                             [self.product_3.id, self.product_2.id, self.product_1.id])

    def test_rule_responsible_defaults_to_its_creator(self):
        rule = self.env["jxc.count.cycle.rule"].with_user(self.jxc_manager).create({
            "name": "Test rule", "warehouse_id": self.warehouse.id, "rule_type": "abc",
        })
        self.assertEqual(rule.user_id, self.jxc_manager)
        # created by the system (OdooBot): nobody by default
        self.assertFalse(self.env["jxc.count.cycle.rule"].create({
            "name": "System rule", "warehouse_id": self.warehouse.id, "rule_type": "abc",
        }).user_id)

    def test_cron_plan_of_rule_without_responsible(self):
        """A rule left without Responsible, run by the scheduled action (as OdooBot): the plan
        and its to-do go to the rule's creator, the to-do in the creator's language."""
        self.env["res.lang"]._activate_lang("zh_CN")
        creator = new_test_user(self.env, login="jxc_zh_manager", groups="jxc_addon.group_jxc_manager", lang="zh_CN")
        self.product_1.jxc_abc_class = "a"
        rule = self.env["jxc.count.cycle.rule"].with_user(creator).create({
            "name": "Test rule", "warehouse_id": self.warehouse.id, "rule_type": "abc", "user_id": False,
        })
        Rule = self.env["jxc.count.cycle.rule"].with_user(self.env.ref("base.user_root"))
        with freeze_time("2025-03-03 02:00:00"):
            plans = Rule._cron_create_due_plans()
        self.assertEqual((plans.cycle_rule_id, plans.user_id), (rule, creator))
        self.assertEqual([(a.user_id, a.summary) for a in plans.activity_ids], [(creator, "循环盘点到期（Test rule）")])

    def test_plan_without_anyone_responsible(self):
        """A rule made by the system without Responsible and nobody to fall back on: the plan
        is made without a to-do (nobody would read OdooBot's), and the log says so."""
        self.product_1.jxc_abc_class = "a"
        rule = self._rule(rule_type="abc", user_id=False)
        with self.assertLogs("odoo.addons.jxc_addon.models.jxc_count_cycle_rule", level=logging.WARNING) as logs:
            plan = rule._create_due_plans()
        self.assertEqual(plan.product_ids, self.product_1)
        self.assertFalse(plan.user_id)
        self.assertFalse(plan.activity_ids)
        self.assertIn("no active internal user of the counts", logs.output[0])

    def test_manual_draft_plan_does_not_hold_back_cycle_counts(self):
        """A manual plan of the Widget left in draft counts nothing: the class-A Widget is still
        due by the cycle rule; a draft cycle plan of it (the rule's, not started) holds it back."""
        self.product_1.jxc_abc_class = "a"
        rule = self._rule(rule_type="abc", days_a=30, days_b=0, days_c=0)
        self._create_plan(product_ids=[Command.set(self.product_1.ids)])
        with freeze_time("2025-01-01 02:00:00"):
            plan = rule._create_due_plans()
            self.assertEqual(plan.product_ids, self.product_1)
        with freeze_time("2025-01-02 02:00:00"):
            self.assertFalse(rule._create_due_plans())

    def test_turnover_rule(self):
        rule = self._rule(rule_type="turnover", turnover_value=200.0)
        with freeze_time("2025-03-01 02:00:00"):
            self.assertFalse(rule._create_due_plans())
        with freeze_time("2025-03-02 02:00:00"):
            # 25 x 10 = 250 of product_1 turned over; 10 x 4 = 40 of product_2.
            sale = self._create_sale(self.customer_a, [(self.product_1, 25, 25.0), (self.product_2, 10, 9.0)])
            picking = self._deliver(sale)
        self.assertEqual(sum(abs(v) for v in picking.move_ids.filtered(lambda m: m.product_id == self.product_1).mapped("value")), 250.0)
        with freeze_time("2025-03-03 02:00:00"):
            plan = rule._create_due_plans()
            self.assertEqual(plan.product_ids, self.product_1)
            self._post_plan(plan)
        with freeze_time("2025-03-04 02:00:00"):
            # Counted since: the turnover starts again from zero.
            self.assertFalse(rule._create_due_plans())
        with self.assertRaises(ValidationError):
            self._rule(rule_type="turnover", turnover_value=0.0)

    def test_turnover_rule_last_count_per_location(self):
        """250 of product_1 turned over from Shelf 1, which never counted it; a count of Shelf 3
        (its 5 other units) the day after does not start the turnover again from zero."""
        shelf_3 = self.env["stock.location"].create({"name": "Shelf 3", "location_id": self.stock_location.id})
        with freeze_time("2025-03-01 02:00:00"):
            self._set_on_hand(self.product_1, 5, shelf_3)
        rule = self._rule(rule_type="turnover", turnover_value=200.0)
        with freeze_time("2025-03-02 02:00:00"):
            self._ship(self.product_1, 25, self.shelf_1)
        with freeze_time("2025-03-03 02:00:00"):
            self._post_plan(self._create_plan(location_ids=[Command.set(shelf_3.ids)]))
        with freeze_time("2025-03-04 02:00:00"):
            self.assertEqual(rule._create_due_plans().product_ids, self.product_1)

    def test_turnover_rule_counts_only_what_is_left_to_count(self):
        """The 10 Gizmos (cost 50) all shipped, 500 turned over: nothing is left in the
        warehouse to count, so the Gizmo is not due (a plan of it would find nothing, and it
        would be due again every day); the Widget, 25 of 100 shipped, is."""
        rule = self._rule(rule_type="turnover", turnover_value=200.0)
        with freeze_time("2025-03-02 02:00:00"):
            self._ship(self.product_3, 10, self.shelf_2)
            self._ship(self.product_1, 25, self.shelf_1)
        with freeze_time("2025-03-03 02:00:00"):
            self.assertEqual(rule._create_due_plans().product_ids, self.product_1)

    def test_turnover_rule_counts_transfers_to_another_warehouse(self):
        """30 Gadgets (cost 4) sent to another warehouse of the company: a transfer between two
        valued locations, to which Odoo books no value; it turned 30 x 4 = 120 over all the same."""
        warehouse_2 = self.env["stock.warehouse"].create({"name": "JXC Cycle Second", "code": "JXC2"})
        rule = self._rule(rule_type="turnover", turnover_value=100.0)
        with freeze_time("2025-03-02 02:00:00"):
            picking = self.env["stock.picking"].create({
                "picking_type_id": self.warehouse.int_type_id.id, "location_id": self.shelf_1.id,
                "location_dest_id": warehouse_2.lot_stock_id.id,
                "move_ids": [Command.create({
                    "product_id": self.product_2.id, "product_uom_qty": 30, "location_id": self.shelf_1.id,
                    "location_dest_id": warehouse_2.lot_stock_id.id,
                })],
            })
            picking.action_confirm()
            self._validate_picking(picking)
        self.assertEqual(picking.move_ids.value, 0.0)
        with freeze_time("2025-03-03 02:00:00"):
            self.assertEqual(rule._create_due_plans().product_ids, self.product_2)

    def test_zero_confirmation_rule(self):
        rule = self._rule(rule_type="zero")
        with freeze_time("2025-04-01 02:00:00"):
            self.assertFalse(rule._create_due_plans())
        with freeze_time("2025-04-01 05:00:00"):
            sale = self._create_sale(self.customer_a, [(self.product_3, 10, 80.0), (self.product_1, 5, 25.0)])
            self._deliver(sale)
        with freeze_time("2025-04-02 02:00:00"):
            plan = rule._create_due_plans()
            # Shelf 2 is empty now; Shelf 1 still holds goods.
            self.assertEqual(plan.location_ids, self.shelf_2)
            self.assertTrue(plan.zero_confirmation)
            self.assertFalse(plan.include_children)
            plan.action_start()
            line = plan.line_ids
            self.assertEqual((line.product_id, line.location_id, line.book_qty), (self.product_3, self.shelf_2, 0.0))
            self.assertFalse(rule._create_due_plans())  # no new move out since the last run

    def test_zero_confirmation_after_a_relocation(self):
        """Shelf 2's 10 Gizmos relocated to Shelf 1 with Odoo's Relocate (an inventory move in
        Odoo 19, between two shelves): Shelf 2 is empty, and is confirmed so. A consumable
        taken out of an empty Shelf 3 empties nothing: Odoo keeps no stock of it to count."""
        rule = self._rule(rule_type="zero")
        shelf_3 = self.env["stock.location"].create({"name": "Shelf 3", "location_id": self.stock_location.id})
        gloves = self.env["product.product"].create({"name": "JXC Gloves", "type": "consu", "is_storable": False})
        with freeze_time("2025-04-01 02:00:00"):
            self.assertFalse(rule._create_due_plans())
        with freeze_time("2025-04-01 05:00:00"):
            quant = self.env["stock.quant"].search([("product_id", "=", self.product_3.id), ("location_id", "=", self.shelf_2.id)])
            quant.move_quants(location_dest_id=self.shelf_1)
            self.assertTrue(self.env["stock.move"].search([("product_id", "=", self.product_3.id)], order="id desc", limit=1).is_inventory)
            move = self.env["stock.move"].create({
                "product_id": gloves.id, "product_uom_qty": 3, "product_uom": gloves.uom_id.id,
                "location_id": shelf_3.id, "location_dest_id": self.env.ref("stock.stock_location_customers").id,
            })
            move._action_confirm()
            move.quantity = 3
            move.picked = True
            move._action_done()
            self.assertEqual(move.state, "done")
        with freeze_time("2025-04-02 02:00:00"):
            plan = rule._create_due_plans()
        self.assertEqual(plan.location_ids, self.shelf_2)
        plan.action_start()
        self.assertEqual(plan.line_ids.product_id, self.product_3)

    def _zero_rule_after_both_shelves_emptied(self, max_lines_per_day):
        """(a zero-confirmation rule, its plan of 2 April): everything on both shelves delivered
        on 1 April, after the rule's first run."""
        rule = self._rule(rule_type="zero", max_lines_per_day=max_lines_per_day)
        with freeze_time("2025-04-01 02:00:00"):
            self.assertFalse(rule._create_due_plans())
        with freeze_time("2025-04-01 05:00:00"):
            self._deliver(self._create_sale(self.customer_a, [
                (self.product_1, 100, 25.0), (self.product_2, 50, 9.0), (self.product_3, 10, 80.0)]))
        with freeze_time("2025-04-02 02:00:00"):
            first = rule._create_due_plans()
        return rule, first

    def test_zero_confirmation_over_the_daily_limit_and_while_open(self):
        """Both shelves emptied, one location a day: Shelf 1 today, Shelf 2 tomorrow (it is not
        lost when the window moves on); a location whose confirmation is still open gets no
        second one, even when emptied again."""
        rule, first = self._zero_rule_after_both_shelves_emptied(max_lines_per_day=1)
        with freeze_time("2025-04-03 02:00:00"):
            second = rule._create_due_plans()
        self.assertEqual((first.location_ids, second.location_ids), (self.shelf_1, self.shelf_2))
        # Shelf 2 refilled and emptied again while its confirmation is still a draft
        with freeze_time("2025-04-03 05:00:00"):
            self.env["stock.quant"]._update_available_quantity(self.product_3, self.shelf_2, 4)
            self._deliver(self._create_sale(self.customer_a, [(self.product_3, 4, 80.0)]))
        with freeze_time("2025-04-04 02:00:00"):
            self.assertFalse(rule._create_due_plans())

    def test_zero_confirmation_counted_after_an_emptying_confirms_it(self):
        """Shelf 2's confirmation is made at 02:00; Shelf 2 is refilled and emptied at 09:00,
        and counted from 10:00: that count confirmed the 09:00 emptying, none is made again."""
        rule = self._rule(rule_type="zero")
        with freeze_time("2025-04-01 02:00:00"):
            self.assertFalse(rule._create_due_plans())
        with freeze_time("2025-04-01 05:00:00"):
            self._deliver(self._create_sale(self.customer_a, [(self.product_3, 10, 80.0)]))
        with freeze_time("2025-04-02 02:00:00"):
            plan = rule._create_due_plans()
        self.assertEqual(plan.location_ids, self.shelf_2)
        # made at 02:00 (a test's records carry its transaction's time)
        self.env.cr.execute("UPDATE jxc_count_plan SET create_date = '2025-04-02 02:00:00' WHERE id = %s", [plan.id])
        plan.invalidate_recordset(["create_date"])
        with freeze_time("2025-04-02 09:00:00"):
            self.env["stock.quant"]._update_available_quantity(self.product_3, self.shelf_2, 4)
            self._deliver(self._create_sale(self.customer_a, [(self.product_3, 4, 80.0)]))
        with freeze_time("2025-04-02 10:00:00"):
            self._post_plan(plan)
        self.assertEqual(plan.state, "done")
        with freeze_time("2025-04-03 02:00:00"):
            self.assertFalse(rule._create_due_plans())

    def test_zero_confirmation_lines_within_the_daily_limit(self):
        """Two lines a day: Shelf 1 (Widgets and Gadgets left it) fills the first day, Shelf 2
        (Gizmos) waits. Shelf 1 confirmed, refilled with Widgets and emptied again: the next
        plan holds both shelves, two lines, with the Widgets alone on Shelf 1 (what left it
        since its confirmation), not again the Gadgets it confirmed."""
        rule, first = self._zero_rule_after_both_shelves_emptied(max_lines_per_day=2)
        self.assertEqual(first.location_ids, self.shelf_1)
        with freeze_time("2025-04-02 10:00:00"):
            self._post_plan(first)
        self.assertEqual(first.line_ids.product_id, self.product_1 | self.product_2)
        with freeze_time("2025-04-02 15:00:00"):
            self.env["stock.quant"]._update_available_quantity(self.product_1, self.shelf_1, 4)
            self._deliver(self._create_sale(self.customer_a, [(self.product_1, 4, 25.0)]))
        with freeze_time("2025-04-03 02:00:00"):
            second = rule._create_due_plans()
            self.assertEqual(second.location_ids, self.shelf_1 | self.shelf_2)
            second.action_start()
        self.assertEqual({(line.product_id, line.location_id) for line in second.line_ids},
                         {(self.product_1, self.shelf_1), (self.product_3, self.shelf_2)})

    def test_cron_skips_failing_rule(self):
        self.product_1.jxc_abc_class = "a"
        good = self._rule(rule_type="abc", sequence=2)
        bad = self._rule(rule_type="abc", name="Broken rule", sequence=1)
        original = JxcCountCycleRule._prepare_plan_vals

        def prepare(rule, now):
            if rule == bad:
                raise ValueError("boom")
            return original(rule, now)

        with patch.object(JxcCountCycleRule, "_prepare_plan_vals", autospec=True, side_effect=prepare), \
                self.assertLogs("odoo.addons.jxc_addon.models.jxc_count_cycle_rule", level=logging.ERROR) as logs:
            plans = self.env["jxc.count.cycle.rule"]._cron_create_due_plans()
        self.assertEqual(plans.cycle_rule_id, good)
        self.assertEqual(plans.product_ids, self.product_1)
        self.assertIn("Broken rule", logs.output[0])
        self.assertTrue(good.last_run)
        self.assertFalse(bad.last_run)

    def test_cron_commits_only_behind_flag(self):
        self.product_1.jxc_abc_class = "a"
        self._rule(rule_type="abc")
        self._rule(rule_type="zero")
        cron_model = type(self.env["ir.cron"])
        with patch.object(cron_model, "_commit_progress", autospec=True, return_value=True) as commit:
            plans = self.env["jxc.count.cycle.rule"]._cron_create_due_plans(use_new_cursor=True)
        # Announced the 2 rules, then reported each one done.
        self.assertEqual([call.kwargs.get("remaining") for call in commit.call_args_list], [2, None, None])
        self.assertEqual([call.args[1:] for call in commit.call_args_list], [(), (1,), (1,)])
        self.assertEqual(plans.product_ids, self.product_1)
        # Called again the same day (Odoo calls the job again while its time is up): both rules
        # were looked at today, nothing is taken again, nothing committed without the flag.
        with patch.object(cron_model, "_commit_progress", autospec=True, return_value=True) as commit:
            self.assertFalse(self.env["jxc.count.cycle.rule"]._cron_create_due_plans(use_new_cursor=True))
            self.assertEqual([call.kwargs.get("remaining") for call in commit.call_args_list], [0])
            commit.reset_mock()
            self.env["jxc.count.cycle.rule"]._cron_create_due_plans()
            commit.assert_not_called()

    def test_cron_record(self):
        cron = self.env.ref("jxc_addon.jxc_count_cycle_rule_cron")
        # each rule once per day of its company, in the first run after the company's midnight
        self.assertEqual((cron.interval_number, cron.interval_type), (1, "hours"))
        self.assertIn("use_new_cursor=True", cron.code)

    def test_cron_deactivation_survives_upgrade(self):
        """An administrator's deactivation of the scheduled action holds through an upgrade,
        which reloads the data file in update mode."""
        cron = self.env.ref("jxc_addon.jxc_count_cycle_rule_cron")
        cron.active = False
        convert_file(self.env, "jxc_addon", "data/jxc_count_cron.xml", {}, mode="update")
        cron.invalidate_recordset()
        self.assertFalse(cron.active)

    def test_upgrade_marks_the_job_noupdate(self):
        """A database installed while the data file was not noupdate keeps the job's row updatable
        until the 19.0.1.3.0 migration marks it, as the file says now."""
        data = self.env["ir.model.data"].search([("module", "=", "jxc_addon"), ("name", "=", "jxc_count_cycle_rule_cron")])
        self.assertTrue(data.noupdate)
        data.noupdate = False
        run_migration(self.env, "19.0.1.3.0")
        data.invalidate_recordset()
        self.assertTrue(data.noupdate)

    def test_rule_validation(self):
        with self.assertRaises(ValidationError):
            self._rule(max_lines_per_day=0)
        with self.assertRaises(ValidationError):
            self._rule(days_a=-1)
        # an interval past any date (a scanner's digits typed in it) would fail the hourly job on every run
        with self.assertRaisesRegex(ValidationError, "3650 days \\(ten years\\) or fewer"):
            self._rule(days_c=99999999)
        self.assertEqual(self._rule(days_n=3650).days_n, 3650)
