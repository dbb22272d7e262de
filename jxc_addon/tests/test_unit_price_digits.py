"""Prices and costs of one unit keep all their digits, as Odoo's own (``min_display_digits=
"Product Price"``: at least that many digits shown, none rounded away). At Odoo's default 2
digits, a screw at 0.0125 is not 0.01 and a gram of flour at 0.00235 is not 0.00: amounts of
thousands of them would be off by a fifth, or nothing at all."""

from freezegun import freeze_time

from odoo.fields import Command
from odoo.tests import tagged

from .common import JxcCommon
from .count_common import JxcCountCommon


@tagged("post_install", "-at_install")
class TestCountUnitCostDigits(JxcCountCommon):
    """10,000 screws at 0.0125 (book value 125.00) on Shelf 1, a value tolerance of 45.00."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.screw = cls.env["product.product"].create(cls._prepare_product_vals("JXC Screw", 0.0125, 0.05, "JXC-SCREW"))
        with freeze_time("2024-01-01 02:00:00"):
            cls._set_on_hand(cls.screw, 10000, cls.shelf_1)
        cls.tolerance.write({"qty_percent": 0.0, "value_abs": 45.0})

    def test_loss_of_cheap_screws_at_their_cost(self):
        """4,000 screws short are 4,000 x 0.0125 = 50.00 lost, beyond the tolerance of 45.00 (at
        a cost rounded to 0.01 they were 40.00, within it), and so the plan and Odoo's booking say."""
        self.assertEqual(self.env["decimal.precision"].precision_get("Product Price"), 2)
        plan = self._create_plan(product_ids=[(6, 0, self.screw.ids)])
        plan.action_start()
        line = plan.line_ids
        self.assertEqual((line.unit_cost, line.book_value), (0.0125, 125.0))
        line.counted_qty = 6000
        self.assertEqual((line.difference_qty, line.difference_value, line.loss_value), (-4000.0, -50.0, 50.0))
        self.assertTrue(line.is_discrepancy)
        plan.action_submit()
        self.assertEqual((plan.discrepancy_count, plan.loss_value, plan.gain_value), (1, 50.0, 0.0))
        line.reason_id = self.reason_loss
        plan.action_approve()
        plan.action_post()
        self.assertEqual((line.move_ids.value, line.difference_value, plan.loss_value), (50.0, -50.0, 50.0))
        self.assertEqual(self._on_hand(self.screw, self.shelf_1), 6000)


