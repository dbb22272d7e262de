
from odoo.tests import tagged

from .common_ui import JxcHttpCase


@tagged("post_install", "-at_install")
class TestUi(JxcHttpCase):
    """The add-on's app opens in the real web client (headless Chromium) without a JS error."""

    def test_dashboard_tile_opens_its_list(self):
        company = self.env.ref("base.main_company")
        product = self.env["product.product"].create({"name": "JXC Tour Widget", "is_storable": True})
        snapshot = self.env["jxc.inventory.snapshot"]
        (date_from, _date_to), _prev = self.env["jxc.dashboard"].with_company(company)._get_periods(company)
        snapshot.sudo().create({
            "company_id": company.id,
            "date": snapshot._month_end(date_from),
            "product_id": product.id,
            "warehouse_id": self.env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1).id,
            "quantity": 10,
            "value": 1234.0,
        })
        self.env["jxc.dashboard.month"]._store_company(company)
        self.start_tour("/odoo/jxc-dashboard", "jxc_dashboard_tour", login="admin")

    def test_root_menu_opens(self):
        self.env["product.product"].create({"name": "JXC Widget", "is_storable": True})
        self.start_tour("/odoo", "jxc_root_menu_tour", login="admin")


@tagged("post_install", "-at_install")
class TestUiPhone(TestUi):
    """The dashboard at phone width: the tile is shown and opens its list."""

    browser_size = "375x740"
    touch_enabled = True

    test_root_menu_opens = None  # the app switcher differs on phones; the dashboard tour is what matters
