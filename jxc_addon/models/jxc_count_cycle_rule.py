import logging
from datetime import datetime, timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.tools import SQL

from ..tools.company_day import local_date

_logger = logging.getLogger(__name__)

RULE_TYPES = [
    ("abc", "Periodic by ABC Class"),
    ("turnover", "Value Turned Over"),
    ("zero", "Zero Confirmation"),
]


class JxcCountCycleRule(models.Model):
    """When a warehouse's products and locations are due for a cycle count.

    - abc: a product of class A/B/C/N is due when its last count in the warehouse is older
      than the days of its class (never counted: due now);
    - turnover: a product is due when the value of its done outgoing moves since its last
      count reaches a threshold;
    - zero: a location that became empty (after a move out) is due for a confirmation.
    The daily scheduled action turns what is due into count plans, at most
    ``max_lines_per_day`` lines per rule and day; the rest waits for the next days.
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
        help="A product is due when the cost value of its outgoing moves since its last count reaches this amount.",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    max_lines_per_day = fields.Integer(string="Max Lines per Day", default=200, required=True)
    blind = fields.Boolean(string="Blind Counts", default=True)
    user_id = fields.Many2one("res.users", string="Responsible", domain="[('share', '=', False)]")
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
            if rule.rule_type == "turnover" and rule.turnover_value <= 0:
                raise ValidationError(self.env._(
                    "%(rule)s counts by value turned over: enter a positive value threshold.", rule=rule.name))

    # --- what is due ---------------------------------------------------------------
    def _get_locations(self):
        return self.env["stock.location"].search([
            ("id", "child_of", self.warehouse_id.view_location_id.id), ("usage", "=", "internal"),
            ("company_id", "=", self.company_id.id),
        ])

    def _get_last_count_dates(self, locations):
        """{product_id: last posting of a count of the product in these locations}."""
        rows = self.env.execute_query(SQL(
            """SELECT l.product_id, MAX(p.date_done) FROM jxc_count_line l
                 JOIN jxc_count_plan p ON p.id = l.plan_id
                WHERE p.state = 'done' AND p.company_id = %s AND l.location_id = ANY(%s)
                GROUP BY l.product_id""",
            self.company_id.id, locations.ids,
        ))
        return dict(rows)

    def _get_busy_product_ids(self, locations):
        """Products already in an open plan of these locations (or in a draft cycle plan)."""
        # the many-to-many table as the ORM named it (a rename of the field or model follows)
        products = self.env["jxc.count.plan"]._fields["product_ids"]
        rows = self.env.execute_query(SQL(
            """SELECT l.product_id FROM jxc_count_line l JOIN jxc_count_plan p ON p.id = l.plan_id
                WHERE p.state IN ('in_progress', 'counted', 'approved') AND l.location_id = ANY(%s)
               UNION
               SELECT r.%s FROM %s r
                 JOIN jxc_count_plan p ON p.id = r.%s
                WHERE p.state = 'draft' AND p.warehouse_id = %s""",
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
        last_counts = self._get_last_count_dates(locations)
        if self.rule_type == "abc":
            stocked = self.env["stock.quant"].sudo()._read_group(
                [("location_id", "in", locations.ids), ("quantity", ">", 0), ("product_id.is_storable", "=", True)],
                ["product_id"],
            )
            days = {"a": self.days_a, "b": self.days_b, "c": self.days_c, "n": self.days_n}
            due = []
            for (product,) in stocked:
                if product.id in busy:
                    continue
                interval = days.get(product.with_company(self.company_id).jxc_abc_class or "n")
                last = last_counts.get(product.id)
                if interval and (not last or last <= now - timedelta(days=interval)):
                    due.append((last or datetime.min, product.id))
            return [product_id for _last, product_id in sorted(due)]
        if self.rule_type == "turnover":
            rows = self.env.execute_query(SQL(
                """WITH last AS (
                        SELECT l.product_id, MAX(p.date_done) AS date_done FROM jxc_count_line l
                          JOIN jxc_count_plan p ON p.id = l.plan_id
                         WHERE p.state = 'done' AND p.company_id = %(company)s AND l.location_id = ANY(%(locs)s)
                         GROUP BY l.product_id)
                   SELECT m.product_id, SUM(ABS(m.value)) AS turned
                     FROM stock_move m LEFT JOIN last ON last.product_id = m.product_id
                    WHERE m.state = 'done' AND m.company_id = %(company)s AND m.location_id = ANY(%(locs)s)
                      AND NOT m.location_dest_id = ANY(%(locs)s) AND m.is_inventory IS NOT TRUE
                      AND m.date > COALESCE(last.date_done, '1970-01-01') AND m.date <= %(now)s
                    GROUP BY m.product_id
                   HAVING SUM(ABS(m.value)) >= %(threshold)s
                    ORDER BY turned DESC, m.product_id""",
                company=self.company_id.id, locs=locations.ids, now=now, threshold=self.turnover_value,
            ))
            return [product_id for product_id, _turned in rows if product_id not in busy]
        return []

    def _get_emptied_locations(self, now):
        """Locations with nothing left after a move out (zero confirmation), oldest first:
        moved out since the rule's last run, or since the last zero confirmation of the
        location when it is more recent; a location an open zero confirmation still covers
        waits for it. Returns (locations, the earliest window start)."""
        self.ensure_one()
        self.env.flush_all()
        locations = self._get_locations()
        since = self.last_run or (now - timedelta(days=1))
        plan_locations = self.env["jxc.count.plan"]._fields["location_ids"]
        rows = self.env.execute_query(SQL(
            """WITH planned AS (
                   SELECT r.%(rel_location)s AS location_id, MAX(p.create_date) AS at,
                          BOOL_OR(p.state != 'done') AS open
                     FROM jxc_count_plan p JOIN %(rel)s r ON r.%(rel_plan)s = p.id
                    WHERE p.zero_confirmation AND p.state != 'cancel' AND r.%(rel_location)s = ANY(%(locs)s)
                    GROUP BY r.%(rel_location)s)
               SELECT ml.location_id, GREATEST(%(since)s, COALESCE(MAX(planned.at), %(since)s))
                 FROM stock_move_line ml JOIN stock_move m ON m.id = ml.move_id
                 LEFT JOIN planned ON planned.location_id = ml.location_id
                WHERE ml.state = 'done' AND ml.company_id = %(company)s AND ml.location_id = ANY(%(locs)s)
                  AND ml.location_dest_id != ml.location_id AND m.is_inventory IS NOT TRUE
                  AND ml.date > GREATEST(%(since)s, COALESCE(planned.at, %(since)s)) AND ml.date <= %(now)s
                  AND NOT COALESCE(planned.open, FALSE)
                GROUP BY ml.location_id
               HAVING NOT EXISTS (SELECT 1 FROM stock_quant q WHERE q.location_id = ml.location_id AND q.quantity > 0)
                ORDER BY MIN(ml.date), ml.location_id""",
            company=self.company_id.id, locs=locations.ids, since=since, now=now,
            rel=SQL.identifier(plan_locations.relation), rel_plan=SQL.identifier(plan_locations.column1),
            rel_location=SQL.identifier(plan_locations.column2),
        ))
        return self.env["stock.location"].browse([location_id for location_id, _start in rows]), [
            start for _location_id, start in rows]

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
                plan.activity_schedule(
                    "mail.mail_activity_data_todo", date_deadline=plan.date_scheduled, user_id=plan.user_id.id,
                    summary=self.env._("Cycle count due (%(rule)s)", rule=rule.name),
                )
                plans |= plan
                rule.last_plan_date = today
            if not more_due:
                rule.last_run = now
        return plans

    def _prepare_plan_vals(self, now):
        self.ensure_one()
        base = {
            "company_id": self.company_id.id,
            "warehouse_id": self.warehouse_id.id,
            "count_type": "cycle",
            "cycle_rule_id": self.id,
            "blind": self.blind,
            "user_id": (self.user_id or self.env.user).id,
            "date_scheduled": local_date(self.company_id, now),
        }
        if self.rule_type == "zero":
            locations, starts = self._get_emptied_locations(now)
            if not locations:
                return None
            limit = self.max_lines_per_day
            return dict(base, location_ids=[Command.set(locations[:limit].ids)], include_children=False,
                        zero_confirmation=True, zero_since=min(starts[:limit]), more_due=len(locations) > limit)
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
        """Daily: create the due cycle-count plans, rule by rule; a failing rule is logged and skipped."""
        rules = self.search([])
        if use_new_cursor:
            self.env["ir.cron"]._commit_progress(remaining=len(rules))
        plans = self.env["jxc.count.plan"]
        for rule in rules:
            try:
                with self.env.cr.savepoint():
                    plans |= rule.with_company(rule.company_id)._create_due_plans()
            except Exception:
                _logger.exception("Cycle count rule %s (id %s) failed; skipped.", rule.name, rule.id)
            if use_new_cursor and not self.env["ir.cron"]._commit_progress(1):
                break
        return plans
