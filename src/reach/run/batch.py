"""``reach run`` for one month: build the tables, execute the notebooks, render, swap into place.

A run holds its month's lock (:mod:`reach.run.lock`) from start to end, removes the staging
folders killed runs left, and turns a folder it cannot write, a file it cannot read or a full disk
into one line naming the path and the fix (:mod:`reach.run.faults`).
"""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reach import build, store
from reach.config import project_root, setting
from reach.core import months
from reach.core.months import parse_month
from reach.errors import IncompleteDataError, NotebookError
from reach.report.manifest import build_manifest, relative_to_root
from reach.report.render import (
    KernelPool,
    _import_execution_stack,
    execute_notebooks,
    logger,
    write_pages,
)
from reach.report.unmatched import write_unmatched
from reach.run.check import incomplete_message, is_complete
from reach.run.faults import describe_partial, writing
from reach.run.lock import month_lock, remove_stale_staging


@dataclass(frozen=True)
class RunResult:
    """Where a finished run put its outputs."""

    month: str
    report_dir: Path
    html: Path
    summary: dict[str, Any]
    #: The ``readiness`` and ``file_use`` tables of the run (:mod:`reach.tidy.readiness`).
    readiness: Any = None
    files: Any = None


class IncompleteMonthError(IncompleteDataError):
    """A headline source of the month is missing or unusable, and ``--allow-incomplete`` was not given.

    ``readiness`` and ``files`` are the month's ``readiness`` and ``file_use`` tables, for the
    command line to print.
    """

    def __init__(self, message: str, readiness: Any = None, files: Any = None):
        super().__init__(message)
        self.readiness = readiness
        self.files = files


def _stop_if_incomplete(month: str, built: build.BuildResult, allow_incomplete: bool) -> None:
    """Raise :class:`IncompleteMonthError` when a headline source is not present (unless allowed)."""
    table, files = built.tables.get("readiness"), built.tables.get("file_use")
    if allow_incomplete or is_complete(table, files):
        return
    raise IncompleteMonthError(incomplete_message(table, files, month), table, files)


#: The notebook parameter ``summary_path``: relative to the folder the notebook runs in.
SUMMARY_FILE = "summary.json"


def _written_summary(path: Path, month: str) -> dict:
    """The ``summary.json`` the notebook wrote, checked to be there and to be for this month."""
    try:
        summary = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise NotebookError(
            f"the report notebooks ran but none wrote {path.name} (the last cell of the monthly notebook "
            f"calls reach.summary.monthly.write_summary): {err}"
        ) from err
    if summary.get("month") != month:
        raise NotebookError(f"{path.name} written by the notebook is for {summary.get('month')}, not {month}")
    return summary


def _absolute(*paths: Path) -> tuple[Path, ...]:
    """The run's folders as absolute paths, so nothing in the run depends on the working directory."""
    return tuple(Path(path).resolve() for path in paths)


def _report_notebooks(settings: Mapping[str, Any], notebooks_dir: Path | None) -> list[Path]:
    """The report notebooks listed in the settings, each checked to exist."""
    notebooks_dir = notebooks_dir or project_root() / "notebooks"
    notebooks = [notebooks_dir / name for name in setting(settings, "notebooks")]
    if not notebooks:
        raise NotebookError("no report notebooks are listed under `notebooks:` in config/reach.yaml")
    for notebook in notebooks:
        if not notebook.is_file():
            raise NotebookError(
                f"report notebook {notebook} is missing; restore it with `git checkout -- {notebook}`"
            )
    return notebooks


def _preflight(
    settings: Mapping[str, Any], notebooks_dir: Path | None, raw_dir: Path, month: str
) -> list[Path]:
    """The report notebooks, each checked to exist; a month with nothing to read fails here, before any kernel starts."""
    notebooks = _report_notebooks(settings, notebooks_dir)
    build.month_folders(raw_dir, month)
    return notebooks


