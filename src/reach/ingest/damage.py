"""Telling a whole export from a damaged one: downloads cut short, and rows missing against the file's own totals.

A cut-off download must never be read as a smaller month. :func:`check_ending` (before the file
is parsed, once its kind is known) and :func:`check_complete` (after) refuse it, naming the line,
when the file shows it was cut:

* it ends inside its header line, or has a header and no rows where its source always writes some;
* it ends without a line break although its source ends every export with one (YouTube Studio,
  Meta); GA4 writes no final line break, so there a cut shows only when the last value is left
  empty or half a number (``15.``);
* its rows add up to far less than its own totals row (YouTube Table data ``Total``, the Ads
  Manager account total).

A GA4 file cut inside its last number, leaving a shorter whole number, cannot be told from a
whole file; nor can any file cut exactly at the end of a line, unless it has totals.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd

from reach.errors import InputValidationError
from reach.ingest.export import Export
from reach.ingest.limits import ReadLimits
from reach.ingest.records import _Doc, _Rec

#: Kinds whose source ends every file with a line break (GA4 does not).
LINE_ENDED: dict[str, str] = {
    "youtube_table": "YouTube Studio",
    "youtube_chart": "YouTube Studio",
    "youtube_totals": "YouTube Studio",
    "meta_posts": "Meta Business Suite",
    "meta_daily": "Meta Business Suite",
    "meta_ads": "Meta Ads Manager",
}

#: Kinds whose source always writes rows under the header (YouTube Table data is checked by its
#: parser: it always has a Total row), with what it writes.
ROWS_EXPECTED: dict[str, str] = {
    "ga4_report": "a GA4 report has a row for every page, day or channel with any activity in its period",
    "youtube_chart": "YouTube Studio writes a row for every day and video of the period, zeros included",
    "youtube_totals": "YouTube Studio writes a row for every day of the period, zeros included",
    "meta_posts": "a Meta posts export has a row for every post published in its period",
    "meta_ads": "Ads Manager writes at least the account-total row",
}

#: Share of the Ads Manager account total its rows must add up to, for counts such as
#: Impressions: the total is their sum (878,306 both ways in a real export); 1% allows rounding.
ADS_ROWS_MIN_SHARE = 0.99

_CUT_NUMBER = re.compile(r"[-+]?(\d+\.|\d*\.?\d*[eE][-+]?|[-+.])")

_REDOWNLOAD = "so the download was cut short - download it again"


def _ends_mid_line(doc: _Doc) -> bool:
    return bool(doc.text) and not doc.text.endswith(("\n", "\r"))


def _last_content(records: Sequence[_Rec]) -> int | None:
    for i in range(len(records) - 1, -1, -1):
        if not records[i].blank:
            return i
    return None


def _first_header(records: Sequence[_Rec]) -> _Rec | None:
    return next((r for r in records if not r.blank and not r.comment), None)


def _block_header(records: Sequence[_Rec], i: int) -> _Rec:
    """The header of the table that record ``i`` belongs to (the first line after a blank or ``#`` line)."""
    while i > 0 and not records[i - 1].blank and not records[i - 1].comment:
        i -= 1
    return records[i]


def _no_rows(export: Export) -> bool:
    if export.kind == "meta_ads":
        return export.rows == 0 and not export.totals
    return export.rows == 0


def _period(export: Export) -> str:
    if export.start and export.end:
        return f"from {export.start} to {export.end}"
    return "in the period"


def check_ending(doc: _Doc, kind: str) -> None:
    """Refuse a file of a known kind whose last line shows the download stopped inside it.

    Runs before the file is parsed, so a half-written last value is named as a cut, not as a
    value that is no number.

    Parameters
    ----------
    doc : _Doc
        The decoded file (its text and records).
    kind : str
        The export kind it was recognised as.

    Raises
    ------
    InputValidationError
        One line naming the file, the line and what a whole export has there.
    """
    if doc.xlsx or not _ends_mid_line(doc):
        return
    last_i = _last_content(doc.records)
    if last_i is None:
        return
    last = doc.records[last_i]
    if kind in LINE_ENDED:
        header = _first_header(doc.records)
        if header is not None and last.line == header.line:
            raise InputValidationError(
                f"the file ends inside its header line, with no line break and no rows after it, {_REDOWNLOAD}",
                path=doc.path,
                row=header.line,
            )
        raise InputValidationError(
            f"the file ends inside this line, with no line break after it, but {LINE_ENDED[kind]} ends "
            f"every export with one, {_REDOWNLOAD}",
            path=doc.path,
            row=last.line,
        )
    if kind in ("ga4_report", "ga4_snapshot") and not last.comment:
        _check_ga4_last_value(doc, last_i)


def check_complete(doc: _Doc, export: Export, limits: ReadLimits) -> None:
    """Refuse a parsed export with no rows where its source always writes some, or rows missing against its totals.

    Parameters
    ----------
    doc : _Doc
        The decoded file (its text and records).
    export : Export
        What the parser made of it.
    limits : ReadLimits
        For ``totals_min_share``.

    Raises
    ------
    InputValidationError
        One line naming the file, the line and what a whole export has there.
    """
    header = None if doc.xlsx else _first_header(doc.records)
    if export.kind in ROWS_EXPECTED and _no_rows(export) and header is not None:
        raise InputValidationError(
            f"the file has a header but no rows, and {ROWS_EXPECTED[export.kind]}, so the download looks cut "
            f"short - download it again (if there was truly nothing {_period(export)}, leave the file out, "
            "so the month shows the source as missing rather than as 0)",
            path=doc.path,
            row=header.line,
        )
    _check_totals(export, limits)


def _check_ga4_last_value(doc: _Doc, last_i: int) -> None:
    """A GA4 file ending in an empty or half-written number (GA4 writes a whole number in every metric cell)."""
    last = doc.records[last_i]
    tail = str(last.fields[-1]).strip() if last.fields else ""
    if tail and not _CUT_NUMBER.fullmatch(tail):
        return  # the common case, decided without looking for the header
    header = _block_header(doc.records, last_i)
    names = [str(n).strip() for n in header.fields]
    while len(names) > 1 and not names[-1]:  # a spreadsheet's trailing empty columns
        names.pop()
    if header.line == last.line or len(last.fields) < len(names):
        return  # a header alone, or a short row: named elsewhere
    value = str(last.fields[len(names) - 1]).strip()
    if value and not _CUT_NUMBER.fullmatch(value):
        return
    found = "is empty" if not value else "holds only the start of a number"
    raise InputValidationError(
        f"the last value {found} and the file ends there; GA4 writes a whole number in every metric "
        f"cell, {_REDOWNLOAD}",
        path=doc.path,
        row=last.line,
        column=names[len(names) - 1],
    )


def _check_totals(export: Export, limits: ReadLimits) -> None:
    """Rows adding up to far less than the file's own totals row: rows are missing."""
    totals = export.totals or {}
    table = export.table
    line = export.meta.get("totals_line")
    headers = export.meta.get("columns", {})
    if export.kind == "youtube_table":
        column, least, why = "views", limits.totals_min_share, "(totals_min_share in config/reach.yaml)"
        whose = "the file's own Total row"
    elif export.kind == "meta_ads":
        column, least, why = "impressions", ADS_ROWS_MIN_SHARE, "(Ads Manager's total is the sum of its rows)"
        whose = "the account-total row"
    else:
        return
    total = totals.get(column)
    if column not in table.columns or not isinstance(total, (int, float)) or not total > 0:
        return
    values = pd.to_numeric(table[column], errors="coerce")
    if (values < 0).any():
        return  # validation names the negative value
    summed = values.sum()
    share = float(summed) / float(total)
    if share < least:
        raise InputValidationError(
            f"the rows' {headers.get(column, column)} add up to {summed:,.0f}, only {share:.0%} of {whose} "
            f"({total:,.0f}) {why}: rows are missing, {_REDOWNLOAD}",
            path=export.path,
            row=line,
        )
