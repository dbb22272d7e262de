"""Resupply between the company's warehouses through its transit location: the goods stay as
old as their receipt (dead stock and aging), as with a direct transfer; goods bought from
another company through the inter-company transit location are a receipt.

Odoo's resupply of one warehouse from another (``resupply_wh_ids``) is a delivery out of the
supplying warehouse into the company's inter-warehouse transit location, then a receipt from
it into the supplied warehouse. On 1 June 2025 (dead after 180 days, slow below 2 turns a
year; standard costs: widget 10, gadget 4, gizmo 50), days before it:

====  ==========================================================================================
days  what
====  ==========================================================================================
400   receipt from vendor A in WH: 100 widgets, 10 gadgets, 4 gizmos
300   company B counts 10 gadgets and 6 gizmos in its own warehouse
100   receipt from vendor A in WH: 10 gadgets
31    JXT2 replenished from WH (the Replenish button): 40 widgets and 15 gadgets shipped into
      the company's transit location ...
30    ... and received in JXT2 (by FIFO the gadgets are WH's 10 of 400 days and 5 of 100 days)
20    JXT2 replenished from company B (a reordering rule): 10 gadgets and 6 gizmos through the
      inter-company transit location, shipped and received (bought: new to the company)
5     JXT2 replenished from WH: 10 widgets shipped, still in transit
====  ==========================================================================================

Nothing was ever sold. On hand: widgets WH 50, JXT2 40 (10 in transit); gadgets WH 5, JXT2 25;
gizmos WH 4, JXT2 6.
"""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.fields import Command
from odoo.tests import Form, tagged

from .common import JxcCommon

NOW = datetime(2025, 6, 1, 4, 0)  # noon in Shanghai, the company's timezone


def days_ago(days):
    return NOW - timedelta(days=days)


