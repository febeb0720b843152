"""Executed notebooks → the offline HTML pages of a report.

Kernels started ahead of time (:class:`KernelPool`), papermill execution of every report
notebook side by side (:func:`execute_notebooks`), the notebooks of each page combined into one
book (:func:`combine_notebooks`; a notebook names its page in ``metadata.reach.page``:
``report.html``, the steering group's paper, or ``appendix.html``, the technical appendix), and
nbconvert with the offline template (:func:`render_html`, :func:`write_pages`).
:mod:`reach.run.batch` drives it.

Jupyter, papermill, nbconvert and BeautifulSoup take seconds to import, so they are imported
inside the functions that use them and importing this module stays fast.
"""

from __future__ import annotations

import concurrent.futures
import html
import logging
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reach.core.redaction import strip_invisible
from reach.errors import NotebookError

if TYPE_CHECKING:
    import nbformat


logger = logging.getLogger(__name__)


TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"


PLACEHOLDER_ALT = "No description has been provided for this image"


WARM_UP_CODE = (
    "import reach.config, reach.store, reach.core.months, reach.estimate.engagement, reach.report.charts, "
    "reach.report.display, reach.report.methodology, reach.report.sentences, reach.report.steering, "
    "reach.report.tables, "
    "reach.summary.charts, reach.summary.glance, reach.summary.monthly, reach.summary.quality"
)


class KernelPool:
    """Kernels started ahead of time, one per notebook, each already importing the report's modules.

    Starting a kernel and importing pandas, matplotlib and statsmodels into it takes seconds;
    doing it while the parent process builds the tables takes that time off the critical path.
    The warm-up only imports modules (which have no side effects at import), so every notebook
    still runs top to bottom from its first cell, as it would in a fresh kernel.

    Parameters
    ----------
    count : int
        How many kernels to start.
    cwd : pathlib.Path
        Working directory of the kernels: the folder the executed notebooks are written to, so a
        relative ``summary_path`` lands beside them (paths to the tables are taken from the
        project root, whatever the working directory).
    """

    def __init__(self, count: int, cwd: Path):
        from jupyter_client.blocking import BlockingKernelClient
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync
        from traitlets.config import Config

        quiet = Config({"KernelManager": {"transport_encryption": "auto"}})
        self.managers, self._clients = [], []
        for _ in range(count):
            manager = AsyncKernelManager(kernel_name="python3", config=quiet)
            run_sync(manager.start_kernel)(cwd=str(cwd))
            client = BlockingKernelClient()
            client.load_connection_info(manager.get_connection_info())
            client.start_channels()
            client.execute(WARM_UP_CODE, silent=True, store_history=False)
            self.managers.append(manager)
            self._clients.append(client)

    def close(self) -> None:
        """Shut every kernel down."""
        from jupyter_core.utils import run_sync

        for client in self._clients:
            client.stop_channels()
        for manager in self.managers:
            try:
                if run_sync(manager.is_alive)():
                    run_sync(manager.shutdown_kernel)(now=True)
            except RuntimeError:
                pass
        self.managers, self._clients = [], []

    def __enter__(self) -> KernelPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _import_execution_stack() -> None:
    """Import papermill, nbconvert and BeautifulSoup (about a second, mostly jsonschema's grammars)."""
    import bs4  # noqa: F401
    import nbconvert  # noqa: F401
    import papermill  # noqa: F401


SAVE_AT_END_ENGINE = "reach-save-at-end"


