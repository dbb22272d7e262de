"""Forecast drift alerts: an activity for the buyer of each product whose forecast runs
away from its demand (bias z beyond +-1.96: the mean error of the planning engine's
backtest differs from 0 at the 95 % level; stored on the reordering rule), once per
computation of those figures, removed when the forecast no longer drifts."""

import logging

from odoo import api, models
from odoo.tools import split_every

from ..tools.company_day import company_today
from ..tools.company_users import company_todo_user
from ..tools.cron_progress import commit_batch, run_steps
from ..tools.forecast import BIAS_Z_LIMIT, first_scored_period
from .jxc_safety_stock_rule import PERIOD_DAYS

_logger = logging.getLogger(__name__)

ALERT_BATCH = 500


class JxcForecastDrift(models.AbstractModel):
    _name = "jxc.forecast.drift"
    _description = "Forecast Drift Alerts"

    @api.model
    def _get_drifting_domain(self, company):
        return [
            ("company_id", "=", company.id), ("jxc_rule_id", "!=", False),
            "|", ("jxc_forecast_bias_z", ">", BIAS_Z_LIMIT), ("jxc_forecast_bias_z", "<", -BIAS_Z_LIMIT),
        ]

    @api.model
    def _cron_send_alerts(self, use_new_cursor=False):
        """Every hour: the drift activities of every company, in batches, after removing those
        of the rules that no longer drift (an alert goes out once per computation of a rule's
        figures: the first run after the update that computed them sends it; the later ones
        find it sent); a batch that fails is retried rule by rule, a rule that
        fails is logged and skipped (the next run tries it again); progress is committed only
        with ``use_new_cursor`` (the cron)."""
        Cron = self.env["ir.cron"]
        for company in self.env["res.company"].sudo().search([]):
            try:
                with self.env.cr.savepoint():
                    self.sudo()._remove_resolved_alerts(company)
            except Exception:  # noqa: BLE001 - logged; the alerts still go out
                _logger.exception("Forecast drift alerts of %s: the resolved ones were not removed", company.name)
            orderpoints = self.env["stock.warehouse.orderpoint"].sudo().with_company(company).search(
                self._get_drifting_domain(company), order="id",
            )
            if use_new_cursor:
                Cron._commit_progress(remaining=len(orderpoints))
            for batch in split_every(ALERT_BATCH, orderpoints.ids, orderpoints.browse):
                try:
                    with self.env.cr.savepoint():
                        self.sudo()._send_alerts(company, batch)
                except Exception:  # noqa: BLE001 - logged; retried rule by rule
                    # one bad rule must not keep the alerts of its batch's others from going out
                    _logger.exception("Forecast drift alerts of %s: a batch was not sent; retried rule by rule",
                                      company.name)
                    run_steps(self.env, batch, lambda orderpoint, company=company: self.sudo()._send_alerts(
                        company, orderpoint), _logger, "Forecast drift alert of %s not sent; skipped.")
                if use_new_cursor:
                    commit_batch(self.env, len(batch))

    @api.model
    def _get_buyer(self, orderpoint, company):
        """The vendor's buyer, else the product's responsible, else the company's first
        manager: the first who may act on the company's to-do (the digest's rule)."""
        return company_todo_user(
            self.env, company, orderpoint.supplier_id.partner_id.buyer_id,
            orderpoint.product_id.with_company(company).responsible_id,
        )

    @api.model
    def _get_alerted_figures(self, orderpoint):
        """What identifies a computation of the rule's drift figures: an alert about the same
        figures is not sent again, also after the buyer marked it done (Odoo archives done
        activities) and until the engine computes different ones."""
        return "%s|%s|%s|%s|%s" % (
            orderpoint.jxc_forecast_method, orderpoint.jxc_forecast_bias_z, orderpoint.jxc_forecast_error,
            orderpoint.jxc_forecast_abs_error, orderpoint.jxc_forecast_actual,
        )

    @api.model
    def _remove_resolved_alerts(self, company):
        """Remove the open drift activities of ``company``'s rules whose forecast no longer
        drifts (recomputed within the limit, archived, or no longer managed): nothing is left
        for the buyer to review. Such a rule is alerted again when it drifts again."""
        alerted = self.env["stock.warehouse.orderpoint"].sudo().with_context(active_test=False).search([
            ("company_id", "=", company.id), ("jxc_drift_alerted", "!=", False),
        ])
        resolved = alerted - alerted.filtered_domain([("active", "=", True), *self._get_drifting_domain(company)])
        if not resolved:
            return
        self._withdraw_alerts(resolved.jxc_drift_activity_id)
        resolved.write({"jxc_drift_activity_id": False, "jxc_drift_alerted": False})

    @api.model
    def _withdraw_alerts(self, activities):
        """Remove the open drift ``activities`` that no drifting rule reports any more (its
        forecast no longer drifts, or the rule was deleted). An activity is shared by the
        warehouses of a product with the same buyer: it stays while one of them drifts."""
        reporting = self.env["stock.warehouse.orderpoint"].sudo().with_context(active_test=False).search([
            ("jxc_drift_activity_id", "in", activities.ids),
        ])
        drifting = reporting.browse()
        for company in reporting.company_id:
            drifting |= reporting.filtered_domain([("active", "=", True), *self._get_drifting_domain(company)])
        (activities - drifting.jxc_drift_activity_id).sudo().filtered("active").unlink()

    @api.model
    def _send_alerts(self, company, orderpoints):
        """One activity per (product, buyer) and computation of the figures (``_get_alerted_figures``):
        a rule is alerted once about its figures, done or not; new figures of a rule whose
        activity is still open are left to that activity, whoever holds it now (reassigned, or
        the rule's vendor has another buyer since): a new one would leave it open for good, as
        no rule would point to it any more. Each rule records what it was alerted about and the
        activity."""
        orderpoints = orderpoints.filtered(lambda op: op.jxc_drift_alerted != self._get_alerted_figures(op))
        if not orderpoints:
            return
        activity_type = self.env.ref("mail.mail_activity_data_warning")
        # The open drift activities of this company's rules: not another company's (its rules
        # remove it once resolved there), nor a warning someone wrote on the product.
        open_activities = self.env["stock.warehouse.orderpoint"].sudo().with_context(active_test=False).search([
            ("company_id", "=", company.id), ("product_id", "in", orderpoints.product_id.ids),
            ("jxc_drift_activity_id", "!=", False),
        ]).jxc_drift_activity_id.filtered("active")
        open_of = {(activity.res_id, activity.user_id.id): activity for activity in open_activities}
        new_of = {}  # {(product id, user id): index in vals_list of the activity created below}
        methods = {}  # {lang: {method: label}}
        model_id = self.env["ir.model"]._get_id("product.product")
        today = company_today(company)  # the company's day, not UTC's
        vals_list, alerted, kept = [], [], []
        for orderpoint in orderpoints:
            if orderpoint.jxc_drift_activity_id.active:
                kept.append(orderpoint)
                continue
            user = self._get_buyer(orderpoint, company)
            product = orderpoint.product_id
            if not user:
                continue  # alerted once someone may act on it
            key = (product.id, user.id)
            if key not in open_of and key not in new_of:
                new_of[key] = len(vals_list)
                # in the buyer's language, not the scheduler's
                env = self.with_context(lang=user.lang).env
                if user.lang not in methods:
                    methods[user.lang] = dict(orderpoints._fields["jxc_forecast_method"]._description_selection(env))
                name = product.with_env(env).display_name
                # what product.activity_schedule() writes, for all the batch's activities at once
                vals_list.append({
                    "res_model_id": model_id,
                    "res_id": product.id,
                    "activity_type_id": activity_type.id,
                    "automated": True,
                    "date_deadline": today,
                    "user_id": user.id,
                    "summary": env._("Forecast drifts: %(product)s", product=name),
                    "note": self._get_alert_note(env, orderpoint, name, methods[user.lang]),
                })
            alerted.append((orderpoint, key))
        # No email per activity (Odoo mails whoever is given an activity by someone else, and a
        # first run alerts thousands of products): the buyer finds them among their activities.
        created = self.env["mail.activity"].with_context(mail_activity_quick_update=True).create(vals_list)
        for orderpoint, key in alerted:
            orderpoint.write({
                "jxc_drift_activity_id": (open_of.get(key) or created[new_of[key]]).id,
                "jxc_drift_alerted": self._get_alerted_figures(orderpoint),
            })
        for orderpoint in kept:
            orderpoint.jxc_drift_alerted = self._get_alerted_figures(orderpoint)

    @api.model
    def _get_alert_note(self, env, orderpoint, name, methods):
        """The activity's text in the language of ``env``. Without demand in the replayed
        periods WAPE and bias are undefined (``jxc_forecast_actual`` <= 0): the note says
        that the product did not sell while the forecast expected it to."""
        method = methods.get(orderpoint.jxc_forecast_method, "")
        if orderpoint.jxc_forecast_actual <= 0:
            period_days = PERIOD_DAYS.get(orderpoint.jxc_demand_period, 1)
            periods = orderpoint.jxc_history_days // period_days
            return env._(
                "%(product)s in %(warehouse)s had no demand in the last %(days)s days the backtest replayed, while "
                "its forecast expected %(forecast)s %(unit)s over them (bias z %(z)s, beyond %(limit)s; method: "
                "%(method)s). Review whether the product still sells and the forecast method of its safety stock "
                "rule.",
                product=name, warehouse=orderpoint.warehouse_id.name,
                days=max(periods - first_scored_period(periods), 0) * period_days,
                # the forecasts' sum: errors are forecast - demand
                forecast=round(orderpoint.jxc_forecast_error + orderpoint.jxc_forecast_actual, 2),
                unit=orderpoint.product_id.with_env(env).uom_id.name,
                z=orderpoint.jxc_forecast_bias_z, limit=BIAS_Z_LIMIT, method=method,
            )
        return env._(
            "The forecast of %(product)s in %(warehouse)s runs %(direction)s its demand: bias %(bias)s %% "
            "(z %(z)s, beyond %(limit)s), tracking signal %(signal)s, WAPE %(wape)s %% (method: "
            "%(method)s). Review the forecast method of its safety stock rule or the product's recent sales.",
            product=name, warehouse=orderpoint.warehouse_id.name,
            direction=env._("above") if orderpoint.jxc_forecast_bias_z > 0 else env._("below"),
            z=orderpoint.jxc_forecast_bias_z, limit=BIAS_Z_LIMIT,
            signal=orderpoint.jxc_tracking_signal, bias=orderpoint.jxc_forecast_bias,
            wape=orderpoint.jxc_forecast_wape, method=method,
        )

    @api.model
    def _get_drift_count(self, company):
        """The number of the company's reordering rules whose forecast drifts (for a
        dashboard tile)."""
        return self.env["stock.warehouse.orderpoint"].sudo().search_count(self._get_drifting_domain(company))
