import os
from datetime import datetime, time

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

# The first products' costs for seed 7 (cost × a seeded factor).
EXPECTED_COSTS = [176.57, 107.11, 7.29]
# The demo history is dated back from today: the clock is frozen so that the test gives the same
# result on every day; bin/test-dates runs it at month ends, New Year, a leap day, a Monday.
TEST_DATE = os.environ.get("JXC_TEST_DATE") or "2026-06-15 02:00:00"


@freeze_time(TEST_DATE)
@tagged("post_install", "-at_install")
class TestDemoLoader(TransactionCase):
    """The demo generator (bin/run installs it) builds a consistent company history, and
    every screen of the add-on has something to show afterwards. Run at a small size, with the
    clock frozen at ``TEST_DATE`` (JXC_TEST_DATE)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.moves_before = cls.env["stock.move"].search_count([("state", "=", "done")])
        # With Odoo's demo-data option the add-on is installed beside Odoo's own demo stock: the
        # install records last month's snapshot of that stock before the demo history exists
        cls.old_product = cls.env["product.product"].create({
            "name": "Stock before the demo", "is_storable": True, "standard_price": 10.0,
        })
        cls.env["stock.quant"]._update_available_quantity(cls.old_product, cls.env.ref("stock.stock_location_stock"), 5)
        cls.env["jxc.inventory.snapshot"]._cron_take_snapshots()
        # a category of the database's own with the name of one of the demo's
        cls.own_category = cls.env["product.category"].create({
            "name": "Office Consumables", "parent_id": cls.env["product.category"].create({"name": "All"}).id,
        })  # "All / Office Consumables" sorts before "JXC Demo / Office Consumables"
        cls.sim = cls.env["jxc.demo.loader"]._load_demo(months=4, seed=7, product_limit=30)
        cls.products = cls.env["product.product"].search([("default_code", "=like", "JXC-____")])

    def test_second_load_refused_before_writing(self):
        partners = self.env["res.partner"].search_count([])
        with self.assertRaisesRegex(UserError, "already loaded"):
            self.env["jxc.demo.loader"]._load_demo(months=1, seed=7, product_limit=3)
        self.assertEqual(self.env["res.partner"].search_count([]), partners)

    def test_master_data(self):
        self.assertEqual(len(self.products), 30)
        self.assertEqual(len(self.products.categ_id), 6, "every category is represented")
        self.assertEqual(self.env["stock.warehouse"].search_count([("company_id", "=", self.company.id)]), 3)
        self.assertGreaterEqual(self.sim.purchase_count, 10)
        self.assertGreaterEqual(self.sim.sale_count, 20)

    def test_history_is_consistent_and_backdated(self):
        done = self.env["stock.move"].search([("state", "=", "done"), ("product_id", "in", self.products.ids)])
        self.assertGreater(self.env["stock.move"].search_count([("state", "=", "done")]), self.moves_before)
        # On hand equals what came into the company's internal locations minus what left them.
        for product in self.products:
            moves = done.filtered(lambda m, p=product: m.product_id == p)
            incoming = sum(moves.filtered(lambda m: m.location_dest_id.usage == "internal"
                                          and m.location_id.usage != "internal").mapped("quantity"))
            outgoing = sum(moves.filtered(lambda m: m.location_id.usage == "internal"
                                          and m.location_dest_id.usage != "internal").mapped("quantity"))
            self.assertAlmostEqual(product.qty_available, incoming - outgoing, msg=product.display_name)
        # Spread over the months, and a receipt may arrive late or in parts.
        self.assertGreater((max(done.mapped("date")) - min(done.mapped("date"))).days, 80)
        receipts = done.filtered(lambda m: m.location_id.usage == "supplier")
        late = receipts.filtered(lambda m: m.date.date() > m.purchase_line_id.date_planned.date())
        self.assertTrue(late, "some receipts are late")
        self.assertTrue(done.filtered(lambda m: m.location_dest_id.usage == "supplier"), "some goods went back to vendors")
        never_sold = self.products.filtered(lambda p: p.categ_id.name == "Discontinued")
        self.assertFalse(done.filtered(lambda m: m.product_id in never_sold and m.location_dest_id.usage == "customer"))
        # Goods sold since their receipt are not returned to the vendor: no stock below zero.
        negative = self.env["stock.quant"].search([("location_id.usage", "=", "internal"), ("quantity", "<", 0)])
        self.assertFalse(negative.mapped("product_id.display_name"))

    def test_every_month_has_two_sales_days(self):
        """Each warehouse sells on the 1st and the 16th, the half month's demand: a month has
        as many sales days as the one before it, whatever day the demo was loaded."""
        orders = self.env["sale.order"].search([("order_line.product_id", "in", self.products.ids)])
        days = {(order.warehouse_id.code, order.date_order.date()) for order in orders}
        self.assertEqual({day for _code, day in days if day.day not in (1, 16)}, set())
        months = {(day.year, day.month) for _code, day in days}
        by_month = {month: len({day for _code, day in days if (day.year, day.month) == month}) for month in months}
        full = sorted(months)[1:-1]  # the first month starts with the history, the last is today's
        self.assertEqual({by_month[month] for month in full}, {2}, by_month)

    def test_history_ends_at_the_start_of_today(self):
        """Loaded at any hour of a day, the history is the same: it ends at midnight (UTC),
        with one purchase batch per month counted from the start (the 4 months before today)."""
        end = datetime.combine(fields.Date.today(), time.min)
        self.assertEqual(self.sim.months, 4)
        orders = self.env["purchase.order"].search([("order_line.product_id", "in", self.products.ids)])
        self.assertTrue(orders)
        self.assertLess(max(orders.mapped("date_order")), end)
        done = self.env["stock.move"].search([("state", "=", "done"), ("product_id", "in", self.products.ids)])
        self.assertLess(max(done.mapped("date")), end)

    def test_every_screen_has_data(self):
        env = self.env
        evaluations = env["jxc.supplier.evaluation"].search([("company_id", "=", self.company.id)])
        self.assertTrue(evaluations)
        self.assertGreater(len(set(evaluations.mapped("grade"))), 1, "vendors get different grades")
        results = env["jxc.abc.result"].search([("company_id", "=", self.company.id)])
        self.assertTrue({"a", "b", "c"} <= set(results.mapped("abc_class")))
        self.assertIn("n", set(results.mapped("abc_class")), "never-sold products are class N")
        self.assertTrue(env["stock.warehouse.orderpoint"].search_count([("jxc_rule_id", "!=", False)]))
        cover = env["jxc.safety.stock.rule"].search([("company_id", "=", self.company.id), ("method", "=", "days")])
        self.assertEqual(cover.categ_id.complete_name, "JXC Demo / Office Consumables")
        self.assertTrue(env["jxc.purchase.plan"].search_count([("company_id", "=", self.company.id)]))
        self.assertTrue(env["jxc.inventory.snapshot"].search_count([("company_id", "=", self.company.id)]))
        for report in ("jxc.turnover.report", "jxc.stock.aging.report", "jxc.dead.stock.report",
                       "jxc.sales.report", "jxc.purchase.cost.report"):
            self.assertTrue(env[report].search_count([]), report)
        plans = env["jxc.count.plan"].search([("company_id", "=", self.company.id)])
        self.assertEqual(set(plans.mapped("state")), {"done", "in_progress"})
        self.assertTrue(env["jxc.count.accuracy.report"].search_count([]))
        cycle_rule = env["jxc.count.cycle.rule"].search([("company_id", "=", self.company.id)])
        self.assertTrue(cycle_rule)
        # its plans go to someone who gets their to-do (the loader runs as the system)
        self.assertEqual(cycle_rule._get_responsible(), env.ref("base.user_admin"))
        tiles = {tile["key"]: tile["value"] for tile in env["jxc.dashboard"].get_dashboard_data()["tiles"]}
        for key in ("inventory_value", "turnover"):
            self.assertGreater(tiles.get(key, 0.0), 0.0, key)

    def test_last_month_snapshot_covers_the_history(self):
        """The month end recorded at install, before the demo history existed, is rebuilt from
        it: it holds the demo's products, not only the stock there was at install."""
        Snapshot = self.env["jxc.inventory.snapshot"]
        domain = [("company_id", "=", self.company.id)]
        last = Snapshot.search(domain, order="date desc", limit=1)
        rows = Snapshot.search(domain + [("date", "=", last.date)])
        boundary = Snapshot._get_boundary(self.company, last.date)
        in_stock = {
            product_id for (product_id, _warehouse), qty
            in self.env["jxc.stock.valuation"]._get_quantities_at(self.company, boundary).items()
            if product_id in self.products.ids and qty > 0
        }
        self.assertGreater(len(in_stock), 10)
        self.assertLessEqual(in_stock, set(rows.product_id.ids))  # (sold-out products keep a row for their deliveries)

    def test_deterministic(self):
        """The same seed gives the same company: products, costs and vendors."""
        first = self.products.sorted("default_code")[:3]
        self.assertEqual(first.mapped("default_code"), ["JXC-0001", "JXC-0002", "JXC-0003"])
        self.assertEqual(first.mapped("standard_price"), EXPECTED_COSTS)

    def test_stocktakes(self):
        """A full count of WH was posted in the dashboard's month with a loss (报损) and a gain
        (报溢) on chosen lines, not by chance; a count of SH is in progress, half counted."""
        plans = self.env["jxc.count.plan"].search([("company_id", "=", self.company.id)])
        done = plans.filtered(lambda p: p.state == "done")
        self.assertEqual(len(done), 1)
        self.assertEqual(done.warehouse_id.code, "WH")
        # the administrator's to-do, not the system's that loaded them
        self.assertEqual(plans.user_id, self.env.ref("base.user_admin"))
        lines = done.line_ids
        self.assertTrue(all(lines.mapped("is_counted")))
        losses = lines.filtered(lambda line: line.difference_qty < 0)
        gains = lines.filtered(lambda line: line.difference_qty > 0)
        self.assertTrue(losses, "the stocktake has a loss")
        self.assertTrue(gains, "the stocktake has a gain")
        self.assertTrue(lines - losses - gains, "other lines are counted right")
        # Each difference was posted once, through Odoo's inventory moves, in its direction.
        moves = done.move_ids
        self.assertEqual(set(moves.mapped("state")), {"done"})
        self.assertEqual(moves.jxc_count_line_id, losses | gains)
        for move in moves:
            line = move.jxc_count_line_id
            self.assertEqual(move.quantity, abs(line.difference_qty))
            inventory, internal = (move.location_id, move.location_dest_id) if line.difference_qty > 0 \
                else (move.location_dest_id, move.location_id)
            self.assertEqual((inventory.usage, internal), ("inventory", line.location_id))
        self.assertLessEqual(set(losses.reason_id.mapped("direction")), {"loss", "both"})
        self.assertLessEqual(set(gains.reason_id.mapped("direction")), {"gain", "both"})
        self.assertGreater(sum(losses.mapped("loss_value")), 0.0)
        self.assertGreater(sum(gains.mapped("gain_value")), 0.0)
        # It happened in the dashboard's month (the last complete one), and is dated so.
        (date_from, date_to), _previous = self.env["jxc.dashboard"]._get_periods(self.company)
        start, end = self.env["jxc.count.plan"]._get_jxc_period_bounds(self.company, date_from, date_to)
        self.assertTrue(start <= done.date_done < end, done.date_done)
        self.assertEqual(set(moves.mapped("date")), {done.date_done})
        self.assertEqual(set(moves.move_line_ids.mapped("date")), {done.date_done})
        in_progress = plans - done
        self.assertEqual(in_progress.state, "in_progress")
        self.assertEqual(in_progress.warehouse_id.code, "SH")
        self.assertEqual(in_progress.counted_count, -(-in_progress.line_count // 2), "half of the lines, rounded up")
        self.assertFalse(in_progress.move_ids)

    def test_dashboard_count_tiles(self):
        """The count tiles of the demo dashboard: one stocktake posted, with losses, and a count
        accuracy strictly between 0 and 100 % equal to the share of lines counted right."""
        done = self.env["jxc.count.plan"].search([("company_id", "=", self.company.id), ("state", "=", "done")])
        tiles = {tile["key"]: tile["value"] for tile in self.env["jxc.dashboard"].get_dashboard_data()["tiles"]}
        right = len(done.line_ids.filtered(lambda line: not line.is_discrepancy))
        self.assertAlmostEqual(tiles["count_accuracy"], right / len(done.line_ids))
        self.assertTrue(0.0 < tiles["count_accuracy"] < 1.0, tiles["count_accuracy"])
        self.assertEqual(tiles["count_plans_done"], 1.0)
        self.assertAlmostEqual(tiles["count_loss_value"], sum(done.line_ids.mapped("loss_value")))
        self.assertGreater(tiles["count_loss_value"], 0.0)
