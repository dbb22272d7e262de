"""The add-on's inventory value equals Odoo's own valuation at the month end, to the cent.

Every case runs real Odoo flows (receipts, deliveries, vendor bills, cost changes, returns,
consignment, transfers between warehouses) mid-month, then compares the month-end snapshot of
the product with ``product.with_context(to_date=month end).total_value`` — what Odoo's stock
valuation report shows "at date". The company runs on Asia/Shanghai and no document is dated
on the last day of a month, so Odoo's UTC day and the company's month end agree.
"""

from datetime import date

from freezegun import freeze_time

from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from .common import JxcCommon
from .valuation_common import JxcValuationCommon


def values_now(env, company, product):
    """(Odoo's ``total_value`` of ``product`` now, the add-on's stock value now), rounded."""
    env.flush_all()
    with freeze_time("2026-01-15 04:00:00"):
        odoo = round(product.with_company(company).total_value, 2)
        values = env["jxc.stock.valuation"]._get_stock_values_at(company, product_ids=product.ids)
    return odoo, round(sum(value for _qty, value, _state in values.values()), 2)


@tagged("post_install", "-at_install")
class TestValuationEqualsOdoo(JxcValuationCommon):
    def test_bill_at_another_price_average(self):
        """Buy 10 at 10, deliver 8, bill at 12: Odoo re-values the receipt, 2 left worth 24."""
        product = self._product("average", code="BILL")
        order = self._buy(self.vendor_a, [(product, 10, 10.0)], "2025-01-05 04:00:00")
        self._sell(self.customer_a, [(product, 8, 30.0)], "2025-01-10 04:00:00")
        self.assertEqualsOdoo(product, date(2025, 1, 31), 20.0)
        self._bill(order, {product: 12.0}, "2025-02-12")
        # the bill is dated February: January's value as known then stays 20, February's is 24
        self.assertEqualsOdoo(product, date(2025, 1, 31), 20.0)
        self.assertEqualsOdoo(product, date(2025, 2, 28), 24.0)

    def test_bill_at_another_price_fifo(self):
        product = self._product("fifo", code="BILLF")
        order = self._buy(self.vendor_a, [(product, 10, 10.0)], "2025-01-05 04:00:00")
        self._sell(self.customer_a, [(product, 8, 30.0)], "2025-01-10 04:00:00")
        self._bill(order, {product: 12.0}, "2025-01-15")
        self.assertEqualsOdoo(product, date(2025, 1, 31), 24.0)

    def test_average_cost_changed_by_hand(self):
        """10 on hand at 10, cost set to 12 (a product.value revaluation): 120."""
        product = self._product("average", code="REVAL")
        self._buy(self.vendor_a, [(product, 10, 10.0)], "2025-01-05 04:00:00")
        with freeze_time("2025-02-10 04:00:00"):
            product.with_company(self.company).standard_price = 12.0
        self.assertEqualsOdoo(product, date(2025, 1, 31), 100.0)
        self.assertEqualsOdoo(product, date(2025, 2, 28), 120.0)

    def test_bill_reset_to_draft(self):
        """Bought 10 at 10, billed at 12, the bill reset to draft: Odoo leaves a bill that is
        not posted out at every date, while the move's stored value still holds 120."""
        product = self._product("average", code="DRAFTBILL")
        order = self._buy(self.vendor_a, [(product, 10, 10.0)], "2025-01-05 04:00:00")
        bill = self._bill(order, {product: 12.0}, "2025-01-15")
        self.assertEqualsOdoo(product, date(2025, 1, 31), 120.0)
        with freeze_time("2025-02-03 04:00:00"):
            bill.button_draft()
        self.assertEqualsOdoo(product, date(2025, 1, 31), 100.0)
        self.assertEqualsOdoo(product, date(2025, 2, 28), 100.0)

    def test_standard_price_now_after_a_cost_method_switch(self):
        """Average cost 16 after buying 100 at 16 (cost 10 before), then the category switched to
        standard price: Odoo keeps 16 without a cost record, today's value is 1,600."""
        product = self._product("average", code="SWITCH")
        product.categ_id = self._create_category("JXC switched", "average")
        self._buy(self.vendor_a, [(product, 100, 16.0)], "2025-01-05 04:00:00")
        product.categ_id.with_company(self.company).property_cost_method = "standard"
        self.env.flush_all()
        odoo, ours = values_now(self.env, self.company, product)
        self.assertEqual((odoo, ours), (1600.0, 1600.0))

    def test_standard_price_at_date(self):
        """Standard price: the price in force at the month end, whatever the PO price."""
        product = self._product("standard", cost=10.0, code="STD")
        self._buy(self.vendor_a, [(product, 10, 11.0)], "2025-01-05 04:00:00")
        with freeze_time("2025-02-10 04:00:00"):
            product.with_company(self.company).standard_price = 15.0
        self._sell(self.customer_a, [(product, 4, 30.0)], "2025-02-12 04:00:00")
        self.assertEqualsOdoo(product, date(2025, 1, 31), 100.0)
        self.assertEqualsOdoo(product, date(2025, 2, 28), 90.0)

    def test_fifo_layers(self):
        product = self._product("fifo", cost=5.0, code="FIFO")
        self._buy(self.vendor_a, [(product, 10, 5.0)], "2025-01-05 04:00:00")
        self._buy(self.vendor_a, [(product, 10, 7.0)], "2025-01-06 04:00:00")
        self._sell(self.customer_a, [(product, 15, 9.0)], "2025-01-20 04:00:00")
        self.assertEqualsOdoo(product, date(2025, 1, 31), 35.0)
        # the entry point of the other analyses: the stock now, from the quants
        now = self.env["jxc.stock.valuation"]._get_stock_values_at(self.company)
        self.assertEqual(now[product.id, self.warehouse.id], (5.0, 35.0, False))

    def test_returns_both_ways_average(self):
        product = self._product("average", code="RET")
        self._flow_with_returns(product)
        # 20 at 11.5 = 230; 6 delivered: 161; 2 back at 11.5: 184; 3 back to vendor A at 11.5: 149.5
        self.assertEqualsOdoo(product, date(2025, 1, 31), 149.5)

    def test_consignment_is_worth_nothing(self):
        """Goods received owned by the vendor are not the company's: valued 0 by Odoo."""
        product = self._product("average", code="CONS")
        self._buy(self.vendor_a, [(product, 10, 10.0)], "2025-01-05 04:00:00")
        with freeze_time("2025-01-05 04:00:00"):
            picking = self._receive_consigned(product, 5.0, self.vendor_b)
        self.assertEqual(picking.move_line_ids.owner_id, self.vendor_b)
        self.assertEqualsOdoo(product, date(2025, 1, 31), 100.0)

    def test_consignment_fifo_known_difference(self):
        """The one case where the add-on departs from Odoo's figure on purpose. For FIFO, Odoo 19
        does not filter owners out of the quantity (``_with_valuation_context``: "the value is
        already computed based on the owner"): the consigned units deepen the FIFO stack into
        older own receipts, so 5 consigned units add 5 x 10 to the value. The add-on keeps
        consignment at nothing for every cost method: the 12 own units, 10 at 14 + 2 at 10."""
        product = self._product("fifo", code="CONSF")
        self._buy(self.vendor_a, [(product, 10, 10.0)], "2025-01-05 04:00:00")
        self._buy(self.vendor_a, [(product, 10, 14.0)], "2025-01-06 04:00:00")
        self._sell(self.customer_a, [(product, 8, 30.0)], "2025-01-10 04:00:00")
        with freeze_time("2025-01-12 04:00:00"):
            self._receive_consigned(product, 5.0, self.vendor_b)
        month_end = date(2025, 1, 31)
        self.assertEqual((self._odoo(product, month_end), self._ours(product, month_end)), (210.0, 160.0))

    def test_inter_warehouse_transfer_through_transit(self):
        """Stock on its way between two own warehouses is still the company's: valued, on a
        row without warehouse; each warehouse holds its share as Odoo's warehouse filter."""
        product = self._product("average", code="TRANS")
        transit = self.company.internal_transit_location_id
        transit.active = True  # as Odoo does when routes between warehouses are set up
        self._buy(self.vendor_a, [(product, 10, 10.0)], "2025-01-05 04:00:00")
        self._buy(self.vendor_a, [(product, 10, 14.0)], "2025-01-06 04:00:00")
        with freeze_time("2025-01-10 04:00:00"):
            for source, dest, qty in ((self.stock_location, transit, 8.0), (transit, self.warehouse_2.lot_stock_id, 5.0)):
                self._move_picking(self.warehouse.int_type_id, source, dest, product, qty)
        month_end = date(2025, 1, 31)
        self.assertEqualsOdoo(product, month_end, 240.0)
        self.assertEqualsOdoo(product, month_end, 144.0, warehouse=self.warehouse)
        self.assertEqualsOdoo(product, month_end, 60.0, warehouse=self.warehouse_2)
        with freeze_time("2026-01-15 04:00:00"):
            rows = self.env["jxc.inventory.snapshot"]._prepare_month_vals(self.company, month_end)
        transit_row = [r for r in rows if r["product_id"] == product.id and not r["warehouse_id"]]
        self.assertEqual([(r["quantity"], r["value"]) for r in transit_row], [(3.0, 36.0)])

    def test_warehouses_add_up_to_odoos_value_to_the_cent(self):
        """10.00 of average-cost stock, one unit in each of WH, WH2 and transit: the rows are
        3.33, 3.34 and 3.33 (Odoo's 10.00), not three times 3.33 (9.99)."""
        product = self._product("average", code="CENT")
        transit = self.company.internal_transit_location_id
        transit.active = True
        for day, price in (("05", 3.0), ("06", 3.0), ("07", 4.0)):
            self._buy(self.vendor_a, [(product, 1, price)], f"2025-01-{day} 04:00:00")
        with freeze_time("2025-01-10 04:00:00"):
            for dest in (self.warehouse_2.lot_stock_id, transit):
                self._move_picking(self.warehouse.int_type_id, self.stock_location, dest, product, 1.0)
        self.assertEqualsOdoo(product, date(2025, 1, 31), 10.0)
        with freeze_time("2026-01-15 04:00:00"):
            rows = self.env["jxc.inventory.snapshot"]._prepare_month_vals(self.company, date(2025, 1, 31))
        values = sorted(r["value"] for r in rows if r["product_id"] == product.id)
        self.assertEqual(values, [3.33, 3.33, 3.34])

    def test_closed_month_is_frozen(self):
        """A bill dated in January but posted in February changes Odoo's value at January's end;
        the recorded January stays, February shows the difference as its revaluation."""
        Snapshot = self.env["jxc.inventory.snapshot"]
        product = self._product("average", code="FRZ")
        order = self._buy(self.vendor_a, [(product, 10, 10.0)], "2025-01-05 04:00:00")
        self._sell(self.customer_a, [(product, 8, 30.0)], "2025-01-10 04:00:00")
        with freeze_time("2025-02-01 05:00:00"):
            Snapshot._cron_take_snapshots()

        def rows(month_end):
            found = Snapshot.search([("product_id", "=", product.id), ("date", "=", month_end)])
            return [(s.opening_value, s.revaluation_value, s.value, s.is_live) for s in found]

        self.assertEqual(rows(date(2025, 1, 31)), [(0.0, 0.0, 20.0, True)])
        self._bill(order, {product: 12.0}, "2025-01-20", posted="2025-02-12")
        self.assertEqualsOdoo(product, date(2025, 1, 31), 24.0)  # Odoo's history moved
        with freeze_time("2025-03-01 05:00:00"):
            Snapshot._cron_take_snapshots()
        with freeze_time("2025-03-10 04:00:00"):
            Snapshot._backfill(self.company)  # the rebuild leaves recorded months alone
        self.assertEqual(rows(date(2025, 1, 31)), [(0.0, 0.0, 20.0, True)])
        self.assertEqual(rows(date(2025, 2, 28)), [(20.0, 4.0, 24.0, True)])
        self.assertEqualsOdoo(product, date(2025, 2, 28), 24.0)

    def test_foreign_currency_bill_perpetual(self):
        """Perpetual valuation (at invoicing), a purchase in another currency billed a month
        later at another rate: each month end equals Odoo's value as known then."""
        product = self._product("average", code="CUR")
        self.categories["average"].with_company(self.company).property_valuation = "real_time"
        foreign = self.env["res.currency"].with_context(active_test=False).search(
            [("name", "=", "EUR" if self.company.currency_id.name != "EUR" else "USD")])
        foreign.active = True
        self.env["res.currency.rate"].create([
            {"name": "2025-01-01", "currency_id": foreign.id, "rate": 2.0, "company_id": self.company.id},
            {"name": "2025-02-01", "currency_id": foreign.id, "rate": 2.5, "company_id": self.company.id},
        ])
        with freeze_time("2025-01-05 04:00:00"):
            order = self._create_purchase(self.vendor_a, [(product, 10, 20.0)], confirm=False)
            order.currency_id = foreign
            order.button_confirm()
            self._receive(order)
        self._sell(self.customer_a, [(product, 4, 30.0)], "2025-01-10 04:00:00")
        self._bill(order, {product: 20.0}, "2025-02-12")
        # January: 20 / 2.0 = 10 each, 6 left: 60; from February the bill's rate: 8 each, 6 left: 48
        self.assertEqualsOdoo(product, date(2025, 1, 31), 60.0)
        self.assertEqualsOdoo(product, date(2025, 2, 28), 48.0)


