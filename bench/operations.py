"""The add-on's heavy operations, registered with the benchmark (see bench/benchmark.py).

Each operation is triggered the way a user or the scheduler triggers it (a button's method,
a scheduled action's method, the web client's list call, an export button) through the ORM as
the admin user. Beside it: the **floor**, one hand-written SQL statement computing the same
aggregate (it reads what the operation reads but writes nothing), and **Odoo's figure** where
Odoo has an equivalent.

``prepare`` (committed once, idempotent) gives the database what a production database has
after the add-on's scheduled actions ran once: month-end snapshots back-filled, a default
ABC/XYZ profile computed (products carry their classes), the supplier periods, one
statistical safety-stock rule for all products and one ABC cycle-count rule per warehouse.
"""

import re
from datetime import datetime, timedelta

from odoo import Command
from odoo.tools import SQL

COUNT_LINES = 5000
PAGE = 80


# ---------------------------------------------------------------------------- preparation
def prepare(env):
    done = []
    company = env.company
    Snapshot = env["jxc.inventory.snapshot"]
    if not Snapshot.search_count([("company_id", "=", company.id)], limit=1):
        Snapshot._cron_take_snapshots()
        done.append("%d month-end snapshot rows" % Snapshot.search_count([("company_id", "=", company.id)]))
    Month = env["jxc.dashboard.month"]
    if not Month.search_count([("company_id", "=", company.id)], limit=1):
        # what the nightly scheduled action has stored in a company running for a while
        Month._cron_store_months()
        done.append("dashboard figures of the closed months")
    Profile = env["jxc.abc.profile"]
    profile = Profile.search([("company_id", "=", company.id), ("is_default", "=", True)], limit=1)
    if not profile:
        profile = Profile.create({"name": "Benchmark (consumption value, 365 days)", "is_default": True,
                                  "company_id": company.id, "lookback_days": 365})
        done.append("default ABC profile")
    if not profile.last_computed_on:
        profile.action_compute()
        done.append("ABC classes of %d products" % env["jxc.abc.result"].search_count([("profile_id", "=", profile.id)]))
    Period = env["jxc.supplier.period"]
    if not Period.search_count([("company_id", "=", company.id)], limit=1):
        Period._cron_compute_supplier_evaluations()
        done.append("supplier periods and evaluations")
    Rule = env["jxc.safety.stock.rule"]
    if not Rule.search_count([("company_id", "=", company.id)], limit=1):
        Rule.create({"name": "Benchmark: statistical, 95 %, measured lead times", "company_id": company.id,
                     "method": "statistical", "service_level": 95.0, "lead_time_source": "measured",
                     "history_days": 90, "demand_period": "day", "review_days": 7})
        done.append("statistical safety-stock rule")
    Cycle = env["jxc.count.cycle.rule"]
    for warehouse in env["stock.warehouse"].search([("company_id", "=", company.id)]):
        if not Cycle.search_count([("warehouse_id", "=", warehouse.id)], limit=1):
            Cycle.create({"name": "Benchmark ABC cycle %s" % warehouse.code, "company_id": company.id,
                          "warehouse_id": warehouse.id, "rule_type": "abc", "max_lines_per_day": 200})
            done.append("cycle-count rule %s" % warehouse.code)
    return ", ".join(done)


def _default_profile(env):
    return env["jxc.abc.profile"].search([("company_id", "=", env.company.id), ("is_default", "=", True)], limit=1)


def _open_period(env):
    return env["jxc.supplier.period"].search(
        [("company_id", "=", env.company.id), ("state", "=", "open")], order="date_from desc", limit=1)


# ---------------------------------------------------------------------------- ABC/XYZ
def abc_params(env):
    profile = _default_profile(env)
    date_from, date_to, utc_from, utc_to = profile._get_period()
    return {"company": env.company.id, "company_s": str(env.company.id), "date_from": utc_from, "date_to": utc_to,
            "tz": env.company.partner_id.tz or "UTC", "end": date_to, "weeks": profile.lookback_days // 7,
            "cut_a": profile.cutoff_a, "cut_b": profile.cutoff_b}


