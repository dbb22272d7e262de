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

from odoo.exceptions import ValidationError
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

    def test_cycle_service_level_unchanged_by_default(self):
        # A rule with the defaults (cycle service level, normal) computes as before: z sigma sqrt(L).
        self._compute()
        op = self._orderpoint(self.product_1)
        self.assertEqual((op.jxc_service_target, op.jxc_distribution), ("cycle", "normal"))
        self.assertAlmostEqual(op.jxc_safety_stock, 24.38)

    def test_fill_rate_validation(self):
        with self.assertRaisesRegex(ValidationError, "fill rate"):
            self.rule_class_a.write({"service_target": "fill_rate", "fill_rate": 100.0})
        with self.assertRaisesRegex(ValidationError, "fill rate"):
            self.rule_class_a.write({"service_target": "fill_rate", "fill_rate": 40.0})
