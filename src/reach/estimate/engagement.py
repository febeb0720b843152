"""Engagement once people arrived: view-through and engagement rates, per-asset activity, feedback shares."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from reach.core.intervals import NEWCOMBE, _num, difference_interval, proportion_estimate
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
        ``"not comparable"`` when a denominator is 0) and ``method``.

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
    describes the month-to-month chance variation of the rate, not GA4's consent gap).

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
