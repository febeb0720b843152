"""Coverage of the impact intervals over re-drawn synthetic samples, scenario by scenario.

Each draw writes a fresh synthetic sample (``reach.sample.generate.write_sample`` with a new seed,
24 months to 2026-10, in the scenario's world), builds the processed tables exactly as
``reach run`` does (``reach.build.build``), runs ``reach.summary.impact.impact_summary`` and
checks every planted truth in that draw's ``ground_truth.json`` against the interval reported
for it:

- campaign counterfactuals (``cf:<campaign>``): ``true_rel_effect_web_daily_views`` (the realised
  effect of the planted uplift on the campaign pages' tracked views) inside ``[rel_low, rel_high]``;
- web interrupted time series (``its:<campaign>``): the planted uplift (the rate ratio the
  model estimates) inside the rate-ratio interval;
- partner indicator (``partner``): the planted +5 percentage-point step, as a rate ratio at the
  month the step truly starts, inside the ITS interval;
- out-takes (``helpful``, ``key_messages``, ``intends``): the month's planted true rates inside
  the Wilson intervals of the reporting month.

A row with ``"kind": "bound"`` is checked as a bound, ``"kind": "not measured"`` counts as not
applicable; a cell shows the share of draws whose interval held the truth, marked ``(b)`` for a
bound. Scenarios are those of ``reach.sample.world.SCENARIOS`` (see
``scripts/simulate_reach_coverage.py``): ``base`` is the estimators' own model, then one scenario
per broken assumption, then ``default_world``, the bundled sample's mix.

Run (about 10 s a draw per core)::

    .venv/bin/python scripts/simulate_impact_coverage.py --draws 40 --workers 2
    .venv/bin/python scripts/simulate_impact_coverage.py --draws 40 --workers 2 --markdown

The target is at least 90 % coverage at the nominal 95 %.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import math
import multiprocessing
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from reach import build
from reach import config as config_mod
from reach import store as store_mod
from reach.sample import generate
from reach.sample.world import SCENARIOS, VIOLATIONS, WITHIN_MODEL
from reach.summary import impact as summary_impact

MONTH = "2026-10"

TARGET = 0.90

GROUPS = {
    "all": ("base", *VIOLATIONS, "default_world"),
    "violations": VIOLATIONS,
    "within": ("base", *WITHIN_MODEL),
    "everything": tuple(SCENARIOS),
}


def partner_truth_rate_ratio(truth: dict) -> float:
    """The planted step as a rate ratio: (p + step) / p at the month the step truly starts.

    p is the denominator-weighted mean over districts of ``baseline_2024_01 + trend · k``, with k
    the months from January 2024 to the step's first month; weights are each district's total
    denominator over the sample.
    """
    step = truth["partner_indicator_step"]
    first = step["first_month"]
    k = (int(first[:4]) - 2024) * 12 + int(first[5:7]) - 1
    weights: dict[str, float] = {}
    for month in truth["months"].values():
        for code, cell in month["partner_indicator"].items():
            weights[code] = weights.get(code, 0.0) + cell["denominator"]
    total = sum(weights.values())
    base = sum(
        weights[code] / total * (p0 + step["trend_pp_per_month"] / 100 * k)
        for code, p0 in step["baseline_proportion_2024_01"].items()
    )
    return (base + step["true_change_pp"] / 100) / base


def block_kind(block) -> str:
    """The kind a row declares: ``estimate`` (also when it says nothing), ``bound`` or ``not measured``."""
    if not isinstance(block, dict):
        return "not measured"
    kind = str(block.get("kind") or "estimate").strip().lower()
    return kind if kind in ("bound", "not measured") else "estimate"


def _check(figure: str, truth, row, low_key: str, high_key: str, point_key: str) -> dict:
    kind = block_kind(row)
    low = None if row is None else row.get(low_key)
    high = None if row is None else row.get(high_key)
    inside = None
    if truth is not None and kind != "not measured" and (low is not None or high is not None):
        inside = (low is None or low <= truth + 1e-12) and (high is None or truth <= high + 1e-12)
    return {
        "figure": figure,
        "kind": kind,
        "truth": truth,
        "low": low,
        "high": high,
        "point": None if row is None else row.get(point_key),
        "inside": inside,
    }


def one_draw(job: tuple[str, int]) -> dict:
    """Draw, build and summarise one synthetic sample in the scenario's world; return its checks."""
    scenario, seed = job
    world = SCENARIOS[scenario][1]
    base = Path(tempfile.mkdtemp(prefix=f"reach-coverage-{seed}-"))
    try:
        generate.write_sample(base / "sample", seed=seed, end_month=MONTH, months=24, world=world)
        settings = config_mod.load_config()
        build.build(
            MONTH, base / "sample" / "raw", base / "processed", base / "sample" / "reference", settings
        )
        tables = store_mod.load_processed(base / "processed" / MONTH)
        summary = summary_impact.impact_summary(tables, MONTH, settings)
        truth = json.loads((base / "sample" / "ground_truth.json").read_text())
    finally:
        shutil.rmtree(base, ignore_errors=True)
    checks = []
    counterfactual = {row["campaign"]: row for row in summary.get("counterfactual", [])}
    its = {row["series"]: row for row in summary.get("its", [])}
    for campaign in truth["campaigns"]:
        cid = campaign["campaign_id"]
        checks.append(
            _check(
                f"cf:{cid}",
                campaign["true_rel_effect_web_daily_views"],
                counterfactual.get(cid),
                "rel_low",
                "rel_high",
                "rel_effect",
            )
        )
        checks.append(
            _check(
                f"its:{cid}",
                campaign["planted_web_uplift"],
                its.get(f"web_daily_views:{cid}"),
                "low",
                "high",
                "rate_ratio",
            )
        )
    partner = next((row for row in summary.get("its", []) if row["series"].startswith("partner:")), None)
    checks.append(_check("partner", partner_truth_rate_ratio(truth), partner, "low", "high", "rate_ratio"))
    planted = truth["months"][MONTH]["feedback"]
    for measure, key, label in (
        ("helpful", "true_helpful_rate", "helpful"),
        ("key_messages", "true_key_messages_rate", "key_messages"),
        ("intends_change", "true_intends_change_rate", "intends"),
    ):
        leaf = summary["outtakes"][measure]["overall"]
        checks.append(_check(label, planted[key], leaf, "low", "high", "estimate"))
    return {"scenario": scenario, "seed": seed, "checks": checks}


