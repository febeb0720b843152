"""``reports/index.html``: every rendered month with its headline figures and small trend charts.

Months from the synthetic sample and months from real exports are kept apart (two tables, two
sets of charts), and a trend line is never drawn across a month with no figure.

:func:`render_index` is pure (summaries in, HTML out, through an autoescaping Jinja2 template);
:func:`write_index` reads each month's ``summary.json`` and replaces the index atomically. The
page follows the report's rules: no scripts, nothing fetched, real table headers, charts with
text alternatives whose numbers are also in the table.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

import jinja2

from reach.core.months import month_label, month_range_unchecked

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"


SERIES = (("web", "page_views", "Web page views"), ("video", "views", "Video views"))


REACH_LABEL = "People reached online (line: lower limit or estimate; shaded: range or 95% interval)"


def _number(value: object) -> str:
    return "–" if value is None else f"{int(value):,}"


def _helpful(summary: dict) -> str:
    helpful = summary.get("feedback", {}).get("helpful", {})
    if helpful.get("estimate") is None:
        return "too few answers to show" if helpful.get("suppressed") else "no answers"
    return f"{helpful['estimate']:.0%} ({helpful['low']:.0%} to {helpful['high']:.0%})"


def _reach(summary: dict) -> str:
    """Combined reach with its range or interval, e.g. ``"1,020 to 3,136 (a range)"``, or why there is none."""
    combined = (summary.get("reach") or {}).get("combined") or {}
    if combined.get("estimate") is None and combined.get("low") is None:
        return (
            "not estimated (no channel exported)" if summary.get("reach") else "not in this month's summary"
        )
    if combined.get("high") is None:
        return f"at least {_number(combined['low'])} (no upper limit: a channel was not exported)"
    if combined.get("estimate") is None:
        return f"{_number(combined['low'])} to {_number(combined['high'])} (a range)"
    return f"{_number(combined['estimate'])} ({_number(combined['low'])} to {_number(combined['high'])})"


def _coverage(summary: dict) -> str:
    """Coverage of families with a newborn with its range or interval, or why there is none."""
    coverage = (summary.get("reach") or {}).get("coverage") or {}
    if coverage.get("low") is None or coverage.get("high") is None:
        return (
            "not measured (no health-visitor recall return)"
            if summary.get("reach")
            else "not in this month's summary"
        )
    if coverage.get("estimate") is None:
        return f"{coverage['low']:.0%} to {coverage['high']:.0%} (a range)"
    return f"{coverage['estimate']:.0%} ({coverage['low']:.0%} to {coverage['high']:.0%})"


def _runs(present: Sequence[bool]) -> list[list[int]]:
    """Runs of consecutive indices where ``present`` is true, e.g. ``[T, T, F, T]`` → ``[[0, 1], [3]]``."""
    runs: list[list[int]] = []
    for index, here in enumerate(present):
        if not here:
            continue
        if runs and runs[-1][-1] == index - 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    return runs


def _gap_text(months: Sequence[str], values: Sequence[float | None]) -> str:
    """The months inside the series with no figure, in words (``""`` when there are none)."""
    present = [i for i, v in enumerate(values) if v is not None]
    inside = range(present[0], present[-1] + 1)
    spans = _runs([i in inside and values[i] is None for i in range(len(values))])
    if not spans:
        return ""
    words = [
        month_label(months[run[0]])
        if len(run) == 1
        else f"{month_label(months[run[0]])} to {month_label(months[run[-1]])}"
        for run in spans
    ]
    count = sum(len(run) for run in spans)
    return (
        f" No figure for {'; '.join(words)} ({count} month{'s' if count > 1 else ''}): "
        "the line is not drawn across the gap."
    )


def sparkline(
    months: Sequence[str],
    values: Sequence[float | None],
    label: str,
    key: str,
    lows: Sequence[float | None] | None = None,
    highs: Sequence[float | None] | None = None,
) -> dict | None:
    """Points and text alternative for a small line chart of one series, optionally with an interval band.

    ``months`` should be consecutive calendar months: a month with no value (``None``) leaves a
    gap, and neither the line nor the band is ever drawn across it.

    Parameters
    ----------
    months : sequence of str
        ISO months, oldest first, one after another.
    values : sequence of float or None
        One value per month (None where missing).
    label : str
        What the series is, e.g. "Web page views".
    key : str
        A short id for the SVG title.
    lows, highs : sequence of float or None, optional
        The interval of each month; drawn as a shaded band where both limits are known.

    Returns
    -------
    dict or None
        ``id``, ``width``, ``height``, ``segments`` (the points of each unbroken run of two or
        more months), ``markers`` (one per month with a value), ``bands`` (polygon points of each
        unbroken run of two or more intervals), ``alt``, ``caption``; None with fewer than two
        values.

    Examples
    --------
    >>> line = sparkline(["2026-01", "2026-02", "2026-03", "2026-04"], [1, 2, None, 4], "Views", "v")
    >>> len(line["segments"]), len(line["markers"])
    (1, 3)
    """
    present = [(m, v) for m, v in zip(months, values, strict=True) if v is not None]
    if len(present) < 2:
        return None
    lows = list(lows) if lows is not None else [None] * len(months)
    highs = list(highs) if highs is not None else [None] * len(months)
    width, height, pad = 320, 80, 4
    # The axis starts at zero so a small change never looks like a large one.
    low, high = 0.0, max([v for _, v in present] + [h for h in highs if h is not None])
    span = (high - low) or 1.0
    step = (width - 2 * pad) / (len(months) - 1)

    def x_of(index: int) -> float:
        return round(pad + index * step, 1)

    def y_of(value: float) -> float:
        return round(height - pad - (value - low) / span * (height - 2 * pad), 1)

    markers = [(x_of(i), y_of(v)) for i, v in enumerate(values) if v is not None]
    segments = [
        " ".join(f"{x_of(i)},{y_of(values[i])}" for i in run)
        for run in _runs([v is not None for v in values])
        if len(run) >= 2
    ]
    bands = []
    for run in _runs([lo is not None and hi is not None for lo, hi in zip(lows, highs, strict=True)]):
        if len(run) >= 2:
            upper = [f"{x_of(i)},{y_of(highs[i])}" for i in run]
            lower = [f"{x_of(i)},{y_of(lows[i])}" for i in reversed(run)]
            bands.append(" ".join(upper + lower))
    peak = max(present, key=lambda item: item[1])
    first, last = present[0], present[-1]
    alt = (
        f"Line chart of {label.lower()} by month, {month_label(first[0])} to {month_label(last[0])}: "
        f"from {_number(first[1])} to {_number(last[1])}, highest in {month_label(peak[0])} ({_number(peak[1])})."
    )
    last_index = len(months) - 1 - [v is not None for v in values][::-1].index(True)
    if bands and lows[last_index] is not None and highs[last_index] is not None:
        alt += (
            f" A shaded band shows each month's 95% interval; {month_label(months[last_index])}: "
            f"{_number(lows[last_index])} to {_number(highs[last_index])}."
        )
    alt += _gap_text(months, values)
    return {
        "id": f"trend-{key}",
        "width": width,
        "height": height,
        "segments": segments,
        "markers": markers,
        "bands": bands,
        "alt": alt,
        "caption": f"{label}, {month_label(first[0])} to {month_label(last[0])}",
    }


def _trends(ordered: Sequence[dict], prefix: str) -> list[dict]:
    """The small trend charts of one group of months, on the calendar from its first to its last month."""
    by_month = {s["month"]: s for s in ordered}
    months = month_range_unchecked(ordered[0]["month"], ordered[-1]["month"]) if ordered else []
    series = [by_month.get(m) for m in months]
    trends = []
    combined = [((s or {}).get("reach") or {}).get("combined") or {} for s in series]
    line = sparkline(
        months,
        [c.get("low") if c.get("estimate") is None else c.get("estimate") for c in combined],
        REACH_LABEL,
        f"{prefix}reach",
        [c.get("low") for c in combined],
        [c.get("high") for c in combined],
    )
    if line is not None:
        trends.append(line)
    for section, field, label in SERIES:
        values = [(s or {}).get(section, {}).get(field) for s in series]
        line = sparkline(months, values, label, f"{prefix}{section}")
        if line is not None:
            trends.append(line)
    return trends


def _row(s: dict) -> dict:
    """One month's row of the index table."""
    return {
        "href": f"{s['month']}/report.html",
        "label": month_label(s["month"]),
        "sample": bool(s.get("sample")),
        "web": _number(s.get("web", {}).get("page_views")),
        "video": _number(s.get("video", {}).get("views")),
        "social": _number(s.get("social", {}).get("post_views")),
        "helpful": _helpful(s),
        "reach": _reach(s),
        "coverage": _coverage(s),
    }


