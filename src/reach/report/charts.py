"""Charts for the report: pure functions from tables to a :class:`Chart` (figure, alt text, caption, data).

Charts use one colour-blind-safe palette (Okabe–Ito) and never rely on colour alone: each series
also has its own marker and line style. Figures are built with :class:`matplotlib.figure.Figure`
directly, so no global pyplot state is touched.

matplotlib's Agg canvas and font manager are imported only where a chart's margins are
measured.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from dataclasses import dataclass

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.figure import Figure

from reach.core.months import month_label, shift_month

OKABE_ITO = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")


SERIES_STYLE = (("o", "-"), ("s", "--"), ("^", ":"), ("D", "-."))


# Margins of the month-axis charts, whose tick labels are short ("1,750", "80%", "Oct").
TIME_MARGINS = {"left": 0.1, "right": 0.98, "top": 0.96, "bottom": 0.1}


@dataclass
class Chart:
    """A figure with everything needed to show it accessibly.

    Attributes
    ----------
    figure : matplotlib.figure.Figure
    alt : str
        Alternative text: chart type and main message.
    caption : str
        Visible caption.
    data : pandas.DataFrame
        The numbers behind the chart, shown as a table next to it.
    formats : dict of str to str, optional
        Column -> format string for the table (numeric columns default to whole numbers).
    """

    figure: Figure
    alt: str
    caption: str
    data: pd.DataFrame
    formats: dict[str, str] | None = None


def _fmt(value: float) -> str:
    return f"{value:,.0f}"


def trend_chart(trend: pd.DataFrame, campaigns: pd.DataFrame, series: dict[str, str]) -> Chart:
    """Line charts of monthly totals, one panel per series on its own scale, campaign periods shaded.

    Each platform counts a view its own way, so the series are never drawn on one axis: each has
    its own panel and scale, and the panels share the month axis.

    Parameters
    ----------
    trend : pandas.DataFrame
        ``month`` plus one column per series (from :func:`reach.estimate.engagement.monthly_trend`).
    campaigns : pandas.DataFrame
        ``name``, ``start``, ``end`` (ISO dates).
    series : dict of str to str
        Column -> label, in drawing order.

    Returns
    -------
    Chart
    """
    dates = pd.to_datetime(trend["month"] + "-01")
    count = max(len(series), 1)
    height = 1.75 * count + 0.75
    # Fixed margins (the labels here are short), cheaper to draw than the constrained layout engine.
    figure = Figure(figsize=(9, height), dpi=100)
    figure.subplots_adjust(left=0.1, right=0.98, top=1 - 0.3 / height, bottom=0.45 / height, hspace=0.5)
    panels = figure.subplots(count, 1, sharex=True, squeeze=False)[:, 0]
    first, last = dates.min(), dates.max() + pd.offsets.MonthEnd(0)
    shown = []
    for record in campaigns.itertuples(index=False):
        start, end = pd.Timestamp(record.start), pd.Timestamp(record.end)
        if end >= first and start <= last:
            for axes in panels:
                axes.axvspan(start, end, color="#999999", alpha=0.25, linewidth=0)
            shown.append(f"{record.name} ({start:%d %b %Y} to {end:%d %b %Y})")
    phrases = []
    for index, (axes, (column, label)) in enumerate(zip(panels, series.items(), strict=False)):
        marker, style = SERIES_STYLE[index % len(SERIES_STYLE)]
        values = trend[column].astype("Float64")
        axes.plot(
            dates,
            values.astype(float),
            marker=marker,
            linestyle=style,
            color=OKABE_ITO[index],
            markersize=4,
            linewidth=1.8,
        )
        axes.set_title(f"{label} per month", loc="left", fontsize=TEXT_SIZE + 1)
        top = float(values.max()) if values.notna().any() else 1.0
        axes.set_ylim(0, max(top, 1.0) * 1.15)
        axes.yaxis.set_major_formatter(lambda value, _pos: f"{value:,.0f}")
        axes.grid(axis="y", color="#dddddd")
        axes.spines[["top", "right"]].set_visible(False)
        if values.notna().any():
            peak = int(values.astype(float).idxmax())
            phrases.append(
                f"{label.lower()} ranged from {_fmt(values.min())} to {_fmt(values.max())}, "
                f"highest in {month_label(trend['month'].iloc[peak])}"
            )
    locator = mdates.AutoDateLocator(minticks=4, maxticks=10)
    panels[-1].xaxis.set_major_locator(locator)
    panels[-1].xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    period = f"{month_label(trend['month'].iloc[0])} to {month_label(trend['month'].iloc[-1])}"
    alt = (
        f"Line charts of monthly views, {period}, one panel per platform, each on its own scale: "
        + "; ".join(phrases)
        + "."
    )
    if shown:
        alt += " Grey bands mark campaigns: " + "; ".join(shown) + "."
    caption = (
        f"Monthly views of the registered safer-sleep assets, {period}: one panel per platform, each on its own "
        "scale, because each platform counts a view its own way. Grey bands are campaign periods."
    )
    data = trend[["month", *series]].rename(columns=series)
    return Chart(figure, alt, caption, data)


def asset_bar_chart(by_asset: pd.DataFrame, value: str, label: str, month: str) -> Chart:
    """Horizontal bar chart of one measure per asset, largest first.

    Parameters
    ----------
    by_asset : pandas.DataFrame
        ``asset_title`` and the ``value`` column (from :mod:`reach.summary`).
    value : str
        Column to plot.
    label : str
        What the value is, e.g. "Page views".
    month : str
        Reporting month.

    Returns
    -------
    Chart
    """
    ordered = by_asset.sort_values(value, ascending=True)
    figure = Figure(figsize=(9, 0.45 * max(len(ordered), 2) + 1.2), dpi=100, layout="constrained")
    axes = figure.add_subplot()
    axes.barh(ordered["asset_title"], ordered[value].astype(float), color=OKABE_ITO[0])
    for position, number in enumerate(ordered[value].astype(float)):
        axes.text(number, position, f" {number:,.0f}", va="center", fontsize=9)
    axes.set_xlabel(label)
    axes.xaxis.set_major_formatter(lambda v, _pos: f"{v:,.0f}")
    axes.spines[["top", "right"]].set_visible(False)
    when = month_label(month)
    if len(ordered):
        top, bottom = ordered.iloc[-1], ordered.iloc[0]
        alt = (
            f"Bar chart of {label.lower()} by asset in {when}: {top['asset_title']} had the most "
            f"({_fmt(top[value])}) and {bottom['asset_title']} the fewest ({_fmt(bottom[value])}), "
            f"across {len(ordered)} assets."
        )
    else:
        alt = f"Bar chart of {label.lower()} by asset in {when}: no asset had any."
    caption = f"{label} by asset, {when}."
    data = by_asset[["asset_title", value]].rename(columns={"asset_title": "Asset", value: label})
    return Chart(figure, alt, caption, data)


# ---------------------------------------------------------------------------------------------
# Trend with an interval band, asset league, channel funnel, district comparison.
# One style throughout: Okabe–Ito blue for this month's figures, black for comparisons and
# targets, grey for context; every value is also written on the chart or in the table.
# ---------------------------------------------------------------------------------------------

INTERVAL_ALPHA = 0.22


TEXT_SIZE = 10


def _style(axes, grid: str = "y") -> None:
    axes.grid(axis=grid, color="#dddddd", linewidth=0.8)
    axes.set_axisbelow(True)
    axes.spines[["top", "right"]].set_visible(False)
    axes.tick_params(labelsize=TEXT_SIZE)


def _fit_margins(
    figure: Figure, labels: list[str], fontsize: float, top: float, bottom: float, **extra
) -> None:
    """Fixed margins that fit the longest axis label, measured once (cheaper than a layout engine).

    Parameters
    ----------
    figure : matplotlib.figure.Figure
    labels : list of str
        The y-axis tick labels (lines separated by newlines).
    fontsize : float
        Their font size.
    top, bottom : float
        Space in inches above and below the axes.
    **extra
        Passed to ``subplots_adjust`` (e.g. ``hspace``).
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.font_manager import FontProperties

    renderer = FigureCanvasAgg(figure).get_renderer()
    prop = FontProperties(size=fontsize)
    lines = [line for label in labels for line in str(label).split("\n")] or [""]
    widest = max(renderer.get_text_width_height_descent(line, prop, ismath=False)[0] for line in lines)
    width, height = figure.get_size_inches()
    left = min(0.6, (widest / figure.dpi + 0.3) / width)  # 0.3 in: tick, padding and a little air
    figure.subplots_adjust(left=left, right=0.96, top=1 - top / height, bottom=bottom / height, **extra)


