"""The At a glance tiles.

Each headline figure for the month, last month and a year before, and its status against the
targets.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from reach.config import setting
from reach.core.disclosure import NHS_RULE, suppress_count
from reach.core.formatting import format_value
from reach.core.months import month_label, shift_month
from reach.estimate.engagement import (
    compare_intervals,
    compare_proportions,
    engagement_rate_change,
    feedback_summary,
    web_engagement_rate,
)
from reach.estimate.multiplicity import verdict_of
from reach.estimate.outtakes import overall_share_withheld, share_hidden
from reach.summary import reach as reach_mod

# ---------------------------------------------------------------------------------------------
# At a glance: each tile's figure for the month, the month before and a year before,
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


def _suppression(settings: Mapping[str, Any]) -> dict:
    rule = {**NHS_RULE, **dict(settings.get("suppression") or {})}
    return {key: int(rule[key]) for key in ("low", "high", "round_to")}


def helpful_share(
    feedback: pd.DataFrame, month: str, level: float = 0.95, suppression: Mapping | None = None
) -> dict:
    """Share of feedback-form answers saying the information was helpful, with disclosure control.

    The percentage is withheld when the number answering, the number saying yes or the number
    not saying yes is 1 to 7 (NHS rule: a percentage from which a hidden count could be worked
    back is hidden; :func:`reach.estimate.outtakes.share_hidden`).

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
    rule = {**NHS_RULE, **dict(suppression or {})}
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
    elif share_hidden(successes, trials, rule):
        out["reason"] = (
            f"fewer than {rule['high'] + 1} people gave an answer behind the percentage, too few to show safely"
        )
    elif overall_share_withheld(feedback, month, "helpful", level=level, suppression=rule):
        # As the out-takes decide it (fewer than 10 answers, or a small count given back by the
        # breakdowns by district and respondent type), so every output withholds it alike.
        out["reason"] = "withheld, as in the out-takes table, so that no count of 1 to 7 can be worked out"
    if out["reason"]:
        out.update({"estimate": None, "low": None, "high": None})
    return out


def _reach_value(block: Mapping[str, Any]) -> dict:
    comb = block.get("combined") or {}
    value = {k: comb.get(k) for k in ("estimate", "low", "high")}
    value["method"] = comb.get("method", "")
    value["reason"] = None
    if value["low"] is None:
        value["reason"] = "no web, video or social export for this month"
    elif value["high"] is None:
        value["reason"] = "only one limit could be set: " + str(value["method"])
    return value


def _coverage_value(block: Mapping[str, Any]) -> dict:
    cov = block.get("coverage") or {}
    value = {k: cov.get(k) for k in ("estimate", "low", "high")}
    value["births"] = cov.get("births_in_period")
    value["method"] = "health visitors' prompted recall at the new-birth visit, weighted by district births"
    value["reason"] = None
    if value["low"] is None or value["high"] is None:
        value.update({"estimate": None, "low": None, "high": None})
        value["reason"] = "not measured: no health-visiting new-birth recall return for this month"
    return value


