from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import tagged

from .common import JxcExpiryCommon

ALERT_LOGGER = "odoo.addons.jxc_product_expiry.models.jxc_expiry_alert"


@tagged("post_install", "-at_install")
class TestExpiryAlert(JxcExpiryCommon):
    def _alerts(self):
        return self.env["jxc.expiry.alert"].search([("company_id", "=", self.company.id)])

    def test_one_activity_per_responsible_no_duplicates(self):
        with freeze_time("2025-04-01 04:00:00"):
            self.env["jxc.expiry.alert"]._cron_send_alerts()
            alert = self._alerts()
            self.assertEqual(len(alert), 1)
            self.assertEqual(alert.user_id, self.jxc_user)  # the product's responsible
            self.assertEqual(alert.lot_ids, self.lot_a | self.lot_c)  # Y-B's alert date is 20 May
            self.assertEqual(alert.activity_ids.user_id, self.jxc_user)
            self.assertEqual(len(alert.activity_ids), 1)
            self.assertTrue(all((self.lot_a | self.lot_c).mapped("product_expiry_reminded")))
            # the next run and Odoo's own daily action announce nothing again, not even per lot
            self.env["jxc.expiry.alert"]._cron_send_alerts()
            self.env["stock.lot"]._alert_date_exceeded()
            self.assertEqual(self._alerts(), alert)
            self.assertEqual(len(alert.activity_ids), 1)
            self.assertFalse((self.lot_a | self.lot_b | self.lot_c).activity_ids)
        with freeze_time("2025-05-21 04:00:00"):
            self.env["jxc.expiry.alert"]._cron_send_alerts()
            new = self._alerts() - alert
            self.assertEqual(new.lot_ids, self.lot_b)
            self.assertEqual(len(new.activity_ids), 1)
            self.assertFalse(self.lot_b.activity_ids)

    def test_without_product_responsible_the_jxc_manager(self):
        self.yogurt.responsible_id = False
        with freeze_time("2025-04-01 04:00:00"):
            alert = self.env["jxc.expiry.alert"]._send_alerts()
        self.assertTrue(alert.user_id.has_group("jxc_addon.group_jxc_manager"))
        self.assertIn(self.company, alert.user_id.company_ids)
        self.assertEqual(alert.activity_ids.user_id, alert.user_id)

    def test_a_failing_responsible_is_skipped_and_logged(self):
        with freeze_time("2025-03-01 04:00:00"):
            cream = self._create_expiry_product("JXC Cream", "JXC-C01", self.jxc_manager)
            lot_cream = self._receive_lot(self.vendor_a, cream, 10, 2.0, "C-1", "2025-03-01 04:00:00")
        Alert = type(self.env["jxc.expiry.alert"])
        original = Alert._create_alert

        def failing(model, company, user, lots):
            if user == self.jxc_user:
                raise ZeroDivisionError("injected fault")
            return original(model, company, user, lots)

        with freeze_time("2025-05-21 04:00:00"):
            with patch.object(Alert, "_create_alert", failing), self.assertLogs(ALERT_LOGGER, "ERROR") as logs:
                alerts = self.env["jxc.expiry.alert"]._send_alerts()
            self.assertIn("jxc_user", logs.output[0])
            self.assertEqual(alerts.user_id, self.jxc_manager)
            self.assertEqual(alerts.lot_ids, lot_cream)
            self.assertFalse(self.lot_a.product_expiry_reminded)  # rolled back: announced next time
            alerts = self.env["jxc.expiry.alert"]._send_alerts()
            self.assertEqual(alerts.user_id, self.jxc_user)
            self.assertEqual(alerts.lot_ids, self.lot_a | self.lot_b | self.lot_c)

    def test_cron_commits_per_responsible(self):
        Cron = type(self.env["ir.cron"])
        with freeze_time("2025-04-01 04:00:00"), \
                patch.object(Cron, "_commit_progress", autospec=True, return_value=60.0) as progress:
            self.env["jxc.expiry.alert"]._cron_send_alerts(use_new_cursor=True)
        calls = progress.call_args_list
        self.assertEqual(calls[0].kwargs, {"remaining": 1})
        self.assertEqual([call.args[1:] for call in calls[1:]], [(1,)])