#: The two groups of months: (from the synthetic sample?, id prefix, heading).
GROUPS = (
    (False, "", "Months from the real exports"),
    (True, "sample-", "Months from the synthetic sample (SAMPLE DATA: not real figures)"),
)


#: The sections of periods longer than a month: (``period.kind``, id, heading).
PERIOD_SECTIONS = (
    ("quarter", "quarters", "Quarters"),
    ("year", "years", "Financial years (April to March)"),
    ("campaign", "campaigns", "Campaigns"),
)


def period_sections(summaries: Sequence[dict]) -> list[dict]:
    """The quarters, years and campaigns rendered, one section per kind, newest first.

    Parameters
    ----------
    summaries : sequence of dict
        Each period folder's ``summary.json`` (:func:`reach.summary.period.period_summary`).

    Returns
    -------
    list of dict
        ``id``, ``heading`` and ``rows`` (``href``, ``label``, ``sample``, ``reach``,
        ``sum_of_months``, ``helpful``) for each kind with at least one report.

    Examples
    --------
    >>> s = {"sample": True, "period": {"kind": "quarter", "key": "2026-Q3", "label": "July to September 2026",
    ...      "start": "2026-07-01"}, "reach": {"combined": {"low": 747, "high": 10057}, "sum_of_months": 10173},
    ...      "feedback": {"helpful": {}}}
    >>> row = period_sections([s])[0]["rows"][0]
    >>> row["href"], row["reach"], row["sum_of_months"]
    ('2026-Q3/report.html', '747 to 10,057 (a range)', '10,173')
    """
    sections = []
    for kind, ident, heading in PERIOD_SECTIONS:
        members = sorted(
            (s for s in summaries if (s.get("period") or {}).get("kind") == kind),
            key=lambda s: s["period"]["start"],
            reverse=True,
        )
        rows = [
            {
                "href": f"{s['period']['key']}/report.html",
                "label": s["period"]["label"],
                "sample": bool(s.get("sample")),
                "reach": _reach(s),
                "sum_of_months": _number((s.get("reach") or {}).get("sum_of_months")),
                "helpful": _helpful(s),
            }
            for s in members
        ]
        if rows:
            sections.append({"id": ident, "heading": heading, "rows": rows})
    return sections


