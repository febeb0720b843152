"""Detect and parse the exports analysts download (stage 1 of the pipeline).

Every file is recognised by its **content** (the file name is only a tie-break hint), parsed
with a real CSV parser (:mod:`csv`, strict quoting) and turned into an :class:`Export`: a tidy
table with canonical snake_case columns, the reporting period, any totals row kept apart for
reconciliation, and one-sentence warnings for every repair or oddity that was noticed (Excel
damage, ``(other)`` rows, filled-in zero days, ...).

Parsing is pure (:func:`parse_export` takes bytes); only :func:`read_export`,
:func:`read_exports`, :func:`inspect_files` and :func:`find_exports` touch the file system,
and they only read.

The shapes handled here are described in ``../shared/docs/export-formats.md``.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import numpy as np
import pandas as pd

from reach.exceptions import InputValidationError, ReachError, UnrecognisedExportError

__all__ = [
    "CANONICAL_COLUMNS",
    "KINDS",
    "Export",
    "detect_kind",
    "find_exports",
    "inspect_files",
    "parse_export",
    "read_export",
    "read_exports",
    "snake_case",
]

KINDS: tuple[str, ...] = (
    "ga4_report",
    "ga4_snapshot",
    "youtube_table",
    "youtube_chart",
    "youtube_totals",
    "meta_posts",
    "meta_daily",
    "meta_ads",
    "forms_microsoft",
    "forms_google",
    "feedback_feedex",
    "feedback_page",
    "partner_indicators",
    "ga4_bigquery",
)
"""Every export kind :func:`detect_kind` can return."""

# --------------------------------------------------------------------------------------------
# Canonical column names.  Keys are header texts, lower-cased with runs of white space collapsed.
# Headers not listed get :func:`snake_case` of their text.
# --------------------------------------------------------------------------------------------

_GA4_DIMENSIONS: dict[str, str] = {
    "page path and screen class": "page_path",
    "page path": "page_path",
    "page title and screen class": "page_title",
    "page title and screen name": "page_title",
    "page title": "page_title",
    "landing page": "landing_page",
    "landing page + query string": "landing_page",
    "date": "date",
    "town/city": "city",
    "city": "city",
    "session source / medium": "source_medium",
    "session campaign": "campaign",
    "session primary channel group (default channel group)": "channel_group",
    "session default channel group": "channel_group",
    "default channel group": "channel_group",
    "primary channel group (default channel group)": "channel_group",
    "first user primary channel group (default channel group)": "first_user_channel_group",
    "first user default channel group": "first_user_channel_group",
    "event name": "event_name",
    "session source": "source",
    "source": "source",
    "browser": "browser",
    "nth day": "date",
    "nth week": "nth_week",
    "nth month": "nth_month",
    "country": "country",
    "region": "region",
    "device category": "device_category",
    "language": "language",
    "gender": "gender",
    "age": "age",
    "operating system": "operating_system",
    "platform": "platform",
    "session medium": "medium",
    "medium": "medium",
    "first user source / medium": "first_user_source_medium",
    "hour": "hour",
    "month": "month",
    "week": "week",
    "year": "year",
    "date + hour (yyyymmddhh)": "date_hour",
}

_GA4_METRICS: dict[str, str] = {
    "views": "views",
    "users": "active_users",
    "active users": "active_users",
    "total users": "total_users",
    "new users": "new_users",
    "returning users": "returning_users",
    "sessions": "sessions",
    "engaged sessions": "engaged_sessions",
    "engagement rate": "engagement_rate",
    "bounce rate": "bounce_rate",
    "views per user": "views_per_active_user",
    "views per active user": "views_per_active_user",
    "average engagement time": "avg_engagement_time_per_active_user",
    "average engagement time per active user": "avg_engagement_time_per_active_user",
    "average engagement time per session": "avg_engagement_time_per_session",
    "average session duration": "avg_session_duration",
    "event count": "event_count",
    "events per session": "events_per_session",
    "event count per user": "event_count_per_active_user",
    "event count per active user": "event_count_per_active_user",
    "conversions": "key_events",
    "key events": "key_events",
    "total revenue": "total_revenue",
    "session conversion rate": "session_key_event_rate",
    "session key event rate": "session_key_event_rate",
    "user conversion rate": "user_key_event_rate",
    "user key event rate": "user_key_event_rate",
    "engaged sessions per user": "engaged_sessions_per_active_user",
    "engaged sessions per active user": "engaged_sessions_per_active_user",
    "views per session": "views_per_session",
    "sessions per user": "sessions_per_active_user",
    "sessions per active user": "sessions_per_active_user",
    "entrances": "entrances",
    "exits": "exits",
    "user engagement": "user_engagement",
}

_GA4_COUNTS = frozenset(
    {
        "views",
        "active_users",
        "total_users",
        "new_users",
        "returning_users",
        "sessions",
        "engaged_sessions",
        "event_count",
        "key_events",
        "entrances",
        "exits",
    }
)

_YOUTUBE: dict[str, str] = {
    "content": "video_id",
    "video": "video_id",
    "video title": "title",
    "video publish time": "published",
    "duration": "duration_s",
    "date": "date",
    "views": "views",
    "watch time (hours)": "watch_time_hours",
    "subscribers": "subscribers",
    "impressions": "impressions",
    "thumbnail impressions": "impressions",
    "impressions click-through rate (%)": "impressions_ctr_pct",
    "thumbnail click-through rate (%)": "impressions_ctr_pct",
    "unique viewers": "unique_viewers",
    "average views per viewer": "avg_views_per_viewer",
    "average view duration": "avg_view_duration_s",
    "average percentage viewed (%)": "avg_pct_viewed",
    "engaged views": "engaged_views",
}

_YT_METRIC_KEYS = frozenset({"views", "watch time (hours)", "average view duration", "subscribers"})

# Headers only YouTube Studio writes (GA4 has Views and Impressions too).
_YT_ONLY_KEYS = frozenset(
    {
        "watch time (hours)",
        "average view duration",
        "subscribers",
        "impressions click-through rate (%)",
        "thumbnail impressions",
        "thumbnail click-through rate (%)",
    }
)

_YOUTUBE_COUNTS = frozenset(
    {
        "duration_s",
        "views",
        "subscribers",
        "impressions",
        "unique_viewers",
        "engaged_views",
        "new_viewers",
        "returning_viewers",
        "casual_viewers",
        "regular_viewers",
        "unique_reach",
        "subscribers_gained",
        "subscribers_lost",
        "likes",
        "dislikes",
        "shares",
        "comments_added",
        "post_subscribers",
        "shown_in_feed",
    }
)

_META_POSTS: dict[str, str] = {
    "post id": "post_id",
    "page id": "page_id",
    "page name": "page_name",
    "title": "title",
    "description": "description",
    "duration (sec)": "duration_s",
    "publish time": "publish_time",
    "post type": "post_type",
    "permalink": "permalink",
    "views": "views",
    "impressions": "views",
    "reach": "reach",
    "reactions, comments and shares": "reactions_comments_shares",
    "reactions": "reactions",
    "comments": "comments",
    "shares": "shares",
    "total clicks": "total_clicks",
    "link clicks": "link_clicks",
    "other clicks": "other_clicks",
    "seconds viewed": "seconds_viewed",
    "average seconds viewed": "avg_seconds_viewed",
    "3-second video views": "video_views_3s",
    "1-minute video views": "video_views_1min",
    "date": "date_label",
}

_META_POSTS_STR = frozenset(
    {
        "post_id",
        "page_id",
        "page_name",
        "title",
        "description",
        "post_type",
        "permalink",
        "caption_type",
        "is_crosspost",
        "is_share",
        "languages",
        "custom_labels",
        "funded_content_status",
        "data_comment",
        "date_label",
    }
)

_FEEDEX: dict[str, str] = {
    "creation date": "created_at",
    "path or service name": "path",
    "feedback": "feedback",
    "type": "type",
}

_FEEDBACK_PAGE: dict[str, str] = {
    "submitted": "submitted_at",
    "page url": "page_path",
    "was this page helpful?": "helpful",
    "comment": "comment",
}

CANONICAL_COLUMNS: dict[str, dict[str, str]] = {
    "ga4_report": {**_GA4_DIMENSIONS, **_GA4_METRICS},
    "ga4_snapshot": {**_GA4_DIMENSIONS, **_GA4_METRICS},
    "youtube_table": dict(_YOUTUBE),
    "youtube_chart": dict(_YOUTUBE),
    "youtube_totals": dict(_YOUTUBE),
    "meta_posts": dict(_META_POSTS),
    "meta_daily": {"date": "date", "primary": "value"},
    "meta_ads": {},
    "forms_microsoft": {"start time": "started_at", "completion time": "completed_at"},
    "forms_google": {"timestamp": "completed_at"},
    "feedback_feedex": dict(_FEEDEX),
    "feedback_page": dict(_FEEDBACK_PAGE),
    "partner_indicators": {},
}
"""Per kind: header text (lower-cased, white space collapsed) -> canonical column name.

Headers that are not listed become :func:`snake_case` of their text, except the question columns
of forms, which keep their (stripped) header text.
"""

KIND_LABELS: dict[str, str] = {
    "ga4_report": "a GA4 report CSV",
    "ga4_snapshot": "a GA4 multi-table CSV (Reports snapshot, overview or comparison)",
    "ga4_bigquery": "a GA4 BigQuery events export",
    "youtube_table": "a YouTube Studio 'Table data' export",
    "youtube_chart": "a YouTube Studio 'Chart data' export",
    "youtube_totals": "a YouTube Studio 'Totals' export",
    "meta_posts": "a Meta Business Suite posts export",
    "meta_daily": "a Meta Business Suite daily series export",
    "meta_ads": "a Meta Ads Manager export",
    "forms_microsoft": "a Microsoft Forms responses file",
    "forms_google": "a Google Forms responses sheet",
    "feedback_feedex": "a GOV.UK Feedback Explorer export",
    "feedback_page": "a page-feedback widget export",
    "partner_indicators": "a partner indicators file",
}
"""Per kind: how messages name it ("... the file was read as a GA4 report CSV")."""

_MAX_ZIP_MEMBER = 200 * 1024 * 1024
_TOTAL_LABELS = frozenset({"total", "totals", "grand total"})


# --------------------------------------------------------------------------------------------
# The result type
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Export:
    """One parsed export file.

    Parameters
    ----------
    path : pathlib.Path
        The file it came from (for a zip member: ``<archive>/<member>``).
    kind : str
        One of :data:`KINDS`.
    start, end : datetime.date or None
        The reporting period, inclusive; None when the file does not say.
    table : pandas.DataFrame
        Tidy rows with canonical snake_case columns; no totals or preamble rows.
    totals : dict or None
        A totals row the file carries (YouTube ``Total``, Meta Ads account total), as
        ``{canonical column: value}``, kept for reconciliation.
    warnings : tuple of str
        Announced repairs and oddities, one sentence each.
    meta : dict
        Everything else the file says: ``columns`` (canonical -> source header), ``units``,
        ``dimensions`` (GA4), ``metric`` (single-metric files), ``report_title``, ``account``,
        ``property``, ``segment``, ``tables`` (GA4 snapshot), ``encoding``, and ``_line`` (the
        1-based physical line number of each table row, used by :mod:`reach.validate`).
    """

    path: Path
    kind: str
    start: dt.date | None
    end: dt.date | None
    table: pd.DataFrame
    totals: dict | None
    warnings: tuple[str, ...]
    meta: dict

    @property
    def rows(self) -> int:
        """Number of rows in :attr:`table`."""
        return len(self.table)

    def __repr__(self) -> str:
        return (
            f"Export(path={str(self.path)!r}, kind={self.kind!r}, start={self.start}, end={self.end}, "
            f"rows={self.rows}, columns={list(self.table.columns)!r}, warnings={len(self.warnings)})"
        )


# --------------------------------------------------------------------------------------------
# Small pure helpers
# --------------------------------------------------------------------------------------------


def snake_case(text: str) -> str:
    """Turn a header text into a snake_case column name.

    Parameters
    ----------
    text : str
        Header text as written in the file.

    Returns
    -------
    str
        Lower-case ASCII, words joined by ``_``; ``%`` becomes ``pct``.

    Examples
    --------
    >>> snake_case("Amount spent (INR)")
    'amount_spent_inr'
    >>> snake_case("Stayed to watch (%)")
    'stayed_to_watch_pct'
    """
    t = unicodedata.normalize("NFKD", text.replace("\ufeff", "")).encode("ascii", "ignore").decode()
    t = t.strip().lower().replace("%", " pct ").replace("&", " and ").replace("+", " plus ")
    t = re.sub(r"[^0-9a-z]+", "_", t).strip("_")
    return t or "column"


def _key(text: str) -> str:
    """Header lookup key: BOM removed, white space collapsed, lower case."""
    return re.sub(r"\s+", " ", text.replace("\ufeff", "")).strip().lower()


@dataclass(frozen=True)
class _Rec:
    """One CSV record: the physical line it starts on and its fields."""

    line: int
    fields: list[str]

    @property
    def blank(self) -> bool:
        return all(isinstance(f, str) and not f.strip() for f in self.fields)

    @property
    def comment(self) -> bool:
        return (
            bool(self.fields) and isinstance(self.fields[0], str) and self.fields[0].lstrip().startswith("#")
        )

    @property
    def comment_text(self) -> str:
        """Text after the ``#`` (fields re-joined; Excel's trailing commas removed)."""
        joined = ",".join(self.fields).rstrip(", ")
        return joined.lstrip()[1:].strip()


