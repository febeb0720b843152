# ruff: noqa: E501, W291 - hand-written CSV fixtures keep real long headers and GA4 "#  " lines

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest

from reach.errors import InputValidationError, UnrecognisedExportError
from reach.ingest.detect import detect_kind
from reach.ingest.forms import find_question_columns, mapping_lines, question_texts, suggest_question_mapping
from reach.ingest.read import parse_export
from tests.unit.ingest.exports import D

# --------------------------------------------------------------------------------------------


class TestParseForms:
    def test_google_drops_email_and_trims(self):
        data = (
            b"Timestamp,Email address,Which district do you live or work in?,Comment\n"
            b"13/05/2026 10:01:02,a@b.org,Norwich  ,ok \n14/05/2026 11:00:00,c@d.org,Breckland,\n"
        )
        e = parse_export(data, "Safer sleep (Responses) - Form responses 1.csv")
        assert (e.kind, e.start, e.end, e.rows) == ("forms_google", D(2026, 5, 13), D(2026, 5, 14), 2)
        assert list(e.table.columns) == ["completed_at", "Which district do you live or work in?", "Comment"]
        assert list(e.table["Which district do you live or work in?"]) == ["Norwich", "Breckland"]
        assert pd.isna(e.table.loc[1, "Comment"])
        assert e.meta["dropped_columns"] == ["Email address"]

    def test_google_month_first_evidence(self):
        e = parse_export(b"Timestamp,Q\n5/13/2026 10:01:02,a\n5/1/2026 9:00:00,b\n", "f.csv")
        assert list(e.table["completed_at"]) == list(
            pd.to_datetime(["2026-05-13 10:01:02", "2026-05-01 09:00:00"])
        )

    def test_ambiguous_dates_need_date_order(self):
        data = b"Timestamp,Full Name\n9/6/2018 0:06:16,Bob\n"
        with pytest.raises(InputValidationError, match="date_order") as err:
            parse_export(data, "f.csv")
        assert "forms_date_order" in str(err.value) and err.value.row == 2
        assert parse_export(data, "f.csv", date_order="MDY").start == D(2018, 9, 6)
        assert parse_export(data, "f.csv", date_order="dmy").start == D(2018, 6, 9)

    def test_evidence_beats_date_order_with_warning(self):
        e = parse_export(b"Timestamp,Q\n13/05/2026 10:01:02,a\n", "f.csv", date_order="MDY")
        assert e.start == D(2026, 5, 13)
        assert any("DMY" in w for w in e.warnings)

    def test_mixed_orders_rejected(self):
        with pytest.raises(InputValidationError, match="mix day-first and month-first"):
            parse_export(b"Timestamp,Q\n13/05/2026 10:00,a\n05/13/2026 10:00,b\n", "f.csv")

    def test_bad_date_order_option(self):
        with pytest.raises(InputValidationError, match="DMY' or 'MDY"):
            parse_export(b"Timestamp,Q\n13/05/2026 10:00,a\n", "f.csv", date_order="YMD")

    def test_microsoft_csv(self):
        data = (
            b'ID,Start time,Completion time,Email,Name,"Where did you see safer sleep information?",'
            b'"Which of these are part of the safer sleep advice?"\n'
            b"1,7/2/20 11:00:22,7/2/20 11:01:24,someone@x.org,Jo Bloggs,Health visitor,Back to sleep;Clear cot;\n"
            b"2,7/14/20 9:00:00,7/14/20 9:05:00,anonymous,,Facebook,Back to sleep;\n"
        )
        e = parse_export(data, "Safer sleep feedback.csv")
        assert (e.kind, e.start, e.end, e.rows) == ("forms_microsoft", D(2020, 7, 2), D(2020, 7, 14), 2)
        cols = list(e.table.columns)
        assert cols == [
            "started_at",
            "completed_at",
            "Where did you see safer sleep information?",
            "Which of these are part of the safer sleep advice?",
        ]
        assert (
            e.table.loc[0, "Which of these are part of the safer sleep advice?"] == "Back to sleep;Clear cot;"
        )
        assert not any("someone@x.org" in str(v) for v in e.table.astype(str).to_numpy().ravel())
        assert e.meta["dropped_columns"] == ["ID", "Email", "Name"]

    def test_microsoft_xlsx(self):
        openpyxl = pytest.importorskip("openpyxl")
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.append(
            ["Id", "Start time", "Completion time", "Email", "Name", "Was the information helpful?", "Score"]
        )
        ws.append(
            [1, dt.datetime(2026, 5, 3, 9, 0), dt.datetime(2026, 5, 3, 9, 4), "anonymous", None, "Yes", 4]
        )
        ws.append(
            [2, dt.datetime(2026, 5, 9, 9, 0), dt.datetime(2026, 5, 9, 9, 2), "anonymous", None, "No", 2]
        )
        buf = io.BytesIO()
        wb.save(buf)
        data = buf.getvalue()
        assert detect_kind(data, "responses.xlsx") == "forms_microsoft"
        e = parse_export(data, "responses.xlsx")
        assert (e.kind, e.start, e.end, e.rows) == ("forms_microsoft", D(2026, 5, 3), D(2026, 5, 9), 2)
        assert list(e.table["Was the information helpful?"]) == ["Yes", "No"]
        assert e.meta["_line"] == (2, 3)

    def test_other_xlsx_rejected(self):
        openpyxl = pytest.importorskip("openpyxl")
        wb = openpyxl.Workbook()
        wb.active.append(["Month", "Births"])
        buf = io.BytesIO()
        wb.save(buf)
        with pytest.raises(UnrecognisedExportError, match="not a Microsoft Forms"):
            parse_export(buf.getvalue(), "births.xlsx")


