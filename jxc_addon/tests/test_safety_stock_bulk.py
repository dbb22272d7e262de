"""Odoo's own quantities of reordering rules (on hand, forecast, quantity to order,
deadline) computed per location in the safety stock's batches must equal Odoo's
computation per (location, horizon date)."""

from freezegun import freeze_time

from odoo.tests import tagged

from ..models.stock_warehouse_orderpoint import BULK_QUANTITIES
from .safety_common import TODAY, SafetyStockCommon


@tagged("post_install", "-at_install")
class TestOrderpointQuantitiesPerLocation(SafetyStockCommon):
    """Today is 30 June 2025 (safety_common); the company's horizon is set to 0 days, so a
    rule's horizon is today + its vendor's delay. Three products, vendors with 2, 6 and 15
    days: 10 on hand in stock and 5 on a shelf inside it; a receipt of 20 due 4 July (inside
    the 6- and 15-day horizons only) and one of 20 due 10 July (inside 15 days only); a
    confirmed delivery of 8 today; for the 6-day product a draft RFQ of 12 (in progress).
    Rules: minimum 30, maximum 50.

    - 2 days (horizon 2 July): forecast 15 - 8 = 7 < 30 -> order 50 - 7 = 43
    - 6 days (horizon 6 July): 15 + 20 - 8 + 12 = 39 -> nothing to order
    - 15 days (horizon 15 July): 15 + 20 + 20 - 8 = 47 -> nothing to order
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.horizon_days = 0
        shelf = cls.env["stock.location"].create({"name": "Shelf 1", "location_id": cls.stock_location.id})
        cls.products = cls.env["product.product"]
        orders = []
        for index, delay in enumerate((2, 6, 15)):
            product = cls.env["product.product"].create(cls._prepare_product_vals(f"JXC Horizon {delay}", 2.0, 5.0, f"JXC-H{index}"))
            cls.env["product.supplierinfo"].create({
                "partner_id": cls.vendor_a.id, "product_tmpl_id": product.product_tmpl_id.id, "price": 2.0, "delay": delay,
            })
            cls._set_on_hand(product, 10.0)
            cls._set_on_hand(product, 5.0, shelf)
            cls.products |= product
            orders.append(product)
        for when in ("2025-07-04 02:00:00", "2025-07-10 02:00:00"):
            cls._create_purchase(cls.vendor_b, [(product, 20.0, 2.0) for product in orders], date_planned=when)
        with freeze_time(TODAY):  # delivery due today
            cls._create_sale(cls.customer_a, [(product, 8.0, 5.0) for product in orders])
        cls._create_purchase(cls.vendor_a, [(orders[1], 12.0, 2.0)], confirm=False)
        cls.orderpoints = cls.env["stock.warehouse.orderpoint"].create([
            {"product_id": product.id, "location_id": cls.stock_location.id, "product_min_qty": 30.0,
             "product_max_qty": 50.0, "trigger": "auto"}
            for product in cls.products
        ])

    def _figures(self, bulk):
        self.env.flush_all()
        self.env.invalidate_all()
        orderpoints = self.orderpoints.with_context(**{BULK_QUANTITIES: bulk})
        before = self.env.cr.sql_log_count
        orderpoints._compute_qty_to_order_computed()
        orderpoints._compute_deadline_date()
        queries = self.env.cr.sql_log_count - before
        return queries, {
            op.product_id.name: (op.lead_horizon_date.isoformat(), op.qty_on_hand, op.qty_forecast,
                                 op.qty_to_order_computed, op.deadline_date)
            for op in orderpoints
        }

    def test_per_location_equals_odoo(self):
        self.assertTrue(self.orderpoints._jxc_plain_quantities())
        odoo_queries, odoo = self._figures(bulk=False)
        bulk_queries, bulk = self._figures(bulk=True)
        self.assertEqual(bulk, odoo)
        horizons = {name: figures[:4] for name, figures in bulk.items()}
        self.assertEqual(horizons, {
            "JXC Horizon 2": ("2025-07-02", 15.0, 7.0, 43.0),
            "JXC Horizon 6": ("2025-07-06", 15.0, 39.0, 0.0),
            "JXC Horizon 15": ("2025-07-15", 15.0, 47.0, 0.0),
        })
        # One grouped read per location instead of one per horizon date.
        self.assertLess(bulk_queries, odoo_queries)
        # What Odoo's _get_qty_to_order reads next, the product's forecast in the rule's
        # context, is already cached: no query per rule.
        self.env.invalidate_all()
        orderpoints = self.orderpoints.with_context(**{BULK_QUANTITIES: True})
        orderpoints.mapped("qty_forecast")
        for orderpoint in orderpoints:
            product = orderpoint.product_id.with_context(orderpoint._get_product_context())  # pylint: disable=context-overridden
            with self.assertQueryCount(0):
                self.assertEqual(product.virtual_available, bulk[product.name][2] - (12.0 if "6" in product.name else 0.0))

    def test_outside_the_batch_odoo_computes(self):
        """Without the batch context (or for a single rule) Odoo's own method runs."""
        queries, figures = self._figures(bulk=False)
        self.assertEqual(figures["JXC Horizon 2"][1:4], (15.0, 7.0, 43.0))
        single = self.orderpoints[:1].with_context(**{BULK_QUANTITIES: True})
        self.env.invalidate_all()
        self.assertEqual(single.qty_forecast, 7.0)

    def test_new_rules_named_by_odoo_sequence(self):
        """The rules the safety stock creates are named from Odoo's reordering-rule sequence,
        drawn for the whole batch in one query, as the field's default would name them."""
        sequence = self.env["ir.sequence"].search([("code", "=", "stock.orderpoint")], limit=1)
        first = sequence.number_next_actual
        existing = self.Orderpoint.search([]).ids
        # The 4 products of safety_common get new rules; the 3 here already have theirs.
        self.assertEqual(self._compute()["created"], 4)
        created = self.Orderpoint.search([("id", "not in", existing)], order="id")
        self.assertEqual(created.mapped("name"), [sequence.get_next_char(first + i) for i in range(4)])
