"""Two layers from one run: report.html for the steering group, appendix.html for reviewers and analysts.

The paper carries the At a glance tiles, at most five findings and what they mean for the
partnership, in plain words: no asset or campaign identifier, no model name, no statistical
jargon. Every detail table, method, data-quality note and caveat is in the appendix beside it.
"""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys

import nbformat
import pytest
from bs4 import BeautifulSoup

from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.integration
REFERENCE = REPO_ROOT / "src" / "reach" / "sample_data" / "reference"
# Words the issue bans from the steering paper: model names and statistical jargon.
JARGON = ("GLM", "Poisson", "Wald", "χ²", "quasi", "counterfactual")


def _without_styles(html: str) -> str:
    return re.sub(r"<style\b.*?</style>", "", html, flags=re.S | re.I)


def _raw_identifiers(summary: dict) -> set[str]:
    """Every asset and campaign identifier the run could show: reference tables and impact series."""
    ids = set()
    with (REFERENCE / "assets.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            ids.add(row["asset_id"])
            ids.update(tag for tag in row["campaign_tags"].split(";") if tag)
    with (REFERENCE / "campaigns.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            ids.add(row["campaign_id"])
            ids.update(tag for tag in row["utm_campaign"].split(";") if tag)
    for row in summary["impact"].get("its", []):
        ids.add(row["series"])
        ids.update(row["series"].split(":"))
    return {i for i in ids if len(i) > 3}


@pytest.fixture(scope="module")
def pages(sample_run):
    folder = sample_run.report_dir
    return (folder / "report.html").read_text(encoding="utf-8"), (folder / "appendix.html").read_text(
        encoding="utf-8"
    )


class TestTheSteeringPaper:
    def test_no_raw_identifier(self, sample_run, pages):
        report, appendix = pages
        ids = _raw_identifiers(sample_run.summary)
        assert {"ss-autumn-2026", "ss-web", "partner:new_birth_visits_safer_sleep_assessed"} <= ids
        text = _without_styles(report)
        for identifier in sorted(ids):
            assert not re.search(rf"(?<![\w-]){re.escape(identifier)}(?![\w-])", text), identifier
        # the appendix, for analysts, names them: the check above is not looking for something never shown
        assert "partner:new_birth_visits_safer_sleep_assessed" in appendix

    def test_no_model_name_or_jargon(self, pages):
        report, appendix = pages
        text = _without_styles(report)
        for word in JARGON:
            assert not re.search(re.escape(word), text, re.I), word
            assert re.search(re.escape(word), appendix, re.I), f"{word} should be in the appendix"

    def test_tiles_at_most_five_findings_and_what_they_mean(self, pages):
        report, _ = pages
        for heading in ("At a glance", "Findings", "What this means for the partnership"):
            assert f">{heading}</h2>" in report, heading
        page = BeautifulSoup(report, "html.parser")
        assert len(page.select("li.reach-tile")) == 5
        assert 1 <= len(page.select('ul.reach-findings[aria-label="findings"] > li')) <= 5
        assert (
            1
            <= len(page.select('ul.reach-findings[aria-label="what this means for the partnership"] > li'))
            <= 5
        )

    def test_no_detail_table_chart_method_or_caveat_list(self, pages):
        report, _ = pages
        assert "<table" not in report and "<img" not in report
        for heading in ("Methodology", "Data quality and caveats", "Reach", "Impact"):
            assert f">{heading}</h2>" not in report, heading


class TestTheAppendix:
    def test_beside_the_report_and_linked_both_ways(self, sample_run, pages):
        report, appendix = pages
        assert 'href="appendix.html"' in report and 'href="report.html"' in appendix
        assert (sample_run.report_dir / "reach_monthly_appendix.ipynb").is_file()

    def test_holds_every_detail_section_and_the_run_record(self, pages):
        _, appendix = pages
        for heading in (
            "Reach",
            "Engagement",
            "Family feedback",
            "Impact",
            "Data quality and caveats",
            "Methodology",
        ):
            assert f">{heading}</h2>" in appendix, heading
        assert "Input files read for this report" in appendix  # the manifest's inputs, for reviewers
        assert 'href="unmatched.csv"' in appendix
        assert len(re.findall(r"<img\b", appendix)) >= 3

    def test_number_columns_are_marked_for_right_alignment(self, pages):
        _, appendix = pages
        # Measure (text) | Target | Floor: the two figures' columns are right-aligned, "not set" and all.
        assert (
            '<table class="reach-table" data-numeric="2 3">\n<caption>Targets for the status of each headline figure'
        ) in appendix

    def test_manifest_records_both_notebooks_for_reach_verify(self, sample_run):
        manifest = json.loads((sample_run.report_dir / "manifest.json").read_text())
        assert [n["path"] for n in manifest["notebooks"]] == [
            "notebooks/reach_monthly_report.ipynb",
            "notebooks/reach_monthly_appendix.ipynb",
        ]

    def test_only_the_report_notebook_writes_summary_json(self, sample_run):
        book = nbformat.read(sample_run.report_dir / "reach_monthly_appendix.ipynb", as_version=4)
        assert book.metadata["reach"]["page"] == "appendix.html"
        assert not any("write_summary(" in c.source for c in book.cells if c.cell_type == "code")

    def test_executed_appendix_passes_nbval(self, sample_run):
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "--nbval-lax", "--nbval-current-env", "-p", "no:cacheprovider", "-q",
             str(sample_run.report_dir / "reach_monthly_appendix.ipynb")],
            capture_output=True, text=True, cwd=REPO_ROOT, timeout=600,
        )  # fmt: skip
        assert result.returncode == 0, result.stdout[-3000:]
        assert re.search(r"\d+ passed", result.stdout)
