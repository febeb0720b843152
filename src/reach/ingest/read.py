"""Reading export files from disk (plain, zipped or BigQuery) and parsing them.

Each file becomes an :class:`~reach.ingest.export.Export` record.
"""

from __future__ import annotations

import contextlib
import gc
import os
import re
from collections.abc import Iterator
from pathlib import Path

from reach.errors import InputValidationError, ReachError, UnrecognisedExportError
from reach.ingest.archive import _primary_member, _zip_members, check_workbook_sizes
from reach.ingest.bigquery import parse_bigquery
from reach.ingest.damage import check_complete, check_ending
from reach.ingest.dates import _check_date_order
from reach.ingest.detect import (
    _detect_doc,
    _is_bigquery,
    _is_bigquery_file,
    _is_xlsx,
    _is_zip,
    _prepare,
    _xlsx_doc,
    _xlsx_kind,
)
from reach.ingest.export import KIND_LABELS, Export
from reach.ingest.feedback import _parse_feedback_page
from reach.ingest.forms import _parse_feedex, _parse_forms
from reach.ingest.ga4 import _parse_ga4
from reach.ingest.limits import DEFAULT_LIMITS, ReadLimits, check_regular_file
from reach.ingest.meta import _parse_meta_ads, _parse_meta_daily, _parse_meta_posts
from reach.ingest.partners import _parse_partner
from reach.ingest.recall import _parse_recall
from reach.ingest.records import _Doc
from reach.ingest.youtube import _parse_youtube_series, _parse_youtube_table


def _parse_bigquery_file(path: Path) -> Export:

    return parse_bigquery(path)


# --------------------------------------------------------------------------------------------
# Entry points
# --------------------------------------------------------------------------------------------


def _parse_doc(doc: _Doc, kind: str, date_order: str | None) -> Export:
    if kind in ("ga4_report", "ga4_snapshot"):
        return _parse_ga4(doc, kind)
    if kind == "youtube_table":
        return _parse_youtube_table(doc, date_order)
    if kind in ("youtube_chart", "youtube_totals"):
        return _parse_youtube_series(doc, kind, date_order)
    if kind == "meta_posts":
        return _parse_meta_posts(doc, date_order)
    if kind == "meta_daily":
        return _parse_meta_daily(doc)
    if kind == "meta_ads":
        return _parse_meta_ads(doc)
    if kind in ("forms_microsoft", "forms_google"):
        return _parse_forms(doc, kind, date_order)
    if kind == "feedback_feedex":
        return _parse_feedex(doc)
    if kind == "feedback_page":
        return _parse_feedback_page(doc, date_order)
    if kind == "partner_indicators":
        return _parse_partner(doc)
    if kind == "hv_recall":
        return _parse_recall(doc)
    raise AssertionError(kind)  # pragma: no cover


def _parse_zip(data: bytes, path: Path, date_order: str | None, limits: ReadLimits) -> list[Export]:
    members = _zip_members(data, path, limits)
    if not members:
        raise UnrecognisedExportError("a zip archive with no files in it", path=path)
    out = []
    for name, mdata in members:
        if _is_zip(mdata) and not _is_xlsx(mdata):
            raise InputValidationError("zip archives inside zip archives are not read", path=path, value=name)
        out.append(_parse_single(mdata, path / name, date_order, limits))
    return out


