"""The policy replay (tools/backtest.py) on hand-computed days, the synthetic-demand check
of issue 17, and the policy backtest through real deliveries (fixtures of
safety_common.py, today 30 June 2025).

Replay conventions (Odoo's reordering rule): after the day's demand, a forecast stock
(on hand + on order - backorders) below the minimum orders up to the maximum; an order
with a lead time of L days is received at the start of the day after L more days of
demand; unserved demand waits (backorder) and is served first by the next receipt.
"""

import base64
import io
from statistics import NormalDist
from unittest.mock import patch

import numpy as np
import openpyxl
from freezegun import freeze_time
from lxml import etree

from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL
from odoo.tools.safe_eval import safe_eval

from ..models import jxc_policy_backtest
from ..tools.backtest import replay
from ..tools.demand_class import classify_demand, demand_class_stats
from ..tools.inventory_policy import safety_stock_for_target, undershoot_moments
from ..tools.orm_batch import bulk_create
from .common import run_migration, xlsx_file
from .safety_common import SafetyStockCommon


@tagged("post_install", "-at_install")
class TestPlanningReplay(TransactionCase):
    def test_replay_without_shortage(self):
        # 3 a day, min 5, max 10, lead 1, 10 on hand: day 1 ends at 7; day 2 at 4 -> order 6,
        # received day 4; day 3 ends at 1; day 4: 1 + 6 - 3 = 4 -> order 6, day 6 ... on hand
        # 7 4 1 4 1 4 (average 3.5), three orders, nothing short, two cycles both served.
        result = replay([[3, 3, 3, 3, 3, 3]], [5.0], [10.0], 1.0)
        self.assertEqual(result["fill_rate"][0], 1.0)
        self.assertEqual(result["orders"][0], 3)
        self.assertEqual(result["stockout_days"][0], 0)
        self.assertAlmostEqual(result["average_stock"][0], 3.5)
        self.assertEqual(result["cycle_service_level"][0], 1.0)

    def test_replay_with_backorders(self):
        # 4 a day, min 2, max 6, lead 2: day 1 serves 4 (2 left: not below the minimum);
        # day 2 serves 2 of 4 -> -2, order 8 (to 6), due on day 5, after the replay;
        # day 3: -6, forecast 2; day 4: -10, forecast -2 -> order 4. Served 6 of 16.
        result = replay([[4, 4, 4, 4]], [2.0], [6.0], 2.0)
        self.assertAlmostEqual(result["fill_rate"][0], 6 / 16)
        self.assertEqual((result["orders"][0], result["stockout_days"][0]), (2, 3))
        self.assertAlmostEqual(result["average_stock"][0], 0.5)
        self.assertEqual(result["cycle_service_level"][0], 0.0)  # short, and no receipt came

    def test_replay_from_the_first_day(self):
        # The second product came on day 3 (index 2): the same 3 a day from then, min 5, max 10,
        # lead 1. On hand 7 4 1 4 over its 4 days (average 4), not 10 10 7 4 1 4 over 6;
        # nothing ordered before it was there.
        result = replay([[3, 3, 3, 3, 3, 3], [0, 0, 3, 3, 3, 3]], [5.0, 5.0], [10.0, 10.0], 1.0, start=[0, 2])
        self.assertAlmostEqual(result["average_stock"][1], 4.0)
        self.assertEqual((result["orders"][1], result["stockout_days"][1]), (2, 0))
        self.assertAlmostEqual(result["average_stock"][0], 3.5)  # the first as without a start

    def test_lead_time_draws_are_repeatable(self):
        rng = np.random.default_rng(3)
        demand = rng.poisson(4.0, (20, 120))
        draws = [[2, 9]] * 20
        first = replay(demand, [20.0] * 20, [60.0] * 20, draws, seed=7)
        self.assertEqual(first["fill_rate"].tolist(), replay(demand, [20.0] * 20, [60.0] * 20, draws, seed=7)["fill_rate"].tolist())
        # Slower receipts serve less than the fast ones of the same rule.
        fast = replay(demand, [20.0] * 20, [60.0] * 20, 2.0)
        slow = replay(demand, [20.0] * 20, [60.0] * 20, 9.0)
        self.assertTrue((fast["fill_rate"] >= slow["fill_rate"]).all())

    @staticmethod
    def _synthetic_demand(days=730):
        """150 products, ``days`` of daily demand of known distributions (seed 17): Poisson,
        negative binomial, Bernoulli x lognormal (lumpy)."""
        rng = np.random.default_rng(17)
        series = []
        for index in range(150):
            if index % 3 == 0:
                series.append(rng.poisson(rng.uniform(0.5, 20), days))
            elif index % 3 == 1:
                mean, shape = rng.uniform(0.5, 10), rng.uniform(0.5, 3)
                series.append(rng.negative_binomial(shape, shape / (shape + mean), days))
            else:
                chance, log_mean = rng.uniform(0.05, 0.4), rng.uniform(1, 3)
                series.append((rng.random(days) < chance) * np.ceil(rng.lognormal(log_mean, 0.8, days)))
        return np.array(series, dtype=float)

    @staticmethod
    def _fitted_rules(history, target, fitted=True):
        """Minimum and maximum of each product from its ``history`` (fill-rate target, lead
        time 7 days, orders of 14 days of demand; the Gamma for intermittent and lumpy demand
        when ``fitted``)."""
        adi, cv2 = demand_class_stats(history)
        minimum, maximum = [], []
        for row, past in enumerate(history):
            mean_lt, sigma_lt, order = past.mean() * 7, past.std(ddof=1) * 7**0.5, max(past.mean() * 14, 1.0)
            gamma = fitted and classify_demand(adi[row], cv2[row]) in ("intermittent", "lumpy")
            safety, _z = safety_stock_for_target(
                mean_lt, sigma_lt, order, "fill_rate", target, "gamma" if gamma else "normal", undershoot_moments(past),
            )
            minimum.append(mean_lt + safety)
            maximum.append(mean_lt + safety + order)
        return minimum, maximum

    def _replay_next_year(self, demand, target, fitted=True, history_days=365):
        """The rules of the first ``history_days`` replayed on the days after."""
        minimum, maximum = self._fitted_rules(demand[:, :history_days], target, fitted)
        return replay(demand[:, history_days:], minimum, maximum, 7.0, seed=1)

    def test_synthetic_demand_reaches_the_fill_rate(self):
        """Issue 17: on demand of known distributions the fill rate reached in a replay of the
        next year is within 2 points of the target for at least 80 % of the products at 98 %."""
        result = self._replay_next_year(self._synthetic_demand(), 98.0)
        within = np.abs(result["fill_rate"] * 100 - 98.0) <= 2.0
        self.assertGreaterEqual(within.mean(), 0.80)
        self.assertAlmostEqual(within.mean(), 130 / 150)  # measured: 86.7 %

    def test_synthetic_demand_long_history(self):
        """The same products with 10 years fitted and the next 20 replayed: within 2 points of
        the target for 125, 140 and 144 of 150 products at 90, 95 and 98 %. The method holds
        the target product by product once the history and the replay are long enough; with one
        year of each (below), the noise of one year's few order cycles dominates."""
        demand = self._synthetic_demand(365 * 30)
        within = {
            target: int((np.abs(self._replay_next_year(demand, target, history_days=3650)["fill_rate"] * 100 - target)
                         <= 2.0).sum())
            for target in (90.0, 95.0, 98.0)
        }
        self.assertEqual(within, {90.0: 125, 95.0: 140, 98.0: 144})

    def test_synthetic_demand_single_year_noise(self):
        """The rules of the test above (10 years fitted), which hold the target over 20 years,
        judged on each of those 20 years alone: at 90 % only 63 to 90 of 150 products land
        within 2 points in a year, at 95 % 81 to 104, at 98 % 130 to 142. Rules fitted on ten
        years are close to the true demand, yet no single year reaches 80 % of the products at
        90 or 95 %: judged on one replayed year, the ±2-point criterion measures that year's
        few order cycles per product more than the method."""
        demand = self._synthetic_demand(365 * 30)
        spread = {}
        for target in (90.0, 95.0, 98.0):
            minimum, maximum = self._fitted_rules(demand[:, :3650], target)
            counts = []
            for year in range(20):
                start = 3650 + 365 * year
                replayed = replay(demand[:, start:start + 365], minimum, maximum, 7.0, seed=1)
                counts.append(int((np.abs(replayed["fill_rate"] * 100 - target) <= 2.0).sum()))
            spread[target] = (min(counts), max(counts))
        self.assertEqual(spread, {90.0: (63, 90), 95.0: (81, 104), 98.0: (130, 142)})

    def test_synthetic_demand_known_limits(self):
        """What the same check does not reach yet, pinned so that a change shows. At 95 % only
        95 of 150 products land within 2 points (the mean is on target: the misses go both ways,
        one year holds too few order cycles per product). And for the same overall fill rate
        the Gamma of intermittent and lumpy demand needs more stock than the normal method."""
        demand = self._synthetic_demand()
        result = self._replay_next_year(demand, 95.0)
        within = np.abs(result["fill_rate"] * 100 - 95.0) <= 2.0
        self.assertEqual(int(within.sum()), 95)
        self.assertAlmostEqual(result["served"].sum() / result["demand"].sum() * 100, 94.65, places=2)

        def overall(target, fitted):
            run = self._replay_next_year(demand, target, fitted)
            return run["served"].sum() / run["demand"].sum() * 100, run["average_stock"].sum()

        fill_gamma, stock_gamma = overall(98.0, True)
        (fill_low, stock_low), (fill_high, stock_high) = overall(98.0, False), overall(98.5, False)
        self.assertTrue(fill_low < fill_gamma < fill_high)
        stock_normal = stock_low + (stock_high - stock_low) * (fill_gamma - fill_low) / (fill_high - fill_low)
        # 97.53 % overall: 10,353 units with the Gamma, 9,988 with the normal method (+3.7 %)
        self.assertEqual((round(fill_gamma, 2), round(stock_gamma), round(stock_normal)), (97.53, 10353, 9988))

    def _stock_per_product(self, demand, history_days=365):
        """{target: (stock of the fitted method, stock the normal method needs for the same
        fill rate, product by product)}: the normal method's rules are replayed at targets from
        50 % to 99.9 % and, product by product, its average stock is interpolated at the fill
        rate the fitted method reached."""
        targets = (50, 60, 70, 75, 80, 85, 88, 90, 92, 93, 94, 95, 96, 97, 97.5, 98, 98.5, 99, 99.3, 99.5, 99.7, 99.9)
        normal = [self._replay_next_year(demand, float(target), False, history_days) for target in targets]
        fills = np.array([run["fill_rate"] for run in normal])
        stocks = np.array([run["average_stock"] for run in normal])

        def normal_stock(product, fill):
            # the first target whose replay serves the product at least as well, interpolated
            # from the one before it
            curve, stock = fills[:, product], stocks[:, product]
            reached = np.flatnonzero(curve >= fill)
            self.assertTrue(reached.size, "the normal method reaches the fill rate at some target")
            i = reached[0]
            if i == 0 or curve[i] == curve[i - 1]:
                return stock[i]
            return stock[i - 1] + (stock[i] - stock[i - 1]) * (fill - curve[i - 1]) / (curve[i] - curve[i - 1])

        measured = {}
        for target in (90.0, 95.0, 98.0):
            fitted = self._replay_next_year(demand, target, history_days=history_days)
            needed = sum(normal_stock(p, fitted["fill_rate"][p]) for p in range(len(demand)))
            measured[target] = (round(fitted["average_stock"].sum()), round(needed))
        return measured

    def test_synthetic_demand_stock_per_product(self):
        """One year fitted, the next replayed: at 90 % the fitted method needs no more stock
        than the normal method for the fill rate each product got (7,256 units against 7,258);
        at 95 and 98 % it needs 0.3 and 1.2 % more (8,709 against 8,680; 10,353 against 10,235):
        12 of the 68 intermittent and lumpy products were served in full at 98 %, with more
        stock than that year needed, where the normal method's first target serving them in
        full is the cheapest in hindsight. So the 3.7 % above is mostly the stock of serving the lumpy products at their
        target, which the normal method does not do."""
        demand = self._synthetic_demand()
        measured = self._stock_per_product(demand)
        self.assertEqual(measured, {90.0: (7256, 7258), 95.0: (8709, 8680), 98.0: (10353, 10235)})
        adi, cv2 = demand_class_stats(demand[:, :365])
        fitted = np.array([classify_demand(a, c) in ("intermittent", "lumpy") for a, c in zip(adi, cv2, strict=True)])
        served_all = self._replay_next_year(demand, 98.0)["fill_rate"] >= 1.0
        self.assertEqual((int(fitted.sum()), int((served_all & fitted).sum())), (68, 12))

    def test_synthetic_demand_stock_per_product_long_history(self):
        """Ten years fitted, twenty replayed (the horizon where the fill rates hold, above): at
        90, 95 and 98 % the fitted method needs no more stock than the normal method for the
        fill rate each product got (6,700 against 6,701; 8,160 against 8,163; 9,850 against
        9,854)."""
        measured = self._stock_per_product(self._synthetic_demand(365 * 30), history_days=3650)
        self.assertEqual(measured, {90.0: (6700, 6701), 95.0: (8160, 8163), 98.0: (9850, 9854)})
        for fitted, normal in measured.values():
            self.assertLessEqual(fitted, normal)


    def test_cycle_service_level_counts_the_daily_check(self):
        """Poisson demand of 1, 5 and 20 a day (20 products each, seed 11), lead time 7 days,
        orders of 14 days: rules fitted on ten years, replayed on the ten after. Odoo checks the
        minimum once a day, after the day's demand, so the stock is below the minimum by that
        day's undershoot when it orders. The textbook minimum (mean + z sigma_L) ignores it and
        reaches 86.6 and 75.5 % at a 95 % target; the add-on's reaches 94.9 and 94.4 %. At 1 a
        day the normal approximation of a few whole units still falls 1 to 2 points short."""
        rng = np.random.default_rng(11)
        demand = np.vstack([rng.poisson(rate, (20, 7300)) for rate in (1.0, 5.0, 20.0)]).astype(float)
        history, future = demand[:, :3650], demand[:, 3650:]
        mean_lt, sigma_lt = history.mean(axis=1) * 7, history.std(axis=1, ddof=1) * 7**0.5
        order = np.maximum(history.mean(axis=1) * 14, 1.0)
        reached = {}
        for target in (90.0, 95.0, 98.0):
            safety = np.array([
                safety_stock_for_target(mean_lt[row], sigma_lt[row], order[row], "cycle", target, "normal",
                                        undershoot_moments(past))[0]
                for row, past in enumerate(history)
            ])
            textbook = mean_lt + NormalDist().inv_cdf(target / 100.0) * sigma_lt
            for name, minimum in (("textbook", textbook), ("add-on", mean_lt + safety)):
                level = replay(future, minimum, minimum + order, 7.0)["cycle_service_level"] * 100
                reached[target, name] = [round(float(level[rows].mean()), 1) for rows in np.split(np.arange(60), 3)]
        self.assertEqual(reached, {
            (90.0, "textbook"): [78.6, 78.5, 64.2], (90.0, "add-on"): [87.9, 90.0, 89.6],
            (95.0, "textbook"): [86.3, 86.6, 75.5], (95.0, "add-on"): [93.4, 94.9, 94.4],
            (98.0, "textbook"): [93.0, 92.8, 84.3], (98.0, "add-on"): [96.8, 97.8, 97.8],
        })


