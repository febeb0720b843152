"""Reach: how many distinct people the assets reached, and what share of families with a newborn.

Pure estimation layer for issue 4 (``docs/methodology.md`` § Reach gives the formulas, the
assumptions and what each figure means in plain English). Every function takes numbers or
DataFrames and returns new numbers, dicts or DataFrames; nothing here reads files, writes files
or changes its inputs, and importing the module does nothing.

A *reach* ``R`` is ``{"estimate", "low", "high", "method"}``: distinct people in a period, with
an interval and the name of the method that produced it. Counts are whole people (the estimate
is rounded, the lower limit rounded down, the upper limit rounded up).

Estimators
----------
random_duplication
    Net reach of independent exposures, ``1 − Π(1 − rᵢ)`` (``"random"`` or ``"sainsbury_0.95"``).
chapman
    Two-source capture–recapture with Seber's variance and Chao's log-transformed interval.
loglinear_population
    Log-linear capture–recapture for two or more lists, model chosen by AIC, profile-likelihood
    interval.

Channels, geography, survey, births
-----------------------------------
web_reach, video_reach, social_reach, channel_reach, norfolk_share, survey_incidence,
survey_duplication, family_coverage, births_in_period.

Report
------
reach_details
    Everything the reach notebook shows (channels for three periods, frequency, both combined
    methods, survey sizes, ``(not set)`` users, births notes).
reach_summary
    Exactly the ``summary.json`` ``"reach"`` contract of issue 4.
reach_sentences
    Plain-English sentences; every number comes with its interval.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
import warnings
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize, stats

from reach.metrics import wilson_interval

__all__ = [
    "COUNTY_CODE",
    "DEFAULT_SETTINGS",
    "DISTRICTS",
    "births_in_period",
    "bounds_midpoint",
    "channel_reach",
    "chapman",
    "consent_adjusted",
    "family_coverage",
    "loglinear_population",
    "norfolk_share",
    "period_months",
    "poisson_interval",
    "random_duplication",
    "reach_details",
    "reach_sentences",
    "reach_summary",
    "resolve_settings",
    "social_reach",
    "survey_duplication",
    "survey_incidence",
    "town_lookup",
    "video_reach",
    "web_reach",
]

COUNTY_CODE = "E10000020"
"""ONS code of Norfolk (county / upper-tier local authority)."""

#: The seven Norfolk districts: (ONS code, name), in code order.
DISTRICTS: tuple[tuple[str, str], ...] = (
    ("E07000143", "Breckland"),
    ("E07000144", "Broadland"),
    ("E07000145", "Great Yarmouth"),
    ("E07000146", "King's Lynn and West Norfolk"),
    ("E07000147", "North Norfolk"),
    ("E07000148", "Norwich"),
    ("E07000149", "South Norfolk"),
)

NOT_SET = "(not set)"
CHANNELS = ("web", "video", "social")

#: Settings of the reach estimates, with their defaults (``config/reach.yaml`` → ``reach:``).
DEFAULT_SETTINGS: dict[str, Any] = {
    # Share of web visitors who accept analytics cookies (GA4 sees only them): a range.
    "consent_rate": {"low": 0.45, "high": 0.85},
    # Survey-based duplication needs at least this many respondents who saw >= 1 online channel.
    "survey_min_respondents": 30,
    # Coverage needs at least this many Norfolk parents/carers who answered "where did you see".
    "survey_min_parents": 15,
    # When the month's survey is too small, pool it over this many months (the month included).
    "survey_pool_months": 3,
    # Variant of the random-duplication formula: "random" or "sainsbury_0.95".
    "random_duplication_variant": "random",
    # The GA4 Town/City total may differ from distinct users by this fraction (users seen in two
    # towns are counted twice; thresholded rows are left out).
    "city_total_tolerance": 0.05,
    # Lower limit of video viewers when only views are exported: views / this many views each.
    "video_max_views_per_viewer": 3.0,
    # Absolute allowance added to both ends of the Norfolk share for IP-geolocation error.
    "geo_error": 0.02,
    # Pseudo-respondents given to the county rate in a district's composite point estimate.
    "district_prior_strength": 10,
    # Per-district counts are rounded to this (intervals outwards): the NHS rule's base.
    "district_round_to": 5,
    # Confidence level (the top-level ``confidence_level`` setting is used when present).
    "level": 0.95,
    # Town/City → district lookup (a DataFrame read by the caller from config/town_districts.csv).
    "town_districts": None,
    # Keywords (case-insensitive) that map a "where did you see" option to a channel; every
    # other non-empty option counts as an offline source (leaflet, health visitor, other).
    "survey_channel_keywords": {
        "web": ["website", "web page", "webpage"],
        "video": ["youtube", "video"],
        "social": ["facebook", "instagram", "social media"],
    },
}


# =============================================================================================
# Small helpers
# =============================================================================================


def _z(level: float) -> float:
    return float(stats.norm.ppf(1 - (1 - level) / 2))


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
    """:func:`reach.metrics.wilson_interval`, but (0, 1) for no trials instead of an error."""
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


def resolve_settings(settings: Mapping[str, Any] | None = None, **overrides: Any) -> dict:
    """Combine the defaults, the ``reach:`` section of the settings and keyword overrides.

    Parameters
    ----------
    settings : Mapping, optional
        The whole settings mapping (:func:`reach.config.load_config`). Its ``reach`` section
        overrides :data:`DEFAULT_SETTINGS`; its top-level ``confidence_level`` sets ``level``.
    **overrides
        Any key of :data:`DEFAULT_SETTINGS`.

    Returns
    -------
    dict
        The settings used.

    Raises
    ------
    ValueError
        For an unknown key or an impossible value (consent outside 0..1, low above high, a
        level outside 0..1, an unknown random-duplication variant).
    """
    out = {k: (dict(v) if isinstance(v, dict) else v) for k, v in DEFAULT_SETTINGS.items()}
    settings = settings or {}
    if "confidence_level" in settings:
        out["level"] = float(settings["confidence_level"])
    section = settings.get("reach") or {}
    for source in (section, overrides):
        for key, value in source.items():
            if key not in DEFAULT_SETTINGS:
                raise ValueError(
                    f"unknown reach setting {key!r}; known: {', '.join(sorted(DEFAULT_SETTINGS))}"
                )
            out[key] = value
    consent = out["consent_rate"]
    low, high = float(consent["low"]), float(consent["high"])
    if not 0 < low <= high <= 1:
        raise ValueError(f"consent_rate must satisfy 0 < low <= high <= 1, got {consent!r}")
    out["consent_rate"] = {"low": low, "high": high}
    if not 0 < float(out["level"]) < 1:
        raise ValueError(f"level must lie between 0 and 1, got {out['level']!r}")
    if out["random_duplication_variant"] not in ("random", "sainsbury_0.95"):
        raise ValueError("random_duplication_variant must be 'random' or 'sainsbury_0.95'")
    return out


# =============================================================================================
# Estimators (methods.md §4)
# =============================================================================================


def random_duplication(rates: Iterable[float], variant: str = "random") -> float:
    """Net reach of several exposures that reach the same universe independently.

    ``R = 1 − Π(1 − rᵢ)`` ("random duplication"); the ``"sainsbury_0.95"`` variant multiplies
    it by 0.95 (methods.md §4.1). Under positive dependence (the same people see every channel)
    the true net reach is *smaller* than the random-duplication value.

    Parameters
    ----------
    rates : iterable of float
        Each exposure's reach as a share of the universe, 0..1.
    variant : {"random", "sainsbury_0.95"}
        Which formula.

    Returns
    -------
    float
        Net reach as a share of the universe.

    Raises
    ------
    ValueError
        For a rate outside 0..1 or an unknown variant.

    Examples
    --------
    >>> round(random_duplication([0.001] * 400), 5)
    0.32981
    >>> round(random_duplication([0.001] * 400, "sainsbury_0.95"), 4)
    0.3133
    """
    rates = [float(r) for r in rates]
    if any(not 0 <= r <= 1 for r in rates):
        raise ValueError("rates must lie between 0 and 1")
    net = 1 - math.prod(1 - r for r in rates)
    if variant == "random":
        return net
    if variant == "sainsbury_0.95":
        return 0.95 * net
    raise ValueError(f"unknown variant {variant!r}: use 'random' or 'sainsbury_0.95'")


def chapman(n1: int, n2: int, m: int, level: float = 0.95) -> dict:
    """Two-source capture–recapture: Chapman's estimator, Seber's variance, Chao's interval.

    ``N = (n1+1)(n2+1)/(m+1) − 1``;
    ``Var = (n1+1)(n2+1)(n1−m)(n2−m) / ((m+1)²(m+2))`` (Seber 1982);
    with ``M = n1 + n2 − m`` people seen and
    ``C = exp(z·√ln(1 + Var/(N−M)²))`` the interval is ``[M + (N−M)/C, M + (N−M)·C]``
    (Chao 1987), whose lower limit never falls below ``M``.

    Parameters
    ----------
    n1, n2 : int
        Sizes of the two lists.
    m : int
        People on both lists.
    level : float
        Confidence level.

    Returns
    -------
    dict
        ``estimate``, ``variance``, ``se``, ``low``, ``high``, ``observed`` (M), ``method``.

    Raises
    ------
    ValueError
        If a count is negative or ``m`` exceeds ``n1`` or ``n2``.

    Examples
    --------
    >>> round(chapman(60, 40, 12)["estimate"], 4)
    191.3846
    """
    n1, n2, m = int(n1), int(n2), int(m)
    if min(n1, n2, m) < 0 or m > min(n1, n2):
        raise ValueError("need 0 <= m <= min(n1, n2)")
    estimate = (n1 + 1) * (n2 + 1) / (m + 1) - 1
    variance = (n1 + 1) * (n2 + 1) * (n1 - m) * (n2 - m) / ((m + 1) ** 2 * (m + 2))
    observed = n1 + n2 - m
    excess = estimate - observed
    if excess <= 0 or variance <= 0:
        factor = 1.0
    else:
        factor = math.exp(_z(level) * math.sqrt(math.log(1 + variance / excess**2)))
    return {
        "estimate": estimate,
        "variance": variance,
        "se": math.sqrt(variance),
        "low": observed + max(excess, 0.0) / factor,
        "high": observed + max(excess, 0.0) * factor,
        "observed": observed,
        "method": f"Chapman two-source capture–recapture, Seber variance, Chao log-transformed {level:.0%} interval",
    }


def _pattern_table(incidence: pd.DataFrame) -> tuple[list[str], np.ndarray, np.ndarray]:
    """All 2^k − 1 non-empty capture patterns with their counts (absent patterns count 0)."""
    if "count" in incidence.columns:
        lists = [c for c in incidence.columns if c != "count"]
        counts = incidence["count"].to_numpy(dtype=float)
    else:
        lists = list(incidence.columns)
        counts = np.ones(len(incidence))
    if len(lists) < 2:
        raise ValueError("need at least two lists (0/1 columns)")
    marks = incidence[lists].to_numpy(dtype=float)
    if not np.isin(marks, (0, 1)).all():
        raise ValueError("list columns must hold 0 or 1")
    if (counts < 0).any():
        raise ValueError("counts must be >= 0")
    k = len(lists)
    patterns = np.array(list(itertools.product((0, 1), repeat=k))[1:], dtype=float)
    table = np.zeros(len(patterns))
    index = {tuple(p): i for i, p in enumerate(patterns.astype(int))}
    for row, count in zip(marks.astype(int), counts, strict=True):
        key = tuple(row)
        if not any(key):
            continue  # people on no list cannot be observed; such rows are ignored
        table[index[key]] += count
    return lists, patterns, table


def _design(patterns: np.ndarray, pairs: Sequence[tuple[int, int]]) -> np.ndarray:
    columns = [np.ones(len(patterns))] + [patterns[:, i] for i in range(patterns.shape[1])]
    columns += [patterns[:, i] * patterns[:, j] for i, j in pairs]
    return np.column_stack(columns)


def _poisson_fit(y: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray, float] | None:
    """Poisson GLM by statsmodels; None when it does not converge or an estimate runs off."""
    import statsmodels.api as sm  # noqa: PLC0415 - heavy import kept out of module import

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            result = sm.GLM(y, x, family=sm.families.Poisson()).fit(maxiter=200)
        except Exception:  # noqa: BLE001 - singular design or overflow: model not estimable
            return None
    params = np.asarray(result.params, dtype=float)
    if not np.all(np.isfinite(params)) or np.max(np.abs(params)) > 25:
        return None
    if not getattr(result, "converged", True):
        return None
    return params, np.asarray(result.fittedvalues, dtype=float), float(result.aic)


def _model_label(lists: Sequence[str], pairs: Sequence[tuple[int, int]]) -> str:
    if not pairs:
        return "independence"
    return "independence + " + ", ".join(f"{lists[i]}×{lists[j]}" for i, j in pairs)


def _profile_interval(
    table: np.ndarray, patterns: np.ndarray, pairs: Sequence[tuple[int, int]], level: float
) -> tuple[float, float]:
    """Profile-likelihood interval for N (Cormack 1992, as in Rcapture's ``closedpCI``).

    For a trial N the unseen cell holds N − n; the log-linear model is fitted to the complete
    table and the multinomial log-likelihood
    ``ln N! − ln (N−n)! + Σ y·ln(μ/N)`` is profiled over N.
    """
    from scipy.special import gammaln  # noqa: PLC0415

    n = float(table.sum())
    full = np.vstack([np.zeros(patterns.shape[1]), patterns])
    x = _design(full, pairs)

    def loglik(total: float) -> float:
        y = np.concatenate([[total - n], table])
        fit = _poisson_fit(y, x)
        if fit is None:
            return -np.inf
        mu = fit[1]
        keep = y > 0
        return float(gammaln(total + 1) - gammaln(total - n + 1) + np.sum(y[keep] * np.log(mu[keep] / total)))

    cap = max(10.0 * n, n + 1e4)
    best = optimize.minimize_scalar(lambda t: -loglik(t), bounds=(n, cap), method="bounded")
    top, at = -best.fun, float(best.x)
    if not math.isfinite(top):
        return n, float("inf")
    target = top - stats.chi2.ppf(level, 1) / 2

    def gap(total: float) -> float:
        value = loglik(total)
        return value - target if math.isfinite(value) else -1.0

    low = n if gap(n) >= 0 else optimize.brentq(gap, n, at, xtol=1e-6)
    high = float("inf")
    upper = max(at * 2, at + 10)
    while upper <= cap * 100:
        if gap(upper) < 0:
            high = optimize.brentq(gap, at, upper, xtol=1e-6)
            break
        upper *= 2
    return float(low), float(high)


def loglinear_population(
    incidence: pd.DataFrame,
    level: float = 0.95,
    pairs: Sequence[tuple[str, str]] | str | None = None,
) -> dict:
    """Population size from k overlapping lists by log-linear capture–recapture.

    A Poisson GLM is fitted to the 2^k − 1 observed cells of the incidence table with a main
    effect per list and a set of list × list interactions; the unseen cell is
    ``N0 = exp(intercept)`` and ``N = n + N0`` (methods.md §4.3). Unless ``pairs`` is given the
    model is chosen by AIC among independence and every subset of two-way interactions (never a
    three-way or higher term, which must be assumed zero). The interval is the profile-likelihood
    interval for N (Cormack 1992; Rcapture ``closedpCI``), found by root-finding, not by bootstrap.

    Parameters
    ----------
    incidence : pandas.DataFrame
        One row per person or per pattern: 0/1 columns, one per list, and optionally ``count``
        (people with that pattern). Rows on no list are ignored.
    level : float
        Confidence level.
    pairs : sequence of (str, str), "saturated", or None
        Force a model: the interactions to include, or ``"saturated"`` for every two-way term
        (with three lists this is the saturated model of the observed cells, whose closed form
        is ``N0 = z111·z100·z010·z001 / (z110·z101·z011)``). None chooses by AIC.

    Returns
    -------
    dict
        ``estimate`` (N), ``n0``, ``observed`` (n), ``low``, ``high``, ``model`` (label),
        ``aic`` (of the chosen model), ``candidates`` (DataFrame: model, parameters, aic,
        n0, sorted by AIC) and ``method``.

    Raises
    ------
    ValueError
        For fewer than two lists, values other than 0/1, no observed person, more than five
        lists without ``pairs``, or when no candidate model can be fitted.
    """
    lists, patterns, table = _pattern_table(incidence)
    n = float(table.sum())
    if n <= 0:
        raise ValueError("no one was observed on any list")
    k = len(lists)
    all_pairs = list(itertools.combinations(range(k), 2))
    if pairs is None:
        if k > 5:
            raise ValueError(f"{k} lists give 2^{len(all_pairs)} candidate models; pass the pairs to fit")
        candidates = [c for r in range(len(all_pairs) + 1) for c in itertools.combinations(all_pairs, r)]
    elif pairs == "saturated":
        candidates = [tuple(all_pairs)]
    else:
        position = {name: i for i, name in enumerate(lists)}
        try:
            chosen = tuple(sorted(tuple(sorted((position[a], position[b]))) for a, b in pairs))
        except KeyError as err:
            raise ValueError(f"unknown list {err.args[0]!r} in pairs") from err
        candidates = [chosen]
    rows = []
    for cand in candidates:
        x = _design(patterns, cand)
        if x.shape[1] > len(table):
            continue
        fit = _poisson_fit(table, x)
        if fit is None:
            continue
        params, _, aic = fit
        rows.append(
            {
                "pairs": cand,
                "model": _model_label(lists, cand),
                "parameters": x.shape[1],
                "aic": aic,
                "n0": float(math.exp(params[0])),
            }
        )
    if not rows:
        raise ValueError("no log-linear model could be fitted to this incidence table")
    table_frame = pd.DataFrame(rows).sort_values(["aic", "parameters"], kind="stable").reset_index(drop=True)
    best = table_frame.iloc[0]
    low, high = _profile_interval(table, patterns, best["pairs"], level)
    estimate = n + best["n0"]
    low, high = min(low, estimate), max(high, estimate)
    how = "AIC-chosen" if pairs is None else "forced"
    return {
        "estimate": estimate,
        "n0": best["n0"],
        "observed": n,
        "low": low,
        "high": high,
        "model": best["model"],
        "aic": float(best["aic"]),
        "candidates": table_frame.drop(columns="pairs"),
        "method": (
            f"log-linear capture–recapture ({k} lists; Poisson GLM, {how} model: {best['model']}; "
            f"N0 = exp(intercept); profile-likelihood {level:.0%} interval)"
        ),
    }


# =============================================================================================
# Periods
# =============================================================================================


def _month_shift(month: str, k: int) -> str:
    year, mon = int(month[:4]), int(month[5:7])
    t = year * 12 + mon - 1 + k
    return f"{t // 12:04d}-{t % 12 + 1:02d}"


def period_months(month: str, period: str = "month") -> list[str]:
    """The calendar months of a reporting period ending with ``month``.

    Parameters
    ----------
    month : str
        Last month, ``YYYY-MM``.
    period : {"month", "rolling_3", "fytd"}
        The month alone, the three months ending with it, or the financial year to date (from
        April).

    Returns
    -------
    list of str
        Months, oldest first.

    Examples
    --------
    >>> period_months("2026-10", "rolling_3")
    ['2026-08', '2026-09', '2026-10']
    >>> period_months("2026-02", "fytd")[0]
    '2025-04'
    """
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", str(month)):
        raise ValueError(f"month must be written YYYY-MM, got {month!r}")
    if period == "month":
        return [month]
    if period == "rolling_3":
        return [_month_shift(month, k) for k in (-2, -1, 0)]
    if period == "fytd":
        year, mon = int(month[:4]), int(month[5:7])
        start_year = year if mon >= 4 else year - 1
        count = (year - start_year) * 12 + mon - 4 + 1
        return [_month_shift(f"{start_year:04d}-04", k) for k in range(count)]
    raise ValueError(f"period must be 'month', 'rolling_3' or 'fytd', got {period!r}")


def _period_dates(months: Sequence[str]) -> tuple[dt.date, dt.date]:
    first = dt.date(int(months[0][:4]), int(months[0][5:7]), 1)
    last_first = dt.date(int(months[-1][:4]), int(months[-1][5:7]), 1)
    following = (last_first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return first, following - dt.timedelta(days=1)


def _month_rows(frame: pd.DataFrame | None, month: str) -> pd.DataFrame:
    if frame is None or len(frame) == 0 or "month" not in frame.columns:
        return pd.DataFrame() if frame is None else frame.iloc[0:0]
    return frame[frame["month"] == month]


# =============================================================================================
# Channels
# =============================================================================================


def consent_adjusted(
    tracked: float,
    tracked_low: float,
    tracked_high: float,
    consent_low: float,
    consent_high: float,
    level: float = 0.95,
    source: str = "GA4",
) -> dict:
    """All visitors from the visitors GA4 tracked, for a consent rate known only as a range.

    GA4 counts only visitors who accept analytics cookies; with consent rate ``c`` the tracked
    count ``T`` is Binomial(N, c). The interval takes the worst case over ``c`` in the range
    and adds the binomial sampling error:
    ``low = T_low/c_high − z·√(T_low(1−c_high))/c_high`` (never below ``T_low``),
    ``high = T_high/c_low + z·√(T_high(1−c_low))/c_low``; the point estimate divides by the
    middle of the range.

    Parameters
    ----------
    tracked, tracked_low, tracked_high : float
        Tracked distinct users: point and limits (equal when exact, e.g. from BigQuery).
    consent_low, consent_high : float
        The consent-rate range.
    level : float
        Confidence level.
    source : str
        Words naming where the tracked count came from, for the method name.

    Returns
    -------
    dict
        A reach ``R``.

    Examples
    --------
    >>> consent_adjusted(600, 600, 600, 0.6, 0.6, 0.95)["estimate"]
    1000
    """
    if not 0 < consent_low <= consent_high <= 1:
        raise ValueError("need 0 < consent_low <= consent_high <= 1")
    z = _z(level)
    low = tracked_low / consent_high - z * math.sqrt(max(tracked_low, 0) * (1 - consent_high)) / consent_high
    low = max(low, tracked_low)
    high = tracked_high / consent_low + z * math.sqrt(max(tracked_high, 0) * (1 - consent_low)) / consent_low
    estimate = tracked / ((consent_low + consent_high) / 2)
    method = f"{source} ÷ analytics-consent rate {consent_low:.0%}–{consent_high:.0%}"
    return _r(estimate, low, high, method)


def web_reach(
    web_pages: pd.DataFrame,
    month: str,
    web_city: pd.DataFrame | None = None,
    web_users: pd.DataFrame | None = None,
    consent_rate: Mapping[str, float] | None = None,
    level: float = 0.95,
    city_total_tolerance: float = 0.05,
    assets: Iterable[str] | None = None,
) -> dict:
    """Distinct people who visited the asset web pages in one month, consent-adjusted.

    Tracked distinct users come from, in order of preference: a GA4 BigQuery count of distinct
    ``user_pseudo_id`` (``web_users``; exact); the GA4 Town/City total over the asset pages
    (each user sits in one town, so the total is close to the distinct count, within
    ``city_total_tolerance``, and is kept inside the page bounds); otherwise only the page
    bounds, from the largest page's users to the sum over pages, with the geometric midpoint as
    point estimate (:func:`bounds_midpoint`). Tracked users are then divided by the consent-rate
    range (:func:`consent_adjusted`).

    Parameters
    ----------
    web_pages : pandas.DataFrame
        Processed ``web_pages`` (``month``, ``page_path``, ``views``, ``active_users``,
        ``asset_id``).
    month : str
        ``YYYY-MM``.
    web_city : pandas.DataFrame, optional
        Processed ``web_city`` (``month``, ``city``, ``active_users``), covering the asset pages.
    web_users : pandas.DataFrame, optional
        Exact distinct tracked users from a GA4 BigQuery export: ``month``, ``users`` and
        optionally ``asset_id`` (a missing/NA ``asset_id`` row counts all asset pages).
    consent_rate : Mapping, optional
        ``{"low": …, "high": …}``; default from :data:`DEFAULT_SETTINGS`.
    level : float
        Confidence level.
    city_total_tolerance : float
        Allowed relative difference between the Town/City total and distinct users.
    assets : iterable of str, optional
        Restrict to these asset ids (the Town/City total, which is not per asset, is then not
        used).

    Returns
    -------
    dict
        ``reach`` (R, all visitors), ``tracked`` (R, consenting visitors only), ``views``
        (tracked page views), ``frequency`` (views per tracked user, with interval),
        ``pages``, ``source``. ``reach`` is None when no asset page was exported that month.
    """
    consent = consent_rate or DEFAULT_SETTINGS["consent_rate"]
    pages = _month_rows(web_pages, month)
    if len(pages):
        pages = pages[pages["asset_id"].notna()]
        if assets is not None:
            pages = pages[pages["asset_id"].isin(list(assets))]
    users = (
        pd.to_numeric(pages["active_users"], errors="coerce").dropna()
        if len(pages)
        else pd.Series([], dtype=float)
    )
    views = float(pd.to_numeric(pages["views"], errors="coerce").sum()) if len(pages) else 0.0
    bq = _month_rows(web_users, month) if web_users is not None else pd.DataFrame()
    if len(bq) and assets is None and "asset_id" in bq.columns:
        bq = bq[bq["asset_id"].isna()]
    elif len(bq) and assets is not None and "asset_id" in bq.columns:
        bq = bq[bq["asset_id"].isin(list(assets))] if len(list(assets)) == 1 else bq.iloc[0:0]
    if len(bq):
        t = float(bq["users"].iloc[0])
        t_low = t_high = t
        source = "GA4 BigQuery distinct user_pseudo_id"
    elif len(users) == 0:
        return {
            "reach": None,
            "tracked": None,
            "views": None,
            "frequency": None,
            "pages": 0,
            "source": "no GA4 page export for the month",
        }
    else:
        page_max, page_sum = float(users.max()), float(users.sum())
        city = _month_rows(web_city, month) if web_city is not None else pd.DataFrame()
        city_total = float(pd.to_numeric(city["active_users"], errors="coerce").sum()) if len(city) else 0.0
        if assets is None and len(city) and page_max <= city_total <= page_sum * (1 + city_total_tolerance):
            t = min(max(city_total, page_max), page_sum)
            t_low = max(page_max, city_total * (1 - city_total_tolerance))
            t_high = min(page_sum, city_total * (1 + city_total_tolerance))
            t_low, t_high = min(t_low, t), max(t_high, t)
            source = "GA4 Town/City total over the asset pages"
        else:
            t, t_low, t_high = bounds_midpoint(page_max, page_sum), page_max, page_sum
            source = "GA4 page users (largest page to sum of pages, geometric midpoint)"
    reach = consent_adjusted(t, t_low, t_high, consent["low"], consent["high"], level, source)
    tracked = _r(t, t_low, t_high, source)
    frequency = None
    if t_low > 0 and views:
        frequency = {
            "estimate": views / t,
            "low": views / t_high,
            "high": views / t_low,
            "note": "views per tracked user (GA4, consenting visitors)",
        }
    return {
        "reach": reach,
        "tracked": tracked,
        "views": views,
        "frequency": frequency,
        "pages": int(len(users)),
        "source": source,
    }


def video_reach(
    video: pd.DataFrame,
    video_totals: pd.DataFrame | None,
    month: str,
    max_views_per_viewer: float = 3.0,
    typical_views_per_viewer: float | None = None,
) -> dict:
    """Distinct YouTube viewers of the asset videos in one month.

    In order of preference: the Total row's ``Unique viewers`` (de-duplicated across videos by
    YouTube; used only when every video in the month's table is a registered asset); per-video
    ``Unique viewers``, which are not additive (bounds: largest video to sum); views ÷ average
    views per viewer per video (bounds likewise); otherwise views, which are an **upper bound**
    (flagged), with ``views ÷ max_views_per_viewer`` as the lower limit.

    Parameters
    ----------
    video : pandas.DataFrame
        Processed ``video`` (``month``, ``video_id``, ``views``, ``unique_viewers``,
        ``avg_views_per_viewer``, ``asset_id``).
    video_totals : pandas.DataFrame or None
        Processed ``video_totals`` (the Total row per month).
    month : str
        ``YYYY-MM``.
    max_views_per_viewer : float
        Most views one viewer is assumed to make in a month (lower limit when only views exist).
    typical_views_per_viewer : float, optional
        Views per viewer seen in other months, for the point estimate when only views exist.

    Returns
    -------
    dict
        ``reach`` (R or None), ``views``, ``frequency``, ``flag`` (``"views_upper_bound"`` or
        None), ``source``.
    """
    rows = _month_rows(video, month)
    all_assets = bool(len(rows)) and bool(rows["asset_id"].notna().all())
    rows = rows[rows["asset_id"].notna()] if len(rows) else rows
    totals = _month_rows(video_totals, month) if video_totals is not None else pd.DataFrame()
    views = float(pd.to_numeric(rows["views"], errors="coerce").sum()) if len(rows) else 0.0
    flag = None
    if len(totals) and all_assets and pd.notna(totals["unique_viewers"].iloc[0]):
        uv = float(totals["unique_viewers"].iloc[0])
        views = float(totals["views"].iloc[0])
        reach = _r(uv, uv, uv, "YouTube Studio unique viewers (Total row; YouTube's own de-duplicated count)")
    elif len(rows) and rows["unique_viewers"].notna().any():
        uv = pd.to_numeric(rows["unique_viewers"], errors="coerce").dropna()
        reach = _r(
            bounds_midpoint(uv.max(), uv.sum()),
            uv.max(),
            uv.sum(),
            "bounds from per-video unique viewers (largest video to sum; geometric midpoint)",
        )
    elif len(rows) and rows["avg_views_per_viewer"].notna().any():
        ok = rows[rows["avg_views_per_viewer"].notna() & (rows["avg_views_per_viewer"] > 0)]
        viewers = pd.to_numeric(ok["views"], errors="coerce") / ok["avg_views_per_viewer"]
        reach = _r(
            bounds_midpoint(viewers.max(), viewers.sum()),
            viewers.max(),
            viewers.sum(),
            "views ÷ average views per viewer, per video (largest to sum; geometric midpoint)",
        )
    elif views > 0:
        low = views / max_views_per_viewer
        estimate = (
            views / typical_views_per_viewer if typical_views_per_viewer else bounds_midpoint(low, views)
        )
        reach = _r(
            estimate,
            low,
            views,
            f"upper bound: views (no viewer counts exported; lower limit assumes at most "
            f"{max_views_per_viewer:g} views per viewer)",
        )
        flag = "views_upper_bound"
    elif len(rows):
        reach = _r(0, 0, 0, "no views")
    else:
        return {"reach": None, "views": None, "frequency": None, "flag": None, "source": "no YouTube export"}
    frequency = None
    if reach["low"] and views:
        frequency = {
            "estimate": views / max(reach["estimate"], 1),
            "low": views / reach["high"],
            "high": views / reach["low"],
            "note": "views per viewer",
        }
    return {"reach": reach, "views": views, "frequency": frequency, "flag": flag, "source": reach["method"]}


def social_reach(social_posts: pd.DataFrame, month: str) -> dict:
    """Distinct people reached by the month's Facebook/Instagram asset posts.

    Meta's post ``Reach`` counts distinct people per post (lifetime); people reached by two
    posts are in both, so the month's reach lies between the largest post's reach and the sum
    over posts. Without overlap information the point estimate is the geometric midpoint
    (:func:`bounds_midpoint`); :func:`reach_details` replaces it by the survey-based value when
    the survey allows.

    Parameters
    ----------
    social_posts : pandas.DataFrame
        Processed ``social_posts`` (``month``, ``post_id``, ``views``, ``reach``, ``asset_id``).
    month : str
        ``YYYY-MM`` (posts published that month).

    Returns
    -------
    dict
        ``reach`` (R or None), ``views``, ``posts``, ``frequency``, ``source``.
    """
    rows = _month_rows(social_posts, month)
    rows = rows[rows["asset_id"].notna()] if len(rows) else rows
    reach_values = (
        pd.to_numeric(rows["reach"], errors="coerce").dropna() if len(rows) else pd.Series([], dtype=float)
    )
    if len(reach_values) == 0:
        return {"reach": None, "views": None, "posts": 0, "frequency": None, "source": "no Meta posts export"}
    low, high = float(reach_values.max()), float(reach_values.sum())
    reach = _r(
        bounds_midpoint(low, high),
        low,
        high,
        "bounds from Meta post reach (largest post to sum of posts; geometric midpoint)",
    )
    views = float(pd.to_numeric(rows["views"], errors="coerce").sum())
    frequency = None
    if reach["low"]:
        frequency = {
            "estimate": views / max(reach["estimate"], 1),
            "low": views / reach["high"],
            "high": views / reach["low"],
            "note": "post views per person reached",
        }
    return {
        "reach": reach,
        "views": views,
        "posts": int(len(reach_values)),
        "frequency": frequency,
        "source": reach["method"],
    }


def _month_channels(tables: Mapping[str, pd.DataFrame], month: str, cfg: Mapping[str, Any]) -> dict:
    totals = tables.get("video_totals")
    typical = None
    if totals is not None and len(totals) and "avg_views_per_viewer" in totals.columns:
        known = pd.to_numeric(totals["avg_views_per_viewer"], errors="coerce").dropna()
        typical = float(known.median()) if len(known) else None
    return {
        "web": web_reach(
            tables.get("web_pages"),
            month,
            tables.get("web_city"),
            tables.get("web_users"),
            cfg["consent_rate"],
            cfg["level"],
            cfg["city_total_tolerance"],
        ),
        "video": video_reach(tables.get("video"), totals, month, cfg["video_max_views_per_viewer"], typical),
        "social": social_reach(tables.get("social_posts"), month),
    }


def channel_reach(
    tables: Mapping[str, pd.DataFrame], month: str, period: str = "month", settings: Mapping | None = None
) -> dict:
    """Per-channel reach for a month, the rolling three months or the financial year to date.

    Reach is never summed over months: one person visiting in two months is one person. The
    processed tables hold calendar-month exports only, so for a longer period no export covers
    the period as a whole and the reach is given as bounds, from the largest monthly value
    (everyone in the busiest month came back every month) to the sum of the monthly upper
    limits (no one came back), method ``"bounds from monthly exports"``. A month without an
    export leaves the upper limit unknown (None).

    Parameters
    ----------
    tables : Mapping of str to pandas.DataFrame
        Processed tables.
    month : str
        Last month of the period.
    period : {"month", "rolling_3", "fytd"}
        See :func:`period_months`.
    settings : Mapping, optional
        Output of :func:`resolve_settings` (defaults otherwise).

    Returns
    -------
    dict
        ``period`` ({start, end}), ``months``, and per channel (web, video, social) the month's
        channel dict (one month) or ``{"reach": R, "missing_months": [...]}``.
    """
    cfg = settings if settings is not None and "consent_rate" in settings else resolve_settings(settings)
    months = period_months(month, period)
    start, end = _period_dates(months)
    out: dict[str, Any] = {"period": {"start": start.isoformat(), "end": end.isoformat()}, "months": months}
    if len(months) == 1:
        out.update(_month_channels(tables, month, cfg))
        return out
    monthly = [_month_channels(tables, m, cfg) for m in months]
    for channel in CHANNELS:
        values = [(m, d[channel]["reach"]) for m, d in zip(months, monthly, strict=True)]
        present = [r for _, r in values if r is not None]
        missing = [m for m, r in values if r is None]
        if not present:
            out[channel] = {"reach": None, "missing_months": missing}
            continue
        low = max(r["low"] for r in present)
        high = None if missing else sum(r["high"] for r in present)
        est_high = sum(r["estimate"] for r in present)
        estimate = bounds_midpoint(max(r["estimate"] for r in present), est_high)
        method = (
            f"bounds from monthly exports (no export covers {start:%d %b %Y}–{end:%d %b %Y} as a whole: "
            "largest month to sum of months; geometric midpoint)"
        )
        if missing:
            method += f"; no export for {', '.join(missing)}, so no upper limit"
        out[channel] = {"reach": _r(estimate, low, high, method), "missing_months": missing}
    return out


# =============================================================================================
# Geography
# =============================================================================================


def _norm_place(text: object) -> str:
    value = "" if text is None or (isinstance(text, float) and math.isnan(text)) else str(text)
    value = value.replace("’", "'").replace("‘", "'").strip().casefold()
    return re.sub(r"\s+", " ", value)


def town_lookup(frame: pd.DataFrame | Sequence[Mapping[str, str]]) -> dict[str, tuple[str, str]]:
    """Normalised town/city name → (district name, ONS code), from ``config/town_districts.csv``.

    Parameters
    ----------
    frame : pandas.DataFrame or sequence of mappings
        Columns ``city``, ``district``, ``district_code``.

    Returns
    -------
    dict
        Keys are case-folded, whitespace-collapsed names with curly apostrophes straightened.

    Raises
    ------
    ValueError
        If a column is missing, a code is not one of the seven Norfolk districts, or one name
        maps to two districts.
    """
    frame = pd.DataFrame(frame)
    missing = {"city", "district", "district_code"} - set(frame.columns)
    if missing:
        raise ValueError(f"town lookup lacks columns {sorted(missing)}")
    codes = dict(DISTRICTS)
    lookup: dict[str, tuple[str, str]] = {}
    for city, district, code in frame[["city", "district", "district_code"]].itertuples(index=False):
        if code not in codes:
            raise ValueError(f"town lookup: {city!r} has code {code!r}, not a Norfolk district (E07000143–9)")
        if _norm_place(district) != _norm_place(codes[code]):
            raise ValueError(
                f"town lookup: {city!r} names district {district!r} but code {code} is {codes[code]}"
            )
        key = _norm_place(city)
        if key in lookup and lookup[key][1] != code:
            raise ValueError(f"town lookup: {city!r} is listed under two districts")
        lookup[key] = (codes[code], code)
    return lookup


def norfolk_share(
    web_city: pd.DataFrame,
    month: str,
    lookup: Mapping[str, tuple[str, str]],
    level: float = 0.95,
    geo_error: float = 0.02,
) -> dict:
    """Share of web visitors who live in Norfolk, from the GA4 Town/City export.

    A row counts as Norfolk when its town is in the lookup. ``(not set)`` users (GA4 could not
    place them) are reported, not guessed: the lower limit treats them all as outside Norfolk,
    the upper limit all as inside, each with the Wilson interval for the consent sample (tracked
    users are a sample of all visitors), widened by ``geo_error`` for IP geolocation placing
    people in the wrong town. The point estimate leaves ``(not set)`` out of the denominator.

    Parameters
    ----------
    web_city : pandas.DataFrame
        Processed ``web_city``.
    month : str
        ``YYYY-MM``.
    lookup : Mapping
        From :func:`town_lookup`.
    level : float
        Confidence level.
    geo_error : float
        Absolute allowance for geolocation error.

    Returns
    -------
    dict
        ``share`` ({estimate, low, high} or None), ``tracked_users``, ``norfolk_users``,
        ``not_set_users``, ``outside_users``, ``not_in_lookup`` (town names counted as outside,
        with users), ``by_district`` (GA4 users per district: DataFrame) and ``method``.
    """
    rows = _month_rows(web_city, month)
    if len(rows) == 0:
        return {
            "share": None,
            "tracked_users": 0,
            "norfolk_users": 0,
            "not_set_users": 0,
            "outside_users": 0,
            "not_in_lookup": {},
            "by_district": pd.DataFrame(columns=["district", "code", "users"]),
            "method": "no GA4 Town/City export for the month",
        }
    users = pd.to_numeric(rows["active_users"], errors="coerce").fillna(0).to_numpy(dtype=float)
    names = [_norm_place(c) for c in rows["city"]]
    not_set_mask = np.array([n in ("(not set)", "", "(other)") for n in names])
    hits = [lookup.get(n) for n in names]
    norfolk_mask = np.array([h is not None for h in hits])
    total = float(users.sum())
    norfolk = float(users[norfolk_mask].sum())
    not_set = float(users[not_set_mask].sum())
    outside = total - norfolk - not_set
    not_in_lookup = {
        str(c): int(u)
        for c, u, nm, ns in zip(rows["city"], users, norfolk_mask, not_set_mask, strict=True)
        if not nm and not ns
    }
    by = {code: 0.0 for code, _ in DISTRICTS}
    for h, u in zip(hits, users, strict=True):
        if h is not None:
            by[h[1]] += u
    names_by_code = dict(DISTRICTS)
    by_district = pd.DataFrame(
        [{"district": names_by_code[c], "code": c, "users": int(v)} for c, v in by.items()]
    )
    if total <= 0:
        share = None
    else:
        low = _wilson(norfolk, total, level)[0] - geo_error
        high = _wilson(norfolk + not_set, total, level)[1] + geo_error
        placed = total - not_set
        estimate = norfolk / placed if placed > 0 else (low + high) / 2
        share = _p(estimate, low, high)
    return {
        "share": share,
        "tracked_users": int(total),
        "norfolk_users": int(norfolk),
        "not_set_users": int(not_set),
        "outside_users": int(outside),
        "not_in_lookup": not_in_lookup,
        "by_district": by_district,
        "method": (
            f"GA4 Town/City (IP-based) via config/town_districts.csv; Wilson {level:.0%} interval for the "
            f"consent sample; '(not set)' counted outside for the lower limit and inside for the upper; "
            f"±{geo_error:.0%} for geolocation error"
        ),
    }


# =============================================================================================
# Survey: "Where did you see safer-sleep information?"
# =============================================================================================


def survey_incidence(
    feedback: pd.DataFrame,
    months: Sequence[str],
    keywords: Mapping[str, Sequence[str]] | None = None,
) -> pd.DataFrame:
    """One row per respondent who answered "where did you see …", with 0/1 channel columns.

    Parameters
    ----------
    feedback : pandas.DataFrame
        Processed ``feedback`` (``month``, ``respondent_type``, ``district``, ``where_seen``
        with options joined by ``;``).
    months : sequence of str
        Months to include.
    keywords : Mapping, optional
        Channel → keywords (case-insensitive, matched inside each option); default
        ``DEFAULT_SETTINGS["survey_channel_keywords"]``. Any other non-empty option is offline.

    Returns
    -------
    pandas.DataFrame
        ``month``, ``web``, ``video``, ``social``, ``offline`` (0/1), ``parent`` (bool:
        respondent type starts "parent"), ``district_code`` (ONS code, ``"outside"`` or
        ``"unknown"``).
    """
    keywords = keywords or DEFAULT_SETTINGS["survey_channel_keywords"]
    columns = ["month", *CHANNELS, "offline", "parent", "district_code"]
    if feedback is None or len(feedback) == 0:
        return pd.DataFrame(columns=columns)
    rows = feedback[feedback["month"].isin(list(months))]
    codes = {_norm_place(name): code for code, name in DISTRICTS}
    out = []
    for month, rtype, district, where in rows[
        ["month", "respondent_type", "district", "where_seen"]
    ].itertuples(index=False):
        if where is None or (isinstance(where, float) and math.isnan(where)) or pd.isna(where):
            continue
        options = [o.strip() for o in str(where).split(";") if o.strip()]
        if not options:
            continue
        marks = dict.fromkeys((*CHANNELS, "offline"), 0)
        for option in options:
            low = option.casefold()
            channel = next(
                (c for c in CHANNELS if any(k.casefold() in low for k in keywords.get(c, ()))), None
            )
            marks[channel or "offline"] = 1
        place = _norm_place(district)
        code = codes.get(place, "outside" if "outside" in place else "unknown")
        parent = isinstance(rtype, str) and rtype.strip().casefold().startswith("parent")
        out.append({"month": month, **marks, "parent": parent, "district_code": code})
    return pd.DataFrame(out, columns=columns)


def survey_duplication(
    channels: Mapping[str, Mapping[str, Any] | None],
    incidence: pd.DataFrame,
    level: float = 0.95,
    min_respondents: int = 30,
) -> dict | None:
    """Combined reach across channels from the channels' reach and the survey's overlap.

    Among respondents who saw at least one online channel, ``pᵢ`` is the share who saw channel
    ``i``; with ``C`` people reached by any channel, channel ``i`` reached ``C·pᵢ`` of them, so
    each channel gives ``C = Rᵢ / pᵢ`` with interval ``[Rᵢ.low / pᵢ.high, Rᵢ.high / pᵢ.low]``
    (Wilson limits for ``pᵢ``).

    The survey is not a random sample of the people reached: people who answer are more engaged
    and, since the same people tend to use several channels, more likely to have seen each
    channel, so every ``pᵢ`` tends to be too high and every ``Rᵢ / pᵢ`` too low. The interval uses
    that known direction. Its **lower limit** is the largest of the channels' lower limits (each
    at level ``1 − α/k``, Bonferroni over the k channels) and of the largest channel's own lower
    limit. Its **upper limit** comes from the channel with the largest share, whose ratio is the
    least sensitive to this bias (its share cannot rise far above the truth), at one-sided level
    ``α/2``, and never exceeds the sum of the channels' upper limits. When that share is 95% or
    more the survey looks recruited through that channel, and the sum is used instead. The point
    estimate is the geometric midpoint of the interval (:func:`bounds_midpoint`).

    The survey's overlap pattern is also fitted by log-linear capture–recapture
    (:func:`loglinear_population`, model by AIC) to estimate the universe ``U`` the channels
    draw from; :func:`reach_details` shows random duplication over ``U`` for comparison.

    Parameters
    ----------
    channels : Mapping
        Channel name → R (``web``, ``video``, ``social``; None where not exported).
    incidence : pandas.DataFrame
        From :func:`survey_incidence`.
    level : float
        Confidence level.
    min_respondents : int
        Fewest respondents with an online channel for the method to be used.

    Returns
    -------
    dict or None
        None when the survey is too small; else ``reach`` (R), ``respondents`` (n with an online
        channel), ``shares`` (pᵢ), ``by_channel`` (each channel's C and interval, lower limits at
        the Bonferroni level), ``upper_channel``, ``loglinear`` (dict or None), ``universe``.
    """
    used = [c for c in CHANNELS if channels.get(c) is not None and channels[c].get("estimate") is not None]
    if incidence is None or len(incidence) == 0 or not used:
        return None
    online = incidence[incidence[list(CHANNELS)].sum(axis=1) > 0]
    n = len(online)
    if n < min_respondents:
        return None
    counts = {c: int(online[c].sum()) for c in CHANNELS}
    informative = [c for c in used if counts[c] > 0 and channels[c]["low"] is not None]
    k = max(len(informative), 1)
    by_channel = {}
    for c in informative:
        r = channels[c]
        p = counts[c] / n
        p_high = _wilson(counts[c], n, 1 - (1 - level) / k)[1]
        p_low = _wilson(counts[c], n, level)[0]
        high = math.inf if p_low <= 0 or r["high"] is None else r["high"] / p_low
        by_channel[c] = {"estimate": r["estimate"] / p, "low": r["low"] / p_high, "high": high, "share": p}
    hard_low = max(channels[c]["low"] or 0 for c in used)
    highs = [channels[c]["high"] for c in used]
    hard_high = math.inf if any(h is None for h in highs) else float(sum(highs))
    low = max([hard_low] + [v["low"] for v in by_channel.values()])
    top = (
        max(informative, key=lambda c: (by_channel[c]["share"], -CHANNELS.index(c))) if informative else None
    )
    notes = []
    if top is not None and by_channel[top]["share"] < 0.95:
        high = min(hard_high, by_channel[top]["high"])
    else:
        high = hard_high
        if top is not None:
            notes.append(
                f"{by_channel[top]['share']:.0%} of respondents saw the {top} channel, so the survey looks "
                "recruited through it; the upper limit is the sum of the channels"
            )
    if high < low:  # the channels disagree: widen to every channel's upper limit
        high = min(hard_high, max(v["high"] for v in by_channel.values()))
        notes.append("the channels disagree; the upper limit spans all of them")
        if high < low:
            low = hard_low
    estimate = bounds_midpoint(low, high) if math.isfinite(high) else low
    method = (
        f"survey-based duplication: channel reach ÷ share of the {n} respondents reached online who saw that "
        f"channel (lower limit: largest over {', '.join(informative)}, Wilson, Bonferroni; upper limit: "
        f"{top if top and by_channel[top]['share'] < 0.95 else 'sum of channels'}; geometric midpoint)"
    )
    if notes:
        method += "; " + "; ".join(notes)
    loglinear, universe = None, None
    present = [c for c in CHANNELS if counts[c] > 0]
    if len(present) >= 2:
        try:
            loglinear = loglinear_population(online[present].astype(int), level)
        except ValueError:
            loglinear = None
    if loglinear is not None:
        universe = loglinear["estimate"] * estimate / n  # people per online respondent
    return {
        "reach": _r(estimate, low, high if math.isfinite(high) else None, method),
        "respondents": n,
        "shares": {c: counts[c] / n for c in CHANNELS},
        "by_channel": by_channel,
        "upper_channel": top,
        "loglinear": loglinear,
        "universe": universe,
    }


def family_coverage(incidence: pd.DataFrame, level: float = 0.95, min_parents: int = 15) -> dict | None:
    """Share of Norfolk families with a newborn reached online, from the parents in the survey.

    Parents/carers who live in a Norfolk district and answered "where did you see …" are taken
    as a sample of families who received safer-sleep information from *some* source. The share
    who saw at least one online channel has a Wilson interval. Families who received nothing at
    all cannot answer, so the share is corrected by two-source capture–recapture between the
    online list and the offline list (leaflet, health visitor or midwife, other):
    ``coverage = n_online / N̂`` with ``N̂`` Chapman's estimate of all families at the
    survey's scale; the interval multiplies the Wilson limits by ``n / N̂`` at the far ends of
    Chao's interval.

    Parameters
    ----------
    incidence : pandas.DataFrame
        From :func:`survey_incidence` (any rows; parents in Norfolk districts are selected).
    level : float
        Confidence level.
    min_parents : int
        Fewest parents for an estimate.

    Returns
    -------
    dict or None
        None when there are too few parents; else ``coverage`` ({estimate, low, high}),
        ``parents``, ``online``, ``offline``, ``both``, ``chapman`` (dict or None), ``exposed_share``
        ({estimate, low, high}: families with any exposure), ``method``.
    """
    if incidence is None or len(incidence) == 0:
        return None
    fam = incidence[incidence["parent"].astype(bool) & incidence["district_code"].str.startswith("E07")]
    n = len(fam)
    if n < min_parents:
        return None
    online = fam[list(CHANNELS)].sum(axis=1) > 0
    offline = fam["offline"].astype(int) > 0
    n_on, n_off, both = int(online.sum()), int(offline.sum()), int((online & offline).sum())
    w_low, w_high = _wilson(n_on, n, level)
    cr = None
    if both >= 1 and n_off >= 1 and n_on >= 1:
        cr = chapman(n_on, n_off, both, level)
        f_est, f_low, f_high = n / cr["estimate"], n / cr["high"], n / cr["low"]
        correction = "two-source Chapman (online × offline)"
    else:
        f_est = f_low = f_high = 1.0
        correction = (
            "no correction possible (no parent saw both online and offline sources): "
            "assumes every family got some information"
        )
    estimate = (n_on / n) * f_est
    method = (
        f"survey of {n} Norfolk parents/carers: share reached online (Wilson {level:.0%}) × share of families "
        f"reached by any source ({correction})"
    )
    return {
        "coverage": _p(estimate, w_low * f_low, w_high * f_high),
        "parents": n,
        "online": n_on,
        "offline": n_off,
        "both": both,
        "chapman": cr,
        "exposed_share": _p(f_est, f_low, f_high),
        "method": method,
    }


def _district_coverage(
    incidence: pd.DataFrame, county: dict, level: float, prior_strength: float
) -> dict[str, dict]:
    """Per-district coverage: the district's own answers, the county rate, and an interval covering both."""
    out = {}
    fam = incidence[incidence["parent"].astype(bool)] if len(incidence) else incidence
    f = county["exposed_share"]
    c = county["coverage"]
    for code, _name in DISTRICTS:
        rows = fam[fam["district_code"] == code] if len(fam) else fam
        n = len(rows)
        if n == 0:
            out[code] = {**c, "parents": 0, "method": "county rate (no answers from parents in the district)"}
            continue
        k = int((rows[list(CHANNELS)].sum(axis=1) > 0).sum())
        w_low, w_high = _wilson(k, n, level)
        direct = {"estimate": k / n * f["estimate"], "low": w_low * f["low"], "high": w_high * f["high"]}
        weight = n / (n + prior_strength)
        estimate = weight * direct["estimate"] + (1 - weight) * c["estimate"]
        low, high = min(direct["low"], c["low"]), max(direct["high"], c["high"])
        out[code] = {
            **_p(estimate, low, high),
            "parents": n,
            "method": (
                f"composite of the district's parents' answers and the county rate (weight n/(n+{prior_strength:g})); "
                "interval spans both the district's own Wilson interval and the county interval"
            ),
        }
    return out


