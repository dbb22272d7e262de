from odoo import fields, models

SUPPLIER_GRADES = [
    ("a", "A"),
    ("b", "B"),
    ("c", "C"),
    ("d", "D"),
]


class ResPartner(models.Model):
    _inherit = "res.partner"

    # Written by the supplier evaluation (latest evaluated period of the current company)
    # and read by the purchase plan to prefer the best-graded vendor.
    jxc_supplier_grade = fields.Selection(
        SUPPLIER_GRADES,
        string="Supplier Grade",
        company_dependent=True,
        help="Grade of the vendor's latest supplier evaluation in this company.",
    )
    jxc_supplier_score = fields.Float(
        string="Supplier Score",
        company_dependent=True,
        digits=(16, 1),
        help="Weighted score (0-100) of the vendor's latest supplier evaluation in this company.",
    )
