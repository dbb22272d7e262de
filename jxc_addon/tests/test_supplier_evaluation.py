import math
from datetime import date, datetime

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import JxcCommon
from .common_supplier_graded import JxcSupplierGradedCommon


@tagged("post_install", "-at_install")
class TestSupplierEvaluation(JxcSupplierGradedCommon):
    """The worked example of common_supplier, criterion by criterion."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        (cls.february | cls.march).action_compute()

    def test_periods(self):
        self.assertEqual(self.march.name, "2025-03")
        self.assertEqual((self.march.date_from, self.march.date_to), (date(2025, 3, 1), date(2025, 3, 31)))
        quarter = self.Period._get_period_dates("quarter", date(2025, 5, 20))
        self.assertEqual(quarter, (date(2025, 4, 1), date(2025, 6, 30)))
        # Midnight in Shanghai is 16:00 UTC the day before.
        start, stop = self.march._get_utc_bounds()
        self.assertEqual(str(start), "2025-02-28 16:00:00")
        self.assertEqual(str(stop), "2025-03-31 16:00:00")

    def test_sister_company_is_a_vendor(self):
        """An order to a sister company is received from the inter-company transit location,
        Odoo's vendor location of every sister company's partner: its receipts count as any
        vendor's (received, on time, fill rate, lead time)."""
        sister = self.env["res.company"].create({"name": "JXC Sister Company"}).partner_id
        inter_company = self.env.ref("stock.stock_location_inter_company")
        sister.with_company(self.company).property_stock_supplier = inter_company
        order = self._buy(sister, [(self.product_1, 10.0, 10.0)], "2025-03-03 02:00:00", "2025-03-06 02:00:00",
                          date_planned="2025-03-08 04:00:00")
        self.assertEqual(order.picking_ids.location_id, inter_company)
        self.march.action_compute()
        evaluation = self._evaluation(self.march, sister)
        self.assertEqual((evaluation.received_qty, evaluation.on_time_qty), (10.0, 10.0))
        self.assertEqual((evaluation.fill_rate, evaluation.lead_time_mean, evaluation.lead_time_count), (100.0, 3.0, 1))

    def test_vendor_a_every_criterion(self):
        evaluation = self._evaluation(self.march, self.vendor_a)
        lines = self._lines(evaluation)
        # On time, the mean of the lines: the widgets 6 (8 Mar) of 10 received (the 4 of 13 Mar are
        # late; the return is no delivery), the gadgets 15 of 15 (20 Mar): (0.6 + 1) / 2 = 80 %, not
        # the quantities added up, 21 of 25 = 84 %, which are shown.
        self.assertAlmostEqual(evaluation.received_qty, 25.0)
        self.assertAlmostEqual(evaluation.on_time_qty, 21.0)
        self.assertAlmostEqual(lines["on_time"].raw_value, 80.0)
        self.assertAlmostEqual(lines["on_time"].score, 80.0)
        self.assertAlmostEqual(evaluation.on_time_rate, 80.0)
        # Fill rate: mean of the lines, as Odoo's received quantities: (9/10 + 15/20) / 2, the
        # return of 14 March deducted (it updates the order, Odoo's default).
        self.assertEqual((self.po_a1 | self.po_a2).order_line.mapped("qty_received"), [9.0, 15.0])
        self.assertAlmostEqual(lines["fill_rate"].raw_value, 82.5, places=6)
        # Quality, the mean of the lines: the widgets 1 returned of 10, the gadgets the incident's 1
        # of 15: (1/10 + 1/15) / 2 = 8.33 % -> 100 - 8.33 * 100 / 10 = 16.67 (not (1 + 1) / 25 = 8 %).
        self.assertAlmostEqual(evaluation.returned_qty, 1.0)
        self.assertAlmostEqual(evaluation.incident_qty, 1.0)
        self.assertAlmostEqual(lines["quality"].raw_value, 25 / 3, places=6)
        self.assertAlmostEqual(lines["quality"].score, 50 / 3, places=6)
        # Price: product_1 market 220/20 = 11, product_2 market (80 + 50)/30 = 4.333;
        # index = (100 * 10/11 + 80 * 4/4.333) / 180 = 91.53 % -> 50 + 8.47 * 50/20 = 71.17.
        index = (100 * 10 / 11 + 80 * 4 / (130 / 30)) / 180 * 100
        self.assertAlmostEqual(lines["price"].raw_value, index, places=6)
        self.assertAlmostEqual(lines["price"].score, 50 + (100 - index) * 2.5, places=6)
        # Lead time: 5, 10 and 17 days. Lateness against the later of the promised 5 days and the
        # line's planned days: the widget was planned 7 days out (3 -> 10 Mar), the gadget 17
        # (3 -> 20 Mar), so 0 (5 days, 2 early: not late) + (10 - 7) + (17 - 17) = 3 over 3 receipts
        # = 1 (the early receipt does not make up for the late one: not 1 / 3; against the promise
        # alone the gadget, received on its planned date, was 12 days late). The spread is within
        # each product: the widget came in 5 and 10 days (sample variance 12.5, 1 degree of
        # freedom), the gadget once (none): pooled sqrt(12.5 / 1) = 3.536
        # -> 100 - (1 + 1.768) * 10 = 72.32.
        stddev = math.sqrt(((5 - 7.5) ** 2 + (10 - 7.5) ** 2) / 1)
        self.assertAlmostEqual(stddev, 3.5355339, places=6)
        self.assertAlmostEqual(evaluation.lead_time_mean, 32 / 3, places=6)
        self.assertAlmostEqual(evaluation.lead_time_stddev, stddev, places=6)
        self.assertAlmostEqual(lines["lead_time"].raw_value, 1.0, places=6)
        self.assertAlmostEqual(lines["lead_time"].score, 100 - (1 + stddev / 2) * 10, places=6)
        self.assertAlmostEqual(lines["lead_time"].score, 72.322330, places=5)
        # Weighted: 80*.3 + 82.5*.2 + 16.67*.2 + 71.17*.15 + 72.32*.15 = 65.36 -> grade C (50 <= s < 70).
        self.assertTrue(all(line.has_data for line in evaluation.line_ids))
        self.assertEqual([line.weight_used for line in evaluation.line_ids], [30.0, 20.0, 20.0, 15.0, 15.0])
        self.assertAlmostEqual(evaluation.score, 65.36, places=2)
        self.assertEqual(evaluation.grade, "c")
        self.assertAlmostEqual(evaluation.purchase_amount, 180.0)
        self.assertFalse(evaluation.has_previous)
        self.assertFalse(evaluation.risk)
        self.assertEqual(evaluation.display_name, "JXC Vendor A (2025-03)")

    def test_vendor_b_and_change_vs_previous_period(self):
        february = self._evaluation(self.february, self.vendor_b)
        # No price data in February (one vendor): the other weights are scaled to 100 %.
        lines = self._lines(february)
        self.assertFalse(lines["price"].has_data)
        self.assertEqual(lines["price"].weight_used, 0.0)
        self.assertAlmostEqual(lines["on_time"].weight_used, 30 / 85 * 100, places=6)
        # 7 days, on the planned date: the later of the promised 3 days and the planned 7 -> not late.
        self.assertEqual((lines["lead_time"].raw_value, lines["lead_time"].score), (0.0, 100.0))
        self.assertAlmostEqual(february.score, 100.0, places=2)  # (30 + 20 + 20 + 15) * 100 / 85
        self.assertEqual(february.grade, "a")
        march = self._evaluation(self.march, self.vendor_b)
        lines = self._lines(march)
        self.assertAlmostEqual(lines["on_time"].score, 100.0)
        self.assertAlmostEqual(lines["fill_rate"].score, 100.0)  # the April line is not in March
        self.assertAlmostEqual(lines["quality"].score, 100.0)
        self.assertAlmostEqual(lines["price"].raw_value, 1200 / 11, places=6)  # 12 vs market 11
        self.assertAlmostEqual(lines["price"].score, 50 - (1200 / 11 - 100) * 2.5, places=6)
        self.assertAlmostEqual(lines["lead_time"].score, 100.0)  # 7 days, planned 7 (promised 3)
        # 30 + 20 + 20 + 27.27 * .15 + 100 * .15 = 89.09
        self.assertAlmostEqual(march.score, 89.09, places=2)
        self.assertEqual(march.grade, "a")  # A >= 85
        self.assertTrue(march.has_previous)
        self.assertAlmostEqual(march.previous_score, 100.0, places=2)
        self.assertAlmostEqual(march.score_change, -10.91, places=2)
        self.assertAlmostEqual(march.purchase_amount, 320.0)

    def test_group_rates_are_the_groups_own(self):
        """March grouped: its on-time rate is the mean over all its vendors' order lines received,
        as a vendor's is, its fill rate the mean fill of their lines due. Vendor C received nothing:
        its 0.0 % on-time row does not drag the group down."""
        evaluations = self.env["jxc.supplier.evaluation"].search([("period_id", "=", self.march.id)])
        vendor_c = self._evaluation(self.march, self.vendor_c)
        self.assertEqual((vendor_c.received_qty, vendor_c.received_line_count, vendor_c.fill_line_count,
                          vendor_c.on_time_rate), (0.0, 0, 1, 0.0))
        by_vendor = {e.partner_id: (e.received_line_count, e.on_time_rate) for e in evaluations}
        self.assertEqual(by_vendor[self.vendor_a], (2, 80.0))
        self.assertEqual(by_vendor[self.vendor_b], (1, 100.0))
        lines = sum(evaluations.mapped("fill_line_count"))
        fill = sum(e.fill_rate * e.fill_line_count for e in evaluations) / lines
        self.assertEqual(len(evaluations), 3)
        [group] = self.env["jxc.supplier.evaluation"].formatted_read_group(
            [("period_id", "=", self.march.id)], ["period_id"], ["on_time_rate:avg", "fill_rate:avg"])
        # A's widgets 6 of 10 on time, its gadgets 15 of 15, B's line 10 of 10: (0.6 + 1 + 1) / 3
        # = 86.67 %, not the quantities added up (21 + 10) / (25 + 10) = 88.57 %, nor the rows'
        # average (80 + 100 + 0) / 3 = 60 %
        self.assertAlmostEqual(group["on_time_rate:avg"], 260 / 3)
        self.assertAlmostEqual(group["fill_rate:avg"], fill)
        self.assertNotAlmostEqual(group["on_time_rate:avg"], sum(evaluations.mapped("on_time_rate")) / len(evaluations))
        # by grade: B alone is A (its line on time), A alone is C (80 %), C alone is D with no
        # line received: no on-time rate, not 0 %
        groups = self.env["jxc.supplier.evaluation"].formatted_read_group(
            [("period_id", "=", self.march.id)], ["grade"], ["on_time_rate:avg"], order="grade")
        self.assertEqual([(g["grade"], g["on_time_rate:avg"]) for g in groups], [("a", 100.0), ("c", 80.0), ("d", False)])

    def test_renormalisation_two_criteria(self):
        """Vendor C has data in two criteria, its unfilled line (fill rate 0 %) and its price:
        their weights 20 and 15 are scaled up to 57.14 % and 42.86 %, the others are not scored
        0 or 100 by accident: (0 * 20 + 11.54 * 15) / 35 = 4.95."""
        evaluation = self._evaluation(self.march, self.vendor_c)
        lines = self._lines(evaluation)
        self.assertEqual([t for t, line in lines.items() if line.has_data], ["fill_rate", "price"])
        self.assertAlmostEqual(lines["fill_rate"].weight_used, 20 / 35 * 100, places=6)
        self.assertAlmostEqual(lines["price"].weight_used, 15 / 35 * 100, places=6)
        self.assertEqual(lines["fill_rate"].raw_value, 0.0)
        self.assertAlmostEqual(lines["price"].raw_value, 1500 / 13, places=6)  # 5 vs 4.333
        self.assertAlmostEqual(lines["price"].score, 11.54, places=2)
        self.assertAlmostEqual(evaluation.score, 4.95, places=2)
        self.assertEqual(evaluation.grade, "d")
        self.assertTrue(evaluation.risk)
        self.assertIn("grade D", evaluation.risk_reason)

    def test_free_units_do_not_lower_a_price(self):
        """May: vendor A sells 10 gizmos at 100 and adds 10 free replacements; vendor B sells 10
        at 80. A's price is 100 (not 50), the market's 90: A's index 111.1 %, B's 88.9 %."""
        vendor = self.env["res.partner"].create({"name": "JXC Vendor Free", "supplier_rank": 1})
        with freeze_time("2025-05-05 02:00:00"):
            self._create_purchase(vendor, [(self.product_3, 10, 100.0), (self.product_3, 10, 0.0)])
            self._create_purchase(self.vendor_b, [(self.product_3, 10, 80.0)])
            may = self.Period._get_or_create_period(self.company, date(2025, 5, 5))
        with freeze_time("2025-06-02 02:00:00"):
            may.action_compute()
        self.assertAlmostEqual(self._lines(self._evaluation(may, vendor))["price"].raw_value, 100 / 90 * 100, places=4)
        self.assertAlmostEqual(self._lines(self._evaluation(may, self.vendor_b))["price"].raw_value, 80 / 90 * 100, places=4)
        self.assertAlmostEqual(self._evaluation(may, vendor).purchase_amount, 1000.0)

    def test_fill_rate_counts_the_lines_due(self):
        """On 2 April an order of 100 is planned for 20 April: April's evaluation that night has
        no fill rate to measure yet (not 0 % filled); once the date has passed unreceived, it is."""
        vendor = self.env["res.partner"].create({"name": "JXC Vendor Due", "supplier_rank": 1})
        with freeze_time("2025-04-02 04:00:00"):
            self._create_purchase(vendor, [(self.product_1, 100, 10.0)], date_planned="2025-04-20 04:00:00")
            april = self.Period._get_or_create_period(self.company, date(2025, 4, 2))
            april.action_compute()
            self.assertFalse(self._evaluation(april, vendor))
        with freeze_time("2025-04-25 04:00:00"):
            april.action_compute()
            fill = self._lines(self._evaluation(april, vendor))["fill_rate"]
        self.assertEqual((fill.has_data, fill.raw_value), (True, 0.0))

    def test_fill_rate_waits_for_the_on_time_tolerance(self):
        """An order of 100 planned for 30 April, a 3-day on-time tolerance: on 1 May the vendor is
        still on time, April has no fill to measure (not 0 %, which could set a risk for a day);
        on 4 May (Shanghai), past the tolerance and unreceived, it is 0 %."""
        self.company.jxc_supplier_on_time_tolerance = 3
        vendor = self.env["res.partner"].create({"name": "JXC Vendor Tolerance", "supplier_rank": 1})
        with freeze_time("2025-04-02 04:00:00"):
            self._create_purchase(vendor, [(self.product_1, 100, 10.0)], date_planned="2025-04-30 04:00:00")
            april = self.Period._get_or_create_period(self.company, date(2025, 4, 2))
        for now, measured in (("2025-05-01 04:00:00", False), ("2025-05-03 15:00:00", False),
                              ("2025-05-03 16:30:00", True)):
            with self.subTest(now=now), freeze_time(now):
                april.action_compute()
                fill = self._lines(self._evaluation(april, vendor)).get("fill_rate")
                self.assertEqual(bool(fill and fill.has_data), measured)
        self.assertEqual(fill.raw_value, 0.0)
        # Closed before the tolerance of its last day is over, April would keep that line out for good.
        # The form offers Close from then on (4 May in Shanghai), not before.
        with freeze_time("2025-05-03 15:00:00"), self.assertRaisesRegex(
                UserError, r"once the on-time tolerance of its last day is over too \(3 day\(s\)\).*on 05/04/2025"):
            self.assertFalse(april.can_close)
            april.action_close()
        april.invalidate_recordset(["can_close"])
        with freeze_time("2025-05-03 16:30:00"):
            self.assertTrue(april.can_close)
            april.action_close()
        april.invalidate_recordset(["can_close"])
        self.assertFalse(april.can_close)
        self.assertEqual(april.state, "closed")
        self.assertEqual(self._lines(self._evaluation(april, vendor))["fill_rate"].raw_value, 0.0)

    def test_vendor_standing_written_from_latest_period(self):
        a = self.vendor_a.with_company(self.company)
        self.assertEqual(a.jxc_supplier_grade, "c")
        self.assertEqual(a.jxc_supplier_score, 65.4)  # stored with one decimal
        b = self.vendor_b.with_company(self.company)
        self.assertEqual((b.jxc_supplier_grade, b.jxc_supplier_score), ("a", 89.1))
        self.assertTrue(self.vendor_c.jxc_supplier_risk)
        # Recomputing the older period (B: 100) does not overwrite the standing from March.
        self.february.action_compute()
        self.assertEqual((b.jxc_supplier_grade, b.jxc_supplier_score), ("a", 89.1))
        # Another company has its own (empty) standing.
        other = self.env["res.company"].create({"name": "JXC Other Standing"})
        self.assertFalse(self.vendor_a.with_company(other).jxc_supplier_grade)
        # The purchase order shows the vendor's grade.
        self.assertEqual(self.po_a1.jxc_supplier_grade, "c")

    def test_recompute_is_idempotent(self):
        fields_ = ["partner_id", "score", "grade", "score_change", "received_qty", "on_time_qty",
                   "purchase_amount", "lead_time_stddev", "risk", "risk_reason"]
        before = self.march.evaluation_ids.sorted("id").read(fields_)
        lines_before = self.march.evaluation_ids.line_ids.sorted("id").read(["criterion_id", "raw_value", "score", "weight_used"])
        self.march.action_compute()
        self.march.invalidate_recordset()
        self.assertEqual(self.march.evaluation_ids.sorted("id").read(fields_), before)
        self.assertEqual(
            self.march.evaluation_ids.line_ids.sorted("id").read(["criterion_id", "raw_value", "score", "weight_used"]),
            lines_before,
        )
        self.assertEqual(len(self.march.evaluation_ids), 3)

    def test_closed_period_never_changes(self):
        self.march.action_close()
        before = self.march.evaluation_ids.sorted("id").read(["score", "received_qty"])
        # a quality incident dated in it would never count: refused, as a manual score is
        incident = {"partner_id": self.vendor_b.id, "date": date(2025, 3, 25), "quantity": 5.0}
        Incident = self.env["jxc.supplier.incident"].with_user(self.jxc_user)
        with self.assertRaisesRegex(UserError, "2025-03 is closed: .* Date the incident in an open period"):
            Incident.create(incident)
        with freeze_time("2025-04-02 02:00:00"):  # a user dates an incident in the current month
            april = Incident.create({**incident, "date": date(2025, 4, 2)})
        with self.assertRaisesRegex(UserError, "2025-03 is closed"):
            april.date = date(2025, 3, 31)
        with self.assertRaisesRegex(UserError, "2025-03 is closed"):
            self.incident.with_user(self.jxc_user).unlink()  # of March
        with self.assertRaisesRegex(UserError, "is closed"):
            self.march.action_compute()
        self.Period._cron_compute_supplier_evaluations()
        with self.assertRaisesRegex(UserError, "closed"):
            self.march.evaluation_ids.write({"score": 1.0})  # even in superuser mode
        with self.assertRaises(UserError):
            self.march.evaluation_ids[0].unlink()
        self.march.invalidate_recordset()
        self.assertEqual(self.march.evaluation_ids.sorted("id").read(["score", "received_qty"]), before)
        # Reopened, it is recomputed: vendor B's quality now counts the incident (5 / 10 -> 50 %).
        self.march.action_reopen()
        april.with_user(self.jxc_manager).date = date(2025, 3, 25)  # backdated by a manager
        self.march.action_compute()
        lines = self._lines(self._evaluation(self.march, self.vendor_b))
        self.assertAlmostEqual(lines["quality"].raw_value, 50.0)
        self.assertAlmostEqual(lines["quality"].score, 0.0)

    def test_evaluations_are_not_edited_by_hand(self):
        """Not even by a manager passing the context key the computation once trusted."""
        evaluation = self.march.evaluation_ids[0]
        score = evaluation.score
        for context in ({}, {"jxc_supplier_compute": True}):
            manager_evaluation = evaluation.with_user(self.jxc_manager).with_context(**context)
            with self.assertRaisesRegex(UserError, "recompute the period"):
                manager_evaluation.write({"score": 100.0})
            with self.assertRaisesRegex(UserError, "recompute the period"):
                manager_evaluation.line_ids[:1].write({"score": 100.0})
            with self.assertRaisesRegex(UserError, "recompute the period"):
                manager_evaluation.unlink()
            with self.assertRaisesRegex(UserError, "recompute the period"), self.env.cr.savepoint():
                self.env["jxc.supplier.evaluation"].with_user(self.jxc_manager).with_context(**context).create({
                    "period_id": self.march.id, "partner_id": self.customer_a.id, "company_id": self.company.id,
                    "score": 99.0,
                })
        self.assertEqual(evaluation.score, score)
        # The manager computes the period: the evaluations are written (in superuser mode).
        self.march.with_user(self.jxc_manager).action_compute()
        self.assertEqual(self.march.evaluation_ids[0].score, score)

    def test_weights_must_total_100(self):
        criterion = self.env["jxc.supplier.criterion"].search(
            [("company_id", "=", self.company.id), ("criterion_type", "=", "price")]
        )
        criterion.weight = 25.0
        with self.assertRaisesRegex(UserError, "total 110"):
            self.march.action_compute()
        with self.assertRaisesRegex(UserError, "instead of 100"):
            criterion.action_check_weights()

    def test_manual_criterion_averages_the_buyers_scores(self):
        """Two buyers score vendor A's service for March, 90 and 30: the criterion's raw value is
        their average, 60. The second buyer cannot change the first one's score, and a buyer
        gives one score: a second is refused."""
        Criterion = self.env["jxc.supplier.criterion"]
        Criterion.search([("company_id", "=", self.company.id), ("criterion_type", "=", "on_time")]).weight = 20.0
        service = Criterion.create({"name": "Service", "criterion_type": "manual", "weight": 10.0})
        vals = {"period_id": self.march.id, "partner_id": self.vendor_a.id, "criterion_id": service.id}
        buyer_2 = new_test_user(self.env, login="jxc_score_buyer_2",
                                groups="purchase.group_purchase_user,jxc_addon.group_jxc_user")
        Score = self.env["jxc.supplier.manual.score"]
        first = Score.with_user(self.jxc_user).create({**vals, "score": 90.0})
        Score.with_user(buyer_2).create({**vals, "score": 30.0})
        with self.assertRaises(AccessError):
            first.with_user(buyer_2).score = 10.0
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            Score.with_user(buyer_2).create({**vals, "score": 50.0})
        self.march.action_compute()
        line = self._evaluation(self.march, self.vendor_a).line_ids.filtered(lambda li: li.criterion_id == service)
        self.assertEqual(line.raw_value, 60.0)

    def test_one_active_criterion_of_each_type_kept_by_the_database(self):
        """A second active on-time criterion of a company is refused by the database too (two
        transactions creating a new company's default criteria at once both pass the Python
        check); a second manual criterion, or an archived on-time one, is not."""
        company = self.env["res.company"].create({"name": "JXC Criteria Twice"})
        on_time = self.env["jxc.supplier.criterion"]._get_jxc_criteria(company).filtered(
            lambda criterion: criterion.criterion_type == "on_time")
        copy_sql = """INSERT INTO jxc_supplier_criterion (name, company_id, criterion_type, weight, scale, sequence, active)
                      SELECT name, company_id, %s, weight, scale, sequence, %s FROM jxc_supplier_criterion WHERE id = %s"""
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self.env.cr.execute(copy_sql, ("on_time", True, on_time.id))
        with self.env.cr.savepoint():
            self.env.cr.execute(copy_sql, ("on_time", False, on_time.id))
            self.env.cr.execute(copy_sql, ("manual", True, on_time.id))
            self.env.cr.execute(copy_sql, ("manual", True, on_time.id))

    def test_manual_criterion(self):
        Criterion = self.env["jxc.supplier.criterion"]
        Criterion.search([("company_id", "=", self.company.id), ("criterion_type", "=", "on_time")]).weight = 20.0
        service = Criterion.create({"name": "Service", "criterion_type": "manual", "weight": 10.0})
        self.env["jxc.supplier.manual.score"].create({
            "period_id": self.march.id, "partner_id": self.vendor_a.id, "criterion_id": service.id, "score": 90.0,
        })
        # a score given to the vendor's contact counts with the vendor's own: (90 + 30) / 2 = 60
        contact = self.env["res.partner"].create({"name": "JXC Vendor A, Sales", "parent_id": self.vendor_a.id})
        scores = self.env["jxc.supplier.manual.score"].create({
            "period_id": self.march.id, "partner_id": contact.id, "criterion_id": service.id, "score": 30.0,
        })
        self.march.action_compute()
        line = self._evaluation(self.march, self.vendor_a).line_ids.filtered(lambda li: li.criterion_id == service)
        self.assertEqual(line.raw_value, 60.0)
        scores.unlink()
        self.march.action_compute()
        a = self._evaluation(self.march, self.vendor_a)
        line = a.line_ids.filtered(lambda li: li.criterion_id == service)
        self.assertTrue(line.has_data)
        self.assertEqual((line.raw_value, line.score, line.weight_used), (90.0, 90.0, 10.0))
        index = (100 * 10 / 11 + 80 * 4 / (130 / 30)) / 180 * 100
        stddev = math.sqrt(12.5)  # the widget's 5 and 10 days
        expected = (80 * 20 + 82.5 * 20 + 50 / 3 * 20 + (50 + (100 - index) * 2.5) * 15
                    + (100 - (1 + stddev / 2) * 10) * 15 + 90 * 10) / 100
        self.assertAlmostEqual(a.score, round(expected, 2), places=2)
        # Vendor B has no manual score: its other criteria are scaled from 90 % to 100 %.
        b = self._evaluation(self.march, self.vendor_b)
        self.assertFalse(b.line_ids.filtered(lambda li: li.criterion_id == service).has_data)
        self.assertAlmostEqual(b.score, round((100 * 20 + 100 * 20 + 100 * 20 + (50 - (1200 / 11 - 100) * 2.5) * 15 + 100 * 15) / 90, 2), places=2)
        # A measured criterion cannot take a manual score.
        with self.assertRaises(UserError):
            self.env["jxc.supplier.manual.score"].create({
                "period_id": self.march.id, "partner_id": self.vendor_b.id,
                "criterion_id": Criterion.search([("criterion_type", "=", "quality"), ("company_id", "=", self.company.id)]).id,
                "score": 50.0,
            })

    def test_cron_creates_periods_and_computes_open_ones(self):
        self.march.action_close()
        with freeze_time("2025-04-02 03:00:00"):
            self.Period._cron_compute_supplier_evaluations()
        april = self.Period.search([("company_id", "=", self.company.id), ("date_from", "=", date(2025, 4, 1))])
        self.assertEqual(len(april), 1)
        self.assertEqual(april.state, "open")
        self.assertTrue(self.february.computed_at)
        # A company whose weights are wrong is logged and skipped; the others are computed.
        other = self.env["res.company"].create({"name": "JXC Broken Weights"})
        self.env["jxc.supplier.criterion"].create({"name": "Only", "criterion_type": "manual", "weight": 40.0,
                                                    "company_id": other.id})
        with freeze_time("2025-04-03 03:00:00"), self.assertLogs("odoo.addons.jxc_addon.models.jxc_supplier_period", "ERROR"):
            self.Period._cron_compute_supplier_evaluations()
        self.assertTrue(self.Period.search([("company_id", "=", other.id)]))

    def test_risk_flag_and_activity(self):
        activity_type = self.env.ref("mail.mail_activity_data_warning")

        def activities(partner):
            return self.env["mail.activity"].search([
                ("res_model", "=", "res.partner"), ("res_id", "=", partner.id), ("activity_type_id", "=", activity_type.id),
            ])

        # Vendor C fell to D when March was computed: flagged, one activity.
        self.assertTrue(self.vendor_c.jxc_supplier_risk)
        self.assertEqual(len(activities(self.vendor_c)), 1)
        # marked done, its note goes to the vendor's chatter, which every employee reads: no grade or score
        note = str(activities(self.vendor_c).note)
        self.assertIn("Supplier Evaluation tab", note)
        self.assertNotIn("grade D", note)
        self.assertNotIn("score", note)
        self.assertFalse(self.vendor_b.jxc_supplier_risk)
        # C's risk lifted (by hand, then given back to the evaluation) while its activity is open:
        # at risk again, not scheduled twice
        self.vendor_c.with_company(self.company).sudo().write(
            {"jxc_supplier_risk": False, "jxc_supplier_standing_manual": False})
        self.march.action_compute()
        self.assertTrue(self.vendor_c.jxc_supplier_risk)
        self.assertEqual(len(activities(self.vendor_c)), 1)
        # B dropped 10.91 points (100 -> 89.09): at risk once the allowed drop is 5 points.
        self.company.jxc_supplier_score_drop = 5.0
        self.company.jxc_supplier_risk_user_id = self.jxc_manager
        self.march.action_compute()
        self.assertTrue(self.vendor_b.jxc_supplier_risk)
        self.assertIn("score dropped by 10.91 points", self.vendor_b.jxc_supplier_risk_reason)
        self.assertEqual(activities(self.vendor_b).user_id, self.jxc_manager)
        self.assertEqual(len(activities(self.vendor_c)), 1)
        # A at 80 % on time is at risk below a 90 % minimum.
        self.company.jxc_supplier_on_time_min = 90.0
        self.march.action_compute()
        self.assertIn("on-time rate 80.0 % below 90.0 %", self._evaluation(self.march, self.vendor_a).risk_reason)
        # Back to the defaults: the flags are cleared.
        self.company.write({"jxc_supplier_score_drop": 15.0, "jxc_supplier_on_time_min": 80.0})
        self.march.action_compute()
        self.assertFalse(self.vendor_b.jxc_supplier_risk)
        self.assertFalse(self.vendor_a.jxc_supplier_risk)

    def test_risk_activity_per_company(self):
        """Vendor C is at risk in the company, its to-do for the manager open. C falls at risk in
        a second company the same manager answers for: a to-do of its own, named for that
        company; the same risk again in the first company while its to-do is open, none."""
        self.company.jxc_supplier_risk_user_id = self.jxc_manager
        activity_type = self.env.ref("mail.mail_activity_data_warning")
        Activity = self.env["mail.activity"]
        domain = [("res_model", "=", "res.partner"), ("res_id", "=", self.vendor_c.id),
                  ("activity_type_id", "=", activity_type.id), ("user_id", "=", self.jxc_manager.id)]
        Activity.search([("res_model", "=", "res.partner"), ("res_id", "=", self.vendor_c.id)]).unlink()
        lift = {"jxc_supplier_risk": False, "jxc_supplier_standing_manual": False}
        self.vendor_c.with_company(self.company).sudo().write(lift)
        update = self.env["res.partner"]._update_jxc_supplier_standing
        update(self.vendor_c, self.company)
        self.assertEqual(Activity.search(domain).mapped("summary"), ["Supplier at risk in %s: JXC Vendor C" % self.company.name])
        branch = self.env["res.company"].create({"name": "JXC Risk Second Co"})
        self.jxc_manager.company_ids |= branch
        branch.jxc_supplier_risk_user_id = self.jxc_manager
        period = self.Period.with_company(branch).create({"period_type": "month", "date_from": date(2025, 3, 1),
                                                          "company_id": branch.id})
        self.env["jxc.supplier.evaluation"].create({
            "period_id": period.id, "partner_id": self.vendor_c.id, "company_id": branch.id,
            "score": 40.0, "grade": "d", "risk": True,
        })
        with freeze_time("2025-04-02 03:00:00"):
            update(self.vendor_c, branch)
            self.assertTrue(self.vendor_c.with_company(branch).sudo().jxc_supplier_risk)
            self.assertEqual(sorted(Activity.search(domain).mapped("summary")), [
                "Supplier at risk in JXC Risk Second Co: JXC Vendor C",
                "Supplier at risk in %s: JXC Vendor C" % self.company.name,
            ])
            self.vendor_c.with_company(self.company).sudo().write(lift)
            update(self.vendor_c, self.company)
            self.assertTrue(self.vendor_c.with_company(self.company).sudo().jxc_supplier_risk)
        self.assertEqual(len(Activity.search(domain)), 2)

    def test_quarter_period(self):
        q1 = self.Period.create({"period_type": "quarter", "date_from": date(2025, 1, 1)})
        self.assertEqual((q1.name, q1.date_to), ("2025 Q1", date(2025, 3, 31)))
        q1.action_compute()
        b = self._evaluation(q1, self.vendor_b)
        lines = self._lines(b)
        # February and March together: 20 of 20 on time and in full; product_1 at 230/20 = 11.5
        # against a market of 330/30 = 11 -> index 104.55 %, score 38.64; lead time 7 days twice,
        # each on its planned date (promised 3): lead-time score 100.
        # (30 + 20 + 20) * 100 + 38.64 * 15 + 100 * 15 = 9079.55 / 100 = 90.80
        self.assertAlmostEqual(b.received_qty, 20.0)
        self.assertAlmostEqual(lines["price"].raw_value, 11.5 / 11 * 100, places=6)
        self.assertAlmostEqual(lines["price"].score, 50 - (11.5 / 11 * 100 - 100) * 2.5, places=6)
        self.assertEqual((b.lead_time_count, b.lead_time_mean, b.lead_time_stddev), (2, 7.0, 0.0))
        self.assertAlmostEqual(b.score, 90.8, places=2)
        self.assertFalse(b.has_previous)
        # The vendor's standing still comes from its latest period (March: 89.09, not 90.80).
        vendor_b = self.vendor_b.with_company(self.company)
        self.assertEqual((vendor_b.jxc_supplier_grade, vendor_b.jxc_supplier_score), ("a", 89.1))
        with self.assertRaisesRegex(ValidationError, "first day"):
            self.Period.create({"period_type": "quarter", "date_from": date(2025, 2, 1)})

    def test_new_period_is_open(self):
        """A period created closed (through the API, or a client's default) would never be
        evaluated: refused, and nothing is created."""
        Period = self.Period.with_user(self.jxc_manager)
        count = Period.search_count([])
        with self.assertRaisesRegex(UserError, "open and not computed yet"):
            Period.create({"period_type": "quarter", "date_from": date(2025, 4, 1), "state": "closed"})
        with self.assertRaisesRegex(UserError, "open and not computed yet"):
            Period.with_context(default_state="closed").create({"period_type": "quarter", "date_from": date(2025, 4, 1)})
        self.assertEqual(Period.search_count([]), count)
        period = Period.create({"period_type": "quarter", "date_from": date(2025, 4, 1)})
        self.assertEqual((period.state, period.computed_at), ("open", False))

    def test_vendor_list_sorts_by_score(self):
        vendors = self.vendor_a | self.vendor_b | self.vendor_c
        ranked = self.env["res.partner"].search([("id", "in", vendors.ids)], order="jxc_supplier_score desc")
        self.assertEqual(ranked.ids, [self.vendor_b.id, self.vendor_a.id, self.vendor_c.id])
        self.assertEqual(
            self.env["res.partner"].search([("id", "in", vendors.ids)], order="jxc_supplier_grade").ids,
            [self.vendor_b.id, self.vendor_a.id, self.vendor_c.id],
        )

    def test_queries_do_not_grow_with_vendors(self):
        criteria = self.env["jxc.supplier.criterion"]._get_jxc_criteria(self.company)

        def count_queries():
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            data = self.march._get_evaluation_data(criteria)
            return self.env.cr.sql_log_count - before, data

        queries, data = count_queries()
        self.assertEqual(len(data), 3)
        more = self.env["res.partner"].create([{"name": "JXC Vendor %s" % i, "supplier_rank": 1} for i in range(3)])
        self.env["product.supplierinfo"].create([
            {"partner_id": vendor.id, "product_tmpl_id": self.product_2.product_tmpl_id.id, "price": 4.0, "delay": 2}
            for vendor in more
        ])
        with freeze_time("2025-03-04 02:00:00"):
            orders = [self._create_purchase(vendor, [(self.product_2, 3.0, 4.5)], date_planned="2025-03-09 04:00:00")
                      for vendor in more]
        with freeze_time("2025-03-09 02:00:00"):
            for order in orders:
                self._receive(order)
        queries_more, data = count_queries()
        self.assertEqual(len(data), 6)
        self.assertEqual(queries_more, queries)


