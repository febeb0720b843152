"""Faults of the machine in plain words: a folder that cannot be written, a file that cannot be read, a full disk.

Python reports these as ``PermissionError`` or ``OSError`` with an error number, and a full disk
often without naming any file. :func:`describe_os_error` turns one into a line that names the
path and the fix; :func:`writing` does it for a block of work that writes into a known folder,
so a full disk is named by the folder being written. :func:`describe_partial` says what a failed
run's kept folder (``reports/.failed-<YYYY-MM>/``) holds: partial output, and whether the pages
in it are complete.
"""

from __future__ import annotations

import errno
import os
import re
import shlex
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from reach.errors import NotebookError, ReachError

#: Error numbers of a full disk: no space left, disk quota exceeded.
DISK_FULL = {errno.ENOSPC, errno.EDQUOT}
#: Error numbers of a permission refused by the operating system.
NOT_ALLOWED = {errno.EACCES, errno.EPERM}


class FileSystemError(ReachError):
    """A file or folder reach needs cannot be read or written (permissions, read-only disk, full disk)."""


def _quoted(path: Path | str) -> str:
    return shlex.quote(str(path))


def _elsewhere(option: str | None) -> str:
    return f"give another folder with {option}" if option else "use another folder"


def describe_os_error(err: OSError, folder: Path | None = None, option: str | None = None) -> str:
    r"""One line naming the path an operating-system error concerns and what to do about it.

    Parameters
    ----------
    err : OSError
        The error.
    folder : pathlib.Path, optional
        The folder being written when the error does not name a file (a full disk rarely does).
    option : str, optional
        The command-line option that chooses that folder (``--reports``, ``--processed``).

    Returns
    -------
    str
        Without the ``reach: error:`` prefix.

    Examples
    --------
    >>> import errno
    >>> full = OSError(errno.ENOSPC, "No space left on device")
    >>> print(describe_os_error(full, Path("/r"), "--reports").replace("; ", ";\n"))
    the disk holding /r is full (no space left on device);
    free some space on it, or give a folder on another disk with --reports, then run again
    """
    name = err.filename
    path = Path(name) if name not in (None, "") else None
    reason = (err.strerror or str(err)).strip().lower() or type(err).__name__
    if err.errno in DISK_FULL:
        where = folder or (path.parent if path is not None else None)
        place = f"the disk holding {where}" if where is not None else "the disk"
        other = f"give a folder on another disk with {option}" if option else "use a folder on another disk"
        return f"{place} is full ({reason}); free some space on it, or {other}, then run again"
    if path is None:
        where = f" in {folder}" if folder is not None else ""
        return f"{reason}{where}; check that the folder is there and writable, then run again"
    if err.errno == errno.EROFS:
        target = path if path.is_dir() else path.parent
        return (
            f"cannot write to {target}: the file system is read-only; {_elsewhere(option)} on a writable disk"
        )
    if err.errno in NOT_ALLOWED:
        if path.is_dir() and not os.access(path, os.R_OK | os.X_OK):
            return (
                f"cannot read the folder {path}: permission denied; make it readable (chmod a+rx {_quoted(path)}), "
                "then run again"
            )
        if path.is_file() and not os.access(path, os.R_OK):
            return (
                f"cannot read {path}: permission denied; make it readable (chmod a+r {_quoted(path)}), or move "
                "it away if reach should not read it, then run again"
            )
        target = path if path.exists() else path.parent
        return (
            f"cannot write to {target}: permission denied; make it writable (chmod u+w {_quoted(target)}) "
            f"or {_elsewhere(option)}"
        )
    if err.errno == errno.ENOENT:
        return f"{path} is not there ({reason}); check the path and run again"
    return f"{path}: {reason}; check the path and run again"


#: How a full disk reads when a notebook cell hit it (papermill gives the error as text).
_NOTEBOOK_DISK_FULL = re.compile(r"\[Errno (28|122)\]|No space left on device|Disk quota exceeded")


@contextmanager
def writing(folder: Path, option: str | None = None) -> Iterator[None]:
    """Turn an operating-system error in the block into a :class:`FileSystemError` naming the path and the fix.

    Parameters
    ----------
    folder : pathlib.Path
        The folder the block writes into; named when the error names no file.
    option : str, optional
        The command-line option choosing that folder.

    Raises
    ------
    FileSystemError
        For any ``OSError`` in the block, and for a notebook that failed on a full disk.
    """
    try:
        yield
    except FileSystemError:
        raise
    except OSError as err:
        raise FileSystemError(describe_os_error(err, folder, option)) from err
    except NotebookError as err:
        if _NOTEBOOK_DISK_FULL.search(str(err)):
            full = OSError(errno.ENOSPC, "no space left on device")
            raise FileSystemError(f"{describe_os_error(full, folder, option)} ({err})") from err
        raise


#: The pages of a report folder, in the order a run writes them.
PAGES = ("report.html", "appendix.html")


def page_complete(path: Path) -> bool:
    """Whether an HTML page was written to its end (it closes its ``html`` element)."""
    try:
        with open(path, "rb") as handle:
            handle.seek(max(0, path.stat().st_size - 64))
            return handle.read().rstrip().lower().endswith(b"</html>")
    except OSError:
        return False


def describe_partial(folder: Path) -> str:
    """What a failed run's kept folder holds, in words: partial output, and whether each page is complete.

    Examples
    --------
    >>> describe_partial(Path("/nowhere"))
    'partial output of a failed run, not a report: no report.html was written'
    """
    states = []
    for page in PAGES:
        path = Path(folder) / page
        if not path.is_file():
            if page == PAGES[0]:
                states.append(f"no {page} was written")
            continue
        if page_complete(path):
            states.append(f"{page} there is complete, but the run failed after writing it")
        else:
            states.append(f"{page} there is INCOMPLETE (cut off at {path.stat().st_size:,} bytes)")
    return "partial output of a failed run, not a report: " + "; ".join(states)
