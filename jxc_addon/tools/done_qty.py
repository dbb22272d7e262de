"""Done quantity of a stock move in its product's unit, the one reading of "how much moved"
that the receipts of the supplier evaluation and the net customer demand share.

``stock.move.quantity`` is done in the move's unit; Odoo's ``product_qty`` is the demand, not
what was done. The conversion uses the units' absolute factors, as ``uom._compute_quantity``
does; a move in the product's own unit is taken as it is (no rounding through the factors).
"""

from odoo.tools import SQL


def done_qty_sql(move, move_uom, product, template, product_uom):
    """(SQL expression, SQL joins): the done quantity of the move alias ``move`` in its
    product's unit, and the joins it needs in the FROM clause, under the given aliases (the
    move's unit, its product and template, the product's unit)."""
    m, mu, mpp, mpt, pu = (SQL.identifier(alias) for alias in (move, move_uom, product, template, product_uom))
    qty = SQL(
        "(CASE WHEN %(m)s.product_uom = %(mpt)s.uom_id THEN %(m)s.quantity"
        " ELSE %(m)s.quantity * %(mu)s.factor / %(pu)s.factor END)",
        m=m, mu=mu, mpt=mpt, pu=pu,
    )
    joins = SQL(
        """JOIN uom_uom %(mu)s ON %(mu)s.id = %(m)s.product_uom
              JOIN product_product %(mpp)s ON %(mpp)s.id = %(m)s.product_id
              JOIN product_template %(mpt)s ON %(mpt)s.id = %(mpp)s.product_tmpl_id
              JOIN uom_uom %(pu)s ON %(pu)s.id = %(mpt)s.uom_id""",
        m=m, mu=mu, mpp=mpp, mpt=mpt, pu=pu,
    )
    return qty, joins


# DONE_QTY reads the move ``m`` and needs DONE_QTY_JOINS in the FROM clause (the move's unit
# ``mu``, its product ``mpp``/``mpt`` and the product's unit ``pu``).
DONE_QTY, DONE_QTY_JOINS = done_qty_sql("m", "mu", "mpp", "mpt", "pu")


def flush_done_qty(env):
    """Write the pending ORM changes DONE_QTY reads (raw SQL reads the tables)."""
    env["stock.move"].flush_model(["quantity", "product_uom", "product_id"])
    env["product.product"].flush_model(["product_tmpl_id"])
    env["product.template"].flush_model(["uom_id"])
    env["uom.uom"].flush_model(["factor"])
