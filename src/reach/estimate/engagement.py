"""Engagement once people arrived: view-through and engagement rates, per-asset activity, feedback shares."""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

from reach.core.intervals import NEWCOMBE, _num, _z, difference_interval, proportion_estimate
from reach.core.months import previous_months
from reach.estimate.base import _month_rows

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


#: How each platform's rows add up to one row per asset: output column -> (input column, how).
#: People are not additive across pages or posts, so an asset's people are a range: at least its
#: busiest page's (post's) and at most the sum over its pages (posts).
ASSET_MEASURES: dict[str, dict[str, tuple[str, str]]] = {
    "web": {
        "pages": ("page_path", "nunique"),
        "views": ("views", "sum"),
        "users_low": ("active_users", "max"),
        "users_high": ("active_users", "sum"),
    },
    "video": {
        "videos": ("video_id", "nunique"),
        "views": ("views", "sum"),
        "watch_time_hours": ("watch_time_hours", "sum"),
    },
    "social": {
        "posts": ("post_id", "nunique"),
        "views": ("views", "sum"),
        "reach_low": ("reach", "max"),
        "reach_high": ("reach", "sum"),
    },
}


def by_asset(rows: pd.DataFrame, month: str, platform: str) -> pd.DataFrame:
    """One platform's activity per asset for one month, most viewed first.

    Parameters
    ----------
    rows : pandas.DataFrame
        The platform's processed table: ``web_pages`` (GA4 pages), ``video`` (YouTube) or
        ``social_posts`` (Meta posts published in the month), with ``month``, ``asset_id``,
        ``asset_title``, ``theme`` and the input columns of :data:`ASSET_MEASURES`.
    month : str
        ISO month.
    platform : {"web", "video", "social"}
        Which platform the rows come from.

    Returns
    -------
    pandas.DataFrame
        ``asset_id``, ``asset_title``, ``theme`` and the platform's columns of
        :data:`ASSET_MEASURES` (web: ``pages``, ``views``, ``users_low``, ``users_high``; video:
        ``videos``, ``views``, ``watch_time_hours``; social: ``posts``, ``views``, ``reach_low``,
        ``reach_high``). Rows not matched to an asset are left out.

    Examples
    --------
    >>> pages = pd.DataFrame({"month": "2026-10", "asset_id": "a", "asset_title": "A", "theme": "t",
    ...                       "page_path": ["/x", "/y"], "views": [5, 3], "active_users": [4, 2]})
    >>> by_asset(pages, "2026-10", "web")[["pages", "views", "users_low", "users_high"]].iloc[0].tolist()
    [2, 8, 4, 6]
    """
    measures = ASSET_MEASURES[platform]
    month_rows = _month_rows(rows, month).dropna(subset=["asset_id"])
    grouped = month_rows.groupby(["asset_id", "asset_title", "theme"], as_index=False).agg(**measures)
    return grouped.sort_values(["views", "asset_id"], ascending=[False, True]).reset_index(drop=True)


def feedback_summary(feedback: pd.DataFrame, month: str, level: float = 0.95) -> dict:
    """Responses and the share finding the information helpful, for one month.

    "Not sure" answers count in the denominator (they did not find it helpful enough to say
    yes); blank answers are left out.

    Parameters
    ----------
    feedback : pandas.DataFrame
        Processed ``feedback`` table (``month``, ``helpful`` with values Yes/No/Not sure).
    month : str
        ISO month.
    level : float
        Confidence level.

    Returns
    -------
    dict
        ``responses`` and ``helpful`` (a :func:`proportion_estimate` dict).
    """
    rows = _month_rows(feedback, month)
    answered = rows["helpful"].dropna().astype("str").str.strip().str.lower()
    answered = answered[answered != ""]
    yes = int((answered == "yes").sum())
    return {"responses": len(rows), "helpful": proportion_estimate(yes, len(answered), level)}


