"""Company-local days: every day-based figure of the add-on (demand history, forecasts,
digests) counts days in the company's timezone (its partner's ``tz``, UTC when unset),
while Odoo stores datetimes as naive UTC."""

from datetime import datetime, time

import pytz

from odoo import fields


def company_tz_name(company):
    """The company's timezone name, for PostgreSQL's ``timezone(name, ...)``."""
    return company.partner_id.tz or "UTC"


def company_tz(company):
    return pytz.timezone(company_tz_name(company))


def company_today(company):
    """Today's date in ``company``'s timezone (follows a frozen clock in tests)."""
    return fields.Datetime.now().replace(tzinfo=pytz.UTC).astimezone(company_tz(company)).date()


def local_midnight_utc(company, day):
    """Naive UTC datetime of the start of ``day`` in ``company``'s timezone, the bound
    to compare with Odoo's stored datetimes."""
    local = company_tz(company).localize(datetime.combine(day, time.min))
    return local.astimezone(pytz.UTC).replace(tzinfo=None)