def _short_month(month: str) -> str:
    return pd.Timestamp(f"{month}-01").strftime("%b %Y")


def _pct(value: float | None) -> str:
    return "–" if value is None or pd.isna(value) else f"{float(value):.0%}"


def _wrap(text: str, width: int = 34) -> str:
    return "\n".join(textwrap.wrap(str(text), width)) or str(text)


def _interval_trend_alt(
    trend: pd.DataFrame, estimate: pd.Series, label: str, target: float | None, hidden_reason: str
) -> str:
    """Alt text of :func:`interval_trend_chart`: range, latest month, months without a point, target."""
    period = f"{month_label(trend['month'].iloc[0])} to {month_label(trend['month'].iloc[-1])}"
    shown = trend[estimate.notna().to_numpy()]
    alt = f"Line chart with a shaded 95% interval band of the share who {label.lower()}, by month, {period}."
    if len(shown):
        values = shown["estimate"].astype(float)
        top, bottom = shown.loc[values.idxmax()], shown.loc[values.idxmin()]
        last = trend.iloc[-1]
        alt += (
            f" Lowest {_pct(bottom['estimate'])} in {month_label(bottom['month'])}, highest {_pct(top['estimate'])} in "
            f"{month_label(top['month'])}."
        )
        if pd.notna(last["estimate"]):
            alt += (
                f" {month_label(last['month'])}: {_pct(last['estimate'])} "
                f"(95% interval {_pct(last['low'])} to {_pct(last['high'])})."
            )
    missing = int(estimate.isna().sum())
    if missing:
        alt += f" {missing} month(s) have no point: {hidden_reason}."
    if target is not None:
        alt += f" A dashed line marks the target of {target:.0%}."
    return alt


