from odoo import models
from odoo.fields import Domain


class ResCurrencyRate(models.Model):
    # The plan's vendor prices are in the company's currency at today's rate: a rate of a
    # vendor's currency, or of the company's own (the other side of every conversion), changes them.
    _name = "res.currency.rate"
    _inherit = ["res.currency.rate", "jxc.purchase.plan.change.mixin"]
    _jxc_plan_fields = frozenset({"rate", "name", "currency_id", "company_id"})
    _jxc_plan_pair_fields = frozenset({"currency_id", "company_id"})

    def _get_jxc_plan_pairs(self, fnames=None):
        pairs = set()
        Seller = self.env["product.supplierinfo"].sudo().with_context(active_test=False)
        Change = self.env["jxc.purchase.plan.change"]
        for currency, rate_company in {(rate.currency_id, rate.company_id) for rate in self.sudo()}:
            # a company's branches convert at its rates (Odoo reads the rates of the root company)
            companies = self.env["res.company"].sudo().search(
                [("id", "child_of", rate_company.ids)] if rate_company else [])
            for company in companies:
                # in a company of the rate's currency, the prices in every other currency
                operator = "!=" if company.currency_id == currency else "="
                pairs |= Change._get_pairs(Seller.search(
                    Domain("currency_id", operator, currency.id) & Domain("company_id", "in", [False, company.id]),
                ), company)
        return pairs