# --------------------------------------------------------------------------------------------
# Which column answers which question
# --------------------------------------------------------------------------------------------

FORM_QUESTIONS = {
    "helpful": "Was the information helpful?",
    "district": "Which district do you live or work in?",
    "comment": "Is there anything else you would like to tell us?",
}


class TestQuestionMapping:
    def test_one_text_or_a_list(self):
        assert question_texts("Was it helpful?") == ["Was it helpful?"]
        assert question_texts([" A? ", None, "B?"]) == ["A?", "B?"]

    def test_a_header_answers_one_field_only(self):
        found = find_question_columns(
            ["Was the information helpful? (tick one)"],
            {"helpful": "Was the information helpful?", "other": "Was the information"},
        )
        assert found == {"helpful": "Was the information helpful? (tick one)", "other": None}

    def test_suggestions_for_a_form_worded_differently(self):
        headers = ["Timestamp", "Email address", "Did you find the advice useful?", "Which area do you live in?",
                   "Any other comments?", "Your favourite colour"]  # fmt: skip
        out = suggest_question_mapping(headers, FORM_QUESTIONS)
        assert out["found"] == {}
        assert out["suggested"] == {
            "helpful": "Did you find the advice useful?",
            "district": "Which area do you live in?",
            "comment": "Any other comments?",
        }
        assert out["unmapped"] == ["Your favourite colour"]

    def test_a_form_with_nothing_alike_gets_no_suggestion(self):
        out = suggest_question_mapping(["Timestamp", "Full Name", "Shoe size"], FORM_QUESTIONS)
        assert out["suggested"] == {"helpful": None, "district": None, "comment": None}
        assert out["unmapped"] == ["Shoe size"]  # a name column is never offered as an answer

    def test_mapping_lines_keep_the_configured_text_and_add_the_suggestion(self):
        lines = mapping_lines(
            ["Did you find the advice useful?", "Which district do you live or work in?"], FORM_QUESTIONS
        )
        assert lines == [
            "feedback_questions:",
            '  helpful: ["Was the information helpful?", "Did you find the advice useful?"]  '
            "# suggested: check it is the same question",
            '  district: "Which district do you live or work in?"  # already matched',
            '  comment: "Is there anything else you would like to tell us?"  # no column looks like this question',
        ]
