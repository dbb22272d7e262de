"""The sales shortage warning (超售) at confirmation: Odoo's own availability figures of each
line, on the fixtures of safety_common.py (today 30 June 2025, 10 Widgets and 16 Gadgets on
hand, vendor B brings Widgets in 3 days)."""

from datetime import date
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import run_migration
from .safety_common import SafetyStockCommon

TODAY = "2025-06-30 04:00:00"


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestSaleShortage(SafetyStockCommon):
    def _quotation(self, lines, customer=None):
        return self._create_sale(customer or self.customer_a, lines, confirm=False)

    def _activities(self, order, xmlid):
        return order.activity_ids.filtered(lambda a: a.activity_type_id == self.env.ref(xmlid))

    def test_shortage_at_confirmation(self):
        self.company.jxc_shortage_notify_purchase = True
        self.vendor_b.buyer_id = self.jxc_manager
        order = self._quotation([(self.product_1, 15.0, 25.0), (self.product_2, 5.0, 9.0)])
        order.commitment_date = "2025-07-01 04:00:00"
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        # 10 on hand by 1 July, 15 ordered: short of 5, vendor B (3 days) brings it on 3 July;
        # the 16 Gadgets cover 5.
        self.assertEqual(
            order.jxc_shortage_warning,
            "[JXC-001] JXC Widget: 15.00 Units to deliver, 10.00 available by 07/01/2025, short of 5.00; "
            "expected replenishment 07/03/2025.",
        )
        shortage = self._activities(order, "jxc_addon.mail_activity_type_jxc_sale_shortage")
        replenish = self._activities(order, "jxc_addon.mail_activity_type_jxc_sale_replenish")
        self.assertEqual((shortage.user_id, replenish.user_id), (order.user_id, self.jxc_manager))
        self.assertIn("short of 5.00", str(shortage.note))
        # A receipt of 30 on 2 July, after the next order's delivery date: the first order
        # has the 10 on hand and 5 more of it, nothing is free by 1 July, the receipt brings the 3.
        self._create_purchase(self.vendor_a, [(self.product_1, 30.0, 10.0)], date_planned="2025-07-02 04:00:00")
        order_2 = self._quotation([(self.product_1, 3.0, 25.0)], self.customer_b)
        order_2.commitment_date = "2025-07-01 12:00:00"
        order_2.action_confirm()
        self.assertEqual(
            order_2.jxc_shortage_warning,
            "[JXC-001] JXC Widget: 3.00 Units to deliver, 0.00 available by 07/01/2025, short of 3.00; "
            "expected replenishment 07/02/2025.",
        )
        # Within stock: no warning, no activity.
        order_3 = self._create_sale(self.customer_b, [(self.product_2, 5.0, 9.0)])
        self.assertFalse(order_3.jxc_shortage_warning)
        self.assertFalse(order_3.activity_ids)

    def test_shortage_activity_type_deleted(self):
        """An administrator deleted the shortage activity type: the short order still confirms,
        with its warning and a to-do of Odoo's default type."""
        self.env.ref("jxc_addon.mail_activity_type_jxc_sale_shortage").unlink()
        order = self._quotation([(self.product_1, 15.0, 25.0)])
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertIn("short of 5.00", order.jxc_shortage_warning)
        self.assertEqual(len(order.activity_ids), 1)
        # checked again (stock moved): the to-do of the default type is no shortage to-do to replace
        order._jxc_warn_shortages(order._get_jxc_confirmed_shortages()[order], changed="stock")
        self.assertEqual(len(order.activity_ids), 2)

    def test_confirmed_with_another_company_ticked(self):
        """A sales manager with this company and another ticked confirms a short order; the
        Widget's buyer works for this company only: the order is confirmed and the buyer gets
        the to-do (whether the buyer may open the order is judged in its company, not in the
        companies the manager ticked)."""
        other = self.env["res.company"].create({"name": "JXC Sister Co"})
        both = (self.company | other).ids
        manager = new_test_user(self.env, login="jxc_two_companies", company_id=self.company.id,
                                company_ids=[Command.set(both)],
                                groups="sales_team.group_sale_manager,stock.group_stock_user")
        buyer = new_test_user(self.env, login="jxc_one_company_buyer", company_id=self.company.id,
                              company_ids=[Command.set(self.company.ids)],
                              groups="purchase.group_purchase_user,sales_team.group_sale_salesman_all_leads")
        self.company.jxc_shortage_notify_purchase = True
        self.vendor_b.buyer_id = buyer
        order = self._quotation([(self.product_1, 15.0, 25.0)])
        order.commitment_date = "2025-07-01 04:00:00"
        order.with_user(manager).with_context(allowed_company_ids=both).action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(self._activities(order, "jxc_addon.mail_activity_type_jxc_sale_replenish").user_id, buyer)

    def test_replenishment_from_the_rules_vendor(self):
        """The widget's reordering rule orders from vendor A (5 days), which a buyer set and
        locked: the shortage is replenished on 5 July, by A's buyer, as Odoo orders the rule,
        not on 3 July from vendor B, the best vendor."""
        self.company.jxc_shortage_notify_purchase = True
        self.vendor_a.buyer_id = self.jxc_manager
        self.vendor_b.buyer_id = self.jxc_user
        seller_a = self.product_1.seller_ids.filtered(lambda line: line.partner_id == self.vendor_a)
        self.env["stock.warehouse.orderpoint"].create({
            "product_id": self.product_1.id, "location_id": self.stock_location.id, "supplier_id": seller_a.id,
            "product_min_qty": 0.0, "product_max_qty": 0.0, "jxc_locked": True,
        })
        order = self._quotation([(self.product_1, 15.0, 25.0)])
        order.commitment_date = "2025-07-01 04:00:00"
        order.action_confirm()
        self.assertIn("short of 5.00; expected replenishment 07/05/2025.", order.jxc_shortage_warning)
        replenish = self._activities(order, "jxc_addon.mail_activity_type_jxc_sale_replenish")
        self.assertEqual(replenish.user_id, self.jxc_manager)

    def test_no_vendor_says_how_to_fix_it(self):
        """A product the warehouse buys without any vendor: no replenishment date, and the
        warning says what to add."""
        product = self.env["product.product"].create({
            "name": "JXC Unsourced", "default_code": "JXC-009", "is_storable": True, "list_price": 5.0,
        })
        order = self._quotation([(product, 2.0, 5.0)])
        order.commitment_date = "2025-07-01 04:00:00"
        order.action_confirm()
        self.assertEqual(
            order.jxc_shortage_warning,
            "[JXC-009] JXC Unsourced: 2.00 Units to deliver, 0.00 available by 07/01/2025, short of 2.00; "
            "expected replenishment unknown: no vendor price of this product is valid today; add one on its "
            "Purchase tab.",
        )

    def test_receipt_before_the_delivery_date_is_in_the_forecast(self):
        """A receipt due before the delivery date is already counted as available: the
        replenishment is the next one that brings what is missing."""
        self._create_purchase(self.vendor_a, [(self.product_1, 5.0, 10.0)], date_planned="2025-07-02 04:00:00")
        self._create_purchase(self.vendor_a, [(self.product_1, 2.0, 10.0)], date_planned="2025-07-07 04:00:00")
        self._create_purchase(self.vendor_a, [(self.product_1, 4.0, 10.0)], date_planned="2025-07-09 04:00:00")
        order = self._quotation([(self.product_1, 20.0, 25.0)])
        order.commitment_date = "2025-07-05 04:00:00"
        order.action_confirm()
        [[_line, needed, available, short, replenishment, _delivery]] = order._get_jxc_confirmed_shortages()[order]
        # 10 + 5 by 5 July; 2 on 7 July leave 3 missing, 4 on 9 July cover them.
        self.assertEqual((needed, available, short, replenishment), (20.0, 15.0, 5.0, date(2025, 7, 9)))

    def test_each_line_at_its_own_delivery_date(self):
        """Without a commitment date each line is due after its own customer lead time, as
        Odoo's availability widget measures it: a Widget due in 10 days is covered by the
        receipt of 5 July."""
        self._create_purchase(self.vendor_a, [(self.product_1, 20.0, 10.0)], date_planned="2025-07-05 04:00:00")
        order = self._quotation([(self.product_2, 1.0, 9.0), (self.product_1, 12.0, 25.0)])
        order.order_line.filtered(lambda line: line.product_id == self.product_1).customer_lead = 10.0
        order.action_confirm()
        self.assertFalse(order.jxc_shortage_warning)

    def test_quotations_confirmed_together_share_the_stock(self):
        order_a = self._quotation([(self.product_1, 8.0, 25.0)])
        order_b = self._quotation([(self.product_1, 8.0, 25.0)], self.customer_b)
        (order_a | order_b).action_confirm()
        self.assertFalse(order_a.jxc_shortage_warning)
        self.assertIn("8.00 Units to deliver, 2.00 available by 06/30/2025, short of 6.00;",
                      order_b.jxc_shortage_warning)

    def test_more_lines_than_one_batch_share_the_stock(self):
        """Odoo computes the availability of lines 1,000 at a time: the 1,001st line still sees
        what the 1,000 before it take. The first takes all 16 Gadgets, the 999 next 9.99 of the
        10 Widgets; the last Gadget is short."""
        lines = [(self.product_2, 16.0, 9.0)] + [(self.product_1, 0.01, 25.0)] * 999 + [(self.product_2, 1.0, 9.0)]
        order = self._quotation(lines)
        order.action_confirm()
        self.assertEqual(order.jxc_shortage_warning.count("\n"), 0)
        self.assertIn("JXC Gadget: 1.00 Units to deliver, 0.00 available", order.jxc_shortage_warning)
        shortages = order._get_jxc_confirmed_shortages()
        self.assertEqual([(row[0], *row[1:4]) for row in shortages[order]], [(order.order_line[-1], 1.0, 0.0, 1.0)])

    def test_each_reader_in_their_language(self):
        """A Chinese salesperson's order keeps its warning in Chinese, dates in the Chinese
        format; the English buyer's to-do is in English."""
        self.env["res.lang"]._activate_lang("zh_CN")
        salesman = new_test_user(self.env, login="jxc_shortage_cn", groups="sales_team.group_sale_salesman",
                                 lang="zh_CN", company_id=self.company.id, company_ids=[self.company.id])
        self.company.jxc_shortage_notify_purchase = True
        self.vendor_b.buyer_id = self.jxc_manager
        order = self._quotation([(self.product_1, 15.0, 25.0)])
        order.write({"user_id": salesman.id, "commitment_date": "2025-07-01 04:00:00"})
        order.action_confirm()
        self.assertIn("待交付 15.00", order.jxc_shortage_warning)
        self.assertIn("截至 2025/07/01 可用 10.00，缺 5.00；预计补货日期 2025/07/03。", order.jxc_shortage_warning)
        shortage = self._activities(order, "jxc_addon.mail_activity_type_jxc_sale_shortage")
        replenish = self._activities(order, "jxc_addon.mail_activity_type_jxc_sale_replenish")
        self.assertIn("预计补货日期 2025/07/03", str(shortage.note))
        self.assertEqual(self.jxc_manager.lang, "en_US")
        self.assertIn("expected replenishment 07/03/2025", str(replenish.note))

    def test_receipts_serve_the_earlier_deliveries_first(self):
        """A confirmed order already takes 12 of the 10 Widgets by 1 July (forecast -2). A new
        one needs 3 that day: the 4 received on 3 July go first to the 2 promised before, so
        its last one comes with the 20 of 10 July."""
        self._create_sale(self.customer_a, [(self.product_1, 12.0, 25.0)]).commitment_date = "2025-07-01 04:00:00"
        self._create_purchase(self.vendor_a, [(self.product_1, 4.0, 10.0)], date_planned="2025-07-03 04:00:00")
        self._create_purchase(self.vendor_a, [(self.product_1, 20.0, 10.0)], date_planned="2025-07-10 04:00:00")
        order = self._quotation([(self.product_1, 3.0, 25.0)], self.customer_b)
        order.commitment_date = "2025-07-01 12:00:00"
        order.action_confirm()
        [[_line, needed, available, short, replenishment, _delivery]] = order._get_jxc_confirmed_shortages()[order]
        self.assertEqual((needed, available, short, replenishment), (3.0, 0.0, 3.0, date(2025, 7, 10)))

    def test_orders_confirmed_together_per_warehouse(self):
        """Two warehouses hold 10 Widgets each: orders of 8 from each, confirmed together, are
        both covered (the stock of one warehouse is not the other's). Within one warehouse, the
        warning follows Odoo: confirmed together, the order of 1 August comes first, Odoo
        reserves the last 2 Widgets for it, and its widget shows the order of 1 July short."""
        other = self.env["stock.warehouse"].create({"name": "JXC Shortage WH2", "code": "JXS2"})
        self._set_on_hand(self.product_1, 10.0, other.lot_stock_id)
        order_a = self._quotation([(self.product_1, 8.0, 25.0)])
        order_b = self._create_sale(self.customer_b, [(self.product_1, 8.0, 25.0)], confirm=False, warehouse=other)
        (order_a | order_b).action_confirm()
        self.assertEqual((order_a.state, order_b.state), ("sale", "sale"))
        self.assertFalse(order_a.jxc_shortage_warning)
        self.assertFalse(order_b.jxc_shortage_warning)
        late = self._quotation([(self.product_1, 2.0, 25.0)])
        late.commitment_date = "2025-08-01 04:00:00"
        early = self._quotation([(self.product_1, 2.0, 25.0)], self.customer_b)
        early.commitment_date = "2025-07-01 04:00:00"
        (late | early).action_confirm()
        self.assertEqual((late.order_line.move_ids.quantity, early.order_line.move_ids.quantity), (2.0, 0.0))
        self.assertEqual(early.order_line.free_qty_today, -2.0)  # Odoo's widget: not available
        self.assertFalse(late.jxc_shortage_warning)
        self.assertIn("2.00 Units to deliver, 0.00 available by 07/01/2025, short of 2.00", early.jxc_shortage_warning)

    def test_stock_reserved_for_a_later_delivery(self):
        """An order for 10 July has the 10 Widgets reserved. A quotation of 5 for 1 July: Odoo's
        forecast of the quotation counts the deliveries due by 1 July only and shows 10; once
        confirmed, its widget shows the 5 short, as does the warning."""
        self._confirmed(10.0, "2025-07-10 04:00:00")
        order = self._quotation([(self.product_1, 5.0, 25.0)], self.customer_b)
        order.commitment_date = "2025-07-01 04:00:00"
        self.assertEqual(order.order_line.virtual_available_at_date, 10.0)
        order.action_confirm()
        self.assertEqual(
            order.jxc_shortage_warning,
            "[JXC-001] JXC Widget: 5.00 Units to deliver, 0.00 available by 07/01/2025, short of 5.00; "
            "expected replenishment 07/03/2025.",
        )

    def test_delivery_date_already_past(self):
        """A quotation promised for 25 June, confirmed on 30 June with 10 Pumps on hand since
        that day: Odoo's forecast of the quotation counts the stock of 25 June (none); the
        confirmed order's delivery has them reserved. No warning."""
        pump = self.env["product.product"].create({"name": "JXC Pump", "is_storable": True, "list_price": 5.0})
        self._set_on_hand(pump, 10.0)
        order = self._quotation([(pump, 5.0, 5.0)])
        order.commitment_date = "2025-06-25 04:00:00"
        self.assertEqual(order.order_line.virtual_available_at_date, 0.0)
        order.action_confirm()
        self.assertEqual(order.order_line.move_ids.quantity, 5.0)
        self.assertFalse(order.jxc_shortage_warning)

    def test_context_does_not_change_the_check(self):
        """A first order takes the 10 Widgets by 1 July. Confirming a second of 3 with context
        keys of Odoo's stock figures (a far ``from_date`` leaves out every pending move, so
        the forecast is the 10 on hand; another ``location``) still warns: the client's
        context does not steer the check, nor its replenishment day (purchase_stock's
        ``ignore_vendor_lead_time`` would drop the vendor's days)."""
        self._confirmed(10.0, "2025-07-01 04:00:00")
        for key, value in (("from_date", "2099-01-01 00:00:00"), ("location", self.env.ref("stock.stock_location_customers").id)):
            order = self._quotation([(self.product_1, 3.0, 25.0)], self.customer_b)
            order.commitment_date = "2025-07-01 04:00:00"
            order.with_context(**{key: value}).action_confirm()
            self.assertIn("3.00 Units to deliver, 0.00 available by 07/01/2025, short of 3.00", order.jxc_shortage_warning)
            order.with_context(**{key: value}).write({"order_line": [(1, order.order_line.id, {"product_uom_qty": 4.0})]})
            self.env.cr.precommit.run()
            self.assertIn("4.00 Units to deliver, 0.00 available", order.jxc_shortage_warning)
        # nor the replenishment day: vendor B's 3 days are counted whatever the context says
        order = self._quotation([(self.product_1, 3.0, 25.0)], self.customer_b)
        order.commitment_date = "2025-07-01 04:00:00"
        order.with_context(ignore_vendor_lead_time=True).action_confirm()
        self.assertIn("short of 3.00; expected replenishment 07/03/2025.", order.jxc_shortage_warning)

    def test_made_to_order_line_takes_no_stock(self):
        """A line bought to order (its own route) between two lines of the same product from
        stock: the 15 bought to order do not take the 10 on hand, the 5 + 5 from stock are
        covered (Odoo's own computation would give the third line 10 - 5 - 15 = -10)."""
        mto = self.env.ref("stock.route_warehouse0_mto")
        mto.active = True
        mto.sale_selectable = True
        order = self._quotation([(self.product_1, 5.0, 25.0), (self.product_1, 15.0, 25.0), (self.product_1, 5.0, 25.0)])
        order.order_line[1].route_ids = [(4, mto.id)]
        self.product_1.route_ids = [(4, self.env.ref("purchase_stock.route_warehouse0_buy").id)]
        self.assertEqual(order.order_line.mapped("is_mto"), [False, True, False])
        order.action_confirm()
        self.assertFalse(order.jxc_shortage_warning)

    def test_made_to_order_line_is_not_short(self):
        """A line replenished on order (MTO) buys what it sells: Odoo flags no issue, nor do we."""
        mto = self.env.ref("stock.route_warehouse0_mto")
        mto.active = True
        self.product_1.route_ids = [(4, mto.id), (4, self.env.ref("purchase_stock.route_warehouse0_buy").id)]
        order = self._quotation([(self.product_1, 15.0, 25.0)])
        self.assertTrue(order.order_line.is_mto)
        order.action_confirm()
        self.assertFalse(order.jxc_shortage_warning)
        self.assertFalse(self._activities(order, "jxc_addon.mail_activity_type_jxc_sale_shortage"))

    def test_cancel_and_confirm_again_replace_the_warning(self):
        salesman = new_test_user(self.env, login="jxc_sale_shortage_salesman", groups="sales_team.group_sale_salesman",
                                 company_id=self.company.id, company_ids=[self.company.id])
        self.company.jxc_shortage_notify_purchase = True
        self.vendor_b.buyer_id = self.jxc_manager
        order = self._quotation([(self.product_1, 15.0, 25.0)])
        order.user_id = salesman
        order = order.with_user(salesman)
        order.action_confirm()
        self.assertTrue(order.jxc_shortage_warning)
        self.assertEqual(len(order.activity_ids), 2)
        order._action_cancel()
        self.assertEqual(order.state, "cancel")
        self.assertFalse(order.jxc_shortage_warning)
        self.assertFalse(order.activity_ids)
        order.action_draft()
        order.action_confirm()
        self.assertEqual(
            order.activity_ids.activity_type_id,
            self.env.ref("jxc_addon.mail_activity_type_jxc_sale_shortage")
            | self.env.ref("jxc_addon.mail_activity_type_jxc_sale_replenish"),
        )
        self.assertEqual(len(order.activity_ids), 2)

    def test_delivery_date_in_the_salespersons_timezone(self):
        """A company without a timezone, a salesperson in Shanghai: the delivery of 1 July 07:00
        there (30 June 23:00 UTC) is "by 07/01/2025", as the order shows it to them."""
        self.company.partner_id.tz = False
        self.jxc_user.tz = "Asia/Shanghai"
        order = self._quotation([(self.product_1, 15.0, 25.0)])
        order.user_id = self.jxc_user
        order.commitment_date = "2025-06-30 23:00:00"
        order.action_confirm()
        self.assertIn("10.00 available by 07/01/2025, short of 5.00", order.jxc_shortage_warning)

    def test_replenish_to_do_for_who_may_open_the_order(self):
        """Widgets from vendor B, whose buyer has purchase rights only and cannot open a sales
        order: the Widgets' responsible gets their to-do. Gadgets from vendor A, whose buyer
        sells too: the to-do lists the Gadgets alone."""
        self.company.jxc_shortage_notify_purchase = True
        self.vendor_b.buyer_id = new_test_user(self.env, login="jxc_pure_buyer", groups="purchase.group_purchase_user")
        self.vendor_a.buyer_id = self.jxc_user
        self.product_1.with_company(self.company).responsible_id = self.jxc_manager
        order = self._quotation([(self.product_1, 15.0, 25.0), (self.product_2, 20.0, 9.0)])
        order.user_id = self.jxc_user  # a salesperson reads their own orders
        order.action_confirm()
        replenish = self._activities(order, "jxc_addon.mail_activity_type_jxc_sale_replenish")
        self.assertEqual(set(replenish.user_id), {self.jxc_manager, self.jxc_user})
        notes = {activity.user_id: str(activity.note) for activity in replenish}
        self.assertIn("JXC Widget", notes[self.jxc_manager])
        self.assertNotIn("JXC Gadget", notes[self.jxc_manager])
        self.assertIn("JXC Gadget", notes[self.jxc_user])
        self.assertNotIn("JXC Widget", notes[self.jxc_user])

    def test_web_order_paid_by_its_customer(self):
        """A web order without salesperson confirmed as its customer (a payment): the shortage
        is recorded, no activity goes to the customer, and the customer cannot read it; a
        buyer working for another company only gets no to-do of this one."""
        self.company.jxc_shortage_notify_purchase = True
        other = self.env["res.company"].create({"name": "JXC Other Co"})
        self.vendor_b.buyer_id = new_test_user(self.env, login="jxc_other_buyer", groups="purchase.group_purchase_user",
                                               company_id=other.id, company_ids=[other.id])
        customer = new_test_user(self.env, login="jxc_web_customer", groups="base.group_portal")
        order = self._quotation([(self.product_1, 15.0, 25.0)], customer.partner_id)
        order.user_id = False
        order.with_user(customer).sudo().action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertIn("short of 5.00", order.jxc_shortage_warning)
        self.assertFalse(order.activity_ids)
        # the internal note is the system's, not the customer's
        note = order.message_ids.filtered(lambda message: "Stock shortage at confirmation" in str(message.body))
        self.assertEqual(note.author_id, self.env.ref("base.partner_root"))
        with self.assertRaises(AccessError):
            order.with_user(customer).read(["jxc_shortage_warning"])

    def test_change_of_a_confirmed_order_rechecks_it(self):
        """A salesperson adds Widgets to a confirmed order and raises its Gadgets: the warning
        follows the lines Odoo's widget flags now, once per save; it goes once they are covered."""
        salesman = new_test_user(self.env, login="jxc_shortage_editor", groups="sales_team.group_sale_salesman",
                                 company_id=self.company.id, company_ids=[self.company.id])
        order = self._quotation([(self.product_2, 5.0, 9.0)])
        order.write({"user_id": salesman.id, "commitment_date": "2025-07-01 04:00:00"})
        order.action_confirm()
        self.env.cr.precommit.run()
        self.assertFalse(order.jxc_shortage_warning)
        gadgets = order.order_line
        shortage_type = self.env.ref("jxc_addon.mail_activity_type_jxc_sale_shortage")

        def notes():
            return order.message_ids.filtered(lambda m: "Stock shortage after a change of the order" in str(m.body))

        order.with_user(salesman).write({"order_line": [
            Command.create({"product_id": self.product_1.id, "product_uom_qty": 15.0, "price_unit": 25.0}),
            Command.update(gadgets.id, {"product_uom_qty": 20.0}),
        ]})
        self.env.cr.precommit.run()
        # Odoo reserved the 10 Widgets on hand for 15 (vendor B brings them in 3 days) and the 16
        # Gadgets for 20 (vendor A, 5 days)
        self.assertEqual(order.jxc_shortage_warning, "\n".join([
            "[JXC-002] JXC Gadget: 20.00 Units to deliver, 16.00 available by 07/01/2025, short of 4.00; "
            "expected replenishment 07/05/2025.",
            "[JXC-001] JXC Widget: 15.00 Units to deliver, 10.00 available by 07/01/2025, short of 5.00; "
            "expected replenishment 07/03/2025.",
        ]))
        self.assertEqual(len(notes()), 1)
        self.assertEqual(order.activity_ids.filtered(lambda a: a.activity_type_id == shortage_type).user_id, salesman)
        # the salesperson may not clear the warning over RPC (Odoo does not enforce readonly)
        with self.assertRaisesRegex(AccessError, "it cannot be written"):
            order.with_user(salesman).write({"jxc_shortage_warning": False})
        with self.assertRaisesRegex(AccessError, "it cannot be written"):
            order.with_user(salesman).copy({"jxc_shortage_warning": "Nothing short"})
        # the same shortage again: no second note
        order.with_user(salesman).write({"commitment_date": "2025-07-01 05:00:00"})
        self.env.cr.precommit.run()
        self.assertEqual(len(notes()), 1)
        widgets = order.order_line - gadgets
        order.with_user(salesman).write({"order_line": [
            Command.update(widgets.id, {"product_uom_qty": 10.0}), Command.update(gadgets.id, {"product_uom_qty": 16.0}),
        ]})
        self.env.cr.precommit.run()
        self.assertFalse(order.jxc_shortage_warning)
        self.assertFalse(order.activity_ids)

    def test_same_shortage_a_day_later_is_not_warned_again(self):
        """Short of 5 Widgets on 30 June (replenishment 3 July, vendor B's 3 days from today); on
        1 July the delivery date moves an hour: the same 5 are short, only the replenishment
        counted from today would move. No second note, the to-do stays."""
        order = self._quotation([(self.product_1, 15.0, 25.0)])
        order.commitment_date = "2025-07-01 04:00:00"
        order.action_confirm()
        activity = order.activity_ids
        self.assertEqual(len(activity), 1)
        with freeze_time("2025-07-01 02:00:00"):
            order.write({"commitment_date": "2025-07-01 05:00:00"})
            self.env.cr.precommit.run()
        self.assertFalse(order.message_ids.filtered(lambda m: "after a change of the order" in str(m.body)))
        self.assertEqual(order.activity_ids, activity)
        self.assertIn("expected replenishment 07/03/2025", order.jxc_shortage_warning)
        # 3 more Widgets: a new shortage, warned again
        with freeze_time("2025-07-01 02:00:00"):
            order.write({"order_line": [Command.update(order.order_line.id, {"product_uom_qty": 18.0})]})
            self.env.cr.precommit.run()
        self.assertIn("short of 8.00; expected replenishment 07/04/2025", order.jxc_shortage_warning)
        self.assertEqual(len(order.message_ids.filtered(lambda m: "after a change of the order" in str(m.body))), 1)

    def test_longer_lead_time_of_a_line_rechecks_it(self):
        """15 Widgets to deliver today, 10 on hand and 30 coming on 2 July: short. The line's lead
        time raised to 5 days puts its delivery on 5 July, after the receipt: no longer short."""
        self._create_purchase(self.vendor_a, [(self.product_1, 30.0, 10.0)], date_planned="2025-07-02 04:00:00")
        order = self._quotation([(self.product_1, 15.0, 25.0)])
        order.action_confirm()
        self.assertIn("short of 5.00", order.jxc_shortage_warning)
        order.order_line.customer_lead = 5
        self.env.cr.precommit.run()
        self.assertFalse(order.jxc_shortage_warning)
        self.assertFalse(order.activity_ids)

    def _confirmed(self, qty, when, customer=None):
        order = self._quotation([(self.product_1, qty, 25.0)], customer)
        order.commitment_date = when
        order.action_confirm()
        return order

    def test_confirmed_order_is_not_served_by_a_later_receipt_in_time(self):
        """The 10 Widgets on hand go to a first order. A second, of 10 for 1 July: Odoo gives it
        the 6 received on 10 July and nothing for the other 4. Nothing is available by 1 July
        (not the 6 that come after it); what the receipt does not bring is ordered today,
        vendor B's 3 days: the line is served on 10 July, when the receipt is in too (not on 3
        July). Once 4 more are received on 12 July, the receipts bring it all: 12 July."""
        self._confirmed(10.0, "2025-07-01 04:00:00")
        self._create_purchase(self.vendor_a, [(self.product_1, 6.0, 10.0)], date_planned="2025-07-10 04:00:00")
        order = self._confirmed(10.0, "2025-07-01 04:00:00", self.customer_b)
        [[_line, needed, available, short, replenishment, _delivery]] = order._get_jxc_confirmed_shortages()[order]
        self.assertEqual((needed, available, short, replenishment), (10.0, 0.0, 10.0, date(2025, 7, 10)))
        self._create_purchase(self.vendor_a, [(self.product_1, 4.0, 10.0)], date_planned="2025-07-12 04:00:00")
        [[_line, needed, available, short, replenishment, _delivery]] = order._get_jxc_confirmed_shortages()[order]
        self.assertEqual((needed, available, short, replenishment), (10.0, 0.0, 10.0, date(2025, 7, 12)))

    def test_cancelled_purchase_changes_the_replenishment(self):
        """The 10 Widgets on hand go to a first order. A second, of 5 for 1 July, waits for a
        receipt of 20 on 10 July: expected then. That purchase cancelled, no receipt comes: the
        5 are ordered today, vendor B's 3 days, and the warning says 3 July (not the receipt that
        is gone), as Odoo's widget no longer shows it."""
        self._confirmed(10.0, "2025-07-01 04:00:00")
        purchase = self._create_purchase(self.vendor_a, [(self.product_1, 20.0, 10.0)], date_planned="2025-07-10 04:00:00")
        order = self._confirmed(5.0, "2025-07-01 04:00:00", self.customer_b)
        self.assertIn("short of 5.00; expected replenishment 07/10/2025.", order.jxc_shortage_warning)
        purchase.button_cancel()
        self.env.cr.precommit.run()
        self.assertIn("short of 5.00; expected replenishment 07/03/2025.", order.jxc_shortage_warning)
        self.assertEqual(order.sudo().jxc_shortage_key, "%s:2025-07-01:5.0" % order.order_line.id)

    def test_unreserved_stock_goes_to_the_earlier_delivery(self):
        """Order A (10 Widgets for 5 July) is confirmed first and reserves the 10 on hand; order
        B (10 for 1 July) is short of 10, Odoo's forecast giving reserved stock first. A's
        delivery unreserved, the 10 go to B's earlier delivery in Odoo's forecast: B's warning
        and to-do go at once, not at the next move of Widgets."""
        order_a = self._confirmed(10.0, "2025-07-05 04:00:00")
        self.assertEqual(order_a.picking_ids.move_ids.quantity, 10.0)
        order_b = self._confirmed(10.0, "2025-07-01 04:00:00", self.customer_b)
        self.assertIn("short of 10.00", order_b.jxc_shortage_warning)
        order_a.picking_ids.do_unreserve()
        self.env.cr.precommit.run()
        self.assertEqual(order_b.order_line.forecast_expected_date, False)
        self.assertFalse(order_b.jxc_shortage_warning)
        self.assertFalse(order_b.activity_ids)

    def test_recheck_of_an_order_the_saver_may_not_read(self):
        """Order B of another salesperson is warned short of Widgets. Salesperson A, who sees her
        own orders only, saves hers: one line's routes first (her order is rechecked), then 1
        Widget more on another (its new move rechecks B, warned of Widgets). B's recheck runs as
        the system, not as A, who may not read B: her save goes through (it was refused, B
        unreadable to her), nothing is logged as failed, B's warning stays right."""
        seller = new_test_user(self.env, login="jxc_own_seller", name="JXC Own Seller",
                               groups="sales_team.group_sale_salesman,stock.group_stock_user")
        order_b = self._confirmed(15.0, "2025-07-01 04:00:00", self.customer_b)
        self.assertIn("short of 5.00", order_b.jxc_shortage_warning)
        order_a = self._quotation([(self.product_2, 5.0, 9.0), (self.product_1, 1.0, 25.0)])
        order_a.user_id = seller
        order_a.commitment_date = "2025-07-05 04:00:00"
        order_a.with_user(seller).action_confirm()
        self.env.cr.precommit.run()
        gadgets, widgets = order_a.order_line
        with self.assertNoLogs("odoo.addons.jxc_addon.models.sale_order", level="ERROR"):
            order_a.with_user(seller).write({"order_line": [Command.update(gadgets.id, {"route_ids": [Command.clear()]}),
                                                            Command.update(widgets.id, {"product_uom_qty": 2.0})]})
            self.env.cr.precommit.run()
        self.assertIn("short of 5.00", order_b.jxc_shortage_warning)
        self.assertIn("[JXC-001] JXC Widget: 2.00 Units to deliver", order_a.jxc_shortage_warning)

    def test_confirmed_order_is_not_replenished_by_an_earlier_orders_receipt(self):
        """The 10 Widgets on hand go to a first order; 10 are received on 10 July. Of two orders
        of 10 confirmed after, Odoo gives the receipt to the one due on 5 July (late until 10
        July); the one due on 8 July gets nothing from it: its 10 come by vendor B, 3 days from
        today, not on 10 July."""
        self._confirmed(10.0, "2025-07-01 04:00:00")
        self._create_purchase(self.vendor_a, [(self.product_1, 10.0, 10.0)], date_planned="2025-07-10 04:00:00")
        first = self._confirmed(10.0, "2025-07-05 04:00:00", self.customer_b)
        second = self._confirmed(10.0, "2025-07-08 04:00:00", self.customer_b)
        shortages = (first | second)._get_jxc_confirmed_shortages()
        self.assertEqual([row[1:5] for row in shortages[first]], [[10.0, 0.0, 10.0, date(2025, 7, 10)]])
        self.assertEqual([row[1:5] for row in shortages[second]], [[10.0, 0.0, 10.0, date(2025, 7, 3)]])

    def test_confirmed_order_of_a_two_step_warehouse(self):
        """Picked then shipped (two steps): the delivery waits for the pick, and the 10 Widgets
        on hand in the warehouse's stock serve it by its date; 15 ordered: 10 available, short
        of 5, vendor B's 3 days. 15 more received by then: none short."""
        two_step = self.env["stock.warehouse"].create({"name": "JXC Two Steps", "code": "JXT2", "delivery_steps": "pick_ship"})
        self._set_on_hand(self.product_1, 10.0, two_step.lot_stock_id)
        order = self._create_sale(self.customer_a, [(self.product_1, 15.0, 25.0)], confirm=False, warehouse=two_step)
        order.commitment_date = "2025-07-01 04:00:00"
        order.action_confirm()
        self.assertIn("short of 5.00", order.jxc_shortage_warning)
        [[_line, needed, available, short, replenishment, _delivery]] = order._get_jxc_confirmed_shortages()[order]
        self.assertEqual((needed, available, short, replenishment), (15.0, 10.0, 5.0, date(2025, 7, 3)))
        self._set_on_hand(self.product_1, 25.0, two_step.lot_stock_id)
        self.assertFalse(order._get_jxc_confirmed_shortages())

    def test_received_stock_that_leaves_a_shortage(self):
        """An order without salesperson, confirmed short of 5 Widgets by a salesperson who has
        the to-do. A warehouse keeper receives 2: the note says the stock moved (by OdooBot, the
        keeper changed no order), the to-do stays with the salesperson, not the keeper."""
        salesman = new_test_user(self.env, login="jxc_shortage_confirmer", groups="sales_team.group_sale_salesman_all_leads",
                                 company_id=self.company.id, company_ids=[self.company.id])
        keeper = new_test_user(self.env, login="jxc_shortage_keeper_2", groups="stock.group_stock_user",
                               company_id=self.company.id, company_ids=[self.company.id])
        purchase = self._create_purchase(self.vendor_a, [(self.product_1, 2.0, 10.0)])
        order = self._quotation([(self.product_1, 15.0, 25.0)])
        order.user_id = False
        order.with_user(salesman).action_confirm()
        self.assertIn("short of 5.00", order.jxc_shortage_warning)
        self.assertEqual(order.activity_ids.user_id, salesman)
        receipt = purchase.picking_ids.with_user(keeper)
        receipt.move_ids.quantity = 2.0
        receipt.button_validate()
        self.env.cr.precommit.run()
        self.assertIn("short of 3.00", order.jxc_shortage_warning)
        note = order.message_ids.filtered(lambda message: "Stock shortage after stock moved" in str(message.body))
        self.assertEqual(note.author_id, self.env.ref("base.partner_root"))
        self.assertFalse(order.message_ids.filtered(lambda message: "after a change of the order" in str(message.body)))
        self.assertEqual(order.activity_ids.user_id, salesman)

    def test_unchanged_shortage_not_warned_again_when_stock_moves(self):
        """10 Widgets on hand. Order A for 12 and then order B for 3, both for 1 July: at
        confirmation B has nothing available, short of 3. A's first 10 are delivered: B is
        still short of 3, and A short of its last 2. Neither warning is new: no note, the
        to-dos stay. Orders warned for two lines compare them by line, whatever order each
        check lists them in."""
        order_a = self._confirmed(12.0, "2025-07-01 04:00:00")
        order_b = self._confirmed(3.0, "2025-07-01 04:00:00", self.customer_b)
        self.assertIn("0.00 available by 07/01/2025, short of 3.00", order_b.jxc_shortage_warning)
        activities = order_a.activity_ids | order_b.activity_ids
        self.assertEqual(len(activities), 2)
        picking = order_a.picking_ids
        picking.move_ids.quantity = 10.0
        picking.with_context(skip_backorder=True).button_validate()
        self.assertEqual(picking.state, "done")
        self.env.cr.precommit.run()
        moved = (order_a | order_b).message_ids.filtered(lambda m: "after stock moved" in str(m.body))
        self.assertFalse(moved)
        self.assertEqual(order_a.activity_ids | order_b.activity_ids, activities)
        rows = [[line, 0.0, 0.0, 1.0, False, line.scheduled_date] for line in order_a.order_line | order_b.order_line]
        self.assertEqual(self.env["sale.order"]._jxc_shortage_key(rows),
                         self.env["sale.order"]._jxc_shortage_key(rows[::-1]))

    def test_shortage_keys_of_earlier_versions_rewritten(self):
        """An order warned before 19.0.1.13.0 keeps its warning through the upgrade: its key is
        the new one of the same shortage, so that the next recheck does not warn again."""
        order = self._confirmed(15.0, "2025-07-01 04:00:00")
        key = order.sudo().jxc_shortage_key
        line, day, short = key.split(":")
        order.sudo().jxc_shortage_key = "%s:%s:15.0:10.0:%s" % (line, day, short)
        run_migration(self.env, "19.0.1.13.0")
        self.assertEqual(order.sudo().jxc_shortage_key, key)
        self.assertEqual(key, "%s:2025-07-01:5.0" % order.order_line.id)

    def test_received_stock_ends_the_warning(self):
        """Short of 5 Widgets at confirmation, the salesperson's to-do and the buyer's: a
        warehouse keeper (no sales rights) receives 30 from vendor A; the order is covered, its
        warning and both to-dos go. The order delivered in full stays without them."""
        self.company.jxc_shortage_notify_purchase = True
        self.vendor_b.buyer_id = self.jxc_manager
        keeper = new_test_user(self.env, login="jxc_shortage_keeper", groups="stock.group_stock_user",
                               company_id=self.company.id, company_ids=[self.company.id])
        purchase = self._create_purchase(self.vendor_a, [(self.product_1, 30.0, 10.0)])
        order = self._quotation([(self.product_1, 15.0, 25.0)])
        order.action_confirm()
        self.assertIn("short of 5.00", order.jxc_shortage_warning)
        self.assertEqual(len(order.activity_ids), 2)
        receipt = purchase.picking_ids.with_user(keeper)
        receipt.move_ids.quantity = 30.0
        receipt.button_validate()
        self.env.cr.precommit.run()
        self.assertEqual(receipt.state, "done")
        self.assertFalse(order.jxc_shortage_warning)
        self.assertFalse(order.activity_ids)
        self._deliver(order)
        self.env.cr.precommit.run()
        self.assertEqual(order.order_line.qty_delivered, 15.0)
        self.assertFalse(order.activity_ids)

    def test_other_order_cancelled_rechecks(self):
        """The 10 Widgets on hand go to a first order; a second, of 3, is warned. Once the first
        is cancelled (its delivery cancelled, not done) the 10 are free: the warning and the
        salesperson's to-do go, as Odoo's widget turns green."""
        first = self._confirmed(10.0, "2025-07-01 04:00:00")
        second = self._confirmed(3.0, "2025-07-05 04:00:00", self.customer_b)
        self.assertTrue(second.jxc_shortage_warning)
        self.assertTrue(self._activities(second, "jxc_addon.mail_activity_type_jxc_sale_shortage"))
        first._action_cancel()
        self.env.cr.precommit.run()
        # Odoo's widget: the 3 to deliver are free today
        self.assertEqual(second.order_line.free_qty_today, 3.0)
        self.assertFalse(second.jxc_shortage_warning)
        self.assertFalse(self._activities(second, "jxc_addon.mail_activity_type_jxc_sale_shortage"))

    def test_purchase_confirmed_in_time_rechecks(self):
        """The second order of 3 Widgets for 5 July is warned; a purchase of 3 due on 2 July is
        confirmed, not yet received: the order is covered in time, its warning goes."""
        self._confirmed(10.0, "2025-07-01 04:00:00")
        second = self._confirmed(3.0, "2025-07-05 04:00:00", self.customer_b)
        self.assertTrue(second.jxc_shortage_warning)
        self._create_purchase(self.vendor_a, [(self.product_1, 3.0, 10.0)], date_planned="2025-07-02 04:00:00")
        self.env.cr.precommit.run()
        self.assertFalse(second.jxc_shortage_warning)

    def test_one_failed_recheck_leaves_the_others(self):
        """Two orders short of Widgets, rechecked together when 30 arrive: the recheck of one
        fails (logged, its warning kept); the other is covered, its warning goes."""
        purchase = self._create_purchase(self.vendor_a, [(self.product_1, 30.0, 10.0)])
        order_a = self._confirmed(15.0, "2025-07-01 04:00:00")
        order_b = self._confirmed(3.0, "2025-07-01 04:00:00", self.customer_b)
        warning_a = order_a.jxc_shortage_warning
        self.assertTrue(order_b.jxc_shortage_warning)
        original = type(order_a)._get_jxc_confirmed_shortages
        refused = UserError("route loop")

        def failing(orders):
            if order_a in orders:
                raise refused
            return original(orders)

        receipt = purchase.picking_ids
        receipt.move_ids.quantity = 30.0
        receipt.button_validate()
        with patch.object(type(order_a), "_get_jxc_confirmed_shortages", failing), \
                self.assertLogs("odoo.addons.jxc_addon.models.sale_order", "ERROR") as logs:
            self.env.cr.precommit.run()
        self.assertEqual(len(logs.output), 1)
        self.assertIn("recheck of sales order %s failed" % order_a.name, logs.output[0])
        self.assertEqual((order_a.jxc_shortage_warning, order_b.jxc_shortage_warning), (warning_a, False))

    def test_failed_recheck_does_not_undo_the_receipt(self):
        """A recheck that fails (Odoo refusing a product's routes) is logged; the receipt that
        asked for it stays done and the order keeps its warning."""
        purchase = self._create_purchase(self.vendor_a, [(self.product_1, 30.0, 10.0)])
        order = self._quotation([(self.product_1, 15.0, 25.0)])
        order.action_confirm()
        warning = order.jxc_shortage_warning
        receipt = purchase.picking_ids
        receipt.move_ids.quantity = 30.0
        receipt.button_validate()
        with patch.object(type(order), "_get_jxc_confirmed_shortages", side_effect=UserError("route loop")), \
                self.assertLogs("odoo.addons.jxc_addon.models.sale_order", "ERROR") as logs:
            self.env.cr.precommit.run()
        self.assertIn("recheck of sales order %s failed" % order.name, logs.output[0])
        self.assertEqual((receipt.state, order.jxc_shortage_warning), ("done", warning))

    def test_failed_check_does_not_undo_the_confirmation(self):
        """The check at confirmation is advice: when it fails (Odoo refusing a product's routes)
        the order is still confirmed, with its delivery, and the failure logged."""
        order = self._quotation([(self.product_1, 15.0, 25.0)])
        with patch.object(type(order), "_get_jxc_confirmed_shortages", side_effect=UserError("route loop")), \
                self.assertLogs("odoo.addons.jxc_addon.models.sale_order", "ERROR") as logs:
            order.action_confirm()
        self.assertIn("check of sales orders %s failed" % order.name, logs.output[0])
        self.assertEqual((order.state, order.picking_ids.move_ids.product_uom_qty), ("sale", 15.0))
        self.assertFalse(order.jxc_shortage_warning)
        self.assertFalse(order.activity_ids)

    def test_warning_cannot_come_from_the_context(self):
        """A client's default_ key is a value the salesperson gives: refused as the value itself."""
        salesman = new_test_user(self.env, login="jxc_shortage_forger", groups="sales_team.group_sale_salesman",
                                 company_id=self.company.id, company_ids=[self.company.id])
        Order = self.env["sale.order"].with_user(salesman)
        for key in ("default_jxc_shortage_warning", "default_jxc_shortage_key"):
            with self.assertRaisesRegex(AccessError, "it cannot be written"):
                Order.with_context(**{key: "Nothing short"}).create({"partner_id": self.customer_a.id})
        self.assertTrue(Order.create({"partner_id": self.customer_a.id}))

    def test_change_of_an_order_not_reserved_yet(self):
        """Deliveries reserved by hand (Odoo's Reservation Method "Manually"): a confirmed
        order's 15 Widgets have nothing reserved, yet the 10 on hand are forecast for them. The
        recheck after the change says 10 available by 1 July, short of 5, as at confirmation;
        not 0 available, short of 15."""
        self.warehouse.out_type_id.reservation_method = "manual"
        order = self._quotation([(self.product_2, 5.0, 9.0)])
        order.commitment_date = "2025-07-01 04:00:00"
        order.action_confirm()
        order.write({"order_line": [Command.create({"product_id": self.product_1.id, "product_uom_qty": 15.0,
                                                    "price_unit": 25.0})]})
        self.env.cr.precommit.run()
        widgets = order.order_line.filtered(lambda line: line.product_id == self.product_1)
        self.assertEqual(widgets.move_ids.quantity, 0.0)
        self.assertEqual(order.jxc_shortage_warning, "[JXC-001] JXC Widget: 15.00 Units to deliver, 10.00 available by "
                         "07/01/2025, short of 5.00; expected replenishment 07/03/2025.")