def interval_trend_chart(
    trend: pd.DataFrame,
    label: str,
    caption: str,
    target: float | None = None,
    hidden_reason: str = "too few answers to show",
) -> Chart:
    """Line chart of a monthly share with its 95% interval as a shaded band.

    Parameters
    ----------
    trend : pandas.DataFrame
        ``month``, ``estimate``, ``low``, ``high`` (shares 0–1, missing where not shown) and
        ``answers`` (text as it may be shown), e.g. from :func:`reach.summary.charts.helpful_trend`.
    label : str
        What the share is, e.g. "Found the information helpful".
    caption : str
        Visible caption.
    target : float, optional
        Drawn as a dashed line and named in the alt text.
    hidden_reason : str
        Why a month without a figure has none (said in the alt text).

    Returns
    -------
    Chart
    """
    dates = pd.to_datetime(trend["month"] + "-01")
    estimate = trend["estimate"].astype("Float64").astype(float)
    low = trend["low"].astype("Float64").astype(float)
    high = trend["high"].astype("Float64").astype(float)
    figure = Figure(figsize=(9, 4.0), dpi=100)
    figure.subplots_adjust(**TIME_MARGINS)
    axes = figure.add_subplot()
    axes.fill_between(
        dates, low, high, color=OKABE_ITO[0], alpha=INTERVAL_ALPHA, linewidth=0, label="95% interval"
    )
    axes.plot(dates, estimate, marker="o", markersize=4, linewidth=1.8, color=OKABE_ITO[0], label=label)
    if target is not None:
        axes.axhline(target, color="#000000", linestyle="--", linewidth=1.2, label=f"Target {target:.0%}")
    axes.set_ylim(0, 1)
    axes.yaxis.set_major_formatter(lambda value, _pos: f"{value:.0%}")
    axes.set_ylabel("Share", fontsize=TEXT_SIZE)
    locator = mdates.AutoDateLocator(minticks=4, maxticks=10)
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    _style(axes)
    axes.legend(loc="lower left", frameon=False, ncols=3, fontsize=TEXT_SIZE)
    alt = _interval_trend_alt(trend, estimate, label, target, hidden_reason)
    data = pd.DataFrame(
        {
            "Month": [_short_month(m) for m in trend["month"]],
            label: [_pct(v) for v in trend["estimate"]],
            "95% interval": [
                "–" if pd.isna(a) else f"{_pct(a)} to {_pct(b)}"
                for a, b in zip(trend["low"], trend["high"], strict=True)
            ],
            "Answers (rounded)": trend["answers"].astype("str").to_numpy(),
        }
    )
    return Chart(figure, alt, caption, data)


