"""The reordering rules the safety stock writes are Odoo's: named by Odoo's sequence, and
Odoo's own quantities (on hand, forecast, quantity to order, deadline) follow the new
minimum and maximum as a recomputation from scratch, whatever each rule's horizon."""

from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

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

    def test_update_keeps_odoo_quantities(self):
        """The safety stock writes the rules through Odoo's ``write``: Odoo's stored quantity
        to order and deadline follow the new minimum and maximum exactly as a recomputation
        from scratch, per rule horizon. The purchases from vendor B added its (0-day) lines:
        removed, vendor A's 2, 6 and 15 days apply; no history, so the rule's fallback of 30
        is the minimum and the maximum (2 days: 30 - 7 = 23 to order)."""
        self.products.seller_ids.filtered(lambda line: line.partner_id == self.vendor_b).unlink()
        self.rule_category.no_history_qty = 30.0
        self._compute()
        fnames = ["qty_on_hand", "qty_forecast", "qty_to_order_computed", "deadline_date"]
        self.env.flush_all()
        self.orderpoints.invalidate_recordset()
        stored = {op.product_id.name: tuple(op[f] for f in fnames) for op in self.orderpoints}
        for fname in ("qty_to_order_computed", "deadline_date"):
            self.env.add_to_compute(self.orderpoints._fields[fname], self.orderpoints)
        self.orderpoints.flush_recordset()
        self.orderpoints.invalidate_recordset()
        self.assertEqual({op.product_id.name: tuple(op[f] for f in fnames) for op in self.orderpoints}, stored)
        self.assertEqual(
            {op.product_id.name: (op.lead_horizon_date.isoformat(), op.product_min_qty, op.product_max_qty)
             for op in self.orderpoints},
            {"JXC Horizon 2": ("2025-07-02", 30.0, 30.0), "JXC Horizon 6": ("2025-07-06", 30.0, 30.0),
             "JXC Horizon 15": ("2025-07-15", 30.0, 30.0)},
        )
        # On hand 15 is below 30 today: Odoo's deadline is today for all three.
        self.assertEqual(stored, {
            "JXC Horizon 2": (15.0, 7.0, 23.0, date(2025, 6, 30)),
            "JXC Horizon 6": (15.0, 39.0, 0.0, date(2025, 6, 30)),
            "JXC Horizon 15": (15.0, 47.0, 0.0, date(2025, 6, 30)),
        })
        self.assertEqual(self.orderpoints.supplier_id.partner_id, self.vendor_a)

    def test_new_rules_named_by_odoo_sequence(self):
        """The rules the safety stock creates are named by the field's default: Odoo's
        reordering-rule sequence, one number after the other."""
        sequence = self.env["ir.sequence"].search([("code", "=", "stock.orderpoint")], limit=1)
        first = sequence.number_next_actual
        existing = self.Orderpoint.search([]).ids
        # The 4 products of safety_common get new rules; the 3 here already have theirs.
        self.assertEqual(self._compute()["created"], 4)
        created = self.Orderpoint.search([("id", "not in", existing)], order="id")
        self.assertEqual(created.mapped("name"), [sequence.get_next_char(first + i) for i in range(4)])
