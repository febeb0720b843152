import threading

import pytest
import yaml

from reach.config import load_config, sample_dir
from reach.core.months import month_range
from reach.errors import InputValidationError
from reach.ingest.read import find_exports
from reach.run.backfill import MonthOutcome, can_fork, outcome_of, run_months, warm_parse_cache
from reach.run.cli import main
from reach.store import sha256_file


class TestMonthRange:
    def test_across_a_year(self):
        assert month_range("2025-11", "2026-02") == ["2025-11", "2025-12", "2026-01", "2026-02"]

    def test_single_month(self):
        assert month_range("2026-10", "2026-10") == ["2026-10"]

    def test_backwards_range_is_an_error(self):
        with pytest.raises(InputValidationError, match="before"):
            month_range("2026-10", "2026-09")


class TestOutcomeOf:
    def test_success_keeps_the_report_path(self):
        outcome = outcome_of("2026-10", 0, 3.0, "/r/2026-10/report.html\n", "reach: [1/4] building\n")
        assert outcome == MonthOutcome("2026-10", True, 3.0, "/r/2026-10/report.html")

    def test_failure_keeps_the_last_error_line(self):
        stderr = "reach: [1/4] building\nreach: error: first\nreach: error: no exports for 2026-09\n"
        outcome = outcome_of("2026-09", 1, 1.0, "", stderr)
        assert not outcome.ok
        assert outcome.message == "reach: error: no exports for 2026-09"

    def test_failure_without_an_error_line_gives_the_status(self):
        assert outcome_of("2026-09", 3, 1.0, "", "Traceback ...\n").message == "exit status 3"

    def test_killed_month_names_the_signal(self):
        assert outcome_of("2026-09", -9, 1.0, "", "").message == "killed by signal 9"


class TestWarmParseCache:
    def test_fills_the_shared_cache_once_per_file(self, tmp_path):
        # The sample's first month: one cache entry per export, in <processed>/.cache.
        exports = find_exports(sample_dir() / "raw" / "2024-11")
        read = warm_parse_cache("2024-11", ["--sample", "--processed", str(tmp_path)])
        assert read == len(exports)
        assert len(list((tmp_path / ".cache").glob("*.pickle"))) == len({sha256_file(p) for p in exports})
        assert not list((tmp_path / ".cache").glob("*.tmp"))

    def test_missing_raw_folder_is_left_to_the_months(self, tmp_path):
        ran = []
        read = warm_parse_cache(
            "2026-10", ["--raw", str(tmp_path / "nothing")], meanwhile=lambda: ran.append(1)
        )
        assert read == 0
        assert ran == [1]


class TestCanFork:
    def test_never_from_a_process_running_other_threads(self):
        release = threading.Event()
        helper = threading.Thread(target=release.wait)
        helper.start()
        try:
            assert not can_fork()
        finally:
            release.set()
            helper.join()


class TestRunMonths:
    @pytest.fixture
    def broken_config(self, tmp_path):
        # A missing notebook fails every month at once, before any kernel starts.
        config = tmp_path / "reach.yaml"
        config.write_text(yaml.safe_dump({**load_config(), "notebooks": ["no_such_notebook.ipynb"]}))
        return ["--raw", str(tmp_path / "raw"), "--processed", str(tmp_path / "p"),
                "--reports", str(tmp_path / "r"), "--config", str(config)]  # fmt: skip

    @pytest.mark.parametrize("fork", [True, False], ids=["forked", "subprocess"])
    def test_every_month_reports_its_own_failure_in_order(self, broken_config, fork, monkeypatch):
        if fork and not can_fork():
            pytest.skip("this OS cannot fork")
        monkeypatch.setattr("reach.run.backfill.can_fork", lambda: fork)
        outcomes = run_months(["2026-09", "2026-10", "2026-11"], broken_config, main, jobs=2)
        assert [o.month for o in outcomes] == ["2026-09", "2026-10", "2026-11"]
        assert not any(o.ok for o in outcomes)
        assert all("no_such_notebook.ipynb is missing" in o.message for o in outcomes)
        assert all(o.message.startswith("reach: error: ") for o in outcomes)

    def test_no_months_runs_nothing(self):
        assert run_months([], ["--sample"], main) == []
