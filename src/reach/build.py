"""``build``: raw exports → processed tables, with no Jupyter involved.

For a reporting month, :func:`build` reads every ``YYYY-MM`` folder of the raw tree up to and
including that month, detects and parses each export (:mod:`reach.ingest`), validates it
(:mod:`reach.ingest.validate`), tidies the rows into monthly tables (:mod:`reach.tidy`) and writes them
as parquet into ``<processed root>/<YYYY-MM>/``, atomically. Raw files are only ever read.
"""

from __future__ import annotations

import ast
import concurrent.futures
import dataclasses
import hashlib
import importlib.util
import logging
import multiprocessing
import os
import pickle
import pkgutil
import re
import shutil
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from reach import __version__, store
from reach.config import setting, setting_file
from reach.core.months import parse_month
from reach.errors import IncompleteDataError, InputValidationError, ReachError
from reach.ingest import read, validate
from reach.ingest.limits import ReadLimits
from reach.tidy import readiness, routing
from reach.tidy import tables as tables_mod
from reach.tidy.assets import parse_registry
from reach.tidy.campaigns import campaign_primaries

logger = logging.getLogger(__name__)


MONTH_FOLDER = re.compile(r"^\d{4}-\d{2}$")


REFERENCE_FILES = ("assets.csv", "campaigns.csv", "births.csv")


CACHE_FOLDER = ".cache"


@dataclass(frozen=True)
class BuildResult:
    """What a build produced.

    Attributes
    ----------
    month : str
        The reporting month.
    processed_dir : pathlib.Path
        Where the tables were written.
    tables : dict of str to pandas.DataFrame
        The processed tables, as written.
    input_files : list of dict
        Every file read (raw exports and reference tables): ``path``, ``sha256``, ``bytes``.
    """

    month: str
    processed_dir: Path
    tables: dict[str, pd.DataFrame]
    input_files: list[dict[str, Any]]


def month_folders(raw_dir: Path, month: str) -> list[tuple[str, Path]]:
    """List the raw month folders up to and including ``month``, oldest first.

    Parameters
    ----------
    raw_dir : pathlib.Path
        The raw tree (``data/raw``).
    month : str
        The reporting month.

    Returns
    -------
    list of (str, pathlib.Path)

    Raises
    ------
    IncompleteDataError
        If the raw folder is missing or has no exports for ``month``.
    """
    if not raw_dir.is_dir():
        raise IncompleteDataError(
            f"raw exports folder {raw_dir} does not exist; create it and put each month's downloads in {raw_dir}/YYYY-MM/"
        )
    folders = sorted(
        (path.name, path)
        for path in raw_dir.iterdir()
        if path.is_dir() and MONTH_FOLDER.match(path.name) and path.name <= month
    )
    this_month = raw_dir / month
    if not this_month.is_dir() or not read.find_exports(this_month):
        raise IncompleteDataError(
            f"no exports for {month}: put the month's downloaded files in {this_month}/ (any names, any sub-folders)"
        )
    return folders


#: Packages whose code shapes the parsed (cached) tables; the modules they import are added.
PARSING_PACKAGES = ("reach.ingest", "reach.tidy")


def parsing_modules(packages: Sequence[str] = PARSING_PACKAGES) -> dict[str, Path]:
    """Every module whose code shapes parsed tables: the packages' modules and what they import from reach.

    Found from the source itself (each module's ``import`` statements), so a module added to a
    package, or a helper moved into :mod:`reach.core`, is covered without anyone listing it.

    Parameters
    ----------
    packages : sequence of str
        Packages to start from.

    Returns
    -------
    dict of str to pathlib.Path
        Module name to its source file, sorted by name.

    Raises
    ------
    ReachError
        If a package or an imported module has no source file (a half-installed or moved package):
        a cache keyed on missing code could hand back parses made by other code.

    Examples
    --------
    >>> modules = parsing_modules()
    >>> "reach.ingest.read" in modules and "reach.core.urls" in modules
    True
    """
    pending = []
    for package in packages:
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            raise ReachError(f"cannot fingerprint the parsing code: package {package} is missing")
        pending.append(package)
        pending += [
            f"{package}.{info.name}" for info in pkgutil.iter_modules(spec.submodule_search_locations)
        ]
    found: dict[str, Path] = {}
    while pending:
        name = pending.pop()
        if name in found:
            continue
        spec = importlib.util.find_spec(name)
        if spec is None or spec.origin is None or not Path(spec.origin).is_file():
            raise ReachError(f"cannot fingerprint the parsing code: the source of {name} is missing")
        found[name] = Path(spec.origin)
        tree = ast.parse(found[name].read_bytes())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "reach":
                for alias in node.names:
                    submodule = f"{node.module}.{alias.name}"
                    pending.append(submodule if _is_module(submodule) else node.module)
    return dict(sorted(found.items()))


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:  # a name inside a module, not a submodule
        return False