@tagged("post_install", "-at_install")
class TestSupplierScoringEdges(JxcCommon):
    """November 2025 (the company works in Asia/Shanghai: 02:00 UTC is 10:00 there), computed
    on 2 December, once November has ended: criteria the company does not weigh, products with
    different promised delays, lines bought at price 0."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.jxc_supplier_risk_action = "block"
        cls.Period = cls.env["jxc.supplier.period"]
        cls.criteria = {c.criterion_type: c for c in cls.env["jxc.supplier.criterion"]._get_jxc_criteria(cls.company)}
        cls.november = cls.Period._get_or_create_period(cls.company, date(2025, 11, 1))
        cls.vendor_x, cls.vendor_y, cls.vendor_z, cls.vendor_w = cls.env["res.partner"].create([
            {"name": "JXC Vendor %s" % name, "supplier_rank": 1} for name in "XYZW"
        ])

    def _compute(self):
        with freeze_time("2025-12-02 02:00:00"):
            self.november.action_compute()
        return {evaluation.partner_id: evaluation for evaluation in self.november.evaluation_ids}

    def _lines(self, evaluation):
        return {line.criterion_id.criterion_type: line for line in evaluation.line_ids if line.criterion_id.criterion_type != "manual"}

    def _standing(self, vendor):
        vendor = vendor.with_company(self.company)
        return vendor.jxc_supplier_score, vendor.jxc_supplier_grade, vendor.jxc_supplier_risk

    def test_criterion_of_weight_zero_scores_nothing(self):
        """The company does not score prices (weight 0) nor its manual "Service" criterion. X and Y
        bought the widget at 10 and 12 (goods due in January): their prices are their only data,
        they get no score, no grade and no block. W has only a Service score of 95: nothing either.
        Z delivered 10 widgets at 11 on time, 3 days after ordering, 2 days before the line's planned
        date 5 days out (Odoo recorded it as the widget's vendor with a delay of 0 when confirming;
        the later of 0 and 5 days counts): 2 days early, 0 days late, lead-time score 100. Scored on the
        weighted criteria alone, 0.45 * 100 + 0.2 * 100 + 0.2 * 100 + 0.15 * 100 = 100; its price
        index (11 against the market's 330 / 30 = 11, score 50) shown but weighing nothing."""
        weights = {"on_time": 45.0, "fill_rate": 20.0, "quality": 20.0, "price": 0.0, "lead_time": 15.0}
        for criterion_type, criterion in self.criteria.items():
            criterion.weight = weights[criterion_type]
        service = self.env["jxc.supplier.criterion"].create({"name": "Service", "criterion_type": "manual", "weight": 0.0})
        self.env["jxc.supplier.manual.score"].create({
            "period_id": self.november.id, "partner_id": self.vendor_w.id, "criterion_id": service.id, "score": 95.0,
        })
        with freeze_time("2025-11-05 02:00:00"):
            self._create_purchase(self.vendor_x, [(self.product_1, 10.0, 10.0)], date_planned="2026-01-10 04:00:00")
            self._create_purchase(self.vendor_y, [(self.product_1, 10.0, 12.0)], date_planned="2026-01-10 04:00:00")
        self._buy(self.vendor_z, [(self.product_1, 10.0, 11.0)], "2025-11-05 02:00:00", "2025-11-08 02:00:00",
                  date_planned="2025-11-10 04:00:00")
        evaluations = self._compute()
        self.assertEqual(set(evaluations), {self.vendor_z}, "only a vendor with data in a weighted criterion is evaluated")
        z = evaluations[self.vendor_z]
        lines = self._lines(z)
        self.assertEqual(
            {t: (line.has_data, line.weight_used) for t, line in lines.items()},
            {"on_time": (True, 45.0), "fill_rate": (True, 20.0), "quality": (True, 20.0), "price": (True, 0.0),
             "lead_time": (True, 15.0)},
        )
        self.assertEqual((lines["lead_time"].raw_value, lines["lead_time"].score), (0.0, 100.0))
        self.assertAlmostEqual(lines["price"].raw_value, 100.0)
        self.assertEqual(lines["price"].weighted_score, 0.0)
        self.assertFalse(z.line_ids.filtered(lambda line: line.criterion_id == service).has_data)
        self.assertEqual((z.score, z.grade, z.risk), (100.0, "a", False))
        self.assertEqual(self._standing(self.vendor_z), (100.0, "a", False))
        for vendor in (self.vendor_x, self.vendor_y, self.vendor_w):
            self.assertEqual(self._standing(vendor), (0.0, False, False), vendor.name)
        order = self._create_purchase(self.vendor_x, [(self.product_1, 1.0, 10.0)], confirm=False)
        order.with_user(self.jxc_user).button_confirm()
        self.assertEqual(order.state, "purchase")

    def test_early_receipt_does_not_make_up_for_a_late_one(self):
        """X promises the early and the late part in 3 days; both ordered on 2 November. The early
        part, planned 20 days out (22 November), comes in 10 days: 10 days early, 0 late. The late
        part, planned 3 days out, comes in 13 days: 10 days late. Lateness (0 + 10) / 2 = 5 days,
        lead-time score 100 - 5 * 10 = 50 (averaged signed, -10 and +10 made 0 days and 100); one
        receipt per product, no spread. On time: 1 of 2 lines. Score (50 * 30 + 100 * 20 +
        100 * 20 + 50 * 15) / 85 = 73.53 (it was 82.35), grade B, at risk by its on-time rate."""
        early, late = self.env["product.product"].create([
            self._prepare_product_vals("JXC Early Part", 5.0, 9.0, "JXC-EARLY"),
            self._prepare_product_vals("JXC Late Part", 5.0, 9.0, "JXC-LATE"),
        ])
        self.env["product.supplierinfo"].create([
            {"partner_id": self.vendor_x.id, "product_tmpl_id": product.product_tmpl_id.id, "price": 10.0, "delay": 3}
            for product in (early, late)
        ])
        self._buy(self.vendor_x, [(early, 10.0, 10.0)], "2025-11-02 02:00:00", "2025-11-12 02:00:00",
                  date_planned="2025-11-22 04:00:00")
        self._buy(self.vendor_x, [(late, 10.0, 10.0)], "2025-11-02 02:00:00", "2025-11-15 02:00:00",
                  date_planned="2025-11-05 04:00:00")
        x = self._compute()[self.vendor_x]
        lead_time = self._lines(x)["lead_time"]
        self.assertEqual((x.lead_time_count, x.lead_time_mean, x.lead_time_stddev), (2, 11.5, 0.0))
        self.assertEqual((lead_time.raw_value, lead_time.score), (5.0, 50.0))
        self.assertEqual((x.on_time_rate, x.fill_rate), (50.0, 100.0))
        self.assertEqual((x.score, x.grade, x.risk), (73.53, "b", True))

    def test_vendor_without_deliveries_is_not_graded(self):
        """N and O have only open orders of November, the widget at 12.5 and at 10, due on 20
        December: their prices alone made N 22.22 (grade D, at risk, blocked the next month) and O
        77.78. Nothing was received from them or due in November: neither is graded, and N's next
        order is confirmed. The company weighs a manual Service criterion (10 %, on time 20 %):
        N's Service score of 10 and W's of 95 grade neither. Once N delivers in November (its
        gadget, on 8 November, on time), N is graded and its manual score counts with its weight:
        (100 * 20 + 100 * 20 + 100 * 20 + 22.22 * 15 + 100 * 15 + 10 * 10) / 100 = 79.33."""
        vendor_n, vendor_o = self.env["res.partner"].create([
            {"name": "JXC Vendor N", "supplier_rank": 1}, {"name": "JXC Vendor O", "supplier_rank": 1},
        ])
        self.criteria["on_time"].weight = 20.0
        service = self.env["jxc.supplier.criterion"].create({"name": "Service", "criterion_type": "manual", "weight": 10.0})
        self.env["jxc.supplier.manual.score"].create([
            {"period_id": self.november.id, "partner_id": vendor.id, "criterion_id": service.id, "score": score}
            for vendor, score in ((vendor_n, 10.0), (self.vendor_w, 95.0))
        ])
        with freeze_time("2025-11-25 02:00:00"):
            self._create_purchase(vendor_n, [(self.product_1, 10.0, 12.5)], date_planned="2025-12-20 04:00:00")
            self._create_purchase(vendor_o, [(self.product_1, 10.0, 10.0)], date_planned="2025-12-20 04:00:00")
        self.assertFalse(self._compute(), "prices and manual scores alone grade no vendor")
        for vendor in (vendor_n, vendor_o, self.vendor_w):
            self.assertEqual(self._standing(vendor), (0.0, False, False), vendor.name)
        order = self._create_purchase(vendor_n, [(self.product_1, 1.0, 12.5)], confirm=False)
        order.with_user(self.jxc_user).button_confirm()
        self.assertEqual(order.state, "purchase")
        self._buy(vendor_n, [(self.product_2, 5.0, 4.0)], "2025-11-05 02:00:00", "2025-11-08 02:00:00",
                  date_planned="2025-11-10 04:00:00")
        evaluations = self._compute()
        self.assertEqual(set(evaluations), {vendor_n})
        n = evaluations[vendor_n]
        manual = n.line_ids.filtered(lambda line: line.criterion_id == service)
        self.assertEqual((manual.has_data, manual.raw_value, manual.weight_used), (True, 10.0, 10.0))
        self.assertAlmostEqual(self._lines(n)["price"].score, 50 - (12.5 / 11.25 * 100 - 100) * 2.5, places=6)
        self.assertEqual((n.score, n.grade, n.risk), (79.33, "b", False))

    def _buy_ahead_of_need(self):
        """The planned part, promised by X, Y and Z in 3 days, each ordered on 3 November (10:00 in
        Shanghai). X and Y plan it for 13 November, 10 days out (ordered ahead of need): X delivers
        on the day (10 days), Y 2 days after it (12 days). Z plans it for 5 November, 2 days out,
        sooner than promised, and delivers on 7 November (4 days): late against its promise."""
        part = self.env["product.product"].create(self._prepare_product_vals("JXC Planned Part", 5.0, 9.0, "JXC-PLAN"))
        self.env["product.supplierinfo"].create([
            {"partner_id": vendor.id, "product_tmpl_id": part.product_tmpl_id.id, "price": 5.0, "delay": 3}
            for vendor in (self.vendor_x, self.vendor_y, self.vendor_z)
        ])
        self._buy(self.vendor_x, [(part, 10.0, 5.0)], "2025-11-03 02:00:00", "2025-11-13 02:00:00",
                  date_planned="2025-11-13 04:00:00")
        self._buy(self.vendor_y, [(part, 10.0, 5.0)], "2025-11-03 02:00:00", "2025-11-15 02:00:00",
                  date_planned="2025-11-13 04:00:00")
        self._buy(self.vendor_z, [(part, 10.0, 5.0)], "2025-11-03 02:00:00", "2025-11-07 02:00:00",
                  date_planned="2025-11-05 04:00:00")
        return part

    def test_lead_time_lateness_against_the_planned_date(self):
        """A receipt is late by its lead time less the later of the promised delay and the days
        to the line's planned date, as the on-time criterion judges it: X, on its planned date 10
        days out, is not late (against the promised 3 days it would be 7 days late, score 30); Y,
        2 days after it, is 2 days late: 100 - 2 * 100 / 10 = 80. Z planned sooner than promised:
        4 days less the promised 3 = 1 day late, 90. One receipt each: no spread."""
        self._buy_ahead_of_need()
        evaluations = self._compute()
        x, y, z = (evaluations[vendor] for vendor in (self.vendor_x, self.vendor_y, self.vendor_z))
        self.assertEqual(
            [(e.lead_time_count, e.lead_time_mean, e.lead_time_stddev) for e in (x, y, z)],
            [(1, 10.0, 0.0), (1, 12.0, 0.0), (1, 4.0, 0.0)],
        )
        self.assertEqual(
            [(self._lines(e)["lead_time"].raw_value, self._lines(e)["lead_time"].score) for e in (x, y, z)],
            [(0.0, 100.0), (2.0, 80.0), (1.0, 90.0)],
        )
        # the on-time criterion agrees: X and Z on time by their planned dates, Y late
        self.assertEqual([self._lines(e)["on_time"].raw_value for e in (x, y, z)], [100.0, 0.0, 0.0])

    def test_lead_time_stats_unchanged_for_the_safety_stock(self):
        """The safety stock reads the measured lead times alone: the planned dates change none of
        its figures, and only the evaluation's call asks for them."""
        part = self._buy_ahead_of_need()
        Line = self.env["purchase.order.line"]
        window = (datetime(2025, 11, 1), datetime(2025, 12, 1))
        self.assertEqual(Line._get_jxc_lead_time_stats(*window, self.company), {
            self.vendor_x.id: {"count": 1, "mean": 10.0, "stddev": 0.0},
            self.vendor_y.id: {"count": 1, "mean": 12.0, "stddev": 0.0},
            self.vendor_z.id: {"count": 1, "mean": 4.0, "stddev": 0.0},
        })
        self.assertEqual(
            Line._get_jxc_lead_time_stats(*window, self.company, product_ids=part.ids, by_product=True, with_samples=True),
            {
                (self.vendor_x.id, part.id): {"count": 1, "mean": 10.0, "stddev": 0.0, "samples": [10.0]},
                (self.vendor_y.id, part.id): {"count": 1, "mean": 12.0, "stddev": 0.0, "samples": [12.0]},
                (self.vendor_z.id, part.id): {"count": 1, "mean": 4.0, "stddev": 0.0, "samples": [4.0]},
            },
        )
        receipts = Line._get_jxc_lead_time_stats(*window, self.company, by_product=True, with_receipts=True)
        self.assertEqual(
            {key[0]: stats["receipts"] for key, stats in receipts.items()},
            {self.vendor_x.id: [(10.0, 10.0)], self.vendor_y.id: [(12.0, 10.0)], self.vendor_z.id: [(4.0, 2.0)]},
        )

    def test_returned_over_delivery_is_no_defect(self):
        """Each vendor ordered 10 widgets on 3 November, planned and delivered 12 on 5 November.
        X sends the 2 extra back on 6 November: refused goods never ordered, no defect (quality
        100, as a vendor delivering the 10 ordered). Y sends 3 back: the first 2 are the
        over-delivery, 1 is a defect, 1 of the 10 received (capped at the order) = 10 %:
        100 - 10 * 100 / 10 = 0. Z sends 1 back on 6 November and 2 more on 2 December: its
        first 2 returned are the over-delivery, so November counts none and December 1."""
        for vendor in (self.vendor_x, self.vendor_y, self.vendor_z):
            with freeze_time("2025-11-03 02:00:00"):
                order = self._create_purchase(vendor, [(self.product_1, 10.0, 10.0)], date_planned="2025-11-05 04:00:00")
            with freeze_time("2025-11-05 02:00:00"):
                receipt = self._receive(order, {self.product_1: 12.0})
            with freeze_time("2025-11-06 02:00:00"):
                self._return_picking(receipt, {self.product_1: {self.vendor_x: 2.0, self.vendor_y: 3.0}.get(vendor, 1.0)})
            if vendor == self.vendor_z:
                with freeze_time("2025-12-02 01:00:00"):
                    self._return_picking(receipt, {self.product_1: 2.0})
        evaluations = self._compute()
        x, y, z = (evaluations[vendor] for vendor in (self.vendor_x, self.vendor_y, self.vendor_z))
        self.assertEqual([e.received_qty for e in (x, y, z)], [10.0, 10.0, 10.0])
        self.assertEqual([e.returned_qty for e in (x, y, z)], [0.0, 1.0, 0.0])
        self.assertEqual(
            [(self._lines(e)["quality"].raw_value, self._lines(e)["quality"].score) for e in (x, y, z)],
            [(0.0, 100.0), (10.0, 0.0), (0.0, 100.0)],
        )
        december = self.Period._get_or_create_period(self.company, date(2025, 12, 1))
        self.assertEqual(december._get_return_data(*december._get_utc_bounds()), {self.vendor_z.id: {"returned_qty": 1.0}})

    def test_lead_time_spread_within_each_product(self):
        """V promises the fast part in 2 days and the slow part in 30, and delivers each exactly
        in its time: no lateness and no spread (one receipt per product), lead-time score 100.
        Pooled over the vendor, the 2 and 30 days would make a deviation of 19.8 days."""
        fast, slow = self.env["product.product"].create([
            self._prepare_product_vals("JXC Fast Part", 5.0, 9.0, "JXC-FAST"),
            self._prepare_product_vals("JXC Slow Part", 5.0, 9.0, "JXC-SLOW"),
        ])
        vendor = self.vendor_x
        self.env["product.supplierinfo"].create([
            {"partner_id": vendor.id, "product_tmpl_id": fast.product_tmpl_id.id, "price": 5.0, "delay": 2},
            {"partner_id": vendor.id, "product_tmpl_id": slow.product_tmpl_id.id, "price": 5.0, "delay": 30},
        ])
        self._buy(vendor, [(slow, 10.0, 5.0)], "2025-10-25 02:00:00", "2025-11-24 02:00:00", date_planned="2025-11-24 04:00:00")
        self._buy(vendor, [(fast, 10.0, 5.0)], "2025-11-10 02:00:00", "2025-11-12 02:00:00", date_planned="2025-11-12 04:00:00")
        evaluation = self._compute()[vendor]
        self.assertEqual((evaluation.lead_time_count, evaluation.lead_time_mean), (2, 16.0))
        self.assertEqual(evaluation.lead_time_stddev, 0.0)
        lead_time = self._lines(evaluation)["lead_time"]
        self.assertEqual((lead_time.has_data, lead_time.raw_value, lead_time.score), (True, 0.0, 100.0))
        self.assertEqual((evaluation.score, evaluation.grade), (100.0, "a"))

    def test_free_line_is_no_market_price(self):
        """X pays 10 for the widget, Y gets 10 free (samples, due in January): a price of 0 is no
        market price. X is the only vendor that charged: no price index, X is scored on the rest
        (its lead time 3 days, before the line's planned 5 days, the later of them and the delay
        of 0 Odoo recorded at confirmation: not late, 100), that is
        (30 * 100 + 20 * 100 + 20 * 100 + 15 * 100) / 85 = 100. Once Z buys at 12, the market
        price is (100 + 120) / 20 = 11: X's index 10 / 11. Y and Z, with nothing delivered or due in
        November, are not graded."""
        self._buy(self.vendor_x, [(self.product_1, 10.0, 10.0)], "2025-11-05 02:00:00", "2025-11-08 02:00:00",
                  date_planned="2025-11-10 04:00:00")
        with freeze_time("2025-11-05 02:00:00"):
            self._create_purchase(self.vendor_y, [(self.product_1, 10.0, 0.0)], date_planned="2026-01-10 04:00:00")
        evaluations = self._compute()
        x = evaluations[self.vendor_x]
        price = self._lines(x)["price"]
        self.assertFalse(price.has_data, "the free line made X's price index %s" % price.raw_value)
        self.assertEqual((x.purchase_amount, x.score, x.grade), (100.0, 100.0, "a"))
        self.assertNotIn(self.vendor_y, evaluations)
        with freeze_time("2025-11-06 02:00:00"):
            self._create_purchase(self.vendor_z, [(self.product_1, 10.0, 12.0)], date_planned="2026-01-10 04:00:00")
        evaluations = self._compute()
        self.assertAlmostEqual(self._lines(evaluations[self.vendor_x])["price"].raw_value, 1000 / 11, places=6)
        self.assertEqual(set(evaluations), {self.vendor_x})
