"""Every file's period against the month, and each source as present / partial / missing / unusable.

Expected values are worked by hand from the tiny exports below (days counted on a calendar).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from reach.ingest.export import Export
from reach.tidy import readiness, routing
from reach.tidy import tables as tidy_tables
from reach.tidy.assets import parse_registry
from reach.tidy.readiness import file_uses, incomplete, infer_periods, source_readiness

D = dt.date
REGISTRY = parse_registry(
    pd.DataFrame(
        {
            "asset_id": ["SS-WEB"], "title": ["Safer sleep"], "theme": ["sleep"], "type": ["web page"],
            "launch_date": ["2024-01-01"], "url_paths": ["/safer-sleep/*"], "video_ids": [""], "post_ids": [""],
            "campaign_tags": [""],
        }
    )
)  # fmt: skip
QUESTIONS = {"helpful": "Was the information helpful?", "comment": "Anything else?"}


def export(kind, start, end, table, meta=None, totals=None, path="x.csv"):
    return Export(Path(path), kind, start, end, table, totals, (), meta or {})


def source(e, relpath):
    return routing.SourceFile(e, relpath, relpath.split("/")[0])


def video_table(views=(181588, 5)):
    return pd.DataFrame({"video_id": ["aaaaaaaaaaa", "bbbbbbbbbbb"], "views": list(views)})


def totals(start, end):
    days = pd.date_range(start, end, freq="D")
    return export("youtube_totals", start, end, pd.DataFrame({"date": days, "views": 1}), {"metric": "views"})


def pages(start, end):
    table = pd.DataFrame({"page_path": ["/safer-sleep/"], "views": [10], "active_users": [4]})
    return export("ga4_report", start, end, table, {"dimensions": ["page_path"]})


def daily(start, end):
    days = pd.date_range(start, end, freq="D")
    table = pd.DataFrame({"date": days, "page_path": "/safer-sleep/", "views": 1})
    return export("ga4_report", start, end, table, {"dimensions": ["date", "page_path"]})


def tidy(sources):
    tables, _, notes = tidy_tables.tidy_tables(sources, REGISTRY, QUESTIONS)
    return tables, notes


class TestInferPeriods:
    def test_table_data_takes_the_period_of_its_download(self):
        found = infer_periods(
            [
                source(export("youtube_table", None, None, video_table()), "2026-03/yt/Table data.csv"),
                source(totals(D(2025, 6, 13), D(2026, 6, 12)), "2026-03/yt/Totals.csv"),
            ]
        )
        assert (found[0].export.start, found[0].export.end) == (D(2025, 6, 13), D(2026, 6, 12))
        assert "Totals.csv" in found[0].export.meta["period_source"]

    def test_a_period_written_in_the_name_is_used(self):
        (found,) = infer_periods(
            [
                source(
                    export("youtube_table", None, None, video_table()),
                    "2026-03/Table data 2026-03-01_2026-03-31.csv",
                )
            ]
        )
        assert (found.export.start, found.export.end) == (D(2026, 3, 1), D(2026, 3, 31))
        assert found.export.meta["period_source"] == "the period written in its name"

    def test_alone_it_has_no_period_and_says_why(self):
        (found,) = infer_periods(
            [source(export("youtube_table", None, None, video_table()), "2026-03/Table data.csv")]
        )
        assert found.export.start is None
        assert "no Chart data.csv or Totals.csv" in found.export.meta["period_missing"]

    def test_siblings_that_disagree_give_no_period(self):
        found = infer_periods(
            [
                source(export("youtube_table", None, None, video_table()), "2026-03/yt/Table data.csv"),
                source(totals(D(2026, 3, 1), D(2026, 3, 31)), "2026-03/yt/Totals.csv"),
                source(totals(D(2026, 2, 1), D(2026, 2, 28)), "2026-03/yt/Totals (1).csv"),
            ]
        )
        assert found[0].export.start is None
        assert "disagree" in found[0].export.meta["period_missing"]

    def test_a_sibling_in_another_folder_does_not_count(self):
        found = infer_periods(
            [
                source(export("youtube_table", None, None, video_table()), "2026-03/a/Table data.csv"),
                source(totals(D(2026, 3, 1), D(2026, 3, 31)), "2026-03/b/Totals.csv"),
            ]
        )
        assert found[0].export.start is None


class TestPeriodLessExportIsNeverChargedToItsFolder:
    def test_whole_year_table_data_in_the_march_folder_is_not_march(self):
        alone = source(export("youtube_table", None, None, video_table()), "2026-03/Table data.csv")
        tables, notes = tidy([alone])
        assert tables["video"].empty and tables["video_totals"].empty
        assert any("no dates of its own" in note for _, note in notes)

    def test_with_a_march_totals_it_is_march(self):
        tables, _ = tidy(
            [
                source(export("youtube_table", None, None, video_table()), "2026-03/Table data.csv"),
                source(totals(D(2026, 3, 1), D(2026, 3, 31)), "2026-03/Totals.csv"),
            ]
        )
        assert tables["video"]["month"].tolist() == ["2026-03", "2026-03"]
        assert tables["video"]["views"].sum() == 181593

    def test_meta_posts_period_from_publish_times_in_one_month(self):
        posts = pd.DataFrame(
            {
                "post_id": ["1", "2"],
                "publish_time": pd.to_datetime(["2026-03-03", "2026-03-28"]),
                "reach": [5, 7],
            }
        )
        e = export("meta_posts", D(2026, 3, 3), D(2026, 3, 28), posts, {"period_source": "publish times"})
        assert routing.file_month("social_posts", source(e, "2026-03/posts.csv")) == ("2026-03", None)

    def test_meta_posts_published_across_two_months_are_not_charged(self):
        posts = pd.DataFrame({"post_id": ["1"], "publish_time": pd.to_datetime(["2026-03-03"]), "reach": [5]})
        e = export("meta_posts", D(2026, 2, 27), D(2026, 3, 3), posts, {"period_source": "publish times"})
        month, reason = routing.file_month("social_posts", source(e, "2026-03/posts.csv"))
        assert month is None and "exactly one calendar month" in reason


class TestFileUses:
    def test_partial_month_pages_report_is_named_and_not_used(self):
        s = source(pages(D(2026, 2, 24), D(2026, 3, 23)), "2026-03/Pages.csv")
        tables, notes = tidy([s])
        (row,) = file_uses("2026-03", [s], tables, notes).itertuples(index=False)
        assert row.use == "not used"
        assert row.days == "23 of 31 days (1–23 Mar)"
        assert "only 23 of the 31 days of March 2026" in row.detail and "whole-month" in row.detail

    def test_partial_month_daily_report_gives_the_days_it_covers(self):
        s = source(daily(D(2026, 2, 24), D(2026, 3, 23)), "2026-03/Daily.csv")
        tables, notes = tidy([s])
        (row,) = file_uses("2026-03", [s], tables, notes).itertuples(index=False)
        assert row.use == "partly used"
        assert "GA4 daily (web_daily): 23 days, 1–23 Mar" == row.detail

    def test_file_of_another_period_is_named(self):
        s = source(daily(D(2023, 7, 8), D(2023, 7, 10)), "2026-03/old.csv")
        tables, notes = tidy([s])
        (row,) = file_uses("2026-03", [s], tables, notes).itertuples(index=False)
        assert (row.use, row.days) == ("not used", "none")
        assert "for another period" in row.detail and "8 Jul 2023 to 10 Jul 2023" in row.detail

    def test_an_earlier_download_of_the_same_month_is_named_as_replaced(self):
        first = source(pages(D(2026, 3, 1), D(2026, 3, 31)), "2026-03/Pages.csv")
        again = source(pages(D(2026, 3, 1), D(2026, 3, 31)), "2026-03/Pages (1).csv")
        tables, notes = tidy([first, again])
        uses = file_uses("2026-03", [first, again], tables, notes).set_index("path")
        assert uses.loc["2026-03/Pages (1).csv", "use"] == "used"
        assert uses.loc["2026-03/Pages.csv", "detail"].startswith(
            "its rows were replaced by a later download"
        )
        frame = source_readiness("2026-03", [first, again], tables, notes).set_index("source")
        assert frame.loc["ga4_pages", "detail"] == "Pages (1).csv: 1 rows"  # the replaced copy is no problem

    def test_files_of_other_folders_that_give_nothing_are_not_listed(self):
        s = source(pages(D(2026, 2, 1), D(2026, 2, 28)), "2026-02/Pages.csv")
        tables, notes = tidy([s])
        assert file_uses("2026-03", [s], tables, notes).empty

    def test_unreadable_file_is_listed(self):
        frame = file_uses("2026-03", [], {}, [], {"2026-03/bad.csv": "2026-03/bad.csv, line 4: cut mid-line"})
        assert frame[["path", "use"]].values.tolist() == [["2026-03/bad.csv", "unreadable"]]


class TestSourceReadiness:
    def statuses(self, sources, **kwargs):
        tables, notes = tidy(sources)
        frame = source_readiness("2026-03", sources, tables, notes, **kwargs)
        return dict(zip(frame["source"], frame["status"], strict=True)), frame

    def test_present_partial_missing_and_unusable(self):
        status, frame = self.statuses(
            [
                source(pages(D(2026, 2, 24), D(2026, 3, 23)), "2026-03/Pages.csv"),
                source(daily(D(2026, 3, 1), D(2026, 3, 20)), "2026-03/Daily.csv"),
                source(totals(D(2026, 3, 1), D(2026, 3, 31)), "2026-03/Totals.csv"),
            ]
        )
        assert status["ga4_pages"] == "unusable"
        assert status["ga4_daily"] == "partial"
        assert status["youtube_daily"] == "present"
        assert status["meta_posts"] == "missing"
        assert status["reference"] == "present"
        daily_row = frame.set_index("source").loc["ga4_daily"]
        assert daily_row["detail"].startswith("20 of 31 days; missing 21–31 Mar")
        assert (
            "Date as the first dimension" in daily_row["fix"]
            and "1 Mar 2026 to 31 Mar 2026" in daily_row["fix"]
        )

    def test_headline_sources_come_first_and_are_flagged(self):
        _, frame = self.statuses([])
        headline = frame[frame["headline"].astype(bool)]["source"].tolist()
        assert headline == [
            "ga4_pages",
            "ga4_daily",
            "youtube",
            "meta_posts",
            "feedback",
            "hv_recall",
            "reference",
        ]
        assert frame["headline"].tolist() == sorted(frame["headline"].tolist(), reverse=True)

    def test_missing_reference_table_is_named(self):
        status, frame = self.statuses([], reference_problems=["births.csv is missing from ref"])
        assert status["reference"] == "missing"
        assert "reach init" in frame.set_index("source").loc["reference", "fix"]

    def test_unreadable_form_makes_feedback_unusable(self):
        status, frame = self.statuses(
            [], failures={"2026-03/form.csv": ("forms_google", "2026-03/form.csv, line 3: expected a date")}
        )
        assert status["feedback"] == "unusable"
        assert "line 3" in frame.set_index("source").loc["feedback", "detail"]

    def test_a_form_with_none_of_the_questions_is_unusable(self):
        form = pd.DataFrame(
            {"completed_at": pd.to_datetime(["2026-03-02"] * 3), "Full Name": ["A", "B", "C"]}
        )
        s = source(export("forms_google", D(2026, 3, 2), D(2026, 3, 2), form), "2026-03/form.csv")
        status, frame = self.statuses([s])
        assert status["feedback"] == "unusable"
        assert "none of the 2 feedback questions" in frame.set_index("source").loc["feedback", "detail"]


class TestIncomplete:
    def test_only_headline_rows_that_are_not_present(self):
        table = pd.DataFrame(
            {
                "source": ["ga4_pages", "ga4_city", "feedback"], "label": ["GA4 pages", "GA4 Town/City", "Family feedback"],
                "headline": [True, False, True], "status": ["present", "missing", "partial"],
                "detail": ["", "", ""], "fix": ["", "", ""],
            }
        )  # fmt: skip
        assert incomplete(table)["source"].tolist() == ["feedback"]

    @pytest.mark.parametrize("table", [None, pd.DataFrame()])
    def test_no_table_is_complete(self, table):
        assert incomplete(table).empty


class TestWords:
    def test_span_and_covered_days(self):
        assert readiness.span(D(2026, 3, 1), D(2026, 3, 1)) == "1 Mar 2026"
        assert readiness.covered_days(D(2026, 3, 1), D(2026, 4, 30), "2026-03") == 31
        assert readiness.covered_days(None, None, "2026-03") is None
