from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import Form, new_test_user, tagged
from odoo.tools.misc import formatLang

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

    def test_alternative_price_with_the_product_price_digits(self):
        """Prices of 4 decimals (Odoo's "Product Price" precision): Vendor B last sold the Widget
        at 0.0125, which the dialog and its message show as such, not as the currency's 0.01."""
        self.env.ref("product.decimal_price").digits = 4
        with freeze_time("2025-06-03 02:00:00"):
            self._create_purchase(self.vendor_b, [(self.product_1, 1000.0, 0.0125)])
        self.company.jxc_supplier_risk_action = "warn"
        action = self._draft_order().with_user(self.jxc_user).button_confirm()
        wizard = self.env["jxc.supplier.risk.wizard"].with_user(self.jxc_user).browse(action["res_id"])
        self.assertEqual(wizard.alternative_ids.price, 0.0125)
        self.assertIn("grade B, last price %s" % formatLang(self.env, 0.0125, digits=4, currency_obj=self.company.currency_id),
                      wizard.message)
        self.assertIn("0.0125", wizard.message)

    def test_alternative_price_with_more_digits_than_the_precision(self):
        """The "Product Price" precision left at 2: a last price of 0.0125 is still 0.0125 in the
        dialog's alternatives (stored whole) and its message, as Odoo's price fields show it, not
        0.01; 12.5 is 12.50."""
        with freeze_time("2025-06-03 02:00:00"):
            self._create_purchase(self.vendor_b, [(self.product_1, 1000.0, 0.0125)])
        self.company.jxc_supplier_risk_action = "warn"
        action = self._draft_order().with_user(self.jxc_user).button_confirm()
        wizard = self.env["jxc.supplier.risk.wizard"].with_user(self.jxc_user).browse(action["res_id"])
        self.assertEqual([(alt.partner_id, alt.price) for alt in wizard.alternative_ids], [(self.vendor_b, 0.0125)])
        currency = self.company.currency_id
        self.assertEqual((currency.symbol, currency.position), ("$", "before"))
        self.assertIn("grade B, last price $\N{NO-BREAK SPACE}0.0125", wizard.message)
        self.assertEqual(self.env["purchase.order"]._format_jxc_unit_price(12.5, self.company.currency_id),
                         formatLang(self.env, 12.5, currency_obj=self.company.currency_id))

    def test_alternative_last_price_of_an_order_confirmed_without_the_button(self):
        """Vendor B's order of 1 June at 15.0 was confirmed by writing its state (an import, another
        module): it has no approval date, and is older than the order of 3 June at 12.5, B's last
        price (an order without approval date is dated by its order date, not taken as the newest)."""
        with freeze_time("2025-06-01 02:00:00"):
            order = self._create_purchase(self.vendor_b, [(self.product_1, 10.0, 15.0)], confirm=False)
            order.write({"state": "purchase"})
        self.assertFalse(order.date_approve)
        self.company.jxc_supplier_risk_action = "warn"
        alternatives = self._draft_order()._get_jxc_supplier_alternatives()
        self.assertEqual([(alt["partner"], alt["price"]) for alt in alternatives], [(self.vendor_b, 12.5)])

    def _last_prices(self):
        self.company.jxc_supplier_risk_action = "warn"
        return [(alt["partner"], alt["price"]) for alt in self._draft_order()._get_jxc_supplier_alternatives()]

    def test_free_sample_is_no_last_price(self):
        """B sent 3 widgets free on 5 June: its last price is still the 12.50 of 2 June, not 0."""
        with freeze_time("2025-06-05 02:00:00"):
            self._create_purchase(self.vendor_b, [(self.product_1, 3.0, 0.0)])
        self.assertEqual(self._last_prices(), [(self.vendor_b, 12.5)])

    def test_only_free_samples_fall_back_to_the_vendor_price(self):
        """B's only order line at a price cancelled, its free one left: the price Odoo would pick
        from B's vendor price, 11.00."""
        self.env["purchase.order"].search([("partner_id", "=", self.vendor_b.id)]).button_cancel()
        with freeze_time("2025-06-05 02:00:00"):
            self._create_purchase(self.vendor_b, [(self.product_1, 3.0, 0.0)])
        self.assertEqual(self._last_prices(), [(self.vendor_b, 11.0)])

    def test_archived_vendor_is_no_alternative(self):
        """Vendor B archived (no longer bought from): not offered, though it has a last price."""
        self.company.jxc_supplier_risk_action = "warn"
        self.assertTrue(self._draft_order()._get_jxc_supplier_alternatives())
        self.vendor_b.action_archive()
        self.assertEqual(self._draft_order()._get_jxc_supplier_alternatives(), [])

    def test_alternative_at_risk_too_is_none(self):
        """Vendor B falls at risk too: the question about A offers no alternative (B would be
        asked the same question), and says none."""
        self.company.jxc_supplier_risk_action = "warn"
        self.vendor_b.with_company(self.company).sudo().jxc_supplier_risk = True
        order = self._draft_order()
        self.assertEqual(order._get_jxc_supplier_alternatives(), [])
        wizard = self.env["jxc.supplier.risk.wizard"].browse(order.with_user(self.jxc_user).button_confirm()["res_id"])
        self.assertFalse(wizard.alternative_ids)
        self.assertNotIn("Alternative vendors", wizard.message)

    def test_alternative_whose_price_is_on_a_contact(self):
        """JXC Acme, never ordered from, has its price for the widget on its contact "Sales"
        (9.00): it is an alternative, at that price, named as the company."""
        self.company.jxc_supplier_risk_action = "warn"
        acme = self.env["res.partner"].create({"name": "JXC Acme", "is_company": True})
        sales = self.env["res.partner"].create({"name": "Sales", "parent_id": acme.id})
        self.env["product.supplierinfo"].create({
            "partner_id": sales.id, "product_tmpl_id": self.product_1.product_tmpl_id.id, "price": 9.0,
        })
        action = self._draft_order().with_user(self.jxc_user).button_confirm()
        wizard = self.env["jxc.supplier.risk.wizard"].with_user(self.jxc_user).browse(action["res_id"])
        self.assertIn((acme, self.product_1, 9.0), [(alt.partner_id, alt.product_id, alt.price) for alt in wizard.alternative_ids])

    def test_block_refuses_a_buyer(self):
        self.company.jxc_supplier_risk_action = "block"
        order = self._draft_order()
        with self.assertRaisesRegex(UserError, "only a purchase manager or an inventory control manager can confirm"):
            order.with_user(self.jxc_user).button_confirm()
        self.assertEqual(order.state, "draft")
        # Nor can a buyer push a manager's override dialog through.
        action = order.with_user(self.jxc_manager).button_confirm()
        wizard = self.env["jxc.supplier.risk.wizard"].browse(action["res_id"])
        with self.assertRaisesRegex(UserError, "Only a purchase manager"):
            wizard.with_user(self.jxc_user).action_confirm()
        self.assertEqual(order.state, "draft")

    def test_block_tells_a_billing_user_no_grade(self):
        """A billing user (who may write purchase orders, not read vendors' grades) confirming
        an order of a blocked vendor learns that the vendor is at risk, not its grade, score,
        reason or the alternatives' grades and prices."""
        billing = new_test_user(self.env, login="jxc_billing", groups="account.group_account_invoice")
        order = self._draft_order()
        self.company.jxc_supplier_risk_action = "block"
        with self.assertRaises(UserError) as caught:
            order.with_user(billing).button_confirm()
        self.assertEqual(str(caught.exception), "Confirmation blocked: only a purchase manager or an inventory control manager can confirm an order of "
                         "a vendor at risk.\n%s: vendor JXC Vendor A is at risk." % order.name)
        with self.assertRaisesRegex(UserError, r"vendor JXC Vendor A is at risk in [^(]*\. Create the order"):
            self.env["purchase.order"].with_user(billing).create({"partner_id": self.vendor_a.id, "state": "purchase"})
        # a buyer still reads why, and the alternatives
        with self.assertRaisesRegex(UserError, r"grade D, score 40\.0\): grade D \(score 40\.0\)\.\nAlternative vendors:"):
            order.with_user(self.jxc_user).button_confirm()

    def test_warning_asks_a_billing_user(self):
        """Where the company warns, a billing user confirming an order of the vendor at risk is
        asked, as a buyer is, without the alternatives' grades and prices, and may go on."""
        billing = new_test_user(self.env, login="jxc_billing_warn", groups="account.group_account_invoice")
        order = self._draft_order()
        self.company.jxc_supplier_risk_action = "warn"
        action = order.with_user(billing).button_confirm()
        wizard = self.env["jxc.supplier.risk.wizard"].with_user(billing).browse(action["res_id"])
        self.assertEqual(wizard.message, "%s: vendor JXC Vendor A is at risk." % order.name)
        self.assertFalse(wizard.alternative_ids)
        self.assertEqual(order.state, "draft")
        wizard.action_confirm()
        self.assertEqual(order.state, "purchase")

    def test_inventory_control_billing_user_sees_the_alternatives(self):
        """An inventory control manager whose purchase rights are Billing's (Odoo lets billing
        users confirm orders) overrides a block in the wizard, which lists the alternatives he
        may read, instead of failing on the rights of its lines."""
        user = new_test_user(self.env, login="jxc_ic_billing", name="IC Billing",
                             groups="jxc_addon.group_jxc_manager,account.group_account_invoice")
        order = self._draft_order()
        self.company.jxc_supplier_risk_action = "block"
        action = order.with_user(user).button_confirm()
        wizard = self.env["jxc.supplier.risk.wizard"].with_user(user).browse(action["res_id"])
        self.assertEqual(wizard.alternative_ids.partner_id, self.vendor_b)
        wizard.override_reason = "Sole source this week"
        wizard.action_confirm()
        self.assertEqual(order.state, "purchase")

    def test_risk_answer_goes_on_only_as_its_users(self):
        """What carries a risk answer past purchase_requisition's question (which confirms with
        skip_alternative_check) is a warning its own user answered: not the key alone, nor
        another user's answer. Who answered is the server's to write, and an answer is final."""
        order = self._draft_order()
        self.company.jxc_supplier_risk_action = "warn"
        Wizard = self.env["jxc.supplier.risk.wizard"]
        action = order.with_user(self.jxc_user).button_confirm()
        wizard = Wizard.with_user(self.jxc_user).browse(action["res_id"])
        for vals in ({"accepted_by_id": self.jxc_user.id}, {"accepted_block": True}):
            with self.subTest(vals=vals):
                with self.assertRaisesRegex(AccessError, "answered with its buttons only"):
                    wizard.write(vals)
                with self.assertRaisesRegex(AccessError, "answered with its buttons only"):
                    Wizard.with_user(self.jxc_user).create({"order_ids": [Command.set(order.ids)], **vals})
        follow_up = order.with_user(self.jxc_user).with_context(skip_alternative_check=True)
        self.assertEqual(follow_up.button_confirm()["res_model"], "jxc.supplier.risk.wizard")
        # the manager's answer (as its button writes it, purchase_requisition's question then coming)
        manager_action = order.with_user(self.jxc_manager).button_confirm()
        Wizard.browse(manager_action["res_id"]).write({"accepted_by_id": self.jxc_manager.id})
        self.assertEqual(follow_up.button_confirm()["res_model"], "jxc.supplier.risk.wizard")
        self.assertEqual(order.state, "draft")
        # the buyer's own answer
        wizard.sudo().write({"accepted_by_id": self.jxc_user.id})
        with self.assertRaisesRegex(AccessError, "answered with its buttons only, and once"):
            wizard.write({"override_reason": "Another reason"})
        self.assertEqual(order.with_user(self.jxc_user).button_confirm()["res_model"], "jxc.supplier.risk.wizard")
        follow_up.button_confirm()
        self.assertEqual(order.state, "purchase")
        self.assertEqual(self._messages(order).count("Confirmed by JXC User despite the supplier risk warning."), 1)

    def test_risk_answer_is_not_forged_from_defaults_or_orders(self):
        """The answer's fields come neither from the context's defaults nor from the user's own
        defaults, and an answer covers the orders at risk the server found, not those the
        client listed: the block and the warning still hold past purchase_requisition's key."""
        self.company.jxc_supplier_risk_action = "block"
        order = self._draft_order()
        Wizard = self.env["jxc.supplier.risk.wizard"].with_user(self.jxc_user)
        vals = {"order_ids": [Command.set(order.ids)], "risky_order_ids": [Command.set(order.ids)]}
        forged = {"default_accepted_by_id": self.jxc_user.id, "default_accepted_block": True}
        with self.assertRaisesRegex(AccessError, "answered with its buttons only"):
            Wizard.with_context(**forged).create(vals)
        self.env["ir.default"].set("jxc.supplier.risk.wizard", "accepted_block", True, user_id=self.jxc_user.id)
        with self.assertRaisesRegex(AccessError, "answered with its buttons only"):
            Wizard.create(vals)
        self.env["ir.default"].discard_values("jxc.supplier.risk.wizard", "accepted_block", [True])
        follow_up = order.with_user(self.jxc_user).with_context(skip_alternative_check=True)
        with self.assertRaisesRegex(UserError, "Confirmation blocked"):
            follow_up.button_confirm()
        # warned only: a warning answered for a clean order, the order at risk listed beside it
        self.company.jxc_supplier_risk_action = "warn"
        clean = self._create_purchase(self.vendor_b, [(self.product_1, 1.0, 11.0)], confirm=False)
        Wizard.create({**vals, "order_ids": [Command.set(clean.ids)]}).action_confirm()
        self.assertEqual(clean.state, "purchase")
        self.assertEqual(follow_up.button_confirm()["res_model"], "jxc.supplier.risk.wizard")
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

    def test_batch_logs_each_vendor_risk(self):
        """Orders of two vendors at risk confirmed together: each order records that it was
        confirmed despite the warning, without its vendor's grade, score or rates (the order's
        chatter is read by whoever reads the order: warehouse keepers, accountants)."""
        self.company.jxc_supplier_risk_action = "warn"
        self.vendor_b.with_company(self.company).write({
            "jxc_supplier_risk": True, "jxc_supplier_risk_reason": "on-time rate 60% below 80%"})
        order_a = self._draft_order()
        order_b = self._create_purchase(self.vendor_b, [(self.product_1, 1.0, 11.0)], confirm=False)
        action = (order_a | order_b).with_user(self.jxc_manager).button_confirm()
        self.env["jxc.supplier.risk.wizard"].with_user(self.jxc_manager).browse(action["res_id"]).action_confirm()
        self.assertEqual((order_a.state, order_b.state), ("purchase", "purchase"))
        for order in order_a | order_b:
            self.assertIn("despite the supplier risk warning.", self._messages(order))
            self.assertNotIn("grade D", self._messages(order))
            self.assertNotIn("on-time rate", self._messages(order))

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

    def test_vendor_at_risk_is_no_alternative_to_itself(self):
        """X's price of the part is on its sales desk (a contact of X) and X sold it at 9 before
        falling at risk: X is no alternative to X."""
        self.company.jxc_supplier_risk_action = "warn"
        part = self.env["product.product"].create(self._prepare_product_vals("JXC Desk Part", 9.0, 15.0, "JXC-DESK"))
        vendor = self.env["res.partner"].create({"name": "JXC Vendor X3", "supplier_rank": 1})
        desk = self.env["res.partner"].create({"name": "JXC Vendor X3, sales desk", "parent_id": vendor.id})
        self.env["product.supplierinfo"].create({"partner_id": desk.id, "product_tmpl_id": part.product_tmpl_id.id, "price": 9.0})
        self._create_purchase(vendor, [(part, 5.0, 9.0)])
        vendor.with_company(self.company).write({
            "jxc_supplier_risk": True, "jxc_supplier_grade": "d", "jxc_supplier_risk_reason": "grade D (score 30.0)",
        })
        order = self._create_purchase(vendor, [(part, 5.0, 10.0)], confirm=False)
        self.assertEqual(
            [(alt["partner"].name, alt["price"]) for alt in order._get_jxc_supplier_alternatives()], [],
        )
        action = order.with_user(self.jxc_user).button_confirm()
        wizard = self.env["jxc.supplier.risk.wizard"].browse(action["res_id"])
        self.assertFalse(wizard.alternative_ids)
        self.assertNotIn("Alternative vendors", wizard.message)


