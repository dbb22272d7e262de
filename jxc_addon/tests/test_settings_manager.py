from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged

from .common import JxcCommon


@tagged("post_install", "-at_install")
class TestManagerSettings(JxcCommon):
    """Inventory Control managers who are not administrators open and save the add-on's own
    settings screen (Odoo's Settings app is for administrators); its users may not."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env, login="jxc_settings_manager", name="Stock Manager",
            groups="jxc_addon.group_jxc_manager,stock.group_stock_manager",
        )
        cls.stock_user = new_test_user(
            cls.env, login="jxc_settings_user", name="Stock User", groups="jxc_addon.group_jxc_user",
        )
        cls.stock_manager_only = new_test_user(
            cls.env, login="jxc_settings_stock_manager", name="Plain Stock Manager", groups="stock.group_stock_manager",
        )

    def test_manager_opens_and_saves(self):
        self.assertFalse(self.manager.has_group("base.group_system"))
        action = self.env["ir.actions.act_window"].with_user(self.manager)._for_xml_id("jxc_addon.jxc_settings_action")
        self.assertEqual(action["res_model"], "jxc.settings")
        # Odoo's own Settings app refuses them.
        with self.assertRaises(AccessError):
            self.env["res.config.settings"].with_user(self.manager).create({})
        form = Form(self.env["jxc.settings"].with_user(self.manager))
        self.assertEqual((form.jxc_demand_history_days, form.jxc_supplier_grade_a), (365, 85.0))
        form.jxc_demand_history_days = 120
        form.jxc_supplier_grade_a = 88.0
        form.jxc_supplier_risk_action = "block"
        settings = form.save()
        self.assertEqual(settings.execute()["tag"], "reload")
        self.assertEqual(
            (self.company.jxc_demand_history_days, self.company.jxc_supplier_grade_a, self.company.jxc_supplier_risk_action),
            (120, 88.0, "block"),
        )
        # Saving again (a write of the open screen) writes the company too.
        settings.write({"jxc_dead_stock_days": 90})
        self.assertEqual(self.company.jxc_dead_stock_days, 90)
        # The company's own checks still apply.
        form = Form(self.env["jxc.settings"].with_user(self.manager))
        form.jxc_demand_history_days = 3
        with self.assertRaisesRegex(Exception, "at least 7 days"):
            form.save()

    def test_users_refused(self):
        for user in (self.stock_user, self.stock_manager_only, self.plain_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["jxc.settings"].with_user(user).create({"jxc_demand_history_days": 30})
        self.assertEqual(self.company.jxc_demand_history_days, 365)

    def test_only_the_addon_fields_of_an_allowed_company(self):
        """The screen writes the add-on's settings of the user's own companies, nothing else."""
        other = self.env["res.company"].create({"name": "JXC Other Co"})
        with self.assertRaises(AccessError):
            self.env["jxc.settings"].with_user(self.manager).create({"company_id": other.id, "jxc_dead_stock_days": 30})
        self.assertEqual(other.jxc_dead_stock_days, 180)
        self.assertNotIn("name", self.env["jxc.settings"]._fields)

    def test_settings_of_other_companies_and_managers_stay_closed(self):
        """The screen's figures are read as superuser: a manager opens no screen of a company he
        does not work in (not even without a value to save), nor reads another manager's."""
        other = self.env["res.company"].create({"name": "JXC Closed Co"})
        other.jxc_carrying_cost_rate = 31.0
        Settings = self.env["jxc.settings"].with_user(self.manager)
        with self.assertRaises(AccessError):
            Settings.create({"company_id": other.id})
        theirs = self.env["jxc.settings"].with_user(self.manager).create({})
        colleague = new_test_user(self.env, login="jxc_settings_colleague", groups="jxc_addon.group_jxc_manager")
        self.assertFalse(self.env["jxc.settings"].with_user(colleague).search([("id", "=", theirs.id)]))
        with self.assertRaises(AccessError):
            theirs.with_user(colleague).read(["jxc_carrying_cost_rate"])
        self.assertEqual(Settings.create({}).jxc_carrying_cost_rate, 20.0)
