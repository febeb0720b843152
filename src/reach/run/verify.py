"""``reach verify``: run a month again from its recorded inputs and show exactly what differs.

A reviewer gets a month's report folder. :func:`verify`, holding the month's lock
(:mod:`reach.run.lock`):

1. checks that ``manifest.json`` still matches the SHA-256 of its own content, and every input
   it names against its recorded SHA-256 (naming files that changed, appeared or disappeared).
   Where an input's hash differs, it tells an edited manifest from a changed file: the manifest's
   own fingerprint, and the start of each input's SHA-256 shown on the published page ("About
   this report"), say which of the two changed;
2. rebuilds the processed tables from the raw exports in a temporary folder;
3. executes the report notebooks again there, as the run did (papermill, same parameters but
   the rebuilt tables), and compares every code cell's source and outputs with the published
   executed notebooks, and the ``summary.json`` the notebook writes with the published one;
4. renders the pages again (``report.html``, ``appendix.html``) and compares them, and the
   month's row of ``reports/index.html``, with the published ones, naming the file and the first
   differing passage.

Only the volatile parts listed in :mod:`reach.run.compare` are neutralised before comparing.
It says how many inputs, summary values, notebook cells, figures and pages it compared.
Jupyter is imported inside the functions that run notebooks, so the command line starts quickly.
"""

from __future__ import annotations

import json
import platform
import tempfile
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from reach import build
from reach.build import MONTH_FOLDER
from reach.config import load_config, project_root, setting
from reach.core.months import parse_month
from reach.errors import ReachError
from reach.ingest.read import find_exports
from reach.report.index import render_index
from reach.report.manifest import code_sha256, package_versions, seal_intact
from reach.run import compare
from reach.run.batch import SUMMARY_FILE, _write_html
from reach.run.faults import describe_os_error
from reach.run.lock import month_lock
from reach.store import sha256_file

SANITIZE_FILE = "config/nbval_sanitize.cfg"

#: The published pages, in the order they are compared.
PAGES = ("report.html", "appendix.html")

# Kept for callers of the earlier module.
compare_summary = compare.compare_summary


@dataclass
class Compared:
    """What a verification compared (for the reviewer to see that it looked at everything).

    Attributes
    ----------
    inputs : int
        Input files, notebooks and settings files checked against their SHA-256.
    values : int
        Values of ``summary.json``.
    notebooks, cells : int
        Executed notebooks and their code cells compared output by output.
    figures : int
        Charts on the pages compared.
    pages : list of str
        The pages compared (``report.html``, ``appendix.html``, the month's row of ``index.html``).
    """

    inputs: int = 0
    values: int = 0
    notebooks: int = 0
    cells: int = 0
    figures: int = 0
    pages: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        pages = f" ({', '.join(self.pages)})" if self.pages else ""
        return (
            f"compared {self.inputs:,} inputs, {self.values:,} summary.json values, {self.cells:,} code cells "
            f"of {self.notebooks} notebook(s), {self.figures:,} figures and {len(self.pages)} pages{pages}"
        )


@dataclass
class VerifyResult:
    """What a verification found.

    Attributes
    ----------
    manifest : list of str
        Signs that ``manifest.json`` was edited after the run.
    inputs : list of str
        Input files that changed, appeared or disappeared.
    cells : list of str
        Notebook cells whose outputs differ (or that failed), with their first source line.
    summary : list of str
        Values in ``summary.json`` that differ.
    pages : list of str
        Pages (and the month's row of ``index.html``) that differ: the file and the first differing passage.
    warnings : list of str
        Things that may explain a difference (package versions that differ from the run), or that
        were not compared.
    compared : Compared
        How much was compared.
    """

    manifest: list[str] = field(default_factory=list)
    inputs: list[str] = field(default_factory=list)
    cells: list[str] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    compared: Compared = field(default_factory=Compared)

    @property
    def reproduced(self) -> bool:
        """True when the manifest, inputs, summary, every notebook output and every page match."""
        return not (self.manifest or self.inputs or self.cells or self.summary or self.pages)


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


@dataclass
class InputFindings:
    """What :func:`compare_inputs` found: files that changed, lines of the manifest that were edited."""

    files: list[str] = field(default_factory=list)
    manifest: list[str] = field(default_factory=list)
    compared: int = 0


