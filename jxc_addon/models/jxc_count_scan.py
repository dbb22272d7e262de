from odoo import fields, models


class JxcCountScan(models.Model):
    """One entry of the scanning screen: what a scan or a typed quantity changed on a count line.

    The screen's *Undo* restores the line exactly from the last entry of the user (also after a
    page reload): the previous count, its count time, counter and moves before the count, or
    removes the line the scan had added.
    """

    _name = "jxc.count.scan"
    _description = "Count Scan"
    _order = "id desc"

    plan_id = fields.Many2one("jxc.count.plan", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="plan_id.company_id", store=True)
    line_id = fields.Many2one("jxc.count.line", ondelete="cascade", index=True)
    user_id = fields.Many2one("res.users", required=True, default=lambda self: self.env.user, index=True)
    barcode = fields.Char(help="The barcode scanned; empty when the quantity was typed.")
    request_key = fields.Char(
        readonly=True, copy=False,
        help="The key the screen gave the scan: the same scan sent again (its answer was lost on the way "
        "back) finds this entry and is not counted twice.",
    )
    new_qty = fields.Float(digits="Product Unit", help="The counted quantity the entry left on the line.")
    new_counted_at = fields.Datetime()
    label_expiry_date = fields.Date(
        help="The expiry date read from the scanned GS1 label (AI 17), kept also where the lot records no "
        "expiration date.",
    )
    created_line = fields.Boolean(help="The scan added the line (goods found where the book has none).")
    created_lot_id = fields.Many2one(
        "stock.lot", string="Lot Created", ondelete="set null",
        help="The lot the scan created from a GS1 label Odoo did not know; undoing the scan removes it "
        "again while nothing else refers to it.",
    )
    prev_counted = fields.Boolean()
    prev_qty = fields.Float(digits="Product Unit")
    prev_counted_at = fields.Datetime()
    prev_counted_by_id = fields.Many2one("res.users")
    # the line's moves before the count, a manager's field: on hand minus it is the book
    prev_moved_qty = fields.Float(digits="Product Unit", groups="jxc_addon.group_jxc_manager")
    # the last move line the stock was read after: adjustments made later are found again
    prev_moves_seen_id = fields.Integer(groups="jxc_addon.group_jxc_manager")
    # the review a recount's scan reset (an approved line counted again), a manager's too
    prev_review_state = fields.Char(groups="jxc_addon.group_jxc_manager")
    prev_approved_by_id = fields.Many2one("res.users", groups="jxc_addon.group_jxc_manager")

    # one entry per key and counter on a plan: two copies of a scan racing cannot both count, and
    # another counter's (or plan's) key never hides a scan
    _request_key_uniq = models.UniqueIndex("(plan_id, user_id, request_key) WHERE request_key IS NOT NULL")
