"""The add-on's stock value next to Odoo's when a warehouse goes below zero, and for lot-valued
stock held beside consigned units of the same lot: per warehouse as Odoo's quants value it
(``stock.quant.value``: the quant's share of the product's or the lot's value), and for the
company as Odoo's ``total_value``."""

from collections import defaultdict
from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .valuation_common import JxcValuationCommon

NOW = "2026-01-15 04:00:00"


@tagged("post_install", "-at_install")
class TestValuationNegativeWarehouse(JxcValuationCommon):
    def _quant_values(self, product):
        """{warehouse_id: Odoo's value of the product's quants in it} now."""
        self.env.flush_all()
        self.env.invalidate_all()
        values = defaultdict(float)
        with freeze_time(NOW):
            for quant in self.env["stock.quant"].search([("product_id", "=", product.id), ("company_id", "=", self.company.id)]):
                values[quant.location_id.warehouse_id.id] += quant.value
        return {wid: round(value, 2) for wid, value in values.items() if round(value, 2)}

    def _ours_now(self, product):
        with freeze_time(NOW):
            values = self.env["jxc.stock.valuation"]._get_stock_values_at(self.company, product_ids=product.ids)
        return {wid: (qty, value, state) for (_pid, wid), (qty, value, state) in values.items()}

    def _delivered_from_the_wrong_warehouse(self, method, code):
        """Created at 5, 110 bought at 12 into WH1, 10 delivered from WH1 and 10 from WH2,
        which held none: WH1 100, WH2 -10, the company 90."""
        product = self._product(method, cost=5.0, code=code)
        self._buy(self.vendor_a, [(product, 110, 12.0)], "2025-01-05 04:00:00")
        self._sell(self.customer_a, [(product, 10, 30.0)], "2025-01-10 04:00:00")
        self._sell(self.customer_a, [(product, 10, 30.0)], "2025-01-12 04:00:00", warehouse=self.warehouse_2)
        return product

    def test_negative_warehouse_valued_as_odoo(self):
        """Odoo values each quant at the company's value per unit, 1,080 / 90 = 12 (AVCO and
        FIFO) or the standard price 5: WH1's 100 and WH2's -10 add up to Odoo's total. Not at
        the cost the product was created with, and WH2 not dropped to nothing."""
        month_end = date(2025, 1, 31)
        wh1, wh2 = self.warehouse.id, self.warehouse_2.id
        for method, unit in (("average", 12.0), ("fifo", 12.0), ("standard", 5.0)):
            with self.subTest(method=method):
                product = self._delivered_from_the_wrong_warehouse(method, "NEG%s" % method[:2].upper())
                self.assertEqualsOdoo(product, month_end, 90 * unit)
                self.assertEqualsOdoo(product, month_end, 100 * unit, warehouse=self.warehouse)
                self.assertEqualsOdoo(product, month_end, -10 * unit, warehouse=self.warehouse_2)
                self.assertEqual(self._quant_values(product), {wh1: 100 * unit, wh2: -10 * unit})
                self.assertEqual(self._ours_now(product), {
                    wh1: (100.0, 100 * unit, False),
                    wh2: (-10.0, -10 * unit, "negative"),
                })

    def test_company_below_zero_keeps_the_replayed_unit_value(self):
        """Created at 5, 10 bought at 12 into WH1, 20 delivered from WH2: the company is at -10,
        WH2's row stays at zero (history incomplete); WH1's 10 are worth Odoo's 12 a unit
        (its quant: 10 x -120 / -10), not the cost of creation."""
        product = self._product("average", cost=5.0, code="NEGCO")
        self._buy(self.vendor_a, [(product, 10, 12.0)], "2025-01-05 04:00:00")
        self._sell(self.customer_a, [(product, 20, 30.0)], "2025-01-12 04:00:00", warehouse=self.warehouse_2)
        self.assertEqual(self._odoo(product, date(2025, 1, 31), warehouse=self.warehouse), 120.0)
        self.assertEqual(self._ours(product, date(2025, 1, 31), warehouse=self.warehouse), 120.0)
        self.assertEqual(self._quant_values(product), {self.warehouse.id: 120.0, self.warehouse_2.id: -240.0})
        self.assertEqual(self._ours_now(product), {
            self.warehouse.id: (10.0, 120.0, "anchored"),
            self.warehouse_2.id: (0.0, 0.0, "incomplete"),
        })


