# ruff: noqa: E501, W291 - hand-written CSV fixtures keep real long headers and GA4 "#  " lines

from __future__ import annotations

import pytest

from reach.ingest.export import snake_case

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
