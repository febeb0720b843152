"""The ``"reach"`` block of ``summary.json``: every reach estimate for the month, composed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from reach.config import resolve_settings
from reach.core.disclosure import SMALL_COUNT_MAX, _round_out
from reach.estimate.base import CHANNELS, _p, _r, bounds_midpoint, poisson_interval
from reach.estimate.channels import channel_reach
from reach.estimate.coverage import _district_coverage, _survey_for, family_coverage
from reach.estimate.geography import DISTRICTS, _lookup_from, births_in_period, norfolk_share
from reach.estimate.overlap import random_duplication, survey_duplication


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
        ``social_posts``, ``feedback``, ``reference_births``; optional ``web_users``).
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
        :func:`channel_reach`), ``combined`` (R), ``combined_survey`` (dict or None),
        ``combined_random`` (R or None), ``survey_months``, ``norfolk`` (:func:`norfolk_share`),
        ``births`` (:func:`births_in_period`), ``coverage`` (county dict), ``families_reached``
        (R), ``family_survey`` (:func:`family_coverage` or None), ``coverage_random`` (dict or
        None), ``by_district`` (list), ``notes`` (list of str).
    """
    cfg = resolve_settings(settings, **overrides)
    level = float(cfg["level"])
    lookup = _lookup_from(tables, cfg)
    channels = channel_reach(tables, month, "month", cfg)
    period = channels["period"]
    reach = {c: channels[c]["reach"] for c in CHANNELS}
    notes = _channel_notes(channels, reach, month)

    inc, survey_months = _survey_for(tables, month, cfg, "online")
    survey = survey_duplication(reach, inc, level, int(cfg["survey_min_respondents"]))
    combined, combined_random = _combined_reach(
        reach, channels, inc, survey, survey_months, month, cfg, notes
    )

    norfolk = norfolk_share(tables.get("web_city"), month, lookup, level, float(cfg["geo_error"]))

    births = births_in_period(tables["reference_births"], [month])
    notes.extend(births["notes"])
    fam_inc, fam_months = _survey_for(tables, month, cfg, "parents")
    fam = family_coverage(fam_inc, level, int(cfg["survey_min_parents"]))
    b_low, b_high = poisson_interval(births["county"], level)
    cov, cov_method, coverage_random = _county_coverage(fam, fam_inc, fam_months, cfg, notes)
    families, coverage = _county_figures(cov, cov_method, births["county"], b_low, b_high)
    by_district = _district_rows(fam, fam_inc, cov, cov_method, births, norfolk, level, cfg)

    longer = {p: channel_reach(tables, month, p, cfg) for p in ("rolling_3", "fytd")} if periods else None
    shown = {k: v for k, v in cfg.items() if k != "town_districts"}
    return {
        "period": period,
        "settings": shown,
        "channels": {c: channels[c] for c in CHANNELS},
        "periods": longer,
        "combined": combined,
        "combined_survey": survey,
        "combined_random": combined_random,
        "survey_months": survey_months,
        "norfolk": norfolk,
        "births": births,
        "coverage": coverage,
        "families_reached": families,
        "family_survey": fam,
        "coverage_random": coverage_random,
        "by_district": by_district,
        "notes": notes,
    }


def _channel_notes(channels: Mapping[str, Any], reach: Mapping[str, Any], month: str) -> list[str]:
    """Notes on channels with no export for the month or measured by an upper bound."""
    notes: list[str] = []
    for c in CHANNELS:
        if reach[c] is None:
            notes.append(f"{c}: no export for {month}; that channel is left out of the combined reach")
    if channels["video"].get("flag") == "views_upper_bound":
        notes.append("video: YouTube viewer counts were not exported; views are used as an upper bound")
    return notes


