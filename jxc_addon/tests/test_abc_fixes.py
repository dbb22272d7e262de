import math

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .abc_common import AbcCommon


@tagged("post_install", "-at_install")
class TestAbcBookedCost(AbcCommon):
    """Consumption value and margin count the cost Odoo booked on the deliveries, not today's cost.

    OLD (cost 10 when delivered): 1,000 delivered at 40 on 10 May, 100 returned on 20 May,
    then its cost rises to 30. Booked cost 10,000 - 1,000 (the return at its delivery's cost)
    = 9,000; revenue 40,000 - 4,000 = 36,000, margin 27,000. At today's cost it would be
    900 x 30 = 27,000 and a margin of 9,000.
    REAL (cost 20): 1,000 delivered at 40: cost 20,000, revenue 40,000, margin 20,000.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.old, cls.real = cls._create_products([("OLD", 10.0), ("REAL", 20.0)])
        cls._stock_up(cls.old | cls.real, 1100, "2025-03-01 02:00:00")
        order = cls._sell_and_deliver("2025-05-10 02:00:00", [(cls.old, 1000, 40.0), (cls.real, 1000, 40.0)])
        with freeze_time("2025-05-20 02:00:00"):
            cls._return_picking(order.picking_ids, {cls.old: 100.0})
        with freeze_time("2025-06-01 02:00:00"):
            cls.old.standard_price = 30.0
        cls.profile = cls._create_profile(scope="categories", category_ids=[cls.old.categ_id.id], lookback_days=90)

    def test_consumption_value_at_booked_cost(self):
        results = self._compute(self.profile, "2025-07-01 02:00:00")
        self.assertEqual([results[p].value for p in (self.old, self.real)], [9000.0, 20000.0])
        self.assertEqual([results[p].demand_qty for p in (self.old, self.real)], [900.0, 1000.0])
        # 20,000 / 29,000 = 68.97 % -> A; OLD first exceeds 80 % -> B
        self.assertEqual([results[p].rank for p in (self.real, self.old)], [1, 2])
        self.assertEqual([results[p].abc_class for p in (self.real, self.old)], ["a", "b"])

    def test_margin_at_booked_cost(self):
        self.profile.measure = "margin"
        results = self._compute(self.profile, "2025-07-01 02:00:00")
        self.assertEqual([results[p].value for p in (self.old, self.real)], [27000.0, 20000.0])
        self.assertEqual([results[p].abc_class for p in (self.old, self.real)], ["a", "b"])


# weekly periods counted back from 1 July 2025 (Shanghai): 24-30 June is period 0, 17-23 June 1, ...
EIGHT_WEEKS = ["2025-05-%02d 02:00:00" % day for day in (8, 15, 22, 29)] + [
    "2025-06-%02d 02:00:00" % day for day in (5, 12, 19, 26)
]


@tagged("post_install", "-at_install")
class TestAbcXyzNewProducts(AbcCommon):
    """XYZ counts the whole periods from a product's first move: 365 days in weeks are 52 periods.

    NEW, received on 7 May (a day into period 7, 6-12 May, which is not whole) and sold 50
    every week since: 7 whole periods of 50 (its sale of 8 May is in none), cv 0 -> X.
    OLD, stocked in January 2024 and sold the same 8 weeks: 52 periods, 8 of them with
    demand, cv sqrt(52 / 8 - 1) = 2.3452 -> Z.
    TWO, received on 17 June (the first day of period 1), sold 40 then 60: cv 10 / 50 = 0.2 -> X.
    LATE, received and sold in the last period only: too few periods to judge, no XYZ class.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.new, cls.old, cls.two, cls.late = cls._create_products([("NEW", 1.0), ("OLD", 1.0), ("TWO", 1.0), ("LATE", 1.0)])
        cls._stock_up(cls.old, 1000, "2024-01-10 02:00:00")
        cls._stock_up(cls.new, 1000, "2025-05-07 02:00:00")
        cls._stock_up(cls.two, 1000, "2025-06-17 02:00:00")
        cls._stock_up(cls.late, 1000, "2025-06-25 02:00:00")
        for when in EIGHT_WEEKS:
            cls._sell_and_deliver(when, [(cls.new, 50, 2.0), (cls.old, 50, 2.0)])
        cls._sell_and_deliver("2025-06-19 02:00:00", [(cls.two, 40, 2.0)])
        cls._sell_and_deliver("2025-06-26 02:00:00", [(cls.two, 60, 2.0), (cls.late, 30, 2.0)])
        cls.profile = cls._create_profile(
            scope="categories", category_ids=[cls.new.categ_id.id], lookback_days=365, xyz_period="week", is_default=True,
        )

    def test_periods_from_first_move(self):
        results = self._compute(self.profile, "2025-07-01 02:00:00")
        products = (self.new, self.old, self.two, self.late)
        self.assertEqual([results[p].demand_qty for p in products], [400.0, 400.0, 100.0, 30.0])
        self.assertEqual([results[p].demand_cv for p in products], [0.0, round(math.sqrt(5.5), 4), 0.2, 0.0])
        self.assertEqual([results[p].xyz_class for p in products], ["x", "z", "x", False])
        self.assertEqual([p.jxc_xyz_class for p in products], ["x", "z", "x", False])
        # LATE is still ranked by ABC: only its XYZ class waits for a second period
        self.assertEqual(results[self.late].abc_class, "c")

    def test_monthly_periods_from_first_move(self):
        """30-day periods back from 1 July: 1-30 June, 2-31 May, ... NEW, received on 7 May,
        lives in 1 whole one: too few to judge; OLD in 12 (0 x 10, 200, 200: cv sqrt(12 / 2 - 1)
        = 2.2361)."""
        self.profile.xyz_period = "month"
        results = self._compute(self.profile, "2025-07-01 02:00:00")
        self.assertEqual([results[p].demand_cv for p in (self.new, self.old)], [0.0, round(math.sqrt(5), 4)])
        self.assertEqual([results[p].xyz_class for p in (self.new, self.old, self.two)], [False, "z", False])


