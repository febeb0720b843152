"""The steering group's paper: at most five findings in plain words, and what they mean for the partnership.

Every sentence here is written from the At a glance tiles (:func:`reach.summary.glance.glance`),
so a finding says the same as its tile: the same figure and interval, the same status judged
the same way (the interval against the target), and the same verdict on the change since last
month (or since the previous campaign). Methods, model names and statistical terms stay in the
technical appendix; here a figure is "a range", "a 95% interval", "a clear rise" or "could be
chance".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from reach.core.formatting import format_change, format_value
from reach.core.months import month_label

#: The most findings the steering paper shows (one per tile).
MAX_FINDINGS = 5


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _more_or_fewer(value: float) -> str:
    """``0.37`` → ``"37% more"``, ``-0.1`` → ``"10% fewer"``, ``0`` → ``"0% (no change)"``."""
    if round(abs(float(value)), 2) == 0:
        return "0% (no change)"
    return f"{abs(float(value)):.0%} " + ("fewer" if value < 0 else "more")


def _level(value: float, unit: str) -> str:
    """A target, floor or figure in words: ``"1,000"``, ``"90%"``, ``"10% more"``."""
    return _more_or_fewer(value) if unit == "relative" else format_value(value, unit)


def _interval(value: Mapping[str, Any], unit: str) -> str:
    return f"95% interval {_level(value['low'], unit)} to {_level(value['high'], unit)}"


def _dates(start: object, end: object) -> str:
    """A campaign's dates, e.g. ``" (12 to 25 October 2026)"``; empty when unknown."""
    if not start or not end:
        return ""
    first, last = dt.date.fromisoformat(str(start)[:10]), dt.date.fromisoformat(str(end)[:10])
    if (first.year, first.month) == (last.year, last.month):
        return f" ({first.day} to {last.day} {last:%B %Y})"
    if first.year == last.year:
        return f" ({first.day} {first:%B} to {last.day} {last:%B %Y})"
    return f" ({first.day} {first:%B %Y} to {last.day} {last:%B %Y})"


# ---------------------------------------------------------------------------------------------
# The figure of each tile in words
# ---------------------------------------------------------------------------------------------


def _amount(value: Mapping[str, Any], unit: str) -> str | None:
    """A figure with its interval or range (``"between 809 and 4,743"``), or None without one."""
    low, high, estimate = value.get("low"), value.get("high"), value.get("estimate")
    if estimate is None and low is not None and high is not None:
        return f"between {_level(low, unit)} and {_level(high, unit)}"
    if estimate is None and low is not None:
        return f"at least {_level(low, unit)}"
    if estimate is None:
        return None
    if low is None or high is None:
        return _level(estimate, unit)
    return f"{_level(estimate, unit)} ({_interval(value, unit)})"


def _figure(tile: Mapping[str, Any], when: str) -> str:
    """What the tile's figure says, in one or two plain sentences."""
    key, value, unit = tile["key"], tile["value"], tile["unit"]
    amount = _amount(value, unit)
    if amount is None:
        label = tile["label"]
        if key == "campaign_effect" and tile.get("campaign"):
            label = f"Latest campaign ({tile['campaign']['name']})"
        return f"{label}: no figure for {when} ({value.get('reason') or 'not estimated'})."
    if key == "reach_people":
        text = (
            f"{_upper_first(amount)} people saw at least one safer-sleep web page, video or post in {when}, "
            "each person counted once."
        )
        if value.get("estimate") is None:
            text += " It is a range because we cannot yet tell how many people saw more than one of them."
        return text
    if key == "coverage":
        return (
            f"{_upper_first(amount)} of Norfolk families with a newborn remembered seeing safer-sleep advice when "
            f"their health visitor asked at the new-birth visit in {when}."
        )
    if key == "engagement_rate":
        visits = value.get("sessions")
        of = f" of the {format_value(visits, 'people')} visits" if visits else " of the visits"
        return (
            f"{_upper_first(amount)}{of} to the safer-sleep web pages in {when} were engaged: the visitor stayed "
            "more than 10 seconds, opened a second page or took a tracked action."
        )
    if key == "helpful":
        answered = value.get("n")
        who = f" (about {answered})" if answered not in (None, "*", "0") else ""
        return (
            f"{_upper_first(amount)} of the people who answered the feedback form in {when}{who} found the "
            "information helpful. They chose to answer, so they may not speak for everyone reached."
        )
    if key == "campaign_effect":
        return _campaign_figure(tile)
    return f"{tile['label']}: {amount} in {when}."


def _campaign_figure(tile: Mapping[str, Any]) -> str:
    """The latest campaign's extra page views in words."""
    value, campaign = tile["value"], tile.get("campaign") or {}
    name = campaign.get("name", "The latest campaign")
    text = (
        f"During {name}{_dates(campaign.get('start'), campaign.get('end'))} its web pages had "
        f"{_more_or_fewer(value['estimate'])} views than expected had there been no campaign"
    )
    if value.get("low") is not None and value.get("high") is not None:
        text += f" ({_interval(value, 'relative')})"
    text += ". This counts page views, not people."
    if campaign.get("placebo_finds_effect"):
        text += (
            " A check on dates with no campaign found a change as well, so treat this figure with caution."
        )
    return text


