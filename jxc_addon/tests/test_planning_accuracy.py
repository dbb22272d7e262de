"""Forecast accuracy and drift alerts through real deliveries (issue 17, item 4), on the
fixtures of safety_common.py (today 30 June 2025). The measures are those of
tools/forecast.py (tested on worked examples in test_planning_formulas.py), over the
rolling-origin backtest of each rule's method: the last two thirds of the history window.
"""

from unittest.mock import patch

from freezegun import freeze_time

from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from .safety_common import SafetyStockCommon


@tagged("post_install", "-at_install")
class TestPlanningAccuracy(SafetyStockCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.buyer = new_test_user(cls.env, "jxc_forecast_buyer", groups="jxc_addon.group_jxc_user,purchase.group_purchase_user")
        cls.vendor_a.buyer_id = cls.buyer
        # product_5: sold 10 a day on 20, 21 and 22 June, then nothing.
        cls.product_5 = cls.env["product.product"].create({
            **cls._prepare_product_vals("JXC Lamp", 5.0, 12.0, "JXC-105"),
            "seller_ids": [Command.create({"partner_id": cls.vendor_a.id, "price": 5.0, "delay": 2})],
        })
        with freeze_time("2025-06-19 02:00:00"):
            cls._set_on_hand(cls.product_5, 50.0)
        for day in (20, 21, 22):
            with freeze_time(f"2025-06-{day} 02:00:00"):
                cls._deliver(cls._create_sale(cls.customer_a, [(cls.product_5, 10.0, 12.0)]))

    def test_accuracy_of_the_forecast_in_use(self):
        self.rule_class_a.forecast_method = "croston_sba"
        self._compute()
        op = self._orderpoint(self.product_1)
        # Days 4-10: demand 20 5 0 0 10 0 0 (35); Croston-SBA 4.75 5.225 5.2 5.2 5.2 4.8965 4.8965:
        # errors -15.25 0.225 5.2 5.2 -4.8 4.8965 4.8965 -> sum 0.3680, absolute 40.4680.
        self.assertAlmostEqual(op.jxc_forecast_actual, 35.0)
        self.assertAlmostEqual(op.jxc_forecast_abs_error, 40.4680, places=4)
        self.assertAlmostEqual(op.jxc_forecast_wape, 115.62)        # 40.468 / 35
        self.assertAlmostEqual(op.jxc_forecast_bias, 1.05)          # 0.368 / 35
        self.assertAlmostEqual(op.jxc_tracking_signal, 0.06)        # 0.368 / (40.468 / 7)
        self.assertAlmostEqual(op.jxc_forecast_bias_z, 0.02)        # 0.368 / sqrt(357.6851)
        self.assertAlmostEqual(op.jxc_forecast_mase, 0.5781)
        # product_2, moving average over 30 days (demand 6, 12, 6 on days 11, 21, 30): the
        # average of the days before each day is below every sale and above every quiet day:
        # errors sum -13.4369, absolute 32.7217 over 20 days -> tracking signal -8.21, which
        # beyond +-4 called it drifting; three sales are too few to tell a bias from chance:
        # the mean error is 0.93 standard errors below 0, within 1.96.
        op_2 = self._orderpoint(self.product_2)
        self.assertAlmostEqual(op_2.jxc_tracking_signal, -8.21)
        self.assertAlmostEqual(op_2.jxc_forecast_bias_z, -0.93)
        self.assertAlmostEqual(op_2.jxc_forecast_bias, round(-13.4369 / 24 * 100, 2))
        # Seasonal forecasts are not the backtested method: no figures.
        op_4 = self._orderpoint(self.product_4)
        self.assertEqual((op_4.jxc_forecast_method, op_4.jxc_tracking_signal, op_4.jxc_forecast_actual), ("seasonal", 0.0, 0.0))
        # The analysis: one row per managed rule with a measured method, by ABC class and buyer.
        Report = self.env["jxc.forecast.accuracy.report"]
        row = Report.search([("product_id", "=", self.product_1.id)])
        self.assertEqual((row.abc_class, row.demand_class, row.forecast_method), ("a", "intermittent", "croston_sba"))
        self.assertAlmostEqual(row.wape, 115.62)
        self.assertFalse(Report.search([("product_id", "in", (self.product_3 | self.product_4).ids)]))
        groups = dict(Report._read_group([("company_id", "=", self.company.id)], ["abc_class"], ["actual:sum"]))
        self.assertAlmostEqual(groups["a"], 35.0)

    def test_drift_alert_for_the_buyer(self):
        self._compute()
        op = self._orderpoint(self.product_5)
        # Days 4-10 without demand while the average of the days before is 30 / (t - 1): every
        # error runs one way (10, 7.5, 6, 5, 4.29, 3.75, 3.33), the tracking signal is the number
        # of days, 7, and the bias z 39.869 / sqrt(260.79) = 2.47, beyond 1.96.
        self.assertEqual(op.jxc_tracking_signal, 7.0)
        self.assertAlmostEqual(op.jxc_forecast_bias_z, 2.47)
        Report = self.env["jxc.forecast.accuracy.report"]
        drifting = Report.search([("drifting", "=", True)])
        self.assertEqual(drifting.product_id, self.product_5)
        self.assertEqual(drifting.buyer_id, self.buyer)
        self.assertEqual(self.env["jxc.forecast.drift"]._get_drift_count(self.company), 1)
        tile = Report._get_jxc_dashboard_kpis(self.company, None, None)[0]
        self.assertEqual((tile["key"], tile["value"]), ("jxc_forecast_drift", 1.0))
        self.assertEqual(Report.search_count(tile["action"]["domain"]), 1)

        self.env["jxc.forecast.drift"]._cron_send_alerts()
        activities = self.env["mail.activity"].search([
            ("res_model", "=", "product.product"), ("res_id", "=", self.product_5.id),
        ])
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.user_id, self.buyer)
        self.assertIn("(z 2.47, beyond 1.96), tracking signal 7.0", activities.note)
        # Not mailed one by one (Odoo notifies an activity's assignee unless told not to).
        self.assertFalse(self.env["mail.message"].search([
            ("model", "=", "product.product"), ("res_id", "=", self.product_5.id), ("message_type", "=", "user_notification"),
        ]))
        # Once per product and buyer while the activity is open.
        self.env["jxc.forecast.drift"]._cron_send_alerts()
        self.assertEqual(self.env["mail.activity"].search_count([
            ("res_model", "=", "product.product"), ("res_id", "=", self.product_5.id),
        ]), 1)

    def test_drift_alerts_skip_a_failing_batch(self):
        self._compute()
        calls = []

        def failing(company, orderpoints):
            calls.append(orderpoints)
            raise ValueError("broken batch")

        with patch.object(type(self.env["jxc.forecast.drift"]), "_send_alerts", side_effect=failing), \
                self.assertLogs("odoo.addons.jxc_addon.models.jxc_forecast_drift", level="ERROR"):
            self.env["jxc.forecast.drift"]._cron_send_alerts()
        self.assertEqual(len(calls), 1)
        self.assertFalse(self.env["mail.activity"].search([("res_model", "=", "product.product"), ("res_id", "=", self.product_5.id)]))
