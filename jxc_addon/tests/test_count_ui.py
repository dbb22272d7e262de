from odoo.tests import tagged

from .common_ui import JxcHttpCase


@tagged("post_install", "-at_install")
class TestCountUi(JxcHttpCase):
    """Counting on a phone: the count lines open as cards, a barcode finds the line, it is counted."""

    browser_size = "375x667"
    touch_enabled = True

    def setUp(self):
        super().setUp()
        try:
            import websocket  # noqa: F401, PLC0415
        except ImportError:
            self.fail("websocket-client is not installed: run bin/bootstrap")

    def test_count_line_on_phone(self):
        env = self.env
        stock = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1).lot_stock_id
        products = env["product.product"].create([
            {"name": name, "is_storable": True, "default_code": code, "barcode": code}
            for name, code in (("JXC Gadget", "JXC-002"), ("JXC Gizmo", "JXC-003"))
        ])
        for product in products:
            env["stock.quant"].sudo()._update_available_quantity(product, stock, 50)
        plan = env["jxc.count.plan"].create({"location_ids": [(6, 0, stock.ids)]})
        plan.action_start()
        action = env.ref("jxc_addon.jxc_count_line_action")
        self.start_tour("/odoo/action-%s" % action.id, "jxc_count_line_mobile_tour", login="admin")
        line = plan.line_ids.filtered(lambda line: line.product_id.default_code == "JXC-002")
        self.assertTrue(line.is_counted)
        self.assertEqual(line.counted_qty, 47)
        self.assertEqual(line.counted_by_id, env.ref("base.user_admin"))