@tagged("post_install", "-at_install")
class TestSupplierRiskNotBypassed(JxcCommon):
    """Who may confirm an order of a blocked vendor is decided from groups and stored state:
    no context key, no direct approval or state write, no hand-made wizard lets a buyer through."""

    HOSTILE = {"jxc_supplier_risk_checked": True, "jxc_supplier_compute": True}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.vendor_a.with_company(cls.company).write({
            "jxc_supplier_risk": True, "jxc_supplier_risk_reason": "grade D (score 40.0)",
            "jxc_supplier_grade": "d", "jxc_supplier_score": 40.0,
        })
        cls.purchase_manager = new_test_user(
            cls.env, login="jxc_purchase_manager", name="Purchase Manager",
            groups="jxc_addon.group_jxc_user,purchase.group_purchase_manager",
        )
        cls.company.jxc_supplier_risk_action = "block"

    def _buyer_order(self):
        """A draft order of the vendor at risk, entered by the buyer in the order form."""
        with Form(self.env["purchase.order"].with_user(self.jxc_user)) as form:
            form.partner_id = self.vendor_a
            with form.order_line.new() as line:
                line.product_id = self.product_1
                line.product_qty = 5.0
        return form.record

    def test_order_moved_into_the_blocking_company(self):
        """An order of vendor A in a second company, which takes no action on risk: confirmed
        there and moved into the company that blocks A in one write (or moved once confirmed),
        it meets the block of the company it lands in."""
        other = self.env["res.company"].create({"name": "JXC Other Company", "jxc_supplier_risk_action": "none"})
        order = self.env["purchase.order"].with_company(other).create({
            "partner_id": self.vendor_a.id, "company_id": other.id,
            "order_line": [Command.create({"product_id": self.product_1.id, "product_qty": 5.0, "price_unit": 10.0})],
        })
        with self.assertRaisesRegex(UserError, "Confirmation blocked: vendor JXC Vendor A is at risk in"):
            order.write({"state": "purchase", "company_id": self.company.id})
        order.button_confirm()
        self.assertEqual(order.state, "purchase")
        with self.assertRaisesRegex(UserError, "Confirmation blocked: vendor JXC Vendor A is at risk in"):
            order.write({"company_id": self.company.id})
        self.assertEqual(order.company_id, other)

    def test_buyer_refused_with_and_without_hostile_context(self):
        order = self._buyer_order()
        for context in ({}, self.HOSTILE):
            buyer_order = order.with_user(self.jxc_user).with_context(**context)
            with self.assertRaisesRegex(UserError, "only a purchase manager or an inventory control manager can confirm"):
                buyer_order.button_confirm()
            # Odoo's approval is public too, and so is writing the state.
            with self.assertRaisesRegex(UserError, "only a purchase manager or an inventory control manager can confirm"):
                buyer_order.button_approve()
            with self.assertRaisesRegex(UserError, "only a purchase manager or an inventory control manager can confirm"):
                buyer_order.write({"state": "purchase"})
            # A wizard the buyer makes himself, claiming no block.
            wizard = self.env["jxc.supplier.risk.wizard"].with_user(self.jxc_user).with_context(**context).create({
                "order_ids": [Command.set(order.ids)], "blocking": False, "override_reason": "trust me",
            })
            with self.assertRaisesRegex(UserError, "Only a purchase manager or an inventory control manager can override"):
                wizard.action_confirm()
            self.assertEqual(order.state, "draft")
        self.assertFalse(order.picking_ids)

    def test_no_purchase_of_a_blocked_vendor_by_create_copy_or_vendor_change(self):
        Order = self.env["purchase.order"].with_user(self.jxc_user)
        line = [Command.create({"product_id": self.product_1.id, "product_qty": 5.0, "price_unit": 10.0})]
        with self.assertRaisesRegex(UserError, "vendor JXC Vendor A is at risk"):
            Order.create({"partner_id": self.vendor_a.id, "state": "purchase", "order_line": line})
        with self.assertRaisesRegex(UserError, "vendor JXC Vendor A is at risk"):
            Order.with_context(default_state="purchase").create({"partner_id": self.vendor_a.id, "order_line": line})
        with self.assertRaisesRegex(UserError, "vendor JXC Vendor A is at risk"):
            self._buyer_order().with_user(self.jxc_user).copy({"state": "purchase"})
        # The vendor given by a default, the context's or the user's own, is checked too.
        with self.assertRaisesRegex(UserError, "vendor JXC Vendor A is at risk"):
            Order.with_context(default_partner_id=self.vendor_a.id).create({"state": "purchase", "order_line": line})
        self.env["ir.default"].set("purchase.order", "partner_id", self.vendor_a.id, user_id=self.jxc_user.id)
        with self.assertRaisesRegex(UserError, "vendor JXC Vendor A is at risk"):
            Order.create({"state": "purchase", "order_line": line})
        # The vendor and the state in one write: the vendor the order gets is the one checked.
        order = Order.create({"partner_id": self.vendor_b.id, "order_line": line})
        with self.assertRaisesRegex(UserError, "vendor JXC Vendor A is at risk"):
            order.write({"partner_id": self.vendor_a.id, "state": "purchase"})
        # Confirmed with vendor B, then handed to the blocked vendor or to its contact.
        order.button_confirm()
        contact = self.env["res.partner"].create({"name": "JXC Vendor A, desk", "parent_id": self.vendor_a.id})
        for vendor in (self.vendor_a, contact):
            with self.subTest(vendor=vendor.name), self.assertRaisesRegex(UserError, "vendor JXC Vendor A is at risk"):
                order.write({"partner_id": vendor.id})
        self.assertEqual((order.state, order.partner_id), ("purchase", self.vendor_b))
        self.assertFalse(self.env["purchase.order"].search(
            [("partner_id", "child_of", self.vendor_a.id), ("state", "=", "purchase")]))
        # A draft may still change vendor (its confirmation is gated).
        draft = Order.create({"partner_id": self.vendor_b.id, "order_line": line})
        draft.write({"partner_id": self.vendor_a.id})
        self.assertEqual(draft.partner_id, self.vendor_a)

    def test_confirmed_order_keeps_its_blocked_vendor(self):
        """An order of A confirmed before A was blocked: giving it A again, or A's accounting
        contact, with the vendor's reference changes no vendor, for a buyer as for a manager;
        handing it to another blocked vendor is still refused, even to a manager. Confirming a
        draft of A together with its vendor is still refused."""
        self.company.jxc_supplier_risk_action = "none"
        order = self._create_purchase(self.vendor_a, [(self.product_1, 5.0, 10.0)])
        self.company.jxc_supplier_risk_action = "block"
        accounting = self.env["res.partner"].create({"name": "JXC Vendor A, accounting", "parent_id": self.vendor_a.id})
        vendor_c = self.env["res.partner"].create({"name": "JXC Vendor C", "supplier_rank": 1})
        vendor_c.with_company(self.company).write({"jxc_supplier_risk": True, "jxc_supplier_grade": "d"})
        for user, reference in ((self.purchase_manager, "SO-123"), (self.jxc_user, "SO-124")):
            for vendor in (self.vendor_a, accounting):
                with self.subTest(user=user.login, vendor=vendor.name):
                    order.with_user(user).write({"partner_id": vendor.id, "partner_ref": reference})
                    self.assertEqual((order.partner_id, order.partner_ref, order.state), (vendor, reference, "purchase"))
            with self.assertRaisesRegex(UserError, "vendor JXC Vendor C is at risk"):
                order.with_user(user).write({"partner_id": vendor_c.id})
        self.assertEqual(order.partner_id, accounting)
        draft = self._create_purchase(self.vendor_a, [(self.product_1, 5.0, 10.0)], confirm=False)
        with self.assertRaisesRegex(UserError, "vendor JXC Vendor A is at risk"):
            draft.with_user(self.purchase_manager).write({"partner_id": self.vendor_a.id, "state": "purchase"})
        self.assertEqual(draft.state, "draft")

    def test_standing_set_by_the_evaluation_only(self):
        """Grade, score and risk rank vendors and block orders: a buyer who may edit contacts
        cannot clear them, a portal user of the vendor cannot read them."""
        buyer = new_test_user(self.env, login="jxc_contact_buyer", groups=(
            "jxc_addon.group_jxc_user,purchase.group_purchase_user,base.group_partner_manager"))
        vendor = self.vendor_a.with_company(self.company)
        for vals in ({"jxc_supplier_risk": False}, {"jxc_supplier_grade": "a"}, {"jxc_supplier_score": 99.0}):
            with self.subTest(vals=vals), self.assertRaisesRegex(AccessError, "come from the supplier evaluation"):
                vendor.with_user(buyer).write(vals)
        with self.assertRaisesRegex(AccessError, "come from the supplier evaluation"):
            self.env["res.partner"].with_user(buyer).create({"name": "JXC Self-graded", "jxc_supplier_grade": "a"})
        with self.assertRaisesRegex(AccessError, "come from the supplier evaluation"):  # the context is the client's
            self.env["res.partner"].with_user(buyer).with_context(default_jxc_supplier_grade="a").create(
                {"name": "JXC Self-graded"})
        # so are his own defaults (any user sets them), also where Odoo creates a contact as superuser
        self.env["ir.default"].with_user(buyer).set("res.partner", "jxc_supplier_grade", "a", user_id=True)
        self.env["ir.default"].with_user(buyer).set("res.partner", "jxc_supplier_standing_manual", True, user_id=True)
        with self.assertRaisesRegex(AccessError, "come from the supplier evaluation"):
            self.env["res.partner"].with_user(buyer).create({"name": "JXC Self-graded"})
        created = self.env["res.partner"].with_user(buyer).sudo().create({"name": "JXC Created by Odoo"})
        self.assertEqual(created.with_company(self.company).read(
            ["jxc_supplier_grade", "jxc_supplier_standing_manual"])[0], {
            "id": created.id, "jxc_supplier_grade": False, "jxc_supplier_standing_manual": False})
        vendor.with_user(buyer).write({"phone": "+86 21 5555 0101"})  # the rest of the contact stays editable
        self.assertTrue(vendor.jxc_supplier_risk)
        vendor.with_user(self.jxc_manager).write({"jxc_supplier_risk": False})  # a manager, by hand
        self.assertFalse(vendor.jxc_supplier_risk)
        portal = new_test_user(self.env, login="jxc_vendor_portal", groups="base.group_portal",
                               partner_id=self.env["res.partner"].create(
                                   {"name": "JXC Vendor A, portal", "parent_id": self.vendor_a.id}).id)
        self.assertEqual(vendor.with_user(portal).read(["name"])[0]["name"], "JXC Vendor A")
        # nor an employee outside inventory control (a salesperson): scores are for who chooses vendors
        salesperson = new_test_user(self.env, login="jxc_risk_salesperson", groups="sales_team.group_sale_salesman")
        for user in (portal, salesperson):
            for field in ("jxc_supplier_score", "jxc_supplier_grade", "jxc_supplier_risk_reason"):
                with self.subTest(user=user.login, field=field), self.assertRaises(AccessError):
                    vendor.with_user(user).read([field])
        # a warehouse keeper reads purchase orders (purchase_stock), not their vendor's score
        keeper = new_test_user(self.env, login="jxc_risk_keeper", groups="stock.group_stock_user")
        order = self._buyer_order().with_user(keeper)
        self.assertEqual(order.read(["partner_id"])[0]["partner_id"][0], self.vendor_a.id)
        with self.assertRaises(AccessError):
            order.read(["jxc_supplier_score"])

    def test_buyer_creates_and_reimports_vendors(self):
        """The contact form sends the empty standing of a new contact, an import of exported vendors
        the standing they have: neither changes anything, both are a buyer's to do. Sent back
        unchanged, a risk is not made one set by hand."""
        buyer = new_test_user(self.env, login="jxc_form_buyer", groups=(
            "jxc_addon.group_jxc_user,purchase.group_purchase_user,base.group_partner_manager"))
        with Form(self.env["res.partner"].with_user(buyer)) as form:
            form.name = "JXC New Vendor"
        created = form.record.with_company(self.company)
        self.assertEqual((created.name, created.jxc_supplier_risk, created.jxc_supplier_standing_manual),
                         ("JXC New Vendor", False, False))
        vendor = self.vendor_a.with_company(self.company)
        vendor.jxc_supplier_standing_manual = False  # at risk by the evaluation
        standing = (vendor.jxc_supplier_risk, vendor.jxc_supplier_grade, vendor.jxc_supplier_standing_manual)
        self.assertEqual(standing, (True, "d", False))
        vendor.with_user(buyer).write({"name": "JXC Vendor A (imported)", "jxc_supplier_risk": True,
                                       "jxc_supplier_grade": "d", "jxc_supplier_score": vendor.jxc_supplier_score})
        self.assertEqual((vendor.name, vendor.jxc_supplier_risk, vendor.jxc_supplier_grade,
                          vendor.jxc_supplier_standing_manual), ("JXC Vendor A (imported)", *standing))
        with self.assertRaisesRegex(AccessError, "come from the supplier evaluation"):
            (vendor | created).with_user(buyer).write({"jxc_supplier_risk": True})

    def test_managers_override_through_the_wizard_only(self):
        for manager in (self.jxc_manager, self.purchase_manager):
            order = self._buyer_order()
            action = order.with_user(manager).with_context(**self.HOSTILE).button_confirm()
            self.assertEqual(action["res_model"], "jxc.supplier.risk.wizard")
            self.assertEqual(order.state, "draft", "the context key confirms nothing, even for a manager")
            wizard = Form(self.env["jxc.supplier.risk.wizard"].with_user(manager).browse(action["res_id"]))
            self.assertTrue(wizard.blocking)
            with self.assertRaisesRegex(UserError, "Give the reason"):
                wizard.record.action_confirm()
            wizard.override_reason = "Sole source this week"
            wizard.save().action_confirm()
            self.assertEqual(order.state, "purchase")
            log = "\n".join(order.message_ids.mapped("body"))
            self.assertIn("Confirmed by %s overriding the block of a vendor at risk" % manager.name, log)
            self.assertIn("Sole source this week", log)

    def test_warning_still_works_for_buyers(self):
        self.company.jxc_supplier_risk_action = "warn"
        order = self._buyer_order()
        action = order.with_user(self.jxc_user).with_context(**self.HOSTILE).button_confirm()
        self.assertEqual(action["res_model"], "jxc.supplier.risk.wizard")
        self.assertEqual(order.state, "draft", "the warning is shown whatever the context says")
        self.env["jxc.supplier.risk.wizard"].with_user(self.jxc_user).browse(action["res_id"]).action_confirm()
        self.assertEqual(order.state, "purchase")
        self.assertIn("despite the supplier risk warning", "\n".join(order.message_ids.mapped("body")))

    def test_warning_not_skipped_through_approve_or_a_state_write(self):
        """Warn mode: Odoo's public Approve on a draft order confirms it as Confirm does, so it
        shows the warning too; an order confirmed by writing its state (no screen to warn on)
        says so in its chatter."""
        self.company.jxc_supplier_risk_action = "warn"
        order = self._buyer_order().with_user(self.jxc_user)
        action = order.button_approve()
        self.assertEqual((action["res_model"], order.state), ("jxc.supplier.risk.wizard", "draft"))
        order.write({"state": "purchase"})
        self.assertEqual(order.state, "purchase")
        self.assertIn("without the supplier risk warning", "\n".join(order.sudo().message_ids.mapped("body")))

    def test_confirmed_without_the_warning_is_said_on_every_path(self):
        """Warn mode: an order created confirmed (an import), one waiting for approval whose state
        is written, and one given the vendor at risk in the write that confirms it: each says in
        its chatter that the warning was not shown. An order of a vendor not at risk says nothing."""
        self.company.jxc_supplier_risk_action = "warn"

        def said(order):
            return "without the supplier risk warning" in "\n".join(order.sudo().message_ids.mapped("body"))

        created = self.env["purchase.order"].create({
            "partner_id": self.vendor_a.id, "state": "purchase",
            "order_line": [Command.create({"product_id": self.product_1.id, "product_qty": 1.0, "price_unit": 10.0})],
        })
        self.assertTrue(said(created))
        waiting = self._create_purchase(self.vendor_a, [(self.product_1, 1.0, 10.0)], confirm=False)
        waiting.sudo().write({"state": "to approve"})
        waiting.write({"state": "purchase"})
        self.assertTrue(said(waiting))
        switched = self._create_purchase(self.vendor_b, [(self.product_1, 1.0, 12.0)], confirm=False)
        switched.write({"partner_id": self.vendor_a.id, "state": "purchase"})
        self.assertTrue(said(switched))
        clean = self._create_purchase(self.vendor_a, [(self.product_1, 1.0, 10.0)], confirm=False)
        clean.write({"partner_id": self.vendor_b.id, "state": "purchase"})
        self.assertFalse(said(clean))

    def test_approval_after_the_vendor_fell_at_risk_warns(self):
        """Warn mode, approval above 1.00: the buyer confirms an order of vendor B, not at risk
        then; it waits for approval. The month's evaluation puts B at risk: the manager's Approve
        shows the warning, and the order says it was approved despite it."""
        self.company.write({"jxc_supplier_risk_action": "warn", "po_double_validation": "two_step",
                            "po_double_validation_amount": 1.0})
        order = self._create_purchase(self.vendor_b, [(self.product_1, 5.0, 10.0)], confirm=False)
        order.with_user(self.jxc_user).button_confirm()
        self.assertEqual(order.state, "to approve")
        self.vendor_b.with_company(self.company).sudo().write({
            "jxc_supplier_risk": True, "jxc_supplier_risk_reason": "grade D (score 35.0)", "jxc_supplier_grade": "d",
        })
        order.invalidate_recordset()  # the approval is another request
        action = order.with_user(self.purchase_manager).button_approve()
        self.assertEqual((action["res_model"], order.state), ("jxc.supplier.risk.wizard", "to approve"))
        self.env["jxc.supplier.risk.wizard"].with_user(self.purchase_manager).browse(action["res_id"]).action_confirm()
        self.assertEqual(order.state, "purchase")
        self.assertIn("despite the supplier risk warning", "\n".join(order.message_ids.mapped("body")))

    def test_approval_of_a_blocked_order_goes_through_the_wizard(self):
        """An order confirmed under the warning waits for approval (its chatter says it was sent
        for approval, not confirmed); the vendor is then blocked: the manager's Approve opens the
        override wizard, and the chatter says who confirmed it and why."""
        self.company.write({"jxc_supplier_risk_action": "warn", "po_double_validation": "two_step",
                            "po_double_validation_amount": 1.0})
        order = self._buyer_order()
        action = order.with_user(self.jxc_user).button_confirm()
        self.env["jxc.supplier.risk.wizard"].with_user(self.jxc_user).browse(action["res_id"]).action_confirm()
        self.assertEqual(order.state, "to approve")
        log = "\n".join(order.message_ids.mapped("body"))
        self.assertIn("Sent for approval by %s despite the supplier risk warning." % self.jxc_user.name, log)
        self.assertNotIn("Confirmed by", log)
        self.company.jxc_supplier_risk_action = "block"
        action = order.with_user(self.purchase_manager).button_approve()
        self.assertEqual(action["res_model"], "jxc.supplier.risk.wizard")
        self.assertEqual(order.state, "to approve")
        wizard = self.env["jxc.supplier.risk.wizard"].with_user(self.purchase_manager).browse(action["res_id"])
        wizard.override_reason = "Approved by the board"
        wizard.action_confirm()
        self.assertEqual(order.state, "purchase")
        self.assertIn("Confirmed by %s overriding the block of a vendor at risk. Override reason: Approved by the board"
                      % self.purchase_manager.name, "\n".join(order.message_ids.mapped("body")))

    def test_block_overridden_above_the_approval_amount_waits_for_approval(self):
        """Block mode, approval above 1.00: an inventory control manager (no purchase manager)
        overrides the block; the order only waits for the purchase manager's approval, and its
        chatter says it was sent for approval with the override, not confirmed."""
        self.company.write({"po_double_validation": "two_step", "po_double_validation_amount": 1.0})
        manager = new_test_user(self.env, login="jxc_risk_ic_manager", name="IC Manager",
                                groups="jxc_addon.group_jxc_manager,purchase.group_purchase_user")
        order = self._buyer_order()
        action = order.with_user(manager).button_confirm()
        wizard = self.env["jxc.supplier.risk.wizard"].with_user(manager).browse(action["res_id"])
        wizard.override_reason = "Sole source this week"
        wizard.action_confirm()
        self.assertEqual(order.state, "to approve")
        log = "\n".join(order.message_ids.mapped("body"))
        self.assertIn("Sent for approval by IC Manager overriding the block of a vendor at risk. Override reason: Sole "
                      "source this week", log)
        self.assertNotIn("Confirmed by", log)


