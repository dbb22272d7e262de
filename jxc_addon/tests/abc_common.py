"""Fixtures for the ABC/XYZ classification tests: products, dated deliveries, profiles."""

from contextlib import contextmanager

from freezegun import freeze_time

from odoo.fields import Command

from .common import JxcCommon


class AbcCommon(JxcCommon):
    @classmethod
    def _create_products(cls, specs, category=None):
        """specs: [(code, cost)] -> storable products in ``category`` (default: a new one)."""
        category = category or cls.env["product.category"].create({"name": "JXC ABC Goods"})
        return cls.env["product.product"].create([
            dict(cls._prepare_product_vals("ABC %s" % code, cost, cost * 2 or 1.0, "ABC-%s" % code), categ_id=category.id)
            for code, cost in specs
        ])

    @classmethod
    def _stock_up(cls, products, qty, when, location=None):
        """One inventory adjustment putting ``qty`` of each product on hand at ``when``."""
        location = location or cls.stock_location
        with freeze_time(when):
            cls.env["stock.quant"].with_company(location.company_id).with_context(inventory_mode=True).create([
                {"product_id": p.id, "location_id": location.id, "inventory_quantity": qty}
                for p in products
            ]).action_apply_inventory()

    @classmethod
    def _sell_and_deliver(cls, when, lines, customer=None):
        """A confirmed sale order of [(product, qty, price)] fully delivered at ``when`` (UTC)."""
        lines = [line for line in lines if line[1]]
        if not lines:
            return None
        with freeze_time(when):
            order = cls._create_sale(customer or cls.customer_a, lines)
            cls._deliver(order)
        return order

    @classmethod
    def _deliver_from(cls, warehouse, when, lines, company=None):
        """A delivery without sale order from ``warehouse`` to a customer: [(product, qty)]."""
        env = cls.env(context=dict(cls.env.context, allowed_company_ids=[(company or cls.company).id]))
        with freeze_time(when):
            picking = env["stock.picking"].create({
                "picking_type_id": warehouse.out_type_id.id,
                "partner_id": cls.customer_a.id,
                "location_id": warehouse.lot_stock_id.id,
                "location_dest_id": env.ref("stock.stock_location_customers").id,
                "move_ids": [
                    Command.create({
                        "product_id": product.id,
                        "product_uom_qty": qty,
                        "location_id": warehouse.lot_stock_id.id,
                        "location_dest_id": env.ref("stock.stock_location_customers").id,
                    })
                    for product, qty in lines
                ],
            })
            picking.action_confirm()
            cls._validate_picking(picking)
        return picking

    @classmethod
    def _create_profile(cls, **vals):
        return cls.env["jxc.abc.profile"].create({"name": "ABC test", **vals})

    def _compute(self, profile, when):
        with freeze_time(when):
            profile.action_compute()
        return self._results(profile)

    def _results(self, profile):
        """{product: result} of the profile."""
        results = self.env["jxc.abc.result"].search([("profile_id", "=", profile.id)])
        return {r.product_id: r for r in results}

    @contextmanager
    def assertRaisesMessage(self, exception, fragment):
        """assertRaises (rolled back to a savepoint) that also checks the message."""
        with self.assertRaises(exception) as caught:
            yield caught
        self.assertIn(fragment, str(caught.exception))
