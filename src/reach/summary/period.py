"""The headline figures of a quarter, a financial year or a campaign, as written to ``summary.json``.

Reach over a period is distinct people over the period, never the sum of its months: each channel
is bounded over the months (:func:`reach.estimate.channels.months_reach`) and the channels are
combined as for a month (:func:`reach.summary.reach.combined_bound`). Beside it the summary lists
each month's combined reach and the sum of their upper limits, so a reader can see how much the
period-level estimate saves over adding months up.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from reach.config import resolve_settings, setting
from reach.core.months import month_label
from reach.core.periods import ReportPeriod, from_key, up_to
from reach.estimate.base import CHANNELS
from reach.estimate.channels import allow_several_devices, months_reach
from reach.summary.glance import helpful_share
from reach.summary.reach import combined_bound

#: What each channel's reach over a period counts.
PERIOD_WINDOWS = {
    "web": "people active on the safer-sleep web pages in any month of the period",
    "video": "people who watched the safer-sleep videos in any month of the period",
    "social": "lifetime reach, up to the day of each export, of the safer-sleep posts published in the period",
}

#: The tables whose ``month`` column says which months have data.
_DATA_TABLES = ("web_pages", "video", "social_posts", "feedback")


def last_data_month(tables: Mapping[str, pd.DataFrame]) -> str | None:
    """The latest month any export table has rows for (None when the tables are empty).

    Examples
    --------
    >>> last_data_month({"web_pages": pd.DataFrame({"month": ["2026-09", "2026-10"]})})
    '2026-10'
    """
    found = [
        str(frame["month"].dropna().max())
        for name in _DATA_TABLES
        if (frame := tables.get(name)) is not None and len(frame) and "month" in frame.columns
    ]
    return max(found) if found else None


def resolve_period(key: str, tables: Mapping[str, pd.DataFrame]) -> ReportPeriod:
    """The period a notebook parameter names, cut at the last month the processed tables hold.

    Parameters
    ----------
    key : str
        ``2026-Q3``, ``FY2026-27`` (or ``2026-27``), ``campaign-<id>``.
    tables : Mapping of str to pandas.DataFrame
        Processed tables (``reference_campaigns`` for a campaign).

    Returns
    -------
    reach.core.periods.ReportPeriod
        With ``to_date`` True when the period runs past the data (a year in progress).

    Examples
    --------
    >>> tables = {"web_pages": pd.DataFrame({"month": ["2026-10"]})}
    >>> resolve_period("2026-27", tables).label
    'financial year 2026-27 to date (April 2026 to October 2026)'
    """
    campaigns = tables.get("reference_campaigns")
    rows = campaigns.to_dict("records") if campaigns is not None else []
    period = from_key(key, rows)
    last = last_data_month(tables)
    return up_to(period, last) if last else period


def _channel_block(channel: str, r: Mapping[str, Any] | None, missing: Sequence[str]) -> dict | None:
    """A channel's period reach with ``kind``, ``window`` and ``missing_months`` (None without any export)."""
    if r is None:
        return None
    kind = "estimate" if r["low"] == r["high"] else "bound"
    method = r["method"].replace("; geometric midpoint", "")
    return {
        **r,
        "estimate": r["estimate"] if kind == "estimate" else None,
        "method": method,
        "kind": kind,
        "window": PERIOD_WINDOWS[channel],
        "missing_months": list(missing),
    }


def _month_combined(monthly: Mapping[str, Any], users_per_person: float) -> dict:
    """One month's combined reach, as its monthly summary gives it (devices allowance included)."""
    reach = {c: monthly[c]["reach"] for c in CHANNELS}
    for c in ("web", "video"):
        reach[c] = allow_several_devices(reach[c], users_per_person)
    bound = combined_bound(reach)
    return {"low": bound["low"], "high": bound["high"]}


