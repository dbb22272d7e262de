import logging
import math
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL, float_compare, float_round

from ..tools.checks import MAX_DAYS, check_each
from ..tools.company_day import company_today, local_date_sql, local_midnight_utc
from ..tools.counts import count_by
from ..tools.cron_progress import run_steps
from ..tools.first_move import first_move_sql
from ..tools.net_demand import net_demand_query
from ..tools.sale_line_sql import sale_move_revenue
from ..tools.sql_array import sql_array
from ..tools.window_action import window_action

_logger = logging.getLogger(__name__)

MEASURES = [
    ("consumption_value", "Consumption Value (delivered qty × cost)"), ("revenue", "Sales Revenue"),
    ("margin", "Sales Margin"), ("quantity", "Delivered Quantity"), ("lines", "Number of Delivery Lines (picks)"),
]
MONETARY_MEASURES = ("consumption_value", "revenue", "margin")
XYZ_PERIOD_DAYS = {"week": 7, "month": 30}
# A coefficient of variation over fewer periods says nothing: a product that has lived in fewer
# gets no XYZ class. Two, as the shortest look-back a profile accepts (_check_lookback_days).
XYZ_MIN_PERIODS = 2
# What the results depend on, besides the period: a change leaves them the former settings'.
RANKING_SETTINGS = frozenset({
    "measure", "include_production", "lookback_days", "scope", "category_ids", "warehouse_id", "cutoff_a",
    "cutoff_b", "xyz_period", "xyz_limit_x", "xyz_limit_y",
})
# What the computation records of itself, written by it alone: the monthly action and the
# Excel export trust them.
COMPUTATION_FIELDS = frozenset({"last_computed_on", "settings_changed", "period_start", "period_end"})


def _compare6(value1, value2):
    """``float_compare(value1, value2, precision_digits=6)``, computed by hand when the
    values are clearly apart: rounding each to 6 digits moves it by 5e-7 at most, so the
    sign of a difference above 1e-5 cannot change. Classifying 20,000 products compares
    tens of thousands of values and float_compare is slow."""
    delta = value1 - value2
    if delta > 1e-5:
        return 1
    if delta < -1e-5:
        return -1
    return float_compare(value1, value2, precision_digits=6)


