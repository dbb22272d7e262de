from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools.checks import MAX_DAYS
from ..tools.company_day import company_today
from ..tools.counts import count_by
from ..tools.safety_stock_math import z_from_service_level
from ..tools.window_action import notification_action, window_action
from .product_product import ABC_CLASSES

# what a rule's reordering rules are not computed from: writing only these recomputes nothing
NOT_COMPUTED_FIELDS = frozenset({"name", "sequence"})
SAFETY_METHODS = [
    ("fixed", "Fixed Quantity"),
    ("days", "Days of Cover"),
    ("statistical", "Statistical (Service Level)"),
]
DEMAND_PERIODS = [
    ("day", "Daily"),
    ("week", "Weekly"),
]
PERIOD_DAYS = {"day": 1, "week": 7}
RULE_FORECAST_METHODS = [
    ("moving_average", "Moving Average"),
    ("ses", "Simple Exponential Smoothing"),
    ("croston_sba", "Croston (Syntetos-Boylan)"),
    ("tsb", "TSB (Teunter-Syntetos-Babai)"),
    ("auto", "Best in Backtest (lowest MASE)"),
]
SERVICE_TARGETS = [
    ("cycle", "Cycle Service Level"),
    ("fill_rate", "Fill Rate"),
]
DISTRIBUTIONS = [
    ("normal", "Normal"),
    ("demand_class", "By Demand Class (Gamma for Intermittent and Lumpy)"),
]
LEAD_TIME_SOURCES = [
    ("promised", "Promised by the Vendor"),
    ("measured", "Measured on Past Receipts"),
]


