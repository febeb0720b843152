"""Unit tests for reach.ingest on tiny hand-written exports (shapes from docs/export-formats.md)."""

# ruff: noqa: E501, W291 - hand-written CSV fixtures keep real long headers and GA4 "#  " lines

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import pandas as pd
import pytest

from reach.errors import InputValidationError, ReachError, UnrecognisedExportError
from reach.ingest.detect import detect_kind
from reach.ingest.export import KINDS, Export, snake_case
from reach.ingest.inspect import inspect_files
from reach.ingest.read import find_exports, parse_export, parse_exports, read_export, read_exports

D = dt.date


def crlf(text: str, final_newline: bool = False) -> bytes:
    """GA4 bytes: CRLF line endings and (by default) no final newline."""
    lines = text.strip("\n").split("\n")
    return ("\r\n".join(lines) + ("\r\n" if final_newline else "")).encode()


def ga4(
    body: str,
    *,
    title="Pages and screens: Page path and screen class",
    blank="# ",
    segment="# All Users",
    start="20260224",
    end="20260323",
    blank_before_header=False,
) -> bytes:
    pre = [
        "# ----------------------------------------",
        f"# {title}",
        "# Account: Safer Sleep",
        "# Property: Safer Sleep - GA4",
        "# ----------------------------------------",
        blank,
        *([segment] if segment else []),
        f"# Start date: {start}",
        f"# End date: {end}",
    ]
    if blank_before_header:
        pre.append("")
    return crlf("\n".join(pre) + "\n" + body.strip("\n"))


PAGES = """\
Page path and screen class,Views,Active users,Views per active user,Average engagement time per active user,Event count,Key events,Total revenue
/,221,154,1.4350649350649352,12.35064935064935,683,0,0
/safer-sleep/,139,83,1.6746987951807228,39.34939759036145,359,0,0
/adults/,74,37,2,23.43243243243243,125,0,0
"""

DATE_BY_METRIC = """\
Date,Event count,Total users,Event count per user,Average session duration,New users,Returning users
20230710,11338,2831,4.28,61.45,2539,309
20230708,7555,1964,4.20,66.77,1718,218
20230709,6804,1814,4.15,60.81,1563,160
"""

YT_TABLE = """\
Content,Video title,Video publish time,Duration,Views,Watch time (hours),Subscribers,Impressions,Impressions click-through rate (%)
Total,,,,1500,20.5,3,9000,1.7
UWQNrpakgcA,"Safer sleep, every sleep","Aug 28, 2025",9,1000,12.5,5,4000,3.51
 -i5vAKwX_bY,Room sharing  ,,60,500,8.0,-2,5000,0.4
"""

YT_RICH = """\
Content,Video title,Video publish time,Duration,Unique viewers,Average views per viewer,Engaged views,Average view duration,Average percentage viewed (%),Views,Watch time (hours),Subscribers,Thumbnail impressions,Thumbnail click-through rate (%)
Total,,,,40,1.5,60,0:04:04,10.73,60,4.1,1,222,1.35
6xFxE92I6Nk,Is PHP the new JavaScript?,"Sep 27, 2024",978,,,27,1:02:03,139.04,27,1.9,0,200,5.02
"""


# --------------------------------------------------------------------------------------------


class TestSnakeCase:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("Amount spent (INR)", "amount_spent_inr"),
            ("Stayed to watch (%)", "stayed_to_watch_pct"),
            ("CTR (all)", "ctr_all"),
            ("\ufeffRäckvidd", "rackvidd"),
            ("  ", "column"),
        ],
    )
    def test_examples(self, text, expected):
        assert snake_case(text) == expected


