import math

from odoo import api, models
from odoo.addons.jxc_addon.tools.whole_units import is_counted_in_pieces


class JxcPlanningEngine(models.AbstractModel):
    _inherit = "jxc.planning.engine"

    @api.model
    def _prepare_orderpoint_vals(self, plan, multiple):
        """The maximum of a product with an expiration date is no more than what sells between
        now and the removal of a lot ordered now (the lead time plus its sellable shelf life,
        ``_jxc_get_sellable_days``, at the average daily demand), so that Odoo's own scheduler does
        not buy what would expire unsold either; never below the reorder point. The order
        quantity between them stays a whole number of the rule's packaging multiple, as the
        engine rounds it, rounded down: a cap is not exceeded by rounding."""
        vals = super()._prepare_orderpoint_vals(plan, multiple)
        product = plan["product"]
        if product.use_expiration_date and product.expiration_time > 0 and plan["demand_mean"] > 0:
            sellable = plan["demand_mean"] * (plan["lead_time"] + product.product_tmpl_id._jxc_get_sellable_days())
            if sellable < vals["product_max_qty"]:
                reorder_point = vals["product_min_qty"]
                # the multiple Odoo rounds the rule's orders to (the engine's default: the
                # vendor's purchase unit, a made product's bill of materials' unit)
                step = multiple or self._get_default_multiple(plan) \
                    or (1.0 if is_counted_in_pieces(product.uom_id) else 0.0)
                if step:
                    # 12.000000001 packs (a float product) are 12
                    packs = math.floor(round(max(sellable - reorder_point, 0.0) / step, 6))
                    vals["product_max_qty"] = reorder_point + packs * step
                else:
                    # measured goods (kg, L) keep the fraction, rounded down to Odoo's precision
                    vals["product_max_qty"] = max(product.uom_id.round(sellable, rounding_method="DOWN"), reorder_point)
        return vals
