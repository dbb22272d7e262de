"""Demand classes and forecast methods (tools/demand_class.py, tools/forecast.py) on worked
examples. Every expected number is computed by hand in the comment next to it from the
published definitions:

- [SBC 2005] A. A. Syntetos, J. E. Boylan, J. D. Croston, "On the categorization of
  demand patterns", JORS 56 (2005): cut-offs ADI 1.32 and CV^2 0.49;
- [Croston 1972] J. D. Croston, "Forecasting and stock control for intermittent demands",
  ORQ 23, with [SBA 2005] A. A. Syntetos, J. E. Boylan, "The accuracy of intermittent
  demand estimates", IJF 21: forecast (1 - alpha / 2) z / p;
- [TSB 2011] R. Teunter, A. Syntetos, M. Babai, "Intermittent demand: linking forecasting
  to inventory obsolescence", EJOR 214: probability updated every period;
- [HK 2006] R. J. Hyndman, A. B. Koehler, "Another look at measures of forecast
  accuracy", IJF 22: MASE = MAE / in-sample MAE of the naive forecast;
- [SPT] E. A. Silver, D. F. Pyke, D. J. Thomas, *Inventory and Production Management in
  Supply Chains*, 4th ed., ch. 6: the table of the normal loss function G_u(k) and the
  fill-rate ("P2") rule sigma_L G(k) = (1 - P2) Q; S. Nahmias, *Production and Operations
  Analysis*, ch. 5, the same rule as n(R) = sigma L(z) = (1 - beta) Q;
- Gamma: checked against the closed forms of its special cases (shape 1 is the
  exponential distribution: F(x) = 1 - e^(-x / theta), E[(X - s)+] = theta e^(-s / theta);
  shape 2 the Erlang: F(x) = 1 - e^(-x / theta) (1 + x / theta)).
"""

import math

import numpy as np

from odoo.tests import TransactionCase, tagged

from ..tools.backtest import replay
from ..tools.demand_class import classify_demand, demand_class_stats
from ..tools.forecast import (
    BIAS_Z_LIMIT,
    backtest_errors,
    forecast_accuracy,
    mase,
    naive_scale,
    one_step_forecasts,
    select_method,
)
from ..tools.inventory_policy import (
    fill_rate_normal,
    fill_rate_safety_stocks_normal,
    gamma_cdf,
    gamma_expected_shortage,
    normal_loss,
    regularized_gamma_p,
    reorder_point_gamma_fill_rate,
    reorder_point_gamma_service,
    safety_stock_for_target,
    undershoot_moments,
    z_from_fill_rate,
)


