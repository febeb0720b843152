"""Parsing the page-feedback widget export (was this page helpful?)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pandas as pd

from reach.errors import InputValidationError
from reach.ingest.columns import _FEEDBACK_PAGE
from reach.ingest.dates import _parse_dates
from reach.ingest.export import Export
from reach.ingest.records import (
    _canonical_names,
    _column,
    _Doc,
    _finish,
    _header_and_rows,
    _period,
    _str_series,
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
    i0, names, rows, warnings = _header_and_rows(doc)
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
