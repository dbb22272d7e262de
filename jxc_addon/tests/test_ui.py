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

    def test_root_menu_opens(self):
        self.env["product.product"].create({"name": "JXC Widget", "is_storable": True})
        self.start_tour("/odoo", "jxc_root_menu_tour", login="admin")
