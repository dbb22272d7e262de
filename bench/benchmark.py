"""Benchmark of the heavy operations on a generated database (see bench/generate.py).

    bin/bench S [--runs N] [--db NAME] [--only SUBSTRING]

Each registered operation is run the way a user triggers it (a button, a cron method, a
report opening) through the ORM, as the admin user, several times. Before each run the ORM
cache and all the registry's ormcaches are cleared; each run happens in its own transaction, which
is rolled back, so every run starts from the same data. Reported per operation: median and
all times, SQL queries (Odoo's counter, ``cursor.sql_log_count``), the Odoo process's peak
resident memory during the run, and beside it the **floor** (one hand-written SQL statement
computing the same aggregate: what PostgreSQL alone needs) and **Odoo's figure** (Odoo's own
equivalent operation, when there is one; the two are measured in turn, run after run, so
that the ratio does not measure the machine's drift between them). Results go to
bench/results/ as Markdown and JSON.

Registering an operation is one call, e.g. after merging a feature::

    register("ABC/XYZ recomputation, all products",
             lambda env: env["jxc.abc.profile"].search([])._action_compute(),
             floor=ABC_FLOOR_SQL, target="<= 2x floor, <= 10 s")

``run``/``odoo`` take ``env`` (and the value returned by ``setup``/``odoo_setup`` when given,
which is prepared untimed in the same transaction). ``floor`` is an SQL string or an
``odoo.tools.SQL`` (or a function of ``env`` returning one); ``%(date_from)s``-style placeholders get values from ``floor_params``.
"""

import argparse
import json
import os
import platform
import resource
import statistics
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

OPERATIONS = []
PREPARES = []
DEFAULT_RUNS = 3
RESULTS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results")


@dataclass
class Operation:
    name: str
    run: object = None
    setup: object = None
    floor: object = None
    floor_params: object = None
    odoo: object = None
    odoo_setup: object = None
    target: str = ""
    note: str = ""
    runs: int = 0
    results: dict = field(default_factory=dict)


def register(name, run=None, *, setup=None, floor=None, floor_params=None, odoo=None, odoo_setup=None,
             target="", note="", runs=0):
    """Add an operation to the benchmark (see the module docstring); return it."""
    op = Operation(name, run, setup, floor, floor_params, odoo, odoo_setup, target, note, runs)
    OPERATIONS.append(op)
    return op


def register_prepare(fn):
    """Add an idempotent preparation ``fn(env)`` run and committed once before the operations
    (e.g. the month-end snapshots or the default ABC profile a database has after its first
    scheduled runs); it returns a short description of what it did, or nothing."""
    PREPARES.append(fn)
    return fn


def run_prepares(registry, progress=print):
    for fn in PREPARES:
        with registry.cursor() as cr:
            t0 = time.perf_counter()
            done = fn(_fresh_env(registry, cr))
            cr.commit()
        if done:
            progress("[bench] prepared: %s (%.1f s)" % (done, time.perf_counter() - t0))


# ---------------------------------------------------------------------------- measuring
class _RssSampler:
    """Peak resident memory of this process while a block runs (sampled every 5 ms)."""

    def __init__(self):
        self.peak = 0
        self._stop = threading.Event()

    @staticmethod
    def current():
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    def _loop(self):
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, self.current())

    def __enter__(self):
        self.peak = self.current()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.current())


def _fresh_env(registry, cr):
    import odoo
    env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
    admin = env.ref("base.user_admin")
    env = odoo.api.Environment(cr, admin.id, {"lang": admin.lang or "en_US", "tz": admin.tz,
                                               "allowed_company_ids": admin.company_ids.ids})
    return env


def _measure_once(registry, fn, setup):
    """Time ``fn`` once in a transaction that is rolled back; -> (seconds, queries, peak RSS bytes)."""
    with registry.cursor() as cr:
        env = _fresh_env(registry, cr)
        data = setup(env) if setup else None
        items = len(data) if hasattr(data, "__len__") else None
        env.flush_all()
        env.invalidate_all()
        registry.clear_all_caches()
        count0 = cr.sql_log_count
        with _RssSampler() as rss:
            t0 = time.perf_counter()
            fn(env, data) if setup else fn(env)
            env.flush_all()
            elapsed = time.perf_counter() - t0
        queries = cr.sql_log_count - count0
        cr.rollback()
    return elapsed, queries, rss.peak, items


def _floor_setup(op):
    """Untimed: the floor's statement with its parameters (which may need the ORM)."""
    def setup(env):
        query = op.floor(env) if callable(op.floor) else op.floor
        params = op.floor_params(env) if callable(op.floor_params) else (op.floor_params or {})
        return _Statement(query, params)
    return setup


class _Statement:
    def __init__(self, query, params):
        self.query, self.params = query, params


