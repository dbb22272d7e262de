from odoo import fields, models

ABC_CLASSES = [
    ("a", "A"),
    ("b", "B"),
    ("c", "C"),
    ("n", "N (no movement)"),
]
XYZ_CLASSES = [
    ("x", "X"),
    ("y", "Y"),
    ("z", "Z"),
]


class ProductProduct(models.Model):
    _inherit = "product.product"

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
