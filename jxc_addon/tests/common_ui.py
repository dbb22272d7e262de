"""Base class of the browser tests (Odoo tours in headless Chromium)."""

import binascii
import shutil
from contextlib import contextmanager
from unittest.mock import patch

from odoo.tests import HttpCase
from odoo.tests.common import ChromeBrowser, _find_executable


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


@contextmanager
def screenshots_at_stop(shots):
    """While active, each headless browser that stops first appends a PNG of its screen to
    ``shots`` (what the page showed when its script finished)."""
    original_stop = ChromeBrowser.stop

    def stop_with_screenshot(browser):
        try:
            result = browser._websocket_request("Page.captureScreenshot", params={}, timeout=30)
            shots.append(binascii.a2b_base64(result["data"]))
        finally:
            original_stop(browser)

    with patch.object(ChromeBrowser, "stop", stop_with_screenshot):
        yield shots
