# ruff: noqa: E501, W291 - hand-written CSV fixtures keep real long headers and GA4 "#  " lines

from __future__ import annotations

import pandas as pd
import pytest

from reach.errors import InputValidationError, UnrecognisedExportError
from reach.ingest.read import parse_export
from tests.unit.ingest.exports import YT_RICH, YT_TABLE, D

# --------------------------------------------------------------------------------------------


class TestParseYouTube:
    def test_table_by_content(self):
        e = parse_export(YT_TABLE.encode(), "Table data.csv")
        assert (e.kind, e.start, e.end, e.rows) == ("youtube_table", None, None, 2)
        assert e.totals == {
            "views": 1500,
            "watch_time_hours": 20.5,
            "subscribers": 3,
            "impressions": 9000,
            "impressions_ctr_pct": 1.7,
        }
        t = e.table
        assert list(t["video_id"]) == ["UWQNrpakgcA", "-i5vAKwX_bY"]  # leading space stripped
        assert t.loc[0, "title"] == "Safer sleep, every sleep"
        assert t.loc[0, "published"] == pd.Timestamp("2025-08-28")
        assert pd.isna(t.loc[1, "published"])  # blank publish time
        assert t.loc[1, "subscribers"] == -2
        assert list(t["id_damaged"]) == [False, False]
        assert e.meta["_line"] == (3, 4) and e.meta["totals_line"] == 2
        assert e.meta["units"]["impressions_ctr_pct"] == "percent"
        assert e.warnings == ()

    def test_thumbnail_names_durations_and_big_percentages(self):
        e = parse_export(YT_RICH.encode(), "Table data.csv")
        t = e.table
        assert "impressions" in t.columns and "impressions_ctr_pct" in t.columns
        assert e.meta["columns"]["impressions"] == "Thumbnail impressions"
        assert t.loc[0, "avg_view_duration_s"] == 3723.0
        assert e.totals["avg_view_duration_s"] == 244.0
        assert t.loc[0, "avg_pct_viewed"] == pytest.approx(139.04)
        assert pd.isna(t.loc[0, "unique_viewers"])  # blank audience metric on a video row
        assert e.totals["unique_viewers"] == 40

    def test_excel_damage_is_warned_and_flagged(self):
        data = (
            b"Content,Video title,Video publish time,Duration,Views\n"
            b"UWQNrpakgcA,A,3-Jun-26,9,10\n#NAME?,No Treasure,12-Feb-25,5,4\n"
        )
        e = parse_export(data, "Table data.csv")
        assert e.totals is None
        assert e.rows == 2
        assert list(e.table["id_damaged"]) == [False, True]
        assert e.table.loc[0, "published"] == pd.Timestamp("2026-06-03")
        text = " ".join(e.warnings)
        assert "no 'Total' row" in text and "#NAME?" in text and "3-Jun-26" in text

    def test_table_by_date_sorted_ascending(self):
        data = b"Date,Views,Watch time (hours),Average view duration\nTotal,30,1.5,0:11:34\n2024-11-26,10,0.5,0:17:53\n2024-11-25,20,1.0,0:18:12\n"
        e = parse_export(data, "Table data.csv")
        assert (e.kind, e.start, e.end, e.rows) == ("youtube_table", D(2024, 11, 25), D(2024, 11, 26), 2)
        assert list(e.table["views"]) == [20, 10]
        assert e.meta["_line"] == (4, 3)
        assert e.totals["avg_view_duration_s"] == 694.0
        assert e.meta["grouped_by"] == "date"

    def test_chart(self):
        data = (
            b"Date,Content,Video title,Video publish time,Duration,Engaged views\n"
            b'2026-07-28,abcdefghijk,T,"Sep 29, 2025",5,0\n2026-07-29,abcdefghijk,T,"Sep 29, 2025",5,7\n'
        )
        e = parse_export(data, "Chart data.csv")
        assert (e.kind, e.start, e.end, e.rows) == ("youtube_chart", D(2026, 7, 28), D(2026, 7, 29), 2)
        assert e.meta["metric"] == "engaged_views" and e.meta["metric_header"] == "Engaged views"
        assert list(e.table["engaged_views"]) == [0, 7]

    def test_chart_without_duration(self):
        e = parse_export(b"Date,Content,Video title,Video publish time,Views\n2007-08-24,abc,T,,3\n", "c.csv")
        assert e.kind == "youtube_chart" and e.meta["metric"] == "views" and e.rows == 1

    def test_empty_chart_is_refused_as_cut_short(self):
        # YouTube writes every day of the period, zeros included: a header alone is a cut-off download.
        with pytest.raises(
            InputValidationError, match=r"line 1: the file has a header but no rows.*cut short"
        ):
            parse_export(b"Date,Content,Video title,Video publish time,Duration,Views\n", "c.csv")

    def test_blank_metric_cells_are_announced_once_per_column(self):
        e = parse_export(b"Date,Views\n2026-10-03,5\n2026-10-01,\n2026-10-02,\n", "Totals.csv")
        assert e.warnings == (
            "'Views' is blank in 2 row(s) (dated 2026-10-01 to 2026-10-02): YouTube had no figure for them "
            "(as on days before it tracked the metric), so they were read as missing, not as 0.",
        )
        rows = YT_TABLE.encode().split(b"\n")
        assert rows[3].endswith(b",,60,500,8.0,-2,5000,0.4"), rows[3]  # line 4: Views 500
        rows[3] = rows[3].replace(b",,60,500,", b",,60,,")
        e = parse_export(b"\n".join(rows), "Table data.csv")
        assert any(w.startswith("'Views' is blank in 1 row(s) (first on line 4)") for w in e.warnings)

    def test_totals_metric_from_header_and_blank_values(self):
        e = parse_export(b"Date,Stayed to watch (%)\n2012-04-17,50.5\n2012-04-16,\n", "Totals.csv")
        assert (e.kind, e.start, e.end) == ("youtube_totals", D(2012, 4, 16), D(2012, 4, 17))
        assert e.meta["metric"] == "stayed_to_watch_pct"
        assert (
            pd.isna(e.table.loc[0, "stayed_to_watch_pct"]) and e.table.loc[1, "stayed_to_watch_pct"] == 50.5
        )
        assert any("blank" in w for w in e.warnings)

    def test_totals_excel_dd_mm_yyyy(self):
        e = parse_export(b"Date,Views\r\n13-06-2025,1224\r\n14-06-2025,147\r\n", "Totals.csv")
        assert (e.start, e.end) == (D(2025, 6, 13), D(2025, 6, 14))
        assert any("DD-MM-YYYY" in w for w in e.warnings)

    def test_totals_ambiguous_excel_dates_decided_by_consecutive_days(self):
        e = parse_export(b"Date,Views\n01-02-2025,1\n02-02-2025,2\n03-02-2025,3\n", "Totals.csv")
        assert (e.start, e.end) == (D(2025, 2, 1), D(2025, 2, 3))

    def test_bad_duration(self):
        data = YT_RICH.replace("1:02:03", "soon").encode()
        with pytest.raises(InputValidationError, match="H:MM:SS") as err:
            parse_export(data, "t.csv")
        assert err.value.row == 3 and err.value.column == "Average view duration"

    def test_table_grouped_by_traffic_source_is_named(self):
        data = (
            b"Traffic source,Views,Watch time (hours),Average view duration\n"
            b"Total,150,2.5,0:01:00\nYouTube search,90,1.5,0:01:00\nExternal,60,1.0,0:01:00\n"
        )
        with pytest.raises(UnrecognisedExportError, match="Table data export grouped by 'Traffic source'"):
            parse_export(data, "Table data.csv")

    def test_chart_split_by_traffic_source_is_named(self):
        data = b"Date,Traffic source,Views\n2026-05-01,YouTube search,3\n2026-05-01,External,1\n"
        with pytest.raises(UnrecognisedExportError, match="Chart data export split by 'Traffic source'"):
            parse_export(data, "Chart data.csv")

    def test_three_column_totals_still_a_table_by_date(self):
        # an Excel-saved 'Totals.csv' with two metrics and month-first dates
        data = b"Date,Views,Subscribers\n1/12/2026,331,1\n1/13/2026,605,-1\n"
        e = parse_export(data, "Totals.csv")
        assert (e.kind, e.start, e.end, e.rows) == ("youtube_table", D(2026, 1, 12), D(2026, 1, 13), 2)
