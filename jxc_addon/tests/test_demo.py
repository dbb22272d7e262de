from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoLoader(TransactionCase):
    """The demo generator (used by bin/run) produces a consistent company history."""

    def test_load_demo_history(self):
        moves_before = self.env["stock.move"].search_count([("state", "=", "done")])
        self.env["jxc.demo.loader"]._load_demo(months=2, seed=7)
        products = self.env["product.product"].search([("default_code", "=like", "JXC-D%")])
        self.assertEqual(len(products), 8)
        done = self.env["stock.move"].search([("state", "=", "done"), ("product_id", "in", products.ids)])
        self.assertGreater(len(done), 10)
        self.assertGreater(self.env["stock.move"].search_count([("state", "=", "done")]), moves_before)
        # On hand equals received minus delivered, per product, through the quants.
        for product in products:
            incoming = sum(done.filtered(lambda m, p=product: m.product_id == p and m.location_id.usage == "supplier").mapped("product_qty"))
            outgoing = sum(done.filtered(lambda m, p=product: m.product_id == p and m.location_dest_id.usage == "customer").mapped("product_qty"))
            self.assertAlmostEqual(product.qty_available, incoming - outgoing)
        # Moves were back-dated into the past months.
        self.assertLess(min(done.mapped("date")), max(done.mapped("date")))
