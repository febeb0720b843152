"""``reach check``: is a month ready to run? Each source the report needs, and each file, without writing anything.

The month's files are read, validated and tidied exactly as ``reach run`` would (the same
folders, the same code), but a file that cannot be read, or a missing reference table, is listed
instead of stopping the check. ``reach run`` prints the same table from the tables it built
(:func:`readiness_lines`).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from reach import build
from reach.config import setting
from reach.errors import ReachError
from reach.ingest import read
from reach.ingest.detect import detect_kind
from reach.ingest.limits import ReadLimits, check_regular_file
from reach.tidy import readiness, routing
from reach.tidy import tables as tables_mod
from reach.tidy.assets import REGISTRY_COLUMNS, parse_registry

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class MonthCheck:
    """What ``reach check`` found for one month.

    Attributes
    ----------
    month : str
        The month checked.
    folder : pathlib.Path
        The month's raw folder.
    readiness : pandas.DataFrame
        :func:`reach.tidy.readiness.source_readiness`.
    files : pandas.DataFrame
        :func:`reach.tidy.readiness.file_uses`.
    """

    month: str
    folder: Path
    readiness: pd.DataFrame
    files: pd.DataFrame

    @property
    def complete(self) -> bool:
        """True when every headline source is present and every file could be read."""
        return is_complete(self.readiness, self.files)


def is_complete(readiness_table: pd.DataFrame | None, files: pd.DataFrame | None = None) -> bool:
    """True when no headline source is missing, partial or unusable and no file was unreadable."""
    unreadable = files is not None and len(files) and (files["use"] == "unreadable").any()
    return readiness.incomplete(readiness_table).empty and not unreadable


def _month_files(raw_dir: Path, month: str) -> list[tuple[str, Path]]:
    """The files ``reach run`` would read for ``month`` (every month folder up to it); none if there are none."""
    if not raw_dir.is_dir():
        return []
    folders = sorted(
        (path.name, path)
        for path in raw_dir.iterdir()
        if path.is_dir() and build.MONTH_FOLDER.match(path.name) and path.name <= month
    )
    return [(name, path) for name, folder in folders for path in read.find_exports(folder)]


def _read_files(
    files: list[tuple[str, Path]], raw_dir: Path, date_order: str | None, limits: ReadLimits
) -> tuple[list[tuple], dict[str, tuple[str | None, str]]]:
    """Read every file; a file that fails is recorded with its kind (when known) and error."""
    try:
        return build.read_all(files, date_order, limits=limits), {}
    except ReachError:
        pass
    results, failures = [], {}
    fingerprint = build.code_fingerprint()
    for month, path in files:
        try:
            results.append(build.read_and_validate((month, path, date_order, None, fingerprint, limits)))
        except ReachError as err:
            try:
                check_regular_file(path)  # never follow a link to say what it points at
                kind = detect_kind(path.read_bytes(), path.name)
            except (ReachError, OSError):
                kind = None
            failures[path.relative_to(raw_dir).as_posix()] = (kind, str(err))
    return results, failures


def _reference(reference_dir: Path, settings: Mapping[str, Any]) -> tuple[dict[str, pd.DataFrame], list[str]]:
    """The reference tables, and what is wrong with them (an empty list when they can be used)."""
    problems = [
        f"{name} is missing from {reference_dir}"
        for name in build.REFERENCE_FILES
        if not (reference_dir / name).is_file()
    ]
    tables: dict[str, pd.DataFrame] = {}
    if not problems:
        try:
            tables = build.read_reference(reference_dir)
            parse_registry(tables["assets"], source=str(reference_dir / "assets.csv"))
        except ReachError as err:
            problems.append(str(err))
            tables = {}
    try:
        build._setting_paths(settings)
        build.read_town_districts(settings)
    except ReachError as err:
        problems.append(str(err))
    return tables, problems


def check_month(month: str, raw_dir: Path, reference_dir: Path, settings: Mapping[str, Any]) -> MonthCheck:
    """Check whether a month has every source its report needs, writing nothing.

    Parameters
    ----------
    month : str
        ``YYYY-MM``.
    raw_dir : pathlib.Path
        The raw tree (``data/raw``): folders ``YYYY-MM`` up to ``month`` are read, as ``reach run`` does.
    reference_dir : pathlib.Path
        Folder of the reference tables.
    settings : Mapping
        Settings from :func:`reach.config.load_config`.

    Returns
    -------
    MonthCheck
    """
    raw_dir, reference_dir = Path(raw_dir), Path(reference_dir)
    files = _month_files(raw_dir, month)
    limits = ReadLimits.from_settings(settings)
    results, failures = _read_files(files, raw_dir, settings.get("forms_date_order"), limits)
    sources, _ = build._raw_inputs(results, raw_dir)
    reference, problems = _reference(reference_dir, settings)
    if reference:
        identifiers = parse_registry(reference["assets"], source=str(reference_dir / "assets.csv"))
        campaigns = reference["campaigns"].get("utm_campaign", pd.Series(dtype="str"))
        tags = frozenset(campaigns.str.strip())
    else:
        identifiers = parse_registry(pd.DataFrame(columns=list(REGISTRY_COLUMNS)))
        tags = frozenset()
    tables, _, notes = tables_mod.tidy_tables(
        sources, identifiers, setting(settings, "feedback_questions"), tags
    )
    month_failures = {p: f for p, f in failures.items()}
    uses = readiness.file_uses(month, sources, tables, notes, {p: e for p, (_, e) in month_failures.items()})
    table = readiness.source_readiness(month, sources, tables, notes, problems, month_failures)
    return MonthCheck(month, raw_dir / month, table, uses)


_STATUS_WIDTH = 9


def readiness_lines(readiness_table: pd.DataFrame, files: pd.DataFrame | None, month: str) -> list[str]:
    """The readiness table and the month's files as console lines (``reach check`` and ``reach run``).

    Parameters
    ----------
    readiness_table : pandas.DataFrame
        The ``readiness`` table.
    files : pandas.DataFrame or None
        The ``file_use`` table.
    month : str
        The month.

    Returns
    -------
    list of str
        Lines without newlines: the sources (``*`` marks those a headline figure needs), each
        with its reason and fix; then each file of the month with the days of the month it covers
        and what is used from it; then the verdict.
    """
    lines = [f"Sources the {month} report needs (* = a headline figure needs it):"]
    width = max((len(str(label)) for label in readiness_table["label"]), default=10) + 2
    for row in readiness_table.itertuples(index=False):
        star = "*" if bool(row.headline) else " "
        lines.append(f"  {row.status:<{_STATUS_WIDTH}} {star} {str(row.label):<{width}}{row.detail}")
        if row.fix:
            lines.append(f"  {'':<{_STATUS_WIDTH}}   {'':<{width}}fix: {row.fix}")
    if files is not None and len(files):
        lines.append(f"Files for {month}: the days of {month} each covers, and what is used:")
        for row in files.itertuples(index=False):
            period = f"{row.start} to {row.end}" if row.start else "no period"
            source = f" (from {row.period_source})" if row.period_source else ""
            lines.append(f"  {row.use:<11} {row.path}")
            if row.use != "unreadable":
                lines.append(f"  {'':<11}   period {period}{source}; days of {month}: {row.days}")
            lines.append(f"  {'':<11}   {row.detail}")
            if row.notes:
                lines.append(f"  {'':<11}   notes: {row.notes}")
    missing = readiness.incomplete(readiness_table)
    unreadable = 0 if files is None or not len(files) else int((files["use"] == "unreadable").sum())
    if missing.empty and not unreadable:
        lines.append(f"{month} is complete: every headline source is present.")
    else:
        named = ", ".join(f"{row.label} ({row.status})" for row in missing.itertuples(index=False))
        parts = [named] if named else []
        if unreadable:
            parts.append(f"{unreadable} unreadable file(s)")
        lines.append(f"{month} is NOT complete: {'; '.join(parts)}.")
    return lines


def incomplete_message(readiness_table: pd.DataFrame, files: pd.DataFrame | None, month: str) -> str:
    """The one-line error of a run stopped for an incomplete month."""
    missing = readiness.incomplete(readiness_table)
    named = ", ".join(f"{row.label} {row.status}" for row in missing.itertuples(index=False))
    unreadable = 0 if files is None or not len(files) else int((files["use"] == "unreadable").sum())
    if unreadable:
        named = ", ".join(filter(None, [named, f"{unreadable} unreadable file(s)"]))
    return (
        f"{month} is incomplete ({named}); add the missing exports (the table above says which and how), "
        "or run again with --allow-incomplete for a report that opens with an 'Incomplete month' banner"
    )


_MONTH_PART = build.MONTH_FOLDER


def _path_month(path: str) -> str | None:
    """The last ``YYYY-MM`` folder in a path (the month folder a file sits in), or None."""
    months = [part for part in Path(path).parts if _MONTH_PART.match(part)]
    return months[-1] if months else None


def describe_uses(
    items: list[tuple[dict[str, Any], Any]], questions: Mapping[str, object], month: str | None = None
) -> list[dict[str, Any]]:
    """``reach inspect`` entries with the period reach uses and, for a month, what is used from each file.

    Files are taken together, as a month folder is (a YouTube ``Table data.csv`` gets the period
    of the ``Chart data.csv`` and ``Totals.csv`` beside it). The month is ``month`` when given,
    else the ``YYYY-MM`` folder each file sits in; a file in no month folder gets only its period
    and the table it would feed.

    Parameters
    ----------
    items : list of (dict, Export or None)
        From :func:`reach.ingest.inspect.inspect_exports`.
    questions : Mapping
        ``feedback_questions`` from the settings.
    month : str, optional
        The month to judge every file against.

    Returns
    -------
    list of dict
        The entries, each (when its file could be read) with ``period_start``, ``period_end``,
        ``period_source`` and ``feeds`` (the table label, or None), and with a month: ``month``,
        ``days``, ``use`` and ``detail`` as in :func:`reach.tidy.readiness.file_uses`.
    """
    groups: dict[str | None, list[int]] = {}
    for i, (entry, export) in enumerate(items):
        if export is not None and "error" not in entry:
            groups.setdefault(month or _path_month(entry["path"]), []).append(i)
    out = [dict(entry) for entry, _ in items]
    registry = parse_registry(pd.DataFrame(columns=list(REGISTRY_COLUMNS)))
    for group_month, members in groups.items():
        prefix = group_month or "no-month"
        sources = [
            routing.SourceFile(
                items[i][1], f"{prefix}/{Path(items[i][0]['path']).as_posix().lstrip('/')}", group_month
            )
            for i in members
        ]
        inferred = readiness.infer_periods(sources)
        uses = {}
        if group_month is not None:
            tables, _, notes = tables_mod.tidy_tables(sources, registry, dict(questions))
            frame = readiness.file_uses(group_month, sources, tables, notes)
            uses = {row.path: row for row in frame.itertuples(index=False)}
        for i, source in zip(members, inferred, strict=True):
            export = source.export
            table = routing.route(export)
            entry = out[i]
            entry["period_start"] = None if export.start is None else export.start.isoformat()
            entry["period_end"] = None if export.end is None else export.end.isoformat()
            entry["period_source"] = export.meta.get("period_source") or export.meta.get("period_missing")
            entry["feeds"] = readiness.TABLE_LABELS.get(table) if table else None
            use = uses.get(source.relpath)
            if use is not None:
                entry.update(month=group_month, days=use.days, use=use.use, detail=use.detail)
    return out
