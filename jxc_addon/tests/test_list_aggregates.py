"""A grouped list adds up quantities and values, never rates, periods, scores or factors.

The web client asks each group of a list for every numeric column's figure with the field's
aggregator (``fields_get``), which Odoo makes a sum unless the field says otherwise: grouping
reordering rules by safety-stock rule showed "Lead Time (days) 84" for twelve rules of seven
days, and the backtest grouped by ABC class a target of 9,500 %."""

import re

from lxml import etree

from odoo.tests import tagged

from .common import JxcCommon

# labels of figures that do not add up across rows: percentages, days of a setting or a lead
# time, scores, limits and factors of the statistics (counts of days, like stock-out days, do)
NOT_ADDED = re.compile(r"\(%\)|\(days\)|Score|Limit|Tolerance|Std Dev|Safety Factor|MASE|Tracking Signal|Bias z"
                       r"|^ADI$|^CV²$|^Trend$|^Scale$|Unit Price")


@tagged("post_install", "-at_install")
class TestListAggregates(JxcCommon):
    def _list_columns(self):
        """(model, field, label, aggregator) of the numeric columns of the add-ons' list views,
        but those the view totals on purpose (``sum=``: the criteria's weights make 100 %)."""
        view_ids = self.env["ir.model.data"].search([
            ("module", "in", ["jxc_addon", "jxc_product_expiry"]), ("model", "=", "ir.ui.view"),
        ]).mapped("res_id")
        columns = set()
        for view in self.env["ir.ui.view"].browse(view_ids).filtered(lambda view: view.type == "list"):
            model = self.env[view.model]
            arch = model.get_views([(view.id, "list")])["views"]["list"]["arch"]
            info = model.fields_get(attributes=["type", "aggregator", "string"])
            for node in etree.fromstring(arch).iter("field"):
                field = info.get(node.get("name"))
                if field and field["type"] in ("float", "integer", "monetary") and not node.get("sum"):
                    columns.add((view.model, node.get("name"), node.get("string") or field["string"],
                                 field.get("aggregator")))
        return columns

    def test_no_rate_adds_up(self):
        columns = self._list_columns()
        summed = sorted((model, name, label) for model, name, label, aggregator in columns
                        if aggregator == "sum" and NOT_ADDED.search(label))
        self.assertEqual(summed, [], "figures a grouped list would add up")
        self.assertIn(("stock.warehouse.orderpoint", "jxc_lead_time", "Lead Time (days)", "avg"), columns)
        self.assertIn(("jxc.supplier.criterion", "scale", "Scale", False), columns)
        # quantities still add up
        self.assertIn(("stock.warehouse.orderpoint", "jxc_safety_stock", "Safety Stock", "sum"), columns)

    def test_grouped_rules_average_their_lead_time(self):
        rules = self.env["stock.warehouse.orderpoint"].create([{
            "product_id": product.id, "warehouse_id": self.warehouse.id, "location_id": self.stock_location.id,
            "product_min_qty": 0.0, "product_max_qty": 0.0,
        } for product in (self.product_1, self.product_2)])
        rules[0].write({"jxc_lead_time": 5.0, "jxc_service_level": 95.0, "jxc_z": 1.6449})
        rules[1].write({"jxc_lead_time": 7.0, "jxc_service_level": 98.0, "jxc_z": 2.0537})
        info = rules.fields_get(["jxc_lead_time", "jxc_service_level", "jxc_z"], ["aggregator"])
        # as the web client asks: every column with its aggregator, none for those without
        aggregates = ["%s:%s" % (name, field["aggregator"]) for name, field in info.items() if field.get("aggregator")]
        [group] = rules.web_read_group([("id", "in", rules.ids)], ["warehouse_id"], aggregates)["groups"]
        self.assertAlmostEqual(group["jxc_lead_time:avg"], 6.0)
        self.assertAlmostEqual(group["jxc_service_level:avg"], 96.5)
        self.assertNotIn("jxc_z:sum", group)
