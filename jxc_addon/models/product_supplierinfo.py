from odoo import models


class ProductSupplierinfo(models.Model):
    # the purchase plan shows the vendor's price, minimum and delay
    _name = "product.supplierinfo"
    _inherit = ["product.supplierinfo", "jxc.purchase.plan.change.mixin"]

    def _get_filtered_supplier(self, company_id, product_id, params=False):
        sellers = super()._get_filtered_supplier(company_id, product_id, params)
        # Odoo's choice among the other vendors, for a need whose vendor it chose is at risk
        # (stock.rule._get_matching_supplier): a key that only ever takes vendors away
        excluded = self.env.context.get("jxc_excluded_vendor_ids")
        if excluded:
            sellers = sellers.filtered(lambda seller: seller.partner_id.id not in excluded)
        return sellers
