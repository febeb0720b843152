# ruff: noqa: E501, W291 - hand-written CSV fixtures keep real long headers and GA4 "#  " lines

from __future__ import annotations

import pandas as pd
import pytest

from reach.errors import InputValidationError
from reach.ingest.read import parse_export
from tests.unit.ingest.exports import D


class TestParseFeedback:
    def test_feedex_embedded_newlines(self):
        data = (
            b"creation date,path or service name,feedback,service satisfaction rating,type\n"
            b'2024-01-31 13:45:00,/safer-sleep,"reading advice\nlink broken",,problem-report\n'
            b"2024-02-01 09:00:00,/safer-sleep,great,5,service-feedback\n"
        )
        e = parse_export(data, "feedex_2024-01-01_2024-02-29_safer-sleep.csv")
        assert (e.kind, e.start, e.end, e.rows) == ("feedback_feedex", D(2024, 1, 31), D(2024, 2, 1), 2)
        assert e.table.loc[0, "feedback"] == "reading advice\nlink broken"
        assert e.meta["_line"] == (2, 4)
        assert list(e.table.columns) == [
            "created_at",
            "path",
            "feedback",
            "service_satisfaction_rating",
            "type",
        ]

    def test_page_feedback(self):
        data = (
            b"Submitted,Page URL,Was this page helpful?,Comment\n"
            b"2026-05-03 14:22:00,https://www.norfolklscp.org.uk/safer-sleep/advice?utm=x,Yes,\n"
            b"2026-05-04 08:00:00,/safer-sleep/,No,Too long\n"
        )
        e = parse_export(data, "page-feedback.csv")
        assert (e.kind, e.start, e.end, e.rows) == ("feedback_page", D(2026, 5, 3), D(2026, 5, 4), 2)
        assert list(e.table["page_path"]) == ["/safer-sleep/advice", "/safer-sleep/"]
        assert list(e.table["helpful"]) == [True, False]
        assert pd.isna(e.table.loc[0, "comment"]) and e.table.loc[1, "comment"] == "Too long"

    def test_page_feedback_bad_helpful(self):
        data = b"Submitted,Page URL,Was this page helpful?,Comment\n2026-05-03 14:22:00,/a,Maybe,\n"
        with pytest.raises(InputValidationError, match="Yes or No") as err:
            parse_export(data, "f.csv")
        assert err.value.row == 2 and err.value.column == "Was this page helpful?"
