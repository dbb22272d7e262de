"""The days and horizon of Odoo's figures on the purchase plan: computed in the rules' company
(its replenishment horizon), dated by Odoo's own day, never steered by a client's context.

Fixtures of safety_common.py (today 30 June 2025, 12:00 in Shanghai): product 3 (Gizmo,
vendor B, 10 days) has 0 on hand for min = max = 5 in the main company, whose horizon is
Odoo's default 365 days.
"""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged

from .safety_common import PurchasePlanCommon


@tagged("post_install", "-at_install")
class TestPurchasePlanDates(PurchasePlanCommon):

    def _deliver_later(self, product, qty, days, location):
        """A delivery of ``qty`` out of ``location`` confirmed now, due in ``days`` days."""
        move = self.env["stock.move"].create({
            "product_id": product.id, "product_uom_qty": qty, "product_uom": self.uom_unit.id,
            "location_id": location.id, "location_dest_id": self.env.ref("stock.stock_location_customers").id,
            "date": fields.Datetime.now() + timedelta(days=days), "company_id": location.company_id.id,
        })
        move._action_confirm()
        return move

    def test_preview_in_the_rules_company(self):
        """Company B plans with no horizon, the buyer's current company A with 365 days. B's rule
        for Gizmos orders from vendor B; the buyer, working in A, chooses vendor A (2 days) on
        B's line. A delivery of 20 due in 60 days is beyond B's forecast (its lead time alone):
        the line's To Order is Odoo's quantity of the rule with vendor A in company B (the
        delivery left out), which Create RFQs orders, not the 20 more of A's horizon."""
        self.assertEqual(self.company.horizon_days, 365.0)
        company_b = self.env["res.company"].create({"name": "JXC Short Horizon Co", "horizon_days": 0.0})
        company_b.partner_id.tz = "Asia/Shanghai"
        self.jxc_user.company_ids |= company_b
        env_b = self.env(context=dict(self.env.context, allowed_company_ids=company_b.ids))
        Seller = self.env["product.supplierinfo"]
        Seller.create({"partner_id": self.vendor_b.id, "product_tmpl_id": self.product_3.product_tmpl_id.id,
                       "price": 50.0, "delay": 10, "company_id": company_b.id})
        seller_a = Seller.create({"partner_id": self.vendor_a.id, "product_tmpl_id": self.product_3.product_tmpl_id.id,
                                  "price": 55.0, "delay": 2, "company_id": company_b.id})
        env_b["jxc.safety.stock.rule"].create({
            "name": "B Gizmos", "product_id": self.product_3.id, "method": "fixed", "fixed_qty": 8.0,
            "history_days": 30, "review_days": 7,
        })
        env_b["stock.warehouse.orderpoint"]._jxc_update_orderpoints(company_b)
        warehouse_b = self.env["stock.warehouse"].search([("company_id", "=", company_b.id)], limit=1)
        self._deliver_later(self.product_3, 20.0, 60, warehouse_b.lot_stock_id)
        plan_b = self.Plan.with_company(company_b)._refresh(company_b)
        line = plan_b.filtered(lambda line: line.product_id == self.product_3)
        rule = line.orderpoint_id
        self.assertEqual((line.vendor_id, rule.supplier_id.partner_id), (self.vendor_b, self.vendor_b))
        # Odoo's own figure for the rule with vendor A, in company B, as Create RFQs orders it
        with self.env.cr.savepoint() as savepoint:
            rule_b = rule.with_env(env_b)
            rule_b.supplier_id = seller_a
            self.env.invalidate_all()
            odoo_qty = rule_b._get_qty_to_order() if rule_b.qty_forecast < rule_b.product_min_qty else 0.0
            self.assertEqual((rule_b.product_min_qty, rule_b.product_max_qty, rule_b.qty_forecast), (8.0, 8.0, 0.0))
            savepoint.rollback()
        self.env.invalidate_all()
        self.assertEqual(odoo_qty, 8.0)
        # the buyer works in A, B allowed
        buyer_env = self.env(user=self.jxc_user, context=dict(
            self.env.context, allowed_company_ids=[self.company.id, company_b.id]))
        line.with_env(buyer_env).vendor_id = self.vendor_a
        self.assertEqual((line.suggested_qty, rule.supplier_id.partner_id), (8.0, self.vendor_b))
        line.with_env(buyer_env).action_create_rfq()
        po_line = self.env["purchase.order.line"].search([("orderpoint_id", "=", rule.id)])
        self.assertEqual((po_line.partner_id, po_line.product_qty), (self.vendor_a, 8.0))

    def test_refreshed_again_once_odoos_day_changes(self):
        """Shanghai is 8 hours ahead of UTC: the plan refreshed at 00:30 on 1 July there is 16:30
        on 30 June in Odoo's day (UTC), which dates the rules' figures. At 07:30 the lines are
        current in both days; at 08:30 (00:30 UTC on 1 July) Odoo's day has changed: due again,
        once."""
        Plan = self.Plan
        with freeze_time("2025-06-30 16:30:00"):
            lines = Plan._refresh(self.company)
        self.assertEqual(lines.mapped("refreshed_on"), [datetime(2025, 6, 30, 16, 30)] * len(lines))
        self.assertEqual(len(lines), 4)

        def due():
            work = Plan._get_refresh_work(self.company, True)
            return work[0][2] if work else Plan.env["stock.warehouse.orderpoint"]

        with freeze_time("2025-06-30 23:30:00"):
            self.assertFalse(due())
        with freeze_time("2025-07-01 00:30:00"):
            self.assertEqual(due(), lines.orderpoint_id)
            Plan._refresh(self.company, due())
            self.assertFalse(due())

    def test_horizon_from_the_client_context_ignored(self):
        """A delivery of 4 Gizmos due in 400 days is beyond the company's 365-day horizon: a
        client's ``global_horizon_days`` of 3650 (Odoo's replenishment key) does not bring it
        into the plan's quantities, nor into the rule's stored quantity to order, nor into the
        quantity and dates of the RFQ Create RFQs makes."""
        self._deliver_later(self.product_3, 4.0, 400, self.stock_location)

        def figures():
            line = self.Plan.search([("company_id", "=", self.company.id), ("product_id", "=", self.product_3.id)])
            return line.suggested_qty, line.qty_position, line.orderpoint_id.qty_to_order_computed

        self.Plan.with_user(self.jxc_user).action_refresh()
        self.assertEqual(figures(), (5.0, 0.0, 5.0))
        self.env.invalidate_all()  # a new request: the rules' lead-time horizons computed again
        self.Plan.with_user(self.jxc_user).with_context(global_horizon_days=3650).action_refresh()
        self.env.invalidate_all()
        self.assertEqual(figures(), (5.0, 0.0, 5.0))
        # Create RFQs orders the company's figure too
        line = self.Plan.search([("company_id", "=", self.company.id), ("product_id", "=", self.product_3.id)])
        self.env.invalidate_all()
        line.with_user(self.jxc_user).with_context(global_horizon_days=3650).action_create_rfq()
        po_line = self.env["purchase.order.line"].search([("orderpoint_id", "=", line.orderpoint_id.id)])
        # dated as without it: ordered today, at noon in Shanghai, for vendor B's 10 days later
        self.assertEqual((po_line.product_qty, po_line.order_id.date_order, po_line.date_planned),
                         (5.0, datetime(2025, 6, 30, 4, 0), datetime(2025, 7, 10, 4, 0)))
