from odoo import models


class ProductSupplierinfo(models.Model):
    # the purchase plan shows the vendor's price, minimum and delay
    _name = "product.supplierinfo"
    _inherit = ["product.supplierinfo", "jxc.purchase.plan.change.mixin"]
