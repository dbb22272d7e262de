"""The shelf-life screens in the browser: near-expiry warnings at desk (1440 px) and phone width
(375 px), the shelf-life report by bucket and warehouse, its Excel export.

The lots' dates are set from the company's today (days left 12, 25, 60, 200 and 3 days expired,
at noon there), so every run shows the same rows and buckets whatever the date; a run that
passes the company's midnight counts the day that passed."""

from datetime import timedelta

from odoo.addons.jxc_addon.tests.test_user_flows import JxcFlowCase
from odoo.addons.jxc_addon.tools.company_day import company_today, local_midnight_utc
from odoo.fields import Command
from odoo.tests import new_test_user, tagged


class JxcShelfLifeUiCase(JxcFlowCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        shanghai = cls._warehouse_of("Shanghai Fresh DC", "SFD")
        suzhou = cls._warehouse_of("Suzhou Cold Store", "SZC")
        dairy = cls.env["res.partner"].create({"name": "Bright Dairy Co.", "supplier_rank": 1, "is_company": True})
        health = cls.env["res.partner"].create({"name": "Jiangnan Health Supply", "supplier_rank": 1,
                                                "is_company": True})
        milk = cls._lot_product("Fresh Milk 1 L", 6.5, dairy)
        cls.setup_day = company_today(cls.company)
        cream = cls._lot_product("Face Cream 50 ml", 38.0, health)
        syrup = cls._lot_product("Cough Syrup 100 ml", 21.0, health)
        for product, lot_name, warehouse, qty, days_left in (
            (milk, "M-2401", shanghai, 24, 12),
            (milk, "M-2402", suzhou, 40, 60),
            (cream, "C-118", shanghai, 6, -3),
            (cream, "C-131", suzhou, 30, 200),
            (syrup, "S-77", suzhou, 15, 25),
        ):
            lot = cls.env["stock.lot"].create({
                "name": lot_name, "product_id": product.id, "company_id": cls.company.id,
                "expiration_date": local_midnight_utc(cls.company, cls.setup_day + timedelta(days=days_left))
                + timedelta(hours=12),
            })
            cls.env["stock.quant"].with_context(inventory_mode=True).create({
                "product_id": product.id, "location_id": warehouse.lot_stock_id.id, "lot_id": lot.id,
                "inventory_quantity": qty,
            }).action_apply_inventory()

    @classmethod
    def _warehouse_of(cls, name, code):
        return cls.env["stock.warehouse"].create({"name": name, "code": code, "company_id": cls.company.id})

    @classmethod
    def _lot_product(cls, name, cost, vendor):
        """Tracked by lots, with expiration dates; the alert comes 30 days before expiry."""
        return cls.env["product.product"].create({
            "name": name, "is_storable": True, "categ_id": cls.category.id, "standard_price": cost,
            "tracking": "lot", "use_expiration_date": True, "expiration_time": 365, "alert_time": 30,
            "seller_ids": [Command.create({"partner_id": vendor.id, "price": cost})],
        })


@tagged("post_install", "-at_install")
class TestShelfLifeDesktop(JxcShelfLifeUiCase):
    browser_size = "1440x900"

    def test_warnings_report_by_warehouse_and_excel(self):
        self.env.flush_all()
        rows = self.env["jxc.shelf.life.report"].search([("lot_id.name", "in", ["M-2401", "M-2402", "C-118", "C-131", "S-77"])])
        passed = (company_today(self.company) - self.setup_day).days  # the company's midnight passed since
        self.assertEqual(
            {row.lot_id.name: (row.warehouse_id.name, row.days_left + passed, row.shelf_life_bucket, row.is_near_expiry,
                               row.vendor_id.name, row.value)
             for row in rows},
            {
                "M-2401": ("Shanghai Fresh DC", 12, "1. 0-30 days", True, "Bright Dairy Co.", 156.0),
                "M-2402": ("Suzhou Cold Store", 60, "2. 31-90 days", False, "Bright Dairy Co.", 260.0),
                "C-118": ("Shanghai Fresh DC", -3, "0. Expired", False, "Jiangnan Health Supply", 228.0),
                "C-131": ("Suzhou Cold Store", 200, "4. >180 days", False, "Jiangnan Health Supply", 1140.0),
                "S-77": ("Suzhou Cold Store", 25, "1. 0-30 days", True, "Jiangnan Health Supply", 315.0),
            },
        )
        self._start_tour_with_screenshot(
            "/odoo/action-jxc_product_expiry.jxc_shelf_life_report_action_warning", "jxc_shelf_life_desktop_tour",
            "manager_shelf_life_desktop", login="admin",
        )
        # the tour waited for the browser to receive "Shelf Life ….xlsx"; nothing was stored
        self.assertFalse(self.env["ir.attachment"].search_count([("res_model", "=", "jxc.xlsx")]))


@tagged("post_install", "-at_install")
class TestShelfLifePhone(JxcShelfLifeUiCase):
    browser_size = "375x800"
    touch_enabled = True

    def test_near_expiry_warnings_on_phone(self):
        keeper = new_test_user(self.env, "jxc_expiry_keeper", name="Chen Jing (Warehouse)",
                               groups="jxc_addon.group_jxc_user")
        self._start_tour_with_screenshot(
            "/odoo/action-jxc_product_expiry.jxc_shelf_life_report_action_warning", "jxc_near_expiry_phone_tour",
            "keeper_near_expiry_phone", login=keeper.login,
        )
