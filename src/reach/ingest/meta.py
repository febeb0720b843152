"""Parsing Meta Business Suite exports: posts, daily page insights and ads."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pandas as pd

from reach.errors import InputValidationError
from reach.ingest.columns import _META_POSTS, _META_POSTS_STR, CANONICAL_COLUMNS
from reach.ingest.dates import _MONTHS, _parse_dates
from reach.ingest.export import Export, _key, snake_case
from reach.ingest.records import (
    _FLOAT_HINT,
    _canonical_names,
    _column,
    _data_rows,
    _Doc,
    _finish,
    _header_and_rows,
    _looks_numeric,
    _period,
    _Rec,
    _scalar,
    _str_series,
    _to_numeric,
)

# --------------------------------------------------------------------------------------------
# Meta
# --------------------------------------------------------------------------------------------

_SCI_ID = re.compile(r"^\d+(\.\d+)?[eE]\+?\d+$")


_META_FILE_RE = re.compile(r"([A-Z][a-z]{2})-(\d{1,2})-(\d{4})_([A-Z][a-z]{2})-(\d{1,2})-(\d{4})_\d+")


_ADS_FILE_RE = re.compile(r"([A-Z][a-z]{2})-(\d{1,2})-(\d{4})-to-([A-Z][a-z]{2})-(\d{1,2})-(\d{4})")


def _name_period(name: str, rx: re.Pattern[str]) -> tuple[dt.date | None, dt.date | None]:
    m = rx.search(name)
    if not m:
        return None, None
    try:
        a = dt.date(int(m[3]), _MONTHS[m[1].lower()], int(m[2]))
        b = dt.date(int(m[6]), _MONTHS[m[4].lower()], int(m[5]))
    except (KeyError, ValueError):
        return None, None
    return a, b


def _parse_meta_posts(doc: _Doc, date_order: str | None) -> Export:
    """Parse a Meta Business Suite posts export (lifetime totals per post) into an Export."""
    i0, names, rows, warnings = _header_and_rows(doc)
    rows = _drop_description_row(names, rows, warnings)
    rows = _drop_meta_error_rows(names, rows, warnings)
    canon = _canonical_names(names, _META_POSTS, warnings)
    lines = [r.line for r in rows]
    data: dict[str, pd.Series] = {}
    columns: dict[str, str] = {}
    for i, (name, c) in enumerate(zip(names, canon, strict=True)):
        columns[c] = name
        vals = _column(rows, i)
        if c in ("post_id", "page_id"):
            _meta_id_column(c, vals, lines, data, warnings)
        elif c == "publish_time":
            res = _parse_dates(
                vals,
                lines,
                path=doc.path,
                column=name,
                families=("numeric", "iso"),
                date_order=None,
                default_order="MDY",
            )
            data[c] = res.values
            warnings.extend(res.warnings)
        elif c in _META_POSTS_STR or c not in _META_POSTS.values() and not _looks_numeric(vals):
            data[c] = _str_series(vals)
        else:
            count = c not in ("avg_seconds_viewed", "seconds_viewed") and not _FLOAT_HINT.search(c)
            data[c] = _to_numeric(
                vals,
                lines,
                path=doc.path,
                column=name,
                count=count if c in _META_POSTS.values() else None,
                name=c,
            )
    if "views" in columns and _key(columns["views"]) == "impressions":
        warnings.append(
            "The file has 'Impressions' (older Meta naming) and no 'Views'; it was read as views."
        )
    frame = _meta_posts_frame(data)
    start, end, meta = _meta_posts_period(doc, frame, warnings)
    return _finish(
        doc,
        "meta_posts",
        frame,
        lines,
        start=start,
        end=end,
        warnings=warnings,
        meta=meta,
        columns=columns,
        family="meta",
    )


def _drop_description_row(names: list[str], rows: list[_Rec], warnings: list[str]) -> list[_Rec]:
    """Drop a legacy description row (second row whose Post ID is not an id)."""
    if rows and not re.fullmatch(
        r"[\d.eE+]+", rows[0].fields[[_key(n) for n in names].index("post id")].strip() or "0"
    ):
        warnings.append(f"Line {rows[0].line} looks like a description row, not a post; it was dropped.")
        rows = rows[1:]
    return rows


def _meta_id_column(
    c: str, vals: list[str], lines: list[int], data: dict[str, pd.Series], warnings: list[str]
) -> None:
    """Store a Post ID or Page ID column, flagging ids Excel turned into scientific notation."""
    ids = [v.strip() for v in vals]
    data[c] = _str_series(ids)
    if c == "post_id":
        damaged = [bool(_SCI_ID.match(v)) for v in ids]
        data["id_damaged"] = pd.Series(damaged, dtype="bool")
        if any(damaged):
            k = damaged.index(True)
            warnings.append(
                f"{sum(damaged)} Post ID(s) are in scientific notation like {ids[k]!r} (first "
                "on line "
                f"{lines[k]}), so Excel has destroyed the digits; those rows are flagged in "
                "id_damaged "
                "and cannot be matched to assets."
            )
    elif any(_SCI_ID.match(v) for v in ids):
        warnings.append("Page ID values are in scientific notation (Excel damage); they cannot be used.")


def _meta_posts_frame(data: dict[str, pd.Series]) -> pd.DataFrame:
    """The posts frame, with the ``id_damaged`` flag placed right after ``post_id``."""
    frame = pd.DataFrame(data)
    if "id_damaged" in frame.columns:
        cols = [c for c in frame.columns if c != "id_damaged"]
        cols.insert(cols.index("post_id") + 1, "id_damaged")
        frame = frame[cols]
    return frame


def _meta_posts_period(
    doc: _Doc, frame: pd.DataFrame, warnings: list[str]
) -> tuple[dt.date | None, dt.date | None, dict[str, Any]]:
    """The export period (from the file name, else the publish times) and the file's meta."""
    start, end = _name_period(doc.name, _META_FILE_RE)
    meta: dict[str, Any] = {"values": "lifetime totals as of the export date"}
    if start is None:
        start, end = _period(frame["publish_time"]) if "publish_time" in frame else (None, None)
        meta["period_source"] = "publish times"
        warnings.append(
            "The file name does not carry the export period (Mon-DD-YYYY_Mon-DD-YYYY_id.csv), so the period "
            "was taken from the earliest and latest publish times."
        )
    else:
        meta["period_source"] = "file name"
    return start, end, meta


