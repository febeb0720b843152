"""The backfill benchmark cannot rot: its options, its plan and its checks run here, never its timings."""

import importlib.util
import subprocess
import sys

import pytest

from tests.conftest import REPO_ROOT

SCRIPT = REPO_ROOT / "benchmarks" / "backfill.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_backfill", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def dry_run(*options):
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--dry-run", *options], capture_output=True, text=True, timeout=60
    )
    return result


class TestParseArgs:
    def test_defaults(self, bench):
        args = bench.parse_args([])
        assert (args.months, args.rounds, args.jobs, args.all, args.dry_run) == (6, 3, 2, False, False)

    def test_all_runs_one_round_unless_told(self, bench):
        assert bench.parse_args(["--all"]).rounds == 1
        assert bench.parse_args(["--all", "--rounds", "2"]).rounds == 2

    @pytest.mark.parametrize("options", [["--months", "0"], ["--rounds", "0"], ["--all", "--months", "3"]])
    def test_bad_options_are_usage_errors(self, bench, options):
        with pytest.raises(SystemExit) as exit_info:
            bench.parse_args(options)
        assert exit_info.value.code == 2


class TestDryRun:
    def test_plan_compares_one_backfill_with_a_loop_of_months(self):
        result = dry_run("--months", "3")
        assert result.returncode == 0, result.stderr
        lines = result.stdout.splitlines()
        assert len(lines) == 4
        backfill, *loop = lines
        assert " run --sample --from 2026-08 --to 2026-10 --jobs 2 " in backfill
        assert [line.split("--month ")[1].split()[0] for line in loop] == ["2026-08", "2026-09", "2026-10"]
        assert all(line.startswith("(b) ") and "--from" not in line for line in loop)
        # (a) and (b) never share a reports or processed folder.
        assert "/a/processed" in backfill and all("/b/processed" in line for line in loop)
        assert "load average" in result.stderr

    def test_all_covers_the_whole_sample(self):
        result = dry_run("--all")
        assert result.returncode == 0, result.stderr
        assert " --from 2024-11 --to 2026-10 " in result.stdout
        assert result.stdout.count("(b) ") == 24

    def test_more_months_than_the_sample_is_an_error(self):
        result = dry_run("--months", "99")
        assert result.returncode != 0
        assert "the sample has 24 months" in result.stderr


class TestCheckRendered:
    def write(self, reports, months, index_months):
        for month in months:
            (reports / month).mkdir(parents=True)
            (reports / month / "report.html").write_text("<html></html>")
        links = "".join(f'<a href="{m}/report.html">{m}</a>' for m in index_months)
        (reports / "index.html").write_text(f"<html>{links}</html>")

    def test_every_month_listed_once_passes(self, bench, tmp_path):
        self.write(tmp_path, ["2026-09", "2026-10"], ["2026-10", "2026-09"])
        bench.check_rendered(tmp_path, ["2026-09", "2026-10"])

    def test_month_listed_twice_fails(self, bench, tmp_path):
        self.write(tmp_path, ["2026-09", "2026-10"], ["2026-09", "2026-10", "2026-10"])
        with pytest.raises(SystemExit, match="2026-10 2 times"):
            bench.check_rendered(tmp_path, ["2026-09", "2026-10"])

    def test_missing_report_fails(self, bench, tmp_path):
        self.write(tmp_path, ["2026-10"], ["2026-09", "2026-10"])
        with pytest.raises(SystemExit, match="no report.html for 2026-09"):
            bench.check_rendered(tmp_path, ["2026-09", "2026-10"])
