from odoo import models


class StockRule(models.Model):
    # what a route does for a reordering rule: buy or move, from where, with which delay
    _name = "stock.rule"
    _inherit = ["stock.rule", "jxc.purchase.plan.routing.mixin"]

    def _get_matching_supplier(self, product_id, product_qty, product_uom, company_id, values):
        """Odoo's vendor for a need nobody chose a vendor for (a reordering rule without one,
        make to order), unless its company warns or blocks the orders of that vendor, at risk:
        then the vendor Odoo would choose among the others. An RFQ to a blocked vendor would
        wait unconfirmed and still count as on order, so that nothing else is ordered. A
        vendor someone chose (the rule's, the need's) stays theirs: the order warns or blocks.
        Only vendors at risk sell the product: Odoo's choice."""
        supplier = super()._get_matching_supplier(product_id, product_qty, product_uom, company_id, values)
        if not supplier or values.get("supplierinfo_id") or self._get_partner_id(values, self) \
                or values.get("orderpoint_id") and values["orderpoint_id"].supplier_id \
                or not supplier.partner_id._is_jxc_risk_flagged(company_id):
            return supplier
        # Odoo takes the first vendor, in its order of the lines, with a price valid for the need:
        # each vendor not at risk asked in that order, through Odoo's own way to name the vendor
        for partner in product_id.with_company(company_id)._prepare_sellers(False).partner_id:
            if partner._is_jxc_risk_flagged(company_id):
                continue
            other = super()._get_matching_supplier(
                product_id, product_qty, product_uom, company_id, {**values, "supplierinfo_name": partner})
            # not Odoo's fallback to another vendor's line when this one has no valid price
            if other.partner_id in partner | partner.parent_id:
                return other
        return supplier
