"""Parsing family-feedback form exports (Microsoft and Google Forms) and the FeedEx page widget."""

from __future__ import annotations

import json
import re

import pandas as pd

from reach.errors import InputValidationError
from reach.ingest.columns import _FEEDEX
from reach.ingest.dates import _parse_dates
from reach.ingest.export import Export, _key
from reach.ingest.records import (
    _canonical_names,
    _column,
    _Doc,
    _finish,
    _header_and_rows,
    _period,
    _str_series,
    _to_numeric,
    _unique_names,
)

# --------------------------------------------------------------------------------------------
# Forms and feedback
# --------------------------------------------------------------------------------------------


def _parse_forms(doc: _Doc, kind: str, date_order: str | None) -> Export:
    i0, names, rows, warnings = _header_and_rows(doc)
    lines = [r.line for r in rows]
    keys = [_key(n) for n in names]
    if kind == "forms_microsoft":
        drop = {"id", "email", "name"}
        stamps = {"start time": "started_at", "completion time": "completed_at"}
    else:
        drop = {"email address"}
        stamps = {"timestamp": "completed_at"}
    series: list[pd.Series] = []
    out_names: list[str] = []
    sources: list[str] = []
    dropped: list[str] = []
    for i, (name, k) in enumerate(zip(names, keys, strict=True)):
        if k in drop:
            dropped.append(name)
            continue
        vals = _column(rows, i)
        if k in stamps and stamps[k] not in out_names:
            res = _parse_dates(
                vals,
                lines,
                path=doc.path,
                column=name,
                families=("numeric", "iso"),
                date_order=date_order,
                order_source="date_order",
            )
            series.append(res.values)
            warnings.extend(res.warnings)
            out_names.append(stamps[k])
        else:
            series.append(_str_series(vals, strip=True, blank_na=True))
            out_names.append(re.sub(r"\s+", " ", name).strip() or f"column {i + 1}")
        sources.append(name)
    unique, w = _unique_names(out_names)
    warnings.extend(w)
    frame = (
        pd.concat(series, axis=1, keys=range(len(series))) if series else pd.DataFrame(index=range(len(rows)))
    )
    frame.columns = unique
    columns = dict(zip(unique, sources, strict=True))
    if "completed_at" not in frame:
        raise InputValidationError(
            "expected a 'Completion time' column", path=doc.path, row=doc.records[i0].line
        )
    start, end = _period(frame["completed_at"])
    meta = {"dropped_columns": dropped, "personal_data_dropped": bool(dropped)}
    return _finish(
        doc,
        kind,
        frame,
        lines,
        start=start,
        end=end,
        warnings=warnings,
        meta=meta,
        columns=columns,
        family="forms",
    )


def _parse_feedex(doc: _Doc) -> Export:
    i0, names, rows, warnings = _header_and_rows(doc)
    canon = _canonical_names(names, _FEEDEX, warnings)
    lines = [r.line for r in rows]
    data: dict[str, pd.Series] = {}
    for i, c in enumerate(canon):
        vals = _column(rows, i)
        if c == "created_at":
            data[c] = _parse_dates(vals, lines, path=doc.path, column=names[i], families=("iso",)).values
        elif c == "service_satisfaction_rating":
            data[c] = _to_numeric(vals, lines, path=doc.path, column=names[i], count=True)
        elif c == "feedback":
            data[c] = _str_series([v.replace("\r\n", "\n") for v in vals], blank_na=True)
        else:
            data[c] = _str_series(vals, strip=True, blank_na=True)
    frame = pd.DataFrame(data)
    start, end = _period(frame["created_at"]) if "created_at" in frame else (None, None)
    m = re.search(r"feedex_(\d{4}-\d{2}-\d{2})_(\d{4}-\d{2}-\d{2})", doc.name)
    meta = {"file_name_period": (m[1], m[2]) if m else None}
    return _finish(
        doc,
        "feedback_feedex",
        frame,
        lines,
        start=start,
        end=end,
        warnings=warnings,
        meta=meta,
        columns=dict(zip(canon, names, strict=True)),
        family="feedback",
    )


# --------------------------------------------------------------------------------------------
# Which column answers which question: the mapping in config/reach.yaml, and suggestions
# --------------------------------------------------------------------------------------------

#: Columns a forms export carries besides the answers (never suggested for a question).
_FORM_META = frozenset(
    {"completed_at", "started_at", "id", "email", "email address", "name", "full name",
     "last modified time", "total points", "quiz feedback"}
)  # fmt: skip

#: Words that say little about which question a header asks.
_STOP_WORDS = frozenset(
    "a an and are as at be did do does for from have how i if in is it me my of on or our so that the "
    "this to us was we were what which will would you your".split()
)

#: Words that point to each feedback field, beyond the configured question text.
_FIELD_HINTS = {
    "respondent_type": {"parent", "carer", "professional", "role", "capacity"},
    "district": {"district", "area", "live", "work", "postcode", "council"},
    "where_seen": {"where", "see", "saw", "seen", "hear", "heard", "come", "across"},
    "helpful": {"helpful", "useful", "help", "helped"},
    "key_messages": {"advice", "messages", "safer", "part", "which"},
    "intends_change": {"change", "differently", "sleeps", "plan"},
    "comment": {"anything", "else", "tell", "comments", "comment", "other", "add"},
    "recruited_via": {"get", "form", "link", "reach", "arrive", "came"},
}


