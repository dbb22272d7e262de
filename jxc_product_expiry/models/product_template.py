from odoo import models
from odoo.addons.jxc_addon.tools.whole_units import is_counted_in_pieces
from odoo.tools import float_round

# what Odoo's forecast and the add-on's shelf-life limit of a product's lots read
SHELF_LIFE_FIELDS = frozenset({"use_expiration_date", "expiration_time", "removal_time"})


class ProductTemplate(models.Model):
    _inherit = "product.template"

    def write(self, vals):
        if SHELF_LIFE_FIELDS & vals.keys():
            self.env["jxc.purchase.plan.change"]._note((product.id, False) for product in self.product_variant_ids)
        return super().write(vals)

    def _jxc_get_sellable_days(self):
        """Days a lot received now can be sold: product_expiry stops counting it as available
        stock (free and forecast quantities with expiration, the FEFO removal) at its removal
        date, ``removal_time`` days before it expires; never negative."""
        self.ensure_one()
        return max(self.expiration_time - self.removal_time, 0)

    def _jxc_get_shelf_life_limit(self, demand, arrival_days, position, on_hand):
        """What a lot bought now can sell before it expires (whole units of goods counted in
        pieces), or None when the product has no expiration date or no ``demand`` (a day). The
        goods arrive in ``arrival_days`` and are sold after the stock in ``position`` (first
        expired, first out), at the demand, until their removal date, when product_expiry stops
        counting them as sellable stock (``_jxc_get_sellable_days``). Of the position, what is
        ``on_hand`` (still sellable) sells from today; the rest (on order) from its arrival, taken
        as no later than the new lot's: once the stock on hand is sold out before that, nothing
        sells until then, so an order placed earlier does not shorten the wait of the new lot.
        A position below zero (customers waiting) is served first by the new lot, on arrival."""
        self.ensure_one()
        if not self.use_expiration_date or self.expiration_time <= 0 or demand <= 0:
            return None
        waiting = max(-position, 0.0)
        position = max(position, 0.0)
        now_stock = min(max(on_hand, 0.0), position)
        on_order = position - now_stock
        selling_starts = now_stock / demand
        if on_order:
            selling_starts = max(selling_starts, arrival_days) + on_order / demand
        shelf_days = self._jxc_get_sellable_days() - max(0.0, selling_starts - arrival_days)
        # rounded down (to whole units of goods counted in pieces): what cannot be sold in time is not bought
        digits = 0 if is_counted_in_pieces(self.uom_id) else self.env["decimal.precision"].precision_get("Product Unit")
        return float_round(waiting + max(shelf_days, 0.0) * demand, precision_digits=digits, rounding_method="DOWN")
