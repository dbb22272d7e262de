from datetime import datetime, timedelta

import pytz
from freezegun import freeze_time

from odoo.fields import Command
from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

from ..tools.age_buckets import bucket_label_sql, bucket_sequence_sql
from .common import JxcCommon


def _freeze_now(case_class):
    """Hold the clock at this instant for the whole class: its history is dated relative to
    today, and a run crossing midnight in Shanghai (16:00 UTC) would shift every age by a day."""
    case_class.startClassPatcher(freeze_time(datetime.now(pytz.utc).replace(tzinfo=None)))


@tagged("post_install", "-at_install")
class TestAgingAndDeadStock(JxcCommon):
    """Aging and dead stock look at today's stock: the history is dated relative to today.

    product_2 (cost 4) receives 10 units 400, 200, 100, 45 and 10 days ago, then 25 units are
    delivered 5 days ago: FIFO consumed the 400- and 200-day-old receipts and half of the
    100-day-old one, so 5 (100 days), 10 (45 days) and 10 (10 days) are left.
    product_3 (cost 50) received 4 units 400 days ago and never moved out.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        _freeze_now(cls)
        tz = pytz.timezone("Asia/Shanghai")
        cls.today = datetime.now(pytz.utc).astimezone(tz).date()

        def at(days_ago):  # noon in Shanghai, days_ago days before today
            return datetime.combine(cls.today - timedelta(days=days_ago), datetime.min.time()) + timedelta(hours=4)

        for days_ago in (400, 200, 100, 45, 10):
            with freeze_time(at(days_ago)):
                cls._receive(cls._create_purchase(cls.vendor_a, [(cls.product_2, 10, 4.0)]))
        with freeze_time(at(400)):
            cls._receive(cls._create_purchase(cls.vendor_b, [(cls.product_3, 4, 50.0)]))
        with freeze_time(at(5)):
            cls._deliver(cls._create_sale(cls.customer_a, [(cls.product_2, 25, 9.0)]))
        cls.env.flush_all()

    def _aging(self, product):
        return {
            bucket: (qty, value)
            for bucket, qty, value in self.env["jxc.stock.aging.report"]._read_group(
                [("product_id", "=", product.id)], ["age_bucket"], ["quantity:sum", "value:sum"])
        }

    def test_fifo_aging_with_partial_consumption(self):
        self.assertEqual(self._aging(self.product_2), {
            "1. 0-30 days": (10.0, 40.0),
            "2. 31-60 days": (10.0, 40.0),
            "4. 91-180 days": (5.0, 20.0),
        })
        rows = self.env["jxc.stock.aging.report"].search([("product_id", "=", self.product_2.id)], order="age_days")
        self.assertEqual(rows.mapped("age_days"), [10, 45, 100])
        self.assertEqual(self._aging(self.product_3), {"6. >365 days": (4.0, 200.0)})

    def test_rows_keep_their_ids(self):
        """The 5 units of 100 days delivered: the two rows left keep the ids the list showed
        (a row ticked before is the row exported), as do the Gizmo's."""
        Aging = self.env["jxc.stock.aging.report"]

        def ids():
            Aging.invalidate_model()
            rows = Aging.search([("product_id", "in", (self.product_2 | self.product_3).ids)])
            return {(row.product_id, row.age_days): row.id for row in rows}

        before = ids()
        self.assertEqual(len(before), 4)
        self._deliver(self._create_sale(self.customer_a, [(self.product_2, 5, 9.0)]))
        self.env.flush_all()
        after = ids()
        self.assertEqual(set(after), set(before) - {(self.product_2, 100)})
        self.assertEqual(after, {key: before[key] for key in after})

    def test_configurable_buckets(self):
        self.company.jxc_aging_buckets = "15,50"
        self.env.flush_all()
        self.assertEqual(self._aging(self.product_2), {
            "1. 0-15 days": (10.0, 40.0),
            "2. 16-50 days": (10.0, 40.0),
            "3. >50 days": (5.0, 20.0),
        })

    def test_buckets_typed_with_a_chinese_input_method(self):
        """Full-width digits and commas and the ideographic space mean the numbers they show:
        stored as such, the report ages by them; a value stored around the ORM gives the
        default buckets rather than an error."""
        self.company.jxc_aging_buckets = "１５，\u300050"
        self.assertEqual(self.company.jxc_aging_buckets, "15,50")
        self.env.flush_all()
        self.assertEqual(list(self._aging(self.product_2)), ["1. 0-15 days", "2. 16-50 days", "3. >50 days"])
        self.env.execute_query(SQL("UPDATE res_company SET jxc_aging_buckets = '３０' WHERE id = %s", self.company.id))
        self.env.invalidate_all()
        self.assertIn("2. 31-60 days", self._aging(self.product_2))

    def test_bad_buckets_refused(self):
        from odoo.exceptions import ValidationError  # noqa: PLC0415

        for buckets in ("30,20", "a,b", "0,30"):
            with self.assertRaises(ValidationError):
                self.company.jxc_aging_buckets = buckets

    def test_dead_and_slow_stock(self):
        Report = self.env["jxc.dead.stock.report"]
        gizmo = Report.search([("product_id", "=", self.product_3.id)])
        self.assertEqual(
            (gizmo.stock_status, gizmo.quantity, gizmo.value, gizmo.idle_days, gizmo.last_out_date),
            ("dead", 4.0, 200.0, 400, False),
        )
        gadget = Report.search([("product_id", "=", self.product_2.id)])
        # 25 out in the 180-day window, 25 on hand: 25 x 365 / 180 / 25 = 2.03 turns a year >= 2
        self.assertEqual((gadget.stock_status, gadget.quantity, gadget.value, gadget.idle_days), ("active", 25.0, 100.0, 5))
        self.assertAlmostEqual(gadget.annual_turnover, 365 / 180, places=4)
        self.assertEqual(gadget.last_out_date.date(), self.today - timedelta(days=5))
        self.company.jxc_slow_turnover_rate = 3.0
        self.env.flush_all()
        gadget.invalidate_recordset()
        self.assertEqual(gadget.stock_status, "slow")
        self.company.jxc_dead_stock_days = 4
        self.env.flush_all()
        gadget.invalidate_recordset()
        self.assertEqual(gadget.stock_status, "dead")
        kpi = Report._get_jxc_dashboard_kpis(self.company, None, None)[0]
        self.assertEqual(kpi["value"], 300.0)
        self.assertEqual(kpi["value"], sum(Report.search(kpi["action"]["domain"]).mapped("value")))


