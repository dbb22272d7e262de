"""The cycle counts, forecast drift alerts, ABC/XYZ classification and supplier evaluations run
every hour, each company's work in the first run after its own midnight (01:00 or 02:00 UTC, when
they ran for all, is the evening before in the Americas). Moved while still as installed."""

from odoo import SUPERUSER_ID, api
from odoo.addons.jxc_addon.tools.noupdate import move_to_hourly

INSTALLED = (
    ("jxc_addon.jxc_count_cycle_rule_cron", (1, "days"), 1),
    ("jxc_addon.ir_cron_jxc_forecast_drift", (1, "days"), 1),
    ("jxc_addon.jxc_abc_profile_cron", (1, "months"), 1),
    ("jxc_addon.jxc_supplier_period_cron", (1, "days"), 2),
)


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    for xmlid, interval, hour in INSTALLED:
        move_to_hourly(env, xmlid, interval, hour)
