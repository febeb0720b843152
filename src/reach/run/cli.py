"""Command line: ``reach run | check | sample | inspect | verify | init | quotes`` (also ``python -m reach``).

Every failure a user can cause ends with one line on stderr that names the problem and the fix,
and a non-zero exit; ``--debug`` adds the traceback.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from reach.config import load_config, project_root, setting
from reach.core.months import month_range, parse_month
from reach.errors import ReachError
from reach.ingest.inspect import inspect_exports
from reach.ingest.limits import ReadLimits
from reach.report.index import write_index
from reach.run import batch
from reach.run import period as period_run
from reach.run.backfill import run_months
from reach.run.check import check_month, describe_uses, readiness_lines
from reach.run.faults import describe_os_error, writing
from reach.run.init import next_steps, write_starter
from reach.run.paths import RunPaths
from reach.run.quotes import candidate_lines, month_candidates
from reach.run.verify import verify
from reach.sample.bigquery import write_bigquery_events
from reach.sample.generate import SAMPLE_MONTH, write_sample

logger = logging.getLogger("reach")


EXIT_ERROR = 1


EXIT_INTERRUPTED = 130


WAIT_HELP = (
    "when another reach process is running or verifying the same month, wait up to SECONDS for it "
    "(default: stop at once, saying who holds the month)"
)


def _month(value: str) -> str:
    """Check a month at the boundary, before any work starts."""
    try:
        parse_month(value)
    except ReachError as err:
        raise argparse.ArgumentTypeError(str(err)) from None
    return value


def _event_count(value: str) -> int:
    """A number of events: a whole number, zero or more."""
    try:
        count = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number of events, got {value!r}") from None
    if count < 0:
        raise argparse.ArgumentTypeError(f"the number of events must be zero or more, got {count}")
    return count


class _OneLineParser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line, like every other reach error."""

    def error(self, message: str) -> None:  # noqa: D102 - argparse hook
        self.exit(2, f"reach: error: {message} (see `{self.prog} --help`)\n")


