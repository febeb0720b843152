"""Parsing Google Analytics 4 report CSVs (one or more blocks after the ``#`` preamble)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from reach.errors import InputValidationError
from reach.ingest.columns import _GA4_COUNTS, _GA4_DIMENSIONS, _GA4_METRICS, CANONICAL_COLUMNS
from reach.ingest.dates import _parse_dates
from reach.ingest.export import _TOTAL_LABELS, Export, _key
from reach.ingest.records import (
    _canonical_names,
    _column,
    _data_rows,
    _Doc,
    _finish,
    _Rec,
    _str_series,
    _to_numeric,
)

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
        if cur is not None and _is_data_row(rec):  # the common case, decided on the first value
            cur.rows.append(rec)
            continue
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


def _is_data_row(rec: _Rec) -> bool:
    """True for a row whose first value is text that is neither blank nor a ``#`` comment."""
    first = rec.fields[0] if rec.fields else None
    if type(first) is not str:
        return False
    text = first.lstrip()
    return bool(text) and text[0] != "#"


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


_COMPACT_DATE = re.compile(r"\s*\d{8}\s*")


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
    """Read one GA4 table block into a frame with its dimensions, metrics and warnings."""
    warnings: list[str] = []
    body = _ga4_fill_short_rows(block, warnings)
    names, rows = _data_rows(block.header, body, path, warnings, last_line_is_eof=last_line_is_eof)
    ndims = _ga4_columns(names, rows)
    canon = _canonical_names(names, CANONICAL_COLUMNS["ga4_report"], warnings)
    rows = _ga4_drop_totals(rows, ndims, warnings)
    lines = [r.line for r in rows]
    data: dict[str, pd.Series] = {}
    columns: dict[str, str] = {}
    dims: list[str] = []
    for i, (name, c) in enumerate(zip(names, canon, strict=True)):
        vals = _column(rows, i)
        columns[c] = name
        if i < ndims:
            renamed, data_c = _ga4_dimension(
                name, vals, lines, start, path, header_line=block.header.line, snapshot=snapshot
            )
            if renamed is not None:
                c = renamed
                columns.pop(canon[i], None)
                columns[c] = name
            data[c] = data_c
            dims.append(c)
            continue
        na = ("-1",) if (snapshot and "cohort" in data) else ()
        data[c] = _to_numeric(vals, lines, path=path, column=name, count=_ga4_count(c), na_values=na, name=c)
    frame = pd.DataFrame(data)
    if "cohort" in frame.columns:
        warnings.append("Retention values of -1 (not yet available) were read as missing.")
    metrics = [c for c in frame.columns if c not in dims]
    warnings.extend(_ga4_other_warnings(frame, dims, lines))
    frame, lines = _ga4_sort_by_date(frame, lines, dims, names)
    title = None
    return _GA4Table(title, start, end, frame, lines, dims, metrics, columns, warnings)


def _ga4_fill_short_rows(block: _Block, warnings: list[str]) -> list[_Rec]:
    """The block's rows, with retention-cohort rows shorter than the header padded with blanks."""
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
    return body


def _ga4_drop_totals(rows: list[_Rec], ndims: int, warnings: list[str]) -> list[_Rec]:
    """Drop labelled totals rows (never seen in real GA4 files, but guarded against)."""
    kept: list[_Rec] = []
    for r in rows:
        first = r.fields[0]
        if (
            "total" in first.lower()  # cheap test first: most rows are not totals
            and _key(first) in _TOTAL_LABELS
            and all(not f.strip() for f in r.fields[1:ndims])
        ):
            warnings.append(f"A {r.fields[0].strip()!r} row (line {r.line}) was dropped from the table.")
            continue
        kept.append(r)
    return kept


def _ga4_dimension(
    name: str,
    vals: list[str],
    lines: list[int],
    start: dt.date | None,
    path: Path,
    *,
    header_line: int,
    snapshot: bool,
) -> tuple[str | None, pd.Series]:
    """Read one dimension column; also return its new canonical name when it is renamed."""
    k = _key(name)
    if k in ("nth day", "nth week", "nth month"):
        if start is None:
            raise InputValidationError(
                f"an {name!r} table needs a '# Start date' line above it",
                path=path,
                row=header_line,
            )
        offs = _to_numeric(vals, lines, path=path, column=name, count=True)
        if k == "nth day":
            stamps = [None if pd.isna(o) else pd.Timestamp(start) + pd.Timedelta(days=int(o)) for o in offs]
            return "date", pd.Series(stamps, dtype="datetime64[ns]")
        return None, offs
    if k == "date":
        if vals and bool(pd.Series(vals, dtype="str").str.fullmatch(_COMPACT_DATE.pattern).all()):
            return None, _parse_dates(vals, lines, path=path, column=name, families=("compact",)).values
        if snapshot:
            return "cohort", _str_series(vals)
        if not vals:
            return None, pd.Series([], dtype="datetime64[ns]")
        return None, _parse_dates(vals, lines, path=path, column=name, families=("compact",)).values
    return None, _str_series(vals)


