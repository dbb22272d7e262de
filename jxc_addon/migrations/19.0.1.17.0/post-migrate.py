"""Statistical rules with a cycle service level now count the undershoot of Odoo's daily
check: their safety stocks and reorder points rise. The update of every reordering rule runs
in the background right after the upgrade, so that the rules, the purchase plan and the
safety stock log follow the new levels at once, not at the next weekly run."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    cron = env.ref("jxc_addon.ir_cron_jxc_update_orderpoints", raise_if_not_found=False)
    if cron and cron.active:
        cron._trigger()
