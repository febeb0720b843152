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
                    "themes": [
                        {k: v for k, v in theme.items() if k != "quotes"} for theme in block["themes"]
                    ],
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


# ---------------------------------------------------------------------------------------------
# At a glance (issue 6): each tile's figure for the month, the month before and a year before,
# its change, and a status against the targets in config/reach.yaml judged from the interval
# ---------------------------------------------------------------------------------------------

STATUS_LABELS = {"green": "On track", "amber": "Watch", "red": "Below target", "none": "No status"}
RAG_RULE = (
    "On track when the whole 95% interval is at or above the target; Below target when the whole "
    "interval is below the floor; Watch otherwise (the interval reaches across the target or the floor, "
    "or lies between them, so the data cannot yet say which side we are on); No status when there is "
    "no interval this month or no target is set."
)
_COMPARED = {
    "previous_month": "last month ({})",
    "same_month_last_year": "a year ago ({})",
    "previous_campaign": "the previous campaign ({})",
}
OVERLAP_METHOD = "overlap of the two 95% intervals (no joint model of the two months)"


def shift_month(month: str, months: int) -> str:
    """Return the ISO month ``months`` after ``month`` (negative for before).

    Examples
    --------
    >>> shift_month("2026-01", -1), shift_month("2026-10", -12), shift_month("2026-12", 1)
    ('2025-12', '2025-10', '2027-01')
    """
    index = int(month[:4]) * 12 + int(month[5:7]) - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def rag_status(
    low: float | None, high: float | None, target: float | None, floor: float | None = None
) -> str:
    """Red/amber/green status judged from an interval, never from the best estimate alone.

    Parameters
    ----------
    low, high : float or None
        The interval (None when there is none).
    target : float or None
        Where the measure should be; None when no target is set.
    floor : float or None
        The level below which action is needed (at most ``target``); None for no red status.

    Returns
    -------
    str
        ``"green"`` when the whole interval is at or above ``target``; ``"red"`` when the whole
        interval is below ``floor``; ``"amber"`` otherwise; ``"none"`` without an interval or target.

    Raises
    ------
    ValueError
        If ``floor`` is above ``target``.

    Examples
    --------
    >>> rag_status(0.81, 0.95, 0.8, 0.6), rag_status(0.7, 0.9, 0.8, 0.6), rag_status(0.4, 0.55, 0.8, 0.6)
    ('green', 'amber', 'red')
    """
    if target is not None and floor is not None and floor > target:
        raise ValueError(f"the floor ({floor}) must not be above the target ({target})")
    if low is None or high is None or target is None:
        return "none"
    if low >= target:
        return "green"
    if floor is not None and high < floor:
        return "red"
    return "amber"


def format_value(value: float | None, unit: str) -> str:
    """Write a tile's number for people: whole people, a percentage or a signed relative change.

    Parameters
    ----------
    value : float or None
        The number (a share or relative change as a fraction).
    unit : {"people", "share", "relative"}
        What it measures.

    Returns
    -------
    str
        E.g. ``"1,788"``, ``"77%"``, ``"+37%"``; ``"–"`` for None.

    Examples
    --------
    >>> format_value(1787.6, "people"), format_value(0.7716, "share"), format_value(0.374, "relative")
    ('1,788', '77%', '+37%')
    """
    if value is None:
        return "–"
    if unit == "people":
        return f"{float(value):,.0f}"
    if unit == "share":
        return f"{float(value):.0%}"
    if unit == "relative":
        return f"{float(value):+.0%}"
    raise ValueError(f"unknown unit {unit!r}")


def format_change(value: float | None, unit: str) -> str:
    """Write a change between two figures: signed people, or signed percentage points for shares.

    Examples
    --------
    >>> format_change(311.0, "people"), format_change(0.154, "share"), format_change(-0.01, "relative")
    ('+311', '+15 points', '-1 point')
    """
    if value is None:
        return "–"
    if unit == "people":
        return f"{float(value):+,.0f}"
    points = 100 * float(value)
    return f"{points:+.0f} point" + ("" if round(abs(points)) == 1 else "s")


def format_change_interval(low: float, high: float, unit: str) -> str:
    """Write the interval of a change, e.g. ``"+1 to +31 points"`` or ``"-120 to +340"``.

    Examples
    --------
    >>> format_change_interval(0.0055, 0.3053, "share"), format_change_interval(-120, 340, "people")
    ('+1 to +31 points', '-120 to +340')
    """
    if unit == "people":
        return f"{float(low):+,.0f} to {float(high):+,.0f}"
    return f"{100 * float(low):+.0f} to {100 * float(high):+.0f} points"


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
    from reach.impact import NEWCOMBE, difference_interval

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
    rows = _in_month(web_pages, month).dropna(subset=["asset_id"])
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


def _suppression(settings: Mapping[str, Any]) -> dict:
    rule = dict(settings.get("suppression") or {})
    return {
        "low": int(rule.get("low", 1)),
        "high": int(rule.get("high", 7)),
        "round_to": int(rule.get("round_to", 5)),
    }


