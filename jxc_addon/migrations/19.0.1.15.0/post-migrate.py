"""A count plan's figures (lines, counted lines, discrepancies, accuracy, loss and gain) are
read from its lines since 19.0.1.15.0; the columns that stored them are dropped."""

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

COLUMNS = (
    "line_count", "counted_count", "discrepancy_count", "to_review_count", "accuracy", "accuracy_value",
    "loss_value", "gain_value",
)


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    env.execute_query(SQL("ALTER TABLE jxc_count_plan %s", SQL(", ").join(
        SQL("DROP COLUMN IF EXISTS %s", SQL.identifier(column)) for column in COLUMNS)))
