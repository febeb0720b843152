"""``reach run --from YYYY-MM --to YYYY-MM``: render a range of months side by side.

Each month runs in its own process, as many at a time as the machine has cores, so one failed
month never stops the others and each keeps its own kernel, staging folder and log. A progress
bar (or one line per month when output is not a terminal) shows how far it got; the index is
rebuilt once at the end.

On Linux the command first reads every export of the range once, on every core, into the parse
cache the months share (``<processed root>/.cache``), and imports what a month's run needs
(pandas, statsmodels, papermill, nbconvert) while it does; each month is then a forked copy of
that process that runs exactly what ``reach run --month`` runs. Months run side by side would
otherwise each pay those imports (a third of a month's processor time), and the first ones would
parse the same history at the same time. Elsewhere (Windows, macOS) each month is a fresh
``reach run --month`` process.
"""

from __future__ import annotations

import concurrent.futures
import gc
import logging
import multiprocessing.connection
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from reach import build
from reach.config import load_config
from reach.ingest import read
from reach.ingest.limits import ReadLimits
from reach.report import render
from reach.run.paths import RunPaths


@dataclass(frozen=True)
class MonthOutcome:
    """How one month of a backfill ended."""

    month: str
    ok: bool
    seconds: float
    message: str


def outcome_of(month: str, status: int | None, seconds: float, stdout: str, stderr: str) -> MonthOutcome:
    r"""Turn one month's exit status and output into a :class:`MonthOutcome`.

    A failed month's message is the last ``reach: … error …`` line it wrote, the one line every
    reach failure ends with.

    Examples
    --------
    >>> outcome_of("2026-09", 1, 2.0, "", "reach: error: no exports for 2026-09\n").message
    'reach: error: no exports for 2026-09'
    >>> outcome_of("2026-09", -9, 2.0, "", "").message
    'killed by signal 9'
    """
    if status == 0:
        return MonthOutcome(month, True, seconds, stdout.strip())
    errors = [line for line in stderr.splitlines() if line.startswith("reach: ") and "error" in line]
    if errors:
        return MonthOutcome(month, False, seconds, errors[-1])
    if status is not None and status < 0:
        return MonthOutcome(month, False, seconds, f"killed by signal {-status}")
    return MonthOutcome(month, False, seconds, f"exit status {status}")


def _one_month(month: str, arguments: Sequence[str]) -> MonthOutcome:
    """Render one month in a fresh ``reach run --month`` process."""
    started = time.perf_counter()
    command = [sys.executable, "-m", "reach", "run", "--month", month, "--no-index", *arguments]
    result = subprocess.run(command, capture_output=True, text=True)
    return outcome_of(month, result.returncode, time.perf_counter() - started, result.stdout, result.stderr)


def can_fork() -> bool:
    """Whether months can be forked from this process.

    Only on Linux (Windows cannot fork; macOS system libraries are not safe to use after a fork),
    and only from a process running one thread (a thread holding a lock at the fork would leave
    the child waiting on it for ever, as in a Jupyter kernel).
    """
    return (
        sys.platform.startswith("linux")
        and "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
    )


def _import_run_stack() -> None:
    """Import what one month's run imports, so forked months start with it already loaded.

    Only imports (which have no side effects); a module missed here is simply imported by each
    month, as before.
    """
    import jupyter_client.blocking  # noqa: F401
    import jupyter_client.manager  # noqa: F401
    import jupyter_core.utils  # noqa: F401
    import nbformat  # noqa: F401
    import scipy.special  # noqa: F401
    import statsmodels.api  # noqa: F401
    import traitlets.config  # noqa: F401

    render._import_execution_stack()


def warm_parse_cache(last: str, arguments: Sequence[str], meanwhile: Callable[[], None] | None = None) -> int:
    """Parse every export up to ``last`` once, on every core, into the cache the months share.

    Months rendered side by side each read their whole history; with a cold cache the first
    ones would all parse the same files at the same time. Any problem here is left for the month
    that meets it to report, in its own words.

    Parameters
    ----------
    last : str
        The last month of the range.
    arguments : sequence of str
        The ``reach run`` options the months get.
    meanwhile : callable, optional
        Work for this process while the worker processes parse.

    Returns
    -------
    int
        How many files were read (0 if the warm-up was skipped or failed).
    """
    try:
        paths = RunPaths.from_arguments(arguments)
        raw, processed = paths.raw, paths.processed
        settings = load_config(paths.config)
        date_order = settings.get("forms_date_order")
        folders = sorted(
            path
            for path in raw.iterdir()
            if path.is_dir() and build.MONTH_FOLDER.match(path.name) and path.name <= last
        )
        files = [(folder.name, path) for folder in folders for path in read.find_exports(folder)]
        cache = processed / build.CACHE_FOLDER
        done = build.read_all(files, date_order, meanwhile, cache, ReadLimits.from_settings(settings))
        count = len(done)
        del done
        return count
    except Exception:  # noqa: BLE001 - every month re-reads its files and reports its own errors
        logging.getLogger(__name__).debug("parse-cache warm-up skipped", exc_info=True)
        if meanwhile is not None:
            meanwhile()
        return 0