ABC_FLOOR = """
WITH mv AS (
    SELECT m.product_id, m.date,
           CASE WHEN dest.usage = 'customer' THEN m.product_qty ELSE -m.product_qty END AS qty
      FROM stock_move m
      JOIN stock_location src ON src.id = m.location_id
      JOIN stock_location dest ON dest.id = m.location_dest_id
     WHERE m.state = 'done' AND m.company_id = %(company)s AND m.date >= %(date_from)s AND m.date < %(date_to)s
       AND ((src.usage = 'internal' AND dest.usage = 'customer') OR (src.usage = 'customer' AND dest.usage = 'internal'))
), weekly AS (
    SELECT product_id, (%(end)s::date - 1 - (timezone(%(tz)s, date AT TIME ZONE 'UTC'))::date) / 7 AS bucket,
           SUM(qty) AS qty
      FROM mv GROUP BY 1, 2
), cv AS (
    SELECT product_id, SUM(qty) / %(weeks)s AS mean,
           sqrt(greatest(SUM(qty * qty) / %(weeks)s - (SUM(qty) / %(weeks)s) ^ 2, 0)) AS sd
      FROM weekly WHERE bucket < %(weeks)s GROUP BY product_id
), val AS (
    SELECT mv.product_id, SUM(mv.qty) * COALESCE((pp.standard_price ->> %(company_s)s)::numeric, 0) AS value
      FROM mv JOIN product_product pp ON pp.id = mv.product_id
     GROUP BY mv.product_id, pp.standard_price
), ranked AS (
    SELECT product_id, value,
           100 * SUM(value) OVER (ORDER BY value DESC, product_id)
               / NULLIF(SUM(value) FILTER (WHERE value > 0) OVER (), 0) AS cumulative
      FROM val
)
SELECT pp.id, r.value, r.cumulative,
       CASE WHEN r.product_id IS NULL THEN 'n' WHEN r.cumulative <= %(cut_a)s THEN 'a'
            WHEN r.cumulative <= %(cut_b)s THEN 'b' ELSE 'c' END,
       CASE WHEN cv.mean IS NULL OR cv.mean <= 0 THEN 'z' WHEN cv.sd / cv.mean < 0.5 THEN 'x'
            WHEN cv.sd / cv.mean < 1.0 THEN 'y' ELSE 'z' END
  FROM product_product pp
  JOIN product_template pt ON pt.id = pp.product_tmpl_id AND pt.is_storable
  LEFT JOIN ranked r ON r.product_id = pp.id
  LEFT JOIN cv ON cv.product_id = pp.id
"""


# ---------------------------------------------------------------------------- supplier evaluation
def supplier_params(env):
    period = _open_period(env)
    start, stop = period._get_utc_bounds()
    return {"company": env.company.id, "start": start, "stop": stop, "tz": env.company.partner_id.tz or "UTC",
            "tol": env.company.jxc_supplier_on_time_tolerance, "date_from": period.date_from,
            "date_to": period.date_to, "period": period.id}


