"""Fill-rate targets and the Gamma lead-time demand through real deliveries (issue 17,
item 3), on the fixtures of safety_common.py (today 30 June 2025).

product_1 (class A rule, 98 % by ABC; vendor B, 3 days, minimum 40): daily demand over
10 days 0 10 0 20 5 0 0 10 0 0 -> mean 4.5, sigma_d = sqrt(46.9444), intermittent.
Over the lead time: mean 13.5, sigma_L = sqrt(3 x 46.9444) = 11.8673. An order brings
Q = 40 (the review demand 31.5 raised to vendor B's minimum). Undershoot of the daily
reviewed minimum (Silver, Pyke & Thomas): E[D] = 4.5, E[D^2] = 625 / 10 = 62.5,
E[D^3] = 10125 / 10 = 1012.5 -> E[U] = 62.5 / 9 = 6.9444, Var[U] = 1012.5 / 13.5 -
6.9444^2 = 26.7747. The demand to cover: mean 20.4444, sigma sqrt(140.8333 + 26.7747)
= 12.9464; an order brings 46.9444 on average.
"""

import math
from statistics import NormalDist

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.tests import tagged

from ..tools.inventory_policy import gamma_cdf, gamma_expected_shortage
from .safety_common import SafetyStockCommon

MEAN, SIGMA, ORDER = 20.0 + 4 / 9, math.sqrt(3 * 422.5 / 9 + 1012.5 / 13.5 - (62.5 / 9) ** 2), 40.0 + 62.5 / 9


@tagged("post_install", "-at_install")
class TestPlanningPolicy(SafetyStockCommon):
    def _normal_shortage(self, reorder_point):
        normal = NormalDist(MEAN, SIGMA)

        def loss(s):  # E[(X - s)+] = sigma phi(z) - (s - mu)(1 - Phi(z))
            return SIGMA**2 * normal.pdf(s) - (s - MEAN) * (1 - normal.cdf(s))

        return loss(reorder_point) - loss(reorder_point + ORDER)

    def test_fill_rate_normal(self):
        self.rule_class_a.write({"service_target": "fill_rate", "fill_rate": 99.0})
        self._compute()
        op = self._orderpoint(self.product_1)
        self.assertEqual((op.jxc_service_target, op.jxc_service_level, op.jxc_distribution), ("fill_rate", 99.0, "normal"))
        # The reorder point 13.5 + 25.1349 = 38.6349 leaves 1 % of what an order brings short.
        self.assertAlmostEqual(self._normal_shortage(38.6349), 0.01 * ORDER, places=3)
        self.assertAlmostEqual(op.jxc_safety_stock, 25.14)  # rounded up to 0.01
        self.assertAlmostEqual(op.jxc_z, round(25.1349 / math.sqrt(3 * 422.5 / 9), 4), places=3)
        # reorder point and maximum in whole units: 38.64 -> 39, 78.64 -> 39 + 40
        self.assertAlmostEqual(op.product_min_qty, 39.0)
        self.assertAlmostEqual(op.product_max_qty, 79.0)

    def test_gamma_for_intermittent_demand(self):
        self.rule_class_a.distribution = "demand_class"
        self._compute()
        op = self._orderpoint(self.product_1)
        self.assertEqual((op.jxc_demand_class, op.jxc_distribution), ("intermittent", "gamma"))
        # Cycle service level 98 % (class A): the Gamma's 98 % point 54.7940 (shape
        # (20.4444 / 12.9464)^2 = 2.49) lies further out than the normal's 13.5 + 24.37.
        self.assertAlmostEqual(gamma_cdf(54.7940, MEAN, SIGMA), 0.98, places=5)
        self.assertAlmostEqual(op.jxc_safety_stock, 41.30)
        self.assertAlmostEqual(op.product_min_qty, 55.0)  # 54.80 in whole units
        # Fill rate 99 %: E[(X - s)+] - E[(X - s - Q)+] = 0.01 x 46.9444 at s = 46.0538.
        self.rule_class_a.write({"service_target": "fill_rate", "fill_rate": 99.0})
        self._compute()
        shortage = gamma_expected_shortage(46.0538, MEAN, SIGMA) - gamma_expected_shortage(46.0538 + ORDER, MEAN, SIGMA)
        self.assertAlmostEqual(shortage, 0.01 * ORDER, places=3)
        self.assertAlmostEqual(op.jxc_safety_stock, 32.56)
        self.assertAlmostEqual(op.product_min_qty, 47.0)  # 46.06 in whole units
        # Smooth demand keeps the normal distribution: weekly demand of product_1 is smooth.
        self.rule_class_a.write({"demand_period": "week", "history_days": 14})
        self._compute()
        self.assertEqual((op.jxc_demand_class, op.jxc_distribution), ("smooth", "normal"))

    def test_cycle_service_level_counts_the_daily_check(self):
        """A rule with the defaults (cycle service level, normal): the reorder point of Odoo's
        daily check, E[U] + z sqrt(sigma_L^2 + Var U) = 33.54 above the lead-time forecast, not
        the textbook z sigma_L = 24.37 (worked in test_safety_stock.py)."""
        self._compute()
        op = self._orderpoint(self.product_1)
        self.assertEqual((op.jxc_service_target, op.jxc_distribution), ("cycle", "normal"))
        self.assertAlmostEqual(op.jxc_safety_stock, 33.54)
        # the demand to cover (module docstring) at P(X <= s) = 98 %, less the lead time's 13.5
        reorder_point = MEAN + NormalDist().inv_cdf(0.98) * SIGMA
        self.assertAlmostEqual(reorder_point - 13.5, 33.5330, places=4)

    def test_fill_rate_rule_without_a_cycle_service_level(self):
        """A fill-rate rule imported with its cycle service level empty (0, which it does not
        use) computes as with one: the 99 % fill rate's 25.14, not a stop of the company's update."""
        self.rule_class_a.write({
            "service_target": "fill_rate", "fill_rate": 99.0, "service_level": 0.0, "service_level_by_abc": False,
        })
        self._compute()
        op = self._orderpoint(self.product_1)
        self.assertEqual((op.jxc_service_level, op.jxc_safety_stock, op.product_min_qty), (99.0, 25.14, 39.0))

    def test_fill_rate_validation(self):
        with self.assertRaisesRegex(ValidationError, "fill rate"):
            self.rule_class_a.write({"service_target": "fill_rate", "fill_rate": 100.0})
        with self.assertRaisesRegex(ValidationError, "fill rate"):
            self.rule_class_a.write({"service_target": "fill_rate", "fill_rate": 40.0})


