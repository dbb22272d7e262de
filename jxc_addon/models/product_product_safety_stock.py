from odoo import fields, models


class ProductProduct(models.Model):
    _inherit = "product.product"

    jxc_safety_stock_rule_id = fields.Many2one(
        "jxc.safety.stock.rule", string="Safety Stock Rule", compute="_compute_jxc_safety_stock_rule_id",
        help="The most specific safety stock rule of the current company that applies to this product "
        "in the company's first warehouse (a warehouse rule may differ in other warehouses).",
    )

    def _compute_jxc_safety_stock_rule_id(self):
        company = self.env.company
        rules = self.env["jxc.safety.stock.rule"].search([("company_id", "=", company.id)])
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
        for product in self:
            product.jxc_safety_stock_rule_id = rules._get_best_rule(product, warehouse) if rules else False
