from odoo import fields, models

from .product_product import ABC_CLASSES, XYZ_CLASSES


class JxcAbcHistory(models.Model):
    """A real change of a product's class in a profile: by a computation or a manual
    override. Nothing is written when a recomputation confirms the class in force, and a
    product's first classification is not a change."""

    _name = "jxc.abc.history"
    _description = "ABC/XYZ Class Change"
    _order = "date desc, id desc"
    _check_company_auto = True
    _rec_name = "product_id"

    profile_id = fields.Many2one("jxc.abc.profile", required=True, ondelete="cascade", index=True, check_company=True)
    company_id = fields.Many2one(related="profile_id.company_id", store=True, index=True)
    product_id = fields.Many2one("product.product", required=True, ondelete="cascade", index=True, check_company=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    old_class = fields.Selection(ABC_CLASSES, string="From Class", readonly=True)
    new_class = fields.Selection(ABC_CLASSES, string="To Class", readonly=True)
    old_xyz_class = fields.Selection(XYZ_CLASSES, string="From XYZ", readonly=True)
    new_xyz_class = fields.Selection(XYZ_CLASSES, string="To XYZ", readonly=True)
    origin = fields.Selection(
        [("compute", "Computation"), ("override", "Manual override")], required=True, readonly=True,
    )
    reason = fields.Char(readonly=True)
    user_id = fields.Many2one("res.users", string="By", readonly=True)
