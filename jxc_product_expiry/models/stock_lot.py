from odoo import api, models

# the dates Odoo's forecast (product_expiry) stops counting a lot's stock at
EXPIRY_FIELDS = frozenset({"expiration_date", "removal_date"})


class StockLot(models.Model):
    _inherit = "stock.lot"

    def write(self, vals):
        if EXPIRY_FIELDS & vals.keys():
            # an expiry corrected: Odoo's forecast of the product changes, the purchase plan's with it
            self.env["jxc.purchase.plan.change"]._note(
                (lot.product_id.id, lot.company_id.id or False) for lot in self)
        return super().write(vals)

    @api.model
    def _alert_date_exceeded(self):
        """Odoo's own daily reminder, one activity per lot, for the lots the near-expiry digest
        does not announce: the digest's lots are flagged reminded first, so that Odoo's action
        (run at its UTC day, possibly before the company's) leaves them to the digest."""
        self.env["jxc.expiry.alert"]._get_digest_lots().product_expiry_reminded = True
        return super()._alert_date_exceeded()
