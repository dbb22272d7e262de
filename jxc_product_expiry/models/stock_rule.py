from odoo import models


class StockRule(models.Model):
    _inherit = "stock.rule"

    def _update_purchase_order_line(self, product_id, product_qty, product_uom, company_id, values, line):
        """Added to an RFQ line still below the vendor's minimum (the shelf-life cap): priced as
        a new line (``purchase.order.line._jxc_get_terms_below_minimum``), not at 0."""
        res = super()._update_purchase_order_line(product_id, product_qty, product_uom, company_id, values, line)
        uom = res.get("product_uom_id") or line.product_uom_id
        terms = line._jxc_get_terms_below_minimum(
            product_id, res["product_qty"], uom, company_id, values, line.order_id, res["price_unit"])
        if terms:
            res["price_unit"] = terms["price_unit"]
        return res
