from collections import defaultdict

from odoo import api, models
from odoo.addons.jxc_addon.models.jxc_stock_valuation import FOREVER
from odoo.tools import SQL


class JxcStockValuation(models.AbstractModel):
    _inherit = "jxc.stock.valuation"

    @api.model
    def _get_late_in_values(self, company, products, boundaries):
        """Also the receipts whose value a landed cost changed after a boundary: Odoo counts a
        landed cost from its date (stock_landed_costs ``_get_value_from_extra``), while the
        move's stored value already includes it. Those are valued by Odoo's own
        ``_get_value(at_date=...)`` too; a day's margin around the date only asks Odoo more.
        A receipt valued at the product's cost (no purchase line) is asked at every date
        after it: its landed cost adds to today's cost, not to the cost in the stored value."""
        result = super()._get_late_in_values(company, products, boundaries)
        self.env["stock.valuation.adjustment.lines"].flush_model(["move_id", "cost_id"])
        self.env["stock.landed.cost"].flush_model(["state", "date"])
        rows = self.env.execute_query(SQL(
            """
            SELECT m.id, m.date,
                   CASE WHEN m.purchase_line_id IS NULL THEN %(forever)s::timestamp
                        ELSE lc.date::timestamp + interval '1 day' END
              FROM stock_valuation_adjustment_lines al
              JOIN stock_landed_cost lc ON lc.id = al.cost_id AND lc.state = 'done'
              JOIN stock_move m ON m.id = al.move_id
             WHERE m.company_id = %(company)s AND m.product_id = ANY(%(ids)s)
               AND (m.purchase_line_id IS NULL OR lc.date::timestamp + interval '1 day' > m.date)
            """,
            company=company.id, ids=products.ids, forever=FOREVER,
        ))
        todo = defaultdict(set)
        for move_id, move_date, known_from in rows:
            for boundary in boundaries:
                if move_date < boundary <= known_from and move_id not in result.get(boundary, {}):
                    todo[boundary].add(move_id)
        for boundary, move_ids in todo.items():
            at = self._get_value_instant(company, boundary)
            moves = self.env["stock.move"].browse(sorted(move_ids)).with_company(company).sudo()
            result.setdefault(boundary, {}).update({move.id: move._get_value(at_date=at) for move in moves})
        return result
