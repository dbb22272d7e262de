"""The access table of the README, asserted for every model of the module.

Roles: a plain internal user (base.group_user only), a 进销存 user (buyer / counter /
sales assistant: jxc user + purchase user + salesman), a 进销存 manager, and a 进销存
manager whose only company is another one. ``ACCESS`` below IS the documented table:
letters r/w/c/u = read / write / create / unlink allowed, "-" = refused (AccessError).
The manager of another company has the manager's rights on the model but sees no row of
this company (multi-company record rules) and gets an AccessError when reading one.
"""

from datetime import date

from freezegun import freeze_time
from lxml import etree

from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from .common import JxcCommon

# model: (plain user, jxc user, jxc manager); the other company's manager = jxc manager.
ACCESS = {
    "jxc.supplier.criterion": ("-", "r", "rwcu"),
    "jxc.supplier.period": ("-", "r", "rwcu"),
    "jxc.supplier.evaluation": ("-", "r", "rwcu"),
    "jxc.supplier.evaluation.line": ("-", "r", "rwcu"),
    "jxc.supplier.incident": ("-", "rwc", "rwcu"),
    "jxc.supplier.manual.score": ("-", "rwcu", "rwcu"),
    "jxc.supplier.risk.wizard": ("-", "rwcu", "rwcu"),
    "jxc.supplier.risk.wizard.line": ("-", "rwcu", "rwcu"),
    "jxc.supplier.standing.wizard": ("-", "-", "rwc"),
    "jxc.inventory.snapshot": ("-", "-", "r"),
    "jxc.dashboard.month": ("-", "r", "r"),
    "jxc.turnover.report": ("-", "-", "r"),
    "jxc.stock.aging.report": ("-", "-", "r"),
    "jxc.dead.stock.report": ("-", "-", "r"),
    "jxc.sales.report": ("-", "-", "r"),
    "jxc.purchase.cost.report": ("-", "-", "r"),
    "jxc.safety.stock.rule": ("-", "r", "rwcu"),
    "jxc.safety.stock.log": ("-", "r", "r"),
    "jxc.purchase.plan": ("-", "rw", "rw"),  # lines are the refresh's: no one creates or deletes one
    "jxc.purchase.plan.order": ("-", "rwcu", "rwcu"),
    "jxc.purchase.plan.change": ("-", "-", "r"),
    "jxc.stock.warning.digest": ("-", "rw", "rw"),  # digests are the daily action's
    "jxc.abc.profile": ("-", "r", "rwcu"),
    "jxc.abc.result": ("-", "r", "rw"),
    "jxc.abc.history": ("-", "r", "r"),
    "jxc.count.reason": ("-", "r", "rwcu"),
    "jxc.count.tolerance": ("-", "r", "rwcu"),
    "jxc.count.cycle.rule": ("-", "r", "rwcu"),
    "jxc.count.plan": ("-", "rwc", "rwcu"),
    "jxc.count.line": ("-", "rwcu", "rwcu"),
    "jxc.count.claim": ("-", "r", "r"),
    "jxc.count.import.wizard": ("-", "rwc", "rwc"),
    "jxc.count.accuracy.report": ("-", "r", "r"),
    "jxc.count.scan": ("-", "r", "r"),
    "jxc.forecast.accuracy.report": ("-", "r", "r"),
    "jxc.policy.backtest": ("-", "-", "r"),
    "jxc.policy.backtest.curve": ("-", "-", "r"),
    "jxc.settings": ("-", "-", "rwcu"),
}

# Rows shared by all companies on purpose (company left empty): the default count reasons.
SHARED_ROWS = {"jxc.count.reason"}

