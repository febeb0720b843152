"""Every file's period against the month, and whether the month has what the report needs.

Three pure steps, shared by ``reach run`` (which writes their tables) and ``reach check``:

* :func:`infer_periods` gives an export with no period of its own (a YouTube ``Table data.csv``
  grouped by video) the period of the download it came with, or one written in its name, and
  records where each period came from;
* :func:`file_uses` says, per file, which days of the month it covers and what is used from it
  (or why nothing is);
* :func:`source_readiness` lists each source the report needs as present, partial, missing or
  unusable, with the reason and the fix.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

import pandas as pd

from reach.core.months import month_label, parse_month
from reach.ingest.export import KIND_LABELS
from reach.tidy.routing import SourceFile, file_month, route
from reach.tidy.specs import DATED

# ---------------------------------------------------------------------------------------------
# Periods
# ---------------------------------------------------------------------------------------------

#: A period written in a file or folder name: ``2026-03-01_2026-03-31``, ``2026-03-01 to 2026-03-31``.
NAME_PERIOD = re.compile(
    r"(?<!\d)(\d{4}-\d{2}-\d{2})\s*(?:_|to|–|—|-|\.\.)\s*(\d{4}-\d{2}-\d{2})(?!\d)", re.IGNORECASE
)

#: Where a kind's own period comes from, when the parser does not say.
_OWN_PERIOD = {
    "ga4_report": "its '# Start date' and '# End date' lines",
    "ga4_snapshot": "its '# Start date' and '# End date' lines",
    "ga4_bigquery": "its event dates",
    "youtube_chart": "the dates in its rows",
    "youtube_totals": "the dates in its rows",
    "youtube_table": "the dates in its rows",
    "meta_daily": "the dates in its rows",
    "forms_microsoft": "its response times",
    "forms_google": "its response times",
    "feedback_feedex": "its creation dates",
    "feedback_page": "its submission times",
    "partner_indicators": "its month column",
    "hv_recall": "its month column",
}

_SIBLINGS = ("youtube_chart", "youtube_totals")

#: The parsers' own words for where a period came from, as sentences say them.
_PARSER_WORDS = {"file name": "its file name", "publish times": "its posts' publish times"}


def _name_period(relpath: str) -> tuple[dt.date, dt.date] | None:
    """The last ``YYYY-MM-DD…YYYY-MM-DD`` period written in a path, or None."""
    for match in reversed(list(NAME_PERIOD.finditer(relpath))):
        try:
            start, end = dt.date.fromisoformat(match[1]), dt.date.fromisoformat(match[2])
        except ValueError:
            continue
        if start <= end:
            return start, end
    return None


def _with_period(source: SourceFile, start: dt.date | None, end: dt.date | None, meta: dict) -> SourceFile:
    export = dataclasses.replace(source.export, start=start, end=end, meta={**source.export.meta, **meta})
    return dataclasses.replace(source, export=export)


def infer_periods(sources: Sequence[SourceFile]) -> list[SourceFile]:
    """Give a YouTube ``Table data`` export by video the period of its download, or say why not.

    Such a file holds one figure per video for the period chosen in YouTube Studio but no dates.
    Its period is taken, in this order, from a period written in its path (file, zip or folder
    name, e.g. ``Table data 2026-03-01_2026-03-31.csv``: the explicit way to state it), then from
    the ``Chart data.csv`` and ``Totals.csv`` of the same download (same folder or zip), which
    carry dates. Without either the file gets no period, and ``meta["period_missing"]`` says why;
    it is then never charged to a month. Every other export is returned as it is, with
    ``meta["period_source"]`` filled in where the parser left it out.

    Parameters
    ----------
    sources : sequence of SourceFile
        Parsed exports.

    Returns
    -------
    list of SourceFile
        The same sources, in order; nothing is modified in place.

    Examples
    --------
    >>> import pandas as pd
    >>> from reach.ingest.export import Export
    >>> table = Export("Table data.csv", "youtube_table", None, None,
    ...                pd.DataFrame({"video_id": ["abcdefghijk"]}), None, (), {})
    >>> totals = Export("Totals.csv", "youtube_totals", dt.date(2026, 3, 1), dt.date(2026, 3, 31),
    ...                 pd.DataFrame(), None, (), {})
    >>> found = infer_periods([SourceFile(table, "2026-03/yt/Table data.csv", "2026-03"),
    ...                        SourceFile(totals, "2026-03/yt/Totals.csv", "2026-03")])
    >>> found[0].export.start, found[0].export.meta["period_source"]
    (datetime.date(2026, 3, 1), 'the Totals.csv of the same download')
    """
    out = []
    for source in sources:
        export = source.export
        if export.start is not None or export.kind != "youtube_table" or "video_id" not in export.table:
            if export.start is not None and "period_source" not in export.meta and export.kind in _OWN_PERIOD:
                source = _with_period(
                    source, export.start, export.end, {"period_source": _OWN_PERIOD[export.kind]}
                )
            out.append(source)
            continue
        named = _name_period(source.relpath)
        if named is not None:
            out.append(_with_period(source, *named, {"period_source": "the period written in its name"}))
            continue
        folder = PurePosixPath(source.relpath).parent
        siblings = [
            other
            for other in sources
            if other.export.kind in _SIBLINGS
            and PurePosixPath(other.relpath).parent == folder
            and other.export.start is not None
            and other.export.end is not None
        ]
        periods = {(s.export.start, s.export.end) for s in siblings}
        if len(periods) == 1:
            names = " and ".join(sorted({PurePosixPath(s.relpath).name for s in siblings}))
            out.append(
                _with_period(source, *periods.pop(), {"period_source": f"the {names} of the same download"})
            )
            continue
        why = (
            "its Chart data and Totals files disagree about the period ("
            + "; ".join(f"{a} to {b}" for a, b in sorted(periods))
            + ")"
            if periods
            else "no Chart data.csv or Totals.csv of the same download is beside it"
        )
        out.append(
            _with_period(
                source,
                None,
                None,
                {
                    "period_missing": "YouTube Table data has no dates of its own and "
                    + why
                    + ", so its period is unknown and it is charged to no month; keep the three files of one "
                    "YouTube Studio download together, or write the period in its name "
                    "(e.g. 'Table data 2026-03-01_2026-03-31.csv')"
                },
            )
        )
    return out


# ---------------------------------------------------------------------------------------------
# What the report needs
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Need:
    """One source the monthly report needs.

    Attributes
    ----------
    key : str
        Short name (``ga4_pages``).
    label : str
        How people call it.
    tables : tuple of str
        The processed tables it feeds.
    headline : bool
        True when an At a glance figure needs it: without it ``reach run`` stops unless
        ``--allow-incomplete``.
    daily : bool
        True when its rows are days, so a file may cover part of the month.
    fix : str
        What to download, with ``{first}`` and ``{last}`` for the month's first and last day.
    family : tuple of str
        Export kinds people may take for it: a file of such a kind that no table reads is named
        when the source is missing (a GA4 report by Date alone is not the GA4 daily report).
    """

    key: str
    label: str
    tables: tuple[str, ...]
    headline: bool
    daily: bool
    fix: str
    family: tuple[str, ...] = ()


NEEDS: tuple[Need, ...] = (
    Need("ga4_pages", "GA4 pages", ("web_pages",), True, False,
         "download GA4 Reports > Engagement > Pages and screens (Page path and screen class) for {first} to "
         "{last}: Share > Download file > CSV", ("ga4_report", "ga4_snapshot")),
    Need("ga4_daily", "GA4 daily", ("web_daily",), True, True,
         "download the same Pages and screens report with Date as the first dimension and Page path as the "
         "second, for {first} to {last}", ("ga4_report", "ga4_snapshot")),
    Need("youtube", "YouTube videos", ("video",), True, False,
         "in YouTube Studio > Analytics > Advanced mode > Content, set {first} to {last} and download; keep "
         "Table data, Chart data and Totals of the download together",
         ("youtube_table", "youtube_chart", "youtube_totals")),
    Need("meta_posts", "Meta posts", ("social_posts",), True, False,
         "in Meta Business Suite > Insights > Content, export the posts published {first} to {last}",
         ("meta_daily",)),
    Need("feedback", "Family feedback", ("feedback",), True, False,
         "download the feedback form's responses (Microsoft Forms: Open results in Excel; Google Forms: "
         "Download CSV); for a form worded differently, add its questions to feedback_questions in "
         "config/reach.yaml (`reach inspect FILE` suggests the lines)", ("feedback_feedex",)),
    Need("hv_recall", "Health-visiting recall", ("hv_recall",), True, False,
         "ask the health-visiting provider for the new-birth recall return of the month (format in "
         "docs/architecture.md)"),
    Need("ga4_city", "GA4 Town/City", ("web_city",), False, False,
         "download GA4 Demographic details with Town/City, filtered to the asset pages, for {first} to {last}"),
    Need("ga4_acquisition", "GA4 traffic acquisition", ("web_acquisition",), False, False,
         "download GA4 Traffic acquisition by Session source / medium and Session campaign for {first} to {last}"),
    Need("youtube_daily", "YouTube daily", ("video_daily", "channel_daily"), False, True,
         "the Chart data.csv and Totals.csv of the YouTube Studio download for {first} to {last}"),
    Need("page_feedback", "Page feedback", ("page_feedback",), False, False,
         "download the page-feedback widget's responses"),
    Need("partners", "Partner indicators", ("partner_indicators",), False, False,
         "ask the partners for the month's indicators CSV"),
    Need("meta_paid", "Meta paid reach", ("social_paid",), False, False,
         "in Meta Ads Manager, export the campaigns with Reach for {first} to {last}, with no breakdown"),
)  # fmt: skip


#: The reference tables (not exports): a need of their own.
REFERENCE = Need(
    "reference", "Reference tables", (), True, False,
    "write starter tables with `reach init` and fill them in (columns in docs/architecture.md)",
)  # fmt: skip

#: Processed table -> the label of the source that feeds it.
TABLE_LABELS = {table: need.label for need in NEEDS for table in need.tables} | {
    "video_totals": "YouTube videos"
}

#: Which sources each At a glance tile needs.
TILE_NEEDS = {
    "reach_people": ("ga4_pages", "youtube", "meta_posts"),
    "coverage": ("hv_recall", "reference"),
    "engagement_rate": ("ga4_pages",),
    "helpful": ("feedback",),
    "campaign_effect": ("ga4_daily", "reference"),
}

READINESS_COLUMNS = ("source", "label", "headline", "status", "detail", "fix")
FILE_USE_COLUMNS = ("path", "kind", "start", "end", "period_source", "days", "use", "detail", "notes")

#: Tables of one row per day (and page or video): a file may give the month some of its days.
DAY_SERIES = frozenset({"web_daily", "video_daily", "channel_daily"})

#: Statuses, from best to worst.
STATUSES = ("present", "partial", "missing", "unusable")


def _days_in_month(month: str) -> tuple[dt.date, dt.date, int]:
    first = parse_month(month)
    days = calendar.monthrange(first.year, first.month)[1]
    return first, first.replace(day=days), days


def _day(value: dt.date) -> str:
    return f"{value.day} {value:%b %Y}"


def span(start: dt.date | None, end: dt.date | None) -> str:
    """A period in words.

    Examples
    --------
    >>> span(dt.date(2026, 2, 24), dt.date(2026, 3, 23))
    '24 Feb 2026 to 23 Mar 2026'
    >>> span(None, None)
    'no period'
    """
    if start is None or end is None:
        return "no period"
    return _day(start) if start == end else f"{_day(start)} to {_day(end)}"


def covered_days(start: dt.date | None, end: dt.date | None, month: str) -> int | None:
    """How many days of ``month`` the period ``start``..``end`` covers (None without a period).

    Examples
    --------
    >>> covered_days(dt.date(2026, 2, 24), dt.date(2026, 3, 23), "2026-03")
    23
    >>> covered_days(dt.date(2023, 7, 8), dt.date(2024, 3, 4), "2026-03")
    0
    """
    if start is None or end is None:
        return None
    first, last, _ = _days_in_month(month)
    overlap = (min(end, last) - max(start, first)).days + 1
    return max(overlap, 0)


def _day_list(days: Iterable[int], month: str) -> str:
    """Days of a month as ranges: ``1–23 Mar``."""
    days = sorted(set(days))
    parts = []
    run: list[int] = []
    for day in days:
        if run and day != run[-1] + 1:
            parts.append(run)
            run = []
        run.append(day)
    if run:
        parts.append(run)
    name = f"{parse_month(month):%b}"
    return ", ".join(f"{r[0]}" if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in parts) + f" {name}"


def why_not_routed(export: object) -> str:
    """Why no monthly table reads an export of this kind and shape, in words.

    Examples
    --------
    >>> import pandas as pd
    >>> from reach.ingest.export import Export
    >>> e = Export("x.csv", "ga4_report", None, None, pd.DataFrame(), None, (),
    ...            {"dimensions": ["landing_page"], "columns": {"landing_page": "Landing page"}})
    >>> why_not_routed(e).split(";")[0]
    "a GA4 report by 'Landing page'"
    """
    kind = export.kind
    meta = export.meta
    if kind == "ga4_report":
        headers = meta.get("columns") or {}
        dims = (
            " and ".join(repr(headers.get(d, d)) for d in meta.get("dimensions", ()))
            or "an unknown dimension"
        )
        return (
            f"a GA4 report by {dims}; reach reads GA4 reports by page path, by date and page path, by Town/City, "
            "and by session source / medium with campaign"
        )
    if kind in ("youtube_chart", "youtube_totals"):
        return (
            f"{KIND_LABELS[kind]} of {meta.get('metric') or 'another metric'!r}, not Views; reach reads Chart data "
            "and Totals of Views (choose Views as the chart's metric in YouTube Studio)"
        )
    return {
        "ga4_snapshot": "a GA4 multi-table export (Reports snapshot, overview cards or comparison); reach reads "
        "single-table reports",
        "meta_daily": "a Meta Business Suite daily page series; reach reads the posts export (Insights > Content)",
        "feedback_feedex": "a GOV.UK Feedback Explorer export, which no monthly table reads",
    }.get(kind, f"{KIND_LABELS.get(kind, kind)} that no monthly table reads")


def _source_rows(tables: Mapping[str, pd.DataFrame], month: str) -> dict[str, dict[str, pd.DataFrame]]:
    """Per source file, per table: its rows of ``month`` that were kept."""
    out: dict[str, dict[str, pd.DataFrame]] = {}
    for name in TABLE_LABELS:
        frame = tables.get(name)
        if frame is None or frame.empty or "source_file" not in frame or "month" not in frame:
            continue
        rows = frame[frame["month"].astype("str") == month]
        for path, group in rows.groupby("source_file", sort=False):
            out.setdefault(str(path), {})[name] = group
    return out


def _used_text(name: str, rows: pd.DataFrame, month: str) -> str:
    label = TABLE_LABELS.get(name, name)
    if name in DAY_SERIES:
        days = pd.to_datetime(rows[DATED[name]]).dt.day.unique()
        return f"{label} ({name}): {len(days)} days, {_day_list(days, month)}"
    return f"{label} ({name}): {len(rows)} rows"


#: Why a file of the right period gives nothing: a later download of the same rows won.
REPLACED = (
    "its rows were replaced by a later download of the same period (the later export wins; values it "
    "changed are listed in restatements)"
)


def _not_used_text(source: SourceFile, notes: list[str], month: str, days: int | None, total: int) -> str:
    """Why a file gives nothing to the month, in the month's own words."""
    export = source.export
    table = route(export)
    when = month_label(month)
    if table is None:
        return why_not_routed(export)
    refusals = [n.removeprefix("not used: ") for n in notes if n.startswith("not used: ")]
    period = span(export.start, export.end)
    if table not in DATED:
        _, reason = file_month(table, source)
        if reason is not None and export.start is None:
            return reason
        if days == 0:
            return f"for another period: it covers {period}, no day of {when}"
        if days is not None and days < total:
            first, last, _ = _days_in_month(month)
            return (
                f"covers {period}: only {days} of the {total} days of {when}; {TABLE_LABELS.get(table, table)} "
                f"is a whole-month figure and needs an export of {_day(first)} to {_day(last)}"
            )
        if reason is not None:
            label = TABLE_LABELS.get(table, table)
            return f"covers {period}, more than {when}; {label} needs an export of exactly one calendar month"
        if refusals:
            return refusals[0]
        return "it has no rows" if export.rows == 0 else REPLACED
    if refusals and days == 0:
        return f"{refusals[0]}; and it is for another period ({period}, no day of {when})"
    if refusals:
        return refusals[0]
    if days == 0:
        return f"for another period: it covers {period}, no day of {when}"
    return f"it has no rows for {when}" if export.rows == 0 else REPLACED


