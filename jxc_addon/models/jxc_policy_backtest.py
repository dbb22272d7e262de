"""Policy backtest: the last 365 days of real demand replayed day by day for every product
and warehouse a safety-stock rule covers, under (a) the reordering rules the safety stock
proposes today and (b) the reordering rules as they are, plus an exchange curve per ABC
class (target fill rate -> achieved fill rate and average stock value).

The replay is ``tools/backtest.py`` (numpy, all products at once). Both policies start the
year with their maximum on hand; each order's lead time is drawn, with equal chances, from
the lead times the vendor really took: its receipts of the product in the window (at least
``MIN_LEAD_TIME_RECEIPTS`` of them), else its receipts of any product, else the rule's lead time (its
mean plus or minus its deviation). The rules may plan with the vendor's promise: the replay
tests them against what the vendor did. The proposed rules are computed from the recent
history, which the replayed year includes: the check shows what the rules do with demand
like last year's, not a forecast of next year. As Odoo's scheduler, the replay orders from
automatic rules only: a manual rule, or a product without any rule, orders nothing. Beside both replays,
what really happened in the same 365 days (``_get_actuals``): the fill rate of the real
deliveries, the days that really ended without stock, the real average stock and the real
purchase orders.

The fill rates and cycle service levels are ratios: a group of lines shows the ratio of its
sums, not the average of the lines' ratios (``_read_group_select``): cycles served in full /
cycles, and for the fill rates the value served / the value asked (quantities at the
product's unit cost). Quantities of different products (units, dozens, kilograms) are not
added up; within one product the value ratio is its quantity ratio. The exchange curve's
class figure is the same value-weighted fill rate. Both replays order as Odoo's reordering rule does, up to the
maximum rounded up to the rule's replenishment multiple (its replenishment unit, else the
vendor's purchase unit).
"""

from datetime import timedelta

import numpy as np

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from ..tools.backtest import replay
from ..tools.company_day import company_today, local_date_sql, local_midnight_utc
from ..tools.inventory_policy import fill_rate_safety_stocks_normal, safety_stock_for_target, undershoot_moments
from ..tools.orm_batch import bulk_create
from ..tools.safety_stock_math import MIN_LEAD_TIME_RECEIPTS
from ..tools.sql_array import sql_array
from ..tools.warehouse_border import company_transfer_sql, crosses_border_sql, vendor_location_sql
from .jxc_safety_stock_rule import SERVICE_TARGETS
from .product_product import ABC_CLASSES, DEMAND_CLASSES
from .stock_warehouse_orderpoint import FORECAST_METHODS

BACKTEST_DAYS = 365
LEAD_TIME_DRAWS = [
    ("product", "Receipts of the Product"), ("vendor", "Receipts of the Vendor"), ("rule", "Rule's Lead Time"),
]
CURVE_TARGETS = (85.0, 90.0, 95.0, 97.5, 99.0, 99.5)
# One replayed year holds few order cycles per product: a rule is below its target when the
# replay misses it by more than this many points (the issue-17 check's tolerance)
TARGET_TOLERANCE = 2.0


REPLAY_CYCLES_HELP = ("Receipts in the replay: the replenishment cycles its cycle service level counts (a year "
                      "without a receipt counts as one).")


