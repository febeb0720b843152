"""The feedback form's parents: who among them saw something online (a description of respondents, not coverage)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from reach.core.months import shift_month
from reach.estimate.base import CHANNELS
from reach.estimate.overlap import survey_incidence


def responding_parents_counts(incidence: pd.DataFrame, min_parents: int = 15) -> dict | None:
    """How many Norfolk parents/carers answered "where did you see …", and how many named an online channel.

    These describe the parents who answered the online form, not families with a newborn: parents
    reached online are likelier to answer an online form (coverage comes from the health
    visitors' recall return, :mod:`reach.estimate.recall`).

    Parameters
    ----------
    incidence : pandas.DataFrame
        From :func:`survey_incidence` (any rows; parents in Norfolk districts are selected).
    min_parents : int
        Fewest parents for a figure.

    Returns
    -------
    dict or None
        None when there are too few parents; else ``parents`` and ``online``.

    Examples
    --------
    >>> inc = pd.DataFrame({"web": [1, 0, 1], "video": 0, "social": 0, "parent": True,
    ...                     "district_code": ["E07000148", "E07000148", "outside"]})
    >>> responding_parents_counts(inc, min_parents=2)
    {'parents': 2, 'online': 1}
    """
    if incidence is None or len(incidence) == 0:
        return None
    fam = incidence[incidence["parent"].astype(bool) & incidence["district_code"].str.startswith("E07")]
    if len(fam) < min_parents:
        return None
    return {"parents": len(fam), "online": int((fam[list(CHANNELS)].sum(axis=1) > 0).sum())}


def _survey_for(tables: Mapping[str, pd.DataFrame], month: str, cfg: Mapping[str, Any], need: str) -> tuple:
    """The month's survey incidence, pooled over more months when too small. Returns (incidence, months)."""
    feedback = tables.get("feedback")
    pool = max(1, int(cfg["survey_pool_months"]))
    last = None
    for size in dict.fromkeys((1, pool)):
        months = [shift_month(month, -k) for k in range(size - 1, -1, -1)]
        inc = survey_incidence(feedback, months, cfg["survey_channel_keywords"])
        last = (inc, months)
        if need == "online":
            n = int((inc[list(CHANNELS)].sum(axis=1) > 0).sum()) if len(inc) else 0
            if n >= cfg["survey_min_respondents"]:
                return last
        else:
            fam = (
                inc[inc["parent"].astype(bool) & inc["district_code"].str.startswith("E07")]
                if len(inc)
                else inc
            )
            if len(fam) >= cfg["survey_min_parents"]:
                return last
    return last
