from odoo import api, models


class PurchaseOrderLine(models.Model):
    _inherit = "purchase.order.line"

    @api.model
    def _prepare_purchase_order_line_from_procurement(self, product_id, product_qty, product_uom, location_dest_id, name,
                                                      origin, company_id, values, po):
        res = super()._prepare_purchase_order_line_from_procurement(
            product_id, product_qty, product_uom, location_dest_id, name, origin, company_id, values, po)
        terms = self._jxc_get_terms_below_minimum(
            product_id, res["product_qty"], self.env["uom.uom"].browse(res["product_uom_id"]), company_id, values, po,
            res["price_unit"])
        if terms:
            res.update(terms)
        return res

    @api.model
    def _jxc_get_terms_below_minimum(self, product, qty, uom, company, values, po, price_unit):
        """{price_unit, discount} of the procurement's vendor line for ``qty`` ``uom`` of a rule
        the safety stock manages, when the shelf-life cap ordered less than the vendor's
        minimum and Odoo found no price (its ``_select_seller`` leaves out the lines whose
        minimum is above the quantity, and the RFQ line would stay at 0, its receipts valued
        at 0): Odoo's price of the vendor's line at that minimum, as the purchase plan showed
        it. None otherwise."""
        supplier, orderpoint = values.get("supplier"), values.get("orderpoint_id")
        if price_unit or not supplier or not orderpoint or not orderpoint.jxc_rule_id:
            return None
        minimum = supplier.product_uom_id._compute_quantity(supplier.min_qty, uom)
        if uom.compare(qty, minimum) >= 0:
            return None
        priced = self.with_context(procurement_values=values)._prepare_purchase_order_line(
            product, minimum, uom, company, supplier.partner_id, po)
        return {"price_unit": priced["price_unit"], "discount": priced["discount"]}
