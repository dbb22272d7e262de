"""The safety stock beside Odoo's inter-warehouse resupply (``resupply_wh_ids``).

WH buys from vendors; JXB (the branch) is resupplied from WH: its route "JXB: Supply Product
from WH" is on the product category, as Odoo documents it (a route of the products: Odoo
finds both halves of the resupply through it). Odoo's resupply is a delivery of WH into the
company's transit location (rule delay 1 day), then a receipt of JXB from it (rule delay 2
days): 3 days. WH, which the route does not reach, buys through its warehouse's Buy route.
Today is 30 June 2025, 12:00 in Shanghai; the rule covers 2 days of demand (method "days")
over a 10-day history [20 June, 30 June).

Widget history (WH has 100 on hand since 1 June):

=========  ==================================================================================
21 June    JXB replenished from WH (the Replenish button): 12 shipped into transit ...
22 June    ... received in JXB; WH delivers 10 to a customer
24 June    WH moves 3 straight into JXB's stock (an internal transfer)
25 June    JXB returns 2 of its receipt into transit, and WH takes them back (a return of its delivery)
26, 28     JXB delivers 6, then 4 to customers
=========  ==================================================================================

WH's demand: 10 sold + 12 + 3 sent - 2 back = 23 (2.3 a day); JXB's: its own customers' 10,
not what it received, over the 8 days since its first widgets came in on 22 June (1.25 a day:
it could sell none before). The company's customer demand is 10 + 10: the 13 units
transferred count at WH per warehouse only.
"""

from datetime import date
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import SQL

from ..tools.net_demand import net_demand_query
from .common import JxcCommon, run_migration
from .test_purchase_plan_trust import run_cron_as_odoo

TODAY = "2025-06-30 04:00:00"  # 12:00 in Shanghai


