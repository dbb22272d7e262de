"""The safety-stock planning engine, read top to bottom:

1. demand history    net demand per (product, warehouse) and period: its customers', and what it
                     sends to the warehouses it resupplies (``tools/net_demand.py``)
2. statistics        mean and deviation of the demand, its class (smooth, erratic, intermittent,
                     lumpy: ``tools/demand_class.py``), how Odoo's routes replenish the warehouse
                     (buying, or resupply from another warehouse), vendor line and lead time
3. forecast          the rule's method (moving average, exponential smoothing, Croston-SBA, TSB,
                     or the best of them in a backtest: ``tools/forecast.py``), or same period
                     last year x trend for seasonal products
4. policy            safety stock, economic order quantity, then reorder point and maximum
5. reordering rules  Odoo's ``stock.warehouse.orderpoint`` created and written through the ORM,
                     each change logged in ``jxc.safety.stock.log``

Steps 1-4 build one *plan* (a dict) per (product, warehouse) a safety-stock rule applies
to; step 5 turns the plans into reordering-rule values. The formulas are the pure
functions of ``tools/safety_stock_math.py``.
"""

import logging
import math
from collections import defaultdict
from datetime import timedelta

import numpy as np
import psycopg2.errors

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools import SQL, float_round, split_every

from ..tools.company_day import company_today, company_tz_name, local_midnight_utc
from ..tools.cron_progress import commit_batch
from ..tools.demand_class import classify_demand, demand_class_stats
from ..tools.first_move import first_move_sql
from ..tools.forecast import select_method
from ..tools.inventory_policy import safety_stock_for_target, undershoot_moments
from ..tools.net_demand import net_demand_query
from ..tools.orm_batch import bulk_create
from ..tools.precommit import collect_before_commit
from ..tools.safety_stock_math import (
    MIN_LEAD_TIME_RECEIPTS,
    daily_demand_stats,
    economic_order_quantity,
    round_order_quantity,
    safety_stock_days_of_cover,
    safety_stock_statistical,
    seasonal_forecast,
)
from ..tools.sql_array import sql_array
from ..tools.whole_units import is_counted_in_pieces, packaging_multiple, whole_unit_levels
from .jxc_safety_stock_rule import PERIOD_DAYS

_logger = logging.getLogger(__name__)

UPDATE_BATCH = 5000
# Products whose rules a user's change recomputes in the request (about 7 ms a product with three
# warehouses, at S = 5); more (a category changed on a whole list) go to the background update.
AT_ONCE_PRODUCTS = 1000
# the products an input of whose managed reordering rules changed in the current transaction
PENDING_PRODUCTS = "jxc_addon.pending_products"
GRADE_RANK = {"a": 0, "b": 1, "c": 2, "d": 3}
# first key of the lock an update of every reordering rule of a company holds (the second: the company)
UPDATE_LOCK = 7411


