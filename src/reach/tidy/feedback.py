"""Family-feedback answers in tidy form: one column per question, free text redacted."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from reach.core.redaction import redact_series
from reach.ingest.forms import find_question_columns, question_texts

OPTIONAL_QUESTIONS = frozenset({"recruited_via"})
"""Questions a form may lack without a warning (added to the form later; older months lack them)."""


def _question_columns(frame: pd.DataFrame, questions: Mapping[str, object]) -> dict[str, str | None]:
    """Find each configured question's column by header text (case-insensitive prefix; alternatives allowed)."""
    headers = [c for c in frame.columns if c not in ("completed_at", "started_at")]
    return find_question_columns(headers, dict(questions))


def tidy_feedback(frame: pd.DataFrame, questions: Mapping[str, object]) -> tuple[pd.DataFrame, list[str]]:
    """Map a forms export to the feedback fields named in the settings; redact the comment.

    A form in which none of the configured questions is found (a form built with other
    wording) gives no rows: its answers cannot be told apart, so it is not used, and the warning
    says how to map its questions.

    Parameters
    ----------
    frame : pandas.DataFrame
        A forms export's table: ``completed_at`` plus question columns named by header text.
    questions : Mapping of str to str or list of str
        Field name -> question header text, or a list of alternative texts
        (``feedback_questions`` in ``config/reach.yaml``).

    Returns
    -------
    tuple of (pandas.DataFrame, list of str)
        The feedback rows and warnings for questions not found (a warning starting ``not used:``
        when no question was found at all).
    """
    columns = _question_columns(frame, questions)
    out = pd.DataFrame({"completed_at": frame["completed_at"]})
    warnings = []
    required = [f for f in columns if f not in OPTIONAL_QUESTIONS]
    unused = bool(required) and all(columns[f] is None for f in required)
    if unused:
        warnings.append(
            f"not used: none of the {len(required)} feedback questions in config/reach.yaml "
            f"(feedback_questions) is a column of this form, so its {len(frame)} responses cannot be read; "
            "run `reach inspect` on the file for suggested lines to add"
        )
        out = out.iloc[0:0]
        frame = frame.iloc[0:0]
    for field, column in columns.items():
        if column is None:
            if field not in OPTIONAL_QUESTIONS and not unused:
                texts = " or ".join(repr(t) for t in question_texts(questions[field]))
                warnings.append(f"question for {field!r} ({texts}) not found; left blank")
            out[field] = pd.Series(pd.NA, index=frame.index, dtype="str")
        else:
            out[field] = frame[column].astype("str").str.strip()
    for field in ("where_seen", "key_messages"):
        if field in out:
            out[field] = out[field].str.strip().str.rstrip(";")
    if "comment" in out:
        out["comment"] = redact_series(out["comment"].where(out["comment"].str.len() > 0))
    return out, warnings
