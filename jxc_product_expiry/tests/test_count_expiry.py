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

    def test_posting_keeps_the_lot_expiry(self):
        """Counting 18 of lot Y-A (book 20) and 61 of lot Y-B (book 60): Odoo's inventory
        moves carry the same lots, whose expiration and alert dates stay as received."""
        dates = {lot: (lot.expiration_date, lot.alert_date) for lot in self.lot_a | self.lot_b}
        with freeze_time("2025-04-01 04:00:00"):
            plan = self.env["jxc.count.plan"].create({
                "warehouse_id": self.warehouse.id, "product_ids": [(6, 0, self.yogurt.ids)],
            })
            plan.action_start()
            counted = {self.lot_a: 18.0, self.lot_b: 61.0}
            for line in plan.line_ids:
                line.counted_qty = counted[line.lot_id]
            plan.action_submit()
            for line in plan.line_ids.filtered("is_discrepancy"):
                line.reason_id = self.env.ref(
                    "jxc_addon.jxc_count_reason_loss" if line.difference_qty < 0 else "jxc_addon.jxc_count_reason_surplus")
            plan.action_approve()
            plan.action_post()
        self.assertEqual(plan.state, "done")
        moves = self.env["stock.move"].search([("jxc_count_plan_id", "=", plan.id)])
        self.assertEqual(
            sorted((ml.lot_id.name, ml.quantity, ml.location_dest_id.usage) for ml in moves.move_line_ids),
            [("Y-A", 2.0, "inventory"), ("Y-B", 1.0, "internal")],
        )
        self.env.invalidate_all()
        self.assertEqual({lot: (lot.expiration_date, lot.alert_date) for lot in dates}, dates)
        self.assertEqual(str(self.lot_a.expiration_date), "2025-04-11 04:00:00")
        quants = self.env["stock.quant"].search([
            ("product_id", "=", self.yogurt.id), ("location_id", "=", self.warehouse.lot_stock_id.id),
        ])
        self.assertEqual(sorted((q.lot_id.name, q.quantity) for q in quants), [("Y-A", 18.0), ("Y-B", 61.0)])