@tagged("post_install", "-at_install")
class TestUnitPriceDigits(JxcCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.uom_gram = cls.env.ref("uom.product_uom_gram")
        cls.flour = cls.env["product.product"].create({
            **cls._prepare_product_vals("JXC Flour", 0.002, 0.004, "JXC-FLOUR"),
            "uom_id": cls.uom_gram.id,
            "seller_ids": [Command.create({"partner_id": cls.vendor_a.id, "price": 0.00235, "delay": 2,
                                           "company_id": cls.company.id})],
        })

    def test_plan_line_price_of_a_gram(self):
        """20 kg of flour to buy at 0.00235 a gram: the plan line's unit price is 0.00235, not
        0.00, and its amount 47.00."""
        self.env["jxc.safety.stock.rule"].create({
            "name": "JXC Flour", "product_id": self.flour.id, "method": "fixed", "fixed_qty": 20000.0,
            "company_id": self.company.id,
        })
        with freeze_time("2025-06-30 04:00:00"):
            self.env["stock.warehouse.orderpoint"]._jxc_update_orderpoints(self.company)
            lines = self.env["jxc.purchase.plan"]._refresh(self.company)
        line = lines.filtered(lambda line: line.product_id == self.flour)
        self.assertEqual((line.vendor_id, line.suggested_qty), (self.vendor_a, 20000.0))
        self.assertEqual((line.price_unit, line.amount), (0.00235, 47.0))
        line.invalidate_recordset(["price_unit"])
        self.assertEqual(line.price_unit, 0.00235)  # as stored, not only as computed

    def test_purchase_cost_and_forecast_cost_of_a_screw(self):
        """Bought 1,000 at 0.0125 then 1,000 at 0.0150: the cost report's prices and variance
        keep their 4 digits; the forecast accuracy values its quantities at the cost 0.0125. The
        screen is told to show them whole, with at least the 2 digits of "Product Price" (with
        ``digits`` it rounded them to 0.01, 0.02 and 0.00)."""
        screw = self.env["product.product"].create(self._prepare_product_vals("JXC Screw", 0.0125, 0.05, "JXC-SCREW"))
        with freeze_time("2025-01-10 02:00:00"):
            self._create_purchase(self.vendor_b, [(screw, 1000.0, 0.0125)])
        with freeze_time("2025-02-10 02:00:00"):
            self._create_purchase(self.vendor_b, [(screw, 1000.0, 0.015)])
        Cost = self.env["jxc.purchase.cost.report"].with_user(self.jxc_manager)
        february = Cost.search([("product_id", "=", screw.id), ("all_vendors", "=", False), ("date", "=", "2025-02-01")])
        self.assertEqual((february.average_price, february.previous_price, february.price_variance, february.last_price),
                         (0.015, 0.0125, 0.0025, 0.015))

        rule = self.env["jxc.safety.stock.rule"].create({
            "name": "JXC Screw", "product_id": screw.id, "method": "statistical", "service_level": 95.0,
        })
        self.env["stock.warehouse.orderpoint"].create({
            "product_id": screw.id, "warehouse_id": self.warehouse.id, "location_id": self.stock_location.id,
            "product_min_qty": 0.0, "product_max_qty": 0.0, "jxc_rule_id": rule.id, "jxc_forecast_method": "ses",
            "jxc_forecast_actual": 4000.0, "jxc_forecast_abs_error": 400.0, "jxc_forecast_error": -400.0,
        })
        self.assertEqual(screw.standard_price, 0.0125)
        accuracy = self.env["jxc.forecast.accuracy.report"].with_user(self.jxc_manager).search(
            [("product_id", "=", screw.id)])
        self.assertEqual((accuracy.unit_cost, accuracy.demand_value, accuracy.abs_error_value), (0.0125, 50.0, 5.0))
        for Report, names in ((Cost, ["average_price", "previous_price", "price_variance", "last_price"]),
                              (accuracy, ["unit_cost"])):
            for name, description in Report.fields_get(names, ["digits", "min_display_digits"]).items():
                self.assertEqual((description["digits"], description["min_display_digits"]), (False, 2), name)

    def test_backtest_weighs_cheap_products_by_their_cost(self):
        """A fill rate of a group weighs each product by the value of its demand: 1,000 screws at
        0.004 (4.00, 90 % served) and 10 widgets at 1.00 (10.00, none served) are 3.60 served of
        14.00 (25.71 %); at a cost rounded to 0.00 the screws weighed nothing (0 %)."""
        self.env["jxc.policy.backtest"].create([
            {"company_id": self.company.id, "warehouse_id": self.warehouse.id, "product_id": product.id,
             "unit_cost": cost, "demand": demand, "proposed_fill_rate": rate, "current_fill_rate": rate}
            for product, cost, demand, rate in ((self.product_1, 0.004, 1000.0, 90.0), (self.product_2, 1.0, 10.0, 0.0))
        ])
        Backtest = self.env["jxc.policy.backtest"].with_user(self.jxc_manager)
        self.assertEqual(sorted(Backtest.search([("company_id", "=", self.company.id)]).mapped("unit_cost")), [0.004, 1.0])
        [group] = Backtest.formatted_read_group([("company_id", "=", self.company.id)], ["warehouse_id"],
                                                ["proposed_fill_rate:avg"])
        self.assertAlmostEqual(group["proposed_fill_rate:avg"], 3.6 / 14.0 * 100)
