"""Parsing family-feedback form exports (Microsoft and Google Forms) and the FeedEx page widget."""

from __future__ import annotations

import re

import pandas as pd

from reach.errors import InputValidationError
from reach.ingest.columns import _FEEDEX
from reach.ingest.dates import _parse_dates
from reach.ingest.export import Export, _key
from reach.ingest.records import (
    _canonical_names,
    _column,
    _Doc,
    _finish,
    _header_and_rows,
    _period,
    _str_series,
    _to_numeric,
    _unique_names,
)

# --------------------------------------------------------------------------------------------
# Forms and feedback
# --------------------------------------------------------------------------------------------


def _parse_forms(doc: _Doc, kind: str, date_order: str | None) -> Export:
    i0, names, rows, warnings = _header_and_rows(doc)
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
    i0, names, rows, warnings = _header_and_rows(doc)
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
