import math
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .abc_common import AbcCommon

# Weekly demand, oldest week first, of the 28 days before 1 July 2025 (Shanghai time):
# weeks 3-9, 10-16, 17-23 and 24-30 June. Population standard deviation / mean:
PATTERNS = {
    "X": [8, 12, 8, 12],    # sd 2,  cv 0.2
    "XY": [5, 15, 5, 15],   # sd 5,  cv 0.5 (exactly the X limit: Y)
    "Y": [4, 16, 4, 16],    # sd 6,  cv 0.6
    "YZ": [0, 20, 0, 20],   # sd 10, cv 1.0 (exactly the Y limit: Z)
    "Z": [0, 0, 0, 40],     # sd 17.32, cv 1.7321
}
WEEKS = [
    "2025-06-05 04:00:00",
    "2025-06-12 04:00:00",
    "2025-06-19 04:00:00",
    # 23 June 17:00 UTC is 24 June 01:00 in Shanghai: the last week, not the one before.
    "2025-06-23 17:00:00",
]


@tagged("post_install", "-at_install")
class TestAbcXyz(AbcCommon):
    """XYZ classes from the coefficient of variation of the weekly / monthly demand."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        products = cls._create_products([(code, 1.0) for code in PATTERNS])
        cls.by_code = dict(zip(PATTERNS, products, strict=True))
        # stocked before the 60 days of test_monthly_periods: both its periods are whole
        cls._stock_up(products, 1000, "2025-05-01 02:00:00")
        for week, when in enumerate(WEEKS):
            cls._sell_and_deliver(when, [(cls.by_code[code], pattern[week], 2.0) for code, pattern in PATTERNS.items()])
        # Before the period (2 June) and on the computation day (1 July, Shanghai): not counted.
        cls._sell_and_deliver("2025-06-02 04:00:00", [(cls.by_code["X"], 100, 2.0)])
        cls._sell_and_deliver("2025-06-30 17:00:00", [(cls.by_code["X"], 100, 2.0)])
        cls.profile = cls._create_profile(
            scope="categories", category_ids=[products.categ_id.id], lookback_days=28, xyz_period="week",
        )
        cls.when = "2025-07-01 02:00:00"

    def test_weekly_cv_and_default_limits(self):
        results = self._compute(self.profile, self.when)
        expected_cv = {"X": 0.2, "XY": 0.5, "Y": 0.6, "YZ": 1.0, "Z": math.sqrt(3)}
        for code, product in self.by_code.items():
            with self.subTest(code=code):
                self.assertAlmostEqual(results[product].demand_cv, expected_cv[code], places=4)
                self.assertEqual(results[product].demand_qty, sum(PATTERNS[code]))
        self.assertEqual(
            {code: results[p].xyz_class for code, p in self.by_code.items()},
            {"X": "x", "XY": "y", "Y": "y", "YZ": "z", "Z": "z"},
        )

    def test_custom_limits(self):
        self.profile.write({"xyz_limit_x": 0.6, "xyz_limit_y": 2.0})
        results = self._compute(self.profile, self.when)
        self.assertEqual(
            {code: results[p].xyz_class for code, p in self.by_code.items()},
            {"X": "x", "XY": "x", "Y": "y", "YZ": "y", "Z": "y"},
        )

    def test_monthly_periods(self):
        """Two 30-day periods (2-31 May, 1-30 June): all demand in June -> cv 1.0 -> Z."""
        self.profile.write({"xyz_period": "month", "lookback_days": 60})
        results = self._compute(self.profile, self.when)
        for product in self.by_code.values():
            self.assertAlmostEqual(results[product].demand_cv, 1.0, places=4)
            self.assertEqual(results[product].xyz_class, "z")

    def test_abc_xyz_matrix(self):
        """The report's matrix is a grouping by class and XYZ class, readable by users."""
        self._compute(self.profile, self.when)
        groups = self.env["jxc.abc.result"].with_user(self.jxc_user).formatted_read_group(
            [("profile_id", "=", self.profile.id)], ["abc_class", "xyz_class"], ["__count"],
        )
        matrix = {(g["abc_class"], g["xyz_class"]): g["__count"] for g in groups}
        # Quantities 40 each: 20 %, 40 %, 60 %, 80 % (A), 100 % (the crossing item: B).
        self.assertEqual(matrix, {("a", "x"): 1, ("a", "y"): 2, ("a", "z"): 1, ("b", "z"): 1})