@dataclass
class _Doc:
    """A decoded file on its way through detection and parsing."""

    path: Path
    name: str
    size: int
    encoding: str
    text: str
    records: list[_Rec]
    warnings: list[str]
    delimiter: str = ","
    xlsx: bool = False


def _records(text: str, path: Path, delimiter: str = ",") -> list[_Rec]:
    """Split text into CSV records with their starting physical line numbers.

    Raises
    ------
    InputValidationError
        When the quoting is broken (e.g. a quoted value is never closed: a truncated file).
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    out: list[_Rec] = []
    prev = 0
    try:
        for fields in reader:
            out.append(_Rec(prev + 1, fields))
            prev = reader.line_num
    except csv.Error as err:
        if "field limit" in str(err):
            raise InputValidationError(
                f"a single value is longer than {csv.field_size_limit():,} characters, which no export "
                "writes; the file is damaged or is not an export - download it again",
                path=path,
                row=prev + 1,
            ) from err
        raise InputValidationError(
            f"the CSV quoting is broken ({err}): a quoted value is not closed or has stray text after "
            "its closing quote; the file may be truncated or edited by hand - download it again",
            path=path,
            row=prev + 1,
        ) from err
    return out


_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document, not a CSV export"),
    (b"\xd0\xcf\x11\xe0", "an old-style Office file (.xls/.doc); open it and save it as CSV or .xlsx"),
    (b"\x89PNG", "a PNG image, not a CSV export"),
    (b"\xff\xd8\xff", "a JPEG image, not a CSV export"),
    (b"GIF8", "a GIF image, not a CSV export"),
    (b"\x1f\x8b", "a gzip-compressed file; decompress it first"),
    (b"PAR1", "a Parquet file, not a CSV export (reach reads the raw downloads)"),
    (b"SQLite format 3", "an SQLite database, not a CSV export"),
)


def _is_zip(data: bytes) -> bool:
    return data[:4] in (b"PK\x03\x04", b"PK\x05\x06")


def _is_bigquery(data: bytes) -> bool:
    """GA4 BigQuery events as NDJSON (maybe gzip) or Parquet; only the first bytes are looked at."""
    head = data[: 1 << 20]
    if head.lstrip()[:1] != b"{" and not head.startswith((b"\x1f\x8b", b"PAR1", codecs.BOM_UTF8)):
        return False
    from reach.bigquery import sniff_bigquery  # noqa: PLC0415

    return sniff_bigquery(data if data.startswith(b"PAR1") else head) is not None


def _is_bigquery_file(path: Path) -> bool:
    """:func:`_is_bigquery` for a file on disk, reading its first megabyte only (unreadable: False)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(1 << 20)
    except OSError:
        return False
    if head.lstrip()[:1] != b"{" and not head.startswith((b"\x1f\x8b", b"PAR1", codecs.BOM_UTF8)):
        return False
    from reach.bigquery import sniff_bigquery  # noqa: PLC0415

    return sniff_bigquery(head, path) is not None


def _parse_bigquery_file(path: Path) -> Export:
    from reach.bigquery import parse_bigquery  # noqa: PLC0415

    return parse_bigquery(path)


def _is_xlsx(data: bytes) -> bool:
    if not _is_zip(data):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    return "xl/workbook.xml" in names


def _decode(data: bytes, path: Path) -> tuple[str, str, list[str]]:
    """Decode bytes to text: UTF-8 (BOM optional), UTF-16 with BOM, else Windows-1252.

    Returns
    -------
    tuple
        ``(text, encoding, warnings)``.
    """
    warnings: list[str] = []
    if not data:
        raise UnrecognisedExportError("empty file (0 bytes); download the export again", path=path)
    for magic, what in _SIGNATURES:
        if data.startswith(magic):
            raise UnrecognisedExportError(f"this is {what}", path=path)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16", warnings
        except UnicodeDecodeError as err:
            raise InputValidationError(
                f"the file starts with a UTF-16 byte-order mark but is not valid UTF-16 ({err.reason} at "
                f"byte {err.start}); it may be truncated - download it again",
                path=path,
            ) from err
    head = data[:4096]
    if b"\x00" in head:
        # UTF-16 without a BOM shows NULs in every other byte of ASCII text.
        even, odd = head[0::2], head[1::2]
        for enc, zeros in (("utf-16-le", odd), ("utf-16-be", even)):
            if zeros and zeros.count(0) > 0.9 * len(zeros):
                try:
                    text = data.decode(enc)
                except UnicodeDecodeError:
                    break
                warnings.append(
                    f"The file is UTF-16 ({enc}) without a byte-order mark; it was decoded as such."
                )
                return text, enc, warnings
        raise UnrecognisedExportError("binary file (it contains NUL bytes), not a CSV export", path=path)
    if data.startswith(codecs.BOM_UTF8):
        body, encoding = data[len(codecs.BOM_UTF8) :], "utf-8-sig"
    else:
        body, encoding = data, "utf-8"
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        text = body.decode("cp1252", errors="replace")
        encoding = "cp1252"
        warnings.append(
            "The file is not UTF-8, so it was read as Windows-1252; it was probably re-saved by Excel, "
            "so check accented characters and prefer the original download."
        )
    sample = text[:4096]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\r\n\t")
    if sample and controls > 0.05 * len(sample):
        raise UnrecognisedExportError("binary file (mostly control characters), not a CSV export", path=path)
    return text, encoding, warnings


def _describe_text(doc: _Doc) -> str:
    """Describe a text file that matched no export kind, for the error message."""
    stripped = doc.text.lstrip()
    low = stripped[:200].lower()
    if low.startswith(("<!doctype html", "<html")):
        return "an HTML page (perhaps a sign-in page was saved instead of the download), not a CSV export"
    if low.startswith("<?xml"):
        return "an XML file, not a CSV export"
    if low.startswith(("{", "[")):
        return (
            "a JSON file that is not a GA4 BigQuery events export (whose every line is an event object "
            "with event_date, event_name and user_pseudo_id), e.g. an API export, which reach does not "
            "read; download the CSV from the report's Share/Export menu instead"
        )
    first = next((r for r in doc.records if not r.blank), None)
    enc = "UTF-16 " if doc.encoding.startswith("utf-16") else ""
    if first is None:
        return f"a {enc}text file with only blank lines"
    if (known := _foreign_export(first, doc.records)) is not None:
        return known
    header = ", ".join(f.strip() for f in first.fields[:6])
    more = ", ..." if len(first.fields) > 6 else ""
    return (
        f"a {enc}text file with no recognised header (first line: {header[:120]!r}{more}); reach reads GA4 "
        "report CSVs, YouTube Studio Table/Chart/Totals, Meta Business Suite posts/daily/Ads Manager, "
        "Microsoft/Google Forms, GOV.UK Feedback Explorer, page feedback and partner indicator files"
    )


_STAMP_RE = re.compile(r"\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}[ T]\d{1,2}:\d{2}(:\d{2})?")


def _foreign_export(first: _Rec, records: Sequence[_Rec]) -> str | None:
    """Name a well-known export reach does not read, or a known export missing its header row."""
    keys = [_key(str(f)) for f in first.fields]
    keyset = set(keys)
    if {"clicks", "impressions", "ctr", "position"} <= keyset:
        return (
            "a Google Search Console performance export (Clicks, Impressions, CTR, Position), which reach "
            "does not read; web figures come from GA4 report CSVs"
        )
    if keys[:1] == ["project name"] and any(
        _key(str(r.fields[0])) == "date range" for r in records[:5] if r.fields
    ):
        return "a Microsoft Clarity export, which reach does not read; web figures come from GA4 report CSVs"
    f = [str(x).strip() for x in first.fields]
    if (
        len(f) >= 5
        and f[0].isdigit()
        and _STAMP_RE.fullmatch(f[1])
        and _STAMP_RE.fullmatch(f[2])
        and (f[3].lower() == "anonymous" or "@" in f[3] or not f[3])
    ):
        return (
            "Microsoft Forms responses without their header row (the first line is already a response: "
            "ID, start and completion times, email), so the questions cannot be matched by their text; "
            "download the responses again"
        )
    return None


# --------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------

_ISO_RE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$"
)
_COMPACT_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_MONTHNAME_RE = re.compile(r"^([A-Za-z]{3,9})\.? (\d{1,2}), (\d{4})$")
_DMONY_RE = re.compile(r"^(\d{1,2})[- ]([A-Za-z]{3,9})[- ](\d{2}|\d{4})$")
_NUMERIC_RE = re.compile(
    r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?$"
)
_MONTHS = {
    m.lower(): i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for m in names
}

_FAMILY_EXAMPLE = {
    "iso": "2025-06-13",
    "compact": "20250613",
    "monthname": "Sep 29, 2025",
    "dmony": "3-Jun-26",
    "numeric": "13/06/2025",
}


def _year(text: str) -> int:
    y = int(text)
    return y + 2000 if len(text) == 2 and y < 69 else (y + 1900 if len(text) == 2 else y)


def _check_date_order(date_order: str | None, path: Path) -> str | None:
    if date_order is None:
        return None
    order = str(date_order).strip().upper()
    if order not in ("DMY", "MDY"):
        raise InputValidationError(
            "date_order must be 'DMY' or 'MDY' (set forms_date_order: DMY or MDY in config/reach.yaml)",
            path=path,
            value=date_order,
        )
    return order


@dataclass
class _DateResult:
    values: pd.Series
    warnings: list[str]
    families: set[str]
    order: str | None


