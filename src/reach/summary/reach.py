"""The ``"reach"`` block of ``summary.json``: every reach estimate for the month, composed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from reach.config import resolve_settings
from reach.core.disclosure import SMALL_COUNT_MAX, _round_out, suppress_count
from reach.estimate.base import CHANNELS, _p, _r, _wilson, poisson_interval
from reach.estimate.channels import allow_several_devices, channel_reach
from reach.estimate.coverage import _survey_for, responding_parents_counts
from reach.estimate.geography import DISTRICTS, _lookup_from, births_in_period, norfolk_share
from reach.estimate.overlap import random_duplication, survey_duplication
from reach.estimate.recall import (
    RECALL_ASSUMPTIONS,
    allow_recall_error,
    recall_accuracy_assumption,
    recall_corrected,
    recall_coverage,
    response_bias_corrected,
)
from reach.tidy.readiness import why_absent


def reach_details(
    tables: Mapping[str, pd.DataFrame],
    month: str,
    settings: Mapping[str, Any] | None = None,
    periods: bool = True,
    **overrides: Any,
) -> dict:
    """Every reach figure for a reporting month, with the working behind it.

    Parameters
    ----------
    tables : Mapping of str to pandas.DataFrame
        Processed tables (``web_pages``, ``web_city``, ``video``, ``video_totals``,
        ``social_posts``, ``feedback``, ``reference_births``; optional ``web_users`` and
        ``hv_recall``).
    month : str
        Reporting month ``YYYY-MM``.
    settings : Mapping, optional
        Whole settings mapping (see :func:`resolve_settings`).
    periods : bool
        Also compute the rolling three months and the financial year to date (``periods``;
        None when False).
    **overrides
        Keys of :func:`~reach.config.resolve_settings`.

    Returns
    -------
    dict
        ``period``, ``settings`` (used, without the lookup), ``channels`` (month: web, video,
        social dicts with frequency), ``periods`` (``rolling_3`` and ``fytd``
        :func:`channel_reach`), ``combined`` (the bound, R), ``combined_survey`` and
        ``combined_survey_recruitment`` (survey-based duplication, dict or None: sensitivities),
        ``combined_random`` (R or None), ``survey_months``, ``norfolk`` (:func:`norfolk_share`),
        ``births`` (:func:`births_in_period`), ``recall`` (:func:`recall_coverage` or None),
        ``coverage`` (county dict), ``family_survey`` (:func:`responding_parents_counts` or None: the
        responding parents), ``by_district`` (list), ``sensitivity`` and ``notes`` (list of str).
    """
    cfg = resolve_settings(settings, **overrides)
    level = float(cfg["level"])
    lookup = _lookup_from(tables, cfg)
    channels = channel_reach(tables, month, "month", cfg)
    period = channels["period"]
    for c in ("web", "video"):
        channels[c]["reach"] = allow_several_devices(channels[c]["reach"], float(cfg["users_per_person_max"]))
    reach = {c: channels[c]["reach"] for c in CHANNELS}
    notes = _channel_notes(channels, reach, month, tables.get("readiness"))
    combined = combined_bound(reach)

    inc, survey_months = _survey_for(tables, month, cfg, "online")
    minimum = int(cfg["survey_min_respondents"])
    survey = survey_duplication(reach, inc, level, minimum)
    survey_recruitment = (
        survey_duplication(reach, inc, level, minimum, recruitment_adjusted=True)
        if len(inc) and (inc["recruited"] != "unknown").any()
        else None
    )
    combined_random = _random_reference(reach, survey, cfg)

    norfolk = norfolk_share(
        tables.get("web_city"),
        month,
        lookup,
        level,
        float(cfg["geo_error"]),
        float(cfg["consent_ratio_between_areas"]),
    )

    births = births_in_period(tables["reference_births"], [month])
    notes.extend(births["notes"])
    recall = recall_coverage(tables.get("hv_recall"), month, births["districts"], level)
    fam_inc, fam_months = _survey_for(tables, month, cfg, "parents")
    fam = responding_parents_counts(fam_inc, int(cfg["survey_min_parents"]))
    coverage = _county_coverage(recall, births["county"], cfg, notes)
    by_district = _district_rows(recall, births, norfolk, cfg)

    longer = {p: channel_reach(tables, month, p, cfg) for p in ("rolling_3", "fytd")} if periods else None
    shown = {k: v for k, v in cfg.items() if k != "town_districts"}
    details = {
        "period": period,
        "settings": shown,
        "channels": {c: channels[c] for c in CHANNELS},
        "periods": longer,
        "combined": combined,
        "combined_survey": survey,
        "combined_survey_recruitment": survey_recruitment,
        "combined_random": combined_random,
        "survey_months": survey_months,
        "norfolk": norfolk,
        "births": births,
        "recall": recall,
        "coverage": coverage,
        "family_survey": fam,
        "family_survey_months": fam_months,
        "by_district": by_district,
        "notes": notes,
    }
    details["sensitivity"] = sensitivity_tables(details, cfg)
    return details


def _channel_notes(
    channels: Mapping[str, Any], reach: Mapping[str, Any], month: str, readiness: pd.DataFrame | None
) -> list[str]:
    """Notes on channels with no usable export for the month or measured by an upper bound."""
    notes: list[str] = []
    tables = {"web": "web_pages", "video": "video", "social": "social_posts"}
    for c in CHANNELS:
        if reach[c] is None:
            why = why_absent(readiness, tables[c]).replace("for the month", f"for {month}")
            notes.append(f"{c}: {why}; that channel is left out of the combined reach")
    if channels["video"].get("flag") == "views_upper_bound":
        notes.append("video: YouTube viewer counts were not exported; views are used as an upper bound")
    return notes


# ---------------------------------------------------------------------------------------------
# What each figure is: kind, window and assumptions
# ---------------------------------------------------------------------------------------------

WINDOWS = {
    "web": "people active on the safer-sleep web pages in the calendar month",
    "video": "people who watched the safer-sleep videos in the calendar month",
    "social": (
        "lifetime reach, up to the day of the export, of the safer-sleep posts published in the month "
        "(not the same window as web and video)"
    ),
}
"""The window each channel's reach covers; Meta gives only lifetime reach per post."""


