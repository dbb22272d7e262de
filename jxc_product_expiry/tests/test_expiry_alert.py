from unittest.mock import patch

from freezegun import freeze_time

from odoo import fields
from odoo.addons.jxc_addon.tests.common import run_migration
from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged
from odoo.tools.convert import convert_file

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
            # Y-C expired on 20 March: not to be sold any more, unlike Y-A
            note = str(alert.activity_ids.note)
            self.assertRegex(note, r"before they expire: [^<]*%s" % self.lot_a.name)
            self.assertRegex(note, r"Expired: take these lots out of sale and scrap or return them: [^<]*%s" % self.lot_c.name)
            self.assertNotRegex(note, r"before they expire: [^<]*%s" % self.lot_c.name)
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

    def test_lot_past_its_removal_date_is_not_to_be_sold(self):
        """Y-A's removal date is 30 March (before its alert is sent on 1 April, though it
        expires on 11 April): Odoo no longer reserves it for deliveries, so the digest does not
        ask to sell it before it expires."""
        self.lot_a.removal_date = "2025-03-30 04:00:00"
        with freeze_time("2025-04-01 04:00:00"):
            note = str(self.env["jxc.expiry.alert"]._send_alerts().activity_ids.note)
        self.assertRegex(note, r"Past their removal date, no longer reserved for deliveries: [^<]*%s" % self.lot_a.name)
        self.assertNotIn("Sell, use or move these lots", note)
        self.assertRegex(note, r"Expired: [^<]*%s" % self.lot_c.name)

    def test_responsible_follows_the_alert_up(self):
        """The responsible, a JXC user who may only read the alert, logs a note on it and marks
        its activity done with a next one; the alert's own fields stay the action's."""
        with freeze_time("2025-04-01 04:00:00"):
            alert = self.env["jxc.expiry.alert"]._send_alerts().with_user(self.jxc_user)
            note = alert.message_post(body="Y-A moved to the front shelf", message_type="comment",
                                      subtype_xmlid="mail.mt_note")
            alert.activity_schedule("mail.mail_activity_data_todo", summary="Check the front shelf",
                                    user_id=self.jxc_user.id)
            self.assertIn(note, alert.message_ids)
            self.assertEqual(len(alert.activity_ids), 2)
            with self.assertRaises(AccessError):
                alert.date = "2025-04-02"

    def test_second_run_of_the_day_updates_the_activity(self):
        """Lots due later the same day join the day's alert, and its open activity says so."""
        with freeze_time("2025-04-01 04:00:00"):
            alert = self.env["jxc.expiry.alert"]._cron_send_alerts()
            self.assertEqual(alert.activity_ids.summary, "Near expiry: 2 lots reached their alert date")
            self.lot_b.alert_date = "2025-04-01 02:00:00"
            self.assertEqual(self.env["jxc.expiry.alert"]._cron_send_alerts(), alert)
            self.assertEqual(alert.lot_ids, self.lot_a | self.lot_b | self.lot_c)
            self.assertEqual(len(alert.activity_ids), 1)
            self.assertEqual(alert.activity_ids.summary, "Near expiry: 3 lots reached their alert date")
            self.assertIn(self.lot_b.name, str(alert.activity_ids.note))

    def test_lots_odoo_reminded_first_are_in_the_digest(self):
        """Odoo's own daily action ran first (it flags the lots at its UTC day): it leaves the
        lots to the digest (no activity per lot beside the digest's one), the day's digest
        lists them, and the next run does not list them again."""
        with freeze_time("2025-04-01 04:00:00"):
            self.env["stock.lot"]._alert_date_exceeded()
            self.assertTrue(self.lot_a.product_expiry_reminded)
            self.assertFalse((self.lot_a | self.lot_c).activity_ids)
            alert = self.env["jxc.expiry.alert"]._cron_send_alerts()
            self.assertEqual(alert.lot_ids, self.lot_a | self.lot_c)
            self.assertFalse(self.env["jxc.expiry.alert"]._cron_send_alerts())

    def test_digest_off_odoo_reminds_each_lot(self):
        """The digest's scheduled action switched off: Odoo's own reminder per lot goes on. Switched
        on again (or installed on a database where Odoo reminded lots before), the digest does not
        announce those lots a second time, also once their reminders are done."""
        cron = self.env.ref("jxc_product_expiry.jxc_expiry_alert_cron")
        cron.active = False
        with freeze_time("2025-04-01 04:00:00"):
            self.env["stock.lot"]._alert_date_exceeded()
        self.assertEqual(len((self.lot_a | self.lot_c).activity_ids), 2)
        self.lot_a.activity_ids.action_done()
        cron.active = True
        with freeze_time("2025-04-02 04:00:00"):
            self.assertFalse(self.env["jxc.expiry.alert"]._cron_send_alerts())
        with freeze_time("2025-05-21 04:00:00"):
            self.assertEqual(self.env["jxc.expiry.alert"]._cron_send_alerts().lot_ids, self.lot_b)

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

    def test_alert_date_by_the_company_day(self):
        """A lot whose alert date is 1 January (Shanghai) is announced from Shanghai's midnight,
        while it is still 31 December in UTC, and the warnings list shows it the same day."""
        with freeze_time("2026-12-01 04:00:00"):
            lot = self.env["stock.lot"].create({
                "name": "Y-NY", "product_id": self.yogurt.id, "company_id": self.company.id,
                # 21 January 10:00 in Shanghai; alert 20 days before: 1 January 10:00 (02:00 UTC)
                "expiration_date": "2027-01-21 02:00:00",
            })
            self.env["stock.quant"].with_context(inventory_mode=True).create({
                "product_id": self.yogurt.id, "location_id": self.warehouse.lot_stock_id.id, "lot_id": lot.id,
                "inventory_quantity": 8,
            }).action_apply_inventory()
        self.assertEqual(str(lot.alert_date), "2027-01-01 02:00:00")
        warning_domain = ["|", ("is_near_expiry", "=", True), ("is_expired", "=", True), ("lot_id", "=", lot.id)]
        with freeze_time("2026-12-31 15:59:00"):  # 23:59 on 31 December in Shanghai
            alert = self.env["jxc.expiry.alert"]._send_alerts()
            self.assertNotIn(lot, alert.lot_ids)
            self.assertEqual(alert.date, fields.Date.to_date("2026-12-31"))
            self.env.invalidate_all()
            self.assertFalse(self.env["jxc.shelf.life.report"].search(warning_domain))
        with freeze_time("2026-12-31 17:00:00"):  # 01:00 on 1 January in Shanghai
            alert = self.env["jxc.expiry.alert"]._send_alerts()
            self.assertEqual(alert.lot_ids, lot)
            self.assertEqual(alert.date, fields.Date.to_date("2027-01-01"))
            self.assertEqual(alert.activity_ids.date_deadline, fields.Date.to_date("2027-01-01"))
            self.assertTrue(lot.product_expiry_reminded)
            self.env.invalidate_all()
            row = self.env["jxc.shelf.life.report"].search(warning_domain)
            self.assertEqual((row.quantity, row.days_left, row.is_near_expiry), (8.0, 20, True))

    def test_alert_opens_its_company_stock(self):
        """Lot Y-A is shared (no company) and a second company holds 5 of it: the alert's button,
        opened by a manager of both companies, lists this company's stock of the lot alone."""
        self.assertFalse(self.lot_a.company_id)
        company_2 = self.env["res.company"].create({"name": "JXC Second Expiry Company"})
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", company_2.id)], limit=1)
        self.env["stock.quant"].with_company(company_2).with_context(inventory_mode=True).create({
            "product_id": self.yogurt.id, "location_id": warehouse.lot_stock_id.id, "lot_id": self.lot_a.id,
            "inventory_quantity": 5,
        }).action_apply_inventory()
        self.jxc_manager.company_ids |= company_2
        with freeze_time("2025-04-01 04:00:00"):
            alert = self.env["jxc.expiry.alert"]._send_alerts().filtered(lambda a: a.company_id == self.company)
            action = alert.with_user(self.jxc_manager).action_open_lots()
            self.env.invalidate_all()
            rows = self.env["jxc.shelf.life.report"].with_user(self.jxc_manager).with_context(
                allowed_company_ids=[self.company.id, company_2.id]).search(action["domain"])
            self.assertIn(self.lot_a, rows.lot_id)
            self.assertEqual(rows.company_id, self.company)

    def test_only_the_stock_the_report_shows(self):
        """A vendor's consigned lot and a lot kept outside any warehouse reach their alert
        date too: the shelf-life report leaves them out, and so does the alert, whose button
        lists exactly its lots."""
        loose = self.env["stock.location"].create({"name": "JXC Loose Stock", "usage": "internal"})
        self.assertFalse(loose.warehouse_id)
        lots = {}
        with freeze_time("2025-03-02 04:00:00"):
            for name, location, owner in (("Y-V", self.stock_location, self.vendor_b), ("Y-L", loose, False)):
                lots[name] = self.env["stock.lot"].create({
                    "name": name, "product_id": self.yogurt.id, "company_id": self.company.id,
                    "expiration_date": "2025-04-05 04:00:00",
                })
                self.env["stock.quant"].with_context(inventory_mode=True).create({
                    "product_id": self.yogurt.id, "location_id": location.id, "lot_id": lots[name].id,
                    "owner_id": owner and owner.id, "inventory_quantity": 6,
                }).action_apply_inventory()
        with freeze_time("2025-04-01 04:00:00"):
            alert = self.env["jxc.expiry.alert"]._send_alerts()
            self.assertEqual(alert.lot_ids, self.lot_a | self.lot_c)
            self.assertFalse(lots["Y-V"].product_expiry_reminded)
            action = alert.with_user(self.jxc_user).action_open_lots()
            self.env.invalidate_all()
            rows = self.env["jxc.shelf.life.report"].with_user(self.jxc_user).search(action["domain"])
            self.assertEqual(rows.lot_id, alert.lot_ids)

    def test_lot_netted_out_in_its_warehouse_keeps_odoo_reminder(self):
        """A lot with 6 on a shelf and -6 on another of the same warehouse: the shelf-life report
        nets them (no row), so no digest announces it; Odoo's own reminder, which sees the
        positive quant, still gives its activity on the lot instead of being silenced."""
        shelf = self.env["stock.location"].create({"name": "JXC Shelf N", "location_id": self.stock_location.id})
        lot = self.env["stock.lot"].create({
            "name": "Y-N", "product_id": self.yogurt.id, "company_id": self.company.id,
            "expiration_date": "2025-04-05 04:00:00",
        })
        with freeze_time("2025-03-02 04:00:00"):
            Quant = self.env["stock.quant"]
            Quant._update_available_quantity(self.yogurt, self.stock_location, 6.0, lot_id=lot)
            Quant._update_available_quantity(self.yogurt, shelf, -6.0, lot_id=lot)
        self.assertEqual(sorted(Quant.search([("lot_id", "=", lot.id)]).mapped("quantity")), [-6.0, 6.0])
        with freeze_time("2025-04-01 04:00:00"):
            self.env["stock.lot"]._alert_date_exceeded()
            self.assertEqual(lot.activity_ids.user_id, self.jxc_user)
            self.assertFalse((self.lot_a | self.lot_c).activity_ids)  # the digest's lots stay the digest's
            alert = self.env["jxc.expiry.alert"]._send_alerts()
            self.assertEqual(alert.lot_ids, self.lot_a | self.lot_c)

    def test_lot_also_consigned_keeps_odoo_reminder_after_the_digest(self):
        """A lot with 6 of the company's own and 4 a vendor consigned on the same shelf: the
        digest announces the company's 6, and Odoo's reminder, run after it, still gives its
        activity on the lot for the consigned 4, which no digest shows."""
        lot = self.env["stock.lot"].create({
            "name": "Y-M", "product_id": self.yogurt.id, "company_id": self.company.id,
            "expiration_date": "2025-04-05 04:00:00",
        })
        with freeze_time("2025-03-02 04:00:00"):
            for owner, quantity in ((False, 6), (self.vendor_b, 4)):
                self.env["stock.quant"].with_context(inventory_mode=True).create({
                    "product_id": self.yogurt.id, "location_id": self.stock_location.id, "lot_id": lot.id,
                    "owner_id": owner and owner.id, "inventory_quantity": quantity,
                }).action_apply_inventory()
        with freeze_time("2025-04-01 04:00:00"):
            alert = self.env["jxc.expiry.alert"]._send_alerts()
            self.assertEqual(alert.lot_ids, self.lot_a | self.lot_c | lot)
            self.assertEqual((self.lot_a.product_expiry_reminded, lot.product_expiry_reminded), (True, False))
            self.env["stock.lot"]._alert_date_exceeded()
        self.assertEqual(lot.activity_ids.user_id, self.jxc_user)
        self.assertFalse((self.lot_a | self.lot_c).activity_ids)  # the digest's lots stay the digest's

    def test_jxc_manager_through_an_implied_group(self):
        """The company's JXC manager has the group through another one that implies it: they
        get the digest when the product has no responsible."""
        director = self.env["res.groups"].create({
            "name": "JXC Director", "implied_ids": [Command.link(self.env.ref("jxc_addon.group_jxc_manager").id)],
        })
        boss = new_test_user(self.env, login="jxc_director", name="Director", groups="base.group_user")
        boss.group_ids = [Command.link(director.id)]
        self.assertNotIn(self.env.ref("jxc_addon.group_jxc_manager"), boss.group_ids)
        manager_group = self.env.ref("jxc_addon.group_jxc_manager")
        manager_group.user_ids = [Command.unlink(user.id) for user in manager_group.user_ids]
        self.assertEqual(self.env["jxc.expiry.alert"]._get_responsible(self.env["product.product"], self.company), boss)

    def test_responsible_who_may_not_read_the_alert(self):
        """The product's responsible is an Inventory user without the JXC groups: the digest
        goes to the company's JXC manager, who may open it."""
        keeper = new_test_user(self.env, login="jxc_keeper", name="Stock Keeper", groups="stock.group_stock_user")
        self.assertFalse(self.env["jxc.expiry.alert"].with_user(keeper).has_access("read"))
        self.yogurt.responsible_id = keeper
        with freeze_time("2025-04-01 04:00:00"):
            alert = self.env["jxc.expiry.alert"]._send_alerts()
        self.assertTrue(alert.user_id.has_group("jxc_addon.group_jxc_manager"))
        self.assertIn(self.company, alert.user_id.company_ids)
        self.assertEqual((alert.lot_ids, alert.activity_ids.user_id), (self.lot_a | self.lot_c, alert.user_id))
        self.assertTrue(alert.with_user(alert.user_id).has_access("read"))
        self.assertTrue(self.lot_a.product_expiry_reminded)

    def test_responsible_who_left(self):
        """The product's responsible, a JXC user who may read the alert, left and was archived:
        the digest goes to the company's JXC manager, not to the archived user."""
        leaver = new_test_user(self.env, login="jxc_leaver", name="Clerk Who Left", groups="jxc_addon.group_jxc_user")
        self.yogurt.responsible_id = leaver
        leaver.action_archive()
        with freeze_time("2025-04-01 04:00:00"):
            alert = self.env["jxc.expiry.alert"]._send_alerts()
        self.assertNotEqual(alert.user_id, leaver)
        self.assertTrue(alert.user_id.active)
        self.assertTrue(alert.user_id.has_group("jxc_addon.group_jxc_manager"))
        self.assertEqual((alert.lot_ids, alert.activity_ids.user_id), (self.lot_a | self.lot_c, alert.user_id))

    def test_nobody_may_read_the_alert_odoo_reminds(self):
        """In a company without JXC manager, the product's responsible is an Inventory user
        who may not read the alerts: nobody gets a digest, the lot is not marked reminded, and
        Odoo's own daily action gives its activity on the lot to the responsible."""
        company_2 = self.env["res.company"].create({"name": "JXC Expiry Company 2"})
        company_2.partner_id.tz = "Asia/Shanghai"
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", company_2.id)], limit=1)
        managers = self.env["res.users"].search([
            ("group_ids", "in", self.env.ref("jxc_addon.group_jxc_manager").id), ("company_ids", "in", company_2.id)])
        self.assertFalse(managers)
        keeper = new_test_user(self.env, login="jxc_keeper_2", name="Stock Keeper 2", groups="stock.group_stock_user",
                               company_id=company_2.id, company_ids=company_2.ids)
        self.yogurt.with_company(company_2).responsible_id = keeper
        lot = self.env["stock.lot"].create({
            "name": "Y-2", "product_id": self.yogurt.id, "company_id": company_2.id,
            "expiration_date": "2025-04-11 04:00:00",
        })
        with freeze_time("2025-03-02 04:00:00"):
            self.env["stock.quant"].with_company(company_2).with_context(inventory_mode=True).create({
                "product_id": self.yogurt.id, "location_id": warehouse.lot_stock_id.id, "lot_id": lot.id,
                "inventory_quantity": 4,
            }).action_apply_inventory()
        with freeze_time("2025-04-01 04:00:00"):
            alerts = self.env["jxc.expiry.alert"]._send_alerts()
            self.assertEqual(alerts.lot_ids, self.lot_a | self.lot_c)  # the first company's
            self.assertFalse(lot.product_expiry_reminded)
            self.env["stock.lot"]._alert_date_exceeded()
        self.assertTrue(lot.product_expiry_reminded)
        self.assertEqual(lot.activity_ids.user_id, keeper)

    def test_upgrade_moves_the_job_to_every_hour_unless_changed(self):
        """19.0.1.2.0: the alerts, still as installed (daily at 01:00 UTC, the evening before in
        the Americas), run every hour from the next hour, each company's lots after its own
        midnight; a schedule an administrator changed is left as it is."""
        cron = self.env.ref("jxc_product_expiry.jxc_expiry_alert_cron")
        with freeze_time("2025-04-02 10:20:00"):
            cron.write({"interval_type": "days", "nextcall": "2025-04-03 01:00:00"})
            run_migration(self.env, "19.0.1.2.0", module="jxc_product_expiry")
            self.assertEqual((cron.interval_type, str(cron.nextcall)), ("hours", "2025-04-02 11:00:00"))
            cron.write({"interval_type": "days", "nextcall": "2025-04-03 06:00:00"})
            run_migration(self.env, "19.0.1.2.0", module="jxc_product_expiry")
            self.assertEqual((cron.interval_type, str(cron.nextcall)), ("days", "2025-04-03 06:00:00"))

    def test_cron_deactivation_survives_upgrade(self):
        """An administrator's deactivation of the job holds through an upgrade, which reloads
        the data file in update mode, also in a database installed before the file was noupdate,
        whose job row the 19.0.1.1.0 migration marks."""
        data = self.env["ir.model.data"].search(
            [("module", "=", "jxc_product_expiry"), ("name", "=", "jxc_expiry_alert_cron")])
        self.assertTrue(data.noupdate)
        data.noupdate = False  # as installed before
        data.flush_recordset()
        cron = self.env.ref("jxc_product_expiry.jxc_expiry_alert_cron")
        cron.active = False
        convert_file(self.env, "jxc_product_expiry", "data/jxc_expiry_alert_cron.xml", {}, mode="update")
        cron.invalidate_recordset()
        self.assertFalse(cron.active)
        run_migration(self.env, "19.0.1.1.0", module="jxc_product_expiry")
        data.invalidate_recordset()
        self.assertTrue(data.noupdate)
