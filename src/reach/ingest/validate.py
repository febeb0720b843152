"""Validate parsed exports against per-kind pandera schemas (stage 2 of the pipeline).

:func:`validate_export` checks an :class:`~reach.ingest.export.Export`'s table: column types, required
columns, non-negative counts (net ``subscribers``, and YouTube's net likes, dislikes and hypes,
may be negative), GA4 rates within 0-1, YouTube/Meta percentages >= 0, dates inside the export's
period when the file states one, and unique keys (e.g. ``(date, page_path)`` in a GA4 daily
report). Validation is lazy: every problem is collected, and the error names the **first** one
by file, physical line, column (header text as written in the file), value and the expectation,
followed by the count of the others.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa

from reach.errors import InputValidationError
from reach.ingest.export import Export

REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "ga4_report": (),
    "ga4_snapshot": (),
    "youtube_table": (),
    "youtube_chart": ("date", "video_id"),
    "youtube_totals": ("date",),
    "meta_posts": ("post_id", "publish_time"),
    "meta_daily": ("date", "value"),
    "meta_ads": (),
    "forms_microsoft": ("completed_at",),
    "forms_google": ("completed_at",),
    "feedback_feedex": ("created_at", "path", "feedback"),
    "feedback_page": ("submitted_at", "page_path", "helpful"),
    "partner_indicators": ("month", "indicator", "area_code", "numerator", "denominator"),
    "hv_recall": ("month", "district_code"),
}
"""Columns every table of a kind must have (more are added from ``meta``, e.g. a chart's metric)."""


UNIQUE_KEYS: dict[str, tuple[str, ...]] = {
    "youtube_chart": ("date", "video_id"),
    "youtube_totals": ("date",),
    "meta_posts": ("post_id",),
    "meta_daily": ("date",),
    "partner_indicators": ("month", "indicator", "area_code"),
    "hv_recall": ("month", "district_code"),
}
"""Key columns that must be unique per kind (GA4 uses its dimensions; YouTube Table its grouping)."""


# Dtypes expected for well-known canonical columns, whatever the kind.
_DTYPES: dict[str, str] = {
    "date": "datetime64[ns]",
    "published": "datetime64[ns]",
    "publish_time": "datetime64[ns]",
    "completed_at": "datetime64[ns]",
    "started_at": "datetime64[ns]",
    "created_at": "datetime64[ns]",
    "submitted_at": "datetime64[ns]",
    "month": "datetime64[ns]",
    "video_id": "str",
    "post_id": "str",
    "page_id": "str",
    "page_path": "str",
    "id_damaged": "bool",
    "helpful": "boolean",
    "views": "Int64",
    "active_users": "Int64",
    "total_users": "Int64",
    "new_users": "Int64",
    "returning_users": "Int64",
    "sessions": "Int64",
    "engaged_sessions": "Int64",
    "event_count": "Int64",
    "key_events": "Int64",
    "subscribers": "Int64",
    "impressions": "Int64",
    "unique_viewers": "Int64",
    "engaged_views": "Int64",
    "reach": "Int64",
    "engagement_rate": "float64",
    "bounce_rate": "float64",
    "session_key_event_rate": "float64",
    "watch_time_hours": "float64",
    "impressions_ctr_pct": "float64",
    "avg_pct_viewed": "float64",
    "avg_view_duration_s": "float64",
}


_MAY_BE_NEGATIVE = frozenset({"subscribers"})


# YouTube Studio reports these as net changes over the period: a video whose removed likes or
# hypes outnumber the new ones shows e.g. Likes -27, Dislikes -8, Hypes -1, Hype points -350.
_YOUTUBE_NET = frozenset({"likes", "dislikes", "hypes", "hype_points"})


_PERIOD_COLUMNS: dict[str, str] = {
    "ga4_report": "date",
    "ga4_snapshot": "date",
    "youtube_table": "date",
    "youtube_chart": "date",
    "youtube_totals": "date",
    "meta_daily": "date",
    "partner_indicators": "month",
    "hv_recall": "month",
}


_GSS = r"^[EWSN]\d{8}$"


# Areas a partner indicator may be reported for : Norfolk, its seven
# districts, and the region and country used as comparators. Any other well-formed code is a typo.
KNOWN_AREAS: dict[str, str] = {
    "E10000020": "Norfolk",
    "E07000143": "Breckland",
    "E07000144": "Broadland",
    "E07000145": "Great Yarmouth",
    "E07000146": "King's Lynn and West Norfolk",
    "E07000147": "North Norfolk",
    "E07000148": "Norwich",
    "E07000149": "South Norfolk",
    "E12000006": "East of England",
    "E92000001": "England",
}


# Header text to name a required column that is missing from the file.
_HEADER_TEXT: dict[str, str] = {"views": "Views"}


def _non_negative() -> pa.Check:
    return pa.Check(lambda s: s >= 0, error="non_negative")


def _fraction() -> pa.Check:
    return pa.Check(lambda s: (s >= 0) & (s <= 1), error="fraction")


def _within(start: dt.date, end: dt.date) -> pa.Check:
    lo, hi = pd.Timestamp(start), pd.Timestamp(end) + pd.Timedelta(days=1)
    return pa.Check(lambda s: (s >= lo) & (s < hi), error="within_period")


def _unique(keys: Sequence[str], exempt: str | None) -> pa.Check:
    keys = list(keys)

    def check(df: pd.DataFrame) -> pd.Series:
        ok = ~df.duplicated(keys, keep=False)
        if exempt is not None and exempt in df.columns:
            ok = ok | df[exempt].astype(bool)
        return ok

    return pa.Check(check, error="unique_key")


def _key_columns(kind: str, frame: pd.DataFrame, meta: dict) -> list[str]:
    if kind in ("ga4_report", "ga4_snapshot"):
        dims = [d for d in meta.get("dimensions", []) if d in frame.columns and d != "cohort"]
        return dims
    if kind == "youtube_table":
        return ["date"] if meta.get("grouped_by") == "date" else ["video_id"]
    return [k for k in UNIQUE_KEYS.get(kind, ()) if k in frame.columns]


def schema_for(
    kind: str,
    frame: pd.DataFrame,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    meta: dict | None = None,
) -> pa.DataFrameSchema:
    """Build the pandera schema for one table of an export.

    Parameters
    ----------
    kind : str
        The export kind (see :data:`reach.ingest.export.KINDS`).
    frame : pandas.DataFrame
        The table; its columns decide which optional rules apply (exports have variable columns).
    start, end : datetime.date, optional
        The period the file states; dates must fall inside it.
    meta : dict, optional
        The export's ``meta`` (dimensions, metric, grouping).

    Returns
    -------
    pandera.pandas.DataFrameSchema
    """
    meta = meta or {}
    ga4 = kind.startswith("ga4")
    required = list(REQUIRED_COLUMNS.get(kind, ()))
    if kind in ("youtube_chart", "youtube_totals") and meta.get("metric"):
        required.append(meta["metric"])
    if kind == "youtube_table":
        required.append("date" if meta.get("grouped_by") == "date" else "video_id")
    if kind == "meta_ads" and meta.get("name_column"):
        required.append(meta["name_column"])
    if kind == "ga4_report" and "page_path" in meta.get("dimensions", []):
        required.append("views")  # a Pages report without Views would leave web_pages silently empty
    columns: dict[str, pa.Column] = {}
    keys = _key_columns(kind, frame, meta)
    for name in dict.fromkeys([*required, *frame.columns]):
        series = frame[name] if name in frame.columns else None
        dtype: Any = _DTYPES.get(name)
        if ga4 and name in meta.get("dimensions", []) and name not in ("date", "nth_week", "nth_month"):
            dtype = "str"
        checks: list[pa.Check] = []
        numeric = (
            series is not None
            and pd.api.types.is_numeric_dtype(series)
            and not pd.api.types.is_bool_dtype(series)
        )
        if dtype in ("Int64", "float64") or numeric:
            if ga4 and name.endswith("_rate"):
                checks.append(_fraction())
            elif (
                name not in _MAY_BE_NEGATIVE
                and not (kind.startswith("youtube") and name in _YOUTUBE_NET)
                and not (kind == "meta_daily" and "net" in str(meta.get("metric") or ""))
            ):
                checks.append(_non_negative())
        if name == _PERIOD_COLUMNS.get(kind) and start is not None and end is not None:
            checks.append(_within(start, end))
        if kind == "partner_indicators" and name == "area_code":
            checks.append(pa.Check.str_matches(_GSS, error="gss_code"))
            checks.append(
                pa.Check(lambda s: ~s.str.match(_GSS) | s.isin(list(KNOWN_AREAS)), error="known_area")
            )
        # A Chart data or Totals metric is blank where YouTube had no figure (days before it tracked
        # the metric): missing, announced by the parser, not an error.
        blank_allowed = kind in ("youtube_chart", "youtube_totals") and name == meta.get("metric")
        nullable = name not in keys and (name not in required or blank_allowed)
        if kind == "youtube_table" and name == "video_id":
            nullable = False
        columns[name] = pa.Column(dtype, checks=checks, nullable=nullable, required=name in required)
    frame_checks = [_unique(keys, "id_damaged")] if keys else []
    return pa.DataFrameSchema(columns, checks=frame_checks, strict=False, coerce=False)


@dataclass(frozen=True)
class _Problem:
    structural: bool
    line: int | None
    position: int
    column: str | None
    value: Any
    message: str


def _value_at(frame: pd.DataFrame, pos: int | None, column: str | None) -> Any:
    if pos is None or column is None or column not in frame.columns or pos >= len(frame):
        return None
    v = frame[column].iloc[pos]
    if isinstance(v, pd.Timestamp):
        return v.date().isoformat() if v == v.normalize() else v.isoformat()
    return None if pd.isna(v) else v


def _explain(
    check: str,
    header: str,
    value: Any,
    *,
    kind: str,
    start: dt.date | None,
    end: dt.date | None,
    keys: Sequence[str],
    duplicate_lines: Sequence[int],
    expected_dtype: str | None = None,
) -> str:
    redownload = "correct the file or download the export again (do not edit exports by hand)"
    if check == "non_negative":
        return (
            f"expected {header!r} to be 0 or more (counts, durations and percentages cannot be negative); "
            f"{redownload}"
        )
    if check == "fraction":
        return (
            f"expected {header!r} to be a fraction between 0 and 1 (GA4 writes rates as fractions, not "
            f"percentages); {redownload}"
        )
    if check == "within_period":
        return (
            f"expected the date to fall inside the export's period {start} to {end}; the file may have been "
            "edited or pasted together from several downloads - download it again"
        )
    if check == "unique_key":
        others = ", ".join(str(n) for n in duplicate_lines)
        where = (
            f"line {others}"
            if len(duplicate_lines) == 1
            else (f"lines {others}" if others else "another row")
        )
        return (
            f"expected each ({', '.join(keys)}) to appear once, but the same value is also on "
            f"{where}; remove "
            "the duplicate or download the export again"
        )
    if check == "gss_code":
        return "expected a GSS area code such as E10000020 (Norfolk) or E07000148 (Norwich)"
    if check == "known_area":
        return (
            "expected the code of Norfolk (E10000020), a Norfolk district (E07000143 to E07000149), the East of "
            "England (E12000006) or England (E92000001); check the code with the partner who sent the file"
        )
    if check == "column_in_dataframe":
        return (
            f"expected a {header!r} column in this {kind} export; download it again with the default columns"
        )
    if check == "not_nullable":
        return f"expected a value in {header!r}, found a blank cell; {redownload}"
    if check.startswith("dtype"):
        return f"expected {header!r} to hold {expected_dtype or check} values"
    return f"failed the check {check!r}; {redownload}"


def validate_table(
    frame: pd.DataFrame,
    kind: str,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    meta: dict | None = None,
    lines: Sequence[int | None] | None = None,
) -> list[tuple[int | None, str | None, Any, str, bool]]:
    """Check one table and return its problems, first first.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table.
    kind : str
        Export kind.
    start, end : datetime.date, optional
        Stated period.
    meta : dict, optional
        The export's ``meta`` (``columns`` maps canonical names to header text).
    lines : sequence of int, optional
        Physical line of each row (defaults to ``meta["_line"]``).

    Returns
    -------
    list of tuple
        ``(line, column header, value, message, structural)`` sorted so that structural problems
        (missing columns, wrong types) come first, then by line.
    """
    meta = meta or {}
    lines = list(lines if lines is not None else meta.get("_line", ()))
    headers: dict[str, str] = meta.get("columns", {})
    data = frame.reset_index(drop=True)
    schema = schema_for(kind, data, start=start, end=end, meta=meta)
    keys = _key_columns(kind, data, meta)
    try:
        schema.validate(data, lazy=True)
        return []
    except pa.errors.SchemaErrors as err:
        cases = err.failure_cases
    except pa.errors.SchemaError as err:  # pragma: no cover - lazy=True collects, but be safe
        cases = err.failure_cases if err.failure_cases is not None else pd.DataFrame()
    problems = _collect_problems(cases, data, lines, headers, keys, kind=kind, start=start, end=end)
    ranked = sorted(
        problems.values(), key=lambda p: (not p.structural, p.line if p.line is not None else 0, p.position)
    )
    return [(p.line, p.column, p.value, p.message, p.structural) for p in ranked]


def _duplicate_lines(data: pd.DataFrame, keys: list[str], lines: list[int | None]) -> dict[tuple, list[int]]:
    """The physical lines of the rows sharing each duplicated key."""
    dup_lines: dict[tuple, list[int]] = {}
    if keys:
        dups = data[data.duplicated(keys, keep=False)]
        for key, grp in dups.groupby(keys, dropna=False, sort=False):
            key = key if isinstance(key, tuple) else (key,)
            dup_lines[key] = [lines[i] if i < len(lines) and lines[i] else i + 1 for i in grp.index]
    return dup_lines


def _collect_problems(
    cases: pd.DataFrame,
    data: pd.DataFrame,
    lines: list[int | None],
    headers: dict[str, str],
    keys: list[str],
    *,
    kind: str,
    start: dt.date | None,
    end: dt.date | None,
) -> dict[tuple, _Problem]:
    """Turn pandera's failure cases into one explained problem per check, column and row."""
    problems: dict[tuple, _Problem] = {}
    order = {c: i for i, c in enumerate(data.columns)}
    dup_lines = _duplicate_lines(data, keys, lines)
    for rec in cases.to_dict("records"):
        check = str(rec.get("check"))
        idx = rec.get("index")
        pos = None if idx is None or pd.isna(idx) else int(idx)
        column = rec.get("column")
        column = None if column is None or (isinstance(column, float) and pd.isna(column)) else str(column)
        if check == "column_in_dataframe":
            column = str(rec.get("failure_case"))
        structural = pos is None
        line = lines[pos] if pos is not None and pos < len(lines) else None
        if check == "unique_key":
            column = keys[0] if keys else column
            ident = (check, pos)
            key = tuple(data.loc[pos, k] for k in keys)
            others = [n for n in dup_lines.get(key, []) if n != line]
            value = ", ".join(str(_value_at(data, pos, k)) for k in keys)
        else:
            ident = (check, column, pos)
            others = []
            value = _value_at(data, pos, column) if pos is not None else None
        if ident in problems:
            continue
        header = headers.get(column, _HEADER_TEXT.get(column, column)) if column else None
        message = _explain(
            check,
            header or "",
            value,
            kind=kind,
            start=start,
            end=end,
            keys=[headers.get(k, k) for k in keys],
            duplicate_lines=others,
            expected_dtype=_DTYPES.get(column or ""),
        )
        problems[ident] = _Problem(structural, line, order.get(column or "", -1), header, value, message)
    return problems


def _tables(
    export: Export,
) -> list[tuple[pd.DataFrame, dict, dt.date | None, dt.date | None, Sequence[int | None]]]:
    out = [(export.table, export.meta, export.start, export.end, export.meta.get("_line", ()))]
    if export.kind == "ga4_snapshot":
        for t in export.meta.get("tables", [])[1:]:
            m = {**export.meta, "dimensions": t.get("dimensions", []), "columns": t.get("columns", {})}
            out.append((t["frame"], m, t.get("start"), t.get("end"), t.get("_line", ())))
    return out


def _totals_problems(export: Export) -> list[tuple[int | None, str | None, Any, str, bool]]:
    """A negative count or rate in the file's own totals row (YouTube ``Total``, Ads Manager account row).

    The totals are checked like the rows: only net figures (subscribers; YouTube's likes and
    dislikes) may be below 0.
    """
    out = []
    headers = export.meta.get("columns") or {}  # canonical name -> header text
    for name, value in (export.totals or {}).items():
        if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
            continue
        signed = name in _MAY_BE_NEGATIVE or (export.kind.startswith("youtube") and name in _YOUTUBE_NET)
        if value < 0 and not signed:
            header = headers.get(name, name)
            message = "a total below 0 in the file's totals row, which counts and rates never are; download it again"
            out.append((export.meta.get("totals_line"), header, value, message, False))
    return out


def validate_export(export: Export) -> Export:
    """Check an export's table(s) against the schema for its kind.

    Parameters
    ----------
    export : reach.ingest.export.Export
        A parsed export.

    Returns
    -------
    reach.ingest.export.Export
        The same export, unchanged, when it passes.

    Raises
    ------
    InputValidationError
        Naming the file, the physical line, the column (header text), the value and the
        expectation of the first problem, with ``(and N more problems)`` appended.
    """
    problems: list[tuple[int | None, str | None, Any, str, bool]] = []
    for frame, meta, start, end, lines in _tables(export):
        problems.extend(validate_table(frame, export.kind, start=start, end=end, meta=meta, lines=lines))
    problems.extend(_totals_problems(export))
    if not problems:
        return export
    problems.sort(key=lambda p: (not p[4], p[0] if p[0] is not None else 0))
    line, column, value, message, _ = problems[0]
    if len(problems) > 1:
        n = len(problems) - 1
        message = f"{message} (and {n} more problem{'s' if n != 1 else ''})"
    raise InputValidationError(message, path=export.path, row=line, column=column, value=value)
