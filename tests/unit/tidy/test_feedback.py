"""Forms answers mapped to the feedback fields; optional questions may be absent without a warning."""

from __future__ import annotations

import pandas as pd

from reach.tidy.feedback import tidy_feedback

QUESTIONS = {
    "respondent_type": "Are you a parent or carer, or a professional?",
    "where_seen": "Where did you see safer sleep information?",
    "key_messages": "Which of these are part of the safer sleep advice?",
    "comment": "Is there anything else you would like to tell us?",
    "recruited_via": "How did you get to this form?",
}


def _form(**extra: list[str]) -> pd.DataFrame:
    return pd.DataFrame({
        "completed_at": pd.to_datetime(["2026-10-02"]),
        "Are you a parent or carer, or a professional?": ["Parent or carer"],
        "Where did you see safer sleep information?": ["A website;"],
        "Which of these are part of the safer sleep advice?": ["On their back"],
        "Is there anything else you would like to tell us?": [""],
        **extra,
    })  # fmt: skip


def test_recruitment_question_is_read_when_the_form_has_it():
    out, warnings = tidy_feedback(_form(**{"How did you get to this form?": ["A YouTube video"]}), QUESTIONS)
    assert out["recruited_via"].tolist() == ["A YouTube video"] and warnings == []


def test_a_form_without_the_recruitment_question_gives_no_warning():
    out, warnings = tidy_feedback(_form(), QUESTIONS)
    assert out["recruited_via"].isna().all() and warnings == []


def test_a_missing_core_question_is_still_named():
    form = _form().drop(columns=["Where did you see safer sleep information?"])
    _, warnings = tidy_feedback(form, QUESTIONS)
    assert warnings == [
        "question for 'where_seen' ('Where did you see safer sleep information?') not found; left blank"
    ]


def test_alternative_texts_for_one_field_are_tried_in_order():
    questions = {**QUESTIONS, "where_seen": ["Where did you see it?", "Where did you see safer sleep"]}
    out, warnings = tidy_feedback(_form(), questions)
    assert out["where_seen"].tolist() == ["A website"] and warnings == []


def test_a_form_with_none_of_the_questions_is_not_used():
    form = pd.DataFrame(
        {"completed_at": pd.to_datetime(["2026-10-02", "2026-10-02"]), "Full Name": ["A", "B"]}
    )
    out, warnings = tidy_feedback(form, QUESTIONS)
    assert out.empty
    assert len(warnings) == 1 and warnings[0].startswith("not used: none of the 4 feedback questions")
