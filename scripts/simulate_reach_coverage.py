"""Interval coverage of the reach figures over re-drawn synthetic samples, scenario by scenario.

Each draw generates a fresh synthetic sample with :func:`reach.sample.generate.generate_sample`
in the scenario's world (a new seed, ``--months`` months ending at a reporting month picked from
``--end-months`` in turn, so the planted consent rate, the season, campaigns and the YouTube
column set vary), writes it to a temporary folder, builds the processed tables with
:func:`reach.build.build` exactly as ``reach run`` does, computes
:func:`reach.summary.reach.reach_summary` for the last month and checks whether each true value in
``ground_truth.json`` (counted from the simulated people, never from an estimator) lies inside the
reported ``[low, high]``:

* ``web``, ``video``, ``social``, ``combined``: distinct people (all groups) per channel and overall;
* ``norfolk_share``: share of web-reached people living in Norfolk;
* ``coverage``: share of the month's families with a newborn reached by any safer-sleep asset,
  leaflet included (``coverage_any_asset``; ``--coverage-estimand online`` checks the older
  estimand, reached by an online channel);
* ``district_reach`` / ``district_coverage``: the same per district (pooled over the 7 districts).

Each figure is checked as its summary block declares it: a block with ``"kind": "bound"`` is
checked as a bound (does it contain the truth?), ``"kind": "not measured"`` counts as not
applicable, anything else (or no ``kind``) as an estimate. A cell shows the share of draws whose
interval held the truth, marked ``(b)`` when the figure was a bound.

Scenarios (``reach.sample.world.SCENARIOS``): ``base`` is the estimators' own model; each
violation breaks one assumption (exposure-dependent survey response, channel-specific
recruitment, recall error in "where did you see", "parents" who are not families with a newborn,
spill-over onto control pages, autocorrelated and bursty traffic, a mistimed partner step,
people on several devices, consent that differs by district, consent below the configured range,
error in the new-birth-visit recall); ``default_world`` is the bundled sample's mix; the
``within`` scenarios vary the world inside the model.

Run (about 2 s per draw per core)::

    .venv/bin/python scripts/simulate_reach_coverage.py --draws 40 --workers 2
    .venv/bin/python scripts/simulate_reach_coverage.py --draws 40 --workers 2 --markdown
    .venv/bin/python scripts/simulate_reach_coverage.py --draws 60 --scenarios within --workers 2
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import pandas as pd

from reach import build
from reach import config as config_mod
from reach import store as store_mod
from reach.sample import generate
from reach.sample.world import SCENARIOS, VIOLATIONS, WITHIN_MODEL
from reach.summary import reach as reach_summary_mod

ROOT = Path(__file__).resolve().parents[1]

DEFAULT_END_MONTHS = ("2026-10", "2026-03", "2025-12", "2025-09", "2025-06", "2025-02", "2024-11")

FIGURES = (
    "web",
    "video",
    "social",
    "combined",
    "norfolk_share",
    "coverage",
    "district_reach",
    "district_coverage",
)

#: Scenario groups accepted by ``--scenarios``.
GROUPS = {
    "all": ("base", *VIOLATIONS, "default_world"),
    "violations": VIOLATIONS,
    "within": ("base", *WITHIN_MODEL),
    "everything": tuple(SCENARIOS),
}

TARGET = 0.90


def block_kind(block) -> str:
    """The kind a summary block declares: ``estimate`` (also when it says nothing), ``bound`` or ``not measured``."""
    if not isinstance(block, dict):
        return "not measured"
    kind = str(block.get("kind") or "estimate").strip().lower()
    return kind if kind in ("bound", "not measured") else "estimate"


def inside(value, block) -> bool | None:
    """Whether ``value`` lies in the block's ``[low, high]`` (None: not applicable)."""
    if value is None or block_kind(block) == "not measured":
        return None
    low, high = block.get("low"), block.get("high")
    if low is None and high is None:
        return None
    return (low is None or low <= value + 1e-9) and (high is None or value <= high + 1e-9)