class JxcPlanningEngine(models.AbstractModel):
    _name = "jxc.planning.engine"
    _description = "Safety Stock Planning Engine"

    # --- entry points -----------------------------------------------------------------------
    @api.model
    def _cron_update_orderpoints(self, use_new_cursor=False):
        """Weekly scheduled action: recompute the reordering rules of every company with
        safety-stock rules. With ``use_new_cursor`` (the cron) progress is committed per
        batch; a company that fails is logged and skipped."""
        rules = self.env["jxc.safety.stock.rule"].sudo().search([("company_id.active", "=", True)])
        # and the companies whose last rule was archived: their reordering rules are released
        managed = self.env["stock.warehouse.orderpoint"].sudo()._read_group(
            [("jxc_rule_id", "!=", False), ("company_id.active", "=", True)], ["company_id"])
        for company in rules.company_id | self.env["res.company"].union(*(company for (company,) in managed)):
            engine = self.sudo().with_company(company)
            # held to the end of the company's run: over its committed batches with use_new_cursor
            if not engine._try_lock_update(company, session=use_new_cursor):
                _logger.warning("Safety stock: reordering rules of %s not updated: a manager is computing them",
                                company.name)
                continue
            try:
                engine._update_company(company, use_new_cursor)
            finally:
                if use_new_cursor:
                    engine._unlock_update(company)

    @api.model
    def _update_company(self, company, use_new_cursor):
        """The scheduled action's update of every reordering rule of ``company``, then its plan."""
        written = []
        try:
            if use_new_cursor:
                self._update_orderpoints(company, commit_batches=True, written=written)
            else:
                with self.env.cr.savepoint():
                    self._update_orderpoints(company, written=written)
        except Exception:  # noqa: BLE001 - logged below; the next company still runs
            if use_new_cursor:
                self.env.cr.rollback()
            _logger.exception("Safety stock: reordering rules of %s not updated", company.name)
        Plan = self.env["jxc.purchase.plan"].sudo()
        if not Plan._try_lock_company(company):
            # the rules written are noted as changed: that refresh or the next shows them
            _logger.warning("Purchase plan of %s not refreshed after the safety-stock update: another session "
                            "is refreshing it", company.name)
        else:
            try:
                with self.env.cr.savepoint():
                    # the plan shows the rules' new figures at once, not at its first opening; Odoo's
                    # quantities of the rules written in this transaction are fresh (not those of
                    # batches committed before: moves may have come since)
                    Plan._refresh(company, fresh=None if use_new_cursor
                                  else self.env["stock.warehouse.orderpoint"].browse(written))
            except Exception:  # noqa: BLE001 - logged below; opening the plan refreshes it
                _logger.exception("Purchase plan of %s not refreshed after the safety-stock update", company.name)
        if use_new_cursor:
            commit_batch(self.env, 0)

    @api.model
    def _try_lock_update(self, company, session=False):
        """Whether this session now holds the lock of ``company``'s update of every reordering
        rule (False: another holds it): to the end of the transaction, or with ``session`` (the
        scheduled action, which commits its batches) until ``_unlock_update``. The manager's
        button and the scheduled action, run at once (a first safety-stock rule starts the
        action, and the manager computes), would create the same rules twice."""
        lock = SQL("pg_try_advisory_lock") if session else SQL("pg_try_advisory_xact_lock")
        return self.env.execute_query(SQL("SELECT %s(%s, %s)", lock, UPDATE_LOCK, company.id))[0][0]

    @api.model
    def _unlock_update(self, company):
        """Release the session's lock of ``company``'s update: its connection goes back to Odoo's
        pool, where a lock left behind would refuse every Compute. Also after an error that left
        the transaction aborted (its batches are committed)."""
        query = SQL("SELECT pg_advisory_unlock(%s, %s)", UPDATE_LOCK, company.id)
        try:
            self.env.execute_query(query)
        except psycopg2.errors.InFailedSqlTransaction:
            self.env.cr.rollback()
            self.env.execute_query(query)

    @api.model
    def _lock_update(self, company):
        """Take the lock of ``company``'s update for this transaction, or refuse before anything
        is written."""
        if not self._try_lock_update(company):
            raise UserError(self.env._(
                "The reordering rules of %(company)s are being computed by the scheduled action; they are "
                "current once it ends. Try again in a moment.", company=company.name))

    @api.model
    def _update_orderpoints(self, company, commit_batches=False, written=None, choose_seller=None, failed=None,
                            products=None):
        """Compute safety stock, reorder point and maximum for every product and warehouse
        a safety-stock rule of ``company`` applies to; create the missing reordering rules
        (unless a rule elsewhere in the warehouse replenishes the product), update the others
        unless locked (or archived), and log every change.

        :param written: a list that receives the ids of the rules created or updated (their
            Odoo quantities were recomputed by the ORM on the way)
        :param choose_seller: the ``_vendor_line_chooser`` to share with the purchase plan's refresh
        :param failed: a list that receives the products whose rule could not be written (logged
            and skipped: the others are still updated). Without it (the button), a clash with
            another transaction is raised for Odoo to run the whole request again.
        :param products: these products only (``_update_products``), else every product
        :return: counts {"created", "updated", "unchanged", "skipped_locked", "released"}
        """
        if not self.env.su and not self.env.user.has_group("jxc_addon.group_jxc_manager"):
            raise AccessError(self.env._("Only inventory control managers can recompute the reordering rules."))
        engine = self.sudo().with_company(company)
        pairs = engine._get_rule_pairs(company, products)
        plans = engine._get_plans(company, choose_seller, pairs)
        engine._apply_product_demand_classes(company, plans, pairs, products)
        counts = {"created": 0, "updated": 0, "unchanged": 0, "skipped_locked": 0, "released": 0}
        if commit_batches:
            self.env["ir.cron"]._commit_progress(remaining=len(plans))
        for batch in split_every(UPDATE_BATCH, plans, list):
            try:
                with self.env.cr.savepoint():
                    batch_written = []
                    batch_counts = engine._apply_plans(company, batch, batch_written)
            except Exception:  # noqa: BLE001 - retried one by one below, where failures are logged
                # One bad rule must not stop the others: retry one by one, skip the failures.
                batch_counts, batch_written = dict.fromkeys(counts, 0), []
                for plan in batch:
                    try:
                        with self.env.cr.savepoint():
                            for key, value in engine._apply_plans(company, [plan], batch_written).items():
                                batch_counts[key] += value
                    except Exception as error:
                        if isinstance(error, PG_CONCURRENCY_EXCEPTIONS_TO_RETRY) and not commit_batches:
                            raise  # Odoo runs the button's request again, after the other transaction
                        _logger.exception("Safety stock: reordering rule of %s not updated", plan["product"].display_name)
                        if failed is not None:
                            failed.append(plan["product"])
            for key, value in batch_counts.items():
                counts[key] += value
            if written is not None:
                written += batch_written
            if commit_batches:
                commit_batch(self.env, len(batch))
        # committed with the plan's refresh that follows (the scheduled action)
        counts["released"] = engine._release_orderpoints(company, pairs, products)
        return counts

    @api.model
    def _update_products(self, products):
        """Recompute the reordering rules of ``products`` at once, in every company whose
        safety stock manages them or may: what applies to them changed (their category, an ABC
        class fixed by hand, their safety-stock rule archived or deleted), and the product form,
        which names the rule that applies now, must not stand beside a week-old level. The
        purchase plan follows through the rules' change notes. More than ``AT_ONCE_PRODUCTS``
        are left to the weekly update, run now in the background."""
        products = products.sudo().exists()
        if not products:
            return
        if len(products) > AT_ONCE_PRODUCTS:
            self._trigger_update()
            return
        managed = self.env["stock.warehouse.orderpoint"].sudo()._read_group(
            [("jxc_rule_id", "!=", False), ("product_id", "in", products.ids)], ["company_id"])
        companies = self.env["jxc.safety.stock.rule"].sudo().search([]).company_id.union(
            *(company for (company,) in managed))
        for company in companies.filtered("active"):
            self.sudo().with_company(company)._update_orderpoints(company, products=products.with_company(company))

    @api.model
    def _update_products_before_commit(self, products):
        """Have the reordering rules of ``products`` that the safety stock manages already
        recomputed once, just before the transaction commits: an input of their levels changed
        (a vendor line's delay, minimum or price; a bill of materials' lead time). Once per
        transaction, for all the products it changed: an order confirmed with 50 new vendor
        lines (Odoo adds the vendor to each product) updates the 50 products together. Not a
        product without managed rules: a new product gets its rules from the weekly update."""
        if products:
            collect_before_commit(self.env.cr, PENDING_PRODUCTS, self.browse()._update_pending_products, products.ids)

    def _update_pending_products(self):
        product_ids = self.env.cr.precommit.data.pop(PENDING_PRODUCTS, None)
        if not product_ids:
            return
        managed = self.env["stock.warehouse.orderpoint"].sudo().search([
            ("jxc_rule_id", "!=", False), ("product_id", "in", list(product_ids))]).product_id
        self._update_products(managed)

    @api.model
    def _trigger_update(self):
        """Have the weekly update of every reordering rule run now, in the background: what
        applies to many products changed at once (a safety-stock rule's settings, a new ABC
        classification), too many to recompute in the user's request."""
        cron = self.env.ref("jxc_addon.ir_cron_jxc_update_orderpoints", raise_if_not_found=False)
        if not cron:  # deleted by an administrator: the managers' Compute button is left
            return
        # Once: a supplier evaluation grades hundreds of vendors, each a reason, and a run due
        # and not started yet updates every rule anyway (one trigger and one wake-up each).
        Trigger = self.env["ir.cron.trigger"].sudo()
        if not Trigger.search_count([("cron_id", "=", cron.id), ("call_at", "<=", fields.Datetime.now())], limit=1):
            cron.sudo()._trigger()

    @api.model
    def _release_orderpoints(self, company, pairs, products=None):
        """The reordering rules of ``company`` the update manages that no safety-stock rule
        applies to any more (the product moved to another category or ABC class, no longer
        storable): no longer managed, kept with their last levels as any rule of Odoo's, each
        change logged. Else the purchase plan, the drift alerts and the analyses would go on
        showing figures no update computes. A locked rule is left as it is, as is one the update
        skipped (a product whose routes Odoo refuses: still in a rule's scope, ``pairs``).
        Returns their number."""
        planned = {(product.id, warehouse.lot_stock_id.id) for product, warehouse, _rule in pairs}
        managed = self.env["stock.warehouse.orderpoint"].sudo().search([
            ("company_id", "=", company.id), ("jxc_rule_id", "!=", False), ("jxc_locked", "=", False),
            *([("product_id", "in", products.ids)] if products is not None else []),
        ])
        released = managed.filtered(lambda orderpoint: (orderpoint.product_id.id, orderpoint.location_id.id) not in planned)
        self._release(released)
        return len(released)

    @api.model
    def _release(self, orderpoints):
        """No safety stock manages ``orderpoints`` any more: each keeps its last levels, the
        release logged (its safety-stock rule's record of what it did)."""
        if not orderpoints:
            return
        bulk_create(self.env["jxc.safety.stock.log"].sudo(), [{
            "company_id": orderpoint.company_id.id,
            "orderpoint_id": orderpoint.id,
            "product_id": orderpoint.product_id.id,
            "warehouse_id": orderpoint.warehouse_id.id,
            "rule_id": orderpoint.jxc_rule_id.id,
            "method": orderpoint.jxc_method,
            "forecast_method": orderpoint.jxc_forecast_method,
            "operation": "release",
            "old_min_qty": orderpoint.product_min_qty,
            "new_min_qty": orderpoint.product_min_qty,
            "old_max_qty": orderpoint.product_max_qty,
            "new_max_qty": orderpoint.product_max_qty,
            "old_safety_stock": orderpoint.jxc_safety_stock,
            "new_safety_stock": orderpoint.jxc_safety_stock,
        } for orderpoint in orderpoints])
        orderpoints.write({"jxc_rule_id": False})

    # --- the pipeline --------------------------------------------------------------------------
    @api.model
    def _get_plans(self, company, choose_seller=None, pairs=None):
        """Steps 1-4 for every (product, warehouse) a safety-stock rule of ``company`` applies to.

        :param choose_seller: the ``_vendor_line_chooser`` of the company's today to use
        :param pairs: the ``_get_rule_pairs`` of ``company``, when the caller has them
        :return: list of plans (dicts), one per (product, warehouse)
        """
        today = company_today(company)
        pairs = self._get_rule_pairs(company) if pairs is None else pairs
        if not pairs:
            return []
        choose_seller = choose_seller or self._vendor_line_chooser(company, today)
        demand = self._get_demand_history(company, pairs, today)                        # 1. demand history
        plans = self._compute_statistics(company, pairs, demand, today, choose_seller)  # 2. statistics
        self._compute_forecasts(company, today, plans)                                  # 3. forecast
        self._compute_policies(company, plans)                                          # 4. policy
        return plans

    @api.model
    def _get_rule_pairs(self, company, products=None):
        """[(product, warehouse, safety-stock rule)]: the most specific rule of ``company``
        for each storable product (of ``products`` if given) in each of its warehouses."""
        rules = self.env["jxc.safety.stock.rule"].search([("company_id", "=", company.id)])
        if not rules:
            return []
        warehouses = self.env["stock.warehouse"].search([("company_id", "=", company.id)])
        domain = self._get_product_domain(company)
        if products is not None:
            domain &= Domain("id", "in", products.ids)
        products = self.env["product.product"].with_company(company).search(domain)
        pairs = []
        for product in products:
            for warehouse in warehouses:
                rule = rules._get_best_rule(product, warehouse)
                if rule:
                    pairs.append((product, warehouse, rule))
        return pairs

    @api.model
    def _get_product_domain(self, company):
        """The products of ``company`` that get a reordering rule. A bridge module narrows it
        where another module refuses rules (jxc_mrp: kits, which Odoo gives none)."""
        # the company's products and its parent companies' (a branch sells them): Odoo's own check
        return Domain("is_storable", "=", True) & Domain(self.env["product.product"]._check_company_domain(company))

    # 1. demand history ------------------------------------------------------------------------
    @api.model
    def _get_demand_history(self, company, pairs, today):
        """The net demand per period over each rule's history window, oldest period first.
        One query per distinct (window, period, production) of the rules, usually one.

        A product that came into the warehouse during the window was not asked for there
        before: its series starts at its first whole period there (``_get_first_move_dates``),
        as the XYZ analysis counts a product launched in its look-back period. Counted as zero
        demand, those periods would halve a product launched in the middle of the window.
        A product there since the window started and never asked for has a series of zeros,
        as has one never in the warehouse while the company has moved it through another:
        not a new product there, but one the warehouse does not carry (the quantity for new
        products would buy it into every shop).

        :return: {(product_id, warehouse_id): numpy array of the demand per period}, absent
            without demand for a product that came in during the window (or never moved in
            any of the company's warehouses)
        """
        demand = {}
        moved = set()  # products with a move in one of the company's warehouses
        unmoved = {}  # (product_id, warehouse_id): periods of its window, for a pair never moved
        groups = defaultdict(list)
        for product, warehouse, rule in pairs:
            groups[rule.history_days, rule.demand_period, rule.include_production].append((product, warehouse))
        for (days, period, include_production), group in groups.items():
            period_days = PERIOD_DAYS[period]
            start = today - timedelta(days=days // period_days * period_days)
            series = self._get_demand_series(
                company, list({p.id for p, _w in group}), start,
                today, include_production=include_production, period_days=period_days,
            )
            # only a series without demand in its first period may have started later; without
            # any demand, the product is new (came in since the window started) or unsold
            firsts = self._get_first_move_dates(company, [
                (product.id, warehouse.id) for product, warehouse in group
                if (product.id, warehouse.id) not in series or not series[product.id, warehouse.id][0]
            ])
            moved.update(product_id for product_id, _warehouse_id in series)
            moved.update(product_id for product_id, _warehouse_id in firsts)
            for product, warehouse in group:
                values = series.get((product.id, warehouse.id))
                first = firsts.get((product.id, warehouse.id))
                if values is None and not first:
                    unmoved[product.id, warehouse.id] = days // period_days
                if values is None and first and first <= start:
                    # there the whole window and not asked for once: a demand of zero, which
                    # the rule's quantity for new products (no history) would replenish
                    values = np.zeros(days // period_days)
                elif values is not None and first and first > start:
                    values = values[-((first - start).days // -period_days):]  # from the first whole period
                if values is not None and len(values):
                    demand[product.id, warehouse.id] = values
        for (product_id, warehouse_id), periods in unmoved.items():
            if product_id in moved:
                demand[product_id, warehouse_id] = np.zeros(periods)
        return demand

    @api.model
    def _get_first_move_dates(self, company, keys):
        """{(product_id, warehouse_id): the day (company's calendar) of the product's first done
        move into or out of the warehouse} for ``keys``, in one query."""
        if not keys:
            return {}
        self.env["stock.move"].flush_model(["state", "company_id", "product_id", "location_id", "location_dest_id", "date"])
        rows = self.env.execute_query(first_move_sql(
            company, list({p for p, _w in keys}), warehouse_ids=list({w for _p, w in keys}),
        ))
        wanted = set(keys)
        return {(p, w): first for p, w, first in rows if (p, w) in wanted}

    @api.model
    def _get_demand_series(self, company, product_ids, date_from, date_to, *, include_production=False, period_days=1):
        """The net demand per period (``period_days`` days from ``date_from``) per (product,
        warehouse) over the days [date_from, date_to) of the company's calendar, in one query;
        periods without demand are zeros. The demand is the done quantity (see
        ``tools/net_demand.py``), a warehouse's transfers to the others included: per warehouse,
        what it serves.

        :return: {(product_id, warehouse_id): numpy array, one value per period}
        """
        periods = (date_to - date_from).days // period_days
        rows = self.env.execute_query(SQL(
            """
            SELECT product_id, warehouse_id, ARRAY_AGG(period), ARRAY_AGG(qty)
              FROM (SELECT d.product_id, d.warehouse_id,
                           ((timezone(%(tz)s, d.date AT TIME ZONE 'UTC'))::date - %(first_day)s::date) / %(period)s
                           AS period, SUM(d.qty) AS qty
                      FROM (%(demand)s) d
                     WHERE d.product_id = ANY(%(products)s) AND d.date >= %(start)s AND d.date < %(stop)s
                     GROUP BY 1, 2, 3) daily
             WHERE period < %(periods)s
             GROUP BY product_id, warehouse_id
            """,
            demand=net_demand_query(self.env, company, include_production, include_transfers=True),
            tz=company_tz_name(company),
            products=sql_array(list(product_ids), "int4"), first_day=date_from, period=period_days,
            periods=periods, start=local_midnight_utc(company, date_from), stop=local_midnight_utc(company, date_to),
        ))
        series = {}
        for product_id, warehouse_id, indexes, quantities in rows:
            values = np.zeros(periods)
            values[indexes] = np.array(quantities, dtype=float)
            series[product_id, warehouse_id] = values
        return series

    @api.model
    def _get_demand_sums(self, company, product_ids, date_from, date_to, *, include_production=False, period_days=1):
        """Sum and sum of squares of the net demand per period (``period_days`` days from
        ``date_from``) per (product, warehouse) over the days [date_from, date_to) of the
        company's calendar, in one query (``_get_demand_series``).

        :return: {(product_id, warehouse_id): (total, total_of_squares)}
        """
        series = self._get_demand_series(
            company, product_ids, date_from, date_to, include_production=include_production, period_days=period_days,
        )
        return {key: (float(values.sum()), float(values @ values)) for key, values in series.items()}

    @api.model
    def _get_demand_in_windows(self, company, windows):
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
            demand=net_demand_query(
                self.env, company, any(w[1]["rule"].include_production for w in windows), include_transfers=True,
            ),
            idx=sql_array(range(len(windows)), "int4"),
            products=sql_array([w[1]["product"].id for w in windows], "int4"),
            warehouses=sql_array([w[1]["warehouse"].id for w in windows], "int4"),
            starts=sql_array([local_midnight_utc(company, w[2]) for w in windows], "timestamp"),
            stops=sql_array([local_midnight_utc(company, w[3]) for w in windows], "timestamp"),
            production=sql_array([bool(w[1]["rule"].include_production) for w in windows], "bool"),
        ))
        return {windows[idx][0]: float(total or 0.0) for idx, total in rows}

    # 2. statistics ----------------------------------------------------------------------------
    @api.model
    def _compute_statistics(self, company, pairs, demand, today, choose_seller):
        """One plan per pair: demand mean and deviation per period, Odoo's rules that
        replenish the warehouse, and where they buy, the vendor line for what one review period
        orders and the lead time (the vendor's promise, or measured); where they do not (a
        resupply from another warehouse), no vendor and the lead time of the rules' delays."""
        measured = self._get_measured_lead_times(company, pairs, today)
        # the chooser's own finder, if a wrapper of it (a bridge) kept it
        rules_of = getattr(choose_seller, "rules_of", None) or self._supply_rules_finder(company)
        own_routes = self._get_chosen_routes(company, pairs)
        plans = []
        for product, warehouse, rule in pairs:
            series = demand.get((product.id, warehouse.id))
            # Periods without demand are zeros of the series: they count in the mean and deviation.
            total, squares = (float(series.sum()), float(series @ series)) if series is not None else (0.0, 0.0)
            period_days = PERIOD_DAYS[rule.demand_period]
            # Mean and deviation per period (day or week); the daily mean drives the forecast.
            # the periods of the series: fewer than the window's for a product that came in during it
            periods = len(series) if series is not None else rule.history_days // period_days
            period_mean, stddev = daily_demand_stats(total, squares, periods)
            period_mean = max(period_mean, 0.0)  # more returns than deliveries is no negative demand
            if series is not None and (series < 0).any():
                # A period of more returns than deliveries (a bulk return) lowers the mean but is no
                # demand: as a negative outlier it would widen the deviation the safety stock covers.
                clipped = np.maximum(series, 0.0)
                stddev = daily_demand_stats(float(clipped.sum()), float(clipped @ clipped), periods)[1]
            try:
                supply_rules = rules_of(product, warehouse.lot_stock_id, own_routes.get((product.id, warehouse.id)))
            except UserError as error:
                # Odoo refuses the product's routes (a loop between warehouses): its reordering
                # rule there keeps what it has, the company's others are computed
                _logger.warning("Safety stock: %s in %s skipped: %s", product.display_name, warehouse.name, error)
                continue
            buys = self._buys(supply_rules)
            seller = self.env["product.supplierinfo"]
            if buys:
                # The vendor line for what one review period orders (its quantity breaks apply).
                need = product.uom_id.round(period_mean / period_days * rule.review_days)
                seller = choose_seller(product, self.env["res.partner"], need, warehouse)
                # No line valid today (expired, not yet valid): the delay its vendor promised, not
                # a lead time of 0 that leaves the rule no reorder point; the purchase plan shows
                # the line without vendor, which Odoo cannot order until a price is valid again.
                promise = seller or self._get_lapsed_vendor_line(product, company)
                lead_time, lead_time_stddev, source = float(promise.delay) if promise else 0.0, 0.0, "promised"
                # Receipts are measured per commercial partner (an order to a vendor's contact is the vendor's).
                sample = seller and measured.get((seller.partner_id.commercial_partner_id.id, product.id))
                if rule.lead_time_source == "measured" and sample and sample["count"] >= MIN_LEAD_TIME_RECEIPTS:
                    lead_time, lead_time_stddev, source = sample["mean"], sample["stddev"], "measured"
                if promise:
                    # Odoo's lead days of a buy rule add the days the company takes to place an order
                    lead_time += company.days_to_purchase
                # bought by the warehouse that resupplies this one (make to order): Odoo's lead
                # days add the transfers that bring it here
                lead_time += self._get_route_lead_time(supply_rules, product)
            else:
                lead_time, lead_time_stddev, source = self._get_route_lead_time(supply_rules, product), 0.0, "route"
            min_qty = seller.product_uom_id._compute_quantity(seller.min_qty, product.uom_id) if seller else 0.0
            plans.append({
                "product": product, "warehouse": warehouse, "rule": rule, "seller": seller,
                "supply_rules": supply_rules, "buys": buys,
                "has_history": series is not None, "series": series,
                "demand_mean": period_mean / period_days, "period_mean": period_mean, "demand_stddev": stddev,
                "period_days": period_days,
                "lead_time": lead_time, "lead_time_stddev": lead_time_stddev, "lead_time_source": source,
                "min_qty": min_qty, "service_level": 0.0, "z": 0.0, "trend": 1.0, "eoq": 0.0,
            })
        self._compute_demand_classes(plans)
        return plans

    @api.model
    def _get_lapsed_vendor_line(self, product, company):
        """The first of ``product``'s vendor lines in ``company`` in Odoo's order
        (``_prepare_sellers``: active vendors, the company's lines and shared ones, this variant's
        or the template's), whatever their dates: what the vendor promised when none is valid today."""
        return product.with_company(company)._prepare_sellers(False)[:1]

    @api.model
    def _compute_demand_classes(self, plans):
        """ADI, CV^2 and the Syntetos-Boylan-Croston class of each plan's demand per period,
        for all the plans with the same number of periods at once."""
        for plan in plans:
            plan.update(adi=0.0, cv2=0.0, demand_class=False)
        for group in self._group_series(plans).values():
            adi, cv2 = demand_class_stats(np.vstack([plan["series"] for plan in group]))
            for plan, plan_adi, plan_cv2 in zip(group, adi, cv2, strict=True):
                plan["demand_class"] = classify_demand(plan_adi, plan_cv2)
                if plan["demand_class"]:
                    plan.update(adi=float(plan_adi), cv2=float(plan_cv2))

    @api.model
    def _group_series(self, plans, key=None):
        """{(number of periods, key(plan)): [plans]} of the plans with a demand history."""
        groups = defaultdict(list)
        for plan in plans:
            if plan["series"] is not None:
                groups[len(plan["series"]), key(plan) if key else None].append(plan)
        return groups

    @api.model
    def _get_measured_lead_times(self, company, pairs, today):
        """Measured lead times {(commercial vendor id, product id): {"mean", "stddev"}} of the
        products whose rule asks for them. Receipts are rarer than deliveries: they are
        measured over the company's history window (the one the supplier evaluation uses),
        or the rules' if longer."""
        measured_pairs = [(p, r) for p, _w, r in pairs if r.lead_time_source == "measured"]
        if not measured_pairs:
            return {}
        self.env.flush_all()  # the shared lead-time query reads the database directly
        longest = max([company.jxc_demand_history_days] + [r.history_days for _p, r in measured_pairs])
        return self.env["purchase.order.line"]._get_jxc_lead_time_stats(
            local_midnight_utc(company, today - timedelta(days=longest)),
            local_midnight_utc(company, today + timedelta(days=1)),
            company, product_ids=list({p.id for p, _r in measured_pairs}), by_product=True, into_stock=True,
        )

    # 3. forecast ------------------------------------------------------------------------------
    @api.model
    def _compute_forecasts(self, company, today, plans):
        """Forecast over the lead time and the review period: the rule's forecast method per
        period (moving average: the average of the history window), or, for seasonal
        products with demand a year ago (in the warehouse since before last year's trend
        window), the demand of the same days last year times the trend."""
        last_year = today - timedelta(days=364)  # 52 weeks: same weekdays as this year
        seasonal = [p for p in plans if p["product"].product_tmpl_id.jxc_seasonal]
        # Last year's windows say what a product sells only if it was in the warehouse all of
        # them: one that came during them would have its first days forecast as a whole window
        # (and its trend divided by a part of one). Such a product keeps its method's forecast.
        firsts = self._get_first_move_dates(company, [(p["product"].id, p["warehouse"].id) for p in seasonal])
        seasonal = [p for p in seasonal if (first := firsts.get((p["product"].id, p["warehouse"].id)))
                    and first <= last_year - timedelta(days=p["rule"].trend_days)]
        windows = []
        fractions = {}
        for index, plan in enumerate(seasonal):
            lead, review, trend = plan["lead_time"], plan["rule"].review_days, plan["rule"].trend_days
            # A lead time of 2.5 days takes half the third day's demand a year ago, and the
            # review period the other half (and half of the day after it).
            whole_days = math.floor(lead)
            fractions[index] = lead - whole_days
            lead_day = last_year + timedelta(days=whole_days)
            review_day = lead_day + timedelta(days=review)
            windows += [
                ((index, "lt"), plan, last_year, lead_day),
                ((index, "lead_day"), plan, lead_day, lead_day + timedelta(days=1)),
                ((index, "review"), plan, lead_day + timedelta(days=1), review_day),
                ((index, "review_day"), plan, review_day, review_day + timedelta(days=1)),
                ((index, "recent"), plan, today - timedelta(days=trend), today),
                ((index, "recent_ly"), plan, last_year - timedelta(days=trend), last_year),
            ]
        sums = self._get_demand_in_windows(company, windows) if windows else {}
        self._compute_method_forecasts(plans)
        for plan in plans:
            rate = plan["forecast_rate"]
            plan["forecast_lt"] = rate * plan["lead_time"]
            plan["forecast_review"] = rate * plan["rule"].review_days
        for index, plan in enumerate(seasonal):
            fraction, lead_day = fractions[index], sums.get((index, "lead_day"), 0.0)
            lt = sums.get((index, "lt"), 0.0) + fraction * lead_day
            review = (1.0 - fraction) * lead_day + sums.get((index, "review"), 0.0) \
                + fraction * sums.get((index, "review_day"), 0.0) if plan["rule"].review_days else 0.0
            recent_ly = sums.get((index, "recent_ly"), 0.0)
            if not (lt or review or recent_ly):
                continue  # nothing a year ago: keep the moving average
            plan["forecast_lt"], plan["trend"] = seasonal_forecast(lt, sums.get((index, "recent"), 0.0), recent_ly)
            plan["forecast_review"] = seasonal_forecast(review, sums.get((index, "recent"), 0.0), recent_ly)[0]
            plan["forecast_method"] = "seasonal"
            # the backtest measured the rule's method, not last year x trend
            plan["accuracy"], plan["forecast_mase"] = {}, 0.0

    @api.model
    def _compute_method_forecasts(self, plans):
        """Each plan's forecast demand per day ("forecast_rate") by its rule's method; a rule
        asking for the best method takes, per product and warehouse, the one with the lowest
        MASE in a rolling-origin backtest on its own history (``tools/forecast.py``). The
        backtest of the method used also gives the forecast's accuracy ("accuracy": WAPE,
        bias, MASE, tracking signal over the last two thirds of the history)."""
        for plan in plans:
            plan.update(
                forecast_method="moving_average" if plan["has_history"] else "no_history",
                forecast_rate=plan["demand_mean"], forecast_mase=0.0, accuracy={},
            )
        groups = self._group_series(plans, key=lambda plan: plan["rule"].forecast_method)
        for (_periods, method), group in groups.items():
            result = select_method(
                np.vstack([plan["series"] for plan in group]),
                **({} if method == "auto" else {"methods": (method,)}),
            )
            for row, plan in enumerate(group):
                chosen, mase = result["method"][row], result["mase"][row]
                plan.update(
                    forecast_method=chosen, forecast_mase=0.0 if np.isnan(mase) else float(mase),
                    accuracy={key: float(values[row]) for key, values in result["accuracy"].items()},
                )
                if chosen != "moving_average":  # the moving average is the demand mean already
                    # Per period -> per day; returns above deliveries forecast no negative demand.
                    plan["forecast_rate"] = max(float(result["forecast"][row]), 0.0) / plan["period_days"]

    # 4. policy --------------------------------------------------------------------------------
    @api.model
    def _compute_policies(self, company, plans):
        """Safety stock by the rule's method and the economic order quantity of each plan
        (the reorder point and maximum follow in ``_prepare_orderpoint_vals``)."""
        # the company's cost settings, whoever runs the update (managers-only fields)
        costs = company.sudo()
        holding_rate = costs.jxc_carrying_cost_rate / 100.0
        today = company_today(company)
        prices = {}  # per vendor line, which a product's warehouses share
        tax_cache = {}
        for plan in plans:
            rule, product = plan["rule"], plan["product"]
            seller = plan["seller"]
            if seller and seller.id not in prices:
                prices[seller.id] = self._get_unit_price(seller, product, company, today, tax_cache=tax_cache)
            price = prices[seller.id] if seller else product.standard_price
            plan["eoq"] = economic_order_quantity(
                plan["demand_mean"] * 365.0, costs.jxc_ordering_cost, price * holding_rate,
            )
            plan["distribution"] = "normal"
            if rule.method == "statistical" and rule.service_target == "fill_rate":
                # its reorder point gives z (_get_statistical_safety_stock); the cycle service
                # level is not its target, and may be left empty (0) on it
                plan["service_level"], plan["z"] = rule.fill_rate, 0.0
            elif rule.method == "statistical":
                plan["service_level"] = rule._get_service_level(product)
                plan["z"] = rule._get_z(product)
            if rule.method == "fixed":
                plan["safety_stock"] = rule.fixed_qty
            elif not plan["has_history"] or (rule.method == "statistical" and len(plan["series"]) < 2):
                # Explicit fallback: nothing to average, or one period (a product that came in
                # yesterday), whose deviation cannot be measured: not a safety stock of 0.
                plan["safety_stock"] = rule.no_history_qty
            elif rule.method == "days":
                plan["safety_stock"] = safety_stock_days_of_cover(plan["demand_mean"], rule.cover_days)
            else:
                plan["safety_stock"] = self._get_statistical_safety_stock(plan)

    @api.model
    def _get_statistical_safety_stock(self, plan):
        """Safety stock of a statistical rule: the deviation of the demand over the lead time
        sigma_L, then the reorder point for the rule's target (cycle service level, or fill
        rate with the loss function: expected shortage per order = (1 - beta) Q) under the
        normal distribution, or, when the rule follows the demand class, the Gamma fitted to
        the lead-time demand of intermittent and lumpy products (skewed, never negative).
        Every target finds the reorder point of the min/max rule reviewed daily (the
        undershoot below the minimum included, ``tools/inventory_policy.py``);
        the safety stock is that reorder point minus the forecast over the lead time, and
        ``z`` what it is in deviations."""
        rule = plan["rule"]
        sigma = self._get_sigma_lead_time(plan)
        if rule.service_target == "fill_rate":
            plan["service_level"] = rule.fill_rate
        if rule.distribution == "demand_class" and plan["demand_class"] in ("intermittent", "lumpy") and plan["forecast_lt"] > 0:
            plan["distribution"] = "gamma"
        safety_stock, plan["z"] = safety_stock_for_target(
            plan["forecast_lt"], sigma, self._get_order_qty(plan),
            target=rule.service_target, level=plan["service_level"], distribution=plan["distribution"],
            # Odoo checks the minimum every day: the undershoot of a day's demand, also where the
            # statistics are weekly (a week's demand would overstate it sevenfold)
            undershoot=undershoot_moments(plan["series"], plan["period_days"]),
        )
        return safety_stock

    @api.model
    def _get_sigma_lead_time(self, plan):
        """Deviation of the demand over the lead time, demand and lead time in the same unit
        (the statistics' period): sqrt(L sigma_d^2 + d^2 sigma_L^2)."""
        period = plan["period_days"]
        return safety_stock_statistical(
            1.0, plan["demand_stddev"], plan["lead_time"] / period, plan["period_mean"], plan["lead_time_stddev"] / period,
        )

    @api.model
    def _get_order_qty(self, plan):
        """The quantity one order brings: the maximum's order quantity before the rule's multiple."""
        return round_order_quantity(plan["eoq"] or plan["forecast_review"], plan["min_qty"])

    # 5. reordering rules ------------------------------------------------------------------------
    @api.model
    def _prepare_orderpoint_vals(self, plan, multiple):
        """The reordering rule's values: reorder point = forecast over the lead time + safety
        stock; maximum = reorder point + the order quantity (EOQ, else the forecast over the
        review period, raised to the vendor's minimum and the rule's multiple)."""
        product = plan["product"]
        uom = product.uom_id
        # what Odoo 19's uom.round does (every unit rounds at the "Product Unit" precision), with
        # the precision read once per rule instead of once per figure
        digits = self.env["decimal.precision"].precision_get("Product Unit")

        def round_qty(qty, rounding_method="HALF-UP"):
            return float_round(qty, precision_digits=digits, rounding_method=rounding_method)

        safety = round_qty(plan["safety_stock"], rounding_method="UP")
        reorder_point = round_qty(plan["forecast_lt"] + safety, rounding_method="UP")
        order_qty = plan["eoq"] or plan["forecast_review"]
        if order_qty <= 0 < reorder_point:
            # no demand to size an order (a new product's fallback safety stock): an order still
            # buys the vendor's minimum, or Odoo's scheduler would order less than the vendor sells
            order_qty = plan["min_qty"]
        order_qty = round_order_quantity(order_qty, plan["min_qty"], multiple)
        maximum = round_qty(reorder_point + order_qty, rounding_method="UP")
        reorder_point, maximum = whole_unit_levels(
            reorder_point, maximum, multiple or self._get_default_multiple(plan), pieces=is_counted_in_pieces(uom))
        return {
            "product_min_qty": reorder_point,
            "product_max_qty": maximum,
            "supplier_id": self._buys_here(plan["supply_rules"]) and plan["seller"].id or False,
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
            "jxc_service_target": plan["rule"].service_target if plan["rule"].method == "statistical" else False,
            "jxc_distribution": plan["distribution"],
            "jxc_z": round(plan["z"], 4),
            "jxc_safety_stock": safety,
            "jxc_forecast_method": plan["forecast_method"],
            "jxc_forecast_mase": round(plan["forecast_mase"], 4),
            **self._prepare_accuracy_vals(plan),
            "jxc_demand_class": plan["demand_class"],
            "jxc_adi": round(plan["adi"], 4),
            "jxc_cv2": round(plan["cv2"], 4),
            "jxc_forecast_lt": round_qty(plan["forecast_lt"]),
            "jxc_forecast_review": round_qty(plan["forecast_review"]),
            "jxc_trend": round(plan["trend"], 4),
            "jxc_eoq": round_qty(plan["eoq"]),
        }

    @api.model
    def _get_default_multiple(self, plan):
        """What Odoo rounds an order of the plan's rule up to where the rule sets no multiple
        (``_get_replenishment_multiple_alternative``), in the product's unit: the vendor's
        purchase unit (0: none; jxc_mrp: the bill of materials' unit of a product made)."""
        return packaging_multiple(plan["product"].uom_id, plan["seller"].product_uom_id)

    @api.model
    def _prepare_accuracy_vals(self, plan):
        """The forecast accuracy fields of the reordering rule; empty where undefined (WAPE
        and bias of a replay without demand). Odoo stores an empty Float as 0: readers tell
        an undefined WAPE or bias by the replay's demand, ``jxc_forecast_actual`` <= 0 (the
        accuracy report shows them empty, the drift alert words that case apart)."""
        accuracy = plan["accuracy"]

        def value(key, digits, scale=1.0):
            number = accuracy.get(key, 0.0)
            return False if np.isnan(number) else round(number * scale, digits)

        return {
            "jxc_forecast_actual": value("actual", 4),
            "jxc_forecast_error": value("error", 4),
            "jxc_forecast_abs_error": value("abs_error", 4),
            "jxc_forecast_wape": value("wape", 2, 100.0),
            "jxc_forecast_bias": value("bias", 2, 100.0),
            "jxc_tracking_signal": value("tracking_signal", 2),
            "jxc_forecast_bias_z": value("bias_z", 2),
        }

    @api.model
    def _apply_plans(self, company, plans, written):
        """Create or update the reordering rules of ``plans`` through the ORM, logging each
        change: the rules are read in one search, the new ones created in one ``create``
        (named by Odoo's default), the changed fields of the others written, rules sharing
        a value in one ``write`` (``_group_orderpoint_writes``; Odoo flushes them in batched
        UPDATEs and runs its inverses, constraints and recomputations), the logs created in one INSERT. The ids of the
        rules created or written are added to ``written``."""
        counts = {"created": 0, "updated": 0, "unchanged": 0, "skipped_locked": 0}
        Orderpoint = self.env["stock.warehouse.orderpoint"].sudo().with_company(company)
        existing = Orderpoint.with_context(active_test=False).search([
            ("company_id", "=", company.id),
            ("product_id", "in", list({p["product"].id for p in plans})),
            ("location_id", "in", list({p["warehouse"].lot_stock_id.id for p in plans})),
        ])
        by_key = {(o.product_id.id, o.location_id.id): o for o in existing}
        # A buyer's rule elsewhere in the warehouse (a sub-location of its stock) replenishes the
        # product there already: a second rule at the stock would order it again.
        elsewhere = {(o.product_id.id, o.warehouse_id.id) for o in Orderpoint.search([
            ("company_id", "=", company.id),
            ("product_id", "in", list({p["product"].id for p in plans})),
            ("warehouse_id", "in", list({p["warehouse"].id for p in plans})),
            ("location_id", "not in", list({p["warehouse"].lot_stock_id.id for p in plans})),
        ])}
        to_create, to_update, logs, planned = [], [], [], []
        today = company_today(company)
        for plan in plans:
            orderpoint = by_key.get((plan["product"].id, plan["warehouse"].lot_stock_id.id))
            if orderpoint and (
                orderpoint.jxc_locked or not orderpoint.active
                # a buyer snoozed Odoo's suggestion: not to be ordered before that day
                or self._is_odoo_suggestion(orderpoint) and orderpoint.snoozed_until and orderpoint.snoozed_until > today
            ) or (not orderpoint and (plan["product"].id, plan["warehouse"].id) in elsewhere):
                counts["skipped_locked"] += 1
                continue
            multiple = orderpoint._jxc_get_multiple() if orderpoint else 0.0
            planned.append((plan, orderpoint, self._prepare_orderpoint_vals(plan, multiple)))
        stored = self._read_stored(existing, [*planned[0][2], "route_id", "jxc_buy_route_auto"]) if planned else {}
        # A rule with a vendor buys: the route purchase_stock's inverse of the vendor would
        # search for each rule, looked up once.
        buy_route = self.env["stock.rule"].search([("action", "=", "buy")], limit=1).route_id
        suggestions = Orderpoint
        for plan, orderpoint, vals in planned:
            old = stored[orderpoint.id] if orderpoint else {}
            if old.get("jxc_buy_route_auto") and not self._buys_here(plan["supply_rules"]):
                # the Buy route the engine set with its vendor: Odoo's routes now resupply the
                # warehouse, and the rule would still buy
                vals = {**vals, "route_id": False, "jxc_buy_route_auto": False}
            elif vals["supplier_id"] and not old.get("route_id") and buy_route:
                # marked as the engine's, unlike a route a user sets (which the engine keeps)
                vals = {**vals, "route_id": buy_route.id, "jxc_buy_route_auto": True}
            if orderpoint and self._is_odoo_suggestion(orderpoint):
                # Replaced by a rule of the safety stock's own, with the route the buyer set on
                # it: Odoo deletes a manual rule the superuser created once it has nothing left to
                # order, also after a buyer set it manual. Not its manual quantity: an automatic
                # rule's quantity is Odoo's computation (its inverse clears a manual one), else the
                # scheduler would order that quantity again every night. Its snooze is over.
                suggestions |= orderpoint
                to_create.append((plan, {
                    **orderpoint.copy_data()[0], "snoozed_until": False, "qty_to_order_manual": 0.0, **vals,
                }))
                continue
            if not orderpoint:
                to_create.append((plan, vals))
                continue
            # Only what changed is written: an unchanged vendor or rule written again would
            # still run Odoo's inverses and recomputations for nothing.
            changed = {k: v for k, v in vals.items() if self._differs(old[k], v)}
            if not changed:
                counts["unchanged"] += 1
                continue
            logs.append(self._prepare_log_vals(plan, orderpoint, vals, "update"))
            to_update.append((orderpoint.id, changed))
            counts["updated"] += 1
        for items, ids in self._group_orderpoint_writes(to_update).items():
            Orderpoint.browse(ids).write(dict(items))
        updated = Orderpoint.browse([orderpoint_id for orderpoint_id, _changed in to_update])
        # After the writes (a new vendor changes the lead time, hence the forecast's horizon)
        # and before the flush, whose recomputation of Odoo's quantity to order reads it.
        updated._jxc_compute_forecast()
        written += updated.ids
        if to_create:
            suggestions.unlink()  # before the creation of their replacements (one rule per product and location)
            by_author = defaultdict(list)
            for plan, vals in to_create:
                by_author[self._get_rule_author(plan["rule"])].append((plan, vals))
            for author, author_plans in by_author.items():
                created = Orderpoint.with_user(author).sudo().create([{
                    **vals,
                    "product_id": plan["product"].id,
                    "warehouse_id": plan["warehouse"].id,
                    "location_id": plan["warehouse"].lot_stock_id.id,
                    "company_id": company.id,
                    "trigger": "auto",
                } for plan, vals in author_plans]).with_env(Orderpoint.env)
                created._jxc_compute_forecast()
                for (plan, vals), orderpoint in zip(author_plans, created, strict=True):
                    logs.append(self._prepare_log_vals(plan, orderpoint, vals, "create"))
                counts["created"] += len(created)
                written += created.ids
        # The logs are the engine's own record of what it changed (its own table): one INSERT.
        bulk_create(self.env["jxc.safety.stock.log"].sudo(), logs)
        return counts

    @api.model
    def _get_rule_author(self, rule):
        """The user the reordering rules of the safety stock ``rule`` are created as: who runs
        the update, else (the scheduled action) who made the safety stock rule, else the
        administrator. Not the superuser: Odoo takes a manual rule the superuser created for
        a suggestion of its replenishment report and deletes it once nothing is left to order
        (after Order Once, and by its autovacuum), also when a buyer chose the manual trigger."""
        for user in (self.env.user, rule.create_uid, self.env.ref("base.user_admin", raise_if_not_found=False)):
            if user and user.id != SUPERUSER_ID:
                return user
        return self.env.user

    @api.model
    def _is_odoo_suggestion(self, orderpoint):
        """A manual rule the replenishment report created by itself (as the superuser) and the
        safety stock does not manage yet: Odoo's temporary suggestion, not a buyer's choice of a
        manual trigger."""
        return (
            not orderpoint.jxc_rule_id and orderpoint.trigger == "manual"
            and orderpoint.create_uid.id == SUPERUSER_ID
        )

    @api.model
    def _apply_product_demand_classes(self, company, plans, pairs, products=None):
        """Write on each planned product the demand class of its busiest warehouse (the
        largest demand in its history window), one write per class; clear it on the products
        (of ``products`` if given) no safety-stock rule applies to any more (``pairs``: the
        rules' scope)."""
        busiest = {}
        for plan in plans:
            total = float(plan["series"].sum()) if plan["has_history"] else 0.0
            product = plan["product"]
            if product.id not in busiest or total > busiest[product.id][0]:
                busiest[product.id] = (total, plan["demand_class"], product)
        by_class = defaultdict(list)
        for _total, demand_class, product in busiest.values():
            if product.jxc_demand_class != demand_class:
                by_class[demand_class].append(product.id)
        Product = self.env["product.product"].sudo().with_company(company)
        in_scope = {product.id for product, _warehouse, _rule in pairs}
        classified = Domain("jxc_demand_class", "!=", False)
        if products is not None:
            classified &= Domain("id", "in", products.ids)
        by_class[False] = [product_id for product_id in Product.search(classified).ids if product_id not in in_scope]
        for demand_class, ids in by_class.items():
            if ids:
                Product.browse(ids).write({"jxc_demand_class": demand_class})

    @api.model
    def _group_orderpoint_writes(self, updates):
        """{values (tuple of items): rule ids} for ``updates`` [(rule id, changed values)].

        A value many rules share (the service level a manager raised, the same reorder point)
        is written to all of them in one ``write``, so that Odoo's write and the
        recomputations it triggers run per batch of rules instead of per rule; the values
        proper to each rule are written per rule, together. Minimum and maximum always go
        together: Odoo checks minimum <= maximum at each write.
        """
        def field_group(fname):
            return "quantities" if fname in ("product_min_qty", "product_max_qty") else fname

        parts = []
        distinct = defaultdict(set)
        for orderpoint_id, changed in updates:
            by_group = defaultdict(dict)
            for fname, value in changed.items():
                by_group[field_group(fname)][fname] = value
            by_group = {group: tuple(sorted(part.items())) for group, part in by_group.items()}
            for group, items in by_group.items():
                distinct[group].add(items)
            parts.append((orderpoint_id, by_group))
        # a group is written value by value when its rules share values (4 or more per value on average)
        shared = {group for group, values in distinct.items() if len(values) * 4 <= len(updates)}
        writes = defaultdict(list)
        for orderpoint_id, by_group in parts:
            own = []
            for group, items in by_group.items():
                if group in shared:
                    writes[items].append(orderpoint_id)
                else:
                    own += items
            if own:
                writes[tuple(sorted(own))].append(orderpoint_id)
        return writes

    @api.model
    def _read_stored(self, orderpoints, fnames):
        """{rule id: {field: stored value}} of the stored fields ``fnames`` of ``orderpoints``
        (a many2one as its id, None where empty), in one query: comparing the planned values
        with thousands of rules field by field through the records took half a second."""
        self.env["stock.warehouse.orderpoint"].flush_model(fnames)
        rows = self.env.execute_query(SQL(
            "SELECT id, %s FROM stock_warehouse_orderpoint WHERE id = ANY(%s)",
            SQL(", ").join(SQL.identifier(fname) for fname in fnames), orderpoints.ids,
        ))
        return {row[0]: dict(zip(fnames, row[1:], strict=True)) for row in rows}

    @api.model
    def _differs(self, old, value):
        """Whether the planned ``value`` differs from the stored ``old`` (``_read_stored``):
        numbers within 1e-6 are equal, an empty value is False (or 0)."""
        if isinstance(value, float):
            return abs((old or 0.0) - value) > 1e-6
        return (old or False) != (value or False)

    @api.model
    def _prepare_log_vals(self, plan, orderpoint, vals, operation):
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

    # --- routes (Odoo's rules: shared with the vendor choice and the purchase plan) -------------
    @api.model
    def _supply_rules_finder(self, company):
        """``rules_of(product, location, route=None)``: the stock rules Odoo replenishes
        ``product`` into ``location`` with, as a reordering rule there with ``route`` finds them
        (its ``rule_ids``: ``_get_rules_from_location``): a rule of the route first, then of the
        product's or its category's routes, then of the warehouse's (those that apply to the
        product: Odoo's ``_filter_warehouse_routes``). Looked up once per combination of the
        routes that decide, which most products share: Odoo's own cache in ``_compute_rules``
        asks for the product's total routes with two searches per rule. One update asks for
        each product several times (statistics, vendor choice, plan): its routes are read once
        per warehouse."""
        Rule = self.env["stock.rule"].sudo().with_company(company)
        # read once per location, product and warehouse, not once per question
        found, routes_of, warehouse_of, own_routes_of, warehouse_routes_of = {}, {}, {}, {}, {}

        def rules_of(product, location, route=None):
            if location.id not in warehouse_of:
                warehouse_of[location.id] = location.warehouse_id
            warehouse = warehouse_of[location.id]
            if (product.id, warehouse.id) not in routes_of:
                if product.id not in own_routes_of:
                    own_routes_of[product.id] = (tuple(product.route_ids.ids), tuple(product.categ_id.total_route_ids.ids))
                if warehouse.id not in warehouse_routes_of:
                    warehouse_routes_of[warehouse.id] = list(warehouse.route_ids)
                applicable = tuple(
                    candidate.id for candidate in warehouse_routes_of[warehouse.id]
                    if Rule._filter_warehouse_routes(product, warehouse, candidate)
                )
                routes_of[product.id, warehouse.id] = (*own_routes_of[product.id], applicable)
            key = (location.id, route.id if route else None, *routes_of[product.id, warehouse.id])
            if key not in found:
                found[key] = product.with_env(Rule.env)._get_rules_from_location(location, route_ids=route or False)
            return found[key]

        return rules_of

    @api.model
    def _buys(self, rules):
        """Whether Odoo replenishes through ``rules`` (``_supply_rules_finder``) by buying: a
        Buy rule among them, or no rule at all (the engine then gives the reordering rule a
        vendor, whose Buy route it creates it with). Any other rules resupply the warehouse
        from another (or, with jxc_mrp, make the product): no vendor."""
        return not rules or "buy" in rules.mapped("action")

    @api.model
    def _buys_here(self, rules):
        """Whether the warehouse's own rule among ``rules`` buys (or there is none): only then
        does its reordering rule get the vendor, whose inverse (purchase_stock) gives it the Buy
        route. Where the warehouse's rule resupplies it from another that buys to order, Odoo
        tries the reordering rule's route first: a Buy route would buy straight into it."""
        return not rules or rules[:1].action == "buy"

    @api.model
    def _get_route_lead_time(self, rules, product):
        """Odoo's lead days of the transfers of a replenishment through ``rules`` (all of it
        where they do not buy; where another warehouse buys to order for this one, what comes
        on top of the vendor's days): ``stock.rule._get_lead_days`` of the pull rules, without
        the global horizon, as the reordering rule's ``lead_days`` counts them. What another action
        takes is its bridge module's to add (jxc_mrp: the bill of materials')."""
        transfers = rules.filtered(lambda rule: rule.action in ("pull", "pull_push"))
        if not transfers:  # most products: a plain Buy rule, whose days the vendor's line gives
            return 0.0
        delays, _description = transfers.with_context(
            bypass_delay_description=True, bypass_global_horizon_days=True,
        )._get_lead_days(product)
        return float(delays["total_delay"])

    @api.model
    def _get_replenishment_rules(self, product, warehouse):
        """The rules Odoo replenishes ``product`` into ``warehouse`` with (``_supply_rules_finder``),
        the route a reordering rule there was given deciding first."""
        return self._replenishment_finder(warehouse.company_id, [(product, warehouse)]).rules_of(product, warehouse)

    @api.model
    def _get_replenishment_vendor_line(self, product, warehouse, quantity=0.0, date=None, rules=None):
        """The vendor line ``warehouse`` buys ``quantity`` of ``product`` with: the one on its
        reordering rule there, which Odoo's replenishment orders from whatever the quantity
        (purchase_stock's ``supplierinfo_id``), else the best (``_get_best_seller``); none where
        Odoo's rules resupply the warehouse from another (or make the product)."""
        return self._replenishment_finder(warehouse.company_id, [(product, warehouse)], date).vendor_line(
            product, warehouse, quantity, rules)

    @api.model
    def _get_replenishment_lead_time(self, product, warehouse, quantity=0.0, date=None):
        """The days Odoo takes to bring ``quantity`` of ``product`` into ``warehouse`` when
        asked today, as the lead days of a reordering rule there count them (without the
        global horizon): Odoo's ``_get_lead_days`` of the rules it replenishes the warehouse
        with, with the vendor line where they buy. A resupplied warehouse: the delays of the
        resupply; a product made there (mrp): its bill of materials' days. None where they buy
        and no vendor sells the product."""
        return self._replenishment_finder(warehouse.company_id, [(product, warehouse)], date)(
            product, warehouse, quantity)

    @api.model
    def _replenishment_finder(self, company, pairs, date=None):
        """``lead_time(product, warehouse, quantity=0.0)``: ``_get_replenishment_lead_time`` of
        each of ``pairs`` [(product, warehouse of ``company``)] on ``date`` (today by default),
        with ``lead_time.rules_of(product, warehouse)`` (``_get_replenishment_rules``) and
        ``lead_time.vendor_line(product, warehouse, quantity=0.0, rules=None)``
        (``_get_replenishment_vendor_line``). For a check of many lines (the sales check):
        the routes of the pairs' reordering rules and their vendors are searched once for all
        the pairs, when first asked, and the stock rules and the best vendors are asked of one
        ``_supply_rules_finder`` and one ``_vendor_line_chooser``, where a question at a time
        searches them again. Only a pair of ``pairs`` may be asked."""
        supply_rules_of = self._supply_rules_finder(company)
        found = {}  # "routes", "vendors", "choose": looked up once, when first needed

        def rules_of(product, warehouse):
            if "routes" not in found:
                found["routes"] = self._get_chosen_routes(company, [(product, warehouse, None)
                                                                    for product, warehouse in pairs])
            return supply_rules_of(product, warehouse.lot_stock_id, found["routes"].get((product.id, warehouse.id)))

        def vendor_line(product, warehouse, quantity=0.0, rules=None):
            rules = rules_of(product, warehouse) if rules is None else rules
            if not self._buys(rules):
                return self.env["product.supplierinfo"]
            if "vendors" not in found:
                # the vendor on the rule at the warehouse's stock, of each pair (the first one
                # in the rules' order where other companies have a rule there too)
                vendors = found["vendors"] = {}
                for orderpoint in self.env["stock.warehouse.orderpoint"].sudo().search([
                    ("product_id", "in", list({product.id for product, _warehouse in pairs})),
                    ("location_id", "in", list({warehouse.lot_stock_id.id for _product, warehouse in pairs})),
                    ("supplier_id", "!=", False),
                ]):
                    vendors.setdefault((orderpoint.product_id.id, orderpoint.location_id.id), orderpoint.supplier_id)
            rule_vendor = found["vendors"].get((product.id, warehouse.lot_stock_id.id))
            if rule_vendor:
                return rule_vendor.with_env(self.env)
            # asked for the warehouse: a product made in another (jxc_mrp) is still bought here
            if "choose" not in found:
                found["choose"] = self._vendor_line_chooser(company, date or company_today(company))
            return found["choose"](product, self.env["res.partner"], quantity, warehouse)

        def lead_time(product, warehouse, quantity=0.0):
            rules = rules_of(product, warehouse)
            seller = vendor_line(product, warehouse, quantity, rules)
            if self._buys(rules):
                if not seller:
                    return None
                if not rules:  # the engine's rule will buy through the Buy route: Odoo's buy rule's days
                    return float(seller.delay + warehouse.company_id.days_to_purchase)
            delays, _description = rules.with_context(
                bypass_delay_description=True, bypass_global_horizon_days=True,
            )._get_lead_days(product, supplierinfo=seller)
            return float(delays["total_delay"])

        lead_time.rules_of = rules_of
        lead_time.vendor_line = vendor_line
        return lead_time

    @api.model
    def _get_chosen_routes(self, company, pairs):
        """{(product id, warehouse id): route} of the existing reordering rules of ``pairs``
        with a route a user chose (to buy, resupply or manufacture): Odoo runs the rule through
        it. Not the Buy route the engine set itself with its vendor (``jxc_buy_route_auto``):
        Odoo's routes decide there, and may resupply the warehouse from another since."""
        routed = self.env["stock.warehouse.orderpoint"].sudo().search_fetch([
            ("company_id", "=", company.id), ("route_id", "!=", False), ("jxc_buy_route_auto", "=", False),
            ("product_id", "in", list({product.id for product, _warehouse, _rule in pairs})),
        ], ["product_id", "location_id", "route_id"])
        return {(orderpoint.product_id.id, orderpoint.location_id.warehouse_id.id): orderpoint.route_id
                for orderpoint in routed if orderpoint.location_id == orderpoint.location_id.warehouse_id.lot_stock_id}

    # --- vendors (shared with the purchase plan and the sales check) ---------------------------
    @api.model
    def _vendor_line_chooser(self, company, date):
        """``choose(product, vendor, quantity, warehouse=None)``: the vendor line
        ``_select_vendor_line`` picks for ``vendor``, or ``_get_best_seller``'s when ``vendor``
        is empty, asked once per product, vendor and quantity. With a ``warehouse``, its caller
        found that Odoo's rules buy there (``_buys``, with the route of the reordering rule:
        a rule a buyer gave the Buy route buys in a warehouse resupplied from another); without
        one (the sales check) the product's vendors alone decide. The
        quantity only chooses among several lines of one vendor, and among vendors by their
        minimums: for a product whose vendors have one line each and no minimum it is left out
        of the key, so its warehouses share one answer. The
        best vendor is chosen among the answers for each vendor, which a later question about
        one vendor then finds (the purchase plan asks about the rule's vendor after the safety
        stock asked for the best). Odoo filters the product's lines valid on ``date`` once per
        product, not once per vendor. ``choose.rules_of`` is its ``_supply_rules_finder``, for
        the statistics and the purchase plan that share the chooser to ask the same routes once
        (an override that wraps ``choose`` passes it on)."""
        valid_of, chosen, grade_ranks, tax_cache = {}, {}, {}, {}
        rules_of = self._supply_rules_finder(company)

        def choose(product, vendor, quantity, warehouse=None):  # the warehouse: for the bridges (jxc_mrp)
            product = product.with_company(company)
            if product.id not in valid_of:
                valid = product._get_filtered_sellers(quantity=None, date=date, uom_id=product.uom_id)
                # A vendor's lines include its parent's (Odoo's _get_filtered_sellers): counted together.
                valid_of[product.id] = valid, (len(valid.partner_id.commercial_partner_id) < len(valid)
                                               or any(line.min_qty > 0 for line in valid))
            valid, by_quantity = valid_of[product.id]
            key = (product.id, vendor.id, quantity if by_quantity else None)
            if key not in chosen:
                if vendor:
                    chosen[key] = self._select_vendor_line(product, company, vendor, quantity, date, valid)
                else:
                    vendors = valid.partner_id  # Odoo kept the active vendors' lines of this variant
                    if not grade_ranks.keys() >= set(vendors.ids):
                        # Grades are per company: read at once for the vendors of every product
                        # fetched with this one (the rules' products), not vendor by vendor.
                        batch = product.browse(list(product._prefetch_ids)).seller_ids.partner_id | vendors
                        for other in batch.with_company(company).sudo():  # the sales check ranks them too
                            # the evaluation grades the company; a contact's line buys from it
                            grade_ranks[other.id] = (
                                int(other._is_jxc_risk_flagged(company)),
                                GRADE_RANK.get(other.commercial_partner_id.jxc_supplier_grade, 9),
                            )
                    chosen[key] = self._rank_sellers(
                        [choose(product, other, quantity) for other in vendors], product, company, date, grade_ranks,
                        quantity, tax_cache,
                    )
            return chosen[key]

        choose.rules_of = rules_of
        return choose

    @api.model
    def _get_best_seller(self, product, company, quantity=0.0, date=None, warehouse=None):
        """The vendor line the purchase plan proposes for buying ``quantity`` (product unit)
        on ``date`` (into ``warehouse``, which buys: see ``_vendor_line_chooser``): for each vendor the line
        Odoo's ``_select_seller`` picks (validity dates, quantity breaks, units), then a vendor
        not at risk, the best supplier grade, the lowest price per product unit in the company
        currency (``_rank_sellers``)."""
        return self._vendor_line_chooser(company, date or company_today(company))(
            product, self.env["res.partner"], quantity, warehouse,
        )

    @api.model
    def _rank_sellers(self, sellers, product, company, date, grade_ranks, quantity=0.0, tax_cache=None):
        """The best of the vendor lines ``sellers`` (one per vendor, empty for a vendor that
        has none) for buying ``quantity`` (product unit): a vendor not at risk (where the company
        warns or blocks at confirmation: an RFQ to a blocked vendor, which the buyer cannot
        confirm, would count as on order and keep the rule from ordering elsewhere), then the
        best grade (``grade_ranks`` {vendor id: (at risk, grade rank)}), then one whose minimum
        the quantity reaches (as Odoo's ``_select_seller`` keeps those first: a cheaper price
        from 500 is no saving on 7 units), then the lowest untaxed price (``_get_unit_price``,
        with its ``tax_cache``)."""
        sellers = [seller for seller in sellers if seller]
        if len(sellers) < 2:  # one vendor (most products): no price to convert and compare
            return sellers[0] if sellers else self.env["product.supplierinfo"]
        uom = product.uom_id
        standing = {seller: (
            grade_ranks.get(seller.partner_id.id, (0, 9)),
            uom.compare(seller.product_uom_id._compute_quantity(seller.min_qty, uom), quantity) > 0,
        ) for seller in sellers}
        # priced only where the risk, grade and minimum leave a tie: pricing converts units and currencies
        best = min(standing.values())
        tied = [seller for seller in sellers if standing[seller] == best]
        return tied[0] if len(tied) == 1 else min(tied, key=lambda seller: (
            self._get_unit_price(seller, product, company, date, tax_cache=tax_cache), seller.sequence, seller.id,
        ))

    @api.model
    def _select_vendor_line(self, product, company, vendor, quantity, date, valid=None):
        """Odoo's own choice (``_select_seller``) among ``vendor``'s lines valid on ``date``
        for ``quantity`` in the product's unit, the quantity raised to the vendor's smallest
        minimum (a vendor's minimum order quantity is a minimum, its higher breaks are not).

        :param valid: the product's lines valid on ``date`` for any vendor, as Odoo's
            ``_get_filtered_sellers`` without a vendor gives them (filtered here by vendor)
        """
        product = product.with_company(company)
        if valid is None:
            valid = product._get_filtered_sellers(partner_id=vendor, quantity=None, date=date, uom_id=product.uom_id)
        else:  # the vendor condition of _get_filtered_sellers: the vendor's lines and its parent's
            valid = valid.filtered(lambda line: line.partner_id in (vendor | vendor.parent_id))
        if len(valid) < 2:
            return valid  # none, or the only line: Odoo's choice for any quantity from its minimum
        minimum = self._get_smallest_minimum(valid, product.uom_id)
        return product._select_seller(
            partner_id=vendor, quantity=max(quantity, minimum), date=date, uom_id=product.uom_id,
        )

    @api.model
    def _get_smallest_minimum(self, sellers, uom):
        """The smallest minimum quantity of the vendor lines ``sellers``, in ``uom``: a vendor's
        minimum order (its higher breaks price larger orders, they are no minimum)."""
        return min(line.product_uom_id._compute_quantity(line.min_qty, uom) for line in sellers)

    @api.model
    def _get_unit_price(self, seller, product, company, date=None, vendor=None, tax_cache=None):
        """Untaxed price of one unit of ``product`` (its own unit) from the vendor line ``seller``,
        in the company currency at ``date``: what an RFQ line to ``vendor`` (by default the
        line's) comes to per unit untaxed, as every money figure of the add-on. The line's
        ``price`` is per its purchase unit, in its currency, and may include taxes (a price with
        VAT in it, 含税价); Odoo's RFQ line removes the included taxes the vendor's fiscal
        position replaces (``_fix_tax_included_price_company``), then its untaxed subtotal the
        included taxes it keeps (``compute_all``). Odoo's ``price_discounted`` is the line's
        price per product unit net of its discount; the currency is converted as on a purchase
        order.

        :param tax_cache: a dict kept by a caller that prices many lines at once: the vendors'
            fiscal positions and the taxes they map are then read once per vendor and per
            (fiscal position, taxes)
        """
        vendor = vendor or seller.partner_id
        taxes = self._get_included_purchase_taxes(product, vendor, company, {} if tax_cache is None else tax_cache)
        if taxes:
            product_taxes, line_taxes, line_included = taxes
            price = self.env["account.tax"]._fix_tax_included_price_company(
                seller.product_uom_id._compute_price(seller.price, product.uom_id), product_taxes, line_taxes, company,
            ) * (1 - seller.discount / 100)
            if line_included:
                # per unit, every digit kept (round_base: not rounded to the currency's cents), as
                # the plan keeps per-unit prices
                price = line_taxes.with_context(round_base=False).compute_all(
                    price, currency=seller.currency_id, product=product, partner=vendor,
                )["total_excluded"]
        else:
            price = seller.price_discounted
        return seller.currency_id._convert(
            price, company.currency_id, company, date or company_today(company), round=False,
        )

    @api.model
    def _get_included_purchase_taxes(self, product, vendor, company, tax_cache):
        """(``product``'s purchase taxes in ``company``, the taxes of an RFQ line to ``vendor``
        (Odoo's mapping by the vendor's fiscal position), whether one of the line's is included
        in the price) when a tax of either is; None otherwise: the vendor's price is then
        untaxed as it is (most products). Read once per vendor and per (fiscal position, taxes)
        into ``tax_cache``; the products' taxes are read with their prefetch."""
        tax_ids = tuple(product.supplier_taxes_id.ids)
        if not tax_ids:
            return None  # nothing to include, whatever the fiscal position
        fpos_key = ("fiscal position", company.id, vendor.id)
        if fpos_key not in tax_cache:
            tax_cache[fpos_key] = self.env["account.fiscal.position"].sudo().with_company(company)._get_fiscal_position(vendor)
        fpos = tax_cache[fpos_key]
        key = ("taxes", company.id, fpos.id, tax_ids)
        if key not in tax_cache:
            Tax = self.env["account.tax"].sudo()
            # as purchase's _prepare_purchase_order_line: the company's taxes, mapped
            product_taxes = Tax.browse(tax_ids).filtered_domain(Tax._check_company_domain(company))
            line_taxes = fpos.map_tax(product_taxes)
            line_included = any(line_taxes.flatten_taxes_hierarchy().mapped("price_include"))
            # what _fix_tax_included_price_company removes: the product's included taxes the line has not
            replaced = any(tax.price_include and tax not in line_taxes for tax in product_taxes)
            tax_cache[key] = (product_taxes, line_taxes, line_included) if line_included or replaced else None
        return tax_cache[key]