# =============================================================================================
# Births
# =============================================================================================


def births_in_period(reference_births: pd.DataFrame, months: Sequence[str]) -> dict:
    """Live births expected in a period, county and per district, pro-rated from annual figures.

    The county figure for each month's calendar year is used when its status is ``published``;
    otherwise the latest earlier published county figure (and this is said). District figures
    are used as published when every district row of the year is ``published``; when they are
    ``illustrative`` only their split is used, applied to the county figure, and this is said.
    Each month gets ``annual × days in month / days in year``.

    Parameters
    ----------
    reference_births : pandas.DataFrame
        Processed ``reference_births`` (``year``, ``area_code``, ``area_name``,
        ``live_births``, ``status``, ``source``).
    months : sequence of str
        The period's months.

    Returns
    -------
    dict
        ``county`` (float), ``districts`` (code → float), ``district_status``
        (``"published"`` or ``"illustrative"``), ``notes`` (list of str).

    Raises
    ------
    ValueError
        If no county figure exists for or before the period.
    """
    births = reference_births.copy()
    births["year"] = pd.to_numeric(births["year"], errors="coerce")
    births["live_births"] = pd.to_numeric(births["live_births"], errors="coerce")
    births["status"] = births["status"].astype("string").str.strip().str.lower()
    county_rows = births[births["area_code"] == COUNTY_CODE].dropna(subset=["year", "live_births"])
    codes = [code for code, _ in DISTRICTS]
    county_total = 0.0
    districts = dict.fromkeys(codes, 0.0)
    notes: list[str] = []
    statuses = set()
    for month in months:
        year, mon = int(month[:4]), int(month[5:7])
        days = (dt.date(year + (mon == 12), mon % 12 + 1, 1) - dt.date(year, mon, 1)).days
        fraction = days / (366 if (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)) else 365)
        published = county_rows[(county_rows["status"] == "published") & (county_rows["year"] <= year)]
        same = published[published["year"] == year]
        if len(same):
            annual, used_year = float(same["live_births"].iloc[-1]), year
        elif len(published):
            latest = published.sort_values("year").iloc[-1]
            annual, used_year = float(latest["live_births"]), int(latest["year"])
            notes.append(
                f"{year}: county births not yet published; the {used_year} published figure "
                f"({annual:,.0f}) is used"
            )
        else:
            any_rows = county_rows[county_rows["year"] <= year].sort_values("year")
            if not len(any_rows):
                raise ValueError(f"no Norfolk ({COUNTY_CODE}) births figure for {year} or earlier")
            annual, used_year = float(any_rows["live_births"].iloc[-1]), int(any_rows["year"].iloc[-1])
            notes.append(
                f"{year}: no published county births; the {used_year} {any_rows['status'].iloc[-1]} "
                f"figure ({annual:,.0f}) is used"
            )
        county_total += annual * fraction
        rows = births[(births["year"] == used_year) & births["area_code"].isin(codes)].dropna(
            subset=["live_births"]
        )
        if len(rows) == len(codes) and (rows["status"] == "published").all():
            statuses.add("published")
            for code, value in zip(rows["area_code"], rows["live_births"], strict=True):
                districts[code] += float(value) * fraction
        else:
            statuses.add("illustrative")
            split = rows.set_index("area_code")["live_births"] if len(rows) == len(codes) else None
            if split is None or split.sum() <= 0:
                split = pd.Series(1.0, index=codes)
                notes.append(
                    f"{used_year}: no district births; the county figure is split equally (placeholder)"
                )
            for code in codes:
                districts[code] += annual * fraction * float(split[code]) / float(split.sum())
    status = "published" if statuses == {"published"} else "illustrative"
    if status == "illustrative":
        notes.append(
            "district births are illustrative (only the published county total is real): district "
            "coverage is indicative"
        )
    return {
        "county": county_total,
        "districts": districts,
        "district_status": status,
        "notes": list(dict.fromkeys(notes)),
    }


