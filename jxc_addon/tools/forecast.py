"""Forecast methods for demand per period and their rolling-origin backtest.

Sources:
- simple exponential smoothing: R. G. Brown (1959); Hyndman & Athanasopoulos,
  *Forecasting: Principles and Practice*, section "Simple exponential smoothing"
  (level l_t = alpha y_t + (1 - alpha) l_{t-1}, initial level the first observation);
- Croston (1972), "Forecasting and stock control for intermittent demands", Operational
  Research Quarterly 23: sizes z and intervals p smoothed only when a demand occurs,
  forecast z / p; with the Syntetos & Boylan (2005) correction (SBA) x (1 - alpha / 2);
- TSB: R. Teunter, A. Syntetos, M. Babai (2011), "Intermittent demand: linking
  forecasting to inventory obsolescence", EJOR 214: the demand probability is smoothed
  every period (towards 1 when a demand occurs, towards 0 otherwise), the size when a
  demand occurs; forecast probability x size, so a product that stops selling fades out;
- MASE: R. J. Hyndman, A. B. Koehler (2006), "Another look at measures of forecast
  accuracy", IJF 22: mean absolute error scaled by the in-sample mean absolute error of
  the one-step naive forecast;
- bias test: Hyndman & Athanasopoulos, *Forecasting: Principles and Practice*, section
  "Residual diagnostics" (the errors of a good forecast have zero mean, otherwise it is
  biased): the mean error over its standard error, sum e / sqrt(sum e^2) (the root mean
  square error standing for the errors' deviation), against the two-sided 95 % normal
  quantile 1.96.

Every function works on a 2-D array (one series per row, periods in columns, the same
number of periods in every row) so thousands of products run in one loop over the
periods. A series starts before its first demand with a forecast of 0.
"""

from statistics import NormalDist

import numpy as np

FORECAST_METHODS = ("moving_average", "ses", "croston_sba", "tsb")
# A forecast drifts when its errors' mean differs from 0 at the 95 % level. Not Brown's
# tracking signal beyond +-4: over n periods of unbiased errors that signal spreads like
# 1.25 sqrt(n), and beyond +-4 it flagged 30 to 86 % of products with steady demand over
# the 60 days the default history replays (test_drift_flag_on_steady_demand).
BIAS_Z_LIMIT = round(NormalDist().inv_cdf(0.975), 2)
DEFAULT_ALPHA = 0.1
DEFAULT_BETA = 0.1


def one_step_forecasts(method, demand, alpha=DEFAULT_ALPHA, beta=DEFAULT_BETA):
    """One-step-ahead forecasts of ``method`` with fixed smoothing constants.

    :param demand: array (series, periods)
    :return: array (series, periods + 1): column t is the forecast of period t made with
        the periods before t (column 0 is 0: nothing known yet); the last column is the
        forecast of the next, unseen period, per period.
    """
    demand = np.atleast_2d(np.asarray(demand, dtype=float))
    rows, periods = demand.shape
    forecasts = np.zeros((rows, periods + 1))
    if method == "moving_average":
        # The average of everything seen so far (the whole history window at the end).
        cumulative = np.cumsum(demand, axis=1)
        forecasts[:, 1:] = cumulative / np.arange(1, periods + 1)
        return forecasts
    if method not in FORECAST_METHODS:
        raise ValueError(f"unknown forecast method {method!r}")
    started = np.zeros(rows, dtype=bool)
    level = np.zeros(rows)     # SES level; Croston/TSB size
    interval = np.ones(rows)   # Croston interval
    since = np.zeros(rows)     # Croston: periods since the last demand
    probability = np.zeros(rows)  # TSB
    for t in range(periods):
        y = demand[:, t]
        if method == "ses":
            level = np.where(started, alpha * y + (1 - alpha) * level, y)
            started[:] = True
            forecasts[:, t + 1] = level
            continue
        occurs = y > 0
        since += 1
        first = occurs & ~started
        update = occurs & started
        if method == "croston_sba":
            # First demand: size and interval (counted from the start) as they are.
            level = np.where(first, y, np.where(update, alpha * y + (1 - alpha) * level, level))
            interval = np.where(first, since, np.where(update, alpha * since + (1 - alpha) * interval, interval))
            since = np.where(occurs, 0.0, since)
            started |= occurs
            forecasts[:, t + 1] = np.where(started, (1 - alpha / 2) * level / interval, 0.0)
        else:  # tsb
            level = np.where(first, y, np.where(update, alpha * y + (1 - alpha) * level, level))
            # Probability: first demand 1 / interval so far; then smoothed every period.
            probability = np.where(
                first, 1.0 / since,
                np.where(started, probability + beta * (occurs.astype(float) - probability), 0.0),
            )
            since = np.where(occurs, 0.0, since)
            started |= occurs
            forecasts[:, t + 1] = np.where(started, probability * level, 0.0)
    return forecasts


def naive_scale(demand):
    """In-sample mean absolute error of the one-step naive forecast (y_{t-1} for y_t), per
    row: the MASE denominator of Hyndman & Koehler (2006). 0 for a constant series."""
    demand = np.atleast_2d(np.asarray(demand, dtype=float))
    if demand.shape[1] < 2:
        return np.zeros(demand.shape[0])
    return np.abs(np.diff(demand, axis=1)).mean(axis=1)