def _mismatch(
    path: str, recorded: str, actual: str, shown: str | None, sealed: bool | None
) -> tuple[str, str]:
    """Which changed, the file or its line in the manifest: ``("file" | "manifest", line)``."""
    page_says_file = bool(shown) and actual.startswith(shown) and not recorded.startswith(shown)
    page_says_manifest = bool(shown) and recorded.startswith(shown) and not actual.startswith(shown)
    if page_says_file:
        return "manifest", (
            f"the SHA-256 recorded for {path} was edited: the file still matches the fingerprint shown on the "
            "published page"
        )
    if sealed is False and not page_says_manifest:
        return "manifest", (
            f"the SHA-256 recorded for {path} differs from the file's; manifest.json was edited after the run, "
            "so this line is the likely edit (the file may be unchanged)"
        )
    return "file", f"changed: {path} (its SHA-256 differs from the one recorded)"


def compare_inputs(
    manifest: dict,
    raw_dir: Path,
    reference_dir: Path,
    shown: dict[str, str] | None = None,
    sealed: bool | None = None,
) -> InputFindings:
    """Name every recorded input that changed or disappeared, and every new raw export.

    Parameters
    ----------
    manifest : dict
        The month's ``manifest.json``.
    raw_dir, reference_dir : pathlib.Path
        Where the reviewer keeps the raw exports and reference tables.
    shown : dict of str to str, optional
        The start of each input's SHA-256 as the published page shows it, by path
        (:func:`reach.run.compare.shown_fingerprints`).
    sealed : bool or None
        :func:`reach.report.manifest.seal_intact` of the manifest.

    Returns
    -------
    InputFindings
        One readable line per problem, each charged to the file or to ``manifest.json``.
    """
    shown = shown or {}
    found, seen = InputFindings(), set()
    for item in manifest["inputs"]:
        if item["role"] == "reference":
            path = reference_dir / Path(item["path"]).name
        elif item["role"] == "setting":
            path = project_root() / item["path"]
        else:
            path = _file_for(raw_dir, item["path"])
        seen.add(path.resolve())
        found.compared += 1
        if not path.is_file():
            found.files.append(f"disappeared: {item['path']} (expected at {path})")
            continue
        actual = sha256_file(path)
        if actual != item["sha256"]:
            blame, line = _mismatch(item["path"], item["sha256"], actual, shown.get(item["path"]), sealed)
            (found.manifest if blame == "manifest" else found.files).append(line)
    month = manifest["month"]
    if raw_dir.is_dir():
        for folder in sorted(raw_dir.iterdir()):
            if folder.is_dir() and MONTH_FOLDER.match(folder.name) and folder.name <= month:
                for path in find_exports(folder):
                    if path.resolve() not in seen:
                        found.files.append(
                            f"appeared: {path.relative_to(raw_dir).as_posix()} (not in the manifest)"
                        )
    root = project_root()
    for item in [*manifest.get("notebooks", []), manifest.get("config")]:
        if item and (root / item["path"]).is_file():
            found.compared += 1
            if sha256_file(root / item["path"]) != item["sha256"]:
                found.files.append(f"changed: {item['path']} (code or settings differ from the run's)")
    return found


def compare_versions(manifest: dict) -> list[str]:
    """Warn where the reviewer's code, Python or package versions differ from the recorded run."""
    warnings = []
    recorded_code = manifest.get("code_sha256")
    if recorded_code is not None and recorded_code != code_sha256():
        warnings.append(
            "the reach code here differs from the code that made the report (code_sha256 in manifest.json); "
            "a difference below may come from that"
        )
    if manifest.get("python") != platform.python_version():
        warnings.append(f"Python {platform.python_version()} here, {manifest.get('python')} in the run")
    for name, version in package_versions().items():
        recorded = manifest.get("packages", {}).get(name)
        if recorded != version:
            warnings.append(f"{name} {version} here, {recorded} in the run")
    return warnings


def _read_manifest(report_dir: Path, month: str) -> dict:
    path = report_dir / "manifest.json"
    if not path.is_file():
        raise ReachError(f"no manifest.json in {report_dir}; run `reach run --month {month}` first")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(manifest, dict) or manifest.get("month") != month:
            raise ValueError(f"it is not the manifest of {month}")
        missing = [
            key
            for key in ("inputs", "notebooks", "raw_dir", "reference_dir", "parameters")
            if key not in manifest
        ]
        if missing:
            raise ValueError(f"it has no {', '.join(missing)}")
    except (ValueError, KeyError) as err:
        raise ReachError(
            f"{path} cannot be read as a run's manifest ({err}); it was damaged or edited: "
            f"run `reach run --month {month}` again"
        ) from err
    return manifest


