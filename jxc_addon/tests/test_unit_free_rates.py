"""Rates that never add up quantities of different products (units, dozens): the supplier
fill, on-time and defect rates (means over the vendor's order lines) and the dashboard's
supplier on-time rate, the exchange curve's and the backtest groups' fill rates (weighted by
the value of the demand), and the vendor-at-risk banner of the purchase order, shown on
confirmed orders too."""

from datetime import date
from unittest.mock import patch

import numpy as np
from freezegun import freeze_time
from lxml import etree

from odoo.fields import Command
from odoo.tests import new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from ..models import jxc_policy_backtest
from .common import JxcCommon
from .safety_common import SafetyStockCommon


@tagged("post_install", "-at_install")
class TestSupplierFillRateLines(JxcCommon):
    """April 2025, a new vendor: one order planned 10 April of 10 widgets (units) and 3 dozen
    gadgets; 5 widgets and the 36 gadgets received. Evaluated on 25 April."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.vendor = cls.env["res.partner"].create({"name": "JXC Vendor Units", "supplier_rank": 1})
        cls.dozen = cls.env.ref("uom.product_uom_dozen")
        with freeze_time("2025-04-02 04:00:00"):
            cls.order = cls.env["purchase.order"].create({
                "partner_id": cls.vendor.id,
                "picking_type_id": cls.warehouse.in_type_id.id,
                "order_line": [
                    Command.create({"product_id": cls.product_1.id, "product_qty": 10.0, "price_unit": 10.0,
                                    "date_planned": "2025-04-10 04:00:00"}),
                    Command.create({"product_id": cls.product_2.id, "product_qty": 3.0, "price_unit": 48.0,
                                    "product_uom_id": cls.dozen.id, "date_planned": "2025-04-10 04:00:00"}),
                ],
            })
            cls.order.button_confirm()
        with freeze_time("2025-04-10 02:00:00"):
            picking = cls.order.picking_ids
            for move in picking.move_ids:
                # the move's own unit: 5 units of widgets, the whole 3 dozen of gadgets
                move.quantity = 5.0 if move.product_id == cls.product_1 else move.product_uom_qty
                move.picked = True
            picking.with_context(skip_backorder=True, picking_ids_not_to_backorder=picking.ids).button_validate()
        cls.april = cls.env["jxc.supplier.period"]._get_or_create_period(cls.company, date(2025, 4, 1))
        with freeze_time("2025-04-25 04:00:00"):
            cls.april.action_compute()
        cls.evaluation = cls.april.evaluation_ids.filtered(lambda e: e.partner_id == cls.vendor)

    def test_fill_rate_is_the_mean_fill_of_the_lines(self):
        # Lines: 5 / 10 widgets = 0.5 and 36 / 36 gadgets (3 dozen) = 1 -> 75 %, not the
        # quantities added up, (5 + 36) / (10 + 36) = 89.13 %.
        self.assertEqual(self.order.order_line.mapped("product_uom_qty"), [10.0, 36.0])  # in the product's unit
        fill = self.evaluation.line_ids.filtered(lambda line: line.criterion_id.criterion_type == "fill_rate")
        self.assertEqual((fill.has_data, fill.raw_value, fill.score), (True, 75.0, 75.0))
        self.assertEqual((self.evaluation.fill_rate, self.evaluation.fill_line_count), (75.0, 2))
        self.assertEqual(self.evaluation.ordered_qty, 46.0)
        html = self.env["ir.actions.report"]._render_qweb_html(
            "jxc_addon.jxc_supplier_evaluation_report_scorecard", self.evaluation.ids,
        )[0].decode()
        self.assertRegex(html, '<td class="jxc_fill_rate"><span[^>]*>75.0</span></td>')

    def test_a_line_in_dozens_received_in_full_is_filled(self):
        """2 dozen ordered, 24 units received: 100 %, not 24 / 2."""
        vendor = self.env["res.partner"].create({"name": "JXC Vendor Dozens", "supplier_rank": 1})
        with freeze_time("2025-04-02 04:00:00"):
            order = self.env["purchase.order"].create({
                "partner_id": vendor.id, "picking_type_id": self.warehouse.in_type_id.id,
                "order_line": [Command.create({
                    "product_id": self.product_1.id, "product_qty": 2.0, "product_uom_id": self.dozen.id,
                    "price_unit": 120.0, "date_planned": "2025-04-10 04:00:00",
                })],
            })
            order.button_confirm()
        with freeze_time("2025-04-10 02:00:00"):
            move = order.picking_ids.move_ids
            move.write({"quantity": 24.0, "product_uom": self.uom_unit.id, "picked": True})
            order.picking_ids.with_context(skip_backorder=True).button_validate()
        with freeze_time("2025-04-25 04:00:00"):
            self.april.action_compute()
        evaluation = self.april.evaluation_ids.filtered(lambda e: e.partner_id == vendor)
        self.assertEqual((evaluation.fill_rate, evaluation.ordered_qty, evaluation.received_qty), (100.0, 24.0, 24.0))


@tagged("post_install", "-at_install")
class TestSupplierRatesPerLine(JxcCommon):
    """November 2025 (Shanghai; no on-time tolerance), computed on 2 December. Vendor M orders
    on 2 November 1,000 kg of flour and 10 machines, both planned for 5 November (3 days out):
    the flour comes on the day, the machines on 19 November, 14 days late, and 5 of them go back
    on 20 November. Vendor G places the same orders with its flour stocked in grams (1,000,000 g)
    and machines of its own. Both are judged the same: the unit a product is stocked in changes
    nothing.

    Per order line: on time flour 1, machines 0 -> 50 % (the quantities added up, 1,000 of
    1,010 kg-and-units, gave 99.01 %, and 1,000,000 of 1,000,010 for G); defects flour 0,
    machines 5 / 10 -> 25 %, quality 100 - 25 * 100 / 10 -> 0 (not 5 / 1,010 = 0.495 %, 95.05);
    fill flour 1, machines 5 / 10 (the return updates the order) -> 75 %; lateness flour 0,
    machines 17 - 3 = 14 days -> 7, lead time 100 - 7 * 10 = 30 (Odoo recorded each vendor's
    prices with a delay of 0 at confirmation: the planned 3 days count). No product is bought
    from two vendors: no price index. Score (50 * 30 + 75 * 20 + 0 * 20 + 30 * 15) / 85 = 40.59,
    grade D, at risk (also on time below 80 %); it was 80.25, grade B, not at risk."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.jxc_supplier_on_time_tolerance = 0
        kg, gram = cls.env.ref("uom.product_uom_kgm"), cls.env.ref("uom.product_uom_gram")
        Product = cls.env["product.product"]
        cls.flour_kg, cls.flour_g, cls.machine_m, cls.machine_g = Product.create([
            dict(cls._prepare_product_vals(name, 1.0, 2.0, code), uom_id=uom.id)
            for name, code, uom in (("JXC Flour kg", "JXC-FLOUR-KG", kg), ("JXC Flour g", "JXC-FLOUR-G", gram),
                                    ("JXC Machine M", "JXC-MACH-M", cls.uom_unit), ("JXC Machine G", "JXC-MACH-G", cls.uom_unit))
        ])
        cls.vendor_m, cls.vendor_g = cls.env["res.partner"].create([
            {"name": "JXC Vendor M", "supplier_rank": 1}, {"name": "JXC Vendor G", "supplier_rank": 1},
        ])
        for vendor, flour, flour_qty, machine in ((cls.vendor_m, cls.flour_kg, 1000.0, cls.machine_m),
                                                  (cls.vendor_g, cls.flour_g, 1000000.0, cls.machine_g)):
            cls._buy(vendor, [(flour, flour_qty, 1.0)], "2025-11-02 02:00:00", "2025-11-05 02:00:00",
                     date_planned="2025-11-05 04:00:00")
            machines = cls._buy(vendor, [(machine, 10.0, 500.0)], "2025-11-02 02:00:00", "2025-11-19 02:00:00",
                                date_planned="2025-11-05 04:00:00")
            with freeze_time("2025-11-20 02:00:00"):
                cls._return_picking(machines.picking_ids, {machine: 5.0})
        cls.november = cls.env["jxc.supplier.period"]._get_or_create_period(cls.company, date(2025, 11, 1))

    def _compute(self):
        with freeze_time("2025-12-02 02:00:00"):
            self.november.action_compute()
        return {evaluation.partner_id: evaluation for evaluation in self.november.evaluation_ids}

    def _figures(self, evaluation):
        lines = {line.criterion_id.criterion_type: line for line in evaluation.line_ids}
        return {
            "rates": (evaluation.on_time_rate, evaluation.fill_rate, lines["quality"].raw_value,
                      lines["lead_time"].raw_value, lines["price"].has_data),
            "scores": tuple(round(lines[key].score, 2) for key in ("on_time", "fill_rate", "quality", "lead_time")),
            "evaluation": (evaluation.score, evaluation.grade, evaluation.risk, evaluation.risk_reason),
        }

    def test_on_time_and_defect_rates_are_means_of_the_lines(self):
        evaluations = self._compute()
        m, g = evaluations[self.vendor_m], evaluations[self.vendor_g]
        # the quantities are shown as received, each in its product's unit
        self.assertEqual((m.received_qty, m.on_time_qty, m.returned_qty), (1010.0, 1000.0, 5.0))
        self.assertEqual((g.received_qty, g.on_time_qty, g.returned_qty), (1000010.0, 1000000.0, 5.0))
        expected = {
            "rates": (50.0, 75.0, 25.0, 7.0, False),
            "scores": (50.0, 75.0, 0.0, 30.0),
            "evaluation": (40.59, "d", True, "grade D (score 40.59); on-time rate 50.0 % below 80.0 %"),
        }
        self.assertEqual(self._figures(m), expected)
        self.assertEqual(self._figures(g), expected)

    def test_incident_counts_against_the_lines_of_its_product(self):
        """10 kg of M's flour and 10,000 g of G's found spoiled: 1 % of the flour line, in the
        flour's unit whatever it is, (0.01 + 0.5) / 2 = 25.5 % defects for both."""
        Incident = self.env["jxc.supplier.incident"]
        Incident.create([
            {"partner_id": self.vendor_m.id, "product_id": self.flour_kg.id, "date": date(2025, 11, 25), "quantity": 10.0},
            {"partner_id": self.vendor_g.id, "product_id": self.flour_g.id, "date": date(2025, 11, 25), "quantity": 10000.0},
        ])
        evaluations = self._compute()
        for vendor in (self.vendor_m, self.vendor_g):
            quality = evaluations[vendor].line_ids.filtered(lambda line: line.criterion_id.criterion_type == "quality")
            self.assertAlmostEqual(quality.raw_value, 25.5, places=6, msg=vendor.name)

    def test_dashboard_tile_is_the_evaluations_rate(self):
        """November's on-time tile and chart point are the mean of all vendors' lines received in
        November, (1 + 0 + 1 + 0) / 4 = 50 %: M's and G's own on-time rate."""
        evaluations = self._compute()
        with freeze_time("2025-12-02 02:00:00"):
            data = self.env["jxc.dashboard"].get_dashboard_data("month")
        tile = next(tile for tile in data["tiles"] if tile["key"] == "supplier_on_time_rate")
        chart = next(chart for chart in data["charts"] if chart["key"] == "supplier_on_time_rate")
        self.assertEqual((tile["value"], chart["current"][-1]), (0.5, 0.5))
        self.assertEqual({evaluation.on_time_rate for evaluation in evaluations.values()}, {tile["value"] * 100})


