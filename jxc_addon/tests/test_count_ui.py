from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from .common_ui import JxcHttpCase


class JxcCountUiCase(JxcHttpCase):
    def _stocked_products(self, location, goods):
        """Storable products {(name, code): on hand at ``location``}, the code also their barcode."""
        products = self.env["product.product"].create([
            {"name": name, "is_storable": True, "default_code": code, "barcode": code} for name, code in goods
        ])
        for product, qty in zip(products, goods.values(), strict=True):
            if qty:
                self.env["stock.quant"].sudo()._update_available_quantity(product, location, qty)
        return products

    def _stock_location(self):
        return self.env["stock.warehouse"].search([("company_id", "=", self.env.company.id)], limit=1).lot_stock_id


@tagged("post_install", "-at_install")
class TestCountUi(JxcCountUiCase):
    """Counting on a phone: the count lines open as cards, a barcode finds the line, it is counted."""

    browser_size = "375x667"
    touch_enabled = True

    def test_count_line_on_phone(self):
        env = self.env
        stock = self._stock_location()
        self._stocked_products(stock, {("JXC Gadget", "JXC-002"): 50, ("JXC Gizmo", "JXC-003"): 50})
        plan = env["jxc.count.plan"].create({"location_ids": [(6, 0, stock.ids)]})
        plan.action_start()
        action = env.ref("jxc_addon.jxc_count_line_action")
        self.start_tour("/odoo/action-%s" % action.id, "jxc_count_line_mobile_tour", login="admin")
        line = plan.line_ids.filtered(lambda line: line.product_id.default_code == "JXC-002")
        self.assertTrue(line.is_counted)
        self.assertEqual(line.counted_qty, 47)
        self.assertEqual(line.counted_by_id, env.ref("base.user_admin"))

    def test_zero_counted_on_phone(self):
        """0 typed on an uncounted line's form is a count (the line held 0 already)."""
        stock = self._stock_location()
        gadget, gizmo = self._stocked_products(stock, {("JXC Gadget", "JXC-002"): 50, ("JXC Gizmo", "JXC-003"): 50})
        counter = new_test_user(self.env, login="jxc_zero_phone", groups="jxc_addon.group_jxc_user")
        plan = self.env["jxc.count.plan"].create({"location_ids": [Command.set(stock.ids)]})
        plan.action_start()
        action = self.env.ref("jxc_addon.jxc_count_line_action")
        self.start_tour("/odoo/action-%s" % action.id, "jxc_count_line_zero_mobile_tour", login=counter.login)
        lines = {line.product_id: line for line in plan.line_ids}
        self.assertTrue(lines[gizmo].is_counted)
        self.assertEqual(lines[gizmo].counted_qty, 0)
        self.assertEqual(lines[gizmo].counted_by_id, counter)
        self.assertEqual(lines[gizmo].difference_qty, -50)
        self.assertFalse(lines[gadget].is_counted)


@tagged("post_install", "-at_install")
class TestCountZeroUi(JxcCountUiCase):
    """Counting 0 in the lines of a blind plan's form, on a desktop."""

    def test_zero_counted_in_plan_lines(self):
        stock = self._stock_location()
        empty, full, spare = self._stocked_products(stock, {
            ("JXC Empty Bin", "JXC-Z1"): 5, ("JXC Full Bin", "JXC-Z2"): 3, ("JXC Spare", "JXC-Z3"): 0})
        counter = new_test_user(self.env, login="jxc_zero_counter", groups="jxc_addon.group_jxc_user")
        plan = self.env["jxc.count.plan"].create({
            "location_ids": [Command.set(stock.ids)], "include_children": False, "blind": True,
            "product_ids": [Command.set((empty | full | spare).ids)], "counter_ids": [Command.set(counter.ids)],
        })
        plan.action_start()
        self.assertEqual(len(plan.line_ids), 3)
        action = self.env.ref("jxc_addon.jxc_count_plan_action")
        self.start_tour("/odoo/action-%s/%s" % (action.id, plan.id), "jxc_count_line_zero_tour", login=counter.login)
        self.assertEqual(plan.state, "counted")
        counts = {line.product_id: (line.is_counted, line.counted_qty, line.counted_by_id) for line in plan.line_ids}
        self.assertEqual(counts, {empty: (True, 0, counter), full: (True, 3, counter), spare: (True, 0, counter)})
        self.assertEqual(plan.line_ids.filtered(lambda line: line.product_id == empty).difference_qty, -5)
