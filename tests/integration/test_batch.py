"""The monthly batch, end to end, with a real kernel and real nbconvert, into temporary folders."""

from __future__ import annotations

import csv
import hashlib
import json
import re
import shutil
import subprocess
import sys

import nbformat
import pytest
import yaml

from tests.conftest import REPO_ROOT, run_cli

pytestmark = pytest.mark.integration
SAMPLE = REPO_ROOT / "src" / "reach" / "sample_data"


def one_line_error(result: subprocess.CompletedProcess) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    errors = [
        line for line in lines if line.startswith("reach: error:") or line.startswith("reach: unexpected")
    ]
    assert len(errors) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return errors[0]


class TestSampleRun:
    def test_writes_report_summary_manifest_and_log(self, sample_run):
        for name in ("report.html", "appendix.html", "summary.json", "manifest.json", "run.log",
                     "reach_monthly_report.ipynb", "reach_monthly_appendix.ipynb"):  # fmt: skip
            assert (sample_run.report_dir / name).is_file(), name
        assert sample_run.stdout.strip().endswith("report.html")

    def test_unmatched_identifiers_are_listed_in_full_beside_the_report(self, sample_run):
        with (sample_run.report_dir / "unmatched.csv").open(encoding="utf-8-sig", newline="") as f:
            listed = list(csv.DictReader(f))
        assert listed and set(listed[0]) == {"table", "month", "identifier", "measure", "value"}
        assert {row["month"] for row in listed} == {sample_run.month}
        assert len(listed) == sample_run.summary["data_quality"]["unmatched_this_month"]
        for row in listed:
            assert row["identifier"][:1] not in {"=", "+", "-", "@"}, row
        registry = (sample_run.report_dir / "unmatched_assets.csv").read_text(encoding="utf-8-sig")
        assert registry.splitlines()[0] == (
            "asset_id,title,theme,type,launch_date,url_paths,video_ids,post_ids,campaign_tags"
        )
        html = (sample_run.report_dir / "appendix.html").read_text()  # data-quality detail: the appendix
        assert 'href="unmatched.csv"' in html

    def test_summary_json_is_the_one_the_executed_notebook_wrote(self, sample_run):
        book = nbformat.read(sample_run.report_dir / "reach_monthly_report.ipynb", as_version=4)
        injected = next(c for c in book.cells if "injected-parameters" in c.metadata.get("tags", []))
        assert 'summary_path = "summary.json"' in injected.source
        writer = next(c for c in book.cells if c.cell_type == "code" and "write_summary(" in c.source)
        said = "".join(o.get("text", "") for o in writer.outputs if o.output_type == "stream")
        digest = hashlib.sha256((sample_run.report_dir / "summary.json").read_bytes()).hexdigest()
        assert said == f"summary.json holds these figures, SHA-256 {digest}\n"
        # No second copy of the figures is computed outside the notebook.
        assert "monthly_summary" not in (REPO_ROOT / "src" / "reach" / "run" / "batch.py").read_text()

    def test_summary_marks_the_sample(self, sample_run):
        summary = sample_run.summary
        assert summary["month"] == sample_run.month
        assert summary["sample"] is True
        assert summary["web"]["page_views"] > 0
        helpful = summary["feedback"]["helpful"]
        assert helpful["low"] <= helpful["estimate"] <= helpful["high"]
        assert "Wilson" in helpful["method"]

    def test_manifest_hashes_every_input(self, sample_run):
        manifest = json.loads((sample_run.report_dir / "manifest.json").read_text())
        raw_files = sorted(
            p.relative_to(SAMPLE / "raw").as_posix()
            for p in (SAMPLE / "raw").rglob("*")
            if p.is_file() and p.parent.name != "" and p.name != "README.md"
        )
        recorded = sorted(i["path"] for i in manifest["inputs"] if i["role"] == "raw export")
        assert recorded == raw_files
        assert all(re.fullmatch(r"[0-9a-f]{64}", i["sha256"]) for i in manifest["inputs"])
        assert manifest["parameters"]["report_month"] == sample_run.month
        assert set(manifest["git"]) == {"commit", "dirty"}
        assert manifest["packages"]["pandas"]

    def test_html_is_offline_safe(self, sample_run):
        html = (sample_run.report_dir / "report.html").read_text()
        assert not re.search(r"<script[^>]*\bsrc\s*=", html, re.I)
        assert not re.search(r"<link[^>]*href\s*=\s*[\"']?https?:", html, re.I)
        assert not re.search(r"@import\s+url\(\s*[\"']?https?:", html, re.I)
        assert "SAMPLE DATA" in html

    def test_every_chart_has_real_alt_text(self, sample_run):
        html = "".join(
            (sample_run.report_dir / page).read_text() for page in ("report.html", "appendix.html")
        )
        images = re.findall(r"<img\b[^>]*>", html)
        assert len(images) >= 3
        for tag in images:
            alt = re.search(r'alt="([^"]*)"', tag)
            assert alt and len(alt.group(1)) > 40, tag[:80]
            assert "No description has been provided" not in alt.group(1)

    def test_feedback_text_never_reaches_the_report_unescaped(self, sample_run):
        for path in sample_run.report_dir.rglob("*"):
            if path.is_file():
                text = path.read_text(errors="replace")
                assert "<script>alert" not in text, path

    def test_no_count_of_one_to_seven_people_below_county_level_in_summary(self, sample_run):
        summary = json.loads((sample_run.report_dir / "summary.json").read_text())
        districts = summary["reach"]["by_district"]
        assert len(districts) == 7
        for district in districts:
            births = district["coverage"]["births_in_period"]
            for key in ("estimate", "low", "high"):
                value = district["reach"][key]
                # rounded to 5, or kept at the district's births (public, and never 1-7 here)
                assert value is None or value == 0 or (value >= 8 and (value % 5 == 0 or value == births)), (
                    district["district"],
                    key,
                )
            assert district["reach"]["high"] <= births, district["district"]
        for measure in summary["impact"]["outtakes"].values():
            if not isinstance(measure, dict) or "overall" not in measure:
                continue
            for group in ("by_respondent_type", "by_district"):
                for name, item in measure[group].items():
                    n = item["n"]
                    assert n == "*" or int(n) == 0 or (int(n) >= 8 and int(n) % 5 == 0), (group, name, n)

    def test_processed_tables_are_byte_identical_on_a_second_run(self, sample_run, tmp_path):
        again = tmp_path / "processed"
        result = run_cli("run", "--sample", "--reports", str(tmp_path / "reports"), "--processed", str(again))
        assert result.returncode == 0, result.stderr
        first = sample_run.processed / sample_run.month
        for path in sorted(first.glob("*.parquet")):
            assert path.read_bytes() == (again / sample_run.month / path.name).read_bytes(), path.name
        summary_again = (tmp_path / "reports" / sample_run.month / "summary.json").read_bytes()
        assert summary_again == (sample_run.report_dir / "summary.json").read_bytes()

    def test_executed_notebook_passes_nbval(self, sample_run):
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "--nbval-lax",
                "--nbval-current-env",
                "-p",
                "no:cacheprovider",
                "-q",
                str(sample_run.report_dir / "reach_monthly_report.ipynb"),
            ],
            capture_output=True,
            text=True,
            cwd=REPO_ROOT,
            timeout=600,
        )
        assert result.returncode == 0, result.stdout[-3000:]
        assert re.search(r"\d+ passed", result.stdout)


