"""Load test (bin/load): simulated users against Odoo in multi-process mode, over HTTP on the
loopback, as the web client calls it (/web/dataset/call_kw, /web/content), with and without the
PostgreSQL read replica.

Roles (of N users: 40 % counters, 30 % buyers, 30 % managers), each with a think time of
0.5-1.5 s between requests, first for a warm-up window that is not measured (Odoo's workers
load their registry and caches on their first requests, a replica just started reads its data
from disk: a server restart, not the load) and then for the measured window:
- counters enter counted quantities on their own started stocktake (jxc_set_counted, the scan
  screen's call) and reload the screen (jxc_scan_get_state);
- buyers open the purchase plan list and create RFQs: from plan lines when the plan has some,
  otherwise a draft RFQ of three products of one vendor;
- managers load the dashboard, an analysis list (first page), the ABC and supplier lists, and
  export the dashboard to Excel (the file comes in the answer to the export call);
- the scheduled actions of the add-on are made due when the measured window starts and run in
  Odoo's cron thread meanwhile;
- in one run per mode, a 5,000-line stocktake (counted, approved in the set-up) is posted while
  the users work: the counters' entries during the posting are reported apart.

Checks after each run: every count entered is on its line (the last value of each line), every
RFQ has the lines it was created with, every reordering rule that had a purchase-plan line
still has it (every rule the safety stock manages, when the plan refresh finished), every RFQ
that "Create RFQ" on a plan line opened holds a line of the line's product, the stocktake is
done with its adjustments; errors (HTTP or RPC) must be 0; serialization conflicts that Odoo
retried are counted in its log.
"""

import argparse
import base64
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from contextlib import closing, suppress
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[1]
THINK = (0.5, 1.5)


# --------------------------------------------------------------------------- set-up (ORM)
def _registry(config_path, db):
    import odoo  # noqa: PLC0415 (Odoo is loaded only for the set-up)
    from odoo.modules.registry import Registry  # noqa: PLC0415

    odoo.tools.config.parse_config(["-c", config_path, "-d", db, "--log-level=warn"])
    return Registry(db)


