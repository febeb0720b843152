"""Tests for reach.ingest.damage: downloads cut short and rows missing against the file's own totals.

Each input is a tiny hand-written export; each expected line number is counted by hand from it.
"""

# ruff: noqa: E501 - hand-written CSV fixtures keep real long headers

from __future__ import annotations

import pytest

from reach.errors import InputValidationError
from reach.ingest.limits import ReadLimits
from reach.ingest.read import parse_export
from tests.unit.ingest.exports import PAGES, POSTS, ga4

TOTALS = b"Date,Views\n2026-10-01,19\n2026-10-02,14\n2026-10-03,21\n"
CHART = b"Date,Content,Video title,Video publish time,Duration,Views\n2026-10-01,abc,T,,5,3\n2026-10-02,abc,T,,5,4\n"
TABLE = (
    b"Content,Video title,Video publish time,Duration,Views\n"
    b"Total,,,,1000\n"
    b'abcdefghijk,A,"Mar 4, 2024",5,600\n'
    b'bcdefghijkl,B,"Mar 5, 2024",5,240\n'
)
ADS_HEADER = '"Campaign name",Reach,Impressions,"Reporting starts","Reporting ends"\n'
ADS_TOTAL = ",1000,1500,2026-10-01,2026-10-31\n"
POSTS_NAME = "Oct-01-2026_Oct-31-2026_1039829308656930.csv"


def refused(data: bytes, name: str, **kwargs) -> str:
    with pytest.raises(InputValidationError) as err:
        parse_export(data, name, **kwargs)
    message = str(err.value)
    assert "\n" not in message and message.startswith(name)
    return message


class TestCutAtTheEnd:
    @pytest.mark.parametrize(
        ("data", "name", "line", "source"),
        [
            (TOTALS[:-1], "Totals.csv", 4, "YouTube Studio"),  # the final line break lost
            (TOTALS[:-3], "Totals.csv", 4, "YouTube Studio"),  # '21' cut to '2': still a number
            (CHART[:-2], "Chart data.csv", 3, "YouTube Studio"),
            (POSTS.encode().rstrip(b"\n"), POSTS_NAME, 3, "Meta Business Suite"),
            (
                (ADS_HEADER + ADS_TOTAL + '"Safer sleep",1000,1500,2026-10-01,2026-10-31').encode(),
                "ads.csv",
                3,
                "Meta Ads Manager",
            ),
        ],
    )
    def test_a_source_that_ends_every_file_with_a_line_break(self, data, name, line, source):
        message = refused(data, name)
        assert (
            f", line {line}: the file ends inside this line, with no line break after it, but {source}"
            in message
        )
        assert "cut short - download it again" in message

    def test_the_same_files_whole_are_read(self):
        assert parse_export(TOTALS, "Totals.csv").rows == 3
        assert parse_export(CHART, "Chart data.csv").rows == 2
        assert parse_export(POSTS.encode(), POSTS_NAME).rows == 2

    def test_ga4_last_value_left_as_the_start_of_a_number(self):
        # Issue 13: a daily file cut inside '15.423777495387132' was read as a smaller month.
        body = "Page path and screen class,Views,Average engagement time per active user\n/,221,12.35064935064935\n/adults/,74,23."
        message = refused(ga4(body), "Pages.csv")  # preamble 1-9, header 10, rows 11-12
        assert (
            "Pages.csv, line 12, column 'Average engagement time per active user': the last value holds only "
            "the start of a number and the file ends there; GA4 writes a whole number in every metric cell"
        ) in message

    @pytest.mark.parametrize("tail", [b",0,", b",0,1e", b",0,-"])
    def test_ga4_last_value_empty_or_half_written(self, tail):
        body = ga4(PAGES.rstrip("\n"))
        data = body[: body.rindex(b",125,0,0")] + b",125" + tail  # line 13, 'Key events' then 'Total revenue'
        message = refused(data, "Pages.csv")
        assert "line 13, column 'Total revenue': the last value" in message

    def test_ga4_without_a_final_line_break_is_normal(self):
        e = parse_export(ga4(PAGES), "Pages.csv")  # GA4 never ends its file with a line break
        assert e.rows == 3 and e.warnings == ()

    def test_ga4_resaved_with_empty_trailing_columns_is_not_taken_for_a_cut(self):
        body = "Page path and screen class,Views,Active users,,\n/,221,154,,\n/adults/,74,37,,"
        e = parse_export(ga4(body), "Pages.csv")
        assert e.rows == 2 and any("extra empty columns" in w for w in e.warnings)

    def test_forms_are_not_judged_by_their_last_line_break(self):
        # Not every source is known to end its files with a line break; forms are left as they were.
        e = parse_export(b"Timestamp,Comment\n13/10/2026 10:00:00,Clear", "Form responses 1.csv")
        assert e.rows == 1