def _floor_run(env, statement):
    from odoo.tools import SQL
    if isinstance(statement.query, SQL):
        env.cr.execute(statement.query)
    else:
        env.cr.execute(statement.query, statement.params)
    env.cr.fetchall()


def _measure(registry, fn, setup, runs):
    return _summarise([_measure_once(registry, fn, setup) for _i in range(runs)])


def _measure_pairs(registry, op, runs):
    """The operation and Odoo's own equivalent measured in turn, run after run: this machine's
    speed drifts (Odoo's same recomputation took 28 s and 21 s an hour apart), and a ratio
    of figures measured minutes apart would measure the drift."""
    ours, odoo = [], []
    for _i in range(runs):
        ours.append(_measure_once(registry, op.run, op.setup))
        odoo.append(_measure_once(registry, op.odoo, op.odoo_setup))
    return _summarise(ours), _summarise(odoo)


def _summarise(samples):
    times = [s[0] for s in samples]
    return {
        "median_s": statistics.median(times),
        "times_s": [round(t, 4) for t in times],
        "queries": max(s[1] for s in samples),
        "peak_rss_mb": round(max(s[2] for s in samples) / 2**20, 1),
        "items": samples[0][3],
    }


def run_benchmark(registry, runs=None, only=None, progress=print, skip=None, on_result=None):
    selected = [op for op in OPERATIONS if (not only or only.lower() in op.name.lower())
                and not any(part.strip().lower() in op.name.lower() for part in (skip or "").split(",") if part.strip())]
    for op in selected:
        n = runs or op.runs or DEFAULT_RUNS
        progress("[bench] %s (%d runs)" % (op.name, n))
        if op.run and op.odoo:
            op.results["run"], op.results["odoo"] = _measure_pairs(registry, op, n)
        elif op.run:
            op.results["run"] = _measure(registry, op.run, op.setup, n)
        if op.floor is not None:
            op.results["floor"] = _measure(registry, _floor_run, _floor_setup(op), n)
        progress("[bench]   %s" % {k: (v["median_s"], v["queries"]) for k, v in op.results.items()})
        if on_result:
            on_result([o for o in selected if o.results])
    return selected


# ---------------------------------------------------------------------------- reporting
def machine_info():
    mem = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem = int(line.split()[1]) * 1024
    cpu = platform.processor()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")), cpu)
    except OSError:
        pass
    return {"cores": os.cpu_count(), "memory_gb": round(mem / 2**30, 1), "cpu": cpu,
            "python": platform.python_version(), "platform": platform.platform(),
            "load_avg": [round(x, 2) for x in os.getloadavg()]}


def dataset_info(registry):
    from bench.generate import summary
    with registry.cursor() as cr:
        import odoo
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        info = summary(env)
        cr.execute("SELECT count(*) FROM res_partner WHERE supplier_rank > 0")
        info["vendors"] = cr.fetchone()[0]
        cr.execute("SELECT count(*) FROM stock_quant")
        info["quants"] = cr.fetchone()[0]
        cr.execute("SELECT count(*) FROM stock_warehouse_orderpoint")
        info["reordering_rules"] = cr.fetchone()[0]
        cr.execute("SHOW server_version")
        info["postgresql"] = cr.fetchone()[0]
        info["odoo"] = odoo.release.version
    return info


def _fmt_s(value):
    if value is None:
        return ""
    return "%.3f" % value if value < 10 else "%.1f" % value


def markdown(ops, scale, machine, data, runs):
    lines = [
        "### Benchmark at S = %g (%s products, %s done moves, %s vendors, %s quants, %s reordering rules)"
        % (scale, data["products"], data["done_moves"], data["vendors"], data["quants"], data["reordering_rules"]),
        "",
        "Machine: %s cores, %s GB, %s (load average %s at the end); PostgreSQL %s, Odoo %s; median of %s runs, "
        "ORM and registry caches cleared before each." % (
            machine["cores"], machine["memory_gb"], machine["cpu"], machine["load_avg"][1], data["postgresql"],
            data["odoo"], runs),
        "",
        "| Operation | Time (s) | Queries | Peak RSS (MB) | Floor SQL (s) | × floor | Odoo's figure (s) "
        "| × Odoo | Target |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for op in ops:
        r, f, o = op.results.get("run"), op.results.get("floor"), op.results.get("odoo")
        ratio_f = "%.1f" % (r["median_s"] / f["median_s"]) if r and f and f["median_s"] else ""
        ratio_o = "%.2f" % (r["median_s"] / o["median_s"]) if r and o and o["median_s"] else ""
        main = r or o
        items = [x["items"] for x in (r, o) if x and x.get("items") is not None]
        label = op.name + (" (n = %s)" % ", ".join(str(i) for i in items) if items else "")
        measured = len(main["times_s"]) if main else runs
        notes = [op.note] if op.note else []
        if measured != runs:
            notes.append("%d run%s" % (measured, "" if measured == 1 else "s"))
        if r and o:
            notes.append("in turn with Odoo's")
        lines.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            label + (" — " + ", ".join(notes) if notes else ""),
            _fmt_s(r["median_s"]) if r else "",
            main["queries"] if main else "", main["peak_rss_mb"] if main else "",
            _fmt_s(f["median_s"]) if f else "", ratio_f,
            ("%s (%d q)" % (_fmt_s(o["median_s"]), o["queries"])) if o else "", ratio_o, op.target))
    return "\n".join(lines) + "\n"


