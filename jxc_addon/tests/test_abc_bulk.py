from datetime import datetime

from freezegun import freeze_time

from odoo.tests import new_test_user, tagged

from .abc_common import AbcCommon


@tagged("post_install", "-at_install")
class TestAbcBulk(AbcCommon):
    """The set-based storing of a computation (results, history, product classes): the same
    numbers as the textbook example on several products, recomputation after new
    deliveries, the fixed class kept, and a query count that does not grow with the
    number of products."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.category = cls.env["product.category"].create({"name": "JXC ABC Bulk"})
        cls.p1, cls.p2, cls.p3, cls.p4 = cls._create_products(
            [("B1", 10.0), ("B2", 10.0), ("B3", 10.0), ("B4", 10.0)], cls.category
        )
        cls._stock_up(cls.p1 | cls.p2 | cls.p3 | cls.p4, 500.0, "2025-03-01 02:00:00")
        cls._sell_and_deliver("2025-03-10 04:00:00", [(cls.p1, 80.0, 20.0), (cls.p2, 15.0, 20.0), (cls.p3, 5.0, 20.0)])
        cls.profile = cls._create_profile(
            is_default=True, scope="categories", category_ids=[(6, 0, cls.category.ids)], lookback_days=365,
        )

    def _classes(self, products):
        return [(p.jxc_abc_class, p.jxc_xyz_class) for p in products.with_company(self.company)]

    def test_compute_recompute_override(self):
        results = self._compute(self.profile, "2025-06-01 04:00:00")
        # consumption values 800, 150, 50 (cost 10) of 1,000: shares 80 / 15 / 5 %, cumulative 80 / 95 / 100
        self.assertEqual(
            [(results[p].rank, results[p].value, results[p].share, results[p].cumulative_share, results[p].abc_class)
             for p in (self.p1, self.p2, self.p3, self.p4)],
            [(1, 800.0, 80.0, 80.0, "a"), (2, 150.0, 15.0, 95.0, "b"), (3, 50.0, 5.0, 100.0, "c"), (0, 0.0, 0.0, 0.0, "n")],
        )
        # one delivery in the 13 whole weeks since its first move on 1 March (the week it arrived
        # in, from 24 February, is not whole): CV = sqrt(12) = 3.4641 -> Z
        self.assertEqual([results[p].demand_cv for p in (self.p1, self.p4)], [3.4641, 0.0])
        self.assertEqual(self._classes(self.p1 | self.p2 | self.p3 | self.p4),
                         [("a", "z"), ("b", "z"), ("c", "z"), ("n", False)])
        self.assertFalse(self.env["jxc.abc.history"].search([("profile_id", "=", self.profile.id)]))
        results[self.p4].write({"override_class": "c", "override_reason": "New range, counted as C"})
        history = self.env["jxc.abc.history"].search([("profile_id", "=", self.profile.id)])
        self.assertEqual([(h.product_id, h.old_class, h.new_class, h.origin) for h in history],
                         [(self.p4, "n", "c", "override")])

        # 100 more of product 3: values 800, 150, 1,050 of 2,000 -> p3 52.5 % A, p1 92.5 % B, p2 100 % C
        self._sell_and_deliver("2025-04-10 04:00:00", [(self.p3, 100.0, 20.0)])
        results = self._compute(self.profile, "2025-06-01 05:00:00")
        self.assertEqual(
            [(results[p].rank, results[p].value, results[p].share, results[p].cumulative_share,
              results[p].computed_class, results[p].abc_class) for p in (self.p1, self.p2, self.p3, self.p4)],
            [(2, 800.0, 40.0, 92.5, "b", "b"), (3, 150.0, 7.5, 100.0, "c", "c"), (1, 1050.0, 52.5, 52.5, "a", "a"),
             (0, 0.0, 0.0, 0.0, "n", "c")],
        )
        self.assertEqual(results[self.p3].demand_qty, 105.0)
        self.assertEqual(self._classes(self.p1 | self.p2 | self.p3 | self.p4),
                         [("b", "z"), ("c", "z"), ("a", "z"), ("c", False)])
        history = self.env["jxc.abc.history"].search(
            [("profile_id", "=", self.profile.id), ("origin", "=", "compute")], order="product_id")
        self.assertEqual([(h.product_id, h.old_class, h.new_class, h.old_xyz_class, h.new_xyz_class) for h in history],
                         [(self.p1, "a", "b", "z", "z"), (self.p2, "b", "c", "z", "z"), (self.p3, "c", "a", "z", "z")])
        # a third run on the same data changes nothing and logs nothing
        self._compute(self.profile, "2025-06-01 06:00:00")
        self.assertEqual(self.env["jxc.abc.history"].search_count([("profile_id", "=", self.profile.id)]), 4)

    def test_history_date_is_the_changes(self):
        """A manager's own default date for the class history does not backdate a change."""
        results = self._compute(self.profile, "2025-06-01 04:00:00")
        manager = new_test_user(self.env, login="jxc_abc_history_manager", groups="jxc_addon.group_jxc_manager",
                                company_id=self.company.id, company_ids=self.company.ids)
        self.env["ir.default"].with_user(manager).set("jxc.abc.history", "date", "2020-01-01 00:00:00", user_id=True)
        with freeze_time("2025-06-02 08:00:00"):
            results[self.p4].with_user(manager).write({"override_class": "c", "override_reason": "New range"})
        history = self.env["jxc.abc.history"].search([("profile_id", "=", self.profile.id)])
        self.assertEqual([(h.product_id, h.new_class, h.user_id, h.date) for h in history],
                         [(self.p4, "c", manager, datetime(2025, 6, 2, 8, 0))])

    def test_stale_product_classes_cleared(self):
        self._compute(self.profile, "2025-06-01 04:00:00")
        other = self._create_products([("B9", 5.0)], self.env["product.category"].create({"name": "JXC Other"}))
        other.with_company(self.company).write({"jxc_abc_class": "a", "jxc_xyz_class": "x"})
        self._compute(self.profile, "2025-06-01 05:00:00")
        self.assertEqual(self._classes(other), [(False, False)])
        self.assertEqual(self._classes(self.p1), [("a", "z")])

    def _count_queries(self, profile, when):
        self._compute(profile, when)  # warm the caches (and create the results)
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        self._compute(profile, when)
        return self.env.cr.sql_log_count - before

    def test_query_count_flat(self):
        """Recomputing 2 or 20 products (results, history, classes on the products) runs the same
        number of queries."""
        counts = []
        default = self.profile
        for size in (2, 20):
            category = self.env["product.category"].create({"name": "JXC Flat %s" % size})
            products = self._create_products([("F%s-%s" % (size, i), 1.0 + i) for i in range(size)], category)
            self._stock_up(products, 50.0, "2025-03-01 02:00:00")
            self._sell_and_deliver("2025-03-10 04:00:00", [(p, 1.0 + i % 7, 5.0) for i, p in enumerate(products)])
            default.is_default = False
            default = profile = self._create_profile(
                name="Flat %s" % size, scope="categories", category_ids=[(6, 0, category.ids)], is_default=True,
            )
            counts.append(self._count_queries(profile, "2025-06-01 04:00:00"))
        self.assertEqual(counts[0], counts[1])
