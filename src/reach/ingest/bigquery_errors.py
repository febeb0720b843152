"""Finding the line that broke a GA4 BigQuery export, for a one-line error naming file and line.

DuckDB reads a whole export at once and reports problems by byte offset or not at all; these
helpers re-read the file line by line only after a failure, to name the first bad line and say
what was expected there.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from reach.errors import InputValidationError

REQUIRED_KEYS: tuple[str, ...] = ("event_date", "event_name", "user_pseudo_id")
"""Top-level keys every GA4 BigQuery event row has (and detection looks for)."""

_DATE_RE = re.compile(rb'"event_date"\s*:\s*"(\d{8})"')


def _lines(path: Path, gz: bool) -> Iterator[tuple[int, bytes]]:
    opener = gzip.open if gz else open
    with opener(path, "rb") as fh:
        yield from enumerate(fh, start=1)


def _shape_problem(obj: Any) -> str | None:
    """Why one decoded NDJSON row cannot be a GA4 BigQuery event (None when it can)."""
    if not isinstance(obj, dict):
        return f"a JSON {type(obj).__name__}, not an object"
    params = obj.get("event_params")
    if params is not None:
        if not isinstance(params, list):
            return "event_params is not a list"
        for p in params:
            if not isinstance(p, dict) or not isinstance(p.get("value", {}), (dict, type(None))):
                return "an event_params entry is not a {key, value} record"
    if not isinstance(obj.get("geo"), (dict, type(None))):
        return "geo is not a record"
    for key in REQUIRED_KEYS:
        if isinstance(obj.get(key), (dict, list)):
            return f"{key} is not a single value"
    return None


def _first_bad_line(path: Path, gz: bool, hint: int | None, bad: Any) -> int | None:
    """The first line ``bad(line bytes)`` flags: DuckDB's hint and its neighbour first, then a full scan.

    Error path only. DuckDB's line numbers are approximate (a row may be reported one line late,
    or from the start of its reading block), so the hint is checked and never trusted blindly.
    """
    try:
        if hint is not None:
            for n, raw in _lines(path, gz):
                if n > hint:
                    break
                if n >= hint - 1 and raw.strip() and bad(raw):
                    return n
        for n, raw in _lines(path, gz):
            if raw.strip() and bad(raw):
                return n
    except (OSError, EOFError, zlib.error):
        return None
    return None


def _not_json_object(raw: bytes) -> bool:
    try:
        return not isinstance(json.loads(raw), dict)
    except ValueError:
        return True


def _wrong_shape(raw: bytes) -> bool:
    try:
        return _shape_problem(json.loads(raw)) is not None
    except ValueError:
        return True


def _first_line_where(path: Path, gz: bool, bad: Any, skip: Any = None) -> tuple[int | None, Any]:
    """Scan NDJSON lines (error path only) for the first row ``bad(obj)`` flags; returns (line, value).

    ``skip(line bytes)`` may say cheaply that a line is fine, saving the JSON decoding.
    """
    try:
        for n, raw in _lines(path, gz):
            line = raw.strip()
            if not line or (skip is not None and skip(line)):
                continue
            try:
                obj = json.loads(line)
            except ValueError:
                return n, None
            hit = bad(obj) if isinstance(obj, dict) else None
            if hit is not None:
                return n, hit
    except (OSError, EOFError, zlib.error):
        pass
    return None, None


def _date_looks_fine(line: bytes) -> bool:
    m = _DATE_RE.search(line)
    return m is not None and _valid_date(m.group(1).decode())


def _valid_date(text: Any) -> bool:
    if not isinstance(text, str) or not re.fullmatch(r"\d{8}", text):
        return False
    try:
        dt.datetime.strptime(text, "%Y%m%d")
    except ValueError:
        return False
    return True


_LINE_RE = re.compile(r"\bline (\d+)")


def _duckdb_error(err: Exception, path: Path, fmt: str) -> InputValidationError:
    text = str(err).splitlines()[0] if str(err) else type(err).__name__
    text = re.sub(r"^[A-Za-z ]*Error: ", "", text)
    text = re.sub(r' in file "[^"]*"', "", text)
    text = text.replace(f": {path}", "").replace(str(path), "the file")
    m = _LINE_RE.search(text)
    if fmt == "parquet":
        return InputValidationError(
            f"the Parquet file cannot be read as a GA4 BigQuery export ({text}); export the events table again",
            path=path,
        )
    hint = int(m.group(1)) if m else None
    gz = fmt == "ndjson.gz"
    if gz and re.search(r"gzip|compress|inflate|zlib", text, re.I):
        return InputValidationError(
            f"the gzip file is damaged or truncated ({text}); download or export it again", path=path
        )
    if "Malformed JSON" in text or "unexpected" in text:
        what = "is not valid JSON"
        line = _first_bad_line(path, gz, hint, _not_json_object)
    else:
        what = "does not have the GA4 BigQuery event shape"
        line = _first_bad_line(path, gz, hint, _wrong_shape)
    text = re.sub(r",? ?(at byte \d+ )?in line \d+", "", text).strip(" .:")
    return InputValidationError(
        f"{'this' if line else 'a'} row {what} ({text}); a GA4 BigQuery export has one JSON event object "
        "per line - export the events table again as newline-delimited JSON",
        path=path,
        row=line,
    )
