from freezegun import freeze_time

from odoo.tests import tagged

from ..tools.whole_units import is_counted_in_pieces, packaging_multiple, whole_unit_levels
from .safety_common import SafetyStockCommon


@tagged("post_install", "-at_install")
class TestWholeUnits(SafetyStockCommon):
    """Reorder points, maxima and the purchase plan's suggestions come in whole units of the
    product, and the order quantity in whole purchase packagings (fixtures: safety_common.py)."""

    def test_levels(self):
        self.assertEqual(whole_unit_levels(11.64, 17.2), (12.0, 18.0))  # order 5.56 -> 6
        self.assertEqual(whole_unit_levels(11.64, 23.5, 6.0), (12.0, 24.0))  # order 11.86 -> 2 packs of 6
        self.assertEqual(whole_unit_levels(12.000000001, 18.0000001), (12.0, 18.0))  # float noise
        self.assertEqual(whole_unit_levels(0.0, 0.0), (0.0, 0.0))
        self.assertEqual(whole_unit_levels(0.0, 2.5), (0.0, 3.0))

    def test_packaging_multiple(self):
        unit = self.uom_unit
        self.assertEqual(packaging_multiple(unit, self.env.ref("uom.product_uom_pack_6")), 6.0)
        self.assertEqual(packaging_multiple(unit, self.env.ref("uom.product_uom_dozen")), 12.0)
        self.assertEqual(packaging_multiple(unit, unit), 0.0)
        self.assertEqual(packaging_multiple(unit, self.env.ref("uom.product_uom_kgm")), 0.0)  # not a packaging of units
        self.assertEqual(packaging_multiple(unit, self.env["uom.uom"]), 0.0)

    def test_reordering_rule_in_whole_units(self):
        """The Widget: reorder point 13.5 + 33.54 = 47.04 -> 48; vendor B's minimum order 40 on
        top -> maximum 88. The Gadget: 0.8 x 5 + 15.38 = 19.38 -> 20; review demand 0.8 x 7 = 5.6
        -> 6 -> maximum 26 (safety stocks in test_safety_stock.py); the plan suggests 88 - 10 on
        hand = 78 Widgets (not 77.04)."""
        self._compute()
        widget, gadget = self._orderpoint(self.product_1), self._orderpoint(self.product_2)
        self.assertEqual((widget.product_min_qty, widget.product_max_qty), (48.0, 88.0))
        self.assertEqual((gadget.product_min_qty, gadget.product_max_qty), (20.0, 26.0))
        plan = self.env["jxc.purchase.plan"]._refresh(self.company)
        line = plan.filtered(lambda line: line.product_id == self.product_1)
        self.assertEqual(line.suggested_qty, 78.0)

    def test_vendor_packaging(self):
        """Vendor A sells the Gadget by the dozen: the order quantity 5.6 becomes one dozen,
        the maximum 20 + 12 = 32."""
        self.env["product.supplierinfo"].search([
            ("product_tmpl_id", "=", self.product_2.product_tmpl_id.id), ("partner_id", "=", self.vendor_a.id),
        ]).write({"product_uom_id": self.env.ref("uom.product_uom_dozen").id, "price": 48.0})
        self._compute()
        gadget = self._orderpoint(self.product_2)
        self.assertEqual((gadget.product_min_qty, gadget.product_max_qty), (20.0, 32.0))

    def test_measured_units(self):
        kg, litre = self.env.ref("uom.product_uom_kgm"), self.env.ref("uom.product_uom_litre")
        self.assertTrue(is_counted_in_pieces(self.uom_unit))
        self.assertTrue(is_counted_in_pieces(self.env.ref("uom.product_uom_dozen")))
        self.assertTrue(is_counted_in_pieces(self._pack_of(24)))
        self.assertFalse(is_counted_in_pieces(kg))
        self.assertFalse(is_counted_in_pieces(litre))
        self.assertEqual(whole_unit_levels(11.64, 17.2, pieces=False), (11.64, 17.2))
        self.assertEqual(whole_unit_levels(11.64, 17.2, 25.0, pieces=False), (11.64, 36.64))  # one 25 kg bag
        self.assertEqual(whole_unit_levels(11.64, 70.0, 25.0, pieces=False), (11.64, 86.64))  # 58.36 kg -> 3 bags

    def test_reordering_rule_in_kg(self):
        """Rice sold by the kg keeps its fractions: 3.5 kg on 22 June and 1.25 kg on 25 June
        over the 10 days: mean 0.475 kg a day, sigma sqrt((13.8125 - 10 x 0.475^2) / 9) =
        1.133149, over 5 days 2.533799; the daily check's undershoot E[U] = 1.38125 / 0.95 =
        1.453947, Var U = 4.482813 / 1.425 - 2.113963 = 1.031870; safety stock 1.453947 +
        1.644854 x sqrt(2.533799^2 + 1.031870) = 5.9441 -> 5.95; reorder point 0.475 x 5 + 5.95
        = 8.325 -> 8.33 (not 9); maximum + 0.475 x 7 = 11.655 -> 11.66 (not 12). Bought by 25 kg
        bags, the order quantity 3.33 kg becomes one bag: 33.33."""
        kg = self.env.ref("uom.product_uom_kgm")
        rice = self.env["product.product"].create({
            **self._prepare_product_vals("JXC Rice", 2.0, 4.0, "JXC-RICE"), "uom_id": kg.id,
        })
        seller = self.env["product.supplierinfo"].create({
            "partner_id": self.vendor_a.id, "product_tmpl_id": rice.product_tmpl_id.id, "price": 2.0, "delay": 5,
        })
        with freeze_time("2025-06-01 02:00:00"):
            self._set_on_hand(rice, 100.0)
        for when, qty in (("2025-06-22 02:00:00", 3.5), ("2025-06-25 02:00:00", 1.25)):
            with freeze_time(when):
                self._deliver(self._create_sale(self.customer_a, [(rice, qty, 4.0)]))
        self._compute()
        rule = self._orderpoint(rice)
        self.assertEqual((rule.jxc_forecast_lt, rule.jxc_forecast_review), (2.38, 3.33))
        self.assertEqual((rule.jxc_safety_stock, rule.product_min_qty, rule.product_max_qty), (5.95, 8.33, 11.66))

        bag = self.env["uom.uom"].create({"name": "Bag of 25 kg", "relative_factor": 25.0, "relative_uom_id": kg.id})
        seller.write({"product_uom_id": bag.id, "price": 50.0})
        self._compute()
        self.assertEqual((rule.product_min_qty, rule.product_max_qty), (8.33, 33.33))
