"""Atomic writing of output folders and reading of processed tables (I/O at the edges).

A run builds its outputs in a staging folder next to the target and swaps it into place only
when everything succeeded, so a failed or killed run leaves the previous outputs intact.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

import pandas as pd

STAGING_PREFIX = ".staging-"


OLD_PREFIX = ".previous-"


SETTINGS_FILE = "settings.json"


def sha256_file(path: str | Path) -> str:
    """Return the SHA-256 hex digest of a file's bytes.

    Parameters
    ----------
    path : str or pathlib.Path
        The file.

    Returns
    -------
    str
        64 hexadecimal characters.
    """
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def make_staging(target: str | Path) -> Path:
    """Create an empty staging folder beside ``target`` (same file system, so renames are atomic).

    Parameters
    ----------
    target : str or pathlib.Path
        The folder the staged outputs will replace.

    Returns
    -------
    pathlib.Path
        The new staging folder.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    recover(target)
    staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{target.name}-", dir=target.parent))
    staging.chmod(0o755)  # mkdtemp makes it private; the swapped-in folder should read like any other
    return staging


def recover(target: str | Path) -> None:
    """Restore ``target`` if a previous run was killed between the two renames of :func:`swap_into_place`.

    Leftover staging folders of dead runs are removed.

    Parameters
    ----------
    target : str or pathlib.Path
        The output folder.
    """
    target = Path(target)
    if not target.parent.exists():
        return
    old = target.parent / f"{OLD_PREFIX}{target.name}"
    if old.exists() and not target.exists():
        os.replace(old, target)
    elif old.exists():
        shutil.rmtree(old, ignore_errors=True)
    # A staging folder older than a day belongs to a run that died; a live run's is younger.
    for leftover in target.parent.glob(f"{STAGING_PREFIX}{target.name}-*"):
        try:
            stale = time.time() - leftover.stat().st_mtime > 86_400
        except OSError:
            continue
        if stale and leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)


def swap_into_place(staging: str | Path, target: str | Path) -> None:
    """Replace ``target`` with ``staging``, keeping the old folder until the new one is in place.

    Parameters
    ----------
    staging : str or pathlib.Path
        A complete, successful output folder.
    target : str or pathlib.Path
        The folder to replace (it need not exist).
    """
    staging, target = Path(staging), Path(target)
    old = target.parent / f"{OLD_PREFIX}{target.name}"
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        os.replace(target, old)
    os.replace(staging, target)
    if old.exists():
        shutil.rmtree(old)


def json_text(data: object, *, sort_keys: bool = True) -> str:
    """JSON as :func:`write_json` writes it: indented, keys sorted unless asked not to, a final newline.

    Examples
    --------
    >>> print(json_text({"b": 1, "a": [1]}), end="")
    {
      "a": [
        1
      ],
      "b": 1
    }
    """
    return json.dumps(data, indent=2, sort_keys=sort_keys, ensure_ascii=False) + "\n"


def write_json(data: object, path: str | Path, *, sort_keys: bool = True) -> None:
    """Write JSON with a final newline, so identical data gives identical bytes.

    Keys are sorted unless ``sort_keys`` is False: settings keep the order they were written in,
    because some of it carries meaning (the codebook's themes are shown in its order).
    """
    Path(path).write_text(json_text(data, sort_keys=sort_keys), encoding="utf-8")


def write_tables(tables: dict[str, pd.DataFrame], folder: str | Path) -> None:
    """Write each table as ``<name>.parquet`` (no index, deterministic bytes).

    Parameters
    ----------
    tables : dict of str to pandas.DataFrame
        The processed tables.
    folder : str or pathlib.Path
        An existing (staging) folder.
    """
    for name, frame in sorted(tables.items()):
        frame.to_parquet(Path(folder) / f"{name}.parquet", index=False, engine="pyarrow", compression="zstd")


def load_settings(folder: str | Path) -> dict:
    """Read the settings a processed-tables folder was built with (``settings.json``).

    Parameters
    ----------
    folder : str or pathlib.Path
        A processed-tables folder written by :func:`reach.build.build`.

    Returns
    -------
    dict
        The settings, with the codebook loaded (see :func:`reach.config.load_config`).
    """
    return json.loads((Path(folder) / SETTINGS_FILE).read_text(encoding="utf-8"))


def load_processed(folder: str | Path) -> dict[str, pd.DataFrame]:
    """Read every processed table in ``folder``.

    Parameters
    ----------
    folder : str or pathlib.Path
        A processed-tables folder written by :func:`reach.build.build`.

    Returns
    -------
    dict of str to pandas.DataFrame
        Table name -> table.
    """
    return {path.stem: pd.read_parquet(path) for path in sorted(Path(folder).glob("*.parquet"))}
