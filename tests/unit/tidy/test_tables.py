import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from reach.ingest.export import Export
from reach.tidy import bigquery, routing
from reach.tidy import tables as tidy_tables
from reach.tidy.assets import parse_registry

D = dt.date

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
    return routing.SourceFile(export, relpath, month)


class TestRoute:
    @pytest.mark.parametrize(
        ("dims", "table"),
        [
            (["page_path"], "web_pages"),
            (["date", "page_path"], "web_daily"),
            (["city"], "web_city"),
            (["x"], None),
        ],
    )
    def test_ga4_by_dimensions(self, dims, table):
        export = Export(
            Path("f.csv"), "ga4_report", None, None, pd.DataFrame(), None, (), {"dimensions": dims}
        )
        assert routing.route(export) == table


class TestPeriodMonth:
    def test_partial_month_is_not_a_month(self):
        assert routing.period_month(dt.date(2026, 10, 2), dt.date(2026, 10, 31)) is None


class TestTidyTables:
    def test_later_export_wins_and_restatement_is_recorded(self):
        early = source(pages_export("raw/2026-10/a.csv", [10, 3], end=dt.date(2026, 10, 31)), "2026-10/a.csv")
        late = source(pages_export("raw/2026-10/b.csv", [12, 3]), "2026-10/b.csv")
        tables, unmatched, notes = tidy_tables.tidy_tables([late, early], REGISTRY, QUESTIONS)
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
        tables, _, _ = tidy_tables.tidy_tables([one, two], REGISTRY, QUESTIONS)
        assert len(tables["web_pages"]) == 2
        assert tables["restatements"].empty

    def test_unregistered_page_is_listed_not_dropped(self):
        tables, unmatched, _ = tidy_tables.tidy_tables(
            [source(pages_export("raw/2026-10/a.csv", [10, 3]), "2026-10/a.csv")], REGISTRY, QUESTIONS
        )
        assert list(unmatched["identifier"]) == ["/unknown/"]
        assert len(tables["web_pages"]) == 2

    def test_export_spanning_two_months_is_noted_not_used(self):
        export = pages_export("raw/x.csv", [1, 1], start=dt.date(2026, 9, 1), end=dt.date(2026, 10, 31))
        tables, _, notes = tidy_tables.tidy_tables([source(export, "x.csv")], REGISTRY, QUESTIONS)
        assert tables["web_pages"].empty
        assert any("exactly one calendar month" in note for _, note in notes)

    def test_damaged_video_ids_are_quarantined_with_line(self):
        table = pd.DataFrame(
            {"video_id": ["abcdefghijk", "#NAME?"], "views": [5, 7], "id_damaged": [False, True]}
        )
        export = Export(
            Path("raw/2026-10/t.csv"),
            "youtube_table",
            D(2026, 10, 1),
            D(2026, 10, 31),
            table,
            None,
            (),
            {"_line": [3, 4]},
        )
        tables, _, _ = tidy_tables.tidy_tables([source(export, "2026-10/t.csv")], REGISTRY, QUESTIONS)
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
                "Where did you see safer sleep information? (select all that apply)": [
                    "YouTube video;Leaflet;"
                ],
                "Which of these are part of the safer sleep advice? (select all that apply)": [
                    "On their back;"
                ],
                "Is there anything else you would like to tell us?": ["call me on 07700 900123"],
            }
        )
        export = Export(Path("raw/2026-10/f.csv"), "forms_microsoft", None, None, table, None, (), {})
        tables, _, notes = tidy_tables.tidy_tables([source(export, "2026-10/f.csv")], REGISTRY, QUESTIONS)
        row = tables["feedback"].iloc[0]
        assert row["comment"] == "call me on [phone]"
        assert row["where_seen"] == "YouTube video;Leaflet"
        assert row["month"] == "2026-10"


# --------------------------------------------------------------------------------------------
# GA4 BigQuery exports
# --------------------------------------------------------------------------------------------

TWO_PAGES = parse_registry(
    pd.DataFrame(
        {
            "asset_id": ["SS-WEB", "DADS"],
            "title": ["Safer sleep page", "Dads page"],
            "theme": ["safer-sleep", "safer-sleep"],
            "type": ["web page", "web page"],
            "launch_date": ["2024-01-01", "2024-01-01"],
            "url_paths": ["/baby-sleep/safer-sleep*", "/dads"],
            "video_ids": ["", ""],
            "post_ids": ["", ""],
            "campaign_tags": ["", ""],
        }
    )
)
PAGE_COLUMNS = ["date", "page_path", "views", "users", "engagement_time_msec"]