class TestDetectKind:
    @pytest.mark.parametrize(
        ("data", "kind"),
        [
            (ga4(PAGES), "ga4_report"),
            (YT_TABLE.encode(), "youtube_table"),
            (b"Date,Views\nTotal,10\n2025-06-13,10\n", "youtube_table"),
            (
                b'Date,Content,Video title,Video publish time,Duration,Views\n2025-06-13,abc,t,"Sep 29, 2025",5,0\n',
                "youtube_chart",
            ),
            (b"Date,Engaged views\n2026-07-28,0\n", "youtube_totals"),
            (b"\xef\xbb\xbfPost ID,Page ID,Publish time,Views\n1,2,11/24/2025 11:00,3\n", "meta_posts"),
            ('sep=,\n"Views"\n"Date","Primary"\n"2025-08-01T00:00:00","20"\n'.encode("utf-16"), "meta_daily"),
            (b'"Campaign name",Reach,Impressions\n,10,12\n"A",10,12\n', "meta_ads"),
            (
                b"ID,Start time,Completion time,Email,Name,Q1\n1,7/2/20 11:00:22,7/2/20 11:01:24,anonymous,,Yes\n",
                "forms_microsoft",
            ),
            (b"Timestamp,Full Name\n9/6/2018 0:06:16,Bob\n", "forms_google"),
            (
                b"creation date,path or service name,feedback,type\n2024-01-31 13:45:00,/x,hi,problem-report\n",
                "feedback_feedex",
            ),
            (
                b"Submitted,Page URL,Was this page helpful?,Comment\n2026-05-03 14:22,https://x.org/a,Yes,\n",
                "feedback_page",
            ),
            (
                b"month,indicator,area_code,area_name,numerator,denominator\n2026-05,x,E10000020,Norfolk,1,2\n",
                "partner_indicators",
            ),
        ],
    )
    def test_kinds_by_content(self, data, kind):
        assert kind in KINDS
        assert detect_kind(data, "whatever.csv") == kind

    def test_name_is_only_a_tie_break(self):
        data = b"Date,Views\n2025-06-13,10\n2025-06-14,3\n"
        assert detect_kind(data, "Totals.csv") == "youtube_totals"
        assert detect_kind(data, "Table data.csv") == "youtube_table"
        # content wins over a misleading name
        assert detect_kind(ga4(PAGES), "Table data.csv") == "ga4_report"

    def test_snapshot(self):
        data = ga4(
            "Nth day,Active users\n0000,0\n0001,3", title="Reports snapshot", blank="#  ", segment=None
        )
        assert detect_kind(data) == "ga4_snapshot"

    def test_empty_file(self):
        with pytest.raises(UnrecognisedExportError, match=r"empty file \(0 bytes\)"):
            detect_kind(b"", "x.csv")

    def test_blank_lines_only(self):
        with pytest.raises(UnrecognisedExportError, match="only blank lines"):
            detect_kind(b"\r\n\r\n  \n")

    @pytest.mark.parametrize(
        ("data", "words"),
        [
            (b"\x00\x01\x02\x03\xff\xfd" * 50, "binary file"),
            (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "PNG image"),
            (b"%PDF-1.7\n%...", "PDF document"),
            (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 20, ".xls"),
        ],
    )
    def test_binary_files(self, data, words):
        with pytest.raises(UnrecognisedExportError, match=words.replace(".", r"\.")):
            detect_kind(data)

    def test_universal_analytics_is_named(self):
        data = (
            b"# ----------------------------------------\n# All Web Site Data\n# Landing Pages\n"
            b"# 20150416-20150416\n# ----------------------------------------\n\n"
            b"Landing Page,Sessions,% New Sessions\n/a,553,96.02%\n"
        )
        with pytest.raises(UnrecognisedExportError, match="Universal Analytics.*GA4"):
            detect_kind(data)

    def test_unknown_csv_quotes_its_header(self):
        with pytest.raises(UnrecognisedExportError, match="no recognised header.*'alpha, beta'"):
            detect_kind(b"alpha,beta\n1,2\n")

    def test_utf16_unknown(self):
        with pytest.raises(UnrecognisedExportError, match="UTF-16 text file with no recognised header"):
            detect_kind("hello,world\n1,2\n".encode("utf-16"))

    @pytest.mark.parametrize(
        ("data", "words"),
        [(b"<!DOCTYPE html><html><body>Sign in</body></html>", "HTML page"), (b'{"rows": []}', "JSON file")],
    )
    def test_other_text_formats(self, data, words):
        with pytest.raises(UnrecognisedExportError, match=words):
            detect_kind(data)

    def test_hash_lines_without_ga4_dates(self):
        with pytest.raises(UnrecognisedExportError, match="no GA4 '# Start date:'"):
            detect_kind(b"# just a comment\na,b\n1,2\n")

    def test_localised_meta_export(self):
        with pytest.raises(UnrecognisedExportError, match="another language"):
            detect_kind("Publicerings-id,Sid-id,Räckvidd\n1,2,3\n".encode())

    def test_zip_reports_its_table_member(self):
        assert detect_kind(
            _zip({"Chart data.csv": b"Date,Views\n2025-01-01,1\n", "Table data.csv": YT_TABLE.encode()})
        ) == ("youtube_table")

    @pytest.mark.parametrize(
        ("data", "words"),
        [
            (b"Date,Clicks,Impressions,CTR,Position\n2026-05-01,12,900,1.33%,21.4\n", "Search Console"),
            (
                b'"Project name","Safer Sleep"\n"Date range","05/01/2026 12:00 AM - 05/31/2026 11:59 PM"\n\n\n'
                b'"Metric","Top pages","No. of sessions"\n"","https://x.org/","12"\n',
                "Microsoft Clarity",
            ),
        ],
    )
    def test_other_analytics_exports_are_named(self, data, words):
        with pytest.raises(UnrecognisedExportError, match=f"{words}.*reach does not read"):
            detect_kind(data, "export.csv")

    def test_ms_forms_without_header_row_is_named(self):
        data = (
            b"1,5/3/2026 9:12,5/3/2026 9:14,anonymous,,Yes,Very clear\n"
            b"2,5/4/2026 18:40,5/4/2026 18:41,ann@example.org,Ann,No,\n"
        )
        with pytest.raises(
            UnrecognisedExportError, match="Microsoft Forms responses without their header row"
        ):
            detect_kind(data, "Safer sleep feedback.csv")

    @pytest.mark.parametrize(
        ("rows", "words"),
        [
            (
                [
                    ["# ----------------------------------------"],
                    ["# Pages and screens: Page path and screen class"],
                    ["# Start date: 20260501"],
                    ["# End date: 20260531"],
                    ["Page path and screen class", "Views"],
                    ["/", 3],
                ],
                "holding a GA4 report CSV",
            ),
            (
                [
                    ["Content", "Video title", "Video publish time", "Duration", "Views"],
                    ["Total", "", "", "", 3],
                    ["abcdefghijk", "T", "May 3, 2026", 5, 3],
                ],
                "holding a YouTube Studio 'Table data' export",
            ),
        ],
    )
    def test_xlsx_holding_a_csv_export_says_which(self, rows, words):
        openpyxl = pytest.importorskip("openpyxl")
        wb = openpyxl.Workbook()
        for row in rows:
            wb.active.append(row)
        buf = io.BytesIO()
        wb.save(buf)
        with pytest.raises(UnrecognisedExportError, match=f"{words}.*download it again as CSV"):
            parse_export(buf.getvalue(), "export.xlsx")

    def test_parse_error_names_the_kind_it_was_read_as(self):
        data = b'"Timestamp","Comment"\n"Sun May 03 2026 10:01:02 GMT+0100 (British Summer Time)","ok"\n'
        with pytest.raises(
            InputValidationError, match=r"expected a date.*read as a Google Forms responses sheet"
        ) as err:
            parse_export(data, "Form responses 1.csv")
        assert (err.value.row, err.value.column) == (2, "Timestamp")

    def test_spreadsheet_dates_are_named_as_such(self):
        data = (
            b'"Campaign name",Reach,"Reporting starts","Reporting ends"\n'
            b",10,01/05/2026,31/05/2026\nSafer sleep,10,01/05/2026,31/05/2026\n"
        )
        with pytest.raises(
            InputValidationError, match="how a spreadsheet writes dates.*Meta Ads Manager"
        ) as err:
            parse_export(data, "Untitled-report.csv")
        assert err.value.column == "Reporting starts"


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

    def test_chart_without_duration_and_empty_chart(self):
        e = parse_export(b"Date,Content,Video title,Video publish time,Views\n2007-08-24,abc,T,,3\n", "c.csv")
        assert e.kind == "youtube_chart" and e.meta["metric"] == "views" and e.rows == 1
        empty = parse_export(b"Date,Content,Video title,Video publish time,Duration,Views\n", "c.csv")
        assert empty.rows == 0 and empty.start is None
        assert any("no rows" in w for w in empty.warnings)

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


