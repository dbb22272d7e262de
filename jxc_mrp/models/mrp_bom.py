from odoo import models


class MrpBom(models.Model):
    # A bill of materials decides whether a warehouse's Manufacture route applies to its
    # product (mrp's _filter_warehouse_routes): whether the purchase plan buys it.
    _name = "mrp.bom"
    _inherit = ["mrp.bom", "jxc.purchase.plan.change.mixin"]
    _jxc_plan_fields = frozenset({"active", "type", "product_id", "product_tmpl_id", "company_id"})
