"""``reach verify``: re-run a month from its recorded inputs and show exactly what differs.

A reviewer gets a month's report folder. :func:`verify` checks every input named in
``manifest.json`` against its SHA-256 (naming files that changed, appeared or disappeared),
rebuilds the processed tables from the raw exports into a temporary folder, re-executes each
executed notebook there with nbval in strict mode (every text output compared; sanitizers only
for timestamps, durations and paths), and compares the ``summary.json`` the re-executed notebook
writes with the published one. Charts are not compared as images: the numbers behind each chart
are printed as a table, and those are compared. nbformat is imported inside the functions that
read notebooks, so the command line starts without it.
"""

from __future__ import annotations

import json
import platform
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from reach import build
from reach.build import MONTH_FOLDER
from reach.config import load_config, project_root
from reach.errors import ReachError
from reach.ingest.read import find_exports
from reach.report.manifest import package_versions
from reach.run.batch import SUMMARY_FILE
from reach.store import sha256_file

SANITIZE_FILE = "config/nbval_sanitize.cfg"


INJECTED_TAG = "injected-parameters"


@dataclass
class VerifyResult:
    """What a verification found.

    Attributes
    ----------
    inputs : list of str
        Input files that changed, appeared or disappeared.
    cells : list of str
        Notebook cells whose outputs differ (or that failed), with their first source line.
    summary : list of str
        Headline figures in ``summary.json`` that differ.
    warnings : list of str
        Things that may explain a difference (package versions that differ from the run).
    """

    inputs: list[str] = field(default_factory=list)
    cells: list[str] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def reproduced(self) -> bool:
        """True when inputs, summary and every notebook output match."""
        return not (self.inputs or self.cells or self.summary)


def _resolve(recorded: str, override: Path | None) -> Path:
    if override is not None:
        return Path(override)
    path = Path(recorded)
    return path if path.is_absolute() else project_root() / path


def _file_for(root: Path, relpath: str) -> Path:
    """The file on disk behind a recorded path (a zip member's file is its archive)."""
    path = root / relpath
    while not path.exists() and path != root and path.parent != path:
        path = path.parent
    return path if path.is_file() else root / relpath


def compare_inputs(manifest: dict, raw_dir: Path, reference_dir: Path) -> list[str]:
    """Name every recorded input that changed or disappeared, and every new raw export.

    Parameters
    ----------
    manifest : dict
        The month's ``manifest.json``.
    raw_dir, reference_dir : pathlib.Path
        Where the reviewer keeps the raw exports and reference tables.

    Returns
    -------
    list of str
        One readable line per problem; empty when every input matches.
    """
    problems, seen = [], set()
    for item in manifest["inputs"]:
        if item["role"] == "reference":
            path = reference_dir / Path(item["path"]).name
        elif item["role"] == "setting":
            path = project_root() / item["path"]
        else:
            path = _file_for(raw_dir, item["path"])
        seen.add(path.resolve())
        if not path.is_file():
            problems.append(f"disappeared: {item['path']} (expected at {path})")
        elif sha256_file(path) != item["sha256"]:
            problems.append(f"changed: {item['path']} (its SHA-256 differs from the one recorded)")
    month = manifest["month"]
    if raw_dir.is_dir():
        for folder in sorted(raw_dir.iterdir()):
            if folder.is_dir() and MONTH_FOLDER.match(folder.name) and folder.name <= month:
                for path in find_exports(folder):
                    if path.resolve() not in seen:
                        problems.append(
                            f"appeared: {path.relative_to(raw_dir).as_posix()} (not in the manifest)"
                        )
    root = project_root()
    for item in [*manifest.get("notebooks", []), manifest.get("config")]:
        if item and (root / item["path"]).is_file() and sha256_file(root / item["path"]) != item["sha256"]:
            problems.append(f"changed: {item['path']} (code or settings differ from the run's)")
    return problems


def compare_versions(manifest: dict) -> list[str]:
    """Warn where the reviewer's Python or package versions differ from the recorded run."""
    warnings = []
    if manifest.get("python") != platform.python_version():
        warnings.append(f"Python {platform.python_version()} here, {manifest.get('python')} in the run")
    for name, version in package_versions().items():
        recorded = manifest.get("packages", {}).get(name)
        if recorded != version:
            warnings.append(f"{name} {version} here, {recorded} in the run")
    return warnings


def compare_summary(recorded: dict, rebuilt: dict, prefix: str = "") -> list[str]:
    """List every value that differs between two summaries (nested keys joined by dots).

    Examples
    --------
    >>> compare_summary({"a": {"b": 1}}, {"a": {"b": 2}})
    ['a.b: 1 in the report, 2 on re-running']
    """
    differences = []
    for key in sorted(set(recorded) | set(rebuilt)):
        left, right = recorded.get(key), rebuilt.get(key)
        name = f"{prefix}{key}"
        if isinstance(left, dict) and isinstance(right, dict):
            differences.extend(compare_summary(left, right, f"{name}."))
        elif left != right:
            differences.append(f"{name}: {left} in the report, {right} on re-running")
    return differences


