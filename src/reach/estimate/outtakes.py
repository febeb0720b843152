"""Out-takes from family feedback.

What families understood and intend to do, with intervals and trend tests.
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import statsmodels.api as sm
from statsmodels.stats import proportion as sm_proportion
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import proportion_effectsize

from reach.config import HELPFUL_YES, INTENDS_CHANGE_YES, KEY_MESSAGE_DISTRACTORS, KEY_MESSAGES
from reach.core.intervals import NEWCOMBE, WILSON, difference_interval, proportion_interval
from reach.core.months import previous_months
from reach.estimate.small_cells import (  # noqa: F401 - share_hidden, secondary_suppression re-exported
    _small,
    _suppressor,
    _visible,
    revealed,
    secondary_suppression,
    share_hidden,
    total_known,
)

TREND_METHOD = (
    "logistic regression of the answer on month (Wald test of the slope; quasi-binomial, t test, "
    "when the months vary more than binomial chance)"
)


_FAMILIES = ("poisson", "quasipoisson", "ols_hac")


def _leaf(successes: int, trials: int, level: float, min_n: int, shown) -> dict:
    """``{"estimate", "low", "high", "n"}`` with Wilson limits, or suppressed (None) values.

    ``n`` is the count as it may be shown (NHS rule). The percentage is withheld when the group
    has fewer than ``min_n`` answers or when its numerator, its denominator or the number not
    saying yes would be hidden (:func:`share_hidden`).
    """
    n_shown = shown(trials)
    hidden = trials == 0 or trials < min_n or _small(shown, successes, trials)
    if hidden:
        return {"estimate": None, "low": None, "high": None, "n": n_shown}
    low, high = proportion_interval(successes, trials, level, "wilson")
    return {"estimate": successes / trials, "low": low, "high": high, "n": n_shown}


# ---------------------------------------------------------------------------------------
# Out-takes from the feedback form
# ---------------------------------------------------------------------------------------


def _norm(text: object) -> str:
    return re.sub(r"\s+", " ", str(text).replace("\u2019", "'")).strip().casefold()


def feedback_outcomes(
    feedback: pd.DataFrame,
    *,
    key_messages: Sequence[str] = KEY_MESSAGES,
    distractors: Sequence[str] = KEY_MESSAGE_DISTRACTORS,
    helpful_yes: str = HELPFUL_YES,
    intends_change_yes: str = INTENDS_CHANGE_YES,
) -> pd.DataFrame:
    """Code each feedback response as yes / no / missing on the three out-take measures.

    Definitions (the same as the sample's planted true rates):

    - ``helpful``: answered "Yes" to "Was the information helpful?"; "No" and "Not sure" count
      as not helpful, blanks are left out.
    - ``key_messages``: ticked *all three* key messages (on their back; clear, flat cot or
      Moses basket; own sleep space, alone) and *none* of the distractors ("Swaddled with a
      loose blanket"). Ticking the room-temperature option, which is also sound advice, does
      not count against. A blank answer is left out.
    - ``intends_change``: answered "Yes, I will change something". "No, I already do this",
      "No" and "Not sure" count as no; blanks are left out.

    Parameters
    ----------
    feedback : pandas.DataFrame
        Processed ``feedback`` table (``month``, ``respondent_type``, ``district``,
        ``helpful``, ``key_messages`` (options joined by ``;``), ``intends_change``).
    key_messages, distractors : sequence of str
        Option texts, matched case-insensitively.
    helpful_yes, intends_change_yes : str
        The answer that counts as yes.

    Returns
    -------
    pandas.DataFrame
        ``month``, ``respondent_type``, ``district`` and one nullable boolean column per
        measure (``helpful``, ``key_messages``, ``intends_change``).
    """
    wanted = {_norm(m) for m in key_messages}
    wrong = {_norm(m) for m in distractors}

    def answered(column: str, yes: str) -> pd.Series:
        text = feedback[column].astype("string")
        normed = text.map(lambda v: _norm(v) if isinstance(v, str) else "", na_action=None)
        out = pd.Series((normed == _norm(yes)).to_numpy(), index=feedback.index, dtype="boolean")
        out[normed == ""] = pd.NA
        return out

    def stated(value: object) -> object:
        if not isinstance(value, str) or not value.strip():
            return pd.NA
        ticked = {_norm(part) for part in value.split(";") if part.strip()}
        return wanted <= ticked and not (ticked & wrong)

    frame = pd.DataFrame(
        {
            "month": feedback["month"].astype("string"),
            "respondent_type": feedback["respondent_type"].astype("string"),
            "district": feedback["district"].astype("string"),
            "helpful": answered("helpful", helpful_yes),
            "key_messages": feedback["key_messages"].astype("object").map(stated).astype("boolean"),
            "intends_change": answered("intends_change", intends_change_yes),
        },
        index=feedback.index,
    )
    return frame.reset_index(drop=True)


MEASURE_LABELS = {
    "helpful": "found the information helpful",
    "key_messages": "ticked all three key safer-sleep messages and no wrong option",
    "intends_change": "said they will change something about how their baby sleeps",
}


def _counts(values: pd.Series) -> tuple[int, int]:
    answered = values.dropna()
    return int(answered.astype(bool).sum()), int(answered.size)


def trend_test(successes: Sequence[int], trials: Sequence[int], level: float = 0.95) -> dict:
    """Test for a linear trend in a proportion over consecutive periods (logistic regression).

    Fits ``logit P(yes) = a + b·t`` (binomial GLM on the grouped counts, t = 0, 1, …) and
    tests ``b = 0`` with a Wald test; with equally spaced periods this is the Cochran–Armitage
    question asked with a likelihood model. Respondents differ from month to month in ways a
    binomial model does not know about (which channel promoted the form, who answered), so when
    the periods vary more than binomial chance allows (Pearson χ² / residual df above 1) the
    model is quasi-binomial: standard errors are scaled by that dispersion and the test and
    interval use the t distribution with the residual df. Periods with no answers are left out
    (their ``t`` is kept, so gaps are not closed up).

    Parameters
    ----------
    successes, trials : sequence of int
        Yes-counts and answer counts per period, oldest first.
    level : float
        Confidence level of the odds-ratio interval.

    Returns
    -------
    dict
        ``odds_ratio_per_period``, ``low``, ``high``, ``p_value``, ``dispersion`` (the scale
        used, at least 1), ``periods`` (with answers), ``n`` (total answers), ``method``; the first
        five are None with fewer than 3 periods or when every answer is the same.

    Examples
    --------
    >>> result = trend_test([10, 13, 16, 19, 22, 25], [50] * 6)
    >>> round(result["odds_ratio_per_period"], 2), result["p_value"] < 0.01
    (1.31, True)
    """
    k = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    t = np.arange(k.size, dtype=float)
    keep = n > 0
    out = {
        "odds_ratio_per_period": None,
        "low": None,
        "high": None,
        "p_value": None,
        "dispersion": None,
        "periods": int(keep.sum()),
        "n": int(n.sum()),
        "method": TREND_METHOD,
    }
    if keep.sum() < 3 or k[keep].sum() in (0, n[keep].sum()):
        return out
    endog = np.column_stack([k[keep], n[keep] - k[keep]])
    exog = np.column_stack([np.ones(keep.sum()), t[keep]])
    model = sm.GLM(endog, exog, family=sm.families.Binomial())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = model.fit()
        dispersion = float(fit.pearson_chi2 / fit.df_resid) if fit.df_resid > 0 else 1.0
        if dispersion > 1:
            # A float scale, not scale="X2": with (yes, no) counts statsmodels' X2 estimate is
            # taken on the per-answer scale, n times too small.
            fit = model.fit(scale=dispersion, use_t=True)
    b = float(fit.params[1])
    low, high = (float(v) for v in np.asarray(fit.conf_int(alpha=1 - level))[1])
    out.update(
        odds_ratio_per_period=math.exp(b),
        low=math.exp(low),
        high=math.exp(high),
        p_value=float(fit.pvalues[1]),
        dispersion=max(1.0, dispersion),
    )
    return out


_BREAKDOWNS = ("respondent_type", "district")


def _withheld_leaf(leaf: dict) -> dict:
    return {**leaf, "estimate": None, "low": None, "high": None}


def _group_counts(this: pd.DataFrame, column: str, measure: str) -> dict[str, tuple[int, int]]:
    """(yes-answers, answers) of a measure per value of ``column`` (blank: ``"(not answered)"``), sorted."""
    values = this[measure]
    keys = this[column].astype("string").fillna("(not answered)").astype(str).to_numpy()
    frame = pd.DataFrame(
        {
            "k": values.fillna(False).astype(bool).astype(int).to_numpy(),
            "n": values.notna().astype(int).to_numpy(),
        }
    )
    sums = frame.groupby(keys, sort=True).sum()
    return {str(name): (int(row.k), int(row.n)) for name, row in sums.iterrows()}


def _measure_leaves(
    this: pd.DataFrame, measure: str, level: float, min_n: int, shown
) -> tuple[dict, dict[str, dict[str, dict]]]:
    """The month's overall leaf and its breakdowns (unanswered grouped together), suppressed.

    Primary suppression withholds each share with a count of 1 to 7 behind it (or too few
    answers). Then, while a reader could work a count of 1 to 7 out of a breakdown against the
    total (:func:`revealed`; the total known exactly from its share, or from its shown count and
    the other breakdown, :func:`total_known`), the next share is withheld: the breakdown's shown
    group with the fewest answers; without one, the total's share; then the other breakdown's
    smallest shown group. When nothing is left to withhold and the shown counts alone still pin
    a count (a total of "15" from "*", "10", "10"), the withheld groups' counts are shown as
    ``"*"`` (secondary suppression of counts).
    """
    total = _counts(this[measure])
    overall = _leaf(*total, level, min_n, shown)
    counts, leaves, withheld = {}, {}, {}
    for column in _BREAKDOWNS:
        counts[column] = _group_counts(this, column, measure)
        leaves[column] = {name: _leaf(k, n, level, min_n, shown) for name, (k, n) in counts[column].items()}
        withheld[column] = {
            name
            for name, leaf in leaves[column].items()
            if leaf["estimate"] is None and counts[column][name][1] > 0
        }
    texts: dict[str, dict[str, str]] = {column: {} for column in _BREAKDOWNS}
    total_shown = overall["estimate"] is not None
    smallest = lambda pairs: min(pairs, key=lambda p: (counts[p[0]][p[1]][1], p))  # noqa: E731
    while True:
        known = None if total_shown else total_known(total, counts, withheld, shown, texts)
        bad = [c for c in _BREAKDOWNS if revealed(counts[c], withheld[c], shown, known, texts[c])]
        if not bad:
            break
        column = bad[0]
        own = [(column, g) for g in _visible(counts[column], withheld[column])]
        others = [(c, g) for c in _BREAKDOWNS if c != column for g in _visible(counts[c], withheld[c])]
        if own:
            withheld[column].add(smallest(own)[1])
        elif total_shown:
            total_shown = False
        elif others:
            name, group = smallest(others)
            withheld[name].add(group)
        else:
            starred = {
                g: "*" for g in withheld[column] if counts[column][g][1] > 0 and texts[column].get(g) != "*"
            }
            if not starred:
                break
            texts[column].update(starred)
    for column in _BREAKDOWNS:
        for name in withheld[column]:
            leaves[column][name] = _withheld_leaf(leaves[column][name])
        for name, text in texts[column].items():
            leaves[column][name]["n"] = text
    return (overall if total_shown else _withheld_leaf(overall)), leaves


CHANGE_TEST = "score test of the difference (Miettinen–Nurminen; statsmodels test_proportions_2indep)"


def _month_change(
    counts: tuple[int, int], previous: tuple[int, int], overall: dict, before: dict, level: float
) -> dict:
    """The change from last month to this one (Newcombe interval, score-test p-value).

    Everything is None where either month's share is withheld (small groups, NHS rule), so no
    withheld share can be worked back from a shown change.
    """
    k, n = counts
    k0, n0 = previous
    change = {
        "estimate": None,
        "low": None,
        "high": None,
        "n": overall["n"],
        "n_previous": before["n"],
        "p_value": None,
    }
    if overall["estimate"] is not None and before["estimate"] is not None:
        diff, low, high = difference_interval(k, n, k0, n0, level)
        change.update(estimate=diff, low=low, high=high, p_value=_change_p_value(k, n, k0, n0))
    change["method"] = NEWCOMBE
    change["test_method"] = CHANGE_TEST
    return change


def _change_p_value(k: int, n: int, k0: int, n0: int) -> float:
    """Two-sided p-value of ``k/n − k0/n0 = 0`` (score test); 1.0 when both shares are 0 or both 1."""
    if k + k0 in (0, n + n0):
        return 1.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = sm_proportion.test_proportions_2indep(k, n, k0, n0, value=0, method="score", compare="diff")
    p = float(result.pvalue)
    return p if math.isfinite(p) else 1.0


def overall_share_withheld(
    feedback: pd.DataFrame,
    month: str,
    measure: str = "helpful",
    *,
    min_n: int = 10,
    level: float = 0.95,
    suppression: Mapping[str, int] | None = None,
    **answers: Any,
) -> bool:
    """Whether a month's overall share of a measure is withheld, as :func:`outtakes` decides it.

    Withheld when fewer than ``min_n`` answered, when a count behind it is 1 to 7
    (:func:`share_hidden`), or when, shown, it would give a count of 1 to 7 back from the
    breakdowns by respondent type or district with every group withheld (:func:`revealed`).
    Other outputs showing the same share (the At a glance tile, the trend chart) use this so
    every output withholds it alike.

    Parameters
    ----------
    feedback : pandas.DataFrame
        Processed ``feedback`` table (``respondent_type`` and ``district`` may be absent).
    month : str
        The month (rows whose ``month`` equals it).
    measure : str
        ``helpful``, ``key_messages`` or ``intends_change``.
    min_n, level, suppression
        As for :func:`outtakes`.
    **answers
        ``key_messages``, ``distractors``, ``helpful_yes``, ``intends_change_yes`` of :func:`feedback_outcomes`.

    Returns
    -------
    bool

    Examples
    --------
    >>> form = pd.DataFrame({"month": ["2026-10"] * 20, "helpful": ["Yes"] * 12 + ["No"] * 8})
    >>> overall_share_withheld(form, "2026-10"), overall_share_withheld(form.iloc[:19], "2026-10")
    (False, True)
    """
    rows = feedback[feedback["month"].astype("string") == month].copy()
    for column in ("respondent_type", "district", "helpful", "key_messages", "intends_change"):
        if column not in rows:
            rows[column] = pd.Series(pd.NA, index=rows.index, dtype="string")
    coded = feedback_outcomes(rows, **answers)
    return _measure_leaves(coded, measure, level, min_n, _suppressor(suppression))[0]["estimate"] is None


def _monthly_trend(
    coded: pd.DataFrame, measure: str, window: Sequence[str], level: float, min_n: int, shown
) -> dict:
    """:func:`trend_test` over the window's months whose share is shown, with the count as shown.

    A month whose overall share is withheld (small counts, NHS rule; the same decision as that
    month's own report) is left out like a month without answers: with the other months' shares
    published, the fitted trend would otherwise give its counts back.
    """
    per_month, withheld = [], 0
    for m in window:
        rows = coded.loc[coded["month"] == m]
        k, n = _counts(rows[measure])
        if n and _measure_leaves(rows, measure, level, min_n, shown)[0]["estimate"] is None:
            k, n, withheld = 0, 0, withheld + 1
        per_month.append((k, n))
    trend = trend_test([p[0] for p in per_month], [p[1] for p in per_month], level)
    trend["odds_ratio_per_month"] = trend.pop("odds_ratio_per_period")
    trend["months"] = trend.pop("periods")
    trend["months_withheld"] = withheld
    trend["first_month"], trend["last_month"] = window[0], window[-1]
    trend["n"] = shown(trend["n"])
    return trend


def _measure_outtake(
    coded: pd.DataFrame,
    this: pd.DataFrame,
    last: pd.DataFrame,
    window: Sequence[str],
    measure: str,
    label: str,
    level: float,
    min_n: int,
    shown,
) -> dict:
    """One measure's entry: overall, by group, last month, the change and the trend."""
    counts = _counts(this[measure])
    previous = _counts(last[measure])
    overall, groups = _measure_leaves(this, measure, level, min_n, shown)
    before = _measure_leaves(last, measure, level, min_n, shown)[0]
    return {
        "label": label,
        "overall": overall,
        "by_respondent_type": groups["respondent_type"],
        "by_district": groups["district"],
        "previous_month": before,
        "change": _month_change(counts, previous, overall, before, level),
        "trend": _monthly_trend(coded, measure, window, level, min_n, shown),
    }


def outtakes(
    feedback: pd.DataFrame,
    month: str,
    *,
    min_n: int = 10,
    level: float = 0.95,
    trend_months: int = 12,
    suppression: Mapping[str, int] | None = None,
    key_messages: Sequence[str] = KEY_MESSAGES,
    distractors: Sequence[str] = KEY_MESSAGE_DISTRACTORS,
    helpful_yes: str = HELPFUL_YES,
    intends_change_yes: str = INTENDS_CHANGE_YES,
) -> dict:
    """What respondents took away: three proportions with Wilson intervals, overall and by group.

    For each measure (see :func:`feedback_outcomes` for the definitions) the reporting month
    gives: ``overall``, ``by_respondent_type`` and ``by_district`` (each
    ``{"estimate", "low", "high", "n"}``), ``previous_month`` (same form), ``change`` (this
    month minus last month, Newcombe interval, ``p_value`` of the score test) and ``trend``
    (:func:`trend_test` over the last ``trend_months`` months, odds ratio per month). The
    p-values are unadjusted: :func:`reach.estimate.multiplicity.month_family` judges them with
    the month's other tests.

    Small groups are suppressed, not shown with very wide intervals: a percentage is withheld
    (estimate, low and high are None) when fewer than ``min_n`` people answered, or when its
    numerator, its denominator or the number not saying yes is 1–7 (the NHS sub-national rule,
    :func:`share_hidden`), and a change is withheld (with its p-value) when either month's
    percentage is. ``n`` is always shown as that rule allows (``"*"`` for 1–7, else rounded to
    5); intervals are computed on the unrounded counts.

    Parameters
    ----------
    feedback : pandas.DataFrame
        Processed ``feedback`` table.
    month : str
        Reporting month, ``YYYY-MM``.
    min_n : int
        Fewest answers for a percentage to be shown.
    level : float
        Confidence level.
    trend_months : int
        Months in the trend test, ending with ``month``.
    suppression : Mapping, optional
        ``low``, ``high``, ``round_to`` of the NHS rule (``suppression`` in config/reach.yaml).
    key_messages, distractors, helpful_yes, intends_change_yes
        Answer texts, see :func:`feedback_outcomes`.

    Returns
    -------
    dict
        ``month``, ``responses`` (shown count), ``min_n``, ``method`` and one entry per measure
        (``helpful``, ``key_messages``, ``intends_change``) holding ``label``, ``overall``,
        ``by_respondent_type``, ``by_district``, ``previous_month``, ``change``, ``trend``.
    """
    shown = _suppressor(suppression)
    coded = feedback_outcomes(
        feedback,
        key_messages=key_messages,
        distractors=distractors,
        helpful_yes=helpful_yes,
        intends_change_yes=intends_change_yes,
    )
    this = coded[coded["month"] == month]
    previous = previous_months(month, 2)[0]
    last = coded[coded["month"] == previous]
    window = previous_months(month, trend_months)
    result: dict[str, Any] = {
        "month": month,
        "responses": shown(len(this)),
        "min_n": int(min_n),
        "method": (
            f"{WILSON} ({level:.0%}); differences: {NEWCOMBE}, p-value from a {CHANGE_TEST}; "
            f"trend: {TREND_METHOD}"
        ),
    }
    for measure, label in MEASURE_LABELS.items():
        result[measure] = _measure_outtake(coded, this, last, window, measure, label, level, min_n, shown)
    return result


# ---------------------------------------------------------------------------------------
# Precision planning
# ---------------------------------------------------------------------------------------


def sample_size_for_change(p1: float, p2: float, alpha: float = 0.05, power: float = 0.8) -> dict:
    """Responses needed in each of two months to detect a change from ``p1`` to ``p2``.

    Uses Cohen's effect size ``h = 2·asin(sqrt(p2)) − 2·asin(sqrt(p1))``
    (statsmodels ``proportion_effectsize``) and the normal-approximation power of a two-sided
    test for two independent groups of equal size (``NormalIndPower``).

    Parameters
    ----------
    p1, p2 : float
        Current and hoped-for proportions, strictly between 0 and 1 and different.
    alpha : float
        Two-sided significance level.
    power : float
        Chance of detecting the change if it is real.

    Returns
    -------
    dict
        ``p1``, ``p2``, ``alpha``, ``power``, ``effect_size``, ``n_per_group`` (rounded up) and
        ``sentence`` (plain English).

    Examples
    --------
    >>> sample_size_for_change(0.5, 0.6)["n_per_group"]
    388
    """
    for name, p in (("p1", p1), ("p2", p2)):
        if not 0 < p < 1:
            raise ValueError(f"{name} must lie strictly between 0 and 1, got {p!r}")
    if p1 == p2:
        raise ValueError("p1 and p2 must differ")
    h = float(proportion_effectsize(p2, p1))
    n = NormalIndPower().solve_power(
        effect_size=abs(h), alpha=alpha, power=power, ratio=1.0, alternative="two-sided"
    )
    needed = int(math.ceil(float(n) - 1e-9))
    sentence = (
        f"About {needed:,} responses are needed in each of the two months compared to have {power:.0%} "
        f"power to detect a change from {p1:.0%} to {p2:.0%} (two-sided test at the {alpha:.0%} level)."
    )
    return {
        "p1": float(p1),
        "p2": float(p2),
        "alpha": float(alpha),
        "power": float(power),
        "effect_size": h,
        "n_per_group": needed,
        "sentence": sentence,
    }