# Every figure the evaluation reads, in one statement (corrected in the performance wave: the
# first floor was only the receipts aggregate, with a fill rate over the received lines and an
# average price instead of the operation's fill rate over the lines planned in the period,
# returns, incidents, spend-weighted price index against the market price, lead-time lateness
# against the vendors' promised delays and manual scores).
SUPPLIER_FLOOR = """
WITH period_moves AS (
    SELECT m.id, src.usage AS src_usage, p.commercial_partner_id AS partner_id, po.partner_id AS vendor_id,
           m.product_id, m.quantity * mu.factor / NULLIF(pu.factor, 0) AS qty,
           (timezone(%(tz)s, m.date AT TIME ZONE 'UTC'))::date AS day,
           (timezone(%(tz)s, pol.date_planned AT TIME ZONE 'UTC'))::date AS planned,
           (timezone(%(tz)s, m.date AT TIME ZONE 'UTC'))::date
               - (timezone(%(tz)s, po.date_approve AT TIME ZONE 'UTC'))::date AS days,
           (SELECT MIN(si.delay) FROM product_supplierinfo si
             WHERE si.partner_id = po.partner_id AND si.product_tmpl_id = mpp.product_tmpl_id
               AND (si.product_id IS NULL OR si.product_id = m.product_id)
               AND (si.company_id = %(company)s OR si.company_id IS NULL)) AS promised
      FROM stock_move m
      JOIN uom_uom mu ON mu.id = m.product_uom
      JOIN product_product mpp ON mpp.id = m.product_id
      JOIN product_template mpt ON mpt.id = mpp.product_tmpl_id
      JOIN uom_uom pu ON pu.id = mpt.uom_id
      JOIN stock_location src ON src.id = m.location_id
      JOIN stock_location dest ON dest.id = m.location_dest_id
      JOIN purchase_order_line pol ON pol.id = m.purchase_line_id
      JOIN purchase_order po ON po.id = pol.order_id
      JOIN res_partner p ON p.id = po.partner_id
     WHERE m.state = 'done' AND m.company_id = %(company)s AND m.date >= %(start)s AND m.date < %(stop)s
       AND (src.usage = 'supplier' OR dest.usage = 'supplier')
), receipts AS (
    SELECT partner_id, SUM(qty) AS received, SUM(qty) FILTER (WHERE day <= planned + %(tol)s) AS on_time
      FROM period_moves WHERE src_usage = 'supplier' GROUP BY partner_id
), returns AS (
    SELECT partner_id, SUM(qty) AS returned FROM period_moves WHERE src_usage <> 'supplier' GROUP BY partner_id
), lines AS (
    SELECT pol.id, p.commercial_partner_id AS partner_id, pol.product_uom_qty AS ordered
      FROM purchase_order_line pol
      JOIN purchase_order po ON po.id = pol.order_id
      JOIN res_partner p ON p.id = po.partner_id
      JOIN product_product pp ON pp.id = pol.product_id
      JOIN product_template pt ON pt.id = pp.product_tmpl_id
     WHERE po.state = 'purchase' AND po.company_id = %(company)s AND pol.display_type IS NULL
       AND pt.type != 'service' AND pol.date_planned >= %(start)s AND pol.date_planned < %(stop)s
), fill AS (
    SELECT l.partner_id, SUM(l.ordered) AS ordered, SUM(LEAST(COALESCE(r.qty, 0), l.ordered)) AS filled
      FROM lines l
      LEFT JOIN (SELECT m.purchase_line_id, SUM(m.quantity * mu.factor / NULLIF(pu.factor, 0)) AS qty
                   FROM stock_move m
                   JOIN uom_uom mu ON mu.id = m.product_uom
                   JOIN product_product mpp ON mpp.id = m.product_id
                   JOIN product_template mpt ON mpt.id = mpp.product_tmpl_id
                   JOIN uom_uom pu ON pu.id = mpt.uom_id
                   JOIN stock_location src ON src.id = m.location_id AND src.usage = 'supplier'
                  WHERE m.state = 'done' AND m.purchase_line_id IN (SELECT id FROM lines)
                  GROUP BY m.purchase_line_id) r ON r.purchase_line_id = l.id
     GROUP BY l.partner_id
), incidents AS (
    SELECT p.commercial_partner_id AS partner_id, SUM(i.quantity) AS qty
      FROM jxc_supplier_incident i JOIN res_partner p ON p.id = i.partner_id
     WHERE i.company_id = %(company)s AND i.date >= %(date_from)s AND i.date <= %(date_to)s
     GROUP BY 1
), vp AS (
    SELECT p.commercial_partner_id AS partner_id, pol.product_id,
           SUM(pol.price_subtotal / COALESCE(NULLIF(po.currency_rate, 0), 1)) AS spend, SUM(pol.product_uom_qty) AS qty
      FROM purchase_order_line pol
      JOIN purchase_order po ON po.id = pol.order_id
      JOIN res_partner p ON p.id = po.partner_id
     WHERE po.state = 'purchase' AND po.company_id = %(company)s AND pol.display_type IS NULL
       AND po.date_approve >= %(start)s AND po.date_approve < %(stop)s
     GROUP BY 1, 2
), market AS (
    SELECT product_id, SUM(spend) / NULLIF(SUM(qty), 0) AS price, COUNT(*) AS vendors FROM vp GROUP BY product_id
), price AS (
    SELECT vp.partner_id, SUM(vp.spend) AS spend,
           SUM(vp.spend * (vp.spend / vp.qty) / m.price) FILTER (WHERE m.vendors >= 2 AND m.price > 0 AND vp.qty > 0
                                                                  AND vp.spend > 0) * 100
           / NULLIF(SUM(vp.spend) FILTER (WHERE m.vendors >= 2 AND m.price > 0 AND vp.qty > 0 AND vp.spend > 0), 0)
               AS price_index
      FROM vp JOIN market m ON m.product_id = vp.product_id GROUP BY vp.partner_id
), lead AS (
    SELECT partner_id, COUNT(*) AS n, AVG(days) AS mean, COALESCE(STDDEV_SAMP(days), 0) AS sd,
           SUM(days - promised) / NULLIF(COUNT(promised), 0) AS lateness
      FROM period_moves WHERE src_usage = 'supplier' AND days IS NOT NULL
     GROUP BY partner_id
), manual AS (
    SELECT p.commercial_partner_id AS partner_id, s.criterion_id, AVG(s.score) AS score
      FROM jxc_supplier_manual_score s JOIN res_partner p ON p.id = s.partner_id
     WHERE s.period_id = %(period)s GROUP BY 1, 2
)
SELECT v.partner_id, r.received, r.on_time, f.ordered, f.filled, rt.returned, i.qty, pr.spend, pr.price_index,
       l.n, l.mean, l.sd, l.lateness, (SELECT json_object_agg(criterion_id, score) FROM manual m
                                        WHERE m.partner_id = v.partner_id)
  FROM (SELECT partner_id FROM receipts UNION SELECT partner_id FROM fill UNION SELECT partner_id FROM returns
        UNION SELECT partner_id FROM incidents UNION SELECT partner_id FROM price UNION SELECT partner_id FROM lead
        UNION SELECT partner_id FROM manual) v
  LEFT JOIN receipts r ON r.partner_id = v.partner_id
  LEFT JOIN fill f ON f.partner_id = v.partner_id
  LEFT JOIN returns rt ON rt.partner_id = v.partner_id
  LEFT JOIN incidents i ON i.partner_id = v.partner_id
  LEFT JOIN price pr ON pr.partner_id = v.partner_id
  LEFT JOIN lead l ON l.partner_id = v.partner_id
"""


