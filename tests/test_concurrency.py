"""Two real transactions at once on the test database: count posting, closing a supplier
evaluation period and the nightly supplier recomputation stay correct (exactly one set of
adjustments / evaluations; the second transaction fails cleanly or skips, never doubles).

Unlike the add-on's tests these COMMIT: every row they add is removed at the end (rows
with an id above the watermark taken before the test, in every table of the database).
"""

import logging
from contextlib import closing
from datetime import timedelta

import psycopg2
import pytest
from freezegun import freeze_time

from odoo import SUPERUSER_ID, api
from odoo.addons.jxc_addon.tools.company_day import company_today, local_date
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command
from odoo.modules.registry import Registry
from odoo.tools import SQL, config


@pytest.fixture(scope="module")
def registry():
    db = config["db_name"][0] if isinstance(config["db_name"], list) else config["db_name"]
    return Registry(db)


def _env(cr):
    return api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})


def _tables(cr):
    cr.execute("""
        SELECT c.table_name FROM information_schema.columns c
          JOIN information_schema.tables t ON t.table_name = c.table_name AND t.table_schema = c.table_schema
         WHERE c.table_schema = 'public' AND c.column_name = 'id' AND c.data_type = 'integer'
           AND t.table_type = 'BASE TABLE'
    """)
    return [row[0] for row in cr.fetchall()]


def _watermarks(cr):
    tables = _tables(cr)
    query = SQL(" UNION ALL ").join(
        SQL("SELECT %s, COALESCE(MAX(id), 0) FROM %s", table, SQL.identifier(table)) for table in tables
    )
    cr.execute(query)
    return dict(cr.fetchall())


@pytest.fixture
def clean_db(registry):
    """Remove every row committed during the test (FK order found by retrying)."""
    with closing(registry.cursor()) as cr:
        marks = _watermarks(cr)
    yield
    with closing(registry.cursor()) as cr:
        pending = [t for t, top in _watermarks(cr).items() if top > marks.get(t, 0)]
        for _attempt in range(20):
            failed = []
            for table in pending:
                try:
                    with cr.savepoint(flush=False):
                        cr.execute(SQL("DELETE FROM %s WHERE id > %s", SQL.identifier(table), marks.get(table, 0)))
                except Exception:  # noqa: BLE001 - a row still referenced: delete it in the next pass
                    failed.append(table)
            pending = failed
            if not pending:
                break
        assert not pending, "could not remove the test's rows from %s" % pending
        cr.commit()
    registry.clear_cache()


def _validate(picking):
    """``picking`` processed in full and validated, as a warehouse user does."""
    for move in picking.move_ids:
        move.quantity = move.product_uom_qty
        move.picked = True
    picking.button_validate()
    assert picking.state == "done"
    return picking


def _setup(registry):
    """Committed fixtures: a product with 10 on hand received from a vendor this month,
    an approved count plan counting 8, and this month's supplier evaluation period."""
    with closing(registry.cursor()) as cr:
        env = _env(cr)
        company = env.ref("base.main_company")
        warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
        vendor = env["res.partner"].create({"name": "JXC Concurrency Vendor", "supplier_rank": 1})
        product = env["product.product"].create({
            "name": "JXC Concurrency Widget", "type": "consu", "is_storable": True, "standard_price": 5.0,
            "default_code": "JXC-CONC-1",
            "seller_ids": [Command.create({"partner_id": vendor.id, "price": 5.0, "delay": 1})],
        })
        order = env["purchase.order"].create({
            "partner_id": vendor.id, "picking_type_id": warehouse.in_type_id.id,
            "order_line": [Command.create({"product_id": product.id, "product_qty": 10.0, "price_unit": 5.0})],
        })
        order.button_confirm()
        picking = _validate(order.picking_ids)
        plan = env["jxc.count.plan"].create({
            "warehouse_id": warehouse.id, "product_ids": [Command.set(product.ids)], "blind": False,
        })
        plan.action_start()
        plan.line_ids.counted_qty = 8.0
        plan.action_submit()
        plan.line_ids.filtered(lambda line: line.review_state == "to_review").reason_id = (
            env["jxc.count.reason"]._get_defaults(company)[False])
        plan.action_approve()
        # the month of the receipt in the company's calendar, as periods are
        period = env["jxc.supplier.period"]._get_or_create_period(company, local_date(company, picking.date_done))
        cr.commit()
        return {"plan": plan.id, "product": product.id, "vendor": vendor.id, "period": period.id}


