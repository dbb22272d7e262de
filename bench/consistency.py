"""Invariants of a database's stock history, checked with one SQL statement each.

``check_consistency(env)`` returns a list of human-readable problems (empty = consistent).
The generator runs it before committing; the test suite runs it on a generated sample.
"""

CHECKS = [
    ("done moves without move lines, or whose move lines do not add up to the move", """
        SELECT count(*) FROM stock_move m
          LEFT JOIN (SELECT move_id, sum(quantity) AS qty FROM stock_move_line
                      WHERE state = 'done' GROUP BY move_id) l ON l.move_id = m.id
         WHERE m.state = 'done' AND (l.qty IS NULL OR l.qty <> m.quantity)
    """),
    ("quants that differ from the net of done move lines per product and internal location", """
        WITH net AS (
            SELECT product_id, location_id, sum(qty) AS qty FROM (
                SELECT ml.product_id, ml.location_dest_id AS location_id, ml.quantity_product_uom AS qty
                  FROM stock_move_line ml WHERE ml.state = 'done'
                UNION ALL
                SELECT ml.product_id, ml.location_id, -ml.quantity_product_uom
                  FROM stock_move_line ml WHERE ml.state = 'done') x
             GROUP BY product_id, location_id),
        internal_net AS (
            SELECT net.* FROM net JOIN stock_location l ON l.id = net.location_id AND l.usage = 'internal'),
        quant AS (SELECT product_id, location_id, sum(quantity) AS qty FROM stock_quant
                   GROUP BY product_id, location_id)
        SELECT count(*) FROM internal_net n FULL JOIN quant q USING (product_id, location_id)
         WHERE abs(coalesce(n.qty, 0) - coalesce(q.qty, 0)) > 0.0001
    """),
    ("negative stock at some point in the history of a product in an internal location", """
        WITH flow AS (
            SELECT ml.product_id, ml.location_dest_id AS location_id, ml.date, ml.id, ml.quantity_product_uom AS qty
              FROM stock_move_line ml WHERE ml.state = 'done'
            UNION ALL
            SELECT ml.product_id, ml.location_id, ml.date, ml.id, -ml.quantity_product_uom
              FROM stock_move_line ml WHERE ml.state = 'done'),
        running AS (
            SELECT sum(f.qty) OVER (PARTITION BY f.product_id, f.location_id ORDER BY f.date, f.qty DESC, f.id)
                   AS balance
              FROM flow f JOIN stock_location l ON l.id = f.location_id AND l.usage = 'internal')
        SELECT count(*) FROM running WHERE balance < -0.0001
    """),
    ("purchase lines whose received quantity differs from their done receipts minus refunded returns", """
        SELECT count(*) FROM purchase_order_line pol
          LEFT JOIN (
            SELECT m.purchase_line_id,
                   sum(CASE WHEN ld.usage = 'supplier' THEN CASE WHEN m.to_refund THEN -m.product_qty ELSE 0 END
                            ELSE m.product_qty END) AS qty
              FROM stock_move m JOIN stock_location ld ON ld.id = m.location_dest_id
             WHERE m.state = 'done' AND m.purchase_line_id IS NOT NULL GROUP BY m.purchase_line_id
          ) r ON r.purchase_line_id = pol.id
         WHERE pol.display_type IS NULL AND pol.qty_received_method = 'stock_moves'
           AND abs(coalesce(pol.qty_received, 0) - coalesce(r.qty, 0)) > 0.0001
    """),
    ("sale lines whose delivered quantity differs from their done deliveries minus returns", """
        SELECT count(*) FROM sale_order_line sol
          LEFT JOIN (
            SELECT m.sale_line_id,
                   sum(CASE WHEN ld.usage = 'customer' THEN m.product_qty ELSE -m.product_qty END) AS qty
              FROM stock_move m JOIN stock_location ld ON ld.id = m.location_dest_id
             WHERE m.state = 'done' AND m.sale_line_id IS NOT NULL GROUP BY m.sale_line_id
          ) d ON d.sale_line_id = sol.id
         WHERE sol.display_type IS NULL AND sol.qty_delivered_method = 'stock_move'
           AND abs(coalesce(sol.qty_delivered, 0) - coalesce(d.qty, 0)) > 0.0001
    """),
    ("done moves dated before their order was confirmed, or in the future", """
        SELECT count(*) FROM stock_move m
          LEFT JOIN purchase_order_line pol ON pol.id = m.purchase_line_id
          LEFT JOIN purchase_order po ON po.id = pol.order_id
          LEFT JOIN sale_order_line sol ON sol.id = m.sale_line_id
          LEFT JOIN sale_order so ON so.id = sol.order_id
         WHERE m.state = 'done'
           AND (m.date > now() AT TIME ZONE 'UTC' + interval '1 day' OR m.date < po.date_approve
                OR m.date < so.date_order)
    """),
    ("done moves in or out of the company's stock without a positive value", """
        SELECT count(*) FROM stock_move m
         WHERE m.state = 'done' AND (m.is_in OR m.is_out) AND m.quantity > 0
           AND (m.value IS NULL OR m.value <= 0)
    """),
    ("done moves and their pickings or move lines disagree on state, product or locations", """
        SELECT count(*) FROM stock_move_line ml JOIN stock_move m ON m.id = ml.move_id
          LEFT JOIN stock_picking p ON p.id = m.picking_id
         WHERE m.state = 'done'
           AND (ml.state <> 'done' OR ml.product_id <> m.product_id OR ml.location_id <> m.location_id
                OR ml.location_dest_id <> m.location_dest_id OR p.state <> 'done'
                OR ml.picking_id IS DISTINCT FROM m.picking_id)
    """),
    ("confirmed orders whose untaxed amount is not the sum of their lines", """
        SELECT (SELECT count(*) FROM purchase_order po
                  JOIN (SELECT order_id, sum(price_subtotal) s FROM purchase_order_line GROUP BY order_id) l
                    ON l.order_id = po.id
                 WHERE po.state = 'purchase' AND abs(po.amount_untaxed - l.s) > 0.005)
             + (SELECT count(*) FROM sale_order so
                  JOIN (SELECT order_id, sum(price_subtotal) s FROM sale_order_line GROUP BY order_id) l
                    ON l.order_id = so.id
                 WHERE so.state = 'sale' AND abs(so.amount_untaxed - l.s) > 0.005)
    """),
]


def check_consistency(env):
    env.flush_all()
    problems = []
    for label, query in CHECKS:
        env.cr.execute(query)
        count = env.cr.fetchone()[0]
        if count:
            problems.append("%d %s" % (count, label))
    return problems
