"""The 进销存 dashboard: KPI tiles collected from provider models, and 12-month trend charts.

Each provider model implements ``_get_jxc_dashboard_kpis(company, date_from, date_to)``
returning tiles ``{key, label, value, type, action}`` (``value`` None: nothing to measure,
shown as "–"; optional ``description``, ``note``, ``group``, ``sequence``, ``point_in_time``);
the trend of a tile is the same call for the period just before. Providers the user may not
read are skipped.

To add a tile from another module: add the provider to ``_jxc_kpi_providers`` and place its
key in ``_get_tile_layout`` (or set ``group`` / ``sequence`` / ``point_in_time`` in the tile
itself). The monthly summary PDF prints the tiles as the screen lays them out.
"""

from collections import defaultdict
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools.misc import format_amount, format_date, formatLang

from ..tools.company_day import company_today, local_midnight_utc

PERIOD_MONTHS = {"month": 1, "quarter": 3, "year": 12}
# tiles that are a state now (as of the last computation), not a figure of the period
POINT_IN_TIME = "point_in_time"


class JxcDashboard(models.AbstractModel):
    _name = "jxc.dashboard"
    _description = "JXC Dashboard"

    @api.model
    def _jxc_kpi_providers(self):
        return [
            "jxc.inventory.snapshot",
            "jxc.service.level",
            "jxc.dead.stock.report",
            "jxc.turnover.report",
            "jxc.purchase.plan",
            "jxc.supplier.evaluation",
            "jxc.count.plan",
            "jxc.abc.profile",
            "jxc.forecast.accuracy.report",
        ]

    @api.model
    def _get_tile_groups(self):
        """[(group key, title)] in screen order; "key" holds the few figures shown first."""
        titles = [
            self.env._("Key Figures"), self.env._("Buy"), self.env._("Stock Health"), self.env._("Count"), self.env._("Costs"),
        ]
        return list(zip(("key", "buy", "stock", "count", "cost"), titles, strict=True))

    @api.model
    def _get_tile_layout(self):
        """{tile key: (group, sequence, point in time)}. A tile not listed goes to the end of the
        Stock group; a key mapped to None is not shown (the ABC "no movement" count measures
        another window than dead stock: the dead-stock tiles are the one definition here)."""
        return {
            "inventory_value": ("key", 10, False),
            "service_level": ("key", 20, False),
            "turnover": ("key", 30, False),
            "jxc_projected_stockouts": ("key", 40, True),
            "dead_stock_value": ("key", 50, True),
            "jxc_below_safety_stock": ("buy", 10, True),
            "supplier_on_time_rate": ("buy", 20, False),
            "supplier_evaluations": ("buy", 30, False),
            "supplier_at_risk": ("buy", 40, False),
            "jxc_forecast_drift": ("buy", 50, True),
            "days_of_inventory": ("stock", 10, False),
            "dead_stock_products": ("stock", 20, True),
            "abc_class_a": ("stock", 30, True),
            "abc_class_changes": ("stock", 40, False),
            "abc_class_n": None,
            "count_accuracy": ("count", 10, False),
            "count_plans_done": ("count", 20, False),
            "count_loss_value": ("cost", 10, False),
            "carrying_cost_year": ("cost", 20, False),
            "jxc_overstock_value": ("cost", 30, True),
        }

    @api.model
    def _get_tile_directions(self):
        """{tile key: "higher" or "lower"}: which way a change is good news (a rise of losses
        is not); a tile not listed shows its change without judging it."""
        return {
            "service_level": "higher", "turnover": "higher", "supplier_on_time_rate": "higher",
            "count_accuracy": "higher", "supplier_at_risk": "lower", "days_of_inventory": "lower",
            "count_loss_value": "lower", "carrying_cost_year": "lower",
        }

    @api.model
    def _provider_readable(self, model_name):
        model = self.env[model_name]
        return self.env[getattr(model, "_jxc_dashboard_access_model", model_name)].has_access("read")

    @api.model
    def _get_periods(self, company, period="month"):
        """([date_from, date_to), previous period) made of complete months before today."""
        months = PERIOD_MONTHS.get(period, 1)
        today = company_today(company)
        date_to = today.replace(day=1)
        date_from = date_to - relativedelta(months=months)
        return (date_from, date_to), (date_from - relativedelta(months=months), date_from)

    @api.model
    def _get_day_bounds(self, company, days):
        """The UTC instants (naive) at which ``days`` start in the company's timezone."""
        return [local_midnight_utc(company, day) for day in days]

    @api.model
    def _get_kpis(self, company, date_from, date_to, known=None):
        """The tiles of [date_from, date_to). ``known``: {(model name, date_from, date_to): tiles}
        computed beforehand (see ``_get_known_kpis``)."""
        # Value figures (cost of stock, losses) are for managers only, whatever the provider.
        show_values = self.env.user.has_group("jxc_addon.group_jxc_manager")
        kpis = []
        for model_name in self._jxc_kpi_providers():
            model = self.env[model_name]
            if not self._provider_readable(model_name):
                continue
            provided = (known or {}).get((model_name, date_from, date_to))
            if provided is None:
                provided = model._get_jxc_dashboard_kpis(company, date_from, date_to)
            kpis.extend(kpi for kpi in provided if show_values or kpi["type"] != "monetary")
        return kpis

    @api.model
    def _get_known_kpis(self, company, tile_periods, months=()):
        """Tiles of several periods computed together, by the providers that can:
        ``_jxc_dashboard_period_free`` (the same figure for every period, e.g. the dead stock
        on hand now: computed once) or ``_get_jxc_dashboard_kpis_periods(company, periods)``
        (one query for all the periods). Those that also set ``_jxc_dashboard_charted`` give
        the tiles of the charts' ``months`` and of their whole span in the same query: their
        charts are their tiles' values month by month, the span's tile opens their details."""
        known = {}
        for model_name in self._jxc_kpi_providers():
            model = self.env[model_name]
            if not self._provider_readable(model_name):
                continue
            periods = list(tile_periods)
            if getattr(model, "_jxc_dashboard_period_free", False):
                provided = model._get_jxc_dashboard_kpis(company, *periods[0])
                known.update({(model_name, *period): provided for period in periods})
            elif hasattr(model, "_get_jxc_dashboard_kpis_periods"):
                if getattr(model, "_jxc_dashboard_charted", False):
                    periods = list(dict.fromkeys([*periods, *months, *self._get_chart_span(months)]))
                results = model._get_jxc_dashboard_kpis_periods(company, periods)
                known.update({(model_name, *period): provided for period, provided in zip(periods, results, strict=True)})
        return known

    @api.model
    def _format_value(self, value, kind, company):
        if value is None:
            return "–"
        if kind == "monetary":
            return format_amount(self.env, value, company.currency_id)
        if kind == "percent":
            return "%s %%" % formatLang(self.env, value * 100.0, digits=1)
        if kind == "int":
            return formatLang(self.env, value, digits=0)
        return formatLang(self.env, value, digits=2)

    @api.model
    def _prepare_tile(self, kpi, previous, layout, company):
        """A tile for the screen: its group, and its change against the previous period only
        where both periods have a figure and the tile is not a state as of now."""
        group, sequence, point_in_time = layout.get(kpi["key"]) or (
            kpi.get("group", "stock"), kpi.get("sequence", 100), kpi.get(POINT_IN_TIME, False))
        compare = not point_in_time and kpi["value"] is not None and previous is not None
        trend = kpi["value"] - previous if compare else 0.0
        return {
            **kpi,
            "group": kpi.get("group", group),
            "sequence": kpi.get("sequence", sequence),
            POINT_IN_TIME: point_in_time,
            "display": self._format_value(kpi["value"], kpi["type"], company),
            "previous": previous,
            "previous_display": self._format_value(previous, kpi["type"], company) if compare else "",
            "compare": compare,
            "trend": trend,
            "better": kpi.get("better") or self._get_tile_directions().get(kpi["key"]),
            # none where the period before was 0 (from 0 to 3 is no percentage), nor for a rate,
            # whose change is in points (50 % to 75 % is +25 points, not +50 %)
            "trend_percent": round(trend / abs(previous) * 100.0, 1)
            if compare and previous and kpi["type"] != "percent" else None,
            "trend_points": round(trend * 100.0, 1) if compare and kpi["type"] == "percent" else None,
            "has_graph": any(view[1] == "graph" for view in kpi["action"].get("views") or []),
        }

    @api.model
    def _get_tiles(self, company, kpis, previous=None):
        """The tiles of ``kpis`` as the screen lays them out (``_get_tile_layout``): those it
        hides dropped, each with its group and whether it is a state as of now, by sequence.
        ``previous``: {tile key: value of the period before}, for the change."""
        layout = self._get_tile_layout()
        tiles = [
            self._prepare_tile(kpi, (previous or {}).get(kpi["key"]), layout, company)
            for kpi in kpis if not (kpi["key"] in layout and layout[kpi["key"]] is None)
        ]
        tiles.sort(key=lambda tile: tile["sequence"])
        return tiles

    @api.model
    @api.readonly
    def get_dashboard_data(self, period="month"):
        """Everything the dashboard screen shows, in one call."""
        return self._get_dashboard_data(period)

    @api.model
    def _check_dashboard_access(self):
        """The dashboard is an abstract model, which Odoo lets every signed-in user call, a
        portal user included; some tiles are measured in SQL over the whole company (the
        service level over every delivery), not through the reader's record rules."""
        if not self.env.user.has_group("jxc_addon.group_jxc_user"):
            raise AccessError(self.env._("Only inventory control users can open the inventory control dashboard."))

    @api.model
    def _can_print_summary(self):
        """Whether the user may print the monthly summary (``action_print_summary``)."""
        return self.env.user.has_group("jxc_addon.group_jxc_manager")

    @api.model
    def _get_dashboard_data(self, period, charts=True):
        """The dashboard's data; ``charts`` False: without the 24-month charts (empty list),
        for who shows the tiles and the series alone (the Excel export)."""
        self._check_dashboard_access()
        company = self.env.company
        (date_from, date_to), (prev_from, prev_to) = self._get_periods(company, period)
        months = self._get_chart_months(date_to) if charts else []
        known = self._get_known_kpis(company, [(date_from, date_to), (prev_from, prev_to)], months=months)
        current = self._get_kpis(company, date_from, date_to, known=known)
        previous = {kpi["key"]: kpi["value"] for kpi in self._get_kpis(company, prev_from, prev_to, known=known)}
        tiles = self._get_tiles(company, current, previous)
        groups = [
            {"key": key, "title": title, "tiles": [tile for tile in tiles if tile["group"] == key]}
            for key, title in self._get_tile_groups()
        ]
        series = self._get_monthly_series(company, date_to, months=24 if charts else 12)
        return {
            "company": company.name,
            "currency_id": company.currency_id.id,
            "period": period,
            "can_print_summary": self._can_print_summary(),
            "date_from": date_from.isoformat(),
            "date_to": (date_to - timedelta(days=1)).isoformat(),
            # in the user's date format, as Odoo shows dates
            "period_label": "%s – %s" % (format_date(self.env, date_from), format_date(self.env, date_to - timedelta(days=1))),
            "tiles": tiles,
            "groups": [group for group in groups if group["tiles"]],
            "series": series[-12:],
            "charts": self._get_charts(company, months, series, {tile["key"]: tile for tile in tiles}, known) if charts else [],
        }

    # --- 12-month charts -----------------------------------------------------------------
    @api.model
    def _get_chart_keys(self):
        return ("inventory_value", "turnover", "service_level", "supplier_on_time_rate", "count_accuracy")

    @api.model
    def _get_chart_months(self, date_to):
        """[(first day, first day of the next)] of the 24 months before ``date_to``."""
        starts = [date_to - relativedelta(months=24 - index) for index in range(25)]
        return list(zip(starts[:-1], starts[1:], strict=True))

    @api.model
    def _get_chart_span(self, months):
        """[(first day of the first of ``months``, first day after the last)], none without months."""
        return [(months[0][0], months[-1][1])] if months else []

    @api.model
    def _get_charts(self, company, months, series, tiles, known):
        """One line chart per trend: the last 12 of ``months`` and, dashed, the 12 before
        those. Months without anything to measure are gaps (None). ``known``: the tiles of each
        month of the providers that chart them (``_get_known_kpis``). A chart of figures stored
        for closed months (``jxc.dashboard.month``) says when they were measured."""
        figures, measured = {}, {}
        if series:
            figures["inventory_value"] = [point["value"] for point in series]
            figures["turnover"] = [point["turnover"] for point in series]
        for model_name in self._jxc_kpi_providers():
            monthly = [known.get((model_name, *month)) for month in months]
            if all(tiles_of_month is not None for tiles_of_month in monthly):
                for kpi in monthly[0]:
                    month_tiles = [
                        next(tile for tile in tiles_of_month if tile["key"] == kpi["key"]) for tiles_of_month in monthly
                    ]
                    figures.setdefault(kpi["key"], [tile["value"] for tile in month_tiles])
                    measured.setdefault(kpi["key"], min(
                        (tile["measured_at"] for tile in month_tiles if tile.get("measured_at")), default=None))
        if "supplier_on_time_rate" in tiles:
            # its tile sums the supplier evaluations; the chart measures each month's receipts
            days = [start for start, _stop in months] + [months[-1][1]]
            figures["supplier_on_time_rate"], measured["supplier_on_time_rate"] = self._get_on_time_rates(company, days)
        labels = [start.strftime("%Y-%m") for start, _stop in months[12:]]
        actions = self._get_chart_actions(company, months, known)
        charts = []
        for key in self._get_chart_keys():
            if key not in figures or key not in tiles:
                continue
            values = figures[key]
            charts.append({
                "key": key,
                "title": tiles[key]["label"],
                "type": tiles[key]["type"],
                "labels": labels,
                "current": values[12:],
                "previous": values[:12],
                "action": actions.get(key) or tiles[key]["action"],
                "measured_at": measured.get(key),
            })
        return charts

    @api.model
    def _get_chart_actions(self, company, months, known):
        """{chart key: action}: what the chart draws (``months``: its [first day, first day of
        the next)), not the tile's period. The month ends of the snapshot charts, each month's
        point being its group in the graph by month; the records of a charted provider's tile
        over the whole span (``known``); the supplier evaluations of its periods."""
        [span] = self._get_chart_span(months)
        date_from, date_to = span[0], span[1] - timedelta(days=1)
        actions = {}
        for model_name in self._jxc_kpi_providers():
            for kpi in known.get((model_name, *span)) or ():
                actions.setdefault(kpi["key"], kpi["action"])
        if self._provider_readable("jxc.supplier.evaluation"):
            # the span's evaluations; its rate is the chart's own months
            action, _risk_action = self.env["jxc.supplier.evaluation"]._get_jxc_dashboard_actions(company, *span)
            actions.setdefault("supplier_on_time_rate", action)
        snapshot = self.env["jxc.inventory.snapshot"]
        return actions | {
            "inventory_value": snapshot._get_list_action(
                self.env._("Inventory Value %(start)s to %(end)s", start=format_date(self.env, date_from),
                           end=format_date(self.env, date_to)),
                [("company_id", "=", company.id), ("date", ">=", date_from), ("date", "<=", date_to)],
            ),
            "turnover": self.env["jxc.turnover.report"]._get_jxc_turnover_action(company, date_from, date_to),
        }

    @api.model
    def _get_on_time_rates(self, company, days):
        """Supplier on-time rate of each month [days[i], days[i + 1]) and when the stored
        months among them were measured (``jxc.dashboard.month``)."""
        sums, measured_at = self.env["jxc.dashboard.month"]._get_figures(company, "supplier_on_time_rate", days)
        rates = [on_time / lines if lines else None for on_time, lines in sums]
        return rates, measured_at and fields.Datetime.to_string(measured_at)

    @api.model
    def _get_on_time_sums(self, company, days):
        """[(sum of the lines' on-time shares, order lines received)] of the receipts of each
        [days[i], days[i + 1]), all the periods in one query: the on-time rate of the month is the
        mean over the order lines of all vendors, each line's on-time / received quantity,
        measured as the supplier evaluation measures a vendor's
        (``jxc.supplier.period._get_receipt_data``). A company's figure never adds up quantities
        of different products."""
        period = self.env["jxc.supplier.period"].new({"company_id": company.id})
        totals = defaultdict(lambda: [0.0, 0])
        for (bucket, _partner), data in period._get_receipt_data_by_period(self._get_day_bounds(company, days)).items():
            totals[bucket][0] += data.get("on_time_sum", 0.0)
            totals[bucket][1] += data.get("received_lines", 0)
        return [tuple(totals[index]) for index in range(1, len(days))]

    @api.model
    def _get_monthly_series(self, company, date_to, months=12):
        """Inventory value and turnover of the ``months`` month ends before ``date_to`` (the
        turnover of the tile and the report: cost of goods used / average inventory)."""
        snapshot = self.env["jxc.inventory.snapshot"]
        if not snapshot.has_access("read"):
            return []
        start = date_to - relativedelta(months=months)
        groups = snapshot._read_group(
            [("company_id", "=", company.id), ("date", ">=", start), ("date", "<", date_to)],
            ["date:day"], ["value:sum", "opening_value:sum", "cogs_value:sum", "consumption_value:sum"],
        )
        by_month = {
            day.strftime("%Y-%m"): (value, opening, cogs + consumption)
            for day, value, opening, cogs, consumption in groups
        }
        recorded = snapshot._get_recorded_range(company)
        series, month = [], start
        while month < date_to:
            key = month.strftime("%Y-%m")
            known = snapshot._is_recorded(recorded, snapshot._month_end(month))
            value, opening, used = by_month.get(key, (0.0, 0.0, 0.0))
            average = (opening + value) / 2.0
            series.append({
                "month": key,
                "value": value if known else None,
                "value_display": format_amount(self.env, value, company.currency_id),
                # undefined without average stock (a month end below zero), as the tile and the report
                "turnover": round(used / average, 2) if known and average > 0 else None,
            })
            month += relativedelta(months=1)
        top_value = max([s["value"] or 0.0 for s in series] + [0.0]) or 1.0
        top_turnover = max([s["turnover"] or 0.0 for s in series] + [0.0]) or 1.0
        for item in series:
            item["value_pct"] = round((item["value"] or 0.0) / top_value * 100.0, 1)
            item["turnover_pct"] = round((item["turnover"] or 0.0) / top_turnover * 100.0, 1)
        return series

    @api.model
    @api.readonly
    def action_export_xlsx(self, period="month"):
        """The dashboard's tiles and 12-month series as .xlsx (the charts' queries are not run:
        the sheet does not show them)."""
        data = self._get_dashboard_data(period, charts=False)
        title = self.env._("Inventory Control Dashboard")
        tiles = {
            "title": self.env._("KPIs"),
            "columns": [
                {"title": self.env._("Indicator"), "type": "char"},
                {"title": self.env._("Value"), "type": "row"},
                {"title": self.env._("Previous Period"), "type": "row"},
                {"title": self.env._("Change"), "type": "row"},
                {"title": self.env._("Change (%)"), "type": "percent"},
                {"title": self.env._("As of"), "type": "char", "width": 12},
                {"title": self.env._("Note"), "type": "char", "width": 60},
            ],
            "rows": [[
                t["label"], t["value"], t["previous"] if t["compare"] else None, t["trend"] if t["compare"] else None,
                # the tile's relative change
                t["trend_percent"] / 100.0 if t["trend_percent"] is not None else None,
                # a state as of now (the dead stock on hand) is not the period's, as the screen says
                self.env._("Now") if t[POINT_IN_TIME] else self.env._("Period"),
                t.get("note") or None,
            ] for t in data["tiles"]],
            # each indicator in its own format: an amount in the currency, a rate in percent
            "row_types": [t["type"] if t["type"] in ("monetary", "percent", "int") else "float" for t in data["tiles"]],
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
        """The one-page PDF summary of the last complete month: for managers, as it reads the
        inventory values the dashboard hides from the other users."""
        self._check_dashboard_access()
        if not self._can_print_summary():
            raise AccessError(self.env._("Only inventory control managers can print the monthly summary."))
        (date_from, _date_to), _previous = self._get_periods(self.env.company, "month")
        return self.env.ref("jxc_addon.action_report_jxc_monthly_summary").report_action(
            self.env.company, data={"month": date_from.isoformat()},
        )
