"""A deleted reordering rule withdraws its forecast drift to-do, as a resolved drift does,
unless another drifting rule of the product shares it (today 30 June 2025, see
safety_common.py)."""

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from .safety_common import SafetyStockCommon


@tagged("post_install", "-at_install")
class TestDriftRuleDelete(SafetyStockCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.buyer = new_test_user(cls.env, "jxc_drift_delete_buyer",
                                  groups="jxc_addon.group_jxc_user,purchase.group_purchase_user")
        cls.vendor_a.buyer_id = cls.buyer
        cls.shop = cls.env["stock.warehouse"].create({"name": "JXC Shop", "code": "JXS"})
        # product_5, in both warehouses: sold 10 a day on 20, 21 and 22 June, then nothing (its
        # moving average drifts: bias z 2.47, see test_planning_accuracy.py)
        cls.product_5 = cls.env["product.product"].create({
            **cls._prepare_product_vals("JXC Lamp", 5.0, 12.0, "JXC-105"),
            "seller_ids": [Command.create({"partner_id": cls.vendor_a.id, "price": 5.0, "delay": 2})],
        })
        for warehouse in (cls.warehouse, cls.shop):
            with freeze_time("2025-06-19 02:00:00"):
                cls._set_on_hand(cls.product_5, 50.0, warehouse.lot_stock_id)
            for day in (20, 21, 22):
                with freeze_time(f"2025-06-{day} 02:00:00"):
                    cls._deliver(cls._create_sale(cls.customer_a, [(cls.product_5, 10.0, 12.0)], warehouse=warehouse))

    def _rules(self):
        rules = self.Orderpoint.search([("product_id", "=", self.product_5.id)])
        return rules.filtered(lambda op: op.warehouse_id == self.warehouse), rules.filtered(lambda op: op.warehouse_id == self.shop)

    def _alerts(self):
        return self.env["mail.activity"].with_context(active_test=False).search([
            ("res_model", "=", "product.product"), ("res_id", "=", self.product_5.id),
        ])

    def test_deleted_rules_withdraw_their_shared_alert(self):
        """Both rules drift and share the buyer's to-do. Deleting the shop's leaves it to the
        main one, which still drifts; deleting that one too withdraws it. Recomputed, the
        rules drift again: one to-do, not a second beside a forgotten one."""
        Drift = self.env["jxc.forecast.drift"]
        self._compute()
        main, shop = self._rules()
        self.assertEqual((main.jxc_forecast_bias_z, shop.jxc_forecast_bias_z), (2.47, 2.47))
        Drift._cron_send_alerts()
        alert = self._alerts()
        self.assertEqual((len(alert), alert.user_id, alert.active), (1, self.buyer, True))
        self.assertEqual((main.jxc_drift_activity_id, shop.jxc_drift_activity_id), (alert, alert))

        shop.with_user(self.jxc_manager).unlink()
        self.assertEqual(self._alerts(), alert)
        Drift._cron_send_alerts()
        self.assertEqual((self._alerts(), main.jxc_drift_activity_id), (alert, alert))

        main.with_user(self.jxc_manager).unlink()
        self.assertFalse(alert.exists())
        Drift._cron_send_alerts()
        self.assertFalse(self._alerts())

        self._compute()
        main, shop = self._rules()
        Drift._cron_send_alerts()
        again = self._alerts()
        self.assertEqual((len(again), again.user_id), (1, self.buyer))
        self.assertEqual((main.jxc_drift_activity_id, shop.jxc_drift_activity_id), (again, again))

    def test_alert_of_a_resolved_rule_goes_with_the_drifting_ones(self):
        """The shop's forecast no longer drifts (recomputed on other figures) while the main
        rule's does: the shared to-do stays with the main rule until it is deleted."""
        Drift = self.env["jxc.forecast.drift"]
        self._compute()
        main, shop = self._rules()
        Drift._cron_send_alerts()
        alert = self._alerts()
        shop.sudo().jxc_forecast_bias_z = 0.5
        Drift._cron_send_alerts()
        self.assertEqual((shop.jxc_drift_activity_id, shop.jxc_drift_alerted), (self.env["mail.activity"], False))
        self.assertEqual((main.jxc_drift_activity_id, alert.active), (alert, True))
        main.with_user(self.jxc_manager).unlink()
        self.assertFalse(alert.exists())

    def test_refused_deletion_keeps_the_alert(self):
        """The buyer may not delete reordering rules: refused, the rule and its to-do stay."""
        self._compute()
        main, _shop = self._rules()
        self.env["jxc.forecast.drift"]._cron_send_alerts()
        alert = self._alerts()
        with self.assertRaises(AccessError):
            main.with_user(self.buyer).unlink()
        self.assertEqual((main.exists(), alert.exists(), alert.active), (main, alert, True))

    def test_done_alert_stays_archived(self):
        """The buyer marked the to-do done (Odoo archives it): deleting the rule leaves the
        archived activity as the record of what was reviewed."""
        self._compute()
        main, shop = self._rules()
        self.env["jxc.forecast.drift"]._cron_send_alerts()
        alert = self._alerts()
        alert.with_user(self.buyer).action_done()
        (main | shop).with_user(self.jxc_manager).unlink()
        self.assertEqual((alert.exists(), alert.active), (alert, False))
