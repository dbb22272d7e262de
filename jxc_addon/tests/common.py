"""Shared fixtures for the jxc_addon tests.

``JxcCommon`` builds, once per test class, a small trading company inside the main
company: a warehouse, two vendors, two customers and three storable products with a
cost and vendor prices. Its helpers run the real Odoo flows (purchase order -> receipt,
sale order -> delivery, returns) so that every feature is tested on done stock moves
exactly as users create them. Wrap a helper call in ``freeze_time`` to date the moves.
"""

import importlib.util
from collections import namedtuple
from pathlib import Path

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import Form, TransactionCase, new_test_user

XlsxFile = namedtuple("XlsxFile", "name datas mimetype")


def run_migration(env, version, script="post-migrate", module="jxc_addon"):
    """Run ``module``'s migration ``script`` of ``version`` on ``env``'s database, as an upgrade
    to that version does (the scripts do not read the version they are given)."""
    path = Path(__file__).resolve().parents[2] / module / "migrations" / version / f"{script}.py"
    spec = importlib.util.spec_from_file_location(f"{module}_{script}_{version}".replace(".", "_").replace("-", "_"), path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    migration.migrate(env.cr, version)


def xlsx_file(action):
    """The Excel file an export button's action hands to the browser (see jxc.xlsx):
    its name, base64 content and type."""
    assert action["type"] == "ir.actions.client" and action["tag"] == "jxc_download", action
    params = action["params"]
    return XlsxFile(params["filename"], params["data"], params["mimetype"])


# access letters of the README's access table: r/w/c/u = read / write / create / unlink
ACCESS_OPS = (("r", "read"), ("w", "write"), ("c", "create"), ("u", "unlink"))


class JxcCommon(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.company.partner_id.tz = "Asia/Shanghai"
        # The install took last month's snapshots of the real today; the tests' histories are
        # dated before it, their snapshots are taken at their own dates
        cls.env["res.company"].search([]).sudo().jxc_snapshot_date = False
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        cls.stock_location = cls.warehouse.lot_stock_id
        cls.uom_unit = cls.env.ref("uom.product_uom_unit")

        cls.vendor_a, cls.vendor_b = cls.env["res.partner"].create([
            {"name": "JXC Vendor A", "supplier_rank": 1},
            {"name": "JXC Vendor B", "supplier_rank": 1},
        ])
        cls.customer_a, cls.customer_b = cls.env["res.partner"].create([
            {"name": "JXC Customer A", "customer_rank": 1},
            {"name": "JXC Customer B", "customer_rank": 1},
        ])
        cls.category = cls.env["product.category"].create({"name": "JXC Goods"})
        cls.product_1, cls.product_2, cls.product_3 = cls.env["product.product"].create([
            cls._prepare_product_vals("JXC Widget", 10.0, 25.0, "JXC-001"),
            cls._prepare_product_vals("JXC Gadget", 4.0, 9.0, "JXC-002"),
            cls._prepare_product_vals("JXC Gizmo", 50.0, 80.0, "JXC-003"),
        ])
        cls.env["product.supplierinfo"].create([
            {"partner_id": cls.vendor_a.id, "product_tmpl_id": cls.product_1.product_tmpl_id.id, "price": 10.0, "delay": 5},
            {"partner_id": cls.vendor_b.id, "product_tmpl_id": cls.product_1.product_tmpl_id.id, "price": 11.0, "delay": 3},
            {"partner_id": cls.vendor_a.id, "product_tmpl_id": cls.product_2.product_tmpl_id.id, "price": 4.0, "delay": 5},
            {"partner_id": cls.vendor_b.id, "product_tmpl_id": cls.product_3.product_tmpl_id.id, "price": 50.0, "delay": 10},
        ])
        cls.jxc_user = new_test_user(
            cls.env, login="jxc_user", name="JXC User",
            groups="jxc_addon.group_jxc_user,purchase.group_purchase_user,sales_team.group_sale_salesman",
        )
        cls.jxc_manager = new_test_user(
            cls.env, login="jxc_manager", name="JXC Manager",
            groups="jxc_addon.group_jxc_manager,purchase.group_purchase_manager,"
            "stock.group_stock_manager,sales_team.group_sale_manager",
        )
        cls.plain_user = new_test_user(cls.env, login="jxc_plain", name="Plain Employee", groups="base.group_user")

    def _freeze_test_at(self, when):
        """Freeze the clock at ``when`` for the rest of the test (its setUp's today)."""
        freezer = freeze_time(when)
        freezer.start()
        self.addCleanup(freezer.stop)

    def _count_queries(self, function):
        """(queries run by ``function()`` from empty caches, its flushed writes included, its result)."""
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        result = function()
        self.env.flush_all()
        return self.env.cr.sql_log_count - before, result

    @classmethod
    def _create_other_company_manager(cls, login, groups="jxc_addon.group_jxc_manager"):
        """A company of its own (``cls.other_company``) and its manager, who must see nothing of ours."""
        cls.other_company = cls.env["res.company"].create({"name": "JXC Other Company"})
        return new_test_user(
            cls.env, login=login, name="Other Company Manager",
            company_id=cls.other_company.id, company_ids=[cls.other_company.id], groups=groups,
        )

    def _kit_receipt_queries(self):
        """The query jxc_mrp adds to a reading of the vendors' receipts (its kits'): 1 where the
        bridge is installed (beside mrp), else 0."""
        return self.env["ir.module.module"].search_count([("name", "=", "jxc_mrp"), ("state", "=", "installed")])

    def _allowed(self, model, user):
        """The operations ``user`` may do on ``model`` as access letters ("-": none)."""
        Model = self.env[model].with_user(user)
        return "".join(letter for letter, op in ACCESS_OPS if Model.browse().has_access(op)) or "-"

    def _assert_access_table(self, access, more_managers=()):
        """Assert an access table {model: (plain user, JXC user, JXC manager) letters};
        ``more_managers`` have the manager's rights too. A refused read raises AccessError."""
        for model, (plain, user, manager) in access.items():
            with self.subTest(model=model):
                self.assertEqual(self._allowed(model, self.plain_user), plain)
                self.assertEqual(self._allowed(model, self.jxc_user), user)
                for other in (self.jxc_manager, *more_managers):
                    self.assertEqual(self._allowed(model, other), manager)
                if plain == "-":
                    with self.assertRaises(AccessError):
                        self.env[model].with_user(self.plain_user).search([], limit=1)

    @classmethod
    def _set_stock_status_limits(cls, dead_days, slow_rate):
        """Stock not gone out for ``dead_days`` is dead; turning under ``slow_rate`` times a
        year it is slow (the limits the dead-stock figures of these tests are worked out for)."""
        cls.company.write({"jxc_dead_stock_days": dead_days, "jxc_slow_turnover_rate": slow_rate})

    @classmethod
    def _create_category(cls, name, cost_method, company=None):
        """A product category whose products ``company`` (default ours) values at ``cost_method``
        (standard / average / fifo): the cost method is a company-dependent property."""
        category = cls.env["product.category"].create({"name": name})
        category.with_company(company or cls.company).property_cost_method = cost_method
        return category

    @classmethod
    def _prepare_product_vals(cls, name, cost, price, code):
        return {
            "name": name,
            "type": "consu",
            "is_storable": True,
            "categ_id": cls.category.id,
            "standard_price": cost,
            "list_price": price,
            "default_code": code,
            "barcode": code,
        }

    @classmethod
    def _env_of(cls, warehouse):
        """The environment that works in ``warehouse``'s company, as its users would."""
        if warehouse.company_id == cls.company:
            return cls.env
        return cls.env(context=dict(cls.env.context, allowed_company_ids=warehouse.company_id.ids))

    # --- purchase side -------------------------------------------------------------
    @classmethod
    def _create_purchase(cls, vendor, lines, date_planned=None, confirm=True, warehouse=None):
        """Create (and confirm) a purchase order into ``warehouse`` (default: the main one);
        ``lines`` is [(product, qty, price)]."""
        warehouse = warehouse or cls.warehouse
        planned = {"date_planned": date_planned} if date_planned else {}
        order = cls._env_of(warehouse)["purchase.order"].create({
            "partner_id": vendor.id,
            "picking_type_id": warehouse.in_type_id.id,
            "order_line": [Command.create({"product_id": product.id, "product_qty": qty, "price_unit": price, **planned})
                           for product, qty, price in lines],
        })
        if confirm:
            order.button_confirm()
        return order

    @classmethod
    def _buy(cls, vendor, lines, ordered_at, received_at=None, date_planned=None, warehouse=None):
        """A purchase order confirmed at ``ordered_at`` and received in full at ``received_at``
        (default: at once)."""
        with freeze_time(ordered_at):
            order = cls._create_purchase(vendor, lines, date_planned=date_planned, warehouse=warehouse)
        with freeze_time(received_at or ordered_at):
            cls._receive(order)
        return order

    @classmethod
    def _sell(cls, customer, lines, delivered_at, warehouse=None):
        """A sale order confirmed and delivered in full at ``delivered_at``."""
        with freeze_time(delivered_at):
            return cls._deliver(cls._create_sale(customer, lines, warehouse=warehouse))

    @classmethod
    def _sell_in_two(cls, customer, product, qty, first_qty, first_at, rest_at):
        """A sale of ``qty`` whose first delivery ships ``first_qty`` at ``first_at`` and its
        backorder the rest at ``rest_at`` (a delivery the fill rate counts as short)."""
        with freeze_time(first_at):
            sale = cls._create_sale(customer, [(product, qty, 20.0)])
            cls._deliver(sale, {product: first_qty})
        with freeze_time(rest_at):
            cls._deliver(sale)
        return sale

    @classmethod
    def _validate_picking(cls, picking, quantities=None, backorder=True):
        """Set done quantities ({product: qty}, default: the demand) and validate.

        A partial validation creates a backorder unless ``backorder`` is False.
        """
        for move in picking.move_ids:
            qty = move.product_uom_qty if quantities is None else quantities.get(move.product_id, 0.0)
            move.quantity = qty
            move.picked = True
        ctx = {"skip_backorder": True}
        if not backorder:
            ctx["picking_ids_not_to_backorder"] = picking.ids
        picking.with_context(**ctx).button_validate()
        return picking

    @classmethod
    def _validate_next_picking(cls, order, quantities=None, backorder=True):
        """Validate the first open picking of a purchase or sale order (its receipt or delivery)."""
        picking = order.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))[:1]
        return cls._validate_picking(picking, quantities, backorder)

    _receive = _validate_next_picking

    @classmethod
    def _return_picking(cls, picking, quantities):
        """Return {product: qty} of a done picking (to the vendor or from the customer)."""
        wizard = Form(cls.env["stock.return.picking"].with_context(active_id=picking.id, active_model="stock.picking")).save()
        for line in wizard.product_return_moves:
            line.quantity = quantities.get(line.product_id, 0.0)
        action = wizard.action_create_returns()
        return_picking = cls.env["stock.picking"].browse(action["res_id"])
        return cls._validate_picking(return_picking, quantities)

    @classmethod
    def _transfer(cls, source, destination, lines):
        """Send [(product, qty)] from the stock of warehouse ``source`` to that of
        ``destination`` in one internal transfer, validated."""
        picking = cls.env["stock.picking"].create({
            "picking_type_id": source.int_type_id.id,
            "location_id": source.lot_stock_id.id,
            "location_dest_id": destination.lot_stock_id.id,
            "move_ids": [Command.create({
                "product_id": product.id, "product_uom_qty": qty,
                "location_id": source.lot_stock_id.id, "location_dest_id": destination.lot_stock_id.id,
            }) for product, qty in lines],
        })
        picking.action_confirm()
        return cls._validate_picking(picking)

    # --- sale side -----------------------------------------------------------------
    @classmethod
    def _create_sale(cls, customer, lines, confirm=True, warehouse=None):
        """Create (and confirm) a sale order shipped from ``warehouse`` (default: the main one);
        ``lines`` is [(product, qty, price)]."""
        warehouse = warehouse or cls.warehouse
        order = cls._env_of(warehouse)["sale.order"].create({
            "partner_id": customer.id,
            "warehouse_id": warehouse.id,
            "order_line": [
                Command.create({"product_id": product.id, "product_uom_qty": qty, "price_unit": price})
                for product, qty, price in lines
            ],
        })
        if confirm:
            order.action_confirm()
        return order

    _deliver = _validate_next_picking

    @classmethod
    def _set_on_hand(cls, product, qty, location=None):
        """Put ``qty`` on hand through Odoo's inventory adjustment (a done inventory move)."""
        cls.env["stock.quant"].with_context(inventory_mode=True).create({
            "product_id": product.id,
            "location_id": (location or cls.stock_location).id,
            "inventory_quantity": qty,
        }).action_apply_inventory()
