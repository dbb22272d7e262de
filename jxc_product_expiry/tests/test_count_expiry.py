from freezegun import freeze_time

from odoo.tests import tagged

from .common import JxcExpiryCommon


@tagged("post_install", "-at_install")
class TestCountExpiry(JxcExpiryCommon):
    def test_count_lines_carry_the_lot_expiry(self):
        with freeze_time("2025-04-01 04:00:00"):
            plan = self.env["jxc.count.plan"].create({
                "warehouse_id": self.warehouse.id, "product_ids": [(6, 0, self.yogurt.ids)],
            })
            plan.action_start()
        lines = {line.lot_id: line for line in plan.line_ids}
        self.assertEqual(set(lines), {self.lot_a, self.lot_b})
        self.assertEqual(str(lines[self.lot_a].lot_expiration_date), "2025-04-11 04:00:00")
        html = self.env["ir.actions.report"]._render_qweb_html(
            "jxc_addon.jxc_count_plan_report_sheet", plan.ids)[0].decode()
        self.assertIn("Expires", html)
        self.assertIn("04/11/2025", html)
