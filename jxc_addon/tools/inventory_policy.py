"""Reorder points for a cycle service level or a fill rate, under the normal or the Gamma
distribution of the lead-time demand.

Sources:
- normal loss function G(z) = phi(z) - z (1 - Phi(z)) and the fill-rate condition
  sigma_L G(z) = (1 - beta) Q: E. A. Silver, D. F. Pyke, D. J. Thomas, *Inventory and
  Production Management in Supply Chains* (4th ed.), chapter 6 (the "P2" service
  measure, table of G_u(k)); S. Nahmias, *Production and Operations Analysis*, chapter 5
  ("Type 2 service", n(R) = sigma L(z) = (1 - beta) Q);
- Gamma lead-time demand for slow and intermittent items, fitted by its mean and
  variance (shape k = mu^2 / sigma^2, scale theta = sigma^2 / mu), expected shortage
  E[(X - s)+] = k theta (1 - F_{k+1}(s)) - s (1 - F_k(s)): Silver, Pyke & Thomas,
  section on the Gamma distribution; the regularized incomplete gamma function as in
  Press et al., *Numerical Recipes*, section 6.2 (series and continued fraction).

No Odoo import. ``statistics.NormalDist`` gives the normal distribution.
"""

import math
from statistics import NormalDist

import numpy as np

_NORMAL = NormalDist()


def normal_loss(z):
    """Standard normal loss function G(z) = E[(Z - z)+] = phi(z) - z (1 - Phi(z))."""
    return _NORMAL.pdf(z) - z * (1.0 - _NORMAL.cdf(z))


def _bisect(function, low, high, target, decreasing=True, iterations=100):
    """x in [low, high] with function(x) = target for a monotone function."""
    for _ in range(iterations):
        middle = (low + high) / 2.0
        above = function(middle) > target
        if above == decreasing:
            low = middle
        else:
            high = middle
        if high - low <= 1e-6 * max(1.0, abs(high)):  # far below a unit of any product
            break
    return (low + high) / 2.0


def z_from_fill_rate(fill_rate, sigma_lead_time, order_qty):
    """Safety factor z with sigma_L G(z) = (1 - beta) Q, ``fill_rate`` beta in percent.

    A fill rate that the order quantity alone reaches (G(z) >= G(0)) needs no safety
    stock: z = 0, never negative (a negative safety stock is not proposed).
    """
    if not 0.0 < fill_rate < 100.0:
        raise ValueError(f"fill rate {fill_rate} % outside (0, 100)")
    if sigma_lead_time <= 0:
        return 0.0
    target = (1.0 - fill_rate / 100.0) * order_qty / sigma_lead_time
    if target >= normal_loss(0.0):
        return 0.0
    return _bisect(normal_loss, 0.0, 10.0, target)


def fill_rate_normal(z, sigma_lead_time, order_qty):
    """Fill rate beta (0..1) of a reorder point mu_L + z sigma_L and an order quantity Q."""
    if order_qty <= 0:
        return 0.0
    return 1.0 - sigma_lead_time * normal_loss(z) / order_qty


# --- Gamma ------------------------------------------------------------------------------
def regularized_gamma_p(a, x):
    """P(a, x) = gamma(a, x) / Gamma(a), the regularized lower incomplete gamma function."""
    if x <= 0:
        return 0.0
    log_prefix = a * math.log(x) - x - math.lgamma(a)
    if x < a + 1.0:
        # Series: P = e^-x x^a / Gamma(a + 1) * sum x^n / ((a + 1) ... (a + n)).
        term = total = 1.0 / a
        denominator = a
        for _ in range(1000):
            denominator += 1.0
            term *= x / denominator
            total += term
            if abs(term) < abs(total) * 1e-15:
                break
        return min(1.0, total * math.exp(log_prefix))
    # Continued fraction for Q = 1 - P (modified Lentz).
    tiny = 1e-300
    b = x + 1.0 - a
    c = 1.0 / tiny
    d = 1.0 / b
    h = d
    for i in range(1, 1000):
        an = -i * (i - a)
        b += 2.0
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1.0 / d
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-15:
            break
    return max(0.0, 1.0 - math.exp(log_prefix) * h)


def gamma_parameters(mean, stddev):
    """Shape and scale of the Gamma distribution with this mean and standard deviation."""
    if mean <= 0 or stddev <= 0:
        raise ValueError("the Gamma distribution needs a positive mean and standard deviation")
    return (mean / stddev) ** 2, stddev**2 / mean


def gamma_cdf(x, mean, stddev):
    shape, scale = gamma_parameters(mean, stddev)
    return regularized_gamma_p(shape, x / scale)