@tagged("post_install", "-at_install")
class TestSupplierPricesInCompanyCurrency(JxcCommon):
    """Vendor prices as Odoo reads them, in the risk alternatives and the price index. A company in CNY
    (1 USD = 8 CNY until June 2025, 10 CNY from July) orders 24 units of the widget on
    2 June 2025; vendor B, never bought from, prices it by the dozen in USD: 24.00 a dozen
    (valid in 2025), 18.00 a dozen from 5 dozen, 12.00 a dozen until 2024. For 2 dozen on
    2 June Odoo picks 24.00 USD a dozen = 2.00 USD a unit = 16.00 CNY a unit."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Currency = cls.env["res.currency"].with_context(active_test=False)
        cny, usd = Currency.search([("name", "=", "CNY")]), Currency.search([("name", "=", "USD")])
        (cny | usd).active = True
        cls.company_cn = cls.env["res.company"].create({"name": "JXC Shanghai Trading", "currency_id": cny.id})
        cls.env["res.currency.rate"].create([
            {"name": "2025-01-01", "currency_id": cny.id, "rate": 1.0, "company_id": cls.company_cn.id},
            {"name": "2025-01-01", "currency_id": usd.id, "rate": 0.125, "company_id": cls.company_cn.id},
            {"name": "2025-07-01", "currency_id": usd.id, "rate": 0.1, "company_id": cls.company_cn.id},
        ])
        cls.env.user.company_ids |= cls.company_cn
        cls.env_cn = cls.env(context=dict(cls.env.context, allowed_company_ids=[cls.company_cn.id]))
        dozen = cls.env.ref("uom.product_uom_dozen")
        common = {"partner_id": cls.vendor_b.id, "product_tmpl_id": cls.product_1.product_tmpl_id.id,
                  "company_id": cls.company_cn.id, "currency_id": usd.id, "product_uom_id": dozen.id}
        cls.env["product.supplierinfo"].create([
            dict(common, price=12.0, date_end="2024-12-31"),
            dict(common, price=18.0, min_qty=5.0, date_start="2025-01-01", date_end="2025-12-31"),
            dict(common, price=24.0, date_start="2025-01-01", date_end="2025-12-31"),
        ])
        cls.vendor_a.with_company(cls.company_cn).write({
            "jxc_supplier_risk": True, "jxc_supplier_risk_reason": "grade D (score 40.0)", "jxc_supplier_grade": "d",
        })
        cls.company_cn.jxc_supplier_risk_action = "warn"

    def test_alternative_price_per_unit_in_company_currency(self):
        with freeze_time("2025-06-02 02:00:00"):
            order = self.env_cn["purchase.order"].create({
                "partner_id": self.vendor_a.id,
                "order_line": [Command.create({"product_id": self.product_1.id, "product_qty": 24.0, "price_unit": 20.0})],
            })
            self.assertEqual(order.company_id, self.company_cn)
            action = order.button_confirm()
            wizard = self.env_cn["jxc.supplier.risk.wizard"].browse(action["res_id"])
            self.assertEqual(
                [(alt.partner_id, alt.price, alt.currency_id.name) for alt in wizard.alternative_ids],
                [(self.vendor_b, 16.0, "CNY")],
            )
            # From 5 dozen the quantity break applies: 18.00 USD a dozen = 1.50 USD = 12.00 CNY a unit.
            order.order_line.product_qty = 60.0
            self.assertEqual([alt["price"] for alt in order._get_jxc_supplier_alternatives()], [12.0])

    def test_alternatives_of_a_batch_per_company(self):
        """Orders of two companies confirmed together: each company's alternatives for its
        own order, priced in its own vendor lines and currency (B's 11.00 shared line for
        the main company, its dozen price in USD for the Shanghai company)."""
        self.vendor_a.with_company(self.company).write({"jxc_supplier_risk": True, "jxc_supplier_grade": "d"})
        with freeze_time("2025-06-02 02:00:00"):
            order_cn = self.env_cn["purchase.order"].create({
                "partner_id": self.vendor_a.id,
                "order_line": [Command.create({"product_id": self.product_1.id, "product_qty": 24.0, "price_unit": 20.0})],
            })
            order_main = self.env["purchase.order"].create({
                "partner_id": self.vendor_a.id,
                "order_line": [Command.create({"product_id": self.product_1.id, "product_qty": 24.0, "price_unit": 20.0})],
            })
            both = (order_main | order_cn).with_context(allowed_company_ids=[self.company.id, self.company_cn.id])
            alternatives = both._get_jxc_supplier_alternatives()
        self.assertEqual(
            sorted((alt["partner"], alt["price"], alt["currency"].name) for alt in alternatives),
            sorted([(self.vendor_b, 11.0, self.company.currency_id.name), (self.vendor_b, 16.0, "CNY")]),
        )

    def test_price_index_per_unit_in_company_currency(self):
        """In June vendor A sells 12 widgets at 10.00 CNY; vendor B 1 dozen at 12.00 USD a dozen
        = 96.00 CNY for 12 units = 8.00 CNY a unit. Market price (120 + 96) / 24 = 9.00 CNY:
        A's index 10 / 9 = 111.1, B's 8 / 9 = 88.9 (the raw 12.00 would make B the dearest)."""
        self.company_cn.jxc_supplier_risk_action = "none"
        usd = self.env["res.currency"].search([("name", "=", "USD")])
        with freeze_time("2025-06-02 02:00:00"):
            orders = self.env_cn["purchase.order"].create([
                {"partner_id": self.vendor_a.id, "order_line": [Command.create({
                    "product_id": self.product_1.id, "product_qty": 12.0, "price_unit": 10.0})]},
                {"partner_id": self.vendor_b.id, "currency_id": usd.id, "order_line": [Command.create({
                    "product_id": self.product_1.id, "product_qty": 1.0, "price_unit": 12.0,
                    "product_uom_id": self.env.ref("uom.product_uom_dozen").id})]},
            ])
            orders.button_confirm()
        self.assertEqual(orders.mapped("state"), ["purchase", "purchase"])
        june = self.env["jxc.supplier.period"]._get_or_create_period(self.company_cn, date(2025, 6, 1))
        june.action_compute()
        results = {}
        for evaluation in june.evaluation_ids:
            price = evaluation.line_ids.filtered(lambda line: line.criterion_id.criterion_type == "price")
            results[evaluation.partner_id] = (evaluation.purchase_amount, round(price.raw_value, 4))
        self.assertEqual(results, {self.vendor_a: (120.0, round(1000 / 9, 4)), self.vendor_b: (96.0, round(800 / 9, 4))})


@tagged("post_install", "-at_install")
class TestSupplierStandingByHand(JxcCommon):
    """A risk set by hand by a manager, and periods deleted, in November 2025 (the company works
    in Asia/Shanghai: 02:00 UTC is 10:00 there). November is computed on 2 December, once it has
    ended: vendor A delivered 10 widgets on time (score 100, grade A); vendor B 10 gizmos 22 days
    late (on time 0 %, grade D, at risk)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.jxc_supplier_risk_action = "block"
        cls.Period = cls.env["jxc.supplier.period"]
        cls._buy(cls.vendor_a, [(cls.product_1, 10.0, 10.0)], "2025-11-05 02:00:00", "2025-11-08 02:00:00",
                 date_planned="2025-11-10 04:00:00")
        cls._buy(cls.vendor_b, [(cls.product_3, 10.0, 50.0)], "2025-11-03 02:00:00", "2025-11-28 02:00:00",
                 date_planned="2025-11-06 04:00:00")
        cls.november = cls.Period._get_or_create_period(cls.company, date(2025, 11, 1))
        with freeze_time("2025-12-02 02:00:00"):
            cls.november.action_compute()
        cls.buyer = new_test_user(cls.env, login="jxc_hand_buyer", groups=(
            "jxc_addon.group_jxc_user,purchase.group_purchase_user,base.group_partner_manager"))

    def _standing(self, vendor):
        vendor = vendor.with_company(self.company)
        return vendor.jxc_supplier_grade, vendor.jxc_supplier_risk, vendor.jxc_supplier_risk_reason

    def _cron(self):
        with freeze_time("2025-12-03 03:00:00"):
            self.Period._cron_compute_supplier_evaluations()

    def _evaluation(self, period, vendor):
        return period.evaluation_ids.filtered(lambda e: e.partner_id == vendor)

    def test_risk_set_by_hand_survives_the_nightly_evaluation(self):
        late = "on-time rate 0.0 % below 80.0 %"
        self.assertEqual(self._standing(self.vendor_a), ("a", False, False))
        self.assertIn(late, self._standing(self.vendor_b)[2])
        a = self.vendor_a.with_company(self.company).with_user(self.jxc_manager)
        b = self.vendor_b.with_company(self.company).with_user(self.jxc_manager)
        a.write({"jxc_supplier_risk": True, "jxc_supplier_risk_reason": "Factory fire, do not order"})
        b.write({"jxc_supplier_risk": False})  # unblocked by hand: the manager knows why
        self._cron()
        with freeze_time("2025-12-03 04:00:00"):
            self.november.action_compute()
        self.assertEqual(self._standing(self.vendor_a), ("a", True, "Factory fire, do not order"))
        self.assertEqual(self._standing(self.vendor_b)[1], False)
        self.assertEqual((a.jxc_supplier_standing_manual, b.jxc_supplier_standing_manual), (True, True))
        # handed back to the evaluation: its standing applies at once, and from then on
        with freeze_time("2025-12-03 05:00:00"):
            a.action_jxc_follow_evaluation()
            b.action_jxc_follow_evaluation()
        self.assertEqual(self._standing(self.vendor_a), ("a", False, False))
        self.assertEqual(self._standing(self.vendor_b)[:2], ("d", True))
        self.assertIn(late, self._standing(self.vendor_b)[2])
        self.assertEqual((a.jxc_supplier_standing_manual, b.jxc_supplier_standing_manual), (False, False))
        self.assertEqual(a.sudo().jxc_supplier_evaluation_id, self._evaluation(self.november, self.vendor_a))
        self.vendor_a.with_company(self.company).jxc_supplier_risk = True  # by hand, as superuser too
        self.assertTrue(a.jxc_supplier_standing_manual)
        with freeze_time("2025-12-03 06:00:00"):
            a.action_jxc_follow_evaluation()
        self.assertEqual(self._standing(self.vendor_a), ("a", False, False))
        # pressed on a contact of the vendor: the vendor's standing, which its orders read
        self.vendor_a.with_company(self.company).jxc_supplier_risk = True
        contact = self.env["res.partner"].create({"name": "JXC Vendor A, sales", "parent_id": self.vendor_a.id})
        with freeze_time("2025-12-03 07:00:00"):
            contact.with_company(self.company).with_user(self.jxc_manager).action_jxc_follow_evaluation()
        self.assertEqual((self._standing(self.vendor_a), a.jxc_supplier_standing_manual), (("a", False, False), False))
        self.assertFalse(contact.with_company(self.company).jxc_supplier_standing_manual)

    def _set_risk_by_hand(self, vendor, user, at_risk, note):
        """The vendor form's Set Risk by Hand, as ``user`` clicks it in the company."""
        action = vendor.with_company(self.company).with_user(user).action_jxc_set_risk_by_hand()
        wizard = self.env[action["res_model"]].with_user(user).with_company(self.company).browse(action["res_id"])
        with Form(wizard) as form:
            form.at_risk = at_risk
            form.note = note
        return wizard.action_apply()

    def test_manager_sets_the_risk_by_hand(self):
        self.assertEqual(self._set_risk_by_hand(self.vendor_a, self.jxc_manager, True, "Factory fire, do not order"),
                         {"type": "ir.actions.act_window_close"})
        self._cron()
        self.assertEqual(self._standing(self.vendor_a), ("a", True, "Factory fire, do not order"))
        self.assertTrue(self.vendor_a.with_company(self.company).sudo().jxc_supplier_standing_manual)
        # an inventory control user sees the reason, not the button to change it
        arch = self.env["res.partner"].with_user(self.jxc_user).get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="jxc_supplier_evaluation"', arch)
        self.assertNotIn("action_jxc_set_risk_by_hand", arch)

    def test_risk_set_by_hand_twice_posts_one_note(self):
        """The same risk and reason applied again (a second click, a dialog sent twice) changes
        nothing: one note in the vendor's chatter, not two; another reason is a new note."""
        def notes():
            return len(self.vendor_a.message_ids.filtered(lambda m: "set by hand" in str(m.body)))

        for _again in range(2):
            self._set_risk_by_hand(self.vendor_a, self.jxc_manager, True, "Factory fire")
        self.assertEqual(notes(), 1)
        self.assertEqual(self._standing(self.vendor_a), ("a", True, "Factory fire"))
        self._set_risk_by_hand(self.vendor_a, self.jxc_manager, True, "Factory fire, until March")
        self.assertEqual(notes(), 2)
        self.assertEqual(self._standing(self.vendor_a), ("a", True, "Factory fire, until March"))

    def test_manager_blocks_a_vendor_never_evaluated(self):
        """A vendor bought from but never evaluated yet (a new supplier) can be put at risk by hand."""
        vendor = self.env["res.partner"].create({"name": "New Vendor", "supplier_rank": 1})
        self._set_risk_by_hand(vendor, self.jxc_manager, True, "Recall announced")
        vendor = vendor.with_company(self.company).sudo()
        self.assertEqual((vendor.jxc_supplier_risk, vendor.jxc_supplier_risk_reason, vendor.jxc_supplier_standing_manual),
                         (True, "Recall announced", True))

    def test_manager_without_contact_rights_sets_the_risk(self):
        """A manager of inventory control who may not edit contacts (no Contact Creation) sees the
        vendor's form read-only: Set Risk by Hand still sets and lifts the risk, with its reason in
        the vendor's chatter; nothing else of the contact is theirs to change."""
        analyst = new_test_user(self.env, login="jxc_risk_analyst", groups="jxc_addon.group_jxc_manager")
        vendor = self.vendor_a.with_company(self.company)
        with self.assertRaises(AccessError):
            vendor.with_user(analyst).write({"jxc_supplier_risk": True})
        arch = self.env["res.partner"].with_user(analyst).get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('edit="False"', arch)
        self.assertIn("action_jxc_set_risk_by_hand", arch)
        with self.assertRaisesRegex(UserError, "Say why JXC Vendor A is at risk"):
            self._set_risk_by_hand(self.vendor_a, analyst, True, "  ")
        self.assertEqual(self._standing(self.vendor_a), ("a", False, False))
        self._set_risk_by_hand(self.vendor_a, analyst, True, "Dispute over the last delivery")
        self.assertEqual(self._standing(self.vendor_a), ("a", True, "Dispute over the last delivery"))
        # every employee reads the vendor's messages: no risk nor reason in them
        employee = new_test_user(self.env, login="jxc_plain_employee", groups="base.group_user")
        self.assertFalse([body for body in self.vendor_a.with_user(employee).message_ids.mapped("body")
                          if "Dispute" in str(body)])
        message = self.vendor_a.message_ids[:1]
        self.assertEqual((message.author_id, message.body), (analyst.partner_id, (
            "<span>Supplier standing set by hand in %s: see the vendor's Supplier Evaluation tab.</span>" % self.company.name)))
        self.assertEqual(vendor.sudo().write_uid, analyst)
        # the form opens on the vendor's current risk; lifting it keeps the standing the manager's
        action = vendor.with_user(analyst).action_jxc_set_risk_by_hand()
        wizard = self.env[action["res_model"]].browse(action["res_id"])
        self.assertEqual((wizard.partner_id, wizard.at_risk, wizard.note),
                         (self.vendor_a, True, "Dispute over the last delivery"))
        self._set_risk_by_hand(self.vendor_a, analyst, False, "")
        self.assertEqual(self._standing(self.vendor_a), ("a", False, False))
        self.assertTrue(vendor.sudo().jxc_supplier_standing_manual)
        self.assertEqual(len(self.vendor_a.message_ids.filtered(lambda m: "set by hand" in str(m.body))), 2)
        # neither the button nor the form is a buyer's
        with self.assertRaisesRegex(AccessError, "Only inventory control managers can set a vendor's risk"):
            vendor.with_user(self.buyer).action_jxc_set_risk_by_hand()
        with self.assertRaises(AccessError):
            self.env["jxc.supplier.standing.wizard"].with_user(self.buyer).create(
                {"partner_id": self.vendor_a.id, "at_risk": False})
        self.assertEqual(self._standing(self.vendor_a), ("a", False, False))

    def test_only_managers_set_or_clear_the_mark(self):
        a = self.vendor_a.with_company(self.company)
        for vals in ({"jxc_supplier_standing_manual": True}, {"jxc_supplier_risk_reason": "Rumours"}):
            with self.subTest(vals=vals), self.assertRaisesRegex(AccessError, "come from the supplier evaluation"):
                a.with_user(self.buyer).write(vals)
        a.with_user(self.jxc_manager).write({"jxc_supplier_risk": True})
        with self.assertRaisesRegex(AccessError, "come from the supplier evaluation"):
            a.with_user(self.buyer).write({"jxc_supplier_standing_manual": False})
        with self.assertRaisesRegex(AccessError, "Only inventory control managers"):
            a.with_user(self.buyer).action_jxc_follow_evaluation()
        self.assertEqual((a.jxc_supplier_standing_manual, a.jxc_supplier_risk), (True, True))
        # the button is the managers' too
        form = self.env["res.partner"].with_user(self.buyer).get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="jxc_supplier_standing_manual"', form)
        self.assertNotIn("action_jxc_follow_evaluation", form)
        form = self.env["res.partner"].with_user(self.jxc_manager).get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn("action_jxc_follow_evaluation", form)
        # a vendor hidden from the manager (another company's contact) is not his to hand back
        other = self.env["res.company"].create({"name": "JXC Hidden Co"})
        hidden = self.env["res.partner"].create({"name": "JXC Hidden Vendor", "company_id": other.id})
        hidden.with_company(self.company).write({"jxc_supplier_risk": True})
        with self.assertRaises(AccessError):
            hidden.with_user(self.jxc_manager).action_jxc_follow_evaluation()
        self.assertTrue(hidden.with_company(self.company).jxc_supplier_standing_manual)

    def test_closed_period_is_not_deleted(self):
        self.november.action_close()
        with self.assertRaisesRegex(UserError, "2025-11 is closed.*reopen it first"), self.env.cr.savepoint():
            self.november.with_user(self.jxc_manager).unlink()
        self.assertTrue(self.november.exists())
        self.assertEqual(len(self.november.evaluation_ids), 2)
        self.assertEqual(self._standing(self.vendor_b)[:2], ("d", True))

    def test_deleting_an_open_period_refreshes_its_vendors(self):
        """B delivered on time in October (grade A); C only in November, late (at risk). November
        deleted: B is back to October's standing, C has no evaluation left and no standing."""
        vendor_c = self.env["res.partner"].create({"name": "JXC Vendor C", "supplier_rank": 1})
        self.company.jxc_supplier_risk_action = "none"  # B's October order, entered after B was blocked
        self._buy(self.vendor_b, [(self.product_3, 4.0, 50.0)], "2025-10-02 02:00:00", "2025-10-08 02:00:00",
                  date_planned="2025-10-10 04:00:00")
        self.company.jxc_supplier_risk_action = "block"
        self._buy(vendor_c, [(self.product_2, 5.0, 4.0)], "2025-11-03 02:00:00", "2025-11-28 02:00:00",
                  date_planned="2025-11-06 04:00:00")
        october = self.Period._get_or_create_period(self.company, date(2025, 10, 1))
        with freeze_time("2025-12-02 02:00:00"):
            october.action_compute()
            self.november.action_compute()
        self.assertEqual(self._standing(vendor_c)[:2], ("d", True))
        self.assertEqual(self._standing(self.vendor_b)[:2], ("d", True))
        with freeze_time("2025-12-03 03:00:00"):
            self.november.with_user(self.jxc_manager).unlink()
        self.assertEqual(self._standing(self.vendor_b), ("a", False, False))
        self.assertEqual(self.vendor_b.with_company(self.company).sudo().jxc_supplier_evaluation_id,
                         self._evaluation(october, self.vendor_b))
        self.assertEqual(self._standing(vendor_c), (False, False, False))
        self.assertFalse(vendor_c.with_company(self.company).sudo().jxc_supplier_evaluation_id)
        self.assertEqual(self._standing(self.vendor_a), (False, False, False))
        order = self._create_purchase(vendor_c, [(self.product_2, 1.0, 4.0)], confirm=False)
        order.with_user(self.jxc_user).button_confirm()
        self.assertEqual(order.state, "purchase")
        self._cron()  # the nightly job recreates November from the orders: the standing follows it again
        self.assertEqual(self._standing(vendor_c)[:2], ("d", True))

    def test_risk_activity_to_whoever_may_read_the_evaluation_today(self):
        """The risk responsible set in the settings was archived since; the company's first
        purchase manager has no inventory control rights (the note sends to the Supplier
        Evaluation tab, which they cannot open): the activity goes to the next purchase manager,
        who has them."""
        responsible = new_test_user(self.env, login="jxc_risk_gone", groups="jxc_addon.group_jxc_user",
                                    company_id=self.company.id, company_ids=self.company.ids)
        self.company.jxc_supplier_risk_user_id = responsible
        responsible.action_archive()
        Users = self.env["res.users"]
        for user in Users.search([("all_group_ids", "in", self.env.ref("purchase.group_purchase_manager").id)]):
            user.group_ids -= self.env.ref("purchase.group_purchase_manager")
        purchase_only = new_test_user(self.env, login="jxc_risk_purchase_only", groups="purchase.group_purchase_manager",
                                      company_id=self.company.id, company_ids=self.company.ids)
        buyer = new_test_user(self.env, login="jxc_risk_jxc_buyer",
                              groups="purchase.group_purchase_manager,jxc_addon.group_jxc_user",
                              company_id=self.company.id, company_ids=self.company.ids)
        self.assertLess(purchase_only.id, buyer.id)
        vendor_d = self.env["res.partner"].create({"name": "JXC Vendor D", "supplier_rank": 1})
        self._buy(vendor_d, [(self.product_2, 5.0, 4.0)], "2025-11-03 02:00:00", "2025-11-28 02:00:00",
                  date_planned="2025-11-06 04:00:00")
        with freeze_time("2025-12-02 03:00:00"):
            self.november.action_compute()
        self.assertEqual(self._standing(vendor_d)[:2], ("d", True))
        activity = self.env["mail.activity"].search([("res_model", "=", "res.partner"), ("res_id", "=", vendor_d.id)])
        self.assertEqual(activity.user_id, buyer)

    def test_manager_without_contact_rights_computes_the_period(self):
        """An analyst of inventory control (no right to edit contacts) computes November as D falls
        at risk: the evaluation is written and the activity scheduled for the risk user."""
        analyst = new_test_user(self.env, login="jxc_hand_analyst", groups="jxc_addon.group_jxc_manager")
        self.assertFalse(self.env["res.partner"].with_user(analyst).has_access("write"))
        self.company.jxc_supplier_risk_user_id = self.jxc_manager
        vendor_d = self.env["res.partner"].create({"name": "JXC Vendor D", "supplier_rank": 1})
        self._buy(vendor_d, [(self.product_2, 5.0, 4.0)], "2025-11-03 02:00:00", "2025-11-28 02:00:00",
                  date_planned="2025-11-06 04:00:00")
        with freeze_time("2025-12-02 03:00:00"):
            self.november.with_user(analyst).action_compute()
        evaluation = self._evaluation(self.november, vendor_d)
        self.assertEqual((evaluation.grade, evaluation.risk), ("d", True))
        self.assertEqual(self._standing(vendor_d)[:2], ("d", True))
        activity = self.env["mail.activity"].search([("res_model", "=", "res.partner"), ("res_id", "=", vendor_d.id)])
        self.assertEqual((activity.user_id, activity.summary), (self.jxc_manager, "Supplier at risk in My Company: JXC Vendor D"))