class JxcPolicyBacktest(models.Model):
    """One product in one warehouse: why its proposed rule is what it is, and how both
    rules would have served last year's demand."""

    _name = "jxc.policy.backtest"
    _description = "Policy Backtest"
    _inherit = ["jxc.analysis.mixin"]
    _order = "company_id, proposed_fill_rate, id"
    _check_company_auto = True

    _jxc_xlsx_fields = tuple((name, None) for name in (
        "product_id", "warehouse_id", "abc_class", "demand_class", "forecast_method", "replay_lead_time_source",
        "replay_lead_time", "service_level", "service_target",
        "distribution", "z", "uom_id", "safety_stock", "proposed_min", "proposed_max", "current_min", "current_max", "demand",
        "proposed_fill_rate", "current_fill_rate", "proposed_csl", "current_csl", "proposed_stockout_days",
        "current_stockout_days", "proposed_orders", "current_orders", "proposed_stock_value", "current_stock_value",
        "actual_fill_rate", "actual_csl", "actual_stockout_days", "actual_orders", "actual_stock_value",
    ))
    # no total of the demand: the rows are of different products, in different units
    _jxc_xlsx_totals = ("proposed_stockout_days", "current_stockout_days", "proposed_orders",
                        "current_orders", "proposed_stock_value", "current_stock_value", "actual_stockout_days",
                        "actual_orders", "actual_stock_value")

    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    date = fields.Date(string="Run On", readonly=True)
    product_id = fields.Many2one("product.product", required=True, readonly=True, check_company=True, index=True)
    uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    warehouse_id = fields.Many2one("stock.warehouse", required=True, readonly=True, check_company=True)
    orderpoint_id = fields.Many2one("stock.warehouse.orderpoint", string="Reordering Rule", readonly=True, ondelete="set null")
    rule_id = fields.Many2one("jxc.safety.stock.rule", string="Safety Stock Rule", readonly=True, ondelete="set null")
    abc_class = fields.Selection(ABC_CLASSES, string="ABC Class", readonly=True)
    demand_class = fields.Selection(DEMAND_CLASSES, readonly=True)
    forecast_method = fields.Selection(FORECAST_METHODS, readonly=True)
    demand_mean = fields.Float(string="Avg Daily Demand", readonly=True, digits=(16, 4))
    demand_stddev = fields.Float(string="Demand Std Dev", readonly=True, digits=(16, 4))
    lead_time = fields.Float(string="Lead Time (days)", readonly=True, digits=(16, 2))
    lead_time_stddev = fields.Float(string="Lead Time Std Dev (days)", readonly=True, digits=(16, 2))
    replay_lead_time_source = fields.Selection(
        LEAD_TIME_DRAWS, string="Replayed Lead Times", readonly=True,
        help="Where the lead time of each replayed order is drawn from: the vendor's receipts of the product "
        "in the history window, its receipts of any product (fewer than 3 of the product), or, without "
        "3 receipts, the rule's lead time plus or minus its deviation.",
    )
    replay_lead_time_receipts = fields.Integer(
        string="Receipts Replayed", readonly=True, help="How many real receipts the replayed lead times are drawn from.",
    )
    replay_lead_time = fields.Float(
        string="Replayed Lead Time (days)", aggregator="avg", readonly=True, digits=(16, 2),
        help="Average of the lead times the replayed orders draw from.",
    )
    service_level = fields.Float(
        string="Target (%)", aggregator="avg", readonly=True,
        help="The safety stock rule's target, a cycle service level or a fill rate (see Target Measure).",
    )
    service_target = fields.Selection(
        SERVICE_TARGETS, string="Target Measure", readonly=True,
        help="What the target measures: the cycle service level (share of the replenishment cycles without a "
        "shortage) or the fill rate (share of the demand served from stock). Empty: a rule without a service "
        "target (fixed quantity, days of cover).",
    )
    distribution = fields.Selection([("normal", "Normal"), ("gamma", "Gamma")], readonly=True)
    z = fields.Float(string="Safety Factor z", readonly=True, digits=(16, 4))
    forecast_lt = fields.Float(string="Forecast over Lead Time", readonly=True, digits="Product Unit")
    safety_stock = fields.Float(readonly=True, digits="Product Unit")
    proposed_min = fields.Float(string="Proposed Reorder Point", readonly=True, digits="Product Unit")
    proposed_max = fields.Float(string="Proposed Maximum", readonly=True, digits="Product Unit")
    current_min = fields.Float(string="Current Reorder Point", readonly=True, digits="Product Unit")
    current_max = fields.Float(string="Current Maximum", readonly=True, digits="Product Unit")
    demand = fields.Float(string="Demand (365 days)", readonly=True, digits="Product Unit")
    unit_cost = fields.Float(
        readonly=True, min_display_digits="Product Price",
        help="Cost of one unit of the product when the backtest ran: the fill rates of a group of products "
        "weigh each product by the value of its demand.",
    )
    proposed_fill_rate = fields.Float(string="Fill Rate (%), Proposed", readonly=True, aggregator="avg", digits=(16, 2))
    current_fill_rate = fields.Float(string="Fill Rate (%), Current", readonly=True, aggregator="avg", digits=(16, 2))
    proposed_csl = fields.Float(string="Cycle Service (%), Proposed", readonly=True, aggregator="avg", digits=(16, 2))
    current_csl = fields.Float(string="Cycle Service (%), Current", readonly=True, aggregator="avg", digits=(16, 2))
    below_target = fields.Boolean(
        compute="_compute_below_target", store=True,
        help="The proposed rule's replay misses the target by more than 2 points, in the target's measure: "
        "its cycle service level for a cycle service target, its fill rate for a fill-rate target.",
    )
    proposed_cycles = fields.Integer(string="Replenishment Cycles, Proposed", readonly=True, help=REPLAY_CYCLES_HELP)
    current_cycles = fields.Integer(string="Replenishment Cycles, Current", readonly=True, help=REPLAY_CYCLES_HELP)
    proposed_stockout_days = fields.Integer(string="Stock-out Days, Proposed", readonly=True)
    current_stockout_days = fields.Integer(string="Stock-out Days, Current", readonly=True)
    proposed_orders = fields.Integer(string="Orders, Proposed", readonly=True)
    current_orders = fields.Integer(string="Orders, Current", readonly=True)
    proposed_avg_stock = fields.Float(string="Avg Stock, Proposed", readonly=True, digits="Product Unit")
    current_avg_stock = fields.Float(string="Avg Stock, Current", readonly=True, digits="Product Unit")
    currency_id = fields.Many2one(related="company_id.currency_id")
    proposed_stock_value = fields.Monetary(
        string="Avg Stock Value, Proposed", readonly=True, groups="jxc_addon.group_jxc_manager",
    )
    current_stock_value = fields.Monetary(
        string="Avg Stock Value, Current", readonly=True, groups="jxc_addon.group_jxc_manager",
    )
    # what really happened in the same 365 days
    actual_fill_rate = fields.Float(
        string="Fill Rate (%), Actual", readonly=True, aggregator="avg", digits=(16, 2),
        help="Share of the quantity of the real customer deliveries from the warehouse that their first "
        "delivery shipped (the rest went out later or not at all); 100 without deliveries.",
    )
    actual_csl = fields.Float(
        string="Cycle Service (%), Actual", readonly=True, aggregator="avg", digits=(16, 2),
        help="Share of the real replenishment cycles (the days before a receipt from a vendor, back to the "
        "previous one) in which every first delivery from the warehouse shipped in full.",
    )
    actual_asked = fields.Float(
        string="Quantity Asked, Actual", readonly=True, digits="Product Unit",
        help="Quantity the real customer deliveries from the warehouse asked: what the actual fill rate "
        "is a share of.",
    )
    actual_cycles = fields.Integer(
        string="Replenishment Cycles, Actual", readonly=True,
        help="Real receipts from a vendor: the replenishment cycles the actual cycle service level counts "
        "(a year without a receipt counts as one).",
    )
    actual_stockout_days = fields.Integer(
        string="Stock-out Days, Actual", readonly=True,
        help="Days that really ended with nothing on hand in the warehouse (as the replays count them), from the "
        "first day the product was there: the days before it was ever stocked or moved there are no stock-out.",
    )
    actual_orders = fields.Integer(
        string="Orders, Actual", readonly=True, help="Purchase orders of the product confirmed for the warehouse.",
    )
    actual_avg_stock = fields.Float(
        string="Avg Stock, Actual", readonly=True, digits="Product Unit",
        help="Mean of the real stock on hand in the warehouse at the end of each day.",
    )
    actual_stock_value = fields.Monetary(
        string="Avg Stock Value, Actual", readonly=True, groups="jxc_addon.group_jxc_manager",
    )

    # Two backtests of a company run at once would each replace the lines they saw (none, the
    # first time) and add a set of their own: the second to insert waits for the first and fails.
    _unique_product_warehouse = models.Constraint(
        "UNIQUE(product_id, warehouse_id)",
        "Someone else ran the policy backtest of this company at the same time: reload the page to see its "
        "results.",
    )

    @api.depends("service_target", "service_level", "proposed_csl", "proposed_fill_rate")
    def _compute_below_target(self):
        for line in self:
            line.below_target = self._is_below_target(
                line.service_target, line.service_level, line.proposed_csl, line.proposed_fill_rate,
            )

    @api.model
    def _is_below_target(self, target, level, csl, fill_rate):
        """Whether a replay that reached ``csl`` and ``fill_rate`` (%) misses the ``target``
        ("cycle" or "fill_rate") of ``level`` (%) by more than ``TARGET_TOLERANCE`` points."""
        reached = {"cycle": csl, "fill_rate": fill_rate}.get(target)
        return reached is not None and reached < level - TARGET_TOLERANCE

    def _read_group_select(self, aggregate_spec, query):
        """A group's fill rates and cycle service levels: the ratio of its sums, each line's
        rate weighted by the value of its demand (quantity x unit cost, converted to the user's
        company currency: unit-free across products and companies, the quantity ratio within
        one product) or by its cycles (a year without a receipt is one cycle); a group without
        any such weight shows its lines' average (100 % without demand)."""
        weights = {
            "proposed_fill_rate": "demand", "current_fill_rate": "demand", "actual_fill_rate": "actual_asked",
            "proposed_csl": "proposed_cycles", "current_csl": "current_cycles", "actual_csl": "actual_cycles",
        }
        fname, _sep, func = aggregate_spec.partition(":")
        if func != "avg" or fname not in weights:
            return super()._read_group_select(aggregate_spec, query)
        rate = self._field_to_sql(self._table, fname, query)
        weight = self._field_to_sql(self._table, weights[fname], query)
        if self._fields[weights[fname]].type == "integer":
            weight = SQL("GREATEST(%s, 1)", weight)
        else:
            # each row's value in one currency, as Odoo's sum_currency converts it (rows of companies
            # in other currencies): its join of the currency rates, registered by asking it once
            super()._read_group_select("proposed_stock_value:sum_currency", query)
            currency_rate = SQL.identifier(query.make_alias(self._table, "currency_id__rates"), "rate")
            weight = SQL("%s * %s / COALESCE(%s, 1.0)", weight, self._field_to_sql(self._table, "unit_cost", query),
                         currency_rate)
        return SQL("COALESCE(SUM(%(rate)s * %(weight)s) / NULLIF(SUM(%(weight)s), 0), AVG(%(rate)s))",
                   rate=rate, weight=weight)

    @api.model
    def action_run(self):
        """Button (managers): replay the last year of every company of the user."""
        if not self.env.su and not self.env.user.has_group("jxc_addon.group_jxc_manager"):
            raise AccessError(self.env._("Only inventory control managers can run the policy backtest."))
        for company in self.env.companies:
            self.sudo().with_company(company)._run(company)
        return {"type": "ir.actions.client", "tag": "soft_reload"}

    @api.model
    def _run(self, company):
        """Replace ``company``'s backtest lines and exchange curve by a replay of the last
        365 days. :return: the lines created"""
        engine = self.env["jxc.planning.engine"].with_company(company)
        plans = [plan for plan in engine._get_plans(company) if plan["has_history"]]
        self.search([("company_id", "=", company.id)]).unlink()
        self.env["jxc.policy.backtest.curve"].search([("company_id", "=", company.id)]).unlink()
        if not plans:
            return self.browse()
        today = company_today(company)
        # the demand each rule sizes on: deliveries, plus consumption where the rule counts it
        series = {
            include: engine._get_demand_series(
                company, list({plan["product"].id for plan in plans if bool(plan["rule"].include_production) == include}),
                today - timedelta(days=BACKTEST_DAYS), today, include_production=include,
            )
            for include in {bool(plan["rule"].include_production) for plan in plans}
        }
        demand = np.vstack([
            series[bool(plan["rule"].include_production)].get(
                (plan["product"].id, plan["warehouse"].id), np.zeros(BACKTEST_DAYS))
            for plan in plans
        ])
        starts = self._get_first_days(company, plans, today)
        orderpoints = self._get_orderpoints(company, plans)
        current = [orderpoints.get((plan["product"].id, plan["warehouse"].id)) for plan in plans]
        # the multiple the engine sizes the rule with, and the one Odoo rounds its orders to
        proposed = [
            engine._prepare_orderpoint_vals(plan, orderpoint._jxc_get_multiple() if orderpoint else 0.0)
            for plan, orderpoint in zip(plans, current, strict=True)
        ]
        multiples = [self._get_order_multiple(plan, orderpoint) for plan, orderpoint in zip(plans, current, strict=True)]
        receipts = self._get_receipt_lead_times(company, plans, today)
        draws = [self._get_lead_time_draws(plan, receipts) for plan in plans]
        lead_times = [samples for _source, samples in draws]
        result_proposed = replay(
            demand, [v["product_min_qty"] for v in proposed], [v["product_max_qty"] for v in proposed], lead_times,
            multiple=multiples, start=starts,
        )
        # Odoo's scheduler orders from automatic rules only: a manual rule (and a product without
        # a rule) is replayed ordering nothing, from its maximum (or nothing) on hand
        result_current = replay(
            demand, [op.product_min_qty if op and op.trigger == "auto" else -np.inf for op in current],
            [op.product_max_qty if op else 0.0 for op in current], lead_times, multiple=multiples, start=starts,
        )
        costs = np.array([plan["product"].with_company(company).standard_price for plan in plans])
        actuals = self._get_actuals(company, plans, today, starts)
        lines = []
        for index, plan in enumerate(plans):
            vals, orderpoint = proposed[index], current[index]
            results = self._prepare_result_vals("proposed", result_proposed, index, costs[index])
            lines.append({
                "company_id": company.id, "date": today, "product_id": plan["product"].id,
                "warehouse_id": plan["warehouse"].id, "orderpoint_id": orderpoint.id if orderpoint else False,
                "rule_id": plan["rule"].id, "abc_class": plan["product"].with_company(company).jxc_abc_class or False,
                "demand_class": plan["demand_class"], "forecast_method": plan["forecast_method"],
                "demand_mean": plan["demand_mean"], "demand_stddev": plan["demand_stddev"],
                "lead_time": plan["lead_time"], "lead_time_stddev": plan["lead_time_stddev"],
                "replay_lead_time_source": draws[index][0],
                "replay_lead_time_receipts": len(draws[index][1]) if draws[index][0] != "rule" else 0,
                "replay_lead_time": sum(draws[index][1]) / len(draws[index][1]),
                "service_level": plan["service_level"], "service_target": vals["jxc_service_target"],
                "below_target": self._is_below_target(
                    vals["jxc_service_target"], plan["service_level"], results["proposed_csl"],
                    results["proposed_fill_rate"],
                ),
                "distribution": plan["distribution"], "z": plan["z"],
                "forecast_lt": plan["forecast_lt"], "safety_stock": vals["jxc_safety_stock"],
                "proposed_min": vals["product_min_qty"], "proposed_max": vals["product_max_qty"],
                "current_min": orderpoint.product_min_qty if orderpoint else 0.0,
                "current_max": orderpoint.product_max_qty if orderpoint else 0.0,
                "demand": float(result_proposed["demand"][index]), "unit_cost": float(costs[index]),
                **results,
                **self._prepare_result_vals("current", result_current, index, costs[index]),
                **self._prepare_result_vals("actual", actuals, index, costs[index]),
            })
        created = bulk_create(self, lines)
        self._compute_exchange_curve(company, plans, demand, lead_times, costs, multiples, starts)
        return created

    @api.model
    def _get_first_days(self, company, plans, today):
        """Each plan's first replayed day (array, 0 = the first of the 365): the day its product
        first moved in its warehouse, for a product that came in during the year. A replay that
        held the maximum on the days before would credit the rule with stock the warehouse could
        not have had, and the real average would count those days as empty."""
        first_day = today - timedelta(days=BACKTEST_DAYS)
        firsts = self.env["jxc.planning.engine"]._get_first_move_dates(
            company, [(plan["product"].id, plan["warehouse"].id) for plan in plans])
        return np.array([
            max((firsts.get((plan["product"].id, plan["warehouse"].id), first_day) - first_day).days, 0)
            for plan in plans
        ], dtype=int)

    @api.model
    def _get_order_multiple(self, plan, orderpoint):
        """What Odoo rounds an order of the plan's rule up to, in the product's unit
        (``_get_multiple_rounded_qty``): the rule's replenishment unit, else Odoo's default
        (``jxc.planning.engine._get_default_multiple``; 0: none)."""
        if orderpoint and orderpoint.replenishment_uom_id:
            return orderpoint._jxc_get_multiple()
        return self.env["jxc.planning.engine"]._get_default_multiple(plan)

    @api.model
    def _prepare_jxc_xlsx_extra_sheets(self, domain):
        """The exchange curve of the same companies, on a second sheet."""
        Curve = self.env["jxc.policy.backtest.curve"]
        companies = self.search(domain).company_id
        points = Curve.search([("company_id", "in", companies.ids)])
        return [Curve._prepare_jxc_xlsx_sheet(points, self.env._("Exchange Curve"))]

    @api.model
    def _prepare_result_vals(self, policy, result, index, cost):
        return {
            f"{policy}_fill_rate": float(result["fill_rate"][index]) * 100.0,
            f"{policy}_csl": float(result["cycle_service_level"][index]) * 100.0,
            f"{policy}_cycles": int(result["cycles"][index]),
            **({f"{policy}_asked": float(result["asked"][index])} if "asked" in result else {}),
            f"{policy}_stockout_days": int(result["stockout_days"][index]),
            f"{policy}_orders": int(result["orders"][index]),
            f"{policy}_avg_stock": float(result["average_stock"][index]),
            f"{policy}_stock_value": self.env.company.currency_id.round(float(result["average_stock"][index]) * cost),
        }

    @api.model
    def _get_actuals(self, company, plans, today, starts):
        """What really happened to each plan's product in its warehouse over the 365 days before
        ``today``, in the replays' terms (arrays by plan): "fill_rate" of the real deliveries
        (``jxc.service.level``) and the quantity they "asked", "stockout_days" and
        "average_stock" from the real stock at the end of each day (on hand now, less the flows
        of the days after; a stock-out from the first day the product was there; the average
        over the days from ``starts``, each plan's first day as the replays count it),
        "orders" confirmed, "cycle_service_level" and its "cycles"."""
        first_day = today - timedelta(days=BACKTEST_DAYS)
        start, stop = local_midnight_utc(company, first_day), local_midnight_utc(company, today)
        keys = [(plan["product"].id, plan["warehouse"].id) for plan in plans]
        index = {key: row for row, key in enumerate(keys)}
        product_ids = sql_array(list({key[0] for key in keys}), "int4")
        self.env.flush_all()
        # net flow into each warehouse per company day, day BACKTEST_DAYS being today so far
        flows = np.zeros((len(plans), BACKTEST_DAYS + 1))
        moved = np.zeros((len(plans), BACKTEST_DAYS + 1), dtype=bool)  # a day with moves, whatever their net
        for product_id, warehouse_id, day, qty in self.env.execute_query(SQL(
            """
            SELECT ml.product_id, w.warehouse_id, %(day)s - %(first_day)s, SUM(w.sign * ml.quantity_product_uom)
              FROM stock_move_line ml
              JOIN stock_location sl ON sl.id = ml.location_id
              JOIN stock_location dl ON dl.id = ml.location_dest_id
             CROSS JOIN LATERAL (
                   SELECT dl.warehouse_id, 1 WHERE %(entering)s
                   UNION ALL
                   SELECT sl.warehouse_id, -1 WHERE %(leaving)s
             ) w(warehouse_id, sign)
             WHERE ml.state = 'done' AND ml.company_id = %(company)s AND ml.date >= %(start)s
               AND ml.product_id = ANY(%(products)s)
             GROUP BY 1, 2, 3
            """,
            day=local_date_sql(company, SQL("ml.date")), first_day=first_day, company=company.id,
            start=start, products=product_ids,
            entering=crosses_border_sql(SQL("dl"), SQL("sl")), leaving=crosses_border_sql(SQL("sl"), SQL("dl")),
        )):
            if (product_id, warehouse_id) in index and 0 <= day <= BACKTEST_DAYS:
                flows[index[product_id, warehouse_id], day] += float(qty)
                moved[index[product_id, warehouse_id], day] = True
        on_hand_now = np.zeros(len(plans))
        for product_id, warehouse_id, qty in self.env.execute_query(SQL(
            """
            SELECT q.product_id, l.warehouse_id, SUM(q.quantity)
              FROM stock_quant q JOIN stock_location l ON l.id = q.location_id
             WHERE q.company_id = %(company)s AND l.usage = 'internal' AND l.warehouse_id IS NOT NULL
               AND q.product_id = ANY(%(products)s)
             GROUP BY 1, 2
            """,
            company=company.id, products=product_ids,
        )):
            if (product_id, warehouse_id) in index:
                on_hand_now[index[product_id, warehouse_id]] = float(qty)
        # stock at the end of day d = on hand now - what came in (net) on the days after d
        after = np.cumsum(flows[:, ::-1], axis=1)[:, ::-1]
        end_of_day = on_hand_now[:, None] - np.hstack([after[:, 1:], np.zeros((len(plans), 1))])[:, :BACKTEST_DAYS]
        orders = np.zeros(len(plans))
        for product_id, warehouse_id, count in self.env.execute_query(SQL(
            """
            SELECT pol.product_id, t.warehouse_id, COUNT(DISTINCT po.id)
              FROM purchase_order_line pol
              JOIN purchase_order po ON po.id = pol.order_id
              JOIN stock_picking_type t ON t.id = po.picking_type_id
             WHERE po.company_id = %(company)s AND po.state IN ('purchase', 'done')
               AND COALESCE(po.date_approve, po.date_order) >= %(start)s
               AND COALESCE(po.date_approve, po.date_order) < %(stop)s AND pol.product_id = ANY(%(products)s)
             GROUP BY 1, 2
            """,
            company=company.id, start=start, stop=stop, products=product_ids,
        )):
            if (product_id, warehouse_id) in index:
                orders[index[product_id, warehouse_id]] = count
        # a warehouse another resupplies orders from it: each resupply received is one order
        resupplied = {key for key, plan in zip(keys, plans, strict=True) if not plan["buys"]}
        if resupplied:
            for product_id, warehouse_id, count in self.env.execute_query(SQL(
                """
                SELECT ml.product_id, dl.warehouse_id, COUNT(DISTINCT COALESCE(ml.picking_id, -ml.move_id))
                  %(receipts)s
                 GROUP BY 1, 2
                """,
                receipts=self._get_receipt_lines_sql(company, start, stop, product_ids, SQL("FALSE")),
            )):
                if (product_id, warehouse_id) in resupplied:
                    orders[index[product_id, warehouse_id]] = count
        fills = self.env["jxc.service.level"]._get_fill_rates_by_product(company, start, stop)
        fill_rate = np.array([
            fills[key][0] / fills[key][1] if fills.get(key, (0.0, 0.0))[1] else 1.0 for key in keys
        ])
        asked = np.array([fills.get(key, (0.0, 0.0))[1] for key in keys])
        cycle_service_level, cycles = self._get_actual_cycle_service(company, index, first_day)
        # a day before the product was ever in the warehouse (no stock, no movement yet) is no stock-out
        empty = end_of_day <= 1e-9
        stocked = np.logical_or.accumulate(~empty | moved[:, :BACKTEST_DAYS], axis=1)
        return {
            "fill_rate": fill_rate, "stockout_days": (empty & stocked).sum(axis=1),
            "average_stock": np.clip(end_of_day, 0.0, None).sum(axis=1) / np.maximum(BACKTEST_DAYS - starts, 1),
            "orders": orders,
            "cycle_service_level": cycle_service_level, "cycles": cycles, "asked": asked,
        }

    @api.model
    def _get_actual_cycle_service(self, company, index, first_day):
        """(cycle service level, cycles) of each plan (arrays): the share of its real
        replenishment cycles (the days before a receipt, from a vendor or a resupply from another
        warehouse (``_get_receipt_lines_sql``), back to the previous one, as the replay counts them) in which every first delivery shipped in full (the
        actual fill rate's measure), and how many (receipts); without a receipt, 1 or 0 for
        the whole year."""
        days = [first_day + timedelta(days=day) for day in range(BACKTEST_DAYS + 1)]
        bounds = [local_midnight_utc(company, day) for day in days]
        short = np.zeros((len(index), BACKTEST_DAYS + 1), dtype=bool)
        rows = self.env["jxc.service.level"]._get_fill_rate_rows(company, bounds, by_product=True)
        for bucket, product_id, warehouse_id, shipped, asked in rows:
            if (product_id, warehouse_id) in index and asked - shipped > 1e-9:
                short[index[product_id, warehouse_id], bucket] = True
        # before[:, d]: the short days before day d
        before = np.cumsum(short, axis=1)
        receipts = {}
        products = sql_array(list({key[0] for key in index}), "int4")
        for product_id, warehouse_id, day in self.env.execute_query(SQL(
            """
            SELECT DISTINCT ml.product_id, dl.warehouse_id, %(day)s - %(first_day)s
              %(receipts)s
             ORDER BY 3
            """,
            day=local_date_sql(company, SQL("ml.date")), first_day=first_day,
            receipts=self._get_receipt_lines_sql(company, bounds[0], bounds[-1], products, vendor_location_sql(SQL("sl"))),
        )):
            if (product_id, warehouse_id) in index:
                receipts.setdefault(index[product_id, warehouse_id], []).append(day)
        csl = np.where(before[:, -1] > 0, 0.0, 1.0)
        cycles = np.zeros(len(index), dtype=int)
        for row, receipt_days in receipts.items():
            ok, previous = 0, 0
            for day in receipt_days:
                ok += before[row, day] == before[row, previous]
                previous = day
            csl[row] = ok / len(receipt_days)
            cycles[row] = len(receipt_days)
        return csl, cycles

    @api.model
    def _get_receipt_lines_sql(self, company, start, stop, products, from_vendor):
        """FROM and WHERE of the done move lines (aliases ml, sl, dl) that replenish a warehouse
        of ``company`` between ``start`` and ``stop``: received from a vendor (``from_vendor``,
        an SQL condition on sl), or a resupply from another of its warehouses or its transit
        location; not a return sent back into it, nor a customer's return or an inventory
        adjustment."""
        return SQL(
            """
              FROM stock_move_line ml
              JOIN stock_move m ON m.id = ml.move_id
              JOIN stock_location sl ON sl.id = ml.location_id
              JOIN stock_location dl ON dl.id = ml.location_dest_id
             WHERE ml.state = 'done' AND ml.company_id = %(company)s AND %(enters)s
               AND (%(from_vendor)s OR %(transfer)s AND m.origin_returned_move_id IS NULL)
               AND ml.date >= %(start)s AND ml.date < %(stop)s AND ml.product_id = ANY(%(products)s)
            """,
            company=company.id, start=start, stop=stop, products=products, from_vendor=from_vendor,
            enters=crosses_border_sql(SQL("dl"), SQL("sl")), transfer=company_transfer_sql(SQL("sl"), SQL("dl")),
        )

    @api.model
    def _get_orderpoints(self, company, plans):
        """{(product id, warehouse id): the reordering rule replenishing the product in the
        warehouse}: the rule at the warehouse's stock, else one at a location under it (a
        buyer's rule on a shelf, which the safety stock leaves in place of its own: the
        engine's ``_apply_plans``), the oldest of several."""
        orderpoints = self.env["stock.warehouse.orderpoint"].search([
            ("company_id", "=", company.id), ("product_id", "in", list({p["product"].id for p in plans})),
            ("location_id", "child_of", list({p["warehouse"].lot_stock_id.id for p in plans})),
        ], order="id")
        by_key = {}
        for orderpoint in orderpoints:
            stock = orderpoint.warehouse_id.lot_stock_id
            key = (orderpoint.product_id.id, orderpoint.warehouse_id.id)
            if not orderpoint.location_id._child_of(stock):
                continue
            if key not in by_key or (orderpoint.location_id == stock and by_key[key].location_id != stock):
                by_key[key] = orderpoint
        return by_key

    @api.model
    def _get_receipt_lead_times(self, company, plans, today):
        """({(vendor, product): stats}, {vendor: stats}) of the receipts of the plans' vendors
        in the longest history window of the company and the plans' rules, each stats with the
        lead time of every receipt ("samples"), as the safety stock measures them."""
        vendors = list({plan["seller"].partner_id.commercial_partner_id.id for plan in plans if plan["seller"]})
        if not vendors:
            return {}, {}
        self.env.flush_all()  # the shared lead-time query reads the database directly
        days = max([BACKTEST_DAYS, company.jxc_demand_history_days] + [plan["rule"].history_days for plan in plans])
        window = (local_midnight_utc(company, today - timedelta(days=days)), local_midnight_utc(company, today + timedelta(days=1)))
        Line = self.env["purchase.order.line"]
        by_product = Line._get_jxc_lead_time_stats(
            *window, company, partner_ids=vendors, product_ids=list({plan["product"].id for plan in plans}),
            by_product=True, with_samples=True, into_stock=True,
        )
        return by_product, Line._get_jxc_lead_time_stats(*window, company, partner_ids=vendors, with_samples=True,
                                                         into_stock=True)

    @api.model
    def _get_lead_time_draws(self, plan, receipts):
        """(source, the lead times an order may take): the vendor's real receipts of the
        product, else of any product, else the rule's mean plus or minus its deviation.
        A receipt's lead time runs from the order's confirmation: where the plan buys, the
        company's Days to Purchase come before it, as Odoo's lead days of a buy rule and the
        rule's lead time (``_compute_statistics``) count them."""
        by_product, by_vendor = receipts
        if plan["seller"]:
            vendor = plan["seller"].partner_id.commercial_partner_id.id
            to_purchase = plan["warehouse"].company_id.days_to_purchase
            for source, stats in (("product", by_product.get((vendor, plan["product"].id))), ("vendor", by_vendor.get(vendor))):
                if stats and stats["count"] >= MIN_LEAD_TIME_RECEIPTS:
                    return source, [sample + to_purchase for sample in stats["samples"]]
        mean, deviation = plan["lead_time"], plan["lead_time_stddev"]
        if deviation <= 0:
            return "rule", [mean]
        return "rule", [max(mean - deviation, 0.0), mean + deviation]

    @api.model
    def _compute_exchange_curve(self, company, plans, demand, lead_times, costs, multiples, starts):
        """For each target fill rate of ``CURVE_TARGETS``: the reorder points of a fill-rate
        target under each plan's distribution, replayed (orders rounded up to ``multiples``,
        each plan from its first day ``starts``);
        per ABC class the fill rate reached and the average stock value. The class's fill rate
        is weighted by value, as the backtest's group rows: value served / value asked at the
        products' unit costs (their units differ); a class whose demand is worth nothing shows
        the mean of its products' fill rates."""
        engine = self.env["jxc.planning.engine"]
        # a product no profile ranked has no class: it is no product without movement (N)
        classes = np.array([plan["product"].with_company(company).jxc_abc_class or "" for plan in plans])
        # What does not depend on the target, once per plan.
        inputs = np.array([
            (plan["forecast_lt"], engine._get_sigma_lead_time(plan), engine._get_order_qty(plan),
             *undershoot_moments(plan["series"], plan["period_days"]))
            for plan in plans
        ]).reshape(len(plans), 5)
        mean, sigma, order_qty, under_mean, under_variance = inputs.T
        gamma = np.array([plan["distribution"] == "gamma" for plan in plans])
        curve = []
        for target in CURVE_TARGETS:
            # Normal plans all at once (numpy), the Gamma ones one by one.
            safety = fill_rate_safety_stocks_normal(mean, sigma, order_qty, target, under_mean, under_variance)
            for row in np.flatnonzero(gamma):
                safety[row] = safety_stock_for_target(
                    mean[row], sigma[row], order_qty[row], target="fill_rate", level=target, distribution="gamma",
                    undershoot=(under_mean[row], under_variance[row]),
                )[0]
            minimum = np.maximum(mean + safety, 0.0)
            maximum = minimum + order_qty
            result = replay(demand, minimum, maximum, lead_times, multiple=multiples, start=starts)
            for abc_class in sorted(set(classes)):
                rows = classes == abc_class
                asked = result["demand"][rows] * costs[rows]
                fill_rate = (
                    (result["served"][rows] * costs[rows]).sum() / asked.sum() if asked.sum()
                    else result["fill_rate"][rows].mean()
                )
                curve.append({
                    "company_id": company.id, "abc_class": abc_class or False, "target": target,
                    "fill_rate": float(fill_rate * 100.0),
                    "stock_value": company.currency_id.round(float((result["average_stock"][rows] * costs[rows]).sum())),
                    "product_count": int(rows.sum()),
                })
        bulk_create(self.env["jxc.policy.backtest.curve"], curve)


class JxcPolicyBacktestCurve(models.Model):
    """Exchange curve: what each target fill rate would have cost in average stock."""

    _name = "jxc.policy.backtest.curve"
    _description = "Policy Backtest Exchange Curve"
    _inherit = ["jxc.analysis.mixin"]
    _order = "company_id, abc_class, target"

    _jxc_xlsx_fields = tuple((name, None) for name in (
        "company_id", "abc_class", "target", "fill_rate", "product_count", "stock_value",
    ))

    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    abc_class = fields.Selection(ABC_CLASSES, string="ABC Class", readonly=True)
    target = fields.Float(string="Target Fill Rate (%)", readonly=True, aggregator="avg")
    fill_rate = fields.Float(string="Fill Rate Reached (%)", readonly=True, aggregator="avg", digits=(16, 2))
    product_count = fields.Integer(string="Products", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    stock_value = fields.Monetary(string="Avg Stock Value", readonly=True, groups="jxc_addon.group_jxc_manager")
