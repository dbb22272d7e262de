from freezegun import freeze_time

from odoo.addons.jxc_addon.tests.common import xlsx_file
from odoo.exceptions import AccessError, ValidationError
from odoo.fields import Command
from odoo.tests import Form, tagged
from odoo.tools.safe_eval import safe_eval

from .common import JxcExpiryCommon


@tagged("post_install", "-at_install")
class TestShelfLifeReport(JxcExpiryCommon):
    def _rows(self, env=None, domain=()):
        env = env or self.env
        env.invalidate_all()  # the rows of another date keep their ids
        rows = env["jxc.shelf.life.report"].search([("product_id", "=", self.yogurt.id), *domain])
        return {row.lot_id.name: row for row in rows}

    def test_expiration_dates_from_receipts(self):
        # product_expiry dated the received lots from the receipts' scheduled date
        self.assertEqual(str(self.lot_a.expiration_date), "2025-04-11 04:00:00")
        self.assertEqual(str(self.lot_a.alert_date), "2025-03-22 04:00:00")
        self.assertEqual(str(self.lot_b.expiration_date), "2025-06-09 04:00:00")

    @freeze_time("2025-04-01 04:00:00")
    def test_days_left_buckets_values(self):
        rows = self._rows()
        self.assertEqual(
            {name: (row.warehouse_id, row.quantity, row.days_left, row.shelf_life_bucket, row.is_near_expiry,
                    row.is_expired)
             for name, row in rows.items()},
            {
                "Y-A": (self.warehouse, 20.0, 10, "1. 0-30 days", True, False),
                "Y-B": (self.warehouse, 60.0, 69, "2. 31-90 days", False, False),
                "Y-C": (self.warehouse_2, 5.0, -12, "0. Expired", False, True),
            },
        )
        # the quant's own value (stock_account, average cost 2.75)
        self.assertEqual({name: row.value for name, row in rows.items()}, {"Y-A": 55.0, "Y-B": 165.0, "Y-C": 13.75})
        quants = self.env["stock.quant"].search([("product_id", "=", self.yogurt.id), ("location_id.usage", "=", "internal")])
        self.assertEqual(sorted(quants.mapped("value")), [13.75, 55.0, 165.0])
        # vendor of the first receipt; a lot found in a count shows the product's first vendor
        self.assertEqual({name: row.vendor_id for name, row in rows.items()},
                         {"Y-A": self.vendor_a, "Y-B": self.vendor_b, "Y-C": self.vendor_a})
        self.assertEqual({row.categ_id for row in rows.values()}, {self.dairy})

    @freeze_time("2025-04-01 04:00:00")
    def test_rows_keep_their_ids(self):
        """Lot Y-A delivered (first expired, first out): the rows of Y-B and Y-C keep the ids
        the list showed (a row ticked before is the row exported)."""
        before = {name: row.id for name, row in self._rows().items()}
        self._deliver(self._create_sale(self.customer_a, [(self.yogurt, 20, 5.0)]))
        after = {name: row.id for name, row in self._rows().items()}
        self.assertEqual(after, {name: before[name] for name in ("Y-B", "Y-C")})

    def test_days_left_in_company_timezone(self):
        # 2025-04-01 17:00 UTC is already 2 April in Shanghai
        with freeze_time("2025-04-01 17:00:00"):
            self.assertEqual(self._rows()["Y-A"].days_left, 9)
        with freeze_time("2025-04-11 03:00:00"):
            row = self._rows()["Y-A"]
            self.assertEqual((row.days_left, row.is_expired, row.shelf_life_bucket), (0, False, "1. 0-30 days"))
        with freeze_time("2025-04-11 05:00:00"):
            row = self._rows()["Y-A"]
            self.assertEqual((row.days_left, row.is_expired, row.shelf_life_bucket), (0, True, "0. Expired"))

    @freeze_time("2025-04-01 04:00:00")
    def test_deliveries_reduce_the_rows(self):
        self._deliver(self._create_sale(self.customer_b, [(self.yogurt, 20, 5.0)]))
        self.env.flush_all()
        rows = self._rows()
        self.assertNotIn("Y-A", rows)  # its last 20 units were delivered (first in, first out)
        self.assertEqual(rows["Y-B"].quantity, 60.0)

    @freeze_time("2025-04-01 04:00:00")
    def test_configurable_buckets(self):
        self.company.jxc_shelf_life_buckets = "15,60"
        self.env.flush_all()
        grouped = self.env["jxc.shelf.life.report"]._read_group(
            [("product_id", "=", self.yogurt.id)], ["shelf_life_bucket"], ["quantity:sum", "value:sum"])
        self.assertEqual({bucket: (qty, value) for bucket, qty, value in grouped}, {
            "0. Expired": (5.0, 13.75), "1. 0-15 days": (20.0, 55.0), "3. >60 days": (60.0, 165.0),
        })
        for bad in ("60,15", "30,x", ""):
            with self.assertRaises(ValidationError):
                self.company.jxc_shelf_life_buckets = bad
                self.company.flush_recordset()

    @freeze_time("2025-04-01 04:00:00")
    def test_users_see_quantities_managers_values(self):
        user_rows = self._rows(self.env(user=self.jxc_user))
        self.assertEqual(user_rows["Y-A"].quantity, 20.0)
        with self.assertRaises(AccessError):
            user_rows["Y-A"].read(["value"])
        manager_rows = self._rows(self.env(user=self.jxc_manager))
        self.assertEqual(manager_rows["Y-A"].value, 55.0)
        with self.assertRaises(AccessError):
            self.env(user=self.plain_user)["jxc.shelf.life.report"].search([])

    @freeze_time("2025-04-01 04:00:00")
    def test_near_expiry_warnings(self):
        action = self.env["ir.actions.act_window"]._for_xml_id("jxc_product_expiry.jxc_shelf_life_report_action_warning")
        rows = self._rows(domain=safe_eval(action["domain"]))
        self.assertEqual(set(rows), {"Y-A", "Y-C"})

    @freeze_time("2025-04-01 04:00:00")
    def test_product_no_longer_using_expiration_dates(self):
        """Expiration dates switched off on the Yogurt: its lots keep their old dates, which Odoo
        no longer reads (their stock is available again): no row, and no near-expiry alert."""
        self.yogurt.use_expiration_date = False
        self.assertEqual(self._rows(), {})
        self.assertFalse(self.env["jxc.expiry.alert"]._send_alerts())

    @freeze_time("2025-04-01 04:00:00")
    def test_excel_export(self):
        Report = self.env(user=self.jxc_manager)["jxc.shelf.life.report"]
        action = Report.with_context(active_domain=[("product_id", "=", self.yogurt.id)]).action_export_xlsx()
        attachment = xlsx_file(action)
        self.assertTrue(attachment.name.startswith("Shelf Life"))
        sheet = Report._prepare_jxc_xlsx_sheet(Report.search([("product_id", "=", self.yogurt.id)]))
        self.assertEqual(len(sheet["rows"]), 3)
        titles = [column["title"] for column in sheet["columns"]]
        # the unit right after the quantity; the lots' quantities, in different units, have no total
        self.assertEqual(titles[titles.index("On Hand"):], ["On Hand", "Unit", "Value"])
        self.assertEqual([column["total"] for column in sheet["columns"][-3:]], [False, False, True])
        user_sheet = self.env(user=self.jxc_user)["jxc.shelf.life.report"]._prepare_jxc_xlsx_sheet(
            self.env(user=self.jxc_user)["jxc.shelf.life.report"].search([("product_id", "=", self.yogurt.id)]))
        self.assertNotIn("Value", [column["title"] for column in user_sheet["columns"]])

    @freeze_time("2025-04-01 04:00:00")
    def test_multi_company(self):
        company_2 = self.env["res.company"].create({"name": "JXC Second Company", "jxc_shelf_life_buckets": "10"})
        company_2.partner_id.tz = "Asia/Shanghai"
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", company_2.id)], limit=1)
        lot = self.env["stock.lot"].create({
            "name": "Y-Z", "product_id": self.yogurt.id, "company_id": company_2.id,
            "expiration_date": "2025-04-21 04:00:00",
        })
        self.env["stock.quant"].with_company(company_2).with_context(inventory_mode=True).create({
            "product_id": self.yogurt.id, "location_id": warehouse.lot_stock_id.id, "lot_id": lot.id,
            "inventory_quantity": 7,
        }).action_apply_inventory()
        self.env.flush_all()
        self.assertNotIn("Y-Z", self._rows(self.env(user=self.jxc_manager)))
        self.jxc_manager.company_ids |= company_2
        rows = self._rows(self.env(user=self.jxc_manager, context={"allowed_company_ids": [company_2.id]}))
        self.assertEqual(set(rows), {"Y-Z"})
        self.assertEqual((rows["Y-Z"].company_id, rows["Y-Z"].days_left, rows["Y-Z"].shelf_life_bucket),
                         (company_2, 20, "2. >10 days"))

    @freeze_time("2025-04-01 04:00:00")
    def test_lot_vendor_of_its_company(self):
        """A lot of a product shared by companies is shared too: another company that received it
        first, from another vendor, does not give its vendor to this company's row."""
        self.assertFalse(self.lot_a.company_id)
        company_2 = self.env["res.company"].create({"name": "JXC Second Company"})
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", company_2.id)], limit=1)
        with freeze_time("2024-12-01 04:00:00"):
            picking = self.env["stock.picking"].with_company(company_2).create({
                "picking_type_id": warehouse.in_type_id.id, "partner_id": self.vendor_b.id,
                "location_id": self.env.ref("stock.stock_location_suppliers").id,
                "location_dest_id": warehouse.lot_stock_id.id,
                "move_ids": [Command.create({
                    "product_id": self.yogurt.id, "product_uom_qty": 5.0, "location_id": self.env.ref("stock.stock_location_suppliers").id,
                    "location_dest_id": warehouse.lot_stock_id.id,
                })],
            })
            picking.action_confirm()
            picking.move_ids.move_line_ids.write({"lot_id": self.lot_a.id, "quantity": 5.0})
            picking.move_ids.picked = True
            picking.button_validate()
        self.assertEqual(picking.state, "done")
        self.env.flush_all()
        self.assertEqual(self._rows(domain=[("company_id", "=", self.company.id)])["Y-A"].vendor_id, self.vendor_a)
        self.assertEqual(self._rows(domain=[("company_id", "=", company_2.id)])["Y-A"].vendor_id, self.vendor_b)

    @freeze_time("2025-04-01 04:00:00")
    def test_dashboard_tiles(self):
        def tiles(user):
            data = self.env["jxc.dashboard"].with_user(user).get_dashboard_data()
            return {t["key"]: t["value"] for t in data["tiles"] if t["key"].startswith(("near_expiry", "expired"))}

        self.assertEqual(tiles(self.jxc_manager), {
            "near_expiry_lots": 1, "near_expiry_value": 55.0, "expired_lots": 1, "expired_value": 13.75,
        })
        # users see the counts, never the values
        self.assertEqual(tiles(self.jxc_user), {"near_expiry_lots": 1, "expired_lots": 1})
        tile = next(t for t in self.env["jxc.dashboard"].with_user(self.jxc_manager).get_dashboard_data()["tiles"]
                    if t["key"] == "near_expiry_value")
        rows = self.env["jxc.shelf.life.report"].search(tile["action"]["domain"])
        self.assertEqual(rows.lot_id, self.lot_a)
        # the lots as of now, whatever the period: marked so (screen and monthly summary), never compared
        self.assertEqual((tile["point_in_time"], tile["compare"]), (True, False))
        # a day before any lot is near its expiry: nothing at risk is 0, not an empty figure
        with freeze_time("2024-01-01 04:00:00"):
            empty = tiles(self.jxc_manager)
        self.assertEqual(empty, {"near_expiry_lots": 0, "near_expiry_value": 0.0, "expired_lots": 0, "expired_value": 0.0})
        self.assertEqual({key: type(value) for key, value in empty.items()},
                         {"near_expiry_lots": int, "near_expiry_value": float, "expired_lots": int, "expired_value": float})

    @freeze_time("2025-04-01 04:00:00")
    def test_dashboard_tiles_count_lots(self):
        """Lot Y-A in both warehouses (20 in WH, 10 more found in WH2) is one near-expiry lot
        with two rows; Y-C, expired, one lot too."""
        self.env["stock.quant"].with_context(inventory_mode=True).create({
            "product_id": self.yogurt.id, "location_id": self.warehouse_2.lot_stock_id.id, "lot_id": self.lot_a.id,
            "inventory_quantity": 10,
        }).action_apply_inventory()
        self.env.flush_all()
        rows = self.env["jxc.shelf.life.report"].search([("is_near_expiry", "=", True)])
        self.assertEqual((rows.lot_id, rows.warehouse_id), (self.lot_a, self.warehouse | self.warehouse_2))
        tiles = {t["key"]: t["value"] for t in self.env["jxc.dashboard"].with_user(self.jxc_manager).get_dashboard_data()["tiles"]
                 if t["key"].startswith(("near_expiry", "expired"))}
        # 30 x 2.75 at risk
        self.assertEqual(tiles, {"near_expiry_lots": 1, "near_expiry_value": 82.5, "expired_lots": 1, "expired_value": 13.75})
        # the count opens its list by lot: one group, the lot's two rows in it
        tile = next(t for t in self.env["jxc.dashboard"].with_user(self.jxc_manager).get_dashboard_data()["tiles"]
                    if t["key"] == "near_expiry_lots")
        self.assertEqual(tile["action"]["context"], {"group_by": ["lot_id"]})
        groups = self.env["jxc.shelf.life.report"]._read_group(tile["action"]["domain"], ["lot_id"], ["__count"])
        self.assertEqual(groups, [(self.lot_a, 2)])

    @freeze_time("2025-04-01 04:00:00")
    def test_buckets_typed_with_a_chinese_input_method(self):
        """Full-width digits and commas and the ideographic space of a Chinese input method are
        stored as ASCII digits without spaces; the report and the dashboard read them."""
        for typed in ("３０,90,180", "30,　90,180", "30，90，１８０", " 30 , 90 ,180 "):
            with self.subTest(typed=typed):
                self.company.jxc_shelf_life_buckets = typed
                self.assertEqual(self.company.jxc_shelf_life_buckets, "30,90,180")
        settings = self.env["res.config.settings"].create({"jxc_shelf_life_buckets": "１５，６０"})
        settings.execute()
        self.assertEqual(self.company.jxc_shelf_life_buckets, "15,60")
        # an Inventory Control manager who is no administrator sets them on the add-on's own screen
        self.assertFalse(self.jxc_manager.has_group("base.group_system"))
        form = Form(self.env["jxc.settings"].with_user(self.jxc_manager))
        self.assertEqual(form.jxc_shelf_life_buckets, "15,60")
        form.jxc_shelf_life_buckets = "２０，６０"
        form.save()
        self.assertEqual(self.company.jxc_shelf_life_buckets, "20,60")
        self.company.jxc_shelf_life_buckets = "15,60"
        self.assertEqual(self._rows()["Y-B"].shelf_life_bucket, "3. >60 days")
        self.assertTrue(self.env["jxc.dashboard"].get_dashboard_data()["tiles"])
        for bad in ("30、90", "30,90,180天", "30,99999999999", "-5,30", "90,30"):
            with self.subTest(bad=bad), self.assertRaises(ValidationError) as refused:
                self.company.jxc_shelf_life_buckets = bad
                self.company.flush_recordset()
            self.assertIn("such as 30,90,180", str(refused.exception))

    @freeze_time("2025-04-01 04:00:00")
    def test_buckets_stored_around_the_orm(self):
        """A value stored without the ORM's check (an import by SQL) gives the default buckets,
        not an error of the whole report."""
        self.env.flush_all()
        self.env.cr.execute("UPDATE res_company SET jxc_shelf_life_buckets = '３０,90' WHERE id = %s", [self.company.id])
        self.company.invalidate_recordset(["jxc_shelf_life_buckets"])
        self.assertEqual(self._rows()["Y-B"].shelf_life_bucket, "2. 31-90 days")