@tagged("post_install", "-at_install")
class TestAbcNoDefaultProfile(AbcCommon):
    """Without a default active profile, a company's products keep no computed classes.

    P1 (cost 10) 10 delivered = 100 -> A; P2 (cost 4) 5 delivered = 20 -> B, fixed by hand to C.
    Both have one week of demand in 9 weekly periods -> Z.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.p1, cls.p2 = cls._create_products([("P1", 10.0), ("P2", 4.0)])
        cls.products = cls.p1 | cls.p2
        cls._stock_up(cls.products, 100, "2025-05-01 02:00:00")
        cls._sell_and_deliver("2025-05-10 02:00:00", [(cls.p1, 10, 25.0), (cls.p2, 5, 9.0)])
        cls.profile = cls._create_profile(
            scope="categories", category_ids=[cls.p1.categ_id.id], lookback_days=90, is_default=True,
        )
        cls.other_company = cls.env["res.company"].create({"name": "JXC ABC Elsewhere"})

    def setUp(self):
        super().setUp()
        results = self._compute(self.profile, "2025-07-01 02:00:00")
        results[self.p2].write({"override_class": "c", "override_reason": "Phase-out"})
        self.p1.with_company(self.other_company).jxc_abc_class = "b"
        self.assertEqual(self._classes(), [("a", "z"), ("c", "z")])

    def _classes(self):
        self.products.invalidate_recordset(["jxc_abc_class", "jxc_xyz_class"])
        return [(p.jxc_abc_class, p.jxc_xyz_class) for p in self.products]

    def _assert_cleared(self):
        # the class fixed by hand stays; the other company's class is not ours to clear
        self.assertEqual(self._classes(), [(False, False), ("c", False)])
        self.assertEqual(self.p1.with_company(self.other_company).jxc_abc_class, "b")

    def test_untick_default(self):
        self.profile.is_default = False
        self._assert_cleared()
        self.profile.is_default = True
        self.assertEqual(self._classes(), [("a", "z"), ("c", "z")])

    def test_archive(self):
        self.profile.action_archive()
        self._assert_cleared()
        self.profile.action_unarchive()
        self.assertEqual(self._classes(), [("a", "z"), ("c", "z")])

    def test_archive_non_default_keeps_classes(self):
        other = self._create_profile(name="Other", lookback_days=90)
        other.action_archive()
        other.unlink()
        self.assertEqual(self._classes(), [("a", "z"), ("c", "z")])

    def test_product_out_of_scope_is_a_class_change(self):
        """P1 moves to a category outside the profile: its result goes at the next computation,
        its class on the product too, and the class history says so (A -> none), as the
        dashboard's class changes count it."""
        self.p1.categ_id = self.env["product.category"].create({"name": "JXC ABC Elsewhere"})
        self._compute(self.profile, "2025-08-01 02:00:00")
        history = self.env["jxc.abc.history"].search([("profile_id", "=", self.profile.id), ("product_id", "=", self.p1.id)])
        self.assertEqual([(h.old_class, h.new_class, h.old_xyz_class, h.new_xyz_class, h.origin) for h in history[:1]],
                         [("a", False, "z", False, "compute")])
        self.assertEqual(self._classes()[0], (False, False))

    def test_deleted_scope_category_computes_nothing(self):
        """The profile's only category is deleted (its products moved first): the next
        computation is refused with the reason, the results and the products' classes stay."""
        category = self.p1.categ_id
        self.products.categ_id = self.env["product.category"].create({"name": "JXC ABC Kept"})
        results = self.profile.result_ids
        category.unlink()
        self.assertFalse(self.profile.category_ids)
        with self.assertRaisesRegex(ValidationError, "classifies chosen categories but none is chosen"):
            self._compute(self.profile, "2025-08-01 02:00:00")
        self.assertEqual(self.profile.result_ids, results)
        self.assertEqual(self._classes(), [("a", "z"), ("c", "z")])

    def test_company_kept_once_computed(self):
        """A computed profile's results are its company's: moving it to another company would
        show them (values in its currency, its products) to that company's users. Refused,
        before anything changes; a copy may go there."""
        with self.assertRaisesRegex(UserError, "has results and a class history of .*: its company cannot change"):
            self.profile.write({"company_id": self.other_company.id, "is_default": False})
        self.assertEqual((self.profile.company_id, self.profile.is_default), (self.env.company, True))
        self.assertEqual(self._classes(), [("a", "z"), ("c", "z")])
        copy = self.profile.copy({"is_default": False})
        copy.company_id = self.other_company
        self.assertEqual(copy.company_id, self.other_company)

    def test_delete(self):
        """The results, and the class fixed by hand with them, are deleted with the profile."""
        self.profile.unlink()
        self.assertEqual(self._classes(), [(False, False), (False, False)])
        self.assertEqual(self.p1.with_company(self.other_company).jxc_abc_class, "b")