@tagged("post_install", "-at_install")
class TestRiskBannerOnConfirmedOrders(JxcCommon):
    """A blocked vendor's confirmed order shows the vendor-at-risk banner (its lines can no
    longer be added to); a cancelled order does not."""

    def test_banner_on_a_confirmed_order(self):
        self.company.jxc_supplier_risk_action = "block"
        order = self._create_purchase(self.vendor_a, [(self.product_1, 5.0, 10.0)])
        self.vendor_a.with_company(self.company).write({
            "jxc_supplier_risk": True, "jxc_supplier_risk_reason": "grade D (score 40.0)",
        })
        buyer = new_test_user(
            self.env, login="jxc_banner_buyer", groups="jxc_addon.group_jxc_user,purchase.group_purchase_user",
        )
        arch = etree.fromstring(self.env["purchase.order"].with_user(buyer).get_views([(False, "form")])["views"]["form"]["arch"])
        [banner] = arch.xpath("//div[hasclass('alert')][.//field[@name='jxc_supplier_risk_reason']]")
        order = order.with_user(buyer)
        self.assertEqual((order.state, order.jxc_supplier_risk, order.jxc_supplier_risk_reason),
                         ("purchase", True, "grade D (score 40.0)"))

        def hidden(record):
            return safe_eval(banner.get("invisible"), {"state": record.state, "jxc_supplier_risk": record.jxc_supplier_risk})

        self.assertFalse(hidden(order))
        order.sudo().button_cancel()
        self.assertTrue(hidden(order))


