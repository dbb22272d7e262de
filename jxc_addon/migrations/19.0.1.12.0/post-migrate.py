"""Month ends recorded live keep the carrying cost rate and warehouse fixed cost they were
recorded with from this version. The rows recorded before take today's settings, the only
ones known (the add-on's own table: in SQL)."""

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    env.execute_query(SQL("""
        UPDATE jxc_inventory_snapshot s
           SET carrying_cost_rate = c.jxc_carrying_cost_rate, warehouse_fixed_cost = 0
          FROM res_company c
         WHERE c.id = s.company_id
    """))
    env.execute_query(SQL("""
        UPDATE jxc_inventory_snapshot s
           SET warehouse_fixed_cost = COALESCE(w.jxc_monthly_fixed_cost, 0)
          FROM stock_warehouse w
         WHERE w.id = s.warehouse_id
    """))