@tagged("post_install", "-at_install")
class TestPlanningResupply(JxcCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.horizon_days = 0
        cls.widget, cls.gadget = cls.product_1, cls.product_2
        cls.branch = cls.env["stock.warehouse"].create({
            "name": "JXC Branch", "code": "JXB", "resupply_wh_ids": [Command.set(cls.warehouse.ids)],
        })
        cls.resupply_route = cls.branch.resupply_route_ids
        cls.category.route_ids = [Command.link(cls.resupply_route.id)]
        cls.transit = cls.company.internal_transit_location_id
        cls.resupply_route.rule_ids.filtered(lambda rule: rule.location_dest_id == cls.transit).delay = 1
        cls.resupply_route.rule_ids.filtered(lambda rule: rule.location_dest_id == cls.branch.lot_stock_id).delay = 2
        cls.buy_route = cls.env["stock.rule"].search([("action", "=", "buy")], limit=1).route_id
        cls.rule = cls.env["jxc.safety.stock.rule"].create({
            "name": "JXC goods", "categ_id": cls.category.id, "method": "days", "cover_days": 2.0,
            "history_days": 10, "review_days": 7, "no_history_qty": 0.0,
        })
        with freeze_time("2025-06-01 02:00:00"):
            cls._set_on_hand(cls.widget, 100.0)
        with freeze_time("2025-06-21 02:00:00"):
            cls._replenish_branch(cls.widget, 12.0)
            delivery = cls._validate_picking(cls._open_picking(cls.warehouse.lot_stock_id, cls.transit))
        with freeze_time("2025-06-22 02:00:00"):
            receipt = cls._validate_picking(cls._open_picking(cls.transit, cls.branch.lot_stock_id))
            cls._deliver(cls._create_sale(cls.customer_a, [(cls.widget, 10.0, 25.0)]))
        with freeze_time("2025-06-24 02:00:00"):
            cls._validate_picking(cls.env["stock.picking"].create({
                "picking_type_id": cls.warehouse.int_type_id.id,
                "location_id": cls.warehouse.lot_stock_id.id, "location_dest_id": cls.branch.lot_stock_id.id,
                "move_ids": [Command.create({
                    "product_id": cls.widget.id, "product_uom_qty": 3.0,
                    "location_id": cls.warehouse.lot_stock_id.id, "location_dest_id": cls.branch.lot_stock_id.id,
                })],
            }))
        with freeze_time("2025-06-25 02:00:00"):
            cls._return_picking(receipt, {cls.widget: 2.0})
            cls._return_picking(delivery, {cls.widget: 2.0})
        for when, qty in (("2025-06-26 02:00:00", 6.0), ("2025-06-28 02:00:00", 4.0)):
            cls._sell(cls.customer_b, [(cls.widget, qty, 25.0)], when, warehouse=cls.branch)
        cls.Orderpoint = cls.env["stock.warehouse.orderpoint"]

    @classmethod
    def _replenish_branch(cls, product, qty):
        """The product's Replenish button: ``qty`` into JXB by its resupply route."""
        wizard = Form(cls.env["product.replenish"].with_context(default_product_id=product.id))
        wizard.warehouse_id = cls.branch
        wizard.route_id = cls.resupply_route
        wizard.quantity = qty
        wizard.save().launch_replenishment()

    @classmethod
    def _open_picking(cls, source, destination):
        return cls.env["stock.move"].search([
            ("product_id", "=", cls.widget.id), ("state", "not in", ("done", "cancel")),
            ("location_id", "=", source.id), ("location_dest_id", "=", destination.id),
        ]).picking_id

    def setUp(self):
        super().setUp()
        self._freeze_test_at(TODAY)

    def _compute(self):
        return self.Orderpoint._jxc_update_orderpoints(self.company)

    def _orderpoint(self, product, warehouse):
        return self.Orderpoint.search([
            ("product_id", "=", product.id), ("location_id", "=", warehouse.lot_stock_id.id),
        ])

    def _demand_by_warehouse(self, **kwargs):
        """{warehouse id: net demand of the widget} over its whole history."""
        return dict(self.env.execute_query(SQL(
            "SELECT d.warehouse_id, SUM(d.qty) FROM (%s) d WHERE d.product_id = %s GROUP BY d.warehouse_id",
            net_demand_query(self.env, self.company, **kwargs), self.widget.id,
        )))

    def test_resupplied_warehouse_gets_no_vendor(self):
        """JXB's rule: no vendor, no Buy route, Odoo's lead time of the resupply; WH's rule
        buys from the cheaper vendor A (5 days). Odoo then resupplies JXB from WH."""
        self._compute()
        branch_rule = self._orderpoint(self.widget, self.branch)
        self.assertFalse(branch_rule.supplier_id)
        self.assertFalse(branch_rule.route_id)
        self.assertNotIn("buy", branch_rule.rule_ids.mapped("action"))
        self.assertEqual(branch_rule.rule_ids.route_id, self.resupply_route)
        # Odoo's lead days of the rule (its rules' delays) are the engine's lead time
        self.assertEqual(branch_rule.lead_days, 3.0)
        self.assertEqual((branch_rule.jxc_lead_time, branch_rule.jxc_lead_time_source), (3.0, "route"))
        main_rule = self._orderpoint(self.widget, self.warehouse)
        self.assertEqual(main_rule.supplier_id.partner_id, self.vendor_a)
        self.assertEqual(main_rule.route_id, self.buy_route)
        self.assertEqual((main_rule.jxc_lead_time, main_rule.jxc_lead_time_source), (5.0, "promised"))
        # Odoo's scheduler replenishes JXB from WH: a delivery into transit, no RFQ
        branch_rule._procure_orderpoint_confirm(company_id=self.company)
        self.assertFalse(self.env["purchase.order.line"].search([("orderpoint_id", "=", branch_rule.id)]))
        self.assertTrue(self._open_picking(self.warehouse.lot_stock_id, self.transit))

    def _compute_buying_at_branch(self):
        """Compute while JXB buys (the category without its resupply route): JXB's widget rule
        gets vendor A and the Buy route, then the category resupplies JXB from WH again."""
        self.category.route_ids = [Command.unlink(self.resupply_route.id)]
        self._compute()
        branch_rule = self._orderpoint(self.widget, self.branch)
        self.assertEqual(branch_rule.supplier_id.partner_id, self.vendor_a)
        self.assertEqual((branch_rule.route_id, branch_rule.jxc_buy_route_auto), (self.buy_route, True))
        self.category.route_ids = [Command.link(self.resupply_route.id)]
        return branch_rule

    def _assert_resupplied(self, branch_rule):
        self.assertEqual((branch_rule.supplier_id, branch_rule.route_id), (branch_rule.supplier_id.browse(), self.buy_route.browse()))
        self.assertEqual(branch_rule.rule_ids.route_id, self.resupply_route)
        self.assertEqual(branch_rule.jxc_lead_time_source, "route")

    def test_rule_created_buying_loses_the_buy_route(self):
        """The vendor and the Buy route the safety stock gave JXB's rule while it bought go once
        Odoo's rules resupply JXB from WH."""
        branch_rule = self._compute_buying_at_branch()
        self._compute()
        self._assert_resupplied(branch_rule)
        self.assertFalse(branch_rule.jxc_buy_route_auto)

    def test_buy_route_of_an_earlier_version_is_the_engines(self):
        """A rule the safety stock gave the Buy route before the route was marked as its own:
        the upgrade marks it, and the route goes as above."""
        branch_rule = self._compute_buying_at_branch()
        branch_rule.jxc_buy_route_auto = False  # as stored before 19.0.1.7.0
        run_migration(self.env, "19.0.1.7.0")
        self.assertTrue(branch_rule.jxc_buy_route_auto)
        self._compute()
        self._assert_resupplied(branch_rule)

    def test_buy_route_a_buyer_chose_is_kept(self):
        """A buyer has JXB buy the widget itself: he picks a vendor on its rule (purchase_stock
        then sets the Buy route). The safety stock keeps that route, so JXB's rule buys (Odoo's
        buy rule of JXB), with the vendor the engine chooses and its promised 5 days."""
        self._compute()
        branch_rule = self._orderpoint(self.widget, self.branch)
        self.assertFalse(branch_rule.route_id)
        buyer = new_test_user(self.env, "jxc_branch_buyer", groups="stock.group_stock_manager,purchase.group_purchase_user")
        seller_b = self.widget.seller_ids.filtered(lambda line: line.partner_id == self.vendor_b)
        branch_rule.with_user(buyer).supplier_id = seller_b
        self.assertEqual((branch_rule.route_id, branch_rule.jxc_buy_route_auto), (self.buy_route, False))
        self._compute()
        self.assertEqual((branch_rule.route_id, branch_rule.jxc_buy_route_auto), (self.buy_route, False))
        self.assertEqual(branch_rule.supplier_id.partner_id, self.vendor_a)
        self.assertEqual((branch_rule.jxc_lead_time, branch_rule.jxc_lead_time_source), (5.0, "promised"))
        branch_rule.invalidate_recordset(["rule_ids"])
        self.assertEqual(branch_rule.rule_ids.filtered(lambda rule: rule.action == "buy").warehouse_id, self.branch)
        # the buyer's Buy route cannot be passed off as the engine's, to have it removed
        with self.assertRaises(AccessError):
            branch_rule.with_user(buyer).jxc_buy_route_auto = True

    def test_routes_resolve_as_odoo(self):
        """As Odoo's rules resolve it: the Buy route on the product itself comes before the
        category's resupply route, so JXB buys the gadget (vendor A, 5 days). With the resupply
        route among JXB's warehouse routes instead of the category's, JXB's widget rule still
        gets no vendor, and the delay of the one rule Odoo finds then (its receipt from transit)."""
        self.gadget.route_ids = [Command.set(self.buy_route.ids)]
        self._compute()
        self.assertEqual(self._orderpoint(self.gadget, self.branch).supplier_id.partner_id, self.vendor_a)
        self.assertEqual(self._orderpoint(self.gadget, self.branch).jxc_lead_time, 5.0)
        self.assertFalse(self._orderpoint(self.widget, self.branch).supplier_id)
        self.category.route_ids = [Command.unlink(self.resupply_route.id)]
        self.branch.route_ids = [Command.link(self.resupply_route.id)]
        self._compute()
        branch_rule = self._orderpoint(self.widget, self.branch)
        self.assertFalse(branch_rule.supplier_id)
        branch_rule.invalidate_recordset(["rule_ids", "lead_days"])  # Odoo's compute ignores the routes' changes
        self.assertEqual((branch_rule.lead_days, branch_rule.jxc_lead_time), (2.0, 2.0))
        self.assertTrue(self._orderpoint(self.widget, self.warehouse).supplier_id)

    def test_route_a_buyer_chose_on_the_rule(self):
        """The gadget buys at JXB (its own Buy route) until a buyer puts the resupply route on
        its JXB rule: Odoo then resupplies it from WH, and the engine keeps that route, gives
        no vendor and the route's 3 days."""
        self.gadget.route_ids = [Command.set(self.buy_route.ids)]
        self._compute()
        branch_rule = self._orderpoint(self.gadget, self.branch)
        self.assertTrue(branch_rule.supplier_id)
        branch_rule.write({"route_id": self.resupply_route.id, "supplier_id": False})
        self._compute()
        self.assertEqual((branch_rule.route_id, branch_rule.supplier_id), (self.resupply_route, branch_rule.supplier_id.browse()))
        self.assertEqual((branch_rule.jxc_lead_time, branch_rule.jxc_lead_time_source), (3.0, "route"))

    def test_supplying_warehouse_carries_the_transfers(self):
        """WH's demand: its customers' 10, the 12 + 3 it sent JXB less the 2 that came back;
        JXB's: its customers' 10 over the 8 days it has had widgets. Both rules size on that."""
        self._compute()
        main_rule = self._orderpoint(self.widget, self.warehouse)
        branch_rule = self._orderpoint(self.widget, self.branch)
        self.assertAlmostEqual(main_rule.jxc_demand_mean, 2.3)
        self.assertAlmostEqual(branch_rule.jxc_demand_mean, 1.25)
        self.assertAlmostEqual(main_rule.jxc_safety_stock, 4.6)
        self.assertAlmostEqual(branch_rule.jxc_safety_stock, 2.5)
        self.assertEqual(branch_rule.jxc_history_days, 10)

    def test_company_totals_count_each_unit_once(self):
        """The net demand of a company total (the ABC classification) is customer demand only:
        10 at WH, 10 at JXB; per warehouse, with the transfers, WH's is 23."""
        self.assertEqual(self._demand_by_warehouse(), {self.warehouse.id: 10.0, self.branch.id: 10.0})
        self.assertEqual(
            self._demand_by_warehouse(include_transfers=True), {self.warehouse.id: 23.0, self.branch.id: 10.0})

    def test_purchase_plan_leaves_out_the_resupplied_rule(self):
        """The purchase plan lists WH's rules, not JXB's: Create RFQs would buy for them."""
        self._compute()
        plan = self.env["jxc.purchase.plan"]._refresh(self.company)
        self.assertIn(self._orderpoint(self.widget, self.warehouse), plan.orderpoint_id)
        self.assertEqual(plan.warehouse_id, self.warehouse)

    def test_hourly_plan_refresh_leaves_the_resupplied_rule_alone(self):
        """JXB's rule has no plan line. Once the day's refresh has looked at it, the hours
        after it do not ask Odoo's routes about it again, until its product changes."""
        self._compute()
        branch_rule = self._orderpoint(self.widget, self.branch)
        cron = self.env.ref("jxc_addon.ir_cron_jxc_purchase_plan_refresh")
        run_cron_as_odoo(self, cron)
        Plan = type(self.env["jxc.purchase.plan"])
        self.assertFalse(self.env["jxc.purchase.plan"].search([("orderpoint_id", "=", branch_rule.id)]))
        asked = []
        filter_purchased = Plan._filter_purchased

        def spy_filter(plan, orderpoints, rules_of=None):
            asked.append(orderpoints)
            return filter_purchased(plan, orderpoints, rules_of)

        with patch.object(Plan, "_filter_purchased", spy_filter):
            run_cron_as_odoo(self, cron)
            self.assertEqual(asked, [self.Orderpoint])
            branch_rule.product_max_qty += 5.0  # a change of the widget: its rules are asked about
            run_cron_as_odoo(self, cron)
        self.assertEqual(asked[1], self._orderpoint(self.widget, self.warehouse) | branch_rule)

    def test_backtest_of_the_branch_next_to_what_really_happened(self):
        """JXB buys nothing: its replenishments are the resupplies from WH, received on 22 June
        (12, from transit) and 24 June (3, moved straight from WH's stock); the 2 it returned on
        25 June are none. Its year really had those 2 orders and 2 cycles, both served in full
        (not a year without receipts, 0 orders)."""
        self._compute()
        lines = self.env["jxc.policy.backtest"]._run(self.company)
        branch = lines.filtered(lambda line: line.product_id == self.widget and line.warehouse_id == self.branch)
        self.assertEqual((branch.actual_orders, branch.actual_cycles, branch.actual_csl), (2, 2, 100.0))

    def test_sales_shortage_at_the_branch(self):
        """10 widgets quoted at JXB, which holds 3 (12 received - 2 returned + 3 - 10 sold):
        short of 7 on 1 July. Odoo resupplies JXB from WH in 1 + 2 days, so the replenishment
        is expected on 3 July, not after vendor A's 5 days. A resupply already on its way is
        the replenishment: its receipt from transit, moved to 8 July, brings the 7."""
        order = self._create_sale(self.customer_a, [(self.widget, 10.0, 25.0)], confirm=False, warehouse=self.branch)
        order.commitment_date = "2025-07-01 04:00:00"
        # the to-do goes to the product's responsible, who runs the resupply, not the vendor's buyer
        self.company.jxc_shortage_notify_purchase = True
        self.vendor_a.buyer_id = self.jxc_manager
        # a stock keeper who reads every sales order (the to-do opens it)
        keeper = new_test_user(self.env, login="jxc_branch_keeper",
                               groups="stock.group_stock_user,sales_team.group_sale_salesman_all_leads")
        self.widget.responsible_id = keeper
        order.action_confirm()
        [[_line, needed, available, short, replenishment, _delivery]] = order._get_jxc_confirmed_shortages()[order]
        self.assertEqual((needed, available, short, replenishment), (10.0, 3.0, 7.0, date(2025, 7, 3)))
        replenish = order.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("jxc_addon.mail_activity_type_jxc_sale_replenish"))
        self.assertEqual(replenish.user_id, keeper)
        order.action_cancel()
        order.action_draft()
        self._replenish_branch(self.widget, 7.0)
        self._open_picking(self.transit, self.branch.lot_stock_id).move_ids.date = "2025-07-08 04:00:00"
        order.action_confirm()
        [[*_figures, replenishment, _delivery]] = order._get_jxc_confirmed_shortages()[order]
        self.assertEqual(replenishment, date(2025, 7, 8))
