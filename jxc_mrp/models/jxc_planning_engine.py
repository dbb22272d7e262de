from odoo import api, models
from odoo.fields import Domain


class JxcPlanningEngine(models.AbstractModel):
    _inherit = "jxc.planning.engine"

    @api.model
    def _get_product_domain(self, company):
        # mrp refuses a reordering rule for a kit (stock.warehouse.orderpoint's
        # check_product_is_not_kit) and leaves kits out of the replenishment report: a kit
        # is sold as its components, whose deliveries are the demand the engine counts.
        return super()._get_product_domain(company) & Domain("is_kits", "=", False)

    @api.model
    def _vendor_line_chooser(self, company, date):
        """No vendor for a product Odoo manufactures: a vendor on its rule would make Odoo's
        own inverse give the rule the Buy route, and the rule would buy what is made."""
        choose = super()._vendor_line_chooser(company, date)
        routes = self._get_manufacture_routes(company)
        made = {}

        def choose_unless_made(product, vendor, quantity):
            if product.id not in made:
                made[product.id] = bool(self._get_manufacturing_bom(product, company, routes))
            return self.env["product.supplierinfo"] if made[product.id] else choose(product, vendor, quantity)

        return choose_unless_made

    @api.model
    def _compute_statistics(self, company, pairs, demand, today, choose_seller):
        """A manufactured product's lead time is its bill of materials' (manufacturing lead
        time plus the days to prepare the order), as Odoo's manufacture rule counts it."""
        plans = super()._compute_statistics(company, pairs, demand, today, choose_seller)
        routes = self._get_manufacture_routes(company)
        for plan in plans:
            bom = self._get_manufacturing_bom(plan["product"], company, routes)
            if bom:
                plan.update(lead_time=float(bom.produce_delay + bom.days_to_prepare_mo), lead_time_stddev=0.0,
                            lead_time_source="promised")
        return plans

    @api.model
    def _get_manufacture_routes(self, company):
        return self.env["stock.rule"].sudo().search([
            ("action", "=", "manufacture"), ("company_id", "in", [company.id, False]),
        ]).route_id

    @api.model
    def _get_manufacturing_bom(self, product, company, routes):
        """The bill of materials Odoo would manufacture ``product`` with, when one of the
        Manufacture ``routes`` applies to it (its own routes or its category's), else an empty
        recordset."""
        if not (product.route_ids | product.categ_id.total_route_ids) & routes:
            return self.env["mrp.bom"]
        return self.env["mrp.bom"].sudo()._bom_find(product, company_id=company.id, bom_type="normal")[product]
