from datetime import date

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import SQL, mute_logger

from ..models.jxc_inventory_snapshot import MONTH_FLOWS
from .analysis_common import JxcAnalysisCommon
from .common import JxcCommon, run_migration


@tagged("post_install", "-at_install")
class TestInventorySnapshot(JxcAnalysisCommon):
    """Month-end snapshots of the known history (see analysis_common)."""

    def _get(self, month_end, warehouse):
        return self.env["jxc.inventory.snapshot"].search([
            ("company_id", "=", self.company.id), ("date", "=", month_end),
            ("warehouse_id", "=", warehouse.id), ("product_id", "=", self.product_1.id),
        ])

    def test_live_month_ends(self):
        wh1, wh2 = self.warehouse, self.warehouse_2
        # (month end, warehouse): (qty, value, opening qty, opening value, delivered, cogs)
        expected = {
            (date(2025, 1, 31), wh1): (100, 1000, 0, 0, 0, 0),
            (date(2025, 1, 31), wh2): (30, 300, 0, 0, 0, 0),
            (date(2025, 2, 28), wh1): (65, 650, 100, 1000, 35, 350),
            (date(2025, 2, 28), wh2): (30, 300, 30, 300, 0, 0),
            # the March cron ran on April 3rd: the April delivery is taken back from the quants
            (date(2025, 3, 31), wh1): (45, 450, 65, 650, 0, 0),
            (date(2025, 3, 31), wh2): (20, 200, 30, 300, 10, 100),
        }
        for (month_end, warehouse), values in expected.items():
            snap = self._get(month_end, warehouse)
            self.assertEqual(len(snap), 1, (month_end, warehouse.name))
            self.assertTrue(snap.is_live)
            self.assertEqual(
                (snap.quantity, snap.value, snap.opening_quantity, snap.opening_value, snap.delivered_qty, snap.cogs_value),
                tuple(float(v) for v in values), (month_end, warehouse.name),
            )
            self.assertEqual(snap.categ_id, self.category)
        # the vendor return (to a supplier) is not a cost of goods delivered
        self.assertEqual(self._get(date(2025, 3, 31), wh1).cogs_value, 0.0)

    def test_backfill_equals_live(self):
        Snapshot = self.env["jxc.inventory.snapshot"]
        live = Snapshot.search([("company_id", "=", self.company.id)])
        self.assertEqual(set(live.mapped("date")), {date(2025, 1, 31), date(2025, 2, 28), date(2025, 3, 31)})
        live_rows = self._snapshot_rows(live)
        live.unlink()
        rebuilt = Snapshot._backfill(self.company, date_to=date(2025, 4, 1))
        self.assertFalse(any(rebuilt.mapped("is_live")))
        self.assertEqual(self._snapshot_rows(rebuilt), live_rows)
        # April is rebuilt too when asked (one delivery of 5 from WH1)
        april = Snapshot._backfill(self.company, date(2025, 4, 1), date(2025, 5, 1))
        wh1 = april.filtered(lambda s: s.warehouse_id == self.warehouse)
        self.assertEqual((wh1.quantity, wh1.value, wh1.cogs_value), (40.0, 400.0, 50.0))

    def test_rebuild_button(self):
        """The button rebuilds the months not recorded live; recorded months are frozen."""
        Snapshot = self.env["jxc.inventory.snapshot"].with_user(self.jxc_manager)
        live_rows = self._snapshot_rows(Snapshot.search([("date", "<=", date(2025, 3, 31))]))
        Snapshot.search([("date", "=", date(2025, 2, 28))]).sudo().write({"is_live": False})
        with freeze_time("2025-04-10 04:00:00"):
            action = Snapshot.action_backfill()
        self.assertEqual(action["tag"], "soft_reload")
        rebuilt = Snapshot.search([])
        self.assertEqual(set(rebuilt.filtered(lambda s: not s.is_live).mapped("date")), {date(2025, 2, 28)})
        self.assertEqual(self._snapshot_rows(rebuilt), live_rows)
        with self.assertRaises(AccessError):
            self.env["jxc.inventory.snapshot"].with_user(self.jxc_user).action_backfill()

    def test_one_row_of_stock_in_transit_per_month_end(self):
        """Stock in transit (no warehouse) has one row per product and month end, as a warehouse's."""
        Snapshot = self.env["jxc.inventory.snapshot"]
        vals = {"company_id": self.company.id, "date": date(2025, 1, 31), "product_id": self.product_1.id,
                "warehouse_id": False, "quantity": 3.0}
        Snapshot._insert_rows(self.company, [vals])
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            Snapshot._insert_rows(self.company, [vals])

    def test_upgrade_drops_transit_rows_stored_twice(self):
        """Rows of stock in transit stored twice under the former key (two rebuilds at once):
        the upgrade keeps the first, so that the new key can be added."""
        Snapshot = self.env["jxc.inventory.snapshot"]
        self.env.execute_query(SQL("DROP INDEX jxc_inventory_snapshot_unique_row"))  # as before 19.0.1.7.0
        vals = {"company_id": self.company.id, "date": date(2025, 1, 31), "product_id": self.product_1.id,
                "warehouse_id": False, "quantity": 3.0}
        first, second = Snapshot._insert_rows(self.company, [vals]), Snapshot._insert_rows(self.company, [vals])
        run_migration(self.env, "19.0.1.7.0", "pre-migrate")
        self.assertEqual((first.exists(), second.exists()), (first, Snapshot))

    def test_rebuild_before_the_monthly_run_leaves_the_month_to_it(self):
        """A manager rebuilds on 1 May before the night's run: April is rebuilt from the moves,
        and the run still records it live (frozen), as it would have without the rebuild."""
        Snapshot = self.env["jxc.inventory.snapshot"]
        with freeze_time("2025-05-01 01:00:00"):  # 09:00 in Shanghai
            Snapshot.with_user(self.jxc_manager).action_backfill()
        april = [("company_id", "=", self.company.id), ("date", "=", date(2025, 4, 30))]
        self.assertEqual(set(Snapshot.search(april).mapped("is_live")), {False})
        rebuilt = self._snapshot_rows(Snapshot.search(april))
        with freeze_time("2025-05-01 05:00:00"):
            Snapshot._cron_take_snapshots()
        self.assertEqual(set(Snapshot.search(april).mapped("is_live")), {True})
        self.assertEqual(self._snapshot_rows(Snapshot.search(april)), rebuilt)
        self.assertEqual(self.company.sudo().jxc_snapshot_date, date(2025, 4, 30))

    def test_cron_is_idempotent(self):
        """Run again after March was recorded, the job leaves it as it was: the same rows (not
        rebuilt, which would give new ones), though the Widget's cost changed since."""
        Snapshot = self.env["jxc.inventory.snapshot"]
        snapshots = Snapshot.search([])
        self.assertTrue(snapshots)
        before = self._snapshot_rows(snapshots)
        marker = self.company.sudo().jxc_snapshot_date
        self.product_1.standard_price = 99.0
        with freeze_time("2025-04-03 06:00:00"):
            Snapshot._cron_take_snapshots()
        self.assertEqual(Snapshot.search([]), snapshots)
        self.assertEqual(self._snapshot_rows(snapshots), before)
        self.assertEqual(self.company.sudo().jxc_snapshot_date, marker)

    def test_month_end_of_a_company_west_of_utc(self):
        """The job runs daily: at 00:30 UTC on 1 May it is still 30 April in Los Angeles, so
        April is recorded by the next day's run, not a month later."""
        cron = self.env.ref("jxc_addon.jxc_inventory_snapshot_cron")
        self.assertEqual((cron.interval_number, cron.interval_type), (1, "days"))
        Snapshot = self.env["jxc.inventory.snapshot"]
        self.company.partner_id.tz = "America/Los_Angeles"
        Snapshot.search([("date", "=", date(2025, 4, 30))]).unlink()
        with freeze_time("2025-05-01 00:30:00"):
            Snapshot._cron_take_snapshots()
        self.assertFalse(Snapshot.search_count([("company_id", "=", self.company.id), ("date", "=", date(2025, 4, 30))]))
        with freeze_time("2025-05-02 00:30:00"):
            Snapshot._cron_take_snapshots()
        april = Snapshot.search([("company_id", "=", self.company.id), ("date", "=", date(2025, 4, 30))])
        self.assertTrue(april)
        self.assertEqual(set(april.mapped("is_live")), {True})

    def test_first_month_end_west_of_utc(self):
        """A company in Mexico City receives its first stock at 20:00 on 31 January (02:00 UTC on
        1 February): its history starts with the month end of 31 January, not of February."""
        company = self.env["res.company"].create({"name": "JXC Mexico"})
        company.partner_id.tz = "America/Mexico_City"
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
        Snapshot = self.env["jxc.inventory.snapshot"]
        with freeze_time("2025-02-01 02:00:00"):
            self.env["stock.quant"].with_company(company).with_context(inventory_mode=True).create({
                "product_id": self.product_1.id, "location_id": warehouse.lot_stock_id.id, "inventory_quantity": 100,
            }).action_apply_inventory()
        self.assertEqual(Snapshot._get_first_move_date(company), date(2025, 1, 31))
        rows = Snapshot._backfill(company, date_to=date(2025, 3, 1))
        self.assertEqual(sorted(set(rows.mapped("date"))), [date(2025, 1, 31), date(2025, 2, 28)])
        self.assertEqual(rows.filtered(lambda row: row.date == date(2025, 1, 31)).quantity, 100.0)

    def test_cron_backfills_a_late_install(self):
        """With no history at all, the cron rebuilds the months before the one it records."""

        Snapshot = self.env["jxc.inventory.snapshot"]
        self._forget_snapshots()
        with freeze_time("2025-04-03 06:00:00"):
            Snapshot._cron_take_snapshots()
        snapshots = Snapshot.search([("company_id", "=", self.company.id)])
        self.assertEqual(set(snapshots.mapped("date")), {date(2025, 1, 31), date(2025, 2, 28), date(2025, 3, 31)})
        self.assertEqual(snapshots.filtered("is_live").mapped("date"), [date(2025, 3, 31)] * 2)
        self.assertEqual(sum(snapshots.filtered(lambda s: s.date == date(2025, 3, 31)).mapped("value")), 650.0)

    def test_fifo_book_value(self):
        """FIFO products are valued at the stock_account move values: what is left of the latest receipts."""

        fifo_categ = self._create_category("JXC FIFO", "fifo")
        product = self.env["product.product"].create({
            **self._prepare_product_vals("JXC FIFO Item", 5.0, 9.0, "JXC-FIFO"), "categ_id": fifo_categ.id,
        })
        self._buy(self.vendor_a, [(product, 10, 5.0)], "2025-05-05 04:00:00")
        self._buy(self.vendor_a, [(product, 10, 7.0)], "2025-05-06 04:00:00")
        self._sell(self.customer_a, [(product, 15, 9.0)], "2025-05-20 04:00:00")
        self.env.flush_all()
        snaps = self.env["jxc.inventory.snapshot"]._backfill(self.company, date(2025, 5, 1), date(2025, 6, 1))
        row = snaps.filtered(lambda s: s.product_id == product)
        # in: 10 x 5 + 10 x 7 = 120; out (FIFO): 10 x 5 + 5 x 7 = 85; left: 5 x 7 = 35
        self.assertEqual((row.quantity, row.value, row.cogs_value), (5.0, 35.0, 85.0))