def helpful_share(
    feedback: pd.DataFrame, month: str, level: float = 0.95, suppression: Mapping | None = None
) -> dict:
    """Share of feedback-form answers saying the information was helpful, with disclosure control.

    The percentage is withheld when the number answering or the number saying yes is 1 to 7
    (NHS rule: a percentage from a suppressed numerator or denominator is hidden).

    Parameters
    ----------
    feedback : pandas.DataFrame
        Processed ``feedback`` table.
    month : str
        ISO month.
    level : float
        Confidence level.
    suppression : Mapping, optional
        ``low``, ``high``, ``round_to`` of the NHS rule.

    Returns
    -------
    dict
        ``estimate``, ``low``, ``high`` (None when withheld or nobody answered), ``n`` (answers as
        they may be shown), ``reason`` (why there is no figure, or None), ``method``; and
        ``_successes``/``_trials`` (unrounded, for the change interval only; never displayed).
    """
    rule = {"low": 1, "high": 7, "round_to": 5, **dict(suppression or {})}
    result = feedback_summary(feedback, month, level)["helpful"]
    trials, successes = int(result["n"]), int(result["successes"])
    shown = suppress_count(trials, rule["low"], rule["high"], rule["round_to"])
    out = {
        "estimate": result["estimate"],
        "low": result["low"],
        "high": result["high"],
        "n": shown,
        "reason": None,
        "method": result["method"],
        "_successes": successes,
        "_trials": trials,
    }
    if trials == 0:
        out["reason"] = "nobody answered the feedback form"
    elif shown == "*" or suppress_count(successes, rule["low"], rule["high"], rule["round_to"]) == "*":
        out["reason"] = (
            f"fewer than {rule['high'] + 1} people gave an answer behind the percentage, too few to show safely"
        )
    if out["reason"]:
        out.update({"estimate": None, "low": None, "high": None})
    return out


def _reach_value(block: Mapping[str, Any]) -> dict:
    comb = block.get("combined") or {}
    value = {k: comb.get(k) for k in ("estimate", "low", "high")}
    value["method"] = comb.get("method", "")
    value["reason"] = None
    if value["estimate"] is None:
        value["reason"] = "no web, video or social export for this month"
    elif value["low"] is None or value["high"] is None:
        value["reason"] = "only one limit could be set: " + str(value["method"])
    return value


def _coverage_value(block: Mapping[str, Any]) -> dict:
    cov = block.get("coverage") or {}
    value = {k: cov.get(k) for k in ("estimate", "low", "high")}
    value["births"] = cov.get("births_in_period")
    value["method"] = "parents answering the feedback survey, with two-source capture–recapture (Chapman)"
    value["reason"] = None
    if value["estimate"] is None:
        value.update({"low": None, "high": None})
        value["reason"] = "too few Norfolk parents answered the feedback survey to estimate it"
    return value


def _campaign_value(impact: Mapping[str, Any] | None) -> tuple[dict, dict | None, dict | None]:
    """The latest campaign's relative effect, the campaign, and the one before it."""
    none = {"estimate": None, "low": None, "high": None, "method": "", "reason": None}
    if impact is None:
        return {**none, "reason": "the impact estimates were not computed"}, None, None
    names = {c["campaign"]: c for c in impact.get("campaigns", [])}
    rows = [r for r in impact.get("counterfactual", []) if r.get("rel_effect") is not None]
    rows.sort(key=lambda r: str(names.get(r["campaign"], {}).get("start", "")))
    if not rows:
        return {**none, "reason": "no campaign had enough web data for a counterfactual"}, None, None

    def value(row: Mapping[str, Any]) -> dict:
        window = names.get(row["campaign"], {})
        out = {
            "estimate": row["rel_effect"],
            "low": row.get("rel_low"),
            "high": row.get("rel_high"),
            "method": window.get("counterfactual_method", "structural time-series counterfactual"),
            "reason": None,
        }
        if out["low"] is None or out["high"] is None:
            out["reason"] = "the model's interval for the prediction reaches zero, so no upper limit exists"
        return out

    def about(row: Mapping[str, Any]) -> dict:
        window = names.get(row["campaign"], {})
        return {
            "campaign": row["campaign"],
            "name": window.get("name", row["campaign"]),
            "start": window.get("post_start") or window.get("start"),
            "end": window.get("post_end") or window.get("end"),
            "partial": bool(window.get("partial")),
            "actual": row.get("actual"),
            "predicted": row.get("predicted"),
            "value": value(row),
        }

    latest = about(rows[-1])
    before = about(rows[-2]) if len(rows) > 1 else None
    return latest["value"], latest, before


def _target(targets: Mapping[str, Any], key: str) -> dict | None:
    item = targets.get(key)
    if not isinstance(item, Mapping) or item.get("target") is None:
        return None
    floor = item.get("floor")
    return {"target": float(item["target"]), "floor": None if floor is None else float(floor)}


