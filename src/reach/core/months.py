"""Month arithmetic: parse ``YYYY-MM``, month ends, labels, shifts and ranges (one place for all of it)."""

from __future__ import annotations

import datetime as dt
import re

from reach.errors import InputValidationError


def month_range(first: str, last: str) -> list[str]:
    """Every ISO month from ``first`` to ``last`` inclusive.

    Raises
    ------
    InputValidationError
        If ``last`` is before ``first``.

    Examples
    --------
    >>> month_range("2025-11", "2026-02")
    ['2025-11', '2025-12', '2026-01', '2026-02']
    """
    start, end = parse_month(first), parse_month(last)
    if end < start:
        raise InputValidationError(f"--to {last} is before --from {first}")
    months, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(value: object) -> dt.date:
    """Parse an ISO ``YYYY-MM`` month into the date of its first day.

    Parameters
    ----------
    value : object
        The month as given by the user.

    Returns
    -------
    datetime.date
        The first day of the month.

    Raises
    ------
    InputValidationError
        If the value is not a real month written ``YYYY-MM``.

    Examples
    --------
    >>> parse_month("2026-10")
    datetime.date(2026, 10, 1)
    """
    text = str(value).strip()
    match = MONTH_PATTERN.match(text)
    if not match:
        raise InputValidationError(f"month {text!r} is not written YYYY-MM (for example 2026-10)")
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        raise InputValidationError(f"month {text!r} does not exist: the month part must be 01 to 12")
    if year < 2015:
        raise InputValidationError(f"month {text!r} is before GA4 existed; give a month from 2015 on")
    return dt.date(year, month, 1)


def month_end(first_day: dt.date) -> dt.date:
    """Return the last day of the month that starts on ``first_day``."""
    next_first = (first_day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return next_first - dt.timedelta(days=1)


def month_label(month: str) -> str:
    """Return a month written for people, e.g. ``"October 2026"`` for ``"2026-10"``."""
    return dt.date(int(month[:4]), int(month[5:7]), 1).strftime("%B %Y")


def previous_months(month: str, count: int) -> list[str]:
    """Return ``count`` ISO months ending with ``month``, oldest first.

    Examples
    --------
    >>> previous_months("2026-02", 3)
    ['2025-12', '2026-01', '2026-02']
    """
    year, mon = int(month[:4]), int(month[5:7])
    months = []
    for _ in range(count):
        months.append(f"{year:04d}-{mon:02d}")
        mon -= 1
        if mon == 0:
            year, mon = year - 1, 12
    return months[::-1]


def shift_month(month: str, months: int) -> str:
    """Return the ISO month ``months`` after ``month`` (negative for before).

    Examples
    --------
    >>> shift_month("2026-01", -1), shift_month("2026-10", -12), shift_month("2026-12", 1)
    ('2025-12', '2025-10', '2027-01')
    """
    index = int(month[:4]) * 12 + int(month[5:7]) - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"
