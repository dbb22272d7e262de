"""Two rules the engine sizes as Odoo replenishes them.

A branch (JXB) resupplied from WH (``resupply_wh_ids``), whose delivery into transit is made to
order: Odoo's rules for JXB's stock go on to WH's Buy rule, so WH buys for JXB. Delays: transit
-> JXB 2 days, WH -> transit 1 day; vendor A promises 5 days, the company takes 1 day to
purchase. And a Multiple set to the product's own unit, where the vendor sells by the pack of 6.
"""

from odoo.fields import Command
from odoo.tests import tagged

from .common import JxcCommon

TODAY = "2025-06-30 04:00:00"  # 12:00 in Shanghai


@tagged("post_install", "-at_install")
class TestPlanningChainMultiple(JxcCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.horizon_days = 0
        cls.company.days_to_purchase = 1
        cls.widget = cls.product_1
        cls.widget.seller_ids.filtered(lambda line: line.partner_id == cls.vendor_b).unlink()
        cls.Orderpoint = cls.env["stock.warehouse.orderpoint"]
        cls.buy_route = cls.env["stock.rule"].search([("action", "=", "buy")], limit=1).route_id
        cls.rule = cls.env["jxc.safety.stock.rule"].create({
            "name": "JXC goods", "categ_id": cls.category.id, "method": "fixed", "fixed_qty": 12.0,
            "history_days": 10, "review_days": 7,
        })

    def setUp(self):
        super().setUp()
        self._freeze_test_at(TODAY)

    def _orderpoint(self, warehouse):
        return self.Orderpoint.search([
            ("product_id", "=", self.widget.id), ("location_id", "=", warehouse.lot_stock_id.id),
        ])

    def _make_branch(self):
        branch = self.env["stock.warehouse"].create({
            "name": "JXC Branch", "code": "JXB", "resupply_wh_ids": [Command.set(self.warehouse.ids)],
        })
        route = branch.resupply_route_ids
        self.category.route_ids = [Command.link(route.id)]
        transit = self.company.internal_transit_location_id
        into_transit = route.rule_ids.filtered(lambda rule: rule.location_dest_id == transit)
        into_transit.write({"delay": 1, "procure_method": "make_to_order"})
        route.rule_ids.filtered(lambda rule: rule.location_dest_id == branch.lot_stock_id).delay = 2
        return branch, route

    def test_branch_bought_through_the_supplying_warehouse(self):
        """JXB's rules reach WH's Buy rule: the lead time is Odoo's lead days of that chain,
        2 + 1 + 5 + 1 = 9 days, and JXB's rule gets neither the vendor nor the Buy route, so that
        Odoo buys into WH and resupplies JXB from there."""
        branch, route = self._make_branch()
        rules = self.widget._get_rules_from_location(branch.lot_stock_id)
        self.assertEqual(rules.mapped("action"), ["pull", "pull", "buy"])
        self.assertEqual(rules[2].location_dest_id, self.warehouse.lot_stock_id)
        self.Orderpoint._jxc_update_orderpoints(self.company)
        branch_rule = self._orderpoint(branch)
        self.assertEqual(branch_rule.lead_days, 9.0)
        self.assertEqual((branch_rule.jxc_lead_time, branch_rule.jxc_lead_time_source), (9.0, "promised"))
        self.assertFalse(branch_rule.supplier_id)
        self.assertFalse(branch_rule.route_id)
        self.assertEqual(branch_rule.rule_ids.mapped("route_id")[:1], route)
        # WH buys for itself: its own Buy rule, 5 + 1 days
        main_rule = self._orderpoint(self.warehouse)
        self.assertEqual(main_rule.supplier_id.partner_id, self.vendor_a)
        self.assertEqual(main_rule.route_id, self.buy_route)
        self.assertEqual(main_rule.jxc_lead_time, 6.0)
        # Odoo's scheduler: a transfer of WH into transit and an RFQ delivered to WH's stock
        branch_rule.write({"product_min_qty": 12.0, "product_max_qty": 20.0})
        branch_rule._procure_orderpoint_confirm(company_id=self.company)
        line = self.env["purchase.order.line"].search([("product_id", "=", self.widget.id)])
        self.assertEqual(line.order_id.picking_type_id.warehouse_id, self.warehouse)

    def test_multiple_set_to_the_products_unit(self):
        """Vendor A sells packs of 6; the buyer set the rule's Multiple to Units: the order
        quantity (8 a review period) is rounded to whole units, not to packs: maximum 12 + 8 = 20
        (24 with packs of 6). Empty, the vendor's pack applies: 12 + 12 = 24."""
        pack_6 = self.env["uom.uom"].create({
            "name": "Pack of 6", "relative_factor": 6.0, "relative_uom_id": self.uom_unit.id,
        })
        self.widget.seller_ids.product_uom_id = pack_6
        engine = self.env["jxc.planning.engine"]
        plan = next(plan for plan in engine._get_plans(self.company) if plan["product"] == self.widget)
        self.assertEqual(plan["seller"].product_uom_id, pack_6)
        plan = {**plan, "safety_stock": 12.0, "forecast_lt": 0.0, "forecast_review": 8.0, "eoq": 0.0, "min_qty": 0.0}
        orderpoint = self.Orderpoint.create({
            "product_id": self.widget.id, "location_id": self.stock_location.id,
            "product_min_qty": 0.0, "product_max_qty": 0.0, "replenishment_uom_id": self.uom_unit.id,
        })
        vals = engine._prepare_orderpoint_vals(plan, orderpoint._jxc_get_multiple())
        self.assertEqual((vals["product_min_qty"], vals["product_max_qty"]), (12.0, 20.0))
        # Odoo's own rounding to that Multiple: none
        self.assertEqual(orderpoint._get_multiple_rounded_qty(8.0), 8.0)
        orderpoint.replenishment_uom_id = False
        vals = engine._prepare_orderpoint_vals(plan, orderpoint._jxc_get_multiple())
        self.assertEqual((vals["product_min_qty"], vals["product_max_qty"]), (12.0, 24.0))

    def test_multiple_set_to_a_measured_products_unit(self):
        """A product in kg with Multiple = kg: Odoo does not round its order, nor does the
        engine (to Odoo's precision, 0.01): 12 + 5.57 kg."""
        kg = self.env.ref("uom.product_uom_kgm")
        product = self.env["product.product"].create({
            **self._prepare_product_vals("JXC Flour", 2.0, 3.0, "JXC-KG"), "uom_id": kg.id})
        orderpoint = self.Orderpoint.create({
            "product_id": product.id, "location_id": self.stock_location.id,
            "product_min_qty": 0.0, "product_max_qty": 0.0, "replenishment_uom_id": kg.id,
        })
        self.assertEqual(orderpoint._get_multiple_rounded_qty(5.57), 5.57)
        engine = self.env["jxc.planning.engine"]
        plan = next(plan for plan in engine._get_plans(self.company) if plan["product"] == self.widget)
        plan = {**plan, "product": product, "seller": self.env["product.supplierinfo"], "safety_stock": 12.0,
                "forecast_lt": 0.0, "forecast_review": 5.57, "eoq": 0.0, "min_qty": 0.0}
        vals = engine._prepare_orderpoint_vals(plan, orderpoint._jxc_get_multiple())
        self.assertEqual((vals["product_min_qty"], vals["product_max_qty"]), (12.0, 17.57))
