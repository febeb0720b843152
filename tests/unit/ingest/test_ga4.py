# ruff: noqa: E501, W291 - hand-written CSV fixtures keep real long headers and GA4 "#  " lines

from __future__ import annotations

import pandas as pd
import pytest

from reach.errors import InputValidationError
from reach.ingest.export import Export
from reach.ingest.read import parse_export
from tests.unit.ingest.exports import DATE_BY_METRIC, PAGES, D, crlf, ga4

# --------------------------------------------------------------------------------------------


class TestParseGA4Report:
    def test_preamble_and_table(self):
        e = parse_export(ga4(PAGES), "Pages_and_screens_Page_path_and_screen_class.csv")
        assert isinstance(e, Export)
        assert (e.kind, e.start, e.end, e.rows) == ("ga4_report", D(2026, 2, 24), D(2026, 3, 23), 3)
        assert list(e.table.columns) == [
            "page_path",
            "views",
            "active_users",
            "views_per_active_user",
            "avg_engagement_time_per_active_user",
            "event_count",
            "key_events",
            "total_revenue",
        ]
        assert e.meta["report_title"] == "Pages and screens: Page path and screen class"
        assert e.meta["account"] == "Safer Sleep"
        assert e.meta["property"] == "Safer Sleep - GA4"
        assert e.meta["segment"] == "All Users"
        assert e.meta["dimensions"] == ["page_path"]
        assert e.meta["columns"]["views"] == "Views"
        assert e.meta["units"]["avg_engagement_time_per_active_user"] == "seconds"
        assert e.meta["_line"] == (11, 12, 13)
        assert e.totals is None and e.warnings == ()

    def test_dtypes(self):
        t = parse_export(ga4(PAGES), "p.csv").table
        assert str(t["views"].dtype) == "Int64"
        assert t["views_per_active_user"].dtype == "float64"
        assert t["total_revenue"].dtype == "float64"
        assert t["page_path"].dtype == "str"
        assert t.loc[2, "views_per_active_user"] == 2.0

    @pytest.mark.parametrize("blank", ["# ", "#  ", "#"])
    def test_blank_comment_variants(self, blank):
        e = parse_export(ga4(PAGES, blank=blank), "p.csv")
        assert e.rows == 3 and e.start == D(2026, 2, 24)

    def test_blank_line_before_header(self):
        e = parse_export(ga4(PAGES, blank_before_header=True), "p.csv")
        assert e.kind == "ga4_report" and e.rows == 3

    def test_lf_and_final_newline_also_fine(self):
        data = ga4(PAGES).replace(b"\r\n", b"\n") + b"\n"
        assert parse_export(data, "p.csv").rows == 3

    def test_date_sorted_by_metric_is_sorted_by_date(self):
        e = parse_export(
            ga4(DATE_BY_METRIC, title="Report CSV Export", start="20230708", end="20230710"), "d.csv"
        )
        assert list(e.table["date"]) == list(pd.to_datetime(["2023-07-08", "2023-07-09", "2023-07-10"]))
        assert list(e.table["event_count"]) == [7555, 6804, 11338]
        assert e.meta["_line"] == (12, 13, 11)  # physical lines follow the rows
        assert e.table["date"].dtype == "datetime64[ns]"
        assert "event_count_per_active_user" in e.table.columns  # 2023 'per user' name mapped
        assert e.meta["report_title"] == "Report CSV Export"

    def test_2023_names_map_to_2024_names(self):
        body = (
            "Session default channel group,Users,Sessions,Engaged sessions,Average engagement time,"
            "Engaged sessions per user,Events per session,Engagement rate,Event "
            "count,Conversions,Total revenue\n"
            "Organic Search,309,482,323,60.79045643,1.045307443,6.682572614,0.670124481,3221,0,0\n"
        )
        e = parse_export(ga4(body, title="Report CSV Export"), "data-export.csv")
        assert list(e.table.columns) == [
            "channel_group",
            "active_users",
            "sessions",
            "engaged_sessions",
            "avg_engagement_time_per_active_user",
            "engaged_sessions_per_active_user",
            "events_per_session",
            "engagement_rate",
            "event_count",
            "key_events",
            "total_revenue",
        ]
        assert e.meta["units"]["engagement_rate"] == "fraction (0-1)"

    def test_special_dimension_values_kept_and_other_flagged(self):
        body = (
            "Landing page,Sessions,Active users\n"
            "/shop,845,811\n(not set),113,64\n,13,12\n(other),40,39\n"
            '"/a,b",2,2\n"/say ""hi""",1,1\n'
        )
        e = parse_export(ga4(body, title="Landing page: Landing page"), "l.csv")
        assert list(e.table["landing_page"]) == ["/shop", "(not set)", "", "(other)", "/a,b", '/say "hi"']
        assert any("(other)" in w and "line 14" in w for w in e.warnings)

    def test_secondary_dimension(self):
        body = "Event name,Session source,Event count,Total users\npage_view,google,10,5\npage_view,(direct),4,2\n"
        e = parse_export(ga4(body, title="Events: Event name"), "e.csv")
        assert e.meta["dimensions"] == ["event_name", "source"]
        assert list(e.table["source"]) == ["google", "(direct)"]

    def test_date_plus_page_path(self):
        body = "Date,Page path and screen class,Views\n20260225,/b,3\n20260224,/a,9\n20260224,/b,5\n"
        e = parse_export(ga4(body), "d.csv")
        assert e.meta["dimensions"] == ["date", "page_path"]
        assert list(e.table["page_path"]) == ["/a", "/b", "/b"]
        assert list(e.table["views"]) == [9, 5, 3]
        assert e.warnings == ()  # the title's dimension is among the header's dimensions

    def test_date_as_secondary_dimension_also_sorted(self):
        body = "Page path and screen class,Date,Views\n/a,20260226,9\n/b,20260224,5\n/a,20260224,3\n"
        e = parse_export(ga4(body), "d.csv")
        assert e.meta["dimensions"] == ["page_path", "date"]
        assert list(e.table["views"]) == [3, 5, 9]
        assert e.meta["_line"] == (13, 12, 11)

    def test_grand_total_row_dropped(self):
        body = "Page path,Views\nGrand total,30\n/a,20\n/b,10\n"
        e = parse_export(ga4(body), "p.csv")
        assert list(e.table["page_path"]) == ["/a", "/b"]
        assert any("Grand total" in w for w in e.warnings)

    def test_header_not_title_names_the_dimension(self):
        body = "Page title and screen class,Views\nSafer sleep,3\n"
        e = parse_export(ga4(body), "p.csv")
        assert list(e.table.columns) == ["page_title", "views"]
        assert e.meta["title_dimension"] == "Page path and screen class"

    def test_excel_trailing_commas_tolerated(self):
        text = (
            "# Report CSV Export,,,\n# Account: NSTEM,,,\n# Property: NSTEM - GA4,,,\n# All Users,,,\n"
            "# Start date: 20230625,,,\n# End date: 20230702,,,\n,,,\n"
            "Session default channel group,Users,Sessions,,\nOrganic Search,309,482,,\nUnassigned,5,6,,\n"
        )
        e = parse_export(text.encode(), "data-export.csv")
        assert (e.kind, e.rows, e.start, e.end) == ("ga4_report", 2, D(2023, 6, 25), D(2023, 7, 2))
        assert list(e.table.columns) == ["channel_group", "active_users", "sessions"]
        assert any("re-saved by a spreadsheet" in w for w in e.warnings)

    def test_notes_typed_under_the_table_are_ignored(self):
        # An Excel re-save pads every line with commas; the user then typed notes under the table.
        text = (
            "# Report CSV Export,,\n# Account: NSCP,,\n# All Users,,\n# Start date: 20260501,,\n"
            "# End date: 20260531,,\n,,\nSession default channel group,Users,Sessions\n"
            "Organic Search,30,48\nDirect,17,24\n,,\n,,\nRates compared ,,\n5/1-5/31,,\n0.67,,\n"
        )
        e = parse_export(text.encode(), "data-export.csv")
        assert (e.kind, e.start, e.end, e.rows) == ("ga4_report", D(2026, 5, 1), D(2026, 5, 31), 2)
        assert list(e.table["channel_group"]) == ["Organic Search", "Direct"]
        assert any("Lines 12 to 14" in w and "not part of the GA4 export" in w for w in e.warnings)
        assert any("extra empty columns" in w for w in e.warnings)

    def test_padded_preamble_alone_is_announced(self):
        # Excel pads each line to the widest one: only the '#' lines show it.
        lines = ga4(PAGES).decode().split("\r\n")
        data = "\r\n".join(f"{ln},,,,,,," if ln.startswith("#") else ln for ln in lines).encode()
        e = parse_export(data, "p.csv")
        assert e.rows == 3
        assert any("'#' preamble" in w and "re-saved by a spreadsheet" in w for w in e.warnings)

    def test_comma_inside_a_comment_is_not_padding(self):
        data = ga4(PAGES, title="Views, by page path", segment="# All Users, Norfolk")
        e = parse_export(data, "p.csv")
        assert e.meta["report_title"] == "Views, by page path" and e.warnings == ()

    def test_detail_report_in_comparison_mode(self):
        body = (
            PAGES.strip("\n")
            + "\n\n# Start date: 20260124\n# End date: 20260223\n"
            + "Page path and screen class,Views,Active users,Views per active user,Average engagement time per active user,Event count,Key events,Total revenue\n"
            + "/,100,80,1.25,10,300,0,0\n/adults/,0,0,0,0,0,0,0\n"
        )
        e = parse_export(ga4(body), "Pages_and_screens_Page_path_and_screen_class.csv")
        assert (e.kind, e.start, e.end, e.rows) == ("ga4_report", D(2026, 2, 24), D(2026, 3, 23), 3)
        assert e.meta["dimensions"] == ["page_path"]
        (other,) = e.meta["comparison_tables"]
        assert (other["start"], other["end"], len(other["frame"])) == (D(2026, 1, 24), D(2026, 2, 23), 2)
        assert any("comparison mode" in w and "2026-01-24 to 2026-02-23" in w for w in e.warnings)

    def test_truncated_quote_is_an_input_error_with_line(self):
        data = ga4(PAGES) + b'\r\n"/unterminated,1,1,1,1,1,0,0'
        with pytest.raises(InputValidationError, match="quoting is broken") as err:
            parse_export(data, "p.csv")
        assert err.value.row == 14 and err.value.path == "p.csv"

    def test_truncated_last_row(self):
        data = ga4(PAGES) + b"\r\n/cut,12,3"
        with pytest.raises(InputValidationError, match="truncated") as err:
            parse_export(data, "p.csv")
        assert err.value.row == 14

    def test_not_a_number_names_line_column_value(self):
        data = ga4(PAGES.replace("139,83", "1 39,83"))
        with pytest.raises(InputValidationError, match="expected a number") as err:
            parse_export(data, "p.csv")
        assert (err.value.row, err.value.column, err.value.value) == (12, "Views", "1 39")

    def test_fractional_count_rejected(self):
        with pytest.raises(InputValidationError, match="whole number") as err:
            parse_export(ga4(PAGES.replace("221,154", "221.5,154")), "p.csv")
        assert err.value.column == "Views"

    def test_bad_start_date(self):
        with pytest.raises(InputValidationError, match="YYYYMMDD") as err:
            parse_export(ga4(PAGES, start="2026-02-24"), "p.csv")
        assert err.value.row == 8

    def test_without_preamble(self):
        e = parse_export(PAGES.encode(), "p.csv")
        assert e.kind == "ga4_report" and e.start is None and e.rows == 3


