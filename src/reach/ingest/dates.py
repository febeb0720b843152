"""Reading the many date formats exports use, and checking their order."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from reach.errors import InputValidationError

# --------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------

_ISO_RE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$"
)


_COMPACT_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


_MONTHNAME_RE = re.compile(r"^([A-Za-z]{3,9})\.? (\d{1,2}), (\d{4})$")


_DMONY_RE = re.compile(r"^(\d{1,2})[- ]([A-Za-z]{3,9})[- ](\d{2}|\d{4})$")


_NUMERIC_RE = re.compile(
    r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?$"
)


_MONTHS = {
    m.lower(): i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for m in names
}


_FAMILY_EXAMPLE = {
    "iso": "2025-06-13",
    "compact": "20250613",
    "monthname": "Sep 29, 2025",
    "dmony": "3-Jun-26",
    "numeric": "13/06/2025",
}


def _year(text: str) -> int:
    y = int(text)
    return y + 2000 if len(text) == 2 and y < 69 else (y + 1900 if len(text) == 2 else y)


def _check_date_order(date_order: str | None, path: Path) -> str | None:
    if date_order is None:
        return None
    order = str(date_order).strip().upper()
    if order not in ("DMY", "MDY"):
        raise InputValidationError(
            "date_order must be 'DMY' or 'MDY' (set forms_date_order: DMY or MDY in config/reach.yaml)",
            path=path,
            value=date_order,
        )
    return order


@dataclass
class _DateResult:
    values: pd.Series
    warnings: list[str]
    families: set[str]
    order: str | None


def _parse_dates(
    values: Sequence[Any],
    lines: Sequence[int | None],
    *,
    path: Path,
    column: str,
    families: Sequence[str],
    excel_families: Sequence[str] = (),
    date_order: str | None = None,
    default_order: str | None = None,
    consecutive_hint: bool = False,
    order_source: str = "date_order",
) -> _DateResult:
    """Parse a column of date or date-time strings into ``datetime64[ns]``.

    Parameters
    ----------
    values : sequence
        Cell values (strings; ``datetime``/``date`` objects from .xlsx pass through).
    lines : sequence of int
        Physical line of each value, for error messages.
    path, column : Path, str
        For error messages.
    families : sequence of str
        Accepted spellings: ``iso``, ``compact`` (YYYYMMDD), ``monthname`` (``Sep 29, 2025``),
        ``dmony`` (``3-Jun-26``), ``numeric`` (``13/06/2025``, ``6/13/25 10:01``, ``13-06-2025``).
    excel_families : sequence of str
        Families that mean the file was re-saved by a spreadsheet: a warning is added.
    date_order : {"DMY", "MDY"} or None
        Configured order for ambiguous numeric dates.
    default_order : {"DMY", "MDY"} or None
        Order the source documents, used when the values do not decide and no date_order is set.
    consecutive_hint : bool
        For daily series: decide an ambiguous order by which reading gives consecutive days.
    order_source : str
        How the message names the option that settles ambiguity.

    Returns
    -------
    _DateResult
        ``values`` is a ``datetime64[ns]`` Series (NaT for blanks).

    Raises
    ------
    InputValidationError
        A value fits no accepted spelling, is not a real date, or the day/month order cannot be decided.
    """
    fast = _plain_dates(values, families)
    if fast is not None:
        return _DateResult(fast[0], [], {fast[1]}, None)
    out, used, numeric = _read_date_cells(values, lines, path=path, column=column, families=families)
    warnings: list[str] = []
    order: str | None = None
    if numeric:
        order = _numeric_date_order(
            numeric,
            values,
            lines,
            warnings,
            path=path,
            column=column,
            date_order=date_order,
            default_order=default_order,
            consecutive_hint=consecutive_hint,
            order_source=order_source,
        )
        _fill_numeric_dates(out, numeric, order, values, lines, path=path, column=column)
    warnings.extend(_excel_date_warnings(values, used, column, families, excel_families, order))
    if "iso_tz" in used:
        warnings.append(f"Column {column!r} has time-zone offsets; the times were converted to UTC.")
    series = pd.Series(pd.to_datetime(pd.Series(out, dtype=object)), dtype="datetime64[ns]")
    return _DateResult(series, warnings, used, order)


_PLAIN_FAMILIES = (("compact", "%Y%m%d", r"\d{8}"), ("iso", "%Y-%m-%d", r"\d{4}-\d{2}-\d{2}"))


def _plain_dates(values: Sequence[Any], families: Sequence[str]) -> tuple[pd.Series, str] | None:
    """Read a column whose every cell is a plain ``YYYYMMDD`` or ``YYYY-MM-DD`` text, all at once.

    The common case of large GA4 and YouTube files, read by pandas rather than cell by cell.
    Returns ``(dates, family)``, or None when any cell is spelled otherwise or is no real date (the
    cell-by-cell reader then names it).
    """
    if not len(values) or not all(type(v) is str for v in values):
        return None
    cells = pd.Series(values, dtype="str").str.strip()
    blank = cells == ""
    if blank.all():
        return None
    for family, fmt, pattern in _PLAIN_FAMILIES:
        if family not in families or not cells[~blank].str.fullmatch(pattern).all():
            continue
        dates = pd.to_datetime(cells.where(~blank), format=fmt, errors="coerce")
        if dates[~blank].isna().any():
            return None
        return pd.Series(dates, dtype="datetime64[ns]"), family
    return None


def _date_error(
    values: Sequence[Any], lines: Sequence[int | None], i: int, why: str, *, path: Path, column: str
) -> InputValidationError:
    """The error for the value at position ``i`` of a date column."""
    return InputValidationError(
        why, path=path, row=lines[i] if i < len(lines) else None, column=column, value=values[i]
    )


def _read_date_cells(
    values: Sequence[Any],
    lines: Sequence[int | None],
    *,
    path: Path,
    column: str,
    families: Sequence[str],
) -> tuple[list[Any], set[str], list[tuple[int, re.Match[str]]]]:
    """Read every cell whose spelling settles the date; collect numeric ones, whose order may not."""
    out: list[Any] = [None] * len(values)
    used: set[str] = set()
    numeric: list[tuple[int, re.Match[str]]] = []
    examples = " or ".join(repr(_FAMILY_EXAMPLE[f]) for f in families)
    for i, raw in enumerate(values):
        if raw is None or (isinstance(raw, float) and np.isnan(raw)):
            continue
        if isinstance(raw, dt.datetime):
            out[i] = raw.replace(tzinfo=None)
            used.add("native")
            continue
        if isinstance(raw, dt.date):
            out[i] = dt.datetime(raw.year, raw.month, raw.day)
            used.add("native")
            continue
        text = str(raw).strip()
        if not text:
            continue
        try:
            got = _read_date_text(text, families, used)
            if got is None:
                why = f"expected a date like {examples}{_resaved_hint(text, families)}"
                raise _date_error(values, lines, i, why, path=path, column=column)
            if isinstance(got, re.Match):
                numeric.append((i, got))
                used.add("numeric")
            else:
                out[i] = got
        except ValueError as err:
            raise _date_error(values, lines, i, f"not a real date ({err})", path=path, column=column) from err
    return out, used, numeric


def _read_date_text(text: str, families: Sequence[str], used: set[str]) -> dt.datetime | re.Match[str] | None:
    """Read one text with the first accepted spelling it fits (a numeric date's match is returned unread)."""
    if "iso" in families and (m := _ISO_RE.match(text)):
        y, mo, d, hh, mi, ss, frac, tz = m.groups()
        stamp = dt.datetime(int(y), int(mo), int(d), int(hh or 0), int(mi or 0), int(ss or 0))
        if frac:
            stamp = stamp.replace(microsecond=int(frac[:6].ljust(6, "0")))
        if tz:
            off = 0 if tz == "Z" else (1 if tz[0] == "+" else -1) * (int(tz[1:3]) * 60 + int(tz[-2:]))
            stamp = stamp - dt.timedelta(minutes=off)
            used.add("iso_tz")
        used.add("iso")
        return stamp
    if "compact" in families and (m := _COMPACT_RE.match(text)):
        stamp = dt.datetime(int(m[1]), int(m[2]), int(m[3]))
        used.add("compact")
        return stamp
    if "monthname" in families and (m := _MONTHNAME_RE.match(text)):
        month = _MONTHS.get(m[1].lower())
        if month is None:
            raise ValueError(f"unknown month {m[1]!r}")
        stamp = dt.datetime(int(m[3]), month, int(m[2]))
        used.add("monthname")
        return stamp
    if "dmony" in families and (m := _DMONY_RE.match(text)):
        month = _MONTHS.get(m[2].lower())
        if month is None:
            raise ValueError(f"unknown month {m[2]!r}")
        stamp = dt.datetime(_year(m[3]), month, int(m[1]))
        used.add("dmony")
        return stamp
    if "numeric" in families and (m := _NUMERIC_RE.match(text)):
        return m
    return None


def _resaved_hint(text: str, families: Sequence[str]) -> str:
    """The message tail for a date spelled the way a spreadsheet re-saves it, or ``""``."""
    other = _family_of(text, tuple(_FAMILY_EXAMPLE))
    if other in ("numeric", "dmony", "monthname") and other not in families:
        return (
            f" - {text!r} is how a spreadsheet writes dates when it re-saves a CSV, so the file "
            "looks opened and saved in Excel; download the export again"
        )
    return ""


def _numeric_date_order(
    numeric: list[tuple[int, re.Match[str]]],
    values: Sequence[Any],
    lines: Sequence[int | None],
    warnings: list[str],
    *,
    path: Path,
    column: str,
    date_order: str | None,
    default_order: str | None,
    consecutive_hint: bool,
    order_source: str,
) -> str:
    """Decide the day/month order of the numeric dates, warning when the values overrule the setting."""
    firsts = [int(m[1]) for _, m in numeric]
    seconds = [int(m[3]) for _, m in numeric]
    dmy = next((k for k, f in enumerate(firsts) if f > 12), None)
    mdy = next((k for k, s in enumerate(seconds) if s > 12), None)
    if dmy is not None and mdy is not None:
        i1, i2 = numeric[dmy][0], numeric[mdy][0]
        why = (
            f"dates mix day-first and month-first spellings (line {lines[i1]} has {values[i1]!r}); "
            "the file was probably edited in a spreadsheet - download it again"
        )
        raise _date_error(values, lines, i2, why, path=path, column=column)
    order: str | None = None
    if dmy is not None:
        order = "DMY"
    elif mdy is not None:
        order = "MDY"
    if order and date_order and order != date_order:
        k = dmy if dmy is not None else mdy
        warnings.append(
            f"Column {column!r} has {values[numeric[k][0]]!r}, which can only be read {order}, so the "
            f"configured {order_source} {date_order} was not used for it."
        )
    if order is None:
        order = date_order
    if order is None and consecutive_hint:
        order = _order_by_consecutive_days(numeric)
    if order is None:
        order = default_order
    if order is None:
        i0 = numeric[0][0]
        why = (
            f"dates such as {values[i0]!r} could be day-first or month-first (no day is above 12), "
            f"so the order cannot be decided from the file; set forms_date_order: DMY or MDY in "
            f"config/reach.yaml (the {order_source} option)"
        )
        raise _date_error(values, lines, i0, why, path=path, column=column)
    return order


def _fill_numeric_dates(
    out: list[Any],
    numeric: list[tuple[int, re.Match[str]]],
    order: str,
    values: Sequence[Any],
    lines: Sequence[int | None],
    *,
    path: Path,
    column: str,
) -> None:
    """Read each numeric date in ``order`` into its place in ``out``."""
    for i, m in numeric:
        a, b = int(m[1]), int(m[3])
        day, month = (a, b) if order == "DMY" else (b, a)
        hour = int(m[5] or 0)
        if m[8]:
            hour = hour % 12 + (12 if m[8].lower() == "pm" else 0)
        try:
            out[i] = dt.datetime(_year(m[4]), month, day, hour, int(m[6] or 0), int(m[7] or 0))
        except ValueError as err:
            why = f"not a real date when read {order} ({err})"
            raise _date_error(values, lines, i, why, path=path, column=column) from err


def _excel_date_warnings(
    values: Sequence[Any],
    used: set[str],
    column: str,
    families: Sequence[str],
    excel_families: Sequence[str],
    order: str | None,
) -> list[str]:
    """Warnings for dates spelled the way a spreadsheet writes them when it re-saves a file."""
    warnings: list[str] = []
    for fam in excel_families:
        if fam in used:
            example = next(
                str(v).strip()
                for v in values
                if isinstance(v, str) and v.strip() and _family_of(v.strip(), families) == fam
            )
            spelled = {"numeric": "DD-MM-YYYY" if order == "DMY" else "MM-DD-YYYY"}.get(fam, example)
            if fam == "numeric" and "/" in example:
                spelled = "DD/MM/YYYY" if order == "DMY" else "MM/DD/YYYY"
            warnings.append(
                f"Column {column!r} has dates written like {example!r} ({spelled}) instead of the source's "
                "usual spelling, so the file looks re-saved by Excel; they were read "
                f"{order or 'as written'}."
            )
    return warnings


def _family_of(text: str, families: Sequence[str]) -> str | None:
    for fam, rx in (
        ("iso", _ISO_RE),
        ("compact", _COMPACT_RE),
        ("monthname", _MONTHNAME_RE),
        ("dmony", _DMONY_RE),
        ("numeric", _NUMERIC_RE),
    ):
        if fam in families and rx.match(text):
            return fam
    return None


def _order_by_consecutive_days(numeric: list[tuple[int, re.Match[str]]]) -> str | None:
    """For a daily series, the day/month order under which the dates are valid and consecutive."""
    for order in ("DMY", "MDY"):
        try:
            days = sorted(
                dt.date(_year(m[4]), *((int(m[3]), int(m[1])) if order == "DMY" else (int(m[1]), int(m[3]))))
                for _, m in numeric
            )
        except ValueError:
            continue
        if all((b - a).days == 1 for a, b in zip(days, days[1:], strict=False)):
            return order
    return None
