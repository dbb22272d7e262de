"""Repository-wide pytest hooks.

A skipped test is a test that did not run: browser tests skip themselves when Chromium
or websocket-client is missing, HttpCase tests when the server thread is not started.
The suite fails on any skip unless JXC_ALLOW_SKIPS=1 is set on purpose.

JXC_TEST_DATE (bin/test-dates) runs the whole session with the clock set to that moment
("2028-02-29" or "2026-12-31 23:30", UTC), moving on from there: a test that depends on
today's date without freezing it shows itself by failing on some dates. Tests that freeze
time themselves keep their own dates. PostgreSQL's now() is not moved.
"""

import os

import pytest


@pytest.fixture(scope="session", autouse=True)
def jxc_test_date(load_registry):
    moment = os.environ.get("JXC_TEST_DATE")
    if not moment:
        yield None
        return
    from freezegun import freeze_time  # noqa: PLC0415 (only when a date is asked for)

    with freeze_time(moment, tick=True):
        yield moment


def pytest_report_header(config):
    moment = os.environ.get("JXC_TEST_DATE")
    return "JXC_TEST_DATE=%s: the clock is set to that moment (UTC)" % moment if moment else None


def pytest_sessionstart(session):
    # Odoo waits 10 s for headless Chromium to open its devtools port, then skips the browser
    # test; on two loaded cores Chromium sometimes needs longer. Wait up to 60 s instead.
    import odoo.tests.common as odoo_test_common  # noqa: PLC0415 (after pytest-odoo loaded Odoo)

    odoo_test_common.CHECK_BROWSER_ITERATIONS = 600


def pytest_sessionfinish(session, exitstatus):
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if skipped and os.environ.get("JXC_ALLOW_SKIPS") != "1" and exitstatus == 0:
        if reporter:
            reporter.write_line(
                f"FAILED: {skipped} test(s) were skipped; a skipped browser or server test counts as missing "
                "(set JXC_ALLOW_SKIPS=1 to allow).",
                red=True,
            )
        session.exitstatus = 1
