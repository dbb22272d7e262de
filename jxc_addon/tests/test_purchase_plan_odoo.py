"""The purchase plan is Odoo's reordering rules (issue 14, items 8 and 11): the quantity to
buy of a line is the rule's own ``qty_to_order`` now, and *Create RFQs* orders through
Odoo's replenishment of the rule, so a line already on order orders nothing.

Fixtures of safety_common.py (today 30 June 2025): after the safety stock, product 1
(vendor B, 3 days) has 10 on hand for a minimum 48 and a maximum 88: Odoo orders
78; product 2 (vendor A) 16 for a minimum 15: nothing; product 3 (vendor B, 10 days) 0 on hand for min = max = 5: Odoo orders 5.
"""

from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged

from .safety_common import TODAY, PurchasePlanCommon


@tagged("post_install", "-at_install")
class TestPurchasePlanIsOdoosRule(PurchasePlanCommon):

    def _line(self, plan, product):
        return plan.filtered(lambda line: line.product_id == product)

    def _po_lines(self, products):
        return self.env["purchase.order.line"].search([
            ("product_id", "in", products.ids), ("order_id.state", "in", ("draft", "sent")),
        ])

    def _assert_plan_is_odoo(self, plan):
        """Every line's quantity to buy is what Odoo's own rule computes from scratch now."""
        for line in plan:
            orderpoint = line.orderpoint_id
            odoo_qty = orderpoint._get_qty_to_order() if orderpoint.qty_forecast < orderpoint.product_min_qty else 0.0
            self.assertAlmostEqual(line.suggested_qty, max(odoo_qty, 0.0), msg=line.product_id.name)
            self.assertAlmostEqual(line.suggested_qty, max(orderpoint.qty_to_order, 0.0), msg=line.product_id.name)
            self.assertAlmostEqual(line.qty_position, orderpoint.qty_forecast, msg=line.product_id.name)

    def test_class_and_grade_of_the_lines_company(self):
        """A user working in another company first sees each line's ABC class and vendor grade
        of the line's own company (both are per company), and filters on them."""
        other = self.env["res.company"].create({"name": "JXC Other Company"})
        self.product_1.with_company(other).jxc_abc_class = "c"
        self.vendor_b.with_company(other).jxc_supplier_grade = "d"
        with freeze_time(TODAY):
            line = self._line(self.Plan._refresh(self.company), self.product_1)
        self.assertEqual(line.vendor_id, self.vendor_b)
        Plan = self.Plan.with_context(allowed_company_ids=[other.id, self.company.id])  # working in the other
        line = line.with_env(Plan.env)
        self.assertEqual((line.abc_class, line.vendor_grade), ("a", "a"))
        self.assertEqual(Plan.search([("id", "=", line.id), ("abc_class", "=", "a")]), line)
        self.assertFalse(Plan.search([("id", "=", line.id), ("abc_class", "=", "c")]))
        self.assertEqual(Plan.search([("id", "=", line.id), ("vendor_grade", "=", "a")]), line)

    def test_forecast_at_once_is_odoos(self):
        """``_jxc_compute_forecast`` (Odoo's ``_compute_qty`` over all the rules at once) gives
        every rule the on hand and forecast Odoo computes for that rule alone, though the
        rules' lead times (3 and 10 days) give them different forecast horizons: a delivery
        of 4 due 6 days after the company's horizon is in product 3's forecast, not in
        product 1's."""
        Orderpoint = self.env["stock.warehouse.orderpoint"]
        orderpoints = Orderpoint.search([("company_id", "=", self.company.id), ("jxc_rule_id", "!=", False)])
        with freeze_time(TODAY):
            moves = self.env["stock.move"].create([{
                "product_id": product.id, "product_uom_qty": 4.0, "product_uom": self.uom_unit.id,
                "location_id": self.stock_location.id, "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                "date": fields.Datetime.now() + timedelta(days=self.company.horizon_days + 6),
            } for product in self.product_1 | self.product_3])
            moves._action_confirm()

        def figures(orderpoint):
            return orderpoint.qty_on_hand, orderpoint.qty_forecast, orderpoint.lead_horizon_date

        with freeze_time(TODAY):
            self.env.invalidate_all()
            orderpoints._jxc_compute_forecast()
            at_once = {orderpoint.id: figures(orderpoint) for orderpoint in orderpoints}
            self.env.invalidate_all()
            alone = {orderpoint_id: figures(Orderpoint.browse(orderpoint_id)) for orderpoint_id in orderpoints.ids}
        self.assertEqual(at_once, alone)
        rule_1, rule_3 = (orderpoints.filtered(lambda o, p=product: o.product_id == p) for product in (self.product_1, self.product_3))
        self.assertEqual(at_once[rule_1.id][:2], (10.0, 10.0))
        self.assertEqual(at_once[rule_3.id][1], at_once[rule_3.id][0] - 4.0)

    def test_create_rfqs_twice_orders_once(self):
        plan = self.Plan.with_user(self.jxc_user)._refresh(self.company)
        lines = self._line(plan, self.product_1) | self._line(plan, self.product_3)
        self.assertEqual(lines.mapped("suggested_qty"), [78.0, 5.0])
        lines.action_create_rfq()
        po_lines = self._po_lines(self.product_1 | self.product_3)
        self.assertEqual(sorted(po_lines.mapped("product_qty")), [5.0, 78.0])
        # The chosen vendor is the rule's: Odoo's replenishment ordered from it.
        self.assertEqual(lines.orderpoint_id.supplier_id.partner_id, self.vendor_b)
        self.assertEqual(lines.mapped("suggested_qty"), [0.0, 0.0])
        # Second press: nothing ordered, and the screen says so.
        action = lines.action_create_rfq()
        self.assertEqual((action["tag"], action["params"]["type"]), ("display_notification", "warning"))
        self.assertIn("JXC Widget", action["params"]["message"])
        self.assertEqual(self._po_lines(self.product_1 | self.product_3), po_lines)
        self.assertEqual(sorted(po_lines.mapped("product_qty")), [5.0, 78.0])

    def test_stale_line_already_ordered_by_odoo_orders_nothing(self):
        """The demo's P00456: the plan still says 78 while Odoo's scheduler has already
        ordered it; pressing Create RFQs on the stale line must not raise the RFQ to 156."""
        plan = self.Plan._refresh(self.company)
        line_1 = self._line(plan, self.product_1)
        self.assertEqual(line_1.suggested_qty, 78.0)
        self.env["stock.rule"].run_scheduler(company_id=self.company.id)
        po_line = self._po_lines(self.product_1)
        self.assertEqual(po_line.product_qty, 78.0)
        self.assertEqual(line_1.suggested_qty, 78.0)  # not refreshed yet
        action = line_1.with_user(self.jxc_user).action_create_rfq()
        self.assertEqual(action["params"]["title"], "Nothing to order")
        self.assertEqual(self._po_lines(self.product_1), po_line)
        self.assertEqual(po_line.product_qty, 78.0)
        self.assertEqual(line_1.suggested_qty, 0.0)

    def test_partly_needed_selection_orders_the_needed_lines(self):
        plan = self.Plan._refresh(self.company)
        line_1, line_2 = self._line(plan, self.product_1), self._line(plan, self.product_2)
        self.assertEqual(line_2.suggested_qty, 0.0)
        action = (line_1 | line_2).with_user(self.jxc_user).action_create_rfq()
        self.assertEqual(action["params"]["next"]["res_model"], "purchase.order")
        self.assertIn("JXC Gadget", action["params"]["message"])
        self.assertEqual(self._po_lines(self.product_1).product_qty, 78.0)
        self.assertFalse(self._po_lines(self.product_2))

    def test_plan_equals_odoo_qty_to_order_on_varied_data(self):
        self._assert_plan_is_odoo(self.Plan._refresh(self.company))
        # A confirmed receipt of product 1 pending, a draft RFQ of product 3 (in progress for
        # Odoo), a delivery of product 2 since the last computation of its rule.
        self._create_purchase(self.vendor_a, [(self.product_1, 20.0, 10.0)], date_planned="2025-07-02 04:00:00")
        self._create_purchase(self.vendor_b, [(self.product_3, 2.0, 50.0)], confirm=False)
        self._deliver(self._create_sale(self.customer_a, [(self.product_2, 10.0, 9.0)]))
        plan = self.Plan._refresh(self.company)
        self._assert_plan_is_odoo(plan)
        # 10 + 20 = 30 below 48: up to 88; 2 on order of 5. Product 2 fell to 6, below 15, and
        # its automatic rule already ordered up to its maximum 21 (15) when the delivery was
        # confirmed: nothing more to buy.
        self.assertEqual(
            [self._line(plan, p).suggested_qty for p in (self.product_1, self.product_2, self.product_3)],
            [58.0, 0.0, 3.0],
        )
        self.assertEqual(self._po_lines(self.product_2).product_qty, 15.0)
        self.assertEqual(self._line(plan, self.product_2).qty_position, 21.0)
        # Odoo's horizon: with no horizon days a receipt after the rule's lead days is not
        # counted, by Odoo or by the plan (vendor B delivers product 1 in 3 days).
        self.company.horizon_days = 0
        self._create_purchase(self.vendor_b, [(self.product_1, 60.0, 11.0)], date_planned="2025-08-01 04:00:00")
        plan = self.Plan._refresh(self.company)
        self._assert_plan_is_odoo(plan)
        self.assertEqual(self._line(plan, self.product_1).suggested_qty, 58.0)
        self.assertEqual(self._line(plan, self.product_1).qty_position, 30.0)

    def test_rule_vendor_orders_from_the_rules_own_line(self):
        """Vendor B also ships product 1 by sea: 9.00 a unit from 50 units, 20 days (the safety
        stock keeps the 3-day line, for its smaller review-period orders). Odoo's replenishment
        orders from the rule's own line of B (11.00, 3 days, which the safety stock set), at the
        price of B's line Odoo selects for the quantity (9.00). A delivery of 10 due 6 days
        after the horizon is beyond the rule's 3 days: Odoo orders 78, which the plan shows and
        orders, and the rule keeps its line (with the 20-day line it would order 88)."""
        orderpoint = self._orderpoint(self.product_1)
        rule_line = orderpoint.supplier_id
        self.assertEqual((rule_line.partner_id, rule_line.price, rule_line.delay), (self.vendor_b, 11.0, 3))
        self.env["product.supplierinfo"].create({
            "partner_id": self.vendor_b.id, "product_tmpl_id": self.product_1.product_tmpl_id.id,
            "price": 9.0, "delay": 20, "min_qty": 50.0,
        })
        self.env.cr.flush()
        self.assertEqual(orderpoint.supplier_id, rule_line)
        move = self.env["stock.move"].create({
            "product_id": self.product_1.id, "product_uom_qty": 10.0, "product_uom": self.uom_unit.id,
            "location_id": self.stock_location.id, "location_dest_id": self.env.ref("stock.stock_location_customers").id,
            "date": fields.Datetime.now() + timedelta(days=self.company.horizon_days + 6),
        })
        move._action_confirm()
        line = self._line(self.Plan._refresh(self.company), self.product_1)
        self.assertEqual((line.vendor_id, line.suggested_qty, line.price_unit, line.amount), (self.vendor_b, 78.0, 9.0, 702.0))
        self.assertEqual(orderpoint.supplier_id, rule_line)
        self._assert_plan_is_odoo(line)
        line.with_user(self.jxc_user).action_create_rfq()
        po_line = self._po_lines(self.product_1)
        self.assertEqual((po_line.partner_id, po_line.product_qty, po_line.price_unit), (self.vendor_b, 78.0, 9.0))
        self.assertEqual(orderpoint.supplier_id, rule_line)

    def test_vendor_changed_on_the_rule_since_the_refresh(self):
        """The plan was refreshed with vendor B on product 1's rule; a stock manager then gave
        the rule vendor A's line in Odoo's replenishment. Create RFQs on the line not refreshed
        orders from A, as Odoo's replenishment would, and does not put B back on the rule."""
        orderpoint = self._orderpoint(self.product_1)
        line = self._line(self.Plan._refresh(self.company), self.product_1)
        self.assertEqual(line.vendor_id, self.vendor_b)
        line_a = self.product_1.seller_ids.filtered(lambda seller: seller.partner_id == self.vendor_a)
        orderpoint.supplier_id = line_a
        line.with_user(self.jxc_user).action_create_rfq()
        self.assertEqual(orderpoint.supplier_id, line_a)
        self.assertEqual(self._po_lines(self.product_1).partner_id, self.vendor_a)
        self.assertEqual(line.vendor_id, self.vendor_a)

    def test_rule_ordering_nothing_keeps_its_vendor(self):
        """A buyer chose vendor B for product 2, whose rule (vendor A) has nothing to order.
        Ordering it with product 1 orders product 1 only and leaves product 2's rule with
        vendor A's line; the line keeps the buyer's choice for its next order."""
        self.vendor_b.with_company(self.company).jxc_supplier_grade = "c"  # the safety stock keeps A
        self.env["product.supplierinfo"].create({
            "partner_id": self.vendor_b.id, "product_tmpl_id": self.product_2.product_tmpl_id.id,
            "price": 5.0, "delay": 2,
        })
        orderpoint_2 = self._orderpoint(self.product_2)
        rule_line = orderpoint_2.supplier_id
        self.assertEqual(rule_line.partner_id, self.vendor_a)
        plan = self.Plan._refresh(self.company)
        line_1, line_2 = self._line(plan, self.product_1), self._line(plan, self.product_2)
        line_2.with_user(self.jxc_user).vendor_id = self.vendor_b
        self.assertEqual((line_2.vendor_chosen, line_2.suggested_qty), (True, 0.0))
        (line_1 | line_2).with_user(self.jxc_user).action_create_rfq()
        self.assertEqual(self._po_lines(self.product_1).product_qty, 78.0)
        self.assertFalse(self._po_lines(self.product_2))
        self.assertEqual(orderpoint_2.supplier_id, rule_line)
        self.assertEqual((line_2.vendor_id, line_2.vendor_chosen), (self.vendor_b, True))
