from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare
from odoo.tools.translate import LazyTranslate

from ..tools.window_action import notification_action

_lt = LazyTranslate(__name__)

CRITERION_TYPES = [
    ("on_time", "On-Time Delivery"),
    ("fill_rate", "Fill Rate (In Full)"),
    ("quality", "Quality"),
    ("price", "Price Competitiveness"),
    ("lead_time", "Lead Time"),
    ("manual", "Manual"),
]

# How each criterion turns its raw value into a 0-100 score; shown on the criterion form.
SCORING_RULES = {
    "on_time": _lt(
        "Raw: mean over the order lines received in the period of each line's quantity that arrived by the "
        "planned date (+ tolerance) / its received quantity, in % (quantities of different products are not "
        "added up). Score = raw (100 % on time scores 100)."
    ),
    "fill_rate": _lt(
        "Raw: mean fill of the order lines planned in the period and due (their planned day and the on-time "
        "tolerance over), each line's received / ordered quantity in the product's unit, at most 100 %; in %. "
        "Score = raw."
    ),
    "quality": _lt(
        "Raw: defect rate = mean over the order lines received or returned in the period of each line's "
        "(quantity returned to the vendor, not counting an over-delivery sent back, + its share of the quality "
        "incidents of its product) / its received quantity, at most 100 %; in %. Score = 100 - raw x 100 / scale, "
        "at least 0 (scale 10: 1 % defects = 90)."
    ),
    "price": _lt(
        "Raw: price index = spend-weighted average of (vendor's average unit price / average unit "
        "price of all vendors) over the products bought from at least two vendors, in % (100 = market "
        "average). Score = 50 + (100 - raw) x 50 / scale, between 0 and 100 (scale 20: 20 % cheaper = 100, "
        "20 % dearer = 0)."
    ),
    "lead_time": _lt(
        "Raw: average lateness in days of the receipts, each late by its measured lead time - the later of "
        "the promised vendor delay and the order line's planned date (in days from confirmation), 0 when on "
        "time or early (an early receipt does not make up for a late one). "
        "Score = 100 - (raw + standard deviation / 2) x 100 / scale, at least 0 "
        "(scale 10: 10 days late = 0), where the standard deviation is that of the receipts' deviations from "
        "the day each was due (early or late) within each product, pooled over the vendor's products."
    ),
    "manual": _lt(
        "Raw: average of the 0-100 scores entered by buyers for the period. Score = raw."
    ),
}

DEFAULT_SCALES = {"quality": 10.0, "price": 20.0, "lead_time": 10.0}
# The default criteria of the main company, data records (translated through the .po files).
DEFAULT_CRITERIA_XMLIDS = {
    criterion_type: "jxc_addon.jxc_supplier_criterion_%s" % criterion_type
    for criterion_type in ("on_time", "fill_rate", "quality", "price", "lead_time")
}