def one_draw(job: tuple[str, int, str, int, str]) -> list[dict]:
    """Generate, build and check one synthetic sample; returns one record per figure checked."""
    scenario, seed, end_month, months, estimand = job
    world = SCENARIOS[scenario][1]
    files = generate.generate_sample(seed=seed, end_month=end_month, months=months, world=world)
    truth = json.loads(files["ground_truth.json"])["months"][end_month]
    lookup = pd.read_csv(ROOT / "config" / "town_districts.csv")
    with tempfile.TemporaryDirectory(prefix="reach-sim-") as tmp:
        base = Path(tmp)
        for rel, data in files.items():
            path = base / "sample" / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        settings = config_mod.load_config(ROOT / "config" / "reach.yaml")
        build.build(
            end_month, base / "sample" / "raw", base / "processed", base / "sample" / "reference", settings
        )
        tables = store_mod.load_processed(base / "processed" / end_month)
        summary = reach_summary_mod.reach_summary(tables, end_month, settings, town_districts=lookup)
    out = []

    def add(figure, true_value, block):
        block = block if isinstance(block, dict) else None
        out.append(
            {
                "scenario": scenario,
                "seed": seed,
                "month": end_month,
                "figure": figure,
                "kind": block_kind(block),
                "truth": true_value,
                "low": (block or {}).get("low"),
                "high": (block or {}).get("high"),
                "estimate": (block or {}).get("estimate"),
                "inside": inside(true_value, block),
            }
        )

    for channel in ("web", "video", "social"):
        add(channel, truth["reach"][channel], summary["channels"].get(channel))
    add("combined", truth["reach"]["combined"], summary.get("combined"))
    add("norfolk_share", truth["norfolk_share_web"], summary.get("norfolk_share"))
    if estimand == "online":
        add("coverage", truth["coverage_online"], summary.get("coverage"))
    else:
        add("coverage", truth["coverage_any_asset"]["county"], summary.get("coverage"))
    for d in summary.get("by_district", []):
        t = truth["by_district"].get(d["code"])
        if not t:
            continue
        families = t["families_reached"] if estimand == "online" else t["families_reached_any_asset"]
        add("district_reach", families, d.get("reach"))
        add("district_coverage", families / t["births"] if t["births"] else None, d.get("coverage"))
    return out


def coverage_table(frame: pd.DataFrame, figures=FIGURES) -> pd.DataFrame:
    """Scenario × figure: share of checks whose interval held the truth, the kind, and the count."""
    rows = []
    for scenario in dict.fromkeys(frame["scenario"]):
        for figure in figures:
            sub = frame[(frame["scenario"] == scenario) & (frame["figure"] == figure)]
            checked = sub[sub["inside"].notna()]
            kinds = Counter(sub["kind"])
            kind = kinds.most_common(1)[0][0] if kinds else "not measured"
            if len(kinds) > 1 and kinds[kind] < len(sub):
                kind = "mixed: " + ", ".join(f"{k} {v}" for k, v in kinds.most_common())
            rows.append(
                {
                    "scenario": scenario,
                    "figure": figure,
                    "kind": kind,
                    "checks": len(checked),
                    "coverage": float(checked["inside"].astype(bool).mean()) if len(checked) else None,
                }
            )
    return pd.DataFrame(rows)


def cell(row) -> str:
    """A table cell: the coverage, marked (b) for a bound, n/a when nothing was measured."""
    if row["coverage"] is None or pd.isna(row["coverage"]):
        return "n/a"
    text = f"{100 * row['coverage']:.0f}%"
    if row["kind"] == "bound":
        text += " (b)"
    elif str(row["kind"]).startswith("mixed"):
        text += " (m)"
    return text


def print_table(table: pd.DataFrame, figures=FIGURES, markdown: bool = False) -> None:
    """Print the scenario × figure table, plain or as Markdown (for docs/methodology.md)."""
    wide = table.assign(cell=table.apply(cell, axis=1)).pivot(
        index="scenario", columns="figure", values="cell"
    )
    wide = wide.reindex(index=list(dict.fromkeys(table["scenario"])), columns=list(figures))
    if markdown:
        print("| scenario | what it breaks | " + " | ".join(figures) + " |")
        print("|---|---|" + "---|" * len(figures))
        for scenario, row in wide.iterrows():
            cells = [f"**{c}**" if _below(c) else c for c in row]
            print(f"| {scenario} | {SCENARIOS[scenario][0]} | " + " | ".join(cells) + " |")
        return
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(wide.to_string())


def _below(text: str) -> bool:
    """Whether a cell's coverage is below the target (bold in Markdown)."""
    return "%" in text and float(text.split("%")[0]) < 100 * TARGET


