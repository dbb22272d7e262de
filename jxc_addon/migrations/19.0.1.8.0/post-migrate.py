"""ABC profiles count consumption in production from this version (*Include Consumption*, on
by default). A profile computed before counted deliveries only: where the company consumed
stock in production, its results are marked as of the former settings, as a change of the
settings marks them, until the monthly action (or Compute now) computes it again."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    profiles = env["jxc.abc.profile"].with_context(active_test=False).search([
        ("last_computed_on", "!=", False), ("include_production", "=", True), ("settings_changed", "=", False),
    ])
    consumed = {
        company.id for [company] in env["stock.move"]._read_group(
            [("state", "=", "done"), ("location_dest_id.usage", "=", "production"),
             ("company_id", "in", profiles.company_id.ids)], ["company_id"])
    }
    profiles.filtered(lambda profile: profile.company_id.id in consumed).write({"settings_changed": True})
