"""Charts for the report: pure functions from tables to a :class:`Chart` (figure, alt text, caption, data).

Charts use one colour-blind-safe palette (Okabe–Ito) and never rely on colour alone: each series
also has its own marker and line style. Figures are built with :class:`matplotlib.figure.Figure`
directly, so no global pyplot state is touched.
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.figure import Figure

from reach.metrics import month_label

OKABE_ITO = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
SERIES_STYLE = (("o", "-"), ("s", "--"), ("^", ":"), ("D", "-."))


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
    """

    figure: Figure
    alt: str
    caption: str
    data: pd.DataFrame


def _fmt(value: float) -> str:
    return f"{value:,.0f}"


def trend_chart(trend: pd.DataFrame, campaigns: pd.DataFrame, series: dict[str, str]) -> Chart:
    """Line chart of monthly totals with campaign periods shaded.

    Parameters
    ----------
    trend : pandas.DataFrame
        ``month`` plus one column per series (from :func:`reach.metrics.monthly_trend`).
    campaigns : pandas.DataFrame
        ``name``, ``start``, ``end`` (ISO dates).
    series : dict of str to str
        Column -> label, in drawing order.

    Returns
    -------
    Chart
    """
    dates = pd.to_datetime(trend["month"] + "-01")
    figure = Figure(figsize=(9, 4.2), dpi=100, layout="constrained")
    axes = figure.add_subplot()
    first, last = dates.min(), dates.max() + pd.offsets.MonthEnd(0)
    shown = []
    for record in campaigns.itertuples(index=False):
        start, end = pd.Timestamp(record.start), pd.Timestamp(record.end)
        if end >= first and start <= last:
            axes.axvspan(start, end, color="#999999", alpha=0.25, linewidth=0)
            shown.append(f"{record.name} ({start:%d %b %Y} to {end:%d %b %Y})")
    phrases = []
    for index, (column, label) in enumerate(series.items()):
        marker, style = SERIES_STYLE[index % len(SERIES_STYLE)]
        values = trend[column].astype("Float64")
        axes.plot(
            dates,
            values.astype(float),
            marker=marker,
            linestyle=style,
            color=OKABE_ITO[index],
            label=label,
            markersize=4,
            linewidth=1.8,
        )
        if values.notna().any():
            peak = int(values.astype(float).idxmax())
            phrases.append(
                f"{label.lower()} ranged from {_fmt(values.min())} to {_fmt(values.max())}, "
                f"highest in {month_label(trend['month'].iloc[peak])}"
            )
    axes.set_ylabel("Views per month")
    axes.set_ylim(bottom=0)
    axes.yaxis.set_major_formatter(lambda value, _pos: f"{value:,.0f}")
    locator = mdates.AutoDateLocator(minticks=4, maxticks=10)
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    axes.grid(axis="y", color="#dddddd")
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(loc="upper left", frameon=False, ncols=min(3, len(series)))
    period = f"{month_label(trend['month'].iloc[0])} to {month_label(trend['month'].iloc[-1])}"
    alt = f"Line chart of monthly views, {period}: " + "; ".join(phrases) + "."
    if shown:
        alt += " Grey bands mark campaigns: " + "; ".join(shown) + "."
    caption = (
        f"Monthly views of the registered safer-sleep assets, {period}. Grey bands are campaign periods."
    )
    data = trend[["month", *series]].rename(columns=series)
    return Chart(figure, alt, caption, data)


def asset_bar_chart(by_asset: pd.DataFrame, value: str, label: str, month: str) -> Chart:
    """Horizontal bar chart of one measure per asset, largest first.

    Parameters
    ----------
    by_asset : pandas.DataFrame
        ``asset_title`` and the ``value`` column (from :mod:`reach.metrics`).
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
