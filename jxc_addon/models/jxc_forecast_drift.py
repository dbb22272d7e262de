"""Forecast drift alerts: an activity for the buyer of each product whose forecast runs
away from its demand (tracking signal beyond +-4, measured by the planning engine's
backtest and stored on the reordering rule)."""

import logging

from odoo import api, models
from odoo.tools import split_every

from ..tools.company_day import company_today
from ..tools.cron_progress import commit_batch
from ..tools.forecast import BIAS_Z_LIMIT

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
        """Daily: the drift activities of every company, in batches; a batch that fails is
        logged and skipped; progress is committed only with ``use_new_cursor`` (the cron)."""
        Cron = self.env["ir.cron"]
        for company in self.env["res.company"].sudo().search([]):
            orderpoints = self.env["stock.warehouse.orderpoint"].sudo().with_company(company).search(
                self._get_drifting_domain(company), order="id",
            )
            if use_new_cursor:
                Cron._commit_progress(remaining=len(orderpoints))
            for batch in split_every(ALERT_BATCH, orderpoints.ids, orderpoints.browse):
                try:
                    with self.env.cr.savepoint():
                        self.sudo()._send_alerts(company, batch)
                except Exception:  # noqa: BLE001 - logged; the next batch still runs
                    _logger.exception("Forecast drift alerts of %s: a batch was not sent", company.name)
                if use_new_cursor:
                    commit_batch(self.env, len(batch))

    @api.model
    def _get_buyer(self, orderpoint, company):
        """The vendor's buyer, else the product's responsible, else the company's first
        manager: the first who may act on the company's to-do (the digest's rule)."""
        return self.env["jxc.stock.warning.digest"]._get_company_todo_user(
            company, orderpoint.supplier_id.partner_id.buyer_id,
            orderpoint.product_id.with_company(company).responsible_id,
        )

    @api.model
    def _send_alerts(self, company, orderpoints):
        """One open activity per (product, buyer): a product that already has one is left
        alone until the buyer marks it done."""
        activity_type = self.env.ref("mail.mail_activity_data_warning")
        open_activities = self.env["mail.activity"].search([
            ("res_model", "=", "product.product"), ("res_id", "in", orderpoints.product_id.ids),
            ("activity_type_id", "=", activity_type.id),
        ])
        already = {(activity.res_id, activity.user_id.id) for activity in open_activities}
        methods = {}  # {lang: {method: label}}
        model_id = self.env["ir.model"]._get_id("product.product")
        today = company_today(company)  # the company's day, not UTC's
        vals_list = []
        for orderpoint in orderpoints:
            user = self._get_buyer(orderpoint, company)
            product = orderpoint.product_id
            if not user or (product.id, user.id) in already:
                continue
            already.add((product.id, user.id))
            too_high = orderpoint.jxc_forecast_bias_z > 0
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
                "note": env._(
                    "The forecast of %(product)s in %(warehouse)s runs %(direction)s its demand: bias %(bias)s %% "
                    "(z %(z)s, beyond %(limit)s), tracking signal %(signal)s, WAPE %(wape)s %% (method: "
                    "%(method)s). Review the forecast method of its safety stock rule or the product's recent sales.",
                    product=name, warehouse=orderpoint.warehouse_id.name,
                    direction=env._("above") if too_high else env._("below"),
                    z=orderpoint.jxc_forecast_bias_z, limit=BIAS_Z_LIMIT,
                    signal=orderpoint.jxc_tracking_signal, bias=orderpoint.jxc_forecast_bias,
                    wape=orderpoint.jxc_forecast_wape,
                    method=methods[user.lang].get(orderpoint.jxc_forecast_method, ""),
                ),
            })
        # No email per activity (Odoo mails whoever is given an activity by someone else, and a
        # first run alerts thousands of products): the buyer finds them among their activities.
        self.env["mail.activity"].with_context(mail_activity_quick_update=True).create(vals_list)

    @api.model
    def _get_drift_count(self, company):
        """The number of the company's reordering rules whose forecast drifts (for a
        dashboard tile)."""
        return self.env["stock.warehouse.orderpoint"].sudo().search_count(self._get_drifting_domain(company))
