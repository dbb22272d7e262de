"""Company-local days: every day-based figure of the add-on (demand history, forecasts,
digests, evaluation periods, count plans) counts days in the company's timezone (its
partner's ``tz``, UTC when unset), while Odoo stores datetimes as naive UTC. This is the
one place that turns one into the other, in Python and in SQL."""

from datetime import datetime, time

import pytz

from odoo import fields
from odoo.tools import SQL


def company_tz_name(company):
    """The company's timezone name, for PostgreSQL's ``timezone(name, ...)``."""
    return company.partner_id.tz or "UTC"


def company_tz(company):
    return pytz.timezone(company_tz_name(company))


def reader_tz(env, company=None):
    """The timezone the environment's user reads datetimes in, as Odoo's web client shows them:
    the client's (the context's ``tz``), else the user's, else ``company``'s (else UTC). For
    display and for times the user types only: it decides no right."""
    name = env.context.get("tz") or env.user.tz
    if name in pytz.all_timezones_set:
        return pytz.timezone(name)
    return company_tz(company) if company else pytz.UTC


def local_date(company, value):
    """The date in ``company``'s timezone of the naive UTC datetime ``value``."""
    return value.replace(tzinfo=pytz.UTC).astimezone(company_tz(company)).date()


def company_today(company):
    """Today's date in ``company``'s timezone (follows a frozen clock in tests)."""
    return local_date(company, fields.Datetime.now())


def local_to_utc(tz, value):
    """Naive UTC datetime of the naive wall-clock datetime ``value`` in the pytz timezone ``tz``."""
    return tz.localize(value.replace(tzinfo=None)).astimezone(pytz.UTC).replace(tzinfo=None)


def local_midnight_utc(company, day):
    """Naive UTC datetime of the start of ``day`` in ``company``'s timezone, the bound
    to compare with Odoo's stored datetimes."""
    return local_to_utc(company_tz(company), datetime.combine(fields.Date.to_date(day), time.min))


def local_date_sql(company, column):
    """SQL: the date in ``company``'s timezone of the naive UTC timestamp ``column`` (an SQL)."""
    return SQL("(timezone(%s, %s AT TIME ZONE 'UTC'))::date", company_tz_name(company), column)
