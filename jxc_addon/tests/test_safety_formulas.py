"""The pure formulas against published worked examples.

Sources:
- [Chopra] S. Chopra, P. Meindl, *Supply Chain Management: Strategy, Planning, and
  Operation*, Pearson, chapter "Managing Uncertainty in a Supply Chain: Safety
  Inventory" (Lego boxes at a Walmart store) and chapter "Managing Economies of Scale:
  Cycle Inventory" (Best Buy computers). Example numbers differ between editions; the
  data and results below are the book's.
"""

import math

from odoo.tests import TransactionCase, tagged

from ..tools import safety_stock_math as formulas


@tagged("post_install", "-at_install")
class TestSafetyFormulas(TransactionCase):
    def test_z_from_service_level(self):
        # Standard normal table: 90 % -> 1.2816, 95 % -> 1.6449, 98 % -> 2.0537.
        self.assertAlmostEqual(formulas.z_from_service_level(90.0), 1.2816, places=4)
        self.assertAlmostEqual(formulas.z_from_service_level(95.0), 1.6449, places=4)
        self.assertAlmostEqual(formulas.z_from_service_level(98.0), 2.0537, places=4)
        self.assertAlmostEqual(formulas.z_from_service_level(99.99), 3.7190, places=4)
        for invalid in (50.0, 30.0, 100.0, 99.995):
            with self.assertRaises(ValueError):
                formulas.z_from_service_level(invalid)

    def test_chopra_fixed_lead_time(self):
        # [Chopra] weekly demand 2,500 boxes, sigma 500, lead time 2 weeks, CSL 90 %:
        # ss = NORMSINV(0.9) x sqrt(2) x 500 = 906 boxes.
        ss = formulas.safety_stock_statistical(formulas.z_from_service_level(90.0), 500.0, 2.0)
        self.assertEqual(round(ss), 906)

    def test_chopra_lead_time_variability(self):
        # [Chopra] daily demand 2,500, sigma 500, lead time 7 days, CSL 90 %; safety
        # inventory for a lead-time standard deviation of 0, 1 and 2 days:
        # sigma_L = sqrt(L sigma_D^2 + D^2 s_L^2) -> ss = 1,695, 3,625 and 6,628.
        z = formulas.z_from_service_level(90.0)
        expected = {0.0: 1695, 1.0: 3625, 2.0: 6628}
        for lead_time_stddev, boxes in expected.items():
            ss = formulas.safety_stock_statistical(z, 500.0, 7.0, demand_mean=2500.0, lead_time_stddev=lead_time_stddev)
            self.assertEqual(round(ss), boxes, lead_time_stddev)

    def test_chopra_eoq(self):
        # [Chopra] Best Buy: 1,000 computers a month (12,000 a year), S = $4,000 per lot,
        # C = $500, h = 20 % a year -> EOQ = sqrt(2 x 12,000 x 4,000 / (0.2 x 500)) = 980.
        self.assertEqual(round(formulas.economic_order_quantity(12000.0, 4000.0, 0.2 * 500.0)), 980)
        self.assertEqual(formulas.economic_order_quantity(12000.0, 0.0, 100.0), 0.0)

    def test_daily_stats_count_zero_days(self):
        # Demand on 3 of 6 days: 4, 0, 8, 0, 0, 6 -> mean 3; the zero days are in the
        # variance: ((1 + 9 + 25 + 9 + 9 + 9) / 5) = 12.4.
        mean, stddev = formulas.daily_demand_stats(4 + 8 + 6, 16 + 64 + 36, 6)
        self.assertAlmostEqual(mean, 3.0)
        self.assertAlmostEqual(stddev, math.sqrt(12.4))
        self.assertEqual(formulas.daily_demand_stats(0.0, 0.0, 10), (0.0, 0.0))

    def test_days_of_cover_and_seasonal(self):
        self.assertAlmostEqual(formulas.safety_stock_days_of_cover(4.5, 10), 45.0)
        # 30 last year, trend 15 / 10 = 1.5 -> 45.
        self.assertEqual(formulas.seasonal_forecast(30.0, 15.0, 10.0), (45.0, 1.5))
        # Nothing to compare a year ago: trend 1.
        self.assertEqual(formulas.seasonal_forecast(30.0, 15.0, 0.0), (30.0, 1.0))
        # Returns above deliveries, this year (-5 net) or last year (-4): no demand, not a negative one.
        self.assertEqual(formulas.seasonal_forecast(30.0, -5.0, 10.0), (0.0, 0.0))
        self.assertEqual(formulas.seasonal_forecast(-4.0, 15.0, 10.0), (0.0, 1.5))

    def test_round_order_quantity(self):
        self.assertEqual(formulas.round_order_quantity(31.5, 40.0, 0.0), 40.0)  # vendor minimum
        self.assertEqual(formulas.round_order_quantity(31.5, 40.0, 12.0), 48.0)  # then packs of 12
        self.assertEqual(formulas.round_order_quantity(73.0, 40.0, 12.0), 84.0)
        self.assertEqual(formulas.round_order_quantity(36.0, 0.0, 12.0), 36.0)  # already a multiple
        self.assertEqual(formulas.round_order_quantity(0.0, 40.0, 12.0), 0.0)  # nothing to order
