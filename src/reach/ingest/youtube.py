"""Parsing YouTube Studio exports: Table data, Chart data and Totals."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from reach.errors import InputValidationError
from reach.ingest.columns import _YOUTUBE, _YOUTUBE_COUNTS
from reach.ingest.dates import _parse_dates
from reach.ingest.export import Export, _key
from reach.ingest.records import (
    _canonical_names,
    _column,
    _Doc,
    _finish,
    _header_and_rows,
    _hms_seconds,
    _period,
    _Rec,
    _scalar,
    _str_series,
    _to_numeric,
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
    warnings.extend(_blank_metric_warnings(frame, columns, lines))
    return frame, columns, warnings


def _blank_metric_warnings(frame: pd.DataFrame, columns: dict[str, str], lines: list[int]) -> list[str]:
    """One warning per metric with blank cells: YouTube had no figure there, read as missing (not 0)."""
    warnings: list[str] = []
    for c, header in columns.items():
        if c in _YT_STR or c in _YT_DATES or c not in frame.columns:
            continue
        values = frame[c]
        if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
            continue
        blank = values.isna().to_numpy()
        if not blank.any():
            continue
        days = frame.loc[blank, "date"].dropna() if "date" in frame.columns else pd.Series(dtype=object)
        if len(days):
            where = f"dated {days.min().date()} to {days.max().date()}"
        else:
            where = f"first on line {lines[int(blank.argmax())]}"
        warnings.append(
            f"{header.strip()!r} is blank in {int(blank.sum())} row(s) ({where}): YouTube had no figure for "
            "them (as on days before it tracked the metric), so they were read as missing, not as 0."
        )
    return warnings


def _parse_youtube_table(doc: _Doc, date_order: str | None) -> Export:
    i0, names, rows, warnings = _header_and_rows(doc)
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
    i0, names, rows, warnings = _header_and_rows(doc)
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