def setup(registry, counters, stocktake):
    """Committed: counters' started stocktakes (20 lines each, not the first warehouse), list
    specifications, and (``stocktake``) an approved 5,000-line plan; the add-on's crons to make
    due (``trigger_crons``) when the measured window starts."""
    from bench import operations  # noqa: PLC0415
    from odoo import SUPERUSER_ID, Command, api  # noqa: PLC0415

    with closing(registry.cursor()) as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        t0 = time.monotonic()
        prepared = operations.prepare(env)
        cr.commit()
        print("[load] set-up: %s (%.0f s)" % (prepared or "already prepared", time.monotonic() - t0), flush=True)
        warehouses = env["stock.warehouse"].search([("company_id", "=", env.company.id)], order="id")
        count_warehouses = warehouses[1:] or warehouses
        # The stocktakes still open (an earlier level's, the cycle-count cron's) are cancelled
        # first: a product is counted by one plan at a time.
        env["jxc.count.plan"].search([("state", "in", ("draft", "in_progress", "counted", "approved"))]).action_cancel()
        plans = []
        for i in range(counters):
            warehouse = count_warehouses[i % len(count_warehouses)]
            quants = env["stock.quant"].search([
                ("location_id", "child_of", warehouse.lot_stock_id.id), ("quantity", ">", 0), ("lot_id", "=", False),
            ], order="id", offset=20 * (i // len(count_warehouses)), limit=20)
            plan = env["jxc.count.plan"].create({
                "company_id": env.company.id, "warehouse_id": warehouse.id,
                "product_ids": [Command.set(quants.product_id.ids)], "blind": False, "count_type": "full",
            })
            plan.action_start()
            plans.append({"id": plan.id, "lines": plan.line_ids.ids,
                          "locations": plan.line_ids.location_id.ids})
        big = None
        if stocktake:
            t0 = time.monotonic()
            plan = operations.count_setup_counted(env).plan_id
            plan.action_submit()
            plan.action_approve()
            big = {"id": plan.id, "lines": len(plan.line_ids)}
            print("[load] set-up: stocktake %s of %d lines counted and approved (%.0f s)"
                  % (plan.name, big["lines"], time.monotonic() - t0), flush=True)
        crons = env["ir.cron"].search([("active", "=", True), ("ir_actions_server_id.model_id.model", "like", "jxc.%")])
        specs = {model: operations._list_specification(env, model, action)
                 for model, action, _domain in operations.ANALYSES}
        specs["jxc.abc.result"] = operations._list_specification(env, "jxc.abc.result", "jxc_addon.jxc_abc_result_action")
        specs["jxc.supplier.evaluation"] = operations._list_specification(
            env, "jxc.supplier.evaluation", "jxc_addon.jxc_supplier_evaluation_action")
        vendors = []
        for seller in env["product.supplierinfo"].search([("product_id", "!=", False)], limit=300, order="id"):
            vendors.append((seller.partner_id.id, seller.product_id.id))
        cr.commit()
        return {"plans": plans, "stocktake": big, "specs": specs, "vendor_products": vendors,
                "crons": crons.ids, "plan_rules": plan_rules(env)}


def plan_rules(env):
    """The ids of the reordering rules that have a purchase-plan line."""
    return set(env["jxc.purchase.plan"].search([]).orderpoint_id.ids)


def ordered_ids(answer):
    """The RFQs an answer of "Create RFQ" on a plan line opens (directly, or after its
    notification that some lines had nothing to order); none when nothing was ordered."""
    action = answer if isinstance(answer, dict) else {}
    action = action.get("params", {}).get("next") or action
    if action.get("res_model") != "purchase.order":
        return []
    return next((ids for field, _op, ids in action.get("domain") or [] if field == "id"), [])


def stock_up(registry):
    """Committed, while no server runs: storable products without more than one unit where
    the stocktake counts get ten, by Odoo's own inventory adjustment, so that it counts
    ``COUNT_LINES`` lines (the benchmark's count posts use up the stock of some products)."""
    from bench import operations  # noqa: PLC0415
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    with closing(registry.cursor()) as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        quants = operations._count_quants(env)
        missing = operations.COUNT_LINES - len(quants)
        if missing <= 0:
            return 0
        products = env["product.product"].search([
            ("is_storable", "=", True), ("tracking", "=", "none"), ("id", "not in", quants.product_id.ids),
            ("company_id", "in", (False, env.company.id)),
        ], order="id", limit=missing)
        location = operations._count_location(env)
        env["stock.quant"].with_context(inventory_mode=True).create([
            {"product_id": product.id, "location_id": location.id, "inventory_quantity": 10.0} for product in products
        ]).action_apply_inventory()
        cr.commit()
        return len(products)


def trigger_crons(registry, cron_ids):
    """Make the crons due now: Odoo's cron thread is woken up (NOTIFY) by the commit."""
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    with closing(registry.cursor()) as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        for cron in env["ir.cron"].browse(cron_ids):
            cron._trigger()
        cr.commit()


def verify(registry, data, entered, rfqs, plan_orders):
    """(lost count entries, lost RFQ lines, plan lines lost, RFQs from the plan without their
    line, stocktake state, crons finished) from the database. The plan lines checked are the
    ones at the start of the run, or every managed rule's when the plan refresh finished in it:
    (lost, checked)."""
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    with closing(registry.cursor()) as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        lost_counts = 0
        lines = env["jxc.count.line"].browse(list(entered))
        for line in lines:
            if line.counted_qty != entered[line.id]:
                lost_counts += 1
        lost_rfq_lines = 0
        for order_id, expected in rfqs:
            got = sorted((line.product_id.id, line.product_qty) for line in env["purchase.order"].browse(order_id).order_line)
            lost_rfq_lines += len(set(expected) - set(got))
        # every rule that had a plan line still has it (one per rule: a constraint of the table);
        # once the daily refresh has run to its end, every rule the safety stock manages has one
        checked = data["plan_rules"]
        refresh = env.ref("jxc_addon.ir_cron_jxc_purchase_plan_refresh")
        if refresh.lastcall and refresh.lastcall >= data["started"]:
            checked = set(env["stock.warehouse.orderpoint"].search([("jxc_rule_id", "!=", False)]).ids)
        plan_lines = (len(checked - plan_rules(env)), len(checked))
        # the RFQs a "Create RFQ" on a plan line opened hold a line of its product
        lost_plan_orders = 0
        for product_id, order_ids in plan_orders:
            if not env["purchase.order.line"].search_count(
                    [("order_id", "in", order_ids), ("product_id", "=", product_id)], limit=1):
                lost_plan_orders += 1
        stocktake = None
        if data["stocktake"]:
            plan = env["jxc.count.plan"].browse(data["stocktake"]["id"])
            stocktake = "%s, %d adjustment moves" % (plan.state, env["stock.move"].search_count(
                [("jxc_count_plan_id", "=", plan.id), ("state", "=", "done")]))
        crons = env["ir.cron"].browse(data["crons"])
        ran = sum(1 for cron in crons if cron.lastcall and cron.lastcall >= data["started"])
        return (lost_counts, lost_rfq_lines, plan_lines, lost_plan_orders, stocktake,
                "%d of %d" % (ran, len(crons)))


# --------------------------------------------------------------------------- users (HTTP)
class Client:
    def __init__(self, url, db):
        self.url, self.session = url, requests.Session()
        self.rpc("/web/session/authenticate", {"db": db, "login": "admin", "password": "admin"})

    def rpc(self, path, params, timeout=300):
        response = self.session.post(self.url + path, json={"jsonrpc": "2.0", "method": "call", "params": params},
                                     timeout=timeout)
        response.raise_for_status()
        body = response.json()
        if "error" in body:
            raise RuntimeError(body["error"]["data"].get("message") or body["error"]["message"])
        return body.get("result")

    def call(self, model, method, *args, **kwargs):
        return self.rpc("/web/dataset/call_kw/%s.%s" % (model, method),
                        {"model": model, "method": method, "args": list(args), "kwargs": kwargs})

    def button(self, model, method, ids, timeout=300):
        return self.rpc("/web/dataset/call_button/%s.%s" % (model, method),
                        {"model": model, "method": method, "args": [ids], "kwargs": {}}, timeout=timeout)


class Run:
    """One load level: N users for ``warm_up`` seconds not measured, then ``duration`` measured."""

    def __init__(self, url, db, data, users, duration, warm_up=0, on_measure=None):
        self.url, self.db, self.data, self.duration = url, db, data, duration
        self.warm_up, self.on_measure = warm_up, on_measure
        self.measure_from = None   # monotonic time the measured window starts
        self.samples = defaultdict(list)
        self.errors = defaultdict(int)
        self.error_messages = []
        self.entered = {}          # count line id -> last quantity entered
        self.rfqs = []             # (order id, [(product, qty)])
        self.plan_orders = []      # (product id, RFQ ids) of each "Create RFQ" on a plan line that ordered
        self.lock = threading.Lock()
        self.posting = None        # (start, end) of the stocktake posting
        counters = max(1, round(users * 0.4))
        buyers = max(1, round(users * 0.3))
        self.roles = ["counter"] * counters + ["buyer"] * buyers + ["manager"] * (users - counters - buyers)

    def timed(self, kind, func, *args, **kwargs):
        start = time.monotonic()
        try:
            result = func(*args, **kwargs)
        except Exception as error:  # noqa: BLE001 - every failure is counted and reported
            with self.lock:
                self.errors[kind] += 1
                self.error_messages.append("%s: %s" % (kind, str(error)[:200]))
            return None
        end = time.monotonic()
        if start < self.measure_from:
            return result   # the warm-up window: served, not measured
        with self.lock:
            self.samples[kind].append(end - start)
            if kind == "count entry" and self.posting and self.posting[0] <= start and (
                    self.posting[1] is None or end <= self.posting[1]):
                self.samples["count entry (during the stocktake post)"].append(end - start)
        return result

    def counter(self, index, client, deadline):
        plan = self.data["plans"][index]
        rng = random.Random(index)
        while time.monotonic() < deadline:
            line_id = rng.choice(plan["lines"])
            qty = float(rng.randint(0, 50))
            if self.timed("count entry", client.call, "jxc.count.plan", "jxc_set_counted", [plan["id"]], line_id, qty) is not None:
                with self.lock:
                    self.entered[line_id] = qty
            time.sleep(rng.uniform(*THINK))
            self.timed("count screen", client.call, "jxc.count.plan", "jxc_scan_get_state", [plan["id"]],
                       rng.choice(plan["locations"]))
            time.sleep(rng.uniform(*THINK))

    def buyer(self, index, client, deadline):
        rng = random.Random(1000 + index)
        vendors = defaultdict(list)
        for vendor, product in self.data["vendor_products"]:
            vendors[vendor].append(product)
        vendor_ids = sorted(v for v, products in vendors.items() if len(products) >= 3)
        while time.monotonic() < deadline:
            page = self.timed("purchase plan list", client.call, "jxc.purchase.plan", "web_search_read",
                              [("suggested_qty", ">", 0)], {"product_id": {"fields": {"display_name": {}}},
                                                           "suggested_qty": {}, "vendor_id": {}}, limit=80)
            time.sleep(rng.uniform(*THINK))
            vendor = rng.choice(vendor_ids)
            products = rng.sample(vendors[vendor], 3)
            lines = [(product, float(rng.randint(1, 20))) for product in products]
            order = self.timed("RFQ create", client.call, "purchase.order", "create", {
                "partner_id": vendor,
                "order_line": [(0, 0, {"product_id": product, "product_qty": qty}) for product, qty in lines],
            })
            if order:
                with self.lock:
                    self.rfqs.append((order, lines))
            records = (page or {}).get("records") or []
            if records and rng.random() < 0.3:
                record = rng.choice(records)
                answer = self.timed("RFQ from plan", client.button, "jxc.purchase.plan", "action_create_rfq",
                                    [record["id"]])
                order_ids = ordered_ids(answer)
                if order_ids:
                    with self.lock:
                        self.plan_orders.append((record["product_id"]["id"], order_ids))
            time.sleep(rng.uniform(*THINK))

    def manager(self, index, client, deadline):
        rng = random.Random(2000 + index)
        analyses = sorted(m for m in self.data["specs"] if m not in ("jxc.abc.result", "jxc.supplier.evaluation"))
        step = 0
        while time.monotonic() < deadline:
            kind = ("dashboard", "analysis", "ABC list", "supplier list", "Excel export")[step % 5]
            step += 1
            if kind == "dashboard":
                self.timed(kind, client.call, "jxc.dashboard", "get_dashboard_data", "month")
            elif kind == "analysis":
                model = rng.choice(analyses)
                self.timed(kind, client.call, model, "web_search_read", [], self.data["specs"][model], limit=80)
            elif kind == "ABC list":
                self.timed(kind, client.call, "jxc.abc.result", "web_search_read", [],
                           self.data["specs"]["jxc.abc.result"], limit=80)
            elif kind == "supplier list":
                self.timed(kind, client.call, "jxc.supplier.evaluation", "web_search_read", [],
                           self.data["specs"]["jxc.supplier.evaluation"], limit=80)
            else:
                self.timed(kind, self.export, client)
            time.sleep(rng.uniform(*THINK))

    def measure(self):
        time.sleep(max(0.0, self.measure_from - time.monotonic()))
        self.on_measure()

    def export(self, client):
        action = client.call("jxc.dashboard", "action_export_xlsx", "month")
        if not base64.b64decode(action["params"]["data"]).startswith(b"PK"):
            raise RuntimeError("the Excel download is not an .xlsx file")

    def post_stocktake(self, client, delay):
        time.sleep(delay)
        with self.lock:
            self.posting = (time.monotonic(), None)
        self.timed("stocktake post (%d lines)" % self.data["stocktake"]["lines"], client.button, "jxc.count.plan", "action_post",
                   [self.data["stocktake"]["id"]], timeout=900)
        with self.lock:
            self.posting = (self.posting[0], time.monotonic())

    def run(self):
        clients = [Client(self.url, self.db) for _ in self.roles]
        self.measure_from = time.monotonic() + self.warm_up
        deadline = self.measure_from + self.duration
        threads, seen = [], defaultdict(int)
        for role, client in zip(self.roles, clients, strict=True):
            target = getattr(self, role)
            threads.append(threading.Thread(target=target, args=(seen[role], client, deadline), daemon=True))
            seen[role] += 1
        if self.data["stocktake"]:
            threads.append(threading.Thread(target=self.post_stocktake, args=(Client(self.url, self.db), self.warm_up + 5),
                                            daemon=True))
        if self.on_measure:
            threads.append(threading.Thread(target=self.measure, daemon=True))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()


# --------------------------------------------------------------------------- server
def start_server(args, replica, log_path):
    conf = Path(args.runtime) / ("load-%s.conf" % ("replica" if replica else "primary"))
    subprocess.run([str(REPO / "bin" / "replica"), "conf", str(conf), "--workers", str(args.workers),
                    "--max-cron-threads", "1", "--http-port", str(args.port)], check=True, stdout=subprocess.DEVNULL)
    if not replica:
        text = conf.read_text()
        conf.write_text(re.sub(r"^db_replica_(host|port) = .*\n", "", text, flags=re.M))
    log = open(log_path, "wb")  # noqa: SIM115 (closed by stop_server)
    # its own process group: stopping it stops its workers too, even one busy with a long request
    server = subprocess.Popen([sys.executable, str(Path(args.runtime) / "odoo/usr/bin/odoo"), "-c", str(conf),
                               "-d", args.db, "--db-filter", "^%s$" % args.db], stdout=log, stderr=subprocess.STDOUT,
                              start_new_session=True)
    url = "http://127.0.0.1:%s" % args.port
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if requests.get(url + "/web/login", timeout=10).status_code == 200:
                return server, log, url
        except requests.RequestException:
            pass
        if server.poll() is not None:
            break
        time.sleep(1)
    server.kill()
    raise SystemExit("[load] Odoo did not start (see %s)" % log_path)


def stop_server(server, log):
    os.killpg(server.pid, signal.SIGTERM)
    with suppress(subprocess.TimeoutExpired):
        server.wait(60)
    with suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGKILL)   # a worker still busy (a long posting) with it
    server.wait()
    log.close()


def percentile(values, pct):
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(pct / 100.0 * len(ordered) + 0.5) - 1))]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--config", required=True)
    parser.add_argument("--runtime", required=True)
    parser.add_argument("--users", default="10,25,50")
    parser.add_argument("--duration", type=int, default=45, help="seconds measured per level")
    parser.add_argument("--warm-up", type=int, default=15, help="seconds of load before the measured window")
    parser.add_argument("--workers", type=int, default=17)
    parser.add_argument("--port", type=int, default=8185)
    parser.add_argument("--modes", default="primary,replica")
    parser.add_argument("--stocktake-at", type=int, default=25, help="users of the run that posts the stocktake")
    parser.add_argument("--output", required=True)
    args = parser.parse_args(argv)
    registry = _registry(args.config, args.db)
    levels = [int(u) for u in args.users.split(",")]
    results = []
    for mode in args.modes.split(","):
        if args.stocktake_at in levels:
            print("[load] set-up: %d products stocked up for the stocktake" % stock_up(registry), flush=True)
        log_path = Path(args.runtime) / ("load-%s.log" % mode)
        server, log, url = start_server(args, mode == "replica", log_path)
        try:
            for users in levels:
                with_stocktake = users == args.stocktake_at
                data = setup(registry, max(1, round(users * 0.4)), with_stocktake)
                from odoo import fields  # noqa: PLC0415
                data["started"] = fields.Datetime.now()
                log.flush()
                log_offset = log_path.stat().st_size
                print("[load] %s: %d users, %d s warm-up, %d s measured%s" % (mode, users, args.warm_up, args.duration,
                                                          ", %d-line stocktake posted" % data["stocktake"]["lines"] if with_stocktake else ""),
                      flush=True)
                run = Run(url, args.db, data, users, args.duration, warm_up=args.warm_up,
                          on_measure=lambda data=data: trigger_crons(registry, data["crons"]))
                load_before = os.getloadavg()[0]
                run.run()
                load_after = os.getloadavg()[0]
                log.flush()
                with open(log_path, "rb") as handle:
                    handle.seek(log_offset)
                    text = handle.read().decode(errors="replace")
                retried = len(re.findall(r"tries left, try again", text))
                gave_up = len(re.findall(r"maximum number of tries reached", text))
                ro_fallback = len(re.findall(r"retrying with a read/write cursor", text))
                # Odoo's own jobs too (its procurement scheduler): a job that fails is retried later
                cron_failed = sorted(set(re.findall(r"Job '([^']+)' \(\d+\) failed", text)))
                lost_counts, lost_rfq, plan_lines, lost_plan_orders, stocktake, crons = verify(
                    registry, data, run.entered, run.rfqs, run.plan_orders)
                results.append({
                    "mode": mode, "users": users, "duration": args.duration,
                    "types": {kind: {"n": len(v), "p50": percentile(v, 50), "p95": percentile(v, 95),
                                     "mean": statistics.fmean(v) if v else 0.0}
                              for kind, v in sorted(run.samples.items())},
                    "errors": dict(run.errors), "error_messages": run.error_messages[:10],
                    "retried": retried, "gave_up": gave_up, "ro_fallback": ro_fallback, "cron_failed": cron_failed,
                    "lost_counts": lost_counts, "counts": len(run.entered), "lost_rfq_lines": lost_rfq,
                    "rfqs": len(run.rfqs), "plan_lines_lost": plan_lines[0], "plan_rules": plan_lines[1],
                    "plan_rfqs_lost": lost_plan_orders, "plan_rfqs": len(run.plan_orders),
                    "stocktake": stocktake, "crons": crons,
                    "load": "%.1f → %.1f" % (load_before, load_after),
                })
                write_report(args, results)
                print("[load]   " + json.dumps({k: results[-1][k] for k in (
                    "errors", "retried", "lost_counts", "lost_rfq_lines", "plan_lines_lost", "plan_rfqs_lost",
                    "stocktake", "crons", "cron_failed")}), flush=True)
        finally:
            stop_server(server, log)
    write_report(args, results)


