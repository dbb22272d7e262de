"""The block of a vendor at risk beyond the confirmation of an order: lines added to a
confirmed order, the reason in each reader's language, the standing taken from the last
complete period.

The company works in Asia/Shanghai (UTC+8): 02:00 UTC is 10:00 the same day there.
"""

from datetime import date, datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import Form, new_test_user, tagged

from .common import JxcCommon
from .common_supplier_graded import JxcSupplierGradedCommon

REFUSED = "only a purchase manager or an inventory control manager can add lines to a confirmed order of this vendor or raise its quantities"


def _as(record, user):
    """``record`` as ``user`` reads it in the web client, which sends the user's language."""
    return record.with_user(user).with_context(lang=user.lang)


def _messages(order):
    return "\n".join(order.message_ids.mapped("body"))


@tagged("post_install", "-at_install")
class TestBlockedVendorConfirmedOrder(JxcCommon):
    """An order of vendor A (5 widgets) confirmed before A was blocked: the buyer may no longer
    buy more from A through it, whatever the path, but everything else goes on."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.jxc_supplier_risk_action = "block"
        cls.order = cls._create_purchase(cls.vendor_a, [(cls.product_1, 5.0, 10.0)])
        cls.line = cls.order.order_line
        cls._set_risk(cls.vendor_a, cls.company)
        cls.purchase_manager = new_test_user(
            cls.env, login="jxc_block_purchase_manager", name="Purchase Manager",
            groups="jxc_addon.group_jxc_user,purchase.group_purchase_manager",
        )
        cls.dozen = cls.env.ref("uom.product_uom_dozen")

    @classmethod
    def _set_risk(cls, vendor, company):
        vendor.with_company(company).write({
            "jxc_supplier_risk": True, "jxc_supplier_risk_reason": "grade D (score 40.0)",
            "jxc_supplier_grade": "d", "jxc_supplier_score": 40.0,
        })

    def _new_line(self, product=None, qty=3.0):
        return {"product_id": (product or self.product_2).id, "product_qty": qty, "price_unit": 4.0}

    def _incoming(self, order, product):
        moves = order.picking_ids.move_ids.filtered(lambda m: m.product_id == product and m.state != "cancel")
        return sum(moves.mapped("product_uom_qty"))

    def test_buyer_cannot_add_a_line(self):
        order = self.order.with_user(self.jxc_user)
        with self.assertRaisesRegex(UserError, REFUSED):
            order.write({"order_line": [Command.create(self._new_line())]})
        with self.assertRaisesRegex(UserError, REFUSED):
            self.env["purchase.order.line"].with_user(self.jxc_user).create(dict(self._new_line(), order_id=order.id))
        # the order given by a default of the context (the client writes it)
        with self.assertRaisesRegex(UserError, REFUSED):
            self.env["purchase.order.line"].with_user(self.jxc_user).with_context(
                default_order_id=order.id).create(dict(self._new_line(), name="Extra line"))
        # the same line added in the order form
        with self.assertRaisesRegex(UserError, REFUSED), Form(order) as form, form.order_line.new() as line:
            line.product_id = self.product_2
            line.product_qty = 3.0
        self.assertEqual(self.order.order_line, self.line)
        self.assertEqual(self._incoming(self.order, self.product_2), 0.0)
        self.assertNotIn("Extra line", _messages(self.order))

    def test_buyer_cannot_raise_a_quantity(self):
        line = self.line.with_user(self.jxc_user)
        for vals in ({"product_qty": 8.0}, {"product_uom_id": self.dozen.id}, {"product_id": self.product_2.id}):
            with self.subTest(vals=vals), self.assertRaisesRegex(UserError, REFUSED):
                line.write(vals)
        with self.assertRaisesRegex(UserError, REFUSED):
            self.order.with_user(self.jxc_user).write({"order_line": [Command.update(self.line.id, {"product_qty": 6.0})]})
        self.assertEqual((self.line.product_qty, self.line.product_uom_id, self.line.product_id),
                         (5.0, self.uom_unit, self.product_1))
        self.assertEqual(self._incoming(self.order, self.product_1), 5.0)
        # The error says what to do, with the vendor, its reason and the order.
        with self.assertRaises(UserError) as error:
            line.write({"product_qty": 8.0})
        message = str(error.exception)
        for part in ("JXC Vendor A", "grade D (score 40.0)", self.order.name, "request for quotation"):
            self.assertIn(part, message)

    def test_buyer_can_lower_receive_bill_and_cancel(self):
        line = self.line.with_user(self.jxc_user)
        line.write({"product_qty": 4.0})
        self.assertEqual(self._incoming(self.order, self.product_1), 4.0)
        self.order.with_user(self.jxc_user).write({
            "order_line": [Command.update(self.line.id, {"product_qty": 3.0, "price_unit": 9.0}),
                           Command.create({"display_type": "line_note", "name": "Deliver to gate 2", "product_qty": 0.0})],
        })
        self.assertEqual(self._incoming(self.order, self.product_1), 3.0)
        picking = self.order.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        picking = picking.with_user(self.jxc_user)
        picking.move_ids.quantity = 2.0
        picking.move_ids.picked = True
        picking.with_context(skip_backorder=True).button_validate()
        self.assertEqual(self.line.qty_received, 2.0)
        self.order.with_user(self.jxc_user).action_create_invoice()
        self.assertEqual(self.line.qty_invoiced, 2.0)
        self.order.with_user(self.jxc_user).write({"order_line": [Command.update(self.line.id, {"product_qty": 2.0})]})
        self.assertEqual(self.line.product_qty, 2.0)
        self.assertNotIn("past the block", _messages(self.order))
        other = self._create_purchase(self.vendor_b, [(self.product_1, 1.0, 11.0)])
        self._set_risk(self.vendor_b, self.company)
        other.with_user(self.jxc_user).button_cancel()
        self.assertEqual(other.state, "cancel")

    def test_managers_may_add_and_raise(self):
        for manager, qty in ((self.jxc_manager, 6.0), (self.purchase_manager, 7.0)):
            with self.subTest(manager=manager.name):
                order = self.order.with_user(manager)
                order.write({"order_line": [Command.update(self.line.id, {"product_qty": qty}),
                                            Command.create(self._new_line(qty=qty))]})
                self.assertEqual(self.line.product_qty, qty)
                self.assertEqual(self._incoming(self.order, self.product_1), qty)
        self.assertEqual(self._incoming(self.order, self.product_2), 13.0)
        self.assertIn("Extra line with [JXC-002] JXC Gadget", _messages(self.order))
        # each save past the block is on record, once however many lines it adds or raises
        logged = self.order.message_ids.filtered(lambda m: "past the block" in (m.body or ""))
        self.assertEqual(sorted(logged.mapped("author_id.name")), sorted(["Purchase Manager", self.jxc_manager.name]))

    def test_buying_more_logged_once_per_transaction(self):
        """A manager's import adds lines to the blocked vendor's order: a batch rolled back is not
        on record; the retry's line is, once however many saves the transaction makes. A job
        that commits and buys more again is on record again (the next transaction's)."""
        order = self.order.with_user(self.purchase_manager)

        def logged():
            return self.order.message_ids.filtered(lambda m: "past the block" in (m.body or ""))

        with self.assertRaises(ValueError), self.env.cr.savepoint():
            order.write({"order_line": [Command.create(self._new_line(qty=2.0))]})
            raise ValueError("a bad row of the batch")
        self.assertFalse(logged())
        order.write({"order_line": [Command.create(self._new_line(qty=2.0))]})
        order.write({"order_line": [Command.create(self._new_line(qty=1.0))]})
        self.assertEqual(logged().author_id.name, "Purchase Manager")
        self.env.cr.precommit.run()  # what a commit runs first
        order.write({"order_line": [Command.create(self._new_line(qty=1.0))]})
        self.assertEqual(len(logged()), 2)

    def test_rule_follows_the_company_and_its_action(self):
        # A vendor at risk under a warning: the confirmed order takes more.
        self.company.jxc_supplier_risk_action = "warn"
        self.line.with_user(self.jxc_user).write({"product_qty": 6.0})
        self.assertEqual(self._incoming(self.order, self.product_1), 6.0)
        # Blocked in another company only: this company's order takes more.
        self.company.jxc_supplier_risk_action = "block"
        vendor_c = self.env["res.partner"].create({"name": "JXC Vendor C", "supplier_rank": 1})
        order_c = self._create_purchase(vendor_c, [(self.product_1, 5.0, 10.0)])
        other = self.env["res.company"].create({"name": "JXC Block Elsewhere", "jxc_supplier_risk_action": "block"})
        self._set_risk(vendor_c, other)
        order_c.with_user(self.jxc_user).write({"order_line": [Command.create(self._new_line())]})
        self.assertEqual(self._incoming(order_c, self.product_2), 3.0)
        # An order sent to the blocked vendor's contact is the vendor's.
        contact = self.env["res.partner"].create({"name": "JXC Vendor A, sales desk", "parent_id": self.vendor_a.id})
        self.company.jxc_supplier_risk_action = "none"
        order_contact = self._create_purchase(contact, [(self.product_1, 1.0, 10.0)])
        self.company.jxc_supplier_risk_action = "block"
        with self.assertRaisesRegex(UserError, REFUSED):
            order_contact.order_line.with_user(self.jxc_user).write({"product_qty": 2.0})
        # A request for quotation takes lines freely: its confirmation is the gate.
        draft = self._create_purchase(self.vendor_a, [(self.product_1, 1.0, 10.0)], confirm=False)
        draft.with_user(self.jxc_user).write({"order_line": [Command.create(self._new_line())]})
        self.assertEqual(len(draft.order_line), 2)
        with self.assertRaisesRegex(UserError, "only a purchase manager or an inventory control manager can confirm"):
            draft.with_user(self.jxc_user).button_confirm()

    def test_replenishment_never_adds_to_a_confirmed_order(self):
        """Odoo's procurement (purchase_stock ``_run_buy``) merges only into draft RFQs: the
        vendor's confirmed order is left alone and a new request for quotation is made, to
        vendor B: the company blocks A, at risk, and the rule names no vendor."""
        buy = self.env.ref("purchase_stock.route_warehouse0_buy")
        self.product_1.route_ids = [Command.link(buy.id)]
        orderpoint = self.env["stock.warehouse.orderpoint"].create({
            "product_id": self.product_1.id, "warehouse_id": self.warehouse.id,
            "location_id": self.stock_location.id, "product_min_qty": 10.0, "product_max_qty": 20.0,
            "route_id": buy.id, "trigger": "manual",
        })
        orderpoint.action_replenish()
        self.assertEqual((self.order.order_line, self.line.product_qty), (self.line, 5.0))
        rfq = self.env["purchase.order"].search([("order_line.product_id", "=", self.product_1.id), ("id", "!=", self.order.id)])
        self.assertEqual((rfq.partner_id, rfq.state, rfq.order_line.product_qty), (self.vendor_b, "draft", 15.0))


@tagged("post_install", "-at_install")
class TestRiskReasonInReadersLanguage(JxcSupplierGradedCommon):
    """March of the worked example computed by a scheduler working in English: vendor C is at
    grade D (score 4.95). A Chinese buyer and a Chinese purchase manager read the reason in
    Chinese everywhere, an English buyer in English."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.buyer_cn = new_test_user(
            cls.env, login="jxc_buyer_cn", name="采购员", lang="zh_CN",
            groups="jxc_addon.group_jxc_user,purchase.group_purchase_user",
        )
        cls.manager_cn = new_test_user(
            cls.env, login="jxc_manager_cn", name="采购经理", lang="zh_CN",
            groups="jxc_addon.group_jxc_manager,purchase.group_purchase_manager",
        )
        cls.company.jxc_supplier_risk_user_id = cls.manager_cn
        (cls.february | cls.march).with_context(lang="en_US").action_compute()
        cls.evaluation_c = cls._evaluation(cls.march, cls.vendor_c)

    def test_merge_into_an_rfq_line_in_another_unit(self):
        """Screws sold by the dozen (100.00, any quantity) or by the unit (7.00 from 100): a need
        of 24 gives an RFQ line of 2 dozen; a need of 120 more is merged into it and Odoo switches
        the line to 144 units at 7.00 (its unit given as a record, not an id): no vendor at risk
        here, Odoo's result stands."""
        dozen, unit = self.env.ref("uom.product_uom_dozen"), self.env.ref("uom.product_uom_unit")
        buy = self.env["stock.rule"].search([("action", "=", "buy")], limit=1).route_id
        screw = self.env["product.product"].create({
            **self._prepare_product_vals("JXC Screw", 0.5, 1.0, "JXC-SCR"), "route_ids": [Command.set(buy.ids)],
            "seller_ids": [Command.create({"partner_id": self.vendor_b.id, "price": 100.0, "product_uom_id": dozen.id}),
                           Command.create({"partner_id": self.vendor_b.id, "price": 7.0, "product_uom_id": unit.id,
                                           "min_qty": 100.0})],
        })
        Rule = self.env["stock.rule"]
        for qty in (24.0, 120.0):
            Rule.run([Rule.Procurement(screw, qty, unit, self.stock_location, "JXC", "JXC", self.company, {
                "warehouse_id": self.warehouse, "route_ids": buy, "date_planned": datetime(2025, 7, 1, 4),
                "company_id": self.company,
            })])
        line = self.env["purchase.order.line"].search([("product_id", "=", screw.id)])
        self.assertEqual((line.product_qty, line.product_uom_id, line.price_unit), (144.0, unit, 7.0))

    def test_reason_of_the_evaluation_and_the_vendor(self):
        self.assertEqual(self.evaluation_c.with_context(lang="en_US").risk_reason, "grade D (score 4.95)")
        self.assertEqual(_as(self.evaluation_c, self.buyer_cn).risk_reason, "D 级（评分 4.95）")
        vendor = self.vendor_c.with_company(self.company)
        self.assertEqual(_as(vendor, self.buyer_cn).jxc_supplier_risk_reason, "D 级（评分 4.95）")
        self.assertEqual(_as(vendor, self.jxc_user).jxc_supplier_risk_reason, "grade D (score 4.95)")
        # A scheduler working in Chinese: the English buyer still reads English.
        self.march.with_context(lang="zh_CN").action_compute()
        self.assertEqual(_as(vendor, self.jxc_user).jxc_supplier_risk_reason, "grade D (score 4.95)")
        self.assertEqual(_as(vendor, self.buyer_cn).jxc_supplier_risk_reason, "D 级（评分 4.95）")

    def test_activity_in_the_recipients_language(self):
        activity = self.env["mail.activity"].search([
            ("res_model", "=", "res.partner"), ("res_id", "=", self.vendor_c.id), ("user_id", "=", self.manager_cn.id),
        ])
        self.assertEqual(activity.summary, "供应商在 My Company 存在风险：JXC Vendor C")
        # no grade or score: marked done, the note shows in the vendor's chatter, read by every employee
        self.assertIn("供应商评估", str(activity.note))
        self.assertNotIn("4.95", str(activity.note))

    def test_order_banner_wizard_and_chatter(self):
        self.company.jxc_supplier_risk_action = "warn"
        order = self._create_purchase(self.vendor_c, [(self.product_2, 1.0, 5.0)], confirm=False)
        self.assertEqual(_as(order, self.jxc_user).jxc_supplier_risk_reason, "grade D (score 4.95)")
        order_cn = _as(order, self.buyer_cn)
        self.assertEqual(order_cn.jxc_supplier_risk_reason, "D 级（评分 4.95）")
        action = order_cn.button_confirm()
        wizard = _as(self.env["jxc.supplier.risk.wizard"], self.buyer_cn).browse(action["res_id"])
        self.assertIn("D 级（评分 4.95）", wizard.message)
        self.assertNotIn("grade D", wizard.message)
        wizard.action_confirm()
        self.assertEqual(order.state, "purchase")
        # logged in the buyer's language, without the vendor's grade or score (read by whoever reads the order)
        self.assertEqual(len(order.message_ids.filtered(lambda m: "供应商风险警告" in str(m.body))), 1)
        self.assertNotIn("4.95", _messages(order))


@tagged("post_install", "-at_install")
class TestStandingFromLastCompletePeriod(JxcCommon):
    """The standing (grade, score, risk) comes from the last period that has ended, as the
    nightly job computes them: a receipt of the month in progress neither sets nor lifts a block.

    April 2025: vendor A delivers 10 widgets 15 days late (on time 0 %, grade D, at risk);
    vendor B 4 gizmos early (grade A). May: A one receipt on time, B one 13 days late.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.jxc_supplier_risk_action = "block"
        cls.Period = cls.env["jxc.supplier.period"]
        cls._buy(cls.vendor_a, [(cls.product_1, 10.0, 10.0)], "2025-04-02 02:00:00", "2025-04-20 02:00:00",
                 date_planned="2025-04-05 04:00:00")
        cls._buy(cls.vendor_b, [(cls.product_3, 4.0, 50.0)], "2025-04-02 02:00:00", "2025-04-08 02:00:00",
                 date_planned="2025-04-10 04:00:00")

    def _standing(self, vendor):
        vendor = vendor.with_company(self.company)
        return vendor.jxc_supplier_grade, vendor.jxc_supplier_risk

    def _cron(self, when):
        with freeze_time(when):
            self.Period._cron_compute_supplier_evaluations()

    def test_standing_from_the_quarter_after_a_switch_from_months(self):
        """April and May are evaluated by month (A: D in April, on time in May). The company
        then evaluates by quarter: on 1 July the second quarter (April to June, A late on 10 of
        12: grade C, at risk below the 80 % on time) has ended last, and is A's standing, not
        May's month, which began later."""
        self._cron("2025-05-01 03:00:00")
        self.company.jxc_supplier_risk_action = "none"  # May's order is confirmed by the admin
        self._buy(self.vendor_a, [(self.product_1, 2.0, 10.0)], "2025-05-05 02:00:00", "2025-05-06 02:00:00",
                  date_planned="2025-05-12 04:00:00")
        self._cron("2025-06-01 03:00:00")
        self.assertEqual(self._standing(self.vendor_a)[1], False)  # May's month: on time
        self.company.jxc_supplier_period_type = "quarter"
        self._cron("2025-07-01 03:00:00")
        q2 = self.Period.search([("company_id", "=", self.company.id), ("period_type", "=", "quarter"),
                                 ("date_from", "=", date(2025, 4, 1))])
        self.assertEqual(self._evaluation_risk(q2, self.vendor_a), ("c", True))
        self.assertEqual(self._standing(self.vendor_a), ("c", True))

    def test_quarters_from_a_switch_in_a_quarters_second_month(self):
        """The company evaluates by quarter from 15 August: that night the second quarter, just
        ended (A late on 10 of 10 in April: grade D, at risk), is created and evaluated, and gives
        A its standing; not the third quarter in progress."""
        self.company.jxc_supplier_period_type = "quarter"
        self._cron("2025-08-15 03:00:00")
        quarters = self.Period.search([("company_id", "=", self.company.id), ("period_type", "=", "quarter")])
        self.assertEqual(sorted(quarters.mapped("date_from")), [date(2025, 4, 1), date(2025, 7, 1)])
        q2 = quarters.filtered(lambda period: period.date_from == date(2025, 4, 1))
        self.assertEqual(self._evaluation_risk(q2, self.vendor_a), ("d", True))
        self.assertEqual(self._standing(self.vendor_a), ("d", True))

    def test_month_in_progress_neither_sets_nor_lifts_a_block(self):
        self._cron("2025-04-25 03:00:00")
        april = self.Period.search([("company_id", "=", self.company.id), ("date_from", "=", date(2025, 4, 1))])
        self.assertEqual(self._evaluation_risk(april, self.vendor_a), ("d", True))
        # April in progress: its evaluations are there, the standing is not theirs yet.
        self.assertEqual(self._standing(self.vendor_a), (False, False))
        self._cron("2025-05-01 03:00:00")  # 11:00 on 1 May in Shanghai: April has ended
        self.assertEqual(self._standing(self.vendor_a), ("d", True))
        self.assertEqual(self._standing(self.vendor_b), ("a", False))
        self.assertIn("on-time rate 0.0 % below 80.0 %", self.vendor_a.with_company(self.company).jxc_supplier_risk_reason)
        self.company.jxc_supplier_risk_action = "none"  # the orders of May are confirmed by the admin
        self._buy(self.vendor_a, [(self.product_1, 2.0, 10.0)], "2025-05-05 02:00:00", "2025-05-06 02:00:00",
                  date_planned="2025-05-12 04:00:00")
        self._buy(self.vendor_b, [(self.product_3, 1.0, 50.0)], "2025-05-05 02:00:00", "2025-05-20 02:00:00",
                  date_planned="2025-05-07 04:00:00")
        self.company.jxc_supplier_risk_action = "block"
        self._cron("2025-05-21 03:00:00")
        may = self.Period.search([("company_id", "=", self.company.id), ("date_from", "=", date(2025, 5, 1))])
        self.assertFalse(self._evaluation_risk(may, self.vendor_a)[1])
        self.assertTrue(self._evaluation_risk(may, self.vendor_b)[1])
        # One receipt of May lifts no block and sets none.
        self.assertEqual(self._standing(self.vendor_a), ("d", True))
        self.assertEqual(self._standing(self.vendor_b), ("a", False))
        rfq = self._create_purchase(self.vendor_a, [(self.product_1, 1.0, 10.0)], confirm=False)
        with self.assertRaisesRegex(UserError, "only a purchase manager or an inventory control manager can confirm"):
            rfq.with_user(self.jxc_user).button_confirm()
        # May cannot be closed before its end (its evaluations would miss the rest of its
        # receipts); closed once ended, computed again then, it is the standing.
        with freeze_time("2025-05-31 03:00:00"), self.assertRaisesRegex(UserError, "has not ended yet"):
            may.with_user(self.jxc_manager).action_close()
        self.assertEqual(may.state, "open")
        self._buy(self.vendor_b, [(self.product_3, 1.0, 50.0)], "2025-05-30 02:00:00", "2025-05-31 06:00:00",
                  date_planned="2025-06-05 04:00:00")  # on the last afternoon, after the night's computation
        with freeze_time("2025-06-01 01:00:00"):  # 09:00 in Shanghai, before the night's action
            may.with_user(self.jxc_manager).action_close()
        self.assertEqual(may.state, "closed")
        self.assertEqual(may.evaluation_ids.filtered(lambda e: e.partner_id == self.vendor_b).received_qty, 2.0)
        self._cron("2025-06-01 03:00:00")
        self.assertEqual(self._standing(self.vendor_a)[1], False)
        self.assertEqual(self._standing(self.vendor_b)[1], True)

    def test_standing_follows_the_month_of_a_company_west_of_utc(self):
        """Los Angeles: the hourly job's run at 03:00 UTC on 1 May is 30 April 20:00 there,
        April has not ended, A is not at risk yet; the first run after its midnight (08:00 UTC,
        PDT) gives A April's standing, D at risk, and computes April; then once per day there."""
        self.company.partner_id.tz = "America/Los_Angeles"
        Cron = type(self.env["ir.cron"])

        def run(when):
            with freeze_time(when), patch.object(Cron, "_commit_progress", autospec=True, return_value=60.0):
                self.Period._cron_compute_supplier_evaluations(use_new_cursor=True)

        run("2025-05-01 03:00:00")
        self.assertEqual(self._standing(self.vendor_a), (False, False))
        april = self.Period.search([("company_id", "=", self.company.id), ("date_from", "=", date(2025, 4, 1))])
        self.assertEqual(april.computed_at, datetime(2025, 5, 1, 3, 0))
        run("2025-05-01 08:00:00")
        self.assertEqual(self._standing(self.vendor_a), ("d", True))
        self.assertEqual(april.computed_at, datetime(2025, 5, 1, 8, 0))  # after its end: with its last hours
        # open periods once per company day, the first run after its midnight, not per UTC day
        for when, computed_at in (("2025-05-01 09:00:00", "2025-05-01 08:00:00"),
                                  ("2025-05-02 02:00:00", "2025-05-01 08:00:00"),   # 1 May, 19:00 there
                                  ("2025-05-02 07:30:00", "2025-05-02 07:30:00")):  # 2 May, 00:30 there
            run(when)
            self.assertEqual(str(april.computed_at), computed_at, when)

    def _evaluation_risk(self, period, vendor):
        evaluation = period.evaluation_ids.filtered(lambda e: e.partner_id == vendor)
        return evaluation.grade, evaluation.risk
