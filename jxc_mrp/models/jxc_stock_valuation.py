from odoo import api, models
from odoo.tools import SQL


class JxcStockValuation(models.AbstractModel):
    _inherit = "jxc.stock.valuation"

    @api.model
    def _get_at_cost_conditions(self):
        # what a manufacturing order makes is valued at its production cost (mrp_account's
        # _get_value_from_production: its price unit), at every date: its stored value
        return [*super()._get_at_cost_conditions(), SQL("m.production_id IS NULL")]
