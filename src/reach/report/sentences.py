"""Plain-English sentences for the report, every number with its interval."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from reach.core.formatting import format_change, format_change_interval, format_value
from reach.core.months import month_label, previous_months
from reach.estimate.base import CHANNELS
from reach.estimate.outtakes import MEASURE_LABELS
from reach.summary.glance import STATUS_LABELS

# =============================================================================================
# Sentences
# =============================================================================================


def _n(value: float) -> str:
    return f"{int(round(value)):,}"


def _pc(value: float) -> str:
    return f"{100 * value:.0f}%"


def _range(r: Mapping[str, Any], unit: str = "people") -> str:
    low, high, est = r.get("low"), r.get("high"), r.get("estimate")
    if low is None and high is None:
        return f"an unknown number of {unit}"
    if high is None:
        return f"at least {_n(low)} {unit} (no upper limit could be set)"
    if low == high:
        return f"{_n(low)} {unit} (a platform count, so the interval is {_n(low)} to {_n(high)})"
    text = f"between {_n(low)} and {_n(high)} {unit}"
    if est is not None:
        text += f" (best estimate {_n(est)}, within that range)"
    return text


def _prange(p: Mapping[str, Any]) -> str:
    if p.get("low") is None or p.get("high") is None:
        return "an unknown share"
    text = f"between {_pc(p['low'])} and {_pc(p['high'])}"
    if p.get("estimate") is not None:
        text += f" (best estimate {_pc(p['estimate'])}, within that range)"
    return text


_PLAIN = (
    (
        "bounds from channel reach",
        "the survey was too small to measure overlap, so the range runs from "
        "everyone seeing every channel to no one seeing two",
    ),
    (
        "bounds from monthly exports",
        "no export covers the whole period, so the range runs from the busiest month "
        "to the sum of the months",
    ),
    (
        "survey-based duplication",
        "we used the feedback survey to see how many people saw more than one channel",
    ),
    (
        "Town/City total",
        "GA4 only counts visitors who accept analytics cookies, so we scaled up by the share who accept",
    ),
    (
        "BigQuery",
        "GA4 only counts visitors who accept analytics cookies, so we scaled up by the share who accept",
    ),
    (
        "GA4 page users",
        "GA4 only counts visitors who accept analytics cookies, so we scaled up by the share who "
        "accept; visitors to two pages may be counted twice, which widens the range",
    ),
    ("YouTube Studio unique viewers", "YouTube counts each viewer once across the videos"),
    (
        "upper bound: views",
        "YouTube did not export viewer numbers, so the range assumes 1 to a few views each",
    ),
    (
        "unique viewers",
        "YouTube counted viewers per video; someone who watched two videos may be counted twice",
    ),
    ("views ÷ average views per viewer", "viewers were worked out from views and YouTube's views per viewer"),
    ("Meta post reach", "Facebook counts people per post; someone who saw two posts is in both counts"),
)


def _plain(method: str) -> str:
    for key, text in _PLAIN:
        if key in method:
            return text
    return method


def reach_sentences(summary: Mapping[str, Any]) -> list[str]:
    """Plain-English sentences for the report's reach section; every number has its interval.

    Parameters
    ----------
    summary : Mapping
        The output of :func:`reach_summary`.

    Returns
    -------
    list of str
        One sentence per figure: combined, each channel, Norfolk share, coverage, then each
        district.
    """
    start = dt.date.fromisoformat(summary["period"]["start"])
    when = start.strftime("%B %Y")
    out = []
    comb = summary["combined"]
    out.append(
        f"In {when} the safer-sleep web pages, videos and posts reached {_range(comb)} in all, "
        f"counting each person once; {_plain(comb['method'])}."
    )
    names = {
        "web": "visited the safer-sleep web pages",
        "video": "watched the videos on YouTube",
        "social": "were reached by the Facebook posts",
    }
    for channel in CHANNELS:
        r = summary["channels"][channel]
        if r is None:
            out.append(f"No {channel} export was available for {when}, so that channel is not counted.")
            continue
        out.append(f"{_range(r).capitalize()} {names[channel]}; {_plain(r['method'])}.")
    share = summary["norfolk_share"]
    if share.get("estimate") is not None or share.get("low") is not None:
        out.append(
            f"{_prange(share).capitalize()} of web visitors were in Norfolk; GA4 places visitors by their "
            "internet connection, which can be wrong, and visitors it could not place ('(not set)') are "
            "reported separately rather than guessed."
        )
    else:
        out.append(
            "There was no GA4 Town/City export for the month, so the share of web visitors in Norfolk is unknown."
        )
    cov = summary["coverage"]
    if cov.get("estimate") is not None:
        out.append(
            f"{_prange(cov).capitalize()} of Norfolk families with a newborn saw at least one online "
            "channel, judged from the parents who answered the feedback survey."
        )
    else:
        out.append(
            "Too few parents answered the feedback survey to say what share of families with a newborn "
            "were reached."
        )
    for d in summary["by_district"]:
        r, c = d["reach"], d["coverage"]
        if c.get("estimate") is None:
            continue
        out.append(
            f"{d['district']}: {_range(r, 'families with a newborn')}, which is {_prange(c)} of the "
            "district's births in the month (district figures are rough: few parents answer per district)."
        )
    return out


# ---------------------------------------------------------------------------------------
# Plain-English sentences
# ---------------------------------------------------------------------------------------

_CAVEATS = {
    "helpful": "This is what people who chose to fill in the form said; it does not show what families do.",
    "key_messages": (
        "Ticking the right options on a list measures recognition of the advice, not whether it is followed "
        "at night."
    ),
    "intends_change": (
        'Families who already follow the advice answer "No, I already do this", so a low share is not bad '
        "news in itself; and an intention is not yet a change."
    ),
}


def _pct(value: float) -> str:
    return f"{100 * value:.0f}%"


def _pp(value: float) -> str:
    return f"{100 * value:+.0f}"


def _rel(value: float | None) -> str:
    return "undefined" if value is None else f"{100 * value:+.0f}%"


def _includes(low: float | None, high: float | None, null: float) -> bool:
    return low is not None and high is not None and low <= null <= high


def _change_sentence(change: Mapping[str, Any], text: str, month: str, level: str) -> str | None:
    """The month-on-month change of one out-take measure, or None when there is none."""
    if change["estimate"] is None:
        return None
    verdict = (
        "no clear change: the interval includes zero."
        if _includes(change["low"], change["high"], 0.0)
        else "the interval excludes zero, so a real change is likely (respondents differ from month to month)."
    )
    return (
        f"Compared with {month_label(previous_months(month, 2)[0])}, the share who {text} changed by "
        f"{_pp(change['estimate'])} percentage points ({level} CI {_pp(change['low'])} to "
        f"{_pp(change['high'])}): {verdict}"
    )


def _trend_sentence(trend: Mapping[str, Any], text: str, label: str, level: str) -> str | None:
    """The trend over recent months of one out-take measure, or None when it was not tested."""
    if trend.get("p_value") is None:
        return None
    if trend["p_value"] < 0.05:
        direction = "rose" if trend["odds_ratio_per_month"] > 1 else "fell"
        return (
            f"Over the {trend['months']} months to {label} the share who {text} {direction} steadily "
            f"(odds ratio {trend['odds_ratio_per_month']:.2f} a month, {level} CI {trend['low']:.2f} to "
            f"{trend['high']:.2f}; p = {trend['p_value']:.3f})."
        )
    return (
        f"Over the {trend['months']} months to {label} there is no clear trend in the share who {text} "
        f"(p = {trend['p_value']:.2f})."
    )


def _outtake_sentences(outtake: Mapping[str, Any], month: str, label: str, level: str) -> list[str]:
    """Share, change and trend of each out-take measure, then the note on groups not shown."""
    out: list[str] = []
    min_n = outtake.get("min_n", 10)
    hidden_groups = False
    for measure, text in MEASURE_LABELS.items():
        block = outtake[measure]
        overall = block["overall"]
        if overall["estimate"] is None:
            out.append(
                f"In {label} too few people answered ({overall['n'] or 0}) to show the share who {text}; "
                f"shares are shown from {min_n} answers."
            )
            continue
        out.append(
            f"In {label}, {_pct(overall['estimate'])} of respondents {text} ({level} confidence interval "
            f"{_pct(overall['low'])} to {_pct(overall['high'])}; {overall['n']} answers). {_CAVEATS[measure]}"
        )
        change = _change_sentence(block["change"], text, month, level)
        if change is not None:
            out.append(change)
        trend = _trend_sentence(block["trend"], text, label, level)
        if trend is not None:
            out.append(trend)
        groups = list(block["by_respondent_type"].values()) + list(block["by_district"].values())
        hidden_groups = hidden_groups or any(g["estimate"] is None for g in groups)
    if hidden_groups:
        out.append(
            f"Groups (respondent type, district) with fewer than {min_n} answers, or with 1 to 7 people giving an "
            "answer, are not shown: their intervals would be too wide to be useful and small counts could identify people."
        )
    return out


def _engagement_sentences(engaged: Mapping[str, Any], label: str) -> list[str]:
    """Engagement with the web pages and videos of each theme."""
    out: list[str] = []
    for row in engaged.get("web_by_theme", []):
        if row.get("engagement_rate") is None:
            continue
        change = row.get("engagement_rate_change_vs_previous_month")
        versus = "" if change is None else f", {_pp(change)} points on the previous month"
        out.append(
            f"Web pages on {row['theme']}: {_pct(row['engagement_rate'])} of sessions were engaged in {label}"
            f"{versus} (GA4 counts a session as engaged after 10 seconds, a key event or two page views). "
            "Engagement shows attention, not understanding."
        )
    for row in engaged.get("video_by_theme", []):
        if row.get("avg_pct_viewed") is None:
            continue
        out.append(
            f"YouTube videos on {row['theme']}: viewers watched {row['avg_pct_viewed']:.0f}% of a video on average "
            f"in {label} (YouTube's average percentage viewed; views are counted by YouTube's own rules and are "
            "not comparable with web page views)."
        )
    return out


def _its_sentences(rows: list[Mapping[str, Any]], names: Mapping[str, str], level: str) -> list[str]:
    """The interrupted-time-series rate ratio of each partner indicator and campaign."""
    out: list[str] = []
    for row in rows:
        rr, low, high = row["rate_ratio"], row["low"], row["high"]
        if rr is None:
            continue
        unclear = _includes(low, high, 1.0)
        verdict = " No clear change: the interval includes a rate ratio of 1 (no change)." if unclear else ""
        if row["series"].startswith("partner:"):
            indicator = row["series"].split(":", 1)[1].replace("_", " ")
            out.append(
                f"Partner indicator ({indicator}): after the campaign the proportion was {rr:.2f} times "
                f"({level} CI {low:.2f} to {high:.2f}) what the earlier trend predicted, a change of "
                f"{_rel(rr - 1)}.{verdict} This compares the same series before and after; anything else that "
                "changed at the same time (staffing, recording practice, other work) could explain part of it."
            )
        else:
            campaign = row["series"].split(":", 1)[1]
            out.append(
                f"Interrupted time series, {names.get(campaign, campaign)}: daily views of the campaign's web pages "
                f"were {rr:.2f} times ({level} CI {low:.2f} to {high:.2f}) what the trend and day-of-week pattern "
                f"before the campaign predicted.{verdict} Anything else that changed during the campaign days "
                "(site-wide traffic, cookie consent) is not separated out by this model; the counterfactual below uses "
                "other pages to allow for that."
            )
    return out


def _counterfactual_sentences(
    rows: list[Mapping[str, Any]], names: Mapping[str, str], level: str
) -> list[str]:
    """The counterfactual effect of each campaign, then what the counterfactuals assume."""
    out: list[str] = []
    for row in rows:
        name = names.get(row["campaign"], row["campaign"])
        unclear = _includes(row["rel_low"], row["rel_high"], 0.0) or row["rel_low"] is None
        verdict = " No clear change: the interval includes zero." if unclear else ""
        out.append(
            f"Counterfactual, {name}: the campaign's web pages had {row['actual']:.1f} views a day during the campaign; "
            f"without it the model predicts {row['predicted']:.1f} ({level} interval {row['predicted_low']:.1f} to "
            f"{row['predicted_high']:.1f}), an estimated change of {row['abs_effect']:+.1f} views a day "
            f"({_rel(row['rel_effect'])}, {level} interval {_rel(row['rel_low'])} to {_rel(row['rel_high'])}).{verdict}"
        )
    if rows:
        out.append(
            "The counterfactuals assume the pages a campaign did not promote were unaffected by it and kept their usual "
            "relationship with the campaign pages. They count page views by people who accepted analytics cookies, "
            "not people, and say nothing about what readers understood. The method is a maximum-likelihood version of "
            "Google's CausalImpact: its central estimates should agree closely, its intervals only approximately."
        )
    return out


def _theme_sentences(themes: Mapping[str, Any] | None) -> list[str]:
    """The most common coded theme of each source of comments."""
    out: list[str] = []
    if not themes:
        return out
    for source, block in themes["sources"].items():
        coded = [t for t in block["themes"] if t["theme"] != "(not coded)" and t["share"] is not None]
        if not coded:
            continue
        top = max(coded, key=lambda t: t["share"])
        where = "feedback-form comments" if source == "feedback_form" else "page-feedback comments"
        out.append(
            f"Of {block['comments']} {where} from {month_label(themes['first_month'])} to "
            f'{month_label(themes["last_month"])}, the most common theme was "{top["theme"]}" '
            f"({top['comments']} comments, {_pct(top['share'])}). Themes count what people chose to write, "
            "not how common a view is among families."
        )
    return out


def impact_sentences(summary: Mapping[str, Any]) -> list[str]:
    """What each impact estimate means, and what it cannot show, in plain English.

    Parameters
    ----------
    summary : Mapping
        The dict returned by :func:`impact_summary`.

    Returns
    -------
    list of str
        One sentence (or two) per estimate, in report order: out-takes, month-on-month changes,
        trends, precision, interrupted time series, counterfactuals, themes, notes.
    """
    month = summary.get("month") or summary["outtakes"]["month"]
    label = month_label(month)
    level = f"{float(summary.get('level', 0.95)):.0%}"
    out = _outtake_sentences(summary["outtakes"], month, label, level)
    for plan in summary.get("precision", []):
        out.append(
            f"Precision: {plan['sentence']} This month there were {plan['responses_this_month']} answers."
        )
    out += _engagement_sentences(summary.get("engagement") or {}, label)
    names = {c["campaign"]: c.get("name", c["campaign"]) for c in summary.get("campaigns", [])}
    out += _its_sentences(summary.get("its", []), names, level)
    out += _counterfactual_sentences(summary.get("counterfactual", []), names, level)
    out += _theme_sentences(summary.get("themes"))
    for note in summary.get("notes", []):
        out.append(f"Not estimated: {note}.")
    return out


_VERDICT_TEXT = {
    "rise": "a clear rise",
    "fall": "a clear fall",
    "no clear change": "no clear change",
    "not comparable": "not comparable",
}


def _range_text(value: Mapping[str, Any], unit: str) -> str:
    return f"{format_value(value.get('low'), unit)} to {format_value(value.get('high'), unit)}"


def change_text(comparison: Mapping[str, Any], unit: str) -> str:
    """One comparison of a tile in words: the earlier figure, the change and what it means.

    Parameters
    ----------
    comparison : Mapping
        An item of a tile's ``comparisons`` (from :func:`glance`).
    unit : str
        The tile's unit.

    Returns
    -------
    str
        E.g. ``"73% (59% to 83%); +15 points (95% interval +1 to +31 points): a clear rise"``.

    Examples
    --------
    >>> change_text({"value": {"estimate": None, "reason": "nobody answered"}, "change": {"verdict": "not comparable"}},
    ...             "share")
    'no figure (nobody answered), so no comparison'
    """
    value, change = comparison["value"], comparison["change"]
    if value.get("estimate") is None:
        return f"no figure ({value.get('reason') or 'not estimated'}), so no comparison"
    before = format_value(value["estimate"], unit)
    if value.get("low") is not None and value.get("high") is not None:
        before += f" ({_range_text(value, unit)})"
    verdict = change.get("verdict", "not comparable")
    if verdict == "not comparable":
        return f"{before}; no comparison (no figure this month)"
    moved = format_change(change.get("estimate"), unit)
    if change.get("low") is not None and change.get("high") is not None:
        interval = format_change_interval(change["low"], change["high"], unit)
        why = (
            "the interval of the change includes zero"
            if verdict == "no clear change"
            else "the interval of the change excludes zero"
        )
        return f"{before}; {moved} (95% interval {interval}): {_VERDICT_TEXT[verdict]}, {why}"
    why = "the two intervals overlap" if verdict == "no clear change" else "the two intervals do not overlap"
    return f"{before}; {moved}: {_VERDICT_TEXT[verdict]}, {why}"


def _compared(tile: Mapping[str, Any]) -> str:
    """A tile's comparisons as one sentence (empty when it has none)."""
    parts = [f"compared with {c['label']}: {change_text(c, tile['unit'])}" for c in tile["comparisons"]]
    return ("C" + "; ".join(parts)[1:] + ".") if parts else ""


