from collections import defaultdict

from odoo import api, models
from odoo.fields import Domain

# what Odoo's lead days and manufacturing order size of the made product read from its bill
# (mrp's _get_lead_days, _get_replenishment_multiple_alternative), or whether it is made at all
LEVEL_FIELDS = frozenset({
    "produce_delay", "days_to_prepare_mo", "product_qty", "product_uom_id", "type", "active", "product_id",
    "product_tmpl_id", "picking_type_id", "company_id", "sequence",
})


class MrpBom(models.Model):
    # A bill of materials decides whether a warehouse's Manufacture route applies to its
    # product (mrp's _filter_warehouse_routes): whether the purchase plan buys it.
    _name = "mrp.bom"
    # the lead time of a made product's managed reordering rule is the bill's: it follows a change
    # of the bill at once, as Odoo's lead days do, as it follows a vendor's delay
    _inherit = ["mrp.bom", "jxc.purchase.plan.change.mixin", "jxc.planning.input.mixin"]
    _jxc_plan_fields = frozenset({"active", "type", "product_id", "product_tmpl_id", "company_id"})

    @api.model
    def _jxc_changes_levels(self, vals):
        return bool(vals.keys() & LEVEL_FIELDS)

    @api.model
    def _get_jxc_kit_domain(self, company):
        """Domain of the products that are kits in ``company``: a kit bill of materials of the
        company (or of none) names the variant, or its template without a variant, as mrp's
        ``_bom_find`` finds it. Not Odoo's ``is_kits`` search, which reads the companies
        ticked in the user's switcher, not ``company``."""
        boms = self.sudo().search_fetch(
            [("type", "=", "phantom"), ("company_id", "in", [company.id, False])], ["product_id", "product_tmpl_id"])
        return Domain.OR([
            Domain("id", "in", boms.product_id.ids),
            Domain("product_tmpl_id", "in", boms.filtered(lambda bom: not bom.product_id).product_tmpl_id.ids),
        ])

    @api.model
    def _get_jxc_kits_of(self, products):
        """The kits (of any company) with one of ``products`` among their components, the
        components of a kit within a kit included; archived bills too: a confirmed order keeps
        the bill its moves were made with."""
        kits = self.env["product.product"]
        while products:
            boms = self.sudo().with_context(active_test=False).search_fetch([
                ("type", "=", "phantom"), ("bom_line_ids.product_id", "in", products.ids),
            ], ["product_id", "product_tmpl_id"])
            found = (boms.product_id | boms.filtered(lambda bom: not bom.product_id).product_tmpl_id.product_variant_ids)
            products = found - kits
            kits |= found
        return kits

    @api.model
    def _get_jxc_line_kit_boms(self, lines):
        """{order line (sale or purchase): the kit bill of materials of its product, or an empty
        one}, as sale_mrp finds a kit line's (``_prepare_qty_delivered``): the bill its moves were
        exploded with, archived since or not (a confirmed order keeps its bill: the buyer's new
        version does not count what was received with the old one), else the company's kit bill
        that mrp explodes the product with now (``_bom_find``): a line with no move yet, or a kit
        of kits, whose moves carry the bills of its kits. None for a line that moves its product
        itself: it was confirmed before the product became a kit."""
        result, missing = {}, defaultdict(list)
        for line in lines:
            product = line.product_id
            moves = line.move_ids.filtered(lambda move: move.state != "cancel")
            result[line] = moves.bom_line_id.bom_id.filtered(
                lambda bom, product=product: bom.type == "phantom" and (
                    bom.product_id == product or not bom.product_id and bom.product_tmpl_id == product.product_tmpl_id))[:1]
            if not result[line] and product not in moves.product_id:
                missing[line.company_id].append(line)
        for company, company_lines in missing.items():
            found = self._bom_find(
                self.env["product.product"].union(*(line.product_id for line in company_lines)),
                company_id=company.id, bom_type="phantom")
            for line in company_lines:
                result[line] = found[line.product_id]
        return result