def _ga4_count(c: str) -> bool | None:
    """Whether a GA4 metric is a count (True), a known non-count (False) or unknown (None)."""
    if c in _GA4_COUNTS:
        return True
    if c in _GA4_METRICS.values():
        return False
    return None


def _ga4_other_warnings(frame: pd.DataFrame, dims: list[str], lines: list[int]) -> list[str]:
    """Warnings for dimensions where GA4 folded rare values into an ``(other)`` row."""
    warnings: list[str] = []
    for d in dims:
        if frame[d].dtype == "str":
            hits = np.flatnonzero((frame[d] == "(other)").to_numpy())
            if len(hits):
                warnings.append(
                    f"GA4 folded rare values into an '(other)' row (line {lines[hits[0]]}), so rows for "
                    f"individual {d} values are incomplete; the row is kept."
                )
    return warnings


def _ga4_sort_by_date(
    frame: pd.DataFrame, lines: list[int], dims: list[str], names: list[str]
) -> tuple[pd.DataFrame, list[int]]:
    """Sort by date when Date is a dimension (GA4 sorts by the first metric)."""
    if "date" in dims and _key(names[0]) != "nth day" and len(frame):
        by = ["date", *[d for d in dims if d != "date"]]
        order = frame.sort_values(by, kind="stable").index.to_numpy()
        if not np.array_equal(order, np.arange(len(frame))):
            frame = frame.iloc[order].reset_index(drop=True)
            lines = [lines[j] for j in order]
    return frame, lines


def _parse_ga4(doc: _Doc, kind: str) -> Export:
    """Parse a GA4 report or snapshot file into an Export."""
    blocks, stray = _ga4_split(_ga4_blocks(doc.records, doc.path))
    if not blocks:
        raise InputValidationError(
            "the GA4 preamble is there but no table header follows it; download the report again",
            path=doc.path,
        )
    warnings: list[str] = _ga4_layout_warnings(doc, stray)
    infos = [_ga4_block_meta(b, doc.path) for b in blocks]
    meta = _ga4_report_meta(infos[0])
    tables = _ga4_read_tables(doc, kind, blocks, infos, meta, warnings)
    primary = tables[0]
    if kind == "ga4_report" and len(tables) > 1:
        _ga4_report_comparison(tables, infos, meta, warnings)
    meta["dimensions"] = primary.dimensions
    meta["metrics"] = primary.metrics
    if kind == "ga4_snapshot":
        _ga4_snapshot_meta(tables, meta, warnings)
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


def _ga4_layout_warnings(doc: _Doc, stray: list[_Block]) -> list[str]:
    """Warnings about a padded preamble (spreadsheet re-save) and ignored non-GA4 blocks."""
    early: list[str] = []
    padded = next(
        (
            r
            for r in doc.records
            if len(r.fields) > 1
            and not _is_data_row(r)
            and (r.blank or (r.comment and all(not str(f).strip() for f in r.fields[1:])))
        ),
        None,
    )
    if padded is not None and not doc.xlsx:
        early.append(
            f"The '#' preamble or blank lines have extra empty columns at the end (line {padded.line}), "
            "so the file looks re-saved by a spreadsheet, which may also have rounded long decimals; "
            "prefer the original download."
        )
    if stray:
        first = stray[0]
        last = stray[-1].rows[-1] if stray[-1].rows else stray[-1].header
        early.append(
            f"Lines {first.header.line} to {last.line} have no '# Start date' line above them, so they "
            "are not part of the GA4 export (probably notes added in a spreadsheet); they were ignored."
        )
    return early


def _ga4_report_meta(head: dict[str, Any]) -> dict[str, Any]:
    """The file-level meta (title, account, property, segment) from the first block's comments."""
    if head["rules"] >= 2:
        titles, segments = head["before_rules"], head["after_rules"]
    else:
        titles, segments = head["free"][:1], head["free"][1:]
    report_title = titles[0] if titles else None
    return {
        "report_title": report_title,
        "title_dimension": report_title.split(":", 1)[1].strip()
        if report_title and ":" in report_title
        else None,
        "account": head.get("account"),
        "property": head.get("property"),
        "segment": "; ".join(segments) if segments else None,
    }


def _ga4_read_tables(
    doc: _Doc,
    kind: str,
    blocks: list[_Block],
    infos: list[dict[str, Any]],
    meta: dict[str, Any],
    warnings: list[str],
) -> list[_GA4Table]:
    """Read every table block, carrying the period forward from the blocks above it."""
    last_eof = not doc.text.endswith(("\n", "\r"))
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
    return tables


def _ga4_report_comparison(
    tables: list[_GA4Table], infos: list[dict[str, Any]], meta: dict[str, Any], warnings: list[str]
) -> None:
    """Keep the extra tables of a detail report downloaded in comparison mode, with a warning."""
    # A detail report downloaded while comparing periods or segments: the same table once
    # per comparison. The first is the file's table; the others are kept, not merged.
    primary = tables[0]
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


def _ga4_snapshot_meta(tables: list[_GA4Table], meta: dict[str, Any], warnings: list[str]) -> None:
    """Record a snapshot's comparison period (with a warning) and the list of its tables."""
    primary = tables[0]
    # Comparison mode: every table is written twice, for the current and the comparison period.
    compared = next(
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
