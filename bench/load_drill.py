"""Restore drill: back up a database (bin/backup), restore it into a new database
(bin/restore), start Odoo on the copy (the registry loads, every module), and compare the
add-on's data row by row counts: every jxc_* table (evaluations, count plans and lines,
snapshots, rules, logs...) and the stock moves of count plans. The copy is dropped after.

    python -m bench.load_drill --db DB --config CONF [--output REPORT.md]
"""

import argparse
import subprocess
import sys
import tempfile
import time
from contextlib import suppress
from pathlib import Path

import psycopg2
import psycopg2.errors

REPO = Path(__file__).resolve().parents[1]


def _conf(config_path):
    values = {}
    for line in Path(config_path).read_text().splitlines():
        if "=" in line and not line.startswith("["):
            key, value = line.split("=", 1)
            values[key.strip()] = value.strip()
    return values


def addon_counts(config_path, db):
    """{table: rows} of the add-on's tables, and count-plan moves as "stock_move (count plans)"."""
    conf = _conf(config_path)
    cnx = psycopg2.connect(host=conf.get("db_host", "127.0.0.1"), port=conf.get("db_port", "5432"), dbname=db,
                           user=conf["db_user"], password=conf["db_password"])
    try:
        with cnx.cursor() as cr:
            cr.execute("""SELECT table_name FROM information_schema.tables
                           WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name LIKE 'jxc\\_%'
                           ORDER BY 1""")
            counts = {}
            for (table,) in cr.fetchall():
                cr.execute('SELECT count(*) FROM "%s"' % table)  # a name read from the catalogue
                counts[table] = cr.fetchone()[0]
            cr.execute("SELECT count(*) FROM stock_move WHERE jxc_count_plan_id IS NOT NULL")
            counts["stock_move (count plans)"] = cr.fetchone()[0]
            cr.execute("SELECT count(*) FROM ir_attachment WHERE store_fname IS NOT NULL")
            counts["ir_attachment (in the filestore)"] = cr.fetchone()[0]
        return counts
    finally:
        cnx.close()


def drill(config_path, db, python=sys.executable):
    """Back up, restore as ``<db>_drill``, start Odoo on it; returns (before, after, timings)."""
    copy = "%s_drill" % db
    timings = {}
    before = addon_counts(config_path, db)
    with tempfile.TemporaryDirectory() as folder:
        start = time.monotonic()
        subprocess.run([str(REPO / "bin" / "backup"), db, "--dir", folder], check=True, stdout=subprocess.DEVNULL)
        timings["backup"] = time.monotonic() - start
        dump = next(Path(folder).glob("*.dump"))
        timings["dump size (MB)"] = dump.stat().st_size / 1e6
        _drop(config_path, copy)
        start = time.monotonic()
        subprocess.run([str(REPO / "bin" / "restore"), str(dump), copy], check=True, stdout=subprocess.DEVNULL)
        timings["restore"] = time.monotonic() - start
    try:
        start = time.monotonic()
        odoo_bin = Path(_conf(config_path)["addons_path"].split(",")[0]).parents[4] / "bin" / "odoo"
        subprocess.run([python, str(odoo_bin), "-c", config_path, "-d", copy, "--stop-after-init", "--no-http",
                        "--log-level=warn"], check=True)
        timings["Odoo start on the copy"] = time.monotonic() - start
        after = addon_counts(config_path, copy)
    finally:
        _drop(config_path, copy)
    return before, after, timings


def _drop(config_path, db):
    conf = _conf(config_path)
    cnx = psycopg2.connect(host=conf.get("db_host", "127.0.0.1"), port=conf.get("db_port", "5432"), dbname="postgres",
                           user=conf["db_user"], password=conf["db_password"])
    cnx.autocommit = True
    try:
        with cnx.cursor() as cr:
            for _attempt in range(30):
                try:
                    cr.execute('DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % db)  # our own name
                    break
                except psycopg2.errors.InsufficientPrivilege:
                    # FORCE may not end a superuser's process, such as autovacuum analysing the
                    # restored copy; a plain DROP makes autovacuum step aside (else: in use, retried)
                    with suppress(psycopg2.errors.ObjectInUse):
                        cr.execute('DROP DATABASE IF EXISTS "%s"' % db)
                        break
                    time.sleep(1)
    finally:
        cnx.close()
    filestore = Path(conf["data_dir"]) / "filestore" / db
    subprocess.run(["rm", "-rf", str(filestore)], check=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--config", required=True)
    parser.add_argument("--output")
    args = parser.parse_args(argv)
    before, after, timings = drill(args.config, args.db)
    differ = {table for table in before.keys() | after.keys() if before.get(table) != after.get(table)}
    lines = ["", "## Restore drill (bin/backup, bin/restore)", "",
             "`%s` backed up and restored as `%s_drill`, Odoo started on the copy: %s. %s" % (
                 args.db, args.db, ", ".join("%s %.1f" % item for item in timings.items()),
                 "Every count equal." if not differ else "DIFFERENT: %s" % ", ".join(sorted(differ))), "",
             "| table | rows | rows after restore |", "|---|---|---|"]
    lines += ["| %s | %d | %d |" % (table, before[table], after.get(table, -1)) for table in sorted(before) if before[table]]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.output:
        with open(args.output, "a") as handle:
            handle.write(text)
    if differ:
        raise SystemExit("[drill] the restored database differs: %s" % ", ".join(sorted(differ)))


if __name__ == "__main__":
    main()
