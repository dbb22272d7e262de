from datetime import timedelta

from odoo import models
from odoo.addons.jxc_addon.tools.company_day import local_date, local_midnight_utc
from odoo.tools import format_date


class JxcCountPlan(models.Model):
    """The scanning screen keeps the dates of a GS1 label (AI 17 expiry, AI 15 best before) on the
    lots it finds."""

    _inherit = "jxc.count.plan"

    def _jxc_scan_prepare_lot_vals(self, product, lot_name, expiry, best_before=None):
        vals = super()._jxc_scan_prepare_lot_vals(product, lot_name, expiry, best_before=best_before)
        if not product.use_expiration_date:
            return vals
        if expiry:
            # Usable up to the end of the printed day in the company's timezone: the lot shows that
            # date, and product_expiry derives its alert, removal and best-before dates from it.
            vals["expiration_date"] = self._jxc_label_day_end(expiry)
        elif best_before:
            # product_expiry puts a lot's best-before date the product's use_time days before its
            # expiration date (stock.lot._compute_dates): the lot is best before the label's day.
            # The days are the company's calendar days (a change to summer time between them
            # would move a day's end into the next day).
            vals["expiration_date"] = self._jxc_label_day_end(
                best_before + timedelta(days=product.product_tmpl_id.use_time))
        # Neither date on the label: product_expiry's default (today + the product's expiration time).
        return vals

    def _jxc_scan_create_lot(self, product, lot_name, expiry, best_before=None):
        lot = super()._jxc_scan_create_lot(product, lot_name, expiry, best_before=best_before)
        if expiry and best_before and product.use_expiration_date:
            # A label with both dates: best before its own day, not product_expiry's use_time
            # before the expiry. Written after the creation: among the creation's values it would
            # keep Odoo from computing the alert and removal dates, which one method computes with it.
            lot.use_date = self._jxc_label_day_end(best_before)
        return lot

    def _jxc_label_day_end(self, day):
        """The last second of the label's ``day`` in the company's timezone, as a naive UTC datetime."""
        return local_midnight_utc(self.company_id, day + timedelta(days=1)) - timedelta(seconds=1)

    def _jxc_scan_expiry_message(self, lot, expiry, created, best_before=None):
        if not lot.product_id.use_expiration_date:
            return super()._jxc_scan_expiry_message(lot, expiry, created, best_before=best_before)
        lot_day = lot.expiration_date and local_date(self.company_id, lot.expiration_date)
        if not expiry:
            return self._jxc_scan_new_lot_date_message(lot, lot_day, best_before) if created else ""
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

    def _jxc_scan_new_lot_date_message(self, lot, lot_day, best_before):
        """What the screen says of the expiry date of a lot created from a label without AI 17:
        derived from the best-before date (AI 15), or product_expiry's default when the label has
        neither date (the counter checks it on the goods)."""
        if best_before:
            return self.env._(
                "New lot %(lot)s expires on %(date)s (best before %(best_before)s on the label).", lot=lot.name,
                date=format_date(self.env, lot_day), best_before=format_date(self.env, best_before),
            )
        return self.env._(
            "The label has no expiry date: new lot %(lot)s expires on %(date)s, the product's default "
            "(%(days)s days from today). Check the date on the goods and correct the lot if it differs.",
            lot=lot.name, date=format_date(self.env, lot_day), days=lot.product_id.product_tmpl_id.expiration_time,
        )
