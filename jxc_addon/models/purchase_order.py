import functools
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, float_compare, float_round
from odoo.tools.misc import formatLang

from ..tools.window_action import dialog_action
from .res_partner import SUPPLIER_GRADES

# Key in the cursor's cache (server-side, per transaction) of the ids of the orders whose
# vendor risk the risk wizard has accepted; see _action_jxc_confirm_accepting_risk.
JXC_RISK_ACCEPTED = "jxc_supplier_risk_accepted"
# How long a user's answer to the risk warning of an order goes on with its confirmation after
# purchase_requisition's question about the alternative RFQs (see _get_jxc_risk_answer).
JXC_RISK_ANSWER_HOURS = 1
# Key in the transaction's precommit data (cleared when it commits or rolls back, also to a
# savepoint) of the (order id, user id) whose buying more past a block it logged already
# (_log_jxc_buying_more).
JXC_BOUGHT_PAST_BLOCK = "jxc_bought_past_block"
# Key in the cursor's cache, set by bill.to.po.wizard around Odoo's Add to Purchase Order: a
# confirmation the user may not make there leaves the order a request for quotation instead of
# raising, which would undo the order Odoo's flow fills and its links to the bill's lines.
JXC_BLOCK_DEFERRED = "jxc_supplier_block_deferred"


