"""Odoo's own flows that meet a vendor's standing: the contact merge of two vendors (Contacts >
Merge) and "Add to Purchase Order" from a vendor bill's purchase matching."""

from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from .common import JxcCommon
from .common_supplier_graded import JxcSupplierGradedCommon


@tagged("post_install", "-at_install")
class TestMergedVendorKeepsItsStanding(JxcSupplierGradedCommon):
    """February and March of the worked example computed: in the main company vendor C is at
    risk by its March evaluation (grade D, score 4.95), A and B are graded and not at risk.
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
        self.assertEqual(self._standing(self.vendor_c, self.company), ("d", 5.0, True, "grade D (score 4.95)", False))
        self.duplicate.with_company(self.company_2).write({"jxc_supplier_risk": True, "jxc_supplier_risk_reason": "Recall"})
        self._set_graded(self.vendor_c, self.company_2, "a", 95.0)
        self._merge(self.buyer, self.vendor_c, self.duplicate)
        self.assertEqual(self._standing(self.duplicate, self.company),
                         ("d", 5.0, True, "grade D (score 4.95)", False))
        self.assertEqual(self.duplicate.with_company(self.company).sudo().jxc_supplier_evaluation_id, evaluation_c)
        self.assertEqual(evaluation_c.partner_id, self.duplicate)
        self.assertEqual(self._standing(self.duplicate, self.company_2), (False, 0.0, True, "Recall", True))
        # C's order, now the merged vendor's, is still blocked for the buyer
        self.company.jxc_supplier_risk_action = "block"
        order = self._create_purchase(self.duplicate, [(self.product_2, 1.0, 5.0)], confirm=False)
        with self.assertRaisesRegex(UserError, "only a purchase manager or an inventory control manager can confirm"):
            order.with_user(self.buyer).button_confirm()
        self.assertEqual(order.state, "draft")

    def test_manager_merge_keeps_the_evaluation_of_the_risk(self):
        """A manager merges C (at risk) into A, both evaluated in March (A: grade C, score 65.36):
        A takes C's whole standing, still the evaluation's (not set by hand), and C's March
        evaluation with it, now A's, in place of A's own. March computed again with C's orders
        now A's rewrites that evaluation and A's standing. In the second company A had none: it
        takes C's grade."""
        evaluation_a, evaluation_c = self._evaluation(self.march, self.vendor_a), self._evaluation(self.march, self.vendor_c)
        self.assertEqual((evaluation_a.score, evaluation_a.grade, evaluation_a.risk), (65.36, "c", False))
        self.assertFalse(self.vendor_a.with_company(self.company).jxc_supplier_risk)
        self._set_graded(self.vendor_c, self.company_2, "c", 55.0)
        self._merge(self.jxc_manager, self.vendor_c, self.vendor_a)
        self.assertEqual(self._standing(self.vendor_a, self.company), ("d", 5.0, True, "grade D (score 4.95)", False))
        self.assertEqual(self.vendor_a.with_company(self.company).sudo().jxc_supplier_evaluation_id, evaluation_c)
        self.assertFalse(evaluation_a.exists())
        self.assertEqual(self._evaluation(self.march, self.vendor_a), evaluation_c)
        self.assertEqual((evaluation_c.score, evaluation_c.grade, evaluation_c.risk, evaluation_c.risk_reason),
                         (4.95, "d", True, "grade D (score 4.95)"))
        self.assertEqual(len(evaluation_c.line_ids), 5)
        self.assertAlmostEqual(self._lines(evaluation_c)["price"].score, 11.54, places=2)
        self.assertEqual(self._standing(self.vendor_a, self.company_2), ("c", 55.0, False, False, False))
        # March computed again: the kept evaluation scores A's orders and C's together. C's part,
        # due and not received, is a third line of the fill rate: (0.9 + 0.75 + 0) / 3 = 55 %. The
        # gadget, bought from A alone now, has no market price (price index: the widget's 10 against
        # 11, score 72.73). A takes C's gadget price of delay 0 (Odoo's, at confirmation), but the
        # gadget's 17 days were planned: lateness 0 + (10 - 7) + 0 = 3 over 3 receipts, lead-time
        # score 72.32 as before the merge (against the promise alone the gadget was 17 days late):
        # 80 * .3 + 55 * .2 + 16.67 * .2 + 72.73 * .15 + 72.32 * .15 = 60.09.
        self.march.action_compute()
        self.assertEqual(self._evaluation(self.march, self.vendor_a), evaluation_c)
        self.assertEqual((evaluation_c.score, evaluation_c.grade, evaluation_c.risk), (60.09, "c", False))
        self.assertEqual(self.vendor_a.with_company(self.company).sudo().jxc_supplier_evaluation_id, evaluation_c)
        self.assertEqual(self._standing(self.vendor_a, self.company), ("c", 60.1, False, False, False))

    def test_each_period_keeps_one_evaluation_of_the_merged_vendors(self):
        """The first quarter computed too: A and C are evaluated in March and in the quarter.
        The buyer merges C into A: March keeps C's evaluation (the merged vendor's standing),
        the quarter A's own (the destination's, no standing's); C's other one and A's March
        go, and none of the others."""
        quarter = self.Period.create({"company_id": self.company.id, "period_type": "quarter", "date_from": "2025-01-01"})
        quarter.action_compute()
        march_c, quarter_a = self._evaluation(self.march, self.vendor_c), self._evaluation(quarter, self.vendor_a)
        gone = self._evaluation(self.march, self.vendor_a) | self._evaluation(quarter, self.vendor_c)
        self.assertEqual(len(march_c | quarter_a | gone), 4)
        others = self.env["jxc.supplier.evaluation"].search([("partner_id", "not in", (self.vendor_a | self.vendor_c).ids)])
        self.assertEqual(len(others), 3)  # B's in February, March and the quarter
        self._merge(self.buyer, self.vendor_c, self.vendor_a)
        self.assertFalse(gone.exists())
        self.assertEqual(self.vendor_a.jxc_supplier_evaluation_ids, march_c | quarter_a)
        self.assertEqual((march_c.score, march_c.grade, quarter_a.score, quarter_a.grade), (4.95, "d", 65.36, "c"))
        self.assertEqual(self._standing(self.vendor_a, self.company), ("d", 5.0, True, "grade D (score 4.95)", False))
        self.assertEqual(self.vendor_a.with_company(self.company).sudo().jxc_supplier_evaluation_id, march_c)
        self.assertEqual(others.exists(), others)

    def test_manual_scores_follow_the_kept_evaluation(self):
        """A and C both scored by hand for March on one criterion, A for February too: March
        keeps C's score with C's evaluation, now A's; February keeps A's."""
        service = self.env["jxc.supplier.criterion"].create(
            {"name": "Service", "criterion_type": "manual", "weight": 0.0, "company_id": self.company.id})
        Score = self.env["jxc.supplier.manual.score"]
        march_a, march_c, february_a = Score.create([
            {"period_id": self.march.id, "partner_id": self.vendor_a.id, "criterion_id": service.id, "score": 40.0},
            {"period_id": self.march.id, "partner_id": self.vendor_c.id, "criterion_id": service.id, "score": 90.0},
            {"period_id": self.february.id, "partner_id": self.vendor_a.id, "criterion_id": service.id, "score": 70.0},
        ])
        self._merge(self.jxc_manager, self.vendor_c, self.vendor_a)
        self.assertFalse(march_a.exists())
        self.assertEqual(Score.search([("partner_id", "=", self.vendor_a.id)]), march_c | february_a)
        self.assertEqual([(score.period_id, score.score) for score in march_c | february_a],
                         [(self.march, 90.0), (self.february, 70.0)])
        self.assertEqual(self._evaluation(self.march, self.vendor_a).score, 4.95)

    def test_merge_keeps_every_buyers_manual_score(self):
        """Two buyers scored A for March, one of them C too: merged into A, each buyer keeps one
        score (the conflicting one of C's, whose evaluation is kept), the other buyer's stays. A
        duplicate never scored merges into A even with March closed: it deletes no score."""
        service = self.env["jxc.supplier.criterion"].create(
            {"name": "Service", "criterion_type": "manual", "weight": 0.0, "company_id": self.company.id})
        Score = self.env["jxc.supplier.manual.score"]
        vals = {"period_id": self.march.id, "criterion_id": service.id}
        mine_a, mine_c = Score.with_user(self.buyer).create([
            {**vals, "partner_id": self.vendor_a.id, "score": 40.0},
            {**vals, "partner_id": self.vendor_c.id, "score": 90.0},
        ])
        theirs_a = Score.with_user(self.jxc_manager).create({**vals, "partner_id": self.vendor_a.id, "score": 30.0})
        self._merge(self.jxc_manager, self.vendor_c, self.vendor_a)
        self.assertFalse(mine_a.exists())
        self.assertEqual(Score.search([("partner_id", "=", self.vendor_a.id)]), mine_c | theirs_a)
        self.assertEqual(sorted((score.user_id, score.score) for score in mine_c | theirs_a),
                         sorted([(self.buyer, 90.0), (self.jxc_manager, 30.0)]))
        self.march.action_close()
        self._merge(self.jxc_manager, self.duplicate, self.vendor_a)
        self.assertEqual((mine_c | theirs_a).exists(), mine_c | theirs_a)

    def test_merge_leaves_the_evaluations_of_a_closed_period(self):
        """March closed: its evaluations are the record of its vendors' standing, so the merge of
        C into A, which would delete one of their two March evaluations, is refused until a
        manager reopens it."""
        evaluations = self._evaluation(self.march, self.vendor_a) | self._evaluation(self.march, self.vendor_c)
        self.march.action_close()
        with self.assertRaisesRegex(UserError, "is closed and cannot change"):
            self._merge(self.jxc_manager, self.vendor_c, self.vendor_a)
        self.assertEqual(evaluations.exists(), evaluations)
        self.assertEqual(evaluations.partner_id, self.vendor_a | self.vendor_c)

    def test_clean_vendors_keep_the_destinations_grade(self):
        """B merged into A, neither at risk: A keeps its own grade where it has one, and takes
        B's where it has none."""
        standing_a = self._standing(self.vendor_a, self.company)
        self.assertFalse(standing_a[2] or self._standing(self.vendor_b, self.company)[2])
        self.assertNotEqual(standing_a, self._standing(self.vendor_b, self.company))
        evaluation_a, february_b = self._evaluation(self.march, self.vendor_a), self._evaluation(self.february, self.vendor_b)
        self._set_graded(self.vendor_b, self.company_2, "b", 80.0)
        self._merge(self.buyer, self.vendor_b, self.vendor_a)
        self.assertEqual(self._standing(self.vendor_a, self.company), standing_a)
        # A keeps its March evaluation (B's goes) and takes B's of February, a period it had none of
        self.assertEqual(self.vendor_a.jxc_supplier_evaluation_ids, evaluation_a | february_b)
        self.assertEqual(self._standing(self.vendor_a, self.company_2), ("b", 80.0, False, False, False))

    def test_buyer_cannot_move_a_vendor_at_risk_under_a_clean_one(self):
        """C is at risk (the company warns): the buyer may not attach C to A, nor move C's
        contact to A, detach it or make it a company: each would be bought from without C's
        risk. A clean vendor's contact moves freely; a purchase manager may move C's."""
        refused = "instead of JXC Vendor C, which is at risk in"
        contact = self.env["res.partner"].create({"name": "C's Sales", "parent_id": self.vendor_c.id})
        clean_contact = self.env["res.partner"].create({"name": "B's Sales", "parent_id": self.vendor_b.id})
        for partner, vals in ((self.vendor_c, {"parent_id": self.vendor_a.id}),
                              (self.vendor_c, {"parent_id": self.vendor_a.id, "is_company": False}),
                              (contact, {"parent_id": self.vendor_a.id}),
                              (contact, {"parent_id": False}),
                              (contact, {"is_company": True}),
                              # over RPC: Odoo computes it, the ORM still takes it written
                              (self.vendor_c, {"commercial_partner_id": self.vendor_a.id}),
                              (contact, {"commercial_partner_id": self.vendor_a.id})):
            with self.subTest(partner=partner.name, vals=vals), self.assertRaisesRegex(UserError, refused):
                partner.with_user(self.buyer).write(vals)
        self.assertEqual((self.vendor_c.parent_id, contact.parent_id, contact.is_company), (self.env["res.partner"], self.vendor_c, False))
        self.assertEqual(contact.commercial_partner_id, self.vendor_c)
        clean_contact.with_user(self.buyer).write({"parent_id": self.vendor_a.id})
        self.assertEqual(clean_contact.commercial_partner_id, self.vendor_a)
        # other fields of C, and C's contacts moved within C, are no change of standing
        contact.with_user(self.buyer).write({"phone": "+86 21 5555 0101", "parent_id": self.vendor_c.id})
        # where nothing is warned or blocked, the risk is no reason to refuse
        self.company.jxc_supplier_risk_action = "none"
        contact.with_user(self.buyer).write({"parent_id": False})
        self.company.jxc_supplier_risk_action = "block"
        purchase_manager = new_test_user(self.env, login="jxc_merge_purchase_manager", groups=(
            "purchase.group_purchase_manager,base.group_partner_manager"))
        self.vendor_c.with_user(purchase_manager).write({"parent_id": self.vendor_a.id})
        self.assertEqual(self.vendor_c.commercial_partner_id, self.vendor_a)

    def test_salesperson_is_refused_without_being_told_the_risk(self):
        """A salesperson, who may not read a vendor's risk, moves C's contact to A: refused as
        the buyer is, without being told that C is at risk."""
        contact = self.env["res.partner"].create({"name": "C's Sales", "parent_id": self.vendor_c.id})
        salesperson = new_test_user(self.env, login="jxc_risk_salesperson", groups=(
            "sales_team.group_sale_salesman,base.group_partner_manager"))
        self.assertFalse(salesperson.has_groups(self.env["res.partner"]._fields["jxc_supplier_risk"].groups))
        with self.assertRaisesRegex(UserError, "You cannot move JXC Vendor C, C's Sales to another company") as caught:
            contact.with_user(salesperson).write({"parent_id": self.vendor_a.id})
        self.assertNotIn("risk", str(caught.exception))
        self.assertEqual(contact.commercial_partner_id, self.vendor_c)

    def test_refusal_names_only_the_buyers_companies(self):
        """C is at risk in the second company only, which warns and where the buyer does not
        work: the refusal does not name that company (nor so tell C's standing there)."""
        self.vendor_c.with_company(self.company).sudo().jxc_supplier_risk = False
        self.vendor_c.with_company(self.company_2).sudo().jxc_supplier_risk = True
        self.company_2.jxc_supplier_risk_action = "warn"
        self.assertNotIn(self.company_2, self.buyer.company_ids)
        with self.assertRaisesRegex(UserError, "instead of JXC Vendor C, which is at risk in another company") as caught:
            self.vendor_c.with_user(self.buyer).write({"parent_id": self.vendor_a.id})
        self.assertNotIn(self.company_2.name, str(caught.exception))

    def test_buyer_cannot_merge_a_vendor_at_risk_into_a_clean_vendors_contact(self):
        """C merged into a contact of A would leave C's orders under A's standing: refused to
        the buyer, nothing merged; a manager may."""
        contact_a = self.env["res.partner"].create({"name": "A's Sales", "parent_id": self.vendor_a.id})
        with self.assertRaisesRegex(UserError, "instead of JXC Vendor C, which is at risk in"):
            self.env["base.partner.merge.automatic.wizard"].with_user(self.buyer)._merge(
                (self.vendor_c | contact_a).ids, contact_a.with_user(self.buyer))
        self.assertTrue(self.vendor_c.exists())
        self._merge(self.jxc_manager, self.vendor_c, contact_a)


    def test_buyer_cannot_merge_a_vendor_at_risk_with_a_clean_vendors_contact(self):
        """C merged, with a contact of a clean company, into a new contact without company: Odoo's
        merge puts the merged contact under that company (the source's parent), whose standing
        its orders then read. Refused to the buyer before anything is merged."""
        smith = self.env["res.partner"].create({"name": "JXC Smith Trading", "is_company": True})
        contact = self.env["res.partner"].create({"name": "JXC Smith, sales", "parent_id": smith.id})
        merged = self.env["res.partner"].create({"name": "JXC Vendor C (new)"})
        with self.assertRaisesRegex(UserError, "would be bought from as JXC Smith Trading instead of JXC Vendor C"):
            self.env["base.partner.merge.automatic.wizard"].with_user(self.buyer)._merge(
                (self.vendor_c | contact | merged).ids, merged.with_user(self.buyer))
        self.assertTrue((self.vendor_c | contact).exists())
        self.assertFalse(merged.parent_id)


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

    def _order_form_action(self, order):
        """What Odoo's Add to PO returns: the order's form, where the flow lands."""
        return {"type": "ir.actions.act_window", "res_model": "purchase.order", "view_mode": "form", "res_id": order.id}

    def test_add_to_po_shows_the_risk_warning(self):
        """The buyer gets one Vendor at Risk dialog (the order left a request for quotation);
        confirming it confirms the order and lands on its form, as Odoo's Add to PO does."""
        action = self._add_to_new_order(self.jxc_user)
        self.assertEqual(action["res_model"], "jxc.supplier.risk.wizard")
        wizard = self.env["jxc.supplier.risk.wizard"].with_user(self.jxc_user).browse(action["res_id"])
        order = wizard.order_ids
        self.assertEqual((order.partner_id, order.state), (self.vendor_a, "draft"))
        self.assertFalse(order.picking_ids)
        self.assertEqual(self.bill.invoice_line_ids.purchase_line_id, order.order_line)
        # no other dialog was made for the order along the way
        self.assertEqual(self.env["jxc.supplier.risk.wizard"].search([("order_ids", "in", order.ids)]), wizard)
        self.assertEqual(wizard.action_confirm(), self._order_form_action(order))
        self.assertEqual(order.state, "purchase")
        self.assertEqual(order.picking_ids.move_ids.product_uom_qty, 5.0)
        self.assertIn("despite the supplier risk warning", "\n".join(order.message_ids.mapped("body")))

    def test_blocked_vendor_leaves_the_order_to_a_manager(self):
        """Under the block, the buyer's Add to PO keeps the order (a request for quotation), with
        the bill's lines linked to it, and tells him why it is not confirmed; a purchase manager
        then confirms it overriding the block."""
        self.company.jxc_supplier_risk_action = "block"
        action = self._add_to_new_order(self.jxc_user)
        self.assertEqual((action["tag"], action["params"]["type"], action["params"]["sticky"]), ("display_notification", "warning", True))
        order = self.bill.invoice_line_ids.purchase_line_id.order_id
        self.assertEqual((order.partner_id, order.state), (self.vendor_a, "draft"))
        self.assertEqual(action["params"]["next"], self._order_form_action(order))
        self.assertIn(f"{order.name} was created as a request for quotation", action["params"]["message"])
        self.assertFalse(order.picking_ids)
        self.assertFalse(self.env["jxc.supplier.risk.wizard"].search([("order_ids", "in", order.ids)]))
        with self.assertRaisesRegex(UserError, "only a purchase manager or an inventory control manager can confirm"):
            order.with_user(self.jxc_user).button_confirm()
        dialog = order.with_user(self.jxc_manager).button_confirm()
        wizard = self.env["jxc.supplier.risk.wizard"].with_user(self.jxc_manager).browse(dialog["res_id"])
        wizard.override_reason = "Bill already received"
        wizard.action_confirm()
        self.assertEqual(order.state, "purchase")
        self.assertEqual(order.order_line.qty_invoiced, 5.0)

    def test_vendor_not_at_risk_gets_its_order(self):
        self.company.jxc_supplier_risk_action = "none"
        action = self._add_to_new_order(self.jxc_user)
        order = self.env["purchase.order"].browse(action["res_id"])
        self.assertEqual(action, self._order_form_action(order))
        self.assertEqual(order.state, "purchase")
        self.assertFalse(self.env["jxc.supplier.risk.wizard"].search([("order_ids", "in", order.ids)]))

    def test_confirm_of_the_order_itself_closes_the_dialog(self):
        """The same order of a vendor at risk confirmed from its own form: the dialog closes on
        the form it was opened from."""
        order = self._create_purchase(self.vendor_a, [(self.product_1, 5.0, 10.0)], confirm=False)
        action = order.with_user(self.jxc_user).button_confirm()
        wizard = self.env["jxc.supplier.risk.wizard"].with_user(self.jxc_user).browse(action["res_id"])
        self.assertEqual(wizard.action_confirm(), {"type": "ir.actions.act_window_close"})
        self.assertEqual(order.state, "purchase")
