"""One ``reach run`` or ``reach verify`` of a month at a time, and the staging folders killed runs left.

A run or a verification of a month holds ``<reports>/.reach-<YYYY-MM>.lock`` (an operating-system
file lock taken with the ``filelock`` library: ``flock`` on Unix), so a second one of the same
month stops at once with one line saying who holds it, or waits for it with ``--wait``. The
holder writes who it is (process id, host, start time, command) to
``<reports>/.reach-<YYYY-MM>.holder.json`` beside the lock. The operating system releases the
lock when its process ends, however it ends, so a killed run never leaves a month locked.

A killed run leaves its staging folder (``.staging-<YYYY-MM>-…``) behind. Whoever holds a
month's lock removes that month's leftovers, and those of any other month whose lock nobody
holds (:func:`remove_stale_staging`); a folder of a month being run at that moment is left alone.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import socket
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from reach.core.months import parse_month
from reach.errors import ReachError
from reach.store import STAGING_PREFIX

LOCK_PREFIX = ".reach-"


class MonthLockedError(ReachError):
    """Another reach process is running or verifying the same month."""


def lock_path(reports_root: Path, month: str) -> Path:
    """The lock file of a month's report folder.

    Examples
    --------
    >>> lock_path(Path("reports"), "2026-10").as_posix()
    'reports/.reach-2026-10.lock'
    """
    return Path(reports_root) / f"{LOCK_PREFIX}{month}.lock"


def holder_path(reports_root: Path, month: str) -> Path:
    """The file in which the holder of a month's lock says who it is.

    Examples
    --------
    >>> holder_path(Path("reports"), "2026-10").as_posix()
    'reports/.reach-2026-10.holder.json'
    """
    return Path(reports_root) / f"{LOCK_PREFIX}{month}.holder.json"


def command_line(argv: list[str] | None = None) -> str:
    """The command this process was started with, as a user would type it.

    Examples
    --------
    >>> command_line(["/venv/lib/reach/__main__.py", "run", "--month", "2026-10"])
    'reach run --month 2026-10'
    >>> command_line(["pytest", "-q"])
    'pytest -q'
    """
    argv = list(sys.argv if argv is None else argv)
    if argv and Path(argv[0]).name in {"reach", "__main__.py"}:
        return shlex.join(["reach", *argv[1:]])
    return shlex.join(argv)


def describe_holder(info: dict | None) -> str:
    """Who holds a lock, in words, from its holder file.

    Examples
    --------
    >>> describe_holder({"pid": 42, "host": "pc1", "started": "2026-11-03 09:15:02", "command": "reach run"})
    'pid 42 on pc1, started 2026-11-03 09:15:02, running `reach run`'
    >>> describe_holder(None)
    'a process that has not yet said who it is'
    """
    if not info:
        return "a process that has not yet said who it is"
    return (
        f"pid {info.get('pid', '?')} on {info.get('host', '?')}, started {info.get('started', '?')}, "
        f"running `{info.get('command', '?')}`"
    )


def read_holder(reports_root: Path, month: str) -> dict | None:
    """The holder file of a month's lock, or None when there is none (or it cannot be read)."""
    try:
        return json.loads(holder_path(reports_root, month).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _locked_message(month: str, reports_root: Path, info: dict | None, waited: float) -> str:
    after = f" after waiting {waited:g} s" if waited > 0 else ""
    return (
        f"{month} is in use by another reach process{after} ({describe_holder(info)}; lock "
        f"{lock_path(reports_root, month)}); wait for it to finish and run again, or add --wait SECONDS "
        "to wait for it (the lock is freed when that process ends)"
    )


@contextmanager
def month_lock(
    reports_root: Path,
    month: str,
    *,
    wait: float = 0,
    say: Callable[[str], None] | None = None,
    command: str | None = None,
) -> Iterator[Path]:
    """Hold the lock on a month's report folder for the duration of a ``with`` block.

    Parameters
    ----------
    reports_root : pathlib.Path
        The reports folder (created if missing).
    month : str
        The month, ``YYYY-MM``.
    wait : float
        Seconds to wait for another holder to finish; 0 stops at once.
    say : callable, optional
        Told, in one line, who holds the lock when this process waits for it.
    command : str, optional
        The command recorded for others to see; default: this process's command line.

    Yields
    ------
    pathlib.Path
        The lock file.

    Raises
    ------
    MonthLockedError
        If another process holds the lock (after ``wait`` seconds), naming it.
    OSError
        If the lock file cannot be created (a read-only or full reports folder).
    """
    import filelock

    parse_month(month)
    reports_root = Path(reports_root)
    reports_root.mkdir(parents=True, exist_ok=True)
    lock = filelock.FileLock(lock_path(reports_root, month))
    try:
        lock.acquire(timeout=0)
    except filelock.Timeout:
        if wait <= 0:
            raise MonthLockedError(
                _locked_message(month, reports_root, read_holder(reports_root, month), 0)
            ) from None
        if say is not None:
            say(
                f"{month} is in use by another reach process ({describe_holder(read_holder(reports_root, month))}); "
                f"waiting up to {wait:g} s for it to finish"
            )
        try:
            lock.acquire(timeout=wait)
        except filelock.Timeout:
            info = read_holder(reports_root, month)
            raise MonthLockedError(_locked_message(month, reports_root, info, wait)) from None
    holder = holder_path(reports_root, month)
    try:
        info = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "started": datetime.now().astimezone().isoformat(sep=" ", timespec="seconds"),
            "command": command or command_line(),
        }
        holder.write_text(json.dumps(info) + "\n", encoding="utf-8")
        yield lock_path(reports_root, month)
    finally:
        holder.unlink(missing_ok=True)
        lock.release()


