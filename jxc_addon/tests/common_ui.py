"""Base class of the browser tests (Odoo tours in headless Chromium)."""

import shutil

from odoo.tests import HttpCase
from odoo.tests.common import _find_executable


class JxcHttpCase(HttpCase):
    """A browser test that cannot run must fail, not be skipped."""

    def setUp(self):
        super().setUp()
        try:
            import websocket  # noqa: F401, PLC0415
        except ImportError:
            self.fail("websocket-client is not installed: run bin/bootstrap")
        try:
            _find_executable()
        except Exception:  # noqa: BLE001
            self.fail("no chromium on PATH (%s): run bin/bootstrap" % shutil.which("chromium"))
