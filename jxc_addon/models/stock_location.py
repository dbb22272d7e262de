from odoo import api, models


class StockLocation(models.Model):
    # A location moved under another parent (or warehouse), archived or given another type
    # changes the stock a reordering rule counts (its location and those below it) and the rules
    # Odoo finds from it. Renaming one, or a new one (empty, no rule yet), changes no line.
    _name = "stock.location"
    _inherit = ["stock.location", "jxc.purchase.plan.routing.mixin"]
    _jxc_plan_fields = frozenset({"location_id", "active", "usage"})
    _jxc_plan_new_read = False

    @api.ondelete(at_uninstall=False)
    def _unlink_except_count_plan_filter(self):
        # Odoo deletes a location's sub-locations with it: they are in self
        self.env["jxc.count.plan"]._check_filter_unlink("location_ids", self)
