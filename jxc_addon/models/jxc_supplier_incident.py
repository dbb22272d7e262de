from odoo import api, fields, models


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
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and "user_id" in vals:
            vals = {name: value for name, value in vals.items() if name != "user_id"}
        return super().write(vals)

    @api.depends("partner_id", "date", "product_id")
    def _compute_display_name(self):
        for incident in self:
            incident.display_name = " / ".join(filter(None, [
                incident.partner_id.display_name, incident.product_id.display_name,
                incident.date and fields.Date.to_string(incident.date),
            ]))