def _parse_dates(
    values: Sequence[Any],
    lines: Sequence[int | None],
    *,
    path: Path,
    column: str,
    families: Sequence[str],
    excel_families: Sequence[str] = (),
    date_order: str | None = None,
    default_order: str | None = None,
    consecutive_hint: bool = False,
    order_source: str = "date_order",
) -> _DateResult:
    """Parse a column of date or date-time strings into ``datetime64[ns]``.

    Parameters
    ----------
    values : sequence
        Cell values (strings; ``datetime``/``date`` objects from .xlsx pass through).
    lines : sequence of int
        Physical line of each value, for error messages.
    path, column : Path, str
        For error messages.
    families : sequence of str
        Accepted spellings: ``iso``, ``compact`` (YYYYMMDD), ``monthname`` (``Sep 29, 2025``),
        ``dmony`` (``3-Jun-26``), ``numeric`` (``13/06/2025``, ``6/13/25 10:01``, ``13-06-2025``).
    excel_families : sequence of str
        Families that mean the file was re-saved by a spreadsheet: a warning is added.
    date_order : {"DMY", "MDY"} or None
        Configured order for ambiguous numeric dates.
    default_order : {"DMY", "MDY"} or None
        Order the source documents, used when the values do not decide and no date_order is set.
    consecutive_hint : bool
        For daily series: decide an ambiguous order by which reading gives consecutive days.
    order_source : str
        How the message names the option that settles ambiguity.

    Returns
    -------
    _DateResult
        ``values`` is a ``datetime64[ns]`` Series (NaT for blanks).

    Raises
    ------
    InputValidationError
        A value fits no accepted spelling, is not a real date, or the day/month order cannot be decided.
    """
    n = len(values)
    out: list[Any] = [None] * n
    used: set[str] = set()
    numeric: list[tuple[int, re.Match[str]]] = []

    def fail(i: int, why: str) -> InputValidationError:
        return InputValidationError(
            why, path=path, row=lines[i] if i < len(lines) else None, column=column, value=values[i]
        )

    examples = " or ".join(repr(_FAMILY_EXAMPLE[f]) for f in families)
    for i, raw in enumerate(values):
        if raw is None or (isinstance(raw, float) and np.isnan(raw)):
            continue
        if isinstance(raw, dt.datetime):
            out[i] = raw.replace(tzinfo=None)
            used.add("native")
            continue
        if isinstance(raw, dt.date):
            out[i] = dt.datetime(raw.year, raw.month, raw.day)
            used.add("native")
            continue
        text = str(raw).strip()
        if not text:
            continue
        try:
            if "iso" in families and (m := _ISO_RE.match(text)):
                y, mo, d, hh, mi, ss, frac, tz = m.groups()
                stamp = dt.datetime(int(y), int(mo), int(d), int(hh or 0), int(mi or 0), int(ss or 0))
                if frac:
                    stamp = stamp.replace(microsecond=int(frac[:6].ljust(6, "0")))
                if tz:
                    off = 0 if tz == "Z" else (1 if tz[0] == "+" else -1) * (int(tz[1:3]) * 60 + int(tz[-2:]))
                    stamp = stamp - dt.timedelta(minutes=off)
                    used.add("iso_tz")
                out[i] = stamp
                used.add("iso")
            elif "compact" in families and (m := _COMPACT_RE.match(text)):
                out[i] = dt.datetime(int(m[1]), int(m[2]), int(m[3]))
                used.add("compact")
            elif "monthname" in families and (m := _MONTHNAME_RE.match(text)):
                month = _MONTHS.get(m[1].lower())
                if month is None:
                    raise ValueError(f"unknown month {m[1]!r}")
                out[i] = dt.datetime(int(m[3]), month, int(m[2]))
                used.add("monthname")
            elif "dmony" in families and (m := _DMONY_RE.match(text)):
                month = _MONTHS.get(m[2].lower())
                if month is None:
                    raise ValueError(f"unknown month {m[2]!r}")
                out[i] = dt.datetime(_year(m[3]), month, int(m[1]))
                used.add("dmony")
            elif "numeric" in families and (m := _NUMERIC_RE.match(text)):
                numeric.append((i, m))
                used.add("numeric")
            else:
                other = _family_of(text, tuple(_FAMILY_EXAMPLE))
                hint = (
                    f" - {text!r} is how a spreadsheet writes dates when it re-saves a CSV, so the file "
                    "looks opened and saved in Excel; download the export again"
                    if other in ("numeric", "dmony", "monthname") and other not in families
                    else ""
                )
                raise fail(i, f"expected a date like {examples}{hint}")
        except ValueError as err:
            raise fail(i, f"not a real date ({err})") from err

    warnings: list[str] = []
    order: str | None = None
    if numeric:
        firsts = [int(m[1]) for _, m in numeric]
        seconds = [int(m[3]) for _, m in numeric]
        dmy = next((k for k, f in enumerate(firsts) if f > 12), None)
        mdy = next((k for k, s in enumerate(seconds) if s > 12), None)
        if dmy is not None and mdy is not None:
            i1, i2 = numeric[dmy][0], numeric[mdy][0]
            raise fail(
                i2,
                f"dates mix day-first and month-first spellings (line {lines[i1]} has {values[i1]!r}); "
                "the file was probably edited in a spreadsheet - download it again",
            )
        if dmy is not None:
            order = "DMY"
        elif mdy is not None:
            order = "MDY"
        if order and date_order and order != date_order:
            k = dmy if dmy is not None else mdy
            warnings.append(
                f"Column {column!r} has {values[numeric[k][0]]!r}, which can only be read {order}, so the "
                f"configured {order_source} {date_order} was not used for it."
            )
        if order is None:
            order = date_order
        if order is None and consecutive_hint:
            order = _order_by_consecutive_days(numeric)
        if order is None:
            order = default_order
        if order is None:
            i0 = numeric[0][0]
            raise fail(
                i0,
                f"dates such as {values[i0]!r} could be day-first or month-first (no day is above 12), "
                f"so the order cannot be decided from the file; set forms_date_order: DMY or MDY in "
                f"config/reach.yaml (the {order_source} option)",
            )
        for i, m in numeric:
            a, b = int(m[1]), int(m[3])
            day, month = (a, b) if order == "DMY" else (b, a)
            hour = int(m[5] or 0)
            if m[8]:
                hour = hour % 12 + (12 if m[8].lower() == "pm" else 0)
            try:
                out[i] = dt.datetime(_year(m[4]), month, day, hour, int(m[6] or 0), int(m[7] or 0))
            except ValueError as err:
                raise fail(i, f"not a real date when read {order} ({err})") from err

    for fam in excel_families:
        if fam in used:
            example = next(
                str(v).strip()
                for v in values
                if isinstance(v, str) and v.strip() and _family_of(v.strip(), families) == fam
            )
            spelled = {"numeric": "DD-MM-YYYY" if order == "DMY" else "MM-DD-YYYY"}.get(fam, example)
            if fam == "numeric" and "/" in example:
                spelled = "DD/MM/YYYY" if order == "DMY" else "MM/DD/YYYY"
            warnings.append(
                f"Column {column!r} has dates written like {example!r} ({spelled}) instead of the source's "
                "usual spelling, so the file looks re-saved by Excel; they were read "
                f"{order or 'as written'}."
            )
    if "iso_tz" in used:
        warnings.append(f"Column {column!r} has time-zone offsets; the times were converted to UTC.")
    series = pd.Series(pd.to_datetime(pd.Series(out, dtype=object)), dtype="datetime64[ns]")
    return _DateResult(series, warnings, used, order)


def _family_of(text: str, families: Sequence[str]) -> str | None:
    for fam, rx in (
        ("iso", _ISO_RE),
        ("compact", _COMPACT_RE),
        ("monthname", _MONTHNAME_RE),
        ("dmony", _DMONY_RE),
        ("numeric", _NUMERIC_RE),
    ):
        if fam in families and rx.match(text):
            return fam
    return None


def _order_by_consecutive_days(numeric: list[tuple[int, re.Match[str]]]) -> str | None:
    """For a daily series, the day/month order under which the dates are valid and consecutive."""
    for order in ("DMY", "MDY"):
        try:
            days = sorted(
                dt.date(_year(m[4]), *((int(m[3]), int(m[1])) if order == "DMY" else (int(m[1]), int(m[3]))))
                for _, m in numeric
            )
        except ValueError:
            continue
        if all((b - a).days == 1 for a, b in zip(days, days[1:], strict=False)):
            return order
    return None


def _hms_seconds(text: str) -> float | None:
    """``H:MM:SS`` or ``M:SS`` to seconds; plain numbers pass through."""
    t = text.strip()
    if not t:
        return None
    parts = t.split(":")
    if len(parts) in (2, 3) and all(p.strip().isdigit() for p in parts):
        nums = [int(p) for p in parts]
        if len(nums) == 2:
            nums = [0, *nums]
        return float(nums[0] * 3600 + nums[1] * 60 + nums[2])
    return float(t)


# --------------------------------------------------------------------------------------------
# Typed columns
# --------------------------------------------------------------------------------------------

_FLOAT_HINT = re.compile(
    r"(rate|ratio|_pct|pct_|percent|per_|^avg_|average|duration|time|hours|revenue|earnings|value|"
    r"_usd|_inr|_gbp|_eur|amount|spent|cost|cpc|cpm|ctr|frequency|roas|share_of)"
)


def _to_numeric(
    values: Sequence[Any],
    lines: Sequence[int | None],
    *,
    path: Path,
    column: str,
    count: bool | None,
    na_values: Iterable[str] = (),
    name: str = "",
) -> pd.Series:
    """Parse numbers: ``count=True`` -> Int64, ``False`` -> float64, ``None`` -> Int64 if all whole.

    Blank cells (and ``na_values``) become missing. A non-number raises
    :class:`~reach.exceptions.InputValidationError` naming the line.
    """
    na = {"", *na_values}
    cells = []
    for v in values:
        if v is None:
            cells.append("")
        elif isinstance(v, bool):
            cells.append(str(int(v)))
        elif isinstance(v, (int, float, np.integer, np.floating)):
            cells.append(repr(float(v)) if isinstance(v, (float, np.floating)) else str(int(v)))
        else:
            cells.append(str(v).strip())
    raw = pd.Series(cells, dtype=object)
    missing = raw.isin(list(na))
    nums = pd.to_numeric(raw.where(~missing, None), errors="coerce")
    bad = nums.isna() & ~missing
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        comma = (
            " - the comma is a decimal comma or a thousands separator written by a spreadsheet in "
            "another locale, and reach does not guess which"
            if re.fullmatch(r"-?[\d.]*\d,\d+", cells[i])
            else ""
        )
        raise InputValidationError(
            "expected a number (raw digits, no thousands separators, units or % signs)"
            f"{comma}; correct the cell or download the export again",
            path=path,
            row=lines[i] if i < len(lines) else None,
            column=column,
            value=values[i],
        )
    nums = nums.astype("float64")
    finite = nums.dropna()
    whole = bool(((finite % 1) == 0).all()) if len(finite) else True
    if count is None:
        count = whole and not _FLOAT_HINT.search(name)
    if count:
        if not whole:
            i = int(np.flatnonzero(((nums % 1) != 0).fillna(False).to_numpy())[0])
            raise InputValidationError(
                "expected a whole number (this column is a count)",
                path=path,
                row=lines[i] if i < len(lines) else None,
                column=column,
                value=values[i],
            )
        return nums.astype("Int64")
    return nums


def _str_series(values: Sequence[Any], *, strip: bool = False, blank_na: bool = False) -> pd.Series:
    cells: list[Any] = []
    for v in values:
        if v is None:
            cells.append(None if blank_na else "")
            continue
        s = v if isinstance(v, str) else str(v)
        if strip:
            s = s.strip()
        cells.append(None if (blank_na and not s.strip()) else s)
    return pd.Series(cells, dtype="str")


def _unit(name: str, dtype: Any, family: str) -> str | None:
    """Name the unit of a numeric column, for ``meta['units']``."""
    if not (pd.api.types.is_numeric_dtype(dtype)) or pd.api.types.is_bool_dtype(dtype):
        return None
    if family == "ga4":
        if name.endswith("_rate"):
            return "fraction (0-1)"
        if "engagement_time" in name or "duration" in name or name == "user_engagement":
            return "seconds"
        if "revenue" in name:
            return "currency"
        if "_per_" in name:
            return "ratio"
        return "count"
    if name.endswith("_pct") or name.startswith("ctr") or "_pct_" in name:
        return "percent"
    if name.endswith("_s") or "seconds" in name:
        return "seconds"
    if name.endswith("_hours"):
        return "hours"
    if re.search(r"usd|inr|gbp|eur|amount|spent|cost|cpc|cpm|revenue|earnings", name):
        return "currency"
    if name in ("frequency",) or name.startswith("avg_"):
        return "ratio"
    return "count" if pd.api.types.is_integer_dtype(dtype) else None


# --------------------------------------------------------------------------------------------
# Table shaping shared by all kinds
# --------------------------------------------------------------------------------------------


def _data_rows(
    header: _Rec, rows: Sequence[_Rec], path: Path, warnings: list[str], *, last_line_is_eof: bool
) -> tuple[list[str], list[_Rec]]:
    """Check every row against the header width; drop Excel's trailing empty columns.

    Returns the cleaned header names and rows (blank rows removed).
    """
    names = [h.replace("\ufeff", "") for h in header.fields]
    width = len(names)
    trailing_empty = 0
    while width > 1 and not names[width - 1].strip():
        width -= 1
        trailing_empty += 1
    kept: list[_Rec] = []
    padded = False
    for idx, rec in enumerate(rows):
        if rec.blank:
            continue
        f = rec.fields
        if len(f) > width:
            extra = f[width:]
            if any(str(x).strip() for x in extra):
                raise InputValidationError(
                    f"this row has {len(f)} values but the header has {width} columns; a value probably "
                    "contains an unquoted comma - download the export again rather than editing it",
                    path=path,
                    row=rec.line,
                )
            if not trailing_empty:
                padded = True
            f = f[:width]
        elif len(f) < width:
            is_last = idx == len(rows) - 1 or all(r.blank for r in rows[idx + 1 :])
            if is_last and last_line_is_eof:
                why = "the file looks truncated (it also has no final newline) - download it again"
            else:
                why = (
                    "a line break may have been typed into a value, or the file was edited by hand - "
                    "download it again"
                )
            raise InputValidationError(
                f"this row has {len(f)} values but the header has {width} columns; {why}",
                path=path,
                row=rec.line,
            )
        kept.append(_Rec(rec.line, f))
    if trailing_empty or padded:
        warnings.append(
            "Rows have extra empty columns at the end, so the file looks re-saved by a spreadsheet; the "
            "empty columns were ignored."
        )
    return [n.strip() for n in names[:width]], kept


def _unique_names(names: list[str]) -> tuple[list[str], list[str]]:
    """Make column names unique by suffixing ``_2``, ``_3``; returns (names, warnings)."""
    seen: dict[str, int] = {}
    out: list[str] = []
    warns: list[str] = []
    for n in names:
        if n in seen:
            seen[n] += 1
            new = f"{n}_{seen[n]}"
            warns.append(f"Two columns map to {n!r}; the later one was renamed {new!r}.")
            out.append(new)
        else:
            seen[n] = 1
            out.append(n)
    return out, warns


def _canonical_names(
    headers: Sequence[str], aliases: dict[str, str], warnings: list[str] | None = None
) -> list[str]:
    """Canonical name per header; when two headers claim the same alias, the later one is snake_cased.

    Names stay unique: a header whose name is already taken (Meta posts exports can carry two
    ``Views`` columns) gets ``_2``, ``_3``..., announced in ``warnings``; the first keeps the name.
    """
    out: list[str] = []
    used: set[str] = set()
    for h in headers:
        canon = aliases.get(_key(h))
        if canon is None or canon in used:
            canon = snake_case(h)
        if canon in used:
            n = 2
            while f"{canon}_{n}" in used:
                n += 1
            if warnings is not None:
                first = headers[out.index(canon)] if canon in out else canon
                warnings.append(
                    f"The file has more than one column headed like {h.strip()!r}; the first "
                    f"({first.strip()!r}) was read as {canon!r} and this one as '{canon}_{n}'."
                )
            canon = f"{canon}_{n}"
        used.add(canon)
        out.append(canon)
    return out


def _column(recs: Sequence[_Rec], i: int) -> list[str]:
    return [r.fields[i] for r in recs]


