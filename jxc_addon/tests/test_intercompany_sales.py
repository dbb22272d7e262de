"""Sales to a sister company and consumption in production: what the turnover, the net demand,
the dead stock and the service level count as use of the stock.

Odoo makes the inter-company transit location (a transit location of no company) the customer
and vendor location of a sister company's partner: a delivery to company B goes from our stock
to it, and Odoo values it as outgoing, at cost. The stock is set on hand on 10 February 2025
(Shanghai, the company's timezone); March is the month measured.
"""

from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import SQL

from ..tools.net_demand import net_demand_query
from .common import JxcCommon

NOW = "2025-04-01 04:00:00"  # noon in Shanghai
MARCH = (date(2025, 3, 1), date(2025, 4, 1))


@tagged("post_install", "-at_install")
class TestInterCompanySales(JxcCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.widget, cls.gadget, cls.gizmo = cls.product_1, cls.product_2, cls.product_3  # cost 10, 4, 50
        cls.company_b = cls.env["res.company"].create({"name": "JXC Sister Company B"})
        cls.inter_company = cls.env.ref("stock.stock_location_inter_company")
        # as Odoo sets them for a user working in several companies
        # (res.company._set_per_company_inter_company_locations)
        cls.sister = cls.company_b.partner_id.with_company(cls.company)
        cls.sister.write({
            "property_stock_customer": cls.inter_company.id, "property_stock_supplier": cls.inter_company.id,
        })
        with freeze_time("2025-02-10 04:00:00"):
            cls._set_on_hand(cls.widget, 150)
            cls._set_on_hand(cls.gadget, 10)
            cls._set_on_hand(cls.gizmo, 40)

    def _backfill(self):
        self.env.flush_all()
        with freeze_time(NOW):
            self.env["jxc.inventory.snapshot"]._backfill(self.company, date(2025, 2, 1), date(2025, 4, 1))

    def _net_demand(self):
        """{product: net customer demand} over the whole history."""
        return dict(self.env.execute_query(SQL(
            "SELECT d.product_id, SUM(d.qty) FROM (%s) d GROUP BY d.product_id",
            net_demand_query(self.env, self.company),
        )))

    def _consume(self, product, qty, at):
        """``qty`` of ``product`` consumed in production (a done move into the production location)."""
        with freeze_time(at):
            move = self.env["stock.move"].create({
                "product_id": product.id, "product_uom_qty": qty, "product_uom": product.uom_id.id,
                "location_id": self.stock_location.id,
                "location_dest_id": product.with_company(self.company).property_stock_production.id,
                "company_id": self.company.id,
            })
            move._action_confirm()
            move._action_assign()
            move.quantity = qty
            move.picked = True
            move._action_done()
        return move

    def test_a_sale_to_a_sister_company_is_a_sale(self):
        """March: 80 widgets sold to company B, 20 to customer A: 1,000 of cost out of an average
        stock of (1,500 + 500) / 2 = 1,000: turnover 1.0, 31 days (not 0.2 and 155 days).
        Gadgets sold to B only are used, not dead. A purchase from B, received through the same
        location, and its return to B are no sale; B's return of 5 widgets is a customer return."""
        self._set_stock_status_limits(dead_days=30, slow_rate=0.0)
        delivery = self._sell(self.sister, [(self.widget, 80, 12.0), (self.gadget, 5, 6.0)], "2025-03-05 04:00:00")
        self.assertEqual(delivery.move_ids.location_dest_id, self.inter_company)
        self._sell(self.customer_a, [(self.widget, 20, 25.0)], "2025-03-06 04:00:00")
        self._backfill()
        row = self.env["jxc.turnover.report"].search([
            ("product_id", "=", self.widget.id), ("date", "=", date(2025, 3, 31)),
        ])
        self.assertEqual((row.delivered_qty, row.cogs_value, row.average_value), (100.0, 1000.0, 1000.0))
        self.assertAlmostEqual(row.turnover, 1.0)
        self.assertAlmostEqual(row.days_of_inventory, 31.0)
        with freeze_time(NOW):
            status = self.env["jxc.dead.stock.report"].search([("product_id", "=", self.gadget.id)]).stock_status
        self.assertEqual(status, "active")

        with freeze_time("2025-03-10 04:00:00"):
            self._return_picking(delivery, {self.widget: 5})
        purchase = self._buy(self.sister, [(self.gizmo, 8, 50.0)], "2025-03-12 04:00:00")
        self.assertEqual(purchase.picking_ids.move_ids.location_id, self.inter_company)
        with freeze_time("2025-03-13 04:00:00"):
            self._return_picking(purchase.picking_ids, {self.gizmo: 3})
        self.assertEqual(self._net_demand(), {self.widget.id: 95.0, self.gadget.id: 5.0})
        self._backfill()
        snapshot = self.env["jxc.inventory.snapshot"].search([
            ("product_id", "in", (self.widget | self.gizmo).ids), ("date", "=", date(2025, 3, 31)),
        ], order="product_id")
        self.assertEqual([(s.product_id, s.delivered_qty, s.cogs_value) for s in snapshot], [
            (self.widget, 95.0, 950.0), (self.gizmo, 0.0, 0.0),
        ])

    def test_the_service_level_counts_sister_companies_and_lists_its_deliveries(self):
        """March: B asked 80 widgets, the first delivery shipped 60 (a backorder the 20 others);
        customer A got its 20: (0.75 + 1) / 2. The tile's list is those two first deliveries,
        not the backorder nor the return to B of a purchase from it."""
        self._sell_in_two(self.sister, self.widget, 80, 60, "2025-03-05 04:00:00", "2025-03-08 04:00:00")
        self._sell(self.customer_a, [(self.widget, 20, 25.0)], "2025-03-06 04:00:00")
        purchase = self._buy(self.sister, [(self.gizmo, 8, 50.0)], "2025-03-12 04:00:00")
        with freeze_time("2025-03-13 04:00:00"):
            vendor_return = self._return_picking(purchase.picking_ids, {self.gizmo: 3})
        self.env.flush_all()
        with freeze_time(NOW):
            [tile] = self.env["jxc.service.level"]._get_jxc_dashboard_kpis(self.company, *MARCH)
        self.assertAlmostEqual(tile["value"], 0.875)
        listed = self.env["stock.picking"].search(tile["action"]["domain"])
        firsts = self.env["stock.picking"].search([
            ("company_id", "=", self.company.id), ("backorder_id", "=", False), ("state", "=", "done"),
            ("sale_id", "!=", False),
        ])
        self.assertEqual(len(firsts), 2)
        self.assertEqual(listed, firsts)
        self.assertNotIn(vendor_return, listed)

    def test_turnover_counts_consumption_in_production(self):
        """March: 30 gizmos consumed (1,500), none sold; 2,000 at the start, 500 at the end:
        turnover 1,500 / 1,250 = 1.2 in the report, the tiles and the monthly series. With 100
        widgets delivered (1,000 of 1,000 average) the slowest of the summary is the widget."""
        self._consume(self.gizmo, 30, "2025-03-04 04:00:00")
        self._sell(self.customer_a, [(self.widget, 100, 25.0)], "2025-03-06 04:00:00")
        self._backfill()
        rows = self.env["jxc.turnover.report"].search([
            ("product_id", "in", (self.widget | self.gizmo).ids), ("date", "=", date(2025, 3, 31)),
        ], order="product_id")
        self.assertEqual([(r.product_id, r.cogs_value, r.consumption_value, r.used_value, r.average_value) for r in rows], [
            (self.widget, 1000.0, 0.0, 1000.0, 1000.0), (self.gizmo, 0.0, 1500.0, 1500.0, 1250.0),
        ])
        self.assertEqual([round(r.turnover, 4) for r in rows], [1.0, 1.2])
        self.assertAlmostEqual(rows[1].days_of_inventory, 31 * 1250 / 1500)
        # the company: (1,500 + 2,000 + 40) opening, (500 + 500 + 40) closing, 2,500 used
        figures = self.env["jxc.inventory.snapshot"]._get_period_figures(self.company, *MARCH)
        self.assertEqual((figures["cogs"], figures["consumption"], figures["used"], figures["average"]),
                         (1000.0, 1500.0, 2500.0, 2290.0))
        with freeze_time(NOW):
            kpis = {k["key"]: k["value"] for k in self.env["jxc.dashboard"]._get_kpis(self.company, *MARCH)}
            series = self.env["jxc.dashboard"]._get_monthly_series(self.company, MARCH[1], months=1)
        self.assertAlmostEqual(kpis["turnover"], 2500 / 2290)
        self.assertAlmostEqual(kpis["days_of_inventory"], 31 * 2290 / 2500)
        self.assertEqual(series[0]["turnover"], round(2500 / 2290, 2))
        [total] = self.env["jxc.turnover.report"].formatted_read_group(
            [("company_id", "=", self.company.id), ("date", "=", date(2025, 3, 31))], [], ["turnover:avg"])
        self.assertAlmostEqual(total["turnover:avg"], kpis["turnover"])
        with freeze_time(NOW):
            values = self.env["report.jxc_addon.report_jxc_monthly_summary"]._get_report_values(
                [], {"month": "2025-03-01"})
        self.assertEqual(values["slowest"].product_id, self.gadget | self.widget | self.gizmo)
        self.assertEqual([round(r.turnover, 4) for r in values["slowest"]], [0.0, 1.0, 1.2])
