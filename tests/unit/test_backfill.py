import pytest

from reach.backfill import month_range
from reach.exceptions import InputValidationError


class TestMonthRange:
    def test_across_a_year(self):
        assert month_range("2025-11", "2026-02") == ["2025-11", "2025-12", "2026-01", "2026-02"]

    def test_single_month(self):
        assert month_range("2026-10", "2026-10") == ["2026-10"]

    def test_backwards_range_is_an_error(self):
        with pytest.raises(InputValidationError, match="before"):
            month_range("2026-10", "2026-09")
