"""Scaling table of two benchmark results (e.g. S = 5 and S = 20).

    python -m bench.compare bench/results/bench_S5_<stamp>.json bench/results/bench_S20_<stamp>.json

For each operation measured in both: the median times, their ratio (the issue's target is
≤ 4.5 from S = 5 to S = 20, i.e. linear growth with a margin) and the SQL query counts (a
count that grows with the number of products means a per-record loop).
"""

import json
import sys


def compare(small_path, large_path):
    with open(small_path) as f:
        small = json.load(f)
    with open(large_path) as f:
        large = json.load(f)
    by_name = {op["name"]: op for op in small["operations"]}
    lines = [
        "| Operation | S=%g (s) | S=%g (s) | ratio | queries S=%g | queries S=%g |" % (
            small["scale"], large["scale"], small["scale"], large["scale"]),
        "|---|---:|---:|---:|---:|---:|",
    ]
    for op in large["operations"]:
        other = by_name.get(op["name"])
        for kind, label in (("run", ""), ("odoo", " — Odoo's figure")):
            if not other or kind not in op or kind not in other:
                continue
            a, b = other[kind], op[kind]
            ratio = b["median_s"] / a["median_s"] if a["median_s"] else 0.0
            lines.append("| %s%s | %.3f | %.3f | %.1f | %d | %d |" % (
                op["name"], label, a["median_s"], b["median_s"], ratio, a["queries"], b["queries"]))
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(compare(sys.argv[1], sys.argv[2]))