class JxcSupplierCriterion(models.Model):
    _name = "jxc.supplier.criterion"
    _description = "Supplier Evaluation Criterion"
    _order = "company_id, sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    criterion_type = fields.Selection(
        CRITERION_TYPES, string="Type", required=True, default="manual",
        help="Measured criteria are computed from purchase orders, receipts and returns; "
        "manual criteria are scored 0-100 by buyers for each period.",
    )
    weight = fields.Float(
        string="Weight (%)", required=True, default=0.0,
        help="Share of the criterion in the total score. The weights of the active criteria of a "
        "company must total 100 %. A criterion without data in a period is left out and the other "
        "weights are scaled up to 100 %. A criterion of weight 0 is measured and shown but never "
        "scored: a vendor with data only in such criteria is not evaluated. Nor is a vendor that "
        "received nothing and had no order line due in the period (its prices or manual scores alone "
        "do not grade it).",
    )
    scale = fields.Float(
        default=10.0, aggregator=False,
        help="Raw value at which the score reaches its bound (see the scoring rule). Only used by "
        "quality, price and lead time.",
    )
    scoring_rule = fields.Text(compute="_compute_scoring_rule")

    # What _check_scale_and_unique_type says, kept by the database too: a manager's Compute and
    # the scheduled evaluation creating a new company's default criteria at the same moment would
    # each pass the check, and two sets would total 200 %.
    _active_type_uniq = models.UniqueIndex(
        "(company_id, criterion_type) WHERE active AND criterion_type <> 'manual'",
        "A company can have only one active criterion of each type (manual criteria aside). Archive the other "
        "one, or make this one manual.",
    )
    _weight_range = models.Constraint(
        "CHECK(weight >= 0 AND weight <= 100)",
        "The weight of a criterion must be between 0 and 100 %.",
    )

    @api.depends("criterion_type")
    def _compute_scoring_rule(self):
        for criterion in self:
            criterion.scoring_rule = str(SCORING_RULES[criterion.criterion_type]) if criterion.criterion_type else False

    @api.onchange("criterion_type")
    def _onchange_criterion_type(self):
        if self.criterion_type in DEFAULT_SCALES:
            self.scale = DEFAULT_SCALES[self.criterion_type]

    @api.constrains("criterion_type", "scale", "active", "company_id")
    def _check_scale_and_unique_type(self):
        for criterion in self:
            if criterion.criterion_type in DEFAULT_SCALES and criterion.scale <= 0:
                raise ValidationError(self.env._(
                    "The scale of the criterion %(name)s must be greater than 0.", name=criterion.name,
                ))
            if criterion.active and criterion.criterion_type != "manual" and self.search_count([
                ("company_id", "=", criterion.company_id.id),
                ("criterion_type", "=", criterion.criterion_type),
                ("id", "!=", criterion.id),
            ]):
                raise ValidationError(self.env._(
                    "%(company)s already has an active %(type)s criterion. Archive it or make this one manual.",
                    company=criterion.company_id.name,
                    type=dict(self._fields["criterion_type"]._description_selection(self.env))[criterion.criterion_type],
                ))

    @api.model
    def _get_jxc_criteria(self, company):
        """The active criteria of ``company``, created with default weights the first time.

        Raises a UserError when their weights do not total 100 %.
        """
        criteria = self.search([("company_id", "=", company.id)])
        if not criteria and not self.with_context(active_test=False).search_count([("company_id", "=", company.id)]):
            criteria = self._create_default_criteria(company)
        total = sum(criteria.mapped("weight"))
        if not criteria or float_compare(total, 100.0, precision_digits=2):
            raise UserError(self.env._(
                "The weights of the active supplier evaluation criteria of %(company)s total %(total)s %% "
                "instead of 100 %%. Adjust them in Inventory Control > Configuration > Supplier Criteria.",
                company=company.name, total=round(total, 2),
            ))
        return criteria

    @api.model
    def _prepare_default_criteria_vals(self, company):
        return [
            {"name": self.env._("On-Time Delivery"), "criterion_type": "on_time", "weight": 30.0, "sequence": 10,
             "company_id": company.id},
            {"name": self.env._("Fill Rate"), "criterion_type": "fill_rate", "weight": 20.0, "sequence": 20,
             "company_id": company.id},
            {"name": self.env._("Quality"), "criterion_type": "quality", "weight": 20.0, "sequence": 30,
             "scale": DEFAULT_SCALES["quality"], "company_id": company.id},
            {"name": self.env._("Price Competitiveness"), "criterion_type": "price", "weight": 15.0, "sequence": 40,
             "scale": DEFAULT_SCALES["price"], "company_id": company.id},
            {"name": self.env._("Lead Time"), "criterion_type": "lead_time", "weight": 15.0, "sequence": 50,
             "scale": DEFAULT_SCALES["lead_time"], "company_id": company.id},
        ]

    @api.model
    def _create_default_criteria(self, company):
        """The default criteria of ``company``: copies of the data records of the main company
        (data/jxc_supplier_criterion_data.xml) with the default weights, so that their names
        keep every translation the module's .po files gave those records; created from
        ``_prepare_default_criteria_vals`` where a data record was deleted."""
        self.check_access("create")
        criteria = self.browse()
        for vals in self._prepare_default_criteria_vals(company):
            template = self.env.ref(DEFAULT_CRITERIA_XMLIDS[vals["criterion_type"]], raise_if_not_found=False)
            if template and template.company_id != company:
                vals.pop("name")
                criteria |= template.sudo().copy({**vals, "active": True}).sudo(self.env.su)
            else:
                criteria |= self.create(vals)
        return criteria

    @api.model
    def _create_default_criteria_all(self):
        """At install: default criteria for every company that has none yet."""
        for company in self.env["res.company"].search([]):
            if not self.with_context(active_test=False).search_count([("company_id", "=", company.id)]):
                self._create_default_criteria(company)

    @api.model
    def _link_default_criteria(self):
        """Before the data records are loaded: a database whose main company got its default
        criteria by code (before they were data) keeps them, now known by the data ids, instead
        of receiving a second set (which the one-active-criterion-per-type rule refuses)."""
        company = self.env.ref("base.main_company", raise_if_not_found=False)
        if not company:
            return
        data = []
        for criterion_type, xmlid in DEFAULT_CRITERIA_XMLIDS.items():
            if self.env.ref(xmlid, raise_if_not_found=False):
                continue
            criterion = self.with_context(active_test=False).search([
                ("company_id", "=", company.id), ("criterion_type", "=", criterion_type),
            ], order="active desc, id", limit=1)
            if criterion:
                data.append({"xml_id": xmlid, "record": criterion, "noupdate": True})
        if data:
            self.env["ir.model.data"]._update_xmlids(data)

    def action_check_weights(self):
        """Button on the criteria list: tell the manager whether the weights are consistent."""
        for company in self.mapped("company_id") or self.env.company:
            self._get_jxc_criteria(company)
        return notification_action(self.env._("The weights of the active criteria total 100 %."), "success")
