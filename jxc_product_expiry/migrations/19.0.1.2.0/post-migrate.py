"""The near-expiry alerts run every hour, each company's in the first run after its own midnight
(01:00 UTC, when they ran for all, is the evening before in the Americas). Moved while still as
installed."""

from odoo import SUPERUSER_ID, api
from odoo.addons.jxc_addon.tools.noupdate import move_to_hourly


def migrate(cr, version):
    move_to_hourly(api.Environment(cr, SUPERUSER_ID, {}), "jxc_product_expiry.jxc_expiry_alert_cron", (1, "days"), 1)