def _drop_meta_error_rows(names: list[str], rows: list[_Rec], warnings: list[str]) -> list[_Rec]:
    """Drop the rows Meta writes when it could not compute a post's metadata.

    Such a row has no Post ID and no publish time; its ``Data comment`` says what went wrong
    (e.g. ``An error occurred while computing metadata for content with ID 933528094972880.``).
    """
    keys = [_key(n) for n in names]
    pid, when = keys.index("post id"), keys.index("publish time") if "publish time" in keys else None
    note = keys.index("data comment") if "data comment" in keys else None
    kept: list[_Rec] = []
    dropped: list[_Rec] = []
    for r in rows:
        blank_id = not str(r.fields[pid]).strip()
        blank_time = when is None or not str(r.fields[when]).strip()
        (dropped if blank_id and blank_time else kept).append(r)
    if dropped:
        comment = str(dropped[0].fields[note]).strip() if note is not None else ""
        why = f" (Meta's data comment: {comment[:120]!r})" if comment else ""
        warnings.append(
            f"{len(dropped)} row(s) have no Post ID and no publish time, so they describe no post "
            f"(first on line {dropped[0].line}){why}; they were dropped."
        )
    return kept


def _parse_meta_daily(doc: _Doc) -> Export:
    recs = [r for r in doc.records if not r.blank]
    warnings: list[str] = []
    k = 0
    if recs and ",".join(recs[0].fields).strip().strip('"').lower().startswith("sep="):
        k = 1
    metric_header = None
    if k < len(recs) and len(recs[k].fields) == 1 and _key(recs[k].fields[0]) != "date":
        metric_header = recs[k].fields[0].strip()
        k += 1
    if k >= len(recs) or _key(recs[k].fields[0]) != "date":
        found = (  # the file's own text is not quoted
            f"; its first block has a {len(recs[k].fields)}-column header that is not 'Date', so it looks "
            "like the Audience export (stacked blocks such as Age & gender and Top cities), which reach does "
            "not read"
            if metric_header and k < len(recs)
            else ""
        )
        raise InputValidationError(
            "expected a 'Date' header after the 'sep=' and metric-name lines of a Meta Business "
            f"Suite daily series export{found}",
            path=doc.path,
            row=recs[k].line if k < len(recs) else None,
        )
    header = recs[k]
    last_eof = not doc.text.endswith(("\n", "\r"))
    names, rows = _data_rows(header, recs[k + 1 :], doc.path, warnings, last_line_is_eof=last_eof)
    canon = _canonical_names(names, CANONICAL_COLUMNS["meta_daily"], warnings)
    if "value" not in canon and len(canon) >= 2:
        canon[1] = "value"
    lines: list[int | None] = [r.line for r in rows]
    data: dict[str, pd.Series] = {}
    columns: dict[str, str] = {}
    for i, (name, c) in enumerate(zip(names, canon, strict=True)):
        columns[c] = name
        vals = _column(rows, i)
        if c == "date":
            res = _parse_dates(vals, lines, path=doc.path, column=name, families=("iso",))
            data[c] = res.values.dt.normalize()
        else:
            data[c] = _to_numeric(vals, lines, path=doc.path, column=name, count=None)
    frame = pd.DataFrame(data)
    if metric_header is None:
        warnings.append("The metric-name line is missing, so the metric is unknown.")
    if len(frame):
        order = frame.sort_values("date", kind="stable").index.to_numpy()
        frame = frame.iloc[order].reset_index(drop=True)
        lines = [lines[j] for j in order]
        full = pd.date_range(frame["date"].min(), frame["date"].max(), freq="D")
        missing = full.difference(pd.DatetimeIndex(frame["date"]))
        if len(missing):
            line_of = dict(zip(frame["date"], lines, strict=True))
            filled = frame.set_index("date").reindex(full)
            for c in filled.columns:
                if pd.api.types.is_numeric_dtype(filled[c]):
                    filled[c] = filled[c].fillna(0)
            filled.index.name = "date"
            frame = filled.reset_index()
            frame["date"] = frame["date"].astype("datetime64[ns]")
            lines = [line_of.get(d) for d in frame["date"]]
            warnings.append(
                f"{len(missing)} day(s) between {full[0].date()} and {full[-1].date()} were missing "
                "(Meta leaves "
                "out days with 0) and were filled with 0."
            )
    start, end = _period(frame["date"]) if "date" in frame else (None, None)
    metric = snake_case(metric_header) if metric_header else None
    meta = {"metric": metric, "metric_header": metric_header}
    return _finish(
        doc,
        "meta_daily",
        frame,
        lines,
        start=start,
        end=end,
        warnings=warnings,
        meta=meta,
        columns=columns,
        family="meta",
    )