def _parser() -> argparse.ArgumentParser:
    parser = _OneLineParser(
        prog="reach",
        description="Monthly reach and impact of safer-sleep communications, from the exports analysts download.",
    )
    parser.add_argument("--debug", action="store_true", help="show the full traceback on errors")
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=_OneLineParser
    )

    run = commands.add_parser("run", help="build the processed tables and render the report for a month")
    run.add_argument("--month", type=_month, help="reporting month, YYYY-MM (exports in <raw>/YYYY-MM/)")
    run.add_argument(
        "--sample", action="store_true", help="use the bundled synthetic sample (default: its latest month)"
    )
    run.add_argument("--from", dest="first", type=_month, help="first month of a range to render (with --to)")
    run.add_argument("--to", dest="last", type=_month, help="last month of a range to render (with --from)")
    run.add_argument("--quarter", help="render a calendar quarter, YYYY-Qn (reports/YYYY-Qn/)")
    run.add_argument("--year", help="render a financial year, April to March, YYYY-YY (reports/FYYYYY-YY/)")
    run.add_argument("--campaign", help="render a campaign of campaigns.csv by its id (reports/campaign-ID/)")
    run.add_argument("--jobs", type=int, help="months rendered at a time with --from/--to (default: cores)")
    run.add_argument("--no-index", action="store_true", help=argparse.SUPPRESS)
    run.add_argument("--raw", type=Path, help="raw exports folder (default data/raw)")
    run.add_argument("--processed", type=Path, help="processed tables root (default data/processed)")
    run.add_argument("--reports", type=Path, help="reports root (default reports)")
    run.add_argument("--reference", type=Path, help="folder of assets.csv, campaigns.csv, births.csv")
    run.add_argument("--config", type=Path, help="settings file (default config/reach.yaml)")
    run.add_argument(
        "--allow-incomplete",
        action="store_true",
        help="render even when a headline source is missing or unusable; the report then opens with an "
        "'Incomplete month' banner naming what is missing (default: stop with the table of sources)",
    )
    run.add_argument("--wait", type=float, default=0, metavar="SECONDS", help=WAIT_HELP)
    run.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)

    check = commands.add_parser(
        "check",
        help="say whether a month has every source its report needs: present, missing or unusable, "
        "with the reason and the fix (exit 0 only when complete); writes nothing",
    )
    check.add_argument("--month", type=_month, required=True, help="the month to check, YYYY-MM")
    check.add_argument("--raw", type=Path, help="raw exports folder (default data/raw)")
    check.add_argument("--reference", type=Path, help="folder of assets.csv, campaigns.csv, births.csv")
    check.add_argument("--config", type=Path, help="settings file (default config/reach.yaml)")
    check.add_argument("--sample", action="store_true", help="check a month of the bundled synthetic sample")
    check.add_argument("--json", action="store_true", help="print the sources and files as JSON")
    check.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)

    sample = commands.add_parser(
        "sample", help="write the synthetic sample (raw exports, reference, ground truth)"
    )
    sample.add_argument("--out", type=Path, required=True, help="folder to create")
    sample.add_argument(
        "--seed", type=int, default=2026, help="random seed (default 2026, the bundled sample)"
    )
    sample.add_argument("--force", action="store_true", help="replace the folder if it exists")
    sample.add_argument(
        "--bigquery-events",
        type=_event_count,
        metavar="N",
        help="also write a synthetic GA4 BigQuery events export of N events (newline-delimited JSON) "
        "for the sample's last month into OUT/bigquery/ - beside raw/, so the sample's own report is "
        "unchanged; copy it into a raw month folder to use it",
    )
    sample.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)

    verify = commands.add_parser(
        "verify", help="re-run a month from its recorded inputs and check every number is the same"
    )
    verify.add_argument("--month", type=_month, required=True, help="the month to verify, YYYY-MM")
    verify.add_argument("--reports", type=Path, help="reports root (default reports)")
    verify.add_argument("--raw", type=Path, help="raw exports folder (default: as recorded in manifest.json)")
    verify.add_argument("--reference", type=Path, help="reference tables folder (default: as recorded)")
    verify.add_argument("--wait", type=float, default=0, metavar="SECONDS", help=WAIT_HELP)
    verify.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)

    inspect = commands.add_parser(
        "inspect", help="say what each export file is: kind, period, rows, warnings"
    )
    inspect.add_argument("files", nargs="+", type=Path)
    inspect.add_argument("--json", action="store_true", help="print a JSON list instead of lines")
    inspect.add_argument(
        "--month",
        type=_month,
        help="say which days of this month each file covers and what a run of it would use "
        "(default: the YYYY-MM folder each file is in)",
    )
    inspect.add_argument(
        "--date-order",
        choices=["DMY", "MDY"],
        help="day/month order of form timestamps (default: forms_date_order in config/reach.yaml)",
    )
    inspect.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    quotes = commands.add_parser(
        "quotes",
        help="list the quotes a month's report could show (redacted text, theme, hash) for you to approve "
        "in config/approved_quotes.csv; builds the month in a temporary folder, writes nothing",
    )
    quotes.add_argument("--month", type=_month, required=True, help="the month, YYYY-MM")
    quotes.add_argument("--sample", action="store_true", help="a month of the bundled synthetic sample")
    quotes.add_argument("--raw", type=Path, help="raw exports folder (default data/raw)")
    quotes.add_argument("--reference", type=Path, help="folder of assets.csv, campaigns.csv, births.csv")
    quotes.add_argument("--config", type=Path, help="settings file (default config/reach.yaml)")
    quotes.add_argument("--per-theme", type=int, default=10, metavar="N", help="candidates listed per theme")
    quotes.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    init = commands.add_parser(
        "init", help="write starter reference tables (assets, campaigns, births) to fill in; never overwrites"
    )
    init.add_argument(
        "--reference", type=Path, help="folder to write (default: reference_dir in the settings)"
    )
    init.add_argument("--config", type=Path, help="settings file (default config/reach.yaml)")
    init.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    return parser


def _progress(message: str) -> None:
    print(f"reach: {message}", file=sys.stderr, flush=True)


def _command_run(args: argparse.Namespace) -> int:
    if (args.first is None) != (args.last is None):
        raise ReachError("give both --from and --to (or --month for one month)")
    if args.first and args.month:
        raise ReachError("give either --month or --from/--to, not both")
    if args.quarter or args.year or args.campaign:
        return _run_period(args)
    if not (args.month or args.first or args.sample):
        raise ReachError("say which month: --month YYYY-MM, --from YYYY-MM --to YYYY-MM, or --sample")
    config = args.config or project_root() / "config" / "reach.yaml"
    settings = load_config(config)
    paths = RunPaths.resolve(sample=args.sample, raw=args.raw, processed=args.processed, reports=args.reports,
                             reference=args.reference, config=config, settings=settings)  # fmt: skip
    if args.first:
        return _run_range(args, settings, paths)
    month = args.month or paths.sample_months()[-1]
    try:
        result = batch.run(
            month,
            raw_dir=paths.raw,
            processed_root=paths.processed,
            reports_root=paths.reports,
            reference_dir=paths.reference,
            settings=settings,
            config_path=paths.config,
            sample=paths.sample,
            progress=_progress,
            allow_incomplete=args.allow_incomplete,
            wait=args.wait,
        )
    except batch.IncompleteMonthError as err:
        print("\n".join(readiness_lines(err.readiness, err.files, month)), flush=True)
        raise
    if not args.no_index:
        _write_index(paths.reports, settings)
    if result.readiness is not None:
        print("\n".join(readiness_lines(result.readiness, result.files, month)))
    print(result.html)
    return 0