def _parse_single(data: bytes, path: Path, date_order: str | None, limits: ReadLimits) -> Export:
    order = _check_date_order(date_order, path)
    if _is_bigquery(data):
        return parse_bigquery(path, data)
    if _is_xlsx(data):
        check_workbook_sizes(data, path, limits)
        doc = _xlsx_doc(data, path, path.name)
        kind = _xlsx_kind(doc)
    else:
        doc = _prepare(data, path, path.name)
        kind = _detect_doc(doc)
    try:
        check_ending(doc, kind)
        export = _parse_doc(doc, kind, order)
        check_complete(doc, export, limits)
    except InputValidationError as err:
        raise _recognised_as(err, kind) from err
    return export


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a file is parsed.

    A large export becomes millions of small lists and no reference cycles; left running, the
    collector would walk them over and over (a fifth of the time of a 50 MB file).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _recognised_as(err: InputValidationError, kind: str) -> InputValidationError:
    """The same error, its message ending with the kind the file was recognised as."""
    label = KIND_LABELS.get(kind, kind)
    if label in err.reason:
        return err
    return type(err)(
        f"{err.reason.rstrip('.')} (the file was read as {label})",
        path=err.path,
        row=err.row,
        column=err.column,
        value=err.value,
    )


def _guard(fn, path: Path, *args):  # noqa: ANN001, ANN202 - internal
    try:
        with _collector_paused():
            return fn(*args)
    except ReachError:
        raise
    except Exception as err:  # safety net: a raw exception must never escape to the user
        # Only the exception's type: its text may quote the file's content.
        raise InputValidationError(
            f"could not parse the file ({type(err).__name__}); check it is an unmodified download",
            path=path,
        ) from err


def parse_exports(
    data: bytes, path: str | Path, *, date_order: str | None = None, limits: ReadLimits | None = None
) -> list[Export]:
    """Parse a file's bytes into one Export per contained export (a zip gives one per member).

    Parameters
    ----------
    data : bytes
        The whole file.
    path : str or pathlib.Path
        Where it came from (used for messages, the file-name period of Meta posts, tie-breaks).
    date_order : {"DMY", "MDY"}, optional
        Day/month order for forms timestamps that the values cannot decide.
    limits : ReadLimits, optional
        Zip sizes and the totals check; default: those set in ``config/reach.yaml``.

    Returns
    -------
    list of Export
    """
    p = Path(path)
    limits = limits or DEFAULT_LIMITS
    if _is_zip(data) and not _is_xlsx(data):
        return _guard(_parse_zip, p, data, p, date_order, limits)
    return [_guard(_parse_single, p, data, p, date_order, limits)]


def parse_export(
    data: bytes, path: str | Path, *, date_order: str | None = None, limits: ReadLimits | None = None
) -> Export:
    """Parse one export file from its bytes (pure: no file system access).

    Parameters
    ----------
    data : bytes
        The whole file.
    path : str or pathlib.Path
        Where it came from; used in messages, as a tie-break hint for the kind and for the period
        of Meta posts exports (``Mon-DD-YYYY_Mon-DD-YYYY_id.csv``).
    date_order : {"DMY", "MDY"}, optional
        Day/month order for numeric timestamps (forms) when no value has a day above 12.
    limits : ReadLimits, optional
        Zip sizes and the totals check; default: those set in ``config/reach.yaml``.

    Returns
    -------
    Export
        For a zip archive (a YouTube Studio download) the ``Table data.csv`` member (else the first
        member), with every member's Export in ``meta["members"]``.

    Raises
    ------
    UnrecognisedExportError
        The content is no known export kind.
    InputValidationError
        The file is of a known kind but cannot be read, or was cut short (see
        :mod:`reach.ingest.damage`), or is a zip archive over the limits; the message names the
        line and column and never quotes the file beyond the offending value.
    """
    exports = parse_exports(data, path, date_order=date_order, limits=limits)
    if len(exports) == 1 and not (_is_zip(data) and not _is_xlsx(data)):
        return exports[0]
    names = [str(e.path.relative_to(Path(path))) for e in exports]
    primary = exports[names.index(_primary_member(names))]
    meta = dict(primary.meta)
    meta["archive"] = str(path)
    meta["members"] = exports
    warnings = primary.warnings
    if len(exports) > 1:
        warnings = (
            *warnings,
            f"The zip archive holds {len(exports)} exports; this is {primary.path.name!r} and the "
            "others are in "
            "meta['members'] (read_exports returns them all).",
        )
    return Export(
        primary.path, primary.kind, primary.start, primary.end, primary.table, primary.totals, warnings, meta
    )