# --------------------------------------------------------------------------------------------

POSTS = (
    "Post ID,Page ID,Page name,Title,Description,Duration (sec),Publish time,Permalink,Post type,Views,Reach,"
    '"Reactions, Comments and Shares",Reactions,Comments,Shares,Total clicks,Link clicks,Other Clicks,'
    "3-Second Video Views\n"
    '122158000000000123,1039829308656930,NSCP,Safer sleep,"Back to sleep, every sleep",,11/24/2025 11:00,'
    "https://fb.com/1,Photos,1200,900,30,20,5,5,40,10,30,\n"
    "122158000000000456,1039829308656930,NSCP,Reel,desc,45,11/25/2025 "
    "09:30,https://fb.com/2,Reels,,500,3,2,1,0,4,1,3,120\n"
)


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


class TestParseForms:
    def test_google_drops_email_and_trims(self):
        data = (
            b"Timestamp,Email address,Which district do you live or work in?,Comment\n"
            b"13/05/2026 10:01:02,a@b.org,Norwich  ,ok \n14/05/2026 11:00:00,c@d.org,Breckland,\n"
        )
        e = parse_export(data, "Safer sleep (Responses) - Form responses 1.csv")
        assert (e.kind, e.start, e.end, e.rows) == ("forms_google", D(2026, 5, 13), D(2026, 5, 14), 2)
        assert list(e.table.columns) == ["completed_at", "Which district do you live or work in?", "Comment"]
        assert list(e.table["Which district do you live or work in?"]) == ["Norwich", "Breckland"]
        assert pd.isna(e.table.loc[1, "Comment"])
        assert e.meta["dropped_columns"] == ["Email address"]

    def test_google_month_first_evidence(self):
        e = parse_export(b"Timestamp,Q\n5/13/2026 10:01:02,a\n5/1/2026 9:00:00,b\n", "f.csv")
        assert list(e.table["completed_at"]) == list(
            pd.to_datetime(["2026-05-13 10:01:02", "2026-05-01 09:00:00"])
        )

    def test_ambiguous_dates_need_date_order(self):
        data = b"Timestamp,Full Name\n9/6/2018 0:06:16,Bob\n"
        with pytest.raises(InputValidationError, match="date_order") as err:
            parse_export(data, "f.csv")
        assert "forms_date_order" in str(err.value) and err.value.row == 2
        assert parse_export(data, "f.csv", date_order="MDY").start == D(2018, 9, 6)
        assert parse_export(data, "f.csv", date_order="dmy").start == D(2018, 6, 9)

    def test_evidence_beats_date_order_with_warning(self):
        e = parse_export(b"Timestamp,Q\n13/05/2026 10:01:02,a\n", "f.csv", date_order="MDY")
        assert e.start == D(2026, 5, 13)
        assert any("DMY" in w for w in e.warnings)

    def test_mixed_orders_rejected(self):
        with pytest.raises(InputValidationError, match="mix day-first and month-first"):
            parse_export(b"Timestamp,Q\n13/05/2026 10:00,a\n05/13/2026 10:00,b\n", "f.csv")

    def test_bad_date_order_option(self):
        with pytest.raises(InputValidationError, match="DMY' or 'MDY"):
            parse_export(b"Timestamp,Q\n13/05/2026 10:00,a\n", "f.csv", date_order="YMD")

    def test_microsoft_csv(self):
        data = (
            b'ID,Start time,Completion time,Email,Name,"Where did you see safer sleep information?",'
            b'"Which of these are part of the safer sleep advice?"\n'
            b"1,7/2/20 11:00:22,7/2/20 11:01:24,someone@x.org,Jo Bloggs,Health visitor,Back to sleep;Clear cot;\n"
            b"2,7/14/20 9:00:00,7/14/20 9:05:00,anonymous,,Facebook,Back to sleep;\n"
        )
        e = parse_export(data, "Safer sleep feedback.csv")
        assert (e.kind, e.start, e.end, e.rows) == ("forms_microsoft", D(2020, 7, 2), D(2020, 7, 14), 2)
        cols = list(e.table.columns)
        assert cols == [
            "started_at",
            "completed_at",
            "Where did you see safer sleep information?",
            "Which of these are part of the safer sleep advice?",
        ]
        assert (
            e.table.loc[0, "Which of these are part of the safer sleep advice?"] == "Back to sleep;Clear cot;"
        )
        assert not any("someone@x.org" in str(v) for v in e.table.astype(str).to_numpy().ravel())
        assert e.meta["dropped_columns"] == ["ID", "Email", "Name"]

    def test_microsoft_xlsx(self):
        openpyxl = pytest.importorskip("openpyxl")
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.append(
            ["Id", "Start time", "Completion time", "Email", "Name", "Was the information helpful?", "Score"]
        )
        ws.append(
            [1, dt.datetime(2026, 5, 3, 9, 0), dt.datetime(2026, 5, 3, 9, 4), "anonymous", None, "Yes", 4]
        )
        ws.append(
            [2, dt.datetime(2026, 5, 9, 9, 0), dt.datetime(2026, 5, 9, 9, 2), "anonymous", None, "No", 2]
        )
        buf = io.BytesIO()
        wb.save(buf)
        data = buf.getvalue()
        assert detect_kind(data, "responses.xlsx") == "forms_microsoft"
        e = parse_export(data, "responses.xlsx")
        assert (e.kind, e.start, e.end, e.rows) == ("forms_microsoft", D(2026, 5, 3), D(2026, 5, 9), 2)
        assert list(e.table["Was the information helpful?"]) == ["Yes", "No"]
        assert e.meta["_line"] == (2, 3)

    def test_other_xlsx_rejected(self):
        openpyxl = pytest.importorskip("openpyxl")
        wb = openpyxl.Workbook()
        wb.active.append(["Month", "Births"])
        buf = io.BytesIO()
        wb.save(buf)
        with pytest.raises(UnrecognisedExportError, match="not a Microsoft Forms"):
            parse_export(buf.getvalue(), "births.xlsx")