def period_reach(
    tables: Mapping[str, pd.DataFrame], months: Sequence[str], settings: Mapping[str, Any] | None = None
) -> dict:
    """People reached over a run of months: per channel and combined, with each month's figure beside it.

    Parameters
    ----------
    tables : Mapping of str to pandas.DataFrame
        Processed tables covering the months.
    months : sequence of str
        The period's months, oldest first.
    settings : Mapping, optional
        Settings (the ``reach:`` section and ``confidence_level`` are used).

    Returns
    -------
    dict
        ``channels`` (web, video, social: R with ``kind``, ``window``, ``missing_months``; None
        without any export), ``combined`` (a bound over the period), ``by_month`` (each month's
        combined ``low`` and ``high``), ``sum_of_months`` (the sum of the months' combined
        upper limits, None if one is unknown) and ``saving`` (how far the period's upper limit is
        below that sum, None if either is unknown).

    Examples
    --------
    >>> posts = pd.DataFrame({"month": ["2026-08", "2026-09"], "post_id": ["1", "2"], "views": [1, 1],
    ...                       "reach": [40, 70], "asset_id": ["s", "s"]})
    >>> out = period_reach({"social_posts": posts}, ["2026-08", "2026-09"])
    >>> out["channels"]["social"]["low"], out["channels"]["social"]["high"], out["combined"]["high"]
    (70, 110, None)
    """
    cfg = resolve_settings(settings)
    over = months_reach(tables, list(months), cfg)
    per_person = float(cfg["users_per_person_max"])
    reach = {c: over[c]["reach"] for c in CHANNELS}
    for c in ("web", "video"):
        reach[c] = allow_several_devices(reach[c], per_person)
    combined = combined_bound(reach)
    by_month = [{"month": m, **_month_combined(over["monthly"][m], per_person)} for m in months]
    highs = [row["high"] for row in by_month]
    total = None if any(h is None for h in highs) else sum(highs)
    saving = None if total is None or combined["high"] is None else total - combined["high"]
    return {
        "channels": {c: _channel_block(c, reach[c], over[c]["missing_months"]) for c in CHANNELS},
        "combined": {
            **combined,
            "kind": "bound" if combined["low"] is not None else "not measured",
            "window": "web and video activity in the period's months, plus the lifetime reach of its posts",
            "assumptions": [
                "each channel's own limits hold over the period (see each channel)",
                "nothing is assumed about how the channels overlap, or how many people came back month after month",
            ],
        },
        "by_month": by_month,
        "sum_of_months": total,
        "saving": saving,
        "evidence": (
            "No export covers the period as a whole and none de-duplicates people across months, so each "
            "channel is a range from its busiest month to the sum of its months. Only the web range is "
            "narrower than adding months up: the analytics-consent adjustment is applied once to the "
            "period's tracked users, so its sampling allowance is not added month by month. A GA4 or "
            "YouTube export of the whole period would narrow it further."
        ),
    }


def period_helpful(
    feedback: pd.DataFrame, months: Sequence[str], level: float = 0.95, suppression: Mapping | None = None
) -> dict:
    """Share of feedback-form answers over the period finding the information helpful (answers pooled).

    Answers are pooled over the months (an answer is counted once, in the month it was given),
    with the same disclosure control as a month (:func:`reach.summary.glance.helpful_share`).

    Examples
    --------
    >>> fb = pd.DataFrame({"month": ["2026-08"] * 20 + ["2026-09"] * 20,
    ...                    "helpful": ["Yes"] * 30 + ["No"] * 10})
    >>> period_helpful(fb, ["2026-08", "2026-09"])["estimate"]
    0.75
    """
    rows = feedback[feedback["month"].isin(list(months))] if len(feedback) else feedback
    pooled = rows.assign(month="period")
    out = helpful_share(pooled, "period", level, suppression)
    return {k: v for k, v in out.items() if not k.startswith("_")}


def campaign_impact(impact: Mapping[str, Any], campaign_id: str) -> dict:
    """The ``impact`` block cut down to one campaign: its window, time-series and counterfactual rows.

    Examples
    --------
    >>> block = {"level": 0.95, "campaigns": [{"campaign": "a"}, {"campaign": "b"}],
    ...          "its": [{"series": "web_daily_views:a"}, {"series": "partner:x"}],
    ...          "counterfactual": [{"campaign": "b"}]}
    >>> cut = campaign_impact(block, "a")
    >>> len(cut["campaigns"]), len(cut["its"]), len(cut["counterfactual"])
    (1, 1, 0)
    """
    return {
        "level": impact.get("level"),
        "campaigns": [row for row in impact.get("campaigns") or [] if row.get("campaign") == campaign_id],
        "its": [
            row for row in impact.get("its") or [] if str(row.get("series", "")).endswith(f":{campaign_id}")
        ],
        "counterfactual": [
            row for row in impact.get("counterfactual") or [] if row.get("campaign") == campaign_id
        ],
    }


def period_summary(
    tables: Mapping[str, pd.DataFrame],
    period: ReportPeriod,
    sample: bool,
    settings: Mapping[str, Any] | None = None,
    impact: Mapping[str, Any] | None = None,
) -> dict:
    """The headline figures of a period, as written to its ``summary.json``.

    Parameters
    ----------
    tables : Mapping of str to pandas.DataFrame
        Processed tables covering the period's months.
    period : reach.core.periods.ReportPeriod
        The period (from :func:`resolve_period`).
    sample : bool
        True for the bundled synthetic sample.
    settings : Mapping, optional
        Settings from the processed tables' ``settings.json``.
    impact : Mapping, optional
        For a campaign: the ``impact`` block of its last month, cut to the campaign
        (:func:`campaign_impact`).

    Returns
    -------
    dict
        ``last_month`` (the last month with data), ``kind``
        ``"period"``, ``sample``, ``period`` (``start``, ``end``, ``kind``, ``key``, ``label``,
        ``months``, ``to_date``), ``reach`` (:func:`period_reach`), ``feedback`` (``helpful``:
        :func:`period_helpful`) and ``impact`` (the campaign's rows, or empty).
    """
    settings = settings or {}
    level = float(setting(settings, "confidence_level"))
    months = period.months
    return {
        "last_month": months[-1],
        "kind": "period",
        "sample": bool(sample),
        "period": period.as_dict(),
        "months_label": month_label(months[0])
        if len(months) == 1
        else f"{month_label(months[0])} to {month_label(months[-1])}",
        "reach": period_reach(tables, months, settings),
        "feedback": {
            "helpful": period_helpful(tables["feedback"], months, level, setting(settings, "suppression")),
        },
        "impact": dict(impact or {}),
    }