def test_count_posted_once_under_concurrent_post(registry, clean_db):
    ids = _setup(registry)
    with closing(registry.cursor()) as cr_a, closing(registry.cursor()) as cr_b:
        plan_a = _env(cr_a)["jxc.count.plan"].browse(ids["plan"])
        assert plan_a.action_post() is True            # posts, transaction A still open (row locked)
        plan_b = _env(cr_b)["jxc.count.plan"].browse(ids["plan"])
        with pytest.raises(UserError, match="being posted by another user"):
            plan_b.action_post()                          # fails at once, nothing written
        cr_a.commit()
        cr_b.rollback()
        # B tries again after A committed: the plan is done, nothing more is posted.
        plan_b.invalidate_recordset()
        assert plan_b.action_post() is False
        cr_b.commit()
    with closing(registry.cursor()) as cr:
        env = _env(cr)
        moves = env["stock.move"].search([("jxc_count_plan_id", "=", ids["plan"])])
        assert len(moves) == 1 and moves.state == "done" and moves.product_qty == 2.0
        product = env["product.product"].browse(ids["product"])
        assert product.qty_available == 8.0
        assert env["jxc.count.plan"].browse(ids["plan"]).state == "done"


def _after_the_period(registry, ids):
    """A moment after the fixture's period has ended: a period is closed once it has."""
    with closing(registry.cursor()) as cr:
        period = _env(cr)["jxc.supplier.period"].browse(ids["period"])
        return freeze_time(period.date_to + timedelta(days=2))


def test_period_close_and_compute_serialised(registry, clean_db):
    ids = _setup(registry)
    with _after_the_period(registry, ids), closing(registry.cursor()) as cr_a, closing(registry.cursor()) as cr_b:
        period_a = _env(cr_a)["jxc.supplier.period"].browse(ids["period"])
        period_a.action_compute()                       # A computes and holds the period
        period_b = _env(cr_b)["jxc.supplier.period"].browse(ids["period"])
        with pytest.raises(UserError, match="being computed or closed by another user"):
            period_b.action_close()
        with pytest.raises(UserError, match="being computed or closed by another user"):
            period_b.action_compute()
        cr_b.rollback()
        cr_a.commit()
        # Now B closes; a compute in A after that commit sees the closed state and refuses.
        period_b.invalidate_recordset()
        period_b.action_close()
        cr_b.commit()
        period_a.invalidate_recordset()
        with pytest.raises(UserError, match="is closed and cannot change"):
            period_a.action_compute()
        cr_a.rollback()
    with closing(registry.cursor()) as cr:
        period = _env(cr)["jxc.supplier.period"].browse(ids["period"])
        assert period.state == "closed"
        evaluations = period.evaluation_ids.filtered(lambda e: e.partner_id.id == ids["vendor"])
        assert len(evaluations) == 1 and evaluations.line_ids