def _combined_reach(
    reach: dict,
    channels: dict,
    inc: pd.DataFrame,
    survey: Mapping[str, Any] | None,
    survey_months: list[str],
    month: str,
    cfg: Mapping[str, Any],
    notes: list[str],
) -> tuple[dict, dict | None]:
    """Combined reach across channels and its random-duplication reference (None without a survey)."""
    present = [reach[c] for c in CHANNELS if reach[c] is not None]
    if survey is not None:
        return _survey_combined(reach, channels, present, survey, survey_months, month, cfg, notes)
    if present:
        low = max(r["low"] for r in present)
        highs = [r["high"] for r in present]
        high = None if any(h is None for h in highs) else sum(highs)
        n_online = int((inc[list(CHANNELS)].sum(axis=1) > 0).sum()) if len(inc) else 0
        combined = _r(
            bounds_midpoint(low, high) if high is not None else low,
            low,
            high,
            f"bounds from channel reach (complete overlap to no overlap; geometric midpoint): the survey "
            f"is too small for survey-based duplication ({n_online} online respondents, minimum "
            f"{cfg['survey_min_respondents']})",
        )
        notes.append("combined reach: survey too small, bounds only")
        return combined, None
    return _r(None, None, None, "no channel exported"), None


def _survey_combined(
    reach: dict,
    channels: dict,
    present: list[dict],
    survey: Mapping[str, Any],
    survey_months: list[str],
    month: str,
    cfg: Mapping[str, Any],
    notes: list[str],
) -> tuple[dict, dict | None]:
    """Survey-based combined reach, refining the social point estimate, and its random-duplication reference."""
    combined_random = None
    combined = dict(survey["reach"])
    if len(survey_months) > 1:
        combined["method"] += (
            f"; survey pooled over {survey_months[0]} to {survey_months[-1]} (too few answers in {month})"
        )
        notes.append(f"survey pooled over {len(survey_months)} months for the combined reach")
    if reach["social"] is not None and survey["shares"]["social"] > 0:
        point = combined["estimate"] * survey["shares"]["social"]
        s = reach["social"]
        reach["social"] = _r(
            min(max(point, s["low"]), s["high"]),
            s["low"],
            s["high"],
            "bounds from Meta post reach (largest post to sum of posts); point from the "
            "survey-based combined reach × share of online respondents who saw social media",
        )
        channels["social"]["reach"] = reach["social"]
    universe = survey["universe"]
    if universe:
        rates = [min(1.0, r["estimate"] / universe) for r in present]
        value = universe * random_duplication(rates, cfg["random_duplication_variant"])
        combined_random = _r(
            value,
            None,
            None,
            f"random duplication ({cfg['random_duplication_variant']}) over the log-linear "
            "universe: assumes channels reach people independently (upper reference when the "
            "same people use several channels)",
        )
    return combined, combined_random


def _county_coverage(
    fam: Mapping[str, Any] | None,
    fam_inc: pd.DataFrame,
    fam_months: list[str],
    cfg: Mapping[str, Any],
    notes: list[str],
) -> tuple[dict, str, dict | None]:
    """County coverage of families with a newborn, its method, and the random-duplication reference."""
    coverage_random = None
    if fam is not None:
        cov = dict(fam["coverage"])
        cov_method = fam["method"]
        if len(fam_months) > 1:
            cov_method += f"; survey pooled over {fam_months[0]} to {fam_months[-1]}"
        fam_rows = fam_inc[fam_inc["parent"].astype(bool) & fam_inc["district_code"].str.startswith("E07")]
        rates = [float(fam_rows[c].mean()) * fam["exposed_share"]["estimate"] for c in CHANNELS]
        coverage_random = {
            "estimate": random_duplication(rates, cfg["random_duplication_variant"]),
            "method": f"random duplication ({cfg['random_duplication_variant']}) over families with a newborn, "
            "channel rates from the parents' answers (assumes independent channels)",
        }
    else:
        cov = {"estimate": None, "low": 0.0, "high": 1.0}
        cov_method = (
            f"not estimable: fewer than {cfg['survey_min_parents']} Norfolk parents/carers answered "
            "the survey; the interval is 0 to 100%"
        )
        notes.append("coverage: too few parents in the survey")
    return cov, cov_method, coverage_random


