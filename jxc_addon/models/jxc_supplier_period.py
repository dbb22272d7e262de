import logging
import math
from collections import defaultdict
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import LockError, UserError, ValidationError
from odoo.fields import Command
from odoo.tools import SQL
from odoo.tools.misc import format_date

from ..tools.client_defaults import check_client_defaults
from ..tools.company_day import company_today, local_date_sql, local_midnight_utc
from ..tools.counts import count_by
from ..tools.cron_progress import run_steps
from ..tools.done_qty import DONE_QTY, DONE_QTY_JOINS
from ..tools.orm_batch import bulk_write
from ..tools.warehouse_border import vendor_delivery_sql, vendor_location_sql
from ..tools.window_action import window_action

_logger = logging.getLogger(__name__)


def line_mean_sql(part, whole):
    """The two aggregates of a rate measured per order line (on time, in full, defective):
    the sum of the lines' shares ``part`` / ``whole``, each between 0 and 1, and the number of
    lines with a ``whole`` to measure. Their ratio (``line_rate``) is the mean share of the lines:
    each line counts the same whatever its product's unit and quantity; 1,000 kg of flour and
    10 machines are two lines, not 1,010 of anything."""
    return SQL(
        "SUM(LEAST(GREATEST(%(part)s, 0) / %(whole)s, 1.0)) FILTER (WHERE %(whole)s > 0), "
        "COUNT(*) FILTER (WHERE %(whole)s > 0)",
        part=part, whole=whole,
    )


def line_rate(share_sum, lines):
    """The mean share in % of ``lines`` order lines whose shares add up to ``share_sum``
    (``line_mean_sql``); None without a line."""
    return share_sum * 100.0 / lines if lines else None


