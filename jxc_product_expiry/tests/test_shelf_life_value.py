"""The value of the shelf-life rows: the add-on's valuation of the company's own stock
(``jxc.stock.valuation``), whatever else the company holds and whatever companies the user
has ticked.

"JXC Kefir" (lots, average cost) is created on 1 March 2025 and bought at 10.0 on 10 March.
"""

from unittest.mock import patch

from freezegun import freeze_time

from odoo.fields import Command
from odoo.tests import Form, tagged

from .common import JxcExpiryCommon

NOW = "2025-04-01 04:00:00"


@tagged("post_install", "-at_install")
class TestShelfLifeValue(JxcExpiryCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time("2025-03-01 04:00:00"):
            cls.kefir = cls._create_expiry_product("JXC Kefir", "JXC-K01", cls.jxc_user)

    def _rows(self, product, env=None, values=True):
        """{(lot, warehouse code): (quantity, value)} (``values`` False: quantity alone)."""
        env = env or self.env
        env.invalidate_all()
        with freeze_time(NOW):
            # one query of the report: the stock is valued when it runs
            rows = env["jxc.shelf.life.report"].search_fetch(
                [("product_id", "=", product.id)], ["lot_id", "warehouse_id", "quantity", *(["value"] if values else [])])
            return {(row.lot_id.name, row.warehouse_id.code): (row.quantity, row.value) if values else row.quantity
                    for row in rows}

    def _replenish_second_warehouse(self, product, qty):
        """The second warehouse is resupplied from the first through the company's transit
        location (Odoo's resupply route); the first ships, the goods are still in transit."""
        self.warehouse_2.resupply_wh_ids = [Command.set(self.warehouse.ids)]
        route = self.warehouse_2.resupply_route_ids.filtered(lambda r: r.supplier_wh_id == self.warehouse)
        wizard = Form(self.env["product.replenish"].with_context(default_product_id=product.id))
        wizard.warehouse_id = self.warehouse_2
        wizard.route_id = route
        wizard.quantity = qty
        wizard.save().launch_replenishment()
        shipment = self.env["stock.move"].search([
            ("product_id", "=", product.id), ("location_id", "=", self.warehouse.lot_stock_id.id),
            ("state", "not in", ("done", "cancel")),
        ]).picking_id
        self._validate_picking(shipment)

    def test_stock_in_transit_takes_no_share(self):
        """Lot L1: 200 bought at 10.0 into WH, 100 shipped to the second warehouse and still
        in transit. WH's row is its 100 units at 10.0: 1000 (Odoo's quant value puts the
        whole 2000 on it: the value of the 200 over the 100 in warehouses)."""
        with freeze_time("2025-03-10 04:00:00"):
            self._receive_lot(self.vendor_a, self.kefir, 200, 10.0, "L1", "2025-03-10 04:00:00")
        with freeze_time("2025-03-11 04:00:00"):
            self._replenish_second_warehouse(self.kefir, 100)
        transit = self.company.internal_transit_location_id
        self.assertEqual(self.kefir.with_context(location=transit.id).qty_available, 100.0)
        self.assertEqual(self._rows(self.kefir), {("L1", self.warehouse.code): (100.0, 1000.0)})

    def test_lot_valuated_stock_in_transit_takes_its_share(self):
        """The same with a lot-valuated product: lot L1's value (2000) covers its 200 units, the
        100 in transit too; WH's 100 are worth 1000, as Odoo's quant value has them (the lot's
        value over its units in internal and transit locations), not 2000."""
        self.kefir.product_tmpl_id.lot_valuated = True
        with freeze_time("2025-03-10 04:00:00"):
            lot = self._receive_lot(self.vendor_a, self.kefir, 200, 10.0, "L1", "2025-03-10 04:00:00")
        with freeze_time("2025-03-11 04:00:00"):
            self._replenish_second_warehouse(self.kefir, 100)
        quant = lot.quant_ids.filtered(lambda q: q.location_id == self.stock_location)
        self.assertEqual((quant.quantity, quant.value), (100.0, 1000.0))
        self.assertEqual(self._rows(self.kefir), {("L1", self.warehouse.code): (100.0, 1000.0)})

    def test_consigned_stock_is_not_the_companys(self):
        """10 own units of lot L1 at 10.0 and 10 more of a vendor's (consignment): the row
        is the own 10, worth 100 (not 50: their value over all 20)."""
        with freeze_time("2025-03-10 04:00:00"):
            lot = self._receive_lot(self.vendor_a, self.kefir, 10, 10.0, "L1", "2025-03-10 04:00:00")
        with freeze_time("2025-03-11 04:00:00"):
            self.env["stock.quant"].with_context(inventory_mode=True).create({
                "product_id": self.kefir.id, "location_id": self.stock_location.id, "lot_id": lot.id,
                "owner_id": self.vendor_b.id, "inventory_quantity": 10,
            }).action_apply_inventory()
        self.assertEqual(self.kefir.with_context(owner_id=self.vendor_b.id).qty_available, 10.0)
        self.assertEqual(self._rows(self.kefir), {("L1", self.warehouse.code): (10.0, 100.0)})

    def test_each_company_valued_by_itself(self):
        """With a second company ticked that holds yogurts too, lot Y-A is still worth its
        company's 20 x 2.75 = 55 (Odoo's quant value mixes both companies' stock)."""
        company_2 = self.env["res.company"].create({"name": "JXC Second Company"})
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", company_2.id)], limit=1)
        lot = self.env["stock.lot"].create({
            "name": "Y-Z", "product_id": self.yogurt.id, "company_id": company_2.id,
            "expiration_date": "2025-04-21 04:00:00",
        })
        with freeze_time("2025-03-20 04:00:00"):
            self.env["stock.quant"].with_company(company_2).with_context(inventory_mode=True).create({
                "product_id": self.yogurt.id, "location_id": warehouse.lot_stock_id.id, "lot_id": lot.id,
                "inventory_quantity": 7,
            }).action_apply_inventory()
        self.jxc_manager.company_ids |= company_2
        both = self.env(user=self.jxc_manager, context={"allowed_company_ids": [self.company.id, company_2.id]})
        rows = self._rows(self.yogurt, both)
        self.assertEqual(rows[("Y-A", self.warehouse.code)], (20.0, 55.0))
        self.assertEqual(rows[("Y-C", self.warehouse_2.code)], (5.0, 13.75))
        self.assertEqual(rows, {**self._rows(self.yogurt, both(context={"allowed_company_ids": [company_2.id]})),
                                **self._rows(self.yogurt, self.env(user=self.jxc_manager))})

    def test_lot_valuated_product_each_lot_its_value(self):
        """A lot-valuated product: each lot at its own cost (4.0 and 8.0)."""
        self.kefir.product_tmpl_id.lot_valuated = True
        with freeze_time("2025-03-10 04:00:00"):
            self._receive_lot(self.vendor_a, self.kefir, 10, 4.0, "L1", "2025-03-10 04:00:00")
            self._receive_lot(self.vendor_b, self.kefir, 10, 8.0, "L2", "2025-03-10 04:00:00")
        self.assertEqual(self._rows(self.kefir), {
            ("L1", self.warehouse.code): (10.0, 40.0), ("L2", self.warehouse.code): (10.0, 80.0),
        })

    def test_valued_once_per_company_and_not_for_users(self):
        """The stock is valued once per company of the rows for a manager's read, and not at
        all for a user, who may not read the value."""
        Valuation = type(self.env["jxc.stock.valuation"])
        original = Valuation._get_stock_values_at
        calls = []

        def counted(model, company, instant=None, product_ids=None):
            calls.append(company)
            return original(model, company, instant=instant, product_ids=product_ids)

        with patch.object(Valuation, "_get_stock_values_at", counted):
            self.assertEqual(len(self._rows(self.yogurt, self.env(user=self.jxc_user), values=False)), 3)
            self.assertEqual(calls, [])
            self.assertEqual(self._rows(self.yogurt, self.env(user=self.jxc_manager))[("Y-A", self.warehouse.code)],
                             (20.0, 55.0))
            self.assertEqual(calls, [self.company])