def _channel_block(channel: str, r: Mapping[str, Any] | None, cfg: Mapping[str, Any]) -> dict | None:
    """A channel's reach with ``kind``, ``window`` and ``assumptions`` (None without an export)."""
    if r is None:
        return None
    consent = cfg["consent_rate"]
    everywhere = "counts people anywhere, not only in Norfolk"
    if channel == "web":
        assumptions = [
            f"between {consent['low']:.0%} and {consent['high']:.0%} of visitors accept analytics cookies "
            "(GA4 counts only them)",
            f"one person counts as at most {float(cfg['users_per_person_max']):g} GA4 users (several devices, "
            "cleared cookies)",
            everywhere,
        ]
    elif channel == "video":
        assumptions = [
            "YouTube's unique viewers (or views per viewer, where only those are exported) as YouTube reports them",
            f"one person counts as at most {float(cfg['users_per_person_max']):g} YouTube viewers (several devices)",
            everywhere,
        ]
    else:
        assumptions = [
            "Meta's reach of a post counts distinct accounts; someone reached by two posts is in both",
            "one account is one person",
            everywhere,
        ]
    kind = "estimate" if r["low"] == r["high"] else "bound"
    estimate = r["estimate"] if kind == "estimate" else None
    method = r["method"].replace("; geometric midpoint", "")
    return {**r, "estimate": estimate, "method": method, "kind": kind, "window": WINDOWS[channel],
            "assumptions": assumptions}  # fmt: skip