def _read_bytes(path: Path) -> bytes:
    """The whole file; a symbolic link is refused, never followed (also if it appeared since it was checked)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(fd, "rb") as fh:
            return fh.read()
    except FileNotFoundError as err:
        raise InputValidationError("file not found", path=path) from err
    except IsADirectoryError as err:
        raise InputValidationError("this is a folder, not a file", path=path) from err
    except OSError as err:
        check_regular_file(path)  # names a link, a folder or a device
        raise InputValidationError(
            f"cannot read the file ({err.strerror or 'no access'})", path=path
        ) from err


def read_export(
    path: str | Path, *, date_order: str | None = None, limits: ReadLimits | None = None
) -> Export:
    """Read and parse one export file (never writes).

    Parameters
    ----------
    path : str or pathlib.Path
        A CSV, an .xlsx (Microsoft Forms) or a zip (YouTube Studio download).
    date_order : {"DMY", "MDY"}, optional
        See :func:`parse_export`.
    limits : ReadLimits, optional
        See :func:`parse_export`.

    Returns
    -------
    Export

    Raises
    ------
    InputValidationError, UnrecognisedExportError
        See :func:`parse_export`; also when the file cannot be read, or is a symbolic link (never
        followed), a folder or a device.
    """
    p = Path(path)
    check_regular_file(p)
    if _is_bigquery_file(p):  # read by DuckDB straight from disk, never whole into memory
        return _guard(_parse_bigquery_file, p, p)
    return parse_export(_read_bytes(p), p, date_order=date_order, limits=limits)


def read_exports(
    path: str | Path, *, date_order: str | None = None, limits: ReadLimits | None = None
) -> list[Export]:
    """Read a file and return every export in it (a zip gives one per member).

    Parameters
    ----------
    path : str or pathlib.Path
        The file.
    date_order : {"DMY", "MDY"}, optional
        See :func:`parse_export`.
    limits : ReadLimits, optional
        See :func:`parse_export`.

    Returns
    -------
    list of Export

    Raises
    ------
    InputValidationError, UnrecognisedExportError
        See :func:`read_export`.
    """
    p = Path(path)
    check_regular_file(p)
    if _is_bigquery_file(p):
        return [_guard(_parse_bigquery_file, p, p)]
    return parse_exports(_read_bytes(p), p, date_order=date_order, limits=limits)


_JUNK = re.compile(r"^(readme.*|.*\.md|\.gitkeep|thumbs\.db|desktop\.ini|~\$.*)$", re.I)


def find_exports(folder: str | Path) -> list[Path]:
    """List every candidate export file under a folder, recursively.

    Hidden files and folders, ``README*``, notes in Markdown (``*.md``), ``.gitkeep``, Office lock files (``~$...``),
    ``Thumbs.db`` and ``desktop.ini`` are skipped. A symbolic link (to a file or a folder) is listed
    but never followed, so reading it refuses it by name; so is anything else that is not a plain
    file or folder (a pipe, a device).

    Parameters
    ----------
    folder : str or pathlib.Path
        A month folder such as ``data/raw/2026-05``.

    Returns
    -------
    list of pathlib.Path
        Sorted by path.

    Raises
    ------
    InputValidationError
        The folder does not exist or is not a folder.
    """
    root = Path(folder)
    if not root.is_dir():
        raise InputValidationError("expected a folder of downloaded exports; it does not exist", path=root)
    out = []
    for here, folders, files in os.walk(root):  # links to folders are not entered (followlinks=False)
        base = Path(here)
        folders[:] = [name for name in folders if not name.startswith(".")]
        out.extend(base / name for name in folders if (base / name).is_symlink())
        folders[:] = [name for name in folders if not (base / name).is_symlink()]
        out.extend(base / name for name in files if not name.startswith(".") and not _JUNK.match(name))
    return sorted(out, key=lambda p: p.relative_to(root).as_posix())
