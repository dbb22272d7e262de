import base64
import io
from datetime import date

import openpyxl
from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import api
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import xlsx_file
from .count_common import JxcCountCommon


@tagged("post_install", "-at_install")
class TestCountPosting(JxcCountCommon):
    """Tolerances, recounts, approval and the posting of the adjustments."""

    def _approved_plan(self, quantities, **vals):
        plan = self._create_plan(**vals)
        plan.action_start()
        self._count(plan, quantities)
        plan.action_submit()
        for line in plan.line_ids.filtered("is_discrepancy"):
            line.reason_id = self.reason_loss if line.difference_qty < 0 else self.reason_surplus
        plan.action_approve()
        return plan

    # --- tolerances ----------------------------------------------------------------
    def _discrepancy(self, product, counted):
        plan = self._create_plan(product_ids=[(6, 0, product.ids)])
        plan.action_start()
        line = plan.line_ids
        line.counted_qty = counted
        result = line.is_discrepancy
        plan.action_cancel()
        return result

    def _assert_tolerance(self, product, within=(), beyond=()):
        """Counted at each quantity ``within``, ``product`` is accepted; at each ``beyond``, it
        is a discrepancy."""
        for counted in within:
            self.assertFalse(self._discrepancy(product, counted), counted)
        for counted in beyond:
            self.assertTrue(self._discrepancy(product, counted), counted)

    def test_tolerance_changed_while_counting(self):
        """98 Widgets counted of 100: within 5 %. The tolerance tightened to 1 % before the plan is
        submitted: the line is a discrepancy, and so say the plan's figures."""
        plan = self._create_plan(product_ids=[(6, 0, self.product_1.ids)])
        plan.action_start()
        plan.line_ids.counted_qty = 98
        self.assertEqual((plan.discrepancy_count, plan.accuracy), (0, 1.0))
        self.tolerance.qty_percent = 1.0
        self.assertTrue(plan.line_ids.is_discrepancy)
        self.assertEqual((plan.discrepancy_count, plan.accuracy), (1, 0.0))
        plan.invalidate_recordset()
        self.assertEqual(plan.read(["discrepancy_count"])[0]["discrepancy_count"], 1)

    def test_tolerance_quantity_percent(self):
        # 5 % of a book of 100: a difference of 5 is accepted, 6 is not.
        self._assert_tolerance(self.product_1, within=(95, 105, 100), beyond=(94, 106))

    def test_tolerance_absolute_quantity(self):
        self.tolerance.write({"qty_percent": 0.0, "qty_abs": 3.0})
        self._assert_tolerance(self.product_2, within=(47,), beyond=(46,))

    def test_tolerance_value(self):
        # product_1 costs 10: a value tolerance of 30 accepts 3 units, not 4.
        self.tolerance.write({"qty_percent": 0.0, "value_abs": 30.0})
        self._assert_tolerance(self.product_1, within=(97,), beyond=(96,))

    def test_value_tolerance_of_goods_without_cost(self):
        """A value tolerance judges what a difference costs; a difference that costs nothing
        (a product at cost 0, consigned stock) is judged by the quantity limits, and without
        any it is a discrepancy: 50 units missing are no 0.00 within 30.00."""
        self.tolerance.write({"qty_percent": 0.0, "value_abs": 30.0})
        self.product_1.standard_price = 0.0
        self._assert_tolerance(self.product_1, within=(100,), beyond=(99, 50))
        self.tolerance.qty_percent = 5.0
        self._assert_tolerance(self.product_1, within=(96,), beyond=(94,))

    def test_tolerance_all_limits_must_hold(self):
        # 10 % and 3 units: product_3 (book 10) off by 1 is within both; product_1 off by 4 breaks the absolute limit.
        self.tolerance.write({"qty_percent": 10.0, "qty_abs": 3.0})
        self._assert_tolerance(self.product_3, within=(9,))
        self._assert_tolerance(self.product_1, beyond=(96,))

    def test_no_tolerance_and_warehouse_tolerance(self):
        self.tolerance.unlink()
        self._assert_tolerance(self.product_1, within=(100,), beyond=(99,))
        self.env["jxc.count.tolerance"].create({"company_id": self.company.id, "qty_percent": 1.0})
        self._assert_tolerance(self.product_1, within=(99,))
        # The warehouse's own tolerance takes precedence over the company's.
        self.env["jxc.count.tolerance"].create({"company_id": self.company.id, "warehouse_id": self.warehouse.id, "qty_abs": 0.5})
        self._assert_tolerance(self.product_1, beyond=(99,))

    def test_zero_book_is_always_a_discrepancy(self):
        self.tolerance.write({"qty_percent": 100.0, "qty_abs": 1000.0, "value_abs": 100000.0})
        plan = self._create_plan(product_ids=[(6, 0, self.product_3.ids)], location_ids=[(6, 0, self.shelf_1.ids)],
                                 include_children=False)
        plan.action_start()
        line = plan.line_ids
        self.assertEqual(line.book_qty, 0)
        line.counted_qty = 1
        self.assertTrue(line.is_discrepancy)
        line.counted_qty = 0
        self.assertFalse(line.is_discrepancy)

    # --- recount and approval ------------------------------------------------------
    def test_recount_keeps_first_count(self):
        plan = self._create_plan()
        plan.action_start()
        self._count(plan, {self.product_1: 90, self.product_2: 50, self.product_3: 10})
        plan.action_submit()
        line = self._line(plan, self.product_1)
        self.assertEqual(line.review_state, "to_review")
        plan.action_recount()
        self.assertEqual(plan.state, "in_progress")
        self.assertEqual(line.first_counted_qty, 90)
        self.assertEqual(line.recount_round, 1)
        self.assertFalse(line.is_counted)
        self.assertEqual(line.review_state, "recount")
        self.assertTrue(self._line(plan, self.product_2).is_counted)  # within tolerance: not recounted
        with self.assertRaisesRegex(UserError, "1 line\\(s\\)"):
            plan.action_submit()
        line.counted_qty = 99
        plan.action_submit()
        self.assertEqual(line.review_state, "ok")
        self.assertEqual(line.first_counted_qty, 90)
        self.assertEqual(plan.to_review_count, 0)
        with self.assertRaisesRegex(UserError, "no discrepancy to recount"):
            plan.action_recount()
        plan.action_approve()
        plan.action_post()
        self.assertEqual(self._on_hand(self.product_1), 99)

    def test_line_level_review(self):
        plan = self._create_plan()
        plan.action_start()
        self._count(plan, {self.product_1: 90, self.product_2: 40, self.product_3: 10})
        plan.action_submit()
        line_1, line_2 = self._line(plan, self.product_1), self._line(plan, self.product_2)
        line_1.reason_id = self.reason_damage
        line_1.action_approve_difference()
        self.assertEqual(line_1.review_state, "approved")
        line_2.action_request_recount()
        self.assertEqual(plan.state, "in_progress")
        line_2.counted_qty = 41
        plan.action_submit()
        self.assertEqual(line_1.review_state, "approved")  # approved differences stay approved
        self.assertEqual(line_2.review_state, "to_review")
        self.assertEqual(line_2.first_counted_qty, 40)
        line_2.reason_id = self.reason_loss
        plan.action_approve()
        plan.action_post()
        self.assertEqual(self._on_hand(self.product_1), 90)
        self.assertEqual(self._on_hand(self.product_2), 41)

    # --- posting -------------------------------------------------------------------
    def test_moves_carry_plan_reason_and_accounting_date(self):
        plan = self._approved_plan({self.product_1: 98, self.product_2: 53, self.product_3: 10}, accounting_date="2025-06-30")
        plan.action_post()
        moves = plan.move_ids
        self.assertEqual(len(moves), 2)  # product_3 has no difference: no move
        loss = moves.filtered(lambda m: m.product_id == self.product_1)
        gain = moves.filtered(lambda m: m.product_id == self.product_2)
        inventory_loss = self.product_1.property_stock_inventory
        self.assertEqual((loss.location_id, loss.location_dest_id), (self.shelf_1, inventory_loss))
        self.assertEqual((gain.location_id, gain.location_dest_id), (inventory_loss, self.shelf_1))
        self.assertEqual(loss.product_uom_qty, 2)
        self.assertEqual(gain.product_uom_qty, 3)
        self.assertTrue(all(moves.mapped("is_inventory")))
        self.assertEqual(set(moves.mapped("state")), {"done"})
        self.assertEqual(loss.jxc_count_reason_id, self.reason_loss)
        self.assertEqual(gain.jxc_count_reason_id, self.reason_surplus)
        self.assertEqual(loss.reference, "%s - Loss" % plan.name)
        self.assertEqual(gain.reference, "%s - Surplus" % plan.name)
        self.assertEqual(str(loss.jxc_accounting_date), "2025-06-30")
        self.assertEqual(loss.jxc_count_line_id, self._line(plan, self.product_1))
        self.assertEqual(self.shelf_1.last_inventory_date, plan.date_done.date())
        # posted: the plan keeps the date its adjustments were booked with
        with self.assertRaisesRegex(UserError, "stays what its adjustments were booked with"):
            plan.with_user(self.jxc_manager).write({"accounting_date": "2025-07-31"})
        self.assertEqual(str(plan.accounting_date), "2025-06-30")

    def test_posted_adjustment_is_not_reverted_from_the_moves_history(self):
        """Moves History's Revert Inventory Adjustment refuses the stocktake's loss (its loss
        and accuracy keep it; counting again corrects it), and the stock stays as posted; an
        adjustment of Odoo's Physical Inventory is still reverted."""
        plan = self._approved_plan({self.product_1: 98, self.product_2: 50, self.product_3: 10})
        plan.action_post()
        move_line = plan.move_ids.move_line_ids
        with self.assertRaisesRegex(UserError, "^The adjustment of \\[JXC-001\\] JXC Widget was posted by stocktake %s, "
                                    "whose losses, gains and accuracy keep it: it cannot be reverted here. Count the "
                                    "product again \\(a new stocktake\\) to correct it.$" % plan.name):
            move_line.with_user(self.jxc_manager).action_revert_inventory()
        self.assertEqual((self.product_1.qty_available, plan.loss_value), (98.0, 20.0))
        quant = self.env["stock.quant"].with_context(inventory_mode=True).create({
            "product_id": self.product_3.id, "location_id": self.shelf_1.id, "inventory_quantity": 12.0})
        quant.action_apply_inventory()
        odoo_line = self.env["stock.move.line"].search([("product_id", "=", self.product_3.id), ("is_inventory", "=", True)],
                                                       order="id desc", limit=1)
        self.assertEqual((odoo_line.quantity, self.product_3.qty_available), (12.0, 22.0))
        odoo_line.with_user(self.jxc_manager).action_revert_inventory()
        self.assertEqual(self.product_3.qty_available, 10.0)

    def test_moves_after_snapshot_are_kept(self):
        """on hand after posting = counted + net moves since the count."""
        plan = self._create_plan(location_ids=[(6, 0, self.shelf_1.ids)])
        with freeze_time("2025-07-01 08:00:00"):
            plan.action_start()
        with freeze_time("2025-07-01 09:00:00"):
            # The counters count before the moves: 97 and 50.
            self._count(plan, {self.product_1: 97, self.product_2: 50})
        with freeze_time("2025-07-01 10:00:00"):
            # After the count: 30 of product_1 are delivered, 20 of product_2 received on Shelf 1.
            sale = self._create_sale(self.customer_a, [(self.product_1, 30, 25.0)])
            self._deliver(sale)
            purchase = self._create_purchase(self.vendor_a, [(self.product_2, 20, 4.0)])
            receipt = purchase.picking_ids
            receipt.move_ids.location_dest_id = self.shelf_1
            self._receive(purchase)
        self.assertEqual(self._on_hand(self.product_1, self.shelf_1), 70)
        self.assertEqual(self._on_hand(self.product_2, self.shelf_1), 70)
        with freeze_time("2025-07-01 11:00:00"):
            plan.action_submit()
            plan.action_approve()
            plan.action_post()
        self.assertEqual(self._on_hand(self.product_1, self.shelf_1), 97 - 30)
        self.assertEqual(self._on_hand(self.product_2, self.shelf_1), 50 + 20)
        self.assertEqual(plan.move_ids.product_id, self.product_1)
        self.assertEqual(plan.move_ids.product_uom_qty, 3)

    def _physical_inventory(self, product, location, counted, apply=True):
        """Odoo's Physical Inventory: a stock user counts the quant and applies the count."""
        quant = self.env["stock.quant"].search([
            ("product_id", "=", product.id), ("location_id", "=", location.id), ("lot_id", "=", False)])
        quant.with_context(inventory_mode=True).inventory_quantity = counted
        if apply:
            quant.action_apply_inventory()
        return quant

    def _counted_97_at_nine(self):
        """A plan of product_1 on Shelf 1 (100), started at 08:00, counted 97 and submitted at 09:00."""
        plan = self._create_plan(location_ids=[(6, 0, self.shelf_1.ids)], product_ids=[(6, 0, self.product_1.ids)])
        with freeze_time("2025-07-01 08:00:00"):
            plan.action_start()
        with freeze_time("2025-07-01 09:00:00"):
            self._count(plan, {self.product_1: 97})
            plan.action_submit()
        self._line(plan, self.product_1).reason_id = self.reason_loss
        return plan

    def test_counted_again_in_physical_inventory(self):
        """Shelf 1 holds 100 of product_1; the plan counts 97 at 09:00. At 10:00 a stock user counts
        the same quant in Odoo's Physical Inventory and applies 97 too: the loss of 3 is booked.
        Posting the plan's -3 on top would leave 94: the line goes back to the counters instead,
        nothing is approved, and its recount against the quant as it is now posts nothing more."""
        plan = self._counted_97_at_nine()
        with freeze_time("2025-07-01 10:00:00"):
            self._physical_inventory(self.product_1, self.shelf_1, 97)
        self.assertEqual(self._on_hand(self.product_1, self.shelf_1), 97)
        line = self._line(plan, self.product_1)
        with freeze_time("2025-07-01 11:00:00"):
            action = plan.action_approve()
        self.assertEqual((action["tag"], action["params"]["sticky"]), ("display_notification", True))
        self.assertIn("1 line(s) were adjusted in Physical Inventory, or their package moved elsewhere, after they "
                      "were counted", action["params"]["message"])
        self.assertEqual((plan.state, line.review_state, line.is_counted), ("in_progress", "recount", False))
        with freeze_time("2025-07-01 12:00:00"):
            self._count(plan, {self.product_1: 97})
            plan.action_submit()
            self.assertEqual(line.difference_qty, 0.0)
            plan.action_approve()
            plan.action_post()
        self.assertEqual(self._on_hand(self.product_1, self.shelf_1), 97)
        self.assertFalse(plan.move_ids)

    def test_lot_valued_product_counted_at_the_lots_cost(self):
        """A lot-valued product costs 55 on average; its lot L-100 costs 100. One of the lot's 2
        units is missing: the line values the loss at 100, as Odoo then books it (a value
        tolerance judged at 55 would let it pass unreviewed)."""
        product = self.env["product.product"].create({
            **self._prepare_product_vals("JXC Lot Valued Count", 55.0, 120.0, "JXC-LVC"),
            "tracking": "lot", "lot_valuated": True,
        })
        lot = self.env["stock.lot"].create({"name": "L-100", "product_id": product.id, "company_id": self.company.id})
        lot.standard_price = 100.0
        with freeze_time("2024-01-01 02:00:00"):
            self.env["stock.quant"].with_context(inventory_mode=True).create({
                "product_id": product.id, "location_id": self.shelf_1.id, "lot_id": lot.id, "inventory_quantity": 2,
            }).action_apply_inventory()
        plan = self._create_plan(product_ids=[(6, 0, product.ids)])
        plan.action_start()
        line = self._line(plan, product)
        self.assertEqual((line.lot_id, line.unit_cost), (lot, 100.0))
        line.counted_qty = 1
        plan.action_submit()
        line.reason_id = self.reason_loss
        plan.action_approve()
        self.assertEqual(plan.loss_value, 100.0)
        plan.action_post()
        self.assertEqual(abs(plan.move_ids.value), 100.0)

    def test_confirmed_in_physical_inventory_after_the_count_is_not_counted_again(self):
        """Counted 97 at 09:00; at 10:00 a stock user confirms the book's 100 in Physical
        Inventory: Odoo's move of 0 books nothing, so the plan's -3 is no second booking. The
        line is not sent back to the counters, and the loss posts."""
        plan = self._counted_97_at_nine()
        with freeze_time("2025-07-01 10:00:00"):
            self._physical_inventory(self.product_1, self.shelf_1, 100)
        self.assertTrue(self.env["stock.move"].search([
            ("product_id", "=", self.product_1.id), ("is_inventory", "=", True), ("quantity", "=", 0)]))
        with freeze_time("2025-07-01 11:00:00"):
            self.assertIs(plan.action_approve(), True)
            plan.action_post()
        self.assertEqual((plan.state, self._on_hand(self.product_1, self.shelf_1)), ("done", 97))

    def test_relocated_after_the_count_is_not_counted_again(self):
        """Counted 97 at 09:00; at 10:00 the quant is relocated to Shelf 2 with Odoo's Relocate,
        which Odoo 19 makes an inventory move too: a transfer, not a count, so the line is not
        sent back to the counters."""
        plan = self._counted_97_at_nine()
        with freeze_time("2025-07-01 10:00:00"):
            quant = self.env["stock.quant"].search([
                ("product_id", "=", self.product_1.id), ("location_id", "=", self.shelf_1.id)])
            quant.move_quants(location_dest_id=self.shelf_2)
        self.assertEqual(self._on_hand(self.product_1, self.shelf_2), 100)
        self.assertFalse(self._line(plan, self.product_1)._get_counted_again())

    def test_counted_again_at_an_earlier_counting_date(self):
        """The same adjustment applied at 10:00 with a counting date of 08:30, before the
        plan's count (Odoo's Apply asks for one): it is still after the count, the line goes
        back to the counters, and the loss of 3 is booked once (97 remain, not 94)."""
        plan = self._counted_97_at_nine()
        with freeze_time("2025-07-01 10:00:00"):
            quant = self._physical_inventory(self.product_1, self.shelf_1, 97, apply=False)
            self.env["stock.inventory.adjustment.name"].create({
                "quant_ids": [Command.set(quant.ids)], "counting_date": "2025-07-01 08:30:00",
            }).action_apply()
        self.assertEqual(str(self.env["stock.move"].search([("is_inventory", "=", True), ("product_id", "=", self.product_1.id)],
                                                           order="id desc", limit=1).date), "2025-07-01 08:30:00")
        with freeze_time("2025-07-01 11:00:00"):
            plan.action_approve()
        self.assertEqual((plan.state, self._line(plan, self.product_1).review_state), ("in_progress", "recount"))
        self.assertEqual(self._on_hand(self.product_1, self.shelf_1), 97)

    def test_counted_again_after_the_approval(self):
        """The same adjustment in Physical Inventory after the approval: Post sends the line back."""
        plan = self._counted_97_at_nine()
        with freeze_time("2025-07-01 09:00:00"):
            plan.action_approve()
        with freeze_time("2025-07-01 10:00:00"):
            self._physical_inventory(self.product_1, self.shelf_1, 97)
        with freeze_time("2025-07-01 11:00:00"):
            action = plan.action_post()
        self.assertEqual((action["params"]["type"], plan.state), ("warning", "in_progress"))
        # counted again, no longer approved: cancelled now, a blind plan would stay blind
        self.assertFalse(plan.approved_by_id)
        self.assertFalse(plan.move_ids)
        self.assertEqual(self._on_hand(self.product_1, self.shelf_1), 97)

    def _assert_pending_count_kept(self, product, typed):
        """A count of ``typed`` typed in Physical Inventory on ``product``'s quant on Shelf 1 and
        not applied yet: posting refuses, the typed count stays and nothing is posted."""
        plan = self._approved_plan({self.product_1: 98, self.product_2: 50, self.product_3: 12})
        quant = self._physical_inventory(product, self.shelf_1, typed, apply=False)
        with self.assertRaisesRegex(UserError, "Physical Inventory has a count not applied yet of"):
            plan.action_post()
        self.assertEqual((plan.state, quant.inventory_quantity, quant.inventory_quantity_set), ("approved", typed, True))
        self.assertFalse(plan.move_ids)

    def test_pending_physical_inventory_count_is_not_overwritten(self):
        """On the Widgets, whose difference the plan posts: refused, rather than apply and clear
        the typed count with the plan's quantity."""
        self._assert_pending_count_kept(self.product_1, 99.0)

    def test_confirmed_count_applied_as_odoo_confirms(self):
        """The Gadgets counted as the book said (50): no adjustment, but Odoo's Apply of a
        confirmed quantity: a done move of 0 ("Quantity Confirmed"), the quant's last count
        date today and its next count date moved on, off Physical Inventory's To Count list;
        the Widgets' adjusted quant too. The plan's adjustments are the two differences."""
        quants = self.env["stock.quant"].search([("product_id", "in", (self.product_1 | self.product_2).ids),
                                                 ("location_id", "=", self.shelf_1.id)])
        gadgets = quants.filtered(lambda quant: quant.product_id == self.product_2)
        quants.inventory_date = "2025-01-01"
        self.assertEqual(gadgets.last_count_date, date(2024, 1, 1))  # the stock was set then
        Move = self.env["stock.move"]
        before = Move.search([("product_id", "=", self.product_2.id)])
        plan = self._approved_plan({self.product_1: 98, self.product_2: 50, self.product_3: 12})
        plan.action_post()
        next_date = self.shelf_1._get_next_inventory_date()
        self.assertTrue(next_date > date(2025, 1, 1))
        self.assertEqual(set(quants.mapped("inventory_date")), {next_date})
        self.assertFalse(self.env["stock.quant"].search([("id", "in", quants.ids), ("inventory_date", "<=", "2025-07-01")]))
        confirmation = Move.search([("product_id", "=", self.product_2.id), ("id", "not in", before.ids)])
        self.assertEqual(
            (confirmation.state, confirmation.quantity, confirmation.reference, confirmation.jxc_count_plan_id),
            ("done", 0.0, "%s - Quantity Confirmed" % plan.name, self.env["jxc.count.plan"]),
        )
        gadgets.invalidate_recordset(["last_count_date"])
        self.assertEqual(gadgets.last_count_date, confirmation.date.date())
        self.assertEqual((gadgets.quantity, gadgets.inventory_quantity_set), (50.0, False))
        self.assertEqual(plan.move_ids.product_id, self.product_1 | self.product_3)
        self.assertIn("2 adjustment(s) posted, 1 quantity(ies) confirmed.", plan.message_ids[0].body)

    def test_confirmed_count_refuses_pending_physical_inventory_count(self):
        """A count typed in Physical Inventory and not applied yet on the Gadgets' quant, which
        the plan confirmed: posting refuses as for a difference, rather than apply and clear the
        typed count."""
        self._assert_pending_count_kept(self.product_2, 47.0)

    def test_post_ignores_the_contexts_defaults(self):
        """Posted with default_ keys in the client's context (an origin, a vendor's order line):
        the adjustments and confirmations Odoo creates as superuser take none of them."""
        order = self._create_purchase(self.vendor_a, [(self.product_1, 1.0, 10.0)])
        plan = self._approved_plan({self.product_1: 98, self.product_2: 50, self.product_3: 12})
        before = self.env["stock.move"].search([])
        plan.with_context(default_origin="INJECTED", default_purchase_line_id=order.order_line.id).action_post()
        moves = self.env["stock.move"].search([("id", "not in", before.ids)])
        self.assertEqual(len(moves), 3)  # two adjustments, one confirmation
        self.assertFalse(moves.filtered(lambda move: move.origin == "INJECTED" or move.purchase_line_id))
        self.assertEqual(order.order_line.qty_received, 0.0)

    def test_shared_reason_codes_are_unique(self):
        """Two reasons shared by all companies may not have one code (PostgreSQL's UNIQUE treats
        the empty companies as different); a company's own reason may reuse a shared code."""
        Reason = self.env["jxc.count.reason"]
        self.assertFalse(self.reason_loss.company_id)
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            Reason.create({"name": "Loss again", "code": self.reason_loss.code, "direction": "loss"})
        own = Reason.create({"name": "Our loss", "code": self.reason_loss.code, "direction": "loss",
                             "company_id": self.company.id})
        self.assertEqual(own.code, self.reason_loss.code)

    def test_default_reasons_explain_their_direction(self):
        """A reason for losses only cannot be the default for gains (a gain within tolerance would
        be posted as shrinkage, 报溢 under a 盘亏 reason), nor one for gains the default for losses."""
        Reason = self.env["jxc.count.reason"]
        with self.assertRaisesRegex(ValidationError, "Shrinkage explains losses only"):
            Reason.create({"name": "Shrinkage", "code": "SHR", "direction": "loss", "is_default_gain": True})
        with self.assertRaisesRegex(ValidationError, "explains gains only"):
            self.reason_surplus.is_default_loss = True
        with self.assertRaisesRegex(ValidationError, "explains losses only"):
            self.reason_loss.write({"is_default_gain": True})
        either = Reason.create({"name": "Miscount", "code": "MIS", "direction": "both",
                                "is_default_gain": True, "is_default_loss": True})
        self.assertTrue(either.is_default_gain and either.is_default_loss)

    def test_reason_of_posted_differences_stays(self):
        """The shared loss reason explained the Widgets' posted loss: it cannot be deleted (the
        line and the adjustment would lose why), nor moved to another company, whose stocktakes
        alone could then read it; made this company's own, or archived, it may."""
        plan = self._approved_plan({self.product_1: 98, self.product_2: 50, self.product_3: 12})
        plan.action_post()
        self.assertFalse(self.reason_loss.company_id)
        self.assertEqual(self._line(plan, self.product_1).move_ids.jxc_count_reason_id, self.reason_loss)
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self.reason_loss.unlink()
        other = self.env["res.company"].create({"name": "JXC Reason Other Co"})
        with self.assertRaisesRegex(UserError, "explains differences of stocktakes of other companies"):
            self.reason_loss.company_id = other
        self.assertFalse(self.reason_loss.company_id)
        self.reason_loss.company_id = self.company
        self.reason_loss.company_id = False
        self.reason_loss.action_archive()
        self.assertEqual(self._line(plan, self.product_1).reason_id, self.reason_loss)

    def test_double_post_posts_once(self):
        plan = self._approved_plan({self.product_1: 98, self.product_2: 50, self.product_3: 12})
        self.assertTrue(plan.action_post())
        self.assertEqual(len(plan.move_ids), 2)
        self.assertFalse(plan.action_post())
        plan.invalidate_recordset()
        self.assertEqual(len(plan.move_ids), 2)
        self.assertEqual(self._on_hand(self.product_1), 98)
        self.assertEqual(self._on_hand(self.product_3), 12)

    def test_concurrent_post_from_second_cursor(self):
        """A second transaction that saw the plan approved posts nothing after the first posted."""
        plan = self._approved_plan({self.product_1: 98, self.product_2: 50, self.product_3: 12})
        with self.enter_registry_test_mode(), self.registry.cursor() as cr2:
            env2 = api.Environment(cr2, self.env.uid, {})
            plan2 = env2["jxc.count.plan"].browse(plan.id)
            self.assertEqual(plan2.state, "approved")  # the second user's screen
            with self.registry.cursor() as cr1:
                env1 = api.Environment(cr1, self.env.uid, {})
                self.assertTrue(env1["jxc.count.plan"].browse(plan.id).action_post())
            self.assertEqual(plan2.state, "approved")  # still cached as approved
            self.assertFalse(plan2.action_post())
            self.assertEqual(env2["stock.move"].search_count([("jxc_count_plan_id", "=", plan.id)]), 2)
        plan.invalidate_recordset()
        self.assertEqual(plan.state, "done")
        self.assertEqual(self._on_hand(self.product_1), 98)
        self.assertEqual(self._on_hand(self.product_3), 12)

    def test_post_without_default_reasons_refused_before_writing(self):
        """Without default reasons the lines within tolerance cannot be explained: refused
        before anything is posted (a failure in the middle of posting, which Odoo's
        adjustments roll back: ``test_post_names_the_line_odoo_did_not_adjust``)."""
        plan = self._approved_plan({self.product_1: 98, self.product_2: 50, self.product_3: 12})
        self.env["jxc.count.reason"].search([]).write({"is_default_loss": False, "is_default_gain": False})
        with self.assertRaisesRegex(UserError, "default reason"):
            plan.action_post()
        self.assertEqual(plan.state, "approved")
        self.assertFalse(plan.move_ids)
        self.assertEqual(self._on_hand(self.product_1), 100)

    def test_company_default_reason_before_the_shared_one(self):
        """The company's own default for losses explains its loss within tolerance (2 Widgets),
        not the shared Loss (first by sequence and id), which another company still gets."""
        Reason = self.env["jxc.count.reason"]
        own = Reason.create({"name": "盘亏", "code": "JXC-OWN-LOSS", "direction": "loss", "is_default_loss": True,
                             "company_id": self.company.id})
        plan = self._approved_plan({self.product_1: 98, self.product_2: 50, self.product_3: 10})
        self.assertFalse(self._line(plan, self.product_1).is_discrepancy)
        plan.action_post()
        self.assertEqual((plan.move_ids.product_id, plan.move_ids.jxc_count_reason_id), (self.product_1, own))
        other = self.env["res.company"].create({"name": "JXC Shared Reason Company"})
        self.assertEqual(Reason._get_defaults(other)[False], self.reason_loss)

    def test_post_names_the_line_odoo_did_not_adjust(self):
        """Odoo makes no adjustment for one line (here the Gizmo's quant is left out): nothing is
        posted, and the error names that line, not the first one."""
        from unittest.mock import patch  # noqa: PLC0415

        plan = self._approved_plan({self.product_1: 98, self.product_2: 50, self.product_3: 12})
        Quant = type(self.env["stock.quant"])
        original = Quant._apply_inventory

        def apply(quants, *args, **kwargs):
            return original(quants.filtered(lambda quant: quant.product_id != self.product_3), *args, **kwargs)

        with patch.object(Quant, "_apply_inventory", apply), \
                self.assertRaisesRegex(UserError, r"1 adjustment\(s\) of .* could not be posted \(first: .*JXC Gizmo"):
            plan.action_post()
        self.assertEqual((plan.state, self._on_hand(self.product_1)), ("approved", 100))

    def test_post_without_default_reasons_when_none_is_needed(self):
        """The company keeps no default reasons: a plan whose differences all have a reason, and
        one that confirms the book, post; only a difference without a reason needs them."""
        (self.reason_loss | self.reason_surplus).write({"is_default_loss": False, "is_default_gain": False})
        explained = self._approved_plan({self.product_1: 90}, product_ids=[(6, 0, self.product_1.ids)])
        explained.action_post()
        self.assertEqual((explained.state, self._on_hand(self.product_1)), ("done", 90.0))
        confirmed = self._approved_plan({self.product_2: 50}, product_ids=[(6, 0, self.product_2.ids)])
        confirmed.action_post()
        self.assertEqual(confirmed.state, "done")
        with self.assertRaisesRegex(UserError, "Set a default reason for gains and one for losses"):
            self._approved_plan({self.product_1: 89}, product_ids=[(6, 0, self.product_1.ids)])  # within tolerance

    def test_post_requires_approval(self):
        plan = self._create_plan()
        plan.action_start()
        with self.assertRaisesRegex(UserError, "must be Approved to post"):
            plan.action_post()

    def test_post_many_lines(self):
        """A plan of many lines posts in one batch and every quant ends at its count."""
        products = self.env["product.product"].create([
            self._prepare_product_vals("Bulk %03d" % i, 2.0, 3.0, "BULK-%03d" % i) for i in range(120)
        ])
        bulk = self.env["stock.location"].create({"name": "Bulk", "location_id": self.stock_location.id})
        Quant = self.env["stock.quant"].sudo()
        for product in products:
            Quant._update_available_quantity(product, bulk, 10)
        plan = self._create_plan(location_ids=[(6, 0, bulk.ids)])
        plan.action_start()
        self.assertEqual(plan.line_count, 120)
        for i, line in enumerate(plan.line_ids.sorted("id")):
            line.counted_qty = 10 + (i % 3) - 1  # 9, 10, 11, ...
        plan.action_submit()
        for line in plan.line_ids.filtered("is_discrepancy"):
            line.reason_id = self.reason_loss if line.difference_qty < 0 else self.reason_surplus
        plan.action_approve()
        with freeze_time("2025-07-01 10:00:00"):
            plan.action_post()
        self.assertEqual(len(plan.move_ids), 80)
        quants = self.env["stock.quant"].search([("location_id", "=", bulk.id)])
        self.assertEqual(sum(quants.mapped("quantity")), 1200)
        counted = {line.product_id: line.counted_qty for line in plan.line_ids}
        for quant in quants:
            self.assertEqual(quant.quantity, counted[quant.product_id])

    def test_posted_values_are_odoos(self):
        """Before posting, a difference is valued at the product's cost when the count started;
        once posted, at what Odoo booked: a FIFO loss takes the oldest layers."""
        category = self._create_category("JXC FIFO", "fifo")
        product = self.env["product.product"].create({
            **self._prepare_product_vals("JXC FIFO Lamp", 0.0, 20.0, "JXC-FIFO-1"), "categ_id": category.id,
        })
        for price, day in ((5.0, "2025-03-03"), (7.0, "2025-03-10")):
            self._buy(self.vendor_a, [(product, 10.0, price)], "%s 02:00:00" % day)
        self.assertEqual(product.standard_price, 6.0)  # (50 + 70) / 20 on hand
        plan = self._approved_plan({product: 15.0}, product_ids=[(6, 0, product.ids)])
        line = self._line(plan, product)
        self.assertEqual((line.difference_qty, line.unit_cost, line.loss_value), (-5.0, 6.0, 30.0))
        plan.action_post()
        self.assertEqual(line.move_ids.value, 25.0)  # 5 of the first layer, at 5.00
        self.assertEqual((line.difference_value, line.abs_difference_value, line.loss_value, line.gain_value),
                         (-25.0, 25.0, 25.0, 0.0))
        self.assertEqual(plan.loss_value, 25.0)