class TestReadingValues:
    """Dates and numbers are read column by column; a bad cell is still named by its line."""

    DAILY = "Date,Page path and screen class,Views\n20260301,/,5\n20260302,/,4\n{third},/, 3 \n"

    def test_padded_dates_and_numbers_are_read(self):
        e = parse_export(
            ga4(self.DAILY.format(third=" 20260303 "), start="20260301", end="20260331"), "d.csv"
        )
        assert list(e.table["date"]) == [pd.Timestamp(f"2026-03-0{d}") for d in (1, 2, 3)]
        assert list(e.table["views"]) == [5, 4, 3]

    def test_an_impossible_date_is_named_by_its_line(self):
        with pytest.raises(InputValidationError) as err:
            parse_export(ga4(self.DAILY.format(third="20260230"), start="20260201", end="20260331"), "d.csv")
        assert (err.value.row, err.value.column, err.value.value) == (13, "Date", "20260230")

    def test_a_word_among_numbers_is_named_by_its_line(self):
        with pytest.raises(InputValidationError) as err:
            parse_export(ga4(self.DAILY.replace(",/,4", ",/,four").format(third="20260303")), "d.csv")
        assert (err.value.row, err.value.column, err.value.value) == (12, "Views", "four")


class TestParseGA4Snapshot:
    SNAP = """\
# ----------------------------------------
# Reports snapshot
# Account: NSCP
# Property: Safer Sleep
# ----------------------------------------
#  
# Start date: 20250801
# End date: 20250803
Nth day,Active users
0000,0
0001,4
0002,7

# Start date: 20250701
# End date: 20250703
Nth day,Active users
0000,1
0001,2
0002,0

# Where do your new users come from?
# Start date: 20250801
# End date: 20250803
First user primary channel group (Default Channel Group),New users
Direct,27
Organic Social,26

# How well do you retain your users?
# Start date: 20250706
# End date: 20250726
Date,Week 0,Week 1
Jul 6 - Jul 12,10,3
Jul 20 - Jul 26,21,-1

# What are your top performing key events?
# Start date: 20250801
# End date: 20250803
Event name,Key events

"""

    def test_tables(self):
        e = parse_export(self.SNAP.encode(), "Reports_snapshot.csv")
        assert (e.kind, e.start, e.end, e.rows) == ("ga4_snapshot", D(2025, 8, 1), D(2025, 8, 3), 3)
        tables = e.meta["tables"]
        assert [t["title"] for t in tables] == [
            "Reports snapshot",
            None,
            "Where do your new users come from?",
            "How well do you retain your users?",
            "What are your top performing key events?",
        ]
        assert [(t["start"], t["end"]) for t in tables][:2] == [
            (D(2025, 8, 1), D(2025, 8, 3)),
            (D(2025, 7, 1), D(2025, 7, 3)),
        ]
        assert [t["dimension"] for t in tables] == [
            "date",
            "date",
            "first_user_channel_group",
            "cohort",
            "event_name",
        ]
        assert e.table.equals(tables[0]["frame"])

    def test_nth_day_uses_its_own_start_date(self):
        tables = parse_export(self.SNAP.encode(), "s.csv").meta["tables"]
        assert list(tables[0]["frame"]["date"]) == list(pd.date_range("2025-08-01", periods=3))
        assert list(tables[1]["frame"]["date"]) == list(pd.date_range("2025-07-01", periods=3))

    def test_retention_minus_one_is_missing(self):
        e = parse_export(self.SNAP.encode(), "s.csv")
        frame = e.meta["tables"][3]["frame"]
        assert list(frame["cohort"]) == ["Jul 6 - Jul 12", "Jul 20 - Jul 26"]
        assert frame.loc[1, "week_1"] is pd.NA
        assert any("-1" in w for w in e.warnings)

    def test_empty_table(self):
        frame = parse_export(self.SNAP.encode(), "s.csv").meta["tables"][4]["frame"]
        assert list(frame.columns) == ["event_name", "key_events"] and frame.empty

    COMPARED = """\
# ----------------------------------------
# Reports snapshot
# Account: NSCP
# Property: Safer Sleep
# ----------------------------------------
#  
# Start date: 20260501
# End date: 20260531
Active users,New users,Average engagement time per active user,Event count
410,380,61.5,5200

# Start date: 20260401
# End date: 20260430
Active users,New users,Average engagement time per active user,Event count
120,118,40.25,1400

#  
# Start date: 20260501
# End date: 20260531
City,Active users
Norwich,88
Great Yarmouth,0

# Start date: 20260401
# End date: 20260430
City,Active users
Norwich,30
Great Yarmouth,2
"""

    def test_headline_card_has_no_dimension(self):
        e = parse_export(self.COMPARED.encode(), "Reports_snapshot.csv")
        assert (e.kind, e.start, e.end, e.rows) == ("ga4_snapshot", D(2026, 5, 1), D(2026, 5, 31), 1)
        assert e.meta["dimensions"] == []
        assert str(e.table["active_users"].dtype) == "Int64" and e.table.loc[0, "active_users"] == 410
        assert [t["dimension"] for t in e.meta["tables"]] == [None, None, "city", "city"]

    def test_comparison_mode_is_announced_with_both_periods(self):
        e = parse_export(self.COMPARED.encode(), "Reports_snapshot.csv")
        assert e.meta["comparison_period"] == (D(2026, 4, 1), D(2026, 4, 30))
        assert [(t["start"], t["end"]) for t in e.meta["tables"]][2:] == [
            (D(2026, 5, 1), D(2026, 5, 31)),
            (D(2026, 4, 1), D(2026, 4, 30)),
        ]
        assert any("comparison mode" in w and "2026-04-01 to 2026-04-30" in w for w in e.warnings)

    def test_retention_rows_shorter_than_the_header(self):
        # GA4 writes only the weeks a cohort has reached: later rows stop early.
        text = """\
# ----------------------------------------
# Reports snapshot
# Account: NSCP
# Property: Safer Sleep
# ----------------------------------------
#  
# How well do you retain your users?
# Start date: 20260405
# End date: 20260509
Date,Week 0,Week 1,Week 2,Week 3,Week 4
Apr 5 - Apr 11,40,2,1
Apr 12 - Apr 18,31,0,-1
Apr 19 - Apr 25,28,-1
"""
        e = parse_export(crlf(text), "Reports_snapshot.csv")
        (table,) = e.meta["tables"]
        frame = table["frame"]
        assert list(frame.columns) == ["cohort", "week_0", "week_1", "week_2", "week_3", "week_4"]
        assert list(frame["week_0"]) == [40, 31, 28]
        assert frame.loc[0, "week_2"] == 1 and frame.loc[0, "week_3"] is pd.NA
        assert frame.loc[2, "week_1"] is pd.NA and frame.loc[2, "week_4"] is pd.NA
        assert any("stop before the last week column" in w for w in e.warnings)