@tagged("post_install", "-at_install")
class TestValuationTwoCompanies(JxcCommon):
    """The same product in two companies: each company's month end is Odoo's own valuation
    in that company (its cost method, its moves), whatever the other does."""

    def test_each_company_its_own_value(self):
        company_b = self.env["res.company"].create({"name": "JXC Valuation Co B"})
        company_b.partner_id.tz = "Asia/Shanghai"
        self.env.user.company_ids |= company_b
        env_b = self.env(context=dict(self.env.context, allowed_company_ids=[company_b.id]))
        warehouse_b = env_b["stock.warehouse"].search([("company_id", "=", company_b.id)])
        self.category.with_company(self.company).property_cost_method = "standard"
        self.category.with_company(company_b).property_cost_method = "average"
        with freeze_time("2024-12-20 04:00:00"):
            product = self.env["product.product"].create(self._prepare_product_vals("JXC Shared", 10.0, 30.0, "JXC-SH"))
        self._buy(self.vendor_a, [(product, 10, 11.0)], "2025-01-05 04:00:00")
        for price in (16.0, 12.0):
            self._buy(self.vendor_a, [(product, 10.0, price)], "2025-01-05 04:00:00", warehouse=warehouse_b)
        self._sell(self.customer_a, [(product, 4.0, 30.0)], "2025-01-10 04:00:00", warehouse=warehouse_b)
        self.env.flush_all()
        for company, expected in ((self.company, 100.0), (company_b, 224.0)):
            # Odoo's report as a stock manager of that company sees it (its record rules keep
            # the other company's locations out of the quantity)
            user = new_test_user(self.env, login="jxc_val_%s" % company.id, company_id=company.id,
                                 company_ids=[Command.set(company.ids)], groups="stock.group_stock_manager")
            with freeze_time("2026-01-15 04:00:00"):
                odoo = round(product.with_user(user).with_context(to_date=date(2025, 1, 31)).total_value, 2)
                rows = self.env["jxc.inventory.snapshot"].with_company(company)._prepare_month_vals(company, date(2025, 1, 31))
            ours = round(sum(r["value"] for r in rows if r["product_id"] == product.id), 2)
            self.assertEqual((odoo, ours), (expected, expected), company.name)