def _staging_month(folder: Path) -> str | None:
    """The month of a staging folder (``.staging-2026-10-abc123`` → ``2026-10``), or None for others."""
    name = folder.name
    if not name.startswith(STAGING_PREFIX):
        return None
    month = name[len(STAGING_PREFIX) : len(STAGING_PREFIX) + 7]
    try:
        parse_month(month)
    except ReachError:
        return None
    return month if name[len(STAGING_PREFIX) + 7 : len(STAGING_PREFIX) + 8] == "-" else None


def remove_stale_staging(reports_root: Path, held_month: str, *also: Path) -> list[Path]:
    """Remove the staging folders of runs that died: the held month's, and any other month's not locked now.

    Call it while holding ``held_month``'s lock (:func:`month_lock`): every staging folder of that
    month then belongs to a run that is no longer running. A staging folder of another month is
    removed only when that month's lock can be taken at once (nobody is running it).

    Parameters
    ----------
    reports_root : pathlib.Path
        The reports folder (and where the locks are).
    held_month : str
        The month whose lock this process holds.
    *also : pathlib.Path
        Other folders whose staging folders of ``held_month`` only are removed (the processed root).

    Returns
    -------
    list of pathlib.Path
        The folders removed.
    """
    import filelock

    removed = []
    candidates = sorted(Path(reports_root).glob(f"{STAGING_PREFIX}*")) if Path(reports_root).is_dir() else []
    for folder in candidates:
        month = _staging_month(folder)
        if month is None or not folder.is_dir():
            continue
        if month == held_month:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
            continue
        other = filelock.FileLock(lock_path(reports_root, month))
        try:
            other.acquire(timeout=0)
        except (filelock.Timeout, OSError):
            continue  # a run of that month is going on (or its lock cannot be checked): leave it
        try:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
        finally:
            other.release()
    for root in also:
        if Path(root).is_dir():
            for folder in sorted(Path(root).glob(f"{STAGING_PREFIX}{held_month}-*")):
                if folder.is_dir():
                    shutil.rmtree(folder, ignore_errors=True)
                    removed.append(folder)
    return [folder for folder in removed if not folder.exists()]
