"""What the quarter, year and campaign reports show: banner, plain-English findings and tables.

Pure functions of a period's ``summary.json`` (:func:`reach.summary.period.period_summary`); the
period and campaign notebooks only call them.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import pandas as pd
from IPython.display import HTML

from reach.core.formatting import format_value
from reach.core.months import month_label
from reach.report.tables import table

CHANNEL_NAMES = {"web": "Web pages (GA4)", "video": "Videos (YouTube)", "social": "Facebook posts (Meta)"}
SHORT_NAMES = {"web": "web pages", "video": "videos", "social": "Facebook posts"}


def _people(value: object) -> str:
    return "–" if value is None else format_value(float(value), "people")


def reach_range(item: Mapping[str, Any] | None) -> str:
    """A reach figure in words: "between x and y" (an upper limit not known says so).

    Examples
    --------
    >>> reach_range({"low": 747, "high": 10057, "estimate": None})
    'between 747 and 10,057 people'
    >>> reach_range({"low": 70, "high": None, "estimate": None})
    'at least 70 people (no upper limit: a month has no export)'
    >>> reach_range(None)
    'not measured'
    """
    if item is None or item.get("low") is None:
        return "not measured"
    if item.get("high") is None:
        return f"at least {_people(item['low'])} people (no upper limit: a month has no export)"
    if item.get("estimate") is not None and item["low"] != item["high"]:
        best = _people(item["estimate"])
        return f"between {_people(item['low'])} and {_people(item['high'])} people (best estimate {best})"
    if item["low"] == item["high"]:
        return f"{_people(item['low'])} people"
    return f"between {_people(item['low'])} and {_people(item['high'])} people"


def banner(summary: Mapping[str, Any]) -> HTML:
    """The banner at the top of a period report: loud for sample data, and "to date" for a year in progress."""
    period = summary["period"]
    when = html.escape(period["label"])
    to_date = (
        f" The period is not over: figures run to the end of {html.escape(month_label(period['months'][-1]))}."
        if period.get("to_date")
        else ""
    )
    if summary.get("sample"):
        return HTML(
            '<div class="reach-banner reach-banner-sample" role="note">'
            "<strong>SAMPLE DATA — not real figures.</strong> This report was made from the synthetic sample "
            f"bundled with <code>reach</code> for {when}. Do not quote any number from it.{to_date}</div>"
        )
    return HTML(f'<div class="reach-banner" role="note">Figures for {when}.{to_date}</div>')


def period_findings(summary: Mapping[str, Any]) -> list[str]:
    """At most five plain-English findings for a period, every number with its range or interval.

    Examples
    --------
    >>> s = {"period": {"label": "July to September 2026", "months": ["2026-07", "2026-08", "2026-09"]},
    ...      "reach": {"combined": {"low": 747, "high": 10057, "estimate": None}, "sum_of_months": 10173,
    ...                "channels": {"web": None, "video": None, "social": None}, "by_month": []},
    ...      "feedback": {"helpful": {"estimate": None, "reason": "nobody answered the feedback form"}}}
    >>> period_findings(s)[0]
    'Over July to September 2026, between 747 and 10,057 people saw at least one safer-sleep web page, video or post.'
    >>> period_findings(s)[1][:60]
    'People who came back in several months are counted once: the'
    """
    reach = summary["reach"]
    label = summary["period"]["label"]
    if summary["period"].get("kind") == "campaign":
        # the exports are monthly, so a campaign's reach covers the whole months it touches
        label = f"{summary['months_label']}, the months {label} falls in"
    out = [
        f"Over {label}, {reach_range(reach['combined'])} saw at least one safer-sleep web page, video or post."
    ]
    total, high = reach.get("sum_of_months"), reach["combined"].get("high")
    if total is not None and high is not None:
        out.append(
            "People who came back in several months are counted once: the upper limit is "
            f"{_people(high)}, against {_people(total)} if each month's upper limit were added up."
        )
    parts = [
        f"{SHORT_NAMES[c]} {reach_range(reach['channels'][c])}"
        for c in ("web", "video", "social")
        if reach["channels"].get(c) is not None
    ]
    if parts:
        out.append("By channel: " + "; ".join(parts) + ".")
    helpful = summary["feedback"]["helpful"]
    if helpful.get("estimate") is not None:
        out.append(
            f"{format_value(helpful['estimate'], 'share')} of the feedback-form answers over the period found the "
            f"information helpful (95% interval {format_value(helpful['low'], 'share')} to "
            f"{format_value(helpful['high'], 'share')}; {helpful['n']} answers)."
        )
    else:
        out.append(f"The share finding the information helpful is not shown: {helpful.get('reason')}.")
    return out[:5]


def reach_frame(summary: Mapping[str, Any]) -> pd.DataFrame:
    """People reached over the period, per channel and combined: lower and upper limits and how each is known.

    Examples
    --------
    >>> s = {"reach": {"channels": {"web": {"low": 5, "high": 9, "kind": "bound"}, "video": None,
    ...                             "social": None}, "combined": {"low": 5, "high": None, "kind": "bound"}}}
    >>> reach_frame(s)["Upper limit"].tolist()
    ['9', '–', '–', 'not known']
    """
    reach = summary["reach"]
    rows = []
    for channel, name in CHANNEL_NAMES.items():
        item = reach["channels"].get(channel)
        rows.append(
            {
                "Channel": name,
                "Lower limit": _people(item["low"]) if item else "–",
                "Upper limit": _people(item["high"]) if item else "–",
                "What it is": "range"
                if item and item["kind"] == "bound"
                else ("count" if item else "no export"),
            }
        )
    comb = reach["combined"]
    rows.append(
        {
            "Channel": "Any channel (people counted once)",
            "Lower limit": _people(comb["low"]),
            "Upper limit": "not known" if comb["high"] is None else _people(comb["high"]),
            "What it is": "range",
        }
    )
    return pd.DataFrame(rows, columns=["Channel", "Lower limit", "Upper limit", "What it is"])


def month_frame(summary: Mapping[str, Any]) -> pd.DataFrame:
    """Each month's people reached by any channel, and the sum of the months' upper limits beside the period's.

    Examples
    --------
    >>> s = {"reach": {"by_month": [{"month": "2026-08", "low": 5, "high": 9}], "sum_of_months": 9,
    ...                "combined": {"low": 5, "high": 9}}, "period": {"label": "August 2026"}}
    >>> month_frame(s)["Month"].tolist()
    ['August 2026', 'Sum of the months', 'August 2026, people counted once']
    """
    reach = summary["reach"]
    rows = [
        {
            "Month": month_label(row["month"]),
            "Lower limit": _people(row["low"]),
            "Upper limit": _people(row["high"]),
        }
        for row in reach["by_month"]
    ]
    rows.append(
        {"Month": "Sum of the months", "Lower limit": "–", "Upper limit": _people(reach["sum_of_months"])}
    )
    rows.append(
        {
            "Month": f"{summary['period']['label']}, people counted once",
            "Lower limit": _people(reach["combined"]["low"]),
            "Upper limit": _people(reach["combined"]["high"]),
        }
    )
    return pd.DataFrame(rows, columns=["Month", "Lower limit", "Upper limit"])


def reach_table(summary: Mapping[str, Any]) -> HTML:
    """:func:`reach_frame` as an accessible table."""
    return table(reach_frame(summary), f"People reached over {summary['period']['label']}, by channel")


def month_table(summary: Mapping[str, Any]) -> HTML:
    """:func:`month_frame` as an accessible table."""
    return table(month_frame(summary), "People reached by any channel, month by month and over the period")
