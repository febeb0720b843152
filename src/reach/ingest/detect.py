"""Recognising what a file is from its content: export kind, spreadsheet copies, foreign exports.

openpyxl is imported only when a file is an Excel workbook.
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
import re
import zipfile
from pathlib import Path

from reach.errors import InputValidationError, ReachError, UnrecognisedExportError
from reach.ingest.archive import _primary_member, _zip_members, check_workbook_sizes
from reach.ingest.bigquery import sniff_bigquery
from reach.ingest.columns import _GA4_DIMENSIONS, _GA4_METRICS, _YOUTUBE, _YT_METRIC_KEYS, _YT_ONLY_KEYS
from reach.ingest.export import KIND_LABELS, _key
from reach.ingest.ga4 import _NUMBER_RE, _ga4_blocks, _ga4_split
from reach.ingest.records import _decode, _describe_text, _Doc, _first_content, _Rec, _records


def _is_zip(data: bytes) -> bool:
    return data[:4] in (b"PK\x03\x04", b"PK\x05\x06")


def _is_bigquery(data: bytes) -> bool:
    """GA4 BigQuery events as NDJSON (maybe gzip) or Parquet; only the first bytes are looked at."""
    head = data[: 1 << 20]
    if head.lstrip()[:1] != b"{" and not head.startswith((b"\x1f\x8b", b"PAR1", codecs.BOM_UTF8)):
        return False

    return sniff_bigquery(data if data.startswith(b"PAR1") else head) is not None


def _is_bigquery_file(path: Path) -> bool:
    """:func:`_is_bigquery` for a file on disk, reading its first megabyte only (unreadable: False)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(1 << 20)
    except OSError:
        return False
    if head.lstrip()[:1] != b"{" and not head.startswith((b"\x1f\x8b", b"PAR1", codecs.BOM_UTF8)):
        return False

    return sniff_bigquery(head, path) is not None


def _is_xlsx(data: bytes) -> bool:
    if not _is_zip(data):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    return "xl/workbook.xml" in names


def _detect_doc(doc: _Doc) -> str:
    """Decide the kind of a decoded document (see :func:`detect_kind`)."""
    recs = doc.records
    i0 = _first_content(recs)
    if i0 is None:
        raise UnrecognisedExportError(f"{_describe_text(doc)}; download the export again", path=doc.path)
    first = recs[i0]
    first_text = ",".join(first.fields).strip()
    if re.fullmatch(r'"?sep=.?"?', first_text, flags=re.I) or first_text.lower().startswith("sep="):
        return "meta_daily"
    if first.comment:
        return _detect_commented(doc, i0)
    keys = [_key(f) for f in first.fields]
    keyset = set(keys)
    name = doc.name.lower()
    nxt = next((r for r in recs[i0 + 1 :] if not r.blank), None)
    nxt_first = nxt.fields[0].strip() if nxt and nxt.fields else ""
    if keys[0] == "content":
        return "youtube_table"
    if keys[0] == "date":
        kind = _detect_date_first(doc, first, keys, keyset, name, nxt, nxt_first)
        if kind is not None:
            return kind
    return _detect_by_header(doc, first, keys, keyset, nxt_first)