@tagged("post_install", "-at_install")
class TestAbcCron(AbcCommon):
    """The monthly scheduled action."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._stock_up(cls.product_1, 100, "2025-05-01 02:00:00")
        cls._sell_and_deliver("2025-05-10 02:00:00", [(cls.product_1, 10, 25.0)])
        Profile = cls.env["jxc.abc.profile"]
        Profile.search([]).active = False
        cls.profile_1 = cls._create_profile(name="One", lookback_days=90, is_default=True)
        cls.profile_2 = cls._create_profile(name="Two", lookback_days=90, measure="revenue")
        cls.archived = cls._create_profile(name="Old", lookback_days=90, active=False)

    def test_cron_record(self):
        cron = self.env.ref("jxc_addon.jxc_abc_profile_cron")
        self.assertEqual((cron.interval_number, cron.interval_type), (1, "hours"))
        self.assertIn("_cron_compute_profiles(commit_progress=True)", cron.code)

    def test_cron_computes_active_profiles_once_a_month(self):
        with freeze_time("2025-07-01 02:00:00"):
            self.env["jxc.abc.profile"]._cron_compute_profiles()
        self.assertEqual(self.profile_1.period_end.isoformat(), "2025-06-30")
        self.assertEqual(self.profile_2.period_end.isoformat(), "2025-06-30")
        self.assertFalse(self.archived.last_computed_on)
        self.assertEqual(self.product_1.jxc_abc_class, "a")
        computed_on = self.profile_1.last_computed_on
        # Later that day and that month, its settings changed or not: already done this month.
        self.profile_2.measure = "quantity"
        for when in ("2025-07-01 09:00:00", "2025-07-31 15:00:00"):  # 31 July 23:00 in Shanghai
            with freeze_time(when):
                self.env["jxc.abc.profile"]._cron_compute_profiles()
            self.assertEqual(self.profile_1.last_computed_on, computed_on, when)
        self.assertTrue(self.profile_2.settings_changed)
        # 16:00 UTC on 31 July is 1 August in Shanghai: August's computation, over July
        with freeze_time("2025-07-31 16:00:00"):
            self.env["jxc.abc.profile"]._cron_compute_profiles()
        self.assertEqual((self.profile_1.period_end.isoformat(), self.profile_2.period_end.isoformat()),
                         ("2025-07-31", "2025-07-31"))
        self.assertFalse(self.profile_2.settings_changed)

    def test_cron_waits_for_the_month_of_a_company_west_of_utc(self):
        """Los Angeles: 02:00 UTC on 1 July is still 30 June there, June's profile stays; the
        first run after its midnight (07:00 UTC, PDT) computes July's, over June."""
        self.company.partner_id.tz = "America/Los_Angeles"
        with freeze_time("2025-06-15 20:00:00"):
            self.profile_1._run_classification()
        self.assertEqual(self.profile_1.period_end.isoformat(), "2025-06-14")
        with freeze_time("2025-07-01 02:00:00"):
            self.env["jxc.abc.profile"]._cron_compute_profiles()
        self.assertEqual(self.profile_1.period_end.isoformat(), "2025-06-14")
        with freeze_time("2025-07-01 07:05:00"):
            self.env["jxc.abc.profile"]._cron_compute_profiles()
        self.assertEqual(self.profile_1.period_end.isoformat(), "2025-06-30")

    def test_cron_skips_and_logs_a_failing_profile(self):
        Profile = type(self.env["jxc.abc.profile"])
        original = Profile._run_classification
        failing = self.profile_1

        def run(profile, today=None):
            if profile == failing:
                raise ZeroDivisionError("injected failure")
            return original(profile, today)

        with patch.object(Profile, "_run_classification", autospec=True, side_effect=run), \
                patch.object(type(self.env["ir.cron"]), "_commit_progress", autospec=True, return_value=60.0) as progress, \
                self.assertLogs("odoo.addons.jxc_addon.models.jxc_abc_profile", level="ERROR") as logs, \
                freeze_time("2025-07-01 02:00:00"):
            self.env["jxc.abc.profile"]._cron_compute_profiles(commit_progress=True)
        self.assertIn("profile One", logs.output[0])
        self.assertFalse(self.profile_1.last_computed_on)
        self.assertTrue(self.profile_2.last_computed_on)
        self.assertTrue(self.profile_2.result_ids)
        # Progress: the remaining count first, then one step per profile.
        self.assertEqual([c.kwargs.get("remaining") for c in progress.call_args_list], [2, None, None])
        self.assertEqual([c.args[1:] for c in progress.call_args_list], [(), (1,), (1,)])

    def test_cron_stops_when_time_is_up(self):
        with patch.object(type(self.env["ir.cron"]), "_commit_progress", autospec=True, return_value=0.0), \
                freeze_time("2025-07-01 02:00:00"):
            self.env["jxc.abc.profile"]._cron_compute_profiles(commit_progress=True)
        self.assertEqual(bool(self.profile_1.last_computed_on) + bool(self.profile_2.last_computed_on), 1)

    def test_cron_computes_a_profile_without_its_period(self):
        """A profile computed once whose period was emptied (in superuser mode: no user can)
        is computed again, and the others with it: the job does not stop on it."""
        self.profile_1.write({"last_computed_on": "2025-06-01 00:00:00", "period_start": False, "period_end": False})
        with freeze_time("2025-07-01 02:00:00"):
            self.env["jxc.abc.profile"]._cron_compute_profiles()
        self.assertEqual((self.profile_1.period_end.isoformat(), self.profile_2.period_end.isoformat()),
                         ("2025-06-30", "2025-06-30"))

    def test_users_cannot_write_the_computation(self):
        """The last computation's date, period and settings flag are the computation's: the
        monthly action and the export trust them, so a manager's RPC cannot move them."""
        with freeze_time("2025-07-01 02:00:00"):
            self.profile_1._run_classification()
        self.profile_1.measure = "revenue"
        self.assertTrue(self.profile_1.settings_changed)
        Profile = self.env["jxc.abc.profile"].with_user(self.jxc_manager)
        for vals in ({"period_end": "2099-12-31"}, {"settings_changed": False}, {"last_computed_on": False},
                     {"period_start": "2025-01-01", "name": "Renamed"}):
            with self.assertRaisesRegex(UserError, "record its last computation"):
                self.profile_1.with_user(self.jxc_manager).write(vals)
        with self.assertRaisesRegex(UserError, "Period End of an ABC profile record"):
            Profile.create({"name": "Made up", "period_end": "2025-06-30"})
        self.assertEqual((self.profile_1.name, self.profile_1.period_end.isoformat(), self.profile_1.settings_changed),
                         ("One", "2025-06-30", True))
        # the manager's own changes and computation still go through, a new profile on its form too
        with Form(Profile) as form:
            form.name = "On the form"
        self.assertFalse(form.record.last_computed_on)
        self.profile_1.with_user(self.jxc_manager).write({"name": "Renamed"})
        with freeze_time("2025-07-02 02:00:00"):
            self.profile_1.with_user(self.jxc_manager).action_compute()
        self.assertFalse(self.profile_1.settings_changed)

    def test_archived_profile_cannot_compute(self):
        with self.assertRaisesMessage(UserError, "archived"):
            self.archived._run_classification()


@tagged("post_install", "-at_install")
class TestAbcProfileLookback(AbcCommon):
    def test_new_profile_looks_back_its_own_companys_history(self):
        """A manager of two companies, working in the main one (365 days), creates a profile of
        the other (60 days): 60; a look-back given stays; the form follows the company chosen."""
        other = self.env["res.company"].create({"name": "JXC Lookback Co", "jxc_demand_history_days": 60})
        self.company.jxc_demand_history_days = 365
        manager = self.jxc_manager
        manager.company_ids |= other
        # both companies selected, the main one current
        Profile = self.env["jxc.abc.profile"].with_user(manager).with_context(allowed_company_ids=[self.company.id, other.id])
        self.assertEqual(Profile.create({"name": "Theirs", "company_id": other.id}).lookback_days, 60)
        self.assertEqual(Profile.create({"name": "Mine"}).lookback_days, 365)
        self.assertEqual(Profile.create({"name": "Given", "company_id": other.id, "lookback_days": 90}).lookback_days, 90)
        with Form(Profile) as form:
            form.name = "On the form"
            self.assertEqual(form.lookback_days, 365)
            form.company_id = other
            self.assertEqual(form.lookback_days, 60)
