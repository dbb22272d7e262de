from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command

from ..models.res_partner import SUPPLIER_GRADES
from ..tools.client_defaults import check_client_defaults

ANSWER_FIELDS = {"accepted_by_id", "accepted_block"}


class JxcSupplierRiskWizard(models.TransientModel):
    _name = "jxc.supplier.risk.wizard"
    _description = "Vendor at Risk Warning"

    order_ids = fields.Many2many("purchase.order", string="Orders to Confirm")
    risky_order_ids = fields.Many2many(
        "purchase.order", "jxc_supplier_risk_wizard_risky_rel", string="Orders of Vendors at Risk",
    )
    blocking = fields.Boolean(readonly=True)
    message = fields.Text(readonly=True)
    alternative_ids = fields.One2many("jxc.supplier.risk.wizard.line", "wizard_id", string="Alternative Vendors")
    override_reason = fields.Char(help="Why the order is confirmed despite the risk; logged in the order's chatter.")
    # navigation only (Add to Purchase Order lands on the order): opened with the user's own rights
    open_order_id = fields.Many2one("purchase.order", string="Purchase Order", readonly=True)
    # Who answered it, once the rights and the reason were checked, and whether it overrode a
    # block: written by the server only (with the orders at risk it answered for), they carry
    # the answer past purchase_requisition's question (purchase.order._get_jxc_risk_answer).
    # The fields above are the client's to write.
    accepted_by_id = fields.Many2one("res.users", readonly=True)
    accepted_block = fields.Boolean(readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        # also from the context's defaults, which the client writes
        vals_list = check_client_defaults(self, vals_list, ANSWER_FIELDS, self._check_not_answered)
        return super().create(vals_list)

    @api.model
    def _check_not_answered(self, vals_list):
        if any(ANSWER_FIELDS & vals.keys() for vals in vals_list):
            raise AccessError(self.env._("A vendor risk warning is answered with its buttons only."))

    def write(self, vals):
        if not self.env.su and (ANSWER_FIELDS & vals.keys() or self.filtered("accepted_by_id")):
            raise AccessError(self.env._("A vendor risk warning is answered with its buttons only, and once."))
        return super().write(vals)

    def action_confirm(self):
        self.ensure_one()
        # The wizard's own fields are written by the client: the orders at risk and whether
        # they are blocked are read again from the orders, the right to override from groups.
        orders = self.order_ids.filtered(lambda o: o.state in ("draft", "sent", "to approve"))
        risky = orders._get_jxc_supplier_risk_orders()
        blocked = risky.filtered(lambda o: o._is_jxc_supplier_risk_blocking())
        if blocked:
            if not blocked._can_override_jxc_supplier_block():
                raise UserError(self.env._("Only a purchase manager or an inventory control manager can override the block of a vendor at risk."))
            if not (self.override_reason or "").strip():
                raise UserError(self.env._("Give the reason for overriding the block; it is logged in the order."))
        states = {order: order.state for order in risky}
        if not self.accepted_by_id:
            self.sudo().write({
                "accepted_by_id": self.env.user.id, "accepted_block": bool(blocked),
                "risky_order_ids": [Command.set(risky.ids)],
            })
        action = orders._action_jxc_confirm_accepting_risk()
        self._log_accepted(states)
        if isinstance(action, dict):
            return action
        if self.open_order_id:
            # where Odoo's Add to Purchase Order (bill.to.po.wizard) lands for a vendor not at risk
            return {
                "type": "ir.actions.act_window", "res_model": "purchase.order", "view_mode": "form",
                "res_id": self.open_order_id.id,
            }
        return {"type": "ir.actions.act_window_close"}

    def _get_accepted_orders(self):
        """The orders of vendors at risk whose risk these answers accepted: those not changed
        since, unless a warning was answered and the company blocks since."""
        orders = self.env["purchase.order"]
        for answer in self.filtered("accepted_by_id"):
            orders |= answer.risky_order_ids.filtered(lambda order, answer=answer: (
                answer.accepted_block or not order._is_jxc_supplier_risk_blocking()
            ) and order.write_date <= answer.write_date)
        return orders

    def _log_accepted(self, states):
        """Log the answer on each order of ``states`` {order: its state before} that has moved
        on (another module's question, such as purchase_requisition's alternatives, may come
        first). Without the vendor's grade, score or rates: whoever reads the order reads its
        chatter (warehouse keepers, accountants); those figures are for buyers, on the vendor's
        tab. An order above the company's approval amount only waits for approval (Odoo's
        two-step approval): it says so, and the approver's answer is logged when it is confirmed."""
        user = self.accepted_by_id.name
        for order, state in states.items():
            if order.state == state:
                continue
            submitted, blocked = order.state == "to approve", order._is_jxc_supplier_risk_blocking()
            if blocked and submitted:
                body = self.env._(
                    "Sent for approval by %(user)s overriding the block of a vendor at risk. Override reason: %(why)s",
                    user=user, why=(self.override_reason or "").strip(),
                )
            elif blocked:
                body = self.env._(
                    "Confirmed by %(user)s overriding the block of a vendor at risk. Override reason: %(why)s",
                    user=user, why=(self.override_reason or "").strip(),
                )
            elif submitted:
                body = self.env._("Sent for approval by %(user)s despite the supplier risk warning.", user=user)
            else:
                body = self.env._("Confirmed by %(user)s despite the supplier risk warning.", user=user)
            order.message_post(body=body)


class JxcSupplierRiskWizardLine(models.TransientModel):
    _name = "jxc.supplier.risk.wizard.line"
    _description = "Alternative Vendor"

    wizard_id = fields.Many2one("jxc.supplier.risk.wizard", required=True, ondelete="cascade")
    partner_id = fields.Many2one("res.partner", string="Vendor", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    grade = fields.Selection(SUPPLIER_GRADES, readonly=True)
    score = fields.Float(digits=(16, 1), readonly=True)
    # a unit price, kept whole and shown with at least Odoo's "Product Price" digits (a 0.0125 screw
    # is not 0.01, nor is a 0.00235 gram of flour 0.00)
    price = fields.Float(string="Last Price", min_display_digits="Product Price", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
