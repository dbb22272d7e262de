from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools.window_action import window_action
from .res_partner import SUPPLIER_GRADES

# The rates of an evaluation that are means over order lines (the lead time: over receipts), and
# the field counting them: a group's figure is the mean over all the lines or receipts of its rows
# (``_read_group_select``); a row without any is no data, not a 0 in the mean.
LINE_RATE_COUNTS = {"on_time_rate": "received_line_count", "fill_rate": "fill_line_count",
                    "lead_time_mean": "lead_time_count"}


class JxcSupplierComputedMixin(models.AbstractModel):
    """Records that only the computation of their open period writes (``_check_writable``)."""

    _name = "jxc.supplier.computed.mixin"
    _description = "Computed Supplier Evaluation Record"

    def _check_writable(self):
        raise NotImplementedError

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records._check_writable()
        return records

    def write(self, vals):
        self._check_writable()
        return super().write(vals)

    def unlink(self):
        self._check_writable()
        return super().unlink()


class JxcSupplierEvaluation(models.Model):
    """Scorecard of one vendor for one period, written by ``jxc.supplier.period``."""

    _name = "jxc.supplier.evaluation"
    _inherit = ["jxc.supplier.computed.mixin"]
    _description = "Supplier Evaluation"
    _order = "date_from desc, score desc, id"
    _check_company_auto = True
    _rec_name = "partner_id"

    period_id = fields.Many2one(
        "jxc.supplier.period", required=True, ondelete="cascade", index=True,
        check_company=True, readonly=True,
    )
    partner_id = fields.Many2one("res.partner", string="Vendor", required=True, index=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_from = fields.Date(related="period_id.date_from", store=True, string="Period Start")
    date_to = fields.Date(related="period_id.date_to", store=True, string="Period End")
    period_type = fields.Selection(related="period_id.period_type", store=True)
    state = fields.Selection(related="period_id.state", string="Period Status")
    score = fields.Float(aggregator="avg", readonly=True, help="Weighted total score (0-100).")
    grade = fields.Selection(SUPPLIER_GRADES, readonly=True)
    has_previous = fields.Boolean(readonly=True)
    previous_score = fields.Float(aggregator="avg", readonly=True)
    score_change = fields.Float(
        string="Change", aggregator="avg", readonly=True,
        help="Score minus the score of the previous period (0 without a previous evaluation).",
    )
    # what the company spends with each vendor: for buyers and managers, not warehouse keepers
    purchase_amount = fields.Monetary(
        string="Purchase Volume", readonly=True, groups="jxc_addon.group_jxc_manager,purchase.group_purchase_user",
        help="Untaxed amount of the vendor's orders confirmed in the period, in company currency.",
    )
    ordered_qty = fields.Float(
        string="Ordered Qty (planned in period)", digits="Product Unit", readonly=True,
        help="Quantity of the order lines planned in the period and due (product unit).",
    )
    received_qty = fields.Float(
        digits="Product Unit", readonly=True,
        help="Quantity received from the vendor in the period (product unit), each order line counted "
        "up to its ordered quantity.",
    )
    on_time_qty = fields.Float(
        string="On-Time Qty", digits="Product Unit", readonly=True,
        help="Part of the received quantity that arrived by the planned date (plus the tolerance), "
        "each order line counted up to its ordered quantity. The on-time rate is not this quantity over the "
        "received quantity but the mean over the order lines received.",
    )
    returned_qty = fields.Float(digits="Product Unit", readonly=True)
    incident_qty = fields.Float(digits="Product Unit", readonly=True)
    received_line_count = fields.Integer(
        string="Order Lines Received", readonly=True,
        help="Order lines of the vendor that brought goods in the period: the on-time rate is the mean over them.",
    )
    on_time_rate = fields.Float(
        string="On-Time Rate (%)", aggregator="avg", readonly=True,
        help="Mean over the order lines received in the period of each line's on-time / received quantity "
        "(each line counted up to its ordered quantity): quantities of different products are not added up. "
        "Odoo's On-Time Delivery of the vendor adds up the quantities that arrived by the planned date and "
        "divides them by those ordered over the last 365 days, so the two differ.",
    )
    fill_rate = fields.Float(
        string="Fill Rate (%)", aggregator="avg", readonly=True,
        help="Mean fill of the order lines planned in the period and due (their planned day and the on-time "
        "tolerance over): each line's received / ordered quantity, at most 100 %. Quantities of different products "
        "are not added up.",
    )
    fill_line_count = fields.Integer(string="Order Lines Due", readonly=True)
    lead_time_mean = fields.Float(string="Lead Time (days)", aggregator="avg", readonly=True)
    lead_time_stddev = fields.Float(
        string="Lead Time Std. Dev. (days)", aggregator="avg", readonly=True,
        help="Spread of the receipts' deviations from the day their order lines were planned for (early or "
        "late), within each product: the sample standard deviations of the vendor's products pooled, each "
        "weighted by its receipts less one. Orders planned far apart, each received on its day, do not make "
        "it larger; a product received once adds nothing.",
    )
    lead_time_count = fields.Integer(string="Receipts Measured", readonly=True)
    risk = fields.Boolean(string="At Risk", readonly=True)
    # Why the vendor is at risk is kept as facts and worded when read, in the reader's language
    # (the nightly job works in its own): grade D, the score drop, the minimum on-time rate missed.
    risk_score_drop = fields.Boolean(
        string="Score Drop Risk", readonly=True,
        help="The score fell by more than the company allowed when the period was computed.",
    )
    risk_on_time_min = fields.Float(
        string="Minimum On-Time Rate Missed (%)", readonly=True,
        help="The company's minimum on-time rate that the vendor's on-time rate fell below (0 when it did not).",
    )
    risk_reason = fields.Char(compute="_compute_risk_reason", help="Why the vendor is at risk.")
    line_ids = fields.One2many("jxc.supplier.evaluation.line", "evaluation_id", string="Criteria", readonly=True)

    _unique_vendor_period = models.Constraint(
        "UNIQUE(period_id, partner_id)", "A vendor is evaluated once per period.",
    )

    @api.depends("partner_id", "period_id")
    def _compute_display_name(self):
        for evaluation in self:
            evaluation.display_name = "%s (%s)" % (evaluation.partner_id.display_name, evaluation.period_id.name)

    @api.depends("risk", "grade", "score", "risk_score_drop", "score_change", "risk_on_time_min", "on_time_rate")
    @api.depends_context("lang")
    def _compute_risk_reason(self):
        for evaluation in self:
            evaluation.risk_reason = "; ".join(evaluation._get_risk_reasons()) or False

    def _get_risk_reasons(self):
        """The reasons of the risk, worded in the environment's language."""
        self.ensure_one()
        if not self.risk:
            return []
        reasons = []
        if self.grade == "d":
            reasons.append(self.env._("grade D (score %(score)s)", score=self.score))
        if self.risk_score_drop:
            reasons.append(self.env._("score dropped by %(drop)s points", drop=round(-self.score_change, 2)))
        if self.risk_on_time_min:
            reasons.append(self.env._(
                "on-time rate %(rate)s %% below %(min)s %%", rate=round(self.on_time_rate, 1), min=self.risk_on_time_min,
            ))
        return reasons

    def _check_writable(self):
        # Only the period's computation writes evaluations, in superuser mode after checking
        # that the user may compute the period (a context key would be the client's word).
        if not self.env.su:
            raise UserError(self.env._(
                "Supplier evaluations are computed from the purchase data; recompute the period instead of editing them.",
            ))
        self.period_id._check_open()

    @api.readonly
    def action_print_scorecard(self):
        return self.env.ref("jxc_addon.jxc_supplier_evaluation_report_scorecard").report_action(self)

    def _read_group_select(self, aggregate_spec, query):
        """A group's on-time and fill rates are the means over all its order lines (received,
        due), as a vendor's are: each row's rate weighted by its lines (``LINE_RATE_COUNTS``),
        not the average of its rows, where a vendor with nothing received or due counts as 0 %.
        Its lead time likewise is the mean over all its receipts measured."""
        field_name, __, func = aggregate_spec.partition(":")
        if func == "avg" and field_name in LINE_RATE_COUNTS:
            count = LINE_RATE_COUNTS[field_name]
            return SQL(
                "SUM(%s * %s) / NULLIF(%s, 0)",
                self._field_to_sql(self._table, field_name, query), self._field_to_sql(self._table, count, query),
                self._read_group_select(f"{count}:sum", query),
            )
        return super()._read_group_select(aggregate_spec, query)

    @api.model
    def _get_jxc_dashboard_actions(self, company, date_from, date_to):
        """(evaluations, evaluations at risk) of the periods covering [date_from, date_to), as
        actions: what the tiles count and open, and the chart opens without its figures."""
        domain = [("company_id", "=", company.id), ("date_from", "<", date_to), ("date_to", ">=", date_from)]
        action = window_action(self.env, "jxc_addon.jxc_supplier_evaluation_action", domain, {})
        return action, dict(action, domain=domain + [("risk", "=", True)])

    @api.model
    def _get_jxc_dashboard_kpis(self, company, date_from, date_to):
        """Supplier on-time rate of the receipts of [date_from, date_to), measured month by
        month as the evaluations measure them (the chart's figures), and the vendors evaluated
        and at risk in the periods that cover those days.

        The rate is the mean over the order lines received in those days, all vendors together,
        of each line's on-time / received quantity (``jxc.dashboard._get_on_time_sums``), never a
        ratio of quantities of different products. With monthly periods it is the on-time rate of
        the evaluations the action lists, grouped (each vendor's rate weighted by its order lines
        received, ``_read_group_select``), as long as their periods were computed since the
        receipts last changed (a closed period keeps its figures). A company evaluating by quarter
        still has a rate for a month: the evaluations listed and counted are then those of the
        quarter the month lies in.
        """
        action, risk_action = self._get_jxc_dashboard_actions(company, date_from, date_to)
        [(on_time, lines)], _measured_at = self.env["jxc.dashboard.month"]._get_figures(
            company, "supplier_on_time_rate", [date_from, date_to])
        [(vendors,)] = self._read_group(action["domain"], [], ["partner_id:count_distinct"])
        [(risky,)] = self._read_group(risk_action["domain"], [], ["partner_id:count_distinct"])
        return [
            {
                "key": "supplier_on_time_rate",
                "label": self.env._("Supplier On-Time Rate"),
                "value": on_time / lines if lines else None,
                "type": "percent",
                "action": action,
            },
            # vendors, not evaluations (a vendor has one per period): their lists grouped by vendor
            {
                "key": "supplier_evaluations",
                "label": self.env._("Vendors Evaluated"),
                "value": float(vendors),
                "type": "int",
                "action": dict(action, context={"group_by": ["partner_id"]}),
            },
            {
                "key": "supplier_at_risk",
                "label": self.env._("Vendors at Risk"),
                "value": float(risky),
                "type": "int",
                "action": dict(risk_action, context={"group_by": ["partner_id"]}),
            },
        ]


class JxcSupplierEvaluationLine(models.Model):
    _name = "jxc.supplier.evaluation.line"
    _inherit = ["jxc.supplier.computed.mixin"]
    _description = "Supplier Evaluation Criterion Result"
    _order = "evaluation_id, sequence, id"
    _check_company_auto = True

    evaluation_id = fields.Many2one(
        "jxc.supplier.evaluation", required=True, ondelete="cascade", index=True, readonly=True,
    )
    company_id = fields.Many2one(related="evaluation_id.company_id", store=True, index=True)
    criterion_id = fields.Many2one("jxc.supplier.criterion", required=True, readonly=True, ondelete="restrict")
    criterion_type = fields.Selection(related="criterion_id.criterion_type")
    sequence = fields.Integer(related="criterion_id.sequence", store=True)
    has_data = fields.Boolean(readonly=True, help="Without data the criterion is left out of the total.")
    raw_value = fields.Float(readonly=True, help="Measured value; see the criterion's scoring rule.")
    score = fields.Float(readonly=True)
    weight = fields.Float(string="Weight (%)", readonly=True)
    weight_used = fields.Float(
        string="Weight Used (%)", readonly=True,
        help="Weight after re-normalising over the criteria that have data.",
    )
    weighted_score = fields.Float(readonly=True)

    def _check_writable(self):
        self.evaluation_id._check_writable()
