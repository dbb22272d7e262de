"""Net customer demand: the one reading of "what left a warehouse for customers" that every
statistic of the add-on (safety stock, forecasts, ABC/XYZ, turnover) should share.

A demand statistic counts what was *done*, not what was asked: a delivery of 12 on an
order line of 10, or a line added while validating (demand 0), took 12 out of the
warehouse. Odoo's ``stock.move.product_qty`` is the demand (``product_uom_qty``) in the
product's unit; the done quantity is ``stock.move.quantity`` in the move's unit, converted
here into the product's unit with the units' absolute factors (as ``uom._compute_quantity``).
"""

from odoo.tools import SQL


def net_demand_query(env, company, include_production=False):
    """SELECT of the done moves of ``company`` that are net customer demand, one row per
    move, to be used as a subquery (PostgreSQL flattens it, so filters on its columns use
    the indexes of ``stock_move``):

    - ``id``, ``product_id``, ``date``, ``sale_line_id`` of the move;
    - ``warehouse_id``: the warehouse the goods left (or came back to);
    - ``sign``: +1 for a delivery out of a warehouse to a customer (or a consumption in
      production when ``include_production``), -1 for a return from a customer;
    - ``qty``: the signed done quantity in the product's unit;
    - ``is_production``: the move is a consumption in production (only with ``include_production``).

    Production output (from a production location into stock) is not a return: only
    consumption counts, and only when asked.
    """
    # Raw SQL: pending ORM writes (a delivery just validated) must reach the database.
    env["stock.move"].flush_model([
        "state", "company_id", "product_id", "quantity", "product_uom", "date", "location_id", "location_dest_id",
        "sale_line_id",
    ])
    env["stock.location"].flush_model(["usage", "warehouse_id"])
    env["product.product"].flush_model(["product_tmpl_id"])
    env["product.template"].flush_model(["uom_id"])
    env["uom.uom"].flush_model(["factor"])
    out_usages = ["customer", "production"] if include_production else ["customer"]
    return SQL(
        """
        SELECT m.id, m.product_id, m.date, m.sale_line_id,
               CASE WHEN src.usage = 'internal' THEN src.warehouse_id ELSE dst.warehouse_id END AS warehouse_id,
               CASE WHEN src.usage = 'internal' THEN 1 ELSE -1 END AS sign,
               CASE WHEN src.usage = 'internal' THEN 1 ELSE -1 END
               * CASE WHEN m.product_uom = pt.uom_id THEN m.quantity
                      ELSE m.quantity * move_uom.factor / product_uom.factor END AS qty,
               dst.usage = 'production' AS is_production
          FROM stock_move m
          JOIN stock_location src ON src.id = m.location_id
          JOIN stock_location dst ON dst.id = m.location_dest_id
          JOIN product_product pp ON pp.id = m.product_id
          JOIN product_template pt ON pt.id = pp.product_tmpl_id
          JOIN uom_uom move_uom ON move_uom.id = m.product_uom
          JOIN uom_uom product_uom ON product_uom.id = pt.uom_id
         WHERE m.state = 'done' AND m.company_id = %(company)s
           AND ((src.usage = 'internal' AND dst.usage = ANY(%(out_usages)s))
             OR (src.usage = 'customer' AND dst.usage = 'internal'))
        """,
        company=company.id, out_usages=out_usages,
    )
