"""Read a GA4 BigQuery ``events_*`` export and aggregate it with DuckDB (never event by event in pandas).

The GA4 BigQuery export (Google's published BigQuery export schema) has one nested row per event. It reaches the
analyst as newline-delimited JSON (what ``bq extract``/``EXPORT DATA`` write: INT64 values as
strings, explicit nulls, often gzip-compressed ``.json.gz``) or as Parquet. Page data lives in the
``event_params`` list, not in columns, so the file is un-nested here.

:func:`parse_bigquery` lets DuckDB read the file directly with an explicit column subset (only
``event_date``, ``event_name``, ``user_pseudo_id``, ``event_params[].key/value.string_value/
int_value`` and ``geo.city`` are decoded), keeps one compact row per event inside DuckDB, and
returns small tidy tables:

* page/day (the :class:`~reach.ingest.export.Export` ``table``): ``date``, ``page_path``, ``views``
  (``page_view`` events), ``users`` (exact distinct ``user_pseudo_id`` among page views),
  ``engagement_time_msec`` (sum of that parameter over all events on the page that day);
* ``meta["tables"]["city"]``: ``date``, ``city`` (``geo.city``; ``""`` and ``(not set)`` ->
  ``(not set)``), ``users`` (distinct, over all events);
* ``meta["tables"]["campaign"]``: ``date``, ``source``, ``medium``, ``campaign`` (the session's
  event parameters, missing -> ``(not set)``), ``sessions`` (distinct ``(user_pseudo_id,
  ga_session_id)``) and ``users`` among the events that carry any of the three parameters;
* month tables, counted over the whole calendar month (``month`` ``YYYY-MM``), never added up
  from days: ``meta["tables"]["page_month"]`` (``month``, ``page_path``, ``views``, ``users``,
  ``engagement_time_msec``), ``meta["tables"]["city_month"]`` (``month``, ``city``, ``users``)
  and ``meta["tables"]["user_pages"]`` (``month``, ``pages``: a tuple of page paths, ``users``:
  how many tracked users viewed exactly that set of pages in the month). Every user is in one
  set per month, so the distinct users of any group of pages (an asset's, or all asset pages
  together: :func:`reach.tidy.bigquery.web_users_from_page_sets`) are the sum over the sets that meet
  the group - exact, without the user ids leaving DuckDB.

How the tables feed the processed store (``web_users``, and ``web_daily``/``web_pages``/
``web_city`` only where no GA4 report export covers the same days) is described in
:mod:`reach.tidy`.

Speed: the file is scanned once, into a narrow DuckDB table of one row per event (the JSON
reader is given the column types, so nothing is inferred and only the fields above are decoded);
pages are mapped to small integer ids once per distinct ``page_location``, and the tables are
aggregated from two de-duplicated intermediate tables ((day, page, user) and (day, city, user)).
Decoding the nested ``event_params`` list (about six parameters an event) is most of the cost.

``event_date`` is the property's reporting-time-zone date (``YYYYMMDD``) and is used as is;
``event_timestamp`` (UTC microseconds) is not needed. Page paths are the path part of
``page_location``, normalised by :func:`reach.core.urls.normalise_path` (events without one get
``(not set)``). Events without a ``user_pseudo_id`` (consent-mode pings) count as views but not
as users, with a warning.

Every problem with the file (not JSON, required keys missing, a bad ``event_date``) raises
:class:`~reach.errors.InputValidationError` naming the file and, for NDJSON, the line.

DuckDB and pyarrow are imported inside the functions that read an export, so detecting other
kinds of file never pays for them.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import tempfile
import zlib
from pathlib import Path
from typing import Any

import pandas as pd

from reach.core.urls import normalise_path
from reach.errors import InputValidationError, ReachError
from reach.ingest.bigquery_errors import (
    REQUIRED_KEYS,
    _date_looks_fine,
    _duckdb_error,
    _first_line_where,
    _valid_date,
)
from reach.ingest.export import Export

KIND = "ga4_bigquery"


NOT_SET = "(not set)"


_GZIP = b"\x1f\x8b"


_PARQUET = b"PAR1"


_SNIFF_BYTES = 1 << 20  # a first NDJSON line longer than 1 MB is not a GA4 event


# Only these parts of each event are decoded; every other key and struct field is skipped.
_PARAMS_TYPE = "STRUCT(key VARCHAR, value STRUCT(string_value VARCHAR, int_value VARCHAR))[]"


_JSON_COLUMNS = (
    "{event_date: 'VARCHAR', event_name: 'VARCHAR', user_pseudo_id: 'VARCHAR', "
    f"event_params: '{_PARAMS_TYPE}', geo: 'STRUCT(city VARCHAR)'}}"
)


# DuckDB's buffer pool; beyond it the events table spills to a temporary folder (removed afterwards).
_MEMORY_LIMIT = "1GB"


# --------------------------------------------------------------------------------------------
# Sniffing (first bytes only)
# --------------------------------------------------------------------------------------------


def _first_json_line(head: bytes) -> dict | None:
    """Parse the first non-blank line of NDJSON text, if it is complete within ``head``."""
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    for raw in head.split(b"\n"):
        line = raw.strip()
        if not line:
            continue
        if not line.startswith(b"{"):
            return None
        try:
            obj = json.loads(line)
        except ValueError:
            return None
        return obj if isinstance(obj, dict) else None
    return None


def _parquet_columns(source: Any) -> list[str] | None:
    try:
        import pyarrow.parquet as pq  # noqa: PLC0415 - only needed for Parquet

        return list(pq.ParquetFile(source).schema_arrow.names)
    except Exception:  # noqa: BLE001 - not a readable Parquet file
        return None


def sniff_bigquery(head: bytes, path: str | Path | None = None) -> str | None:
    """Say whether the first bytes of a file are a GA4 BigQuery events export.

    Parameters
    ----------
    head : bytes
        The first bytes of the file (1 MB is plenty); for a gzip file, its compressed bytes.
        For Parquet the footer is needed too, so the whole ``data`` or a ``path`` must be given.
    path : str or pathlib.Path, optional
        The file, used to read a Parquet footer when ``head`` is not the whole file.

    Returns
    -------
    str or None
        ``"ndjson"``, ``"ndjson.gz"`` or ``"parquet"`` when the first row (or the Parquet schema)
        has ``event_date``, ``event_name`` and ``user_pseudo_id``; otherwise None.
    """
    if head.startswith(_PARQUET):
        cols = _parquet_columns(path if path is not None else io.BytesIO(head))
        return "parquet" if cols is not None and set(REQUIRED_KEYS) <= set(cols) else None
    fmt = "ndjson"
    if head.startswith(_GZIP):
        fmt = "ndjson.gz"
        head = _gunzip_prefix(head)
    first = _first_json_line(head)
    if first is not None and all(k in first for k in REQUIRED_KEYS):
        return fmt
    return None


def _gunzip_prefix(data: bytes) -> bytes:
    """Decompress the start of a gzip stream (a truncated head still gives its first lines)."""
    try:
        return zlib.decompressobj(wbits=31).decompress(data, _SNIFF_BYTES)
    except zlib.error:
        return b""


def _read_head(path: Path, n: int = _SNIFF_BYTES) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(n)


# --------------------------------------------------------------------------------------------
# Parsing
# --------------------------------------------------------------------------------------------


def _sql_str(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _connect(tmp: str) -> Any:
    import duckdb  # noqa: PLC0415 - heavy import, only needed here

    threads = max(1, min(os.cpu_count() or 1, 8))
    con = duckdb.connect(
        ":memory:",
        config={
            "threads": threads,
            "preserve_insertion_order": False,
            "memory_limit": _MEMORY_LIMIT,
            "temp_directory": tmp,
        },
    )
    con.execute("SET enable_progress_bar = false")
    return con


def _source_sql(con: Any, path: Path, fmt: str) -> str:
    """A SELECT list over the file giving one compact row per event."""
    if fmt == "parquet":
        described = con.execute(f"DESCRIBE SELECT * FROM read_parquet({_sql_str(str(path))})").fetchall()
        types = {row[0]: str(row[1]) for row in described}
        missing = [k for k in REQUIRED_KEYS if k not in types]
        if missing:
            raise InputValidationError(
                f"the Parquet file has no {', '.join(missing)} column(s), so it is not a GA4 BigQuery events "
                "export",
                path=path,
            )
        params = "event_params" if "event_params" in types else f"NULL::{_PARAMS_TYPE}"
        geo = types.get("geo", "")
        city = "geo.city" if re.search(r"\bcity\b", geo) else "NULL::VARCHAR"
        source = f"read_parquet({_sql_str(str(path))})"
        # event_date is a STRING in BigQuery; a copy re-typed as DATE is accepted too
        date_type = types["event_date"].upper()
        cast = (
            "strftime(event_date, '%Y%m%d')"
            if date_type in ("DATE", "TIMESTAMP")
            else "CAST(event_date AS VARCHAR)"
        )
        return (
            f"SELECT {cast} AS event_date, CAST(event_name AS VARCHAR) AS event_name, "
            f"CAST(user_pseudo_id AS VARCHAR) AS user_pseudo_id, {params} AS event_params, "
            f"CAST({city} AS VARCHAR) AS city FROM {source}"
        )
    compression = "gzip" if fmt == "ndjson.gz" else "none"
    source = (
        f"read_json({_sql_str(str(path))}, format = 'newline_delimited', records = true, "
        f"compression = '{compression}', columns = {_JSON_COLUMNS})"
    )
    return "SELECT event_date, event_name, user_pseudo_id, event_params, geo.city AS city FROM " + source


def _param(key: str, field: str) -> str:
    # the first parameter with that key (one pass builds the key list; list_position is native,
    # and a missing key gives a NULL position, so a NULL value)
    return f"event_params[list_position(keys, '{key}')].value.{field}"


def _events_sql(source: str) -> str:
    return "CREATE TEMP TABLE ev AS " + _events_select(source)


def _events_select(source: str) -> str:
    """One compact row per event (also timed alone by ``benchmarks/bigquery_ingest.py``)."""
    # event_date stays text here: its few distinct values are checked and converted after grouping.
    return f"""