@tagged("post_install", "-at_install")
class TestSnapshotRobustness(JxcAnalysisCommon):
    def test_query_count_does_not_grow_with_products(self):

        Snapshot = self.env["jxc.inventory.snapshot"]

        def count_queries():
            self.env.flush_all()
            self.env.invalidate_all()
            Snapshot._prepare_month_vals(self.company, date(2025, 6, 30))  # warms the ormcaches (ir.default)
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            Snapshot._prepare_month_vals(self.company, date(2025, 6, 30))
            return self.env.cr.sql_log_count - before

        def add_products(names):
            products = self.env["product.product"].create([
                self._prepare_product_vals("JXC Bulk %s" % name, 2.0, 3.0, "JXC-B%s" % name) for name in names
            ])
            self._buy(self.vendor_a, [(p, 5, 2.0) for p in products], "2025-06-10 04:00:00")
            self._sell(self.customer_a, [(p, 2, 3.0) for p in products], "2025-06-12 04:00:00")
            return products

        # the baseline holds two products of one category: the cost method is asked on one
        add_products(["A", "B"])
        baseline = count_queries()
        products = add_products(range(8))
        self.assertEqual(count_queries(), baseline)
        rows = [r for r in Snapshot._prepare_month_vals(self.company, date(2025, 6, 30)) if r["product_id"] in products.ids]
        self.assertEqual(len(rows), 8)
        self.assertEqual({(r["quantity"], r["value"], r["cogs_value"]) for r in rows}, {(3.0, 6.0, 4.0)})

    def test_cron_backfill_goes_on_where_it_stopped(self):
        """A late install on a company whose history starts in January 2023 with a month of
        stock, then none for almost two years: the action back-fills a year per step, and a call
        stopped after each step (the worker's time is up) goes on with the next year, the
        empty 2024 included, then records March 2025 live. The same rows as one back-fill."""
        from unittest.mock import patch  # noqa: PLC0415

        Snapshot = self.env["jxc.inventory.snapshot"]
        Cron = type(self.env["ir.cron"])
        lamp = self.env["product.product"].create(self._prepare_product_vals("JXC Lamp", 8.0, 12.0, "JXC-LAMP"))
        self._buy(self.vendor_a, [(lamp, 5, 8.0)], "2023-01-10 04:00:00")
        self._sell(self.customer_a, [(lamp, 5, 12.0)], "2023-02-10 04:00:00")
        self.env.flush_all()
        with freeze_time("2025-04-03 06:00:00"):
            Snapshot._backfill(self.company, date_to=date(2025, 3, 1))
            Snapshot._record_month(self.company, date(2025, 3, 31), live=True)
        expected = self._snapshot_rows(Snapshot.search([("company_id", "=", self.company.id)]))
        self._forget_snapshots()
        # the other companies have nothing left to take: each call's step is this company's
        (self.env["res.company"].search([]) - self.company).sudo().jxc_snapshot_date = date(2025, 3, 31)
        recorded = []
        with patch.object(Cron, "_commit_progress", autospec=True, return_value=0.0), \
                freeze_time("2025-04-03 06:00:00"):
            for _call in range(5):
                Snapshot._cron_take_snapshots(use_new_cursor=True)
                snapshots = Snapshot.search([("company_id", "=", self.company.id)])
                recorded.append((max(snapshots.mapped("date")), self.company.sudo().jxc_snapshot_date))
        self.assertEqual(recorded, [
            (date(2023, 2, 28), date(2023, 12, 31)),  # 2023: January and February have rows
            (date(2023, 2, 28), date(2024, 12, 31)),  # 2024: no stock, no row
            (date(2025, 2, 28), date(2025, 2, 28)),
            (date(2025, 3, 31), date(2025, 3, 31)),  # March, live
            (date(2025, 3, 31), date(2025, 3, 31)),  # nothing left to do
        ])
        self.assertEqual(self._snapshot_rows(Snapshot.search([("company_id", "=", self.company.id)])), expected)

    def test_a_failed_year_is_tried_again(self):
        """The 2023 step of a late install fails: the later years and the live month wait (its
        marker stays before 2023), and the next run takes 2023 first; no month end is lost."""
        from unittest.mock import patch  # noqa: PLC0415

        Snapshot = self.env["jxc.inventory.snapshot"]
        lamp = self.env["product.product"].create(self._prepare_product_vals("JXC Lamp", 8.0, 12.0, "JXC-LAMP"))
        self._buy(self.vendor_a, [(lamp, 5, 8.0)], "2023-01-10 04:00:00")
        self._forget_snapshots()
        original = type(Snapshot)._take_snapshot_step

        def take(model, step):
            if step[0] == self.company and step[1][0].year == 2023:
                raise ValueError("statement timeout")
            return original(model, step)

        with patch.object(type(Snapshot), "_take_snapshot_step", take), freeze_time("2025-04-03 06:00:00"), \
                self.assertLogs("odoo.addons.jxc_addon.models.jxc_inventory_snapshot", "ERROR"):
            Snapshot._cron_take_snapshots()
        self.assertFalse(self.company.sudo().jxc_snapshot_date)
        self.assertFalse(Snapshot.search_count([("company_id", "=", self.company.id)]))
        with freeze_time("2025-04-03 06:00:00"):
            Snapshot._cron_take_snapshots()
        dates = Snapshot.search([("company_id", "=", self.company.id), ("product_id", "=", lamp.id)]).mapped("date")
        self.assertEqual((min(dates), max(dates), len(dates)), (date(2023, 1, 31), date(2025, 3, 31), 27))

    def test_a_failed_year_holds_back_no_other_company(self):
        """The main company's 2023 step fails while Odoo's time for the job is up: its later
        steps wait for it, and the call goes on to the next company, whose March is recorded
        (the waiting steps are no steps done to stop after)."""
        from unittest.mock import patch  # noqa: PLC0415

        Snapshot = self.env["jxc.inventory.snapshot"]
        Cron = type(self.env["ir.cron"])
        lamp = self.env["product.product"].create(self._prepare_product_vals("JXC Lamp", 8.0, 12.0, "JXC-LAMP"))
        self._buy(self.vendor_a, [(lamp, 5, 8.0)], "2023-01-10 04:00:00")
        self._forget_snapshots()
        other = self.env["res.company"].create({"name": "JXC Waiting Co", "sequence": 2})
        self.company.sequence = 1  # the main company's steps come first
        (self.env["res.company"].search([]) - self.company - other).sudo().jxc_snapshot_date = date(2025, 3, 31)
        other.sudo().jxc_snapshot_date = date(2025, 2, 28)
        original = type(Snapshot)._take_snapshot_step

        def take(model, step):
            if step[0] == self.company and step[1][0].year == 2023:
                raise ValueError("statement timeout")
            return original(model, step)

        with patch.object(type(Snapshot), "_take_snapshot_step", take), \
                patch.object(Cron, "_commit_progress", autospec=True, return_value=0.0), \
                freeze_time("2025-04-03 06:00:00"), \
                self.assertLogs("odoo.addons.jxc_addon.models.jxc_inventory_snapshot", "ERROR"):
            Snapshot._cron_take_snapshots(use_new_cursor=True)
        self.assertFalse(self.company.sudo().jxc_snapshot_date)
        self.assertEqual(other.sudo().jxc_snapshot_date, date(2025, 3, 31))

    def test_cron_skips_a_failing_company(self):
        from unittest.mock import patch  # noqa: PLC0415


        Snapshot = self.env["jxc.inventory.snapshot"]
        other = self.env["res.company"].create({"name": "JXC Broken Co"})
        self._forget_snapshots()
        original = type(Snapshot)._take_snapshot_step

        def take(model, step):
            if step[0] == other:
                raise ValueError("broken")
            return original(model, step)

        with patch.object(type(Snapshot), "_take_snapshot_step", take), freeze_time("2025-04-03 06:00:00"), \
                self.assertLogs("odoo.addons.jxc_addon.models.jxc_inventory_snapshot", "ERROR"):
            Snapshot._cron_take_snapshots()
        self.assertEqual(Snapshot.search_count([("company_id", "=", self.company.id), ("date", "=", date(2025, 3, 31))]), 2)


