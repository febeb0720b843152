"""Plain-English sentences for the report, every number with its interval."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from reach.core.formatting import format_change, format_change_interval, format_value
from reach.core.months import month_label, previous_months
from reach.estimate.base import CHANNELS
from reach.estimate.outtakes import MEASURE_LABELS
from reach.report.campaign_sentences import campaign_caveats, campaign_sentences
from reach.summary.glance import STATUS_LABELS
from reach.tidy.readiness import TILE_NEEDS

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
        "whatever the overlap between channels",
        "we cannot yet tell how many people saw more than one channel, so the range runs from everyone "
        "reached by the biggest channel having seen the others too, to no one seeing two",
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
        window = " (lifetime reach of the posts published in the month)" if channel == "social" else ""
        out.append(f"{_range(r).capitalize()} {names[channel]}{window}; {_plain(r['method'])}.")
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
    out.extend(_coverage_sentences(summary))
    return out


def _coverage_sentences(summary: Mapping[str, Any]) -> list[str]:
    """Coverage of families with a newborn (county, districts) and what the form's parents said."""
    out = []
    cov = summary["coverage"]
    kind = cov.get("kind")
    if kind == "not measured" or (cov.get("low") is None and cov.get("estimate") is None):
        out.append(
            "The share of families with a newborn who were reached is not measured this month: there was no "
            "health-visiting new-birth recall return, and online data cannot tell which visitors are such families."
        )
    else:
        lead = (
            ""
            if kind == "estimate"
            else "Some districts' counts were suppressed or missing, so this is a range: "
        )
        out.append(
            f"{lead}{_prange(cov).capitalize() if not lead else _prange(cov)} of Norfolk families with a newborn "
            "remembered at least one safer-sleep web page, video, post or leaflet when their health visitor asked "
            "at the new-birth visit."
        )
    parents = summary.get("responding_parents") or {}
    if parents.get("estimate") is not None:
        out.append(
            f"Of the parents and carers who answered the online feedback form, {_prange(parents)} said they had "
            "seen safer-sleep information online; this describes them, not all families, because people who "
            "saw something online are likelier to answer an online form."
        )
    for d in summary["by_district"]:
        r, c = d["reach"], d["coverage"]
        if c.get("low") is None:
            continue
        rough = "" if c.get("kind") == "estimate" else " (a range only: a count of 1 to 7 is not shown)"
        out.append(
            f"{d['district']}: {_range(r, 'families with a newborn')}, which is {_prange(c)} of the "
            f"district's births in the month{rough}."
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


def _judgement(result: Mapping[str, Any]) -> str:
    """A tested change or trend in words: clear only if chosen in advance and clear across the month's tests."""
    verdict = result.get("verdict") if result.get("verdict") in ("rise", "fall") else "consistent with chance"
    return f"{_VERDICT_TEXT[verdict]} ({_why(result, verdict, True)})."


def _change_sentence(change: Mapping[str, Any], text: str, month: str, level: str) -> str | None:
    """The month-on-month change of one out-take measure, or None when there is none."""
    if change["estimate"] is None:
        return None
    return (
        f"Compared with {month_label(previous_months(month, 2)[0])}, the share who {text} changed by "
        f"{_pp(change['estimate'])} percentage points ({level} CI {_pp(change['low'])} to "
        f"{_pp(change['high'])}; respondents differ from month to month): {_judgement(change)}"
    )


def _trend_sentence(trend: Mapping[str, Any], text: str, label: str, level: str) -> str | None:
    """The 12-month trend of one out-take measure ("rose/fell steadily" only when judged clear), or None."""
    if trend.get("p_value") is None:
        return None
    ratio = trend["odds_ratio_per_month"]
    odds = f"odds ratio {ratio:.2f} a month, {level} CI {trend['low']:.2f} to {trend['high']:.2f}"
    span = f"Over the {trend['months']} months to {label}"
    if trend.get("verdict") in ("rise", "fall"):
        moved = "rose" if trend["verdict"] == "rise" else "fell"
        return f"{span} the share who {text} {moved} steadily ({odds}): {_judgement(trend)}"
    slope = "upward" if ratio > 1 else "downward" if ratio < 1 else "flat"
    return f"{span} the fitted trend in the share who {text} is {slope} ({odds}): {_judgement(trend)}"


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
                f"In {label} the share who {text} is not shown ({overall['n'] or 0} answers): shares are shown "
                f"from {min_n} answers, and not when 1 to 7 people said yes or 1 to 7 did not, because a count "
                "that small could identify people."
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
            f"Groups (respondent type, district) with fewer than {min_n} answers, or where 1 to 7 people said yes or "
            "1 to 7 did not, are not shown: their intervals would be too wide to be useful and small counts could "
            "identify people."
        )
    return out


