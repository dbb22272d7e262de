from freezegun import freeze_time

from odoo.tests import tagged

from .abc_common import AbcCommon


@tagged("post_install", "-at_install")
class TestAbcDoneQuantity(AbcCommon):
    """Every measure reads the quantity done, not the demand of the moves.

    One sale order: product_1 (cost 10) ordered 10 at 25 and delivered 12; at validation the
    warehouse adds 5 of product_2 (cost 4, invoiced on delivered quantities at its sales price
    9), which Odoo puts on a new order line ordered 0. Then the customer returns 2 of
    product_1. By quantity done: product_1 net 10, consumption 100, revenue 12 x 25 - 2 x 25 =
    250, margin 150; product_2 net 5, consumption 20, revenue 45, margin 25. By demand it
    would be product_1 net 8 (margin 250 - 80 = 170) and product_2 nothing.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.products = cls.product_1 | cls.product_2
        cls.product_2.invoice_policy = "delivery"
        cls._stock_up(cls.products, 100, "2025-05-01 02:00:00")
        with freeze_time("2025-05-10 02:00:00"):
            cls.order = cls._create_sale(cls.customer_a, [(cls.product_1, 10, 25.0)])
            picking = cls.order.picking_ids
            cls.env["stock.move.line"].create({
                "picking_id": picking.id,
                "product_id": cls.product_2.id,
                "quantity": 5,
                "location_id": picking.location_id.id,
                "location_dest_id": picking.location_dest_id.id,
            })
            cls._validate_picking(picking, {cls.product_1: 12.0, cls.product_2: 5.0})
        with freeze_time("2025-05-20 02:00:00"):
            cls._return_picking(picking, {cls.product_1: 2.0})
        cls.profile = cls._create_profile(scope="categories", category_ids=[cls.category.id], lookback_days=90)
        cls.when = "2025-07-01 02:00:00"

    def test_fixture_is_what_odoo_made(self):
        """The flows above are the over-delivery and added line the docstring describes."""
        moves = self.order.picking_ids.move_ids.filtered(lambda m: m.location_dest_id.usage == "customer")
        by_product = {m.product_id: (m.product_uom_qty, m.quantity) for m in moves}
        self.assertEqual(by_product, {self.product_1: (10.0, 12.0), self.product_2: (0.0, 5.0)})
        added = self.order.order_line.filtered(lambda line: line.product_id == self.product_2)
        self.assertEqual((added.product_uom_qty, added.qty_delivered, added.price_unit), (0.0, 5.0, 9.0))

    def _measure(self, measure):
        self.profile.measure = measure
        results = self._compute(self.profile, self.when)
        return [results[p].value for p in self.products], [results[p].demand_qty for p in self.products]

    def test_consumption_value(self):
        self.assertEqual(self._measure("consumption_value"), ([100.0, 20.0], [10.0, 5.0]))

    def test_quantity(self):
        self.assertEqual(self._measure("quantity"), ([10.0, 5.0], [10.0, 5.0]))

    def test_revenue(self):
        self.assertEqual(self._measure("revenue")[0], [250.0, 45.0])

    def test_margin(self):
        self.assertEqual(self._measure("margin")[0], [150.0, 25.0])

    def test_lines_and_xyz_demand(self):
        """One pick each; the XYZ demand of the month with the deliveries is the quantity done."""
        self.profile.write({"measure": "lines", "xyz_period": "month"})
        results = self._compute(self.profile, self.when)
        self.assertEqual([results[p].value for p in self.products], [1.0, 1.0])
        # stocked on 1 May, within the 30-day period from 2 April: 2 whole months of demand, one
        # with the net quantity, one without -> cv = 1 for both
        self.assertEqual([results[p].demand_qty for p in self.products], [10.0, 5.0])
        for product in self.products:
            self.assertAlmostEqual(results[product].demand_cv, 1.0, places=4)

    def test_sales_report_agrees(self):
        """The best-seller analysis counts the same deliveries the same way; its cost is the
        value stock_account put on the moves (12 x 10 - 2 x 10 and 5 x 4)."""
        groups = self.env["jxc.sales.report"]._read_group(
            [("order_id", "=", self.order.id)], ["product_id"], ["quantity:sum", "revenue:sum", "cost:sum", "margin:sum"])
        self.assertEqual({product: tuple(figures) for product, *figures in groups}, {
            self.product_1: (10.0, 250.0, 100.0, 150.0),
            self.product_2: (5.0, 45.0, 20.0, 25.0),
        })
