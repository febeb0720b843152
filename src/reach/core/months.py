"""Month arithmetic, in one place: parse ``YYYY-MM``, month ends, labels, shifts, ranges and periods.

Months travel through reach as ISO strings (``"2026-10"``); the arithmetic on them is pandas
:class:`~pandas.Period` arithmetic, so no module counts ``year * 12 + month`` by hand.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

import pandas as pd

from reach.errors import InputValidationError

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


def _period(month: str) -> pd.Period:
    if not isinstance(month, str) or not MONTH_PATTERN.match(month) or not 1 <= int(month[5:]) <= 12:
        raise ValueError(f"month must be written YYYY-MM, got {month!r}")
    return pd.Period(month, freq="M")


def month_end(first_day: dt.date) -> dt.date:
    """Return the last day of the month that starts on ``first_day``.

    Examples
    --------
    >>> month_end(dt.date(2028, 2, 1))
    datetime.date(2028, 2, 29)
    """
    return pd.Period(first_day, freq="M").end_time.date()


def month_of(day: dt.date) -> str:
    """The ISO month a day falls in.

    Examples
    --------
    >>> month_of(dt.date(2026, 10, 31))
    '2026-10'
    """
    return f"{day.year:04d}-{day.month:02d}"


def month_dates(month: str) -> tuple[dt.date, dt.date]:
    """The first and last day of an ISO month.

    Examples
    --------
    >>> month_dates("2026-02")
    (datetime.date(2026, 2, 1), datetime.date(2026, 2, 28))
    """
    period = _period(month)
    return period.start_time.date(), period.end_time.date()


def days_in_month(month: str) -> int:
    """How many days an ISO month has.

    Examples
    --------
    >>> days_in_month("2024-02"), days_in_month("2026-10")
    (29, 31)
    """
    return _period(month).days_in_month


def month_label(month: str) -> str:
    """Return a month written for people.

    Examples
    --------
    >>> month_label("2026-10")
    'October 2026'
    """
    return _period(month).strftime("%B %Y")


def shift_month(month: str, months: int) -> str:
    """Return the ISO month ``months`` after ``month`` (negative for before).

    Examples
    --------
    >>> shift_month("2026-01", -1), shift_month("2026-10", -12), shift_month("2026-12", 1)
    ('2025-12', '2025-10', '2027-01')
    """
    return str(_period(month) + months)


def previous_months(month: str, count: int) -> list[str]:
    """Return ``count`` ISO months ending with ``month``, oldest first.

    Examples
    --------
    >>> previous_months("2026-02", 3)
    ['2025-12', '2026-01', '2026-02']
    """
    return [shift_month(month, k) for k in range(1 - count, 1)]


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
    if parse_month(last) < parse_month(first):
        raise InputValidationError(f"--to {last} is before --from {first}")
    return month_range_unchecked(first, last)


def months_touched(start: dt.date | None, end: dt.date | None) -> list[str]:
    """Every calendar month that the days ``start``..``end`` touch (none without both ends).

    Examples
    --------
    >>> months_touched(dt.date(2026, 9, 15), dt.date(2026, 10, 2))
    ['2026-09', '2026-10']
    """
    if start is None or end is None or end < start:
        return []
    return [str(p) for p in pd.period_range(start, end, freq="M")]


def whole_months(start: dt.date | None, end: dt.date | None) -> list[str]:
    """The calendar months that the days ``start``..``end`` cover from their first day to their last.

    Examples
    --------
    >>> whole_months(dt.date(2026, 9, 15), dt.date(2026, 11, 30))
    ['2026-10', '2026-11']
    >>> whole_months(dt.date(2026, 10, 1), dt.date(2026, 10, 30))
    []
    """
    return [m for m in months_touched(start, end) if start <= month_dates(m)[0] and month_dates(m)[1] <= end]


def reporting_months(month: str, period: str = "month") -> list[str]:
    """The calendar months of a reporting period ending with ``month``.

    Parameters
    ----------
    month : str
        Last month, ``YYYY-MM``.
    period : {"month", "rolling_3", "fytd"}
        The month alone, the three months ending with it, or the financial year to date (from
        April).

    Returns
    -------
    list of str
        Months, oldest first.

    Raises
    ------
    ValueError
        For a month not written ``YYYY-MM`` or an unknown period.

    Examples
    --------
    >>> reporting_months("2026-10", "rolling_3")
    ['2026-08', '2026-09', '2026-10']
    >>> reporting_months("2026-02", "fytd")[0], reporting_months("2026-04", "fytd")
    ('2025-04', ['2026-04'])
    """
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", str(month)):
        raise ValueError(f"month must be written YYYY-MM, got {month!r}")
    if period == "month":
        return [month]
    if period == "rolling_3":
        return previous_months(month, 3)
    if period == "fytd":
        april = _period(month).year if _period(month).month >= 4 else _period(month).year - 1
        return month_range_unchecked(f"{april:04d}-04", month)
    raise ValueError(f"period must be 'month', 'rolling_3' or 'fytd', got {period!r}")


def month_range_unchecked(first: str, last: str) -> list[str]:
    """Every ISO month from ``first`` to ``last`` (none when ``last`` is earlier), without user checks.

    Examples
    --------
    >>> month_range_unchecked("2010-12", "2011-01")
    ['2010-12', '2011-01']
    """
    return [str(p) for p in pd.period_range(_period(first), _period(last), freq="M")]


def period_dates(months: Sequence[str]) -> tuple[dt.date, dt.date]:
    """The first day of the first month and the last day of the last.

    Examples
    --------
    >>> period_dates(["2026-08", "2026-09", "2026-10"])
    (datetime.date(2026, 8, 1), datetime.date(2026, 10, 31))
    """
    return month_dates(months[0])[0], month_dates(months[-1])[1]


def months_between(first: str, last: str) -> int:
    """How many months ``last`` is after ``first`` (negative if before).

    Examples
    --------
    >>> months_between("2025-11", "2026-02"), months_between("2026-02", "2026-02")
    (3, 0)
    """
    return (_period(last) - _period(first)).n