def _parse_meta_ads(doc: _Doc) -> Export:
    i0, names, rows, warnings = _header_and_rows(doc)
    canon = _canonical_names(names, {}, warnings)
    total_rec = None
    if rows and not rows[0].fields[0].strip():
        total_rec, rows = rows[0], rows[1:]
    else:
        warnings.append(
            "The first row has a name, so there is no account-total row (Ads Manager normally writes one); "
            "totals cannot be reconciled."
        )
    blank_names = [r.line for r in rows if not r.fields[0].strip()]
    if blank_names:
        warnings.append(
            f"{len(blank_names)} row(s) have an empty {names[0]!r} (first on line {blank_names[0]})."
        )

    def build(recs: list[_Rec]) -> pd.DataFrame:
        lines_ = [r.line for r in recs]
        data: dict[str, pd.Series] = {}
        for i, (name, c) in enumerate(zip(names, canon, strict=True)):
            vals = _column(recs, i)
            if c in ("reporting_starts", "reporting_ends", "day", "date"):
                data[c] = _parse_dates(vals, lines_, path=doc.path, column=name, families=("iso",)).values
            elif i == 0 or c in ("currency",) or not _looks_numeric(vals):
                data[c] = _str_series(vals)
            else:
                data[c] = _to_numeric(vals, lines_, path=doc.path, column=name, count=None, name=c)
        return pd.DataFrame(data)

    frame = build(rows)
    # keep dtypes of the totals consistent with the body
    totals = None
    if total_rec is not None:
        tf = build([total_rec])
        totals = {c: _scalar(tf[c].iloc[0]) for c in tf.columns if c != canon[0]}
    lines = [r.line for r in rows]
    start = end = None
    period_source = None
    if "reporting_starts" in frame and "reporting_ends" in frame and len(frame):
        start = _period(frame["reporting_starts"])[0]
        end = _period(frame["reporting_ends"])[1]
        period_source = "its Reporting starts and Reporting ends columns"
    if start is None:
        start, end = _name_period(doc.name, _ADS_FILE_RE)
        period_source = "its file name" if start is not None else None
    columns = dict(zip(canon, names, strict=True))
    meta = {"name_column": canon[0], "totals_line": total_rec.line if total_rec else None}
    if period_source:
        meta["period_source"] = period_source
    return _finish(
        doc,
        "meta_ads",
        frame,
        lines,
        start=start,
        end=end,
        totals=totals,
        warnings=warnings,
        meta=meta,
        columns=columns,
        family="meta",
    )


# --------------------------------------------------------------------------------------------
# Ads Manager exports as paid reach
# --------------------------------------------------------------------------------------------

#: Columns of the ``social_paid`` table, in order (``month`` is added when the file is placed).
PAID_COLUMNS = (
    "level", "name", "reach", "impressions", "views", "frequency", "amount_spent", "currency", "link_clicks",
)  # fmt: skip


