"""Tidy, typed, de-duplicated monthly tables from parsed exports.

:func:`tidy_tables` routes each parsed export to the processed table it feeds, assigns each
row its reporting month, matches rows to assets, redacts free text, and removes rows counted
twice (a later export of the same days and keys replaces an earlier one). It is pure: exports
and reference tables in, DataFrames out.

GA4 BigQuery exports (``ga4_bigquery``, :mod:`reach.bigquery`) feed several tables
(:func:`bigquery_frames`):

* ``web_users`` - ``month``, ``asset_id``, ``users``: the exact number of distinct
  ``user_pseudo_id`` who viewed a registered asset page in the month, per asset and (``asset_id``
  NA) over all asset pages together. It is only written for a month that one BigQuery export
  covers from its first to its last day, because distinct users over a month cannot be put
  together from parts: DuckDB groups each user's page views of the month into the set of pages
  that user viewed, and the users of any group of pages are the sum over the sets that include
  one of them (every user is in exactly one set per month, so nothing is counted twice).
* ``web_daily`` (views and distinct users per page and day), ``web_pages`` (views and distinct
  users per page over a whole month) and ``web_city`` (distinct users per ``geo.city`` over a
  whole month) - the tables GA4 report exports feed. **Nothing is counted twice:** BigQuery rows
  are used only for the days (``web_daily``) or months (``web_pages``, ``web_city``) that no GA4
  report export routed to that same table covers; where a report export covers them, the report
  wins and a note says the BigQuery rows were left out. Month rows need an export covering the
  whole month, as for ``web_users``.

Between two BigQuery exports of the same days, the later one wins, as for every other kind.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from reach.assets import match_assets, normalise_path
from reach.redact import redact_series

# Table name -> (columns kept, key columns for de-duplication; None = whole row).
TABLE_SPECS: dict[str, tuple[tuple[str, ...], tuple[str, ...] | None]] = {
    "web_pages": (
        (
            "month",
            "page_path",
            "views",
            "active_users",
            "total_users",
            "sessions",
            "engagement_rate",
            "avg_engagement_time_per_active_user",
            "event_count",
        ),
        ("month", "page_path"),
    ),
    "web_daily": (
        ("month", "date", "page_path", "views", "active_users", "event_count"),
        ("date", "page_path"),
    ),
    "web_city": (("month", "city", "active_users", "new_users", "engaged_sessions"), ("month", "city")),
    "web_acquisition": (
        (
            "month",
            "source_medium",
            "campaign",
            "sessions",
            "engaged_sessions",
            "engagement_rate",
            "event_count",
        ),
        ("month", "source_medium", "campaign"),
    ),
    "web_users": (("month", "asset_id", "users"), ("month", "asset_id")),
    "video": (
        (
            "month",
            "video_id",
            "title",
            "published",
            "duration_s",
            "views",
            "watch_time_hours",
            "subscribers",
            "impressions",
            "impressions_ctr_pct",
            "unique_viewers",
            "avg_views_per_viewer",
            "avg_view_duration_s",
            "avg_pct_viewed",
        ),
        ("month", "video_id"),
    ),
    "video_totals": (
        (
            "month",
            "views",
            "watch_time_hours",
            "subscribers",
            "impressions",
            "unique_viewers",
            "avg_views_per_viewer",
        ),
        ("month",),
    ),
    "video_daily": (("month", "date", "video_id", "views"), ("date", "video_id")),
    "channel_daily": (("month", "date", "views"), ("date",)),
    "social_posts": (
        (
            "month",
            "post_id",
            "publish_time",
            "post_type",
            "title",
            "views",
            "reach",
            "reactions",
            "comments",
            "shares",
            "total_clicks",
            "link_clicks",
            "video_views_3s",
        ),
        ("post_id",),
    ),
    "feedback": (
        (
            "month",
            "completed_at",
            "respondent_type",
            "district",
            "where_seen",
            "helpful",
            "key_messages",
            "intends_change",
            "comment",
        ),
        None,
    ),
    "page_feedback": (("month", "submitted_at", "page_path", "helpful", "comment"), None),
    "partner_indicators": (
        ("month", "indicator", "area_code", "area_name", "numerator", "denominator"),
        ("month", "indicator", "area_code"),
    ),
}
# Which identifier each table is matched to the registry on.
ASSET_KEYS = {
    "web_pages": ("page_path", "path"),
    "web_daily": ("page_path", "path"),
    "web_acquisition": ("campaign", "campaign"),
    "video": ("video_id", "video"),
    "video_daily": ("video_id", "video"),
    "social_posts": ("post_id", "post"),
    "page_feedback": ("page_path", "path"),
}
# Tables whose rows carry a date: their month comes from the date, not the file's period.
DATED = {
    "web_daily": "date",
    "video_daily": "date",
    "channel_daily": "date",
    "feedback": "completed_at",
    "page_feedback": "submitted_at",
    "partner_indicators": "month",
}
NOT_AN_ASSET = {
    "",
    "(not set)",
    "(other)",
    "(direct)",
    "(organic)",
    "(referral)",
    "(none)",
    "(data not available)",
}


@dataclass(frozen=True)
class SourceFile:
    """One parsed export with the facts needed to place it.

    Attributes
    ----------
    export : reach.load.Export
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
    export : reach.load.Export
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
        "forms_microsoft": "feedback",
        "forms_google": "feedback",
        "feedback_page": "page_feedback",
        "partner_indicators": "partner_indicators",
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