def write_report(args, results):
    lines = [
        "# Load test (bin/load)", "",
        "Database `%s`, Odoo with %d workers and 1 cron thread, per level %d s of warm-up (not measured) then "
        "%d s measured with the add-on's crons made due at its start, users split 40 %% counters, "
        "30 %% buyers, 30 %% managers, think time %.1f-%.1f s, loopback HTTP (JSON-RPC as the web client). "
        "`replica`: `db_replica_host/port` set to a streaming replica (bin/replica), `primary`: no replica."
        % (args.db, args.workers, args.warm_up, args.duration, *THINK), "",
        "| mode | users | request type | n | p50 (s) | p95 (s) |", "|---|---|---|---|---|---|",
    ]
    for result in results:
        for kind, stats in result["types"].items():
            lines.append("| %s | %d | %s | %d | %.3f | %.3f |" % (
                result["mode"], result["users"], kind, stats["n"], stats["p50"], stats["p95"]))
    lines += ["", "| mode | users | errors | serialization conflicts retried (gave up) | read-only fallbacks | "
              "count entries lost / lines | RFQ lines lost / RFQs | plan lines lost / rules | "
              "RFQs from the plan without their line / RFQs | stocktake | add-on crons finished during the run | "
              "scheduled actions failed (retried later) | machine load (1 min, start → end) |",
              "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for result in results:
        lines.append("| %s | %d | %d | %d (%d) | %d | %d / %d | %d / %d | %d / %d | %d / %d | %s | %s | %s | %s |" % (
            result["mode"], result["users"], sum(result["errors"].values()), result["retried"], result["gave_up"],
            result["ro_fallback"], result["lost_counts"], result["counts"], result["lost_rfq_lines"], result["rfqs"],
            result["plan_lines_lost"], result["plan_rules"], result["plan_rfqs_lost"], result["plan_rfqs"],
            result["stocktake"] or "-", result["crons"], ", ".join(result.get("cron_failed") or []) or "0",
            result["load"]))
    messages = [m for result in results for m in result["error_messages"]]
    if messages:
        lines += ["", "Errors (first ones):", ""] + ["- %s" % m for m in messages[:20]]
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text("\n".join(lines) + "\n")
    print("[load] report written to %s" % args.output)


if __name__ == "__main__":
    main()