# =============================================================================================
# The month's reach
# =============================================================================================


def _lookup_from(tables: Mapping[str, pd.DataFrame], cfg: Mapping[str, Any]) -> dict[str, tuple[str, str]]:
    source = cfg.get("town_districts")
    if source is None:
        source = tables.get("town_districts", tables.get("reference_town_districts"))
    if source is None:
        raise ValueError(
            "the Town/City → district lookup is missing: read config/town_districts.csv and pass it as "
            "settings['reach']['town_districts'] (or town_districts=...)"
        )
    return source if isinstance(source, dict) else town_lookup(source)


#: Largest count the NHS sub-national rule hides (1-7 are shown as "*").
SMALL_COUNT_MAX = 7


def _round_out(r: dict, base: int) -> dict:
    """Round a reach to ``base``: estimate to nearest, low down, high up (NHS rule's base 5).

    Limits of 1-7 move outwards (low to 0, high to the first multiple of ``base`` above 7) and an
    estimate of 1-7 becomes None, so no small count of people is published below county level.
    """
    if base <= 1:
        return r

    def down(v):
        return None if v is None else int(math.floor(v / base) * base)

    def up(v):
        return None if v is None else int(math.ceil(v / base) * base)

    est = None if r["estimate"] is None else int(math.floor(r["estimate"] / base + 0.5) * base)
    low, high, method = down(r["low"]), up(r["high"]), r["method"]
    # No 1-7 may appear below county level (NHS rule): limits move outwards past the small
    # range (to 0, or up to the first multiple of ``base`` above 7), and a small estimate is hidden.
    if low is not None and 0 < low <= SMALL_COUNT_MAX:
        low = 0
    if high is not None and 0 < high <= SMALL_COUNT_MAX:
        high = int(math.ceil((SMALL_COUNT_MAX + 1) / base) * base)
    if est is not None and 0 < est <= SMALL_COUNT_MAX:
        est = None
        method += "; best estimate of 1 to 7 not shown (NHS small-number rule)"
    return {"estimate": est, "low": low, "high": high, "method": method}


