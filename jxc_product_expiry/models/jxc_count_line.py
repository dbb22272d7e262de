from odoo import fields, models


class JxcCountLine(models.Model):
    _inherit = "jxc.count.line"

    # counters check the date printed on the goods against the lot's
    lot_expiration_date = fields.Datetime(related="lot_id.expiration_date", string="Expiration Date")
