"""Plain-English sentences on campaign effects: each campaign's prespecified answer first, then its checks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any


def _rel(value: float | None) -> str:
    """A relative change in whole percent with its sign (``0%`` for no change, never ``-0%``)."""
    if value is None:
        return "undefined"
    rounded = round(100 * value)
    return f"{rounded:+d}%" if rounded else "0%"


_METHOD_NAMES = {"counterfactual": "counterfactual", "time_series": "interrupted time series"}


def _verdict(low: float | None, high: float | None, null: float) -> str:
    """Whether an interval shows a clear rise, a clear fall or no clear change from ``null``."""
    if low is None or high is None or low <= null <= high:
        return "no clear change: the interval includes no change"
    rise = low > null
    return f"a clear {'rise' if rise else 'fall'}: the whole interval is {'above' if rise else 'below'} no change"


def _counterfactual_answer(row: Mapping[str, Any], level: str) -> str:
    """A counterfactual row in words: actual and predicted views a day, the relative change, the verdict."""
    return (
        f"the campaign's web pages had {row['actual']:.1f} views a day during the campaign; without it the model "
        f"predicts {row['predicted']:.1f} ({level} interval {row['predicted_low']:.1f} to {row['predicted_high']:.1f}), "
        f"an estimated change of {row['abs_effect']:+.1f} views a day ({_rel(row['rel_effect'])}, {level} interval "
        f"{_rel(row['rel_low'])} to {_rel(row['rel_high'])}): {_verdict(row['rel_low'], row['rel_high'], 0.0)}"
    )


def _its_answer(row: Mapping[str, Any], level: str) -> str:
    """A campaign's web time-series row in words: the rate ratio, the change and the verdict."""
    rr, low, high = row["rate_ratio"], row["low"], row["high"]
    return (
        f"daily views of the campaign's web pages, relative to pages it did not promote, were {rr:.2f} times "
        f"({level} CI {low:.2f} to {high:.2f}) those on the same month's days before the campaign, a change of "
        f"{_rel(rr - 1)}: {_verdict(low, high, 1.0)}"
    )


def _day(value: str) -> str:
    day = dt.date.fromisoformat(str(value)[:10])
    return f"{day.day} {day:%B %Y}"


def _placebo_sentence(row: Mapping[str, Any], level: str, primary: bool) -> str | None:
    """What the counterfactual's placebo checks found, and what it means for the campaign's estimate."""
    placebo = row.get("placebo")
    if not placebo:
        return None
    in_time, pages = placebo.get("in_time") or {}, placebo.get("pages") or []
    found = []
    if in_time.get("excludes_zero"):
        found.append(
            f"a fake campaign start on {_day(in_time['post_start'])}, before the real one, gave "
            f"{_rel(in_time['rel_effect'])} ({level} interval {_rel(in_time['rel_low'])} to {_rel(in_time['rel_high'])})"
        )
    moved = [p for p in pages if p.get("excludes_zero")]
    if moved:
        listed = ", ".join(
            f"{p['page']} {_rel(p['rel_effect'])} ({_rel(p['rel_low'])} to {_rel(p['rel_high'])})"
            for p in moved
        )
        found.append(
            f"{len(moved)} of {len(pages)} pages the campaign did not promote, each treated as if it were the "
            f"campaign page, also changed ({listed}), so the campaign may have spilled over onto them"
        )
    subject = "the campaign's estimate" if primary else "the counterfactual's estimate"
    if found:
        return (
            f"Placebo checks found a change where there was no campaign: {'; and '.join(found)}. So {subject} is not "
            "distinguishable from normal variation in these pages."
        )
    checks = []
    if in_time.get("rel_effect") is not None:
        checks.append(
            f"a fake campaign start on {_day(in_time['post_start'])} gave {_rel(in_time['rel_effect'])} ({level} "
            f"interval {_rel(in_time['rel_low'])} to {_rel(in_time['rel_high'])}, including zero)"
        )
    if pages:
        checks.append(
            f"none of {len(pages)} pages the campaign did not promote changed when treated as the campaign page"
        )
    if not checks:
        return None
    return f"Placebo checks found nothing where there was no campaign: {'; '.join(checks)}."


def _mde_sentence(row: Mapping[str, Any], level: str, primary: bool) -> str | None:
    """The counterfactual's minimum detectable effect in plain English."""
    mde = row.get("mde") or {}
    if mde.get("rel_effect") is None:
        return None
    design = "This design" if primary else "The counterfactual design"
    return (
        f"{design} could only have detected a rise of about {100 * mde['rel_effect']:.0f}% or more (with "
        f"{100 * mde.get('power', 0.8):.0f}% power at the {level} level); a smaller real effect would usually show "
        "as no clear change."
    )