def _reach_sentence(tile: Mapping[str, Any], when: str) -> str:
    """The people-reached tile in words."""
    v = tile["value"]
    if v.get("estimate") is None:
        return f"The number of people reached in {when} could not be estimated: {v.get('reason')}."
    if v.get("low") is None or v.get("high") is None:
        return f"In {when} at least {format_value(v.get('low') or v['estimate'], 'people')} people were reached online."
    return (
        f"In {when} between {format_value(v['low'], 'people')} and {format_value(v['high'], 'people')} people saw "
        f"at least one safer-sleep web page, video or post, each person counted once (best estimate "
        f"{format_value(v['estimate'], 'people')}). {_compared(tile)}"
    )


def _coverage_sentence(tile: Mapping[str, Any]) -> str:
    """The coverage tile (share of families with a newborn reached) in words."""
    v = tile["value"]
    if v.get("estimate") is None:
        return f"The share of families with a newborn reached could not be estimated: {v.get('reason')}."
    births = f" (about {format_value(v['births'], 'people')} births in the month)" if v.get("births") else ""
    return (
        f"Between {format_value(v['low'], 'share')} and {format_value(v['high'], 'share')} of Norfolk families with "
        f"a newborn{births} saw at least one online channel (best estimate {format_value(v['estimate'], 'share')}), "
        f"judged from the parents who answered the feedback survey. {_compared(tile)}"
    )


