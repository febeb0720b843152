# ruff: noqa: E501, W291 - hand-written CSV fixtures keep real long headers and GA4 "#  " lines

from __future__ import annotations

import pandas as pd
import pytest

from reach.errors import InputValidationError
from reach.ingest.read import parse_export
from tests.unit.ingest.exports import D


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