def _survey_for(tables: Mapping[str, pd.DataFrame], month: str, cfg: Mapping[str, Any], need: str) -> tuple:
    """The month's survey incidence, pooled over more months when too small. Returns (incidence, months)."""
    feedback = tables.get("feedback")
    pool = max(1, int(cfg["survey_pool_months"]))
    last = None
    for size in dict.fromkeys((1, pool)):
        months = [_month_shift(month, -k) for k in range(size - 1, -1, -1)]
        inc = survey_incidence(feedback, months, cfg["survey_channel_keywords"])
        last = (inc, months)
        if need == "online":
            n = int((inc[list(CHANNELS)].sum(axis=1) > 0).sum()) if len(inc) else 0
            if n >= cfg["survey_min_respondents"]:
                return last
        else:
            fam = (
                inc[inc["parent"].astype(bool) & inc["district_code"].str.startswith("E07")]
                if len(inc)
                else inc
            )
            if len(fam) >= cfg["survey_min_parents"]:
                return last
    return last


def reach_details(
    tables: Mapping[str, pd.DataFrame],
    month: str,
    settings: Mapping[str, Any] | None = None,
    periods: bool = True,
    **overrides: Any,
) -> dict:
    """Every reach figure for a reporting month, with the working behind it.

    Parameters
    ----------
    tables : Mapping of str to pandas.DataFrame
        Processed tables (``web_pages``, ``web_city``, ``video``, ``video_totals``,
        ``social_posts``, ``feedback``, ``reference_births``; optional ``web_users``).
    month : str
        Reporting month ``YYYY-MM``.
    settings : Mapping, optional
        Whole settings mapping (see :func:`resolve_settings`).
    periods : bool
        Also compute the rolling three months and the financial year to date (``periods``;
        None when False).
    **overrides
        Keys of :data:`DEFAULT_SETTINGS`.

    Returns
    -------
    dict
        ``period``, ``settings`` (used, without the lookup), ``channels`` (month: web, video,
        social dicts with frequency), ``periods`` (``rolling_3`` and ``fytd``
        :func:`channel_reach`), ``combined`` (R), ``combined_survey`` (dict or None),
        ``combined_random`` (R or None), ``survey_months``, ``norfolk`` (:func:`norfolk_share`),
        ``births`` (:func:`births_in_period`), ``coverage`` (county dict), ``families_reached``
        (R), ``family_survey`` (:func:`family_coverage` or None), ``coverage_random`` (dict or
        None), ``by_district`` (list), ``notes`` (list of str).
    """
    cfg = resolve_settings(settings, **overrides)
    level = float(cfg["level"])
    lookup = _lookup_from(tables, cfg)
    notes: list[str] = []
    channels = channel_reach(tables, month, "month", cfg)
    period = channels["period"]
    reach = {c: channels[c]["reach"] for c in CHANNELS}
    for c in CHANNELS:
        if reach[c] is None:
            notes.append(f"{c}: no export for {month}; that channel is left out of the combined reach")
    if channels["video"].get("flag") == "views_upper_bound":
        notes.append("video: YouTube viewer counts were not exported; views are used as an upper bound")

    # --- combined across channels -----------------------------------------------------------
    inc, survey_months = _survey_for(tables, month, cfg, "online")
    survey = survey_duplication(reach, inc, level, int(cfg["survey_min_respondents"]))
    present = [reach[c] for c in CHANNELS if reach[c] is not None]
    combined_random = None
    if survey is not None:
        combined = dict(survey["reach"])
        if len(survey_months) > 1:
            combined["method"] += (
                f"; survey pooled over {survey_months[0]} to {survey_months[-1]} (too few answers in {month})"
            )
            notes.append(f"survey pooled over {len(survey_months)} months for the combined reach")
        if reach["social"] is not None and survey["shares"]["social"] > 0:
            point = combined["estimate"] * survey["shares"]["social"]
            s = reach["social"]
            reach["social"] = _r(
                min(max(point, s["low"]), s["high"]),
                s["low"],
                s["high"],
                "bounds from Meta post reach (largest post to sum of posts); point from the "
                "survey-based combined reach × share of online respondents who saw social media",
            )
            channels["social"]["reach"] = reach["social"]
        universe = survey["universe"]
        if universe:
            rates = [min(1.0, r["estimate"] / universe) for r in present]
            value = universe * random_duplication(rates, cfg["random_duplication_variant"])
            combined_random = _r(
                value,
                None,
                None,
                f"random duplication ({cfg['random_duplication_variant']}) over the log-linear "
                "universe: assumes channels reach people independently (upper reference when the "
                "same people use several channels)",
            )
    elif present:
        low = max(r["low"] for r in present)
        highs = [r["high"] for r in present]
        high = None if any(h is None for h in highs) else sum(highs)
        n_online = int((inc[list(CHANNELS)].sum(axis=1) > 0).sum()) if len(inc) else 0
        combined = _r(
            bounds_midpoint(low, high) if high is not None else low,
            low,
            high,
            f"bounds from channel reach (complete overlap to no overlap; geometric midpoint): the survey "
            f"is too small for survey-based duplication ({n_online} online respondents, minimum "
            f"{cfg['survey_min_respondents']})",
        )
        notes.append("combined reach: survey too small, bounds only")
    else:
        combined = _r(None, None, None, "no channel exported")

    # --- geography ---------------------------------------------------------------------------
    norfolk = norfolk_share(tables.get("web_city"), month, lookup, level, float(cfg["geo_error"]))

    # --- coverage of families with a newborn ----------------------------------------------------
    births = births_in_period(tables["reference_births"], [month])
    notes.extend(births["notes"])
    fam_inc, fam_months = _survey_for(tables, month, cfg, "parents")
    fam = family_coverage(fam_inc, level, int(cfg["survey_min_parents"]))
    b_low, b_high = poisson_interval(births["county"], level)
    coverage_random = None
    if fam is not None:
        cov = dict(fam["coverage"])
        cov_method = fam["method"]
        if len(fam_months) > 1:
            cov_method += f"; survey pooled over {fam_months[0]} to {fam_months[-1]}"
        fam_rows = fam_inc[fam_inc["parent"].astype(bool) & fam_inc["district_code"].str.startswith("E07")]
        rates = [float(fam_rows[c].mean()) * fam["exposed_share"]["estimate"] for c in CHANNELS]
        coverage_random = {
            "estimate": random_duplication(rates, cfg["random_duplication_variant"]),
            "method": f"random duplication ({cfg['random_duplication_variant']}) over families with a newborn, "
            "channel rates from the parents' answers (assumes independent channels)",
        }
    else:
        cov = {"estimate": None, "low": 0.0, "high": 1.0}
        cov_method = (
            f"not estimable: fewer than {cfg['survey_min_parents']} Norfolk parents/carers answered "
            "the survey; the interval is 0 to 100%"
        )
        notes.append("coverage: too few parents in the survey")
    families = _r(
        None if cov["estimate"] is None else cov["estimate"] * births["county"],
        cov["low"] * b_low,
        cov["high"] * b_high,
        "families with a newborn reached online = coverage × births in the period (Poisson interval for births)",
    )
    coverage = {
        "births_in_period": int(round(births["county"])),
        **_p(cov["estimate"], cov["low"], cov["high"]),
        "method": cov_method,
    }

    # --- districts ------------------------------------------------------------------------------
    by_district = []
    district_cov = (
        _district_coverage(
            fam_inc,
            {"coverage": cov, "exposed_share": fam["exposed_share"]},
            level,
            float(cfg["district_prior_strength"]),
        )
        if fam is not None
        else {}
    )
    for code, name in DISTRICTS:
        b = births["districts"][code]
        d_low, d_high = poisson_interval(b, level)
        dc = district_cov.get(code, {**cov, "parents": 0, "method": cov_method})
        r = _r(
            None if dc["estimate"] is None else dc["estimate"] * b,
            dc["low"] * d_low,
            dc["high"] * d_high,
            f"families with a newborn reached online = district coverage × district births "
            f"({births['district_status']}); {dc['method']}; rounded to {cfg['district_round_to']}",
        )
        by_district.append(
            {
                "district": name,
                "code": code,
                "reach": _round_out(r, int(cfg["district_round_to"])),
                "coverage": {"births_in_period": int(round(b)), **_p(dc["estimate"], dc["low"], dc["high"])},
                "parents_answered": dc.get("parents", 0),
                "ga4_users": int(norfolk["by_district"].set_index("code")["users"].get(code, 0)),
            }
        )

    longer = {p: channel_reach(tables, month, p, cfg) for p in ("rolling_3", "fytd")} if periods else None
    shown = {k: v for k, v in cfg.items() if k != "town_districts"}
    return {
        "period": period,
        "settings": shown,
        "channels": {c: channels[c] for c in CHANNELS},
        "periods": longer,
        "combined": combined,
        "combined_survey": survey,
        "combined_random": combined_random,
        "survey_months": survey_months,
        "norfolk": norfolk,
        "births": births,
        "coverage": coverage,
        "families_reached": families,
        "family_survey": fam,
        "coverage_random": coverage_random,
        "by_district": by_district,
        "notes": notes,
    }


