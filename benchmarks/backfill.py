"""Speed of the backfill, measured side by side in one run (issue 6: b/a >= 1.7 on 2 cores).

(a) `reach run --sample --from F --to L --jobs 2`: the backfill, months side by side;
(b) the same months one by one, as an analyst would do by hand: a loop of
    `reach run --sample --month M` processes.

Both render the last K months of the bundled sample (default 6; `--all` for all 24), each
measurement into its own fresh reports and processed folders (so neither finds the other's parse
cache). Each is timed by wall clock, repeated in interleaved rounds (the order alternates each
round); medians are compared. The machine's load average is printed with the results: other work
on a 2-core machine slows (a) more than (b).
Usage: python benchmarks/backfill.py [--months K | --all] [--rounds R] [--jobs N] [--dry-run]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = 1.7
MONTH_FOLDER = re.compile(r"^\d{4}-\d{2}$")


def sample_months() -> list[str]:
    """The months of the bundled sample, oldest first."""
    sys.path.insert(0, str(ROOT / "src"))
    from reach.config import sample_dir

    raw = sample_dir() / "raw"
    return sorted(p.name for p in raw.iterdir() if p.is_dir() and MONTH_FOLDER.match(p.name))


def backfill_command(months: Sequence[str], jobs: int, out: Path) -> list[str]:
    """(a): one `reach run --from --to` over ``months``."""
    return [
        sys.executable, "-m", "reach", "run", "--sample", "--from", months[0], "--to", months[-1],
        "--jobs", str(jobs), "--reports", str(out / "reports"), "--processed", str(out / "processed"),
    ]  # fmt: skip


def one_by_one_commands(months: Sequence[str], out: Path) -> list[list[str]]:
    """(b): one `reach run --month` per month, into the same folders, as by hand."""
    return [
        [sys.executable, "-m", "reach", "run", "--sample", "--month", month,
         "--reports", str(out / "reports"), "--processed", str(out / "processed")]
        for month in months
    ]  # fmt: skip


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def timed(commands: Sequence[Sequence[str]]) -> tuple[float, float]:
    """Run ``commands`` one after the other; wall seconds and CPU seconds of all their processes."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    for command in commands:
        result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        if result.returncode != 0:
            raise SystemExit(f"benchmark: {' '.join(command[2:])} failed:\n{result.stdout}{result.stderr}")
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def check_rendered(reports: Path, months: Sequence[str]) -> None:
    """Every month has its report.html and the index lists each month exactly once."""
    missing = [m for m in months if not (reports / m / "report.html").is_file()]
    if missing:
        raise SystemExit(f"benchmark: no report.html for {', '.join(missing)} in {reports}")
    index = (reports / "index.html").read_text(encoding="utf-8")
    for month in months:
        links = index.count(f'href="{month}/report.html"')
        if links != 1:
            raise SystemExit(f"benchmark: index.html links {month} {links} times, expected once")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--months", type=int, default=6, help="render the last K sample months (default 6)")
    group.add_argument(
        "--all", action="store_true", help="render all the sample's months (24; about 5 min a round)"
    )
    parser.add_argument(
        "--rounds", type=int, default=None, help="interleaved rounds (default 3; 1 with --all)"
    )
    parser.add_argument("--jobs", type=int, default=2, help="months at a time in (a) (default 2)")
    parser.add_argument("--dry-run", action="store_true", help="print the plan and the commands, run nothing")
    args = parser.parse_args(argv)
    if args.rounds is None:
        args.rounds = 1 if args.all else 3
    if args.rounds < 1 or args.jobs < 1 or args.months < 1:
        parser.error("--months, --rounds and --jobs must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    available = sample_months()
    if not args.all and args.months > len(available):
        raise SystemExit(
            f"benchmark: the sample has {len(available)} months; --months {args.months} is too many"
        )
    months = available if args.all else available[-args.months :]
    print(f"{len(months)} months {months[0]} to {months[-1]}, {args.rounds} round(s), --jobs {args.jobs}, "
          f"{os.cpu_count()} cores, load average {load()}", file=sys.stderr)  # fmt: skip
    work = Path(tempfile.mkdtemp(prefix="reach-bench-backfill-"))
    if args.dry_run:
        print("(a) " + " ".join(backfill_command(months, args.jobs, work / "a")))
        for command in one_by_one_commands(months, work / "b"):
            print("(b) " + " ".join(command))
        shutil.rmtree(work, ignore_errors=True)
        return 0

    wall: dict[str, list[float]] = {"a": [], "b": []}
    cpu: dict[str, list[float]] = {"a": [], "b": []}
    loads = [load()]
    try:
        for round_number in range(args.rounds):
            order = "ab" if round_number % 2 == 0 else "ba"
            for key in order:
                out = work / f"round{round_number}" / key
                commands = (
                    [backfill_command(months, args.jobs, out)]
                    if key == "a"
                    else one_by_one_commands(months, out)
                )
                seconds, cpu_seconds = timed(commands)
                check_rendered(out / "reports", months)
                wall[key].append(seconds)
                cpu[key].append(cpu_seconds)
                shutil.rmtree(out, ignore_errors=True)
            loads.append(load())
            print(
                f"round {round_number + 1} ({order}): a={wall['a'][-1]:.1f}s b={wall['b'][-1]:.1f}s "
                f"b/a={wall['b'][-1] / wall['a'][-1]:.2f}  load {loads[-1]}",
                file=sys.stderr,
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    a, b = statistics.median(wall["a"]), statistics.median(wall["b"])
    result = {
        "months": len(months),
        "first": months[0],
        "last": months[-1],
        "jobs": args.jobs,
        "rounds": args.rounds,
        "cores": os.cpu_count(),
        "a_backfill_jobs_s": round(a, 1),
        "b_one_by_one_s": round(b, 1),
        "a_cpu_s": round(statistics.median(cpu["a"]), 1),
        "b_cpu_s": round(statistics.median(cpu["b"]), 1),
        "a_per_month_s": round(a / len(months), 2),
        "b_per_month_s": round(b / len(months), 2),
        "speedup_b_over_a": round(b / a, 2),
        "speedup_median_of_rounds": round(
            statistics.median(y / x for x, y in zip(wall["a"], wall["b"], strict=True)), 2
        ),
        "target_speedup": TARGET,
        "load_average_1_5_15_before_each_round_and_after": loads,
    }
    print(json.dumps(result, indent=2))
    print(f"b/a = {b / a:.2f} (target >= {TARGET} on 2 cores)   a = {a:.1f} s, b = {b:.1f} s, "
          f"{len(months)} months; load average {loads[0]} -> {loads[-1]}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
