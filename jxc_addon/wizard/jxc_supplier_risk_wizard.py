from odoo import fields, models
from odoo.exceptions import UserError

from ..models.res_partner import SUPPLIER_GRADES


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
        action = orders._action_jxc_confirm_accepting_risk()
        # Each order records its own vendor's risk, once it has really moved on (another
        # module's question, such as purchase_requisition's alternatives, may come first).
        # Without the vendor's grade, score or rates: whoever reads the order reads its chatter
        # (warehouse keepers, accountants); those figures are for buyers, on the vendor's tab.
        # An order above the company's approval amount only waits for approval (Odoo's two-step
        # approval): it says so, and the approver's answer is logged when it is confirmed.
        for order in risky.filtered(lambda o: o.state != states[o]):
            user, submitted = self.env.user.name, order.state == "to approve"
            if order in blocked and submitted:
                body = self.env._(
                    "Sent for approval by %(user)s overriding the block of a vendor at risk. Override reason: %(why)s",
                    user=user, why=self.override_reason.strip(),
                )
            elif order in blocked:
                body = self.env._(
                    "Confirmed by %(user)s overriding the block of a vendor at risk. Override reason: %(why)s",
                    user=user, why=self.override_reason.strip(),
                )
            elif submitted:
                body = self.env._("Sent for approval by %(user)s despite the supplier risk warning.", user=user)
            else:
                body = self.env._("Confirmed by %(user)s despite the supplier risk warning.", user=user)
            order.message_post(body=body)
        if isinstance(action, dict):
            return action
        if self.open_order_id:
            # where Odoo's Add to Purchase Order (bill.to.po.wizard) lands for a vendor not at risk
            return {
                "type": "ir.actions.act_window", "res_model": "purchase.order", "view_mode": "form",
                "res_id": self.open_order_id.id,
            }
        return {"type": "ir.actions.act_window_close"}


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
