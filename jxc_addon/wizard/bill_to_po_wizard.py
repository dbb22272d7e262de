from odoo import models


class BillToPoWizard(models.TransientModel):
    _inherit = "bill.to.po.wizard"

    def action_add_to_po(self):
        action = super().action_add_to_po()
        order = self.purchase_order_id
        # Odoo confirms the order and drops what Confirm answers: for a vendor at risk, the
        # order is left a request for quotation and the user is shown the dialog Confirm shows
        # (confirming it confirms the order) instead of the order
        at_risk = order.filtered(lambda o: o.state in ("draft", "sent"))._get_jxc_supplier_risk_orders()
        if at_risk:
            return at_risk._action_jxc_supplier_risk_warning(order)
        return action