def _detect_commented(doc: _Doc, i0: int) -> str:
    """The kind of a file whose first content line is a ``#`` comment (a GA4 report or snapshot)."""
    recs = doc.records
    comments = []
    for r in recs[i0:]:
        if r.blank:
            continue
        if not r.comment:
            break
        comments.append(r.comment_text)
    if any(re.match(r"start date\s*:", c, re.I) for c in comments):
        tables, _ = _ga4_split(_ga4_blocks(recs, doc.path))
        heads = {tuple(_key(str(f)) for f in t.header.fields if str(f).strip()) for t in tables}
        if (
            len(tables) > 1
            and len(heads) == 1
            and _key(tables[0].header.fields[0]) not in ("nth day", "nth week", "nth month")
            and not any(_key(c) == "reports snapshot" for c in comments[:3])
        ):
            return "ga4_report"  # one detail report written once per compared period or segment
        if len(tables) > 1 or (
            tables and _key(tables[0].header.fields[0]) in ("nth day", "nth week", "nth month")
        ):
            return "ga4_snapshot"
        if any(_key(c) == "reports snapshot" for c in comments[:3]):
            return "ga4_snapshot"
        return "ga4_report"
    if any(re.fullmatch(r"\d{8}\s*-\s*\d{8}", c) for c in comments):
        raise UnrecognisedExportError(
            "a Universal Analytics export (retired 2023; locale-formatted numbers and a date range on "
            "one '# YYYYMMDD-YYYYMMDD' line) - export the same report from GA4 instead",
            path=doc.path,
        )
    raise UnrecognisedExportError(
        "the file starts with '#' comment lines but has no GA4 '# Start date:' line, so it is not a GA4 "
        "report export; download it again from GA4 Reports (Share > Download file > CSV)",
        path=doc.path,
    )


def _detect_date_first(
    doc: _Doc,
    first: _Rec,
    keys: list[str],
    keyset: set[str],
    name: str,
    nxt: _Rec | None,
    nxt_first: str,
) -> str | None:
    """The kind of a file whose header starts with ``Date``, or None when the header does not decide."""
    if len(keys) > 1 and keys[1] == "content":
        return "youtube_chart"
    if keys[1:] == ["primary"] or keys[1:2] == ["primary"]:
        return "meta_daily"
    if nxt_first == "Total":
        return "youtube_table"
    if len(keys) == 2:
        if "table data" in name:
            return "youtube_table"
        return "youtube_totals"
    if len(keys) > 2 and keyset & _YT_METRIC_KEYS:
        grouping = nxt.fields[1].strip() if nxt and len(nxt.fields) > 1 else ""
        if (
            keys[1] not in _YOUTUBE
            and keys[1] not in _GA4_DIMENSIONS
            and grouping
            and not _NUMBER_RE.fullmatch(grouping)
        ):
            raise UnrecognisedExportError(
                f"a YouTube Studio Chart data export split by {first.fields[1].strip()!r} (a date and a "
                f"{first.fields[1].strip()!r} value on every line); reach reads Chart data split by "
                "Content (videos) only - in YouTube Studio's advanced mode choose the Content tab and "
                "export again",
                path=doc.path,
            )
        return "youtube_table"
    return None


def _detect_by_header(doc: _Doc, first: _Rec, keys: list[str], keyset: set[str], nxt_first: str) -> str:
    """The kind of a file from the column names of its header line (Meta, Forms, feedback, GA4...)."""
    if nxt_first == "Total" and keyset & _YT_ONLY_KEYS:
        raise UnrecognisedExportError(
            f"a YouTube Studio Table data export grouped by {first.fields[0].strip()!r}; reach reads Table "
            "data grouped by Content (videos) or by Date - in YouTube Studio's advanced mode choose the "
            "Content or Date tab and export again",
            path=doc.path,
        )
    if "post id" in keyset and ({"publish time", "permalink"} & keyset):
        return "meta_posts"
    if (
        keys[0] in ("campaign name", "ad set name", "ad name")
        or {"reporting starts", "reporting ends"} <= keyset
    ):
        return "meta_ads"
    if keys[0] == "id" and {"start time", "completion time"} <= keyset:
        return "forms_microsoft"
    if keys[0] == "timestamp":
        return "forms_google"
    if keys[0] == "creation date" and "path or service name" in keyset:
        return "feedback_feedex"
    if {"submitted", "page url", "was this page helpful?"} <= keyset:
        return "feedback_page"
    if {"month", "indicator", "area_code", "numerator", "denominator"} <= keyset:
        return "partner_indicators"
    if {"month", "district", "families_asked", "recalled_any"} <= {k.replace(" ", "_") for k in keyset}:
        return "hv_recall"
    if (
        keys[0] in _GA4_DIMENSIONS
        and keys[0] != "date"
        and len(keys) > 1
        and keys[1:]
        and any(k in _GA4_METRICS for k in keys[1:])
    ):
        return "ga4_report"
    if {"publicerings-id", "sid-id"} & keyset or any(k.endswith("-id") and "post" not in k for k in keys[:2]):
        raise UnrecognisedExportError(
            "looks like a Meta Business Suite export in another language (its first columns are ids "
            "but no header reads 'Post ID'); switch Business Suite to English and download it again",
            path=doc.path,
        )
    raise UnrecognisedExportError(_describe_text(doc), path=doc.path)


