"""Figures of the supplier evaluation a vendor is judged by: who may log what quality incident,
the figures shown without data, the lead-time spread, an incident of goods received earlier."""

from contextlib import contextmanager
from datetime import date

from freezegun import freeze_time
from lxml import etree

from odoo.exceptions import ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .common import JxcCommon
from .common_supplier import JxcSupplierCommon


@tagged("post_install", "-at_install")
class TestSupplierIncidentLimits(JxcCommon):
    """Vendor A delivered 10 widgets on 20 April 2025 and took 2 back on 22 April (the return
    updates the order: 8 received). Today is 15 May 2025 (Shanghai), April still open."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        order = cls._buy(cls.vendor_a, [(cls.product_1, 10.0, 10.0)], "2025-04-15 02:00:00", "2025-04-20 02:00:00",
                         date_planned="2025-04-20 04:00:00")
        with freeze_time("2025-04-22 02:00:00"):
            cls._return_picking(order.picking_ids, {cls.product_1: 2.0})
        cls.keeper = new_test_user(cls.env, login="jxc_incident_keeper", groups="jxc_addon.group_jxc_user")
        cls.Incident = cls.env["jxc.supplier.incident"]

    def setUp(self):
        super().setUp()
        self._freeze_test_at("2025-05-15 02:00:00")

    @contextmanager
    def _refused(self, pattern):
        """A ValidationError matching ``pattern``, its writes rolled back (as the client's call is)."""
        with self.assertRaises(ValidationError) as refusal:
            yield
        self.assertRegex(str(refusal.exception), pattern)

    def _vals(self, day, qty, product=True):
        return {"partner_id": self.vendor_a.id, "product_id": product and self.product_1.id, "date": day,
                "quantity": qty, "severity": "critical"}

    def test_user_dates_an_incident_in_this_month_only(self):
        self.assertEqual(self.env["purchase.order.line"].search([("partner_id", "=", self.vendor_a.id)]).qty_received, 8.0)
        Incident = self.Incident.with_user(self.keeper)
        for day in (date(2025, 4, 30), date(2025, 5, 16)):  # April still open; tomorrow
            with self.subTest(day=day), self._refused(
                    "Only a manager can date a quality incident before this month or after today: .* Date it "
                    "between 05/01/2025 and 05/15/2025, or ask a manager"):
                Incident.create(self._vals(day, 1.0))
        incident = Incident.create(self._vals(date(2025, 5, 1), 1.0))
        self.assertEqual((incident.user_id, incident.date), (self.keeper, date(2025, 5, 1)))
        with self._refused("Only a manager can date a quality incident before this month"):
            incident.date = date(2025, 4, 30)
        incident.note = "scratched"  # the rest of his own incident stays his to write
        # a manager dates one where it happened, April
        manager_incident = self.Incident.with_user(self.jxc_manager).create(self._vals(date(2025, 4, 30), 1.0))
        self.assertEqual(manager_incident.date, date(2025, 4, 30))

    def test_user_reports_at_most_what_was_received(self):
        """8 widgets received and kept: 8 may be reported defective by a user, in one incident or
        several; a 9th is refused. A manager may enter more (found at the vendor's, say)."""
        Incident = self.Incident.with_user(self.keeper)
        with self._refused("JXC Vendor A for \\[JXC-001\\] JXC Widget add up to 9.00, more than the 8.00 received"):
            Incident.create(self._vals(date(2025, 5, 15), 9.0))
        first = Incident.create(self._vals(date(2025, 5, 15), 5.0))
        Incident.create(self._vals(date(2025, 5, 15), 3.0))
        with self._refused("add up to 9.00, more than the 8.00 received"):
            Incident.create(self._vals(date(2025, 5, 15), 1.0))
        with self._refused("add up to 9.00, more than the 8.00 received"):
            first.quantity = 6.0
        # of a product never bought from the vendor: nothing received
        with self._refused("JXC Gizmo add up to 1.00, more than the 0.00 received"):
            Incident.create({**self._vals(date(2025, 5, 15), 1.0), "product_id": self.product_3.id})
        # without a product: a share of all the vendor's receipts (8), the same bound
        Incident.create(self._vals(date(2025, 5, 15), 8.0, product=False))
        with self._refused("without a product add up to 8.50, more than the 8.00 received"):
            Incident.create(self._vals(date(2025, 5, 15), 0.5, product=False))
        self.Incident.with_user(self.jxc_manager).create(self._vals(date(2025, 5, 15), 50.0))
        self.assertEqual(sum(self.Incident.search([("partner_id", "=", self.vendor_a.id)]).mapped("quantity")), 66.0)


@tagged("post_install", "-at_install")
class TestSupplierNoDataShown(JxcSupplierCommon):
    """April 2025: vendor C's 10 gadgets planned 10 April never came: one line due, unfilled,
    nothing received, no lead time measured. Its on-time rate and lead time are no data (stored
    0), hidden on every screen that lists them; vendor A's of March are shown."""

    # (model, view, path of the one2many holding the fields or "", fields hidden without data)
    SCREENS = (
        ("jxc.supplier.evaluation", "list", "", ("on_time_rate", "fill_rate", "lead_time_mean", "lead_time_stddev")),
        ("jxc.supplier.evaluation", "form", "", ("on_time_rate", "fill_rate", "lead_time_mean", "lead_time_stddev")),
        ("jxc.supplier.period", "form", "evaluation_ids", ("on_time_rate",)),
        ("res.partner", "form", "jxc_supplier_evaluation_ids", ("on_time_rate", "lead_time_mean", "lead_time_stddev")),
    )

    def _hidden(self, evaluation):
        """{(model, view, field): whether the view hides the field for ``evaluation``}."""
        result = {}
        for model, view_type, one2many, fnames in self.SCREENS:
            arch = etree.fromstring(self.env[model].get_views([(False, view_type)])["views"][view_type]["arch"])
            scope = arch.xpath("//field[@name='%s']" % one2many)[0] if one2many else arch
            shown = {node.get("name") for node in scope.iter("field")}
            values = {fname: evaluation[fname] for fname in shown if fname in evaluation._fields}
            for fname in fnames:
                node = scope.xpath(".//field[@name='%s']" % fname)[0]
                result[model, view_type, fname] = bool(safe_eval(node.get("invisible") or "False", values))
        return result

    def test_rates_without_data_are_hidden(self):
        april = self.Period._get_or_create_period(self.company, date(2025, 4, 15))
        april.action_compute()
        self.march.action_compute()
        c_april = self._evaluation(april, self.vendor_c)
        self.assertEqual(
            c_april.read(["received_line_count", "on_time_rate", "lead_time_count", "lead_time_mean",
                          "fill_line_count", "fill_rate"])[0] | {"id": 0},
            {"id": 0, "received_line_count": 0, "on_time_rate": 0.0, "lead_time_count": 0, "lead_time_mean": 0.0,
             "fill_line_count": 1, "fill_rate": 0.0})
        hidden = self._hidden(c_april)
        self.assertEqual({key for key, value in hidden.items() if not value},
                         {("jxc.supplier.evaluation", view, "fill_rate") for view in ("list", "form")})
        a_march = self._evaluation(self.march, self.vendor_a)
        self.assertEqual((a_march.received_line_count, a_march.fill_line_count, a_march.lead_time_count), (2, 2, 3))
        self.assertFalse(any(self._hidden(a_march).values()))


    def test_group_lead_time_leaves_out_rows_without_receipts(self):
        """March: A's 3 receipts in 5, 10 and 17 days (mean 32 / 3), B's one in 7; April: B and C
        nothing received (lead time 0 stored, no data). The group's lead time is the mean of the 4
        receipts, (32 + 7) / 4 = 9.75 days, not the average of the 4 rows (32 / 3 + 7) / 4 = 4.42."""
        april = self.Period._get_or_create_period(self.company, date(2025, 4, 15))
        april.action_compute()
        self.march.action_compute()
        evaluations = (self.march | april).evaluation_ids
        self.assertEqual(sorted(evaluations.mapped("lead_time_count")), [0, 0, 1, 3])
        [(lead_time,)] = self.env["jxc.supplier.evaluation"]._read_group(
            [("id", "in", evaluations.ids)], [], ["lead_time_mean:avg"])
        self.assertAlmostEqual(lead_time, 9.75, places=6)


@tagged("post_install", "-at_install")
class TestSupplierLeadTimeSpread(JxcCommon):
    """November 2025, computed on 2 December. X and Y both promise the part in 3 days; the
    buyer plans each order for the day the goods are needed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.november = cls.env["jxc.supplier.period"]._get_or_create_period(cls.company, date(2025, 11, 1))
        cls.vendor_x, cls.vendor_y = cls.env["res.partner"].create([
            {"name": "JXC Vendor %s" % name, "supplier_rank": 1} for name in "XY"])
        cls.part = cls.env["product.product"].create(cls._prepare_product_vals("JXC Part", 5.0, 9.0, "JXC-PART"))
        cls.env["product.supplierinfo"].create([
            {"partner_id": vendor.id, "product_tmpl_id": cls.part.product_tmpl_id.id, "price": 5.0, "delay": 3}
            for vendor in (cls.vendor_x, cls.vendor_y)])

    def _compute(self):
        with freeze_time("2025-12-02 02:00:00"):
            self.november.action_compute()
        return {evaluation.partner_id: evaluation for evaluation in self.november.evaluation_ids}

    def test_spread_of_the_deviations_from_the_planned_day(self):
        """X: one order planned 5 days out and received on day 5, one planned 29 days out and
        received on day 29. Each on the day asked: deviations 0 and 0, spread 0, lateness 0,
        lead-time score 100 (the lead times 5 and 29 made a spread of sqrt(((5 - 17)^2 + (29 -
        17)^2) / 1) = 16.97 days and a score of 0).
        Y: planned 10 days out, received on day 12 (2 late); planned 25 days out, received on day
        22 (3 early). Deviations +2 and -3, mean -0.5: sqrt((2.5^2 + 2.5^2) / 1) = 3.536 (the lead
        times 12 and 22: 7.071); lateness (2 + 0) / 2 = 1; score 100 - (1 + 3.536 / 2) * 100 / 10
        = 72.32 (it was 54.64). Mean lead times (5 + 29) / 2 = (12 + 22) / 2 = 17 days."""
        self._buy(self.vendor_x, [(self.part, 10.0, 5.0)], "2025-11-03 02:00:00", "2025-11-08 02:00:00",
                  date_planned="2025-11-08 04:00:00")
        self._buy(self.vendor_x, [(self.part, 10.0, 5.0)], "2025-11-01 02:00:00", "2025-11-30 02:00:00",
                  date_planned="2025-11-30 04:00:00")
        self._buy(self.vendor_y, [(self.part, 10.0, 5.0)], "2025-11-02 02:00:00", "2025-11-14 02:00:00",
                  date_planned="2025-11-12 04:00:00")
        self._buy(self.vendor_y, [(self.part, 10.0, 5.0)], "2025-11-02 02:00:00", "2025-11-24 02:00:00",
                  date_planned="2025-11-27 04:00:00")
        evaluations = self._compute()
        x, y = evaluations[self.vendor_x], evaluations[self.vendor_y]
        self.assertEqual((x.lead_time_count, x.lead_time_mean, x.lead_time_stddev), (2, 17.0, 0.0))
        x_lead = x.line_ids.filtered(lambda line: line.criterion_id.criterion_type == "lead_time")
        self.assertEqual((x_lead.raw_value, x_lead.score), (0.0, 100.0))
        self.assertEqual((y.lead_time_count, y.lead_time_mean), (2, 17.0))
        self.assertAlmostEqual(y.lead_time_stddev, 12.5 ** 0.5, places=6)
        y_lead = y.line_ids.filtered(lambda line: line.criterion_id.criterion_type == "lead_time")
        self.assertAlmostEqual(y_lead.raw_value, 1.0, places=6)
        self.assertAlmostEqual(y_lead.score, 72.322330, places=5)


@tagged("post_install", "-at_install")
class TestSupplierIncidentOfAnEarlierReceipt(JxcSupplierCommon):
    def test_incident_counts_against_the_product_received_before(self):
        """April: vendor A delivers 5 widgets, and 0.75 of the 15 gadgets it delivered in March
        are found defective. The incident counts against that gadget line (0.75 / 15 = 5 %),
        a line of April's mean with the widgets' (0 %): quality 2.5 %, score 100 - 2.5 x 10 =
        75. Not 0.75 gadgets over 5 widgets (15 % on every line: score 0)."""
        self._buy(self.vendor_a, [(self.product_1, 5.0, 10.0)], "2025-04-01 02:00:00", "2025-04-08 02:00:00",
                  date_planned="2025-04-08 04:00:00")
        self.env["jxc.supplier.incident"].create({
            "partner_id": self.vendor_a.id, "product_id": self.product_2.id, "date": date(2025, 4, 10),
            "quantity": 0.75, "severity": "minor",
        })
        april = self.Period._get_or_create_period(self.company, date(2025, 4, 15))
        april.action_compute()
        quality = self._lines(self._evaluation(april, self.vendor_a))["quality"]
        self.assertAlmostEqual(quality.raw_value, 2.5, places=6)
        self.assertAlmostEqual(quality.score, 75.0, places=6)
