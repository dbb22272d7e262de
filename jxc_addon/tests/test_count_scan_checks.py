"""What the scanning screen refuses, and who may use it: goods of several owners in one bin, a
new GS1 lot scanned by two counters at once, a pallet label of an unknown package, a lot name
that reads as GS1, and a stocktake assigned to other counters.

The fixtures of ``count_common``: Shelf 1 (JXC-SHELF-1) holds 100 Widgets (JXC-001) and 50
Gadgets (JXC-002) of the company's own; Shelf 2 (JXC-SHELF-2) 10 Gizmos (JXC-003). Time is
frozen so that the count times are exact.
"""

from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError, ConcurrencyError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL
from odoo.tools.barcode import get_barcode_check_digit

from .count_common import SCAN_DAY, JxcCountScanCommon

DAY = SCAN_DAY
SERUM_GTIN = "04006381333931"


@tagged("post_install", "-at_install")
class TestCountScanChecks(JxcCountScanCommon):

    def _consign(self, product, location, owner, qty):
        self.env["stock.quant"].with_context(inventory_mode=True).create({
            "product_id": product.id, "location_id": location.id, "owner_id": owner.id, "inventory_quantity": qty,
        }).action_apply_inventory()

    def test_own_and_consigned_goods_in_one_bin_are_not_scanned(self):
        """Shelf 1 holds 100 Widgets of the company's own and 5 of consignor Y. A scan cannot
        tell whose Widget it counts: refused, nothing counted (counted as the company's own,
        posting would book a gain of 5 and write Y's 5 off). Each line is typed on the screen.
        Y's Gadgets alone on Shelf 2 are Y's: a scan counts them."""
        consignor = self.env["res.partner"].create({"name": "JXC Consignor Y"})
        self._consign(self.product_1, self.shelf_1, consignor, 5)
        self._consign(self.product_2, self.shelf_2, consignor, 3)
        plan = self._start()
        widgets = plan.line_ids.filtered(lambda line: line.product_id == self.product_1)
        own, consigned = widgets.filtered(lambda line: not line.owner_id), widgets.filtered("owner_id")
        self.assertEqual((own.sudo().book_qty, consigned.sudo().book_qty), (100.0, 5.0))
        result = self._scan(plan, "JXC-001", self.shelf_1)
        self.assertEqual((result["ok"], result["kind"], result["location_id"]), (False, "error", self.shelf_1.id))
        self.assertEqual(result["message"], "[JXC-001] JXC Widget is here for several owners (%s, JXC Consignor Y): a "
                         "scan cannot tell whose it is. Tap the line of each owner and type its count." % self.company.name)
        self.assertFalse(widgets.filtered("is_counted"))
        self.assertFalse(self._scan_logs(plan))
        with freeze_time(DAY + "09:05:00"):
            plan.jxc_set_counted(own.id, "100", self.shelf_1.id)
            plan.jxc_set_counted(consigned.id, "5", self.shelf_1.id)
        self.assertEqual([(line.counted_qty, line.is_counted) for line in own | consigned], [(100.0, True), (5.0, True)])
        result = self._scan(plan, "JXC-002", self.shelf_2)
        self.assertEqual((result["ok"], result["kind"]), (True, "count"), result["message"])
        gadgets = plan.line_ids.filtered(lambda line: line.product_id == self.product_2 and line.location_id == self.shelf_2)
        self.assertEqual((gadgets.owner_id, gadgets.counted_qty), (consignor, 1.0))

    def test_new_gs1_lot_is_created_under_a_lock(self):
        """A lot a GS1 label brings that Odoo does not know is created holding a transaction lock
        on the product and lot name: another transaction cannot take it until this one ends, so
        two counters scanning the same new lot at once do not each create it."""
        serum = self.env["product.product"].create({
            "name": "JXC Serum", "is_storable": True, "tracking": "lot", "barcode": SERUM_GTIN[1:],
        })
        plan = self._start()
        result = self._scan(plan, "01" + SERUM_GTIN + "10B7", self.shelf_2)
        self.assertEqual((result["ok"], result["kind"], result["lot"]), (True, "found", "B7"), result["message"])
        self.assertEqual(self.env["stock.lot"].search_count([("name", "=", "B7"), ("product_id", "=", serum.id)]), 1)
        Plan = self.env["jxc.count.plan"]
        with self.registry.cursor() as other:
            for name, free in (("B7", False), ("B8", True)):
                other.execute(SQL("SELECT pg_try_advisory_xact_lock(%s)", Plan._jxc_scan_lot_lock_sql(serum, name)))
                self.assertEqual(other.fetchone()[0], free, name)
            other.rollback()

    def test_new_gs1_lot_recorded_meanwhile_is_retried(self):
        """The other counter's transaction created lot B8 and committed after this scan's request
        began: this scan's reads do not show B8 (Odoo's transactions are REPEATABLE READ), a new
        cursor does. The scan creates nothing and goes back to Odoo's RPC to be retried, which
        then counts on B8."""
        serum = self.env["product.product"].create({
            "name": "JXC Serum", "is_storable": True, "tracking": "lot", "barcode": SERUM_GTIN[1:],
        })
        plan = self._start()
        lot = self.env["stock.lot"].create({"name": "B8", "product_id": serum.id})
        Plan = type(self.env["jxc.count.plan"])
        # the registry's new cursors see this test's data, as another request sees a committed lot
        with self.enter_registry_test_mode(), \
                patch.object(Plan, "_jxc_scan_search_lot", lambda self, product, name: self.env["stock.lot"]), \
                self.assertRaisesRegex(ConcurrencyError, "^Lot B8 of JXC Serum was just recorded by another scan; "
                                                         "scan again.$"):
            self._scan(plan, "01" + SERUM_GTIN + "10B8", self.shelf_2)
        self.assertEqual(self.env["stock.lot"].search([("name", "=", "B8")]), lot)
        self.assertFalse(plan.line_ids.filtered(lambda line: line.product_id == serum))
        self.assertFalse(self._scan_logs(plan))
        result = self._scan(plan, "01" + SERUM_GTIN + "10B8", self.shelf_2)
        self.assertEqual((result["ok"], result["kind"], result["lot"]), (True, "found", "B8"), result["message"])
        self.assertEqual(plan.line_ids.filtered(lambda line: line.product_id == serum).lot_id, lot)

    def test_pallet_label_of_an_unknown_package_counts_nothing(self):
        """The screen stands in package PACK-1 on Shelf 2 (4 Gizmos); a pallet label whose SSCC
        (AI 00) is no package here, with 48 Gizmos (AI 02 and 37), is refused: its contents are
        not counted into PACK-1, nor loose. The SSCC alone too."""
        package = self.env["stock.package"].create({"name": "PACK-1"})
        self.env["stock.quant"]._update_available_quantity(self.product_3, self.shelf_2, 4, package_id=package)
        self.product_3.barcode = SERUM_GTIN[1:]
        plan = self._start()
        sscc_base = "03871234567890124"
        sscc = sscc_base + str(get_barcode_check_digit(sscc_base + "0"))
        for barcode in ("00" + sscc + "02" + SERUM_GTIN + "37" + "48", "00" + sscc):
            result = self._scan(plan, barcode, self.shelf_2, package)
            self.assertEqual((result["ok"], result["kind"], result["package_id"]), (False, "error", package.id))
            self.assertEqual(result["message"], "GS1 barcode %s is the label of package %s, which is not known here: "
                             "nothing was counted. Scan the goods it holds by their own barcodes, or have the package "
                             "recorded in Inventory and scan its label again." % (barcode, sscc))
        self.assertFalse(plan.line_ids.filtered("is_counted"))
        self.assertFalse(self._scan_logs(plan))

    def test_lot_name_of_several_products_is_not_read_as_gs1(self):
        """Lot 10-4711 exists for two resins; read as GS1 it is batch "-4711" (AI 10), a lot of a
        third product. Scanned, it is refused as a lot of several products, not counted as the
        third product's lot. Lot 21-0815 of two resins: the same refusal, not "no lot of that name"."""
        resins = self.env["product.product"].create([
            {"name": name, "is_storable": True, "tracking": "lot"} for name in ("JXC Resin A", "JXC Resin B", "JXC Resin C")
        ])
        for resin in resins[:2]:
            self._lot_on_hand(resin, "10-4711", 2)
            self._lot_on_hand(resin, "21-0815", 3)
        decoy = self._lot_on_hand(resins[2], "-4711", 6)
        plan = self._start()
        for barcode in ("10-4711", "21-0815"):
            result = self._scan(plan, barcode, self.shelf_2)
            self.assertEqual((result["ok"], result["kind"]), (False, "error"))
            self.assertEqual(result["message"], "Lot %s exists for several products (JXC Resin A, JXC Resin B); scan the "
                             "product's barcode with it (a GS1 label) instead." % barcode)
        self.assertFalse(plan.line_ids.filtered("is_counted"))
        self.assertFalse(self._scan_logs(plan))
        # Odoo's own lot label (AI 10 and the lot's name) still counts that lot
        result = self._scan(plan, "10" + decoy.name + "\x1d" + "30" + "1", self.shelf_2)
        self.assertEqual((result["ok"], result["lot"]), (True, "-4711"), result["message"])
        self.assertEqual(plan.line_ids.filtered(lambda line: line.lot_id == decoy).counted_qty, 1.0)

    def test_plan_assigned_to_other_counters(self):
        """A stocktake assigned to a counter is counted by them, its responsible and the managers:
        another counter's scan, typed count, undo, start and submit are refused, and they cannot assign
        themselves once it started; its responsible can. A stocktake assigned to no one is
        counted by any counter."""
        responsible = new_test_user(self.env, login="jxc_count_lead", name="JXC Count Lead",
                                    groups="jxc_addon.group_jxc_user")
        other = new_test_user(self.env, login="jxc_other_counter", name="JXC Other Counter",
                              groups="jxc_addon.group_jxc_user")
        plan = self._start(counter_ids=[Command.set(self.counter.ids)], user_id=responsible.id)
        widget = self._line(plan, self.product_1)
        theirs = plan.with_user(other)
        refusal = ("^Count plan %s is assigned to JXC Counter: only they, its responsible \\(JXC Count Lead\\) and "
                   "inventory control managers can count on it. Pick a stocktake assigned to you, or ask its "
                   "responsible to add you to its Counters.$" % plan.name)
        for call in (
            lambda: theirs.jxc_scan("JXC-001", self.shelf_1.id, False),
            lambda: theirs.jxc_set_counted(widget.id, 100, self.shelf_1.id),
            lambda: theirs.jxc_undo(self.shelf_1.id),
            lambda: theirs.jxc_scan_get_state(self.shelf_1.id),
            theirs.action_open_scan,
        ):
            with self.assertRaisesRegex(AccessError, refusal):
                call()
        # nor typed on the stocktake's own lines, nor goods found added there
        with self.assertRaisesRegex(AccessError, refusal):
            widget.with_user(other).write({"counted_qty": 100.0})
        with self.assertRaisesRegex(AccessError, refusal):
            self.env["jxc.count.line"].with_user(other).create({
                "plan_id": plan.id, "product_id": self.product_3.id, "location_id": self.shelf_1.id, "counted_qty": 1.0})
        self.assertFalse(widget.is_counted)
        # nor submitted, which closes it to its counters, nor started, which takes its book snapshot
        with self.assertRaisesRegex(AccessError, refusal):
            theirs.action_submit()
        draft = self._create_plan(location_ids=[Command.set(self.shelf_2.ids)], counter_ids=[Command.set(self.counter.ids)],
                                  user_id=responsible.id)
        with self.assertRaisesRegex(AccessError, refusal.replace(plan.name, draft.name)):
            draft.with_user(other).action_start()
        self.assertEqual((plan.state, draft.state, draft.line_ids), ("in_progress", "draft", draft.line_ids.browse()))
        draft.unlink()
        self.assertNotIn(plan.name, [data["name"] for data in self.env["jxc.count.plan"].with_user(other).jxc_scan_get_plans()])
        assign = ("^Count plan %s has started: only its responsible \\(JXC Count Lead\\) and inventory control managers "
                  "can change its %s. Ask one of them to assign you.$")
        for vals, fields in (({"counter_ids": [Command.link(other.id)]}, "Counters"), ({"user_id": other.id}, "Responsible")):
            with self.assertRaisesRegex(AccessError, assign % (plan.name, fields)):
                theirs.write(vals)
        self.assertEqual((plan.counter_ids, plan.user_id), (self.counter, responsible))
        # the assigned counter, the responsible and a manager count
        for at, user in (("09:00:00", self.counter), ("09:01:00", responsible), ("09:02:00", self.jxc_manager)):
            result = self._scan(plan.with_user(user), "JXC-001", self.shelf_1, at=DAY + at)
            self.assertTrue(result["ok"], result["message"])
        self.assertEqual((widget.counted_qty, widget.counted_by_id), (3.0, self.jxc_manager))
        # the responsible assigns the other counter, who then counts
        plan.with_user(responsible).write({"counter_ids": [Command.link(other.id)]})
        self._scan(theirs, "JXC-001", self.shelf_1, at=DAY + "09:03:00")
        self.assertEqual((widget.counted_qty, widget.counted_by_id), (4.0, other))
        # assigned to no one: any counter
        plan.sudo().action_cancel()
        anyone = self._start(location_ids=[Command.set(self.shelf_2.ids)], user=other)
        self.assertTrue(self._scan(anyone, "JXC-003", self.shelf_2)["ok"])
        self.assertEqual(self._line(anyone, self.product_3).counted_qty, 1.0)