def _engagement_rate_sentence(tile: Mapping[str, Any]) -> str:
    """The web engagement-rate tile in words."""
    v = tile["value"]
    if v.get("estimate") is None:
        return f"Engagement on the web pages could not be measured: {v.get('reason')}."
    return (
        f"Between {format_value(v['low'], 'share')} and {format_value(v['high'], 'share')} of the "
        f"{format_value(v['sessions'], 'people')} visits (sessions) to the registered web pages were engaged: they "
        f"lasted over 10 seconds, led to a key event or opened a second page (best estimate "
        f"{format_value(v['estimate'], 'share')}). "
        f"Engagement shows attention, not understanding. {_compared(tile)}"
    )


def _helpful_sentence(tile: Mapping[str, Any], when: str) -> str:
    """The found-it-helpful tile in words."""
    v = tile["value"]
    if v.get("estimate") is None:
        return f"The share finding the information helpful is not shown for {when}: {v.get('reason')}."
    return (
        f"Between {format_value(v['low'], 'share')} and {format_value(v['high'], 'share')} of the people who "
        f"answered the feedback form (about {v['n']}) found the information helpful (best estimate "
        f"{format_value(v['estimate'], 'share')}); they chose to answer, so they may not speak for everyone "
        f"reached. {_compared(tile)}"
    )


