from odoo import models

from ..models.purchase_order import JXC_BLOCK_DEFERRED
from ..tools.window_action import notification_action


class BillToPoWizard(models.TransientModel):
    _inherit = "bill.to.po.wizard"

    def action_add_to_po(self):
        Dialog = self.env["jxc.supplier.risk.wizard"]
        last_dialog_id = Dialog.search([], order="id desc", limit=1).id or 0
        cache = self.env.cr.cache
        cache[JXC_BLOCK_DEFERRED] = True
        try:
            action = super().action_add_to_po()
        finally:
            cache.pop(JXC_BLOCK_DEFERRED, None)
        order = self.purchase_order_id
        # Odoo confirms the order and drops what Confirm answers: for a vendor at risk, the
        # order is left a request for quotation and the user is shown the dialog Confirm shows
        # (confirming it confirms the order, then opens it as Odoo does) instead of the order
        at_risk = order.filtered(lambda o: o.state in ("draft", "sent"))._get_jxc_supplier_risk_orders()
        if not at_risk:
            return action
        if at_risk._is_jxc_supplier_risk_blocking() and not at_risk._can_override_jxc_supplier_block():
            # the bill's lines are linked to the order all the same; a purchase manager may confirm it
            return notification_action(
                self.env._(
                    "%(order)s was created as a request for quotation and the bill's lines are linked to it, but it "
                    "is not confirmed: only a purchase manager or an inventory control manager can confirm an order of a vendor at risk.\n%(details)s",
                    order=order.name, details=at_risk._get_jxc_supplier_risk_message(),
                ),
                "warning", title=self.env._("Vendor Blocked"), sticky=True, next_action=action,
            )
        # the dialog Odoo's call to Confirm made and dropped is not left behind
        Dialog.search([("id", ">", last_dialog_id), ("order_ids", "in", order.ids)]).unlink()
        risk_action = at_risk._action_jxc_supplier_risk_warning(order)
        Dialog.browse(risk_action["res_id"]).open_order_id = order
        return risk_action
