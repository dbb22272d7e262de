"""The dashboard's figures of closed months, measured every night and stored.

Two of the dashboard's figures are measured from two years of Odoo's documents on every
load: the delivery fill rate (service level: its tile and chart) and the supplier on-time rate
(its chart). A closed month's figure changes only when its past documents change (a backorder's
quantity, a receipt's planned date) or the settings it is measured with (the company's
timezone, the on-time tolerance). Each month is therefore stored as its two sums (what the rate
divides: the sum of the lines' fills or on-time shares, and the number of lines) with the settings
it was measured with (and the definition of the rate), measured again every night, and read by the
dashboard; a quarter or a year sums its months. A month not stored yet (the one that just
closed, before the night), stored with other settings than the company's current ones, or not
closed is measured live, all of them in one query. The charts say when the stored months were
measured: a change to a closed month's documents shows the next morning.
"""

import logging

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

from ..tools.company_day import company_today, company_tz_name
from ..tools.cron_progress import run_steps

_logger = logging.getLogger(__name__)

STORED_MONTHS = 24  # what the charts show: 12 months and the 12 before them


class JxcDashboardMonth(models.Model):
    _name = "jxc.dashboard.month"
    _description = "Dashboard Figure of a Closed Month"
    _order = "company_id, key, month"

    company_id = fields.Many2one("res.company", required=True, index=True, ondelete="cascade")
    key = fields.Selection(
        [("service_level", "Service Level (Fill Rate)"), ("supplier_on_time_rate", "Supplier On-Time Rate")],
        required=True,
    )
    month = fields.Date(required=True, help="First day of the month.")
    # not rounded to a precision: the stored month must give the very rate the live measure
    # gives, whatever units the quantities it sums were converted from
    numerator = fields.Float(
        help="Sum of the fills of the delivery lines, or of the on-time shares of the order lines received "
        "from vendors.",
    )
    denominator = fields.Float(
        help="Delivery lines (products of the first deliveries), or order lines received from vendors.",
    )
    settings = fields.Char(
        required=True,
        help="The settings the month was measured with (timezone, tolerance) and the definition of its rate: "
        "a month stored otherwise is measured again.",
    )
    computed_at = fields.Datetime(string="Measured On", required=True)

    _unique_month = models.Constraint(
        "UNIQUE(company_id, key, month)", "A dashboard figure is stored once per company and month.",
    )

    @api.model
    def _get_measures(self):
        """{key: (settings of a company, measure)}: ``measure(company, days)`` returns
        [(numerator, denominator)] of each [days[i], days[i + 1]) in one query."""
        return {
            "service_level": (
                # "lines": the mean fill of the delivery lines; a month stored as a ratio of
                # quantities (earlier versions) is measured again, never summed with it
                lambda company: "%s|lines" % company_tz_name(company),
                self.env["jxc.service.level"]._get_fill_rates,
            ),
            "supplier_on_time_rate": (
                # "lines": the mean on-time share of the order lines received; a month stored as
                # on-time over received quantities (earlier versions) is measured again
                lambda company: "%s|%s|lines" % (company_tz_name(company), company.jxc_supplier_on_time_tolerance),
                self.env["jxc.dashboard"]._get_on_time_sums,
            ),
        }

    @api.model
    def _get_figures(self, company, key, days):
        """[(numerator, denominator)] of each [days[i], days[i + 1]) (ascending dates) and the
        oldest measuring time of the stored months used (None: all measured now).

        Periods made of closed months stored with the company's current settings sum them; the
        others are measured now, all in one query over the days they span."""
        settings, measure = self._get_measures()[key]
        periods = list(zip(days, days[1:], strict=False))
        closed_before = company_today(company).replace(day=1)
        stored = {}
        if all(day.day == 1 for day in days):
            # stored figures are read as the dashboard reads its providers' raw measures: who may
            # see the figure is the provider's decision (``jxc.dashboard._provider_readable``)
            for row in self.sudo().search_read([
                ("company_id", "=", company.id), ("key", "=", key), ("settings", "=", settings(company)),
                ("month", ">=", days[0]), ("month", "<", min(days[-1], closed_before)),
            ], ["month", "numerator", "denominator", "computed_at"], load=None):
                stored[row["month"]] = row
        figures, measured_at = [None] * len(periods), []
        for index, (start, stop) in enumerate(periods):
            months = [start + relativedelta(months=n) for n in range(self._months_between(start, stop))]
            if months and all(month in stored for month in months):
                figures[index] = (sum(stored[m]["numerator"] for m in months), sum(stored[m]["denominator"] for m in months))
                measured_at += [stored[m]["computed_at"] for m in months]
        missing = [index for index, figure in enumerate(figures) if figure is None]
        if missing:
            first, last = missing[0], missing[-1]
            live = measure(company, days[first:last + 2])
            for index in missing:
                figures[index] = live[index - first]
        return figures, min(measured_at) if measured_at else None

    @api.model
    def _months_between(self, start, stop):
        """Whole months from ``start`` to ``stop`` (first days of months), 0 otherwise."""
        if start.day != 1 or stop.day != 1 or stop <= start:
            return 0
        return (stop.year - start.year) * 12 + stop.month - start.month

    @api.model
    def _store_company(self, company):
        """Measure and store the closed months the charts show, for every figure."""
        last = company_today(company).replace(day=1)
        days = [last - relativedelta(months=STORED_MONTHS - n) for n in range(STORED_MONTHS + 1)]
        now = fields.Datetime.now()
        for key, (settings, measure) in self._get_measures().items():
            figures = measure(company, days)
            existing = {row.month: row for row in self.search([
                ("company_id", "=", company.id), ("key", "=", key), ("month", "in", days[:-1]),
            ])}
            vals_list = []
            for month, (numerator, denominator) in zip(days, figures, strict=False):
                vals = {"numerator": numerator, "denominator": denominator, "settings": settings(company), "computed_at": now}
                if month in existing:
                    existing[month].write(vals)
                else:
                    vals_list.append(dict(vals, company_id=company.id, key=key, month=month))
            self.create(vals_list)

    @api.model
    def _cron_store_months(self, use_new_cursor=False):
        """Nightly: measure the closed months of every company again, but those measured
        since midnight (UTC): a call that Odoo's time cut short is continued, not restarted. A
        company that fails is logged and skipped; with ``use_new_cursor`` (the cron) each
        company is committed."""
        since = fields.Datetime.to_datetime(fields.Date.today())
        measured = [company.id for [company] in self.sudo()._read_group([("computed_at", ">=", since)], ["company_id"])]
        run_steps(
            self.env, self.env["res.company"].search([("id", "not in", measured)]), self.sudo()._store_company, _logger,
            "Dashboard figures of closed months not stored for company %s", use_new_cursor=use_new_cursor,
        )
