import base64
import io

import openpyxl
from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import tagged

from .abc_common import AbcCommon
from .common import xlsx_file

# Heizer, J., Render, B. & Munson, C., "Operations Management", 12th ed. (Pearson, 2017),
# chapter 12 "Inventory Management", Example 1 "ABC analysis for a chip manufacturer"
# (Silicon Chips, Inc.): item stock number, annual volume (units), unit cost, annual dollar
# volume and the class the book gives.
HEIZER = [
    ("10286", 1000, 90.00, 90000.0, "a"),
    ("11526", 500, 154.00, 77000.0, "a"),
    ("12760", 1550, 17.00, 26350.0, "b"),
    ("10867", 350, 42.86, 15001.0, "b"),
    ("10500", 1000, 12.50, 12500.0, "b"),
    ("12572", 600, 14.17, 8502.0, "c"),
    ("14075", 2000, 0.60, 1200.0, "c"),
    ("01036", 100, 8.50, 850.0, "c"),
    ("01307", 1200, 0.42, 504.0, "c"),
    ("10572", 250, 0.60, 150.0, "c"),
]
HEIZER_TOTAL = 232057.0


@tagged("post_install", "-at_install")
class TestAbcTextbook(AbcCommon):
    """The textbook example through real sales and deliveries, and the cut-off rule."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.items = cls._create_products([(code, cost) for code, __, cost, __, __ in HEIZER] + [("IDLE", 5.0)])
        cls.idle = cls.items[-1]
        cls.items = cls.items[:-1]
        cls._stock_up(cls.items, 5000, "2025-01-02 02:00:00")
        # The year's volume, delivered in two orders (the second a week later) during 2025.
        first = [(p, row[1] // 2, row[2] * 2) for p, row in zip(cls.items, HEIZER, strict=True)]
        second = [(p, row[1] - row[1] // 2, row[2] * 2) for p, row in zip(cls.items, HEIZER, strict=True)]
        cls._sell_and_deliver("2025-03-10 03:00:00", first)
        cls._sell_and_deliver("2025-09-17 03:00:00", second, cls.customer_b)
        cls.profile = cls._create_profile(
            name="Heizer", measure="consumption_value", lookback_days=365,
            scope="categories", category_ids=[cls.items.categ_id.id], cutoff_a=80.0, cutoff_b=96.0,
        )

    def test_heizer_example_reproduced(self):
        """Annual dollar volume, shares and classes exactly as in the book.

        The book's B class ends at the cumulative share of item #10500 (95.17 %), so the B
        cut-off is 96 %: #12760 is the boundary item whose cumulative share (83.32 %) first
        exceeds the A cut-off of 80 %, and goes to B."""
        results = self._compute(self.profile, "2026-01-01 02:00:00")
        self.assertEqual(self.profile.period_start.isoformat(), "2025-01-01")
        self.assertEqual(self.profile.period_end.isoformat(), "2025-12-31")
        self.assertAlmostEqual(sum(results[p].value for p in self.items), HEIZER_TOTAL, places=2)
        cumulative = 0.0
        for rank, (product, (code, __, __, dollar_volume, book_class)) in enumerate(zip(self.items, HEIZER, strict=True), start=1):
            result = results[product]
            cumulative += dollar_volume
            with self.subTest(item=code):
                self.assertEqual(result.rank, rank)
                self.assertAlmostEqual(result.value, dollar_volume, places=2)
                self.assertAlmostEqual(result.share, dollar_volume / HEIZER_TOTAL * 100, places=4)
                self.assertAlmostEqual(result.cumulative_share, cumulative / HEIZER_TOTAL * 100, places=4)
                self.assertEqual(result.computed_class, book_class)
                self.assertEqual(result.abc_class, book_class)
        # The book's summary: A = 20 % of the items and 72 % of the volume, B 30 % / 23 %, C 50 % / 5 %.
        for abc, items, volume in [("a", 2, 72), ("b", 3, 23), ("c", 5, 5)]:
            group = [r for r in results.values() if r.abc_class == abc]
            self.assertEqual(len(group), items)
            self.assertEqual(round(sum(r.share for r in group)), volume)
        boundary = results[self.items[2]]
        self.assertAlmostEqual(boundary.cumulative_share, 193350 / HEIZER_TOTAL * 100, places=4)  # 83.32 %
        self.assertEqual(boundary.abc_class, "b")
        self.assertAlmostEqual(results[self.items[1]].cumulative_share, 71.9651, places=4)
        # No movement: its own class, not C, and outside the ranking.
        self.assertEqual(results[self.idle].abc_class, "n")
        self.assertEqual(results[self.idle].rank, 0)
        self.assertFalse(results[self.idle].xyz_class)

    def test_default_cutoffs_move_the_b_boundary(self):
        """With the default B cut-off of 95 %, #10500 (cumulative 95.17 %) is the item that
        first exceeds it: C. The change is logged once."""
        self._compute(self.profile, "2026-01-01 02:00:00")
        self.assertFalse(self.env["jxc.abc.history"].search([("profile_id", "=", self.profile.id)]))
        self.profile.cutoff_b = 95.0
        results = self._compute(self.profile, "2026-01-01 03:00:00")
        self.assertEqual([results[p].abc_class for p in self.items], list("aabbcccccc"))
        history = self.env["jxc.abc.history"].search([("profile_id", "=", self.profile.id)])
        self.assertEqual(len(history), 1)
        self.assertEqual((history.product_id, history.old_class, history.new_class, history.origin),
                         (self.items[4], "b", "c", "compute"))

    def test_recompute_is_idempotent(self):
        first = self._compute(self.profile, "2026-01-01 02:00:00")
        fields = ["computed_class", "abc_class", "xyz_class", "value", "share", "cumulative_share", "rank", "demand_qty", "demand_cv"]
        before = {p.id: r.read(fields)[0] for p, r in first.items()}
        ids_before = sorted(r.id for r in first.values())
        second = self._compute(self.profile, "2026-01-01 05:00:00")
        self.assertEqual({p.id: r.read(fields)[0] for p, r in second.items()}, before)
        self.assertEqual(sorted(r.id for r in second.values()), ids_before)
        self.assertFalse(self.env["jxc.abc.history"].search([("profile_id", "=", self.profile.id)]))

    def _count_queries(self, profiles, when):
        """The number of queries of computing each profile at ``when``, from empty caches."""
        counts = []
        for profile in profiles:
            self.env.flush_all()
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            self._compute(profile, when)
            counts.append(self.env.cr.sql_log_count - start)
        return counts

    def test_query_count_does_not_grow_with_products(self):
        """Computations of 3 and of 11 products run the same number of queries, first runs
        (inserts) as well as recomputations with class changes (one UPDATE, history)."""
        small = self._create_products([("S1", 3.0), ("S2", 2.0), ("S3", 1.0)])
        self._stock_up(small, 100, "2025-05-01 02:00:00")
        self._sell_and_deliver("2025-05-02 02:00:00", [(small[0], 90, 1), (small[1], 5, 1), (small[2], 5, 1)])
        small_profile = self._create_profile(scope="categories", category_ids=[small.categ_id.id], lookback_days=365)
        # A first run warms the caches (defaults, ...); the measured runs start from no result.
        for profile in (small_profile, self.profile):
            self._compute(profile, "2026-01-01 02:00:00")
            profile.result_ids.unlink()
        counts = self._count_queries((small_profile, self.profile), "2026-01-01 02:00:00")
        self.assertEqual(len(self._results(self.profile)), 11)
        self.assertEqual(counts[0], counts[1])
        # Recomputations (updates instead of inserts) after new deliveries that change classes.
        self._sell_and_deliver("2025-12-30 02:00:00", [(small[2], 95, 1)])
        self.profile.cutoff_b = 95.0  # #10500 moves from B to C
        History = self.env["jxc.abc.history"]
        History.default_get(list(History._fields))  # the delivery cleared the cached defaults
        counts = self._count_queries((small_profile, self.profile), "2026-01-01 03:00:00")
        self.assertEqual(self._results(small_profile)[small[2]].abc_class, "b")  # 100 of 380: C -> B
        self.assertEqual(self._results(self.profile)[self.items[4]].abc_class, "c")
        self.assertEqual(counts[0], counts[1])

    def test_excel_ranking(self):
        self._compute(self.profile, "2026-01-01 02:00:00")
        action = self.profile.with_user(self.jxc_manager).action_export_xlsx()
        attachment = xlsx_file(action)
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(attachment.datas)))
        self.assertEqual(book.sheetnames, ["Ranking", "Summary"])
        ws = book["Ranking"]
        self.assertEqual(ws["A1"].value, "ABC/XYZ Ranking")
        self.assertIn("Profile: Heizer", ws["A2"].value)
        header = [c.value for c in ws[4]]
        self.assertEqual(header[:8], ["Rank", "Internal Reference", "Product", "Category", "Value", "Share",
                                      "Cumulative Share", "Computed Class"])
        self.assertEqual([ws.cell(5, c).value for c in (1, 2, 5)], [1, "ABC-10286", 90000])
        self.assertEqual(ws.cell(7, 2).value, "ABC-12760")
        self.assertAlmostEqual(ws.cell(7, 7).value, 193350 / HEIZER_TOTAL, places=6)
        self.assertEqual(ws.cell(7, 10).value, "B")
        self.assertEqual(ws.cell(15, 10).value, "N (no movement)")  # the idle product comes last
        self.assertEqual(ws.cell(16, 5).value, "=SUM(E5:E15)")
        # each quantity in its product's unit, and no total of quantities of different products
        self.assertEqual(header[-3:], ["Demand CV", "Net Delivered Qty", "Unit"])
        self.assertEqual({ws.cell(row, len(header)).value for row in range(5, 16)}, {"Units"})
        self.assertEqual([ws.cell(16, col).value for col in (len(header) - 1, len(header))], [None, None])
        summary = book["Summary"]
        self.assertEqual([[c.value for c in row] for row in summary.iter_rows(min_row=5, max_row=8, max_col=3)],
                         [["A", 2, 167000], ["B", 3, 53851], ["C", 5, 11206], ["N (no movement)", 1, 0]])
        # A user sees the ranking without the cost-based value.
        action = self.profile.with_user(self.jxc_user).action_export_xlsx()
        attachment = xlsx_file(action)
        header = [c.value for c in openpyxl.load_workbook(io.BytesIO(base64.b64decode(attachment.datas)))["Ranking"][4]]
        self.assertNotIn("Value", header)
        self.assertIn("Cumulative Share", header)
        # ranked by delivered quantity (products of different units), the value has no total
        self.profile.measure = "quantity"
        self._compute(self.profile, "2026-01-01 02:00:00")
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(
            xlsx_file(self.profile.with_user(self.jxc_manager).action_export_xlsx()).datas)))
        ws, summary = book["Ranking"], book["Summary"]
        self.assertEqual((ws.cell(4, 5).value, ws.max_row), ("Value", 15))  # 11 products, no totals row
        self.assertEqual(summary.cell(4, 3).value, "Value")
        self.assertIsNone(summary.cell(9, 3).value)

    def test_excel_ranking_after_a_settings_change(self):
        """A cut-off changed after the computation: the results are still those of A 80 %, so the
        export (whose heading states the cut-offs) waits for the next computation."""
        self._compute(self.profile, "2026-01-01 02:00:00")
        self.assertFalse(self.profile.settings_changed)
        profile = self.profile.with_user(self.jxc_manager)
        profile.cutoff_a = 70.0
        self.assertTrue(self.profile.settings_changed)
        self.assertEqual(self._results(self.profile)[self.items[1]].abc_class, "a")  # 71.97 %: still A
        with self.assertRaisesMessage(UserError, "changed since its last computation"):
            profile.action_export_xlsx()
        # the name is no setting of the ranking
        self._compute(self.profile, "2026-01-01 02:00:00")
        profile.name = "Heizer 70/96"
        self.assertFalse(self.profile.settings_changed)
        self.assertEqual(self._results(self.profile)[self.items[1]].abc_class, "b")
        ws = openpyxl.load_workbook(io.BytesIO(base64.b64decode(xlsx_file(profile.action_export_xlsx()).datas)))["Ranking"]
        self.assertIn("A 70.0 % / B 96.0 %", ws["A2"].value)
        self.assertIn("Include Consumption: Yes", ws["A2"].value)
        # counting consumption in production or not changes the ranking too
        profile.include_production = False
        self.assertTrue(self.profile.settings_changed)

    def test_excel_undefined_cv_is_empty(self):
        """A Z whose periods had no demand on average has no coefficient of variation (stored
        as 0, as Odoo stores an empty number): its cell is empty, as on screen; a Z of CV 2.5
        shows it (both set just before the export: it reads what the ORM holds)."""
        self._compute(self.profile, "2026-01-01 02:00:00")
        results = self._results(self.profile)
        undefined, variable = results[self.items[0]], results[self.items[1]]
        undefined.sudo().write({"xyz_class": "z", "demand_cv": 0.0})
        variable.sudo().write({"xyz_class": "z", "demand_cv": 2.5})
        ws = openpyxl.load_workbook(io.BytesIO(base64.b64decode(
            xlsx_file(self.profile.with_user(self.jxc_manager).action_export_xlsx()).datas)))["Ranking"]
        column = [c.value for c in ws[4]].index("Demand CV") + 1
        cvs = {ws.cell(row, 2).value: ws.cell(row, column).value for row in range(5, ws.max_row)}
        self.assertEqual((cvs[self.items[0].default_code], cvs[self.items[1].default_code]), (None, 2.5))
        # at 4 decimals: near the X/Y limit 0.5, a CV of 0.4996 does not show as 0.50
        self.assertEqual(ws.cell(5, column).number_format, "#,##0.0000")

    def test_excel_names_the_variants(self):
        """Two colours of one T-shirt, without internal reference: the file tells them apart
        as the list does."""
        color = self.env["product.attribute"].create({
            "name": "JXC Colour", "value_ids": [Command.create({"name": "Red"}), Command.create({"name": "Blue"})],
        })
        template = self.env["product.template"].create({
            "name": "JXC Tee", "is_storable": True, "categ_id": self.items.categ_id.id, "standard_price": 3.0,
            "attribute_line_ids": [Command.create({"attribute_id": color.id, "value_ids": [Command.set(color.value_ids.ids)]})],
        })
        tees = template.product_variant_ids
        self._stock_up(tees, 10, "2025-01-02 02:00:00")
        self._sell_and_deliver("2025-05-05 03:00:00", [(tee, 2, 6.0) for tee in tees])
        self._compute(self.profile, "2026-01-01 02:00:00")
        ws = openpyxl.load_workbook(io.BytesIO(base64.b64decode(
            xlsx_file(self.profile.with_user(self.jxc_manager).action_export_xlsx()).datas)))["Ranking"]
        names = [ws.cell(row, 3).value for row in range(5, ws.max_row) if ws.cell(row, 3).value]
        self.assertIn("JXC Tee (Red)", names)
        self.assertIn("JXC Tee (Blue)", names)
        self.assertIn("ABC 10286", names)


@tagged("post_install", "-at_install")
class TestAbcCutoffRule(AbcCommon):
    """The ranking rule on its own: exact boundaries, crossing item, ties, zero totals."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.profile = cls._create_profile(cutoff_a=80.0, cutoff_b=95.0)

    def test_exact_boundary_stays_in_class(self):
        # Cumulative shares exactly 80 % and 95 % stay in A and B; only exceeding moves on.
        ranking = self.profile._rank_values({1: 80.0, 2: 15.0, 3: 5.0})
        self.assertEqual({k: v[3] for k, v in ranking.items()}, {1: "a", 2: "b", 3: "c"})
        self.assertEqual(ranking[2][2], 95.0)

    def test_crossing_item_goes_to_b(self):
        # 70 % then 97 %: the second item first exceeds the A cut-off, so B (never A -> C directly).
        ranking = self.profile._rank_values({1: 70.0, 2: 27.0, 3: 3.0})
        self.assertEqual([ranking[k][3] for k in (1, 2, 3)], ["a", "b", "c"])
        # The first item is A even when it alone crosses the A cut-off; the next one first
        # exceeds the B cut-off: C.
        ranking = self.profile._rank_values({1: 90.0, 2: 10.0})
        self.assertEqual([ranking[k][3] for k in (1, 2)], ["a", "c"])

    def test_ties_by_product_id(self):
        ranking = self.profile._rank_values({7: 50.0, 3: 25.0, 5: 25.0})
        self.assertEqual([(k, ranking[k][0], ranking[k][3]) for k in (7, 3, 5)], [(7, 1, "a"), (3, 2, "a"), (5, 3, "b")])

    def test_zero_and_negative_values(self):
        ranking = self.profile._rank_values({1: 0.0, 2: 0.0})
        self.assertEqual(ranking, {1: (1, 0.0, 0.0, "c"), 2: (2, 0.0, 0.0, "c")})
        ranking = self.profile._rank_values({1: 100.0, 2: -20.0, 3: 0.0})
        self.assertEqual(ranking[1], (1, 100.0, 100.0, "a"))
        self.assertEqual((ranking[3][0], ranking[3][3]), (2, "c"))
        self.assertEqual((ranking[2][0], ranking[2][3]), (3, "c"))


