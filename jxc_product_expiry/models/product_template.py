from odoo import models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    def _jxc_get_sellable_days(self):
        """Days a lot received now can be sold: product_expiry stops counting it as available
        stock (free and forecast quantities with expiration, the FEFO removal) at its removal
        date, ``removal_time`` days before it expires; never negative."""
        self.ensure_one()
        return max(self.expiration_time - self.removal_time, 0)
