from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..tools.changed_values import changed_values


class JxcSettingsMixin(models.AbstractModel):
    """The add-on's company settings, shown both in Odoo's Settings app (administrators) and
    on the add-on's own settings screen (``jxc.settings``, Inventory Control managers)."""

    _name = "jxc.settings.mixin"
    _description = "Inventory Control Settings Fields"

    # as in res.config.settings (base_setup), which has it already
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)

    jxc_demand_history_days = fields.Integer(related="company_id.jxc_demand_history_days", readonly=False)
    jxc_dead_stock_days = fields.Integer(related="company_id.jxc_dead_stock_days", readonly=False)
    jxc_carrying_cost_rate = fields.Float(related="company_id.jxc_carrying_cost_rate", readonly=False)

    jxc_supplier_period_type = fields.Selection(related="company_id.jxc_supplier_period_type", readonly=False)
    jxc_supplier_on_time_tolerance = fields.Integer(related="company_id.jxc_supplier_on_time_tolerance", readonly=False)
    jxc_supplier_grade_a = fields.Float(related="company_id.jxc_supplier_grade_a", readonly=False)
    jxc_supplier_grade_b = fields.Float(related="company_id.jxc_supplier_grade_b", readonly=False)
    jxc_supplier_grade_c = fields.Float(related="company_id.jxc_supplier_grade_c", readonly=False)
    jxc_supplier_score_drop = fields.Float(related="company_id.jxc_supplier_score_drop", readonly=False)
    jxc_supplier_on_time_min = fields.Float(related="company_id.jxc_supplier_on_time_min", readonly=False)
    jxc_supplier_risk_action = fields.Selection(related="company_id.jxc_supplier_risk_action", readonly=False)
    jxc_supplier_risk_user_id = fields.Many2one(related="company_id.jxc_supplier_risk_user_id", readonly=False)

    jxc_aging_buckets = fields.Char(related="company_id.jxc_aging_buckets", readonly=False)
    jxc_slow_turnover_rate = fields.Float(related="company_id.jxc_slow_turnover_rate", readonly=False)
    jxc_ordering_cost = fields.Float(related="company_id.jxc_ordering_cost", readonly=False)
    jxc_overstock_days = fields.Integer(related="company_id.jxc_overstock_days", readonly=False)
    jxc_shortage_notify_purchase = fields.Boolean(related="company_id.jxc_shortage_notify_purchase", readonly=False)

    def action_jxc_open_supplier_criteria(self):
        return self.env["ir.actions.act_window"]._for_xml_id("jxc_addon.jxc_supplier_criterion_action")


class JxcSettings(models.TransientModel):
    """Inventory Control → Configuration → Settings, for the add-on's managers.

    Odoo's Settings app (``res.config.settings``) is for administrators only, and only they may
    write a company. The add-on's managers change its own company settings here: the access
    rules let only them create this screen, and saving writes the add-on's fields, nothing
    else, on the user's current company with superuser rights."""

    _name = "jxc.settings"
    _inherit = "jxc.settings.mixin"
    _description = "Inventory Control Settings"

    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda self: self.env.company,
    )

    @api.model_create_multi
    def create(self, vals_list):
        company_vals = [self._pop_company_vals(vals) for vals in vals_list]
        settings = super().create(vals_list)
        for record, vals in zip(settings, company_vals, strict=True):
            record._write_company(vals)
        return settings

    def write(self, vals):
        company_vals = self._pop_company_vals(vals)
        result = super().write(vals)
        self._write_company(company_vals)
        return result

    @api.model
    def _pop_company_vals(self, vals):
        """Take the company's settings out of ``vals`` (the related fields would write the company
        with the user's rights, which a manager who is not an administrator lacks)."""
        names = [name for name in vals if (self._fields[name].related or "").startswith("company_id.")]
        return {name: vals.pop(name) for name in names}

    def _write_company(self, vals):
        if not vals:
            return
        # The access rules already keep other users from this model; the group is checked again
        # because the write below bypasses the company's own access rights.
        if not self.env.user.has_group("jxc_addon.group_jxc_manager"):
            raise AccessError(self.env._("Only Inventory Control managers may change its settings."))
        for settings in self:
            if settings.company_id not in self.env.user.company_ids:
                raise AccessError(self.env._(
                    "You may not change the settings of %(company)s.", company=settings.company_id.name,
                ))
            company = settings.company_id.sudo()
            # the form sends every field: the unchanged ones are not written (a company's purchase
            # lead time or overstock delay written again would have the plan refresh every line)
            changed = changed_values(company, vals)
            if changed:
                company.write(changed)

    def execute(self):
        """Save button: the values are written on the company when the form is saved; reload so
        that every screen reads them."""
        return {"type": "ir.actions.client", "tag": "reload"}
