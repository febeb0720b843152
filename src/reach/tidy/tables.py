"""Tidy, typed, de-duplicated monthly tables from parsed exports.

:func:`tidy_tables` routes each parsed export to the processed table it feeds, assigns each
row its reporting month, matches rows to assets, redacts free text, and removes rows counted
twice (a later export of the same days and keys replaces an earlier one). It is pure: exports
and reference tables in, DataFrames out.

GA4 BigQuery rows are turned into tables by :mod:`reach.tidy.bigquery`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import pandas as pd

from reach.core.redaction import redact_series
from reach.core.urls import normalise_path
from reach.tidy.assets import match_assets
from reach.tidy.bigquery import bigquery_frames
from reach.tidy.readiness import infer_periods, why_not_routed
from reach.tidy.restatements import (
    QUARANTINE_COLUMNS,
    _empty_restatements,
    occurrence_in_file,
    restatements,
    split_damaged,
)
from reach.tidy.routing import SourceFile, _frame_for, download_order, file_month, report_coverage, route
from reach.tidy.specs import ASSET_KEYS, BIGQUERY, DATED, NOT_AN_ASSET, TABLE_SPECS


def _source_pieces(
    source: SourceFile,
    order: int,
    covered: Mapping[str, set],
    identifiers: pd.DataFrame,
    questions: Mapping[str, str],
) -> tuple[list[tuple[str, pd.DataFrame]], list[tuple[str, str]], list[dict]]:
    """The ``(table, frame)`` pieces one export adds, with its notes and quarantined rows."""
    pieces: list[tuple[str, pd.DataFrame]] = []
    notes: list[tuple[str, str]] = []
    quarantined: list[dict] = []
    if source.export.kind == BIGQUERY:
        frames, bq_notes = bigquery_frames(source, covered, identifiers)
        notes.extend((source.relpath, note) for note in bq_notes)
        for name, frame in frames.items():
            columns, _ = TABLE_SPECS[name]
            pieces.append(
                (name, frame.reindex(columns=list(columns)).assign(source_file=source.relpath, _order=order))
            )
        return pieces, notes, quarantined
    table = route(source.export)
    if table is None:
        notes.append((source.relpath, f"not used: {why_not_routed(source.export)}"))
        return pieces, notes, quarantined
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
        pieces.append((name, frame))
    return pieces, notes, quarantined


def _combine_pieces(name: str, parts: list[pd.DataFrame]) -> pd.DataFrame:
    """One table's pieces in a single frame, with months from dates and page-feedback comments redacted."""
    columns, _ = TABLE_SPECS[name]
    parts = [p for p in parts if not p.empty]
    if parts:
        frame = pd.concat(parts, ignore_index=True)
    else:
        frame = pd.DataFrame({c: pd.Series(dtype="object") for c in (*columns, "source_file", "_order")})
    if name in DATED and len(frame):
        frame["month"] = pd.to_datetime(frame[DATED[name]]).dt.strftime("%Y-%m")
    if name == "page_feedback":
        frame["comment"] = redact_series(frame["comment"].where(frame["comment"].astype("str").str.len() > 0))
    return frame


def _drop_repeats(
    frame: pd.DataFrame, name: str
) -> tuple[pd.DataFrame, pd.DataFrame | None, list[tuple[str, str]]]:
    """Keep the later export of rows seen twice: the frame, its restatements (None without a key) and a note."""
    columns, key = TABLE_SPECS[name]
    subset = list(key) if key else list(columns)
    frame = frame.sort_values("_order", kind="stable")
    restated = restatements(frame, name, list(key)) if key else None
    if not key:
        # Whole-row tables (feedback answers): identical rows of one file are different people,
        # so only a row seen again in another export is a repeat.
        frame = frame.assign(_occurrence=occurrence_in_file(frame, subset))
        subset = [*subset, "_occurrence"]
    before = len(frame)
    frame = frame.drop_duplicates(subset=subset, keep="last")
    replaced = before - len(frame)
    notes = []
    if replaced:
        notes.append((name, f"{replaced} row(s) appeared in more than one export; the later export was kept"))
    return frame.drop(columns=["_order", "_occurrence"], errors="ignore"), restated, notes


def _match_table_assets(
    frame: pd.DataFrame, name: str, identifiers: pd.DataFrame, campaign_tags: frozenset[str]
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Match a table's rows to assets; also give the views or sessions of identifiers no asset or tag explains."""
    column, id_type = ASSET_KEYS[name]
    frame = match_assets(frame, column, id_type, identifiers)
    keys = frame[column].astype("str").str.strip()
    if id_type == "path":
        keys = frame[column].map(normalise_path)
    known = NOT_AN_ASSET | set(campaign_tags) | set(identifiers["identifier"])
    missing = frame[frame["asset_id"].isna() & ~keys.isin(known) & keys.notna()]
    if missing.empty or name not in ("web_pages", "video", "social_posts", "web_acquisition"):
        return frame, None
    measure = "views" if "views" in missing else "sessions"
    unmatched = pd.DataFrame(
        {
            "table": name,
            "month": missing["month"].astype("str"),
            "identifier": missing[column].astype("str"),
            "measure": measure,
            "value": pd.to_numeric(missing[measure], errors="coerce"),
        }
    )
    return frame, unmatched


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
        Asset identifiers from :func:`reach.tidy.assets.parse_registry`.
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
    sources = infer_periods(sources)
    ordered = sorted(sources, key=lambda s: (s.export.end or dt.date.min, download_order(s.relpath)))
    covered = report_coverage(ordered)
    for order, source in enumerate(ordered):
        frames, source_notes, rejected = _source_pieces(source, order, covered, identifiers, questions)
        notes.extend(source_notes)
        quarantined.extend(rejected)
        for name, frame in frames:
            pieces[name].append(frame)

    tables: dict[str, pd.DataFrame] = {}
    unmatched: list[pd.DataFrame] = []
    for name, parts in pieces.items():
        frame, restatement, repeat_notes = _drop_repeats(_combine_pieces(name, parts), name)
        if restatement is not None:
            restated.append(restatement)
        notes.extend(repeat_notes)
        if name in ASSET_KEYS:
            frame, missing = _match_table_assets(frame, name, identifiers, campaign_tags)
            if missing is not None:
                unmatched.append(missing)
        columns, key = TABLE_SPECS[name]
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
