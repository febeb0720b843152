"""The asset registry: which URL paths, video ids, post ids and campaign tags belong to which asset.

The registry is a CSV the analyst maintains (``assets.csv`` in the reference folder). These pure
functions read nothing themselves: :func:`parse_registry` takes the registry's DataFrame and
returns one row per identifier; the ``match_*`` functions add ``asset_id``, ``asset_title`` and
``theme`` to a table, leaving unmatched rows with missing values so they can be listed.
"""

from __future__ import annotations

import fnmatch

import pandas as pd

from reach.core.urls import normalise_path
from reach.errors import InputValidationError

REGISTRY_COLUMNS = (
    "asset_id",
    "title",
    "theme",
    "type",
    "launch_date",
    "url_paths",
    "video_ids",
    "post_ids",
    "campaign_tags",
)


IDENTIFIER_COLUMNS = {
    "url_paths": "path",
    "video_ids": "video",
    "post_ids": "post",
    "campaign_tags": "campaign",
}


def parse_registry(registry: pd.DataFrame, source: str = "assets.csv") -> pd.DataFrame:
    """Turn the registry table into one row per (identifier type, identifier).

    List cells are ``;``-separated; each identifier is stripped of spaces and of a leading
    apostrophe (which a spreadsheet-safe CSV puts before ``-Boc6OawEW0``), and page paths are
    normalised (:func:`reach.core.urls.normalise_path`).

    Parameters
    ----------
    registry : pandas.DataFrame
        The asset registry as read from CSV with every column as text.
    source : str
        Name of the file, for error messages.

    Returns
    -------
    pandas.DataFrame
        Columns ``id_type`` (path, video, post, campaign), ``identifier``, ``asset_id``,
        ``asset_title``, ``theme``, ``asset_type``.

    Raises
    ------
    InputValidationError
        If a required column is missing, an asset id is blank or repeated, or an identifier
        belongs to two assets.
    """
    missing = [c for c in REGISTRY_COLUMNS if c not in registry.columns]
    if missing:
        raise InputValidationError(
            f"the asset registry lacks column(s) {', '.join(missing)}; expected {', '.join(REGISTRY_COLUMNS)}",
            path=source,
        )
    rows = []
    seen_assets: set[str] = set()
    for position, record in enumerate(registry.to_dict("records"), start=2):
        asset_id = str(record["asset_id"] or "").strip()
        if not asset_id or asset_id.lower() == "nan":
            raise InputValidationError("asset_id is blank", path=source, row=position, column="asset_id")
        if asset_id in seen_assets:
            raise InputValidationError(
                "asset_id is used twice", path=source, row=position, column="asset_id", value=asset_id
            )
        seen_assets.add(asset_id)
        for column, id_type in IDENTIFIER_COLUMNS.items():
            cell = record[column]
            if cell is None or (isinstance(cell, float) and pd.isna(cell)) or cell is pd.NA:
                continue
            for identifier in str(cell).split(";"):
                identifier = _registry_identifier(identifier)
                if identifier:
                    if id_type == "path":
                        identifier = normalise_path(identifier)
                    rows.append(
                        {
                            "id_type": id_type,
                            "identifier": identifier,
                            "asset_id": asset_id,
                            "asset_title": str(record["title"]),
                            "theme": str(record["theme"]),
                            "asset_type": str(record["type"]),
                            "_line": position,
                        }
                    )
    table = pd.DataFrame(
        rows, columns=["id_type", "identifier", "asset_id", "asset_title", "theme", "asset_type", "_line"]
    )
    # A campaign tag may promote several assets; pages, videos and posts belong to one asset only.
    owned = table[table["id_type"] != "campaign"]
    clash = owned[owned.duplicated(["id_type", "identifier"], keep=False)]
    clash = clash.drop_duplicates(["id_type", "identifier", "asset_id"])
    clash = clash[clash.duplicated(["id_type", "identifier"], keep=False)]
    if not clash.empty:
        first = clash.iloc[-1]
        owners = ", ".join(sorted(clash["asset_id"].unique()))
        raise InputValidationError(
            f"{first['id_type']} identifier belongs to more than one asset ({owners})",
            path=source,
            row=int(first["_line"]),
            value=first["identifier"],
        )
    return table.drop(columns="_line").drop_duplicates().reset_index(drop=True)


