from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError


class JxcSupplierStandingWizard(models.TransientModel):
    """A manager sets or lifts a vendor's risk by hand in the current company. The vendor
    form is read-only to a manager who may not edit contacts (Odoo's Contact Creation): the
    standing is the inventory control managers' to set, not the contact's other fields."""

    _name = "jxc.supplier.standing.wizard"
    _description = "Set Vendor Risk by Hand"

    partner_id = fields.Many2one("res.partner", string="Vendor", required=True, readonly=True, ondelete="cascade")
    at_risk = fields.Boolean(
        help="Set or lift the vendor's risk by hand (a fire, a recall, a dispute settled): the supplier "
        "evaluation then leaves its standing in this company to you until Follow Evaluation.",
    )
    note = fields.Char(string="Reason", help="Why, for the buyers who read it.")

    @api.model
    def _check_manager(self):
        if not self.env.user.has_group("jxc_addon.group_jxc_manager"):
            raise AccessError(self.env._("Only inventory control managers can set a vendor's risk by hand."))

    def action_apply(self):
        self.ensure_one()
        self._check_manager()
        # the vendor as the manager may see it: the wizard's vendor is the client's to write
        partner = self.partner_id.commercial_partner_id.with_company(self.env.company)
        partner.check_access("read")
        note = (self.note or "").strip()
        if self.at_risk and not note:
            raise UserError(self.env._(
                "Say why %(vendor)s is at risk in Reason: the buyers read it when they order.",
                vendor=partner.display_name,
            ))
        if (partner.jxc_supplier_standing_manual and partner.jxc_supplier_risk == self.at_risk
                and (partner.jxc_supplier_risk_note or False) == (note or False)):
            # applied again (a second click, a dialog sent twice): the standing and its note are there
            return {"type": "ir.actions.act_window_close"}
        # the standing only, past the contacts' rights (checked above: a manager's to set)
        partner.sudo().write({
            "jxc_supplier_risk": self.at_risk, "jxc_supplier_risk_note": note or False,
            "jxc_supplier_standing_manual": True,
        })
        # Every employee who may read the vendor reads its messages: the risk and its reason stay
        # in the standing's fields, which buyers and inventory control read.
        body = self.env._("Supplier standing set by hand in %(company)s: see the vendor's Supplier Evaluation tab.",
                          company=self.env.company.name)
        partner.sudo().message_post(body=Markup("%s") % body, author_id=self.env.user.partner_id.id)
        return {"type": "ir.actions.act_window_close"}
