from freezegun import freeze_time

from odoo.tests import tagged

from .common_ui import JxcHttpCase


@tagged("post_install", "-at_install")
class TestPurchasePlanUi(JxcHttpCase):
    """The purchase plan screen in the real web client: select a line, create its RFQ."""

    def test_purchase_plan_tour(self):
        env = self.env
        vendor = env["res.partner"].create({"name": "JXC Vendor B", "supplier_rank": 1})
        category = env["product.category"].create({"name": "JXC Tour Goods"})
        product = env["product.product"].create({
            "name": "JXC Widget", "is_storable": True, "categ_id": category.id, "standard_price": 10.0,
            "seller_ids": [(0, 0, {"partner_id": vendor.id, "price": 11.0, "delay": 3})],
        })
        env["jxc.safety.stock.rule"].create({
            "name": "Tour goods", "categ_id": category.id, "method": "fixed", "fixed_qty": 5.0, "no_history_qty": 5.0,
        })
        with freeze_time("2025-06-30 04:00:00"):
            env["stock.warehouse.orderpoint"]._jxc_update_orderpoints(env.company)
            plan = env["jxc.purchase.plan"]._refresh(env.company)
        line = plan.filtered(lambda line: line.product_id == product)
        self.assertEqual((line.suggested_qty, line.vendor_id), (5.0, vendor))
        self.start_tour("/odoo", "jxc_purchase_plan_tour", login="admin")
        po_line = env["purchase.order.line"].search([("product_id", "=", product.id)])
        self.assertEqual((po_line.product_qty, po_line.order_id.partner_id, po_line.order_id.state), (5.0, vendor, "draft"))
