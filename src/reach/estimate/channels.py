"""People reached per channel (web, video, social) from platform counts.

With the consent adjustment for web visitors and the viewing adjustment for video.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from reach.config import ReachSettings, resolve_settings
from reach.core.intervals import _z
from reach.core.months import period_dates, reporting_months
from reach.estimate.base import CHANNELS, _month_rows, _r, bounds_midpoint

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


def allow_several_devices(reach: Mapping[str, Any] | None, users_per_person_max: float) -> dict | None:
    """A channel's people reached when one person may count as up to ``users_per_person_max`` users.

    GA4 users and YouTube viewers are browsers and devices, not people: someone on a phone and
    a laptop, or who clears cookies, counts more than once. The upper limit stands (each person
    counts at least once); the lower limit is divided by the allowance. The best estimate is
    kept as the platform gives it (for the sensitivities); the summary shows such a channel as a
    bound, without it.

    Parameters
    ----------
    reach : Mapping or None
        A reach R.
    users_per_person_max : float
        The most platform users one person may count as (1 = one device each).

    Returns
    -------
    dict or None
        The R with the lower limit lowered and the method saying so (None stays None).

    Examples
    --------
    >>> allow_several_devices({"estimate": 500, "low": 500, "high": 500, "method": "YouTube"}, 1.25)["low"]
    400
    """
    if reach is None or users_per_person_max <= 1 or reach["low"] is None:
        return None if reach is None else dict(reach)
    estimate = None if reach["estimate"] is None else reach["estimate"]
    return _r(
        estimate,
        reach["low"] / users_per_person_max,
        reach["high"],
        f"{reach['method']}; lower limit allows one person to count as up to {users_per_person_max:g} users "
        "(several devices, cleared cookies)",
    )


def _page_users_and_views(
    web_pages: pd.DataFrame, month: str, assets: Iterable[str] | None
) -> tuple[pd.Series, float]:
    """Tracked users per asset page and their total views in the month."""
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
    return users, views


def _bigquery_users(web_users: pd.DataFrame | None, month: str, assets: Iterable[str] | None) -> pd.DataFrame:
    """The month's BigQuery distinct-user rows that cover the asset pages asked for."""
    bq = _month_rows(web_users, month) if web_users is not None else pd.DataFrame()
    if len(bq) and assets is None and "asset_id" in bq.columns:
        bq = bq[bq["asset_id"].isna()]
    elif len(bq) and assets is not None and "asset_id" in bq.columns:
        bq = bq[bq["asset_id"].isin(list(assets))] if len(list(assets)) == 1 else bq.iloc[0:0]
    return bq


def _tracked_from_pages(
    users: pd.Series,
    web_city: pd.DataFrame | None,
    month: str,
    assets: Iterable[str] | None,
    city_total_tolerance: float,
) -> tuple[float, float, float, str]:
    """Tracked users from the Town/City total within the page bounds, or from the page bounds alone."""
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
    return t, t_low, t_high, source


def _web_frequency(views: float, t: float, t_low: float, t_high: float) -> dict | None:
    """Views per tracked user with its interval, or None without users or views."""
    frequency = None
    if t_low > 0 and views:
        frequency = {
            "estimate": views / t,
            "low": views / t_high,
            "high": views / t_low,
            "note": "views per tracked user (GA4, consenting visitors)",
        }
    return frequency


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
        ``{"low": …, "high": …}``; default from :class:`~reach.config.ReachSettings`.
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
    consent = consent_rate or ReachSettings().consent_rate
    users, views = _page_users_and_views(web_pages, month, assets)
    bq = _bigquery_users(web_users, month, assets)
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
        t, t_low, t_high, source = _tracked_from_pages(users, web_city, month, assets, city_total_tolerance)
    reach = consent_adjusted(t, t_low, t_high, consent["low"], consent["high"], level, source)
    tracked = _r(t, t_low, t_high, source)
    return {
        "reach": reach,
        "tracked": tracked,
        "views": views,
        "frequency": _web_frequency(views, t, t_low, t_high),
        "pages": int(len(users)),
        "source": source,
    }


def _views_upper_bound_reach(
    views: float, max_views_per_viewer: float, typical_views_per_viewer: float | None
) -> dict:
    """Reach when only views exist: views as the upper limit, ``views ÷ max_views_per_viewer`` the lower."""
    low = views / max_views_per_viewer
    estimate = views / typical_views_per_viewer if typical_views_per_viewer else bounds_midpoint(low, views)
    return _r(
        estimate,
        low,
        views,
        f"upper bound: views (no viewer counts exported; lower limit assumes at most "
        f"{max_views_per_viewer:g} views per viewer)",
    )