def _signed(value: float | None) -> str:
    return "–" if value is None or pd.isna(value) else f"{float(value):+,.0f}"


def _draw_league_panel(axes, league: pd.DataFrame, label: str, when: str, before: str) -> list[str]:
    """Draw one measure's ranked bars, last month's diamonds and value labels; return the y labels."""
    ordered = league.iloc[::-1].reset_index(drop=True)
    positions = list(range(len(ordered)))
    values = ordered["value"].astype(float)
    previous = ordered["previous"].astype("Float64").astype(float)
    axes.barh(positions, values, color=OKABE_ITO[0], height=0.6, label=when)
    axes.scatter(
        previous, positions, marker="D", s=36, color="#000000", zorder=3, label=f"{before} (diamond)"
    )
    widest = float(pd.concat([values, previous]).max(skipna=True) or 1) if len(ordered) else 1.0
    for position, (value, earlier, change) in enumerate(
        zip(values, previous, ordered["change"], strict=True)
    ):
        end = max(value, 0 if pd.isna(earlier) else earlier)
        axes.text(
            end + widest * 0.02,
            position,
            f" {value:,.0f} ({_signed(change)})",
            va="center",
            fontsize=TEXT_SIZE,
        )
    names = [_wrap(f"{r.rank}. {r.asset_title}", 40) for r in ordered.itertuples(index=False)]
    axes.set_yticks(positions, names)
    axes.set_xlim(0, widest * 1.25)
    axes.set_title(label, loc="left", fontsize=TEXT_SIZE + 1)
    axes.xaxis.set_major_formatter(lambda v, _pos: f"{v:,.0f}")
    _style(axes, grid="x")
    return names


def _league_alt_part(league: pd.DataFrame, label: str, before: str) -> str:
    """One measure's assets in words, for the alt text of :func:`league_chart`."""
    items = []
    for r in league.itertuples(index=False):
        if pd.isna(r.previous):
            versus = f"no figure in {before}"
        elif r.change == 0:
            versus = f"no change on {before}"
        else:
            versus = f"{'up' if r.change > 0 else 'down'} {abs(r.change):,.0f} on {before}"
        items.append(f"{r.rank}. {r.asset_title}: {r.value:,.0f} ({versus})")
    return f"{label}: " + ("; ".join(items) if items else "no asset had any")


def _league_data(tables: list[pd.DataFrame], when: str, before: str) -> tuple[pd.DataFrame, dict[str, str]]:
    """The table behind :func:`league_chart` and its column formats."""
    # Signed changes stay numbers (formatted by the table), so no text cell starts with "+" or "-".
    league = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame(columns=["measure"])
    data = pd.DataFrame(
        {
            "Measure": league["measure"].to_numpy(),
            "Rank": league["rank"].to_numpy(),
            "Asset": league["asset_title"].to_numpy(),
            when: league["value"].astype("Float64").to_numpy(),
            before: league["previous"].astype("Float64").to_numpy(),
            "Change": league["change"].astype("Float64").to_numpy(),
            "Change (%)": league["change_pct"].astype("Float64").to_numpy(),
        }
    )
    formats = {
        "Rank": "{:,.0f}",
        when: "{:,.0f}",
        before: "{:,.0f}",
        "Change": "{:+,.0f}",
        "Change (%)": "{:+.0%}",
    }
    return data, formats


