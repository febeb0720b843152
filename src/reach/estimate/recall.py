"""Coverage of families with a newborn, from the health visitors' prompted-recall return.

The estimand: the share of Norfolk families with a newborn who, asked at the new-birth visit,
recall seeing at least one of the partnership's safer-sleep assets (web page, video, social post,
leaflet or QR code). Each district's share is ``recalled_any / families_asked`` with a Wilson
interval; the county share weights the districts by their births. A count the provider suppressed
(``*``, meaning 1 to 7) makes that district a **bound** (the interval spans 1 to 7 recalled); a
district with no row, too few families asked, or a suppressed number asked is **not measured**,
and the county figure is then a bound that lets each such district be anywhere from 0 % to 100 %.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from reach.core.disclosure import NHS_RULE
from reach.estimate.base import _month_rows, _wilson
from reach.estimate.geography import DISTRICTS

RECALL_ASSUMPTIONS: tuple[str, ...] = (
    "families asked at the new-birth visit are like all the district's families with a newborn that month",
    "the visit's recall refers to the weeks around the birth, not one calendar month exactly",
)
"""What the recall-based coverage assumes (shown beside every figure built on it), besides recall accuracy."""


def recall_accuracy_assumption(sensitivity: Mapping[str, float], false_recall: Mapping[str, float]) -> str:
    """The recall-accuracy assumption in words, for the ``assumptions`` list.

    Examples
    --------
    >>> recall_accuracy_assumption({"low": 0.85, "high": 1.0}, {"low": 0.0, "high": 0.05})[:60]
    'a family reached remembers it with a chance of 85% to 100%; '
    """
    return (
        f"a family reached remembers it with a chance of {sensitivity['low']:.0%} to {sensitivity['high']:.0%}; "
        f"one not reached wrongly recalls an asset with a chance of {false_recall['low']:.0%} to "
        f"{false_recall['high']:.0%}"
    )


def allow_recall_error(
    share: Mapping[str, float | None], sensitivity: Mapping[str, float], false_recall: Mapping[str, float]
) -> dict:
    """Widen a recalled share's limits to cover the share *reached*, for recall accuracy in the given ranges.

    ``recalled = s·reached + f·(1 − reached)``, so ``reached = (recalled − f)/(s − f)``
    (:func:`recall_corrected`), which falls as ``s`` or ``f`` rises. The lower limit uses the
    highest ``s`` and ``f``, the upper limit the lowest; the best estimate (the share who recall)
    is kept. Exact recall (both ranges at 1 and 0) changes nothing.

    Examples
    --------
    >>> out = allow_recall_error({"estimate": 0.6, "low": 0.5, "high": 0.7},
    ...                          {"low": 0.8, "high": 1.0}, {"low": 0.0, "high": 0.05})
    >>> round(out["low"], 4), round(out["high"], 4), out["estimate"]
    (0.4737, 0.875, 0.6)
    """
    if not 0 <= false_recall["low"] <= false_recall["high"] < sensitivity["low"] <= sensitivity["high"] <= 1:
        raise ValueError(
            "recall accuracy needs 0 <= recall_false_rate low <= high < recall_sensitivity low <= high <= 1, "
            f"got {dict(false_recall)} and {dict(sensitivity)}"
        )
    out = dict(share)
    if share.get("low") is not None:
        out["low"] = recall_corrected(share["low"], sensitivity["high"], false_recall["high"])
    if share.get("high") is not None:
        out["high"] = recall_corrected(share["high"], sensitivity["low"], false_recall["low"])
    estimate = share.get("estimate")
    if estimate is not None and out["low"] is not None and not out["low"] <= estimate <= out["high"]:
        out["estimate"] = (
            None  # recall known to be poor: the share who recall is no estimate of the share reached
        )
    return out


def _share(successes: int, trials: int, level: float) -> dict:
    low, high = _wilson(successes, trials, level)
    return {"estimate": successes / trials, "low": low, "high": high}


def _count(row: Mapping, column: str) -> int | None:
    value = row.get(column)
    return None if value is None or pd.isna(value) else int(value)


def _is_suppressed(row: Mapping, column: str) -> bool:
    return column in str(row.get("suppressed") or "").split(";")


def district_recall(row: Mapping | None, level: float = 0.95, min_asked: int = NHS_RULE["high"] + 1) -> dict:
    """One district's recall share from its row of the return: an estimate, a bound or not measured.

    Under the NHS rule no count of 1 to 7 may be worked back from what is shown, so when the
    families recalling, or those asked who did not recall, number 1 to 7 (the provider's ``*``,
    or a count it sent), the district is a **bound**: the range of shares such a count allows.
    The county figure then takes the district at that range too (:func:`recall_coverage`).

    Parameters
    ----------
    row : Mapping or None
        The district's row (``families_asked``, ``recalled_any``, ``suppressed``, …), or None.
    level : float
        Confidence level.
    min_asked : int
        Fewest families asked for a figure (below it the share could reveal a count of 1 to 7).

    Returns
    -------
    dict
        ``kind`` (``"estimate"``, ``"bound"`` or ``"not measured"``), ``estimate``, ``low``,
        ``high`` (None when not measured; ``estimate`` None for a bound), ``asked``, ``recalled``
        (None unless known) and ``reason``.

    Examples
    --------
    >>> r = district_recall({"families_asked": 80, "recalled_any": 52, "suppressed": ""})
    >>> r["kind"], r["estimate"], (round(r["low"], 3), round(r["high"], 3))
    ('estimate', 0.65, (0.541, 0.745))
    >>> r = district_recall({"families_asked": 70, "recalled_any": None, "suppressed": "recalled_any"})
    >>> r["kind"], r["estimate"], (round(r["low"], 4), round(r["high"], 3))
    ('bound', None, (0.0025, 0.192))
    >>> district_recall(None)["kind"]
    'not measured'
    >>> district_recall({"families_asked": 80, "recalled_any": 75, "suppressed": ""})["kind"]  # 5 did not
    'bound'
    """
    empty = {"estimate": None, "low": None, "high": None, "asked": None, "recalled": None}
    if row is None:
        return {**empty, "kind": "not measured", "reason": "no row in the recall return"}
    asked = _count(row, "families_asked")
    if asked is None or asked < min_asked:
        why = (
            "suppressed"
            if _is_suppressed(row, "families_asked")
            else "missing"
            if asked is None
            else "too few"
        )
        return {**empty, "kind": "not measured", "reason": f"families asked {why}"}
    recalled = _count(row, "recalled_any")
    small = range(NHS_RULE["low"], NHS_RULE["high"] + 1)
    if recalled is not None and recalled not in small and asked - recalled not in small:
        return {**_share(recalled, asked, level), "kind": "estimate", "asked": asked, "recalled": recalled,
                "reason": ""}  # fmt: skip
    if recalled is not None and asked - recalled in small:
        # Shown as a share, the few who did not recall could be worked back: show their range only.
        low = _wilson(asked - NHS_RULE["high"], asked, level)[0]
        high = _wilson(asked - NHS_RULE["low"], asked, level)[1]
        return {"estimate": None, "low": low, "high": high, "kind": "bound", "asked": asked, "recalled": None,
                "reason": "families not recalling number 1 to 7, so only their range is shown (NHS rule)"}  # fmt: skip
    if recalled is not None or _is_suppressed(row, "recalled_any"):
        low = _wilson(NHS_RULE["low"], asked, level)[0]
        high = _wilson(NHS_RULE["high"], asked, level)[1]
        return {"estimate": None, "low": low, "high": high, "kind": "bound", "asked": asked, "recalled": None,
                "reason": "families recalling number 1 to 7, so only their range is shown (NHS rule)"}  # fmt: skip
    return {**empty, "kind": "not measured", "asked": asked, "reason": "families recalling not collected"}


def _weighted(parts: list[tuple[float, dict]], level: float) -> dict:
    """Births-weighted share over districts with an estimate: Wilson on the effective sample size."""
    total = sum(w for w, _ in parts)
    p = sum(w * d["estimate"] for w, d in parts) / total
    var = sum((w / total) ** 2 * d["estimate"] * (1 - d["estimate"]) / d["asked"] for w, d in parts)
    n = sum(d["asked"] for _, d in parts)
    n_eff = p * (1 - p) / var if var > 0 else n
    low, high = _wilson(p * n_eff, n_eff, level)
    return {"estimate": p, "low": low, "high": high}


def recall_coverage(
    hv_recall: pd.DataFrame | None,
    month: str,
    births: Mapping[str, float],
    level: float = 0.95,
    min_asked: int = NHS_RULE["high"] + 1,
) -> dict | None:
    """County and district coverage of families with a newborn from the month's recall return.

    The county share is ``Σ w_d p_d`` with ``w_d`` each district's share of the period's births;
    its interval is Wilson's on the effective sample size ``p(1−p)/Var`` with
    ``Var = Σ w_d² p_d(1−p_d)/n_d``. Districts that are only bounded or not measured enter at
    their own limits (0 % and 100 % when not measured): the county figure is then a ``bound``
    whose ``estimate`` is None.

    Parameters
    ----------
    hv_recall : pandas.DataFrame or None
        Processed ``hv_recall`` (``month``, ``district_code``, the counts, ``suppressed``).
    month : str
        ``YYYY-MM``.
    births : Mapping of str to float
        Births in the period per district code (weights).
    level : float
        Confidence level.
    min_asked : int
        Fewest families asked for a district figure.

    Returns
    -------
    dict or None
        None without rows for the month; else ``county`` (kind, estimate, low, high,
        ``asked``), ``districts`` (code → :func:`district_recall`), ``channels`` (web, video,
        social, leaflet: county share recalling each, births-weighted over districts with the
        count, or None). Its assumptions are :data:`RECALL_ASSUMPTIONS` and :func:`recall_accuracy_assumption`.

    Examples
    --------
    >>> rows = pd.DataFrame({"month": ["2026-10"] * 2, "district_code": ["E07000143", "E07000144"],
    ...                      "families_asked": [100, 100], "recalled_any": [50, 70],
    ...                      "recalled_web": [20, 30], "recalled_video": [10, 10],
    ...                      "recalled_social": [30, 30], "recalled_leaflet": [40, 50], "suppressed": ["", ""]})
    >>> out = recall_coverage(rows, "2026-10", {"E07000143": 100.0, "E07000144": 300.0})
    >>> out["county"]["kind"], round(out["county"]["estimate"], 3)
    ('estimate', 0.65)
    >>> out["districts"]["E07000144"]["estimate"], round(out["channels"]["web"]["estimate"], 3)
    (0.7, 0.275)
    """
    rows = _month_rows(hv_recall, month)
    if len(rows) == 0:
        return None
    by_code = {str(r["district_code"]): r for r in rows.to_dict("records")}
    districts = {code: district_recall(by_code.get(code), level, min_asked) for code, _ in DISTRICTS}
    total = sum(float(births.get(code, 0.0)) for code, _ in DISTRICTS)
    weights = {
        code: float(births.get(code, 0.0)) / total if total > 0 else 1 / len(DISTRICTS)
        for code, _ in DISTRICTS
    }
    measured = [(weights[c], d) for c, d in districts.items() if d["kind"] == "estimate" and weights[c] > 0]
    rest = [(weights[c], d) for c, d in districts.items() if not (d["kind"] == "estimate" and weights[c] > 0)]
    county: dict = {"estimate": None, "low": None, "high": None}
    if measured or any(d["kind"] == "bound" for _, d in rest):
        share = _weighted(measured, level) if measured else {"estimate": None, "low": 0.0, "high": 0.0}
        w_m = sum(w for w, _ in measured)
        # A district shown only as a range enters at its range, so the county gives none of it back.
        low = w_m * share["low"] + sum(w * (d["low"] or 0.0) for w, d in rest)
        high = w_m * share["high"] + sum(w * (1.0 if d["high"] is None else d["high"]) for w, d in rest)
        complete = math.isclose(w_m, 1.0)
        county = {"estimate": share["estimate"] if complete else None, "low": low, "high": high}
    kind = (
        "not measured" if county["low"] is None else "estimate" if county["estimate"] is not None else "bound"
    )
    asked = sum(d["asked"] for d in districts.values() if d["asked"] is not None)
    return {
        "county": {**county, "kind": kind, "asked": asked},
        "districts": districts,
        "channels": {
            c: _channel_share(rows, column, weights, level) for c, column in _CHANNEL_COLUMNS.items()
        },
    }


_CHANNEL_COLUMNS = {
    "web": "recalled_web",
    "video": "recalled_video",
    "social": "recalled_social",
    "leaflet": "recalled_leaflet",
}


def _channel_share(
    rows: pd.DataFrame, column: str, weights: Mapping[str, float], level: float
) -> dict | None:
    """Births-weighted county share recalling one channel, over the districts that report it."""
    parts = []
    for row in rows.to_dict("records"):
        asked, k = _count(row, "families_asked"), _count(row, column)
        w = weights.get(str(row["district_code"]), 0.0)
        if asked and k is not None and w > 0:
            parts.append((w, {"estimate": k / asked, "asked": asked}))
    if not parts:
        return None
    return {**_weighted(parts, level), "districts": len(parts)}


def recall_corrected(share: float, sensitivity: float = 1.0, false_recall: float = 0.0) -> float:
    """The true share reached, if families recall a seen asset with ``sensitivity``, an unseen one with ``false_recall``.

    ``recalled = sensitivity·reached + false_recall·(1 − reached)``, solved for ``reached``
    (the Rogan–Gladen correction), clipped to 0..1.

    Examples
    --------
    >>> round(recall_corrected(0.6, 0.8, 0.0), 4), round(recall_corrected(0.6, 1.0, 0.05), 4)
    (0.75, 0.5789)
    """
    return min(1.0, max(0.0, (share - false_recall) / (sensitivity - false_recall)))


def response_bias_corrected(share: float, odds: float) -> float:
    """The share among all parents if those who saw something online are ``odds`` times as likely to answer.

    Answering shifts the odds of having seen something by the factor ``odds``, so the share
    among all parents is ``s / (k − (k − 1)·s)`` for an observed share ``s``.

    Examples
    --------
    >>> response_bias_corrected(0.75, 3.0)
    0.5
    """
    return share / (odds - (odds - 1) * share)
