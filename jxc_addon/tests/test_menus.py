from odoo.tests import TransactionCase, new_test_user, tagged

PURCHASING = ["Purchase Plan", "Supplier Evaluation", "Evaluation Periods", "Quality Incidents", "Manual Scores",
              "Reordering Rules"]
INVENTORY = ["Stocktakes", "Count Lines", "Scan Count", "Stock Warnings", "Warning Digests", "ABC/XYZ Classes",
             "Classification Analysis", "Class Changes", "Products"]


@tagged("post_install", "-at_install")
class TestMenus(TransactionCase):
    """The 进销存 app's menu tree as the web client shows it to a user and to a manager."""

    def _tree(self, user):
        """[(section, [entries])] under the app root, in the order and with the visibility of the
        web client's menu (load_menus: groups applied, sections without entries left out)."""
        menus = self.env["ir.ui.menu"].with_user(user).load_menus(debug=False)
        root = self.env.ref("jxc_addon.jxc_menu_root").id
        self.assertIn(root, menus["root"]["children"])
        # entries of jxc_addon only: bridge modules (jxc_product_expiry) test their own
        return [
            (menus[section]["name"], [menus[entry]["name"] for entry in menus[section]["children"]
                                      if menus[entry]["xmlid"].startswith("jxc_addon.")])
            for section in menus[root]["children"]
        ]

    def test_user_menu(self):
        user = new_test_user(self.env, "jxc_menu_user", groups="jxc_addon.group_jxc_user")
        self.assertEqual(self._tree(user), [
            ("Purchasing", PURCHASING),
            ("Inventory", INVENTORY),
            # the plans' accuracy measures are the managers': the posted plans' figures are in Count Accuracy
            ("Analysis", ["Count Accuracy", "Reordering Rule Changes", "Forecast Accuracy"]),
        ])

    def test_manager_menu(self):
        manager = new_test_user(self.env, "jxc_menu_manager", groups="jxc_addon.group_jxc_manager")
        self.assertEqual(self._tree(manager), [
            ("Dashboard", []),
            ("Purchasing", PURCHASING),
            ("Inventory", INVENTORY),
            ("Analysis", [
                "Inventory Snapshots", "Turnover and Carrying Cost", "Carrying Cost", "Stock Aging",
                "Slow-moving and Dead Stock", "Best Sellers and Trends", "Purchase Cost", "Count Accuracy",
                "Count Accuracy by Plan", "Shrinkage", "Reordering Rule Changes", "Forecast Accuracy",
                "Policy Backtest", "Exchange Curve",
            ]),
            ("Configuration", [
                "Settings", "Supplier Criteria", "ABC/XYZ Profiles", "Safety Stock Rules", "Count Reasons", "Count Tolerances",
                "Cycle Count Rules",
            ]),
        ])
        # The add-on's own settings screen: managers need not be administrators to open it.
        self.assertEqual(self.env.ref("jxc_addon.res_config_settings_menu").action.res_model, "jxc.settings")

    def test_entries_where_users_already_look(self):
        user_group = self.env.ref("jxc_addon.group_jxc_user")
        for xmlid, parent in (
            ("jxc_addon.jxc_supplier_evaluation_menu_purchase", "purchase.purchase_report_main"),
            ("jxc_addon.jxc_count_plan_menu_stock", "stock.menu_stock_warehouse_mgmt"),
            ("jxc_addon.jxc_purchase_plan_menu_purchase", "purchase.menu_procurement_management"),
        ):
            menu = self.env.ref(xmlid)
            self.assertEqual((menu.parent_id, menu.group_ids), (self.env.ref(parent), user_group), xmlid)
        # Odoo shows Purchase > Reporting to purchase managers: there, only those of the add-on's
        # users see the supplier evaluation.
        buyer = new_test_user(self.env, "jxc_menu_buyer",
                              groups="jxc_addon.group_jxc_user,purchase.group_purchase_manager")
        plain = new_test_user(self.env, "jxc_menu_plain", groups="purchase.group_purchase_manager,stock.group_stock_user")
        entry = self.env.ref("jxc_addon.jxc_supplier_evaluation_menu_purchase").id
        self.assertTrue(entry in self.env["ir.ui.menu"].with_user(buyer).load_menus(debug=False))
        self.assertFalse(entry in self.env["ir.ui.menu"].with_user(plain).load_menus(debug=False))
