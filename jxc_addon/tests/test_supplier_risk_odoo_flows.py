"""Odoo's own flows that meet a vendor's standing: the contact merge of two vendors (Contacts >
Merge) and "Add to Purchase Order" from a vendor bill's purchase matching."""

from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from .common import JxcCommon
from .common_supplier import JxcSupplierCommon


@tagged("post_install", "-at_install")
class TestMergedVendorKeepsItsStanding(JxcSupplierCommon):
    """February and March of the worked example computed: in the main company vendor C is at
    risk by its March evaluation (grade D, score 11.54), A and B are graded and not at risk.
    A second company evaluates nobody; its standings are set there by hand. Contacts are
    merged by a buyer who may edit contacts (not a standing) and by an inventory control
    manager, both working in the main company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        (cls.february | cls.march).action_compute()
        cls.company_2 = cls.env["res.company"].create({"name": "JXC Merge Co"})
        cls.buyer = new_test_user(cls.env, login="jxc_merge_buyer", groups=(
            "jxc_addon.group_jxc_user,purchase.group_purchase_user,base.group_partner_manager"))
        cls.duplicate = cls.env["res.partner"].create({"name": "JXC Vendor C (old)", "supplier_rank": 1})

    @classmethod
    def _set_graded(cls, vendor, company, grade, score):
        """``vendor`` graded in ``company`` as an evaluation grades it, not at risk."""
        vendor.with_company(company).write(
            {"jxc_supplier_grade": grade, "jxc_supplier_score": score, "jxc_supplier_standing_manual": False})

    def _standing(self, vendor, company):
        vendor = vendor.with_company(company).sudo()
        return (vendor.jxc_supplier_grade, vendor.jxc_supplier_score, vendor.jxc_supplier_risk,
                vendor.jxc_supplier_risk_reason, vendor.jxc_supplier_standing_manual)

    def _merge(self, user, source, destination):
        """Contacts > Merge of ``source`` into ``destination`` as ``user`` (the wizard's records are the user's)."""
        self.env["base.partner.merge.automatic.wizard"].with_user(user)._merge(
            (source | destination).ids, destination.with_user(user))
        self.assertFalse(source.exists())

    def test_buyer_merges_a_vendor_at_risk_into_a_clean_duplicate(self):
        """C at risk merged into its old duplicate, never evaluated: the merged vendor is at risk
        with C's evaluation, and stays blocked. In the second company the duplicate was at risk by
        hand and C graded A: the duplicate's risk set by hand stays, without C's grade."""
        evaluation_c = self._evaluation(self.march, self.vendor_c)
        self.assertEqual(self._standing(self.vendor_c, self.company), ("d", 11.5, True, "grade D (score 11.54)", False))
        self.duplicate.with_company(self.company_2).write({"jxc_supplier_risk": True, "jxc_supplier_risk_reason": "Recall"})
        self._set_graded(self.vendor_c, self.company_2, "a", 95.0)
        self._merge(self.buyer, self.vendor_c, self.duplicate)
        self.assertEqual(self._standing(self.duplicate, self.company),
                         ("d", 11.5, True, "grade D (score 11.54)", False))
        self.assertEqual(self.duplicate.with_company(self.company).sudo().jxc_supplier_evaluation_id, evaluation_c)
        self.assertEqual(evaluation_c.partner_id, self.duplicate)
        self.assertEqual(self._standing(self.duplicate, self.company_2), (False, 0.0, True, "Recall", True))
        # C's order, now the merged vendor's, is still blocked for the buyer
        self.company.jxc_supplier_risk_action = "block"
        order = self._create_purchase(self.duplicate, [(self.product_2, 1.0, 5.0)], confirm=False)
        with self.assertRaisesRegex(UserError, "only a purchase manager can confirm"):
            order.with_user(self.buyer).button_confirm()
        self.assertEqual(order.state, "draft")

    def test_manager_merge_leaves_the_risk_to_the_evaluation(self):
        """A manager merges C (at risk) into A (grade of its own evaluation): A takes C's whole
        standing, still the evaluation's (not set by hand), so that March computed again with C's
        orders now A's sets A's standing. In the second company A had none: it takes C's grade."""
        self.assertFalse(self.vendor_a.with_company(self.company).jxc_supplier_risk)
        self._set_graded(self.vendor_c, self.company_2, "c", 55.0)
        self._merge(self.jxc_manager, self.vendor_c, self.vendor_a)
        # Odoo's merge deletes C's evaluation of March, the period A has one of: the risk stays without it
        self.assertEqual(self._standing(self.vendor_a, self.company), ("d", 11.5, True, False, False))
        self.assertFalse(self.vendor_a.with_company(self.company).sudo().jxc_supplier_evaluation_id)
        self.assertEqual(self._standing(self.vendor_a, self.company_2), ("c", 55.0, False, False, False))
        self.march.action_compute()
        evaluation = self._evaluation(self.march, self.vendor_a)
        vendor = self.vendor_a.with_company(self.company).sudo()
        self.assertEqual((vendor.jxc_supplier_evaluation_id, vendor.jxc_supplier_grade, vendor.jxc_supplier_risk),
                         (evaluation, evaluation.grade, evaluation.risk))

    def test_clean_vendors_keep_the_destinations_grade(self):
        """B merged into A, neither at risk: A keeps its own grade where it has one, and takes
        B's where it has none."""
        standing_a = self._standing(self.vendor_a, self.company)
        self.assertFalse(standing_a[2] or self._standing(self.vendor_b, self.company)[2])
        self.assertNotEqual(standing_a, self._standing(self.vendor_b, self.company))
        self._set_graded(self.vendor_b, self.company_2, "b", 80.0)
        self._merge(self.buyer, self.vendor_b, self.vendor_a)
        self.assertEqual(self._standing(self.vendor_a, self.company), standing_a)
        self.assertEqual(self._standing(self.vendor_a, self.company_2), ("b", 80.0, False, False, False))


