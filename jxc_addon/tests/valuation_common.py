"""Helpers of the valuation tests: products of each cost method, vendor bills, and the
add-on's value at a month end next to Odoo's own (``total_value`` "at date")."""

from freezegun import freeze_time

from .common import JxcCommon


class JxcValuationCommon(JxcCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not cls.env["account.journal"].search_count([("company_id", "=", cls.company.id), ("type", "=", "purchase")]):
            cls.env["account.chart.template"].try_loading("generic_coa", company=cls.company, install_demo=False)
        cls.warehouse_2 = cls.env["stock.warehouse"].create({"name": "JXC Valuation WH2", "code": "JXV2"})
        cls.categories = {method: cls._create_category("JXC %s" % method, method) for method in ("standard", "average", "fifo")}

    @classmethod
    def _product(cls, method, cost=10.0, code="JXV"):
        with freeze_time("2024-12-20 04:00:00"):  # its first cost record predates the flows
            return cls.env["product.product"].create({
                **cls._prepare_product_vals("JXC %s %s" % (method, code), cost, 30.0, "%s-%s" % (code, method)),
                "categ_id": cls.categories[method].id,
            })

    @classmethod
    def _bill(cls, order, prices, day, posted=None):
        """Post the vendor bill of ``order`` dated ``day`` (on ``posted``, default the same day)
        at {product: unit price}."""
        with freeze_time("%s 04:00:00" % (posted or day)):
            order.action_create_invoice()
            bill = order.invoice_ids.filtered(lambda m: m.state == "draft")
            bill.invoice_date = day
            for line in bill.invoice_line_ids:
                if line.product_id in prices:
                    line.price_unit = prices[line.product_id]
            bill.action_post()
        return bill

    def _ours(self, product, month_end, warehouse=None):
        with freeze_time("2026-01-15 04:00:00"):
            rows = self.env["jxc.inventory.snapshot"]._prepare_month_vals(self.company, month_end)
        rows = [r for r in rows if r["product_id"] == product.id]
        if warehouse is not None:
            rows = [r for r in rows if r["warehouse_id"] == warehouse.id]
        return round(sum(r["value"] for r in rows), 2)

    def _odoo(self, product, month_end, warehouse=None):
        self.env.flush_all()
        self.env.invalidate_all()
        ctx = {"to_date": month_end}
        if warehouse is not None:
            ctx["warehouse_id"] = warehouse.id
        with freeze_time("2026-01-15 04:00:00"):
            return round(product.with_company(self.company).with_context(**ctx).total_value, 2)

    def assertEqualsOdoo(self, product, month_end, expected, warehouse=None):
        odoo = self._odoo(product, month_end, warehouse)
        self.assertEqual(odoo, expected, "Odoo's own valuation of the case")
        self.assertEqual(self._ours(product, month_end, warehouse), odoo, (product.display_name, month_end))

    @classmethod
    def _move_picking(cls, picking_type, source, destination, product, qty, owner=None):
        """Validate a picking of ``qty`` of ``product`` from ``source`` to ``destination``
        (owned by ``owner``: a consigned receipt)."""
        picking = cls.env["stock.picking"].create({
            "picking_type_id": picking_type.id,
            **({"partner_id": owner.id, "owner_id": owner.id} if owner else {}),
            "location_id": source.id,
            "location_dest_id": destination.id,
            "move_ids": [(0, 0, {
                "product_id": product.id, "product_uom_qty": qty, "product_uom": product.uom_id.id,
                "location_id": source.id, "location_dest_id": destination.id,
            })],
        })
        picking.action_confirm()
        return cls._validate_picking(picking)

    @classmethod
    def _receive_consigned(cls, product, qty, owner, warehouse=None):
        warehouse = warehouse or cls.warehouse
        return cls._move_picking(
            warehouse.in_type_id, cls.env.ref("stock.stock_location_suppliers"), warehouse.lot_stock_id,
            product, qty, owner=owner,
        )

    @classmethod
    def _flow_with_returns(cls, product):
        """10 in at 10 from vendor A and 10 at 13 from vendor B, 6 delivered, 2 returned by the
        customer, 3 returned to vendor A (January). Returns vendor A's order."""
        order = cls._buy(cls.vendor_a, [(product, 10, 10.0)], "2025-01-05 04:00:00")
        receipt = order.picking_ids
        cls._buy(cls.vendor_b, [(product, 10, 13.0)], "2025-01-06 04:00:00")
        delivery = cls._sell(cls.customer_a, [(product, 6, 30.0)], "2025-01-10 04:00:00")
        with freeze_time("2025-01-12 04:00:00"):
            cls._return_picking(delivery, {product: 2})
        with freeze_time("2025-01-14 04:00:00"):
            cls._return_picking(receipt, {product: 3})
        return order
