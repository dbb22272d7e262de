"""The columns every product analysis row has: its company (and currency) and its product
(and category), so that filters, groupings and record rules read the same in each report."""

from odoo import fields, models


class JxcProductAnalysisMixin(models.AbstractModel):
    _name = "jxc.product.analysis.mixin"
    _inherit = ["jxc.analysis.mixin"]
    _description = "JXC Product Analysis"
    _rec_name = "product_id"

    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
