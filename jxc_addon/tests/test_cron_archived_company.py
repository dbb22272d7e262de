"""An archived company keeps its data, and its users may still switch to it: the add-on's
scheduled actions leave it alone, as Odoo's own scheduler does (it loops over the active
companies)."""

from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common import JxcCommon


@tagged("post_install", "-at_install")
class TestCronArchivedCompany(JxcCommon):
    def test_scheduled_actions_leave_an_archived_company(self):
        closed = self.env["res.company"].create({"name": "JXC Closed Co"})
        self.env.user.company_ids |= closed
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", closed.id)], limit=1)
        self._set_on_hand(self.product_1, 5.0, warehouse.lot_stock_id)
        env = self.env(context=dict(self.env.context, allowed_company_ids=[closed.id]))
        safety = env["jxc.safety.stock.rule"].create({
            "name": "Closed rule", "product_id": self.product_1.id, "method": "fixed", "fixed_qty": 8.0,
            "history_days": 30, "review_days": 7,
        })
        profile = env["jxc.abc.profile"].create({"name": "Closed profile"})
        cycle = env["jxc.count.cycle.rule"].create({"name": "Closed cycle", "warehouse_id": warehouse.id})
        period = env["jxc.supplier.period"]._get_or_create_period(closed, date(2025, 3, 1))
        # the same records in the active company are processed: the actions did run
        mine = self.env["jxc.count.cycle.rule"].create({"name": "Open cycle", "warehouse_id": self.warehouse.id})
        closed.active = False

        with freeze_time("2025-04-02 03:00:00"):
            self.env["jxc.count.cycle.rule"]._cron_create_due_plans()
            self.env["jxc.planning.engine"]._cron_update_orderpoints()
            self.env["jxc.abc.profile"]._cron_compute_profiles()
            self.env["jxc.supplier.period"]._cron_compute_supplier_evaluations()

        self.assertTrue(mine.last_run)
        self.assertFalse(cycle.last_run)
        self.assertFalse(self.env["stock.warehouse.orderpoint"].with_context(active_test=False).search(
            [("company_id", "=", closed.id)]))
        self.assertTrue(safety.active)
        self.assertFalse(profile.last_computed_on)
        self.assertFalse(period.computed_at)