@tagged("post_install", "-at_install")
class TestSnapshotHistoryBeforeOpeningStock(JxcAnalysisCommon):
    """Sales history entered months before the opening stock, which came later by an inventory
    adjustment (Odoo's own demo data, or a migration): no month end may be negative."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.desk = cls.env["product.product"].create(cls._prepare_product_vals("JXC Desk", 300.0, 500.0, "JXC-DESK"))
        for day in ("2025-05-10", "2025-06-10", "2025-07-10"):
            cls._sell(cls.customer_a, [(cls.desk, 10, 500.0)], "%s 04:00:00" % day)
        with freeze_time("2025-08-05 04:00:00"):
            cls._set_on_hand(cls.desk, 50)  # the opening stock, entered last: +80
        cls.env.flush_all()

    def _desk_rows(self, snapshots):
        return {
            s.date: (s.quantity, s.value, s.history_state, s.cogs_value)
            for s in snapshots.filtered(lambda s: s.product_id == self.desk)
        }

    def test_backfill_anchors_on_the_opening_adjustment(self):
        Snapshot = self.env["jxc.inventory.snapshot"]
        snapshots = Snapshot._backfill(self.company, date(2025, 5, 1), date(2025, 9, 1))
        self.assertEqual(self._desk_rows(snapshots), {
            # raw history: -10, -20, -30; the +80 adjustment of August is the opening stock
            date(2025, 5, 31): (70.0, 21000.0, "anchored", 3000.0),
            date(2025, 6, 30): (60.0, 18000.0, "anchored", 3000.0),
            date(2025, 7, 31): (50.0, 15000.0, "anchored", 3000.0),
            date(2025, 8, 31): (50.0, 15000.0, False, 0.0),
        })
        self.assertFalse(Snapshot.search_count([("quantity", "<", 0)]))
        self.assertFalse(Snapshot.search_count([("value", "<", 0)]))

    def test_nothing_to_anchor_on_leaves_the_row_at_zero(self):
        """Sold beyond the stock with no later adjustment: the row is zero and flagged."""
        self._sell(self.customer_a, [(self.desk, 85, 500.0)], "2025-08-20 04:00:00")
        self.env.flush_all()
        rows = self._desk_rows(self.env["jxc.inventory.snapshot"]._backfill(self.company, date(2025, 8, 1), date(2025, 10, 1)))
        self.assertEqual(rows[date(2025, 8, 31)][:3], (0.0, 0.0, "incomplete"))
        self.assertEqual(rows[date(2025, 8, 31)][3], 25500.0)  # the deliveries still count

    def test_live_snapshot_anchors_too(self):
        """A month recorded live from the quants (after the adjustment) is anchored the same way."""
        Snapshot = self.env["jxc.inventory.snapshot"]
        Snapshot._backfill(self.company, date(2025, 1, 1), date(2025, 7, 1))
        rows = Snapshot._prepare_month_vals(self.company, date(2025, 6, 30), live=True)
        desk = [r for r in rows if r["product_id"] == self.desk.id]
        # live from today's quants (50 on hand), taking back the adjustment and July's sale
        self.assertEqual([(r["quantity"], r["value"], r["history_state"]) for r in desk], [(60.0, 18000.0, "anchored")])

    def test_dashboard_explains_and_stays_positive(self):
        Snapshot = self.env["jxc.inventory.snapshot"]
        Snapshot.search([]).unlink()
        Snapshot._backfill(self.company, date(2025, 1, 1), date(2025, 9, 1))
        tiles = {
            kpi["key"]: kpi for kpi in self.env["jxc.dashboard"].with_user(self.jxc_manager)._get_kpis(
                self.company, date(2025, 7, 1), date(2025, 8, 1))
        }
        self.assertGreater(tiles["inventory_value"]["value"], 0)
        self.assertGreater(tiles["turnover"]["value"], 0)
        self.assertGreater(tiles["days_of_inventory"]["value"], 0)
        self.assertIn("1 product(s) sold before their opening stock", tiles["inventory_value"]["note"])
        self.assertEqual(tiles["turnover"]["note"], tiles["inventory_value"]["note"])
        # a period without anchored products carries no note
        tiles = {kpi["key"]: kpi for kpi in self.env["jxc.dashboard"]._get_kpis(self.company, date(2025, 3, 1), date(2025, 4, 1))}
        self.assertFalse(tiles["inventory_value"]["note"])

    def test_dashboard_notes_count_the_month_ends_their_figure_rests_on(self):
        """August: the desk is anchored at 31 July, not at 31 August. The value of 31 August
        rests on no anchored row; August's turnover opens on the anchored 15,000.00 of 31 July."""
        Snapshot = self.env["jxc.inventory.snapshot"]
        Snapshot.search([]).unlink()
        Snapshot._backfill(self.company, date(2025, 1, 1), date(2025, 9, 1))
        self.assertEqual(self._desk_rows(Snapshot.search([("date", ">=", date(2025, 7, 31))])), {
            date(2025, 7, 31): (50.0, 15000.0, "anchored", 3000.0),
            date(2025, 8, 31): (50.0, 15000.0, False, 0.0),
        })
        tiles = {
            kpi["key"]: kpi for kpi in self.env["jxc.dashboard"].with_user(self.jxc_manager)._get_kpis(
                self.company, date(2025, 8, 1), date(2025, 9, 1))
        }
        self.assertIs(tiles["inventory_value"]["note"], False)
        self.assertEqual(tiles["turnover"]["note"], "1 product(s) sold before their opening stock was entered: valued "
                         "from the first later inventory adjustment (see the History column).")


