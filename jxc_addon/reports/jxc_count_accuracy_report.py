from odoo import fields, models
from odoo.tools import SQL

from ..tools.count_accuracy import accuracy_value_sql


class JxcCountAccuracyReport(models.Model):
    """Count accuracy of posted plans per plan and location (one row each).

    ``accuracy`` = lines without discrepancy / lines and ``accuracy_value`` = 1 - absolute
    difference value / book value, on each row and on a group of rows (the ratio of its sums,
    ``_read_group_select``, not the average of its rows). Shrinkage by reason is the pivot of
    the count lines themselves.
    """

    _name = "jxc.count.accuracy.report"
    _description = "Count Accuracy Analysis"
    _auto = False
    _order = "date_done desc"
    _depends = {
        "jxc.count.line": [
            "plan_id", "location_id", "is_discrepancy", "book_value", "abs_difference_value", "loss_value",
            "gain_value", "difference_value",
        ],
        "jxc.count.plan": ["state", "company_id", "warehouse_id", "count_type", "date_done"],
    }

    plan_id = fields.Many2one("jxc.count.plan", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", readonly=True)
    location_id = fields.Many2one("stock.location", readonly=True)
    count_type = fields.Selection([("full", "Full Count"), ("cycle", "Cycle Count")], readonly=True)
    date_done = fields.Datetime(string="Posted On", readonly=True)
    line_count = fields.Integer(string="Lines", readonly=True)
    accurate_count = fields.Integer(string="Lines Without Discrepancy", readonly=True)
    discrepancy_count = fields.Integer(string="Discrepancies", readonly=True)
    accuracy = fields.Float(string="Accuracy (lines)", readonly=True, aggregator="avg")
    accuracy_value = fields.Float(string="Accuracy (value)", readonly=True, aggregator="avg",
                                  groups="jxc_addon.group_jxc_manager")
    currency_id = fields.Many2one(related="company_id.currency_id")
    book_value = fields.Monetary(readonly=True, groups="jxc_addon.group_jxc_manager")
    abs_difference_value = fields.Monetary(string="Absolute Difference", readonly=True, groups="jxc_addon.group_jxc_manager")
    loss_value = fields.Monetary(string="Shrinkage (Loss)", readonly=True, groups="jxc_addon.group_jxc_manager")
    gain_value = fields.Monetary(string="Surplus (Gain)", readonly=True, groups="jxc_addon.group_jxc_manager")
    net_value = fields.Monetary(string="Net Difference", readonly=True, groups="jxc_addon.group_jxc_manager")

    def _read_group_select(self, aggregate_spec, query):
        """A group's accuracy: its lines without discrepancy over its lines, and 1 - its absolute
        difference over its book value (a location counted once with one line weighs no more
        than its share of lines). The values are summed converted to one currency, as Odoo's
        ``sum_currency`` does: companies of other currencies are not added up as they are, and
        within one currency the rate cancels out."""
        if aggregate_spec not in ("accuracy:avg", "accuracy_value:avg"):
            return super()._read_group_select(aggregate_spec, query)
        if aggregate_spec == "accuracy:avg":
            return SQL(
                "%s::float / NULLIF(%s, 0)", *(
                    self._read_group_select(fname + ":sum", query) for fname in ("accurate_count", "line_count")),
            )
        return accuracy_value_sql(
            self._read_group_select("book_value:sum_currency", query),
            self._read_group_select("abs_difference_value:sum_currency", query),
        )

    @property
    def _table_query(self):
        return SQL("""
            SELECT MIN(l.id) AS id, l.plan_id, p.company_id, p.warehouse_id, l.location_id,
                   p.count_type, p.date_done,
                   COUNT(*) AS line_count,
                   COUNT(*) FILTER (WHERE NOT COALESCE(l.is_discrepancy, FALSE)) AS accurate_count,
                   COUNT(*) FILTER (WHERE l.is_discrepancy) AS discrepancy_count,
                   COUNT(*) FILTER (WHERE NOT COALESCE(l.is_discrepancy, FALSE))::float / COUNT(*) AS accuracy,
                   %(accuracy_value)s AS accuracy_value,
                   SUM(l.book_value) AS book_value,
                   SUM(l.abs_difference_value) AS abs_difference_value,
                   SUM(l.loss_value) AS loss_value,
                   SUM(l.gain_value) AS gain_value,
                   SUM(l.difference_value) AS net_value
              FROM jxc_count_line l
              JOIN jxc_count_plan p ON p.id = l.plan_id
             WHERE p.state = 'done'
             GROUP BY l.plan_id, p.company_id, p.warehouse_id, l.location_id, p.count_type, p.date_done
        """, accuracy_value=accuracy_value_sql(SQL("SUM(l.book_value)"), SQL("SUM(l.abs_difference_value)")))
