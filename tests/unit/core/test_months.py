import datetime as dt

import pytest

from reach.core import months


class TestPreviousMonths:
    def test_crosses_year_boundary(self):
        assert months.previous_months("2026-02", 3) == ["2025-12", "2026-01", "2026-02"]


# ---------------------------------------------------------------------------------------------
# Issue 6: "At a glance" tiles and the numbers behind the report's charts.
# Expected values are worked out by hand in the comments (Wilson by the formula of methods.md §5.1).
# ---------------------------------------------------------------------------------------------


class TestShiftMonth:
    @pytest.mark.parametrize(
        ("month", "by", "expected"),
        [
            ("2026-10", -1, "2026-09"),
            ("2026-01", -1, "2025-12"),
            ("2026-10", -12, "2025-10"),
            ("2026-12", 1, "2027-01"),
        ],
    )
    def test_moves_across_year_ends(self, month, by, expected):
        assert months.shift_month(month, by) == expected


class TestReportingMonths:
    def test_months_of_each_period(self):
        assert months.reporting_months("2026-10") == ["2026-10"]
        assert months.reporting_months("2026-01", "rolling_3") == ["2025-11", "2025-12", "2026-01"]
        assert months.reporting_months("2026-10", "fytd") == [f"2026-{m:02d}" for m in range(4, 11)]
        assert months.reporting_months("2026-04", "fytd") == ["2026-04"]
        assert months.reporting_months("2026-03", "fytd")[0] == "2025-04"

    def test_unknown_period_or_bad_month(self):
        with pytest.raises(ValueError, match="period must be"):
            months.reporting_months("2026-10", "quarter")
        with pytest.raises(ValueError, match="YYYY-MM"):
            months.reporting_months("2026-13")


class TestWholeMonths:
    def test_only_months_covered_from_first_to_last_day(self):
        assert months.whole_months(dt.date(2026, 9, 15), dt.date(2026, 11, 30)) == ["2026-10", "2026-11"]

    def test_across_the_new_year(self):
        assert months.whole_months(dt.date(2026, 12, 1), dt.date(2027, 1, 31)) == ["2026-12", "2027-01"]

    def test_no_period_no_month(self):
        assert months.whole_months(None, dt.date(2026, 10, 31)) == []


class TestMonthsTouched:
    def test_every_month_a_period_touches(self):
        assert months.months_touched(dt.date(2026, 12, 31), dt.date(2027, 2, 1)) == [
            "2026-12",
            "2027-01",
            "2027-02",
        ]

    def test_no_period_no_month(self):
        assert months.months_touched(dt.date(2026, 10, 1), None) == []


class TestMonthEnds:
    def test_leap_years_and_december(self):
        assert months.month_end(dt.date(2024, 2, 1)) == dt.date(2024, 2, 29)
        assert months.month_end(dt.date(2100, 2, 1)) == dt.date(2100, 2, 28)
        assert months.month_dates("2026-12") == (dt.date(2026, 12, 1), dt.date(2026, 12, 31))
        assert months.days_in_month("2000-02") == 29

    def test_months_between(self):
        assert months.months_between("2024-11", "2026-10") == 23
        assert months.months_between("2026-10", "2024-11") == -23


class TestBadMonths:
    @pytest.mark.parametrize("bad", [None, "", "Oct 2026", "2026/10", "2026-13", "2026-1"])
    def test_month_arithmetic_refuses_anything_but_yyyy_mm(self, bad):
        with pytest.raises(ValueError, match="YYYY-MM"):
            months.shift_month(bad, 1)
        with pytest.raises(ValueError, match="YYYY-MM"):
            months.previous_months(bad, 2)
