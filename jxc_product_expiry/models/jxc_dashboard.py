from odoo import api, models


class JxcDashboard(models.AbstractModel):
    _inherit = "jxc.dashboard"

    @api.model
    def _jxc_kpi_providers(self):
        return [*super()._jxc_kpi_providers(), "jxc.shelf.life.report"]
