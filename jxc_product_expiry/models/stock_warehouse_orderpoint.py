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
            self.jxc_demand_mean, self.lead_days, self.qty_forecast, self.qty_on_hand - self._jxc_get_unsellable_qty(),
        )
        return qty if limit is None else min(qty, limit)

    def _jxc_get_unsellable_qty(self):
        """The unreserved stock of the rule's location that product_expiry removes from sale by
        the rule's horizon: Odoo's forecast (the position) leaves it out already, the stock on
        hand does not. A lot past its removal date sells nothing from today."""
        self.ensure_one()
        if not self.product_id.use_expiration_date or self.product_uom.compare(self.qty_on_hand, 0.0) <= 0:
            return 0.0
        [(quantity, reserved)] = self.env["stock.quant"]._read_group([
            ("product_id", "=", self.product_id.id), ("location_id", "child_of", self.location_id.id),
            ("removal_date", "<=", self._get_product_context()["to_date"]),
        ], aggregates=["quantity:sum", "reserved_quantity:sum"])
        return max((quantity or 0.0) - (reserved or 0.0), 0.0)
