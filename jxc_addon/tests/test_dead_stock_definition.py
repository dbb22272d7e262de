"""Issue 19: one definition of dead stock for the list, its filters and the dashboard tiles,
and the value tied up is Odoo's valuation (FIFO layers, consigned stock worth nothing).

On 1 June 2025 (dead after 90 days, slow below 2 turns a year):
* FIFO cabinets: 300 @ 10 on 10 January, 200 @ 13 on 10 February, never sold: dead since the
  first receipt (142 days); worth 300 x 10 + 200 x 13 = 5,600;
* FIFO lockers: the same receipts, 100 delivered on 20 May (the oldest, @ 10): 400 left worth
  200 x 10 + 200 x 13 = 4,600; turning 100 x 365 / 90 / 400 = 1.01 a year: slow;
* new desks: 500 received today, never sold: idle 0 days, "new" (neither dead nor slow);
* consigned chairs: 50 on hand owned by vendor A: dead, but worth nothing to the company.
"""

from freezegun import freeze_time

from odoo.tests import tagged

from .common import JxcCommon

NOW = "2025-06-01 04:00:00"


@tagged("post_install", "-at_install")
class TestDeadStockDefinition(JxcCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._set_stock_status_limits(dead_days=90, slow_rate=2.0)
        fifo = cls._create_category("JXC FIFO", "fifo")
        Product = cls.env["product.product"]
        cls.cabinet, cls.locker, cls.desk, cls.chair = Product.create([
            {**cls._prepare_product_vals(name, 10.0, 30.0, code), "categ_id": fifo.id}
            for name, code in (("JXC Cabinet", "JXC-CAB"), ("JXC Locker", "JXC-LCK"),
                               ("JXC Desk", "JXC-DSK"), ("JXC Chair", "JXC-CHR"))
        ])
        with freeze_time("2025-01-10 04:00:00"):
            cls._receive(cls._create_purchase(cls.vendor_a, [(cls.cabinet, 300, 10.0), (cls.locker, 300, 10.0)]))
            cls.env["stock.quant"].with_context(inventory_mode=True).create({
                "product_id": cls.chair.id, "location_id": cls.stock_location.id,
                "owner_id": cls.vendor_a.id, "inventory_quantity": 50,
            }).action_apply_inventory()
        with freeze_time("2025-02-10 04:00:00"):
            cls._receive(cls._create_purchase(cls.vendor_a, [(cls.cabinet, 200, 13.0), (cls.locker, 200, 13.0)]))
        with freeze_time("2025-05-20 04:00:00"):
            cls._deliver(cls._create_sale(cls.customer_a, [(cls.locker, 100, 30.0)]))
        with freeze_time(NOW):
            cls._receive(cls._create_purchase(cls.vendor_a, [(cls.desk, 500, 10.0)]))
        cls.env.flush_all()

    def _rows(self):
        with freeze_time(NOW):
            rows = self.env["jxc.dead.stock.report"].search([("product_id", "in", (self.cabinet | self.locker | self.desk | self.chair).ids)])
            return {
                row.product_id: (row.stock_status, row.quantity, row.value, row.idle_days, bool(row.last_out_date))
                for row in rows
            }

    def test_one_definition(self):
        rows = self._rows()
        self.assertEqual(rows[self.cabinet], ("dead", 500.0, 5600.0, 142, False))
        self.assertEqual(rows[self.locker], ("slow", 400.0, 4600.0, 12, True))
        # 500 never-shipped desks received today: too recent to judge, not "slow moving"
        self.assertEqual(rows[self.desk], ("new", 500.0, 5000.0, 0, False))
        # consigned: on hand in the warehouse, worth nothing to the company
        self.assertEqual(rows[self.chair], ("dead", 50.0, 0.0, 142, False))
        with freeze_time(NOW):
            desk = self.env["jxc.dead.stock.report"].search([("product_id", "=", self.desk.id)])
            self.assertEqual(str(desk.in_stock_since), NOW)

    def test_row_keeps_its_id_when_its_first_quant_goes(self):
        """The cabinets' row is theirs on every read: their stock moved to a shelf and the emptied
        quant cleaned up by Odoo (``_unlink_zero_quants``), the row keeps its id (a row ticked in the
        list still exports the cabinets), not that of the quant that is left."""
        Report = self.env["jxc.dead.stock.report"]
        with freeze_time(NOW):
            before = Report.search([("product_id", "=", self.cabinet.id)])
            shelf = self.env["stock.location"].create({"name": "JXC Shelf", "location_id": self.stock_location.id})
            Quant = self.env["stock.quant"].with_context(inventory_mode=True)
            Quant.create({"product_id": self.cabinet.id, "location_id": shelf.id, "inventory_quantity": 500}).action_apply_inventory()
            Quant.create({"product_id": self.cabinet.id, "location_id": self.stock_location.id,
                          "inventory_quantity": 0}).action_apply_inventory()
            self.env.flush_all()
            self.env["stock.quant"]._unlink_zero_quants()
            self.assertEqual(self.env["stock.quant"].search([("product_id", "=", self.cabinet.id),
                                                            ("location_id.usage", "=", "internal")]).location_id, shelf)
            self.env.invalidate_all()
            after = Report.search([("product_id", "=", self.cabinet.id)])
        self.assertEqual((len(before), after.id, after.quantity), (1, before.id, 500.0))

    def test_never_sold_counts_from_the_stock_on_hand(self):
        """Trays: 100 received on 10 January, all sent back to the vendor on 20 January, 50
        received on 25 May, none sold. On hand are the 50 of 25 May (the aging dates them so):
        new, idle 7 days since that receipt; not dead since 10 January (142 days)."""
        tray = self.env["product.product"].create(self._prepare_product_vals("JXC Tray", 10.0, 30.0, "JXC-TRY"))
        with freeze_time("2025-01-10 04:00:00"):
            first = self._receive(self._create_purchase(self.vendor_a, [(tray, 100, 10.0)]))
        with freeze_time("2025-01-20 04:00:00"):
            self._return_picking(first, {tray: 100.0})
        with freeze_time("2025-05-25 04:00:00"):
            self._receive(self._create_purchase(self.vendor_a, [(tray, 50, 10.0)]))
        with freeze_time(NOW):
            row = self.env["jxc.dead.stock.report"].search([("product_id", "=", tray.id)])
            self.assertEqual((row.stock_status, row.quantity, row.idle_days, str(row.in_stock_since)),
                             ("new", 50.0, 7, "2025-05-25 04:00:00"))
            aging = self.env["jxc.stock.aging.report"].search([("product_id", "=", tray.id)])
            self.assertEqual(aging.mapped("receipt_date"), [row.in_stock_since])

    def test_return_of_the_newest_receipt_leaves_the_old_stock(self):
        """Mats: 100 received on 10 January, 100 more on 20 May, and those of 20 May sent back to
        the vendor on 22 May; none sold. On hand are the 100 of 10 January: dead, idle 142 days
        since that receipt (the aging dates them so), not new since 20 May."""
        mat = self.env["product.product"].create(self._prepare_product_vals("JXC Mat", 10.0, 30.0, "JXC-MAT"))
        with freeze_time("2025-01-10 04:00:00"):
            self._receive(self._create_purchase(self.vendor_a, [(mat, 100, 10.0)]))
        with freeze_time("2025-05-20 04:00:00"):
            may = self._receive(self._create_purchase(self.vendor_a, [(mat, 100, 10.0)]))
        with freeze_time("2025-05-22 04:00:00"):
            self._return_picking(may, {mat: 100.0})
        with freeze_time(NOW):
            row = self.env["jxc.dead.stock.report"].search([("product_id", "=", mat.id)])
            self.assertEqual((row.stock_status, row.quantity, row.idle_days, str(row.in_stock_since)),
                             ("dead", 100.0, 142, "2025-01-10 04:00:00"))
            aging = self.env["jxc.stock.aging.report"].search([("product_id", "=", mat.id)])
            self.assertEqual([(str(line.receipt_date), line.quantity) for line in aging],
                             [("2025-01-10 04:00:00", 100.0)])

    def test_return_of_an_old_sale_leaves_a_later_one(self):
        """Bins: 100 sold on 15 January, 5 on 20 May, and on 21 May the January 100 came back.
        The last sale is 20 May's 5 (idle 12 days, not dead): the return takes nothing from it."""
        bin_ = self.env["product.product"].create(self._prepare_product_vals("JXC Bin", 10.0, 30.0, "JXC-BIN"))
        with freeze_time("2025-01-10 04:00:00"):
            self._receive(self._create_purchase(self.vendor_a, [(bin_, 200, 10.0)]))
        with freeze_time("2025-01-15 04:00:00"):
            january = self._create_sale(self.customer_a, [(bin_, 100, 30.0)])
            self._deliver(january)
        with freeze_time("2025-05-20 04:00:00"):
            self._deliver(self._create_sale(self.customer_a, [(bin_, 5, 30.0)]))
        with freeze_time("2025-05-21 04:00:00"):
            self._return_picking(january.picking_ids, {bin_: 100})
        self.env.flush_all()
        with freeze_time(NOW):
            row = self.env["jxc.dead.stock.report"].search([("product_id", "=", bin_.id)])
            self.assertEqual((row.quantity, row.idle_days, str(row.last_out_date)), (195.0, 12, "2025-05-20 04:00:00"))
            self.assertNotEqual(row.stock_status, "dead")

    def test_stock_bought_again_after_the_last_sale(self):
        """Jugs: 100 received on 10 January, all sold on 15 January, 50 received on 25 May,
        none sold since. The 50 on hand are 7 days old: not dead though the last sale is 137
        days ago (dead after 90); no sale in the last 90 days: slow."""
        jug = self.env["product.product"].create(self._prepare_product_vals("JXC Jug", 10.0, 30.0, "JXC-JUG"))
        with freeze_time("2025-01-10 04:00:00"):
            self._receive(self._create_purchase(self.vendor_a, [(jug, 100, 10.0)]))
        with freeze_time("2025-01-15 04:00:00"):
            self._deliver(self._create_sale(self.customer_a, [(jug, 100, 30.0)]))
        with freeze_time("2025-05-25 04:00:00"):
            self._receive(self._create_purchase(self.vendor_a, [(jug, 50, 10.0)]))
        with freeze_time(NOW):
            row = self.env["jxc.dead.stock.report"].search([("product_id", "=", jug.id)])
            self.assertEqual(
                (row.stock_status, row.quantity, row.idle_days, str(row.last_out_date), str(row.in_stock_since)),
                ("slow", 50.0, 7, "2025-01-15 04:00:00", "2025-05-25 04:00:00"))

    def test_window_counts_company_days(self):
        """The window is the company's last 90 days, as the idle days count them. Crates: 20
        sold on 3 March at 20:00 in Shanghai, 90 company days before 1 June (noon there):
        dead, and not sold in the window, though 90 x 24 hours before now is 3 March at noon.
        Bowls: 20 sold on 4 March at 07:00 in Shanghai (3 March, 23:00 UTC): idle 89 days,
        in the window (20 x 365 / 90 / 80 = 1.01 turns a year: slow)."""
        Product = self.env["product.product"]
        crate, bowl = Product.create([self._prepare_product_vals("JXC Crate", 10.0, 30.0, "JXC-CRT"),
                                      self._prepare_product_vals("JXC Bowl", 10.0, 30.0, "JXC-BWL")])
        with freeze_time("2025-01-10 04:00:00"):
            self._receive(self._create_purchase(self.vendor_a, [(crate, 100, 10.0), (bowl, 100, 10.0)]))
        with freeze_time("2025-03-03 12:00:00"):
            self._deliver(self._create_sale(self.customer_a, [(crate, 20, 30.0)]))
        with freeze_time("2025-03-03 23:00:00"):
            self._deliver(self._create_sale(self.customer_a, [(bowl, 20, 30.0)]))
        with freeze_time(NOW):
            rows = {row.product_id: (row.stock_status, row.idle_days, row.window_out_qty)
                    for row in self.env["jxc.dead.stock.report"].search([("product_id", "in", (crate | bowl).ids)])}
        self.assertEqual(rows, {crate: ("dead", 90, 0.0), bowl: ("slow", 89, 20.0)})

    def test_values_are_odoo_valuation(self):
        rows = self._rows()
        with freeze_time(NOW):
            for product in (self.cabinet, self.locker, self.desk):
                odoo_value = product.with_context(warehouse_id=self.warehouse.id).total_value
                self.assertAlmostEqual(rows[product][2], odoo_value, places=2, msg=product.name)

    def test_tiles_are_the_list(self):
        with freeze_time(NOW):
            Report = self.env["jxc.dead.stock.report"]
            tiles = {t["key"]: t for t in Report._get_jxc_dashboard_kpis(self.company, None, None)}
            dead = Report.search(tiles["dead_stock_value"]["action"]["domain"])
        self.assertEqual(tiles["dead_stock_value"]["value"], sum(dead.mapped("value")))
        self.assertEqual(tiles["dead_stock_products"]["value"], len(dead.product_id))
        # the products' tile opens the list by product: its groups are the products it counts
        products_action = tiles["dead_stock_products"]["action"]
        self.assertEqual(products_action["context"], {"group_by": ["product_id"]})
        with freeze_time(NOW):
            groups = Report.formatted_read_group(products_action["domain"], ["product_id"], ["__count"])
        self.assertEqual(len(groups), tiles["dead_stock_products"]["value"])
        self.assertIn(self.cabinet, dead.product_id)
        self.assertNotIn(self.desk, dead.product_id)
        self.assertIn("90 days", tiles["dead_stock_value"]["description"])