SELECT
    event_date,
    event_name,
    user_pseudo_id AS uid,
    city,
    {_param("page_location", "string_value")} AS loc,
    TRY_CAST({_param("engagement_time_msec", "int_value")} AS BIGINT) AS eng,
    {_param("ga_session_id", "int_value")} AS sid,
    {_param("source", "string_value")} AS source,
    {_param("medium", "string_value")} AS medium,
    {_param("campaign", "string_value")} AS campaign
FROM (SELECT *, [p.key FOR p IN event_params] AS keys FROM ({source}))
"""


_COUNTS_SQL = """
SELECT event_date, event_name, count(*) AS n, count(uid) AS with_uid,
       count(*) FILTER (WHERE loc IS NULL OR loc = '') AS without_page
FROM ev
GROUP BY ALL
"""


# One row per (day, page, user) among page views and engaged events, pages as small integer ids
# (``page_map``): the page tables by day and by month and each user's set of pages come from it.
_PAGE_USERS_SQL = """
CREATE TEMP TABLE pu AS
SELECT e.event_date, m.pid, e.uid,
       count(*) FILTER (WHERE e.event_name = 'page_view') AS v,
       sum(e.eng) AS e
FROM ev e JOIN page_map m ON e.loc IS NOT DISTINCT FROM m.loc
WHERE e.event_name = 'page_view' OR e.eng IS NOT NULL
GROUP BY ALL
"""


# ``users`` is a plain count(uid) by day (``pu`` holds each (day, page, user) once), a
# distinct count over the month.
_PAGE_SQL = """
SELECT {period} AS {name}, pid,
       sum(v) AS views,
       {users} FILTER (WHERE v > 0) AS users,
       coalesce(sum(e), 0) AS engagement_time_msec
