"""Unit tests for reach.ingest.validate on tiny hand-written exports."""

# ruff: noqa: E501, W291 - hand-written CSV fixtures keep real long headers and GA4 "#  " lines

from __future__ import annotations

import dataclasses

import pandas as pd
import pandera.pandas as pa
import pytest

from reach.errors import InputValidationError
from reach.ingest.read import parse_export
from reach.ingest.validate import schema_for, validate_export, validate_table


def crlf(text: str) -> bytes:
    return "\r\n".join(text.strip("\n").split("\n")).encode()


def ga4(body: str, start="20260501", end="20260531") -> bytes:
    pre = (
        "# ----------------------------------------\n# Pages and screens: Page path and screen class\n"
        "# Account: NSCP\n# Property: Safer Sleep - GA4\n# ----------------------------------------\n# \n"
        f"# All Users\n# Start date: {start}\n# End date: {end}\n"
    )
    return crlf(pre + body)


# physical lines: header is line 10, data rows start on line 11
PAGES = """\
Page path and screen class,Views,Active users,Engagement rate
/safer-sleep/,139,83,0.5
/safer-sleep/advice/,74,37,0.25
/,20,10,1
"""


class TestValidateExport:
    def test_valid_export_is_returned_unchanged(self):
        e = parse_export(ga4(PAGES), "p.csv")
        assert validate_export(e) is e

    def test_negative_views_names_line_column_value(self):
        e = parse_export(ga4(PAGES.replace("/safer-sleep/advice/,74", "/safer-sleep/advice/,-74")), "p.csv")
        with pytest.raises(InputValidationError) as err:
            validate_export(e)
        v = err.value
        assert (v.path, v.row, v.column, v.value) == ("p.csv", 12, "Views", -74)
        assert "0 or more" in str(v) and str(v).startswith("p.csv, line 12, column 'Views', value '-74': ")

    def test_first_problem_reported_and_others_counted(self):
        body = PAGES.replace("/,20,10,1", "/,-20,-10,1.5").replace("139,83,0.5", "139,83,-0.5")
        e = parse_export(ga4(body), "p.csv")
        with pytest.raises(InputValidationError, match=r"\(and 3 more problems\)") as err:
            validate_export(e)
        assert err.value.row == 11 and err.value.column == "Engagement rate"
        assert "fraction between 0 and 1" in str(err.value)

    def test_ga4_rate_above_one(self):
        e = parse_export(ga4(PAGES.replace("0.25", "25")), "p.csv")
        with pytest.raises(InputValidationError, match="fraction") as err:
            validate_export(e)
        assert (err.value.row, err.value.value) == (12, 25.0)

    def test_dates_outside_the_stated_period(self):
        body = "Date,Page path and screen class,Views\n20260502,/a,3\n20260612,/a,4\n"
        e = parse_export(ga4(body), "d.csv")
        with pytest.raises(
            InputValidationError, match="inside the export's period 2026-05-01 to 2026-05-31"
        ) as err:
            validate_export(e)
        assert (err.value.row, err.value.column, err.value.value) == (12, "Date", "2026-06-12")

    def test_duplicate_date_and_page(self):
        body = "Date,Page path and screen class,Views\n20260502,/a,3\n20260503,/a,1\n20260502,/a,4\n"
        e = parse_export(ga4(body), "d.csv")
        with pytest.raises(InputValidationError, match="also on line 13") as err:
            validate_export(e)
        assert err.value.row == 11
        assert "(Date, Page path and screen class)" in str(err.value)

    def test_line_numbers_follow_the_date_sort(self):
        body = "Date,Views\n20260503,9\n20260501,-1\n20260502,5\n"
        e = parse_export(ga4(body), "d.csv")
        assert e.table["views"].tolist() == [-1, 5, 9]
        with pytest.raises(InputValidationError) as err:
            validate_export(e)
        assert err.value.row == 12

    def test_youtube_allows_negative_subscribers_and_big_percentages(self):
        data = (
            b"Content,Video title,Video publish time,Duration,Views,Subscribers,Average percentage viewed (%)\n"
            b"Total,,,,10,-2,150.5\nabcdefghijk,T,,5,10,-2,273.8\n"
        )
        e = parse_export(data, "Table data.csv")
        assert validate_export(e) is e

    def test_youtube_net_likes_and_hypes_may_be_negative(self):
        # YouTube Studio reports likes, dislikes and hypes as net changes: a video that lost more
        # likes than it gained in the period shows a negative number (seen in a real channel export).
        data = (
            b"Content,Video title,Video publish time,Duration,Hypes,Hype points,Likes,Dislikes,Views\n"
            b"Total,,,,10,3000,500,4,9000\n"
            b'abcdefghijk,A,"Feb 16, 2025",896,0,0,-27,-8,3456\n'
            b'bcdefghijkl,B,"Dec 14, 2025",1229,-1,-350,1751,16,5668\n'
        )
        e = parse_export(data, "Table data.csv")
        assert validate_export(e) is e
        assert list(e.table["likes"]) == [-27, 1751] and list(e.table["hype_points"]) == [0, -350]

    def test_negative_likes_still_rejected_outside_youtube(self):
        data = b"Post ID,Publish time,Likes\n1,11/24/2025 11:00,-3\n"
        with pytest.raises(InputValidationError) as err:
            validate_export(parse_export(data, "Nov-01-2025_Nov-30-2025_1.csv"))
        assert (err.value.row, err.value.column) == (2, "Likes")

    def test_youtube_negative_views(self):
        data = b"Content,Video title,Video publish time,Duration,Views\nTotal,,,,1\nabcdefghijk,T,,5,-1\n"
        with pytest.raises(InputValidationError) as err:
            validate_export(parse_export(data, "Table data.csv"))
        assert (err.value.row, err.value.column) == (3, "Views")

    def test_youtube_negative_percentage(self):
        data = b"Content,Video title,Video publish time,Duration,Views,Impressions click-through rate (%)\nabcdefghijk,T,,5,1,-3\n"
        with pytest.raises(InputValidationError) as err:
            validate_export(parse_export(data, "Table data.csv"))
        assert err.value.column == "Impressions click-through rate (%)"

    def test_damaged_ids_exempt_from_uniqueness(self):
        data = b"Content,Video title,Video publish time,Duration,Views\n#NAME?,A,,5,1\n#NAME?,B,,5,2\nabcdefghijk,C,,5,3\n"
        e = parse_export(data, "Table data.csv")
        assert validate_export(e) is e
        dup = (
            b"Content,Video title,Video publish time,Duration,Views\nabcdefghijk,A,,5,1\nabcdefghijk,B,,5,2\n"
        )
        with pytest.raises(InputValidationError, match="also on line 3") as err:
            validate_export(parse_export(dup, "Table data.csv"))
        assert err.value.row == 2 and err.value.column == "Content"

    def test_youtube_totals_blank_before_tracking_is_missing_not_an_error(self):
        # Issue 13: a real Totals.csv blank on the days before YouTube tracked the metric was refused.
        data = b"Date,Stayed to watch (%)\n2012-04-14,\n2012-04-15,\n2012-04-16,71.5\n"
        e = parse_export(data, "Totals.csv")
        assert validate_export(e) is e
        assert e.table["stayed_to_watch_pct"].isna().tolist() == [True, True, False]

    def test_youtube_chart_blank_metric_is_missing(self):
        data = b"Date,Content,Video title,Video publish time,Views\n2026-10-01,abc,T,,\n2026-10-02,abc,T,,4\n"
        e = parse_export(data, "Chart data.csv")
        assert validate_export(e) is e

    def test_youtube_totals_blank_date_is_still_refused(self):
        e = parse_export(b"Date,Views\n2026-10-01,3\n,4\n", "Totals.csv")
        with pytest.raises(InputValidationError) as err:
            validate_export(e)
        assert (err.value.row, err.value.column) == (3, "Date")

    def test_chart_duplicates(self):
        data = b"Date,Content,Video title,Video publish time,Duration,Views\n2025-06-13,a,T,,5,0\n2025-06-13,a,T,,5,1\n"
        with pytest.raises(InputValidationError, match="appear once"):
            validate_export(parse_export(data, "Chart data.csv"))

    def test_missing_required_column(self):
        data = b"Date,Content,Video title,Video publish time,Duration,Views\n2025-06-13,a,T,,5,0\n"
        e = parse_export(data, "Chart data.csv")
        broken = dataclasses.replace(e, table=e.table.drop(columns=["views"]))
        with pytest.raises(InputValidationError, match="expected a 'Views' column") as err:
            validate_export(broken)
        assert err.value.row is None

    def test_meta_daily_filled_days_validate(self):
        text = 'sep=,\n"Facebook follows"\n"Date","Primary"\n"2025-08-01T00:00:00","20"\n"2025-08-04T00:00:00","3"\n'
        e = parse_export(text.encode("utf-16"), "f.csv")
        assert validate_export(e) is e

    def test_meta_ads_negative_reach(self):
        data = b'"Campaign name",Reach,Impressions\n,10,12\n"A",-10,12\n'
        with pytest.raises(InputValidationError) as err:
            validate_export(parse_export(data, "a.csv"))
        assert (err.value.row, err.value.column) == (3, "Reach")

    def test_partner_area_code(self):
        data = b"month,indicator,area_code,area_name,numerator,denominator\n2026-05,x,Norfolk,Norfolk,1,2\n"
        with pytest.raises(InputValidationError, match="GSS area code") as err:
            validate_export(parse_export(data, "p.csv"))
        assert (err.value.row, err.value.column) == (2, "area_code")

    def test_partner_duplicate_key(self):
        data = (
            b"month,indicator,area_code,area_name,numerator,denominator\n"
            b"2026-05,x,E10000020,Norfolk,1,2\n2026-05-01,x,E10000020,Norfolk,3,4\n"
        )
        with pytest.raises(InputValidationError, match="appear once"):
            validate_export(parse_export(data, "p.csv"))

    def test_snapshot_later_table_checked_with_its_own_lines(self):
        text = (
            "# ----------------------------------------\n# Reports snapshot\n# Account: a\n# Property: b\n"
            "# ----------------------------------------\n#  \n# Start date: 20250801\n# End date: 20250803\n"
            "Nth day,Active users\n0000,1\n0001,2\n\n"
            "# Where do your new users come from?\n# Start date: 20250801\n# End date: 20250803\n"
            "First user primary channel group (Default Channel Group),New users\nDirect,27\nOrganic "
            "Social,-3\n"
        )
        e = parse_export(text.encode(), "s.csv")
        with pytest.raises(InputValidationError) as err:
            validate_export(e)
        assert (err.value.row, err.value.column) == (18, "New users")

    def test_meta_posts_with_lifetime_label(self):
        data = b"Post ID,Publish time,Date,Views,Reach\n1,11/24/2025 11:00,Lifetime,5,4\n2,11/25/2025 11:00,Lifetime,,3\n"
        e = parse_export(data, "Nov-01-2025_Nov-30-2025_1.csv")
        assert validate_export(e) is e

    def test_meta_posts_duplicate_ids_unless_damaged(self):
        data = b"Post ID,Publish time,Views\n1.2E+17,11/24/2025 11:00,5\n1.2E+17,11/25/2025 11:00,4\n7,11/25/2025 11:00,4\n7,11/26/2025 11:00,4\n"
        with pytest.raises(InputValidationError, match="also on line 5") as err:
            validate_export(parse_export(data, "p.csv"))
        assert (err.value.row, err.value.column) == (4, "Post ID")

    def test_forms_have_no_numeric_rules(self):
        e = parse_export(b"Timestamp,Q\n13/05/2026 10:01:02,a\n", "f.csv")
        assert validate_export(e) is e


class TestSchemaFor:
    def test_returns_pandera_schema_with_required_columns(self):
        e = parse_export(
            b"Date,Content,Video title,Video publish time,Duration,Views\n2025-06-13,a,T,,5,0\n", "c.csv"
        )
        schema = schema_for(e.kind, e.table, start=e.start, end=e.end, meta=e.meta)
        assert isinstance(schema, pa.DataFrameSchema)
        assert {"date", "video_id", "views"} <= {n for n, c in schema.columns.items() if c.required}

    def test_validate_table_lists_problems_in_line_order(self):
        frame = pd.DataFrame(
            {"date": pd.to_datetime(["2025-01-02", "2025-01-01"]), "views": pd.array([-1, -2], dtype="Int64")}
        )
        problems = validate_table(frame, "youtube_totals", meta={"metric": "views", "_line": (7, 3)})
        assert [p[0] for p in problems] == [3, 7]
