"""Replay of a reorder-point policy on a demand history, day by day, for many products at
once (numpy: one loop over the days, every product in each step).

The policy is Odoo's reordering rule (``stock.warehouse.orderpoint``): when the forecast
stock (on hand + on order - backorders) is below the minimum, order up to the maximum,
the quantity rounded up to the rule's replenishment multiple (``_get_multiple_rounded_qty``).
Unserved demand is backordered (as an open sales order in Odoo) and served first when
goods arrive. Each order arrives after a lead time drawn from the product's own measured
lead times (or its fixed lead time), with a seeded generator, so a replay is repeatable.

Measures per product (Silver, Pyke & Thomas, ch. 6 definitions):
- fill rate: the share of the demand served from stock on its day;
- cycle service level: the share of replenishment cycles (the days before a receipt, back
  to the previous one) without unserved demand or waiting customers;
- stock-out days: days ending without stock on hand (net stock <= 0);
- average stock: mean of the stock on hand at the end of each day; orders: how many;
  cycles: how many receipts (the cycles the cycle service level counts).

A product that came into the warehouse during the replayed days (``start``) is replayed from
that day on: before it, it had no stock to hold and nothing to order.
"""

import numpy as np


def replay(demand, minimum, maximum, lead_times, initial_stock=None, seed=0, multiple=None, start=None):
    """Replay min/max rules on daily demand.

    :param demand: array (products, days) of the demand per day (negative values count as 0)
    :param minimum: array (products,) reorder points (-inf: a rule that never orders, as a manual
        one); ``maximum`` the order-up-to levels
    :param lead_times: array (products,) of fixed lead times in days, or a list with one
        sequence of measured lead times per product (each order draws one of them)
    :param initial_stock: array (products,) on hand on the first day (default: the maximum)
    :param multiple: array (products,) of the quantities an order is a whole number of
        (0 or default: any quantity)
    :param start: array (products,) of the first day of each product (default 0): the
        stock-out days and the average stock count the days from it
    :return: dict of arrays (products,): "fill_rate", "cycle_service_level", "cycles",
        "stockout_days", "average_stock", "orders", "demand", "served"
    """
    demand = np.maximum(np.atleast_2d(np.asarray(demand, dtype=float)), 0.0)
    products, days = demand.shape
    minimum = np.asarray(minimum, dtype=float)
    maximum = np.maximum(np.asarray(maximum, dtype=float), minimum)
    step = np.zeros(products) if multiple is None else np.maximum(np.asarray(multiple, dtype=float), 0.0)
    rounded = step > 0
    samples, counts = _lead_time_samples(lead_times, products)
    rng = np.random.default_rng(seed)
    horizon = days + int(np.round(samples.max())) + 2
    arrivals = np.zeros((products, horizon))
    net = (maximum if initial_stock is None else np.asarray(initial_stock, dtype=float)).astype(float).copy()
    on_order = np.zeros(products)
    served = np.zeros(products)
    stock_sum = np.zeros(products)
    stockout_days = np.zeros(products)
    orders = np.zeros(products)
    cycles = np.zeros(products)
    cycles_ok = np.zeros(products)
    short_in_cycle = np.zeros(products, dtype=bool)
    rows = np.arange(products)
    first = np.zeros(products, dtype=int) if start is None else np.clip(np.asarray(start, dtype=int), 0, days)
    for day in range(days):
        there = first <= day
        received = arrivals[:, day]
        arrived = received > 0
        # A receipt closes a replenishment cycle.
        cycles += arrived
        cycles_ok += arrived & ~short_in_cycle
        short_in_cycle &= ~arrived
        net += received
        on_order -= received
        wanted = demand[:, day]
        from_stock = np.minimum(wanted, np.maximum(net, 0.0))
        served += from_stock
        net -= wanted
        # Short: demand not served today, or customers still waiting at the end of the day.
        short_in_cycle |= (from_stock < wanted - 1e-9) | (net < -1e-9)
        on_hand = np.maximum(net, 0.0)
        stock_sum += np.where(there, on_hand, 0.0)
        stockout_days += there & (on_hand <= 1e-9)
        # Odoo's rule: forecast below the minimum -> order up to the maximum.
        position = net + on_order
        ordering = there & (position < minimum - 1e-9)
        if ordering.any():
            quantity = np.where(ordering, maximum - position, 0.0)
            # rounded up as Odoo does (12.000000001 boxes stay 12)
            boxes = np.ceil(np.round(quantity / np.where(rounded, step, 1.0), 9))
            quantity = np.where(rounded, boxes * step, quantity)
            lead = samples[rows, rng.integers(0, counts)]
            # Ordered after today's demand, received at the start of the day after ``lead``
            # more days of demand: the lead time the planning covers with its forecast.
            arrive = np.minimum(day + 1 + np.maximum(np.round(lead).astype(int), 0), horizon - 1)
            np.add.at(arrivals, (rows[ordering], arrive[ordering]), quantity[ordering])
            on_order += quantity
            orders += ordering
    total = demand.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        fill_rate = np.where(total > 0, served / np.where(total > 0, total, 1.0), 1.0)
        csl = np.where(cycles > 0, cycles_ok / np.where(cycles > 0, cycles, 1.0), np.where(short_in_cycle, 0.0, 1.0))
    return {
        "fill_rate": fill_rate, "cycle_service_level": csl, "cycles": cycles, "stockout_days": stockout_days,
        "average_stock": stock_sum / np.maximum(days - first, 1), "orders": orders, "demand": total, "served": served,
    }


def _lead_time_samples(lead_times, products):
    """(products, k) array of lead-time samples and the number of samples of each product
    (a fixed lead time is a sample of one; a product without sample gets 0 days)."""
    if np.isscalar(lead_times) or isinstance(lead_times, np.ndarray) and lead_times.ndim == 1:
        fixed = np.broadcast_to(np.asarray(lead_times, dtype=float), (products,))
        return fixed.reshape(products, 1).copy(), np.ones(products, dtype=int)
    width = max((len(sample) for sample in lead_times), default=1) or 1
    samples = np.zeros((products, width))
    counts = np.ones(products, dtype=int)
    for row, sample in enumerate(lead_times):
        samples[row, :len(sample)] = sample
        counts[row] = max(len(sample), 1)
    return samples, counts
