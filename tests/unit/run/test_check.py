"""``reach check`` and the readiness table, on a month of tiny hand-written exports in tmp_path.

Every expected status, day count and exit code is worked out by hand from the files written here.
"""

# ruff: noqa: E501 - hand-written CSV fixtures keep real long headers

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reach.config import load_config
from reach.run import cli
from reach.run.check import check_month, readiness_lines
from tests.unit.ingest.exports import POSTS, YT_TABLE, _zip, ga4

MARCH = [f"202603{day:02d}" for day in range(1, 32)]

PAGES_BODY = """\
Page path and screen class,Views,Active users,Views per active user,Average engagement time per active user,Event count,Key events,Total revenue
/safer-sleep/,139,83,1.6746987951807228,39.34939759036145,359,0,0
"""

FORM_HEADER = (
    'Timestamp,"Are you a parent or carer, or a professional?",Which district do you live or work in?,'
    "Where did you see safer sleep information?,Was the information helpful?,"
    "Which of these are part of the safer sleep advice?,Will you change anything about how your baby sleeps?,"
    "Is there anything else you would like to tell us?"
)

RECALL = (
    "month,district,new_birth_visits,families_asked,recalled_any,recalled_web,recalled_video,recalled_social,recalled_leaflet\n"
    "2026-03,Norwich,80,70,40,20,10,15,20\n"
)


def daily_body(days):
    lines = ["Date,Page path and screen class,Views,Active users,Event count"]
    lines += [f"{day},/safer-sleep/,5,4,9" for day in days]
    return "\n".join(lines) + "\n"


def totals(days=31):
    rows = [f"2026-03-{day:02d},3" for day in range(1, days + 1)]
    return ("Date,Views\n" + "\n".join(rows) + "\n").encode()


def reference(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "assets.csv").write_text(
        "asset_id,title,theme,type,launch_date,url_paths,video_ids,post_ids,campaign_tags\n"
        "SS-WEB,Safer sleep,sleep,web page,2024-01-01,/safer-sleep/*,UWQNrpakgcA,122158000000000123,\n"
    )
    (folder / "campaigns.csv").write_text("campaign_id,name,start,end,channels,utm_campaign,description\n")
    (folder / "births.csv").write_text("year,area_code,area_name,live_births,status,source\n")
    return folder


def complete_month(tmp_path: Path) -> tuple[Path, Path]:
    """A March 2026 with every headline source, each file written by hand."""
    month = tmp_path / "raw" / "2026-03"
    month.mkdir(parents=True)
    (month / "Pages.csv").write_bytes(ga4(PAGES_BODY, start="20260301", end="20260331"))
    (month / "Pages (1).csv").write_bytes(ga4(daily_body(MARCH), start="20260301", end="20260331"))
    (month / "youtube.zip").write_bytes(_zip({"Table data.csv": YT_TABLE.encode(), "Totals.csv": totals()}))
    (month / "Mar-01-2026_Mar-31-2026_1039829308656930.csv").write_text(
        POSTS.replace("11/24/2025", "3/24/2026").replace("11/25/2025", "3/25/2026")
    )
    (month / "form.csv").write_text(
        FORM_HEADER
        + '\n3/2/2026 10:00:00,Parent or carer,Norwich,Website,Yes,On their back,"Yes, I will change something",\n'
    )
    (month / "recall.csv").write_text(RECALL)
    return tmp_path / "raw", reference(tmp_path / "reference")


@pytest.fixture(scope="module")
def settings():
    return load_config()


class TestCheckMonth:
    def test_a_complete_month(self, tmp_path, settings):
        raw, ref = complete_month(tmp_path)
        found = check_month("2026-03", raw, ref, settings)
        headline = found.readiness[found.readiness["headline"].astype(bool)]
        assert dict(zip(headline["source"], headline["status"], strict=True)) == {
            "ga4_pages": "present", "ga4_daily": "present", "youtube": "present", "meta_posts": "present",
            "feedback": "present", "hv_recall": "present", "reference": "present",
        }  # fmt: skip
        assert found.complete
        table = found.files.set_index("path")
        assert table.loc["2026-03/youtube.zip/Table data.csv", "period_source"] == (
            "the Totals.csv of the same download"
        )
        assert table.loc["2026-03/youtube.zip/Table data.csv", "use"] == "used"
        assert table.loc["2026-03/form.csv", "notes"] == ""  # every configured question was found

    def test_partial_unusable_missing_and_unreadable(self, tmp_path, settings):
        raw, ref = complete_month(tmp_path)
        month = raw / "2026-03"
        (month / "Pages.csv").write_bytes(ga4(PAGES_BODY, start="20260224", end="20260323"))
        (month / "Pages (1).csv").write_bytes(ga4(daily_body(MARCH[:20]), start="20260301", end="20260320"))
        (month / "youtube.zip").write_bytes(_zip({"Table data.csv": YT_TABLE.encode()}))
        (month / "recall.csv").unlink()
        (month / "empty.csv").write_bytes(b"")
        found = check_month("2026-03", raw, ref, settings)
        status = dict(zip(found.readiness["source"], found.readiness["status"], strict=True))
        assert (status["ga4_pages"], status["ga4_daily"], status["youtube"], status["hv_recall"]) == (
            "unusable", "partial", "unusable", "missing",
        )  # fmt: skip
        assert not found.complete
        files = found.files.set_index("path")
        assert files.loc["2026-03/empty.csv", "use"] == "unreadable"
        assert files.loc["2026-03/Pages.csv", "days"] == "23 of 31 days (1–23 Mar)"
        assert files.loc["2026-03/Pages (1).csv", "use"] == "partly used"
        lines = readiness_lines(found.readiness, found.files, "2026-03")
        assert lines[-1] == (
            "2026-03 is NOT complete: GA4 pages (unusable), GA4 daily (partial), YouTube videos (unusable), "
            "Health-visiting recall (missing); 1 unreadable file(s)."
        )

    def test_missing_reference_table_is_listed_not_raised(self, tmp_path, settings):
        raw, ref = complete_month(tmp_path)
        (ref / "births.csv").unlink()
        found = check_month("2026-03", raw, ref, settings)
        row = found.readiness.set_index("source").loc["reference"]
        assert row["status"] == "missing" and "births.csv is missing" in row["detail"]

    def test_no_month_folder_lists_every_source_as_missing(self, tmp_path, settings):
        found = check_month("2026-03", tmp_path / "raw", reference(tmp_path / "ref"), settings)
        exports = found.readiness[found.readiness["source"] != "reference"]
        assert set(exports["status"]) == {"missing"} and found.files.empty


class TestCheckCommand:
    def test_exit_0_only_when_complete(self, tmp_path, capsys):
        raw, ref = complete_month(tmp_path)
        assert cli.main(["check", "--month", "2026-03", "--raw", str(raw), "--reference", str(ref)]) == 0
        assert (
            capsys.readouterr().out.splitlines()[-1]
            == "2026-03 is complete: every headline source is present."
        )
        (raw / "2026-03" / "form.csv").unlink()
        assert (
            cli.main(["check", "--month", "2026-03", "--raw", str(raw), "--reference", str(ref), "--json"])
            == 1
        )
        printed = json.loads(capsys.readouterr().out)
        assert printed["complete"] is False
        feedback = next(s for s in printed["sources"] if s["source"] == "feedback")
        assert feedback["status"] == "missing" and "Google Forms" in feedback["fix"]