@tagged("post_install", "-at_install")
class TestAgingAcrossWarehouses(JxcCommon):
    """Transfers between the company's warehouses, count losses and scrap, dated relative to today.

    product_1: 10 received in WH 400 days ago, 2 sold 300 days ago, 4 moved to the second
    warehouse 10 days ago, 1 lost at a count 5 days ago, 1 scrapped 3 days ago: 2 left in WH,
    4 in WH2, all from the receipt of 400 days ago, none sold for 300 days.
    product_2: 10 received in WH 400 days ago and 10 100 days ago; 15 moved to WH2 50 days
    ago (by FIFO the 10 of 400 days and 5 of 100 days); 5 received in WH2 30 days ago; 12 sold
    from WH2 20 days ago (the 10 of 400 days and 2 of 100 days). Left: WH 5 (100 days), WH2 3
    (100 days) and 5 (30 days).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        _freeze_now(cls)
        tz = pytz.timezone("Asia/Shanghai")
        cls.today = datetime.now(pytz.utc).astimezone(tz).date()
        cls.warehouse_2 = cls.env["stock.warehouse"].create({"name": "JXC Aging Second", "code": "JXA2"})

        def at(days_ago):
            return datetime.combine(cls.today - timedelta(days=days_ago), datetime.min.time()) + timedelta(hours=4)

        with freeze_time(at(400)):
            cls._receive(cls._create_purchase(cls.vendor_a, [(cls.product_1, 10, 10.0), (cls.product_2, 10, 4.0)]))
        with freeze_time(at(300)):
            cls._deliver(cls._create_sale(cls.customer_a, [(cls.product_1, 2, 25.0)]))
        with freeze_time(at(100)):
            cls._receive(cls._create_purchase(cls.vendor_a, [(cls.product_2, 10, 4.0)]))
        with freeze_time(at(50)):
            cls._transfer(cls.warehouse, cls.warehouse_2, [(cls.product_2, 15)])
        with freeze_time(at(30)):
            picking = cls.env["stock.picking"].create({
                "picking_type_id": cls.warehouse_2.in_type_id.id,
                "partner_id": cls.vendor_b.id,
                "move_ids": [Command.create({
                    "product_id": cls.product_2.id, "product_uom_qty": 5,
                    "location_id": cls.env.ref("stock.stock_location_suppliers").id,
                    "location_dest_id": cls.warehouse_2.lot_stock_id.id,
                })],
            })
            picking.action_confirm()
            cls._validate_picking(picking)
        with freeze_time(at(20)):
            order = cls._create_sale(cls.customer_b, [(cls.product_2, 12, 9.0)], confirm=False)
            order.warehouse_id = cls.warehouse_2
            order.action_confirm()
            cls._deliver(order)
        with freeze_time(at(10)):
            cls._transfer(cls.warehouse, cls.warehouse_2, [(cls.product_1, 4)])
        with freeze_time(at(5)):
            cls._set_on_hand(cls.product_1, 3)
        with freeze_time(at(3)):
            cls.env["stock.scrap"].create({
                "product_id": cls.product_1.id, "scrap_qty": 1, "location_id": cls.stock_location.id,
            }).action_validate()

    def _aging(self, product):
        rows = self.env["jxc.stock.aging.report"].search([("product_id", "=", product.id)])
        return sorted((r.warehouse_id.code, r.age_days, r.quantity) for r in rows)

    def test_transfer_keeps_the_age_of_the_receipt(self):
        self.assertEqual(self._aging(self.product_1), [("JXA2", 400, 4.0), ("WH", 400, 2.0)])

    def test_second_transfer_still_ages_from_the_receipt(self):
        """WH -> WH2 -> a third warehouse: followed back over both transfers."""
        warehouse_3 = self.env["stock.warehouse"].create({"name": "JXC Aging Third", "code": "JXA3"})
        self._transfer(self.warehouse_2, warehouse_3, [(self.product_1, 3), (self.product_2, 6)])
        self.assertEqual(self._aging(self.product_1), [("JXA2", 400, 1.0), ("JXA3", 400, 3.0), ("WH", 400, 2.0)])
        # WH2 sends its oldest product_2 first: the 3 of 100 days, then 3 of its own receipt
        self.assertEqual(self._aging(self.product_2),
                         [("JXA2", 30, 2.0), ("JXA3", 30, 3.0), ("JXA3", 100, 3.0), ("WH", 100, 5.0)])

    def test_transfer_ages_by_fifo_of_the_source(self):
        self.assertEqual(self._aging(self.product_2), [("JXA2", 30, 5.0), ("JXA2", 100, 3.0), ("WH", 100, 5.0)])
        rows = self.env["jxc.stock.aging.report"].search([("product_id", "=", self.product_2.id)])
        self.assertEqual(sum(rows.mapped("quantity")), self.product_2.qty_available)
        self.assertEqual(len(set(rows.ids)), 3)

    def test_dead_since_the_last_sale(self):
        """Count loss, scrap and the transfer are not sales: WH has not sold product_1 for 300
        days; WH2 never sold it and holds goods received 400 days ago. Both are dead."""
        rows = self.env["jxc.dead.stock.report"].search([("product_id", "=", self.product_1.id)])
        by_wh = {r.warehouse_id.code: (r.stock_status, r.quantity, r.idle_days, r.window_out_qty) for r in rows}
        self.assertEqual(by_wh, {"WH": ("dead", 2.0, 300, 0.0), "JXA2": ("dead", 4.0, 400, 0.0)})
        self.assertEqual(rows.filtered(lambda r: r.warehouse_id == self.warehouse).last_out_date.date(),
                         self.today - timedelta(days=300))

    def test_sold_from_the_second_warehouse(self):
        """WH2 sold product_2 20 days ago: active there by date, 12 x 365 / 180 / 8 = 3.04 turns."""
        row = self.env["jxc.dead.stock.report"].search([
            ("product_id", "=", self.product_2.id), ("warehouse_id", "=", self.warehouse_2.id)])
        self.assertEqual((row.stock_status, row.idle_days, row.window_out_qty), ("active", 20, 12.0))
        # WH moved its product_2 out only by transfer: never sold, dated from the receipt of the 5
        # left (FIFO: 100 days, as the aging dates them), not from its first receipt (400 days)
        row = self.env["jxc.dead.stock.report"].search([
            ("product_id", "=", self.product_2.id), ("warehouse_id", "=", self.warehouse.id)])
        self.assertEqual((row.stock_status, row.idle_days), ("new", 100))


@tagged("post_install", "-at_install")
class TestAnalysisPerCompany(JxcCommon):
    """Each company's rows follow that company's settings, and the views read unflushed changes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "JXC Aging Company B", "jxc_aging_buckets": "15,50"})
        cls.company_b.partner_id.tz = "Asia/Shanghai"
        cls.warehouse_b = cls.env["stock.warehouse"].search([("company_id", "=", cls.company_b.id)], limit=1)
        _freeze_now(cls)
        today = datetime.now(pytz.utc).astimezone(pytz.timezone("Asia/Shanghai")).date()
        with freeze_time(datetime.combine(today - timedelta(days=20), datetime.min.time()) + timedelta(hours=4)):
            cls._set_on_hand(cls.product_3, 4)
            cls.env["stock.quant"].with_company(cls.company_b).with_context(inventory_mode=True).create({
                "product_id": cls.product_3.id, "location_id": cls.warehouse_b.lot_stock_id.id, "inventory_quantity": 6,
            }).action_apply_inventory()

    def test_buckets_of_each_company(self):
        rows = self.env["jxc.stock.aging.report"].search([("product_id", "=", self.product_3.id)])
        self.assertEqual(sorted((r.company_id.name, r.age_days, r.age_bucket, r.bucket_sequence, r.quantity) for r in rows), [
            ("JXC Aging Company B", 20, "2. 16-50 days", 2, 6.0),
            (self.company.name, 20, "1. 0-30 days", 1, 4.0),
        ])

    def test_dead_stock_window_of_each_company(self):
        """Company B sold 2 of its 6 units 15 days ago: its own window (30 days, then 10) decides
        whether that sale counts; company A's rows keep A's days."""
        today = datetime.now(pytz.utc).astimezone(pytz.timezone("Asia/Shanghai")).date()
        Move = self.env["stock.move"].with_company(self.company_b)
        with freeze_time(datetime.combine(today - timedelta(days=15), datetime.min.time()) + timedelta(hours=4)):
            move = Move.create({
                "product_id": self.product_3.id, "product_uom_qty": 2.0, "company_id": self.company_b.id,
                "location_id": self.warehouse_b.lot_stock_id.id,
                "location_dest_id": self.env.ref("stock.stock_location_customers").id,
            })
            move._action_confirm()
            move._action_assign()
            move.write({"quantity": 2.0, "picked": True})
            move._action_done()
        self.assertEqual(move.state, "done")

        def rows():
            self.env.invalidate_all()   # a new read of the view, as the next request makes
            return {
                r.company_id: (r.stock_status, r.idle_days, r.window_out_qty)
                for r in self.env["jxc.dead.stock.report"].search([("product_id", "=", self.product_3.id)])
            }

        self.company.jxc_dead_stock_days = 30
        self.company_b.jxc_dead_stock_days = 30
        # B: 2 x 365 / 30 / 4 = 6.08 turns a year, above the slow rate; A: never sold, 20 days
        self.assertEqual(rows(), {self.company: ("new", 20, 0.0), self.company_b: ("active", 15, 2.0)})
        self.company_b.jxc_dead_stock_days = 10
        self.assertEqual(rows(), {self.company: ("new", 20, 0.0), self.company_b: ("dead", 15, 0.0)})

    def test_views_read_pending_changes(self):
        """No explicit flush: the views declare what they read (_depends)."""
        self.product_3.standard_price = 7.0
        self.company.jxc_dead_stock_days = 10
        rows = self.env["jxc.stock.aging.report"].search([("product_id", "=", self.product_3.id),
                                                           ("company_id", "=", self.company.id)])
        self.assertEqual(rows.value, 28.0)
        row = self.env["jxc.dead.stock.report"].search([("product_id", "=", self.product_3.id),
                                                         ("company_id", "=", self.company.id)])
        self.assertEqual((row.stock_status, row.value), ("dead", 28.0))


