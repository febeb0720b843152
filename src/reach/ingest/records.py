"""Decoding bytes into rows, and rows into typed tables.

Encodings, CSV records, numbers and durations, canonical column names, recognising files from
other tools, and :func:`_finish`, the shared last step of every parser. The exports each parser
expects are listed in ``data/raw/README.md``.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from reach.errors import InputValidationError, UnrecognisedExportError
from reach.ingest.export import Export, _key, snake_case


class _Rec(NamedTuple):
    """One CSV record: the physical line it starts on and its fields.

    A named tuple, not a dataclass: a large export has a million of them, and these properties
    are asked of every one several times, so both are kept cheap.
    """

    line: int
    fields: list[str]

    @property
    def blank(self) -> bool:
        f = self.fields
        if f and type(f[0]) is str and f[0].strip():  # the common case: a first value
            return False
        try:
            return not "".join(f).strip()
        except TypeError:  # a non-text cell (a date from .xlsx) is never blank
            return False

    @property
    def comment(self) -> bool:
        first = self.fields[0] if self.fields else None
        return type(first) is str and first.lstrip()[:1] == "#"

    @property
    def comment_text(self) -> str:
        """Text after the ``#`` (fields re-joined; Excel's trailing commas removed)."""
        joined = ",".join(self.fields).rstrip(", ")
        return joined.lstrip()[1:].strip()


@dataclass
class _Doc:
    """A decoded file on its way through detection and parsing."""

    path: Path
    name: str
    size: int
    encoding: str
    text: str
    records: list[_Rec]
    warnings: list[str]
    delimiter: str = ","
    xlsx: bool = False


