from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import float_compare
from odoo.tools.misc import format_date, formatLang

from ..tools.company_day import company_today


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
    date = fields.Date(
        required=True, default=fields.Date.context_today, tracking=True,
        help="The incident counts in the vendor's evaluation of the period of this date. Users date it in the "
        "current month, up to today; managers any day of an open period.",
    )
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

    # what a user who is no manager may not set freely (_check_logged_by_user)
    LIMITED_FIELDS = frozenset(("date", "quantity", "partner_id", "product_id", "company_id"))

    _quantity_positive = models.Constraint(
        "CHECK(quantity >= 0)", "The affected quantity of a quality incident cannot be negative.",
    )

    def _check_logged_by_user(self):
        """What a user who is no manager logs is bounded: an incident counts against its vendor's
        quality in the period of its date, and a vendor whose score drops is put at risk, which
        only managers decide by hand. So a user dates an incident in the current month, up to
        today (backdated into an earlier period still open, it would change the vendor's standing
        at tonight's recompute), and the incidents of a vendor and product add up to at most what
        was received from it (the quantity of an incident without a product is its share of all
        the vendor's receipts, as the quality criterion counts it). Checked on what the user
        wrote (constraints run in superuser mode, which would hide who wrote)."""
        if self.env.su or self._is_jxc_incident_manager():
            return
        for incident in self:
            today = company_today(incident.company_id)
            first_day = today.replace(day=1)
            if not first_day <= incident.date <= today:
                raise ValidationError(self.env._(
                    "Only a manager can date a quality incident before this month or after today: it would change "
                    "the score of a period already over, or of days to come. Date it between %(first_day)s and "
                    "%(today)s, or ask a manager to log it.",
                    first_day=format_date(self.env, first_day), today=format_date(self.env, today)))
        keys = {(incident.company_id, incident.partner_id.commercial_partner_id, incident.product_id)
                for incident in self if incident.quantity > 0}
        precision = self.env["decimal.precision"].precision_get("Product Unit")
        for company, vendor, product in keys:
            reported = sum(self.sudo().search([
                ("company_id", "=", company.id), ("partner_id", "child_of", vendor.id),
                ("product_id", "=", product.id),
            ]).mapped("quantity"))
            received = self._get_received_qty(company, vendor, product)
            if float_compare(reported, received, precision_digits=precision) > 0:
                digits = {"dp": "Product Unit"}
                values = {"vendor": vendor.display_name, "reported": formatLang(self.env, reported, **digits),
                          "received": formatLang(self.env, received, **digits)}
                if product:
                    raise ValidationError(self.env._(
                        "The quality incidents of %(vendor)s for %(product)s add up to %(reported)s, more than the "
                        "%(received)s received from it and not returned. Enter the quantity found defective, at most "
                        "what was received, or ask a manager to log it.",
                        product=product.display_name, **values))
                raise ValidationError(self.env._(
                    "The quality incidents of %(vendor)s without a product add up to %(reported)s, more than the "
                    "%(received)s received from it in all and not returned. Choose the product found defective and "
                    "enter its quantity, or ask a manager to log it.", **values))

    def _is_jxc_incident_manager(self):
        """Whether the user changes any incident (the record rule of the managers)."""
        user = self.env.user
        return user.has_group("jxc_addon.group_jxc_manager") or user.has_group("purchase.group_purchase_manager")

    @api.model
    def _get_received_qty(self, company, vendor, product):
        """What the company received from the commercial ``vendor`` of ``product`` (without one:
        of all its products), in each product's unit, as Odoo's received quantity of the order lines
        counts it (the receipts less the returns that update the order)."""
        domain = Domain("company_id", "=", company.id) & Domain("partner_id", "child_of", vendor.id) \
            & Domain("qty_received", ">", 0) & Domain("product_id", "!=", False)
        if product:
            domain &= Domain("product_id", "=", product.id)
        groups = self.env["purchase.order.line"].sudo()._read_group(
            domain, ["product_id", "product_uom_id"], ["qty_received:sum"])
        return sum(uom._compute_quantity(qty, line_product.uom_id) for line_product, uom, qty in groups)

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            # who logged it is who is signed in (a user changes the incidents he logged)
            vals_list = [{**vals, "user_id": self.env.user.id} for vals in vals_list]
        defaults = self.default_get(["company_id", "date"])
        self._check_evaluation_open({self._get_period_key({**defaults, **vals}) for vals in vals_list})
        incidents = super().create(vals_list)
        incidents._check_logged_by_user()
        return incidents

    def write(self, vals):
        if not self.env.su and "user_id" in vals:
            vals = {name: value for name, value in vals.items() if name != "user_id"}
        keys = {(incident.company_id.id, incident.date) for incident in self}
        if {"company_id", "date"} & set(vals):
            keys |= {self._get_period_key({"company_id": incident.company_id.id, "date": incident.date, **vals})
                     for incident in self}
        self._check_evaluation_open(keys)
        result = super().write(vals)
        if self.LIMITED_FIELDS & set(vals):
            self._check_logged_by_user()
        return result

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
