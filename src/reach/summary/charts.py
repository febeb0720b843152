"""The numbers behind each report chart: helpful trend, asset league, funnel, districts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from reach.config import INTENDS_CHANGE_YES
from reach.core.disclosure import NHS_RULE, suppress_count
from reach.core.formatting import format_value
from reach.core.intervals import wilson_interval
from reach.core.months import previous_months
from reach.estimate.base import _month_rows
from reach.estimate.engagement import web_engagement_rate
from reach.estimate.outtakes import feedback_outcomes, overall_share_withheld, share_hidden
from reach.summary.glance import _suppression

# ---------------------------------------------------------------------------------------------
# Numbers behind the report's charts: trend with intervals, asset league, funnel,
# district comparison, and the data-quality caveats
# ---------------------------------------------------------------------------------------------


def helpful_trend(
    feedback: pd.DataFrame,
    month: str,
    months: int = 24,
    level: float = 0.95,
    suppression: Mapping[str, int] | None = None,
    min_n: int = 10,
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
    min_n : int
        Fewest answers for a share (``impact.outtakes_min_n``).

    Returns
    -------
    pandas.DataFrame
        One row per month, oldest first: ``month``, ``estimate``, ``low``, ``high`` (missing when
        nobody answered or the figure is withheld under the disclosure rule, exactly as the
        out-takes withhold that month's share: :func:`reach.estimate.outtakes.overall_share_withheld`) and ``answers`` (the
        number answering as it may be shown: rounded to 5, ``*`` for 1 to 7).
    """
    rule = {**NHS_RULE, **dict(suppression or {})}
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
        hidden = shown == "*" or share_hidden(k, n, rule)
        if n and not hidden:
            # As the out-takes decide it: also withheld when its breakdowns would give a count back.
            hidden = overall_share_withheld(feedback, wanted[index], "helpful", min_n=min_n, level=level,
                                            suppression=rule)  # fmt: skip
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
        Per-asset tables for this month and the month before (from
        :func:`reach.estimate.engagement.by_asset`): ``asset_id``, ``asset_title`` and ``value``.
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
    settings = settings or {}
    rule = _suppression(settings)
    combined = summary["reach"]["combined"]
    engagement = web_engagement_rate(tables["web_pages"], month)
    rows = _month_rows(tables["feedback"], month)
    yes = (settings.get("impact") or {}).get("intends_change_yes", INTENDS_CHANGE_YES)
    coded = (
        feedback_outcomes(rows, intends_change_yes=yes) if len(rows) else pd.DataFrame({"intends_change": []})
    )
    intends = int(coded["intends_change"].astype("boolean").fillna(False).sum())
    answers = suppress_count(len(rows), rule["low"], rule["high"], rule["round_to"])
    intends_shown = suppress_count(intends, rule["low"], rule["high"], rule["round_to"])
    reached = combined.get("estimate")
    if reached is None:
        reached = combined.get("low")  # a range: the bar shows its lower end, the line the rest
    shown = "–" if reached is None else format_value(reached, "people")
    if combined.get("estimate") is None and reached is not None:
        shown = f"at least {shown}"
    return [
        {
            "step": "People reached online",
            "source": "GA4, YouTube and Meta; each person once, a range whatever the overlap",
            "unit": "people",
            "value": None if reached is None else float(reached),
            "shown": shown,
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

    District families reached are already rounded to 5 (:func:`reach.summary.reach.reach_summary`);
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
    rule = {**NHS_RULE, **dict(suppression or {})}
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
                "low": None if hidden else cov.get("low"),
                "high": None if hidden else cov.get("high"),
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
