"""The main flows as users meet them in the web client (headless Chromium, Odoo tours).

Each test builds a small believable situation, runs its tour as the user of the flow and then
checks what the flow changed in the database. The final screen of each tour is saved as a PNG
under artifacts/screenshots/ (desktop and phone width).
"""

import base64
import pathlib
from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import fields
from odoo.fields import Command
from odoo.tests import new_test_user, tagged
from odoo.tests.common import ChromeBrowser

from .common_ui import JxcHttpCase

SCREENSHOT_DIR = pathlib.Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


class JxcFlowCase(JxcHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.partner_id.tz = "Asia/Shanghai"
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        cls.category = cls.env["product.category"].create({"name": "JXC Flow Goods"})

    def _start_tour_with_screenshot(self, url, tour, screenshot, login):
        """Run the tour; when it has passed, save what the browser shows as ``screenshot``.png."""
        original = ChromeBrowser._wait_code_ok
        path = SCREENSHOT_DIR / ("%s.png" % screenshot)

        def wait_then_capture(browser, *args, **kwargs):
            original(browser, *args, **kwargs)
            future = browser._websocket_send("Page.captureScreenshot", with_future=True)
            data = future.result(timeout=20)["data"]
            SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
            path.write_bytes(base64.b64decode(data))

        if path.exists():
            path.unlink()
        with patch.object(ChromeBrowser, "_wait_code_ok", wait_then_capture):
            self.start_tour(url, tour, login=login, timeout=120)
        self.assertTrue(path.exists() and path.stat().st_size > 1000, "screenshot %s saved" % path.name)

    def _product(self, name, barcode=None, cost=10.0, sellers=()):
        return self.env["product.product"].create({
            "name": name, "is_storable": True, "categ_id": self.category.id, "standard_price": cost,
            "barcode": barcode,
            "seller_ids": [Command.create({"partner_id": vendor.id, "price": price, "delay": delay})
                           for vendor, price, delay in sellers],
        })

    def _warehouse(self, name, code):
        return self.env["stock.warehouse"].create({"name": name, "code": code, "company_id": self.company.id})

    def _stock(self, product, location, qty):
        self.env["stock.quant"].sudo()._update_available_quantity(product, location, qty)

    def _stocked_product(self, name, barcode, cost, location, qty):
        """A product with a barcode, ``qty`` of it on hand in ``location``."""
        product = self._product(name, barcode=barcode, cost=cost)
        self._stock(product, location, qty)
        return product

    def _counter(self, login, name):
        return new_test_user(self.env, login, name=name, groups="jxc_addon.group_jxc_user")

    def _started_count(self, warehouse, counter=None, **vals):
        """A count plan of ``warehouse`` (assigned to ``counter``), started: its lines exist."""
        if counter:
            vals["counter_ids"] = [Command.set(counter.ids)]
        plan = self.env["jxc.count.plan"].create({"warehouse_id": warehouse.id, **vals})
        plan.action_start()
        return plan

    def _plan_with_safety_stock(self, products):
        """Safety stock 5 for ``products`` in the main warehouse; the refreshed plan lines."""
        category = self.env["product.category"].create({"name": "JXC Flow Planned"})
        products.categ_id = category
        self.env["jxc.safety.stock.rule"].create({
            "name": "Flow goods", "categ_id": category.id, "warehouse_id": self.warehouse.id, "method": "fixed",
            "fixed_qty": 5.0, "no_history_qty": 5.0,
        })
        self.env["stock.warehouse.orderpoint"]._jxc_update_orderpoints(self.company)
        plan = self.env["jxc.purchase.plan"]._refresh(self.company)
        return plan.filtered(lambda line: line.product_id in products)


@tagged("post_install", "-at_install")
class TestFlowsDesktop(JxcFlowCase):
    def test_buyer_plans_and_orders(self):
        """Buyer: purchase plan, urgent filter, RFQs for two vendors, grade and risk of the D vendor."""
        reliable = self.env["res.partner"].create({"name": "Brightline Office Supply", "supplier_rank": 1, "is_company": True})
        risky = self.env["res.partner"].create({"name": "Slowboat Trading Ltd.", "supplier_rank": 1, "is_company": True})
        # The grades come from the supplier evaluation (tested on its own); here they are given.
        reliable.write({"jxc_supplier_grade": "a", "jxc_supplier_score": 91.0})
        risky.write({
            "jxc_supplier_grade": "d", "jxc_supplier_score": 38.0, "jxc_supplier_risk": True,
            "jxc_supplier_risk_reason": "score 38.0 below grade C; on-time rate 20 % below 80 %",
        })
        paper = self._product("A4 Copy Paper 80g (box)", cost=95.0, sellers=[(reliable, 96.0, 3)])
        jacket = self._product("Down Jacket Navy M", cost=180.0, sellers=[(risky, 165.0, 7)])
        notes = self._product("Sticky Notes 76x76", cost=3.5, sellers=[(reliable, 3.6, 3)])
        lines = self._plan_with_safety_stock(paper | jacket | notes)
        self.assertEqual(len(lines), 3)
        # Paper and jackets run out today, before an order could arrive (the stock-out forecast is
        # tested on its own); Sticky Notes run out before its next receipt only: not urgent.
        lines.filtered(lambda line: line.product_id in paper | jacket).sudo().write(
            {"is_stockout_risk": True, "stockout_date": fields.Date.today()})
        lines.filtered(lambda line: line.product_id == notes).sudo().write(
            {"is_stockout_risk": True, "stockout_date": fields.Date.today() + timedelta(days=30)})
        self.assertEqual(lines.filtered("is_urgent").product_id, paper | jacket)
        buyer = new_test_user(
            self.env, "jxc_flow_buyer", name="Li Na (Buyer)",
            groups="jxc_addon.group_jxc_user,purchase.group_purchase_user",
        )
        self._start_tour_with_screenshot(
            "/odoo/action-jxc_addon.jxc_purchase_plan_action", "jxc_flow_buyer_tour", "buyer_rfq_risk_desktop",
            login=buyer.login,
        )
        orders = self.env["purchase.order.line"].search([("product_id", "in", (paper | jacket | notes).ids)]).order_id
        self.assertEqual(orders.partner_id, reliable | risky)
        self.assertEqual(set(orders.mapped("state")), {"draft"})
        self.assertEqual(orders.order_line.product_id, paper | jacket, "the non-urgent line was filtered out")

    def test_manager_posts_count_and_reads_dashboard(self):
        """Manager: review the discrepancy, approve, post; dashboard tile to its list."""
        south = self._warehouse("Guangzhou South DC", "GZ")
        gloves = self._stocked_product("Disposable Gloves (100)", "6901234000201", 18.0, south.lot_stock_id, 30)
        soap = self._stocked_product("Hand Soap 500 ml", "6901234000202", 7.0, south.lot_stock_id, 12)
        plan = self._started_count(south, product_ids=[Command.set((gloves | soap).ids)])
        for line in plan.line_ids:
            line.counted_qty = 25 if line.product_id == gloves else 12
        plan.action_submit()
        discrepancy = plan.line_ids.filtered(lambda line: line.product_id == gloves)
        self.assertEqual(discrepancy.review_state, "to_review")
        discrepancy.reason_id = self.env.ref("jxc_addon.jxc_count_reason_damage")
        # Two products below their safety stock for the dashboard tile.
        sun_hat = self._product("Sun Hat Navy L", cost=10.0)
        below = self._product("Thermal Gloves Black M", cost=15.0) | sun_hat
        self.assertEqual(len(self._plan_with_safety_stock(below).filtered("is_below_safety")), 2)
        # Sun hats counted in since: the tile still counts 2 (as last refreshed), its list is current.
        self.env["stock.quant"].with_context(inventory_mode=True).create({
            "product_id": sun_hat.id, "location_id": self.warehouse.lot_stock_id.id, "inventory_quantity": 50,
        }).action_apply_inventory()
        self._start_tour_with_screenshot(
            "/odoo/action-jxc_addon.jxc_count_plan_action", "jxc_flow_manager_tour", "manager_dashboard_tile_desktop",
            login="admin",
        )
        self.assertEqual(plan.state, "done")
        self.assertEqual(plan.move_ids.mapped("quantity"), [5.0])
        self.assertEqual(gloves.with_context(warehouse_id=south.id).qty_available, 25.0)
        self.assertFalse(self.env["jxc.purchase.plan"].search([("product_id", "=", sun_hat.id)]).is_below_safety)

    def test_manager_abc_supplier_evaluation_excel(self):
        """Manager: ABC classes grouped by class; compute a supplier evaluation; Excel ranking."""
        reliable = self.env["res.partner"].create({"name": "Brightline Office Supply", "supplier_rank": 1, "is_company": True})
        risky = self.env["res.partner"].create({"name": "Slowboat Trading Ltd.", "supplier_rank": 1, "is_company": True})
        paper = self._product("A4 Copy Paper 80g (box)", cost=95.0, sellers=[(reliable, 96.0, 3)])
        pens = self._product("Gel Pen 0.5 mm (box of 12)", cost=9.0, sellers=[(risky, 8.5, 7)])
        knocker = self._product("Brass Door Knocker Classic", cost=75.0, sellers=[(risky, 70.0, 20)])
        self.env["jxc.abc.profile"].search([]).write({"is_default": False})
        profile = self.env["jxc.abc.profile"].create({"name": "Consumption value", "is_default": True})
        self.env["jxc.abc.result"].sudo().create([
            {"profile_id": profile.id, "product_id": product.id, "computed_class": klass, "rank": rank}
            for product, klass, rank in ((paper, "a", 1), (pens, "b", 2), (knocker, "c", 3))
        ])
        # Last month: the reliable vendor delivers on time, the risky one two weeks late.
        today = fields.Date.context_today(self.env["res.partner"].with_context(tz="Asia/Shanghai"))
        month_start = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
        for vendor, product, late_days in ((reliable, paper, 0), (risky, pens, 14)):
            with freeze_time(fields.Datetime.to_datetime(month_start) + timedelta(hours=3)):
                order = self.env["purchase.order"].create({
                    "partner_id": vendor.id, "picking_type_id": self.warehouse.in_type_id.id,
                    "order_line": [Command.create({"product_id": product.id, "product_qty": 10})],
                })
                order.button_confirm()
                order.order_line.date_planned = fields.Datetime.to_datetime(month_start) + timedelta(days=2, hours=3)
            with freeze_time(fields.Datetime.to_datetime(month_start) + timedelta(days=2 + late_days, hours=2)):
                for move in order.picking_ids.move_ids:
                    move.quantity = move.product_uom_qty
                    move.picked = True
                order.picking_ids.button_validate()
        Period = self.env["jxc.supplier.period"]
        Period.search([]).unlink()
        period = Period._get_or_create_period(self.company, month_start)
        self._start_tour_with_screenshot(
            "/odoo/action-jxc_addon.jxc_abc_result_action", "jxc_flow_analysis_tour", "manager_supplier_evaluation_desktop",
            login="admin",
        )
        self.assertEqual(period.evaluation_ids.partner_id, reliable | risky)
        on_time = {e.partner_id: e.line_ids.filtered(lambda line: line.criterion_id.criterion_type == "on_time").score
                   for e in period.evaluation_ids}
        self.assertGreater(on_time[reliable], on_time[risky])
        # the tour waited for the browser to receive supplier_ranking_*.xlsx; nothing was stored
        self.assertFalse(self.env["ir.attachment"].search_count([("res_model", "=", "jxc.xlsx")]))


class JxcPhoneFlowCase(JxcFlowCase):
    """The browser as a phone: 375 × 800, touch screen."""

    browser_size = "375x800"
    touch_enabled = True


@tagged("post_install", "-at_install")
class TestFlowsPhone(JxcPhoneFlowCase):
    def test_counter_counts_on_phone(self):
        """Counter on a phone: today's plan, barcode search, counted quantities, submit."""
        east = self._warehouse("Shanghai East DC", "SH")
        soap = self._stocked_product("Hand Soap 500 ml", "6901234000101", 7.0, east.lot_stock_id, 40)
        towels = self._stocked_product("Paper Towels (6 rolls)", "6901234000102", 13.0, east.lot_stock_id, 20)
        counter = self._counter("jxc_flow_counter", "Wang Wei (Counter)")
        plan = self._started_count(east, counter, user_id=counter.id)
        self._start_tour_with_screenshot(
            "/odoo/action-jxc_addon.jxc_count_plan_action", "jxc_flow_counter_tour", "counter_submit_phone",
            login=counter.login,
        )
        self.assertEqual(plan.state, "counted")
        counts = {line.product_id: (line.counted_qty, line.counted_by_id) for line in plan.line_ids}
        self.assertEqual(counts, {soap: (38.0, counter), towels: (20.0, counter)})
        self.assertEqual(plan.line_ids.filtered(lambda line: line.product_id == soap).review_state, "to_review")
