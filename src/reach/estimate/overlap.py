"""Distinct people across channels.

Random duplication, Chapman and log-linear capture–recapture, survey-based duplication.

statsmodels and scipy.special are imported inside the log-linear fit, the only step that needs
them.
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize, stats

from reach.config import ReachSettings
from reach.core.intervals import _z
from reach.estimate.base import CHANNELS, _r, _wilson, bounds_midpoint
from reach.estimate.geography import DISTRICTS, _norm_place

# =============================================================================================
# Estimators (docs/methodology.md, Combined reach across channels)
# =============================================================================================


def random_duplication(rates: Iterable[float], variant: str = "random") -> float:
    """Net reach of several exposures that reach the same universe independently.

    ``R = 1 − Π(1 − rᵢ)`` ("random duplication"); the ``"sainsbury_0.95"`` variant multiplies
    it by 0.95 (docs/methodology.md, Combined reach across channels). Under positive dependence
    (the same people see every channel) the true net reach is *smaller* than the random-duplication
    value.

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


def _candidate_models(
    lists: Sequence[str], pairs: Sequence[tuple[str, str]] | str | None
) -> list[tuple[tuple[int, int], ...]]:
    """The interaction sets to fit: every subset (None), all pairs ("saturated") or the pairs given."""
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
    return candidates


def _fit_candidates(
    table: np.ndarray,
    patterns: np.ndarray,
    lists: Sequence[str],
    candidates: Sequence[tuple[tuple[int, int], ...]],
) -> pd.DataFrame:
    """Fit each estimable candidate model; a table of them sorted by AIC (then size)."""
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
    return pd.DataFrame(rows).sort_values(["aic", "parameters"], kind="stable").reset_index(drop=True)