@tagged("post_install", "-at_install")
class TestAnalysisSettings(JxcCommon):
    def test_defaults_and_settings_page(self):
        from odoo.tests import Form  # noqa: PLC0415

        company = self.env["res.company"].create({"name": "JXC Analysis Fresh Co"})
        self.assertEqual((company.jxc_aging_buckets, company.jxc_slow_turnover_rate), ("30,60,90,180,365", 2.0))
        self.assertEqual(company._get_jxc_aging_limits(), [30, 60, 90, 180, 365])
        settings = Form(self.env["res.config.settings"])
        settings.jxc_aging_buckets = "7,30,90"
        settings.jxc_slow_turnover_rate = 4.0
        settings.save().execute()
        self.assertEqual((self.company.jxc_aging_buckets, self.company.jxc_slow_turnover_rate), ("7,30,90", 4.0))

    def test_negative_slow_rate_refused(self):
        from odoo.exceptions import ValidationError  # noqa: PLC0415

        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.company.jxc_slow_turnover_rate = -1.0


@tagged("post_install", "-at_install")
class TestAgeBucketNumber(TransactionCase):
    def test_bucket_of_each_day_on_and_beside_the_limits(self):
        # limits 30, 60, 90, 180, 365: a limit belongs to its own bucket, the day after it to the
        # next; days before today (goods dated in the future) and beyond the last limit too
        days = [-3, 0, 1, 30, 31, 60, 61, 180, 181, 365, 366, 4000]
        rows = self.env.execute_query(SQL(
            "SELECT %s FROM unnest(%s::integer[]) AS d(days)",
            bucket_sequence_sql(SQL("d.days"), SQL("%s::integer[]", [30, 60, 90, 180, 365])), days,
        ))
        self.assertEqual([seq for (seq,) in rows], [1, 1, 1, 1, 2, 2, 3, 4, 5, 5, 6, 6])

    def test_labels_sort_as_their_buckets(self):
        """Monthly limits 30, 60, ..., 360 make 13 buckets: their labels, sorted as text (a
        pivot's columns grouped by the label), keep the buckets' order."""
        limits = list(range(30, 361, 30))
        rows = self.env.execute_query(SQL(
            "SELECT %s FROM generate_series(1, 13) AS b(seq)",
            bucket_label_sql(self.env, SQL("b.seq"), SQL("(%s::integer[])", limits)),
        ))
        labels = [label for (label,) in rows]
        self.assertEqual(labels[:2] + labels[-1:], ["01. 0-30 days", "02. 31-60 days", "13. >360 days"])
        self.assertEqual(sorted(labels), labels)
        five = self.env.execute_query(SQL(
            "SELECT %s", bucket_label_sql(self.env, SQL("1"), SQL("(%s::integer[])", [30, 60, 90, 180, 365]))))
        self.assertEqual(five, [("1. 0-30 days",)])
