"""The snapshot's unique key counts stock in transit (no warehouse) too from this version:
rows of it stored twice by two rebuilds at once are dropped before the key is replaced. A
rebuild from the moves gives them again anyway."""

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL
from odoo.tools.sql import table_exists


def migrate(cr, version):
    # the add-on's own table, before its models are loaded: in SQL
    env = api.Environment(cr, SUPERUSER_ID, {})
    if table_exists(cr, "jxc_inventory_snapshot"):
        env.execute_query(SQL("""
            DELETE FROM jxc_inventory_snapshot s
             USING jxc_inventory_snapshot first
             WHERE first.company_id = s.company_id AND first.date = s.date AND first.product_id = s.product_id
               AND first.warehouse_id IS NULL AND s.warehouse_id IS NULL AND first.id < s.id
        """))
