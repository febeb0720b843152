"""Identifiers no registered asset matched: the full list and ready-to-paste registry rows, as CSV.

The report shows how many there are and the ten with the most views
(:func:`reach.report.tables.unmatched_table`); ``reach run`` writes every one beside the report
(:func:`write_unmatched`):

- ``unmatched.csv``: ``table, month, identifier, measure, value``, most views first;
- ``unmatched_assets.csv``: the pages, videos and posts as rows of the asset registry
  (``assets.csv``'s columns, a suggested ``asset_id`` and a placeholder title), ready to paste
  once the analyst has kept the safer-sleep ones and given each a title and theme.

These files are opened in spreadsheets, so this is where text that a spreadsheet would run as
a formula gets its apostrophe (:func:`spreadsheet_csv`); the report and the processed tables show
values exactly. :func:`reach.tidy.assets.parse_registry` drops that apostrophe again from an
identifier pasted into ``assets.csv``.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd

from reach.core.disclosure import neutralise_formula
from reach.core.urls import normalise_path
from reach.tidy.assets import REGISTRY_COLUMNS

#: The full list, written beside the report.
UNMATCHED_FILE = "unmatched.csv"
#: The pages, videos and posts as asset-registry rows, written beside the report.
UNMATCHED_ASSETS_FILE = "unmatched_assets.csv"
#: How many the report lists.
UNMATCHED_SHOWN = 10

#: Processed table → (registry column, asset type, words before the identifier in the title, asset id prefix).
_REGISTRY_SLOTS = {
    "web_pages": ("url_paths", "web_page", "Web page", "page"),
    "video": ("video_ids", "video", "YouTube video", "video"),
    "social_posts": ("post_ids", "social_post", "Facebook post", "post"),
}

_COLUMNS = ["table", "month", "identifier", "measure", "value"]


def unmatched_rows(unmatched: pd.DataFrame, month: str) -> pd.DataFrame:
    """The month's unmatched identifiers, most views (or sessions) first.

    Parameters
    ----------
    unmatched : pandas.DataFrame
        Processed ``unmatched`` (``table, month, identifier, measure, value``).
    month : str
        ISO month.

    Returns
    -------
    pandas.DataFrame
        The month's rows, largest ``value`` first (missing values last; ties by table and
        identifier), with a fresh index.

    Examples
    --------
    >>> frame = pd.DataFrame({"table": ["video", "web_pages", "video"], "month": ["2026-10", "2026-10", "2026-09"],
    ...                       "identifier": ["a", "/b", "c"], "measure": ["views"] * 3, "value": [3.0, 9.0, 99.0]})
    >>> list(unmatched_rows(frame, "2026-10")["identifier"])
    ['/b', 'a']
    """
    rows = unmatched[unmatched["month"].astype("str") == month].reindex(columns=_COLUMNS)
    value = pd.to_numeric(rows["value"], errors="coerce")
    order = rows.assign(_value=value).sort_values(
        ["_value", "table", "identifier"], ascending=[False, True, True], na_position="last", kind="stable"
    )
    return order.drop(columns="_value").reset_index(drop=True)


def _slug(text: str) -> str:
    """Lower-case letters, digits and single hyphens, at most 60 characters."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60].strip("-")


def registry_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """Unmatched pages, videos and posts as rows of the asset registry, one per identifier.

    Each row has a suggested ``asset_id`` (``page-…``, ``video-…``, ``post-…``, made unique), a
    placeholder ``title`` naming the identifier, the asset ``type`` and the identifier in its
    list column; ``theme`` and ``launch_date`` are left for the analyst. Campaign tags are left
    out: a tag belongs in the ``campaign_tags`` cell of the assets it promotes. Page paths are
    normalised, so ``/a/`` and ``/a`` give one row.

    Parameters
    ----------
    rows : pandas.DataFrame
        From :func:`unmatched_rows`.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`reach.tidy.assets.REGISTRY_COLUMNS`, all text, in the order of ``rows``.

    Examples
    --------
    >>> rows = pd.DataFrame({"table": ["video", "web_pages", "web_acquisition"],
    ...                      "identifier": ["-Boc6OawEW0", "/Baby-Sleep/Naps/", "spring-tag"]})
    >>> registry_rows(rows)[["asset_id", "title", "type", "url_paths", "video_ids"]].values.tolist()
    [['video-boc6oawew0', 'YouTube video -Boc6OawEW0', 'video', '', '-Boc6OawEW0'], \
['page-baby-sleep-naps', 'Web page /baby-sleep/naps', 'web_page', '/baby-sleep/naps', '']]
    """
    out: list[dict[str, str]] = []
    seen: set[tuple[str, str]] = set()
    ids: set[str] = set()
    for table, identifier in rows[["table", "identifier"]].itertuples(index=False):
        if table not in _REGISTRY_SLOTS:
            continue
        column, kind, words, prefix = _REGISTRY_SLOTS[table]
        value = normalise_path(identifier) if column == "url_paths" else str(identifier).strip()
        if not value or (column, value) in seen:
            continue
        seen.add((column, value))
        base = f"{prefix}-{_slug(value) or 'home'}"
        asset_id, n = base, 2
        while asset_id in ids:
            asset_id, n = f"{base}-{n}", n + 1
        ids.add(asset_id)
        row = dict.fromkeys(REGISTRY_COLUMNS, "")
        row.update({"asset_id": asset_id, "title": f"{words} {value}", "type": kind, column: value})
        out.append(row)
    return pd.DataFrame(out, columns=list(REGISTRY_COLUMNS), dtype="object")


def spreadsheet_csv(frame: pd.DataFrame) -> str:
    """CSV text of a table for a spreadsheet: any text cell a spreadsheet would run as a formula is neutralised.

    Parameters
    ----------
    frame : pandas.DataFrame
        Any table; not modified.

    Returns
    -------
    str
        The CSV, one line per row, no index; text starting with ``=``, ``+``, ``-`` or ``@``
        gets a leading apostrophe (:func:`reach.core.disclosure.neutralise_formula`).

    Examples
    --------
    >>> print(spreadsheet_csv(pd.DataFrame({"id": ["-Boc6OawEW0", "ok"], "n": [-1, 2]})), end="")
    id,n
    '-Boc6OawEW0,-1
    ok,2
    """
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise_formula)
    safe.columns = [neutralise_formula(str(c)) for c in safe.columns]
    buffer = io.StringIO()
    safe.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue()


def write_unmatched(unmatched: pd.DataFrame, month: str, folder: str | Path) -> list[Path]:
    """Write ``unmatched.csv`` and ``unmatched_assets.csv`` for ``month`` into ``folder``.

    Both are written even when nothing is unmatched (a header only), so the report folder always
    has them. UTF-8 with a byte-order mark, so spreadsheets read accented titles correctly.

    Parameters
    ----------
    unmatched : pandas.DataFrame
        Processed ``unmatched``.
    month : str
        ISO month.
    folder : str or pathlib.Path
        The report's (staging) folder; must exist.

    Returns
    -------
    list of pathlib.Path
        The two files.
    """
    rows = unmatched_rows(unmatched, month)
    folder = Path(folder)
    written = []
    for name, frame in ((UNMATCHED_FILE, rows), (UNMATCHED_ASSETS_FILE, registry_rows(rows))):
        path = folder / name
        path.write_text(spreadsheet_csv(frame), encoding="utf-8-sig", newline="")
        written.append(path)
    return written