def combined_bound(reach: Mapping[str, Mapping[str, Any] | None]) -> dict:
    """People reached by any channel: from the largest channel (complete overlap) to the sum (none).

    This holds whatever the overlap between channels; only each channel's own limits are assumed.
    A channel without an export leaves the upper limit unknown.

    Parameters
    ----------
    reach : Mapping
        Channel → R (``estimate``, ``low``, ``high``, ``method``) or None.

    Returns
    -------
    dict
        R with ``estimate`` None and the method.

    Examples
    --------
    >>> b = combined_bound({"web": {"estimate": 900, "low": 700, "high": 1300, "method": ""},
    ...                     "video": {"estimate": 500, "low": 500, "high": 500, "method": ""},
    ...                     "social": {"estimate": None, "low": 400, "high": 900, "method": ""}})
    >>> b["estimate"], b["low"], b["high"]
    (None, 700, 2700)
    """
    present = [r for r in reach.values() if r is not None and r["low"] is not None]
    if not present:
        return _r(None, None, None, "no channel exported")
    low = max(r["low"] for r in present)
    highs = [r["high"] for r in present]
    missing = [c for c, r in reach.items() if r is None]
    high = None if missing or any(h is None for h in highs) else sum(highs)
    method = (
        "bounds that hold whatever the overlap between channels: from the largest channel's lower limit "
        "(everyone reached by the others was also reached by it) to the sum of the channels' upper limits "
        "(no one reached twice)"
    )
    if missing:
        method += f"; no export for {', '.join(missing)}, so no upper limit"
    return _r(None, low, high, method)


def _random_reference(reach: dict, survey: Mapping[str, Any] | None, cfg: Mapping[str, Any]) -> dict | None:
    """Random duplication over the survey's log-linear universe (None without one): a sensitivity."""
    if survey is None or not survey["universe"]:
        return None
    universe = survey["universe"]
    present = [r for r in reach.values() if r is not None and r["estimate"] is not None]
    rates = [min(1.0, r["estimate"] / universe) for r in present]
    value = universe * random_duplication(rates, cfg["random_duplication_variant"])
    return _r(
        value,
        None,
        None,
        f"random duplication ({cfg['random_duplication_variant']}) over the log-linear universe: assumes "
        "channels reach people independently",
    )


def _recall_assumptions(cfg: Mapping[str, Any]) -> list[str]:
    return [
        *RECALL_ASSUMPTIONS,
        recall_accuracy_assumption(cfg["recall_sensitivity"], cfg["recall_false_rate"]),
    ]


def _county_coverage(
    recall: Mapping[str, Any] | None, county_births: float, cfg: Mapping[str, Any], notes: list[str]
) -> dict:
    """The county coverage block: from the recall return, else not measured."""
    births = int(round(county_births))
    if recall is None:
        notes.append("coverage: no health-visiting recall return for the month, so coverage is not measured")
        return {
            "births_in_period": births,
            "estimate": None,
            "low": None,
            "high": None,
            "kind": "not measured",
            "assumptions": [],
            "method": (
                "not measured: no health-visiting new-birth recall return for the month. Online platform data "
                "cannot tell which visitors are families with a newborn, and the feedback form's parents are "
                "not a sample of them (see responding_parents)"
            ),
        }
    county = allow_recall_error(recall["county"], cfg["recall_sensitivity"], cfg["recall_false_rate"])
    method = (
        "health visitors' prompted recall at the new-birth visit: families recalling any safer-sleep asset ÷ "
        "families asked, per district (Wilson), weighted by the district's births; limits widened for "
        "families forgetting an asset they saw or recalling one they did not (ranges in the assumptions)"
    )
    if county["kind"] == "bound":
        method += (
            "; districts not measured or suppressed enter at their own limits (0% to 100% if not measured)"
        )
    return {
        "births_in_period": births,
        **_p(county["estimate"], county["low"], county["high"]),
        "kind": county["kind"],
        "assumptions": _recall_assumptions(cfg),
        "method": method,
    }


