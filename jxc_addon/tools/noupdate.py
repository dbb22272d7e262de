"""Data rows an administrator owns once installed."""

from odoo import SUPERUSER_ID, api


def mark_noupdate(cr, module, names):
    """Mark the ``ir.model.data`` rows ``names`` of ``module`` noupdate, as their data file now
    says: a database installed before the file was noupdate kept them updatable, so an
    upgrade would overwrite what its administrator changed (a job's schedule, its activation)."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["ir.model.data"].search([("module", "=", module), ("name", "in", list(names))]).write({"noupdate": True})
