from collections import defaultdict

from odoo import api, models
from odoo.addons.jxc_addon.tools.company_day import local_date


class SaleOrder(models.Model):
    """The sales availability check (超售) for kits. Odoo hides its availability widget on a
    kit's line (sale_mrp: "forecast doesn't support them"), which the base check follows: a kit
    is measured here from the moves of its components, as mrp measures a kit's forecast (whole
    kits, the fewest any component makes)."""

    _inherit = "sale.order"

    def _get_jxc_confirmed_shortages(self):
        """The base's shortages, with the confirmed kit lines, whose moves are their components':
        the kits the components are available for by the line's delivery date, each component
        as the base measures a line of it from how Odoo's forecast fills its moves (stock and
        receipts by then). The replenishment is the day the last short component comes, each
        as the base finds a line's (the receipts Odoo gives its moves after the date, else
        today plus the days Odoo takes to replenish it); unknown when one of them is."""
        result = super()._get_jxc_confirmed_shortages()
        lines = self.order_line.filtered(lambda line: line.state == "sale" and line.move_ids and line.product_uom_id
                                         and line.product_uom_id.compare(line.qty_to_deliver, 0.0) > 0)
        kit_lines = {}
        boms = self.env["mrp.bom"]._get_jxc_line_kit_boms(lines)
        for line in lines:
            bom = boms[line]
            moves = line.move_ids.filtered(lambda move: move.state not in ("done", "cancel"))
            if bom and moves:
                kit_lines[line] = (bom, moves)
        fills = self._jxc_get_move_forecasts(self.env["stock.move"].union(*[moves for _bom, moves in kit_lines.values()]))
        rows, needs_of = {}, {}
        for line, (bom, moves) in kit_lines.items():
            company, delivery = line.order_id.company_id, self._jxc_get_delivery_date(line)
            per_run, take = self._jxc_get_kit_components(line, bom)
            available, comes = {}, {}
            for component, needed in take.items():
                component_moves = moves.filtered(lambda move, component=component: move.product_id == component)
                in_time, later, last, unfilled = self._jxc_split_forecast(
                    [fill for move in component_moves for fill in fills.get(move, [])], delivery)
                # what was delivered of it beyond whole kits (a delivery split by component) is the
                # line's already: no move is left for it
                remaining = min(sum(component_moves.mapped("product_qty")), needed)
                available[component] = in_time + needed - remaining
                comes[component] = (last, max(unfilled, remaining - in_time - later))
            kit_qty = self._jxc_count_kits(bom, per_run, available)
            # measured here, not by the base: a kit of kits keeps Odoo's availability widget
            # (sale_mrp finds no bill of its own on its moves), which the base reads as a product
            # with no move of its own
            rows[line] = kit_qty is not None and self._jxc_get_shortage_row(
                line, line.qty_to_deliver, bom.product_uom_id._compute_quantity(kit_qty, line.product_uom_id))
            if not rows[line]:
                continue
            # each short component's day: its last receipt, else (a request) the days Odoo takes
            # to bring the rest, dated below for all the lines at once as the base dates its own
            needs = needs_of[line] = []
            for component in take:
                if component.uom_id.compare(take[component], available[component]) <= 0:
                    continue
                last, rest = comes[component]
                if component.uom_id.compare(rest, 0.0) > 0:
                    # ordered today, what no receipt brings; served once the receipts after the date are in too
                    needs.append((component, line.warehouse_id, company, rest))
                if last:
                    needs.append(local_date(company, last))
        requests = [need for needs in needs_of.values() for need in needs if isinstance(need, tuple)]
        dates = iter(self._jxc_get_lead_time_dates(requests))
        for line, needs in needs_of.items():
            days = [next(dates) if isinstance(need, tuple) else need for need in needs]
            rows[line][4] = max(days) if days and all(days) else False
        return self._jxc_merge_rows(result, rows)

    @api.model
    def _jxc_get_delivery_date(self, line):
        # Odoo leaves the delivery date of a kit's line empty with the availability widget it
        # hides there (sale_mrp): dated as sale_stock dates the others (the order's commitment
        # date, else the line's expected date)
        return super()._jxc_get_delivery_date(line) or line.order_id.commitment_date or line._expected_date()

    @api.model
    def _jxc_recheck_warned_orders(self, products):
        """Stock of a component moved: the orders warned of a shortage of a kit of it too."""
        # every move confirmed, cancelled or rescheduled asks: the kits are looked up only when
        # some order is warned at all (one read of the warned orders' index)
        if not products or not self.sudo().search_count([("jxc_shortage_key", "!=", False)], limit=1):
            return None
        return super()._jxc_recheck_warned_orders(products | self.env["mrp.bom"]._get_jxc_kits_of(products))

    @api.model
    def _jxc_is_kit_line(self, line):
        return line.product_id.with_company(line.company_id).is_kits

    @api.model
    def _jxc_merge_rows(self, result, rows):
        """``result`` with the rows of ``rows`` {line: row, or None when not short} in place of
        the base's rows of those lines, each order's rows in the order of its lines."""
        for line, row in rows.items():
            order_rows = [other for other in result.get(line.order_id, []) if other[0] != line]
            if row:
                order_rows.append(row)
            if order_rows:
                result[line.order_id] = sorted(order_rows, key=lambda other: (other[0].sequence, other[0].id))
            else:
                result.pop(line.order_id, None)
        return result

    @api.model
    def _jxc_get_kit_components(self, line, bom):
        """({component: quantity per kit of the bill}, {component: quantity of the kits still to
        deliver}) in the components' units, of the storable components ``line`` delivers from
        stock: mrp's quantity per kit (``_compute_quantities_dict``), what Odoo's procurement
        of the line asks (mrp's ``stock.rule.run``)."""
        product = line.product_id
        # the components of the line's options too (a no-variant attribute), as its procurement
        # explodes the kit (sale_stock's never_product_template_attribute_value_ids)
        never = line.product_no_variant_attribute_value_ids
        per_run, take = defaultdict(float), defaultdict(float)
        for bom_line, data in bom.explode(product, 1, never_attribute_values=never)[1]:
            component = bom_line.product_id
            if (not component.is_storable or bom_line.product_uom_id.is_zero(data["qty"])
                    or self._jxc_is_procured_to_order(line, component)):
                continue
            per_run[component] += bom_line.product_uom_id._compute_quantity(
                data["qty"] / data["original_qty"], component.uom_id, round=False, raise_if_failure=False)
        per_run = {component: qty for component, qty in per_run.items() if qty}
        runs = line.product_uom_id._compute_quantity(line.qty_to_deliver, bom.product_uom_id, round=False) / bom.product_qty
        for bom_line, data in bom.explode(product, runs, never_attribute_values=never)[1]:
            component = bom_line.product_id
            if component in per_run:
                take[component] += bom_line.product_uom_id._compute_quantity(data["qty"], component.uom_id)
        return per_run, dict(take)

    @api.model
    def _jxc_is_procured_to_order(self, line, component):
        """Whether Odoo procures ``component`` of the kit ``line`` on order (made or bought to
        order, dropshipped), which takes no stock: the line's ``is_mto`` (sale_stock,
        stock_dropshipping) asked of the component, which the kit's procurement asks with the
        line's routes."""
        routes = line.route_ids or (component.route_ids | component.categ_id.total_route_ids)
        mto = line.warehouse_id.mto_pull_id.route_id or self.env.ref(
            "stock.route_warehouse0_mto", raise_if_not_found=False)
        if mto and mto in routes:
            return True
        return any(rule.picking_type_id.sudo().default_location_src_id.usage == "supplier"
                   and rule.picking_type_id.sudo().default_location_dest_id.usage == "customer"
                   for rule in routes.rule_ids)

    @api.model
    def _jxc_count_kits(self, bom, per_run, available):
        """Whole kits of ``bom`` (in its unit) that ``available`` {component: quantity} makes, as
        mrp counts a kit's forecast (``_compute_quantities_dict``): None without a storable
        component (a kit that takes no stock)."""
        ratios, component = [], None
        for component, qty in per_run.items():
            ratios.append(component.uom_id.round(available[component] / qty, rounding_method="DOWN"))
        if not ratios:
            return None
        return component.uom_id.round(min(ratios) * bom.product_qty) // 1