def _registry_identifier(text: str) -> str:
    """One identifier of a registry list cell, without spaces or a spreadsheet's leading apostrophe.

    A value copied from a CSV that reach wrote for a spreadsheet (``unmatched_assets.csv``) may
    start with ``'``, which keeps a spreadsheet from reading ``-Boc6OawEW0`` as a formula. No
    page path, video id, post id or campaign tag starts with one, so it is dropped.

    Examples
    --------
    >>> _registry_identifier(" '-Boc6OawEW0 ")
    '-Boc6OawEW0'
    """
    text = text.strip()
    return text[1:].strip() if text.startswith("'") else text


def pattern_matches(path: str, pattern: str) -> bool:
    """Whether a normalised page path matches a registry path pattern (``*`` matches any characters).

    A pattern ending in ``/*`` also matches the section's own page: ``/section/*`` matches
    ``/section/`` (normalised to ``/section``) as well as every page under it.

    Parameters
    ----------
    path : str
        A path from :func:`reach.core.urls.normalise_path`.
    pattern : str
        A registry pattern, also normalised.

    Returns
    -------
    bool

    Examples
    --------
    >>> pattern_matches("/baby-sleep", "/baby-sleep/*"), pattern_matches("/baby-sleep/naps", "/baby-sleep/*")
    (True, True)
    >>> pattern_matches("/baby-sleepy", "/baby-sleep/*")
    False
    """
    if fnmatch.fnmatchcase(path, pattern):
        return True
    return pattern.endswith("/*") and path == (pattern[:-2] or "/")


def _lookup(keys: pd.Series, identifiers: pd.DataFrame, wildcard: bool) -> dict[str, tuple[str, str, str]]:
    """Map each distinct key to (asset_id, asset_title, theme): exact match first, then ``*`` patterns."""
    has_star = identifiers["identifier"].str.contains("*", regex=False)
    exact = identifiers[~has_star] if wildcard else identifiers
    patterns = identifiers[has_star] if wildcard else identifiers.iloc[0:0]
    table = {
        row.identifier: (row.asset_id, row.asset_title, row.theme) for row in exact.itertuples(index=False)
    }
    found: dict[str, tuple[str, str, str]] = {}
    for key in keys.dropna().unique():
        if key in table:
            found[key] = table[key]
            continue
        for row in patterns.itertuples(index=False):
            if pattern_matches(key, row.identifier):
                found[key] = (row.asset_id, row.asset_title, row.theme)
                break
    return found


def match_assets(frame: pd.DataFrame, column: str, id_type: str, identifiers: pd.DataFrame) -> pd.DataFrame:
    """Add the asset each row belongs to.

    Parameters
    ----------
    frame : pandas.DataFrame
        A tidy table; not modified.
    column : str
        The column holding the identifier (a page path, video id, post id or campaign tag).
    id_type : {"path", "video", "post", "campaign"}
        Which kind of identifier ``column`` holds.
    identifiers : pandas.DataFrame
        The output of :func:`parse_registry`.

    Returns
    -------
    pandas.DataFrame
        A copy of ``frame`` with ``asset_id``, ``asset_title`` and ``theme`` (missing where no
        asset matches). Paths are compared after :func:`normalise_path`; ``*`` in a registry path
        matches any characters, and ``/section/*`` also matches ``/section/`` itself
        (:func:`pattern_matches`).
    """
    result = frame.copy()
    subset = identifiers[identifiers["id_type"] == id_type]
    if id_type == "path":
        keys = result[column].map(normalise_path)
    else:
        keys = result[column].astype("str").str.strip()
    # A campaign tag shared by several assets names no single asset: it is left unmatched here.
    shared = subset["identifier"].duplicated(keep=False)
    found = _lookup(keys, subset[~shared], wildcard=(id_type == "path"))
    for position, name in enumerate(("asset_id", "asset_title", "theme")):
        mapping = {key: value[position] for key, value in found.items()}
        result[name] = keys.map(mapping).astype("str")
    return result
