from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import JxcCommon


@tagged("post_install", "-at_install")
class TestSupplierRiskConfirmation(JxcCommon):
    """Warning and blocking of orders of a vendor at risk, through purchase.order.button_confirm."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Vendor B last sold product_1 at 12.50 (its supplier info says 11.00).
        with freeze_time("2025-06-02 02:00:00"):
            cls._create_purchase(cls.vendor_b, [(cls.product_1, 2.0, 12.5)])
        cls.vendor_a.with_company(cls.company).write({
            "jxc_supplier_risk": True, "jxc_supplier_risk_reason": "grade D (score 40.0)",
            "jxc_supplier_grade": "d", "jxc_supplier_score": 40.0,
        })
        cls.vendor_b.with_company(cls.company).write({"jxc_supplier_grade": "b", "jxc_supplier_score": 80.0})

    def _draft_order(self):
        return self._create_purchase(self.vendor_a, [(self.product_1, 5.0, 10.0)], confirm=False)

    def _messages(self, order):
        return "\n".join(order.message_ids.mapped("body"))

    def test_warning_lists_alternatives_and_confirms(self):
        self.company.jxc_supplier_risk_action = "warn"
        order = self._draft_order().with_user(self.jxc_user)
        self.assertEqual(order.jxc_supplier_grade, "d")
        action = order.button_confirm()
        self.assertEqual(action["res_model"], "jxc.supplier.risk.wizard")
        self.assertEqual(order.state, "draft")
        wizard = self.env["jxc.supplier.risk.wizard"].with_user(self.jxc_user).browse(action["res_id"])
        self.assertFalse(wizard.blocking)
        self.assertEqual(
            [(alt.partner_id, alt.product_id, alt.grade, alt.price) for alt in wizard.alternative_ids],
            [(self.vendor_b, self.product_1, "b", 12.5)],
        )
        self.assertIn("grade D (score 40.0)", wizard.message)
        self.assertIn("JXC Vendor B for [JXC-001] JXC Widget: grade B", wizard.message)
        wizard.action_confirm()
        self.assertEqual(order.state, "purchase")
        self.assertIn("despite the supplier risk warning", self._messages(order))

    def test_block_refuses_a_buyer(self):
        self.company.jxc_supplier_risk_action = "block"
        order = self._draft_order()
        with self.assertRaisesRegex(UserError, "only a purchase manager can confirm"):
            order.with_user(self.jxc_user).button_confirm()
        self.assertEqual(order.state, "draft")
        # Nor can a buyer push a manager's override dialog through.
        action = order.with_user(self.jxc_manager).button_confirm()
        wizard = self.env["jxc.supplier.risk.wizard"].browse(action["res_id"])
        with self.assertRaisesRegex(UserError, "Only a purchase manager"):
            wizard.with_user(self.jxc_user).action_confirm()
        self.assertEqual(order.state, "draft")

    def test_block_manager_override_is_logged(self):
        self.company.jxc_supplier_risk_action = "block"
        order = self._draft_order().with_user(self.jxc_manager)
        action = order.button_confirm()
        wizard = self.env["jxc.supplier.risk.wizard"].with_user(self.jxc_manager).browse(action["res_id"])
        self.assertTrue(wizard.blocking)
        wizard.override_reason = "Sole source this week"
        wizard.action_confirm()
        self.assertEqual(order.state, "purchase")
        log = self._messages(order)
        self.assertIn("overriding the block of a vendor at risk", log)
        self.assertIn("Sole source this week", log)
        self.assertIn("JXC Manager", log)

    def test_no_warning_when_disabled_or_not_at_risk(self):
        self.company.jxc_supplier_risk_action = "none"
        order = self._draft_order()
        self.assertTrue(order.with_user(self.jxc_user).button_confirm())
        self.assertEqual(order.state, "purchase")
        self.company.jxc_supplier_risk_action = "block"
        other = self._create_purchase(self.vendor_b, [(self.product_1, 1.0, 11.0)], confirm=False)
        other.with_user(self.jxc_user).button_confirm()
        self.assertEqual(other.state, "purchase")
        # The risk is per company: in another company the vendor is not flagged.
        self.assertFalse(self.vendor_a.with_company(self.env["res.company"].create({"name": "JXC Risk Co"})).jxc_supplier_risk)
