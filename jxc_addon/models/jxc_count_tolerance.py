from odoo import api, fields, models

from ..tools.checks import check_each


class JxcCountTolerance(models.Model):
    """How far a count may differ from the book before it needs a recount or a manager.

    A line is within tolerance when its difference respects every limit that is set
    (a limit of 0 is not used); with no limit set, any difference is a discrepancy.
    A counted quantity where the book says zero is always a discrepancy.
    """

    _name = "jxc.count.tolerance"
    _description = "Count Tolerance"
    _order = "company_id, warehouse_id"
    _check_company_auto = True

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    warehouse_id = fields.Many2one(
        "stock.warehouse",
        check_company=True,
        help="Leave empty for the company's default tolerance; a warehouse tolerance takes precedence.",
    )
    qty_percent = fields.Float(
        string="Quantity Tolerance (%)", aggregator="avg",
        help="Largest accepted difference as a percentage of the book quantity, at most 100 (0: not used).",
    )
    qty_abs = fields.Float(
        string="Quantity Tolerance", aggregator=False,
        digits="Product Unit",
        help="Largest accepted difference in the product's unit (0: not used).",
    )
    value_abs = fields.Monetary(
        string="Value Tolerance", aggregator=False,
        help="Largest accepted difference valued at cost (0: not used). A difference of no value (a product at "
        "cost 0, consigned stock) is judged by the quantity limits; without one, it is always reviewed.",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")

    _company_warehouse_uniq = models.Constraint(
        "UNIQUE NULLS NOT DISTINCT (company_id, warehouse_id)",
        "There can be only one tolerance per company and warehouse.",
    )

    @api.depends("company_id", "warehouse_id")
    def _compute_display_name(self):
        for tolerance in self:
            tolerance.display_name = tolerance.warehouse_id.display_name or tolerance.company_id.name

    @api.constrains("qty_percent", "qty_abs", "value_abs")
    def _check_limits(self):
        check_each(self, lambda t: min(t.qty_percent, t.qty_abs, t.value_abs) >= 0, self.env._(
            "The tolerances of %(name)s cannot be negative. Enter 0 for an unused limit."
        ), name="display_name")
        # more than the whole book quantity is no tolerance but a typo (500 for 5.00 %): a count of
        # nothing, or twice the book, would pass unreviewed
        check_each(self, lambda t: t.qty_percent <= 100.0, self.env._(
            "The quantity tolerance of %(name)s is %(percent)s %%, more than the whole book quantity. Enter a "
            "percentage of at most 100, such as 5 for 5 %%."
        ), name="display_name", percent="qty_percent")

    @api.model_create_multi
    def create(self, vals_list):
        tolerances = super().create(vals_list)
        tolerances._rejudge_counts(tolerances.company_id)
        return tolerances

    def write(self, vals):
        companies = self.company_id
        result = super().write(vals)
        self._rejudge_counts(companies | self.company_id)
        return result

    def unlink(self):
        companies = self.company_id
        result = super().unlink()
        self._rejudge_counts(companies)
        return result

    def _rejudge_counts(self, companies):
        """The lines of the stocktakes still being counted are judged against the tolerance in
        force when they are submitted, not the one when they were counted; a submitted plan
        keeps the review it got."""
        Line = self.env["jxc.count.line"].sudo()
        lines = Line.search([
            ("plan_id.company_id", "in", companies.ids), ("plan_id.state", "=", "in_progress"), ("is_counted", "=", True),
        ])
        field = Line._fields["is_discrepancy"]
        for computed in Line.pool.field_computed.get(field, [field]):
            self.env.add_to_compute(computed, lines)
        # their plans' figures, read from the lines, are read again once these are recomputed
        Plan = self.env["jxc.count.plan"]
        Plan.invalidate_model(list(Plan._line_stats_sql()))

    @api.model
    def _get_for_warehouse(self, company, warehouse):
        """The warehouse's tolerance, else the company's, else an empty recordset."""
        tolerances = self.search([
            ("company_id", "=", company.id),
            ("warehouse_id", "in", [warehouse.id, False] if warehouse else [False]),
        ])
        return tolerances.filtered("warehouse_id")[:1] or tolerances[:1]

    def _is_within(self, book_qty, difference_qty, difference_value, rounding):  # noqa: PLR0911
        """Whether a difference is within this tolerance (``self`` may be empty)."""
        if abs(difference_qty) < rounding / 2:
            return True
        if abs(book_qty) < rounding / 2:
            return False
        if not self or not (self.qty_percent or self.qty_abs or self.value_abs):
            return False
        if self.qty_percent and abs(difference_qty) * 100.0 > self.qty_percent * abs(book_qty) + 1e-9:
            return False
        if self.qty_abs and abs(difference_qty) > self.qty_abs + rounding / 2:
            return False
        if self.value_abs and not (self.qty_percent or self.qty_abs) and abs(difference_value) < 0.005:
            # a difference that costs nothing (cost 0, consigned stock) is no small one: with no
            # quantity limit to judge it, it is reviewed
            return False
        return not (self.value_abs and abs(difference_value) > self.value_abs + 0.005)