def district_figures(reach: dict, coverage: dict, births: int, round_to: int) -> tuple[dict, dict]:
    """A district's families reached and coverage as they may be shown: consistent and disclosure-safe.

    The families reached are rounded by the NHS rule (:func:`reach.core.disclosure._round_out`),
    then kept within the district's births (no more families reached than were born). A best
    estimate that rounds to 0 although the coverage is above 0, or that is hidden as 1 to 7, is
    not shown, and neither is the coverage's best estimate, from which it could be worked back.

    Parameters
    ----------
    reach : dict
        Families reached, unrounded: ``estimate``, ``low``, ``high``, ``method``.
    coverage : dict
        Coverage of the district's families: ``estimate``, ``low``, ``high`` (0 to 1).
    births : int
        Births in the period, as shown beside the figures.
    round_to : int
        The rounding base of district counts.

    Returns
    -------
    tuple of dict
        ``(reach, coverage)`` as they may be shown.

    Examples
    --------
    >>> reach, cov = district_figures({"estimate": 85.9, "low": 40.2, "high": 118.0, "method": "m"},
    ...                               {"estimate": 0.876, "low": 0.56, "high": 0.999}, 98, 5)
    >>> (reach["low"], reach["estimate"], reach["high"])
    (40, 85, 98)
    >>> reach, cov = district_figures({"estimate": 1.9, "low": 0.2, "high": 9.0, "method": "m"},
    ...                               {"estimate": 0.02, "low": 0.002, "high": 0.09}, 98, 5)
    >>> reach["estimate"], cov["estimate"], (reach["low"], reach["high"])
    (None, None, (0, 10))
    """
    shown = _round_out(reach, round_to)
    method = shown["method"]
    cap = births if births > SMALL_COUNT_MAX or births == 0 else None
    if cap is not None:
        shown = {key: (min(value, cap) if key in ("estimate", "low", "high") and value is not None else value)
                 for key, value in shown.items()}  # fmt: skip
        if reach["high"] is not None and shown["high"] == cap and reach["high"] > cap:
            method += f"; upper limit kept at the {cap} births of the period"
    coverage = dict(coverage)
    hidden = shown["estimate"] is None or (shown["estimate"] == 0 and (coverage.get("estimate") or 0) > 0)
    if hidden and (reach["estimate"] is not None or coverage.get("estimate") is not None):
        if shown["estimate"] == 0:
            method += "; best estimate rounds to 0 although some families were reached, so it is not shown"
        shown["estimate"] = None
        coverage["estimate"] = None
    shown["method"] = method
    return shown, coverage


def _district_rows(
    recall: Mapping[str, Any] | None,
    births: Mapping[str, Any],
    norfolk: Mapping[str, Any],
    cfg: Mapping[str, Any],
) -> list[dict]:
    """One row per district: rounded families reached and coverage, each with its kind."""
    level = float(cfg["level"])
    rows = []
    users = (
        norfolk["by_district"].set_index("code")["users"]
        if len(norfolk["by_district"])
        else pd.Series(dtype=int)
    )
    for code, name in DISTRICTS:
        b = births["districts"][code]
        d = recall["districts"][code] if recall else {"kind": "not measured", "estimate": None, "low": None,
                                                      "high": None, "reason": "no recall return"}  # fmt: skip
        d = allow_recall_error(d, cfg["recall_sensitivity"], cfg["recall_false_rate"])
        kind = d["kind"]
        if kind == "not measured":
            reach = {"estimate": None, "low": None, "high": None,
                     "method": f"not measured: {d.get('reason') or 'no recall return'}"}  # fmt: skip
            coverage = {"estimate": None, "low": None, "high": None}
        else:
            d_low, d_high = poisson_interval(b, level)
            r = _r(
                None if d["estimate"] is None else d["estimate"] * b,
                d["low"] * d_low,
                d["high"] * d_high,
                f"families with a newborn reached = share recalling any asset at the new-birth visit × district "
                f"births ({births['district_status']}; Poisson interval); rounded to {cfg['district_round_to']}",
            )
            reach, coverage = district_figures(
                r, _p(d["estimate"], d["low"], d["high"]), int(round(b)), int(cfg["district_round_to"])
            )
            if d.get("reason"):
                reach["method"] += f"; {d['reason']}"
        rows.append(
            {
                "district": name,
                "code": code,
                "reach": {**reach, "kind": kind, "assumptions": _recall_assumptions(cfg) if recall else []},
                "coverage": {"births_in_period": int(round(b)), **coverage, "kind": kind},
                "ga4_users": int(users.get(code, 0)),
            }
        )
    return rows


