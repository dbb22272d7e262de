"""The jobs of the safety stock, purchase plan, supplier evaluation and forecast drift are the
administrator's once installed (their data files are noupdate): an upgrade skips them, but
their ``ir.model.data`` rows, loaded before, must say so too."""

from odoo.addons.jxc_addon.tools.noupdate import mark_noupdate

CRONS = (
    "ir_cron_jxc_update_orderpoints", "ir_cron_jxc_purchase_plan_refresh", "jxc_supplier_period_cron",
    "ir_cron_jxc_forecast_drift",
)


def migrate(cr, version):
    mark_noupdate(cr, "jxc_addon", CRONS)
