"""Vendor prices with the purchase tax included (含税价): the purchase plan, the EOQ and the
vendor-at-risk alternatives take the untaxed price, as the RFQ Odoo creates comes to untaxed
(its price through the vendor's fiscal position, less the included taxes it keeps).

Today is 30 June 2025. Each product has a 13 % purchase VAT included in the price and a
fixed safety stock rule (no history: minimum = maximum = the fixed quantity, nothing on
hand); vendor A sells it at 113.0 (100.0 untaxed)."""

from freezegun import freeze_time

from odoo.fields import Command
from odoo.tests import tagged

from .common import JxcCommon

TODAY = "2025-06-30 04:00:00"


@tagged("post_install", "-at_install")
class TestPurchasePlanTaxIncluded(JxcCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Plan = cls.env["jxc.purchase.plan"]
        Tax = cls.env["account.tax"]
        cls.vat_13 = Tax.create({
            "name": "JXC VAT 13% included", "amount": 13.0, "type_tax_use": "purchase",
            "price_include_override": "tax_included", "company_id": cls.company.id,
        })
        # an import vendor: its fiscal position replaces the VAT by an exempt tax
        cls.exempt = cls.env["account.fiscal.position"].create({"name": "JXC VAT exempt", "company_id": cls.company.id})
        cls.vat_0 = Tax.create({
            "name": "JXC VAT 0%", "amount": 0.0, "type_tax_use": "purchase", "company_id": cls.company.id,
            "fiscal_position_ids": [Command.link(cls.exempt.id)], "original_tax_ids": [Command.link(cls.vat_13.id)],
        })
        cls.uom_dozen = cls.env.ref("uom.product_uom_dozen")

    def setUp(self):
        super().setUp()
        self._freeze_test_at(TODAY)

    def _product(self, name, fixed_qty, sellers):
        product = self.env["product.product"].create({
            **self._prepare_product_vals(name, 100.0, 150.0, name.upper().replace(" ", "-")),
            "supplier_taxes_id": [Command.set(self.vat_13.ids)],
            "seller_ids": [Command.create(vals) for vals in sellers],
        })
        self.env["jxc.safety.stock.rule"].create({
            "name": name, "product_id": product.id, "method": "fixed", "fixed_qty": fixed_qty,
        })
        return product

    def _plan_line(self, product):
        self.env["stock.warehouse.orderpoint"]._jxc_update_orderpoints(self.company)
        return self.Plan._refresh(self.company).filtered(lambda line: line.product_id == product)

    def _rfq_line(self, line):
        line.with_user(self.jxc_user).action_create_rfq()
        return self.env["purchase.order.line"].search([("product_id", "=", line.product_id.id)])

    def test_plan_price_untaxed_as_the_rfq(self):
        """Before the fix the plan showed 113.00 and 3,051.00 (the amount with the VAT) beside
        an RFQ of 2,700.00 untaxed."""
        product = self._product("JXC VAT Goods", 27.0, [{"partner_id": self.vendor_a.id, "price": 113.0, "delay": 3}])
        line = self._plan_line(product)
        self.assertEqual((line.suggested_qty, line.price_unit, line.amount), (27.0, 100.0, 2700.0))
        po_line = self._rfq_line(line)
        # Odoo keeps the price with the VAT in it on the line, its untaxed subtotal is the plan's amount
        self.assertEqual((po_line.product_qty, po_line.price_unit, po_line.tax_ids), (27.0, 113.0, self.vat_13))
        self.assertEqual((po_line.price_subtotal, po_line.order_id.amount_untaxed, po_line.order_id.amount_total),
                         (2700.0, 2700.0, 3051.0))

    def test_vendor_fiscal_position_takes_the_vat_out(self):
        """The vendor's fiscal position maps the VAT to an exempt tax: Odoo's RFQ takes the VAT
        out of the price (100.0, as the plan); before the fix the plan still said 113.0."""
        self.vendor_a.with_company(self.company).property_account_position_id = self.exempt
        product = self._product("JXC VAT Import", 27.0, [{"partner_id": self.vendor_a.id, "price": 113.0, "delay": 3}])
        line = self._plan_line(product)
        self.assertEqual((line.suggested_qty, line.price_unit, line.amount), (27.0, 100.0, 2700.0))
        po_line = self._rfq_line(line)
        self.assertEqual((po_line.price_unit, po_line.tax_ids, po_line.price_subtotal, po_line.price_total),
                         (100.0, self.vat_0, 2700.0, 2700.0))

    def test_dozen_with_discount_and_vat_included(self):
        """1,356.00 a dozen, 10 % off, the VAT included: 1,356 / 12 x 0.9 / 1.13 = 90.00 a unit
        untaxed. Two dozens ordered: 2,160.00 untaxed on the RFQ, the plan's amount."""
        product = self._product("JXC VAT Dozen", 24.0, [{
            "partner_id": self.vendor_a.id, "price": 1356.0, "discount": 10.0, "product_uom_id": self.uom_dozen.id,
            "delay": 3,
        }])
        line = self._plan_line(product)
        self.assertEqual((line.suggested_qty, line.price_unit, line.amount), (24.0, 90.0, 2160.0))
        po_line = self._rfq_line(line)
        self.assertEqual((po_line.product_uom_id, po_line.product_qty, po_line.price_unit, po_line.discount),
                         (self.uom_dozen, 2.0, 1356.0, 10.0))
        self.assertEqual(po_line.price_subtotal, 2160.0)

    def test_eoq_holding_cost_from_the_untaxed_price(self):
        self.company.jxc_ordering_cost = 50.0
        product = self._product("JXC VAT EOQ", 0.0, [{"partner_id": self.vendor_a.id, "price": 113.0, "delay": 2}])
        self.env["jxc.safety.stock.rule"].search([("product_id", "=", product.id)]).history_days = 10
        with freeze_time("2025-06-01 02:00:00"):  # in stock before the 10-day window
            self._set_on_hand(product, 500.0)
        self._sell(self.customer_a, [(product, 10.0, 150.0)], "2025-06-25 02:00:00")
        line = self._plan_line(product)
        # 10 in 10 days: D = 365 a year; H = 100 untaxed x 20 %: EOQ = sqrt(2 x 365 x 50 / 20) = 42.72
        # (113 with the VAT would give 40.19)
        self.assertAlmostEqual(line.orderpoint_id.jxc_eoq, 42.72)

    def test_alternative_to_a_vendor_at_risk_priced_untaxed(self):
        """Vendor A is at risk; vendor B sells the product at 113.0 with the VAT in it and never
        sold it: the warning offers B at 100.0 untaxed, as a last price paid (an order's
        untaxed subtotal over its quantity) would be; before the fix, 113.0."""
        product = self._product("JXC VAT Risk", 5.0, [
            {"partner_id": self.vendor_a.id, "price": 110.0, "delay": 3},
            {"partner_id": self.vendor_b.id, "price": 113.0, "delay": 3},
        ])
        self.company.jxc_supplier_risk_action = "warn"
        self.vendor_a.with_company(self.company).write({
            "jxc_supplier_risk": True, "jxc_supplier_risk_reason": "grade D (score 40.0)",
            "jxc_supplier_grade": "d", "jxc_supplier_score": 40.0,
        })
        self.vendor_b.with_company(self.company).write({"jxc_supplier_grade": "b", "jxc_supplier_score": 80.0})
        order = self._create_purchase(self.vendor_a, [(product, 5.0, 110.0)], confirm=False)
        action = order.with_user(self.jxc_user).button_confirm()
        wizard = self.env["jxc.supplier.risk.wizard"].browse(action["res_id"])
        self.assertEqual([(alt.partner_id, alt.price) for alt in wizard.alternative_ids], [(self.vendor_b, 100.0)])
        # B's order at its price: the last price paid is its untaxed subtotal over the quantity, the same 100.0
        bought = self._create_purchase(self.vendor_b, [(product, 2.0, 113.0)]).order_line
        self.assertEqual((bought.tax_ids, bought.price_subtotal), (self.vat_13, 200.0))
        alternatives = order._get_jxc_supplier_alternatives()
        self.assertEqual([(alt["partner"], alt["price"]) for alt in alternatives], [(self.vendor_b, 100.0)])
