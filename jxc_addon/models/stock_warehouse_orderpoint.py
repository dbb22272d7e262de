from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import AccessError

from ..tools.client_defaults import check_client_defaults
from ..tools.orm_batch import check_company_batch
from ..tools.whole_units import is_counted_in_pieces, packaging_multiple
from .jxc_safety_stock_rule import (
    DEMAND_PERIODS,
    LEAD_TIME_SOURCES,
    RULE_FORECAST_METHODS,
    SAFETY_METHODS,
    SERVICE_TARGETS,
)
from .product_product import DEMAND_CLASSES

# The methods a rule may fix, then what the engine may fall back to.
FORECAST_METHODS = [method for method in RULE_FORECAST_METHODS if method[0] != "auto"] + [
    ("seasonal", "Same Period Last Year x Trend"),
    ("no_history", "No History (fallback)"),
]


# written by the Lock and Unlock buttons alone
LOCK_FIELDS = {"jxc_locked", "jxc_locked_by_id", "jxc_locked_date"}

class StockWarehouseOrderpoint(models.Model):
    _name = "stock.warehouse.orderpoint"
    _inherit = ["stock.warehouse.orderpoint", "jxc.purchase.plan.change.mixin"]
    # the purchase plan shows the rule's figures: all but these, its refresh's own or shown nowhere
    _jxc_plan_ignored_fields = frozenset({
        "jxc_overstock_since", "jxc_buy_route_auto", "jxc_drift_activity_id", "jxc_drift_alerted", *LOCK_FIELDS,
    })

    jxc_rule_id = fields.Many2one(
        "jxc.safety.stock.rule", string="Safety Stock Rule", readonly=True, index="btree_not_null",
        check_company=True, ondelete="set null",
    )
    jxc_method = fields.Selection(SAFETY_METHODS, string="Safety Stock Method", readonly=True)
    jxc_history_days = fields.Integer(string="History (days)", aggregator="avg", readonly=True)
    jxc_demand_mean = fields.Float(string="Avg Daily Demand", readonly=True, digits=(16, 4))
    jxc_demand_period = fields.Selection(DEMAND_PERIODS, string="Demand Period", readonly=True)
    jxc_demand_stddev = fields.Float(
        string="Demand Std Dev", aggregator=False, readonly=True, digits=(16, 4),
        help="Standard deviation of the demand per period (day or week, see Demand Period).",
    )
    # the rules' own: a warehouse resupplied from another waits for the delays of that route
    jxc_lead_time_source = fields.Selection(
        [*LEAD_TIME_SOURCES, ("route", "Delays of the Resupply Route")], string="Lead Time Source", readonly=True,
    )
    jxc_lead_time = fields.Float(string="Lead Time (days)", aggregator="avg", readonly=True, digits=(16, 2))
    jxc_lead_time_stddev = fields.Float(string="Lead Time Std Dev (days)", aggregator=False, readonly=True, digits=(16, 2))
    jxc_review_days = fields.Integer(string="Review Period (days)", aggregator="avg", readonly=True)
    jxc_service_level = fields.Float(
        string="Service Level (%)", aggregator="avg", readonly=True,
        help="The target of the safety stock: a cycle service level or a fill rate (see Service Target).",
    )
    jxc_service_target = fields.Selection(SERVICE_TARGETS, string="Service Target", readonly=True)
    jxc_distribution = fields.Selection(
        [("normal", "Normal"), ("gamma", "Gamma")], string="Distribution", readonly=True,
        help="Distribution of the demand over the lead time the safety stock was computed with.",
    )
    jxc_z = fields.Float(
        string="Safety Factor z", aggregator=False, readonly=True, digits=(16, 4),
        help="The safety stock in deviations of the demand over the lead time. For a cycle service level it is "
        "above the level's textbook z: the safety stock also covers how far below the minimum a day's demand takes "
        "the stock before Odoo's daily check orders.",
    )
    jxc_safety_stock = fields.Float(string="Safety Stock", readonly=True, digits="Product Unit")
    jxc_forecast_method = fields.Selection(FORECAST_METHODS, string="Forecast Method", readonly=True)
    jxc_forecast_lt = fields.Float(string="Forecast over Lead Time", readonly=True, digits="Product Unit")
    jxc_forecast_review = fields.Float(string="Forecast over Review Period", readonly=True, digits="Product Unit")
    jxc_forecast_qty = fields.Float(
        string="Forecast Demand", compute="_compute_jxc_forecast_qty", store=True, digits="Product Unit",
        help="Forecast demand over the lead time and the review period.",
    )
    # no group figure: a rule without demand stores 0 for an undefined ratio, and a group's ratio is
    # of its sums (the Forecast Accuracy report's)
    jxc_forecast_mase = fields.Float(
        string="Forecast MASE", aggregator=False, readonly=True, digits=(16, 4),
        help="Mean absolute scaled error of the forecast method in the backtest on this product's own "
        "history: below 1 it beats the naive forecast (next period = last period).",
    )
    jxc_forecast_wape = fields.Float(
        string="Forecast WAPE (%)", aggregator=False, readonly=True, digits=(16, 2),
        help="Weighted absolute percentage error of the forecast method when replayed on the last two "
        "thirds of the history: sum of the absolute errors / demand.",
    )
    jxc_forecast_bias = fields.Float(
        string="Forecast Bias (%)", aggregator=False, readonly=True, digits=(16, 2),
        help="Sum of the errors (forecast - demand) / demand in the same replay: above 0 the forecast was too high.",
    )
    jxc_tracking_signal = fields.Float(
        string="Tracking Signal", aggregator=False, readonly=True, digits=(16, 2),
        help="Sum of the errors / mean absolute error in the same replay (Brown's signal, for reference; "
        "over many days it grows with their number even for a forecast without bias).",
    )
    jxc_forecast_bias_z = fields.Float(
        string="Bias z", aggregator=False, readonly=True, digits=(16, 2),
        help="The mean error of the same replay in standard errors (sum of the errors / square root of the "
        "sum of their squares): beyond +1.96 (too high) or -1.96 (too low) the forecast is biased at the "
        "95 % level and the buyer gets an activity to review it.",
    )
    # what the forecast drift alert (models/jxc_forecast_drift.py) reported, once per computation
    jxc_drift_activity_id = fields.Many2one(
        "mail.activity", string="Forecast Drift Activity", readonly=True, copy=False, ondelete="set null",
        help="The buyer's activity about this rule's drifting forecast; removed once the forecast no longer drifts.",
    )
    jxc_drift_alerted = fields.Char(
        string="Forecast Drift Alerted For", readonly=True, copy=False,
        help="The backtest figures the last drift activity reported: the next one waits for a computation that "
        "changes them, also once the buyer marked it done.",
    )
    jxc_forecast_actual = fields.Float(string="Backtest Demand", readonly=True, digits=(16, 4))
    jxc_forecast_error = fields.Float(string="Backtest Error", readonly=True, digits=(16, 4))
    jxc_forecast_abs_error = fields.Float(string="Backtest Absolute Error", readonly=True, digits=(16, 4))
    jxc_demand_class = fields.Selection(
        DEMAND_CLASSES, string="Demand Class", readonly=True, index=True,
        help="Pattern of the demand per period in the history window (Syntetos-Boylan-Croston): smooth "
        "(regular), erratic (regular but varying sizes), intermittent (many periods without demand), "
        "lumpy (intermittent with varying sizes).",
    )
    jxc_adi = fields.Float(
        string="ADI", aggregator=False, readonly=True, digits=(16, 4),
        help="Average inter-demand interval: periods in the history window divided by the periods with demand.",
    )
    jxc_cv2 = fields.Float(
        string="CV²", aggregator=False, readonly=True, digits=(16, 4),
        help="Squared coefficient of variation of the demand sizes (periods with demand only).",
    )
    jxc_trend = fields.Float(string="Trend", aggregator=False, readonly=True, digits=(16, 4))
    jxc_eoq = fields.Float(string="Economic Order Quantity", readonly=True, digits="Product Unit")
    jxc_locked = fields.Boolean(
        string="Locked", readonly=True, copy=False,
        help="A locked reordering rule keeps the quantities a user set: the safety-stock computation skips it.",
    )
    jxc_locked_by_id = fields.Many2one("res.users", string="Locked By", readonly=True, copy=False)
    jxc_locked_date = fields.Datetime(string="Locked On", readonly=True, copy=False)
    jxc_buy_route_auto = fields.Boolean(
        string="Buy Route Set by Safety Stock", readonly=True, copy=False,
        help="The safety stock computation set the Buy route with the vendor it chose, and removes it again "
        "once Odoo's routes resupply the warehouse from another. A route a user sets is kept.",
    )
    jxc_overstock_since = fields.Date(
        string="Above Max Since", readonly=True, copy=False,
        help="First day of the current period with stock above the maximum (set by the purchase plan refresh).",
    )

    @api.depends("jxc_forecast_lt", "jxc_forecast_review")
    def _compute_jxc_forecast_qty(self):
        for orderpoint in self:
            orderpoint.jxc_forecast_qty = orderpoint.jxc_forecast_lt + orderpoint.jxc_forecast_review

    def _check_company(self, fnames=None):
        # The safety stock creates thousands of rules at once.
        return check_company_batch(self, fnames, super()._check_company)

    @api.autovacuum
    def _unlink_processed_orderpoints(self):
        # Odoo deletes the manual rules the superuser created (its replenishment report's
        # suggestions) once nothing is left to order. A rule the safety stock manages is not
        # such a suggestion, whoever created it (the engine adopts those: _get_rule_author).
        if self:
            candidates = self.filtered(lambda orderpoint: not orderpoint.jxc_rule_id)
        else:  # Odoo's own search of all of them, without the managed rules
            candidates = self.with_context(active_test=False).search([
                ("create_uid", "=", SUPERUSER_ID), ("trigger", "=", "manual"), ("jxc_rule_id", "=", False),
            ])
        if not candidates:
            return self.browse()
        return super(StockWarehouseOrderpoint, candidates)._unlink_processed_orderpoints()

    # --- the add-on's fields: lock, and what the system computes ---------------------------
    @api.model
    def _jxc_system_fields(self):
        """The fields only the add-on sets, as superuser: the lock (its buttons) and the figures
        of the planning engine, the purchase plan's refresh and the forecast drift alert (every
        stored, read-only field of its own, also one computed from the others: the forecast
        demand, written, would stay until its inputs change). A rule managed by a safety-stock
        rule, or a drift activity the alert later deletes, is not a client's to set."""
        return {
            name for name, field in self._fields.items()
            if name.startswith("jxc_") and field.store and field.readonly
        }

    @api.model_create_multi
    def create(self, vals_list):
        # rules the system creates (the engine, Odoo's replenishment) take no client default of these
        vals_list = check_client_defaults(self, vals_list, self._jxc_system_fields(), self._check_system_write)
        return super().create(vals_list)

    def write(self, vals):
        self._check_system_write([vals])
        if "route_id" in vals and "jxc_buy_route_auto" not in vals:
            # a route set by anyone but the engine (also purchase_stock's inverse of a vendor a
            # user chose) is a choice the engine keeps
            vals = {**vals, "jxc_buy_route_auto": False}
        return super().write(vals)

    def unlink(self):
        # No rule would point to a deleted rule's drift activity any more: the daily alerts
        # would neither remove it nor see it, and alert a recreated rule with a second one.
        # Withdrawn once the rules are gone, so that only the other rules' drifts keep it.
        activities = self.sudo().jxc_drift_activity_id
        result = super().unlink()
        if activities:
            self.env["jxc.forecast.drift"]._withdraw_alerts(activities)
        return result

    def copy_data(self, default=None):
        # a user's duplicate is a rule of his own, which the engine has not computed (yet)
        vals_list = super().copy_data(default=default)
        if self.env.su:
            return vals_list
        dropped = self._jxc_system_fields() - set(default or ())
        return [{name: value for name, value in vals.items() if name not in dropped} for vals in vals_list]

    @api.model
    def _check_system_write(self, vals_list):
        if self.env.su:
            return
        given = set().union(*vals_list) & self._jxc_system_fields()
        if given & LOCK_FIELDS:
            # the buttons check who may lock (inventory control users) and unlock (managers)
            raise AccessError(self.env._("Lock or unlock a reordering rule with its Lock and Unlock buttons."))
        if given:
            raise AccessError(self.env._(
                "The safety stock computation sets %(fields)s of reordering rules. To keep quantities of "
                "your own, set them and lock the rule; to change what it computes, change its safety stock rule.",
                fields=", ".join(sorted(self._fields[name]._description_string(self.env) for name in given)),
            ))

    def action_jxc_lock(self):
        if not self.env.user.has_group("jxc_addon.group_jxc_user"):
            raise AccessError(self.env._("Only inventory control users can lock reordering rules."))
        self.check_access("read")
        self.sudo().filtered(lambda o: not o.jxc_locked).write({
            "jxc_locked": True, "jxc_locked_by_id": self.env.uid, "jxc_locked_date": fields.Datetime.now(),
        })
        return True

    def action_jxc_unlock(self):
        if not self.env.user.has_group("jxc_addon.group_jxc_manager"):
            raise AccessError(self.env._(
                "Only inventory control managers can unlock a reordering rule; ask a manager to unlock it."
            ))
        self.check_access("read")
        self.sudo().write({"jxc_locked": False, "jxc_locked_by_id": False, "jxc_locked_date": False})
        return True

    # --- hooks of the planning engine (models/jxc_planning_engine.py) ------------------------
    @api.model
    def _jxc_cron_update_orderpoints(self, use_new_cursor=False):
        """Weekly scheduled action (data/jxc_safety_stock_cron.xml)."""
        return self.env["jxc.planning.engine"]._cron_update_orderpoints(use_new_cursor=use_new_cursor)

    @api.model
    def _jxc_update_orderpoints(self, company, commit_batches=False):
        """Recompute the reordering rules of ``company`` (see the engine)."""
        return self.env["jxc.planning.engine"]._update_orderpoints(company, commit_batches=commit_batches)

    def _jxc_compute_forecast(self):
        """Odoo's on hand and forecast of these rules (its own ``_compute_qty``) for all of them
        at once, as Odoo's pickings compute their forecast availability: ``_compute_qty``
        reads the products' quantities once per forecast context (location, lead-time
        horizon) of the rules it is given, where rules read one by one are computed a
        thousand at a time, each thousand reading the same contexts again."""
        self._fields["qty_forecast"].compute_value(self)

    def _jxc_get_multiple(self):
        """The rule's replenishment multiple in the product's unit (0 when not set: the engine
        then rounds to Odoo's default, the vendor's purchase unit)."""
        self.ensure_one()
        uom = self.product_id.uom_id
        if self.replenishment_uom_id and self.replenishment_uom_id == uom:
            # Set to the product's own unit, Odoo rounds to no packaging
            # (``_get_multiple_rounded_qty``), not to the vendor's one the engine falls back to
            # when the field is empty: whole pieces, or a measured quantity at Odoo's precision.
            return 1.0 if is_counted_in_pieces(uom) else uom.rounding
        # not rounded: one unit of a product sold by the dozen is 0.0833 dozen, not 0.09
        return packaging_multiple(self.product_id.uom_id, self.replenishment_uom_id)