class TestParseFeedback:
    def test_feedex_embedded_newlines(self):
        data = (
            b"creation date,path or service name,feedback,service satisfaction rating,type\n"
            b'2024-01-31 13:45:00,/safer-sleep,"reading advice\nlink broken",,problem-report\n'
            b"2024-02-01 09:00:00,/safer-sleep,great,5,service-feedback\n"
        )
        e = parse_export(data, "feedex_2024-01-01_2024-02-29_safer-sleep.csv")
        assert (e.kind, e.start, e.end, e.rows) == ("feedback_feedex", D(2024, 1, 31), D(2024, 2, 1), 2)
        assert e.table.loc[0, "feedback"] == "reading advice\nlink broken"
        assert e.meta["_line"] == (2, 4)
        assert list(e.table.columns) == [
            "created_at",
            "path",
            "feedback",
            "service_satisfaction_rating",
            "type",
        ]

    def test_page_feedback(self):
        data = (
            b"Submitted,Page URL,Was this page helpful?,Comment\n"
            b"2026-05-03 14:22:00,https://www.norfolklscp.org.uk/safer-sleep/advice?utm=x,Yes,\n"
            b"2026-05-04 08:00:00,/safer-sleep/,No,Too long\n"
        )
        e = parse_export(data, "page-feedback.csv")
        assert (e.kind, e.start, e.end, e.rows) == ("feedback_page", D(2026, 5, 3), D(2026, 5, 4), 2)
        assert list(e.table["page_path"]) == ["/safer-sleep/advice", "/safer-sleep/"]
        assert list(e.table["helpful"]) == [True, False]
        assert pd.isna(e.table.loc[0, "comment"]) and e.table.loc[1, "comment"] == "Too long"

    def test_page_feedback_bad_helpful(self):
        data = b"Submitted,Page URL,Was this page helpful?,Comment\n2026-05-03 14:22:00,/a,Maybe,\n"
        with pytest.raises(InputValidationError, match="Yes or No") as err:
            parse_export(data, "f.csv")
        assert err.value.row == 2 and err.value.column == "Was this page helpful?"