def odoo_vendor_on_time_rate(env):
    """Odoo's own vendor figure: purchase_stock's on-time rate of every vendor."""
    vendors = env["res.partner"].search([("supplier_rank", ">", 0)])
    vendors.mapped("on_time_rate")


# ---------------------------------------------------------------------------- safety stock
def safety_params(env):
    today = datetime.utcnow().replace(hour=0, minute=0, second=0, microsecond=0)
    return {"company": env.company.id, "from": today - timedelta(days=90), "to": today,
            "lt_from": today - timedelta(days=max(env.company.jxc_demand_history_days or 365, 90)),
            "tz": env.company.partner_id.tz or "UTC", "z": 1.6449}


SAFETY_FLOOR = """
WITH daily AS (
    SELECT m.product_id, w.id AS warehouse_id, (timezone(%(tz)s, m.date AT TIME ZONE 'UTC'))::date AS day,
           SUM(CASE WHEN dest.usage = 'customer' THEN m.product_qty ELSE -m.product_qty END) AS qty
      FROM stock_move m
      JOIN stock_location src ON src.id = m.location_id
      JOIN stock_location dest ON dest.id = m.location_dest_id
      JOIN stock_warehouse w ON w.id = COALESCE(src.warehouse_id, dest.warehouse_id)
     WHERE m.state = 'done' AND m.company_id = %(company)s AND m.date >= %(from)s AND m.date < %(to)s
       AND ((src.usage = 'internal' AND dest.usage = 'customer') OR (src.usage = 'customer' AND dest.usage = 'internal'))
     GROUP BY 1, 2, 3
), demand AS (
    SELECT product_id, warehouse_id, SUM(qty) / 90.0 AS mean,
           sqrt(greatest(SUM(qty * qty) / 90.0 - (SUM(qty) / 90.0) ^ 2, 0)) AS sd
      FROM daily GROUP BY 1, 2
), lead AS (
    SELECT m.product_id, po.partner_id,
           AVG((timezone(%(tz)s, m.date AT TIME ZONE 'UTC'))::date
               - (timezone(%(tz)s, po.date_approve AT TIME ZONE 'UTC'))::date) AS lt,
           COALESCE(STDDEV_SAMP((timezone(%(tz)s, m.date AT TIME ZONE 'UTC'))::date
               - (timezone(%(tz)s, po.date_approve AT TIME ZONE 'UTC'))::date), 0) AS lt_sd
      FROM stock_move m
      JOIN stock_location src ON src.id = m.location_id AND src.usage = 'supplier'
      JOIN purchase_order_line pol ON pol.id = m.purchase_line_id
      JOIN purchase_order po ON po.id = pol.order_id
     WHERE m.state = 'done' AND m.company_id = %(company)s AND m.date >= %(lt_from)s AND m.date < %(to)s
     GROUP BY 1, 2
), seller AS (
    SELECT DISTINCT ON (pp.id) pp.id AS product_id, si.partner_id, si.delay, si.min_qty
      FROM product_product pp JOIN product_supplierinfo si ON si.product_tmpl_id = pp.product_tmpl_id
     ORDER BY pp.id, si.price, si.id
)
SELECT pp.id, w.id, d.mean, d.sd,
       d.mean * COALESCE(l.lt, s.delay) + %(z)s * sqrt(COALESCE(l.lt, s.delay) * d.sd ^ 2
                                                     + d.mean ^ 2 * COALESCE(l.lt_sd, 0) ^ 2) AS reorder_point,
       s.min_qty
  FROM product_product pp
  JOIN product_template pt ON pt.id = pp.product_tmpl_id AND pt.is_storable
  CROSS JOIN stock_warehouse w
  LEFT JOIN demand d ON d.product_id = pp.id AND d.warehouse_id = w.id
  LEFT JOIN seller s ON s.product_id = pp.id
  LEFT JOIN lead l ON l.product_id = pp.id AND l.partner_id = s.partner_id
 WHERE w.company_id = %(company)s
"""


