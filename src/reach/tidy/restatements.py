"""Damaged files set apart (quarantine), and restatements.

A restatement is a value a platform changed after an earlier download.
"""

from __future__ import annotations

import pandas as pd

from reach.tidy.routing import SourceFile

QUARANTINE_COLUMNS = ("source_file", "line", "table", "reason")


RESTATEMENT_COLUMNS = ("table", "key", "column", "earlier", "later", "earlier_file", "later_file")


DAMAGE_REASONS = {
    "video": "video id damaged by an Excel re-save (#NAME?); it cannot be matched to an asset. Download the export again",
    "social_posts": "post id turned into scientific notation by an Excel re-save; it cannot be matched. "
    "Download the export again",
}


def split_damaged(frame: pd.DataFrame, source: SourceFile, table: str) -> tuple[pd.DataFrame, list[dict]]:
    """Set aside rows whose identifier an Excel re-save destroyed (``id_damaged``).

    Parameters
    ----------
    frame : pandas.DataFrame
        Rows of one export for one table; not modified.
    source : SourceFile
        The export they came from (its ``meta["_line"]`` gives each row's line in the file).
    table : str
        The processed table they were going to.

    Returns
    -------
    tuple
        ``(kept rows, quarantine records)``; each record has ``source_file``, ``line``,
        ``table`` and ``reason``.
    """
    if "id_damaged" not in frame or not frame["id_damaged"].fillna(False).astype(bool).any():
        return frame, []
    damaged = frame["id_damaged"].fillna(False).astype(bool).to_numpy()
    lines = list(source.export.meta.get("_line", []))
    records = []
    for position in damaged.nonzero()[0]:
        line = lines[position] if position < len(lines) else None
        reason = DAMAGE_REASONS.get(table, "identifier damaged by an Excel re-save")
        records.append({"source_file": source.relpath, "line": line, "table": table, "reason": reason})
    return frame[~damaged], records


def _empty_restatements() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="str") for c in RESTATEMENT_COLUMNS})


def restatements(frame: pd.DataFrame, table: str, key: list[str]) -> pd.DataFrame:
    """Values that a later export of the same keys changed (GA4 revises recent days, for example).

    Parameters
    ----------
    frame : pandas.DataFrame
        All rows of one table, earlier exports first (``_order``), duplicates still present.
    table : str
        Table name.
    key : list of str
        The columns that identify a row.

    Returns
    -------
    pandas.DataFrame
        One row per changed value: ``table``, ``key`` (``column=value`` pairs), ``column``,
        ``earlier``, ``later``, ``earlier_file``, ``later_file`` (all text). Rows repeated with
        identical values are not restatements and are not listed.
    """
    repeated = frame[frame.duplicated(subset=key, keep=False)]
    if repeated.empty:
        return _empty_restatements()
    measures = [c for c in frame.columns if c not in (*key, "source_file", "_order", "month")]
    records = []
    for key_values, group in repeated.groupby(key, sort=True, dropna=False):
        first, last = group.iloc[0], group.iloc[-1]
        values = key_values if isinstance(key_values, tuple) else (key_values,)
        label = ", ".join(f"{k}={v}" for k, v in zip(key, values, strict=True))
        for column in measures:
            before, after = first[column], last[column]
            if pd.isna(before) and pd.isna(after):
                continue
            if pd.isna(before) or pd.isna(after) or before != after:
                records.append(
                    {
                        "table": table,
                        "key": label,
                        "column": column,
                        "earlier": str(before),
                        "later": str(after),
                        "earlier_file": first["source_file"],
                        "later_file": last["source_file"],
                    }
                )
    return (
        pd.DataFrame(records, columns=list(RESTATEMENT_COLUMNS)).astype("str")
        if records
        else _empty_restatements()
    )


def occurrence_in_file(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    """Number identical rows within each file: 0 for the first copy, 1 for the second...

    Two people can give the same answers in the same minute, so for tables without a key
    (feedback) identical rows of one export are different rows. With this number added to the
    columns compared, only a row that another export holds again counts as a repeat, and the
    most copies any one export holds are kept.

    Parameters
    ----------
    frame : pandas.DataFrame
        Rows of one table with ``source_file``.
    columns : list of str
        The columns that make rows identical.

    Returns
    -------
    pandas.Series
        Integers aligned with ``frame``.

    Examples
    --------
    >>> rows = pd.DataFrame({"answer": ["Yes", "Yes", "No", "Yes"], "source_file": ["a", "a", "a", "b"]})
    >>> occurrence_in_file(rows, ["answer"]).tolist()
    [0, 1, 0, 0]
    """
    if frame.empty:
        return pd.Series([], index=frame.index, dtype="int64")
    keys = [c for c in columns if c in frame.columns]
    return frame.groupby([*keys, "source_file"], dropna=False, sort=False).cumcount()
