from odoo import api, models

# what decides whether a confirmed line's deliveries are covered (Odoo plans new moves for them)
# and by when (its lead time moves its delivery date and its deliveries')
SHORTAGE_FIELDS = {"product_id", "product_uom_qty", "product_uom_id", "route_ids", "customer_lead"}


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        # a line added to a confirmed order (its moves are planned by sale_stock's create)
        lines.filtered(lambda line: line.state == "sale").order_id._jxc_recheck_shortages_later()
        return lines

    def write(self, vals):
        result = super().write(vals)
        if SHORTAGE_FIELDS.intersection(vals):
            self.filtered(lambda line: line.state == "sale").order_id._jxc_recheck_shortages_later()
        return result
