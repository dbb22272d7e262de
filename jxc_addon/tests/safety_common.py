"""Fixtures of the safety-stock tests: real done receipts and deliveries, dated.

"Today" is Monday 30 June 2025, 12:00 in Shanghai (the company's timezone); each test
runs frozen at that moment (``setUp``). History built in ``setUpClass``:

product_1 (JXC Widget, class A; vendor A: 10.0, 5 days; vendor B: 11.0, 3 days, grade A,
minimum 40): 60 on hand on 1 June; deliveries in the 10-day window [20 June, 30 June):
21 June 10, 23 June 20, 24 June 3 + 2 (two orders, one day), 27 June 15 with a return
of 5 the same day; outside the window 19 June 5 and 30 June (today) nothing. Daily net
demand over the 10 days: [0, 10, 0, 20, 5, 0, 0, 10, 0, 0] -> sum 45, mean 4.5, sum of
squares 625, sample variance (625 - 10 * 4.5^2) / 9 = 46.9444, sigma 6.851602.
On hand today: 60 - 5 - 10 - 20 - 5 - 15 + 5 = 10.

product_2 (JXC Gadget; vendor A only, promised 5 days): in the warehouse since 30 May (a
unit counted in and out again), two purchases of 20, confirmed
2 June and 9 June, received after 4 and 6 days (two receipts: too few to measure, the promised 5 days).
Deliveries in the 30-day window [31 May, 30 June): 10 June 6, 20 June 12, 29 June 6:
sum 24, mean 0.8, sum of squares 216, variance (216 - 30 * 0.64) / 29 = 6.786207.

product_3 (JXC Gizmo; vendor B, 10 days): never sold (no history).

product_4 (JXC Parka, seasonal; vendor A, 5 days): a year ago (52 weeks: 1 July 2024
is "today" last year) 20 June 2024 10 (trend window), 2 July 2024 30 (lead time window
[1 July, 6 July)), 8 July 2024 20 (review window [6 July, 13 July)); this year 25 June 15.
Trend = 15 / 10 = 1.5.

Rules: a category rule (statistical 95 %, promised lead time, no-history fallback 5),
a class-A rule (statistical, service level by ABC class: A 98 %), a product_2 rule
(statistical 95 %, measured lead time, 30 days history) and a product_4 rule (fixed 8).
"""

from freezegun import freeze_time

from odoo.fields import Command

from .common import JxcCommon

TODAY = "2025-06-30 04:00:00"  # 12:00 in Shanghai