def _run_period(args: argparse.Namespace) -> int:
    if args.month or args.first:
        raise ReachError(
            "give either a month (--month, --from/--to) or a period (--quarter, --year, --campaign)"
        )
    config = args.config or project_root() / "config" / "reach.yaml"
    settings = load_config(config)
    paths = RunPaths.resolve(sample=args.sample, raw=args.raw, processed=args.processed, reports=args.reports,
                             reference=args.reference, config=config, settings=settings)  # fmt: skip
    chosen = period_run.period_from_options(args.quarter, args.year, args.campaign, paths.reference)
    result = period_run.run_period(chosen, raw_dir=paths.raw, processed_root=paths.processed,
                                   reports_root=paths.reports, reference_dir=paths.reference, settings=settings,
                                   config_path=paths.config, sample=paths.sample, progress=_progress)  # fmt: skip
    if not args.no_index:
        _write_index(paths.reports, settings)
    print(result.html)
    return 0


def _write_index(reports: Path, settings: dict) -> None:

    with writing(reports, "--reports"):
        path = write_index(reports, setting(settings, "report_title"), setting(settings, "organisation"))
    _progress(f"month index: {path}")


def _run_range(args: argparse.Namespace, settings: dict, paths: RunPaths) -> int:
    months = month_range(args.first, args.last)
    passthrough = paths.as_arguments() + (["--allow-incomplete"] if args.allow_incomplete else [])
    _progress(f"rendering {len(months)} months, {args.jobs or 'one per core'} at a time")
    outcomes = run_months(months, passthrough, main, args.jobs)
    _write_index(paths.reports, settings)
    failed = [o for o in outcomes if not o.ok]
    print(f"rendered {len(outcomes) - len(failed)} of {len(outcomes)} months")
    for outcome in failed:
        print(f"  failed {outcome.month}: {outcome.message}")
    return 1 if failed else 0


def _command_sample(args: argparse.Namespace) -> int:

    path = write_sample(args.out, seed=args.seed, overwrite=args.force)
    print(path)
    if args.bigquery_events is not None:
        target = Path(path) / "bigquery" / f"events_{SAMPLE_MONTH.replace('-', '')}.json"
        truth = write_bigquery_events(target, args.bigquery_events, seed=args.seed, month=SAMPLE_MONTH)
        print(target)
        _progress(
            f"GA4 BigQuery export: {truth['events']:,} events, {truth['distinct_users']:,} distinct users, "
            f"{truth['bytes'] / 1e6:,.1f} MB"
        )
    return 0


def _command_inspect(args: argparse.Namespace) -> int:

    settings = load_config()
    date_order = args.date_order or settings.get("forms_date_order")
    questions = setting(settings, "feedback_questions")
    items = inspect_exports(
        args.files, date_order=date_order, questions=questions, limits=ReadLimits.from_settings(settings)
    )
    results = describe_uses(items, questions, args.month)
    if args.json:
        print(json.dumps(results, indent=2, ensure_ascii=False))
    else:
        for item in results:
            if item.get("error"):
                print(f"{item['path']}: ERROR {item['error']}")
                continue
            period = f"{item['start'] or '?'} to {item['end'] or '?'}"
            print(f"{item['path']}: {item['kind']}, {period}, {item['rows']} rows")
            if item.get("period_start") and not item.get("start"):
                start, end, source = item["period_start"], item["period_end"], item["period_source"]
                print(f"    period {start} to {end}, from {source}")
            elif not item.get("period_start") and item.get("period_source") and not item.get("use"):
                print(f"    no period: {item['period_source']}")
            if item.get("use"):
                print(f"    {item['month']}: {item['use']}; days covered: {item['days']}; {item['detail']}")
            elif item.get("feeds"):
                print(f"    feeds: {item['feeds']} (give --month YYYY-MM to see what a month would use)")
            for warning in item.get("warnings") or []:
                print(f"    warning: {warning}")
            if item.get("mapping"):
                print("    questions not recognised; suggested lines for config/reach.yaml (check each one):")
                print("\n".join(f"      {line}" for line in item["mapping"]))
    return 0 if all(not item.get("error") for item in results) else 1