class PurchaseOrder(models.Model):
    _inherit = "purchase.order"

    jxc_supplier_grade = fields.Selection(
        SUPPLIER_GRADES, string="Vendor Grade", compute="_compute_jxc_supplier_standing",
        help="Grade of the vendor's evaluation for the last complete period in the order's company.",
        groups="jxc_addon.group_jxc_user,purchase.group_purchase_user",
    )
    jxc_supplier_score = fields.Float(
        string="Vendor Score", digits=(16, 1), compute="_compute_jxc_supplier_standing", groups="jxc_addon.group_jxc_user,purchase.group_purchase_user",
    )
    jxc_supplier_risk = fields.Boolean(
        string="Vendor at Risk", compute="_compute_jxc_supplier_standing", groups="jxc_addon.group_jxc_user,purchase.group_purchase_user",
    )
    jxc_supplier_risk_reason = fields.Char(
        string="Vendor Risk", compute="_compute_jxc_supplier_standing", groups="jxc_addon.group_jxc_user,purchase.group_purchase_user",
    )

    @api.depends("partner_id", "company_id")
    @api.depends_context("lang")
    def _compute_jxc_supplier_standing(self):
        for order in self:
            # read for whoever may read these fields of the order (inventory control users)
            vendor = order.partner_id.commercial_partner_id.with_company(order.company_id).sudo()
            order.jxc_supplier_grade = vendor.jxc_supplier_grade
            order.jxc_supplier_score = vendor.jxc_supplier_score
            order.jxc_supplier_risk = vendor.jxc_supplier_risk
            order.jxc_supplier_risk_reason = vendor.jxc_supplier_risk_reason

    def button_confirm(self):
        at_risk = self.filtered(lambda o: o.state in ("draft", "sent"))._get_jxc_supplier_risk_orders()
        if at_risk:
            return at_risk._action_jxc_supplier_risk_warning(self)
        return self._log_jxc_risk_answer(super().button_confirm)

    def button_approve(self, force=False):
        # A public method a client can call on a draft order: it confirms as Confirm does, so
        # the warning and the block hold here too (managers get the override wizard). Approving
        # an order waiting for approval makes it a purchase: who approves is warned (or blocked)
        # too, the vendor may have fallen at risk since, and the buyer's acceptance was theirs.
        at_risk = self.filtered(lambda o: o.state in ("draft", "sent", "to approve"))._get_jxc_supplier_risk_orders()
        if at_risk:
            return at_risk._action_jxc_supplier_risk_warning(self)
        return self._log_jxc_risk_answer(functools.partial(super().button_approve, force=force))

    def _get_jxc_risk_answer(self):
        """The risk warnings the current user answered for these orders in the last hour (and
        since the orders last changed), when this confirmation follows purchase_requisition's
        question about the alternative RFQs (its ``skip_alternative_check``): that question,
        asked once the risk was accepted and answered in another request, confirms the orders
        without asking the risk again. Server state decides (who answered, which only the
        server writes); the context key only says that the call follows that question."""
        Wizard = self.env["jxc.supplier.risk.wizard"].sudo()
        if not self.ids or not self.env.context.get("skip_alternative_check"):
            return Wizard
        return Wizard.search([
            ("accepted_by_id", "=", self.env.uid), ("risky_order_ids", "in", self.ids),
            # the database's clock, which wrote the answer's date
            ("write_date", ">=", self.env.cr.now() - timedelta(hours=JXC_RISK_ANSWER_HOURS)),
        ], order="write_date desc, id desc")

    def _log_jxc_risk_answer(self, confirm):
        """``confirm()`` (Odoo's button), then the risk answers of ``_get_jxc_risk_answer``
        logged on the orders it moved on (the wizard logs those it moves on itself)."""
        in_call = self.env.cr.cache.get(JXC_RISK_ACCEPTED, ())
        states = {}  # {answer: {order: its state before}}, each order under its latest answer
        seen = set(in_call)
        for answer in self._get_jxc_risk_answer():
            for order in self & answer._get_accepted_orders():
                if order.id not in seen:
                    seen.add(order.id)
                    states.setdefault(answer, {})[order] = order.state
        # accepted for this call as the wizard's are: Odoo's confirmation approves through
        # button_approve, which logs nothing more
        accepted = self.env.cr.cache.setdefault(JXC_RISK_ACCEPTED, set())
        added = seen - accepted
        accepted |= added
        try:
            result = confirm()
        finally:
            accepted -= added
        for answer, order_states in states.items():
            answer._log_accepted(order_states)
        return result

    @api.model_create_multi
    def create(self, vals_list):
        # An order created as a purchase (its state given, or defaulted by the context) passes
        # the same gate as one confirmed later.
        # The vendor, like the state, may come from a default (the context's or a user's).
        defaults = self.default_get(["state", "company_id", "partner_id"])
        for vals in vals_list:
            if vals.get("state", defaults.get("state")) == "purchase":
                company = self.env["res.company"].browse(vals.get("company_id") or defaults.get("company_id"))
                vendor = self.env["res.partner"].browse(vals.get("partner_id") or defaults.get("partner_id"))
                self._check_jxc_vendor_block(vendor, company or self.env.company)
        orders = super().create(vals_list)
        orders.filtered(lambda o: o.state == "purchase")._log_jxc_unwarned_confirmation()
        return orders

    def write(self, vals):
        self._check_jxc_supplier_block(vals)
        # confirmed by writing the state (no button, so no warning shown): said in the order,
        # of the vendor it has once written (the same write may change it)
        confirming = self.filtered(lambda o: o.state != "purchase") if vals.get("state") == "purchase" else self.browse()
        # moved to another company: the plan of the company it leaves counted it too
        leaving = self.order_line._get_jxc_plan_pairs() if "company_id" in vals else set()
        result = super().write(vals)
        confirming._log_jxc_unwarned_confirmation()
        if {"state", "picking_type_id", "company_id"} & vals.keys():
            # an RFQ's lines count in the purchase plan while it is one
            self.env["jxc.purchase.plan.change"]._note(self.order_line._get_jxc_plan_pairs() | leaving)
        return result

    def _log_jxc_unwarned_confirmation(self):
        """Say in each of these orders, just confirmed without the Confirm button (created
        confirmed, its state written), that the vendor's risk warning was not shown."""
        for order in self._get_jxc_supplier_risk_orders(("warn",)):
            # as the warning's own log: no grade or score in a chatter everyone reading the order reads
            order.message_post(body=self.env._(
                "Confirmed by %(user)s without the supplier risk warning.", user=self.env.user.name,
            ))

    def _check_jxc_supplier_block(self, vals):
        """Last gate before an order becomes a purchase, or a purchase gets another vendor:
        whatever the path (button, RPC write), an order of a blocked vendor at risk is
        confirmed only through the override wizard, and a confirmed order never takes one.
        A confirmed order given its own vendor again, or another contact of it, changes no vendor.
        An order moved to another company that is or becomes a purchase meets the block there."""
        if vals.get("company_id"):
            company = self.env["res.company"].browse(vals["company_id"])
            vendor = self.env["res.partner"].browse(vals["partner_id"]) if vals.get("partner_id") else None
            for order in self.filtered(lambda o: o.company_id != company and "purchase" in (o.state, vals.get("state"))):
                self._check_jxc_vendor_block(vendor or order.partner_id, company)
        if "partner_id" in vals:
            vendor = self.env["res.partner"].browse(vals["partner_id"])
            confirming = vals.get("state") == "purchase"
            purchases = self.filtered(lambda o: (confirming and o.state != "purchase") or (
                o.state == "purchase" and o.partner_id.commercial_partner_id != vendor.commercial_partner_id))
            for company in purchases.company_id:
                self._check_jxc_vendor_block(vendor, company)
        elif vals.get("state") == "purchase":
            blocked = self.filtered(lambda o: o.state != "purchase")._get_jxc_supplier_risk_orders(("block",))
            if blocked:
                raise UserError(self.env._(
                    "Confirmation blocked: only a purchase manager or an inventory control manager can confirm an order of a vendor at risk, "
                    "with Confirm and then Override and Confirm.\n%(details)s",
                    details=blocked._get_jxc_supplier_risk_message(),
                ))

    def _check_jxc_buying_more(self):
        """Refuse that a user who cannot override the block buys more (a line added, a quantity
        raised) through a confirmed order of a vendor blocked in the order's company: the
        confirmation's rule, for what a confirmed order would add after it. Lowering,
        receiving, billing and cancelling are not buying more.

        :return: the orders a manager buys more from past the block, to log once the change
            is written (``_log_jxc_buying_more``)"""
        blocked = self.filtered(lambda o: o.state == "purchase")._get_jxc_supplier_risk_orders(("block",))
        if blocked and not self._can_override_jxc_supplier_block():
            raise UserError(self.env._(
                "Blocked: only a purchase manager or an inventory control manager can add lines to a confirmed order of this vendor or raise its "
                "quantities. Order what is missing in a request for quotation to another vendor, or ask a purchase "
                "manager.\n%(details)s",
                details=blocked._get_jxc_supplier_risk_message(),
            ))
        return blocked

    def _log_jxc_buying_more(self):
        """A manager's override of the block is on record at confirmation: so is buying more
        past it, once per order in a transaction (one save may add a line and raise another),
        after the change is written (a change rolled back, as an import's failed batch before
        it retries row by row, is not on record, and does not stop the next from being)."""
        logged = self.env.cr.precommit.data.setdefault(JXC_BOUGHT_PAST_BLOCK, set())
        for order in self.filtered(lambda o: (o.id, self.env.uid) not in logged):
            logged.add((order.id, self.env.uid))
            order.message_post(body=self.env._(
                "%(user)s bought more from this vendor at risk past the block (a line added or a quantity raised).",
                user=self.env.user.name,
            ))

    @api.model
    def _check_jxc_vendor_block(self, vendor, company):
        """Refuse a purchase of ``vendor`` in ``company`` that the override wizard cannot have
        accepted (an order created confirmed, a confirmed order's vendor changed)."""
        vendor = vendor.commercial_partner_id.with_company(company).sudo()
        if company.jxc_supplier_risk_action == "block" and vendor.jxc_supplier_risk:
            # the reason names the grade and score: for who may read them
            reason = self._reads_jxc_supplier_grades() and vendor.jxc_supplier_risk_reason
            raise UserError(self.env._(
                "Confirmation blocked: vendor %(vendor)s is at risk in %(company)s%(reason)s. Create the order "
                "as a request for quotation and confirm it with Confirm: only a purchase manager or an inventory control manager can override "
                "the block.", vendor=vendor.display_name, company=company.name, reason=f" ({reason})" if reason else "",
            ))

    def _get_jxc_supplier_risk_orders(self, actions=("warn", "block")):
        """The orders of a vendor at risk whose company's risk action is in ``actions`` and
        whose risk the wizard has not accepted in this transaction (nor, for a confirmation
        following purchase_requisition's question, answered before: ``_get_jxc_risk_answer``).
        Decided from stored state only: the vendor's risk flag, the company's setting and the
        wizard's acceptance."""
        accepted = {*self.env.cr.cache.get(JXC_RISK_ACCEPTED, ()), *self._get_jxc_risk_answer()._get_accepted_orders().ids}
        # the standing decides for every buyer, also one who may not read the vendor's score
        return self.sudo().filtered(
            lambda o: o.id not in accepted and o.jxc_supplier_risk and o.company_id.jxc_supplier_risk_action in actions
        ).with_env(self.env)

    def _action_jxc_confirm_accepting_risk(self):
        """Confirm (or approve) the orders, their vendor risk accepted. Private: only the risk
        wizard calls it, after checking the user's rights; the acceptance lives in the cursor's
        cache for this call only, where no client can put it."""
        accepted = self.env.cr.cache.setdefault(JXC_RISK_ACCEPTED, set())
        added = set(self.ids) - accepted
        accepted |= added
        try:
            to_approve = self.filtered(lambda o: o.state == "to approve")
            # What Odoo's buttons return (another module's question) goes back to the client.
            actions = [(self - to_approve).button_confirm(), to_approve.button_approve() if to_approve else None]
            return next((action for action in actions if isinstance(action, dict)), True)
        finally:
            accepted -= added

    def _is_jxc_supplier_risk_blocking(self):
        return any(order.company_id.jxc_supplier_risk_action == "block" for order in self)

    @api.model
    def _can_override_jxc_supplier_block(self):
        user = self.env.user
        return user.has_group("jxc_addon.group_jxc_manager") or user.has_group("purchase.group_purchase_manager")

    @api.model
    def _reads_jxc_supplier_grades(self):
        """Whether the user may read vendors' grades (and so their scores and risk reasons)."""
        return self._has_field_access(self._fields["jxc_supplier_grade"], "read")

    def _get_jxc_supplier_risk_message(self, alternatives=None):
        """Why the orders are blocked or warned, for whoever confirms them: the grades, scores,
        reasons and alternatives (``alternatives``: those of ``_get_jxc_supplier_alternatives``
        when already found) for who may read vendors' grades; that the vendor is at risk for
        others (a billing user may confirm an order too)."""
        if not self._reads_jxc_supplier_grades():
            return "\n".join(
                self.env._("%(order)s: vendor %(vendor)s is at risk.", order=order.name,
                           vendor=order.partner_id.display_name)
                for order in self
            )
        lines = [
            self.env._(
                "%(order)s: vendor %(vendor)s is at risk (grade %(grade)s, score %(score)s): %(reason)s.",
                order=order.name, vendor=order.partner_id.display_name,
                grade=(order.jxc_supplier_grade or "-").upper(), score=round(order.jxc_supplier_score, 1),
                reason=order.jxc_supplier_risk_reason or "",
            )
            for order in self.sudo()
        ]
        if alternatives is None:
            alternatives = self._get_jxc_supplier_alternatives()
        if alternatives:
            lines.append(self.env._("Alternative vendors:"))
            lines += [
                self.env._(
                    "- %(vendor)s for %(product)s: grade %(grade)s, last price %(price)s",
                    vendor=alt["partner"].display_name, product=alt["product"].display_name,
                    grade=(alt["grade"] or "-").upper(),
                    price=self._format_jxc_unit_price(alt["price"], alt["currency"]),
                )
                for alt in alternatives
            ]
        return "\n".join(lines)

    @api.model
    def _format_jxc_unit_price(self, price, currency):
        """``price`` per unit as Odoo shows a price field with ``min_display_digits``: at least
        the "Product Price" digits, more where the price has them (a 0.0125 screw), up to 6."""
        digits = self.env["decimal.precision"].precision_get("Product Price")
        while digits < 6 and float_compare(price, float_round(price, precision_digits=digits), precision_digits=6):
            digits += 1
        amount = formatLang(self.env, price, digits=digits)
        if not currency.symbol:
            return amount
        return "%s\N{NO-BREAK SPACE}%s" % ((amount, currency.symbol) if currency.position == "after" else (currency.symbol, amount))

    def _action_jxc_supplier_risk_warning(self, orders_to_confirm):
        """Warn (wizard) or block (error for buyers, override wizard for managers)."""
        blocking = self._is_jxc_supplier_risk_blocking()
        if blocking and not self._can_override_jxc_supplier_block():
            if self.env.cr.cache.get(JXC_BLOCK_DEFERRED):
                return False  # not confirmed: the caller tells the user
            raise UserError(self.env._(
                "Confirmation blocked: only a purchase manager or an inventory control manager can confirm an order of a vendor at risk.\n%(details)s",
                details=self._get_jxc_supplier_risk_message(),
            ))
        # the alternatives' grades and prices for who may read vendors' grades (not a billing
        # user, whom Odoo lets confirm an order too)
        alternatives = self._get_jxc_supplier_alternatives() if self._reads_jxc_supplier_grades() else []
        wizard = self.env["jxc.supplier.risk.wizard"].create({
            "order_ids": [fields.Command.set(orders_to_confirm.ids)],
            "risky_order_ids": [fields.Command.set(self.ids)],
            "blocking": blocking,
            "message": self._get_jxc_supplier_risk_message(alternatives),
            "alternative_ids": [
                fields.Command.create({
                    "partner_id": alt["partner"].id,
                    "product_id": alt["product"].id,
                    "grade": alt["grade"],
                    "score": alt["score"],
                    "price": alt["price"],
                    "currency_id": alt["currency"].id,
                })
                for alt in alternatives
            ],
        })
        # the answer already given to purchase_requisition's question about the alternative
        # RFQs goes on with the confirmation (it skips a question, it grants nothing)
        return dialog_action(wizard, self.env._("Vendor at Risk"), context=(
            {"skip_alternative_check": True} if self.env.context.get("skip_alternative_check") else {}))

    def _get_jxc_supplier_alternatives(self):
        """Other vendors of the orders' products (from their supplier info), with their grade
        and their last purchase price, best grade first. Prices are in company currency per
        unit of the product, comparable across vendors: the last confirmed order line's
        subtotal over its quantity in the product's unit at the order's rate (a line at price 0,
        a free sample, is no price offered and is passed over) or, when never bought at a price,
        the vendor price Odoo would pick for the ordered quantity at the order date
        (``_select_seller``: validity dates, quantity breaks, the vendor's unit and currency).
        Orders of several companies: each company's alternatives for its own orders, in its
        own vendors, prices and currency."""
        result = []
        for company in self.company_id:
            orders = self.filtered(lambda order, company=company: order.company_id == company)
            result += orders._get_jxc_company_alternatives(company)
        return result

    def _get_jxc_company_alternatives(self, company):
        """``_get_jxc_supplier_alternatives`` for orders of ``company`` alone."""
        products = self.order_line.product_id
        if not products:
            return []
        infos = self.env["product.supplierinfo"].search([
            ("product_tmpl_id", "in", products.product_tmpl_id.ids),
            # the blocked vendor itself, also where its price is on one of its contacts
            ("partner_id.commercial_partner_id", "not in", self.partner_id.commercial_partner_id.ids),
            # an archived vendor is none Odoo would buy from (_get_filtered_supplier)
            ("partner_id.active", "=", True),
            ("company_id", "in", [company.id, False]),
        ])
        # the orders' products as records of one recordset, which the prices and names below
        # read together (an intersection per vendor line would read them one by one)
        product_of = {product.id: product for product in products}
        pairs = {}
        for info in infos:
            for product_id in (info.product_id or info.product_tmpl_id.product_variant_ids).ids:
                if product_id in product_of:
                    pairs.setdefault((info.partner_id.commercial_partner_id, product_of[product_id]), info)
        if not pairs:
            return []
        self.env["purchase.order.line"].flush_model(["price_subtotal", "product_uom_qty", "product_id", "order_id"])
        self.env["purchase.order"].flush_model(["state", "company_id", "partner_id", "currency_rate", "date_approve",
                                                "date_order"])
        rows = self.env.execute_query(SQL(
            """
            SELECT DISTINCT ON (p.commercial_partner_id, pol.product_id)
                   p.commercial_partner_id, pol.product_id,
                   pol.price_subtotal / pol.product_uom_qty / COALESCE(NULLIF(po.currency_rate, 0), 1)
              FROM purchase_order_line pol
              JOIN purchase_order po ON po.id = pol.order_id
              JOIN res_partner p ON p.id = po.partner_id
             WHERE po.state = 'purchase' AND po.company_id = %s AND pol.product_id = ANY(%s)
               AND p.commercial_partner_id = ANY(%s) AND pol.product_uom_qty > 0
               -- a line at price 0 (a free sample, a replacement) is no price offered, as in the
               -- evaluation's price index: the last line at a price, or the vendor's price
               AND pol.price_subtotal > 0
             ORDER BY p.commercial_partner_id, pol.product_id, COALESCE(po.date_approve, po.date_order) DESC, pol.id DESC
            """,
            company.id, products.ids, list({partner.id for partner, _product in pairs}),
        ))
        last_prices = {(pid, prod): price for pid, prod, price in rows}
        day = (self[:1].date_order or fields.Datetime.now()).date()
        quantities = {}
        for line in self.order_line.filtered("product_id"):
            quantities[line.product_id] = quantities.get(line.product_id, 0.0) + line.product_uom_qty
        if any((partner.id, product.id) not in last_prices for partner, product in pairs):
            # the vendor lines Odoo picks the prices never paid from: every product's at once
            products.with_company(company).product_tmpl_id.seller_ids.fetch()
        result, tax_cache = [], {}  # the vendors' fiscal positions and taxes, read once for all prices
        for (partner, product), info in pairs.items():
            vendor = partner.with_company(company).sudo()
            if vendor._is_jxc_risk_flagged(company):
                continue  # at risk too: no way out of the risk
            price = last_prices.get((partner.id, product.id))
            if price is None:
                # asked of the partner the price is on (a contact's price is not its company's:
                # Odoo's _select_seller takes a partner's own prices and its parent's)
                price = self._get_jxc_vendor_unit_price(
                    product.with_company(company), info.partner_id, quantities[product], day, tax_cache)
            if price is None:
                continue
            result.append({
                "partner": partner,
                "product": product,
                "grade": vendor.jxc_supplier_grade,
                "score": vendor.jxc_supplier_score,
                "price": price,
                "currency": company.currency_id,
            })
        return sorted(result, key=lambda a: (a["grade"] or "z", -a["score"], a["partner"].name or ""))

    @api.model
    def _get_jxc_vendor_unit_price(self, product, partner, quantity, day, tax_cache=None):
        """The vendor's price for ``quantity`` (product unit) of ``product`` on ``day`` as Odoo
        picks it, untaxed per product unit in the company's currency, as the purchase plan's
        (``jxc.planning.engine._get_unit_price``, with its ``tax_cache``); None without a valid price."""
        company = product.env.company
        seller = product._select_seller(partner_id=partner, quantity=quantity, date=day, uom_id=product.uom_id)
        if not seller:
            return None
        return self.env["jxc.planning.engine"]._get_unit_price(
            seller, product, company, day, vendor=partner, tax_cache=tax_cache)
