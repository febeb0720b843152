"""Family-feedback answers in tidy form: one column per question, free text redacted."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from reach.core.disclosure import redact_series

OPTIONAL_QUESTIONS = frozenset({"recruited_via"})
"""Questions a form may lack without a warning (added to the form later; older months lack them)."""


def _question_columns(frame: pd.DataFrame, questions: Mapping[str, str]) -> dict[str, str | None]:
    """Find each configured question's column by header text (case-insensitive prefix)."""
    found: dict[str, str | None] = {}
    lowered = {str(c).strip().lower(): c for c in frame.columns}
    for field, text in questions.items():
        prefix = text.strip().lower().rstrip("?")
        found[field] = next((orig for low, orig in lowered.items() if low.startswith(prefix)), None)
    return found


def tidy_feedback(frame: pd.DataFrame, questions: Mapping[str, str]) -> tuple[pd.DataFrame, list[str]]:
    """Map a forms export to the feedback fields named in the settings; redact the comment.

    Parameters
    ----------
    frame : pandas.DataFrame
        A forms export's table: ``completed_at`` plus question columns named by header text.
    questions : Mapping of str to str
        Field name -> question header text (``feedback_questions`` in ``config/reach.yaml``).

    Returns
    -------
    tuple of (pandas.DataFrame, list of str)
        The feedback rows and warnings for questions not found.
    """
    columns = _question_columns(frame, questions)
    out = pd.DataFrame({"completed_at": frame["completed_at"]})
    warnings = []
    for field, column in columns.items():
        if column is None:
            if field not in OPTIONAL_QUESTIONS:
                warnings.append(f"question for {field!r} ({questions[field]!r}) not found; left blank")
            out[field] = pd.Series(pd.NA, index=frame.index, dtype="str")
        else:
            out[field] = frame[column].astype("str").str.strip()
    for field in ("where_seen", "key_messages"):
        out[field] = out[field].str.strip().str.rstrip(";")
    out["comment"] = redact_series(out["comment"].where(out["comment"].str.len() > 0))
    return out, warnings
