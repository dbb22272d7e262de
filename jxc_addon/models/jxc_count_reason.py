from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

DIRECTIONS = [("loss", "Loss"), ("gain", "Gain"), ("both", "Loss or Gain")]


class JxcCountReason(models.Model):
    """Why a counted quantity differs from the book (盘亏, 损坏, 被盗, 记录错误, 盘盈 ...)."""

    _name = "jxc.count.reason"
    _description = "Count Difference Reason"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Short code printed on loss and gain summaries.")
    sequence = fields.Integer(default=10)
    direction = fields.Selection(
        DIRECTIONS,
        required=True,
        default="both",
        help="Which differences the reason may explain: a loss (counted below book), a gain or both.",
    )
    is_default_loss = fields.Boolean(
        string="Default for Losses",
        help="Used for a loss within tolerance when the counter gave no reason.",
    )
    is_default_gain = fields.Boolean(
        string="Default for Gains",
        help="Used for a gain within tolerance when the counter gave no reason.",
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", help="Leave empty to share the reason between companies.")

    # NULLS NOT DISTINCT: two shared reasons (no company) may not have one code either
    _code_company_uniq = models.Constraint(
        "UNIQUE NULLS NOT DISTINCT (code, company_id)",
        "A count reason code must be unique per company, and among the reasons shared by all companies.",
    )

    @api.constrains("direction", "is_default_loss", "is_default_gain")
    def _check_default_direction(self):
        for reason in self:
            if reason.is_default_gain and reason.direction == "loss":
                raise ValidationError(self.env._(
                    "%(reason)s explains losses only: it cannot be the default reason for gains. Set its "
                    "direction to Gain or Loss or Gain, or choose another default for gains.", reason=reason.name))
            if reason.is_default_loss and reason.direction == "gain":
                raise ValidationError(self.env._(
                    "%(reason)s explains gains only: it cannot be the default reason for losses. Set its "
                    "direction to Loss or Loss or Gain, or choose another default for losses.", reason=reason.name))

    @api.model
    def _get_defaults(self, company):
        """{True: reason for gains, False: reason for losses} used when a counter gave none: the
        company's own default before a shared one (which another company may rely on)."""
        reasons = self.search([("company_id", "in", [company.id, False])]).sorted(
            lambda reason: (not reason.company_id, reason.sequence, reason.id))
        gain = reasons.filtered("is_default_gain")[:1]
        loss = reasons.filtered("is_default_loss")[:1]
        if not gain or not loss:
            raise UserError(self.env._(
                "Set a default reason for gains and one for losses in Inventory Control > Configuration > "
                "Count Reasons; they explain the differences within tolerance."
            ))
        return {True: gain, False: loss}

    def write(self, vals):
        if vals.get("company_id"):
            self._check_company_change(vals["company_id"])
        return super().write(vals)

    def _check_company_change(self, company_id):
        """A reason that explains differences of another company's stocktakes stays shared (or
        theirs): moved to one company, it would leave them pointing at a reason they cannot read."""
        used = self.env["jxc.count.line"].sudo().search_fetch(
            [("reason_id", "in", self.ids), ("company_id", "!=", company_id)], ["reason_id"])
        if used:
            raise UserError(self.env._(
                "The count reason %(reasons)s explains differences of stocktakes of other companies: it keeps "
                "its company. Archive it and create a reason of this company instead.",
                reasons=", ".join(used.reason_id.mapped("display_name")),
            ))