def _status_reason(status: str, value: Mapping[str, Any], target: Mapping[str, Any] | None, unit: str) -> str:
    if target is None:
        return "no target is set for this measure"
    if value.get("low") is None or value.get("high") is None:
        return "no interval this month to judge it by"
    aim = format_value(target["target"], unit)
    floor = target.get("floor")
    if status == "green":
        return f"whole interval at or above the target of {aim}"
    if status == "red":
        return f"whole interval below the floor of {format_value(floor, unit)}"
    if floor is not None and value["high"] < target["target"] and value["low"] >= floor:
        return f"interval between the floor of {format_value(floor, unit)} and the target of {aim}"
    across = f"interval reaches across the target of {aim}"
    if floor is not None and value["low"] < floor:
        across += f" and the floor of {format_value(floor, unit)}"
    return across


def _tile(key: str, label: str, unit: str, value: dict, target: dict | None, comparisons: list[dict]) -> dict:
    status = rag_status(
        value.get("low"), value.get("high"), None if target is None else target["target"],
        None if target is None else target.get("floor"),
    )  # fmt: skip
    return {
        "key": key,
        "label": label,
        "unit": unit,
        "value": value,
        "target": target,
        "status": status,
        "status_label": STATUS_LABELS[status],
        "status_reason": _status_reason(status, value, target, unit),
        "comparisons": comparisons,
        "note": None,
    }


def glance(
    tables: Mapping[str, pd.DataFrame],
    month: str,
    settings: Mapping[str, Any] | None = None,
    summary: Mapping[str, Any] | None = None,
    reach_by_month: Mapping[str, Mapping[str, Any]] | None = None,
) -> dict:
    """The "At a glance" tiles: five headline figures with intervals, changes and a status.

    Only the tiles' own numbers are computed for the previous month and the same month last
    year (combined reach and coverage through :func:`reach.audience.reach_summary`, engagement
    and % helpful directly), so the report stays fast. The impact headline is the latest
    campaign's counterfactual relative effect, compared with the campaign before it (a
    campaign's effect is estimated once, over its own days, so it has no monthly change).

    Parameters
    ----------
    tables : Mapping of str to pandas.DataFrame
        Processed tables.
    month : str
        Reporting month.
    settings : Mapping, optional
        Settings (``confidence_level``, ``suppression``, ``reach``, ``targets``). Each target is
        ``{"target": t, "floor": f}`` in the measure's units, under the keys ``reach_people``,
        ``coverage``, ``engagement_rate``, ``helpful`` and ``campaign_effect``.
    summary : Mapping, optional
        :func:`monthly_summary` of ``month``: its ``reach`` and ``impact`` blocks are reused
        instead of being computed again (without it the impact tile has no figure).
    reach_by_month : Mapping of str to dict, optional
        ``reach`` blocks (:func:`reach.audience.reach_summary`) already computed, by ISO month;
        months not given are computed from ``tables``.

    Returns
    -------
    dict
        ``month``, ``previous_month``, ``same_month_last_year``, ``level``, ``rule`` (the RAG rule
        in words) and ``tiles``: a list of dicts with ``key``, ``label``, ``unit`` (``"people"``,
        ``"share"`` or ``"relative"``), ``value`` (``estimate``, ``low``, ``high``, ``method``,
        ``reason`` when there is no figure or interval, ``n``/``births``/``sessions`` where
        relevant), ``target``, ``status`` (green/amber/red/none), ``status_label``,
        ``status_reason``, ``comparisons`` (``key``, ``label``, ``value``, ``change`` with a
        ``verdict``) and ``note``.
    """
    from reach import audience

    settings = settings or {}
    summary = summary or {}
    level = float(settings.get("confidence_level", 0.95))
    rule = _suppression(settings)
    targets = settings.get("targets") or {}
    before = {"previous_month": shift_month(month, -1), "same_month_last_year": shift_month(month, -12)}
    months = {"current": month, **before}

    known = dict(reach_by_month or {})
    if "reach" in summary:
        known.setdefault(month, summary["reach"])
    reach_blocks = {
        key: known[m] if m in known else audience.reach_summary(tables, m, settings)
        for key, m in months.items()
    }
    engagement = {key: web_engagement_rate(tables["web_pages"], m, level) for key, m in months.items()}
    helpful = {key: helpful_share(tables["feedback"], m, level, rule) for key, m in months.items()}

    tiles = []
    reach_values = {key: _reach_value(block) for key, block in reach_blocks.items()}
    coverage_values = {key: _coverage_value(block) for key, block in reach_blocks.items()}
    for key, label, values, unit in (
        ("reach_people", "People reached online", reach_values, "people"),
        ("coverage", "Families with a newborn reached", coverage_values, "share"),
    ):
        comparisons = [
            {"key": k, "month": m, "label": _COMPARED[k].format(month_label(m)), "value": values[k],
             "change": compare_intervals(values["current"], values[k])}
            for k, m in before.items()
        ]  # fmt: skip
        tiles.append(_tile(key, label, unit, values["current"], _target(targets, key), comparisons))

    def engagement_value(item: Mapping[str, Any]) -> dict:
        out = {k: item[k] for k in ("estimate", "low", "high", "method", "sessions")}
        out["reason"] = None if item["sessions"] else "no sessions on the registered pages in GA4"
        return out

    comparisons = [
        {"key": k, "month": m, "label": _COMPARED[k].format(month_label(m)), "value": engagement_value(engagement[k]),
         "change": compare_proportions(engagement["current"]["engaged"], engagement["current"]["sessions"],
                                       engagement[k]["engaged"], engagement[k]["sessions"], level)}
        for k, m in before.items()
    ]  # fmt: skip
    tiles.append(
        _tile(
            "engagement_rate", "Engaged visits to the web pages", "share", engagement_value(engagement["current"]),
            _target(targets, "engagement_rate"), comparisons,
        )
    )  # fmt: skip

    def public(item: Mapping[str, Any]) -> dict:
        return {k: v for k, v in item.items() if not k.startswith("_")}

    now = helpful["current"]
    comparisons = []
    for k, m in before.items():
        then = helpful[k]
        shown = now["estimate"] is not None and then["estimate"] is not None
        change = (
            compare_proportions(now["_successes"], now["_trials"], then["_successes"], then["_trials"], level)
            if shown
            else compare_intervals({}, {})
        )
        comparisons.append(
            {
                "key": k,
                "month": m,
                "label": _COMPARED[k].format(month_label(m)),
                "value": public(then),
                "change": change,
            }
        )
    tiles.append(
        _tile(
            "helpful",
            "Found the information helpful",
            "share",
            public(now),
            _target(targets, "helpful"),
            comparisons,
        )
    )

    value, latest, previous = _campaign_value(summary.get("impact"))
    comparisons = []
    if previous is not None:
        comparisons.append(
            {"key": "previous_campaign", "month": None, "label": _COMPARED["previous_campaign"].format(previous["name"]),
             "value": previous["value"],
             "change": compare_intervals(value, previous["value"])}
        )  # fmt: skip
    label = "Latest campaign: extra web page views"
    tile = _tile(
        "campaign_effect", label, "relative", value, _target(targets, "campaign_effect"), comparisons
    )
    tile["campaign"] = None if latest is None else {k: v for k, v in latest.items() if k != "value"}
    tile["note"] = "Estimated once per campaign, so compared with the previous campaign, not with last month."
    tiles.append(tile)
    return {**months, "month": month, "level": level, "rule": RAG_RULE, "tiles": tiles}


