"""``reach run --quarter | --year | --campaign``: a period's report, from the month build and one notebook.

The processed tables are built for the period's last month with exports (the month build reads
every month up to it), the period's notebook (``reach_period_report.ipynb`` for a quarter or a
year, ``reach_campaign_report.ipynb`` for a campaign) runs in a staging folder and writes
``summary.json``, and the folder is swapped into ``reports/<period>/`` (``2026-Q3``,
``FY2026-27``, ``campaign-<id>``) with ``report.html`` and ``manifest.json``.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from reach import build, store
from reach.config import project_root, setting
from reach.core import periods
from reach.errors import InputValidationError, NotebookError
from reach.report.manifest import build_manifest, relative_to_root
from reach.report.render import KernelPool, execute_notebooks, logger, write_pages
from reach.run.batch import RunResult

#: The notebook that renders each kind of period.
NOTEBOOKS = {
    "quarter": "reach_period_report.ipynb",
    "year": "reach_period_report.ipynb",
    "campaign": "reach_campaign_report.ipynb",
}
SUMMARY_FILE = "summary.json"


def period_from_options(
    quarter: str | None, year: str | None, campaign: str | None, reference_dir: Path
) -> periods.ReportPeriod:
    """The period the command line asks for (exactly one of the three), checked before any work starts.

    Raises
    ------
    InputValidationError
        If none or several are given, or the value is not a period.
    """
    given = [value for value in (quarter, year, campaign) if value]
    if len(given) != 1:
        raise InputValidationError("give one of --quarter YYYY-Qn, --year YYYY-YY or --campaign ID")
    if quarter:
        return periods.quarter(quarter)
    if year:
        return periods.financial_year(year)
    path = Path(reference_dir) / "campaigns.csv"
    try:
        rows = pd.read_csv(path, dtype=str).to_dict("records")
    except OSError as err:
        raise InputValidationError("campaigns.csv could not be read", path=path) from err
    return periods.campaign(campaign, rows)


def months_with_exports(raw_dir: Path) -> list[str]:
    """The ``YYYY-MM`` folders of the raw tree, oldest first.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     for name in ("2026-09", "2026-10", "notes"):
    ...         _ = (Path(tmp) / name).mkdir()
    ...     months_with_exports(Path(tmp))
    ['2026-09', '2026-10']
    """
    return sorted(
        p.name for p in Path(raw_dir).iterdir() if p.is_dir() and re.fullmatch(r"\d{4}-\d{2}", p.name)
    )


def data_period(period: periods.ReportPeriod, available: list[str]) -> periods.ReportPeriod:
    """The period cut at the last month with exports (a year in progress becomes "to date").

    Raises
    ------
    InputValidationError
        If no month of the period has exports.

    Examples
    --------
    >>> data_period(periods.financial_year("2026-27"), ["2026-09", "2026-10"]).key
    'FY2026-27'
    >>> data_period(periods.quarter("2026-Q3"), ["2026-09", "2026-10"]).to_date
    False
    """
    inside = [m for m in available if m in period.months]
    if not inside:
        raise InputValidationError(f"no month of {period.label} has exports in the raw folder")
    return periods.up_to(period, inside[-1])


def _written_summary(path: Path, key: str) -> dict:
    """The ``summary.json`` the notebook wrote, checked to be for this period."""
    try:
        summary = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise NotebookError(f"the period notebook ran but did not write {path.name}: {err}") from err
    if (summary.get("period") or {}).get("key") != key:
        raise NotebookError(f"{path.name} written by the notebook is not for {key}")
    return summary


def run_period(
    period: periods.ReportPeriod,
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
) -> RunResult:
    """Render one period's report into ``reports/<period key>/``.

    Parameters
    ----------
    period : reach.core.periods.ReportPeriod
        From :func:`period_from_options`.
    raw_dir, processed_root, reports_root, reference_dir : pathlib.Path
        Inputs and output roots, as for a month (:func:`reach.run.batch.run`).
    settings : Mapping
        Settings from ``config/reach.yaml``.
    config_path : pathlib.Path
        Path of the settings, recorded in the manifest.
    sample : bool
        True for the bundled synthetic sample.
    notebooks_dir : pathlib.Path, optional
        Folder of the notebooks; default ``<project root>/notebooks``.
    progress : callable, optional
        Called with one line per step.

    Returns
    -------
    reach.run.batch.RunResult
        ``month`` is the period's key.

    Raises
    ------
    ReachError
        On any failure; the previous report folder is left as it was and the failed run's files
        are kept in ``reports/.failed-<key>/``.
    """
    raw_dir, processed_root, reports_root, reference_dir, config_path = (
        Path(p).resolve() for p in (raw_dir, processed_root, reports_root, reference_dir, config_path)
    )
    say = progress or (lambda message: None)
    period = data_period(period, months_with_exports(raw_dir))
    last = period.months[-1]
    notebook = (notebooks_dir or project_root() / "notebooks") / NOTEBOOKS[period.kind]
    if not notebook.is_file():
        raise NotebookError(f"period notebook {notebook} is missing")
    target = reports_root / period.key
    reports_root.mkdir(parents=True, exist_ok=True)
    staging = store.make_staging(target).resolve()

    def step(message: str) -> None:
        logger.info(message)
        say(message)

    succeeded = False
    kernels = None
    try:
        kernels = KernelPool(1, staging)
        step(f"[1/4] building processed tables up to {last} for {period.label}")
        built = build.build(last, raw_dir, processed_root, reference_dir, settings, progress=step)
        parameters = {
            "report_month": last,
            NOTEBOOK_PARAMETER[period.kind]: period.key[len("campaign-") :]
            if period.kind == "campaign"
            else period.key,
            "processed_dir": relative_to_root(built.processed_dir),
            "sample": sample,
            "summary_path": SUMMARY_FILE,
        }
        step(f"[2/4] executing {notebook.name}")
        executed = execute_notebooks([notebook], parameters, staging, step, kernels)
        kernels.close()
        step("[3/4] writing manifest.json (summary.json was written by the notebook)")
        summary = _written_summary(staging / SUMMARY_FILE, period.key)
        manifest = build_manifest(
            last, sample, parameters, built, [notebook], config_path, raw_dir, reference_dir
        )
        manifest["period"] = period.as_dict()
        store.write_json(manifest, staging / "manifest.json")
        step("[4/4] rendering report.html")
        title = f"{setting(settings, 'report_title')}: {period.label}"
        write_pages(staging, executed, manifest, f"SAMPLE DATA — {title}" if sample else title)
        store.swap_into_place(staging, target)
        succeeded = True
    finally:
        if kernels is not None:
            kernels.close()
        if not succeeded:
            failed = reports_root / f".failed-{period.key}"
            shutil.rmtree(failed, ignore_errors=True)
            if staging.exists():
                staging.rename(failed)
                say(f"the previous report was left as it was; the failed run's files are in {failed}")
    return RunResult(period.key, target, target / "report.html", summary)


#: The notebook parameter that names the period, per kind.
NOTEBOOK_PARAMETER = {"quarter": "period", "year": "period", "campaign": "campaign"}