FROM pu
GROUP BY ALL
HAVING views > 0 OR engagement_time_msec > 0
"""


# Each tracked user's set of pages viewed in the month, and how many users share that set: the
# exact distinct count over any group of pages is the sum over the sets that meet the group
# (every user is in exactly one set per month).
# The set is a bit string over the page ids (bit i set: page i viewed), far cheaper to build and
# group than a list.
_USER_PAGES_SQL = """
SELECT month, pages::VARCHAR AS pages, count(*) AS users
FROM (
    SELECT left(event_date, 6) AS month, uid, bitstring_agg(pid, 0, {last}) AS pages
    FROM pu
    WHERE v > 0 AND uid IS NOT NULL
    GROUP BY ALL
)
GROUP BY ALL
"""


# Distinct (day, city, user): the daily and monthly city tables and the file's distinct users.
_CITY_USERS_SQL = f"""
CREATE TEMP TABLE cu AS
SELECT DISTINCT event_date,
       CASE WHEN city IS NULL OR trim(city) IN ('', '{NOT_SET}') THEN '{NOT_SET}' ELSE city END AS city,
       uid
FROM ev
"""


_CITY_SQL = """
SELECT event_date AS date, city, count(uid) AS users
FROM cu
GROUP BY ALL
ORDER BY date, city
"""


_CITY_MONTH_SQL = """
SELECT left(event_date, 6) AS month, city, count(DISTINCT uid) AS users
FROM cu
GROUP BY ALL
ORDER BY month, city
"""


# Sessions are distinct (user_pseudo_id, ga_session_id) pairs: de-duplicated first, then counted.
_CAMPAIGN_SQL = f"""
SELECT date, source, medium, campaign,
       count(uid) AS sessions,
       count(DISTINCT uid) AS users
