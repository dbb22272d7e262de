from odoo import api, models


class StockLot(models.Model):
    _inherit = "stock.lot"

    @api.model
    def _alert_date_exceeded(self):
        """Odoo's own daily reminder, one activity per lot, for the lots the near-expiry digest
        does not announce: the digest's lots are flagged reminded first, so that Odoo's action
        (run at its UTC day, possibly before the company's) leaves them to the digest."""
        self.env["jxc.expiry.alert"]._get_digest_lots().product_expiry_reminded = True
        return super()._alert_date_exceeded()