@tagged("post_install", "-at_install")
class TestResupplyThroughTransit(JxcCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._set_stock_status_limits(dead_days=180, slow_rate=2.0)
        cls.widget, cls.gadget, cls.gizmo = cls.product_1, cls.product_2, cls.product_3
        cls.company_b = cls.env["res.company"].create({"name": "JXC Transit Company B"})
        cls.warehouse_b = cls.env["stock.warehouse"].search([("company_id", "=", cls.company_b.id)], limit=1)
        cls.warehouse_2 = cls.env["stock.warehouse"].create({
            "name": "JXC Transit Second", "code": "JXT2",
            "resupply_wh_ids": [Command.set((cls.warehouse | cls.warehouse_b).ids)],
        })
        routes = cls.warehouse_2.resupply_route_ids
        cls.route_from_wh = routes.filtered(lambda r: r.supplier_wh_id == cls.warehouse)
        cls.route_from_b = routes.filtered(lambda r: r.supplier_wh_id == cls.warehouse_b)
        with freeze_time(days_ago(400)):
            cls._receive(cls._create_purchase(
                cls.vendor_a, [(cls.widget, 100, 10.0), (cls.gadget, 10, 4.0), (cls.gizmo, 4, 50.0)]))
        with freeze_time(days_ago(300)):
            for product, qty in ((cls.gadget, 10), (cls.gizmo, 6)):
                cls.env["stock.quant"].with_company(cls.company_b).with_context(inventory_mode=True).create({
                    "product_id": product.id, "location_id": cls.warehouse_b.lot_stock_id.id, "inventory_quantity": qty,
                }).action_apply_inventory()
        with freeze_time(days_ago(100)):
            cls._receive(cls._create_purchase(cls.vendor_a, [(cls.gadget, 10, 4.0)]))
        with freeze_time(days_ago(31)):
            for product, qty in ((cls.widget, 40), (cls.gadget, 15)):
                cls._replenish(product, qty, cls.route_from_wh)
            cls._ship_to_transit(cls.warehouse)
        with freeze_time(days_ago(30)):
            cls._receive_from_transit()
        with freeze_time(days_ago(20)):
            for product, qty in ((cls.gadget, 10), (cls.gizmo, 6)):
                cls._replenish_by_rule(product, qty, cls.route_from_b)
            cls._ship_to_transit(cls.warehouse_b)
            cls._receive_from_transit()
        with freeze_time(days_ago(5)):
            cls._replenish(cls.widget, 10, cls.route_from_wh)
            cls._ship_to_transit(cls.warehouse)
        cls.env.flush_all()

    @classmethod
    def _replenish(cls, product, qty, route):
        """The product's Replenish button: ``qty`` into JXT2 by ``route``."""
        wizard = Form(cls.env["product.replenish"].with_context(default_product_id=product.id))
        wizard.warehouse_id = cls.warehouse_2
        wizard.route_id = route
        wizard.quantity = qty
        wizard.save().launch_replenishment()

    @classmethod
    def _replenish_by_rule(cls, product, qty, route):
        """A reordering rule of JXT2 ordering ``qty`` by ``route`` (Odoo's Replenish button
        offers no inter-company route)."""
        orderpoint = cls.env["stock.warehouse.orderpoint"].create({
            "product_id": product.id, "location_id": cls.warehouse_2.lot_stock_id.id, "route_id": route.id,
            "trigger": "manual", "product_min_qty": 0.0, "product_max_qty": 0.0,
        })
        orderpoint.qty_to_order = qty
        orderpoint.action_replenish()

    @classmethod
    def _open_pickings(cls, domain):
        return cls.env["stock.move"].search(
            [("product_id", "in", (cls.widget | cls.gadget | cls.gizmo).ids), ("state", "not in", ("done", "cancel")),
             *domain]).picking_id

    @classmethod
    def _ship_to_transit(cls, warehouse):
        """``warehouse`` validates its deliveries into transit, as its users do."""
        for picking in cls._open_pickings([("location_id", "child_of", warehouse.view_location_id.id)]):
            cls._validate_picking(picking.with_env(cls._env_of(warehouse)))

    @classmethod
    def _receive_from_transit(cls):
        """JXT2 validates its receipts from transit."""
        for picking in cls._open_pickings([("location_dest_id", "=", cls.warehouse_2.lot_stock_id.id)]):
            cls._validate_picking(picking)

    def _dead_stock(self, product):
        with freeze_time(NOW):
            rows = self.env["jxc.dead.stock.report"].search([("product_id", "=", product.id)])
            return {
                row.warehouse_id.code: (row.stock_status, row.quantity, row.value, row.idle_days, row.in_stock_since)
                for row in rows
            }

    def _aging(self, product):
        with freeze_time(NOW):
            rows = self.env["jxc.stock.aging.report"].search([("product_id", "=", product.id)])
            return sorted(
                (row.warehouse_id.code, row.age_days, row.age_bucket, row.receipt_date, row.quantity, row.value)
                for row in rows
            )

    def _odoo_value(self, product, warehouse):
        self.env.invalidate_all()
        with freeze_time(NOW):
            return round(product.with_context(warehouse_id=warehouse.id).total_value, 2)

    def test_resupplied_stock_is_dead_since_its_first_receipt(self):
        """JXT2's 40 widgets were received 400 days ago by the company: dead, as after a direct
        transfer, not "new" since they left transit 30 days ago; WH's delivery into transit was
        no sale (its clock runs from the receipt too), and the 10 widgets in transit are in no
        warehouse."""
        received = days_ago(400)
        self.assertEqual(self._dead_stock(self.widget), {
            "WH": ("dead", 50.0, 500.0, 400, received),
            "JXT2": ("dead", 40.0, 400.0, 400, received),
        })
        with freeze_time(NOW):
            rows = self.env["jxc.dead.stock.report"].search([("product_id", "=", self.widget.id)])
        self.assertEqual([(r.last_out_date, r.window_out_qty) for r in rows], [(False, 0.0)] * 2)

    def test_resupplied_stock_ages_from_its_receipt(self):
        """By FIFO the 40 widgets JXT2 got through transit are units of WH's receipt of 400 days
        ago (> 365 days); the 10 in transit are aged in no warehouse, and the rows of each
        warehouse add up to Odoo's value of it."""
        received = days_ago(400)
        self.assertEqual(self._aging(self.widget), [
            ("JXT2", 400, "6. >365 days", received, 40.0, 400.0),
            ("WH", 400, "6. >365 days", received, 50.0, 500.0),
        ])
        self.assertEqual((self._odoo_value(self.widget, self.warehouse), self._odoo_value(self.widget, self.warehouse_2)),
                         (500.0, 400.0))
        # Odoo's resupply went through the company's own transit location, where 10 still are
        transit = self.company.internal_transit_location_id
        self.assertEqual((transit.usage, transit.company_id, transit.warehouse_id.id), ("transit", self.company, False))
        received = self.env["stock.move"].search([("product_id", "=", self.widget.id), ("state", "=", "done"),
                                                  ("location_dest_id", "=", self.warehouse_2.lot_stock_id.id)])
        self.assertEqual((received.location_id, received.picking_type_id), (transit, self.warehouse_2.in_type_id))
        self.assertEqual(self.widget.with_context(location=transit.id).qty_available, 10.0)
        self.assertEqual(self.widget.qty_available, 90.0)

    def test_transit_takes_the_oldest_units_of_the_source(self):
        """WH shipped its 10 gadgets of 400 days and 5 of its 100 days; JXT2's 10 bought from
        company B are aged from their purchase 20 days ago, not from B's count 300 days ago."""
        self.assertEqual(self._aging(self.gadget), [
            ("JXT2", 20, "1. 0-30 days", days_ago(20), 10.0, 40.0),
            ("JXT2", 100, "4. 91-180 days", days_ago(100), 5.0, 20.0),
            ("JXT2", 400, "6. >365 days", days_ago(400), 10.0, 40.0),
            ("WH", 100, "4. 91-180 days", days_ago(100), 5.0, 20.0),
        ])
        self.assertEqual(self._odoo_value(self.gadget, self.warehouse_2), 100.0)

    def test_bought_from_another_company_is_a_receipt(self):
        """Gizmos came to JXT2 only from company B, through the inter-company transit location:
        bought 20 days ago, new there (though WH has had gizmos for 400 days). Gadgets came to
        JXT2 from WH through the company's transit too: dead since the company's first receipt.
        The 15 gadgets WH shipped took, by FIFO, its 10 of 400 days and 5 of 100 days: its 5 left
        are of 100 days, new (as the aging dates them), not dead since its first receipt."""
        inter_company = self.env.ref("stock.stock_location_inter_company")
        received = self.env["stock.move"].search([("product_id", "=", self.gizmo.id), ("state", "=", "done"),
                                                  ("location_dest_id", "=", self.warehouse_2.lot_stock_id.id)])
        self.assertEqual((received.location_id, inter_company.usage, inter_company.company_id.id),
                         (inter_company, "transit", False))
        self.assertEqual(self._dead_stock(self.gizmo), {
            "WH": ("dead", 4.0, 200.0, 400, days_ago(400)),
            "JXT2": ("new", 6.0, 300.0, 20, days_ago(20)),
        })
        self.assertEqual(self._aging(self.gizmo), [
            ("JXT2", 20, "1. 0-30 days", days_ago(20), 6.0, 300.0),
            ("WH", 400, "6. >365 days", days_ago(400), 4.0, 200.0),
        ])
        self.assertEqual(self._dead_stock(self.gadget), {
            "WH": ("new", 5.0, 20.0, 100, days_ago(100)),
            "JXT2": ("dead", 25.0, 100.0, 400, days_ago(400)),
        })
        self.assertEqual([row[3] for row in self._aging(self.gadget) if row[0] == "WH"], [days_ago(100)])

    def test_resupplied_stock_dates_from_the_receipt_it_came_from(self):
        """A Sprocket bought since 400 days ago: WH sold its first 30 (300 days ago) and
        received 20 more 60 days ago; JXT2 got 10 of those through transit 30 days ago and
        never sold any. By FIFO they are units of the receipt of 60 days: new there, as the
        aging dates them, not dead since the company's first receipt of 400 days."""
        sprocket = self.env["product.product"].create(self._prepare_product_vals("JXC Sprocket", 5.0, 9.0, "JXC-SPR"))
        with freeze_time(days_ago(400)):
            self._receive(self._create_purchase(self.vendor_a, [(sprocket, 30, 5.0)]))
        with freeze_time(days_ago(300)):
            self._deliver(self._create_sale(self.customer_a, [(sprocket, 30, 9.0)]))
        with freeze_time(days_ago(60)):
            self._receive(self._create_purchase(self.vendor_a, [(sprocket, 20, 5.0)]))
        with freeze_time(days_ago(31)):
            self._replenish(sprocket, 10, self.route_from_wh)
        for days, side in ((31, "location_id"), (30, "location_dest_id")):  # out of WH, then into JXT2
            moves = self.env["stock.move"].search([("product_id", "=", sprocket.id), ("state", "not in", ("done", "cancel"))])
            with freeze_time(days_ago(days)):
                self._validate_picking(moves.filtered(lambda m, side=side: m[side].warehouse_id).picking_id)
        self.env.flush_all()
        self.assertEqual(self._dead_stock(sprocket)["JXT2"], ("new", 10.0, 50.0, 60, days_ago(60)))
        self.assertEqual([row for row in self._aging(sprocket) if row[0] == "JXT2"],
                         [("JXT2", 60, "2. 31-60 days", days_ago(60), 10.0, 50.0)])