@tagged("post_install", "-at_install")
class TestCountScaling(JxcCountCommon):
    """The snapshot and the Excel import use set-based queries: their count does not grow with the lines."""

    def _bulk_plan(self, count, name):
        location = self.env["stock.location"].create({"name": name, "location_id": self.stock_location.id})
        products = self.env["product.product"].create([
            self._prepare_product_vals("%s %03d" % (name, i), 2.0, 3.0, "%s-%03d" % (name, i)) for i in range(count)
        ])
        Quant = self.env["stock.quant"].sudo()
        for product in products:
            Quant._update_available_quantity(product, location, 10)
        return self._create_plan(location_ids=[(6, 0, location.ids)])

    def _queries(self, func):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        func()
        self.env.flush_all()
        return self.cr.sql_log_count - before

    def test_snapshot_queries_do_not_grow(self):
        warm, small, large = self._bulk_plan(3, "WARM"), self._bulk_plan(5, "SMALL"), self._bulk_plan(40, "LARGE")
        self._queries(warm.action_start)  # fills the registry caches (rules, sequences)
        small_queries = self._queries(small.action_start)
        large_queries = self._queries(large.action_start)
        self.assertEqual(large.line_count, 40)
        self.assertEqual(small_queries, large_queries)

    def test_import_queries_do_not_grow(self):
        def prepare(plan):
            plan.action_start()
            action = plan.action_export_xlsx()
            attachment = xlsx_file(action)
            book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(attachment.datas)))
            for row in range(5, book.active.max_row + 1):
                book.active.cell(row, 7).value = 10
            output = io.BytesIO()
            book.save(output)
            return self.env["jxc.count.import.wizard"].create({"plan_id": plan.id, "file": base64.b64encode(output.getvalue())})

        warm, small, large = (prepare(self._bulk_plan(n, name)) for n, name in ((3, "WARM"), (5, "SMALL"), (40, "LARGE")))
        self._queries(warm.action_import)
        small_queries = self._queries(small.action_import)
        large_queries = self._queries(large.action_import)
        self.assertEqual(large.plan_id.counted_count, 40)
        self.assertEqual(small_queries, large_queries)

    def test_review_queries_do_not_grow(self):
        """Submit and approve cost the same queries for 5 lines as for 40."""
        def prepare(plan):
            plan.action_start()
            for i, line in enumerate(plan.line_ids.sorted("id")):
                line.counted_qty = 10 - (i % 2)  # every other line off by one unit: 10 %, beyond tolerance
                if i % 2:
                    line.reason_id = self.reason_loss
            return plan

        def review(plan):
            return lambda: (plan.action_submit(), plan.action_approve())

        warm, small, large = (prepare(self._bulk_plan(n, name)) for n, name in ((3, "WARM"), (5, "SMALL"), (40, "LARGE")))
        self._queries(review(warm))
        small_queries = self._queries(review(small))
        large_queries = self._queries(review(large))
        self.assertEqual((large.state, large.discrepancy_count, large.counted_count), ("approved", 20, 40))
        self.assertEqual(small_queries, large_queries)

    def test_post_many_lines_moves_and_values(self):
        """Several products posted in one batch: one move per difference, at cost, with its reason."""
        plan = self._bulk_plan(6, "MULTI")
        plan.action_start()
        # counted 10, 11, 9, 10, 12, 7 against a book of 10 each (cost 2): +1, -1, +2, -3
        for line, counted in zip(plan.line_ids.sorted(lambda line: line.product_id.default_code), (10, 11, 9, 10, 12, 7),
                                 strict=True):
            line.counted_qty = counted
        plan.action_submit()
        for line in plan.line_ids.filtered("is_discrepancy"):
            line.reason_id = self.reason_loss if line.difference_qty < 0 else self.reason_surplus
        plan.action_approve()
        self.assertTrue(plan.action_post())
        self.assertFalse(plan.action_post())  # posting twice never posts twice
        moves = plan.move_ids.sorted(lambda move: move.product_id.default_code)
        self.assertEqual(moves.mapped("product_id.default_code"), ["MULTI-001", "MULTI-002", "MULTI-004", "MULTI-005"])
        self.assertEqual(moves.mapped("product_uom_qty"), [1.0, 1.0, 2.0, 3.0])
        self.assertEqual([move.jxc_count_reason_id for move in moves],
                         [self.reason_surplus, self.reason_loss, self.reason_surplus, self.reason_loss])
        self.assertEqual(moves.mapped("state"), ["done"] * 4)
        self.assertEqual(moves.mapped("jxc_count_line_id"), plan.line_ids.filtered("difference_qty"))
        self.assertEqual(sorted(abs(value) for value in moves.mapped("value")), [2.0, 2.0, 4.0, 6.0])
        self.assertEqual((plan.gain_value, plan.loss_value), (6.0, 8.0))
        self.assertEqual(moves[0].inventory_name, "%s - %s" % (plan.name, self.reason_surplus.name))

    def test_company_check_of_a_batch(self):
        """A batch of lines is checked at once; a product of another company is still refused."""
        other = self.env["res.company"].create({"name": "JXC Other Co"})
        foreign = self.env["product.product"].create({**self._prepare_product_vals("Foreign", 1.0, 2.0, "FOR-1"),
                                                      "company_id": other.id})
        plan = self._create_plan(location_ids=[(6, 0, self.shelf_2.ids)], include_children=False)
        plan.action_start()
        with self.assertRaises(UserError) as caught:  # assertRaises rolls the inserted lines back
            self.env["jxc.count.line"].create([
                {"plan_id": plan.id, "product_id": product.id, "location_id": self.shelf_2.id, "counted_qty": 1}
                for product in (self.product_2, foreign, self.product_1)
            ])
        # Odoo's own message, about the offending line only
        self.assertIn("company inconsistencies", str(caught.exception))
        self.assertIn("[FOR-1] Foreign @ WH/Stock/Shelf 2", str(caught.exception))
        self.assertNotIn(self.product_1.name, str(caught.exception))
        lines = self.env["jxc.count.line"].create([
            {"plan_id": plan.id, "product_id": product.id, "location_id": self.shelf_2.id, "counted_qty": 1}
            for product in (self.product_2, self.product_1)
        ])
        self.assertEqual(lines.mapped("is_found"), [True, True])


