"""Zip archives: which members are safe to read and which one is the export."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from reach.errors import InputValidationError
from reach.ingest.limits import DEFAULT_LIMITS, ReadLimits, check_zip_sizes


def _safe_member(name: str, archive: Path) -> PurePosixPath:
    p = PurePosixPath(name.replace("\\", "/"))
    if p.is_absolute() or ".." in p.parts or re.match(r"^[A-Za-z]:", name):
        raise InputValidationError(
            "the zip archive has a member with an absolute or '..' path, which reach refuses to read; "
            "re-download the archive from YouTube Studio",
            path=archive,
            value=name,
        )
    return p


_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, RuntimeError, NotImplementedError, OSError, EOFError)


def _zip_members(data: bytes, path: Path, limits: ReadLimits | None = None) -> list[tuple[str, bytes]]:
    """Read the members of a zip archive, in name order (hidden and ``__MACOSX`` entries skipped).

    The sizes the archive declares are checked against ``limits`` (default: the configured ones)
    before any member is unpacked; :mod:`zipfile` never unpacks more than a member declares. The
    messages of :mod:`zipfile` name members, never their content.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            wanted = []
            for info in zf.infolist():
                p = _safe_member(info.filename, path)
                if info.is_dir() or any(part.startswith(".") or part == "__MACOSX" for part in p.parts):
                    continue
                wanted.append((info, p))
            check_zip_sizes(
                [(info.filename, info.file_size, info.compress_size) for info, _ in wanted],
                path,
                limits or DEFAULT_LIMITS,
            )
            out = [(str(p), zf.read(info)) for info, p in wanted]
    except _ZIP_ERRORS as err:
        raise InputValidationError(
            f"the zip archive cannot be read ({err}); download it again", path=path
        ) from err
    return sorted(out, key=lambda m: m[0])


def check_workbook_sizes(data: bytes, path: Path, limits: ReadLimits | None = None) -> None:
    """Refuse an Excel workbook (a zip archive) that would unpack to too much, before it is opened.

    Raises
    ------
    InputValidationError
        See :func:`reach.ingest.limits.check_zip_sizes`; also when the workbook is no readable zip.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            members = [(i.filename, i.file_size, i.compress_size) for i in zf.infolist()]
    except _ZIP_ERRORS as err:
        raise InputValidationError(
            f"the Excel workbook cannot be opened ({err}); save it again from Excel or "
            "download the responses again",
            path=path,
        ) from err
    check_zip_sizes(members, path, limits or DEFAULT_LIMITS, what="Excel workbook")


def _primary_member(names: Sequence[str]) -> str:
    for n in names:
        if PurePosixPath(n).name.lower() == "table data.csv":
            return n
    return names[0]
