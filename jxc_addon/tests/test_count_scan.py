"""The scanning screen's server methods (issue 18): scan, type, undo, as a counter.

The fixtures of ``count_common``: Shelf 1 (barcode JXC-SHELF-1) holds product_1 (JXC-001) 100
and product_2 (JXC-002) 50; Shelf 2 (JXC-SHELF-2) holds product_3 (JXC-003) 10. Time is frozen
so that the count times are exact.
"""

from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError, ConcurrencyError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged
from odoo.tools.barcode import get_barcode_check_digit

from .count_common import SCAN_DAY, JxcCountScanCommon

DAY = SCAN_DAY


@tagged("post_install", "-at_install")
class TestCountScan(JxcCountScanCommon):
    def test_scan_location_then_product_adds_one(self):
        plan = self._start()
        result = self._scan(plan, "JXC-SHELF-1")
        self.assertEqual((result["ok"], result["kind"], result["location_id"]), (True, "location", self.shelf_1.id))
        self.assertEqual(result["state"]["location"]["total"], 2)
        self.assertEqual([line["product"] for line in result["state"]["lines"]], ["[JXC-001] JXC Widget", "[JXC-002] JXC Gadget"])
        self._scan(plan, "JXC-001", self.shelf_1)
        result = self._scan(plan, "JXC-001", self.shelf_1, at=DAY + "09:00:05")
        self.assertEqual(result["kind"], "count")
        line = self._line(plan, self.product_1)
        self.assertEqual((line.counted_qty, line.is_counted, line.counted_by_id), (2.0, True, self.counter))
        self.assertEqual(str(line.counted_at), DAY + "09:00:05")
        self.assertEqual(line.sudo().moved_qty, 0.0)
        self.assertEqual(result["state"]["location"]["counted"], 1)
        self.assertEqual({(loc["name"], loc["counted"], loc["total"]) for loc in result["state"]["locations"]},
                         {("WH/Stock/Shelf 1", 1, 2), ("WH/Stock/Shelf 2", 0, 1)})
        self.assertEqual(result["state"]["lines"][0]["expected"], 100.0)

    def test_typed_quantity(self):
        plan = self._start()
        line = self._line(plan, self.product_1)
        with freeze_time(DAY + "10:00:00"):
            result = plan.jxc_set_counted(line.id, "97", self.shelf_1.id)
        self.assertTrue(result["ok"])
        self.assertEqual((line.counted_qty, str(line.counted_at)), (97.0, DAY + "10:00:00"))
        self.assertEqual(line.sudo().difference_qty, -3.0)
        with self.assertRaisesRegex(UserError, "negative"):
            plan.jxc_set_counted(line.id, -1, self.shelf_1.id)
        with self.assertRaisesRegex(UserError, "not a quantity"):
            plan.jxc_set_counted(line.id, "abc", self.shelf_1.id)
        self.assertEqual(line.counted_qty, 97.0)

    def test_unknown_barcode_changes_nothing(self):
        plan = self._start()
        result = self._scan(plan, "NOPE-123", self.shelf_1)
        self.assertFalse(result["ok"])
        self.assertEqual(result["kind"], "error")
        self.assertIn("Unknown barcode NOPE-123", result["message"])
        self.assertEqual(result["location_id"], self.shelf_1.id, "the screen stays at its location")
        self.assertFalse(plan.line_ids.filtered("is_counted"))
        self.assertEqual(len(plan.line_ids), 3)
        self.assertFalse(self._scan_logs(plan))
        self.assertFalse(self._scan(plan, "   ")["ok"])

    def test_wrong_location(self):
        plan = self._start(location_ids=[(6, 0, self.shelf_1.ids)])
        result = self._scan(plan, "JXC-SHELF-2", self.shelf_1)
        self.assertFalse(result["ok"])
        self.assertIn("Location WH/Stock/Shelf 2 is not counted by %s" % plan.name, result["message"])
        self.assertEqual(result["location_id"], self.shelf_1.id)
        result = self._scan(plan, "JXC-001")
        self.assertFalse(result["ok"])
        self.assertIn("Scan a location first", result["message"])
        self.assertFalse(plan.line_ids.filtered("is_counted"))
        self.assertFalse(self._scan_logs(plan))

    def test_found_product(self):
        """JXC-003 lies on Shelf 1 where the book has none: a found line with book 0."""
        plan = self._start()
        result = self._scan(plan, "JXC-003", self.shelf_1)
        self.assertEqual((result["ok"], result["kind"]), (True, "found"))
        line = self._line(plan, self.product_3, self.shelf_1)
        self.assertEqual((line.is_found, line.counted_qty, line.sudo().book_qty), (True, 1.0, 0.0))
        self.assertEqual(result["state"]["location"]["total"], 3)
        self.assertTrue(next(data for data in result["state"]["lines"] if data["id"] == line.id)["is_found"])
        self._scan(plan, "JXC-003", self.shelf_1)
        self.assertEqual(line.counted_qty, 2.0)

    def test_goods_of_several_owners_are_not_scanned(self):
        """A bin holds Widgets of two consignors and none of the company's own: a scan cannot
        tell whose it counts. Refused (no found line of the company's own, valued as a gain);
        each owner's line is typed."""
        Quant = self.env["stock.quant"].with_context(inventory_mode=True)
        owners = self.env["res.partner"].create([{"name": "JXC Consignor X"}, {"name": "JXC Consignor Y"}])
        for owner, qty in zip(owners, (5, 3), strict=True):
            Quant.create({"product_id": self.product_3.id, "location_id": self.shelf_1.id, "owner_id": owner.id,
                          "inventory_quantity": qty}).action_apply_inventory()
        plan = self._start()
        result = self._scan(plan, "JXC-003", self.shelf_1)
        self.assertFalse(result["ok"])
        self.assertIn("is here for several owners (JXC Consignor X, JXC Consignor Y)", result["message"])
        lines = plan.line_ids.filtered(lambda line: line.product_id == self.product_3 and line.location_id == self.shelf_1)
        self.assertEqual(lines.owner_id, owners)
        self.assertFalse(lines.filtered("is_counted"))
        self.assertFalse(self._scan_logs(plan))
        line_x = lines.filtered(lambda line: line.owner_id == owners[0])
        self.assertTrue(plan.jxc_set_counted(line_x.id, "5", self.shelf_1.id)["ok"])
        self.assertEqual(line_x.counted_qty, 5.0)

    def test_product_outside_the_plan_says_so(self):
        """A stocktake of Widgets and Gizmos: the Gadgets beside the Widgets on Shelf 1 (50 on the
        book) are not "where the book has none". The screen says they are outside the stocktake
        and compared with their stock at the count; a Gizmo there is found goods."""
        plan = self._start(product_ids=[Command.set((self.product_1 | self.product_3).ids)])
        result = self._scan(plan, "JXC-002", self.shelf_1)
        self.assertEqual(result["kind"], "found")
        self.assertIn("JXC Gadget @ WH/Stock/Shelf 1 is not among the products this stocktake counts", result["message"])
        self.assertEqual(self._line(plan, self.product_2).sudo().expected_qty, 50.0)
        self.assertIn("where the book has none", self._scan(plan, "JXC-003", self.shelf_1)["message"])

    def test_found_product_scanned_by_two_counters_at_once(self):
        """Two counters scan JXC-003 on Shelf 1 at the same moment: both looked for its line
        before either made it. The second insert hits the plan's unique line and is handed to
        Odoo's RPC to retry (a ConcurrencyError, not the constraint's error shown to the counter),
        with nothing of it kept; the retry counts on the first counter's line."""
        plan = self._start()
        self._scan(plan, "JXC-003", self.shelf_1)
        line = self._line(plan, self.product_3, self.shelf_1)
        logs = self._scan_logs(plan)
        Plan = type(self.env["jxc.count.plan"])
        with patch.object(Plan, "_jxc_scan_find_line", lambda *args: self.env["jxc.count.line"]), \
                self.assertRaises(ConcurrencyError):
            self._scan(plan, "JXC-003", self.shelf_1)
        self.assertEqual((line.counted_qty, self._scan_logs(plan)), (1.0, logs))
        self.assertEqual(len(plan.line_ids.filtered(lambda other: other.product_id == self.product_3)), 2)
        self._scan(plan, "JXC-003", self.shelf_1)  # the retry
        self.assertEqual(line.counted_qty, 2.0)
        self.assertEqual(len(plan.line_ids), 4)

    def test_gs1_lot_and_expiry(self):
        """GTIN (01), expiry (17) and lot (10): the lot's line, or a found line with a new lot."""
        product = self.env["product.product"].create({
            "name": "JXC Serum", "is_storable": True, "tracking": "lot", "barcode": "4006381333931",
        })
        lot_a = self._lot_on_hand(product, "LOT-A", 6)
        plan = self._start()
        result = self._scan(plan, "4006381333931", self.shelf_2)
        self.assertFalse(result["ok"])
        self.assertIn("tracked by lot", result["message"])
        with freeze_time(DAY + "09:00:00"):
            result = plan.jxc_scan("0104006381333931172705311" + "0LOT-A", self.shelf_2.id, False)
        self.assertEqual((result["ok"], result["kind"], result["lot"], result["expiry"]), (True, "count", "LOT-A", "2027-05-31"))
        line = plan.line_ids.filtered(lambda line: line.lot_id == lot_a)
        self.assertEqual(line.counted_qty, 1.0)
        # FNC1 (the group separator) ends the variable-length lot; AI 30 gives the quantity.
        with freeze_time(DAY + "09:01:00"):
            result = plan.jxc_scan("0104006381333931" + "10LOT-B\x1d" + "17270630" + "3012", self.shelf_2.id, False)
        self.assertEqual((result["ok"], result["kind"], result["expiry"]), (True, "found", "2027-06-30"))
        found = plan.line_ids.filtered(lambda line: line.lot_id.name == "LOT-B")
        self.assertEqual((found.counted_qty, found.is_found, found.lot_id.product_id), (12.0, True, product))
        # Lots of a product without expiration dates (or without product_expiry) cannot keep the
        # label's expiry: the screen says so and the scan log keeps it.
        self.assertIn("The label's expiry date 06/30/2027 is kept with this scan only: lots of JXC Serum record "
                      "no expiration date", result["message"])
        self.assertFalse(found.lot_id["expiration_date"] if "expiration_date" in found.lot_id._fields else False)
        self.assertEqual([str(date) for date in self._scan_logs(plan).mapped("label_expiry_date")],
                         ["2027-06-30", "2027-05-31"])
        result = self._scan(plan, "0104006381333938", self.shelf_2)
        self.assertFalse(result["ok"], "a wrong check digit is no GS1 barcode")
        # Undoing the found line removes the lot its scan created; a lot Odoo knew stays.
        lot_b = found.lot_id
        plan.jxc_undo(self.shelf_2.id)
        self.assertFalse(found.exists())
        self.assertFalse(lot_b.exists())
        plan.jxc_undo(self.shelf_2.id)
        self.assertEqual((line.counted_qty, line.is_counted), (0.0, False))
        self.assertTrue(lot_a.exists())

    def test_gs1_lot_of_an_untracked_product(self):
        """The lot on a GS1 label of a product Odoo does not track by lot counts the product
        and creates no lot."""
        product = self.env["product.product"].create({"name": "JXC Soap", "is_storable": True, "barcode": "5901234123457"})
        plan = self._start()
        result = plan.jxc_scan("01" + "05901234123457" + "10LOT-X", self.shelf_2.id, False)
        self.assertEqual((result["ok"], result["kind"]), (True, "found"), result.get("message"))
        line = plan.line_ids.filtered(lambda line: line.product_id == product)
        self.assertEqual((line.counted_qty, line.lot_id), (1.0, self.env["stock.lot"]))
        self.assertFalse(self.env["stock.lot"].search_count([("name", "=", "LOT-X")]))

    def _scan_weighed(self, name, uom, label):
        """A product of GTIN 05901234123457 kept in ``uom``, and its GS1 label with the measure
        ``label`` (AI and value) scanned on Shelf 2 of a started plan: (plan, product, result)."""
        product = self.env["product.product"].create({
            "name": name, "is_storable": True, "barcode": "5901234123457", "uom_id": uom.id,
        })
        plan = self._start()
        return plan, product, plan.jxc_scan("01" + "05901234123457" + label, self.shelf_2.id, False)

    def test_gs1_quantity_in_the_products_unit(self):
        """A net weight in kilograms (AI 3102: 2 decimals) counts a product kept in grams in
        grams; a weight on the label of a product counted in units is refused, nothing counted."""
        uom_gram = self.env.ref("uom.product_uom_gram")
        plan, flour, result = self._scan_weighed("JXC Flour", uom_gram, "3102" + "001250")
        self.assertEqual((result["ok"], result["kind"]), (True, "found"), result.get("message"))
        line = plan.line_ids.filtered(lambda line: line.product_id == flour)
        self.assertEqual((line.counted_qty, line.uom_id), (12500.0, uom_gram))
        cups = self.env["product.product"].create({"name": "JXC Cups", "is_storable": True, "barcode": "4006381333931"})
        result = plan.jxc_scan("01" + "04006381333931" + "3102" + "001250", self.shelf_2.id, False)
        self.assertFalse(result["ok"])
        self.assertIn("gives a quantity in kg, but", result["message"])
        self.assertFalse(plan.line_ids.filtered(lambda line: line.product_id == cups))

    def test_gs1_weight_finer_than_the_unit_is_refused(self):
        """Cheese kept in kilograms (2 decimals): a label of 1.25 kg (AI 3102) counts 1.25; one of
        0.455 kg (AI 3103) would count 0.46 with each scan (ten labels 4.60 for 4.55): refused,
        nothing counted."""
        plan, cheese, result = self._scan_weighed("JXC Cheese", self.env.ref("uom.product_uom_kgm"), "3102" + "000125")
        self.assertEqual((result["ok"], result["kind"]), (True, "found"), result.get("message"))
        line = plan.line_ids.filtered(lambda line: line.product_id == cheese)
        self.assertEqual(line.counted_qty, 1.25)
        result = plan.jxc_scan("01" + "05901234123457" + "3103" + "000455", self.shelf_2.id, False)
        self.assertFalse(result["ok"])
        self.assertIn("gives 0.455 kg of JXC Cheese, more decimals than the unit keeps (0.46)", result["message"])
        self.assertEqual(line.counted_qty, 1.25)

    def test_odoos_lot_label_without_gtin(self):
        """Odoo prints the lot label of a product without a valid EAN as the lot alone (AI 10),
        with the quantity (AI 30) for a quant: they count that lot."""
        product = self.env["product.product"].create({"name": "JXC Resin", "is_storable": True, "tracking": "lot"})
        lot = self._lot_on_hand(product, "LOT-R", 6)
        plan = self._start()
        result = self._scan(plan, "10LOT-R", self.shelf_2)
        self.assertEqual((result["ok"], result["kind"], result["lot"]), (True, "count", "LOT-R"), result["message"])
        result = self._scan(plan, "30" + "00000005" + "10LOT-R", self.shelf_2)
        line = plan.line_ids.filtered(lambda line: line.lot_id == lot)
        self.assertEqual((result["ok"], line.counted_qty), (True, 6.0))
        result = self._scan(plan, "10LOT-UNKNOWN", self.shelf_2)
        self.assertFalse(result["ok"])
        self.assertIn("no lot of that name is known here", result["message"])

    def test_gs1_batch_and_serial_on_one_label(self):
        """A pack labelled with its batch (AI 10) and its own serial (AI 21): a lot-tracked
        product counts the batch, a serial-tracked one the serial, as Odoo prints them."""
        serum = self.env["product.product"].create({
            "name": "JXC Serum", "is_storable": True, "tracking": "lot", "barcode": "4006381333931",
        })
        batch = self._lot_on_hand(serum, "B123", 5)
        drill = self.env["product.product"].create({
            "name": "JXC Drill", "is_storable": True, "tracking": "serial", "barcode": "5901234123457",
        })
        serial = self._lot_on_hand(drill, "SN-0001", 1)
        plan = self._start()
        for at, pack in (("09:00:00", "SN0001"), ("09:00:05", "SN0002")):
            result = self._scan(plan, "01" + "04006381333931" + "10B123\x1d21" + pack, self.shelf_2, at=DAY + at)
            self.assertEqual((result["ok"], result["lot"]), (True, "B123"), result["message"])
        self.assertEqual(plan.line_ids.filtered(lambda line: line.lot_id == batch).counted_qty, 2.0)
        self.assertFalse(self.env["stock.lot"].search_count([("name", "in", ("SN0001", "SN0002"))]))
        result = self._scan(plan, "01" + "05901234123457" + "21SN-0001\x1d10B9", self.shelf_2)
        self.assertEqual((result["ok"], result["kind"], result["lot"]), (True, "count", "SN-0001"), result["message"])
        self.assertEqual(plan.line_ids.filtered(lambda line: line.lot_id == serial).counted_qty, 1.0)

    def test_gs1_count_in_the_products_own_unit(self):
        """AI 30 on Odoo's label of 5 dozen is 5 dozen (Odoo prints the quant's quantity in the
        product's unit), not 5 units."""
        dozen = self.env.ref("uom.product_uom_dozen")
        dozen.active = True
        eggs = self.env["product.product"].create({
            "name": "JXC Eggs", "is_storable": True, "barcode": "5901234123457", "uom_id": dozen.id,
        })
        plan = self._start()
        result = self._scan(plan, "01" + "05901234123457" + "30" + "00000005", self.shelf_2)
        self.assertEqual((result["ok"], result["kind"]), (True, "found"), result["message"])
        self.assertEqual(plan.line_ids.filtered(lambda line: line.product_id == eggs).counted_qty, 5.0)

    def test_pallet_label_counts_in_its_package(self):
        """An SSCC (AI 00) with the pallet's contents counts them in that package; a pallet of
        boxes is refused (Odoo keeps the stock on the boxes)."""
        sscc_base = "03871234567890123"
        sscc = sscc_base + str(get_barcode_check_digit(sscc_base + "0"))
        pallet = self.env["stock.package"].create({"name": sscc})
        self.env["stock.quant"]._update_available_quantity(self.product_3, self.shelf_2, 48, package_id=pallet)
        plan = self._start()
        self.product_3.barcode = "4006381333931"  # a GTIN, as on the pallet's label
        result = self._scan(plan, "00" + sscc + "01" + "04006381333931" + "37" + "48", self.shelf_2)
        self.assertEqual((result["ok"], result["kind"]), (True, "count"), result["message"])
        packed = plan.line_ids.filtered(lambda line: line.package_id == pallet)
        loose = plan.line_ids.filtered(lambda line: line.product_id == self.product_3 and not line.package_id)
        self.assertEqual((packed.counted_qty, loose.is_counted), (48.0, False))
        result = self._scan(plan, "00" + sscc + "01" + "04006381333931" + "37" + "48", self.shelf_1)
        self.assertFalse(result["ok"])
        self.assertIn("not here", result["message"])
        self.env["stock.package"].create({"name": "BOX-1", "parent_package_id": pallet.id})
        result = self._scan(plan, sscc, self.shelf_2)
        self.assertFalse(result["ok"])
        self.assertIn("holds other packages (BOX-1)", result["message"])

    def test_stale_package_is_left_by_scanning_a_location(self):
        """The package the screen stands in was moved away: a product scan is refused, a
        location scan gets the counter out."""
        package = self.env["stock.package"].create({"name": "PACK-9"})
        self.env["stock.quant"]._update_available_quantity(self.product_3, self.shelf_2, 4, package_id=package)
        plan = self._start()
        with self.assertRaisesRegex(UserError, "not at the current location"):
            self._scan(plan, "JXC-003", self.shelf_1, package)
        result = self._scan(plan, "JXC-SHELF-1", self.shelf_1, package)
        self.assertEqual((result["ok"], result["kind"], result["package_id"]), (True, "location", False))
        self.assertFalse(plan.line_ids.filtered("is_counted"))
        # an empty package deleted since the screen stood in it (the phone keeps its id): the same
        empty = self.env["stock.package"].create({"name": "PACK-10"})
        empty.unlink()
        with self.assertRaisesRegex(UserError, "not at the current location"):
            self._scan(plan, "JXC-003", self.shelf_1, empty)
        result = self._scan(plan, "JXC-SHELF-1", self.shelf_1, empty)
        self.assertEqual((result["ok"], result["kind"], result["package_id"]), (True, "location", False))

    def test_lot_number_and_serial(self):
        """A lot's own name is a barcode too; a serial number counts once."""
        serial_product = self.env["product.product"].create({"name": "JXC Drill", "is_storable": True, "tracking": "serial"})
        serial = self._lot_on_hand(serial_product, "SN-0001", 1)
        plan = self._start()
        result = self._scan(plan, "SN-0001", self.shelf_2)
        self.assertEqual((result["ok"], result["kind"]), (True, "count"))
        line = plan.line_ids.filtered(lambda line: line.lot_id == serial)
        self.assertEqual(line.counted_qty, 1.0)
        result = self._scan(plan, "SN-0001", self.shelf_2)
        self.assertFalse(result["ok"])
        self.assertIn("Serial number SN-0001 of JXC Drill is already counted", result["message"])
        self.assertEqual(line.counted_qty, 1.0)
        # typed on the screen: refused when entered, not first when the plan is posted
        with self.assertRaisesRegex(ValidationError, "count serial SN-0001 as 1 \\(found\\) or 0 \\(missing\\), not 2"), \
                self.env.cr.savepoint():
            line.with_user(self.counter).write({"counted_qty": 2.0})
        self.assertEqual(line.counted_qty, 1.0)
        line.with_user(self.counter).write({"counted_qty": 0.0})
        self.assertEqual((line.counted_qty, line.is_counted), (0.0, True), "missing: 0 is a count of a serial")
        found = self.env["stock.lot"].create({"name": "SN-0002", "product_id": serial_product.id})
        Line = self.env["jxc.count.line"].with_user(self.counter)
        with self.assertRaisesRegex(ValidationError, "count serial SN-0002 as 1"), self.env.cr.savepoint():
            Line.create({"plan_id": plan.id, "product_id": serial_product.id, "lot_id": found.id,
                         "location_id": self.shelf_2.id, "counted_qty": 3.0})

    def test_location_sent_by_the_screen_is_checked(self):
        """A location outside the plan (a stale or forged screen) is refused, nothing is written."""
        plan = self._start(location_ids=[(6, 0, self.shelf_1.ids)])
        with self.assertRaisesRegex(UserError, "not counted by"):
            plan.jxc_scan("JXC-003", self.shelf_2.id, False)
        package = self.env["stock.package"].create({"name": "PACK-2"})
        self.env["stock.quant"]._update_available_quantity(self.product_3, self.shelf_2, 4, package_id=package)
        with self.assertRaisesRegex(UserError, "not at the current location"):
            plan.jxc_scan("JXC-001", self.shelf_1.id, package.id)
        self.assertEqual(len(plan.line_ids), 2)
        self.assertFalse(plan.line_ids.filtered("is_counted"))

    def test_package(self):
        package = self.env["stock.package"].create({"name": "PACK-1"})
        self.env["stock.quant"]._update_available_quantity(self.product_3, self.shelf_2, 4, package_id=package)
        plan = self._start()
        result = self._scan(plan, "JXC-003", self.shelf_2)
        self.assertEqual((result["ok"], result["kind"]), (True, "count"), "the loose units first")
        result = self._scan(plan, "PACK-1", self.shelf_1)
        self.assertFalse(result["ok"])
        self.assertIn("at WH/Stock/Shelf 2, not here", result["message"])
        result = self._scan(plan, "PACK-1", self.shelf_2)
        self.assertEqual((result["kind"], result["package_id"], result["state"]["package"]), ("package", package.id, "PACK-1"))
        self._scan(plan, "JXC-003", self.shelf_2, package)
        packed = plan.line_ids.filtered(lambda line: line.package_id == package)
        loose = plan.line_ids.filtered(lambda line: line.product_id == self.product_3 and not line.package_id)
        self.assertEqual((packed.counted_qty, loose.counted_qty), (1.0, 1.0))

    def test_blind_plan_hides_expected(self):
        plan = self._start(blind=True)
        result = self._scan(plan, "JXC-001", self.shelf_1)
        self.assertEqual({line["expected"] for line in result["state"]["lines"]}, {None})
        manager_view = plan.with_user(self.jxc_manager).jxc_scan_get_state(self.shelf_1.id)
        self.assertEqual([line["expected"] for line in manager_view["lines"]], [100.0, 50.0])

    def test_undo_clicked_twice_undoes_one_scan(self):
        """Undo clicked twice, or its request sent again: the second names the entry already
        undone and undoes nothing more (the screen's queue sends it after the first)."""
        plan = self._start()
        line = self._line(plan, self.product_1)
        self._scan(plan, "JXC-001", self.shelf_1, at=DAY + "09:00:00")
        self._scan(plan, "JXC-001", self.shelf_1, at=DAY + "09:00:10")
        shown = plan.jxc_scan_get_state(self.shelf_1.id)["undo_entry_id"]
        self.assertTrue(shown)
        plan.jxc_undo(self.shelf_1.id, False, shown)
        again = plan.jxc_undo(self.shelf_1.id, False, shown)
        self.assertEqual((again["ok"], again["message"]), (True, "Already undone."))
        self.assertEqual((line.counted_qty, str(line.counted_at)), (1.0, DAY + "09:00:00"))
        self.assertEqual(len(self._scan_logs(plan)), 1)

    def test_undo_behind_a_newer_scan_undoes_nothing(self):
        """The screen offers to undo the Widget's scan; a Gadget scan still on its way is saved
        first. The Undo undoes nothing and says so (not "Already undone.", which left the counter
        thinking a wrong scan was gone); a second Undo, offered the Gadget's, undoes it."""
        plan = self._start()
        widget, gadget = self._line(plan, self.product_1), self._line(plan, self.product_2)
        self._scan(plan, "JXC-001", self.shelf_1, at=DAY + "09:00:00")
        shown = plan.jxc_scan_get_state(self.shelf_1.id)["undo_entry_id"]
        self._scan(plan, "JXC-002", self.shelf_1, at=DAY + "09:00:05")
        result = plan.jxc_undo(self.shelf_1.id, False, shown)
        self.assertEqual((result["ok"], result["message"]), (
            False, "Nothing was undone: your scan of %s was saved after the one shown. Check the counts, then undo "
            "again if it is wrong." % gadget.display_name))
        self.assertEqual((widget.counted_qty, gadget.counted_qty), (1.0, 1.0))
        plan.jxc_undo(self.shelf_1.id, False, result["state"]["undo_entry_id"])
        self.assertEqual((widget.counted_qty, gadget.is_counted), (1.0, False))

    def test_undo_keeps_an_adjustment_made_after_the_count_in_view(self):
        """Scanned at 09:00; at 10:00 Physical Inventory applies a count of the quant dated
        08:30; at 11:00 a second scan, then Undo. The line is back to its 09:00 count, and the
        adjustment made after it is still found (posting on top would book it twice)."""
        plan = self._start()
        line = self._line(plan, self.product_1)
        self._scan(plan, "JXC-001", self.shelf_1, at=DAY + "09:00:00")
        with freeze_time(DAY + "10:00:00"):
            quant = self.env["stock.quant"].search([
                ("product_id", "=", self.product_1.id), ("location_id", "=", self.shelf_1.id)])
            quant.with_context(inventory_mode=True).inventory_quantity = 98
            self.env["stock.inventory.adjustment.name"].create({
                "quant_ids": [Command.set(quant.ids)], "counting_date": DAY + "08:30:00",
            }).action_apply()
        self._scan(plan, "JXC-001", self.shelf_1, at=DAY + "11:00:00")
        self.assertFalse(line._get_counted_again())  # the second scan read the stock after it
        plan.jxc_undo(self.shelf_1.id)
        self.assertEqual((line.counted_qty, str(line.counted_at)), (1.0, DAY + "09:00:00"))
        self.assertEqual(line._get_counted_again(), line)

    def test_undo(self):
        plan = self._start()
        line = self._line(plan, self.product_1)
        self._scan(plan, "JXC-001", self.shelf_1, at=DAY + "09:00:00")
        self._scan(plan, "JXC-001", self.shelf_1, at=DAY + "09:00:10")
        self.assertTrue(plan.jxc_scan_get_state(self.shelf_1.id)["can_undo"])
        result = plan.jxc_undo(self.shelf_1.id)
        self.assertEqual((result["kind"], line.counted_qty, str(line.counted_at)), ("undo", 1.0, DAY + "09:00:00"))
        plan.jxc_undo(self.shelf_1.id)
        self.assertEqual((line.counted_qty, line.is_counted, line.counted_at, line.counted_by_id),
                         (0.0, False, False, self.env["res.users"]))
        self.assertFalse(plan.jxc_scan_get_state(self.shelf_1.id)["can_undo"])
        self.assertFalse(plan.jxc_scan_get_state(self.shelf_1.id)["undo_entry_id"])
        with self.assertRaisesRegex(UserError, "nothing to undo"):
            plan.jxc_undo(self.shelf_1.id)
        # A found line added by a scan is removed again.
        self._scan(plan, "JXC-003", self.shelf_1)
        plan.jxc_undo(self.shelf_1.id)
        self.assertFalse(plan.line_ids.filtered(lambda line: line.location_id == self.shelf_1 and line.product_id == self.product_3))
        # A typed quantity is undone to the scanned one; another counter's later count is not overwritten.
        self._scan(plan, "JXC-001", self.shelf_1, at=DAY + "09:10:00")
        with freeze_time(DAY + "09:11:00"):
            plan.jxc_set_counted(line.id, 40, self.shelf_1.id)
        plan.jxc_undo(self.shelf_1.id)
        self.assertEqual((line.counted_qty, str(line.counted_at)), (1.0, DAY + "09:10:00"))
        other = new_test_user(self.env, login="jxc_counter_2", groups="jxc_addon.group_jxc_user")
        with freeze_time(DAY + "09:20:00"):
            plan.with_user(other).jxc_set_counted(line.id, 7, self.shelf_1.id)
        with self.assertRaisesRegex(UserError, "counted again after your scan"):
            plan.jxc_undo(self.shelf_1.id)
        self.assertEqual(line.counted_qty, 7.0)

    def test_access(self):
        plan = self._start()
        with self.assertRaises(AccessError):
            plan.with_user(self.plain_user).jxc_scan("JXC-001", self.shelf_1.id, False)
        with self.assertRaises(AccessError):
            plan.with_user(self.plain_user).jxc_scan_get_state(self.shelf_1.id)
        with self.assertRaises(AccessError):
            self.env["jxc.count.plan"].with_user(self.plain_user).jxc_scan_get_plans()
        self.assertFalse(self._line(plan, self.product_1).is_counted)
        # A counter sees only their own scan log; only the system writes it.
        self._scan(plan, "JXC-001", self.shelf_1)
        other = new_test_user(self.env, login="jxc_counter_3", groups="jxc_addon.group_jxc_user")
        self.assertFalse(self.env["jxc.count.scan"].with_user(other).search([]))
        # The plan's scan log (smart button): the counter's own entries, the manager's all of them.
        self._scan(plan, "JXC-001", self.shelf_1, at=DAY + "09:05:00")
        plan.with_user(other).jxc_scan("JXC-001", self.shelf_1.id, False)
        self.assertEqual((plan.scan_count, plan.with_user(other).scan_count), (2, 1))
        self.assertEqual(plan.with_user(self.jxc_manager).scan_count, 3)
        action = plan.action_view_scans()
        scans = self.env["jxc.count.scan"].with_user(self.counter).search(action["domain"])
        self.assertEqual((scans.mapped("barcode"), scans.mapped("new_qty")), (["JXC-001", "JXC-001"], [2.0, 1.0]))
        with self.assertRaises(AccessError):
            self.env["jxc.count.scan"].with_user(self.counter).create({"plan_id": plan.id, "user_id": self.counter.id})
        plan.sudo().action_cancel()
        with self.assertRaisesRegex(UserError, "must be Counting"):
            plan.jxc_scan("JXC-001", self.shelf_1.id, False)

    def test_open_from_stocktake(self):
        plan = self._start()
        action = plan.action_open_scan()
        self.assertEqual((action["tag"], action["params"]), ("jxc_count_scan", {"plan_id": plan.id}))
        with self.assertRaises(AccessError):
            plan.with_user(self.plain_user).action_open_scan()
        plan.sudo().action_cancel()
        with self.assertRaisesRegex(UserError, "must be Counting"):
            plan.action_open_scan()

    def test_my_plans(self):
        mine = self._start(counter_ids=[(6, 0, self.counter.ids)], location_ids=[(6, 0, self.shelf_1.ids)])
        other = new_test_user(self.env, login="jxc_counter_4", groups="jxc_addon.group_jxc_user")
        theirs = self._start(counter_ids=[(6, 0, other.ids)], location_ids=[(6, 0, self.shelf_2.ids)])
        names = [plan["name"] for plan in self.env["jxc.count.plan"].with_user(self.counter).jxc_scan_get_plans()]
        self.assertIn(mine.name, names)
        self.assertNotIn(theirs.name, names)

    def _start_listed(self, *products):
        """A plan of ``products`` at Shelf 2 only (no sub-locations): each has a line without a lot, book 0."""
        plan = self._start(product_ids=[(6, 0, self.env["product.product"].concat(*products).ids)],
                           location_ids=[(6, 0, self.shelf_2.ids)], include_children=False)
        self.assertEqual((plan.line_ids.product_id, plan.line_ids.lot_id, set(plan.line_ids.sudo().mapped("book_qty"))),
                         (self.env["product.product"].concat(*products), self.env["stock.lot"], {0.0}))
        return plan

    def test_gs1_new_lot_is_a_found_line(self):
        """A lot a GS1 label brings that Odoo does not know yet is counted on a found line of the new
        lot, also where the plan has a line of the product without a lot (a listed product at a listed
        location: book 0)."""
        serum = self.env["product.product"].create({
            "name": "JXC Serum", "is_storable": True, "tracking": "lot", "barcode": "4006381333931",
        })
        plan = self._start_listed(serum)
        lotless = plan.line_ids
        result = self._scan(plan, "01" + "04006381333931" + "10B7\x1d" + "3012", self.shelf_2)
        self.assertEqual((result["ok"], result["kind"], result["lot"]), (True, "found", "B7"), result["message"])
        found = plan.line_ids.filtered(lambda line: line.lot_id.name == "B7")
        self.assertEqual((found.product_id, found.location_id, found.counted_qty, found.is_found),
                         (serum, self.shelf_2, 12.0, True))
        self.assertFalse(lotless.is_counted, "the line without a lot is not counted by a lot's label")
        # a product of every company: a lot of every company, as Odoo creates one on a receipt, so
        # that another company receiving the same lot takes it (a lot of this company would be
        # refused there as a duplicate)
        self.assertFalse(found.lot_id.company_id)
        other = self.env["res.company"].create({"name": "JXC Branch"})
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", other.id)])
        receipt = self.env["stock.picking"].with_company(other).create({
            "picking_type_id": warehouse.in_type_id.id,
            "location_id": self.env.ref("stock.stock_location_suppliers").id,
            "location_dest_id": warehouse.lot_stock_id.id,
            "move_ids": [Command.create({
                "product_id": serum.id, "product_uom_qty": 5.0, "location_id": self.env.ref("stock.stock_location_suppliers").id,
                "location_dest_id": warehouse.lot_stock_id.id,
            })],
        })
        receipt.action_confirm()
        receipt.move_ids.move_line_ids.write({"lot_name": "B7", "quantity": 5.0})
        receipt.button_validate()
        self.assertEqual((receipt.state, receipt.move_ids.move_line_ids.lot_id), ("done", found.lot_id))
        # a product of the plan's company: the lot is the company's
        ointment = self.env["product.product"].create({
            "name": "JXC Ointment", "is_storable": True, "tracking": "lot", "barcode": "4012345000009",
            "company_id": self.company.id,
        })
        plan = self._start_listed(ointment)
        result = self._scan(plan, "01" + "04012345000009" + "10C1\x1d" + "302", self.shelf_2)
        self.assertEqual((result["ok"], result["kind"]), (True, "found"), result["message"])
        self.assertEqual(plan.line_ids.lot_id.company_id, self.company)

    def test_gs1_new_serial_numbers_are_found_lines(self):
        """Each new serial number of a GS1 label is a found line of its own; the same one again is refused."""
        drill = self.env["product.product"].create({
            "name": "JXC Drill", "is_storable": True, "tracking": "serial", "barcode": "5901234123457",
        })
        plan = self._start_listed(drill)
        lotless = plan.line_ids
        for serial in ("SN-1", "SN-2"):
            result = self._scan(plan, "01" + "05901234123457" + "21" + serial, self.shelf_2)
            self.assertEqual((result["ok"], result["kind"]), (True, "found"), result["message"])
        serials = plan.line_ids - lotless
        self.assertEqual(sorted(serials.mapped(lambda line: (line.lot_id.name, line.counted_qty))),
                         [("SN-1", 1.0), ("SN-2", 1.0)])
        self.assertFalse(lotless.is_counted)
        result = self._scan(plan, "01" + "05901234123457" + "21SN-1", self.shelf_2)
        self.assertFalse(result["ok"])
        self.assertIn("Serial number SN-1 of JXC Drill is already counted", result["message"])
        # Undoing the found line removes the serial number its scan created.
        plan.jxc_undo(self.shelf_2.id)
        self.assertFalse(self.env["stock.lot"].search_count([("name", "=", "SN-2")]))
        self.assertEqual(len(plan.line_ids), 2)

    def _cola_with_carton(self):
        """JXC Cola, stored with its 12-digit UPC-A 036000291452; a carton of 12 (a packaging of
        Odoo's product.uom) has the GTIN-14 10036000291459."""
        unit = self.env.ref("uom.product_uom_unit")
        carton = self.env["uom.uom"].create({"name": "Carton of 12", "relative_factor": 12, "relative_uom_id": unit.id})
        cola = self.env["product.product"].create({"name": "JXC Cola", "is_storable": True, "barcode": "036000291452"})
        self.env["product.uom"].create({"product_id": cola.id, "uom_id": carton.id, "barcode": "10036000291459"})
        return cola

    def test_gtin_with_other_leading_zeros(self):
        """A GTIN read with other leading zeros than the product's barcode is the same product
        (GTIN-8/12/13/14 are one number): the UPC-A 036000291452 as a GS1 GTIN-14 and as an EAN-13."""
        cola = self._cola_with_carton()
        plan = self._start()
        result = self._scan(plan, "01" + "00036000291452", self.shelf_2)
        self.assertEqual((result["ok"], result["kind"]), (True, "found"), result["message"])
        line = self._line(plan, cola)
        self.assertEqual(line.counted_qty, 1.0)
        result = self._scan(plan, "0036000291452", self.shelf_2)
        self.assertEqual((result["ok"], result["kind"], line.counted_qty), (True, "count", 2.0), result["message"])

    def test_packaging_barcode_counts_its_units(self):
        """A carton of 12 (Odoo's product.uom barcode): its own barcode and its GS1 label count 12
        units; a GS1 label of 2 cartons (AI 30) 24."""
        cola = self._cola_with_carton()
        plan = self._start()
        result = self._scan(plan, "10036000291459", self.shelf_2)
        self.assertEqual((result["ok"], result["kind"]), (True, "found"), result["message"])
        line = self._line(plan, cola)
        self.assertEqual(line.counted_qty, 12.0)
        result = self._scan(plan, "01" + "10036000291459", self.shelf_2)
        self.assertEqual((result["ok"], line.counted_qty), (True, 24.0), result["message"])
        result = self._scan(plan, "01" + "10036000291459" + "302", self.shelf_2)
        self.assertEqual((result["ok"], line.counted_qty), (True, 48.0), result["message"])
        self.assertEqual(self._scan_logs(plan).mapped("new_qty"), [48.0, 24.0, 12.0])

    def test_packaging_saved_in_another_company(self):
        """The carton's packaging was saved by someone working in another company (Odoo gives it
        the company they had open, and the form does not show it): its barcode, unique in the
        database, still counts 12 Colas, a product of every company."""
        cola = self._cola_with_carton()
        other = self.env["res.company"].create({"name": "JXC Scan Other Co"})
        self.env["product.uom"].search([("barcode", "=", "10036000291459")]).company_id = other
        plan = self._start()
        result = self._scan(plan, "10036000291459", self.shelf_2)
        self.assertEqual((result["ok"], result["kind"]), (True, "found"), result["message"])
        self.assertEqual(self._line(plan, cola).counted_qty, 12.0)

    def test_product_of_the_parent_company(self):
        """A branch's stocktake counts the products of its parent company, which Odoo shares with
        the branch (product rule: ``parent_of``): the Pump's barcode counts it."""
        branch = self.env["res.company"].create({"name": "JXC Scan Branch", "parent_id": self.company.id})
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", branch.id)], limit=1)
        warehouse.lot_stock_id.barcode = "JXC-BRANCH-STOCK"
        pump = self.env["product.product"].create({
            "name": "JXC Parent Pump", "is_storable": True, "barcode": "JXC-PUMP", "company_id": self.company.id})
        self.env["stock.quant"].with_company(branch).with_context(inventory_mode=True).create({
            "product_id": pump.id, "location_id": warehouse.lot_stock_id.id, "inventory_quantity": 5,
        }).action_apply_inventory()
        counter = new_test_user(self.env, login="jxc_branch_counter", groups="jxc_addon.group_jxc_user",
                                company_id=branch.id, company_ids=[Command.set((self.company | branch).ids)])
        plan = self.env["jxc.count.plan"].with_company(branch).create({"warehouse_id": warehouse.id})
        with freeze_time(DAY + "08:00:00"):
            plan.action_start()
        line = plan.line_ids.filtered(lambda line: line.product_id == pump)
        self.assertEqual(line.book_qty, 5.0)
        plan = plan.with_user(counter).with_context(allowed_company_ids=branch.ids)
        self._scan(plan, "JXC-BRANCH-STOCK")
        result = self._scan(plan, "JXC-PUMP", warehouse.lot_stock_id)
        self.assertEqual((result["ok"], result["kind"]), (True, "count"), result["message"])
        self.assertEqual(line.counted_qty, 1.0)

    def test_packaging_finer_than_the_unit_is_refused(self):
        """JXC Cola stocked by the carton of 12, a piece's barcode a packaging in units: a piece
        is 0.083333 carton, which 2 decimals cannot hold (12 scans would count 0.96 carton).
        Refused, nothing counted; a carton's own barcode counts 1."""
        cola = self._cola_with_carton()
        carton = self.env["product.uom"].search([("product_id", "=", cola.id)]).uom_id
        cola.uom_id = carton
        self.env["product.uom"].create({"product_id": cola.id, "uom_id": self.env.ref("uom.product_uom_unit").id,
                                        "barcode": "4006381333931"})
        plan = self._start()
        result = self._scan(plan, "4006381333931", self.shelf_2)
        self.assertFalse(result["ok"])
        self.assertIn("0.083333 Carton of 12 of JXC Cola, more decimals than the unit keeps (0.08)", result["message"])
        self.assertFalse(self._scan_logs(plan))
        result = self._scan(plan, "036000291452", self.shelf_2)
        self.assertEqual((result["ok"], self._line(plan, cola).counted_qty), (True, 1.0), result["message"])

    def test_typed_barcode_is_refused(self):
        """A quantity typed on the screen that is the barcode of a product or packaging (a label
        scanned into the open quantity box), with or without its leading zeros, is refused."""
        self._cola_with_carton()
        self.env["product.product"].create({"name": "JXC Short Code", "is_storable": True, "barcode": "12"})
        plan = self._start()
        line = self._line(plan, self.product_1)
        for typed, error in (
            (36000291452, "036000291452 is the barcode of JXC Cola, not a quantity: nothing was saved"),
            ("10036000291459", r"10036000291459 is the barcode of JXC Cola \(Carton of 12\), not a quantity"),
        ):
            with self.assertRaisesRegex(UserError, error):
                plan.jxc_set_counted(line.id, typed, self.shelf_1.id)
        self.assertFalse(line.is_counted)
        self.assertFalse(self._scan_logs(plan))
        # a barcode shorter than a scan (Odoo's barcode service takes 3 characters or more) is a count
        plan.jxc_set_counted(line.id, "12", self.shelf_1.id)
        self.assertEqual(line.counted_qty, 12.0)

    def test_wrong_types_from_another_client(self):
        """A client other than the screen (an integration over RPC) that sends a name where an id
        belongs, or a number as the barcode, gets an error that says what is wrong, and nothing is
        counted or undone."""
        plan = self._start()
        line = self._line(plan, self.product_1)
        for call, error in (
            (lambda: plan.jxc_scan("JXC-001", "WH/Stock/Shelf 1"),
             r"The screen sent 'WH/Stock/Shelf 1' as location_id, which is not a record's id"),
            (lambda: plan.jxc_scan("JXC-001", self.shelf_1.id, [3]), r"sent \[3\] as package_id"),
            (lambda: plan.jxc_scan(36000291452, self.shelf_1.id), "sent 36000291452 as the barcode, which is not text"),
            (lambda: plan.jxc_scan_get_state(True), "sent True as location_id"),
            (lambda: plan.jxc_set_counted(str(line.id), 5, self.shelf_1.id), r"sent '\d+' as line_id"),
            (lambda: plan.jxc_set_counted(line.id, 5, -self.shelf_1.id), r"sent -\d+ as location_id"),
            (lambda: plan.jxc_undo(self.shelf_1.id, False, "last"), "sent 'last' as entry_id"),
        ):
            with self.assertRaisesRegex(UserError, error):
                call()
        self.assertFalse(plan.line_ids.filtered("is_counted"))
        self.assertFalse(self._scan_logs(plan))
        # the screen's own empty values still work
        self.assertEqual(plan.jxc_scan_get_state(None, None)["location"], None)
        self.assertTrue(self._scan(plan, "JXC-SHELF-1")["ok"])

    def test_typed_huge_quantity_is_refused(self):
        """More than 1,000,000 typed on the screen is refused (check the quantity); 1,000,000 is a count."""
        plan = self._start()
        line = self._line(plan, self.product_1)
        for typed, error in (
            (1000000.5, r"1,000,000.50 Units for \[JXC-001\] JXC Widget @ WH/Stock/Shelf 1 is more than this "
                        r"screen takes \(1,000,000\): nothing was saved"),
            (6901234000303, "6,901,234,000,303 Units .* is more than this screen takes"),
            ("nan", "not a quantity"),
        ):
            with self.assertRaisesRegex(UserError, error):
                plan.jxc_set_counted(line.id, typed, self.shelf_1.id)
        self.assertFalse(line.is_counted)
        self.assertFalse(self._scan_logs(plan))
        plan.jxc_set_counted(line.id, 1000000, self.shelf_1.id)
        self.assertEqual(line.counted_qty, 1000000.0)

    def test_scan_sent_again_counts_once(self):
        """A scan whose answer was lost (connection lost after the server saved it) is sent again
        with the same key: answered from the count it made, not counted again. Another key counts;
        the same key of another counter, or on another plan, is another scan."""
        plan = self._start(location_ids=[(6, 0, self.shelf_1.ids)])
        line = self._line(plan, self.product_1)
        with freeze_time(DAY + "09:00:00"):
            first = plan.jxc_scan("JXC-001", self.shelf_1.id, False, "k-1")
        with freeze_time(DAY + "09:00:07"):
            again = plan.jxc_scan("JXC-001", self.shelf_1.id, False, "k-1")
        self.assertEqual((line.counted_qty, str(line.counted_at)), (1.0, DAY + "09:00:00"))
        self.assertEqual(len(self._scan_logs(plan)), 1)
        self.assertEqual((again["ok"], again["kind"], again["line_id"], again["location_id"]),
                         (first["ok"], first["kind"], first["line_id"], first["location_id"]))
        self.assertEqual(again["message"], "[JXC-001] JXC Widget @ WH/Stock/Shelf 1: 1.00 counted. This scan was saved "
                                           "already and is counted once.")
        self.assertEqual(again["state"]["lines"], first["state"]["lines"])
        self.assertEqual(again["state"]["undo_entry_id"], first["state"]["undo_entry_id"])
        with freeze_time(DAY + "09:00:10"):
            plan.jxc_scan("JXC-001", self.shelf_1.id, False, "k-2")
        self.assertEqual((line.counted_qty, str(line.counted_at)), (2.0, DAY + "09:00:10"))
        # another counter's "k-1": a scan of its own
        other = new_test_user(self.env, login="jxc_counter_key", groups="jxc_addon.group_jxc_user")
        plan.with_user(other).jxc_scan("JXC-001", self.shelf_1.id, False, "k-1")
        self.assertEqual((line.counted_qty, line.counted_by_id), (3.0, other))
        # "k-1" on another plan (Shelf 2) counts there
        plan_2 = self._start(location_ids=[(6, 0, self.shelf_2.ids)])
        plan_2.jxc_scan("JXC-003", self.shelf_2.id, False, "k-1")
        self.assertEqual(self._line(plan_2, self.product_3).counted_qty, 1.0)
        self.assertEqual((line.counted_qty, len(self._scan_logs(plan)), len(self._scan_logs(plan_2))), (3.0, 3, 1))
        # a found line sent again: found once, answered as found
        found = [plan.jxc_scan("JXC-003", self.shelf_1.id, False, "k-3") for _i in range(2)]
        self.assertEqual([result["kind"] for result in found], ["found", "found"])
        self.assertEqual(self._line(plan, self.product_3, self.shelf_1).counted_qty, 1.0)
        # undone, the scan's key is gone with its entry: the screen sends a new scan a new key
        plan.jxc_undo(self.shelf_1.id)
        self.assertFalse(plan.line_ids.filtered(lambda line: line.location_id == self.shelf_1
                                                and line.product_id == self.product_3))

    def test_scan_sent_again_while_the_first_runs(self):
        """The same scan twice at once: the second does not see the first's entry (not committed
        yet), counts, and hits the key's unique index when it logs: its count is rolled back and
        Odoo's RPC retries it (ConcurrencyError), when it finds the first's entry."""
        plan = self._start(location_ids=[(6, 0, self.shelf_1.ids)])
        line = self._line(plan, self.product_1)
        plan.jxc_scan("JXC-001", self.shelf_1.id, False, "k-1")
        Plan = type(self.env["jxc.count.plan"])
        with patch.object(Plan, "_jxc_scan_get_entry_by_key", lambda self, key: self.env["jxc.count.scan"]), \
                self.assertRaises(ConcurrencyError):
            plan.jxc_scan("JXC-001", self.shelf_1.id, False, "k-1")
        self.assertEqual((line.counted_qty, len(self._scan_logs(plan))), (1.0, 1))
        self.assertEqual(plan.jxc_scan("JXC-001", self.shelf_1.id, False, "k-1")["line_id"], line.id)
        self.assertEqual(line.counted_qty, 1.0)

    def test_gs1_weight_and_count_on_one_label(self):
        """A label of 12.50 kg in 10 pieces (AI 3102 001250 and AI 30 10), in either order:
        12.5 for a product kept in kg, 10 for one kept in units."""
        kilogram = self.env.ref("uom.product_uom_kgm")
        cheese = self.env["product.product"].create({
            "name": "JXC Cheese", "is_storable": True, "barcode": "5901234123457", "uom_id": kilogram.id,
        })
        cups = self.env["product.product"].create({"name": "JXC Cups", "is_storable": True, "barcode": "4006381333931"})
        plan = self._start()
        weight_first = "3102" + "001250" + "30" + "10"
        count_first = "30" + "10" + "\x1d" + "3102" + "001250"
        for at, label in (("09:00:00", weight_first), ("09:00:05", count_first)):
            for gtin in ("05901234123457", "04006381333931"):
                result = self._scan(plan, "01" + gtin + label, self.shelf_2, at=DAY + at)
                self.assertTrue(result["ok"], result["message"])
            if at == "09:00:00":
                self.assertEqual(self._line(plan, cheese).counted_qty, 12.5)
                self.assertEqual(self._line(plan, cups).counted_qty, 10.0)
        self.assertEqual((self._line(plan, cheese).counted_qty, self._line(plan, cheese).uom_id), (25.0, kilogram))
        self.assertEqual(self._line(plan, cups).counted_qty, 20.0)

    def test_shared_barcode_counts_the_product_of_the_bin(self):
        """An archived product with stock on Shelf 2 shares its barcode with its active successor
        on Shelf 1, both in the plan: the scan counts the one with a line where it is made."""
        self.product_3.barcode = "4006381333931"
        self.product_3.active = False
        successor = self.env["product.product"].create({"name": "JXC Successor", "is_storable": True,
                                                        "barcode": "4006381333931"})
        self._set_on_hand(successor, 4.0, self.shelf_1)
        plan = self._start()
        for location, product in ((self.shelf_1, successor), (self.shelf_2, self.product_3)):
            result = self._scan(plan, "4006381333931", location)
            self.assertEqual((result["ok"], result["kind"]), (True, "count"), result["message"])
            self.assertEqual(self._line(plan, product, location).counted_qty, 1.0)
        self.assertEqual(len(plan.line_ids.filtered("is_counted")), 2)
        # both with a line in one bin: refused, nothing counted
        plan.sudo().action_cancel()
        self._set_on_hand(successor, 2.0, self.shelf_2)
        plan = self._start()
        result = self._scan(plan, "4006381333931", self.shelf_2)
        self.assertFalse(result["ok"])
        self.assertIn("belongs to several products counted here", result["message"])
        self.assertFalse(plan.line_ids.filtered("is_counted"))

    def test_archived_product_of_the_plan(self):
        """A product archived with stock on hand is in the plan: its barcode and a GS1 label of its
        GTIN count it. An archived product of another company stays unknown."""
        self.product_3.barcode = "4006381333931"
        plan = self._start()
        self.product_3.active = False
        line = self._line(plan, self.product_3)
        result = self._scan(plan, "4006381333931", self.shelf_2)
        self.assertEqual((result["ok"], result["kind"]), (True, "count"), result["message"])
        result = self._scan(plan, "01" + "04006381333931" + "30" + "5", self.shelf_2)
        self.assertEqual((result["ok"], result["kind"]), (True, "count"), result["message"])
        self.assertEqual(line.counted_qty, 6.0)
        # an active product took the archived one's barcode: the plan's line is still counted
        active = self.env["product.product"].create({"name": "JXC Successor", "is_storable": True,
                                                     "barcode": "4006381333931"})
        self._scan(plan, "4006381333931", self.shelf_2)
        self.assertEqual(line.counted_qty, 7.0)
        self.assertFalse(plan.line_ids.filtered(lambda line: line.product_id == active))
        other = self.env["res.company"].create({"name": "JXC Elsewhere"})
        self.env["product.product"].create({"name": "JXC Theirs", "is_storable": True, "barcode": "5901234123457",
                                            "company_id": other.id, "active": False})
        result = self._scan(plan, "5901234123457", self.shelf_2)
        self.assertFalse(result["ok"])
        self.assertIn("Unknown barcode 5901234123457", result["message"])