def _finish(
    doc: _Doc,
    kind: str,
    table: pd.DataFrame,
    lines: Sequence[int | None],
    *,
    start: dt.date | None,
    end: dt.date | None,
    totals: dict | None = None,
    warnings: Sequence[str] = (),
    meta: dict | None = None,
    columns: dict[str, str] | None = None,
    family: str = "",
) -> Export:
    meta = dict(meta or {})
    table = table.reset_index(drop=True)
    meta.setdefault("columns", columns or {c: c for c in table.columns})
    meta.setdefault(
        "units",
        {c: u for c in table.columns if (u := _unit(c, table[c].dtype, family)) is not None},
    )
    meta["encoding"] = doc.encoding
    meta["_line"] = tuple(lines)
    all_warnings = tuple(dict.fromkeys([*doc.warnings, *warnings]))
    return Export(
        path=doc.path,
        kind=kind,
        start=start,
        end=end,
        table=table,
        totals=totals,
        warnings=all_warnings,
        meta=meta,
    )


def _period(series: pd.Series) -> tuple[dt.date | None, dt.date | None]:
    s = series.dropna()
    if s.empty:
        return None, None
    return s.min().date(), s.max().date()


def _scalar(v: Any) -> Any:
    """Convert a pandas/numpy scalar to a plain Python value for a totals dict."""
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, float) and np.isnan(v):
        return None
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.floating):
        return None if np.isnan(v) else float(v)
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime()
    return v


# --------------------------------------------------------------------------------------------
# Detection
# --------------------------------------------------------------------------------------------


def _first_content(records: Sequence[_Rec]) -> int | None:
    for i, r in enumerate(records):
        if not r.blank:
            return i
    return None


def _detect_doc(doc: _Doc) -> str:
    """Decide the kind of a decoded document (see :func:`detect_kind`)."""
    recs = doc.records
    i0 = _first_content(recs)
    if i0 is None:
        raise UnrecognisedExportError(f"{_describe_text(doc)}; download the export again", path=doc.path)
    first = recs[i0]
    first_text = ",".join(first.fields).strip()
    if re.fullmatch(r'"?sep=.?"?', first_text, flags=re.I) or first_text.lower().startswith("sep="):
        return "meta_daily"
    if first.comment:
        comments = []
        for r in recs[i0:]:
            if r.blank:
                continue
            if not r.comment:
                break
            comments.append(r.comment_text)
        if any(re.match(r"start date\s*:", c, re.I) for c in comments):
            tables, _ = _ga4_split(_ga4_blocks(recs, doc.path))
            heads = {tuple(_key(str(f)) for f in t.header.fields if str(f).strip()) for t in tables}
            if (
                len(tables) > 1
                and len(heads) == 1
                and _key(tables[0].header.fields[0]) not in ("nth day", "nth week", "nth month")
                and not any(_key(c) == "reports snapshot" for c in comments[:3])
            ):
                return "ga4_report"  # one detail report written once per compared period or segment
            if len(tables) > 1 or (
                tables and _key(tables[0].header.fields[0]) in ("nth day", "nth week", "nth month")
            ):
                return "ga4_snapshot"
            if any(_key(c) == "reports snapshot" for c in comments[:3]):
                return "ga4_snapshot"
            return "ga4_report"
        if any(re.fullmatch(r"\d{8}\s*-\s*\d{8}", c) for c in comments):
            raise UnrecognisedExportError(
                "a Universal Analytics export (retired 2023; locale-formatted numbers and a date range on "
                "one '# YYYYMMDD-YYYYMMDD' line) - export the same report from GA4 instead",
                path=doc.path,
            )
        raise UnrecognisedExportError(
            "the file starts with '#' comment lines but has no GA4 '# Start date:' line, so it is not a GA4 "
            "report export; download it again from GA4 Reports (Share > Download file > CSV)",
            path=doc.path,
        )
    keys = [_key(f) for f in first.fields]
    keyset = set(keys)
    name = doc.name.lower()
    nxt = next((r for r in recs[i0 + 1 :] if not r.blank), None)
    nxt_first = nxt.fields[0].strip() if nxt and nxt.fields else ""
    if keys[0] == "content":
        return "youtube_table"
    if keys[0] == "date":
        if len(keys) > 1 and keys[1] == "content":
            return "youtube_chart"
        if keys[1:] == ["primary"] or keys[1:2] == ["primary"]:
            return "meta_daily"
        if nxt_first == "Total":
            return "youtube_table"
        if len(keys) == 2:
            if "table data" in name:
                return "youtube_table"
            return "youtube_totals"
        if len(keys) > 2 and keyset & _YT_METRIC_KEYS:
            grouping = nxt.fields[1].strip() if nxt and len(nxt.fields) > 1 else ""
            if (
                keys[1] not in _YOUTUBE
                and keys[1] not in _GA4_DIMENSIONS
                and grouping
                and not _NUMBER_RE.fullmatch(grouping)
            ):
                raise UnrecognisedExportError(
                    f"a YouTube Studio Chart data export split by {first.fields[1].strip()!r} (a date and a "
                    f"{first.fields[1].strip()!r} value on every line); reach reads Chart data split by "
                    "Content (videos) only - in YouTube Studio's advanced mode choose the Content tab and "
                    "export again",
                    path=doc.path,
                )
            return "youtube_table"
    if nxt_first == "Total" and keyset & _YT_ONLY_KEYS:
        raise UnrecognisedExportError(
            f"a YouTube Studio Table data export grouped by {first.fields[0].strip()!r}; reach reads Table "
            "data grouped by Content (videos) or by Date - in YouTube Studio's advanced mode choose the "
            "Content or Date tab and export again",
            path=doc.path,
        )
    if "post id" in keyset and ({"publish time", "permalink"} & keyset):
        return "meta_posts"
    if (
        keys[0] in ("campaign name", "ad set name", "ad name")
        or {"reporting starts", "reporting ends"} <= keyset
    ):
        return "meta_ads"
    if keys[0] == "id" and {"start time", "completion time"} <= keyset:
        return "forms_microsoft"
    if keys[0] == "timestamp":
        return "forms_google"
    if keys[0] == "creation date" and "path or service name" in keyset:
        return "feedback_feedex"
    if {"submitted", "page url", "was this page helpful?"} <= keyset:
        return "feedback_page"
    if {"month", "indicator", "area_code", "numerator", "denominator"} <= keyset:
        return "partner_indicators"
    if (
        keys[0] in _GA4_DIMENSIONS
        and keys[0] != "date"
        and len(keys) > 1
        and keys[1:]
        and any(k in _GA4_METRICS for k in keys[1:])
    ):
        return "ga4_report"
    if {"publicerings-id", "sid-id"} & keyset or any(k.endswith("-id") and "post" not in k for k in keys[:2]):
        raise UnrecognisedExportError(
            "looks like a Meta Business Suite export in another language (header "
            f"{first.fields[0]!r}); switch "
            "Business Suite to English and download it again",
            path=doc.path,
        )
    raise UnrecognisedExportError(_describe_text(doc), path=doc.path)


def _prepare(data: bytes, path: Path, name: str) -> _Doc:
    text, encoding, warnings = _decode(data, path)
    if text.startswith("\ufeff"):  # a second byte-order mark, e.g. from a re-encoded file
        text = text[1:]
    records = _records(text, path)
    doc = _Doc(path, name, len(data), encoding, text, records, warnings)
    i0 = _first_content(records)
    if i0 is not None:
        first = records[i0]
        joined = ",".join(first.fields).strip().strip('"')
        m = re.fullmatch(r"sep=(.)", joined, flags=re.I)
        if m and m[1] != ",":
            doc.delimiter = m[1]
            doc.records = _records(text, path, m[1])
        elif not m:
            # The header decides (a GA4 file's '#' preamble comes before it).
            head = next((r for r in records[i0:] if not r.blank and not r.comment), None)
            for delim in (";", "\t") if head is not None and len(head.fields) == 1 else ():
                if head.fields[0].count(delim) >= 1:
                    doc.delimiter = delim
                    doc.records = _records(text, path, delim)
                    doc.warnings.append(
                        f"The file is separated by {delim!r} instead of commas (a spreadsheet re-save in a "
                        "non-English locale); it was read with that separator."
                    )
                    break
    return doc


def _xlsx_doc(data: bytes, path: Path, name: str) -> _Doc:
    """Read the first worksheet of an .xlsx workbook into records (cells keep their Python types)."""
    try:
        import openpyxl  # noqa: PLC0415 - only needed for .xlsx

        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many exception types for damaged files
        raise InputValidationError(
            f"the Excel workbook cannot be opened ({type(err).__name__}: {err}); save it again from Excel "
            "or download the responses again",
            path=path,
        ) from err
    try:
        ws = wb.worksheets[0]
        records: list[_Rec] = []
        for n, row in enumerate(ws.iter_rows(values_only=True), start=1):
            cells = list(row)
            while cells and (cells[-1] is None or (isinstance(cells[-1], str) and not cells[-1].strip())):
                cells.pop()
            records.append(_Rec(n, [c if c is not None else "" for c in cells]))  # type: ignore[misc]
    finally:
        wb.close()
    # header texts and any non-date cell as strings; datetimes stay native for the date parser
    norm: list[_Rec] = []
    for rec in records:
        fields = []
        for c in rec.fields:
            if isinstance(c, (dt.datetime, dt.date)):
                fields.append(c)
            elif isinstance(c, float) and c.is_integer():
                fields.append(str(int(c)))
            else:
                fields.append(str(c))
        norm.append(_Rec(rec.line, fields))
    width = max((len(r.fields) for r in norm), default=0)
    norm = [_Rec(r.line, r.fields + [""] * (width - len(r.fields))) for r in norm]
    return _Doc(path, name, len(data), "xlsx", "", norm, [], xlsx=True)


def _xlsx_kind(doc: _Doc) -> str:
    i0 = _first_content(doc.records)
    if i0 is None:
        raise UnrecognisedExportError("an Excel workbook whose first sheet is empty", path=doc.path)
    keys = [_key(str(f)) for f in doc.records[i0].fields]
    if keys and keys[0] == "id" and {"start time", "completion time"} <= set(keys):
        return "forms_microsoft"
    try:  # the workbook may hold a CSV export that was opened and saved in Excel
        inside: str | None = _detect_doc(
            _Doc(
                doc.path,
                doc.name,
                doc.size,
                "xlsx",
                "",
                [_Rec(r.line, [str(f) for f in r.fields]) for r in doc.records],
                [],
            )
        )
    except Exception:  # noqa: BLE001 - only a guess for the message; any failure means "not known"
        inside = None
    if inside is not None and inside in KIND_LABELS:
        raise UnrecognisedExportError(
            f"an Excel workbook (.xlsx) holding {KIND_LABELS[inside]} (its first sheet starts "
            f"{', '.join(keys[:4])!r}), which is not a Microsoft Forms response workbook; reach reads that "
            "export only as the CSV it is downloaded as, because saving it in Excel changes dates, ids and "
            "long numbers - download it again as CSV",
            path=doc.path,
        )
    raise UnrecognisedExportError(
        f"an Excel workbook (.xlsx) whose first sheet starts {', '.join(keys[:4])!r}, which is not a "
        "Microsoft "
        "Forms response workbook; export other sources as CSV",
        path=doc.path,
    )


def detect_kind(data: bytes, name: str = "") -> str:
    """Recognise which export a file is, from its content.

    Parameters
    ----------
    data : bytes
        The whole file.
    name : str, optional
        The file name, used only to break ties (e.g. a two-column ``Date,Views`` file named
        ``Table data.csv``).

    Returns
    -------
    str
        One of :data:`KINDS`. For a zip archive (a YouTube Studio download), the kind of the member
        :func:`read_export` returns (``Table data.csv`` when present).

    Raises
    ------
    UnrecognisedExportError
        The file is empty, binary, or a text file of no known kind; the message says what it looks like.
    InputValidationError
        The file cannot be read at all (e.g. broken CSV quoting).
    """
    path = Path(name or "<bytes>")
    try:
        if _is_bigquery(data):
            return "ga4_bigquery"
        if _is_xlsx(data):
            return _xlsx_kind(_xlsx_doc(data, path, path.name))
        if _is_zip(data):
            members = _zip_members(data, path)
            if not members:
                raise UnrecognisedExportError("a zip archive with no files in it", path=path)
            primary = _primary_member([m for m, _ in members])
            mdata = dict(members)[primary]
            return detect_kind(mdata, primary)
        return _detect_doc(_prepare(data, path, path.name))
    except ReachError:
        raise
    except Exception as err:  # pragma: no cover - safety net: never leak a raw exception
        raise InputValidationError(
            f"could not read the file ({type(err).__name__}: {err})", path=path
        ) from err


# --------------------------------------------------------------------------------------------
# GA4
# --------------------------------------------------------------------------------------------


@dataclass
class _Block:
    comments: list[_Rec]
    header: _Rec
    rows: list[_Rec]


def _ga4_blocks(records: Sequence[_Rec], path: Path) -> list[_Block]:
    """Split a GA4 file into tables: comment lines, a header, data rows until a blank or comment line."""
    blocks: list[_Block] = []
    pending: list[_Rec] = []
    cur: _Block | None = None
    for rec in records:
        if rec.blank:
            cur = None
            continue
        if rec.comment:
            cur = None
            pending.append(rec)
            continue
        if cur is None:
            cur = _Block(pending, rec, [])
            pending = []
            blocks.append(cur)
        else:
            cur.rows.append(rec)
    return blocks


