from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

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
        # Class N: no movement, or not classified yet, as the cycle counts read it
        self.product_2.jxc_abc_class = "n"
        plan = self._create_plan(abc_n=True)
        plan.action_start()
        self.assertEqual(plan.line_ids.product_id, self.product_2 | self.product_3)
        plan.action_cancel()

        # Explicit products on an explicit location: a product not stocked there gets a zero line.
        plan = self._create_plan(product_ids=[(6, 0, (self.product_1 | self.product_3).ids)],
                                 location_ids=[(6, 0, self.shelf_1.ids)], include_children=False)
        plan.action_start()
        self.assertEqual(len(plan.line_ids), 2)
        self.assertEqual(self._line(plan, self.product_1).book_qty, 100)
        self.assertEqual(self._line(plan, self.product_3).book_qty, 0)

    def test_archived_scope_stays_narrow(self):
        """A plan of one product archived since (its 10 units still on Shelf 2) counts that
        product only, not the whole warehouse; a plan of a bin archived since has nothing to count."""
        plan = self._create_plan(product_ids=[(6, 0, self.product_3.ids)])
        self.product_3.active = False
        plan.action_start()
        self.assertEqual((plan.line_ids.product_id, plan.line_ids.book_qty), (self.product_3, 10.0))
        plan.action_cancel()
        bin_ = self.env["stock.location"].create({"name": "Empty Bin", "location_id": self.stock_location.id})
        plan = self._create_plan(location_ids=[(6, 0, bin_.ids)])
        bin_.active = False
        with self.assertRaisesRegex(UserError, "has no internal location to count"):
            plan.action_start()

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
        self.assertEqual(plan.discrepancy_count, 0)  # read before the tolerance changes, read again after
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
        # ... and its posting too: the moves posted judge nothing again (1 of 3 beyond, not 0)
        line_1.reason_id = self.reason_loss
        plan.action_approve()
        plan.action_post()
        self.assertEqual((plan.state, line_1.is_discrepancy, plan.discrepancy_count), ("done", True, 1))
        self.assertAlmostEqual(plan.accuracy, 2 / 3)

    def test_stock_moves_written_look_for_no_count_line(self):
        """No relational field of the add-on depends on a stock move's state or value: Odoo would
        otherwise look for records to recompute before and after every such write, database-wide
        (one query more for each move reserved or confirmed)."""
        registry = self.env.registry
        for name in ("state", "value", "quantity"):
            field = self.env["stock.move"]._fields[name]
            ours = [str(dependent) for dependent in registry.get_dependent_fields(field)
                    if dependent.relational and dependent.model_name.startswith("jxc.")]
            self.assertEqual(ours, [], name)

    def test_duplicate_a_plan_that_started(self):
        """Last stocktake's plan, posted or cancelled, duplicated by a counter: a new draft plan
        of the same scope, without lines, counts or posting date (not a refusal about the old one)."""
        plan = self._create_plan(accounting_date="2025-06-30")
        plan.categ_ids = self.category
        plan.action_start()
        plan.action_cancel()
        copy = plan.with_user(self.jxc_user).copy()
        self.assertEqual((copy.state, copy.categ_ids, copy.warehouse_id, copy.line_ids, copy.accounting_date),
                         ("draft", self.category, plan.warehouse_id, self.env["jxc.count.line"], False))
        self.assertNotEqual(copy.name, plan.name)
        self.assertEqual(plan.state, "cancel")

    def test_cancel_and_reset(self):
        plan = self._create_plan()
        plan.action_start()
        self._line(plan, self.product_1).counted_qty = 100
        plan.action_cancel()
        self.assertEqual(plan.state, "cancel")
        plan.action_draft()
        self.assertEqual(plan.state, "draft")
        self.assertFalse(plan.line_ids)
        # what the reset deleted stays on record
        self.assertIn("the book snapshot of 3 lines and their 1 counts were deleted", str(plan.message_ids[0].body))
        plan.unlink()

    def test_locations_of_another_warehouse_refused(self):
        """A plan counts its own warehouse: a shelf of WH in a plan of a second warehouse would be
        counted under that warehouse's tolerance and reports. Changing the warehouse on the form
        drops the locations of the first."""
        second = self.env["stock.warehouse"].create({"name": "JXC Count Second", "code": "JXCS"})
        with self.assertRaisesRegex(ValidationError, "WH/Stock/Shelf 1 of count plan .* are not in its warehouse "
                                                     "JXC Count Second"):
            self._create_plan(warehouse_id=second.id, location_ids=[(6, 0, self.shelf_1.ids)])
        plan = self._create_plan(location_ids=[(6, 0, self.shelf_1.ids)])
        with self.assertRaisesRegex(ValidationError, "are not in its warehouse"):
            plan.warehouse_id = second
        form = Form(plan)
        form.warehouse_id = second
        self.assertFalse(form.location_ids)

    def test_start_refused_with_a_physical_inventory_count_pending(self):
        """Someone counted product_2 on Shelf 1 in Odoo's Physical Inventory without applying it:
        the plan does not start (posting would have to apply or clear it after the whole count)."""
        quant = self.env["stock.quant"].search([("product_id", "=", self.product_2.id), ("location_id", "=", self.shelf_1.id)])
        quant.inventory_quantity = 48
        self.assertTrue(quant.inventory_quantity_set)
        plan = self._create_plan(location_ids=[(6, 0, self.shelf_1.ids)])
        with self.assertRaisesRegex(UserError, r"Physical Inventory has a count not applied yet of \[JXC-002\] JXC "
                                               r"Gadget \(WH/Stock/Shelf 1\): apply or clear it there first"):
            plan.action_start()
        self.assertEqual((plan.state, len(plan.line_ids)), ("draft", 0))
        quant.action_clear_inventory_quantity()
        plan.action_start()
        self.assertEqual(plan.state, "in_progress")

    def test_value_accuracy_of_the_lines_counted_so_far(self):
        """Counting Shelf 1 and 2: product_1 counted 90 (10 x 10 = 100 off a book of 1,000), the
        others not yet. The value accuracy is 1 - 100 / 1,000 = 0.9 of what was counted, not
        1 - 100 / 1,700 with the book of the lines still to count."""
        plan = self._create_plan()
        plan.action_start()
        self._line(plan, self.product_1).counted_qty = 90
        plan.invalidate_recordset(["accuracy_value"])
        self.assertAlmostEqual(plan.with_user(self.jxc_manager).accuracy_value, 0.9)
        [(accuracy_value,)] = self.env["jxc.count.plan"].with_user(self.jxc_manager)._read_group(
            [("id", "=", plan.id)], [], ["accuracy_value:avg"])
        self.assertAlmostEqual(accuracy_value, 0.9)

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

    def test_claims_follow_the_active_plans(self):
        """Each product and location an active plan counts is claimed by it alone (the database's
        key holds it between two transactions): claimed at the start and by a found line, freed
        by the found line's deletion, by cancelling and by posting."""
        Claim = self.env["jxc.count.claim"]

        def claimed(plan):
            return sorted((c.product_id.id, c.location_id.id) for c in Claim.search([("plan_id", "=", plan.id)]))

        plan_1 = self._create_plan(location_ids=[(6, 0, self.shelf_1.ids)])
        plan_1.action_start()
        self.assertEqual(claimed(plan_1), sorted({(line.product_id.id, self.shelf_1.id) for line in plan_1.line_ids}))
        self.assertTrue(claimed(plan_1))
        # product_3 found on shelf 1, where the book has none
        found = self.env["jxc.count.line"].create({
            "plan_id": plan_1.id, "product_id": self.product_3.id, "location_id": self.shelf_1.id, "counted_qty": 2,
        })
        self.assertIn((self.product_3.id, self.shelf_1.id), claimed(plan_1))
        other = self._create_plan(product_ids=[(6, 0, self.product_3.ids)])
        self._set_on_hand(self.product_3, 1, self.shelf_1)
        with self.assertRaisesRegex(ValidationError, "overlaps with plans"):
            other.action_start()
        found.unlink()
        self.assertNotIn((self.product_3.id, self.shelf_1.id), claimed(plan_1))
        other.action_start()
        self.assertEqual(claimed(other), [(self.product_3.id, self.shelf_1.id), (self.product_3.id, self.shelf_2.id)])
        plan_1.action_cancel()
        self.assertEqual(claimed(plan_1), [])
        self._line(other, self.product_3, self.shelf_1).counted_qty = 1
        self._line(other, self.product_3, self.shelf_2).counted_qty = 10
        other.action_submit()
        other.line_ids.filtered("is_discrepancy").reason_id = self.reason_surplus
        other.action_approve()
        other.action_post()
        self.assertEqual(other.state, "done")
        self.assertEqual(claimed(other), [])

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

    def test_zero_counted_on_an_uncounted_line(self):
        """0 on an uncounted line (which holds 0 already) is a count, written through the ORM or
        as the web client sends it: only the values that changed, here the entry flag alone."""
        plan = self._create_plan()
        plan.action_start()
        line_1, line_2, line_3 = (self._line(plan, product).with_user(self.counter)
                                  for product in (self.product_1, self.product_2, self.product_3))
        self.assertFalse(line_1.counted_qty_set)
        line_1.counted_qty = 0
        self.assertTrue(line_1.is_counted)
        self.assertTrue(line_1.counted_qty_set)
        line_2.write({"counted_qty_set": True})
        self.assertTrue(line_2.is_counted)
        self.assertEqual(line_2.counted_qty, 0)
        self.assertEqual(line_2.counted_by_id, self.counter)
        self.assertTrue(line_2.counted_at)
        self.assertEqual(line_2.sudo().difference_qty, -50)
        self.assertTrue(line_2.sudo().is_discrepancy)
        # The flag with a quantity is the count of that quantity.
        line_3.write({"counted_qty_set": True, "counted_qty": 10})
        self.assertTrue(line_3.is_counted)
        self.assertEqual(line_3.sudo().difference_qty, 0)
        plan.with_user(self.counter).action_submit()
        self.assertEqual(plan.state, "counted")

    def test_count_entry_flag_within_the_rules(self):
        """What the client says with the entry flag is honoured within the counting rules: it
        counts, it never un-counts, and only who may count, while the plan is counted."""
        plan = self._create_plan()
        plan.action_start()
        line_1, line_2, line_3 = (self._line(plan, product).with_user(self.counter)
                                  for product in (self.product_1, self.product_2, self.product_3))
        # A quantity typed and cleared again: no count.
        line_1.write({"counted_qty": 7, "counted_qty_set": False})
        self.assertFalse(line_1.is_counted)
        self.assertFalse(line_1.counted_by_id)
        self.assertEqual(line_1.sudo().difference_qty, 0)
        # The flag off does not undo a count; on a counted line it changes nothing.
        line_2.counted_qty = 48
        counted_at = line_2.counted_at
        line_2.write({"counted_qty_set": False})
        line_2.write({"counted_qty_set": True})
        self.assertTrue(line_2.is_counted)
        self.assertEqual((line_2.counted_qty, line_2.counted_at), (48, counted_at))
        line_2.write({"counted_qty": 49, "counted_qty_set": False})
        self.assertTrue(line_2.is_counted)
        self.assertEqual(line_2.counted_qty, 49)
        # The flag grants nothing a counter may not write.
        with self.assertRaisesRegex(UserError, "Counters can only enter"):
            line_1.write({"counted_qty_set": True, "review_state": "approved"})
        with self.assertRaisesRegex(UserError, "set by the system"):
            line_1.write({"counted_qty_set": True, "is_counted": True})
        # nor a manager: whether a line was counted is what the count entry says
        manager_line = line_1.with_user(self.jxc_manager)
        for vals in ({"is_counted": True}, {"first_counted_qty": 3.0}, {"recount_round": 2}):
            with self.subTest(vals=vals), self.assertRaisesRegex(UserError, "set by the system"):
                manager_line.write(vals)
        with self.assertRaisesRegex(UserError, "set by the system"):
            line_1.write({"counted_qty_set": True, "counted_at": "2020-01-01 00:00:00"})
        # Only users who may count.
        outsider = new_test_user(self.env, login="jxc_no_count", groups="base.group_user")
        with self.assertRaises(AccessError):
            line_1.with_user(outsider).write({"counted_qty_set": True})
        self.assertFalse(line_1.is_counted)
        # A line added while counting is counted when a quantity was entered, not otherwise.
        Line = self.env["jxc.count.line"].with_user(self.counter)
        found, not_typed = Line.create([
            {"plan_id": plan.id, "product_id": self.product_3.id, "location_id": self.shelf_1.id,
             "counted_qty": 0, "counted_qty_set": True},
            {"plan_id": plan.id, "product_id": self.product_1.id, "location_id": self.shelf_2.id,
             "counted_qty": 0, "counted_qty_set": False},
        ])
        self.assertTrue(found.is_counted)
        self.assertEqual(found.counted_by_id, self.counter)
        self.assertFalse(not_typed.is_counted)
        with self.assertRaisesRegex(UserError, "line\\(s\\) .* are not counted"):
            plan.with_user(self.counter).action_submit()
        (line_1 | line_3 | not_typed).write({"counted_qty_set": True})
        self.assertTrue(all((line_1 | line_3 | not_typed).mapped("is_counted")))
        self.assertEqual(line_1.counted_qty, 7)  # the quantity it held
        self.assertEqual(line_3.counted_qty, 0)
        plan.with_user(self.counter).action_submit()
        # Only while the plan is counted.
        with self.assertRaisesRegex(UserError, "is not being counted"):
            line_1.write({"counted_qty_set": True})
        plan.with_user(self.jxc_manager).action_cancel()
        with self.assertRaisesRegex(UserError, "can no longer change"):
            line_1.write({"counted_qty_set": False})

    def test_count_entry_keeps_a_blind_book_hidden(self):
        plan = self._create_plan(blind=True, counter_ids=[(6, 0, self.counter.ids)])
        plan.action_start()
        line = self._line(plan, self.product_1).with_user(self.counter)
        line.write({"counted_qty_set": True})
        self.assertTrue(line.is_counted)
        shown = line.read(["book_qty_shown", "difference_qty_shown", "is_discrepancy_shown", "review_state_shown",
                           "counted_qty_set"])[0]
        self.assertEqual(
            {key: shown[key] for key in ("book_qty_shown", "difference_qty_shown", "is_discrepancy_shown",
                                         "review_state_shown", "counted_qty_set")},
            {"book_qty_shown": 0.0, "difference_qty_shown": 0.0, "is_discrepancy_shown": False,
             "review_state_shown": "pending", "counted_qty_set": True},
        )
        with self.assertRaises(AccessError):
            line.read(["difference_qty"])
        self.assertEqual(self._line(plan, self.product_1).difference_qty, -100)

    def test_plans_grouped_give_their_lines_accuracy(self):
        """Shelf 1 counted with one discrepancy in two lines (50 %), Shelf 2 exactly (100 %):
        together 2 of 3 counted lines are accurate, not the plans' mean of 75 %; the value
        accuracy is that of the Count Accuracy report over the same lines."""
        first = self._create_plan(location_ids=[(6, 0, self.shelf_1.ids)])
        second = self._create_plan(location_ids=[(6, 0, self.shelf_2.ids)])
        (first | second).action_start()
        self._count(first, {self.product_1: 100, self.product_2: 40})
        self._count(second, {self.product_3: 10})
        (first | second).action_submit()
        self.assertEqual((first.accuracy, second.accuracy), (0.5, 1.0))
        Plan = self.env["jxc.count.plan"].with_user(self.jxc_manager)
        domain = [("id", "in", (first | second).ids)]
        [(accuracy, accuracy_value)] = Plan._read_group(domain, [], ["accuracy:avg", "accuracy_value:avg"])
        self.assertAlmostEqual(accuracy, 2 / 3)
        # 1 - |50 - 40| x 4 / (100 x 10 + 50 x 4 + 10 x 50): the lines' book and difference together
        self.assertAlmostEqual(accuracy_value, 1 - 40 / 1700)
        [group] = Plan.formatted_read_group(domain, ["warehouse_id"], ["accuracy:avg"])
        self.assertAlmostEqual(group["accuracy:avg"], 2 / 3)

    def test_form_creates_plan(self):
        """A manager and a counter each create a stocktake on its form, which sends what the web
        client sends for a new record (every field it shows that is not read-only)."""
        for user in (self.jxc_manager, self.counter):
            with self.subTest(user=user.login):
                form = Form(self.env["jxc.count.plan"].with_user(user))
                form.blind = True
                form.count_type = "cycle"
                plan = form.save()
                self.assertEqual((plan.warehouse_id, plan.state, plan.blind), (self.warehouse, "draft", True))
