"""Shared building blocks of the reach estimators.

Result dicts in whole people, clipped proportions, bounds and Poisson intervals.
"""

from __future__ import annotations

import math

import pandas as pd
from scipy import stats

from reach.core.intervals import wilson_interval

COUNTY_CODE = "E10000020"
"""ONS code of Norfolk (county / upper-tier local authority)."""


NOT_SET = "(not set)"


CHANNELS = ("web", "video", "social")


# =============================================================================================
# Small helpers
# =============================================================================================


def _r(estimate: float | None, low: float | None, high: float | None, method: str) -> dict:
    """A reach dict in whole people: estimate rounded, low down, high up, estimate inside."""

    def whole(value: float | None, how) -> int | None:
        if value is None or not math.isfinite(value):
            return None
        return int(how(value + 1e-9)) if how is math.floor else int(how(value - 1e-9))

    lo = whole(low, math.floor)
    hi = whole(high, math.ceil)
    est = None if estimate is None or not math.isfinite(estimate) else int(round(estimate))
    if est is not None:
        if lo is not None:
            est = max(est, lo)
        if hi is not None:
            est = min(est, hi)
    return {"estimate": est, "low": lo, "high": hi, "method": method}


def _p(estimate: float | None, low: float | None, high: float | None) -> dict:
    """A proportion dict clipped to 0..1 with the estimate inside its interval."""

    def clip(v):
        return None if v is None or not math.isfinite(v) else float(min(1.0, max(0.0, v)))

    lo, hi, est = clip(low), clip(high), clip(estimate)
    if est is not None and lo is not None and hi is not None:
        est = min(max(est, lo), hi)
    return {"estimate": est, "low": lo, "high": hi}


def _wilson(successes: float, trials: float, level: float) -> tuple[float, float]:
    """:func:`reach.core.intervals.wilson_interval`, but (0, 1) for no trials instead of an error."""
    if trials <= 0:
        return 0.0, 1.0
    return wilson_interval(min(max(successes, 0), trials), trials, level)


def bounds_midpoint(low: float, high: float) -> float:
    """Geometric midpoint √(low·high) of a bounded quantity (the minimax relative-error estimate).

    When a count is only known to lie between ``low`` and ``high`` (for example the largest page's
    users and the sum over pages), ``√(low·high)`` is the value whose worst-case error factor,
    ``max(x/e, e/x)`` over ``x`` in the bounds, is smallest: ``√(high/low)``.

    Parameters
    ----------
    low, high : float
        The bounds, ``0 <= low <= high``.

    Returns
    -------
    float
        ``√(low·high)``; ``high / 2`` when ``low`` is 0.

    Examples
    --------
    >>> bounds_midpoint(100, 400)
    200.0
    """
    if low < 0 or high < low:
        raise ValueError("bounds must satisfy 0 <= low <= high")
    if low == 0:
        return high / 2
    return math.sqrt(low * high)


def poisson_interval(expected: float, level: float = 0.95) -> tuple[float, float]:
    """Exact (Garwood) interval for a Poisson count around an expected value.

    Used for the number of births in a period: the published annual figure pro-rated to a month
    is an expected value; the births that actually happen vary around it.

    Parameters
    ----------
    expected : float
        Expected count (need not be whole).
    level : float
        Confidence level.

    Returns
    -------
    tuple of float
        ``(χ²(α/2; 2n)/2, χ²(1−α/2; 2n+2)/2)`` with ``n = expected``.

    Examples
    --------
    >>> [round(v, 2) for v in poisson_interval(100)]
    [81.36, 121.63]
    """
    if expected < 0:
        raise ValueError("expected must be >= 0")
    alpha = 1 - level
    low = 0.0 if expected == 0 else float(stats.chi2.ppf(alpha / 2, 2 * expected) / 2)
    high = float(stats.chi2.ppf(1 - alpha / 2, 2 * expected + 2) / 2)
    return low, high


def _month_rows(frame: pd.DataFrame | None, month: str) -> pd.DataFrame:
    if frame is None or len(frame) == 0 or "month" not in frame.columns:
        return pd.DataFrame() if frame is None else frame.iloc[0:0]
    return frame[frame["month"] == month]