def test_cron_skips_a_period_computed_concurrently(registry, clean_db, caplog):
    ids = _setup(registry)
    with closing(registry.cursor()) as cr_a, closing(registry.cursor()) as cr_b:
        period_a = _env(cr_a)["jxc.supplier.period"].browse(ids["period"])
        period_a.action_compute()                       # a manager computes (not committed yet)
        with caplog.at_level(logging.ERROR, logger="odoo.addons.jxc_addon.models.jxc_supplier_period"):
            # The nightly job meanwhile, committing per period as the scheduler does.
            _env(cr_b)["jxc.supplier.period"]._cron_compute_supplier_evaluations(use_new_cursor=True)
        assert any("failed; skipped" in record.getMessage() for record in caplog.records)
        cr_a.commit()
        cr_b.commit()
    with closing(registry.cursor()) as cr:
        env = _env(cr)
        Evaluation = env["jxc.supplier.evaluation"]
        domain = [("period_id", "=", ids["period"]), ("partner_id", "=", ids["vendor"])]
        first = Evaluation.search(domain)
        assert len(first) == 1
        lines_before = sorted((line.criterion_id.id, line.score) for line in first.line_ids)
        # Re-running the job later is idempotent: the same single evaluation, same scores.
        env["jxc.supplier.period"].browse(ids["period"]).computed_at = False
        env["jxc.supplier.period"]._cron_compute_supplier_evaluations(use_new_cursor=True)
        again = Evaluation.search(domain)
        assert again == first
        assert sorted((line.criterion_id.id, line.score) for line in again.line_ids) == lines_before
        cr.commit()


def test_stock_history_rebuilt_by_one_transaction_at_a_time(registry, clean_db):
    """Rebuild from Moves while another user rebuilds, or while the monthly action records a
    month: the second is refused at once (never a month end deleted and inserted twice)."""
    _setup(registry)
    with closing(registry.cursor()) as cr_a, closing(registry.cursor()) as cr_b:
        env_a, env_b = _env(cr_a), _env(cr_b)
        env_a["jxc.inventory.snapshot"].action_backfill()          # A rebuilds, not committed yet
        company = env_b.ref("base.main_company")
        refused = f"The stock history of {company.name} is being rebuilt right now"
        with pytest.raises(UserError, match=refused):
            env_b["jxc.inventory.snapshot"].action_backfill()
        cr_b.rollback()
        month_end = company_today(company).replace(day=1) - timedelta(days=1)
        with pytest.raises(UserError, match=refused):           # the monthly action's step (logged and skipped)
            env_b["jxc.inventory.snapshot"]._take_snapshot_step((company, [month_end], True))
        cr_b.rollback()
        cr_a.commit()
        env_b["jxc.inventory.snapshot"].action_backfill()          # once A committed
        cr_b.rollback()


def test_plan_ordered_once_under_concurrent_create_rfq(registry, clean_db):
    """Two buyers press Create RFQs on the same plan line at once: one RFQ line, never two."""
    with closing(registry.cursor()) as cr:
        env = _env(cr)
        company = env.ref("base.main_company")
        vendor = env["res.partner"].create({"name": "JXC Concurrent RFQ Vendor", "supplier_rank": 1})
        product = env["product.product"].create({
            "name": "JXC Concurrent RFQ Widget", "type": "consu", "is_storable": True, "standard_price": 5.0,
            "seller_ids": [Command.create({"partner_id": vendor.id, "price": 5.0, "delay": 1})],
        })
        rule = env["jxc.safety.stock.rule"].create({
            "name": "JXC Concurrent RFQ", "product_id": product.id, "method": "fixed", "fixed_qty": 12.0,
            "company_id": company.id,
        })
        rule.action_compute_reordering_rules()
        line = env["jxc.purchase.plan"].search([("product_id", "=", product.id)])
        line_id, product_id, suggested = line.id, product.id, line.suggested_qty
        assert suggested > 0
        cr.commit()
    with closing(registry.cursor()) as cr_a, closing(registry.cursor()) as cr_b:
        buyer_a = api.Environment(cr_a, _env(cr_a).ref("base.user_admin").id, {"tracking_disable": True})
        buyer_b = api.Environment(cr_b, _env(cr_b).ref("base.user_admin").id, {"tracking_disable": True})
        buyer_a["jxc.purchase.plan"].browse(line_id).action_create_rfq()     # A orders, not committed yet
        line_b = buyer_b["jxc.purchase.plan"].browse(line_id)
        with pytest.raises(UserError, match="being ordered by another user"):
            line_b.action_create_rfq()                                       # B is told to wait
        cr_a.commit()
        # B's transaction read the line before A committed: Odoo retries such a request.
        with pytest.raises(psycopg2.errors.SerializationFailure):
            line_b.action_create_rfq()
        cr_b.rollback()
        line_b.invalidate_recordset()
        assert line_b.action_create_rfq()["params"]["title"] == "Nothing to order"  # the retry
        cr_b.commit()
    with closing(registry.cursor()) as cr:
        lines = _env(cr)["purchase.order.line"].search([("product_id", "=", product_id)])
        assert len(lines) == 1 and lines.order_id.state == "draft" and lines.product_qty == suggested


