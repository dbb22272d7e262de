from odoo import api, models
from odoo.tools import float_round


class JxcPlanningEngine(models.AbstractModel):
    _inherit = "jxc.planning.engine"

    @api.model
    def _prepare_orderpoint_vals(self, plan, multiple):
        """The maximum of a product with an expiration date is no more than what sells between
        now and the expiry of a lot ordered now (the lead time plus its shelf life, at the
        average daily demand), so that Odoo's own scheduler does not buy what would expire
        unsold either; never below the reorder point."""
        vals = super()._prepare_orderpoint_vals(plan, multiple)
        product = plan["product"]
        if product.use_expiration_date and product.expiration_time > 0 and plan["demand_mean"] > 0:
            sellable = float_round(
                plan["demand_mean"] * (plan["lead_time"] + product.expiration_time),
                precision_digits=0, rounding_method="DOWN",
            )
            if sellable < vals["product_max_qty"]:
                vals["product_max_qty"] = max(sellable, vals["product_min_qty"])
        return vals