# weekly periods counted back from 1 July 2025 (Shanghai): 24-30 June (0), 17-23 June (1),
# 10-16 June (2), 3-9 June (3)
THREE_WEEKS = ("2025-06-12 04:00:00", "2025-06-19 04:00:00", "2025-06-26 04:00:00")


@tagged("post_install", "-at_install")
class TestAbcXyzWholePeriods(AbcCommon):
    """XYZ counts whole periods only: the part of a period a product arrived in is no period of
    low demand.

    EARLY received on 9 June at 20:00 in Shanghai (the last day of period 3), LATE on 10 June
    at 09:00 (the first day of period 2), both sold 50 on 12, 19 and 26 June: three whole
    periods of 50, cv 0 -> X for both (counting period 3 as a week without demand would make
    EARLY 0, 50, 50, 50: cv 0.5774, Y).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.early, cls.late = cls._create_products([("EARLY", 1.0), ("LATE", 1.0)])
        cls._stock_up(cls.early, 1000, "2025-06-09 12:00:00")
        cls._stock_up(cls.late, 1000, "2025-06-10 01:00:00")
        for when in THREE_WEEKS:
            cls._sell_and_deliver(when, [(cls.early, 50, 2.0), (cls.late, 50, 2.0)])

    def test_first_partial_period_left_out(self):
        profile = self._create_profile(scope="categories", category_ids=[self.early.categ_id.id], lookback_days=28,
                                       xyz_period="week", measure="quantity")
        results = self._compute(profile, "2025-07-01 02:00:00")
        self.assertEqual([(results[p].demand_qty, results[p].demand_cv, results[p].xyz_class) for p in (self.early, self.late)],
                         [(150.0, 0.0, "x"), (150.0, 0.0, "x")])

    def test_warehouse_profile_periods_from_first_move_there(self):
        """W, stocked in the main warehouse since January, arrives in the second warehouse on
        10 June (09:00 in Shanghai) and is delivered from there 50, 50, 50: the second
        warehouse's profile counts the three periods W lived in there -> X (from January it
        would count 4, one without demand: Y)."""
        second = self.env["stock.warehouse"].create({"name": "JXC ABC Second", "code": "JXA2"})
        product = self._create_products([("W", 1.0)])
        self._stock_up(product, 100, "2025-01-10 02:00:00")
        self._stock_up(product, 1000, "2025-06-10 01:00:00", second.lot_stock_id)
        for when in THREE_WEEKS:
            self._deliver_from(second, when, [(product, 50)])
        profile = self._create_profile(scope="categories", category_ids=[product.categ_id.id], warehouse_id=second.id,
                                       lookback_days=28, xyz_period="week", measure="quantity")
        results = self._compute(profile, "2025-07-01 02:00:00")
        self.assertEqual((results[product].demand_qty, results[product].demand_cv, results[product].xyz_class),
                         (150.0, 0.0, "x"))


@tagged("post_install", "-at_install")
class TestAbcFixedClassKept(AbcCommon):
    """A class fixed by hand stays until a manager clears it, also while its product is archived.

    K1 (cost 10) 10 delivered = 100, K2 (cost 4) 5 delivered = 20, on 10 June; K2 fixed to A.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.k1, cls.k2 = cls._create_products([("K1", 10.0), ("K2", 4.0)])
        cls._stock_up(cls.k1 | cls.k2, 100, "2025-05-01 02:00:00")
        cls._sell_and_deliver("2025-06-10 02:00:00", [(cls.k1, 10, 25.0), (cls.k2, 5, 9.0)])
        cls.env["jxc.abc.profile"].search([("is_default", "=", True)]).is_default = False
        cls.profile = cls._create_profile(
            scope="categories", category_ids=[cls.k1.categ_id.id], lookback_days=90, is_default=True,
        )

    def _result(self, product):
        return [
            (r.override_class, r.override_reason, r.abc_class, r.computed_class, r.rank)
            for r in self.profile.result_ids.filtered(lambda r: r.product_id == product)
        ]

    def test_archived_product_without_fixed_class_loses_its_class(self):
        """K1 archived with its class computed (A): out of the scope its result goes, and its
        class with it (a cycle count rule and the safety stock read the product's class)."""
        self._compute(self.profile, "2025-07-01 02:00:00")
        self.assertEqual(self.k1.jxc_abc_class, "a")
        self.k1.action_archive()
        self._compute(self.profile, "2025-08-01 02:00:00")
        self.assertEqual(self._result(self.k1), [])
        self.assertEqual((self.k1.jxc_abc_class, self.k1.jxc_xyz_class), (False, False))

    def test_archived_product_keeps_its_fixed_class(self):
        results = self._compute(self.profile, "2025-07-01 02:00:00")
        results[self.k2].write({"override_class": "a", "override_reason": "Key spare part"})
        self.k2.action_archive()
        self._compute(self.profile, "2025-08-01 02:00:00")
        # out of the scope: not ranked, the fixed class kept
        self.assertEqual(self._result(self.k2), [("a", "Key spare part", "a", False, 0)])
        self.assertEqual(self.k2.jxc_abc_class, "a")
        self.k2.action_unarchive()
        self._compute(self.profile, "2025-09-01 02:00:00")
        # 100 of 120 (83 %): K1 A, K2 C, fixed to A
        self.assertEqual(self._result(self.k2), [("a", "Key spare part", "a", "c", 2)])
        self.assertEqual(self.k2.jxc_abc_class, "a")