@tagged("post_install", "-at_install")
class TestBacktestValueWeightedFill(SafetyStockCommon):
    """The backtest's fill rates over several products weigh each by the value of its demand
    (widget 10.0, gadget 4.0, parka 20.0 a unit): the quantities are not added up."""

    def test_group_rows_and_exchange_curve(self):
        self._compute()
        self._orderpoint(self.product_1).write({"product_min_qty": 0.0, "product_max_qty": 0.0})
        replays, real_replay = [], jxc_policy_backtest.replay

        def recording_replay(*args, **kwargs):
            replays.append(real_replay(*args, **kwargs))
            return replays[-1]

        with patch.object(jxc_policy_backtest, "replay", recording_replay):
            lines = self.env["jxc.policy.backtest"]._run(self.company)
        costs = {line.product_id: line.product_id.with_company(self.company).standard_price for line in lines}
        self.assertEqual(
            {product.default_code: cost for product, cost in costs.items()},
            {"JXC-001": 10.0, "JXC-002": 4.0, "JXC-004": 20.0},
        )
        # Group rows: value served / value asked over the three products.
        widget = lines.filtered(lambda line: line.product_id == self.product_1)
        self.assertEqual((widget.current_fill_rate, widget.demand), (0.0, 50.0))
        expected = sum(line.current_fill_rate * line.demand * costs[line.product_id] for line in lines) / sum(
            line.demand * costs[line.product_id] for line in lines)
        [(rate,)] = self.env["jxc.policy.backtest"]._read_group(
            [("company_id", "=", self.company.id)], [], ["current_fill_rate:avg"],
        )
        self.assertAlmostEqual(rate, expected, places=6)
        self.assertNotAlmostEqual(rate, sum(line.current_fill_rate * line.demand for line in lines) / sum(lines.mapped("demand")), places=2)

        # Exchange curve: the replays after the two of the rules, one per target; the products
        # no profile ranked (no class) are the gadget and the parka.
        products = [line.product_id for line in lines]
        cost = np.array([costs[product] for product in products])
        unclassed = np.array([product != self.product_1 for product in products])
        Curve = self.env["jxc.policy.backtest.curve"]
        for target, result in zip(jxc_policy_backtest.CURVE_TARGETS, replays[2:], strict=True):
            served = (result["served"] * cost)[unclassed].sum()
            asked = (result["demand"] * cost)[unclassed].sum()
            point = Curve.search([("company_id", "=", self.company.id), ("abc_class", "=", False), ("target", "=", target)])
            self.assertAlmostEqual(point.fill_rate, served / asked * 100.0, places=2)
        self.assertEqual([line.unit_cost for line in lines], [costs[line.product_id] for line in lines])

    def test_group_rows_of_companies_in_two_currencies(self):
        """Two rows of 100 units asked: the company's at 10.00 a unit, filled 80 %; a second
        company's, in a currency worth 10 of the first, at 1.00 a unit, filled 100 %. Both
        demands are worth 1,000 in the first currency: the group's fill rate is 90 %, not the
        81.82 % of their costs taken as one currency (1,000 and 100)."""
        currency = self.company.currency_id
        other = self.env["res.currency"].with_context(active_test=False).search(
            [("name", "=", "EUR" if currency.name != "EUR" else "USD")])
        other.active = True
        self.env["res.currency.rate"].create({"name": "2025-01-01", "currency_id": other.id, "rate": 0.1,
                                              "company_id": self.company.id})
        company_b = self.env["res.company"].create({"name": "JXC Backtest Currency Co", "currency_id": other.id})
        warehouse_b = self.env["stock.warehouse"].search([("company_id", "=", company_b.id)], limit=1)
        Backtest = self.env["jxc.policy.backtest"].sudo()
        rows = Backtest.create([
            {"company_id": self.company.id, "product_id": self.product_1.id, "warehouse_id": self.warehouse.id,
             "demand": 100.0, "unit_cost": 10.0, "proposed_fill_rate": 80.0},
            {"company_id": company_b.id, "product_id": self.product_1.id, "warehouse_id": warehouse_b.id,
             "demand": 100.0, "unit_cost": 1.0, "proposed_fill_rate": 100.0},
        ])
        [(rate,)] = Backtest.with_context(allowed_company_ids=[self.company.id, company_b.id])._read_group(
            [("id", "in", rows.ids)], [], ["proposed_fill_rate:avg"])
        self.assertAlmostEqual(rate, 90.0, places=6)