def code_fingerprint() -> str:
    """A hash of the reading code (:func:`parsing_modules`), so cached parses are never reused by other code.

    Examples
    --------
    >>> len(code_fingerprint())
    16
    """
    digest = hashlib.sha256(__version__.encode())
    for name, path in parsing_modules().items():
        digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def read_and_validate(item: tuple) -> tuple[str, Path, str, int, list]:
    """Read, parse and validate one raw file (a zip gives one export per member).

    Parsed exports are cached under ``cache_dir`` by the file's SHA-256, the form date order
    and a fingerprint of the reading code, so a month's unchanged history is not parsed again;
    the cache holds nothing a fresh parse would not give, and deleting it is always safe.

    Parameters
    ----------
    item : tuple
        ``(folder_month, path, date_order, cache_dir or None, code fingerprint, ReadLimits or None)``
        (None: the default limits).

    Returns
    -------
    tuple
        ``(folder_month, path, sha256, size in bytes, [validated Export, ...])``.
    """
    folder_month, path, date_order, cache_dir, fingerprint, limits = item
    limits = limits or ReadLimits.from_settings(None)
    digest = store.sha256_file(path)
    cached = None
    if cache_dir is not None:
        # The limits decide whether a file is refused, so a change of limits reads it again.
        limits_key = hashlib.sha256(repr(limits).encode()).hexdigest()[:8]
        cached = Path(cache_dir) / f"{digest}-{date_order or 'none'}-{fingerprint}-{limits_key}.pickle"
        if cached.is_file():
            try:
                with open(cached, "rb") as handle:
                    original, exports = pickle.load(handle)
                moved = [
                    dataclasses.replace(e, path=Path(str(e.path).replace(original, str(path), 1)))
                    for e in exports
                ]
                return folder_month, path, digest, path.stat().st_size, moved
            except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError):
                pass  # a damaged cache entry is simply parsed again
    exports = [
        validate.validate_export(e) for e in read.read_exports(path, date_order=date_order, limits=limits)
    ]
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        partial = cached.with_suffix(f".{os.getpid()}.tmp")
        with open(partial, "wb") as handle:
            pickle.dump((str(path), exports), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, cached)
    return folder_month, path, digest, path.stat().st_size, exports


