from odoo import fields, models
from odoo.tools import SQL

from ..models.jxc_safety_stock_rule import RULE_FORECAST_METHODS
from ..models.product_product import ABC_CLASSES, DEMAND_CLASSES
from ..tools.forecast import BIAS_Z_LIMIT


class JxcForecastAccuracyReport(models.Model):
    """Forecast accuracy of the reordering rules the safety stock manages, one row per
    product and warehouse, by ABC class and buyer.

    The figures come from the engine's backtest of each rule's forecast method on its own
    history (``tools/forecast.py``), stored on the reordering rule at each computation.
    WAPE and bias are ratios per row, empty where the replay had no demand (undefined); a
    group's are the ratios of its sums (absolute error / demand, error / demand), not the
    average of its rows' ratios, each product's quantities valued at its cost in the row's
    company (summed converted to one currency, as Odoo's ``sum_currency``): quantities of different products (units, dozens, kilograms) are not added up,
    and within one product the value ratio is its quantity ratio (``_read_group_select``).
    The quantity columns have no total for the same reason. For a user who may not read the
    costs, a group's WAPE and bias are its rows' average: weights of their choosing would
    give away the ratios of the costs.
    """

    _name = "jxc.forecast.accuracy.report"
    _description = "Forecast Accuracy Analysis"
    _inherit = ["jxc.analysis.mixin"]
    _auto = False
    _order = "abs_bias_z desc, id"
    # the dashboard tile counts the drifting forecasts now, whatever the period
    _jxc_dashboard_period_free = True

    _jxc_xlsx_fields = tuple((name, None) for name in (
        "product_id", "warehouse_id", "abc_class", "demand_class", "buyer_id", "forecast_method", "actual",
        "abs_error", "error", "wape", "bias", "mase", "tracking_signal", "bias_z",
    ))
    # no totals: the quantities of different products do not add up

    orderpoint_id = fields.Many2one("stock.warehouse.orderpoint", string="Reordering Rule", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    buyer_id = fields.Many2one(
        "res.users", readonly=True,
        help="The buyer of the rule's vendor, else the product's responsible.",
    )
    abc_class = fields.Selection(ABC_CLASSES, string="ABC Class", readonly=True)
    demand_class = fields.Selection(DEMAND_CLASSES, readonly=True)
    forecast_method = fields.Selection(
        [m for m in RULE_FORECAST_METHODS if m[0] != "auto"], readonly=True,
    )
    actual = fields.Float(string="Demand", readonly=True, digits="Product Unit")
    error = fields.Float(string="Error (Forecast - Demand)", readonly=True, digits="Product Unit")
    abs_error = fields.Float(string="Absolute Error", readonly=True, digits="Product Unit")
    unit_cost = fields.Float(
        readonly=True, min_display_digits="Product Price", groups="jxc_addon.group_jxc_manager",
        help="Cost of one unit of the product in the company: a group's WAPE and bias weigh each product by "
        "the value of its demand and errors.",
    )
    # the quantities at cost, summed converted to one currency for a group's WAPE and bias
    currency_id = fields.Many2one("res.currency", readonly=True)
    demand_value = fields.Monetary(
        readonly=True, groups="jxc_addon.group_jxc_manager",
        help="Demand at the unit cost (none for net returns): what a group's WAPE and bias divide by.",
    )
    abs_error_value = fields.Monetary(
        string="Absolute Error Value", readonly=True, groups="jxc_addon.group_jxc_manager",
        help="Absolute error at the unit cost.",
    )
    error_value = fields.Monetary(
        readonly=True, groups="jxc_addon.group_jxc_manager", help="Error (forecast - demand) at the unit cost.",
    )
    wape = fields.Float(
        string="WAPE (%)", readonly=True, aggregator="avg", digits=(16, 2),
        help="Sum of the absolute errors / demand; empty without demand in the replay. A group's is its sums' "
        "ratio, each product's quantities at cost, for those who may read costs; its rows' average for others.",
    )
    bias = fields.Float(
        string="Bias (%)", readonly=True, aggregator="avg", digits=(16, 2),
        help="Sum of the errors / demand (above 0: the forecast was too high); empty without demand in the replay. "
        "A group's is weighed as the WAPE's.",
    )
    mase = fields.Float(
        string="MASE", readonly=True, aggregator="avg", digits=(16, 4),
        help="Mean absolute error / that of the naive forecast (last period again) on the history: below 1 the "
        "method beats it. Empty where undefined: no period scored, or errors on a history that never changed.",
    )
    tracking_signal = fields.Float(readonly=True, aggregator="avg", digits=(16, 2))
    bias_z = fields.Float(string="Bias z", readonly=True, aggregator=False, digits=(16, 2))
    abs_bias_z = fields.Float(string="|Bias z|", readonly=True, aggregator="max", digits=(16, 2))
    drifting = fields.Boolean(
        readonly=True, help="The bias z is beyond +-1.96: the errors' mean differs from 0 at the 95 % level, the "
        "forecast runs away from the demand.",
    )

    _depends = {
        "stock.warehouse.orderpoint": [
            "product_id", "warehouse_id", "company_id", "supplier_id", "jxc_rule_id", "jxc_demand_class",
            "jxc_forecast_method", "jxc_forecast_actual", "jxc_forecast_error", "jxc_forecast_abs_error",
            "jxc_forecast_wape", "jxc_forecast_bias", "jxc_forecast_mase", "jxc_tracking_signal", "jxc_forecast_bias_z",
            "active",
        ],
        "product.product": ["product_tmpl_id", "jxc_abc_class", "standard_price"],
        "product.template": ["responsible_id"],
        "product.supplierinfo": ["partner_id"],
        "res.partner": ["buyer_id"],
        "res.company": ["currency_id"],
    }

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT op.id, op.id AS orderpoint_id, op.product_id, op.warehouse_id, op.company_id,
                   COALESCE(vendor.buyer_id, (pt.responsible_id ->> op.company_id::text)::int) AS buyer_id,
                   pp.jxc_abc_class ->> op.company_id::text AS abc_class,
                   op.jxc_demand_class AS demand_class, op.jxc_forecast_method AS forecast_method,
                   op.jxc_forecast_actual AS actual, op.jxc_forecast_error AS error,
                   op.jxc_forecast_abs_error AS abs_error,
                   cost.unit_cost, c.currency_id,
                   GREATEST(op.jxc_forecast_actual, 0) * cost.unit_cost AS demand_value,
                   op.jxc_forecast_abs_error * cost.unit_cost AS abs_error_value,
                   op.jxc_forecast_error * cost.unit_cost AS error_value,
                   -- undefined without demand (Odoo stores the engine's empty figures as 0)
                   CASE WHEN op.jxc_forecast_actual > 0 THEN op.jxc_forecast_wape END AS wape,
                   CASE WHEN op.jxc_forecast_actual > 0 THEN op.jxc_forecast_bias END AS bias,
                   -- undefined (stored 0) without a scored period, or with errors on a constant history
                   -- (no naive error to scale them by): a 0 with errors, or with no demand at all
                   CASE WHEN op.jxc_forecast_mase > 0
                          OR (op.jxc_forecast_abs_error = 0 AND op.jxc_forecast_actual > 0)
                        THEN op.jxc_forecast_mase END AS mase,
                   op.jxc_tracking_signal AS tracking_signal, ABS(op.jxc_forecast_bias_z) AS abs_bias_z,
                   op.jxc_forecast_bias_z AS bias_z, ABS(op.jxc_forecast_bias_z) > %(limit)s AS drifting
              FROM stock_warehouse_orderpoint op
              JOIN product_product pp ON pp.id = op.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
              JOIN res_company c ON c.id = op.company_id
              CROSS JOIN LATERAL (
                    SELECT COALESCE((pp.standard_price ->> op.company_id::text)::numeric, 0) AS unit_cost
              ) cost
              LEFT JOIN product_supplierinfo si ON si.id = op.supplier_id
              LEFT JOIN res_partner vendor ON vendor.id = si.partner_id
             WHERE op.jxc_rule_id IS NOT NULL AND op.active
               AND op.jxc_forecast_method IN ('moving_average', 'ses', 'croston_sba', 'tsb')
            """,
            limit=BIAS_Z_LIMIT,
        )

    def _read_group_select(self, aggregate_spec, query):
        """A group's WAPE and bias: the ratio of its sums over its demand (a product of little
        demand and a large relative error would otherwise weigh as much as the rest), each
        product's quantities at its unit cost (the backtest's value-weighted fill rates do the
        same), summed converted to one currency as Odoo's ``sum_currency`` does; a group whose
        demand is worth nothing (products without a cost) shows its rows' average, none without
        demand. A user who may not read costs sees the rows' average."""
        errors = {"wape:avg": "abs_error_value", "bias:avg": "error_value"}
        if aggregate_spec not in errors:
            return super()._read_group_select(aggregate_spec, query)
        rate = self._field_to_sql(self._table, aggregate_spec.partition(":")[0], query)
        if not self.env.su and not self.env.user.has_groups(self._fields["unit_cost"].groups):
            # Weighed by cost, groups of chosen products would give away their costs' ratios to
            # a user who may not read costs: theirs is the rows' average.
            return SQL("AVG(%s)", rate)
        # net returns (a demand below 0) are no demand to divide by: their errors still count
        return SQL(
            "COALESCE(%(error)s / NULLIF(%(demand)s, 0) * 100, AVG(%(rate)s))",
            error=self._read_group_select(errors[aggregate_spec] + ":sum_currency", query),
            demand=self._read_group_select("demand_value:sum_currency", query), rate=rate,
        )

    def _get_jxc_dashboard_kpis(self, company, date_from, date_to):
        """Dashboard tile: reordering rules whose forecast drifts (as of the last computation
        of the reordering rules: the period does not change it)."""
        domain = [("company_id", "=", company.id), ("drifting", "=", True)]
        return [{
            "key": "jxc_forecast_drift", "label": self.env._("Forecasts Drifting"),
            "value": float(self.env["jxc.forecast.drift"]._get_drift_count(company)), "type": "int",
            "action": {
                "type": "ir.actions.act_window", "name": self.env._("Forecasts Drifting"),
                "res_model": self._name, "views": [[False, "list"], [False, "pivot"]], "domain": domain,
            },
        }]
