"""Confidence intervals for proportions and differences: Wilson, Newcombe, normal quantiles."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

WILSON = "Wilson score interval"


NEWCOMBE = "Newcombe hybrid score interval (method 10)"


def _z(level: float) -> float:
    if not 0 < level < 1:
        raise ValueError(f"level must lie strictly between 0 and 1, got {level!r}")
    return float(stats.norm.ppf(1 - (1 - level) / 2))


def _num(value: Any) -> float | None:
    """A plain float for JSON, or None for missing / non-finite values."""
    if value is None or value is pd.NA:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


# ---------------------------------------------------------------------------------------
# Proportions
# ---------------------------------------------------------------------------------------


def proportion_interval(
    successes: int, trials: int, level: float = 0.95, method: str = "wilson"
) -> tuple[float, float]:
    """Confidence interval for one proportion: Wilson score or Clopper–Pearson (exact).

    Parameters
    ----------
    successes, trials : int
        Numerator and denominator (``trials`` > 0).
    level : float
        Confidence level.
    method : {"wilson", "clopper-pearson"}
        Interval. statsmodels' default is the Wald interval, so the method is always passed.

    Returns
    -------
    tuple of float
        Lower and upper limits.

    Examples
    --------
    >>> [round(x, 3) for x in proportion_interval(5, 25, method="clopper-pearson")]
    [0.068, 0.407]
    """
    if trials <= 0 or not 0 <= successes <= trials:
        raise ValueError("need trials > 0 and 0 <= successes <= trials")
    if method == "wilson":
        return wilson_interval(int(successes), int(trials), level)
    if method != "clopper-pearson":
        raise ValueError(f"method must be 'wilson' or 'clopper-pearson', got {method!r}")
    low, high = proportion_confint(int(successes), int(trials), alpha=1 - level, method="beta")
    return float(max(0.0, low)), float(min(1.0, high))


def difference_interval(
    successes1: int, trials1: int, successes2: int, trials2: int, level: float = 0.95
) -> tuple[float, float, float]:
    """Difference of two independent proportions with Newcombe's hybrid score interval.

    Parameters
    ----------
    successes1, trials1 : int
        First group (e.g. this month).
    successes2, trials2 : int
        Second group (e.g. last month).
    level : float
        Confidence level.

    Returns
    -------
    tuple of float
        ``(p1 - p2, low, high)``.

    Examples
    --------
    >>> [round(x, 3) for x in difference_interval(7, 34, 1, 34)]
    [0.176, 0.019, 0.34]
    """
    low, high = confint_proportions_2indep(
        int(successes1), int(trials1), int(successes2), int(trials2),
        method="newcomb", compare="diff", alpha=1 - level,
    )  # fmt: skip
    return successes1 / trials1 - successes2 / trials2, float(low), float(high)


WILSON_METHOD = "Wilson score interval"


def wilson_interval(successes: int, trials: int, level: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a proportion.

    Parameters
    ----------
    successes : int
        Number of "yes" answers.
    trials : int
        Number of answers; must be positive.
    level : float
        Confidence level, e.g. 0.95.

    Returns
    -------
    tuple of float
        Lower and upper limits.

    Raises
    ------
    ValueError
        If ``trials`` is not positive or ``successes`` is outside 0..trials.

    Examples
    --------
    >>> [round(x, 4) for x in wilson_interval(4, 20)]
    [0.0807, 0.416]
    """
    if trials <= 0:
        raise ValueError("trials must be positive")
    if not 0 <= successes <= trials:
        raise ValueError("successes must lie between 0 and trials")
    low, high = proportion_confint(successes, trials, alpha=1 - level, method="wilson")
    return float(max(0.0, low)), float(min(1.0, high))


def proportion_estimate(successes: int, trials: int, level: float = 0.95) -> dict:
    """Proportion with its Wilson interval, as stored in ``summary.json``.

    Parameters
    ----------
    successes, trials : int
        Numerator and denominator.
    level : float
        Confidence level.

    Returns
    -------
    dict
        ``estimate``, ``low``, ``high`` (None when ``trials`` is 0), ``n`` (= trials),
        ``successes`` and ``method``.
    """
    successes, trials = int(successes), int(trials)
    if trials == 0:
        return {"estimate": None, "low": None, "high": None, "n": 0, "successes": 0, "method": WILSON_METHOD}
    low, high = wilson_interval(successes, trials, level)
    return {
        "estimate": successes / trials,
        "low": low,
        "high": high,
        "n": trials,
        "successes": successes,
        "method": f"{WILSON_METHOD} ({level:.0%})",
    }