@tagged("post_install", "-at_install")
class TestAbcProfileCopy(AbcCommon):
    """Duplicating the default profile gives a profile that is not the default."""

    def test_copy_default_profile(self):
        self.env["jxc.abc.profile"].search([("is_default", "=", True)]).is_default = False
        default = self._create_profile(name="Main", lookback_days=90, is_default=True)
        copy = default.copy()
        self.assertEqual((copy.is_default, default.is_default), (False, True))
        with self.assertRaisesMessage(ValidationError, "already has a default classification profile (Main)"):
            self._create_profile(name="Second", lookback_days=90, is_default=True)
        with self.assertRaisesMessage(ValidationError, "already has a default classification profile (Main)"):
            default.copy({"is_default": True})


@tagged("post_install", "-at_install")
class TestAbcXyzBulkReturn(AbcCommon):
    """A bulk customer return is no swing of the demand, as in the safety stock's deviation.

    BULK, in stock since April, sells 50 every Thursday of the eight weekly periods back from
    1 July (8 May to 26 June); 150 sold on 1 May, before them, come back on 19 June. Weekly
    net demand: 50 x 7 and 50 - 150 = -100: net 250, mean 31.25. Counted as it is, the week
    of -100 gives sd 49.6078 and cv 1.5875 (Z). As a week without demand (the returns still
    netted in the mean): [50 x 7, 0], sd sqrt(17500 / 8 - 43.75^2) = 16.5359, cv 0.5292 (Y).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bulk = cls._create_products([("BULK", 1.0)])
        cls._stock_up(cls.bulk, 1000, "2025-04-20 02:00:00")
        order = cls._sell_and_deliver("2025-05-01 02:00:00", [(cls.bulk, 150, 2.0)])
        for day in ("05-08", "05-15", "05-22", "05-29", "06-05", "06-12", "06-19", "06-26"):
            cls._sell_and_deliver("2025-%s 02:00:00" % day, [(cls.bulk, 50, 2.0)])
        with freeze_time("2025-06-19 06:00:00"):
            cls._return_picking(order.picking_ids, {cls.bulk: 150.0})

    def test_bulk_return_is_no_demand_in_the_spread(self):
        profile = self._create_profile(scope="categories", category_ids=[self.bulk.categ_id.id], lookback_days=56,
                                       xyz_period="week", measure="quantity")
        result = self._compute(profile, "2025-07-01 02:00:00")[self.bulk]
        self.assertEqual(result.demand_qty, 250.0)
        expected = math.sqrt(17500 / 8 - 43.75 ** 2) / 31.25
        self.assertEqual(result.demand_cv, round(expected, 4))
        self.assertEqual(result.demand_cv, 0.5292)
        self.assertEqual(result.xyz_class, "y")


@tagged("post_install", "-at_install")
class TestAbcBranch(AbcCommon):
    """A branch sells its parent company's products (Odoo lets a branch use them): its
    classification and its reordering rules cover them."""

    def test_branch_classifies_and_plans_its_parent_companys_products(self):
        branch = self.env["res.company"].create({"name": "JXC ABC Branch", "parent_id": self.company.id})
        self.env.user.company_ids |= branch
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", branch.id)], limit=1)
        product = self._create_products([("HQ", 5.0)])
        product.company_id = self.company
        self._stock_up(product, 100, "2025-05-01 02:00:00", warehouse.lot_stock_id)
        self._deliver_from(warehouse, "2025-06-10 02:00:00", [(product, 20)], company=branch)
        profile = self.env["jxc.abc.profile"].with_company(branch).create({
            "name": "Branch", "company_id": branch.id, "lookback_days": 90, "measure": "quantity",
        })
        results = self._compute(profile, "2025-07-01 02:00:00")
        self.assertEqual((results[product].demand_qty, results[product].abc_class), (20.0, "a"))
        engine = self.env["jxc.planning.engine"]
        self.assertIn(product, self.env["product.product"].search(engine._get_product_domain(branch)))

    def test_default_profile_counts_every_warehouse(self):
        self.env["jxc.abc.profile"].search([("company_id", "=", self.company.id)]).is_default = False
        profile = self._create_profile(lookback_days=90, is_default=True)
        with self.assertRaisesRegex(ValidationError, "default and counts one warehouse only"):
            profile.warehouse_id = self.warehouse
        profile.is_default = False
        profile.warehouse_id = self.warehouse
        with self.assertRaisesRegex(ValidationError, "default and counts one warehouse only"):
            profile.is_default = True
