from odoo import models


class ResConfigSettings(models.TransientModel):
    # The fields are the add-on's settings mixin (models/jxc_settings.py), shared with the
    # managers' own settings screen.
    _name = "res.config.settings"
    _inherit = ["res.config.settings", "jxc.settings.mixin"]