@tagged("post_install", "-at_install")
class TestBillLinesAddedToOrderOfVendorAtRisk(JxcCommon):
    """A vendor bill of vendor A (at risk) for 5 widgets, whose lines the buyer adds to a new
    purchase order from the bill's Purchase Matching, under the company's warning."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.vendor_a.with_company(cls.company).write({"jxc_supplier_risk": True, "jxc_supplier_grade": "d"})
        cls.company.jxc_supplier_risk_action = "warn"
        cls.bill = cls.env["account.move"].create({
            "move_type": "in_invoice", "partner_id": cls.vendor_a.id, "invoice_date": "2025-06-02",
            "invoice_line_ids": [Command.create({"product_id": cls.product_1.id, "quantity": 5.0, "price_unit": 10.0})],
        })
        cls.bill.action_post()

    def _add_to_new_order(self, user):
        """Purchase Matching > the bill's lines > Add to PO, as ``user`` clicks it (the matching
        list gives the bill lines negative ids)."""
        matching = self.bill.with_user(user).action_purchase_matching()
        lines = self.env["purchase.bill.line.match"].with_user(user).search(
            matching["domain"] + [("account_move_id", "=", self.bill.id)])
        self.assertEqual(lines.ids, [-line.id for line in self.bill.invoice_line_ids])
        action = lines.action_add_to_po()
        wizard = self.env[action["res_model"]].with_user(user).with_context(
            **action["context"], active_ids=lines.ids).create({})
        return wizard.action_add_to_po()

    def test_add_to_po_shows_the_risk_warning(self):
        action = self._add_to_new_order(self.jxc_user)
        self.assertEqual(action["res_model"], "jxc.supplier.risk.wizard")
        wizard = self.env["jxc.supplier.risk.wizard"].with_user(self.jxc_user).browse(action["res_id"])
        order = wizard.order_ids
        self.assertEqual((order.partner_id, order.state), (self.vendor_a, "draft"))
        self.assertFalse(order.picking_ids)
        self.assertEqual(self.bill.invoice_line_ids.purchase_line_id, order.order_line)
        wizard.action_confirm()
        self.assertEqual(order.state, "purchase")
        self.assertEqual(order.picking_ids.move_ids.product_uom_qty, 5.0)
        self.assertIn("despite the supplier risk warning", "\n".join(order.message_ids.mapped("body")))

    def test_vendor_not_at_risk_gets_its_order(self):
        self.company.jxc_supplier_risk_action = "none"
        action = self._add_to_new_order(self.jxc_user)
        order = self.env["purchase.order"].browse(action["res_id"])
        self.assertEqual((action["res_model"], order.state), ("purchase.order", "purchase"))
