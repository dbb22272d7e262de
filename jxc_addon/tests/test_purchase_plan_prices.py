"""Vendor prices as Odoo reads them (issue 14, item 6): a vendor line's price is in its own
currency and purchase unit, valid between its dates, and a quantity break is not a minimum.
The purchase plan and the EOQ take the line Odoo's ``_select_seller`` picks for the
quantity and date, converted into the product's unit and the company currency.

Today is 30 June 2025. Each test uses a fresh product of its own with a fixed safety stock
rule (no history: minimum = maximum = the fixed quantity, nothing on hand).
"""

from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import tagged

from .common import JxcCommon

TODAY = "2025-06-30 04:00:00"


@tagged("post_install", "-at_install")
class TestPurchasePlanVendorPrices(JxcCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Orderpoint = cls.env["stock.warehouse.orderpoint"]
        cls.Plan = cls.env["jxc.purchase.plan"]
        cls.uom_dozen = cls.env.ref("uom.product_uom_dozen")

    def setUp(self):
        super().setUp()
        self._freeze_test_at(TODAY)

    def _product(self, name, fixed_qty, sellers, company=None):
        company = company or self.company
        product = self.env["product.product"].create({
            **self._prepare_product_vals(name, 9.0, 20.0, name.upper().replace(" ", "-")),
            "seller_ids": [Command.create({"company_id": company.id, **vals}) for vals in sellers],
        })
        self.env["jxc.safety.stock.rule"].create({
            "name": name, "product_id": product.id, "method": "fixed", "fixed_qty": fixed_qty,
            "company_id": company.id,
        })
        return product

    def _plan_line(self, product, company=None):
        company = company or self.company
        self.Orderpoint.with_company(company)._jxc_update_orderpoints(company)
        plan = self.Plan.with_company(company)._refresh(company)
        return plan.filtered(lambda line: line.product_id == product)

    def test_quantity_break_is_not_a_minimum(self):
        product = self._product("JXC Break", 49.0, [
            {"partner_id": self.vendor_a.id, "min_qty": 0.0, "price": 10.0, "delay": 2},
            {"partner_id": self.vendor_a.id, "min_qty": 500.0, "price": 8.0, "delay": 2},
        ])
        line = self._plan_line(product)
        orderpoint = line.orderpoint_id
        # Odoo's line for 49 is the one without minimum: 49 at 10, not 500 at 8.
        self.assertEqual((orderpoint.product_min_qty, orderpoint.product_max_qty), (49.0, 49.0))
        self.assertEqual((orderpoint.supplier_id.min_qty, orderpoint.supplier_id.price), (0.0, 10.0))
        self.assertEqual((line.suggested_qty, line.price_unit, line.amount), (49.0, 10.0, 490.0))
        line.with_user(self.jxc_user).action_create_rfq()
        po_line = self.env["purchase.order.line"].search([("product_id", "=", product.id)])
        self.assertEqual((po_line.product_qty, po_line.price_unit), (49.0, 10.0))

    def test_quantity_break_per_warehouse(self):
        """One product, two warehouses, on either side of the vendor's break: each warehouse's
        plan line takes the line Odoo picks for its own quantity (the choice is asked once per
        product and vendor only when every vendor has a single line)."""
        product = self._product("JXC Break Two", 49.0, [
            {"partner_id": self.vendor_a.id, "min_qty": 0.0, "price": 10.0, "delay": 2},
            {"partner_id": self.vendor_a.id, "min_qty": 500.0, "price": 8.0, "delay": 2},
        ])
        second = self.env["stock.warehouse"].create({"name": "JXC Second", "code": "JXC2", "company_id": self.company.id})
        self.env["jxc.safety.stock.rule"].create({
            "name": "JXC Break Two, second warehouse", "product_id": product.id, "warehouse_id": second.id,
            "method": "fixed", "fixed_qty": 600.0, "company_id": self.company.id,
        })
        self.Orderpoint._jxc_update_orderpoints(self.company)
        lines = self.Plan._refresh(self.company).filtered(lambda line: line.product_id == product)
        by_warehouse = {line.warehouse_id: line for line in lines}
        self.assertEqual(set(by_warehouse), {self.warehouse, second})
        first_line, second_line = by_warehouse[self.warehouse], by_warehouse[second]
        self.assertEqual((first_line.suggested_qty, first_line.price_unit), (49.0, 10.0))
        self.assertEqual((second_line.suggested_qty, second_line.price_unit), (600.0, 8.0))

    def test_contact_buys_at_its_company_break(self):
        """Odoo's ``_select_seller`` for a vendor's contact also takes the lines of its
        company: the contact's line and the company's break are two lines of one vendor, so
        the choice depends on the quantity, asked in any order, as Odoo's own choice."""
        contact = self.env["res.partner"].create({"name": "JXC Vendor A, buyer desk", "parent_id": self.vendor_a.id})
        product = self._product("JXC Contact Break", 10.0, [
            {"partner_id": contact.id, "min_qty": 0.0, "price": 10.0, "delay": 2},
            {"partner_id": self.vendor_a.id, "min_qty": 50.0, "price": 7.0, "delay": 2},
        ])
        choose = self.env["jxc.planning.engine"]._vendor_line_chooser(self.company, fields.Date.today())
        small, large = choose(product, contact, 5.0), choose(product, contact, 60.0)
        self.assertEqual((small.partner_id, small.price), (contact, 10.0))
        self.assertEqual((large.partner_id, large.price), (self.vendor_a, 7.0))
        self.assertEqual(large, product._select_seller(
            partner_id=contact, quantity=60.0, date=fields.Date.today(), uom_id=product.uom_id,
        ))

    def test_plan_proposes_the_vendor_the_update_chose(self):
        """The button computes the rules and refreshes the plan with one vendor choice: the
        plan line proposes the rule's vendor at the price of its line, the better grade first."""
        self.vendor_b.with_company(self.company).jxc_supplier_grade = "a"
        self.vendor_a.with_company(self.company).jxc_supplier_grade = "c"
        product = self._product("JXC Graded", 10.0, [
            {"partner_id": self.vendor_a.id, "price": 6.0, "delay": 2},
            {"partner_id": self.vendor_b.id, "price": 9.0, "delay": 4},
        ])
        rule = self.env["jxc.safety.stock.rule"].search([("product_id", "=", product.id)])
        rule.with_user(self.jxc_manager).action_compute_reordering_rules()
        line = self.Plan.search([("product_id", "=", product.id)])
        self.assertEqual(line.orderpoint_id.supplier_id.partner_id, self.vendor_b)
        self.assertEqual((line.vendor_id, line.price_unit, line.amount), (self.vendor_b, 9.0, 90.0))
        self.assertEqual(line.expected_date, fields.Date.today() + timedelta(days=4))

    def test_contact_line_ranks_by_its_company_grade(self):
        """The evaluation grades the vendor company: a line recorded on its contact ranks with
        that grade, before a cheaper vendor graded lower."""
        self.vendor_b.with_company(self.company).jxc_supplier_grade = "a"
        self.vendor_a.with_company(self.company).jxc_supplier_grade = "c"
        contact = self.env["res.partner"].create({"name": "JXC Vendor B, sales desk", "parent_id": self.vendor_b.id})
        product = self._product("JXC Graded Contact", 10.0, [
            {"partner_id": self.vendor_a.id, "price": 6.0, "delay": 2},
            {"partner_id": contact.id, "price": 9.0, "delay": 4},
        ])
        best = self.env["jxc.planning.engine"]._get_best_seller(product, self.company, 10.0)
        self.assertEqual((best.partner_id, best.price), (contact, 9.0))
        line = self._plan_line(product)
        self.assertEqual((line.vendor_id, line.vendor_grade), (contact, "a"))

    def test_vendor_at_risk_comes_after_the_others(self):
        """Vendor B, graded A, is at risk (its on-time rate) where the company blocks such orders:
        the cheaper C-graded vendor A is chosen, whose RFQ the buyer can confirm. With the
        company doing nothing about risk, the grade decides again; B is still chosen where it
        alone sells the product."""
        self.company.jxc_supplier_risk_action = "block"
        self.vendor_b.with_company(self.company).write({"jxc_supplier_grade": "a", "jxc_supplier_risk": True})
        self.vendor_a.with_company(self.company).jxc_supplier_grade = "c"
        product = self._product("JXC Risky", 10.0, [
            {"partner_id": self.vendor_a.id, "price": 9.0, "delay": 2},
            {"partner_id": self.vendor_b.id, "price": 6.0, "delay": 4},
        ])
        Engine = self.env["jxc.planning.engine"]
        self.assertEqual(Engine._get_best_seller(product, self.company, 10.0).partner_id, self.vendor_a)
        self.company.jxc_supplier_risk_action = "none"
        self.assertEqual(Engine._get_best_seller(product, self.company, 10.0).partner_id, self.vendor_b)
        self.company.jxc_supplier_risk_action = "block"
        alone = self._product("JXC Risky Alone", 10.0, [{"partner_id": self.vendor_b.id, "price": 6.0, "delay": 4}])
        self.assertEqual(Engine._get_best_seller(alone, self.company, 10.0).partner_id, self.vendor_b)

    def test_vendor_whose_minimum_the_need_reaches_first(self):
        """7 units to buy from two vendors of one grade: vendor A at 10.00 from 1, not vendor B
        at 9.50 from 500 (as Odoo's _select_seller for 7); for 600, vendor B."""
        product = self._product("JXC Minimums", 10.0, [
            {"partner_id": self.vendor_a.id, "price": 10.0, "min_qty": 1.0, "delay": 2},
            {"partner_id": self.vendor_b.id, "price": 9.5, "min_qty": 500.0, "delay": 2},
        ])
        Engine = self.env["jxc.planning.engine"]
        self.assertEqual(Engine._get_best_seller(product, self.company, 7.0).partner_id, self.vendor_a)
        self.assertEqual(product._select_seller(quantity=7.0, uom_id=product.uom_id).partner_id, self.vendor_a)
        self.assertEqual(Engine._get_best_seller(product, self.company, 600.0).partner_id, self.vendor_b)

    def test_shared_choice_equals_a_refresh_alone(self):
        """The plan the button leaves (its vendor choice shared with the update) is the plan a
        refresh alone builds with a choice of its own, line by line: a quantity break, two
        vendors, and a contact buying on its company's break (the rule's line is the contact's,
        which Odoo's replenishment orders from, at the break's price)."""
        contact = self.env["res.partner"].create({"name": "JXC Vendor A, second desk", "parent_id": self.vendor_a.id})
        products = (
            self._product("JXC Same Break", 49.0, [
                {"partner_id": self.vendor_a.id, "min_qty": 0.0, "price": 10.0, "delay": 2},
                {"partner_id": self.vendor_a.id, "min_qty": 500.0, "price": 8.0, "delay": 2},
            ])
            | self._product("JXC Same Two Vendors", 10.0, [
                {"partner_id": self.vendor_a.id, "price": 6.0, "delay": 2},
                {"partner_id": self.vendor_b.id, "price": 9.0, "delay": 4},
            ])
            | self._product("JXC Same Contact", 60.0, [
                {"partner_id": contact.id, "min_qty": 0.0, "price": 10.0, "delay": 2},
                {"partner_id": self.vendor_a.id, "min_qty": 50.0, "price": 7.0, "delay": 3},
            ])
        )
        rules = self.env["jxc.safety.stock.rule"].search([("product_id", "in", products.ids)])
        rules.with_user(self.jxc_manager).action_compute_reordering_rules()
        lines = self.Plan.search([("product_id", "in", products.ids)], order="id")
        fnames = ["vendor_id", "price_unit", "amount", "expected_date", "suggested_qty", "reorder_point", "max_qty"]
        after_button = lines.read(fnames)
        self.assertEqual(
            {line.product_id.name: (line.vendor_id, line.price_unit) for line in lines},
            {"JXC Same Break": (self.vendor_a, 10.0), "JXC Same Two Vendors": (self.vendor_a, 6.0),
             "JXC Same Contact": (contact, 7.0)},
        )
        self.Plan._refresh(self.company, lines.orderpoint_id)
        lines.invalidate_recordset()
        self.assertEqual(lines.read(fnames), after_button)

    def test_rfq_of_another_vendor_orders_that_vendors_quantity(self):
        """The rule buys 10 units from vendor A; the buyer switches the line to vendor B, who
        sells by the dozen: Odoo's own quantity to order with B is whole dozens, 12 units, and
        the RFQ is for 1 dozen (not 10 units forced as 0.83 dozen)."""
        product = self._product("JXC Switch", 10.0, [
            {"partner_id": self.vendor_a.id, "price": 1.0, "delay": 2},
            {"partner_id": self.vendor_b.id, "price": 15.0, "delay": 2, "product_uom_id": self.uom_dozen.id},
        ])
        line = self._plan_line(product)
        self.assertEqual((line.vendor_id, line.suggested_qty), (self.vendor_a, 10.0))
        line.vendor_id = self.vendor_b
        line.action_create_rfq()
        rfq_line = self.env["purchase.order.line"].search([("orderpoint_id", "=", line.orderpoint_id.id)])
        self.assertEqual(rfq_line.partner_id, self.vendor_b)
        self.assertEqual((rfq_line.product_qty, rfq_line.product_uom_id), (1.0, self.uom_dozen))
        self.assertEqual(line.orderpoint_id.qty_to_order_manual, 0.0)

    def test_buyer_chooses_a_contact_priced_by_its_companys_line(self):
        """The rule buys from vendor B at 8. The buyer chooses vendor A's purchasing desk, whose
        own line (10) Odoo's ``_select_seller`` passes over for its company's (9, first in
        sequence): the choice stays the buyer's, and Create RFQs orders from vendor A at 9
        (before, the choice was dropped and the RFQ went to B)."""
        desk = self.env["res.partner"].create({"name": "JXC Vendor A, purchasing desk", "parent_id": self.vendor_a.id})
        product = self._product("JXC Desk Choice", 10.0, [
            {"partner_id": self.vendor_b.id, "price": 8.0, "delay": 2, "sequence": 3},
            {"partner_id": self.vendor_a.id, "price": 9.0, "delay": 2, "sequence": 1},
            {"partner_id": desk.id, "price": 10.0, "delay": 2, "sequence": 2},
        ])
        line = self._plan_line(product)
        self.assertEqual((line.orderpoint_id.supplier_id.partner_id, line.vendor_id), (self.vendor_b, self.vendor_b))
        line.with_user(self.jxc_user).vendor_id = desk
        self.assertEqual((line.vendor_id, line.vendor_chosen, line.price_unit), (self.vendor_a, True, 9.0))
        line.with_user(self.jxc_user).action_create_rfq()
        rfq_line = self.env["purchase.order.line"].search([("product_id", "=", product.id)])
        self.assertEqual((rfq_line.partner_id, rfq_line.product_qty, rfq_line.price_unit), (self.vendor_a, 10.0, 9.0))

    def test_rule_of_a_contact_ordered_from_its_own_line(self):
        """A buyer put vendor A's desk line (10) on the locked rule; 60 are to order, for which
        Odoo's ``_select_seller`` of the desk prices with vendor A's break from 50 (7). Odoo's
        replenishment orders from the rule's line, the desk, at 7: so does Create RFQs, and the
        rule keeps the desk's line (before, it was changed to A's break line and A ordered)."""
        desk = self.env["res.partner"].create({"name": "JXC Vendor A, order desk", "parent_id": self.vendor_a.id})
        product = self._product("JXC Desk Rule", 60.0, [
            {"partner_id": desk.id, "min_qty": 0.0, "price": 10.0, "delay": 2},
            {"partner_id": self.vendor_a.id, "min_qty": 50.0, "price": 7.0, "delay": 2},
        ])
        self.Orderpoint._jxc_update_orderpoints(self.company)
        orderpoint = self.Orderpoint.search([("product_id", "=", product.id)])
        desk_line = product.seller_ids.filtered(lambda seller: seller.partner_id == desk)
        orderpoint.write({"supplier_id": desk_line.id, "jxc_locked": True})
        line = self.Plan._refresh(self.company).filtered(lambda plan_line: plan_line.product_id == product)
        self.assertEqual((line.vendor_id, line.suggested_qty, line.price_unit), (desk, 60.0, 7.0))
        line.with_user(self.jxc_user).action_create_rfq()
        rfq_line = self.env["purchase.order.line"].search([("product_id", "=", product.id)])
        self.assertEqual((rfq_line.partner_id, rfq_line.product_qty, rfq_line.price_unit), (desk, 60.0, 7.0))
        self.assertEqual(orderpoint.supplier_id, desk_line)

    def test_break_on_the_rule_is_not_forced_as_the_minimum(self):
        """A buyer put vendor A's break from 500 on the rule (for a large order) and locked it at
        120: the plan and Create RFQs order 120 at 10, Odoo's line for 120, not 500 (a break
        prices larger orders, it is no minimum order)."""
        product = self._product("JXC Break Kept", 120.0, [
            {"partner_id": self.vendor_a.id, "min_qty": 0.0, "price": 10.0, "delay": 2},
            {"partner_id": self.vendor_a.id, "min_qty": 500.0, "price": 8.0, "delay": 2},
        ])
        self.Orderpoint._jxc_update_orderpoints(self.company)
        orderpoint = self.Orderpoint.search([("product_id", "=", product.id)])
        break_line = product.seller_ids.filtered(lambda seller: seller.min_qty == 500.0)
        orderpoint.write({"supplier_id": break_line.id, "jxc_locked": True})
        self.assertEqual((orderpoint.product_max_qty, orderpoint.qty_to_order), (120.0, 120.0))
        line = self.Plan._refresh(self.company).filtered(lambda plan_line: plan_line.product_id == product)
        self.assertEqual((line.suggested_qty, line.price_unit, line.amount), (120.0, 10.0, 1200.0))
        line.with_user(self.jxc_user).action_create_rfq()
        rfq_line = self.env["purchase.order.line"].search([("product_id", "=", product.id)])
        self.assertEqual((rfq_line.product_qty, rfq_line.price_unit), (120.0, 10.0))

    def test_expired_price_is_ignored(self):
        product = self._product("JXC Expired", 10.0, [
            {"partner_id": self.vendor_a.id, "price": 6.0, "delay": 2, "date_end": "2025-06-29"},
            {"partner_id": self.vendor_a.id, "price": 10.0, "delay": 2, "date_start": "2025-06-01"},
            {"partner_id": self.vendor_b.id, "price": 7.0, "delay": 2, "date_start": "2025-07-01"},
        ])
        line = self._plan_line(product)
        # Vendor B's price starts tomorrow, vendor A's 6.0 ended yesterday: vendor A at 10.0.
        self.assertEqual((line.vendor_id, line.price_unit, line.amount), (self.vendor_a, 10.0, 100.0))
        self.assertEqual(line.orderpoint_id.supplier_id.price, 10.0)

    def test_priced_on_the_rfqs_order_date(self):
        """With 3 Days to Purchase Odoo dates the RFQ 3 July (today plus the rule's 5 lead days,
        less the vendor's 2) and prices its line on that day. Vendor A's 10.00 ends on 1 July,
        its 12.00 starts on 2 July: the plan shows 12.00, as the RFQ has it. A price line that
        ends before the order date, with none after it: the RFQ line comes at 0, and so does
        the plan's price (not the 10.00 valid today)."""
        self.company.days_to_purchase = 3.0
        raised = self._product("JXC Raised", 10.0, [
            {"partner_id": self.vendor_a.id, "price": 10.0, "delay": 2, "date_end": "2025-07-01"},
            {"partner_id": self.vendor_a.id, "price": 12.0, "delay": 2, "date_start": "2025-07-02"},
        ])
        ending = self._product("JXC Ending", 10.0, [
            {"partner_id": self.vendor_a.id, "price": 10.0, "delay": 2, "date_end": "2025-07-01"},
        ])
        self.Orderpoint._jxc_update_orderpoints(self.company)
        plan = self.Plan._refresh(self.company)
        lines = {product: plan.filtered(lambda line, product=product: line.product_id == product)
                 for product in (raised, ending)}
        self.assertEqual([(line.vendor_id, line.suggested_qty, line.price_unit, line.amount) for line in lines.values()],
                         [(self.vendor_a, 10.0, 12.0, 120.0), (self.vendor_a, 10.0, 0.0, 0.0)])
        self.assertEqual(lines[raised].orderpoint_id.supplier_id.price, 10.0)  # the line valid today, on the rule
        (lines[raised] | lines[ending]).with_user(self.jxc_user).action_create_rfq()
        po_lines = self.env["purchase.order.line"].search([("product_id", "in", (raised | ending).ids)])
        self.assertEqual([(po_line.product_id, po_line.product_qty, po_line.price_unit) for po_line in po_lines],
                         [(raised, 10.0, 12.0), (ending, 10.0, 0.0)])
        self.assertEqual(po_lines.order_id.date_order.date(), fields.Date.to_date("2025-07-03"))

    def test_vendor_without_a_price_today_is_refused(self):
        """Vendor B's only price starts tomorrow: the list does not offer B, and choosing it all
        the same (through the API) is refused, saying why; the line keeps vendor A."""
        product = self._product("JXC Tomorrow", 10.0, [
            {"partner_id": self.vendor_a.id, "price": 10.0, "delay": 2},
            {"partner_id": self.vendor_b.id, "price": 7.0, "delay": 2, "date_start": "2025-07-01"},
        ])
        line = self._plan_line(product)
        self.assertEqual(line.allowed_vendor_ids, self.vendor_a)
        with self.assertRaisesRegex(UserError, r"JXC Vendor B has no price for \[JXC-TOMORROW\] JXC Tomorrow valid today; choose another vendor"):
            line.vendor_id = self.vendor_b
        self.assertEqual((line.vendor_id, line.vendor_chosen), (self.vendor_a, False))

    def test_vendor_by_the_dozen_in_usd_for_a_cny_company(self):
        usd = self.env.ref("base.USD")
        cny = self.env.ref("base.CNY")
        (usd | cny).active = True
        company = self.env["res.company"].create({"name": "JXC Shanghai Trading", "currency_id": cny.id})
        company.partner_id.tz = "Asia/Shanghai"
        (self.env.user | self.jxc_manager).company_ids |= company
        # 1 CNY = 0.125 USD: 1 USD = 8 CNY.
        self.env["res.currency.rate"].create([
            {"name": "2025-01-01", "currency_id": cny.id, "rate": 1.0, "company_id": company.id},
            {"name": "2025-01-01", "currency_id": usd.id, "rate": 0.125, "company_id": company.id},
        ])
        product = self._product("JXC Dozen", 24.0, [{
            "partner_id": self.vendor_a.id, "price": 120.0, "currency_id": usd.id,
            "product_uom_id": self.uom_dozen.id, "delay": 2,
        }], company=company)
        company.jxc_ordering_cost = 50.0
        line = self._plan_line(product, company)
        # 120 USD a dozen = 10 USD a unit = 80 CNY a unit.
        self.assertEqual((line.suggested_qty, line.price_unit, line.amount), (24.0, 80.0, 1920.0))
        self.assertEqual(line.currency_id, cny)
        # The RFQ Odoo creates from the rule, in the vendor's currency: 2 dozen at 120 USD,
        # 240 USD = 1920 CNY, the plan's amount.
        amount = line.amount
        line.with_user(self.jxc_manager).with_company(company).action_create_rfq()
        po_line = self.env["purchase.order.line"].search([("product_id", "=", product.id)])
        self.assertEqual((po_line.product_uom_id, po_line.product_qty), (self.uom_dozen, 2.0))
        self.assertEqual((po_line.order_id.currency_id, po_line.price_unit, po_line.price_subtotal), (usd, 120.0, 240.0))
        self.assertEqual(usd._convert(po_line.price_subtotal, cny, company, po_line.order_id.date_order), amount)

    def test_eoq_holding_cost_from_the_converted_price(self):
        self.company.jxc_ordering_cost = 50.0
        product = self._product("JXC Dozen EOQ", 0.0, [
            {"partner_id": self.vendor_a.id, "price": 120.0, "product_uom_id": self.uom_dozen.id, "delay": 2},
        ])
        rule = self.env["jxc.safety.stock.rule"].search([("product_id", "=", product.id)])
        rule.write({"history_days": 10})
        with freeze_time("2025-06-01 02:00:00"):  # in stock before the 10-day window
            self._set_on_hand(product, 500.0)
        with freeze_time("2025-06-25 02:00:00"):
            self._deliver(self._create_sale(self.customer_a, [(product, 10.0, 20.0)]))
        line = self._plan_line(product)
        # 10 in 10 days: D = 365 a year; H = 10 a unit (120 a dozen) x 20 %: EOQ = sqrt(2 x 365 x 50 / 2) = 135.09
        # (the raw 120 as a unit price would give 39.0).
        self.assertAlmostEqual(line.orderpoint_id.jxc_eoq, 135.09)
