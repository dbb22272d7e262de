from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import JxcExpiryCommon

OPS = (("r", "read"), ("w", "write"), ("c", "create"), ("u", "unlink"))
# model: (plain employee, JXC user, JXC manager), as jxc_addon's access matrix
ACCESS = {
    "jxc.shelf.life.report": ("-", "r", "r"),
    "jxc.expiry.alert": ("-", "r", "rwu"),
}


@tagged("post_install", "-at_install")
class TestShelfLifeAccess(JxcExpiryCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_company = cls.env["res.company"].create({"name": "JXC Other Company"})
        cls.stranger = new_test_user(
            cls.env, login="jxc_expiry_stranger", name="Other Company Manager",
            company_id=cls.other_company.id, company_ids=[cls.other_company.id],
            groups="jxc_addon.group_jxc_manager",
        )
        with freeze_time("2025-04-01 04:00:00"):
            cls.env["jxc.expiry.alert"]._send_alerts()

    def _allowed(self, model, user):
        Model = self.env[model].with_user(user)
        return "".join(letter for letter, op in OPS if Model.browse().has_access(op)) or "-"

    def test_every_model_is_in_the_table(self):
        models = self.env["ir.model"].search([("model", "=like", "jxc.%")])
        defined = {m.model for m in models if m.modules.replace(" ", "") == "jxc_product_expiry"}
        self.assertEqual(defined, set(ACCESS))

    def test_model_access_per_role(self):
        for model, (plain, user, manager) in ACCESS.items():
            with self.subTest(model=model):
                self.assertEqual(self._allowed(model, self.plain_user), plain)
                self.assertEqual(self._allowed(model, self.jxc_user), user)
                self.assertEqual(self._allowed(model, self.jxc_manager), manager)
                with self.assertRaises(AccessError):
                    self.env[model].with_user(self.plain_user).search([], limit=1)

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
