"""Importing count sheets: re-imports, approvals, product matching, numbers, languages, tracking,
lots, packages and owners.

Each test goes through the real flow: the plan is started, its sheet exported, filled as a
counter would in Excel and imported back through the wizard. The count day is DAY; the
snapshot is taken at 08:00 (UTC).
"""

import base64
import io
from unittest.mock import patch

import openpyxl
from freezegun import freeze_time
from markupsafe import Markup

from odoo.exceptions import ConcurrencyError, UserError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from .common import xlsx_file
from .count_common import JxcCountCommon

DAY = "2025-07-01 "


@tagged("post_install", "-at_install")
class TestCountImport(JxcCountCommon):

    def _start(self, *locations):
        plan = self._create_plan(location_ids=[Command.set([location.id for location in locations])])
        with freeze_time(DAY + "08:00:00"):
            plan.action_start()
        return plan

    def _export(self, plan, user=None):
        # the web client sends the user's language with each call
        user = user or self.env.user
        action = plan.with_user(user).with_context(lang=user.lang).action_export_xlsx()
        return openpyxl.load_workbook(io.BytesIO(base64.b64decode(xlsx_file(action).datas)))

    def _import(self, plan, book, user=None, **context):
        output = io.BytesIO()
        book.save(output)
        user = user or self.env.user
        return self.env["jxc.count.import.wizard"].with_user(user).with_context(lang=user.lang, **context).create({
            "plan_id": plan.id, "file": base64.b64encode(output.getvalue()), "filename": "count.xlsx",
        }).action_import()

    def _fill(self, book, counts):
        """Write {(product code or name, lot name or None): counted} in the exported sheet's rows."""
        ws = book.active
        header = [cell.value for cell in ws[4]]
        counted_col = len(header)
        for row in range(5, ws.max_row + 1):
            key = (ws.cell(row, 2).value or ws.cell(row, 3).value, ws.cell(row, 4).value)
            if key in counts:
                ws.cell(row, counted_col).value = counts.pop(key)
        self.assertFalse(counts, "rows not in the sheet")
        return book

    def _import_error(self, plan, book, user=None, **context):
        with self.assertRaises(UserError) as caught:
            self._import(plan, book, user, **context)
        message = str(caught.exception)
        self.assertIn("Nothing was imported", message)
        return message

    # --- 1. re-importing a sheet --------------------------------------------------------
    def test_reimported_sheet_keeps_the_counts_made(self):
        """Counted 70 of 100 at 09:00, 30 shipped at 10:00: the sheet re-imported at 14:00 (its
        counted column filled by the export) leaves the count of 09:00 and its difference of -30."""
        plan = self._start(self.shelf_1)
        with freeze_time(DAY + "09:00:00"):
            self._import(plan, self._fill(self._export(plan, self.counter), {("JXC-001", None): 70}), self.counter)
        self._sell(self.customer_a, [(self.product_1, 30, 25.0)], DAY + "10:00:00")
        line = self._line(plan, self.product_1)
        self.assertEqual((line.counted_qty, line.moved_qty, line.difference_qty), (70, 0, -30))
        with freeze_time(DAY + "14:00:00"):
            book = self._export(plan, self.jxc_manager)
            self.assertEqual(book.active["G5"].value, 70)
            book.active["G6"] = 50  # product 2, counted now
            self._import(plan, book, self.jxc_manager)
        self.assertEqual((line.counted_qty, line.moved_qty, line.difference_qty), (70, 0, -30))
        self.assertEqual((str(line.counted_at), line.counted_by_id), (DAY + "09:00:00", self.counter))
        line_2 = self._line(plan, self.product_2)
        self.assertEqual((str(line_2.counted_at), line_2.counted_by_id, line_2.difference_qty),
                         (DAY + "14:00:00", self.jxc_manager, 0))
        # A row that gives its own, other count time is a new count: it is applied.
        self.env.user.tz = "UTC"
        with freeze_time(DAY + "14:30:00"):
            book = self._export(plan)
            book.active["H4"] = "Count Time"
            book.active["H5"] = "2025-07-01 11:00"
            self._import(plan, book)
        self.assertEqual((str(line.counted_at), line.moved_qty, line.difference_qty), (DAY + "11:00:00", -30, 0))
        self.assertEqual(str(line_2.counted_at), DAY + "14:00:00")

    def test_count_times_read_and_shown_on_one_clock(self):
        """An importer without a timezone (nor one from the web client) types and reads times on
        the company's clock: Shanghai, UTC+8. A time typed before the count started is refused
        with both times on that clock; one after it is taken as typed."""
        self.company.partner_id.tz = "Asia/Shanghai"
        self.env.user.tz = False
        plan = self._start(self.shelf_1)  # 08:00 UTC, 16:00 in Shanghai
        with freeze_time(DAY + "09:00:00"):
            book = self._fill(self._export(plan), {("JXC-001", None): 70})
            book.active["H4"] = "Count Time"
            book.active["H5"] = "2025-07-01 15:30"
            message = self._import_error(plan, book)
            self.assertIn("count time 2025-07-01 15:30:00 is before the count started (2025-07-01 16:00:00)", message)
            book.active["H5"] = "2025-07-01 16:30"
            self._import(plan, book)
        self.assertEqual(str(self._line(plan, self.product_1).counted_at), DAY + "08:30:00")

    def test_old_sheet_does_not_overwrite_a_newer_count(self):
        """A sheet exported at 08:30 (product 1 counted 10 at 08:15) is imported at 11:00 by the
        manager, who filled product 2 only; the counter counted product 1 again at 10:00 (12) and
        found product 3 on shelf 1 (2). The row left as exported keeps the newer count; rows the
        manager changed on those lines are refused, naming the row, and nothing is imported."""
        self.jxc_manager.tz = "Asia/Shanghai"
        plan = self._start(self.shelf_1, self.shelf_2)
        line_1, line_2, line_3 = (self._line(plan, product) for product in (self.product_1, self.product_2, self.product_3))
        with freeze_time(DAY + "08:15:00"):
            line_1.with_user(self.jxc_manager).counted_qty = 10
        with freeze_time(DAY + "08:30:00"):
            book = self._export(plan, self.jxc_manager)
        ws = book.active
        self.assertEqual([ws.cell(row, 7).value for row in range(5, 8)], [10, None, None])
        with freeze_time(DAY + "10:00:00"):
            line_1.with_user(self.counter).counted_qty = 12
            found = self.env["jxc.count.line"].with_user(self.counter).create({
                "plan_id": plan.id, "product_id": self.product_3.id, "location_id": self.shelf_1.id, "counted_qty": 2})
        ws["G6"] = 50
        with freeze_time(DAY + "11:00:00"):
            self._import(plan, book, self.jxc_manager)
        self.assertEqual((line_1.counted_qty, str(line_1.counted_at), line_1.counted_by_id), (12, DAY + "10:00:00", self.counter))
        self.assertEqual((line_2.counted_qty, str(line_2.counted_at), line_2.counted_by_id), (50, DAY + "11:00:00", self.jxc_manager))
        # rows changed on lines counted since the export: refused, with what to do; nothing is imported
        ws["G5"] = 11
        ws["G7"] = 9
        ws.append(["WH/Stock/Shelf 1", "JXC-003", None, None, None, None, 3])  # row 8: the goods found
        with freeze_time(DAY + "11:30:00"):
            message = self._import_error(plan, book, self.jxc_manager)
        self.assertIn("Row 5: the line was counted after this sheet was exported (12.00 Units on 2025-07-01 18:00:00 by "
                      "JXC Counter) and this count would replace it; export a fresh sheet and enter your count in it",
                      message)
        self.assertIn("Row 8: the line was counted after this sheet was exported (2.00 Units on 2025-07-01 18:00:00 by "
                      "JXC Counter)", message)
        self.assertEqual(message.count("Row "), 2)
        self.assertEqual((line_1.counted_qty, line_2.counted_qty, line_3.is_counted, found.counted_qty), (12, 50, False, 2))
        # a fresh sheet shows the newer counts: the manager's change of them is applied
        with freeze_time(DAY + "11:30:00"):
            book = self._export(plan, self.jxc_manager)
            ws = book.active
            self.assertEqual([ws.cell(row, 7).value for row in range(5, 9)], [12, 50, 2, None])
            ws["G5"], ws["G7"], ws["G8"] = 11, 3, 9
            self._import(plan, book, self.jxc_manager)
        self.assertEqual((line_1.counted_qty, line_1.counted_by_id, found.counted_qty, line_3.counted_qty),
                         (11, self.jxc_manager, 3, 9))
        self.assertEqual(str(line_2.counted_at), DAY + "11:00:00")

    def test_old_sheet_does_not_undo_a_recount_request(self):
        """The counter exports the sheet with his counts, submits them, and the manager sends product 2
        back for a recount: the old sheet imported again leaves it to recount, and a count changed in
        it for that line is refused."""
        plan = self._start(self.shelf_1)
        line_1, line_2 = self._line(plan, self.product_1), self._line(plan, self.product_2)
        with freeze_time(DAY + "09:00:00"):
            self._count(plan, {self.product_1: 90, self.product_2: 40})
            book = self._export(plan, self.counter)
            plan.action_submit()
        line_2.with_user(self.jxc_manager).action_request_recount()
        self.assertEqual((plan.state, line_2.is_counted), ("in_progress", False))
        with freeze_time(DAY + "10:00:00"):
            self._import(plan, book, self.counter)
        self.assertEqual((line_2.is_counted, line_2.review_state, line_2.first_counted_qty), (False, "recount", 40))
        self.assertEqual((line_1.counted_qty, str(line_1.counted_at)), (90, DAY + "09:00:00"))
        self._fill(book, {("JXC-002", None): 45})
        with freeze_time(DAY + "10:00:00"):
            message = self._import_error(plan, book, self.counter)
        self.assertIn("Row 6: the line was sent back for a recount after this sheet was exported; export a fresh sheet "
                      "and enter the recount in it", message)
        self.assertFalse(line_2.is_counted)
        with freeze_time(DAY + "10:30:00"):
            self._import(plan, self._fill(self._export(plan, self.counter), {("JXC-002", None): 45}), self.counter)
        self.assertEqual((line_2.counted_qty, str(line_2.counted_at), line_2.recount_round), (45, DAY + "10:30:00", 1))

    def test_sheet_without_the_export_stamps_imports_as_before(self):
        """A sheet of an earlier version (no hidden sheet of the counts as exported) is imported as
        before: a row repeating the line's count is left out, any other count replaces the line's."""
        plan = self._start(self.shelf_1)
        line_1 = self._line(plan, self.product_1)
        with freeze_time(DAY + "08:15:00"):
            line_1.counted_qty = 10
            book = self._export(plan)
        self.assertEqual(book.sheetnames[1:], ["jxc_count_stamps"])
        self.assertEqual(book["jxc_count_stamps"].sheet_state, "hidden")
        del book["jxc_count_stamps"]
        with freeze_time(DAY + "10:00:00"):
            line_1.with_user(self.counter).counted_qty = 12
        with freeze_time(DAY + "11:00:00"):
            self._import(plan, self._fill(book, {("JXC-002", None): 50}), self.jxc_manager)
        self.assertEqual((line_1.counted_qty, str(line_1.counted_at), line_1.counted_by_id),
                         (10, DAY + "11:00:00", self.jxc_manager))
        self.assertEqual(self._line(plan, self.product_2).counted_qty, 50)

    def test_old_sheet_does_not_bring_back_a_deleted_line(self):
        """The counter adds goods found on Shelf 1 (the Gizmo, JXC-003, counted 3) and exports
        the sheet; the line is deleted (entered by mistake). The old sheet, filled with the
        Widget's 98, is imported: the Widget is counted, the Gizmo's row left as exported is not
        taken for goods found again, and the same file imported twice changes nothing. The
        Gizmo's row changed to 4 is refused: its line was deleted after the export."""
        plan = self._start(self.shelf_1)
        with freeze_time(DAY + "09:00:00"):
            found = self.env["jxc.count.line"].with_user(self.counter).create({
                "plan_id": plan.id, "product_id": self.product_3.id, "location_id": self.shelf_1.id, "counted_qty": 3})
            book = self._export(plan, self.counter)
        ws = book.active
        self.assertEqual([(ws.cell(row, 2).value, ws.cell(row, 7).value) for row in range(5, ws.max_row + 1)],
                         [("JXC-001", None), ("JXC-002", None), ("JXC-003", 3)])
        found.unlink()
        self._fill(book, {("JXC-001", None): 98})
        for time in ("10:00:00", "11:00:00"):
            with freeze_time(DAY + time):
                self._import(plan, book, self.counter)
            self.assertEqual([(line.product_id, line.counted_qty, str(line.counted_at)) for line in plan.line_ids],
                             [(self.product_1, 98, DAY + "10:00:00"), (self.product_2, 0, "False")])
        self.assertEqual(plan.message_ids[1:2].body, Markup(
            "<span>1 counted quantities imported from count.xlsx (0 new line(s); 1 row(s) left as exported or repeating "
            "the count made were not applied).</span>"))
        self.assertEqual(plan.message_ids[:1].body, Markup(
            "<span>0 counted quantities imported from count.xlsx (0 new line(s); 2 row(s) left as exported or repeating "
            "the count made were not applied).</span>"))
        ws["G7"] = 4
        with freeze_time(DAY + "11:30:00"):
            message = self._import_error(plan, book, self.counter)
        self.assertIn("Row 7: the line of these goods was deleted from the plan after this sheet was exported; if the "
                      "goods are there, export a fresh sheet and add their row to it", message)
        self.assertEqual(message.count("Row "), 1)
        self.assertEqual(plan.line_ids.product_id, self.product_1 | self.product_2)

    # --- 2. approvals of a count that changes ------------------------------------------
    def _approve_first_recount_second(self, plan):
        """Product 1 counted 90 and product 2 40 (both beyond the 5 % tolerance) and submitted;
        the manager approves the first difference and sends the second back for a recount."""
        line_1, line_2 = self._line(plan, self.product_1), self._line(plan, self.product_2)
        with freeze_time(DAY + "09:00:00"):
            self._count(plan, {self.product_1: 90, self.product_2: 40})
            plan.action_submit()
        self.assertEqual((line_1.review_state, line_2.review_state), ("to_review", "to_review"))
        line_1.reason_id = self.reason_loss
        with freeze_time(DAY + "09:30:00"):
            line_1.with_user(self.jxc_manager).action_approve_difference()
            line_2.with_user(self.jxc_manager).action_request_recount()
        self.assertEqual((plan.state, line_1.review_state, line_1.approved_by_id), ("in_progress", "approved", self.jxc_manager))
        return line_1, line_2

    def test_changed_count_of_an_approved_difference_is_reviewed_again(self):
        plan = self._start(self.shelf_1)
        line_1, line_2 = self._approve_first_recount_second(plan)
        with freeze_time(DAY + "10:00:00"):
            line_1.with_user(self.counter).counted_qty = 90  # the same count keeps its approval
            self.assertEqual(line_1.review_state, "approved")
            line_2.with_user(self.counter).counted_qty = 50
            line_1.with_user(self.counter).counted_qty = 80
        self.assertEqual((line_1.review_state, line_1.approved_by_id.id), ("pending", False))
        plan.with_user(self.counter).action_submit()
        self.assertEqual((line_1.review_state, line_1.difference_qty), ("to_review", -20))
        self.assertEqual(line_2.review_state, "ok")
        self.assertEqual(plan.to_review_count, 1)

    def test_same_count_after_goods_moved_is_reviewed_again(self):
        """Product 1 counted 90 of 100 at 09:00, its -10 approved. 30 are sold at 10:00, and at
        11:00 a counter enters 90 again: that count, of 70 on the book then, is a gain of 20, not
        the loss the manager approved. Another reason given to an approved difference is another
        explanation: reviewed again too."""
        plan = self._start(self.shelf_1)
        line_1, line_2 = self._approve_first_recount_second(plan)
        self._sell(self.customer_a, [(self.product_1, 30, 25.0)], DAY + "10:00:00")
        with freeze_time(DAY + "11:00:00"):
            line_1.with_user(self.counter).counted_qty = 90
        self.assertEqual((line_1.review_state, line_1.difference_qty), ("pending", 20.0))
        # approved again, then another reason
        with freeze_time(DAY + "11:10:00"):
            line_2.with_user(self.counter).counted_qty = 50
            plan.with_user(self.counter).action_submit()
            line_1.sudo().reason_id = self.reason_surplus
            line_1.with_user(self.jxc_manager).action_approve_difference()
        self.assertEqual(line_1.review_state, "approved")
        line_1.with_user(self.jxc_manager).reason_id = self.reason_damage
        # the plan is submitted: to review again at once, as Submit would have left it
        self.assertEqual((line_1.review_state, line_1.approved_by_id.id, plan.to_review_count), ("to_review", False, 1))

    def test_reason_changed_in_a_submitted_plan_is_reviewed_before_posting(self):
        """Submitted, product 1's -10 approved as a loss; a counter then picks another reason.
        The line is to review again (not "Not Submitted", which Approve skipped and Post posted
        with nobody's approval): the plan's Approve approves it, for the new reason."""
        plan = self._start(self.shelf_1)
        line_1, line_2 = self._line(plan, self.product_1), self._line(plan, self.product_2)
        with freeze_time(DAY + "09:00:00"):
            self._count(plan, {self.product_1: 90, self.product_2: 50})
            plan.action_submit()
        self.assertEqual((line_1.review_state, line_2.review_state), ("to_review", "ok"))
        line_1.reason_id = self.reason_loss
        line_1.with_user(self.jxc_manager).action_approve_difference()
        line_1.with_user(self.counter).reason_id = self.reason_damage
        self.assertEqual((line_1.review_state, line_1.approved_by_id.id, plan.to_review_count), ("to_review", False, 1))
        line_2.with_user(self.counter).reason_id = self.reason_damage  # not approved: nothing to review again
        self.assertEqual(line_2.review_state, "ok")
        plan.with_user(self.jxc_manager).action_approve()
        self.assertEqual((plan.state, line_1.review_state, line_1.approved_by_id, line_1.reason_id),
                         ("approved", "approved", self.jxc_manager, self.reason_damage))

    def test_imported_change_of_an_approved_difference_is_reviewed_again(self):
        """The same through a sheet with the plan's declared count time (counts written with their time)."""
        plan = self._start(self.shelf_1)
        line_1, _line_2 = self._approve_first_recount_second(plan)
        with freeze_time(DAY + "11:00:00"):
            plan.declared_count_time = DAY + "10:00:00"
            book = self._export(plan, self.counter)
            self._import(plan, self._fill(book, {("JXC-001", None): 85, ("JXC-002", None): 50}), self.counter)
        self.assertEqual((str(line_1.counted_at), line_1.review_state), (DAY + "10:00:00", "pending"))
        plan.action_submit()
        self.assertEqual((line_1.review_state, line_1.difference_qty), ("to_review", -15))

    # --- 3. products ------------------------------------------------------------------
    def test_products_without_code_and_variants_are_matched_by_name(self):
        color = self.env["product.attribute"].create({"name": "JXC Colour", "value_ids": [
            Command.create({"name": "Red"}), Command.create({"name": "Blue"})]})
        template = self.env["product.template"].create({
            "name": "JXC Shirt", "is_storable": True, "categ_id": self.category.id,
            "attribute_line_ids": [Command.create({"attribute_id": color.id, "value_ids": [Command.set(color.value_ids.ids)]})],
        })
        red, blue = template.product_variant_ids.sorted(lambda p: p.product_template_attribute_value_ids.name != "Red")
        plain = self.env["product.product"].create({"name": "JXC Plain", "is_storable": True, "categ_id": self.category.id})
        for product, qty in ((red, 3), (blue, 4), (plain, 5)):
            self._set_on_hand(product, qty, self.shelf_2)
        plan = self._start(self.shelf_2)
        book = self._export(plan)
        rows = {book.active.cell(row, 3).value: book.active.cell(row, 2).value for row in range(5, book.active.max_row + 1)}
        self.assertEqual(rows, {"JXC Gizmo": "JXC-003", "JXC Shirt (Red)": "", "JXC Shirt (Blue)": "", "JXC Plain": ""})
        self._import(plan, self._fill(book, {
            ("JXC-003", None): 10, ("JXC Shirt (Red)", None): 2, ("JXC Shirt (Blue)", None): 4, ("JXC Plain", None): 6}))
        self.assertEqual([self._line(plan, product).counted_qty for product in (red, blue, plain)], [2, 4, 6])
        self.assertEqual(plan.counted_count, 4)

    def test_archived_product_of_the_snapshot(self):
        plan = self._start(self.shelf_2)
        self.product_3.action_archive()
        self._import(plan, self._fill(self._export(plan), {("JXC-003", None): 9}))
        self.assertEqual(self._line(plan, self.product_3).counted_qty, 9)

    def test_reference_typed_with_spaces_in_odoo(self):
        """A reference (or name) typed in Odoo with a space around it: the sheet's cell is read
        without spaces, and still finds its product."""
        self.product_3.write({"default_code": " JXC-003 ", "barcode": False})
        # goods found that the plan does not count, their reference typed with a space too
        other = self.env["product.product"].create({
            "name": "JXC Other", "default_code": "JXC-OTHER ", "is_storable": True, "categ_id": self.category.id})
        self.env["product.product"].create({  # its reference is in this one's: not taken for it
            "name": "JXC Other Two", "default_code": "JXC-OTHER-2", "is_storable": True, "categ_id": self.category.id})
        plan = self._start(self.shelf_2)
        book = self._fill(self._export(plan), {(" JXC-003 ", None): 9})
        book.active.append(["WH/Stock/Shelf 2", "JXC-OTHER", None, None, None, None, 4])
        self._import(plan, book)
        self.assertEqual(self._line(plan, self.product_3).counted_qty, 9)
        self.assertEqual(self._line(plan, other).counted_qty, 4)

    def test_found_product_of_the_parent_company(self):
        """A branch's sheet with a row of goods found, a product of its parent company (which
        Odoo shares with the branch): the row counts it."""
        branch = self.env["res.company"].create({"name": "JXC Import Branch", "parent_id": self.company.id})
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", branch.id)], limit=1)
        self.env["product.product"].create({
            "name": "JXC Parent Pump", "default_code": "JXC-PUMP", "is_storable": True, "company_id": self.company.id})
        self.env["stock.quant"].with_company(branch).with_context(inventory_mode=True).create({
            "product_id": self.product_1.id, "location_id": warehouse.lot_stock_id.id, "inventory_quantity": 3,
        }).action_apply_inventory()
        plan = self.env["jxc.count.plan"].with_company(branch).create({"warehouse_id": warehouse.id})
        with freeze_time(DAY + "08:00:00"):
            plan.action_start()
        book = self._export(plan)
        book.active.append([warehouse.lot_stock_id.complete_name, "JXC-PUMP", None, None, None, None, 4])
        self._import(plan.with_context(allowed_company_ids=branch.ids), book)
        found = plan.line_ids.filtered(lambda line: line.product_id.default_code == "JXC-PUMP")
        self.assertEqual((found.counted_qty, found.is_found), (4, True))

    def test_found_goods_added_by_a_scan_at_the_same_moment(self):
        """A sheet with a row of goods found on Shelf 1 (JXC-003, 4) is imported while a counter
        scans the same goods there: the sheet read no line of them, the scan made it first. The
        import's insert hits the plan's unique line and is handed to Odoo's RPC to retry (not the
        constraint's error), with nothing of the sheet written. The retry finds the counter's
        line, counted after the sheet was exported, and says so, as for any line counted since."""
        plan = self._start(self.shelf_1)
        book = self._export(plan)
        book.active.append([self.shelf_1.complete_name, "JXC-003", None, None, None, None, 4])
        self._fill(book, {("JXC-001", None): 98})
        with freeze_time(DAY + "10:00:00"):
            scanned = self.env["jxc.count.line"].create({
                "plan_id": plan.id, "product_id": self.product_3.id, "location_id": self.shelf_1.id, "counted_qty": 1.0})
        Wizard = type(self.env["jxc.count.import.wizard"])
        match_line = Wizard._match_line

        def before_the_scan(wizard, product, *args):
            line, *rest = match_line(wizard, product, *args)
            return (None if product == self.product_3 else line, *rest)

        with freeze_time(DAY + "10:00:01"):
            with patch.object(Wizard, "_match_line", before_the_scan), self.assertRaises(ConcurrencyError):
                self._import(plan, book)
            self.assertEqual((self._line(plan, self.product_1).counted_qty, scanned.counted_qty), (0.0, 1.0))
            message = self._import_error(plan, book)  # the retry
        self.assertIn("Row 7: the line was counted after this sheet was exported", message)
        self.assertEqual(len(plan.line_ids.filtered(lambda line: line.product_id == self.product_3)), 1)

    def test_shared_reference(self):
        """Two counted products share a reference: the exported name tells them apart. A found
        row giving only a reference that two products have is refused, saying what to do."""
        copy = self.env["product.product"].create({
            "name": "JXC Widget Copy", "is_storable": True, "categ_id": self.category.id, "default_code": "JXC-001"})
        self._set_on_hand(copy, 5, self.shelf_1)
        twins = self.env["product.product"].create([
            {"name": name, "is_storable": True, "categ_id": self.category.id, "default_code": "JXC-TWIN"}
            for name in ("JXC Twin A", "JXC Twin B")])
        plan = self._start(self.shelf_1)
        book = self._export(plan)
        book.active.append(["WH/Stock/Shelf 1", "JXC-TWIN", None, None, None, None, 2])  # row 8
        ws = book.active
        for row in range(5, 8):
            ws.cell(row, 7).value = {"JXC Widget": 98, "JXC Widget Copy": 4, "JXC Gadget": 50}[ws.cell(row, 3).value]
        message = self._import_error(plan, book)
        self.assertIn(
            "Row 8: product code 'JXC-TWIN' belongs to several products ([JXC-TWIN] JXC Twin A, [JXC-TWIN] JXC Twin B); "
            "give each of them its own internal reference and write that reference in the column Product Code", message)
        self.assertNotIn("Row 5", message)
        self.assertNotIn("Row 6", message)
        self.assertFalse(plan.counted_count)
        twins[1].default_code = "JXC-TWIN-B"
        self._import(plan, book)
        self.assertEqual([self._line(plan, product).counted_qty for product in (self.product_1, copy, twins[0])], [98, 4, 2])
        self.assertTrue(self._line(plan, twins[0]).is_found)

    # --- 4. numbers -------------------------------------------------------------------
    def test_numbers_in_the_users_format(self):
        plan = self._start(self.shelf_1, self.shelf_2)
        book = self._fill(self._export(plan), {("JXC-001", None): "1,000", ("JXC-002", None): "12,5", ("JXC-003", None): "1,00"})
        message = self._import_error(plan, book)
        self.assertIn("Row 6: counted quantity '12,5' is not a number; write it like 1,234.5", message)
        self.assertIn("Row 7: counted quantity '1,00' is not a number; write it like 1,234.5", message)
        self.assertNotIn("Row 5", message)
        self.assertFalse(plan.counted_count)
        self._import(plan, self._fill(book, {("JXC-002", None): "12.5", ("JXC-003", None): 9.5}))
        self.assertEqual([self._line(plan, p).counted_qty for p in (self.product_1, self.product_2, self.product_3)],
                         [1000, 12.5, 9.5])

    def test_numbers_with_a_decimal_comma(self):
        self.env["res.lang"]._activate_lang("de_DE")
        self.counter.lang = "de_DE"
        plan = self._start(self.shelf_1, self.shelf_2)
        book = self._fill(self._export(plan, self.counter), {
            ("JXC-001", None): "1.234", ("JXC-002", None): "12,5", ("JXC-003", None): "1.5"})
        message = self._import_error(plan, book, self.counter)
        self.assertIn("Row 7: counted quantity '1.5' is not a number; write it like 1.234,5", message)
        self.assertEqual(message.count("Row "), 1)
        self._import(plan, self._fill(book, {("JXC-003", None): "9,75"}), self.counter)
        self.assertEqual([self._line(plan, p).counted_qty for p in (self.product_1, self.product_2, self.product_3)],
                         [1234, 12.5, 9.75])

    # --- 5. languages -----------------------------------------------------------------
    def test_sheet_exported_in_another_language(self):
        """A sheet exported in Chinese is imported by an English-speaking counter, and back."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.uom_unit.with_context(lang="zh_CN").name = "件"
        chinese = new_test_user(self.env, login="jxc_zh_counter", groups="jxc_addon.group_jxc_user", lang="zh_CN")
        plan = self._start(self.shelf_1)
        book = self._export(plan, chinese)
        self.assertEqual([cell.value for cell in book.active[4]], ["库位", "产品编码", "产品", "批次/序列号", "单位", "账面数量", "实盘数量"])
        self.assertEqual(book.active["E5"].value, "件")
        self._import(plan, self._fill(book, {("JXC-001", None): 99}), self.counter)
        self.assertEqual(self._line(plan, self.product_1).counted_qty, 99)
        book = self._export(plan, self.counter)
        self.assertEqual((book.active["E4"].value, book.active["E5"].value), ("Unit", "Units"))
        self._import(plan, self._fill(book, {("JXC-002", None): 48}), chinese)
        self.assertEqual(self._line(plan, self.product_2).counted_qty, 48)

    def test_owner_column_of_an_earlier_chinese_sheet(self):
        """Earlier versions exported the owner column in Chinese as 货主 (now 所有者, Odoo's
        word): such a sheet still puts Zhang Wei's consigned count on his line. Read without its
        owner, his row was refused as a repeat of the company's own row of the product there."""
        self.env["res.lang"]._activate_lang("zh_CN")
        chinese = new_test_user(self.env, login="jxc_zh_owner", groups="jxc_addon.group_jxc_user", lang="zh_CN")
        consignor = self.env["res.partner"].create({"name": "Zhang Wei"})
        self.env["stock.quant"].with_context(inventory_mode=True).create({
            "product_id": self.product_2.id, "location_id": self.shelf_1.id,
            "owner_id": consignor.id, "inventory_quantity": 6}).action_apply_inventory()
        plan = self._start(self.shelf_1)
        ws = self._export(plan, chinese).active
        titles = [cell.value for cell in ws[4]]
        self.assertEqual(titles[4], "所有者")
        ws.cell(4, 5).value = "货主"
        rows = {(ws.cell(row, 2).value, ws.cell(row, 5).value): row for row in range(5, ws.max_row + 1)}
        ws.cell(rows["JXC-002", "Zhang Wei"], len(titles)).value = 5
        self._import(plan, ws.parent, chinese)
        consigned = plan.line_ids.filtered("owner_id")
        self.assertEqual((consigned.owner_id, consigned.counted_qty, consigned.is_counted), (consignor, 5, True))
        self.assertFalse(plan.line_ids.filtered("is_found"))

    # --- 6. tracking and storable products, row by row ------------------------------
    def test_blind_count_tells_no_book_through_the_lot_check(self):
        """Stock of a lot-tracked product kept without a lot (book 5): a counter of a blind
        stocktake imports 7 for it and learns nothing of the book (the lots are checked at
        approval); a manager is told the gain needs a lot (a loss would not)."""
        lotted = self.env["product.product"].create({
            **self._prepare_product_vals("JXC Lotted", 5.0, 8.0, "JXC-LOT"), "tracking": "lot"})
        self.env["stock.quant"].sudo()._update_available_quantity(lotted, self.shelf_2, 5)
        plan = self._start(self.shelf_2)
        plan.blind = True
        book = self._fill(self._export(plan, self.counter), {("JXC-003", None): 10, ("JXC-LOT", None): 7})
        message = self._import_error(plan, book, self.jxc_manager)
        self.assertIn("is tracked by lot/serial number", message)
        self._import(plan, book, self.counter)
        self.assertEqual(self._line(plan, lotted).counted_qty, 7.0)

    def test_tracking_checked_row_by_row(self):
        Product = self.env["product.product"]
        lotted = Product.create({**self._prepare_product_vals("JXC Lotted", 5.0, 8.0, "JXC-LOT"), "tracking": "lot"})
        serial = Product.create({**self._prepare_product_vals("JXC Serial", 5.0, 8.0, "JXC-SER"), "tracking": "serial"})
        Product.create({**self._prepare_product_vals("JXC Service Box", 1.0, 2.0, "JXC-CONSU"), "is_storable": False})
        lot = self.env["stock.lot"].create({"name": "L-001", "product_id": lotted.id})
        serial_number = self.env["stock.lot"].create({"name": "SN-001", "product_id": serial.id})
        Quant = self.env["stock.quant"].sudo()
        Quant._update_available_quantity(lotted, self.shelf_2, 7, lot_id=lot)
        Quant._update_available_quantity(serial, self.shelf_2, 1, lot_id=serial_number)
        plan = self._start(self.shelf_2)
        book = self._fill(self._export(plan), {("JXC-003", None): 10, ("JXC-LOT", "L-001"): 7, ("JXC-SER", "SN-001"): 2})
        ws = book.active
        ws.append(["WH/Stock/Shelf 2", "JXC-LOT", None, None, None, None, 3])          # row 8: no lot
        ws.append(["WH/Stock/Shelf 2", "JXC-CONSU", None, None, None, None, 1])        # row 9: not storable
        ws.append(["WH/Stock/Shelf 2", "JXC-LOT", None, "L-404", None, None, 1])       # row 10: unknown lot
        ws.append(["WH/Stock/Shelf 2", "JXC-SER", None, None, None, None, 0])          # row 11: book 0 confirmed
        message = self._import_error(plan, book)
        self.assertIn("Row 7: [JXC-SER] JXC Serial is tracked by serial number: count serial SN-001 as 1 (found) "
                      "or 0 (missing)", message)
        self.assertIn("Row 8: [JXC-LOT] JXC Lotted is tracked by lot/serial number: write the lot/serial number in "
                      "the column Lot/Serial and count each lot on its own row", message)
        self.assertIn("Row 9: [JXC-CONSU] JXC Service Box does not track stock (it is not a storable product) and is "
                      "not counted; remove the row", message)
        self.assertIn("Row 10: unknown lot/serial 'L-404' for [JXC-LOT] JXC Lotted; create it in Inventory "
                      "(Lots/Serial Numbers) first, or correct the number", message)
        self.assertEqual(message.count("Row "), 4)
        self.assertEqual((plan.counted_count, plan.line_count), (0, 3))
        ws.delete_rows(8, 3)
        ws["G7"] = 1
        self._import(plan, book)
        self.assertEqual((plan.counted_count, plan.line_count), (4, 4))

    # --- 7. lots, packages and owners ------------------------------------------------
    def test_lot_of_another_company_is_not_taken(self):
        """A shared product has lot 2405A in our company and in another one; a manager working in
        both imports our plan's sheet: the row is our line's lot. A row of goods found takes a lot
        of our company (2405C), never one of the other (2405B)."""
        other = self.env["res.company"].create({"name": "JXC Lot Company B"})
        lotted = self.env["product.product"].create({
            **self._prepare_product_vals("JXC Lotted", 5.0, 8.0, "JXC-LOT"), "tracking": "lot"})
        Lot = self.env["stock.lot"]
        ours = Lot.create({"name": "2405A", "product_id": lotted.id, "company_id": self.company.id})
        Lot.create([{"name": name, "product_id": lotted.id, "company_id": other.id} for name in ("2405A", "2405B")])
        third = Lot.create({"name": "2405C", "product_id": lotted.id, "company_id": self.company.id})
        self.env["stock.quant"].sudo()._update_available_quantity(lotted, self.shelf_2, 7, lot_id=ours)
        self.jxc_manager.company_ids = [Command.link(other.id)]
        plan = self._start(self.shelf_2)
        book = self._fill(self._export(plan, self.jxc_manager), {("JXC-003", None): 10, ("JXC-LOT", "2405A"): 6})
        book.active.append(["WH/Stock/Shelf 2", "JXC-LOT", None, "2405B", None, None, 1])  # row 7
        both = [self.company.id, other.id]
        message = self._import_error(plan, book, self.jxc_manager, allowed_company_ids=both)
        self.assertIn("Row 7: unknown lot/serial '2405B' for [JXC-LOT] JXC Lotted; create it in Inventory", message)
        self.assertEqual(message.count("Row "), 1)
        book.active["D7"] = "2405C"
        self._import(plan, book, self.jxc_manager, allowed_company_ids=both)
        line = plan.line_ids.filtered(lambda line: line.lot_id == ours)
        self.assertEqual((line.counted_qty, line.is_found), (6, False))
        found = plan.line_ids.filtered(lambda line: line.lot_id == third)
        self.assertEqual((found.counted_qty, found.is_found), (1, True))
        self.assertEqual(plan.line_count, 3)

    def test_packages_and_owners_of_the_sheet_are_the_lines(self):
        """Consigned stock of a Zhang Wei (archived since; another partner has his name) in package
        JXC-PK (an empty package has that name too): the exported sheet imports onto its line. A row
        of goods found takes the plan's Zhang Wei; a name two partners share and the plan does not
        know is refused with its row."""
        Partner = self.env["res.partner"]
        consignor, _namesake = Partner.create([{"name": "Zhang Wei"}, {"name": "Zhang Wei"}])
        Partner.create([{"name": "Li Na"}, {"name": "Li Na"}])
        package, _empty = self.env["stock.package"].create([{"name": "JXC-PK"}, {"name": "JXC-PK"}])
        self.env["stock.quant"].with_context(inventory_mode=True).create({
            "product_id": self.product_2.id, "location_id": self.shelf_1.id, "package_id": package.id,
            "owner_id": consignor.id, "inventory_quantity": 6}).action_apply_inventory()
        consignor.action_archive()
        plan = self._start(self.shelf_1)
        book = self._export(plan)
        ws = book.active
        self.assertEqual([cell.value for cell in ws[4]][3:6], ["Lot/Serial", "Package", "Owner"])
        rows = {(ws.cell(row, 2).value, ws.cell(row, 5).value, ws.cell(row, 6).value): row for row in range(5, ws.max_row + 1)}
        ws.cell(rows["JXC-002", "JXC-PK", "Zhang Wei"], 9).value = 5
        ws.append(["WH/Stock/Shelf 1", "JXC-001", None, None, None, "Zhang Wei", None, None, 4])  # row 8
        ws.append(["WH/Stock/Shelf 1", "JXC-001", None, None, None, "Li Na", None, None, 1])      # row 9
        message = self._import_error(plan, book)
        self.assertIn("Row 9: several partners are named 'Li Na'; add these goods on the plan's screen, where the "
                      "owner is picked from a list", message)
        self.assertEqual(message.count("Row "), 1)
        ws.delete_rows(9)
        self._import(plan, book)
        packed = plan.line_ids.filtered("package_id")
        self.assertEqual((packed.package_id, packed.owner_id, packed.counted_qty, packed.is_found), (package, consignor, 5, False))
        found = plan.line_ids.filtered("is_found")
        self.assertEqual((found.product_id, found.owner_id, found.package_id, found.counted_qty),
                         (self.product_1, consignor, self.env["stock.package"], 4))