def _register_save_at_end_engine() -> None:
    """Register a papermill engine that writes the executed notebook once, when execution ends.

    Papermill's default manager rewrites the whole notebook (images included) before and after
    every cell; a report notebook of 30 cells spent about a third of a second on that. The
    final write still happens when a cell fails, so a failed run keeps its notebook.
    """
    from papermill.engines import NBClientEngine, NotebookExecutionManager, papermill_engines

    if SAVE_AT_END_ENGINE in papermill_engines._engines:
        return

    class SaveAtEndManager(NotebookExecutionManager):
        ended = False

        def save(self, **kwargs):
            if self.ended:
                super().save(**kwargs)
            else:
                self.last_save_time = self.now()

        def notebook_complete(self, **kwargs):
            self.ended = True
            super().notebook_complete(**kwargs)

    class SaveAtEndEngine(NBClientEngine):
        @classmethod
        def execute_notebook(
            cls,
            nb,
            kernel_name,
            output_path=None,
            progress_bar=True,
            log_output=False,
            autosave_cell_every=30,
            **kwargs,
        ):
            manager = SaveAtEndManager(
                nb,
                output_path=output_path,
                progress_bar=progress_bar,
                log_output=log_output,
                autosave_cell_every=autosave_cell_every,
            )
            manager.notebook_start()
            try:
                cls.execute_managed_notebook(manager, kernel_name, log_output=log_output, **kwargs)
            finally:
                manager.cleanup_pbar()
                manager.notebook_complete()
            return manager.nb

    papermill_engines.register(SAVE_AT_END_ENGINE, SaveAtEndEngine)


def _execute_one(
    notebook: Path,
    manager: object,
    parameters: Mapping[str, Any],
    out_dir: Path,
    progress: Callable[[str], None],
    config: object,
) -> Path:
    """Execute one notebook with papermill into ``out_dir``, on ``manager``'s kernel when given one."""
    import papermill

    output = Path(out_dir).resolve() / notebook.name
    progress(f"executing {notebook.name}")
    papermill.execute_notebook(
        str(Path(notebook).resolve()),
        str(output),
        parameters=dict(parameters),
        kernel_name="python3",
        # A kernel from the pool already runs in out_dir. papermill's cwd would chdir this whole
        # process, which threads running notebooks side by side would race on, so it is given only
        # when papermill starts the kernel itself.
        cwd=None if manager is not None else str(output.parent),
        progress_bar=False,
        execution_timeout=600,
        config=config,
        km=manager,
        engine_name=SAVE_AT_END_ENGINE,
    )
    progress(f"executed {notebook.name}")
    return output


def _executed_in_order(notebooks: Sequence[Path], futures: Sequence[concurrent.futures.Future]) -> list[Path]:
    """Wait for every notebook; return their outputs in order, or raise the first failure as a NotebookError."""
    from papermill.exceptions import PapermillExecutionError

    outputs, first_error = [], None
    for notebook, future in zip(notebooks, futures, strict=True):
        try:
            outputs.append(future.result())
        except PapermillExecutionError as err:
            first_error = first_error or NotebookError(
                f"notebook {notebook.name} failed at cell {err.exec_count}: {err.ename}: {err.evalue.strip()}"
            )
        except Exception as err:  # a kernel that would not start, a bad notebook file
            first_error = first_error or NotebookError(
                f"notebook {notebook.name} could not run: {type(err).__name__}: {err}"
            )
    if first_error is not None:
        raise first_error
    return outputs


def execute_notebooks(
    notebooks: Sequence[Path],
    parameters: Mapping[str, Any],
    out_dir: Path,
    progress: Callable[[str], None],
    kernels: KernelPool | None = None,
) -> list[Path]:
    """Execute each notebook with papermill, all at once, into ``out_dir``.

    Parameters
    ----------
    notebooks : sequence of pathlib.Path
        Source notebooks.
    parameters : Mapping
        Papermill parameters (strings and booleans only).
    out_dir : pathlib.Path
        Existing folder for the executed notebooks (same file names).
    progress : callable
        Called with one line per notebook.
    kernels : KernelPool, optional
        Kernels started ahead of time, one per notebook; without it papermill starts its own.

    Returns
    -------
    list of pathlib.Path
        Executed notebooks, in the order given.

    Raises
    ------
    NotebookError
        If a cell raised (the failed executed notebook is kept) or a kernel would not run.
    """
    from traitlets.config import Config

    quiet = Config({"KernelManager": {"transport_encryption": "auto"}})
    logging.getLogger("papermill").setLevel(logging.WARNING)
    # nbclient leaves the clients of kernels it does not own for us to close; the context
    # clean-up message about them is noise.
    logging.getLogger("traitlets").setLevel(logging.ERROR)

    managers = kernels.managers if kernels is not None else [None] * len(notebooks)
    _register_save_at_end_engine()

    workers = max(1, len(notebooks))
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [
            pool.submit(_execute_one, notebook, manager, parameters, out_dir, progress, quiet)
            for notebook, manager in zip(notebooks, managers, strict=True)
        ]
        outputs = _executed_in_order(notebooks, futures)
    return outputs


