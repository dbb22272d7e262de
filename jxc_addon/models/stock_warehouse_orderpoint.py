import logging
from collections import defaultdict
from contextlib import contextmanager
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.fields import Domain
from odoo.tools import SQL, split_every

from ..tools.net_demand import net_demand_query
from ..tools.orm_batch import bulk_create, bulk_write, check_company_batch
from ..tools.safety_stock_math import (
    daily_demand_stats,
    economic_order_quantity,
    round_order_quantity,
    safety_stock_days_of_cover,
    safety_stock_statistical,
    seasonal_forecast,
)
from ..tools.sql_array import sql_array
from .jxc_safety_stock_rule import DEMAND_PERIODS, LEAD_TIME_SOURCES, PERIOD_DAYS, SAFETY_METHODS
from .stock_rule import RULE_SEARCH_MEMO

BULK_QUANTITIES = "jxc_bulk_orderpoint_quantities"

_logger = logging.getLogger(__name__)

FORECAST_METHODS = [
    ("moving_average", "Moving Average"),
    ("seasonal", "Same Period Last Year x Trend"),
    ("no_history", "No History (fallback)"),
]
UPDATE_BATCH = 5000
GRADE_RANK = {"a": 0, "b": 1, "c": 2, "d": 3}
# Figures written by the computation; compared before writing so that a second run
# with the same data writes (and logs) nothing.
JXC_FIGURES = (
    "jxc_demand_mean", "jxc_demand_stddev", "jxc_lead_time", "jxc_lead_time_stddev", "jxc_service_level",
    "jxc_z", "jxc_safety_stock", "jxc_forecast_lt", "jxc_forecast_review", "jxc_trend", "jxc_eoq",
)