def league_chart(leagues: Mapping[str, pd.DataFrame], month: str) -> Chart:
    """Ranked bar charts of assets (this month), one panel per measure, last month as a black diamond.

    Views are each platform's own count, so assets are ranked within their panel and panels are
    never added together.

    Parameters
    ----------
    leagues : Mapping of str to pandas.DataFrame
        Measure label (e.g. "Web page views") -> :func:`reach.summary.charts.asset_league` frame.
    month : str
        Reporting month.

    Returns
    -------
    Chart
    """
    when, before = month_label(month), month_label(shift_month(month, -1))
    sizes = [max(len(frame), 1) for frame in leagues.values()]
    figure = Figure(figsize=(9, 0.5 * sum(sizes) + 0.9 * len(sizes) + 0.6), dpi=100)
    grid = figure.add_gridspec(len(sizes), 1, height_ratios=sizes)
    parts, tables, all_names = [], [], []
    for index, (label, league) in enumerate(leagues.items()):
        axes = figure.add_subplot(grid[index])
        all_names += _draw_league_panel(axes, league, label, when, before)
        if index == 0:
            axes.legend(loc="lower right", frameon=False, fontsize=TEXT_SIZE)
        parts.append(_league_alt_part(league, label, before))
        tables.append(league.assign(measure=label))
    panel = (figure.get_size_inches()[1] - 0.75) / max(len(sizes), 1)
    _fit_margins(figure, all_names, TEXT_SIZE, top=0.3, bottom=0.45, hspace=0.75 / max(panel - 0.75, 0.5))
    alt = (
        f"Ranked bar charts of views by asset in {when}, one panel per platform, with {before} shown as a diamond. "
        + ". ".join(parts)
        + "."
    )
    caption = (
        f"Views by asset, {when}, ranked within each platform; diamonds show {before}. Numbers are platform counts, "
        "not people, and each platform counts a view its own way."
    )
    data, formats = _league_data(tables, when, before)
    return Chart(figure, alt, caption, data, formats)


#: The axis title of each kind of count in the funnel (a kind not listed is shown by its name).
FUNNEL_AXES = {
    "people": "People (each counted once)",
    "sessions": "Visits to the web pages (GA4 sessions)",
    "answers": "Answers to the feedback form",
}


def _draw_funnel_panel(axes, members: list[dict]) -> list[str]:
    """Draw one kind of count's steps as bars on their own scale; return their tick labels."""
    positions = list(range(len(members)))[::-1]
    widest = max([float(s["high"] or 0) for s in members] + [float(s["value"] or 0) for s in members] + [1.0])
    for position, step in zip(positions, members, strict=True):
        value = step["value"]
        if value is None:
            axes.text(
                widest * 0.01,
                position,
                f" {step['shown']} (not shown: fewer than 8)",
                va="center",
                fontsize=TEXT_SIZE,
            )
            continue
        axes.barh(position, value, color=OKABE_ITO[0], height=0.6)
        text = f" {step['shown']} {step['unit']}"
        end = value
        if step.get("low") is not None and step.get("high") is not None:
            axes.errorbar(
                value, position, xerr=[[value - step["low"]], [step["high"] - value]],
                color="#000000", capsize=5, linewidth=1.4,
            )  # fmt: skip
            text += f"\n (95% interval {step['low']:,.0f} to {step['high']:,.0f})"
            end = step["high"]
        axes.text(end + widest * 0.01, position, text, va="center", fontsize=TEXT_SIZE)
    labels = [f"{_wrap(s['step'], 32)}\n{_wrap('Source: ' + s['source'], 40)}" for s in members]
    axes.set_yticks(positions, labels)
    axes.set_ylim(-0.6, len(members) - 0.4)
    axes.set_xlim(0, widest * 1.6)
    axes.xaxis.set_major_formatter(lambda v, _pos: f"{v:,.0f}")
    _style(axes, grid="x")
    return labels


