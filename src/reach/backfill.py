"""``reach run --from YYYY-MM --to YYYY-MM``: render a range of months side by side.

Each month runs as its own ``reach run --month`` process, as many at a time as the machine has
cores, so one failed month never stops the others and each keeps its own kernel, staging folder
and log. A progress bar (or one line per month when output is not a terminal) shows how far it
got; the index is rebuilt once at the end.
"""

from __future__ import annotations

import concurrent.futures
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass

from reach.config import parse_month
from reach.exceptions import InputValidationError


@dataclass(frozen=True)
class MonthOutcome:
    """How one month of a backfill ended."""

    month: str
    ok: bool
    seconds: float
    message: str


def month_range(first: str, last: str) -> list[str]:
    """Every ISO month from ``first`` to ``last`` inclusive.

    Raises
    ------
    InputValidationError
        If ``last`` is before ``first``.

    Examples
    --------
    >>> month_range("2025-11", "2026-02")
    ['2025-11', '2025-12', '2026-01', '2026-02']
    """
    start, end = parse_month(first), parse_month(last)
    if end < start:
        raise InputValidationError(f"--to {last} is before --from {first}")
    months, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _one_month(month: str, arguments: Sequence[str]) -> MonthOutcome:
    started = time.perf_counter()
    command = [sys.executable, "-m", "reach", "run", "--month", month, "--no-index", *arguments]
    result = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode == 0:
        return MonthOutcome(month, True, seconds, result.stdout.strip())
    errors = [line for line in result.stderr.splitlines() if line.startswith("reach: ") and "error" in line]
    return MonthOutcome(month, False, seconds, errors[-1] if errors else f"exit status {result.returncode}")


def run_months(
    months: Sequence[str], arguments: Sequence[str], jobs: int | None = None
) -> list[MonthOutcome]:
    """Render each month in its own process, ``jobs`` at a time.

    Parameters
    ----------
    months : sequence of str
        ISO months.
    arguments : sequence of str
        Further ``reach run`` options shared by every month (``--sample``, ``--raw DIR`` …).
    jobs : int, optional
        Months at a time; default the number of cores.

    Returns
    -------
    list of MonthOutcome
        In month order.
    """
    from tqdm.auto import tqdm

    jobs = max(1, jobs or os.cpu_count() or 1)
    outcomes: dict[str, MonthOutcome] = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = {pool.submit(_one_month, month, arguments): month for month in months}
        bar = tqdm(total=len(months), desc="months", unit="month", disable=None, file=sys.stderr)
        for future in concurrent.futures.as_completed(futures):
            outcome = future.result()
            outcomes[outcome.month] = outcome
            bar.update(1)
            if bar.disable:
                status = "ok" if outcome.ok else f"FAILED: {outcome.message}"
                print(f"reach: [{len(outcomes)}/{len(months)}] {outcome.month} {status} ({outcome.seconds:.1f} s)",
                      file=sys.stderr, flush=True)  # fmt: skip
        bar.close()
    return [outcomes[month] for month in months]
