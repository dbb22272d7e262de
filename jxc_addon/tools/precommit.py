"""Work gathered over a transaction and done once, just before it commits."""


def collect_before_commit(cr, key, callback, values):
    """Add ``values`` to the set ``key`` of the transaction; ``callback`` (registered once per
    set) runs before the commit and pops the set from ``cr.precommit.data``."""
    if key not in cr.precommit.data:
        cr.precommit.add(callback)
    cr.precommit.data.setdefault(key, set()).update(values)
