from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import tagged

from .common import JxcExpiryCommon

# model: (plain employee, JXC user, JXC manager), as jxc_addon's access matrix
ACCESS = {
    "jxc.shelf.life.report": ("-", "r", "r"),
    # an alert is the record of the lots announced: deleted, they would be announced again
    "jxc.expiry.alert": ("-", "r", "rw"),
}


@tagged("post_install", "-at_install")
class TestShelfLifeAccess(JxcExpiryCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stranger = cls._create_other_company_manager("jxc_expiry_stranger")
        with freeze_time("2025-04-01 04:00:00"):
            cls.env["jxc.expiry.alert"]._send_alerts()

    def test_every_model_is_in_the_table(self):
        models = self.env["ir.model"].search([("model", "=like", "jxc.%")])
        defined = {m.model for m in models if m.modules.replace(" ", "") == "jxc_product_expiry"}
        self.assertEqual(defined, set(ACCESS))

    def test_model_access_per_role(self):
        self._assert_access_table(ACCESS)

    @freeze_time("2025-04-01 04:00:00")
    def test_other_company_sees_no_row(self):
        for model in ACCESS:
            with self.subTest(model=model):
                own = self.env[model].search([("company_id", "=", self.company.id)])
                self.assertTrue(own)
                self.assertTrue(self.env[model].with_user(self.jxc_manager).search([("id", "in", own.ids)]))
                self.assertFalse(self.env[model].with_user(self.stranger).search([]))
                with self.assertRaises(AccessError):
                    own[:1].with_user(self.stranger).read(["company_id"])

    def test_manager_follows_an_alert_up_without_rewriting_it(self):
        """A lot added to an alert by hand would count as announced and never reach its
        responsible: the lots, responsible, day and company are the hourly action's."""
        alert = self.env["jxc.expiry.alert"].search([("company_id", "=", self.company.id)], limit=1)
        lots = alert.lot_ids
        other_lot = self.env["stock.lot"].create({"name": "Y-HAND", "product_id": lots[:1].product_id.id})
        mine = alert.with_user(self.jxc_manager)
        for vals in ({"lot_ids": [Command.link(other_lot.id)]}, {"user_id": self.jxc_manager.id}, {"date": "2025-05-01"}):
            with self.subTest(vals=vals), self.assertRaisesRegex(AccessError, "written by the hourly scheduled action"):
                mine.write(vals)
        self.assertEqual(alert.lot_ids, lots)
        mine.message_post(body="Moved to the front shelf")
        self.assertIn("Moved to the front shelf", alert.message_ids[:1].body)

    def test_menus(self):
        """A JXC user finds the shelf-life screens in the app's Inventory and Analysis menus."""
        menus = self.env["ir.ui.menu"].with_user(self.jxc_user).load_menus(debug=False)
        names = {menu["xmlid"]: menu["name"] for menu in menus.values() if isinstance(menu, dict) and "xmlid" in menu}
        self.assertEqual(names.get("jxc_product_expiry.jxc_shelf_life_report_menu"), "Shelf Life")
        self.assertEqual(names.get("jxc_product_expiry.jxc_shelf_life_report_menu_warning"), "Near-Expiry Warnings")
        self.assertEqual(names.get("jxc_product_expiry.jxc_expiry_alert_menu"), "Near-Expiry Alerts")
        plain = self.env["ir.ui.menu"].with_user(self.plain_user).load_menus(debug=False)
        self.assertFalse({m.get("xmlid") for m in plain.values() if isinstance(m, dict)}
                         & {"jxc_product_expiry.jxc_shelf_life_report_menu", "jxc_product_expiry.jxc_expiry_alert_menu"})
