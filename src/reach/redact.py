"""Redaction of personal data from free text, applied at ingest.

Feedback comments can carry names, email addresses, phone numbers, postcodes and NHS numbers.
:func:`redact_text` replaces each with a bracketed tag before anything is written to
``data/processed/``; :func:`neutralise_formula` stops a comment being run as a spreadsheet
formula when an output is opened in Excel.
"""

from __future__ import annotations

import re

import pandas as pd

# Order matters: NHS numbers and phone numbers are both digit runs, so the more specific
# patterns run first.
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("[email]", re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")),
    ("[NHS number]", re.compile(r"(?<!\d)\d{3}[ -]?\d{3}[ -]?\d{4}(?!\d)")),
    (
        "[phone]",
        re.compile(r"(?<![\w+])(?:\+44\s?(?:\(0\)\s?)?|0)\d(?:[\s\-]?\d){8,9}(?!\d)"),
    ),
    (
        "[postcode]",
        re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE),
    ),
    (
        "[name]",
        re.compile(
            r"(?i:\b(?:my name is|my name's|i am called|i'm called|this is)\s+)"
            r"[A-Z][a-z'\-]+(?:\s+[A-Z][a-z'\-]+)?"
        ),
    ),
    (
        "[name]",
        re.compile(
            r"(?i:\b(?:thanks|thank you|many thanks|regards|kind regards|best wishes|cheers|from|love)"
            r"\s*[,!.\-]?\s+)[A-Z][a-z'\-]+(?:\s+[A-Z][a-z'\-]+)?\s*[.!]?\s*$"
        ),
    ),
)


def redact_text(text: object) -> object:
    """Replace personal data in one piece of free text with bracketed tags.

    Parameters
    ----------
    text : object
        A comment; missing values are returned unchanged.

    Returns
    -------
    object
        The text with emails, UK phone numbers, UK postcodes, NHS numbers and self-given
        names replaced by ``[email]``, ``[phone]``, ``[postcode]``, ``[NHS number]``, ``[name]``.

    Examples
    --------
    >>> redact_text("Call me on 07700 900123 or email sam@example.com")
    'Call me on [phone] or email [email]'
    >>> redact_text("Thanks, Priya")
    'Thanks, [name]'
    """
    if text is None or (isinstance(text, float) and pd.isna(text)) or text is pd.NA:
        return text
    result = str(text)
    for tag, pattern in _PATTERNS:
        if tag == "[name]":
            result = pattern.sub(lambda m, tag=tag: _keep_lead_in(m, tag), result)
        else:
            result = pattern.sub(tag, result)
    return result


def _keep_lead_in(match: re.Match[str], tag: str) -> str:
    """Keep the words that introduce a name ("my name is", "Thanks,") and tag the name itself."""
    whole = match.group(0)
    words = whole.rstrip(" .!")
    # The name is the capitalised word(s) at the end of the match.
    name = re.search(r"[A-Z][a-z'\-]+(?:\s+[A-Z][a-z'\-]+)?$", words)
    if name is None:
        return whole
    return whole[: name.start()] + tag + whole[name.end() :]


def neutralise_formula(text: object) -> object:
    r"""Prefix text that a spreadsheet would run as a formula with an apostrophe.

    Parameters
    ----------
    text : object
        Any cell value; non-strings are returned unchanged.

    Returns
    -------
    object
        ``"'=HYPERLINK(...)"`` for ``"=HYPERLINK(...)"``; other text unchanged.

    Examples
    --------
    >>> neutralise_formula('=HYPERLINK("http://x","y")')
    '\\'=HYPERLINK("http://x","y")'
    """
    if isinstance(text, str) and text.lstrip()[:1] in {"=", "+", "-", "@"}:
        return "'" + text
    return text


def redact_series(values: pd.Series) -> pd.Series:
    """Apply :func:`redact_text` and :func:`neutralise_formula` to every value of a Series.

    Parameters
    ----------
    values : pandas.Series
        Free-text values; not modified.

    Returns
    -------
    pandas.Series
        A new Series of redacted text.
    """
    return values.map(lambda v: neutralise_formula(redact_text(v)))