class TestParsePartnerIndicators:
    def test_months(self):
        data = (
            b"month,indicator,area_code,area_name,numerator,denominator\n"
            b"2026-04,safer_sleep_conversations,E10000020,Norfolk,120,600\n"
            b"2026-05-01,safer_sleep_conversations,E07000148,Norwich,30,150\n"
        )
        e = parse_export(data, "partner.csv")
        assert (e.kind, e.start, e.end, e.rows) == ("partner_indicators", D(2026, 4, 1), D(2026, 5, 31), 2)
        assert list(e.table["month"]) == list(pd.to_datetime(["2026-04-01", "2026-05-01"]))
        assert str(e.table["numerator"].dtype) == "Int64"

    def test_bad_month(self):
        data = b"month,indicator,area_code,area_name,numerator,denominator\nspring,x,E10000020,Norfolk,1,2\n"
        with pytest.raises(InputValidationError, match="month") as err:
            parse_export(data, "p.csv")
        assert err.value.row == 2


# --------------------------------------------------------------------------------------------


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


class TestParseExport:
    def test_never_leaks_raw_exceptions(self):
        samples = [
            b"\xff\xfe\x00",  # truncated UTF-16
            b"Timestamp,Q\n99/99/2026 10:00,a\n",
            b"Date,Views\n2025-02-30,1\n",
            b"\xc3\x28Content,Video title\n",  # invalid UTF-8 -> Windows-1252 fallback
            b"PK\x03\x04garbage",
            ga4("Date,Views\n2026022x,1"),
        ]
        for data in samples:
            try:
                parse_export(data, "bad.csv")
            except ReachError as err:
                assert "bad.csv" in str(err)
            except Exception as err:  # pragma: no cover - the assertion message is the point
                pytest.fail(f"raw {type(err).__name__} escaped for {data[:20]!r}: {err}")

    def test_windows_1252_fallback_warns(self):
        data = "Timestamp,Comment\n13/05/2026 10:00:00,café\n".encode("cp1252")
        e = parse_export(data, "f.csv")
        assert e.table.loc[0, "Comment"] == "café"
        assert any("Windows-1252" in w for w in e.warnings)

    def test_semicolon_separated_resave(self):
        e = parse_export(b"Date;Views\n2025-06-13;4\n2025-06-14;5\n", "Totals.csv")
        assert e.kind == "youtube_totals" and e.rows == 2
        assert any("separated by ';'" in w for w in e.warnings)

    def test_zip_members(self):
        data = _zip(
            {
                "Table data.csv": YT_TABLE.encode(),
                "Chart data.csv": b"Date,Content,Video title,Video publish time,Duration,Views\n2025-06-13,abc,T,,5,0\n",
                "Totals.csv": b"Date,Views\n2025-06-13,0\n",
                "__MACOSX/._Table data.csv": b"junk",
            }
        )
        e = parse_export(data, "Content 2025-06-13_2026-06-12 Channel.zip")
        assert e.kind == "youtube_table" and e.path.name == "Table data.csv"
        assert sorted(m.kind for m in e.meta["members"]) == [
            "youtube_chart",
            "youtube_table",
            "youtube_totals",
        ]
        assert any("3 exports" in w for w in e.warnings)
        kinds = [x.kind for x in parse_exports(data, "c.zip")]
        assert kinds == ["youtube_chart", "youtube_table", "youtube_totals"]  # member name order

    @pytest.mark.parametrize("bad", ["../evil.csv", "/etc/evil.csv", "a/../../evil.csv"])
    def test_zip_rejects_unsafe_member_paths(self, bad):
        data = _zip({bad: YT_TABLE.encode()})
        with pytest.raises(InputValidationError, match="absolute or '..' path"):
            parse_export(data, "c.zip")