def _question_columns(frame: pd.DataFrame, questions: Mapping[str, str]) -> dict[str, str | None]:
    """Find each configured question's column by header text (case-insensitive prefix)."""
    found: dict[str, str | None] = {}
    lowered = {str(c).strip().lower(): c for c in frame.columns}
    for field, text in questions.items():
        prefix = text.strip().lower().rstrip("?")
        found[field] = next((orig for low, orig in lowered.items() if low.startswith(prefix)), None)
    return found


def tidy_feedback(frame: pd.DataFrame, questions: Mapping[str, str]) -> tuple[pd.DataFrame, list[str]]:
    """Map a forms export to the feedback fields named in the settings; redact the comment.

    Parameters
    ----------
    frame : pandas.DataFrame
        A forms export's table: ``completed_at`` plus question columns named by header text.
    questions : Mapping of str to str
        Field name -> question header text (``feedback_questions`` in ``config/reach.yaml``).

    Returns
    -------
    tuple of (pandas.DataFrame, list of str)
        The feedback rows and warnings for questions not found.
    """
    columns = _question_columns(frame, questions)
    out = pd.DataFrame({"completed_at": frame["completed_at"]})
    warnings = []
    for field, column in columns.items():
        if column is None:
            warnings.append(f"question for {field!r} ({questions[field]!r}) not found; left blank")
            out[field] = pd.Series(pd.NA, index=frame.index, dtype="str")
        else:
            out[field] = frame[column].astype("str").str.strip()
    for field in ("where_seen", "key_messages"):
        out[field] = out[field].str.strip().str.rstrip(";")
    out["comment"] = redact_series(out["comment"].where(out["comment"].str.len() > 0))
    return out, warnings


def file_month(table: str, source: SourceFile) -> tuple[str | None, str | None]:
    """The month a whole file belongs to, for tables without a date on each row.

    Returns
    -------
    tuple
        ``(month, None)``; ``(None, None)`` for dated tables (their rows carry the month);
        ``(None, reason)`` when the file covers more or less than one calendar month.
    """
    if table in DATED:
        return None, None
    export = source.export
    month = period_month(export.start, export.end)
    if month is None and export.start is None:
        month = source.folder_month
    if month is None:
        return (
            None,
            f"covers {export.start} to {export.end}; monthly tables need an export of exactly one calendar month",
        )
    return month, None


def _frame_for(
    table: str, source: SourceFile, questions: Mapping[str, str]
) -> tuple[pd.DataFrame, list[str]]:
    export = source.export
    if table == "video_totals":
        return pd.DataFrame([export.totals or {}]), []
    if table == "feedback":
        return tidy_feedback(export.table, questions)
    return export.table, []