_VERDICT_TEXT = {
    "rise": "a clear rise",
    "fall": "a clear fall",
    "no clear change": "no clear change",
    "not comparable": "not comparable",
}


def _range_text(value: Mapping[str, Any], unit: str) -> str:
    return f"{format_value(value.get('low'), unit)} to {format_value(value.get('high'), unit)}"


def change_text(comparison: Mapping[str, Any], unit: str) -> str:
    """One comparison of a tile in words: the earlier figure, the change and what it means.

    Parameters
    ----------
    comparison : Mapping
        An item of a tile's ``comparisons`` (from :func:`glance`).
    unit : str
        The tile's unit.

    Returns
    -------
    str
        E.g. ``"73% (59% to 83%); +15 points (95% interval +1 to +31 points): a clear rise"``.

    Examples
    --------
    >>> change_text({"value": {"estimate": None, "reason": "nobody answered"}, "change": {"verdict": "not comparable"}},
    ...             "share")
    'no figure (nobody answered), so no comparison'
    """
    value, change = comparison["value"], comparison["change"]
    if value.get("estimate") is None:
        return f"no figure ({value.get('reason') or 'not estimated'}), so no comparison"
    before = format_value(value["estimate"], unit)
    if value.get("low") is not None and value.get("high") is not None:
        before += f" ({_range_text(value, unit)})"
    verdict = change.get("verdict", "not comparable")
    if verdict == "not comparable":
        return f"{before}; no comparison (no figure this month)"
    moved = format_change(change.get("estimate"), unit)
    if change.get("low") is not None and change.get("high") is not None:
        interval = format_change_interval(change["low"], change["high"], unit)
        why = (
            "the interval of the change includes zero"
            if verdict == "no clear change"
            else "the interval of the change excludes zero"
        )
        return f"{before}; {moved} (95% interval {interval}): {_VERDICT_TEXT[verdict]}, {why}"
    why = "the two intervals overlap" if verdict == "no clear change" else "the two intervals do not overlap"
    return f"{before}; {moved}: {_VERDICT_TEXT[verdict]}, {why}"


