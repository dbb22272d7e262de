from datetime import date

from odoo.fields import Command
from odoo.tests import tagged

from .common_ui import JxcHttpCase


@tagged("post_install", "-at_install")
class TestSupplierUi(JxcHttpCase):
    """The supplier evaluation screens open in the real web client."""

    def test_supplier_evaluation_screens(self):
        company = self.env.company
        vendor = self.env["res.partner"].create({"name": "JXC Tour Vendor", "supplier_rank": 1})
        period = self.env["jxc.supplier.period"]._get_or_create_period(company, date(2025, 3, 1))
        criterion = self.env["jxc.supplier.criterion"]._get_jxc_criteria(company).filtered(
            lambda c: c.criterion_type == "on_time"
        )
        self.env["jxc.supplier.evaluation"].sudo().create({
            "period_id": period.id, "partner_id": vendor.id, "company_id": company.id,
            "score": 90.0, "grade": "a", "received_qty": 10.0, "on_time_qty": 9.0, "on_time_rate": 90.0,
            "line_ids": [Command.create({
                "criterion_id": criterion.id, "has_data": True, "raw_value": 90.0, "score": 90.0,
                "weight": 30.0, "weight_used": 100.0, "weighted_score": 90.0,
            })],
        })
        self.start_tour("/odoo", "jxc_supplier_evaluation_tour", login="admin")
