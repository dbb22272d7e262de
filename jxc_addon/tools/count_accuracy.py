"""The value accuracy of counted lines (盘点准确率, by value), one formula for the count plans,
their groups and the count accuracy report."""

from odoo.tools import SQL


def accuracy_value_sql(book, difference, counted=None):
    """SQL: 1 - ``difference`` / ``book``, at least 0, of counted lines: ``book`` their book value
    and ``difference`` their absolute difference value (lines not counted yet are in neither: they
    would make a count half done look accurate). A book worth nothing or less (negative stock)
    gives no share of it: 1 when nothing differs, else 0; nothing counted (``counted``, their
    number, 0) gives 0."""
    nothing_differs = SQL("%s = 0", difference) if counted is None else SQL("%s > 0 AND %s = 0", counted, difference)
    return SQL(
        "CASE WHEN %(book)s > 0 THEN GREATEST(0.0, 1.0 - %(diff)s / %(book)s) WHEN %(same)s THEN 1.0 ELSE 0.0 END",
        book=book, diff=difference, same=nothing_differs,
    )
