"""Done quantity of a stock move in its product's unit, the one reading of "how much moved"
that the receipts of the supplier evaluation and the net customer demand share.

``stock.move.quantity`` is done in the move's unit; Odoo's ``product_qty`` is the demand, not
what was done. The conversion uses the units' absolute factors, as ``uom._compute_quantity``
does; a move in the product's own unit is taken as it is (no rounding through the factors).
"""

from odoo.tools import SQL

# DONE_QTY reads the move ``m`` and needs DONE_QTY_JOINS in the FROM clause (the move's unit
# ``mu``, its product ``mpp``/``mpt`` and the product's unit ``pu``).
DONE_QTY = SQL("(CASE WHEN m.product_uom = mpt.uom_id THEN m.quantity ELSE m.quantity * mu.factor / pu.factor END)")
DONE_QTY_JOINS = SQL("""JOIN uom_uom mu ON mu.id = m.product_uom
              JOIN product_product mpp ON mpp.id = m.product_id
              JOIN product_template mpt ON mpt.id = mpp.product_tmpl_id
              JOIN uom_uom pu ON pu.id = mpt.uom_id""")


def flush_done_qty(env):
    """Write the pending ORM changes DONE_QTY reads (raw SQL reads the tables)."""
    env["stock.move"].flush_model(["quantity", "product_uom", "product_id"])
    env["product.product"].flush_model(["product_tmpl_id"])
    env["product.template"].flush_model(["uom_id"])
    env["uom.uom"].flush_model(["factor"])
