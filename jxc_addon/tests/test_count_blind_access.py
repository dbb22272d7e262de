"""Blind counts (盲盘): until a manager approves a blind plan, nothing a counter reads, searches,
groups by or exports tells the book quantity or whether a count differs from it.

The counter counts the common shelves (book 100, 50 and 10, tolerance 5 %) as 97 (-3 %: within
tolerance), 40 (-20 %: beyond) and 10: one discrepancy, the Gadget's.
"""

import ast
from datetime import date

from freezegun import freeze_time
from lxml import etree

from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import tagged

from .count_common import JxcCountCommon

# The managers' fields that tell the book or whether a count differs from it.
LINE_SECRETS = ("book_qty", "difference_qty", "is_discrepancy", "review_state", "approved_by_id")
PLAN_SECRETS = ("discrepancy_count", "to_review_count", "accuracy")


@tagged("post_install", "-at_install")
class TestCountBlindAccess(JxcCountCommon):
    def _start(self, blind=True):
        """A plan started and counted by the counter (not submitted)."""
        plan = self._create_plan(blind=blind, counter_ids=[Command.set(self.counter.ids)])
        plan.with_user(self.counter).action_start()
        for product, qty in ((self.product_1, 97), (self.product_2, 40), (self.product_3, 10)):
            self._line(plan, product).with_user(self.counter).counted_qty = qty
        return plan

    def _shown(self, plan, user):
        """{product: (discrepancy, review, accepted by)} as ``user`` reads the lines of ``plan``."""
        lines = plan.line_ids.with_user(user)
        lines.invalidate_recordset()
        return {line.product_id: (line.is_discrepancy_shown, line.review_state_shown, line.approved_by_shown_id)
                for line in lines}

    def test_counter_reads_no_verdict_of_a_blind_count(self):
        plan = self._start()
        lines, counter_plan = plan.line_ids.with_user(self.counter), plan.with_user(self.counter)
        self.counter.group_ids += self.env.ref("base.group_allow_export")
        for fname in LINE_SECRETS:
            with self.subTest(field=fname):
                with self.assertRaises(AccessError):
                    lines.read([fname])
                with self.assertRaises(AccessError):
                    lines.web_read({fname: {}})
                with self.assertRaises(AccessError):
                    counter_plan.web_read({"line_ids": {"fields": {fname: {}}}})
                with self.assertRaises(AccessError):
                    lines.export_data(["product_id", fname])
        for fname in PLAN_SECRETS:
            with self.subTest(field=fname):
                with self.assertRaises(AccessError):
                    counter_plan.read([fname])
                with self.assertRaises(AccessError):
                    counter_plan.export_data(["name", fname])
        # What the counter reads instead: nothing, while counting and once the counts are submitted.
        nothing = (False, "pending", self.env["res.users"])
        self.assertEqual(self._shown(plan, self.counter), dict.fromkeys(plan.line_ids.product_id, nothing))
        counter_plan.action_submit()
        submitted = (False, "submitted", self.env["res.users"])
        self.assertEqual(self._shown(plan, self.counter), dict.fromkeys(plan.line_ids.product_id, submitted))
        counter_plan.invalidate_recordset()
        self.assertEqual(
            (counter_plan.discrepancy_count_shown, counter_plan.to_review_count_shown, counter_plan.accuracy_shown),
            (0, 0, 0.0))
        exported = lines.export_data(["product_id", "is_discrepancy_shown", "review_state_shown"])["datas"]
        self.assertEqual({(flag, review) for _product, flag, review in exported}, {(False, "Submitted")})
        # The manager reads the verdicts.
        manager_plan = plan.with_user(self.jxc_manager)
        self.assertEqual(self._shown(plan, self.jxc_manager), {
            self.product_1: (False, "ok", self.env["res.users"]),
            self.product_2: (True, "to_review", self.env["res.users"]),
            self.product_3: (False, "ok", self.env["res.users"]),
        })
        self.assertEqual(manager_plan.read(["discrepancy_count", "to_review_count"])[0]["discrepancy_count"], 1)
        self.assertEqual(
            (manager_plan.discrepancy_count_shown, manager_plan.to_review_count_shown), (1, 1))
        self.assertAlmostEqual(manager_plan.accuracy_shown, 2 / 3)

    def test_cancelled_plan_stays_blind(self):
        """A manager cancels the blind plan while it is counted, or once approved: it may be
        reset and counted again, so the counter still reads no book and finds no discrepancy by
        searching."""
        plan = self._start()
        plan.action_cancel()
        self.assertEqual(plan.state, "cancel")
        lines = plan.line_ids.with_user(self.counter)
        lines.invalidate_recordset()
        self.assertEqual(set(lines.mapped("book_qty_shown")), {0.0})
        self.assertEqual(set(lines.mapped("difference_qty_shown")), {0.0})
        Line = self.env["jxc.count.line"].with_user(self.counter)
        self.assertFalse(Line.search([("plan_id", "=", plan.id), ("is_discrepancy_shown", "=", True)]))
        approved = self._start()
        approved.with_user(self.counter).action_submit()
        self._line(approved, self.product_2).reason_id = self.reason_loss
        approved.action_approve()
        approved.action_cancel()
        lines = approved.line_ids.with_user(self.counter)
        lines.invalidate_recordset()
        self.assertEqual(set(lines.mapped("book_qty_shown")), {0.0})
        self.assertFalse(Line.search([("plan_id", "=", approved.id), ("is_discrepancy_shown", "=", True)]))

    def test_counter_cannot_search_or_group_by_the_verdict(self):
        plan = self._start()
        Line = self.env["jxc.count.line"].with_user(self.counter)
        Plan = self.env["jxc.count.plan"].with_user(self.counter)
        of_plan = [("plan_id", "=", plan.id)]
        for domain in ([("is_discrepancy", "=", True)], [("review_state", "=", "to_review")],
                       [("approved_by_id", "!=", False)], [("difference_qty", "<", 0)],
                       [("plan_id.discrepancy_count", ">", 0)]):
            with self.subTest(domain=domain), self.assertRaises(AccessError):
                Line.search(of_plan + domain)
        for domain in ([("discrepancy_count", ">", 0)], [("to_review_count", ">", 0)], [("accuracy", "<", 1)],
                       [("line_ids.is_discrepancy", "=", True)]):
            with self.subTest(domain=domain), self.assertRaises(AccessError):
                Plan.search(domain)
        for groupby in ("is_discrepancy", "review_state"):
            with self.subTest(groupby=groupby), self.assertRaises(AccessError):
                Line.formatted_read_group(of_plan, [groupby], ["__count"])
        with self.assertRaises(AccessError):
            Plan.formatted_read_group([], [], ["discrepancy_count:sum"])
        with self.assertRaises(AccessError):
            Line.search(of_plan, order="is_discrepancy desc")
        # The counter's own copies find nothing while the plan is counted, nor once submitted.
        self.assertFalse(Line.search(of_plan + [("is_discrepancy_shown", "=", True)]))
        self.assertEqual(Line.search_count(of_plan + [("is_discrepancy_shown", "=", False)]), 3)
        plan.with_user(self.counter).action_submit()
        for review, count in (("to_review", 0), ("ok", 0), ("submitted", 3), ("pending", 0)):
            with self.subTest(review=review):
                self.assertEqual(Line.search_count(of_plan + [("review_state_shown", "=", review)]), count)
        self.assertFalse(Line.search(of_plan + [("review_state_shown", "!=", "submitted")]))
        # The manager's searches of the same copies find the Gadget.
        gadget = self._line(plan, self.product_2)
        Manager = self.env["jxc.count.line"].with_user(self.jxc_manager)
        self.assertEqual(Manager.search(of_plan + [("is_discrepancy_shown", "=", True)]), gadget)
        self.assertEqual(Manager.search(of_plan + [("review_state_shown", "=", "to_review")]), gadget)
        self.assertEqual(Manager.search(of_plan + [("is_discrepancy", "=", True)]), gadget)

    def test_views_open_for_counter_and_manager(self):
        """The screens as the web client opens them: the views, their records read with the
        views' fields, the Beyond Tolerance filter of the lines."""
        plan = self._start()
        plan.with_user(self.counter).action_submit()
        gadget = self._line(plan, self.product_2)
        for user, filtered in ((self.counter, []), (self.jxc_manager, gadget.ids)):
            with self.subTest(user=user.login):
                views = self.env["jxc.count.plan"].with_user(user).get_views(
                    [(False, mode) for mode in ("form", "list", "search", "pivot", "graph")])
                line_views = self.env["jxc.count.line"].with_user(user).get_views(
                    [(False, mode) for mode in ("form", "list", "kanban", "search", "pivot", "graph")])
                if user == self.counter:
                    # neither shown nor used by an expression (the plan's own approver is no secret)
                    plan_lists = [etree.tostring(node, encoding="unicode") for view in views["views"].values()
                                  for node in etree.fromstring(view["arch"]).xpath("//field[@name='line_ids']")]
                    self.assertEqual(len(plan_lists), 1)
                    for arch, secrets in (*((view["arch"], PLAN_SECRETS) for view in views["views"].values()),
                                          *((arch, LINE_SECRETS) for arch in plan_lists),
                                          *((view["arch"], LINE_SECRETS) for view in line_views["views"].values())):
                        for fname in secrets:
                            self.assertNotRegex(arch, r"\b%s\b" % fname)
                    self.assertIn('decoration-danger="is_discrepancy_shown"', line_views["views"]["list"]["arch"])
                plan_fields = views["models"]["jxc.count.plan"]["fields"]
                line_fields = views["models"]["jxc.count.line"]["fields"]
                spec = {name: {} for name in plan_fields} | {"line_ids": {"fields": {name: {} for name in line_fields}}}
                [values] = plan.with_user(user).web_read(spec)
                self.assertEqual(len(values["line_ids"]), 3)
                Line = self.env["jxc.count.line"].with_user(user)
                line_spec = {name: {} for name in line_views["models"]["jxc.count.line"]["fields"]}
                search = etree.fromstring(line_views["views"]["search"]["arch"])
                beyond = ast.literal_eval(search.xpath("//filter[@name='discrepancy']")[0].get("domain"))
                found = Line.web_search_read([("plan_id", "=", plan.id)] + beyond, line_spec)
                self.assertEqual([record["id"] for record in found["records"]], filtered)
                read = Line.web_search_read([("plan_id", "=", plan.id)], line_spec)["records"]
                Line.formatted_read_group([("plan_id", "=", plan.id)] + beyond, ["location_id"], ["__count"])
                if user == self.counter:
                    self.assertEqual(
                        {(r["book_qty_shown"], r["difference_qty_shown"], r["is_discrepancy_shown"], r["review_state_shown"])
                         for r in read + values["line_ids"]},
                        {(0.0, 0.0, False, "submitted")})
                    self.assertEqual((values["discrepancy_count_shown"], values["accuracy_shown"]), (0, 0.0))
                else:
                    self.assertEqual(values["discrepancy_count"], 1)
                    plan_search = etree.fromstring(views["views"]["search"]["arch"])
                    for name in ("with_discrepancies", "with_lines_to_review"):
                        domain = ast.literal_eval(plan_search.xpath("//filter[@name='%s']" % name)[0].get("domain"))
                        self.assertEqual(self.env["jxc.count.plan"].with_user(user).search(domain), plan)

    def test_open_count_unchanged_for_counters(self):
        plan = self._start(blind=False)
        plan.with_user(self.counter).action_submit()
        gadget = self._line(plan, self.product_2).with_user(self.counter)
        self.assertEqual(
            (gadget.book_qty_shown, gadget.difference_qty_shown, gadget.is_discrepancy_shown, gadget.review_state_shown),
            (50.0, -10.0, True, "to_review"))
        Line = self.env["jxc.count.line"].with_user(self.counter)
        of_plan = [("plan_id", "=", plan.id)]
        self.assertEqual(Line.search(of_plan + [("is_discrepancy_shown", "=", True)]), gadget)
        self.assertEqual(Line.search(of_plan + [("review_state_shown", "=", "to_review")]), gadget)
        self.assertEqual(Line.search_count(of_plan + [("review_state_shown", "=", "ok")]), 2)
        counter_plan = plan.with_user(self.counter)
        self.assertEqual((counter_plan.discrepancy_count_shown, counter_plan.to_review_count_shown), (1, 1))
        self.assertAlmostEqual(counter_plan.accuracy_shown, 2 / 3)

    def test_only_managers_switch_off_a_blind_count(self):
        """A blind draft (as a cycle-count rule creates it): its counter may not untick Blind
        Count to see the book quantities; a manager may, and anyone may tick it."""
        plan = self._create_plan(blind=True, counter_ids=[Command.set(self.counter.ids)])
        with self.assertRaisesRegex(AccessError, "Only inventory control managers can switch off a blind count"):
            plan.with_user(self.counter).blind = False
        self.assertTrue(plan.blind)
        plan.with_user(self.jxc_manager).blind = False
        plan.with_user(self.counter).blind = True
        self.assertTrue(plan.blind)

    def test_recount_and_approval_of_a_blind_count(self):
        plan = self._start()
        counter_plan, manager_plan = plan.with_user(self.counter), plan.with_user(self.jxc_manager)
        counter_plan.action_submit()
        # A recount tells the counters what to count again, and nothing about the other lines.
        manager_plan.action_recount()
        none = self.env["res.users"]
        self.assertEqual(self._shown(plan, self.counter), {
            self.product_1: (False, "submitted", none),
            self.product_2: (False, "recount", none),
            self.product_3: (False, "submitted", none),
        })
        self._line(plan, self.product_2).with_user(self.counter).counted_qty = 30
        counter_plan.action_submit()
        # A difference the manager accepts line by line stays the manager's until the plan is approved.
        gadget = self._line(plan, self.product_2).with_user(self.jxc_manager)
        gadget.reason_id = self.reason_loss
        gadget.action_approve_difference()
        self.assertEqual(self._shown(plan, self.counter)[self.product_2], (False, "submitted", none))
        self.assertFalse(self.env["jxc.count.line"].with_user(self.counter).search(
            [("plan_id", "=", plan.id), ("review_state_shown", "=", "approved")]))
        manager_plan.action_approve()
        # Approved, the counts may still go back to the counters (Post sends the lines adjusted in
        # Physical Inventory since back for a recount): still blind.
        self.assertEqual(self._shown(plan, self.counter), dict.fromkeys(plan.line_ids.product_id, (False, "submitted", none)))
        self.assertEqual(self._line(plan, self.product_2).with_user(self.counter).book_qty_shown, 0.0)
        manager_plan.action_post()
        # Posted: the counters see the results.
        self.assertEqual(plan.state, "done")
        self.assertEqual(self._shown(plan, self.counter), {
            self.product_1: (False, "ok", none),
            self.product_2: (True, "approved", self.jxc_manager),
            self.product_3: (False, "ok", none),
        })
        counter_plan.invalidate_recordset()
        self.assertEqual((counter_plan.discrepancy_count_shown, counter_plan.to_review_count_shown), (1, 0))
        self.assertEqual(self.env["jxc.count.line"].with_user(self.counter).search(
            [("plan_id", "=", plan.id), ("is_discrepancy_shown", "=", True)]), gadget)

    def test_undo_of_a_scan_in_a_recount_restores_the_approval(self):
        """The Gadget's loss is approved, the Widget (80 of 100) goes back for a recount; a scan of
        the Gadget by mistake resets its approval (41 is another count), its undo brings back 40
        approved by the manager."""
        plan = self._start(blind=False)
        self._line(plan, self.product_1).with_user(self.counter).counted_qty = 80
        plan.with_user(self.counter).action_submit()
        gadget = self._line(plan, self.product_2).with_user(self.jxc_manager)
        gadget.reason_id = self.reason_loss
        gadget.action_approve_difference()
        self._line(plan, self.product_1).with_user(self.jxc_manager).action_request_recount()
        self.assertEqual(plan.state, "in_progress")
        counter_plan = plan.with_user(self.counter)
        counter_plan.jxc_scan("JXC-002", self.shelf_1.id, False)
        self.assertEqual((gadget.counted_qty, gadget.review_state, gadget.approved_by_id), (41.0, "pending", self.env["res.users"]))
        counter_plan.jxc_undo(self.shelf_1.id)
        self.assertEqual((gadget.counted_qty, gadget.review_state, gadget.approved_by_id), (40.0, "approved", self.jxc_manager))

    def test_scan_log_keeps_the_moves_before_the_count_from_counters(self):
        """On hand minus the moves before the count is the book: the scan log's copy of them is
        the managers' too; the counter's undo still restores them."""
        plan = self._create_plan(blind=True)
        plan.action_start()
        widget = self._line(plan, self.product_1)
        counter_plan = plan.with_user(self.counter)
        counter_plan.jxc_set_counted(widget.id, 5, location_id=self.shelf_1.id)
        counter_plan.jxc_set_counted(widget.id, 7, location_id=self.shelf_1.id)
        entries = self.env["jxc.count.scan"].with_user(self.counter).search([("plan_id", "=", plan.id)])
        self.assertEqual(entries.mapped("new_qty"), [7.0, 5.0])
        with self.assertRaises(AccessError):
            entries.read(["prev_moved_qty"])
        result = counter_plan.jxc_undo(location_id=self.shelf_1.id)
        self.assertTrue(result["ok"])
        self.assertEqual((widget.counted_qty, widget.is_counted, widget.moved_qty), (5.0, True, 0.0))
        self.assertEqual([line["expected"] for line in result["state"]["lines"]], [None, None])

    def test_dashboard_accuracy_for_counters(self):
        """The accuracy of posted counts stays every user's dashboard figure."""
        with freeze_time("2025-05-10 03:00:00"):
            plan = self._start()
            plan.with_user(self.counter).action_submit()
            self._line(plan, self.product_2).reason_id = self.reason_loss
            plan.with_user(self.jxc_manager).action_approve()
            plan.with_user(self.jxc_manager).action_post()
        for user in (self.counter, self.jxc_manager):
            with self.subTest(user=user.login):
                kpis = {kpi["key"]: kpi["value"] for kpi in self.env["jxc.count.plan"].with_user(user)
                        ._get_jxc_dashboard_kpis(self.company, date(2025, 5, 1), date(2025, 6, 1))}
                self.assertAlmostEqual(kpis["count_accuracy"], 2 / 3)
                self.assertEqual(kpis["count_plans_done"], 1.0)