def records(frame, columns=None):
    """Rows as tuples, missing values as None (NA cannot be compared with ==)."""
    frame = frame if columns is None else frame[columns]
    return [tuple(None if pd.isna(v) else v for v in row) for row in frame.itertuples(index=False, name=None)]


def bigquery_export(path, start, end, daily, page_month=(), city_month=(), user_pages=()):
    """A parsed BigQuery export written by hand, as reach.ingest.bigquery.parse_bigquery shapes it."""
    table = pd.DataFrame(daily, columns=PAGE_COLUMNS)
    table["date"] = pd.to_datetime(table["date"])
    meta = {
        "tables": {
            "page_month": pd.DataFrame(
                page_month, columns=["month", "page_path", "views", "users", "engagement_time_msec"]
            ),
            "city_month": pd.DataFrame(city_month, columns=["month", "city", "users"]),
            "user_pages": pd.DataFrame(user_pages, columns=["month", "pages", "users"]),
        }
    }
    return Export(Path(path), "ga4_bigquery", start, end, table, None, (), meta)


OCT_1, OCT_31 = dt.date(2026, 10, 1), dt.date(2026, 10, 31)
FULL_OCTOBER = dict(
    daily=[("2026-10-05", "/baby-sleep/safer-sleep", 4, 3, 900), ("2026-10-20", "/dads", 2, 2, 0)],
    page_month=[("2026-10", "/baby-sleep/safer-sleep", 4, 3, 900), ("2026-10", "/dads", 2, 2, 0)],
    city_month=[("2026-10", "Norwich", 4)],
    user_pages=[
        ("2026-10", ("/baby-sleep/safer-sleep",), 2),
        ("2026-10", ("/baby-sleep/safer-sleep", "/dads"), 1),
        ("2026-10", ("/dads",), 1),
        ("2026-10", ("/",), 5),
    ],
)


class TestWebUsersFromPageSets:
    def test_users_of_two_asset_pages_are_counted_once(self):
        sets = pd.DataFrame(
            [
                ("2026-10", ("/baby-sleep/safer-sleep", "/dads"), 4),
                ("2026-10", ("/",), 10),
                ("2026-10", ("/baby-sleep/safer-sleep/room-temperature",), 2),
                ("2026-10", ("/dads",), 3),
                ("2026-11", ("/",), 1),
            ],
            columns=["month", "pages", "users"],
        )
        got = bigquery.web_users_from_page_sets(sets, TWO_PAGES)
        # October: any asset page 4 + 2 + 3 = 9 (not 6 + 7); safer sleep 4 + 2; dads 4 + 3.
        # November: no asset page viewed, so 0 users.
        assert records(got) == [
            ("2026-10", None, 9),
            ("2026-10", "DADS", 7),
            ("2026-10", "SS-WEB", 6),
            ("2026-11", None, 0),
        ]