def _command_check(args: argparse.Namespace) -> int:
    config = args.config or project_root() / "config" / "reach.yaml"
    settings = load_config(config)
    paths = RunPaths.resolve(sample=args.sample, raw=args.raw, reference=args.reference, config=config,
                             settings=settings)  # fmt: skip
    found = check_month(args.month, paths.raw, paths.reference, settings)
    if args.json:
        print(json.dumps({"month": args.month, "complete": found.complete,
                          "sources": found.readiness.to_dict("records"), "files": found.files.to_dict("records")},
                         indent=2, ensure_ascii=False, default=str))  # fmt: skip
    else:
        print(f"reach check {args.month}: {found.folder}")
        print("\n".join(readiness_lines(found.readiness, found.files, args.month)))
    return 0 if found.complete else 1


def _command_verify(args: argparse.Namespace) -> int:
    result = verify(
        args.month,
        args.reports or project_root() / "reports",
        args.raw,
        args.reference,
        progress=_progress,
        wait=args.wait,
    )
    for warning in result.warnings:
        print(f"warning: {warning}")
    if result.reproduced:
        print(
            f"reproduced: every input, summary.json value, notebook output and page of {args.month} is the same"
        )
        print(result.compared)
        return 0
    print(f"NOT reproduced: {args.month} differs from its report")
    for title, lines in (
        ("manifest.json", result.manifest),
        ("inputs", result.inputs),
        ("summary.json", result.summary),
        ("notebook cells", result.cells),
        ("pages", result.pages),
    ):
        for line in lines:
            print(f"  {title}: {line}")
    print(result.compared)
    return 1


def _command_quotes(args: argparse.Namespace) -> int:
    config = args.config or project_root() / "config" / "reach.yaml"
    settings = load_config(config)
    paths = RunPaths.resolve(sample=args.sample, raw=args.raw, reference=args.reference, config=config,
                             settings=settings)  # fmt: skip
    candidates = month_candidates(args.month, paths.raw, paths.reference, settings, progress=_progress)
    files = settings.get("setting_files") or {}
    approved_file = files.get("approved_quotes") or "impact.approved_quotes in the settings"
    print("\n".join(candidate_lines(candidates, args.month, settings, approved_file, args.per_theme)))
    return 0


def _command_init(args: argparse.Namespace) -> int:
    folder = RunPaths.resolve(reference=args.reference, config=args.config).reference
    for path in write_starter(folder):
        print(f"wrote {path}")
    print("\n".join(next_steps(folder)))
    return 0


COMMANDS = {
    "run": _command_run,
    "check": _command_check,
    "sample": _command_sample,
    "inspect": _command_inspect,
    "verify": _command_verify,
    "init": _command_init,
    "quotes": _command_quotes,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments without the program name; default ``sys.argv[1:]``.

    Returns
    -------
    int
        The exit status: 0 on success, 1 on an error, 2 on a usage error, 130 if interrupted.
    """
    args = _parser().parse_args(argv)
    debug = getattr(args, "debug", False)
    # Progress lines go to stderr through _progress; the console handler shows only problems,
    # while run.log (attached by reach.report) records every INFO line.
    console = logging.StreamHandler(sys.stderr)
    console.setLevel(logging.DEBUG if debug else logging.WARNING)
    console.setFormatter(logging.Formatter("reach: %(levelname)s %(name)s: %(message)s"))
    logging.getLogger().addHandler(console)
    logger.setLevel(logging.INFO)
    try:
        return COMMANDS[args.command](args)
    except ReachError as err:
        if debug:
            traceback.print_exc()
        print(f"reach: error: {err}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("reach: interrupted; the previous outputs were left as they were", file=sys.stderr)
        return EXIT_INTERRUPTED
    except OSError as err:  # a folder not writable, a file not readable, a full disk: the path and the fix
        if debug:
            traceback.print_exc()
        print(f"reach: error: {describe_os_error(err)}", file=sys.stderr)
        return EXIT_ERROR
    except Exception as err:  # an unexpected failure still ends in one line without --debug
        if debug:
            traceback.print_exc()
        print(
            f"reach: unexpected error: {type(err).__name__}: {err} (run again with --debug for the traceback)",
            file=sys.stderr,
        )
        return EXIT_ERROR