_ADS_LEVELS = {"campaign_name": "campaign", "ad_set_name": "ad set", "ad_name": "ad"}


#: Ads Manager breakdowns: a row per age band, region... whose reach cannot be added up.
_ADS_BREAKDOWNS = frozenset(
    {"age", "gender", "region", "country", "dma_region", "impression_device", "platform", "placement",
     "device_platform", "platform_position"}
)  # fmt: skip


def _paid_empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in PAID_COLUMNS})


def paid_reach_rows(export: Export) -> tuple[pd.DataFrame, list[str]]:
    """An Ads Manager export as paid-reach rows, or the reason it cannot be used.

    Paid reach is read from ``Reach`` only: the account-total row (Meta's own count of distinct
    people across the campaigns, kept with level ``account``) and one row per campaign, ad set
    or ad (people reached by two campaigns are in both rows, so those rows are not added up).

    Two columns headed ``Views`` are ambiguous: Meta renamed impressions to views in 2025 and a
    saved column set can hold both an old and a new ``Views``, and the headers do not say which
    is which. Neither is kept then (``views`` and ``impressions`` blank) and a warning says so;
    reach is unaffected. A single ``Views`` is kept as written.

    Parameters
    ----------
    export : Export
        A parsed ``meta_ads`` export.

    Returns
    -------
    tuple of (pandas.DataFrame, list of str)
        Rows with :data:`PAID_COLUMNS`, and warnings. A refused export gives no rows and one
        warning starting ``not used:`` with the reason: no ``Reach`` column, or a breakdown (a row
        per age band, region...) whose reach cannot be added.

    Examples
    --------
    >>> table = pd.DataFrame({"campaign_name": ["Safer sleep"], "reach": [800], "views": [1500],
    ...                       "views_2": [300]})
    >>> export = Export("a.csv", "meta_ads", None, None, table, {"reach": 900}, (),
    ...                 {"name_column": "campaign_name"})
    >>> rows, warnings = paid_reach_rows(export)
    >>> rows[["level", "name", "reach"]].values.tolist()
    [['account', '(account total)', 900], ['campaign', 'Safer sleep', 800]]
    >>> bool(rows["views"].isna().all()), warnings[0].startswith("The export has 2 columns headed 'Views'")
    (True, True)
    """
    table = export.table
    headers = export.meta.get("columns") or {}
    if "reach" not in table.columns:
        return _paid_empty(), [
            "not used: the Ads Manager export has no 'Reach' column, and paid reach is read from Reach; add "
            "Reach to the report's columns in Ads Manager and export it again"
        ]
    breakdown = next((c for c in table.columns if c in _ADS_BREAKDOWNS), None)
    if breakdown is not None:
        return _paid_empty(), [
            f"not used: the Ads Manager export is broken down by {headers.get(breakdown, breakdown)!r} (a row per "
            "value), and people reached cannot be added across a breakdown; export the report without a breakdown"
        ]
    warnings: list[str] = []
    views_columns = [c for c in table.columns if c == "views" or re.fullmatch(r"views_\d+", c)]
    if len(views_columns) > 1:
        warnings.append(
            f"The export has {len(views_columns)} columns headed 'Views'; their headers do not say which counts "
            "what (Meta renamed impressions to views in 2025, and a saved column set can hold both), so neither "
            "is kept. Paid reach is read from 'Reach' and is not affected."
        )
    name_column = export.meta.get("name_column") or table.columns[0]
    spent = next((c for c in table.columns if c.startswith("amount_spent")), None)
    currency = spent[len("amount_spent_") :].upper() if spent and spent != "amount_spent" else None

    def rows(frame: pd.DataFrame, level: str, names: pd.Series) -> pd.DataFrame:
        out = pd.DataFrame(index=frame.index)
        out["level"] = level
        out["name"] = names.astype("str").str.strip()
        for column in ("reach", "impressions", "frequency", "link_clicks"):
            out[column] = frame[column] if column in frame else pd.NA
        out["views"] = frame["views"] if len(views_columns) == 1 else pd.NA
        out["amount_spent"] = frame[spent] if spent else pd.NA
        out["currency"] = frame["currency"] if "currency" in frame else currency
        return out.reindex(columns=list(PAID_COLUMNS))

    parts = []
    if export.totals:
        total = pd.DataFrame([export.totals])
        parts.append(rows(total, "account", pd.Series(["(account total)"], index=total.index)))
    if len(table):
        parts.append(
            rows(table, _ADS_LEVELS.get(name_column, name_column.replace("_", " ")), table[name_column])
        )
    frame = pd.concat(parts, ignore_index=True) if parts else _paid_empty()
    return frame, warnings