@tagged("post_install", "-at_install")
class TestFillRateWeeklyStatistics(SafetyStockCommon):
    """A fill-rate rule computes the same safety stock from daily and from weekly statistics
    of the same deliveries: Odoo checks the minimum every day, so the undershoot below it is
    a day's demand's (Silver, Pyke & Thomas, ch. 7: E[U] = E[D^2] / (2 E[D])), whatever the
    period of the statistics; a week's demand put it at 35 units instead of 5.

    JXC Lantern (vendor A, 7 days) sold 280 over the 28 days [2 June, 30 June), four whole
    weeks from Monday 2 June: 69, 63, 68 and 80 a week. Its weeks vary as seven independent
    days do (sample variance of the weeks 51.3333 = 7 x 7.3333, the days'), so both periods
    give the same mean over the lead time, 70, and deviation, sigma_L = sqrt(51.3333) =
    7.1647; only the undershoot differs. An order brings Q = 70 (7 days of demand)."""

    DAILY = (9, 11, 10, 13, 7, 9, 10, 12, 15, 7, 6, 10, 7, 6, 10, 13, 8, 12, 8, 10, 7, 5, 14, 13, 13, 11, 12, 12)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lantern = cls.env["product.product"].create({
            **cls._prepare_product_vals("JXC Lantern", 10.0, 25.0, "JXC-106"),
            "seller_ids": [Command.create({"partner_id": cls.vendor_a.id, "price": 10.0, "delay": 7})],
        })
        with freeze_time("2025-06-01 02:00:00"):
            cls._set_on_hand(cls.lantern, 400.0)
        for day, qty in enumerate(cls.DAILY):
            cls._sell(cls.customer_a, [(cls.lantern, float(qty), 25.0)], f"2025-06-{day + 2:02d} 02:00:00")
        cls.rule = cls.env["jxc.safety.stock.rule"].create({
            "name": "Lantern", "product_id": cls.lantern.id, "method": "statistical", "service_target": "fill_rate",
            "fill_rate": 98.0, "history_days": 28, "review_days": 7, "forecast_method": "moving_average",
        })

    def test_daily_and_weekly_statistics_agree(self):
        # Daily: E[D] = 10, E[D^2] = 2998 / 28 = 107.0714 -> E[U] = 5.3536; the reorder point
        # 70 + 9.5305 leaves 2 % of 75.3536 short: safety stock 9.5305 -> 9.54.
        op = self._computed_orderpoint(self.lantern)
        self.assertEqual((op.jxc_demand_period, op.jxc_forecast_lt, op.jxc_eoq), ("day", 70.0, 0.0))
        self.assertAlmostEqual(op.jxc_demand_stddev, math.sqrt(22 / 3), places=4)
        self.assertEqual(op.jxc_safety_stock, 9.54)
        # Weekly: a day's moments from the weeks' (cumulants of independent days add): mean
        # 70 / 7 = 10, variance 38.5 / 7 = 5.5 (the weeks' 51.3333 x 3 / 4, over the 4 weeks as
        # the daily moments are over their days), E[D^2] = 105.5 -> E[U] = 5.275: safety stock
        # 9.4640 -> 9.47. The undershoot of a week's demand, E[W^2] / (2 E[W]) = 4938.5 / 140 =
        # 35.275, made it 55.5043 -> 55.51.
        self.rule.write({"demand_period": "week"})
        self._compute()
        self.assertEqual((op.jxc_demand_period, op.jxc_forecast_lt), ("week", 70.0))
        self.assertAlmostEqual(op.jxc_demand_stddev, math.sqrt(154 / 3), places=4)
        self.assertEqual(op.jxc_safety_stock, 9.47)
