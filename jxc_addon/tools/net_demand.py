"""Net demand: the one reading of "what left a warehouse" that every statistic of the add-on
(safety stock, forecasts, ABC/XYZ, turnover) should share.

A demand statistic counts what was *done*, not what was asked: a delivery of 12 on an
order line of 10, or a line added while validating (demand 0), took 12 out of the
warehouse: the quantity is the done quantity in the product's unit (``tools/done_qty.py``).

Customer demand is what a warehouse delivers to customers, net of their returns. A sister
company is a customer too: Odoo delivers to it through the inter-company transit location and
values that delivery as outgoing, at cost (``to_customer_sql``). A
warehouse that resupplies others (Odoo's inter-warehouse resupply, ``resupply_wh_ids``)
also serves what it sends them: with ``include_transfers`` that is its demand too, so that
its safety stock covers the warehouses it supplies. Only per warehouse: the same units are
then sold by the warehouses supplied, so a company total counts customer demand alone.
"""

from odoo.fields import Domain
from odoo.tools import SQL

from .done_qty import DONE_QTY, DONE_QTY_JOINS, flush_done_qty
from .warehouse_border import inter_company_sql, stock_stage_sql


def _returns_sql(move, returns):
    """SQL: the move alias ``move`` returns another move (``returns``) or not; no alias: TRUE."""
    if move is None:
        return SQL("TRUE")
    return SQL("(%s.origin_returned_move_id IS %s NULL)", SQL.identifier(move), SQL("NOT") if returns else SQL(""))


def to_customer_sql(location, move=None):
    """SQL condition: a move (alias ``move``) into the location alias ``location`` goes to a
    customer: a customer location, or the inter-company transit location (a sale to a sister
    company, ``tools/warehouse_border.py``) unless the move returns another: through that
    location goods bought from a sister company also go back to it, a return to the vendor.
    Without ``move``, the caller reads only moves of sale lines, which are never purchases."""
    loc = SQL.identifier(location)
    return SQL("(%s.usage = 'customer' OR (%s AND %s))", loc, inter_company_sql(loc), _returns_sql(move, False))


def from_customer_sql(location, move=None):
    """SQL condition: a move (alias ``move``) out of the location alias ``location`` comes back
    from a customer: from a customer location, or from the inter-company transit location when
    it returns a move (a sale to a sister company sent back); a receipt from that location that
    returns nothing is a purchase from a sister company. ``move``: as ``to_customer_sql``."""
    loc = SQL.identifier(location)
    return SQL("(%s.usage = 'customer' OR (%s AND %s))", loc, inter_company_sql(loc), _returns_sql(move, True))


def to_customer_domain():
    """``to_customer_sql`` as a domain on ``stock.move``."""
    return Domain("location_dest_id.usage", "=", "customer") | (
        Domain("location_dest_id.usage", "=", "transit") & Domain("location_dest_id.company_id", "=", False)
        & Domain("origin_returned_move_id", "=", False)
    )


def customer_demand_conditions(src, dst, include_production=False, move=None):
    """SQL conditions (out, back) on a move (alias ``move``, see ``to_customer_sql``) from
    location alias ``src`` to ``dst``: out of a warehouse to a customer (or into production
    with ``include_production``); back from a customer into a warehouse."""
    out_dst = to_customer_sql(dst, move)
    if include_production:
        out_dst = SQL("(%s OR %s.usage = 'production')", out_dst, SQL.identifier(dst))
    src_id, dst_id = SQL.identifier(src), SQL.identifier(dst)
    return (
        SQL("(%s.usage = 'internal' AND %s)", src_id, out_dst),
        SQL("(%s AND %s.usage = 'internal')", from_customer_sql(src, move), dst_id),
    )


def net_demand_condition(src, dst, include_production=False, move=None):
    """SQL: a move (alias ``move``, see ``to_customer_sql``) from location alias ``src`` to
    ``dst`` is net customer demand: out of a warehouse to a customer (or into production with
    ``include_production``), or a return from a customer into a warehouse."""
    return SQL("(%s OR %s)", *customer_demand_conditions(src, dst, include_production, move))


def net_demand_sign(src):
    """SQL: +1 for a net-demand move out of a warehouse, -1 for a customer return (``src``: the source alias)."""
    return SQL("(CASE WHEN %s.usage = 'internal' THEN 1 ELSE -1 END)", SQL.identifier(src))