def _campaign_value(impact: Mapping[str, Any] | None) -> tuple[dict, dict | None, dict | None]:
    """The latest campaign's primary relative effect, the campaign, and the one before it.

    Each campaign's figure is its prespecified primary answer: the counterfactual's relative
    effect, or for ``time_series`` the web time series' rate ratio − 1 (a campaign whose
    ``primary_method`` is not given takes the counterfactual).
    """
    none = {"estimate": None, "low": None, "high": None, "method": "", "reason": None}
    if impact is None:
        return {**none, "reason": "the impact estimates were not computed"}, None, None
    names = {c["campaign"]: c for c in impact.get("campaigns", [])}
    counterfactuals = {r["campaign"]: r for r in impact.get("counterfactual", [])}
    series = {
        r["series"].split(":", 1)[1]: r
        for r in impact.get("its", [])
        if str(r.get("series", "")).startswith("web_daily_views:")
    }
    rows = []
    for campaign in dict.fromkeys([*counterfactuals, *series]):
        method = names.get(campaign, {}).get("primary_method") or (
            "time_series" if series.get(campaign, {}).get("primary") else "counterfactual"
        )
        row = counterfactuals.get(campaign) if method == "counterfactual" else series.get(campaign)
        if (
            row is not None
            and row.get("rel_effect" if method == "counterfactual" else "rate_ratio") is not None
        ):
            rows.append((campaign, method, row))
    rows.sort(key=lambda r: str(names.get(r[0], {}).get("start", "")))
    if not rows:
        return {**none, "reason": "no campaign had enough web data for its primary estimate"}, None, None

    def value(campaign: str, method: str, row: Mapping[str, Any]) -> dict:
        window = names.get(campaign, {})
        if method == "time_series":
            shifted = [None if row.get(k) is None else row[k] - 1 for k in ("rate_ratio", "low", "high")]
            out = dict(zip(("estimate", "low", "high"), shifted, strict=True))
            out.update(method=row.get("method", "interrupted time series"), reason=None)
        else:
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

    def about(campaign: str, method: str, row: Mapping[str, Any]) -> dict:
        window = names.get(campaign, {})
        cf = counterfactuals.get(campaign, {})
        return {
            "campaign": campaign,
            "name": window.get("name", campaign),
            "start": window.get("post_start") or window.get("start"),
            "end": window.get("post_end") or window.get("end"),
            "partial": bool(window.get("partial")),
            "primary_method": method,
            "placebo_finds_effect": bool(
                method == "counterfactual" and (cf.get("placebo") or {}).get("finds_effect")
            ),
            "actual": cf.get("actual"),
            "predicted": cf.get("predicted"),
            "value": value(campaign, method, row),
        }

    latest = about(*rows[-1])
    before = about(*rows[-2]) if len(rows) > 1 else None
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
    year (combined reach and coverage through :func:`reach.summary.reach.reach_summary`, engagement
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
        ``reach`` blocks (:func:`reach.summary.reach.reach_summary`) already computed, by ISO month;
        months not given are computed from ``tables``.

    Returns
    -------
    dict
        ``month``, ``previous_month``, ``same_month_last_year``, ``level``, ``rule`` (the RAG rule
        in words) and ``tiles``: a list of dicts with ``key``, ``label``, ``unit`` (``"people"``,
        ``"share"`` or ``"relative"``), ``value`` (``estimate``, ``low``, ``high``, ``method``,
        ``reason`` when there is no figure or interval, ``n``/``births``/``sessions`` where
        relevant), ``target``, ``status`` (green/amber/red/none), ``status_label``,
        ``status_reason``, ``status_basis`` (:func:`status_basis`), ``comparisons`` (``key``,
        ``label``, ``value``, ``change`` with a ``verdict``) and ``note``.
    """
    settings = settings or {}
    summary = summary or {}
    level = float(setting(settings, "confidence_level"))
    rule = _suppression(settings)
    targets = settings.get("targets") or {}
    before = {"previous_month": shift_month(month, -1), "same_month_last_year": shift_month(month, -12)}
    months = {"current": month, **before}

    reach_blocks = _reach_blocks(tables, months, settings, summary, reach_by_month)
    engagement = {key: web_engagement_rate(tables["web_pages"], m, level) for key, m in months.items()}
    helpful = {key: helpful_share(tables["feedback"], m, level, rule) for key, m in months.items()}

    tiles = _reach_tiles(reach_blocks, before, targets)
    tiles.append(_engagement_tile(tables, month, engagement, before, targets, level))
    family = (summary.get("impact") or {}).get("multiplicity")
    tiles.append(_helpful_tile(helpful, before, targets, level, family))
    tiles.append(_campaign_tile(summary.get("impact"), targets))
    for tile in tiles:
        tile["status_basis"] = status_basis(tile, month)
    return {**months, "month": month, "level": level, "rule": RAG_RULE, "tiles": tiles}


def status_basis(tile: Mapping[str, Any], month: str) -> str:
    """Which comparison a tile's status is judged on, in words (the tile and the findings both say it).

    A status compares the figure's 95% interval with the target (and floor), never with the
    changes the tile also shows, so a clear rise on last month can sit beside a Watch status.

    Parameters
    ----------
    tile : Mapping
        A tile of :func:`glance` (``key``, ``target``).
    month : str
        Reporting month.

    Returns
    -------
    str

    Examples
    --------
    >>> status_basis({"key": "helpful", "target": {"target": 0.9, "floor": 0.75}}, "2026-10")
    "Judged on October 2026's 95% interval against the target, not on the changes below"
    >>> status_basis({"key": "helpful", "target": None}, "2026-10")
    'No target is set, so there is no status'
    """
    if tile.get("target") is None:
        return "No target is set, so there is no status"
    if tile["key"] == "campaign_effect":
        return "Judged on the campaign's 95% interval against the target, not on the previous campaign"
    return f"Judged on {month_label(month)}'s 95% interval against the target, not on the changes below"


def _reach_blocks(
    tables: Mapping[str, pd.DataFrame],
    months: Mapping[str, str],
    settings: Mapping[str, Any],
    summary: Mapping[str, Any],
    reach_by_month: Mapping[str, Mapping[str, Any]] | None,
) -> dict:
    """The ``reach`` block of each month, reused when given and computed otherwise."""
    known = dict(reach_by_month or {})
    if "reach" in summary:
        known.setdefault(months["current"], summary["reach"])
    return {
        key: known[m] if m in known else reach_mod.reach_summary(tables, m, settings)
        for key, m in months.items()
    }


def _reach_tiles(
    reach_blocks: Mapping[str, Mapping[str, Any]], before: Mapping[str, str], targets: Mapping[str, Any]
) -> list[dict]:
    """The combined-reach and family-coverage tiles with their comparisons."""
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
    return tiles


def _engagement_value(item: Mapping[str, Any]) -> dict:
    """An engagement-rate figure as a tile value, with the reason when there were no sessions."""
    out = {k: item[k] for k in ("estimate", "low", "high", "method", "sessions")}
    out["reason"] = None if item["sessions"] else "no sessions on the registered pages in GA4"
    return out


def _engagement_tile(
    tables: Mapping[str, pd.DataFrame],
    month: str,
    engagement: Mapping[str, Mapping[str, Any]],
    before: Mapping[str, str],
    targets: Mapping[str, Any],
    level: float,
) -> dict:
    """The engaged-visits tile with its comparisons (descriptive unless daily sessions allow for clustering)."""
    comparisons = [
        {"key": k, "month": m, "label": _COMPARED[k].format(month_label(m)), "value": _engagement_value(engagement[k]),
         "change": engagement_rate_change(tables, month, m, level)}
        for k, m in before.items()
    ]  # fmt: skip
    return _tile(
        "engagement_rate", "Engaged visits to the web pages", "share", _engagement_value(engagement["current"]),
        _target(targets, "engagement_rate"), comparisons,
    )  # fmt: skip


def _public(item: Mapping[str, Any]) -> dict:
    """The item without its private (underscored) keys."""
    return {k: v for k, v in item.items() if not k.startswith("_")}


def _helpful_tile(
    helpful: Mapping[str, Mapping[str, Any]],
    before: Mapping[str, str],
    targets: Mapping[str, Any],
    level: float,
    family: Mapping[str, Any] | None = None,
) -> dict:
    """The % helpful tile with its comparisons (no change where either figure is withheld).

    A change is called a rise or fall only when it is a prespecified primary comparison whose
    false-discovery-rate-adjusted test says so (the month's ``impact.multiplicity`` family);
    otherwise it is "consistent with chance".
    """
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
        change = _judged(change, verdict_of(family, "helpful.change") if k == "previous_month" else None)
        comparisons.append(
            {
                "key": k,
                "month": m,
                "label": _COMPARED[k].format(month_label(m)),
                "value": _public(then),
                "change": change,
            }
        )
    return _tile(
        "helpful",
        "Found the information helpful",
        "share",
        _public(now),
        _target(targets, "helpful"),
        comparisons,
    )


def _judged(change: dict, judged: Mapping[str, Any] | None) -> dict:
    """A change's verdict under the month's multiplicity rule: only a judged primary may rise or fall."""
    if change.get("verdict") not in ("rise", "fall"):
        return change
    if judged is not None and judged.get("verdict") in ("rise", "fall"):
        return {**change, "verdict": judged["verdict"], "q_value": judged.get("q_value")}
    return {**change, "verdict": "consistent with chance"}


def _campaign_tile(impact: Mapping[str, Any] | None, targets: Mapping[str, Any]) -> dict:
    """The latest campaign's effect tile (its prespecified primary answer), compared with the previous campaign."""
    value, latest, previous = _campaign_value(impact)
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
    tile["note"] = (
        "Each campaign's answer comes from the method chosen for it before it ran. Estimated once per campaign, "
        "so compared with the previous campaign, not with last month."
    )
    if latest is not None and latest["placebo_finds_effect"]:
        tile["note"] += (
            " A check on dates with no campaign found a change as well: treat this figure with caution."
        )
    return tile