def test_overlapping_plans_started_at_once_count_once(registry, clean_db):
    """Two plans of the same product and location started at once, each transaction having read
    its plan before the other committed: the second cannot start (Odoo retries it with fresh
    data, where the overlap is found), so the difference is never posted twice."""
    ids = _setup(registry)
    with closing(registry.cursor()) as cr:
        env = _env(cr)
        done = env["jxc.count.plan"].browse(ids["plan"])
        done.action_post()                               # the fixture's count: 8 on hand now
        warehouse = done.warehouse_id
        plans = env["jxc.count.plan"].create([
            {"warehouse_id": warehouse.id, "product_ids": [Command.set([ids["product"]])], "blind": False}
            for _i in range(2)
        ])
        cr.commit()
    with closing(registry.cursor()) as cr_a, closing(registry.cursor()) as cr_b:
        plan_a = _env(cr_a)["jxc.count.plan"].browse(plans[0].id)
        plan_b = _env(cr_b)["jxc.count.plan"].browse(plans[1].id)
        assert plan_b.state == "draft"                   # B's transaction reads the data as of now
        plan_a.action_start()
        cr_a.commit()
        with pytest.raises(psycopg2.errors.SerializationFailure):
            plan_b.action_start()
        cr_b.rollback()
        plan_b.invalidate_recordset()
        with pytest.raises(ValidationError, match="overlaps with plans"):
            plan_b.action_start()                        # Odoo's retry
        cr_b.rollback()
    with closing(registry.cursor()) as cr:
        states = _env(cr)["jxc.count.plan"].browse(plans.ids).mapped("state")
        assert states == ["in_progress", "draft"]


def test_backtests_run_at_once_keep_one_set_of_lines(registry, clean_db):
    """Two policy backtests of a company without lines, the second transaction having read
    before the first committed: the second cannot add a second set of lines (a unique key,
    not a check each transaction makes on its own)."""
    ids = _setup(registry)
    with closing(registry.cursor()) as cr:
        env = _env(cr)
        company = env.ref("base.main_company")
        product = env["product.product"].browse(ids["product"])
        order = env["sale.order"].create({
            "partner_id": env["res.partner"].create({"name": "JXC Concurrency Customer"}).id,
            "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 2.0, "price_unit": 9.0})],
        })
        order.action_confirm()
        picking = _validate(order.picking_ids)
        # delivered yesterday: in every history window, which ends before today
        yesterday = picking.date_done - timedelta(days=1)
        picking.move_ids.write({"date": yesterday})
        picking.move_ids.move_line_ids.write({"date": yesterday})
        env["jxc.safety.stock.rule"].create({
            "name": "JXC Concurrency", "product_id": product.id, "method": "statistical", "service_level": 95.0,
            "history_days": 30, "review_days": 7,
        })
        env["jxc.policy.backtest"].search([("company_id", "=", company.id)]).unlink()
        env["jxc.policy.backtest.curve"].search([("company_id", "=", company.id)]).unlink()
        cr.commit()
    with closing(registry.cursor()) as cr_a, closing(registry.cursor()) as cr_b:
        env_a, env_b = _env(cr_a), _env(cr_b)
        assert not env_b["jxc.policy.backtest"].search_count([])  # B's transaction reads the data as of now
        lines = env_a["jxc.policy.backtest"]._run(env_a.ref("base.main_company"))
        assert lines.product_id.ids == [ids["product"]]
        cr_a.commit()
        with pytest.raises(psycopg2.errors.UniqueViolation):
            env_b["jxc.policy.backtest"]._run(env_b.ref("base.main_company"))
        cr_b.rollback()
    with closing(registry.cursor()) as cr:
        env = _env(cr)
        assert env["jxc.policy.backtest"].search([]) == lines.with_env(env)


