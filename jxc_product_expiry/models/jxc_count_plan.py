from datetime import timedelta

import pytz

from odoo import models
from odoo.addons.jxc_addon.tools.company_day import company_tz, local_midnight_utc
from odoo.tools import format_date


class JxcCountPlan(models.Model):
    """The scanning screen keeps the expiry date of a GS1 label (AI 17) on the lots it finds."""

    _inherit = "jxc.count.plan"

    def _jxc_scan_prepare_lot_vals(self, product, lot_name, expiry):
        vals = super()._jxc_scan_prepare_lot_vals(product, lot_name, expiry)
        if expiry and product.use_expiration_date:
            # Usable up to the end of the printed day in the company's timezone: the lot shows that
            # date, and product_expiry derives its alert, removal and best-before dates from it.
            vals["expiration_date"] = local_midnight_utc(self.company_id, expiry + timedelta(days=1)) - timedelta(seconds=1)
        return vals

    def _jxc_scan_expiry_message(self, lot, expiry, created):
        if not lot.product_id.use_expiration_date:
            return super()._jxc_scan_expiry_message(lot, expiry, created)
        lot_day = lot.expiration_date and lot.expiration_date.replace(tzinfo=pytz.UTC).astimezone(
            company_tz(self.company_id)).date()
        # Odoo's own lot labels print the UTC day of the expiration date: that one matches too.
        if expiry in (lot_day, lot.expiration_date and lot.expiration_date.date()):
            if created:
                return self.env._("New lot %(lot)s expires on %(date)s.", lot=lot.name, date=format_date(self.env, expiry))
            return ""
        # A count does not change a lot's dates: the goods or the label may be the wrong ones.
        return self.env._(
            "The label says %(label)s but lot %(lot)s expires on %(date)s; its date was not changed: check the "
            "goods and correct the lot if the label is right.", label=format_date(self.env, expiry), lot=lot.name,
            date=format_date(self.env, lot_day) if lot_day else self.env._("no date"),
        )
