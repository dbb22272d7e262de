"""Drive the running Odoo server from outside, over JSON-RPC, as an integration would.

pytest-odoo starts the server thread (--odoo-http); these tests talk to it on its port.
"""

import json
import urllib.request

import pytest

import odoo
from odoo.tools import config


def _call(service, method, *args):
    url = "http://127.0.0.1:%s/jsonrpc" % config["http_port"]
    payload = {"jsonrpc": "2.0", "method": "call", "params": {"service": service, "method": method, "args": args}}
    request = urllib.request.Request(url, json.dumps(payload).encode(), {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        body = json.loads(response.read())
    if "error" in body:
        raise RuntimeError(body["error"]["data"]["message"])
    return body["result"]


@pytest.fixture(scope="module")
def session():
    db = config["db_name"][0] if isinstance(config["db_name"], list) else config["db_name"]
    uid = _call("common", "authenticate", db, "admin", "admin", {})
    assert uid, "admin/admin must log in to the test database"
    return db, uid


def test_server_version():
    assert _call("common", "version")["server_serie"] == odoo.release.serie == "19.0"


def test_addon_installed_and_settings_readable(session):
    db, uid = session
    modules = _call("object", "execute_kw", db, uid, "admin", "ir.module.module", "search_read",
                    [[["name", "=", "jxc_addon"]]], {"fields": ["state", "latest_version"]})
    assert modules[0]["state"] == "installed"
    assert modules[0]["latest_version"].startswith("19.0.")
    companies = _call("object", "execute_kw", db, uid, "admin", "res.company", "search_read",
                      [[]], {"fields": ["jxc_demand_history_days", "jxc_carrying_cost_rate"], "limit": 1})
    assert companies[0]["jxc_demand_history_days"] == 365
    assert companies[0]["jxc_carrying_cost_rate"] == 20.0


def test_wrong_password_refused(session):
    db, _uid = session
    assert _call("common", "authenticate", db, "admin", "not-the-password", {}) is False
