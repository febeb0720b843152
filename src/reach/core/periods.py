"""Report periods longer than a month: calendar quarters, financial years (April–March) and campaigns.

A period is a run of days; its report reads the calendar months those days touch. Periods travel
through reach as their folder key (``2026-Q3``, ``FY2026-27``, ``campaign-ssw-2026``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from reach.core.months import month_dates, month_label, months_touched
from reach.errors import InputValidationError

QUARTER_PATTERN = re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE)
YEAR_PATTERN = re.compile(r"^(?:FY)?(\d{4})[-/](\d{2}|\d{4})$", re.IGNORECASE)
KINDS = ("quarter", "year", "campaign")


@dataclass(frozen=True)
class ReportPeriod:
    """A report period: its kind, folder key, words for people and its days.

    Attributes
    ----------
    kind : {"quarter", "year", "campaign"}
        What sort of period it is.
    key : str
        Folder name under ``reports/``: ``2026-Q3``, ``FY2026-27``, ``campaign-<id>``.
    label : str
        The period in words.
    start, end : datetime.date
        First and last day.
    to_date : bool
        True when the period was cut at the last month with data (a year in progress).
    """

    kind: str
    key: str
    label: str
    start: dt.date
    end: dt.date
    to_date: bool = False

    @property
    def months(self) -> list[str]:
        """The calendar months the period's days touch, oldest first."""
        return months_touched(self.start, self.end)

    def as_dict(self) -> dict[str, Any]:
        """The ``"period"`` block of a period's ``summary.json``.

        Examples
        --------
        >>> quarter("2026-Q3").as_dict()["months"]
        ['2026-07', '2026-08', '2026-09']
        """
        return {
            "kind": self.kind,
            "key": self.key,
            "label": self.label,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "months": self.months,
            "to_date": self.to_date,
        }


def quarter(spec: str) -> ReportPeriod:
    """A calendar quarter written ``YYYY-Qn`` (Q1 January–March … Q4 October–December).

    Raises
    ------
    InputValidationError
        If ``spec`` is not written ``YYYY-Qn``.

    Examples
    --------
    >>> q = quarter("2026-Q3")
    >>> q.key, q.start, q.end, q.label
    ('2026-Q3', datetime.date(2026, 7, 1), datetime.date(2026, 9, 30), 'July to September 2026')
    """
    match = QUARTER_PATTERN.match(str(spec).strip())
    if not match:
        raise InputValidationError(f"quarter {spec!r} is not written YYYY-Qn (for example 2026-Q3)")
    year, number = int(match.group(1)), int(match.group(2))
    first, last = f"{year:04d}-{3 * number - 2:02d}", f"{year:04d}-{3 * number:02d}"
    label = f"{month_label(first).split()[0]} to {month_label(last)}"
    return ReportPeriod(
        "quarter", f"{year:04d}-Q{number}", label, month_dates(first)[0], month_dates(last)[1]
    )


def financial_year(spec: str) -> ReportPeriod:
    """A financial year, April to March, written ``YYYY-YY`` (``2026-27``: April 2026 to March 2027).

    Raises
    ------
    InputValidationError
        If ``spec`` is not two consecutive years.

    Examples
    --------
    >>> y = financial_year("2026-27")
    >>> y.key, y.start, y.end
    ('FY2026-27', datetime.date(2026, 4, 1), datetime.date(2027, 3, 31))
    >>> financial_year("2025/2026").key
    'FY2025-26'
    """
    match = YEAR_PATTERN.match(str(spec).strip())
    if not match:
        raise InputValidationError(f"financial year {spec!r} is not written YYYY-YY (for example 2026-27)")
    first, second = int(match.group(1)), match.group(2)
    if int(second) % 100 != (first + 1) % 100 or (len(second) == 4 and int(second) != first + 1):
        raise InputValidationError(
            f"financial year {spec!r}: the second year must follow the first (for example 2026-27)"
        )
    key = f"FY{first:04d}-{(first + 1) % 100:02d}"
    label = f"financial year {first:04d}-{(first + 1) % 100:02d} (April {first} to March {first + 1})"
    return ReportPeriod("year", key, label, dt.date(first, 4, 1), dt.date(first + 1, 3, 31))


