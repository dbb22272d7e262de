"""Issue 19: the best-seller graph opens on the top 10 products (one bar each), not on a bar for
every product sold. The filter ranks by net revenue (returns deducted) over the 365 days before
today in each company's calendar and currency, among the rows the user may read."""

from freezegun import freeze_time

from odoo.tests import tagged

from .common import JxcCommon


@tagged("post_install", "-at_install")
class TestBestSellersTop(JxcCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.products = cls.env["product.product"].create([
            cls._prepare_product_vals("JXC Top %02d" % i, 1.0, 10.0, "JXC-TOP%02d" % i) for i in range(13)
        ])
        with freeze_time("2024-01-10 04:00:00"):
            for product in cls.products:
                cls._set_on_hand(product, 100)
            # the biggest sale of all, but 17 months before "today": outside the window
            cls._deliver(cls._create_sale(cls.customer_a, [(cls.products[12], 90, 10.0)]))
        with freeze_time("2025-03-10 04:00:00"):
            # product i sells i + 1 units at 10.00: products 2..11 would be the top 10 ...
            cls.sale = cls._create_sale(cls.customer_b, [(p, i + 1, 10.0) for i, p in enumerate(cls.products[:12])])
            cls.delivery = cls._deliver(cls.sale)
        with freeze_time("2025-03-20 04:00:00"):
            # ... until 11 of product 11's 12 units come back: net 10.00, out of the top 10
            cls._return_picking(cls.delivery, {cls.products[11]: 11})

    def test_top_ten_by_net_revenue_of_the_last_365_days(self):
        Sales = self.env["jxc.sales.report"].with_user(self.jxc_manager)
        with freeze_time("2025-06-01 04:00:00"):
            top = Sales.search([("is_top_seller", "=", True), ("product_id", "in", self.products.ids)])
            self.assertEqual(top.product_id, self.products[1:11])  # 20.00 .. 110.00; 0 and 11 have 10.00
            rest = Sales.search([("is_top_seller", "=", False), ("product_id", "in", self.products.ids)])
            self.assertEqual(rest.product_id, self.products[0] | self.products[11] | self.products[12])
            self.assertEqual(set(top.mapped("is_top_seller")), {True})
        with freeze_time("2026-03-15 04:00:00"):
            # a year later only product 11's return is in the window: a net loss, no best seller
            self.assertFalse(Sales.search([("is_top_seller", "=", True), ("product_id", "in", self.products.ids)]))

    def test_top_ten_of_each_company(self):
        """A user of two companies gets each company's top 10, ranked in its own currency and
        calendar: a product the other company sells a lot does not become a best seller here."""
        other = self.env["res.company"].create({"name": "JXC Top Other Company"})
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", other.id)], limit=1)
        with freeze_time("2025-03-12 04:00:00"):
            self.env["stock.quant"].with_company(other).with_context(inventory_mode=True).create({
                "product_id": self.products[0].id, "location_id": warehouse.lot_stock_id.id, "inventory_quantity": 100,
            }).action_apply_inventory()
            self._deliver(self._create_sale(self.customer_a, [(self.products[0], 90, 10.0)], warehouse=warehouse))
        self.jxc_manager.company_ids |= other
        Sales = self.env["jxc.sales.report"].with_user(self.jxc_manager).with_context(
            allowed_company_ids=[self.company.id, other.id])
        with freeze_time("2025-06-01 04:00:00"):
            top = Sales.search([("is_top_seller", "=", True), ("product_id", "in", self.products.ids)])
            self.assertEqual(top.filtered(lambda row: row.company_id == self.company).product_id, self.products[1:11])
            self.assertEqual(top.filtered(lambda row: row.company_id == other).product_id, self.products[0])
            mine = Sales.search([("company_id", "=", self.company.id), ("product_id", "=", self.products[0].id)])
            self.assertEqual(set(mine.mapped("is_top_seller")), {False})

    def test_graph_opens_on_the_top_products(self):
        action = self.env.ref("jxc_addon.jxc_sales_report_action")
        self.assertIn("'search_default_top_sellers': 1", action.context)
        arch = self.env["jxc.sales.report"].get_view(view_type="graph")["arch"]
        self.assertIn('<field name="product_id"/>', arch)