def gamma_expected_shortage(s, mean, stddev):
    """E[(X - s)+] of a Gamma lead-time demand X with this mean and deviation."""
    shape, scale = gamma_parameters(mean, stddev)
    if s <= 0:
        return mean - s
    x = s / scale
    return shape * scale * (1.0 - regularized_gamma_p(shape + 1.0, x)) - s * (1.0 - regularized_gamma_p(shape, x))


def _gamma_upper_bound(mean, stddev):
    return mean + 20.0 * stddev + 1.0


def reorder_point_gamma_service(service_level, mean, stddev):
    """Reorder point s with P(X <= s) = the cycle service level (percent)."""
    if not 0.0 < service_level < 100.0:
        raise ValueError(f"service level {service_level} % outside (0, 100)")
    return _bisect(
        lambda s: gamma_cdf(s, mean, stddev), 0.0, _gamma_upper_bound(mean, stddev), service_level / 100.0,
        decreasing=False,
    )


def reorder_point_gamma_fill_rate(fill_rate, mean, stddev, order_qty):
    """Reorder point s with E[(X - s)+] = (1 - beta) Q (``fill_rate`` beta in percent)."""
    if not 0.0 < fill_rate < 100.0:
        raise ValueError(f"fill rate {fill_rate} % outside (0, 100)")
    target = (1.0 - fill_rate / 100.0) * order_qty
    if target >= mean:
        return 0.0
    return _bisect(lambda s: gamma_expected_shortage(s, mean, stddev), 0.0, _gamma_upper_bound(mean, stddev), target)


def undershoot_moments(demand, period_days=1):
    """Mean and variance of the undershoot of a reorder point reviewed every day: how far
    below the minimum the stock position is when it is found below it, from the moments of
    the daily demand D (renewal approximation of Silver, Pyke & Thomas, ch. 7, for (s, S)
    systems): E[U] = E[D^2] / (2 E[D]), Var[U] = E[D^3] / (3 E[D]) - E[U]^2.
    Periods without demand count as zeros; negative net demand as none.

    A series of ``period_days``-day periods (weekly statistics) gives the daily moments by
    its cumulants: the demand of a period is the sum of ``period_days`` independent days,
    and cumulants of a sum of independent variables add (A. Stuart, J. K. Ord, *Kendall's
    Advanced Theory of Statistics*, vol. 1, section 3.12), so the day's mean, variance and
    third central moment are the period's divided by ``period_days``: mu_d = mu_w / 7,
    sigma_d^2 = sigma_w^2 / 7, E[D^2] = sigma_d^2 + mu_d^2 for weeks.

    :param demand: sequence of the demand per period
    :param period_days: days per period of ``demand``
    :return: (mean, variance); (0, 0) without demand
    """
    count = len(demand)
    first = second = third = 0.0
    for x in demand:  # one pass: the update runs this for every statistical rule
        if x > 0:
            x = float(x)
            square = x * x
            first += x
            second += square
            third += square * x
    if not count or first <= 0:
        return 0.0, 0.0
    first, second, third = first / count, second / count, third / count
    if period_days != 1:
        # the period's cumulants (mean, variance, third central moment), per day
        variance = (second - first * first) / period_days
        skew = (third - 3.0 * first * second + 2.0 * first**3) / period_days
        first /= period_days
        second = variance + first * first
        third = skew + 3.0 * first * variance + first**3
    mean = second / (2.0 * first)
    return mean, max(third / (3.0 * first) - mean * mean, 0.0)


def expected_shortage_per_order(reorder_point, mean, stddev, order_qty, distribution="normal"):
    """Expected demand not served from stock per replenishment cycle of a (s, S) rule with
    backorders: E[(X - s)+] - E[(X - s - Q)+] for the lead-time demand X (Hadley & Whitin;
    Silver, Pyke & Thomas, ch. 6: the second term removes the shortage the previous order
    already counted, which matters when the safety stock is low or negative)."""
    if distribution == "gamma":
        return gamma_expected_shortage(reorder_point, mean, stddev) - gamma_expected_shortage(
            reorder_point + order_qty, mean, stddev,
        )
    return stddev * (
        normal_loss((reorder_point - mean) / stddev) - normal_loss((reorder_point + order_qty - mean) / stddev)
    )


