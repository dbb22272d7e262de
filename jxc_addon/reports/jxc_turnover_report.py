"""Inventory turnover, days of inventory and carrying cost per product, warehouse and month.

Built on the month-end snapshots (``jxc.inventory.snapshot``) with the textbook formulas:
average inventory = (opening value + closing value) / 2; turnover = cost of goods used /
average inventory; days of inventory = days of the month x average inventory / cost of goods
used. The cost of goods used is what left the stock to be used: the cost of goods delivered
(to customers, sister companies included) plus the stock consumed in production, as the dead
stock counts a sale or a consumption as use; a raw material consumed every day turns over.
Carrying cost = average inventory x the company's annual rate x days / 365, plus
the warehouse's fixed cost of the month (``stock.warehouse.jxc_monthly_fixed_cost``) shared
by the products of the warehouse in proportion to their average inventory. A month end the
monthly action recorded keeps the rate and fixed cost of that day (what was reported then); a
back-filled one follows the settings.
A group of rows (several products, warehouses or months) is read the same way: its opening
value is the stock at the start of its first month, its closing value the stock at the end of
its last (balances do not add up over months), its average inventory their mean, its costs of
goods delivered and used and its carrying cost the sums of its months; its turnover and days of inventory follow from those, as
the dashboard's turnover of a period does (``jxc.inventory.snapshot._get_period_figures``): over
its own months for a group of months, over all the months read for any other group (a product,
a warehouse, the total): the months the filter's bounds on the month end span, a month without
rows included (no stock: a period's days count whether or not anything was stocked yet), else
those of the rows read. Over several currencies the ratios divide the converted sums.
"""

from datetime import date, timedelta

from odoo import api, fields, models
from odoo.orm.domains import Domain, DomainAnd, DomainCondition
from odoo.tools import SQL
from odoo.tools.misc import format_date


