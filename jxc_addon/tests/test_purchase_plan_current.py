"""The purchase plan is current when it opens, on the fixtures of safety_common.py (today
30 June 2025): the lines of the products whose stock moves, RFQs, vendor prices or rules
changed since their refresh are refreshed first, and so is every line on a new day; the
others are left as they are. Each line then equals what its rule orders now."""

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from .safety_common import PurchasePlanCommon


@tagged("post_install", "-at_install")
class TestPurchasePlanCurrent(PurchasePlanCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Change = cls.env["jxc.purchase.plan.change"]

    def _line(self, product):
        return self.Plan.search([("product_id", "=", product.id), ("company_id", "=", self.company.id)])

    def _open(self):
        action = self.Plan.with_user(self.jxc_user).action_open_plan()
        self.assertEqual((action["res_model"], action["xml_id"]), ("jxc.purchase.plan", "jxc_addon.jxc_purchase_plan_action"))

    def _rule_quantity(self, product):
        """What the rule orders now: Odoo's quantity to order, recomputed."""
        orderpoint = self._orderpoint(product)
        self.Plan._recompute_quantities_to_order(orderpoint)
        return orderpoint.qty_to_order

    def _mark(self, line):
        """A figure no refresh writes: left on a line the opening does not refresh."""
        line.qty_on_hand = 999.0

    def test_cancelled_rfq_is_to_buy_again_when_the_plan_opens(self):
        self.Plan._refresh(self.company)
        self.assertEqual(self.Change.search_count([("company_id", "=", self.company.id)]), 0)
        line_1 = self._line(self.product_1)
        wanted = line_1.suggested_qty
        self.assertGreater(wanted, 0.0)
        action = line_1.with_user(self.jxc_user).action_create_rfq()
        order = self.env["purchase.order"].browse(action["domain"][0][2])
        self.assertEqual(line_1.suggested_qty, 0.0)
        order.button_cancel()
        self.assertEqual(line_1.suggested_qty, 0.0)  # stored: out of date until refreshed
        self._open()
        self.assertEqual(line_1.suggested_qty, wanted)
        self.assertEqual(line_1.suggested_qty, self._rule_quantity(self.product_1))
        self.assertEqual(self.Change.search_count([("company_id", "=", self.company.id)]), 0)

    def test_only_the_lines_of_changed_products_are_refreshed(self):
        self.Plan._refresh(self.company)
        line_1, line_3 = self._line(self.product_1), self._line(self.product_3)
        self.assertEqual(line_1.qty_on_hand, 10.0)
        self._mark(line_3)
        self._deliver(self._create_sale(self.customer_a, [(self.product_1, 4.0, 25.0)]))
        self.assertEqual(line_1.qty_on_hand, 10.0)
        self._open()
        self.assertEqual(line_1.qty_on_hand, 6.0)
        self.assertEqual(line_1.suggested_qty, self._rule_quantity(self.product_1))
        self.assertEqual(line_3.qty_on_hand, 999.0)
        # nothing changed since: opening again refreshes nothing
        self._mark(line_1)
        self._open()
        self.assertEqual(line_1.qty_on_hand, 999.0)

    def test_vendor_price_and_rule_changes_are_shown(self):
        self.Plan._refresh(self.company)
        line_1, line_3 = self._line(self.product_1), self._line(self.product_3)
        self.assertEqual(line_3.price_unit, 50.0)
        self._mark(line_1)
        self.product_3.seller_ids.price = 52.5
        self._open()
        self.assertEqual((line_3.price_unit, line_3.amount), (52.5, 52.5 * line_3.suggested_qty))
        self.assertEqual(line_1.qty_on_hand, 999.0)
        # a rule's maximum raised by hand: its line follows
        orderpoint = self._orderpoint(self.product_1)
        orderpoint.product_max_qty += 50.0
        self._open()
        self.assertEqual((line_1.qty_on_hand, line_1.max_qty), (10.0, orderpoint.product_max_qty))
        self.assertEqual(line_1.suggested_qty, self._rule_quantity(self.product_1))

    def test_refresh_forgets_what_it_saw_and_not_its_own_preview(self):
        """A buyer's vendor on a line is previewed on its rule in a savepoint rolled back: no
        change of the rule is left from it, so the next opening has nothing to refresh."""
        self.Plan._refresh(self.company)
        line_1 = self._line(self.product_1)
        line_1.with_user(self.jxc_user).vendor_id = self.vendor_a
        self.assertNotEqual(line_1.orderpoint_id.supplier_id.partner_id, self.vendor_a)
        self.Plan._refresh(self.company)
        self.assertEqual(self.Change._read(self.company), [])
        self._mark(line_1)
        self._open()
        self.assertEqual(line_1.qty_on_hand, 999.0)

    def test_rule_leaves_the_plan_when_it_stops_buying_and_comes_back(self):
        self.Plan._refresh(self.company)
        depot = self.env["stock.location"].create({"name": "JXC Depot", "usage": "internal", "company_id": self.company.id})
        route = self.env["stock.route"].create({"name": "JXC From Depot", "product_selectable": True, "rule_ids": [Command.create({
            "name": "JXC Depot to Stock", "action": "pull", "procure_method": "make_to_stock",
            "location_src_id": depot.id, "location_dest_id": self.warehouse.lot_stock_id.id,
            "picking_type_id": self.warehouse.int_type_id.id, "company_id": self.company.id,
        })]})
        orderpoint = self._orderpoint(self.product_1)
        orderpoint.route_id = route
        self._open()
        self.assertFalse(self._line(self.product_1))
        orderpoint.route_id = False
        self._open()
        self.assertEqual(self._line(self.product_1).suggested_qty, self._rule_quantity(self.product_1))

    def test_every_line_is_refreshed_on_a_new_day(self):
        self.Plan._refresh(self.company)
        line_3 = self._line(self.product_3)
        self._mark(line_3)
        self._open()
        self.assertEqual(line_3.qty_on_hand, 999.0)
        # 1 July, 08:00 in Shanghai: refreshed yesterday, so refreshed again
        with freeze_time("2025-07-01 00:00:00"):
            self._open()
        self.assertEqual(line_3.qty_on_hand, 0.0)

    def test_warnings_open_current_and_only_for_inventory_control(self):
        self.Plan._refresh(self.company)
        self._deliver(self._create_sale(self.customer_a, [(self.product_1, 4.0, 25.0)]))
        action = self.Plan.with_user(self.jxc_user).action_open_warnings()
        self.assertEqual(action["xml_id"], "jxc_addon.jxc_purchase_plan_action_warnings")
        self.assertEqual(self._line(self.product_1).qty_on_hand, 6.0)
        clerk = new_test_user(self.env, login="jxc_current_clerk", groups="base.group_user",
                              company_id=self.company.id, company_ids=[self.company.id])
        with self.assertRaisesRegex(AccessError, "Only inventory control users can open the purchase plan"):
            self.Plan.with_user(clerk).action_open_plan()
