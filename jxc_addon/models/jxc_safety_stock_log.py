from odoo import fields, models

from ..tools.orm_batch import check_company_batch
from .jxc_safety_stock_rule import SAFETY_METHODS
from .stock_warehouse_orderpoint import FORECAST_METHODS


class JxcSafetyStockLog(models.Model):
    """One change of a reordering rule made by the safety-stock computation: the old and
    new quantities, when, which rule and which method. Written only by the computation."""

    _name = "jxc.safety.stock.log"
    _description = "Safety Stock Change Log"
    _order = "create_date desc, id desc"
    _check_company_auto = True

    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    orderpoint_id = fields.Many2one(
        "stock.warehouse.orderpoint", string="Reordering Rule", readonly=True, index=True, ondelete="set null",
        check_company=True,
    )
    product_id = fields.Many2one("product.product", required=True, readonly=True, index=True, ondelete="cascade")
    warehouse_id = fields.Many2one("stock.warehouse", readonly=True, ondelete="cascade", check_company=True)
    rule_id = fields.Many2one(
        "jxc.safety.stock.rule", string="Safety Stock Rule", readonly=True, ondelete="set null", check_company=True,
    )
    method = fields.Selection(SAFETY_METHODS, readonly=True)
    forecast_method = fields.Selection(FORECAST_METHODS, readonly=True)
    operation = fields.Selection(
        [("create", "Created"), ("update", "Updated"), ("release", "No Longer Managed")], readonly=True,
        help="No Longer Managed: no safety stock rule applies to the product any more; the reordering rule keeps "
        "its last levels.")
    old_min_qty = fields.Float(string="Old Reorder Point", readonly=True, digits="Product Unit")
    new_min_qty = fields.Float(string="New Reorder Point", readonly=True, digits="Product Unit")
    old_max_qty = fields.Float(string="Old Max", readonly=True, digits="Product Unit")
    new_max_qty = fields.Float(string="New Max", readonly=True, digits="Product Unit")
    old_safety_stock = fields.Float(readonly=True, digits="Product Unit")
    new_safety_stock = fields.Float(readonly=True, digits="Product Unit")
    create_date = fields.Datetime(string="Changed On", readonly=True)
    create_uid = fields.Many2one("res.users", string="Changed By", readonly=True)

    def _check_company(self, fnames=None):
        # Written in batches of thousands by the safety stock and the plan refresh.
        return check_company_batch(self, fnames, super()._check_company)
