from odoo import models
from odoo.exceptions import UserError


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    def action_revert_inventory(self):
        """Moves History's Revert Inventory Adjustment, not of an adjustment a stocktake (盘点单)
        posted: the stocktake's loss and gain, its accuracy and the cycle counts' history keep
        what it booked, and the reverting move would be a new count of the product that no
        one counted. Such a difference is corrected by counting again."""
        posted = self.filtered(lambda line: line.is_inventory and line.move_id.jxc_count_plan_id)
        if posted:
            line = posted[:1].sudo()
            raise UserError(self.env._(
                "The adjustment of %(product)s was posted by stocktake %(plan)s, whose losses, gains and accuracy "
                "keep it: it cannot be reverted here. Count the product again (a new stocktake) to correct it.",
                product=line.product_id.display_name, plan=line.move_id.jxc_count_plan_id.name,
            ))
        return super().action_revert_inventory()
