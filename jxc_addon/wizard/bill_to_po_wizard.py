from odoo import models


class BillToPoWizard(models.TransientModel):
    _inherit = "bill.to.po.wizard"

    def action_add_to_po(self):
        Dialog = self.env["jxc.supplier.risk.wizard"]
        last_dialog_id = Dialog.search([], order="id desc", limit=1).id or 0
        action = super().action_add_to_po()
        order = self.purchase_order_id
        # Odoo confirms the order and drops what Confirm answers: for a vendor at risk, the
        # order is left a request for quotation and the user is shown the dialog Confirm shows
        # (confirming it confirms the order, then opens it as Odoo does) instead of the order
        at_risk = order.filtered(lambda o: o.state in ("draft", "sent"))._get_jxc_supplier_risk_orders()
        if not at_risk:
            return action
        # the dialog Odoo's call to Confirm made and dropped is not left behind
        Dialog.search([("id", ">", last_dialog_id), ("order_ids", "in", order.ids)]).unlink()
        risk_action = at_risk._action_jxc_supplier_risk_warning(order)
        Dialog.browse(risk_action["res_id"]).open_order_id = order
        return risk_action

