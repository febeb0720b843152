"""Zip archives: which members are safe to read and which one is the export."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from reach.errors import InputValidationError
from reach.ingest.export import _MAX_ZIP_MEMBER


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


def _zip_members(data: bytes, path: Path) -> list[tuple[str, bytes]]:
    """Read the members of a zip archive, in name order (hidden and ``__MACOSX`` entries skipped)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            out = []
            for info in zf.infolist():
                p = _safe_member(info.filename, path)
                if info.is_dir() or any(part.startswith(".") or part == "__MACOSX" for part in p.parts):
                    continue
                if info.file_size > _MAX_ZIP_MEMBER:
                    raise InputValidationError(
                        f"zip member is larger than {_MAX_ZIP_MEMBER // 2**20} MB",
                        path=path,
                        value=info.filename,
                    )
                out.append((str(p), zf.read(info)))
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        RuntimeError,
        NotImplementedError,
        OSError,
        EOFError,
    ) as err:
        raise InputValidationError(
            f"the zip archive cannot be read ({err}); download it again", path=path
        ) from err
    return sorted(out, key=lambda m: m[0])


def _primary_member(names: Sequence[str]) -> str:
    for n in names:
        if PurePosixPath(n).name.lower() == "table data.csv":
            return n
    return names[0]
