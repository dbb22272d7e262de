"""Goods crossing a warehouse's border: the one definition the analyses that follow stock in
and out of warehouses share (the aging's entering and leaving lines, the backtest's real
daily flows). A move line crosses at its ``side`` location (destination: entering, source:
leaving) when that location is an internal one of a warehouse and the other end is outside
it (another warehouse, a partner, a virtual location); moves inside one warehouse do not."""

from odoo.tools import SQL


def crosses_border_sql(side, other):
    """SQL condition on the location aliases ``side`` and ``other`` (``SQL("dl")``, ``SQL("sl")``):
    the line enters (side = destination) or leaves (side = source) the warehouse of ``side``."""
    return SQL(
        "%(side)s.usage = 'internal' AND %(side)s.warehouse_id IS NOT NULL"
        " AND (%(other)s.usage != 'internal' OR %(other)s.warehouse_id IS DISTINCT FROM %(side)s.warehouse_id)",
        side=side, other=other,
    )