def funnel_chart(steps: list[dict], month: str) -> Chart:
    """Bars from reach to intention, one panel (and scale) per kind of count, each step with its source.

    People, web sessions and form answers are different kinds of quantity, so they are never
    drawn on one axis: the steps are grouped by ``unit``, each group in its own panel with its
    own scale and axis title.

    Parameters
    ----------
    steps : list of dict
        From :func:`reach.summary.charts.funnel_steps`.
    month : str
        Reporting month.

    Returns
    -------
    Chart
    """
    when = month_label(month)
    units = list(dict.fromkeys(s["unit"] for s in steps))
    groups = [[s for s in steps if s["unit"] == unit] for unit in units]
    height = 0.8 * len(steps) + 0.9 * len(units) + 0.2
    figure = Figure(figsize=(9, height), dpi=100)
    grid = figure.add_gridspec(len(units), 1, height_ratios=[len(g) for g in groups])
    labels = []
    for index, (unit, members) in enumerate(zip(units, groups, strict=True)):
        axes = figure.add_subplot(grid[index])
        labels += _draw_funnel_panel(axes, members)
        axes.set_xlabel(FUNNEL_AXES.get(unit, unit.capitalize()), fontsize=TEXT_SIZE)
    gap, top, bottom = 0.85, 0.15, 0.6
    axes_height = (height - top - bottom - gap * (len(units) - 1)) / max(len(steps), 1)
    _fit_margins(figure, labels, TEXT_SIZE, top=top, bottom=bottom, hspace=gap / max(axes_height, 0.3))
    parts = []
    for step in steps:
        item = f"{step['step']}: {step['shown']} {step['unit']}"
        if step.get("low") is not None and step.get("high") is not None:
            item += f" (95% interval {step['low']:,.0f} to {step['high']:,.0f})"
        parts.append(item + f", from {step['source']}")
    alt = (
        f"Bar charts for {when}, from reach to intention, one panel per kind of count ({', '.join(units)}), "
        "each on its own scale: " + "; ".join(parts) + "."
    )
    caption = (
        f"From reach to intention, {when}: one panel per kind of count, each on its own scale, because people, "
        "web sessions and form answers are different things. Each step comes from a different source, so a step "
        "is not a strict subset of the one before."
    )
    data = pd.DataFrame(
        {
            "Step": [s["step"] for s in steps],
            "Number": [s["shown"] for s in steps],
            "Counts": [s["unit"] for s in steps],
            "95% interval": [
                "–"
                if s.get("low") is None or s.get("high") is None
                else f"{s['low']:,.0f} to {s['high']:,.0f}"
                for s in steps
            ],
            "Source": [s["source"] for s in steps],
        }
    )
    return Chart(figure, alt, caption, data)


def _draw_district_dots(axes, ordered: pd.DataFrame, county: dict, has_county: bool) -> None:
    """Draw the county band and each district's dot and interval line (or why it has none)."""
    if has_county:
        axes.axvspan(
            county["low"],
            county["high"],
            color="#999999",
            alpha=0.25,
            linewidth=0,
            label="Norfolk 95% interval",
        )
        if county.get("estimate") is not None:
            axes.axvline(
                county["estimate"], color="#000000", linestyle="--", linewidth=1.2, label="Norfolk estimate"
            )
    drawn = []
    for position, row in enumerate(ordered.itertuples(index=False)):
        if row.suppressed:
            axes.text(0.01, position, "* (fewer than 8 families: not shown)", va="center", fontsize=TEXT_SIZE)
        elif pd.isna(row.coverage) and not pd.isna(row.low):
            axes.hlines(position, float(row.low), float(row.high), color=OKABE_ITO[0], linewidth=1.6)
            axes.text(float(row.high) + 0.01, position, "range only", va="center", fontsize=TEXT_SIZE)
        elif pd.isna(row.coverage):
            axes.text(0.01, position, "not measured", va="center", fontsize=TEXT_SIZE)
        else:
            drawn.append((position, float(row.coverage), float(row.low), float(row.high)))
    if drawn:  # one errorbar call for every district: far fewer artists to draw
        where, value, low, high = (list(column) for column in zip(*drawn, strict=True))
        axes.errorbar(
            value, where, xerr=[[v - lo for v, lo in zip(value, low, strict=True)],
                                [hi - v for v, hi in zip(value, high, strict=True)]],
            fmt="o", color=OKABE_ITO[0], ecolor=OKABE_ITO[0], capsize=4, markersize=6, linewidth=1.6,
        )  # fmt: skip