def safety_stock_for_target(mean, sigma, order_qty, target="cycle", level=95.0, distribution="normal",
                            undershoot=(0.0, 0.0)):
    """Safety stock (reorder point minus the mean lead-time demand) and the safety factor it
    amounts to, for a lead-time demand of ``mean`` and deviation ``sigma``.

    Every target finds the reorder point s of Odoo's min/max rule, which its scheduler
    reviews every day, not the textbook z sigma_L, which assumes the stock is exactly at s
    when an order is placed: the demand to cover is the lead-time demand plus the undershoot
    (``undershoot``: its mean and variance of a day's demand, see ``undershoot_moments``),
    an order brings Q + E[U] on average;
    the cycle service level is P(X <= s), the fill rate beta asks for
    ``expected_shortage_per_order`` = (1 - beta) (Q + E[U]). The safety stock may then be
    negative (large orders alone serve a low fill rate), the reorder point never is.

    :param target: "cycle" (``level`` = cycle service level, %) or "fill_rate" (``level`` =
        fill rate beta, %, with ``order_qty`` the quantity of one order)
    :param distribution: "normal" or "gamma" (the Gamma with the same mean and deviation)
    :return: (safety_stock, z)
    """
    under_mean, under_variance = undershoot
    total_mean = mean + under_mean
    total_sigma = math.sqrt(max(sigma, 0.0) ** 2 + under_variance)
    # without lead time (or with steady demand) a day's demand still undershoots the reorder point
    if total_sigma <= 0:
        return 0.0, 0.0
    if not 0.0 < level < 100.0:
        raise ValueError(f"service level {level} % outside (0, 100)")
    if distribution == "gamma" and total_mean <= 0:
        distribution = "normal"
    high = total_mean + 20.0 * total_sigma + order_qty + 1.0
    if target == "cycle" and distribution == "gamma":
        reorder_point = reorder_point_gamma_service(level, total_mean, total_sigma)
    elif target == "cycle":
        # a level below 50 % keeps the mean demand to cover, as a safety stock is never below it
        reorder_point = max(total_mean + max(_NORMAL.inv_cdf(level / 100.0), 0.0) * total_sigma, 0.0)
    else:
        quantity = order_qty + under_mean
        wanted = (1.0 - level / 100.0) * quantity

        def shortage(reorder_point):
            return expected_shortage_per_order(reorder_point, total_mean, total_sigma, quantity, distribution)

        reorder_point = 0.0 if shortage(0.0) <= wanted else _bisect(shortage, 0.0, high, wanted)
    safety_stock = reorder_point - mean
    return safety_stock, safety_stock / sigma if sigma > 0 else 0.0


def _normal_loss_array(z):
    """G(z) for a numpy array; Phi from the error function of Abramowitz & Stegun 7.1.26
    (absolute error below 1.5e-7, far below a unit of stock)."""
    x = np.abs(z) / math.sqrt(2.0)
    t = 1.0 / (1.0 + 0.3275911 * x)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    erf = np.sign(z) * (1.0 - poly * np.exp(-x * x))
    upper = 0.5 * (1.0 - erf)  # 1 - Phi(z)
    return np.exp(-0.5 * z * z) / math.sqrt(2.0 * math.pi) - z * upper


def fill_rate_safety_stocks_normal(mean, sigma, order_qty, level, undershoot_mean, undershoot_variance):
    """``safety_stock_for_target(..., target="fill_rate", distribution="normal")`` for many
    products at once (numpy arrays): the same reorder point, found by a bisection run on
    every product together. Products without deviation (nor undershoot) get 0.

    :return: array of safety stocks
    """
    mean, sigma, order_qty = (np.asarray(a, dtype=float) for a in (mean, sigma, order_qty))
    under_mean, under_variance = np.asarray(undershoot_mean, dtype=float), np.asarray(undershoot_variance, dtype=float)
    total_mean = mean + under_mean
    total_sigma = np.sqrt(sigma * sigma + under_variance)
    safe_sigma = np.where(total_sigma > 0, total_sigma, 1.0)
    quantity = order_qty + under_mean
    wanted = (1.0 - level / 100.0) * quantity

    def shortage(reorder_point):
        z = (reorder_point - total_mean) / safe_sigma
        return safe_sigma * (_normal_loss_array(z) - _normal_loss_array(z + quantity / safe_sigma))

    low = np.zeros_like(mean)
    high = total_mean + 20.0 * total_sigma + order_qty + 1.0
    for _ in range(60):
        middle = (low + high) / 2.0
        above = shortage(middle) > wanted
        low = np.where(above, middle, low)
        high = np.where(above, high, middle)
    reorder_point = np.where(shortage(np.zeros_like(mean)) <= wanted, 0.0, (low + high) / 2.0)
    return np.where(total_sigma > 0, reorder_point - mean, 0.0)