class JxcSafetyStockRule(models.Model):
    """How the safety stock of a set of products is computed.

    A rule applies to the products that match all the criteria it sets (category, ABC
    class, warehouse, product); when several rules match, the most specific one wins
    (product > warehouse > ABC class > category); of two rules alike but for their category,
    the one of the closer category (a subcategory's before its parent's), as Odoo's putaway
    rules; then the lowest sequence.
    """

    _name = "jxc.safety.stock.rule"
    _description = "Safety Stock Rule"
    _inherit = ["mail.thread"]
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    # restrict: emptied by the deletion of its record, a criterion would match every product
    categ_id = fields.Many2one(
        "product.category", string="Product Category", tracking=True, ondelete="restrict",
        help="Applies to the products of this category and of its subcategories.",
    )
    abc_class = fields.Selection(ABC_CLASSES, string="ABC Class", tracking=True)
    warehouse_id = fields.Many2one("stock.warehouse", check_company=True, tracking=True, ondelete="restrict")
    product_id = fields.Many2one(
        "product.product", check_company=True, tracking=True, domain="[('is_storable', '=', True)]",
        ondelete="restrict",
    )
    specificity = fields.Integer(
        compute="_compute_specificity", store=True,
        help="The higher, the more specific: product 8, warehouse 4, ABC class 2, category 1. Of two rules "
             "as specific, the one of a subcategory wins over its parent category's.",
    )
    method = fields.Selection(SAFETY_METHODS, required=True, default="statistical", tracking=True)
    fixed_qty = fields.Float(string="Fixed Safety Stock", digits="Product Unit", tracking=True)
    cover_days = fields.Float(string="Days of Cover", default=7.0, tracking=True)
    service_level = fields.Float(
        string="Service Level (%)", aggregator="avg", default=95.0, tracking=True,
        help="Probability of not running out during a replenishment cycle, in (50, 99.99] %. Odoo checks the "
        "minimum once a day, after the day's demand, so the stock is already below the minimum when it orders: "
        "the safety stock covers that shortfall too, not only z x the deviation over the lead time (the Policy "
        "Backtest shows the level replayed).",
    )
    service_target = fields.Selection(
        SERVICE_TARGETS, required=True, default="cycle", tracking=True,
        help="Cycle service level: the probability of not running out between two receipts. Fill rate: "
        "the share of the demand served from stock (what customers feel); with large orders it needs less "
        "safety stock than the same cycle service level.",
    )
    fill_rate = fields.Float(
        string="Fill Rate (%)", default=98.0, tracking=True,
        help="Share of the demand to serve from stock, in (50, 99.99] %.",
    )
    distribution = fields.Selection(
        DISTRIBUTIONS, string="Lead-Time Demand Distribution", required=True, default="normal", tracking=True,
        help="Normal: the demand over the lead time, and the shortfall below the minimum at Odoo's daily check, "
        "as a normal distribution. By demand class: products with "
        "intermittent or lumpy demand (many days without sales) use a Gamma distribution fitted to the "
        "demand over the lead time, which is skewed like their demand and never negative.",
    )
    service_level_by_abc = fields.Boolean(
        string="Service Level by ABC Class", tracking=True,
        help="Take the cycle service level from the product's ABC class; products without class A, B "
        "or C use the rule's service level. A fill-rate target is the same for every class.",
    )
    service_level_a = fields.Float(string="Class A (%)", default=98.0)
    service_level_b = fields.Float(string="Class B (%)", default=95.0)
    service_level_c = fields.Float(string="Class C (%)", default=90.0)
    lead_time_source = fields.Selection(
        LEAD_TIME_SOURCES, required=True, default="promised", tracking=True,
        help="Measured: the mean and spread of the days from confirmation to receipt of the vendor's orders of "
        "the product over the company's demand history (or the rule's, if longer), once there are at least 3 "
        "receipts; with fewer, the promised delay.",
    )
    review_days = fields.Integer(
        string="Review Period (days)", aggregator="avg", default=7, tracking=True,
        help="Days between two purchases of the product; the maximum covers the demand of this period.",
    )
    history_days = fields.Integer(
        string="Demand History (days)", aggregator="avg", default=90, tracking=True,
        help="Past days of done deliveries used for the average and the variability of the daily "
        "demand; days without delivery count as zero demand, from the product's first day in the "
        "warehouse when it came in during the window.",
    )
    demand_period = fields.Selection(
        DEMAND_PERIODS, required=True, default="day", tracking=True,
        help="Period of the demand statistics: weekly smooths day-to-day noise (the history then "
        "counts whole weeks, back from yesterday).",
    )
    forecast_method = fields.Selection(
        RULE_FORECAST_METHODS, required=True, default="moving_average", tracking=True,
        help="Forecast of the demand per period: the average of the history window; simple exponential "
        "smoothing (recent periods weigh more); Croston with the Syntetos-Boylan correction (for "
        "intermittent demand); TSB (intermittent demand that may die out); or, per product and "
        "warehouse, the method with the lowest mean absolute scaled error (MASE) when each is replayed "
        "on the last two thirds of the history. Seasonal products use the same period last year.",
    )
    trend_days = fields.Integer(
        string="Trend Window (days)", default=56,
        help="For seasonal products: the trend compares the demand of these last days with the same "
        "days one year earlier.",
    )
    include_production = fields.Boolean(
        string="Include Consumption",
        help="Count consumption in production as demand, besides deliveries to customers.",
    )
    no_history_qty = fields.Float(
        string="Safety Stock without History", digits="Product Unit",
        help="Safety stock of the days-of-cover and statistical methods for new products: not asked for "
        "since they came into the warehouse during the history window, or not yet in any warehouse of the "
        "company; also of the statistical method for a product with a single period of history, whose "
        "variability cannot be measured yet. A product there for the whole window and not asked for has a demand of zero, as has one "
        "that only other warehouses carry.",
    )
    orderpoint_count = fields.Integer(compute="_compute_orderpoint_count", string="Reordering Rules")

    _history_days_min = models.Constraint("CHECK(history_days >= 7)", "The demand history must cover at least 7 days.")

    @api.depends("categ_id", "abc_class", "warehouse_id", "product_id")
    def _compute_specificity(self):
        for rule in self:
            rule.specificity = (
                (8 if rule.product_id else 0) + (4 if rule.warehouse_id else 0)
                + (2 if rule.abc_class else 0) + (1 if rule.categ_id else 0)
            )

    @api.model_create_multi
    def create(self, vals_list):
        rules = super().create(vals_list)
        self.env["jxc.planning.engine"]._trigger_update()  # the products it applies to: the update finds them
        return rules

    def write(self, vals):
        # its chatter's and activities' fields change no reordering rule either
        computed_from = {name for name in vals if name not in NOT_COMPUTED_FIELDS
                         and not name.startswith(("message_", "activity_"))}
        if not computed_from:
            return super().write(vals)
        archived = self.filtered("active") if vals.get("active") is False else self.browse()
        if archived:
            self.check_access("write")  # nothing released for a user who may not archive it
        # as a deleted rule's: released, then another rule takes their products over at once
        orderpoints = self._release_managed_orderpoints(archived, keep_locked=True)
        result = super().write(vals)
        self.env["jxc.planning.engine"]._update_products(orderpoints.product_id)
        if computed_from - {"active"} or vals.get("active"):
            self.env["jxc.planning.engine"]._trigger_update()
        return result

    def unlink(self):
        # The database would only empty their reordering rules' link: released as an update
        # releases those no rule applies to any more, logged, and out of the purchase plan.
        self.check_access("unlink")
        orderpoints = self._release_managed_orderpoints(self)
        result = super().unlink()
        # a broader rule applying to their products takes them over at once
        self.env["jxc.planning.engine"]._update_products(orderpoints.product_id)
        return result

    @api.model
    def _release_managed_orderpoints(self, rules, keep_locked=False):
        """Release the reordering rules of ``rules`` (archived or deleted), logged; returns them.

        :param keep_locked: leave the locked ones as they are, linked to their archived rule,
            as the update leaves a locked rule (a deleted rule's link is gone: released)
        """
        orderpoints = self.env["stock.warehouse.orderpoint"].sudo().with_context(active_test=False).search([
            ("jxc_rule_id", "in", rules.ids), *([("jxc_locked", "=", False)] if keep_locked else []),
        ]) if rules else self.env["stock.warehouse.orderpoint"].sudo()
        self.env["jxc.planning.engine"].sudo()._release(orderpoints)
        return orderpoints

    def _compute_orderpoint_count(self):
        counts = count_by(self, "stock.warehouse.orderpoint", "jxc_rule_id")
        for rule in self:
            rule.orderpoint_count = counts.get(rule, 0)

    @api.constrains(
        "service_level", "service_level_a", "service_level_b", "service_level_c", "service_level_by_abc", "method",
        "service_target", "fill_rate",
    )
    def _check_service_level(self):
        for rule in self.filtered(lambda r: r.method == "statistical"):
            levels = [(self.env._("service level"), rule.service_level)]
            if rule.service_target == "fill_rate":
                levels = [(self.env._("fill rate"), rule.fill_rate)]
            if rule.service_level_by_abc and rule.service_target == "cycle":  # fill rates take no class levels
                levels += [
                    (self.env._("class A service level"), rule.service_level_a),
                    (self.env._("class B service level"), rule.service_level_b),
                    (self.env._("class C service level"), rule.service_level_c),
                ]
            for label, level in levels:
                if not 50.0 < level <= 99.99:
                    raise ValidationError(self.env._(
                        "The %(label)s of the safety stock rule %(rule)s is %(level)s %%; it must be above 50 %% "
                        "and at most 99.99 %% (e.g. 95).",
                        label=label, rule=rule.name, level=level,
                    ))

    @api.constrains("fixed_qty", "cover_days", "review_days", "trend_days", "no_history_qty", "history_days")
    def _check_quantities(self):
        for rule in self:
            if min(rule.fixed_qty, rule.cover_days, rule.review_days, rule.no_history_qty) < 0 or rule.trend_days < 1:
                raise ValidationError(self.env._(
                    "The safety stock rule %(rule)s has a negative quantity or number of days; enter zero or "
                    "more (the trend window needs at least 1 day).", rule=rule.name,
                ))
            if max(rule.cover_days, rule.review_days, rule.trend_days, rule.history_days) > MAX_DAYS:
                raise ValidationError(self.env._(
                    "The safety stock rule %(rule)s counts more than %(max)s days (ten years) in its history, trend, "
                    "cover or review: enter %(max)s days or fewer.", rule=rule.name, max=MAX_DAYS,
                ))

    @api.constrains("demand_period", "history_days")
    def _check_demand_window(self):
        # Fewer than two whole periods leave one demand figure: no deviation, no safety stock.
        for rule in self:
            periods = rule.history_days // PERIOD_DAYS[rule.demand_period]
            if periods < 2:
                raise ValidationError(self.env._(
                    "The safety stock rule %(rule)s measures weekly demand over %(days)s days: that is fewer than "
                    "two whole weeks, so the demand has no deviation and the safety stock would be 0. Enter a "
                    "demand history of at least 14 days or use daily demand.",
                    rule=rule.name, days=rule.history_days,
                ))

    @api.readonly
    def action_view_orderpoints(self):
        self.ensure_one()
        return window_action(self.env, "jxc_addon.stock_warehouse_orderpoint_jxc_action", [("jxc_rule_id", "=", self.id)])

    def action_compute_reordering_rules(self):
        """Button: recompute the reordering rules of the companies of these rules now."""
        result = {"created": 0, "updated": 0, "skipped_locked": 0, "unchanged": 0, "released": 0}
        failed = []
        for company in self.company_id or self.env.company:
            # the plan shows the rules' new figures at the end: refused before anything is
            # written while another session refreshes it
            self.env["jxc.purchase.plan"]._lock_company(company)
            self.env["jxc.planning.engine"]._lock_update(company)
            written = []
            # One vendor choice for both: the plan asks again about the vendors the update chose.
            choose_seller = self.env["jxc.planning.engine"].sudo().with_company(company)._vendor_line_chooser(
                company, company_today(company),
            )
            counts = self.env["jxc.planning.engine"]._update_orderpoints(
                company, written=written, choose_seller=choose_seller, failed=failed,
            )
            # Odoo's quantities of the rules just written are fresh: the plan recomputes the others.
            self.env["jxc.purchase.plan"]._refresh(
                company, fresh=self.env["stock.warehouse.orderpoint"].browse(written), choose_seller=choose_seller,
            )
            for key in result:
                result[key] += counts[key]
        message = self.env._(
            "%(created)s created, %(updated)s updated, %(unchanged)s unchanged, %(skipped_locked)s left as they are "
            "(locked, kept at another location of the warehouse, or Odoo's suggestion snoozed by a buyer).", **result,
        )
        if result["released"]:
            message += "\n" + self.env._(
                "%(count)s no longer managed: no safety stock rule applies to their product any more; they keep their "
                "last levels (see the change log).", count=result["released"])
        if failed:
            names = [product.display_name for product in failed[:5]]
            message += "\n" + self.env._(
                "%(count)s could not be updated and keep their previous values: %(products)s%(more)s. The server "
                "log says why; correct them (their reordering rule, vendor or routes) and compute again.",
                count=len(failed), products=", ".join(names),
                more=self.env._(" and %(count)s more", count=len(failed) - 5) if len(failed) > 5 else "",
            )
        return notification_action(
            message, "warning" if failed else "success", title=self.env._("Reordering rules computed"),
            sticky=bool(failed), next_action={"type": "ir.actions.act_window_close"},
        )

    # --- matching -------------------------------------------------------------------
    def _matches(self, product, warehouse):
        self.ensure_one()
        if self.product_id and self.product_id != product:
            return False
        if self.warehouse_id and self.warehouse_id != warehouse:
            return False
        if self.abc_class and product.jxc_abc_class != self.abc_class:
            return False
        return not self.categ_id or (product.categ_id.parent_path or "").startswith(self.categ_id.parent_path)

    def _get_best_rule(self, product, warehouse):
        """The most specific of these rules matching ``product`` in ``warehouse`` (or nothing).

        ``product`` must carry the company in its context (ABC class is per company).
        """
        matching = self.filtered(lambda r: r._matches(product, warehouse))
        return max(matching, key=lambda r: (r.specificity, r._get_category_depth(), -r.sequence, -r.id),
                   default=self.browse())

    def _get_category_depth(self):
        """How deep the rule's category lies in the tree (0: no category): of the categories a
        product belongs to, the deepest is the closest."""
        return (self.categ_id.parent_path or "").count("/")

    def _get_service_level(self, product):
        self.ensure_one()
        if self.service_level_by_abc:
            level = {"a": self.service_level_a, "b": self.service_level_b, "c": self.service_level_c}.get(
                product.jxc_abc_class
            )
            if level:
                return level
        return self.service_level

    def _get_z(self, product):
        return z_from_service_level(self._get_service_level(product))
