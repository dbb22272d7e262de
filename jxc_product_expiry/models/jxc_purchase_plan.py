from odoo import api, fields, models
from odoo.addons.jxc_addon.tools.company_day import company_today


class JxcPurchasePlan(models.Model):
    _inherit = "jxc.purchase.plan"

    is_shelf_life_capped = fields.Boolean(
        string="Capped by Shelf Life", readonly=True,
        help="The product has an expiration date and a measured demand: the suggested quantity never exceeds "
        "what sells before expiry (Sellable Before Expiry), which may be nothing at all.",
    )
    shelf_life_limit_qty = fields.Float(
        string="Sellable Before Expiry", readonly=True, digits="Product Unit",
        help="For products with an expiration date: the demand over the sellable shelf life (up to the lot's "
        "removal date) a lot bought now has left once the stock in position is sold. The suggested quantity "
        "never exceeds it, not even to reach the vendor's minimum, so the plan does not buy what would expire "
        "unsold.",
    )

    @api.model
    def _refresh(self, company, orderpoints=None, **kwargs):
        lines = super()._refresh(company, orderpoints=orderpoints, **kwargs)
        self._apply_shelf_life_limit(lines.sudo(), company)
        return lines

    @api.model
    def _apply_shelf_life_limit(self, lines, company):
        """Cap the suggestion of products with an expiration date (``_get_shelf_life_limit``)."""
        today = company_today(company)
        for line in lines:
            limit = line._get_shelf_life_limit(
                line.qty_position, line.qty_on_hand - line.orderpoint_id._jxc_get_unsellable_qty(), today)
            if limit is None:
                # no cap any more (no demand, or no expiration date): none is shown either
                if line.is_shelf_life_capped or line.shelf_life_limit_qty:
                    line.write({"is_shelf_life_capped": False, "shelf_life_limit_qty": 0.0})
                continue
            vals = {"is_shelf_life_capped": True, "shelf_life_limit_qty": limit}
            if line.product_uom_id.compare(line.suggested_qty, limit) > 0:
                vals["suggested_qty"] = limit
            line.write(vals)

    @api.model
    def _get_unsellable_quantities(self, company, orderpoints):
        """Also the unreserved stock of lots past their removal date, which Odoo no longer
        reserves for deliveries nor counts as free (product_expiry's ``with_expiration`` of
        today, as the products' quantities the refresh reads)."""
        result = super()._get_unsellable_quantities(company, orderpoints)
        expiring = orderpoints.filtered(lambda orderpoint: orderpoint.product_id.use_expiration_date)
        for orderpoint_id, (quantity, reserved) in self._sum_rule_quants(
                expiring, [("removal_date", "<=", fields.Date.today())]).items():
            result[orderpoint_id] = result.get(orderpoint_id, 0.0) + max(quantity - reserved, 0.0)
        return result

    def _limit_rfq_quantity(self, qty, today):
        """Create RFQs orders no more than what sells before expiry, from the stock in
        position and on hand now (the rule's, recomputed just before), also where the vendor's
        minimum is more: as the line shows, and as Odoo's scheduler orders the rule."""
        qty = super()._limit_rfq_quantity(qty, today)
        orderpoint = self.orderpoint_id
        limit = self._get_shelf_life_limit(
            orderpoint.qty_forecast, orderpoint.qty_on_hand - orderpoint._jxc_get_unsellable_qty(), today)
        return qty if limit is None else min(qty, limit)

    def _is_limited_to_nothing(self, unlimited_qty):
        # the rule's own quantity to order is capped too (stock.warehouse.orderpoint): 0 by the cap
        return super()._is_limited_to_nothing(unlimited_qty) or (
            self.is_shelf_life_capped and self.product_uom_id.compare(self.shelf_life_limit_qty, 0.0) <= 0)

    def _get_rfq_limit_message(self):
        return self.env._(
            "Nothing ordered for %(products)s: no more of them would sell before expiry (Sellable Before Expiry "
            "0): what is on hand and on order already covers their shelf life. The plan lines are refreshed.",
            products=", ".join(self.product_id.mapped("display_name")),
        )

    def _get_shelf_life_limit(self, position, on_hand, today):
        """What a lot bought now from the line's vendor, arriving on the expected date, can sell
        before it expires (``product.template._jxc_get_shelf_life_limit``), or None."""
        self.ensure_one()
        arrival_days = (self.expected_date - today).days if self.expected_date else 0
        return self.product_id.product_tmpl_id._jxc_get_shelf_life_limit(
            self.demand_mean, arrival_days, position, on_hand,
        )