def report(draws: list[dict], scenario: str) -> list[dict]:
    """Coverage per figure in one scenario: share of draws whose interval holds the truth."""
    mine = [d for d in draws if d["scenario"] == scenario]
    names = list(dict.fromkeys(c["figure"] for d in mine for c in d["checks"]))
    rows = []
    for name in names:
        found = [c for d in mine for c in d["checks"] if c["figure"] == name]
        checked = [c for c in found if c["inside"] is not None]
        kinds = Counter(c["kind"] for c in found)
        kind = kinds.most_common(1)[0][0] if kinds else "not measured"
        errors = [c["point"] - c["truth"] for c in checked if c["point"] is not None]
        widths = [c["high"] - c["low"] for c in checked if c["low"] is not None and c["high"] is not None]
        rows.append(
            {
                "scenario": scenario,
                "figure": name,
                "kind": kind if len(kinds) == 1 else "mixed",
                "draws": len(checked),
                "total": len(mine),
                "coverage": sum(1 for c in checked if c["inside"]) / len(checked) if checked else math.nan,
                "mean_error": sum(errors) / len(errors) if errors else math.nan,
                "mean_width": sum(widths) / len(widths) if widths else math.nan,
                "too_low": sum(1 for c in checked if c["high"] is not None and c["high"] < c["truth"]),
                "too_high": sum(1 for c in checked if c["low"] is not None and c["low"] > c["truth"]),
            }
        )
    return rows


def cell(row: dict) -> str:
    """A table cell: the coverage, marked (b) for a bound, n/a when nothing was measured.

    When the figure was shown in fewer draws than the scenario had (withheld by the NHS rule, or
    not estimable), the number of draws checked follows in brackets.
    """
    if math.isnan(row["coverage"]):
        return "n/a"
    text = f"{100 * row['coverage']:.0f}%"
    text += " (b)" if row["kind"] == "bound" else " (m)" if row["kind"] == "mixed" else ""
    return text + (f" ({row['draws']}/{row['total']})" if row["draws"] < row["total"] else "")