@tagged("post_install", "-at_install")
class TestValuationLotConsigned(JxcValuationCommon):
    def test_lot_with_consigned_units_owned_part_only(self):
        """A lot at standard 100: 10 owned, 5 more received owned by the vendor. Odoo's lot
        value (1,500) covers all 15, its quants value the owned 10 at 1,000 and the consigned
        5 at nothing; the add-on's value of the own stock is the quants', now and at the month
        end."""
        categ = self.categories["standard"]
        with freeze_time("2024-12-20 04:00:00"):
            product = self.env["product.product"].create({
                **self._prepare_product_vals("JXC Lot Consigned", 100.0, 150.0, "JXC-LOTC"),
                "categ_id": categ.id, "tracking": "lot", "lot_valuated": True,
            })
        lot = self.env["stock.lot"].create({"name": "LC-1", "product_id": product.id, "company_id": self.company.id})
        with freeze_time("2025-01-05 04:00:00"):
            self.env["stock.quant"].with_context(inventory_mode=True).create({
                "product_id": product.id, "location_id": self.stock_location.id, "lot_id": lot.id,
                "inventory_quantity": 10,
            }).action_apply_inventory()
        with freeze_time("2025-01-08 04:00:00"):
            picking = self.env["stock.picking"].create({
                "picking_type_id": self.warehouse.in_type_id.id,
                "partner_id": self.vendor_b.id, "owner_id": self.vendor_b.id,
                "location_id": self.env.ref("stock.stock_location_suppliers").id,
                "location_dest_id": self.stock_location.id,
                "move_ids": [(0, 0, {
                    "product_id": product.id, "product_uom_qty": 5, "product_uom": product.uom_id.id,
                    "location_id": self.env.ref("stock.stock_location_suppliers").id,
                    "location_dest_id": self.stock_location.id,
                })],
            })
            picking.action_confirm()
            picking.move_ids.move_line_ids.write({"lot_id": lot.id, "quantity": 5})
            picking.move_ids.picked = True
            picking.button_validate()
        self.assertEqual(picking.move_line_ids.owner_id, self.vendor_b)
        self.env.flush_all()
        self.env.invalidate_all()
        with freeze_time(NOW):
            quants = self.env["stock.quant"].search([("product_id", "=", product.id), ("location_id", "=", self.stock_location.id)])
            odoo_quants = {(q.owner_id == self.vendor_b, q.quantity): round(q.value, 2) for q in quants}
            odoo_lot = round(lot.with_company(self.company).total_value, 2)
            values = self.env["jxc.stock.valuation"]._get_stock_values_at(self.company, product_ids=product.ids)
        self.assertEqual(odoo_quants, {(False, 10.0): 1000.0, (True, 5.0): 0.0})
        self.assertEqual(odoo_lot, 1500.0)
        self.assertEqual(values, {(product.id, self.warehouse.id): (10.0, 1000.0, False)})
        self.assertEqual(self._ours(product, date(2025, 1, 31)), 1000.0)


@tagged("post_install", "-at_install")
class TestValuationConsignedAnchor(JxcValuationCommon):
    def test_consigned_count_is_no_opening_balance(self):
        """5 sold in January from no stock (-5); in February 20 units of the vendor's
        consigned stock are counted in. January is no "anchored" 15 of the company's own (at
        the standard 10: 150): its history stays incomplete, at nothing."""
        product = self._product("standard", cost=10.0, code="ANCCON")
        self._sell(self.customer_a, [(product, 5, 30.0)], "2025-01-12 04:00:00")
        with freeze_time("2025-02-10 04:00:00"):
            self.env["stock.quant"].with_context(inventory_mode=True).create({
                "product_id": product.id, "location_id": self.stock_location.id, "owner_id": self.vendor_b.id,
                "inventory_quantity": 20,
            }).action_apply_inventory()
        with freeze_time(NOW):
            rows = self.env["jxc.inventory.snapshot"]._prepare_month_vals(self.company, date(2025, 1, 31))
        self.assertEqual([(r["quantity"], r["value"], r["history_state"]) for r in rows if r["product_id"] == product.id],
                         [(0.0, 0.0, "incomplete")])
