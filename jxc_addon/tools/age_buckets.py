"""Day buckets (stock aging, shelf life): the settings' stored form and the labels computed in SQL."""

import unicodedata

from odoo.tools import SQL

# The stored form of a company's day limits, which the reports cast to an SQL integer array:
# ASCII whole numbers of days separated by commas, nothing else.
DAY_LIMITS_FORM = "[0-9]{1,5}(?:,[0-9]{1,5})*"


def normalize_day_limits(value):
    """Day limits as typed, in their stored form where they can be: a Chinese input method
    types full-width digits and commas ("３０，90") and the ideographic space, which mean the
    same as ASCII ones (NFKC), and a space anywhere means nothing. What is still not a whole
    number is left as it is, for the setting's check to refuse."""
    if not value:
        return value
    text = "".join(char for char in unicodedata.normalize("NFKC", value) if not char.isspace())
    return ",".join(str(int(part)) if part.isdecimal() else part for part in text.split(","))


def day_limits_sql(column, default):
    """SQL integer array of the day limits stored in ``column``, ``default`` (e.g. "30,90,180")
    for a value not in the stored form (written around the ORM): a report shows the default
    rather than failing for everyone."""
    return SQL(
        "CASE WHEN %(column)s ~ %(form)s THEN string_to_array(%(column)s, ',')::integer[] "
        "ELSE string_to_array(%(default)s, ',')::integer[] END",
        column=column, form="^%s$" % DAY_LIMITS_FORM, default=default,
    )


def bucket_sequence_sql(days, limits):
    """SQL number (1-based) of the bucket of ``days`` among the day ``limits`` (an integer
    array, strictly increasing as the settings require): bucket n holds the days up to the
    n-th limit, the last one the days beyond all limits. ``width_bucket`` finds it without
    unnesting the limits row by row."""
    return SQL("(1 + width_bucket(%s - 1, %s))", days, limits)


def bucket_label_sql(env, seq, limits):
    """SQL label of bucket ``seq`` (1-based) of the ascending day ``limits`` (an integer array):
    "1. 0-30 days", "2. 31-60 days", ..., "5. >180 days". The number keeps the buckets in
    order where a list or pivot groups by the label, as text: of 10 buckets or more it has as
    many digits as the last one ("01. 0-30 days" ... "13. >360 days")."""
    return SQL(
        """CASE WHEN %(seq)s > cardinality(%(limits)s)
                THEN %(number)s || '. >' || %(limits)s[cardinality(%(limits)s)] || ' ' || %(days)s
                ELSE %(number)s || '. ' || COALESCE(%(limits)s[%(seq)s - 1] + 1, 0) || '-' || %(limits)s[%(seq)s]
                     || ' ' || %(days)s
           END""",
        seq=seq, limits=limits, days=env._("days"),
        number=SQL("lpad(%(seq)s::text, length((cardinality(%(limits)s) + 1)::text), '0')", seq=seq, limits=limits),
    )