def file_uses(
    month: str,
    sources: Sequence[SourceFile],
    tables: Mapping[str, pd.DataFrame],
    notes: Sequence[tuple[str, str]],
    failures: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Per file: the days of the month it covers and what is used from it, or why nothing is.

    The files listed are those of the month's folder, and any other file that gave the month
    rows. A file gives the month day-level rows for the days it covers (a GA4 daily report of
    24 Feb–23 Mar gives 1–23 March); a whole-month table takes only a file of exactly the month.

    Parameters
    ----------
    month : str
        Reporting month ``YYYY-MM``.
    sources : sequence of SourceFile
        Every parsed export of the build (periods inferred or not).
    tables : Mapping of str to pandas.DataFrame
        The tidied tables (:func:`reach.tidy.tables.tidy_tables`).
    notes : sequence of (str, str)
        ``(source, note)`` pairs from tidying.
    failures : Mapping of str to str, optional
        Files of the month that could not be read: path relative to the raw folder -> the error.

    Returns
    -------
    pandas.DataFrame
        :data:`FILE_USE_COLUMNS`: ``use`` is ``used``, ``partly used``, ``not used`` or
        ``unreadable``; ``days`` says which days of the month the file covers; ``detail`` what is
        used (tables and rows or days) or why not; ``notes`` the other notes on the file.
    """
    sources = infer_periods(sources)
    _, _, total = _days_in_month(month)
    kept = _source_rows(tables, month)
    by_file: dict[str, list[str]] = {}
    for path, note in notes:
        by_file.setdefault(str(path), []).append(str(note))
    records = []
    for source in sources:
        path = source.relpath
        if not path.startswith(f"{month}/") and path not in kept:
            continue
        export = source.export
        days = covered_days(export.start, export.end, month)
        file_notes = by_file.get(path, [])
        used = kept.get(path, {})
        if days is None:
            days_text = "unknown (no period)"
        elif days == total:
            days_text = f"all {total} days"
        elif days == 0:
            days_text = "none"
        else:
            first, last, _ = _days_in_month(month)
            lo, hi = max(export.start, first), min(export.end, last)
            days_text = f"{days} of {total} days ({_day_list(range(lo.day, hi.day + 1), month)})"
        if used:
            partial = days is not None and days < total and any(name in DAY_SERIES for name in used)
            use = "partly used" if partial else "used"
            detail = "; ".join(_used_text(name, rows, month) for name, rows in used.items())
        else:
            use = "not used"
            detail = _not_used_text(source, file_notes, month, days, total)
        records.append(
            {
                "path": path,
                "kind": export.kind,
                "start": None if export.start is None else export.start.isoformat(),
                "end": None if export.end is None else export.end.isoformat(),
                "period_source": _PARSER_WORDS.get(
                    export.meta.get("period_source"), export.meta.get("period_source")
                )
                or "",
                "days": days_text,
                "use": use,
                "detail": detail,
                "notes": " | ".join(n for n in file_notes if not n.startswith("not used: ")),
            }
        )
    for path, error in sorted((failures or {}).items()):
        records.append(
            {"path": path, "kind": None, "start": None, "end": None, "period_source": "", "days": "unknown",
             "use": "unreadable", "detail": error, "notes": ""}
        )  # fmt: skip
    frame = pd.DataFrame(records, columns=list(FILE_USE_COLUMNS))
    return frame.sort_values("path", kind="stable").reset_index(drop=True).astype("object")


def _kind_need(kind: str | None) -> str | None:
    """The need an unreadable file of this kind was meant for (None when its kind does not say)."""
    return {
        "youtube_table": "youtube",
        "youtube_chart": "youtube_daily",
        "youtube_totals": "youtube_daily",
        "meta_posts": "meta_posts",
        "meta_ads": "meta_paid",
        "forms_microsoft": "feedback",
        "forms_google": "feedback",
        "feedback_page": "page_feedback",
        "hv_recall": "hv_recall",
        "partner_indicators": "partners",
    }.get(kind or "")


def source_readiness(
    month: str,
    sources: Sequence[SourceFile],
    tables: Mapping[str, pd.DataFrame],
    notes: Sequence[tuple[str, str]],
    reference_problems: Sequence[str] = (),
    failures: Mapping[str, tuple[str | None, str]] | None = None,
) -> pd.DataFrame:
    """Each source the report needs, as present, partial, missing or unusable, with reason and fix.

    * **present**: the month has rows from it (every day, for a daily source);
    * **partial**: a daily source with some days of the month only;
    * **unusable**: a file of the month would feed it but gives nothing (another period, part of
      a whole-month figure, no period, a form whose questions are not mapped, unreadable...);
      ``detail`` names each file and why;
    * **missing**: no file of the month feeds it.

    Parameters
    ----------
    month : str
        Reporting month.
    sources, tables, notes
        As for :func:`file_uses`.
    reference_problems : sequence of str
        What is wrong with the reference tables (empty when they were read).
    failures : Mapping, optional
        Unreadable files of the month: path -> ``(kind or None, error)``.

    Returns
    -------
    pandas.DataFrame
        :data:`READINESS_COLUMNS`, one row per :data:`NEEDS` entry and one for the reference
        tables, headline sources first.
    """
    failures = dict(failures or {})
    uses = file_uses(month, sources, tables, notes, {p: e for p, (_, e) in failures.items()})
    sources = infer_periods(sources)
    first, last, total = _days_in_month(month)
    fill = {"first": _day(first), "last": _day(last)}
    kept = _source_rows(tables, month)
    rows = []
    for need in NEEDS:
        feeding = {path: parts for path, parts in kept.items() if any(t in parts for t in need.tables)}
        candidates = [
            s.relpath
            for s in sources
            if s.relpath.startswith(f"{month}/")
            and route(s.export) in need.tables
            and s.relpath not in feeding
        ]
        broken = [p for p, (kind, _) in failures.items() if _kind_need(kind) == need.key]
        reasons = {
            row.path: row.detail
            for row in uses.itertuples(index=False)
            if row.path in [*candidates, *broken] and row.detail != REPLACED
        }
        if feeding:
            files = "; ".join(
                f"{PurePosixPath(p).name}: " + ", ".join(_used_text(t, r, month).split(": ", 1)[1]
                                                          for t, r in parts.items() if t in need.tables)
                for p, parts in feeding.items()
            )  # fmt: skip
            status, detail = "present", files
            if need.daily:
                days = set()
                for parts in feeding.values():
                    for table, frame in parts.items():
                        if table in need.tables:
                            days |= set(pd.to_datetime(frame[DATED[table]]).dt.day)
                if len(days) < total:
                    missing = sorted(set(range(1, total + 1)) - days)
                    status = "partial"
                    detail = f"{len(days)} of {total} days; missing {_day_list(missing, month)} ({files})"
            if reasons:
                detail += "; not used: " + "; ".join(
                    f"{PurePosixPath(p).name}: {r}" for p, r in reasons.items()
                )
        elif reasons:
            status = "unusable"
            detail = "; ".join(f"{PurePosixPath(p).name}: {r}" for p, r in reasons.items())
        else:
            status, detail = "missing", f"no file in {month}/ feeds it"
            near = [
                f"{PurePosixPath(s.relpath).name} is {why_not_routed(s.export).split(';')[0]}"
                for s in sources
                if s.relpath.startswith(f"{month}/")
                and s.export.kind in need.family
                and route(s.export) is None
            ]
            if near and need.headline:
                detail += " (" + "; ".join(near) + ")"
        rows.append(
            {"source": need.key, "label": need.label, "headline": need.headline, "status": status,
             "detail": detail, "fix": "" if status == "present" else need.fix.format(**fill)}
        )  # fmt: skip
    problems = list(reference_problems)
    rows.append(
        {"source": REFERENCE.key, "label": REFERENCE.label, "headline": True,
         "status": "present" if not problems else ("missing" if all("missing" in p for p in problems) else "unusable"),
         "detail": "; ".join(problems) or "assets.csv, campaigns.csv, births.csv",
         "fix": REFERENCE.fix if problems else ""}
    )  # fmt: skip
    frame = pd.DataFrame(rows, columns=list(READINESS_COLUMNS))
    order = frame["headline"].map({True: 0, False: 1})
    return frame.iloc[order.argsort(kind="stable")].reset_index(drop=True).astype("object")


def incomplete(readiness: pd.DataFrame | None) -> pd.DataFrame:
    """The headline sources of a readiness table that are not present (empty when complete).

    Parameters
    ----------
    readiness : pandas.DataFrame or None
        From :func:`source_readiness` (the processed ``readiness`` table); None (an older
        processed folder) counts as complete.

    Returns
    -------
    pandas.DataFrame
        The rows whose ``headline`` is true and ``status`` is not ``present``.
    """
    if readiness is None or readiness.empty:
        return pd.DataFrame(columns=list(READINESS_COLUMNS))
    headline = readiness["headline"].astype(bool)
    return readiness[headline & (readiness["status"] != "present")]


def why_absent(readiness: pd.DataFrame | None, table: str) -> str:
    """Why a processed table has nothing for the month, in words: no export, or one that could not be used.

    Parameters
    ----------
    readiness : pandas.DataFrame or None
        The processed ``readiness`` table (None for tables built before it existed).
    table : str
        A processed table, e.g. ``"video"``.

    Returns
    -------
    str
        ``"no export for the month"``, or, when a file for a source feeding ``table`` was there
        but unusable or partial, what was wrong with it.

    Examples
    --------
    >>> table = pd.DataFrame([{"source": "youtube", "label": "YouTube videos", "headline": True,
    ...     "status": "unusable", "detail": "Table data.csv: covers a whole year", "fix": ""}])
    >>> why_absent(table, "video")
    'an export was there but could not be used (Table data.csv: covers a whole year)'
    >>> why_absent(table, "social_posts")
    'no export for the month'
    """
    if readiness is None or readiness.empty:
        return "no export for the month"
    sources = {need.key for need in NEEDS if table in need.tables}
    rows = readiness[readiness["source"].isin(sources) & readiness["status"].isin(["unusable", "partial"])]
    if rows.empty:
        return "no export for the month"
    row = rows.iloc[0]
    if row["status"] == "unusable":
        return f"an export was there but could not be used ({row['detail']})"
    return f"only part of the month was exported ({row['detail']})"
