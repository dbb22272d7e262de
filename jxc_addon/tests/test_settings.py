from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import JxcCommon


@tagged("post_install", "-at_install")
class TestSettings(JxcCommon):
    def test_defaults(self):
        company = self.env["res.company"].create({"name": "JXC Fresh Co"})
        self.assertEqual(company.jxc_demand_history_days, 365)
        self.assertEqual(company.jxc_dead_stock_days, 180)
        self.assertEqual(company.jxc_carrying_cost_rate, 20.0)

    def test_settings_page_writes_company(self):
        settings = Form(self.env["res.config.settings"])
        settings.jxc_demand_history_days = 90
        settings.jxc_dead_stock_days = 120
        settings.jxc_carrying_cost_rate = 18.5
        settings.save().execute()
        self.assertEqual(self.company.jxc_demand_history_days, 90)
        self.assertEqual(self.company.jxc_dead_stock_days, 120)
        self.assertEqual(self.company.jxc_carrying_cost_rate, 18.5)

    def test_bad_values_refused(self):
        for field, value, fragment in [
            ("jxc_demand_history_days", 3, "at least 7 days"),
            ("jxc_dead_stock_days", 0, "at least 1 day"),
            ("jxc_carrying_cost_rate", 120.0, "between 0 and 100"),
            ("jxc_carrying_cost_rate", -1.0, "between 0 and 100"),
        ]:
            with self.subTest(field=field, value=value):
                with self.assertRaises(ValidationError) as caught:
                    self.company.write({field: value})
                self.assertIn(fragment, str(caught.exception))
        self.assertEqual(self.company.jxc_demand_history_days, 365)

    def test_menus_follow_groups(self):
        view = self.env.ref("jxc_addon.res_config_settings_view_form")
        self.assertIn('groups="jxc_addon.group_jxc_manager"', view.arch_db)
        root = self.env.ref("jxc_addon.jxc_menu_root")
        config = self.env.ref("jxc_addon.jxc_menu_config")
        Menu = self.env["ir.ui.menu"]
        self.assertNotIn(root.id, Menu.with_user(self.plain_user)._visible_menu_ids())
        user_menus = Menu.with_user(self.jxc_user)._visible_menu_ids()
        self.assertIn(root.id, user_menus)
        self.assertNotIn(config.id, user_menus)
        self.assertIn(config.id, Menu.with_user(self.env.ref("base.user_admin"))._visible_menu_ids())
