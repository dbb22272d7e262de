import shutil

from odoo.tests import HttpCase, tagged
from odoo.tests.common import _find_executable


@tagged("post_install", "-at_install")
class TestUi(HttpCase):
    """The add-on's app opens in the real web client (headless Chromium) without a JS error."""

    def setUp(self):
        super().setUp()
        # A browser test that cannot run must fail, not be skipped.
        try:
            import websocket  # noqa: F401, PLC0415
        except ImportError:
            self.fail("websocket-client is not installed: run bin/bootstrap")
        try:
            _find_executable()
        except Exception:  # noqa: BLE001
            self.fail("no chromium on PATH (%s): run bin/bootstrap" % shutil.which("chromium"))

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
