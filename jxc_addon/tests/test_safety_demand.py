"""What the safety stock reads as demand and lead time (issue 14, items 4, 7 and 8), on the
fixtures of safety_common.py (today 30 June 2025):

- demand is the quantity done, in the product's unit (an over-delivery, a delivery in
  dozens), read by the one net-demand query (tools/net_demand.py);
- a weekly window shorter than two weeks is refused on the rule;
- a seasonal rule without production consumption does not pick it up because another
  rule counts it;
- measured lead times are per commercial partner: an order sent to a vendor's contact
  is the vendor's.
"""

from datetime import date

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.tests import tagged

from .safety_common import SafetyStockCommon


@tagged("post_install", "-at_install")
class TestSafetyStockDemand(SafetyStockCommon):
    def test_demand_is_the_done_quantity_in_the_product_unit(self):
        dozen = self.env.ref("uom.product_uom_dozen")
        with freeze_time("2025-06-20 02:00:00"):
            self._set_on_hand(self.product_3, 100.0)
        # 10 ordered, 12 delivered.
        with freeze_time("2025-06-25 02:00:00"):
            self._deliver(self._create_sale(self.customer_a, [(self.product_3, 10.0, 80.0)]), {self.product_3: 12.0})
        # 1 dozen ordered and delivered: 12 units.
        with freeze_time("2025-06-26 02:00:00"):
            order = self.env["sale.order"].create({
                "partner_id": self.customer_b.id, "warehouse_id": self.warehouse.id,
                "order_line": [Command.create({
                    "product_id": self.product_3.id, "product_uom_qty": 1.0, "product_uom_id": dozen.id, "price_unit": 900.0,
                })],
            })
            order.action_confirm()
            self._deliver(order)
        sums = self.env["jxc.planning.engine"]._get_demand_sums(self.company, self.product_3.ids, date(2025, 6, 20), date(2025, 6, 30))
        self.assertEqual(sums[self.product_3.id, self.warehouse.id], (24.0, 288.0))
        op = self._computed_orderpoint(self.product_3)
        # The category rule's 10 days: 24 / 10 a day.
        self.assertAlmostEqual(op.jxc_demand_mean, 2.4)
        self.assertEqual(op.jxc_forecast_method, "moving_average")

    def test_product_launched_in_the_window_is_measured_since(self):
        """JXC Launch came into the warehouse on 25 June, 5 days before today, and sold 3 a day
        on the 4 days after: its demand is 12 over those 5 days, 2.4 a day, deviation
        sqrt((36 - 5 x 2.4^2) / 4) = 1.341641; not 1.2 over the 10-day window, 5 days of
        which it could not be sold (those periods are no demand of 0)."""
        product = self.env["product.product"].create({
            **self._prepare_product_vals("JXC Launch", 10.0, 25.0, "JXC-NEW"), "categ_id": self.category.id})
        with freeze_time("2025-06-25 02:00:00"):
            self._set_on_hand(product, 100.0)
        for day in (26, 27, 28, 29):
            with freeze_time("2025-06-%d 02:00:00" % day):
                self._deliver(self._create_sale(self.customer_a, [(product, 3.0, 25.0)]))
        # and one that came in yesterday and sold 2: one day of history
        newest = self.env["product.product"].create({
            **self._prepare_product_vals("JXC Launch 2", 10.0, 25.0, "JXC-NEW2"), "categ_id": self.category.id})
        with freeze_time("2025-06-29 02:00:00"):
            self._set_on_hand(newest, 10.0)
            self._deliver(self._create_sale(self.customer_a, [(newest, 2.0, 25.0)]))
        op = self._computed_orderpoint(product)
        self.assertEqual(op.jxc_history_days, 10)
        self.assertAlmostEqual(op.jxc_demand_mean, 2.4)
        self.assertEqual(op.jxc_demand_stddev, 1.3416)  # stored with 4 decimals
        self.assertEqual((self._orderpoint(newest).jxc_demand_mean, self._orderpoint(newest).jxc_demand_stddev), (2.0, 0.0))

    def test_weekly_window_shorter_than_two_weeks_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "fewer than two whole weeks"):
            self.rule_class_a.write({"demand_period": "week", "history_days": 13})
        self.rule_class_a.write({"demand_period": "week", "history_days": 14})
        self.assertEqual(self.rule_class_a.demand_period, "week")

    def test_seasonal_rule_without_production_ignores_consumption(self):
        production = self.product_4.with_company(self.company).property_stock_production
        with freeze_time("2024-07-03 02:00:00"):
            move = self.env["stock.move"].create({
                "product_id": self.product_4.id, "product_uom_qty": 50.0, "product_uom": self.uom_unit.id,
                "location_id": self.stock_location.id, "location_dest_id": production.id,
            })
            move._action_confirm()
            move.quantity = 50.0
            move.picked = True
            move._action_done()
        self.assertEqual(move.state, "done")
        # Another seasonal product whose rule counts consumption.
        product_5 = self.env["product.product"].create(self._prepare_product_vals("JXC Coat", 20.0, 60.0, "JXC-005"))
        product_5.jxc_seasonal = True
        self.env["jxc.safety.stock.rule"].create({
            "name": "Coat", "product_id": product_5.id, "method": "fixed", "fixed_qty": 1.0,
            "history_days": 10, "include_production": True,
        })
        op = self._computed_orderpoint(self.product_4)
        # As without the consumption: 30 delivered in the lead-time window a year ago x trend 1.5.
        self.assertEqual(op.jxc_forecast_method, "seasonal")
        self.assertAlmostEqual(op.jxc_forecast_lt, 45.0)
        # The rule that counts consumption sees it.
        self.rule_product_4.include_production = True
        self._compute()
        self.assertAlmostEqual(op.jxc_forecast_lt, (30.0 + 50.0) * 1.5)

    def test_measured_lead_time_counts_orders_to_the_vendors_contact(self):
        contact = self.env["res.partner"].create({"name": "JXC Vendor A, Sales Desk", "parent_id": self.vendor_a.id})
        self._buy_gadgets_in_nine_days(contact)
        op = self._computed_orderpoint(self.product_2)
        # Receipts after 4, 6 and 9 days: mean 19 / 3, sample sigma sqrt(19 / 3) = 2.5166.
        self.assertEqual(op.jxc_lead_time_source, "measured")
        self.assertAlmostEqual(op.jxc_lead_time, 6.33)
        self.assertAlmostEqual(op.jxc_lead_time_stddev, 2.52)