def campaign(campaign_id: str, campaigns: Iterable[Mapping[str, Any]]) -> ReportPeriod:
    """A campaign's days, from the reference table ``campaigns.csv`` (``campaign_id, name, start, end``).

    Raises
    ------
    InputValidationError
        If the campaign is not in the table or its dates are not ``YYYY-MM-DD``.

    Examples
    --------
    >>> rows = [{"campaign_id": "ssw-2026", "name": "Safer Sleep Week 2026",
    ...          "start": "2026-03-09", "end": "2026-03-22"}]
    >>> c = campaign("ssw-2026", rows)
    >>> c.key, c.months, c.label
    ('campaign-ssw-2026', ['2026-03'], 'Safer Sleep Week 2026, 9 March 2026 to 22 March 2026')
    """
    rows = [dict(row) for row in campaigns]
    chosen = [row for row in rows if str(row.get("campaign_id", "")).strip() == str(campaign_id).strip()]
    if not chosen:
        known = ", ".join(sorted(str(row.get("campaign_id")) for row in rows)) or "none"
        raise InputValidationError(
            f"campaign {campaign_id!r} is not in campaigns.csv (campaigns there: {known})"
        )
    row = chosen[0]
    try:
        start = dt.date.fromisoformat(str(row["start"]).strip())
        end = dt.date.fromisoformat(str(row["end"]).strip())
    except (KeyError, ValueError) as err:
        raise InputValidationError(
            f"campaign {campaign_id!r} in campaigns.csv needs start and end dates written YYYY-MM-DD"
        ) from err
    if end < start:
        raise InputValidationError(f"campaign {campaign_id!r} in campaigns.csv ends before it starts")
    name = str(row.get("name") or campaign_id).strip()
    label = f"{name}, {start.day} {start:%B %Y} to {end.day} {end:%B %Y}"
    return ReportPeriod("campaign", f"campaign-{str(campaign_id).strip()}", label, start, end)


def up_to(period: ReportPeriod, last_month: str) -> ReportPeriod:
    """The period cut at the end of ``last_month`` when it runs beyond it (a year in progress).

    Raises
    ------
    InputValidationError
        If the period starts after ``last_month``: there are no data for it yet.

    Examples
    --------
    >>> y = up_to(financial_year("2026-27"), "2026-10")
    >>> y.end, y.to_date, y.label
    (datetime.date(2026, 10, 31), True, 'financial year 2026-27 to date (April 2026 to October 2026)')
    >>> up_to(quarter("2026-Q3"), "2026-10") == quarter("2026-Q3")
    True
    """
    last_day = month_dates(last_month)[1]
    if period.end <= last_day:
        return period
    if period.start > last_day:
        raise InputValidationError(
            f"{period.label} starts after {month_label(last_month)}, the last month with exports"
        )
    first = period.months[0]
    base = period.label.split(" (")[0]
    label = f"{base} to date ({month_label(first)} to {month_label(last_month)})"
    return replace(period, end=last_day, to_date=True, label=label)


def from_key(key: str, campaigns: Iterable[Mapping[str, Any]] = ()) -> ReportPeriod:
    """The period a folder key (or command-line value) names: ``2026-Q3``, ``FY2026-27``, ``campaign-<id>``.

    Examples
    --------
    >>> from_key("FY2025-26").end, from_key("2026-Q1").start
    (datetime.date(2026, 3, 31), datetime.date(2026, 1, 1))
    """
    text = str(key).strip()
    if text.startswith("campaign-"):
        return campaign(text[len("campaign-") :], campaigns)
    if QUARTER_PATTERN.match(text):
        return quarter(text)
    return financial_year(text)