class TestBigqueryRouting:
    def test_route_names_web_users(self):
        assert routing.route(bigquery_export("e.json", OCT_1, OCT_31, [])) == "web_users"

    def test_whole_month_feeds_every_web_table(self):
        bq = source(bigquery_export("raw/2026-10/e.json", OCT_1, OCT_31, **FULL_OCTOBER), "2026-10/e.json")
        tables, _, _ = tidy_tables.tidy_tables([bq], TWO_PAGES, QUESTIONS)
        users = tables["web_users"]
        assert records(users, ["month", "asset_id", "users"]) == [
            ("2026-10", "DADS", 2),
            ("2026-10", "SS-WEB", 3),
            ("2026-10", None, 4),
        ]
        assert list(users["source_file"].unique()) == ["2026-10/e.json"]
        daily = tables["web_daily"]
        assert list(
            daily[["page_path", "views", "active_users", "asset_id"]].itertuples(index=False, name=None)
        ) == [
            ("/baby-sleep/safer-sleep", 4, 3, "SS-WEB"),
            ("/dads", 2, 2, "DADS"),
        ]
        assert list(daily["month"]) == ["2026-10", "2026-10"]
        pages = tables["web_pages"]
        assert list(
            pages[["month", "page_path", "views", "active_users"]].itertuples(index=False, name=None)
        ) == [
            ("2026-10", "/baby-sleep/safer-sleep", 4, 3),
            ("2026-10", "/dads", 2, 2),
        ]
        assert list(
            tables["web_city"][["month", "city", "active_users"]].itertuples(index=False, name=None)
        ) == [("2026-10", "Norwich", 4)]

    def test_report_export_wins_for_the_days_it_covers(self):
        report = pd.DataFrame(
            {
                "date": pd.to_datetime(["2026-10-05"]),
                "page_path": ["/baby-sleep/safer-sleep/"],
                "views": [5],
                "active_users": [4],
            }
        )
        ui = Export(
            Path("raw/2026-10/daily.csv"),
            "ga4_report",
            OCT_1,
            dt.date(2026, 10, 15),
            report,
            None,
            (),
            {"dimensions": ["date", "page_path"]},
        )
        bq = bigquery_export("raw/2026-10/e.json", OCT_1, OCT_31, **FULL_OCTOBER)
        tables, _, notes = tidy_tables.tidy_tables(
            [source(bq, "2026-10/e.json"), source(ui, "2026-10/daily.csv")], TWO_PAGES, QUESTIONS
        )
        daily = tables["web_daily"]
        # 5 October comes from the report only (its period is 1-15 October); 20 October from BigQuery
        assert list(daily[["page_path", "views", "source_file"]].itertuples(index=False, name=None)) == [
            ("/baby-sleep/safer-sleep/", 5, "2026-10/daily.csv"),
            ("/dads", 2, "2026-10/e.json"),
        ]
        assert (
            "2026-10/e.json",
            "1 BigQuery page/day row(s) left out of web_daily: a GA4 report export "
            "covers those days (counted once, from the report)",
        ) in notes

    def test_report_export_wins_for_its_month_and_web_users_stay(self):
        bq = bigquery_export("raw/2026-10/e.json", OCT_1, OCT_31, **FULL_OCTOBER)
        ui = pages_export("raw/2026-10/pages.csv", [10, 3])
        tables, _, notes = tidy_tables.tidy_tables(
            [source(bq, "2026-10/e.json"), source(ui, "2026-10/pages.csv")], TWO_PAGES, QUESTIONS
        )
        assert set(tables["web_pages"]["source_file"]) == {"2026-10/pages.csv"}
        assert list(tables["web_pages"]["views"]) == [10, 3]
        assert len(tables["web_city"]) == 1  # no Town/City report: BigQuery's
        assert tables["web_users"]["users"].tolist() == [2, 3, 4]
        assert any("left out of web_pages" in note for _, note in notes)

    def test_part_of_a_month_gives_days_but_no_month_rows(self):
        bq = bigquery_export(
            "raw/2026-10/e.json", dt.date(2026, 10, 5), dt.date(2026, 10, 20), **FULL_OCTOBER
        )
        tables, _, notes = tidy_tables.tidy_tables([source(bq, "2026-10/e.json")], TWO_PAGES, QUESTIONS)
        assert len(tables["web_daily"]) == 2
        assert tables["web_users"].empty and tables["web_pages"].empty and tables["web_city"].empty
        assert any("not the whole of 2026-10" in note for _, note in notes)

    def test_later_bigquery_export_wins_and_is_recorded(self):
        first = bigquery_export("raw/2026-10/a.json", OCT_1, OCT_31, **FULL_OCTOBER)
        again = dict(FULL_OCTOBER, user_pages=[("2026-10", ("/dads",), 6)])
        later = bigquery_export("raw/2026-10/a (1).json", OCT_1, OCT_31, **again)
        tables, _, _ = tidy_tables.tidy_tables(
            [source(later, "2026-10/a (1).json"), source(first, "2026-10/a.json")], TWO_PAGES, QUESTIONS
        )
        users = tables["web_users"]
        overall = users[users["asset_id"].isna()]
        assert list(overall[["users", "source_file"]].itertuples(index=False, name=None)) == [
            (6, "2026-10/a (1).json")
        ]
        restated = tables["restatements"]
        assert ("web_users", "users", "4", "6") in set(
            restated[["table", "column", "earlier", "later"]].itertuples(index=False, name=None)
        )


def form_export(path, answers, start=dt.date(2026, 10, 3)):
    table = pd.DataFrame(
        {
            "completed_at": pd.to_datetime(["2026-10-03 10:00"] * len(answers)),
            "Was the information helpful?": answers,
        }
    )
    return Export(Path(path), "forms_google", start, start, table, None, (), {})


