from odoo import api, models

RULE_SEARCH_MEMO = "jxc_rule_search_memo"


class StockRule(models.Model):
    _inherit = "stock.rule"

    @api.model
    def search_fetch(self, domain, field_names=None, offset=0, limit=None, order=None):
        """Inside ``StockWarehouseOrderpoint._jxc_memo_rule_searches`` only: the same search
        is run once. Odoo recomputes the stored quantities of reordering rules one rule at a
        time, and purchase_stock's ``get_total_routes`` searches the buy rules for each; no
        stock rule changes while thousands of reordering rules are written."""
        memo = self.env.cr.cache.get(RULE_SEARCH_MEMO) if self.env.context.get(RULE_SEARCH_MEMO) else None
        if memo is None:
            return super().search_fetch(domain, field_names, offset=offset, limit=limit, order=order)
        key = (repr(domain), tuple(field_names or ()), offset, limit, order, self.env.uid, self.env.su, self.env.context)
        if key not in memo:
            memo[key] = super().search_fetch(domain, field_names, offset=offset, limit=limit, order=order).ids
        return self.browse(memo[key])

    @api.model
    def _read_group(self, domain, groupby=(), aggregates=(), having=(), offset=0, limit=None, order=None):
        """Memoised like ``search_fetch``: Odoo looks up the rules of each reordering rule
        to order (``_get_rule`` for the replenishment multiple), one grouped query each."""
        memo = self.env.cr.cache.get(RULE_SEARCH_MEMO) if self.env.context.get(RULE_SEARCH_MEMO) else None
        if memo is None:
            return super()._read_group(domain, groupby, aggregates, having, offset, limit, order)
        key = (
            "read_group", repr(domain), tuple(groupby), tuple(aggregates), repr(having), offset, limit, order,
            self.env.uid, self.env.su, self.env.context,
        )
        if key not in memo:
            memo[key] = super()._read_group(domain, groupby, aggregates, having, offset, limit, order)
        return list(memo[key])
