from odoo import fields, models


class JxcSettingsMixin(models.AbstractModel):
    """The shelf-life buckets among the add-on's company settings: in Odoo's Settings app and on
    the add-on's own settings screen, where Inventory Control managers who are not
    administrators change them."""

    _inherit = "jxc.settings.mixin"

    jxc_shelf_life_buckets = fields.Char(related="company_id.jxc_shelf_life_buckets", readonly=False)
