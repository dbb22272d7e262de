from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import tagged

from .abc_common import AbcCommon


@tagged("post_install", "-at_install")
class TestAbcMeasures(AbcCommon):
    """Each measure on the same deliveries, overrides, history and the default profile.

    product_1 (cost 10): 10 sold at 25 and 5 at 20, 1 of the latter returned -> net 14,
    2 delivery lines, revenue 250 + 100 - 20 = 330, consumption 140, margin 190.
    product_2 (cost 4): 100 at 9 -> revenue 900, consumption 400, margin 500.
    product_3 (cost 50): 2 at 80 -> revenue 160, consumption 100, margin 60.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.products = cls.product_1 | cls.product_2 | cls.product_3
        cls._stock_up(cls.products, 500, "2025-01-15 02:00:00")
        cls._sell_and_deliver("2025-05-10 02:00:00", [(cls.product_1, 10, 25.0), (cls.product_2, 100, 9.0)])
        order = cls._sell_and_deliver(
            "2025-05-20 02:00:00", [(cls.product_1, 5, 20.0), (cls.product_3, 2, 80.0)], cls.customer_b,
        )
        with freeze_time("2025-05-25 02:00:00"):
            cls._return_picking(order.picking_ids, {cls.product_1: 1.0})
        # Before the period: not counted.
        cls._sell_and_deliver("2025-02-01 02:00:00", [(cls.product_3, 50, 80.0)])
        cls.profile = cls._create_profile(scope="categories", category_ids=[cls.category.id], lookback_days=90)
        cls.when = "2025-07-01 02:00:00"  # period 2025-04-02 .. 2025-06-30

    def _classes(self, results):
        return [results[p].abc_class for p in (self.product_1, self.product_2, self.product_3)]

    def _values(self, results):
        return [results[p].value for p in (self.product_1, self.product_2, self.product_3)]

    def test_consumption_value(self):
        results = self._compute(self.profile, self.when)
        self.assertEqual(self._values(results), [140.0, 400.0, 100.0])
        self.assertEqual([results[p].rank for p in (self.product_2, self.product_1, self.product_3)], [1, 2, 3])
        # 400 / 640 = 62.5 % -> A; 540 / 640 = 84.375 % first exceeds 80 -> B; 100 % -> C.
        self.assertAlmostEqual(results[self.product_1].cumulative_share, 84.375)
        self.assertEqual(self._classes(results), ["b", "a", "c"])
        self.assertEqual(results[self.product_1].demand_qty, 14.0)

    def test_revenue(self):
        self.profile.measure = "revenue"
        results = self._compute(self.profile, self.when)
        self.assertEqual(self._values(results), [330.0, 900.0, 160.0])
        self.assertAlmostEqual(results[self.product_2].share, 900 / 1390 * 100, places=4)
        self.assertEqual(self._classes(results), ["b", "a", "c"])

    def test_margin(self):
        self.profile.measure = "margin"
        results = self._compute(self.profile, self.when)
        self.assertEqual(self._values(results), [190.0, 500.0, 60.0])
        self.assertAlmostEqual(results[self.product_1].cumulative_share, 92.0)
        self.assertEqual(self._classes(results), ["b", "a", "c"])

    def test_quantity(self):
        self.profile.measure = "quantity"
        results = self._compute(self.profile, self.when)
        self.assertEqual(self._values(results), [14.0, 100.0, 2.0])
        # 100 / 116 = 86.2 % exceeds 80 but the first-ranked product is A; 114 / 116 = 98.3 % -> C.
        self.assertEqual(self._classes(results), ["c", "a", "c"])

    def test_lines(self):
        """Picks: 2, 1, 1 (the return is not a pick). Tie 1 = 1 ranked by product id:
        product_1 50 % A, product_2 75 % A, product_3 100 % is the crossing item: B."""
        self.profile.measure = "lines"
        results = self._compute(self.profile, self.when)
        self.assertEqual(self._values(results), [2.0, 1.0, 1.0])
        self.assertEqual([results[p].rank for p in self.products], [1, 2, 3])
        self.assertEqual(self._classes(results), ["a", "a", "b"])

    def test_totals_within_one_profile(self):
        """Totals of the measure and the shares are of one profile: a consumption value of 640
        and a quantity of 116 make no total of 756, nor two profiles' 100 % one of 200 %."""
        by_quantity = self._create_profile(scope="categories", category_ids=[self.category.id], lookback_days=90,
                                           measure="quantity")
        self._compute(self.profile, self.when)
        self._compute(by_quantity, self.when)
        Result = self.env["jxc.abc.result"]
        domain = [("profile_id", "in", (self.profile | by_quantity).ids)]
        self.assertEqual(
            Result._read_group(domain, ["profile_id"], ["value:sum", "share:sum"], order="profile_id"),
            [(self.profile, 640.0, 100.0), (by_quantity, 116.0, 100.0)],
        )
        self.assertEqual(Result._read_group(domain, [], ["value:sum", "share:sum", "__count"]), [(False, False, 6)])
        self.assertEqual(Result._read_group(domain, ["abc_class"], ["value:sum"], order="abc_class"),
                         [("a", False), ("b", 140.0), ("c", False)])
        self.assertEqual(Result._read_group([("profile_id", "=", by_quantity.id)], ["abc_class"], ["value:sum"],
                                            order="abc_class"), [("a", 100.0), ("c", 16.0)])

    def test_no_movement_and_period(self):
        """A period with only the February delivery: product_3 is the only moved product."""
        self.profile.lookback_days = 365
        results = self._compute(self.profile, "2025-03-01 02:00:00")
        self.assertEqual(self._classes(results), ["n", "n", "a"])
        self.assertEqual(results[self.product_3].value, 2500.0)
        self.assertEqual((results[self.product_1].value, results[self.product_1].rank), (0.0, 0))

    def test_override_survives_recompute_and_history(self):
        results = self._compute(self.profile, self.when)
        History = self.env["jxc.abc.history"]
        self.assertFalse(History.search([("profile_id", "=", self.profile.id)]))
        result = results[self.product_3].with_user(self.jxc_manager)
        with self.assertRaisesMessage(ValidationError, "Give a reason"):
            result.write({"override_class": "a"})
        result.write({"override_class": "a", "override_reason": "Spare part for the main line"})
        self.assertEqual((result.abc_class, result.computed_class), ("a", "c"))
        self.assertEqual(result.override_user_id, self.jxc_manager)
        with self.assertRaisesMessage(UserError, "only the fixed class"):
            result.write({"computed_class": "a"})
        self.assertTrue(result.override_date)
        history = History.search([("profile_id", "=", self.profile.id)])
        self.assertEqual([(h.old_class, h.new_class, h.origin, h.reason, h.user_id) for h in history],
                         [("c", "a", "override", "Spare part for the main line", self.jxc_manager)])
        # Recomputing twice keeps the override and writes no history.
        results = self._compute(self.profile, "2025-07-01 03:00:00")
        results = self._compute(self.profile, "2025-07-01 04:00:00")
        self.assertEqual((results[self.product_3].abc_class, results[self.product_3].computed_class), ("a", "c"))
        self.assertEqual(History.search_count([("profile_id", "=", self.profile.id)]), 1)
        # Clearing the override gives the computed class back, logged once.
        result.write({"override_class": False})
        self.assertEqual(result.abc_class, "c")
        self.assertFalse(result.override_reason)
        self.assertEqual(History.search_count([("profile_id", "=", self.profile.id)]), 2)
        # Setting the same class by hand is no change of class: nothing logged.
        result.write({"override_class": "c", "override_reason": "Confirmed"})
        self.assertEqual(History.search_count([("profile_id", "=", self.profile.id)]), 2)

    def test_history_on_real_change_only(self):
        self._compute(self.profile, self.when)
        History = self.env["jxc.abc.history"]
        # New sales make product_3 the first: 22 at 50 = 1100 of 1640 (67 %), product_2 91 %.
        self._sell_and_deliver("2025-07-01 01:00:00", [(self.product_3, 20, 80.0)])
        results = self._compute(self.profile, "2025-07-02 02:00:00")
        self.assertEqual(self._classes(results), ["c", "b", "a"])
        changes = History.search([("profile_id", "=", self.profile.id)], order="product_id")
        self.assertEqual([(h.product_id, h.old_class, h.new_class) for h in changes],
                         [(self.product_1, "b", "c"), (self.product_2, "a", "b"), (self.product_3, "c", "a")])
        self._compute(self.profile, "2025-07-02 03:00:00")
        self.assertEqual(History.search_count([("profile_id", "=", self.profile.id)]), 3)

    def test_default_profile_writes_products(self):
        other = self._create_profile(name="Other", scope="categories", category_ids=[self.category.id],
                                     lookback_days=90, measure="lines")
        self.profile.is_default = True
        with self.assertRaisesMessage(ValidationError, "already has a default classification profile"):
            other.is_default = True
        self._compute(self.profile, self.when)
        self._compute(other, self.when)
        self.assertEqual(self.products.mapped("jxc_abc_class"), ["b", "a", "c"])
        self.assertEqual(self.product_3.jxc_xyz_class, "z")
        # An override of the default profile reaches the product at once.
        self._results(self.profile)[self.product_3].write({"override_class": "a", "override_reason": "Key item"})
        self.assertEqual(self.product_3.jxc_abc_class, "a")
        # Another company's product classes stay empty.
        other_company = self.env["res.company"].create({"name": "JXC ABC Other"})
        self.assertFalse(self.product_1.with_company(other_company).jxc_abc_class)
        # Switching the default writes the other profile's classes.
        self.profile.is_default = False
        other.is_default = True
        self.assertEqual(self.products.mapped("jxc_abc_class"), ["a", "a", "b"])

    def test_dashboard_kpis(self):
        self.profile.is_default = True
        self._compute(self.profile, self.when)
        with freeze_time("2025-07-01 03:00:00"):
            self._results(self.profile)[self.product_3].write({"override_class": "a", "override_reason": "Key item"})
        # another profile's changes change no product's class: not counted beside the default's classes
        other = self.profile.copy({"name": "By quantity", "measure": "quantity"})
        self._compute(other, self.when)
        result = self._results(other)[self.product_1]
        with freeze_time("2025-07-01 03:00:00"):
            result.write({"override_class": "c" if result.abc_class != "c" else "b", "override_reason": "Another view"})
        self.assertEqual(self.env["jxc.abc.history"].search_count([("profile_id", "=", other.id)]), 1)
        Profile = self.env["jxc.abc.profile"]
        with freeze_time("2025-07-01 02:00:00"):
            kpis = {k["key"]: k for k in Profile._get_jxc_dashboard_kpis(self.company, date(2025, 7, 1), date(2025, 7, 2))}
        self.assertEqual(kpis["abc_class_a"]["value"], 2.0)  # product_2 computed, product_3 by hand
        self.assertEqual(kpis["abc_class_n"]["value"], 0.0)
        self.assertEqual(kpis["abc_class_changes"]["value"], 1.0)
        for kpi in kpis.values():
            model = self.env[kpi["action"]["res_model"]]
            self.assertEqual(model.search_count(kpi["action"]["domain"]), kpi["value"])
        kpis = {k["key"]: k for k in Profile._get_jxc_dashboard_kpis(self.company, date(2025, 6, 1), date(2025, 7, 1))}
        self.assertEqual(kpis["abc_class_changes"]["value"], 0.0)

    def test_views_and_actions_load(self):
        for user in (self.jxc_user, self.jxc_manager):
            views = self.env["jxc.abc.result"].with_user(user).get_views(
                [(False, "list"), (False, "form"), (False, "pivot"), (False, "graph"), (False, "search")]
            )
            self.assertEqual("value" in views["models"]["jxc.abc.result"]["fields"], user == self.jxc_manager)
            self.env["product.product"].with_user(user).get_views(
                [(self.env.ref("jxc_addon.product_product_view_list").id, "list"), (False, "form"), (False, "kanban")]
            )
        self.assertIn('name="jxc_abc_class"', self.env["product.product"].get_views([(False, "form")])["views"]["form"]["arch"])
        action = self.profile.action_view_results()
        self.assertEqual(action["res_model"], "jxc.abc.result")
        self.assertEqual(action["domain"], [("profile_id", "=", self.profile.id)])
        self.assertEqual(action["context"], {"default_profile_id": self.profile.id})
        action = self.profile.action_view_history()
        self.assertEqual(action["res_model"], "jxc.abc.history")
        self.assertEqual(action["domain"], [("profile_id", "=", self.profile.id)])
        # the menu action's own context stays (only a given context replaces it)
        menu_action = self.env["ir.actions.act_window"]._for_xml_id("jxc_addon.jxc_abc_history_action")
        self.assertEqual(action["context"], menu_action["context"])

    def test_bad_profile_input_refused(self):
        Profile = self.env["jxc.abc.profile"]
        for vals, message in [
            ({"cutoff_a": 80.0, "cutoff_b": 80.0}, "strictly increasing"),
            ({"cutoff_a": 95.0, "cutoff_b": 80.0}, "strictly increasing"),
            ({"cutoff_a": 0.0, "cutoff_b": 50.0}, "strictly increasing"),
            ({"cutoff_a": 80.0, "cutoff_b": 100.5}, "strictly increasing"),
            ({"lookback_days": 0}, "at least two"),
            ({"lookback_days": -30}, "at least two"),
            ({"lookback_days": 40, "xyz_period": "month"}, "60 days or more"),
            ({"xyz_limit_x": 1.0, "xyz_limit_y": 0.5}, "positive and increasing"),
            ({"xyz_limit_x": 0.0}, "positive and increasing"),
            ({"scope": "categories"}, "none is chosen"),
        ]:
            with self.subTest(vals=vals), self.assertRaisesMessage(ValidationError, message):
                Profile.create({"name": "Bad", **vals})
        with self.assertRaisesMessage(ValidationError, "strictly increasing"):
            self.profile.write({"cutoff_b": 70.0})
        self.assertEqual(self.profile.cutoff_b, 95.0)