def read_all(
    files: list[tuple[str, Path]],
    date_order: str | None,
    meanwhile: Callable[[], None] | None = None,
    cache_dir: Path | None = None,
    limits: ReadLimits | None = None,
) -> list[tuple]:
    """Read every file, in order, across the machine's cores where the OS can fork.

    Parsing is pure Python, so threads would not help; forked workers inherit the imported
    modules and start in milliseconds. Where fork is unavailable (Windows) files are read one by
    one. ``meanwhile`` runs in a thread of this process once the workers exist (never before the
    fork, so no lock it takes can be copied into a worker half-held). ``limits`` bound what is
    read (:class:`reach.ingest.limits.ReadLimits`; None: the defaults).
    """
    fingerprint = code_fingerprint()
    items = [(month, path, date_order, cache_dir, fingerprint, limits) for month, path in files]
    workers = min(os.cpu_count() or 1, 4)
    if workers < 2 or len(items) < 8 or "fork" not in multiprocessing.get_all_start_methods():
        results = [read_and_validate(item) for item in items]
        if meanwhile is not None:
            meanwhile()
        return results
    context = multiprocessing.get_context("fork")
    with concurrent.futures.ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        # With fork, every worker is started by the first submit, inside map().
        results = pool.map(read_and_validate, items, chunksize=max(1, len(items) // (workers * 4)))
        helper = threading.Thread(target=meanwhile, daemon=True) if meanwhile is not None else None
        if helper is not None:
            helper.start()
        try:
            return list(results)
        finally:
            if helper is not None:
                helper.join()


def read_reference(reference_dir: Path) -> dict[str, pd.DataFrame]:
    """Read the analyst's reference tables (asset registry, campaigns, births).

    Parameters
    ----------
    reference_dir : pathlib.Path
        Folder holding ``assets.csv``, ``campaigns.csv`` and ``births.csv``.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``assets``, ``campaigns``, ``births``, all columns as text.

    Raises
    ------
    IncompleteDataError
        If a reference file is missing.
    """
    tables = {}
    for name in REFERENCE_FILES:
        path = reference_dir / name
        if not path.is_file():
            raise IncompleteDataError(
                f"reference table {path} is missing; see docs/architecture.md for its columns"
            )
        try:
            tables[path.stem] = pd.read_csv(path, dtype="str", keep_default_na=False, encoding="utf-8-sig")
        except (UnicodeDecodeError, pd.errors.ParserError) as err:
            raise InputValidationError(f"cannot read the reference table ({err})", path=path) from err
    campaign_primaries(tables["campaigns"], str(reference_dir / "campaigns.csv"))  # refuse a bad value now
    return tables


def _setting_paths(settings: Mapping[str, Any]) -> list[tuple[str, Path]]:
    """The files named by the settings (codebook, town lookup), as (recorded name, path)."""
    out = []
    for key, relative in sorted((settings.get("setting_files") or {}).items()):
        path = setting_file(settings, key)
        if path is None or not path.is_file():
            raise IncompleteDataError(f"the {key} file named in the settings is missing: {path}")
        out.append((Path(relative).as_posix(), path))
    return out


def read_town_districts(settings: Mapping[str, Any]) -> pd.DataFrame | None:
    """Read the Town/City → district lookup named by ``town_districts`` in the settings.

    Parameters
    ----------
    settings : Mapping
        Settings from :func:`reach.config.load_config`.

    Returns
    -------
    pandas.DataFrame or None
        ``city``, ``district``, ``district_code``, ``county_code``, ``note`` as text; None when
        the settings name no lookup.

    Raises
    ------
    InputValidationError
        If the file cannot be read or lacks a required column.
    """
    path = setting_file(settings, "town_districts")
    if path is None:
        return None
    try:
        frame = pd.read_csv(path, dtype="str", keep_default_na=False, encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as err:
        raise InputValidationError(f"cannot read the town/district lookup ({err})", path=path) from err
    missing = [c for c in ("city", "district", "district_code") if c not in frame.columns]
    if missing:
        raise InputValidationError(
            f"the town/district lookup lacks column(s) {', '.join(missing)}; expected city,district,district_code",
            path=path,
        )
    return frame


def _raw_inputs(results: list[tuple], raw_dir: Path) -> tuple[list[routing.SourceFile], list[dict[str, Any]]]:
    """The exports read from the raw files as sources for tidying, and one inputs row per export."""
    sources, input_files = [], []
    for folder_month, _path, digest, size, exports in results:
        for export in exports:
            relpath = Path(export.path).relative_to(raw_dir).as_posix()
            sources.append(routing.SourceFile(export, relpath, folder_month))
            input_files.append(
                {
                    "path": relpath,
                    "role": "raw export",
                    "sha256": digest,
                    "bytes": size,
                    "kind": export.kind,
                    "start": None if export.start is None else export.start.isoformat(),
                    "end": None if export.end is None else export.end.isoformat(),
                    "rows": export.rows,
                    "warnings": " | ".join(export.warnings),
                }
            )
    return sources, input_files


def _local_input(name: str, role: str, path: Path, rows: int | None) -> dict[str, Any]:
    """The inputs row of a reference table or a file named by the settings."""
    return {
        "path": name,
        "role": role,
        "sha256": store.sha256_file(path),
        "bytes": path.stat().st_size,
        "kind": role,
        "start": None,
        "end": None,
        "rows": rows,
        "warnings": "",
    }


def _processed_tables(
    sources: list[routing.SourceFile],
    reference: dict[str, pd.DataFrame],
    reference_dir: Path,
    settings: Mapping[str, Any],
    input_files: list[dict[str, Any]],
    town_districts: pd.DataFrame | None,
    month: str | None = None,
) -> dict[str, pd.DataFrame]:
    """Tidy the sources into the monthly tables and add the notes, inputs and reference tables.

    With ``month``, also ``file_use`` (what each file of the month gives it) and ``readiness``
    (each source the report needs: present, partial, missing or unusable; :mod:`reach.tidy.readiness`).
    """
    identifiers = parse_registry(reference["assets"], source=str(reference_dir / "assets.csv"))
    campaign_tags = frozenset(reference["campaigns"].get("utm_campaign", pd.Series(dtype="str")).str.strip())
    tables, unmatched, notes = tables_mod.tidy_tables(
        sources, identifiers, setting(settings, "feedback_questions"), campaign_tags
    )
    if month is not None:
        tables["file_use"] = readiness.file_uses(month, sources, tables, notes)
        tables["readiness"] = readiness.source_readiness(month, sources, tables, notes)
    tables["unmatched"] = unmatched
    tables["notes"] = pd.DataFrame(notes, columns=["source", "note"]).astype("str")
    tables["inputs"] = pd.DataFrame(input_files).astype({"rows": "Int64", "bytes": "Int64"})
    tables.update({f"reference_{name}": frame for name, frame in reference.items()})
    if town_districts is not None:
        tables["reference_town_districts"] = town_districts
    return tables


def _write_processed(tables: dict[str, pd.DataFrame], settings: Mapping[str, Any], target: Path) -> None:
    """Write the tables and settings to a staging folder and swap it into ``target``; nothing is left on failure."""
    staging = store.make_staging(target)
    try:
        store.write_tables(tables, staging)
        store.write_json(dict(settings), staging / store.SETTINGS_FILE, sort_keys=False)
        store.swap_into_place(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def build(
    month: str,
    raw_dir: str | Path,
    processed_root: str | Path,
    reference_dir: str | Path,
    settings: Mapping[str, Any],
    progress: Callable[[str], None] | None = None,
    meanwhile: Callable[[], None] | None = None,
) -> BuildResult:
    """Build the processed tables for one reporting month.

    Parameters
    ----------
    month : str
        Reporting month, ``YYYY-MM``.
    raw_dir : str or pathlib.Path
        The raw tree holding one folder per month.
    processed_root : str or pathlib.Path
        Tables are written to ``<processed_root>/<month>/``.
    reference_dir : str or pathlib.Path
        Folder of the reference tables.
    settings : Mapping
        Settings from :func:`reach.config.load_config`.
    progress : callable, optional
        Called with a short message at each step.
    meanwhile : callable, optional
        Work for this process while worker processes parse the files (the batch imports the
        notebook-execution stack here).

    Returns
    -------
    BuildResult

    Raises
    ------
    ReachError
        For a bad month, missing or unreadable inputs; nothing is written in that case.
    """
    parse_month(month)
    say = progress or (lambda message: None)
    raw_dir, reference_dir = Path(raw_dir), Path(reference_dir)
    target = Path(processed_root) / month
    folders = month_folders(raw_dir, month)
    files = [(name, path) for name, folder in folders for path in read.find_exports(folder)]
    say(f"reading {len(files)} exports from {len(folders)} month folder(s) in {raw_dir}")
    date_order = settings.get("forms_date_order")
    cache_dir = Path(processed_root) / CACHE_FOLDER
    sources, input_files = _raw_inputs(
        read_all(files, date_order, meanwhile, cache_dir, ReadLimits.from_settings(settings)), raw_dir
    )
    reference = read_reference(reference_dir)
    for name in REFERENCE_FILES:
        path = reference_dir / name
        input_files.append(_local_input(f"reference/{name}", "reference", path, len(reference[path.stem])))
    for name, path in _setting_paths(settings):
        input_files.append(_local_input(name, "setting", path, None))
    town_districts = read_town_districts(settings)
    say("tidying, matching assets and redacting free text")
    tables = _processed_tables(
        sources, reference, reference_dir, settings, input_files, town_districts, month
    )
    _write_processed(tables, settings, target)
    say(f"wrote {len(tables)} processed tables to {target}")
    return BuildResult(month, target, tables, input_files)