def _prepare(data: bytes, path: Path, name: str) -> _Doc:
    text, encoding, warnings = _decode(data, path)
    if text.startswith("\ufeff"):  # a second byte-order mark, e.g. from a re-encoded file
        text = text[1:]
    records = _records(text, path)
    doc = _Doc(path, name, len(data), encoding, text, records, warnings)
    i0 = _first_content(records)
    if i0 is not None:
        first = records[i0]
        joined = ",".join(first.fields).strip().strip('"')
        m = re.fullmatch(r"sep=(.)", joined, flags=re.I)
        if m and m[1] != ",":
            doc.delimiter = m[1]
            doc.records = _records(text, path, m[1])
        elif not m:
            # The header decides (a GA4 file's '#' preamble comes before it).
            head = next((r for r in records[i0:] if not r.blank and not r.comment), None)
            for delim in (";", "\t") if head is not None and len(head.fields) == 1 else ():
                if head.fields[0].count(delim) >= 1:
                    doc.delimiter = delim
                    doc.records = _records(text, path, delim)
                    doc.warnings.append(
                        f"The file is separated by {delim!r} instead of commas (a spreadsheet re-save in a "
                        "non-English locale); it was read with that separator."
                    )
                    break
    _unwrap_excel_text(doc)
    return doc


_EXCEL_TEXT = re.compile(r'="(.*)"', re.DOTALL)


def _unwrap_excel_text(doc: _Doc) -> None:
    """Read Excel's text formulas (``="00123"``, written to keep text as text) as the text inside, announced.

    A spreadsheet or a tool preparing a file for one writes ``="…"`` so that an id or a code is
    not turned into a number; no export writes it, and read as written the value would match no
    page, video or district.
    """
    if '="' not in doc.text:
        return
    count, first = 0, None
    for index, rec in enumerate(doc.records):
        fields = list(rec.fields)
        for i, value in enumerate(fields):
            match = _EXCEL_TEXT.fullmatch(value) if type(value) is str else None
            if match is not None:
                fields[i] = match[1].replace('""', '"')
                count += 1
                first = rec.line if first is None else first
        if fields != rec.fields:
            doc.records[index] = rec._replace(fields=fields)
    if count:
        doc.warnings.append(
            f'{count} value{"s were" if count != 1 else " was"} written as an Excel text formula (="…", first '
            f"on line {first}), as a spreadsheet writes to keep text as text; read as the text inside."
        )


