"""What every parser returns: the :class:`Export` record, the kinds of export and how messages name them."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

KINDS: tuple[str, ...] = (
    "ga4_report",
    "ga4_snapshot",
    "youtube_table",
    "youtube_chart",
    "youtube_totals",
    "meta_posts",
    "meta_daily",
    "meta_ads",
    "forms_microsoft",
    "forms_google",
    "feedback_feedex",
    "feedback_page",
    "partner_indicators",
    "hv_recall",
    "ga4_bigquery",
)
"""Every export kind :func:`detect_kind` can return."""


KIND_LABELS: dict[str, str] = {
    "ga4_report": "a GA4 report CSV",
    "ga4_snapshot": "a GA4 multi-table CSV (Reports snapshot, overview or comparison)",
    "ga4_bigquery": "a GA4 BigQuery events export",
    "youtube_table": "a YouTube Studio 'Table data' export",
    "youtube_chart": "a YouTube Studio 'Chart data' export",
    "youtube_totals": "a YouTube Studio 'Totals' export",
    "meta_posts": "a Meta Business Suite posts export",
    "meta_daily": "a Meta Business Suite daily series export",
    "meta_ads": "a Meta Ads Manager export",
    "forms_microsoft": "a Microsoft Forms responses file",
    "forms_google": "a Google Forms responses sheet",
    "feedback_feedex": "a GOV.UK Feedback Explorer export",
    "feedback_page": "a page-feedback widget export",
    "partner_indicators": "a partner indicators file",
    "hv_recall": "a health-visiting new-birth recall return",
}
"""Per kind: how messages name it ("... the file was read as a GA4 report CSV")."""


_TOTAL_LABELS = frozenset({"total", "totals", "grand total"})


# --------------------------------------------------------------------------------------------
# The result type
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Export:
    """One parsed export file.

    Parameters
    ----------
    path : pathlib.Path
        The file it came from (for a zip member: ``<archive>/<member>``).
    kind : str
        One of :data:`KINDS`.
    start, end : datetime.date or None
        The reporting period, inclusive; None when the file does not say.
    table : pandas.DataFrame
        Tidy rows with canonical snake_case columns; no totals or preamble rows.
    totals : dict or None
        A totals row the file carries (YouTube ``Total``, Meta Ads account total), as
        ``{canonical column: value}``, kept for reconciliation.
    warnings : tuple of str
        Announced repairs and oddities, one sentence each.
    meta : dict
        Everything else the file says: ``columns`` (canonical -> source header), ``units``,
        ``dimensions`` (GA4), ``metric`` (single-metric files), ``report_title``, ``account``,
        ``property``, ``segment``, ``tables`` (GA4 snapshot), ``encoding``, and ``_line`` (the
        1-based physical line number of each table row, used by :mod:`reach.ingest.validate`).
    """

    path: Path
    kind: str
    start: dt.date | None
    end: dt.date | None
    table: pd.DataFrame
    totals: dict | None
    warnings: tuple[str, ...]
    meta: dict

    @property
    def rows(self) -> int:
        """Number of rows in :attr:`table`."""
        return len(self.table)

    def __repr__(self) -> str:
        return (
            f"Export(path={str(self.path)!r}, kind={self.kind!r}, start={self.start}, end={self.end}, "
            f"rows={self.rows}, columns={list(self.table.columns)!r}, warnings={len(self.warnings)})"
        )


# --------------------------------------------------------------------------------------------
# Small pure helpers
# --------------------------------------------------------------------------------------------


def snake_case(text: str) -> str:
    """Turn a header text into a snake_case column name.

    Parameters
    ----------
    text : str
        Header text as written in the file.

    Returns
    -------
    str
        Lower-case ASCII, words joined by ``_``; ``%`` becomes ``pct``.

    Examples
    --------
    >>> snake_case("Amount spent (INR)")
    'amount_spent_inr'
    >>> snake_case("Stayed to watch (%)")
    'stayed_to_watch_pct'
    """
    t = unicodedata.normalize("NFKD", text.replace("\ufeff", "")).encode("ascii", "ignore").decode()
    t = t.strip().lower().replace("%", " pct ").replace("&", " and ").replace("+", " plus ")
    t = re.sub(r"[^0-9a-z]+", "_", t).strip("_")
    return t or "column"


def _key(text: str) -> str:
    """Header lookup key: BOM removed, white space collapsed, lower case."""
    return re.sub(r"\s+", " ", text.replace("\ufeff", "")).strip().lower()
