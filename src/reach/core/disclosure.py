"""Statistical disclosure control and free-text safety.

The NHS small-number rule, redaction of personal data, spreadsheet-formula neutralising
(for files a spreadsheet opens only).
"""

from __future__ import annotations

import math
import re

import pandas as pd

#: Largest count the NHS sub-national rule hides (1-7 are shown as "*").
SMALL_COUNT_MAX = 7


def _round_out(r: dict, base: int) -> dict:
    """Round a reach to ``base``: estimate to nearest, low down, high up (NHS rule's base 5).

    Limits of 1-7 move outwards (low to 0, high to the first multiple of ``base`` above 7) and an
    estimate of 1-7 becomes None, so no small count of people is published below county level.
    """
    if base <= 1:
        return r

    def down(v):
        return None if v is None else int(math.floor(v / base) * base)

    def up(v):
        return None if v is None else int(math.ceil(v / base) * base)

    est = None if r["estimate"] is None else int(math.floor(r["estimate"] / base + 0.5) * base)
    low, high, method = down(r["low"]), up(r["high"]), r["method"]
    # No 1-7 may appear below county level (NHS rule): limits move outwards past the small
    # range (to 0, or up to the first multiple of ``base`` above 7), and a small estimate is hidden.
    if low is not None and 0 < low <= SMALL_COUNT_MAX:
        low = 0
    if high is not None and 0 < high <= SMALL_COUNT_MAX:
        high = int(math.ceil((SMALL_COUNT_MAX + 1) / base) * base)
    if est is not None and 0 < est <= SMALL_COUNT_MAX:
        est = None
        method += "; best estimate of 1 to 7 not shown (NHS small-number rule)"
    return {"estimate": est, "low": low, "high": high, "method": method}


#: The NHS sub-national disclosure rule: counts from ``low`` to ``high`` are hidden, others rounded
#: to the nearest ``round_to`` (the default of the ``suppression`` setting).
NHS_RULE = {"low": 1, "high": 7, "round_to": 5}


def suppress_count(
    value: object,
    low: int = NHS_RULE["low"],
    high: int = NHS_RULE["high"],
    round_to: int = NHS_RULE["round_to"],
) -> str:
    """NHS sub-national disclosure rule for one count.

    0 stays ``"0"``; 1 to 7 becomes ``"*"``; anything larger is rounded to the nearest 5.

    Parameters
    ----------
    value : object
        A count of people (missing values give ``""``).
    low, high, round_to : int
        The rule's limits (settings in ``config/reach.yaml``).

    Returns
    -------
    str
        The count as it may be shown.

    Examples
    --------
    >>> [suppress_count(v) for v in (0, 2, 5, 8, 16, 57, 10023)]
    ['0', '*', '*', '10', '15', '55', '10025']
    """
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    number = int(value)
    if number == 0:
        return "0"
    if low <= number <= high:
        return "*"
    # Whole numbers divided by 5 never end in .5, so rounding direction is never ambiguous.
    return str(int(math.floor(number / round_to + 0.5)) * round_to)


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
    >>> print(neutralise_formula('=HYPERLINK("http://x","y")'))
    '=HYPERLINK("http://x","y")
    """
    if isinstance(text, str) and text.lstrip()[:1] in {"=", "+", "-", "@"}:
        return "'" + text
    return text


def redact_series(values: pd.Series) -> pd.Series:
    """Apply :func:`redact_text` to every value of a Series.

    Formulas are left as written: the processed tables and the report show text exactly, and
    :func:`neutralise_formula` is applied only where reach writes a file a spreadsheet opens.

    Parameters
    ----------
    values : pandas.Series
        Free-text values; not modified.

    Returns
    -------
    pandas.Series
        A new Series of redacted text.

    Examples
    --------
    >>> list(redact_series(pd.Series(["=1+1", "mail me at a@b.co"])))
    ['=1+1', 'mail me at [email]']
    """
    return values.map(redact_text)
