# ruff: noqa: E501, W291 - hand-written CSV fixtures keep real long headers and GA4 "#  " lines

from __future__ import annotations

import pandas as pd
import pytest

from reach.errors import InputValidationError
from reach.ingest.read import parse_export
from tests.unit.ingest.exports import POSTS, D


class TestParseMeta:
    def test_posts_with_bom(self):
        e = parse_export(b"\xef\xbb\xbf" + POSTS.encode(), "Nov-01-2025_Nov-30-2025_1039829308656930.csv")
        assert (e.kind, e.start, e.end, e.rows) == ("meta_posts", D(2025, 11, 1), D(2025, 11, 30), 2)
        t = e.table
        assert list(t["post_id"]) == ["122158000000000123", "122158000000000456"]
        assert t["post_id"].dtype == "str" and t["page_id"].dtype == "str"
        assert t.loc[0, "publish_time"] == pd.Timestamp("2025-11-24 11:00")
        assert "reactions_comments_shares" in t.columns and "video_views_3s" in t.columns
        assert "other_clicks" in t.columns
        assert pd.isna(t.loc[1, "views"])
        assert e.meta["encoding"] == "utf-8-sig"

    def test_headers_case_insensitive_subset_and_impressions(self):
        data = b"post id,publish time,IMPRESSIONS,reach\n1,11/24/2025 11:00,5,4\n"
        e = parse_export(data, "export.csv")
        assert list(e.table.columns) == ["post_id", "id_damaged", "publish_time", "views", "reach"]
        assert any("Impressions" in w for w in e.warnings)
        # no period in the file name: taken from publish times, with a warning
        assert (e.start, e.end) == (D(2025, 11, 24), D(2025, 11, 24))
        assert any("publish times" in w for w in e.warnings)

    def test_lifetime_date_column_is_a_label(self):
        data = b"Post ID,Publish time,Date,Views\n1,11/24/2025 11:00,Lifetime,5\n"
        e = parse_export(data, "Nov-01-2025_Nov-30-2025_1.csv")
        assert e.table.loc[0, "date_label"] == "Lifetime" and "date" not in e.table.columns

    def test_scientific_notation_ids_flagged(self):
        data = b"Post ID,Publish time,Views\n1.22158E+17,11/24/2025 11:00,5\n122158000000000456,11/25/2025 11:00,6\n"
        e = parse_export(data, "x.csv")
        assert list(e.table["id_damaged"]) == [True, False]
        assert e.table.loc[0, "post_id"] == "1.22158E+17"
        assert any("scientific notation" in w for w in e.warnings)

    def test_posts_day_first_evidence(self):
        data = b"Post ID,Publish time,Views\n1,24/11/2025 11:00,5\n"
        e = parse_export(data, "x.csv")
        assert e.table.loc[0, "publish_time"] == pd.Timestamp("2025-11-24 11:00")

    def test_daily_utf16_sep_and_sparse_days(self):
        text = 'sep=,\r\n"Facebook follows"\r\n"Date","Primary"\r\n"2025-08-01T00:00:00","20"\r\n"2025-08-04T00:00:00","3"\r\n'
        e = parse_export(text.encode("utf-16"), "Facebook follows.csv")
        assert (e.kind, e.start, e.end, e.rows) == ("meta_daily", D(2025, 8, 1), D(2025, 8, 4), 4)
        assert list(e.table["value"]) == [20, 0, 0, 3]
        assert str(e.table["value"].dtype) == "Int64"
        assert e.meta["metric"] == "facebook_follows" and e.meta["metric_header"] == "Facebook follows"
        assert e.meta["_line"] == (4, None, None, 5)
        assert any("filled with 0" in w for w in e.warnings)
        assert e.meta["encoding"] == "utf-16"

    def test_ads_account_total(self):
        data = (
            '\ufeff"Campaign name",Reach,Impressions,Frequency,Currency,"Amount spent (GBP)","CTR (all)",'
            '"Reporting starts","Reporting ends"\n'
            ",1000,1500,1.5,GBP,200.5,4.5,2026-05-01,2026-05-31\n"
            '"Safer sleep – May",600,900,1.5,GBP,120.25,5.1,2026-05-01,2026-05-31\n'
            "Back to sleep,400,600,1.5,GBP,80.25,,2026-05-01,2026-05-31\n"
        ).encode()
        e = parse_export(data, "Untitled-report-May-1-2026-to-May-31-2026_Reach.csv")
        assert (e.kind, e.start, e.end, e.rows) == ("meta_ads", D(2026, 5, 1), D(2026, 5, 31), 2)
        assert e.totals["reach"] == 1000 and e.totals["amount_spent_gbp"] == 200.5
        assert list(e.table["campaign_name"]) == ["Safer sleep – May", "Back to sleep"]
        assert e.meta["units"]["ctr_all"] == "percent"
        assert e.meta["_line"] == (3, 4)

    def test_ads_without_total_row_warns(self):
        e = parse_export(b"Campaign name,Reach,Impressions\nA,1,2\n", "a.csv")
        assert e.totals is None and e.rows == 1
        assert any("account-total" in w for w in e.warnings)

    def test_posts_with_two_views_columns_keep_both(self):
        data = (
            b'"Post ID","Page ID","Publish time",Date,Views,Reach,"Total clicks",Views\n'
            b'9601,1000,"05/03/2026 12:59",Lifetime,0,37,2,37\n'
            b'9802,1000,"05/14/2026 19:53",Lifetime,0,48,0,48\n'
        )
        e = parse_export(data, "May-01-2026_May-31-2026_1000.csv")
        assert list(e.table["views"]) == [0, 0] and list(e.table["views_2"]) == [37, 48]
        assert e.meta["columns"]["views_2"] == "Views"
        assert any("more than one column headed like 'Views'" in w for w in e.warnings)

    def test_posts_row_meta_could_not_compute_is_dropped(self):
        data = (
            b'"Post ID","Page ID","Publish time","Data comment",Date,Reach\n'
            b'1142,1089,"05/12/2026 01:12",,Lifetime,5969\n'
            b',,,"An error occurred while computing metadata for content with ID 9335.",Lifetime,51\n'
            b'1207,1089,"05/04/2026 08:03",,Lifetime,3019\n'
        )
        e = parse_export(data, "May-01-2026_May-31-2026_1089.csv")
        assert e.rows == 2 and list(e.table["post_id"]) == ["1142", "1207"]
        assert e.meta["_line"] == (2, 4)
        assert any("line 3" in w and "error occurred while computing metadata" in w for w in e.warnings)

    def test_posts_seconds_viewed_is_fractional(self):
        data = (
            b'"Post ID","Publish time","Post type","Seconds viewed","Average Seconds viewed",'
            b'"Estimated earnings (USD)"\n'
            b'9404,"05/18/2026 07:52",Reels,202.708,10.668,0\n9410,"05/18/2026 20:59",Photos,,,\n'
        )
        e = parse_export(data, "May-01-2026_May-31-2026_1.csv")
        assert e.table["seconds_viewed"].dtype == "float64"
        assert e.table.loc[0, "seconds_viewed"] == pytest.approx(202.708)

    def test_audience_export_is_named(self):
        text = 'sep=,\n"Age & gender"\n"Age","Women","Men"\n"18-24","3.2","2.1"\n'
        with pytest.raises(InputValidationError, match="looks like the Audience export.*does not read"):
            parse_export(text.encode("utf-16"), "Audience.csv")


