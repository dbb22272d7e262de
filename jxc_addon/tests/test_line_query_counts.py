"""Buttons that act on many lines at once read them set-based: the number of queries of a
multi-edit of the purchase plan's vendor, of the vendor-at-risk warning at Confirm and of
the sales availability check does not grow with the lines, beyond what Odoo's own
computations grow by (measured beside them, as ``_odoo_recompute_queries`` of
safety_common.py does for the safety stock).

Fixtures: 27 products, each sold by vendor A (10.0, 5 days) and vendor B (9.0, 3 days), none
in stock. Today is Monday 30 June 2025 in Shanghai."""

from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common import JxcCommon

TODAY = "2025-06-30 04:00:00"  # 12:00 in Shanghai
# give or take a prefetch batch, as the safety stock's query counts allow: a related record
# the larger call reads with a batch of others may come with the prefetch of another (the
# calls of 5 and 20 lines measured the same here)
SLACK = 2


class LineQueryCommon(JxcCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.products = cls.env["product.product"].create([
            cls._prepare_product_vals(f"JXC Many {i}", 8.0, 20.0, f"JXC-M{i:02d}") for i in range(27)
        ])
        cls.env["product.supplierinfo"].create([
            {"partner_id": vendor.id, "product_tmpl_id": product.product_tmpl_id.id, "price": price, "delay": delay}
            for product in cls.products
            for vendor, price, delay in ((cls.vendor_a, 10.0, 5), (cls.vendor_b, 9.0, 3))
        ])

    def setUp(self):
        super().setUp()
        self._freeze_test_at(TODAY)

    def _seller(self, product, vendor):
        return product.seller_ids.filtered(lambda line: line.partner_id == vendor)


@tagged("post_install", "-at_install")
class TestPurchasePlanVendorEditQueries(LineQueryCommon):
    """A buyer switches the vendor of many plan lines at once (multi-edit): each line's
    quantity is previewed with the new vendor on its rule in a savepoint rolled back, which
    empties the cache; its terms are then read again for all the lines together."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        rule = cls.env["jxc.safety.stock.rule"].create({"name": "JXC Many", "method": "fixed", "fixed_qty": 2.0})
        cls.env["stock.warehouse.orderpoint"].create([{
            "product_id": product.id, "location_id": cls.stock_location.id, "jxc_rule_id": rule.id,
            "product_min_qty": 5.0, "product_max_qty": 20.0, "jxc_safety_stock": 2.0,
            "supplier_id": product.seller_ids.filtered(lambda line: line.partner_id == cls.vendor_a).id,
        } for product in cls.products])
        with freeze_time(TODAY):
            cls.lines = cls.env["jxc.purchase.plan"]._refresh(cls.company).sorted(lambda line: line.product_id.id)

    def _odoo_queries(self, lines):
        """Queries of Odoo's own work for the rules of ``lines`` when their vendor changes,
        which the plan pays per rule: its recomputation of their quantities to order
        (``_recompute_quantities_to_order``), then vendor B's line set on each
        (purchase_stock's inverse) and the recomputation again (Odoo's
        ``_compute_days_to_order`` and ``get_total_routes`` search the Buy rules for each
        rule). In a savepoint rolled back."""
        Plan = self.env["jxc.purchase.plan"]
        orderpoints = self.env["stock.warehouse.orderpoint"].browse(lines.orderpoint_id.ids)
        sellers = [self._seller(orderpoint.product_id, self.vendor_b) for orderpoint in orderpoints]

        def work():
            with self.env.cr.savepoint() as savepoint:
                Plan._recompute_quantities_to_order(orderpoints)
                for orderpoint, seller in zip(orderpoints, sellers, strict=True):
                    orderpoint.supplier_id = seller
                Plan._recompute_quantities_to_order(orderpoints)
                self.env.flush_all()
                savepoint.rollback()

        return self._count_queries(work)[0]

    def test_query_count_does_not_grow_with_the_lines(self):
        self.assertEqual(len(self.lines), 27)
        self.assertEqual(set(self.lines.mapped("vendor_id")), {self.vendor_a})
        Plan = self.env["jxc.purchase.plan"].with_user(self.jxc_user)
        Plan.browse(self.lines[:2].ids).vendor_id = self.vendor_b  # Odoo's caches warmed up
        five, twenty = self.lines[2:7], self.lines[7:27]
        queries_5, _result = self._count_queries(lambda: Plan.browse(five.ids).write({"vendor_id": self.vendor_b.id}))
        queries_20, _result = self._count_queries(lambda: Plan.browse(twenty.ids).write({"vendor_id": self.vendor_b.id}))
        odoo_growth = self._odoo_queries(self.lines[7:27]) - self._odoo_queries(self.lines[2:7])
        # 4 times the lines: the plan's own queries stay the same (they were 4 more a line:
        # each rule, vendor line, product and template read alone after the rollback)
        self.assertLessEqual(queries_20, queries_5 + odoo_growth + SLACK, (queries_5, queries_20, odoo_growth))
        # every line previewed with vendor B: its price and 3 days, Odoo's quantity up to the max
        self.assertEqual(
            {(line.vendor_id, line.vendor_chosen, line.price_unit, line.expected_date, line.suggested_qty)
             for line in self.lines},
            {(self.vendor_b, True, 9.0, date(2025, 7, 3), 20.0)},
        )


@tagged("post_install", "-at_install")
class TestSupplierRiskWarningQueries(LineQueryCommon):
    """Confirm of an RFQ of vendor A, at risk: the warning lists vendor B for each product,
    at its last price where it sold it before, else at the price Odoo picks from its line."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.jxc_supplier_risk_action = "warn"
        # Vendor B sold the even products before, at 8.5
        with freeze_time("2025-06-02 02:00:00"):
            cls._create_purchase(cls.vendor_b, [(product, 1.0, 8.5) for product in cls.products[::2]])
        cls.vendor_a.with_company(cls.company).write({
            "jxc_supplier_risk": True, "jxc_supplier_risk_reason": "grade D (score 40.0)",
            "jxc_supplier_grade": "d", "jxc_supplier_score": 40.0,
        })
        cls.vendor_b.with_company(cls.company).write({"jxc_supplier_grade": "b", "jxc_supplier_score": 80.0})

    def _confirm(self, products):
        order = self._create_purchase(self.vendor_a, [(product, 4.0, 10.0) for product in products], confirm=False)
        count, action = self._count_queries(order.with_user(self.jxc_user).button_confirm)
        wizard = self.env["jxc.supplier.risk.wizard"].browse(action["res_id"])
        return count, wizard

    def test_query_count_does_not_grow_with_the_lines(self):
        self._confirm(self.products[:2])  # Odoo's caches warmed up
        queries_5, wizard_5 = self._confirm(self.products[2:7])
        queries_20, wizard_20 = self._confirm(self.products[7:27])
        # 4 times the lines, the same queries (they were 3 more a line: each product's template
        # and vendor lines read alone for its price, its name alone for the message)
        self.assertLessEqual(queries_20, queries_5 + SLACK, (queries_5, queries_20))
        self.assertEqual(len(wizard_5.alternative_ids), 5)
        self.assertEqual(
            sorted((alt.product_id.default_code, alt.partner_id, alt.grade, alt.price) for alt in wizard_20.alternative_ids),
            [(product.default_code, self.vendor_b, "b", 8.5 if index % 2 == 0 else 9.0)
             for index, product in enumerate(self.products) if index >= 7],
        )
        self.assertIn("JXC Vendor B for [JXC-M26] JXC Many 26: grade B, last price $\N{NO-BREAK SPACE}8.50",
                      wizard_20.message)
        self.assertIn("JXC Vendor B for [JXC-M25] JXC Many 25: grade B, last price $\N{NO-BREAK SPACE}9.00",
                      wizard_20.message)


@tagged("post_install", "-at_install")
class TestSaleShortageQueries(LineQueryCommon):
    """Confirm of a sales order of products none in stock: every line is short, its
    replenishment the days Odoo takes to bring it (the vendor on its reordering rule, else the
    best vendor; a rule's route deciding where it has one)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # every third product's reordering rule orders from vendor A (5 days); the others buy
        # from the best, vendor B (the cheaper, 3 days)
        buy_route = cls.env["stock.rule"].search([("action", "=", "buy")], limit=1).route_id
        cls.env["stock.warehouse.orderpoint"].create([{
            "product_id": product.id, "location_id": cls.stock_location.id, "product_min_qty": 0.0,
            "product_max_qty": 0.0, "route_id": buy_route.id,
            "supplier_id": product.seller_ids.filtered(lambda line: line.partner_id == cls.vendor_a).id,
        } for product in cls.products[::3]])

    def _odoo_queries(self, order):
        """Queries of Odoo's own availability figures of the order's lines, which the check
        reads first as it does (sale_stock's widget: its ``_compute_qty_at_date`` reads each
        line's moves' origins alone)."""
        def widget():
            lines = order.order_line.filtered(lambda line: line.display_qty_widget and not line.is_mto)
            lines.mapped(lambda line: (line.forecast_expected_date, line.scheduled_date, line.free_qty_today))

        return self._count_queries(widget)[0]

    def _confirmed(self, products):
        order = self._create_sale(self.customer_a, [(product, 3.0, 20.0) for product in products], confirm=False)
        order.commitment_date = "2025-07-01 04:00:00"
        order.action_confirm()
        return order

    def test_query_count_does_not_grow_with_the_lines(self):
        self._confirmed(self.products[:2])._get_jxc_confirmed_shortages()  # Odoo's caches warmed up
        order_5, order_20 = self._confirmed(self.products[2:7]), self._confirmed(self.products[7:27])
        queries_5, shortages_5 = self._count_queries(order_5._get_jxc_confirmed_shortages)
        queries_20, shortages_20 = self._count_queries(order_20._get_jxc_confirmed_shortages)
        odoo_growth = self._odoo_queries(order_20) - self._odoo_queries(order_5)
        # 4 times the lines: the check's own queries stay the same (they were 3 more a short
        # line: a search of its rule's route, of its stock rules and of its rule's vendor)
        self.assertLessEqual(queries_20, queries_5 + odoo_growth + SLACK, (queries_5, queries_20, odoo_growth))
        self.assertEqual(len(shortages_5[order_5]), 5)
        # short of 3 each; vendor A's rule: 5 July, else vendor B: 3 July
        self.assertEqual(
            [(line.product_id, needed, available, short, replenishment)
             for line, needed, available, short, replenishment, _delivery in shortages_20[order_20]],
            [(product, 3.0, 0.0, 3.0, date(2025, 7, 5) if index % 3 == 0 else date(2025, 7, 3))
             for index, product in enumerate(self.products) if index >= 7],
        )
        self.assertIn("short of 3.00; expected replenishment 07/05/2025.", order_20.jxc_shortage_warning)

    def test_receipt_rechecks_warned_orders_in_linear_queries(self):
        """A receipt brings a little of each product that many confirmed orders lack (one order
        a product): every warning changes. Each order is warned again from the delivery dates
        read with the forecast, not read again for the lines of every order after the one
        before cleared its to-dos (which empties the cache): the recheck's queries grow by the
        same number for each further order, not by more and more."""
        def recheck(products):
            orders = [self._confirmed(product) for product in products]
            purchase = self._create_purchase(self.vendor_a, [(product, 1.0, 10.0) for product in products])
            purchase.picking_ids.move_ids.quantity = 1.0
            purchase.picking_ids.button_validate()
            queries, _result = self._count_queries(self.env.cr.precommit.run)
            self.assertTrue(all("short of 2.00" in order.jxc_shortage_warning for order in orders))
            return queries

        recheck(self.products[:3])  # Odoo's caches warmed up
        counts = [recheck(self.products[start:start + size]) for start, size in ((3, 3), (6, 6), (12, 9))]
        # 3, 6 and 9 orders: the last 3 cost what the 3 before did
        self.assertLessEqual((counts[2] - counts[1]) - (counts[1] - counts[0]), SLACK, counts)
