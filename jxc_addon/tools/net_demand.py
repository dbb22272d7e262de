"""Net customer demand: the one reading of "what left a warehouse for customers" that every
statistic of the add-on (safety stock, forecasts, ABC/XYZ, turnover) should share.

A demand statistic counts what was *done*, not what was asked: a delivery of 12 on an
order line of 10, or a line added while validating (demand 0), took 12 out of the
warehouse: the quantity is the done quantity in the product's unit (``tools/done_qty.py``).
"""

from odoo.tools import SQL

from .done_qty import DONE_QTY, DONE_QTY_JOINS, flush_done_qty


def net_demand_condition(src, dst, include_production=False):
    """SQL: a move from location alias ``src`` to ``dst`` is net customer demand: out of a
    warehouse to a customer (or into production with ``include_production``), or a return
    from a customer into a warehouse."""
    out_usages = ["customer", "production"] if include_production else ["customer"]
    return SQL(
        "((%(src)s.usage = 'internal' AND %(dst)s.usage = ANY(%(out_usages)s))"
        " OR (%(src)s.usage = 'customer' AND %(dst)s.usage = 'internal'))",
        src=SQL.identifier(src), dst=SQL.identifier(dst), out_usages=out_usages,
    )


def net_demand_sign(src):
    """SQL: +1 for a net-demand move out of a warehouse, -1 for a customer return (``src``: the source alias)."""
    return SQL("(CASE WHEN %s.usage = 'internal' THEN 1 ELSE -1 END)", SQL.identifier(src))


def net_demand_query(env, company, include_production=False):
    """SELECT of the done moves of ``company`` that are net customer demand, one row per
    move, to be used as a subquery (PostgreSQL flattens it, so filters on its columns use
    the indexes of ``stock_move``):

    - ``id``, ``product_id``, ``date``, ``sale_line_id`` of the move;
    - ``warehouse_id``: the warehouse the goods left (or came back to);
    - ``sign``: +1 for a delivery out of a warehouse to a customer (or a consumption in
      production when ``include_production``), -1 for a return from a customer;
    - ``qty``: the signed done quantity in the product's unit;
    - ``quantity``: the done quantity in the move's unit, unsigned (to price it with its sale line);
    - ``is_production``: the move is a consumption in production (only with ``include_production``).

    Production output (from a production location into stock) is not a return: only
    consumption counts, and only when asked.
    """
    # Raw SQL: pending ORM writes (a delivery just validated) must reach the database.
    env["stock.move"].flush_model(["state", "company_id", "date", "location_id", "location_dest_id", "sale_line_id"])
    env["stock.location"].flush_model(["usage", "warehouse_id"])
    flush_done_qty(env)
    return SQL(
        """
        SELECT m.id, m.product_id, m.date, m.sale_line_id,
               CASE WHEN src.usage = 'internal' THEN src.warehouse_id ELSE dst.warehouse_id END AS warehouse_id,
               %(sign)s AS sign,
               %(sign)s * %(qty)s AS qty,
               m.quantity,
               dst.usage = 'production' AS is_production
          FROM stock_move m
          JOIN stock_location src ON src.id = m.location_id
          JOIN stock_location dst ON dst.id = m.location_dest_id
          %(qty_joins)s
         WHERE m.state = 'done' AND m.company_id = %(company)s AND %(net_demand)s
        """,
        qty=DONE_QTY, qty_joins=DONE_QTY_JOINS, company=company.id, sign=net_demand_sign("src"),
        net_demand=net_demand_condition("src", "dst", include_production),
    )