class JxcTurnoverReport(models.Model):
    _name = "jxc.turnover.report"
    _inherit = ["jxc.product.analysis.mixin"]
    _description = "Inventory Turnover"
    _auto = False
    _order = "date desc, cogs_value desc, id"
    _depends = {
        "jxc.inventory.snapshot": [
            "date", "company_id", "product_id", "categ_id", "warehouse_id", "quantity", "delivered_qty",
            "opening_value", "value", "cogs_value", "consumption_value", "is_live", "carrying_cost_rate",
            "warehouse_fixed_cost",
        ],
        "res.company": ["currency_id", "jxc_carrying_cost_rate"],
        "stock.warehouse": ["jxc_monthly_fixed_cost"],
    }

    _jxc_xlsx_fields = (
        ("date", None), ("product_id", None), ("categ_id", None), ("warehouse_id", None),
        ("opening_value", None), ("value", None), ("average_value", None), ("cogs_value", None),
        ("turnover", None), ("days_of_inventory", None), ("carrying_cost", None),
        ("consumption_value", None), ("used_value", None),
    )
    _jxc_xlsx_totals = ("opening_value", "value", "cogs_value", "carrying_cost", "consumption_value", "used_value")
    _jxc_balance_fields = {"quantity": "last", "value": "last", "opening_value": "first"}

    date = fields.Date(string="Month End", readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", readonly=True)
    quantity = fields.Float(string="Closing Quantity", readonly=True)
    delivered_qty = fields.Float(string="Delivered Quantity", readonly=True)
    opening_value = fields.Monetary(readonly=True, groups="jxc_addon.group_jxc_manager")
    value = fields.Monetary(string="Closing Value", readonly=True, groups="jxc_addon.group_jxc_manager")
    average_value = fields.Monetary(string="Average Inventory", readonly=True, groups="jxc_addon.group_jxc_manager")
    cogs_value = fields.Monetary(
        string="Cost of Goods Delivered", readonly=True, groups="jxc_addon.group_jxc_manager",
        help="Stock value of the deliveries to customers (sister companies included), net of customer returns.",
    )
    consumption_value = fields.Monetary(
        string="Consumed Value", readonly=True, groups="jxc_addon.group_jxc_manager",
        help="Stock value consumed in production.",
    )
    used_value = fields.Monetary(
        string="Cost of Goods Used", readonly=True, groups="jxc_addon.group_jxc_manager",
        help="Cost of goods delivered plus the stock value consumed in production: what the turnover counts.",
    )
    # a group's ratios are computed from its figures (_read_group_select), never averaged
    turnover = fields.Float(
        digits=(16, 2), readonly=True, aggregator="avg",
        help="Cost of goods used (deliveries and consumption in production) / average inventory.",
    )
    days_of_inventory = fields.Float(
        string="Days of Inventory", digits=(16, 1), readonly=True, aggregator="avg",
        help="Days x average inventory / cost of goods used (deliveries and consumption in production).",
    )
    period_days = fields.Integer(string="Days", readonly=True, aggregator="max")  # a group: its months' days
    carrying_cost = fields.Monetary(
        readonly=True, groups="jxc_addon.group_jxc_manager",
        help="Average inventory x the company's annual rate x days / 365, plus the warehouse's fixed "
        "cost of the month allocated by average inventory value.",
    )
    fixed_carrying_cost = fields.Monetary(
        readonly=True, groups="jxc_addon.group_jxc_manager",
        help="The product's share of its warehouse's fixed cost of the month (rent, insurance, staff), "
        "by average inventory value.",
    )

    @property
    def _table_query(self):
        fixed_cost = SQL("CASE WHEN s.is_live THEN s.warehouse_fixed_cost ELSE w.jxc_monthly_fixed_cost END")
        return SQL(
            """
            SELECT s.id, s.date, s.company_id, c.currency_id, s.product_id, s.categ_id, s.warehouse_id,
                   s.quantity, s.delivered_qty, s.opening_value, s.value,
                   (s.opening_value + s.value) / 2.0 AS average_value,
                   s.cogs_value, s.consumption_value, s.cogs_value + s.consumption_value AS used_value,
                   -- undefined (empty) without average inventory, as the dashboard's "–"
                   CASE WHEN s.opening_value + s.value > 0
                        THEN (s.cogs_value + s.consumption_value) / ((s.opening_value + s.value) / 2.0)
                        END AS turnover,
                   -- undefined (empty, as the dashboard's "–") when nothing was used
                   CASE WHEN s.cogs_value + s.consumption_value > 0
                        THEN EXTRACT(DAY FROM s.date) * ((s.opening_value + s.value) / 2.0)
                             / (s.cogs_value + s.consumption_value)
                        END AS days_of_inventory,
                   EXTRACT(DAY FROM s.date)::integer AS period_days,
                   (s.opening_value + s.value) / 2.0 * %(rate)s::numeric / 100.0
                       * EXTRACT(DAY FROM s.date) / 365.0 + %(fixed)s AS carrying_cost,
                   %(fixed)s AS fixed_carrying_cost
              FROM jxc_inventory_snapshot s
              JOIN res_company c ON c.id = s.company_id
              LEFT JOIN stock_warehouse w ON w.id = s.warehouse_id
              -- the average value of each warehouse's month, only where a fixed cost is to be shared
              LEFT JOIN (
                    SELECT s.company_id, s.warehouse_id, s.date,
                           SUM(GREATEST(s.opening_value + s.value, 0) / 2.0) AS total
                      FROM jxc_inventory_snapshot s
                      JOIN stock_warehouse w ON w.id = s.warehouse_id
                     WHERE %(fixed_cost)s > 0
                     GROUP BY 1, 2, 3
              ) wt ON wt.company_id = s.company_id AND wt.warehouse_id = s.warehouse_id AND wt.date = s.date
            """,
            # a month recorded live keeps the rate and fixed cost it was recorded with; a back-filled
            # one follows the settings, as its values follow Odoo's today
            rate=SQL("CASE WHEN s.is_live THEN s.carrying_cost_rate ELSE c.jxc_carrying_cost_rate END"),
            fixed_cost=fixed_cost,
            # rows are not rounded (numeric: sums are exact in any order): a year's carrying cost
            # is the exact sum of its months
            fixed=SQL(
                "COALESCE(%s * GREATEST(s.opening_value + s.value, 0) / 2.0 / NULLIF(wt.total, 0), 0)", fixed_cost,
            ),
        )

    @api.model
    def _search(self, domain, *args, **kwargs):
        query = super()._search(domain, *args, **kwargs)
        # the day span of the ratios (``_get_days_sql``) is the months the domain selects
        query._jxc_month_bounds = self._get_domain_month_bounds(domain)
        return query

    @api.model
    def _get_domain_month_bounds(self, domain):
        """(first day of the first month, day after the last month end) that the conditions on
        the month end every row meets (``date`` >=, >, <=, <, =, in) select, None for a side they
        leave open: e.g. month ends from 1 September to 30 November span 1 September to 1 December."""
        tree = Domain(domain or [])
        start = stop = None
        for condition in tree.children if isinstance(tree, DomainAnd) else [tree]:
            if not (isinstance(condition, DomainCondition) and condition.field_expr == "date"):
                continue
            values = condition.value if condition.operator == "in" else [condition.value]
            if not values or not all(isinstance(value, (str, date)) for value in values):
                continue
            try:
                days = [fields.Date.to_date(value) for value in values]
            except ValueError:
                continue
            lower = {">=": min(days), ">": min(days) + timedelta(days=1), "=": min(days), "in": min(days)}
            upper = {"<=": max(days), "<": max(days) - timedelta(days=1), "=": max(days), "in": max(days)}
            if condition.operator in lower:
                # the first month end selected closes the month of the bound
                first = lower[condition.operator].replace(day=1)
                start = max(start, first) if start else first
            if condition.operator in upper:
                # the last month end selected is the bound itself when it is one, else the one
                # before the bound's month
                after = (upper[condition.operator] + timedelta(days=1)).replace(day=1)
                stop = min(stop, after) if stop else after
        return start, stop

    def _read_group_groupby(self, alias, groupby_spec, query):
        sql = super()._read_group_groupby(alias, groupby_spec, query)
        fname, _sep, granularity = groupby_spec.partition(":")
        if alias == self._table and fname == "date":
            # the aggregates, built after the groupings on the same query, read there whether
            # the groups are months, quarters or years: their day span depends on it (``_get_days_sql``)
            query._jxc_date_groupbys = [*getattr(query, "_jxc_date_groupbys", ()), (sql, granularity or "month")]
        return sql

    def _read_group_select(self, aggregate_spec, query):
        """A group's average inventory: (opening of its first month + closing of its last) / 2;
        its days: from the start of its first month to the end of its last (``_get_days_sql``);
        its turnover: its cost of goods used / that average; its days of inventory: its days x
        that average / its cost of goods used (empty when nothing was used). The ratios divide the
        sums converted to one currency (as the pivot's total of several currencies shows its
        amounts): in one currency the rate cancels out."""
        if aggregate_spec not in ("average_value:sum", "average_value:sum_currency", "turnover:avg",
                                  "days_of_inventory:avg", "period_days:max"):
            return super()._read_group_select(aggregate_spec, query)
        if aggregate_spec == "period_days:max":
            return self._get_days_sql(query)
        # converted (":sum_currency"): the pivot's total over several currencies, and the ratios
        func = ":sum" if aggregate_spec == "average_value:sum" else ":sum_currency"
        average = SQL("((%s + %s) / 2.0)", *(
            self._read_group_select(fname + func, query) for fname in ("opening_value", "value")))
        if aggregate_spec.startswith("average_value"):
            return average
        used = self._read_group_select("used_value:sum_currency", query)
        if aggregate_spec == "turnover:avg":
            # undefined (empty) without average inventory, as the dashboard's "–"
            return SQL("CASE WHEN %(avg)s > 0 THEN %(used)s / %(avg)s END", avg=average, used=used)
        return SQL(
            "CASE WHEN %(used)s > 0 THEN %(days)s * %(avg)s / %(used)s END",
            days=self._get_days_sql(query), avg=average, used=used,
        )

    def _get_days_sql(self, query):
        """SQL: the days a group's ratios span. A group of month ends by month (or finer) spans
        its own month; by quarter or year, the quarter's or year's days within the months of the
        whole query; any other group (a product, a warehouse, the total) spans the months of the
        whole query, as the dashboard's turnover of a period does: a product sold out in January
        still counts the quarter's 90 days, not January's 31, in its quarter too. The months of
        the whole query are those its domain's bounds on the month end select (the dashboard's
        period, a month without stock included), else those of its rows."""
        day = self._field_to_sql(self._table, "date", query)
        where = SQL("WHERE %s", query.where_clause) if query.where_clause else SQL()
        bound_start, bound_stop = getattr(query, "_jxc_month_bounds", (None, None))
        start = SQL("%s::date", bound_start) if bound_start else SQL(
            "(SELECT date_trunc('month', MIN(%s))::date FROM %s %s)", day, query.from_clause, where)
        # not past the last month end recorded in the user's companies: a month not recorded yet
        # (the current one) has no rows for want of a snapshot, not of stock; a company the user
        # does not work in may have recorded it already (its timezone, or its scheduled action run)
        stop = SQL(
            "LEAST(%s::date, (SELECT MAX(date) + 1 FROM jxc_inventory_snapshot WHERE company_id = ANY(%s)))",
            bound_stop, self.env.companies.ids,
        ) if bound_stop else SQL("(SELECT MAX(%s) + 1 FROM %s %s)", day, query.from_clause, where)
        whole = SQL("(%s - %s)", stop, start)
        date_groupbys = list(dict.fromkeys(getattr(query, "_jxc_date_groupbys", ())))
        if not date_groupbys:
            return whole
        # GROUPING(x) is 0 in the rows grouped by x (the pivot asks several groupings at once):
        # the finest grouping of a row decides its span
        finest = ("day", "week", "month", "quarter", "year")
        cases = []
        for term, granularity in sorted(date_groupbys, key=lambda groupby: finest.index(groupby[1])
                                        if groupby[1] in finest else len(finest)):
            if granularity in ("quarter", "year"):
                span = SQL("(LEAST((%(term)s + interval %(step)s)::date, %(stop)s) - GREATEST(%(term)s::date, %(start)s))",
                           term=term, step="3 months" if granularity == "quarter" else "1 year", stop=stop, start=start)
            else:
                span = SQL("(MAX(%s) - date_trunc('month', MIN(%s))::date + 1)", day, day)
            cases.append(SQL("WHEN GROUPING(%s) = 0 THEN %s", term, span))
        return SQL("(CASE %s ELSE %s END)", SQL(" ").join(cases), whole)

    @api.model
    def _get_jxc_dashboard_kpis(self, company, date_from, date_to):
        """Carrying cost of the period."""
        return self._get_jxc_dashboard_kpis_periods(company, [(date_from, date_to)])[0]

    @api.model
    def _get_jxc_dashboard_kpis_periods(self, company, periods):
        """The tiles of several periods ``[(date_from, date_to)]`` from one pass over the rows."""
        ranges = list(periods)
        query = self._search([
            ("company_id", "=", company.id),
            ("date", ">=", min(start for start, _stop in ranges)),
            ("date", "<", max(stop for _start, stop in ranges)),
        ])
        # per month end first (each row's carrying cost computed once), then each period's months:
        # numeric sums are exact, so this is the SUM a _read_group of the period returns
        day = self._field_to_sql(self._table, "date", query)
        query.groupby = day
        months = query.select(SQL("%s AS day", day), SQL("%s AS total", self._read_group_select("carrying_cost:sum", query)))
        sums = self.env.execute_query(SQL("SELECT %s FROM (%s) months", SQL(", ").join(
            SQL("SUM(months.total) FILTER (WHERE months.day >= %s AND months.day < %s)", start, stop)
            for start, stop in ranges
        ), months))[0]
        # a period whose last month end is not recorded has nothing to measure ("–"), as the
        # inventory value tile; recorded months without stock cost 0
        Snapshot = self.env["jxc.inventory.snapshot"]
        recorded = Snapshot._get_recorded_range(company)
        return [
            [self._prepare_jxc_dashboard_kpi(company, date_from, date_to, (value or 0.0) if Snapshot._is_recorded(
                recorded, Snapshot._month_end(date_to - timedelta(days=1))) else None)]
            for (date_from, date_to), value in zip(ranges, sums, strict=True)
        ]

    @api.model
    def _prepare_jxc_dashboard_kpi(self, company, date_from, date_to, value):
        domain = [("company_id", "=", company.id), ("date", ">=", date_from), ("date", "<", date_to)]
        return {
            "key": "carrying_cost_year",
            "label": self.env._("Carrying Cost in Period"),
            "value": value,
            "type": "monetary",
            "action": {
                "type": "ir.actions.act_window",
                "name": self.env._("Carrying Cost %(start)s to %(end)s", start=format_date(self.env, date_from),
                                   end=format_date(self.env, date_to - timedelta(days=1))),
                "res_model": self._name,
                "views": [[False, "list"], [False, "pivot"], [False, "graph"]],
                "view_mode": "list,pivot,graph",
                "domain": domain,
            },
        }

    @api.model
    def _get_jxc_turnover_action(self, company, date_from, date_to):
        """The rows of the month ends from ``date_from`` to ``date_to`` (included): their total
        (the pivot's, a group's) is the dashboard's turnover and days of inventory of those
        months, which the pivot and the graph open on."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Turnover %(start)s to %(end)s", start=format_date(self.env, date_from),
                               end=format_date(self.env, date_to)),
            "res_model": self._name,
            "views": [[False, "list"], [False, "pivot"], [False, "graph"]],
            "view_mode": "list,pivot,graph",
            "domain": [("company_id", "=", company.id), ("date", ">=", date_from), ("date", "<=", date_to)],
            "context": {
                "pivot_measures": ["average_value", "used_value", "turnover", "days_of_inventory"],
                "graph_measure": "turnover",
            },
        }
