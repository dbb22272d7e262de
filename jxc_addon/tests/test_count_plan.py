from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .count_common import JxcCountCommon


@tagged("post_install", "-at_install")
class TestCountPlan(JxcCountCommon):
    """Scope, snapshot, counting, submission and overlap of count plans."""

    def test_sequence_and_full_snapshot(self):
        plan = self._create_plan()
        self.assertRegex(plan.name, r"^PD/\d{4}/\d{5}$")
        self.assertEqual(plan.state, "draft")
        plan.action_start()
        self.assertEqual(plan.state, "in_progress")
        self.assertTrue(plan.snapshot_date)
        self.assertEqual(plan.line_count, 3)
        self.assertEqual(self._line(plan, self.product_1).book_qty, 100)
        self.assertEqual(self._line(plan, self.product_1).location_id, self.shelf_1)
        self.assertEqual(self._line(plan, self.product_2).book_qty, 50)
        self.assertEqual(self._line(plan, self.product_3).location_id, self.shelf_2)
        self.assertEqual(self._line(plan, self.product_3).unit_cost, 50.0)
        self.assertEqual(sum(plan.line_ids.mapped("book_value")), 1700.0)

    def test_scope_filters(self):
        # Location without children: nothing lies on WH/Stock itself.
        plan = self._create_plan(location_ids=[(6, 0, self.stock_location.ids)], include_children=False)
        with self.assertRaisesRegex(UserError, "finds nothing to count"):
            plan.action_start()
        plan = self._create_plan(location_ids=[(6, 0, self.shelf_1.ids)])
        plan.action_start()
        self.assertEqual(plan.line_ids.product_id, self.product_1 | self.product_2)
        plan.action_cancel()

        other_categ = self.env["product.category"].create({"name": "Other", "parent_id": self.category.id})
        self.product_3.categ_id = other_categ
        plan = self._create_plan(categ_ids=[(6, 0, other_categ.ids)])
        plan.action_start()
        self.assertEqual(plan.line_ids.product_id, self.product_3)
        plan.action_cancel()

        self.product_1.jxc_abc_class = "a"
        self.product_2.jxc_abc_class = "b"
        plan = self._create_plan(abc_a=True, abc_c=True)
        plan.action_start()
        self.assertEqual(plan.line_ids.product_id, self.product_1)
        plan.action_cancel()

        # Explicit products on an explicit location: a product not stocked there gets a zero line.
        plan = self._create_plan(product_ids=[(6, 0, (self.product_1 | self.product_3).ids)],
                                 location_ids=[(6, 0, self.shelf_1.ids)], include_children=False)
        plan.action_start()
        self.assertEqual(len(plan.line_ids), 2)
        self.assertEqual(self._line(plan, self.product_1).book_qty, 100)
        self.assertEqual(self._line(plan, self.product_3).book_qty, 0)

    def test_full_life_cycle(self):
        plan = self._create_plan(accounting_date="2025-06-30")
        plan.action_start()
        with self.assertRaisesRegex(UserError, "3 line\\(s\\) .* are not counted"):
            plan.action_submit()
        self._count(plan, {self.product_1: 98, self.product_2: 50, self.product_3: 11})
        line_1 = self._line(plan, self.product_1)
        self.assertEqual(line_1.counted_by_id, self.env.user)
        self.assertTrue(line_1.counted_at)
        self.assertEqual(line_1.difference_qty, -2)
        self.assertEqual(line_1.difference_value, -20.0)
        self.assertFalse(line_1.is_discrepancy)  # 2 % <= 5 %
        line_3 = self._line(plan, self.product_3)
        self.assertEqual(line_3.difference_value, 50.0)
        self.assertTrue(line_3.is_discrepancy)  # 10 % > 5 %
        plan.action_submit()
        self.assertEqual(plan.state, "counted")
        self.assertEqual(line_3.review_state, "to_review")
        self.assertEqual(line_1.review_state, "ok")
        self.assertEqual(plan.to_review_count, 1)
        with self.assertRaisesRegex(UserError, "beyond tolerance have no reason"):
            plan.action_approve()
        line_3.reason_id = self.reason_damage  # a loss reason for a gain
        with self.assertRaisesRegex(UserError, "does not match its difference"):
            plan.action_approve()
        line_3.reason_id = self.reason_surplus
        plan.action_approve()
        self.assertEqual(plan.state, "approved")
        self.assertEqual(line_3.review_state, "approved")
        self.assertEqual(line_3.approved_by_id, self.env.user)
        self.assertTrue(plan.action_post())
        self.assertEqual(plan.state, "done")
        # Accuracy: 2 of 3 lines within tolerance; value: 1 - (20 + 50) / 1700.
        self.assertAlmostEqual(plan.accuracy, 2 / 3)
        self.assertAlmostEqual(plan.accuracy_value, 1 - 70 / 1700)
        self.assertEqual(plan.loss_value, 20.0)
        self.assertEqual(plan.gain_value, 50.0)
        self.assertEqual(self._on_hand(self.product_1), 98)
        self.assertEqual(self._on_hand(self.product_3), 11)
        self.assertEqual(line_1.reason_id, self.reason_loss)  # default reason of a loss within tolerance
        with self.assertRaises(UserError):
            plan.action_cancel()
        with self.assertRaisesRegex(UserError, "can no longer change"):
            line_1.with_user(self.jxc_manager).reason_id = self.reason_damage

    def test_tolerance_changed_while_counting(self):
        """A tolerance set while the stocktake is counted judges the lines already counted too;
        a submitted plan keeps its review."""
        plan = self._create_plan()
        plan.action_start()
        self._count(plan, {self.product_1: 96, self.product_2: 50, self.product_3: 10})
        line_1 = self._line(plan, self.product_1)
        self.assertFalse(line_1.is_discrepancy)  # 4 % <= 5 %
        strict = self.env["jxc.count.tolerance"].create({
            "company_id": self.company.id, "warehouse_id": self.warehouse.id, "qty_percent": 1.0})
        self.assertTrue(line_1.is_discrepancy)  # 4 % > 1 %
        self.assertEqual(plan.discrepancy_count, 1)
        strict.qty_percent = 4.0
        self.assertFalse(line_1.is_discrepancy)
        strict.qty_percent = 2.0
        plan.action_submit()
        self.assertEqual(line_1.review_state, "to_review")
        strict.unlink()  # back to the company's 5 %: the submitted plan's review stands
        self.assertTrue(line_1.is_discrepancy)
        self.assertEqual(line_1.review_state, "to_review")

    def test_cancel_and_reset(self):
        plan = self._create_plan()
        plan.action_start()
        plan.action_cancel()
        self.assertEqual(plan.state, "cancel")
        plan.action_draft()
        self.assertEqual(plan.state, "draft")
        self.assertFalse(plan.line_ids)
        plan.unlink()

    def test_overlapping_plans_refused(self):
        plan_1 = self._create_plan(location_ids=[(6, 0, self.shelf_1.ids)])
        plan_1.action_start()
        plan_2 = self._create_plan(product_ids=[(6, 0, self.product_2.ids)])
        with self.assertRaisesRegex(ValidationError, "overlaps with plans"):
            plan_2.action_start()
        # A different product and location is fine.
        plan_3 = self._create_plan(product_ids=[(6, 0, self.product_3.ids)])
        plan_3.action_start()
        self.assertEqual(plan_3.state, "in_progress")
        # Once the first plan is cancelled, the second can start.
        plan_1.action_cancel()
        plan_2.action_start()
        self.assertEqual(plan_2.line_ids.product_id, self.product_2)
        # Found goods added to plan_3 where plan_2 counts are refused too.
        with self.assertRaisesRegex(ValidationError, "overlaps with plans"):
            self.env["jxc.count.line"].create({
                "plan_id": plan_3.id, "product_id": self.product_2.id, "location_id": self.shelf_1.id, "counted_qty": 1,
            })

    def test_lines_added_during_counting(self):
        plan = self._create_plan(location_ids=[(6, 0, self.shelf_2.ids)])
        with self.assertRaisesRegex(UserError, "must be Counting to submit"):
            plan.action_submit()
        plan.action_start()
        found = self.env["jxc.count.line"].create({
            "plan_id": plan.id, "product_id": self.product_1.id, "location_id": self.shelf_2.id, "counted_qty": 4,
        })
        self.assertTrue(found.is_found)
        self.assertEqual(found.book_qty, 0)
        self.assertEqual(found.unit_cost, 10.0)
        self.assertTrue(found.is_counted)
        self.assertTrue(found.is_discrepancy)  # a count where the book says 0
        self._count(plan, {self.product_3: 10})
        plan.action_submit()
        with self.assertRaisesRegex(UserError, "only while it is being counted"):
            self.env["jxc.count.line"].create({
                "plan_id": plan.id, "product_id": self.product_2.id, "location_id": self.shelf_2.id, "counted_qty": 1,
            })
        found.reason_id = self.reason_surplus
        plan.action_approve()
        plan.action_post()
        self.assertEqual(self._on_hand(self.product_1, self.shelf_2), 4)

    def test_counted_quantity_checks(self):
        plan = self._create_plan()
        plan.action_start()
        line = self._line(plan, self.product_1)
        with self.assertRaisesRegex(UserError, "cannot be negative"):
            line.counted_qty = -1
        line.counted_qty = 0
        self.assertTrue(line.is_counted)
        self.assertEqual(line.difference_qty, -100)
        self._count(plan, {self.product_2: 50, self.product_3: 10})
        plan.action_submit()
        with self.assertRaisesRegex(UserError, "is not being counted"):
            line.counted_qty = 5
        with self.assertRaisesRegex(UserError, "snapshot"):
            line.unlink()

    def test_form_creates_plan(self):
        form = Form(self.env["jxc.count.plan"])
        form.blind = True
        form.count_type = "cycle"
        plan = form.save()
        self.assertEqual(plan.warehouse_id, self.warehouse)
        self.assertTrue(plan.blind)
