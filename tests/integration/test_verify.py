"""`reach verify`: a reviewer re-runs a month and learns whether every number is the same."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.conftest import REPO_ROOT, run_cli

pytestmark = pytest.mark.integration
SAMPLE = REPO_ROOT / "src" / "reach" / "sample_data"


def test_sample_month_is_reproduced(sample_run):
    result = run_cli("verify", "--month", sample_run.month, "--reports", str(sample_run.reports))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("reproduced")


def test_edited_output_number_names_the_cell(sample_run, tmp_path):
    reports = tmp_path / "reports"
    shutil.copytree(sample_run.reports, reports)
    path = reports / sample_run.month / "reach_monthly_report.ipynb"
    book = json.loads(path.read_text())
    code = [c for c in book["cells"] if c["cell_type"] == "code"]
    target = next(i for i, c in enumerate(code) if "by_asset(" in "".join(c["source"]))
    output = next(o for o in code[target]["outputs"] if "text/html" in o.get("data", {}))
    html = "".join(output["data"]["text/html"])
    number = next(n for n in ("1", "2", "3", "4", "5", "6", "7", "8", "9") if f">{n}" in html)
    output["data"]["text/html"] = [html.replace(f">{number}", ">0" + number, 1)]
    path.write_text(json.dumps(book))
    result = run_cli("verify", "--month", sample_run.month, "--reports", str(reports))
    assert result.returncode == 1
    assert f"code cell {target}" in result.stdout
    assert "outputs differ" in result.stdout


def test_changed_raw_value_names_the_file(sample_run, tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(SAMPLE / "raw", raw)
    reports = tmp_path / "reports"
    run = run_cli(
        "run", "--month", sample_run.month, "--raw", str(raw), "--reference", str(SAMPLE / "reference"),
        "--reports", str(reports), "--processed", str(tmp_path / "processed"),
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    victim = raw / sample_run.month / "youtube" / "Totals.csv"
    lines = victim.read_text().splitlines(keepends=True)
    date, value = lines[1].rstrip("\n").split(",")
    lines[1] = f"{date},{int(value) + 1}\n"
    victim.write_text("".join(lines))
    result = run_cli("verify", "--month", sample_run.month, "--reports", str(reports), "--raw", str(raw))
    assert result.returncode == 1
    assert f"changed: {sample_run.month}/youtube/Totals.csv" in result.stdout


def test_missing_report_is_a_one_line_error(tmp_path):
    result = run_cli("verify", "--month", "2026-10", "--reports", str(tmp_path))
    assert result.returncode == 1
    assert result.stderr.strip().startswith("reach: error: no manifest.json")
    assert "Traceback" not in result.stderr