def _ga4_split(blocks: list[_Block]) -> tuple[list[_Block], list[_Block]]:
    """Separate the GA4 tables from blocks that are not part of the export.

    Every table GA4 writes has ``#`` lines above it (at least its ``# Start date`` / ``# End
    date`` pair). In a file with a preamble, a later block without any ``#`` line is something
    typed under the export in a spreadsheet (notes, a pasted column), not a GA4 table.
    """
    if not any(b.comments for b in blocks):
        return blocks, []
    tables = [b for n, b in enumerate(blocks) if n == 0 or b.comments]
    stray = [b for n, b in enumerate(blocks) if n > 0 and not b.comments]
    return tables, stray


def _ga4_date(text: str, rec: _Rec, path: Path) -> dt.date:
    m = re.fullmatch(r"\s*(\d{4})(\d{2})(\d{2})\s*", text)
    try:
        if not m:
            raise ValueError("not YYYYMMDD")
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError as err:
        raise InputValidationError(
            f"expected a GA4 date YYYYMMDD ({err})", path=path, row=rec.line, value=text.strip()
        ) from err


def _ga4_block_meta(block: _Block, path: Path) -> dict[str, Any]:
    """Read the comment lines above one GA4 table."""
    info: dict[str, Any] = {"free": [], "rules": 0, "start": None, "end": None}
    before_second_rule: list[str] = []
    after_second_rule: list[str] = []
    for rec in block.comments:
        t = rec.comment_text
        if not t:
            continue
        if re.fullmatch(r"-{3,}", t):
            info["rules"] += 1
            continue
        m = re.match(r"(start date|end date|account|property)\s*:\s*(.*)$", t, re.I)
        if m:
            key = m[1].lower().split()[0]
            if key in ("start", "end"):
                info[key] = _ga4_date(m[2], rec, path)
            else:
                info[key] = m[2].strip()
            continue
        info["free"].append(t)
        (after_second_rule if info["rules"] >= 2 else before_second_rule).append(t)
    info["before_rules"] = before_second_rule
    info["after_rules"] = after_second_rule
    return info


_NUMBER_RE = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")
_COHORT_COLUMN = re.compile(r"(day|week|month) \d+")


def _ga4_columns(names: list[str], rows: list[_Rec]) -> int:
    """Count the leading dimension columns of a GA4 table."""
    ndims = 0
    for i, name in enumerate(names):
        k = _key(name)
        if k in _GA4_DIMENSIONS:
            ndims = i + 1
            continue
        if k in _GA4_METRICS:
            break
        if i == 0:
            ndims = 1
            continue
        vals = [r.fields[i].strip() for r in rows]
        numeric = all(v == "" or _NUMBER_RE.fullmatch(v) for v in vals)
        if numeric:
            break
        ndims = i + 1
    if ndims == 0 and all(not r.fields[0].strip() or _NUMBER_RE.fullmatch(r.fields[0].strip()) for r in rows):
        return 0  # a Reports snapshot headline card: metrics only ("Active users,New users,...")
    return max(ndims, 1)


@dataclass
class _GA4Table:
    title: str | None
    start: dt.date | None
    end: dt.date | None
    frame: pd.DataFrame
    lines: list[int]
    dimensions: list[str]
    metrics: list[str]
    columns: dict[str, str]
    warnings: list[str]


def _ga4_table(
    block: _Block,
    start: dt.date | None,
    end: dt.date | None,
    path: Path,
    *,
    snapshot: bool,
    last_line_is_eof: bool,
) -> _GA4Table:
    warnings: list[str] = []
    body = block.rows
    heads = [str(f).strip() for f in block.header.fields]
    while len(heads) > 1 and not heads[-1]:
        heads.pop()
    if (
        _key(heads[0]) == "date"
        and len(heads) > 1
        and all(_COHORT_COLUMN.fullmatch(_key(h)) for h in heads[1:])
        and any(not r.blank and len(r.fields) < len(heads) for r in body)
    ):
        # Retention cohorts: GA4 writes only the weeks each cohort has reached, so later rows
        # are shorter than the header ("Feb 8 - Feb 14,48,0,-1,-1" under Week 0..Week 5).
        body = [
            _Rec(r.line, [*r.fields, *[""] * (len(heads) - len(r.fields))])
            if not r.blank and len(r.fields) < len(heads)
            else r
            for r in body
        ]
        warnings.append(
            "Retention rows that stop before the last week column (weeks not yet reached) were "
            "filled with missing values."
        )
    names, rows = _data_rows(block.header, body, path, warnings, last_line_is_eof=last_line_is_eof)
    ndims = _ga4_columns(names, rows)
    canon = _canonical_names(names, CANONICAL_COLUMNS["ga4_report"], warnings)
    # Drop labelled totals rows (never seen in real GA4 files, but guarded against).
    kept: list[_Rec] = []
    for r in rows:
        if _key(r.fields[0]) in _TOTAL_LABELS and all(not f.strip() for f in r.fields[1:ndims]):
            warnings.append(f"A {r.fields[0].strip()!r} row (line {r.line}) was dropped from the table.")
            continue
        kept.append(r)
    rows = kept
    lines = [r.line for r in rows]
    data: dict[str, pd.Series] = {}
    columns: dict[str, str] = {}
    dims: list[str] = []
    for i, (name, c) in enumerate(zip(names, canon, strict=True)):
        vals = _column(rows, i)
        columns[c] = name
        if i < ndims:
            k = _key(name)
            if k in ("nth day", "nth week", "nth month"):
                if start is None:
                    raise InputValidationError(
                        f"an {name!r} table needs a '# Start date' line above it",
                        path=path,
                        row=block.header.line,
                    )
                offs = _to_numeric(vals, lines, path=path, column=name, count=True)
                if k == "nth day":
                    stamps = [
                        None if pd.isna(o) else pd.Timestamp(start) + pd.Timedelta(days=int(o)) for o in offs
                    ]
                    c = "date"
                    data[c] = pd.Series(stamps, dtype="datetime64[ns]")
                    columns.pop(canon[i], None)
                    columns[c] = name
                else:
                    data[c] = offs
                dims.append(c)
                continue
            if k == "date":
                if vals and all(re.fullmatch(r"\s*\d{8}\s*", v) for v in vals):
                    res = _parse_dates(vals, lines, path=path, column=name, families=("compact",))
                    data[c] = res.values
                elif snapshot:
                    c = "cohort"
                    columns.pop(canon[i], None)
                    columns[c] = name
                    data[c] = _str_series(vals)
                elif not vals:
                    data[c] = pd.Series([], dtype="datetime64[ns]")
                else:
                    res = _parse_dates(vals, lines, path=path, column=name, families=("compact",))
                    data[c] = res.values
                dims.append(c)
                continue
            data[c] = _str_series(vals)
            dims.append(c)
            continue
        count: bool | None
        if c in _GA4_COUNTS:
            count = True
        elif c in _GA4_METRICS.values():
            count = False
        else:
            count = None
        na = ("-1",) if (snapshot and "cohort" in data) else ()
        data[c] = _to_numeric(vals, lines, path=path, column=name, count=count, na_values=na, name=c)
    frame = pd.DataFrame(data)
    if "cohort" in frame.columns:
        warnings.append("Retention values of -1 (not yet available) were read as missing.")
    metrics = [c for c in frame.columns if c not in dims]
    # (other) rows
    for d in dims:
        if frame[d].dtype == "str":
            hits = np.flatnonzero((frame[d] == "(other)").to_numpy())
            if len(hits):
                warnings.append(
                    f"GA4 folded rare values into an '(other)' row (line {lines[hits[0]]}), so rows for "
                    f"individual {d} values are incomplete; the row is kept."
                )
    # Sort by date when Date is a dimension (GA4 sorts by the first metric).
    if "date" in dims and _key(names[0]) != "nth day" and len(frame):
        by = ["date", *[d for d in dims if d != "date"]]
        order = frame.sort_values(by, kind="stable").index.to_numpy()
        if not np.array_equal(order, np.arange(len(frame))):
            frame = frame.iloc[order].reset_index(drop=True)
            lines = [lines[j] for j in order]
    title = None
    return _GA4Table(title, start, end, frame, lines, dims, metrics, columns, warnings)


def _parse_ga4(doc: _Doc, kind: str) -> Export:
    blocks, stray = _ga4_split(_ga4_blocks(doc.records, doc.path))
    if not blocks:
        raise InputValidationError(
            "the GA4 preamble is there but no table header follows it; download the report again",
            path=doc.path,
        )
    early: list[str] = []
    padded = [
        r
        for r in doc.records
        if len(r.fields) > 1 and (r.blank or (r.comment and all(not str(f).strip() for f in r.fields[1:])))
    ]
    if padded and not doc.xlsx:
        early.append(
            f"The '#' preamble or blank lines have extra empty columns at the end (line {padded[0].line}), "
            "so the file looks re-saved by a spreadsheet, which may also have rounded long decimals; "
            "prefer the original download."
        )
    if stray:
        first = stray[0]
        last = stray[-1].rows[-1] if stray[-1].rows else stray[-1].header
        opening = ", ".join(str(f) for f in first.header.fields if str(f).strip())[:60]
        early.append(
            f"Lines {first.header.line} to {last.line} have no '# Start date' line above them, so they "
            f"are not part of the GA4 export (they start {opening!r}; probably notes added in a "
            "spreadsheet); they were ignored."
        )
    last_eof = not doc.text.endswith(("\n", "\r"))
    infos = [_ga4_block_meta(b, doc.path) for b in blocks]
    head = infos[0]
    if head["rules"] >= 2:
        titles, segments = head["before_rules"], head["after_rules"]
    else:
        titles, segments = head["free"][:1], head["free"][1:]
    report_title = titles[0] if titles else None
    meta: dict[str, Any] = {
        "report_title": report_title,
        "title_dimension": report_title.split(":", 1)[1].strip()
        if report_title and ":" in report_title
        else None,
        "account": head.get("account"),
        "property": head.get("property"),
        "segment": "; ".join(segments) if segments else None,
    }
    warnings: list[str] = list(early)
    tables: list[_GA4Table] = []
    start = end = None
    for n, (block, info) in enumerate(zip(blocks, infos, strict=True)):
        start = info["start"] or start
        end = info["end"] or end
        if (start is None or end is None) and not any(b.comments for b in blocks):
            warnings.append(
                "The file has no '#' preamble (it was probably trimmed by hand), so the report "
                "period is unknown."
            )
        elif start is None or end is None:
            raise InputValidationError(
                "expected '# Start date: YYYYMMDD' and '# End date: YYYYMMDD' lines above the table",
                path=doc.path,
                row=block.header.line,
            )
        is_last = n == len(blocks) - 1
        t = _ga4_table(
            block,
            start,
            end,
            doc.path,
            snapshot=(kind == "ga4_snapshot"),
            last_line_is_eof=is_last and last_eof,
        )
        if n == 0:
            t.title = meta["report_title"]
        else:
            free = [f for f in info["free"] if _key(f) not in ("all users",)]
            t.title = "; ".join(free) if free else None
        tables.append(t)
        warnings.extend(t.warnings)
    primary = tables[0]
    if kind == "ga4_report" and len(tables) > 1:
        # A detail report downloaded while comparing periods or segments: the same table once
        # per comparison. The first is the file's table; the others are kept, not merged.
        labels = [meta["segment"]] + ["; ".join(f for f in info["free"]) or None for info in infos[1:]]
        meta["comparison_tables"] = [
            {"start": t.start, "end": t.end, "segment": label, "frame": t.frame, "_line": tuple(t.lines)}
            for t, label in zip(tables[1:], labels[1:], strict=True)
        ]
        others = "; ".join(
            f"{t.start} to {t.end}" + (f" ({label})" if label else "")
            for t, label in zip(tables[1:], labels[1:], strict=True)
        )
        warnings.append(
            f"The report was downloaded in comparison mode: it holds the same table {len(tables)} times. "
            f"The first ({primary.start} to {primary.end}"
            + (f", {labels[0]}" if labels[0] else "")
            + f") is the file's table; the other(s) ({others}) are kept in meta['comparison_tables'] and "
            "not counted."
        )
    meta["dimensions"] = primary.dimensions
    meta["metrics"] = primary.metrics
    # Comparison mode: every table is written twice, for the current and the comparison period.
    compared = kind == "ga4_snapshot" and next(
        (
            (b.start, b.end)
            for a, b in zip(tables, tables[1:], strict=False)
            if list(a.columns.values()) == list(b.columns.values()) and (a.start, a.end) != (b.start, b.end)
        ),
        None,
    )
    if compared:
        meta["comparison_period"] = compared
        warnings.append(
            f"The file is in comparison mode: tables are written for {primary.start} to {primary.end} and "
            f"again for {compared[0]} to {compared[1]}; the file's period is the first, and each table in "
            "meta['tables'] keeps its own dates."
        )
    if kind == "ga4_snapshot":
        meta["tables"] = [
            {
                "title": t.title,
                "start": t.start,
                "end": t.end,
                "dimension": t.dimensions[0] if t.dimensions else None,
                "dimensions": t.dimensions,
                "metrics": t.metrics,
                "columns": t.columns,
                "frame": t.frame,
                "_line": tuple(t.lines),
            }
            for t in tables
        ]
    return _finish(
        doc,
        kind,
        primary.frame,
        primary.lines,
        start=tables[0].start,
        end=tables[0].end,
        warnings=warnings,
        meta=meta,
        columns=primary.columns,
        family="ga4",
    )


