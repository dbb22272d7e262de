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

    # Safety stock and purchase plan (jxc.safety.stock.rule, jxc.purchase.plan).
    jxc_ordering_cost = fields.Float(
        string="Cost per Purchase Order",
        help="Fixed cost of placing one purchase order (paperwork, receiving, transport). "
        "With a carrying cost rate it turns the order quantity of the reordering rules into "
        "an economic order quantity; leave 0 to order the demand of the review period.",
    )
    jxc_overstock_days = fields.Integer(
        string="Overstock After (days)",
        default=30,
        help="A product whose stock stays above the maximum of its reordering rule for this "
        "many days is reported as overstock.",
    )
    jxc_shortage_notify_purchase = fields.Boolean(
        string="Notify Purchasing of Sales Shortages",
        help="When a confirmed sales order needs more than the stock available by its "
        "commitment date, also schedule an activity for the product's buyer.",
    )

    @api.constrains("jxc_ordering_cost", "jxc_overstock_days")
    def _check_jxc_safety_settings(self):
        for company in self:
            if company.jxc_ordering_cost < 0:
                raise ValidationError(
                    self.env._(
                        "The cost per purchase order of %(company)s cannot be negative (it is %(cost)s). "
                        "Enter 0 to order the demand of the review period instead of an economic order quantity.",
                        company=company.name,
                        cost=company.jxc_ordering_cost,
                    )
                )
            if company.jxc_overstock_days < 0:
                raise ValidationError(
                    self.env._(
                        "The overstock delay of %(company)s cannot be negative (it is %(days)s days).",
                        company=company.name,
                        days=company.jxc_overstock_days,
                    )
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