class TestHeaderWithoutRows:
    def test_meta_posts_header_alone(self):
        message = refused(POSTS.encode().split(b"\n")[0] + b"\n", POSTS_NAME)
        assert (
            ", line 1: the file has a header but no rows, and a Meta posts export has a row for every post"
            in message
        )
        assert "nothing from 2026-10-01 to 2026-10-31, leave the file out" in message

    def test_meta_posts_cut_inside_its_header(self):
        header = POSTS.encode().split(b"\n")[0]
        cut = header[: header.index(b"Permalink") + 4]  # ends '...,Publish time,Perm'
        message = refused(cut, POSTS_NAME)
        assert (
            ", line 1: the file ends inside its header line, with no line break and no rows after it"
            in message
        )

    def test_ga4_header_alone(self):
        message = refused(ga4(PAGES.split("\n")[0]), "Pages.csv")
        assert (
            ", line 10: the file has a header but no rows, and a GA4 report has a row for every page"
            in message
        )

    @pytest.mark.parametrize(
        ("data", "name"),
        [
            (b"Date,Views\n", "Totals.csv"),
            (CHART.split(b"\n")[0] + b"\n", "Chart data.csv"),
            (ADS_HEADER.encode(), "ads.csv"),
        ],
    )
    def test_youtube_and_ads_header_alone(self, data, name):
        assert ", line 1: the file has a header but no rows" in refused(data, name)

    def test_ads_with_the_account_total_and_no_rows_below_it(self):
        message = refused((ADS_HEADER + ADS_TOTAL).encode(), "ads.csv")
        assert (
            ", line 2: the rows' Impressions add up to 0, only 0% of the account-total row (1,500)" in message
        )


class TestRowsAgainstTheFilesOwnTotals:
    def test_youtube_rows_far_below_the_total_row(self):
        data = TABLE.rsplit(b"bcdefghijkl", 1)[0]  # the 240-view row lost: 600 of 1,000 is kept
        message = refused(data, "Table data.csv", limits=ReadLimits(100, 100, 0.7))
        assert (
            "Table data.csv, line 2: the rows' Views add up to 600, only 60% of the file's own Total row (1,000)"
            in message
        )
        assert "totals_min_share" in message

    def test_youtube_rows_a_little_below_the_total_are_normal(self):
        # 840 of 1,000 (a real export had 84%: deleted videos count in the Total only).
        assert parse_export(TABLE, "Table data.csv").rows == 2

    def test_the_share_is_a_setting(self):
        assert (
            parse_export(
                TABLE.rsplit(b"bcdefghijkl", 1)[0], "Table data.csv", limits=ReadLimits(100, 100, 0.5)
            ).rows
            == 1
        )

    def test_ads_rows_must_add_up_to_the_account_total(self):
        rows = '"A",700,900,2026-10-01,2026-10-31\n"B",400,500,2026-10-01,2026-10-31\n'
        message = refused((ADS_HEADER + ADS_TOTAL + rows).encode(), "ads.csv")  # 1,400 of 1,500
        assert (
            "ads.csv, line 2: the rows' Impressions add up to 1,400, only 93% of the account-total row (1,500)"
            in message
        )
        rows = rows.replace(",500,", ",600,")
        assert parse_export((ADS_HEADER + ADS_TOTAL + rows).encode(), "ads.csv").rows == 2