def reach_summary(
    tables: Mapping[str, pd.DataFrame],
    month: str,
    settings: Mapping[str, Any] | None = None,
    **overrides: Any,
) -> dict:
    """The ``"reach"`` block of ``summary.json`` (issue 4's contract, exactly).

    Parameters
    ----------
    tables : Mapping of str to pandas.DataFrame
        Processed tables.
    month : str
        Reporting month ``YYYY-MM``.
    settings : Mapping, optional
        Whole settings mapping; the ``reach:`` section and ``confidence_level`` are used.
    **overrides
        Keys of :data:`DEFAULT_SETTINGS` (for example ``town_districts=frame``).

    Returns
    -------
    dict
        ``{"period": {"start", "end"}, "channels": {"web", "video", "social"}: R, "combined": R,
        "norfolk_share": {"estimate", "low", "high"}, "coverage": {"births_in_period",
        "estimate", "low", "high"}, "by_district": [{"district", "code", "reach": R,
        "coverage": {"births_in_period", "estimate", "low", "high"}}, …]}``. ``R`` is
        ``{"estimate", "low", "high", "method"}`` in whole people. District counts are rounded
        to 5 (estimate to nearest, limits outwards).
    """
    d = reach_details(tables, month, settings, periods=False, **overrides)
    share = d["norfolk"]["share"] or {"estimate": None, "low": None, "high": None}
    cov = d["coverage"]
    return {
        "period": dict(d["period"]),
        "channels": {c: d["channels"][c]["reach"] for c in CHANNELS},
        "combined": d["combined"],
        "norfolk_share": {"estimate": share["estimate"], "low": share["low"], "high": share["high"]},
        "coverage": {k: cov[k] for k in ("births_in_period", "estimate", "low", "high")},
        "by_district": [
            {
                "district": b["district"],
                "code": b["code"],
                "reach": b["reach"],
                "coverage": {k: b["coverage"][k] for k in ("births_in_period", "estimate", "low", "high")},
            }
            for b in d["by_district"]
        ],
    }