@tagged("post_install", "-at_install")
class TestAbcScopeAndAccess(AbcCommon):
    """Per-warehouse scope, multi-company isolation and access rights."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warehouse_2 = cls.env["stock.warehouse"].create({"name": "JXC Second", "code": "JXC2"})
        cls.products = cls.product_1 | cls.product_2
        cls._stock_up(cls.products, 100, "2025-05-01 02:00:00")
        cls._stock_up(cls.products, 100, "2025-05-01 02:00:00", location=cls.warehouse_2.lot_stock_id)
        # Main warehouse: product_1 10 (value 100), product_2 5 (20). Second: product_2 100 (400).
        cls._sell_and_deliver("2025-05-10 02:00:00", [(cls.product_1, 10, 25.0), (cls.product_2, 5, 9.0)])
        cls._deliver_from(cls.warehouse_2, "2025-05-11 02:00:00", [(cls.product_2, 100)])

        cls.company_b = cls.env["res.company"].create({"name": "JXC ABC Company B"})
        cls.company_b.partner_id.tz = "Asia/Shanghai"
        cls.warehouse_b = cls.env["stock.warehouse"].search([("company_id", "=", cls.company_b.id)], limit=1)
        cls.product_b = cls._create_products([("B1", 7.0)])
        cls.product_b.with_company(cls.company_b).standard_price = 7.0
        cls._stock_up(cls.product_b, 50, "2025-05-01 02:00:00", location=cls.warehouse_b.lot_stock_id)
        cls._deliver_from(cls.warehouse_b, "2025-05-12 02:00:00", [(cls.product_b, 30)], company=cls.company_b)
        cls.profile_b = cls.env["jxc.abc.profile"].with_company(cls.company_b).create({
            "name": "Company B", "company_id": cls.company_b.id, "lookback_days": 90, "is_default": True,
        })
        cls.user_b = cls.env["res.users"].create({
            "name": "JXC User B", "login": "jxc_user_b", "company_id": cls.company_b.id,
            "company_ids": [(6, 0, cls.company_b.ids)],
            "group_ids": [(6, 0, [cls.env.ref("jxc_addon.group_jxc_manager").id])],
        })

    def test_per_warehouse_scope(self):
        profile = self._create_profile(scope="categories", category_ids=[self.category.id], lookback_days=90)
        results = self._compute(profile, "2025-07-01 02:00:00")
        self.assertEqual([results[p].value for p in self.products], [100.0, 420.0])
        profile.warehouse_id = self.warehouse
        results = self._compute(profile, "2025-07-01 03:00:00")
        self.assertEqual([results[p].value for p in self.products], [100.0, 20.0])
        self.assertEqual([results[p].abc_class for p in self.products], ["a", "c"])
        profile.warehouse_id = self.warehouse_2
        results = self._compute(profile, "2025-07-01 04:00:00")
        self.assertEqual([results[p].abc_class for p in self.products], ["n", "a"])

    def test_revenue_only_from_sales(self):
        """The delivery of the second warehouse has no sale order: consumption, not revenue."""
        profile = self._create_profile(scope="categories", category_ids=[self.category.id], lookback_days=90,
                                       measure="revenue")
        results = self._compute(profile, "2025-07-01 02:00:00")
        self.assertEqual([results[p].value for p in self.products], [250.0, 45.0])
        self.assertEqual([results[p].demand_qty for p in self.products], [10.0, 105.0])

    def test_revenue_in_company_currency(self):
        """A sale in another currency counts at the order's rate: 2 x 100 at 2.0 per unit of
        company currency = 100."""
        currency = self.env.ref("base.EUR") if self.company.currency_id != self.env.ref("base.EUR") else self.env.ref("base.USD")
        currency.active = True
        self.env["res.currency.rate"].create({
            "currency_id": currency.id, "rate": 2.0, "name": "2025-01-01", "company_id": self.company.id,
        })
        pricelist = self.env["product.pricelist"].create({"name": "JXC Foreign", "currency_id": currency.id})
        self._stock_up(self.product_3, 10, "2025-05-01 02:00:00")
        with freeze_time("2025-05-15 02:00:00"):
            order = self.env["sale.order"].create({
                "partner_id": self.customer_b.id,
                "warehouse_id": self.warehouse.id,
                "pricelist_id": pricelist.id,
                "order_line": [Command.create({"product_id": self.product_3.id, "product_uom_qty": 2, "price_unit": 100.0})],
            })
            order.action_confirm()
            self._deliver(order)
        self.assertEqual(order.currency_id, currency)
        profile = self._create_profile(scope="categories", category_ids=[self.category.id], lookback_days=90,
                                       measure="revenue")
        results = self._compute(profile, "2025-07-01 02:00:00")
        self.assertAlmostEqual(results[self.product_3].value, 100.0, places=2)

    def test_products_leaving_the_scope(self):
        """Results and product classes of products no longer in scope are removed."""
        profile = self._create_profile(lookback_days=90, is_default=True)
        self._compute(profile, "2025-07-01 02:00:00")
        self.assertEqual(self.product_1.jxc_abc_class, "c")
        other = self.env["product.category"].create({"name": "JXC Other Goods"})
        self.product_2.categ_id = other
        profile.write({"scope": "categories", "category_ids": [other.id]})
        results = self._compute(profile, "2025-07-01 03:00:00")
        self.assertEqual(list(results), [self.product_2])
        self.assertEqual(results[self.product_2].abc_class, "a")
        self.assertFalse(self.product_1.jxc_abc_class)
        self.assertEqual(self.product_2.jxc_abc_class, "a")

    def test_multi_company_isolation(self):
        profile = self._create_profile(lookback_days=90)
        results = self._compute(profile, "2025-07-01 02:00:00")
        # Company B's delivery counts nowhere in the main company (its product is N there).
        self.assertEqual(results[self.product_b].abc_class, "n")
        results_b = self._compute(self.profile_b.with_user(self.user_b), "2025-07-01 02:00:00")
        self.assertEqual(results_b[self.product_b].value, 210.0)
        self.assertEqual(results_b[self.product_b].abc_class, "a")
        self.assertEqual(results_b[self.product_1].abc_class, "n")
        self.assertEqual(self.product_b.with_company(self.company_b).jxc_abc_class, "a")
        self.assertFalse(self.product_b.with_company(self.company).jxc_abc_class)
        # Each company's users see only their own profiles and results.
        Result = self.env["jxc.abc.result"]
        self.assertFalse(Result.with_user(self.user_b).search([("profile_id", "=", profile.id)]))
        self.assertFalse(Result.with_user(self.jxc_user).search([("profile_id", "=", self.profile_b.id)]))
        with self.assertRaises(AccessError):
            self.profile_b.with_user(self.jxc_manager).action_compute()
        with self.assertRaises(AccessError):
            profile.with_user(self.user_b).read(["name"])
        # A warehouse of another company is refused on a profile.
        with self.assertRaises(UserError):
            profile.warehouse_id = self.warehouse_b

    def test_access(self):
        profile = self._create_profile(lookback_days=90)
        self._compute(profile, "2025-07-01 02:00:00")
        result = self.env["jxc.abc.result"].search([("profile_id", "=", profile.id), ("product_id", "=", self.product_1.id)])
        # A user reads the classes but not the cost-based value, and configures nothing.
        as_user = result.with_user(self.jxc_user)
        self.assertEqual(as_user.abc_class, "c")
        with self.assertRaises(AccessError):
            as_user.read(["value"])
        with self.assertRaises(AccessError):
            as_user.write({"override_class": "a", "override_reason": "x"})
        with self.assertRaises(AccessError):
            self.env["jxc.abc.profile"].with_user(self.jxc_user).create({"name": "Mine"})
        with self.assertRaises(AccessError):
            profile.with_user(self.jxc_user).action_compute()
        self.assertEqual(profile.with_user(self.jxc_user).result_count, 4)
        # Someone without the JXC groups sees nothing.
        with self.assertRaises(AccessError):
            result.with_user(self.plain_user).read(["abc_class"])
        # A manager configures and computes.
        mine = self.env["jxc.abc.profile"].with_user(self.jxc_manager).create({"name": "Managers'", "lookback_days": 90})
        self._compute(mine, "2025-07-01 02:00:00")
        self.assertTrue(mine.with_user(self.jxc_manager).result_ids)
        self.assertEqual(result.with_user(self.jxc_manager).value, 100.0)