@tagged("post_install", "-at_install")
class TestAbcDominantProduct(AbcCommon):
    """Through real deliveries: one product worth 90 % of the consumption, and a product whose
    only delivery came back."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.items = cls._create_products([("DOM", 90.0), ("S1", 5.0), ("S2", 5.0), ("BACK", 20.0)])
        cls._stock_up(cls.items, 100, "2025-05-01 02:00:00")
        # consumption values 9,000 / 500 / 500
        cls._sell_and_deliver("2025-05-10 02:00:00", [(p, 100, 1.0) for p in cls.items[:3]])
        order = cls._sell_and_deliver("2025-05-12 02:00:00", [(cls.items[3], 10, 40.0)], cls.customer_b)
        with freeze_time("2025-05-15 02:00:00"):
            cls._return_picking(order.picking_ids, {cls.items[3]: 10.0})
        cls.profile = cls._create_profile(scope="categories", category_ids=[cls.items.categ_id.id], lookback_days=90)

    def test_dominant_product_is_a(self):
        """9,000 of 10,000 = 90 % crosses the A cut-off alone, yet the first product is A;
        95 % is exactly the B cut-off (B); 100 % first exceeds it (C)."""
        results = self._compute(self.profile, "2025-07-01 02:00:00")
        self.assertEqual([results[p].abc_class for p in self.items[:3]], ["a", "b", "c"])
        self.assertEqual([results[p].cumulative_share for p in self.items[:3]], [90.0, 95.0, 100.0])
        self.assertEqual([results[p].rank for p in self.items[:3]], [1, 2, 3])

    def test_delivery_fully_returned_is_n(self):
        """Delivered 10, returned 10: no movement, N, outside the ranking, for every measure."""
        for measure in ("consumption_value", "revenue", "margin", "quantity", "lines"):
            self.profile.measure = measure
            result = self._compute(self.profile, "2025-07-01 02:00:00")[self.items[3]]
            with self.subTest(measure=measure):
                self.assertEqual((result.abc_class, result.rank, result.value, result.xyz_class), ("n", 0, 0.0, False))
