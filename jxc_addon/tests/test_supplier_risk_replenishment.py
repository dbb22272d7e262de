"""Odoo's replenishment and a vendor at risk: the vendor Odoo chooses by itself for a need
(a reordering rule without a vendor, a make-to-order sale) is not one whose orders its
company warns about or blocks, while another vendor sells the product.

The Widget is sold by vendor A (10.00) and vendor B (11.00), both sequence 1: Odoo's
choice is A, the cheaper (``_prepare_sellers``). The Gadget is sold by A alone."""

from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import JxcCommon


@tagged("post_install", "-at_install")
class TestReplenishmentAvoidsVendorsAtRisk(JxcCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.jxc_supplier_risk_action = "block"
        cls.vendor_a.with_company(cls.company).write({
            "jxc_supplier_risk": True, "jxc_supplier_risk_reason": "Recall", "jxc_supplier_standing_manual": True,
        })
        cls.buy_route = cls.env["stock.rule"].search([("action", "=", "buy")], limit=1).route_id
        (cls.product_1 | cls.product_2).route_ids = cls.buy_route
        cls.mto_route = cls.env.ref("stock.route_warehouse0_mto")
        cls.mto_route.active = True

    def _orderpoint(self, product, supplier=None):
        return self.env["stock.warehouse.orderpoint"].create({
            "product_id": product.id, "location_id": self.stock_location.id, "warehouse_id": self.warehouse.id,
            "product_min_qty": 5.0, "product_max_qty": 10.0, "trigger": "manual", "route_id": self.buy_route.id,
            "supplier_id": supplier.id if supplier else False,
        })

    def _order_once(self, product, supplier=None):
        """The vendor of the RFQ that Order Once (Odoo's replenishment report) of a rule of
        ``product`` below its minimum creates."""
        orderpoint = self._orderpoint(product, supplier)
        self.assertEqual(orderpoint.qty_to_order, 10.0)
        orderpoint.action_replenish()
        return self.env["purchase.order.line"].search([("product_id", "=", product.id)]).order_id.partner_id

    def test_rule_without_vendor_orders_from_the_clean_vendor(self):
        self.assertEqual(self._order_once(self.product_1), self.vendor_b)

    def test_make_to_order_sale_buys_from_the_clean_vendor(self):
        self.product_1.route_ids = self.buy_route | self.mto_route
        self._create_sale(self.customer_a, [(self.product_1, 3.0, 25.0)])
        line = self.env["purchase.order.line"].search([("product_id", "=", self.product_1.id)])
        self.assertEqual((line.order_id.partner_id, line.product_qty, line.price_unit), (self.vendor_b, 3.0, 11.0))

    def test_vendor_chosen_on_the_rule_stays(self):
        """The buyer's choice on the rule: ordered from A, whose order then waits for a manager."""
        seller_a = self.product_1.seller_ids.filtered(lambda seller: seller.partner_id == self.vendor_a)
        self.assertEqual(self._order_once(self.product_1, seller_a), self.vendor_a)

    def test_only_vendor_at_risk_is_still_ordered_from(self):
        self.assertEqual(self._order_once(self.product_2), self.vendor_a)

    def test_company_that_does_not_act_on_risk_orders_as_odoo(self):
        self.company.jxc_supplier_risk_action = "none"
        self.assertEqual(self._order_once(self.product_1), self.vendor_a)

    def test_rule_without_vendor_counts_the_clean_vendors_lead_time(self):
        """Ordered from B, the rule's lead days are B's 3 days (A's 5 where the company does not
        act on the risk): the RFQ to B is ordered today for a receipt in 3 days, not dated as if A
        delivered it, 2 days before B can."""
        days_to_purchase = self.company.days_to_purchase
        orderpoint = self._orderpoint(self.product_1)
        self.assertEqual(orderpoint.lead_days, 3.0 + days_to_purchase)
        self.company.jxc_supplier_risk_action = "none"
        orderpoint.invalidate_recordset()
        self.assertEqual(orderpoint.lead_days, 5.0 + days_to_purchase)
        self.company.jxc_supplier_risk_action = "block"
        orderpoint.invalidate_recordset()
        orderpoint.action_replenish()
        line = self.env["purchase.order.line"].search([("product_id", "=", self.product_1.id)])
        today = fields.Date.context_today(line)
        self.assertEqual(line.order_id.partner_id, self.vendor_b)
        self.assertEqual(fields.Date.context_today(line, line.date_planned), today + timedelta(days=3 + days_to_purchase))
        self.assertGreaterEqual(fields.Date.context_today(line, line.order_id.date_order), today)
