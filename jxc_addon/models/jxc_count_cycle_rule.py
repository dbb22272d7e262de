import logging
from datetime import date, timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.tools import SQL

from ..tools.checks import MAX_DAYS
from ..tools.company_day import local_date
from ..tools.company_users import works_for
from ..tools.cron_progress import run_steps
from ..tools.done_qty import DONE_QTY, DONE_QTY_JOINS
from .jxc_count_plan import inventory_adjustment_sql

_logger = logging.getLogger(__name__)

RULE_TYPES = [
    ("abc", "Periodic by ABC Class"),
    ("turnover", "Value Turned Over"),
    ("zero", "Zero Confirmation"),
]


class JxcCountCycleRule(models.Model):
    """When a warehouse's products and locations are due for a cycle count.

    - abc: a product of class A/B/C/N is due when the days of its class have passed (in
      company days) since its last count in the warehouse (never counted: due now);
    - turnover: a product is due when the value of its done outgoing moves since its last
      count reaches a threshold;
    - zero: a location that became empty (after a move out) is due for a confirmation.
    A product's last count is the oldest of its last counts in the locations where it has
    stock now (one of them never counted it: never counted), so that a count of one shelf
    does not vouch for the others.
    The daily scheduled action turns what is due into count plans, at most
    ``max_lines_per_day`` lines per rule and day, the most overdue first; the rest waits for
    the next days.
    """

    _name = "jxc.count.cycle.rule"
    _description = "Cycle Count Rule"
    _order = "warehouse_id, sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    warehouse_id = fields.Many2one("stock.warehouse", required=True, check_company=True)
    rule_type = fields.Selection(RULE_TYPES, string="Type", required=True, default="abc")
    days_a = fields.Integer(string="Class A Every (days)", default=30)
    days_b = fields.Integer(string="Class B Every (days)", default=90)
    days_c = fields.Integer(string="Class C Every (days)", default=365)
    days_n = fields.Integer(string="Class N Every (days)", default=0, help="0: products of class N are not counted.")
    turnover_value = fields.Monetary(
        string="Value Turned Over",
        help="A product still in stock in the warehouse is due when the cost value of what left the warehouse since "
        "its last count reaches this amount: the value Odoo booked on its deliveries, its cost on transfers to "
        "another warehouse of the company (Odoo books none).",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    max_lines_per_day = fields.Integer(string="Max Lines per Day", default=200, required=True)
    blind = fields.Boolean(string="Blind Counts", default=True)
    user_id = fields.Many2one(
        "res.users", string="Responsible", domain="[('share', '=', False)]",
        default=lambda self: self._default_user_id(),
        help="Responsible for the rule's count plans, who gets their to-do. Empty: the user who "
        "created the rule, if still an active user of the counts.",
    )
    last_run = fields.Datetime(readonly=True, copy=False)
    last_plan_date = fields.Date(
        string="Last Plan Day", readonly=True, copy=False,
        help="The company's day the rule last made a count plan: one plan a day at most.",
    )
    plan_ids = fields.One2many("jxc.count.plan", "cycle_rule_id", string="Plans", readonly=True)

    @api.constrains("max_lines_per_day", "days_a", "days_b", "days_c", "days_n", "turnover_value", "rule_type")
    def _check_values(self):
        for rule in self:
            if rule.max_lines_per_day < 1:
                raise ValidationError(self.env._("%(rule)s must allow at least 1 line per day.", rule=rule.name))
            if min(rule.days_a, rule.days_b, rule.days_c, rule.days_n) < 0:
                raise ValidationError(self.env._("The count intervals of %(rule)s cannot be negative.", rule=rule.name))
            if max(rule.days_a, rule.days_b, rule.days_c, rule.days_n) > MAX_DAYS:
                raise ValidationError(self.env._(
                    "The count intervals of %(rule)s must be %(max)s days (ten years) or fewer; 0 leaves a class "
                    "uncounted.", rule=rule.name, max=MAX_DAYS))
            if rule.rule_type == "turnover" and rule.turnover_value <= 0:
                raise ValidationError(self.env._(
                    "%(rule)s counts by value turned over: enter a positive value threshold.", rule=rule.name))

    def _default_user_id(self):
        # not OdooBot, when a rule is created by the system (data files, shell)
        return self.env.user if self._is_count_responsible(self.env.user, self.env.company) else False

    # --- what is due ---------------------------------------------------------------
    def _get_locations(self):
        return self.env["stock.location"].search([
            ("id", "child_of", self.warehouse_id.view_location_id.id), ("usage", "=", "internal"),
            ("company_id", "=", self.company_id.id),
        ])

    def _get_last_count_query(self, locations):
        """SELECT (product_id, date_done): the last count of each product in these locations,
        when it was counted (not when its plan was posted, maybe days later: the next cycle and
        the turnover since count from the count).

        A product is counted at a location by a posted count plan, or by an adjustment of its
        quant in Odoo's Physical Inventory (a done inventory move to or from an inventory loss
        location, dated as Odoo dates the quant's last count), whichever is later. A posted plan
        adjusts and confirms its quants through the same inventory moves, dated when it was
        posted: those up to its posting are the plan's own, the count is when it was counted.

        For a product with stock in them now: the oldest, over the locations holding it, of
        its last count there; NULL when one of them never counted it. A count of one
        location (a zero confirmation of an emptied shelf, a plan of one aisle) says nothing
        of the stock elsewhere. For a product without stock there: its last count."""
        return SQL(
            """
            WITH planned AS (
                SELECT l.product_id, l.location_id, MAX(COALESCE(l.counted_at, p.date_done)) AS date_done,
                       MAX(p.date_done) AS posted
                  FROM jxc_count_line l
                  JOIN jxc_count_plan p ON p.id = l.plan_id
                 WHERE p.state = 'done' AND p.company_id = %(company)s AND l.location_id = ANY(%(locs)s)
                 GROUP BY l.product_id, l.location_id
            ), adjustment_lines AS (
                -- a loss or a confirmed quantity, then a gain: each read from the inventory side
                -- (the few inventory locations), not from all the moves of the warehouse
                %(losses)s
                UNION ALL
                %(gains)s
            ), adjusted AS (
                SELECT product_id, location_id, MAX(date) AS date_done
                  FROM adjustment_lines
                 GROUP BY product_id, location_id
            ), counted AS (
                SELECT COALESCE(c.product_id, a.product_id) AS product_id,
                       COALESCE(c.location_id, a.location_id) AS location_id,
                       GREATEST(c.date_done, CASE WHEN c.posted IS NULL OR a.date_done > c.posted THEN a.date_done END)
                           AS date_done
                  FROM planned c
                  FULL JOIN adjusted a ON a.product_id = c.product_id AND a.location_id = c.location_id
            ), stocked AS (
                SELECT DISTINCT q.product_id, q.location_id
                  FROM stock_quant q
                 WHERE q.location_id = ANY(%(locs)s) AND q.quantity != 0
            )
            SELECT s.product_id, CASE WHEN BOOL_AND(c.date_done IS NOT NULL) THEN MIN(c.date_done) END
              FROM stocked s
              LEFT JOIN counted c ON c.product_id = s.product_id AND c.location_id = s.location_id
             GROUP BY s.product_id
            UNION ALL
            SELECT c.product_id, MAX(c.date_done)
              FROM counted c
             WHERE NOT EXISTS (SELECT 1 FROM stocked s WHERE s.product_id = c.product_id)
             GROUP BY c.product_id
            """,
            company=self.company_id.id, locs=locations.ids,
            losses=self._adjustment_lines_sql(locations, "location_id", "dl"),
            gains=self._adjustment_lines_sql(locations, "location_dest_id", "sl"),
        )

    @api.model
    def _adjustment_lines_sql(self, locations, counted_side, inventory_end):
        """SELECT (product_id, location_id, date) of the done lines of Odoo's inventory
        adjustments of ``locations`` not posted by a count plan: ``counted_side`` the column of
        the counted location ("location_id": a loss or a confirmation, "location_dest_id": a
        gain), ``inventory_end`` the alias of the inventory location at the other end."""
        return SQL(
            """SELECT ml.product_id, %(counted)s, ml.date
                 FROM stock_move_line ml
                 JOIN stock_move m ON m.id = ml.move_id
                 JOIN stock_location sl ON sl.id = ml.location_id
                 JOIN stock_location dl ON dl.id = ml.location_dest_id
                WHERE %(inventory)s.usage = 'inventory' AND %(counted)s = ANY(%(locs)s) AND ml.state = 'done'
                  AND m.jxc_count_plan_id IS NULL AND %(adjustment)s""",
            counted=SQL.identifier("ml", counted_side), inventory=SQL.identifier(inventory_end), locs=locations.ids,
            adjustment=inventory_adjustment_sql("m", "sl", "dl"),
        )

    def _flush_last_count_fields(self):
        """Write what ``_get_last_count_query`` reads to the database."""
        self.env["jxc.count.plan"].flush_model(["state", "company_id", "date_done"])
        self.env["jxc.count.line"].flush_model(["plan_id", "product_id", "location_id", "counted_at"])
        self.env["stock.move"].flush_model(["is_inventory", "jxc_count_plan_id"])
        self.env["stock.move.line"].flush_model(["state", "product_id", "location_id", "location_dest_id", "date",
                                                 "move_id"])
        self.env["stock.location"].flush_model(["usage"])
        self.env["stock.quant"].flush_model(["product_id", "location_id", "quantity"])

    def _get_last_count_dates(self, locations):
        """{product_id: last count (``_get_last_count_query``), None: never counted}."""
        self._flush_last_count_fields()
        return dict(self.env.execute_query(self._get_last_count_query(locations)))

    def _get_busy_product_ids(self, locations):
        """Products already in an open plan of these locations, or in a draft cycle plan of the
        warehouse (a rule's plan of yesterday not started yet). A plan made by hand still in draft
        counts nothing yet: a forgotten one would hold back its products' cycle counts."""
        # the many-to-many table as the ORM named it (a rename of the field or model follows)
        products = self.env["jxc.count.plan"]._fields["product_ids"]
        rows = self.env.execute_query(SQL(
            """SELECT l.product_id FROM jxc_count_line l JOIN jxc_count_plan p ON p.id = l.plan_id
                WHERE p.state IN ('in_progress', 'counted', 'approved') AND l.location_id = ANY(%s)
               UNION
               SELECT r.%s FROM %s r
                 JOIN jxc_count_plan p ON p.id = r.%s
                WHERE p.state = 'draft' AND p.cycle_rule_id IS NOT NULL AND p.warehouse_id = %s""",
            locations.ids, SQL.identifier(products.column2), SQL.identifier(products.relation),
            SQL.identifier(products.column1), self.warehouse_id.id,
        ))
        return {product_id for (product_id,) in rows}

    def _get_due_product_ids(self, now):
        """Due products, most urgent first."""
        self.ensure_one()
        self.env.flush_all()
        locations = self._get_locations()
        busy = self._get_busy_product_ids(locations)
        if self.rule_type == "abc":
            last_counts = self._get_last_count_dates(locations)
            # negative stock too: the plan's snapshot counts it, and it is the first to check
            stocked = self.env["stock.quant"].sudo()._read_group(
                [("location_id", "in", locations.ids), ("quantity", "!=", 0), ("product_id.is_storable", "=", True)],
                ["product_id"],
            )
            days = {"a": self.days_a, "b": self.days_b, "c": self.days_c, "n": self.days_n}
            today = local_date(self.company_id, now)
            due = []
            for (product,) in stocked:
                if product.id in busy:
                    continue
                abc_class = product.with_company(self.company_id).jxc_abc_class or "n"
                interval = days[abc_class]
                if not interval:
                    continue
                # company days: a count posted late in the evening is due on the same day of
                # the next cycle as one posted in the morning
                last = last_counts.get(product.id)
                due_date = local_date(self.company_id, last) + timedelta(days=interval) if last else date.min
                if due_date <= today:
                    due.append((due_date, "abcn".index(abc_class), product.id))
            # the longest overdue first, then the most valuable class
            return [product_id for _due_date, _class, product_id in sorted(due)]
        if self.rule_type == "turnover":
            # Odoo books no value on a transfer to another of the company's warehouses (both ends
            # valued): it turns the goods over at their cost all the same. Only what is left in
            # the warehouse can be counted (negative stock too, as the ABC rule).
            rows = self.env.execute_query(SQL(
                """WITH last(product_id, date_done) AS (%(last)s), turned AS (
                       SELECT m.product_id,
                              CASE WHEN m.value != 0 THEN ABS(m.value)
                                   ELSE %(qty)s * COALESCE((mpp.standard_price ->> %(company_key)s)::numeric, 0)
                              END AS value
                         FROM stock_move m
                         %(qty_joins)s
                         LEFT JOIN last ON last.product_id = m.product_id
                        WHERE m.state = 'done' AND m.company_id = %(company)s AND m.location_id = ANY(%(locs)s)
                          AND NOT m.location_dest_id = ANY(%(locs)s) AND m.is_inventory IS NOT TRUE AND mpt.is_storable
                          AND m.date > COALESCE(last.date_done, '1970-01-01') AND m.date <= %(now)s
                          AND EXISTS (SELECT 1 FROM stock_quant q WHERE q.product_id = m.product_id
                                         AND q.location_id = ANY(%(locs)s) AND q.quantity != 0))
                   SELECT product_id, SUM(value) AS turned
                     FROM turned
                    GROUP BY product_id
                   HAVING SUM(value) >= %(threshold)s
                    ORDER BY turned DESC, product_id""",
                company=self.company_id.id, company_key=str(self.company_id.id), locs=locations.ids, now=now,
                threshold=self.turnover_value, qty=DONE_QTY, qty_joins=DONE_QTY_JOINS,
                last=self._get_last_count_query(locations),
            ))
            return [product_id for product_id, _turned in rows if product_id not in busy]
        return []

    def _get_emptied_locations(self, now):
        """Locations with nothing left after a move out (zero confirmation), oldest first:
        moved out since the rule's last run, or since the last zero confirmation of the
        location (when its count started) when it is more recent; a location an open zero
        confirmation still covers waits for it. Returns (locations, the start of each one's
        window, the number of products that left each one since: its lines)."""
        self.ensure_one()
        self.env.flush_all()
        locations = self._get_locations()
        since = self.last_run or (now - timedelta(days=1))
        plan_locations = self.env["jxc.count.plan"]._fields["location_ids"]
        rows = self.env.execute_query(SQL(
            """WITH planned AS (
                   SELECT r.%(rel_location)s AS location_id, MAX(COALESCE(p.snapshot_date, p.create_date)) AS at,
                          BOOL_OR(p.state != 'done') AS open
                     FROM jxc_count_plan p JOIN %(rel)s r ON r.%(rel_plan)s = p.id
                    WHERE p.zero_confirmation AND p.state != 'cancel' AND r.%(rel_location)s = ANY(%(locs)s)
                    GROUP BY r.%(rel_location)s)
               SELECT ml.location_id, GREATEST(%(since)s, COALESCE(MAX(planned.at), %(since)s)),
                      COUNT(DISTINCT ml.product_id)
                 FROM stock_move_line ml JOIN stock_move m ON m.id = ml.move_id
                 JOIN stock_location sl ON sl.id = ml.location_id
                 JOIN stock_location dl ON dl.id = ml.location_dest_id
                 JOIN product_product pp ON pp.id = ml.product_id
                 JOIN product_template pt ON pt.id = pp.product_tmpl_id
                 LEFT JOIN planned ON planned.location_id = ml.location_id
                WHERE ml.state = 'done' AND ml.company_id = %(company)s AND ml.location_id = ANY(%(locs)s)
                  AND ml.location_dest_id != ml.location_id AND NOT %(adjustment)s AND pt.is_storable
                  AND ml.date > GREATEST(%(since)s, COALESCE(planned.at, %(since)s)) AND ml.date <= %(now)s
                  AND NOT COALESCE(planned.open, FALSE)
                GROUP BY ml.location_id
               HAVING NOT EXISTS (SELECT 1 FROM stock_quant q WHERE q.location_id = ml.location_id AND q.quantity > 0)
                ORDER BY MIN(ml.date), ml.location_id""",
            company=self.company_id.id, locs=locations.ids, since=since, now=now,
            adjustment=inventory_adjustment_sql("m", "sl", "dl"), rel=SQL.identifier(plan_locations.relation), rel_plan=SQL.identifier(plan_locations.column1),
            rel_location=SQL.identifier(plan_locations.column2),
        ))
        return (self.env["stock.location"].browse([location_id for location_id, _start, _count in rows]),
                [start for _location_id, start, _count in rows], [count for _location_id, _start, count in rows])

    # --- plan creation -------------------------------------------------------------
    def _create_due_plans(self, now=None):
        """Create the plans due today for these rules; returns the plans."""
        now = now or fields.Datetime.now()
        plans = self.env["jxc.count.plan"]
        for rule in self:
            today = local_date(rule.company_id, now)
            if rule.last_plan_date == today:
                continue  # the day's plan is made: a second run the same day would double its lines
            vals = rule._prepare_plan_vals(now)
            # emptied locations beyond the day's limit: the window stays open for tomorrow
            more_due = bool(vals) and vals.pop("more_due", False)
            if vals:
                plan = plans.create(vals)
                rule._schedule_plan_activity(plan)
                plans |= plan
                rule.last_plan_date = today
            if not more_due:
                rule.last_run = now
        return plans

    @api.model
    def _is_count_responsible(self, user, company):
        """Whether ``user`` can be told of a count plan of ``company``: an active internal user
        of that company who may work on count plans (OdooBot, whom the scheduled action runs
        as, is none: nobody reads its to-dos)."""
        return works_for(user, company)

    def _get_responsible(self):
        """Who is responsible for the rule's plans: its Responsible; for a rule without one (or
        whose Responsible left), the user who created it. That user set the rule up for this
        warehouse, is a count manager (only managers create rules) and is who the field's
        default would have named. Nobody when neither is an active user of the counts."""
        self.ensure_one()
        for user in (self.user_id, self.create_uid):
            if self._is_count_responsible(user, self.company_id):
                return user
        return self.env["res.users"]

    def _schedule_plan_activity(self, plan):
        """The to-do of a new plan for its responsible, in the responsible's language."""
        self.ensure_one()
        if not plan.user_id:
            _logger.warning(
                "Cycle count rule %s (id %s): no active internal user of the counts to be responsible for "
                "plan %s; set the rule's Responsible. The plan is created without a to-do.",
                self.name, self.id, plan.name,
            )
            return
        rule = self.with_context(lang=plan.user_id.lang)
        plan.activity_schedule(
            "mail.mail_activity_data_todo", date_deadline=plan.date_scheduled, user_id=plan.user_id.id,
            summary=rule.env._("Cycle count due (%(rule)s)", rule=rule.name),
        )

    def _prepare_plan_vals(self, now):
        self.ensure_one()
        base = {
            "company_id": self.company_id.id,
            "warehouse_id": self.warehouse_id.id,
            "count_type": "cycle",
            "cycle_rule_id": self.id,
            "blind": self.blind,
            "user_id": self._get_responsible().id,
            "date_scheduled": local_date(self.company_id, now),
        }
        if self.rule_type == "zero":
            locations, starts, line_counts = self._get_emptied_locations(now)
            if not locations:
                return None
            # the oldest locations whose lines fit in the day's limit (the first one whatever its lines)
            taken, lines = 1, line_counts[0]
            while taken < len(locations) and lines + line_counts[taken] <= self.max_lines_per_day:
                lines += line_counts[taken]
                taken += 1
            return dict(base, location_ids=[Command.set(locations[:taken].ids)], include_children=False,
                        zero_confirmation=True, zero_since=min(starts[:taken]), more_due=len(locations) > taken)
        product_ids = self._get_due_product_ids(now)
        if not product_ids:
            return None
        line_counts = dict(self.env["stock.quant"].sudo()._read_group(
            [("location_id", "in", self._get_locations().ids), ("product_id", "in", product_ids), ("quantity", "!=", 0)],
            ["product_id"], ["__count"],
        ))
        selected, total = [], 0
        for product_id in product_ids:
            lines = line_counts.get(self.env["product.product"].browse(product_id), 1)
            if selected and total + lines > self.max_lines_per_day:
                break
            selected.append(product_id)
            total += lines
        return dict(base, product_ids=[Command.set(selected)])

    @api.model
    def _cron_create_due_plans(self, use_new_cursor=False):
        """Every hour: create the due cycle-count plans, rule by rule; a failing rule is logged and
        skipped. Each call takes the rules not looked at yet on their company's today (no plan
        made, no run): each rule once per company day, in the first run after the company's
        midnight; Odoo calls the job again while its time is up, and those calls go on where the
        last one stopped."""
        plans = []
        now = fields.Datetime.now()

        def looked_at_today(rule):
            today = local_date(rule.company_id, now)
            return rule.last_plan_date == today or bool(rule.last_run) and local_date(rule.company_id, rule.last_run) == today

        def create(rule):
            plans.append(rule.with_company(rule.company_id)._create_due_plans(now))

        # an archived company is left alone, as by Odoo's own scheduler (res.company.search([]))
        todo = self.search([("company_id.active", "=", True)]).filtered(lambda rule: not looked_at_today(rule))
        run_steps(self.env, todo, create, _logger, "Cycle count rule %s (id %s) failed; skipped.",
                  use_new_cursor=use_new_cursor, describe=lambda rule: (rule.name, rule.id))
        return self.env["jxc.count.plan"].union(*plans)