@tagged("post_install", "-at_install")
class TestSnapshotExitsOfValue(JxcAnalysisCommon):
    def test_cogs_apart_from_scrap_and_count_differences(self):
        """Cost of goods delivered is what went to customers net of returns; scrap (报废) and
        count losses / gains (报损 / 报溢) are reported beside it, not mixed in."""
        product = self.product_2  # standard cost 4
        self._buy(self.vendor_a, [(product, 50, 4.0)], "2025-06-03 04:00:00")
        delivery = self._sell(self.customer_a, [(product, 10, 9.0)], "2025-06-05 04:00:00")
        with freeze_time("2025-06-07 04:00:00"):
            self._return_picking(delivery, {product: 1})
        with freeze_time("2025-06-09 04:00:00"):
            self.env["stock.scrap"].create({
                "product_id": product.id, "scrap_qty": 2, "location_id": self.stock_location.id,
            }).action_validate()
        with freeze_time("2025-06-11 04:00:00"):
            self._set_on_hand(product, 35)  # 39 on hand: 4 lost
        with freeze_time("2025-06-12 04:00:00"):
            self._set_on_hand(product, 36)  # 1 found
        rows = [
            r for r in self.env["jxc.inventory.snapshot"]._prepare_month_vals(self.company, date(2025, 6, 30))
            if r["product_id"] == product.id
        ]
        # the receipt of 50 x 4 is what the movements leave: 0 + 200 - 36 - 8 - 16 + 4 = 144
        self.assertEqual(
            [(r["quantity"], r["value"], r["delivered_qty"], r["cogs_value"], r["scrap_value"],
              r["count_loss_value"], r["count_gain_value"], r["consumption_value"], r["other_value"]) for r in rows],
            [(36.0, 144.0, 9.0, 36.0, 8.0, 16.0, 4.0, 0.0, 200.0)],
        )

    def test_a_month_adds_up_with_a_cost_change(self):
        """10 bought at the standard cost of 4 in June; in July the cost becomes 5 and 2 are
        delivered: July opens at 40, delivers 10 and closes at 40. The 10 the new cost added
        (8 units x 1, and the 2 delivered at 5) are the month's other changes; June's are
        its receipt. Recorded June and back-filled July add up alike."""
        product = self.product_2
        with freeze_time("2025-05-01 04:00:00"):
            # Odoo's cost record of 4 in force since May (before any, Odoo takes the first one there is)
            product.standard_price = 3.0
            product.standard_price = 4.0
        self._buy(self.vendor_a, [(product, 10, 4.0)], "2025-06-03 04:00:00")
        with freeze_time("2025-07-10 04:00:00"):
            product.standard_price = 5.0
        self._sell(self.customer_a, [(product, 2, 9.0)], "2025-07-15 04:00:00")
        Snapshot = self.env["jxc.inventory.snapshot"]
        with freeze_time("2025-07-01 04:00:00"):
            Snapshot._record_month(self.company, date(2025, 6, 30), live=True)
        with freeze_time("2025-08-05 04:00:00"):
            Snapshot._backfill(self.company, date(2025, 6, 1))
        rows = Snapshot.search([("product_id", "=", product.id)], order="date")
        self.assertEqual([(r.date.isoformat(), r.opening_value, r.cogs_value, r.revaluation_value, r.other_value, r.value)
                          for r in rows], [("2025-06-30", 0.0, 0.0, 0.0, 40.0, 40.0), ("2025-07-31", 40.0, 10.0, 0.0, 10.0, 40.0)])
        flows = dict(MONTH_FLOWS)
        for row in rows:
            self.assertEqual(row.opening_value + sum(sign * row[name] for name, sign in flows.items()) + row.other_value,
                             row.value)
        # a month recorded before the column: the upgrade gives it the same figure
        self.env.execute_query(SQL("UPDATE jxc_inventory_snapshot SET other_value = NULL WHERE id = ANY(%s)", rows.ids))
        rows.invalidate_recordset(["other_value"])
        run_migration(self.env, "19.0.1.16.0")
        self.assertEqual(rows.mapped("other_value"), [40.0, 10.0])