# --------------------------------------------------------------------------------------------
# Ads Manager exports as paid reach
# --------------------------------------------------------------------------------------------


class TestPaidReachRows:
    ADS = (
        '"Campaign name",Reach,Views,Views,"Amount spent (GBP)","Reporting starts","Reporting ends"\n'
        ",1000,1500,300,50.5,2026-03-01,2026-03-31\n"
        '"Safer sleep",800,1200,250,40.5,2026-03-01,2026-03-31\n'
        '"Bath time",300,300,50,10,2026-03-01,2026-03-31\n'
    )

    def test_two_views_columns_keep_neither_and_reach_is_read(self):
        from reach.ingest.meta import paid_reach_rows

        e = parse_export(self.ADS.encode(), "ads.csv")
        rows, warnings = paid_reach_rows(e)
        assert rows[["level", "name", "reach"]].values.tolist() == [
            ["account", "(account total)", 1000],
            ["campaign", "Safer sleep", 800],
            ["campaign", "Bath time", 300],
        ]
        assert rows["views"].isna().all() and rows["currency"].tolist() == ["GBP"] * 3
        assert rows["amount_spent"].tolist() == [50.5, 40.5, 10]
        assert len(warnings) == 1 and "2 columns headed 'Views'" in warnings[0]
        assert e.meta["period_source"] == "its Reporting starts and Reporting ends columns"

    def test_one_views_column_is_kept(self):
        from reach.ingest.meta import paid_reach_rows

        e = parse_export(self.ADS.replace("Views,Views", "Views,Clicks").encode(), "ads.csv")
        rows, warnings = paid_reach_rows(e)
        assert rows["views"].tolist() == [1500, 1200, 300] and warnings == []

    def test_no_reach_column_is_refused(self):
        from reach.ingest.meta import paid_reach_rows

        e = parse_export(self.ADS.replace("Reach,", "Results,").encode(), "ads.csv")
        rows, warnings = paid_reach_rows(e)
        assert rows.empty and warnings[0].startswith("not used: the Ads Manager export has no 'Reach' column")
