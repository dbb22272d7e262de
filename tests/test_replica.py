"""The add-on on the topology companies run: Odoo in multi-process mode (workers) on a
PostgreSQL primary with a real streaming replica (pg_basebackup -R, bin/replica) and Odoo's
``db_replica_host``/``db_replica_port``.

The read-only entry points (``@api.readonly``) are served by the replica, writes by the
primary. Proof: with the replica's WAL replay paused, a committed change is seen by a write
request but not by the dashboard; once replay resumes the dashboard sees it, and without a
pause it sees a change committed a moment earlier within the measured lag.

The test copies its database into a private primary (bin/replica primary): a base backup of
it takes seconds, where one of the machine's shared cluster takes minutes.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import closing
from pathlib import Path

import psycopg2
import pytest
import requests

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tools import config

REPO = Path(__file__).resolve().parents[1]
RUNTIME = Path(os.environ.get("JXC_RUNTIME", REPO / ".runtime"))
# ends a wait for a change the replica would never replay: no measure of its speed
REPLAY_DEADLINE = 120

# The methods marked for the replica: (model, method, called on a record).
READONLY_ENTRY_POINTS = [
    ("jxc.dashboard", "get_dashboard_data", False),
    ("jxc.dashboard", "action_print_summary", False),
    ("jxc.supplier.period", "action_open_evaluations", True),
    ("res.partner", "action_jxc_open_supplier_evaluations", True),
    ("jxc.abc.profile", "action_view_results", True),
    ("jxc.abc.profile", "action_view_history", True),
    ("jxc.count.plan", "action_view_lines", True),
    ("jxc.count.plan", "action_view_moves", True),
    ("jxc.safety.stock.rule", "action_view_orderpoints", True),
    ("jxc.stock.warning.digest", "action_open_lines", True),
    ("jxc.supplier.evaluation", "action_print_scorecard", True),
    ("jxc.expiry.alert", "action_open_lots", True),
    # the Excel exports: the file comes in the answer, nothing is stored
    ("jxc.dashboard", "action_export_xlsx", False),
    ("jxc.sales.report", "action_export_xlsx", False),
    ("jxc.supplier.period", "action_export_ranking", True),
    ("jxc.abc.profile", "action_export_xlsx", True),
    ("jxc.count.plan", "action_export_xlsx", True),
]


def _db_name():
    return config["db_name"][0] if isinstance(config["db_name"], list) else config["db_name"]


def _free_port():
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _routed_readonly(registry, model, method):
    """What the web client's /web/dataset/call_kw route decides (web's DataSet._call_kw_readonly)."""
    for cls in registry[model].mro():
        function = getattr(cls, method, None)
        if function is not None and hasattr(function, "_readonly"):
            return function._readonly
    return False


def test_readonly_entry_points_write_nothing():
    """Each marked method is routed to the replica and runs in a read-only transaction (a
    write would fail there with ReadOnlySqlTransaction, as on a hot standby)."""
    registry = Registry(_db_name())
    with closing(registry.cursor()) as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env.company
        records = {
            "jxc.supplier.period": env["jxc.supplier.period"]._get_or_create_period(company, env.cr.now().date()),
            "res.partner": env["res.partner"].create({"name": "JXC Read-only Vendor", "supplier_rank": 1}),
            "jxc.abc.profile": env["jxc.abc.profile"].create({"name": "JXC Read-only Profile"}),
            "jxc.count.plan": env["jxc.count.plan"].create({
                "warehouse_id": env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1).id,
            }),
        }
        cr.flush()
        cr.execute("SET TRANSACTION READ ONLY")
        for model, method, on_record in READONLY_ENTRY_POINTS:
            assert _routed_readonly(registry, model, method), "%s.%s is not marked @api.readonly" % (model, method)
            recordset = env[model]
            if on_record:
                recordset = records.get(model) or recordset.new({})
            for period in ("month", "quarter", "year") if method == "get_dashboard_data" else (None,):
                result = getattr(recordset, method)(period) if period else getattr(recordset, method)()
                assert isinstance(result, dict)
            cr.flush()
        cr.rollback()


# --- the real topology -------------------------------------------------------------------


def _run(*args, env):
    subprocess.run([str(REPO / "bin" / "replica"), *args], env=env, check=True, stdout=subprocess.DEVNULL)


@pytest.fixture(scope="module")
def topology():
    db = _db_name()
    # in the system's temporary directory: the clusters run as the postgres user, who may not
    # reach a checkout inside a private directory (mktemp -d)
    base = Path(tempfile.mkdtemp(prefix="jxc-replica-test-"))
    base.chmod(0o755)
    ports = {"primary": _free_port(), "replica": _free_port(), "http": _free_port(), "gevent": _free_port()}
    env = dict(
        os.environ,
        JXC_PRIMARY_PORT=str(ports["primary"]), JXC_PRIMARY_DIR=str(base / "primary"),
        JXC_REPLICA_PORT=str(ports["replica"]), JXC_REPLICA_DIR=str(base / "replica"),
    )
    conf = base / "odoo.conf"
    server = None
    log = open(base / "odoo.log", "wb")  # noqa: SIM115 (closed at teardown)
    try:
        _run("primary", db, env=env)
        _run("start", env=env)
        _run("conf", str(conf), "--workers", "2", "--max-cron-threads", "0",
             "--http-port", str(ports["http"]), "--gevent-port", str(ports["gevent"]), env=env)
        odoo_bin = RUNTIME / "odoo" / "usr" / "bin" / "odoo"
        server = subprocess.Popen(
            [sys.executable, str(odoo_bin), "-c", str(conf), "-d", db, "--db-filter", "^%s$" % db],
            stdout=log, stderr=subprocess.STDOUT,
        )
        url = "http://127.0.0.1:%s" % ports["http"]
        deadline = time.monotonic() + 90
        while True:
            try:
                if requests.get(url + "/web/login", timeout=10).status_code == 200:
                    break
            except requests.RequestException:
                pass
            assert server.poll() is None, "Odoo did not start (see %s)" % (base / "odoo.log")
            assert time.monotonic() < deadline, "Odoo did not answer within 90 s (see %s)" % (base / "odoo.log")
            time.sleep(1)
        yield {"db": db, "url": url, "ports": ports, "env": env, "log": base / "odoo.log"}
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                server.kill()
        log.close()
        subprocess.run([str(REPO / "bin" / "replica"), "stop", "--remove"], env=env, check=False)
        subprocess.run([str(REPO / "bin" / "replica"), "stop-primary", "--remove"], env=env, check=False)
        subprocess.run(["rm", "-rf", str(base)], check=False)


class _Client:
    """One logged-in browser session, calling models as the web client does."""

    def __init__(self, url, db):
        self.url, self.session = url, requests.Session()
        result = self._post("/web/session/authenticate", {"db": db, "login": "admin", "password": "admin"})
        assert result["uid"], "admin/admin must log in"

    def _post(self, path, params):
        response = self.session.post(self.url + path, json={"jsonrpc": "2.0", "method": "call", "params": params},
                                     timeout=120)
        body = response.json()
        assert "error" not in body, body.get("error")
        return body["result"]

    def call(self, model, method, *args, **kwargs):
        return self._post("/web/dataset/call_kw/%s.%s" % (model, method),
                          {"model": model, "method": method, "args": list(args), "kwargs": kwargs})


def _replica_sql(topology, query):
    """As the postgres superuser on the replica (pausing replay needs it)."""
    port = topology["ports"]["replica"]
    out = subprocess.run(["su", "postgres", "-s", "/bin/sh", "-c", 'psql -p %s -qAtc "%s"' % (port, query)],
                         env={"PATH": os.environ["PATH"]}, check=True, capture_output=True, text=True)
    return out.stdout.strip()


def _primary(topology):
    return psycopg2.connect(host="127.0.0.1", port=topology["ports"]["primary"], dbname=topology["db"],
                            user=config["db_user"], password=config["db_password"])


def test_dashboard_served_by_the_replica(topology):
    client = _Client(topology["url"], topology["db"])
    company_id = client.call("res.company", "search", [], limit=1)[0]
    assert _replica_sql(topology, "select pg_is_in_recovery()") == "t"
    before = client.call("jxc.dashboard", "get_dashboard_data", "month")["company"]

    # Replay paused: the primary moves on, the replica stays where it was.
    _replica_sql(topology, "select pg_wal_replay_pause()")
    try:
        probe = "JXC Replica Probe %s" % uuid.uuid4().hex[:8]
        client.call("res.company", "write", [company_id], {"name": probe})   # a write: the primary
        with closing(_primary(topology)) as cnx, cnx.cursor() as cr:
            cr.execute("SELECT name FROM res_company WHERE id = %s", [company_id])
            assert cr.fetchone()[0] == probe
        data = client.call("jxc.dashboard", "get_dashboard_data", "month")
        assert data["company"] == before, "the dashboard read the primary, not the replica"
        assert data["tiles"] is not None
    finally:
        _replica_sql(topology, "select pg_wal_replay_resume()")

    # Replay resumed: the replica catches up and the dashboard shows the change (how fast is
    # bin/load's measure; the deadline only ends a wait that would never end).
    start = time.monotonic()
    while client.call("jxc.dashboard", "get_dashboard_data", "month")["company"] != probe:
        assert time.monotonic() - start < REPLAY_DEADLINE, "the replica never replayed the change"
        time.sleep(0.05)


def test_dashboard_sees_a_commit_of_a_moment_before(topology):
    """Without a pause, each change committed just before is seen by the dashboard, at once or
    once the replica replayed it (its lag is printed; bin/load measures it under load)."""
    client = _Client(topology["url"], topology["db"])
    company_id = client.call("res.company", "search", [], limit=1)[0]
    lags, stale = [], 0
    for attempt in range(10):
        name = "JXC Replica Fresh %s %s" % (attempt, uuid.uuid4().hex[:6])
        client.call("res.company", "write", [company_id], {"name": name})
        committed = time.monotonic()
        seen = client.call("jxc.dashboard", "get_dashboard_data", "month")["company"]
        if seen != name:
            stale += 1
            while seen != name:
                assert time.monotonic() - committed < REPLAY_DEADLINE, "the replica never replayed the change"
                time.sleep(0.01)
                seen = client.call("jxc.dashboard", "get_dashboard_data", "month")["company"]
        lags.append(time.monotonic() - committed)
    print("replica read-after-commit: %d of 10 dashboard calls saw the previous name; worst %.0f ms"
          % (stale, max(lags) * 1000))