def test_manual_score_and_period_close_serialised(registry, clean_db):
    """A buyer saves a manual score while a manager closes its period: whichever comes second
    is refused (never a score saved into a closed period)."""
    ids = _setup(registry)
    with closing(registry.cursor()) as cr:
        env = _env(cr)
        ids["criterion"] = env["jxc.supplier.criterion"].create({
            "name": "JXC Concurrency Service", "criterion_type": "manual", "weight": 0.0,
        }).id
        cr.commit()
    with _after_the_period(registry, ids), closing(registry.cursor()) as cr_a, closing(registry.cursor()) as cr_b:
        Score = _env(cr_a)["jxc.supplier.manual.score"]
        score = Score.create({
            "period_id": ids["period"], "partner_id": ids["vendor"], "criterion_id": ids["criterion"], "score": 70.0,
        })                                              # A saves a score, not committed yet
        period_b = _env(cr_b)["jxc.supplier.period"].browse(ids["period"])
        with pytest.raises(UserError, match="being computed or closed by another user"):
            period_b.action_close()
        cr_b.rollback()
        cr_a.commit()
        period_b.invalidate_recordset()
        period_b.action_close()                         # B closes, not committed yet
        with pytest.raises(UserError, match="being computed or closed by another user"):
            score.write({"score": 90.0})
        cr_a.rollback()
        cr_b.commit()
        score.invalidate_recordset()
        with pytest.raises(UserError, match="is closed and cannot change"):
            score.write({"score": 90.0})
        cr_a.rollback()
    with closing(registry.cursor()) as cr:
        env = _env(cr)
        assert env["jxc.supplier.period"].browse(ids["period"]).state == "closed"
        assert env["jxc.supplier.manual.score"].search([("period_id", "=", ids["period"])]).score == 70.0


def test_counters_of_one_plan_do_not_wait_for_each_other(registry, clean_db):
    """Two counters of one stocktake enter counts of different lines at once: neither
    transaction waits for the other (the plan's figures are read from its lines, its row is
    not rewritten by every count), and both counts are kept."""
    with closing(registry.cursor()) as cr:
        env = _env(cr)
        warehouse = env["stock.warehouse"].search([("company_id", "=", env.ref("base.main_company").id)], limit=1)
        products = env["product.product"].create([
            {"name": "JXC Counter Widget %s" % i, "type": "consu", "is_storable": True, "standard_price": 2.0}
            for i in range(2)
        ])
        for product in products:
            env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, 10.0)
        plan = env["jxc.count.plan"].create({
            "warehouse_id": warehouse.id, "product_ids": [Command.set(products.ids)], "blind": False,
        })
        plan.action_start()
        line_ids = [plan.line_ids.filtered(lambda line, p=p: line.product_id == p).id for p in products]
        cr.commit()
    with closing(registry.cursor()) as cr_a, closing(registry.cursor()) as cr_b:
        _env(cr_a)["jxc.count.line"].browse(line_ids[0]).counted_qty = 9.0
        cr_a.flush()                                     # A's count written, not committed yet
        cr_b.execute("SET LOCAL lock_timeout = '1s'")
        plan_b = _env(cr_b)["jxc.count.plan"].browse(plan.id)
        plan_b.jxc_set_counted(line_ids[1], 10.0)        # as the scanning screen does
        cr_b.flush()                                     # on the row A holds it would wait, then time out
        cr_a.commit()
        cr_b.commit()
    with closing(registry.cursor()) as cr:
        plan = _env(cr)["jxc.count.plan"].browse(plan.id)
        assert plan.line_ids.sorted("id").mapped("counted_qty") == [9.0, 10.0]
        assert (plan.counted_count, plan.discrepancy_count, plan.loss_value) == (2, 1, 2.0)
