"""Statistical disclosure control and free-text safety.

The NHS small-number rule and spreadsheet-formula neutralising (for files a spreadsheet opens
only). Redaction of personal data in free text is in :mod:`reach.core.redaction`; its
functions are importable from here too.
"""

from __future__ import annotations

import math

import pandas as pd

from reach.core.redaction import redact_series as redact_series
from reach.core.redaction import redact_text as redact_text
from reach.core.redaction import strip_invisible as strip_invisible

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


def count_range(
    shown: str,
    low: int = NHS_RULE["low"],
    high: int = NHS_RULE["high"],
    round_to: int = NHS_RULE["round_to"],
) -> tuple[int, int] | None:
    """The smallest and largest count that :func:`suppress_count` shows as ``shown``.

    What a reader can know of a count from its shown value: ``"*"`` is ``low`` to ``high``,
    a rounded value the whole numbers that round to it. Used to check that no count of 1 to 7
    follows from shown counts and shares together (secondary suppression).

    Parameters
    ----------
    shown : str
        A count as shown (``"0"``, ``"*"``, ``"10"``, …); ``""`` (missing) gives None.
    low, high, round_to : int
        The rule's limits.

    Returns
    -------
    tuple of int, or None

    Examples
    --------
    >>> count_range("*"), count_range("10"), count_range("0"), count_range("55")
    ((1, 7), (8, 12), (0, 0), (53, 57))
    """
    if shown == "":
        return None
    if shown == "*":
        return (low, high)
    centre = int(shown)
    values = [
        v
        for v in range(max(0, centre - round_to), centre + round_to + 1)
        if suppress_count(v, low, high, round_to) == shown
    ]
    return (min(values), max(values))


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
