from odoo import api, fields, models
from odoo.tools import SQL

from .jxc_count_plan import ACTIVE_STATES


class JxcCountClaim(models.Model):
    """A product at a location being counted, by one active count plan at a time.

    A plan checks the other plans before it counts a product there (``_check_no_overlap``),
    but a transaction reads the data as it was when it began: two plans started at once would
    each miss the other's lines and both count, then both post the same difference. The
    claim's unique key holds between transactions too: the second to claim waits for the first
    and fails with a serialization error, which Odoo retries with fresh data, where the check
    finds the other plan."""

    _name = "jxc.count.claim"
    _description = "Product and Location Being Counted"
    _log_access = False

    plan_id = fields.Many2one("jxc.count.plan", required=True, ondelete="cascade", index=True, readonly=True)
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    product_id = fields.Many2one("product.product", required=True, ondelete="cascade", readonly=True)
    location_id = fields.Many2one("stock.location", required=True, ondelete="cascade", readonly=True)

    _unique_counted = models.Constraint(
        "UNIQUE(product_id, location_id)", "A product and location are counted by one active count plan at a time.",
    )

    def init(self):
        # the plans active before the claims existed
        self.env.execute_query(SQL(
            """INSERT INTO jxc_count_claim (plan_id, company_id, product_id, location_id)
               SELECT DISTINCT ON (l.product_id, l.location_id) p.id, p.company_id, l.product_id, l.location_id
                 FROM jxc_count_line l JOIN jxc_count_plan p ON p.id = l.plan_id
                WHERE p.state IN %s
                ORDER BY l.product_id, l.location_id, p.id
               ON CONFLICT (product_id, location_id) DO NOTHING""",
            ACTIVE_STATES,
        ))

    @api.model
    def _claim(self, plan, pairs):
        """Claim the (product id, location id) ``pairs`` for ``plan``; those another active plan
        holds stay its (``jxc.count.plan._get_overlaps``)."""
        if not pairs:
            return
        products, locations = zip(*pairs, strict=True)
        self.env.execute_query(SQL(
            """INSERT INTO jxc_count_claim (plan_id, company_id, product_id, location_id)
               SELECT %s, %s, t.product_id, t.location_id FROM unnest(%s::int[], %s::int[]) AS t(product_id, location_id)
               ON CONFLICT (product_id, location_id) DO NOTHING""",
            plan.id, plan.company_id.id, list(products), list(locations),
        ))

    @api.model
    def _release(self, plans):
        """What ``plans`` no longer count: all of a plan no longer active, and of an active plan
        the products and locations it has no line of any more (a found line deleted)."""
        if plans:
            self.env["jxc.count.plan"].flush_model(["state"])
            self.env["jxc.count.line"].flush_model(["plan_id", "product_id", "location_id"])
            self.env.execute_query(SQL(
                """DELETE FROM jxc_count_claim c USING jxc_count_plan p
                    WHERE p.id = c.plan_id AND p.id IN %s
                      AND (p.state NOT IN %s OR NOT EXISTS (
                          SELECT 1 FROM jxc_count_line l
                           WHERE l.plan_id = c.plan_id AND l.product_id = c.product_id
                             AND l.location_id = c.location_id))""",
                tuple(plans.ids), ACTIVE_STATES,
            ))
