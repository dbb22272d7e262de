from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    jxc_shelf_life_buckets = fields.Char(related="company_id.jxc_shelf_life_buckets", readonly=False)