def _records(text: str, path: Path, delimiter: str = ",") -> list[_Rec]:
    """Split text into CSV records with their starting physical line numbers.

    Raises
    ------
    InputValidationError
        When the quoting is broken (e.g. a quoted value is never closed: a truncated file).
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    out: list[_Rec] = []
    prev = 0
    try:
        for fields in reader:
            out.append(_Rec(prev + 1, fields))
            prev = reader.line_num
    except csv.Error as err:
        if "field limit" in str(err):
            raise InputValidationError(
                f"a single value is longer than {csv.field_size_limit():,} characters, which no export "
                "writes; the file is damaged or is not an export - download it again",
                path=path,
                row=prev + 1,
            ) from err
        raise InputValidationError(
            f"the CSV quoting is broken ({err}): a quoted value is not closed or has stray text after "
            "its closing quote; the file may be truncated or edited by hand - download it again",
            path=path,
            row=prev + 1,
        ) from err
    return out


_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document, not a CSV export"),
    (b"\xd0\xcf\x11\xe0", "an old-style Office file (.xls/.doc); open it and save it as CSV or .xlsx"),
    (b"\x89PNG", "a PNG image, not a CSV export"),
    (b"\xff\xd8\xff", "a JPEG image, not a CSV export"),
    (b"GIF8", "a GIF image, not a CSV export"),
    (b"\x1f\x8b", "a gzip-compressed file; decompress it first"),
    (b"PAR1", "a Parquet file, not a CSV export (reach reads the raw downloads)"),
    (b"SQLite format 3", "an SQLite database, not a CSV export"),
)


def _decode(data: bytes, path: Path) -> tuple[str, str, list[str]]:
    """Decode bytes to text: UTF-8 (BOM optional), UTF-16 with BOM, else Windows-1252.

    Returns
    -------
    tuple
        ``(text, encoding, warnings)``.
    """
    warnings: list[str] = []
    if not data:
        raise UnrecognisedExportError("empty file (0 bytes); download the export again", path=path)
    for magic, what in _SIGNATURES:
        if data.startswith(magic):
            raise UnrecognisedExportError(f"this is {what}", path=path)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16", warnings
        except UnicodeDecodeError as err:
            raise InputValidationError(
                f"the file starts with a UTF-16 byte-order mark but is not valid UTF-16 ({err.reason} at "
                f"byte {err.start}); it may be truncated - download it again",
                path=path,
            ) from err
    head = data[:4096]
    if b"\x00" in head:
        # UTF-16 without a BOM shows NULs in every other byte of ASCII text.
        even, odd = head[0::2], head[1::2]
        for enc, zeros in (("utf-16-le", odd), ("utf-16-be", even)):
            if zeros and zeros.count(0) > 0.9 * len(zeros):
                try:
                    text = data.decode(enc)
                except UnicodeDecodeError:
                    break
                warnings.append(
                    f"The file is UTF-16 ({enc}) without a byte-order mark; it was decoded as such."
                )
                return text, enc, warnings
        raise UnrecognisedExportError("binary file (it contains NUL bytes), not a CSV export", path=path)
    if data.startswith(codecs.BOM_UTF8):
        body, encoding = data[len(codecs.BOM_UTF8) :], "utf-8-sig"
    else:
        body, encoding = data, "utf-8"
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        text = body.decode("cp1252", errors="replace")
        encoding = "cp1252"
        warnings.append(
            "The file is not UTF-8, so it was read as Windows-1252; it was probably re-saved by Excel, "
            "so check accented characters and prefer the original download."
        )
    sample = text[:4096]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\r\n\t")
    if sample and controls > 0.05 * len(sample):
        raise UnrecognisedExportError("binary file (mostly control characters), not a CSV export", path=path)
    return text, encoding, warnings


def _describe_text(doc: _Doc) -> str:
    """Describe a text file that matched no export kind, for the error message."""
    stripped = doc.text.lstrip()
    low = stripped[:200].lower()
    if low.startswith(("<!doctype html", "<html")):
        return "an HTML page (perhaps a sign-in page was saved instead of the download), not a CSV export"
    if low.startswith("<?xml"):
        return "an XML file, not a CSV export"
    if low.startswith(("{", "[")):
        return (
            "a JSON file that is not a GA4 BigQuery events export (whose every line is an event object "
            "with event_date, event_name and user_pseudo_id), e.g. an API export, which reach does not "
            "read; download the CSV from the report's Share/Export menu instead"
        )
    first = next((r for r in doc.records if not r.blank), None)
    enc = "UTF-16 " if doc.encoding.startswith("utf-16") else ""
    if first is None:
        return f"a {enc}text file with only blank lines"
    if (known := _foreign_export(first, doc.records)) is not None:
        return known
    # The file's own text is never quoted: it may be anything (a system file, personal data).
    n = len(first.fields)
    shape = f"its first line has {n} comma-separated value{'s' if n != 1 else ''}"
    if all(r.blank or r is first for r in doc.records) and not doc.text.endswith(("\n", "\r")):
        shape += (
            " and is the only line, with no line break at its end, so it may be a download cut short inside "
            "its header - download it again"
        )
    return (
        f"a {enc}text file with no recognised header ({shape}); reach reads GA4 "
        "report CSVs, YouTube Studio Table/Chart/Totals, Meta Business Suite posts/daily/Ads Manager, "
        "Microsoft/Google Forms, GOV.UK Feedback Explorer, page feedback, partner indicator files and "
        "health-visiting recall returns"
    )


_STAMP_RE = re.compile(r"\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}[ T]\d{1,2}:\d{2}(:\d{2})?")


def _foreign_export(first: _Rec, records: Sequence[_Rec]) -> str | None:
    """Name a well-known export reach does not read, or a known export missing its header row."""
    keys = [_key(str(f)) for f in first.fields]
    keyset = set(keys)
    if {"clicks", "impressions", "ctr", "position"} <= keyset:
        return (
            "a Google Search Console performance export (Clicks, Impressions, CTR, Position), which reach "
            "does not read; web figures come from GA4 report CSVs"
        )
    if keys[:1] == ["project name"] and any(
        _key(str(r.fields[0])) == "date range" for r in records[:5] if r.fields
    ):
        return "a Microsoft Clarity export, which reach does not read; web figures come from GA4 report CSVs"
    f = [str(x).strip() for x in first.fields]
    if (
        len(f) >= 5
        and f[0].isdigit()
        and _STAMP_RE.fullmatch(f[1])
        and _STAMP_RE.fullmatch(f[2])
        and (f[3].lower() == "anonymous" or "@" in f[3] or not f[3])
    ):
        return (
            "Microsoft Forms responses without their header row (the first line is already a response: "
            "ID, start and completion times, email), so the questions cannot be matched by their text; "
            "download the responses again"
        )
    return None


def _hms_seconds(text: str) -> float | None:
    """``H:MM:SS`` or ``M:SS`` to seconds; plain numbers pass through."""
    t = text.strip()
    if not t:
        return None
    parts = t.split(":")
    if len(parts) in (2, 3) and all(p.strip().isdigit() for p in parts):
        nums = [int(p) for p in parts]
        if len(nums) == 2:
            nums = [0, *nums]
        return float(nums[0] * 3600 + nums[1] * 60 + nums[2])
    return float(t)


# --------------------------------------------------------------------------------------------
# Typed columns
# --------------------------------------------------------------------------------------------

_FLOAT_HINT = re.compile(
    r"(rate|ratio|_pct|pct_|percent|per_|^avg_|average|duration|time|hours|revenue|earnings|value|"
    r"_usd|_inr|_gbp|_eur|amount|spent|cost|cpc|cpm|ctr|frequency|roas|share_of)"
)


def _to_numeric(
    values: Sequence[Any],
    lines: Sequence[int | None],
    *,
    path: Path,
    column: str,
    count: bool | None,
    na_values: Iterable[str] = (),
    name: str = "",
) -> pd.Series:
    """Parse numbers: ``count=True`` -> Int64, ``False`` -> float64, ``None`` -> Int64 if all whole.

    Blank cells (and ``na_values``) become missing. A non-number raises
    :class:`~reach.errors.InputValidationError` naming the line.
    """
    na = {"", *na_values}
    text = all(type(v) is str for v in values)
    raw = pd.Series(values if text else [_numeric_cell(v) for v in values], dtype=object)
    nums = pd.to_numeric(raw, errors="coerce")  # white space around a number is allowed
    if na != {""}:  # spellings of "not available" that read as numbers (GA4 cohorts' -1)
        nums = nums.mask(raw.astype(str).str.strip().isin(list(na)))
    unread = np.flatnonzero(nums.isna().to_numpy())
    bad: list[int] = []
    if len(unread):  # blanks, the na spellings, and values that are no number
        cells = raw.iloc[unread].astype(str).str.strip()
        missing = cells.isin(list(na)).to_numpy()
        bad = [int(i) for i in unread[~missing]]
    if bad:
        i = bad[0]
        comma = (
            " - the comma is a decimal comma or a thousands separator written by a spreadsheet in "
            "another locale, and reach does not guess which"
            if re.fullmatch(r"-?[\d.]*\d,\d+", str(raw.iloc[i]).strip())
            else ""
        )
        raise InputValidationError(
            "expected a number (raw digits, no thousands separators, units or % signs)"
            f"{comma}; correct the cell or download the export again",
            path=path,
            row=lines[i] if i < len(lines) else None,
            column=column,
            value=values[i],
        )
    nums = nums.astype("float64")
    # "inf", "1e400" or a count beyond 2**53 (where whole numbers stop being exact): no export's figure.
    huge = np.flatnonzero(
        (~np.isfinite(nums.to_numpy()) & nums.notna().to_numpy()) | (nums.abs() >= 2.0**53).to_numpy()
    )
    if len(huge):
        i = int(huge[0])
        raise InputValidationError(
            "expected a number an export could hold (this one is infinite, or above 9,007,199,254,740,992); "
            "correct the cell or download the export again",
            path=path,
            row=lines[i] if i < len(lines) else None,
            column=column,
            value=values[i],
        )
    finite = nums.dropna()
    whole = bool(((finite % 1) == 0).all()) if len(finite) else True
    if count is None:
        count = whole and not _FLOAT_HINT.search(name)
    if count:
        if not whole:
            i = int(np.flatnonzero(((nums % 1) != 0).fillna(False).to_numpy())[0])
            raise InputValidationError(
                "expected a whole number (this column is a count)",
                path=path,
                row=lines[i] if i < len(lines) else None,
                column=column,
                value=values[i],
            )
        return nums.astype("Int64")
    return nums


def _numeric_cell(v: Any) -> str:
    """One cell of a numeric column as text (.xlsx cells may already be numbers)."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return str(int(v))
    if isinstance(v, (int, float, np.integer, np.floating)):
        return repr(float(v)) if isinstance(v, (float, np.floating)) else str(int(v))
    return str(v).strip()


