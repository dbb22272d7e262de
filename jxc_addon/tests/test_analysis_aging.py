from datetime import datetime, timedelta

import pytz
from freezegun import freeze_time

from odoo.tests import tagged

from .common import JxcCommon


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
            "1. 0-30": (10.0, 40.0),
            "2. 31-60": (10.0, 40.0),
            "4. 91-180": (5.0, 20.0),
        })
        rows = self.env["jxc.stock.aging.report"].search([("product_id", "=", self.product_2.id)], order="age_days")
        self.assertEqual(rows.mapped("age_days"), [10, 45, 100])
        self.assertEqual(self._aging(self.product_3), {"6. >365": (4.0, 200.0)})

    def test_configurable_buckets(self):
        self.company.jxc_aging_buckets = "15,50"
        self.env.flush_all()
        self.assertEqual(self._aging(self.product_2), {
            "1. 0-15": (10.0, 40.0),
            "2. 16-50": (10.0, 40.0),
            "3. >50": (5.0, 20.0),
        })

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
