"""The month-end snapshot job runs daily (its record is noupdate): see
data/jxc_inventory_snapshot_cron.xml."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    cron = env.ref("jxc_addon.jxc_inventory_snapshot_cron", raise_if_not_found=False)
    if cron and cron.interval_type == "months":
        cron.write({"interval_number": 1, "interval_type": "days"})
