"""Drive the running Odoo server from outside, over JSON-RPC, as an integration would.

pytest-odoo starts the server thread (--odoo-http); these tests talk to it on its port.
"""

import json
import urllib.request
import uuid
import xmlrpc.client

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
    return body.get("result")  # absent when the method returned None


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


# --- supplier block over XML-RPC: a context never grants anything ---------------------------------

HOSTILE_CONTEXT = {"jxc_supplier_risk_checked": True, "jxc_supplier_compute": True}


class _XmlRpc:
    """One user's XML-RPC connection to the test server."""

    def __init__(self, db, login, password):
        root = "http://127.0.0.1:%s/xmlrpc/2/" % config["http_port"]
        self.db, self.password = db, password
        self.uid = xmlrpc.client.ServerProxy(root + "common").authenticate(db, login, password, {})
        assert self.uid, "%s must log in" % login
        self.proxy = xmlrpc.client.ServerProxy(root + "object", allow_none=True)

    def __call__(self, model, method, args, **kwargs):
        return self.proxy.execute_kw(self.db, self.uid, self.password, model, method, args, kwargs)


@pytest.fixture(scope="module")
def risk_setup(session):
    """Users of each role, a vendor at risk and the company's risk action set to block (restored
    afterwards). Committed by the server: names are unique per run."""
    db, _uid = session
    admin = _XmlRpc(db, "admin", "admin")
    tag = uuid.uuid4().hex[:8]

    def group(xmlid):
        module, name = xmlid.split(".")
        return admin("ir.model.data", "search_read", [[["module", "=", module], ["name", "=", name]]],
                     fields=["res_id"])[0]["res_id"]

    roles = {
        "buyer": ["jxc_addon.group_jxc_user", "purchase.group_purchase_user"],
        "jxc_manager": ["jxc_addon.group_jxc_manager", "purchase.group_purchase_user"],
        "purchase_manager": ["jxc_addon.group_jxc_user", "purchase.group_purchase_manager"],
    }
    company_id = admin("res.users", "read", [[admin.uid]], fields=["company_id"])[0]["company_id"][0]
    for role, groups in roles.items():
        login = "rpc_%s_%s" % (role, tag)
        admin("res.users", "create", [{
            "name": "RPC %s %s" % (role, tag), "login": login, "password": login + "-pw",
            "company_id": company_id, "company_ids": [[6, 0, [company_id]]],
            "group_ids": [[6, 0, [group("base.group_user")] + [group(g) for g in groups]]],
        }])
    vendor_id = admin("res.partner", "create", [{"name": "RPC Risky Vendor %s" % tag, "is_company": True,
                                                  "supplier_rank": 1}])
    contact_id = admin("res.partner", "create", [{"name": "RPC Risky Contact %s" % tag, "parent_id": vendor_id}])
    admin("res.partner", "write", [[vendor_id], {
        "jxc_supplier_risk": True, "jxc_supplier_risk_reason": "grade D (score 30.0)", "jxc_supplier_grade": "d",
    }])
    product_id = admin("product.product", "create", [{"name": "RPC Widget %s" % tag, "type": "consu"}])
    previous = admin("res.company", "read", [[company_id]], fields=["jxc_supplier_risk_action"])[0]
    admin("res.company", "write", [[company_id], {"jxc_supplier_risk_action": "block"}])
    users = {role: _XmlRpc(db, "rpc_%s_%s" % (role, tag), "rpc_%s_%s-pw" % (role, tag)) for role in roles}
    setup = {"admin": admin, "users": users, "vendor": vendor_id, "contact": contact_id, "product": product_id,
             "company": company_id, "orders": [], "periods": []}
    yield setup
    # What the server committed must not show in the tests that run after (reports, demo).
    admin("res.company", "write", [[company_id], {"jxc_supplier_risk_action": previous["jxc_supplier_risk_action"]}])
    # button_cancel returns None, which XML-RPC cannot carry: JSON-RPC
    _call("object", "execute_kw", db, admin.uid, "admin", "purchase.order", "button_cancel", [setup["orders"]])
    admin("purchase.order", "unlink", [setup["orders"]])
    admin("jxc.supplier.period", "unlink", [setup["periods"]])
    admin("product.product", "write", [[product_id], {"active": False}])
    admin("res.partner", "write", [[vendor_id, contact_id], {"active": False}])
    admin("res.users", "write", [[user.uid for user in users.values()], {"active": False}])


def _draft_order(setup, user, partner=None):
    order_id = user("purchase.order", "create", [{
        "partner_id": partner or setup["vendor"],
        "order_line": [[0, 0, {"product_id": setup["product"], "product_qty": 3.0, "price_unit": 7.0}]],
    }])
    setup["orders"].append(order_id)
    return order_id


