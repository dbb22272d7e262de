from odoo import models


class StockWarehouseOrderpoint(models.Model):
    _inherit = "stock.warehouse.orderpoint"

    def _get_qty_to_order(self, qty_in_progress_by_orderpoint=None):
        """Odoo's quantity to order, for a rule the safety stock manages no more than a lot
        bought now sells before it expires (``product.template._jxc_get_shelf_life_limit``),
        arriving after the rule's lead days: Odoo's scheduler, its replenishment report and the
        purchase plan then order one quantity. The cap is in whole units: a packaging multiple
        would round it up past what sells in time."""
        qty = super()._get_qty_to_order(qty_in_progress_by_orderpoint=qty_in_progress_by_orderpoint)
        if not self.jxc_rule_id or self.product_uom.compare(qty, 0.0) <= 0:
            return qty
        limit = self.product_id.product_tmpl_id._jxc_get_shelf_life_limit(
            self.jxc_demand_mean, self.lead_days, self.qty_forecast, self.qty_on_hand,
        )
        return qty if limit is None else min(qty, limit)