# Cost, value, margin figures only managers read (field ``groups``). Scores and grades are
# read by buyers on purpose (they choose vendors with them).
MANAGER_FIELDS = {
    "jxc.abc.result": ["value"],
    "jxc.purchase.plan": ["overstock_value"],
    "jxc.count.line": ["book_qty", "unit_cost", "book_value", "difference_value", "abs_difference_value",
                       "loss_value", "gain_value", "difference_qty", "is_discrepancy", "review_state", "approved_by_id"],
    "jxc.count.plan": ["accuracy_value", "loss_value", "gain_value", "discrepancy_count", "to_review_count", "accuracy"],
    "jxc.count.scan": ["prev_moved_qty"],
    "jxc.count.accuracy.report": ["book_value", "abs_difference_value", "loss_value", "gain_value", "net_value"],
    "jxc.purchase.cost.report": ["amount"],
    "jxc.stock.aging.report": ["value"],
    "jxc.dead.stock.report": ["value"],
    "jxc.turnover.report": ["opening_value", "value", "average_value", "cogs_value", "carrying_cost"],
    "jxc.sales.report": ["cost", "margin"],
    "jxc.forecast.accuracy.report": ["unit_cost", "demand_value", "abs_error_value", "error_value"],
}
# What the company pays its vendors: buyers and managers read it, warehouse keepers do not.
BUYER_GROUPS = "jxc_addon.group_jxc_manager,purchase.group_purchase_user"
BUYER_FIELDS = {
    "jxc.purchase.plan": ["price_unit", "amount"],
    "jxc.purchase.plan.order": ["amount"],
    "jxc.supplier.evaluation": ["purchase_amount"],
}
USER_READS = {
    "jxc.supplier.evaluation": ["score", "grade"],
    "res.partner": ["jxc_supplier_score", "jxc_supplier_grade"],
    "product.product": ["jxc_abc_class", "jxc_xyz_class"],
}


