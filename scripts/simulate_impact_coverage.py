"""Coverage of the impact intervals over re-drawn synthetic samples.

Each draw writes a fresh synthetic sample (``reach.sample.generate.write_sample`` with a new seed),
builds the processed tables exactly as ``reach run`` does (``reach.build.build``), runs
``reach.summary.impact.impact_summary`` and checks every planted truth in that draw's
``ground_truth.json`` against the interval reported for it:

- campaign counterfactuals: ``true_rel_effect_web_daily_views`` inside ``[rel_low, rel_high]``;
- web interrupted time series: the planted uplift (``planted_web_uplift``, the rate ratio the
  model estimates) inside the rate-ratio interval; the realised ratio
  ``1 + true_rel_effect_web_daily_views`` is also shown, for information (it adds the campaign
  days' own Poisson noise, which a rate-ratio interval is not meant to cover);
- partner indicator: the planted +5 percentage-point step, as a rate ratio at the step month,
  inside the ITS interval;
- out-takes: the month's planted true rates inside the Wilson intervals of the reporting month.

Run (about 10 s a draw per core; 200 draws on 2 cores take roughly 15–20 minutes)::

    .venv/bin/python scripts/simulate_impact_coverage.py --draws 200 --workers 2

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
from pathlib import Path

from reach import build
from reach import config as config_mod
from reach import store as store_mod
from reach.sample import generate
from reach.summary import impact as summary_impact

MONTH = "2026-10"


def partner_truth_rate_ratio(truth: dict) -> float:
    """The planted step as a rate ratio: (p + step) / p at the step month, p from the planted line.

    p is the denominator-weighted mean over districts of ``baseline_2024_01 + trend · k``, with k
    the months from January 2024 to the first month after the step; weights are each district's
    total denominator over the sample.
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


def one_draw(seed: int) -> dict:
    """Draw, build and summarise one synthetic sample; return truths and intervals."""
    base = Path(tempfile.mkdtemp(prefix=f"reach-coverage-{seed}-"))
    try:
        generate.write_sample(base / "sample", seed=seed, end_month=MONTH, months=24)
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
    counterfactual = {row["campaign"]: row for row in summary["counterfactual"]}
    its = {row["series"]: row for row in summary["its"]}
    for campaign in truth["campaigns"]:
        cid, true_rel = campaign["campaign_id"], campaign["true_rel_effect_web_daily_views"]
        row = counterfactual.get(cid)
        checks.append(
            {
                "estimate": f"counterfactual rel. effect, {cid}",
                "truth": true_rel,
                "low": None if row is None else row["rel_low"],
                "high": None if row is None else row["rel_high"],
                "point": None if row is None else row["rel_effect"],
            }
        )
        row = its.get(f"web_daily_views:{cid}")
        for label, value in (
            ("planted uplift", campaign["planted_web_uplift"]),
            ("realised ratio", 1 + true_rel),
        ):
            checks.append(
                {
                    "estimate": f"web ITS rate ratio vs {label}, {cid}",
                    "truth": value,
                    "low": None if row is None else row["low"],
                    "high": None if row is None else row["high"],
                    "point": None if row is None else row["rate_ratio"],
                }
            )
    partner = next((row for row in summary["its"] if row["series"].startswith("partner:")), None)
    checks.append(
        {
            "estimate": "partner indicator ITS rate ratio",
            "truth": partner_truth_rate_ratio(truth),
            "low": None if partner is None else partner["low"],
            "high": None if partner is None else partner["high"],
            "point": None if partner is None else partner["rate_ratio"],
        }
    )
    planted = truth["months"][MONTH]["feedback"]
    for measure, key in (
        ("helpful", "true_helpful_rate"),
        ("key_messages", "true_key_messages_rate"),
        ("intends_change", "true_intends_change_rate"),
    ):
        leaf = summary["outtakes"][measure]["overall"]
        checks.append(
            {
                "estimate": f"out-take {measure} (Wilson)",
                "truth": planted[key],
                "low": leaf["low"],
                "high": leaf["high"],
                "point": leaf["estimate"],
            }
        )
    return {"seed": seed, "checks": checks}


def report(draws: list[dict]) -> list[dict]:
    """Coverage per estimate: share of draws whose interval holds the truth."""
    names = [c["estimate"] for c in draws[0]["checks"]]
    rows = []
    for name in names:
        found = [c for d in draws for c in d["checks"] if c["estimate"] == name and c["low"] is not None]
        covered = sum(1 for c in found if c["low"] <= c["truth"] <= c["high"])
        errors = [c["point"] - c["truth"] for c in found if c["point"] is not None]
        widths = [c["high"] - c["low"] for c in found]
        rows.append(
            {
                "estimate": name,
                "draws": len(found),
                "coverage": covered / len(found) if found else math.nan,
                "mean_error": sum(errors) / len(errors) if errors else math.nan,
                "mean_width": sum(widths) / len(widths) if widths else math.nan,
                "too_low": sum(1 for c in found if c["high"] < c["truth"]),
                "too_high": sum(1 for c in found if c["low"] > c["truth"]),
            }
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    """Run the simulation and print the coverage table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--draws", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--first-seed", type=int, default=10_000)
    parser.add_argument("--json", type=Path, help="also write every draw's checks to this file")
    args = parser.parse_args(argv)
    seeds = list(range(args.first_seed, args.first_seed + args.draws))
    started = time.time()
    results, failed = [], []
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(max_workers=args.workers, mp_context=context) as pool:
        futures = {pool.submit(one_draw, seed): seed for seed in seeds}
        for done, future in enumerate(concurrent.futures.as_completed(futures), 1):
            try:
                results.append(future.result())
            except Exception as err:  # noqa: BLE001 - a failed draw is reported, not fatal
                failed.append((futures[future], repr(err)))
            if done % 10 == 0:
                print(
                    f"{done}/{len(seeds)} draws, {time.time() - started:.0f} s", file=sys.stderr, flush=True
                )
    results.sort(key=lambda r: r["seed"])
    if args.json:
        args.json.write_text(json.dumps({"draws": results, "failed": failed}, indent=1))
    print(
        f"{len(results)} draws (seeds {seeds[0]}–{seeds[-1]}), {len(failed)} failed, {time.time() - started:.0f} s"
    )
    print(
        f"{'estimate':60s} {'draws':>5s} {'coverage':>8s} {'mean err':>9s} {'mean width':>10s} "
        f"{'truth above':>11s} {'truth below':>11s}"
    )
    for row in report(results):
        print(
            f"{row['estimate']:60s} {row['draws']:5d} {row['coverage']:8.1%} {row['mean_error']:9.3f} "
            f"{row['mean_width']:10.3f} {row['too_low']:11d} {row['too_high']:11d}"
        )
    for seed, err in failed:
        print(f"seed {seed} failed: {err}")
    return 0 if not failed else 1


if __name__ == "__main__":
    raise SystemExit(main())