def safety_stock_compute(env):
    """Configuration > Safety Stock Rules > "Compute Reordering Rules" (the weekly action's work)."""
    env["jxc.safety.stock.rule"].search([("company_id", "=", env.company.id)], limit=1).action_compute_reordering_rules()


def safety_stock_update_setup(env):
    """Untimed: every reordering rule exists (a first computation, as after the first weekly
    run), then a manager raises the rule's service level from 95 % to 97 %, so that the
    measured run changes every rule. Returns the rules it manages."""
    rule = env["jxc.safety.stock.rule"].search([("company_id", "=", env.company.id)], limit=1)
    rule.action_compute_reordering_rules()
    rule.service_level = 97.0
    env.flush_all()
    return env["stock.warehouse.orderpoint"].search([("jxc_rule_id", "=", rule.id)])


def safety_stock_update(env, orderpoints):
    safety_stock_compute(env)


def odoo_orderpoint_recompute(env, orderpoints):
    """Odoo's own work on the same reordering rules: recompute their stored quantity to order
    and deadline, as the replenishment report does with ``force_orderpoint_recompute``."""
    orderpoints = orderpoints.with_env(env)
    orderpoints._compute_qty_to_order_computed()
    orderpoints._compute_deadline_date()


# ---------------------------------------------------------------------------- cycle counts
CYCLE_FLOOR = """
WITH last AS (
    SELECT l.product_id, l.location_id, MAX(p.date_done) AS done
      FROM jxc_count_line l JOIN jxc_count_plan p ON p.id = l.plan_id
     WHERE p.state = 'done' GROUP BY 1, 2
)
SELECT * FROM (
    SELECT r.id AS rule_id, q.product_id, last.done,
           ROW_NUMBER() OVER (PARTITION BY r.id ORDER BY last.done NULLS FIRST, q.product_id) AS n
      FROM jxc_count_cycle_rule r
      JOIN stock_warehouse w ON w.id = r.warehouse_id
      JOIN stock_location vl ON vl.id = w.view_location_id
      JOIN stock_location loc ON loc.parent_path LIKE vl.parent_path || '%%' AND loc.usage = 'internal'
      JOIN stock_quant q ON q.location_id = loc.id AND q.quantity > 0
      JOIN product_product pp ON pp.id = q.product_id
      LEFT JOIN last ON last.product_id = q.product_id AND last.location_id = q.location_id
     WHERE r.active AND COALESCE(last.done, '1970-01-01') <= now() - make_interval(days =>
               CASE COALESCE(pp.jxc_abc_class ->> r.company_id::text, 'n')
                    WHEN 'a' THEN r.days_a WHEN 'b' THEN r.days_b WHEN 'c' THEN r.days_c ELSE r.days_n END)
       AND COALESCE(pp.jxc_abc_class ->> r.company_id::text, 'n') <> 'n'
) due WHERE n <= 200
"""


# ---------------------------------------------------------------------------- count posting
def _count_location(env):
    return env["stock.warehouse"].search([("company_id", "=", env.company.id)], order="id", limit=1).lot_stock_id


def _count_quants(env):
    return env["stock.quant"].search([("location_id", "=", _count_location(env).id), ("quantity", ">", 1),
                                      ("lot_id", "=", False)], order="id", limit=COUNT_LINES)


