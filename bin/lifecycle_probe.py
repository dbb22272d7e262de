"""Steps of bin/lifecycle, run inside `odoo shell` (``env`` is given); JXC_LIFECYCLE_STEP
names the step. Any failed check raises, which makes the shell and bin/lifecycle fail."""
# ruff: noqa: F821 - ``env`` comes from odoo shell

import json
import os
from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo.fields import Command

STEP = os.environ["JXC_LIFECYCLE_STEP"]
COUNTS = os.path.join(os.environ["JXC_LIFECYCLE_OUT"], "lifecycle-counts.json")
ODOO_TABLES = ["purchase_order", "purchase_order_line", "sale_order", "sale_order_line", "stock_picking",
               "stock_move", "stock_move_line", "stock_quant", "product_product", "res_partner"]


def check(condition, message):
    if not condition:
        raise SystemExit("[lifecycle] FAILED: %s" % message)
    print("[lifecycle]   ok: %s" % message)


def validate(picking):
    for move in picking.move_ids:
        move.quantity = move.product_uom_qty
        move.picked = True
    picking.with_context(skip_backorder=True).button_validate()
    check(picking.state == "done", "%s done" % picking.name)


def flow(prefix, when=None):
    """A purchase received and a sale delivered, through Odoo's own flows."""
    company = env.company
    warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
    vendor = env["res.partner"].create({"name": prefix + " Vendor", "supplier_rank": 1})
    customer = env["res.partner"].create({"name": prefix + " Customer", "customer_rank": 1})
    product = env["product.product"].create({
        "name": prefix + " Widget", "type": "consu", "is_storable": True, "standard_price": 10.0,
        "list_price": 25.0, "default_code": prefix.upper().replace(" ", "-"),
        "seller_ids": [Command.create({"partner_id": vendor.id, "price": 10.0, "delay": 3})],
    })
    with freeze_time(when or datetime.now()):
        order = env["purchase.order"].create({
            "partner_id": vendor.id, "picking_type_id": warehouse.in_type_id.id,
            "order_line": [Command.create({"product_id": product.id, "product_qty": 40.0, "price_unit": 10.0})],
        })
        order.button_confirm()
    with freeze_time((when or datetime.now()) + timedelta(days=3)):
        validate(order.picking_ids)
    with freeze_time((when or datetime.now()) + timedelta(days=5)):
        sale = env["sale.order"].create({
            "partner_id": customer.id, "warehouse_id": warehouse.id,
            "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 15.0, "price_unit": 25.0})],
        })
        sale.action_confirm()
        validate(sale.picking_ids)
    check(product.qty_available == 25.0, "%s: 40 received - 15 delivered = 25 on hand" % product.name)
    return product


def jxc_counts():
    env.flush_all()
    env.cr.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 'jxc\\_%%'")
    tables = sorted(row[0] for row in env.cr.fetchall()) + ODOO_TABLES
    counts = {}
    for table in tables:
        env.cr.execute('SELECT count(*) FROM "%s"' % table)  # table names from pg_tables, not user input
        counts[table] = env.cr.fetchone()[0]
    env.cr.execute("SELECT count(*) FROM res_partner WHERE jxc_supplier_grade IS NOT NULL")
    counts["res_partner.jxc_supplier_grade"] = env.cr.fetchone()[0]
    env.cr.execute("SELECT count(*) FROM stock_warehouse_orderpoint WHERE jxc_rule_id IS NOT NULL")
    counts["stock_warehouse_orderpoint.jxc_rule_id"] = env.cr.fetchone()[0]
    return counts


today = date.today()
if STEP == "history":
    for months_ago in (3, 2):
        first = (today.replace(day=1) - timedelta(days=28 * months_ago)).replace(day=3)
        flow("Lifecycle M%s" % months_ago, datetime.combine(first, datetime.min.time()) + timedelta(hours=2))
    check(env["ir.module.module"].search([("name", "=", "jxc_addon")]).state != "installed", "jxc_addon not installed yet")
    env.cr.commit()

elif STEP == "installed":
    company = env.company
    snapshots = env["jxc.inventory.snapshot"].search([("company_id", "=", company.id)])
    check(len(set(snapshots.mapped("date"))) >= 2, "month-end snapshots back-filled at install (%s rows)" % len(snapshots))
    check(env["jxc.supplier.criterion"].search_count([("company_id", "=", company.id)]) == 5,
          "default supplier criteria created for the existing company")
    # Every feature on the existing history.
    month = (today.replace(day=1) - timedelta(days=56)).replace(day=15)
    period = env["jxc.supplier.period"]._get_or_create_period(company, month)
    period.action_compute()
    check(len(period.evaluation_ids) == 1, "supplier evaluated on the history")
    profile = env["jxc.abc.profile"].create({"name": "Lifecycle ABC", "is_default": True})
    profile.action_compute()
    check(env["jxc.abc.result"].search_count([("profile_id", "=", profile.id), ("abc_class", "=", "a")]) >= 1,
          "ABC classes computed")
    categ = env["product.product"].search([("default_code", "=like", "LIFECYCLE-%")], limit=1).categ_id
    env["jxc.safety.stock.rule"].create({"name": "Lifecycle SS", "categ_id": categ.id, "method": "fixed",
                                         "fixed_qty": 10.0, "history_days": 90, "review_days": 7})
    env["stock.warehouse.orderpoint"]._jxc_update_orderpoints(company)
    env["jxc.purchase.plan"]._refresh(company)
    warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
    plan = env["jxc.count.plan"].create({"warehouse_id": warehouse.id})
    plan.action_start()
    check(len(plan.line_ids) >= 2, "count plan started on the existing stock")
    env.cr.commit()
    counts = jxc_counts()
    check(all(counts[t] for t in ("jxc_inventory_snapshot", "jxc_supplier_evaluation", "jxc_abc_result",
                                  "jxc_purchase_plan", "jxc_count_line")), "every feature has rows")
    with open(COUNTS, "w", encoding="utf-8") as handle:
        json.dump(counts, handle, indent=1, sort_keys=True)

elif STEP == "upgraded":
    with open(COUNTS, encoding="utf-8") as handle:
        before = json.load(handle)
    after = jxc_counts()
    changed = {t: (before.get(t), after.get(t)) for t in set(before) | set(after) if before.get(t) != after.get(t)}
    check(not changed, "-u jxc_addon kept every row (%s tables compared) %s" % (len(after), changed or ""))

elif STEP == "uninstalled":
    check(env["ir.module.module"].search([("name", "=", "jxc_addon")]).state == "uninstalled", "jxc_addon uninstalled")
    env.cr.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 'jxc\\_%%'")
    check(env.cr.fetchone()[0] == 0, "the add-on's tables are dropped")
    check(not env["ir.model"].search_count([("model", "=like", "jxc.%")]), "the add-on's models are gone")
    env.cr.execute("""SELECT table_name, column_name FROM information_schema.columns
                      WHERE table_schema = 'public' AND column_name LIKE 'jxc\\_%%'""")
    check(not env.cr.fetchall(), "no jxc_ column left on Odoo's tables")
    check(not env["ir.cron"].search_count([("cron_name", "ilike", "jxc")]), "the add-on's scheduled actions are gone")
    flow("After Uninstall")
    order = env["purchase.order"].search([("partner_id.name", "=", "After Uninstall Vendor")])
    check(order.state == "purchase" and order.order_line.qty_received == 40.0, "PO received after uninstall")
    env.cr.commit()
else:
    raise SystemExit("unknown step %s" % STEP)
