"""Restore drill in the test suite: the add-on's data committed in the test database (a posted
stocktake with its adjustment moves, supplier evaluations, a safety-stock rule with its log)
is backed up (bin/backup: pg_dump -Fc and the filestore), restored into a new database
(bin/restore), Odoo starts on the copy, and every add-on table has the same number of rows.
The committed rows are removed afterwards (clean_db)."""

from contextlib import closing

from test_concurrency import _env, _setup, clean_db, registry  # noqa: F401 (pytest fixtures)

from bench.load_drill import drill
from odoo.tools import config


def test_backup_restore_drill(registry, clean_db):  # noqa: F811 (the fixtures imported above)
    ids = _setup(registry)
    with closing(registry.cursor()) as cr:
        env = _env(cr)
        plan = env["jxc.count.plan"].browse(ids["plan"])
        plan.action_post()
        env["jxc.supplier.period"].browse(ids["period"]).action_compute()
        rule = env["jxc.safety.stock.rule"].create({
            "name": "JXC Drill Rule", "company_id": env.company.id, "method": "fixed", "fixed_qty": 3.0,
            "product_id": ids["product"],
        })
        rule.action_compute_reordering_rules()
        cr.commit()
    before, after, timings = drill(config.rcfile, registry.db_name)
    for table in ("jxc_count_plan", "jxc_count_line", "stock_move (count plans)", "jxc_supplier_evaluation",
                  "jxc_supplier_evaluation_line", "jxc_safety_stock_rule", "jxc_safety_stock_log"):
        assert before[table] > 0, "the drill has no %s rows to compare" % table
    assert after == before
    assert set(timings) == {"backup", "dump size (MB)", "restore", "Odoo start on the copy"}
