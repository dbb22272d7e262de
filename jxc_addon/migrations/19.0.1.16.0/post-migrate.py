"""Month ends recorded before 19.0.1.16.0 get their receipts and other changes: what their
movements leave unexplained between the opening and the closing value (the add-on's own
table; every amount in it is stored rounded, so the difference is exact)."""

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    env.execute_query(SQL("""
        UPDATE jxc_inventory_snapshot
           SET other_value = COALESCE(value, 0) - COALESCE(opening_value, 0) - COALESCE(revaluation_value, 0)
                             + COALESCE(cogs_value, 0) + COALESCE(scrap_value, 0) + COALESCE(count_loss_value, 0)
                             - COALESCE(count_gain_value, 0) + COALESCE(consumption_value, 0)
         WHERE other_value IS NULL
    """))
