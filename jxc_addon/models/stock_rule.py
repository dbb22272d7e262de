from odoo import fields, models


class StockRule(models.Model):
    # what a route does for a reordering rule: buy or move, from where, with which delay
    _name = "stock.rule"
    _inherit = ["stock.rule", "jxc.purchase.plan.routing.mixin"]

    def _get_matching_supplier(self, product_id, product_qty, product_uom, company_id, values):
        """Odoo's vendor for a need nobody chose a vendor for (a reordering rule without one,
        make to order, a drop-ship), unless its company warns or blocks the orders of that
        vendor, at risk: then the vendor Odoo would choose among the others
        (``_get_jxc_seller_not_at_risk``). An RFQ to a blocked vendor would wait unconfirmed and
        still count as on order, so that nothing else is ordered. A vendor someone chose (the
        rule's, the need's) stays theirs: the order warns or blocks. Only vendors at risk sell
        the product: Odoo's choice."""
        supplier = super()._get_matching_supplier(product_id, product_qty, product_uom, company_id, values)
        if not supplier or values.get("supplierinfo_id") or self._get_partner_id(values, self) \
                or values.get("orderpoint_id") and values["orderpoint_id"].supplier_id \
                or not supplier.partner_id._is_jxc_risk_flagged(company_id):
            return supplier
        # the need's day as purchase_stock's _get_matching_supplier dates its vendor line: its
        # planned day, not before today
        date = (max(fields.Datetime.from_string(values["date_planned"]).date(), fields.Date.today())
                if "date_planned" in values else None)
        return self._get_jxc_seller_not_at_risk(
            product_id, company_id, product_qty, date, product_uom, {"force_uom": values.get("force_uom")},
        ) or supplier

    def _get_lead_days(self, product, **values):
        """Odoo's lead days of a purchase from the vendor the need is bought from: where nobody
        chose one and Odoo's (``_select_seller``, as purchase_stock's lead days ask it) is at risk
        in a company that warns or blocks, the vendor ``_get_matching_supplier`` orders from
        instead, so that the rule's horizon and deadline and the RFQ's dates are those of the
        vendor ordered from. Odoo's own vendor line is passed on as it is (asked once)."""
        buy_rule = self.filtered(lambda rule: rule.action == "buy")
        if len(buy_rule) == 1 and buy_rule.company_id and not values.get("supplierinfo"):
            company = buy_rule.company_id
            seller = product.with_company(company)._select_seller(quantity=None)
            if seller and seller.partner_id._is_jxc_risk_flagged(company):
                seller = self._get_jxc_seller_not_at_risk(product, company) or seller
            if seller:
                values["supplierinfo"] = seller
        return super()._get_lead_days(product, **values)

    def _get_jxc_seller_not_at_risk(self, product, company, quantity=None, date=None, uom=None, params=None):
        """The vendor line Odoo would pick (``_select_seller``) among the vendors whose orders
        ``company`` does not warn about or block, each asked in Odoo's order of the product's
        lines (``_prepare_sellers``); empty when none of them has a valid price."""
        product = product.with_company(company)
        for partner in product._prepare_sellers(False).partner_id:
            if partner._is_jxc_risk_flagged(company):
                continue
            seller = product._select_seller(partner_id=partner, quantity=quantity, date=date, uom_id=uom, params=params)
            if seller:
                return seller
        return self.env["product.supplierinfo"]