def glance_sentences(result: Mapping[str, Any]) -> list[str]:
    """Plain-English findings written from the "At a glance" numbers, each with its interval.

    Parameters
    ----------
    result : Mapping
        From :func:`glance`.

    Returns
    -------
    list of str
        One or two sentences per tile, then one on the status counts.
    """
    when = month_label(result["month"])
    tiles = {t["key"]: t for t in result["tiles"]}
    out = []

    def compared(tile: Mapping[str, Any]) -> str:
        parts = [f"compared with {c['label']}: {change_text(c, tile['unit'])}" for c in tile["comparisons"]]
        return ("C" + "; ".join(parts)[1:] + ".") if parts else ""

    reach = tiles.get("reach_people")
    if reach:
        v = reach["value"]
        if v.get("estimate") is None:
            out.append(f"The number of people reached in {when} could not be estimated: {v.get('reason')}.")
        elif v.get("low") is None or v.get("high") is None:
            out.append(
                f"In {when} at least {format_value(v.get('low') or v['estimate'], 'people')} people were reached online."
            )
        else:
            out.append(
                f"In {when} between {format_value(v['low'], 'people')} and {format_value(v['high'], 'people')} people saw "
                f"at least one safer-sleep web page, video or post, each person counted once (best estimate "
                f"{format_value(v['estimate'], 'people')}). {compared(reach)}"
            )
    cov = tiles.get("coverage")
    if cov:
        v = cov["value"]
        if v.get("estimate") is None:
            out.append(
                f"The share of families with a newborn reached could not be estimated: {v.get('reason')}."
            )
        else:
            births = (
                f" (about {format_value(v['births'], 'people')} births in the month)"
                if v.get("births")
                else ""
            )
            out.append(
                f"Between {format_value(v['low'], 'share')} and {format_value(v['high'], 'share')} of Norfolk families with "
                f"a newborn{births} saw at least one online channel (best estimate {format_value(v['estimate'], 'share')}), "
                f"judged from the parents who answered the feedback survey. {compared(cov)}"
            )
    eng = tiles.get("engagement_rate")
    if eng:
        v = eng["value"]
        if v.get("estimate") is None:
            out.append(f"Engagement on the web pages could not be measured: {v.get('reason')}.")
        else:
            out.append(
                f"Between {format_value(v['low'], 'share')} and {format_value(v['high'], 'share')} of the "
                f"{format_value(v['sessions'], 'people')} visits (sessions) to the registered web pages were engaged: they "
                f"lasted over 10 seconds, led to a key event or opened a second page (best estimate "
                f"{format_value(v['estimate'], 'share')}). "
                f"Engagement shows attention, not understanding. {compared(eng)}"
            )
    helpful = tiles.get("helpful")
    if helpful:
        v = helpful["value"]
        if v.get("estimate") is None:
            out.append(
                f"The share finding the information helpful is not shown for {when}: {v.get('reason')}."
            )
        else:
            out.append(
                f"Between {format_value(v['low'], 'share')} and {format_value(v['high'], 'share')} of the people who "
                f"answered the feedback form (about {v['n']}) found the information helpful (best estimate "
                f"{format_value(v['estimate'], 'share')}); they chose to answer, so they may not speak for everyone "
                f"reached. {compared(helpful)}"
            )
    effect = tiles.get("campaign_effect")
    if effect:
        v, campaign = effect["value"], effect.get("campaign")
        if v.get("estimate") is None or campaign is None:
            out.append(f"No campaign effect is shown: {v.get('reason')}.")
        else:
            dates = _date_range(campaign.get("start"), campaign.get("end"))
            if v.get("low") is not None and v.get("high") is not None:
                range_text = f"95% interval {_more_or_fewer(v['low'])} to {_more_or_fewer(v['high'])}"
            else:
                range_text = f"no interval: {v.get('reason')}"
            clear = (
                " No clear effect: the interval includes zero."
                if v.get("low") is not None and v.get("high") is not None and v["low"] <= 0 <= v["high"]
                else ""
            )
            out.append(
                f"During {campaign['name']}{dates} the campaign's web pages had {_more_or_fewer(v['estimate'])} views "
                f"than the model predicts without the campaign ({range_text}).{clear} This counts page views, not "
                f"people, and does not show what readers understood or did. {compared(effect)}"
            )
    counts = {}
    for tile in result["tiles"]:
        counts[tile["status_label"]] = counts.get(tile["status_label"], 0) + 1
    listed = ", ".join(f"{counts[label]} {label}" for label in STATUS_LABELS.values() if label in counts)
    out.append(
        f"Status against the targets: {listed}. A status is judged from the whole 95% interval, not from the "
        "best estimate, so a month's chance variation cannot make a tile green or red on its own (the rule and "
        "the targets are under Methodology)."
    )
    return [s.strip() for s in out]


def _more_or_fewer(value: float) -> str:
    """Write a relative change as words: ``0.37`` → ``"37% more"``, ``-0.1`` → ``"10% fewer"``."""
    return f"{abs(float(value)):.0%} " + ("fewer" if value < 0 else "more")


def _date_range(start: object, end: object) -> str:
    """Write a campaign's dates, e.g. ``" (12 to 25 October 2026)"``; empty when unknown."""
    if not start or not end:
        return ""
    first, last = dt.date.fromisoformat(str(start)[:10]), dt.date.fromisoformat(str(end)[:10])
    if (first.year, first.month) == (last.year, last.month):
        return f" ({first.day} to {last.day} {last:%B %Y})"
    if first.year == last.year:
        return f" ({first.day} {first:%B} to {last.day} {last:%B %Y})"
    return f" ({first.day} {first:%B %Y} to {last.day} {last:%B %Y})"