def _campaign_effect_sentence(tile: Mapping[str, Any]) -> str:
    """The campaign-effect tile in words."""
    v, campaign = tile["value"], tile.get("campaign")
    if v.get("estimate") is None or campaign is None:
        return f"No campaign effect is shown: {v.get('reason')}."
    dates = _date_range(campaign.get("start"), campaign.get("end"))
    if v.get("low") is not None and v.get("high") is not None:
        range_text = f"95% interval {_more_or_fewer(v['low'])} to {_more_or_fewer(v['high'])}"
    else:
        range_text = f"no interval: {v.get('reason')}"
    clear = (
        " No clear effect: the interval includes zero."
        if v.get("low") is not None and v.get("high") is not None and v["low"] <= 0 <= v["high"]
        else ""
    )
    return (
        f"During {campaign['name']}{dates} the campaign's web pages had {_more_or_fewer(v['estimate'])} views "
        f"than the model predicts without the campaign ({range_text}).{clear} This counts page views, not "
        f"people, and does not show what readers understood or did. {_compared(tile)}"
    )


def _status_sentence(tiles: list[Mapping[str, Any]]) -> str:
    """How many tiles have each status, and how a status is judged."""
    counts = {}
    for tile in tiles:
        counts[tile["status_label"]] = counts.get(tile["status_label"], 0) + 1
    listed = ", ".join(f"{counts[label]} {label}" for label in STATUS_LABELS.values() if label in counts)
    return (
        f"Status against the targets: {listed}. A status is judged from the whole 95% interval, not from the "
        "best estimate, so a month's chance variation cannot make a tile green or red on its own (the rule and "
        "the targets are under Methodology)."
    )


