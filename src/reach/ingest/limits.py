"""Limits on what reach reads: zip archive sizes, links and special files, the settings they come from.

The command line reads the limits from the settings (:meth:`ReadLimits.from_settings`) and hands
them down; a reader given none uses :data:`DEFAULT_LIMITS`. A damaged or hostile file must be
refused quickly and by name, never followed, unpacked without bound or quoted:
:func:`check_zip_sizes` looks only at an archive's directory (the sizes it declares;
:mod:`zipfile` never unpacks more than a member declares), and :func:`check_regular_file` looks
only at a path's own entry (:func:`os.lstat`), so a symbolic link is refused without being
followed.
"""

from __future__ import annotations

import stat
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from reach.config import setting
from reach.errors import InputValidationError

#: Members up to this size are never refused for their compression ratio: however well they
#: compress, they cannot keep reach busy.
RATIO_FREE_BYTES = 1 << 20

_MB = 1 << 20


@dataclass(frozen=True)
class ReadLimits:
    """The settings of ``config/reach.yaml`` that bound reading (defaults in :class:`reach.config.Settings`).

    Attributes
    ----------
    zip_max_unpacked_mb : float
        Most megabytes the members of one zip archive may unpack to, together.
    zip_max_ratio : float
        Most times its packed size a zip member over 1 MB may unpack to.
    totals_min_share : float
        Least share of its own Total row that a YouTube Table data export's rows must add up to.

    Examples
    --------
    >>> ReadLimits.from_settings({"zip_max_ratio": 50}).zip_max_ratio
    50
    """

    zip_max_unpacked_mb: float
    zip_max_ratio: float
    totals_min_share: float

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any] | None) -> ReadLimits:
        """The limits a settings mapping sets, each missing one at its default.

        Raises
        ------
        InputValidationError
            A limit that is not a number, or is out of range.
        """
        values = {f.name: setting(settings, f.name) for f in fields(cls)}
        for name, value in values.items():
            ok = isinstance(value, (int, float)) and not isinstance(value, bool)
            if ok and name == "totals_min_share":
                ok = 0 <= value <= 1
            elif ok:
                ok = value > 0 if name == "zip_max_unpacked_mb" else value >= 1
            if not ok:
                expected = {
                    "zip_max_unpacked_mb": "a number of megabytes above 0",
                    "zip_max_ratio": "a number of 1 or more",
                    "totals_min_share": "a share from 0 to 1",
                }[name]
                raise InputValidationError(f"the setting {name} must be {expected}", value=value)
        return cls(**values)


DEFAULT_LIMITS = ReadLimits.from_settings(None)
"""The limits when no settings are given (each at its default in :class:`reach.config.Settings`)."""


def _mb(size: float) -> str:
    return f"{size / _MB:,.1f} MB" if size >= _MB else f"{size / 1024:,.0f} KB"


def check_zip_sizes(
    members: Sequence[tuple[str, int, int]], path: Path, limits: ReadLimits, *, what: str = "zip archive"
) -> None:
    """Refuse an archive that would unpack to too much, before anything is unpacked.

    Parameters
    ----------
    members : sequence of (str, int, int)
        Each member's name, unpacked size and packed size, as the archive's directory declares them.
    path : pathlib.Path
        The archive, for the message.
    limits : ReadLimits
        The limits.
    what : str, default "zip archive"
        How the message names the archive (an Excel workbook is one too).

    Raises
    ------
    InputValidationError
        One line naming the archive (and the member), the sizes and the setting.

    Examples
    --------
    >>> limits = ReadLimits(zip_max_unpacked_mb=100, zip_max_ratio=100, totals_min_share=0.5)
    >>> check_zip_sizes([("Table data.csv", 60_000, 9_000)], Path("a.zip"), limits)
    >>> try:
    ...     check_zip_sizes([("Chart data.csv", 60 * 2**20, 340 * 2**10)], Path("a.zip"), limits)
    ... except InputValidationError as err:
    ...     print(str(err)[:90])
    a.zip, value 'Chart data.csv': the zip archive member unpacks to 181 times its packed size
    """
    total = sum(size for _, size, _ in members)
    if total > limits.zip_max_unpacked_mb * _MB:
        raise InputValidationError(
            f"the {what} would unpack to {_mb(total)}, more than the {limits.zip_max_unpacked_mb:g} MB reach "
            "reads (zip_max_unpacked_mb in config/reach.yaml); split it, or unpack the exports into the "
            "month folder yourself",
            path=path,
        )
    for name, size, packed in members:
        ratio = size / max(packed, 1)
        if size > RATIO_FREE_BYTES and ratio > limits.zip_max_ratio:
            raise InputValidationError(
                f"the {what} member unpacks to {ratio:,.0f} times its packed size ({_mb(size)} from "
                f"{_mb(packed)}), more than the {limits.zip_max_ratio:g} times reach accepts (zip_max_ratio in "
                "config/reach.yaml); exports compress far less, so the archive is damaged or not an export - "
                "download it again",
                path=path,
                value=name,
            )


def check_regular_file(path: Path) -> None:
    """Refuse anything but a regular file, looking only at the path's own entry (links are not followed).

    Parameters
    ----------
    path : pathlib.Path
        The file.

    Raises
    ------
    InputValidationError
        The path does not exist, is a symbolic link, a folder, or a device, pipe or socket.
    """
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError as err:
        raise InputValidationError("file not found", path=path) from err
    except OSError as err:
        raise InputValidationError(
            f"cannot read the file ({err.strerror or 'no access'})", path=path
        ) from err
    if stat.S_ISLNK(mode):
        raise InputValidationError(
            "this is a symbolic link, which reach never follows (it may point outside the month folder); "
            "copy the export itself into the folder instead",
            path=path,
        )
    if stat.S_ISDIR(mode):
        raise InputValidationError("this is a folder, not a file", path=path)
    if not stat.S_ISREG(mode):
        raise InputValidationError(
            "this is not a regular file (a device, pipe or socket); put the downloaded export itself in the "
            "folder",
            path=path,
        )
