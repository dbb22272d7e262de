from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    jxc_demand_history_days = fields.Integer(
        string="Demand History (days)",
        default=365,
        help="How many past days of done deliveries the JXC statistics (demand, "
        "variability, classification) look at.",
    )
    jxc_dead_stock_days = fields.Integer(
        string="Dead Stock After (days)",
        default=180,
        help="A product with stock on hand and no outgoing movement for this many days is dead stock.",
    )
    jxc_carrying_cost_rate = fields.Float(
        string="Annual Carrying Cost Rate (%)",
        default=20.0,
        help="Yearly cost of holding stock (capital, storage, insurance, obsolescence) "
        "as a percentage of the average inventory value.",
    )

    @api.constrains("jxc_demand_history_days", "jxc_dead_stock_days")
    def _check_jxc_days(self):
        for company in self:
            if company.jxc_demand_history_days < 7:
                raise ValidationError(
                    self.env._(
                        "The demand history of %(company)s must cover at least 7 days (it is %(days)s). "
                        "Enter a longer history window in the JXC settings.",
                        company=company.name,
                        days=company.jxc_demand_history_days,
                    )
                )
            if company.jxc_dead_stock_days < 1:
                raise ValidationError(
                    self.env._(
                        "The dead-stock age of %(company)s must be at least 1 day (it is %(days)s).",
                        company=company.name,
                        days=company.jxc_dead_stock_days,
                    )
                )

    @api.constrains("jxc_carrying_cost_rate")
    def _check_jxc_carrying_cost_rate(self):
        for company in self:
            if not 0.0 <= company.jxc_carrying_cost_rate <= 100.0:
                raise ValidationError(
                    self.env._(
                        "The annual carrying cost rate of %(company)s must be between 0 and 100 %% "
                        "(it is %(rate)s). Enter a percentage such as 20.",
                        company=company.name,
                        rate=company.jxc_carrying_cost_rate,
                    )
                )
