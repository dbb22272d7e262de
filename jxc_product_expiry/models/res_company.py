import re

from odoo import api, fields, models
from odoo.addons.jxc_addon.tools.age_buckets import DAY_LIMITS_FORM, normalize_day_limits
from odoo.exceptions import ValidationError

MAX_SHELF_LIFE_BUCKET_DAYS = 36500


class ResCompany(models.Model):
    _inherit = "res.company"

    jxc_shelf_life_buckets = fields.Char(
        string="Shelf-life Buckets (days)",
        default="30,90,180",
        help="Upper limits in days left of the shelf-life buckets, in increasing order, separated by "
        "commas; expired stock has its own bucket and stock with more days left than the last limit "
        "falls in a last bucket.",
    )

    @api.constrains("jxc_shelf_life_buckets")
    def _check_jxc_shelf_life_buckets(self):
        for company in self:
            buckets = company.jxc_shelf_life_buckets or ""
            limits = [int(part) for part in buckets.split(",")] if re.fullmatch(DAY_LIMITS_FORM, buckets) else []
            if not limits or limits[-1] > MAX_SHELF_LIFE_BUCKET_DAYS or any(
                a >= b for a, b in zip(limits, limits[1:], strict=False)
            ):
                raise ValidationError(
                    self.env._(
                        "The shelf-life buckets of %(company)s (%(buckets)s) must be whole numbers of days "
                        "up to %(max_days)s in increasing order separated by commas, such as 30,90,180.",
                        company=company.name,
                        buckets=buckets,
                        max_days=MAX_SHELF_LIFE_BUCKET_DAYS,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if "jxc_shelf_life_buckets" in vals:
                vals["jxc_shelf_life_buckets"] = normalize_day_limits(vals["jxc_shelf_life_buckets"])
        return super().create(vals_list)

    def write(self, vals):
        if "jxc_shelf_life_buckets" in vals:
            vals = {**vals, "jxc_shelf_life_buckets": normalize_day_limits(vals["jxc_shelf_life_buckets"])}
        return super().write(vals)