def _published_fingerprints(report_dir: Path) -> dict[str, str]:
    shown: dict[str, str] = {}
    for page in PAGES:
        path = report_dir / page
        if path.is_file():
            shown.update(compare.shown_fingerprints(path.read_text(encoding="utf-8", errors="replace")))
    return shown


def _check_manifest(manifest: dict, result: VerifyResult) -> bool | None:
    sealed = seal_intact(manifest)
    if sealed is False:
        result.manifest.append(
            "edited after the run: its content no longer matches the SHA-256 it carries (manifest_sha256)"
        )
    elif sealed is None:
        result.warnings.append(
            "manifest.json carries no fingerprint of itself (written by an older reach), so an edit to it "
            "is told apart from a changed file only by the fingerprints shown on the page"
        )
    return sealed


def _notebooks(manifest: dict) -> list[Path]:
    """The source notebooks the run executed, each checked to be there."""
    notebooks = [project_root() / item["path"] for item in manifest["notebooks"]]
    for notebook in notebooks:
        if not notebook.is_file():
            raise ReachError(
                f"report notebook {notebook} is missing; restore it with `git checkout -- {notebook}`"
            )
    return notebooks


def _compare_pages(
    month: str, manifest: dict, report_dir: Path, rerun: Path, rules: compare.Rules, result: VerifyResult
) -> None:
    """Compare each page rendered again in ``rerun`` with the published one."""
    edited = bool(result.manifest)
    for page in PAGES:
        published, again = report_dir / page, rerun / page
        if not again.is_file():
            if published.is_file():
                result.pages.append(
                    f"{page}: in the report folder, but the notebooks run again make no {page}"
                )
            continue
        if not published.is_file():
            result.pages.append(f"{page}: missing from {report_dir}")
            continue
        text = published.read_text(encoding="utf-8", errors="replace")
        result.compared.pages.append(page)
        result.compared.figures += compare.count_figures(text)
        found = compare.describe_page_difference(text, again.read_text(encoding="utf-8"), rules)
        if found is not None:
            passage, about = found
            cause = " (these facts come from manifest.json, which was edited)" if about and edited else ""
            result.pages.append(f"{page}: {passage}{cause}")


def _compare_index(
    month: str, reports_root: Path, rebuilt: dict, settings: dict, result: VerifyResult
) -> None:
    """Compare the month's row of ``reports/index.html`` with the row the re-run summary gives."""
    index = Path(reports_root) / "index.html"
    if not index.is_file():
        result.warnings.append(f"{index} is missing, so the month's row in it was not compared")
        return
    published = compare.index_row(index.read_text(encoding="utf-8", errors="replace"), month)
    label = f"the {month} row of index.html"
    result.compared.pages.append(label)
    if published is None:
        result.pages.append(f"index.html: has no row for {month}")
        return
    page = render_index([rebuilt], setting(settings, "report_title"), setting(settings, "organisation"))
    expected = compare.index_row(page, month) or ""
    found = compare.describe_page_difference(published, expected)
    if found is not None:
        result.pages.append(f"index.html, {month} row: {found[0]}")


