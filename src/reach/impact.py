"""Impact layer: out-takes with intervals, interrupted time series, campaign counterfactuals.

Pure functions: DataFrames, Series or numbers in; new DataFrames, dicts or result objects out.
Nothing here reads or writes files, changes its inputs or sets global state (warnings raised
while fitting are caught locally). No model formulas are used: every design matrix is built
with explicit column names, so coefficient labels cannot change with the formula engine.

Methods and their assumptions are written up in ``docs/methodology.md`` (impact section);
the reference numbers the tests check come from ``../shared/docs/methods.md``.

Main entry points
-----------------
- :func:`interrupted_time_series` — Poisson / quasi-Poisson GLM with an offset, or OLS with
  Newey–West errors: step change, optional slope change, Fourier seasonality, day-of-week terms.
- :func:`counterfactual` — a maximum-likelihood port of the CausalImpact idea (local level plus
  regression on control series, fitted on the pre-period, predicting the post-period).
- :func:`outtakes`, :func:`engagement`, :func:`code_themes`, :func:`sample_size_for_change`.
- :func:`impact_summary` — the ``"impact"`` block of ``summary.json``; :func:`impact_sentences`
  — what each estimate means, in plain English.
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.diagnostic import acorr_ljungbox
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import (
    confint_proportions_2indep,
    proportion_confint,
    proportion_effectsize,
)
from statsmodels.tsa.statespace.structural import UnobservedComponents

from reach.metrics import month_label, previous_months, suppress_count, wilson_interval

# ---------------------------------------------------------------------------------------
# Defaults (each can be overridden from the ``impact:`` block of config/reach.yaml)
# ---------------------------------------------------------------------------------------

#: The three key safer-sleep messages as the feedback form offers them.
KEY_MESSAGES = (
    "On their back",
    "In a clear, flat cot or Moses basket",
    "In their own sleep space, alone",
)
#: Options that are *not* safer-sleep advice; ticking one means the messages were not stated.
KEY_MESSAGE_DISTRACTORS = ("Swaddled with a loose blanket",)
HELPFUL_YES = "Yes"
INTENDS_CHANGE_YES = "Yes, I will change something"

DEFAULTS: dict[str, Any] = {
    "outtakes_min_n": 10,
    "trend_months": 12,
    "key_messages": list(KEY_MESSAGES),
    "key_message_distractors": list(KEY_MESSAGE_DISTRACTORS),
    "helpful_yes": HELPFUL_YES,
    "intends_change_yes": INTENDS_CHANGE_YES,
    "themes_months": 12,
    "themes_min_n": 10,
    "themes_max_quotes": 3,
    "codebook": None,
    "counterfactual_min_pre_days": 28,
    "counterfactual_max_pre_days": 365,
    "washout_days": 7,
    "counterfactual_controls": "ratio",
    "counterfactual_prior_level_sd": None,
    "its_daily_hac_lags": None,
    "its_min_points": 3,
    "precision_change_pp": 10,
    "precision_power": 0.8,
}

WILSON = "Wilson score interval"
NEWCOMBE = "Newcombe hybrid score interval (method 10)"
TREND_METHOD = "logistic regression of the answer on month (Wald test of the slope)"

_FAMILIES = ("poisson", "quasipoisson", "ols_hac")
_DOW_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


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


def _suppressor(suppression: Mapping[str, int] | None):
    rule = dict(suppression or {})
    return lambda value: suppress_count(
        value, rule.get("low", 1), rule.get("high", 7), rule.get("round_to", 5)
    )


def _leaf(successes: int, trials: int, level: float, min_n: int, shown) -> dict:
    """``{"estimate", "low", "high", "n"}`` with Wilson limits, or suppressed (None) values.

    ``n`` is the count as it may be shown (NHS rule). The percentage is withheld when the group
    has fewer than ``min_n`` answers or when its numerator or denominator is itself hidden.
    """
    n_shown = shown(trials)
    hidden = trials == 0 or trials < min_n or n_shown == "*" or shown(successes) == "*"
    if hidden:
        return {"estimate": None, "low": None, "high": None, "n": n_shown}
    low, high = proportion_interval(successes, trials, level, "wilson")
    return {"estimate": successes / trials, "low": low, "high": high, "n": n_shown}


# ---------------------------------------------------------------------------------------
# Out-takes from the feedback form
# ---------------------------------------------------------------------------------------


def _norm(text: object) -> str:
    return re.sub(r"\s+", " ", str(text).replace("\u2019", "'")).strip().casefold()


def feedback_outcomes(
    feedback: pd.DataFrame,
    *,
    key_messages: Sequence[str] = KEY_MESSAGES,
    distractors: Sequence[str] = KEY_MESSAGE_DISTRACTORS,
    helpful_yes: str = HELPFUL_YES,
    intends_change_yes: str = INTENDS_CHANGE_YES,
) -> pd.DataFrame:
    """Code each feedback response as yes / no / missing on the three out-take measures.

    Definitions (the same as the sample's planted true rates):

    - ``helpful``: answered "Yes" to "Was the information helpful?"; "No" and "Not sure" count
      as not helpful, blanks are left out.
    - ``key_messages``: ticked *all three* key messages (on their back; clear, flat cot or
      Moses basket; own sleep space, alone) and *none* of the distractors ("Swaddled with a
      loose blanket"). Ticking the room-temperature option, which is also sound advice, does
      not count against. A blank answer is left out.
    - ``intends_change``: answered "Yes, I will change something". "No, I already do this",
      "No" and "Not sure" count as no; blanks are left out.

    Parameters
    ----------
    feedback : pandas.DataFrame
        Processed ``feedback`` table (``month``, ``respondent_type``, ``district``,
        ``helpful``, ``key_messages`` (options joined by ``;``), ``intends_change``).
    key_messages, distractors : sequence of str
        Option texts, matched case-insensitively.
    helpful_yes, intends_change_yes : str
        The answer that counts as yes.

    Returns
    -------
    pandas.DataFrame
        ``month``, ``respondent_type``, ``district`` and one nullable boolean column per
        measure (``helpful``, ``key_messages``, ``intends_change``).
    """
    wanted = {_norm(m) for m in key_messages}
    wrong = {_norm(m) for m in distractors}

    def answered(column: str, yes: str) -> pd.Series:
        text = feedback[column].astype("string")
        normed = text.map(lambda v: _norm(v) if isinstance(v, str) else "", na_action=None)
        out = pd.Series((normed == _norm(yes)).to_numpy(), index=feedback.index, dtype="boolean")
        out[normed == ""] = pd.NA
        return out

    def stated(value: object) -> object:
        if not isinstance(value, str) or not value.strip():
            return pd.NA
        ticked = {_norm(part) for part in value.split(";") if part.strip()}
        return wanted <= ticked and not (ticked & wrong)

    frame = pd.DataFrame(
        {
            "month": feedback["month"].astype("string"),
            "respondent_type": feedback["respondent_type"].astype("string"),
            "district": feedback["district"].astype("string"),
            "helpful": answered("helpful", helpful_yes),
            "key_messages": feedback["key_messages"].astype("object").map(stated).astype("boolean"),
            "intends_change": answered("intends_change", intends_change_yes),
        },
        index=feedback.index,
    )
    return frame.reset_index(drop=True)


MEASURE_LABELS = {
    "helpful": "found the information helpful",
    "key_messages": "ticked all three key safer-sleep messages and no wrong option",
    "intends_change": "said they will change something about how their baby sleeps",
}


def _counts(values: pd.Series) -> tuple[int, int]:
    answered = values.dropna()
    return int(answered.astype(bool).sum()), int(answered.size)


def trend_test(successes: Sequence[int], trials: Sequence[int], level: float = 0.95) -> dict:
    """Test for a linear trend in a proportion over consecutive periods (logistic regression).

    Fits ``logit P(yes) = a + b·t`` (binomial GLM on the grouped counts, t = 0, 1, …) and
    tests ``b = 0`` with a Wald z-test; with equally spaced periods this is the
    Cochran–Armitage question asked with a likelihood model. Periods with no answers are left
    out (their ``t`` is kept, so gaps are not closed up).

    Parameters
    ----------
    successes, trials : sequence of int
        Yes-counts and answer counts per period, oldest first.
    level : float
        Confidence level of the odds-ratio interval.

    Returns
    -------
    dict
        ``odds_ratio_per_period``, ``low``, ``high``, ``p_value``, ``periods`` (with answers),
        ``n`` (total answers), ``method``; the first four are None with fewer than 3 periods
        or when every answer is the same.
    """
    k = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    t = np.arange(k.size, dtype=float)
    keep = n > 0
    out = {
        "odds_ratio_per_period": None,
        "low": None,
        "high": None,
        "p_value": None,
        "periods": int(keep.sum()),
        "n": int(n.sum()),
        "method": TREND_METHOD,
    }
    if keep.sum() < 3 or k[keep].sum() in (0, n[keep].sum()):
        return out
    endog = np.column_stack([k[keep], n[keep] - k[keep]])
    exog = np.column_stack([np.ones(keep.sum()), t[keep]])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = sm.GLM(endog, exog, family=sm.families.Binomial()).fit()
    b, se = float(fit.params[1]), float(fit.bse[1])
    z = _z(level)
    out.update(
        odds_ratio_per_period=math.exp(b),
        low=math.exp(b - z * se),
        high=math.exp(b + z * se),
        p_value=float(2 * stats.norm.sf(abs(b / se))),
    )
    return out


def outtakes(
    feedback: pd.DataFrame,
    month: str,
    *,
    min_n: int = 10,
    level: float = 0.95,
    trend_months: int = 12,
    suppression: Mapping[str, int] | None = None,
    key_messages: Sequence[str] = KEY_MESSAGES,
    distractors: Sequence[str] = KEY_MESSAGE_DISTRACTORS,
    helpful_yes: str = HELPFUL_YES,
    intends_change_yes: str = INTENDS_CHANGE_YES,
) -> dict:
    """What respondents took away: three proportions with Wilson intervals, overall and by group.

    For each measure (see :func:`feedback_outcomes` for the definitions) the reporting month
    gives: ``overall``, ``by_respondent_type`` and ``by_district`` (each
    ``{"estimate", "low", "high", "n"}``), ``previous_month`` (same form), ``change`` (this
    month minus last month, Newcombe interval) and ``trend`` (:func:`trend_test` over the last
    ``trend_months`` months, odds ratio per month).

    Small groups are suppressed, not shown with very wide intervals: a percentage is withheld
    (estimate, low and high are None) when fewer than ``min_n`` people answered, or when its
    numerator or denominator is 1–7 (the NHS sub-national rule, :func:`reach.metrics.suppress_count`).
    ``n`` is always shown as that rule allows (``"*"`` for 1–7, else rounded to 5); intervals
    are computed on the unrounded counts.

    Parameters
    ----------
    feedback : pandas.DataFrame
        Processed ``feedback`` table.
    month : str
        Reporting month, ``YYYY-MM``.
    min_n : int
        Fewest answers for a percentage to be shown.
    level : float
        Confidence level.
    trend_months : int
        Months in the trend test, ending with ``month``.
    suppression : Mapping, optional
        ``low``, ``high``, ``round_to`` of the NHS rule (``suppression`` in config/reach.yaml).
    key_messages, distractors, helpful_yes, intends_change_yes
        Answer texts, see :func:`feedback_outcomes`.

    Returns
    -------
    dict
        ``month``, ``responses`` (shown count), ``min_n``, ``method`` and one entry per measure
        (``helpful``, ``key_messages``, ``intends_change``) holding ``label``, ``overall``,
        ``by_respondent_type``, ``by_district``, ``previous_month``, ``change``, ``trend``.
    """
    shown = _suppressor(suppression)
    coded = feedback_outcomes(
        feedback,
        key_messages=key_messages,
        distractors=distractors,
        helpful_yes=helpful_yes,
        intends_change_yes=intends_change_yes,
    )
    this = coded[coded["month"] == month]
    previous = previous_months(month, 2)[0]
    last = coded[coded["month"] == previous]
    window = previous_months(month, trend_months)
    result: dict[str, Any] = {
        "month": month,
        "responses": shown(len(this)),
        "min_n": int(min_n),
        "method": f"{WILSON} ({level:.0%}); differences: {NEWCOMBE}; trend: {TREND_METHOD}",
    }
    for measure, label in MEASURE_LABELS.items():
        k, n = _counts(this[measure])
        k0, n0 = _counts(last[measure])
        overall = _leaf(k, n, level, min_n, shown)
        before = _leaf(k0, n0, level, min_n, shown)
        groups = {}
        for column in ("respondent_type", "district"):
            groups[column] = {
                str(name): _leaf(*_counts(rows[measure]), level, min_n, shown)
                for name, rows in this.groupby(this[column].fillna("(not answered)"), sort=True)
            }
        change = {"estimate": None, "low": None, "high": None, "n": overall["n"], "n_previous": before["n"]}
        if overall["estimate"] is not None and before["estimate"] is not None:
            diff, low, high = difference_interval(k, n, k0, n0, level)
            change.update(estimate=diff, low=low, high=high)
        change["method"] = NEWCOMBE
        per_month = [_counts(coded.loc[coded["month"] == m, measure]) for m in window]
        trend = trend_test([p[0] for p in per_month], [p[1] for p in per_month], level)
        trend["odds_ratio_per_month"] = trend.pop("odds_ratio_per_period")
        trend["months"] = trend.pop("periods")
        trend["first_month"], trend["last_month"] = window[0], window[-1]
        trend["n"] = shown(trend["n"])
        result[measure] = {
            "label": label,
            "overall": overall,
            "by_respondent_type": groups["respondent_type"],
            "by_district": groups["district"],
            "previous_month": before,
            "change": change,
            "trend": trend,
        }
    return result


# ---------------------------------------------------------------------------------------
# Precision planning
# ---------------------------------------------------------------------------------------


def sample_size_for_change(p1: float, p2: float, alpha: float = 0.05, power: float = 0.8) -> dict:
    """Responses needed in each of two months to detect a change from ``p1`` to ``p2``.

    Uses Cohen's effect size ``h = 2·asin(sqrt(p2)) − 2·asin(sqrt(p1))``
    (statsmodels ``proportion_effectsize``) and the normal-approximation power of a two-sided
    test for two independent groups of equal size (``NormalIndPower``).

    Parameters
    ----------
    p1, p2 : float
        Current and hoped-for proportions, strictly between 0 and 1 and different.
    alpha : float
        Two-sided significance level.
    power : float
        Chance of detecting the change if it is real.

    Returns
    -------
    dict
        ``p1``, ``p2``, ``alpha``, ``power``, ``effect_size``, ``n_per_group`` (rounded up) and
        ``sentence`` (plain English).

    Examples
    --------
    >>> sample_size_for_change(0.5, 0.6)["n_per_group"]
    388
    """
    for name, p in (("p1", p1), ("p2", p2)):
        if not 0 < p < 1:
            raise ValueError(f"{name} must lie strictly between 0 and 1, got {p!r}")
    if p1 == p2:
        raise ValueError("p1 and p2 must differ")
    h = float(proportion_effectsize(p2, p1))
    n = NormalIndPower().solve_power(
        effect_size=abs(h), alpha=alpha, power=power, ratio=1.0, alternative="two-sided"
    )
    needed = int(math.ceil(float(n) - 1e-9))
    sentence = (
        f"About {needed:,} responses are needed in each of the two months compared to have {power:.0%} "
        f"power to detect a change from {p1:.0%} to {p2:.0%} (two-sided test at the {alpha:.0%} level)."
    )
    return {
        "p1": float(p1),
        "p2": float(p2),
        "alpha": float(alpha),
        "power": float(power),
        "effect_size": h,
        "n_per_group": needed,
        "sentence": sentence,
    }


# ---------------------------------------------------------------------------------------
# Engagement (GA4 and YouTube)
# ---------------------------------------------------------------------------------------


def view_through_rate(starts: float, q1: float, mid: float, q3: float, complete: float) -> float:
    """Duration-weighted view-through rate from quartile counts (Ooyala definition).

    ``VTR = (complete + 0.75·(q3 − complete) + 0.5·(mid − q3) + 0.25·(q1 − mid)) / starts``.
    YouTube exports carry no quartile counts; its "average percentage viewed" is the
    equivalent per-view measure and is what :func:`engagement` reports for YouTube.

    Parameters
    ----------
    starts, q1, mid, q3, complete : float
        Plays started and plays reaching 25 %, 50 %, 75 % and 100 %.

    Returns
    -------
    float
        The rate, between 0 and 1.

    Examples
    --------
    >>> view_through_rate(1000, 900, 800, 750, 700)
    0.7875
    """
    if starts <= 0:
        raise ValueError("starts must be positive")
    if not starts >= q1 >= mid >= q3 >= complete >= 0:
        raise ValueError("need starts >= q1 >= mid >= q3 >= complete >= 0")
    return (complete + 0.75 * (q3 - complete) + 0.5 * (mid - q3) + 0.25 * (q1 - mid)) / starts


def _web_engagement(web_pages: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    rows = web_pages.dropna(subset=["asset_id"]).copy()
    sessions = rows["sessions"].astype("float64")
    users = rows["active_users"].astype("float64")
    rows["_sessions"] = sessions
    rows["_engaged"] = rows["engagement_rate"].astype("float64") * sessions
    rows["_users"] = users
    rows["_time"] = rows["avg_engagement_time_per_active_user"].astype("float64") * users
    grouped = rows.groupby(keys + ["month"], as_index=False, dropna=False)[
        ["_sessions", "_engaged", "_users", "_time"]
    ].sum(min_count=1)
    grouped["sessions"] = grouped["_sessions"]
    grouped["engagement_rate"] = grouped["_engaged"] / grouped["_sessions"]
    grouped["avg_engagement_time_s"] = grouped["_time"] / grouped["_users"]
    return grouped[keys + ["month", "sessions", "engagement_rate", "avg_engagement_time_s"]]


def _video_engagement(video: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    rows = video.dropna(subset=["asset_id"]).copy()
    views = rows["views"].astype("float64")
    seconds = rows["watch_time_hours"].astype("float64") * 3600
    duration = rows["duration_s"].astype("float64")
    pct = rows["avg_pct_viewed"].astype("float64")
    # Older exports lack "Average percentage viewed": average view duration / video length is
    # the same quantity for one video (YouTube rounds it).
    derived = 100 * seconds / views / duration
    rows["_pct_views"] = pct.fillna(derived) * views
    rows["_views_pct"] = views.where(pct.fillna(derived).notna())
    rows["_views"] = views
    rows["_seconds"] = seconds
    grouped = rows.groupby(keys + ["month"], as_index=False, dropna=False)[
        ["_views", "_seconds", "_pct_views", "_views_pct"]
    ].sum(min_count=1)
    grouped["views"] = grouped["_views"]
    grouped["avg_view_duration_s"] = grouped["_seconds"] / grouped["_views"]
    grouped["avg_pct_viewed"] = grouped["_pct_views"] / grouped["_views_pct"]
    return grouped[keys + ["month", "views", "avg_view_duration_s", "avg_pct_viewed"]]


def _compare(frame: pd.DataFrame, keys: list[str], month: str, measures: list[str]) -> list[dict]:
    previous = previous_months(month, 2)[0]
    last_year = f"{int(month[:4]) - 1:04d}-{month[5:7]}"
    current = frame[frame["month"] == month]
    index = {m: frame[frame["month"] == m].set_index(keys) for m in (previous, last_year)}
    out = []
    for row in current.sort_values(keys).itertuples(index=False):
        record = {k: getattr(row, k) for k in keys}
        key = tuple(record[k] for k in keys) if len(keys) > 1 else record[keys[0]]
        for measure in measures:
            value = _num(getattr(row, measure))
            record[measure] = value
            for suffix, ref in (("previous_month", previous), ("same_month_last_year", last_year)):
                table = index[ref]
                before = _num(table.at[key, measure]) if key in table.index else None
                record[f"{measure}_{suffix}"] = before
                record[f"{measure}_change_vs_{suffix}"] = (
                    value - before if value is not None and before is not None else None
                )
        out.append(
            {k: (v if not isinstance(v, float) or math.isfinite(v) else None) for k, v in record.items()}
        )
    return out


def engagement(tables: Mapping[str, pd.DataFrame], month: str) -> dict:
    """Engagement per asset and per theme, this month vs last month and the same month last year.

    Web (GA4 Pages and screens): *engagement rate* = engaged sessions / sessions (pages of an
    asset pooled by sessions) and *average engagement time per active user* (pages pooled by
    active users; a person who opened two pages of one asset counts twice). YouTube: *average
    percentage viewed* (views-weighted across an asset's videos; YouTube's view-through
    measure) and *average view duration*.

    Parameters
    ----------
    tables : Mapping of str to pandas.DataFrame
        Processed tables ``web_pages`` and ``video``.
    month : str
        Reporting month.

    Returns
    -------
    dict
        ``month``, ``previous_month``, ``same_month_last_year``, ``web`` and ``web_by_theme``
        (records with ``sessions``, ``engagement_rate``, ``avg_engagement_time_s``), ``video``
        and ``video_by_theme`` (``views``, ``avg_pct_viewed`` (0–100), ``avg_view_duration_s``);
        each measure with ``_previous_month``, ``_same_month_last_year`` and ``_change_vs_…``
        companions (None where there is no figure).
    """
    web, video = tables["web_pages"], tables["video"]
    web_measures = ["sessions", "engagement_rate", "avg_engagement_time_s"]
    video_measures = ["views", "avg_pct_viewed", "avg_view_duration_s"]
    asset = ["asset_id", "asset_title", "theme"]
    return {
        "month": month,
        "previous_month": previous_months(month, 2)[0],
        "same_month_last_year": f"{int(month[:4]) - 1:04d}-{month[5:7]}",
        "web": _compare(_web_engagement(web, asset), asset, month, web_measures),
        "web_by_theme": _compare(_web_engagement(web, ["theme"]), ["theme"], month, web_measures),
        "video": _compare(_video_engagement(video, asset), asset, month, video_measures),
        "video_by_theme": _compare(_video_engagement(video, ["theme"]), ["theme"], month, video_measures),
        "definitions": {
            "engagement_rate": "GA4 engaged sessions / sessions (engaged: over 10 s, a conversion, or 2+ page views)",
            "avg_engagement_time_s": "GA4 average engagement time per active user, seconds",
            "avg_pct_viewed": "YouTube average percentage of the video watched per view (0-100)",
            "avg_view_duration_s": "YouTube watch time / views, seconds",
        },
    }  # fmt: skip


# ---------------------------------------------------------------------------------------
# Free-text themes
# ---------------------------------------------------------------------------------------


def parse_codebook(codebook: Mapping[str, Any]) -> dict[str, list[str]]:
    """Check a codebook (theme → phrases) and return it as plain lists.

    Accepts either the mapping itself or ``{"themes": mapping}`` (the layout of
    ``config/codebook.yaml``).

    Parameters
    ----------
    codebook : Mapping
        Theme name → list of phrases.

    Returns
    -------
    dict of str to list of str

    Raises
    ------
    ValueError
        If a theme has no phrases or a phrase is not text.
    """
    themes = codebook.get("themes", codebook) if isinstance(codebook, Mapping) else None
    if not isinstance(themes, Mapping) or not themes:
        raise ValueError("the codebook must map each theme to a list of phrases")
    out: dict[str, list[str]] = {}
    for theme, phrases in themes.items():
        if isinstance(phrases, str) or not isinstance(phrases, Iterable):
            raise ValueError(f"codebook theme {theme!r}: phrases must be a list")
        phrases = [p for p in phrases]
        if not phrases or not all(isinstance(p, str) and p.strip() for p in phrases):
            raise ValueError(f"codebook theme {theme!r}: needs at least one non-empty phrase")
        out[str(theme)] = [p.strip() for p in phrases]
    return out


def _phrase_pattern(phrase: str) -> str:
    """A phrase as a regex: whole words, case-insensitive; space or hyphen match either; ``*`` = any ending."""
    text = _norm(phrase)
    stem = text.endswith("*")
    text = text.rstrip("*")
    parts = [re.escape(p) for p in re.split(r"[\s\-]+", text) if p]
    body = r"[\s\-]+".join(parts)
    return r"(?<!\w)" + body + (r"\w*" if stem else r"(?!\w)")


def code_themes(
    comments: Iterable[object], codebook: Mapping[str, Any], min_n: int = 10, max_quotes: int = 3
) -> pd.DataFrame:
    """Count comments per theme and pick illustrative quotes.

    A comment belongs to a theme when it contains any of the theme's phrases (whole words,
    case-insensitive, curly apostrophes treated as straight; a space or hyphen in a phrase
    matches either; a trailing ``*`` matches any word ending, e.g. ``swaddl*``). A comment can
    belong to several themes. Quotes are the first ``max_quotes`` distinct matching comments in
    the order given, and only for themes with at least ``min_n`` comments. Texts are returned as
    given (already redacted); escaping for display happens where they are shown.

    Parameters
    ----------
    comments : iterable
        Free-text answers; blanks and missing values are skipped.
    codebook : Mapping
        Theme → phrases (see :func:`parse_codebook`).
    min_n : int
        Fewest comments for a theme's quotes to be shown.
    max_quotes : int
        Most quotes per theme.

    Returns
    -------
    pandas.DataFrame
        One row per theme in codebook order plus ``"(not coded)"``: ``theme``, ``comments``
        (count), ``share`` (of all non-blank comments), ``quotes`` (list of str).
    """
    themes = parse_codebook(codebook)
    texts = [str(c).strip() for c in comments if isinstance(c, str) and str(c).strip()]
    normed = [_norm(t) for t in texts]
    patterns = {t: re.compile("|".join(_phrase_pattern(p) for p in ps)) for t, ps in themes.items()}
    coded = np.zeros(len(texts), dtype=bool)
    rows = []
    for theme, pattern in patterns.items():
        hits = [i for i, text in enumerate(normed) if pattern.search(text)]
        coded[hits] = True
        quotes: list[str] = []
        if len(hits) >= min_n:
            for i in hits:
                if texts[i] not in quotes:
                    quotes.append(texts[i])
                if len(quotes) >= max_quotes:
                    break
        rows.append({"theme": theme, "comments": len(hits), "quotes": quotes})
    rows.append({"theme": "(not coded)", "comments": int((~coded).sum()), "quotes": []})
    frame = pd.DataFrame(rows, columns=["theme", "comments", "quotes"])
    frame["share"] = frame["comments"] / len(texts) if texts else np.nan
    return frame[["theme", "comments", "share", "quotes"]]


# ---------------------------------------------------------------------------------------
# Interrupted time series
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ITSResult:
    """An interrupted-time-series fit.

    Attributes
    ----------
    method : str
        Plain description of the model and its standard errors.
    family : str
        ``"poisson"``, ``"quasipoisson"`` or ``"ols_hac"``.
    effect_name : str
        ``"rate ratio"`` (GLM: exp of the step coefficient) or ``"level change"`` (OLS, outcome units).
    effect, low, high : float
        Step effect and its confidence limits.
    dispersion : float
        Pearson χ² / residual df (quasi-Poisson scale; 1 is Poisson-like). For OLS, the residual variance.
    trend, trend_low, trend_high : float or None
        Pre-existing trend per time unit: rate ratio per unit (GLM) or change per unit (OLS);
        None when the model has no trend term.
    slope_change, slope_low, slope_high : float or None
        Change in trend after the interruption (same scale as ``trend``), if fitted.
    slope_test_p : float or None
        p-value for the slope change: F-test against the model without it (GLM, allowing for
        overdispersion, as R's ``anova(..., test="F")``) or the Wald test (OLS).
    ljung_box_p : float
        Ljung–Box p-value of the residuals (deviance residuals for GLMs) at ``ljung_box_lag``;
        small values mean autocorrelation remains.
    ljung_box_lag : int
    n_pre, n_post : int
        Points before and after the interruption.
    level : float
        Confidence level.
    hac_lags : int or None
        Newey–West lag when HAC errors were used.
    params : pandas.Series
        All coefficients (link scale), labelled ``const``, ``time``, ``step``, ``slope``,
        ``sin1``/``cos1``…, ``dow_Tue``…
    conf_int : pandas.DataFrame
        Their confidence limits (link scale).
    """

    method: str
    family: str
    effect_name: str
    effect: float
    low: float
    high: float
    dispersion: float
    trend: float | None
    trend_low: float | None
    trend_high: float | None
    slope_change: float | None
    slope_low: float | None
    slope_high: float | None
    slope_test_p: float | None
    ljung_box_p: float | None
    ljung_box_lag: int
    n_pre: int
    n_post: int
    level: float
    hac_lags: int | None
    params: pd.Series = field(repr=False)
    conf_int: pd.DataFrame = field(repr=False)

    @property
    def rate_ratio(self) -> float | None:
        """The step's rate ratio (None for OLS)."""
        return self.effect if self.family != "ols_hac" else None

    def trend_over(self, periods: float) -> tuple[float, float, float]:
        """The underlying trend over ``periods`` time units, e.g. 12 months for a yearly trend.

        Parameters
        ----------
        periods : float
            Number of time units.

        Returns
        -------
        tuple of float
            Estimate, low, high (``exp(periods·β_time)`` for GLMs, ``periods·β_time`` for OLS).
        """
        if "time" not in self.params:
            raise ValueError("this model has no trend term")
        b = float(self.params["time"])
        lo, hi = (float(v) for v in self.conf_int.loc["time"])
        if self.family == "ols_hac":
            return periods * b, periods * lo, periods * hi
        return math.exp(periods * b), math.exp(periods * lo), math.exp(periods * hi)

    def summary(self) -> dict:
        """JSON-ready summary.

        Returns
        -------
        dict
            ``method``, ``family``, ``effect_name``, ``rate_ratio`` (None for OLS),
            ``level_change`` (None for GLMs), ``low``, ``high``, ``dispersion``,
            ``trend_per_period``, ``trend_low``, ``trend_high``, ``slope_change``,
            ``slope_low``, ``slope_high``, ``slope_test_p``, ``ljung_box_p``,
            ``ljung_box_lag``, ``n_pre``, ``n_post``, ``level``, ``hac_lags``.
        """
        glm = self.family != "ols_hac"
        return {
            "method": self.method,
            "family": self.family,
            "effect_name": self.effect_name,
            "rate_ratio": _num(self.effect) if glm else None,
            "level_change": None if glm else _num(self.effect),
            "low": _num(self.low),
            "high": _num(self.high),
            "dispersion": _num(self.dispersion),
            "trend_per_period": _num(self.trend),
            "trend_low": _num(self.trend_low),
            "trend_high": _num(self.trend_high),
            "slope_change": _num(self.slope_change),
            "slope_low": _num(self.slope_low),
            "slope_high": _num(self.slope_high),
            "slope_test_p": _num(self.slope_test_p),
            "ljung_box_p": _num(self.ljung_box_p),
            "ljung_box_lag": int(self.ljung_box_lag),
            "n_pre": int(self.n_pre),
            "n_post": int(self.n_post),
            "level": float(self.level),
            "hac_lags": self.hac_lags,
        }


def _numeric_time(values: pd.Series) -> np.ndarray:
    if pd.api.types.is_datetime64_any_dtype(values):
        stamps = pd.to_datetime(values)
        return ((stamps - stamps.min()) / pd.Timedelta(days=1)).to_numpy(dtype=float)
    return pd.to_numeric(values).to_numpy(dtype=float)


def its_design(
    data: pd.DataFrame,
    time: str,
    intervention: str,
    *,
    seasonality_period: float | None = None,
    harmonics: int = 0,
    slope_change: bool = False,
    day_of_week: str | bool | None = None,
    month_factors: str | bool | None = None,
    trend: bool = True,
) -> pd.DataFrame:
    """The segmented-regression design matrix, with fixed column names.

    Columns: ``const``; ``time`` (unless ``trend`` is false); ``step`` (the 0/1 intervention);
    ``slope`` = ``(time − t0)·step`` where t0 is the time of the last point before the
    interruption (as ``I(time-36):smokban`` in the Sicily code); ``sin1, cos1, …`` =
    ``sin/cos(2πk·time/period)`` for k = 1..harmonics (R's ``harmonic(month, k, 12)``, since
    time ≡ month mod 12); ``dow_Tue … dow_Sun`` (Monday is the reference day); and
    ``month_YYYY-MM`` calendar-month factors (daily data; the first month is the reference).
    Every month with at least one point before the interruption gets its own factor; a month
    with points only after it shares the factor of the latest earlier month, so the step is
    never confounded with a month of its own.

    Parameters
    ----------
    data : pandas.DataFrame
        Rows sorted by time.
    time, intervention : str
        Columns: elapsed time (numbers, or dates counted in days) and the 0/1 step.
    seasonality_period : float, optional
        Period of the Fourier terms in time units (12 for months).
    harmonics : int
        Number of sine/cosine pairs.
    slope_change : bool
        Add the ``slope`` column.
    day_of_week : str or bool, optional
        Column of dates for day-of-week dummies, or True to use ``time`` (which must hold dates).
    month_factors : str or bool, optional
        Column of dates for calendar-month factors, or True to use ``time``.
    trend : bool
        Include the linear ``time`` term.

    Returns
    -------
    pandas.DataFrame
        The design matrix (float), on ``data``'s index.
    """
    t = _numeric_time(data[time])
    step = pd.to_numeric(data[intervention]).to_numpy(dtype=float)
    if not np.isin(step, (0.0, 1.0)).all():
        raise ValueError(f"{intervention!r} must hold only 0 and 1")
    design = pd.DataFrame({"const": 1.0, "time": t, "step": step}, index=data.index)
    if not trend:
        if slope_change:
            raise ValueError("a slope change needs the trend term")
        design = design.drop(columns="time")
    if slope_change:
        before = t[step == 0]
        first_after = t[step == 1].min()
        t0 = before[before < first_after].max() if (before < first_after).any() else first_after
        design["slope"] = (t - t0) * step
    if harmonics:
        if not seasonality_period:
            raise ValueError("harmonics need a seasonality_period")
        for k in range(1, int(harmonics) + 1):
            design[f"sin{k}"] = np.sin(2 * np.pi * k * t / seasonality_period)
        for k in range(1, int(harmonics) + 1):
            design[f"cos{k}"] = np.cos(2 * np.pi * k * t / seasonality_period)
    if day_of_week:
        column = time if day_of_week is True else day_of_week
        dates = pd.to_datetime(data[column])
        weekday = dates.dt.day_of_week.to_numpy()
        for d in range(1, 7):
            design[f"dow_{_DOW_NAMES[d]}"] = (weekday == d).astype(float)
    if month_factors:
        column = time if month_factors is True else month_factors
        months = pd.to_datetime(data[column]).dt.strftime("%Y-%m").to_numpy()
        own = sorted(set(months[step == 0]))
        if not own:
            raise ValueError("month factors need points before the interruption")
        assigned = np.array([max([m for m in own if m <= month], default=own[0]) for month in months])
        for month in own[1:]:
            design[f"month_{month}"] = (assigned == month).astype(float)
    return design


def interrupted_time_series(
    data: pd.DataFrame,
    outcome: str,
    time: str,
    intervention: str,
    *,
    offset: str | None = None,
    seasonality_period: float | None = None,
    harmonics: int = 0,
    slope_change: bool = False,
    family: str = "quasipoisson",
    hac_lags: int | None = None,
    day_of_week: str | bool | None = None,
    month_factors: str | bool | None = None,
    trend: bool = True,
    level: float = 0.95,
) -> ITSResult:
    """Segmented regression for an interrupted time series (Lopez Bernal, Cummins & Gasparrini 2017).

    ``log E[y_t] = log(offset_t) + b0 + b1·time_t + b2·step_t [+ b3·(time_t − t0)·step_t]
    [+ Fourier pairs] [+ day-of-week]`` for counts (Poisson or quasi-Poisson GLM, log link), or
    the same right-hand side for ``E[y_t]`` with OLS and Newey–West standard errors for
    continuous outcomes (rates, log sessions). The step effect is ``exp(b2)``, a rate ratio
    (GLM), or ``b2``, a level change (OLS).

    Quasi-Poisson uses the Pearson χ²/df dispersion (statsmodels ``scale="X2"``, as R's
    ``quasipoisson``); intervals are Wald intervals (R's ``ci.lin``). With ``hac_lags`` a GLM
    gets Newey–West (Bartlett) sandwich errors, which allow for overdispersion and residual
    autocorrelation up to that lag; ``ols_hac`` always uses them (default lag
    ``floor(4·(n/100)^(2/9))``). A Ljung–Box test of the residuals is reported as a check.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per time point. Not changed.
    outcome : str
        Outcome column (counts for the GLM families).
    time : str
        Elapsed time (numbers, e.g. 1..n months; or dates, counted in days from the first).
    intervention : str
        0 before the interruption, 1 after.
    offset : str, optional
        Exposure column (population, denominator); ``log(exposure)`` is the offset, as
        ``offset(log(stdpop))`` in R. GLM families only.
    seasonality_period : float, optional
        Period of the Fourier seasonality in time units (12 for monthly data).
    harmonics : int
        Number of Fourier sine/cosine pairs (0 = no seasonality terms).
    slope_change : bool
        Also estimate a change in slope, ``(time − t0)·step`` with t0 the last pre-interruption time.
    family : {"quasipoisson", "poisson", "ols_hac"}
        Model.
    hac_lags : int, optional
        Newey–West lag (GLMs: only if given; OLS: default as above).
    day_of_week : str or bool, optional
        Date column for day-of-week terms (daily data), or True when ``time`` holds dates.
    month_factors : str or bool, optional
        Date column for calendar-month factors (daily data; see :func:`its_design`), or True
        when ``time`` holds dates. They absorb month-to-month shifts of the baseline (the
        "month factors" of methods.md §6.1) so that the step is estimated from the contrast
        with the same month's days before the interruption.
    trend : bool
        Include the linear trend (usually dropped with month factors).
    level : float
        Confidence level.

    Returns
    -------
    ITSResult

    Raises
    ------
    ValueError
        For an unknown family, fewer than 3 points on either side of the interruption, an
        intervention column that is not 0/1, negative counts or non-positive exposures.
    """
    if family not in _FAMILIES:
        raise ValueError(f"family must be one of {_FAMILIES}, got {family!r}")
    _z(level)
    needed = [outcome, time, intervention] + ([offset] if offset else [])
    for extra in (day_of_week, month_factors):
        if isinstance(extra, str):
            needed.append(extra)
    frame = data[list(dict.fromkeys(needed))].dropna()
    frame = frame.assign(_t=_numeric_time(frame[time])).sort_values("_t", kind="stable")
    design = its_design(
        frame,
        time,
        intervention,
        seasonality_period=seasonality_period,
        harmonics=harmonics,
        slope_change=slope_change,
        day_of_week=day_of_week,
        month_factors=month_factors,
        trend=trend,
    )
    n_post = int(design["step"].sum())
    n_pre = int(len(design) - n_post)
    if n_pre < 3 or n_post < 3:
        raise ValueError(
            f"need at least 3 points before and after the interruption, got {n_pre} and {n_post}"
        )
    y = pd.to_numeric(frame[outcome]).astype(float)
    parts = [f"step change{' and slope change' if slope_change else ''}"] + (
        ["linear trend"] if trend else []
    )
    if harmonics:
        parts.append(
            f"{harmonics} Fourier pair{'s' if harmonics > 1 else ''} (period {seasonality_period:g})"
        )
    if day_of_week:
        parts.append("day-of-week terms")
    if month_factors:
        parts.append("calendar-month factors")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if family == "ols_hac":
            if offset:
                raise ValueError("offset applies to the GLM families only")
            lags = int(hac_lags) if hac_lags is not None else int(math.floor(4 * (len(y) / 100) ** (2 / 9)))
            fit = sm.OLS(y, design).fit(cov_type="HAC", cov_kwds={"maxlags": lags})
            dispersion = float(fit.scale)
            method = f"OLS segmented regression ({', '.join(parts)}); Newey–West HAC errors, {lags} lags"
            hac = lags
        else:
            if (y < 0).any():
                raise ValueError("counts must not be negative")
            off = None
            if offset:
                exposure = pd.to_numeric(frame[offset]).astype(float)
                if (exposure <= 0).any():
                    raise ValueError("exposures must be positive")
                off = np.log(exposure.to_numpy())
            model = sm.GLM(y, design, family=sm.families.Poisson(), offset=off)
            kwargs: dict[str, Any] = {"scale": "X2"} if family == "quasipoisson" else {}
            if hac_lags is not None:
                kwargs.update(cov_type="HAC", cov_kwds={"maxlags": int(hac_lags)})
            fit = model.fit(**kwargs)
            dispersion = float(np.sum(fit.resid_pearson**2) / fit.df_resid)
            name = "Quasi-Poisson" if family == "quasipoisson" else "Poisson"
            errors = (
                f"Newey–West HAC errors, {int(hac_lags)} lags"
                if hac_lags is not None
                else ("dispersion from Pearson χ²/df" if family == "quasipoisson" else "model-based errors")
            )
            method = f"{name} GLM, log link{', log(' + offset + ') offset' if offset else ''} ({', '.join(parts)}); {errors}"
            hac = int(hac_lags) if hac_lags is not None else None
    params = pd.Series(np.asarray(fit.params, dtype=float), index=design.columns)
    conf = pd.DataFrame(
        np.asarray(fit.conf_int(alpha=1 - level), dtype=float), index=design.columns, columns=["low", "high"]
    )
    transform = (lambda v: v) if family == "ols_hac" else math.exp
    slope = slope_low = slope_high = slope_p = None
    if slope_change:
        slope = transform(params["slope"])
        slope_low, slope_high = (transform(v) for v in conf.loc["slope"])
        if family == "ols_hac":
            slope_p = float(np.asarray(fit.pvalues)[list(design.columns).index("slope")])
        else:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                reduced = sm.GLM(
                    y, design.drop(columns="slope"), family=sm.families.Poisson(), offset=off
                ).fit()
            phi = dispersion if family == "quasipoisson" else 1.0
            f_stat = (reduced.deviance - fit.deviance) / phi
            slope_p = (
                float(stats.f.sf(f_stat, 1, fit.df_resid))
                if family == "quasipoisson"
                else float(stats.chi2.sf(f_stat, 1))
            )
    residuals = np.asarray(fit.resid if family == "ols_hac" else fit.resid_deviance, dtype=float)
    if day_of_week or month_factors:
        lag = 14
    elif harmonics or seasonality_period:
        lag = int(seasonality_period or 12)
    else:
        lag = 10
    lag = max(1, min(lag, len(residuals) // 4))
    lb = acorr_ljungbox(residuals, lags=[lag])
    return ITSResult(
        method=method + f"; Wald {level:.0%} intervals",
        family=family,
        effect_name="level change" if family == "ols_hac" else "rate ratio",
        effect=transform(params["step"]),
        low=transform(conf.at["step", "low"]),
        high=transform(conf.at["step", "high"]),
        dispersion=dispersion,
        trend=transform(params["time"]) if trend else None,
        trend_low=transform(conf.at["time", "low"]) if trend else None,
        trend_high=transform(conf.at["time", "high"]) if trend else None,
        slope_change=slope,
        slope_low=slope_low,
        slope_high=slope_high,
        slope_test_p=slope_p,
        ljung_box_p=float(lb["lb_pvalue"].iloc[0]),
        ljung_box_lag=int(lag),
        n_pre=n_pre,
        n_post=n_post,
        level=float(level),
        hac_lags=hac,
        params=params,
        conf_int=conf,
    )


# ---------------------------------------------------------------------------------------
# Campaign counterfactual (a maximum-likelihood port of the CausalImpact idea)
# ---------------------------------------------------------------------------------------

COUNTERFACTUAL_KEYS = (
    "actual",
    "predicted",
    "predicted_sd",
    "predicted_low",
    "predicted_high",
    "abs_effect",
    "rel_effect",
    "rel_low",
    "rel_high",
    "actual_cumulative",
    "predicted_cumulative",
)


@dataclass(frozen=True)
class CounterfactualResult:
    """A campaign counterfactual: what the post-period would have looked like without the campaign.

    Attributes
    ----------
    actual, predicted : float
        Post-period averages per time step: observed, and predicted without the campaign.
    predicted_sd : float
        Standard deviation of the predicted average (from the joint forecast covariance).
    predicted_low, predicted_high : float
        Interval for the predicted average.
    abs_effect, abs_low, abs_high : float
        ``actual − predicted`` (average per step) and its interval.
    rel_effect, rel_low, rel_high : float or None
        ``sum(actual) / sum(predicted) − 1`` and its interval (None if a limit is undefined
        because the predicted sum's interval reaches zero).
    actual_cumulative, predicted_cumulative : float
        Post-period sums.
    predicted_cumulative_sd : float
    p_value : float
        One-sided tail probability of the observed sum under the counterfactual (normal
        approximation; CausalImpact reports the same quantity from its draws).
    level : float
    n_pre, n_post : int
        Time steps used before (fitted) and after (predicted).
    controls : tuple of str
        Control series used.
    control_ratio : float or None
        The pre-period ratio ``r`` in ``controls="ratio"`` mode.
    method : str
    converged : bool
        Whether the likelihood optimiser reported convergence.
    params : pandas.Series
        Fitted variances (standardised scale).
    series : pandas.DataFrame
        Per step over pre- and post-period: ``actual``, ``predicted`` (one-step-ahead in the
        pre-period, forecast in the post-period), ``predicted_low``, ``predicted_high``,
        ``period`` (``"pre"`` / ``"post"``).
    """

    actual: float
    predicted: float
    predicted_sd: float
    predicted_low: float
    predicted_high: float
    abs_effect: float
    abs_low: float
    abs_high: float
    rel_effect: float | None
    rel_low: float | None
    rel_high: float | None
    actual_cumulative: float
    predicted_cumulative: float
    predicted_cumulative_sd: float
    p_value: float
    level: float
    n_pre: int
    n_post: int
    controls: tuple[str, ...]
    control_ratio: float | None
    method: str
    converged: bool
    params: pd.Series = field(repr=False)
    series: pd.DataFrame = field(repr=False)

    def summary(self) -> dict:
        """The summary.json record (the caller adds ``"campaign"``).

        Returns
        -------
        dict
            Exactly ``actual``, ``predicted``, ``predicted_sd``, ``predicted_low``,
            ``predicted_high``, ``abs_effect``, ``rel_effect``, ``rel_low``, ``rel_high``,
            ``actual_cumulative``, ``predicted_cumulative``.
        """
        return {key: _num(getattr(self, key)) for key in COUNTERFACTUAL_KEYS}


def _label(index: pd.Index, value: object) -> object:
    if isinstance(index, pd.DatetimeIndex):
        return pd.Timestamp(value)
    return value


def _joint_forecast_cov(result, first: int, steps: int) -> np.ndarray:
    """Joint covariance of the ``steps`` observations from ``first`` on, given data before ``first``.

    For a linear Gaussian state-space model with predicted state ``a``, covariance ``P`` at
    ``first`` (observations from ``first`` on are missing, so the filter never updates on them):
    ``Var(α_{h}) = T Var(α_{h−1}) T' + R Q R'``, ``Cov(α_h, α_k) = Var(α_h) (T')^{k−h}``,
    ``Cov(y_h, y_k) = Z_h Cov(α_h, α_k) Z_k' + H·[h = k]``.
    """
    ssm = result.model.ssm

    def matrix(name: str, t: int) -> np.ndarray:
        m = np.asarray(ssm[name])
        return m[:, :, t] if m.ndim == 3 and m.shape[2] > 1 else (m[:, :, 0] if m.ndim == 3 else m)

    filt = result.filter_results
    k = filt.predicted_state.shape[0]
    var = [np.asarray(filt.predicted_state_cov[:, :, first])]
    for h in range(1, steps):
        t_mat, r_mat, q_mat = (
            matrix(name, first + h - 1) for name in ("transition", "selection", "state_cov")
        )
        var.append(t_mat @ var[-1] @ t_mat.T + r_mat @ q_mat @ r_mat.T)
    design = [matrix("design", first + h) for h in range(steps)]
    cov = np.zeros((steps, steps))
    for h in range(steps):
        carried = np.eye(k)
        for j in range(h, steps):
            value = float((design[h] @ var[h] @ carried.T @ design[j].T)[0, 0])
            if j == h:
                value += float(matrix("obs_cov", first + h)[0, 0])
            cov[h, j] = cov[j, h] = value
            carried = matrix("transition", first + j) @ carried
    return cov


def counterfactual(
    y: pd.Series,
    X: pd.DataFrame | pd.Series | None,
    pre_period: tuple[object, object],
    post_period: tuple[object, object],
    level: float = 0.95,
    *,
    seasonal: int | None = None,
    controls: str = "regression",
    prior_level_sd: float | None = 0.01,
) -> CounterfactualResult:
    """Predict the post-period without the campaign from a model fitted to the pre-period.

    This is a **maximum-likelihood port of the CausalImpact idea** (Brodersen et al. 2015), not
    CausalImpact itself: a local-level structural time-series model with a static regression on
    the control series (statsmodels ``UnobservedComponents(level="llevel", exog=X)``), with
    ``y`` and ``X`` standardised over the pre-period as CausalImpact does. The observation
    variance (and, with ``prior_level_sd=None``, the level variance) is estimated by maximum
    likelihood (Kalman filter) rather than sampled under bsts priors; by default the level's
    standard deviation is fixed at CausalImpact's default prior guess. The regression
    coefficients are kept in the state vector (``mle_regression=False``, exact diffuse start),
    so their uncertainty is part of the forecast. Point estimates should therefore match
    CausalImpact closely; **intervals will differ** (no posterior for the variances, no
    spike-and-slab selection of controls).

    The interval of the post-period *average* (and sum) comes from the **analytic joint forecast
    covariance** of the post-period observations (see ``_joint_forecast_cov``), not from
    simulation: forecasts at different days share the same uncertain level and coefficients,
    so they are strongly correlated and the average is far less precise than independent days
    would suggest. Intervals are Gaussian: ``predicted ± z·sd``; effect intervals follow by
    subtraction (absolute) and ratio (relative), as CausalImpact derives them from its draws.

    Parameters
    ----------
    y : pandas.Series
        Outcome, daily or weekly, on a DatetimeIndex (any sorted unique index also works, with
        periods given as labels of that index). Missing pre-period values are allowed.
    X : pandas.DataFrame or pandas.Series or None
        Control series on the same index, unaffected by the campaign; None for a local level only.
    pre_period, post_period : tuple
        ``(start, end)``, inclusive, as ISO date strings (or index labels).
    level : float
        Interval level.
    seasonal : int, optional
        Add a stochastic seasonal component with this period (e.g. 7 for day of week when no
        control series carries that pattern).
    controls : {"regression", "ratio"}
        How the control series enter. ``"regression"`` (default, as CausalImpact): a static
        regression on each standardised control, coefficients estimated. ``"ratio"``: the
        controls are summed and scaled by the pre-period ratio ``r = Σ y_pre / Σ x_pre``, and
        the local level models ``y − r·x`` (a regression with its coefficient fixed at the
        ratio of means). Use ``"ratio"`` for small daily counts: a regression on a noisy count
        series is attenuated towards zero (errors in variables), so site-wide shifts (cookie
        consent, season) that move all pages together are under-corrected, whereas a ratio of
        sums is not attenuated. The uncertainty of ``r`` itself is not propagated; the level
        absorbs its effect on the pre-period mean.
    prior_level_sd : float or None
        Standard deviation of the level's steps on the standardised scale. The default, 0.01,
        fixes it at CausalImpact's default prior guess (``prior.level.sd = 0.01``, a strongly
        informative prior that keeps the level nearly static), so that point estimates follow
        CausalImpact's defaults. ``None`` estimates it by maximum likelihood as well, letting
        the level drift with the data (wider, more honest intervals for series whose baseline
        moves; the pipeline uses this).

    Returns
    -------
    CounterfactualResult

    Raises
    ------
    ValueError
        If the periods overlap or are out of order, the pre-period has fewer than 3
        observations, the post-period has missing outcomes, or a control series has missing
        values in either period.
    """
    z = _z(level)
    if not isinstance(y, pd.Series):
        raise ValueError("y must be a pandas Series")
    if not y.index.is_monotonic_increasing or not y.index.is_unique:
        raise ValueError("y's index must be sorted and unique")
    index = y.index
    pre_start, pre_end = (_label(index, v) for v in pre_period)
    post_start, post_end = (_label(index, v) for v in post_period)
    if not pre_start <= pre_end < post_start <= post_end:
        raise ValueError("need pre_start <= pre_end < post_start <= post_end")
    window = y.loc[pre_start:post_end].astype(float)
    is_pre = (window.index >= pre_start) & (window.index <= pre_end)
    is_post = (window.index >= post_start) & (window.index <= post_end)
    window = window[is_pre | is_post]
    is_pre, is_post = is_pre[is_pre | is_post], is_post[is_pre | is_post]
    y_pre, y_post = window[is_pre], window[is_post]
    if y_pre.notna().sum() < 3:
        raise ValueError("the pre-period needs at least 3 observations")
    if y_post.empty or y_post.isna().any():
        raise ValueError("the post-period outcome must be present on every step")
    if controls not in ("regression", "ratio"):
        raise ValueError(f"controls must be 'regression' or 'ratio', got {controls!r}")
    used: tuple[str, ...] = ()
    exog = None
    known = np.zeros(len(window))  # r·x in "ratio" mode: the part of y taken as known
    ratio_r = None
    if X is not None:
        frame = X.to_frame() if isinstance(X, pd.Series) else X
        frame = frame.reindex(window.index).astype(float)
        if frame.isna().any().any():
            raise ValueError("control series must have no missing values in the pre- and post-period")
        if controls == "ratio":
            total = frame.sum(axis=1)
            seen = is_pre & window.notna().to_numpy()
            if total[seen].sum() > 0:
                ratio_r = float(window[seen].sum() / total[seen].sum())
                known = ratio_r * total.to_numpy()
                used = tuple(str(c) for c in frame.columns)
        else:
            x_pre = frame[is_pre]
            scale = x_pre.std(ddof=1)
            frame = frame.loc[:, scale > 0]
            if not frame.empty:
                exog = ((frame - x_pre.mean()[frame.columns]) / scale[frame.columns]).to_numpy()
                used = tuple(str(c) for c in frame.columns)
    target = window - known
    mu, sd = float(target[is_pre].mean()), float(target[is_pre].std(ddof=1))
    if not sd > 0:
        sd = 1.0
    endog = ((target - mu) / sd).to_numpy().copy()
    n_pre, n_post = int(is_pre.sum()), int(is_post.sum())
    endog[n_pre:] = np.nan
    options: dict[str, Any] = {"level": "llevel", "mle_regression": False, "use_exact_diffuse": True}
    if seasonal:
        options["seasonal"] = int(seasonal)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pre_model = UnobservedComponents(
            endog[:n_pre], exog=None if exog is None else exog[:n_pre], **options
        )
        if prior_level_sd is None:
            fitted = pre_model.fit(disp=False, maxiter=500)
        else:
            fixed = {"sigma2.level": float(prior_level_sd) ** 2}
            fitted = pre_model.fit_constrained(fixed, disp=False, maxiter=500)
        full = UnobservedComponents(endog, exog=exog, **options).filter(np.asarray(fitted.params))
    converged = bool(fitted.mle_retvals.get("converged", True)) if fitted.mle_retvals else True
    filt = full.filter_results
    forecast = np.asarray(filt.forecasts[0], dtype=float) * sd + mu + known
    pointwise_sd = np.sqrt(np.asarray(filt.forecasts_error_cov[0, 0], dtype=float)) * sd
    cov = _joint_forecast_cov(full, n_pre, n_post) * sd**2
    pred_post = forecast[n_pre:]
    actual_sum = float(y_post.sum())
    pred_sum = float(pred_post.sum())
    sum_sd = float(math.sqrt(max(cov.sum(), 0.0)))
    actual, predicted, avg_sd = actual_sum / n_post, pred_sum / n_post, sum_sd / n_post
    pred_low, pred_high = predicted - z * avg_sd, predicted + z * avg_sd
    sum_low, sum_high = pred_sum - z * sum_sd, pred_sum + z * sum_sd

    def ratio(denominator: float) -> float | None:
        return actual_sum / denominator - 1 if denominator > 0 else None

    distance = (actual_sum - pred_sum) / sum_sd if sum_sd > 0 else math.inf
    p_value = float(min(stats.norm.cdf(distance), stats.norm.sf(distance)))
    series = pd.DataFrame(
        {
            "actual": window.to_numpy(),
            "predicted": forecast,
            "predicted_low": forecast - z * pointwise_sd,
            "predicted_high": forecast + z * pointwise_sd,
            "period": np.where(is_pre, "pre", "post"),
        },
        index=window.index,
    )
    fixed_note = "" if prior_level_sd is None else f" with step sd fixed at {prior_level_sd:g} sd of y"
    names = [f"local level{fixed_note}"] + ([f"seasonal ({int(seasonal)})"] if seasonal else [])
    if ratio_r is not None:
        regression = f"sum of {len(used)} control series scaled by the pre-period ratio {ratio_r:.3g}"
    elif used:
        regression = f"static regression on {len(used)} control series"
    else:
        regression = "no control series"
    method = (
        f"Structural time-series counterfactual ({' + '.join(names)}, {regression}; statsmodels "
        f"UnobservedComponents fitted by maximum likelihood on {n_pre} pre-period steps, data "
        f"standardised over the pre-period); {level:.0%} intervals from the analytic joint "
        "forecast covariance. A maximum-likelihood port of the CausalImpact idea: point estimates "
        "should match CausalImpact closely, intervals will differ."
    )
    return CounterfactualResult(
        actual=actual,
        predicted=predicted,
        predicted_sd=avg_sd,
        predicted_low=pred_low,
        predicted_high=pred_high,
        abs_effect=actual - predicted,
        abs_low=actual - pred_high,
        abs_high=actual - pred_low,
        rel_effect=ratio(pred_sum),
        rel_low=ratio(sum_high),
        rel_high=ratio(sum_low),
        actual_cumulative=actual_sum,
        predicted_cumulative=pred_sum,
        predicted_cumulative_sd=sum_sd,
        p_value=p_value,
        level=float(level),
        n_pre=n_pre,
        n_post=n_post,
        controls=used,
        control_ratio=ratio_r,
        method=method,
        converged=converged,
        params=pd.Series(np.asarray(fitted.params, dtype=float), index=list(fitted.model.param_names)),
        series=series,
    )


# ---------------------------------------------------------------------------------------
# From processed tables to the "impact" block of summary.json
# ---------------------------------------------------------------------------------------


def _settings(settings: Mapping[str, Any] | None) -> dict[str, Any]:
    settings = settings or {}
    merged = dict(DEFAULTS)
    merged.update(dict(settings.get("impact") or {}))
    merged["level"] = float(settings.get("confidence_level", 0.95))
    merged["suppression"] = dict(settings.get("suppression") or {})
    return merged


def _month_end(month: str) -> pd.Timestamp:
    return pd.Timestamp(f"{month}-01") + pd.offsets.MonthEnd(0)


def daily_asset_views(web_daily: pd.DataFrame, last_day: pd.Timestamp | None = None) -> pd.DataFrame:
    """Daily views per asset (rows: every calendar day; columns: asset ids).

    GA4 leaves out rows with no views, so a missing (day, asset) counts as 0 once the asset has
    appeared and the day is covered by the export (some asset has a row that day); days no
    export covers, and days before an asset first appears, stay missing.

    Parameters
    ----------
    web_daily : pandas.DataFrame
        Processed ``web_daily`` table (``date``, ``views``, ``asset_id``).
    last_day : pandas.Timestamp, optional
        Ignore rows after this day.

    Returns
    -------
    pandas.DataFrame
        Float views on a daily DatetimeIndex.
    """
    rows = web_daily.dropna(subset=["asset_id"])
    rows = rows.assign(date=pd.to_datetime(rows["date"]).dt.normalize())
    if last_day is not None:
        rows = rows[rows["date"] <= last_day]
    if rows.empty:
        return pd.DataFrame(dtype=float)
    table = rows.pivot_table(index="date", columns="asset_id", values="views", aggfunc="sum").astype(float)
    covered = table.index
    table = table.reindex(pd.date_range(table.index.min(), table.index.max(), freq="D"))
    for column in table.columns:
        first = table[column].first_valid_index()
        fill = (table.index >= first) & table.index.isin(covered)
        table.loc[fill, column] = table.loc[fill, column].fillna(0.0)
    table.index.name = "date"
    table.columns = [str(c) for c in table.columns]
    return table


def _split(value: object) -> list[str]:
    return [p.strip() for p in str(value).split(";") if p.strip()] if isinstance(value, str) else []


def campaign_windows(
    campaigns: pd.DataFrame,
    first_day: pd.Timestamp,
    last_day: pd.Timestamp,
    *,
    washout_days: int = 7,
    min_pre_days: int = 28,
    max_pre_days: int | None = 365,
) -> list[dict]:
    """Pre- and post-periods for each campaign that started by ``last_day``.

    Post-period: the campaign's days (``start`` to ``end``), cut at ``last_day`` for a campaign
    still running. Pre-period: from the day after the latest earlier campaign ended plus
    ``washout_days`` (or the first day of data), to the day before the campaign started, at
    most ``max_pre_days`` long. A campaign is ``usable`` when its pre-period has at least
    ``min_pre_days`` days.

    Parameters
    ----------
    campaigns : pandas.DataFrame
        ``reference_campaigns`` (``campaign_id``, ``name``, ``start``, ``end``, ``utm_campaign``).
    first_day, last_day : pandas.Timestamp
        Data coverage.
    washout_days, min_pre_days, max_pre_days : int
        See above.

    Returns
    -------
    list of dict
        ``campaign``, ``name``, ``utm_campaign``, ``start``, ``end``, ``post_start``, ``post_end``,
        ``pre_start``, ``pre_end`` (ISO dates), ``pre_days``, ``post_days``, ``partial``
        (campaign still running), ``usable``, ``reason`` (why not usable).
    """
    frame = campaigns.assign(
        start_ts=pd.to_datetime(campaigns["start"]), end_ts=pd.to_datetime(campaigns["end"])
    ).sort_values(["start_ts", "end_ts"], kind="stable")
    out = []
    for row in frame.itertuples(index=False):
        start, end = row.start_ts, row.end_ts
        if pd.isna(start) or pd.isna(end) or start > last_day:
            continue
        earlier = frame.loc[frame["end_ts"] < start, "end_ts"]
        pre_start = (
            first_day
            if earlier.empty
            else max(first_day, earlier.max() + pd.Timedelta(days=1 + washout_days))
        )
        pre_end = start - pd.Timedelta(days=1)
        if max_pre_days:
            pre_start = max(pre_start, pre_end - pd.Timedelta(days=int(max_pre_days) - 1))
        post_end = min(end, last_day)
        pre_days = max(0, (pre_end - pre_start).days + 1)
        reason = ""
        if start < first_day:
            reason = "the campaign began before the data start"
        elif pre_days < min_pre_days:
            reason = f"only {pre_days} days before the campaign (at least {min_pre_days} needed)"
        out.append(
            {
                "campaign": str(row.campaign_id),
                "name": str(row.name),
                "utm_campaign": str(row.utm_campaign),
                "start": start.date().isoformat(),
                "end": end.date().isoformat(),
                "post_start": start.date().isoformat(),
                "post_end": post_end.date().isoformat(),
                "pre_start": pre_start.date().isoformat(),
                "pre_end": pre_end.date().isoformat(),
                "pre_days": pre_days,
                "post_days": (post_end - start).days + 1,
                "partial": bool(end > last_day),
                "usable": not reason,
                "reason": reason,
            }
        )
    return out


def campaign_web_series(
    daily: pd.DataFrame, assets: pd.DataFrame, campaigns: pd.DataFrame, window: Mapping[str, Any]
) -> tuple[pd.Series | None, pd.DataFrame | None, dict]:
    """The campaign pages' daily views and the control series for one campaign window.

    ``y`` is the sum of daily views of the web pages whose registry ``campaign_tags`` include
    the campaign's ``utm_campaign``. The control is the sum of daily views of the other web
    pages in the registry, leaving out any page promoted by a campaign that overlaps the window
    (pooled into one series because single small pages are noisy). A page joins the sums only
    if it has data on every day of the window; if a campaign page starts part-way through the
    pre-period, the pre-period is shortened to start with it.

    Parameters
    ----------
    daily : pandas.DataFrame
        From :func:`daily_asset_views`.
    assets : pandas.DataFrame
        ``reference_assets`` (``asset_id``, ``type``, ``campaign_tags``).
    campaigns : pandas.DataFrame
        ``reference_campaigns``.
    window : Mapping
        One item of :func:`campaign_windows`.

    Returns
    -------
    tuple
        ``(y, X, info)``; ``y`` is None when the campaign has no web page with data, ``X`` is
        None without usable controls; ``info`` holds ``campaign_pages``, ``control_pages``,
        ``new_pages`` (campaign pages with no data before the campaign, left out) and the
        (possibly shortened) ``pre_start``.
    """
    pre_start, post_end = pd.Timestamp(window["pre_start"]), pd.Timestamp(window["post_end"])
    utm = window["utm_campaign"]
    web = assets[assets["type"].astype("string").str.strip() == "web_page"]
    tags = web["campaign_tags"].map(_split)
    promoted = sorted(str(a) for a, t in zip(web["asset_id"], tags, strict=True) if utm in t)
    overlapping = set()
    for row in campaigns.itertuples(index=False):
        start, end = pd.Timestamp(row.start), pd.Timestamp(row.end)
        if start <= post_end and end >= pre_start:
            overlapping.add(str(row.utm_campaign))
    others = sorted(
        str(a)
        for a, t in zip(web["asset_id"], tags, strict=True)
        if not (set(t) & overlapping) and str(a) not in promoted
    )
    info: dict[str, Any] = {
        "campaign_pages": [],
        "control_pages": [],
        "new_pages": [],
        "pre_start": window["pre_start"],
    }
    campaign_cols = [a for a in promoted if a in daily.columns]
    if not campaign_cols:
        return None, None, info
    span = daily.loc[pre_start:post_end]
    pre_end = pd.Timestamp(window["pre_end"])
    # Pages first seen after the pre-period (launched with the campaign) have no baseline and
    # are left out; otherwise the pre-period is shortened so every campaign page has data throughout.
    firsts = {c: span[c].first_valid_index() for c in campaign_cols}
    info["new_pages"] = sorted(c for c, f in firsts.items() if f is None or f > pre_end)
    campaign_cols = [c for c in campaign_cols if c not in info["new_pages"]]
    firsts = [firsts[c] for c in campaign_cols]
    if not campaign_cols:
        return None, None, info
    pre_start = max([pre_start, *firsts])
    span = daily.loc[pre_start:post_end]
    campaign_cols = [c for c in campaign_cols if span[c].notna().all()]
    if not campaign_cols:
        return None, None, info
    y = span[campaign_cols].sum(axis=1).rename("campaign_pages")
    controls = [c for c in others if c in span.columns and span[c].notna().all()]
    X = span[controls].sum(axis=1).to_frame("control_pages") if controls else None
    info.update(campaign_pages=campaign_cols, control_pages=controls, pre_start=pre_start.date().isoformat())
    return y, X, info


def _partner_its(
    partner: pd.DataFrame, windows: list[dict], month: str, opts: Mapping[str, Any]
) -> tuple[list[dict], list[str]]:
    out, notes = [], []
    if partner is None or partner.empty or not windows:
        return out, notes
    rows = partner[partner["month"].astype("string") <= month]
    for indicator, group in rows.groupby(rows["indicator"].astype("string"), sort=True):
        monthly = group.groupby("month", as_index=False)[["numerator", "denominator"]].sum()
        monthly = monthly.astype({"numerator": "float64", "denominator": "float64"}).sort_values("month")
        monthly = monthly[monthly["denominator"] > 0]
        stamp = pd.to_datetime(monthly["month"] + "-01")
        monthly["time"] = (
            (stamp.dt.year - stamp.dt.year.min()) * 12 + stamp.dt.month - stamp.iloc[0].month + 1
        )
        chosen = None
        for window in windows:
            end_month = window["end"][:7]
            step = (monthly["month"] > end_month).astype(int)
            if (step == 0).sum() >= opts["its_min_points"] and (step == 1).sum() >= opts["its_min_points"]:
                chosen = window
                monthly["step"] = step
                break
        if chosen is None:
            notes.append(
                f"{indicator}: not enough months before and after any campaign for an interrupted time series"
            )
            continue
        harmonics = 2 if len(monthly) >= 36 else 0
        fit = interrupted_time_series(
            monthly,
            "numerator",
            "time",
            "step",
            offset="denominator",
            seasonality_period=12 if harmonics else None,
            harmonics=harmonics,
            family="quasipoisson",
            level=opts["level"],
        )
        method = (
            f"{fit.method}; step from {month_label(_next_month(chosen['end'][:7]))} "
            f"(after {chosen['name']}); {fit.n_pre} months before, {fit.n_post} after"
        )
        if fit.n_pre < 12 or fit.n_post < 12:
            method += "; fewer than 12 months on one side, so seasonality is not modelled"
        out.append(
            {
                "series": f"partner:{indicator}",
                "rate_ratio": _num(fit.effect),
                "low": _num(fit.low),
                "high": _num(fit.high),
                "method": method,
            }
        )
    return out, notes


def _next_month(month: str) -> str:
    year, mon = int(month[:4]), int(month[5:7])
    return f"{year + mon // 12:04d}-{mon % 12 + 1:02d}"


def _themes(tables: Mapping[str, pd.DataFrame], month: str, opts: Mapping[str, Any]) -> dict | None:
    codebook = opts.get("codebook")
    if not isinstance(codebook, Mapping):
        return None
    shown = _suppressor(opts["suppression"])
    window = previous_months(month, int(opts["themes_months"]))
    out = {
        "first_month": window[0],
        "last_month": window[-1],
        "min_n": int(opts["themes_min_n"]),
        "sources": {},
    }
    for source, table in (("feedback_form", "feedback"), ("page_feedback", "page_feedback")):
        frame = tables.get(table)
        if frame is None or "comment" not in frame:
            continue
        comments = frame.loc[frame["month"].astype("string").isin(window), "comment"]
        coded = code_themes(comments, codebook, int(opts["themes_min_n"]), int(opts["themes_max_quotes"]))
        total = int(comments.dropna().astype("string").str.strip().ne("").sum())
        records = []
        for row in coded.itertuples(index=False):
            hidden = shown(row.comments) == "*"
            records.append(
                {
                    "theme": row.theme,
                    "comments": shown(row.comments),
                    "share": None if hidden or not total else _num(row.share),
                    "quotes": list(row.quotes),
                }
            )
        out["sources"][source] = {"comments": shown(total), "themes": records}
    return out


def impact_summary(
    tables: Mapping[str, pd.DataFrame], month: str, settings: Mapping[str, Any] | None = None
) -> dict:
    """The ``"impact"`` block of ``summary.json`` for one reporting month.

    Parameters
    ----------
    tables : Mapping of str to pandas.DataFrame
        Processed tables (``web_pages``, ``web_daily``, ``video``, ``feedback``,
        ``page_feedback``, ``partner_indicators``, ``reference_assets``,
        ``reference_campaigns``).
    month : str
        Reporting month, ``YYYY-MM``.
    settings : Mapping, optional
        Settings from :func:`reach.config.load_config`: ``confidence_level``, ``suppression``
        and the ``impact`` block (keys of :data:`DEFAULTS`; ``impact.codebook`` must hold the
        *loaded* codebook mapping, theme → phrases, from ``config/codebook.yaml``).

    Returns
    -------
    dict
        - ``engagement``: :func:`engagement`.
        - ``outtakes``: :func:`outtakes` (proportions as ``{"estimate", "low", "high", "n"}``).
        - ``its``: list of ``{"series", "rate_ratio", "low", "high", "method"}``: the partner
          indicator(s) (``partner:<indicator>``; monthly county numerator, ``log(denominator)``
          offset, quasi-Poisson, step from the month after the first campaign with at least 3
          months on each side) and the campaign pages' daily web views around each campaign
          (``web_daily_views:<campaign>``; pre-period plus campaign days, step on campaign
          days, day-of-week terms, calendar-month factors, ``log(views of pages the campaign
          did not promote)`` as the offset, quasi-Poisson errors; Newey–West errors if
          ``its_daily_hac_lags`` is set).
        - ``counterfactual``: list of ``{"campaign", "actual", "predicted", "predicted_sd",
          "predicted_low", "predicted_high", "abs_effect", "rel_effect", "rel_low", "rel_high",
          "actual_cumulative", "predicted_cumulative"}`` (daily web views of the campaign's
          pages; controls: pages it did not promote, entering as a ratio by default, see
          :func:`counterfactual`).
        - ``campaigns``: the windows used (:func:`campaign_windows` plus the pages).
        - ``themes``: free-text themes over the last ``themes_months`` months (None without a codebook).
        - ``precision``: responses needed to detect a change of ``precision_change_pp`` points.
        - ``level``, ``notes`` (analyses skipped and why).
    """
    opts = _settings(settings)
    level = opts["level"]
    notes: list[str] = []
    last_day = _month_end(month)
    summary: dict[str, Any] = {"month": month, "level": level}
    summary["engagement"] = engagement(tables, month)
    summary["outtakes"] = outtakes(
        tables["feedback"],
        month,
        min_n=int(opts["outtakes_min_n"]),
        level=level,
        trend_months=int(opts["trend_months"]),
        suppression=opts["suppression"],
        key_messages=opts["key_messages"],
        distractors=opts["key_message_distractors"],
        helpful_yes=opts["helpful_yes"],
        intends_change_yes=opts["intends_change_yes"],
    )
    campaigns = tables["reference_campaigns"]
    daily = daily_asset_views(tables["web_daily"], last_day)
    windows: list[dict] = []
    if not daily.empty and not campaigns.empty:
        windows = campaign_windows(
            campaigns,
            daily.index.min(),
            min(daily.index.max(), last_day),
            washout_days=int(opts["washout_days"]),
            min_pre_days=int(opts["counterfactual_min_pre_days"]),
            max_pre_days=opts["counterfactual_max_pre_days"],
        )
    its_rows, partner_notes = _partner_its(
        tables.get("partner_indicators"), _all_windows(campaigns, last_day), month, opts
    )
    notes += partner_notes
    counterfactual_rows = []
    for window in windows:
        if not window["usable"]:
            notes.append(f"{window['campaign']}: no counterfactual or web time series ({window['reason']})")
            continue
        y, X, info = campaign_web_series(daily, tables["reference_assets"], campaigns, window)
        window.update(info)
        if info["new_pages"]:
            notes.append(
                f"{window['campaign']}: page(s) first seen during the campaign ({', '.join(info['new_pages'])}) "
                "have no baseline and are left out of its counterfactual and time series"
            )
        if y is None:
            notes.append(f"{window['campaign']}: no web page of this campaign has daily data")
            continue
        pre = (info["pre_start"], window["pre_end"])
        post = (window["post_start"], window["post_end"])
        if (pd.Timestamp(pre[1]) - pd.Timestamp(pre[0])).days + 1 < int(opts["counterfactual_min_pre_days"]):
            notes.append(f"{window['campaign']}: the campaign pages have too little data before the campaign")
            continue
        result = counterfactual(
            y,
            X,
            pre,
            post,
            level,
            seasonal=None if X is not None else 7,
            controls=opts["counterfactual_controls"],
            prior_level_sd=opts["counterfactual_prior_level_sd"],
        )
        counterfactual_rows.append({"campaign": window["campaign"], **result.summary()})
        window["counterfactual_method"] = result.method
        its_rows.append(_web_its(y, X, pre, post, window["campaign"], opts))
        if window["partial"]:
            notes.append(
                f"{window['campaign']}: still running at the end of {month}; "
                f"only its first {window['post_days']} days are used"
            )
    summary["its"] = its_rows
    summary["counterfactual"] = counterfactual_rows
    summary["campaigns"] = windows
    summary["themes"] = _themes(tables, month, opts)
    if summary["themes"] is None:
        given = opts.get("codebook")
        notes.append(
            f"free-text themes not coded: impact.codebook is the path {given!r}, not the loaded codebook"
            if isinstance(given, str)
            else "free-text themes not coded: no codebook given (impact.codebook)"
        )
    summary["precision"] = _precision(summary["outtakes"], opts)
    summary["notes"] = notes
    return summary


def _web_its(
    y: pd.Series, X: pd.DataFrame | None, pre: tuple, post: tuple, campaign: str, opts: Mapping[str, Any]
) -> dict:
    """Interrupted time series of the campaign pages' daily views (a controlled design when controls exist).

    Quasi-Poisson GLM over the pre-period plus the campaign days: step on campaign days,
    day-of-week terms, calendar-month factors (in place of a linear trend) and, when control
    pages exist, ``log(control views)`` as the offset, so the model follows the campaign pages'
    views relative to pages the campaign did not promote and site-wide changes (cookie consent,
    season) cancel. The month factors make the step a comparison with the same month's days
    before the campaign, so a shift that hits the whole campaign month is not taken for an
    effect. Days on which the control pages had no views are left out.
    """
    frame = y.loc[pre[0] : post[1]].rename("views").to_frame()
    frame["date"] = frame.index
    frame["step"] = (frame.index >= pd.Timestamp(post[0])).astype(int)
    offset = None
    dropped = 0
    if X is not None:
        frame["control_views"] = X.loc[pre[0] : post[1]].sum(axis=1)
        dropped = int((frame["control_views"] <= 0).sum())
        frame = frame[frame["control_views"] > 0]
        offset = "control_views"
    lags = opts.get("its_daily_hac_lags")
    fit = interrupted_time_series(
        frame,
        "views",
        "date",
        "step",
        offset=offset,
        day_of_week=True,
        month_factors=True,
        trend=False,
        family="quasipoisson",
        hac_lags=None if lags is None else int(lags),
        level=opts["level"],
    )
    method = f"{fit.method}; {fit.n_pre} days before the campaign, {fit.n_post} campaign days"
    if offset:
        method += "; offset: views of pages the campaign did not promote (controlled design)"
    if dropped:
        method += f"; {dropped} day(s) without control views left out"
    return {
        "series": f"web_daily_views:{campaign}",
        "rate_ratio": _num(fit.effect),
        "low": _num(fit.low),
        "high": _num(fit.high),
        "method": method,
    }


def _all_windows(campaigns: pd.DataFrame, last_day: pd.Timestamp) -> list[dict]:
    """Campaigns that started by ``last_day``, oldest first (for the partner indicator)."""
    out = []
    frame = campaigns.assign(start_ts=pd.to_datetime(campaigns["start"])).sort_values(
        "start_ts", kind="stable"
    )
    for row in frame[frame["start_ts"] <= last_day].itertuples(index=False):
        out.append(
            {
                "campaign": str(row.campaign_id),
                "name": str(row.name),
                "start": str(row.start),
                "end": str(row.end),
            }
        )
    return out


def _precision(outtake: Mapping[str, Any], opts: Mapping[str, Any]) -> list[dict]:
    change = float(opts["precision_change_pp"]) / 100
    out = []
    for measure in MEASURE_LABELS:
        estimate = outtake[measure]["overall"]["estimate"]
        if estimate is None or not 0 < estimate < 1:
            continue
        target = estimate + change if estimate + change < 1 else estimate - change
        if not 0 < target < 1:
            continue
        plan = sample_size_for_change(
            estimate, target, alpha=1 - opts["level"], power=float(opts["precision_power"])
        )
        out.append(
            {
                "measure": measure,
                "current": estimate,
                "change_pp": float(opts["precision_change_pp"]),
                "responses_needed_per_month": plan["n_per_group"],
                "responses_this_month": outtake[measure]["overall"]["n"],
                "sentence": plan["sentence"],
            }
        )
    return out


# ---------------------------------------------------------------------------------------
# Plain-English sentences
# ---------------------------------------------------------------------------------------

_CAVEATS = {
    "helpful": "This is what people who chose to fill in the form said; it does not show what families do.",
    "key_messages": (
        "Ticking the right options on a list measures recognition of the advice, not whether it is followed "
        "at night."
    ),
    "intends_change": (
        'Families who already follow the advice answer "No, I already do this", so a low share is not bad '
        "news in itself; and an intention is not yet a change."
    ),
}


def _pct(value: float) -> str:
    return f"{100 * value:.0f}%"


def _pp(value: float) -> str:
    return f"{100 * value:+.0f}"


def _rel(value: float | None) -> str:
    return "undefined" if value is None else f"{100 * value:+.0f}%"


def _includes(low: float | None, high: float | None, null: float) -> bool:
    return low is not None and high is not None and low <= null <= high


def impact_sentences(summary: Mapping[str, Any]) -> list[str]:
    """What each impact estimate means, and what it cannot show, in plain English.

    Parameters
    ----------
    summary : Mapping
        The dict returned by :func:`impact_summary`.

    Returns
    -------
    list of str
        One sentence (or two) per estimate, in report order: out-takes, month-on-month changes,
        trends, precision, interrupted time series, counterfactuals, themes, notes.
    """
    out: list[str] = []
    month = summary.get("month") or summary["outtakes"]["month"]
    label = month_label(month)
    level = f"{float(summary.get('level', 0.95)):.0%}"
    outtake = summary["outtakes"]
    min_n = outtake.get("min_n", 10)
    hidden_groups = False
    for measure, text in MEASURE_LABELS.items():
        block = outtake[measure]
        overall = block["overall"]
        if overall["estimate"] is None:
            out.append(
                f"In {label} too few people answered ({overall['n'] or 0}) to show the share who {text}; "
                f"shares are shown from {min_n} answers."
            )
            continue
        out.append(
            f"In {label}, {_pct(overall['estimate'])} of respondents {text} ({level} confidence interval "
            f"{_pct(overall['low'])} to {_pct(overall['high'])}; {overall['n']} answers). {_CAVEATS[measure]}"
        )
        change = block["change"]
        if change["estimate"] is not None:
            verdict = (
                "no clear change: the interval includes zero."
                if _includes(change["low"], change["high"], 0.0)
                else "the interval excludes zero, so a real change is likely (respondents differ from month to month)."
            )
            out.append(
                f"Compared with {month_label(previous_months(month, 2)[0])}, the share who {text} changed by "
                f"{_pp(change['estimate'])} percentage points ({level} CI {_pp(change['low'])} to "
                f"{_pp(change['high'])}): {verdict}"
            )
        trend = block["trend"]
        if trend.get("p_value") is not None:
            if trend["p_value"] < 0.05:
                direction = "rose" if trend["odds_ratio_per_month"] > 1 else "fell"
                out.append(
                    f"Over the {trend['months']} months to {label} the share who {text} {direction} steadily "
                    f"(odds ratio {trend['odds_ratio_per_month']:.2f} a month, {level} CI {trend['low']:.2f} to "
                    f"{trend['high']:.2f}; p = {trend['p_value']:.3f})."
                )
            else:
                out.append(
                    f"Over the {trend['months']} months to {label} there is no clear trend in the share who {text} "
                    f"(p = {trend['p_value']:.2f})."
                )
        groups = list(block["by_respondent_type"].values()) + list(block["by_district"].values())
        hidden_groups = hidden_groups or any(g["estimate"] is None for g in groups)
    if hidden_groups:
        out.append(
            f"Groups (respondent type, district) with fewer than {min_n} answers, or with 1 to 7 people giving an "
            "answer, are not shown: their intervals would be too wide to be useful and small counts could identify people."
        )
    for plan in summary.get("precision", []):
        out.append(
            f"Precision: {plan['sentence']} This month there were {plan['responses_this_month']} answers."
        )
    engaged = summary.get("engagement") or {}
    for row in engaged.get("web_by_theme", []):
        if row.get("engagement_rate") is None:
            continue
        change = row.get("engagement_rate_change_vs_previous_month")
        versus = "" if change is None else f", {_pp(change)} points on the previous month"
        out.append(
            f"Web pages on {row['theme']}: {_pct(row['engagement_rate'])} of sessions were engaged in {label}"
            f"{versus} (GA4 counts a session as engaged after 10 seconds, a key event or two page views). "
            "Engagement shows attention, not understanding."
        )
    for row in engaged.get("video_by_theme", []):
        if row.get("avg_pct_viewed") is None:
            continue
        out.append(
            f"YouTube videos on {row['theme']}: viewers watched {row['avg_pct_viewed']:.0f}% of a video on average "
            f"in {label} (YouTube's average percentage viewed; views are counted by YouTube's own rules and are "
            "not comparable with web page views)."
        )
    names = {c["campaign"]: c.get("name", c["campaign"]) for c in summary.get("campaigns", [])}
    for row in summary.get("its", []):
        rr, low, high = row["rate_ratio"], row["low"], row["high"]
        if rr is None:
            continue
        unclear = _includes(low, high, 1.0)
        verdict = " No clear change: the interval includes a rate ratio of 1 (no change)." if unclear else ""
        if row["series"].startswith("partner:"):
            indicator = row["series"].split(":", 1)[1].replace("_", " ")
            out.append(
                f"Partner indicator ({indicator}): after the campaign the proportion was {rr:.2f} times "
                f"({level} CI {low:.2f} to {high:.2f}) what the earlier trend predicted, a change of "
                f"{_rel(rr - 1)}.{verdict} This compares the same series before and after; anything else that "
                "changed at the same time (staffing, recording practice, other work) could explain part of it."
            )
        else:
            campaign = row["series"].split(":", 1)[1]
            out.append(
                f"Interrupted time series, {names.get(campaign, campaign)}: daily views of the campaign's web pages "
                f"were {rr:.2f} times ({level} CI {low:.2f} to {high:.2f}) what the trend and day-of-week pattern "
                f"before the campaign predicted.{verdict} Anything else that changed during the campaign days "
                "(site-wide traffic, cookie consent) is not separated out by this model; the counterfactual below uses "
                "other pages to allow for that."
            )
    for row in summary.get("counterfactual", []):
        name = names.get(row["campaign"], row["campaign"])
        unclear = _includes(row["rel_low"], row["rel_high"], 0.0) or row["rel_low"] is None
        verdict = " No clear change: the interval includes zero." if unclear else ""
        out.append(
            f"Counterfactual, {name}: the campaign's web pages had {row['actual']:.1f} views a day during the campaign; "
            f"without it the model predicts {row['predicted']:.1f} ({level} interval {row['predicted_low']:.1f} to "
            f"{row['predicted_high']:.1f}), an estimated change of {row['abs_effect']:+.1f} views a day "
            f"({_rel(row['rel_effect'])}, {level} interval {_rel(row['rel_low'])} to {_rel(row['rel_high'])}).{verdict}"
        )
    if summary.get("counterfactual"):
        out.append(
            "The counterfactuals assume the pages a campaign did not promote were unaffected by it and kept their usual "
            "relationship with the campaign pages. They count page views by people who accepted analytics cookies, "
            "not people, and say nothing about what readers understood. The method is a maximum-likelihood version of "
            "Google's CausalImpact: its central estimates should agree closely, its intervals only approximately."
        )
    themes = summary.get("themes")
    if themes:
        for source, block in themes["sources"].items():
            coded = [t for t in block["themes"] if t["theme"] != "(not coded)" and t["share"] is not None]
            if not coded:
                continue
            top = max(coded, key=lambda t: t["share"])
            where = "feedback-form comments" if source == "feedback_form" else "page-feedback comments"
            out.append(
                f"Of {block['comments']} {where} from {month_label(themes['first_month'])} to "
                f'{month_label(themes["last_month"])}, the most common theme was "{top["theme"]}" '
                f"({top['comments']} comments, {_pct(top['share'])}). Themes count what people chose to write, "
                "not how common a view is among families."
            )
    for note in summary.get("notes", []):
        out.append(f"Not estimated: {note}.")
    return out
