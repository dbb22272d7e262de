"""The near-expiry job is the administrator's once installed (its data file is noupdate): an
upgrade skips it, but its ``ir.model.data`` row, loaded before, must say so too."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["ir.model.data"].search([
        ("module", "=", "jxc_product_expiry"), ("name", "=", "jxc_expiry_alert_cron"),
    ]).write({"noupdate": True})
