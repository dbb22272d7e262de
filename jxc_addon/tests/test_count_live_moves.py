"""Counting while the warehouse keeps working (issue 14, items 2 and 3).

Each test freezes time so that the order of events is explicit: the snapshot at 08:00,
receipts and deliveries, the count, more moves, the posting. The adjustment of a line is
``counted - (book at the snapshot + moves done between the snapshot and the count)``; the
moves after the count are kept.
"""

import base64
import io
from datetime import datetime, time

import openpyxl
from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from .common import xlsx_file
from .count_common import JxcCountCommon

DAY = "2025-07-01 "


@tagged("post_install", "-at_install")
class TestCountLiveMoves(JxcCountCommon):

    def _start(self, **vals):
        plan = self._create_plan(**vals)
        with freeze_time(DAY + "08:00:00"):
            plan.action_start()
        return plan

    # the events of the counting day, each at its time of DAY ("09:00:00")
    def _deliver_at(self, time, product, qty):
        self._sell(self.customer_a, [(product, qty, 25.0)], DAY + time)

    def _receive_at(self, time, product, qty, location, lot=None):
        with freeze_time(DAY + time):
            purchase = self._create_purchase(self.vendor_a, [(product, qty, 4.0)])
            receipt = purchase.picking_ids
            receipt.move_ids.location_dest_id = location
            if lot:
                receipt.move_ids.move_line_ids.write({"lot_id": lot.id, "quantity": qty, "location_dest_id": location.id})
                receipt.move_ids.picked = True
                receipt.button_validate()
            else:
                self._receive(purchase)

    def _count_at(self, time, plan, quantities):
        with freeze_time(DAY + time):
            self._count(plan, quantities)

    def _post(self, plan, at=DAY + "12:00:00"):
        with freeze_time(at):
            plan.action_submit()
            for line in plan.line_ids.filtered("is_discrepancy"):
                line.reason_id = self.reason_loss if line.difference_qty < 0 else self.reason_surplus
            plan.action_approve()
            plan.action_post()

    def test_moves_before_the_count(self):
        """100 at the snapshot, 30 delivered before the shelf is counted, 65 counted: 65 remain."""
        plan = self._start(location_ids=[(6, 0, self.shelf_1.ids)])
        self._deliver_at("09:00:00", self.product_1, 30)
        self._count_at("10:00:00", plan, {self.product_1: 65, self.product_2: 50})
        line = self._line(plan, self.product_1)
        self.assertEqual((line.book_qty, line.moved_qty, line.expected_qty), (100, -30, 70))
        self.assertEqual(line.difference_qty, -5)
        self.assertEqual(str(line.counted_at), DAY + "10:00:00")
        self._post(plan)
        self.assertEqual(self._on_hand(self.product_1, self.shelf_1), 65)
        self.assertEqual(plan.move_ids.product_uom_qty, 5)
        self.assertEqual(plan.loss_value, 50.0)

    def test_moves_after_the_count(self):
        """Counted 97 of 100, then 30 delivered: the delivery is kept, 67 remain."""
        plan = self._start(location_ids=[(6, 0, self.shelf_1.ids)])
        self._count_at("09:00:00", plan, {self.product_1: 97, self.product_2: 50})
        self._deliver_at("10:00:00", self.product_1, 30)
        self.assertEqual(self._line(plan, self.product_1).difference_qty, -3)
        self._post(plan)
        self.assertEqual(self._on_hand(self.product_1, self.shelf_1), 67)

    def test_moves_before_and_after_the_count(self):
        """50 at the snapshot, 20 received, 68 counted, 10 delivered: 58 remain."""
        plan = self._start(location_ids=[(6, 0, self.shelf_1.ids)])
        self._receive_at("09:00:00", self.product_2, 20, self.shelf_1)
        self._count_at("10:00:00", plan, {self.product_1: 100, self.product_2: 68})
        self._deliver_at("11:00:00", self.product_2, 10)
        line = self._line(plan, self.product_2)
        self.assertEqual((line.moved_qty, line.difference_qty), (20, -2))
        self._post(plan)
        self.assertEqual(self._on_hand(self.product_2, self.shelf_1), 58)
        self.assertEqual(self._on_hand(self.product_1, self.shelf_1), 100)
        self.assertEqual(len(plan.move_ids), 1)

    def test_same_save_sent_again(self):
        """100 typed at 09:00 on the scan screen, its answer lost; 30 delivered at 10:00; at
        11:00 the counter presses Save again (the same key), and a manager opens the line and
        saves the 100 it shows: still the counter's count of 09:00, no difference, one entry to
        undo; 70 remain once posted, not 100 (a gain of the 30 delivered). Another quantity
        saved from the editor is a count of its own."""
        plan = self._start(location_ids=[(6, 0, self.shelf_1.ids)])
        line, gadgets = self._line(plan, self.product_1), self._line(plan, self.product_2)
        on_screen = plan.with_user(self.counter)
        with freeze_time(DAY + "09:00:00"):
            on_screen.jxc_set_counted(line.id, 100, self.shelf_1.id, False, "save-1", None)
            on_screen.jxc_set_counted(gadgets.id, 50, self.shelf_1.id, False, "save-2", None)
        self._deliver_at("10:00:00", self.product_1, 30)
        with freeze_time(DAY + "11:00:00"):
            again = on_screen.jxc_set_counted(line.id, "100", self.shelf_1.id, False, "save-1", None)
            checked = plan.with_user(self.jxc_manager).jxc_set_counted(line.id, 100, self.shelf_1.id, False, "save-3", 100.0)
        for result in (again, checked):
            self.assertEqual(result["message"],
                             "[JXC-001] JXC Widget @ WH/Stock/Shelf 1: 100.00 counted already; nothing changed.")
        self.assertEqual((str(line.counted_at), line.counted_by_id, line.moved_qty, line.difference_qty),
                         (DAY + "09:00:00", self.counter, 0.0, 0.0))
        self.assertEqual(self.env["jxc.count.scan"].search_count([("plan_id", "=", plan.id)]), 2)
        # the gadgets counted again from the editor, as 48: a new count at its time
        with freeze_time(DAY + "11:10:00"):
            on_screen.jxc_set_counted(gadgets.id, 48, self.shelf_1.id, False, "save-4", 50.0)
        self.assertEqual((str(gadgets.counted_at), gadgets.difference_qty), (DAY + "11:10:00", -2.0))
        self._post(plan)
        self.assertEqual((self._on_hand(self.product_1, self.shelf_1), self._on_hand(self.product_2, self.shelf_1)), (70, 48))

    def test_found_goods_received_during_the_count(self):
        """0 at the snapshot, 4 received and found by the counter: 4 on hand, not 8."""
        plan = self._start(location_ids=[(6, 0, self.shelf_1.ids)])
        self._receive_at("09:00:00", self.product_3, 4, self.shelf_1)
        with freeze_time(DAY + "10:00:00"):
            self._count(plan, {self.product_1: 100, self.product_2: 50})
            found = self.env["jxc.count.line"].with_user(self.counter).create({
                "plan_id": plan.id, "product_id": self.product_3.id, "location_id": self.shelf_1.id, "counted_qty": 4,
            })
        found = found.sudo()
        self.assertTrue(found.is_found)
        self.assertEqual((found.book_qty, found.moved_qty, found.difference_qty), (0, 4, 0))
        self.assertFalse(found.is_discrepancy)
        self._post(plan)
        self.assertEqual(self._on_hand(self.product_3, self.shelf_1), 4)
        self.assertFalse(plan.move_ids)

    def test_recount_after_further_moves(self):
        plan = self._start(location_ids=[(6, 0, self.shelf_1.ids)])
        with freeze_time(DAY + "09:00:00"):
            self._count(plan, {self.product_1: 90, self.product_2: 50})
            plan.action_submit()
            plan.action_recount()
        self._deliver_at("10:00:00", self.product_1, 30)
        with freeze_time(DAY + "11:00:00"):
            self._line(plan, self.product_1).with_user(self.counter).counted_qty = 70
        line = self._line(plan, self.product_1)
        self.assertEqual((line.first_counted_qty, line.moved_qty, line.difference_qty), (90, -30, 0))
        self.assertEqual(str(line.counted_at), DAY + "11:00:00")
        self._post(plan)
        self.assertEqual(self._on_hand(self.product_1, self.shelf_1), 70)
        self.assertFalse(plan.move_ids)

    def test_lots(self):
        product = self.env["product.product"].create({**self._prepare_product_vals("Lotted", 5.0, 8.0, "LOT-LIVE"),
                                                      "tracking": "lot"})
        lot_1, lot_2 = self.env["stock.lot"].create([
            {"name": "L-1", "product_id": product.id}, {"name": "L-2", "product_id": product.id}])
        with freeze_time(DAY + "07:00:00"):  # the opening stock, before the count
            for lot, qty in ((lot_1, 6), (lot_2, 4)):
                self.env["stock.quant"].with_context(inventory_mode=True).create({
                    "product_id": product.id, "location_id": self.shelf_2.id, "lot_id": lot.id, "inventory_quantity": qty,
                }).action_apply_inventory()
        plan = self._start(product_ids=[(6, 0, product.ids)])
        self._receive_at("09:00:00", product, 5, self.shelf_2, lot_2)
        with freeze_time(DAY + "10:00:00"):
            plan.line_ids.filtered(lambda line: line.lot_id == lot_1).counted_qty = 6
            plan.line_ids.filtered(lambda line: line.lot_id == lot_2).counted_qty = 8
        self._receive_at("11:00:00", product, 2, self.shelf_2, lot_1)
        line_1 = plan.line_ids.filtered(lambda line: line.lot_id == lot_1)
        line_2 = plan.line_ids.filtered(lambda line: line.lot_id == lot_2)
        self.assertEqual((line_1.moved_qty, line_1.difference_qty), (0, 0))
        self.assertEqual((line_2.moved_qty, line_2.difference_qty), (5, -1))
        self._post(plan)
        Quant = self.env["stock.quant"]
        self.assertEqual(Quant._get_available_quantity(product, self.shelf_2, lot_id=lot_1, strict=True), 8)
        self.assertEqual(Quant._get_available_quantity(product, self.shelf_2, lot_id=lot_2, strict=True), 8)
        self.assertEqual(plan.move_ids.move_line_ids.lot_id, lot_2)

    # --- imported sheets -----------------------------------------------------------
    def _sheet(self, plan, counts, found=()):
        """The exported sheet with {product: (counted, count time text or None)} and a Count Time column;
        ``found``: rows added for goods the sheet did not list, (location, product, counted, count time)."""
        attachment = xlsx_file(plan.action_export_xlsx())
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(attachment.datas)))
        ws = book.active
        header = [cell.value for cell in ws[4]]
        counted_col, time_col = header.index("Counted Quantity") + 1, len(header) + 1
        ws.cell(4, time_col).value = "Count Time"
        for row in range(5, ws.max_row + 1):
            code = ws.cell(row, 2).value
            for product, (qty, at) in counts.items():
                if product.default_code == code:
                    ws.cell(row, counted_col).value = qty
                    ws.cell(row, time_col).value = at
        for location, product, qty, at in found:
            row = ws.max_row + 1
            ws.cell(row, header.index("Location") + 1).value = location.complete_name
            ws.cell(row, header.index("Product Code") + 1).value = product.default_code
            ws.cell(row, counted_col).value = qty
            ws.cell(row, time_col).value = at
        output = io.BytesIO()
        book.save(output)
        return self.env["jxc.count.import.wizard"].create({"plan_id": plan.id, "file": base64.b64encode(output.getvalue())})

    def test_imported_sheet_with_count_times(self):
        """Counted on paper at 09:30 (Shanghai 17:30); a delivery at 09:00 and a receipt at 10:00."""
        self.env.user.tz = "Asia/Shanghai"
        plan = self._start(location_ids=[(6, 0, self.shelf_1.ids)])
        self._deliver_at("09:00:00", self.product_1, 30)
        self._receive_at("10:00:00", self.product_2, 20, self.shelf_1)
        with freeze_time(DAY + "12:00:00"):
            wizard = self._sheet(plan, {self.product_1: (68, "2025-07-01 17:30"), self.product_2: (50, "2025-07-01 17:30")})
            wizard.action_import()
        line_1, line_2 = self._line(plan, self.product_1), self._line(plan, self.product_2)
        self.assertEqual(str(line_1.counted_at), DAY + "09:30:00")
        self.assertEqual((line_1.moved_qty, line_1.difference_qty), (-30, -2))
        self.assertEqual((line_2.moved_qty, line_2.difference_qty), (0, 0))
        self._post(plan)
        self.assertEqual(self._on_hand(self.product_1, self.shelf_1), 68)
        self.assertEqual(self._on_hand(self.product_2, self.shelf_1), 70)

    def test_imported_sheet_with_goods_outside_the_snapshot(self):
        """A cycle count of product 1 on Shelf 1; the paper sheet also lists product 2 found there at 09:30."""
        self.env.user.tz = "UTC"
        plan = self._start(location_ids=[(6, 0, self.shelf_1.ids)], product_ids=[(6, 0, self.product_1.ids)])
        self.assertEqual(plan.line_ids.product_id, self.product_1)
        self._deliver_at("09:00:00", self.product_2, 10)  # 50 -> 40 before the count
        self._receive_at("10:00:00", self.product_2, 20, self.shelf_1)  # 40 -> 60 after it
        with freeze_time(DAY + "12:00:00"):
            self._sheet(plan, {self.product_1: (100, "2025-07-01 09:30")},
                        found=[(self.shelf_1, self.product_2, 40, "2025-07-01 09:30")]).action_import()
        found = self._line(plan, self.product_2)
        # The system held 40 at 09:30 (60 now less the receipt after the count): nothing to adjust.
        self.assertEqual((found.is_found, found.book_qty, found.moved_qty, found.difference_qty), (True, 0, 40, 0))
        self._post(plan)
        self.assertEqual(self._on_hand(self.product_2, self.shelf_1), 60)
        self.assertFalse(plan.move_ids)

    def test_imported_sheet_with_the_declared_count_time(self):
        plan = self._start(location_ids=[(6, 0, self.shelf_1.ids)])
        self._deliver_at("09:00:00", self.product_1, 30)
        with freeze_time(DAY + "12:00:00"):
            plan.declared_count_time = DAY + "08:30:00"  # counted before the delivery
            self._sheet(plan, {self.product_1: (99, None), self.product_2: (50, None)}).action_import()
        line = self._line(plan, self.product_1)
        self.assertEqual(str(line.counted_at), DAY + "08:30:00")
        self.assertEqual((line.moved_qty, line.difference_qty), (0, -1))
        self._post(plan)
        self.assertEqual(self._on_hand(self.product_1, self.shelf_1), 69)

    def test_recount_imported_after_the_declared_count_time(self):
        """The paper count declared at 10:00 finds 90 of 100; 20 are received at 15:00 and the
        manager asks for a recount at 16:00. The recount sheet, without count times, is the
        recount's, not the 10:00 paper's: 110 counted against 120 now is 10 short (taken at the
        declared 10:00, the receipt would have been left out: 10 too many, posted 20 too high).
        A count time typed before the recount was asked is refused."""
        self.env.user.tz = "UTC"
        plan = self._start(location_ids=[(6, 0, self.shelf_1.ids)])
        with freeze_time(DAY + "11:00:00"):
            plan.declared_count_time = DAY + "10:00:00"
            self._sheet(plan, {self.product_1: (90, None), self.product_2: (50, None)}).action_import()
            plan.action_submit()
        line = self._line(plan, self.product_1)
        self.assertEqual((str(line.counted_at), line.difference_qty), (DAY + "10:00:00", -10))
        self._receive_at("15:00:00", self.product_1, 20, self.shelf_1)
        with freeze_time(DAY + "16:00:00"):
            plan.action_recount()
        self.assertEqual((plan.declared_count_time, str(line.recount_asked_at)), (False, DAY + "16:00:00"))
        with freeze_time(DAY + "17:00:00"):
            with self.assertRaisesRegex(UserError, "Row 5: count time 2025-07-01 12:00:00 is before the recount was "
                                                   r"asked \(2025-07-01 16:00:00\)"):
                self._sheet(plan, {self.product_1: (110, "2025-07-01 12:00")}).action_import()
            self._sheet(plan, {self.product_1: (110, None)}).action_import()
        self.assertEqual((str(line.counted_at), line.moved_qty, line.difference_qty), (DAY + "17:00:00", 20, -10))
        self._post(plan, at=DAY + "18:00:00")
        self.assertEqual(self._on_hand(self.product_1, self.shelf_1), 110)

    def test_count_time_to_the_millisecond_and_a_count_excel_made_a_date(self):
        """A count time written by a tool to the millisecond is kept to the second, as Odoo stores
        it and the sheet's stamp shows it: a fresh sheet with a new count of the line is taken (to
        the millisecond the line was never equal to its stamp and every later sheet was refused).
        A count Excel turned into a date ("1/2") is named as a date."""
        self.env.user.tz = "UTC"
        plan = self._start(location_ids=[(6, 0, self.shelf_1.ids)])
        line = self._line(plan, self.product_1)
        with freeze_time(DAY + "12:00:00"):
            self._sheet(plan, {self.product_1: (98, datetime(2025, 7, 1, 9, 30, 15, 123000))}).action_import()
            self.assertEqual(str(line.counted_at), DAY + "09:30:15")
            self._sheet(plan, {self.product_1: (97, None)}).action_import()
            self.assertEqual((line.counted_qty, str(line.counted_at)), (97, DAY + "12:00:00"))
            with self.assertRaisesRegex(UserError, "Row 6: counted quantity 2025-02-01 is a date: Excel took what was "
                                                   "typed for one; format the column Counted Quantity as Number"):
                self._sheet(plan, {self.product_2: (datetime(2025, 2, 1), None)}).action_import()

    def test_sheet_of_a_location_emptied_and_archived_during_the_count(self):
        """Shelf 2's 10 Gizmos are delivered during the count and the empty shelf archived (Odoo
        archives empty locations only): the sheet still lists its row, which imports (counted 0:
        nothing to adjust) instead of refusing the whole sheet for an unknown location."""
        self.env.user.tz = "UTC"
        plan = self._start(location_ids=[(6, 0, (self.shelf_1 | self.shelf_2).ids)])
        self._deliver_at("09:00:00", self.product_3, 10)
        self.assertEqual(self._on_hand(self.product_3, self.shelf_2), 0)
        self.shelf_2.action_archive()
        with freeze_time(DAY + "10:00:00"):
            self._sheet(plan, {self.product_1: (100, None), self.product_2: (50, None)}).action_import()
            self._sheet(plan, {self.product_3: (0, None)}).action_import()
        line = self._line(plan, self.product_3)
        self.assertEqual((line.is_counted, line.moved_qty, line.difference_qty), (True, -10, 0))

    def test_imported_sheet_counts_negative_stock_without_lot_to_zero(self):
        """-3 of a lot-tracked product without a lot (a delivery without lots): the sheet counts
        its row 0, the import takes it (+3 to post); a row counting goods without lot stays refused."""
        product = self.env["product.product"].create({**self._prepare_product_vals("Lotted Short", 5.0, 8.0, "LOT-S"),
                                                      "tracking": "lot"})
        self.env["stock.quant"].sudo()._update_available_quantity(product, self.shelf_1, -3)
        plan = self._start(location_ids=[(6, 0, self.shelf_1.ids)], product_ids=[(6, 0, product.ids)])
        with freeze_time(DAY + "10:00:00"):
            with self.assertRaisesRegex(UserError, "write the lot/serial number"):
                self._sheet(plan, {product: (2, None)}).action_import()
            self._sheet(plan, {product: (0, None)}).action_import()
        line = self._line(plan, product)
        self.assertEqual((line.is_counted, line.counted_qty, line.difference_qty), (True, 0.0, 3.0))

    def test_reset_plan_forgets_its_declared_count_time(self):
        """A count time declared for a counting that was cancelled: reset and started again the
        next day, the plan starts (the old time would come before its new snapshot)."""
        plan = self._start(location_ids=[(6, 0, self.shelf_1.ids)])
        plan.declared_count_time = DAY + "08:30:00"
        plan.action_cancel()
        plan.action_draft()
        self.assertFalse(plan.declared_count_time)
        with freeze_time("2025-07-02 08:00:00"):
            plan.action_start()
        self.assertEqual((plan.state, str(plan.snapshot_date)), ("in_progress", "2025-07-02 08:00:00"))

    def test_bad_count_times(self):
        self.env.user.tz = "UTC"
        plan = self._start(location_ids=[(6, 0, self.shelf_1.ids)])
        with freeze_time(DAY + "12:00:00"):
            wizard = self._sheet(plan, {self.product_1: (99, "2025-07-01 07:00"), self.product_2: (50, "noon")})
            with self.assertRaises(UserError) as caught:
                wizard.action_import()
            message = str(caught.exception)
            self.assertIn("Row 5: count time 2025-07-01 07:00:00 is before the count started (2025-07-01 08:00:00)", message)
            self.assertIn("Row 6: count time 'noon' is not a date and time", message)
            # a time alone (an Excel cell formatted as a time): the cell as written, not Python's value
            with self.assertRaisesRegex(UserError, "Row 5: count time '10:30:00' is not a date and time"):
                self._sheet(plan, {self.product_1: (99, time(10, 30))}).action_import()
            with self.assertRaisesRegex(UserError, "Row 5: count time 2025-07-01 13:00:00 is in the future"):
                self._sheet(plan, {self.product_1: (99, "2025-07-01 13:00")}).action_import()
            self.assertFalse(plan.line_ids.filtered("is_counted"))
            with self.assertRaisesRegex(UserError, "before the count started"):
                plan.declared_count_time = DAY + "07:00:00"
                plan.flush_recordset()
        # The count time is the system's: neither a counter nor a manager writes it directly.
        manager = new_test_user(self.env, login="jxc_live_manager", groups="jxc_addon.group_jxc_manager")
        for user in (self.counter, manager):
            with self.assertRaisesRegex(UserError, "set by the system"):
                self._line(plan, self.product_1).with_user(user).write({"counted_qty": 1, "counted_at": DAY + "09:00:00"})

    # --- packages and owners -------------------------------------------------------
    def test_packages_and_consigned_stock(self):
        """Losses are taken from the package and the consignor's stock they were counted in."""
        consignor = self.env["res.partner"].create({"name": "JXC Consignor"})
        package = self.env["stock.package"].create({"name": "JXC-PACK-1"})
        Quant = self.env["stock.quant"].with_context(inventory_mode=True)
        with freeze_time(DAY + "07:00:00"):  # the opening stock, before the count
            Quant.create({"product_id": self.product_3.id, "location_id": self.shelf_2.id, "package_id": package.id,
                          "inventory_quantity": 10}).action_apply_inventory()
            Quant.create({"product_id": self.product_1.id, "location_id": self.shelf_1.id, "owner_id": consignor.id,
                          "inventory_quantity": 20}).action_apply_inventory()
        plan = self._start()
        self.assertEqual(len(plan.line_ids), 5)
        consigned = plan.line_ids.filtered("owner_id")
        packed = plan.line_ids.filtered("package_id")
        self.assertEqual((consigned.book_qty, consigned.is_consigned, consigned.unit_cost), (20, True, 0.0))
        self.assertEqual((packed.product_id, packed.book_qty), (self.product_3, 10))
        with freeze_time(DAY + "09:00:00"):
            for line in plan.line_ids:
                line.counted_qty = {consigned: 18, packed: 7}.get(line, line.book_qty)
        self.assertEqual((consigned.difference_qty, consigned.difference_value, consigned.loss_value), (-2, 0.0, 0.0))
        self.assertEqual(packed.loss_value, 150.0)
        self._post(plan)
        self.assertEqual((plan.loss_value, plan.gain_value), (150.0, 0.0))
        Available = self.env["stock.quant"]._get_available_quantity
        self.assertEqual(Available(self.product_3, self.shelf_2, package_id=package, strict=True), 7)
        self.assertEqual(Available(self.product_3, self.shelf_2, strict=True), 10)
        self.assertEqual(Available(self.product_1, self.shelf_1, owner_id=consignor, strict=True), 18)
        self.assertEqual(Available(self.product_1, self.shelf_1, strict=True), 100)
        self.assertFalse(self.env["stock.quant"].search([("location_id", "in", (self.shelf_1 | self.shelf_2).ids),
                                                         ("quantity", "<", 0)]))
        consigned_move = plan.move_ids.filtered(lambda move: move.jxc_count_line_id == consigned)
        self.assertEqual(consigned_move.move_line_ids.owner_id, consignor)
        self.assertEqual(consigned_move.value, 0.0)
        self.assertEqual(plan.move_ids.filtered(lambda move: move.jxc_count_line_id == packed).move_line_ids.package_id,
                         package)

    def test_package_moved_after_its_count(self):
        """Package P (10 on Shelf 2) counted 7 at 09:00, then moved whole to Shelf 1 at 10:00:
        the -3 is not booked on Shelf 2, where P no longer is (a package of -3 there): the line
        goes back to the counters, nothing is approved."""
        package = self.env["stock.package"].create({"name": "JXC-PACK-3"})
        with freeze_time(DAY + "07:00:00"):
            self.env["stock.quant"].with_context(inventory_mode=True).create({
                "product_id": self.product_3.id, "location_id": self.shelf_2.id, "package_id": package.id,
                "inventory_quantity": 10}).action_apply_inventory()
        plan = self._start(product_ids=[(6, 0, self.product_3.ids)])
        packed = plan.line_ids.filtered("package_id")
        with freeze_time(DAY + "09:00:00"):
            for line in plan.line_ids:
                line.counted_qty = 7 if line == packed else line.book_qty
            plan.action_submit()
            packed.reason_id = self.reason_loss
        with freeze_time(DAY + "10:00:00"):  # an internal transfer of the whole package
            picking = self.env["stock.picking"].create({
                "picking_type_id": self.warehouse.int_type_id.id,
                "location_id": self.shelf_2.id, "location_dest_id": self.shelf_1.id,
                "move_ids": [Command.create({
                    "product_id": self.product_3.id, "product_uom_qty": 10,
                    "location_id": self.shelf_2.id, "location_dest_id": self.shelf_1.id,
                })],
            })
            picking.action_confirm()
            picking.action_assign()
            picking.move_line_ids.write({"package_id": package.id, "result_package_id": package.id, "quantity": 10})
            picking.move_ids.picked = True
            picking.button_validate()
        self.assertEqual((picking.state, package.location_id), ("done", self.shelf_1))
        with freeze_time(DAY + "11:00:00"):
            action = plan.action_approve()
        self.assertIn("their package moved elsewhere", action["params"]["message"])
        self.assertEqual((plan.state, packed.review_state), ("in_progress", "recount"))
        self.assertFalse(self.env["stock.quant"].search([("package_id", "=", package.id), ("location_id", "=", self.shelf_2.id),
                                                         ("quantity", "!=", 0)]))
        # recounted: nothing of P left on Shelf 2, nothing to post there; the plan goes through
        with freeze_time(DAY + "12:00:00"):
            packed.counted_qty = 0
            plan.action_submit()
            self.assertEqual((packed.expected_qty, packed.difference_qty), (0.0, 0.0))
            plan.action_approve()
            plan.action_post()
        self.assertEqual(plan.state, "done")
        self.assertFalse(plan.move_ids.filtered(lambda move: move.product_id == self.product_3 and move.location_id == self.shelf_2))
        self.assertEqual(package.location_id, self.shelf_1)

    def test_found_goods_in_a_package_of_the_sheet(self):
        """Found rows name a package: one kept on Shelf 2 is refused on Shelf 1 (the goods would be
        posted where the package is not, and the line sent back to recount at every approval); an
        empty package takes the 4 Widgets found, which are posted in it on Shelf 1."""
        Quant = self.env["stock.quant"].with_context(inventory_mode=True)
        packed, elsewhere, empty = self.env["stock.package"].create([{"name": name} for name in ("JXC-P1", "JXC-P2", "JXC-P3")])
        with freeze_time(DAY + "07:00:00"):
            for package, location in ((packed, self.shelf_1), (elsewhere, self.shelf_2)):
                Quant.create({"product_id": self.product_2.id, "location_id": location.id, "package_id": package.id,
                              "inventory_quantity": 2}).action_apply_inventory()
        plan = self._start(location_ids=[(6, 0, self.shelf_1.ids)])

        def import_found(package):
            book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(xlsx_file(plan.action_export_xlsx()).datas)))
            ws = book.active
            header = [cell.value for cell in ws[4]]
            row = ws.max_row + 1
            for title, value in (("Location", self.shelf_1.complete_name), ("Product Code", "JXC-001"),
                                 ("Package", package.name), ("Counted Quantity", 4)):
                ws.cell(row, header.index(title) + 1).value = value
            output = io.BytesIO()
            book.save(output)
            self.env["jxc.count.import.wizard"].create({
                "plan_id": plan.id, "file": base64.b64encode(output.getvalue())}).action_import()

        with freeze_time(DAY + "09:00:00"):
            with self.assertRaisesRegex(UserError, "package 'JXC-P2' is at WH/Stock/Shelf 2, not at WH/Stock/Shelf 1"):
                import_found(elsewhere)
            import_found(empty)
            for line in plan.line_ids.filtered(lambda line: not line.is_counted):
                line.counted_qty = line.book_qty
        found = plan.line_ids.filtered(lambda line: line.package_id == empty)
        self.assertEqual((found.is_found, found.counted_qty, found.difference_qty), (True, 4, 4))
        self._post(plan)
        self.assertEqual(plan.state, "done")
        self.assertEqual(self.env["stock.quant"].search([("package_id", "=", empty.id)]).mapped(
            lambda quant: (quant.location_id, quant.product_id, quant.quantity)), [(self.shelf_1, self.product_1, 4.0)])

    def test_sheet_with_packages_and_owners(self):
        """The sheet gets Package and Owner columns when the plan has such stock; rows match by them."""
        consignor = self.env["res.partner"].create({"name": "JXC Sheet Consignor"})
        package = self.env["stock.package"].create({"name": "JXC-PACK-2"})
        Quant = self.env["stock.quant"].with_context(inventory_mode=True)
        Quant.create({"product_id": self.product_2.id, "location_id": self.shelf_1.id, "package_id": package.id,
                      "owner_id": consignor.id, "inventory_quantity": 6}).action_apply_inventory()
        plan = self._start(location_ids=[(6, 0, self.shelf_1.ids)])
        attachment = xlsx_file(plan.action_export_xlsx())
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(attachment.datas)))
        ws = book.active
        header = [cell.value for cell in ws[4]]
        self.assertEqual(header[3:6], ["Lot/Serial", "Package", "Owner"])
        counted_col = header.index("Counted Quantity") + 1
        rows = {(ws.cell(row, 2).value, ws.cell(row, 5).value, ws.cell(row, 6).value): row for row in range(5, ws.max_row + 1)}
        self.assertEqual(set(rows), {("JXC-001", None, None), ("JXC-002", None, None),
                                     ("JXC-002", "JXC-PACK-2", "JXC Sheet Consignor")})
        ws.cell(rows["JXC-002", "JXC-PACK-2", "JXC Sheet Consignor"], counted_col).value = 5
        ws.cell(rows["JXC-002", None, None], counted_col).value = 50
        output = io.BytesIO()
        book.save(output)
        with freeze_time(DAY + "09:00:00"):
            self.env["jxc.count.import.wizard"].with_user(self.counter).create({
                "plan_id": plan.id, "file": base64.b64encode(output.getvalue()),
            }).action_import()
        packed = plan.line_ids.filtered("package_id")
        self.assertEqual((packed.owner_id, packed.counted_qty, packed.difference_qty), (consignor, 5, -1))
        loose = plan.line_ids.filtered(lambda line: line.product_id == self.product_2 and not line.package_id)
        self.assertEqual((loose.counted_qty, loose.difference_qty), (50, 0))