def question_texts(value: object) -> list[str]:
    """The header texts configured for one feedback field: one text, or a list of alternatives.

    Parameters
    ----------
    value : str or list of str
        A value of ``feedback_questions`` in ``config/reach.yaml``.

    Returns
    -------
    list of str
        Non-empty texts, in the order given.

    Examples
    --------
    >>> question_texts("Was the information helpful?")
    ['Was the information helpful?']
    >>> question_texts(["Was it helpful?", "", "Did you find this useful?"])
    ['Was it helpful?', 'Did you find this useful?']
    """
    values = value if isinstance(value, (list, tuple)) else [value]
    return [str(v).strip() for v in values if v is not None and str(v).strip()]


def _prefix(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower().rstrip("?").strip()


def find_question_columns(headers: list[str], questions: dict[str, object]) -> dict[str, str | None]:
    """Find each configured question's column: case-insensitive, the header starts with the text.

    Each field may list several texts (forms built with other wording); the first that matches a
    header wins. A header already taken by one field is not given to another.

    Parameters
    ----------
    headers : list of str
        Column names of a forms export (white space collapsed, as :func:`_parse_forms` writes them).
    questions : dict
        ``feedback_questions``: field -> header text or list of texts.

    Returns
    -------
    dict of str to str or None
        Field -> the matching header, or None.

    Examples
    --------
    >>> find_question_columns(["Did you find this useful? (tick one)"],
    ...                       {"helpful": ["Was the information helpful?", "Did you find this useful?"]})
    {'helpful': 'Did you find this useful? (tick one)'}
    """
    lowered = [(_prefix(str(h)), h) for h in headers]
    taken: set[str] = set()
    found: dict[str, str | None] = {}
    for field, value in questions.items():
        found[field] = None
        for text in question_texts(value):
            prefix = _prefix(text)
            match = next(
                (h for low, h in lowered if prefix and low.startswith(prefix) and h not in taken), None
            )
            if match is not None:
                found[field] = match
                taken.add(match)
                break
    return found


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _STOP_WORDS}


def _score(header: str, field: str, texts: list[str]) -> float:
    """How much a header looks like a field's question (0 to about 1.5); pure word overlap."""
    words = _words(header)
    if not words:
        return 0.0
    best = 0.0
    for text in texts:
        question = _words(text)
        if question:
            best = max(best, len(words & question) / len(words | question))
    hints = len(words & _FIELD_HINTS.get(field, set()))
    return best + 0.25 * min(hints, 2)


def suggest_question_mapping(headers: list[str], questions: dict[str, object]) -> dict[str, object]:
    """Suggest which column of a forms export answers each feedback field.

    Configured texts that match (:func:`find_question_columns`) are kept; every other field gets
    the unclaimed header whose words look most like its question (a suggestion to check by eye,
    never applied without being written into ``config/reach.yaml``).

    Parameters
    ----------
    headers : list of str
        Column names of the export.
    questions : dict
        ``feedback_questions`` from the settings.

    Returns
    -------
    dict
        ``found`` (field -> header that the settings already match), ``suggested`` (field ->
        header that looks like it, or None), ``unmapped`` (answer columns no field takes).

    Examples
    --------
    >>> out = suggest_question_mapping(
    ...     ["Timestamp", "Did you find the leaflet useful?", "Your name"],
    ...     {"helpful": "Was the information helpful?", "district": "Which district do you live in?"})
    >>> out["suggested"]
    {'helpful': 'Did you find the leaflet useful?', 'district': None}
    >>> out["unmapped"]
    ['Your name']
    """
    answers = [h for h in headers if _prefix(str(h)) not in _FORM_META and _prefix(str(h)) != "timestamp"]
    found = {f: h for f, h in find_question_columns(answers, questions).items() if h is not None}
    free = [h for h in answers if h not in found.values()]
    scores = sorted(
        ((_score(h, f, question_texts(questions[f])), i, f, h)
         for f in questions if f not in found for i, h in enumerate(free)),
        key=lambda item: (-item[0], item[1]),
    )  # fmt: skip
    suggested: dict[str, str | None] = {f: None for f in questions if f not in found}
    used: set[str] = set()
    for score, _, field, header in scores:
        if score >= 0.25 and suggested[field] is None and header not in used:
            suggested[field] = header
            used.add(header)
    unmapped = [h for h in free if h not in used]
    return {"found": found, "suggested": suggested, "unmapped": unmapped}


def mapping_lines(headers: list[str], questions: dict[str, object]) -> list[str]:
    """The ``feedback_questions:`` block to paste into ``config/reach.yaml`` for a form.

    Fields the settings already match keep their text; a suggested header is added as an
    alternative text after the configured one; a field with no likely column is left as it is,
    with a comment.

    Parameters
    ----------
    headers : list of str
        Column names of the export.
    questions : dict
        ``feedback_questions`` from the settings.

    Returns
    -------
    list of str
        YAML lines, the first being ``feedback_questions:``.
    """
    mapping = suggest_question_mapping(headers, questions)
    lines = ["feedback_questions:"]
    for field, value in questions.items():
        texts = question_texts(value)
        suggestion = mapping["suggested"].get(field)
        if suggestion is not None:
            texts = [*texts, str(suggestion)]
        rendered = ", ".join(json.dumps(t, ensure_ascii=False) for t in texts) or '""'
        line = f"  {field}: [{rendered}]" if len(texts) > 1 else f"  {field}: {rendered}"
        if field in mapping["found"]:
            line += "  # already matched"
        elif suggestion is not None:
            line += "  # suggested: check it is the same question"
        else:
            line += "  # no column looks like this question"
        lines.append(line)
    if mapping["unmapped"]:
        lines.append("  # columns no field reads: " + "; ".join(repr(str(h)) for h in mapping["unmapped"]))
    return lines
