"""Which month each parsed file belongs to.

Also which copy of a re-downloaded file wins, and which days the GA4 reports cover.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from reach.ingest.meta import paid_reach_rows
from reach.tidy.feedback import tidy_feedback
from reach.tidy.specs import BIGQUERY, DATED


@dataclass(frozen=True)
class SourceFile:
    """One parsed export with the facts needed to place it.

    Attributes
    ----------
    export : reach.ingest.export.Export
        The parsed, validated export.
    relpath : str
        Path relative to the raw folder, as recorded in the processed tables.
    folder_month : str or None
        The ``YYYY-MM`` folder the file was found in.
    """

    export: object
    relpath: str
    folder_month: str | None


def route(export) -> str | None:
    """Name the processed table an export feeds, or None if no monthly table uses it.

    Parameters
    ----------
    export : reach.ingest.export.Export
        A parsed export.

    Returns
    -------
    str or None
        A key of :data:`TABLE_SPECS`, or None.
    """
    kind = export.kind
    columns = set(export.table.columns)
    if kind == "ga4_report":
        dims = tuple(export.meta.get("dimensions", ()))
        return {
            ("page_path",): "web_pages",
            ("date", "page_path"): "web_daily",
            ("page_path", "date"): "web_daily",
            ("city",): "web_city",
            ("source_medium", "campaign"): "web_acquisition",
        }.get(dims)
    if kind == "youtube_table":
        return (
            "video"
            if "video_id" in columns
            else ("channel_daily" if "date" in columns and "views" in columns else None)
        )
    if kind == "youtube_chart":
        return "video_daily" if export.meta.get("metric") == "views" else None
    if kind == "youtube_totals":
        return "channel_daily" if export.meta.get("metric") == "views" else None
    if kind == "ga4_bigquery":
        return "web_users"  # and web_daily, web_pages, web_city: see bigquery_frames
    return {
        "meta_posts": "social_posts",
        "meta_ads": "social_paid",
        "forms_microsoft": "feedback",
        "forms_google": "feedback",
        "feedback_page": "page_feedback",
        "partner_indicators": "partner_indicators",
        "hv_recall": "hv_recall",
    }.get(kind)


def period_month(start: dt.date | None, end: dt.date | None) -> str | None:
    """Return ``YYYY-MM`` if ``start``..``end`` is exactly one calendar month, else None.

    Examples
    --------
    >>> period_month(dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    '2026-10'
    >>> period_month(dt.date(2026, 10, 1), dt.date(2026, 11, 30)) is None
    True
    """
    if start is None or end is None or start.day != 1:
        return None
    following = end + dt.timedelta(days=1)
    if following.day != 1 or (start.year, start.month) != (end.year, end.month):
        return None
    return f"{start.year:04d}-{start.month:02d}"


def file_month(table: str, source: SourceFile) -> tuple[str | None, str | None]:
    """The month a whole file belongs to, for tables without a date on each row.

    A file is charged to a month only when its period is known: its own dates (a GA4 preamble,
    a Meta file name), the dates of the sibling files of the same download, or a period written
    in its name (:func:`reach.tidy.readiness.infer_periods`). A Meta posts export whose period
    comes from its publish times belongs to the month they all fall in. The folder a file sits
    in is never taken as its period: a YouTube ``Table data.csv`` of a whole year in the March
    folder is not March.

    Returns
    -------
    tuple
        ``(month, None)``; ``(None, None)`` for dated tables (their rows carry the month);
        ``(None, reason)`` when the file covers more or less than one calendar month, or has no
        known period.

    Examples
    --------
    >>> import pandas as pd
    >>> from reach.ingest.export import Export
    >>> table = pd.DataFrame({"video_id": ["abcdefghijk"], "views": [5]})
    >>> loose = Export("t.csv", "youtube_table", None, None, table, None, (), {})
    >>> file_month("video", SourceFile(loose, "2026-03/t.csv", "2026-03"))[0] is None
    True
    """
    if table in DATED:
        return None, None
    export = source.export
    month = period_month(export.start, export.end)
    if month is None and export.meta.get("period_source") == "publish times":
        month = _single_month(export.start, export.end)
    if month is None and export.start is None:
        return None, export.meta.get("period_missing") or (
            "the file has no period of its own (no start and end dates), so it cannot be charged to a month"
        )
    if month is None:
        return (
            None,
            f"covers {export.start} to {export.end}; monthly tables need an export of exactly one calendar month",
        )
    return month, None


def _single_month(start: dt.date | None, end: dt.date | None) -> str | None:
    """``YYYY-MM`` when ``start`` and ``end`` fall in the same calendar month, else None."""
    if start is None or end is None or (start.year, start.month) != (end.year, end.month):
        return None
    return f"{start.year:04d}-{start.month:02d}"


def _frame_for(
    table: str, source: SourceFile, questions: Mapping[str, str]
) -> tuple[pd.DataFrame, list[str]]:
    export = source.export
    if table == "video_totals":
        return pd.DataFrame([export.totals or {}]), []
    if table == "feedback":
        return tidy_feedback(export.table, questions)
    if table == "social_paid":
        return paid_reach_rows(export)
    return export.table, []


_COPY_SUFFIX = re.compile(r"^(?P<stem>.*?)(?: \((?P<copy>\d+)\))?(?P<ext>\.[^./]*)?$")


def download_order(relpath: str) -> tuple[str, str, int]:
    """Sort key that puts a browser's re-download (``name (2).csv``) after the first (``name.csv``).

    Examples
    --------
    >>> sorted(["a/x (10).csv", "a/x.csv", "a/x (2).csv"], key=download_order)
    ['a/x.csv', 'a/x (2).csv', 'a/x (10).csv']
    """
    folder, _, name = relpath.rpartition("/")
    match = _COPY_SUFFIX.match(name)
    copy = int(match.group("copy")) if match and match.group("copy") else 0
    base = (match.group("stem") + (match.group("ext") or "")) if match else name
    return folder, base, copy


def report_coverage(sources: Sequence[SourceFile]) -> dict[str, set]:
    """What GA4 report exports cover, so BigQuery rows never count the same views twice.

    Parameters
    ----------
    sources : sequence of SourceFile
        Every parsed export of the build (BigQuery exports are skipped).

    Returns
    -------
    dict
        ``{"web_daily": {datetime.date, ...}, "web_pages": {"YYYY-MM", ...}, "web_city": {...}}``:
        the days of every report export routed to ``web_daily`` (its declared period, or the
        dates in its rows when it has none) and the months of those routed to ``web_pages`` and
        ``web_city``.
    """
    covered: dict[str, set] = {"web_daily": set(), "web_pages": set(), "web_city": set()}
    for source in sources:
        export = source.export
        if export.kind == BIGQUERY:
            continue
        table = route(export)
        if table == "web_daily":
            if export.start is not None and export.end is not None:
                days = (export.end - export.start).days
                covered[table].update(export.start + dt.timedelta(days=i) for i in range(days + 1))
            elif "date" in export.table:
                covered[table].update(pd.to_datetime(export.table["date"]).dropna().dt.date)
        elif table in ("web_pages", "web_city"):
            month, _ = file_month(table, source)
            if month is not None:
                covered[table].add(month)
    return covered
