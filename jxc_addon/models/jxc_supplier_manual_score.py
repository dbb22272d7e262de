from odoo import api, fields, models
from odoo.exceptions import UserError


class JxcSupplierManualScore(models.Model):
    _name = "jxc.supplier.manual.score"
    _description = "Supplier Manual Score"
    _order = "period_id desc, partner_id, criterion_id"
    _check_company_auto = True

    period_id = fields.Many2one(
        "jxc.supplier.period", required=True, ondelete="cascade", index=True, check_company=True,
    )
    partner_id = fields.Many2one("res.partner", string="Vendor", required=True, index=True, check_company=True)
    criterion_id = fields.Many2one(
        "jxc.supplier.criterion", required=True, check_company=True,
        domain="[('criterion_type', '=', 'manual')]",
    )
    score = fields.Float(aggregator="avg", required=True, help="Score from 0 (worst) to 100 (best) for the period.")
    note = fields.Text()
    user_id = fields.Many2one(
        "res.users", string="Scored By", readonly=True, default=lambda self: self.env.user,
        help="Who gave the score. Each buyer gives one per vendor, criterion and period; the criterion takes "
        "their average.",
    )
    company_id = fields.Many2one(related="period_id.company_id", store=True, index=True)

    _score_range = models.Constraint(
        "CHECK(score >= 0 AND score <= 100)", "A manual score must be between 0 and 100.",
    )
    _unique_score = models.Constraint(
        "UNIQUE(period_id, partner_id, criterion_id, user_id)",
        "You have already scored this vendor on this criterion for the period: edit your score.",
    )

    @api.constrains("criterion_id")
    def _check_manual_criterion(self):
        for score in self:
            if score.criterion_id.criterion_type != "manual":
                raise UserError(self.env._(
                    "%(criterion)s is measured automatically; choose a manual criterion.",
                    criterion=score.criterion_id.name,
                ))

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            # who scored is who is signed in, not what the client sends
            vals_list = [{**vals, "user_id": self.env.user.id} for vals in vals_list]
        scores = super().create(vals_list)
        # held until the transaction ends: a manager's close waits for no one and is refused
        scores.period_id._lock_open(share=True)
        return scores

    def write(self, vals):
        self.period_id._lock_open(share=True)
        if not self.env.su:
            # a buyer's score stays theirs when a manager corrects it (one score per buyer)
            vals = {name: value for name, value in vals.items() if name != "user_id"}
        res = super().write(vals)
        self.period_id._lock_open(share=True)
        return res

    def unlink(self):
        self.period_id._lock_open(share=True)
        return super().unlink()