@pytest.fixture
def real_month(tmp_path, sample_run):
    """A copy of the sample's raw tree, run as a real month (no --sample), into tmp folders."""
    raw = tmp_path / "raw"
    shutil.copytree(SAMPLE / "raw", raw)
    folders = {
        "raw": raw,
        "reports": tmp_path / "reports",
        "processed": tmp_path / "processed",
        "reference": SAMPLE / "reference",
    }
    return folders


def run_month(folders, month, *extra):
    return run_cli(
        "run",
        "--month",
        month,
        "--raw",
        str(folders["raw"]),
        "--reports",
        str(folders["reports"]),
        "--processed",
        str(folders["processed"]),
        "--reference",
        str(folders["reference"]),
        *extra,
    )


class TestErrors:
    def test_impossible_month(self):
        result = run_cli("run", "--month", "2026-13")  # refused by the argument parser, before any folder
        assert result.returncode != 0
        assert "2026-13" in one_line_error(result)

    def test_month_with_no_exports(self, real_month):
        result = run_month(real_month, "2027-01")
        assert result.returncode != 0
        assert "no exports for 2027-01" in one_line_error(result)

    def test_unreadable_export_keeps_previous_report(self, real_month, sample_run):
        month = sample_run.month
        assert run_month(real_month, month).returncode == 0
        html = real_month["reports"] / month / "report.html"
        before = html.read_bytes()
        victim = sorted((real_month["raw"] / month).rglob("*.csv"))[0]
        victim.write_bytes(b"\x00\x01\x02 not a csv \xff\xfe")
        result = run_month(real_month, month)
        assert result.returncode != 0
        assert victim.name in one_line_error(result)
        assert html.read_bytes() == before

    def test_cell_that_raises_keeps_previous_report(self, real_month, sample_run, tmp_path):
        month = sample_run.month
        assert run_month(real_month, month).returncode == 0
        html = real_month["reports"] / month / "report.html"
        before = html.read_bytes()
        failing = tmp_path / "failing.ipynb"
        book = nbformat.v4.new_notebook(
            cells=[
                nbformat.v4.new_code_cell(
                    'report_month: str = "2026-10"  # month', metadata={"tags": ["parameters"]}
                ),
                nbformat.v4.new_code_cell('raise ValueError("deliberate failure")'),
            ]
        )
        book.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(book, failing)
        settings = yaml.safe_load((REPO_ROOT / "config" / "reach.yaml").read_text())
        settings["notebooks"] = [str(failing)]
        config = tmp_path / "reach.yaml"
        config.write_text(yaml.safe_dump(settings))
        result = run_month(real_month, month, "--config", str(config))
        assert result.returncode != 0
        assert "deliberate failure" in one_line_error(result)
        assert html.read_bytes() == before

    def test_missing_notebook(self, real_month, sample_run, tmp_path):
        settings = yaml.safe_load((REPO_ROOT / "config" / "reach.yaml").read_text())
        settings["notebooks"] = ["no_such_notebook.ipynb"]
        config = tmp_path / "reach.yaml"
        config.write_text(yaml.safe_dump(settings))
        result = run_month(real_month, sample_run.month, "--config", str(config))
        assert result.returncode != 0
        assert "no_such_notebook.ipynb is missing" in one_line_error(result)

    def test_debug_shows_traceback(self, real_month):
        # Every folder is a temporary one: a failed run keeps its files in <reports>/.failed-<month>/.
        result = run_month(real_month, "2027-01", "--debug")
        assert result.returncode != 0
        assert "Traceback" in result.stderr


class TestBackfill:
    def test_one_failed_month_does_not_stop_the_others(self, real_month):
        shutil.rmtree(real_month["raw"] / "2026-09")
        result = run_cli(
            "run", "--from", "2026-08", "--to", "2026-10", "--jobs", "2", "--raw", str(real_month["raw"]),
            "--reports", str(real_month["reports"]), "--processed", str(real_month["processed"]),
            "--reference", str(real_month["reference"]),
        )  # fmt: skip
        assert result.returncode == 1
        assert "rendered 2 of 3 months" in result.stdout
        assert "failed 2026-09: reach: error: no exports for 2026-09" in result.stdout
        for month in ("2026-08", "2026-10"):
            assert (real_month["reports"] / month / "report.html").is_file()
        index = (real_month["reports"] / "index.html").read_text()
        assert 'href="2026-08/report.html"' in index and 'href="2026-10/report.html"' in index
        assert "2026-09/report.html" not in index

    def test_single_run_rebuilds_the_index(self, sample_run):
        index = (sample_run.reports / "index.html").read_text()
        assert f'href="{sample_run.month}/report.html"' in index
        assert "<script" not in index
