"""Labels of day buckets (stock aging, shelf life) computed in SQL."""

from odoo.tools import SQL


def bucket_sequence_sql(days, limits):
    """SQL number (1-based) of the bucket of ``days`` among the day ``limits`` (an integer
    array, strictly increasing as the settings require): bucket n holds the days up to the
    n-th limit, the last one the days beyond all limits. ``width_bucket`` finds it without
    unnesting the limits row by row."""
    return SQL("(1 + width_bucket(%s - 1, %s))", days, limits)


def bucket_label_sql(env, seq, limits):
    """SQL label of bucket ``seq`` (1-based) of the ascending day ``limits`` (an integer array):
    "1. 0-30 days", "2. 31-60 days", ..., "5. >180 days". The number keeps the buckets in
    order where a list or pivot groups by the label."""
    return SQL(
        """CASE WHEN %(seq)s > cardinality(%(limits)s)
                THEN %(seq)s || '. >' || %(limits)s[cardinality(%(limits)s)] || ' ' || %(days)s
                ELSE %(seq)s || '. ' || COALESCE(%(limits)s[%(seq)s - 1] + 1, 0) || '-' || %(limits)s[%(seq)s]
                     || ' ' || %(days)s
           END""",
        seq=seq, limits=limits, days=env._("days"),
    )
