"""``reach inspect``: what reach makes of each file, without building anything."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from reach.ingest.export import Export
from reach.ingest.read import find_exports, read_exports
from reach.ingest.validate import validate_export


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
        Also run :func:`reach.ingest.validate.validate_export` and report its error.

    Returns
    -------
    list of dict
        ``{"path", "kind", "start", "end", "rows", "warnings"}`` with ISO dates or None, plus
        ``"error"`` (the one-line message) only when the file failed.
    """
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