@tagged("post_install", "-at_install")
class TestAccessMatrix(JxcCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stranger = cls._create_other_company_manager(
            "jxc_matrix_stranger",
            groups="jxc_addon.group_jxc_manager,purchase.group_purchase_manager,sales_team.group_sale_manager",
        )
        cls.roles = {"plain": cls.plain_user, "user": cls.jxc_user, "manager": cls.jxc_manager}
        # History in this company, then every feature's records computed from it.
        cls._buy(cls.vendor_a, [(cls.product_1, 50.0, 10.0), (cls.product_2, 20.0, 4.0)],
                 "2025-03-03 02:00:00", "2025-03-08 02:00:00", date_planned="2025-03-08 04:00:00")
        cls._sell(cls.customer_a, [(cls.product_1, 30.0, 25.0), (cls.product_2, 5.0, 9.0)], "2025-03-12 02:00:00")
        with freeze_time("2025-04-10 02:00:00"):
            env = cls.env
            period = env["jxc.supplier.period"]._get_or_create_period(cls.company, date(2025, 3, 15))
            period.action_compute()
            env["jxc.supplier.incident"].create({
                "partner_id": cls.vendor_a.id, "product_id": cls.product_2.id, "date": date(2025, 3, 20),
                "quantity": 1.0, "severity": "major",
            })
            env["jxc.inventory.snapshot"]._backfill(cls.company)
            env["jxc.dashboard.month"]._store_company(cls.company)
            profile = env["jxc.abc.profile"].create({"name": "Matrix ABC", "is_default": True})
            profile.action_compute()
            env["jxc.safety.stock.rule"].create({
                "name": "Matrix rule", "categ_id": cls.category.id, "method": "fixed", "fixed_qty": 100.0,
                "history_days": 30, "review_days": 7,
            })
            env["stock.warehouse.orderpoint"]._jxc_update_orderpoints(cls.company)
            env["jxc.purchase.plan"]._refresh(cls.company)
            env["jxc.stock.warning.digest"]._send_digests(cls.company)
            env["jxc.count.tolerance"].create({"company_id": cls.company.id, "qty_percent": 5.0})
            env["jxc.count.cycle.rule"].create({"name": "Matrix cycle", "warehouse_id": cls.warehouse.id})
            cls.plan = env["jxc.count.plan"].create({"warehouse_id": cls.warehouse.id})
            cls.plan.action_start()
            # a scan logged, and a stocktake posted in another warehouse: rows of the scan log and
            # of the count accuracy report to read
            line = cls.plan.line_ids[:1]
            cls.plan.jxc_set_counted(line.id, line.book_qty, location_id=line.location_id.id)
            other = env["stock.warehouse"].create({"name": "JXC Matrix Branch", "code": "JXMB"})
            cls._set_on_hand(cls.product_3, 10, location=other.lot_stock_id)
            posted = env["jxc.count.plan"].create({"warehouse_id": other.id})
            posted.action_start()
            posted.line_ids.counted_qty = 9
            posted.action_submit()
            posted.line_ids.reason_id = env.ref("jxc_addon.jxc_count_reason_loss")
            posted.action_approve()
            posted.action_post()
            assert posted.state == "done", posted.state
        env.flush_all()

    def test_every_model_is_in_the_table(self):
        models = self.env["ir.model"].search([("model", "=like", "jxc.%")])
        # bridge modules (jxc_product_expiry) test their own models' access
        defined = {m.model for m in models
                   if not self.env[m.model]._abstract and "jxc_addon" in m.modules.replace(" ", "").split(",")}
        self.assertEqual(defined, set(ACCESS), "a model of the module is missing from the access table (or gone)")

    def test_model_access_per_role(self):
        self._assert_access_table(ACCESS, more_managers=[self.stranger])

    def test_refused_write_raises(self):
        criterion = self.env["jxc.supplier.criterion"].search([("company_id", "=", self.company.id)], limit=1)
        with self.assertRaises(AccessError):
            criterion.with_user(self.jxc_user).write({"weight": 50.0})
        with self.assertRaises(AccessError):
            self.env["jxc.abc.profile"].with_user(self.jxc_user).create({"name": "Not mine"})
        with self.assertRaises(AccessError):
            self.plan.with_user(self.jxc_user).unlink()
        with self.assertRaises(AccessError):
            self.env["jxc.inventory.snapshot"].with_user(self.jxc_user).search([])

    def test_company_rules_on_every_stored_model(self):
        Rule = self.env["ir.rule"]
        for model in ACCESS:
            if self.env[model]._transient:
                continue
            with self.subTest(model=model):
                self.assertIn("company_id", self.env[model]._fields)
                rules = Rule.search([("model_id.model", "=", model), ("global", "=", True)])
                self.assertTrue(any("company_ids" in rule.domain_force for rule in rules), model)

    def test_wizards_are_their_creators(self):
        """A wizard's records (vendor scores and prices, uploaded count sheets) are read by
        the user who opened it only: Odoo leaves them to everyone with access until its vacuum."""
        colleague = new_test_user(self.env, login="jxc_matrix_colleague", company_id=self.company.id,
                                  groups="jxc_addon.group_jxc_user,purchase.group_purchase_user")
        # (the settings screen, managers' only, is also kept to their companies: test_settings_manager.py)
        transient = [model for model in ACCESS if self.env[model]._transient and model != "jxc.settings"]
        self.assertEqual(set(transient), {"jxc.supplier.risk.wizard", "jxc.supplier.risk.wizard.line",
                                          "jxc.supplier.standing.wizard", "jxc.count.import.wizard",
                                          "jxc.purchase.plan.order"})
        for model in transient:
            with self.subTest(model=model):
                rules = self.env["ir.rule"].search([("model_id.model", "=", model), ("global", "=", True)])
                self.assertEqual(rules.mapped("domain_force"), ["[('create_uid', '=', user.id)]"])
        wizard = self.env["jxc.supplier.risk.wizard"].with_user(self.jxc_user).create({
            "message": "JXC Vendor A: grade D", "alternative_ids": [Command.create({
                "partner_id": self.vendor_b.id, "product_id": self.product_1.id, "grade": "b", "score": 80.0,
                "price": 9.5, "currency_id": self.company.currency_id.id,
            })],
        })
        Wizard = self.env["jxc.supplier.risk.wizard"]
        self.assertEqual(Wizard.with_user(self.jxc_user).search([("id", "=", wizard.id)]), wizard)
        self.assertFalse(Wizard.with_user(colleague).search([("id", "=", wizard.id)]))
        self.assertFalse(self.env["jxc.supplier.risk.wizard.line"].with_user(colleague).search(
            [("id", "in", wizard.alternative_ids.ids)]))
        with self.assertRaises(AccessError):
            wizard.with_user(colleague).read(["message"])

    def test_other_company_sees_no_row(self):
        with_rows = set()
        for model in ACCESS:
            Model = self.env[model]
            if Model._transient:
                continue
            with self.subTest(model=model):
                own = Model.search([("company_id", "=", self.company.id)])
                if not own:
                    continue
                with_rows.add(model)
                Stranger = Model.with_user(self.stranger)
                self.assertFalse(Stranger.search([("company_id", "=", self.company.id)]))
                if model not in SHARED_ROWS:
                    self.assertFalse(Stranger.search([]))
                with self.assertRaises(AccessError):
                    own[:1].with_user(self.stranger).read(["company_id"])
                # Within the company, users who may read the model see the rows.
                if self.env[model].with_user(self.jxc_manager).browse().has_access("read"):
                    self.assertTrue(Model.with_user(self.jxc_manager).search([("company_id", "=", self.company.id)]))
        # The history above gives rows to every feature, so the isolation is not vacuous.
        self.assertGreaterEqual(with_rows, {
            "jxc.supplier.criterion", "jxc.supplier.period", "jxc.supplier.evaluation", "jxc.supplier.evaluation.line",
            "jxc.supplier.incident", "jxc.inventory.snapshot", "jxc.turnover.report", "jxc.sales.report",
            "jxc.purchase.cost.report", "jxc.stock.aging.report", "jxc.safety.stock.rule", "jxc.safety.stock.log",
            "jxc.purchase.plan", "jxc.abc.profile", "jxc.abc.result", "jxc.count.tolerance", "jxc.count.cycle.rule",
            "jxc.count.plan", "jxc.count.line", "jxc.dashboard.month",
        })

    def test_sensitive_fields_hidden_from_users(self):
        for model, fnames in MANAGER_FIELDS.items():
            with self.subTest(model=model):
                for fname in fnames:
                    self.assertEqual(self.env[model]._fields[fname].groups, "jxc_addon.group_jxc_manager", fname)
                record = self.env[model].search([("company_id", "=", self.company.id)], limit=1)
                self.assertTrue(record, "the fixtures leave a row of %s to read" % model)
                manager_fields = self.env[model].with_user(self.jxc_manager).fields_get(fnames)
                self.assertEqual(set(manager_fields), set(fnames))
                record.with_user(self.jxc_manager).read(fnames)
                if self.env[model].with_user(self.jxc_user).browse().has_access("read"):
                    self.assertFalse(set(self.env[model].with_user(self.jxc_user).fields_get(fnames)))
                    for fname in fnames:
                        with self.assertRaises(AccessError, msg=fname):
                            record.with_user(self.jxc_user).read([fname])

    def test_odoo_users_read_the_fields_offered_to_them(self):
        """A salesperson, a warehouse user and a buyer without the add-on's groups read every
        field of the add-on that Odoo offers them on products, partners and companies (its
        fields_get, as an export or an integration lists them): none raises."""
        for groups in ("sales_team.group_sale_salesman", "stock.group_stock_user", "purchase.group_purchase_user"):
            with self.subTest(groups=groups):
                user = new_test_user(self.env, "jxc_matrix_plain_%s" % groups.split(".")[1], groups=groups)
                offered = 0
                for record in (self.product_1, self.product_1.product_tmpl_id, self.vendor_a, self.company):
                    record = record.with_user(user)
                    fnames = [fname for fname in record.fields_get(attributes=["type"]) if fname.startswith("jxc_")]
                    if fnames:  # read([]) would read every field, Odoo's own too
                        self.assertEqual(record.read(fnames)[0]["id"], record.id)
                        offered += len(fnames)
                self.assertTrue(offered, "some of the add-on's fields are offered to them")
                self.assertNotIn("jxc_safety_stock_rule_id", self.product_1.with_user(user).fields_get(attributes=["type"]))

    def test_vendor_amounts_for_buyers_only(self):
        buyer = self.jxc_user  # an inventory control user who is a purchase user
        keeper = new_test_user(self.env, "jxc_matrix_keeper", groups="jxc_addon.group_jxc_user,stock.group_stock_user")
        for model, fnames in BUYER_FIELDS.items():
            with self.subTest(model=model):
                for fname in fnames:
                    self.assertEqual(self.env[model]._fields[fname].groups, BUYER_GROUPS, fname)
                self.assertEqual(set(self.env[model].with_user(buyer).fields_get(fnames)), set(fnames))
                self.assertFalse(set(self.env[model].with_user(keeper).fields_get(fnames)))
        line = self.env["jxc.purchase.plan"].search([("company_id", "=", self.company.id)], limit=1)
        self.assertTrue(line)
        line.with_user(buyer).read(["price_unit", "amount"])
        for fname in ("price_unit", "amount"):
            with self.assertRaises(AccessError, msg=fname):
                line.with_user(keeper).read([fname])

    def test_scores_and_classes_readable_by_users(self):
        for model, fnames in USER_READS.items():
            with self.subTest(model=model):
                self.assertEqual(set(self.env[model].with_user(self.jxc_user).fields_get(fnames)), set(fnames))
        evaluation = self.env["jxc.supplier.evaluation"].search([("company_id", "=", self.company.id)], limit=1)
        self.assertTrue(evaluation)
        evaluation.with_user(self.jxc_user).read(USER_READS["jxc.supplier.evaluation"])
        self.vendor_a.with_user(self.jxc_user).read(USER_READS["res.partner"])
        self.product_1.with_user(self.jxc_user).read(USER_READS["product.product"])

    def test_company_cost_settings_for_managers(self):
        """The company record is read by every user (portal ones too): its carrying-cost rate
        and cost per order are not."""
        fnames = ["jxc_carrying_cost_rate", "jxc_ordering_cost"]
        for user in (self.plain_user, self.jxc_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.company.with_user(user).read(fnames)
        self.assertEqual(self.company.with_user(self.jxc_manager).read(fnames)[0]["jxc_carrying_cost_rate"], 20.0)

    def test_scores_and_incidents_within_the_user_group(self):
        """A warehouse keeper reads the manual scores, a buyer enters them; whoever logs an
        incident changes his own, a manager any."""
        keeper = new_test_user(self.env, "jxc_matrix_keeper2", groups="jxc_addon.group_jxc_user,stock.group_stock_user")
        period = self.env["jxc.supplier.period"].search([("company_id", "=", self.company.id)], limit=1)
        service = self.env["jxc.supplier.criterion"].create({"name": "Service", "criterion_type": "manual", "weight": 0.0})
        vals = {"period_id": period.id, "partner_id": self.vendor_a.id, "criterion_id": service.id, "score": 0.0}
        with self.assertRaises(AccessError):
            self.env["jxc.supplier.manual.score"].with_user(keeper).create(vals)
        score = self.env["jxc.supplier.manual.score"].with_user(self.jxc_user).create(vals)
        with self.assertRaises(AccessError):
            score.with_user(keeper).score = 100.0
        self.assertEqual(score.with_user(keeper).score, 0.0)

        buyers = self.env["jxc.supplier.incident"].search([("company_id", "=", self.company.id)], limit=1)
        own = self.env["jxc.supplier.incident"].with_user(keeper).create(
            {"partner_id": self.vendor_a.id, "quantity": 2.0, "user_id": self.jxc_manager.id})
        self.assertEqual(own.user_id, keeper)  # who logged it is who is signed in
        own.with_user(keeper).quantity = 3.0
        with self.assertRaises(AccessError):
            buyers.with_user(keeper).quantity = 9.0
        self.assertEqual(buyers.quantity, 1.0)
        buyers.with_user(self.jxc_manager).quantity = 2.0
        self.assertEqual((own.quantity, buyers.quantity), (3.0, 2.0))

    def test_plan_vendor_and_digest_writes(self):
        """Only a buyer chooses a plan line's vendor; a digest's figures are the daily action's."""
        keeper = new_test_user(self.env, "jxc_matrix_keeper3", groups="jxc_addon.group_jxc_user,stock.group_stock_user")
        line = self.env["jxc.purchase.plan"].search([("company_id", "=", self.company.id), ("vendor_id", "!=", False)], limit=1)
        self.assertTrue(line)
        with self.assertRaisesRegex(AccessError, "Only purchase users can choose the vendor"):
            line.with_user(keeper).vendor_id = line.vendor_id
        self.assertFalse(line.vendor_chosen)
        line.with_user(self.jxc_user).vendor_id = line.vendor_id
        self.assertTrue(line.vendor_chosen)
        # the screens offer what the server allows: a keeper has no Create RFQs (Reorder) and
        # reads the vendor of the plan (the warnings list edits nothing)
        views = (("jxc_purchase_plan_view_list", "list", True), ("jxc_purchase_plan_view_list_warnings", "list", False),
                 ("jxc_purchase_plan_view_form", "form", True))
        for xmlid, view_type, edits_vendor in views:
            for user, buyer in ((keeper, False), (self.jxc_user, True)):
                arch = etree.fromstring(self.env["jxc.purchase.plan"].with_user(user).get_views(
                    [(self.env.ref("jxc_addon." + xmlid).id, view_type)])["views"][view_type]["arch"])
                self.assertEqual(len(arch.xpath("//button[@name='action_create_rfq']")), int(buyer and view_type == "list"))
                [vendor] = arch.xpath("//field[@name='vendor_id']")
                if edits_vendor:
                    self.assertEqual(vendor.get("readonly"), None if buyer else "1", (xmlid, user.login))
        digest = self.env["jxc.stock.warning.digest"].create({
            "company_id": self.company.id, "user_id": self.jxc_user.id, "date": date(2025, 4, 11), "below_count": 2,
        })
        with self.assertRaisesRegex(AccessError, "written by the daily action only"):
            digest.with_user(self.jxc_user).write({"below_count": 0, "line_ids": [Command.clear()]})
        digest.with_user(self.jxc_user).message_post(body="Ordered from vendor A")
        self.assertEqual(digest.below_count, 2)
