"""The facts of the evaluations at risk (score drop, on-time minimum missed), with the
company's settings of today; then each vendor's standing from its last complete period (the
month in progress no longer sets or lifts a block)."""

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    env.execute_query(SQL("""
        UPDATE jxc_supplier_evaluation e
           SET risk_score_drop = e.has_previous AND -e.score_change > c.jxc_supplier_score_drop,
               risk_on_time_min = CASE WHEN e.received_qty > 0 AND e.on_time_rate < c.jxc_supplier_on_time_min
                                       THEN c.jxc_supplier_on_time_min ELSE 0 END
          FROM res_company c
         WHERE c.id = e.company_id AND e.risk
    """))
    for company in env["res.company"].search([]):
        partners = env["jxc.supplier.evaluation"].search([("company_id", "=", company.id)]).partner_id
        env["res.partner"]._update_jxc_supplier_standing(partners, company)
