from freezegun import freeze_time

from odoo.tests import tagged

from .common import JxcCommon


@tagged("post_install", "-at_install")
class TestPurchaseSaleFlow(JxcCommon):
    """The whole 进销存 chain runs on the real stock, purchase and sale apps."""

    def test_buy_receive_sell_deliver(self):
        product = self.product_1
        self.assertEqual(product.qty_available, 0.0)

        po = self._create_purchase(self.vendor_a, [(product, 100.0, 10.0)])
        self.assertEqual(po.state, "purchase")
        self.assertEqual(len(po.picking_ids), 1)
        self.assertEqual(product.virtual_available, 100.0)
        self._receive(po)
        self.assertEqual(po.picking_ids.state, "done")
        self.assertEqual(po.order_line.qty_received, 100.0)
        self.assertEqual(product.qty_available, 100.0)

        so = self._create_sale(self.customer_a, [(product, 30.0, 25.0)])
        self.assertEqual(so.state, "sale")
        # Deliver 20 of 30: the rest stays on a backorder.
        self._deliver(so, {product: 20.0})
        self.assertEqual(so.order_line.qty_delivered, 20.0)
        self.assertEqual(product.qty_available, 80.0)
        self.assertEqual(product.virtual_available, 70.0)
        backorder = so.picking_ids.filtered(lambda p: p.state != "done")
        self.assertEqual(backorder.move_ids.product_uom_qty, 10.0)

        # Return 5 to the vendor: on hand drops again.
        self._return_picking(po.picking_ids, {product: 5.0})
        self.assertEqual(product.qty_available, 75.0)
        quant_qty = sum(
            self.env["stock.quant"].search([
                ("product_id", "=", product.id), ("location_id", "child_of", self.stock_location.id),
            ]).mapped("quantity")
        )
        self.assertEqual(quant_qty, 75.0)

    def test_frozen_dates_reach_the_moves(self):
        with freeze_time("2025-03-10 09:00:00"):
            po = self._create_purchase(self.vendor_a, [(self.product_2, 10.0, 4.0)])
        with freeze_time("2025-03-14 09:00:00"):
            self._receive(po)
        move = po.picking_ids.move_ids
        self.assertEqual(move.date.strftime("%Y-%m-%d"), "2025-03-14")
        self.assertEqual(po.date_approve.strftime("%Y-%m-%d"), "2025-03-10")
