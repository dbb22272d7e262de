"""Goods crossing a warehouse's border: the one definition the analyses that follow stock in
and out of warehouses share (the aging's entering and leaving lines, the backtest's real
daily flows). A move line crosses at its ``side`` location (destination: entering, source:
leaving) when that location is an internal one of a warehouse and the other end is outside
it (another warehouse, a partner, a virtual location); moves inside one warehouse do not.

Goods also travel between the warehouses of a company through its inter-warehouse transit
location: Odoo's resupply of one warehouse from another is a delivery out of the supplying
warehouse into that location, then a receipt from it into the supplied warehouse
(stock ``res.company._create_transit_location``, ``stock.warehouse.create_resupply_routes``).
That location belongs to the company (``company_id`` set, as stock_account values it); the
inter-company transit location has none (``inter_company_sql``): goods coming through it were
bought from another company, goods sent to it sold to one (``tools/net_demand.py``). The *stages* of a company's stock are its warehouses and its transit locations
(``stock_stage_sql``); a line from one stage to another of the same company is a transfer,
not a receipt (``company_transfer_sql``)."""

from odoo.fields import Domain
from odoo.tools import SQL


def inter_company_sql(location):
    """SQL condition: the location ``location`` (an alias) is Odoo's inter-company transit location
    (``stock.stock_location_inter_company``): a transit location of no company. Odoo makes it the
    customer and vendor location of every sister company's partner
    (``res.company._set_per_company_inter_company_locations``)."""
    return SQL("(%(loc)s.usage = 'transit' AND %(loc)s.company_id IS NULL)", loc=location)


def vendor_location_sql(location):
    """SQL condition: the location ``location`` (an alias) is one bought goods come from and
    returns to vendors go to: a vendor location, or the inter-company transit location, the
    vendor location of every sister company's partner (an order to a sister company is received
    from it; purchase_stock's ``stock.move._is_purchase_return`` takes it as a vendor's)."""
    return SQL("(%(loc)s.usage = 'supplier' OR %(inter_company)s)", loc=location, inter_company=inter_company_sql(location))


def vendor_delivery_sql(move):
    """SQL condition on the alias ``move`` of a move received from a vendor location: a
    delivery of the vendor's own, not goods coming back: the replacement of returned goods
    (Odoo's Return for Exchange receives it as a return of the return, its picking's
    ``return_id``, on the order line of the goods returned) or a return to the vendor sent back
    (``origin_returned_move_id``). Neither is on time or late against the order's date."""
    return SQL(
        "(%(move)s.origin_returned_move_id IS NULL AND NOT EXISTS ("
        "SELECT 1 FROM stock_picking exchange WHERE exchange.id = %(move)s.picking_id AND exchange.return_id IS NOT NULL))",
        move=move,
    )


def vendor_delivery_domain():
    """``vendor_delivery_sql`` as a domain on ``stock.move``."""
    return Domain("origin_returned_move_id", "=", False) & Domain("picking_id.return_id", "=", False)


def crosses_border_sql(side, other):
    """SQL condition on the location aliases ``side`` and ``other`` (``SQL("dl")``, ``SQL("sl")``):
    the line enters (side = destination) or leaves (side = source) the warehouse of ``side``."""
    return SQL(
        "%(side)s.usage = 'internal' AND %(side)s.warehouse_id IS NOT NULL"
        " AND (%(other)s.usage != 'internal' OR %(other)s.warehouse_id IS DISTINCT FROM %(side)s.warehouse_id)",
        side=side, other=other,
    )


def stock_stage_sql(location):
    """SQL of the stage of the company's stock the location ``location`` is in: its warehouse's
    id for an internal location of a warehouse, minus its own id for a company's transit location
    (ids of warehouses and of locations kept apart by the sign), NULL elsewhere (partners, virtual
    locations, internal locations outside any warehouse, the inter-company transit)."""
    return SQL(
        "(CASE WHEN %(loc)s.usage = 'internal' AND %(loc)s.warehouse_id IS NOT NULL THEN %(loc)s.warehouse_id"
        " WHEN %(loc)s.usage = 'transit' AND %(loc)s.company_id IS NOT NULL THEN -%(loc)s.id END)",
        loc=location,
    )


def crosses_stage_sql(side, other):
    """As ``crosses_border_sql`` for the stages of ``stock_stage_sql``: the line enters (side =
    destination) or leaves (side = source) the warehouse or company transit location of ``side``.
    Written on the locations' columns, not on the stage expressions: PostgreSQL estimates the
    columns well; on the expressions it expected twice the lines of the 500,000 moves of S = 20,
    and the higher cost made it spend 2 s compiling (JIT) the aging query that runs in 1 s."""
    return SQL(
        "((%(warehouse_side)s) OR (%(side)s.usage = 'transit' AND %(side)s.company_id IS NOT NULL"
        " AND %(other)s.id != %(side)s.id))",
        warehouse_side=crosses_border_sql(side, other), side=side, other=other,
    )


def company_transfer_sql(source, destination):
    """SQL condition (never NULL): a line from the location ``source`` to ``destination`` comes
    from a stage of the destination's company (one of its warehouses, its transit location): a
    transfer within the company, not a receipt into it."""
    return SQL(
        "(%(stage)s IS NOT NULL AND %(source)s.company_id IS NOT DISTINCT FROM %(destination)s.company_id)",
        stage=stock_stage_sql(source), source=source, destination=destination,
    )


def vendor_returned_sql():
    """SELECT (move_id, lot_id, qty): per move and lot (0: none), what its done returns sent back
    to a vendor location (``vendor_location_sql``), in the product's unit: those units left with
    the return (Odoo's Return of a receipt), not first in, first out, as the stock of a warehouse
    is dated; of a receipt of several lots, the lot returned is the one that left."""
    return SQL(
        """SELECT rm.origin_returned_move_id AS move_id, COALESCE(rml.lot_id, 0) AS lot_id,
                  SUM(rml.quantity_product_uom) AS qty
             FROM stock_move rm
             JOIN stock_move_line rml ON rml.move_id = rm.id
             JOIN stock_location rdl ON rdl.id = rml.location_dest_id
            WHERE rm.state = 'done' AND rm.origin_returned_move_id IS NOT NULL AND rml.state = 'done' AND %s
            GROUP BY 1, 2""",
        vendor_location_sql(SQL("rdl")),
    )


def net_of_returns_sql(line, returned):
    """SQL: the quantity of the done move line ``line`` (an alias with ``id``, ``move_id``,
    ``lot_id`` and ``quantity_product_uom``) less what its move sent back to a vendor of its lot
    (``returned``: an alias of a row of ``vendor_returned_sql``, or NULL), taken from the move's
    last lines of that lot first."""
    return SQL(
        """GREATEST(%(line)s.quantity_product_uom - GREATEST(COALESCE(%(returned)s.qty, 0) - COALESCE(
               SUM(%(line)s.quantity_product_uom) OVER (PARTITION BY %(line)s.move_id, %(line)s.lot_id
                                                        ORDER BY %(line)s.id DESC
                                                        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0), 0), 0)""",
        line=line, returned=returned,
    )


def vendor_return_line_sql(line, destination):
    """SQL condition: the move line ``line`` (an alias), going to ``destination`` (the alias of
    its destination location), sends goods back to a vendor (``vendor_returned_sql``)."""
    return SQL(
        "(%(vendor)s AND EXISTS (SELECT 1 FROM stock_move rm WHERE rm.id = %(line)s.move_id"
        " AND rm.origin_returned_move_id IS NOT NULL))",
        vendor=vendor_location_sql(destination), line=line,
    )
