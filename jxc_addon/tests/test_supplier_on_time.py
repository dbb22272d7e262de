import math
from datetime import date, datetime

from freezegun import freeze_time

from odoo.tests import Form, tagged

from .common import JxcCommon


@tagged("post_install", "-at_install")
class TestSupplierOnTime(JxcCommon):
    """Regression tests for the accuracy bugs of Odoo's res.partner.on_time_rate, in May 2025.

    The company works in Asia/Shanghai (UTC+8).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.vendor_d = cls.env["res.partner"].create({"name": "JXC Vendor D", "supplier_rank": 1})
        cls.may = cls.env["jxc.supplier.period"]._get_or_create_period(cls.company, date(2025, 5, 1))

    def _compute(self):
        self.may.action_compute()
        evaluation = self.may.evaluation_ids.filtered(lambda e: e.partner_id == self.vendor_d)
        return evaluation, {line.criterion_id.criterion_type: line for line in evaluation.line_ids}

    def test_dates_compared_in_company_timezone(self):
        with freeze_time("2025-05-02 02:00:00"):
            # Planned 11 May 01:00 Shanghai (10 May in UTC), received 11 May 11:00 Shanghai: on time.
            po_1 = self._create_purchase(self.vendor_d, [(self.product_1, 10.0, 10.0)], date_planned="2025-05-10 17:00:00")
            # Planned 20 May 12:00 Shanghai, received 21 May 01:00 Shanghai (20 May in UTC): late.
            po_2 = self._create_purchase(self.vendor_d, [(self.product_2, 5.0, 4.0)], date_planned="2025-05-20 04:00:00")
        with freeze_time("2025-05-11 03:00:00"):
            self._receive(po_1)
        with freeze_time("2025-05-20 17:00:00"):
            self._receive(po_2)
        evaluation, lines = self._compute()
        # In UTC dates the 10 widgets would be late and the 5 gadgets on time (5 on time); in the
        # company's dates the widgets are on time and the gadgets late: 10 on time, and the mean of
        # the two lines (1 + 0) / 2 = 50 %.
        self.assertAlmostEqual(evaluation.on_time_qty, 10.0)
        self.assertAlmostEqual(lines["on_time"].raw_value, 50.0)
        # With one day of tolerance both are on time.
        self.company.jxc_supplier_on_time_tolerance = 1
        evaluation, lines = self._compute()
        self.assertAlmostEqual(lines["on_time"].raw_value, 100.0)

    def test_over_delivery_capped(self):
        with freeze_time("2025-05-02 02:00:00"):
            po = self._create_purchase(self.vendor_d, [(self.product_1, 10.0, 10.0)], date_planned="2025-05-10 04:00:00")
        with freeze_time("2025-05-09 02:00:00"):
            self._receive(po, {self.product_1: 12.0})
        evaluation, lines = self._compute()
        self.assertAlmostEqual(evaluation.received_qty, 10.0)  # 12 received, capped at the 10 ordered
        self.assertAlmostEqual(lines["on_time"].raw_value, 100.0)  # Odoo's rate: 12 / 10 = 120 %
        self.assertAlmostEqual(lines["fill_rate"].raw_value, 100.0)  # the line is capped at its 10 ordered
        self.assertAlmostEqual(evaluation.on_time_rate, 100.0)

    def test_receipt_split_into_move_lines_counted_once(self):
        sublocation = self.env["stock.location"].create({"name": "Shelf 9", "location_id": self.stock_location.id})
        with freeze_time("2025-05-02 02:00:00"):
            po = self._create_purchase(self.vendor_d, [(self.product_1, 10.0, 10.0)], date_planned="2025-05-10 04:00:00")
        picking = po.picking_ids
        move = picking.move_ids
        first = move.move_line_ids[:1]
        first.quantity = 4.0
        first.copy({"quantity": 6.0, "location_dest_id": sublocation.id, "move_id": move.id})
        move.picked = True
        with freeze_time("2025-05-08 02:00:00"):
            picking.button_validate()
        self.assertEqual(len(move.move_line_ids), 2)
        self.assertEqual(move.state, "done")
        evaluation, lines = self._compute()
        self.assertAlmostEqual(evaluation.received_qty, 10.0)
        self.assertAlmostEqual(lines["on_time"].raw_value, 100.0)
        self.assertEqual(evaluation.lead_time_count, 1)

    def test_two_step_reception_counted_once(self):
        """The internal input -> stock step is not a second receipt."""
        self.warehouse.reception_steps = "two_steps"
        with freeze_time("2025-05-02 02:00:00"):
            po = self._create_purchase(self.vendor_d, [(self.product_1, 10.0, 10.0)], date_planned="2025-05-10 04:00:00")
        with freeze_time("2025-05-08 02:00:00"):
            receipt = self._receive(po)
        internal = self.env["stock.picking"].search([("picking_type_id", "=", self.warehouse.store_type_id.id),
                                                     ("state", "not in", ("done", "cancel"))])
        self.assertTrue(internal)
        with freeze_time("2025-05-12 02:00:00"):
            self._validate_picking(internal)
        self.assertEqual(receipt.state, "done")
        evaluation, lines = self._compute()
        self.assertAlmostEqual(evaluation.received_qty, 10.0)
        self.assertAlmostEqual(lines["on_time"].raw_value, 100.0)

    def test_returns_are_not_deliveries(self):
        with freeze_time("2025-05-02 02:00:00"):
            po = self._create_purchase(self.vendor_d, [(self.product_1, 10.0, 10.0)], date_planned="2025-05-10 04:00:00")
        with freeze_time("2025-05-12 02:00:00"):
            receipt = self._receive(po)  # late
        with freeze_time("2025-05-13 02:00:00"):
            self._return_picking(receipt, {self.product_1: 3.0})
        evaluation, lines = self._compute()
        self.assertAlmostEqual(evaluation.received_qty, 10.0)
        self.assertAlmostEqual(evaluation.on_time_qty, 0.0)
        self.assertAlmostEqual(lines["on_time"].raw_value, 0.0)
        self.assertAlmostEqual(lines["quality"].raw_value, 30.0)  # 3 returned of 10
        self.assertAlmostEqual(lines["quality"].score, 0.0)
        # the return updates the order (Odoo's default): received 7, as the order line shows
        self.assertEqual(po.order_line.qty_received, 7.0)
        self.assertAlmostEqual(lines["fill_rate"].raw_value, 70.0)

    def test_goods_the_vendor_replaces_fill_once(self):
        """8 of 10 received; 3 sent back with Odoo's Return for Exchange, and the 3 replacements
        received: Odoo's line has received 8 (the return deducted, the exchange added), and the
        fill rate is 80 % (not 11 of 10, capped at 100 %). 2 more returned without updating the
        order (the vendor owes them): still 8."""
        with freeze_time("2025-05-02 02:00:00"):
            po = self._create_purchase(self.vendor_d, [(self.product_1, 10.0, 10.0)], date_planned="2025-05-10 04:00:00")
        with freeze_time("2025-05-08 02:00:00"):
            receipt = self._receive(po, {self.product_1: 8.0}, backorder=False)
        with freeze_time("2025-05-09 02:00:00"):
            wizard = Form(self.env["stock.return.picking"].with_context(active_id=receipt.id, active_model="stock.picking")).save()
            wizard.product_return_moves.quantity = 3.0
            wizard.action_create_exchanges()
            for picking in po.picking_ids.filtered(lambda p: p.state not in ("done", "cancel")).sorted("id"):
                self._validate_picking(picking)
        self.assertEqual(po.order_line.qty_received, 8.0)
        _evaluation, lines = self._compute()
        self.assertAlmostEqual(lines["fill_rate"].raw_value, 80.0)
        with freeze_time("2025-05-10 02:00:00"):
            wizard = Form(self.env["stock.return.picking"].with_context(active_id=receipt.id, active_model="stock.picking")).save()
            wizard.product_return_moves.write({"quantity": 2.0, "to_refund": False})
            self._validate_picking(self.env["stock.picking"].browse(wizard.action_create_returns()["res_id"]))
        self.assertEqual(po.order_line.qty_received, 8.0)
        _evaluation, lines = self._compute()
        self.assertAlmostEqual(lines["fill_rate"].raw_value, 80.0)

    def test_replacements_are_no_late_deliveries(self):
        """10 received on time on 8 May (planned 10 May), 3 sent back with Return for Exchange
        and replaced on 2 June: the vendor delivered on time in 6 days (one lead time, not also
        the 31 days to the replacement); the 3 count for quality in May, and June has no late
        receipt of 3 (on time 0 %)."""
        with freeze_time("2025-05-02 02:00:00"):
            po = self._create_purchase(self.vendor_d, [(self.product_1, 10.0, 10.0)], date_planned="2025-05-10 04:00:00")
        with freeze_time("2025-05-08 02:00:00"):
            receipt = self._receive(po)
        with freeze_time("2025-05-09 02:00:00"):
            wizard = Form(self.env["stock.return.picking"].with_context(active_id=receipt.id, active_model="stock.picking")).save()
            wizard.product_return_moves.quantity = 3.0
            wizard.action_create_exchanges()
            exchange = po.picking_ids.filtered(lambda p: p.return_id and p.picking_type_id.code == "incoming")
            self._validate_picking(po.picking_ids.filtered(lambda p: p.state not in ("done", "cancel")) - exchange)
        with freeze_time("2025-06-02 02:00:00"):
            self._validate_picking(exchange)
        self.assertEqual(exchange.state, "done")
        june = self.env["jxc.supplier.period"]._get_or_create_period(self.company, date(2025, 6, 1))
        june.action_compute()
        self.assertFalse(june.evaluation_ids.filtered(lambda e: e.partner_id == self.vendor_d).received_qty)
        evaluation, lines = self._compute()
        self.assertEqual((evaluation.received_qty, evaluation.on_time_qty), (10.0, 10.0))
        self.assertAlmostEqual(lines["on_time"].raw_value, 100.0)
        self.assertAlmostEqual(lines["quality"].raw_value, 30.0)
        stats = self.env["purchase.order.line"]._get_jxc_lead_time_stats(
            datetime(2025, 5, 1), datetime(2025, 6, 1), self.company, partner_ids=[self.vendor_d.id], with_samples=True)
        self.assertEqual(stats[self.vendor_d.id]["samples"], [6])

    def test_on_time_capped_per_line(self):
        """Line A: 10 ordered, 20 received on time; line B: 10 ordered, 10 received 3 days late.
        Summed uncapped it would be 20 / 30 = 66.7 %; of the 20 units ordered, 10 came on time: 50 %."""
        with freeze_time("2025-05-02 02:00:00"):
            po = self._create_purchase(
                self.vendor_d, [(self.product_1, 10.0, 10.0), (self.product_2, 10.0, 4.0)],
                date_planned="2025-05-10 04:00:00",
            )
        with freeze_time("2025-05-09 02:00:00"):
            self._receive(po, {self.product_1: 20.0}, backorder=True)
        with freeze_time("2025-05-13 02:00:00"):
            self._receive(po)
        self.assertEqual(po.order_line.mapped("qty_received"), [20.0, 10.0])
        evaluation, lines = self._compute()
        self.assertAlmostEqual(evaluation.received_qty, 20.0)
        self.assertAlmostEqual(evaluation.on_time_qty, 10.0)
        self.assertAlmostEqual(lines["on_time"].raw_value, 50.0)
        self.assertAlmostEqual(evaluation.on_time_rate, 50.0)

    def test_line_received_over_two_periods_capped_once(self):
        """A line of 10: 6 received on time in April, the backorder of 8 (4 more than ordered)
        late in May; another line of 20 received on time in May. May counts the 4 the first line
        still had to bring (not 8): received 24, on time 20; the first line 0 of its 4 on time, the
        other 20 of 20: (0 + 1) / 2 = 50 %. April counts the first line 6 of 6 on time."""
        with freeze_time("2025-04-20 02:00:00"):
            po = self._create_purchase(self.vendor_d, [(self.product_1, 10.0, 10.0)], date_planned="2025-04-28 04:00:00")
            other = self._create_purchase(self.vendor_d, [(self.product_2, 20.0, 4.0)], date_planned="2025-05-10 04:00:00")
        with freeze_time("2025-04-27 02:00:00"):
            self._receive(po, {self.product_1: 6.0}, backorder=True)
        with freeze_time("2025-05-08 02:00:00"):
            self._receive(other)
        with freeze_time("2025-05-12 02:00:00"):
            self._receive(po, {self.product_1: 8.0})
        evaluation, lines = self._compute()
        self.assertEqual((evaluation.received_qty, evaluation.on_time_qty), (24.0, 20.0))
        self.assertAlmostEqual(lines["on_time"].raw_value, 50.0)
        april = self.env["jxc.supplier.period"]._get_or_create_period(self.company, date(2025, 4, 1))
        self.assertEqual(april._get_receipt_data(*april._get_utc_bounds())[self.vendor_d.id], {
            "received_qty": 6.0, "on_time_qty": 6.0, "on_time_sum": 1.0, "received_lines": 1})

    def test_orders_to_a_contact_belong_to_the_vendor(self):
        """An order sent to the vendor's contact counts in the vendor's evaluation, lead times included."""
        contact = self.env["res.partner"].create({"name": "JXC Vendor D Sales Desk", "parent_id": self.vendor_d.id})
        with freeze_time("2025-05-02 02:00:00"):
            po_vendor = self._create_purchase(self.vendor_d, [(self.product_1, 10.0, 10.0)], date_planned="2025-05-10 04:00:00")
            po_contact = self._create_purchase(contact, [(self.product_1, 10.0, 10.0)], date_planned="2025-05-10 04:00:00")
        with freeze_time("2025-05-06 02:00:00"):  # 4 days
            self._receive(po_vendor)
        with freeze_time("2025-05-12 02:00:00"):  # 10 days, late
            self._receive(po_contact)
        evaluation, lines = self._compute()
        self.assertFalse(self.may.evaluation_ids.filtered(lambda e: e.partner_id == contact))
        self.assertAlmostEqual(evaluation.received_qty, 20.0)
        self.assertAlmostEqual(lines["on_time"].raw_value, 50.0)
        self.assertEqual(evaluation.lead_time_count, 2)
        self.assertAlmostEqual(evaluation.lead_time_mean, 7.0)
        # the same product in 4 and 10 days: the contact's receipt is part of the product's spread
        self.assertAlmostEqual(evaluation.lead_time_stddev, math.sqrt(18.0))