FROM (
    SELECT DISTINCT event_date AS date,
           coalesce(nullif(source, ''), '{NOT_SET}') AS source,
           coalesce(nullif(medium, ''), '{NOT_SET}') AS medium,
           coalesce(nullif(campaign, ''), '{NOT_SET}') AS campaign,
           uid, sid
    FROM ev
    WHERE source IS NOT NULL OR medium IS NOT NULL OR campaign IS NOT NULL
)
GROUP BY ALL
ORDER BY date, source, medium, campaign
"""


def _typed(frame: pd.DataFrame, ints: tuple[str, ...], strs: tuple[str, ...]) -> pd.DataFrame:
    if "date" in frame.columns:
        frame["date"] = pd.to_datetime(frame["date"].astype("str"), format="%Y%m%d").astype("datetime64[ns]")
    if "month" in frame.columns:
        text = frame["month"].astype("str")
        frame["month"] = (text.str[:4] + "-" + text.str[4:6]).astype("str")
    for c in strs:
        frame[c] = frame[c].astype("str")
    for c in ints:
        frame[c] = frame[c].astype("Int64")
    return frame.reset_index(drop=True)


def _frame(con: Any, sql: str, ints: tuple[str, ...], strs: tuple[str, ...]) -> pd.DataFrame:
    return _typed(con.execute(sql).df(), ints, strs)


_PAGE_MEASURES = ("views", "users", "engagement_time_msec")


def _page_frame(con: Any, sql: str, paths: list[str], key: str) -> pd.DataFrame:
    """A page table from ``pu``: page ids replaced by their paths, sorted by ``key`` and path."""
    frame = con.execute(sql).df()
    frame.insert(1, "page_path", [paths[i] for i in frame.pop("pid")])
    frame = frame.sort_values([key, "page_path"], kind="stable")
    return _typed(frame, _PAGE_MEASURES, ("page_path",))


def _user_pages(con: Any, paths: list[str]) -> pd.DataFrame:
    rows = con.execute(_USER_PAGES_SQL.format(last=max(len(paths) - 1, 0))).fetchall()
    frame = pd.DataFrame(
        {
            "month": [r[0] for r in rows],
            "pages": [tuple(paths[i] for i, bit in enumerate(r[1]) if bit == "1") for r in rows],
            "users": [r[2] for r in rows],
        },
        columns=["month", "pages", "users"],
    )
    frame = frame.sort_values(["month", "pages"], kind="stable")
    frame["pages"] = frame["pages"].astype("object")
    return _typed(frame, ("users",), ())


def _page_map(con: Any) -> list[str]:
    """Map every distinct ``page_location`` to a page id (in Python, per distinct value).

    Creates the DuckDB table ``page_map (loc, pid)`` and returns the page paths by id; ids
    follow the paths' sort order, so a list of ids sorted by id is sorted by path too.
    """
    locs = con.execute(
        "SELECT loc, regexp_replace(loc, '[?#].*$', '') AS base FROM (SELECT DISTINCT loc FROM ev)"
    ).fetchall()
    cache: dict[str, str] = {}
    keys: list[str | None] = []
    found: list[str] = []
    for loc, base in locs:
        if base is None or not base.strip():
            path = NOT_SET
        else:
            path = cache.get(base)
            if path is None:
                path = cache[base] = normalise_path(base) or NOT_SET
        keys.append(loc)
        found.append(path)
    paths = sorted(set(found))
    pid = {path: i for i, path in enumerate(paths)}
    con.execute("CREATE TEMP TABLE page_map (loc VARCHAR, pid INTEGER)")
    if keys:
        import pyarrow as pa  # noqa: PLC0415

        mapping = pa.table(
            {"loc": pa.array(keys, pa.string()), "pid": pa.array([pid[p] for p in found], pa.int32())}
        )
        con.register("page_map_arrow", mapping)
        con.execute("INSERT INTO page_map SELECT * FROM page_map_arrow")
        con.unregister("page_map_arrow")
    return paths


def _check(con: Any, path: Path, fmt: str) -> dict[str, Any]:
    """Counts and checks over the loaded events; raises for a file that is not a usable export."""
    counts = con.execute(_COUNTS_SQL).fetchall()
    dates: dict[Any, int] = {}
    by_name: dict[Any, list[int]] = {}
    for date, name, n_rows, with_uid, without_page in counts:
        dates[date] = dates.get(date, 0) + n_rows
        acc = by_name.setdefault(name, [0, 0, 0])
        acc[0] += n_rows
        acc[1] += with_uid
        acc[2] += without_page
    names = sorted(((k, *v) for k, v in by_name.items()), key=lambda r: (r[0] is None, str(r[0])))
    n = sum(dates.values())
    if n == 0:
        raise InputValidationError("the file holds no events; export the GA4 events table again", path=path)
    has = {
        "event_date": n - dates.get(None, 0),
        "event_name": sum(r[1] for r in names if r[0] is not None),
        "user_pseudo_id": sum(r[2] for r in names),
    }
    absent = [k for k in REQUIRED_KEYS if has[k] == 0]
    if absent:
        raise InputValidationError(
            f"no row has {', '.join(absent)}, so this is not a GA4 BigQuery events export (rows need "
            f"{', '.join(REQUIRED_KEYS)})",
            path=path,
        )
    ndjson = fmt != "parquet"
    gz = fmt == "ndjson.gz"
    bad = sorted((d for d in dates if not _valid_date(d)), key=lambda d: (d is not None, str(d)))
    if bad:
        value = bad[-1] if bad[-1] is not None else None
        line = None
        if ndjson:  # error path: find the line
            line, found = _first_line_where(
                path,
                gz,
                lambda o: o.get("event_date", "(missing)") if not _valid_date(o.get("event_date")) else None,
                skip=_date_looks_fine,
            )
            value = found if found is not None else value
        raise InputValidationError(
            "expected event_date as YYYYMMDD (the property's reporting date, e.g. 20261005)",
            path=path,
            row=line,
            column="event_date",
            value="(missing)" if value is None else value,
        )
    if has["event_name"] < n:
        line = None
        if ndjson:
            line, _ = _first_line_where(path, gz, lambda o: True if not o.get("event_name") else None)
        raise InputValidationError(
            "expected an event_name on every row (e.g. page_view)", path=path, row=line, column="event_name"
        )
    valid = sorted(dates)
    return {
        "events": n,
        "has_uid": has["user_pseudo_id"],
        "start": dt.datetime.strptime(valid[0], "%Y%m%d").date(),
        "end": dt.datetime.strptime(valid[-1], "%Y%m%d").date(),
        "by_name": {str(r[0]): int(r[1]) for r in names},
        "page_views": sum(int(r[1]) for r in names if r[0] == "page_view"),
        "views_no_page": sum(int(r[3]) for r in names if r[0] == "page_view"),
    }


def _materialise(con: Any, path: Path, fmt: str) -> None:
    """Load one compact row per event into the DuckDB table ``ev``."""
    import duckdb  # noqa: PLC0415

    try:
        source = _source_sql(con, path, fmt)
        con.execute(_events_sql(source))
    except ReachError:
        raise
    except duckdb.Error as err:
        raise _duckdb_error(err, path, fmt) from err


def parse_bigquery(path: str | Path, data: bytes | None = None) -> Any:
    """Read a GA4 BigQuery events export and aggregate it to page/day, city/day and campaign/day tables.

    Parameters
    ----------
    path : str or pathlib.Path
        A newline-delimited JSON file (optionally gzip-compressed, ``.json.gz``) or a Parquet file
        of GA4 ``events_*`` rows. The format is told from the content, not the name.
    data : bytes, optional
        The file's bytes, when they are already in memory (as in :func:`reach.ingest.read.parse_export`);
        they are spilled to a temporary file for DuckDB and ``path`` is only used in messages.

    Returns
    -------
    reach.ingest.export.Export
        ``kind`` ``"ga4_bigquery"``; ``start``/``end`` the first and last ``event_date``; ``table``
        the page/day table (``date``, ``page_path``, ``views``, ``users``, ``engagement_time_msec``);
        ``meta["tables"]`` ``{"city", "campaign", "page_month", "city_month", "user_pages"}``
        (frames, see the module notes); ``meta["events"]`` the number of
        events read; ``meta["distinct_users"]`` the exact number of distinct ``user_pseudo_id``
        over the whole file; ``meta["format"]`` ``"ndjson"``, ``"ndjson.gz"`` or ``"parquet"``;
        ``meta["events_by_name"]``, ``meta["dimensions"]`` and ``meta["columns"]``.

    Raises
    ------
    InputValidationError
        The file is missing or unreadable, is not JSON/Parquet, lacks ``event_date``/``event_name``/
        ``user_pseudo_id``, or has an ``event_date`` that is not ``YYYYMMDD``; the message names
        the file and, for NDJSON, the line.
    """
    p = Path(path)
    with tempfile.TemporaryDirectory(prefix="reach-bq-") as tmp:
        if data is not None:
            src = Path(tmp) / "events.bin"  # the format is told from the content
            src.write_bytes(data)
            head = data[:_SNIFF_BYTES]
        else:
            src = p
            try:
                head = _read_head(p)
            except FileNotFoundError as err:
                raise InputValidationError("file not found", path=p) from err
            except IsADirectoryError as err:
                raise InputValidationError("this is a folder, not a file", path=p) from err
            except OSError as err:
                raise InputValidationError(f"cannot read the file ({err.strerror or err})", path=p) from err
        if not head:
            raise InputValidationError("empty file (0 bytes); export the GA4 events table again", path=p)
        if head.startswith(_PARQUET):
            fmt = "parquet"
        elif head.startswith(_GZIP):
            fmt = "ndjson.gz"
        else:
            fmt = "ndjson"
        try:
            return _parse(src, p, fmt, tmp, Export)
        except ReachError:
            raise
        except Exception as err:  # safety net: never leak a raw exception
            raise InputValidationError(
                f"could not read the GA4 BigQuery export ({type(err).__name__}: {err})", path=p
            ) from err


def _parse(src: Path, shown: Path, fmt: str, tmp: str, export_cls: Any) -> Any:
    """Load, check and aggregate the events with DuckDB and build the Export (``shown`` names the file)."""
    import duckdb  # noqa: PLC0415

    spill = Path(tmp) / "duckdb"
    con = _connect(str(spill))
    try:
        totals = _load_checked(con, src, shown, fmt)
        pages, tables = _aggregate(con, totals)
    except duckdb.Error as err:
        raise InputValidationError(
            f"could not aggregate the GA4 BigQuery export ({str(err).splitlines()[0]})", path=shown
        ) from err
    finally:
        con.close()
    n = int(totals["events"])
    warnings = _bigquery_warnings(totals, n)
    meta = _bigquery_meta(fmt, n, totals, tables)
    return export_cls(
        shown,
        KIND,
        totals["start"],
        totals["end"],
        pages,
        None,
        tuple(warnings),
        meta,
    )


def _load_checked(con: Any, src: Path, shown: Path, fmt: str) -> dict[str, Any]:
    """Load the events into ``ev`` and check them; errors name the file as ``shown``."""
    try:
        _materialise(con, src, fmt)
    except InputValidationError as err:
        raise InputValidationError(
            err.reason, path=shown, row=err.row, column=err.column, value=err.value
        ) from err
    try:
        return _check(con, src, fmt)
    except InputValidationError as err:
        raise InputValidationError(
            err.reason, path=shown, row=err.row, column=err.column, value=err.value
        ) from err


def _aggregate(con: Any, totals: dict[str, Any]) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    """The page/day table and the other tables; adds ``distinct_users`` to ``totals``."""
    paths = _page_map(con)
    con.execute(_PAGE_USERS_SQL)
    daily_sql = _PAGE_SQL.format(period="event_date", name="date", users="count(uid)")
    month_sql = _PAGE_SQL.format(period="left(event_date, 6)", name="month", users="count(DISTINCT uid)")
    pages = _page_frame(con, daily_sql, paths, "date")
    page_month = _page_frame(con, month_sql, paths, "month")
    user_pages = _user_pages(con, paths)
    con.execute(_CITY_USERS_SQL)
    cities = _frame(con, _CITY_SQL, ("users",), ("city",))
    city_month = _frame(con, _CITY_MONTH_SQL, ("users",), ("month", "city"))
    totals["distinct_users"] = int(con.execute("SELECT count(DISTINCT uid) FROM cu").fetchone()[0])
    campaigns = _frame(con, _CAMPAIGN_SQL, ("sessions", "users"), ("source", "medium", "campaign"))
    tables = {
        "city": cities,
        "campaign": campaigns,
        "page_month": page_month,
        "city_month": city_month,
        "user_pages": user_pages,
    }
    return pages, tables


def _bigquery_warnings(totals: dict[str, Any], n: int) -> list[str]:
    """Warnings for events without a user id and page views without a page."""
    warnings: list[str] = []
    if totals["has_uid"] < n:
        missing = n - int(totals["has_uid"])
        warnings.append(
            f"{missing:,} of {n:,} events have no user_pseudo_id (consent-mode pings); they count as views "
            "but not as users."
        )
    if totals["views_no_page"]:
        warnings.append(
            f"{int(totals['views_no_page']):,} page_view events have no page_location; they are counted "
            f"under page path {NOT_SET!r}."
        )
    return warnings


def _bigquery_meta(
    fmt: str, n: int, totals: dict[str, Any], tables: dict[str, pd.DataFrame]
) -> dict[str, Any]:
    """The Export's meta: format, event totals, the other tables and the column provenance."""
    return {
        "format": fmt,
        "events": n,
        "distinct_users": int(totals["distinct_users"]),
        "page_views": int(totals["page_views"]),
        "events_by_name": totals["by_name"],
        "tables": tables,
        "dimensions": ["date", "page_path"],
        "columns": {
            "date": "event_date",
            "page_path": "page_location",
            "views": "page_view events",
            "users": "user_pseudo_id",
            "engagement_time_msec": "engagement_time_msec",
        },
        "units": {"engagement_time_msec": "milliseconds"},
    }