# --------------------------------------------------------------------------------------------
# YouTube Studio
# --------------------------------------------------------------------------------------------

_YT_STR = frozenset({"video_id", "title", "traffic_source", "content_type", "country", "geography"})
_YT_DATES = frozenset({"date", "published"})


def _yt_frame(
    names: list[str],
    rows: list[_Rec],
    path: Path,
    *,
    date_order: str | None,
) -> tuple[pd.DataFrame, dict[str, str], list[str]]:
    warnings: list[str] = []
    canon = _canonical_names(names, _YOUTUBE, warnings)
    lines = [r.line for r in rows]
    data: dict[str, pd.Series] = {}
    columns: dict[str, str] = {}
    for i, (name, c) in enumerate(zip(names, canon, strict=True)):
        columns[c] = name
        vals = _column(rows, i)
        if c == "video_id":
            stripped = [v.strip() for v in vals]
            data[c] = _str_series(stripped)
            damaged = [v.upper() in ("#NAME?", "#REF!", "#VALUE!") for v in stripped]
            data["id_damaged"] = pd.Series(damaged, dtype="bool")
            if any(damaged):
                k = damaged.index(True)
                warnings.append(
                    f"{sum(damaged)} row(s) have {stripped[k]!r} instead of a video id (first on line "
                    f"{lines[k]}), "
                    "damage from an Excel re-save; they are kept but flagged in id_damaged and "
                    "cannot be matched "
                    "to assets."
                )
        elif c in _YT_DATES:
            res = _parse_dates(
                vals,
                lines,
                path=path,
                column=name,
                families=("iso", "monthname", "dmony", "numeric"),
                excel_families=("dmony", "numeric"),
                date_order=date_order,
                default_order="DMY",
                consecutive_hint=(c == "date"),
            )
            data[c] = res.values
            warnings.extend(res.warnings)
        elif c in _YT_STR or (i == 0 and c not in _YOUTUBE.values()):
            data[c] = _str_series(vals)
        elif c == "avg_view_duration_s" or "view_duration" in c:
            secs = []
            for j, v in enumerate(vals):
                try:
                    secs.append(_hms_seconds(v))
                except ValueError as err:
                    raise InputValidationError(
                        "expected a duration H:MM:SS", path=path, row=lines[j], column=name, value=v
                    ) from err
            data[c] = pd.Series(secs, dtype="float64")
        else:
            count: bool | None = True if c in _YOUTUBE_COUNTS else (False if c in _YOUTUBE.values() else None)
            try:
                data[c] = _to_numeric(vals, lines, path=path, column=name, count=count, name=c)
            except InputValidationError:
                if count is None and c not in _YOUTUBE.values():
                    data[c] = _str_series(vals)
                else:
                    raise
    frame = pd.DataFrame(data)
    if "id_damaged" in frame.columns and "video_id" in frame.columns:
        cols = list(frame.columns)
        cols.remove("id_damaged")
        cols.insert(cols.index("video_id") + 1, "id_damaged")
        frame = frame[cols]
    return frame, columns, warnings


def _parse_youtube_table(doc: _Doc, date_order: str | None) -> Export:
    i0 = _first_content(doc.records)
    assert i0 is not None
    warnings: list[str] = []
    last_eof = not doc.text.endswith(("\n", "\r"))
    names, rows = _data_rows(
        doc.records[i0], doc.records[i0 + 1 :], doc.path, warnings, last_line_is_eof=last_eof
    )
    if not rows:
        raise InputValidationError(
            "the Table data has a header but no rows, not even the 'Total' row YouTube always writes, so "
            "the download looks truncated - download it again",
            path=doc.path,
        )
    total_idx = [k for k, r in enumerate(rows) if r.fields[0].strip() == "Total"]
    total_rec = rows[total_idx[0]] if total_idx else None
    if total_idx and total_idx[0] != 0:
        warnings.append(f"The 'Total' row is on line {total_rec.line}, not straight after the header.")
    if len(total_idx) > 1:
        raise InputValidationError(
            "the file has more than one 'Total' row; download the Table data again",
            path=doc.path,
            row=rows[total_idx[1]].line,
        )
    body = [r for k, r in enumerate(rows) if k not in total_idx]
    frame, columns, w = _yt_frame(names, body, doc.path, date_order=date_order)
    warnings.extend(w)
    lines = [r.line for r in body]
    totals = None
    by = "date" if _key(names[0]) == "date" else "content"
    if total_rec is not None:
        tf, _, _ = _yt_frame(
            names, [_Rec(total_rec.line, ["", *total_rec.fields[1:]])], doc.path, date_order=date_order
        )
        first = tf.columns[0]
        totals = {c: _scalar(tf[c].iloc[0]) for c in tf.columns if c not in (first, "id_damaged")}
        for c in ("title", "published", "duration_s"):
            if totals.get(c) in ("", None):
                totals.pop(c, None)
    else:
        warnings.append(
            "There is no 'Total' row (YouTube always writes one), so the file looks re-saved by Excel and "
            "cannot be reconciled with Studio's totals."
        )
    start = end = None
    if by == "date":
        if len(frame):
            order = frame.sort_values("date", kind="stable").index.to_numpy()
            frame = frame.iloc[order].reset_index(drop=True)
            lines = [lines[j] for j in order]
        start, end = _period(frame["date"])
    meta = {"grouped_by": by, "totals_line": total_rec.line if total_rec else None}
    return _finish(
        doc,
        "youtube_table",
        frame,
        lines,
        start=start,
        end=end,
        totals=totals,
        warnings=warnings,
        meta=meta,
        columns=columns,
        family="youtube",
    )


def _parse_youtube_series(doc: _Doc, kind: str, date_order: str | None) -> Export:
    i0 = _first_content(doc.records)
    assert i0 is not None
    warnings: list[str] = []
    last_eof = not doc.text.endswith(("\n", "\r"))
    names, rows = _data_rows(
        doc.records[i0], doc.records[i0 + 1 :], doc.path, warnings, last_line_is_eof=last_eof
    )
    if len(names) < 2:
        raise InputValidationError(
            "expected a Date column and a metric column", path=doc.path, row=doc.records[i0].line
        )
    metric_header = names[-1]
    frame, columns, w = _yt_frame(names, rows, doc.path, date_order=date_order)
    warnings.extend(w)
    metric = list(columns)[-1]
    lines = [r.line for r in rows]
    if kind == "youtube_totals" and len(frame):
        order = frame.sort_values("date", kind="stable").index.to_numpy()
        frame = frame.iloc[order].reset_index(drop=True)
        lines = [lines[j] for j in order]
        blanks = int(frame[metric].isna().sum())
        if blanks:
            warnings.append(
                f"{blanks} day(s) have a blank {metric_header!r} value; they were kept as missing."
            )
    if not len(frame):
        warnings.append("The file has a header but no rows.")
    start, end = _period(frame["date"]) if "date" in frame else (None, None)
    meta = {"metric": metric, "metric_header": metric_header}
    return _finish(
        doc,
        kind,
        frame,
        lines,
        start=start,
        end=end,
        warnings=warnings,
        meta=meta,
        columns=columns,
        family="youtube",
    )


# --------------------------------------------------------------------------------------------
# Meta
# --------------------------------------------------------------------------------------------

_SCI_ID = re.compile(r"^\d+(\.\d+)?[eE]\+?\d+$")
_META_FILE_RE = re.compile(r"([A-Z][a-z]{2})-(\d{1,2})-(\d{4})_([A-Z][a-z]{2})-(\d{1,2})-(\d{4})_\d+")
_ADS_FILE_RE = re.compile(r"([A-Z][a-z]{2})-(\d{1,2})-(\d{4})-to-([A-Z][a-z]{2})-(\d{1,2})-(\d{4})")


def _name_period(name: str, rx: re.Pattern[str]) -> tuple[dt.date | None, dt.date | None]:
    m = rx.search(name)
    if not m:
        return None, None
    try:
        a = dt.date(int(m[3]), _MONTHS[m[1].lower()], int(m[2]))
        b = dt.date(int(m[6]), _MONTHS[m[4].lower()], int(m[5]))
    except (KeyError, ValueError):
        return None, None
    return a, b


def _parse_meta_posts(doc: _Doc, date_order: str | None) -> Export:
    i0 = _first_content(doc.records)
    assert i0 is not None
    warnings: list[str] = []
    last_eof = not doc.text.endswith(("\n", "\r"))
    names, rows = _data_rows(
        doc.records[i0], doc.records[i0 + 1 :], doc.path, warnings, last_line_is_eof=last_eof
    )
    # Drop a legacy description row (second row whose Post ID is not an id).
    if rows and not re.fullmatch(
        r"[\d.eE+]+", rows[0].fields[[_key(n) for n in names].index("post id")].strip() or "0"
    ):
        warnings.append(f"Line {rows[0].line} looks like a description row, not a post; it was dropped.")
        rows = rows[1:]
    rows = _drop_meta_error_rows(names, rows, warnings)
    canon = _canonical_names(names, _META_POSTS, warnings)
    lines = [r.line for r in rows]
    data: dict[str, pd.Series] = {}
    columns: dict[str, str] = {}
    for i, (name, c) in enumerate(zip(names, canon, strict=True)):
        columns[c] = name
        vals = _column(rows, i)
        if c in ("post_id", "page_id"):
            ids = [v.strip() for v in vals]
            data[c] = _str_series(ids)
            if c == "post_id":
                damaged = [bool(_SCI_ID.match(v)) for v in ids]
                data["id_damaged"] = pd.Series(damaged, dtype="bool")
                if any(damaged):
                    k = damaged.index(True)
                    warnings.append(
                        f"{sum(damaged)} Post ID(s) are in scientific notation like {ids[k]!r} (first "
                        "on line "
                        f"{lines[k]}), so Excel has destroyed the digits; those rows are flagged in "
                        "id_damaged "
                        "and cannot be matched to assets."
                    )
            elif any(_SCI_ID.match(v) for v in ids):
                warnings.append(
                    "Page ID values are in scientific notation (Excel damage); they cannot be used."
                )
        elif c == "publish_time":
            res = _parse_dates(
                vals,
                lines,
                path=doc.path,
                column=name,
                families=("numeric", "iso"),
                date_order=None,
                default_order="MDY",
            )
            data[c] = res.values
            warnings.extend(res.warnings)
        elif c in _META_POSTS_STR or c not in _META_POSTS.values() and not _looks_numeric(vals):
            data[c] = _str_series(vals)
        else:
            count = c not in ("avg_seconds_viewed", "seconds_viewed") and not _FLOAT_HINT.search(c)
            data[c] = _to_numeric(
                vals,
                lines,
                path=doc.path,
                column=name,
                count=count if c in _META_POSTS.values() else None,
                name=c,
            )
    if "views" in columns and _key(columns["views"]) == "impressions":
        warnings.append(
            "The file has 'Impressions' (older Meta naming) and no 'Views'; it was read as views."
        )
    frame = pd.DataFrame(data)
    if "id_damaged" in frame.columns:
        cols = [c for c in frame.columns if c != "id_damaged"]
        cols.insert(cols.index("post_id") + 1, "id_damaged")
        frame = frame[cols]
    start, end = _name_period(doc.name, _META_FILE_RE)
    meta: dict[str, Any] = {"values": "lifetime totals as of the export date"}
    if start is None:
        start, end = _period(frame["publish_time"]) if "publish_time" in frame else (None, None)
        meta["period_source"] = "publish times"
        warnings.append(
            "The file name does not carry the export period (Mon-DD-YYYY_Mon-DD-YYYY_id.csv), so the period "
            "was taken from the earliest and latest publish times."
        )
    else:
        meta["period_source"] = "file name"
    return _finish(
        doc,
        "meta_posts",
        frame,
        lines,
        start=start,
        end=end,
        warnings=warnings,
        meta=meta,
        columns=columns,
        family="meta",
    )


def _drop_meta_error_rows(names: list[str], rows: list[_Rec], warnings: list[str]) -> list[_Rec]:
    """Drop the rows Meta writes when it could not compute a post's metadata.

    Such a row has no Post ID and no publish time; its ``Data comment`` says what went wrong
    (e.g. ``An error occurred while computing metadata for content with ID 933528094972880.``).
    """
    keys = [_key(n) for n in names]
    pid, when = keys.index("post id"), keys.index("publish time") if "publish time" in keys else None
    note = keys.index("data comment") if "data comment" in keys else None
    kept: list[_Rec] = []
    dropped: list[_Rec] = []
    for r in rows:
        blank_id = not str(r.fields[pid]).strip()
        blank_time = when is None or not str(r.fields[when]).strip()
        (dropped if blank_id and blank_time else kept).append(r)
    if dropped:
        comment = str(dropped[0].fields[note]).strip() if note is not None else ""
        why = f" (Meta's data comment: {comment[:120]!r})" if comment else ""
        warnings.append(
            f"{len(dropped)} row(s) have no Post ID and no publish time, so they describe no post "
            f"(first on line {dropped[0].line}){why}; they were dropped."
        )
    return kept


