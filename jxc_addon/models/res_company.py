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

    # --- analyses (turnover, aging, slow-moving stock) ---------------------------------
    jxc_aging_buckets = fields.Char(
        string="Aging Buckets (days)",
        default="30,60,90,180,365",
        help="Upper limits in days of the stock aging buckets, in increasing order, separated by "
        "commas; stock older than the last limit falls in a last bucket.",
    )
    jxc_slow_turnover_rate = fields.Float(
        string="Slow-moving Below (turns per year)",
        default=2.0,
        help="Stock whose annualised turnover over the dead-stock window is below this is slow-moving.",
    )

    def _get_jxc_aging_limits(self):
        self.ensure_one()
        return [int(part) for part in (self.jxc_aging_buckets or "").split(",") if part.strip()]

    @api.constrains("jxc_aging_buckets", "jxc_slow_turnover_rate")
    def _check_jxc_aging_buckets(self):
        for company in self:
            parts = [part.strip() for part in (company.jxc_aging_buckets or "").split(",")]
            if not all(part.isdigit() for part in parts) or any(
                int(a) >= int(b) for a, b in zip(parts, parts[1:], strict=False)
            ) or int(parts[0]) < 1:
                raise ValidationError(
                    self.env._(
                        "The aging buckets of %(company)s (%(buckets)s) must be whole numbers of days in "
                        "increasing order separated by commas, such as 30,60,90,180,365.",
                        company=company.name,
                        buckets=company.jxc_aging_buckets,
                    )
                )
            if company.jxc_slow_turnover_rate < 0:
                raise ValidationError(
                    self.env._(
                        "The slow-moving turnover of %(company)s cannot be negative (it is %(rate)s).",
                        company=company.name,
                        rate=company.jxc_slow_turnover_rate,
                    )
                )