def _county_figures(
    cov: Mapping[str, Any], cov_method: str, county_births: float, b_low: float, b_high: float
) -> tuple[dict, dict]:
    """Families with a newborn reached in the county (R) and the county coverage block."""
    families = _r(
        None if cov["estimate"] is None else cov["estimate"] * county_births,
        cov["low"] * b_low,
        cov["high"] * b_high,
        "families with a newborn reached online = coverage × births in the period (Poisson interval for births)",
    )
    coverage = {
        "births_in_period": int(round(county_births)),
        **_p(cov["estimate"], cov["low"], cov["high"]),
        "method": cov_method,
    }
    return families, coverage


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
    fam: Mapping[str, Any] | None,
    fam_inc: pd.DataFrame,
    cov: Mapping[str, Any],
    cov_method: str,
    births: Mapping[str, Any],
    norfolk: Mapping[str, Any],
    level: float,
    cfg: Mapping[str, Any],
) -> list[dict]:
    """One row per district: rounded families reached, coverage, parents answering and GA4 users."""
    by_district = []
    district_cov = (
        _district_coverage(
            fam_inc,
            {"coverage": cov, "exposed_share": fam["exposed_share"]},
            level,
            float(cfg["district_prior_strength"]),
        )
        if fam is not None
        else {}
    )
    for code, name in DISTRICTS:
        b = births["districts"][code]
        d_low, d_high = poisson_interval(b, level)
        dc = district_cov.get(code, {**cov, "parents": 0, "method": cov_method})
        r = _r(
            None if dc["estimate"] is None else dc["estimate"] * b,
            dc["low"] * d_low,
            dc["high"] * d_high,
            f"families with a newborn reached online = district coverage × district births "
            f"({births['district_status']}); {dc['method']}; rounded to {cfg['district_round_to']}",
        )
        reach, coverage = district_figures(
            r, _p(dc["estimate"], dc["low"], dc["high"]), int(round(b)), int(cfg["district_round_to"])
        )
        by_district.append(
            {
                "district": name,
                "code": code,
                "reach": reach,
                "coverage": {"births_in_period": int(round(b)), **coverage},
                "parents_answered": dc.get("parents", 0),
                "ga4_users": int(norfolk["by_district"].set_index("code")["users"].get(code, 0)),
            }
        )
    return by_district


def reach_summary(
    tables: Mapping[str, pd.DataFrame],
    month: str,
    settings: Mapping[str, Any] | None = None,
    **overrides: Any,
) -> dict:
    """The ``"reach"`` block of ``summary.json`` (the contract in docs/methodology.md, exactly).

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
        ``{"period": {"start", "end"}, "channels": {"web", "video", "social"}: R, "combined": R,
        "norfolk_share": {"estimate", "low", "high"}, "coverage": {"births_in_period",
        "estimate", "low", "high"}, "by_district": [{"district", "code", "reach": R,
        "coverage": {"births_in_period", "estimate", "low", "high"}}, …]}``. ``R`` is
        ``{"estimate", "low", "high", "method"}`` in whole people. District counts are rounded
        to 5 (estimate to nearest, limits outwards).
    """
    d = reach_details(tables, month, settings, periods=False, **overrides)
    share = d["norfolk"]["share"] or {"estimate": None, "low": None, "high": None}
    cov = d["coverage"]
    return {
        "period": dict(d["period"]),
        "channels": {c: d["channels"][c]["reach"] for c in CHANNELS},
        "combined": d["combined"],
        "norfolk_share": {"estimate": share["estimate"], "low": share["low"], "high": share["high"]},
        "coverage": {k: cov[k] for k in ("births_in_period", "estimate", "low", "high")},
        "by_district": [
            {
                "district": b["district"],
                "code": b["code"],
                "reach": b["reach"],
                "coverage": {k: b["coverage"][k] for k in ("births_in_period", "estimate", "low", "high")},
            }
            for b in d["by_district"]
        ],
    }
