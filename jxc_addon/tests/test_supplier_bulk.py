from freezegun import freeze_time

from odoo.tests import tagged

from .common_supplier_graded import JxcSupplierGradedCommon

EVALUATION_FIELDS = [
    "partner_id", "score", "grade", "has_previous", "previous_score", "score_change", "purchase_amount", "ordered_qty",
    "received_qty", "on_time_qty", "returned_qty", "incident_qty", "on_time_rate", "lead_time_mean",
    "lead_time_stddev", "lead_time_count", "risk", "risk_reason",
]
LINE_FIELDS = ["criterion_id", "has_data", "raw_value", "score", "weight", "weight_used", "weighted_score"]


@tagged("post_install", "-at_install")
class TestSupplierBulk(JxcSupplierGradedCommon):
    """Recomputing a period updates the evaluations and their lines in bulk: the same values
    as the first computation (which creates them through the ORM), also after the data
    changed, and a query count that does not grow with the number of vendors."""

    def _snapshot(self, period):
        period.invalidate_recordset()
        self.env.invalidate_all()
        return {
            evaluation.partner_id.id: (
                {k: v for k, v in evaluation.read(EVALUATION_FIELDS)[0].items() if k != "id"},
                sorted((line.criterion_id.id, tuple(line.read(LINE_FIELDS)[0][f] for f in LINE_FIELDS[1:]))
                       for line in evaluation.line_ids),
            )
            for evaluation in period.evaluation_ids
        }

    def test_recompute_same_values_as_create(self):
        (self.february | self.march).action_compute()
        created = self._snapshot(self.march)
        self.assertEqual(len(created), 3)
        ids = self.march.evaluation_ids.ids
        self.march.action_compute()
        self.assertEqual(self._snapshot(self.march), created)
        self.assertEqual(self.march.evaluation_ids.ids, ids, "recomputing updates, never recreates")
        # B's February receipt is returned in March: its quality drops; a fresh computation
        # (evaluations deleted first) gives exactly what the bulk update wrote
        with freeze_time("2025-03-25 02:00:00"):
            self._return_picking(self.po_b1.picking_ids, {self.product_1: 5.0})
        self.march.action_compute()
        updated = self._snapshot(self.march)
        self.assertNotEqual(updated[self.vendor_b.id], created[self.vendor_b.id])
        self.assertAlmostEqual(updated[self.vendor_b.id][0]["returned_qty"], 5.0)
        self.march.evaluation_ids.unlink()  # the test runs in superuser mode
        self.march.action_compute()
        self.assertEqual(self._snapshot(self.march), updated)
        self.assertEqual(self.vendor_b.with_company(self.company).jxc_supplier_score,
                         round(updated[self.vendor_b.id][0]["score"], 1))

    def _count_queries(self, period):
        period.action_compute()  # warm the caches
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        period.action_compute()
        return self.env.cr.sql_log_count - before

    def test_query_count_flat(self):
        """Recomputing a period of 3 or 7 vendors runs the same number of queries."""
        self.february.action_compute()
        three = self._count_queries(self.march)
        for i in range(4):
            vendor = self.env["res.partner"].create({"name": "JXC Flat Vendor %s" % i, "supplier_rank": 1})
            with freeze_time("2025-03-04 02:00:00"):
                order = self._create_purchase(vendor, [(self.product_2, 5.0 + i, 4.5)], date_planned="2025-03-15 04:00:00")
            with freeze_time("2025-03-15 02:00:00"):
                self._receive(order)
        self.assertEqual(len(self.march.evaluation_ids), 3)
        seven = self._count_queries(self.march)
        self.assertEqual(len(self.march.evaluation_ids), 7)
        self.assertEqual(three, seven)