def _with_processed_dir(notebook: Path, processed: Path, out: Path) -> None:
    """Copy an executed notebook, pointing its injected parameters at the rebuilt tables."""
    import nbformat

    book = nbformat.read(notebook, as_version=4)
    for cell in book.cells:
        if INJECTED_TAG in cell.metadata.get("tags", []):
            cell.source = re.sub(r'processed_dir = "[^"]*"', f'processed_dir = "{processed}"', cell.source)
    nbformat.write(book, out)


def compare_notebook(executed: Path, processed: Path, workdir: Path) -> list[str]:
    """Re-execute one notebook with nbval in strict mode and name the cells that differ.

    Parameters
    ----------
    executed : pathlib.Path
        The executed notebook from the report folder.
    processed : pathlib.Path
        The rebuilt processed tables.
    workdir : pathlib.Path
        A scratch folder.

    Returns
    -------
    list of str
        ``"<notebook> code cell N (<first source line>): <what nbval said>"`` per differing cell.
    """
    import nbformat

    copy = workdir / executed.name
    _with_processed_dir(executed, processed, copy)
    command = [
        sys.executable, "-m", "pytest", "--nbval", "--nbval-current-env", "-p", "no:cacheprovider", "-q",
        "--nbval-sanitize-with", str(project_root() / SANITIZE_FILE), "--rootdir", str(workdir), str(copy),
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, cwd=workdir, timeout=1800)
    if result.returncode == 0:
        return []
    code_cells = [c for c in nbformat.read(copy, as_version=4).cells if c.cell_type == "code"]
    problems = []
    for number in sorted({int(n) for n in re.findall(r"::Cell (\d+)", result.stdout)}):
        first_line = code_cells[number].source.splitlines()[0] if number < len(code_cells) else ""
        reason = "outputs differ" if "outputs differ" in result.stdout else "failed"
        problems.append(f"{executed.name} code cell {number} ({first_line.strip()[:70]}): {reason}")
    if not problems:
        tail = result.stdout.strip().splitlines()[-1:] or ["nbval failed"]
        problems.append(f"{executed.name}: {tail[0]}")
    return problems


def verify(
    month: str,
    reports_root: Path,
    raw_dir: Path | None = None,
    reference_dir: Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> VerifyResult:
    """Check that a month's published figures follow from its recorded inputs and the code.

    Parameters
    ----------
    month : str
        The month, ``YYYY-MM``.
    reports_root : pathlib.Path
        The reports folder holding ``<month>/manifest.json``.
    raw_dir, reference_dir : pathlib.Path, optional
        Where the reviewer keeps the inputs; default: the folders recorded in the manifest.
    progress : callable, optional
        Called with one line per step.

    Returns
    -------
    VerifyResult

    Raises
    ------
    ReachError
        If the month's report folder or manifest is missing.
    """
    say = progress or (lambda message: None)
    report_dir = Path(reports_root) / month
    manifest_path = report_dir / "manifest.json"
    if not manifest_path.is_file():
        raise ReachError(f"no manifest.json in {report_dir}; run `reach run --month {month}` first")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    raw = _resolve(manifest["raw_dir"], raw_dir)
    reference = _resolve(manifest["reference_dir"], reference_dir)
    result = VerifyResult()
    say("[1/3] checking input files against their recorded SHA-256")
    result.inputs = compare_inputs(manifest, raw, reference)
    result.warnings = compare_versions(manifest)
    with tempfile.TemporaryDirectory(prefix="reach-verify-") as scratch:
        scratch = Path(scratch)
        say("[2/3] rebuilding the processed tables from the raw exports")
        try:
            settings = load_config()
            built = build.build(month, raw, scratch / "processed", reference, settings)
        except ReachError as err:
            result.inputs.append(f"the inputs could not be rebuilt: {err}")
            return result
        say("[3/3] re-executing the notebooks and comparing every output (nbval, strict)")
        for item in manifest["notebooks"]:
            executed = report_dir / Path(item["path"]).name
            if not executed.is_file():
                result.cells.append(f"{executed.name}: missing from {report_dir}")
                continue
            result.cells.extend(compare_notebook(executed, built.processed_dir, scratch))
        # The re-executed notebook wrote summary.json beside itself, as the run's notebook did.
        recorded = json.loads((report_dir / SUMMARY_FILE).read_text(encoding="utf-8"))
        rewritten = scratch / SUMMARY_FILE
        if rewritten.is_file():
            result.summary = compare_summary(recorded, json.loads(rewritten.read_text(encoding="utf-8")))
        else:
            result.summary = [f"the re-executed notebooks did not write {SUMMARY_FILE}"]
    return result
