"""Stock aging and dead stock date lot-tracked goods by their own lots, not by FIFO over all of
the product's lots: picking by expiry (FEFO) ships newer lots first, and the lot left on hand is
as old as its own receipt.

On 7 December 2026 (noon in Shanghai; dead after 180 days, slow below 2 turns a year), each
product bought at 5 (standard cost) received lot A (10) on 1 May (220 days ago) and lot B (10) on
27 November (10 days ago) into WH:
* milk: lot B sold on 2 December: lot A is left, 220 days old; sold 5 days ago, active;
* yogurt: lot B scrapped on 2 December: lot A is left, never sold: dead since 1 May;
* cheese: 5 of lot B sold on 2 December, all of lot A moved to a second warehouse on 3
  December: there lot A is 220 days old (FIFO over both lots took 5 of May and 5 of November).
"""

from freezegun import freeze_time

from odoo.fields import Command
from odoo.tests import Form, tagged

from .common import JxcCommon

NOW = "2026-12-07 04:00:00"
MAY = "2026-05-01 04:00:00"
NOVEMBER = "2026-11-27 04:00:00"


@tagged("post_install", "-at_install")
class TestAgingByLot(JxcCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.startClassPatcher(freeze_time(NOW))
        cls._set_stock_status_limits(dead_days=180, slow_rate=2.0)
        cls.warehouse_2 = cls.env["stock.warehouse"].create({"name": "JXC Lot Second", "code": "JXL2"})
        cls.milk, cls.yogurt, cls.cheese = cls.env["product.product"].create([
            {**cls._prepare_product_vals(name, 5.0, 9.0, code), "tracking": "lot"}
            for name, code in (("JXC Milk", "JXC-MLK"), ("JXC Yogurt", "JXC-YGT"), ("JXC Cheese", "JXC-CHS"))
        ])
        products = cls.milk | cls.yogurt | cls.cheese
        cls.lots_a = cls._buy_lots(products, "A", 10, MAY)
        cls.lots_b = cls._buy_lots(products, "B", 10, NOVEMBER)
        with freeze_time("2026-12-02 04:00:00"):
            sale = cls._create_sale(cls.customer_a, [(cls.milk, 10, 9.0), (cls.cheese, 5, 9.0)])
            cls._validate_lots(sale.picking_ids, {cls.milk: [(cls.lots_b[cls.milk], 10)],
                                                  cls.cheese: [(cls.lots_b[cls.cheese], 5)]})
            cls.env["stock.scrap"].create({
                "product_id": cls.yogurt.id, "lot_id": cls.lots_b[cls.yogurt].id, "scrap_qty": 10,
                "location_id": cls.stock_location.id,
            }).action_validate()
        with freeze_time("2026-12-03 04:00:00"):
            picking = cls.env["stock.picking"].create({
                "picking_type_id": cls.warehouse.int_type_id.id,
                "location_id": cls.stock_location.id,
                "location_dest_id": cls.warehouse_2.lot_stock_id.id,
                "move_ids": [Command.create({
                    "product_id": cls.cheese.id, "product_uom_qty": 10,
                    "location_id": cls.stock_location.id, "location_dest_id": cls.warehouse_2.lot_stock_id.id,
                })],
            })
            picking.action_confirm()
            cls._validate_lots(picking, {cls.cheese: [(cls.lots_a[cls.cheese], 10)]})
        cls.env.flush_all()

    @classmethod
    def _buy_lots(cls, products, suffix, qty, when):
        """Receive ``qty`` of each product at ``when`` as a new lot named after it: {product: lot}."""
        with freeze_time(when):
            order = cls._create_purchase(cls.vendor_a, [(product, qty, 5.0) for product in products])
            cls._validate_lots(order.picking_ids, {p: [(f"{p.default_code}-{suffix}", qty)] for p in products})
        return {line.product_id: line.lot_id for line in order.picking_ids.move_line_ids}

    @classmethod
    def _validate_lots(cls, picking, lots):
        """Validate ``picking`` with the lines {product: [(lot, qty)]}: a lot's name creates it (a
        receipt), a lot (stock.lot) is taken from where the move comes from."""
        for move in picking.move_ids:
            move.move_line_ids.unlink()
            cls.env["stock.move.line"].create([{
                "move_id": move.id, "picking_id": picking.id, "product_id": move.product_id.id, "quantity": qty,
                "location_id": move.location_id.id, "location_dest_id": move.location_dest_id.id,
                **({"lot_name": lot} if isinstance(lot, str) else {"lot_id": lot.id}),
            } for lot, qty in lots.get(move.product_id, [])])
            move.picked = True
        picking.with_context(skip_backorder=True).button_validate()
        return picking

    def _aging(self, product):
        rows = self.env["jxc.stock.aging.report"].search([("product_id", "=", product.id)])
        return sorted(
            (r.warehouse_id.code, r.lot_id.name, str(r.receipt_date), r.age_days, r.age_bucket, r.quantity, r.value)
            for r in rows
        )

    def _dead_stock(self, product):
        rows = self.env["jxc.dead.stock.report"].search([("product_id", "=", product.id)])
        return {
            r.warehouse_id.code: (r.stock_status, r.quantity, r.idle_days, str(r.in_stock_since), str(r.last_out_date))
            for r in rows
        }

    def test_old_lot_left_when_the_new_one_was_sold(self):
        """Milk: lot A is on hand (Odoo's quant: in since 1 May), not 10 units of 27 November."""
        self.assertEqual(self._aging(self.milk), [("WH", "JXC-MLK-A", MAY, 220, "5. 181-365 days", 10.0, 50.0)])
        # sold 5 days ago (10 x 365 / 180 / 10 = 2.03 turns a year): active, on hand since 1 May
        self.assertEqual(self._dead_stock(self.milk), {"WH": ("active", 10.0, 5, MAY, "2026-12-02 04:00:00")})

    def test_old_lot_left_when_the_new_one_was_scrapped(self):
        """Yogurt: never sold, lot A on hand since 1 May: dead, idle 220 days, not new since 27 November."""
        self.assertEqual(self._aging(self.yogurt), [("WH", "JXC-YGT-A", MAY, 220, "5. 181-365 days", 10.0, 50.0)])
        self.assertEqual(self._dead_stock(self.yogurt), {"WH": ("dead", 10.0, 220, MAY, "False")})

    def test_transferred_lot_keeps_its_receipt(self):
        """Cheese: WH2 holds lot A, received on 1 May (followed back through the transfer by that
        lot); WH the 5 left of lot B, received on 27 November."""
        self.assertEqual(self._aging(self.cheese), [
            ("JXL2", "JXC-CHS-A", MAY, 220, "5. 181-365 days", 10.0, 50.0),
            ("WH", "JXC-CHS-B", NOVEMBER, 10, "1. 0-30 days", 5.0, 25.0),
        ])
        self.assertEqual(self._dead_stock(self.cheese)["JXL2"], ("dead", 10.0, 220, MAY, "False"))

    def test_return_of_one_lot_of_a_receipt(self):
        """Butter: lots C and D received together on 1 May, lot C sent back to the vendor on 5
        May: on hand is lot D, of that receipt (the return took lot C, not the receipt's last line)."""
        butter = self.env["product.product"].create({**self._prepare_product_vals("JXC Butter", 5.0, 9.0, "JXC-BTR"),
                                                     "tracking": "lot"})
        with freeze_time(MAY):
            receipt = self._validate_lots(self._create_purchase(self.vendor_a, [(butter, 20, 5.0)]).picking_ids,
                                          {butter: [("JXC-BTR-C", 10), ("JXC-BTR-D", 10)]})
        lot_c = receipt.move_line_ids.lot_id.filtered(lambda lot: lot.name == "JXC-BTR-C")
        with freeze_time("2026-05-05 04:00:00"):
            wizard = Form(self.env["stock.return.picking"].with_context(
                active_id=receipt.id, active_model="stock.picking")).save()
            wizard.product_return_moves.quantity = 10
            returned = self.env["stock.picking"].browse(wizard.action_create_returns()["res_id"])
            self._validate_lots(returned, {butter: [(lot_c, 10)]})
        self.assertEqual(self._aging(butter), [("WH", "JXC-BTR-D", MAY, 220, "5. 181-365 days", 10.0, 50.0)])
        self.assertEqual(self._dead_stock(butter), {"WH": ("dead", 10.0, 220, MAY, "False")})

    def test_lot_below_zero_has_no_age(self):
        """Cream: lot A on hand, then 3 of lot B delivered though WH had none of it: lot B is at
        -3 in Odoo's quants. Lot A's 10 are aged, lot B's -3 are Negative Stock (no age); the rows
        add up to the 7 on hand and to Odoo's value, all on the aged row."""
        cream = self.env["product.product"].create({**self._prepare_product_vals("JXC Cream", 5.0, 9.0, "JXC-CRM"),
                                                    "tracking": "lot"})
        self._buy_lots(cream, "A", 10, MAY)
        lot_b = self.env["stock.lot"].create({"name": "JXC-CRM-B", "product_id": cream.id})
        with freeze_time("2026-12-02 04:00:00"):
            self._validate_lots(self._create_sale(self.customer_a, [(cream, 3, 9.0)]).picking_ids, {cream: [(lot_b, 3)]})
        self.assertEqual(self._aging(cream), [
            ("WH", "JXC-CRM-A", MAY, 220, "5. 181-365 days", 10.0, 35.0),
            ("WH", "JXC-CRM-B", "False", 0, "Negative Stock", -3.0, 0.0),
        ])
        self.assertEqual(cream.qty_available, 7.0)
        self.assertEqual(cream.with_context(warehouse_id=self.warehouse.id).total_value, 35.0)

    def test_lots_valued_apart_keep_their_own_value(self):
        """Ghee is valued by lot at standard cost: lots A (May) and B (November), 10 each at
        the product's 100, then lot B's cost set to 300. Odoo values the quants of lot A at
        1,000 and of lot B at 3,000; their age rows too, not 2,000 each."""
        categ = self._create_category("JXC Lots Apart", "standard")
        ghee = self.env["product.product"].create({**self._prepare_product_vals("JXC Ghee", 100.0, 400.0, "JXC-GHE"),
                                                   "tracking": "lot", "lot_valuated": True, "categ_id": categ.id})
        self._buy_lots(ghee, "A", 10, MAY)
        lot_b = self._buy_lots(ghee, "B", 10, NOVEMBER)[ghee]
        lot_b.standard_price = 300.0
        self.env.flush_all()
        quants = self.env["stock.quant"].search([("product_id", "=", ghee.id), ("location_id", "=", self.stock_location.id)])
        self.assertEqual(sorted((q.lot_id.name, q.value) for q in quants), [("JXC-GHE-A", 1000.0), ("JXC-GHE-B", 3000.0)])
        self.assertEqual(self._aging(ghee), [
            ("WH", "JXC-GHE-A", MAY, 220, "5. 181-365 days", 10.0, 1000.0),
            ("WH", "JXC-GHE-B", NOVEMBER, 10, "1. 0-30 days", 10.0, 3000.0),
        ])