@tagged("post_install", "-at_install")
class TestSnapshotConsignedStock(JxcCommon):
    """Vendor A's consigned stock (quants owned by the vendor) is not the company's: the
    month's delivered quantity counts the company's own units, as its quantity, value and cost
    of goods do. January 2025: 10 consigned widgets; 10 consigned gadgets, then 5 of our own.
    Sold: 4 widgets (all consigned); 4 gadgets (consigned) and 8 more (the last 6 consigned and
    2 of ours: Odoo reserves the oldest stock first)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Quant = cls.env["stock.quant"]
        with freeze_time("2025-01-03 04:00:00"):
            for product in (cls.product_1, cls.product_2):
                Quant._update_available_quantity(product, cls.stock_location, 10.0, owner_id=cls.vendor_a)
        with freeze_time("2025-01-04 04:00:00"):
            cls._set_on_hand(cls.product_2, 5)
        cls._sell(cls.customer_a, [(cls.product_1, 4, 25.0), (cls.product_2, 4, 9.0)], "2025-01-15 04:00:00")
        cls.mixed_delivery = cls._sell(cls.customer_a, [(cls.product_2, 8, 9.0)], "2025-01-20 04:00:00")
        cls.env.flush_all()

    def test_delivered_quantity_is_own_stock(self):
        lines = self.mixed_delivery.move_ids.move_line_ids
        self.assertEqual(sorted((line.owner_id.name or "", line.quantity) for line in lines),
                         [("", 2.0), (self.vendor_a.name, 6.0)])
        snapshots = self.env["jxc.inventory.snapshot"]._backfill(self.company, date(2025, 1, 1), date(2025, 2, 1))
        rows = {
            s.product_id: (s.date, s.quantity, s.value, s.delivered_qty, s.cogs_value)
            for s in snapshots if s.product_id in (self.product_1 | self.product_2)
        }
        # the consigned widgets: nothing of ours delivered
        self.assertEqual(rows[self.product_1], (date(2025, 1, 31), 0.0, 0.0, 0.0, 0.0))
        # the gadgets: 2 of our 5 delivered at 4.00, 3 left
        self.assertEqual(rows[self.product_2], (date(2025, 1, 31), 3.0, 12.0, 2.0, 8.0))