class SafetyStockCommon(JxcCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.company
        cls.env["product.supplierinfo"].search([
            ("product_tmpl_id", "=", cls.product_1.product_tmpl_id.id), ("partner_id", "=", cls.vendor_b.id),
        ]).min_qty = 40.0
        cls.vendor_a.with_company(company).jxc_supplier_grade = "b"
        cls.vendor_b.with_company(company).jxc_supplier_grade = "a"
        cls.product_1.with_company(company).jxc_abc_class = "a"
        cls.product_4 = cls.env["product.product"].create(cls._prepare_product_vals("JXC Parka", 20.0, 60.0, "JXC-004"))
        cls.product_4.jxc_seasonal = True
        cls.env["product.supplierinfo"].create({
            "partner_id": cls.vendor_a.id, "product_tmpl_id": cls.product_4.product_tmpl_id.id, "price": 20.0, "delay": 5,
        })

        Rule = cls.env["jxc.safety.stock.rule"]
        cls.rule_category = Rule.create({
            "name": "JXC goods", "categ_id": cls.category.id, "method": "statistical", "service_level": 95.0,
            "history_days": 10, "review_days": 7, "no_history_qty": 5.0,
        })
        cls.rule_class_a = Rule.create({
            "name": "Class A", "abc_class": "a", "method": "statistical", "service_level_by_abc": True,
            "service_level": 95.0, "history_days": 10, "review_days": 7,
        })
        cls.rule_product_2 = Rule.create({
            "name": "Gadget measured", "product_id": cls.product_2.id, "method": "statistical",
            "service_level": 95.0, "lead_time_source": "measured", "history_days": 30, "review_days": 7,
        })
        cls.rule_product_4 = Rule.create({
            "name": "Parka", "product_id": cls.product_4.id, "method": "fixed", "fixed_qty": 8.0,
            "history_days": 10, "review_days": 7, "trend_days": 14,
        })

        # product_4: a year ago and this year.
        with freeze_time("2024-06-01 02:00:00"):
            cls._set_on_hand(cls.product_4, 200.0)
        for when, qty in (("2024-06-20 02:00:00", 10.0), ("2024-07-02 02:00:00", 30.0),
                          ("2024-07-08 02:00:00", 20.0), ("2025-06-25 02:00:00", 15.0)):
            with freeze_time(when):
                cls._deliver(cls._create_sale(cls.customer_a, [(cls.product_4, qty, 60.0)]))

        # product_1
        with freeze_time("2025-06-01 02:00:00"):
            cls._set_on_hand(cls.product_1, 60.0)
        for when, qty in (("2025-06-19 02:00:00", 5.0), ("2025-06-21 02:00:00", 10.0),
                          ("2025-06-23 02:00:00", 20.0), ("2025-06-24 02:00:00", 3.0), ("2025-06-24 09:00:00", 2.0)):
            with freeze_time(when):
                cls._deliver(cls._create_sale(cls.customer_a, [(cls.product_1, qty, 25.0)]))
        with freeze_time("2025-06-27 02:00:00"):
            delivery = cls._deliver(cls._create_sale(cls.customer_b, [(cls.product_1, 15.0, 25.0)]))
        with freeze_time("2025-06-27 08:00:00"):
            cls._return_picking(delivery, {cls.product_1: 5.0})

        # product_2: in the warehouse before its 30-day window (a unit counted in and out on
        # 30 May: no demand), so that its window is all of its history there; measured lead
        # times 4 and 6 days (too few to be measured), then deliveries.
        with freeze_time("2025-05-30 02:00:00"):
            cls._set_on_hand(cls.product_2, 1.0)
            cls._set_on_hand(cls.product_2, 0.0)
        for ordered_at, received_at in (("2025-06-02 02:00:00", "2025-06-06 02:00:00"),
                                        ("2025-06-09 02:00:00", "2025-06-15 02:00:00")):
            cls._buy(cls.vendor_a, [(cls.product_2, 20.0, 4.0)], ordered_at, received_at)
        for when, qty in (("2025-06-10 02:00:00", 6.0), ("2025-06-20 02:00:00", 12.0), ("2025-06-29 02:00:00", 6.0)):
            with freeze_time(when):
                cls._deliver(cls._create_sale(cls.customer_a, [(cls.product_2, qty, 9.0)]))

        cls.Orderpoint = cls.env["stock.warehouse.orderpoint"]

    def setUp(self):
        super().setUp()
        self._freeze_test_at(TODAY)

    def _buy_gadgets_in_nine_days(self, vendor):
        """A third purchase of 20 Gadgets from ``vendor``, confirmed 16 June and received 25 June
        (9 days): with the fixtures' two, enough receipts to measure the lead time."""
        with freeze_time("2025-06-16 02:00:00"):
            order = self._create_purchase(vendor, [(self.product_2, 20.0, 4.0)])
        with freeze_time("2025-06-25 02:00:00"):
            self._receive(order)
        return order

    def _orderpoint(self, product):
        return self.Orderpoint.search([("product_id", "=", product.id), ("location_id", "=", self.stock_location.id)])

    def _compute(self):
        return self.Orderpoint._jxc_update_orderpoints(self.company)

    def _computed_orderpoint(self, product):
        """The orderpoint of ``product`` in the main stock, after a computation of all rules."""
        self._compute()
        return self._orderpoint(product)

    def _odoo_recompute_queries(self):
        """Queries of Odoo's own recomputation of the managed rules' stored quantity to order
        and deadline (what its replenishment report runs): the per-rule cost the safety stock
        pays too, since it writes the rules through the ORM."""
        orderpoints = self.Orderpoint.search([("jxc_rule_id", "!=", False)])
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        orderpoints._compute_qty_to_order_computed()
        orderpoints._compute_deadline_date()
        self.env.flush_all()
        return self.env.cr.sql_log_count - before

    def _pack_of(self, qty):
        return self.env["uom.uom"].create({
            "name": f"Pack of {qty:g}", "relative_factor": qty, "relative_uom_id": self.uom_unit.id,
        })

    @staticmethod
    def _command_set(records):
        return [Command.set(records.ids)]


class PurchasePlanCommon(SafetyStockCommon):
    """The fixtures with the reordering rules computed on 30 June (the purchase plan's tests).

    The Gadget's rule targets 80 % here, so that it has nothing to order: safety stock 4.5 +
    0.841621 x 6.609163 = 10.0624 -> 10.07 (the undershoot of test_safety_stock.py), reorder
    point 0.8 x 5 + 10.07 = 14.07 -> 15 below its 16 on hand, maximum 15 + 5.6 -> 21."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rule_product_2.service_level = 80.0
        with freeze_time("2025-06-30 04:00:00"):
            cls.env["stock.warehouse.orderpoint"]._jxc_update_orderpoints(cls.company)
        cls.Plan = cls.env["jxc.purchase.plan"]
