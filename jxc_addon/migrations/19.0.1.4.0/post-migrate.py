"""The jobs of the safety stock, purchase plan, supplier evaluation and forecast drift are the
administrator's once installed (their data files are noupdate): an upgrade skips them, but
their ``ir.model.data`` rows, loaded before, must say so too."""

from odoo import SUPERUSER_ID, api

CRONS = (
    "ir_cron_jxc_update_orderpoints", "ir_cron_jxc_purchase_plan_refresh", "jxc_supplier_period_cron",
    "ir_cron_jxc_forecast_drift",
)


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["ir.model.data"].search([("module", "=", "jxc_addon"), ("name", "in", CRONS)]).write({"noupdate": True})