def _rate_change_text(change: Mapping[str, Any] | None, level: str) -> str:
    """The engagement rate's change on the previous month: a difference only, or judged with the month's tests."""
    if change is None:
        return ""
    moved = f" ({_pp(change['estimate'])} points on the previous month"
    if change["descriptive"]:
        return f"{moved}, a difference only)"
    return f"{moved}, {level} CI {_pp(change['low'])} to {_pp(change['high'])}: {_judgement(change)[:-1]})"


def _engagement_sentences(engaged: Mapping[str, Any], label: str, level: str = "95%") -> list[str]:
    """Engagement with the web pages and videos of each theme, with the engagement rate's change."""
    out: list[str] = []
    changes = {r["theme"]: r for r in engaged.get("rate_changes", []) if r["comparison"] == "previous_month"}
    for row in engaged.get("web_by_theme", []):
        if row.get("engagement_rate") is None:
            continue
        out.append(
            f"Web pages on {row['theme']}: {_pct(row['engagement_rate'])} of sessions were engaged in {label}"
            f"{_rate_change_text(changes.get(row['theme']), level)}."
        )
    if out:
        untested = any(r["descriptive"] for r in engaged.get("rate_changes", []))
        out.append(
            "GA4 counts a session as engaged after 10 seconds, a key event or two page views; engagement shows "
            "attention, not understanding."
            + (
                " Changes in engagement rates are differences only, not tested: sessions cluster by day and by "
                "person, and the GA4 exports hold no engaged sessions per day to allow for that."
                if untested
                else ""
            )
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


def _multiplicity_sentences(family: Mapping[str, Any] | None) -> list[str]:
    """How the month's changes were judged: one family of tests, and the comparisons chosen in advance."""
    if not family:
        return []

    def named(test: str) -> str:
        measure, _, kind = test.partition(".")
        what = {"change": "month-on-month change", "trend": "12-month trend"}.get(kind)
        known = measure in MEASURE_LABELS and what
        return f"the {what} in the share who {MEASURE_LABELS[measure]}" if known else test

    missing = "; ".join(named(t) for t in family.get("primary_not_tested", []))
    return [
        f"How changes are judged: this month's {family['tests_in_family']} statistical tests were judged together, "
        f"keeping the expected share of false alarms among changes called clear to {family['false_discovery_rate']:.0%} "
        "(Benjamini–Hochberg). Only comparisons the steering group chose in advance can be called a clear change ("
        f"{'; '.join(named(t) for t in family.get('primary', [])) or 'none'}); every other result is consistent with "
        "chance, its interval shown for exploration only."
        + (f" Not testable this month (a share not shown, or no answers): {missing}." if missing else "")
    ]


def _its_sentences(rows: list[Mapping[str, Any]], names: Mapping[str, str], level: str) -> list[str]:
    """The interrupted-time-series rate ratio of each partner indicator (campaigns: :func:`campaign_sentences`)."""
    out: list[str] = []
    for row in rows:
        rr, low, high = row["rate_ratio"], row["low"], row["high"]
        if rr is None or not row["series"].startswith("partner:"):
            continue
        unclear = _includes(low, high, 1.0)
        verdict = " No clear change: the interval includes a rate ratio of 1 (no change)." if unclear else ""
        indicator = row["series"].split(":", 1)[1].replace("_", " ")
        out.append(
            f"Partner indicator ({indicator}): after the campaign the proportion was {rr:.2f} times "
            f"({level} CI {low:.2f} to {high:.2f}) what the earlier trend predicted, a change of "
            f"{_rel(rr - 1)}.{verdict} This compares the same series before and after; anything else that "
            "changed at the same time (staffing, recording practice, other work) could explain part of it."
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
        One sentence (or two) per estimate, in report order: how changes are judged (the month's
        tests together), out-takes, month-on-month changes, trends, precision, interrupted time
        series, counterfactuals, themes, notes.
    """
    month = summary.get("month") or summary["outtakes"]["month"]
    label = month_label(month)
    level = f"{float(summary.get('level', 0.95)):.0%}"
    out = _multiplicity_sentences(summary.get("multiplicity"))
    out += _outtake_sentences(summary["outtakes"], month, label, level)
    for plan in summary.get("precision", []):
        out.append(
            f"Precision: {plan['sentence']} This month there were {plan['responses_this_month']} answers."
        )
    out += _engagement_sentences(summary.get("engagement") or {}, label, level)
    names = {c["campaign"]: c.get("name", c["campaign"]) for c in summary.get("campaigns", [])}
    out += _its_sentences(summary.get("its", []), names, level)
    out += campaign_sentences(summary, level)
    out += campaign_caveats(summary)
    out += _theme_sentences(summary.get("themes"))
    for note in summary.get("notes", []):
        out.append(f"Not estimated: {note}.")
    return out


_VERDICT_TEXT = {
    "rise": "a clear rise",
    "fall": "a clear fall",
    "no clear change": "no clear change",
    "consistent with chance": "consistent with chance",
    "descriptive": "a difference only, not tested",
    "not comparable": "not comparable",
}


def _why(change: Mapping[str, Any], verdict: str, interval: bool) -> str:
    """Why a comparison got its verdict: the month's family of tests (``q_value``), or the interval rule."""
    q = change.get("q_value")
    q_text = "" if q is None else f", q {'< 0.001' if q < 0.001 else f'= {q:.3f}'} across the month's tests"
    if verdict in ("rise", "fall") and q is not None:
        return f"chosen in advance, and clear after allowing for the month's other tests{q_text}"
    if verdict == "consistent with chance" and change.get("primary"):
        return f"chosen in advance, but not clear once the month's other tests are allowed for{q_text}"
    if verdict == "consistent with chance":
        return f"exploratory: not chosen in advance{q_text}"
    if interval:
        return f"the interval of the change {'includes' if verdict == 'no clear change' else 'excludes'} zero"
    return "the two intervals overlap" if verdict == "no clear change" else "the two intervals do not overlap"


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
    if value.get("estimate") is None and value.get("low") is not None and value.get("high") is not None:
        return f"{_range_text(value, unit)} (a range, so no best-estimate comparison)"
    if value.get("estimate") is None:
        return f"no figure ({value.get('reason') or 'not estimated'}), so no comparison"
    before = format_value(value["estimate"], unit)
    if value.get("low") is not None and value.get("high") is not None:
        before += f" ({_range_text(value, unit)})"
    verdict = change.get("verdict", "not comparable")
    if verdict == "not comparable":
        return f"{before}; no comparison (no figure this month)"
    moved = format_change(change.get("estimate"), unit)
    if verdict == "descriptive":
        note = change.get("note") or "no test allows for how these figures cluster"
        return f"{before}; {moved}: {_VERDICT_TEXT[verdict]} ({note})"
    if change.get("low") is not None and change.get("high") is not None:
        interval = format_change_interval(change["low"], change["high"], unit)
        return f"{before}; {moved} (95% interval {interval}): {_VERDICT_TEXT[verdict]}, {_why(change, verdict, True)}"
    return f"{before}; {moved}: {_VERDICT_TEXT[verdict]}, {_why(change, verdict, False)}"


def _compared(tile: Mapping[str, Any]) -> str:
    """A tile's comparisons as one sentence (empty when it has none)."""
    parts = [f"compared with {c['label']}: {change_text(c, tile['unit'])}" for c in tile["comparisons"]]
    return ("C" + "; ".join(parts)[1:] + ".") if parts else ""


def _reach_sentence(tile: Mapping[str, Any], when: str) -> str:
    """The people-reached tile in words (a range: how channels overlap is not measured)."""
    v = tile["value"]
    if v.get("low") is None:
        return f"The number of people reached in {when} could not be worked out: {v.get('reason')}."
    if v.get("high") is None:
        return f"In {when} at least {format_value(v['low'], 'people')} people were reached online."
    best = "" if v.get("estimate") is None else f" (best estimate {format_value(v['estimate'], 'people')})"
    return (
        f"In {when} between {format_value(v['low'], 'people')} and {format_value(v['high'], 'people')} people saw "
        f"at least one safer-sleep web page, video or post, each person counted once{best}: the range runs from "
        f"everyone reached by the biggest channel having seen the others too, to no one seeing two. {_compared(tile)}"
    )


def _coverage_sentence(tile: Mapping[str, Any]) -> str:
    """The coverage tile (share of families with a newborn reached) in words."""
    v = tile["value"]
    if v.get("low") is None:
        return f"The share of families with a newborn reached is {v.get('reason')}."
    births = f" (about {format_value(v['births'], 'people')} births in the month)" if v.get("births") else ""
    best = "" if v.get("estimate") is None else f" (best estimate {format_value(v['estimate'], 'share')})"
    return (
        f"Between {format_value(v['low'], 'share')} and {format_value(v['high'], 'share')} of Norfolk families with "
        f"a newborn{births} remembered at least one safer-sleep web page, video, post or leaflet when their health "
        f"visitor asked at the new-birth visit{best}. {_compared(tile)}"
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
    how = (
        "the same month's days before the campaign, relative to pages it did not promote, predict "
        "(interrupted time series, the method chosen for this campaign)"
        if campaign.get("primary_method") == "time_series"
        else "the model predicts without the campaign"
    )
    if campaign.get("placebo_finds_effect"):
        clear += (
            " A placebo check found a change where there was no campaign, so this is not distinguishable "
            "from normal variation."
        )
    return (
        f"During {campaign['name']}{dates} the campaign's web pages had {_more_or_fewer(v['estimate'])} views "
        f"than {how} ({range_text}).{clear} This counts page views, not "
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


# ---------------------------------------------------------------------------------------------
# Tiles whose sources were missing or unusable
# ---------------------------------------------------------------------------------------------


def _lacking_text(row: Any) -> str:
    """One source that is not present, in words: why it could not be used."""
    if row.status == "unusable":
        return f"{row.label}: an export was there but could not be used ({row.detail})"
    if row.status == "partial":
        return f"{row.label}: only part of the month ({row.detail})"
    return f"{row.label}: no export"


def explain_unavailable(glance: Mapping[str, Any], readiness: Any) -> dict:
    """The At a glance tiles, saying why a figure is missing when an export was there but unusable.

    A tile with no figure whose sources (:data:`reach.tidy.readiness.TILE_NEEDS`) were present but
    unusable, or covered part of the month, gets that as its reason instead of "no export"; a
    tile with a figure made without one of its sources says so in its note. Tiles whose sources
    are all present, or all simply missing, are returned unchanged.

    Parameters
    ----------
    glance : Mapping
        From :func:`reach.summary.glance.glance`; not modified.
    readiness : pandas.DataFrame or None
        The processed ``readiness`` table (None for tables built before it existed).

    Returns
    -------
    dict
        A copy of ``glance`` with the tiles' ``value["reason"]`` and ``note`` updated.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame([{"source": "feedback", "label": "Family feedback", "headline": True,
    ...     "status": "unusable", "detail": "form.csv: no question found", "fix": ""}])
    >>> tile = {"key": "helpful", "value": {"estimate": None, "low": None, "high": None,
    ...         "reason": "nobody answered the feedback form"}, "note": None}
    >>> explain_unavailable({"tiles": [tile]}, table)["tiles"][0]["value"]["reason"].split(": ", 1)[1]
    'Family feedback: an export was there but could not be used (form.csv: no question found)'
    """
    if readiness is None or len(readiness) == 0:
        return dict(glance)
    rows = {row.source: row for row in readiness.itertuples(index=False)}
    tiles = []
    for tile in glance["tiles"]:
        lacking = [
            rows[k] for k in TILE_NEEDS.get(tile["key"], ()) if k in rows and rows[k].status != "present"
        ]
        if not lacking:
            tiles.append(tile)
            continue
        words = "; ".join(_lacking_text(row) for row in lacking)
        value = dict(tile["value"])
        tile = {**tile, "value": value}
        if value.get("estimate") is None and value.get("low") is None:
            if any(row.status != "missing" for row in lacking):
                lead = "not measured" if tile["key"] == "coverage" else "no usable export for the month"
                value["reason"] = f"{lead}: {words}"
        else:
            made = f"Made without all its sources: {words}."
            tile["note"] = f"{tile['note']} {made}" if tile.get("note") else made
        tiles.append(tile)
    return {**glance, "tiles": tiles}