QUARANTINE_COLUMNS = ("source_file", "line", "table", "reason")
RESTATEMENT_COLUMNS = ("table", "key", "column", "earlier", "later", "earlier_file", "later_file")
DAMAGE_REASONS = {
    "video": "video id damaged by an Excel re-save (#NAME?); it cannot be matched to an asset. Download the export again",
    "social_posts": "post id turned into scientific notation by an Excel re-save; it cannot be matched. "
    "Download the export again",
}


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


def split_damaged(frame: pd.DataFrame, source: SourceFile, table: str) -> tuple[pd.DataFrame, list[dict]]:
    """Set aside rows whose identifier an Excel re-save destroyed (``id_damaged``).

    Parameters
    ----------
    frame : pandas.DataFrame
        Rows of one export for one table; not modified.
    source : SourceFile
        The export they came from (its ``meta["_line"]`` gives each row's line in the file).
    table : str
        The processed table they were going to.

    Returns
    -------
    tuple
        ``(kept rows, quarantine records)``; each record has ``source_file``, ``line``,
        ``table`` and ``reason``.
    """
    if "id_damaged" not in frame or not frame["id_damaged"].fillna(False).astype(bool).any():
        return frame, []
    damaged = frame["id_damaged"].fillna(False).astype(bool).to_numpy()
    lines = list(source.export.meta.get("_line", []))
    records = []
    for position in damaged.nonzero()[0]:
        line = lines[position] if position < len(lines) else None
        reason = DAMAGE_REASONS.get(table, "identifier damaged by an Excel re-save")
        records.append({"source_file": source.relpath, "line": line, "table": table, "reason": reason})
    return frame[~damaged], records


def _empty_restatements() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="str") for c in RESTATEMENT_COLUMNS})


def restatements(frame: pd.DataFrame, table: str, key: list[str]) -> pd.DataFrame:
    """Values that a later export of the same keys changed (GA4 revises recent days, for example).

    Parameters
    ----------
    frame : pandas.DataFrame
        All rows of one table, earlier exports first (``_order``), duplicates still present.
    table : str
        Table name.
    key : list of str
        The columns that identify a row.

    Returns
    -------
    pandas.DataFrame
        One row per changed value: ``table``, ``key`` (``column=value`` pairs), ``column``,
        ``earlier``, ``later``, ``earlier_file``, ``later_file`` (all text). Rows repeated with
        identical values are not restatements and are not listed.
    """
    repeated = frame[frame.duplicated(subset=key, keep=False)]
    if repeated.empty:
        return _empty_restatements()
    measures = [c for c in frame.columns if c not in (*key, "source_file", "_order", "month")]
    records = []
    for key_values, group in repeated.groupby(key, sort=True, dropna=False):
        first, last = group.iloc[0], group.iloc[-1]
        values = key_values if isinstance(key_values, tuple) else (key_values,)
        label = ", ".join(f"{k}={v}" for k, v in zip(key, values, strict=True))
        for column in measures:
            before, after = first[column], last[column]
            if pd.isna(before) and pd.isna(after):
                continue
            if pd.isna(before) or pd.isna(after) or before != after:
                records.append(
                    {
                        "table": table,
                        "key": label,
                        "column": column,
                        "earlier": str(before),
                        "later": str(after),
                        "earlier_file": first["source_file"],
                        "later_file": last["source_file"],
                    }
                )
    return (
        pd.DataFrame(records, columns=list(RESTATEMENT_COLUMNS)).astype("str")
        if records
        else _empty_restatements()
    )


BIGQUERY = "ga4_bigquery"
BIGQUERY_TABLES = ("web_daily", "web_pages", "web_city", "web_users")


