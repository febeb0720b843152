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
