"""A month assembled from real exported files: what ``reach check`` and ``reach run`` say about it.

The real exports in ../shared/real-exports (other accounts, other periods) are copied into a
``2026-03`` folder in tmp_path, with the bundled sample's reference tables. Expected values come
from the files and MANIFEST.md, read by hand: the Pages and screens report covers 24 Feb–23 Mar
2026 (23 of March's 31 days); the YouTube download covers 13 Jun 2025–12 Jun 2026 (its Table data
has no dates; its Total row is 181,588 views for the whole year, and the Totals file's March days
add up to 30,264, as issue 13 reports); the form's 21 responses are all from 6 Sep 2018 and its one
question is "Full Name"; the Ads Manager report covers 1 Feb–4 Aug 2025; the data-export file is a
GA4 report by Date alone (2023-07-08 to 2024-03-04) and the Landing page report is by Landing page.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import REPO_ROOT, run_cli
from tests.integration.test_real_exports import (
    ANAS,
    FORM,
    LIGA,
    MARKO,
    META_ADS,
    REAL,
    YT_CHART,
    YT_TABLE,
    YT_TOTALS,
)

SAMPLE_REFERENCE = REPO_ROOT / "src" / "reach" / "sample_data" / "reference"

pytestmark = [
    pytest.mark.integration,
    pytest.mark.needs_shared,
    pytest.mark.skipif(
        not REAL.is_dir(), reason="../shared/real-exports not present (only on the developers' machines)"
    ),
]

MONTH = "2026-03"


@pytest.fixture(scope="module")
def real_month(tmp_path_factory):
    root = tmp_path_factory.mktemp("real-month")
    folder = root / "raw" / MONTH
    folder.mkdir(parents=True)
    for path in REAL.glob("*.csv"):
        shutil.copyfile(path, folder / path.name)
    shutil.copytree(SAMPLE_REFERENCE, root / "reference")
    return root


def options(root: Path) -> list[str]:
    return [
        "--month", MONTH, "--raw", str(root / "raw"), "--reference", str(root / "reference"),
        "--processed", str(root / "processed"), "--reports", str(root / "reports"),
    ]  # fmt: skip


def file_block(stdout: str, name: str) -> str:
    """The lines ``reach check``/``run`` print about one file: its use line and the indented lines after it."""
    lines = stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.endswith(f"{MONTH}/{name}"))
    block = [lines[start]]
    for line in lines[start + 1 :]:
        if not line.startswith("   ") or line.strip().startswith(("used ", "not used ", "partly used ")):
            break
        block.append(line)
    return "\n".join(block)


def source_line(stdout: str, label: str) -> str:
    return next(line for line in stdout.splitlines() if f" {label} " in line and line.startswith("  "))


@pytest.fixture(scope="module")
def checked(real_month):
    return run_cli("check", *options(real_month)[:6])


class TestCheck:
    def test_exits_non_zero(self, checked):
        assert checked.returncode == 1, checked.stderr
        assert "Traceback" not in checked.stderr

    def test_each_file_used_or_not_and_why(self, checked):
        out = checked.stdout
        liga = file_block(out, LIGA)
        assert liga.startswith("  not used") and "days of 2026-03: 23 of 31 days (1–23 Mar)" in liga
        assert "only 23 of the 31 days of March 2026" in liga
        table = file_block(out, YT_TABLE)
        assert table.startswith("  not used") and "period 2025-06-13 to 2026-06-12" in table
        assert f"(from the {YT_CHART} and {YT_TOTALS} of the same download)" in table
        assert "more than March 2026" in table
        for name, use in (
            (YT_CHART, "YouTube daily (video_daily): 31 days"),
            (YT_TOTALS, "(channel_daily): 31 days"),
        ):
            block = file_block(out, name)
            assert block.startswith("  used") and use in block
        form = file_block(out, FORM)
        assert form.startswith("  not used") and "none of the 7 feedback questions" in form
        assert "another period (6 Sep 2018" in form
        assert "for another period: it covers 1 Feb 2025 to 4 Aug 2025" in file_block(out, META_ADS)
        assert "a GA4 report by 'Date'" in file_block(out, MARKO)
        assert "a GA4 report by 'Landing page'" in file_block(out, ANAS)

    def test_each_source_present_missing_or_unusable(self, checked):
        out = checked.stdout
        expected = {
            "GA4 pages": "unusable", "GA4 daily": "missing", "YouTube videos": "unusable", "Meta posts": "missing",
            "Family feedback": "unusable", "Health-visiting recall": "missing", "Reference tables": "present",
            "YouTube daily": "present", "Meta paid reach": "unusable",
        }  # fmt: skip
        for label, status in expected.items():
            assert source_line(out, label).split()[0] == status, label
        assert out.splitlines()[-1] == (
            "2026-03 is NOT complete: GA4 pages (unusable), GA4 daily (missing), YouTube videos (unusable), "
            "Meta posts (missing), Family feedback (unusable), Health-visiting recall (missing)."
        )


class TestRun:
    def test_stops_non_zero_with_the_table_and_leaves_no_report(self, real_month):
        result = run_cli("run", *options(real_month))
        assert result.returncode == 1
        errors = [line for line in result.stderr.splitlines() if line.startswith("reach: error:")]
        assert len(errors) == 1 and "Traceback" not in result.stderr
        assert errors[0].startswith(
            "reach: error: 2026-03 is incomplete (GA4 pages unusable, GA4 daily missing, YouTube videos unusable, "
            "Meta posts missing, Family feedback unusable, Health-visiting recall missing)"
        )
        assert "--allow-incomplete" in errors[0]
        assert file_block(result.stdout, LIGA).startswith("  not used")
        reports = real_month / "reports"
        assert not (reports / MONTH).exists() and not (reports / f".failed-{MONTH}").exists()

    def test_allow_incomplete_opens_with_the_banner_and_charges_nothing_of_another_period(self, real_month):
        result = run_cli("run", *options(real_month), "--allow-incomplete")
        assert result.returncode == 0, result.stderr[-2000:]
        assert result.stdout.strip().endswith("report.html")
        html = (real_month / "reports" / MONTH / "report.html").read_text()
        banner = html.index("<strong>Incomplete month.</strong>")
        assert html.index("<h1") < banner < html.index('class="reach-tiles"')  # opens the report
        # The month's own tile says why (earlier months, with no folder at all, keep "no export").
        assert "No figure: no web, video or social export" not in html
        assert (
            "No figure: no usable export for the month: GA4 pages: an export was there but could not be used"
            in html
        )
        summary = json.loads((real_month / "reports" / MONTH / "summary.json").read_text())
        assert summary["video"]["channel_views"] is None  # not the year's 181,588
        processed = real_month / "processed" / MONTH
        assert pd.read_parquet(processed / "video.parquet").empty
        channel = pd.read_parquet(processed / "channel_daily.parquet")
        assert channel.loc[channel["month"] == MONTH, "views"].sum() == 30264
        uses = pd.read_parquet(processed / "file_use.parquet").set_index("path")
        assert uses.loc[f"{MONTH}/{YT_TOTALS}", "use"] == "used"
        assert uses.loc[f"{MONTH}/{LIGA}", "use"] == "not used"
