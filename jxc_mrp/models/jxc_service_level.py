from odoo import api, models
from odoo.tools import SQL


class JxcServiceLevel(models.AbstractModel):
    """A kit is sold as its components (sale_mrp): the delivery moves of a kit's line are one
    line of the delivery, filled as much as its least filled component, as Odoo delivers a kit
    only whole (its delivered quantity is the fewest kits its components make). A kit short of
    one of its components is not delivered, whatever the others."""

    _inherit = "jxc.service.level"

    @api.model
    def _get_fill_line_sql(self, move):
        self.env["stock.move"].flush_model(["bom_line_id", "sale_line_id"])
        return SQL("CASE WHEN %(move)s.bom_line_id IS NOT NULL THEN %(move)s.sale_line_id END", move=move)