@tagged("post_install", "-at_install")
class TestPolicyBacktest(SafetyStockCommon):
    def test_backtest_of_proposed_and_current_rules(self):
        self._compute()
        lines = self.env["jxc.policy.backtest"]._run(self.company)
        line = lines.filtered(lambda line: line.product_id == self.product_1)
        # The "why": class A rule, 98 %, safety 33.54 (2.8257 deviations: the daily check's
        # undershoot counted, test_safety_stock.py), reorder point 47.04 and max 87.04 in whole
        # units: 48 and 88.
        self.assertEqual((line.rule_id, line.abc_class, line.demand_class), (self.rule_class_a, "a", "intermittent"))
        self.assertEqual((line.service_level, line.safety_stock, line.proposed_min, line.proposed_max), (98.0, 33.54, 48.0, 88.0))
        self.assertAlmostEqual(line.z, 2.8257, places=4)
        # 365 days from 30 June 2024, demand 50 in June 2025 (5, 10, 20, 5, 10 net): from 88
        # on hand the stock ends 83, 73, 53, 48 (not below the minimum), then 38
        # on 27 June -> one order, received after the replay; nothing short.
        self.assertEqual(line.demand, 50.0)
        self.assertEqual((line.proposed_fill_rate, line.proposed_orders, line.proposed_stockout_days), (100.0, 1, 0))
        # Replayed from 1 June 2025, the Widget's first day in the warehouse (60 received): the
        # 336 days before it held nothing. Average on hand over the 29 days from 1 June:
        # (18 x 88 + 2 x 83 + 2 x 73 + 53 + 3 x 48 + 3 x 38) / 29 = 2,207 / 29.
        self.assertAlmostEqual(line.proposed_avg_stock, 76.1)
        self.assertAlmostEqual(line.proposed_stock_value, 761.03)  # x standard price 10
        # The current rules are the proposed ones (just computed).
        self.assertEqual((line.current_min, line.current_fill_rate, line.current_orders), (48.0, 100.0, 1))

        # A rule of 0 / 0 orders only for backorders: nothing is ever served from stock.
        orderpoint = self._orderpoint(self.product_1)
        orderpoint.write({"product_min_qty": 0.0, "product_max_qty": 0.0})
        line = self.env["jxc.policy.backtest"]._run(self.company).filtered(lambda line: line.product_id == self.product_1)
        # 19 June -5: order 5 (in 3 days); 21 June -15: order 10; 23 June +5 -20: order 20;
        # 24 June: order 5; 27 June +20 -10: order 10 -> 5 orders, 4 receipts all late.
        self.assertEqual(
            (line.current_fill_rate, line.current_orders, line.current_csl, line.current_stockout_days),
            (0.0, 5, 0.0, 29),  # every day from 1 June
        )
        self.assertEqual(line.current_stock_value, 0.0)
        self.assertEqual(self.env["jxc.policy.backtest"].search_count([("company_id", "=", self.company.id)]), len(lines))
        # Manual, the rule is no rule of Odoo's scheduler: it orders nothing, not the 5 orders above.
        orderpoint.trigger = "manual"
        line = self.env["jxc.policy.backtest"]._run(self.company).filtered(lambda line: line.product_id == self.product_1)
        self.assertEqual((line.current_fill_rate, line.current_orders, line.current_stockout_days), (0.0, 0, 29))

        # Exchange curve of class A (product_1 alone): more stock for a higher target.
        curve = self.env["jxc.policy.backtest.curve"].search([("company_id", "=", self.company.id), ("abc_class", "=", "a")])
        self.assertEqual(curve.mapped("target"), [85.0, 90.0, 95.0, 97.5, 99.0, 99.5])
        values = curve.mapped("stock_value")
        self.assertEqual(values, sorted(values))
        self.assertTrue(all(point.fill_rate == 100.0 for point in curve))  # five sales: none short
        # The products no profile ranked (all but the Widget) have no class, not N (no movement):
        # each of them sold during the year.
        Curve = self.env["jxc.policy.backtest.curve"]
        unclassified = Curve.search([("company_id", "=", self.company.id), ("abc_class", "=", False)])
        self.assertEqual(unclassified.mapped("target"), [85.0, 90.0, 95.0, 97.5, 99.0, 99.5])
        rows = self.env["jxc.policy.backtest"].search([("company_id", "=", self.company.id), ("abc_class", "=", False)])
        self.assertTrue(rows)
        self.assertEqual(set(unclassified.mapped("product_count")), {len(rows)})
        self.assertFalse(Curve.search_count([("company_id", "=", self.company.id), ("abc_class", "=", "n")]))

    def test_upgrade_drops_the_rows_stored_twice(self):
        """A database where two runs at once stored two sets of rows (before the unique key):
        the upgrade keeps the first row of each product and warehouse, and of each curve point."""
        self._compute()
        Backtest, Curve = self.env["jxc.policy.backtest"], self.env["jxc.policy.backtest.curve"]
        lines = Backtest._run(self.company)
        curve = Curve.search([("company_id", "=", self.company.id)])
        # the database as it was: no key yet, a second run's rows beside the first's
        self.env.execute_query(SQL(
            "ALTER TABLE jxc_policy_backtest DROP CONSTRAINT jxc_policy_backtest_unique_product_warehouse"))
        fields_to_copy = ["company_id", "product_id", "warehouse_id"]
        bulk_create(Backtest, [{name: line[name].id for name in fields_to_copy} for line in lines])
        bulk_create(Curve, [{"company_id": point.company_id.id, "abc_class": point.abc_class, "target": point.target}
                            for point in curve])
        self.assertEqual(Backtest.search_count([("company_id", "=", self.company.id)]), 2 * len(lines))
        run_migration(self.env, "19.0.1.6.0", "pre-migrate")
        self.env.invalidate_all()
        self.assertEqual(Backtest.search([("company_id", "=", self.company.id)]), lines)
        self.assertEqual(Curve.search([("company_id", "=", self.company.id)]), curve)

    def test_backtest_replays_the_consumption_a_rule_counts(self):
        """50 of product 1 consumed by production on 25 June: replayed only once its rule counts
        consumption, as the safety stock sizes it."""
        production = self.product_1.with_company(self.company).property_stock_production
        with freeze_time("2025-06-25 02:00:00"):
            move = self.env["stock.move"].create({
                "product_id": self.product_1.id, "product_uom_qty": 50.0, "product_uom": self.product_1.uom_id.id,
                "location_id": self.stock_location.id, "location_dest_id": production.id,
            })
            move._action_confirm()
            move.quantity = 50.0
            move.picked = True
            move._action_done()
        Backtest = self.env["jxc.policy.backtest"]

        def demand():
            return Backtest._run(self.company).filtered(lambda line: line.product_id == self.product_1).demand

        self.assertEqual(demand(), 50.0)
        self.rule_class_a.include_production = True
        self.assertEqual(demand(), 100.0)

    def test_next_to_what_really_happened(self):
        """The same 365 days (30 June 2024 - 29 June 2025, Shanghai) as they really went."""
        self._compute()
        lines = self.env["jxc.policy.backtest"]._run(self.company)
        gadget = lines.filtered(lambda line: line.product_id == self.product_2)
        # First in the warehouse on 30 May (a unit counted in and out): the 7 days from then to the
        # first receipt of 20 on 6 June ended empty, the 334 before it are no stock-out. Then
        # 20 (4 days), 14 (5), 34 (5), 22 (9), 16 (1): 534 unit-days over the 31 days from 30 May,
        # the days the replays count (not 534 / 365: the Gadget held nothing before it came).
        self.assertEqual((gadget.actual_stockout_days, gadget.actual_orders), (7, 2))
        self.assertAlmostEqual(gadget.actual_avg_stock, 534 / 31, places=2)  # 17.23, in the unit's digits
        self.assertEqual(gadget.actual_fill_rate, 100.0)  # every delivery shipped in full
        self.assertEqual(gadget.actual_stock_value, self.company.currency_id.round(
            534 / 31 * self.product_2.with_company(self.company).standard_price))
        widget = lines.filtered(lambda line: line.product_id == self.product_1)
        # 60 on hand from 1 June (nothing there before), never empty after; no purchase order
        self.assertEqual((widget.actual_stockout_days, widget.actual_orders, widget.actual_fill_rate), (0, 0, 100.0))

    def test_backtest_excel(self):
        self._compute()
        self.env["jxc.policy.backtest"]._run(self.company)
        action = self.env["jxc.policy.backtest"].with_context(
            lang="en_US", active_domain=[("company_id", "=", self.company.id)],
        ).action_export_xlsx()
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(xlsx_file(action).datas)))
        self.assertEqual(book.sheetnames, ["Policy Backtest", "Exchange Curve"])
        cells = [cell.value for row in book["Policy Backtest"].iter_rows() for cell in row]
        self.assertIn("Fill Rate (%), Proposed", cells)
        self.assertIn("JXC Widget", " ".join(str(cell) for cell in cells if cell))
        # the quantities in the product's unit, said beside them, and not added up across products
        sheet = book["Policy Backtest"]
        headers = [cell.value for cell in sheet[4]]
        unit, demand = headers.index("Unit") + 1, headers.index("Demand (365 days)") + 1
        self.assertEqual(headers[unit:unit + 2], ["Safety Stock", "Proposed Reorder Point"])
        self.assertEqual({sheet.cell(row, unit).value for row in range(5, sheet.max_row)}, {"Units"})
        self.assertIsNone(sheet.cell(sheet.max_row, demand).value)
        curve_cells = [cell.value for row in book["Exchange Curve"].iter_rows() for cell in row]
        self.assertIn("Target Fill Rate (%)", curve_cells)
        self.assertIn(99.5, curve_cells)

    def test_below_target_in_the_target_measure(self):
        """A line is below target when its replay misses the target by more than 2 points in
        the target's own measure: the cycle service level for a cycle target (a rule can serve
        99 % of the demand and still run short in one cycle of five), the fill rate for a
        fill-rate target. The list's red rows and its Below Target filter read that flag."""
        self._compute()
        real_replay = jxc_policy_backtest.replay
        replays = []

        def replay_csl_80(*args, **kwargs):
            result = real_replay(*args, **kwargs)
            if not replays:  # the proposed rules: 80 % of their cycles served in full, 99 % of the demand
                result["cycle_service_level"][:], result["fill_rate"][:] = 0.8, 0.99
            replays.append(result)
            return result

        Backtest = self.env["jxc.policy.backtest"]
        with patch.object(jxc_policy_backtest, "replay", replay_csl_80):
            lines = Backtest._run(self.company)
        views = Backtest.get_views([(False, "list"), (False, "search")])["views"]
        [below] = etree.fromstring(views["search"]["arch"]).xpath("//filter[@name='below_target']")
        found = Backtest.search([("company_id", "=", self.company.id), *safe_eval(below.get("domain"))])
        # the widget (class A: 98 %) and the gadget (95 %) target cycle service levels; the
        # parka's rule is a fixed quantity, without a target
        self.assertEqual(found.product_id, self.product_1 | self.product_2)
        self.assertEqual(etree.fromstring(views["list"]["arch"]).get("decoration-danger"), "below_target")
        self.assertEqual(
            {line.product_id: (line.service_target, line.service_level, line.proposed_csl, line.proposed_fill_rate)
             for line in lines},
            {self.product_1: ("cycle", 98.0, 80.0, 99.0), self.product_2: ("cycle", 95.0, 80.0, 99.0),
             self.product_4: (False, 0.0, 80.0, 99.0)},
        )
        # Fill-rate targets compare the fill rate, whatever the cycles (rows of their own).
        lines.unlink()
        lines = Backtest.create([{
            "company_id": self.company.id, "warehouse_id": self.warehouse.id, "product_id": product.id,
            "service_target": "fill_rate", "service_level": 98.0, "proposed_csl": csl, "proposed_fill_rate": fill,
        } for product, csl, fill in ((self.product_2, 80.0, 99.0), (self.product_3, 100.0, 95.0))])
        self.assertEqual(lines.mapped("below_target"), [False, True])

    def test_current_rule_on_a_shelf(self):
        """A buyer's rule for the widget on a shelf of the warehouse's stock: the safety stock
        leaves it in place of its own (no rule at the stock), and the backtest replays it as
        the current rule, not a rule of 0 / 0."""
        shelf = self.env["stock.location"].create({
            "name": "Shelf 1", "location_id": self.stock_location.id, "usage": "internal",
        })
        rule = self.Orderpoint.create({
            "product_id": self.product_1.id, "warehouse_id": self.warehouse.id, "location_id": shelf.id,
            "product_min_qty": 7.0, "product_max_qty": 20.0,
        })
        self._compute()
        self.assertFalse(self._orderpoint(self.product_1))
        line = self.env["jxc.policy.backtest"]._run(self.company).filtered(lambda line: line.product_id == self.product_1)
        self.assertEqual((line.orderpoint_id, line.current_min, line.current_max), (rule, 7.0, 20.0))

    def test_backtest_is_for_managers(self):
        with self.assertRaisesRegex(AccessError, "Only inventory control managers"):
            self.env["jxc.policy.backtest"].with_user(self.jxc_user).action_run()