class JxcAbcProfile(models.Model):
    """How a company classifies its products: measure, period, scope and cut-offs.

    A computation ranks the products of the scope by the measure over the look-back
    period, accumulates their shares and cuts the ranking at the cumulative cut-offs;
    products without any delivery (or consumption) in the period get the class N. The same run gives each
    moved product its XYZ class from the variability of its demand per week or month over
    the whole periods since its first move (none before XYZ_MIN_PERIODS periods).
    Results are stored per product in ``jxc.abc.result``; the default profile of a
    company also writes them on the products (``jxc_abc_class`` / ``jxc_xyz_class``)
    that count plans and safety-stock rules read.
    """

    _name = "jxc.abc.profile"
    _description = "ABC/XYZ Classification Profile"
    _inherit = ["mail.thread"]
    _order = "company_id, is_default desc, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    is_default = fields.Boolean(
        string="Default Profile",
        tracking=True,
        copy=False,
        help="The classes of the company's default profile are written on the products, "
        "where count plans and safety-stock rules read them. One default profile per company. "
        "A company left without a default profile (unticked, archived or deleted) has no classes on its "
        "products, except the ABC classes fixed by hand.",
    )
    measure = fields.Selection(
        MEASURES,
        required=True,
        default="consumption_value",
        tracking=True,
        help="What the products are ranked by, over the done deliveries to customers of the period "
        "(customer returns are deducted): consumption value = the stock value of the delivered quantities, "
        "at the cost booked on each delivery; "
        "sales revenue and margin of the sales order lines delivered (in company currency); "
        "delivered quantity; number of delivery lines (each done delivery move counts as one pick).",
    )
    include_production = fields.Boolean(
        string="Include Consumption",
        default=True,
        tracking=True,
        help="Count the components manufacturing orders consume as movement, besides the deliveries to "
        "customers (an unbuild takes its components back): raw materials are ranked by what production uses, "
        "at the cost booked on their consumption, instead of being without movement (N). Sales revenue and "
        "margin come from sales only.",
    )
    lookback_days = fields.Integer(
        string="Look-back Period (days)", aggregator="avg",
        required=True,
        compute="_compute_lookback_days", store=True, readonly=False, precompute=True,
        tracking=True,
        help="The period ends yesterday (company timezone) and covers this many days; by default the "
        "company's Demand History.",
    )
    scope = fields.Selection(
        [("all", "All storable products"), ("categories", "Chosen categories")],
        required=True,
        default="all",
    )
    category_ids = fields.Many2many(
        "product.category",
        string="Product Categories",
        help="The products of these categories and of their sub-categories are classified.",
    )
    warehouse_id = fields.Many2one(
        "stock.warehouse",
        check_company=True,
        help="Only the deliveries from (and returns to) this warehouse count. Empty: all warehouses.",
    )
    cutoff_a = fields.Float(
        string="A Cut-off (%)", aggregator="avg",
        default=80.0,
        required=True,
        tracking=True,
        help="Cumulative share of the measure covered by the A products.",
    )
    cutoff_b = fields.Float(
        string="B Cut-off (%)", aggregator="avg",
        default=95.0,
        required=True,
        tracking=True,
        help="Cumulative share covered by the A and B products; C products share the rest.",
    )
    xyz_period = fields.Selection(
        [("week", "Week (7 days)"), ("month", "Month (30 days)")],
        string="XYZ Demand Period",
        required=True,
        default="week",
        help="Demand is summed per period of this length, counted back from the end of the look-back "
        "period; the coefficient of variation of these sums gives the XYZ class.",
    )
    xyz_limit_x = fields.Float(
        string="X Limit", aggregator="avg",
        default=0.5,
        required=True,
        digits=(16, 4),
        help="Products whose coefficient of variation is below this limit are X (steady demand).",
    )
    xyz_limit_y = fields.Float(
        string="Y Limit", aggregator="avg",
        default=1.0,
        required=True,
        digits=(16, 4),
        help="Products below this limit (and not X) are Y; the others are Z (irregular demand).",
    )
    last_computed_on = fields.Datetime(readonly=True, copy=False)
    settings_changed = fields.Boolean(
        string="Settings Changed Since Computed", readonly=True, copy=False,
        help="The ranking settings changed after the last computation: the results are those of the former "
        "settings until the profile is computed again (the monthly action does it too).",
    )
    period_start = fields.Date(readonly=True, copy=False, help="First day of the last computed period.")
    period_end = fields.Date(readonly=True, copy=False, help="Last day of the last computed period.")
    result_ids = fields.One2many("jxc.abc.result", "profile_id", string="Results")
    result_count = fields.Integer(compute="_compute_result_count")
    history_count = fields.Integer(compute="_compute_result_count")

    _default_per_company = models.UniqueIndex(
        "(company_id) WHERE is_default AND active",
        "A company has only one default classification profile. Untick Default Profile on the other one first.",
    )

    @api.constrains("cutoff_a", "cutoff_b")
    def _check_cutoffs(self):
        check_each(self, lambda p: 0.0 < p.cutoff_a < p.cutoff_b <= 100.0, self.env._(
            "The cut-offs of profile %(profile)s must be strictly increasing between 0 and 100 %% "
            "(0 < A < B ≤ 100); they are A %(a)s %% and B %(b)s %%. Enter for example A 80 and B 95."
        ), profile="name", a="cutoff_a", b="cutoff_b")

    @api.depends("company_id")
    def _compute_lookback_days(self):
        # the profile's company's setting, not that of the company the user works in
        for profile in self:
            profile.lookback_days = profile.company_id.jxc_demand_history_days or 365

    @api.constrains("lookback_days", "xyz_period")
    def _check_lookback_days(self):
        for profile in self:
            length = XYZ_PERIOD_DAYS[profile.xyz_period]
            if profile.lookback_days < XYZ_MIN_PERIODS * length:
                raise ValidationError(self.env._(
                    "The look-back period of profile %(profile)s is %(days)s days: it must cover at least two "
                    "XYZ demand periods, i.e. %(min)s days or more. Enter a longer period.",
                    profile=profile.name, days=profile.lookback_days, min=XYZ_MIN_PERIODS * length,
                ))
            if profile.lookback_days > MAX_DAYS:
                raise ValidationError(self.env._(
                    "The look-back period of profile %(profile)s is %(days)s days: enter %(max)s days (ten years) "
                    "or fewer.", profile=profile.name, days=profile.lookback_days, max=MAX_DAYS,
                ))

    @api.constrains("xyz_limit_x", "xyz_limit_y")
    def _check_xyz_limits(self):
        check_each(self, lambda p: 0.0 < p.xyz_limit_x < p.xyz_limit_y, self.env._(
            "The XYZ limits of profile %(profile)s must be positive and increasing (0 < X < Y); "
            "they are X %(x)s and Y %(y)s. Enter for example X 0.5 and Y 1.0."
        ), profile="name", x="xyz_limit_x", y="xyz_limit_y")

    @api.constrains("scope", "category_ids")
    def _check_scope(self):
        check_each(self, lambda p: p.scope != "categories" or p.category_ids, self.env._(
            "Profile %(profile)s classifies chosen categories but none is chosen. "
            "Add product categories or choose All storable products."
        ), profile="name")

    @api.constrains("is_default", "warehouse_id")
    def _check_default_all_warehouses(self):
        # the default profile's classes are the products', which every warehouse's cycle counts
        # and safety stock read: one warehouse's ranking would leave the others' goods N
        check_each(self, lambda p: not (p.is_default and p.warehouse_id), self.env._(
            "Profile %(profile)s is the company's default and counts one warehouse only, while its classes are "
            "written on the products for every warehouse. Empty its warehouse, or untick Default Profile and keep "
            "it as a warehouse's own analysis."
        ), profile="name")

    def _compute_result_count(self):
        results = count_by(self, "jxc.abc.result", "profile_id")
        history = count_by(self, "jxc.abc.history", "profile_id")
        for profile in self:
            profile.result_count = results.get(profile, 0)
            profile.history_count = history.get(profile, 0)

    def _check_one_default(self, company_ids):
        """Refuse a second default profile before writing (the unique index is the safety net)."""
        others = self.search([("company_id", "in", list(company_ids)), ("is_default", "=", True), ("id", "not in", self.ids)])
        if others:
            raise ValidationError(
                self.env._(
                    "%(company)s already has a default classification profile (%(profile)s). Untick Default Profile "
                    "on it first: the classes written on the products come from one profile only.",
                    company=others[0].company_id.name,
                    profile=others[0].name,
                )
            )

    def write(self, vals):
        self._check_computation_kept([vals])
        if "company_id" in vals:
            self._check_company_kept(vals["company_id"])
        if vals.get("is_default") or (vals.get("active") and any(self.mapped("is_default"))):
            companies = [vals["company_id"]] if vals.get("company_id") else self.company_id.ids
            if len(self) > 1 and vals.get("is_default"):
                raise ValidationError(self.env._("Only one profile per company can be the default profile."))
            self._check_one_default(companies)
        former = self.filtered(lambda p: p.is_default and p.active)
        former_companies = former.company_id
        computed = self.filtered("last_computed_on") if RANKING_SETTINGS.intersection(vals) else self.browse()
        res = super().write(vals)
        if computed:
            # the results describe the settings they were computed with (the export refuses meanwhile)
            computed.sudo().write({"settings_changed": True})
        if vals.get("is_default") or vals.get("active"):
            self.filtered(lambda p: p.is_default and p.active)._sync_product_classes()
        if former and {"is_default", "active", "company_id"} & set(vals):
            former._clear_product_classes(former_companies)
        return res

    @api.model
    def _check_computation_kept(self, vals_list):
        written = COMPUTATION_FIELDS.intersection(name for vals in vals_list for name in vals)
        if written and not self.env.su:
            raise UserError(self.env._(
                "%(fields)s of an ABC profile record its last computation and are set by Compute Now and the "
                "monthly scheduled action only. Change the profile's settings and compute it again instead.",
                fields=", ".join(self._fields[name]._description_string(self.env) for name in sorted(written)),
            ))

    def _check_company_kept(self, company_id):
        """A computed profile stays in its company: its ranking, values and class history are
        that company's (its products, its currency, its users)."""
        moved = self.filtered(lambda p: p.company_id.id != company_id)
        computed = self.env["jxc.abc.history"].sudo().search([("profile_id", "in", moved.ids)], limit=1).profile_id
        computed |= self.env["jxc.abc.result"].sudo().search([("profile_id", "in", moved.ids)], limit=1).profile_id
        if computed:
            raise UserError(self.env._(
                "The ABC profile %(profile)s has results and a class history of %(company)s: its company cannot "
                "change. Duplicate it and set the copy's company instead.",
                profile=computed[0].name, company=computed[0].company_id.name,
            ))

    def unlink(self):
        companies = self.filtered(lambda p: p.is_default and p.active).company_id
        res = super().unlink()
        # the results, and with them the classes fixed by hand, went with the profiles
        self.browse()._clear_product_classes(companies)
        return res

    @api.model_create_multi
    def create(self, vals_list):
        self._check_computation_kept(vals_list)
        for vals in vals_list:
            if vals.get("is_default") and vals.get("active", True):
                # ``self`` is the original when copying: no record of it is the new one
                self.browse()._check_one_default([vals.get("company_id") or self.env.company.id])
        profiles = super().create(vals_list)
        profiles.filtered("is_default")._sync_product_classes()
        return profiles

    # --- actions -------------------------------------------------------------------
    def action_compute(self):
        """The "Compute now" button."""
        self.check_access("write")
        for profile in self:
            profile.with_company(profile.company_id)._run_classification()
        return True

    @api.readonly
    def action_view_results(self):
        self.ensure_one()
        return window_action(self.env, "jxc_addon.jxc_abc_result_action", [("profile_id", "=", self.id)],
                             {"default_profile_id": self.id})

    @api.readonly
    def action_view_history(self):
        self.ensure_one()
        return window_action(self.env, "jxc_addon.jxc_abc_history_action", [("profile_id", "=", self.id)])

    @api.readonly
    def action_export_xlsx(self):
        """Excel ranking of the last computation (values only for managers)."""
        self.ensure_one()
        return self.env["jxc.abc.result"]._action_export_xlsx(self)

    # --- dashboard -------------------------------------------------------------------
    @api.model
    def _get_jxc_dashboard_kpis(self, company, date_from, date_to):
        """Class A and no-movement products of the company's default profile (as of its
        last computation) and its class changes logged in [date_from, date_to): the classes
        on the products, which counts and safety stock read (other profiles' are analyses)."""
        kpis = []
        default = self.search([("company_id", "=", company.id), ("is_default", "=", True)], limit=1)
        if default:
            counts = dict(self.env["jxc.abc.result"]._read_group(
                [("profile_id", "=", default.id), ("abc_class", "in", ["a", "n"])], ["abc_class"], ["__count"],
            ))
            for key, abc, label in [
                ("abc_class_a", "a", self.env._("Class A products")),
                ("abc_class_n", "n", self.env._("Products without movement")),
            ]:
                action = default.action_view_results()
                action["domain"] = [("profile_id", "=", default.id), ("abc_class", "=", abc)]
                action["context"] = {}
                kpis.append({"key": key, "label": label, "value": float(counts.get(abc, 0)), "type": "int", "action": action})
        if not default:
            # no profile classifies the company's products: no class can change (not "0 changes")
            return kpis
        domain = [
            ("profile_id", "=", default.id),
            ("date", ">=", fields.Datetime.to_string(local_midnight_utc(company, date_from))),
            ("date", "<", fields.Datetime.to_string(local_midnight_utc(company, date_to))),
        ]
        kpis.append({
            "key": "abc_class_changes",
            "label": self.env._("Class changes"),
            "value": float(self.env["jxc.abc.history"].search_count(domain)),
            "type": "int",
            "action": window_action(self.env, "jxc_addon.jxc_abc_history_action", domain),
        })
        return kpis

    # --- computation ---------------------------------------------------------------
    def _get_period(self, today=None):
        """(first day, day after the last day) of the look-back period as local dates,
        and the same bounds as naive UTC datetimes for comparing with ``stock_move.date``."""
        self.ensure_one()
        company = self.company_id
        today = today or company_today(company)
        date_from = today - timedelta(days=self.lookback_days)
        return date_from, today, local_midnight_utc(company, date_from), local_midnight_utc(company, today)

    def _get_scope_products(self):
        self.ensure_one()
        # the company's products and its parent companies' (a branch sells them): Odoo's own check
        Product = self.env["product.product"]
        domain = Domain("is_storable", "=", True) & Domain(Product._check_company_domain(self.company_id))
        if self.scope == "categories":
            domain &= Domain("categ_id", "child_of", self.category_ids.ids)
        return Product.with_company(self.company_id).search(domain, order="id")

    def _get_moves_query(self, products, utc_from, utc_to):
        """The net customer demand (``tools/net_demand.py``) of the period, restricted to the
        products and, when set, to the warehouse: deliveries from a warehouse to customers
        (sign +1), with the profile's consumption in production, and customer returns (sign
        -1); dropshipping does not leave a warehouse and is not counted. ``qty`` is the signed quantity done in the product's unit, not the demand."""
        self.ensure_one()
        warehouse = SQL(" AND d.warehouse_id = %s", self.warehouse_id.id) if self.warehouse_id else SQL()
        return SQL(
            """
            SELECT d.id, d.product_id, d.qty, d.quantity, d.sale_line_id, d.date, d.sign
              FROM (%(demand)s) d
             WHERE d.date >= %(date_from)s AND d.date < %(date_to)s
               AND d.product_id = ANY(%(products)s)%(warehouse)s
            """,
            demand=net_demand_query(self.env, self.company_id, include_production=self.include_production),
            date_from=utc_from,
            date_to=utc_to,
            products=sql_array(products.ids, "int4"),
            warehouse=warehouse,
        )

    def _get_movement_figures(self, moves, local_end):
        """{product_id: {net_qty, lines, revenue, cost, sale_cost, periods, cv}} in one
        aggregate query (the moves are read once for all figures).

        Quantities are the quantities done. Revenue is the quantity done (in the sale line's
        unit) x the line's untaxed unit price (its subtotal / ordered quantity; for a line
        added at delivery, ordered 0, its unit price less discount), a kit's components their
        share of the kit's revenue (``tools/sale_line_sql.py``), converted to the company
        currency with the order's rate; revenue is 0 for the measures that do not use it. cost is the stock value Odoo booked on the moves (``stock.move.value``,
        what the inventory snapshot counts as cost of goods delivered), deliveries less
        customer returns, which Odoo values at their delivery's cost; sale_cost the same over
        the moves of sale lines (the margin's cost). Both are 0 for the measures that do not
        use them: a cost that changed since a delivery does not revalue it.
        periods is the number of whole XYZ periods the product has lived in (see
        _get_demand_periods); cv the coefficient of variation of its demand per XYZ period (see
        _get_demand_variability), None when the product has no demand in those periods or
        fewer than XYZ_MIN_PERIODS of them."""
        self.ensure_one()
        length = XYZ_PERIOD_DAYS[self.xyz_period]
        count = self.lookback_days // length
        # Each measure reads only what it uses: no join to 170,000 sale lines for the others.
        revenue = cost = sale_cost = SQL("0")
        joins = SQL()
        if self.measure in ("revenue", "margin"):
            revenue = SQL("COALESCE(SUM(mv.sign * %s / COALESCE(NULLIF(so.currency_rate, 0), 1)), 0)",
                          sale_move_revenue("m"))
            sale_cost = SQL("COALESCE(SUM(mv.sign * m.value) FILTER (WHERE sol.id IS NOT NULL), 0)")
            joins = SQL("""JOIN stock_move m ON m.id = mv.id
                  LEFT JOIN sale_order_line sol ON sol.id = mv.sale_line_id
                  LEFT JOIN sale_order so ON so.id = sol.order_id""")
        elif self.measure == "consumption_value":
            cost = SQL("COALESCE(SUM(mv.sign * m.value), 0)")
            joins = SQL("JOIN stock_move m ON m.id = mv.id")
        figures = SQL("""
                SELECT mv.product_id,
                       SUM(mv.qty) AS net_qty,
                       COUNT(*) FILTER (WHERE mv.sign = 1) AS lines,
                       %(revenue)s AS revenue,
                       %(cost)s AS cost,
                       %(sale_cost)s AS sale_cost
                  FROM mv
                  %(joins)s
                 GROUP BY mv.product_id""", revenue=revenue, cost=cost, sale_cost=sale_cost, joins=joins)
        bucket = SQL("(%s::date - 1 - %s) / %s", local_end, local_date_sql(self.company_id, SQL("mv.date")), length)
        rows = self.env.execute_query(SQL(
            """
            WITH mv AS MATERIALIZED (%(moves)s),
            figures AS (%(figures)s),
            periods AS (%(periods)s),
            buckets AS (
                SELECT mv.product_id, %(bucket)s AS bucket, SUM(mv.qty) AS qty
                  FROM mv
                 GROUP BY 1, 2
            ),
            demand AS (
                -- a period of more returns than deliveries (a bulk return) is no demand in the
                -- spread, as in the safety stock's deviation; the mean still nets the returns
                SELECT b.product_id, SUM(b.qty) AS total, SUM(GREATEST(b.qty, 0)) AS clipped,
                       SUM(GREATEST(b.qty, 0) ^ 2) AS squares
                  FROM buckets b
                  JOIN periods p ON p.product_id = b.product_id
                 WHERE b.bucket < p.periods
                 GROUP BY b.product_id
            )
            SELECT f.product_id, f.net_qty, f.lines, f.revenue, f.cost, f.sale_cost,
                   d.total, d.clipped, d.squares, p.periods
              FROM figures f
              LEFT JOIN demand d ON d.product_id = f.product_id
              LEFT JOIN periods p ON p.product_id = f.product_id
            """,
            moves=moves, figures=figures, bucket=bucket,
            periods=self._get_demand_periods(SQL("SELECT product_id FROM figures"), local_end, count),
        ))
        result = {}
        for product_id, net_qty, lines, revenue, cost, sale_cost, total, clipped, squares, periods in rows:
            periods = count if periods is None else periods
            judged = total is not None and periods >= XYZ_MIN_PERIODS
            result[product_id] = {
                "net_qty": net_qty or 0.0, "lines": lines, "revenue": revenue,
                "cost": cost or 0.0, "sale_cost": sale_cost or 0.0, "periods": periods,
                "cv": self._get_demand_variability(total, squares, periods, clipped) if judged else None,
            }
        return result

    def _get_demand_periods(self, product_ids, local_end, count):
        """SELECT (product_id, periods): the number of whole XYZ periods, counted back from the
        end of the look-back period, since the product's first done move (a receipt, an
        inventory adjustment or a delivery) in the company, or in the profile's warehouse when
        it has one; at most ``count`` (the whole look-back period). A product launched during
        the period was not asked for before it existed: those periods are not zero demand, and
        neither is the rest of the period it arrived in, a part of a period that would count
        as a whole one of low demand. ``product_ids``: a SELECT of product ids."""
        self.ensure_one()
        # period k covers the days [end - (k + 1) * length, end - k * length): it is whole when
        # it starts on or after the day of the first move
        return SQL(
            "SELECT f.product_id, LEAST(%(count)s, (%(end)s::date - f.first_day) / %(length)s) AS periods FROM (%(first)s) f",
            count=count, end=local_end, length=XYZ_PERIOD_DAYS[self.xyz_period],
            first=first_move_sql(self.company_id, product_ids, self.warehouse_id.ids or None, before=local_end),
        )

    @api.model
    def _get_demand_variability(self, total, squares, count, clipped=None):
        """Coefficient of variation of the net demand per XYZ period, None without demand.

        The periods are counted back from the end of the look-back period; the days that do
        not fill a whole period at its start are left out, and so are the days before the
        product's first whole period (``count`` is the product's periods, _get_demand_periods).
        Periods without demand count as 0,
        hence sums of q and q² over the periods with demand are enough:
        mean = Σq / n, population variance = Σq² / n − mean².

        A period of more returns than deliveries counts as 0 in the variance (``clipped`` and
        ``squares`` are the sums of max(q, 0) and its square; ``clipped`` None: no such period),
        while the mean stays net: a bulk return is no swing of the demand."""
        mean = total / count
        if _compare6(mean, 0.0) <= 0:
            return None
        clipped_mean = mean if clipped is None else clipped / count
        variance = max(squares / count - clipped_mean * clipped_mean, 0.0)
        return math.sqrt(variance) / mean

    def _get_xyz_class(self, cv, limits=None):
        """X, Y or Z for a coefficient of variation; ``limits`` = (X limit, Y limit) read once
        by callers classifying many products (reading the fields per product is slow)."""
        if cv is None:
            return "z"
        limit_x, limit_y = limits or (self.xyz_limit_x, self.xyz_limit_y)
        if _compare6(cv, limit_x) < 0:
            return "x"
        if _compare6(cv, limit_y) < 0:
            return "y"
        return "z"

    def _get_measure_values(self, products, figures):
        """{product_id: measure value} of the products with a net delivered quantity.

        A product whose deliveries of the period are offset by customer returns (net
        quantity zero or less) did not move: it is left out and classified N."""
        self.ensure_one()
        values = {}
        currency = self.company_id.currency_id
        measure = self.measure  # read once: a field read per product costs more than the arithmetic
        for product_id, fig in figures.items():
            if _compare6(fig["net_qty"], 0.0) <= 0:
                continue
            if measure == "consumption_value":
                value = fig["cost"]
            elif measure == "revenue":
                value = fig["revenue"]
            elif measure == "margin":
                value = fig["revenue"] - fig["sale_cost"]
            elif measure == "quantity":
                value = fig["net_qty"]
            else:
                value = float(fig["lines"])
            if measure in MONETARY_MEASURES:
                value = currency.round(value)
            else:
                value = float_round(value, precision_digits=6)
            values[product_id] = value
        return values

    def _rank_values(self, values):
        """Classify {product_id: value} the textbook way.

        Products are ranked by value (highest first, then by product id so that ties are
        stable) and the shares accumulated in that order. A product whose cumulative share
        is at most the A cut-off is A; the product whose cumulative share first exceeds the A
        cut-off is B, as are the next ones while their cumulative share is at most the B
        cut-off; the rest are C. The first-ranked product is always A: a product that alone
        covers more than the A cut-off would otherwise leave class A empty. Products whose
        value is zero or negative, and all products when the total is not positive, are C
        with no share.

        :return: {product_id: (rank, share %, cumulative share %, class)}
        """
        self.ensure_one()
        ranking = sorted(values.items(), key=lambda item: (-item[1], item[0]))
        total = sum(value for __, value in ranking if value > 0)
        result = {}
        cumulative = 0.0
        previous_share = 0.0
        cutoff_a, cutoff_b = self.cutoff_a, self.cutoff_b  # read once, not per product
        for rank, (product_id, value) in enumerate(ranking, start=1):
            if total <= 0 or value <= 0:
                result[product_id] = (rank, 0.0, 100.0 if total > 0 else 0.0, "c")
                continue
            cumulative += value
            share = value / total * 100.0
            cumulative_share = min(cumulative / total * 100.0, 100.0)
            if rank == 1 or _compare6(cumulative_share, cutoff_a) <= 0:
                abc = "a"
            elif _compare6(cumulative_share, cutoff_b) <= 0 or _compare6(previous_share, cutoff_a) <= 0:
                abc = "b"
            else:
                abc = "c"
            result[product_id] = (rank, share, cumulative_share, abc)
            previous_share = cumulative_share
        return result

    def _run_classification(self, today=None):
        """Compute and store the classes of every product in scope (see the class docstring).

        Idempotent: a second run on the same data writes the same values and no history."""
        self.ensure_one()
        if not self.active:
            raise UserError(self.env._("Profile %(profile)s is archived: restore it before computing.", profile=self.name))
        # its categories deleted since (a deletion runs no constraint of the profile): refused
        # before the computation would drop every result and clear the products' classes
        self._check_scope()
        profile = self.with_company(self.company_id)
        for model in ("stock.move", "stock.location", "sale.order.line", "sale.order", "uom.uom", "product.template"):
            self.env[model].flush_model()
        date_from, date_to, utc_from, utc_to = profile._get_period(today)
        products = profile._get_scope_products()
        moves = profile._get_moves_query(products, utc_from, utc_to)
        figures = profile._get_movement_figures(moves, date_to)
        values = profile._get_measure_values(products, figures)
        ranking = profile._rank_values(values)
        computed = fields.Datetime.now()
        result_vals = {}
        limits = (profile.xyz_limit_x, profile.xyz_limit_y)
        for product_id in products.ids:
            if product_id in ranking:
                rank, share, cumulative_share, abc = ranking[product_id]
                cv = figures[product_id]["cv"]
                judged = figures[product_id]["periods"] >= XYZ_MIN_PERIODS
                result_vals[product_id] = {
                    "computed_class": abc,
                    "xyz_class": profile._get_xyz_class(cv, limits) if judged else False,
                    "value": values[product_id],
                    "share": share,
                    "cumulative_share": cumulative_share,
                    "rank": rank,
                    "demand_qty": figures[product_id]["net_qty"],
                    "demand_cv": cv if cv is not None else 0.0,
                    "date_computed": computed,
                }
            else:
                result_vals[product_id] = {
                    "computed_class": "n",
                    "xyz_class": False,
                    "value": 0.0,
                    "share": 0.0,
                    "cumulative_share": 0.0,
                    "rank": 0,
                    "demand_qty": 0.0,
                    "demand_cv": 0.0,
                    "date_computed": computed,
                }
        self.env["jxc.abc.result"].sudo()._store_results(profile, result_vals)
        profile.sudo().write({
            "last_computed_on": computed,
            "settings_changed": False,
            "period_start": date_from,
            "period_end": date_to - timedelta(days=1),
        })
        if profile.is_default:
            profile._sync_product_classes()
        return True

    def _sync_product_classes(self, products=None):
        """Write the classes of the default profile on the products (company-dependent)
        through the ORM, only on the products whose classes differ, one write per pair of
        classes. A full sync also clears the classes of the products the profile no longer
        classifies (archived ones too: their results went, a class fixed by hand stays with its)."""
        self.env["jxc.abc.result"].flush_model()
        for profile in self.filtered(lambda p: p.is_default and p.active):
            Product = self.env["product.product"].sudo().with_company(profile.company_id)
            Product.flush_model(["jxc_abc_class", "jxc_xyz_class", "active"])
            abc, xyz = Product._field_to_sql("pp", "jxc_abc_class"), Product._field_to_sql("pp", "jxc_xyz_class")
            only = SQL("AND r.product_id = ANY(%s)", sql_array(products.ids, "int4")) if products is not None else SQL()
            stale = SQL()
            if products is None:
                stale = SQL(
                    """
                    UNION ALL
                    SELECT pp.id, NULL, NULL
                      FROM product_product pp
                     WHERE (%(abc)s IS NOT NULL OR %(xyz)s IS NOT NULL)
                       AND NOT EXISTS (SELECT 1 FROM jxc_abc_result r
                                        WHERE r.profile_id = %(profile)s AND r.product_id = pp.id)
                    """,
                    abc=abc, xyz=xyz, profile=profile.id,
                )
            changed = self.env.execute_query(SQL(
                """
                WITH t AS (
                    SELECT r.product_id, r.abc_class, r.xyz_class
                      FROM jxc_abc_result r
                     WHERE r.profile_id = %(profile)s %(only)s
                    %(stale)s
                )
                SELECT t.product_id, t.abc_class, t.xyz_class
                  FROM t JOIN product_product pp ON pp.id = t.product_id
                 WHERE %(abc)s IS DISTINCT FROM t.abc_class OR %(xyz)s IS DISTINCT FROM t.xyz_class
                """,
                profile=profile.id, only=only, stale=stale, abc=abc, xyz=xyz,
            ))
            by_classes = defaultdict(list)
            for product_id, abc_class, xyz_class in changed:
                by_classes[abc_class or False, xyz_class or False].append(product_id)
            for (abc_class, xyz_class), product_ids in by_classes.items():
                Product.browse(product_ids).write({"jxc_abc_class": abc_class, "jxc_xyz_class": xyz_class})
            # the safety-stock rule (and its service level) may follow the class: a class fixed by
            # hand at once, a whole classification by the weekly update, run now in the background
            if changed and products is not None:
                self.env["jxc.planning.engine"]._update_products(Product.browse([row[0] for row in changed]))
            elif changed:
                self.env["jxc.planning.engine"]._trigger_update()

    def _clear_product_classes(self, companies):
        """Clear the classes written on the products of those ``companies`` that have no default
        active profile any more (unticked, archived or deleted): count plans and safety-stock
        rules must not go on reading a classification that nobody recomputes. Through the ORM,
        one write per pair of classes, as _sync_product_classes writes them.

        ``self`` are the profiles that were the default: an ABC class fixed by hand in one of
        them stays, as its result keeps the override until a manager clears it (a new default
        profile then writes its own classes); the XYZ class, never fixed by hand, goes."""
        self.env["jxc.abc.result"].flush_model(["profile_id", "product_id", "override_class"])
        for company in companies:
            if self.sudo().search_count([("company_id", "=", company.id), ("is_default", "=", True)], limit=1):
                continue
            Product = self.env["product.product"].sudo().with_company(company)
            Product.flush_model(["jxc_abc_class", "jxc_xyz_class"])
            abc, xyz = Product._field_to_sql("pp", "jxc_abc_class"), Product._field_to_sql("pp", "jxc_xyz_class")
            rows = self.env.execute_query(SQL(
                """
                SELECT pp.id, EXISTS (SELECT 1 FROM jxc_abc_result r
                                       WHERE r.profile_id = ANY(%(former)s) AND r.product_id = pp.id
                                         AND r.override_class IS NOT NULL),
                       %(xyz)s IS NOT NULL
                  FROM product_product pp
                 WHERE %(abc)s IS NOT NULL OR %(xyz)s IS NOT NULL
                """,
                former=sql_array(self.filtered(lambda p, company=company: p.company_id == company).ids, "int4"),
                abc=abc, xyz=xyz,
            ))
            Product.browse([pid for pid, fixed, __ in rows if not fixed]).write(
                {"jxc_abc_class": False, "jxc_xyz_class": False})
            Product.browse([pid for pid, fixed, has_xyz in rows if fixed and has_xyz]).write({"jxc_xyz_class": False})

    @api.model
    def _cron_compute_profiles(self, commit_progress=False):
        """Every hour: compute every active profile not computed yet since its company's month
        began (its look-back then ends on the last day of the month before, in the company's
        timezone), its settings changed or not: once a month per company, at the first run
        after the company's midnight of the 1st.

        One profile per step; a profile that fails is logged and skipped. With
        ``commit_progress`` (the scheduled action) each step is committed and the job stops
        when its time is up; the scheduler calls it again for the remaining profiles."""
        profiles = self.sudo().search([("active", "=", True), ("company_id.active", "=", True)])
        todo = profiles.filtered(lambda p: not p.last_computed_on or not p.period_end
                                 or p.period_end < company_today(p.company_id).replace(day=1) - timedelta(days=1))
        run_steps(
            self.env, todo, lambda profile: profile.with_company(profile.company_id)._run_classification(), _logger,
            "ABC classification of profile %s (id %s) failed; skipped.", use_new_cursor=commit_progress,
            describe=lambda profile: (profile.name, profile.id),
        )
        return True
