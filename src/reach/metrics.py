"""Pure summaries of the processed tables: per-asset figures, intervals, suppression, trends.

Every function takes DataFrames (or numbers) and returns new ones; nothing here reads files or
changes its inputs. Counts of people below county level pass through :func:`suppress_count`
before they are shown; intervals are computed on the unrounded numbers, as the NHS rule allows.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

import pandas as pd
from statsmodels.stats.proportion import proportion_confint

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


def suppress_count(value: object, low: int = 1, high: int = 7, round_to: int = 5) -> str:
    """NHS sub-national disclosure rule for one count.

    0 stays ``"0"``; 1 to 7 becomes ``"*"``; anything larger is rounded to the nearest 5.

    Parameters
    ----------
    value : object
        A count of people (missing values give ``""``).
    low, high, round_to : int
        The rule's limits (settings in ``config/reach.yaml``).

    Returns
    -------
    str
        The count as it may be shown.

    Examples
    --------
    >>> [suppress_count(v) for v in (0, 2, 5, 8, 16, 57, 10023)]
    ['0', '*', '*', '10', '15', '55', '10025']
    """
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    number = int(value)
    if number == 0:
        return "0"
    if low <= number <= high:
        return "*"
    # Whole numbers divided by 5 never end in .5, so rounding direction is never ambiguous.
    return str(int(math.floor(number / round_to + 0.5)) * round_to)


def month_label(month: str) -> str:
    """Return a month written for people, e.g. ``"October 2026"`` for ``"2026-10"``."""
    return dt.date(int(month[:4]), int(month[5:7]), 1).strftime("%B %Y")


def previous_months(month: str, count: int) -> list[str]:
    """Return ``count`` ISO months ending with ``month``, oldest first.

    Examples
    --------
    >>> previous_months("2026-02", 3)
    ['2025-12', '2026-01', '2026-02']
    """
    year, mon = int(month[:4]), int(month[5:7])
    months = []
    for _ in range(count):
        months.append(f"{year:04d}-{mon:02d}")
        mon -= 1
        if mon == 0:
            year, mon = year - 1, 12
    return months[::-1]


def _in_month(frame: pd.DataFrame, month: str) -> pd.DataFrame:
    return frame[frame["month"] == month]


def web_by_asset(web_pages: pd.DataFrame, month: str) -> pd.DataFrame:
    """Page views and users per asset for one month.

    GA4 counts a person once per page, so an asset with several pages has between the largest
    page's users and the sum of its pages' users; both limits are given.

    Parameters
    ----------
    web_pages : pandas.DataFrame
        Processed ``web_pages`` table (``month``, ``page_path``, ``views``, ``active_users``,
        ``asset_id``, ``asset_title``, ``theme``).
    month : str
        ISO month.

    Returns
    -------
    pandas.DataFrame
        One row per asset, most viewed first: ``asset_id``, ``asset_title``, ``theme``,
        ``pages``, ``views``, ``users_low``, ``users_high``.
    """
    rows = _in_month(web_pages, month).dropna(subset=["asset_id"])
    grouped = rows.groupby(["asset_id", "asset_title", "theme"], as_index=False).agg(
        pages=("page_path", "nunique"),
        views=("views", "sum"),
        users_low=("active_users", "max"),
        users_high=("active_users", "sum"),
    )
    return grouped.sort_values(["views", "asset_id"], ascending=[False, True]).reset_index(drop=True)


def video_by_asset(video: pd.DataFrame, month: str) -> pd.DataFrame:
    """YouTube views and watch time per asset for one month.

    Parameters
    ----------
    video : pandas.DataFrame
        Processed ``video`` table (``month``, ``video_id``, ``views``, ``watch_time_hours``,
        ``asset_id``, ``asset_title``, ``theme``).
    month : str
        ISO month.

    Returns
    -------
    pandas.DataFrame
        One row per asset, most viewed first: ``asset_id``, ``asset_title``, ``theme``,
        ``videos``, ``views``, ``watch_time_hours``.
    """
    rows = _in_month(video, month).dropna(subset=["asset_id"])
    grouped = rows.groupby(["asset_id", "asset_title", "theme"], as_index=False).agg(
        videos=("video_id", "nunique"),
        views=("views", "sum"),
        watch_time_hours=("watch_time_hours", "sum"),
    )
    return grouped.sort_values(["views", "asset_id"], ascending=[False, True]).reset_index(drop=True)


def social_by_asset(posts: pd.DataFrame, month: str) -> pd.DataFrame:
    """Meta post views and reach per asset for the posts published in one month.

    Post reach is lifetime and not additive across posts, so the asset's reach is given as a
    range: the largest post's reach to the sum over posts.

    Parameters
    ----------
    posts : pandas.DataFrame
        Processed ``social_posts`` table.
    month : str
        ISO month.

    Returns
    -------
    pandas.DataFrame
        ``asset_id``, ``asset_title``, ``theme``, ``posts``, ``views``, ``reach_low``, ``reach_high``.
    """
    rows = _in_month(posts, month).dropna(subset=["asset_id"])
    grouped = rows.groupby(["asset_id", "asset_title", "theme"], as_index=False).agg(
        posts=("post_id", "nunique"),
        views=("views", "sum"),
        reach_low=("reach", "max"),
        reach_high=("reach", "sum"),
    )
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
    rows = _in_month(feedback, month)
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
    rows = _in_month(page_feedback, month)["helpful"].dropna()
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


def data_quality(tables: Mapping[str, pd.DataFrame], month: str) -> dict:
    """Counts for the data-quality section: files read, warnings, unmatched identifiers, notes.

    Parameters
    ----------
    tables : Mapping of str to pandas.DataFrame
        Processed tables (``inputs``, ``unmatched``, ``notes``).
    month : str
        Reporting month.

    Returns
    -------
    dict
        ``files_read``, ``files_this_month``, ``files_with_warnings``, ``unmatched_this_month``,
        ``quarantined_rows``, ``restated_values``, ``notes``.
    """
    inputs = tables["inputs"]
    raw = inputs[inputs["role"] == "raw export"]
    this_month = raw[raw["path"].str.startswith(f"{month}/")]
    unmatched = tables["unmatched"]
    return {
        "files_read": len(raw),
        "files_this_month": len(this_month),
        "files_with_warnings": int((raw["warnings"].fillna("") != "").sum()),
        "unmatched_this_month": int((unmatched["month"] == month).sum()),
        "quarantined_rows": len(tables["quarantine"]),
        "restated_values": len(tables["restatements"]),
        "notes": len(tables["notes"]),
    }


def impact_for_summary(impact: Mapping[str, Any]) -> dict:
    """The ``"impact"`` block of ``summary.json``: :func:`reach.impact.impact_summary` without quotes.

    Free-text quotes stay in the report (escaped, redacted, only for themes with enough
    comments); the machine-readable summary keeps theme counts only.

    Parameters
    ----------
    impact : Mapping
        From :func:`reach.impact.impact_summary`.

    Returns
    -------
    dict
        A copy with each theme's ``quotes`` removed.
    """
    out = dict(impact)
    themes = impact.get("themes")
    if themes:
        out["themes"] = {
            **themes,
            "sources": {
                source: {
                    **block,
                    "themes": [{k: v for k, v in theme.items() if k != "quotes"} for theme in block["themes"]],
                }
                for source, block in themes["sources"].items()
            },
        }
    return out


def monthly_summary(
    tables: Mapping[str, pd.DataFrame],
    month: str,
    sample: bool,
    settings: Mapping[str, Any] | None = None,
    quotes: bool = False,
) -> dict:
    """The headline figures of one month, as written to ``summary.json``.

    Parameters
    ----------
    tables : Mapping of str to pandas.DataFrame
        Processed tables (with ``reference_town_districts`` for the reach block).
    month : str
        Reporting month.
    sample : bool
        True when the figures come from the bundled synthetic sample.
    settings : Mapping, optional
        Settings from :func:`reach.config.load_config` (or :func:`reach.store.load_settings`):
        ``confidence_level``, ``suppression`` and the ``reach`` and ``impact`` sections.
    quotes : bool
        Keep the redacted free-text quotes of each theme (for the report; ``summary.json``
        holds counts only).

    Returns
    -------
    dict
        ``month``, ``sample``, ``period``, ``web``, ``video``, ``social``, ``feedback``,
        ``page_feedback``, ``data_quality``, ``reach`` (:func:`reach.audience.reach_summary`)
        and ``impact`` (:func:`impact_for_summary`). Counts of activity (views, sessions) are
        county-level totals, which the disclosure rule does not cover; feedback response counts
        and district counts of people are rounded by the NHS rule.
    """
    from reach import audience, impact
    from reach.config import month_end, parse_month

    settings = settings or {}
    level = float(settings.get("confidence_level", 0.95))
    impact_result = impact.impact_summary(tables, month, settings)

    first = parse_month(month)
    web = web_by_asset(tables["web_pages"], month)
    video = video_by_asset(tables["video"], month)
    social = social_by_asset(tables["social_posts"], month)
    totals = tables["video_totals"]
    totals = totals[totals["month"] == month]
    feedback = feedback_summary(tables["feedback"], month, level)
    helpful = dict(feedback["helpful"])
    responses = feedback["responses"]
    shown = suppress_count(responses)
    if shown == "*":
        helpful.update({"estimate": None, "low": None, "high": None, "suppressed": True})
    helpful.pop("successes", None)
    helpful["n"] = shown
    page = page_feedback_summary(tables["page_feedback"], month, level)
    page.pop("successes", None)
    page["n"] = suppress_count(page["n"])

    def _int(value: object) -> int | None:
        return None if value is None or pd.isna(value) else int(value)

    return {
        "month": month,
        "sample": bool(sample),
        "period": {"start": first.isoformat(), "end": month_end(first).isoformat()},
        "web": {
            "page_views": _int(web["views"].sum()),
            "assets": len(web),
            "note": "Views on registered asset pages (GA4, consenting visitors only).",
        },
        "video": {
            "views": _int(video["views"].sum()),
            "watch_time_hours": round(float(video["watch_time_hours"].sum()), 1),
            "channel_views": _int(totals["views"].sum()) if len(totals) else None,
        },
        "social": {"post_views": _int(social["views"].sum()), "posts": _int(social["posts"].sum())},
        "feedback": {"responses": shown, "helpful": helpful},
        "page_feedback": {"helpful": page},
        "data_quality": data_quality(tables, month),
        "reach": audience.reach_summary(tables, month, settings),
        "impact": impact_result if quotes else impact_for_summary(impact_result),
    }
