"""The month's headline figures as written to ``summary.json``."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from reach import store
from reach.config import setting
from reach.core.disclosure import NHS_RULE, suppress_count
from reach.core.months import month_end, parse_month
from reach.estimate.engagement import (
    by_asset,
    feedback_summary,
    page_feedback_summary,
)
from reach.estimate.outtakes import share_hidden
from reach.summary import impact as impact_mod
from reach.summary import reach as reach_mod


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
    """The ``"impact"`` block of ``summary.json``: :func:`reach.summary.impact.impact_summary` without quotes.

    Free-text quotes stay in the report (escaped, redacted, only for themes with enough
    comments, and only those the analyst approved); the machine-readable summary keeps theme
    counts only.

    Parameters
    ----------
    impact : Mapping
        From :func:`reach.summary.impact.impact_summary`.

    Returns
    -------
    dict
        A copy with each theme's ``quotes`` (and ``quotes_pending``) removed.
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
                        {k: v for k, v in theme.items() if k not in ("quotes", "quotes_pending")}
                        for theme in block["themes"]
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
        ``page_feedback``, ``data_quality``, ``reach`` (:func:`reach.summary.reach.reach_summary`)
        and ``impact`` (:func:`impact_for_summary`). Counts of activity (views, sessions) are
        county-level totals, which the disclosure rule does not cover; feedback response counts
        and district counts of people are rounded by the NHS rule.
    """
    settings = settings or {}
    level = float(setting(settings, "confidence_level"))
    impact_result = impact_mod.impact_summary(tables, month, settings)

    first = parse_month(month)
    web = by_asset(tables["web_pages"], month, "web")
    video = by_asset(tables["video"], month, "video")
    social = by_asset(tables["social_posts"], month, "social")
    totals = tables["video_totals"]
    totals = totals[totals["month"] == month]
    feedback = feedback_summary(tables["feedback"], month, level)
    helpful = dict(feedback["helpful"])
    responses = feedback["responses"]
    rule = {**NHS_RULE, **dict(setting(settings, "suppression") or {})}
    shown = suppress_count(responses, rule["low"], rule["high"], rule["round_to"])
    # Withheld when the answers, the yes-answers or the other answers are 1-7 (NHS rule): with the
    # share and a rounded n a reader could otherwise work back a small count; and whenever the
    # out-takes withhold the same share (its breakdowns would give a small count back from it).
    withheld = impact_result["outtakes"]["helpful"]["overall"]["estimate"] is None
    if shown == "*" or withheld or share_hidden(helpful["successes"], helpful["n"], rule):
        helpful.update({"estimate": None, "low": None, "high": None, "suppressed": True})
    helpful.pop("successes", None)
    helpful["n"] = shown
    page = page_feedback_summary(tables["page_feedback"], month, level)
    if share_hidden(page["successes"], page["n"], rule):
        page.update({"estimate": None, "low": None, "high": None, "suppressed": True})
    page.pop("successes", None)
    page["n"] = suppress_count(page["n"], rule["low"], rule["high"], rule["round_to"])

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
        "reach": reach_mod.reach_summary(tables, month, settings),
        "impact": impact_result if quotes else impact_for_summary(impact_result),
    }


def write_summary(summary: Mapping[str, Any], path: str | Path) -> None:
    """Write the month's figures to ``summary.json`` (theme quotes left out), from the notebook.

    The report notebook computes the figures once and calls this from its last cell, so the
    ``summary.json`` beside an executed notebook is exactly what that notebook computed. It prints
    one line with the SHA-256 of the figures. A ``summary.json`` that is already there is never
    replaced: when it holds the same figures the line is the same as when it was written (so a
    re-executed notebook compares equal), and when it differs the line says so and the file is
    left as it was (a reviewer re-running a published notebook never overwrites its figures).

    Parameters
    ----------
    summary : Mapping
        From :func:`monthly_summary` (with or without quotes).
    path : str or pathlib.Path
        Where to write; a relative path is taken from the working directory (the folder the
        notebook runs in). An empty string writes nothing (the notebook run by hand).

    Examples
    --------
    >>> write_summary({"month": "2026-10", "impact": {}}, "")
    summary.json not written: no summary_path was given
    """
    if not str(path):
        print("summary.json not written: no summary_path was given")
        return
    target = Path(path)
    text = store.json_text({**summary, "impact": impact_for_summary(summary["impact"])})
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if target.exists() and target.read_bytes() != text.encode("utf-8"):
        print(
            f"summary.json beside this notebook was NOT replaced: it differs from these figures "
            f"(SHA-256 {digest}; the file's is {store.sha256_file(target)})"
        )
        return
    if not target.exists():
        target.write_text(text, encoding="utf-8")
    print(f"summary.json holds these figures, SHA-256 {digest}")