# =============================================================================================
# Sentences
# =============================================================================================


def _n(value: float) -> str:
    return f"{int(round(value)):,}"


def _pc(value: float) -> str:
    return f"{100 * value:.0f}%"


def _range(r: Mapping[str, Any], unit: str = "people") -> str:
    low, high, est = r.get("low"), r.get("high"), r.get("estimate")
    if low is None and high is None:
        return f"an unknown number of {unit}"
    if high is None:
        return f"at least {_n(low)} {unit} (no upper limit could be set)"
    if low == high:
        return f"{_n(low)} {unit} (a platform count, so the interval is {_n(low)} to {_n(high)})"
    text = f"between {_n(low)} and {_n(high)} {unit}"
    if est is not None:
        text += f" (best estimate {_n(est)}, within that range)"
    return text


def _prange(p: Mapping[str, Any]) -> str:
    if p.get("low") is None or p.get("high") is None:
        return "an unknown share"
    text = f"between {_pc(p['low'])} and {_pc(p['high'])}"
    if p.get("estimate") is not None:
        text += f" (best estimate {_pc(p['estimate'])}, within that range)"
    return text


_PLAIN = (
    (
        "bounds from channel reach",
        "the survey was too small to measure overlap, so the range runs from "
        "everyone seeing every channel to no one seeing two",
    ),
    (
        "bounds from monthly exports",
        "no export covers the whole period, so the range runs from the busiest month "
        "to the sum of the months",
    ),
    (
        "survey-based duplication",
        "we used the feedback survey to see how many people saw more than one channel",
    ),
    (
        "Town/City total",
        "GA4 only counts visitors who accept analytics cookies, so we scaled up by the share who accept",
    ),
    (
        "BigQuery",
        "GA4 only counts visitors who accept analytics cookies, so we scaled up by the share who accept",
    ),
    (
        "GA4 page users",
        "GA4 only counts visitors who accept analytics cookies, so we scaled up by the share who "
        "accept; visitors to two pages may be counted twice, which widens the range",
    ),
    ("YouTube Studio unique viewers", "YouTube counts each viewer once across the videos"),
    (
        "upper bound: views",
        "YouTube did not export viewer numbers, so the range assumes 1 to a few views each",
    ),
    (
        "unique viewers",
        "YouTube counted viewers per video; someone who watched two videos may be counted twice",
    ),
    ("views ÷ average views per viewer", "viewers were worked out from views and YouTube's views per viewer"),
    ("Meta post reach", "Facebook counts people per post; someone who saw two posts is in both counts"),
)


