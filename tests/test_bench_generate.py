"""The benchmark dataset generator (bench/generate.py) at a tiny scale, inside the test transaction.

Proves that it runs, that the same seed gives the same data, that the SQL invariants hold and
that Odoo's own computations agree with what was written in bulk.
"""

from bench.consistency import check_consistency
from bench.generate import Generator, summary
from odoo.tests import TransactionCase, tagged

SCALE = 0.05
SEED = 3


@tagged("post_install", "-at_install")
class TestBenchGenerate(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.before = summary(cls.env)
        cls.gen = Generator(cls.env, SCALE, seed=SEED)
        cls.gen.run()
        cls.after = summary(cls.env)
        cls.products = cls.env["product.product"].browse([p["id"] for p in cls.gen.products])

    def test_scale_and_shape(self):
        self.assertEqual(self.after["products"] - self.before["products"], 50)
        self.assertEqual(len(self.gen.vendor_ids), 3)  # at least 3 vendors, 25 per unit of scale
        self.assertEqual(len(self.gen.customer_ids), 5)
        self.assertEqual(len(self.gen.warehouses), 3)
        moves = self.after["done_moves"] - self.before["done_moves"]
        self.assertGreater(moves, 25_000 * SCALE * 0.8)
        self.assertLess(moves, 25_000 * SCALE * 1.2)
        self.assertEqual(self.after["done_move_lines"] - self.before["done_move_lines"], moves)
        self.assertEqual(self.after["purchase_orders"] - self.before["purchase_orders"], len(self.gen.po_list))
        sellers = self.products.mapped("seller_ids")
        self.assertEqual(set(sellers.partner_id.ids), set(self.gen.vendor_ids))
        per_product = {len(p.seller_ids) for p in self.products}
        self.assertTrue(per_product <= {1, 2, 3} and len(per_product) > 1, per_product)

    def test_history_has_the_realistic_cases(self):
        cr = self.env.cr
        ids = tuple(self.products.ids)
        cr.execute("""
            SELECT count(*) FILTER (WHERE m.date > pol.date_planned + interval '1 day'),
                   count(DISTINCT p.backorder_id),
                   count(*) FILTER (WHERE m.origin_returned_move_id IS NOT NULL)
              FROM stock_move m JOIN purchase_order_line pol ON pol.id = m.purchase_line_id
              JOIN stock_picking p ON p.id = m.picking_id
             WHERE m.product_id IN %s AND m.state = 'done'
        """, [ids])
        late, backorders, returns = cr.fetchone()
        self.assertGreater(late, 0, "some receipts must be late")
        self.assertGreater(backorders, 0, "some receipts must be partial (backorders)")
        self.assertGreater(returns, 0, "some receipts must be returned to the vendor")
        cr.execute("""
            SELECT count(*) FROM product_product pp
             WHERE pp.id IN %s AND NOT EXISTS (
                   SELECT 1 FROM stock_move m WHERE m.product_id = pp.id AND m.sale_line_id IS NOT NULL)
        """, [ids])
        self.assertGreater(cr.fetchone()[0], 0, "some products must never be sold")
        cr.execute("SELECT count(DISTINCT inventory_name) FROM stock_move WHERE is_inventory AND product_id IN %s",
                   [ids])
        self.assertGreaterEqual(cr.fetchone()[0], 2, "an opening count and at least one later count")
        cr.execute("SELECT min(date), max(date) FROM stock_move WHERE product_id IN %s", [ids])
        first, last = cr.fetchone()
        self.assertGreaterEqual((last - first).days, 700, "24 months of history")

    def test_consistency(self):
        self.assertEqual(check_consistency(self.env), [])
        # The checker does catch a broken quant.
        self.env.cr.execute("UPDATE stock_quant SET quantity = quantity + 1 WHERE id = "
                            "(SELECT max(id) FROM stock_quant)")
        self.assertEqual(len(check_consistency(self.env)), 1)

    def test_odoo_agrees_on_hand_received_delivered_and_value(self):
        for prod in self.products[:15]:
            expected = sum(qty for (pid, _wh), (qty, _d) in self.gen.onhand.items() if pid == prod.id)
            self.assertEqual(prod.qty_available, expected, prod.display_name)
            for wh_idx, wh in enumerate(self.gen.warehouses):
                on_hand = self.gen.onhand.get((prod.id, wh_idx), (0, None))[0]
                self.assertEqual(prod.with_context(warehouse_id=wh.id).qty_available, on_hand)
        lines = self.env["purchase.order.line"].search([("product_id", "in", self.products.ids)])
        stored = {line.id: line.qty_received for line in lines}
        self.assertTrue(any(v != line.product_qty for line, v in zip(lines, stored.values(), strict=True)))
        lines._compute_qty_received()
        self.assertEqual({line.id: line.qty_received for line in lines}, stored)
        sale_lines = self.env["sale.order.line"].search([("product_id", "in", self.products.ids)])
        stored = {line.id: line.qty_delivered for line in sale_lines}
        sale_lines._compute_qty_delivered()
        self.assertEqual({line.id: line.qty_delivered for line in sale_lines}, stored)
        # stock_account values what it would have valued: receipts at the PO price, the rest at cost.
        moves = self.env["stock.move"].search([("product_id", "in", self.products[:10].ids)])
        receipts = moves.filtered("purchase_line_id").filtered(lambda m: not m.origin_returned_move_id)
        self.assertTrue(receipts)
        for move in receipts:
            self.assertAlmostEqual(move._get_value(), move.value, places=2)
            self.assertTrue(move.is_in and not move.is_out)
        deliveries = self.env["stock.move"].search([("product_id", "in", self.products.ids), ("sale_line_id", "!=", False)],
                                                   limit=200)
        self.assertTrue(deliveries)
        for move in deliveries:
            self.assertAlmostEqual(move.value, move.quantity * move.product_id.standard_price, places=2)
            self.assertTrue(move.is_out and move._is_out())
        # FIFO remaining quantities of incoming moves add up to what is on hand.
        for prod in self.products[:5]:
            in_moves = self.env["stock.move"].search([("product_id", "=", prod.id), ("is_in", "=", True)])
            self.assertAlmostEqual(sum(in_moves.mapped("remaining_qty")), prod.qty_available, places=3)


@tagged("post_install", "-at_install")
class TestBenchGenerateDeterministic(TransactionCase):
    def test_same_seed_same_data(self):
        before = summary(self.env)
        with self.env.cr.savepoint(flush=False) as sp:
            first = Generator(self.env, SCALE, seed=SEED).run()
            sp.close(rollback=True)
        self.env.invalidate_all()
        self.assertEqual(summary(self.env), before)
        second = Generator(self.env, SCALE, seed=SEED).run()
        self.assertEqual(first, second)
        self.assertGreater(second["done_moves"], before["done_moves"])
        other = Generator(self.env, SCALE, seed=SEED + 1)
        other.setup()
        other.simulate()
        third_moves = before["done_moves"] + len(other.moves)
        self.assertNotEqual(third_moves, second["done_moves"])
