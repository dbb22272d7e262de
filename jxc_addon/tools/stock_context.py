"""The context keys Odoo's stock quantities read.

``product.product._compute_quantities`` and ``_get_domain_locations`` take the locations, lots,
owners, packages and dates of their figures from the context, and every client writes the
context: an RPC with ``from_date`` in the future, ``lot_id=False`` (only stock without lot) or
another ``location`` changes what Odoo computes. The reordering rules' figures also read the
replenishment horizon from it (``get_horizon_days``: ``global_horizon_days`` before the company's
setting; ``stock.rule._get_lead_days``: ``bypass_global_horizon_days`` drops it), which sets how
far ahead their forecast counts the moves, and purchase_stock's lead days leave out the vendor's
delay with ``ignore_vendor_lead_time``. A check whose verdict a user must not steer
computes without those keys (removed, not set to False: ``owner_id=False`` means the stock
no one else owns).
"""

STOCK_CONTEXT_KEYS = frozenset({
    "location", "search_location", "warehouse_id", "search_warehouse", "compute_child", "strict",
    "lot_id", "owner_id", "owners", "package_id", "from_date", "to_date",
    "global_horizon_days", "bypass_global_horizon_days", "ignore_vendor_lead_time",
})


def without_stock_context(records):
    """``records`` in their context without the keys of ``STOCK_CONTEXT_KEYS``."""
    context = records.env.context
    if STOCK_CONTEXT_KEYS.isdisjoint(context):
        return records
    # a new environment: with_context() adds keys, it cannot remove them
    return records.with_env(records.env(context={key: value for key, value in context.items()
                                                 if key not in STOCK_CONTEXT_KEYS}))