# ---------------------------------------------------------------------------------------------
# Numbers behind the report's charts (issue 6): trend with intervals, asset league, funnel,
# district comparison, and the data-quality caveats
# ---------------------------------------------------------------------------------------------


def helpful_trend(
    feedback: pd.DataFrame,
    month: str,
    months: int = 24,
    level: float = 0.95,
    suppression: Mapping[str, int] | None = None,
) -> pd.DataFrame:
    """Monthly share finding the information helpful, with Wilson intervals, for a trend chart.

    Parameters
    ----------
    feedback : pandas.DataFrame
        Processed ``feedback`` table.
    month : str
        Last month shown.
    months : int
        How many months.
    level : float
        Confidence level.
    suppression : Mapping, optional
        The NHS rule's ``low``, ``high``, ``round_to``.

    Returns
    -------
    pandas.DataFrame
        One row per month, oldest first: ``month``, ``estimate``, ``low``, ``high`` (missing when
        nobody answered or the figure is withheld under the disclosure rule) and ``answers`` (the
        number answering as it may be shown: rounded to 5, ``*`` for 1 to 7).
    """
    rule = {"low": 1, "high": 7, "round_to": 5, **dict(suppression or {})}
    wanted = previous_months(month, months)
    rows = feedback[feedback["month"].isin(wanted)]
    # The same answers as feedback_summary: blanks left out, "Not sure" and "No" count as not yes.
    answered = rows["helpful"].astype("str").str.strip().str.lower().where(rows["helpful"].notna())
    answered = answered[answered.notna() & (answered != "")]
    trials = answered.groupby(rows.loc[answered.index, "month"]).size().reindex(wanted, fill_value=0)
    yes = (answered == "yes").groupby(rows.loc[answered.index, "month"]).sum().reindex(wanted, fill_value=0)
    frame = pd.DataFrame({"month": wanted, "estimate": None, "low": None, "high": None, "answers": ""})
    for index, (n, k) in enumerate(zip(trials.astype(int), yes.astype(int), strict=True)):
        shown = suppress_count(n, rule["low"], rule["high"], rule["round_to"])
        frame.at[index, "answers"] = shown
        hidden = shown == "*" or suppress_count(k, rule["low"], rule["high"], rule["round_to"]) == "*"
        if n and not hidden:
            low, high = wilson_interval(k, n, level)
            frame.loc[index, ["estimate", "low", "high"]] = [k / n, low, high]
    for column in ("estimate", "low", "high"):
        frame[column] = frame[column].astype("Float64")
    frame["answers"] = frame["answers"].astype("str")
    return frame


def asset_league(current: pd.DataFrame, previous: pd.DataFrame, value: str = "views") -> pd.DataFrame:
    """Assets ranked by one measure this month, with last month's figure and the change.

    Parameters
    ----------
    current, previous : pandas.DataFrame
        Per-asset tables for this month and the month before (from :func:`web_by_asset`,
        :func:`video_by_asset` or :func:`social_by_asset`): ``asset_id``, ``asset_title`` and ``value``.
    value : str
        The measure to rank by.

    Returns
    -------
    pandas.DataFrame
        ``rank`` (1 = most; ties share the better rank), ``asset_id``, ``asset_title``, ``value``,
        ``previous`` (missing when the asset had none last month), ``change`` and ``change_pct``
        (missing without a previous figure, or when it was 0).
    """
    before = (
        previous.set_index("asset_id")[value].astype("float64")
        if len(previous)
        else pd.Series(dtype="float64")
    )
    frame = current[["asset_id", "asset_title", value]].copy()
    frame = frame.rename(columns={value: "value"})
    frame["value"] = frame["value"].astype("float64")
    frame["previous"] = frame["asset_id"].map(before).astype("Float64")
    frame["change"] = (frame["value"] - frame["previous"]).astype("Float64")
    base = frame["previous"].where(frame["previous"] != 0)
    frame["change_pct"] = (frame["change"] / base).astype("Float64")
    frame = frame.sort_values(["value", "asset_title"], ascending=[False, True]).reset_index(drop=True)
    frame.insert(0, "rank", frame["value"].rank(method="min", ascending=False).astype("int64"))
    return frame


def _count_or_none(shown: str) -> float | None:
    return None if shown in ("*", "") else float(shown)