# ---------------------------------------------------------------------------------------------
# The status (as the tile judges it) and the change the tile shows
# ---------------------------------------------------------------------------------------------


def _status(tile: Mapping[str, Any]) -> str:
    """The tile's status in words, judged as the tile judges it: the whole interval against the target."""
    label, status, value, unit = tile["status_label"], tile["status"], tile["value"], tile["unit"]
    target = tile.get("target")
    if target is None:
        return f"{label}: no target is set for this measure."
    if value.get("low") is None or value.get("high") is None:
        return f"{label}: there is no 95% interval this month to judge it against the target."
    aim, floor = _level(target["target"], unit), target.get("floor")
    floor_text = None if floor is None else _level(floor, unit)
    interval = "range" if value.get("estimate") is None else "95% interval"
    if status == "green":
        return f"{label}: the whole {interval} is at or above the target of {aim}."
    if status == "red":
        return (
            f"{label}: the whole {interval} is below the floor of {floor_text}, the level at which the "
            "partnership agreed to act."
        )
    if floor is not None and value["high"] < target["target"] and value["low"] >= floor:
        return (
            f"{label}: the {interval} lies between the floor of {floor_text} and the target of {aim}, so it is "
            "above the floor but short of the target."
        )
    across = f"the target of {aim}" + (
        f" and the floor of {floor_text}" if floor is not None and value["low"] < floor else ""
    )
    return f"{label}: the {interval} reaches across {across}, so the data cannot yet say whether the target was met."


def _before(value: Mapping[str, Any], unit: str) -> str:
    """The earlier figure a change is measured from."""
    if value.get("estimate") is None and value.get("low") is not None and value.get("high") is not None:
        return f"{_level(value['low'], unit)} to {_level(value['high'], unit)}"
    return _level(value["estimate"], unit)


def _change(tile: Mapping[str, Any]) -> str:
    """The tile's first comparison (last month, or the previous campaign) with the tile's own verdict."""
    if not tile["comparisons"] or tile["value"].get("estimate") is None and tile["value"].get("low") is None:
        return ""
    comparison, unit = tile["comparisons"][0], tile["unit"]
    label, value, change = comparison["label"], comparison["value"], comparison["change"]
    verdict = change.get("verdict", "not comparable")
    if value.get("estimate") is None and value.get("low") is None:
        return f"There is no comparison with {label}: {value.get('reason') or 'no figure'}."
    before = _before(value, unit)
    if verdict == "not comparable":
        kind = "also a range" if value.get("estimate") is None else "a figure"
        return f"For {label} it was {before} ({kind}), so the two cannot be compared closely."
    moved = "" if change.get("estimate") is None else f" ({format_change(change['estimate'], unit)})"
    then = "which had" if comparison.get("key") == "previous_campaign" else "when it was"
    if verdict in ("rise", "fall"):
        return f"A clear {verdict}{moved} compared with {label}, {then} {before}."
    if verdict == "no clear change":
        return f"No clear change compared with {label}, {then} {before}."
    if verdict == "consistent with chance":
        return f"Compared with {label}, {then} {before}, it moved{moved}, which could be chance."
    return f"Compared with {label}, {then} {before}, it moved{moved}; we cannot say whether that is more than chance."


def _note(tile: Mapping[str, Any]) -> str:
    """A caution the tile carries (a source missing), without the campaign tile's standing note."""
    note = tile.get("note") or ""
    marker = "Made without all its sources"
    return note[note.index(marker) :] if marker in note else ""


def findings(glance: Mapping[str, Any]) -> list[str]:
    """At most five findings for the steering group, one per tile, each saying what its tile says.

    Each finding gives the tile's figure with its interval (or range), its status judged the
    tile's way (the whole interval against the target), and the tile's verdict on the change
    since last month (or since the previous campaign), in plain words.

    Parameters
    ----------
    glance : Mapping
        From :func:`reach.summary.glance.glance` (after
        :func:`reach.report.sentences.explain_unavailable`).

    Returns
    -------
    list of str
        At most :data:`MAX_FINDINGS` sentences.

    Examples
    --------
    >>> tile = {"key": "helpful", "label": "Found the information helpful", "unit": "share",
    ...         "value": {"estimate": 0.85, "low": 0.74, "high": 0.92, "n": "60"},
    ...         "target": {"target": 0.9, "floor": 0.75}, "status": "amber", "status_label": "Watch",
    ...         "comparisons": [], "note": None}
    >>> print(findings({"month": "2026-10", "tiles": [tile]})[0])
    85% (95% interval 74% to 92%) of the people who answered the feedback form in October 2026 (about 60) found \
the information helpful. They chose to answer, so they may not speak for everyone reached. Watch: the 95% interval \
reaches across the target of 90% and the floor of 75%, so the data cannot yet say whether the target was met.
    """
    when = month_label(glance["month"])
    out = []
    for tile in glance["tiles"][:MAX_FINDINGS]:
        parts = [_figure(tile, when), _status(tile), _change(tile), _note(tile)]
        out.append(" ".join(part for part in parts if part))
    return out


