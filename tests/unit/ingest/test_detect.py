# ruff: noqa: E501, W291 - hand-written CSV fixtures keep real long headers and GA4 "#  " lines

from __future__ import annotations

import io

import pytest

from reach.errors import InputValidationError, UnrecognisedExportError
from reach.ingest.detect import detect_kind
from reach.ingest.export import KINDS
from reach.ingest.read import parse_export
from tests.unit.ingest.exports import PAGES, YT_TABLE, _zip, ga4


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

    def test_unknown_csv_is_described_without_quoting_it(self):
        # The file could be anything (a system file behind a link, personal data): its text is never quoted.
        with pytest.raises(UnrecognisedExportError, match="no recognised header") as err:
            detect_kind(b"alpha,beta\n1,2\n")
        assert "first line has 2 comma-separated values" in str(err.value)
        assert "alpha" not in str(err.value) and "beta" not in str(err.value)

    def test_unknown_single_line_without_line_break_may_be_cut(self):
        with pytest.raises(UnrecognisedExportError, match="only line, with no line break.*cut short"):
            detect_kind(b"Post ID,Page ID,Page na")

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
