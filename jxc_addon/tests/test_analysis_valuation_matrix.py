"""The rest of the valuation matrix, through Odoo's flows: returns both ways of a FIFO product,
both valuation modes of Odoo 19 (``periodic`` at closing, ``real_time`` perpetual at
invoicing), a purchase billed in USD by a company keeping its books in CNY, lot-valued
products. Each month end equals Odoo's own ``total_value`` at that date, and a month recorded
by the monthly action does not move when a later document changes Odoo's history."""

from datetime import date

from freezegun import freeze_time

from odoo.fields import Command
from odoo.tests import tagged

from .valuation_common import JxcValuationCommon


@tagged("post_install", "-at_install")
class TestValuationMatrix(JxcValuationCommon):
    def _record_january(self):
        with freeze_time("2025-02-01 05:00:00"):
            self.env["jxc.inventory.snapshot"]._cron_take_snapshots()

    def _recorded(self, product, month_end=date(2025, 1, 31), company=None):
        rows = self.env["jxc.inventory.snapshot"].search([
            ("company_id", "=", (company or self.company).id), ("product_id", "=", product.id), ("date", "=", month_end),
        ])
        return round(sum(rows.mapped("value")), 2)

    def test_returns_both_ways_fifo(self):
        """10 at 10 and 10 at 13 in, 6 delivered, 2 returned by the customer, 3 returned to
        vendor A; January is recorded, then vendor A's bill (February) re-values its receipt."""
        product = self._product("fifo", code="RETF")
        order = self._flow_with_returns(product)
        # 13 left, the latest receipts first: 10 at 13, then 3 of the others
        self.assertEqualsOdoo(product, date(2025, 1, 31), 160.0)
        self._record_january()
        self._bill(order, {product: 11.0}, "2025-01-20", posted="2025-02-10")
        # the receipt of 10 is billed for the 7 kept at 11 (the 3 returned stay at 10): 10.70 each,
        # its last unit on hand: 130 + 20 + 10.70. Odoo's history moved
        self.assertEqualsOdoo(product, date(2025, 1, 31), 160.7)
        self.assertEqual(self._recorded(product), 160.0)  # the recorded month did not

    def _bill_after_closing(self, mode, code):
        """10 at 10 and 10 at 16 in, 5 delivered, January recorded at 13 each; then vendor A
        bills its 10 at 12, dated in January but posted in February."""
        self.categories["average"].with_company(self.company).property_valuation = mode
        product = self._product("average", code=code)
        self.assertEqual(product.with_company(self.company).valuation, mode)
        order = self._buy(self.vendor_a, [(product, 10, 10.0)], "2025-01-05 04:00:00")
        self._buy(self.vendor_b, [(product, 10, 16.0)], "2025-01-06 04:00:00")
        self._sell(self.customer_a, [(product, 5, 30.0)], "2025-01-10 04:00:00")
        self.assertEqualsOdoo(product, date(2025, 1, 31), 195.0)
        self._record_january()
        self._bill(order, {product: 12.0}, "2025-01-20", posted="2025-02-12")
        # (120 + 160) / 20 = 14 each, 15 left: Odoo's January moved, the recorded one did not
        self.assertEqualsOdoo(product, date(2025, 1, 31), 210.0)
        self.assertEqual(self._recorded(product), 195.0)
        self.assertEqualsOdoo(product, date(2025, 2, 28), 210.0)
        return product

    def test_periodic_valuation(self):
        self._bill_after_closing("periodic", "PER")

    def test_perpetual_valuation(self):
        self._bill_after_closing("real_time", "PERP")

    def test_usd_purchase_in_a_cny_company(self):
        """A company keeping its books in CNY buys in USD at 7.0, is billed at 7.2: each
        month end is Odoo's value, converted at the rate of the document it comes from."""
        cny = self.env.ref("base.CNY")
        usd = self.env.ref("base.USD")
        (cny | usd).active = True
        company = self.env["res.company"].create({"name": "JXC CNY Co", "currency_id": cny.id})
        company.partner_id.tz = "Asia/Shanghai"
        self.env.user.company_ids |= company
        env = self.env(context=dict(self.env.context, allowed_company_ids=[company.id]))
        env["account.chart.template"].try_loading("generic_coa", company=company, install_demo=False)
        company.currency_id = cny  # the generic chart sets its own currency
        self.assertEqual(company.currency_id, cny)
        # rate = USD per CNY
        env["res.currency.rate"].create([
            {"name": "2025-01-01", "currency_id": usd.id, "inverse_company_rate": 7.0, "company_id": company.id},
            {"name": "2025-02-01", "currency_id": usd.id, "inverse_company_rate": 7.2, "company_id": company.id},
        ])
        categ = self._create_category("JXC CNY average", "average", company=company)
        with freeze_time("2024-12-20 04:00:00"):
            product = env["product.product"].create({
                **self._prepare_product_vals("JXC CNY", 70.0, 300.0, "JXC-CNY"), "categ_id": categ.id})
        warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
        with freeze_time("2025-01-05 04:00:00"):
            order = self._create_purchase(self.vendor_a, [(product, 10.0, 10.0)], confirm=False, warehouse=warehouse)
            order.currency_id = usd
            order.button_confirm()
            self.assertEqual(order.order_line.price_unit, 10.0)
            self._receive(order)
        self._sell(self.customer_a, [(product, 4.0, 300.0)], "2025-01-10 04:00:00", warehouse=warehouse)
        with freeze_time("2025-02-01 05:00:00"):
            env["jxc.inventory.snapshot"]._cron_take_snapshots()
        with freeze_time("2025-02-12 04:00:00"):
            order.with_env(env).action_create_invoice()
            bill = order.invoice_ids
            bill.invoice_date = "2025-02-12"
            bill.action_post()
        self.env.flush_all()
        for month_end, expected in ((date(2025, 1, 31), 420.0), (date(2025, 2, 28), 432.0)):
            with freeze_time("2026-01-15 04:00:00"):
                odoo = round(product.with_env(env).with_company(company).with_context(to_date=month_end).total_value, 2)
                rows = env["jxc.inventory.snapshot"]._prepare_month_vals(company, month_end)
            ours = round(sum(r["value"] for r in rows if r["product_id"] == product.id), 2)
            self.assertEqual((odoo, ours), (expected, expected), month_end)
        self.assertEqual(self._recorded(product, company=company), 420.0)

    def _validate_with_lots(self, picking, lots):
        """Validate ``picking`` with the lots {product: [(lot name or lot, qty)]}."""
        for move in picking.move_ids:
            move.move_line_ids.unlink()
            move.move_line_ids = [Command.create({
                "product_id": move.product_id.id, "quantity": qty, "product_uom_id": move.product_uom.id,
                "location_id": move.location_id.id, "location_dest_id": move.location_dest_id.id,
                **({"lot_name": lot} if isinstance(lot, str) else {"lot_id": lot.id}),
            }) for lot, qty in lots[move.product_id]]
            move.picked = True
        picking.button_validate()
        return picking

    def test_lot_valued_products(self):
        """Lot-valued products: each lot has its own cost. Lots L1 (10 at 10) and L2 (10 at 20),
        5 delivered from one of them: average cost sells from L1 (5 x 10 + 10 x 20 = 250, not the
        product's average 15 x 15 = 225); FIFO from L2 (10 x 10 + 5 x 20 = 200, not 250)."""
        cases = []
        for method, code, sold_from, expected in (("average", "LOTA", "L1", 250.0), ("fifo", "LOTF", "L2", 200.0)):
            product = self._product(method, code=code)
            product.write({"tracking": "lot", "lot_valuated": True})
            self.assertTrue(product.lot_valuated)
            cases.append((product, sold_from, expected))
        for day, lot, price in (("05", "L1", 10.0), ("06", "L2", 20.0)):
            with freeze_time("2025-01-%s 04:00:00" % day):
                order = self._create_purchase(self.vendor_a, [(p, 10, price) for p, _s, _e in cases])
                self._validate_with_lots(order.picking_ids, {p: [("%s-%s" % (p.default_code, lot), 10.0)] for p, _s, _e in cases})
        with freeze_time("2025-01-10 04:00:00"):
            sale = self._create_sale(self.customer_a, [(p, 5, 30.0) for p, _s, _e in cases])
            lots = {
                p: [(self.env["stock.lot"].search([("name", "=", "%s-%s" % (p.default_code, sold_from))]), 5.0)]
                for p, sold_from, _e in cases
            }
            self._validate_with_lots(sale.picking_ids, lots)
        for product, _sold_from, expected in cases:
            self.assertEqualsOdoo(product, date(2025, 1, 31), expected)

    def test_lot_valued_product_per_warehouse(self):
        """Lot L1 (10 at 10) is received into the main warehouse, lot L2 (10 at 20) into a
        second one. Odoo values each warehouse lot by lot: 100 and 200, not half of the 300
        each as the quantities would share it; now and at the month end alike."""
        warehouse_2 = self.env["stock.warehouse"].create({"name": "JXC Lots WH", "code": "JXLW", "company_id": self.company.id})
        for method, code in (("average", "LOTWA"), ("fifo", "LOTWF"), ("standard", "LOTWS")):
            product = self._product(method, code=code)
            product.write({"tracking": "lot", "lot_valuated": True})
            for day, warehouse, lot, price in (("05", self.warehouse, "L1", 10.0), ("06", warehouse_2, "L2", 20.0)):
                with freeze_time("2025-01-%s 04:00:00" % day):
                    order = self._create_purchase(self.vendor_a, [(product, 10, price)], warehouse=warehouse)
                    self._validate_with_lots(order.picking_ids, {product: [("%s-%s" % (code, lot), 10.0)]})
                    if method == "standard":  # a standard lot's cost is its own, set by hand
                        self.env["stock.lot"].search([("name", "=", "%s-%s" % (code, lot))]).standard_price = price
            for warehouse, expected in ((self.warehouse, 100.0), (warehouse_2, 200.0)):
                self.assertEqualsOdoo(product, date(2025, 1, 31), expected, warehouse=warehouse)
            self.assertEqualsOdoo(product, date(2025, 1, 31), 300.0)
            now = self.env["jxc.stock.valuation"]._get_stock_values_at(self.company, product_ids=product.ids)
            self.assertEqual({wid: value for (_pid, wid), (_qty, value, _state) in now.items()},
                             {self.warehouse.id: 100.0, warehouse_2.id: 200.0}, method)

    def test_bill_of_the_next_month_west_of_utc(self):
        """A company in Chicago (UTC-6) receives 10 at 10 on 20 January; vendor A bills them at
        12, dated 1 February. The January month end ends at 06:00 UTC on 1 February: the bill
        of 1 February is not in it (100, Odoo's total_value at 31 January), February has it
        (120)."""
        self.company.partner_id.tz = "America/Chicago"
        product = self._product("average", code="WESTB")
        order = self._buy(self.vendor_a, [(product, 10, 10.0)], "2025-01-20 16:00:00")
        self._bill(order, {product: 12.0}, "2025-02-01")
        self.assertEqualsOdoo(product, date(2025, 1, 31), 100.0)
        self.assertEqualsOdoo(product, date(2025, 2, 28), 120.0)

    def test_lot_valued_product_partly_in_transit(self):
        """Lot L of an average-cost lot-valued product: 10 received at 5 (50), 4 of them then
        moved into the company's transit location. Odoo's lot is worth 50, its quants 30 in
        the warehouse and 20 in transit; not 50 x 10 / 6 = 83.33 (the lot's value over its
        warehouse quantity, for all 10 own units)."""
        product = self._product("average", cost=5.0, code="LOTTR")
        product.write({"tracking": "lot", "lot_valuated": True})
        with freeze_time("2025-01-05 04:00:00"):
            order = self._create_purchase(self.vendor_a, [(product, 10, 5.0)])
            self._validate_with_lots(order.picking_ids, {product: [("LOTTR-L", 10.0)]})
        lot = self.env["stock.lot"].search([("name", "=", "LOTTR-L")])
        transit = self.company.internal_transit_location_id
        self.assertTrue(transit.company_id)
        with freeze_time("2025-01-08 04:00:00"):
            move = self.env["stock.move"].create({
                "product_id": product.id, "product_uom_qty": 4, "product_uom": product.uom_id.id,
                "location_id": self.stock_location.id, "location_dest_id": transit.id,
            })
            move._action_confirm()
            move.move_line_ids.unlink()
            move.move_line_ids = [Command.create({
                "product_id": product.id, "quantity": 4, "product_uom_id": product.uom_id.id, "lot_id": lot.id,
                "location_id": self.stock_location.id, "location_dest_id": transit.id,
            })]
            move.picked = True
            move._action_done()
        self.assertEqualsOdoo(product, date(2025, 1, 31), 50.0)
        self.assertEqual(self._ours(product, date(2025, 1, 31), self.warehouse), 30.0)
        now = self.env["jxc.stock.valuation"]._get_stock_values_at(self.company, product_ids=product.ids)
        self.assertEqual({wid: value for (_pid, wid), (_qty, value, _state) in now.items()},
                         {self.warehouse.id: 30.0, None: 20.0})
        self.env.invalidate_all()
        self.assertEqual(round(sum(self.env["stock.quant"].search([("lot_id", "=", lot.id)]).mapped("value")), 2), 50.0)
