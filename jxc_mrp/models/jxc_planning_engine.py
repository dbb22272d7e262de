from odoo import api, models
from odoo.addons.jxc_addon.tools.whole_units import packaging_multiple


class JxcPlanningEngine(models.AbstractModel):
    _inherit = "jxc.planning.engine"

    @api.model
    def _get_product_domain(self, company):
        # mrp refuses a reordering rule for a kit (stock.warehouse.orderpoint's
        # check_product_is_not_kit) and leaves kits out of the replenishment report: a kit
        # is sold as its components, whose deliveries are the demand the engine counts.
        kits = self.env["mrp.bom"]._get_jxc_kit_domain(company)
        return super()._get_product_domain(company) & ~kits

    @api.model
    def _vendor_line_chooser(self, company, date):
        """No vendor for a product Odoo manufactures: a vendor on its rule would make Odoo's
        own inverse give the rule the Buy route, and the rule would buy what is made. For a
        warehouse, Odoo's rules into it decided (the caller: a Manufacture rule does not buy,
        nor does a resupply from a warehouse that makes it); without one (the sales check),
        whether the product's routes make it anywhere."""
        choose = super()._vendor_line_chooser(company, date)
        made = {}

        def choose_unless_made(product, vendor, quantity, warehouse=None):
            if warehouse is None:
                if product.id not in made:
                    # the products fetched with this one (the rules' products) at once
                    batch = product.browse(list(product._prefetch_ids)) | product
                    boms = self._get_manufacturing_boms(batch, company)
                    made.update({other.id: other.id in boms for other in batch})
                if made[product.id]:
                    return self.env["product.supplierinfo"]
            return choose(product, vendor, quantity, warehouse)

        choose_unless_made.rules_of = choose.rules_of  # the routes asked once (see the base chooser)
        return choose_unless_made

    @api.model
    def _compute_statistics(self, company, pairs, demand, today, choose_seller):
        """Where Odoo's rules make the product in the warehouse, the lead time is Odoo's lead
        days of those rules (mrp's ``_get_lead_days``): the transfers' delays, the bill of
        materials' manufacturing lead time and days to prepare the order, the pre-production
        steps; the bill found for the rule's operation type, or the one set on the reordering
        rule. A warehouse resupplied from the one that makes it keeps the delays of its
        resupply. The bill Odoo rounds a manufacturing order to (``_get_default_multiple``) is
        kept with the plan."""
        plans = super()._compute_statistics(company, pairs, demand, today, choose_seller)
        made = [plan for plan in plans if "manufacture" in plan["supply_rules"].mapped("action")]
        if not made:
            return plans
        products = self.env["product.product"].browse({plan["product"].id for plan in made})
        rule_boms = {
            (orderpoint.product_id.id, orderpoint.warehouse_id.id): orderpoint.bom_id
            for orderpoint in self.env["stock.warehouse.orderpoint"].sudo().search([
                ("company_id", "=", company.id), ("product_id", "in", products.ids), ("bom_id", "!=", False),
            ])
        }
        # mrp's _get_replenishment_multiple_alternative: the rule's bill, else any normal one
        any_boms = self.env["mrp.bom"].sudo()._bom_find(products, picking_type=False, company_id=company.id, bom_type="normal")
        for plan in made:
            product = plan["product"]
            bom = rule_boms.get((product.id, plan["warehouse"].id))
            rules = plan["supply_rules"].filtered(lambda rule: rule.action in ("pull", "pull_push", "manufacture"))
            delays, _description = rules.sudo().with_context(
                bypass_delay_description=True, bypass_global_horizon_days=True,
            )._get_lead_days(product, **({"bom": bom} if bom else {}))
            plan.update(lead_time=float(delays["total_delay"]), lead_time_stddev=0.0, lead_time_source="promised",
                        multiple_bom=bom or any_boms.get(product) or self.env["mrp.bom"])
        return plans

    @api.model
    def _get_default_multiple(self, plan):
        """A product made: Odoo rounds its manufacturing order up to whole units of its bill of
        materials (a bill for a dozen makes 12 at a time)."""
        bom = plan.get("multiple_bom")
        if bom:
            return packaging_multiple(plan["product"].uom_id, bom.product_uom_id)
        return super()._get_default_multiple(plan)

    @api.model
    def _get_manufacture_routes(self, company):
        return self.env["stock.rule"].sudo().search([
            ("action", "=", "manufacture"), ("company_id", "in", [company.id, False]),
        ]).route_id

    @api.model
    def _get_manufacturing_boms(self, products, company):
        """{product id: the bill of materials Odoo would manufacture it with} of ``products``,
        in one search of the bills. Routes resolve as Odoo's rules do: the product's own (or its
        category's) first, so a Manufacture route there makes it and a Buy route buys it; else
        the warehouse's, where Odoo's default Manufacture to Resupply makes every product that
        has a bill of materials."""
        routes = self._get_manufacture_routes(company)
        buy_routes = self.env["stock.rule"].sudo().search([
            ("action", "=", "buy"), ("company_id", "in", [company.id, False]),
        ]).route_id
        by_warehouse = routes.filtered(lambda route: route.warehouse_selectable and any(
            warehouse.company_id == company for warehouse in route.warehouse_ids))

        def is_made(product):
            own = product.route_ids | product.categ_id.total_route_ids
            return bool(own & routes) or (bool(by_warehouse) and not own & buy_routes)

        made = products.filtered(is_made)
        if not made:
            return {}
        found = self.env["mrp.bom"].sudo()._bom_find(made, company_id=company.id, bom_type="normal")
        return {product.id: bom for product, bom in found.items() if bom}