def _render_forked(
    month: str, arguments: Sequence[str], stdout: Path, stderr: Path, entry: Callable[[Sequence[str]], int]
) -> None:
    """In a forked child: ``reach run --month`` with its output captured, as a subprocess's would be."""
    # Both the file descriptors (for the kernel and anything else that writes to them) and the
    # Python streams (which a host such as pytest or Jupyter may have pointed elsewhere).
    out = open(stdout, "w", encoding="utf-8", errors="replace", buffering=1)  # noqa: SIM115
    err = open(stderr, "w", encoding="utf-8", errors="replace", buffering=1)  # noqa: SIM115
    os.dup2(out.fileno(), 1)
    os.dup2(err.fileno(), 2)
    sys.stdout, sys.stderr = out, err
    logging.getLogger().handlers.clear()  # main() attaches its console handler, as in a new process

    sys.exit(entry(["run", "--month", month, "--no-index", *arguments]))


def _progress_bar(total: int):  # noqa: ANN202 - a tqdm bar
    from tqdm.auto import tqdm

    class Bar(tqdm):
        monitor_interval = 0  # no monitor thread: months are forked from this process

    return Bar(total=total, desc="months", unit="month", disable=None, file=sys.stderr)


def _show(bar, outcome: MonthOutcome, done: int, total: int) -> None:  # noqa: ANN001
    bar.update(1)
    if bar.disable:
        status = "ok" if outcome.ok else f"FAILED: {outcome.message}"
        print(f"reach: [{done}/{total}] {outcome.month} {status} ({outcome.seconds:.1f} s)",
              file=sys.stderr, flush=True)  # fmt: skip


def _run_forked(
    months: Sequence[str], arguments: Sequence[str], jobs: int, entry: Callable[[Sequence[str]], int]
) -> dict[str, MonthOutcome]:
    started = time.perf_counter()
    count = warm_parse_cache(months[-1], arguments, meanwhile=_import_run_stack)
    if count:
        print(f"reach: read {count} exports once for all months ({time.perf_counter() - started:.1f} s)",
              file=sys.stderr, flush=True)  # fmt: skip
    gc.collect()
    context = multiprocessing.get_context("fork")
    outcomes: dict[str, MonthOutcome] = {}
    with tempfile.TemporaryDirectory(prefix="reach-backfill-") as scratch:
        bar = _progress_bar(len(months))
        pending, running = list(months), {}
        try:
            while pending or running:
                while pending and len(running) < jobs:
                    month = pending.pop(0)
                    out, err = Path(scratch) / f"{month}.out", Path(scratch) / f"{month}.err"
                    process = context.Process(
                        target=_render_forked, args=(month, arguments, out, err, entry), name=f"reach-{month}"
                    )
                    process.start()
                    running[process.sentinel] = (month, process, time.perf_counter(), out, err)
                for sentinel in multiprocessing.connection.wait(list(running)):
                    month, process, begun, out, err = running.pop(sentinel)
                    process.join()
                    text = [p.read_text("utf-8", "replace") if p.is_file() else "" for p in (out, err)]
                    outcome = outcome_of(month, process.exitcode, time.perf_counter() - begun, *text)
                    outcomes[month] = outcome
                    _show(bar, outcome, len(outcomes), len(months))
        finally:
            # On Ctrl-C the months got it too: let them put their previous reports back first.
            for _, process, *_ in running.values():
                process.join()
            bar.close()
    return outcomes


def _run_subprocesses(
    months: Sequence[str],
    arguments: Sequence[str],
    jobs: int,
    entry: Callable[[Sequence[str]], int] | None = None,
) -> dict[str, MonthOutcome]:
    outcomes: dict[str, MonthOutcome] = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = {pool.submit(_one_month, month, arguments): month for month in months}
        bar = _progress_bar(len(months))
        for future in concurrent.futures.as_completed(futures):
            outcome = future.result()
            outcomes[outcome.month] = outcome
            _show(bar, outcome, len(outcomes), len(months))
        bar.close()
    return outcomes


def run_months(
    months: Sequence[str],
    arguments: Sequence[str],
    entry: Callable[[Sequence[str]], int],
    jobs: int | None = None,
) -> list[MonthOutcome]:
    """Render each month in its own process, ``jobs`` at a time.

    Parameters
    ----------
    months : sequence of str
        ISO months.
    arguments : sequence of str
        Further ``reach run`` options shared by every month (``--sample``, ``--raw DIR`` …).
    entry : callable
        The command line's ``main``: a forked month calls ``entry(["run", "--month", M, …])``, so
        it fails exactly as ``reach run --month M`` would (one line, its own exit status).
        Where months cannot be forked, each is a fresh ``python -m reach run`` process instead.
    jobs : int, optional
        Months at a time; default the number of cores.

    Returns
    -------
    list of MonthOutcome
        In month order.
    """
    jobs = max(1, jobs or os.cpu_count() or 1)
    if not months:
        return []
    run = _run_forked if can_fork() else _run_subprocesses
    outcomes = run(months, arguments, jobs, entry)
    return [outcomes[month] for month in months]