def transfer_demand_conditions(move, src, dst):
    """SQL conditions (sent, returned) on the move alias ``move`` from location ``src`` to
    ``dst``: the move sends goods out of a warehouse to another stage of the company's stock
    (another of its warehouses, or its transit location on the way to one: Odoo's
    inter-warehouse resupply, ``tools/warehouse_border.py``); or it brings such goods back,
    as Odoo's return of a move (``origin_returned_move_id``). A warehouse's receipt from
    another is neither: what it receives is not what it serves."""
    src, dst, move = SQL.identifier(src), SQL.identifier(dst), SQL.identifier(move)
    sent = SQL(
        "(%(move)s.origin_returned_move_id IS NULL AND %(src)s.usage = 'internal' AND %(src)s.warehouse_id IS NOT NULL"
        " AND %(dst)s.company_id = %(src)s.company_id AND %(dst_stage)s <> %(src)s.warehouse_id)",
        move=move, src=src, dst=dst, dst_stage=stock_stage_sql(dst),
    )
    returned = SQL(
        "(%(move)s.origin_returned_move_id IS NOT NULL AND %(dst)s.usage = 'internal' AND %(dst)s.warehouse_id IS NOT NULL"
        " AND %(src)s.company_id = %(dst)s.company_id AND %(src_stage)s <> %(dst)s.warehouse_id)",
        move=move, src=src, dst=dst, src_stage=stock_stage_sql(src),
    )
    return sent, returned


def net_demand_query(env, company, include_production=False, include_transfers=False):
    """SELECT of the done moves of ``company`` that are net demand, one row per move, to be
    used as a subquery (PostgreSQL flattens it, so filters on its columns use the indexes
    of ``stock_move``):

    - ``id``, ``product_id``, ``date``, ``sale_line_id`` of the move;
    - ``warehouse_id``: the warehouse the goods left (or came back to);
    - ``sign``: +1 for a delivery out of a warehouse to a customer (or a consumption in
      production when ``include_production``, a transfer to another warehouse when
      ``include_transfers``), -1 for a return from a customer (or of such a transfer, or
      the components an unbuild brings back);
    - ``qty``: the signed done quantity in the product's unit;
    - ``quantity``: the done quantity in the move's unit, unsigned (to price it with its sale line);
    - ``is_production``: the move is a consumption in production, or an unbuild's taking one
      back (only with ``include_production``).

    Production output (from a production location into stock) is not a return: only
    consumption counts, and only when asked. Transfers between warehouses
    (``include_transfers``) are the demand of the warehouse that sends them: per warehouse
    only, never in a company total (module docstring).
    """
    # Raw SQL: pending ORM writes (a delivery just validated) must reach the database.
    env["stock.move"].flush_model([
        "state", "company_id", "date", "location_id", "location_dest_id", "sale_line_id", "origin_returned_move_id",
    ])
    env["stock.location"].flush_model(["usage", "warehouse_id", "company_id"])
    flush_done_qty(env)
    out, back = customer_demand_conditions("src", "dst", include_production, move="m")
    if include_production and "unbuild_id" in env["stock.move"]._fields:
        # with mrp: an unbuild takes back a consumption (its components come out of production
        # into stock) and is none itself (the finished product goes into production)
        env["stock.move"].flush_model(["unbuild_id"])
        out = SQL("(%s AND NOT (dst.usage = 'production' AND m.unbuild_id IS NOT NULL))", out)
        back = SQL("(%s OR (src.usage = 'production' AND dst.usage = 'internal' AND m.unbuild_id IS NOT NULL))", back)
    if include_transfers:
        sent, returned = transfer_demand_conditions("m", "src", "dst")
        out, back = SQL("(%s OR %s)", out, sent), SQL("(%s OR %s)", back, returned)
    return SQL(
        """
        SELECT m.id, m.product_id, m.date, m.sale_line_id,
               CASE WHEN %(out)s THEN src.warehouse_id ELSE dst.warehouse_id END AS warehouse_id,
               CASE WHEN %(out)s THEN 1 ELSE -1 END AS sign,
               CASE WHEN %(out)s THEN 1 ELSE -1 END * %(qty)s AS qty,
               m.quantity,
               (dst.usage = 'production' OR src.usage = 'production') AS is_production
          FROM stock_move m
          JOIN stock_location src ON src.id = m.location_id
          JOIN stock_location dst ON dst.id = m.location_dest_id
          %(qty_joins)s
         WHERE m.state = 'done' AND m.company_id = %(company)s AND (%(out)s OR %(back)s)
        """,
        qty=DONE_QTY, qty_joins=DONE_QTY_JOINS, company=company.id, out=out, back=back,
    )
