from odoo import api, models
from odoo.fields import Domain


class JxcPlanningEngine(models.AbstractModel):
    _inherit = "jxc.planning.engine"

    @api.model
    def _get_product_domain(self, company):
        # mrp refuses a reordering rule for a kit (stock.warehouse.orderpoint's
        # check_product_is_not_kit) and leaves kits out of the replenishment report: a kit
        # is sold as its components, whose deliveries are the demand the engine counts.
        return super()._get_product_domain(company) & Domain("is_kits", "=", False)