def scenario_names(spec: str, parser: argparse.ArgumentParser) -> list[str]:
    """Scenario names from ``--scenarios``: group names and scenario names, comma-separated."""
    names: list[str] = []
    for part in (s.strip() for s in spec.split(",") if s.strip()):
        names.extend(GROUPS.get(part, (part,)))
    unknown = [n for n in names if n not in SCENARIOS]
    if unknown:
        known = f"known: {', '.join(SCENARIOS)}; groups: {', '.join(GROUPS)}"
        parser.error(f"unknown scenario(s): {', '.join(unknown)} ({known})")
    return list(dict.fromkeys(names))


def main(argv: list[str] | None = None) -> int:
    """Run the simulation and print the scenario × figure coverage table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--draws", type=int, default=40, help="re-draws per scenario (default 40)")
    parser.add_argument("--months", type=int, default=3, help="months per synthetic sample (default 3)")
    parser.add_argument("--workers", type=int, default=2, help="processes (default 2)")
    parser.add_argument("--seed0", type=int, default=100_000, help="first seed (default 100000)")
    parser.add_argument(
        "--scenarios",
        default="all",
        help="comma-separated scenario names or groups: all (base, the violations, default_world), "
        "violations, within, everything; default all",
    )
    parser.add_argument(
        "--end-months",
        default=",".join(DEFAULT_END_MONTHS),
        help="reporting months used in turn (default: %(default)s)",
    )
    parser.add_argument(
        "--coverage-estimand",
        choices=("any_asset", "online"),
        default="any_asset",
        help="truth the coverage figures are checked against (default any_asset: reached by any asset)",
    )
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument("--out", type=Path, help="write every check to this CSV")
    parser.add_argument(
        "--table-from", type=Path, help="print the table from a CSV written by --out; draw nothing"
    )
    args = parser.parse_args(argv)
    if args.table_from:
        frame = pd.read_csv(args.table_from)
        frame["inside"] = frame["inside"].map({True: True, False: False, "True": True, "False": False})
        print_table(coverage_table(frame), markdown=args.markdown)
        return 0
    names = scenario_names(args.scenarios, parser)
    ends = [m.strip() for m in args.end_months.split(",") if m.strip()]
    jobs = [
        (name, args.seed0 + i, ends[i % len(ends)], args.months, args.coverage_estimand)
        for name in names
        for i in range(args.draws)
    ]
    started = time.time()
    records: list[dict] = []
    failed: list[tuple] = []
    with concurrent.futures.ProcessPoolExecutor(max_workers=args.workers) as pool:
        futures = {pool.submit(one_draw, job): job for job in jobs}
        for k, future in enumerate(concurrent.futures.as_completed(futures), start=1):
            try:
                records.extend(future.result())
            except Exception as err:  # noqa: BLE001 - a failed draw is reported, not fatal
                failed.append((futures[future][:2], repr(err)))
            if k % 25 == 0:
                print(f"  {k}/{len(jobs)} draws ({time.time() - started:.0f} s)", file=sys.stderr, flush=True)
    elapsed = time.time() - started
    if not records:
        print(f"every draw failed; first error: {failed[0] if failed else 'none'}")
        return 1
    frame = pd.DataFrame(records)
    order = {name: i for i, name in enumerate(names)}
    frame = frame.sort_values(["scenario", "seed"], key=lambda s: s.map(order) if s.name == "scenario" else s)
    if args.out:
        frame.to_csv(args.out, index=False)
    table = coverage_table(frame)
    print(
        f"\n{len(jobs) - len(failed)} draws of {args.months} months ({len(failed)} failed) in {elapsed:.0f} s "
        f"on {args.workers} workers ({elapsed * args.workers / max(1, len(jobs)):.1f} s per draw per worker); "
        f"nominal 95%, target >= {TARGET:.0%}; (b) = the figure is a bound, n/a = not measured; "
        f"coverage truth: {args.coverage_estimand}\n"
    )
    print_table(table, markdown=args.markdown)
    below = table[table["coverage"].notna() & (table["coverage"] < TARGET)]
    if len(below) and not args.markdown:
        print("\nbelow target:")
        for row in below.itertuples(index=False):
            print(
                f"  {row.scenario:30s} {row.figure:18s} {row.coverage:6.1%} ({row.kind}, {row.checks} checks)"
            )
    misses = frame[frame["inside"].eq(False)]
    if len(misses) and not args.markdown:
        print("\nexamples of misses:")
        cols = ["scenario", "seed", "month", "figure", "kind", "truth", "low", "high"]
        print(misses[cols].groupby(["scenario", "figure"]).head(1).head(20).to_string(index=False))
    for job, err in failed[:10]:
        print(f"draw {job} failed: {err}")
    return 0 if not failed else 1


if __name__ == "__main__":
    sys.exit(main())