def page_feedback_summary(page_feedback: pd.DataFrame, month: str, level: float = 0.95) -> dict:
    """Share of "Was this page helpful?" answers that were yes, for one month.

    Parameters
    ----------
    page_feedback : pandas.DataFrame
        Processed ``page_feedback`` table (``month``, ``helpful`` boolean).
    month : str
        ISO month.
    level : float
        Confidence level.

    Returns
    -------
    dict
        A :func:`proportion_estimate` dict.
    """
    rows = _month_rows(page_feedback, month)["helpful"].dropna()
    return proportion_estimate(int(rows.astype(bool).sum()), len(rows), level)


def monthly_trend(tables: Mapping[str, pd.DataFrame], month: str, months: int = 24) -> pd.DataFrame:
    """Monthly totals for the trend chart: asset page views, video views, social post views, feedback.

    Parameters
    ----------
    tables : Mapping of str to pandas.DataFrame
        Processed tables (``web_pages``, ``video``, ``social_posts``, ``feedback``).
    month : str
        Last month shown.
    months : int
        How many months to show.

    Returns
    -------
    pandas.DataFrame
        One row per month, oldest first: ``month``, ``web_views``, ``video_views``,
        ``social_views``, ``feedback_responses``; missing where no export covered the month.
    """
    wanted = previous_months(month, months)
    frame = pd.DataFrame({"month": wanted})
    sources = {
        "web_views": ("web_pages", "views"),
        "video_views": ("video", "views"),
        "social_views": ("social_posts", "views"),
    }
    for name, (table, column) in sources.items():
        data = tables[table]
        data = data[data["asset_id"].notna()] if "asset_id" in data else data
        totals = data.groupby("month")[column].sum(min_count=1)
        frame[name] = frame["month"].map(totals).astype("Float64")
    frame["feedback_responses"] = (
        frame["month"].map(tables["feedback"].groupby("month").size()).astype("Int64")
    )
    return frame


OVERLAP_METHOD = "overlap of the two 95% intervals (no joint model of the two months)"


def compare_intervals(current: Mapping[str, Any], previous: Mapping[str, Any]) -> dict:
    """Change between two figures known only by their intervals: the overlap rule.

    The two months' estimates come from separate models, so the change has no interval of its
    own. A rise or fall is called clear only when the two intervals do not overlap; overlapping
    intervals are reported as "no clear change" (a cautious rule: a real change can hide there).

    Parameters
    ----------
    current, previous : Mapping
        ``{"estimate", "low", "high"}``, any of them None.

    Returns
    -------
    dict
        ``estimate`` (current − previous, None if either is missing), ``low`` and ``high`` (None),
        ``verdict`` (``"rise"``, ``"fall"``, ``"no clear change"`` or ``"not comparable"``) and ``method``.

    Examples
    --------
    >>> compare_intervals({"estimate": 10, "low": 8, "high": 12}, {"estimate": 5, "low": 4, "high": 7})["verdict"]
    'rise'
    """
    now, before = current.get("estimate"), previous.get("estimate")
    out = {"estimate": None, "low": None, "high": None, "verdict": "not comparable", "method": OVERLAP_METHOD}
    if now is None or before is None:
        return out
    out["estimate"] = float(now) - float(before)
    limits = (current.get("low"), current.get("high"), previous.get("low"), previous.get("high"))
    if any(v is None for v in limits):
        return out
    c_low, c_high, p_low, p_high = (float(v) for v in limits)
    out["verdict"] = "rise" if c_low > p_high else "fall" if c_high < p_low else "no clear change"
    return out


