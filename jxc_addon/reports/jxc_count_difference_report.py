"""The stocktake's loss and gain reports (报损单 / 报溢单): book quantities, differences and
their values, for inventory control managers only. The report action's groups only hide the
Print menu; Odoo's report route renders any report for whoever may read the records, so the
check is here, where the values are read."""

from odoo import api, models
from odoo.exceptions import AccessError


class ReportJxcCountDifference(models.AbstractModel):
    _name = "report.jxc_addon.report_jxc_count_loss"
    _description = "JXC Stocktake Loss Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        if not self.env.user.has_group("jxc_addon.group_jxc_manager"):
            raise AccessError(self.env._(
                "Only inventory control managers can print the loss and gain reports of a stocktake: they show "
                "the book quantities and the values of the differences.",
            ))
        plans = self.env["jxc.count.plan"].browse(docids)
        plans.check_access("read")
        return {"doc_ids": docids, "doc_model": "jxc.count.plan", "docs": plans}


class ReportJxcCountGain(models.AbstractModel):
    _name = "report.jxc_addon.report_jxc_count_gain"
    _inherit = ["report.jxc_addon.report_jxc_count_loss"]
    _description = "JXC Stocktake Gain Report"
