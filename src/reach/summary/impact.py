"""The ``"impact"`` block of ``summary.json``.

Engagement, out-takes, themes, time series and counterfactuals, composed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from reach.config import impact_settings
from reach.core.intervals import _num
from reach.core.months import previous_months
from reach.estimate.campaigns import (
    _all_windows,
    _month_end,
    _partner_its,
    _web_its,
    campaign_web_series,
    campaign_windows,
    daily_asset_views,
)
from reach.estimate.counterfactual import counterfactual
from reach.estimate.engagement import engagement
from reach.estimate.outtakes import MEASURE_LABELS, _suppressor, outtakes, sample_size_for_change
from reach.estimate.themes import code_themes


def _themes(tables: Mapping[str, pd.DataFrame], month: str, opts: Mapping[str, Any]) -> dict | None:
    codebook = opts.get("codebook")
    if not isinstance(codebook, Mapping):
        return None
    shown = _suppressor(opts["suppression"])
    window = previous_months(month, int(opts["themes_months"]))
    out = {
        "first_month": window[0],
        "last_month": window[-1],
        "min_n": int(opts["themes_min_n"]),
        "sources": {},
    }
    for source, table in (("feedback_form", "feedback"), ("page_feedback", "page_feedback")):
        frame = tables.get(table)
        if frame is None or "comment" not in frame:
            continue
        comments = frame.loc[frame["month"].astype("string").isin(window), "comment"]
        coded = code_themes(comments, codebook, int(opts["themes_min_n"]), int(opts["themes_max_quotes"]))
        total = int(comments.dropna().astype("string").str.strip().ne("").sum())
        records = []
        for row in coded.itertuples(index=False):
            hidden = shown(row.comments) == "*"
            records.append(
                {
                    "theme": row.theme,
                    "comments": shown(row.comments),
                    "share": None if hidden or not total else _num(row.share),
                    "quotes": list(row.quotes),
                }
            )
        out["sources"][source] = {"comments": shown(total), "themes": records}
    return out


def impact_summary(
    tables: Mapping[str, pd.DataFrame], month: str, settings: Mapping[str, Any] | None = None
) -> dict:
    """The ``"impact"`` block of ``summary.json`` for one reporting month.

    Parameters
    ----------
    tables : Mapping of str to pandas.DataFrame
        Processed tables (``web_pages``, ``web_daily``, ``video``, ``feedback``,
        ``page_feedback``, ``partner_indicators``, ``reference_assets``,
        ``reference_campaigns``).
    month : str
        Reporting month, ``YYYY-MM``.
    settings : Mapping, optional
        Settings from :func:`reach.config.load_config`: ``confidence_level``, ``suppression``
        and the ``impact`` block (keys of :class:`~reach.config.ImpactSettings`; ``impact.codebook`` must hold the
        *loaded* codebook mapping, theme → phrases, from ``config/codebook.yaml``).

    Returns
    -------
    dict
        - ``engagement``: :func:`engagement`.
        - ``outtakes``: :func:`outtakes` (proportions as ``{"estimate", "low", "high", "n"}``).
        - ``its``: list of ``{"series", "rate_ratio", "low", "high", "method"}``: the partner
          indicator(s) (``partner:<indicator>``; monthly county numerator, ``log(denominator)``
          offset, quasi-Poisson, step from the month after the first campaign with at least 3
          months on each side) and the campaign pages' daily web views around each campaign
          (``web_daily_views:<campaign>``; pre-period plus campaign days, step on campaign
          days, day-of-week terms, calendar-month factors, ``log(views of pages the campaign
          did not promote)`` as the offset, quasi-Poisson errors; Newey–West errors if
          ``its_daily_hac_lags`` is set).
        - ``counterfactual``: list of ``{"campaign", "actual", "predicted", "predicted_sd",
          "predicted_low", "predicted_high", "abs_effect", "rel_effect", "rel_low", "rel_high",
          "actual_cumulative", "predicted_cumulative"}`` (daily web views of the campaign's
          pages; controls: pages it did not promote, entering as a ratio by default, see
          :func:`counterfactual`).
        - ``campaigns``: the windows used (:func:`campaign_windows` plus the pages).
        - ``themes``: free-text themes over the last ``themes_months`` months (None without a codebook).
        - ``precision``: responses needed to detect a change of ``precision_change_pp`` points.
        - ``level``, ``notes`` (analyses skipped and why).
    """
    opts = impact_settings(settings)
    level = opts["level"]
    notes: list[str] = []
    last_day = _month_end(month)
    summary: dict[str, Any] = {"month": month, "level": level}
    summary["engagement"] = engagement(tables, month)
    summary["outtakes"] = outtakes(
        tables["feedback"],
        month,
        min_n=int(opts["outtakes_min_n"]),
        level=level,
        trend_months=int(opts["trend_months"]),
        suppression=opts["suppression"],
        key_messages=opts["key_messages"],
        distractors=opts["key_message_distractors"],
        helpful_yes=opts["helpful_yes"],
        intends_change_yes=opts["intends_change_yes"],
    )
    campaigns = tables["reference_campaigns"]
    daily = daily_asset_views(tables["web_daily"], last_day)
    windows = _usable_windows(campaigns, daily, last_day, opts)
    its_rows, partner_notes = _partner_its(
        tables.get("partner_indicators"), _all_windows(campaigns, last_day), month, opts
    )
    notes += partner_notes
    counterfactual_rows = _campaign_effects(tables, month, campaigns, daily, windows, opts, its_rows, notes)
    summary["its"] = its_rows
    summary["counterfactual"] = counterfactual_rows
    summary["campaigns"] = windows
    summary["themes"] = _themes(tables, month, opts)
    if summary["themes"] is None:
        notes.append(_themes_note(opts))
    summary["precision"] = _precision(summary["outtakes"], opts)
    summary["notes"] = notes
    return summary


def _usable_windows(
    campaigns: pd.DataFrame, daily: pd.DataFrame, last_day: pd.Timestamp, opts: Mapping[str, Any]
) -> list[dict]:
    """The campaign windows within the daily web data (empty without daily data or campaigns)."""
    windows: list[dict] = []
    if not daily.empty and not campaigns.empty:
        windows = campaign_windows(
            campaigns,
            daily.index.min(),
            min(daily.index.max(), last_day),
            washout_days=int(opts["washout_days"]),
            min_pre_days=int(opts["counterfactual_min_pre_days"]),
            max_pre_days=opts["counterfactual_max_pre_days"],
        )
    return windows


def _campaign_effects(
    tables: Mapping[str, pd.DataFrame],
    month: str,
    campaigns: pd.DataFrame,
    daily: pd.DataFrame,
    windows: list[dict],
    opts: Mapping[str, Any],
    its_rows: list[dict],
    notes: list[str],
) -> list[dict]:
    """Counterfactual rows per usable campaign window, appending web time series to ``its_rows``."""
    level = opts["level"]
    counterfactual_rows = []
    for window in windows:
        if not window["usable"]:
            notes.append(f"{window['campaign']}: no counterfactual or web time series ({window['reason']})")
            continue
        y, X, info = campaign_web_series(daily, tables["reference_assets"], campaigns, window)
        window.update(info)
        if info["new_pages"]:
            notes.append(
                f"{window['campaign']}: page(s) first seen during the campaign ({', '.join(info['new_pages'])}) "
                "have no baseline and are left out of its counterfactual and time series"
            )
        if y is None:
            notes.append(f"{window['campaign']}: no web page of this campaign has daily data")
            continue
        pre = (info["pre_start"], window["pre_end"])
        post = (window["post_start"], window["post_end"])
        if (pd.Timestamp(pre[1]) - pd.Timestamp(pre[0])).days + 1 < int(opts["counterfactual_min_pre_days"]):
            notes.append(f"{window['campaign']}: the campaign pages have too little data before the campaign")
            continue
        result = counterfactual(
            y,
            X,
            pre,
            post,
            level,
            seasonal=None if X is not None else 7,
            controls=opts["counterfactual_controls"],
            prior_level_sd=opts["counterfactual_prior_level_sd"],
        )
        counterfactual_rows.append({"campaign": window["campaign"], **result.summary()})
        window["counterfactual_method"] = result.method
        its_rows.append(_web_its(y, X, pre, post, window["campaign"], opts))
        if window["partial"]:
            notes.append(
                f"{window['campaign']}: still running at the end of {month}; "
                f"only its first {window['post_days']} days are used"
            )
    return counterfactual_rows


def _themes_note(opts: Mapping[str, Any]) -> str:
    """Why the free-text themes were not coded."""
    given = opts.get("codebook")
    return (
        f"free-text themes not coded: impact.codebook is the path {given!r}, not the loaded codebook"
        if isinstance(given, str)
        else "free-text themes not coded: no codebook given (impact.codebook)"
    )


def _precision(outtake: Mapping[str, Any], opts: Mapping[str, Any]) -> list[dict]:
    change = float(opts["precision_change_pp"]) / 100
    out = []
    for measure in MEASURE_LABELS:
        estimate = outtake[measure]["overall"]["estimate"]
        if estimate is None or not 0 < estimate < 1:
            continue
        target = estimate + change if estimate + change < 1 else estimate - change
        if not 0 < target < 1:
            continue
        plan = sample_size_for_change(
            estimate, target, alpha=1 - opts["level"], power=float(opts["precision_power"])
        )
        out.append(
            {
                "measure": measure,
                "current": estimate,
                "change_pp": float(opts["precision_change_pp"]),
                "responses_needed_per_month": plan["n_per_group"],
                "responses_this_month": outtake[measure]["overall"]["n"],
                "sentence": plan["sentence"],
            }
        )
    return out
