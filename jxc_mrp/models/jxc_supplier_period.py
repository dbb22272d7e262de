from datetime import timedelta

from odoo import api, models
from odoo.addons.jxc_addon.tools.company_day import local_date
from odoo.addons.jxc_addon.tools.warehouse_border import vendor_delivery_domain
from odoo.tools import SQL


class JxcSupplierPeriod(models.Model):
    """A kit bought (purchase_mrp) is received as its components: 2 desks and 8 chairs of an
    order of 10 desk sets are 2 sets received, as Odoo's received quantity of the line says
    (mrp's ``_compute_kit_quantities``: the fewest whole kits its components make), not 10.
    The base queries leave the kit lines out (``_get_kit_line_sql``); their received, on-time,
    filled and returned quantities are counted here in kits, with Odoo's own computation, and
    each kit line is one line of the vendor's on-time, fill and defect rates (means over order
    lines, ``line_mean_sql``) as a plain line is."""

    _inherit = "jxc.supplier.period"

    def _get_kit_line_sql(self, line):
        # the lines ``_get_kit_boms`` finds a kit bill of, in SQL (no query of its own): a kit bill
        # of the line's product its moves were exploded with, archived since or not, or one
        # active in the company (what ``_bom_find`` finds) unless the line moves its product itself
        self.env["mrp.bom"].flush_model(["active", "type", "company_id", "product_id", "product_tmpl_id"])
        self.env["mrp.bom.line"].flush_model(["bom_id"])
        self.env["stock.move"].flush_model(["bom_line_id", "purchase_line_id", "state", "product_id"])
        return SQL(
            """EXISTS (SELECT 1 FROM mrp_bom kit JOIN product_product kit_product ON kit_product.id = %(product)s
                        WHERE kit.type = 'phantom'
                          AND (kit.product_id = kit_product.id
                               OR kit.product_id IS NULL AND kit.product_tmpl_id = kit_product.product_tmpl_id)
                          AND (kit.active AND (kit.company_id IS NULL OR kit.company_id = %(company)s)
                               AND NOT EXISTS (SELECT 1 FROM stock_move own_move
                                                WHERE own_move.purchase_line_id = %(line)s
                                                  AND own_move.state != 'cancel'
                                                  AND own_move.product_id = kit_product.id)
                               OR EXISTS (SELECT 1 FROM stock_move kit_move
                                            JOIN mrp_bom_line kit_line ON kit_line.id = kit_move.bom_line_id
                                           WHERE kit_move.purchase_line_id = %(line)s AND kit_move.state != 'cancel'
                                             AND kit_line.bom_id = kit.id)))""",
            product=SQL("%s.product_id", line), line=SQL("%s.id", line), company=self.company_id.id,
        )

    def _get_kit_products(self):
        """Query of the company's kits, archived ones included (their orders stay)."""
        return self.env["product.product"].with_context(active_test=False)._search(
            self.env["mrp.bom"]._get_jxc_kit_domain(self.company_id),
        )

    def _get_kit_boms(self, lines):
        """{purchase line: its kit bill of materials, or an empty one}: the bill its moves were
        exploded with, else the company's (``_get_jxc_line_kit_boms``). What a line received is
        counted against the bill it was received with: a bill archived for a new version (even
        of the same components) leaves the moves of the old one, which the new one would count
        as no kit, and a bill archived without one leaves a kit line, not the components as kits."""
        return self.env["mrp.bom"].sudo()._get_jxc_line_kit_boms(lines.sudo())

    def _get_receipt_data_by_period(self, bounds):
        result = super()._get_receipt_data_by_period(bounds)
        # every receipt until the end of the lines received in the periods, for the kits
        # complete at each bound
        lines = self._get_kit_moves(bounds[0], bounds[-1], "receipt").purchase_line_id
        if not lines:
            return result
        # the vendor's own deliveries, as the base counts them: no replacement of goods sent back
        moves = self._get_kit_moves(False, bounds[-1], "receipt", lines).filtered_domain(vendor_delivery_domain())
        boms = self._get_kit_boms(lines)
        company = self.company_id
        tolerance = timedelta(days=company.jxc_supplier_on_time_tolerance)
        for line, line_moves in moves.grouped("purchase_line_id").items():
            deadline = local_date(company, line.date_planned) + tolerance
            on_time = line_moves.filtered(lambda move, deadline=deadline: local_date(company, move.date) <= deadline)
            partner_id = line.order_id.partner_id.commercial_partner_id.id
            # the kits complete before each bound, of which on time: a period gets the difference
            kits = [self._get_kits(line, boms[line], line_moves.filtered(lambda move, b=bound: move.date < b))
                    for bound in bounds]
            kits_on_time = [self._get_kits(line, boms[line], on_time.filtered(lambda move, b=bound: move.date < b))
                            for bound in bounds]
            ordered = line.product_uom_qty
            for bucket in range(1, len(bounds)):
                # the running totals capped at the line's quantity, as the other lines: what comes
                # beyond the order, in this period or a later one, is no delivery of it
                received = min(kits[bucket], ordered) - min(kits[bucket - 1], ordered)
                if received <= 0:
                    continue
                on_time = min(kits_on_time[bucket], ordered) - min(kits_on_time[bucket - 1], ordered)
                values = result.setdefault((bucket, partner_id), {
                    "received_qty": 0.0, "on_time_qty": 0.0, "on_time_sum": 0.0, "received_lines": 0})
                values["received_qty"] += received
                values["on_time_qty"] += on_time
                # one of the period's lines, its share on time as line_mean_sql takes a plain line's
                values["on_time_sum"] += min(max(on_time, 0.0) / received, 1.0)
                values["received_lines"] += 1
        return result

    def _get_fill_rate_data(self, start, stop):
        result = super()._get_fill_rate_data(start, stop)
        lines = self.env["purchase.order.line"].sudo().search([
            ("company_id", "=", self.company_id.id), ("order_id.state", "=", "purchase"),
            ("display_type", "=", False), ("product_uom_qty", ">", 0),
            ("date_planned", ">=", start), ("date_planned", "<", stop), ("date_planned", "<", self._get_fill_due_before()),
            # a kit now, or received with a kit bill since archived (``_get_kit_boms`` decides)
            "|", ("product_id", "in", self._get_kit_products()), ("move_ids.bom_line_id", "!=", False),
        ])
        boms = self._get_kit_boms(lines)
        lines = lines.filtered(lambda line: boms[line])
        # as Odoo's received quantity of a kit (purchase_mrp): a return sent back counts only if
        # it updates the order, and a return that updates the order takes its kits back
        moves = self._get_kit_moves(False, False, "receipt", lines).filtered(
            lambda move: not move.origin_returned_move_id or move.to_refund).grouped("purchase_line_id")
        returns = self._get_kit_moves(False, False, "return", lines).filtered("to_refund").grouped("purchase_line_id")
        Move = self.env["stock.move"]
        for line in lines:
            kits = self._get_kits(line, boms[line], moves.get(line, Move), returns.get(line, Move))
            values = result.setdefault(line.order_id.partner_id.commercial_partner_id.id,
                                       {"ordered_qty": 0.0, "fill_sum": 0.0, "fill_lines": 0})
            values["ordered_qty"] += line.product_uom_qty
            values["fill_sum"] += min(kits / line.product_uom_qty, 1.0)
            values["fill_lines"] += 1
        return result

    def _get_return_data(self, start, stop):
        """The kits the returns of the period took back as defects (``_get_kit_line_kits``)."""
        result = super()._get_return_data(start, stop)
        lines = self._get_kit_moves(start, stop, "return").purchase_line_id
        for line, (_before, _received, defects) in self._get_kit_line_kits(start, stop, lines).items():
            if defects:
                values = result.setdefault(line.order_id.partner_id.commercial_partner_id.id, {"returned_qty": 0.0})
                values["returned_qty"] += defects
        return result

    def _get_other_defect_lines(self, start, stop):
        """The kit lines received or returned in the period, as the base counts a plain line in
        the defect rate: the kits each received up to the period's end (at most what it ordered)
        and the kits its returns of the period took back as defects (``_get_kit_line_kits``). An
        incident of the kit product (recorded in kits) is then shared over its kit lines, one of
        a component or without product over all the vendor's lines, as the base shares them."""
        lines = (self._get_kit_moves(start, stop, "receipt") | self._get_kit_moves(start, stop, "return")).purchase_line_id
        result = super()._get_other_defect_lines(start, stop)
        for line, (before, received, defects) in self._get_kit_line_kits(start, stop, lines).items():
            ordered = line.product_uom_qty
            if min(received, ordered) > min(before, ordered) or defects > 0:
                result.append((line.order_id.partner_id.commercial_partner_id.id, line.product_id.id,
                               min(received, ordered), defects))
        return result

    def _get_kit_line_kits(self, start, stop, lines):
        """{kit purchase line: (kits received before ``start``, kits received before ``stop``,
        kits its returns in [start, stop) took back as defects)} of ``lines``, as the base counts
        a plain line's receipts and defects (``_get_line_defects_sql``): the vendor's own
        deliveries (a replacement of goods sent back for exchange makes up for no return), and
        the kits a return took back are those received before it less those left after it (a
        chair sent back breaks a set: one kit fewer, as Odoo's received quantity counts it). The
        first kits sent back up to the line's excess over its order are the over-delivery's, no
        defect."""
        receipts = self._get_kit_moves(False, stop, "receipt", lines).filtered_domain(
            vendor_delivery_domain()).grouped("purchase_line_id")
        returns = self._get_kit_moves(False, stop, "return", lines).grouped("purchase_line_id")
        Move = self.env["stock.move"]
        boms = self._get_kit_boms(lines)
        result = {}
        for line in lines:
            # {bound: (kits received before it, kits left after the returns before it)}
            kits = {}
            for bound in (start, stop):
                line_receipts = receipts.get(line, Move).filtered(lambda move, bound=bound: move.date < bound)
                line_returns = returns.get(line, Move).filtered(lambda move, bound=bound: move.date < bound)
                kits[bound] = (self._get_kits(line, boms[line], line_receipts),
                               self._get_kits(line, boms[line], line_receipts, line_returns))
            excess = max(kits[stop][0] - line.product_uom_qty, 0.0)
            defects = (max(kits[stop][0] - kits[stop][1] - excess, 0.0)
                       - max(kits[start][0] - kits[start][1] - excess, 0.0))
            result[line] = (kits[start][0], kits[stop][0], defects)
        return result

    def _get_kit_moves(self, start, stop, direction, lines=None):
        """The company's done moves of kit components of purchase lines from the vendor
        (``direction`` "receipt") or back to it ("return") in [start,
        stop) (either bound False: open), of ``lines`` when given. A line of which
        ``_get_kit_boms`` finds no kit bill (a component bought for a kit sold) counts as the base
        queries count it."""
        domain = [
            ("company_id", "=", self.company_id.id), ("state", "=", "done"),
            ("bom_line_id", "!=", False), ("purchase_line_id", "!=", False),
        ]
        if lines is not None:
            domain.append(("purchase_line_id", "in", lines.ids))
        if start:
            domain.append(("date", ">=", start))
        if stop:
            domain.append(("date", "<", stop))
        moves = self.env["stock.move"].sudo().search(domain, order="date, id")
        # from a vendor location, or back to one, as the base queries take them
        # (``vendor_location_sql``): a dropship from the vendor to a customer is a receipt only
        if direction == "receipt":
            return moves.filtered(lambda move: self._is_vendor_location(move.location_id))
        return moves.filtered(lambda move: self._is_vendor_location(move.location_dest_id))

    @api.model
    def _is_vendor_location(self, location):
        return location.usage == "supplier" or (location.usage == "transit" and not location.company_id)

    def _get_kits(self, line, bom, received, returned=None):
        """Kits of ``line`` (a kit of ``bom``) the component moves ``received`` make, less those
        ``returned`` take back: mrp's own count (whole kits), in the product's unit."""
        product = line.product_id
        if not bom or not received:
            return 0.0
        returned = returned or self.env["stock.move"]
        kits = (received | returned)._compute_kit_quantities(
            product, product.uom_id._compute_quantity(line.product_uom_qty, bom.product_uom_id), bom,
            {"incoming_moves": lambda move: move in received, "outgoing_moves": lambda move: move in returned},
        )
        return bom.product_uom_id._compute_quantity(kits, product.uom_id)