def print_tables(rows: list[dict], names: list[str], markdown: bool) -> None:
    """The scenario × figure coverage table (plain or Markdown), then the errors per figure."""
    figures = list(dict.fromkeys(r["figure"] for r in rows))
    by = {(r["scenario"], r["figure"]): r for r in rows}
    if markdown:
        print("| scenario | what it breaks | " + " | ".join(figures) + " |")
        print("|---|---|" + "---|" * len(figures))
        for s in names:
            cells = []
            for f in figures:
                r = by.get((s, f))
                text = cell(r) if r else "n/a"
                cells.append(
                    f"**{text}**" if r and not math.isnan(r["coverage"]) and r["coverage"] < TARGET else text
                )
            print(f"| {s} | {SCENARIOS[s][0]} | " + " | ".join(cells) + " |")
        return
    width = max(len(s) for s in names)
    print(f"{'scenario':{width}s} " + " ".join(f"{f[:18]:>18s}" for f in figures))
    for s in names:
        print(
            f"{s:{width}s} "
            + " ".join(f"{cell(by[(s, f)]) if (s, f) in by else 'n/a':>18s}" for f in figures)
        )
    print(f"\n{'scenario':{width}s} {'figure':22s} {'draws':>5s} {'coverage':>8s} {'mean err':>9s} {'width':>7s} "
          f"{'truth above':>11s} {'truth below':>11s}")  # fmt: skip
    for r in rows:
        print(
            f"{r['scenario']:{width}s} {r['figure']:22s} {r['draws']:5d} {r['coverage']:8.1%} "
            f"{r['mean_error']:9.3f} {r['mean_width']:7.3f} {r['too_low']:11d} {r['too_high']:11d}"
        )


def main(argv: list[str] | None = None) -> int:
    """Run the simulation and print the scenario × figure coverage table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--draws", type=int, default=40, help="re-draws per scenario (default 40)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--first-seed", type=int, default=10_000)
    parser.add_argument(
        "--scenarios",
        default="all",
        help="comma-separated scenario names or groups: all (base, the violations, default_world), "
        "violations, within, everything; default all",
    )
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument("--json", type=Path, help="also write every draw's checks to this file")
    parser.add_argument(
        "--table-from", type=Path, help="print the tables from a file written by --json; draw nothing"
    )
    args = parser.parse_args(argv)
    if args.table_from:
        results = json.loads(args.table_from.read_text())["draws"]
        names = list(dict.fromkeys(r["scenario"] for r in results))
        print_tables([r for s in names for r in report(results, s)], names, args.markdown)
        return 0
    names: list[str] = []
    for part in (s.strip() for s in args.scenarios.split(",") if s.strip()):
        names.extend(GROUPS.get(part, (part,)))
    names = list(dict.fromkeys(names))
    unknown = [n for n in names if n not in SCENARIOS]
    if unknown:
        parser.error(f"unknown scenario(s): {', '.join(unknown)} (known: {', '.join(SCENARIOS)})")
    seeds = list(range(args.first_seed, args.first_seed + args.draws))
    jobs = [(name, seed) for name in names for seed in seeds]
    started = time.time()
    results, failed = [], []
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(max_workers=args.workers, mp_context=context) as pool:
        futures = {pool.submit(one_draw, job): job for job in jobs}
        for done, future in enumerate(concurrent.futures.as_completed(futures), 1):
            try:
                results.append(future.result())
            except Exception as err:  # noqa: BLE001 - a failed draw is reported, not fatal
                failed.append((futures[future], repr(err)))
            if done % 10 == 0:
                print(f"{done}/{len(jobs)} draws, {time.time() - started:.0f} s", file=sys.stderr, flush=True)
    elapsed = time.time() - started
    results.sort(key=lambda r: (names.index(r["scenario"]), r["seed"]))
    if args.json:
        args.json.write_text(json.dumps({"draws": results, "failed": failed}, indent=1))
    print(
        f"{len(results)} draws (seeds {seeds[0]}–{seeds[-1]} per scenario), {len(failed)} failed, {elapsed:.0f} s "
        f"on {args.workers} workers ({elapsed * args.workers / max(1, len(jobs)):.1f} s per draw per worker); "
        f"nominal 95%, target >= {TARGET:.0%}; (b) = bound, n/a = not measured\n"
    )
    rows = [r for s in names for r in report(results, s)]
    if rows:
        print_tables(rows, [s for s in names if any(r["scenario"] == s for r in rows)], args.markdown)
    for job, err in failed[:10]:
        print(f"draw {job} failed: {err}")
    return 0 if not failed else 1


if __name__ == "__main__":
    raise SystemExit(main())