def funnel_steps(
    summary: Mapping[str, Any],
    tables: Mapping[str, pd.DataFrame],
    month: str,
    settings: Mapping[str, Any] | None = None,
) -> list[dict]:
    """The channel funnel: people reached → engaged visits → feedback answers → intend to change.

    The steps come from different sources and count different things (people estimated across
    channels, GA4 sessions, form answers), so a step is not a strict subset of the one before;
    each step names its source. Feedback counts are rounded under the NHS rule (1 to 7 → ``*``).

    Parameters
    ----------
    summary : Mapping
        :func:`monthly_summary` of ``month`` (its ``reach`` block).
    tables : Mapping of str to pandas.DataFrame
        Processed tables (``web_pages``, ``feedback``).
    month : str
        Reporting month.
    settings : Mapping, optional
        Settings (``suppression``; ``impact.intends_change_yes``).

    Returns
    -------
    list of dict
        ``step``, ``source``, ``unit``, ``value`` (float or None when suppressed or missing),
        ``shown`` (text), ``low`` and ``high`` (the interval, only for the reach step).
    """
    from reach.impact import INTENDS_CHANGE_YES, feedback_outcomes

    settings = settings or {}
    rule = _suppression(settings)
    combined = summary["reach"]["combined"]
    engagement = web_engagement_rate(tables["web_pages"], month)
    rows = _in_month(tables["feedback"], month)
    yes = (settings.get("impact") or {}).get("intends_change_yes", INTENDS_CHANGE_YES)
    coded = (
        feedback_outcomes(rows, intends_change_yes=yes) if len(rows) else pd.DataFrame({"intends_change": []})
    )
    intends = int(coded["intends_change"].astype("boolean").fillna(False).sum())
    answers = suppress_count(len(rows), rule["low"], rule["high"], rule["round_to"])
    intends_shown = suppress_count(intends, rule["low"], rule["high"], rule["round_to"])
    reached = combined.get("estimate")
    return [
        {
            "step": "People reached online",
            "source": "GA4, YouTube and Meta; an estimate, each person once",
            "unit": "people",
            "value": None if reached is None else float(reached),
            "shown": "–" if reached is None else format_value(reached, "people"),
            "low": combined.get("low"),
            "high": combined.get("high"),
        },
        {
            "step": "Engaged visits to the web pages",
            "source": "GA4; visitors who accept analytics cookies only",
            "unit": "sessions",
            "value": float(engagement["engaged"]),
            "shown": format_value(engagement["engaged"], "people"),
            "low": None,
            "high": None,
        },
        {
            "step": "Answered the feedback form",
            "source": "feedback form; rounded to 5",
            "unit": "answers",
            "value": _count_or_none(answers),
            "shown": answers,
            "low": None,
            "high": None,
        },
        {
            "step": "Said they will change something",
            "source": "feedback form; rounded to 5",
            "unit": "answers",
            "value": _count_or_none(intends_shown),
            "shown": intends_shown,
            "low": None,
            "high": None,
        },
    ]


def district_coverage(reach: Mapping[str, Any], suppression: Mapping[str, int] | None = None) -> pd.DataFrame:
    """Coverage of families with a newborn by district, ready to show, with disclosure control.

    District families reached are already rounded to 5 (:func:`reach.audience.reach_summary`);
    a district whose figure is 1 to 7 families is shown as ``*`` and its percentage and interval
    are hidden (a percentage from a suppressed numerator). Births are rounded by the NHS rule.

    Parameters
    ----------
    reach : Mapping
        The ``reach`` block of :func:`monthly_summary`.
    suppression : Mapping, optional
        The NHS rule's ``low``, ``high``, ``round_to``.

    Returns
    -------
    pandas.DataFrame
        One row per district: ``district``, ``code``, ``coverage``, ``low``, ``high`` (missing
        when hidden or not estimated), ``families`` and ``births`` (text as they may be shown),
        ``suppressed`` (bool).
    """
    rule = {"low": 1, "high": 7, "round_to": 5, **dict(suppression or {})}
    rows = []
    for item in reach.get("by_district", []):
        families, cov = item["reach"], item["coverage"]
        estimate = families.get("estimate")
        shown = suppress_count(estimate, rule["low"], rule["high"], rule["round_to"])
        hidden = shown == "*"
        rows.append(
            {
                "district": item["district"],
                "code": item["code"],
                "coverage": None if hidden else cov.get("estimate"),
                "low": None if hidden or cov.get("estimate") is None else cov.get("low"),
                "high": None if hidden or cov.get("estimate") is None else cov.get("high"),
                "families": shown or "–",
                "births": suppress_count(
                    cov.get("births_in_period"), rule["low"], rule["high"], rule["round_to"]
                ),
                "suppressed": hidden,
            }
        )
    frame = pd.DataFrame(
        rows, columns=["district", "code", "coverage", "low", "high", "families", "births", "suppressed"]
    )
    for column in ("coverage", "low", "high"):
        frame[column] = frame[column].astype("Float64")
    return frame


DAILY_TABLES = {
    "web_daily": "GA4 daily page views",
    "video_daily": "YouTube daily views by video",
    "channel_daily": "YouTube channel daily views",
}
MONTHLY_TABLES = {
    "web_pages": "GA4 Pages and screens",
    "web_city": "GA4 Town/City",
    "video": "YouTube videos",
    "social_posts": "Facebook posts",
    "feedback": "feedback form",
    "page_feedback": "page feedback widget",
}


