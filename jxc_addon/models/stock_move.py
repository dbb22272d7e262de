from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..tools.client_defaults import check_client_defaults

# written by the count plan's posting alone: posting reads them to skip what it posted
COUNT_LINK_FIELDS = ("jxc_count_plan_id", "jxc_count_line_id", "jxc_count_reason_id", "jxc_accounting_date")


class StockMove(models.Model):
    _name = "stock.move"
    _inherit = ["stock.move", "jxc.purchase.plan.change.mixin"]
    # what the purchase plan reads of a move: its quantities on hand, incoming and outgoing
    _jxc_plan_fields = frozenset({
        "state", "product_id", "product_uom_qty", "product_uom", "date", "location_id", "location_dest_id", "company_id",
    })

    # Set on the adjustments posted by a count plan (盘点单): which plan, line and reason.
    jxc_count_plan_id = fields.Many2one(
        "jxc.count.plan", string="Count Plan", readonly=True, index="btree_not_null", copy=False)
    jxc_count_line_id = fields.Many2one(
        "jxc.count.line", string="Count Line", readonly=True, index="btree_not_null", copy=False)
    jxc_count_reason_id = fields.Many2one(
        "jxc.count.reason", string="Count Reason", readonly=True, copy=False, ondelete="restrict")
    jxc_accounting_date = fields.Date(string="Count Accounting Date", readonly=True, copy=False)

    @api.model_create_multi
    def create(self, vals_list):
        # moves Odoo creates as superuser (under the user's id) take no link from a client's defaults
        vals_list = check_client_defaults(self, vals_list, COUNT_LINK_FIELDS, self._check_jxc_count_link)
        return super().create(vals_list)

    def write(self, vals):
        self._check_jxc_count_link([vals])
        result = super().write(vals)
        if "date" in vals or "priority" in vals:
            # a receipt or delivery rescheduled, or starred: Odoo's forecast fills the orders'
            # deliveries in another order (priority first, then dates)
            self._jxc_recheck_warned_orders()
        return result

    def _action_confirm(self, merge=True, merge_into=False, create_proc=True):
        moves = super()._action_confirm(merge=merge, merge_into=merge_into, create_proc=create_proc)
        # a purchase confirmed brings stock in time, another order's delivery may take it
        moves._jxc_recheck_warned_orders()
        return moves

    def _action_assign(self, force_qty=False):
        result = super()._action_assign(force_qty=force_qty)
        # stock reserved for a delivery is Odoo's forecast's for it first, before earlier dates
        self._jxc_recheck_warned_orders()
        return result

    def _do_unreserve(self):
        result = super()._do_unreserve()
        # the stock is the forecast's again, for the earliest delivery
        self._jxc_recheck_warned_orders()
        return result

    def _action_cancel(self):
        result = super()._action_cancel()
        # the stock another order's delivery was to take is free, or a receipt is not coming
        self._jxc_recheck_warned_orders()
        return result

    def _action_done(self, cancel_backorder=False):
        moves = super()._action_done(cancel_backorder=cancel_backorder)
        # stock delivered or received: the confirmed orders warned of a shortage of these
        # products may be covered now (their warning and to-dos go once no line is short)
        moves.filtered(lambda move: move.state == "done")._jxc_recheck_warned_orders()
        return moves

    def _jxc_recheck_warned_orders(self):
        """Have the confirmed orders warned of a shortage of these moves' products rechecked
        before the transaction commits: Odoo's availability widget follows every move at once,
        the warning and its to-dos must not stand beside it."""
        self.env["sale.order"]._jxc_recheck_warned_orders(self.product_id)

    @api.model
    def _check_jxc_count_link(self, vals_list):
        """Only a count plan's posting (as superuser) links a move to it: a move linked by
        hand would make the posting skip that line as already posted."""
        if not self.env.su and any(fname in vals for vals in vals_list for fname in COUNT_LINK_FIELDS):
            raise AccessError(self.env._(
                "Stock moves are linked to a stocktake by its posting only; post the stocktake instead.",
            ))
