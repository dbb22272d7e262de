"""Purchase plan (采购计划), stock warnings (库存预警) and the dashboard figures, on the
fixtures of safety_common.py (today 30 June 2025)."""

from datetime import date, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .safety_common import PurchasePlanCommon


@tagged("post_install", "-at_install")
class TestPurchasePlan(PurchasePlanCommon):

    def _line(self, plan, product):
        return plan.filtered(lambda line: line.product_id == product)

    def test_plan_lines(self):
        plan = self.Plan.with_user(self.jxc_user)._refresh(self.company)
        self.assertEqual(len(plan), 4)
        line = self._line(plan, self.product_1)
        self.assertEqual((line.qty_on_hand, line.qty_incoming, line.qty_position), (10.0, 0.0, 10.0))
        self.assertEqual((line.forecast_qty, line.safety_stock, line.reorder_point, line.max_qty), (45.0, 33.54, 48.0, 88.0))
        self.assertEqual(line.suggested_qty, 78.0)  # up to the max 88, in whole units
        # Best grade first: vendor B (A) at 11.0, 3 days.
        self.assertEqual((line.vendor_id, line.price_unit), (self.vendor_b, 11.0))
        self.assertEqual(line.expected_date, date(2025, 7, 3))
        self.assertAlmostEqual(line.amount, 78.0 * 11.0)
        # 10 on hand at 4.5 a day: out on 2 July, before an order could arrive (3 July).
        self.assertEqual(line.stockout_date, date(2025, 7, 2))
        self.assertTrue(line.is_stockout_risk)
        self.assertTrue(line.is_urgent)  # red, and under the Urgent filter, from the line's first refresh
        self.assertTrue(line.is_below_safety)
        line_2 = self._line(plan, self.product_2)
        # 40 received - 24 delivered = 16 above the reorder point 15: nothing to buy.
        self.assertEqual((line_2.qty_on_hand, line_2.suggested_qty), (16.0, 0.0))
        self.assertEqual(line_2.stockout_date, date(2025, 7, 20))  # 16 / 0.8 = 20 days
        self.assertFalse(line_2.is_stockout_risk or line_2.is_below_safety or line_2.is_urgent)
        line_3 = self._line(plan, self.product_3)
        self.assertEqual((line_3.suggested_qty, line_3.stockout_date), (5.0, False))
        self.assertTrue(line_3.is_below_safety)
        self.assertFalse(line_3.is_stockout_risk)
        # A pending receipt before the stock-out removes the risk.
        po = self._create_purchase(self.vendor_a, [(self.product_1, 40.0, 10.0)], date_planned="2025-07-01 04:00:00")
        line = self._line(self.Plan._refresh(self.company), self.product_1)
        self.assertEqual(line.next_receipt_date, date(2025, 7, 1))
        self.assertEqual((line.qty_incoming, line.qty_position), (40.0, 50.0))
        self.assertFalse(line.is_stockout_risk or line.is_urgent)
        self.assertEqual(line.suggested_qty, 0.0)  # 50 >= reorder point 48
        po.button_cancel()
        # One that brings too little does not: 1 unit on 1 July lasts the 10 on hand until
        # 2 July still (11 / 4.5), before an order could arrive (3 July)
        small = self._create_purchase(self.vendor_a, [(self.product_1, 1.0, 10.0)], date_planned="2025-07-01 04:00:00")
        line = self._line(self.Plan._refresh(self.company), self.product_1)
        self.assertEqual((line.next_receipt_date, line.stockout_date), (date(2025, 7, 1), date(2025, 7, 2)))
        self.assertTrue(line.is_stockout_risk and line.is_urgent)
        small.button_cancel()
        # So does one from a sister company, received from the inter-company transit location.
        sister = self.env["res.company"].create({"name": "JXC Sister Company"}).partner_id
        sister.with_company(self.company).property_stock_supplier = self.env.ref("stock.stock_location_inter_company")
        self._create_purchase(sister, [(self.product_1, 30.0, 10.0)], date_planned="2025-07-01 04:00:00")
        line = self._line(self.Plan._refresh(self.company), self.product_1)
        self.assertEqual((line.next_receipt_date, line.is_stockout_risk), (date(2025, 7, 1), False))

    def test_groups_total_values_not_quantities(self):
        """Grouped by vendor or warehouse, the plan's lines are of different products and units:
        their quantities have no total, their amounts do."""
        quantities = ["qty_on_hand", "qty_incoming", "qty_outgoing", "qty_position", "forecast_qty", "safety_stock",
                      "reorder_point", "max_qty", "suggested_qty", "demand_mean"]
        described = self.Plan.fields_get([*quantities, "amount"], ["aggregator"])
        self.assertEqual({name: described[name].get("aggregator") for name in quantities}, dict.fromkeys(quantities, False))
        self.assertEqual(described["amount"]["aggregator"], "sum")

    def test_receipts_on_their_way_push_the_stockout_back(self):
        """10 Widgets on hand at 4.5 a day, out on 2 July; 10 more received on 1 July make them
        last to 4 July (20 / 4.5), and the next receipt, 50 on 10 July, comes after that: still a
        risk, but no longer urgent, since an order placed today (vendor B, 3 days) arrives on
        3 July, before 4 July."""
        self._create_purchase(self.vendor_a, [(self.product_1, 10.0, 10.0)], date_planned="2025-07-01 04:00:00")
        self._create_purchase(self.vendor_a, [(self.product_1, 50.0, 10.0)], date_planned="2025-07-10 04:00:00")
        line = self._line(self.Plan._refresh(self.company), self.product_1)
        self.assertEqual((line.next_receipt_date, line.stockout_date, line.expected_date),
                         (date(2025, 7, 1), date(2025, 7, 4), date(2025, 7, 3)))
        self.assertTrue(line.is_stockout_risk)
        self.assertFalse(line.is_urgent)

    def test_refresh_reads_the_rules_own_stock_whatever_the_context(self):
        """4 more Widgets on a shelf inside WH/Stock: 14 on hand at the rule's location. A client
        calling the refresh with Odoo's stock keys in its context (only the quants at the
        location itself, of one owner, or the shelf alone) still stores the rule's 14 and
        Odoo's quantity to order."""
        shelf = self.env["stock.location"].create({"name": "JXC Plan Shelf", "location_id": self.stock_location.id})
        with freeze_time("2025-06-30 03:00:00"):
            self._set_on_hand(self.product_1, 4.0, shelf)
        with freeze_time("2025-06-30 04:00:00"):
            plan = self.Plan.with_user(self.jxc_user).with_context(
                strict=True, owner_id=self.vendor_a.id)._refresh(self.company)
        line = self._line(plan, self.product_1)
        self.assertEqual((line.qty_on_hand, line.qty_position, line.suggested_qty), (14.0, 14.0, 74.0))
        self.assertEqual(line.orderpoint_id.qty_to_order, 74.0)
        for context in ({"search_location": shelf.id}, {"location": shelf.id, "to_date": "2025-06-01"}):
            with freeze_time("2025-06-30 05:00:00"):
                plan = self.Plan.with_user(self.jxc_user).with_context(**context)._refresh(self.company)
            line = self._line(plan, self.product_1)
            self.assertEqual((line.qty_on_hand, line.qty_position, line.suggested_qty), (14.0, 14.0, 74.0), context)

    def test_line_without_vendor_price_at_its_company_cost(self):
        """Without a vendor price a line is priced at the product's cost in the line's company,
        whichever company the refreshing user is in."""
        other = self.env["res.company"].create({"name": "JXC Other Cost Company"})
        self.product_1.with_company(other).standard_price = 7.0
        self.assertNotEqual(self.product_1.with_company(self.company).standard_price, 7.0)
        Supplierinfo = self.env["product.supplierinfo"]
        terms = self.Plan.with_company(self.company)._prepare_vendor_terms(
            Supplierinfo, self.product_1, 3.0, other, date(2025, 7, 1))
        self.assertEqual((terms["price_unit"], terms["amount"]), (7.0, 21.0))

    def test_on_hand_at_the_rules_location(self):
        """30 Widgets picked into the warehouse's output zone (two-step delivery) are no longer
        in WH/Stock, where the rule stands: on hand 10, as Odoo's rule reads it, still below
        the safety stock."""
        output = self.warehouse.wh_output_stock_loc_id
        self.assertFalse(output._child_of(self.warehouse.lot_stock_id))
        self.env["stock.quant"]._update_available_quantity(self.product_1, output, 30)
        line = self._line(self.Plan._refresh(self.company), self.product_1)
        rule_stock = self.product_1.with_context(location=line.orderpoint_id.location_id.id).qty_available
        self.assertEqual((line.qty_on_hand, rule_stock), (10.0, 10.0))
        self.assertTrue(line.is_below_safety)

    def test_create_rfqs_grouped_by_vendor(self):
        plan = self.Plan.with_user(self.jxc_user)._refresh(self.company)
        line_1, line_3 = self._line(plan, self.product_1), self._line(plan, self.product_3)
        # The buyer switches product 1 to vendor A: 10.0, 5 days.
        line_1.vendor_id = self.vendor_a
        self.assertEqual((line_1.price_unit, line_1.expected_date), (10.0, date(2025, 7, 5)))
        action = (line_1 | line_3).action_create_rfq()
        orders = self.env["purchase.order"].browse(action["domain"][0][2])
        self.assertEqual(orders.mapped("state"), ["draft", "draft"])
        self.assertEqual(orders.partner_id, self.vendor_a | self.vendor_b)
        order_a = orders.filtered(lambda o: o.partner_id == self.vendor_a)
        self.assertEqual(order_a.order_line.product_id, self.product_1)
        self.assertEqual(order_a.order_line.product_qty, 78.0)
        self.assertEqual(order_a.order_line.price_unit, 10.0)
        order_b = orders - order_a
        self.assertEqual((order_b.order_line.product_id, order_b.order_line.product_qty), (self.product_3, 5.0))
        # The RFQs count as incoming: nothing left to buy, a second click orders nothing.
        self.assertEqual((line_1.suggested_qty, line_3.suggested_qty), (0.0, 0.0))
        self.assertEqual(line_1.qty_incoming, 78.0)
        # Nothing to order any more: said, not raised, and nothing ordered.
        action = (line_1 | line_3).action_create_rfq()
        self.assertEqual(action["params"]["title"], "Nothing to order")
        self.assertEqual(self.env["purchase.order.line"].search_count([("orderpoint_id", "in", (line_1 | line_3).orderpoint_id.ids)]), 2)

    def test_line_without_a_valid_vendor_price_is_not_ordered_alone(self):
        """The Gizmo's only price (vendor B) expired after the refresh: Create RFQs orders the
        Widgets and says the Gizmo has no vendor with a valid price. Its rule lost the vendor at
        the expiry (no line is valid) and orders nothing until a price is valid again."""
        plan = self.Plan.with_user(self.jxc_user)._refresh(self.company)
        line_1, line_3 = self._line(plan, self.product_1), self._line(plan, self.product_3)
        self.assertEqual(line_3.suggested_qty, 5.0)
        self.assertTrue(line_3.orderpoint_id.supplier_id)
        self.product_3.seller_ids.date_end = date(2025, 6, 29)
        self.env.cr.flush()
        rule_vendor = line_3.orderpoint_id.supplier_id
        self.assertFalse(rule_vendor)
        action = (line_1 | line_3).action_create_rfq()
        self.assertEqual(action["params"]["title"], "Some lines had nothing to order")
        self.assertIn("Nothing ordered for [JXC-003] JXC Gizmo: no vendor has a valid price", action["params"]["message"])
        orders = self.env["purchase.order"].browse(action["params"]["next"]["domain"][0][2])
        self.assertEqual(orders.order_line.product_id, self.product_1)
        self.assertFalse(self.env["purchase.order.line"].search([("product_id", "=", self.product_3.id)]))
        self.assertEqual(line_3.orderpoint_id.supplier_id, rule_vendor)

    def test_buy_route_given_for_the_order_is_the_systems(self):
        """A rule the update left without vendor and route (no vendor price then): Create RFQs
        gives it the line's vendor, and purchase_stock's inverse the Buy route. That route is
        set for the order, as the update sets it, not chosen by a buyer: the update drops it
        once another warehouse resupplies this one (``test_planning_resupply``)."""
        plan = self.Plan.with_user(self.jxc_user)._refresh(self.company)
        line_3 = self._line(plan, self.product_3)
        rule = line_3.orderpoint_id
        rule.sudo().write({"supplier_id": False, "route_id": False, "jxc_buy_route_auto": False})
        line_3.with_user(self.jxc_user).action_create_rfq()
        self.assertEqual(rule.supplier_id.partner_id, self.vendor_b)
        self.assertEqual(rule.route_id.rule_ids.mapped("action"), ["buy"])
        self.assertTrue(rule.jxc_buy_route_auto)

    def test_rule_vendor_at_risk_since_the_update(self):
        """The update gave product 1's rule vendor B; B is then put at risk and the company
        blocks: the plan proposes vendor A (an RFQ to B could not be confirmed by the buyer and
        would count as on order), Create RFQs orders from A and the rule follows. A buyer who
        chooses B keeps B."""
        plan = self.Plan.with_user(self.jxc_user)._refresh(self.company)
        line_1 = self._line(plan, self.product_1)
        self.assertEqual((line_1.vendor_id, line_1.orderpoint_id.supplier_id.partner_id), (self.vendor_b, self.vendor_b))
        self.company.jxc_supplier_risk_action = "block"
        self.vendor_b.with_company(self.company).sudo().jxc_supplier_risk = True
        changes = self.env["jxc.purchase.plan.change"]._read(self.company, None)
        self.assertIn(self.product_1.id, {product_id for _id, product_id in changes})
        line_1 = self._line(self.Plan.with_user(self.jxc_user)._refresh(self.company), self.product_1)
        self.assertEqual(line_1.vendor_id, self.vendor_a)
        orders = self.env["purchase.order"].browse(line_1.action_create_rfq()["domain"][0][2])
        self.assertEqual((orders.partner_id, line_1.orderpoint_id.supplier_id.partner_id), (self.vendor_a, self.vendor_a))
        line_3 = self._line(plan, self.product_3)
        self.assertEqual(line_3.vendor_id, self.vendor_b)  # B is its only vendor: still proposed
        line_3.vendor_id = self.vendor_b
        self.assertTrue(line_3.vendor_chosen)
        # but not ordered by a buyer who could not confirm it (the RFQ would count as on order)
        action = line_3.with_user(self.jxc_user).action_create_rfq()
        self.assertIn("Nothing ordered for [JXC-003] JXC Gizmo: their vendors (JXC Vendor B) are at risk",
                      action["params"]["message"])
        self.assertFalse(self.env["purchase.order.line"].search([("product_id", "=", self.product_3.id)]))
        self.assertEqual(line_3.orderpoint_id.supplier_id.partner_id, self.vendor_b)
        # a purchase manager may override the block at confirmation: ordered
        self.jxc_user.group_ids += self.env.ref("purchase.group_purchase_manager")
        line_3.with_user(self.jxc_user).action_create_rfq()
        self.assertEqual(self.env["purchase.order.line"].search([("product_id", "=", self.product_3.id)]).partner_id,
                         self.vendor_b)

    def test_locked_rule_keeps_its_vendor_at_risk(self):
        """Product 1's rule, locked by a buyer with vendor B; B is then put at risk where the
        company blocks. The plan proposes vendor A for this order and Create RFQs orders from A,
        but the locked rule keeps B: a lock is the buyer's, changed only by a vendor a buyer
        chooses on the line."""
        plan = self.Plan.with_user(self.jxc_user)._refresh(self.company)
        rule = self._line(plan, self.product_1).orderpoint_id
        rule.with_user(self.jxc_user).action_jxc_lock()
        self.company.jxc_supplier_risk_action = "block"
        self.vendor_b.with_company(self.company).sudo().jxc_supplier_risk = True
        line_1 = self._line(self.Plan.with_user(self.jxc_user)._refresh(self.company), self.product_1)
        self.assertEqual((line_1.vendor_id, line_1.vendor_chosen, rule.supplier_id.partner_id),
                         (self.vendor_a, False, self.vendor_b))
        orders = self.env["purchase.order"].browse(line_1.action_create_rfq()["domain"][0][2])
        self.assertEqual((orders.partner_id, rule.supplier_id.partner_id, rule.jxc_locked),
                         (self.vendor_a, self.vendor_b, True))

    def test_new_line_of_a_rule_vendor_at_risk(self):
        """Vendor B is at risk where the company blocks before the plan's first refresh: product
        1's rule gets vendor A, who sells by the dozen (120.00 a dozen), at the plan's refresh
        (Odoo's scheduler orders the rule from its own vendor: not from B, whose RFQ the buyers
        could not confirm): Odoo's quantity with A, 78 rounded up to 7 dozen (84 at 10.00,
        840.00), what the line shows and Create RFQs orders."""
        dozen = self.env.ref("uom.product_uom_dozen")
        dozen.active = True
        self.product_1.seller_ids.filtered(lambda line: line.partner_id == self.vendor_a).write(
            {"product_uom_id": dozen.id, "price": 120.0})
        self.company.jxc_supplier_risk_action = "block"
        self.vendor_b.with_company(self.company).sudo().jxc_supplier_risk = True
        line_1 = self._line(self.Plan.with_user(self.jxc_user)._refresh(self.company), self.product_1)
        self.assertEqual((line_1.orderpoint_id.supplier_id.partner_id, line_1.orderpoint_id.qty_to_order),
                         (self.vendor_a, 84.0))
        self.assertFalse(line_1.preview_deadline_date)
        self.assertEqual((line_1.vendor_id, line_1.suggested_qty, line_1.price_unit, line_1.amount),
                         (self.vendor_a, 84.0, 10.0, 840.0))
        orders = self.env["purchase.order"].browse(line_1.action_create_rfq()["domain"][0][2])
        self.assertEqual((orders.partner_id, orders.order_line.product_qty, orders.order_line.product_uom_id),
                         (self.vendor_a, 7.0, dozen))

    def test_stockout_counts_the_deliveries_due_not_later_ones(self):
        """The Gadget: 16 on hand at 0.8 a day, out on 20 July, no risk. A sale of 15 due on 29
        August is no stock-out tomorrow: it is outgoing (Outgoing 15), the average
        demand stands for it, the line stays as it was. A sale of 15 due today leaves 1: out
        tomorrow, before an order could arrive, a risk."""
        later = self._create_sale(self.customer_a, [(self.product_2, 15.0, 20.0)], confirm=False)
        later.commitment_date = "2025-08-29 04:00:00"
        later.action_confirm()
        line = self._line(self.Plan._refresh(self.company), self.product_2)
        self.assertEqual((line.qty_on_hand, line.qty_outgoing, line.stockout_date), (16.0, 15.0, date(2025, 7, 20)))
        self.assertFalse(line.is_stockout_risk or line.is_urgent)
        today = self._create_sale(self.customer_a, [(self.product_2, 15.0, 20.0)], confirm=False)
        today.commitment_date = "2025-06-30 06:00:00"
        today.action_confirm()
        line = self._line(self.Plan._refresh(self.company), self.product_2)
        self.assertEqual((line.qty_outgoing, line.stockout_date), (30.0, date(2025, 7, 1)))
        self.assertTrue(line.is_stockout_risk and line.is_urgent)

    def test_deadline_of_the_lines_vendor(self):
        """The Gadget's rule orders from vendor A (5 days); 16 on hand, minimum 15, and a
        delivery of 10 on 25 July takes it below. Odoo's deadline with A is 25 July less A's
        lead days, the line's too. A buyer who chooses vendor B (12 days) sees Odoo's deadline
        with B on the rule, 7 days earlier, while the rule keeps A (and its deadline) until
        ordered."""
        # graded below A: the rule's update at B's new line keeps A
        self.vendor_b.with_company(self.company).jxc_supplier_grade = "c"
        self.env["product.supplierinfo"].create({
            "partner_id": self.vendor_b.id, "product_tmpl_id": self.product_2.product_tmpl_id.id,
            "price": 9.0, "delay": 12,
        })
        order = self._create_sale(self.customer_a, [(self.product_2, 10.0, 20.0)], confirm=False)
        order.commitment_date = "2025-07-25 04:00:00"
        order.action_confirm()
        plan = self.Plan.with_user(self.jxc_user)._refresh(self.company)
        line_2 = self._line(plan, self.product_2)
        rule = line_2.orderpoint_id
        self.assertEqual((line_2.vendor_id, rule.supplier_id.partner_id), (self.vendor_a, self.vendor_a))
        self.assertEqual(rule.deadline_date, date(2025, 7, 25) - timedelta(days=rule.lead_days))
        self.assertEqual(line_2.deadline_date, rule.deadline_date)
        deadline_a = rule.deadline_date
        line_2.vendor_id = self.vendor_b  # the line as the buyer (jxc_user) refreshed it
        self.assertEqual((rule.supplier_id.partner_id, rule.deadline_date), (self.vendor_a, deadline_a))
        self.assertEqual(line_2.deadline_date, deadline_a - timedelta(days=7))
        # Odoo's own figure with B on the rule
        rule.sudo().supplier_id = self.product_2.seller_ids.filtered(lambda s: s.partner_id == self.vendor_b)
        self.Plan._recompute_quantities_to_order(rule.sudo())
        self.assertEqual(rule.deadline_date, line_2.deadline_date)

    def test_vendor_whose_lead_time_covers_the_rule_orders_nothing(self):
        """The Gadget's rule orders from vendor B (12 days): a delivery of 10 on 10 July takes its
        16 below the minimum 15 within B's lead time. The buyer chooses vendor A (5 days): with A on
        the rule Odoo orders nothing (10 July is beyond A's lead time), so Create RFQs orders
        nothing, says the stock covers the rule (no limit of the plan's), and the rule keeps B."""
        self.company.horizon_days = 0  # Odoo's forecast up to the lead time alone
        self.vendor_b.with_company(self.company).jxc_supplier_grade = "c"  # the safety stock keeps A
        seller_b = self.env["product.supplierinfo"].create({
            "partner_id": self.vendor_b.id, "product_tmpl_id": self.product_2.product_tmpl_id.id,
            "price": 9.0, "delay": 12,
        })
        order = self._create_sale(self.customer_a, [(self.product_2, 10.0, 20.0)], confirm=False)
        order.commitment_date = "2025-07-10 04:00:00"
        order.action_confirm()
        self.Plan.with_user(self.jxc_user)._refresh(self.company)
        rule = self._orderpoint(self.product_2)
        rule.sudo().supplier_id = seller_b
        line_2 = self._line(self.Plan.with_user(self.jxc_user)._refresh(self.company), self.product_2)
        self.assertEqual(line_2.vendor_id, self.vendor_b)
        self.assertGreater(line_2.suggested_qty, 0.0)
        line_2.vendor_id = self.vendor_a
        action = line_2.with_user(self.jxc_user).action_create_rfq()
        self.assertEqual(action["params"]["message"], (
            "Nothing ordered for [JXC-002] JXC Gadget: the stock on hand and on order already covers their "
            "reordering rules (quantity to order 0). The plan lines are refreshed."))
        self.assertEqual(rule.supplier_id, seller_b)
        self.assertFalse(self.env["purchase.order.line"].search([("orderpoint_id", "=", rule.id)]))

    def test_rfq_list_shows_what_was_ordered_now(self):
        """78 Widgets ordered from vendor B; then the rule is raised to 100-150: the buyer orders
        the 62 more (150 - 10 on hand - 78 on order) from vendor A. The list shown is A's RFQ
        alone, not B's still open one."""
        plan = self.Plan.with_user(self.jxc_user)._refresh(self.company)
        line_1 = self._line(plan, self.product_1)
        first = self.env["purchase.order"].browse(line_1.action_create_rfq()["domain"][0][2])
        self.assertEqual((first.partner_id, first.order_line.product_qty), (self.vendor_b, 78.0))
        line_1.orderpoint_id.sudo().write({"product_min_qty": 100.0, "product_max_qty": 150.0})
        line_1 = self._line(self.Plan.with_user(self.jxc_user)._refresh(self.company), self.product_1)
        self.assertEqual(line_1.suggested_qty, 62.0)
        line_1.vendor_id = self.vendor_a
        second = self.env["purchase.order"].browse(line_1.action_create_rfq()["domain"][0][2])
        self.assertEqual((second.partner_id, second.order_line.product_qty), (self.vendor_a, 62.0))
        self.assertEqual(first.state, "draft")

    def test_rfq_merges_into_open_rfq_of_the_vendor(self):
        plan = self.Plan._refresh(self.company)
        self._line(plan, self.product_3).with_user(self.jxc_user).action_create_rfq()
        order = self.env["purchase.order"].search([("partner_id", "=", self.vendor_b.id), ("state", "=", "draft")])
        self.assertEqual(len(order), 1)
        self._line(plan, self.product_1).with_user(self.jxc_user).action_create_rfq()
        order_after = self.env["purchase.order"].search([("partner_id", "=", self.vendor_b.id), ("state", "=", "draft")])
        self.assertEqual(order_after, order)
        self.assertEqual(order.order_line.product_id, self.product_1 | self.product_3)

    def test_vendor_switched_to_one_with_a_minimum(self):
        """The buyer switches product 1 (78 to order) to a vendor selling only from 100 at 8.00:
        as Odoo's own vendor choice in its replenishment, the order is raised to the vendor's
        minimum and priced at its line."""
        vendor_c = self.env["res.partner"].create({"name": "JXC Vendor C", "supplier_rank": 1})
        self.env["product.supplierinfo"].create({
            "partner_id": vendor_c.id, "product_tmpl_id": self.product_1.product_tmpl_id.id,
            "min_qty": 100.0, "price": 8.0, "delay": 4,
        })
        plan = self.Plan.with_user(self.jxc_user)._refresh(self.company)
        line_1 = self._line(plan, self.product_1)
        line_1.vendor_id = vendor_c
        action = line_1.action_create_rfq()
        order = self.env["purchase.order"].browse(action["domain"][0][2])
        self.assertEqual(order.partner_id, vendor_c)
        self.assertEqual((order.order_line.product_qty, order.order_line.price_unit), (100.0, 8.0))

    def test_overstock_and_dashboard(self):
        self.company.jxc_overstock_days = 3
        plan = self.Plan._refresh(self.company)
        line_4 = self._line(plan, self.product_4)
        # 200 - 75 delivered = 125 above the max 83 since today: not yet overstock.
        self.assertEqual(line_4.overstock_since, date(2025, 6, 30))
        self.assertFalse(line_4.is_overstock)
        with freeze_time("2025-07-03 04:00:00"):
            plan = self.Plan._refresh(self.company)
        line_4 = self._line(plan, self.product_4)
        self.assertTrue(line_4.is_overstock)
        self.assertEqual(line_4.overstock_value, (125.0 - 83.0) * 20.0)
        kpis = {k["key"]: k for k in self.Plan._get_jxc_dashboard_kpis(self.company, date(2025, 7, 1), date(2025, 8, 1))}
        self.assertEqual(kpis["jxc_below_safety_stock"]["value"], 2.0)  # products 1 and 3
        self.assertEqual(kpis["jxc_projected_stockouts"]["value"], 1.0)  # product 1
        self.assertEqual(kpis["jxc_overstock_value"]["value"], 840.0)
        for kpi in kpis.values():
            domain = self.Plan._get_warning_domain(self.company, self.Plan._get_warnings()[kpi["key"]][2])
            records = self.Plan.with_user(self.jxc_manager).search(domain)
            value = sum(records.mapped("overstock_value")) if kpi["type"] == "monetary" else len(records)
            self.assertEqual(value, kpi["value"], kpi["key"])
        self.assertEqual(
            self.Plan.search(self.Plan._get_warning_domain(self.company, "is_below_safety")).product_id,
            self.product_1 | self.product_3,
        )
        # Back under the max: the overstock clock stops.
        self.env["stock.quant"]._update_available_quantity(self.product_4, self.stock_location, -100.0)
        line_4 = self._line(self.Plan._refresh(self.company), self.product_4)
        self.assertFalse(line_4.overstock_since or line_4.is_overstock)
        # 100 on a shelf of the stock consigned by vendor B: 125 on hand, 42 above the max, of
        # which the company owns 25 (all its own stock), worth 25 x 20
        shelf = self.env["stock.location"].create({"name": "JXC Shelf", "location_id": self.stock_location.id})
        self.env["stock.quant"]._update_available_quantity(self.product_4, shelf, 100.0, owner_id=self.vendor_b)
        line_4 = self._line(self.Plan._refresh(self.company), self.product_4)
        self.assertEqual((line_4.qty_on_hand, line_4.overstock_value), (125.0, 25.0 * 20.0))

    @freeze_time("2025-06-30 04:00:00")
    def test_daily_digest_for_the_buyer(self):
        Digest = self.env["jxc.stock.warning.digest"]
        self.vendor_b.buyer_id = self.jxc_user
        self.Plan._cron_refresh()
        digests = Digest.search([("company_id", "=", self.company.id)])
        self.assertEqual(digests.user_id, self.jxc_user)
        self.assertEqual(digests.line_ids.product_id, self.product_1 | self.product_3)
        self.assertEqual((digests.below_count, digests.stockout_count, digests.overstock_count), (2, 1, 0))
        self.assertEqual(digests.activity_ids.user_id, self.jxc_user)
        self.assertEqual(digests.activity_ids.summary, "Stock warnings: 2 below safety stock, 1 stock-outs, 0 overstock")
        self.Plan._cron_refresh()
        self.assertEqual(Digest.search([("company_id", "=", self.company.id)]), digests)
        self.assertEqual(len(digests.activity_ids), 1)
        self.assertEqual(len(digests.with_user(self.jxc_user).action_open_lines()["domain"][0][2]), 2)
        # The next day's digest closes yesterday's to-do: one open to-do per buyer.
        with freeze_time("2025-07-01 04:00:00"):
            self.Plan._cron_refresh()
        today = Digest.search([("company_id", "=", self.company.id), ("date", "=", date(2025, 7, 1))])
        self.assertEqual((today.user_id, len(today.activity_ids)), (self.jxc_user, 1))
        self.assertFalse(digests.activity_ids)
        # The warnings handed to another buyer the same day: the first one's digest empties.
        self.vendor_b.buyer_id = self.jxc_manager
        with freeze_time("2025-07-01 09:00:00"):
            self.Plan._cron_refresh()
        self.assertEqual((today.line_ids, today.below_count, today.activity_ids), (self.Plan, 0, self.env["mail.activity"]))
        managers = Digest.search([("date", "=", date(2025, 7, 1)), ("user_id", "=", self.jxc_manager.id)])
        self.assertEqual(managers.line_ids.product_id, self.product_1 | self.product_3)

    @freeze_time("2025-06-30 04:00:00")
    def test_digest_for_a_buyer_outside_the_add_on(self):
        """A vendor's buyer who may not open the add-on's screens: the company's manager gets the digest."""
        clerk = new_test_user(self.env, login="jxc_digest_clerk", groups="base.group_user",
                              company_id=self.company.id, company_ids=[self.company.id])
        self.vendor_b.buyer_id = clerk
        self.Plan._cron_refresh()
        digests = self.env["jxc.stock.warning.digest"].search([("company_id", "=", self.company.id)])
        self.assertNotIn(clerk, digests.user_id)
        # nor a buyer who works for another company only
        other = self.env["res.company"].create({"name": "JXC Digest Other Co"})
        outsider = new_test_user(self.env, login="jxc_digest_outsider", groups="jxc_addon.group_jxc_user",
                                 company_id=other.id, company_ids=[other.id])
        self.vendor_b.buyer_id = outsider
        with freeze_time("2025-07-01 04:00:00"):
            self.Plan._cron_refresh()
        self.assertNotIn(outsider, self.env["jxc.stock.warning.digest"].search([]).user_id)
        self.assertTrue(digests.user_id)
        self.assertTrue(all(user.has_group("jxc_addon.group_jxc_manager") for user in digests.user_id))

    def test_screens_load_for_buyers(self):
        for xmlid in (
            "jxc_addon.jxc_purchase_plan_action", "jxc_addon.jxc_purchase_plan_action_warnings",
            "jxc_addon.jxc_stock_warning_digest_action", "jxc_addon.stock_warehouse_orderpoint_jxc_action",
            "jxc_addon.jxc_safety_stock_rule_action", "jxc_addon.jxc_safety_stock_log_action",
        ):
            action = self.env.ref(xmlid)
            for user in (self.jxc_user, self.jxc_manager):
                model = self.env[action.res_model].with_user(user)
                views = model.get_views([(False, mode) for mode in action.view_mode.split(",")] + [(False, "search")])
                self.assertTrue(views["views"], xmlid)
                model.search_read([], list(views["models"][action.res_model]["fields"]), limit=5)
        # Cost figures stay hidden from buyers.
        arch = self.Plan.with_user(self.jxc_user).get_views([(False, "list")])["views"]["list"]["arch"]
        self.assertNotIn("overstock_value", arch)
        self.assertIn("overstock_value", self.Plan.with_user(self.jxc_manager).get_views([(False, "list")])["views"]["list"]["arch"])
        self.assertIn("jxc_safety_stock_rule_id", self.env["product.product"].with_user(self.jxc_user).get_views([(False, "form")])["views"]["form"]["arch"])

    def test_access_and_companies(self):
        plan = self.Plan._refresh(self.company)
        with self.assertRaises(AccessError):
            self.Plan.with_user(self.plain_user).search([])
        with self.assertRaises(AccessError):
            self.Plan.with_user(self.plain_user)._refresh(self.company)
        with self.assertRaises(AccessError):
            self.Plan.with_user(self.jxc_user).create({"orderpoint_id": plan[0].orderpoint_id.id, "company_id": self.company.id})
        self.assertEqual(len(self.Plan.with_user(self.jxc_user).search([])), 4)
        with self.assertRaises(AccessError):
            plan[0].with_user(self.jxc_user).suggested_qty = 1000.0
        with self.assertRaises(AccessError):
            self._line(plan, self.product_1).with_user(self.plain_user).action_create_rfq()
        other = self.env["res.company"].create({"name": "JXC Plan Other Co"})
        other_user = self.env["res.users"].create({
            "name": "Other Plan Buyer", "login": "jxc_other_plan", "company_id": other.id, "company_ids": [(6, 0, other.ids)],
            "group_ids": [(6, 0, [self.env.ref("jxc_addon.group_jxc_manager").id, self.env.ref("purchase.group_purchase_user").id])],
        })
        self.assertFalse(self.Plan.with_user(other_user).search([]))
        self.assertFalse(self.env["jxc.stock.warning.digest"].with_user(other_user).search([]))
        with self.assertRaises(AccessError):
            plan.with_user(other_user).read(["suggested_qty"])
        kpis = self.Plan._get_jxc_dashboard_kpis(other, date(2025, 6, 1), date(2025, 7, 1))
        self.assertEqual([k["value"] for k in kpis], [0.0, 0.0, 0.0])
