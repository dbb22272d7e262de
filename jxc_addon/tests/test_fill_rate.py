"""Fill rates and ratio figures through real pickings (fixtures of common.py, Shanghai company).

- The service level (``jxc.service.level``): a delivery validated in part with "No Backorder"
  shipped its done quantity, not its demand (sale 10, ship 6: 60 %); a backorder of a backorder
  belongs to the same delivery (order 100, ship 50, then 20 of the backorder: 50 %).
- Group rows of ratio columns, as the web client reads them (``formatted_read_group``): the
  ratio of the group's sums, not the average of its rows (the forecast accuracy's WAPE and bias,
  the policy backtest's fill rates and cycle service levels).
- The policy backtest orders as Odoo's reordering rule does, rounded up to its replenishment
  unit (a box of 24: 48, not 31), and proposes the maximum the rule gets.
- The monthly summary's best sellers count the company's days, as its KPIs do.
"""

from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import Form, tagged

from ..tools.backtest import replay
from .common import JxcCommon
from .safety_common import SafetyStockCommon

NOW = "2025-03-05 04:00:00"
FEBRUARY = [date(2025, 2, 1), date(2025, 3, 1)]


class FillRateCommon(JxcCommon):
    @classmethod
    def _validate_as_user(cls, picking, quantities, backorder):
        """Validate ``picking`` as a stock user does: type the quantities shipped ({product:
        qty}), click Validate, answer the backorder dialog ("Create Backorder" or "No
        Backorder")."""
        picking = picking.with_user(cls.jxc_manager)
        for move in picking.move_ids:
            move.quantity = quantities[move.product_id]
            move.picked = True
        action = picking.button_validate()
        wizard = Form.from_action(picking.env, action).save()
        if backorder:
            wizard.process()
        else:
            wizard.process_cancel_backorder()
        return picking


