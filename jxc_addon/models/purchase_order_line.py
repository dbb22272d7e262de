from odoo import api, models
from odoo.tools import SQL

from ..tools.company_day import local_date_sql
from ..tools.sql_array import sql_array
from ..tools.warehouse_border import vendor_delivery_sql, vendor_location_sql


class PurchaseOrderLine(models.Model):
    _name = "purchase.order.line"
    _inherit = ["purchase.order.line", "jxc.purchase.plan.change.mixin"]
    # what the purchase plan reads of an RFQ line (Odoo's quantity in progress of a reordering rule)
    _jxc_plan_fields = frozenset({"product_qty", "product_uom_id", "product_id", "order_id", "date_planned", "orderpoint_id"})

    @api.model_create_multi
    def create(self, vals_list):
        # A product line added to a confirmed order buys more from its vendor: checked before
        # anything is written (the order's confirmation gate does not see it).
        # (a quantity left out is filled in by Odoo from the vendor's price: more than nothing)
        # The order and the line type may come from defaults (of the context, which the client writes).
        defaults = self.default_get(["display_type", "order_id", "product_qty"])
        orders = self.env["purchase.order"].union(*(
            self._get_jxc_value_record("order_id", vals.get("order_id", defaults.get("order_id"))) for vals in vals_list
            if vals.get("order_id", defaults.get("order_id")) and not vals.get("display_type", defaults.get("display_type"))
            and vals.get("product_qty", defaults.get("product_qty", 1.0)) > 0
        ))
        past_block = orders._check_jxc_buying_more()
        lines = super().create(vals_list)
        past_block._log_jxc_buying_more()
        return lines

    def write(self, vals):
        past_block = self.env["purchase.order"]
        if {"product_qty", "product_uom_id", "product_id", "order_id"} & vals.keys():
            past_block = self._get_jxc_orders_buying_more(vals)._check_jxc_buying_more()
        result = super().write(vals)
        past_block._log_jxc_buying_more()
        return result

    def _get_jxc_orders_buying_more(self, vals):
        """The orders that ``vals`` makes buy more: a line's quantity in the product's unit
        raised (its quantity or its unit), or a line given another product or moved to another
        order with a quantity. Lowering a quantity buys nothing more; sections and notes
        order nothing."""
        orders = self.env["purchase.order"]
        for line in self.filtered(lambda line: not line.display_type):
            order = self._get_jxc_value_record("order_id", vals["order_id"]) if "order_id" in vals else line.order_id
            product = self._get_jxc_value_record("product_id", vals["product_id"]) if "product_id" in vals else line.product_id
            uom = (self._get_jxc_value_record("product_uom_id", vals["product_uom_id"]) if "product_uom_id" in vals
                   else line.product_uom_id)
            qty = vals.get("product_qty", line.product_qty)
            # product_uom_qty as Odoo computes it (_compute_product_uom_qty)
            if product and uom and uom != product.uom_id:
                qty = uom._compute_quantity(qty, product.uom_id)
            before = line.product_uom_qty if (order, product) == (line.order_id, line.product_id) else 0.0
            if line.product_uom_id.compare(qty, before) > 0:
                orders |= order
        return orders

    @api.model
    def _get_jxc_value_record(self, field_name, value):
        """The record a value of the many2one ``field_name`` written names: an id as the client
        writes it, or a record as Odoo's own code may (stock.rule's _update_purchase_order_line
        gives the unit of a merged line so)."""
        if isinstance(value, models.BaseModel):
            return value
        return self.env[self._fields[field_name].comodel_name].browse(value or ())

    @api.model
    def _get_jxc_lead_time_stats(self, date_from, date_to, company, partner_ids=None, product_ids=None, by_product=False,
                                 with_samples=False, with_receipts=False, into_stock=False):
        """Measured vendor lead times of the receipts done in [date_from, date_to).

        One sample per order line and done receipt from a vendor location, of the line's
        product (a backorder is a receipt of its own; a kit's components received together are
        one receipt of the kit, on its last move; returns, replacements of returned goods and
        internal steps are not receipts: ``vendor_delivery_sql``). The lead time is counted
        in whole days from the order's confirmation to the receipt, both taken as dates in
        the company's timezone. Samples belong to the order's commercial partner (an order
        sent to a vendor's contact is the vendor's). Shared by the supplier evaluation and
        the safety stock.

        :param partner_ids: commercial partner ids to keep (None: all)
        :param into_stock: only receipts into the company's stock (the safety stock's and the
            backtest's lead times), not deliveries of the vendor straight to a customer (dropship)
        :return: {commercial partner id: stats} or, with by_product, {(partner_id, product_id): stats}
            where stats = {"count": n, "mean": average days, "stddev": sample standard
            deviation in days (0.0 with a single receipt)}, with_samples: plus "samples", the
            lead time of each receipt in days (ascending), with_receipts: plus "receipts", each
            receipt's (lead time, days from the order's confirmation to its line's planned date;
            None for a line without one), as company dates, by lead time
        """
        for model in ("stock.move", "stock.location", "purchase.order.line", "purchase.order", "res.partner"):
            self.env[model].flush_model()
        filters = [
            SQL("m.state = 'done'"),
            vendor_location_sql(SQL("src")),
            vendor_delivery_sql(SQL("m")),
            SQL("po.date_approve IS NOT NULL"),
            SQL("m.company_id = %s", company.id),
            SQL("m.date >= %s", date_from),
            SQL("m.date < %s", date_to),
        ]
        if partner_ids is not None:
            filters.append(SQL("p.commercial_partner_id = ANY(%s)", sql_array(partner_ids, "int4")))
        if product_ids is not None:
            filters.append(SQL("pol.product_id = ANY(%s)", sql_array(product_ids, "int4")))
        if into_stock:
            filters.append(SQL(
                "EXISTS (SELECT 1 FROM stock_location dst WHERE dst.id = m.location_dest_id AND dst.usage = 'internal')"))
        # One sample per order line and receipt, of the line's product: a kit bought
        # (purchase_mrp) comes as its components' moves, on the kit's line, received with the last.
        inner = SQL(
            """
            SELECT DISTINCT ON (m.purchase_line_id, m.picking_id)
                   p.commercial_partner_id AS partner_id, pol.product_id AS product_id,
                   %(received)s - %(approved)s AS days, %(planned)s - %(approved)s AS planned
              FROM stock_move m
              JOIN stock_location src ON src.id = m.location_id
              JOIN purchase_order_line pol ON pol.id = m.purchase_line_id
              JOIN purchase_order po ON po.id = pol.order_id
              JOIN res_partner p ON p.id = po.partner_id
             WHERE %(where)s
             ORDER BY m.purchase_line_id, m.picking_id, m.date DESC
            """,
            received=local_date_sql(company, SQL("m.date")), approved=local_date_sql(company, SQL("po.date_approve")),
            planned=local_date_sql(company, SQL("pol.date_planned")), where=SQL(" AND ").join(filters),
        )
        keys = SQL("t.partner_id, t.product_id") if by_product else SQL("t.partner_id")
        samples = SQL(", ARRAY_AGG(t.days ORDER BY t.days)") if with_samples else SQL("")
        receipts = (SQL(", ARRAY_AGG(t.days ORDER BY t.days, t.planned), ARRAY_AGG(t.planned ORDER BY t.days, t.planned)")
                    if with_receipts else SQL(""))
        rows = self.env.execute_query(SQL(
            "SELECT %(keys)s, COUNT(*), AVG(t.days), COALESCE(STDDEV_SAMP(t.days), 0)%(samples)s%(receipts)s "
            "FROM (%(inner)s) t GROUP BY %(keys)s",
            keys=keys, inner=inner, samples=samples, receipts=receipts,
        ))
        result = {}
        width = 2 if by_product else 1
        for row in rows:
            key = (row[0], row[1]) if by_product else row[0]
            count, mean, stddev = row[width:width + 3]
            result[key] = {"count": count, "mean": float(mean), "stddev": float(stddev)}
            if with_samples:
                result[key]["samples"] = [float(days) for days in row[width + 3]]
            if with_receipts:
                result[key]["receipts"] = [(float(days), None if planned is None else float(planned))
                                           for days, planned in zip(row[-2], row[-1], strict=True)]
        return result