def responding_parents(fam: Mapping[str, Any] | None, level: float) -> dict:
    """Share of responding parents/carers who said they saw something online — about them only.

    The feedback form is online, so parents reached online are likelier to answer it: this is
    not the share of families with a newborn, and is labelled as what it is. Withheld when the
    parents saying yes or no number 1 to 7 (NHS rule).

    Examples
    --------
    >>> responding_parents({"online": 30, "parents": 40}, 0.95)["estimate"]
    0.75
    >>> responding_parents({"online": 35, "parents": 40}, 0.95)["estimate"] is None
    True
    """
    label = "share of the parents/carers answering the online feedback form who said they saw safer-sleep information online"
    base = {"kind": "estimate", "label": label,
            "assumptions": ["describes the parents who answered the form, not all families with a newborn"]}  # fmt: skip
    if fam is None:
        return {**base, "estimate": None, "low": None, "high": None, "n": "0", "kind": "not measured"}
    k, n = int(fam["online"]), int(fam["parents"])
    shown = suppress_count(n)
    if n == 0 or 0 < k <= SMALL_COUNT_MAX or 0 < n - k <= SMALL_COUNT_MAX or shown == "*":
        return {**base, "estimate": None, "low": None, "high": None, "n": shown, "kind": "not measured"}
    low, high = _wilson(k, n, level)
    return {**base, **_p(k / n, low, high), "n": shown}


# ---------------------------------------------------------------------------------------------
# Sensitivity: how each headline figure moves when its assumptions move
# ---------------------------------------------------------------------------------------------


def _row(scenario: str, estimate: float | None, low: float | None = None, high: float | None = None) -> dict:
    return {"scenario": scenario, "estimate": estimate, "low": low, "high": high}


def _web_sensitivity(details: Mapping[str, Any], cfg: Mapping[str, Any]) -> list[dict]:
    tracked = (details["channels"]["web"] or {}).get("tracked")
    if not tracked or tracked.get("estimate") is None:
        return []
    consent = cfg["consent_rate"]
    rates = sorted({consent["low"], (consent["low"] + consent["high"]) / 2, consent["high"], 0.3})
    t = tracked["estimate"]
    return [_row(f"{rate:.0%} of visitors accept analytics cookies", round(t / rate)) for rate in rates] + [
        _row(
            f"as above at {(consent['low'] + consent['high']) / 2:.0%}, and a quarter of people use two devices",
            round(t / ((consent["low"] + consent["high"]) / 2) / 1.25),
        )  # fmt: skip
    ]


def _combined_sensitivity(details: Mapping[str, Any]) -> list[dict]:
    comb = details["combined"]
    rows = [
        _row("channels overlap completely (largest channel)", comb["low"]),
        _row("channels never overlap (sum of channels)", comb["high"]),
    ]
    if details["combined_random"] is not None:
        rows.append(_row("channels reach people independently (random duplication)",
                         details["combined_random"]["estimate"]))  # fmt: skip
    for key, text in (
        ("combined_survey", "survey-based de-duplication, all respondents"),
        (
            "combined_survey_recruitment",
            "survey-based de-duplication, each channel judged by respondents recruited elsewhere",
        ),
    ):
        survey = details[key]
        if survey is not None:
            r = survey["reach"]
            rows.append(
                # A count of people in words: rounded by the NHS rule like every other one.
                _row(
                    f"{text} ({suppress_count(survey['respondents'])} respondents, rounded)",
                    r["estimate"],
                    r["low"],
                    r["high"],
                )  # fmt: skip
            )
    return rows


def _coverage_sensitivity(details: Mapping[str, Any]) -> list[dict]:
    recall = details.get("recall")
    if recall is None or recall["county"]["kind"] == "not measured":
        return []
    cov = recall["county"]  # the recalled share before any allowance for recall error
    rows = []
    for sens, false in ((1.0, 0.0), (0.8, 0.0), (1.0, 0.05), (0.8, 0.05)):
        values = [
            None if cov[k] is None else recall_corrected(cov[k], sens, false)
            for k in ("estimate", "low", "high")
        ]
        rows.append(_row(f"families remember {sens:.0%} of assets they saw; {false:.0%} 'recall' one they did not",
                         *values))  # fmt: skip
    return rows