def write_results(ops, scale, runs, registry, base=None):
    """Write the table and JSON (to ``base`` .md/.json, by default a new time-stamped name)."""
    machine, data = machine_info(), dataset_info(registry)
    os.makedirs(RESULTS_DIR, exist_ok=True)
    stamp = datetime.utcnow().strftime("%Y%m%dT%H%M%SZ")
    base = base or os.path.join(RESULTS_DIR, "bench_S%s_%s" % (("%g" % scale).replace(".", "_"), stamp))
    md = markdown(ops, scale, machine, data, runs)
    payload = {
        "scale": scale, "date": stamp, "runs": runs, "machine": machine, "dataset": data,
        "max_rss_mb_process": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "operations": [{"name": op.name, "note": op.note, "target": op.target, **op.results} for op in ops],
    }
    with open(base + ".md", "w") as f:
        f.write(md)
    with open(base + ".json", "w") as f:
        json.dump(payload, f, indent=1)
    return base, md


def merge_results(files, scale):
    """One table and JSON from the JSON files of several runs at the same scale (e.g. a long
    operation run in parallel with the others): operations in the order they first appear,
    a later file's measure of an operation replacing an earlier one's; machine load is the
    highest load averages of the runs."""
    payloads = []
    for path in files:
        with open(path) as f:
            payloads.append(json.load(f))
    merged, order = {}, []
    for payload in payloads:
        for op in payload["operations"]:
            if op["name"] not in merged:
                order.append(op["name"])
            merged[op["name"]] = op
    ops = []
    for name in order:
        data = merged[name]
        op = Operation(name, note=data.get("note", ""), target=data.get("target", ""))
        op.results = {k: data[k] for k in ("run", "floor", "odoo") if k in data}
        ops.append(op)
    last = payloads[-1]
    machine = dict(last["machine"])
    machine["load_avg"] = [max(p["machine"]["load_avg"][i] for p in payloads) for i in range(3)]
    runs = max(p["runs"] for p in payloads)
    md = markdown(ops, scale, machine, last["dataset"], runs)
    stamp = datetime.utcnow().strftime("%Y%m%dT%H%M%SZ")
    base = os.path.join(RESULTS_DIR, "bench_S%s_%s" % (("%g" % scale).replace(".", "_"), stamp))
    payload = {"scale": scale, "date": stamp, "runs": runs, "machine": machine, "dataset": last["dataset"],
               "merged_from": [os.path.basename(p) for p in files],
               "max_rss_mb_process": max(p.get("max_rss_mb_process", 0) for p in payloads),
               "operations": [{"name": op.name, "note": op.note, "target": op.target, **op.results} for op in ops]}
    with open(base + ".md", "w") as f:
        f.write(md)
    with open(base + ".json", "w") as f:
        json.dump(payload, f, indent=1)
    return base, md


# ---------------------------------------------------------------------------- operations
# Odoo's own figures, reusable as ``odoo=`` of a feature operation.
def odoo_replenishment_open(env):
    """Menu Inventory > Operations > Replenishment: the server action (which creates the manual
    rules), then the list's first page with its default filters "To Reorder" and "Not Snoozed"."""
    orderpoints = env["stock.warehouse.orderpoint"]
    orderpoints.action_open_orderpoints()
    domain = [("qty_to_order", ">", 0.0), "|", ("snoozed_until", "=", False),
              ("snoozed_until", "<=", datetime.utcnow().date())]
    orderpoints.search_fetch(domain, [
        "product_id", "location_id", "warehouse_id", "route_id", "trigger", "qty_on_hand", "qty_forecast",
        "product_min_qty", "product_max_qty", "qty_to_order", "replenishment_uom_id", "deadline_date"], limit=80)


def select_count_quants(env, limit=5000):
    """Untimed setup of a count: ``limit`` quants of the stock locations get a counted quantity
    (every third one off by one unit), as counters would enter them; returns the quants."""
    quants = env["stock.quant"].search([("location_id.usage", "=", "internal"), ("quantity", ">", 1)],
                                       order="id", limit=limit)
    quants = quants.with_context(inventory_mode=True)
    for i, quant in enumerate(quants):
        quant.inventory_quantity = quant.quantity + (0, 1, -1)[i % 3]
    quants.flush_recordset()
    return quants


