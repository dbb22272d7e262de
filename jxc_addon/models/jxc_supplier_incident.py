from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain


class JxcSupplierIncident(models.Model):
    _name = "jxc.supplier.incident"
    _description = "Supplier Quality Incident"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner", string="Vendor", required=True, index=True, check_company=True,
    )
    product_id = fields.Many2one("product.product", check_company=True)
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    quantity = fields.Float(
        string="Quantity Affected", digits="Product Unit", tracking=True,
        help="Defective quantity (in the product's unit) that was not returned to the vendor; "
        "it adds to the returned quantity in the quality criterion.",
    )
    severity = fields.Selection(
        [("minor", "Minor"), ("major", "Major"), ("critical", "Critical")],
        required=True, default="minor", tracking=True,
    )
    note = fields.Text()
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    user_id = fields.Many2one("res.users", string="Logged By", readonly=True, default=lambda self: self.env.user)

    _quantity_positive = models.Constraint(
        "CHECK(quantity >= 0)", "The affected quantity of a quality incident cannot be negative.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            # who logged it is who is signed in (a user changes the incidents he logged)
            vals_list = [{**vals, "user_id": self.env.user.id} for vals in vals_list]
        defaults = self.default_get(["company_id", "date"])
        self._check_evaluation_open({self._get_period_key({**defaults, **vals}) for vals in vals_list})
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and "user_id" in vals:
            vals = {name: value for name, value in vals.items() if name != "user_id"}
        keys = {(incident.company_id.id, incident.date) for incident in self}
        if {"company_id", "date"} & set(vals):
            keys |= {self._get_period_key({"company_id": incident.company_id.id, "date": incident.date, **vals})
                     for incident in self}
        self._check_evaluation_open(keys)
        return super().write(vals)

    def unlink(self):
        self._check_evaluation_open({(incident.company_id.id, incident.date) for incident in self})
        return super().unlink()

    @api.model
    def _get_period_key(self, vals):
        return vals.get("company_id") or False, fields.Date.to_date(vals.get("date"))

    @api.model
    def _check_evaluation_open(self, keys):
        """Refuse incidents dated (``keys``: {(company id, date)}) in a closed evaluation period of
        their company, before anything is written: its scorecard is frozen and would never count
        them. Held as a manual score is (``_lock_open``): never saved into a period being closed."""
        keys = [(company_id, day) for company_id, day in keys if company_id and day]
        if not keys:
            return
        periods = self.env["jxc.supplier.period"].sudo().search(Domain.OR(
            Domain("company_id", "=", company_id) & Domain("date_from", "<=", day) & Domain("date_to", ">=", day)
            for company_id, day in keys
        ))
        closed = periods.filtered(lambda period: period.state == "closed")
        if closed:
            raise UserError(self.env._(
                "The supplier evaluation period %(periods)s is closed: its scores no longer change, and a quality "
                "incident dated in it would never count. Date the incident in an open period, or have a manager "
                "reopen the period first.", periods=", ".join(closed.mapped("name"))))
        periods._lock_open(share=True)

    @api.depends("partner_id", "date", "product_id")
    def _compute_display_name(self):
        for incident in self:
            incident.display_name = " / ".join(filter(None, [
                incident.partner_id.display_name, incident.product_id.display_name,
                incident.date and fields.Date.to_string(incident.date),
            ]))