def _looks_numeric(vals: Sequence[str]) -> bool:
    return all(v.strip() == "" or re.fullmatch(r"-?\d+(\.\d+)?([eE][-+]?\d+)?", v.strip()) for v in vals)


def _parse_meta_daily(doc: _Doc) -> Export:
    recs = [r for r in doc.records if not r.blank]
    warnings: list[str] = []
    k = 0
    if recs and ",".join(recs[0].fields).strip().strip('"').lower().startswith("sep="):
        k = 1
    metric_header = None
    if k < len(recs) and len(recs[k].fields) == 1 and _key(recs[k].fields[0]) != "date":
        metric_header = recs[k].fields[0].strip()
        k += 1
    if k >= len(recs) or _key(recs[k].fields[0]) != "date":
        found = (
            f"; its first block is {metric_header!r} with the header "
            f"{', '.join(str(x).strip() for x in recs[k].fields[:4])!r}, so it looks like the Audience "
            "export (stacked blocks such as Age & gender and Top cities), which reach does not read"
            if metric_header and k < len(recs)
            else ""
        )
        raise InputValidationError(
            "expected a 'Date' header after the 'sep=' and metric-name lines of a Meta Business "
            f"Suite daily series export{found}",
            path=doc.path,
            row=recs[k].line if k < len(recs) else None,
        )
    header = recs[k]
    last_eof = not doc.text.endswith(("\n", "\r"))
    names, rows = _data_rows(header, recs[k + 1 :], doc.path, warnings, last_line_is_eof=last_eof)
    canon = _canonical_names(names, CANONICAL_COLUMNS["meta_daily"], warnings)
    if "value" not in canon and len(canon) >= 2:
        canon[1] = "value"
    lines: list[int | None] = [r.line for r in rows]
    data: dict[str, pd.Series] = {}
    columns: dict[str, str] = {}
    for i, (name, c) in enumerate(zip(names, canon, strict=True)):
        columns[c] = name
        vals = _column(rows, i)
        if c == "date":
            res = _parse_dates(vals, lines, path=doc.path, column=name, families=("iso",))
            data[c] = res.values.dt.normalize()
        else:
            data[c] = _to_numeric(vals, lines, path=doc.path, column=name, count=None)
    frame = pd.DataFrame(data)
    if metric_header is None:
        warnings.append("The metric-name line is missing, so the metric is unknown.")
    if len(frame):
        order = frame.sort_values("date", kind="stable").index.to_numpy()
        frame = frame.iloc[order].reset_index(drop=True)
        lines = [lines[j] for j in order]
        full = pd.date_range(frame["date"].min(), frame["date"].max(), freq="D")
        missing = full.difference(pd.DatetimeIndex(frame["date"]))
        if len(missing):
            line_of = dict(zip(frame["date"], lines, strict=True))
            filled = frame.set_index("date").reindex(full)
            for c in filled.columns:
                if pd.api.types.is_numeric_dtype(filled[c]):
                    filled[c] = filled[c].fillna(0)
            filled.index.name = "date"
            frame = filled.reset_index()
            frame["date"] = frame["date"].astype("datetime64[ns]")
            lines = [line_of.get(d) for d in frame["date"]]
            warnings.append(
                f"{len(missing)} day(s) between {full[0].date()} and {full[-1].date()} were missing "
                "(Meta leaves "
                "out days with 0) and were filled with 0."
            )
    start, end = _period(frame["date"]) if "date" in frame else (None, None)
    metric = snake_case(metric_header) if metric_header else None
    meta = {"metric": metric, "metric_header": metric_header}
    return _finish(
        doc,
        "meta_daily",
        frame,
        lines,
        start=start,
        end=end,
        warnings=warnings,
        meta=meta,
        columns=columns,
        family="meta",
    )


def _parse_meta_ads(doc: _Doc) -> Export:
    i0 = _first_content(doc.records)
    assert i0 is not None
    warnings: list[str] = []
    last_eof = not doc.text.endswith(("\n", "\r"))
    names, rows = _data_rows(
        doc.records[i0], doc.records[i0 + 1 :], doc.path, warnings, last_line_is_eof=last_eof
    )
    canon = _canonical_names(names, {}, warnings)
    total_rec = None
    if rows and not rows[0].fields[0].strip():
        total_rec, rows = rows[0], rows[1:]
    else:
        warnings.append(
            "The first row has a name, so there is no account-total row (Ads Manager normally writes one); "
            "totals cannot be reconciled."
        )
    blank_names = [r.line for r in rows if not r.fields[0].strip()]
    if blank_names:
        warnings.append(
            f"{len(blank_names)} row(s) have an empty {names[0]!r} (first on line {blank_names[0]})."
        )

    def build(recs: list[_Rec]) -> pd.DataFrame:
        lines_ = [r.line for r in recs]
        data: dict[str, pd.Series] = {}
        for i, (name, c) in enumerate(zip(names, canon, strict=True)):
            vals = _column(recs, i)
            if c in ("reporting_starts", "reporting_ends", "day", "date"):
                data[c] = _parse_dates(vals, lines_, path=doc.path, column=name, families=("iso",)).values
            elif i == 0 or c in ("currency",) or not _looks_numeric(vals):
                data[c] = _str_series(vals)
            else:
                data[c] = _to_numeric(vals, lines_, path=doc.path, column=name, count=None, name=c)
        return pd.DataFrame(data)

    frame = build(rows)
    # keep dtypes of the totals consistent with the body
    totals = None
    if total_rec is not None:
        tf = build([total_rec])
        totals = {c: _scalar(tf[c].iloc[0]) for c in tf.columns if c != canon[0]}
    lines = [r.line for r in rows]
    start = end = None
    if "reporting_starts" in frame and "reporting_ends" in frame and len(frame):
        start = _period(frame["reporting_starts"])[0]
        end = _period(frame["reporting_ends"])[1]
    if start is None:
        start, end = _name_period(doc.name, _ADS_FILE_RE)
    columns = dict(zip(canon, names, strict=True))
    meta = {"name_column": canon[0], "totals_line": total_rec.line if total_rec else None}
    return _finish(
        doc,
        "meta_ads",
        frame,
        lines,
        start=start,
        end=end,
        totals=totals,
        warnings=warnings,
        meta=meta,
        columns=columns,
        family="meta",
    )


# --------------------------------------------------------------------------------------------
# Forms and feedback
# --------------------------------------------------------------------------------------------


def _parse_forms(doc: _Doc, kind: str, date_order: str | None) -> Export:
    i0 = _first_content(doc.records)
    assert i0 is not None
    warnings: list[str] = []
    last_eof = bool(doc.text) and not doc.text.endswith(("\n", "\r"))
    names, rows = _data_rows(
        doc.records[i0], doc.records[i0 + 1 :], doc.path, warnings, last_line_is_eof=last_eof
    )
    lines = [r.line for r in rows]
    keys = [_key(n) for n in names]
    if kind == "forms_microsoft":
        drop = {"id", "email", "name"}
        stamps = {"start time": "started_at", "completion time": "completed_at"}
    else:
        drop = {"email address"}
        stamps = {"timestamp": "completed_at"}
    series: list[pd.Series] = []
    out_names: list[str] = []
    sources: list[str] = []
    dropped: list[str] = []
    for i, (name, k) in enumerate(zip(names, keys, strict=True)):
        if k in drop:
            dropped.append(name)
            continue
        vals = _column(rows, i)
        if k in stamps and stamps[k] not in out_names:
            res = _parse_dates(
                vals,
                lines,
                path=doc.path,
                column=name,
                families=("numeric", "iso"),
                date_order=date_order,
                order_source="date_order",
            )
            series.append(res.values)
            warnings.extend(res.warnings)
            out_names.append(stamps[k])
        else:
            series.append(_str_series(vals, strip=True, blank_na=True))
            out_names.append(re.sub(r"\s+", " ", name).strip() or f"column {i + 1}")
        sources.append(name)
    unique, w = _unique_names(out_names)
    warnings.extend(w)
    frame = (
        pd.concat(series, axis=1, keys=range(len(series))) if series else pd.DataFrame(index=range(len(rows)))
    )
    frame.columns = unique
    columns = dict(zip(unique, sources, strict=True))
    if "completed_at" not in frame:
        raise InputValidationError(
            "expected a 'Completion time' column", path=doc.path, row=doc.records[i0].line
        )
    start, end = _period(frame["completed_at"])
    meta = {"dropped_columns": dropped, "personal_data_dropped": bool(dropped)}
    return _finish(
        doc,
        kind,
        frame,
        lines,
        start=start,
        end=end,
        warnings=warnings,
        meta=meta,
        columns=columns,
        family="forms",
    )


def _parse_feedex(doc: _Doc) -> Export:
    i0 = _first_content(doc.records)
    assert i0 is not None
    warnings: list[str] = []
    last_eof = not doc.text.endswith(("\n", "\r"))
    names, rows = _data_rows(
        doc.records[i0], doc.records[i0 + 1 :], doc.path, warnings, last_line_is_eof=last_eof
    )
    canon = _canonical_names(names, _FEEDEX, warnings)
    lines = [r.line for r in rows]
    data: dict[str, pd.Series] = {}
    for i, c in enumerate(canon):
        vals = _column(rows, i)
        if c == "created_at":
            data[c] = _parse_dates(vals, lines, path=doc.path, column=names[i], families=("iso",)).values
        elif c == "service_satisfaction_rating":
            data[c] = _to_numeric(vals, lines, path=doc.path, column=names[i], count=True)
        elif c == "feedback":
            data[c] = _str_series([v.replace("\r\n", "\n") for v in vals], blank_na=True)
        else:
            data[c] = _str_series(vals, strip=True, blank_na=True)
    frame = pd.DataFrame(data)
    start, end = _period(frame["created_at"]) if "created_at" in frame else (None, None)
    m = re.search(r"feedex_(\d{4}-\d{2}-\d{2})_(\d{4}-\d{2}-\d{2})", doc.name)
    meta = {"file_name_period": (m[1], m[2]) if m else None}
    return _finish(
        doc,
        "feedback_feedex",
        frame,
        lines,
        start=start,
        end=end,
        warnings=warnings,
        meta=meta,
        columns=dict(zip(canon, names, strict=True)),
        family="feedback",
    )


_YES = frozenset({"yes", "y", "true", "1", "helpful", "\U0001f44d"})
_NO = frozenset({"no", "n", "false", "0", "not helpful", "\U0001f44e"})


def _page_path(url: str) -> str:
    """Return the path part of a page URL (``https://host/a/b?q`` -> ``/a/b``); bare paths pass through."""
    u = url.strip()
    if not u:
        return ""
    if "://" not in u and not u.startswith("//"):
        head = u.split("/", 1)[0]
        u = "//" + u if ("." in head and not u.startswith("/")) else "//x/" + u.lstrip("/")
    return urlsplit(u).path or "/"


def _parse_feedback_page(doc: _Doc, date_order: str | None) -> Export:
    i0 = _first_content(doc.records)
    assert i0 is not None
    warnings: list[str] = []
    last_eof = not doc.text.endswith(("\n", "\r"))
    names, rows = _data_rows(
        doc.records[i0], doc.records[i0 + 1 :], doc.path, warnings, last_line_is_eof=last_eof
    )
    canon = _canonical_names(names, _FEEDBACK_PAGE, warnings)
    lines = [r.line for r in rows]
    data: dict[str, pd.Series] = {}
    for i, c in enumerate(canon):
        vals = _column(rows, i)
        if c == "submitted_at":
            res = _parse_dates(
                vals,
                lines,
                path=doc.path,
                column=names[i],
                families=("iso", "numeric"),
                date_order=date_order,
            )
            data[c] = res.values
            warnings.extend(res.warnings)
        elif c == "page_path":
            data[c] = _str_series([_page_path(v) for v in vals])
        elif c == "helpful":
            out: list[Any] = []
            for j, v in enumerate(vals):
                t = v.strip().lower()
                if not t:
                    out.append(None)
                elif t in _YES:
                    out.append(True)
                elif t in _NO:
                    out.append(False)
                else:
                    raise InputValidationError(
                        "expected Yes or No", path=doc.path, row=lines[j], column=names[i], value=v
                    )
            data[c] = pd.Series(out, dtype="boolean")
        else:
            data[c] = _str_series(vals, strip=True, blank_na=True)
    frame = pd.DataFrame(data)
    start, end = _period(frame["submitted_at"]) if "submitted_at" in frame else (None, None)
    return _finish(
        doc,
        "feedback_page",
        frame,
        lines,
        start=start,
        end=end,
        warnings=warnings,
        columns=dict(zip(canon, names, strict=True)),
        family="feedback",
    )


def _month_start(text: str) -> dt.datetime:
    """``2026-05``, ``2026-05-01``, ``05/2026`` or ``May 2026`` -> 2026-05-01."""
    t = text.strip()
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?", t):
        return dt.datetime(int(m[1]), int(m[2]), 1)
    if m := re.fullmatch(r"(\d{1,2})/(\d{4})", t):
        return dt.datetime(int(m[2]), int(m[1]), 1)
    if (m := re.fullmatch(r"([A-Za-z]{3,9})[ -](\d{4})", t)) and m[1].lower() in _MONTHS:
        return dt.datetime(int(m[2]), _MONTHS[m[1].lower()], 1)
    raise ValueError("not a month")