def glance_sentences(result: Mapping[str, Any]) -> list[str]:
    """Plain-English findings written from the "At a glance" numbers, each with its interval.

    Parameters
    ----------
    result : Mapping
        From :func:`glance`.

    Returns
    -------
    list of str
        One or two sentences per tile, then one on the status counts.
    """
    when = month_label(result["month"])
    tiles = {t["key"]: t for t in result["tiles"]}
    out = []
    if reach := tiles.get("reach_people"):
        out.append(_reach_sentence(reach, when))
    if cov := tiles.get("coverage"):
        out.append(_coverage_sentence(cov))
    if eng := tiles.get("engagement_rate"):
        out.append(_engagement_rate_sentence(eng))
    if helpful := tiles.get("helpful"):
        out.append(_helpful_sentence(helpful, when))
    if effect := tiles.get("campaign_effect"):
        out.append(_campaign_effect_sentence(effect))
    out.append(_status_sentence(result["tiles"]))
    return [s.strip() for s in out]


def _more_or_fewer(value: float) -> str:
    """Write a relative change as words: ``0.37`` → ``"37% more"``, ``-0.1`` → ``"10% fewer"``."""
    return f"{abs(float(value)):.0%} " + ("fewer" if value < 0 else "more")


def _date_range(start: object, end: object) -> str:
    """Write a campaign's dates, e.g. ``" (12 to 25 October 2026)"``; empty when unknown."""
    if not start or not end:
        return ""
    first, last = dt.date.fromisoformat(str(start)[:10]), dt.date.fromisoformat(str(end)[:10])
    if (first.year, first.month) == (last.year, last.month):
        return f" ({first.day} to {last.day} {last:%B %Y})"
    if first.year == last.year:
        return f" ({first.day} {first:%B} to {last.day} {last:%B %Y})"
    return f" ({first.day} {first:%B %Y} to {last.day} {last:%B %Y})"
