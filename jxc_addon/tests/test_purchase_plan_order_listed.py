"""Issue 19: "Create RFQs" is reachable without ticking rows: with none ticked it first shows
what the list would order (lines, vendors, amount), then, confirmed, orders the lines of the
list (its domain) that have a quantity to order, through the same Odoo flow."""

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import tagged

from .common import JxcCommon


@tagged("post_install", "-at_install")
class TestPurchasePlanOrderListed(JxcCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        category = cls.env["product.category"].create({"name": "JXC Listed Goods"})
        cls.widget, cls.gadget, cls.stocked = cls.env["product.product"].create([
            {"name": name, "is_storable": True, "categ_id": category.id, "standard_price": 10.0,
             "seller_ids": [Command.create({"partner_id": cls.vendor_a.id, "price": 11.0, "delay": 3})]}
            for name in ("JXC Listed Widget", "JXC Listed Gadget", "JXC Listed Stocked")
        ])
        cls.env["jxc.safety.stock.rule"].create({
            "name": "Listed goods", "categ_id": category.id, "method": "fixed", "fixed_qty": 5.0, "no_history_qty": 5.0,
        })
        with freeze_time("2025-06-30 04:00:00"):
            cls._set_on_hand(cls.stocked, 50)
            cls.env["stock.warehouse.orderpoint"]._jxc_update_orderpoints(cls.company)
            cls.plan = cls.env["jxc.purchase.plan"]._refresh(cls.company)

    def test_none_ticked_orders_the_listed_lines(self):
        Plan = self.env["jxc.purchase.plan"].with_user(self.jxc_user)
        listed = [("product_id.categ_id.name", "=", "JXC Listed Goods")]
        lines = Plan.search(listed)
        self.assertEqual(lines.filtered(lambda line: line.suggested_qty > 0).product_id, self.widget | self.gadget)
        PurchaseLine = self.env["purchase.order.line"]
        products = self.widget | self.gadget | self.stocked
        with freeze_time("2025-06-30 05:00:00"):
            action = Plan.with_context(active_domain=listed).browse().action_create_rfq()
            self.assertEqual((action["res_model"], action["target"]), ("jxc.purchase.plan.order", "new"))
            wizard = self.env["jxc.purchase.plan.order"].with_user(self.jxc_user).browse(action["res_id"])
            self.assertEqual(wizard.line_ids.product_id, self.widget | self.gadget)
            self.assertEqual((wizard.line_count, wizard.vendor_count, wizard.amount), (2, 1, 110.0))  # 2 x 5 x 11.00
            self.assertFalse(PurchaseLine.search([("product_id", "in", products.ids)]), "nothing ordered before confirming")
            wizard.action_confirm()
        po_lines = PurchaseLine.search([("product_id", "in", products.ids)])
        self.assertEqual(sorted((line.product_id.name, line.product_qty) for line in po_lines),
                         [("JXC Listed Gadget", 5.0), ("JXC Listed Widget", 5.0)])
        self.assertEqual(po_lines.order_id.partner_id, self.vendor_a)

    def test_nothing_listed_to_order(self):
        Plan = self.env["jxc.purchase.plan"].with_user(self.jxc_user)
        with self.assertRaisesRegex(UserError, "Nothing to order in this list"):
            Plan.with_context(active_domain=[("product_id", "=", self.stocked.id)]).browse().action_create_rfq()
