"""Multiplicity: the month's tests as one family, Benjamini–Hochberg q-values and verdicts.

A monthly report makes many comparisons (out-take changes and trends, engagement-rate changes,
campaign results). Tested one by one at 5 %, a year of reports would call some chance
fluctuation a "clear change" almost every time. So every test the month's impact section
reports enters one family (family = the month), the false discovery rate is controlled across
it with the Benjamini–Hochberg step-up procedure, and only a comparison the steering group
prespecified as *primary* (``impact.primary_comparisons``) may be worded as a clear change.
Everything else is "consistent with chance"; non-primary comparisons are exploratory.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
from statsmodels.stats.multitest import multipletests

MULTIPLICITY_METHOD = (
    "Benjamini–Hochberg false discovery rate across every test reported in the month's impact section "
    "(family = the month; statsmodels multipletests, method 'fdr_bh'); a clear change only for a "
    "prespecified primary comparison with q below 1 − level"
)

#: Verdict of every comparison that is not a prespecified primary with a small q-value.
CHANCE = "consistent with chance"


def bh_qvalues(p_values: Sequence[float | None]) -> list[float | None]:
    """Benjamini–Hochberg adjusted p-values (q-values); missing p-values stay None and are not counted.

    ``q_(i) = min_{j ≥ i} min(1, m · p_(j) / j)`` over the ``m`` p-values sorted in increasing
    order (the step-up procedure; statsmodels ``multipletests(method="fdr_bh")``).

    Parameters
    ----------
    p_values : sequence of float or None
        One p-value per test; None (or NaN) for a comparison that was not tested.

    Returns
    -------
    list of float or None
        The q-values, in the order given.

    Examples
    --------
    >>> [round(q, 4) for q in bh_qvalues([0.01, 0.04, 0.03, 0.005])]
    [0.02, 0.04, 0.04, 0.02]
    >>> bh_qvalues([0.2, None])
    [0.2, None]
    """
    keep = [i for i, p in enumerate(p_values) if p is not None and math.isfinite(float(p))]
    out: list[float | None] = [None] * len(p_values)
    if not keep:
        return out
    _, q, _, _ = multipletests(np.array([float(p_values[i]) for i in keep]), method="fdr_bh")
    for i, value in zip(keep, q, strict=True):
        out[i] = float(value)
    return out


def _direction(estimate: float | None) -> str | None:
    if estimate is None or not math.isfinite(float(estimate)) or float(estimate) == 0:
        return None
    return "rise" if float(estimate) > 0 else "fall"


def month_family(tests: Iterable[Mapping[str, Any]], primary: Sequence[str], level: float = 0.95) -> dict:
    """The month's family of tests: q-values, which are primary, and each one's verdict.

    A test's verdict is ``"rise"`` or ``"fall"`` (the sign of its ``estimate``: a difference,
    or a log ratio; pass ``direction`` instead when the estimate is a ratio) only when it is
    named in ``primary`` **and** its Benjamini–Hochberg q-value is below ``1 − level``; every
    other test is ``"consistent with chance"``. Tests without a p-value are left out.

    Parameters
    ----------
    tests : iterable of Mapping
        ``{"test": name, "p_value": p, "estimate": signed effect}`` (or ``"direction"``:
        ``"rise"``/``"fall"``); names must be unique.
    primary : sequence of str
        The prespecified primary comparisons (``impact.primary_comparisons``).
    level : float
        Confidence level; the false discovery rate is controlled at ``1 − level``.

    Returns
    -------
    dict
        ``method``, ``level``, ``false_discovery_rate``, ``tests_in_family``, ``primary`` (as
        given), ``primary_not_tested`` (primary names with no test this month) and ``tests``: a list
        of ``{"test", "p_value", "q_value", "primary", "verdict"}`` in the order given.

    Raises
    ------
    ValueError
        If two tests have the same name.

    Examples
    --------
    >>> family = month_family(
    ...     [{"test": "a.change", "p_value": 0.001, "estimate": 0.2},
    ...      {"test": "b.change", "p_value": 0.001, "estimate": -0.2}],
    ...     primary=["a.change"])
    >>> [(t["test"], round(t["q_value"], 3), t["verdict"]) for t in family["tests"]]
    [('a.change', 0.001, 'rise'), ('b.change', 0.001, 'consistent with chance')]
    """
    tested = [t for t in tests if t.get("p_value") is not None]
    names = [str(t["test"]) for t in tested]
    if len(set(names)) != len(names):
        raise ValueError(f"test names must be unique: {names}")
    alpha = round(1 - float(level), 12)
    q_values = bh_qvalues([float(t["p_value"]) for t in tested])
    wanted = [str(p) for p in primary]
    rows = []
    for test, name, q in zip(tested, names, q_values, strict=True):
        is_primary = name in wanted
        direction = test.get("direction") or _direction(test.get("estimate"))
        clear = is_primary and q is not None and q < alpha and direction is not None
        rows.append(
            {
                "test": name,
                "p_value": float(test["p_value"]),
                "q_value": q,
                "primary": is_primary,
                "verdict": direction if clear else CHANCE,
            }
        )
    return {
        "method": MULTIPLICITY_METHOD,
        "level": float(level),
        "false_discovery_rate": alpha,
        "tests_in_family": len(rows),
        "primary": wanted,
        "primary_not_tested": [p for p in wanted if p not in names],
        "tests": rows,
    }


def verdict_of(family: Mapping[str, Any] | None, test: str) -> dict | None:
    """One test's row of :func:`month_family` (``test``, ``p_value``, ``q_value``, ``primary``, ``verdict``).

    Parameters
    ----------
    family : Mapping or None
        From :func:`month_family` (the ``impact.multiplicity`` block of ``summary.json``).
    test : str
        The test's name, e.g. ``"helpful.change"``.

    Returns
    -------
    dict or None
        The row, or None when the test is not in the family (not tested this month).

    Examples
    --------
    >>> family = month_family([{"test": "a.change", "p_value": 0.5, "estimate": 0.1}], ["a.change"])
    >>> verdict_of(family, "a.change")["verdict"], verdict_of(family, "b.change")
    ('consistent with chance', None)
    """
    for row in (family or {}).get("tests", []):
        if row["test"] == test:
            return dict(row)
    return None