# ---------------------------------------------------------------------------------------------
# What this means for the partnership
# ---------------------------------------------------------------------------------------------

_UNSETTLED = {
    "reach_people": (
        "People reached is a wide range because how many people saw more than one channel is not measured; more "
        "answers to the feedback form's question on where people saw the advice would narrow it."
    ),
    "coverage": (
        "New-birth visit returns from every district, with no small counts held back, would narrow the share of "
        "families with a newborn reached."
    ),
    "engagement_rate": "Another month of web visits will show which side of its target engagement is on.",
    "helpful": (
        "Whether families find the information helpful enough is not yet clear: more answers to the feedback form "
        "would narrow the range."
    ),
    "campaign_effect": "The latest campaign's effect is uncertain: its range is wide.",
}


#: Each tile's name inside a sentence.
SHORT_NAMES = {
    "reach_people": "people reached online",
    "coverage": "families with a newborn reached",
    "engagement_rate": "engaged web visits",
    "helpful": "finding the information helpful",
    "campaign_effect": "the latest campaign's extra page views",
}


def _names(tiles: list[Mapping[str, Any]]) -> str:
    names = [SHORT_NAMES.get(t["key"], _lower_first(t["label"])) for t in tiles]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _overview(tiles: list[Mapping[str, Any]]) -> str:
    """How many headline measures have each status, naming them."""
    groups = (
        ("green", "on track"),
        ("amber", "to watch"),
        ("red", "below target"),
        ("none", "without a status"),
    )
    parts = []
    for status, words in groups:
        members = [t for t in tiles if t["status"] == status]
        if members:
            parts.append(f"{len(members)} {words} ({_names(members)})")
    measures = "headline measure" if len(tiles) == 1 else f"{len(tiles)} headline measures"
    return f"Of the {measures}, " + "; ".join(parts) + "."


def _campaign_lesson(tile: Mapping[str, Any] | None) -> str:
    """What the latest campaign's effect means, in words consistent with its tile."""
    if tile is None or tile.get("campaign") is None or tile["value"].get("estimate") is None:
        return ""
    value, name = tile["value"], tile["campaign"]["name"]
    if value.get("low") is None or value.get("high") is None:
        return f"{name} may have changed visits to its web pages, but there is no 95% interval to say how surely."
    if value["low"] > 0:
        text = (
            f"{name} clearly drew more views of its web pages than expected without it: evidence that the "
            "campaign brought people to the advice, though not that they followed it."
        )
    elif value["high"] < 0:
        text = f"{name}'s web pages had clearly fewer views than expected: worth reviewing before the next campaign."
    else:
        text = f"{name} did not clearly change views of its web pages: its effect cannot be told from normal ups and downs."
    if tile["campaign"].get("placebo_finds_effect"):
        text += " A check on dates with no campaign found a change as well, so this is uncertain."
    return text


LIMITS = (
    "These figures show how many people the messages reached and what those who answered the form said. They cannot "
    "show whether families changed how their babies sleep, nor any effect on sudden unexpected infant deaths, which "
    "are too rare to measure month by month."
)


def partnership(glance: Mapping[str, Any]) -> list[str]:
    """What the month's figures mean for the partnership, written from the tiles' statuses.

    Parameters
    ----------
    glance : Mapping
        From :func:`reach.summary.glance.glance`.

    Returns
    -------
    list of str
        The statuses in one sentence; what needs attention (below the floor); what would settle
        the measures to watch; what the latest campaign shows; and what none of the figures can
        show. At most five items.

    Examples
    --------
    >>> tile = {"key": "engagement_rate", "label": "Engaged visits to the web pages", "status": "green"}
    >>> partnership({"month": "2026-10", "tiles": [tile]})[0]
    'Of the headline measure, 1 on track (engaged web visits).'
    """
    tiles = list(glance["tiles"])
    out = [_overview(tiles)]
    red = [t for t in tiles if t["status"] == "red"]
    if red:
        out.append(f"Needs the partnership's attention: {_names(red)}, below the agreed floor this month.")
    amber = [_UNSETTLED[t["key"]] for t in tiles if t["status"] == "amber" and t["key"] in _UNSETTLED]
    if amber:
        out.append(" ".join(amber))
    lesson = _campaign_lesson(next((t for t in tiles if t["key"] == "campaign_effect"), None))
    if lesson:
        out.append(lesson)
    out.append(LIMITS)
    return out[:MAX_FINDINGS]
