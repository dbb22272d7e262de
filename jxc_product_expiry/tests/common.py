"""Shared fixtures of the shelf-life tests (dates in UTC; the company runs on Asia/Shanghai).

"JXC Yogurt" (lots, expiration time 100 days, alert 20 days before; average cost) is bought
from vendor A and B; its first vendor is A (sequence 1), then B:

==========  ================================================  ===========  ===========
when        what                                              expires      alert
==========  ================================================  ===========  ===========
2025-01-01  receipt from vendor A: lot Y-A 40 @ 2.0 (WH)       2025-04-11   2025-03-22
2025-02-01  delivery of 20 (from Y-A)
2025-03-01  receipt from vendor B: lot Y-B 60 @ 3.0 (WH)       2025-06-09   2025-05-20
2025-03-02  count in WH2 finds lot Y-C, 5 units                2025-03-20   2025-02-28
==========  ================================================  ===========  ===========

Average cost after that: (20 x 2 + 60 x 3) / 80 = 2.75 (the count adds at 2.75). Expiration
dates of the received lots are computed by product_expiry from the receipt's scheduled date
(the orders' planned date, 12:00 in Shanghai) plus the product's expiration time.
"""

from freezegun import freeze_time

from odoo.addons.jxc_addon.tests.common import JxcCommon


class JxcExpiryCommon(JxcCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warehouse_2 = cls.env["stock.warehouse"].create({"name": "JXC Second Warehouse", "code": "JXC2"})
        cls.dairy = cls.env["product.category"].create({"name": "JXC Dairy", "property_cost_method": "average"})
        # created before the history: its initial cost would otherwise be a revaluation dated today
        with freeze_time("2024-12-01 04:00:00"):
            cls.yogurt = cls._create_expiry_product("JXC Yogurt", "JXC-Y01", cls.jxc_user)
        cls.env["product.supplierinfo"].create([
            {"partner_id": cls.vendor_b.id, "product_tmpl_id": cls.yogurt.product_tmpl_id.id, "price": 3.0,
             "sequence": 2},
            {"partner_id": cls.vendor_a.id, "product_tmpl_id": cls.yogurt.product_tmpl_id.id, "price": 2.0,
             "sequence": 1},
        ])
        with freeze_time("2025-01-01 04:00:00"):
            cls.lot_a = cls._receive_lot(cls.vendor_a, cls.yogurt, 40, 2.0, "Y-A", "2025-01-01 04:00:00")
        with freeze_time("2025-02-01 04:00:00"):
            cls._deliver(cls._create_sale(cls.customer_a, [(cls.yogurt, 20, 5.0)]))
        with freeze_time("2025-03-01 04:00:00"):
            cls.lot_b = cls._receive_lot(cls.vendor_b, cls.yogurt, 60, 3.0, "Y-B", "2025-03-01 04:00:00")
        with freeze_time("2025-03-02 04:00:00"):
            cls.lot_c = cls.env["stock.lot"].create({
                "name": "Y-C", "product_id": cls.yogurt.id, "company_id": cls.company.id,
                "expiration_date": "2025-03-20 04:00:00",
            })
            cls.env["stock.quant"].with_context(inventory_mode=True).create({
                "product_id": cls.yogurt.id,
                "location_id": cls.warehouse_2.lot_stock_id.id,
                "lot_id": cls.lot_c.id,
                "inventory_quantity": 5,
            }).action_apply_inventory()
        cls.env.flush_all()

    @classmethod
    def _create_expiry_product(cls, name, code, responsible):
        """A dairy product tracked by lots: expires 100 days after receipt, alert 20 days before."""
        return cls.env["product.product"].create({
            **cls._prepare_product_vals(name, 2.0, 5.0, code),
            "categ_id": cls.dairy.id,
            "tracking": "lot",
            "use_expiration_date": True,
            "expiration_time": 100,
            "alert_time": 20,
            "use_time": 0,
            "removal_time": 0,
            "responsible_id": responsible.id,
        })

    @classmethod
    def _receive_lot(cls, vendor, product, qty, price, lot_name, date_planned):
        """Buy ``qty`` of ``product`` and receive them as a new lot; returns the lot."""
        order = cls._create_purchase(vendor, [(product, qty, price)], date_planned=date_planned)
        picking = order.picking_ids
        move_line = picking.move_ids.move_line_ids
        move_line.write({"lot_name": lot_name, "quantity": qty})
        picking.move_ids.picked = True
        picking.button_validate()
        return move_line.lot_id