def combine_notebooks(paths: Sequence[Path], title: str) -> nbformat.NotebookNode:
    """Join executed notebooks into one, in order, for a single report page.

    Parameters
    ----------
    paths : sequence of pathlib.Path
        Executed notebooks.
    title : str
        The page title (``<title>``).

    Returns
    -------
    nbformat.NotebookNode
    """
    import nbformat

    books = [nbformat.read(path, as_version=4) for path in paths]
    combined = nbformat.v4.new_notebook(metadata=dict(books[0].metadata))
    combined.metadata["title"] = title
    for book in books:
        combined.cells.extend(book.cells)
    return combined


#: The page a notebook renders to when its metadata names none.
REPORT_PAGE = "report.html"
#: The technical appendix beside the report.
APPENDIX_PAGE = "appendix.html"


def page_of(notebook: nbformat.NotebookNode) -> str:
    """The page an executed notebook renders to: ``metadata.reach.page``, else ``report.html``.

    Raises
    ------
    NotebookError
        If the page is not a plain ``.html`` file name.
    """
    page = str((notebook.metadata.get("reach") or {}).get("page") or REPORT_PAGE)
    if "/" in page or "\\" in page or not page.endswith(".html") or page.startswith("."):
        raise NotebookError(
            f"a report notebook names the page {page!r}; give a file name such as appendix.html"
        )
    return page


def write_pages(folder: Path, executed: Sequence[Path], manifest: dict[str, Any], title: str) -> list[Path]:
    """Render the executed notebooks as the report's pages in ``folder``, one page per ``reach.page``.

    Notebooks naming the same page are combined in the order given. The "About this report"
    facts of the manifest (:func:`about_cell`) go at the end of the technical appendix, or of
    the report when there is no appendix.

    Parameters
    ----------
    folder : pathlib.Path
        Where to write the pages (the run's staging folder).
    executed : sequence of pathlib.Path
        Executed notebooks, in the order of the ``notebooks`` setting.
    manifest : dict
        From :func:`reach.report.manifest.build_manifest`.
    title : str
        The report's title; the appendix's is this followed by "(technical appendix)".

    Returns
    -------
    list of pathlib.Path
        The pages written, the report first.
    """
    import nbformat

    pages: dict[str, list[Path]] = {}
    for path in executed:
        pages.setdefault(page_of(nbformat.read(path, as_version=4)), []).append(path)
    about = APPENDIX_PAGE if APPENDIX_PAGE in pages else REPORT_PAGE
    written = []
    for page in sorted(pages, key=lambda name: (name != REPORT_PAGE, name != APPENDIX_PAGE, name)):
        suffix = {REPORT_PAGE: "", APPENDIX_PAGE: " (technical appendix)"}.get(page, f" ({page[:-5]})")
        book = combine_notebooks(pages[page], title + suffix)
        if page == about:
            book.cells.append(about_cell(manifest))
        target = Path(folder) / page
        target.write_text(render_html(book), encoding="utf-8")
        written.append(target)
    return written


