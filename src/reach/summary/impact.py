"""The ``"impact"`` block of ``summary.json``.

Engagement, out-takes, themes, time series and counterfactuals, composed.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
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
    methods_agree,
)
from reach.estimate.counterfactual import (
    counterfactual,
    in_time_placebo,
    minimum_detectable_effect,
    placebo_pages,
    placebo_summary,
)
from reach.estimate.engagement import engagement, engagement_rate_changes
from reach.estimate.multiplicity import month_family
from reach.estimate.outtakes import MEASURE_LABELS, _small, _suppressor, outtakes, sample_size_for_change
from reach.estimate.themes import approved_quotes, code_themes, quote_hash
from reach.tidy.campaigns import campaign_primaries


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
    approved = opts.get("approved_quotes") or ()
    for source, comments in _theme_comments(tables, window):
        # Every candidate quote, then only those the analyst approved (config/approved_quotes.csv).
        coded = code_themes(comments, codebook, int(opts["themes_min_n"]), None)
        total = int(comments.dropna().astype("string").str.strip().ne("").sum())
        records = []
        for row in coded.itertuples(index=False):
            # The share and the rounded total give the count back, and with it the comments
            # not in the theme: withheld when either (or the total) is 1 to 7 (NHS rule).
            hidden = shown(row.comments) == "*" or (total > 0 and _small(shown, int(row.comments), total))
            quotes = approved_quotes(row.quotes, approved, int(opts["themes_max_quotes"]))
            records.append(
                {
                    "theme": row.theme,
                    "comments": shown(row.comments),
                    "share": None if hidden or not total else _num(row.share),
                    "quotes": quotes,
                    # Quotes could be shown but none is approved yet (`reach quotes` lists them).
                    "quotes_pending": bool(row.quotes) and not quotes,
                }
            )
        out["sources"][source] = {"comments": shown(total), "themes": records}
    return out


#: Where theme comments come from: (source in summary.json, processed table).
_THEME_SOURCES = (("feedback_form", "feedback"), ("page_feedback", "page_feedback"))


def _theme_comments(tables: Mapping[str, pd.DataFrame], window: list[str]) -> Iterator[tuple[str, pd.Series]]:
    """(source, the comments of the window's months) for each table that has comments."""
    for source, table in _THEME_SOURCES:
        frame = tables.get(table)
        if frame is None or "comment" not in frame:
            continue
        yield source, frame.loc[frame["month"].astype("string").isin(window), "comment"]


def quote_candidates(
    tables: Mapping[str, pd.DataFrame], month: str, settings: Mapping[str, Any] | None = None
) -> pd.DataFrame:
    """Every quote the month's report could show, with its hash and whether it is approved.

    The candidates are the distinct comments of each theme with at least
    ``impact.themes_min_n`` comments over the last ``impact.themes_months`` months, in the
    order :func:`reach.estimate.themes.code_themes` finds them; the report shows the first
    ``impact.themes_max_quotes`` of a theme that are approved (``impact.approved_quotes``).

    Parameters
    ----------
    tables : Mapping of str to pandas.DataFrame
        Processed tables (``feedback``, ``page_feedback``).
    month : str
        Reporting month, ``YYYY-MM``.
    settings : Mapping, optional
        Settings from :func:`reach.config.load_config` (the codebook loaded).

    Returns
    -------
    pandas.DataFrame
        ``source``, ``theme``, ``comments`` (the theme's count, exact: for the analyst only),
        ``sha256``, ``approved`` (bool), ``text``; empty without a codebook.

    Examples
    --------
    >>> tables = {"feedback": pd.DataFrame({"month": ["2026-10"] * 2, "comment": ["cot one", "cot two"]})}
    >>> settings = {"impact": {"codebook": {"Cot": ["cot"]}, "themes_min_n": 2}}
    >>> quote_candidates(tables, "2026-10", settings)[["theme", "approved", "text"]].values.tolist()
    [['Cot', False, 'cot one'], ['Cot', False, 'cot two']]
    """
    opts = impact_settings(settings)
    columns = ["source", "theme", "comments", "sha256", "approved", "text"]
    codebook = opts.get("codebook")
    if not isinstance(codebook, Mapping):
        return pd.DataFrame(columns=columns)
    approved = {str(h).strip().lower() for h in opts.get("approved_quotes") or ()}
    window = previous_months(month, int(opts["themes_months"]))
    rows = []
    for source, comments in _theme_comments(tables, window):
        coded = code_themes(comments, codebook, int(opts["themes_min_n"]), None)
        for theme in coded.itertuples(index=False):
            for text in theme.quotes:
                digest = quote_hash(text)
                rows.append((source, theme.theme, int(theme.comments), digest, digest in approved, text))
    return pd.DataFrame(rows, columns=columns)


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
        - ``engagement``: :func:`engagement`, with ``rate_changes`` (:func:`engagement_rate_changes`).
        - ``outtakes``: :func:`outtakes` (proportions as ``{"estimate", "low", "high", "n"}``).
        - ``its``: list of ``{"series", "rate_ratio", "low", "high", "method"}``: the partner
          indicator(s) (``partner:<indicator>``; monthly county numerator, ``log(denominator)``
          offset, quasi-Poisson, step from the month after the first campaign with at least 3
          months on each side) and the campaign pages' daily web views around each campaign
          (``web_daily_views:<campaign>``; pre-period plus campaign days, step on campaign
          days, day-of-week terms, calendar-month factors, ``log(views of pages the campaign
          did not promote)`` as the offset, quasi-Poisson errors; Newey–West errors if
          ``its_daily_hac_lags`` is set); a web row also has ``primary`` (the campaign's
          prespecified ``primary_method`` is ``time_series``).
        - ``counterfactual``: list of ``{"campaign", "actual", "predicted", "predicted_sd",
          "predicted_low", "predicted_high", "abs_effect", "rel_effect", "rel_low", "rel_high",
          "actual_cumulative", "predicted_cumulative", "primary", "placebo", "mde"}`` (daily web
          views of the campaign's pages; controls: pages it did not promote, entering as a ratio
          by default, see :func:`counterfactual`); ``primary``: the prespecified
          ``primary_method`` is ``counterfactual``; ``placebo``: :func:`placebo_summary` of the
          in-time placebo and up to ``counterfactual_placebo_pages`` placebo pages; ``mde``:
          ``{"rel_effect", "power"}`` (:func:`minimum_detectable_effect` at ``precision_power``).
        - ``campaigns``: the windows used (:func:`campaign_windows` plus the pages, the
          prespecified ``primary_outcome``, ``primary_method``, ``prespecified`` and, when both
          methods ran, ``agreement`` from :func:`methods_agree`).
        - ``themes``: free-text themes over the last ``themes_months`` months (None without a codebook);
          a theme's ``quotes`` are only those the analyst approved (``impact.approved_quotes``,
          :func:`quote_candidates`), and ``quotes_pending`` is True when it could show quotes
          but none is approved yet.
        - ``precision``: responses needed to detect a change of ``precision_change_pp`` points.
        - ``multiplicity``: the month's tests judged together (:func:`month_family`, see :func:`_multiplicity`).
        - ``level``, ``notes`` (analyses skipped and why).
    """
    opts = impact_settings(settings)
    level = opts["level"]
    notes: list[str] = []
    last_day = _month_end(month)
    summary: dict[str, Any] = {"month": month, "level": level}
    summary["engagement"] = engagement(tables, month)
    summary["engagement"]["rate_changes"] = engagement_rate_changes(tables, month, level)
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
    summary["multiplicity"] = _multiplicity(summary, opts)
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
    """Counterfactual rows per usable campaign window, appending web time series to ``its_rows``.

    Each window gains its prespecified ``primary_outcome``, ``primary_method`` and
    ``prespecified`` (from ``campaigns.csv``) and, when both methods ran, ``agreement``
    (:func:`methods_agree`); each counterfactual row gains ``primary``, ``placebo`` and ``mde``,
    each web time-series row ``primary``.
    """
    primaries = campaign_primaries(campaigns)
    counterfactual_rows = []
    for window in windows:
        window.update(primaries.get(window["campaign"], {}))
        _window_notes(window, notes)
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
        if (pd.Timestamp(window["pre_end"]) - pd.Timestamp(info["pre_start"])).days + 1 < int(
            opts["counterfactual_min_pre_days"]
        ):
            notes.append(f"{window['campaign']}: the campaign pages have too little data before the campaign")
            continue
        row, its_row = _campaign_results(daily, y, X, window, opts)
        counterfactual_rows.append(row)
        its_rows.append(its_row)
        window["agreement"] = methods_agree(row, its_row)
        if window["partial"]:
            notes.append(
                f"{window['campaign']}: still running at the end of {month}; "
                f"only its first {window['post_days']} days are used"
            )
    return counterfactual_rows


def _campaign_results(
    daily: pd.DataFrame, y: pd.Series, X: pd.DataFrame | None, window: dict, opts: Mapping[str, Any]
) -> tuple[dict, dict]:
    """One campaign's counterfactual row (with its placebos and MDE) and its web time-series row.

    The models see the baseline up to the day before the campaign, with the ``baseline_gap``
    (another campaign's days) missing; the in-time placebo uses only the clean baseline.
    """
    level = opts["level"]
    post = (window["post_start"], window["post_end"])
    pre_clean = (window["pre_start"], window["pre_end"])
    pre = (window["pre_start"], (pd.Timestamp(post[0]) - pd.Timedelta(days=1)).date().isoformat())
    model = {
        "seasonal": None if X is not None else 7,
        "controls": opts["counterfactual_controls"],
        "prior_level_sd": opts["counterfactual_prior_level_sd"],
        "fake_start_min_pre": int(opts["counterfactual_min_pre_days"]),
    }
    result = counterfactual(y, X, pre, post, level, **model)
    window["counterfactual_method"] = result.method
    model["start_params"] = result.params  # the placebos' likelihood search starts from the campaign's fit
    in_time = in_time_placebo(
        y, X, pre_clean, result.n_post, level, min_pre_days=int(opts["counterfactual_min_pre_days"]), **model
    )
    gap = window.get("baseline_gap")
    missing = pd.date_range(gap["start"], gap["end"], freq="D") if gap else None
    pages = placebo_pages(
        daily.loc[pd.Timestamp(pre[0]) : pd.Timestamp(post[1]), window["control_pages"]],
        pre,
        post,
        level,
        max_pages=int(opts["counterfactual_placebo_pages"]),
        missing=missing,
        controls=model["controls"],
        prior_level_sd=model["prior_level_sd"],
        start_params=model["start_params"],
        fake_start_min_pre=model["fake_start_min_pre"],
    )
    power = float(opts["precision_power"])
    mde = minimum_detectable_effect(result.predicted_cumulative, result.predicted_cumulative_sd, level, power)
    method = window.get("primary_method", "counterfactual")
    row = {
        "campaign": window["campaign"],
        **result.summary(),
        "primary": method == "counterfactual",
        "placebo": placebo_summary(in_time, pages),
        "mde": {"rel_effect": _num(mde), "power": power},
        "calibration": _calibration_record(result.calibration),
    }
    row.update(_campaign_kind("counterfactual", row["calibration"], X is not None))
    its_row = _web_its(y, X, pre, post, window["campaign"], opts)
    its_row["primary"] = method == "time_series"
    its_row["calibration"] = _calibration_record(its_row["calibration"])
    its_row.update(_campaign_kind("time_series", its_row["calibration"], X is not None))
    return row, its_row


def _calibration_record(calibration: Mapping[str, Any]) -> dict:
    """The JSON-ready fake-start check of a campaign interval."""
    return {
        "fake_starts": int(calibration["fake_starts"]),
        "scale": _num(calibration["scale"]),
        "largest": _num(calibration["largest"]),
        "applied": _num(calibration["applied"]),
        "calibrated": bool(calibration["calibrated"]),
    }


def _campaign_kind(method: str, calibration: Mapping[str, Any], controlled: bool) -> dict:
    """``kind`` and ``assumptions`` of one campaign effect, as for the headline reach figures.

    A campaign effect is an estimate of the lift on the campaign's own pages, relative to what
    its pages would have had without it; the assumptions say what must hold for it to be one.
    """
    compare = (
        "without the campaign, its pages would have kept their baseline relation to the pages it "
        "did not promote"
        if controlled
        else "without the campaign, its pages would have followed their own baseline (no control pages)"
    )
    assumptions = [compare]
    if controlled:
        assumptions.append("the campaign did not lift the pages it did not promote (no spill-over)")
    if method == "time_series":
        assumptions.append("the campaign's days are compared with earlier days of the same calendar month")
    if calibration["calibrated"]:
        assumptions.append(
            f"the baseline's runs and bursts, measured at {calibration['fake_starts']} fake starts, "
            "carry on through the campaign"
        )
    else:
        assumptions.append(
            "the model's own error is right: the interval could not be checked against fake starts "
            f"({calibration['fake_starts']} usable in the baseline)"
        )
    return {"kind": "estimate", "assumptions": assumptions}


def _window_notes(window: Mapping[str, Any], notes: list[str]) -> None:
    """Notes on a campaign's prespecified answer, baseline gap and concurrent campaigns."""
    name = window["campaign"]
    if not window.get("prespecified", True):
        notes.append(
            f"{name}: its primary method was not prespecified in campaigns.csv (primary_method blank), "
            "so the counterfactual is taken as its primary answer"
        )
    gap = window.get("baseline_gap")
    if gap and window["usable"]:
        notes.append(
            f"{name}: its baseline ends on {window['pre_end']}; {gap['start']} to {gap['end']} are left out "
            f"because campaign(s) {', '.join(gap['campaigns'])} ran then (or just before)"
        )
    if window.get("concurrent"):
        notes.append(
            f"{name}: campaign(s) {', '.join(window['concurrent'])} ran on some of the same days, so its "
            "estimates include their effect on any page both promoted"
        )


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


def _multiplicity(summary: dict[str, Any], opts: Mapping[str, Any]) -> dict:
    """The month's family of tests (:func:`month_family`), its verdicts written onto the results.

    The family is every p-valued result of the month's impact section: each out-take's
    month-on-month change (``<measure>.change``) and 12-month trend (``<measure>.trend``), each
    tested engagement-rate change (``engagement_rate.<scope>.vs_<comparison>``; none while the
    exports hold no daily engaged sessions) and any campaign row that carries a ``p_value``
    (``its:<series>``, ``counterfactual:<campaign>``; read, never changed). A test is primary when
    ``impact.primary_comparisons`` names it or, for a campaign row, when the row is its
    campaign's prespecified answer (``primary``). The out-take changes and trends and the
    engagement-rate changes gain ``test``, ``q_value``, ``primary`` and ``verdict``.
    """
    listed = [str(name) for name in opts["primary_comparisons"]]
    tests: list[dict] = []
    results: dict[str, dict] = {}
    for measure in MEASURE_LABELS:
        change, trend = summary["outtakes"][measure]["change"], summary["outtakes"][measure]["trend"]
        ratio = trend.get("odds_ratio_per_month")
        results[f"{measure}.change"], results[f"{measure}.trend"] = change, trend
        tests.append(
            {"test": f"{measure}.change", "p_value": change.get("p_value"), "estimate": change["estimate"]}
        )
        tests.append(
            {
                "test": f"{measure}.trend",
                "p_value": trend.get("p_value"),
                "estimate": None if ratio is None else ratio - 1,
            }
        )
    for row in summary["engagement"].get("rate_changes", []):
        results[row["test"]] = row
        tests.append({"test": row["test"], "p_value": row["p_value"], "estimate": row["estimate"]})
    campaign_primary = []
    for prefix, key, effect, null in (
        ("its", "series", "rate_ratio", 1.0),
        ("counterfactual", "campaign", "rel_effect", 0.0),
    ):
        for row in summary[prefix]:
            if row.get("p_value") is None:
                continue
            name, value = f"{prefix}:{row[key]}", row.get(effect)
            tests.append(
                {"test": name, "p_value": row["p_value"], "estimate": None if value is None else value - null}
            )
            campaign_primary += [name] if row.get("primary") is True else []
    family = month_family(tests, listed + campaign_primary, float(opts["level"]))
    family["primary_not_tested"] = [name for name in family["primary_not_tested"] if name in listed]
    judged = {row["test"]: row for row in family["tests"]}
    for name, result in results.items():
        row = judged.get(name)
        result.update(test=name, q_value=None if row is None else row["q_value"], primary=name in listed)
        if row is not None:
            result["verdict"] = row["verdict"]
        elif name.endswith(".change"):
            result["verdict"] = "not comparable"  # a month's share is withheld or missing
        elif name.endswith(".trend"):
            result["verdict"] = "not tested"  # fewer than 3 months with answers, or all answers the same
    return family
