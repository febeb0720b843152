"""Parsing partner outcome-indicator tables."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from reach.errors import InputValidationError
from reach.ingest.dates import _MONTHS
from reach.ingest.export import Export, snake_case
from reach.ingest.records import (
    _column,
    _Doc,
    _finish,
    _header_and_rows,
    _looks_numeric,
    _str_series,
    _to_numeric,
    _unique_names,
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


def _month_column(values: list[str], lines: list[int | None], doc: _Doc, column: str) -> pd.Series:
    """A month column (``2026-05``, ``2026-05-01``, ``05/2026``, ``May 2026``) as month starts; one-line error otherwise."""
    months = []
    for j, v in enumerate(values):
        try:
            months.append(_month_start(v))
        except ValueError as err:
            raise InputValidationError(
                "expected a month like 2026-05 or 2026-05-01",
                path=doc.path,
                row=lines[j],
                column=column,
                value=v,
            ) from err
    return pd.Series(months, dtype="datetime64[ns]")


def _parse_partner(doc: _Doc) -> Export:
    i0, names, rows, warnings = _header_and_rows(doc)
    canon = [snake_case(n) for n in names]
    canon, w = _unique_names(canon)
    warnings.extend(w)
    lines = [r.line for r in rows]
    data: dict[str, pd.Series] = {}
    for i, c in enumerate(canon):
        vals = _column(rows, i)
        if c == "month":
            data[c] = _month_column(vals, lines, doc, names[i])
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
