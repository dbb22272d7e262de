"""Demand classes and forecast methods through real deliveries (issue 17, items 1 and 2), on
the fixtures of safety_common.py (today 30 June 2025). The formulas are checked on worked
examples in test_planning_formulas.py; here, that the engine feeds them this company's
own done moves and stores what they return on the reordering rules and the products.
"""

from freezegun import freeze_time

from odoo.tests import tagged

from .safety_common import SafetyStockCommon


@tagged("post_install", "-at_install")
class TestPlanningDemandClass(SafetyStockCommon):
    def test_demand_classes_per_product_and_warehouse(self):
        # product_2 also sells 30 on 25 June: sizes 6, 12, 30, 6.
        with freeze_time("2025-06-25 02:00:00"):
            self._set_on_hand(self.product_2, 60.0)
            self._deliver(self._create_sale(self.customer_a, [(self.product_2, 30.0, 9.0)]))
        self._compute()
        # product_1, 10 days: 0 10 0 20 5 0 0 10 0 0 -> ADI 10 / 4 = 2.5; sizes 10, 20, 5, 10:
        # mean 11.25, variance 156.25 - 126.5625 = 29.6875 -> CV^2 0.2346: intermittent.
        op_1 = self._orderpoint(self.product_1)
        self.assertEqual((op_1.jxc_adi, op_1.jxc_cv2, op_1.jxc_demand_class), (2.5, 0.2346, "intermittent"))
        # product_2, 30 days, 4 demands: ADI 7.5; mean 13.5, variance 279 - 182.25 = 96.75
        # -> CV^2 0.5309: lumpy.
        op_2 = self._orderpoint(self.product_2)
        self.assertEqual((op_2.jxc_adi, op_2.jxc_cv2, op_2.jxc_demand_class), (7.5, 0.5309, "lumpy"))
        # Never sold: no class.
        op_3 = self._orderpoint(self.product_3)
        self.assertEqual((op_3.jxc_adi, op_3.jxc_demand_class), (0.0, False))
        # The product carries its (only) warehouse's class, per company.
        product_2 = self.product_2.with_company(self.company)
        self.assertEqual(product_2.jxc_demand_class, "lumpy")
        self.assertEqual(
            self.env["product.product"].with_company(self.company).search([
                ("jxc_demand_class", "=", "lumpy"), ("id", "in", (self.product_1 | self.product_2).ids),
            ]),
            self.product_2,
        )
        # Weekly demand of product_1 over 14 days: weeks 16-22 June 5 + 10, 23-29 June
        # 20 + 5 + 10 -> every week: ADI 1; sizes 15, 35: CV^2 100 / 625 = 0.16: smooth.
        self.rule_class_a.write({"demand_period": "week", "history_days": 14})
        self._compute()
        self.assertEqual((op_1.jxc_adi, op_1.jxc_cv2, op_1.jxc_demand_class), (1.0, 0.16, "smooth"))
        self.assertEqual(self.product_1.with_company(self.company).jxc_demand_class, "smooth")

    def test_fixed_forecast_method_croston(self):
        self.rule_class_a.forecast_method = "croston_sba"
        self._compute()
        op = self._orderpoint(self.product_1)
        # Croston-SBA (alpha 0.1) on 0 10 0 20 5 0 0 10 0 0: sizes 10 -> 11 -> 10.4 -> 10.36,
        # intervals 2 -> 2 -> 1.9 -> 2.01: 0.95 x 10.36 / 2.01 = 4.896517 a day.
        self.assertEqual(op.jxc_forecast_method, "croston_sba")
        self.assertAlmostEqual(op.jxc_forecast_lt, 14.69)          # x 3 days
        self.assertAlmostEqual(op.jxc_forecast_review, 34.28)      # x 7 days
        # The safety stock is the demand's (33.54, as with the moving average); the reorder
        # point adds the forecast over the lead time: 14.6896 + 33.54 = 48.23, in whole units 49.
        self.assertAlmostEqual(op.jxc_safety_stock, 33.54)
        self.assertAlmostEqual(op.product_min_qty, 49.0)
        self.assertAlmostEqual(op.product_max_qty, 49.0 + 40.0)  # review demand raised to vendor B's minimum
        # The historic average is still shown.
        self.assertAlmostEqual(op.jxc_demand_mean, 4.5)

    def test_best_method_by_backtest(self):
        self.rule_class_a.forecast_method = "auto"
        self.rule_category.forecast_method = "auto"
        self._compute()
        op = self._orderpoint(self.product_1)
        # Rolling origin over days 4-10 (the first 3 warm up; naive scale (10 + 10) / 2 = 10).
        # Croston-SBA forecasts 4.75, 5.225, 5.2, 5.2, 5.2, 4.8965, 4.8965 for 20 5 0 0 10 0 0:
        # MAE 40.468 / 7 = 5.7811 -> MASE 0.5781, below the moving average 0.6804, SES 0.5812
        # and TSB 0.6038.
        self.assertEqual(op.jxc_forecast_method, "croston_sba")
        self.assertAlmostEqual(op.jxc_forecast_mase, 0.5781, places=4)
        self.assertAlmostEqual(op.jxc_forecast_lt, 14.69)
        # A seasonal product with demand a year ago keeps the seasonal forecast.
        self.rule_product_4.forecast_method = "auto"
        self._compute()
        self.assertEqual(self._orderpoint(self.product_4).jxc_forecast_method, "seasonal")
        # Without history nothing to choose from.
        self.assertEqual(self._orderpoint(self.product_3).jxc_forecast_method, "no_history")