def _str_series(values: Sequence[Any], *, strip: bool = False, blank_na: bool = False) -> pd.Series:
    cells: list[Any] = []
    for v in values:
        if v is None:
            cells.append(None if blank_na else "")
            continue
        s = v if isinstance(v, str) else str(v)
        if strip:
            s = s.strip()
        cells.append(None if (blank_na and not s.strip()) else s)
    return pd.Series(cells, dtype="str")


def _unit(name: str, dtype: Any, family: str) -> str | None:
    """Name the unit of a numeric column, for ``meta['units']``."""
    if not (pd.api.types.is_numeric_dtype(dtype)) or pd.api.types.is_bool_dtype(dtype):
        return None
    if family == "ga4":
        if name.endswith("_rate"):
            return "fraction (0-1)"
        if "engagement_time" in name or "duration" in name or name == "user_engagement":
            return "seconds"
        if "revenue" in name:
            return "currency"
        if "_per_" in name:
            return "ratio"
        return "count"
    if name.endswith("_pct") or name.startswith("ctr") or "_pct_" in name:
        return "percent"
    if name.endswith("_s") or "seconds" in name:
        return "seconds"
    if name.endswith("_hours"):
        return "hours"
    if re.search(r"usd|inr|gbp|eur|amount|spent|cost|cpc|cpm|revenue|earnings", name):
        return "currency"
    if name in ("frequency",) or name.startswith("avg_"):
        return "ratio"
    return "count" if pd.api.types.is_integer_dtype(dtype) else None