def compare_proportions(
    successes: int, trials: int, successes_before: int, trials_before: int, level: float = 0.95
) -> dict:
    """Change between two independent proportions with Newcombe's hybrid score interval.

    Parameters
    ----------
    successes, trials : int
        This period.
    successes_before, trials_before : int
        The period compared with.
    level : float
        Confidence level.

    Returns
    -------
    dict
        ``estimate``, ``low``, ``high`` (the difference and its interval), ``verdict`` (``"rise"``
        when the interval is above zero, ``"fall"`` when below, else ``"no clear change"``;
        ``"not comparable"`` when a denominator is 0) and ``method``. The verdict is one test on
        its own: in the report only a prespecified primary comparison judged with the month's
        other tests (:mod:`reach.estimate.multiplicity`) may be called a clear change. The
        interval treats every trial as independent, so it suits respondents, not GA4 sessions
        (use :func:`engagement_rate_change` for those).

    Examples
    --------
    >>> result = compare_proportions(7, 34, 1, 34)
    >>> [round(result[k], 3) for k in ("estimate", "low", "high")], result["verdict"]
    ([0.176, 0.019, 0.34], 'rise')
    """
    out = {"estimate": None, "low": None, "high": None, "verdict": "not comparable", "method": NEWCOMBE}
    if trials <= 0 or trials_before <= 0:
        return out
    estimate, low, high = difference_interval(successes, trials, successes_before, trials_before, level)
    verdict = "rise" if low > 0 else "fall" if high < 0 else "no clear change"
    return {**out, "estimate": estimate, "low": low, "high": high, "verdict": verdict}


def web_engagement_rate(web_pages: pd.DataFrame, month: str, level: float = 0.95) -> dict:
    """Engaged sessions / sessions over the registered asset pages in one month, with a Wilson interval.

    GA4 gives each page's engagement rate and sessions; engaged sessions are rebuilt as rate ×
    sessions and rounded. The interval treats each session as an independent yes/no trial (it
    describes the month-to-month chance variation of the rate, not GA4's consent gap); sessions
    cluster by day and by person, so it is too narrow, and a change between two months is judged
    by :func:`engagement_rate_change`, not by comparing these intervals.

    Parameters
    ----------
    web_pages : pandas.DataFrame
        Processed ``web_pages`` table (``month``, ``asset_id``, ``sessions``, ``engagement_rate``).
    month : str
        ISO month.
    level : float
        Confidence level.

    Returns
    -------
    dict
        ``estimate``, ``low``, ``high`` (None without sessions), ``sessions``, ``engaged``, ``method``.
    """
    rows = _month_rows(web_pages, month).dropna(subset=["asset_id"])
    rows = rows.dropna(subset=["sessions", "engagement_rate"])
    sessions = int(round(float(rows["sessions"].astype("float64").sum())))
    engaged = rows["engagement_rate"].astype("float64") * rows["sessions"].astype("float64")
    engaged = min(sessions, int(round(float(engaged.sum()))))
    result = proportion_estimate(engaged, sessions, level)
    return {
        "estimate": result["estimate"],
        "low": result["low"],
        "high": result["high"],
        "sessions": sessions,
        "engaged": engaged,
        "method": f"GA4 engaged sessions ÷ sessions on the registered pages; {result['method']} over sessions",
    }


# ---------------------------------------------------------------------------------------
# Engagement-rate changes: sessions cluster by day and by person
# ---------------------------------------------------------------------------------------

CLUSTERED_METHOD = (
    "quasi-binomial GLM of engaged sessions / sessions per day on month (dispersion from Pearson χ², "
    "at least 1; t test of the month term; delta-method interval for the difference)"
)

DESCRIPTIVE_METHOD = (
    "descriptive difference of the two months' rates, not tested: sessions cluster by day and by person, "
    "and the GA4 exports hold no engaged sessions per day to allow for that"
)


