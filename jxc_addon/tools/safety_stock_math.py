"""Pure inventory-control formulas used by the safety-stock rules.

No Odoo import on purpose: these functions are the textbook formulas, unit-tested on
published worked examples (see tests/test_safety_formulas.py); the models only gather
their inputs from the database.
"""

import math
from statistics import NormalDist

# fewer receipts than this say too little about a vendor's lead time (one has no spread at
# all): the safety stock and the policy backtest then take the promised one
MIN_LEAD_TIME_RECEIPTS = 3


def z_from_service_level(service_level):
    """Safety factor z for a cycle service level given in percent (e.g. 95.0 -> 1.6449).

    Valid service levels are in (50, 99.99]: at 50 % or below z <= 0 (no safety stock
    is a choice, not a service level) and 100 % would need an infinite stock.
    """
    if not 50.0 < service_level <= 99.99:
        raise ValueError(f"service level {service_level} % outside (50, 99.99]")
    return NormalDist().inv_cdf(service_level / 100.0)


def daily_demand_stats(total, total_of_squares, days):
    """Mean and sample standard deviation of the demand per period (day or week) over
    ``days`` periods.

    ``total`` and ``total_of_squares`` are the sums of the quantities per period and of
    their squares over the periods with demand; every other period of the window counts
    as a zero, which is why the sums, not the periods with demand, are given.
    """
    if days <= 0:
        return 0.0, 0.0
    mean = total / days
    if days < 2:
        return mean, 0.0
    variance = (total_of_squares - days * mean * mean) / (days - 1)
    return mean, math.sqrt(max(variance, 0.0))


def safety_stock_statistical(z, demand_stddev, lead_time, demand_mean=0.0, lead_time_stddev=0.0):
    """SS = z * sqrt(L * sigma_d^2 + d^2 * sigma_L^2), which is z * sigma_d * sqrt(L) when
    the lead time is certain (sigma_L = 0). Demand and lead time in the same time unit."""
    if lead_time <= 0 and lead_time_stddev <= 0:
        return 0.0
    variance = max(lead_time, 0.0) * demand_stddev**2 + demand_mean**2 * lead_time_stddev**2
    return z * math.sqrt(variance)


def safety_stock_days_of_cover(demand_mean, days):
    """Days of cover: the average daily demand times the number of days to keep."""
    return demand_mean * days


def economic_order_quantity(annual_demand, ordering_cost, holding_cost_per_unit):
    """EOQ = sqrt(2 * D * S / H); 0 when an input is missing (EOQ not configured)."""
    if annual_demand <= 0 or ordering_cost <= 0 or holding_cost_per_unit <= 0:
        return 0.0
    return math.sqrt(2.0 * annual_demand * ordering_cost / holding_cost_per_unit)


def seasonal_forecast(last_year_qty, recent_qty, recent_last_year_qty):
    """Same period last year times the trend (recent demand / the same weeks a year earlier).

    Without comparable demand a year earlier the trend is 1 (last year's figure as is). The
    quantities are net of customer returns: returns above deliveries (after a season) forecast
    no demand, never a negative one, as the other methods.
    """
    trend = max(recent_qty, 0.0) / recent_last_year_qty if recent_last_year_qty > 0 else 1.0
    return max(last_year_qty, 0.0) * trend, trend


def round_order_quantity(qty, minimum=0.0, multiple=0.0):
    """Raise an order quantity to the vendor's minimum, then up to a whole multiple."""
    if qty <= 0:
        return 0.0
    qty = max(qty, minimum or 0.0)
    if multiple and multiple > 0:
        qty = math.ceil(round(qty / multiple, 9)) * multiple
    return qty