def _start_kernels(count: int, staging: Path) -> KernelPool:
    """Start the notebook kernels in ``staging``, removing the staging folder if they fail to start.

    They start (and import the report's modules) while the tables are built, and they run in the
    staging folder, so the notebook's relative ``summary_path`` lands beside the executed notebook.
    """
    try:
        return KernelPool(count, staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _log_to_file(path: Path) -> logging.FileHandler:
    """Copy the package's log records to ``path``; the handler is returned for :func:`_stop_logging`."""
    log_handler = logging.FileHandler(path, encoding="utf-8")
    log_handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.getLogger("reach").addHandler(log_handler)
    return log_handler


def _stop_logging(log_handler: logging.FileHandler) -> None:
    """Detach and close a handler from :func:`_log_to_file`."""
    logging.getLogger("reach").removeHandler(log_handler)
    log_handler.close()


def _build_tables(
    month: str,
    raw_dir: Path,
    processed_root: Path,
    reference_dir: Path,
    settings: Mapping[str, Any],
    step: Callable[[str], None],
) -> build.BuildResult:
    """Step 1: build the processed tables, importing the notebook-execution stack meanwhile."""
    step(f"[1/4] building processed tables for {month}")
    # While worker processes parse the exports, import what executing and rendering need.
    return build.build(
        month,
        raw_dir,
        processed_root,
        reference_dir,
        settings,
        progress=step,
        meanwhile=_import_execution_stack,
    )


def _notebook_parameters(month: str, built: build.BuildResult, sample: bool) -> dict[str, Any]:
    """The papermill parameters of the report notebooks."""
    return {
        "report_month": month,
        "processed_dir": relative_to_root(built.processed_dir),
        "sample": sample,
        "summary_path": SUMMARY_FILE,
    }


def _write_html(
    staging: Path, executed: list[Path], manifest: dict, settings: Mapping[str, Any], month: str, sample: bool
) -> None:
    """Write ``report.html`` and ``appendix.html`` (each notebook's page), with the "About this report" facts."""
    title = f"{setting(settings, 'report_title')}: {months.month_label(month)}"
    if sample:
        title = f"SAMPLE DATA — {title}"
    write_pages(staging, executed, manifest, title)


#: The note a failed run's kept folder holds about itself.
PARTIAL_NOTE = "PARTIAL-OUTPUT.txt"


def _keep_failed_run(staging: Path, reports_root: Path, month: str, say: Callable[[str], None]) -> None:
    """Move a failed run's staging folder to ``.failed-<month>``, replacing an earlier failed run's.

    The folder is named as partial output, saying whether each page in it is complete, both in
    the line printed and in ``PARTIAL-OUTPUT.txt`` inside it (when the disk has room for it).
    """
    failed = Path(reports_root) / f".failed-{month}"
    shutil.rmtree(failed, ignore_errors=True)
    if staging.exists():
        staging.rename(failed)
        state = describe_partial(failed)
        try:
            (failed / PARTIAL_NOTE).write_text(
                f"{state}.\nThese files are kept only to diagnose why the run of {month} failed; "
                "do not share them as a report.\n",
                encoding="utf-8",
            )
        except OSError:
            pass  # a full disk: the line below still says it
        say(
            f"the previous report was left as it was; the failed run's files are kept for diagnosis in {failed} "
            f"({state})"
        )


def run(
    month: str,
    *,
    raw_dir: Path,
    processed_root: Path,
    reports_root: Path,
    reference_dir: Path,
    settings: Mapping[str, Any],
    config_path: Path,
    sample: bool = False,
    notebooks_dir: Path | None = None,
    progress: Callable[[str], None] | None = None,
    allow_incomplete: bool = False,
    wait: float = 0,
) -> RunResult:
    """Run the monthly batch for one month and swap the finished report into place.

    The month's lock is held throughout (:func:`reach.run.lock.month_lock`): another run or
    verification of the same month stops, or waits ``wait`` seconds, saying who holds it. Once
    it is held, staging folders of killed runs are removed
    (:func:`reach.run.lock.remove_stale_staging`).

    After the tables are built, a month whose headline sources are not all present
    (:mod:`reach.tidy.readiness`) stops with :class:`IncompleteMonthError`, before any notebook
    runs, unless ``allow_incomplete``: the report then opens with an "Incomplete month" banner.

    Parameters
    ----------
    month : str
        Reporting month, ``YYYY-MM``.
    raw_dir, processed_root, reports_root, reference_dir : pathlib.Path
        Inputs and output roots (see :func:`reach.build.build`).
    settings : Mapping
        Settings from ``config/reach.yaml``.
    config_path : pathlib.Path
        Path of those settings, recorded in the manifest.
    sample : bool
        True for the bundled synthetic sample (adds the SAMPLE banner).
    notebooks_dir : pathlib.Path, optional
        Folder of the report notebooks; default ``<project root>/notebooks``.
    progress : callable, optional
        Called with one line per step.
    allow_incomplete : bool
        Render the report even when a headline source is missing or unusable.
    wait : float
        Seconds to wait for another run or verification of the month to finish (0: stop at once).

    Returns
    -------
    RunResult

    Raises
    ------
    IncompleteMonthError
        When a headline source is missing or unusable and ``allow_incomplete`` is False; nothing
        is left in the reports folder.
    reach.run.lock.MonthLockedError
        When another process holds the month's lock, naming it.
    reach.run.faults.FileSystemError
        When a folder cannot be written, a file cannot be read or the disk is full, naming the path.
    ReachError
        On any other failure; the previous ``reports/<YYYY-MM>/`` is left as it was.
    """
    parse_month(month)
    raw_dir, processed_root, reports_root, reference_dir, config_path = _absolute(
        raw_dir, processed_root, reports_root, reference_dir, config_path
    )
    say = progress or (lambda message: None)
    with writing(reports_root, "--reports"), month_lock(reports_root, month, wait=wait, say=say):
        removed = remove_stale_staging(reports_root, month, processed_root)
        if removed:
            names = ", ".join(folder.name for folder in removed)
            say(f"removed {len(removed)} staging folder(s) left by runs that were killed: {names}")
        return _run_locked(month, raw_dir, processed_root, reports_root, reference_dir, settings, config_path,
                           sample, notebooks_dir, say, allow_incomplete)  # fmt: skip


def _run_locked(
    month: str,
    raw_dir: Path,
    processed_root: Path,
    reports_root: Path,
    reference_dir: Path,
    settings: Mapping[str, Any],
    config_path: Path,
    sample: bool,
    notebooks_dir: Path | None,
    say: Callable[[str], None],
    allow_incomplete: bool,
) -> RunResult:
    """The body of :func:`run`, with the month's lock held and faults named by the reports folder."""
    notebooks = _preflight(settings, notebooks_dir, raw_dir, month)
    target = Path(reports_root) / month
    staging = store.make_staging(target).resolve()
    kernels = _start_kernels(len(notebooks), staging)
    log_handler = _log_to_file(staging / "run.log")

    def step(message: str) -> None:
        logger.info(message)
        say(message)

    succeeded = discard = False
    try:
        with writing(processed_root, "--processed"):
            built = _build_tables(month, raw_dir, processed_root, reference_dir, settings, step)
        try:
            _stop_if_incomplete(month, built, allow_incomplete)
        except IncompleteMonthError:
            discard = True  # nothing was rendered: no failed-run folder to keep
            raise
        parameters = _notebook_parameters(month, built, sample)
        step(f"[2/4] executing {len(notebooks)} notebook(s)")
        executed = execute_notebooks(notebooks, parameters, staging, step, kernels)
        kernels.close()
        step("[3/4] writing manifest.json (summary.json was written by the notebook)")
        summary = _written_summary(staging / SUMMARY_FILE, month)
        write_unmatched(built.tables["unmatched"], month, staging)  # the full list, beside the report
        manifest = build_manifest(
            month, sample, parameters, built, notebooks, config_path, raw_dir, reference_dir
        )
        store.write_json(manifest, staging / "manifest.json")
        # The pages show the facts as manifest.json records them, so reach verify renders them alike.
        manifest = json.loads((staging / "manifest.json").read_text(encoding="utf-8"))
        step("[4/4] rendering report.html and appendix.html")
        _write_html(staging, executed, manifest, settings, month, sample)
        _stop_logging(log_handler)
        store.swap_into_place(staging, target)
        succeeded = True
    finally:
        kernels.close()
        if not succeeded:
            _stop_logging(log_handler)
            if discard:
                shutil.rmtree(staging, ignore_errors=True)
            else:
                _keep_failed_run(staging, reports_root, month, say)
    return RunResult(
        month,
        target,
        target / "report.html",
        summary,
        built.tables.get("readiness"),
        built.tables.get("file_use"),
    )
