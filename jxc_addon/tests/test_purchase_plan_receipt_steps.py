"""Pending receipts of the purchase plan in a warehouse that receives in two or three steps:
the receipt counts as Odoo's forecast counts it at the rule's location (WH/Stock), by its
pending step, once, from the first step to the input zone to the put-away into the stock.

Today is Monday 30 June 2025, 12:00 in Shanghai. JXC Dock (vendor A: 5.0, 10 days): 35 on
hand since 20 May, 3 sold every other day from 10 to 28 June (30 in the 30-day window: 1.0 a
day), 5 on hand today: out on 5 July, before an order placed today arrives (10 July). A
purchase of 50 is planned for 4 July: with it, out on 24 August."""

from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common import JxcCommon

TODAY = "2025-06-30 04:00:00"  # 12:00 in Shanghai


@tagged("post_install", "-at_install")
class TestPurchasePlanReceiptSteps(JxcCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Plan = cls.env["jxc.purchase.plan"]
        cls.product = cls.env["product.product"].create(cls._prepare_product_vals("JXC Dock", 5.0, 9.0, "JXC-DOCK"))
        cls.env["product.supplierinfo"].create({
            "partner_id": cls.vendor_a.id, "product_tmpl_id": cls.product.product_tmpl_id.id, "price": 5.0, "delay": 10,
        })
        cls.env["jxc.safety.stock.rule"].create({
            "name": "JXC Dock", "product_id": cls.product.id, "method": "fixed", "fixed_qty": 2.0,
            "history_days": 30, "review_days": 7,
        })
        with freeze_time("2025-05-20 02:00:00"):
            cls._set_on_hand(cls.product, 35.0)
        for day in range(10, 30, 2):
            cls._sell(cls.customer_a, [(cls.product, 3.0, 9.0)], f"2025-06-{day:02d} 02:00:00")

    def setUp(self):
        super().setUp()
        self._freeze_test_at(TODAY)

    def _line(self):
        self.env["stock.warehouse.orderpoint"]._jxc_update_orderpoints(self.company)
        return self.Plan._refresh(self.company).filtered(lambda line: line.product_id == self.product)

    def _assert_plan(self, receipts, next_receipt, at_risk):
        """The line's figures against Odoo's: its incoming and the pending receipts [(day,
        quantity)] add up to Odoo's incoming at the rule's location, each receipt once."""
        line = self._line()
        orderpoint = line.orderpoint_id
        incoming = self.product.with_context(location=orderpoint.location_id.id).incoming_qty
        self.assertEqual(self.Plan._get_pending_receipts(self.company, orderpoint)[orderpoint.id], receipts)
        self.assertEqual(sum(quantity for _day, quantity in receipts), incoming)
        self.assertEqual((line.qty_on_hand, line.qty_incoming, line.qty_position), (5.0, incoming, 5.0 + incoming))
        # out on 5 July; the 50 received by then last to 24 August (55 days at 1.0 a day)
        stockout = date(2025, 8, 24) if receipts else date(2025, 7, 5)
        self.assertEqual((line.demand_mean, line.stockout_date, line.expected_date), (1.0, stockout, date(2025, 7, 10)))
        self.assertEqual(
            (line.next_receipt_date, line.is_stockout_risk, line.is_urgent), (next_receipt, at_risk, at_risk),
        )

    def _receive_in_steps(self, steps):
        """A purchase of 50 planned for 4 July into a warehouse receiving in ``steps``, each
        step checked against Odoo's incoming: the first validated for 20 (the other 30 on a
        backorder), then for the rest, then the steps after it."""
        self.warehouse.reception_steps = steps
        self._assert_plan([], False, True)
        order = self._create_purchase(self.vendor_a, [(self.product, 50.0, 5.0)], date_planned="2025-07-04 04:00:00")
        first = order.picking_ids
        self.assertEqual(first.location_dest_id, self.warehouse.wh_input_stock_loc_id)
        self._assert_plan([(date(2025, 7, 4), 50.0)], date(2025, 7, 4), False)
        # 20 at the dock: their put-away is created now, dated today; 30 still on their way
        self._validate_picking(first, {self.product: 20.0})
        self._assert_plan([(date(2025, 6, 30), 20.0), (date(2025, 7, 4), 30.0)], date(2025, 6, 30), False)
        self._validate_picking(first.backorder_ids)
        self._assert_plan([(date(2025, 6, 30), 50.0)], date(2025, 6, 30), False)
        # the steps after the dock, each created when the one before it is done: the
        # put-away (and, in three steps, the quality control before it)
        for _step in range({"two_steps": 1, "three_steps": 2}[steps]):
            pending = self.env["stock.picking"].search([
                ("product_id", "=", self.product.id), ("state", "not in", ("done", "cancel")),
            ])
            self.assertEqual(len(pending), 1)
            self._validate_picking(pending)
            if pending.location_dest_id != self.stock_location:
                self._assert_plan([(date(2025, 6, 30), 50.0)], date(2025, 6, 30), False)
        line = self._line()
        self.assertEqual((line.qty_on_hand, line.qty_incoming, line.next_receipt_date), (55.0, 0.0, False))
        self.assertFalse(line.is_stockout_risk)

    def test_one_step_receipt(self):
        self._assert_plan([], False, True)
        order = self._create_purchase(self.vendor_a, [(self.product, 50.0, 5.0)], date_planned="2025-07-04 04:00:00")
        self._assert_plan([(date(2025, 7, 4), 50.0)], date(2025, 7, 4), False)
        self._validate_picking(order.picking_ids, {self.product: 20.0})
        line = self._line()
        self.assertEqual((line.qty_on_hand, line.qty_incoming, line.next_receipt_date), (25.0, 30.0, date(2025, 7, 4)))

    def test_two_step_receipt(self):
        """Before the fix the goods at the dock (first step done, put-away pending) were no
        receipt: next receipt none, stock-out risk and urgent, while Odoo counted them incoming."""
        self._receive_in_steps("two_steps")

    def test_three_step_receipt(self):
        self._receive_in_steps("three_steps")
