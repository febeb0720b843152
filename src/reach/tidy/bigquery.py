"""GA4 BigQuery rows turned into the processed web tables.

GA4 BigQuery exports (``ga4_bigquery``, :mod:`reach.ingest.bigquery`) feed several tables
(:func:`bigquery_frames`):

* ``web_users`` - ``month``, ``asset_id``, ``users``: the exact number of distinct
  ``user_pseudo_id`` who viewed a registered asset page in the month, per asset and (``asset_id``
  NA) over all asset pages together. It is only written for a month that one BigQuery export
  covers from its first to its last day, because distinct users over a month cannot be put
  together from parts: DuckDB groups each user's page views of the month into the set of pages
  that user viewed, and the users of any group of pages are the sum over the sets that include
  one of them (every user is in exactly one set per month, so nothing is counted twice).
* ``web_daily`` (views and distinct users per page and day), ``web_pages`` (views and distinct
  users per page over a whole month) and ``web_city`` (distinct users per ``geo.city`` over a
  whole month) - the tables GA4 report exports feed. **Nothing is counted twice:** BigQuery rows
  are used only for the days (``web_daily``) or months (``web_pages``, ``web_city``) that no GA4
  report export routed to that same table covers; where a report export covers them, the report
  wins and a note says the BigQuery rows were left out. Month rows need an export covering the
  whole month, as for ``web_users``.

Between two BigQuery exports of the same days, the later one wins, as for every other kind.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from reach.core.months import months_touched, whole_months
from reach.tidy.assets import match_assets
from reach.tidy.routing import SourceFile


def web_users_from_page_sets(user_pages: pd.DataFrame, identifiers: pd.DataFrame) -> pd.DataFrame:
    """Exact distinct tracked users of the asset pages per month, from users' sets of pages viewed.

    Parameters
    ----------
    user_pages : pandas.DataFrame
        ``month``, ``pages`` (a tuple of page paths), ``users`` (how many users viewed exactly
        that set of pages in the month), as :func:`reach.ingest.bigquery.parse_bigquery` gives in
        ``meta["tables"]["user_pages"]``.
    identifiers : pandas.DataFrame
        Asset identifiers from :func:`reach.tidy.assets.parse_registry`.

    Returns
    -------
    pandas.DataFrame
        ``month``, ``asset_id``, ``users``: per month one row with ``asset_id`` NA (users who
        viewed any registered asset page) followed by one row per asset whose pages were viewed.
        Every user is in one set per month, so the sums over sets count each person once.
    """
    paths = sorted({path for pages in user_pages["pages"] for path in pages})
    matched = match_assets(pd.DataFrame({"page_path": paths}, dtype="str"), "page_path", "path", identifiers)
    asset_of = {
        path: asset for path, asset in zip(paths, matched["asset_id"], strict=True) if not pd.isna(asset)
    }
    rows: list[tuple] = []
    for month, group in user_pages.groupby("month", sort=True):
        total = 0
        per_asset: dict[str, int] = {}
        for pages, users in zip(group["pages"], group["users"], strict=True):
            assets = {asset_of[path] for path in pages if path in asset_of}
            if assets:
                total += int(users)
                for asset in assets:
                    per_asset[asset] = per_asset.get(asset, 0) + int(users)
        rows.append((month, pd.NA, total))
        rows.extend((month, asset, per_asset[asset]) for asset in sorted(per_asset))
    frame = pd.DataFrame(rows, columns=["month", "asset_id", "users"])
    return frame.astype({"month": "str", "asset_id": "str", "users": "Int64"})


def _daily_rows(daily: pd.DataFrame, reported: set) -> tuple[pd.DataFrame, list[str]]:
    """The ``web_daily`` rows for the days no GA4 report export covers, with a note on the rest."""
    notes: list[str] = []
    days = pd.to_datetime(daily["date"]).dt.date
    left_out = days.isin(reported)
    if left_out.any():
        notes.append(
            f"{int(left_out.sum())} BigQuery page/day row(s) left out of web_daily: a GA4 report export "
            "covers those days (counted once, from the report)"
        )
    kept = daily[~left_out.to_numpy()]
    frame = pd.DataFrame(
        {
            "date": kept["date"],
            "page_path": kept["page_path"],
            "views": kept["views"],
            "active_users": kept["users"],
        }
    )
    return frame, notes


def _unreported_months(
    rows: pd.DataFrame, months: list[str], reported: set, kind: str, table: str
) -> tuple[pd.DataFrame, list[str]]:
    """The month rows of whole months that no GA4 report export to ``table`` covers, with a note on the rest."""
    notes: list[str] = []
    use = rows["month"].isin(months) & ~rows["month"].isin(reported)
    skipped = sorted(set(rows["month"][rows["month"].isin(months) & ~use]))
    if skipped:
        notes.append(
            f"BigQuery {kind} rows for {', '.join(skipped)} left out of {table}: a GA4 report export "
            "covers that month"
        )
    return rows[use.to_numpy()], notes


def bigquery_frames(
    source: SourceFile, covered: Mapping[str, set], identifiers: pd.DataFrame
) -> tuple[dict[str, pd.DataFrame], list[str]]:
    """The rows one GA4 BigQuery export adds to ``web_daily``, ``web_pages``, ``web_city`` and ``web_users``.

    Parameters
    ----------
    source : SourceFile
        A parsed ``ga4_bigquery`` export.
    covered : Mapping
        What GA4 report exports cover (:func:`report_coverage`); those days and months are
        left to the reports.
    identifiers : pandas.DataFrame
        Asset identifiers from :func:`reach.tidy.assets.parse_registry`.

    Returns
    -------
    tuple
        ``({table: frame}, notes)``. Month rows (``web_pages``, ``web_city``, ``web_users``) are
        only given for the months the export covers from first to last day.
    """
    export = source.export
    parts = export.meta.get("tables", {})
    frames: dict[str, pd.DataFrame] = {}
    frames["web_daily"], notes = _daily_rows(export.table, covered.get("web_daily", set()))

    months = whole_months(export.start, export.end)
    touched = months_touched(export.start, export.end)
    partial = [m for m in touched if m not in months]
    if partial:
        notes.append(
            f"covers {export.start} to {export.end}, not the whole of {', '.join(partial)}; distinct users "
            "over a month (web_users, web_pages, web_city) need one BigQuery export of the whole month"
        )
    page_month = parts.get("page_month")
    if page_month is not None:
        rows, skipped = _unreported_months(
            page_month, months, covered.get("web_pages", set()), "page", "web_pages"
        )
        notes.extend(skipped)
        frames["web_pages"] = pd.DataFrame(
            {
                "month": rows["month"],
                "page_path": rows["page_path"],
                "views": rows["views"],
                "active_users": rows["users"],
            }
        )
    city_month = parts.get("city_month")
    if city_month is not None:
        rows, skipped = _unreported_months(
            city_month, months, covered.get("web_city", set()), "city", "web_city"
        )
        notes.extend(skipped)
        frames["web_city"] = pd.DataFrame(
            {"month": rows["month"], "city": rows["city"], "active_users": rows["users"]}
        )
    user_pages = parts.get("user_pages")
    if user_pages is not None:
        frames["web_users"] = web_users_from_page_sets(
            user_pages[user_pages["month"].isin(months).to_numpy()], identifiers
        )
    return frames, notes
