"""Demand classes of Syntetos, Boylan & Croston (2005).

A. A. Syntetos, J. E. Boylan, J. D. Croston, "On the categorization of demand patterns",
Journal of the Operational Research Society 56 (2005) 495-503: a demand series is
classified by its average inter-demand interval ADI and the squared coefficient of
variation CV^2 of its non-zero demand sizes, with the cut-offs ADI = 1.32 and CV^2 = 0.49:

    ADI < 1.32, CV^2 < 0.49   smooth        (the normal distribution fits)
    ADI < 1.32, CV^2 >= 0.49  erratic
    ADI >= 1.32, CV^2 < 0.49  intermittent  (Croston-type forecasts, skewed lead-time demand)
    ADI >= 1.32, CV^2 >= 0.49 lumpy

No Odoo import: pure functions over numpy arrays, one row per series, so that thousands
of products are classified in one call.
"""

import numpy as np

ADI_CUTOFF = 1.32
CV2_CUTOFF = 0.49
DEMAND_CLASSES = ("smooth", "erratic", "intermittent", "lumpy")


def demand_class_stats(demand):
    """ADI and CV^2 of each row of ``demand`` (periods in columns; a 1-D array is one series).

    ADI = periods / periods with demand (the mean interval between demands over the window);
    CV^2 = (population standard deviation / mean)^2 of the positive demands. A period whose
    net demand is zero or negative (returns) has no demand. A series without demand has
    ADI = inf and CV^2 = 0; a single demand has CV^2 = 0.

    :return: (adi, cv2), float arrays with one value per row
    """
    demand = np.atleast_2d(np.asarray(demand, dtype=float))
    positive = np.where(demand > 0, demand, 0.0)
    count = (demand > 0).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        adi = np.where(count > 0, demand.shape[1] / np.maximum(count, 1), np.inf)
        mean = positive.sum(axis=1) / np.maximum(count, 1)
        variance = (positive**2).sum(axis=1) / np.maximum(count, 1) - mean**2
        cv2 = np.where(count > 0, np.maximum(variance, 0.0) / np.where(mean > 0, mean, 1.0) ** 2, 0.0)
    return adi, cv2


def classify_demand(adi, cv2):
    """The SBC class ('smooth', 'erratic', 'intermittent', 'lumpy') of one series, or
    False without demand (ADI infinite)."""
    if not np.isfinite(adi):
        return False
    if adi < ADI_CUTOFF:
        return "smooth" if cv2 < CV2_CUTOFF else "erratic"
    return "intermittent" if cv2 < CV2_CUTOFF else "lumpy"
