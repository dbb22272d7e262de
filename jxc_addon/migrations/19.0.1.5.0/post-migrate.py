"""The purchase plan's job runs every hour, so that each company's lines are refreshed after its
own midnight rather than at 19:00 UTC for all. Its row is the administrator's (noupdate): it is
moved to the new schedule only while it still has the one it was installed with (every day, at
19:00 UTC), which an administrator has not changed."""

from odoo import SUPERUSER_ID, api
from odoo.addons.jxc_addon.tools.noupdate import move_to_hourly


def migrate(cr, version):
    move_to_hourly(api.Environment(cr, SUPERUSER_ID, {}), "jxc_addon.ir_cron_jxc_purchase_plan_refresh", (1, "days"), 19)
