from odoo import api, fields, models
from odoo.exceptions import ValidationError


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
            parts = [part.strip() for part in (company.jxc_shelf_life_buckets or "").split(",")]
            if not all(part.isdigit() for part in parts) or any(
                int(a) >= int(b) for a, b in zip(parts, parts[1:], strict=False)
            ):
                raise ValidationError(
                    self.env._(
                        "The shelf-life buckets of %(company)s (%(buckets)s) must be whole numbers of days "
                        "in increasing order separated by commas, such as 30,90,180.",
                        company=company.name,
                        buckets=company.jxc_shelf_life_buckets,
                    )
                )
