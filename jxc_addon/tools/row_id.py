"""Ids of the rows of a report view that are the row's own from one read to the next."""

from odoo.tools import SQL


def stable_row_id_sql(*parts):
    """SQL: a positive integer id of a report row, from the SQL expressions ``parts`` whose
    values identify it (NULL allowed), the same on every read while they are. ROW_NUMBER
    renumbers the rows after one that came or went, so a row ticked in the list exported its
    neighbour. 52 bits of their MD5, plus one: within JavaScript's exact integers, never 0 (no
    record), a collision unlikely below millions of rows."""
    text = SQL(" || ',' || ").join(SQL("COALESCE((%s)::text, '')", part) for part in parts)
    return SQL("(('x' || substr(md5(%s), 1, 13))::bit(52)::bigint + 1)", text)
