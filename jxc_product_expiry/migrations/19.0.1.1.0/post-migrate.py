"""The near-expiry job is the administrator's once installed (its data file is noupdate): an
upgrade skips it, but its ``ir.model.data`` row, loaded before, must say so too."""

from odoo.addons.jxc_addon.tools.noupdate import mark_noupdate


def migrate(cr, version):
    mark_noupdate(cr, "jxc_product_expiry", ["jxc_expiry_alert_cron"])
