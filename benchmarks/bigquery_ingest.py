"""Speed and memory of the GA4 BigQuery ingest, measured side by side in one run (issue 3: ratio <= 2.0).

(i)   ours: ``reach.ingest.bigquery.parse_bigquery`` - the file to the page/day, city/day and campaign/day tables;
(ii)  floor 1: bare ``pyarrow.json.read_json`` of the file (every column, into an Arrow table);
(iii) floor 2: DuckDB ``select count(distinct user_pseudo_id) from read_json(...)`` (default settings);
(iv)  for information only, not a floor: "decode only", the first step of ours alone - DuckDB reading
      the same columns and picking the same ``event_params`` out of each event, counted but not
      stored or aggregated. It shows how much of ours is the irreducible decoding of the nested
      ``event_params`` list (about six parameters an event), which floor 2 never touches.

Each measurement is a fresh Python process (interpreter start and imports included, as a user
runs it), started by a small wrapper process that reads the child's peak RSS from
``resource.getrusage(RUSAGE_CHILDREN)`` - the ``/usr/bin/time -v`` "Maximum resident set size".
Rounds are interleaved (i, ii, iii, i, ii, iii, ...) and medians are reported, with the ratio of ours
to the faster floor (target <= 2.0) and our peak RSS (target <= 1 GB).

Usage::

    python benchmarks/bigquery_ingest.py [--file events.json] [--events 1000000] [--rounds 3] [--keep]

Without ``--file`` a 1,000,000-event NDJSON export (seed 2026, about 1 GB) is generated once into a
temporary folder (removed afterwards unless ``--keep``).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

INFO = "decode only (information)"

# Each task prints "<distinct users or -> <rows or -> <seconds of the work alone, imports excluded>".
TASKS: dict[str, str] = {
    "ours (parse_bigquery)": (
        "import sys, time\n"
        "import duckdb\n"
        "from reach.ingest.bigquery import parse_bigquery\n"
        "t = time.perf_counter()\n"
        "e = parse_bigquery(sys.argv[1])\n"
        "print(e.meta['distinct_users'], e.meta['events'], time.perf_counter() - t)\n"
    ),
    "floor 1 (pyarrow.json.read_json)": (
        "import sys, time\n"
        "import pyarrow.json as pj\n"
        "t = time.perf_counter()\n"
        "tb = pj.read_json(sys.argv[1])\n"
        "print('-', tb.num_rows, time.perf_counter() - t)\n"
    ),
    "floor 2 (DuckDB count distinct)": (
        "import sys, time\n"
        "import duckdb\n"
        "t = time.perf_counter()\n"
        "con = duckdb.connect()\n"
        'path = sys.argv[1].replace("\'", "\'\'")\n'
        "n = con.execute(f\"select count(distinct user_pseudo_id) from read_json('{path}')\").fetchone()[0]\n"
        "print(n, '-', time.perf_counter() - t)\n"
    ),
    INFO: (
        "import sys, tempfile, time\n"
        "from pathlib import Path\n"
        "import duckdb\n"
        "from reach.ingest import bigquery as bq\n"
        "t = time.perf_counter()\n"
        "spill = tempfile.TemporaryDirectory()\n"
        "con = bq._connect(spill.name)\n"
        "sql = bq._events_select(bq._source_sql(con, Path(sys.argv[1]), 'ndjson'))\n"
        "n = con.execute('select count(*), count(uid), count(loc), count(eng), count(sid), count(source), '\n"
        "                'count(medium), count(campaign), count(city) from (' + sql + ')').fetchone()[0]\n"
        "print('-', n, time.perf_counter() - t)\n"
    ),
}


def _load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "n/a"


def measure_child(code: str, file: str) -> None:
    """Wrapper mode: run one task in a child process; print its wall/CPU seconds and peak RSS as JSON."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code, file], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # the task is this wrapper's only child
    if proc.returncode != 0:
        raise SystemExit(f"task failed:\n{proc.stderr}")
    # each task prints three words last; DuckDB's default progress bar (floor 2 runs with default
    # settings) may print before them on a slow run
    out = proc.stdout.split()[-3:]
    result = {
        "seconds": seconds,
        "cpu": usage.ru_utime + usage.ru_stime,
        "peak_mb": usage.ru_maxrss / 1024,  # Linux reports kilobytes
        "call": float(out[-1]),
        "count": out[0],
    }
    print(json.dumps(result))


