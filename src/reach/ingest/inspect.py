"""``reach inspect``: what reach makes of each file, without building anything."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from reach.ingest.export import Export
from reach.ingest.forms import find_question_columns, mapping_lines
from reach.ingest.limits import ReadLimits
from reach.ingest.read import find_exports, read_exports
from reach.ingest.validate import validate_export

_FORMS = ("forms_microsoft", "forms_google")


def _summary(e: Export) -> dict[str, Any]:
    return {
        "path": str(e.path),
        "kind": e.kind,
        "start": e.start.isoformat() if e.start else None,
        "end": e.end.isoformat() if e.end else None,
        "rows": e.rows,
        "warnings": list(e.warnings),
    }


def _form_mapping(e: Export, questions: Mapping[str, object]) -> list[str] | None:
    """Suggested ``feedback_questions`` lines for a form whose questions are not all recognised."""
    headers = [c for c in e.table.columns if c not in ("completed_at", "started_at")]
    found = find_question_columns(headers, dict(questions))
    if all(found.values()):
        return None
    return mapping_lines(headers, dict(questions))


def inspect_exports(
    paths: Iterable[str | Path],
    *,
    date_order: str | None = None,
    validate: bool = True,
    questions: Mapping[str, object] | None = None,
    limits: ReadLimits | None = None,
) -> list[tuple[dict[str, Any], Export | None]]:
    """:func:`inspect_files`, each entry with the parsed export it describes (None for a file that failed).

    ``limits`` bound what is read (:class:`reach.ingest.limits.ReadLimits`; None: the defaults).
    """
    out: list[tuple[dict[str, Any], Export | None]] = []
    expanded: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            expanded.extend(find_exports(p))
        else:
            expanded.append(p)
    for p in expanded:
        try:
            exports = read_exports(p, date_order=date_order, limits=limits)
        except Exception as err:  # never raise for a bad file
            entry = {"path": str(p), "kind": None, "start": None, "end": None, "rows": None, "warnings": []}
            out.append(({**entry, "error": str(err)}, None))
            continue
        for e in exports:
            entry = _summary(e)
            if validate:
                try:
                    validate_export(e)
                except Exception as err:  # never raise for a bad file
                    entry["error"] = str(err)
            if questions is not None and e.kind in _FORMS:
                mapping = _form_mapping(e, questions)
                if mapping is not None:
                    entry["mapping"] = mapping
            out.append((entry, e))
    return out


def inspect_files(
    paths: Iterable[str | Path],
    *,
    date_order: str | None = None,
    validate: bool = True,
    questions: Mapping[str, object] | None = None,
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
    questions : Mapping, optional
        ``feedback_questions`` from the settings: a forms export in which any of them is not
        found gets ``"mapping"``, the suggested ``feedback_questions:`` lines for
        ``config/reach.yaml`` (:func:`reach.ingest.forms.mapping_lines`).

    Returns
    -------
    list of dict
        ``{"path", "kind", "start", "end", "rows", "warnings"}`` with ISO dates or None, plus
        ``"error"`` (the one-line message) only when the file failed, and ``"mapping"`` as above.
    """
    return [
        entry
        for entry, _ in inspect_exports(paths, date_order=date_order, validate=validate, questions=questions)
    ]
