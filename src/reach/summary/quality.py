"""Data-quality caveats: tracking gaps and what could make a figure less complete than it looks."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from reach.core.months import month_end, month_label, parse_month
from reach.estimate.geography import city_total_warning
from reach.tidy.readiness import why_absent

DAILY_TABLES = {
    "web_daily": "GA4 daily page views",
    "video_daily": "YouTube daily views by video",
    "channel_daily": "YouTube channel daily views",
}


MONTHLY_TABLES = {
    "web_pages": "GA4 Pages and screens",
    "web_city": "GA4 Town/City",
    "video": "YouTube videos",
    "social_posts": "Facebook posts",
    "feedback": "feedback form",
    "page_feedback": "page feedback widget",
}


def tracking_gaps(tables: Mapping[str, pd.DataFrame], month: str) -> list[str]:
    """Exports missing for the month and days missing from the daily series.

    Parameters
    ----------
    tables : Mapping of str to pandas.DataFrame
        Processed tables.
    month : str
        Reporting month.

    Returns
    -------
    list of str
        One phrase per gap, e.g. ``"GA4 daily page views: 3 of 31 days missing (5, 6 and 7 October)"``;
        empty when nothing is missing.
    """
    first = parse_month(month)
    days = pd.date_range(first, month_end(first), freq="D")
    readiness = tables.get("readiness")
    gaps = []
    for name, label in MONTHLY_TABLES.items():
        frame = tables.get(name)
        if frame is not None and not (frame["month"] == month).any():
            gaps.append(f"{label}: {why_absent(readiness, name)}")
    for name, label in DAILY_TABLES.items():
        frame = tables.get(name)
        if frame is None:
            continue
        present = pd.to_datetime(frame.loc[frame["month"] == month, "date"]).dt.normalize().unique()
        if len(present) == 0:
            gaps.append(f"{label}: {why_absent(readiness, name)}")
            continue
        missing = [d for d in days if d not in set(present)]
        if missing:
            listed = ", ".join(str(d.day) for d in missing[:10]) + (" …" if len(missing) > 10 else "")
            gaps.append(f"{label}: {len(missing)} of {len(days)} days missing ({listed} {first:%B})")
    return gaps


def data_caveats(tables: Mapping[str, pd.DataFrame], month: str, summary: Mapping[str, Any]) -> list[dict]:
    """The data-quality caveats of the month in plain English, one per topic.

    Parameters
    ----------
    tables : Mapping of str to pandas.DataFrame
        Processed tables (``inputs``, ``quarantine``, ``restatements``, ``unmatched``, ``notes``
        and the daily and monthly tables).
    month : str
        Reporting month.
    summary : Mapping
        :func:`monthly_summary` of ``month`` (its ``data_quality`` and ``impact.notes``).

    Returns
    -------
    list of dict
        ``topic`` and ``text``, in the report's order: tracking gaps, rows set aside, unmatched
        assets, a GA4 Town/City export covering more than the asset pages (only then), restated
        values, GA4 ``(other)`` rows and thresholding, file warnings, notes from reading the files,
        estimates not made.
    """
    quality = summary["data_quality"]
    out = [
        _gaps_caveat(tables, month),
        _set_aside_caveat(int(quality["quarantined_rows"])),
        _unmatched_caveat(tables["unmatched"], month),
        *_city_caveat(tables, month),
        _restated_caveat(tables["restatements"]),
        *_file_caveats(tables["inputs"], month),
    ]
    notes = tables["notes"]
    for record in notes.itertuples(index=False):
        out.append({"topic": f"Note on {record.source}", "text": str(record.note)})
    for note in (summary.get("impact") or {}).get("notes", []):
        out.append({"topic": "Not estimated", "text": str(note)})
    return out


def _gaps_caveat(tables: Mapping[str, pd.DataFrame], month: str) -> dict:
    """The tracking-gaps caveat."""
    gaps = tracking_gaps(tables, month)
    return {
        "topic": "Tracking gaps",
        "text": (
            "; ".join(gaps) + ". Figures for those sources cover only the days or exports that exist."
            if gaps
            else f"None found: every daily series covers all days of {month_label(month)} and every monthly "
            "export is present."
        ),
    }


def _set_aside_caveat(quarantined: int) -> dict:
    """The caveat on rows set aside (quarantined)."""
    return {
        "topic": "Rows set aside",
        "text": (
            f"{quarantined} rows could not be used and were set aside (quarantined); each is listed below with "
            "its file, line and reason, so none is lost silently."
            if quarantined
            else "No row was set aside: every row of every export could be read."
        ),
    }


def _unmatched_caveat(unmatched: pd.DataFrame, month: str) -> dict:
    """The caveat on identifiers of the month missing from the asset registry."""
    this_month = unmatched[unmatched["month"] == month]
    views = this_month.loc[this_month["measure"] == "views", "value"].astype("float64").sum()
    return {
        "topic": "Pages, videos and posts not in the asset registry",
        "text": (
            f"{len(this_month)} identifiers this month ({views:,.0f} views) are not in the asset registry, so they "
            "are not counted in any figure. If any is safer-sleep material, add it to the registry (assets.csv)."
            if len(this_month)
            else "Every page, video, post and campaign tag this month is in the asset registry."
        ),
    }


def _city_caveat(tables: Mapping[str, pd.DataFrame], month: str) -> list[dict]:
    """The caveat on a GA4 Town/City export that counts more users than the asset pages had (none if it fits)."""
    warning = city_total_warning(tables.get("web_city"), tables.get("web_pages"), month)
    return (
        [{"topic": "GA4 Town/City export covers more than the asset pages", "text": warning}]
        if warning
        else []
    )


def _restated_caveat(restated: pd.DataFrame) -> dict:
    """The caveat on values changed by a later export."""
    ga4 = int(restated["table"].astype("str").str.startswith("web").sum()) if len(restated) else 0
    return {
        "topic": "Restated values",
        "text": (
            f"{len(restated)} values were changed by a later export ({ga4} of them GA4 days or pages, which GA4 "
            "can restate for a few days after the event); the later value is used and each is listed below."
            if len(restated)
            else "No value was changed by a later export (GA4 can restate recent days; none was)."
        ),
    }


def _file_caveats(inputs: pd.DataFrame, month: str) -> list[dict]:
    """The caveats on the month's raw files: GA4 '(other)' rows or thresholding, and reading warnings."""
    raw = inputs[(inputs["role"] == "raw export") & inputs["path"].str.startswith(f"{month}/")]
    warnings = raw["warnings"].fillna("").astype("str")
    folded = raw[warnings.str.contains(r"\(other\)|threshold", case=False, regex=True)]
    with_warnings = int((warnings != "").sum())
    return [
        {
            "topic": "GA4 '(other)' rows and thresholding",
            "text": (
                f"In {len(folded)} of this month's files GA4 folded rare rows into '(other)' or withheld small "
                "rows for privacy (thresholding), so rows for single pages or towns may be incomplete: "
                + "; ".join(folded["path"].astype("str"))
                + "."
                if len(folded)
                else "No export this month has a GA4 '(other)' row or a thresholding warning."
            ),
        },
        {
            "topic": "Warnings when reading the files",
            "text": (
                f"{with_warnings} of the {len(raw)} files for this month had warnings; they are in the file table below."
                if with_warnings
                else f"None of the {len(raw)} files for this month had a warning."
            ),
        },
    ]
