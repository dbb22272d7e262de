"""The 进销存 dashboard: KPI tiles collected from provider models, and 12-month trends.

Each provider model implements ``_get_jxc_dashboard_kpis(company, date_from, date_to)`` (see
the brief's dashboard contract); the trend of a tile is the same call for the period just
before. Providers the user may not read, or that are not installed, are skipped.
"""

from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, models
from odoo.tools.misc import format_amount, formatLang

PERIOD_MONTHS = {"month": 1, "quarter": 3, "year": 12}


class JxcDashboard(models.AbstractModel):
    _name = "jxc.dashboard"
    _description = "JXC Dashboard"

    @api.model
    def _jxc_kpi_providers(self):
        return [
            "jxc.inventory.snapshot",
            "jxc.dead.stock.report",
            "jxc.turnover.report",
            "jxc.purchase.plan",
            "jxc.supplier.evaluation",
            "jxc.count.plan",
            "jxc.abc.profile",
        ]

    @api.model
    def _get_periods(self, company, period="month"):
        """([date_from, date_to), previous period) made of complete months before today."""
        months = PERIOD_MONTHS.get(period, 1)
        today = self.env["jxc.inventory.snapshot"]._company_today(company)
        date_to = today.replace(day=1)
        date_from = date_to - relativedelta(months=months)
        return (date_from, date_to), (date_from - relativedelta(months=months), date_from)

    @api.model
    def _get_kpis(self, company, date_from, date_to, known=None):
        """The tiles of [date_from, date_to). ``known``: {(model name, date_from, date_to): tiles}
        computed beforehand (see ``_get_known_kpis``)."""
        # Value figures (cost of stock, losses) are for managers only, whatever the provider.
        show_values = self.env.user.has_group("jxc_addon.group_jxc_manager")
        kpis = []
        for model_name in self._jxc_kpi_providers():
            model = self.env[model_name]
            if not model.has_access("read"):
                continue
            provided = (known or {}).get((model_name, date_from, date_to))
            if provided is None:
                provided = model._get_jxc_dashboard_kpis(company, date_from, date_to)
            kpis.extend(kpi for kpi in provided if show_values or kpi["type"] != "monetary")
        return kpis

    @api.model
    def _get_known_kpis(self, company, periods):
        """Tiles of several periods computed together, by the providers that can:
        ``_jxc_dashboard_period_free`` (the same figure for every period, e.g. the dead stock
        on hand now: computed once) or ``_get_jxc_dashboard_kpis_periods(company, periods)``
        (one query for all the periods)."""
        known = {}
        for model_name in self._jxc_kpi_providers():
            model = self.env[model_name]
            if not model.has_access("read"):
                continue
            if getattr(model, "_jxc_dashboard_period_free", False):
                provided = model._get_jxc_dashboard_kpis(company, *periods[0])
                known.update({(model_name, *period): provided for period in periods})
            elif hasattr(model, "_get_jxc_dashboard_kpis_periods"):
                results = model._get_jxc_dashboard_kpis_periods(company, periods)
                known.update({(model_name, *period): provided for period, provided in zip(periods, results, strict=True)})
        return known

    @api.model
    def _format_value(self, value, kind, company):
        if kind == "monetary":
            return format_amount(self.env, value, company.currency_id)
        if kind == "percent":
            return "%s %%" % formatLang(self.env, value * 100.0, digits=1)
        if kind == "int":
            return formatLang(self.env, value, digits=0)
        return formatLang(self.env, value, digits=2)

    @api.model
    @api.readonly
    def get_dashboard_data(self, period="month"):
        """Everything the dashboard screen shows, in one call."""
        company = self.env.company
        (date_from, date_to), (prev_from, prev_to) = self._get_periods(company, period)
        known = self._get_known_kpis(company, [(date_from, date_to), (prev_from, prev_to)])
        current = self._get_kpis(company, date_from, date_to, known=known)
        previous = {kpi["key"]: kpi["value"] for kpi in self._get_kpis(company, prev_from, prev_to, known=known)}
        tiles = []
        for kpi in current:
            prev = previous.get(kpi["key"])
            trend = kpi["value"] - prev if prev is not None else 0.0
            tiles.append({
                **kpi,
                "display": self._format_value(kpi["value"], kpi["type"], company),
                "previous": prev,
                "previous_display": self._format_value(prev or 0.0, kpi["type"], company),
                "trend": trend,
                "trend_percent": round(trend / abs(prev) * 100.0, 1) if prev else 0.0,
            })
        return {
            "company": company.name,
            "period": period,
            "date_from": date_from.isoformat(),
            "date_to": (date_to - timedelta(days=1)).isoformat(),
            "tiles": tiles,
            "series": self._get_monthly_series(company, date_to),
        }

    @api.model
    def _get_monthly_series(self, company, date_to, months=12):
        """Inventory value and turnover of the ``months`` month ends before ``date_to``."""
        snapshot = self.env["jxc.inventory.snapshot"]
        if not snapshot.has_access("read"):
            return []
        start = date_to - relativedelta(months=months)
        groups = snapshot._read_group(
            [("company_id", "=", company.id), ("date", ">=", start), ("date", "<", date_to)],
            ["date:day"], ["value:sum", "opening_value:sum", "cogs_value:sum"],
        )
        by_month = {day.strftime("%Y-%m"): (value, opening, cogs) for day, value, opening, cogs in groups}
        series, month = [], start
        while month < date_to:
            key = month.strftime("%Y-%m")
            value, opening, cogs = by_month.get(key, (0.0, 0.0, 0.0))
            average = (opening + value) / 2.0
            series.append({
                "month": key,
                "value": value,
                "value_display": format_amount(self.env, value, company.currency_id),
                "turnover": round(cogs / average, 2) if average else 0.0,
            })
            month += relativedelta(months=1)
        top_value = max([s["value"] for s in series] + [0.0]) or 1.0
        top_turnover = max([s["turnover"] for s in series] + [0.0]) or 1.0
        for item in series:
            item["value_pct"] = round(item["value"] / top_value * 100.0, 1)
            item["turnover_pct"] = round(item["turnover"] / top_turnover * 100.0, 1)
        return series

    @api.model
    def action_export_xlsx(self, period="month"):
        """The dashboard's tiles and 12-month series as .xlsx."""
        data = self.get_dashboard_data(period)
        title = self.env._("Inventory Control Dashboard")
        tiles = {
            "title": self.env._("KPIs"),
            "columns": [
                {"title": self.env._("Indicator"), "type": "char"},
                {"title": self.env._("Value"), "type": "float"},
                {"title": self.env._("Previous Period"), "type": "float"},
                {"title": self.env._("Change"), "type": "float"},
            ],
            "rows": [[t["label"], t["value"], t["previous"] or 0.0, t["trend"]] for t in data["tiles"]],
        }
        series = {
            "title": self.env._("12 Months"),
            "columns": [
                {"title": self.env._("Month"), "type": "char", "width": 12},
                {"title": self.env._("Inventory Value"), "type": "monetary"},
                {"title": self.env._("Inventory Turnover"), "type": "float"},
            ],
            "rows": [[s["month"], s["value"], s["turnover"]] for s in data["series"]],
        }
        filters = [(self.env._("Period"), "%s .. %s" % (data["date_from"], data["date_to"]))]
        return self.env["jxc.xlsx"]._action_download("dashboard.xlsx", title, [tiles, series], filters=filters)

    @api.model
    @api.readonly
    def action_print_summary(self, period="month"):
        """The one-page PDF summary of the last complete month."""
        (date_from, _date_to), _previous = self._get_periods(self.env.company, "month")
        return self.env.ref("jxc_addon.action_report_jxc_monthly_summary").report_action(
            self.env.company, data={"month": date_from.isoformat()},
        )