def odoo_count_setup(env):
    """The same quants as the plan below, counted in Inventory > Physical Inventory."""
    quants = _count_quants(env).with_context(inventory_mode=True)
    for i, quant in enumerate(quants):
        quant.inventory_quantity = quant.quantity + (0, 1, -1)[i % 3]
    quants.flush_recordset()
    return quants


def _create_count_plan(env):
    quants = _count_quants(env)
    return env["jxc.count.plan"].create({
        "company_id": env.company.id,
        "warehouse_id": env["stock.warehouse"].search([("lot_stock_id", "=", quants.location_id.id)], limit=1).id,
        "location_ids": [Command.set(quants.location_id.ids)],
        "include_children": False,
        "product_ids": [Command.set(quants.product_id.ids)],
        "count_type": "full",
        "blind": False,
    })


def _enter_counts(plan):
    """Counters enter every line (every third off by one unit, with a reason). The entries are
    written as an import writes them: one write per distinct (counted quantity, reason), not
    one transaction per line as on the Count Lines screen."""
    defaults = plan.env["jxc.count.reason"]._get_defaults(plan.company_id)
    groups = {}
    for i, line in enumerate(plan.line_ids.sorted("id")):
        delta = (0, 1, -1)[i % 3]
        key = (line.book_qty + delta, defaults[delta > 0].id if delta else False)
        groups.setdefault(key, []).append(line.id)
    Line = plan.env["jxc.count.line"]
    for (counted, reason_id), ids in groups.items():
        vals = {"counted_qty": counted}
        if reason_id:
            vals["reason_id"] = reason_id
        Line.browse(ids).write(vals)


def count_setup_counted(env):
    """Untimed: a plan of 5,000 lines started and counted (the counters' work)."""
    plan = _create_count_plan(env)
    plan.action_start()
    _enter_counts(plan)
    plan.env.flush_all()
    return plan.line_ids


def count_post(env, lines):
    """Submit, Approve, Post Adjustments: what follows the counting (compare: Odoo's Apply)."""
    plan = lines.plan_id
    plan.action_submit()
    plan.action_approve()
    plan.action_post()
    assert plan.state == "done", plan.state


def count_full_setup(env):
    plan = _create_count_plan(env)
    plan.env.flush_all()
    return plan


def count_full(env, plan):
    """Start counting, enter 5,000 counts, submit, approve, post."""
    plan.action_start()
    _enter_counts(plan)
    count_post(env, plan.line_ids)


COUNT_FLOOR = """
SELECT q.product_id, q.location_id, q.quantity, q.quantity + (ARRAY[0, 1, -1])[(row_number() OVER (ORDER BY q.id) - 1) %% 3 + 1]
  FROM stock_quant q
 WHERE q.location_id = %(location)s AND q.quantity > 1 AND q.lot_id IS NULL
 ORDER BY q.id LIMIT 5000
"""


# ---------------------------------------------------------------------------- dashboard
def dashboard_load(env):
    env["jxc.dashboard"].get_dashboard_data("month")


DASHBOARD_FLOOR = """
SELECT date_trunc('month', s.date), SUM(s.value), SUM(s.opening_value), SUM(s.cogs_value), SUM(s.quantity)
  FROM jxc_inventory_snapshot s
 WHERE s.company_id = %(company)s AND s.date >= (date_trunc('month', now()) - interval '13 months')
 GROUP BY 1
"""


# ---------------------------------------------------------------------------- analyses: first page
ANALYSES = [
    # (model, action xml id, domain of the action's default filters, group-by of its defaults)
    ("jxc.inventory.snapshot", "jxc_addon.jxc_inventory_snapshot_action", None),
    ("jxc.turnover.report", "jxc_addon.jxc_turnover_report_action", None),
    ("jxc.dead.stock.report", "jxc_addon.jxc_dead_stock_report_action", ["|", ("stock_status", "=", "dead"),
                                                                         ("stock_status", "=", "slow")]),
    ("jxc.stock.aging.report", "jxc_addon.jxc_stock_aging_report_action", None),
    ("jxc.sales.report", "jxc_addon.jxc_sales_report_action", None),
    ("jxc.purchase.cost.report", "jxc_addon.jxc_purchase_cost_report_action", [("all_vendors", "=", False)]),
    ("jxc.count.accuracy.report", "jxc_addon.jxc_count_accuracy_report_action", None),
]


