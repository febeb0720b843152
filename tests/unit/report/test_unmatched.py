import csv

import pandas as pd

from reach.report.unmatched import registry_rows, spreadsheet_csv, unmatched_rows, write_unmatched
from reach.tidy.assets import REGISTRY_COLUMNS, match_assets, parse_registry

COLUMNS = ["table", "month", "identifier", "measure", "value"]


def unmatched():
    return pd.DataFrame(
        [
            ("web_pages", "2026-10", "/baby-sleep/naps/", "views", 40.0),
            ("web_pages", "2026-10", "/baby-sleep/naps", "views", 3.0),
            ("video", "2026-10", "-Boc6OawEW0", "views", 120.0),
            ("social_posts", "2026-10", "111_222", "views", 7.0),
            ("web_acquisition", "2026-10", '=HYPERLINK("http://x","y")', "sessions", 300.0),
            ("video", "2026-09", "last-month", "views", 999.0),
        ],
        columns=COLUMNS,
    )


class TestUnmatchedRows:
    def test_month_only_largest_first(self):
        rows = unmatched_rows(unmatched(), "2026-10")
        assert list(rows["identifier"]) == [
            '=HYPERLINK("http://x","y")',
            "-Boc6OawEW0",
            "/baby-sleep/naps/",
            "111_222",
            "/baby-sleep/naps",
        ]

    def test_missing_value_goes_last(self):
        frame = pd.DataFrame(
            [("video", "2026-10", "a", "views", None), ("video", "2026-10", "b", "views", 1.0)],
            columns=COLUMNS,
        )
        assert list(unmatched_rows(frame, "2026-10")["identifier"]) == ["b", "a"]


class TestRegistryRows:
    def test_one_row_per_page_video_and_post_campaign_tags_left_out(self):
        rows = registry_rows(unmatched_rows(unmatched(), "2026-10"))
        assert list(rows.columns) == list(REGISTRY_COLUMNS)
        assert rows[["asset_id", "title", "type", "url_paths", "video_ids", "post_ids"]].values.tolist() == [
            ["video-boc6oawew0", "YouTube video -Boc6OawEW0", "video", "", "-Boc6OawEW0", ""],
            ["page-baby-sleep-naps", "Web page /baby-sleep/naps", "web_page", "/baby-sleep/naps", "", ""],
            ["post-111-222", "Facebook post 111_222", "social_post", "", "", "111_222"],
        ]
        assert (rows[["theme", "launch_date", "campaign_tags"]] == "").all().all()

    def test_suggested_ids_are_unique(self):
        rows = pd.DataFrame({"table": ["video", "video"], "identifier": ["AbC", "abc"]})
        assert list(registry_rows(rows)["asset_id"]) == ["video-abc", "video-abc-2"]


class TestSpreadsheetCsv:
    def test_formula_text_gets_an_apostrophe_numbers_do_not(self):
        frame = pd.DataFrame({"id": ["-Boc", "=1+1", "+44", "@x", "ok"], "n": [-1, 2, 3, 4, 5]})
        assert spreadsheet_csv(frame) == "id,n\n'-Boc,-1\n'=1+1,2\n'+44,3\n'@x,4\nok,5\n"


class TestWriteUnmatched:
    def test_writes_both_files_neutralised(self, tmp_path):
        paths = write_unmatched(unmatched(), "2026-10", tmp_path)
        assert [p.name for p in paths] == ["unmatched.csv", "unmatched_assets.csv"]
        with (tmp_path / "unmatched.csv").open(encoding="utf-8-sig", newline="") as f:
            listed = list(csv.reader(f))
        assert listed[0] == COLUMNS
        assert [r[2] for r in listed[1:]] == [
            '\'=HYPERLINK("http://x","y")',
            "'-Boc6OawEW0",
            "/baby-sleep/naps/",
            "111_222",
            "/baby-sleep/naps",
        ]
        for row in listed[1:]:
            for cell in row:
                assert cell[:1] not in {"=", "+", "-", "@"}, cell

    def test_header_only_when_nothing_is_unmatched(self, tmp_path):
        write_unmatched(unmatched(), "2026-11", tmp_path)
        assert (tmp_path / "unmatched.csv").read_text(encoding="utf-8-sig") == ",".join(COLUMNS) + "\n"
        assert (tmp_path / "unmatched_assets.csv").read_text(encoding="utf-8-sig") == ",".join(
            REGISTRY_COLUMNS
        ) + "\n"

    def test_pasted_rows_match_the_identifiers_they_came_from(self, tmp_path):
        """Rows from unmatched_assets.csv, with a theme filled in, work as assets.csv rows as they are."""
        write_unmatched(unmatched(), "2026-10", tmp_path)
        # Read as reach.build.read_reference reads assets.csv.
        pasted = pd.read_csv(
            tmp_path / "unmatched_assets.csv", dtype="str", keep_default_na=False, encoding="utf-8-sig"
        )
        assert pasted.loc[0, "video_ids"] == "'-Boc6OawEW0"  # neutralised in the file
        pasted["theme"] = "safer-sleep"
        ids = parse_registry(pasted)
        videos = match_assets(pd.DataFrame({"video_id": ["-Boc6OawEW0"]}), "video_id", "video", ids)
        pages = match_assets(pd.DataFrame({"page_path": ["/baby-sleep/naps/"]}), "page_path", "path", ids)
        assert list(videos["asset_id"]) == ["video-boc6oawew0"]
        assert list(pages["asset_id"]) == ["page-baby-sleep-naps"]