def whole_months(start: dt.date | None, end: dt.date | None) -> list[str]:
    """The calendar months that ``start``..``end`` covers from their first to their last day.

    Examples
    --------
    >>> whole_months(dt.date(2026, 9, 15), dt.date(2026, 11, 30))
    ['2026-10', '2026-11']
    >>> whole_months(dt.date(2026, 10, 1), dt.date(2026, 10, 30))
    []
    """
    if start is None or end is None:
        return []
    months = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        first = dt.date(year, month, 1)
        following = dt.date(year + month // 12, month % 12 + 1, 1)
        if start <= first and following - dt.timedelta(days=1) <= end:
            months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


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


def web_users_from_page_sets(user_pages: pd.DataFrame, identifiers: pd.DataFrame) -> pd.DataFrame:
    """Exact distinct tracked users of the asset pages per month, from users' sets of pages viewed.

    Parameters
    ----------
    user_pages : pandas.DataFrame
        ``month``, ``pages`` (a tuple of page paths), ``users`` (how many users viewed exactly
        that set of pages in the month), as :func:`reach.bigquery.parse_bigquery` gives in
        ``meta["tables"]["user_pages"]``.
    identifiers : pandas.DataFrame
        Asset identifiers from :func:`reach.assets.parse_registry`.

    Returns
    -------
    pandas.DataFrame
        ``month``, ``asset_id``, ``users``: per month one row with ``asset_id`` NA (users who
        viewed any registered asset page) followed by one row per asset whose pages were viewed.
        Every user is in one set per month, so the sums over sets count each person once.
    """
    paths = sorted({path for pages in user_pages["pages"] for path in pages})
    matched = match_assets(pd.DataFrame({"page_path": paths}, dtype="str"), "page_path", "path", identifiers)
    asset_of = {
        path: asset for path, asset in zip(paths, matched["asset_id"], strict=True) if not pd.isna(asset)
    }
    rows: list[tuple] = []
    for month, group in user_pages.groupby("month", sort=True):
        total = 0
        per_asset: dict[str, int] = {}
        for pages, users in zip(group["pages"], group["users"], strict=True):
            assets = {asset_of[path] for path in pages if path in asset_of}
            if assets:
                total += int(users)
                for asset in assets:
                    per_asset[asset] = per_asset.get(asset, 0) + int(users)
        rows.append((month, pd.NA, total))
        rows.extend((month, asset, per_asset[asset]) for asset in sorted(per_asset))
    frame = pd.DataFrame(rows, columns=["month", "asset_id", "users"])
    return frame.astype({"month": "str", "asset_id": "str", "users": "Int64"})


def bigquery_frames(
    source: SourceFile, covered: Mapping[str, set], identifiers: pd.DataFrame
) -> tuple[dict[str, pd.DataFrame], list[str]]:
    """The rows one GA4 BigQuery export adds to ``web_daily``, ``web_pages``, ``web_city`` and ``web_users``.

    Parameters
    ----------
    source : SourceFile
        A parsed ``ga4_bigquery`` export.
    covered : Mapping
        What GA4 report exports cover (:func:`report_coverage`); those days and months are
        left to the reports.
    identifiers : pandas.DataFrame
        Asset identifiers from :func:`reach.assets.parse_registry`.

    Returns
    -------
    tuple
        ``({table: frame}, notes)``. Month rows (``web_pages``, ``web_city``, ``web_users``) are
        only given for the months the export covers from first to last day.
    """
    export = source.export
    parts = export.meta.get("tables", {})
    notes: list[str] = []
    frames: dict[str, pd.DataFrame] = {}

    daily = export.table
    days = pd.to_datetime(daily["date"]).dt.date
    reported = days.isin(covered.get("web_daily", set()))
    if reported.any():
        notes.append(
            f"{int(reported.sum())} BigQuery page/day row(s) left out of web_daily: a GA4 report export "
            "covers those days (counted once, from the report)"
        )
    kept = daily[~reported.to_numpy()]
    frames["web_daily"] = pd.DataFrame(
        {
            "date": kept["date"],
            "page_path": kept["page_path"],
            "views": kept["views"],
            "active_users": kept["users"],
        }
    )

    months = whole_months(export.start, export.end)
    touched = period_months(export.start, export.end)
    partial = [m for m in touched if m not in months]
    if partial:
        notes.append(
            f"covers {export.start} to {export.end}, not the whole of {', '.join(partial)}; distinct users "
            "over a month (web_users, web_pages, web_city) need one BigQuery export of the whole month"
        )
    page_month = parts.get("page_month")
    if page_month is not None:
        use = page_month["month"].isin(months) & ~page_month["month"].isin(covered.get("web_pages", set()))
        skipped = sorted(set(page_month["month"][page_month["month"].isin(months) & ~use]))
        if skipped:
            notes.append(
                f"BigQuery page rows for {', '.join(skipped)} left out of web_pages: a GA4 report export "
                "covers that month"
            )
        rows = page_month[use.to_numpy()]
        frames["web_pages"] = pd.DataFrame(
            {
                "month": rows["month"],
                "page_path": rows["page_path"],
                "views": rows["views"],
                "active_users": rows["users"],
            }
        )
    city_month = parts.get("city_month")
    if city_month is not None:
        use = city_month["month"].isin(months) & ~city_month["month"].isin(covered.get("web_city", set()))
        skipped = sorted(set(city_month["month"][city_month["month"].isin(months) & ~use]))
        if skipped:
            notes.append(
                f"BigQuery city rows for {', '.join(skipped)} left out of web_city: a GA4 report export "
                "covers that month"
            )
        rows = city_month[use.to_numpy()]
        frames["web_city"] = pd.DataFrame(
            {"month": rows["month"], "city": rows["city"], "active_users": rows["users"]}
        )
    user_pages = parts.get("user_pages")
    if user_pages is not None:
        frames["web_users"] = web_users_from_page_sets(
            user_pages[user_pages["month"].isin(months).to_numpy()], identifiers
        )
    return frames, notes


def period_months(start: dt.date | None, end: dt.date | None) -> list[str]:
    """Every calendar month that ``start``..``end`` touches.

    Examples
    --------
    >>> period_months(dt.date(2026, 9, 15), dt.date(2026, 10, 2))
    ['2026-09', '2026-10']
    """
    if start is None or end is None:
        return []
    months = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def tidy_tables(
    sources: Sequence[SourceFile],
    identifiers: pd.DataFrame,
    questions: Mapping[str, str],
    campaign_tags: frozenset[str] = frozenset(),
) -> tuple[dict[str, pd.DataFrame], pd.DataFrame, list[tuple[str, str]]]:
    """Build every processed table from parsed exports.

    Parameters
    ----------
    sources : sequence of SourceFile
        Parsed and validated exports with their raw-folder paths and folder months.
    identifiers : pandas.DataFrame
        Asset identifiers from :func:`reach.assets.parse_registry`.
    questions : Mapping of str to str
        Feedback question texts by field.
    campaign_tags : frozenset of str
        UTM campaign values of the campaigns table; traffic tagged with one of them is known
        even when the tag promotes several assets at once.

    Returns
    -------
    tuple
        ``(tables, unmatched, notes)``: a dict of table name -> DataFrame (each with a
        ``source_file`` column), the rows that matched no asset (``table``, ``month``,
        ``identifier``, ``views``) and a list of ``(relpath, note)`` about files that were
        skipped, replaced or only partly used. ``tables`` also holds ``quarantine`` (rows set
        aside with file, line and reason) and ``restatements`` (values a later export changed).
    """
    pieces: dict[str, list[pd.DataFrame]] = {name: [] for name in TABLE_SPECS}
    notes: list[tuple[str, str]] = []
    quarantined: list[dict] = []
    restated: list[pd.DataFrame] = []
    # Later exports win: order by the end of the period each file covers, then by download order.
    ordered = sorted(sources, key=lambda s: (s.export.end or dt.date.min, download_order(s.relpath)))
    covered = report_coverage(ordered)
    for order, source in enumerate(ordered):
        if source.export.kind == BIGQUERY:
            frames, bq_notes = bigquery_frames(source, covered, identifiers)
            notes.extend((source.relpath, note) for note in bq_notes)
            for name, frame in frames.items():
                columns, _ = TABLE_SPECS[name]
                pieces[name].append(
                    frame.reindex(columns=list(columns)).assign(source_file=source.relpath, _order=order)
                )
            continue
        table = route(source.export)
        if table is None:
            notes.append((source.relpath, f"{source.export.kind} export not used by the monthly tables"))
            continue
        targets = [table, "video_totals"] if table == "video" and source.export.totals else [table]
        for name in targets:
            month, reason = file_month(name, source)
            if reason is not None:
                notes.append((source.relpath, f"not used: {reason}"))
                continue
            frame, warnings = _frame_for(name, source, questions)
            notes.extend((source.relpath, w) for w in warnings)
            frame, rejected = split_damaged(frame, source, name)
            quarantined.extend(rejected)
            columns, _ = TABLE_SPECS[name]
            # One reindex per file (missing columns become NA); the rest happens once per table.
            frame = frame.reindex(columns=list(columns)).assign(source_file=source.relpath, _order=order)
            if month is not None:
                frame["month"] = month
            pieces[name].append(frame)

    tables: dict[str, pd.DataFrame] = {}
    unmatched: list[pd.DataFrame] = []
    for name, parts in pieces.items():
        columns, key = TABLE_SPECS[name]
        parts = [p for p in parts if not p.empty]
        if parts:
            frame = pd.concat(parts, ignore_index=True)
        else:
            frame = pd.DataFrame({c: pd.Series(dtype="object") for c in (*columns, "source_file", "_order")})
        if name in DATED and len(frame):
            frame["month"] = pd.to_datetime(frame[DATED[name]]).dt.strftime("%Y-%m")
        if name == "page_feedback":
            frame["comment"] = redact_series(
                frame["comment"].where(frame["comment"].astype("str").str.len() > 0)
            )
        subset = list(key) if key else list(columns)
        frame = frame.sort_values("_order", kind="stable")
        if key:
            restated.append(restatements(frame, name, list(key)))
        before = len(frame)
        frame = frame.drop_duplicates(subset=subset, keep="last")
        replaced = before - len(frame)
        if replaced:
            notes.append(
                (name, f"{replaced} row(s) appeared in more than one export; the later export was kept")
            )
        frame = frame.drop(columns="_order")
        if name in ASSET_KEYS:
            column, id_type = ASSET_KEYS[name]
            frame = match_assets(frame, column, id_type, identifiers)
            keys = frame[column].astype("str").str.strip()
            if id_type == "path":
                keys = frame[column].map(normalise_path)
            known = NOT_AN_ASSET | set(campaign_tags) | set(identifiers["identifier"])
            missing = frame[frame["asset_id"].isna() & ~keys.isin(known) & keys.notna()]
            if not missing.empty and name in ("web_pages", "video", "social_posts", "web_acquisition"):
                measure = "views" if "views" in missing else "sessions"
                unmatched.append(
                    pd.DataFrame(
                        {
                            "table": name,
                            "month": missing["month"].astype("str"),
                            "identifier": missing[column].astype("str"),
                            "measure": measure,
                            "value": pd.to_numeric(missing[measure], errors="coerce"),
                        }
                    )
                )
        sort_keys = [c for c in (key or columns) if c in frame.columns]
        frame = frame.sort_values([*sort_keys, "source_file"], kind="stable").reset_index(drop=True)
        tables[name] = frame
    unmatched_frame = (
        pd.concat(unmatched, ignore_index=True)
        if unmatched
        else pd.DataFrame(columns=["table", "month", "identifier", "measure", "value"])
    )
    unmatched_frame = unmatched_frame.sort_values(["table", "month", "identifier"]).reset_index(drop=True)
    tables["quarantine"] = pd.DataFrame(quarantined, columns=list(QUARANTINE_COLUMNS)).astype(
        {"line": "Int64"}
    )
    tables["restatements"] = pd.concat(restated, ignore_index=True) if restated else _empty_restatements()
    return tables, unmatched_frame, notes