class TestRepeatsOfWholeRowTables:
    def test_identical_answers_within_one_file_are_different_people(self):
        one = source(form_export("raw/2026-10/f.csv", ["Yes"] * 21), "2026-10/f.csv")
        tables, _, notes = tidy_tables.tidy_tables([one], REGISTRY, QUESTIONS)
        assert len(tables["feedback"]) == 21
        assert not any("more than one export" in note for _, note in notes)

    def test_rows_held_again_by_a_later_download_are_counted_once(self):
        early = source(form_export("raw/2026-10/f.csv", ["Yes", "Yes", "No"]), "2026-10/f.csv")
        later = source(form_export("raw/2026-10/f (1).csv", ["Yes", "Yes", "No", "No"]), "2026-10/f (1).csv")
        tables, _, notes = tidy_tables.tidy_tables([early, later], REGISTRY, QUESTIONS)
        assert sorted(tables["feedback"]["helpful"]) == ["No", "No", "Yes", "Yes"]
        assert ("feedback", "3 row(s) appeared in more than one export; the later export was kept") in notes


class TestFormsAsPeopleBuildThem:
    def test_a_form_with_none_of_the_questions_gives_no_rows_and_a_note(self):
        table = pd.DataFrame({"completed_at": pd.to_datetime(["2026-10-03"] * 2), "Full Name": ["A  ", "B"]})
        export = Export(Path("f.csv"), "forms_google", D(2026, 10, 3), D(2026, 10, 3), table, None, (), {})
        tables, _, notes = tidy_tables.tidy_tables([source(export, "2026-10/f.csv")], REGISTRY, QUESTIONS)
        assert tables["feedback"].empty
        (note,) = [n for p, n in notes if p == "2026-10/f.csv"]
        assert note.startswith("not used: none of the 5 feedback questions") and "reach inspect" in note

    def test_alternative_wording_is_read(self):
        table = pd.DataFrame(
            {"completed_at": pd.to_datetime(["2026-10-03"]), "Did you find this useful? (tick one)": ["Yes"]}
        )
        export = Export(Path("f.csv"), "forms_google", D(2026, 10, 3), D(2026, 10, 3), table, None, (), {})
        questions = {**QUESTIONS, "helpful": ["Was the information helpful?", "Did you find this useful?"]}
        tables, _, _ = tidy_tables.tidy_tables([source(export, "2026-10/f.csv")], REGISTRY, questions)
        assert tables["feedback"]["helpful"].tolist() == ["Yes"]


def ads_export(start, end, **columns):
    table = pd.DataFrame({"campaign_name": ["Safer sleep", "Bath time"], "reach": [800, 300], **columns})
    return Export(
        Path("ads.csv"), "meta_ads", start, end, table, {"reach": 1000}, (), {"name_column": "campaign_name"}
    )


class TestAdsManagerAsPaidReach:
    def test_a_calendar_month_gives_paid_reach_rows(self):
        export = ads_export(D(2026, 10, 1), D(2026, 10, 31))
        tables, _, _ = tidy_tables.tidy_tables([source(export, "2026-10/ads.csv")], REGISTRY, QUESTIONS)
        paid = tables["social_paid"].set_index("name")
        assert (
            paid.loc["(account total)", "reach"] == 1000 and paid.loc["(account total)", "level"] == "account"
        )
        assert paid.loc["Safer sleep", "reach"] == 800 and set(paid["month"]) == {"2026-10"}

    def test_six_months_is_refused_with_the_reason(self):
        export = ads_export(D(2025, 2, 1), D(2025, 8, 4))
        tables, _, notes = tidy_tables.tidy_tables([source(export, "2026-10/ads.csv")], REGISTRY, QUESTIONS)
        assert tables["social_paid"].empty
        assert ("2026-10/ads.csv", "not used: covers 2025-02-01 to 2025-08-04; monthly tables need an export of "
                "exactly one calendar month") in notes  # fmt: skip

    def test_a_breakdown_is_refused_with_the_reason(self):
        export = ads_export(D(2026, 10, 1), D(2026, 10, 31), age=["18-24", "25-34"])
        tables, _, notes = tidy_tables.tidy_tables([source(export, "2026-10/ads.csv")], REGISTRY, QUESTIONS)
        assert tables["social_paid"].empty
        assert any(n.startswith("not used: the Ads Manager export is broken down by 'age'") for _, n in notes)