# --------------------------------------------------------------------------------------------
# Table shaping shared by all kinds
# --------------------------------------------------------------------------------------------


def _data_rows(
    header: _Rec, rows: Sequence[_Rec], path: Path, warnings: list[str], *, last_line_is_eof: bool
) -> tuple[list[str], list[_Rec]]:
    """Check every row against the header width; drop Excel's trailing empty columns.

    Returns the cleaned header names and rows (blank rows removed).
    """
    names = [h.replace("\ufeff", "") for h in header.fields]
    width = len(names)
    trailing_empty = 0
    while width > 1 and not names[width - 1].strip():
        width -= 1
        trailing_empty += 1
    kept: list[_Rec] = []
    padded = False
    for idx, rec in enumerate(rows):
        if rec.blank:
            continue
        f = rec.fields
        if len(f) > width:
            extra = f[width:]
            if any(str(x).strip() for x in extra):
                raise InputValidationError(
                    f"this row has {len(f)} values but the header has {width} columns; a value probably "
                    "contains an unquoted comma - download the export again rather than editing it",
                    path=path,
                    row=rec.line,
                )
            if not trailing_empty:
                padded = True
            rec = _Rec(rec.line, f[:width])
        elif len(f) < width:
            is_last = idx == len(rows) - 1 or all(r.blank for r in rows[idx + 1 :])
            if is_last and last_line_is_eof:
                why = "the file looks truncated (it also has no final newline) - download it again"
            else:
                why = (
                    "a line break may have been typed into a value, or the file was edited by hand - "
                    "download it again"
                )
            raise InputValidationError(
                f"this row has {len(f)} values but the header has {width} columns; {why}",
                path=path,
                row=rec.line,
            )
        kept.append(rec)
    if trailing_empty or padded:
        warnings.append(
            "Rows have extra empty columns at the end, so the file looks re-saved by a spreadsheet; the "
            "empty columns were ignored."
        )
    return [n.strip() for n in names[:width]], kept


def _unique_names(names: list[str]) -> tuple[list[str], list[str]]:
    """Make column names unique by suffixing ``_2``, ``_3``; returns (names, warnings)."""
    seen: dict[str, int] = {}
    out: list[str] = []
    warns: list[str] = []
    for n in names:
        if n in seen:
            seen[n] += 1
            new = f"{n}_{seen[n]}"
            warns.append(f"Two columns map to {n!r}; the later one was renamed {new!r}.")
            out.append(new)
        else:
            seen[n] = 1
            out.append(n)
    return out, warns


