"""The confirmation of "Create RFQs" over the lines of two companies in two currencies: the
estimated amount is in the current company's currency, each line converted at its company's
rate. Company A orders 5 JXC Two-Currency Widgets at 11.00 A (55.00 A); company B (another
currency CB, 1 CB = 8 A) orders 5 at 3.00 CB (15.00 CB = 120.00 A): 175.00 A in all, not
55 + 15 = 70."""

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common import JxcCommon


@tagged("post_install", "-at_install")
class TestPurchasePlanOrderCurrency(JxcCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        currency_a = cls.company.currency_id
        currency_b = cls.env["res.currency"].with_context(active_test=False).search(
            [("name", "=", "EUR" if currency_a.name == "USD" else "USD")])
        currency_b.active = True
        cls.company_b = cls.env["res.company"].create({"name": "JXC Two-Currency Co", "currency_id": currency_b.id})
        cls.env["res.currency.rate"].create([
            {"name": "2025-01-01", "currency_id": currency_b.id, "rate": 1.0, "company_id": cls.company_b.id},
            {"name": "2025-01-01", "currency_id": currency_a.id, "rate": 8.0, "company_id": cls.company_b.id},
        ])
        cls.env.user.company_ids |= cls.company_b
        category = cls.env["product.category"].create({"name": "JXC Two-Currency Goods"})
        cls.widget = cls.env["product.product"].create({
            "name": "JXC Two-Currency Widget", "is_storable": True, "categ_id": category.id, "standard_price": 10.0,
            "seller_ids": [
                Command.create({"partner_id": cls.vendor_a.id, "price": 11.0, "delay": 3, "company_id": cls.company.id}),
                Command.create({"partner_id": cls.vendor_a.id, "price": 3.0, "delay": 3, "company_id": cls.company_b.id,
                                "currency_id": currency_b.id}),
            ],
        })
        cls.plans = cls.env["jxc.purchase.plan"]
        with freeze_time("2025-06-30 04:00:00"):
            for company in (cls.company, cls.company_b):
                env = cls.env(context=dict(cls.env.context, allowed_company_ids=[company.id]))
                env["jxc.safety.stock.rule"].create({
                    "name": "Two-currency goods", "categ_id": category.id, "method": "fixed", "fixed_qty": 5.0,
                    "no_history_qty": 5.0, "company_id": company.id,
                })
                env["stock.warehouse.orderpoint"]._jxc_update_orderpoints(company)
                cls.plans |= env["jxc.purchase.plan"]._refresh(company).filtered(lambda line: line.product_id == cls.widget)

    def test_amount_in_the_current_company_currency(self):
        self.assertEqual(sorted((line.company_id.name, line.amount) for line in self.plans),
                         [("JXC Two-Currency Co", 15.0), (self.company.name, 55.0)])
        env = self.env(context=dict(self.env.context, allowed_company_ids=[self.company.id, self.company_b.id]))
        with freeze_time("2025-06-30 05:00:00"):
            wizard = env["jxc.purchase.plan.order"].create({"line_ids": [Command.set(self.plans.ids)]})
            self.assertEqual((wizard.currency_id, wizard.amount, wizard.vendor_count), (self.company.currency_id, 175.0, 1))
