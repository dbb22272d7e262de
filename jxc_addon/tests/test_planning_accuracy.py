"""Forecast accuracy and drift alerts through real deliveries (issue 17, item 4), on the
fixtures of safety_common.py (today 30 June 2025). The measures are those of
tools/forecast.py (tested on worked examples in test_planning_formulas.py), over the
rolling-origin backtest of each rule's method: the last two thirds of the history window.
"""

import base64
import io
from unittest.mock import patch

import numpy as np
import openpyxl
from freezegun import freeze_time
from lxml import etree

from odoo.fields import Command
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from ..tools.forecast import select_method
from .common import JxcCommon, xlsx_file
from .safety_common import SafetyStockCommon


@tagged("post_install", "-at_install")
class TestPlanningAccuracy(SafetyStockCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.buyer = new_test_user(cls.env, "jxc_forecast_buyer", groups="jxc_addon.group_jxc_user,purchase.group_purchase_user")
        cls.vendor_a.buyer_id = cls.buyer
        # product_5: sold 10 a day on 20, 21 and 22 June, then nothing.
        cls.product_5 = cls.env["product.product"].create({
            **cls._prepare_product_vals("JXC Lamp", 5.0, 12.0, "JXC-105"),
            "seller_ids": [Command.create({"partner_id": cls.vendor_a.id, "price": 5.0, "delay": 2})],
        })
        with freeze_time("2025-06-19 02:00:00"):
            cls._set_on_hand(cls.product_5, 50.0)
        for day in (20, 21, 22):
            with freeze_time(f"2025-06-{day} 02:00:00"):
                cls._deliver(cls._create_sale(cls.customer_a, [(cls.product_5, 10.0, 12.0)]))

    def test_accuracy_of_the_forecast_in_use(self):
        self.rule_class_a.forecast_method = "croston_sba"
        self._compute()
        op = self._orderpoint(self.product_1)
        # Days 4-10: demand 20 5 0 0 10 0 0 (35); Croston-SBA 4.75 5.225 5.2 5.2 5.2 4.8965 4.8965:
        # errors -15.25 0.225 5.2 5.2 -4.8 4.8965 4.8965 -> sum 0.3680, absolute 40.4680.
        self.assertAlmostEqual(op.jxc_forecast_actual, 35.0)
        self.assertAlmostEqual(op.jxc_forecast_abs_error, 40.4680, places=4)
        self.assertAlmostEqual(op.jxc_forecast_wape, 115.62)        # 40.468 / 35
        self.assertAlmostEqual(op.jxc_forecast_bias, 1.05)          # 0.368 / 35
        self.assertAlmostEqual(op.jxc_tracking_signal, 0.06)        # 0.368 / (40.468 / 7)
        self.assertAlmostEqual(op.jxc_forecast_bias_z, 0.02)        # 0.368 / sqrt(357.6851)
        self.assertAlmostEqual(op.jxc_forecast_mase, 0.5781)
        # product_2, moving average over 30 days (demand 6, 12, 6 on days 11, 21, 30): the
        # average of the days before each day is below every sale and above every quiet day:
        # errors sum -13.4369, absolute 32.7217 over 20 days -> tracking signal -8.21, which
        # beyond +-4 called it drifting; three sales are too few to tell a bias from chance:
        # the mean error is 0.93 standard errors below 0, within 1.96.
        op_2 = self._orderpoint(self.product_2)
        self.assertAlmostEqual(op_2.jxc_tracking_signal, -8.21)
        self.assertAlmostEqual(op_2.jxc_forecast_bias_z, -0.93)
        self.assertAlmostEqual(op_2.jxc_forecast_bias, round(-13.4369 / 24 * 100, 2))
        # Seasonal forecasts are not the backtested method: no figures.
        op_4 = self._orderpoint(self.product_4)
        self.assertEqual((op_4.jxc_forecast_method, op_4.jxc_tracking_signal, op_4.jxc_forecast_actual), ("seasonal", 0.0, 0.0))
        # The analysis: one row per managed rule with a measured method, by ABC class and buyer.
        Report = self.env["jxc.forecast.accuracy.report"]
        row = Report.search([("product_id", "=", self.product_1.id)])
        self.assertEqual((row.abc_class, row.demand_class, row.forecast_method), ("a", "intermittent", "croston_sba"))
        self.assertAlmostEqual(row.wape, 115.62)
        self.assertFalse(Report.search([("product_id", "in", (self.product_3 | self.product_4).ids)]))
        groups = dict(Report._read_group([("company_id", "=", self.company.id)], ["abc_class"], ["actual:sum"]))
        self.assertAlmostEqual(groups["a"], 35.0)

    def test_drift_alert_for_the_buyer(self):
        self._compute()
        op = self._orderpoint(self.product_5)
        # Days 4-10 without demand while the average of the days before is 30 / (t - 1): every
        # error runs one way (10, 7.5, 6, 5, 4.29, 3.75, 3.33), the tracking signal is the number
        # of days, 7, and the bias z 39.869 / sqrt(260.79) = 2.47, beyond 1.96.
        self.assertEqual(op.jxc_tracking_signal, 7.0)
        self.assertAlmostEqual(op.jxc_forecast_bias_z, 2.47)
        Report = self.env["jxc.forecast.accuracy.report"]
        drifting = Report.search([("drifting", "=", True)])
        self.assertEqual(drifting.product_id, self.product_5)
        self.assertEqual(drifting.buyer_id, self.buyer)
        self.assertEqual(self.env["jxc.forecast.drift"]._get_drift_count(self.company), 1)
        tile = Report._get_jxc_dashboard_kpis(self.company, None, None)[0]
        self.assertEqual((tile["key"], tile["value"]), ("jxc_forecast_drift", 1.0))
        self.assertEqual(Report.search_count(tile["action"]["domain"]), 1)

        Change = self.env["jxc.purchase.plan.change"]
        self.env["jxc.purchase.plan"]._refresh(self.company)
        self.assertEqual(Change._read(self.company), [])
        self.env["jxc.forecast.drift"]._cron_send_alerts()
        # the alert's bookkeeping on the rule is no figure of the purchase plan: nothing to refresh
        self.assertEqual(Change._read(self.company), [])
        activities = self.env["mail.activity"].search([
            ("res_model", "=", "product.product"), ("res_id", "=", self.product_5.id),
        ])
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.user_id, self.buyer)
        # No demand in the 7 days replayed: WAPE and bias are undefined, not "0.0 %"; the
        # forecasts summed 39.869 (10 + 7.5 + 6 + 5 + 4.29 + 3.75 + 3.33).
        self.assertIn(
            "had no demand in the last 7 days the backtest replayed, while its forecast expected 39.87 Units over "
            "them (bias z 2.47, beyond 1.96; method: Moving Average)", activities.note,
        )
        self.assertNotIn("WAPE", activities.note)
        # Not mailed one by one (Odoo notifies an activity's assignee unless told not to).
        self.assertFalse(self.env["mail.message"].search([
            ("model", "=", "product.product"), ("res_id", "=", self.product_5.id), ("message_type", "=", "user_notification"),
        ]))
        # Once per product and buyer while the activity is open.
        self.env["jxc.forecast.drift"]._cron_send_alerts()
        self.assertEqual(self.env["mail.activity"].search_count([
            ("res_model", "=", "product.product"), ("res_id", "=", self.product_5.id),
        ]), 1)

    def test_drifting_filter_names_the_bias_z(self):
        """The filter says what flags a row: the bias z beyond 1.96, not Brown's tracking signal."""
        Report = self.env["jxc.forecast.accuracy.report"].with_context(lang="en_US")
        search = etree.fromstring(Report.get_views([(False, "search")])["views"]["search"]["arch"])
        [flag] = search.xpath("//filter[@name='drifting']")
        self.assertEqual((flag.get("string"), flag.get("domain")), ("Drifting (|Bias z| > 1.96)", "[('drifting', '=', True)]"))

    def test_drift_alerts_skip_a_failing_rule(self):
        """A rule whose alert cannot be sent fails its batch: the batch's other rules are
        alerted one by one, the bad one is logged, and the next day's run tries it again."""
        self._compute()
        op_5 = self._orderpoint(self.product_5)
        op_1 = self._orderpoint(self.product_1)
        op_1.sudo().jxc_forecast_bias_z = 3.0  # drifts too, in the same batch
        Drift = type(self.env["jxc.forecast.drift"])
        original = Drift._send_alerts
        calls = []

        def failing(drift, company, orderpoints):
            calls.append(orderpoints)
            if op_5 in orderpoints:
                raise ValueError("broken rule")
            return original(drift, company, orderpoints)

        logger = "odoo.addons.jxc_addon.models.jxc_forecast_drift"
        with patch.object(Drift, "_send_alerts", failing), self.assertLogs(logger, level="ERROR") as logs:
            self.env["jxc.forecast.drift"]._cron_send_alerts()
        self.assertEqual([set(batch.ids) for batch in calls], [{op_1.id, op_5.id}, {op_1.id}, {op_5.id}])
        self.assertIn("a batch was not sent; retried rule by rule", logs.output[0])
        self.assertIn("Forecast drift alert of %s not sent" % op_5.display_name, logs.output[1])
        Activity = self.env["mail.activity"]
        self.assertEqual(op_1.jxc_drift_activity_id.res_id, self.product_1.id)
        self.assertFalse(op_5.jxc_drift_activity_id)
        self.assertFalse(Activity.search([("res_model", "=", "product.product"), ("res_id", "=", self.product_5.id)]))
        # the next run sends the rule's alert, and no second one for the other
        self.env["jxc.forecast.drift"]._cron_send_alerts()
        self.assertEqual(op_5.jxc_drift_activity_id.res_id, self.product_5.id)
        self.assertEqual(len(Activity.search([("res_model", "=", "product.product"), ("res_id", "=", self.product_1.id)])), 1)

    def test_no_demand_leaves_wape_and_bias_undefined(self):
        """product_5 sold nothing in the 7 days replayed: its WAPE and bias (sums over its
        demand, 0) are undefined. The report shows them empty, in the list and in Excel,
        where a 0 % would read as a perfect forecast."""
        self._compute()
        op = self._orderpoint(self.product_5)
        self.assertEqual((op.jxc_forecast_actual, op.jxc_forecast_error), (0.0, 39.869))
        Report = self.env["jxc.forecast.accuracy.report"].with_context(lang="en_US")
        row = Report.search([("product_id", "=", self.product_5.id)])
        self.assertEqual((row.actual, row.abs_error, row.bias_z), (0.0, 39.869, 2.47))
        # the list hides both figures of a row without demand
        arch = etree.fromstring(Report.get_views([(False, "list")])["views"]["list"]["arch"])
        for name in ("wape", "bias"):
            [column] = arch.xpath(f"//field[@name='{name}']")
            self.assertTrue(safe_eval(column.get("invisible", "False"), {"actual": row.actual}), name)
        # the Excel export leaves their cells empty
        action = Report.with_context(active_domain=[("product_id", "=", self.product_5.id)]).action_export_xlsx()
        sheet = openpyxl.load_workbook(io.BytesIO(base64.b64decode(xlsx_file(action).datas))).active
        header = next(index for index, row in enumerate(sheet.iter_rows(values_only=True)) if "WAPE (%)" in row)
        titles, values = (list(cells) for cells in sheet.iter_rows(min_row=header + 1, max_row=header + 2, values_only=True))
        self.assertEqual(
            {title: values[titles.index(title)] for title in ("Demand", "WAPE (%)", "Bias (%)", "Bias z")},
            {"Demand": 0, "WAPE (%)": None, "Bias (%)": None, "Bias z": 2.47},
        )
        # so does the reordering rules' list (Odoo stores the empty figures as 0)
        views = self.env["stock.warehouse.orderpoint"].get_views([(self.env.ref("jxc_addon.stock_warehouse_orderpoint_view_list_jxc").id, "list")])
        arch = etree.fromstring(views["views"]["list"]["arch"])
        for name in ("jxc_forecast_wape", "jxc_forecast_bias"):
            [column] = arch.xpath(f"//field[@name='{name}']")
            self.assertTrue(safe_eval(column.get("invisible", "False"), {"jxc_forecast_actual": op.jxc_forecast_actual}), name)
        # and its groups show no average of the rules' ratios, which would count that 0 (a
        # group's figures are the Forecast Accuracy report's, ratios of its sums)
        names = ["jxc_forecast_wape", "jxc_forecast_bias", "jxc_forecast_mase", "jxc_tracking_signal"]
        described = self.env["stock.warehouse.orderpoint"].fields_get(names, ["aggregator"])
        self.assertEqual({name: described[name].get("aggregator") for name in names}, dict.fromkeys(names, False))

    def test_drift_alert_once_per_computation(self):
        """The buyer marks the alert done: the next day's job, on the same figures, does not
        bring it back (Odoo archives done activities, which the search for open ones misses);
        a computation with other figures alerts again."""
        self._compute()
        Drift, Activity = self.env["jxc.forecast.drift"], self.env["mail.activity"]
        domain = [("res_model", "=", "product.product"), ("res_id", "=", self.product_5.id)]
        Drift._cron_send_alerts()
        first = Activity.search(domain)
        self.assertEqual(len(first), 1)
        first.with_user(self.buyer).action_done()
        self.assertFalse(first.active)
        Drift._cron_send_alerts()
        self.assertFalse(Activity.search(domain))
        self.assertEqual(Activity.with_context(active_test=False).search(domain), first)
        op = self._orderpoint(self.product_5)
        self.assertEqual(op.jxc_drift_activity_id, first)

        # TSB: the probability decays by 0.9 a day without demand, forecasts 10, 9, 8.1, 7.29,
        # 6.561, 5.9049, 5.3144 for nothing sold: sum 52.1703, squares 405.9116 -> z 2.59, still
        # beyond 1.96, figures of a new computation
        self.rule_category.forecast_method = "tsb"
        self._compute()
        self.assertEqual((op.jxc_forecast_method, op.jxc_forecast_error, op.jxc_forecast_bias_z), ("tsb", 52.1703, 2.59))
        Drift._cron_send_alerts()
        second = Activity.search(domain)
        self.assertEqual((len(second), op.jxc_drift_activity_id), (1, second))
        self.assertIn("expected 52.17 Units", second.note)

    def test_drift_activity_removed_when_the_drift_ends(self):
        """Recomputed on a week of history (23-29 June: no demand, no forecast) product_5's
        forecast no longer drifts: its open activity goes away with the next day's job, and
        the rule is alerted again if it drifts again."""
        self._compute()
        Drift, Activity = self.env["jxc.forecast.drift"], self.env["mail.activity"]
        Drift._cron_send_alerts()
        activity = Activity.search([("res_model", "=", "product.product"), ("res_id", "=", self.product_5.id)])
        self.assertEqual(len(activity), 1)
        self.rule_category.history_days = 7
        self._compute()
        op = self._orderpoint(self.product_5)
        # there all week and not asked for: a forecast of zero, measured against zeros
        self.assertEqual((op.jxc_forecast_method, op.jxc_forecast_qty, op.jxc_forecast_bias_z), ("moving_average", 0.0, 0.0))
        Drift._cron_send_alerts()
        self.assertFalse(activity.exists())
        self.assertEqual((op.jxc_drift_activity_id, op.jxc_drift_alerted), (Activity, False))


    def test_new_figures_stay_with_the_open_alert_whoever_holds_it(self):
        """The buyer hands the alert to a colleague, then the product's vendor gets another
        buyer, and the figures change: still one alert, the colleague's, which goes away when
        the drift ends (a second would leave the first open for good: no rule points to it)."""
        self._compute()
        Drift, Activity = self.env["jxc.forecast.drift"], self.env["mail.activity"]
        domain = [("res_model", "=", "product.product"), ("res_id", "=", self.product_5.id)]
        Drift._cron_send_alerts()
        alert = Activity.search(domain)
        colleague = new_test_user(self.env, "jxc_forecast_colleague", groups="jxc_addon.group_jxc_user")
        alert.user_id = colleague
        self.vendor_a.buyer_id = new_test_user(self.env, "jxc_forecast_buyer_2", groups="jxc_addon.group_jxc_user")
        self.rule_category.forecast_method = "tsb"
        self._compute()
        op = self._orderpoint(self.product_5)
        Drift._cron_send_alerts()
        self.assertEqual(Activity.search(domain), alert)
        self.assertEqual((op.jxc_drift_activity_id, alert.user_id), (alert, colleague))
        self.assertEqual(op.jxc_drift_alerted, Drift._get_alerted_figures(op))
        self.rule_category.history_days = 7
        self._compute()
        Drift._cron_send_alerts()
        self.assertFalse(Activity.with_context(active_test=False).search(domain))

    def test_a_warning_of_someone_else_is_not_the_alert(self):
        """The buyer already has a warning on product_5 that someone wrote: the alert is an
        activity of its own, and the end of the drift removes the alert alone."""
        self._compute()
        Drift, Activity = self.env["jxc.forecast.drift"], self.env["mail.activity"]
        own = self.product_5.activity_schedule(
            "mail.mail_activity_data_warning", summary="Check the new packaging", user_id=self.buyer.id)
        Drift._cron_send_alerts()
        op = self._orderpoint(self.product_5)
        alert = op.jxc_drift_activity_id
        self.assertTrue(alert)
        self.assertNotEqual(alert, own)
        self.assertEqual(alert.summary, "Forecast drifts: %s" % self.product_5.display_name)
        self.rule_category.history_days = 7
        self._compute()
        Drift._cron_send_alerts()
        self.assertFalse(alert.exists())
        self.assertTrue(own.exists())
        self.assertEqual(Activity.search([("res_model", "=", "product.product"), ("res_id", "=", self.product_5.id)]), own)

