from collections import defaultdict
from datetime import timedelta

from odoo import fields, models

from ..tools.company_day import company_today


class SaleOrder(models.Model):
    _inherit = "sale.order"

    jxc_shortage_warning = fields.Text(
        string="Stock Shortage", readonly=True, copy=False,
        help="Set at confirmation when a line needs more than the stock available by the commitment date (超售).",
    )

    def action_confirm(self):
        # Measured before confirming: afterwards the order's own deliveries count in the forecast.
        shortages = self._get_jxc_shortages()
        result = super().action_confirm()
        for order in self:
            order._jxc_warn_shortages(shortages.get(order.id, []))
        return result

    def _get_jxc_shortages(self):
        """{order_id: [(product, needed, available, shortage, replenishment_date)]} for the
        storable products whose forecast stock in the order's warehouse, by the commitment
        (or expected) date, does not cover the order. One stock read per warehouse and date."""
        needs = defaultdict(lambda: defaultdict(float))
        for order in self:
            for line in order.order_line.filtered(lambda line: line.product_id.is_storable and line.product_uom_qty > 0):
                qty = line.product_uom_id._compute_quantity(line.product_uom_qty, line.product_id.uom_id)
                needs[order][line.product_id] += qty
        groups = defaultdict(lambda: self.env["product.product"])
        for order, products in needs.items():
            date = order.commitment_date or order.expected_date or fields.Datetime.now()
            for product in products:
                groups[order.warehouse_id, date] |= product
        available = {}
        for (warehouse, date), products in groups.items():
            for product in products.with_context(warehouse_id=warehouse.id, to_date=date):
                available[warehouse.id, date, product.id] = product.virtual_available
        result = {}
        for order, products in needs.items():
            date = order.commitment_date or order.expected_date or fields.Datetime.now()
            short = []
            for product, needed in products.items():
                free = available[order.warehouse_id.id, date, product.id]
                if product.uom_id.compare(needed, free) > 0:
                    short.append([product, needed, free, needed - max(free, 0.0), False])
            if short:
                result[order.id] = short
        if result:
            self._jxc_set_replenishment_dates(result)
        return result

    def _jxc_set_replenishment_dates(self, shortages):
        """Fill the expected replenishment date: the next pending receipt into the order's
        warehouse, else today plus the lead time of the product's best vendor."""
        orders = self.browse(list(shortages))
        products = self.env["product.product"].concat(*[s[0] for rows in shortages.values() for s in rows])
        receipts = self.env["stock.move"].sudo()._read_group(
            [
                ("product_id", "in", products.ids),
                ("state", "not in", ("draft", "done", "cancel")),
                ("location_dest_id.warehouse_id", "in", orders.warehouse_id.ids),
                ("location_id.usage", "not in", ("internal", "transit")),
            ],
            ["product_id", "location_dest_id"],
            ["date:min"],
        )
        first = {}
        for product, location, date in receipts:
            key = (product.id, location.warehouse_id.id)
            first[key] = min(first.get(key, date), date)
        engine = self.env["jxc.planning.engine"]
        for order in orders:
            today = company_today(order.company_id)
            for row in shortages[order.id]:
                date = first.get((row[0].id, order.warehouse_id.id))
                if date:
                    row[4] = fields.Date.context_today(order, date)
                else:
                    # The vendor line Odoo would price the shortage with (dates, quantity breaks).
                    seller = engine._get_best_seller(row[0], order.company_id, row[3], today)
                    row[4] = today + timedelta(days=seller.delay) if seller else False

    def _jxc_warn_shortages(self, shortages):
        self.ensure_one()
        if not shortages:
            self.jxc_shortage_warning = False
            return
        lines = []
        for product, needed, free, shortage, date in shortages:
            lines.append(self.env._(
                "%(product)s: %(needed)s needed, %(free)s available by the commitment date, short of %(short)s; "
                "expected replenishment %(date)s.",
                product=product.display_name, needed=needed, free=free, short=shortage,
                date=date or self.env._("unknown (no vendor)"),
            ))
        text = "\n".join(lines)
        self.jxc_shortage_warning = text
        self.message_post(body=self.env._("Stock shortage at confirmation:\n%(lines)s", lines=text))
        self.activity_schedule(
            "mail.mail_activity_data_warning",
            summary=self.env._("Not enough stock for this order (超售)"),
            note=text, user_id=self.user_id.id or self.env.uid,
        )
        if self.company_id.jxc_shortage_notify_purchase:
            buyers = self.env["res.users"]
            for product, *_rest in shortages:
                seller = self.env["jxc.planning.engine"]._get_best_seller(product, self.company_id)
                buyers |= seller.partner_id.buyer_id or product.responsible_id
            for buyer in buyers:
                self.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=self.env._("Replenish for sales order %(order)s", order=self.name),
                    note=text, user_id=buyer.id,
                )