def _state(setup, order_id):
    return setup["admin"]("purchase.order", "read", [[order_id]], fields=["state"])[0]["state"]


def test_buyer_cannot_confirm_a_blocked_vendor_over_xmlrpc(risk_setup):
    buyer = risk_setup["users"]["buyer"]
    for partner in (risk_setup["vendor"], risk_setup["contact"]):  # the contact's orders belong to the vendor
        order_id = _draft_order(risk_setup, buyer, partner)
        for context in ({}, HOSTILE_CONTEXT):
            for method, args in (("button_confirm", [[order_id]]), ("button_approve", [[order_id]]),
                                 ("write", [[order_id], {"state": "purchase"}])):
                with pytest.raises(xmlrpc.client.Fault, match="only a purchase manager or an inventory control manager can confirm"):
                    buyer("purchase.order", method, args, context=context)
            wizard_id = buyer("jxc.supplier.risk.wizard", "create", [{
                "order_ids": [[6, 0, [order_id]]], "blocking": False, "override_reason": "trust me",
            }], context=context)
            with pytest.raises(xmlrpc.client.Fault, match="Only a purchase manager or an inventory control manager can override"):
                buyer("jxc.supplier.risk.wizard", "action_confirm", [[wizard_id]], context=context)
        assert _state(risk_setup, order_id) == "draft"


@pytest.mark.parametrize("role", ["jxc_manager", "purchase_manager"])
def test_manager_overrides_only_through_the_wizard_over_xmlrpc(risk_setup, role):
    manager = risk_setup["users"][role]
    order_id = _draft_order(risk_setup, risk_setup["users"]["buyer"])
    action = manager("purchase.order", "button_confirm", [[order_id]], context=HOSTILE_CONTEXT)
    assert action["res_model"] == "jxc.supplier.risk.wizard"
    assert _state(risk_setup, order_id) == "draft"
    with pytest.raises(xmlrpc.client.Fault, match="Give the reason"):
        manager("jxc.supplier.risk.wizard", "action_confirm", [[action["res_id"]]])
    manager("jxc.supplier.risk.wizard", "write", [[action["res_id"]], {"override_reason": "Only source"}])
    manager("jxc.supplier.risk.wizard", "action_confirm", [[action["res_id"]]])
    assert _state(risk_setup, order_id) == "purchase"
    bodies = risk_setup["admin"]("mail.message", "search_read", [[["model", "=", "purchase.order"],
                                                                  ["res_id", "=", order_id]]], fields=["body"])
    assert any("overriding the block" in m["body"] and "Only source" in m["body"] for m in bodies)


def test_warning_mode_still_confirms_for_a_buyer_over_xmlrpc(risk_setup):
    admin, buyer = risk_setup["admin"], risk_setup["users"]["buyer"]
    admin("res.company", "write", [[risk_setup["company"]], {"jxc_supplier_risk_action": "warn"}])
    try:
        order_id = _draft_order(risk_setup, buyer)
        action = buyer("purchase.order", "button_confirm", [[order_id]], context=HOSTILE_CONTEXT)
        assert action["res_model"] == "jxc.supplier.risk.wizard"
        assert _state(risk_setup, order_id) == "draft"
        buyer("jxc.supplier.risk.wizard", "action_confirm", [[action["res_id"]]])
        assert _state(risk_setup, order_id) == "purchase"
    finally:
        admin("res.company", "write", [[risk_setup["company"]], {"jxc_supplier_risk_action": "block"}])


def test_evaluations_not_writable_with_the_compute_key_over_xmlrpc(risk_setup):
    manager = risk_setup["users"]["jxc_manager"]
    domain = [["company_id", "=", risk_setup["company"]], ["period_type", "=", "month"], ["date_from", "=", "2020-01-01"]]
    period_ids = manager("jxc.supplier.period", "search", [domain]) or [
        manager("jxc.supplier.period", "create", [{"date_from": "2020-01-01", "period_type": "month"}])]
    risk_setup["periods"] += period_ids
    count = risk_setup["admin"]("jxc.supplier.evaluation", "search_count", [[["period_id", "in", period_ids]]])
    for context in ({}, HOSTILE_CONTEXT):
        with pytest.raises(xmlrpc.client.Fault, match="recompute the period"):
            manager("jxc.supplier.evaluation", "create", [{
                "period_id": period_ids[0], "partner_id": risk_setup["vendor"], "company_id": risk_setup["company"],
                "score": 99.0}], context=context)
    assert risk_setup["admin"]("jxc.supplier.evaluation", "search_count", [[["period_id", "in", period_ids]]]) == count