def _list_specification(env, model, action_xmlid):
    action = env.ref(action_xmlid)
    view_id = next((v.view_id.id for v in action.view_ids if v.view_mode == "list"), False)
    views = env[model].get_views([(view_id, "list")])
    arch_fields = views["views"]["list"]["arch"]
    # the list's <field name="..."/> in order, as the web client requests them
    names = []
    for name in re.findall(r'<field name="([a-z_0-9]+)"', arch_fields):
        if name not in names and name in env[model]._fields:
            names.append(name)
    spec = {}
    for name in names:
        field = env[model]._fields[name]
        spec[name] = {"fields": {"display_name": {}}} if field.type in ("many2one", "many2many") else {}
    return spec


class _Spec:
    """The fields the list requests (not a sized object: the benchmark counts items with len())."""

    def __init__(self, spec):
        self.spec = spec


def _first_page(model, action_xmlid, domain):
    def setup(env):
        return _Spec(_list_specification(env, model, action_xmlid))

    def run(env, holder):
        spec = holder.spec
        action = env.ref(action_xmlid)
        full = list(domain or []) + (eval(action.domain) if action.domain else [])  # noqa: S307 - our own XML
        env[model].web_search_read(full, spec, limit=PAGE)
    return setup, run


def _first_page_floor(model, domain):
    def floor(env):
        Model = env[model]
        query = Model._search(list(domain or []), order=Model._order, limit=PAGE)
        columns = [SQL.identifier(Model._table, name) for name, f in Model._fields.items()
                   if f.store and f.column_type and name not in ("create_uid", "write_uid")]
        return query.select(*columns)
    return floor


def odoo_quant_first_page(env):
    """Odoo's Inventory > Physical Inventory list, first page."""
    env["stock.quant"].with_context(inventory_mode=True).web_search_read(
        [("location_id.usage", "in", ["internal", "transit"])],
        {name: ({"fields": {"display_name": {}}} if name in ("product_id", "location_id", "lot_id", "owner_id",
                                                               "package_id", "product_uom_id", "company_id") else {})
         for name in ("product_id", "location_id", "lot_id", "package_id", "owner_id", "quantity",
                      "available_quantity", "product_uom_id", "inventory_quantity", "inventory_diff_quantity",
                      "inventory_date", "user_id", "company_id")}, limit=PAGE)


# ---------------------------------------------------------------------------- Excel exports
def abc_export(env):
    _default_profile(env).action_export_xlsx()


ABC_EXPORT_FLOOR = """
SELECT r.rank, pp.default_code, pt.name ->> 'en_US', r.abc_class, r.xyz_class, r.value, r.share, r.cumulative_share,
       r.demand_qty, r.demand_cv
  FROM jxc_abc_result r JOIN product_product pp ON pp.id = r.product_id JOIN product_template pt ON pt.id = pp.product_tmpl_id
 WHERE r.profile_id = (SELECT id FROM jxc_abc_profile WHERE is_default AND company_id = %(company)s LIMIT 1)
 ORDER BY r.rank, r.product_id
"""


def odoo_export_abc_results(env):
    """Odoo's own list export (Export button, the data part) of the same rows and columns."""
    results = env["jxc.abc.result"].search([("profile_id", "=", _default_profile(env).id)])
    results.export_data(["rank", "product_id", "abc_class", "xyz_class", "value", "share", "cumulative_share",
                         "demand_qty", "demand_cv"])


def supplier_export(env):
    _open_period(env).action_export_ranking()


def _report_export(model, domain):
    def run(env):
        env[model].with_context(active_domain=list(domain(env) if callable(domain) else domain)).action_export_xlsx()
    return run


def _report_odoo_export(model, domain):
    def run(env):
        Model = env[model]
        records = Model.search(list(domain(env) if callable(domain) else domain), order=Model._order)
        records.export_data([name for name, _t in Model._jxc_xlsx_fields])
    return run


def _report_export_floor(model, domain):
    def floor(env):
        Model = env[model]
        query = Model._search(list(domain(env) if callable(domain) else domain), order=Model._order)
        columns = [SQL.identifier(Model._table, name) for name, _t in Model._jxc_xlsx_fields]
        return query.select(*columns)
    return floor


def _last_month_end(env):
    last = env["jxc.inventory.snapshot"].search([("company_id", "=", env.company.id)], order="date desc", limit=1)
    return [("date", "=", last.date)]


def _this_year(env):
    return [("date", ">=", datetime.utcnow().date().replace(month=1, day=1))]


