"""Issue 17: the policy backtest draws each replayed order's lead time from the vendor's real
receipts, and puts the real cycle service level beside the replayed ones
(``safety_common``'s history plus a third Gadget receipt from vendor A, ordered on 16 June and
received on 26 June, and a Gadget sale of 12 on 22 June of which the first delivery ships 10,
the backorder the next day):

* Gadget: vendor A's receipts of it took 4, 6 and 10 days: the replay draws from those three;
* Parka: bought from vendor A too but never received: vendor A's receipts of any product
  (the same three);
* Widget: its vendor (B, grade A) never delivered anything: the rule's lead time, 3 days
  promised, without deviation.

Real cycles of the Gadget: the days before each receipt (6, 15 and 26 June) back to the
previous one; the one of 15-25 June holds the short first delivery: 2 of 3 cycles in full.
The Widget came from an inventory adjustment (no receipt) and always shipped in full: 100 %.
"""

from freezegun import freeze_time

from odoo.tests import tagged

from ..tools.company_day import company_today
from .safety_common import SafetyStockCommon


@tagged("post_install", "-at_install")
class TestBacktestLeadTimes(SafetyStockCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time("2025-06-16 02:00:00"):
            order = cls._create_purchase(cls.vendor_a, [(cls.product_2, 20.0, 4.0)])
        with freeze_time("2025-06-26 02:00:00"):
            cls._receive(order)
        cls._sell_in_two(cls.customer_a, cls.product_2, 12.0, 10.0, "2025-06-22 02:00:00", "2025-06-23 02:00:00")

    def test_lead_times_drawn_from_real_receipts(self):
        self._compute()
        Backtest = self.env["jxc.policy.backtest"]
        lines = {line.product_id: line for line in Backtest._run(self.company)}
        sources = {
            product: (lines[product].replay_lead_time_source, lines[product].replay_lead_time_receipts,
                      lines[product].replay_lead_time)
            for product in (self.product_1, self.product_2, self.product_4)
        }
        self.assertEqual(sources, {
            self.product_2: ("product", 3, 6.67),  # (4 + 6 + 10) / 3
            self.product_4: ("vendor", 3, 6.67),
            self.product_1: ("rule", 0, 3.0),
        })
        self.assertEqual((lines[self.product_2].actual_csl, lines[self.product_1].actual_csl), (66.67, 100.0))
        # what the replay draws from, receipt by receipt
        engine = self.env["jxc.planning.engine"]
        plans = {plan["product"]: plan for plan in engine._get_plans(self.company) if plan["has_history"]}
        receipts = Backtest._get_receipt_lead_times(self.company, list(plans.values()), company_today(self.company))
        self.assertEqual(Backtest._get_lead_time_draws(plans[self.product_2], receipts), ("product", [4.0, 6.0, 10.0]))
        self.assertEqual(Backtest._get_lead_time_draws(plans[self.product_1], receipts), ("rule", [3.0]))

    def test_days_to_purchase_before_each_receipt(self):
        """With 2 Days to Purchase in the company, Odoo's buy rule places an order 2 days after the
        minimum is crossed, then the vendor takes its days; the replayed receipts are counted
        from the order's confirmation, so the 2 days come on top of each."""
        self.company.days_to_purchase = 2.0
        self._compute()
        Backtest = self.env["jxc.policy.backtest"]
        lines = {line.product_id: line for line in Backtest._run(self.company)}
        self.assertEqual({
            product: (lines[product].replay_lead_time_source, lines[product].replay_lead_time_receipts,
                      lines[product].replay_lead_time)
            for product in (self.product_1, self.product_2, self.product_4)
        }, {
            self.product_2: ("product", 3, 8.67),  # 2 + (4 + 6 + 10) / 3
            self.product_4: ("vendor", 3, 8.67),
            self.product_1: ("rule", 0, 5.0),      # vendor B's 3 days promised, + 2 in the rule's lead time
        })
        plans = {plan["product"]: plan for plan in self.env["jxc.planning.engine"]._get_plans(self.company)}
        receipts = Backtest._get_receipt_lead_times(self.company, [plans[self.product_2]], company_today(self.company))
        self.assertEqual(Backtest._get_lead_time_draws(plans[self.product_2], receipts), ("product", [6.0, 8.0, 12.0]))


@tagged("post_install", "-at_install")
class TestBacktestLeadTimesFewReceipts(SafetyStockCommon):
    def test_too_few_receipts_replay_the_rule(self):
        """Two receipts (``safety_common`` alone) say too little, to the backtest as to the rule:
        the Gadget's rule (the promised 5 days, no spread) is replayed with its 5 days."""
        self._compute()
        line = self.env["jxc.policy.backtest"]._run(self.company).filtered(lambda line: line.product_id == self.product_2)
        self.assertEqual((line.replay_lead_time_source, line.replay_lead_time_receipts), ("rule", 0))
        self.assertEqual((line.lead_time, line.lead_time_stddev, line.replay_lead_time), (5.0, 0.0, 5.0))