def _district_alt(districts: pd.DataFrame, county: dict, has_county: bool, when: str) -> str:
    """Alt text of :func:`district_chart`: highest and lowest district, the county, districts apart or hidden."""
    shown = districts[districts["coverage"].notna()]
    alt = (
        "Dot chart with 95% interval lines of the share of families with a newborn who remembered a safer-sleep "
        f"asset at the new-birth visit, by district, {when}."
    )
    if len(shown):
        values = shown["coverage"].astype(float)
        top, bottom = shown.loc[values.idxmax()], shown.loc[values.idxmin()]
        alt += (
            f" Highest {top['district']} {_pct(top['coverage'])} ({_pct(top['low'])} to {_pct(top['high'])}),"
            f" lowest {bottom['district']} {_pct(bottom['coverage'])} ({_pct(bottom['low'])} to {_pct(bottom['high'])})."
        )
    if has_county:
        best = "" if county.get("estimate") is None else f"{_pct(county['estimate'])} "
        alt += f" Norfolk as a whole: {best}({_pct(county['low'])} to {_pct(county['high'])})."
        apart = [
            r.district
            for r in shown.itertuples(index=False)
            if float(r.low) > float(county["high"]) or float(r.high) < float(county["low"])
        ]
        alt += (
            " Every district's interval overlaps the county's, so no district clearly differs from Norfolk."
            if not apart
            else f" Clearly different from Norfolk: {', '.join(apart)}."
        )
    hidden = int(districts["suppressed"].sum())
    if hidden:
        alt += f" {hidden} district(s) not shown: fewer than 8 families."
    return alt


def _district_data(districts: pd.DataFrame) -> pd.DataFrame:
    """The table behind :func:`district_chart`."""
    return pd.DataFrame(
        {
            "District": districts["district"].to_numpy(),
            "Share reached": [
                "range only" if pd.isna(v) and not pd.isna(a) else _pct(v)
                for v, a in zip(districts["coverage"], districts["low"], strict=True)
            ],
            "95% interval": [
                "*" if s else ("–" if pd.isna(a) else f"{_pct(a)} to {_pct(b)}")
                for s, a, b in zip(districts["suppressed"], districts["low"], districts["high"], strict=True)
            ],
            "Families reached (rounded)": districts["families"].to_numpy(),
            "Births in the month (rounded)": districts["births"].to_numpy(),
        }
    )


def district_chart(districts: pd.DataFrame, county: dict, month: str) -> Chart:
    """Dot-and-interval chart of coverage by district, with the county figure as a shaded band.

    Parameters
    ----------
    districts : pandas.DataFrame
        From :func:`reach.summary.charts.district_coverage`.
    county : dict
        The county coverage ``{"estimate", "low", "high"}``.
    month : str
        Reporting month.

    Returns
    -------
    Chart
    """
    when = month_label(month)
    ordered = districts.iloc[::-1].reset_index(drop=True)
    figure = Figure(figsize=(9, 0.5 * max(len(ordered), 2) + 1.6), dpi=100)
    axes = figure.add_subplot()
    has_county = county.get("low") is not None and county.get("high") is not None
    _draw_district_dots(axes, ordered, county, has_county)
    names = [_wrap(d, 30) for d in ordered["district"]]
    axes.set_yticks(range(len(ordered)), names)
    _fit_margins(figure, names, TEXT_SIZE, top=0.45, bottom=0.6)
    axes.set_xlim(0, 1)
    axes.xaxis.set_major_formatter(lambda v, _pos: f"{v:.0%}")
    axes.set_xlabel(
        "Share of families with a newborn who remembered a safer-sleep asset (dot: estimate; line: 95% interval)",
        fontsize=TEXT_SIZE,
    )
    _style(axes, grid="x")
    if has_county:
        axes.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False, ncols=2, fontsize=TEXT_SIZE)
    alt = _district_alt(districts, county, has_county, when)
    caption = (
        f"Families with a newborn who remembered a safer-sleep asset when their health visitor asked, by district, "
        f"{when}, with 95% intervals; the grey band is Norfolk's interval. A line without a dot is a range only "
        "(a count of 1 to 7 is not shown)."
    )
    return Chart(figure, alt, caption, _district_data(districts))
