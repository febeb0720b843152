import datetime as dt

import pytest

from reach.core import periods
from reach.errors import InputValidationError

CAMPAIGNS = [
    {"campaign_id": "ssw-2026", "name": "Safer Sleep Week 2026", "start": "2026-03-09", "end": "2026-04-02"},
]


class TestQuarter:
    def test_calendar_quarter(self):
        q = periods.quarter("2026-Q4")
        assert (q.start, q.end, q.key) == (dt.date(2026, 10, 1), dt.date(2026, 12, 31), "2026-Q4")
        assert q.months == ["2026-10", "2026-11", "2026-12"]

    @pytest.mark.parametrize("bad", ["2026-Q5", "2026Q", "26-Q1", "2026-10"])
    def test_refuses_what_is_not_a_quarter(self, bad):
        with pytest.raises(InputValidationError):
            periods.quarter(bad)


class TestFinancialYear:
    def test_april_to_march(self):
        y = periods.financial_year("2025-26")
        assert (y.start, y.end, y.key, y.kind) == (
            dt.date(2025, 4, 1),
            dt.date(2026, 3, 31),
            "FY2025-26",
            "year",
        )
        assert len(y.months) == 12

    def test_second_year_must_follow_the_first(self):
        with pytest.raises(InputValidationError):
            periods.financial_year("2026-28")


class TestCampaign:
    def test_days_and_months_touched(self):
        c = periods.campaign("ssw-2026", CAMPAIGNS)
        assert (c.start, c.end) == (dt.date(2026, 3, 9), dt.date(2026, 4, 2))
        assert c.months == ["2026-03", "2026-04"] and c.key == "campaign-ssw-2026"

    def test_unknown_campaign_names_the_known_ones(self):
        with pytest.raises(InputValidationError, match="ssw-2026"):
            periods.campaign("nope", CAMPAIGNS)


class TestUpTo:
    def test_a_year_in_progress_is_cut_to_date(self):
        y = periods.up_to(periods.financial_year("2026-27"), "2026-10")
        assert y.end == dt.date(2026, 10, 31) and y.to_date and y.months[0] == "2026-04"
        assert "to date" in y.label

    def test_a_period_after_the_data_is_refused(self):
        with pytest.raises(InputValidationError):
            periods.up_to(periods.quarter("2027-Q1"), "2026-10")


def test_from_key_reads_each_folder_name():
    assert periods.from_key("2026-Q3").kind == "quarter"
    assert periods.from_key("FY2026-27").kind == "year"
    assert periods.from_key("campaign-ssw-2026", CAMPAIGNS).kind == "campaign"