def _reproduce(
    month: str, manifest: dict, report_dir: Path, raw: Path, reference: Path, result: VerifyResult,
    say: Callable[[str], None],
) -> None:  # fmt: skip
    """Steps 2 to 4 of :func:`verify`: rebuild, run the notebooks again, render again, compare."""
    from reach.report.render import KernelPool, _import_execution_stack, execute_notebooks

    config = project_root() / (manifest.get("config") or {}).get("path", "config/reach.yaml")
    rules = compare.load_sanitizers(project_root() / SANITIZE_FILE)
    with tempfile.TemporaryDirectory(prefix="reach-verify-") as folder, ExitStack() as stack:
        scratch = Path(folder)
        say("[2/4] rebuilding the processed tables from the raw exports")
        try:
            notebooks = _notebooks(manifest)
            # The kernels start, and papermill and nbconvert are imported, while the tables are rebuilt.
            kernels = stack.enter_context(KernelPool(len(notebooks), scratch))
            settings = load_config(config if config.is_file() else None)
            built = build.build(month, raw, scratch / "processed", reference, settings,
                                meanwhile=_import_execution_stack)  # fmt: skip
        except ReachError as err:
            result.inputs.append(f"the inputs could not be rebuilt: {err}")
            return
        say("[3/4] executing the notebooks again and comparing every cell's outputs")
        parameters = {**manifest["parameters"], "processed_dir": str(built.processed_dir)}
        try:
            executed = execute_notebooks(notebooks, parameters, scratch, lambda message: None, kernels)
        except ReachError as err:
            result.cells.append(f"the notebooks could not be executed again: {err}")
            return
        kernels.close()
        for notebook in executed:
            published = report_dir / notebook.name
            result.compared.notebooks += 1
            if not published.is_file():
                result.cells.append(f"{notebook.name}: missing from {report_dir}")
                continue
            problems, cells = compare.compare_notebooks(published, notebook, rules)
            result.cells.extend(problems)
            result.compared.cells += cells
        rewritten = scratch / SUMMARY_FILE
        if not rewritten.is_file():
            result.summary.append(f"the notebooks executed again did not write {SUMMARY_FILE}")
            return
        rebuilt = json.loads(rewritten.read_text(encoding="utf-8"))
        try:
            recorded = json.loads((report_dir / SUMMARY_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            result.summary.append(f"the published {SUMMARY_FILE} cannot be read ({err})")
        else:
            result.compared.values = compare.count_values(recorded)
            result.summary = compare.compare_summary(recorded, rebuilt)
        say("[4/4] rendering the pages again and comparing them, and the month's row of index.html")
        pages = scratch / "pages"
        pages.mkdir()
        _write_html(pages, executed, manifest, settings, month, bool(manifest.get("sample")))
        _compare_pages(month, manifest, report_dir, pages, rules, result)
        _compare_index(month, report_dir.parent, rebuilt, settings, result)


def verify(
    month: str,
    reports_root: Path,
    raw_dir: Path | None = None,
    reference_dir: Path | None = None,
    progress: Callable[[str], None] | None = None,
    wait: float = 0,
) -> VerifyResult:
    """Check that a month's published figures and pages follow from its recorded inputs and the code.

    Parameters
    ----------
    month : str
        The month, ``YYYY-MM``.
    reports_root : pathlib.Path
        The reports folder holding ``<month>/manifest.json`` and ``index.html``.
    raw_dir, reference_dir : pathlib.Path, optional
        Where the reviewer keeps the inputs; default: the folders recorded in the manifest.
    progress : callable, optional
        Called with one line per step.
    wait : float
        Seconds to wait for a run of the month to finish (0: stop at once, saying who runs it).

    Returns
    -------
    VerifyResult

    Raises
    ------
    ReachError
        If the month's report folder or manifest is missing or unreadable.
    reach.run.lock.MonthLockedError
        If a run (or another verification) of the month is going on.
    """
    parse_month(month)
    say = progress or (lambda message: None)
    reports_root = Path(reports_root)
    report_dir = reports_root / month
    if not reports_root.is_dir():
        raise ReachError(f"no manifest.json in {report_dir}; run `reach run --month {month}` first")
    result = VerifyResult()
    with ExitStack() as stack:
        try:
            stack.enter_context(month_lock(reports_root, month, wait=wait, say=say))
        except OSError as err:  # a read-only copy of the reports: verify it all the same
            result.warnings.append(
                f"the month could not be locked ({describe_os_error(err)}), so a run of {month} at the same "
                "time would not be noticed"
            )
        manifest = _read_manifest(report_dir, month)
        say("[1/4] checking manifest.json, and the input files against their recorded SHA-256")
        sealed = _check_manifest(manifest, result)
        raw = _resolve(manifest["raw_dir"], raw_dir)
        reference = _resolve(manifest["reference_dir"], reference_dir)
        found = compare_inputs(manifest, raw, reference, _published_fingerprints(report_dir), sealed)
        result.manifest.extend(found.manifest)
        result.inputs, result.compared.inputs = found.files, found.compared
        result.warnings.extend(compare_versions(manifest))
        _reproduce(month, manifest, report_dir, raw, reference, result, say)
    return result