def _parse_partner(doc: _Doc) -> Export:
    i0 = _first_content(doc.records)
    assert i0 is not None
    warnings: list[str] = []
    last_eof = not doc.text.endswith(("\n", "\r"))
    names, rows = _data_rows(
        doc.records[i0], doc.records[i0 + 1 :], doc.path, warnings, last_line_is_eof=last_eof
    )
    canon = [snake_case(n) for n in names]
    canon, w = _unique_names(canon)
    warnings.extend(w)
    lines = [r.line for r in rows]
    data: dict[str, pd.Series] = {}
    for i, c in enumerate(canon):
        vals = _column(rows, i)
        if c == "month":
            months = []
            for j, v in enumerate(vals):
                try:
                    months.append(_month_start(v))
                except ValueError as err:
                    raise InputValidationError(
                        "expected a month like 2026-05 or 2026-05-01",
                        path=doc.path,
                        row=lines[j],
                        column=names[i],
                        value=v,
                    ) from err
            data[c] = pd.Series(months, dtype="datetime64[ns]")
        elif c in ("numerator", "denominator"):
            data[c] = _to_numeric(vals, lines, path=doc.path, column=names[i], count=None, name=c)
        elif c in ("indicator", "area_code", "area_name") or not _looks_numeric(vals):
            data[c] = _str_series(vals, strip=True)
        else:
            data[c] = _to_numeric(vals, lines, path=doc.path, column=names[i], count=None, name=c)
    frame = pd.DataFrame(data)
    start = end = None
    if "month" in frame and frame["month"].notna().any():
        start = frame["month"].min().date()
        last = frame["month"].max()
        end = (last + pd.offsets.MonthEnd(0)).date()
    return _finish(
        doc,
        "partner_indicators",
        frame,
        lines,
        start=start,
        end=end,
        warnings=warnings,
        columns=dict(zip(canon, names, strict=True)),
        family="partner",
    )


# --------------------------------------------------------------------------------------------
# Entry points
# --------------------------------------------------------------------------------------------


def _parse_doc(doc: _Doc, kind: str, date_order: str | None) -> Export:
    if kind in ("ga4_report", "ga4_snapshot"):
        return _parse_ga4(doc, kind)
    if kind == "youtube_table":
        return _parse_youtube_table(doc, date_order)
    if kind in ("youtube_chart", "youtube_totals"):
        return _parse_youtube_series(doc, kind, date_order)
    if kind == "meta_posts":
        return _parse_meta_posts(doc, date_order)
    if kind == "meta_daily":
        return _parse_meta_daily(doc)
    if kind == "meta_ads":
        return _parse_meta_ads(doc)
    if kind in ("forms_microsoft", "forms_google"):
        return _parse_forms(doc, kind, date_order)
    if kind == "feedback_feedex":
        return _parse_feedex(doc)
    if kind == "feedback_page":
        return _parse_feedback_page(doc, date_order)
    if kind == "partner_indicators":
        return _parse_partner(doc)
    raise AssertionError(kind)  # pragma: no cover


def _safe_member(name: str, archive: Path) -> PurePosixPath:
    p = PurePosixPath(name.replace("\\", "/"))
    if p.is_absolute() or ".." in p.parts or re.match(r"^[A-Za-z]:", name):
        raise InputValidationError(
            "the zip archive has a member with an absolute or '..' path, which reach refuses to read; "
            "re-download the archive from YouTube Studio",
            path=archive,
            value=name,
        )
    return p


def _zip_members(data: bytes, path: Path) -> list[tuple[str, bytes]]:
    """Read the members of a zip archive, in name order (hidden and ``__MACOSX`` entries skipped)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            out = []
            for info in zf.infolist():
                p = _safe_member(info.filename, path)
                if info.is_dir() or any(part.startswith(".") or part == "__MACOSX" for part in p.parts):
                    continue
                if info.file_size > _MAX_ZIP_MEMBER:
                    raise InputValidationError(
                        f"zip member is larger than {_MAX_ZIP_MEMBER // 2**20} MB",
                        path=path,
                        value=info.filename,
                    )
                out.append((str(p), zf.read(info)))
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        RuntimeError,
        NotImplementedError,
        OSError,
        EOFError,
    ) as err:
        raise InputValidationError(
            f"the zip archive cannot be read ({err}); download it again", path=path
        ) from err
    return sorted(out, key=lambda m: m[0])


def _primary_member(names: Sequence[str]) -> str:
    for n in names:
        if PurePosixPath(n).name.lower() == "table data.csv":
            return n
    return names[0]


def _parse_zip(data: bytes, path: Path, date_order: str | None) -> list[Export]:
    members = _zip_members(data, path)
    if not members:
        raise UnrecognisedExportError("a zip archive with no files in it", path=path)
    out = []
    for name, mdata in members:
        if _is_zip(mdata) and not _is_xlsx(mdata):
            raise InputValidationError("zip archives inside zip archives are not read", path=path, value=name)
        out.append(_parse_single(mdata, path / name, date_order))
    return out


def _parse_single(data: bytes, path: Path, date_order: str | None) -> Export:
    order = _check_date_order(date_order, path)
    if _is_bigquery(data):
        from reach.bigquery import parse_bigquery  # noqa: PLC0415 - DuckDB only when needed

        return parse_bigquery(path, data)
    if _is_xlsx(data):
        doc = _xlsx_doc(data, path, path.name)
        kind = _xlsx_kind(doc)
    else:
        doc = _prepare(data, path, path.name)
        kind = _detect_doc(doc)
    try:
        return _parse_doc(doc, kind, order)
    except InputValidationError as err:
        raise _recognised_as(err, kind) from err


def _recognised_as(err: InputValidationError, kind: str) -> InputValidationError:
    """The same error, its message ending with the kind the file was recognised as."""
    label = KIND_LABELS.get(kind, kind)
    if label in err.reason:
        return err
    return type(err)(
        f"{err.reason.rstrip('.')} (the file was read as {label})",
        path=err.path,
        row=err.row,
        column=err.column,
        value=err.value,
    )


def _guard(fn, path: Path, *args):  # noqa: ANN001, ANN202 - internal
    try:
        return fn(*args)
    except ReachError:
        raise
    except Exception as err:  # safety net: a raw exception must never escape to the user
        raise InputValidationError(
            f"could not parse the file ({type(err).__name__}: {err}); check it is an unmodified download",
            path=path,
        ) from err


def parse_exports(data: bytes, path: str | Path, *, date_order: str | None = None) -> list[Export]:
    """Parse a file's bytes into one Export per contained export (a zip gives one per member).

    Parameters
    ----------
    data : bytes
        The whole file.
    path : str or pathlib.Path
        Where it came from (used for messages, the file-name period of Meta posts, tie-breaks).
    date_order : {"DMY", "MDY"}, optional
        Day/month order for forms timestamps that the values cannot decide.

    Returns
    -------
    list of Export
    """
    p = Path(path)
    if _is_zip(data) and not _is_xlsx(data):
        return _guard(_parse_zip, p, data, p, date_order)
    return [_guard(_parse_single, p, data, p, date_order)]


def parse_export(data: bytes, path: str | Path, *, date_order: str | None = None) -> Export:
    """Parse one export file from its bytes (pure: no file system access).

    Parameters
    ----------
    data : bytes
        The whole file.
    path : str or pathlib.Path
        Where it came from; used in messages, as a tie-break hint for the kind and for the period
        of Meta posts exports (``Mon-DD-YYYY_Mon-DD-YYYY_id.csv``).
    date_order : {"DMY", "MDY"}, optional
        Day/month order for numeric timestamps (forms) when no value has a day above 12.

    Returns
    -------
    Export
        For a zip archive (a YouTube Studio download) the ``Table data.csv`` member (else the first
        member), with every member's Export in ``meta["members"]``.

    Raises
    ------
    UnrecognisedExportError
        The content is no known export kind.
    InputValidationError
        The file is of a known kind but cannot be read; the message names the line and column.
    """
    exports = parse_exports(data, path, date_order=date_order)
    if len(exports) == 1 and not (_is_zip(data) and not _is_xlsx(data)):
        return exports[0]
    names = [str(e.path.relative_to(Path(path))) for e in exports]
    primary = exports[names.index(_primary_member(names))]
    meta = dict(primary.meta)
    meta["archive"] = str(path)
    meta["members"] = exports
    warnings = primary.warnings
    if len(exports) > 1:
        warnings = (
            *warnings,
            f"The zip archive holds {len(exports)} exports; this is {primary.path.name!r} and the "
            "others are in "
            "meta['members'] (read_exports returns them all).",
        )
    return Export(
        primary.path, primary.kind, primary.start, primary.end, primary.table, primary.totals, warnings, meta
    )


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError as err:
        raise InputValidationError("file not found", path=path) from err
    except IsADirectoryError as err:
        raise InputValidationError("this is a folder, not a file", path=path) from err
    except OSError as err:
        raise InputValidationError(f"cannot read the file ({err.strerror or err})", path=path) from err


def read_export(path: str | Path, *, date_order: str | None = None) -> Export:
    """Read and parse one export file (never writes).

    Parameters
    ----------
    path : str or pathlib.Path
        A CSV, an .xlsx (Microsoft Forms) or a zip (YouTube Studio download).
    date_order : {"DMY", "MDY"}, optional
        See :func:`parse_export`.

    Returns
    -------
    Export

    Raises
    ------
    InputValidationError, UnrecognisedExportError
        See :func:`parse_export`; also when the file cannot be read.
    """
    p = Path(path)
    if _is_bigquery_file(p):  # read by DuckDB straight from disk, never whole into memory
        return _guard(_parse_bigquery_file, p, p)
    return parse_export(_read_bytes(p), p, date_order=date_order)


def read_exports(path: str | Path, *, date_order: str | None = None) -> list[Export]:
    """Read a file and return every export in it (a zip gives one per member).

    Parameters
    ----------
    path : str or pathlib.Path
        The file.
    date_order : {"DMY", "MDY"}, optional
        See :func:`parse_export`.

    Returns
    -------
    list of Export
    """
    p = Path(path)
    if _is_bigquery_file(p):
        return [_guard(_parse_bigquery_file, p, p)]
    return parse_exports(_read_bytes(p), p, date_order=date_order)


_JUNK = re.compile(r"^(readme.*|.*\.md|\.gitkeep|thumbs\.db|desktop\.ini|~\$.*)$", re.I)


def find_exports(folder: str | Path) -> list[Path]:
    """List every candidate export file under a folder, recursively.

    Hidden files and folders, ``README*``, notes in Markdown (``*.md``), ``.gitkeep``, Office lock files (``~$...``),
    ``Thumbs.db`` and ``desktop.ini`` are skipped.

    Parameters
    ----------
    folder : str or pathlib.Path
        A month folder such as ``data/raw/2026-05``.

    Returns
    -------
    list of pathlib.Path
        Sorted by path.

    Raises
    ------
    InputValidationError
        The folder does not exist or is not a folder.
    """
    root = Path(folder)
    if not root.is_dir():
        raise InputValidationError("expected a folder of downloaded exports; it does not exist", path=root)
    out = []
    for p in root.rglob("*"):
        rel = p.relative_to(root)
        if any(part.startswith(".") for part in rel.parts) or _JUNK.match(p.name) or not p.is_file():
            continue
        out.append(p)
    return sorted(out, key=lambda p: p.relative_to(root).as_posix())


def _summary(e: Export) -> dict[str, Any]:
    return {
        "path": str(e.path),
        "kind": e.kind,
        "start": e.start.isoformat() if e.start else None,
        "end": e.end.isoformat() if e.end else None,
        "rows": e.rows,
        "warnings": list(e.warnings),
    }


def inspect_files(
    paths: Iterable[str | Path], *, date_order: str | None = None, validate: bool = True
) -> list[dict[str, Any]]:
    """Describe files for ``reach inspect --json``; never raises for a bad file.

    Parameters
    ----------
    paths : iterable of str or pathlib.Path
        Files (folders are expanded with :func:`find_exports`; zips give one entry per member).
    date_order : {"DMY", "MDY"}, optional
        See :func:`parse_export`.
    validate : bool, default True
        Also run :func:`reach.validate.validate_export` and report its error.

    Returns
    -------
    list of dict
        ``{"path", "kind", "start", "end", "rows", "warnings"}`` with ISO dates or None, plus
        ``"error"`` (the one-line message) only when the file failed.
    """
    from reach.validate import validate_export  # noqa: PLC0415 - avoids an import cycle

    out: list[dict[str, Any]] = []
    expanded: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            expanded.extend(find_exports(p))
        else:
            expanded.append(p)
    for p in expanded:
        try:
            exports = read_exports(p, date_order=date_order)
        except Exception as err:  # never raise for a bad file
            out.append(
                {
                    "path": str(p),
                    "kind": None,
                    "start": None,
                    "end": None,
                    "rows": None,
                    "warnings": [],
                    "error": str(err),
                }
            )
            continue
        for e in exports:
            entry = _summary(e)
            if validate:
                try:
                    validate_export(e)
                except Exception as err:  # never raise for a bad file
                    entry["error"] = str(err)
            out.append(entry)
    return out