def _xlsx_doc(data: bytes, path: Path, name: str) -> _Doc:
    """Read the first worksheet of an .xlsx workbook into records (cells keep their Python types)."""
    try:
        import openpyxl  # noqa: PLC0415 - only needed for .xlsx

        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many exception types for damaged files
        raise InputValidationError(  # the exception's type only: its text may quote the workbook
            f"the Excel workbook cannot be opened ({type(err).__name__}); save it again from Excel "
            "or download the responses again",
            path=path,
        ) from err
    try:
        ws = wb.worksheets[0]
        records: list[_Rec] = []
        for n, row in enumerate(ws.iter_rows(values_only=True), start=1):
            cells = list(row)
            while cells and (cells[-1] is None or (isinstance(cells[-1], str) and not cells[-1].strip())):
                cells.pop()
            records.append(_Rec(n, [c if c is not None else "" for c in cells]))  # type: ignore[misc]
    finally:
        wb.close()
    # header texts and any non-date cell as strings; datetimes stay native for the date parser
    norm: list[_Rec] = []
    for rec in records:
        fields = []
        for c in rec.fields:
            if isinstance(c, (dt.datetime, dt.date)):
                fields.append(c)
            elif isinstance(c, float) and c.is_integer():
                fields.append(str(int(c)))
            else:
                fields.append(str(c))
        norm.append(_Rec(rec.line, fields))
    width = max((len(r.fields) for r in norm), default=0)
    norm = [_Rec(r.line, r.fields + [""] * (width - len(r.fields))) for r in norm]
    return _Doc(path, name, len(data), "xlsx", "", norm, [], xlsx=True)


def _xlsx_kind(doc: _Doc) -> str:
    i0 = _first_content(doc.records)
    if i0 is None:
        raise UnrecognisedExportError("an Excel workbook whose first sheet is empty", path=doc.path)
    keys = [_key(str(f)) for f in doc.records[i0].fields]
    if keys and keys[0] == "id" and {"start time", "completion time"} <= set(keys):
        return "forms_microsoft"
    try:  # the workbook may hold a CSV export that was opened and saved in Excel
        inside: str | None = _detect_doc(
            _Doc(
                doc.path,
                doc.name,
                doc.size,
                "xlsx",
                "",
                [_Rec(r.line, [str(f) for f in r.fields]) for r in doc.records],
                [],
            )
        )
    except Exception:  # noqa: BLE001 - only a guess for the message; any failure means "not known"
        inside = None
    if inside is not None and inside in KIND_LABELS:
        raise UnrecognisedExportError(
            f"an Excel workbook (.xlsx) holding {KIND_LABELS[inside]} (by its first sheet), which is not a "
            "Microsoft Forms response workbook; reach reads that "
            "export only as the CSV it is downloaded as, because saving it in Excel changes dates, ids and "
            "long numbers - download it again as CSV",
            path=doc.path,
        )
    raise UnrecognisedExportError(
        "an Excel workbook (.xlsx) whose first sheet has no Microsoft Forms header (ID, Start time, "
        "Completion time), so it is not a Microsoft Forms response workbook; export other sources as CSV",
        path=doc.path,
    )


def detect_kind(data: bytes, name: str = "") -> str:
    """Recognise which export a file is, from its content.

    Parameters
    ----------
    data : bytes
        The whole file.
    name : str, optional
        The file name, used only to break ties (e.g. a two-column ``Date,Views`` file named
        ``Table data.csv``).

    Returns
    -------
    str
        One of :data:`KINDS`. For a zip archive (a YouTube Studio download), the kind of the member
        :func:`read_export` returns (``Table data.csv`` when present).

    Raises
    ------
    UnrecognisedExportError
        The file is empty, binary, or a text file of no known kind; the message says what it looks like.
    InputValidationError
        The file cannot be read at all (e.g. broken CSV quoting).
    """
    path = Path(name or "<bytes>")
    try:
        if _is_bigquery(data):
            return "ga4_bigquery"
        if _is_xlsx(data):
            check_workbook_sizes(data, path)
            return _xlsx_kind(_xlsx_doc(data, path, path.name))
        if _is_zip(data):
            members = _zip_members(data, path)
            if not members:
                raise UnrecognisedExportError("a zip archive with no files in it", path=path)
            primary = _primary_member([m for m, _ in members])
            mdata = dict(members)[primary]
            return detect_kind(mdata, primary)
        return _detect_doc(_prepare(data, path, path.name))
    except ReachError:
        raise
    except Exception as err:  # pragma: no cover - safety net: never leak a raw exception
        raise InputValidationError(f"could not read the file ({type(err).__name__})", path=path) from err