def render_index(
    summaries: Sequence[dict], title: str, organisation: str, periods: Sequence[dict] = ()
) -> str:
    """Render the month index.

    Months made from the synthetic sample and months made from real exports are listed and
    charted apart, real months first: a trend never joins the two, and never joins a line across
    a month with no figure.

    Parameters
    ----------
    summaries : sequence of dict
        Each month's ``summary.json``, any order.
    title, organisation : str
        Page title and organisation name (from the settings).
    periods : sequence of dict, optional
        Each quarter's, year's and campaign's ``summary.json`` (:func:`period_sections`).

    Returns
    -------
    str
        The HTML page.

    Examples
    --------
    >>> page = render_index([{"month": "2026-10", "sample": True}], "Reach", "NSCP")
    >>> "Months from the synthetic sample" in page, "Months from the real exports" in page
    (True, False)
    """
    ordered = sorted(summaries, key=lambda s: s["month"])
    groups = []
    for sample, prefix, heading in GROUPS:
        members = [s for s in ordered if bool(s.get("sample")) is sample]
        if members:
            groups.append(
                {
                    "id": f"{prefix}months",
                    "heading": heading,
                    "sample": sample,
                    "trends": _trends(members, prefix),
                    "rows": [_row(s) for s in reversed(members)],
                }
            )
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR), autoescape=True, undefined=jinja2.StrictUndefined
    )
    return environment.get_template("index.html.j2").render(
        title=title,
        organisation=organisation,
        groups=groups,
        any_sample=any(g["sample"] for g in groups),
        periods=period_sections(periods),
    )


def write_index(reports_root: str | Path, title: str, organisation: str) -> Path:
    """Rebuild ``<reports_root>/index.html`` from every month folder's ``summary.json``.

    Parameters
    ----------
    reports_root : str or pathlib.Path
        The reports folder.
    title, organisation : str
        From the settings.

    Returns
    -------
    pathlib.Path
        The index file, replaced atomically.
    """
    root = Path(reports_root)
    summaries = []
    for path in sorted(root.glob("[0-9][0-9][0-9][0-9]-[0-9][0-9]/summary.json")):
        summaries.append(json.loads(path.read_text(encoding="utf-8")))
    periods = [
        json.loads(path.read_text(encoding="utf-8"))
        for pattern in ("[0-9][0-9][0-9][0-9]-Q[1-4]", "FY[0-9][0-9][0-9][0-9]-[0-9][0-9]", "campaign-*")
        for path in sorted(root.glob(f"{pattern}/summary.json"))
    ]
    target = root / "index.html"
    partial = root / f".index.html.{os.getpid()}.tmp"
    partial.write_text(render_index(summaries, title, organisation, periods), encoding="utf-8")
    os.replace(partial, target)
    return target