def tracking_gaps(tables: Mapping[str, pd.DataFrame], month: str) -> list[str]:
    """Exports missing for the month and days missing from the daily series.

    Parameters
    ----------
    tables : Mapping of str to pandas.DataFrame
        Processed tables.
    month : str
        Reporting month.

    Returns
    -------
    list of str
        One phrase per gap, e.g. ``"GA4 daily page views: 3 of 31 days missing (5, 6 and 7 October)"``;
        empty when nothing is missing.
    """
    from reach.config import month_end, parse_month

    first = parse_month(month)
    days = pd.date_range(first, month_end(first), freq="D")
    gaps = []
    for name, label in MONTHLY_TABLES.items():
        frame = tables.get(name)
        if frame is not None and not (frame["month"] == month).any():
            gaps.append(f"{label}: no export for the month")
    for name, label in DAILY_TABLES.items():
        frame = tables.get(name)
        if frame is None:
            continue
        present = pd.to_datetime(frame.loc[frame["month"] == month, "date"]).dt.normalize().unique()
        if len(present) == 0:
            gaps.append(f"{label}: no export for the month")
            continue
        missing = [d for d in days if d not in set(present)]
        if missing:
            listed = ", ".join(str(d.day) for d in missing[:10]) + (" …" if len(missing) > 10 else "")
            gaps.append(f"{label}: {len(missing)} of {len(days)} days missing ({listed} {first:%B})")
    return gaps


def data_caveats(tables: Mapping[str, pd.DataFrame], month: str, summary: Mapping[str, Any]) -> list[dict]:
    """The data-quality caveats of the month in plain English, one per topic.

    Parameters
    ----------
    tables : Mapping of str to pandas.DataFrame
        Processed tables (``inputs``, ``quarantine``, ``restatements``, ``unmatched``, ``notes``
        and the daily and monthly tables).
    month : str
        Reporting month.
    summary : Mapping
        :func:`monthly_summary` of ``month`` (its ``data_quality`` and ``impact.notes``).

    Returns
    -------
    list of dict
        ``topic`` and ``text``, in the report's order: tracking gaps, rows set aside, unmatched
        assets, restated values, GA4 ``(other)`` rows and thresholding, file warnings, notes from
        reading the files, estimates not made.
    """
    quality = summary["data_quality"]
    out = []
    gaps = tracking_gaps(tables, month)
    out.append(
        {
            "topic": "Tracking gaps",
            "text": (
                "; ".join(gaps) + ". Figures for those sources cover only the days or exports that exist."
                if gaps
                else f"None found: every daily series covers all days of {month_label(month)} and every monthly "
                "export is present."
            ),
        }
    )
    quarantined = int(quality["quarantined_rows"])
    out.append(
        {
            "topic": "Rows set aside",
            "text": (
                f"{quarantined} rows could not be used and were set aside (quarantined); each is listed below with "
                "its file, line and reason, so none is lost silently."
                if quarantined
                else "No row was set aside: every row of every export could be read."
            ),
        }
    )
    unmatched = tables["unmatched"]
    this_month = unmatched[unmatched["month"] == month]
    views = this_month.loc[this_month["measure"] == "views", "value"].astype("float64").sum()
    out.append(
        {
            "topic": "Pages, videos and posts not in the asset registry",
            "text": (
                f"{len(this_month)} identifiers this month ({views:,.0f} views) are not in the asset registry, so they "
                "are not counted in any figure. If any is safer-sleep material, add it to the registry (assets.csv)."
                if len(this_month)
                else "Every page, video, post and campaign tag this month is in the asset registry."
            ),
        }
    )
    restated = tables["restatements"]
    ga4 = int(restated["table"].astype("str").str.startswith("web").sum()) if len(restated) else 0
    out.append(
        {
            "topic": "Restated values",
            "text": (
                f"{len(restated)} values were changed by a later export ({ga4} of them GA4 days or pages, which GA4 "
                "can restate for a few days after the event); the later value is used and each is listed below."
                if len(restated)
                else "No value was changed by a later export (GA4 can restate recent days; none was)."
            ),
        }
    )
    inputs = tables["inputs"]
    raw = inputs[(inputs["role"] == "raw export") & inputs["path"].str.startswith(f"{month}/")]
    warnings = raw["warnings"].fillna("").astype("str")
    folded = raw[warnings.str.contains(r"\(other\)|threshold", case=False, regex=True)]
    out.append(
        {
            "topic": "GA4 '(other)' rows and thresholding",
            "text": (
                f"In {len(folded)} of this month's files GA4 folded rare rows into '(other)' or withheld small "
                "rows for privacy (thresholding), so rows for single pages or towns may be incomplete: "
                + "; ".join(folded["path"].astype("str"))
                + "."
                if len(folded)
                else "No export this month has a GA4 '(other)' row or a thresholding warning."
            ),
        }
    )
    with_warnings = int((warnings != "").sum())
    out.append(
        {
            "topic": "Warnings when reading the files",
            "text": (
                f"{with_warnings} of the {len(raw)} files for this month had warnings; they are in the file table below."
                if with_warnings
                else f"None of the {len(raw)} files for this month had a warning."
            ),
        }
    )
    notes = tables["notes"]
    for record in notes.itertuples(index=False):
        out.append({"topic": f"Note on {record.source}", "text": str(record.note)})
    for note in (summary.get("impact") or {}).get("notes", []):
        out.append({"topic": "Not estimated", "text": str(note)})
    return out
