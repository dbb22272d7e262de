from odoo.tests import tagged

from ..tools.whole_units import packaging_multiple, whole_unit_levels
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
        """The Widget: reorder point 13.5 + 24.38 = 37.88 -> 38; vendor B's minimum order 40 on
        top -> maximum 78. The Gadget: 0.8 x 5 + 9.77 = 13.77 -> 14; review demand 0.8 x 7 = 5.6
        -> 6 -> maximum 20; the plan suggests 78 - 10 on hand = 68 Widgets (not 67.88)."""
        self._compute()
        widget, gadget = self._orderpoint(self.product_1), self._orderpoint(self.product_2)
        self.assertEqual((widget.product_min_qty, widget.product_max_qty), (38.0, 78.0))
        self.assertEqual((gadget.product_min_qty, gadget.product_max_qty), (14.0, 20.0))
        plan = self.env["jxc.purchase.plan"]._refresh(self.company)
        line = plan.filtered(lambda line: line.product_id == self.product_1)
        self.assertEqual(line.suggested_qty, 68.0)

    def test_vendor_packaging(self):
        """Vendor A sells the Gadget by the dozen: the order quantity 5.6 becomes one dozen,
        the maximum 14 + 12 = 26."""
        self.env["product.supplierinfo"].search([
            ("product_tmpl_id", "=", self.product_2.product_tmpl_id.id), ("partner_id", "=", self.vendor_a.id),
        ]).write({"product_uom_id": self.env.ref("uom.product_uom_dozen").id, "price": 48.0})
        self._compute()
        gadget = self._orderpoint(self.product_2)
        self.assertEqual((gadget.product_min_qty, gadget.product_max_qty), (14.0, 26.0))
