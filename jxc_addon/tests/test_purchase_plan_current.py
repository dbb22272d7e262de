"""The purchase plan is current when it opens, on the fixtures of safety_common.py (today
30 June 2025): the lines of the products whose stock moves, RFQs, vendor prices or rules
changed since their refresh are refreshed first, the others are left as they are, and
the plan then equals a refresh of every line. A new day is the daily refresh's."""

from contextlib import contextmanager
from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import fields
from odoo.addons.jxc_addon.models import jxc_purchase_plan
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.sql_db import db_connect
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import SQL

from .safety_common import PurchasePlanCommon
from .test_purchase_plan_trust import run_cron_as_odoo


@tagged("post_install", "-at_install")
class TestPurchasePlanCurrent(PurchasePlanCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Change = cls.env["jxc.purchase.plan.change"]

    def _line(self, product):
        return self.Plan.search([("product_id", "=", product.id), ("company_id", "=", self.company.id)])

    def _open(self):
        action = self.Plan.with_user(self.jxc_user).action_open_plan()
        self.assertEqual((action["res_model"], action["xml_id"]), ("jxc.purchase.plan", "jxc_addon.jxc_purchase_plan_action"))

    def _rule_quantity(self, product):
        """What the rule orders now: Odoo's quantity to order, recomputed."""
        orderpoint = self._orderpoint(product)
        self.Plan._recompute_quantities_to_order(orderpoint)
        return orderpoint.qty_to_order

    def _cron_triggers(self):
        """How often the daily action was started outside its schedule."""
        return self.env["ir.cron.trigger"].search_count([
            ("cron_id", "=", self.env.ref("jxc_addon.ir_cron_jxc_purchase_plan_refresh").id),
        ])

    def _mark(self, line):
        """A figure no refresh writes: left on a line the opening does not refresh."""
        line.qty_on_hand = 999.0

    def test_cancelled_rfq_is_to_buy_again_when_the_plan_opens(self):
        self.Plan._refresh(self.company)
        self.assertEqual(self.Change.search_count([("company_id", "=", self.company.id)]), 0)
        line_1 = self._line(self.product_1)
        wanted = line_1.suggested_qty
        self.assertGreater(wanted, 0.0)
        action = line_1.with_user(self.jxc_user).action_create_rfq()
        order = self.env["purchase.order"].browse(action["domain"][0][2])
        self.assertEqual(line_1.suggested_qty, 0.0)
        order.button_cancel()
        self.assertEqual(line_1.suggested_qty, 0.0)  # stored: out of date until refreshed
        self._open()
        self.assertEqual(line_1.suggested_qty, wanted)
        self.assertEqual(line_1.suggested_qty, self._rule_quantity(self.product_1))
        self.assertEqual(self.Change.search_count([("company_id", "=", self.company.id)]), 0)

    def test_only_the_lines_of_changed_products_are_refreshed(self):
        self.Plan._refresh(self.company)
        line_1, line_3 = self._line(self.product_1), self._line(self.product_3)
        self.assertEqual(line_1.qty_on_hand, 10.0)
        self._mark(line_3)
        self._deliver(self._create_sale(self.customer_a, [(self.product_1, 4.0, 25.0)]))
        self.assertEqual(line_1.qty_on_hand, 10.0)
        self._open()
        self.assertEqual(line_1.qty_on_hand, 6.0)
        self.assertEqual(line_1.suggested_qty, self._rule_quantity(self.product_1))
        self.assertEqual(line_3.qty_on_hand, 999.0)
        # nothing changed since: opening again refreshes nothing
        self._mark(line_1)
        self._open()
        self.assertEqual(line_1.qty_on_hand, 999.0)

    def test_vendor_price_and_rule_changes_are_shown(self):
        self.Plan._refresh(self.company)
        line_1, line_3 = self._line(self.product_1), self._line(self.product_3)
        self.assertEqual(line_3.price_unit, 50.0)
        self._mark(line_1)
        self.product_3.seller_ids.price = 52.5
        self._open()
        self.assertEqual((line_3.price_unit, line_3.amount), (52.5, 52.5 * line_3.suggested_qty))
        self.assertEqual(line_1.qty_on_hand, 999.0)
        # a rule's maximum raised by hand: its line follows
        orderpoint = self._orderpoint(self.product_1)
        orderpoint.product_max_qty += 50.0
        self._open()
        self.assertEqual((line_1.qty_on_hand, line_1.max_qty), (10.0, orderpoint.product_max_qty))
        self.assertEqual(line_1.suggested_qty, self._rule_quantity(self.product_1))

    def test_refresh_forgets_what_it_saw_and_not_its_own_preview(self):
        """A buyer's vendor on a line is previewed on its rule in a savepoint rolled back: no
        change of the rule is left from it, so the next opening has nothing to refresh."""
        self.Plan._refresh(self.company)
        line_1 = self._line(self.product_1)
        line_1.with_user(self.jxc_user).vendor_id = self.vendor_a
        self.assertNotEqual(line_1.orderpoint_id.supplier_id.partner_id, self.vendor_a)
        self.Plan._refresh(self.company)
        self.assertEqual(self.Change._read(self.company), [])
        self._mark(line_1)
        self._open()
        self.assertEqual(line_1.qty_on_hand, 999.0)

    def _depot_route(self, **vals):
        """A route that resupplies the stock from a depot of the company: not a purchase."""
        depot = self.env["stock.location"].create({"name": "JXC Depot", "usage": "internal", "company_id": self.company.id})
        return self.env["stock.route"].create({"name": "JXC From Depot", **vals, "rule_ids": [Command.create({
            "name": "JXC Depot to Stock", "action": "pull", "procure_method": "make_to_stock",
            "location_src_id": depot.id, "location_dest_id": self.warehouse.lot_stock_id.id,
            "picking_type_id": self.warehouse.int_type_id.id, "company_id": self.company.id,
        })]})

    def test_rule_leaves_the_plan_when_it_stops_buying_and_comes_back(self):
        self.Plan._refresh(self.company)
        route = self._depot_route(product_selectable=True)
        orderpoint = self._orderpoint(self.product_1)
        orderpoint.route_id = route
        self._open()
        self.assertFalse(self._line(self.product_1))
        orderpoint.route_id = False
        self._open()
        self.assertEqual(self._line(self.product_1).suggested_qty, self._rule_quantity(self.product_1))
        # the product's own routes, Odoo's next choice after the rule's
        self.product_1.route_ids = route
        self._open()
        self.assertFalse(self._line(self.product_1))
        # the route's rule archived: the route no longer replenishes, Odoo buys again
        route.rule_ids.active = False
        self._open()
        self.assertEqual(self._line(self.product_1).suggested_qty, self._rule_quantity(self.product_1))

    def test_product_written_unchanged_notes_nothing(self):
        """An import writing a product's routes and category as they are changes no line."""
        route = self._depot_route(product_selectable=True)
        self.Plan._refresh(self.company)
        self.assertEqual(self.Change._read(self.company), [])
        template = self.product_1.product_tmpl_id
        template.write({"categ_id": template.categ_id.id, "route_ids": [Command.set(template.route_ids.ids)]})
        self.assertEqual(self.Change._read(self.company), [])
        template.write({"route_ids": [Command.link(route.id)]})
        self.assertEqual([product_id for _id, product_id in self.Change._read(self.company)], [self.product_1.id])

    def test_moved_records_note_both_sides_and_other_writes_look_once(self):
        """A vendor price given another product notes the old product and the new one; a rule's
        levels written (the safety stock writes thousands) keep its product: its pairs are
        looked up once, after the write."""
        self.Plan._refresh(self.company)
        seller = self.product_3.seller_ids
        seller.write({"product_tmpl_id": self.product_2.product_tmpl_id.id, "product_id": self.product_2.id})
        self.assertEqual(self._noted(), {self.product_2.id, self.product_3.id})
        self.Plan._refresh(self.company)
        self.assertEqual(self._noted(), set())
        Orderpoint = type(self.env["stock.warehouse.orderpoint"])
        lookups = []
        original = Orderpoint._get_jxc_plan_pairs

        def spy(records, fnames=None):
            lookups.append(fnames)
            return original(records, fnames)

        orderpoint = self._orderpoint(self.product_1)
        with patch.object(Orderpoint, "_get_jxc_plan_pairs", spy):
            orderpoint.product_max_qty += 5.0
        self.assertEqual((lookups, self._noted()), ([{"product_max_qty"}], {self.product_1.id}))
        self.Plan._refresh(self.company)
        lookups.clear()
        with patch.object(Orderpoint, "_get_jxc_plan_pairs", spy):
            orderpoint.product_id = self.product_4
        self.assertEqual((lookups, self._noted()), ([{"product_id"}] * 2, {self.product_1.id, self.product_4.id}))

    def test_rfq_moved_to_another_company_notes_the_company_it_leaves(self):
        """An RFQ of Gadgets counted in this company's plan is moved to another company: this
        company's plan reads the Gadget again (it no longer has the RFQ on order)."""
        other = self.env["res.company"].create({"name": "JXC Plan Other Co"})
        rfq = self._create_purchase(self.vendor_a, [(self.product_2, 3.0, 10.0)], confirm=False)
        self.Plan._refresh(self.company)
        self.assertEqual(self._noted(), set())
        receipts = self.env["stock.picking.type"].search([("company_id", "=", other.id), ("code", "=", "incoming")],
                                                         limit=1)
        rfq.write({"company_id": other.id, "picking_type_id": receipts.id})
        self.assertEqual(self._noted(), {self.product_2.id})

    def _noted(self):
        return {product_id for _id, product_id in self.Change._read(self.company)}

    def test_category_and_warehouse_routes_are_followed(self):
        """The routes of the product's category, then of the warehouse, decide when the rule and
        the product have none: changing them changes the plan of every product they reach."""
        self.Orderpoint.search([("company_id", "=", self.company.id)]).route_id = False
        route = self._depot_route(product_categ_selectable=True, warehouse_selectable=True, sequence=0)
        self.Plan._refresh(self.company)
        planned = self.Plan.search([("company_id", "=", self.company.id)]).product_id
        self.assertIn(self.product_1, planned)
        self.assertEqual(self._noted(), set())
        category = self.product_1.categ_id
        # a product of the category planned nowhere: not noted
        spare = self.env["product.product"].create(self._prepare_product_vals("JXC Spare", 1.0, 2.0, "JXC-SPARE"))
        in_category = self.env["product.product"].search([("categ_id", "child_of", category.id)])
        managed = self.Orderpoint.search([("jxc_rule_id", "!=", False)]).product_id
        self.assertIn(spare, in_category - managed)
        category.route_ids = route
        self.assertEqual(self._noted(), set((in_category & managed).ids))
        self._open()
        self.assertFalse(self.Plan.search([("product_id", "in", in_category.ids)]))
        self.assertEqual(self.Plan.search([("company_id", "=", self.company.id)]).product_id, planned - in_category)
        category.route_ids = False
        self._open()
        self.assertEqual(self.Plan.search([("company_id", "=", self.company.id)]).product_id, planned)
        # the warehouse's routes, by their sequence: the depot's first
        self.warehouse.route_ids |= route
        self.assertEqual(self._noted(), set(planned.ids))
        self._open()
        self.assertFalse(self.Plan.search([("company_id", "=", self.company.id)]))
        self.warehouse.route_ids -= route
        self._open()
        self.assertEqual(self.Plan.search([("company_id", "=", self.company.id)]).product_id, planned)
        figures = self._figures()
        self.Plan._refresh(self.company)
        self.assertEqual(self._figures(), figures)
        # renaming a warehouse renames its routes and rules: no line changes
        self.warehouse.name = "JXC Main Renamed"
        self.assertEqual(self._noted(), set())

    def test_cost_and_purchase_taxes_are_followed(self):
        """The plan values the stock above the maximum at the product's cost and prices its
        lines untaxed: a new cost (in this company) or other purchase taxes note the product,
        and the opened plan equals a full refresh."""
        self.Plan._refresh(self.company)
        self.assertEqual(self._noted(), set())
        self.product_1.with_company(self.company).standard_price = 50.0
        self.assertEqual(self._noted(), {self.product_1.id})
        self._open()
        self.assertEqual(self._noted(), set())
        tax = self.env["account.tax"].create({
            "name": "JXC VAT 13 % included", "amount": 13.0, "type_tax_use": "purchase", "price_include_override": "tax_included",
            "company_id": self.company.id})
        self.product_2.supplier_taxes_id = tax
        self.assertEqual(self._noted(), {self.product_2.id})
        self._open()
        figures = self._figures()
        self.Plan._refresh(self.company)
        self.assertEqual(self._figures(), figures)

    def test_new_records_and_unchanged_settings_note_nothing(self):
        self.Plan._refresh(self.company)
        vendor = self.env["res.partner"].create({"name": "JXC New Vendor", "is_company": True})
        self.env["product.category"].create({"name": "JXC New Category", "parent_id": self.product_1.categ_id.id})
        shelf = self.env["stock.location"].create({"name": "JXC Shelf", "location_id": self.warehouse.lot_stock_id.id})
        shelf.name = "JXC Shelf 1"
        form = Form(self.env["jxc.settings"].with_user(self.jxc_manager))
        form.jxc_dead_stock_days = 90  # the form sends every setting, this one changed
        form.save()
        self.assertEqual(self._noted(), set())
        form = Form(self.env["jxc.settings"].with_user(self.jxc_manager))
        form.jxc_overstock_days = 45
        form.save()
        planned = self.Plan.search([("company_id", "=", self.company.id)]).product_id
        self.assertEqual(self._noted(), set(planned.ids))
        self._open()
        self.assertEqual(self._noted(), set())
        vendor.with_company(self.company).jxc_supplier_grade = "a"  # no prices: no product
        self.assertEqual(self._noted(), set())

    def test_opened_plan_follows_lead_times_vendor_grades_and_deleted_vendors(self):
        self.Plan._refresh(self.company)
        # the company's purchase lead time: Odoo's lead days of every rule, the expected arrival
        self._assert_open_equals_full_refresh({
            self.product_1: lambda: self.company.write({"days_to_purchase": 4.0}),
        })
        self.assertEqual(self._line(self.product_3).expected_date, fields.Date.to_date("2025-06-30") + timedelta(
            days=self.product_3.seller_ids.delay + 4))
        # a vendor's grade ranks it among the product's vendors when the rule has none
        orderpoint = self._orderpoint(self.product_1)
        orderpoint.supplier_id = False
        self.Plan._refresh(self.company)
        line_1 = self._line(self.product_1)
        chosen, other = line_1.vendor_id, self.product_1.seller_ids.partner_id - line_1.vendor_id
        self.assertEqual(len(other), 1)
        self._assert_open_equals_full_refresh({self.product_1: lambda: (
            chosen.with_company(self.company).write({"jxc_supplier_grade": "d"}),
            other.with_company(self.company).write({"jxc_supplier_grade": "a"}),
        )})
        self.assertEqual(line_1.vendor_id, other)
        # the vendor archived: Odoo leaves its lines out, the other vendor is chosen again
        self._assert_open_equals_full_refresh({self.product_1: lambda: other.write({"active": False})})
        self.assertEqual(line_1.vendor_id, chosen)
        # a vendor deleted: its prices go with it in the database, and its lines go back to the others
        cheaper = self.env["res.partner"].create({"name": "JXC Cheaper Vendor"})
        cheaper.with_company(self.company).jxc_supplier_grade = "a"
        self.env["product.supplierinfo"].create({
            "partner_id": cheaper.id, "product_tmpl_id": self.product_3.product_tmpl_id.id, "price": 30.0,
        })
        self._orderpoint(self.product_3).supplier_id = False
        self.Plan._refresh(self.company)
        self.assertEqual(self._line(self.product_3).vendor_id, cheaper)
        self._assert_open_equals_full_refresh({self.product_3: cheaper.unlink})
        self.assertEqual(self._line(self.product_3).vendor_id, self.vendor_b)

    def test_merged_vendors_and_moved_locations_are_followed(self):
        """Odoo's contact merge moves the merged vendors' prices in SQL, then writes the kept
        vendor through the ORM (noted with its prices); a shelf moved out of the warehouse takes
        its stock out of what the warehouse's rules count."""
        twin = self.env["res.partner"].create({"name": "JXC Vendor B Twin", "is_company": True})
        twin.with_company(self.company).jxc_supplier_grade = "a"
        self.env["product.supplierinfo"].create({
            "partner_id": twin.id, "product_tmpl_id": self.product_3.product_tmpl_id.id, "price": 30.0,
        })
        self._orderpoint(self.product_3).supplier_id = False
        shelf = self.env["stock.location"].create({
            "name": "JXC Shelf", "location_id": self.warehouse.lot_stock_id.id, "company_id": self.company.id,
        })
        self.env["stock.quant"]._update_available_quantity(self.product_2, shelf, 5.0)
        outside = self.env["stock.location"].create({"name": "JXC Outside", "usage": "view", "company_id": self.company.id})
        self.Plan._refresh(self.company)
        line_2, line_3 = self._line(self.product_2), self._line(self.product_3)
        self.assertEqual((line_3.vendor_id, line_3.price_unit), (twin, 30.0))
        on_hand = line_2.qty_on_hand
        # the twin merged into vendor A (grade b): its price is A's now, and vendor B (grade a) wins
        Merge = self.env["base.partner.merge.automatic.wizard"]
        self._assert_open_equals_full_refresh({
            self.product_3: lambda: Merge._merge([twin.id, self.vendor_a.id], self.vendor_a),
        })
        self.assertFalse(twin.exists())
        self.assertEqual((line_3.vendor_id, line_3.price_unit), (self.vendor_b, 50.0))
        self._assert_open_equals_full_refresh({self.product_2: lambda: shelf.write({"location_id": outside.id})})
        self.assertEqual(line_2.qty_on_hand, on_hand - 5.0)

    def test_currency_rates_are_followed(self):
        """Vendor B prices Gizmos at 50.00 in a foreign currency: the plan's price is in the
        company's currency at today's rate, so a new rate of either currency changes it; a rate
        of a currency no price of the company is in notes nothing."""
        currency = self.company.currency_id
        foreign, other = self.env["res.currency"].with_context(active_test=False).search(
            [("name", "in", ["EUR", "USD", "GBP"]), ("id", "!=", currency.id)], order="name")[:2]
        (foreign | other).active = True
        Rate = self.env["res.currency.rate"]
        Rate.create({"name": "2025-01-01", "currency_id": foreign.id, "rate": 2.0, "company_id": self.company.id})
        self.product_3.seller_ids.currency_id = foreign
        self.Plan._refresh(self.company)
        line_3 = self._line(self.product_3)
        self.assertEqual(line_3.price_unit, 25.0)
        self._assert_open_equals_full_refresh({self.product_3: lambda: Rate.create(
            {"name": "2025-06-30", "currency_id": foreign.id, "rate": 4.0, "company_id": self.company.id})})
        self.assertEqual(line_3.price_unit, 12.5)
        # the company's own currency: 1 of it is worth half as much (50 / 4 x 2)
        self._assert_open_equals_full_refresh({self.product_3: lambda: Rate.create(
            {"name": "2025-06-30", "currency_id": currency.id, "rate": 2.0, "company_id": self.company.id})})
        self.assertEqual(line_3.price_unit, 25.0)
        # a rate corrected by hand
        rate = Rate.search([("currency_id", "=", foreign.id), ("name", "=", "2025-06-30")])
        self._assert_open_equals_full_refresh({self.product_3: lambda: rate.write({"rate": 5.0})})
        self.assertEqual(line_3.price_unit, 20.0)
        Rate.create({"name": "2025-06-30", "currency_id": other.id, "rate": 3.0, "company_id": self.company.id})
        self.assertEqual(self._noted(), set())

    def test_branch_follows_its_root_companys_rates(self):
        """A branch converts at its root company's rates (Odoo keeps them there): a new rate
        of the root notes the branch's prices in that currency too."""
        foreign = self.env["res.currency"].with_context(active_test=False).search(
            [("name", "in", ["EUR", "USD", "GBP"]), ("id", "!=", self.company.currency_id.id)], order="name", limit=1)
        foreign.active = True
        branch = self.env["res.company"].create({"name": "JXC Branch", "parent_id": self.company.id})
        self.env.user.company_ids |= branch
        self.product_3.seller_ids.write({"currency_id": foreign.id, "company_id": False})
        env = self.env(context=dict(self.env.context, allowed_company_ids=[branch.id]))
        env["jxc.safety.stock.rule"].create({
            "name": "Branch Gizmos", "product_id": self.product_3.id, "method": "fixed", "fixed_qty": 8.0,
            "history_days": 30, "review_days": 7,
        })
        env["stock.warehouse.orderpoint"]._jxc_update_orderpoints(branch)
        self.Plan.with_company(branch)._refresh(branch)
        self.assertTrue(self.Plan.search([("company_id", "=", branch.id), ("product_id", "=", self.product_3.id)]))
        self.Change.search([]).unlink()
        self.env["res.currency.rate"].create(
            {"name": "2025-06-30", "currency_id": foreign.id, "rate": 4.0, "company_id": self.company.id})
        self.env.flush_all()
        self.assertIn(self.product_3.id, {product_id for _id, product_id in self.Change._read(branch)})

    def test_grade_notes_its_own_company_only(self):
        """A grade is the company's: written in one company, it notes the vendor's products
        there only (its prices of that company, and those of no company), not those of its prices in
        another; archiving the vendor notes each price in its company."""
        other = self.env["res.company"].create({"name": "JXC Graded Elsewhere Co"})
        self.env["product.supplierinfo"].create({
            "partner_id": self.vendor_a.id, "product_tmpl_id": self.product_3.product_tmpl_id.id, "price": 45.0,
            "company_id": other.id,
        })
        here = {self.product_1.id, self.product_2.id, self.product_4.id}  # vendor A's prices in this company

        def noted():
            return {company: {product_id for _id, product_id in self.Change._read(company)} for company in (self.company, other)}

        def forget():
            self.Change._forget([change_id for company in (self.company, other) for change_id, _product in self.Change._read(company)])

        forget()
        self.vendor_a.with_company(self.company).write({"jxc_supplier_grade": "c"})
        self.assertEqual(noted(), {self.company: here, other: set()})
        forget()
        self.vendor_a.with_company(other).write({"jxc_supplier_grade": "a"})
        self.assertEqual(noted(), {self.company: set(), other: {self.product_3.id}})
        forget()
        self.vendor_a.write({"active": False})
        self.assertEqual(noted(), {self.company: here, other: {self.product_3.id}})

    PLAN_FIELDS = (
        "qty_on_hand", "qty_incoming", "qty_outgoing", "qty_position", "forecast_qty", "safety_stock",
        "reorder_point", "max_qty", "suggested_qty", "vendor_id", "price_unit", "expected_date", "amount",
        "next_receipt_date", "stockout_date", "is_stockout_risk", "is_urgent", "is_below_safety", "is_overstock",
        "overstock_value",
    )

    def _figures(self):
        self.env.invalidate_all()
        lines = self.Plan.search([("company_id", "=", self.company.id)])
        return {line.product_id: line.read(list(self.PLAN_FIELDS))[0] for line in lines}

    def _assert_open_equals_full_refresh(self, events):
        """Run ``events`` {product: change}, each touching only its product, then open the plan:
        the line of each changed, and the plan equals what a refresh of every line gives."""
        before = self._figures()
        for event in events.values():
            event()
        self._open()
        opened = self._figures()
        self.assertEqual(set(opened), set(before))
        for product in events:
            with self.subTest(product=product.display_name):
                self.assertNotEqual(opened[product], before[product])
        self.Plan._refresh(self.company)
        self.assertEqual(self._figures(), opened)

    def test_opened_plan_equals_a_full_refresh_after_a_day_of_work(self):
        """Whatever happened since the last refresh (each kind of change on a product of its
        own, so that none hides another), the opened plan equals a refresh of every line."""
        self.Plan._refresh(self.company)
        seller_4 = self.product_4.seller_ids
        action = self._line(self.product_3).with_user(self.jxc_user).action_create_rfq()
        plan_rfq = self.env["purchase.order"].browse(action["domain"][0][2])
        self._assert_open_equals_full_refresh({
            self.product_1: lambda: self._deliver(self._create_sale(self.customer_a, [(self.product_1, 3.0, 25.0)])),
            self.product_2: lambda: self._orderpoint(self.product_2).write({"product_max_qty": 40.0}),
            self.product_3: plan_rfq.button_cancel,
            self.product_4: lambda: seller_4.write({"price": 18.0}),
        })
        rfq = self._create_purchase(self.vendor_a, [(self.product_4, 5.0, 20.0)], confirm=False)
        self.Plan._refresh(self.company)
        self._assert_open_equals_full_refresh({
            self.product_1: lambda: self._create_sale(self.customer_b, [(self.product_1, 4.0, 25.0)]),
            self.product_2: lambda: self._buy(self.vendor_a, [(self.product_2, 12.0, 4.0)], "2025-06-30 03:00:00"),
            self.product_3: lambda: self._create_purchase(self.vendor_b, [(self.product_3, 7.0, 50.0)], confirm=False),
            self.product_4: lambda: rfq.order_line.write({"product_qty": 9.0}),
        })

    def test_a_new_day_is_the_daily_refresh(self):
        """The opening refreshes what changed, whatever the plan's size; the passing of a day
        is the daily action's, which refreshes every line not refreshed that day."""
        self.Plan._refresh(self.company)
        line_3 = self._line(self.product_3)
        self._mark(line_3)
        # 1 July, 08:00 in Shanghai
        with freeze_time("2025-07-01 00:00:00"):
            self._open()
            self.assertEqual(line_3.qty_on_hand, 999.0)
            self.Plan._cron_refresh()
        self.assertEqual(line_3.qty_on_hand, 0.0)

    def _stored_changes(self):
        return dict(self.env.execute_query(SQL(
            "SELECT product_id, count(*) FROM jxc_purchase_plan_change WHERE company_id = %s GROUP BY product_id",
            self.company.id,
        )))

    def test_changes_are_stored_with_their_transaction(self):
        """A change is stored when its transaction commits (what the commit runs first:
        ``cr.flush``), not with a change rolled back; the daily action forgets them."""
        self.Plan._refresh(self.company)
        self._deliver(self._create_sale(self.customer_a, [(self.product_1, 3.0, 25.0)]))
        with self.assertRaises(ZeroDivisionError), self.env.cr.savepoint():
            self._orderpoint(self.product_3).product_max_qty += 5.0
            _ = 1 / 0
        self.env.cr.flush()
        self.assertEqual(set(self._stored_changes()), {self.product_1.id})
        self.Plan._cron_refresh()
        self.assertEqual(self._stored_changes(), {})

    def test_many_changes_are_left_to_the_daily_action(self):
        """More changed lines than an opening refreshes: the plan opens as it is, says so, and
        the daily action runs now; it refreshes them."""
        self.Plan._refresh(self.company)
        self._deliver(self._create_sale(self.customer_a, [(self.product_1, 4.0, 25.0), (self.product_2, 1.0, 9.0)]))
        cron = self.env.ref("jxc_addon.ir_cron_jxc_purchase_plan_refresh")
        triggers = self._cron_triggers()
        with patch.object(jxc_purchase_plan, "REFRESH_ON_OPEN", 1):
            action = self.Plan.with_user(self.jxc_user).action_open_plan()
        self.assertEqual(action["tag"], "display_notification")
        self.assertIn("being refreshed in the background", action["params"]["message"])
        self.assertEqual(action["params"]["next"]["xml_id"], "jxc_addon.jxc_purchase_plan_action")
        self.assertEqual(self._line(self.product_1).qty_on_hand, 10.0)
        self.assertEqual(self._cron_triggers(), triggers + 1)
        # the daily action, run by Odoo's cron runner, on a day its lines and digests are done
        self.env["jxc.stock.warning.digest"]._mark_digests_sent(self.company)
        run_cron_as_odoo(self, cron)
        self.assertEqual(self._line(self.product_1).qty_on_hand, 6.0)
        self.assertEqual(self._stored_changes(), {})

    def test_hours_after_the_daily_refresh_look_at_their_rules_only(self):
        """Once the day's lines and digests are done, the hourly calls ask Odoo's routes about
        the rules without a line refreshed today and those of changed products, not about
        every rule: with nothing to do they do nothing; a line left stale (its batch failed)
        and a changed product are refreshed, and nothing else."""
        cron = self.env.ref("jxc_addon.ir_cron_jxc_purchase_plan_refresh")
        run_cron_as_odoo(self, cron)
        self.assertTrue(self.env["jxc.stock.warning.digest"]._are_digests_sent(self.company))
        Plan = type(self.Plan)
        asked, refreshed = [], []
        filter_purchased, refresh = Plan._filter_purchased, Plan._refresh

        def spy_filter(plan, orderpoints, rules_of=None):
            asked.append(orderpoints.product_id)
            return filter_purchased(plan, orderpoints, rules_of)

        def spy_refresh(plan, company, orderpoints=None, **kwargs):
            refreshed.append(orderpoints.product_id if orderpoints is not None else None)
            return refresh(plan, company, orderpoints, **kwargs)

        with patch.object(Plan, "_filter_purchased", spy_filter), patch.object(Plan, "_refresh", spy_refresh):
            run_cron_as_odoo(self, cron)
            self.assertEqual((asked, refreshed), ([self.env["product.product"]], []))
            line_1, line_3 = self._line(self.product_1), self._line(self.product_3)
            line_1.refreshed_on = fields.Datetime.now() - timedelta(days=1)
            self._mark(line_1)
            self._mark(line_3)
            self._orderpoint(self.product_2).product_max_qty += 5.0
            run_cron_as_odoo(self, cron)
        self.assertEqual(asked[1], self.product_1 | self.product_2)
        self.assertEqual((line_1.qty_on_hand, line_3.qty_on_hand), (10.0, 999.0))
        self.assertEqual(self._line(self.product_2).max_qty, self._orderpoint(self.product_2).product_max_qty)
        self.assertNotIn(self.product_3, self.env["product.product"].concat(*[p for p in refreshed if p]))

    @contextmanager
    def _failing_refresh(self, product):
        """Refreshes of one rule at a time, failing on ``product``'s."""
        refresh = type(self.Plan)._refresh

        def failing(plan, company, orderpoints=None, **kwargs):
            if orderpoints is not None and product in orderpoints.product_id:
                raise ValueError("broken data")
            return refresh(plan, company, orderpoints, **kwargs)

        with patch.object(jxc_purchase_plan, "REFRESH_BATCH", 1), patch.object(type(self.Plan), "_refresh", failing):
            yield

    def test_a_rule_whose_first_refresh_failed_is_tried_again_as_changed(self):
        """A batch of the day's refresh fails on product 3, which has no line yet: its product
        is noted as changed, so the next hour (which leaves rules without a line alone once
        the day is done) and an opening of the plan try it again."""
        self.Plan._refresh(self.company)
        self._line(self.product_3).unlink()
        self.env.cr.flush()
        self.assertEqual(self._stored_changes(), {})
        with self._failing_refresh(self.product_3), \
                self.assertLogs("odoo.addons.jxc_addon.models.jxc_purchase_plan", "ERROR"):
            self.Plan._cron_refresh()
        self.assertTrue(self.env["jxc.stock.warning.digest"]._are_digests_sent(self.company))
        self.assertFalse(self._line(self.product_3))
        self.assertTrue(self._line(self.product_1))
        self.env.cr.flush()
        self.assertEqual(set(self._stored_changes()), {self.product_3.id})
        run_cron_as_odoo(self, self.env.ref("jxc_addon.ir_cron_jxc_purchase_plan_refresh"))
        self.assertEqual(self._line(self.product_3).suggested_qty, self._rule_quantity(self.product_3))
        self.assertEqual(self._stored_changes(), {})

    def test_opening_waits_for_no_other_refresh_and_survives_an_error(self):
        self.Plan._refresh(self.company)
        self._deliver(self._create_sale(self.customer_a, [(self.product_1, 4.0, 25.0)]))
        # another session (a real second connection) refreshing this company's changes
        with db_connect(self.env.cr.dbname).cursor() as other:
            other.execute("SELECT pg_advisory_xact_lock(%s, %s)", (jxc_purchase_plan.CHANGES_LOCK, self.company.id))
            self.assertFalse(self.Plan._refresh_changed(self.company))
            other.rollback()
        self.assertEqual(self._line(self.product_1).qty_on_hand, 10.0)
        Plan = type(self.Plan)
        triggers = self._cron_triggers()
        with patch.object(Plan, "_refresh", side_effect=ValueError("broken data")), \
                self.assertLogs("odoo.addons.jxc_addon.models.jxc_purchase_plan", "ERROR"):
            action = self.Plan.with_user(self.jxc_user).action_open_plan()
        self.assertEqual(action["params"]["next"]["xml_id"], "jxc_addon.jxc_purchase_plan_action")
        # "being refreshed in the background": the daily action, started now, tries again
        self.assertEqual(self._cron_triggers(), triggers + 1)
        self._open()
        self.assertEqual(self._line(self.product_1).qty_on_hand, 6.0)

    def test_refresh_button_while_another_refresh_runs(self):
        """Refresh pressed while another session refreshes the company's plan: a clear refusal,
        not the database's "one purchase plan line" of two refreshes creating the same lines."""
        with db_connect(self.env.cr.dbname).cursor() as other:
            other.execute("SELECT pg_advisory_xact_lock(%s, %s)", (jxc_purchase_plan.CHANGES_LOCK, self.company.id))
            with self.assertRaisesRegex(UserError, "is being refreshed by another user or the scheduled action"):
                self.Plan.with_user(self.jxc_user).action_refresh()
            other.rollback()
        self.assertFalse(self._line(self.product_1))
        self.Plan.with_user(self.jxc_user).action_refresh()
        self.assertTrue(self._line(self.product_1))

    @contextmanager
    def _refreshed_elsewhere(self):
        """Another session (a real second connection) holding the company's plan refreshes."""
        with db_connect(self.env.cr.dbname).cursor() as other:
            other.execute("SELECT pg_advisory_xact_lock(%s, %s)", (jxc_purchase_plan.CHANGES_LOCK, self.company.id))
            yield
            other.rollback()

    def test_daily_refresh_leaves_a_plan_another_session_refreshes(self):
        """The daily refresh does not write the lines a buyer's Refresh is writing (two would
        clash on every line): the company's rules and digests wait for the next run."""
        with self._refreshed_elsewhere():
            self.Plan._cron_refresh()
        self.assertFalse(self._line(self.product_1))
        self.assertFalse(self.env["jxc.stock.warning.digest"]._are_digests_sent(self.company))
        self.Plan._cron_refresh()
        self.assertEqual(self._line(self.product_1).suggested_qty, self._rule_quantity(self.product_1))
        self.assertTrue(self.env["jxc.stock.warning.digest"]._are_digests_sent(self.company))

    def test_safety_stock_update_waits_for_no_other_refresh(self):
        orderpoint = self._orderpoint(self.product_4)
        minimum = orderpoint.product_min_qty
        self.rule_product_4.fixed_qty = 12.0
        with self._refreshed_elsewhere():
            # the button: refused before any rule is written
            with self.assertRaisesRegex(UserError, "is being refreshed by another user or the scheduled action"):
                self.rule_product_4.with_user(self.jxc_manager).action_compute_reordering_rules()
            self.assertEqual(orderpoint.product_min_qty, minimum)
            # the weekly action: the rules are written, the plan left to its next refresh
            with self.assertLogs("odoo.addons.jxc_addon.models.jxc_planning_engine", "WARNING") as logs:
                self.env["jxc.planning.engine"]._cron_update_orderpoints()
            self.assertIn("not refreshed after the safety-stock update: another session is refreshing it", logs.output[0])
        self.assertEqual(orderpoint.product_min_qty, minimum + 4.0)
        self.assertFalse(self._line(self.product_4))
        self.assertIn(self.product_4.id, self._stored_changes())

    def test_a_failing_product_leaves_the_others_refreshed(self):
        self.Plan._refresh(self.company)
        self._deliver(self._create_sale(self.customer_a, [(self.product_1, 4.0, 25.0), (self.product_2, 1.0, 9.0)]))
        triggers = self._cron_triggers()
        with self._failing_refresh(self.product_2), \
                self.assertLogs("odoo.addons.jxc_addon.models.jxc_purchase_plan", "ERROR"):
            # as the daily action calls it: it does not start itself again for a failing product
            self.assertFalse(self.Plan._refresh_changed(self.company))
            self.assertEqual(self._cron_triggers(), triggers)
            # an opening starts it, as its notice says
            action = self.Plan.with_user(self.jxc_user).action_open_plan()
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(self._cron_triggers(), triggers + 1)
        self.assertEqual((self._line(self.product_1).qty_on_hand, self._line(self.product_2).qty_on_hand), (6.0, 16.0))
        self.env.cr.flush()
        self.assertEqual(set(self._stored_changes()), {self.product_2.id})
        self._open()
        self.assertEqual(self._line(self.product_2).qty_on_hand, 15.0)
        self.assertEqual(self._line(self.product_2).suggested_qty, self._rule_quantity(self.product_2))
        self.assertEqual(self._stored_changes(), {})

    def _warning_notes(self):
        """The notes of the dashboard's stock-warning tiles."""
        kpis = self.Plan._get_jxc_dashboard_kpis(self.company, None, None)
        return {kpi["key"]: kpi["note"] for kpi in kpis}

    def test_warnings_open_current_and_only_for_inventory_control(self):
        self.Plan._refresh(self.company)
        keys = ("jxc_below_safety_stock", "jxc_projected_stockouts", "jxc_overstock_value")
        self.assertEqual(self._warning_notes(), dict.fromkeys(keys, False))
        self._deliver(self._create_sale(self.customer_a, [(self.product_1, 4.0, 25.0)]))
        self.product_2.standard_price = 5.0  # its overstock is valued at its cost: changed too
        self.product_2.description_purchase = "Packed by 10"  # a change that moves no plan figure
        # the dashboard reads: its tiles say the plan is behind rather than refresh it
        note = ("Products changed since the last refresh: 2. Open the purchase plan or the stock warnings to bring "
                "these figures up to date.")
        self.assertEqual(self._warning_notes(), dict.fromkeys(keys, note))
        self.assertEqual(self._line(self.product_1).qty_on_hand, 10.0)
        action = self.Plan.with_user(self.jxc_user).action_open_warnings()
        self.assertEqual(action["xml_id"], "jxc_addon.jxc_purchase_plan_action_warnings")
        self.assertEqual(self._line(self.product_1).qty_on_hand, 6.0)
        self.assertEqual(self._warning_notes(), dict.fromkeys(keys, False))
        clerk = new_test_user(self.env, login="jxc_current_clerk", groups="base.group_user",
                              company_id=self.company.id, company_ids=[self.company.id])
        with self.assertRaisesRegex(AccessError, "Only inventory control users can open the purchase plan"):
            self.Plan.with_user(clerk).action_open_plan()

    def _open_tile(self, tile, user, **context):
        """What a click on the dashboard's ``tile`` runs: its server action, with its context."""
        action = tile["action"]
        self.assertEqual(action["type"], "ir.actions.server")
        server_action = self.env["ir.actions.server"].browse(action["id"]).with_user(user)
        return server_action.with_context(**{**action["context"], **context}).run()

    def test_warning_tiles_open_their_lines_current(self):
        """A tile counts the lines as last refreshed; its list is refreshed first, then shows
        the company's lines of the tile's warning as they are now."""
        self.Plan._refresh(self.company)
        self.assertEqual(self.Plan._get_warning_domain(self.company, "is_below_safety"),
                         [("company_id", "=", self.company.id), ("is_below_safety", "=", True)])
        tiles = {kpi["key"]: kpi for kpi in self.Plan._get_jxc_dashboard_kpis(self.company, None, None)}
        below = tiles["jxc_below_safety_stock"]
        self.assertEqual(below["value"], 2.0)  # products 1 and 3
        self.assertEqual(self.Plan.search(self.Plan._get_warning_domain(self.company, "is_below_safety")).product_id,
                         self.product_1 | self.product_3)
        self._set_on_hand(self.product_3, 50.0)  # well above its safety stock of 5
        self.assertTrue(self._line(self.product_3).is_below_safety)  # stored: as last refreshed
        action = self._open_tile(below, self.jxc_user)
        self.assertEqual((action["res_model"], action["name"], action["display_name"]),
                         ("jxc.purchase.plan", "Below Safety Stock", "Below Safety Stock"))
        self.assertEqual(action["domain"], [("company_id", "=", self.company.id), ("is_below_safety", "=", True)])
        self.assertFalse(self._line(self.product_3).is_below_safety)
        self.assertEqual(self.Plan.with_user(self.jxc_user).search(action["domain"]).product_id, self.product_1)
        tiles = {kpi["key"]: kpi for kpi in self.Plan._get_jxc_dashboard_kpis(self.company, None, None)}
        self.assertEqual((tiles["jxc_below_safety_stock"]["value"], tiles["jxc_below_safety_stock"]["note"]), (1.0, False))
        for key, tile in tiles.items():
            action = self._open_tile(tile, self.jxc_user)
            lines = self.Plan.with_user(self.jxc_user).search(action["domain"])
            value = sum(lines.mapped("overstock_value")) if tile["type"] == "monetary" else len(lines)
            self.assertEqual(value, tile["value"], key)
        # a context names a filter, never a company the user has not selected: the whole warnings list
        other = self.env["res.company"].create({"name": "JXC Tile Other Company"})
        action = self._open_tile(below, self.jxc_user, jxc_warning_company_id=other.id)
        self.assertEqual(action["xml_id"], "jxc_addon.jxc_purchase_plan_action_warnings")
        self.assertEqual(action["name"], "Stock Warnings")
