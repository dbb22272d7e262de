from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    jxc_seasonal = fields.Boolean(
        string="Seasonal Demand",
        help="Forecast this product's demand from the same period last year times the recent "
        "trend instead of a moving average (e.g. seasonal clothing).",
    )
