"""How the safety stock groups its writes to Odoo's reordering rules: only changed fields,
a value many rules share in one ``write``, minimum and maximum always together."""

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestOrderpointWriteGroups(TransactionCase):
    def test_shared_values_written_once_own_values_per_rule(self):
        """8 rules whose service level went from 95 to 97 %: the level and z are shared (one
        write each); the quantities take 2 values over the 8 rules (written per value, the
        minimum with its maximum); the demand means are all different (per rule)."""
        updates = [
            (index, {
                "jxc_service_level": 97.0, "jxc_z": 1.8808,
                "product_min_qty": 10.0 if index % 2 else 20.0, "product_max_qty": 30.0 if index % 2 else 40.0,
                "jxc_demand_mean": 0.1 * index,
            })
            for index in range(1, 9)
        ]
        writes = self.env["jxc.planning.engine"]._group_orderpoint_writes(updates)
        self.assertEqual(writes[(("jxc_service_level", 97.0),)], list(range(1, 9)))
        self.assertEqual(writes[(("jxc_z", 1.8808),)], list(range(1, 9)))
        self.assertEqual(writes[(("product_max_qty", 30.0), ("product_min_qty", 10.0))], [1, 3, 5, 7])
        self.assertEqual(writes[(("product_max_qty", 40.0), ("product_min_qty", 20.0))], [2, 4, 6, 8])
        self.assertEqual(writes[(("jxc_demand_mean", 0.1 * 3),)], [3])
        self.assertEqual(len(writes), 4 + 8)
        # every rule gets every changed field exactly once
        received = {}
        for items, ids in writes.items():
            for orderpoint_id in ids:
                for fname, value in items:
                    self.assertNotIn((orderpoint_id, fname), received)
                    received[orderpoint_id, fname] = value
        self.assertEqual(received, {(i, f): v for i, changed in updates for f, v in changed.items()})

    def test_few_rules_written_per_rule(self):
        """Two rules with different minimums: nothing is shared by 4 rules, one write per rule."""
        updates = [(1, {"product_min_qty": 1.0, "jxc_z": 1.0}), (2, {"product_min_qty": 2.0, "jxc_z": 1.0})]
        writes = self.env["jxc.planning.engine"]._group_orderpoint_writes(updates)
        self.assertEqual(dict(writes), {
            (("jxc_z", 1.0), ("product_min_qty", 1.0)): [1], (("jxc_z", 1.0), ("product_min_qty", 2.0)): [2],
        })
