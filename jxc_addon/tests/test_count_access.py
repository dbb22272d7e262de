from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .count_common import JxcCountCommon


@tagged("post_install", "-at_install")
class TestCountAccess(JxcCountCommon):
    """Counters count (blind when set); managers approve, post and configure; companies are isolated."""

    def test_blind_count_hides_book_from_counters(self):
        plan = self._create_plan(blind=True, counter_ids=[(6, 0, self.counter.ids)])
        plan.action_start()
        line = self._line(plan, self.product_1).with_user(self.counter)
        with self.assertRaises(AccessError):
            line.read(["book_qty"])
        with self.assertRaises(AccessError):
            line.read(["difference_value"])
        self.assertEqual(line.read(["book_qty_shown"])[0]["book_qty_shown"], 0.0)
        line.counted_qty = 97
        self.assertEqual(line.read(["difference_qty_shown"])[0]["difference_qty_shown"], 0.0)
        # The manager sees the book and the difference.
        self.assertEqual(self._line(plan, self.product_1).book_qty_shown, 100)
        self.assertEqual(self._line(plan, self.product_1).difference_qty_shown, -3)
        # The counter's view of the lines has no book column.
        arch = self.env["jxc.count.line"].with_user(self.counter).get_views([(False, "list")])["views"]["list"]["arch"]
        self.assertNotIn('name="book_qty"', arch)
        self.assertIn('name="book_qty_shown"', arch)

    def test_blind_book_stays_hidden_until_posted(self):
        plan = self._create_plan(blind=True)
        plan.with_user(self.counter).action_start()
        self._count(plan, {self.product_1: 90, self.product_2: 50, self.product_3: 10})
        plan.with_user(self.counter).action_submit()
        line = self._line(plan, self.product_1).with_user(self.counter)
        # Counted, under review: a recount may still be asked of the same counters.
        self.assertEqual((plan.state, line.book_qty_shown, line.difference_qty_shown), ("counted", 0.0, 0.0))
        # the screens hide the columns while hidden (not a book of 0), for the counter alone
        self.assertEqual((plan.with_user(self.counter).book_hidden, line.book_hidden), (True, True))
        self.assertFalse(plan.with_user(self.jxc_manager).book_hidden)
        line.sudo().reason_id = self.reason_loss
        plan.with_user(self.jxc_manager).action_approve()
        line.invalidate_recordset()
        # approved: Post may still send lines back to the counters
        self.assertEqual((plan.state, line.book_qty_shown, line.difference_qty_shown), ("approved", 0.0, 0.0))
        plan.with_user(self.jxc_manager).action_post()
        line.invalidate_recordset()
        self.assertEqual((plan.state, line.book_qty_shown, line.difference_qty_shown), ("done", 100.0, -10.0))
        # posted: the counter's screens show the book and the difference again
        plan.invalidate_recordset()
        self.assertEqual((plan.with_user(self.counter).book_hidden, line.book_hidden), (False, False))

    def test_plan_workflow_fields_only_through_buttons(self):
        plan = self._create_plan(blind=True)
        counter_plan = plan.with_user(self.counter)
        for vals in ({"state": "approved"}, {"approved_by_id": self.counter.id}, {"snapshot_date": "2025-01-01 00:00:00"}):
            with self.subTest(vals=vals), self.assertRaisesRegex(AccessError, "set by its buttons"):
                counter_plan.write(vals)
        with self.assertRaisesRegex(AccessError, "set by its buttons"):
            self.env["jxc.count.plan"].with_user(self.counter).create({"warehouse_id": self.warehouse.id, "state": "done"})
        with self.assertRaisesRegex(AccessError, "Only inventory control managers can set Accounting Date"):
            counter_plan.write({"accounting_date": "2025-01-31"})
        counter_plan.write({"note": "Shelf 2 first", "product_ids": [(6, 0, self.product_1.ids)]})  # a draft's scope
        counter_plan.action_start()
        # Started: the snapshot's scope and the blind setting are fixed, for managers too.
        for user in (self.counter, self.jxc_manager):
            for vals in ({"blind": False}, {"product_ids": [(6, 0, self.product_2.ids)]}):
                with self.subTest(user=user.login, vals=vals), self.assertRaisesRegex(UserError, "has started"):
                    plan.with_user(user).write(vals)
        self._count(plan, {self.product_1: 100})
        counter_plan.action_submit()
        plan.with_user(self.jxc_manager).write({"accounting_date": "2025-01-31"})
        plan.with_user(self.jxc_manager).action_approve()
        # An approved plan cannot be sent back to counting by a write: its lines stay locked.
        with self.assertRaisesRegex(AccessError, "set by its buttons"):
            counter_plan.write({"state": "in_progress"})
        self.assertEqual((plan.state, plan.blind, plan.approved_by_id), ("approved", True, self.jxc_manager))
        with self.assertRaisesRegex(UserError, "can no longer change"):
            plan.line_ids.with_user(self.counter).write({"counted_qty": 500})

    def test_review_trail_only_through_the_workflow(self):
        """A manager (or an RPC call) cannot write who counted a line, its review or who
        approved it: Accept and Approve write them, naming who pressed the button."""
        plan = self._create_plan()
        plan.action_start()
        self._count(plan, {self.product_1: 90, self.product_2: 50, self.product_3: 10})
        plan.action_submit()
        line = self._line(plan, self.product_1).with_user(self.jxc_manager)
        other = new_test_user(self.env, login="jxc_other_manager", groups="jxc_addon.group_jxc_manager")
        for vals in ({"review_state": "approved", "approved_by_id": other.id}, {"counted_by_id": other.id},
                     {"review_state": "ok"}):
            with self.subTest(vals=vals), self.assertRaisesRegex(UserError, "they cannot be written"):
                line.write(vals)
        self.assertEqual((line.review_state, line.approved_by_id), ("to_review", self.env["res.users"]))
        with self.assertRaisesRegex(UserError, "they cannot be written"):
            self.env["jxc.count.line"].with_user(self.jxc_manager).create({
                "plan_id": plan.id, "product_id": self.product_3.id, "location_id": self.shelf_1.id,
                "counted_qty": 1.0, "counted_by_id": other.id,
            })
        line.reason_id = self.reason_loss
        line.action_approve_difference()
        self.assertEqual((line.review_state, line.approved_by_id), ("approved", self.jxc_manager))

    def test_found_lines_only_in_the_plan_scope(self):
        plan = self._create_plan(location_ids=[(6, 0, self.shelf_1.ids)])
        plan.action_start()
        Line = self.env["jxc.count.line"].with_user(self.counter)
        service = self.env["product.product"].create({"name": "JXC Service", "type": "service"})
        for location, product, message in (
            (self.shelf_2, self.product_3, "Shelf 2 is not counted by"),
            (self.customer_a.property_stock_customer, self.product_3, "is not counted by"),
            (self.shelf_1, service, "does not track stock"),
        ):
            with self.subTest(location=location.name, product=product.name), self.assertRaisesRegex(UserError, message):
                Line.create({"plan_id": plan.id, "product_id": product.id, "location_id": location.id, "counted_qty": 1000})
        found = Line.create({"plan_id": plan.id, "product_id": self.product_3.id, "location_id": self.shelf_1.id,
                             "counted_qty": 2})
        self.assertTrue(found.is_found)

    def test_a_line_keeps_what_it_counts(self):
        """Not even a manager moves a started count's line to another location or product, or
        gives a line a book quantity or cost: the line would count shelf 2 against shelf 1's
        book, and shelf 2 would stay free for another stocktake to count and post too."""
        plan = self._create_plan(location_ids=[(6, 0, self.shelf_1.ids)])
        plan.action_start()
        line = plan.line_ids[:1].with_user(self.jxc_manager)
        before = (line.location_id, line.product_id, line.book_qty)
        for vals in ({"location_id": self.shelf_2.id}, {"product_id": self.product_3.id}, {"book_qty": 7.0},
                     {"lot_id": False, "unit_cost": 1.0}):
            with self.subTest(vals=vals), self.assertRaisesRegex(UserError, "cannot be changed"):
                line.write(vals)
        self.assertEqual((line.location_id, line.product_id, line.book_qty), before)
        with self.assertRaisesRegex(UserError, "set by the system"):
            self.env["jxc.count.line"].with_user(self.jxc_manager).create({
                "plan_id": plan.id, "product_id": self.product_3.id, "location_id": self.shelf_1.id,
                "book_qty": 5.0, "counted_qty": 5.0,
            })
        # the counted quantity, reason and note stay the manager's to enter
        line.write({"counted_qty": 3.0, "note": "bin 4"})
        self.assertEqual((line.counted_qty, line.is_counted), (3.0, True))

    def test_a_line_keeps_its_computed_difference(self):
        """Post books a line's stored difference: a manager (who may not adjust stock in Odoo)
        writes no difference, value or tolerance flag of his own onto a line counted as the
        book says, nor gives one to goods found. The plan posts no adjustment."""
        plan = self._create_plan(location_ids=[(6, 0, self.shelf_1.ids)])
        plan.action_start()
        with self.assertRaisesRegex(UserError, "difference_qty cannot be written"):
            self.env["jxc.count.line"].with_user(self.jxc_manager).create({
                "plan_id": plan.id, "product_id": self.product_3.id, "location_id": self.shelf_1.id,
                "counted_qty": 5.0, "difference_qty": 0.0,
            })
        self._count(plan, {self.product_1: 100, self.product_2: 50})
        plan.action_submit()
        line = self._line(plan, self.product_1).with_user(self.jxc_manager)
        for vals in ({"difference_qty": -30.0}, {"is_discrepancy": False}, {"loss_value": 0.0, "note": "bin 4"}):
            with self.subTest(vals=vals), self.assertRaisesRegex(UserError, "cannot be written"):
                line.write(vals)
        self.assertEqual((line.difference_qty, line.note), (0.0, False))
        plan.with_user(self.jxc_manager).action_approve()
        plan.with_user(self.jxc_manager).action_post()
        self.assertEqual(plan.state, "done")
        self.assertEqual((self._on_hand(self.product_1, self.shelf_1), self._on_hand(self.product_2, self.shelf_1)),
                         (100.0, 50.0))
        self.assertFalse(plan.line_ids.move_ids)

    def test_closed_plan_shows_its_lines_read_only(self):
        """The reason and note of a line are offered while the plan is counted or submitted, not
        once it is approved (the server refuses them then)."""
        plan = self._create_plan(location_ids=[(6, 0, self.shelf_1.ids)])
        plan.action_start()
        self._count(plan, {self.product_1: 100, self.product_2: 50})
        plan.action_submit()
        line = self._line(plan, self.product_1).with_user(self.jxc_manager)
        with Form(line, view="jxc_addon.jxc_count_line_view_form") as form:
            form.note = "bin 4"
        self.assertEqual(line.note, "bin 4")
        plan.action_approve()
        form = Form(line, view="jxc_addon.jxc_count_line_view_form")
        for name, value in (("reason_id", self.reason_damage), ("note", "bin 5")):
            with self.subTest(field=name), self.assertRaisesRegex(AssertionError, "readonly"):
                setattr(form, name, value)

    def test_lines_and_move_links_only_by_the_workflow(self):
        """No line is added to a draft plan (it would skip the scope checks and survive the
        snapshot), and no stock move is linked to a plan by hand (posting would skip its line
        as already posted)."""
        draft = self._create_plan(location_ids=[(6, 0, self.shelf_1.ids)])
        with self.assertRaisesRegex(UserError, "Start counting"):
            self.env["jxc.count.line"].with_user(self.counter).create({
                "plan_id": draft.id, "product_id": self.product_3.id, "location_id": self.shelf_2.id,
                "counted_qty": 500,
            })
        draft.action_start()
        line = draft.line_ids[:1]
        move = self.env["stock.move"].search([("product_id", "=", line.product_id.id)], limit=1)
        self.assertTrue(self.counter.has_group("stock.group_stock_user"))
        with self.assertRaisesRegex(AccessError, "linked to a stocktake by its posting only"):
            move.with_user(self.counter).write({"jxc_count_plan_id": draft.id, "jxc_count_line_id": line.id})
        self.assertFalse(move.jxc_count_plan_id)

    def test_only_managers_cancel_or_reset_a_started_count(self):
        draft = self._create_plan().with_user(self.counter)
        draft.action_cancel()
        draft.action_draft()  # never started: nothing is lost
        self.assertEqual(draft.state, "draft")
        draft.action_start()
        with self.assertRaisesRegex(AccessError, "cancel or reset a count that has started"):
            draft.action_cancel()
        draft.with_user(self.jxc_manager).action_cancel()
        with self.assertRaisesRegex(AccessError, "cancel or reset a count that has started"):
            draft.action_draft()
        self.assertEqual((draft.state, len(draft.line_ids)), ("cancel", 3))
        # nor by deleting its snapshot first
        with self.assertRaisesRegex(AccessError, "cancel or reset a count that has started"):
            draft.line_ids.unlink()
        self.assertEqual(len(draft.line_ids), 3)
        # and with its lines gone, the plan still started once: a manager's reset
        draft.line_ids.with_user(self.jxc_manager).unlink()
        with self.assertRaisesRegex(AccessError, "cancel or reset a count that has started"):
            draft.action_draft()
        draft.with_user(self.jxc_manager).action_draft()
        self.assertEqual((draft.state, len(draft.line_ids), draft.snapshot_date), ("draft", 0, False))
        form = self.env["jxc.count.plan"].with_user(self.counter).get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertEqual(form.count('name="action_cancel"'), 1)

    def test_open_count_shows_book_to_counters(self):
        plan = self._create_plan()
        plan.action_start()
        line = self._line(plan, self.product_1).with_user(self.counter)
        self.assertEqual(line.book_qty_shown, 100)
        line.counted_qty = 98
        self.assertEqual(line.difference_qty_shown, -2)

    def test_context_defaults_grant_nothing(self):
        """The client writes the context: a counter who starts a count with the review's
        defaults in it gets lines to review like any other, not lines approved by a manager;
        a plan created with a state in the context is refused as one with it in the values."""
        plan = self._create_plan().with_user(self.counter)
        plan.with_context(default_review_state="approved", default_approved_by_id=self.jxc_manager.id,
                          default_is_counted=True).action_start()
        lines = plan.line_ids.sudo()
        self.assertTrue(lines)
        self.assertEqual(set(lines.mapped("review_state")), {"pending"})
        self.assertFalse(lines.approved_by_id)
        self.assertFalse(any(lines.mapped("is_counted")))
        with self.assertRaisesRegex(AccessError, "set by its buttons"):
            self.env["jxc.count.plan"].with_user(self.counter).with_context(default_state="done").create(
                {"warehouse_id": self.warehouse.id})
        # goods found: a line a counter adds is to review, whatever the context says
        line = lines[0]
        found = {"plan_id": plan.id, "product_id": self.product_3.id, "location_id": line.location_id.id,
                 "counted_qty": 4.0}
        for context in ({"default_review_state": "approved"}, {"default_approved_by_id": self.jxc_manager.id},
                        {"default_unit_cost": 0.0}):
            with self.subTest(context=context), self.assertRaisesRegex(UserError, "cannot be set"):
                self.env["jxc.count.line"].with_user(self.counter).with_context(**context).create([found])
        self.env["jxc.count.line"].with_user(self.counter).with_context(default_plan_id=plan.id).create(
            [{key: value for key, value in found.items() if key != "plan_id"}])

    def test_personal_defaults_grant_nothing(self):
        """Any user sets his own defaults (``ir.default.set``), which Odoo's create applies like
        the context's, also to what the system then creates as superuser under his id: a
        counter's defaults give no approved or counted snapshot line, no found line, no plan
        past its buttons, and no stock move linked to a stocktake."""
        Default = self.env["ir.default"].with_user(self.counter)
        for fname, value in (("review_state", "approved"), ("approved_by_id", self.jxc_manager.id),
                             ("is_counted", True), ("counted_qty", 90.0), ("counted_by_id", self.jxc_manager.id)):
            Default.set("jxc.count.line", fname, value, user_id=True)
        plan = self._create_plan().with_user(self.counter)
        plan.action_start()
        lines = plan.line_ids.sudo()
        self.assertEqual(len(lines), 3)
        self.assertEqual(set(lines.mapped("review_state")), {"pending"})
        self.assertFalse(lines.approved_by_id | lines.counted_by_id)
        self.assertEqual((set(lines.mapped("is_counted")), set(lines.mapped("counted_qty"))), ({False}, {0.0}))
        found = {"plan_id": plan.id, "product_id": self.product_3.id, "location_id": self.shelf_1.id, "counted_qty": 4.0}
        with self.assertRaisesRegex(UserError, "set by the system"):  # the default "counted"
            self.env["jxc.count.line"].with_user(self.counter).create([found])
        Default.set("jxc.count.plan", "state", "done", user_id=True)
        with self.assertRaisesRegex(AccessError, "set by its buttons"):
            self.env["jxc.count.plan"].with_user(self.counter).create({"warehouse_id": self.warehouse.id})
        # a stock user's moves: refused as his own, unlinked when Odoo creates them as superuser
        keeper = new_test_user(self.env, login="jxc_default_keeper", groups="stock.group_stock_user")
        self.env["ir.default"].with_user(keeper).set("stock.move", "jxc_count_plan_id", plan.id, user_id=True)
        move_vals = {"product_id": self.product_1.id, "product_uom_qty": 1.0, "location_id": self.shelf_1.id,
                     "location_dest_id": self.env.ref("stock.stock_location_customers").id}
        with self.assertRaisesRegex(AccessError, "linked to a stocktake by its posting only"):
            self.env["stock.move"].with_user(keeper).create(move_vals)
        move = self.env["stock.move"].with_user(keeper).sudo().create(move_vals)
        self.assertEqual((move.create_uid, move.jxc_count_plan_id), (keeper, self.env["jxc.count.plan"]))

    def test_counter_counts_but_cannot_approve_or_post(self):
        plan = self._create_plan().with_user(self.counter)
        plan.action_start()
        for line in plan.line_ids:
            line.counted_qty = 1  # a loss on every line
            line.reason_id = self.reason_loss
        with self.assertRaisesRegex(UserError, "Counters can only enter"):
            plan.line_ids[0].write({"unit_cost": 0.0})
        with self.assertRaisesRegex(UserError, "book_qty cannot be changed"):
            plan.line_ids[0].write({"book_qty": 90})
        with self.assertRaises(AccessError):
            plan.line_ids[0].read(["unit_cost"])
        plan.action_submit()
        with self.assertRaises(AccessError):
            plan.action_approve()
        with self.assertRaises(AccessError):
            plan.action_recount()
        with self.assertRaises(AccessError):
            plan.line_ids[0].action_approve_difference()
        plan.with_user(self.jxc_manager).action_approve()
        with self.assertRaises(AccessError):
            plan.action_post()
        self.assertEqual(plan.state, "approved")
        self.assertTrue(plan.with_user(self.jxc_manager).action_post())
        with self.assertRaises(AccessError):
            plan.unlink()

    def test_only_managers_configure(self):
        Tolerance = self.env["jxc.count.tolerance"]
        Rule = self.env["jxc.count.cycle.rule"]
        with self.assertRaises(AccessError):
            self.tolerance.with_user(self.counter).qty_percent = 50
        with self.assertRaises(AccessError):
            Rule.with_user(self.counter).create({"name": "R", "warehouse_id": self.warehouse.id})
        with self.assertRaises(AccessError):
            self.reason_loss.with_user(self.counter).name = "Gone"
        self.assertEqual(Tolerance.with_user(self.counter).search([]).qty_percent, 5.0)  # counters read them
        rule = Rule.with_user(self.jxc_manager).create({"name": "R", "warehouse_id": self.warehouse.id})
        self.tolerance.with_user(self.jxc_manager).qty_percent = 2.0
        self.assertEqual(rule.rule_type, "abc")
        with self.assertRaises(AccessError):
            self.env["jxc.count.plan"].with_user(self.plain_user).search([])

    def test_multi_company_isolation(self):
        other = self.env["res.company"].create({"name": "JXC Other Co"})
        other_user = new_test_user(self.env, login="jxc_other_counter", groups="jxc_addon.group_jxc_manager",
                                   company_id=other.id, company_ids=[(6, 0, other.ids)])
        plan = self._create_plan()
        plan.action_start()
        self.assertFalse(self.env["jxc.count.plan"].with_user(other_user).search([("id", "=", plan.id)]))
        self.assertFalse(self.env["jxc.count.line"].with_user(other_user).search([("plan_id", "=", plan.id)]))
        with self.assertRaises(AccessError):
            plan.with_user(other_user).read(["name"])
        with self.assertRaises(AccessError):
            self.env["jxc.count.line"].with_user(other_user).create({
                "plan_id": plan.id, "product_id": self.product_1.id, "location_id": self.shelf_2.id, "counted_qty": 1,
            })
        self.assertFalse(self.env["jxc.count.tolerance"].with_user(other_user).search([]))
        # The other company's own plan gets its own numbering and warehouse.
        other_warehouse = self.env["stock.warehouse"].search([("company_id", "=", other.id)], limit=1)
        other_plan = self.env["jxc.count.plan"].with_user(other_user).with_company(other).create({"warehouse_id": other_warehouse.id})
        self.assertEqual(other_plan.company_id, other)
        self.assertNotIn(other_plan, self.env["jxc.count.plan"].with_user(self.jxc_manager).search([]))
        # A plan cannot mix a warehouse of another company.
        with self.assertRaises(UserError):
            self.env["jxc.count.plan"].create({"warehouse_id": other_warehouse.id, "company_id": self.company.id})

    def test_shared_reasons_are_the_administrators(self):
        """The shared reasons (no company: the default loss and gain of every company) are read by
        all; a manager of one company may not rename, archive, delete or add one, which would
        change every other company's counts; he changes his company's own. An administrator may."""
        other = self.env["res.company"].create({"name": "JXC Reason Co"})
        other_manager = new_test_user(self.env, login="jxc_reason_manager", groups="jxc_addon.group_jxc_manager",
                                      company_id=other.id, company_ids=[(6, 0, other.ids)])
        Reason = self.env["jxc.count.reason"].with_user(other_manager)
        self.assertIn(self.reason_loss, Reason.search([]))
        for vals in ({"name": "Gone"}, {"active": False}, {"is_default_loss": False}):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                self.reason_loss.with_user(other_manager).write(vals)
        with self.assertRaises(AccessError):
            Reason.create({"name": "Everyone's", "code": "ALL", "company_id": False})
        with self.assertRaises(AccessError):
            self.reason_damage.with_user(other_manager).unlink()
        own = Reason.create({"name": "Mice", "code": "MICE", "company_id": other.id})
        own.name = "Rodents"
        admin = self.env.ref("base.user_admin")
        self.reason_damage.with_user(admin).name = "Damaged"
        self.assertEqual((own.name, self.reason_damage.name, self.reason_loss.active), ("Rodents", "Damaged", True))

    def test_views_open_for_counter_and_manager(self):
        plan = self._create_plan(blind=True)
        plan.action_start()
        for user in (self.counter, self.jxc_manager):
            for model, modes in (("jxc.count.plan", ["form", "list", "search", "pivot", "graph"]),
                                 ("jxc.count.line", ["form", "list", "kanban", "search", "pivot", "graph"]),
                                 ("jxc.count.accuracy.report", ["list", "pivot", "graph", "search"])):
                views = self.env[model].with_user(user).get_views([(False, mode) for mode in modes])
                self.assertEqual(set(views["views"]), set(modes))
            form = Form(plan.with_user(user))
            self.assertEqual(len(form.line_ids), 3)
            if user == self.counter:
                with form.line_ids.edit(0) as line:
                    self.assertEqual(line.book_qty_shown, 0.0)  # blind
                    line.counted_qty = 7
                    # what the snapshot counts is shown as such: not offered for editing
                    for fname, model in (("location_id", "stock.location"), ("product_id", "product.product"),
                                         ("lot_id", "stock.lot")):
                        with self.assertRaisesRegex(AssertionError, "can't write on readonly field '%s'" % fname):
                            setattr(line, fname, self.env[model])
                form.save()
        self.assertEqual(plan.line_ids.filtered("is_counted").counted_by_id, self.counter)
        manager_form = self.env["jxc.count.plan"].with_user(self.jxc_manager).get_views([(False, "form")])["views"]["form"]["arch"]
        counter_form = self.env["jxc.count.plan"].with_user(self.counter).get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="action_post"', manager_form)
        self.assertNotIn('name="action_post"', counter_form)
        self.assertNotIn('name="loss_value"', counter_form)
        self.assertIn('name="book_qty_shown"', counter_form)
        # No New where a new line cannot be saved: the Count Lines list has no plan to give a
        # line, the plan's lines offer one (and a trash icon) only while counting: a counted plan
        # refuses new lines. The web client reads a list's create as a flag, not a condition
        # (getActiveActions); a one2many's options evaluate a domain on the parent (useActiveActions).
        line_list = self.env["jxc.count.line"].with_user(self.counter).get_views([(False, "list")])["views"]["list"]["arch"]
        self.assertIn('create="0"', line_list)
        self.assertIn("options=\"{'create': [('state', '=', 'in_progress')], 'delete': [('state', '=', 'in_progress')]}\"",
                      counter_form)
        self.assertNotIn("create=\"parent.state", counter_form)