@tagged("post_install", "-at_install")
class TestFillRate(FillRateCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time("2025-01-05 04:00:00"):
            cls._set_on_hand(cls.product_1, 200)

    def _fill_rates(self):
        self.env.flush_all()
        with freeze_time(NOW):
            return self.env["jxc.service.level"]._get_fill_rates(self.company, FEBRUARY)

    def _february_bounds(self):
        return self.env["jxc.dashboard"]._get_day_bounds(self.company, FEBRUARY)

    def _tile(self):
        with freeze_time(NOW):
            return self.env["jxc.service.level"]._get_jxc_dashboard_kpis(self.company, *FEBRUARY)[0]["value"]

    def test_no_backorder_ships_what_was_done(self):
        with freeze_time("2025-02-10 04:00:00"):
            sale = self._create_sale(self.customer_a, [(self.product_1, 10, 25.0)])
            delivery = self._validate_as_user(sale.picking_ids, {self.product_1: 6}, backorder=False)
        # Odoo keeps the demand of the move done: 10 asked, 6 done, no backorder
        self.assertEqual(delivery.move_ids.mapped(lambda m: (m.state, m.product_uom_qty, m.quantity)), [("done", 10.0, 6.0)])
        self.assertFalse(delivery.backorder_ids)
        self.assertEqual(self._fill_rates(), [(0.6, 1.0)])
        self.assertEqual(self._tile(), 0.6)

    def test_backorder_of_a_backorder(self):
        with freeze_time("2025-02-10 04:00:00"):
            sale = self._create_sale(self.customer_a, [(self.product_1, 100, 25.0)])
            out_1 = self._validate_as_user(sale.picking_ids, {self.product_1: 50}, backorder=True)
        out_2 = out_1.backorder_ids
        with freeze_time("2025-02-15 04:00:00"):
            self._validate_as_user(out_2, {self.product_1: 20}, backorder=True)
        out_3 = out_2.backorder_ids
        # Odoo links each backorder to the picking validated: OUT/3 is a backorder of OUT/2
        self.assertEqual(out_3.backorder_id, out_2)
        self.assertEqual((out_3.state, out_3.move_ids.product_uom_qty), ("assigned", 30.0))
        # shipped 50 of 100 (50 + 20 + 30), not 50 of 70
        self.assertEqual(self._fill_rates(), [(0.5, 1.0)])
        self.assertEqual(self._tile(), 0.5)
        self.assertEqual(
            self.env["jxc.service.level"]._get_fill_rates_by_product(self.company, *self._february_bounds()),
            {(self.product_1.id, self.warehouse.id): (50.0, 100.0)},
        )


@tagged("post_install", "-at_install")
class TestRatioGroups(JxcCommon):
    """A group of P1 (demand 1,000, absolute error 100: WAPE 10 %) and P2 (demand 10, absolute
    error 20: 200 %) has a WAPE of its sums, valued at cost, not (10 + 200) / 2 = 105 %, for
    those who may read costs."""

    def test_forecast_accuracy_group(self):
        rule = self.env["jxc.safety.stock.rule"].create({
            "name": "JXC goods", "categ_id": self.category.id, "method": "statistical", "service_level": 95.0,
        })
        self.env["stock.warehouse.orderpoint"].create([{
            "product_id": product.id, "warehouse_id": self.warehouse.id, "location_id": self.stock_location.id,
            "product_min_qty": 0.0, "product_max_qty": 0.0, "jxc_rule_id": rule.id, "jxc_forecast_method": "ses",
            # the figures the engine stores after its backtest of the rule's forecast
            "jxc_forecast_actual": actual, "jxc_forecast_abs_error": abs_error, "jxc_forecast_error": error,
            "jxc_forecast_wape": abs_error / actual * 100, "jxc_forecast_bias": error / actual * 100,
        } for product, actual, abs_error, error in (
            (self.product_1, 1000.0, 100.0, -50.0), (self.product_2, 10.0, 20.0, 20.0),
        )])
        Report = self.env["jxc.forecast.accuracy.report"].with_user(self.jxc_manager)
        domain = [("product_id", "in", (self.product_1 | self.product_2).ids)]
        self.assertEqual(sorted(Report.search(domain).mapped("wape")), [10.0, 200.0])
        [group] = Report.formatted_read_group(domain, ["warehouse_id"], ["wape:avg", "bias:avg", "actual:sum"])
        # weighed by value (product_1 costs 10, product_2 4), not by quantities of any unit
        self.assertEqual((self.product_1.standard_price, self.product_2.standard_price), (10.0, 4.0))
        self.assertAlmostEqual(group["wape:avg"], (100.0 * 10 + 20.0 * 4) / (1000.0 * 10 + 10.0 * 4) * 100)  # 10.76 %
        self.assertAlmostEqual(group["bias:avg"], (-50.0 * 10 + 20.0 * 4) / (1000.0 * 10 + 10.0 * 4) * 100)  # -4.18 %
        self.assertEqual(group["actual:sum"], 1010.0)
        # a user who may not read costs reads the rows' average: weights he cannot see would
        # let him solve for the costs' ratio; (10 + 200) / 2 and (-5 + 200) / 2
        Report = Report.with_user(self.jxc_user)
        [group] = Report.formatted_read_group(domain, ["warehouse_id"], ["wape:avg", "bias:avg"])
        self.assertEqual((group["wape:avg"], group["bias:avg"]), (105.0, 97.5))
        with self.assertRaises(AccessError):
            Report.search(domain).mapped("unit_cost")
        # product_3 (cost 50) had more returns than deliveries (-50, absolute error 60, error 60):
        # no WAPE of its own, its error counts in the group's, its negative demand not:
        # (1000 + 80 + 3000) / (10000 + 40) = 40.64 % (not 4080 / 7540 = 54.11 %)
        self.env["stock.warehouse.orderpoint"].create({
            "product_id": self.product_3.id, "warehouse_id": self.warehouse.id, "location_id": self.stock_location.id,
            "product_min_qty": 0.0, "product_max_qty": 0.0, "jxc_rule_id": rule.id, "jxc_forecast_method": "ses",
            "jxc_forecast_actual": -50.0, "jxc_forecast_abs_error": 60.0, "jxc_forecast_error": 60.0,
        })
        domain = [("product_id", "in", (self.product_1 | self.product_2 | self.product_3).ids)]
        Report = Report.with_user(self.jxc_manager)
        self.assertFalse(Report.search([("product_id", "=", self.product_3.id)]).wape)
        [group] = Report.formatted_read_group(domain, ["warehouse_id"], ["wape:avg"])
        self.assertEqual(self.product_3.standard_price, 50.0)
        self.assertAlmostEqual(group["wape:avg"], (100.0 * 10 + 20.0 * 4 + 60.0 * 50) / (1000.0 * 10 + 10.0 * 4) * 100)

    def _create_backtest_lines(self, lines):
        """Policy backtest lines of product_1, product_2, product_3 in the main warehouse, of the
        same unit cost: the value weights of a group's fill rates are then the quantities."""
        return self.env["jxc.policy.backtest"].create([
            {"company_id": self.company.id, "warehouse_id": self.warehouse.id, "product_id": product.id,
             "unit_cost": 1.0, **vals}
            for product, vals in zip(self.product_1 | self.product_2 | self.product_3, lines, strict=True)
        ])

    def _backtest_groups(self, groupby, aggregates):
        return self.env["jxc.policy.backtest"].with_user(self.jxc_manager).formatted_read_group(
            [("company_id", "=", self.company.id)], [groupby], aggregates)

    def test_policy_backtest_fill_rate_group(self):
        """P1: demand 1,000, 90 % served by the proposed rule, 99 % by the current one; P2: demand
        10, 0 % and 50 % served; P3: no demand (100 %)."""
        self._create_backtest_lines([
            {"demand": 1000.0, "proposed_fill_rate": 90.0, "current_fill_rate": 99.0},
            {"demand": 10.0, "proposed_fill_rate": 0.0, "current_fill_rate": 50.0},
            {"demand": 0.0, "proposed_fill_rate": 100.0, "current_fill_rate": 100.0},
        ])
        aggregates = ["proposed_fill_rate:avg", "current_fill_rate:avg"]
        [group] = self._backtest_groups("warehouse_id", aggregates)
        self.assertAlmostEqual(group["proposed_fill_rate:avg"], 900.0 / 1010.0 * 100)  # 89.11 %, not 63.33 %
        self.assertAlmostEqual(group["current_fill_rate:avg"], 995.0 / 1010.0 * 100)   # 98.51 %, not 83.00 %
        # a group without demand: its lines' figure
        by_product = {group["product_id"][0]: group for group in self._backtest_groups("product_id", aggregates)}
        self.assertEqual(by_product[self.product_3.id]["proposed_fill_rate:avg"], 100.0)

    def test_policy_backtest_service_groups(self):
        """Cycle service levels by the replenishment cycles (a year without a receipt is one),
        the actual fill rate by the quantity the real deliveries asked. P1: 4 replayed cycles,
        3 in full (75 %), 2 real ones, 1 in full (50 %), 500 asked, 80 % shipped; P2: no receipt
        and short (0 %), nothing asked (100 %); P3: no receipt, never short (100 %)."""
        self._create_backtest_lines([
            {"proposed_csl": 75.0, "proposed_cycles": 4, "current_csl": 100.0, "current_cycles": 4,
             "actual_csl": 50.0, "actual_cycles": 2, "actual_fill_rate": 80.0, "actual_asked": 500.0},
            {"proposed_csl": 0.0, "current_csl": 0.0, "actual_csl": 100.0, "actual_fill_rate": 100.0},
            {"proposed_csl": 100.0, "current_csl": 100.0, "actual_csl": 100.0, "actual_fill_rate": 100.0},
        ])
        aggregates = ["proposed_csl:avg", "current_csl:avg", "actual_csl:avg", "actual_fill_rate:avg"]
        [group] = self._backtest_groups("warehouse_id", aggregates)
        self.assertAlmostEqual(group["proposed_csl:avg"], 4.0 / 6.0 * 100)  # (3 + 0 + 1) / (4 + 1 + 1), not 58.33 %
        self.assertAlmostEqual(group["current_csl:avg"], 5.0 / 6.0 * 100)   # (4 + 0 + 1) / 6
        self.assertAlmostEqual(group["actual_csl:avg"], 3.0 / 4.0 * 100)    # (1 + 1 + 1) / (2 + 1 + 1)
        self.assertAlmostEqual(group["actual_fill_rate:avg"], 80.0)         # 400 / 500, not 93.33 %
        by_product = {group["product_id"][0]: group for group in self._backtest_groups("product_id", aggregates)}
        self.assertEqual(by_product[self.product_2.id]["actual_fill_rate:avg"], 100.0)


@tagged("post_install", "-at_install")
class TestMonthlySummaryDays(FillRateCommon):
    def test_best_sellers_of_the_company_month(self):
        """A delivery at 1 March 02:00 in Shanghai (28 February 18:00 UTC) is March's, one at
        28 February 23:00 in Shanghai February's, whatever the reader's timezone (UTC here)."""
        with freeze_time("2025-01-05 04:00:00"):
            self._set_on_hand(self.product_2, 10)
            self._set_on_hand(self.product_3, 10)
        self._sell(self.customer_a, [(self.product_3, 2, 80.0)], "2025-02-28 15:00:00")
        self._sell(self.customer_a, [(self.product_2, 3, 9.0)], "2025-02-28 18:00:00")
        self.env.flush_all()
        self.jxc_manager.tz = "UTC"
        Summary = self.env["report.jxc_addon.report_jxc_monthly_summary"].with_user(self.jxc_manager)

        def best_sellers(month):
            with freeze_time("2025-04-02 04:00:00"):
                values = Summary._get_report_values([], data={"month": month})
            return [(row["product"], row["quantity"]) for row in values["best_sellers"]]

        self.assertEqual(best_sellers("2025-03-01"), [(self.product_2.display_name, 3.0)])
        self.assertEqual(best_sellers("2025-02-01"), [(self.product_3.display_name, 2.0)])


@tagged("post_install", "-at_install")
class TestBacktestMultiple(SafetyStockCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.box = cls.env["uom.uom"].create({
            "name": "Box of 24", "relative_factor": 24.0, "relative_uom_id": cls.uom_unit.id,
        })

    def test_replay_orders_as_odoo(self):
        """Minimum 10, maximum 40, a box of 24, 9 on hand: Odoo's rule orders 2 boxes (48, not
        31), and so does the replay."""
        product = self.product_3
        with freeze_time("2025-06-01 02:00:00"):
            self._set_on_hand(product, 9.0)
        orderpoint = self.Orderpoint.create({
            "product_id": product.id, "warehouse_id": self.warehouse.id, "location_id": self.stock_location.id,
            "product_min_qty": 10.0, "product_max_qty": 40.0, "replenishment_uom_id": self.box.id,
        })
        self.assertEqual(orderpoint.qty_to_order, 48.0)
        # 40 on hand, 31 sold on day 1 (9 left): an order received the next day (lead time 0)
        result = replay([[31.0, 0.0]], [10.0], [40.0], 0.0, multiple=[24.0])
        self.assertEqual(result["average_stock"][0], (9.0 + 9.0 + 48.0) / 2)
        self.assertEqual(result["orders"][0], 1)

    def test_backtest_proposes_the_rule_of_the_multiple(self):
        """product_1 (fixtures of safety_common.py) bought by the box of 24: the backtest proposes
        the rule the safety stock writes, and replays orders of whole boxes."""
        self._compute()
        orderpoint = self._orderpoint(self.product_1)
        orderpoint.replenishment_uom_id = self.box
        self._compute()
        Backtest = self.env["jxc.policy.backtest"]
        line = Backtest._run(self.company).filtered(lambda line: line.product_id == self.product_1)
        # the order quantity above the reorder point 48 is 2 boxes: 96 (88 in units)
        self.assertEqual((orderpoint.product_min_qty, orderpoint.product_max_qty), (48.0, 96.0))
        self.assertEqual((line.proposed_min, line.proposed_max), (48.0, 96.0))
        # A rule of 0 / 0 orders for the backorders, a box at a time (lead time 3 days): 19 June
        # -5, order 24; 23 June 24 received, 9 of 20 served, order 24; 27 June 24 received,
        # 8 of 10 served, order 24 (received after the replay): 17 of 50 served in 3 orders
        # (in units: 5 orders of 5, 10, 20, 5 and 10, each received after its demand, none served).
        orderpoint.write({"product_min_qty": 0.0, "product_max_qty": 0.0})
        line = Backtest._run(self.company).filtered(lambda line: line.product_id == self.product_1)
        self.assertEqual((line.current_orders, line.current_fill_rate, line.demand), (3, 34.0, 50.0))
