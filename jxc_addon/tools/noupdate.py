"""Data rows an administrator owns once installed."""

from datetime import timedelta

from odoo import SUPERUSER_ID, api, fields


def mark_noupdate(cr, module, names):
    """Mark the ``ir.model.data`` rows ``names`` of ``module`` noupdate, as their data file now
    says: a database installed before the file was noupdate kept them updatable, so an
    upgrade would overwrite what its administrator changed (a job's schedule, its activation)."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["ir.model.data"].search([("module", "=", module), ("name", "in", list(names))]).write({"noupdate": True})


def move_to_hourly(env, xmlid, interval, hour):
    """Run the scheduled action ``xmlid`` every hour from the next one, so that it does each
    company's work in its first run after the company's own midnight, while it still has the
    schedule it was installed with (``interval``: (number, type), at ``hour`` UTC): its row is
    the administrator's (noupdate), and a schedule they changed is theirs."""
    cron = env.ref(xmlid, raise_if_not_found=False)
    if not cron or (cron.interval_number, cron.interval_type) != interval or cron.nextcall.time().hour != hour:
        return
    next_hour = fields.Datetime.now().replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    cron.write({"interval_number": 1, "interval_type": "hours", "nextcall": next_hour})