@tagged("post_install", "-at_install")
class TestCountLots(JxcCountCommon):
    def test_lot_tracked_differences_need_a_lot(self):
        product = self.env["product.product"].create({**self._prepare_product_vals("Lotted", 5.0, 8.0, "LOT-1"), "tracking": "lot"})
        lot = self.env["stock.lot"].create({"name": "L-1", "product_id": product.id})
        self.env["stock.quant"].sudo()._update_available_quantity(product, self.shelf_2, 6, lot_id=lot)
        plan = self._create_plan(location_ids=[(6, 0, self.shelf_2.ids)])
        plan.action_start()
        self.assertEqual(self._line(plan, product).lot_id, lot)
        self._line(plan, product).counted_qty = 4
        self._line(plan, self.product_3).counted_qty = 10
        no_lot = self.env["jxc.count.line"].create({
            "plan_id": plan.id, "product_id": product.id, "location_id": self.shelf_2.id, "counted_qty": 2,
        })
        plan.action_submit()
        plan.line_ids.filtered("is_discrepancy").write({"reason_id": self.reason_damage.id})
        no_lot.reason_id = self.reason_surplus
        with self.assertRaisesRegex(UserError, "tracked by lot"):
            plan.action_approve()
        self.assertEqual(plan.state, "counted")
        plan.action_cancel()
        plan_2 = self._create_plan(location_ids=[(6, 0, self.shelf_2.ids)])
        plan_2.action_start()
        self._line(plan_2, product).counted_qty = 4
        self._line(plan_2, self.product_3).counted_qty = 10
        plan_2.action_submit()
        self._line(plan_2, product).reason_id = self.reason_damage
        plan_2.action_approve()
        plan_2.action_post()
        self.assertEqual(plan_2.move_ids.move_line_ids.lot_id, lot)
        self.assertEqual(self.env["stock.quant"]._get_available_quantity(product, self.shelf_2, lot_id=lot, strict=True), 4)

    def test_lot_of_another_product_is_refused_when_chosen(self):
        """A new line's product changed after its lot was chosen (the web client keeps the lot), then
        saved: refused at once, not by Odoo's quant when the approved stocktake is posted, too late
        to correct it."""
        product = self.env["product.product"].create({**self._prepare_product_vals("Lotted", 5.0, 8.0, "LOT-1"), "tracking": "lot"})
        lot = self.env["stock.lot"].create({"name": "L-1", "product_id": product.id})
        plan = self._create_plan(location_ids=[(6, 0, self.shelf_2.ids)])
        plan.action_start()
        vals = {"plan_id": plan.id, "product_id": product.id, "location_id": self.shelf_2.id, "lot_id": lot.id}
        with self.assertRaisesRegex(ValidationError, "L-1 is of \\[LOT-1\\] Lotted, not of .*JXC Gizmo"):
            self.env["jxc.count.line"].with_user(self.jxc_manager).create({**vals, "product_id": self.product_3.id})
        self.assertTrue(self.env["jxc.count.line"].with_user(self.jxc_manager).create(vals))

    def test_serial_counted_in_two_places_is_refused(self):
        """SN-1 is on Shelf 2; the same label is also counted on Shelf 1 (a found line): the
        approval names both places; counted 0 on Shelf 1, the plan goes through and SN-1 stays
        in one place."""
        product = self.env["product.product"].create({**self._prepare_product_vals("Drill", 50.0, 80.0, "SER-1"),
                                                      "tracking": "serial"})
        serial = self.env["stock.lot"].create({"name": "SN-1", "product_id": product.id})
        self.env["stock.quant"].sudo()._update_available_quantity(product, self.shelf_2, 1, lot_id=serial)
        plan = self._create_plan(product_ids=[(6, 0, product.ids)])
        plan.action_start()
        self._line(plan, product).counted_qty = 1
        found = self.env["jxc.count.line"].create({
            "plan_id": plan.id, "product_id": product.id, "location_id": self.shelf_1.id, "lot_id": serial.id,
            "counted_qty": 1,
        })
        plan.action_submit()
        found.reason_id = self.reason_surplus
        with self.assertRaisesRegex(UserError, "Serial number SN-1 of .* is counted in .*Shelf .*Shelf"):
            plan.action_approve()
        self.assertEqual(plan.state, "counted")
        plan.action_recount()
        found.counted_qty = 0
        plan.action_submit()
        plan.action_approve()
        plan.action_post()
        self.assertEqual(self.env["stock.quant"].search([("lot_id", "=", serial.id), ("quantity", ">", 0)]).location_id,
                         self.shelf_2)

    def _serial_found_on_shelf_1(self, name, on_shelf_2):
        """A stocktake of Shelf 1 (its Widgets counted as booked) that finds serial ``name`` of a
        new product there, submitted; the serial on Shelf 2 by the book if ``on_shelf_2``."""
        product = self.env["product.product"].create({
            **self._prepare_product_vals("Saw " + name, 50.0, 80.0, "SER-" + name), "tracking": "serial"})
        serial = self.env["stock.lot"].create({"name": name, "product_id": product.id})
        if on_shelf_2:
            self.env["stock.quant"].sudo()._update_available_quantity(product, self.shelf_2, 1, lot_id=serial)
        plan = self._create_plan(location_ids=[(6, 0, self.shelf_1.ids)], product_ids=[(6, 0, self.product_1.ids)])
        plan.action_start()
        self._count(plan, {self.product_1: 100})
        found = self.env["jxc.count.line"].create({
            "plan_id": plan.id, "product_id": product.id, "location_id": self.shelf_1.id, "lot_id": serial.id,
            "counted_qty": 1,
        })
        plan.action_submit()
        found.reason_id = self.reason_surplus
        return plan, found

    def test_serial_found_outside_the_count_is_refused(self):
        """SN-2 is on Shelf 2 by the book; the stocktake of Shelf 1 finds it there. Posting the
        gain would make it two (Odoo's own count only warns): approval is refused and names
        Shelf 2. Relocated in Odoo and counted again, the plan posts nothing and SN-2 is one,
        on Shelf 1."""
        Quant = self.env["stock.quant"].sudo()
        plan, found = self._serial_found_on_shelf_1("SN-2", on_shelf_2=True)
        serial = found.lot_id
        with self.assertRaisesRegex(UserError, r"SN-2 of .* is counted in .*Shelf 1, but the stock already has it in "
                                               r".*Shelf 2 and this stocktake"):
            plan.action_approve()
        self.assertEqual(plan.state, "counted")
        Quant.search([("lot_id", "=", serial.id), ("location_id", "=", self.shelf_2.id)]).move_quants(
            location_dest_id=self.shelf_1)
        found.action_request_recount()
        found.counted_qty = 1
        plan.action_submit()
        self.assertEqual(found.difference_qty, 0.0)
        plan.action_approve()
        plan.action_post()
        self.assertEqual(plan.state, "done")
        self.assertFalse(plan.move_ids)
        self.assertEqual(Quant.search([("lot_id", "=", serial.id), ("quantity", "!=", 0)]).mapped(
            lambda quant: (quant.location_id, quant.quantity)), [(self.shelf_1, 1.0)])

    def test_serial_found_elsewhere_after_approval_is_not_posted(self):
        """Approved with SN-3 counted on Shelf 1 (not in stock anywhere), then a receipt puts
        SN-3 on Shelf 2 before posting: posting is refused, nothing is posted."""
        plan, found = self._serial_found_on_shelf_1("SN-3", on_shelf_2=False)
        plan.action_approve()
        self.env["stock.quant"].sudo()._update_available_quantity(found.product_id, self.shelf_2, 1, lot_id=found.lot_id)
        with self.assertRaisesRegex(UserError, r"SN-3 of .* already has it in .*Shelf 2.*\(Recount on the line\)"):
            plan.action_post()
        self.assertEqual(plan.state, "approved")
        self.assertFalse(plan.move_ids)
        # as the message says: the line counted again (0, the saw is on Shelf 2), then posted
        found.with_user(self.jxc_manager).action_request_recount()
        self.assertEqual((plan.state, found.recount_round, found.is_counted), ("in_progress", 1, False))
        found.counted_qty = 0
        plan.action_submit()
        plan.action_approve()
        plan.action_post()
        self.assertEqual(plan.state, "done")
        self.assertEqual(self.env["stock.quant"]._get_available_quantity(
            found.product_id, self.shelf_1, lot_id=found.lot_id, strict=True), 0)

    def test_negative_stock_without_lot_is_counted_to_zero(self):
        """A delivery through an operation without lots left -3 of a lot-tracked product
        without a lot: counted 0 (nothing there), its +3 is posted without lot, as Odoo's
        Physical Inventory applies such a quant, and the stock without lot is 0 again."""
        product = self.env["product.product"].create({**self._prepare_product_vals("Lotted Short", 5.0, 8.0, "LOT-3"),
                                                      "tracking": "lot"})
        self.env["stock.quant"].sudo()._update_available_quantity(product, self.shelf_2, -3)
        plan = self._create_plan(location_ids=[(6, 0, self.shelf_2.ids)], product_ids=[(6, 0, product.ids)])
        plan.action_start()
        no_lot = self._line(plan, product)
        self.assertEqual((no_lot.lot_id, no_lot.book_qty), (self.env["stock.lot"], -3.0))
        no_lot.counted_qty = 0
        plan.action_submit()
        no_lot.reason_id = self.reason_surplus
        plan.action_approve()
        plan.action_post()
        self.assertEqual((plan.state, plan.move_ids.product_uom_qty), ("done", 3.0))
        self.assertEqual(self.env["stock.quant"]._get_available_quantity(product, self.shelf_2, strict=True,
                                                                       allow_negative=True), 0.0)

    def test_stock_without_lot_of_a_tracked_product_is_counted_down(self):
        """10 units of a product from before it was tracked by lots (no lot): the count finds
        them all as lot L-1. The line without a lot is counted 0 and posted (-10), the lot's
        found line +10: the product then has its 10 units in L-1 only."""
        product = self.env["product.product"].create({**self._prepare_product_vals("Untracked", 5.0, 8.0, "LOT-2")})
        with freeze_time("2024-01-01 02:00:00"):
            self._set_on_hand(product, 10, self.shelf_2)
        product.tracking = "lot"
        lot = self.env["stock.lot"].create({"name": "L-1", "product_id": product.id})
        plan = self._create_plan(location_ids=[(6, 0, self.shelf_2.ids)], product_ids=[(6, 0, product.ids)])
        plan.action_start()
        no_lot = self._line(plan, product)
        self.assertFalse(no_lot.lot_id)
        no_lot.counted_qty = 0
        self.env["jxc.count.line"].create({
            "plan_id": plan.id, "product_id": product.id, "location_id": self.shelf_2.id, "lot_id": lot.id,
            "counted_qty": 10,
        })
        plan.action_submit()
        no_lot.reason_id = self.reason_damage
        (plan.line_ids - no_lot).reason_id = self.reason_surplus
        plan.action_approve()
        plan.action_post()
        Quant = self.env["stock.quant"]
        self.assertEqual(Quant._get_available_quantity(product, self.shelf_2, lot_id=lot, strict=True), 10)
        self.assertEqual(Quant._get_available_quantity(product, self.shelf_2, strict=True), 0)
        self.assertEqual(product.with_context(location=self.shelf_2.id).qty_available, 10)
