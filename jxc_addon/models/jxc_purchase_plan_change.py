from contextlib import contextmanager

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools.precommit import collect_before_commit
from ..tools.sql_array import sql_array

# the pairs noted in the current transaction, stored when it commits (or sets a savepoint)
PENDING = "jxc_addon.purchase_plan_changes"


class JxcPurchasePlanChange(models.Model):
    """A product whose purchase-plan lines in a company may be out of date: one of its stock
    moves, RFQ lines, vendor prices or reordering rules changed there since the lines were
    refreshed. Noted by those models in the transaction of the change, stored by it as new
    rows (inserted, never updated: warehouse work on one product never waits on another's),
    and deleted by the refresh that read them (``jxc.purchase.plan._refresh``): a change
    committed after a refresh began stays for the next one, which opening the plan runs.
    The add-on's own bookkeeping table: read and written in SQL, not through the ORM."""

    _name = "jxc.purchase.plan.change"
    _description = "Purchase Plan Change"
    _log_access = False

    product_id = fields.Many2one("product.product", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", required=True, index=True, ondelete="cascade")

    @api.model
    def _get_pairs(self, records, company=None):
        """{(product id, company id)} of ``records`` (stock moves, RFQ lines, reordering rules,
        vendor prices: one of a whole product template prices each of its variants), in
        ``company`` if given, else in their own."""
        pairs = set()
        for record in records:
            products = record.product_id
            if not products and "product_tmpl_id" in record._fields:
                products = record.product_tmpl_id.product_variant_ids
            pairs.update((product.id, (company or record.company_id).id) for product in products)
        return pairs

    @api.model
    def _get_planned_pairs(self, companies):
        """{(product id, company id)} of the reordering rules the safety stock manages (those
        the plan may show) in ``companies``, in every company when None: what a change of the
        routes, rules or lead times they are replenished by may change."""
        if companies is not None and not companies:
            return set()
        self.env["stock.warehouse.orderpoint"].flush_model(["product_id", "company_id", "jxc_rule_id"])
        return set(self.env.execute_query(SQL(
            "SELECT DISTINCT product_id, company_id FROM stock_warehouse_orderpoint WHERE jxc_rule_id IS NOT NULL %s",
            SQL("AND company_id = ANY(%s)", sql_array(companies.ids, "int4")) if companies is not None else SQL(),
        )))

    @api.model
    def _get_routing_pairs(self, records):
        """``_get_planned_pairs`` of the companies of ``records`` (routes, rules, warehouses):
        of every company if one of them is shared by all companies."""
        return self._get_planned_pairs(records.company_id if all(record.company_id for record in records) else None)

    @api.model
    def _note(self, pairs):
        """Note the products changed in companies, ``pairs`` of (product id, company id); a pair
        without a company (a vendor price valid in every company) is noted in each company.
        Kept in memory until the transaction commits: a batch writing thousands of moves or
        rules stores each pair once, in one statement."""
        pairs = {(product_id, company_id) for product_id, company_id in pairs if product_id}
        if not pairs:
            return
        if any(not company_id for _product_id, company_id in pairs):
            companies = self.env["res.company"].sudo().search([]).ids
            pairs = {(product_id, company) for product_id, company_id in pairs
                     for company in ([company_id] if company_id else companies)}
        collect_before_commit(self.env.cr, PENDING, self._store_pending, pairs)

    def _store_pending(self):
        pairs = self.env.cr.precommit.data.pop(PENDING, None)
        if not pairs:
            return
        product_ids, company_ids = zip(*pairs, strict=True)
        # a product or company deleted since it was noted has nothing left to refresh
        self.env.execute_query(SQL(
            """
            INSERT INTO jxc_purchase_plan_change (product_id, company_id)
            SELECT v.product_id, v.company_id
              FROM unnest(%s, %s) AS v(product_id, company_id)
              JOIN product_product p ON p.id = v.product_id
              JOIN res_company c ON c.id = v.company_id
            """,
            sql_array(product_ids, "int4"), sql_array(company_ids, "int4"),
        ))

    @contextmanager
    def _ignoring_notes(self):
        """Changes made in the block are not noted: for writes rolled back after it."""
        data = self.env.cr.precommit.data
        pending = set(data.get(PENDING, ()))
        try:
            yield
        finally:
            data.pop(PENDING, None)
            self._note(pending)  # registers their storing again, whatever ran the callbacks meanwhile

    @api.model
    def _read(self, company, product_ids=None):
        """[(change id, product id)] of ``company`` (of ``product_ids`` only, if given),
        those noted in this transaction included."""
        self._store_pending()
        return self.env.execute_query(SQL(
            "SELECT id, product_id FROM jxc_purchase_plan_change WHERE company_id = %s %s",
            company.id,
            SQL("AND product_id = ANY(%s)", sql_array(product_ids, "int4")) if product_ids is not None else SQL(),
        ))

    @api.model
    def _count_planned(self, company):
        """How many products of ``company`` with a reordering rule the safety stock manages
        changed since their plan lines were refreshed."""
        self._store_pending()
        self.env["stock.warehouse.orderpoint"].flush_model(["company_id", "product_id", "jxc_rule_id"])
        return self.env.execute_query(SQL(
            """
            SELECT count(DISTINCT c.product_id)
              FROM jxc_purchase_plan_change c
             WHERE c.company_id = %(company)s
               AND EXISTS (SELECT 1 FROM stock_warehouse_orderpoint o
                            WHERE o.company_id = c.company_id AND o.product_id = c.product_id
                              AND o.jxc_rule_id IS NOT NULL)
            """,
            company=company.id,
        ))[0][0]

    @api.model
    def _forget(self, change_ids):
        if change_ids:
            self.env.execute_query(SQL(
                "DELETE FROM jxc_purchase_plan_change WHERE id = ANY(%s)", sql_array(change_ids, "int4"),
            ))


class JxcPurchasePlanChangeMixin(models.AbstractModel):
    """A model the purchase plan reads (stock moves, RFQ lines, vendor prices, reordering
    rules, the routes and lead times they are replenished by, vendor grades): creating or
    deleting its records, or writing a field the plan reads (``_jxc_plan_fields``, all but
    ``_jxc_plan_ignored_fields`` when none is given), notes the products whose lines read
    them changed (``_get_jxc_plan_pairs``, in ``jxc.purchase.plan.change``). A new record of
    a model whose new records no plan line reads yet (``_jxc_plan_new_read`` False: a new
    vendor has no prices, a new category or company no product) notes nothing. A write of
    the fields the pairs come from (``_jxc_plan_pair_fields``) notes the pairs before it too."""

    _name = "jxc.purchase.plan.change.mixin"
    _description = "Purchase Plan Source"
    _jxc_plan_fields = None
    _jxc_plan_ignored_fields = frozenset()
    _jxc_plan_new_read = True
    _jxc_plan_pair_fields = frozenset({"product_id", "product_tmpl_id", "company_id"})

    def _get_jxc_plan_pairs(self, fnames=None):
        """{(product id, company id)} whose plan lines read these records (company empty: in
        every company), ``fnames`` written (None: created or deleted); by default their own
        product in their company."""
        return self.env["jxc.purchase.plan.change"]._get_pairs(self)

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        if self._jxc_plan_new_read:
            self.env["jxc.purchase.plan.change"]._note(records._get_jxc_plan_pairs())
        return records

    def write(self, vals):
        read = vals.keys() - self._jxc_plan_ignored_fields
        if self._jxc_plan_fields is not None:
            read &= self._jxc_plan_fields
        if not read:
            return super().write(vals)
        # a record given another product or company leaves the old one changed too; other
        # writes (a move's state and quantities, a rule's levels) keep the pairs: looked up once
        before = self._get_jxc_plan_pairs(read) if read & self._jxc_plan_pair_fields else set()
        result = super().write(vals)
        self.env["jxc.purchase.plan.change"]._note(before | self._get_jxc_plan_pairs(read))
        return result

    def unlink(self):
        self.env["jxc.purchase.plan.change"]._note(self._get_jxc_plan_pairs())
        return super().unlink()


class JxcPurchasePlanRoutingMixin(models.AbstractModel):
    """A record of how Odoo replenishes (routes, stock rules, warehouses): a change may change
    every managed rule of its companies (``_get_routing_pairs``). Renaming one (a warehouse
    renamed renames its routes and rules) changes none."""

    _name = "jxc.purchase.plan.routing.mixin"
    _inherit = ["jxc.purchase.plan.change.mixin"]
    _description = "Purchase Plan Routing Source"
    _jxc_plan_ignored_fields = frozenset({"name"})
    _jxc_plan_pair_fields = frozenset({"company_id"})

    def _get_jxc_plan_pairs(self, fnames=None):
        return self.env["jxc.purchase.plan.change"]._get_routing_pairs(self)