def _plain(method: str) -> str:
    for key, text in _PLAIN:
        if key in method:
            return text
    return method


def reach_sentences(summary: Mapping[str, Any]) -> list[str]:
    """Plain-English sentences for the report's reach section; every number has its interval.

    Parameters
    ----------
    summary : Mapping
        The output of :func:`reach_summary`.

    Returns
    -------
    list of str
        One sentence per figure: combined, each channel, Norfolk share, coverage, then each
        district.
    """
    start = dt.date.fromisoformat(summary["period"]["start"])
    when = start.strftime("%B %Y")
    out = []
    comb = summary["combined"]
    out.append(
        f"In {when} the safer-sleep web pages, videos and posts reached {_range(comb)} in all, "
        f"counting each person once; {_plain(comb['method'])}."
    )
    names = {
        "web": "visited the safer-sleep web pages",
        "video": "watched the videos on YouTube",
        "social": "were reached by the Facebook posts",
    }
    for channel in CHANNELS:
        r = summary["channels"][channel]
        if r is None:
            out.append(f"No {channel} export was available for {when}, so that channel is not counted.")
            continue
        out.append(f"{_range(r).capitalize()} {names[channel]}; {_plain(r['method'])}.")
    share = summary["norfolk_share"]
    if share.get("estimate") is not None or share.get("low") is not None:
        out.append(
            f"{_prange(share).capitalize()} of web visitors were in Norfolk; GA4 places visitors by their "
            "internet connection, which can be wrong, and visitors it could not place ('(not set)') are "
            "reported separately rather than guessed."
        )
    else:
        out.append(
            "There was no GA4 Town/City export for the month, so the share of web visitors in Norfolk is unknown."
        )
    cov = summary["coverage"]
    if cov.get("estimate") is not None:
        out.append(
            f"{_prange(cov).capitalize()} of Norfolk families with a newborn saw at least one online "
            "channel, judged from the parents who answered the feedback survey."
        )
    else:
        out.append(
            "Too few parents answered the feedback survey to say what share of families with a newborn "
            "were reached."
        )
    for d in summary["by_district"]:
        r, c = d["reach"], d["coverage"]
        if c.get("estimate") is None:
            continue
        out.append(
            f"{d['district']}: {_range(r, 'families with a newborn')}, which is {_prange(c)} of the "
            "district's births in the month (district figures are rough: few parents answer per district)."
        )
    return out