@tagged("post_install", "-at_install")
class TestForecastAccuracyScoring(TransactionCase):
    def test_first_period_is_not_scored(self):
        """The forecast of the first period is made with nothing known (0): scored, a steady
        demand of 70 and 70 read as a WAPE of 50 %. Two periods score the second alone: the
        forecast 70 (the moving average, SES and TSB; Croston-SBA 0.95 x 70) for 70, WAPE 0;
        60 then 80: 20 / 80 = 25 %. One period scores nothing: no accuracy."""
        result = select_method([[70, 70]])
        self.assertEqual((result["method"], result["accuracy"]["actual"][0]), (["moving_average"], 70.0))
        self.assertEqual((result["accuracy"]["wape"][0], result["accuracy"]["bias"][0]), (0.0, 0.0))
        accuracy = select_method([[60, 80]], methods=("moving_average",))["accuracy"]
        self.assertEqual((accuracy["wape"][0], accuracy["bias"][0]), (0.25, -0.25))
        single = select_method([[70]], methods=("moving_average",))["accuracy"]
        self.assertEqual((single["actual"][0], single["abs_error"][0]), (0.0, 0.0))
        self.assertTrue(np.isnan(single["wape"][0]) and np.isnan(single["mase"][0]))


@tagged("post_install", "-at_install")
class TestForecastAccuracyValueWeighted(JxcCommon):
    """A group's WAPE and bias weigh each product by the value of its figures (cost x
    quantity), as the backtest's fill rates: a widget counted in Units (cost 10) and a
    gadget counted in Dozens (cost 48 a dozen). The gadget's figures are the same demand
    whether counted in dozens or in units."""

    def _figures(self, product, actual, abs_error, error):
        return {
            "jxc_forecast_actual": actual, "jxc_forecast_abs_error": abs_error, "jxc_forecast_error": error,
            "jxc_forecast_wape": abs_error / actual * 100, "jxc_forecast_bias": error / actual * 100,
        }

    def _group(self, domain, user=None):
        Report = self.env["jxc.forecast.accuracy.report"].with_user(user or self.jxc_manager)
        [group] = Report.formatted_read_group(domain, ["warehouse_id"], ["wape:avg", "bias:avg"])
        return group["wape:avg"], group["bias:avg"]

    def test_group_wape_does_not_depend_on_units(self):
        dozen = self.env.ref("uom.product_uom_dozen")
        widget, gadget = self.product_1, self.product_2
        gadget.write({"uom_id": dozen.id, "standard_price": 48.0})
        rule = self.env["jxc.safety.stock.rule"].create({
            "name": "JXC goods", "categ_id": self.category.id, "method": "statistical", "service_level": 95.0,
        })
        # widget: 100 units asked, 20 absolute error, 10 too much; gadget: 10 dozen asked, 5 dozen
        # absolute error, 5 dozen too little
        orderpoints = self.env["stock.warehouse.orderpoint"].create([{
            "product_id": product.id, "warehouse_id": self.warehouse.id, "location_id": self.stock_location.id,
            "product_min_qty": 0.0, "product_max_qty": 0.0, "jxc_rule_id": rule.id, "jxc_forecast_method": "ses",
            **self._figures(product, *figures),
        } for product, figures in ((widget, (100.0, 20.0, 10.0)), (gadget, (10.0, 5.0, -5.0)))])
        domain = [("product_id", "in", (widget | gadget).ids)]
        # value: WAPE (20 x 10 + 5 x 48) / (100 x 10 + 10 x 48) = 440 / 1,480 = 29.73 %, bias
        # (100 - 240) / 1,480 = -9.46 %; the quantities added up gave 25 / 110 = 22.73 %
        wape, bias = self._group(domain)
        self.assertAlmostEqual(wape, 440.0 / 1480.0 * 100)
        self.assertAlmostEqual(bias, -140.0 / 1480.0 * 100)
        # The gadget counted in units (cost 4 each): 120 asked, 60 absolute error, 60 too little.
        gadget.write({"uom_id": self.uom_unit.id, "standard_price": 4.0})
        orderpoints[1].write(self._figures(gadget, 120.0, 60.0, -60.0))
        self.assertEqual(self._group(domain), (wape, bias))
        # A user who may not read costs would solve the value-weighted ratio for the costs'
        # ratio (10 / 4): theirs is the rows' average, WAPE (20 + 50) / 2, bias (10 - 50) / 2.
        self.assertFalse(self.jxc_user.has_group("jxc_addon.group_jxc_manager"))
        self.assertEqual(self._group(domain, self.jxc_user), (35.0, -20.0))

    def test_undefined_mase_is_empty(self):
        """MASE scales the errors by the naive forecast's on the history: a history that never
        changed has none (10 a day for 6 days: Croston-SBA forecasts 9.5, errors 4 x 0.5), and
        one period scores nothing. The engine stores these undefined MASEs as 0: the report
        shows them empty and leaves them out of a group's average; a perfect forecast of a
        demand keeps its 0."""
        constant = select_method([[10.0] * 6], methods=("croston_sba",))
        self.assertTrue(np.isnan(constant["mase"][0]))
        self.assertEqual((constant["accuracy"]["actual"][0], constant["accuracy"]["abs_error"][0]), (40.0, 2.0))
        rule = self.env["jxc.safety.stock.rule"].create({
            "name": "JXC goods", "categ_id": self.category.id, "method": "statistical", "service_level": 95.0,
        })
        product_4 = self.env["product.product"].create({"name": "JXC Perfectly Forecast", "is_storable": True,
                                                         "categ_id": self.category.id})
        rows = {  # product: (MASE, absolute error, demand) as the engine stores them
            self.product_1: (0.5781, 40.468, 35.0),  # measured
            self.product_2: (0.0, 2.0, 40.0),        # errors on a constant history: undefined
            self.product_3: (0.0, 0.0, 0.0),         # no period scored: undefined
            product_4: (0.0, 0.0, 70.0),             # every period forecast exactly
        }
        self.env["stock.warehouse.orderpoint"].create([{
            "product_id": product.id, "warehouse_id": self.warehouse.id, "location_id": self.stock_location.id,
            "product_min_qty": 0.0, "product_max_qty": 0.0, "jxc_rule_id": rule.id, "jxc_forecast_method": "croston_sba",
            "jxc_forecast_mase": mase, "jxc_forecast_abs_error": abs_error, "jxc_forecast_actual": actual,
        } for product, (mase, abs_error, actual) in rows.items()])
        Report = self.env["jxc.forecast.accuracy.report"].with_user(self.jxc_manager)
        domain = [("product_id", "in", list({product.id for product in rows}))]
        self.assertEqual({row.product_id: row.mase for row in Report.search(domain)},
                         {self.product_1: 0.5781, self.product_2: 0.0, self.product_3: 0.0, product_4: 0.0})
        self.assertEqual(Report._read_group(domain, [], ["mase:count"]), [(2,)])  # rows with a MASE
        [group] = Report.formatted_read_group(domain, [], ["mase:avg"])
        self.assertAlmostEqual(group["mase:avg"], 0.5781 / 2)
        # the list leaves the undefined ones empty
        arch = etree.fromstring(Report.get_views([(False, "list")])["views"]["list"]["arch"])
        [column] = arch.xpath("//field[@name='mase']")
        hidden = {product for product, (mase, abs_error, actual) in rows.items()
                  if safe_eval(column.get("invisible"), {"mase": mase, "abs_error": abs_error, "actual": actual})}
        self.assertEqual(hidden, {self.product_2, self.product_3})