def _canonical_names(
    headers: Sequence[str], aliases: dict[str, str], warnings: list[str] | None = None
) -> list[str]:
    """Canonical name per header; when two headers claim the same alias, the later one is snake_cased.

    Names stay unique: a header whose name is already taken (Meta posts exports can carry two
    ``Views`` columns) gets ``_2``, ``_3``..., announced in ``warnings``; the first keeps the name.
    """
    out: list[str] = []
    used: set[str] = set()
    for h in headers:
        canon = aliases.get(_key(h))
        if canon is None or canon in used:
            canon = snake_case(h)
        if canon in used:
            n = 2
            while f"{canon}_{n}" in used:
                n += 1
            if warnings is not None:
                first = headers[out.index(canon)] if canon in out else canon
                warnings.append(
                    f"The file has more than one column headed like {h.strip()!r}; the first "
                    f"({first.strip()!r}) was read as {canon!r} and this one as '{canon}_{n}'."
                )
            canon = f"{canon}_{n}"
        used.add(canon)
        out.append(canon)
    return out


def _column(recs: Sequence[_Rec], i: int) -> list[str]:
    return [r.fields[i] for r in recs]


def _finish(
    doc: _Doc,
    kind: str,
    table: pd.DataFrame,
    lines: Sequence[int | None],
    *,
    start: dt.date | None,
    end: dt.date | None,
    totals: dict | None = None,
    warnings: Sequence[str] = (),
    meta: dict | None = None,
    columns: dict[str, str] | None = None,
    family: str = "",
) -> Export:
    meta = dict(meta or {})
    table = table.reset_index(drop=True)
    meta.setdefault("columns", columns or {c: c for c in table.columns})
    meta.setdefault(
        "units",
        {c: u for c in table.columns if (u := _unit(c, table[c].dtype, family)) is not None},
    )
    meta["encoding"] = doc.encoding
    meta["_line"] = tuple(lines)
    all_warnings = tuple(dict.fromkeys([*doc.warnings, *warnings]))
    return Export(
        path=doc.path,
        kind=kind,
        start=start,
        end=end,
        table=table,
        totals=totals,
        warnings=all_warnings,
        meta=meta,
    )


def _period(series: pd.Series) -> tuple[dt.date | None, dt.date | None]:
    s = series.dropna()
    if s.empty:
        return None, None
    return s.min().date(), s.max().date()


def _scalar(v: Any) -> Any:
    """Convert a pandas/numpy scalar to a plain Python value for a totals dict."""
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, float) and np.isnan(v):
        return None
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.floating):
        return None if np.isnan(v) else float(v)
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime()
    return v


# --------------------------------------------------------------------------------------------
# Detection
# --------------------------------------------------------------------------------------------


def _header_and_rows(doc: _Doc) -> tuple[int, list[str], list[_Rec], list[str]]:
    """The opening every CSV parser shares: the header (first non-blank record) and the rows after it.

    Rows are checked against the header's width (:func:`_data_rows`); the last line may lack its
    line ending only when it is the end of the file.

    Returns
    -------
    tuple
        ``(index of the header record, header names, data rows, warnings so far)``.
    """
    i0 = _first_content(doc.records)
    assert i0 is not None  # detection only passes a file with a header on to a parser
    warnings: list[str] = []
    last_eof = bool(doc.text) and not doc.text.endswith(("\n", "\r"))
    names, rows = _data_rows(
        doc.records[i0], doc.records[i0 + 1 :], doc.path, warnings, last_line_is_eof=last_eof
    )
    return i0, names, rows, warnings


def _first_content(records: Sequence[_Rec]) -> int | None:
    for i, r in enumerate(records):
        if not r.blank:
            return i
    return None


def _looks_numeric(vals: Sequence[str]) -> bool:
    return all(v.strip() == "" or re.fullmatch(r"-?\d+(\.\d+)?([eE][-+]?\d+)?", v.strip()) for v in vals)