def backtest_errors(method, demand, start, alpha=DEFAULT_ALPHA, beta=DEFAULT_BETA):
    """Rolling-origin backtest with horizon one: at each origin t >= ``start`` the method,
    fitted on the periods before t, forecasts period t. With fixed smoothing constants
    refitting at each origin is continuing the recursion, so one pass gives every origin.

    :return: (forecasts, actuals), arrays (series, periods - start), and the final forecast
        per period (series,)
    """
    demand = np.atleast_2d(np.asarray(demand, dtype=float))
    forecasts = one_step_forecasts(method, demand, alpha, beta)
    return forecasts[:, start:-1], demand[:, start:], forecasts[:, -1]


def mase(forecasts, actuals, scale):
    """Mean absolute scaled error per row; NaN where the scale is 0 (a constant history:
    MASE undefined, Hyndman & Koehler 2006)."""
    errors = np.atleast_2d(np.abs(np.asarray(actuals) - np.asarray(forecasts)))
    if not errors.shape[1]:  # no period scored: no error to scale
        return np.full(errors.shape[0], np.nan)
    mae = errors.mean(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(scale > 0, mae / np.where(scale > 0, scale, 1.0), np.nan)


def forecast_accuracy(forecasts, actuals, scale):
    """Accuracy of one-step forecasts per row, errors counted as forecast - actual:

    - WAPE = sum |error| / sum actual (weighted absolute percentage error);
    - bias = sum error / sum actual (> 0: the forecast was too high);
    - MASE (Hyndman & Koehler 2006; NaN where the scale is 0);
    - tracking signal = sum error / mean |error| (Brown; R. G. Brown, *Smoothing,
      Forecasting and Prediction*, 1963), shown for reference;
    - bias z = sum error / sqrt(sum error^2): the mean error in standard errors; beyond
      +-``BIAS_Z_LIMIT`` the forecast drifts from the demand.

    WAPE and bias are NaN without demand, the tracking signal and the bias z 0 without error.

    :return: dict of arrays: "actual", "error", "abs_error" (sums), "wape", "bias", "mase",
        "tracking_signal", "bias_z"
    """
    forecasts, actuals = np.atleast_2d(forecasts), np.atleast_2d(actuals)
    errors = forecasts - actuals
    actual = actuals.sum(axis=1)
    error = errors.sum(axis=1)
    abs_error = np.abs(errors).sum(axis=1)
    mad = abs_error / max(errors.shape[1], 1)
    root_squares = np.sqrt((errors ** 2).sum(axis=1))
    with np.errstate(divide="ignore", invalid="ignore"):
        return {
            "actual": actual, "error": error, "abs_error": abs_error,
            "wape": np.where(actual > 0, abs_error / np.where(actual > 0, actual, 1.0), np.nan),
            "bias": np.where(actual > 0, error / np.where(actual > 0, actual, 1.0), np.nan),
            "mase": mase(forecasts, actuals, scale),
            "tracking_signal": np.where(mad > 0, error / np.where(mad > 0, mad, 1.0), 0.0),
            "bias_z": np.where(root_squares > 0, error / np.where(root_squares > 0, root_squares, 1.0), 0.0),
        }


def first_scored_period(periods):
    """The first period the backtest of a history of ``periods`` periods scores: the first
    third warms the methods up, and period 0 is never scored (its forecast, 0, is made
    with nothing known: a steady 70, 70 would score a WAPE of 50 %). A history of one
    period has nothing to score."""
    return max(periods // 3, 1)


def select_method(demand, methods=FORECAST_METHODS, start=None, alpha=DEFAULT_ALPHA, beta=DEFAULT_BETA):
    """For each series the method with the lowest MASE in a rolling-origin backtest over
    the last two thirds of its periods (``first_scored_period``; ``start``, at least 1,
    overrides it). The scale is the same for every method of a series, so the ranking is
    the MAE's and holds also where MASE is undefined; ties go to the earlier method of
    ``methods``. Without a period to score (a single period) the accuracy is empty: sums 0,
    WAPE, bias and MASE undefined (NaN), and the first method is kept.

    :return: dict with, per row, "method" (list of names), "mase" (array, NaN if
        undefined), "forecast" (the chosen method's forecast per period), "accuracy" (the
        chosen method's ``forecast_accuracy``) and "all" ({method: (mase, forecast)})
    """
    demand = np.atleast_2d(np.asarray(demand, dtype=float))
    periods = demand.shape[1]
    start = max(first_scored_period(periods) if start is None else start, 1)
    scale = naive_scale(demand[:, :start]) if start >= 2 else naive_scale(demand)
    scale = np.where(scale > 0, scale, naive_scale(demand))  # a flat warm-up: scale on the whole history
    results, accuracies, maes = {}, {}, []
    for method in methods:
        fc, actual, final = backtest_errors(method, demand, start, alpha, beta)
        accuracies[method] = forecast_accuracy(fc, actual, scale)
        maes.append(accuracies[method]["abs_error"])
        results[method] = (accuracies[method]["mase"], final)
    best = np.argmin(np.vstack(maes), axis=0)  # argmin keeps the first of equal values
    chosen = [methods[i] for i in best]
    rows = np.arange(demand.shape[0])
    return {
        "method": chosen,
        "mase": np.array([results[m][0][row] for row, m in enumerate(chosen)]),
        "forecast": np.array([results[m][1][row] for row, m in enumerate(chosen)]),
        "accuracy": {
            key: np.vstack([accuracies[m][key] for m in methods])[best, rows] for key in accuracies[methods[0]]
        },
        "all": results,
    }