class JxcSupplierPeriod(models.Model):
    """A month or quarter over which every vendor of the company is evaluated.

    Computing an open period (nightly cron or button) upserts one ``jxc.supplier.evaluation``
    per vendor graded in it (``_is_graded``: it delivered or had goods due), from one aggregate
    query per criterion over all vendors. A closed
    period is frozen: its evaluations can no longer be recomputed or edited.
    """

    _name = "jxc.supplier.period"
    _description = "Supplier Evaluation Period"
    _inherit = ["mail.thread"]
    _order = "date_from desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    period_type = fields.Selection(
        [("month", "Month"), ("quarter", "Quarter")], required=True, default="month",
    )
    date_from = fields.Date(required=True, string="From")
    date_to = fields.Date(
        string="To", compute="_compute_date_to", store=True, help="Last day of the period (included).",
    )
    state = fields.Selection(
        [("open", "Open"), ("closed", "Closed")], required=True, default="open", tracking=True,
        help="Open periods are recomputed every night; closed periods are frozen.",
    )
    computed_at = fields.Datetime(string="Last Computed", readonly=True)
    can_close = fields.Boolean(
        compute="_compute_can_close",
        help="The period has ended, and the on-time tolerance of its last day is over: it may be closed.")
    evaluation_ids = fields.One2many("jxc.supplier.evaluation", "period_id", string="Evaluations")
    evaluation_count = fields.Integer(compute="_compute_evaluation_count")

    _unique_period = models.Constraint(
        "UNIQUE(company_id, period_type, date_from)", "This evaluation period already exists for the company.",
    )
    _dates_ordered = models.Constraint("CHECK(date_from <= date_to)", "A period cannot end before it starts.")

    @api.depends("period_type", "date_from")
    def _compute_name(self):
        for period in self:
            if not period.date_from:
                period.name = False
            elif period.period_type == "quarter":
                period.name = "%s Q%s" % (period.date_from.year, (period.date_from.month - 1) // 3 + 1)
            else:
                period.name = period.date_from.strftime("%Y-%m")

    @api.depends("period_type", "date_from")
    def _compute_date_to(self):
        for period in self:
            period.date_to = period.date_from and self._get_period_dates(period.period_type, period.date_from)[1]

    @api.constrains("period_type", "date_from")
    def _check_date_from(self):
        for period in self:
            start = self._get_period_dates(period.period_type, period.date_from)[0]
            if period.date_from != start:
                raise ValidationError(self.env._(
                    "An evaluation period starts on the first day of its month or quarter: use %(start)s.",
                    start=start,
                ))

    def _compute_evaluation_count(self):
        counts = count_by(self, "jxc.supplier.evaluation", "period_id")
        for period in self:
            period.evaluation_count = counts.get(period, 0)

    # --- periods -------------------------------------------------------------------
    @api.model
    def _get_period_dates(self, period_type, day):
        """(first day, last day) of the month or quarter containing ``day``."""
        if period_type == "quarter":
            start = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
            return start, start + relativedelta(months=3, days=-1)
        start = day.replace(day=1)
        return start, start + relativedelta(months=1, days=-1)

    @api.model
    def _get_or_create_period(self, company, day):
        date_from = self._get_period_dates(company.jxc_supplier_period_type, day)[0]
        period = self.search([
            ("company_id", "=", company.id),
            ("period_type", "=", company.jxc_supplier_period_type),
            ("date_from", "=", date_from),
        ], limit=1)
        return period or self.create({
            "company_id": company.id,
            "period_type": company.jxc_supplier_period_type,
            "date_from": date_from,
        })

    def _get_utc_bounds(self):
        """[start, stop) of the period as naive UTC datetimes (midnights in the company's timezone)."""
        self.ensure_one()
        company = self.company_id
        return local_midnight_utc(company, self.date_from), local_midnight_utc(company, self.date_to + relativedelta(days=1))

    def _get_previous_period(self):
        self.ensure_one()
        return self.search([
            ("company_id", "=", self.company_id.id),
            ("period_type", "=", self.period_type),
            ("date_from", "<", self.date_from),
        ], order="date_from desc", limit=1)

    def _check_open(self):
        closed = self.filtered(lambda p: p.state == "closed")
        if closed:
            raise UserError(self.env._(
                "The supplier evaluation period %(periods)s is closed and cannot change. "
                "A manager can reopen it first.",
                periods=", ".join(closed.mapped("name")),
            ))

    def _lock_open(self, share=False):
        """Lock the periods for this transaction, then check they are still open.

        Computing and closing a period take this row lock first: a second transaction doing
        either at the same time is refused at once (never a second set of evaluations, never
        evaluations written into a period another user just closed), and the state is read
        again after locking so that a close committed meanwhile is seen. With ``share`` (a
        manual score saved), a lock that many transactions may hold at once, but not beside
        a computation or a close: a score is never saved into a period being closed.
        """
        if share:
            locked = len(self.env.execute_query(SQL(
                "SELECT id FROM jxc_supplier_period WHERE id = ANY(%s) FOR SHARE SKIP LOCKED", self.ids,
            ))) == len(set(self.ids))
        else:
            try:
                self.lock_for_update(allow_referencing=True)
                locked = True
            except LockError:
                locked = False
        if not locked:
            raise UserError(self.env._(
                "The supplier evaluation period %(periods)s is being computed or closed by another user "
                "right now; try again in a moment.",
                periods=", ".join(self.mapped("name")),
            ))
        self.invalidate_recordset(["state"])
        self._check_open()

    # --- actions -------------------------------------------------------------------
    def action_compute(self):
        self._check_open()
        for period in self.sorted("date_from"):
            period._compute_evaluations()
        return True

    @api.model_create_multi
    def create(self, vals_list):
        # a new period is open and not computed: its status and computation are its buttons'
        # (one created closed would never be evaluated), whatever a client's defaults say
        vals_list = check_client_defaults(self, vals_list, {"state", "computed_at", "date_to", "name"},
                                          self._check_new_period_vals)
        return super().create(vals_list)

    @api.model
    def _check_new_period_vals(self, vals_list):
        if any(vals.get("state", "open") != "open" or vals.get("computed_at") for vals in vals_list):
            raise UserError(self.env._(
                "A new supplier evaluation period is open and not computed yet: create it without a status or "
                "computation date, then use its buttons (Compute, Close)."))
        if any({"date_to", "name"} & vals.keys() for vals in vals_list):
            raise UserError(self.env._(
                "A supplier evaluation period ends and is named by its type and first day: create it with those "
                "only (a month or a quarter from its first day)."))

    def write(self, vals):
        # A period's evaluations are the record of its vendors' standing in its dates: moving
        # a period, or closing it past its lock, would make them speak of another month.
        fixed = set(vals) & {"company_id", "period_type", "date_from", "date_to", "name", "state", "computed_at"}
        if fixed and not self.env.su:
            raise UserError(self.env._(
                "The company, type and dates of a supplier evaluation period are fixed, and its status and "
                "computation are set by its buttons (Compute, Close, Reopen): %(fields)s cannot be written. "
                "Create the period you need instead.",
                fields=", ".join(sorted(fixed)),
            ))
        return super().write(vals)

    def _get_first_close_day(self):
        """The first day (the company's) the period may be closed: after its last day and the
        on-time tolerance after it."""
        self.ensure_one()
        return self.date_to + timedelta(days=self.company_id.jxc_supplier_on_time_tolerance + 1)

    @api.depends("state", "date_to", "company_id.jxc_supplier_on_time_tolerance")
    def _compute_can_close(self):
        for period in self:
            period.can_close = period.state == "open" and bool(period.date_to) \
                and period._get_first_close_day() <= company_today(period.company_id)

    def action_close(self):
        """Close ended periods with what they hold now: computed again first, not left at the
        last nightly computation (a receipt of the last afternoon, a return since)."""
        self.check_access("write")
        running = self.filtered(lambda period: period.date_to >= company_today(period.company_id))
        if running:
            raise UserError(self.env._(
                "%(periods)s has not ended yet: close a period once its last day is over, so that its evaluations "
                "count all its receipts.", periods=", ".join(running.mapped("name")),
            ))
        # the fill rate counts a line once its planned day and the on-time tolerance are over
        # (_get_fill_due_before): closed earlier, the period's last lines would never count
        waiting = self.filtered(lambda period: period._get_first_close_day() > company_today(period.company_id))
        if waiting:
            raise UserError(self.env._(
                "%(periods)s can be closed once the on-time tolerance of its last day is over too (%(days)s "
                "day(s)): a line planned then is not unfilled before. Close it on %(date)s or later.",
                periods=", ".join(waiting.mapped("name")), days=waiting[0].company_id.jxc_supplier_on_time_tolerance,
                date=format_date(self.env, waiting[0]._get_first_close_day()),
            ))
        for period in self.sorted("date_from"):
            period._compute_evaluations()
        self._lock_open()
        self.sudo().write({"state": "closed"})
        return True

    def action_reopen(self):
        self.check_access("write")
        closed = self.filtered(lambda period: period.state == "closed")
        closed.sudo().write({"state": "open"})
        return True

    @api.ondelete(at_uninstall=False)
    def _unlink_except_closed(self):
        closed = self.filtered(lambda p: p.state == "closed")
        if closed:
            raise UserError(self.env._(
                "The supplier evaluation period %(periods)s is closed: its evaluations are the record of its vendors' "
                "standing and cannot be deleted. A manager can reopen it first if it really must go.",
                periods=", ".join(closed.mapped("name")),
            ))

    def unlink(self):
        # The evaluations go with their period (cascade in the database): their vendors then
        # take the standing of their remaining latest evaluation, or none.
        vendors = [(period.company_id, period.evaluation_ids.partner_id) for period in self]
        result = super().unlink()
        Partner = self.env["res.partner"]
        for company, partners in vendors:
            Partner._update_jxc_supplier_standing(partners, company)
        return result

    @api.readonly
    def action_open_evaluations(self):
        return window_action(self.env, "jxc_addon.jxc_supplier_evaluation_action", [("period_id", "in", self.ids)])

    @api.readonly
    def action_export_ranking(self):
        self.ensure_one()
        return self.env["jxc.xlsx"]._action_download(
            "supplier_ranking_%s.xlsx" % self.name.replace(" ", "_"),
            self.env._("Supplier Ranking"),
            self._prepare_ranking_sheets(),
            filters=[(self.env._("Period"), "%s (%s .. %s)" % (self.name, self.date_from, self.date_to))],
            company=self.company_id,
        )

    def _prepare_ranking_sheets(self):
        self.ensure_one()
        Criterion = self.env["jxc.supplier.criterion"]
        Evaluation = self.env["jxc.supplier.evaluation"]
        criteria = self.evaluation_ids.line_ids.criterion_id.sorted(lambda c: (c.sequence, c.id)) or Criterion
        # the purchase volume only for whoever may read it (buyers and managers, not warehouse keepers)
        with_volume = Evaluation._has_field_access(Evaluation._fields["purchase_amount"], "read")
        columns = [
            {"title": self.env._("Rank"), "type": "int", "width": 6},
            {"title": self.env._("Vendor"), "type": "char", "width": 30},
            {"title": self.env._("Score"), "type": "float"},
            {"title": self.env._("Grade"), "type": "char", "width": 7},
            {"title": self.env._("Change"), "type": "float"},
        ]
        columns += [{"title": c.name, "type": "float", "width": 14} for c in criteria]
        if with_volume:
            columns.append({"title": self.env._("Purchase Volume"), "type": "monetary", "total": True, "width": 16})
        columns.append({"title": self.env._("At Risk"), "type": "char", "width": 30})
        rows = []
        # ranked on the score as the sheet shows it (two decimals): equal scores share a rank (1, 1, 3),
        # by name within it
        shown = {evaluation: round(evaluation.score, 2) for evaluation in self.evaluation_ids}
        evaluations = self.evaluation_ids.sorted(lambda e: (-shown[e], e.partner_id.name or ""))
        for position, evaluation in enumerate(evaluations):
            if not position or shown[evaluation] != shown[evaluations[position - 1]]:
                rank = position + 1
            scores = {line.criterion_id: line.score for line in evaluation.line_ids if line.has_data}
            rows.append(
                [rank, evaluation.partner_id.display_name, evaluation.score, (evaluation.grade or "").upper(),
                 evaluation.score_change if evaluation.has_previous else None]
                + [scores.get(c) for c in criteria]
                + ([evaluation.purchase_amount] if with_volume else [])
                + [evaluation.risk_reason or ""]
            )
        return [{"title": self.name, "columns": columns, "rows": rows}]

    # --- scheduled action ------------------------------------------------------------
    @api.model
    def _cron_compute_supplier_evaluations(self, use_new_cursor=False):
        """Every hour: make sure each company's current and previous period exist, so that a
        vendor's standing (grade, score, risk: its evaluation of the last period that has ended,
        see ``res.partner._update_jxc_supplier_standing``) follows the company's month from its
        midnight; then recompute every open period once per day of its company, in the first
        run after the company's midnight.

        With ``use_new_cursor`` (the cron), progress is committed after each period and a
        period that fails is logged and skipped.
        """
        # the other companies still get their periods and standings when one fails
        run_steps(self.env, self.env["res.company"].search([]), self._prepare_company_periods, _logger,
                  "Supplier periods and standings of company %s failed; skipped.")
        periods = self.search([("state", "=", "open"), ("company_id.active", "=", True)], order="date_from, id")
        if use_new_cursor:
            # The periods not computed yet since their company's midnight: a run cut short by the
            # time limit, called again, goes on with them. One computed the day before is computed
            # again, with what was received since, and so is one computed before it ended (a
            # buyer's Compute on the period's last afternoon).
            now = fields.Datetime.now()
            since = {company: local_midnight_utc(company, company_today(company)) for company in periods.company_id}
            periods = periods.filtered(lambda period: not period.computed_at or period.computed_at < since[period.company_id]
                                       or period.computed_at < period._get_utc_bounds()[1] <= now)
        run_steps(self.env, periods,
                  lambda period: period._compute_evaluations(), _logger,
                  "Supplier evaluation of period %s (company %s) failed; skipped.", use_new_cursor=use_new_cursor,
                  describe=lambda period: (period.name, period.company_id.name))

    @api.model
    def _prepare_company_periods(self, company):
        """The current and the previous period of ``company`` exist; the previous one, just
        ended, gives its vendors their standing even when it is not recomputed tonight (closed
        before its end, or computed earlier tonight)."""
        today = company_today(company)
        current = self._get_or_create_period(company, today)
        # the day before the current period: the month or quarter just ended (the month before
        # today is still the current quarter in its second and third months)
        previous = self._get_or_create_period(company, current.date_from - relativedelta(days=1))
        self.env["res.partner"]._update_jxc_supplier_standing(previous.evaluation_ids.partner_id, company)

    # --- computation -----------------------------------------------------------------
    def _compute_evaluations(self):
        """Upsert the evaluations of the period: the existing evaluations and their lines are
        updated in one UPDATE each (bulk_write), the new ones created in one ORM create, the
        evaluations of vendors without data any more deleted."""
        self.ensure_one()
        self.check_access("write")  # the evaluations are then written in superuser mode
        self._lock_open()
        company = self.company_id
        criteria = self.env["jxc.supplier.criterion"]._get_jxc_criteria(company)
        data = self._get_evaluation_data(criteria)
        previous = {e.partner_id.id: e for e in self._get_previous_period().evaluation_ids}
        Evaluation = self.env["jxc.supplier.evaluation"].sudo()
        Line = self.env["jxc.supplier.evaluation.line"].sudo()
        # existing evaluations and lines in one query each (the ORM reads them in batches of 1,000)
        existing = dict(self.env.execute_query(SQL(
            "SELECT partner_id, id FROM jxc_supplier_evaluation WHERE period_id = %s", self.id,
        )))
        old_lines = {}
        for evaluation_id, criterion_id, line_id in self.env.execute_query(SQL(
            """SELECT l.evaluation_id, l.criterion_id, l.id FROM jxc_supplier_evaluation_line l
               JOIN jxc_supplier_evaluation e ON e.id = l.evaluation_id WHERE e.period_id = %s""", self.id,
        )):
            old_lines.setdefault(evaluation_id, {})[criterion_id] = line_id
        updates, update_ids = [], []
        line_updates, line_update_ids, line_creates, line_unlinks = [], [], [], []
        to_create = []
        for partner_id, partner_data in data.items():
            lines = self._prepare_line_vals(criteria, partner_data)
            if not self._is_graded(partner_data, lines):
                continue
            vals = self._prepare_evaluation_vals(partner_id, partner_data, lines, previous.get(partner_id))
            evaluation_id = existing.get(partner_id)
            if evaluation_id:
                for key in ("period_id", "partner_id", "company_id"):  # the evaluation's own: unchanged
                    del vals[key]
                updates.append(vals)
                update_ids.append(evaluation_id)
                evaluation_lines = old_lines.get(evaluation_id, {})
                for cid, line_vals in lines.items():
                    if cid in evaluation_lines:
                        line_updates.append({k: v for k, v in line_vals.items() if k != "criterion_id"})
                        line_update_ids.append(evaluation_lines[cid])
                    else:
                        line_creates.append(dict(line_vals, evaluation_id=evaluation_id))
                line_unlinks += [line_id for cid, line_id in evaluation_lines.items() if cid not in lines]
            else:
                vals["line_ids"] = [Command.create(line_vals) for line_vals in lines.values()]
                to_create.append(vals)
        touched = Evaluation.browse(update_ids)
        bulk_write(touched, updates)
        bulk_write(Line.browse(line_update_ids), line_updates)
        Line.browse(line_unlinks).unlink()
        Line.create(line_creates)
        touched |= Evaluation.create(to_create)
        stale = Evaluation.browse(existing.values()) - touched
        stale_partners = stale.partner_id
        stale.unlink()
        self.sudo().computed_at = fields.Datetime.now()
        self.env["res.partner"]._update_jxc_supplier_standing(touched.partner_id | stale_partners, company)
        return touched

    @api.model
    def _is_graded(self, partner_data, lines):
        """Whether the vendor gets an evaluation (score, grade, risk) for the period: it delivered
        or had order lines due in it (data of the on-time or the fill-rate criterion), and a
        criterion the company weighs has data. Without deliveries, its prices, returns, incidents
        or manual scores alone would grade it (an open order's price alone makes a grade D and a
        block): such a vendor is not graded for the period, as a vendor without data; its manual
        scores stay and count once it is. Without a weighted criterion with data there is nothing
        to score."""
        delivered = partner_data.get("received_qty") or partner_data.get("fill_lines")
        return bool(delivered) and any(line["has_data"] and line["weight"] > 0 for line in lines.values())

    def _prepare_line_vals(self, criteria, partner_data):
        """{criterion id: line values}, with the weights re-normalised over the criteria that have data.

        A criterion of weight 0 keeps its measured value on its line but takes no part in the
        score; the caller evaluates only vendors with data in a weighted criterion."""
        lines = {}
        for criterion in criteria:
            raw, score = self._get_criterion_score(criterion, partner_data)
            lines[criterion.id] = {
                "criterion_id": criterion.id,
                "has_data": raw is not None,
                "raw_value": raw or 0.0,
                "score": score or 0.0,
                "weight": criterion.weight,
            }
        weight_with_data = sum(v["weight"] for v in lines.values() if v["has_data"])
        for line in lines.values():
            used = line["weight"] * 100.0 / weight_with_data if line["has_data"] and weight_with_data else 0.0
            line["weight_used"] = used
            line["weighted_score"] = line["score"] * used / 100.0
        return lines

    @api.model
    def _get_criterion_score(self, criterion, d):
        """(raw value, 0-100 score) of one criterion, or (None, None) without data. See SCORING_RULES."""
        raw = self._get_criterion_raw(criterion, d)
        if raw is None:
            return None, None
        scale = criterion.scale
        scores = {
            "quality": lambda: max(0.0, 100.0 - raw * 100.0 / scale),
            "price": lambda: min(100.0, max(0.0, 50.0 + (100.0 - raw) * 50.0 / scale)),
            "lead_time": lambda: max(0.0, 100.0 - (raw + d["lead_time_stddev"] / 2.0) * 100.0 / scale),
        }
        score = scores[criterion.criterion_type]() if criterion.criterion_type in scores else raw
        return raw, score

    @api.model
    def _get_criterion_raw(self, criterion, d):
        # the rates measured on deliveries are means over order lines (line_rate), never ratios of
        # quantities of different products
        raws = {
            "on_time": lambda: line_rate(d.get("on_time_sum", 0.0), d.get("received_lines")),
            "fill_rate": lambda: line_rate(d.get("fill_sum", 0.0), d.get("fill_lines")),
            "quality": lambda: line_rate(d.get("defect_sum", 0.0), d.get("defect_lines")),
            "price": lambda: d.get("price_index"),
            "lead_time": lambda: d.get("lead_time_lateness"),
            "manual": lambda: d.get("manual", {}).get(criterion.id),
        }
        return raws[criterion.criterion_type]()

    def _prepare_evaluation_vals(self, partner_id, d, lines, previous):
        company = self.company_id
        weighted = [line for line in lines.values() if line["has_data"]]
        score = round(sum(line["weighted_score"] for line in weighted), 2)
        on_time_rate = line_rate(d.get("on_time_sum", 0.0), d.get("received_lines"))
        fill_rate = line_rate(d.get("fill_sum", 0.0), d.get("fill_lines"))
        vals = {
            "period_id": self.id,
            "partner_id": partner_id,
            "company_id": company.id,
            "score": score,
            "grade": company._get_jxc_supplier_grade(score),
            "has_previous": bool(previous),
            "previous_score": previous.score if previous else 0.0,
            "score_change": round(score - previous.score, 2) if previous else 0.0,
            "purchase_amount": d.get("purchase_amount", 0.0),
            "ordered_qty": d.get("ordered_qty", 0.0),
            "received_qty": d.get("received_qty", 0.0),
            "on_time_qty": d.get("on_time_qty", 0.0),
            "returned_qty": d.get("returned_qty", 0.0),
            "incident_qty": d.get("incident_qty", 0.0),
            "received_line_count": d.get("received_lines", 0),
            "on_time_rate": on_time_rate or 0.0,
            "fill_line_count": d.get("fill_lines", 0),
            "fill_rate": fill_rate or 0.0,
            "lead_time_mean": d.get("lead_time_mean", 0.0),
            "lead_time_stddev": d.get("lead_time_stddev", 0.0),
            "lead_time_count": d.get("lead_time_count", 0),
        }
        # the facts of the risk under the company's settings of today; the evaluation words them
        vals["risk_score_drop"] = bool(previous) and -vals["score_change"] > company.jxc_supplier_score_drop
        late = on_time_rate is not None and on_time_rate < company.jxc_supplier_on_time_min
        vals["risk_on_time_min"] = company.jxc_supplier_on_time_min if late else 0.0
        vals["risk"] = vals["grade"] == "d" or vals["risk_score_drop"] or late
        return vals

    # --- data: one aggregate query per criterion over all vendors --------------------
    def _get_evaluation_data(self, criteria):
        """{commercial vendor id: {measure: value}} for every vendor with activity in the period."""
        self.ensure_one()
        # The queries below read the tables directly: write pending ORM changes first.
        self.env.flush_all()
        data = {}

        def merge(rows):
            for partner_id, values in rows.items():
                data.setdefault(partner_id, {}).update(values)

        start, stop = self._get_utc_bounds()
        merge(self._get_receipt_data(start, stop))
        merge(self._get_fill_rate_data(start, stop))
        merge(self._get_return_data(start, stop))
        incidents = self._get_incident_data()
        merge(incidents)
        merge(self._get_defect_data(start, stop, incidents))
        merge(self._get_price_data(start, stop))
        merge(self._get_lead_time_data(start, stop))
        merge(self._get_manual_data())
        return data

    def _get_kit_line_sql(self, line):
        """SQL condition, on the purchase order line of alias ``line``, of the lines bought as
        a kit: received as their components, whose moves are not quantities of the line's
        product. The queries here leave them out; jxc_mrp measures them as Odoo counts a kit
        received. No line without mrp."""
        return SQL("FALSE")

    def _get_vendor_moves_sql(self, direction, start, stop):
        """FROM and WHERE of the company's done moves of purchase lines from the vendor
        (``direction`` "receipt") or back to it ("return") in [start, stop) (``start`` None:
        before ``stop``): the move ``m`` with DONE_QTY's joins, its order line ``pol``, order
        ``po`` and vendor ``p``. The lines of a kit are left out (``_get_kit_line_sql``)."""
        location = SQL("m.location_id") if direction == "receipt" else SQL("m.location_dest_id")
        # a replacement or a return sent back is no delivery of the vendor's (the return is quality's)
        own = vendor_delivery_sql(SQL("m")) if direction == "receipt" else SQL("TRUE")
        return SQL(
            """FROM stock_move m
              %(qty_joins)s
              JOIN stock_location vendor_loc ON vendor_loc.id = %(location)s
              JOIN purchase_order_line pol ON pol.id = m.purchase_line_id
              JOIN purchase_order po ON po.id = pol.order_id
              JOIN res_partner p ON p.id = po.partner_id
             WHERE m.state = 'done' AND %(from_vendor)s AND m.company_id = %(company)s
               AND %(start)s AND m.date < %(stop)s AND NOT %(kit)s AND %(own)s""",
            qty_joins=DONE_QTY_JOINS, location=location, company=self.company_id.id, stop=stop, own=own,
            start=SQL("m.date >= %s", start) if start else SQL("TRUE"),
            from_vendor=vendor_location_sql(SQL("vendor_loc")), kit=self._get_kit_line_sql(SQL("pol")),
        )

    def _get_receipt_data(self, start, stop):
        """Received and on-time quantities (product UoM) of the receipts done in the period, and
        the on-time rate of the vendor's order lines received in it.

        One row per receipt move from a vendor location: a move is counted once whatever its
        move lines, returns (to the vendor) are not deliveries, and both the arrival and the
        planned date are compared as dates in the company's timezone. Each order line's
        received and on-time quantities are capped at what the line ordered: over-delivering
        one line on time does not make up for another line delivered late. The on-time rate is
        the mean over the lines received in the period of each line's on-time / received
        quantity ("on_time_sum" / "received_lines", ``line_mean_sql``), as the fill rate: the
        quantities of different products (kilograms, units) are never added up into it; the
        summed quantities are only shown.
        """
        return {pid: values for (_bucket, pid), values in self._get_receipt_data_by_period([start, stop]).items()}

    def _get_receipt_data_by_period(self, bounds):
        """``_get_receipt_data`` of every period [bounds[i], bounds[i + 1]) in one query:
        {(i + 1, vendor id): {"received_qty", "on_time_qty", "on_time_sum", "received_lines"}}
        (the dashboard's 24 months).

        A line received over several periods counts in each what it brought there of what it
        ordered: its running totals capped at the ordered quantity, at the period's end less
        at its start (6 of 10 in April, 8 more in May: May counts 4), and it is one of the lines
        of each period it brought something in."""
        company = self.company_id
        rows = self.env.execute_query(SQL(
            """
            WITH lines AS (
                -- bucket 0: the line's receipts before the first period, which it continues
                SELECT width_bucket(m.date, %(bounds)s::timestamp[]) AS bucket,
                       pol.id AS line_id, p.commercial_partner_id AS partner_id,
                       MAX(pol.product_uom_qty) AS ordered,
                       SUM(%(qty)s) AS received,
                       SUM(CASE WHEN %(arrived)s <= %(planned)s + %(tol)s
                                THEN %(qty)s ELSE 0 END) AS on_time
                  %(moves)s
                   AND pol.id IN (SELECT purchase_line_id FROM stock_move
                                   WHERE state = 'done' AND company_id = %(company)s AND purchase_line_id IS NOT NULL
                                     AND date >= %(first)s AND date < %(last)s)
                 GROUP BY 1, 2, 3
            ), running AS (
                SELECT l.*, SUM(l.received) OVER line AS received_to, SUM(l.on_time) OVER line AS on_time_to
                  FROM lines l
                WINDOW line AS (PARTITION BY l.line_id ORDER BY l.bucket)
            ), counted AS (
                SELECT bucket, partner_id,
                       LEAST(received_to, ordered) - LEAST(received_to - received, ordered) AS received,
                       LEAST(on_time_to, ordered) - LEAST(on_time_to - on_time, ordered) AS on_time
                  FROM running
                 WHERE bucket >= 1
            )
            SELECT bucket, partner_id, SUM(received), SUM(on_time), %(line_mean)s
              FROM counted
             GROUP BY bucket, partner_id
            """,
            qty=DONE_QTY, moves=self._get_vendor_moves_sql("receipt", None, bounds[-1]),
            company=company.id, first=bounds[0], last=bounds[-1],
            bounds=list(bounds), tol=company.jxc_supplier_on_time_tolerance,
            arrived=local_date_sql(company, SQL("m.date")), planned=local_date_sql(company, SQL("pol.date_planned")),
            line_mean=line_mean_sql(SQL("on_time"), SQL("received")),
        ))
        return {
            (bucket, pid): {
                "received_qty": received or 0.0, "on_time_qty": on_time or 0.0,
                "on_time_sum": on_time_sum or 0.0, "received_lines": lines,
            }
            for bucket, pid, received, on_time, on_time_sum, lines in rows
        }

    def _get_fill_due_before(self):
        """The UTC instant before which a line must be planned to count in the fill rate now:
        its planned day and the on-time tolerance after it are over (company days). A line
        planned on the period's last day is not unfilled the next morning, while the vendor
        is still on time."""
        company = self.company_id
        return local_midnight_utc(company, company_today(company) - timedelta(days=company.jxc_supplier_on_time_tolerance))

    def _get_fill_rate_data(self, start, stop):
        """Fill of the goods lines planned in the period and due by now (``_get_fill_due_before``:
        a line planned later in a month still open is not yet unfilled): "fill_sum" / "fill_lines" is the mean fill
        of the lines, each line's received / ordered quantity capped at 1, both in the
        product's unit (``product_uom_qty``). Received as Odoo's ``qty_received`` counts it
        (purchase_stock's ``_prepare_qty_received``): the receipts from the vendor less the
        returns to it that update the order (``to_refund``); a return that does not (the vendor
        replaces the goods) is not deducted, nor is its replacement, a return of the return,
        counted again. A vendor's products have different units (10 units and 3 dozen;
        kilograms): their quantities are not added up (``line_mean_sql``), as the service level
        of the deliveries."""
        rows = self.env.execute_query(SQL(
            """
            WITH lines AS (
                SELECT pol.id, pol.product_id, p.commercial_partner_id AS partner_id, pol.product_uom_qty AS ordered
                  FROM purchase_order_line pol
                  JOIN purchase_order po ON po.id = pol.order_id
                  JOIN res_partner p ON p.id = po.partner_id
                  JOIN product_product pp ON pp.id = pol.product_id
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                 WHERE po.state = 'purchase' AND po.company_id = %(company)s AND pol.display_type IS NULL
                   AND pt.type != 'service' AND pol.product_uom_qty > 0
                   AND pol.date_planned >= %(start)s AND pol.date_planned < %(stop)s AND pol.date_planned < %(due)s
                   AND NOT %(kit)s
            ), received AS (
                SELECT m.purchase_line_id, SUM(CASE
                       WHEN %(to_vendor)s THEN
                            CASE WHEN m.origin_returned_move_id IS NULL OR m.to_refund THEN -%(qty)s ELSE 0 END
                       WHEN om.id IS NOT NULL AND %(origin_to_vendor)s AND NOT COALESCE(m.to_refund, FALSE) THEN 0
                       ELSE %(qty)s END) AS qty
                  FROM stock_move m
                  JOIN lines ln ON ln.id = m.purchase_line_id AND ln.product_id = m.product_id
                  %(qty_joins)s
                  JOIN stock_location src ON src.id = m.location_id
                  JOIN stock_location dst ON dst.id = m.location_dest_id
                  LEFT JOIN stock_move om ON om.id = m.origin_returned_move_id
                  LEFT JOIN stock_location odst ON odst.id = om.location_dest_id
                 WHERE m.state = 'done' AND (%(from_vendor)s OR %(to_vendor)s)
                 GROUP BY m.purchase_line_id
            )
            SELECT l.partner_id, SUM(l.ordered), %(line_mean)s
              FROM lines l LEFT JOIN received r ON r.purchase_line_id = l.id
             GROUP BY l.partner_id
            """,
            line_mean=line_mean_sql(SQL("COALESCE(r.qty, 0)"), SQL("l.ordered")),
            qty=DONE_QTY, qty_joins=DONE_QTY_JOINS, company=self.company_id.id, start=start, stop=stop,
            from_vendor=vendor_location_sql(SQL("src")), to_vendor=vendor_location_sql(SQL("dst")),
            origin_to_vendor=vendor_location_sql(SQL("odst")), kit=self._get_kit_line_sql(SQL("pol")),
            due=self._get_fill_due_before(),
        ))
        return {
            pid: {"ordered_qty": ordered or 0.0, "fill_sum": fill_sum or 0.0, "fill_lines": count}
            for pid, ordered, fill_sum, count in rows
        }

    def _get_line_defects_sql(self, start, stop):
        """SELECT (line_id, partner_id, qty) of the order lines with returns to the vendor in the
        period, ``qty`` what those returns took back as defects: not what a line's receipts brought
        beyond what it ordered. Sending back an over-delivery (12 received of 10 ordered, 2
        returned) refuses goods never ordered, which says nothing of their quality; the receipts
        count at most the ordered quantity anyway. A line's returns count in the order they were
        made: the first ones up to its excess are the over-delivery's, in this period or before it."""
        return SQL(
            """
            WITH returned AS (
                SELECT pol.id AS line_id, p.commercial_partner_id AS partner_id,
                       MAX(pol.product_uom_qty) AS ordered,
                       COALESCE(SUM(%(qty)s) FILTER (WHERE m.date < %(start)s), 0) AS before,
                       COALESCE(SUM(%(qty)s) FILTER (WHERE m.date >= %(start)s), 0) AS during
                  %(returns)s
                 GROUP BY pol.id, p.commercial_partner_id
            ), received AS (
                SELECT pol.id AS line_id, SUM(%(qty)s) AS qty
                  %(receipts)s
                   AND pol.id IN (SELECT line_id FROM returned WHERE during > 0)
                 GROUP BY pol.id
            ), excess AS (
                SELECT r.line_id, r.partner_id, r.before, r.during,
                       GREATEST(COALESCE(rc.qty, 0) - r.ordered, 0) AS qty
                  FROM returned r LEFT JOIN received rc ON rc.line_id = r.line_id
                 WHERE r.during > 0
            )
            SELECT line_id, partner_id, GREATEST(before + during - qty, 0) - GREATEST(before - qty, 0) AS qty
              FROM excess
            """,
            qty=DONE_QTY, start=start,
            returns=self._get_vendor_moves_sql("return", None, stop),
            receipts=self._get_vendor_moves_sql("receipt", None, stop),
        )

    def _get_return_data(self, start, stop):
        """Quantities returned to the vendor in the period as defects (``_get_line_defects_sql``),
        shown beside the defect rate (``_get_defect_data``)."""
        rows = self.env.execute_query(SQL(
            "SELECT partner_id, SUM(qty) FROM (%s) defects GROUP BY partner_id", self._get_line_defects_sql(start, stop),
        ))
        return {pid: {"returned_qty": qty or 0.0} for pid, qty in rows}

    def _get_incident_data(self):
        """Quality incidents of the period: {vendor: {"incident_qty": quantity, "incidents":
        {product id (None: no product): quantity}}}."""
        groups = self.env["jxc.supplier.incident"]._read_group(
            [("company_id", "=", self.company_id.id), ("date", ">=", self.date_from), ("date", "<=", self.date_to)],
            ["partner_id", "product_id"], ["quantity:sum"],
        )
        result = {}
        for partner, product, qty in groups:
            values = result.setdefault(partner.commercial_partner_id.id, {"incident_qty": 0.0, "incidents": {}})
            values["incident_qty"] += qty
            values["incidents"][product.id or None] = values["incidents"].get(product.id or None, 0.0) + qty
        return result

    def _get_defect_data(self, start, stop, incidents):
        """Defect rate of the vendor's order lines: "defect_sum" / "defect_lines" is the mean over
        the lines received in the period or returned in it (``line_mean_sql``) of each line's
        defective share: what its returns of the period took back as defects
        (``_get_line_defects_sql``) and its part of the period's quality incidents, over what it
        received up to the period's end (at most what it ordered), at most 1. As the on-time and
        fill rates, never a ratio of quantities of different products.

        An incident (``incidents``: ``_get_incident_data``) is in its product's unit: it counts
        against the vendor's lines of that product, shared by what each received. Of a product no
        line of the period received (goods found defective after the month they came in), it
        counts against the vendor's last line of that product received before the period's end,
        a line of the period's mean: its share of that product, not of others in other units.
        One without a product, or of a product never received from the vendor, counts against
        all the period's lines, shared the same way."""
        keys = [(pid, product_id, qty) for pid, values in incidents.items()
                for product_id, qty in values["incidents"].items()]
        others = self._get_other_defect_lines(start, stop)
        rows = self.env.execute_query(SQL(
            """
            WITH defects AS (%(defects)s
            ), received AS (
                SELECT pol.id AS line_id, p.commercial_partner_id AS partner_id, pol.product_id,
                       MAX(pol.product_uom_qty) AS ordered,
                       COALESCE(SUM(%(qty)s) FILTER (WHERE m.date < %(start)s), 0) AS before,
                       SUM(%(qty)s) AS total
                  %(receipts)s
                   AND pol.id IN (SELECT purchase_line_id FROM stock_move
                                   WHERE state = 'done' AND company_id = %(company)s AND purchase_line_id IS NOT NULL
                                     AND date >= %(start)s AND date < %(stop)s)
                 GROUP BY pol.id, p.commercial_partner_id, pol.product_id
            ), lines AS (
                SELECT rc.partner_id, rc.product_id, LEAST(rc.total, rc.ordered) AS basis, COALESCE(d.qty, 0) AS defect
                  FROM received rc LEFT JOIN defects d ON d.line_id = rc.line_id
                 WHERE LEAST(rc.total, rc.ordered) > LEAST(rc.before, rc.ordered) OR d.qty > 0
                UNION ALL
                SELECT * FROM unnest(%(other_partners)s::int4[], %(other_products)s::int4[], %(other_bases)s::float8[],
                                     %(other_defects)s::float8[])
            ), incidents AS (
                SELECT * FROM unnest(%(partners)s::int4[], %(products)s::int4[], %(quantities)s::float8[])
                    AS i(partner_id, product_id, qty)
            ), earlier AS (
                -- the vendor's last line received before the period's end of each product an
                -- incident names and no line of the period is
                SELECT DISTINCT ON (p.commercial_partner_id, pol.product_id)
                       p.commercial_partner_id AS partner_id, pol.product_id,
                       LEAST(SUM(%(qty)s), MAX(pol.product_uom_qty))::float8 AS basis, 0::float8 AS defect
                  %(receipts)s
                   AND (p.commercial_partner_id, pol.product_id) IN (
                       SELECT i.partner_id, i.product_id FROM incidents i
                        WHERE NOT EXISTS (SELECT 1 FROM lines l WHERE l.partner_id = i.partner_id
                                                                  AND l.product_id = i.product_id))
                 GROUP BY pol.id, p.commercial_partner_id, pol.product_id
                 ORDER BY p.commercial_partner_id, pol.product_id, MAX(m.date) DESC, pol.id DESC
            ), all_lines AS (
                SELECT * FROM lines UNION ALL SELECT * FROM earlier WHERE basis > 0
            ), products AS (
                SELECT partner_id, product_id, SUM(basis) AS basis FROM all_lines GROUP BY partner_id, product_id
            ), product_rates AS (
                SELECT pr.partner_id, pr.product_id, SUM(i.qty) / NULLIF(MAX(pr.basis), 0) AS rate
                  FROM incidents i JOIN products pr ON pr.partner_id = i.partner_id AND pr.product_id = i.product_id
                 GROUP BY pr.partner_id, pr.product_id
            ), vendor_rates AS (
                SELECT v.partner_id, SUM(i.qty) / NULLIF(MAX(v.basis), 0) AS rate
                  FROM incidents i
                  JOIN (SELECT partner_id, SUM(basis) AS basis FROM all_lines GROUP BY partner_id) v ON v.partner_id = i.partner_id
                 WHERE NOT EXISTS (SELECT 1 FROM products pr WHERE pr.partner_id = i.partner_id AND pr.product_id = i.product_id)
                 GROUP BY v.partner_id
            )
            SELECT l.partner_id, %(line_mean)s
              FROM all_lines l
              LEFT JOIN product_rates pr ON pr.partner_id = l.partner_id AND pr.product_id = l.product_id
              LEFT JOIN vendor_rates vr ON vr.partner_id = l.partner_id
             GROUP BY l.partner_id
            """,
            defects=self._get_line_defects_sql(start, stop), qty=DONE_QTY, start=start, stop=stop,
            company=self.company_id.id, receipts=self._get_vendor_moves_sql("receipt", None, stop),
            partners=[key[0] for key in keys], products=[key[1] for key in keys], quantities=[key[2] for key in keys],
            other_partners=[line[0] for line in others], other_products=[line[1] for line in others],
            other_bases=[line[2] for line in others], other_defects=[line[3] for line in others],
            line_mean=line_mean_sql(
                SQL("l.defect + l.basis * (COALESCE(pr.rate, 0) + COALESCE(vr.rate, 0))"), SQL("l.basis")),
        ))
        return {pid: {"defect_sum": defect_sum or 0.0, "defect_lines": lines} for pid, defect_sum, lines in rows}

    def _get_other_defect_lines(self, start, stop):
        """[(vendor id, product id, received, defective)] of the order lines the base query
        leaves out (jxc_mrp: kits, received as their components), to count in the defect rate
        as lines of their own: what each received up to the period's end (at most what it
        ordered) and what its returns of the period took back as defects. The incidents are
        shared over them as over the others."""
        return []

    def _get_price_data(self, start, stop):
        """Purchase volume and spend-weighted price index of the orders confirmed in the period.

        Unit prices are taken in company currency (subtotal / order rate) per product UoM
        (subtotal / quantity in product UoM). The market price of a product is the quantity-
        weighted average of the vendors that charged for it; only products bought at a price
        from at least two vendors enter the index. A line at price 0 (a free sample, a
        replacement) is no price offered: it neither lowers the market price nor counts as a
        vendor of the product.
        """
        rows = self.env.execute_query(SQL(
            """
            WITH vp AS (
                SELECT p.commercial_partner_id AS partner_id, pol.product_id,
                       SUM(pol.price_subtotal / COALESCE(NULLIF(po.currency_rate, 0), 1)) AS spend,
                       -- the quantity bought at a price: free units do not lower the vendor's price
                       SUM(pol.product_uom_qty) FILTER (WHERE pol.price_subtotal > 0) AS qty
                  FROM purchase_order_line pol
                  JOIN purchase_order po ON po.id = pol.order_id
                  JOIN res_partner p ON p.id = po.partner_id
                 WHERE po.state = 'purchase' AND po.company_id = %(company)s AND pol.display_type IS NULL
                   AND po.date_approve >= %(start)s AND po.date_approve < %(stop)s
                 GROUP BY p.commercial_partner_id, pol.product_id
            ), market AS (
                SELECT product_id, SUM(spend) / SUM(qty) AS price, COUNT(*) AS vendors
                  FROM vp WHERE spend > 0 AND qty > 0 GROUP BY product_id
            )
            SELECT vp.partner_id, SUM(vp.spend),
                   SUM(CASE WHEN m.vendors >= 2 AND m.price > 0 AND vp.qty > 0 AND vp.spend > 0
                            THEN vp.spend * (vp.spend / vp.qty) / m.price END),
                   SUM(CASE WHEN m.vendors >= 2 AND m.price > 0 AND vp.qty > 0 AND vp.spend > 0
                            THEN vp.spend END)
              FROM vp LEFT JOIN market m ON m.product_id = vp.product_id
             GROUP BY vp.partner_id
            """,
            company=self.company_id.id, start=start, stop=stop,
        ))
        return {
            pid: {
                "purchase_amount": spend or 0.0,
                "price_index": weighted * 100.0 / base if base else None,
            }
            for pid, spend, weighted, base in rows
        }

    def _get_lead_time_data(self, start, stop):
        """Average lateness of the receipts and the spread of their deviations from the planned
        day, from the shared lead-time statistics.

        A receipt is late by its measured lead time less the later of the vendor's promised
        delay and the days to its order line's planned date: a buyer who orders ahead of need
        plans the goods for later than the vendor promised, and a vendor delivering on that date
        is not late (as the on-time criterion and Odoo's on-time rate judge it). A receipt on
        time or early is 0 days late: early is not late, and one receipt 10 days early does not
        make up for another 10 days late. A receipt of a product the vendor has no price for is
        left out of the lateness.

        The spread is that of the receipts' deviations from the day each was due, as the lateness
        dates it (in days, early negative; without a planned date or a promised delay, the lead
        time itself): the buyer asks each order for its own day, and a vendor delivering every
        order on the day asked is steady however far apart those days are. It is pooled
        within products: each product's sample variance weighted by its receipts less one (its
        degrees of freedom). A vendor that delivers a 2-day and a 30-day product, each exactly in
        its own time, is steady too. A product received once tells nothing of the spread."""
        company = self.company_id
        Line = self.env["purchase.order.line"]
        by_vendor = Line._get_jxc_lead_time_stats(start, stop, company)
        if not by_vendor:
            return {}
        by_product = Line._get_jxc_lead_time_stats(start, stop, company, by_product=True, with_receipts=True)
        # The shortest promised delay per (vendor, product) among the vendor's prices of the company
        # (or shared) for that variant or, without variant, for every active variant of the template;
        # one query (reading thousands of prices and variants through the ORM took most of the time).
        self.env["product.supplierinfo"].check_access("read")
        promised = {
            (partner_id, product_id): delay
            for partner_id, product_id, delay in self.env.execute_query(SQL(
                """
                SELECT sp.commercial_partner_id, pp.id, MIN(si.delay)
                  FROM product_supplierinfo si
                  JOIN res_partner sp ON sp.id = si.partner_id
                  JOIN product_product pp ON pp.product_tmpl_id = si.product_tmpl_id
                                         AND (si.product_id = pp.id OR (si.product_id IS NULL AND pp.active))
                 WHERE sp.commercial_partner_id = ANY(%(partners)s) AND pp.id = ANY(%(products)s)
                   AND (si.company_id = %(company)s OR si.company_id IS NULL)
                 GROUP BY sp.commercial_partner_id, pp.id
                """,
                partners=list({key[0] for key in by_product}), products=list({key[1] for key in by_product}),
                company=company.id,
            ))
        }
        late = {}
        for key, stats in by_product.items():
            if key in promised:
                delay = promised[key]
                # each receipt's own lateness, 0 when on time or early
                lateness = sum(max(days - (delay if planned is None else max(delay, planned)), 0.0)
                               for days, planned in stats["receipts"])
                total, count = late.get(key[0], (0.0, 0))
                late[key[0]] = (total + lateness, count + stats["count"])
        spread = {}
        for key, stats in by_product.items():
            # each receipt's deviation from the day it was due, as its lateness counts it (the
            # later of the promised delay and its line's planned day): orders planned 5 and 29
            # days out, each received on its day, are steady, not 17 days apart
            delay = promised.get(key)
            deviations = [days - (planned if delay is None else delay if planned is None else max(delay, planned))
                          if planned is not None or delay is not None else days
                          for days, planned in stats["receipts"]]
            mean = sum(deviations) / len(deviations)
            squares, freedom = spread.get(key[0], (0.0, 0))
            spread[key[0]] = (squares + sum((deviation - mean) ** 2 for deviation in deviations),
                              freedom + len(deviations) - 1)
        result = {}
        for partner_id, stats in by_vendor.items():  # keyed by commercial vendor
            total, count = late.get(partner_id, (0.0, 0))
            squares, freedom = spread.get(partner_id, (0.0, 0))
            result[partner_id] = {
                "lead_time_mean": stats["mean"],
                "lead_time_stddev": math.sqrt(squares / freedom) if freedom else 0.0,
                "lead_time_count": stats["count"],
                "lead_time_lateness": total / count if count else None,
            }
        return result

    def _get_manual_data(self):
        """{commercial vendor: {"manual": {criterion id: average score}}}: the scores given to a
        vendor and to its contacts count together, as one vendor's."""
        groups = self.env["jxc.supplier.manual.score"]._read_group(
            [("period_id", "=", self.id)], ["partner_id", "criterion_id"], ["score:sum", "__count"],
        )
        sums = defaultdict(lambda: [0.0, 0])
        for partner, criterion, total, count in groups:
            key = (partner.commercial_partner_id.id, criterion.id)
            sums[key][0] += total
            sums[key][1] += count
        result = {}
        for (partner_id, criterion_id), (total, count) in sums.items():
            result.setdefault(partner_id, {}).setdefault("manual", {})[criterion_id] = total / count
        return result