def about_cell(manifest: dict[str, Any]) -> nbformat.NotebookNode:
    """The "About this report" facts from ``manifest.json``, as a cell for the HTML page only.

    The executed notebook stays as papermill wrote it (reviewers compare it with nbval); this
    cell only adds the run's provenance to the page the steering group reads.

    Parameters
    ----------
    manifest : dict
        From :func:`build_manifest`.

    Returns
    -------
    nbformat.NotebookNode
        A code cell with one HTML output (no source is shown in the report).
    """
    import nbformat

    git = manifest["git"]
    commit = git["commit"][:12] if git.get("commit") else "not a git checkout"
    state = " (with uncommitted changes)" if git.get("dirty") else ""
    versions = ", ".join(f"{name} {version}" for name, version in manifest["packages"].items() if version)
    rows = "".join(
        f"<tr><td>{html.escape(item['path'])}</td><td>{html.escape(item['kind'])}</td>"
        f"<td><code>{item['sha256'][:16]}…</code></td></tr>"
        for item in manifest["inputs"]
    )
    body = (
        '<div class="reach-about">'
        f"<p>Made by reach {html.escape(manifest['reach_version'])}, code version {html.escape(commit)}"
        f"{state}, with Python {html.escape(manifest['python'])}.</p>"
        f"<p>Software: {html.escape(versions)}.</p>"
        f"<p>{len(manifest['inputs'])} input files were read. Each is listed with the start of its SHA-256 "
        "fingerprint; manifest.json beside this page has them in full, and <code>reach verify</code> re-checks "
        "them.</p>"
        "<details><summary>Input files and fingerprints</summary>"
        '<table class="reach-table"><caption>Input files read for this report</caption>'
        '<thead><tr><th scope="col">File</th><th scope="col">Kind</th><th scope="col">SHA-256 (start)</th></tr>'
        f"</thead><tbody>{rows}</tbody></table></details></div>"
    )
    output = nbformat.v4.new_output(
        "display_data", data={"text/html": body, "text/plain": "About this report"}
    )
    cell = nbformat.v4.new_code_cell("", outputs=[output])
    cell["id"] = "about-this-report"
    return cell


def render_html(notebook: nbformat.NotebookNode) -> str:
    """Render a notebook as one self-contained, offline-safe, accessible HTML page.

    Code, prompts and stderr are hidden; charts keep their alt text; the page loads nothing
    from the network; a contents list of the ``h2`` headings follows the ``h1``.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        An executed notebook.

    Returns
    -------
    str
        The HTML.

    Raises
    ------
    NotebookError
        If a chart has no alt text, or the page would fetch anything from the network.
    """
    from bs4 import BeautifulSoup
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    config = Config()
    config.TemplateExporter.exclude_input = True
    config.TemplateExporter.exclude_input_prompt = True
    config.TemplateExporter.exclude_output_prompt = True
    config.TemplateExporter.extra_template_basedirs = [str(TEMPLATE_DIR)]
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_cell_tags = {"remove_cell"}
    exporter = HTMLExporter(config=config, template_name="reach_report")
    body, _ = exporter.from_notebook_node(notebook)
    soup = BeautifulSoup(body, "html.parser")
    soup.html["lang"] = "en-GB"
    for link in soup.select("a.anchor-link"):
        link.decompose()
    heading = soup.find("h1")
    sections = [h for h in soup.find_all("h2") if h.get("id")]
    if heading is not None and sections:
        nav = soup.new_tag("nav", attrs={"class": "reach-contents", "aria-label": "Contents"})
        title = soup.new_tag("p")
        title.string = "Contents"
        nav.append(title)
        items = soup.new_tag("ul")
        for section in sections:
            item = soup.new_tag("li")
            link = soup.new_tag("a", href=f"#{section['id']}")
            link.string = section.get_text(" ", strip=True)
            item.append(link)
            items.append(item)
        nav.append(items)
        # After the SAMPLE banner when there is one, so it is the first thing a reader sees.
        banner = soup.select_one(".reach-banner")
        anchor = banner.find_parent(class_="jp-Cell") if banner is not None else None
        (anchor or heading).insert_after(nav)
    for image in soup.find_all("img"):
        alt = (image.get("alt") or "").strip()
        if not alt or PLACEHOLDER_ALT in alt:
            raise NotebookError(
                "a chart in the report has no alt text; give it one with reach.report.display.chart(...)"
            )
    for tag in soup.find_all(["script", "link", "iframe"]):
        if tag.get("src") or tag.get("href"):
            raise NotebookError(
                f"the report would load {tag.get('src') or tag.get('href')} from outside the page"
            )
    # Nothing on the page may reorder or hide text: bidi overrides and zero-width characters go.
    return strip_invisible(str(soup))