@tagged("post_install", "-at_install")
class TestValuationAtTodaysCost(JxcCommon):
    """Odoo values an incoming move without a purchase, a delivery it returns or a manual value
    (an inventory gain) at the product's cost of today when it values a past date: the month
    end follows, as Odoo's own report does. Today's value (``total_value`` without a date)
    reads the value the move recorded, and so does the add-on's stock value now."""

    def _gain_then_buy(self, cost_method, code):
        """10 counted in at a cost of 10 (January), 10 bought at 20 (February)."""
        categ = self._create_category("JXC %s today" % cost_method, cost_method)
        with freeze_time("2024-12-20 04:00:00"):
            product = self.env["product.product"].create({
                **self._prepare_product_vals("JXC Gain " + code, 10.0, 30.0, code), "categ_id": categ.id})
        with freeze_time("2025-01-05 04:00:00"):
            self._set_on_hand(product, 10)
        self._buy(self.vendor_a, [(product, 10, 20.0)], "2025-02-05 04:00:00")
        self.assertEqual(product.with_company(self.company).standard_price, 15.0)
        self.env.flush_all()
        return product

    def test_inventory_gain_valued_now_at_its_recorded_value(self):
        """Now, the gain counts at the 100 it was recorded at, not at today's cost of 15:
        100 + 200 = 300 under average cost and FIFO alike, as Odoo's own ``total_value``."""
        for cost_method, code in (("average", "JXC-GAIN-NA"), ("fifo", "JXC-GAIN-NF")):
            product = self._gain_then_buy(cost_method, code)
            odoo, ours = values_now(self.env, self.company, product)
            self.assertEqual((odoo, ours), (300.0, 300.0), cost_method)

    def test_lot_valued_product_now(self):
        """A lot-valued product (each lot its own average cost): 10 counted into lot L at its
        cost of 10, then 10 bought into L at 20. Now, Odoo's lot value reads the recorded
        values, 100 + 200 = 300 (at a past date it would revalue the count at today's lot cost,
        15: 350); the add-on's stock value now is Odoo's."""
        categ = self._create_category("JXC average lots", "average")
        with freeze_time("2024-12-20 04:00:00"):
            product = self.env["product.product"].create({
                **self._prepare_product_vals("JXC Lot Valued", 10.0, 30.0, "JXC-LOTV"),
                "categ_id": categ.id, "tracking": "lot", "lot_valuated": True,
            })
        lot = self.env["stock.lot"].create({"name": "L-1", "product_id": product.id, "company_id": self.company.id})
        with freeze_time("2025-01-05 04:00:00"):
            self.env["stock.quant"].with_context(inventory_mode=True).create({
                "product_id": product.id, "location_id": self.stock_location.id, "lot_id": lot.id,
                "inventory_quantity": 10,
            }).action_apply_inventory()
        with freeze_time("2025-02-05 04:00:00"):
            order = self._create_purchase(self.vendor_a, [(product, 10, 20.0)])
            move = order.picking_ids.move_ids
            move.move_line_ids.write({"lot_id": lot.id, "quantity": 10})
            move.picked = True
            order.picking_ids.button_validate()
        self.env.flush_all()
        odoo, ours = values_now(self.env, self.company, product)
        self.assertEqual((odoo, ours), (300.0, 300.0))

    def test_inventory_gain_of_an_average_cost_product(self):
        product = self._gain_then_buy("average", "JXC-GAIN")
        with freeze_time("2026-01-15 04:00:00"):
            odoo = round(product.with_company(self.company).with_context(to_date=date(2025, 1, 31)).total_value, 2)
            rows = self.env["jxc.inventory.snapshot"]._prepare_month_vals(self.company, date(2025, 1, 31))
        ours = round(sum(r["value"] for r in rows if r["product_id"] == product.id), 2)
        self.assertEqual((odoo, ours), (150.0, 150.0))