EXPORTS = [
    # (model, label, domain: all products of the current month end / this year / everything)
    ("jxc.inventory.snapshot", "inventory snapshot, last month end", _last_month_end),
    ("jxc.turnover.report", "turnover, last month end", _last_month_end),
    ("jxc.dead.stock.report", "slow-moving and dead stock, all products", []),
    ("jxc.stock.aging.report", "stock aging, all products", []),
    ("jxc.sales.report", "best sellers, this year", _this_year),
    ("jxc.purchase.cost.report", "purchase cost, this year", _this_year),
]


def policy_backtest(env):
    """Analysis > Policy Backtest > "Run Backtest": 365 days replayed for every product and
    warehouse under the proposed and the current rules, plus the exchange curve."""
    env["jxc.policy.backtest"].action_run()


def register_operations(bench):
    """Register every operation with ``bench`` (the benchmark module)."""
    register = bench.register
    bench.register_prepare(prepare)
    register("ABC/XYZ recomputation, all products (profile: Compute now)",
             lambda env: _default_profile(env).action_compute(),
             floor=ABC_FLOOR, floor_params=abc_params, target="≤ 2 × floor, ≤ 10 s, queries flat")
    register("Supplier evaluation, all vendors, open period (Compute)",
             lambda env: _open_period(env).action_compute(),
             floor=SUPPLIER_FLOOR, floor_params=supplier_params, odoo=odoo_vendor_on_time_rate,
             target="≤ 2 × floor, ≤ 10 s, queries flat")
    register("Safety stock / reorder points, all products × warehouses (Compute Reordering Rules)",
             safety_stock_compute, floor=SAFETY_FLOOR, floor_params=safety_params, odoo=bench.odoo_replenishment_open,
             target="≤ 2 × floor, ≤ 10 s, queries flat", runs=1, note="minutes long")
    register("Safety stock: update of every reordering rule (rules exist; service level 95 → 97 %; "
             "Odoo: recompute the same rules' stored quantities)",
             safety_stock_update, setup=safety_stock_update_setup, floor=SAFETY_FLOOR, floor_params=safety_params,
             odoo=odoo_orderpoint_recompute, odoo_setup=safety_stock_update_setup,
             target="≤ 2 × floor, ≤ 10 s, queries flat", runs=1)
    register("Policy backtest: 365 days × all products × warehouses, proposed and current rules, exchange curve "
             "(Run Backtest)", policy_backtest, target="≤ 60 s at S = 20, ≤ 1.5 GB", runs=1)
    register("Cycle-count plans due today, every warehouse (daily cron)",
             lambda env: env["jxc.count.cycle.rule"]._cron_create_due_plans(),
             floor=CYCLE_FLOOR, target="S=20 ÷ S=5 ≤ 4.5")
    register("Count plan of 5,000 lines: submit → approve → post (Odoo: Apply the same 5,000 counted quants)",
             count_post, setup=count_setup_counted,
             floor=COUNT_FLOOR, floor_params=lambda env: {"location": _count_location(env).id},
             odoo=bench.odoo_inventory_apply, odoo_setup=odoo_count_setup,
             target="≤ 1.2 × Odoo, ≤ 60 s")
    register("Count plan of 5,000 lines, whole flow: start → enter 5,000 counts → submit → approve → post",
             count_full, setup=count_full_setup, target="≤ 60 s")
    register("Dashboard data load (get_dashboard_data)", dashboard_load, floor=DASHBOARD_FLOOR,
             floor_params=lambda env: {"company": env.company.id}, target="≤ 1 s")
    for model, action, domain in ANALYSES:
        setup, run = _first_page(model, action, domain)
        register("First page (80 rows) of %s" % model, run, setup=setup, floor=_first_page_floor(model, domain),
                 odoo=odoo_quant_first_page if model == "jxc.inventory.snapshot" else None, target="≤ 1 s")
    register("Excel export: ABC/XYZ ranking, all products", abc_export, floor=ABC_EXPORT_FLOOR,
             floor_params=lambda env: {"company": env.company.id}, odoo=odoo_export_abc_results, target="≤ 15 s")
    register("Excel export: supplier ranking, open period", supplier_export, target="≤ 15 s")
    register("Excel export: count sheet of the 5,000-line plan", lambda env, lines: lines.plan_id.action_export_xlsx(),
             setup=count_setup_counted, target="≤ 15 s")
    for model, label, domain in EXPORTS:
        register("Excel export: %s" % label, _report_export(model, domain), floor=_report_export_floor(model, domain),
                 odoo=_report_odoo_export(model, domain), target="≤ 15 s")