def _parents_sensitivity(parents: Mapping[str, Any]) -> list[dict]:
    p = parents.get("estimate")
    if p is None:
        return []
    rows = []
    for odds in (1, 2, 3, 5):
        values = [response_bias_corrected(parents[k], odds) for k in ("estimate", "low", "high")]
        rows.append(
            _row(f"parents who saw something online are {odds}× as likely to answer the form", *values)
        )
    return rows


def sensitivity_tables(details: Mapping[str, Any], cfg: Mapping[str, Any]) -> dict:
    """How each headline figure moves across the consent range, channel overlap, recall error and recruitment.

    Parameters
    ----------
    details : Mapping
        From :func:`reach_details` (without ``sensitivity``).
    cfg : Mapping
        Resolved settings.

    Returns
    -------
    dict
        ``web``, ``combined``, ``coverage``, ``responding_parents``: lists of ``{scenario,
        estimate, low, high}`` (empty when the figure is not there).
    """
    parents = responding_parents(details["family_survey"], float(cfg["level"]))
    return {
        "web": _web_sensitivity(details, cfg),
        "combined": _combined_sensitivity(details),
        "coverage": _coverage_sensitivity(details),
        "responding_parents": _parents_sensitivity(parents),
    }


def reach_summary(
    tables: Mapping[str, pd.DataFrame],
    month: str,
    settings: Mapping[str, Any] | None = None,
    **overrides: Any,
) -> dict:
    """The ``"reach"`` block of ``summary.json`` (the contract in docs/methodology.md, exactly).

    Every headline figure carries ``kind`` (``"estimate"``, ``"bound"`` or ``"not measured"``)
    and ``assumptions`` (short strings); a bound's ``estimate`` is None.

    Parameters
    ----------
    tables : Mapping of str to pandas.DataFrame
        Processed tables.
    month : str
        Reporting month ``YYYY-MM``.
    settings : Mapping, optional
        Whole settings mapping; the ``reach:`` section and ``confidence_level`` are used.
    **overrides
        Keys of :func:`~reach.config.resolve_settings` (for example ``town_districts=frame``).

    Returns
    -------
    dict
        ``period``, ``channels`` (web, video, social: R with ``kind``, ``window``,
        ``assumptions``; None without an export), ``combined``, ``norfolk_share``, ``coverage``
        (with ``births_in_period``), ``responding_parents``, ``by_district`` (``district``,
        ``code``, ``reach``, ``coverage``) and ``sensitivity``. District counts are rounded to 5
        (estimate to nearest, limits outwards) and kept within the district's births.
    """
    d = reach_details(tables, month, settings, periods=False, **overrides)
    cfg = d["settings"]
    share = d["norfolk"]["share"] or {"estimate": None, "low": None, "high": None}
    comb = d["combined"]
    return {
        "period": dict(d["period"]),
        "channels": {c: _channel_block(c, d["channels"][c]["reach"], cfg) for c in CHANNELS},
        "combined": {
            **comb,
            "kind": "bound" if comb["low"] is not None else "not measured",
            "window": "web and video activity in the month, plus the lifetime reach of the month's posts",
            "assumptions": [
                "each channel's own limits hold (see each channel)",
                "nothing is assumed about how the channels overlap",
            ],  # fmt: skip
        },
        "norfolk_share": {
            **{k: share[k] for k in ("estimate", "low", "high")},
            "kind": "estimate" if share["estimate"] is not None else "not measured",
            "assumptions": [
                f"Norfolk visitors' consent rate is within ×{float(cfg['consent_ratio_between_areas']):g} of other "
                "visitors'",
                f"GA4's IP-based town is right to within ±{float(cfg['geo_error']):.0%}",
                "visitors GA4 could not place may live anywhere (from all outside to all inside Norfolk)",
            ],
            "method": d["norfolk"]["method"],
        },
        "coverage": d["coverage"],
        "responding_parents": responding_parents(d["family_survey"], float(cfg["level"])),
        "by_district": [
            {k: b[k] for k in ("district", "code", "reach", "coverage")} for b in d["by_district"]
        ],
        "sensitivity": d["sensitivity"],
    }