class StockWarehouseOrderpoint(models.Model):
    _inherit = "stock.warehouse.orderpoint"

    jxc_rule_id = fields.Many2one(
        "jxc.safety.stock.rule", string="Safety Stock Rule", readonly=True, index="btree_not_null",
        check_company=True, ondelete="set null",
    )
    jxc_method = fields.Selection(SAFETY_METHODS, string="Safety Stock Method", readonly=True)
    jxc_history_days = fields.Integer(string="History (days)", readonly=True)
    jxc_demand_mean = fields.Float(string="Avg Daily Demand", readonly=True, digits=(16, 4))
    jxc_demand_period = fields.Selection(DEMAND_PERIODS, string="Demand Period", readonly=True)
    jxc_demand_stddev = fields.Float(
        string="Demand Std Dev", readonly=True, digits=(16, 4),
        help="Standard deviation of the demand per period (day or week, see Demand Period).",
    )
    jxc_lead_time_source = fields.Selection(LEAD_TIME_SOURCES, string="Lead Time Source", readonly=True)
    jxc_lead_time = fields.Float(string="Lead Time (days)", readonly=True, digits=(16, 2))
    jxc_lead_time_stddev = fields.Float(string="Lead Time Std Dev (days)", readonly=True, digits=(16, 2))
    jxc_review_days = fields.Integer(string="Review Period (days)", readonly=True)
    jxc_service_level = fields.Float(string="Service Level (%)", readonly=True)
    jxc_z = fields.Float(string="Safety Factor z", readonly=True, digits=(16, 4))
    jxc_safety_stock = fields.Float(string="Safety Stock", readonly=True, digits="Product Unit")
    jxc_forecast_method = fields.Selection(FORECAST_METHODS, string="Forecast Method", readonly=True)
    jxc_forecast_lt = fields.Float(string="Forecast over Lead Time", readonly=True, digits="Product Unit")
    jxc_forecast_review = fields.Float(string="Forecast over Review Period", readonly=True, digits="Product Unit")
    jxc_forecast_qty = fields.Float(
        string="Forecast Demand", compute="_compute_jxc_forecast_qty", store=True, digits="Product Unit",
        help="Forecast demand over the lead time and the review period.",
    )
    jxc_trend = fields.Float(string="Trend", readonly=True, digits=(16, 4))
    jxc_eoq = fields.Float(string="Economic Order Quantity", readonly=True, digits="Product Unit")
    jxc_locked = fields.Boolean(
        string="Locked", readonly=True, copy=False,
        help="A locked reordering rule keeps the quantities a user set: the safety-stock computation skips it.",
    )
    jxc_locked_by_id = fields.Many2one("res.users", string="Locked By", readonly=True, copy=False)
    jxc_locked_date = fields.Datetime(string="Locked On", readonly=True, copy=False)
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

    # --- lock -------------------------------------------------------------------------
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

    # --- the computation ----------------------------------------------------------------
    @api.model
    def _jxc_cron_update_orderpoints(self, use_new_cursor=False):
        """Weekly scheduled action: recompute the reordering rules of every company with
        safety-stock rules. With ``use_new_cursor`` (the cron) progress is committed per
        batch; a company or a rule that fails is logged and skipped."""
        rules = self.env["jxc.safety.stock.rule"].sudo().search([])
        for company in rules.company_id:
            orderpoints = self.sudo().with_company(company)
            try:
                if use_new_cursor:
                    orderpoints._jxc_update_orderpoints(company, commit_batches=True)
                else:
                    with self.env.cr.savepoint():
                        orderpoints._jxc_update_orderpoints(company)
            except Exception:  # noqa: BLE001 - logged below; the next company still runs
                if use_new_cursor:
                    self.env.cr.rollback()
                _logger.exception("Safety stock: reordering rules of %s not updated", company.name)

    @api.model
    def _jxc_update_orderpoints(self, company, commit_batches=False):
        """Compute safety stock, reorder point and maximum for every product and warehouse
        a safety-stock rule of ``company`` applies to; create the missing reordering rules,
        update the others unless locked (or archived), and log every change. Figures are
        computed set-based for all products, then applied in batches.

        :return: counts {"created", "updated", "unchanged", "skipped_locked"}
        """
        if not self.env.su and not self.env.user.has_group("jxc_addon.group_jxc_manager"):
            raise AccessError(self.env._("Only inventory control managers can recompute the reordering rules."))
        orderpoints = self.sudo().with_company(company)
        plans = orderpoints._jxc_get_plans(company)
        counts = {"created": 0, "updated": 0, "unchanged": 0, "skipped_locked": 0}
        if commit_batches:
            self.env["ir.cron"]._commit_progress(remaining=len(plans))
        for batch in split_every(UPDATE_BATCH, plans, list):
            try:
                with self.env.cr.savepoint(), orderpoints._jxc_batch_env() as memo_orderpoints:
                    batch_counts = memo_orderpoints._jxc_apply_plans(company, batch)
            except Exception:  # noqa: BLE001 - retried one by one below, where failures are logged
                # One bad rule must not stop the others: retry one by one, skip the failures.
                batch_counts = dict.fromkeys(counts, 0)
                for plan in batch:
                    try:
                        with self.env.cr.savepoint():
                            for key, value in orderpoints._jxc_apply_plans(company, [plan]).items():
                                batch_counts[key] += value
                    except Exception:
                        _logger.exception("Safety stock: reordering rule of %s not updated", plan["product"].display_name)
            for key, value in batch_counts.items():
                counts[key] += value
            if commit_batches and not self.env["ir.cron"]._commit_progress(len(batch)):
                break
        return counts

    def _jxc_apply_plans(self, company, plans):
        """Create or update the reordering rules of ``plans``, logging each change.

        Set-based: the rules are read in one search, the new ones created in one
        ``create``, the changed ones updated in one SQL ``UPDATE ... FROM (VALUES ...)``
        followed by what Odoo's ``write`` would do besides storing the values (the
        vendor's inverse, cache invalidation and the recomputation of the stored fields
        that depend on the quantities), and the logs created in one ``create``.
        """
        counts = {"created": 0, "updated": 0, "unchanged": 0, "skipped_locked": 0}
        existing = self.with_context(active_test=False).search([
            ("company_id", "=", company.id),
            ("product_id", "in", list({p["product"].id for p in plans})),
            ("location_id", "in", list({p["warehouse"].lot_stock_id.id for p in plans})),
        ])
        by_key = {(o.product_id.id, o.location_id.id): o for o in existing}
        buy_route = self.env["stock.rule"].search([("action", "=", "buy")], limit=1).route_id
        to_create, to_update, logs = [], [], []
        for plan in plans:
            orderpoint = by_key.get((plan["product"].id, plan["warehouse"].lot_stock_id.id))
            if orderpoint and (orderpoint.jxc_locked or not orderpoint.active):
                counts["skipped_locked"] += 1
                continue
            multiple = orderpoint._jxc_get_multiple() if orderpoint else 0.0
            vals = self._jxc_prepare_orderpoint_vals(plan, multiple)
            if not orderpoint:
                to_create.append((plan, vals))
                continue
            if not any(self._jxc_differs(orderpoint, k, v) for k, v in vals.items()):
                counts["unchanged"] += 1
                continue
            logs.append(self._jxc_prepare_log_vals(plan, orderpoint, vals, "update"))
            to_update.append((orderpoint, vals))
        if to_update:
            self._jxc_write_orderpoints(to_update, buy_route)
            counts["updated"] = len(to_update)
        if to_create:
            names = self._jxc_next_orderpoint_names(company, len(to_create))
            vals_list = []
            for (plan, vals), name in zip(to_create, names, strict=True):
                vals_list.append({
                    **vals,
                    "product_id": plan["product"].id,
                    "warehouse_id": plan["warehouse"].id,
                    "location_id": plan["warehouse"].lot_stock_id.id,
                    "company_id": company.id,
                    "trigger": "auto",
                    # What the vendor's inverse (purchase_stock) sets, without a search per rule.
                    **({"route_id": buy_route.id} if vals["supplier_id"] and buy_route else {}),
                    **({"name": name} if name else {}),
                })
            created = self.create(vals_list)
            created.flush_recordset()  # Odoo's stored quantities computed here, in this environment
            for (plan, vals), orderpoint in zip(to_create, created, strict=True):
                logs.append(self._jxc_prepare_log_vals(plan, orderpoint, vals, "create"))
            counts["created"] = len(created)
        # The logs are the computation's own record of what it changed: one INSERT.
        bulk_create(self.env["jxc.safety.stock.log"].sudo(), logs)
        return counts

    def _jxc_write_orderpoints(self, updates, buy_route):
        """Store ``updates`` [(orderpoint, vals)] (the same keys in every vals) as ``write``
        would, in one SQL UPDATE per 1,000 rules; purchase_stock's vendor inverse is applied
        on the way (a rule with a vendor and no route gets the buy route).

        The values come from the rules, vendors and products of the orderpoints' own
        company (see ``_jxc_get_plans``), so the company checks of ``write`` hold.
        """
        orderpoints = self.browse([orderpoint.id for orderpoint, _vals in updates])
        bulk_write(orderpoints, [
            {**vals, "route_id": orderpoint.route_id.id or (vals["supplier_id"] and buy_route.id) or False}
            for orderpoint, vals in updates
        ], check_access=False)

    def _jxc_next_orderpoint_names(self, company, count):
        """``count`` names of new reordering rules drawn from their sequence in one query
        (what the field's default draws one by one); ``None`` each when the sequence is
        not a plain PostgreSQL sequence (the default then names the rules)."""
        sequence = self.env["ir.sequence"].sudo().search([
            ("code", "=", "stock.orderpoint"), ("company_id", "in", [company.id, False]),
        ], order="company_id", limit=1)
        if not sequence or sequence.implementation != "standard" or sequence.use_date_range:
            return [None] * count
        numbers = self.env.execute_query(SQL(
            "SELECT nextval(%s) FROM generate_series(1, %s)", f"ir_sequence_{sequence.id:03d}", count,
        ))
        # get_next_char() per number would interpolate the same prefix and suffix each time.
        prefix, suffix = sequence._get_prefix_suffix()
        return [prefix + "%0*d" % (sequence.padding, number) + suffix for (number,) in numbers]

    @contextmanager
    def _jxc_batch_env(self):
        """Yield these records in the environment of the safety stock's batches, for a block
        that changes no stock rule: repeated stock.rule searches are answered from a memo
        (see ``StockRule.search_fetch``, dropped at the end of the block) and Odoo's
        quantities of the reordering rules are computed per location (``_compute_qty``)."""
        self.env.cr.cache[RULE_SEARCH_MEMO] = {}
        try:
            yield self.with_context(**{RULE_SEARCH_MEMO: True, BULK_QUANTITIES: True})
        finally:
            self.env.cr.cache.pop(RULE_SEARCH_MEMO, None)

    # --- Odoo's quantities, per location ----------------------------------------------------
    def _compute_qty(self):
        """In the safety stock's batches: Odoo's on-hand and forecast of the reordering rules
        with one grouped query per location instead of one per (location, horizon date).

        Odoo reads the products' quantities once per distinct context (location, end of the
        rule's lead horizon day): thousands of groups for thousands of rules with different
        vendor delays. Here the pending moves are read per day with Odoo's own location
        domains up to the latest horizon, and each rule adds the days up to its own; the
        result is the same (tests/test_safety_stock_bulk.py compares it with Odoo's). The
        products' forecast in each rule's context is cached as well, which is what Odoo's
        ``_get_qty_to_order`` reads next. Rules whose context is not the plain one, and any
        database where another module changes how quantities are computed, use Odoo's
        computation."""
        if not self.env.context.get(BULK_QUANTITIES) or len(self) < 2 or not self._jxc_plain_quantities():
            return super()._compute_qty()
        now = fields.Datetime.now()
        by_location, other_ids = defaultdict(list), []
        for orderpoint in self:
            context = orderpoint._get_product_context() if orderpoint.product_id and orderpoint.location_id else {}
            if set(context) != {"location", "to_date"} or context["to_date"] <= now:
                other_ids.append(orderpoint.id)
            else:
                by_location[context["location"]].append((orderpoint, context))
        if other_ids:
            super(StockWarehouseOrderpoint, self.browse(other_ids))._compute_qty()
        if not by_location:
            return
        in_progress = self.browse([o.id for items in by_location.values() for o, _c in items])._quantity_in_progress()
        virtual_field = self.env["product.product"]._fields["virtual_available"]
        for location_id, items in by_location.items():
            products = self.env["product.product"].browse({o.product_id.id for o, _c in items})
            # The context replaced, not updated, as Odoo reads the quantities of a rule.
            quantities = self._jxc_get_quantities_by_day(
                products.with_context({"location": location_id}),  # pylint: disable=context-overridden
                max(c["to_date"] for _o, c in items),
            )
            for orderpoint, context in items:
                product = orderpoint.product_id
                on_hand, moves_in, moves_out = quantities.get(product.id, (0.0, (), ()))
                until = context["to_date"].date()
                incoming = product.uom_id.round(sum(qty for day, qty in moves_in if day <= until))
                outgoing = product.uom_id.round(sum(qty for day, qty in moves_out if day <= until))
                virtual = product.uom_id.round(on_hand + incoming - outgoing)
                orderpoint.qty_on_hand = product.uom_id.round(on_hand)
                orderpoint.qty_forecast = virtual + in_progress[orderpoint.id]
                # Same environment as Odoo's _get_qty_to_order: product.with_context(<rule's context>).
                virtual_field._update_cache(product.with_context(context), virtual)  # pylint: disable=context-overridden

    @api.model
    def _jxc_get_quantities_by_day(self, products, until):
        """Odoo's ``_compute_quantities_dict`` of ``products`` (whose context carries the
        location) with the pending moves summed per day (UTC) up to ``until`` instead of in
        one total: {product_id: (on hand, [(day, qty in)], [(day, qty out)])}."""
        domain_quant_loc, domain_move_in_loc, domain_move_out_loc = products._get_domain_locations()
        product_domain = Domain("product_id", "in", products.ids)
        todo = Domain("state", "in", ("waiting", "confirmed", "assigned", "partially_available"))
        Move = self.env["stock.move"].with_context(active_test=False, tz="UTC")
        Quant = self.env["stock.quant"].with_context(active_test=False)
        result = defaultdict(lambda: [0.0, [], []])
        for product, quantity in Quant._read_group(product_domain & Domain(domain_quant_loc), ["product_id"], ["quantity:sum"]):
            result[product.id][0] = quantity
        for index, domain in ((1, domain_move_in_loc), (2, domain_move_out_loc)):
            domain = todo & product_domain & Domain(domain) & Domain("date", "<=", until)
            for product, day, quantity in Move._read_group(domain, ["product_id", "date:day"], ["product_qty:sum"]):
                result[product.id][index].append((day.date(), quantity))
        return result

    @api.model
    def _jxc_plain_quantities(self):
        """Whether quantities are computed as stock and purchase_stock compute them (no
        module such as mrp's kits or product_expiry changes them), so that ``_compute_qty``
        may compute them per location."""
        def owners(model, method):
            return {cls.__module__ for cls in type(self.env[model]).mro() if method in vars(cls)}

        return owners("product.product", "_compute_quantities_dict") <= {
            "odoo.addons.stock.models.product", "odoo.addons.purchase_stock.models.product",
        } and owners(self._name, "_get_product_context") <= {"odoo.addons.stock.models.stock_orderpoint"}

    def _jxc_differs(self, orderpoint, fname, value):
        old = orderpoint[fname]
        if isinstance(old, models.BaseModel):
            return old.id != (value or False)
        if isinstance(value, float):
            return abs((old or 0.0) - value) > 1e-6
        return old != value

    def _jxc_get_multiple(self):
        """The rule's replenishment multiple in the product's unit (0 when not set)."""
        self.ensure_one()
        multiple = self.replenishment_uom_id
        if not multiple or multiple == self.product_id.uom_id:
            return 0.0
        return multiple._compute_quantity(1.0, self.product_id.uom_id)

    def _jxc_prepare_orderpoint_vals(self, plan, multiple):
        product = plan["product"]
        uom = product.uom_id
        safety = uom.round(plan["safety_stock"], rounding_method="UP")
        reorder_point = uom.round(plan["forecast_lt"] + safety, rounding_method="UP")
        order_qty = plan["eoq"] or plan["forecast_review"]
        order_qty = round_order_quantity(order_qty, plan["min_qty"], multiple)
        maximum = uom.round(reorder_point + order_qty, rounding_method="UP")
        return {
            "product_min_qty": reorder_point,
            "product_max_qty": maximum,
            "supplier_id": plan["seller"].id or False,
            "jxc_rule_id": plan["rule"].id,
            "jxc_method": plan["rule"].method,
            "jxc_history_days": plan["rule"].history_days,
            "jxc_demand_period": plan["rule"].demand_period,
            "jxc_demand_mean": round(plan["demand_mean"], 4),
            "jxc_demand_stddev": round(plan["demand_stddev"], 4),
            "jxc_lead_time_source": plan["lead_time_source"],
            "jxc_lead_time": round(plan["lead_time"], 2),
            "jxc_lead_time_stddev": round(plan["lead_time_stddev"], 2),
            "jxc_review_days": plan["rule"].review_days,
            "jxc_service_level": plan["service_level"],
            "jxc_z": round(plan["z"], 4),
            "jxc_safety_stock": safety,
            "jxc_forecast_method": plan["forecast_method"],
            "jxc_forecast_lt": uom.round(plan["forecast_lt"]),
            "jxc_forecast_review": uom.round(plan["forecast_review"]),
            "jxc_trend": round(plan["trend"], 4),
            "jxc_eoq": uom.round(plan["eoq"]),
        }

    def _jxc_prepare_log_vals(self, plan, orderpoint, vals, operation):
        return {
            "company_id": orderpoint.company_id.id,
            "orderpoint_id": orderpoint.id,
            "product_id": plan["product"].id,
            "warehouse_id": plan["warehouse"].id,
            "rule_id": plan["rule"].id,
            "method": plan["rule"].method,
            "forecast_method": plan["forecast_method"],
            "operation": operation,
            "old_min_qty": 0.0 if operation == "create" else orderpoint.product_min_qty,
            "new_min_qty": vals["product_min_qty"],
            "old_max_qty": 0.0 if operation == "create" else orderpoint.product_max_qty,
            "new_max_qty": vals["product_max_qty"],
            "old_safety_stock": 0.0 if operation == "create" else orderpoint.jxc_safety_stock,
            "new_safety_stock": vals["jxc_safety_stock"],
        }

    @api.model
    def _jxc_today(self, company):
        tz = pytz.timezone(company.partner_id.tz or "UTC")
        return fields.Datetime.now().replace(tzinfo=pytz.UTC).astimezone(tz).date()

    @api.model
    def _jxc_local_midnight_utc(self, company, day):
        """UTC (naive) datetime of the start of ``day`` in the company's timezone."""
        tz = pytz.timezone(company.partner_id.tz or "UTC")
        return tz.localize(datetime.combine(day, time.min)).astimezone(pytz.UTC).replace(tzinfo=None)

    @api.model
    def _jxc_get_plans(self, company):
        """Everything the reordering rules of ``company`` need, computed set-based.

        :return: list of dicts, one per (product, warehouse) a rule applies to.
        """
        rules = self.env["jxc.safety.stock.rule"].search([("company_id", "=", company.id)])
        if not rules:
            return []
        warehouses = self.env["stock.warehouse"].search([("company_id", "=", company.id)])
        products = self.env["product.product"].with_company(company).search([
            ("is_storable", "=", True), ("company_id", "in", [False, company.id]),
        ])
        today = self._jxc_today(company)
        pairs = []
        for product in products:
            for warehouse in warehouses:
                rule = rules._get_best_rule(product, warehouse)
                if rule:
                    pairs.append((product, warehouse, rule))
        if not pairs:
            return []
        # Demand statistics: one query per distinct (window, period, usage) of the rules, usually one.
        stats = {}
        variants = {(r.history_days, r.demand_period, r.include_production) for _p, _w, r in pairs}
        for days, period, include_production in variants:
            group = [
                (p, w) for p, w, r in pairs
                if (r.history_days, r.demand_period, r.include_production) == (days, period, include_production)
            ]
            period_days = PERIOD_DAYS[period]
            sums = self._jxc_get_demand_sums(
                company, [p.id for p, _w in group], today - timedelta(days=days // period_days * period_days), today,
                include_production=include_production, period_days=period_days,
            )
            for product, warehouse in group:
                stats[product.id, warehouse.id] = sums.get((product.id, warehouse.id))
        # Grades are per company: read once for every vendor instead of once per seller.
        vendors = products.seller_ids.partner_id.with_company(company)
        grade_ranks = {vendor.id: GRADE_RANK.get(vendor.jxc_supplier_grade, 9) for vendor in vendors}
        sellers = {}  # {(product id, quantity): vendor line}, the same need asks Odoo once
        measured = {}
        self.env.flush_all()  # the shared lead-time query reads the database directly
        measured_pairs = [(p, r) for p, _w, r in pairs if r.lead_time_source == "measured"]
        if measured_pairs:
            # Receipts are rarer than deliveries: lead times are measured over the company's
            # history window (the one the supplier evaluation uses), or the rules' if longer.
            longest = max([company.jxc_demand_history_days] + [r.history_days for _p, r in measured_pairs])
            measured = self.env["purchase.order.line"]._get_jxc_lead_time_stats(
                self._jxc_local_midnight_utc(company, today - timedelta(days=longest)),
                self._jxc_local_midnight_utc(company, today + timedelta(days=1)),
                company, product_ids=list({p.id for p, _r in measured_pairs}), by_product=True,
            )
        plans = []
        for product, warehouse, rule in pairs:
            total, squares = stats.get((product.id, warehouse.id)) or (0.0, 0.0)
            period_days = PERIOD_DAYS[rule.demand_period]
            # Mean and deviation per period (day or week); the daily mean drives the forecast.
            period_mean, stddev = daily_demand_stats(total, squares, rule.history_days // period_days)
            period_mean = max(period_mean, 0.0)  # more returns than deliveries is no negative demand
            # The vendor line for what one review period orders (its quantity breaks apply).
            need = product.uom_id.round(period_mean / period_days * rule.review_days)
            if (product.id, need) not in sellers:
                sellers[product.id, need] = self._jxc_get_best_seller(product, company, need, today, grade_ranks)
            seller = sellers[product.id, need]
            lead_time, lead_time_stddev, source = float(seller.delay) if seller else 0.0, 0.0, "promised"
            # Receipts are measured per commercial partner (an order to a vendor's contact is the vendor's).
            sample = seller and measured.get((seller.partner_id.commercial_partner_id.id, product.id))
            if rule.lead_time_source == "measured" and sample:
                lead_time, lead_time_stddev, source = sample["mean"], sample["stddev"], "measured"
            min_qty = seller.product_uom_id._compute_quantity(seller.min_qty, product.uom_id) if seller else 0.0
            plans.append({
                "product": product, "warehouse": warehouse, "rule": rule, "seller": seller,
                "has_history": bool(stats.get((product.id, warehouse.id))),
                "demand_mean": period_mean / period_days, "period_mean": period_mean, "demand_stddev": stddev,
                "period_days": period_days,
                "lead_time": lead_time, "lead_time_stddev": lead_time_stddev, "lead_time_source": source,
                "min_qty": min_qty, "service_level": 0.0, "z": 0.0, "trend": 1.0, "eoq": 0.0,
            })
        self._jxc_compute_forecasts(company, today, plans)
        self._jxc_compute_safety_stocks(company, plans)
        return plans

    @api.model
    def _jxc_compute_forecasts(self, company, today, plans):
        """Forecast over the lead time and the review period: moving average (the daily
        average of the history window), or, for seasonal products with demand a year ago,
        the demand of the same days last year times the trend."""
        seasonal = [p for p in plans if p["product"].product_tmpl_id.jxc_seasonal]
        windows = []
        last_year = today - timedelta(days=364)  # 52 weeks: same weekdays as this year
        for index, plan in enumerate(seasonal):
            lead, review, trend = plan["lead_time"], plan["rule"].review_days, plan["rule"].trend_days
            lead_end = last_year + timedelta(days=round(lead))
            windows += [
                ((index, "lt"), plan, last_year, lead_end),
                ((index, "review"), plan, lead_end, lead_end + timedelta(days=review)),
                ((index, "recent"), plan, today - timedelta(days=trend), today),
                ((index, "recent_ly"), plan, last_year - timedelta(days=trend), last_year),
            ]
        sums = self._jxc_get_demand_in_windows(company, windows) if windows else {}
        for plan in plans:
            plan["forecast_method"] = "moving_average" if plan["has_history"] else "no_history"
            plan["forecast_lt"] = plan["demand_mean"] * plan["lead_time"]
            plan["forecast_review"] = plan["demand_mean"] * plan["rule"].review_days
        for index, plan in enumerate(seasonal):
            lt, review = sums.get((index, "lt"), 0.0), sums.get((index, "review"), 0.0)
            recent_ly = sums.get((index, "recent_ly"), 0.0)
            if not (lt or review or recent_ly):
                continue  # nothing a year ago: keep the moving average
            plan["forecast_lt"], plan["trend"] = seasonal_forecast(lt, sums.get((index, "recent"), 0.0), recent_ly)
            plan["forecast_review"] = seasonal_forecast(review, sums.get((index, "recent"), 0.0), recent_ly)[0]
            plan["forecast_method"] = "seasonal"

    @api.model
    def _jxc_compute_safety_stocks(self, company, plans):
        holding_rate = company.jxc_carrying_cost_rate / 100.0
        for plan in plans:
            rule, product = plan["rule"], plan["product"]
            if rule.method == "statistical":
                plan["service_level"] = rule._get_service_level(product)
                plan["z"] = rule._get_z(product)
            if rule.method == "fixed":
                plan["safety_stock"] = rule.fixed_qty
            elif not plan["has_history"]:
                # Explicit fallback: nothing to average, no variability to measure.
                plan["safety_stock"] = rule.no_history_qty
            elif rule.method == "days":
                plan["safety_stock"] = safety_stock_days_of_cover(plan["demand_mean"], rule.cover_days)
            else:
                # Demand and lead time in the same unit: the statistics' period.
                period = plan["period_days"]
                plan["safety_stock"] = safety_stock_statistical(
                    plan["z"], plan["demand_stddev"], plan["lead_time"] / period, plan["period_mean"],
                    plan["lead_time_stddev"] / period,
                )
            seller = plan["seller"]
            price = self._jxc_get_unit_price(seller, product, company) if seller else product.standard_price
            plan["eoq"] = economic_order_quantity(
                plan["demand_mean"] * 365.0, company.jxc_ordering_cost, price * holding_rate,
            )

    @api.model
    def _jxc_get_best_seller(self, product, company, quantity=0.0, date=None, grade_ranks=None):
        """The vendor line the purchase plan proposes for buying ``quantity`` (product unit)
        on ``date``: for each vendor the line Odoo's ``_select_seller`` picks (validity dates,
        quantity breaks, units), then the best supplier grade, then the lowest price per
        product unit in the company currency.

        :param grade_ranks: {vendor id: rank of its grade in ``company``} (read here if not given)
        """
        product = product.with_company(company)
        date = date or self._jxc_today(company)
        vendors = product._prepare_sellers().filtered(
            lambda s: s.partner_id.active and (not s.product_id or s.product_id == product)
        ).partner_id
        if grade_ranks is None:
            grade_ranks = {vendor.id: GRADE_RANK.get(vendor.jxc_supplier_grade, 9) for vendor in vendors.with_company(company)}
        candidates = []
        for vendor in vendors:
            seller = self._jxc_select_vendor_line(product, company, vendor, quantity, date)
            if seller:
                price = self._jxc_get_unit_price(seller, product, company, date)
                candidates.append(((grade_ranks.get(vendor.id, 9), price, seller.sequence, seller.id), seller))
        return min(candidates, key=lambda c: c[0], default=(None, self.env["product.supplierinfo"]))[1]

    @api.model
    def _jxc_select_vendor_line(self, product, company, vendor, quantity, date):
        """Odoo's own choice (``_select_seller``) among ``vendor``'s lines valid on ``date``
        for ``quantity`` in the product's unit, the quantity raised to the vendor's smallest
        minimum (a vendor's minimum order quantity is a minimum, its higher breaks are not)."""
        product = product.with_company(company)
        valid = product._get_filtered_sellers(partner_id=vendor, quantity=None, date=date, uom_id=product.uom_id)
        if len(valid) < 2:
            return valid  # none, or the only line: Odoo's choice for any quantity from its minimum
        minimum = min(line.product_uom_id._compute_quantity(line.min_qty, product.uom_id) for line in valid)
        return product._select_seller(
            partner_id=vendor, quantity=max(quantity, minimum), date=date, uom_id=product.uom_id,
        )

    @api.model
    def _jxc_get_unit_price(self, seller, product, company, date=None):
        """Price of one unit of ``product`` (its own unit) from the vendor line ``seller``, in
        the company currency at ``date``. The line's ``price`` is per its purchase unit and in
        its currency; Odoo's ``price_discounted`` is already per product unit (and net of the
        line's discount), the currency is converted as on a purchase order."""
        return seller.currency_id._convert(
            seller.price_discounted, company.currency_id, company, date or self._jxc_today(company), round=False,
        )

    # --- demand queries -------------------------------------------------------------------
    @api.model
    def _jxc_get_demand_sums(self, company, product_ids, date_from, date_to, *, include_production=False, period_days=1):
        """Sum and sum of squares of the net demand per period (``period_days`` days from
        ``date_from``) per (product, warehouse) over the days [date_from, date_to) of the
        company's calendar, in one query. Periods without demand add nothing to either
        sum, which is what counting them as zeros means. The demand is the done quantity
        (see ``tools/net_demand.py``).

        :return: {(product_id, warehouse_id): (total, total_of_squares)}
        """
        tz = company.partner_id.tz or "UTC"
        rows = self.env.execute_query(SQL(
            """
            SELECT product_id, warehouse_id, SUM(qty), SUM(qty * qty)
              FROM (SELECT d.product_id, d.warehouse_id,
                           ((timezone(%(tz)s, d.date AT TIME ZONE 'UTC'))::date - %(first_day)s::date) / %(period)s
                           AS period, SUM(d.qty) AS qty
                      FROM (%(demand)s) d
                     WHERE d.product_id = ANY(%(products)s) AND d.date >= %(start)s AND d.date < %(stop)s
                     GROUP BY 1, 2, 3) daily
             GROUP BY product_id, warehouse_id
            """,
            demand=net_demand_query(self.env, company, include_production), tz=tz,
            products=sql_array(list(product_ids), "int4"), first_day=date_from, period=period_days,
            start=self._jxc_local_midnight_utc(company, date_from), stop=self._jxc_local_midnight_utc(company, date_to),
        ))
        return {(row[0], row[1]): (float(row[2] or 0.0), float(row[3] or 0.0)) for row in rows}

    @api.model
    def _jxc_get_demand_in_windows(self, company, windows):
        """Net demand in each window (key, plan, date_from, date_to), in one query; a
        window counts consumption in production only when its own rule includes it.

        :return: {key: quantity}
        """
        rows = self.env.execute_query(SQL(
            """
            SELECT w.idx, SUM(d.qty)
              FROM unnest(%(idx)s, %(products)s, %(warehouses)s, %(starts)s, %(stops)s, %(production)s)
                   AS w(idx, product_id, warehouse_id, start_at, stop_at, include_production)
              JOIN (%(demand)s) d ON d.product_id = w.product_id AND d.date >= w.start_at AND d.date < w.stop_at
             WHERE d.warehouse_id = w.warehouse_id AND (w.include_production OR NOT d.is_production)
             GROUP BY w.idx
            """,
            demand=net_demand_query(self.env, company, any(w[1]["rule"].include_production for w in windows)),
            idx=sql_array(range(len(windows)), "int4"),
            products=sql_array([w[1]["product"].id for w in windows], "int4"),
            warehouses=sql_array([w[1]["warehouse"].id for w in windows], "int4"),
            starts=sql_array([self._jxc_local_midnight_utc(company, w[2]) for w in windows], "timestamp"),
            stops=sql_array([self._jxc_local_midnight_utc(company, w[3]) for w in windows], "timestamp"),
            production=sql_array([bool(w[1]["rule"].include_production) for w in windows], "bool"),
        ))
        return {windows[idx][0]: float(total or 0.0) for idx, total in rows}
