from odoo import api, models


class StockLot(models.Model):
    _inherit = "stock.lot"

    @api.model
    def _alert_date_exceeded(self):
        # Odoo's own daily action schedules one activity per lot; the lots a JXC alert
        # covers (one activity per responsible) are marked reminded first, so Odoo's pass only
        # handles the lots without a responsible, whichever scheduled action runs first.
        self.env["jxc.expiry.alert"]._send_alerts()
        return super()._alert_date_exceeded()