def clustered_rate_change(
    engaged: Sequence[float],
    sessions: Sequence[float],
    engaged_before: Sequence[float],
    sessions_before: Sequence[float],
    level: float = 0.95,
) -> dict:
    """Change in a pooled rate between two periods when trials cluster (quasi-binomial over days).

    Each period is a set of clusters (days): per day, engaged sessions out of sessions. The model
    is ``logit P(engaged) = a + b·[this period]``, a binomial GLM on the daily counts whose
    standard errors are scaled by the dispersion ``φ = Pearson χ² / (days − 2)`` when it is above
    1 (quasi-binomial; with φ ≤ 1 the binomial errors are kept). Its fitted rates are the two
    pooled rates, so the estimate is exactly the difference of the pooled rates; its interval is
    the delta-method interval ``(p₁ − p₀) ± c·sqrt(g' V g)`` with ``g = (p₁(1−p₁) − p₀(1−p₀),
    p₁(1−p₁))`` and ``V`` the scaled covariance of ``(a, b)``, ``c`` the t quantile on
    ``days − 2`` df when φ > 1 (else the normal quantile); the p-value tests ``b = 0``. Days on
    which the rate differs more than chance allows (weekday, a link shared in a group, one
    person's repeat visits) widen the interval, as they should. ``naive_low``/``naive_high``
    give the binomial interval that treats every session as independent, for comparison.

    Parameters
    ----------
    engaged, sessions : sequence of float
        Engaged sessions and sessions per day of this period.
    engaged_before, sessions_before : sequence of float
        The same for the period compared with.
    level : float
        Confidence level.

    Returns
    -------
    dict
        ``estimate`` (this rate − the earlier one), ``low``, ``high``, ``p_value``, ``rate``,
        ``rate_before``, ``sessions``, ``sessions_before``, ``days``, ``days_before``,
        ``dispersion``, ``naive_low``, ``naive_high`` and ``method``; the estimate and everything
        after it but the counts are None with fewer than 2 days with sessions in a period, or
        when every session (or none) was engaged.

    Examples
    --------
    >>> days = clustered_rate_change([20, 80, 20, 80], [100] * 4, [50, 50, 50, 50], [100] * 4)
    >>> round(days["estimate"], 3), days["low"] < days["naive_low"], round(days["dispersion"], 1)
    (0.0, True, 24.0)
    """
    now_k, now_n = np.asarray(engaged, dtype=float), np.asarray(sessions, dtype=float)
    old_k, old_n = np.asarray(engaged_before, dtype=float), np.asarray(sessions_before, dtype=float)
    k = np.concatenate([now_k, old_k])
    n = np.concatenate([now_n, old_n])
    group = np.concatenate([np.ones(now_k.size), np.zeros(old_k.size)])
    keep = n > 0
    out: dict[str, Any] = {
        "estimate": None,
        "low": None,
        "high": None,
        "p_value": None,
        "rate": None,
        "rate_before": None,
        "sessions": int(round(now_n[now_n > 0].sum())),
        "sessions_before": int(round(old_n[old_n > 0].sum())),
        "days": int((now_n > 0).sum()),
        "days_before": int((old_n > 0).sum()),
        "dispersion": None,
        "naive_low": None,
        "naive_high": None,
        "method": CLUSTERED_METHOD,
    }
    if min(out["days"], out["days_before"]) < 2 or k[keep].sum() in (0, n[keep].sum()):
        return out
    k, n, group = k[keep], n[keep], group[keep]
    k = np.minimum(k, n)
    model = sm.GLM(
        np.column_stack([k, n - k]), np.column_stack([np.ones(k.size), group]), family=sm.families.Binomial()
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        naive = model.fit()
        df = float(naive.df_resid)
        dispersion = float(naive.pearson_chi2 / df) if df > 0 else 1.0
        fit = model.fit(scale=dispersion, use_t=True) if dispersion > 1 else naive
    a, b = (float(v) for v in fit.params)
    p0, p1 = 1 / (1 + math.exp(-a)), 1 / (1 + math.exp(-(a + b)))
    grad = np.array([p1 * (1 - p1) - p0 * (1 - p0), p1 * (1 - p1)])

    def limits(result, crit: float) -> tuple[float, float]:
        se = math.sqrt(float(grad @ np.asarray(result.cov_params()) @ grad))
        return p1 - p0 - crit * se, p1 - p0 + crit * se

    crit = float(stats.t.ppf(0.5 + level / 2, df)) if dispersion > 1 else _z(level)
    low, high = limits(fit, crit)
    naive_low, naive_high = limits(naive, _z(level))
    out.update(
        estimate=p1 - p0,
        low=low,
        high=high,
        p_value=float(fit.pvalues[1]),
        rate=p1,
        rate_before=p0,
        dispersion=max(1.0, dispersion),
        naive_low=naive_low,
        naive_high=naive_high,
    )
    return out


def _daily_cells(web_daily: pd.DataFrame | None, month: str, theme: str | None) -> pd.DataFrame | None:
    """Engaged sessions and sessions per day of the registered pages (of one theme), or None without them."""
    if web_daily is None or not {"sessions", "engaged_sessions"} <= set(web_daily.columns):
        return None
    rows = _month_rows(web_daily, month).dropna(subset=["asset_id", "sessions", "engaged_sessions"])
    if theme is not None:
        rows = rows[rows["theme"] == theme]
    if rows.empty:
        return None
    days = rows.groupby("date")[["engaged_sessions", "sessions"]].sum()
    return days.astype("float64")


def _pooled_rate(web_pages: pd.DataFrame, month: str, theme: str | None) -> float | None:
    """Engaged sessions / sessions over the registered pages (of one theme) in a month."""
    rows = _month_rows(web_pages, month).dropna(subset=["asset_id", "sessions", "engagement_rate"])
    if theme is not None:
        rows = rows[rows["theme"] == theme]
    sessions = rows["sessions"].astype("float64")
    total = float(sessions.sum())
    if total <= 0:
        return None
    return float((rows["engagement_rate"].astype("float64") * sessions).sum() / total)


def engagement_rate_change(
    tables: Mapping[str, pd.DataFrame],
    month: str,
    reference_month: str,
    level: float = 0.95,
    theme: str | None = None,
) -> dict:
    """The change in the web engagement rate from ``reference_month`` to ``month``, allowing for clustering.

    GA4's engagement rate is engaged sessions / sessions, but sessions are not independent
    trials: they cluster by day (a weekday pattern, a link shared in a group) and by person
    (one parent's repeat visits), so a binomial test over sessions calls chance a change far too
    often. When the daily table (``web_daily``) holds ``sessions`` and ``engaged_sessions`` for
    both months, the change is :func:`clustered_rate_change` over days (a quasi-binomial model,
    with a p-value for the month's family of tests). The exports the pipeline reads today do
    not: GA4's date × page report has views, users and events but no sessions, and the
    BigQuery daily rows are routed without them. Then the change is **descriptive**: the two
    rates (GA4 Pages and screens, pooled by sessions) and their difference, with no interval,
    no p-value and the verdict ``"descriptive"``.

    Parameters
    ----------
    tables : Mapping of str to pandas.DataFrame
        Processed tables ``web_pages`` and, optionally, ``web_daily``.
    month, reference_month : str
        The month and the month it is compared with (``YYYY-MM``).
    level : float
        Confidence level.
    theme : str, optional
        Only the registered pages of this theme (default: every registered page).

    Returns
    -------
    dict
        ``month``, ``reference_month``, ``theme``, ``rate``, ``rate_reference``, ``estimate``
        (the difference; None without both rates), ``low``, ``high``, ``p_value``,
        ``dispersion``, ``days``, ``days_reference``, ``descriptive`` (True when not tested),
        ``verdict`` (``"descriptive"``, ``"not comparable"``, or ``"consistent with chance"``
        until the month's family of tests says otherwise), ``method`` and, for a descriptive
        change, ``note`` (why it is not tested, for :func:`reach.report.sentences.change_text`).
        The record fits a tile's comparison as it is (``estimate``, ``low``, ``high``, ``verdict``).

    Examples
    --------
    >>> pages = pd.DataFrame({"month": ["2026-10", "2026-09"], "asset_id": "a", "theme": "t",
    ...                       "sessions": [100, 100], "engagement_rate": [0.6, 0.5]})
    >>> change = engagement_rate_change({"web_pages": pages}, "2026-10", "2026-09")
    >>> round(change["estimate"], 2), change["verdict"], change["p_value"]
    (0.1, 'descriptive', None)
    """
    out: dict[str, Any] = {
        "month": month,
        "reference_month": reference_month,
        "theme": theme,
        "rate": None,
        "rate_reference": None,
        "estimate": None,
        "low": None,
        "high": None,
        "p_value": None,
        "dispersion": None,
        "days": None,
        "days_reference": None,
        "descriptive": True,
        "verdict": "not comparable",
        "method": DESCRIPTIVE_METHOD,
    }
    now_days = _daily_cells(tables.get("web_daily"), month, theme)
    old_days = _daily_cells(tables.get("web_daily"), reference_month, theme)
    if now_days is not None and old_days is not None:
        fit = clustered_rate_change(
            now_days["engaged_sessions"], now_days["sessions"],
            old_days["engaged_sessions"], old_days["sessions"], level,
        )  # fmt: skip
        if fit["estimate"] is not None:
            out.update(
                rate=fit["rate"], rate_reference=fit["rate_before"], estimate=fit["estimate"],
                low=fit["low"], high=fit["high"], p_value=fit["p_value"], dispersion=fit["dispersion"],
                days=fit["days"], days_reference=fit["days_before"], descriptive=False,
                verdict="consistent with chance", method=fit["method"],
            )  # fmt: skip
            return out
    web_pages = tables["web_pages"]
    out["rate"] = _pooled_rate(web_pages, month, theme)
    out["rate_reference"] = _pooled_rate(web_pages, reference_month, theme)
    if out["rate"] is not None and out["rate_reference"] is not None:
        out["estimate"] = out["rate"] - out["rate_reference"]
        out["verdict"] = "descriptive"
        out["note"] = (
            "sessions cluster by day and by person, and the exports hold no engaged sessions per day"
        )
    return out


def engagement_rate_changes(
    tables: Mapping[str, pd.DataFrame], month: str, level: float = 0.95
) -> list[dict]:
    """Every engagement-rate change the impact section reports: all registered pages, then each theme.

    Each of :func:`engagement_rate_change` against the previous month and the same month last
    year, named for the month's family of tests (``engagement_rate.all.vs_previous_month``,
    ``engagement_rate.theme:<theme>.vs_same_month_last_year``, …).

    Parameters
    ----------
    tables : Mapping of str to pandas.DataFrame
        Processed tables ``web_pages`` and, optionally, ``web_daily``.
    month : str
        Reporting month.
    level : float
        Confidence level.

    Returns
    -------
    list of dict
        :func:`engagement_rate_change` records with ``test`` and ``comparison``
        (``"previous_month"`` or ``"same_month_last_year"``) added; comparisons without a rate
        in both months are left out.

    Examples
    --------
    >>> pages = pd.DataFrame({"month": ["2026-10", "2026-09"], "asset_id": "a", "theme": "t",
    ...                       "sessions": [100, 100], "engagement_rate": [0.6, 0.5]})
    >>> for row in engagement_rate_changes({"web_pages": pages}, "2026-10"):
    ...     print(row["test"], row["verdict"])
    engagement_rate.all.vs_previous_month descriptive
    engagement_rate.theme:t.vs_previous_month descriptive
    """
    references = {
        "previous_month": previous_months(month, 2)[0],
        "same_month_last_year": f"{int(month[:4]) - 1:04d}-{month[5:7]}",
    }
    rows = _month_rows(tables["web_pages"], month).dropna(subset=["asset_id"])
    themes = sorted(str(t) for t in rows["theme"].dropna().unique()) if "theme" in rows else []
    out = []
    for theme in [None, *themes]:
        scope = "all" if theme is None else f"theme:{theme}"
        for comparison, reference in references.items():
            change = engagement_rate_change(tables, month, reference, level, theme)
            if change["estimate"] is None:
                continue
            out.append(
                {"test": f"engagement_rate.{scope}.vs_{comparison}", "comparison": comparison, **change}
            )
    return out
