"""The purchase plan's job runs every hour, so that each company's lines are refreshed after its
own midnight rather than at 19:00 UTC for all. Its row is the administrator's (noupdate): it is
moved to the new schedule only while it still has the one it was installed with (every day, at
19:00 UTC), which an administrator has not changed."""

from datetime import timedelta

from odoo import SUPERUSER_ID, api, fields


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    cron = env.ref("jxc_addon.ir_cron_jxc_purchase_plan_refresh", raise_if_not_found=False)
    if not cron or (cron.interval_number, cron.interval_type) != (1, "days") or cron.nextcall.time().hour != 19:
        return
    next_hour = fields.Datetime.now().replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    cron.write({"interval_type": "hours", "nextcall": next_hour})