def loglinear_population(
    incidence: pd.DataFrame,
    level: float = 0.95,
    pairs: Sequence[tuple[str, str]] | str | None = None,
) -> dict:
    """Population size from k overlapping lists by log-linear capture–recapture.

    A Poisson GLM is fitted to the 2^k − 1 observed cells of the incidence table with a main
    effect per list and a set of list × list interactions; the unseen cell is
    ``N0 = exp(intercept)`` and ``N = n + N0`` (docs/methodology.md). Unless ``pairs`` is given the
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
    candidates = _candidate_models(lists, pairs)
    table_frame = _fit_candidates(table, patterns, lists, candidates)
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
        ``ReachSettings().survey_channel_keywords``. Any other non-empty option is offline.

    Returns
    -------
    pandas.DataFrame
        ``month``, ``web``, ``video``, ``social``, ``offline`` (0/1), ``parent`` (bool:
        respondent type starts "parent"), ``district_code`` (ONS code, ``"outside"`` or
        ``"unknown"``).
    """
    keywords = keywords or ReachSettings().survey_channel_keywords
    columns = ["month", *CHANNELS, "offline", "parent", "district_code", "recruited"]
    if feedback is None or len(feedback) == 0:
        return pd.DataFrame(columns=columns)
    rows = feedback[feedback["month"].isin(list(months))]
    if "recruited_via" not in rows.columns:
        rows = rows.assign(recruited_via=pd.NA)
    codes = {_norm_place(name): code for code, name in DISTRICTS}
    out = []
    for month, rtype, district, where, via in rows[
        ["month", "respondent_type", "district", "where_seen", "recruited_via"]
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
        out.append(
            {
                "month": month,
                **marks,
                "parent": parent,
                "district_code": code,
                "recruited": _recruited_channel(via, keywords),
            }
        )
    return pd.DataFrame(out, columns=columns)


def _recruited_channel(via: object, keywords: Mapping[str, Sequence[str]]) -> str:
    """The channel that brought a respondent to the form (``"unknown"`` when not asked, else ``"offline"``).

    Examples
    --------
    >>> kw = {"web": ["website"], "video": ["youtube"], "social": ["facebook"]}
    >>> [_recruited_channel(v, kw) for v in ("A YouTube video", "A leaflet or QR code", None)]
    ['video', 'offline', 'unknown']
    """
    if via is None or (not isinstance(via, str) and pd.isna(via)) or not str(via).strip():
        return "unknown"
    low = str(via).casefold()
    return next((c for c in CHANNELS if any(k.casefold() in low for k in keywords.get(c, ()))), "offline")


def _channel_ratios(
    channels: Mapping[str, Mapping[str, Any] | None],
    counts: Mapping[str, int],
    informative: Sequence[str],
    n: Mapping[str, int],
    level: float,
) -> dict[str, dict[str, float]]:
    """Each channel's ``Rᵢ / pᵢ`` with its interval (lower limit at the Bonferroni level)."""
    k = max(len(informative), 1)
    by_channel = {}
    for c in informative:
        r = channels[c]
        p = counts[c] / n[c]
        p_high = _wilson(counts[c], n[c], 1 - (1 - level) / k)[1]
        p_low = _wilson(counts[c], n[c], level)[0]
        high = math.inf if p_low <= 0 or r["high"] is None else r["high"] / p_low
        by_channel[c] = {"estimate": r["estimate"] / p, "low": r["low"] / p_high, "high": high, "share": p}
    return by_channel


def _duplication_limits(
    channels: Mapping[str, Mapping[str, Any] | None],
    used: Sequence[str],
    informative: Sequence[str],
    by_channel: Mapping[str, Mapping[str, float]],
) -> tuple[float, float, str | None, list[str]]:
    """Lower and upper limits of the combined reach, the upper-limit channel and notes on both."""
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
    return low, high, top, notes


def _duplication_method(
    n: int,
    informative: Sequence[str],
    top: str | None,
    by_channel: Mapping[str, Mapping[str, float]],
    notes: Sequence[str],
) -> str:
    """Plain description of the survey-based duplication and any notes on its limits."""
    method = (
        f"survey-based duplication: channel reach ÷ share of the {n} respondents reached online who saw that "
        f"channel (lower limit: largest over {', '.join(informative)}, Wilson, Bonferroni; upper limit: "
        f"{top if top and by_channel[top]['share'] < 0.95 else 'sum of channels'}; geometric midpoint)"
    )
    if notes:
        method += "; " + "; ".join(notes)
    return method


def _survey_loglinear(online: pd.DataFrame, counts: Mapping[str, int], level: float) -> dict | None:
    """Log-linear capture–recapture over the channels the respondents saw, or None if not possible."""
    loglinear = None
    present = [c for c in CHANNELS if counts[c] > 0]
    if len(present) >= 2:
        try:
            loglinear = loglinear_population(online[present].astype(int), level)
        except ValueError:
            loglinear = None
    return loglinear


def survey_duplication(
    channels: Mapping[str, Mapping[str, Any] | None],
    incidence: pd.DataFrame,
    level: float = 0.95,
    min_respondents: int = 30,
    recruitment_adjusted: bool = False,
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
    recruitment_adjusted : bool
        Estimate each ``pᵢ`` only from respondents who did *not* reach the form through channel
        ``i`` (the incidence's ``recruited`` column, from "How did you get to this form?"):
        everyone recruited by a channel saw it, so counting them inflates ``pᵢ``. Respondents
        whose route is unknown are kept.

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
    recruited = (
        online["recruited"] if "recruited" in online.columns else pd.Series("unknown", index=online.index)
    )
    pools = {c: online[recruited != c] if recruitment_adjusted else online for c in CHANNELS}
    counts = {c: int(pools[c][c].sum()) for c in CHANNELS}
    sizes = {c: len(pools[c]) for c in CHANNELS}
    informative = [c for c in used if counts[c] > 0 and channels[c]["low"] is not None]
    by_channel = _channel_ratios(channels, counts, informative, sizes, level)
    low, high, top, notes = _duplication_limits(channels, used, informative, by_channel)
    estimate = bounds_midpoint(low, high) if math.isfinite(high) else low
    method = _duplication_method(n, informative, top, by_channel, notes)
    loglinear = _survey_loglinear(online, counts, level)
    # log-linear population of respondents scaled by people reached per online respondent
    universe = None if loglinear is None else loglinear["estimate"] * estimate / n
    return {
        "reach": _r(estimate, low, high if math.isfinite(high) else None, method),
        "respondents": n,
        "shares": {c: counts[c] / sizes[c] if sizes[c] else 0.0 for c in CHANNELS},
        "by_channel": by_channel,
        "upper_channel": top,
        "loglinear": loglinear,
        "universe": universe,
    }
