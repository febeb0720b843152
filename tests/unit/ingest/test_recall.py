# ruff: noqa: E501 - the recall header is one long line, as the provider writes it

"""The health-visiting provider's new-birth recall return: recognised, read, and refused by name when wrong."""

from __future__ import annotations

import pandas as pd
import pytest

from reach.errors import InputValidationError
from reach.ingest.read import parse_export
from tests.unit.ingest.exports import D

HEADER = b"month,district,new_birth_visits,families_asked,recalled_any,recalled_web,recalled_video,recalled_social,recalled_leaflet\n"


class TestParseRecall:
    def test_reads_names_codes_and_suppressed_cells(self):
        data = HEADER + b"2026-10,Breckland,84,80,52,30,18,25,40\n2026-10,E07000148,76,70,*,*,0,3,*\n"
        e = parse_export(data, "hv_new_birth_recall_2026-10.csv")
        assert (e.kind, e.start, e.end, e.rows) == ("hv_recall", D(2026, 10, 1), D(2026, 10, 31), 2)
        assert list(e.table["district_code"]) == ["E07000143", "E07000148"]
        assert list(e.table["district"]) == ["Breckland", "Norwich"]
        assert e.table["recalled_any"].iloc[0] == 52 and pd.isna(e.table["recalled_any"].iloc[1])
        assert e.table["suppressed"].tolist() == ["", "recalled_any;recalled_web;recalled_leaflet"]
        assert e.table["recalled_video"].iloc[1] == 0  # a real zero is not suppression

    def test_district_names_ignore_case_and_punctuation(self):
        data = HEADER + b"2026-10,kings lynn and west norfolk,84,80,52,30,18,25,40\n"
        assert parse_export(data, "r.csv").table["district_code"].tolist() == ["E07000146"]

    @pytest.mark.parametrize(
        ("row", "column", "expected"),
        [
            (b"2026-10,Ipswich,84,80,52,30,18,25,40\n", "district", "Norfolk's seven districts"),
            (b"2026-10,Breckland,84,80,52,60,18,25,40\n", "recalled_web", "at most recalled_any"),
            (b"2026-10,Breckland,84,90,52,30,18,25,40\n", "families_asked", "at most new_birth_visits"),
            (b"2026-10,Breckland,84,80,-2,0,0,0,0\n", "recalled_any", "0 or more"),
            (b"Oct,Breckland,84,80,52,30,18,25,40\n", "month", "a month like 2026-05"),
            (b"2026-10,Breckland,84,80,5 2,30,18,25,40\n", "recalled_any", "expected a number"),
        ],
    )
    def test_a_wrong_cell_is_named_by_row_column_and_expectation(self, row, column, expected):
        with pytest.raises(InputValidationError, match=expected) as err:
            parse_export(HEADER + row, "r.csv")
        assert (err.value.row, err.value.column) == (2, column)

    def test_a_district_twice_in_one_month_is_refused(self):
        data = HEADER + b"2026-10,Breckland,84,80,52,30,18,25,40\n2026-10,E07000143,84,80,52,30,18,25,40\n"
        with pytest.raises(InputValidationError, match="one row per district and month") as err:
            parse_export(data, "r.csv")
        assert err.value.row == 3

    def test_the_header_is_recognised_without_the_optional_columns(self):
        data = b"month,district,families_asked,recalled_any\n2026-10,Norwich,70,40\n"
        e = parse_export(data, "r.csv")
        assert e.kind == "hv_recall" and pd.isna(e.table["recalled_web"].iloc[0])
