from datetime import date

from freezegun import freeze_time
from lxml import etree

from odoo.tests import Form, tagged

from .common import JxcExpiryCommon


@tagged("post_install", "-at_install")
class TestPurchasePlanShelfLife(JxcExpiryCommon):
    """The plan does not suggest buying what would expire before it can be sold."""

    def _plan_line(self, fixed_qty):
        with freeze_time("2025-04-01 04:00:00"):
            self.env["jxc.safety.stock.rule"].create({
                "name": "Dairy", "categ_id": self.dairy.id, "method": "fixed", "fixed_qty": fixed_qty,
                "history_days": 60, "review_days": 7,
            })
            self.env["stock.warehouse.orderpoint"]._jxc_update_orderpoints(self.company)
            lines = self.env["jxc.purchase.plan"]._refresh(self.company)
        line = lines.filtered(lambda line: line.product_id == self.yogurt and line.warehouse_id == self.warehouse)
        self.assertEqual(len(line), 1)
        return line

    def test_stock_expiring_unsold_is_not_counted(self):
        # 80 in WH at a demand of 20 in 60 days (1/3 a day) would last 240 days, but the lot
        # expires within Odoo's horizon: product_expiry leaves it out of Odoo's own forecast, so
        # the rule orders, and the plan caps the buy at what sells within a new lot's 100 days
        # of shelf life: 100 x 1/3 = 33.33, whole units rounded down: 33
        line = self._plan_line(100.0)
        self.assertEqual(line.qty_on_hand, 80.0)
        self.assertEqual(line.qty_position, 0.0)
        self.assertGreater(line.reorder_point, line.qty_position)
        self.assertAlmostEqual(line.demand_mean, 20 / 60, places=4)
        self.assertEqual((line.is_shelf_life_capped, line.shelf_life_limit_qty), (True, 33.0))
        self.assertEqual(line.suggested_qty, 33.0)
        self.assertAlmostEqual(line.amount, 33.0 * line.price_unit, places=2)
        # Expiration dates switched off: the line is refreshed uncapped, and shows no cap.
        self.yogurt.use_expiration_date = False
        with freeze_time("2025-04-01 04:00:00"):
            self.env["jxc.purchase.plan"]._refresh(self.company)
        self.assertEqual((line.is_shelf_life_capped, line.shelf_life_limit_qty), (False, 0.0))
        self.assertGreater(line.suggested_qty, 33.0)

    def test_corrected_expiry_reaches_the_opened_plan(self):
        """A lot's expiry corrected on its form, or the product's shelf life changed: Odoo's
        forecast changes at once, and the plan opened next refreshes the product's line (its
        changes noted), not at the first refresh after the company's midnight."""
        line = self._plan_line(100.0)
        self.assertEqual(line.qty_position, 0.0)
        Change = self.env["jxc.purchase.plan.change"]
        Change._forget([change_id for change_id, _product in Change._read(self.company)])
        for lot in self.lot_a | self.lot_b:  # on the lot's form, whose removal date follows
            with Form(lot) as form:
                form.expiration_date = "2026-12-31 04:00:00"
        self.assertEqual({product for _id, product in Change._read(self.company)}, {self.yogurt.id})
        with freeze_time("2025-04-01 04:00:00"):
            self.env["jxc.purchase.plan"]._refresh_changed(self.company)
        self.assertEqual(line.qty_position, line.orderpoint_id.qty_forecast)
        self.assertGreater(line.qty_position, 0.0)
        self.assertFalse(Change._read(self.company))
        self.yogurt.removal_time = 10
        self.assertEqual({product for _id, product in Change._read(self.company)}, {self.yogurt.id})

    def test_suggestion_capped_at_the_demand_over_the_shelf_life(self):
        with freeze_time("2025-03-31 04:00:00"):
            self._deliver(self._create_sale(self.customer_a, [(self.yogurt, 80, 5.0)]))
        # 100 delivered in 60 days; nothing left in WH: a new lot sells from its arrival for
        # its 100 days of shelf life, 100 / 60 x 100 = 166.67 units, of which 166 whole ones
        line = self._plan_line(400.0)
        self.assertEqual(line.qty_position, 0.0)
        self.assertAlmostEqual(line.demand_mean, 100 / 60, places=4)
        limit = 166.0
        self.assertGreater(line.max_qty, limit)  # the rule alone would buy more than can be sold
        self.assertEqual(line.shelf_life_limit_qty, limit)
        self.assertEqual(line.suggested_qty, limit)
        self.assertAlmostEqual(line.amount, limit * line.price_unit, places=2)

    def test_rfq_orders_the_capped_quantity(self):
        """Create RFQs orders the 166 that sell before expiry, which is also the rule's own
        quantity to order in Odoo (its replenishment report and scheduler), not the 400 the
        rule's maximum alone would buy."""
        with freeze_time("2025-03-31 04:00:00"):
            self._deliver(self._create_sale(self.customer_a, [(self.yogurt, 80, 5.0)]))
        line = self._plan_line(400.0)
        orderpoint = line.orderpoint_id
        self.assertEqual((orderpoint.qty_to_order, line.suggested_qty), (166.0, 166.0))
        self.assertGreater(orderpoint.product_max_qty - orderpoint.qty_forecast, 166.0)
        with freeze_time("2025-04-01 04:00:00"):
            line.action_create_rfq()
        rfq_line = self.env["purchase.order.line"].search([("orderpoint_id", "=", orderpoint.id)])
        self.assertEqual((rfq_line.product_qty, rfq_line.order_id.state), (166.0, "draft"))
        self.assertEqual(orderpoint.qty_to_order_manual, 0.0)
        # the 166 on order arrive tomorrow with the next lot and sell out in 99.6 days from
        # then: a lot arriving tomorrow has 0.4 days of its 100 left, 0.67 units, no whole one
        self.assertEqual((line.qty_position, line.qty_on_hand, line.suggested_qty), (166.0, 0.0, 0.0))
        self.assertEqual(line.shelf_life_limit_qty, 0.0)
        self.assertEqual(orderpoint.qty_to_order, 0.0)  # nor does Odoo's scheduler buy more
        # a second click orders nothing more: the order already holds what sells before expiry
        with freeze_time("2025-04-01 04:00:00"):
            line.action_create_rfq()
        rfq_line = self.env["purchase.order.line"].search([("orderpoint_id", "=", orderpoint.id)])
        self.assertEqual(rfq_line.product_qty, 166.0)

    def test_rfq_keeps_the_cap_below_the_vendors_minimum(self):
        """The vendor sells from 200: the line shows the 166 that sell before expiry, and
        Create RFQs orders those 166, not the vendor's 200 of which 34 would expire unsold, at
        the vendor's price the line shows (2.00): Odoo finds no price line for 166 and would
        leave the RFQ line at 0, its receipt valued at 0. So does Odoo's scheduler adding to
        that RFQ line."""
        with freeze_time("2025-03-31 04:00:00"):
            self._deliver(self._create_sale(self.customer_a, [(self.yogurt, 80, 5.0)]))
        self.yogurt.seller_ids.min_qty = 200.0
        line = self._plan_line(400.0)
        self.assertEqual((line.suggested_qty, line.shelf_life_limit_qty), (166.0, 166.0))
        self.assertEqual((line.vendor_id, line.price_unit, line.amount), (self.vendor_a, 2.0, 332.0))
        with freeze_time("2025-04-01 04:00:00"):
            line.action_create_rfq()
        rfq_line = self.env["purchase.order.line"].search([("orderpoint_id", "=", line.orderpoint_id.id)])
        self.assertEqual((rfq_line.product_qty, rfq_line.price_unit, rfq_line.price_subtotal), (166.0, 2.0, 332.0))
        # 10 more added to the line, still below the 200
        seller = self.yogurt.seller_ids.filtered(lambda seller: seller.partner_id == self.vendor_a)
        update = self.env["stock.rule"]._update_purchase_order_line(
            self.yogurt, 10.0, self.yogurt.uom_id, self.company,
            {"supplier": seller, "orderpoint_id": line.orderpoint_id}, rfq_line)
        self.assertEqual((update["product_qty"], update["price_unit"]), (176.0, 2.0))
        # a rule the safety stock does not manage is left to Odoo
        line.orderpoint_id.sudo().jxc_rule_id = False
        update = self.env["stock.rule"]._update_purchase_order_line(
            self.yogurt, 10.0, self.yogurt.uom_id, self.company,
            {"supplier": seller, "orderpoint_id": line.orderpoint_id}, rfq_line)
        self.assertEqual(update["price_unit"], 0.0)

    def test_stock_on_hand_sells_before_the_order_arrives(self):
        """Of the stock in position, what is on hand sells from today and what is on order
        from its arrival, so a lot ordered now starts selling after both."""
        line = self._plan_line(400.0)
        # half a unit a day; a lot arriving in 2 days sells for its 100 days
        line.write({"demand_mean": 0.5, "expected_date": "2025-04-03"})
        today = date(2025, 4, 1)
        # on hand only: 30 last 60 days, 58 from the arrival: 42 days x 0.5 = 21
        self.assertEqual(line._get_shelf_life_limit(30.0, 30.0, today), 21.0)
        # 3 on hand last 6 days, the 27 on order sell from then on: as the 30 on hand
        self.assertEqual(line._get_shelf_life_limit(30.0, 3.0, today), 21.0)
        # nothing on hand: the 27 on order sell for 54 days from the arrival, 46 days x 0.5 = 23
        # (not 24, as if they sold from today)
        self.assertEqual(line._get_shelf_life_limit(27.0, 0.0, today), 23.0)
        # 0.5 on hand, sold out the next day, before the arrival: as nothing on hand
        self.assertEqual(line._get_shelf_life_limit(27.5, 0.5, today), 23.0)
        # on hand beyond the position (orders to deliver take the rest): the position sells from today
        self.assertEqual(line._get_shelf_life_limit(3.0, 80.0, today), 48.0)

    def test_waiting_customers_are_served_first(self):
        """50 units owed to customers (position -50): the new lot arriving in 2 days serves them
        on arrival, then sells for its 100 days at half a unit a day: 50 + 50 = 100 (not 50)."""
        line = self._plan_line(400.0)
        line.write({"demand_mean": 0.5, "expected_date": "2025-04-03"})
        self.assertEqual(line._get_shelf_life_limit(-50.0, 0.0, date(2025, 4, 1)), 100.0)

    def test_expired_stock_on_hand_sells_nothing(self):
        """The 80 in WH leave sale within the rule's horizon: product_expiry keeps them out of the
        position, and they sell nothing from today either. With 100 on order arriving in 30 days
        at 1 a day, those sell until day 130, when a lot bought now (arriving the same day, 100
        days of shelf life) is removed: nothing to buy (counting the 80 as selling from today,
        30 would be bought and expire)."""
        line = self._plan_line(100.0)
        with freeze_time("2025-04-01 04:00:00"):
            line.write({"demand_mean": 1.0, "expected_date": "2025-05-01", "qty_position": 100.0})
            self.env["jxc.purchase.plan"]._apply_shelf_life_limit(line, self.company)
            self.assertEqual((line.qty_on_hand, line.shelf_life_limit_qty, line.suggested_qty), (80.0, 0.0, 0.0))
            self.assertEqual(line.orderpoint_id._jxc_get_unsellable_qty(), 80.0)

    def test_cap_in_kilograms_keeps_its_fraction(self):
        """Cheese sold by the kg at 0.3 kg a day, sellable 3 days: 0.9 kg, not 0."""
        cheese = self.yogurt.product_tmpl_id.copy({"name": "JXC Cheese", "uom_id": self.env.ref("uom.product_uom_kgm").id,
                                                   "expiration_time": 3})
        self.assertEqual(cheese._jxc_get_shelf_life_limit(0.3, 0, 0.0, 0.0), 0.9)
        self.assertEqual(self.yogurt.product_tmpl_id._jxc_get_shelf_life_limit(0.3, 0, 0.0, 0.0), 30.0)

    def _dairy_rule(self):
        """The yogurt's reordering rule of a days-of-cover rule reviewed every 200 days, computed
        on 1 April after 80 delivered on 31 March (100 in the 60 days of history)."""
        with freeze_time("2025-03-31 04:00:00"):
            self._deliver(self._create_sale(self.customer_a, [(self.yogurt, 80, 5.0)]))
        with freeze_time("2025-04-01 04:00:00"):
            self.env["jxc.safety.stock.rule"].create({
                "name": "Dairy", "categ_id": self.dairy.id, "method": "days", "cover_days": 5.0,
                "history_days": 60, "review_days": 200,
            })
            self.env["stock.warehouse.orderpoint"]._jxc_update_orderpoints(self.company)
            return self.env["stock.warehouse.orderpoint"].search([
                ("product_id", "=", self.yogurt.id), ("warehouse_id", "=", self.warehouse.id)])

    def test_rule_maximum_within_the_shelf_life(self):
        """A days-of-cover rule reviewed every 200 days would keep up to 345; at
        100 / 60 a day, 1 day of lead time and 100 of shelf life sell 168.33: the rule's
        maximum is 168. With nothing on hand, a lot arriving tomorrow sells 166.67 in its
        100 days: Odoo's own scheduler orders 166, as the plan suggests."""
        orderpoint = self._dairy_rule()
        with freeze_time("2025-04-01 04:00:00"):
            self.assertEqual((orderpoint.jxc_lead_time, orderpoint.product_min_qty), (1.0, 11.0))
            self.assertEqual(orderpoint.product_max_qty, 168.0)
            self.assertEqual((orderpoint.qty_forecast, orderpoint.lead_days), (0.0, 1.0))
            self.assertEqual((orderpoint.qty_to_order_computed, orderpoint.qty_to_order), (166.0, 166.0))
            orderpoint._procure_orderpoint_confirm(company_id=self.company)
        rfq_line = self.env["purchase.order.line"].search([("orderpoint_id", "=", orderpoint.id)])
        self.assertEqual(rfq_line.product_qty, 166.0)

    def test_rules_the_safety_stock_does_not_manage_keep_odoos_quantity(self):
        """A buyer's own rule of the yogurt (at a shelf of the stock, beside the managed one)
        orders what Odoo computes: its maximum less the forecast, 400, uncapped."""
        self._dairy_rule()
        shelf = self.env["stock.location"].create({"name": "JXC Cold Shelf", "location_id": self.warehouse.lot_stock_id.id})
        with freeze_time("2025-04-01 04:00:00"):
            own = self.env["stock.warehouse.orderpoint"].create({
                "product_id": self.yogurt.id, "warehouse_id": self.warehouse.id, "location_id": shelf.id,
                "product_min_qty": 10.0, "product_max_qty": 400.0, "trigger": "manual",
            })
            self.assertEqual((own.jxc_rule_id.id, own.qty_forecast, own.qty_to_order), (False, 0.0, 400.0))

    def test_products_without_expiry_unchanged(self):
        self.yogurt.use_expiration_date = False
        line = self._plan_line(400.0)
        self.assertEqual((line.is_shelf_life_capped, line.shelf_life_limit_qty), (False, 0.0))
        self.assertGreater(line.suggested_qty, 300.0)

    def test_sellable_until_the_removal_date(self):
        """product_expiry stops counting a lot as sellable stock 20 days before it expires (its
        removal date): 100 delivered in 60 days and nothing left, a new lot sells for 80 days,
        100 / 60 x 80 = 133.33, 133 whole units (not the 166 of its whole 100 days)."""
        self.yogurt.removal_time = 20
        with freeze_time("2025-03-31 04:00:00"):
            self._deliver(self._create_sale(self.customer_a, [(self.yogurt, 80, 5.0)]))
        line = self._plan_line(400.0)
        self.assertEqual(line.qty_position, 0.0)
        self.assertEqual((line.is_shelf_life_capped, line.shelf_life_limit_qty, line.suggested_qty), (True, 133.0, 133.0))
        with freeze_time("2025-04-01 04:00:00"):
            line.action_create_rfq()
        rfq_line = self.env["purchase.order.line"].search([("orderpoint_id", "=", line.orderpoint_id.id)])
        self.assertEqual(rfq_line.product_qty, 133.0)

    def test_rule_maximum_until_the_removal_date_in_whole_packs(self):
        """Sellable 80 of its 100 days (removal 20 days before expiry): at 100 / 60 a day
        over 1 day of lead time and 80 days, 135 sell; the rule's maximum is 135. Bought by the
        dozen, the quantity above the reorder point (11) stays whole dozens, within what
        sells: 11 + 10 x 12 = 131."""
        self.yogurt.removal_time = 20
        orderpoint = self._dairy_rule()
        with freeze_time("2025-04-01 04:00:00"):
            self.assertEqual((orderpoint.product_min_qty, orderpoint.product_max_qty), (11.0, 135.0))
            orderpoint.replenishment_uom_id = self.env.ref("uom.product_uom_dozen")
            self.env["stock.warehouse.orderpoint"]._jxc_update_orderpoints(self.company)
        self.assertEqual((orderpoint.product_min_qty, orderpoint.product_max_qty), (11.0, 131.0))

    def test_cap_of_nothing_is_a_cap(self):
        """Removed from sale the day it arrives (removal time = expiration time): nothing
        bought now sells in time. The cap is 0, flagged, and the form shows it."""
        self.yogurt.removal_time = 100
        with freeze_time("2025-03-31 04:00:00"):
            self._deliver(self._create_sale(self.customer_a, [(self.yogurt, 80, 5.0)]))
        line = self._plan_line(400.0)
        self.assertGreater(line.max_qty, 0.0)
        self.assertEqual((line.is_shelf_life_capped, line.shelf_life_limit_qty, line.suggested_qty), (True, 0.0, 0.0))
        arch = etree.fromstring(line.get_views([(False, "form"), (False, "list")])["views"]["form"]["arch"])
        [cap] = arch.xpath("//field[@name='shelf_life_limit_qty']")
        self.assertEqual(cap.get("invisible"), "not is_shelf_life_capped")
        # Create RFQs orders nothing, and says it is the shelf life (not that the stock covers the rule)
        with freeze_time("2025-04-01 04:00:00"):
            message = line.with_user(self.jxc_user).action_create_rfq()["params"]["message"]
        self.assertIn("[JXC-Y01] JXC Yogurt: no more of them would sell before expiry (Sellable Before Expiry 0)", message)
        self.assertNotIn("already covers their reordering rules", message)
        self.assertFalse(self.env["purchase.order.line"].search([("product_id", "=", self.yogurt.id),
                                                                 ("order_id.state", "=", "draft")]))

    def test_lots_past_removal_are_no_stock_for_the_warnings(self):
        """15 April: of the 80 Yogurts in WH, lot Y-A's 20 were removed from sale on 11 April;
        Odoo no longer reserves them, nor counts them free. Against a fixed safety stock,
        minimum and maximum of 65, the 60 of lot Y-B are below the safety stock and not above
        the maximum: the line is below safety, no overstock is started or valued. Its On Hand
        stays Odoo's 80."""
        with freeze_time("2025-04-15 04:00:00"):
            self.env["jxc.safety.stock.rule"].create({
                "name": "Dairy", "categ_id": self.dairy.id, "method": "fixed", "fixed_qty": 65.0,
                "history_days": 60, "review_days": 7,
            })
            self.env["stock.warehouse.orderpoint"]._jxc_update_orderpoints(self.company)
            lines = self.env["jxc.purchase.plan"]._refresh(self.company)
            self.assertEqual(self.yogurt.with_context(location=self.warehouse.lot_stock_id.id).free_qty, 60.0)
        line = lines.filtered(lambda line: line.product_id == self.yogurt and line.warehouse_id == self.warehouse)
        self.assertEqual((line.qty_on_hand, line.safety_stock, line.max_qty), (80.0, 65.0, 65.0))
        self.assertEqual((line.is_below_safety, line.orderpoint_id.jxc_overstock_since, line.overstock_value),
                         (True, False, 0.0))
