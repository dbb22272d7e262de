"""SQL fragments on sale order lines shared by the analyses that value deliveries."""

from odoo.tools import SQL

from .done_qty import done_qty_sql
from .net_demand import net_demand_condition, net_demand_sign
from .warehouse_border import inter_company_sql, vendor_location_sql


def dropship_sql(src, dst):
    """SQL: a move from location alias ``src`` to ``dst`` is a dropship (stock_dropshipping),
    sold as Odoo's delivered quantity counts it, from no warehouse: from a vendor straight to
    a customer, or back (``dropship_returned_sql``); a sister company counts as both, through
    the inter-company transit location it sells and buys through (stock_account's
    ``_is_dropshipped``: bought from a sister company, or sold to one)."""
    src, dst = SQL.identifier(src), SQL.identifier(dst)
    return SQL("(%s AND %s OR %s)", vendor_location_sql(src), _customer_location_sql(dst), dropship_returned_sql(src, dst))


def dropship_returned_sql(src, dst):
    """SQL: a move from ``src`` to ``dst`` (identifiers) returns a dropship, from the customer
    to the vendor (stock_account's ``_is_dropshipped_returned``)."""
    return SQL("(%s AND %s)", _customer_location_sql(src), vendor_location_sql(dst))


def _customer_location_sql(location):
    return SQL("(%s.usage = 'customer' OR %s)", location, inter_company_sql(location))


def sale_move_sign(src, dst):
    """SQL: +1 for a move of a sale line that delivers (out of a warehouse, or dropshipped to
    the customer), -1 for one that comes back (``src``, ``dst``: the location aliases), as
    sale_stock counts a dropship returned (``_get_outgoing_incoming_moves``)."""
    return SQL("(CASE WHEN %s THEN (CASE WHEN %s THEN -1 ELSE 1 END) ELSE %s END)",
               dropship_sql(src, dst), dropship_returned_sql(SQL.identifier(src), SQL.identifier(dst)),
               net_demand_sign(src))


# Untaxed unit price of a sale order line (alias sol), in the line's unit. The line Odoo adds
# when a delivery holds a product the order did not (sale_stock) is ordered 0: it has no
# subtotal to divide, its price is its unit price less its discount.
SALE_UNIT_PRICE = SQL("""(CASE WHEN sol.product_uom_qty > 0 THEN sol.price_subtotal / sol.product_uom_qty
                              ELSE sol.price_unit * (1 - COALESCE(sol.discount, 0) / 100) END)""")


# the done quantity of a kit's component move ``x`` (tools/done_qty.py)
KIT_QTY, KIT_QTY_JOINS = done_qty_sql("x", "xu", "xpp", "xpt", "xpu")


def _kit_moves(sol, select, product=None):
    """SQL: ``select`` (an aggregate) over the done moves (alias ``x``, locations ``xs`` and
    ``xd``, the done quantity ``KIT_QTY``) of sale line ``sol`` (an identifier) that carry
    another product than the line's (a kit's components), of the component ``product`` (SQL)
    alone if given: the moves Odoo's delivered quantity of the kit counts (sale_mrp), out of
    a warehouse or dropshipped, and back only when the return updates the order (goods taken
    back for an exchange stay sold)."""
    return SQL(
        """(SELECT %(select)s FROM stock_move x
              JOIN stock_location xs ON xs.id = x.location_id
              JOIN stock_location xd ON xd.id = x.location_dest_id
              %(qty_joins)s
             WHERE x.sale_line_id = %(sol)s.id AND x.state = 'done' AND x.product_id <> %(sol)s.product_id
               AND %(product)s AND (%(net_demand)s OR %(dropship)s)
               AND (x.origin_returned_move_id IS NULL OR x.to_refund))""",
        select=select, sol=sol, net_demand=net_demand_condition("xs", "xd"), dropship=dropship_sql("xs", "xd"),
        product=SQL("x.product_id = %s", product) if product else SQL("TRUE"), qty_joins=KIT_QTY_JOINS,
    )


def _kit_total(sol, weight, product=None):
    """SQL: the signed sum of ``weight`` over a kit line's component moves (``_kit_moves``)."""
    return _kit_moves(sol, SQL("SUM(%s * %s)", sale_move_sign("xs", "xd"), weight), product)


def _done_qty(move):
    """SQL: the done quantity of the move ``move`` (an identifier) in its product's unit."""
    return SQL("(SELECT %s FROM stock_move x %s WHERE x.id = %s.id)", KIT_QTY, KIT_QTY_JOINS, move)


def sale_move_revenue(move):
    """SQL: the untaxed revenue, in the sale's currency and unsigned, of the done customer
    move ``move`` (alias) of its sale line (alias ``sol``, as ``SALE_UNIT_PRICE``).

    A move of the product sold: its done quantity, converted from the move's unit to the
    line's (a line sold by the dozen is delivered in units), x the line's unit price. A component of a kit (mrp: the line sells the kit, its moves carry the
    components): the kit's delivered revenue (the line's delivered quantity x its unit
    price) split over the line's components by their value (their cost at delivery), by
    their quantity when one has none (a consigned component, which Odoo does not value:
    value shares of the others would already add up to the whole), so that the components
    add up to the kit's revenue instead of each counting at the kit's price; a component's
    share split over its moves by their done quantity, so that each delivery carries the revenue
    of the kits it delivered (by value, a later delivery at a higher cost would take revenue
    from the months before). The shares are taken over the moves Odoo's delivered quantity of
    the kit counts (``_kit_moves``): a component taken back for an exchange, which leaves the
    kit delivered, takes no revenue from the others."""
    move, sol = SQL.identifier(move), SQL.identifier("sol")
    component = SQL("%s.product_id", move)
    component_qty = _kit_total(sol, KIT_QTY, component)
    return SQL(
        """(CASE WHEN %(move)s.product_id = %(sol)s.product_id
                 THEN %(move)s.quantity * (SELECT mu.factor FROM uom_uom mu WHERE mu.id = %(move)s.product_uom)
                      / (SELECT lu.factor FROM uom_uom lu WHERE lu.id = %(sol)s.product_uom_id) * %(unit_price)s
                 ELSE %(sol)s.qty_delivered * %(unit_price)s * COALESCE(
                     CASE WHEN NOT %(unvalued)s THEN %(component_value)s / NULLIF(%(total_value)s, 0) END,
                     %(component_qty)s / NULLIF(%(total_qty)s, 0), 0)
                      * COALESCE(%(move_qty)s / NULLIF(%(component_qty)s, 0), 0) END)""",
        move=move, sol=sol, unit_price=SALE_UNIT_PRICE,
        unvalued=_kit_moves(sol, SQL("BOOL_OR(x.value IS NULL)")),
        total_value=_kit_total(sol, SQL("x.value")), total_qty=_kit_total(sol, KIT_QTY),
        component_value=_kit_total(sol, SQL("x.value"), component), component_qty=component_qty,
        move_qty=_done_qty(move),
    )