def odoo_inventory_apply(env, quants):
    """Inventory > Physical Inventory: select the counted lines, Apply."""
    result = quants.with_context(inventory_mode=True).action_apply_inventory()
    if result:  # conflict wizard or another action: the apply did not happen
        raise RuntimeError("inventory apply returned an action instead of applying: %s" % result.get("res_model"))


def _last_12_months(env):
    today = datetime.utcnow().replace(hour=0, minute=0, second=0, microsecond=0)
    return {"date_from": today - timedelta(days=365), "date_to": today}


def consumption_read_group(env):
    """Consumption per product over 12 months through the ORM (deliveries minus customer returns)."""
    p = _last_12_months(env)
    move = env["stock.move"]
    base = [("state", "=", "done"), ("date", ">=", p["date_from"]), ("date", "<", p["date_to"])]
    move._read_group(base + [("location_dest_usage", "=", "customer")], ["product_id"], ["product_qty:sum"])
    move._read_group(base + [("location_usage", "=", "customer")], ["product_id"], ["product_qty:sum"])


CONSUMPTION_FLOOR = """
    SELECT m.product_id,
           sum(CASE WHEN ld.usage = 'customer' THEN m.product_qty ELSE -m.product_qty END)
      FROM stock_move m
      JOIN stock_location ls ON ls.id = m.location_id
      JOIN stock_location ld ON ld.id = m.location_dest_id
     WHERE m.state = 'done' AND m.date >= %(date_from)s AND m.date < %(date_to)s
       AND (ld.usage = 'customer') <> (ls.usage = 'customer')
     GROUP BY m.product_id
"""

STOCK_VALUE_FLOOR = """
    SELECT q.product_id, sum(q.quantity) * max(coalesce((pp.standard_price->>%(company)s)::numeric, 0))
      FROM stock_quant q
      JOIN stock_location l ON l.id = q.location_id AND l.usage = 'internal'
      JOIN product_product pp ON pp.id = q.product_id
     GROUP BY q.product_id
"""


def stock_value_orm(env):
    """On-hand quantity and value of every storable product, as the stock valuation list computes it."""
    products = env["product.product"].search([("is_storable", "=", True)])
    products.fetch(["standard_price"])
    for product in products:
        product.qty_available * product.standard_price  # noqa: B018 - computing is the point


# Odoo's replenishment report and inventory apply are measured beside the add-on's safety
# stock and count posting (bench/operations.py).
register("Consumption per product, 12 months (ORM _read_group)", consumption_read_group,
         floor=CONSUMPTION_FLOOR, floor_params=_last_12_months)
register("On-hand quantity × cost per storable product (ORM)", stock_value_orm, floor=STOCK_VALUE_FLOOR,
         floor_params=lambda env: {"company": str(env.company.id)})


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scale", type=float)
    parser.add_argument("--db", required=True)
    parser.add_argument("--config", required=True)
    parser.add_argument("--runs", type=int, help="runs of every operation (default: %d, or the operation's own, "
                        "e.g. 1 for the minutes-long ones)" % DEFAULT_RUNS)
    parser.add_argument("--only")
    parser.add_argument("--skip", help="leave out the operations whose name contains this (several: comma-separated)")
    parser.add_argument("--merge", nargs="+", metavar="JSON",
                        help="write one table from the JSON files of runs made in parallel (later files win)")
    args = parser.parse_args(argv)
    if args.merge:
        base, md = merge_results(args.merge, args.scale)
        print(md)
        print("[bench] written %s.md and %s.json" % (base, base))
        return
    import odoo
    from odoo.modules.registry import Registry
    odoo.tools.config.parse_config(["-c", args.config, "-d", args.db, "--log-level=warn"])
    registry = Registry(args.db)
    from bench.operations import register_operations
    register_operations(sys.modules[__name__])
    run_prepares(registry, progress=lambda m: print(m, flush=True))
    stamp = datetime.utcnow().strftime("%Y%m%dT%H%M%SZ")
    # The process id keeps apart the files of runs started in parallel in the same second.
    base = os.path.join(RESULTS_DIR, "bench_S%s_%s_%d" % (("%g" % args.scale).replace(".", "_"), stamp, os.getpid()))
    # Results are rewritten after each operation: a long run cut short keeps what it measured.
    ops = run_benchmark(registry, runs=args.runs, only=args.only, skip=args.skip,
                        progress=lambda m: print(m, flush=True),
                        on_result=lambda done: write_results(done, args.scale, args.runs or DEFAULT_RUNS, registry, base))
    base, md = write_results(ops, args.scale, args.runs or DEFAULT_RUNS, registry, base)
    print(md)
    print("[bench] written %s.md and %s.json" % (base, base))


if __name__ == "__main__":
    sys.exit(main())
