from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..tools.client_defaults import check_client_defaults

ABC_CLASSES = [("a", "A"), ("b", "B"), ("c", "C"), ("n", "N (no movement)")]
XYZ_CLASSES = [("x", "X"), ("y", "Y"), ("z", "Z")]
DEMAND_CLASSES = [
    ("smooth", "Smooth"),
    ("erratic", "Erratic"),
    ("intermittent", "Intermittent"),
    ("lumpy", "Lumpy"),
]


# written by the classification (ABC/XYZ, with its overrides and history) and the safety stock
CLASS_FIELDS = {"jxc_abc_class", "jxc_xyz_class", "jxc_demand_class"}


class ProductProduct(models.Model):
    _inherit = "product.product"

    @api.model_create_multi
    def create(self, vals_list):
        # a class given in the values or in the client's defaults (the context's, the user's
        # own); empty ones are what a product form sends
        vals_list = check_client_defaults(self, vals_list, CLASS_FIELDS, lambda given: [
            self._check_jxc_class_write({name: value for name, value in vals.items() if value}) for vals in given])
        return super().create(vals_list)

    def write(self, vals):
        self._check_jxc_class_write(vals)
        if "standard_price" in vals:
            # the plan values the stock above the maximum (and prices lines without vendor) at the
            # cost, which is the company's (company-dependent)
            self.env["jxc.purchase.plan.change"]._note((product.id, self.env.company.id) for product in self)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_count_plan_filter(self):
        # Odoo's cleanup of variants (_unlink_or_archive) archives the refused ones instead
        self.env["jxc.count.plan"]._check_filter_unlink("product_ids", self)

    @api.model
    def _check_jxc_class_write(self, vals):
        # count frequencies and service levels follow the classes: a new product (an import, a
        # client's default) brings none either
        if not self.env.su and set(vals) & CLASS_FIELDS:
            raise AccessError(self.env._(
                "A product's ABC, XYZ and demand classes are set by the classification; to fix a class, set it "
                "with a reason on the ABC profile's result.",
            ))

    # Written by the ABC/XYZ classification of the company's default profile and read
    # by count plans (count frequency) and safety-stock rules (service level). One value
    # per company, hence company_dependent.
    jxc_abc_class = fields.Selection(
        ABC_CLASSES,
        string="ABC Class",
        company_dependent=True,
        help="A: the few products that carry most of the value; B: the middle; C: the many "
        "that carry little; N: no movement in the classification period.",
    )
    jxc_xyz_class = fields.Selection(
        XYZ_CLASSES,
        string="XYZ Class",
        company_dependent=True,
        help="X: steady demand; Y: fluctuating demand; Z: irregular demand "
        "(coefficient of variation of the demand per period).",
    )
    # Written by the safety-stock computation (models/jxc_planning_engine.py).
    jxc_demand_class = fields.Selection(
        DEMAND_CLASSES,
        string="Demand Class",
        company_dependent=True,
        help="Pattern of the demand in the product's busiest warehouse, set when the reordering rules "
        "are computed (Syntetos-Boylan-Croston): smooth, erratic (varying sizes), intermittent (many "
        "periods without demand) or lumpy (intermittent with varying sizes).",
    )

    # --- safety stock ---------------------------------------------------------------
    jxc_safety_stock_rule_id = fields.Many2one(
        "jxc.safety.stock.rule", string="Safety Stock Rule", compute="_compute_jxc_safety_stock_rule_id",
        groups="jxc_addon.group_jxc_user",  # the rules are theirs: no one else may read them
        help="The most specific safety stock rule of the current company that applies to this product "
        "in the company's first warehouse (a warehouse rule may differ in other warehouses).",
    )

    @api.depends_context("company")
    def _compute_jxc_safety_stock_rule_id(self):
        company = self.env.company
        rules = self.env["jxc.safety.stock.rule"].search([("company_id", "=", company.id)])
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
        for product in self:
            product.jxc_safety_stock_rule_id = rules._get_best_rule(product, warehouse) if rules else False
