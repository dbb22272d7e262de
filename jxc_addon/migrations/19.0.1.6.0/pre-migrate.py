"""The policy backtest keeps one row per product and warehouse (a unique key from this
version): rows stored twice by two runs at once are dropped, as are their exchange curve's
second rows, before the key is added. The next run replaces them all anyway."""

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL
from odoo.tools.sql import table_exists


def migrate(cr, version):
    # the add-on's own tables, before its models are loaded: in SQL
    env = api.Environment(cr, SUPERUSER_ID, {})
    if table_exists(cr, "jxc_policy_backtest"):
        env.execute_query(SQL("""
            DELETE FROM jxc_policy_backtest b
             USING jxc_policy_backtest first
             WHERE first.product_id = b.product_id AND first.warehouse_id = b.warehouse_id AND first.id < b.id
        """))
    if table_exists(cr, "jxc_policy_backtest_curve"):
        env.execute_query(SQL("""
            DELETE FROM jxc_policy_backtest_curve c
             USING jxc_policy_backtest_curve first
             WHERE first.company_id = c.company_id AND first.abc_class IS NOT DISTINCT FROM c.abc_class
               AND first.target = c.target AND first.id < c.id
        """))
