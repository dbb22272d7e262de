import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools.age_buckets import DAY_LIMITS_FORM, normalize_day_limits
from ..tools.changed_values import changed_values
from ..tools.checks import MAX_DAYS, check_each
from ..tools.company_users import works_for

# The company's settings the safety stock's reordering rules are computed with: the days it
# takes to place an order, the window of measured lead times, the economic order quantity's
# costs, and whether a vendor at risk is ranked last.
PLANNING_FIELDS = frozenset({
    "days_to_purchase", "jxc_demand_history_days", "jxc_ordering_cost", "jxc_carrying_cost_rate",
    "jxc_supplier_risk_action",
})


class ResCompany(models.Model):
    _name = "res.company"
    _inherit = ["res.company", "jxc.purchase.plan.change.mixin"]
    # the purchase lead time and horizon of Odoo's quantities to order, the overstock delay, what
    # a vendor's risk does (the plan leaves the rule's vendor at risk)
    _jxc_plan_fields = frozenset({"days_to_purchase", "horizon_days", "jxc_overstock_days", "jxc_supplier_risk_action"})
    _jxc_plan_new_read = False
    _jxc_plan_pair_fields = frozenset()  # its own rules, whatever is written

    jxc_demand_history_days = fields.Integer(
        string="Demand History (days)",
        default=365,
        help="Past days of done deliveries a new ABC/XYZ profile looks at by default; also the "
        "window of the measured vendor lead times (at least 365 days for the policy backtest, which "
        "replays the last 365 days). Safety-stock rules use their own Demand History.",
    )
    jxc_dead_stock_days = fields.Integer(
        string="Dead Stock After (days)",
        default=180,
        help="A product with stock on hand and no sale or consumption for this many days is dead stock "
        "(scrap, count losses, returns to vendors and transfers do not restart the clock).",
    )
    # cost figures: the company record is readable by every user, portal ones too
    jxc_carrying_cost_rate = fields.Float(
        string="Annual Carrying Cost Rate (%)",
        default=20.0,
        groups="jxc_addon.group_jxc_manager,base.group_system",
        help="Yearly cost of holding stock (capital, storage, insurance, obsolescence) "
        "as a percentage of the average inventory value.",
    )

    # Safety stock and purchase plan (jxc.safety.stock.rule, jxc.purchase.plan).
    jxc_ordering_cost = fields.Float(
        string="Cost per Purchase Order",
        groups="jxc_addon.group_jxc_manager,base.group_system",
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
    # The daily refresh of the purchase plan sends the day's warning digests as its last step
    # per company; Odoo may run it in several calls, each resuming where the last one stopped.
    jxc_digest_date = fields.Date(string="Stock Warnings Sent On", readonly=True, copy=False,
                                  groups="base.group_system")
    # The last month end the monthly snapshots cover, rows or none: their scheduled action goes on
    # after it (a year per step), where a month without any stock leaves no row to go on after.
    jxc_snapshot_date = fields.Date(string="Snapshots Taken To", readonly=True, copy=False,
                                    groups="base.group_system")

    @api.constrains("jxc_ordering_cost", "jxc_overstock_days")
    def _check_jxc_safety_settings(self):
        check_each(self, lambda c: c.jxc_ordering_cost >= 0, self.env._(
            "The cost per purchase order of %(company)s cannot be negative (it is %(cost)s). "
            "Enter 0 to order the demand of the review period instead of an economic order quantity."
        ), company="name", cost="jxc_ordering_cost")
        check_each(self, lambda c: c.jxc_overstock_days >= 0, self.env._(
            "The overstock delay of %(company)s cannot be negative (it is %(days)s days)."
        ), company="name", days="jxc_overstock_days")

    @api.constrains("jxc_demand_history_days", "jxc_dead_stock_days")
    def _check_jxc_days(self):
        check_each(self, lambda c: c.jxc_demand_history_days >= 7, self.env._(
            "The demand history of %(company)s must cover at least 7 days (it is %(days)s). "
            "Enter a longer history window in the JXC settings."
        ), company="name", days="jxc_demand_history_days")
        check_each(self, lambda c: c.jxc_dead_stock_days >= 1, self.env._(
            "The dead-stock age of %(company)s must be at least 1 day (it is %(days)s)."
        ), company="name", days="jxc_dead_stock_days")

    @api.constrains("jxc_demand_history_days", "jxc_dead_stock_days", "jxc_overstock_days",
                    "jxc_supplier_on_time_tolerance")
    def _check_jxc_max_days(self):
        # a mistyped 99,999,999 days dates a window before any date Python or PostgreSQL has
        for company in self:
            for name in ("jxc_demand_history_days", "jxc_dead_stock_days", "jxc_overstock_days",
                         "jxc_supplier_on_time_tolerance"):
                if company[name] > MAX_DAYS:
                    raise ValidationError(self.env._(
                        "%(setting)s of %(company)s is %(days)s: enter %(max)s days (ten years) or fewer in the "
                        "JXC settings.", setting=self._fields[name]._description_string(self.env),
                        company=company.name, days=company[name], max=MAX_DAYS,
                    ))

    @api.constrains("jxc_carrying_cost_rate")
    def _check_jxc_carrying_cost_rate(self):
        check_each(self, lambda c: 0.0 <= c.jxc_carrying_cost_rate <= 100.0, self.env._(
            "The annual carrying cost rate of %(company)s must be between 0 and 100 %% "
            "(it is %(rate)s). Enter a percentage such as 20."
        ), company="name", rate="jxc_carrying_cost_rate")

    # --- supplier evaluation (供应商评估) -------------------------------------------
    jxc_supplier_period_type = fields.Selection(
        [("month", "Month"), ("quarter", "Quarter")],
        string="Supplier Evaluation Period",
        default="month",
        required=True,
        help="Length of the periods over which vendors are evaluated.",
    )
    jxc_supplier_on_time_tolerance = fields.Integer(
        string="On-Time Tolerance (days)",
        default=0,
        help="A receipt still counts as on time this many days after the planned date of its purchase line.",
    )
    jxc_supplier_grade_a = fields.Float(string="Grade A From", default=85.0, help="Minimum score (0-100) for grade A.")
    jxc_supplier_grade_b = fields.Float(string="Grade B From", default=70.0, help="Minimum score (0-100) for grade B.")
    jxc_supplier_grade_c = fields.Float(
        string="Grade C From", default=50.0, help="Minimum score (0-100) for grade C; below it the grade is D."
    )
    jxc_supplier_score_drop = fields.Float(
        string="Risk: Score Drop (points)",
        default=15.0,
        help="A vendor is at risk when its score falls by more than this many points against the previous period.",
    )
    jxc_supplier_on_time_min = fields.Float(
        string="Risk: Minimum On-Time Rate (%)",
        default=80.0,
        help="A vendor is at risk when its on-time delivery rate falls below this percentage.",
    )
    jxc_supplier_risk_action = fields.Selection(
        [("none", "Do nothing"), ("warn", "Warn"), ("block", "Block")],
        string="On Confirming an Order of a Vendor at Risk",
        default="warn",
        required=True,
        help="Warn: the buyer confirms after reading the warning. Block: only a manager can confirm, "
        "and the override is logged in the order's chatter.",
    )
    jxc_supplier_risk_user_id = fields.Many2one(
        "res.users",
        string="Supplier Risk Responsible",
        domain=[("share", "=", False)],
        help="Who receives an activity when a vendor becomes at risk: an inventory control user, who may read "
        "the vendor's Supplier Evaluation tab. Empty: the company's first purchase manager who may, else its "
        "first inventory control manager.",
    )

    @api.constrains("jxc_supplier_grade_a", "jxc_supplier_grade_b", "jxc_supplier_grade_c")
    def _check_jxc_supplier_grades(self):
        check_each(
            self,
            lambda c: 0.0 <= c.jxc_supplier_grade_c <= c.jxc_supplier_grade_b <= c.jxc_supplier_grade_a <= 100.0,
            self.env._(
                "The supplier grade thresholds of %(company)s must satisfy 0 <= C <= B <= A <= 100 "
                "(they are A %(a)s, B %(b)s, C %(c)s). Correct them in the JXC settings."
            ),
            company="name", a="jxc_supplier_grade_a", b="jxc_supplier_grade_b", c="jxc_supplier_grade_c",
        )

    @api.constrains("jxc_supplier_on_time_tolerance", "jxc_supplier_score_drop", "jxc_supplier_on_time_min")
    def _check_jxc_supplier_risk(self):
        check_each(self, lambda c: c.jxc_supplier_on_time_tolerance >= 0 and c.jxc_supplier_score_drop >= 0, self.env._(
            "The on-time tolerance and the risk score drop of %(company)s cannot be negative."
        ), company="name")
        check_each(self, lambda c: 0.0 <= c.jxc_supplier_on_time_min <= 100.0, self.env._(
            "The minimum on-time rate of %(company)s must be between 0 and 100 %%."
        ), company="name")

    @api.constrains("jxc_supplier_risk_user_id")
    def _check_jxc_supplier_risk_user(self):
        # the activity says which vendor is at risk and why, and Odoo mails it to its user
        for company in self:
            user = company.jxc_supplier_risk_user_id
            if user and not works_for(user, company):
                raise ValidationError(self.env._(
                    "The supplier risk responsible of %(company)s, %(user)s, must be an internal user of the "
                    "company who may read the vendors' Supplier Evaluation tab (an inventory control user), "
                    "where the activity sends them: choose another one in the JXC settings, or give them the "
                    "inventory control rights.", company=company.name, user=user.name))

    def _get_jxc_supplier_grade(self, score):
        """Grade A/B/C/D of a 0-100 score by the company's thresholds."""
        self.ensure_one()
        if score >= self.jxc_supplier_grade_a:
            return "a"
        if score >= self.jxc_supplier_grade_b:
            return "b"
        if score >= self.jxc_supplier_grade_c:
            return "c"
        return "d"
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

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("jxc_aging_buckets"):
                vals["jxc_aging_buckets"] = normalize_day_limits(vals["jxc_aging_buckets"])
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("jxc_aging_buckets"):
            vals = {**vals, "jxc_aging_buckets": normalize_day_limits(vals["jxc_aging_buckets"])}
        planning = {name: vals[name] for name in PLANNING_FIELDS.intersection(vals)}
        changed = planning and any(changed_values(company, planning) for company in self.sudo())
        result = super().write(vals)
        if changed:
            # every reordering rule of the company may change: in the background
            self.env["jxc.planning.engine"]._trigger_update()
        return result

    def _get_jxc_aging_limits(self):
        self.ensure_one()
        return [int(part) for part in (self.jxc_aging_buckets or "").split(",") if part.strip()]

    @api.constrains("jxc_aging_buckets", "jxc_slow_turnover_rate")
    def _check_jxc_aging_buckets(self):
        def increasing_days(company):
            buckets = company.jxc_aging_buckets or ""
            parts = buckets.split(",")
            return bool(re.fullmatch(DAY_LIMITS_FORM, buckets)) and int(parts[0]) >= 1 and all(
                int(a) < int(b) for a, b in zip(parts, parts[1:], strict=False)
            )

        check_each(self, increasing_days, self.env._(
            "The aging buckets of %(company)s (%(buckets)s) must be whole numbers of days in "
            "increasing order separated by commas, such as 30,60,90,180,365."
        ), company="name", buckets="jxc_aging_buckets")
        check_each(self, lambda c: c.jxc_slow_turnover_rate >= 0, self.env._(
            "The slow-moving turnover of %(company)s cannot be negative (it is %(rate)s)."
        ), company="name", rate="jxc_slow_turnover_rate")

    def _get_jxc_plan_pairs(self, fnames=None):
        return self.env["jxc.purchase.plan.change"]._get_planned_pairs(self)