def measure(name: str, file: str) -> dict:
    """Start a wrapper process for one task; the wrapper's only child is the task."""
    out = subprocess.run(
        [sys.executable, __file__, "--_measure", name, "--file", file],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", help="an existing GA4 BigQuery NDJSON export to use")
    parser.add_argument("--events", type=int, default=1_000_000, help="events to generate without --file")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the generated file")
    parser.add_argument("--_measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args._measure:
        measure_child(TASKS[args._measure], args.file)
        return

    work = None
    if args.file:
        file = Path(args.file)
    else:
        sys.path.insert(0, str(ROOT / "src"))
        from reach.sample.bigquery import write_bigquery_events

        work = Path(tempfile.mkdtemp(prefix="reach-bq-bench-"))
        file = work / "events_202610.json"
        t = time.perf_counter()
        truth = write_bigquery_events(file, events=args.events)
        print(
            f"generated {truth['events']:,} events, {truth['bytes'] / 1e9:.2f} GB, "
            f"{truth['distinct_users']:,} users in {time.perf_counter() - t:.1f} s -> {file}"
        )
    size = file.stat().st_size
    print(f"file: {file} ({size / 1e9:.2f} GB); {args.rounds} interleaved rounds, a fresh process each")
    print(f"machine: {os.cpu_count()} CPUs; load average at start {_load()}")
    results: dict[str, list[dict]] = {name: [] for name in TASKS}
    try:
        for r in range(args.rounds):
            for name in TASKS:
                m = measure(name, str(file))
                results[name].append(m)
                print(
                    f"  round {r + 1}: {name:34s} wall {m['seconds']:6.2f} s (call {m['call']:5.2f} s, "
                    f"CPU {m['cpu']:5.2f} s)  peak RSS {m['peak_mb']:5.0f} MB"
                )
    finally:
        if work is not None and not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(
        f"load average at end {_load()} (other work on the machine inflates wall times; CPU time is steadier)"
    )

    keys = ("seconds", "call", "cpu", "peak_mb")
    med = {name: {k: statistics.median(m[k] for m in ms) for k in keys} for name, ms in results.items()}
    print(
        "\nmedians - wall: the whole fresh process (interpreter start, imports, work); call: the work alone, "
        "timed inside it after the imports; CPU: user+sys of the process; peak RSS of the process"
    )
    print(f"  {'':34s} {'wall':>8s} {'call':>8s} {'CPU':>8s} {'peak RSS':>9s}")
    for name, v in med.items():
        print(f"  {name:34s} {v['seconds']:7.2f}s {v['call']:7.2f}s {v['cpu']:7.2f}s {v['peak_mb']:6.0f} MB")
    ours = next(iter(TASKS))
    floors = {n: v for n, v in med.items() if n.startswith("floor")}
    faster = min(floors, key=lambda n: floors[n]["seconds"])
    ratio = {k: med[ours][k] / floors[faster][k] for k in ("seconds", "call", "cpu")}
    verdict = "met" if ratio["seconds"] <= 2.0 else "NOT met"
    print(
        f"\nratio ours / faster floor ({faster}): wall {ratio['seconds']:.2f}, call {ratio['call']:.2f}, "
        f"CPU {ratio['cpu']:.2f}  (target <= 2.0 on wall: {verdict})"
    )
    decode = med[INFO]
    print(
        f"decode only / faster floor: wall {decode['seconds'] / floors[faster]['seconds']:.2f}, "
        f"call {decode['call'] / floors[faster]['call']:.2f}, CPU {decode['cpu'] / floors[faster]['cpu']:.2f} "
        "(the part of ours no aggregation can avoid)"
    )
    rss = med[ours]["peak_mb"]
    print(f"our peak RSS: {rss:.0f} MB  (target <= 1024 MB: {'met' if rss <= 1024 else 'NOT met'})")
    users_ours = results[ours][0]["count"]
    users_duck = results["floor 2 (DuckDB count distinct)"][0]["count"]
    same = "equal" if users_ours == users_duck else "DIFFERENT"
    print(f"distinct users: ours {users_ours}, DuckDB floor {users_duck} ({same})")


if __name__ == "__main__":
    main()
