import base64
import io

import openpyxl

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import xlsx_file
from .count_common import JxcCountCommon


@tagged("post_install", "-at_install")
class TestCountXlsx(JxcCountCommon):
    """Excel round trip: export the count sheet, fill it, import it back (all or nothing)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product_lot = cls.env["product.product"].create({
            **cls._prepare_product_vals("JXC Lotted", 5.0, 8.0, "JXC-LOT"), "tracking": "lot",
        })
        cls.lot_1 = cls.env["stock.lot"].create({"name": "L-001", "product_id": cls.product_lot.id})
        cls.env["stock.quant"].sudo()._update_available_quantity(cls.product_lot, cls.shelf_2, 7, lot_id=cls.lot_1)

    def _export(self, plan, user=None):
        action = plan.with_user(user or self.env.user).action_export_xlsx()
        attachment = xlsx_file(action)
        return openpyxl.load_workbook(io.BytesIO(base64.b64decode(attachment.datas)))

    def _import(self, plan, book, user=None):
        output = io.BytesIO()
        book.save(output)
        wizard = self.env["jxc.count.import.wizard"].with_user(user or self.env.user).create({
            "plan_id": plan.id, "file": base64.b64encode(output.getvalue()), "filename": "count.xlsx",
        })
        return wizard.action_import()

    def _rows(self, ws):
        return {row[0].row: [c.value for c in row] for row in ws.iter_rows(min_row=5)}

    def test_export_layout(self):
        plan = self._create_plan()
        plan.action_start()
        ws = self._export(plan).active
        self.assertEqual([c.value for c in ws[4]], [
            "Location", "Product Code", "Product", "Lot/Serial", "Unit", "Book Quantity", "Counted Quantity",
        ])
        self.assertEqual([c.value for c in ws[5]], ["WH/Stock/Shelf 1", "JXC-001", "JXC Widget", None, "Units", 100, None])
        self.assertEqual([c.value for c in ws[8]], ["WH/Stock/Shelf 2", "JXC-LOT", "JXC Lotted", "L-001", "Units", 7, None])
        self.assertEqual(ws.max_row, 8)

    def test_quantities_keep_their_decimals(self):
        """Quantities kept at 3 decimals ("Product Unit" precision): 12.125 in the book and typed
        are shown so in the sheet, not as 12.13."""
        self.env.ref("uom.decimal_product_uom").digits = 3
        self._set_on_hand(self.product_1, 12.125, self.shelf_1)
        plan = self._create_plan(product_ids=[(6, 0, self.product_1.ids)])
        plan.action_start()
        self._line(plan, self.product_1).counted_qty = 12.125
        ws = self._export(plan).active
        self.assertEqual([(c.value, c.number_format) for c in ws[5][5:7]],
                         [(12.125, "#,##0.000"), (12.125, "#,##0.000")])

    def test_sheets_in_the_order_of_the_plan(self):
        """The Excel sheet and the printed sheet list the lines as the plan does (by location,
        then product: products with an internal reference first), so that a counter walking the
        shelf with either finds the lines where the screen has them."""
        for name in ("Zebra Tape", "Apple Box"):
            product = self.env["product.product"].create({**self._prepare_product_vals(name, 1.0, 2.0, False)})
            self.env["stock.quant"].sudo()._update_available_quantity(product, self.shelf_1, 3)
        plan = self._create_plan()
        plan.action_start()
        screen = [(line.location_id.complete_name, line.product_id.with_context(display_default_code=False).display_name)
                  for line in self.env["jxc.count.line"].search([("plan_id", "=", plan.id)])]
        self.assertEqual([name for _location, name in screen[:4]], ["JXC Widget", "JXC Gadget", "Apple Box", "Zebra Tape"])
        rows = [(row[0], row[2]) for row in self._rows(self._export(plan).active).values()]
        self.assertEqual(rows, screen)
        html = self.env["ir.actions.report"]._render_qweb_html("jxc_addon.report_jxc_count_sheet", plan.ids)[0].decode()
        positions = [html.index("%s</span>" % name) for _location, name in screen[:4]]
        self.assertEqual(positions, sorted(positions))

    def test_blind_export_hides_book_for_counters(self):
        """A blind plan being counted: no book on the sheet, also exported by a manager (who hands
        it to the counters, as the printed sheet); submitted, the manager's sheet has it for the
        review, the counter's still not."""
        plan = self._create_plan(blind=True)
        plan.action_start()
        for user in (self.counter, self.env.user):
            header = [c.value for c in self._export(plan, user).active[4]]
            self.assertNotIn("Book Quantity", header)
            self.assertEqual(header[-1], "Counted Quantity")
        plan.line_ids.counted_qty = 1
        plan.action_submit()
        self.assertIn("Book Quantity", [c.value for c in self._export(plan).active[4]])
        self.assertNotIn("Book Quantity", [c.value for c in self._export(plan, self.counter).active[4]])

    def test_round_trip(self):
        plan = self._create_plan()
        plan.action_start()
        book = self._export(plan, self.counter)  # counter in a non-blind plan: 7 columns
        ws = book.active
        ws["G5"] = 98
        ws["G6"] = "50"
        ws["G7"] = 10
        # Row 8 (the lot) left empty: not counted. A found product on Shelf 2 is added.
        ws.append(["WH/Stock/Shelf 2", "JXC-002", "JXC Gadget", None, "Units", None, 3])
        self._import(plan, book, self.counter)
        self.assertEqual(self._line(plan, self.product_1).counted_qty, 98)
        self.assertEqual(self._line(plan, self.product_1).counted_by_id, self.counter)
        self.assertEqual(self._line(plan, self.product_2, self.shelf_1).counted_qty, 50)
        self.assertFalse(self._line(plan, self.product_lot).is_counted)
        found = self._line(plan, self.product_2, self.shelf_2)
        self.assertTrue(found.is_found)
        self.assertEqual(found.counted_qty, 3)
        self.assertEqual(plan.counted_count, 4)

    def test_blind_round_trip_by_barcode(self):
        plan = self._create_plan(blind=True, location_ids=[(6, 0, self.shelf_2.ids)])
        plan.action_start()
        book = self._export(plan, self.counter)
        ws = book.active
        self.assertEqual(ws["F4"].value, "Counted Quantity")
        ws["F5"] = 10
        ws["F6"] = 6
        self._import(plan, book, self.counter)
        self.assertEqual(self._line(plan, self.product_3).counted_qty, 10)
        self.assertEqual(self._line(plan, self.product_lot).counted_qty, 6)

    def test_bad_cells_apply_nothing(self):
        plan = self._create_plan()
        plan.action_start()
        self._line(plan, self.product_3).counted_qty = 9  # already counted: must stay 9
        book = self._export(plan)
        ws = book.active
        ws["G5"] = 98                                   # valid, but must not be applied
        ws["B6"] = "NO-SUCH-CODE"                       # row 6: unknown product
        ws["G6"] = 1
        ws["D8"] = "L-999"                              # row 8: unknown lot
        ws["G8"] = 1
        ws.append(["WH/Nowhere", "JXC-003", "", None, "", None, 1])        # row 9: unknown location
        ws.append(["WH/Stock/Shelf 2", "JXC-003", "", None, "", None, "ten"])  # row 10: not a number
        ws.append(["WH/Stock/Shelf 1", "JXC-002", "", None, "", None, -2])    # row 11: negative
        ws.append(["WH/Stock/Shelf 1", "JXC-001", "", None, "", None, 97])    # row 12: duplicate of row 5
        ws.append(["WH/Stock/Shelf 2", "JXC-002", "", None, "", None, 6901234567892])  # row 13: a barcode scanned in
        with self.assertRaises(UserError) as error:
            self._import(plan, book)
        message = str(error.exception)
        self.assertIn("Nothing was imported", message)
        self.assertIn("Row 6: unknown product code 'NO-SUCH-CODE'", message)
        self.assertIn("Row 8: unknown lot/serial 'L-999'", message)
        self.assertIn("Row 9: unknown location 'WH/Nowhere'", message)
        self.assertIn("Row 10: counted quantity 'ten' is not a number", message)
        self.assertIn("Row 11: counted quantity -2 is negative", message)
        self.assertIn("Row 12: duplicate of row 5", message)
        self.assertIn("Row 13: counted quantity 6,901,234,567,892 is more than a count sheet takes (1,000,000)", message)
        self.assertNotIn("Row 5:", message)
        self.assertNotIn("Row 7:", message)
        self.assertFalse(self._line(plan, self.product_1).is_counted)
        self.assertEqual(self._line(plan, self.product_3).counted_qty, 9)
        self.assertEqual(len(plan.line_ids), 4)

    def test_sheet_of_the_plan_before_its_restart(self):
        """A sheet exported before the plan was reset and started again imports nothing (its
        counts were made against another snapshot); the plan's own sheet imports and says on
        screen what it applied, also when it applied nothing."""
        plan = self._create_plan()
        plan.action_start()
        book = self._export(plan, self.counter)
        book.active["G5"] = 98
        plan.action_cancel()
        plan.action_draft()
        plan.action_start()
        with self.assertRaisesRegex(UserError, "exported from another count plan, or from .* before it was reset"):
            self._import(plan, book, self.counter)
        self.assertFalse(plan.line_ids.filtered("is_counted"))
        book = self._export(plan, self.counter)
        book.active["G5"] = 98
        action = self._import(plan, book, self.counter)
        self.assertEqual(action["params"]["type"], "success")
        self.assertIn("1 counted quantities imported from count.xlsx (0 new line(s); 0 row(s)", action["params"]["message"])
        self.assertEqual(self._line(plan, self.product_1).counted_qty, 98)
        action = self._import(plan, book, self.counter)  # the same sheet again: nothing to apply
        self.assertEqual((action["params"]["type"], action["params"]["next"]), ("warning", {"type": "ir.actions.act_window_close"}))
        self.assertIn("0 counted quantities imported from count.xlsx (0 new line(s); 1 row(s)", action["params"]["message"])

    def test_two_locations_of_one_name(self):
        """A second "WH/Stock/Shelf 1" (Odoo allows it): the sheet cannot tell them apart, so its
        rows there are refused, not counted on whichever of the two came last."""
        self.env["stock.location"].create({"name": "Shelf 1", "location_id": self.stock_location.id})
        plan = self._create_plan()
        plan.action_start()
        book = self._export(plan, self.counter)
        book.active["G5"] = 98
        with self.assertRaisesRegex(UserError, r"Row 5: several locations are named 'WH/Stock/Shelf 1': rename"):
            self._import(plan, book, self.counter)
        self.assertFalse(plan.line_ids.filtered("is_counted"))

    def test_found_goods_another_plan_counts(self):
        """Plan B counts the Gizmos, plan C the Gadgets (on Shelf 1). Gadgets found on Shelf 1 in
        B's sheet: the row is named, and sent to C, before anything is imported."""
        plan_b = self._create_plan(product_ids=[(6, 0, self.product_3.ids)])
        plan_b.action_start()
        plan_c = self._create_plan(product_ids=[(6, 0, self.product_2.ids)])
        plan_c.action_start()
        book = self._export(plan_b, self.counter)
        ws = book.active
        ws["G5"] = 10
        ws.append(["WH/Stock/Shelf 1", "JXC-002", "JXC Gadget", None, "Units", None, 3])
        with self.assertRaisesRegex(UserError, r"Row %s: \[JXC-002\] JXC Gadget at WH/Stock/Shelf 1 is being counted by "
                                               r"plan %s; count it there and remove the row" % (ws.max_row, plan_c.name)):
            self._import(plan_b, book, self.counter)
        self.assertFalse(plan_b.line_ids.filtered("is_counted"))

    def test_wrong_file(self):
        plan = self._create_plan()
        plan.action_start()
        book = openpyxl.Workbook()
        book.active.append(["Something", "else"])
        with self.assertRaisesRegex(UserError, "No count sheet header"):
            self._import(plan, book)
        wizard = self.env["jxc.count.import.wizard"].create({"plan_id": plan.id, "file": base64.b64encode(b"not excel")})
        with self.assertRaisesRegex(UserError, "not an Excel workbook"):
            wizard.action_import()
        plan.action_cancel()
        with self.assertRaisesRegex(UserError, "import counted quantities"):
            self._import(plan, self._export(plan))
