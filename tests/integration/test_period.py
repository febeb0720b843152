"""reach run --sample --quarter: a period's report folder, its summary, the index and nbval."""

import json
import re
import subprocess
import sys

import pytest

from tests.conftest import REPO_ROOT, run_cli

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def quarter_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("quarter")
    result = run_cli(
        "run", "--sample", "--quarter", "2026-Q3", "--reports", str(base / "reports"), "--processed",
        str(base / "processed"),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return base / "reports"


def test_folder_holds_the_same_files_as_a_month(quarter_run):
    folder = quarter_run / "2026-Q3"
    for name in ("report.html", "summary.json", "manifest.json", "reach_period_report.ipynb"):
        assert (folder / name).is_file(), name


def test_summary_has_the_period_and_reach_over_it_below_the_months_added_up(quarter_run):
    summary = json.loads((quarter_run / "2026-Q3" / "summary.json").read_text())
    assert summary["period"]["start"] == "2026-07-01" and summary["period"]["end"] == "2026-09-30"
    assert summary["period"]["kind"] == "quarter"
    reach = summary["reach"]
    months = [row["month"] for row in reach["by_month"]]
    assert months == ["2026-07", "2026-08", "2026-09"]
    assert reach["combined"]["high"] < sum(row["high"] for row in reach["by_month"])
    assert reach["combined"]["low"] == max(row["low"] for row in reach["by_month"])


def test_index_lists_the_quarter_in_its_own_section(quarter_run):
    page = (quarter_run / "index.html").read_text()
    assert 'id="quarters-heading"' in page and "2026-Q3/report.html" in page


def test_executed_notebook_passes_nbval(quarter_run):
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval-lax", "--nbval-current-env", "-p", "no:cacheprovider", "-q",
         str(quarter_run / "2026-Q3" / "reach_period_report.ipynb")],
        capture_output=True, text=True, cwd=REPO_ROOT, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:]
    assert re.search(r"\d+ passed", result.stdout)