def campaign_sentences(summary: Mapping[str, Any], level: str = "95%") -> list[str]:
    """Each campaign's prespecified answer first, then its checks, then the other method as a robustness check.

    For each campaign: the primary method's answer (saying when it was not chosen in advance);
    what the counterfactual's placebo checks found (a placebo that finds an effect makes the
    estimate "not distinguishable from normal variation"); the counterfactual design's minimum
    detectable effect; the other method's answer as a robustness check; and whether the two
    agree (from the campaign's ``agreement``).

    Parameters
    ----------
    summary : Mapping
        The ``impact`` block (``campaigns``, ``counterfactual``, ``its``).
    level : str
        The interval level as written, e.g. ``"95%"``.

    Returns
    -------
    list of str
        The sentences, campaign by campaign.

    Examples
    --------
    >>> its = {"series": "web_daily_views:c", "rate_ratio": 1.5, "low": 1.2, "high": 1.9, "primary": True}
    >>> campaign_sentences({"campaigns": [{"campaign": "c", "name": "Week", "primary_method": "time_series"}],
    ...                     "its": [its]})[0][:62]
    'Week, main answer (interrupted time series, chosen before the '
    """
    out: list[str] = []
    windows = {c["campaign"]: c for c in summary.get("campaigns", [])}
    cf_rows = {r["campaign"]: r for r in summary.get("counterfactual", [])}
    its_rows = {
        r["series"].split(":", 1)[1]: r
        for r in summary.get("its", [])
        if r["series"].startswith("web_daily_views:") and r.get("rate_ratio") is not None
    }
    for campaign in dict.fromkeys([*windows, *cf_rows, *its_rows]):
        cf, its, window = cf_rows.get(campaign), its_rows.get(campaign), windows.get(campaign, {})
        if cf is None and its is None:
            continue
        name = window.get("name", campaign)
        method = window.get("primary_method") or (
            "time_series"
            if (its or {}).get("primary") and not (cf or {}).get("primary")
            else "counterfactual"
        )
        if (cf if method == "counterfactual" else its) is None:
            method = "time_series" if method == "counterfactual" else "counterfactual"
        answers = {
            "counterfactual": None if cf is None else _counterfactual_answer(cf, level),
            "time_series": None if its is None else _its_answer(its, level),
        }
        if window.get("prespecified") is False:
            lead = (
                f"{name}: no primary method was chosen before the campaign (campaigns.csv leaves primary_method "
                f"blank), so the {_METHOD_NAMES[method]} is taken as the main answer: {answers[method]}."
            )
        else:
            lead = f"{name}, main answer ({_METHOD_NAMES[method]}, chosen before the campaign): {answers[method]}."
        out.append(lead[0].upper() + lead[1:])
        if cf is not None:
            for sentence in (
                _placebo_sentence(cf, level, method == "counterfactual"),
                _mde_sentence(cf, level, method == "counterfactual"),
            ):
                if sentence:
                    out.append(sentence)
        other = "time_series" if method == "counterfactual" else "counterfactual"
        if answers[other] is not None:
            out.append(f"Robustness check ({_METHOD_NAMES[other]}): {answers[other]}.")
            agreement = window.get("agreement") or {}
            if agreement.get("agree") is True:
                out.append(f"The two methods agree: {agreement['reason']}.")
            elif agreement.get("agree") is False:
                out.append(
                    f"The two methods disagree: {agreement['reason']}. The main answer above is the one chosen in "
                    "advance; the disagreement means the size of the effect is uncertain."
                )
    return out


def campaign_caveats(summary: Mapping[str, Any]) -> list[str]:
    """What the campaign counterfactuals and web time series assume, once (estimates: :func:`campaign_sentences`).

    Parameters
    ----------
    summary : Mapping
        The ``impact`` block.

    Returns
    -------
    list of str
        One sentence for the counterfactuals and one for the time series, where there are any,
        and one on how their intervals were checked against fake campaigns.

    Examples
    --------
    >>> campaign_caveats({"counterfactual": [], "its": []})
    []
    >>> checked = {"calibration": {"fake_starts": 9, "applied": 1.4, "calibrated": True}}
    >>> campaign_caveats({"counterfactual": [], "its": [{"series": "web_daily_views:a", **checked}]})[-1].split(": ")[1]
    '1 of 1 was widened because the views before the campaign varied more than its model expects.'
    """
    out: list[str] = []
    its_rows = summary.get("its", [])
    if summary.get("counterfactual"):
        out.append(
            "The counterfactuals assume the pages a campaign did not promote were unaffected by it and kept their usual "
            "relationship with the campaign pages. They count page views by people who accepted analytics cookies, "
            "not people, and say nothing about what readers understood. The method is a maximum-likelihood version of "
            "Google's CausalImpact: its central estimates should agree closely, its intervals only approximately. "
            "If a campaign also sent people to pages it did not promote (spill-over), both methods compare against "
            "a baseline it lifted too and understate its effect; nothing in the data can rule this out."
        )
    if any(r["series"].startswith("web_daily_views:") for r in its_rows):
        out.append(
            "The interrupted time series compares the campaign pages' daily views, relative to pages the campaign did "
            "not promote, with the same month's days before the campaign; anything that changed only the campaign "
            "pages during the campaign days is not separated out."
        )
    out += _fake_start_sentence(summary.get("counterfactual", []) + its_rows)
    return out


def _fake_start_sentence(rows: list[Mapping[str, Any]]) -> list[str]:
    """How many campaign intervals the fake starts widened, and which could not be checked."""
    checks = [r["calibration"] for r in rows if r.get("calibration")]
    if not checks:
        return []
    checked = [c for c in checks if c["calibrated"]]
    widened = sum(c["applied"] > 1 for c in checked)
    text = (
        "Each campaign interval was checked against fake campaigns placed in the weeks before it, each as long "
        f"as the real one: {widened} of {len(checked)} was widened because the views before the campaign varied "
        "more than its model expects."
    )
    if len(checked) < len(checks):
        text += (
            f" {len(checks) - len(checked)} could not be checked (too few weeks before the campaign), so its "
            "interval may be too narrow."
        )
    return [text]
