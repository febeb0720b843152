"""The feedback form's parents: who among them saw something online (a description of respondents, not coverage)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from reach.core.months import shift_month
from reach.estimate.base import CHANNELS, _p, _wilson
from reach.estimate.overlap import chapman, survey_incidence


def family_coverage(incidence: pd.DataFrame, level: float = 0.95, min_parents: int = 15) -> dict | None:
    """Share of Norfolk families with a newborn reached online, from the parents in the survey.

    Parents/carers who live in a Norfolk district and answered "where did you see …" are taken
    as a sample of families who received safer-sleep information from *some* source. The share
    who saw at least one online channel has a Wilson interval. Families who received nothing at
    all cannot answer, so the share is corrected by two-source capture–recapture between the
    online list and the offline list (leaflet, health visitor or midwife, other):
    ``coverage = n_online / N̂`` with ``N̂`` Chapman's estimate of all families at the
    survey's scale; the interval multiplies the Wilson limits by ``n / N̂`` at the far ends of
    Chao's interval.

    Parameters
    ----------
    incidence : pandas.DataFrame
        From :func:`survey_incidence` (any rows; parents in Norfolk districts are selected).
    level : float
        Confidence level.
    min_parents : int
        Fewest parents for an estimate.

    Returns
    -------
    dict or None
        None when there are too few parents; else ``coverage`` ({estimate, low, high}),
        ``parents``, ``online``, ``offline``, ``both``, ``chapman`` (dict or None), ``exposed_share``
        ({estimate, low, high}: families with any exposure), ``method``.
    """
    if incidence is None or len(incidence) == 0:
        return None
    fam = incidence[incidence["parent"].astype(bool) & incidence["district_code"].str.startswith("E07")]
    n = len(fam)
    if n < min_parents:
        return None
    online = fam[list(CHANNELS)].sum(axis=1) > 0
    offline = fam["offline"].astype(int) > 0
    n_on, n_off, both = int(online.sum()), int(offline.sum()), int((online & offline).sum())
    w_low, w_high = _wilson(n_on, n, level)
    cr = None
    if both >= 1 and n_off >= 1 and n_on >= 1:
        cr = chapman(n_on, n_off, both, level)
        f_est, f_low, f_high = n / cr["estimate"], n / cr["high"], n / cr["low"]
        correction = "two-source Chapman (online × offline)"
    else:
        f_est = f_low = f_high = 1.0
        correction = (
            "no correction possible (no parent saw both online and offline sources): "
            "assumes every family got some information"
        )
    estimate = (n_on / n) * f_est
    method = (
        f"survey of {n} Norfolk parents/carers: share reached online (Wilson {level:.0%}) × share of families "
        f"reached by any source ({correction})"
    )
    return {
        "coverage": _p(estimate, w_low * f_low, w_high * f_high),
        "parents": n,
        "online": n_on,
        "offline": n_off,
        "both": both,
        "chapman": cr,
        "exposed_share": _p(f_est, f_low, f_high),
        "method": method,
    }


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