class TestReadExport:
    def test_reads_file_without_writing(self, tmp_path):
        p = tmp_path / "Pages.csv"
        p.write_bytes(ga4(PAGES))
        before = sorted(tmp_path.iterdir())
        e = read_export(p)
        assert e.kind == "ga4_report" and e.path == p
        assert sorted(tmp_path.iterdir()) == before

    def test_missing_file(self, tmp_path):
        with pytest.raises(InputValidationError, match="not found"):
            read_export(tmp_path / "nope.csv")

    def test_folder_is_not_a_file(self, tmp_path):
        with pytest.raises(InputValidationError, match="folder"):
            read_export(tmp_path)

    def test_read_exports_zip(self, tmp_path):
        p = tmp_path / "yt.zip"
        p.write_bytes(
            _zip({"Table data.csv": YT_TABLE.encode(), "Totals.csv": b"Date,Views\n2025-06-13,0\n"})
        )
        assert [e.kind for e in read_exports(p)] == ["youtube_table", "youtube_totals"]
        assert read_export(p).kind == "youtube_table"


class TestInspectFiles:
    def test_good_and_bad(self, tmp_path):
        good = tmp_path / "Pages.csv"
        good.write_bytes(ga4(PAGES))
        bad = tmp_path / "empty.csv"
        bad.write_bytes(b"")
        neg = tmp_path / "neg.csv"
        neg.write_bytes(ga4(PAGES.replace("139,83", "-139,83")))
        out = inspect_files([good, bad, neg, tmp_path / "missing.csv"])
        json.dumps(out)  # JSON-ready
        assert out[0] == {
            "path": str(good),
            "kind": "ga4_report",
            "start": "2026-02-24",
            "end": "2026-03-23",
            "rows": 3,
            "warnings": [],
        }
        assert out[1]["kind"] is None and "empty file" in out[1]["error"]
        assert out[2]["kind"] == "ga4_report" and "line 12" in out[2]["error"]
        assert "not found" in out[3]["error"]

    def test_folder_and_zip_expanded(self, tmp_path):
        (tmp_path / "yt.zip").write_bytes(
            _zip({"Table data.csv": YT_TABLE.encode(), "Totals.csv": b"Date,Views\n2025-06-13,0\n"})
        )
        out = inspect_files([tmp_path])
        assert [o["kind"] for o in out] == ["youtube_table", "youtube_totals"]
        assert out[0]["path"].endswith("yt.zip/Table data.csv")


class TestFindExports:
    def test_recursive_sorted_skipping_junk(self, tmp_path):
        for rel in [
            "b.csv",
            "a/z.csv",
            "a/y.xlsx",
            ".hidden.csv",
            ".git/x.csv",
            "README.md",
            "readme.txt",
            "a/.gitkeep",
            "~$lock.xlsx",
        ]:
            p = tmp_path / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_bytes(b"x")
        got = [p.relative_to(tmp_path).as_posix() for p in find_exports(tmp_path)]
        assert got == ["a/y.xlsx", "a/z.csv", "b.csv"]

    def test_missing_folder(self, tmp_path):
        with pytest.raises(InputValidationError, match="does not exist"):
            find_exports(tmp_path / "2026-13")
