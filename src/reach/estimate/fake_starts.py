"""Fake campaign starts in the baseline: how far a campaign model's intervals must be widened.

A campaign model (the counterfactual, or the web time series) gives an interval for the
campaign's effect from its own error model. Daily web traffic has runs and bursts (a post shared
on a busy weekend, a school-holiday lull) that neither model fully describes, so their intervals
can be too narrow. The baseline itself shows how wrong the model is: rerun it with the campaign
moved to stretches of the baseline where nothing happened ("fake starts", each as long as the
campaign), and compare each fake effect with the model's own standard error. If the model were
right, those standardised errors would have variance 1; their observed mean square says how much
wider the intervals must be. The campaign's interval then uses the wider standard error and a
Student *t* quantile with as many degrees of freedom as fake starts (the variance was estimated
from them), and is never narrower than the largest fake-start miss (a split-conformal bound, for
traffic whose bursts make the errors heavy-tailed), in the spirit of the placebo and conformal
checks for synthetic controls (Abadie et al. 2010; Chernozhukov, Wüthrich & Zhu 2021). The
widening is never below 1: a baseline quieter than the model expects does not narrow the
interval.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
from scipy import stats

from reach.core.intervals import _z

MIN_FAKE_STARTS = 3
"""Fewest usable fake starts needed to widen an interval; with fewer the model's own interval stands."""


def fake_windows(n_baseline: int, length: int, min_before: int) -> list[tuple[int, int]]:
    """Non-overlapping stretches of the baseline to play the campaign, latest first.

    Parameters
    ----------
    n_baseline : int
        Steps in the baseline (positions ``0 … n_baseline − 1``).
    length : int
        Steps per fake campaign (the real campaign's length).
    min_before : int
        Fewest baseline steps needed before a fake start (the model is fitted on them).

    Returns
    -------
    list of tuple of int
        ``(start, stop)`` positions, ``stop`` exclusive, the last one ending at ``n_baseline``.

    Examples
    --------
    A 60-day baseline, 14-day campaign, at least 28 days before each fake start:

    >>> fake_windows(60, 14, 28)
    [(46, 60), (32, 46)]
    """
    if length < 1:
        return []
    out = []
    stop = int(n_baseline)
    while stop - int(length) >= max(int(min_before), 1):
        out.append((stop - int(length), stop))
        stop -= int(length)
    return out


def fake_start_scale(standardised_errors: Iterable[float], level: float = 0.95) -> dict:
    """How much to widen a campaign interval, from the fake starts' standardised errors.

    Each error is ``(observed − predicted) / sd`` of one fake start on the scale the model's
    interval uses (e.g. the post-period sum, or the log rate ratio), with ``sd`` the model's own
    standard error. ``scale = sqrt(mean(error²))`` (the errors' mean is zero when nothing
    happened, so it is not estimated), and the interval's half-width becomes

    ``max(t_{K, (1+level)/2} · max(1, scale), max|error|) · sd``

    with ``K`` usable fake starts: the Student *t* interval with the variance the fake starts
    show, and never narrower than the largest fake-start miss. Traffic with bursts has heavier
    tails than a normal curve, so the first alone can be too narrow; the second is the
    split-conformal interval at level ``K / (K + 1)`` (exchangeable fake starts), which holds
    whatever the errors' shape. ``applied`` is the resulting factor on the model's
    ``quantile · sd``. With fewer than :data:`MIN_FAKE_STARTS` the model's own ``z`` interval
    stands (``calibrated`` is False).

    Parameters
    ----------
    standardised_errors : iterable of float
        One per fake start; non-finite values are left out.
    level : float
        Interval level.

    Returns
    -------
    dict
        ``fake_starts`` (K), ``scale`` (None without errors), ``largest`` (``max|error|``,
        None without errors), ``applied`` (the factor on ``quantile · sd``; 1 when not
        calibrated), ``quantile`` (the ``t`` or ``z`` multiplier) and ``calibrated`` (whether
        there were enough fake starts to use them).

    Examples
    --------
    Four fake starts whose errors are twice what the model expects: sqrt((4+4+4+4)/4) = 2, and
    the multiplier is Student t with 4 degrees of freedom, 2.776 (2 × 2.776 is wider than the
    largest miss, 2).

    >>> out = fake_start_scale([2.0, -2.0, 2.0, -2.0])
    >>> out["scale"], out["applied"], round(out["quantile"], 3), out["calibrated"]
    (2.0, 2.0, 2.776, True)

    One burst among ten quiet fake starts: the mean square is (9 × 0.25 + 100) / 10 = 10.225,
    scale 3.198, t (10 df) 2.228, so t · scale = 7.12, still below the burst's miss of 10: the
    interval is widened to 10 / 2.228 = 4.488 times the model's.

    >>> out = fake_start_scale([0.5, -0.5, 0.5, -0.5, 0.5, -0.5, 0.5, -0.5, 0.5, 10.0])
    >>> round(out["scale"], 3), round(out["applied"], 3)
    (3.198, 4.488)
    """
    errors = np.array([float(e) for e in standardised_errors], dtype=float)
    errors = errors[np.isfinite(errors)]
    k = int(errors.size)
    scale = float(math.sqrt(np.mean(errors**2))) if k else None
    largest = float(np.max(np.abs(errors))) if k else None
    if k < MIN_FAKE_STARTS:
        return {
            "fake_starts": k,
            "scale": scale,
            "largest": largest,
            "applied": 1.0,
            "quantile": _z(level),
            "calibrated": False,
        }
    quantile = float(stats.t.ppf((1 + level) / 2, df=k))
    return {
        "fake_starts": k,
        "scale": scale,
        "largest": largest,
        "applied": max(1.0, float(scale), float(largest) / quantile),
        "quantile": quantile,
        "calibrated": True,
    }


def calibration_words(calibration: dict) -> str:
    """How the fake starts changed an interval, in words for a method description.

    Parameters
    ----------
    calibration : dict
        From :func:`fake_start_scale`.

    Returns
    -------
    str

    Examples
    --------
    >>> calibration_words(fake_start_scale([2.0, -2.0, 2.0, -2.0]))[:60]
    'interval widened by 2.00 (errors at 4 fake starts in the bas'
    >>> calibration_words(fake_start_scale([1.0]))
    'interval not checked against fake starts (only 1 usable in the baseline)'
    """
    k = calibration["fake_starts"]
    if not calibration["calibrated"]:
        return f"interval not checked against fake starts (only {k} usable in the baseline)"
    return (
        f"interval widened by {calibration['applied']:.2f} (errors at {k} fake starts in the baseline "
        f"were {calibration['scale']:.2f} times the model expects) with a Student t ({k} df) multiplier"
    )
