from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.fields import Command
from odoo.tests import tagged

from .common_ui import JxcHttpCase


@tagged("post_install", "-at_install")
class TestAbcUi(JxcHttpCase):
    """The ABC/XYZ screens open in the real web client (headless Chromium) without a JS error."""

    def test_abc_screens(self):
        product = self.env["product.product"].create({"name": "JXC Tour Widget", "is_storable": True, "standard_price": 3.0})
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", self.env.company.id)], limit=1)
        self.env["stock.quant"].with_context(inventory_mode=True).create({
            "product_id": product.id, "location_id": warehouse.lot_stock_id.id, "inventory_quantity": 10,
        }).action_apply_inventory()
        order = self.env["sale.order"].create({
            "partner_id": self.env["res.partner"].create({"name": "JXC Tour Customer"}).id,
            "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 4, "price_unit": 9.0})],
        })
        order.action_confirm()
        for move in order.picking_ids.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        order.picking_ids.button_validate()
        self.env["jxc.abc.profile"].search([]).write({"is_default": False})
        profile = self.env["jxc.abc.profile"].create({"name": "JXC Tour Profile", "lookback_days": 30, "is_default": True})
        # Computed tomorrow, so that today's delivery is in the period (which ends yesterday).
        with freeze_time(datetime.now() + timedelta(days=1)):
            profile.action_compute()
        # The only moved product is the first-ranked: A.
        self.assertEqual(product.jxc_abc_class, "a")
        self.start_tour("/odoo/action-jxc_addon.jxc_abc_result_action", "jxc_abc_tour", login="admin")
