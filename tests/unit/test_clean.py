import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from reach import clean
from reach.assets import parse_registry
from reach.load import Export

REGISTRY = parse_registry(
    pd.DataFrame(
        {
            "asset_id": ["SS-WEB", "SS-VID"],
            "title": ["Safer sleep page", "Safer sleep video"],
            "theme": ["safer-sleep", "safer-sleep"],
            "type": ["web page", "video"],
            "launch_date": ["2024-01-01", "2024-01-01"],
            "url_paths": ["/baby-sleep/safer-sleep*", ""],
            "video_ids": ["", "abcdefghijk"],
            "post_ids": ["", ""],
            "campaign_tags": ["", ""],
        }
    )
)
QUESTIONS = {
    "respondent_type": "Are you a parent or carer, or a professional?",
    "helpful": "Was the information helpful?",
    "where_seen": "Where did you see safer sleep information?",
    "key_messages": "Which of these are part of the safer sleep advice?",
    "comment": "Is there anything else you would like to tell us?",
}


def pages_export(path, views, start=dt.date(2026, 10, 1), end=dt.date(2026, 10, 31)):
    table = pd.DataFrame(
        {"page_path": ["/baby-sleep/safer-sleep/", "/unknown/"], "views": views, "active_users": [5, 1]}
    )
    return Export(Path(path), "ga4_report", start, end, table, None, (), {"dimensions": ["page_path"]})


def source(export, relpath, month="2026-10"):
    return clean.SourceFile(export, relpath, month)


class TestRoute:
    @pytest.mark.parametrize(
        ("dims", "table"),
        [(["page_path"], "web_pages"), (["date", "page_path"], "web_daily"), (["city"], "web_city"), (["x"], None)],
    )
    def test_ga4_by_dimensions(self, dims, table):
        export = Export(Path("f.csv"), "ga4_report", None, None, pd.DataFrame(), None, (), {"dimensions": dims})
        assert clean.route(export) == table


class TestPeriodMonth:
    def test_partial_month_is_not_a_month(self):
        assert clean.period_month(dt.date(2026, 10, 2), dt.date(2026, 10, 31)) is None


class TestTidyTables:
    def test_later_export_wins_and_restatement_is_recorded(self):
        early = source(pages_export("raw/2026-10/a.csv", [10, 3], end=dt.date(2026, 10, 31)), "2026-10/a.csv")
        late = source(pages_export("raw/2026-10/b.csv", [12, 3]), "2026-10/b.csv")
        tables, unmatched, notes = clean.tidy_tables([late, early], REGISTRY, QUESTIONS)
        web = tables["web_pages"]
        safer = web[web["page_path"] == "/baby-sleep/safer-sleep/"]
        assert list(safer["views"]) == [12]
        assert list(safer["source_file"]) == ["2026-10/b.csv"]
        restated = tables["restatements"]
        assert list(restated[["column", "earlier", "later"]].itertuples(index=False, name=None)) == [
            ("views", "10", "12")
        ]
        assert any("more than one export" in note for _, note in notes)

    def test_identical_duplicate_is_not_a_restatement(self):
        one = source(pages_export("raw/2026-10/a.csv", [10, 3]), "2026-10/a.csv")
        two = source(pages_export("raw/2026-10/a (1).csv", [10, 3]), "2026-10/a (1).csv")
        tables, _, _ = clean.tidy_tables([one, two], REGISTRY, QUESTIONS)
        assert len(tables["web_pages"]) == 2
        assert tables["restatements"].empty

    def test_unregistered_page_is_listed_not_dropped(self):
        tables, unmatched, _ = clean.tidy_tables(
            [source(pages_export("raw/2026-10/a.csv", [10, 3]), "2026-10/a.csv")], REGISTRY, QUESTIONS
        )
        assert list(unmatched["identifier"]) == ["/unknown/"]
        assert len(tables["web_pages"]) == 2

    def test_export_spanning_two_months_is_noted_not_used(self):
        export = pages_export("raw/x.csv", [1, 1], start=dt.date(2026, 9, 1), end=dt.date(2026, 10, 31))
        tables, _, notes = clean.tidy_tables([source(export, "x.csv")], REGISTRY, QUESTIONS)
        assert tables["web_pages"].empty
        assert any("exactly one calendar month" in note for _, note in notes)

    def test_damaged_video_ids_are_quarantined_with_line(self):
        table = pd.DataFrame(
            {"video_id": ["abcdefghijk", "#NAME?"], "views": [5, 7], "id_damaged": [False, True]}
        )
        export = Export(Path("raw/2026-10/t.csv"), "youtube_table", None, None, table, None, (), {"_line": [3, 4]})
        tables, _, _ = clean.tidy_tables([source(export, "2026-10/t.csv")], REGISTRY, QUESTIONS)
        assert list(tables["video"]["video_id"]) == ["abcdefghijk"]
        quarantine = tables["quarantine"]
        assert list(quarantine["line"]) == [4]
        assert "Excel" in quarantine["reason"].iloc[0]

    def test_feedback_comment_is_redacted_and_mapped(self):
        table = pd.DataFrame(
            {
                "completed_at": pd.to_datetime(["2026-10-03 10:00"]),
                "Are you a parent or carer, or a professional?": ["Parent or carer"],
                "Was the information helpful?": ["Yes"],
                "Where did you see safer sleep information? (select all that apply)": ["YouTube video;Leaflet;"],
                "Which of these are part of the safer sleep advice? (select all that apply)": ["On their back;"],
                "Is there anything else you would like to tell us?": ["call me on 07700 900123"],
            }
        )
        export = Export(Path("raw/2026-10/f.csv"), "forms_microsoft", None, None, table, None, (), {})
        tables, _, notes = clean.tidy_tables([source(export, "2026-10/f.csv")], REGISTRY, QUESTIONS)
        row = tables["feedback"].iloc[0]
        assert row["comment"] == "call me on [phone]"
        assert row["where_seen"] == "YouTube video;Leaflet"
        assert row["month"] == "2026-10"