def _video_frequency(views: float, reach: Mapping[str, Any]) -> dict | None:
    """Views per viewer with its interval, or None without a positive lower limit or views."""
    frequency = None
    if reach["low"] and views:
        frequency = {
            "estimate": views / max(reach["estimate"], 1),
            "low": views / reach["high"],
            "high": views / reach["low"],
            "note": "views per viewer",
        }
    return frequency


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
        reach = _views_upper_bound_reach(views, max_views_per_viewer, typical_views_per_viewer)
        flag = "views_upper_bound"
    elif len(rows):
        reach = _r(0, 0, 0, "no views")
    else:
        return {"reach": None, "views": None, "frequency": None, "flag": None, "source": "no YouTube export"}
    frequency = _video_frequency(views, reach)
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
    limits (no one came back), method ``"bounds from monthly exports"``; for the web the consent
    adjustment is applied once to the period's tracked users (:func:`months_reach`). A month
    without an export leaves the upper limit unknown (None).

    Parameters
    ----------
    tables : Mapping of str to pandas.DataFrame
        Processed tables.
    month : str
        Last month of the period.
    period : {"month", "rolling_3", "fytd"}
        See :func:`reach.core.months.reporting_months`.
    settings : Mapping, optional
        Output of :func:`resolve_settings` (defaults otherwise).

    Returns
    -------
    dict
        ``period`` ({start, end}), ``months``, and per channel (web, video, social) the month's
        channel dict (one month) or ``{"reach": R, "missing_months": [...]}``.
    """
    cfg = settings if settings is not None and "consent_rate" in settings else resolve_settings(settings)
    months = reporting_months(month, period)
    start, end = period_dates(months)
    out: dict[str, Any] = {"period": {"start": start.isoformat(), "end": end.isoformat()}, "months": months}
    if len(months) == 1:
        out.update(_month_channels(tables, month, cfg))
        return out
    out.update({k: v for k, v in months_reach(tables, months, cfg).items() if k != "monthly"})
    return out


def _web_over_months(
    monthly: list[Mapping[str, Any]], months: list[str], cfg: Mapping[str, Any], start: Any, end: Any
) -> dict | None:
    """Web people over several months: tracked users bounded over the months, consent-adjusted once.

    Tracked distinct users over the period lie between the largest month's lower limit and the
    sum of the months' upper limits; the consent range and its sampling error are then applied
    to the period's tracked users as one count (``√`` of a sum is below the sum of ``√``), so
    the upper limit is below the sum of the monthly upper limits whenever there is sampling
    error to share. None when no month has a tracked count.
    """
    tracked = [(m, d["web"].get("tracked")) for m, d in zip(months, monthly, strict=True)]
    present = [t for _, t in tracked if t is not None and t["low"] is not None]
    if not present:
        return None
    missing = [m for m, t in tracked if t is None or t["low"] is None]
    t_low = max(t["low"] for t in present)
    t_high = None if missing else sum(t["high"] for t in present)
    t_point = bounds_midpoint(max(t["estimate"] for t in present), sum(t["estimate"] for t in present))
    consent = cfg["consent_rate"]
    source = (
        f"GA4 tracked users over {start:%d %b %Y}–{end:%d %b %Y} (no export covers the period as a whole: "
        "largest month to sum of months; geometric midpoint)"
    )
    adjusted = consent_adjusted(
        t_point,
        t_low,
        t_high if t_high is not None else t_low,
        consent["low"],
        consent["high"],
        cfg["level"],
        source,
    )
    method = f"bounds from monthly exports: {adjusted['method']}, applied once to the period's tracked users"
    if missing:
        method += f"; no export for {', '.join(missing)}, so no upper limit"
        return {"reach": _r(adjusted["estimate"], adjusted["low"], None, method), "missing_months": missing}
    return {
        "reach": _r(adjusted["estimate"], adjusted["low"], adjusted["high"], method),
        "missing_months": [],
    }


def months_reach(
    tables: Mapping[str, pd.DataFrame], months: list[str], settings: Mapping | None = None
) -> dict:
    """Per-channel reach over any run of calendar months: distinct people, never the sum of months.

    No processed export covers several months as a whole, so each channel is a bound: from the
    largest monthly lower limit (everyone in the busiest month came back every month) to the sum
    of the monthly upper limits (no one came back). For the web the bound is taken on GA4's
    tracked users and the consent adjustment is applied once to the period
    (:func:`_web_over_months`), which shares the sampling error between the months. A month
    without an export leaves the upper limit unknown (None).

    Parameters
    ----------
    tables : Mapping of str to pandas.DataFrame
        Processed tables covering the months.
    months : list of str
        The months, oldest first.
    settings : Mapping, optional
        Output of :func:`resolve_settings` (defaults otherwise).

    Returns
    -------
    dict
        Per channel (web, video, social) ``{"reach": R or None, "missing_months": [...]}``, and
        ``monthly``: each month's channel dicts (:func:`channel_reach` for one month).

    Examples
    --------
    >>> import pandas as pd
    >>> posts = pd.DataFrame({"month": ["2026-08", "2026-09"], "post_id": ["1", "2"], "views": [1, 1],
    ...                       "reach": [40, 70], "asset_id": ["s", "s"]})
    >>> r = months_reach({"social_posts": posts}, ["2026-08", "2026-09"])["social"]["reach"]
    >>> r["low"], r["high"]
    (70, 110)
    """
    cfg = settings if settings is not None and "consent_rate" in settings else resolve_settings(settings)
    start, end = period_dates(months)
    monthly = [_month_channels(tables, m, cfg) for m in months]
    out: dict[str, Any] = {"monthly": dict(zip(months, monthly, strict=True))}
    if len(months) == 1:  # one month: the month's own figures
        out.update({c: {"reach": monthly[0][c]["reach"], "missing_months": [] if monthly[0][c]["reach"] else months}
                    for c in CHANNELS})  # fmt: skip
        return out
    for channel in CHANNELS:
        values = [(m, d[channel]["reach"]) for m, d in zip(months, monthly, strict=True)]
        present = [r for _, r in values if r is not None]
        missing = [m for m, r in values if r is None]
        if not present:
            out[channel] = {"reach": None, "missing_months": missing}
            continue
        if channel == "web":
            web = _web_over_months(monthly, months, cfg, start, end)
            if web is not None:
                out[channel] = web
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
