"""The safety stock now marks the Buy route it sets on a reordering rule with its vendor
(``jxc_buy_route_auto``), and keeps a route a user set. Before this version it took every Buy
route on the rules it manages as its own: those are marked, so that the engine goes on
removing them where Odoo's routes resupply the warehouse from another."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    buy_routes = env["stock.rule"].search([("action", "=", "buy")]).route_id
    env["stock.warehouse.orderpoint"].with_context(active_test=False).search([
        ("jxc_rule_id", "!=", False), ("route_id", "in", buy_routes.ids),
    ]).write({"jxc_buy_route_auto": True})