@tagged("post_install", "-at_install")
class TestPlanningFormulas(TransactionCase):
    def test_sbc_classes(self):
        adi, cv2 = demand_class_stats([
            [5, 6, 5, 4, 5, 6, 5, 4, 5, 5],      # every period; sizes mean 5, variance 0.4 -> CV^2 0.016
            [1, 10] * 5,                         # every period; mean 5.5, variance 20.25 -> CV^2 0.6694
            [0, 0, 5, 0, 0, 0, 5, 0, 0, 5],      # 3 demands in 10 periods: ADI 3.33, CV^2 0
            [0, 0, 1, 0, 0, 9, 0, 0, 1, 9],      # 4 in 10: ADI 2.5; sizes 1, 9: mean 5, variance 16 -> 0.64
            [0] * 10,                            # no demand
        ])
        np.testing.assert_allclose(adi[:4], [1.0, 1.0, 10 / 3, 2.5])
        np.testing.assert_allclose(cv2, [0.016, 20.25 / 30.25, 0.0, 0.64, 0.0])
        self.assertEqual(
            [classify_demand(a, c) for a, c in zip(adi, cv2, strict=True)],
            ["smooth", "erratic", "intermittent", "lumpy", False],
        )

    def test_sbc_cut_offs_belong_to_the_upper_class(self):
        # [SBC 2005]: ADI = 1.32 (33 periods, 25 with demand) is intermittent; CV^2 = 0.49
        # (sizes 17 and 3: mean 10, variance 49) is erratic.
        adi, cv2 = demand_class_stats([1] * 25 + [0] * 8)
        self.assertAlmostEqual(adi[0], 1.32)
        self.assertEqual(classify_demand(adi[0], cv2[0]), "intermittent")
        adi, cv2 = demand_class_stats([17, 3])
        self.assertAlmostEqual(cv2[0], 0.49)
        self.assertEqual(classify_demand(adi[0], cv2[0]), "erratic")
        # Returns (negative net demand) are no demand.
        adi, cv2 = demand_class_stats([4, -2, 4, 0])
        self.assertEqual((adi[0], cv2[0]), (2.0, 0.0))

    def test_ses(self):
        # alpha 0.1, level starts at the first observation: 10; 0.1 x 12 + 0.9 x 10 = 10.2;
        # 0.1 x 8 + 0.9 x 10.2 = 9.98.
        np.testing.assert_allclose(one_step_forecasts("ses", [10, 12, 8])[0], [0.0, 10.0, 10.2, 9.98])

    def test_moving_average_is_the_average_so_far(self):
        np.testing.assert_allclose(one_step_forecasts("moving_average", [4, 0, 8])[0], [0.0, 4.0, 2.0, 4.0])

    def test_croston_sba(self):
        # [Croston 1972] + [SBA 2005], alpha 0.1, demand 0 0 3 0 5 0 0 0 4:
        # period 3: first demand z = 3, p = 3 -> 0.95 x 3 / 3 = 0.95;
        # period 5: z = 0.1 x 5 + 0.9 x 3 = 3.2, p = 0.1 x 2 + 0.9 x 3 = 2.9 -> 0.95 x 3.2 / 2.9 = 1.048276;
        # period 9: z = 0.1 x 4 + 0.9 x 3.2 = 3.28, p = 0.1 x 4 + 0.9 x 2.9 = 3.01 -> 1.035216.
        forecasts = one_step_forecasts("croston_sba", [0, 0, 3, 0, 5, 0, 0, 0, 4])[0]
        np.testing.assert_allclose(forecasts, [
            0, 0, 0, 0.95, 0.95, 0.95 * 3.2 / 2.9, 0.95 * 3.2 / 2.9, 0.95 * 3.2 / 2.9, 0.95 * 3.2 / 2.9, 0.95 * 3.28 / 3.01,
        ])

    def test_tsb(self):
        # [TSB 2011], alpha = beta = 0.1, same demand: period 3 size 3, probability 1 / 3 -> 1;
        # period 4 (none): probability 0.3 -> 0.9; period 5: size 3.2, probability
        # 0.3 + 0.1 x 0.7 = 0.37 -> 1.184; then 0.333, 0.2997, 0.26973 (x 3.2);
        # period 9: size 3.28, probability 0.26973 + 0.1 x 0.73027 = 0.342757 -> 1.124243.
        forecasts = one_step_forecasts("tsb", [0, 0, 3, 0, 5, 0, 0, 0, 4])[0]
        np.testing.assert_allclose(forecasts, [
            0, 0, 0, 1.0, 0.9, 1.184, 0.333 * 3.2, 0.2997 * 3.2, 0.26973 * 3.2, 0.342757 * 3.28,
        ], rtol=1e-9)

    def test_tsb_fades_out_croston_does_not(self):
        # A product that stops selling: Croston keeps its last estimate, TSB's probability
        # decays by 0.9 a period.
        demand = [5, 0] * 15 + [0] * 30
        croston = one_step_forecasts("croston_sba", demand)[0]
        tsb = one_step_forecasts("tsb", demand)[0]
        self.assertAlmostEqual(croston[-1], croston[30])
        self.assertAlmostEqual(tsb[-1], tsb[30] * 0.9**30)

    def test_mase(self):
        # [HK 2006]: training 1 3 2 4 -> naive errors 2, 1, 2 -> scale 5 / 3; forecasts 3 3 3
        # for 2 4 6 -> MAE (1 + 1 + 3) / 3 = 5 / 3 -> MASE 1.
        scale = naive_scale([1, 3, 2, 4])
        self.assertAlmostEqual(scale[0], 5 / 3)
        self.assertAlmostEqual(mase([[3, 3, 3]], [[2, 4, 6]], scale)[0], 1.0)
        # A flat history has no scale: MASE undefined.
        self.assertTrue(np.isnan(mase([[1.0]], [[2.0]], naive_scale([3, 3, 3]))[0]))

    def test_accuracy_measures(self):
        # Forecasts 3 3 3 for 2 4 6: errors (forecast - demand) 1, -1, -3: WAPE 5 / 12,
        # bias -3 / 12, MAD 5 / 3, tracking signal -3 / (5 / 3) = -1.8 (Brown); bias z
        # -3 / sqrt(1 + 1 + 9) = -0.9045, within 1.96: not biased; scale of the training
        # 1 3 2 4 is 5 / 3 -> MASE 1 ([HK 2006]).
        result = forecast_accuracy([[3, 3, 3]], [[2, 4, 6]], naive_scale([1, 3, 2, 4]))
        self.assertEqual((result["actual"][0], result["error"][0], result["abs_error"][0]), (12.0, -3.0, 5.0))
        self.assertAlmostEqual(result["wape"][0], 5 / 12)
        self.assertAlmostEqual(result["bias"][0], -0.25)
        self.assertAlmostEqual(result["mase"][0], 1.0)
        self.assertAlmostEqual(result["tracking_signal"][0], -1.8)
        self.assertAlmostEqual(result["bias_z"][0], -0.904534, places=6)
        # Every error one way: Brown's signal is the number of periods; the bias z their square
        # root, 12 / sqrt(24) = sqrt(6) = 2.449 beyond 1.96 (a 4th equal error already is: 2.0).
        result = forecast_accuracy([[2.0] * 6], [[0.0] * 6], naive_scale([0, 4]))
        self.assertEqual(result["tracking_signal"][0], 6.0)
        self.assertAlmostEqual(result["bias_z"][0], 6 ** 0.5)
        self.assertEqual(BIAS_Z_LIMIT, 1.96)
        # Unbiased errors leave the z near 0 however many periods: +-1 alternating over 60.
        result = forecast_accuracy([[1.0, -1.0] * 30], [[0.0] * 60], naive_scale([0, 4]))
        self.assertEqual((result["tracking_signal"][0], result["bias_z"][0]), (0.0, 0.0))
        self.assertEqual(forecast_accuracy([[1.0]], [[1.0]], naive_scale([0, 4]))["bias_z"][0], 0.0)  # no error
        self.assertTrue(np.isnan(result["wape"][0]))

    def test_drift_flag_on_steady_demand(self):
        """Steady Poisson demand (5 and 0.5 a day, 90 days, 500 products, seed 7), replayed over
        its last 60 days as the engine does: at most 6 % of the products look biased by the
        bias z, whichever method; Brown's tracking signal beyond +-4 flags 30 to 86 %."""
        rng = np.random.default_rng(7)
        for rate in (5.0, 0.5):
            demand = rng.poisson(rate, (500, 90)).astype(float)
            for method in ("moving_average", "ses", "croston_sba", "tsb"):
                forecasts, actuals, _next = backtest_errors(method, demand, 30)
                result = forecast_accuracy(forecasts, actuals, np.ones(500))
                flagged = np.mean(np.abs(result["bias_z"]) > BIAS_Z_LIMIT)
                brown = np.mean(np.abs(result["tracking_signal"]) > 4)
                self.assertLessEqual(flagged, 0.06, (rate, method))
                self.assertGreaterEqual(brown, 0.30, (rate, method))

    def test_backtest_picks_the_lowest_mase(self):
        dying = [5, 0] * 15 + [0] * 30
        result = select_method([dying, [3, 4, 5, 4] * 15])
        # The dying product: Croston keeps forecasting 2.68 a period, smoothing fades out
        # (SES and TSB tie here, the earlier method wins).
        self.assertEqual(result["method"], ["ses", "moving_average"])
        for row, method in enumerate(result["method"]):
            scores = {m: values[0][row] for m, values in result["all"].items()}
            self.assertEqual(min(scores.values()), scores[method])
            self.assertEqual(result["mase"][row], scores[method])
        self.assertGreater(result["all"]["croston_sba"][1][0], 2.6)
        self.assertLess(result["forecast"][0], 0.11)
        # The steady product: the moving average is exactly 4 a period.
        self.assertEqual(result["forecast"][1], 4.0)

    def test_normal_loss_table(self):
        # [SPT] table of G_u(k): 0.3989, 0.1978, 0.0833, 0.0293, 0.0085, 0.0020.
        for z, loss in ((0.0, 0.3989), (0.5, 0.1978), (1.0, 0.0833), (1.5, 0.0293), (2.0, 0.0085), (2.5, 0.0020)):
            self.assertAlmostEqual(normal_loss(z), loss, places=4)

    def test_fill_rate_z(self):
        # [SPT]/[Nahmias] procedure: Q = 100, sigma_L = 25, beta = 99 % ->
        # G(z) = 0.01 x 100 / 25 = 0.04 -> z = 1.36 (table: G(1.36) = 0.0400), safety stock 34.
        z = z_from_fill_rate(99.0, 25.0, 100.0)
        self.assertAlmostEqual(z, 1.3602, places=4)
        self.assertAlmostEqual(normal_loss(z), 0.04, places=6)
        self.assertAlmostEqual(fill_rate_normal(z, 25.0, 100.0), 0.99, places=6)
        # Orders so large that they alone serve 95 %: G(z) = 0.05 x 1000 / 25 = 2 > G(0): no safety stock.
        self.assertEqual(z_from_fill_rate(95.0, 25.0, 1000.0), 0.0)
        for invalid in (0.0, 100.0):
            with self.assertRaises(ValueError):
                z_from_fill_rate(invalid, 25.0, 100.0)

    def test_gamma_special_cases(self):
        # Shape 1 (mean = deviation = 10): the exponential distribution.
        self.assertAlmostEqual(gamma_cdf(10.0, 10.0, 10.0), 1 - math.exp(-1), places=12)
        self.assertAlmostEqual(reorder_point_gamma_service(90.0, 10.0, 10.0), -10 * math.log(0.1), places=4)
        self.assertAlmostEqual(gamma_expected_shortage(5.0, 10.0, 10.0), 10 * math.exp(-0.5), places=12)
        # Fill rate 95 %, Q = 20: 10 e^(-s / 10) = 0.05 x 20 -> s = 10 ln 10 = 23.03.
        self.assertAlmostEqual(reorder_point_gamma_fill_rate(95.0, 10.0, 10.0, 20.0), 10 * math.log(10), places=4)
        # Shape 2, theta 3 (mean 6, deviation 3 sqrt 2): F(6) = 1 - e^-2 (1 + 2).
        self.assertAlmostEqual(gamma_cdf(6.0, 6.0, 3 * math.sqrt(2)), 1 - 3 * math.exp(-2), places=12)
        # Small x and shape: P(a, x) ~ x^a / Gamma(a + 1) (1 + x / (a + 1)) = 0.43285.
        self.assertAlmostEqual(regularized_gamma_p(0.2, 0.01), 0.01**0.2 / math.gamma(1.2) * math.exp(-0.01) * (1 + 0.01 / 1.2), places=4)
        # Many small demands: the Gamma approaches the normal (95 %: 1000 + 1.645 x 10).
        self.assertAlmostEqual(reorder_point_gamma_service(95.0, 1000.0, 10.0), 1016.45, delta=0.1)
        # An order that covers the whole shortage needs no stock: s = 0.
        self.assertEqual(reorder_point_gamma_fill_rate(50.0, 10.0, 10.0, 40.0), 0.0)

    def test_fill_rate_without_lead_time_deviation(self):
        """Lead time 0 (a resupply between warehouses without delay): no lead-time demand to
        deviate, but a day's demand (0 or 20, alternating) still takes the stock below the
        minimum before Odoo's daily check orders. Undershoot E[U] = E[D^2] / 2E[D] = 200 / 20 =
        10, Var[U] = E[D^3] / 3E[D] - 100 = 4000 / 30 - 100 = 33.33; fill rate 98 % with
        Q = 50: the reorder point is 12.70, not 0. Replayed: 100 % served, against 83.3 % at 0."""
        series = np.array([0.0, 20.0] * 30)
        undershoot = undershoot_moments(series, 1)
        self.assertEqual((undershoot[0], round(undershoot[1], 4)), (10.0, 33.3333))
        safety, z = safety_stock_for_target(0.0, 0.0, 50.0, "fill_rate", 98.0, "normal", undershoot)
        self.assertAlmostEqual(safety, 12.7021, places=3)
        self.assertEqual(z, 0.0)  # no lead-time deviation to count it in
        many = fill_rate_safety_stocks_normal(
            np.array([0.0]), np.array([0.0]), np.array([50.0]), 98.0, np.array([undershoot[0]]), np.array([undershoot[1]]))
        self.assertAlmostEqual(float(many[0]), safety, places=2)
        served = [replay(series[None, :], np.array([minimum]), np.array([minimum + 50.0]), np.array([0.0]))["fill_rate"][0]
                  for minimum in (0.0, safety)]
        self.assertEqual([round(rate, 4) for rate in served], [0.8333, 1.0])
        # neither deviation nor undershoot (no demand at all): nothing to keep
        self.assertEqual(safety_stock_for_target(0.0, 0.0, 50.0, "fill_rate", 98.0, "normal", (0.0, 0.0)), (0.0, 0.0))

    def test_fill_rate_safety_stocks_vectorised(self):
        # The numpy version (exchange curve of the backtest) finds the same reorder points as
        # the exact one, to a thousandth of a unit (its Phi is Abramowitz & Stegun 7.1.26).
        rng = np.random.default_rng(5)
        mean, sigma, order = rng.uniform(0, 100, 40), rng.uniform(0.1, 50, 40), rng.uniform(1, 200, 40)
        under_mean, under_variance = rng.uniform(0, 10, 40), rng.uniform(0, 50, 40)
        for level in (85.0, 98.0, 99.5):
            many = fill_rate_safety_stocks_normal(mean, sigma, order, level, under_mean, under_variance)
            one = [
                safety_stock_for_target(mean[i], sigma[i], order[i], "fill_rate", level, "normal", (under_mean[i], under_variance[i]))[0]
                for i in range(40)
            ]
            np.testing.assert_allclose(many, one, atol=5e-3)
