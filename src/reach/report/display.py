"""Showing things in the notebook: banner, groups of outputs, findings, tiles, caveats, charts."""

from __future__ import annotations

import base64
import html
import io
import re

from IPython.display import HTML, Markdown, display

from reach.core.formatting import format_change, format_change_interval, format_value
from reach.core.months import month_label
from reach.report.charts import Chart
from reach.report.tables import _number_formats, table
from reach.tidy.readiness import incomplete


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "table"


def incomplete_banner(month: str, readiness: object = None) -> str:
    """The "Incomplete month" banner's HTML, naming each headline source missing or unusable ("" when none).

    Parameters
    ----------
    month : str
        Reporting month.
    readiness : pandas.DataFrame, optional
        The processed ``readiness`` table (:mod:`reach.tidy.readiness`).

    Returns
    -------
    str
        Escaped HTML, or an empty string when every headline source is present.
    """
    lacking = incomplete(readiness)
    if lacking.empty:
        return ""
    esc = html.escape
    items = "".join(
        f"<li><strong>{esc(str(row.label))}</strong>: {esc(str(row.status))}. {esc(str(row.detail))}</li>"
        for row in lacking.itertuples(index=False)
    )
    return (
        '<div class="reach-banner reach-banner-incomplete" role="alert">'
        f"<strong>Incomplete month.</strong> The report for {esc(month_label(month))} was made without these "
        "sources, so the figures that need them are missing or partial and must not be read as the month's "
        f"figures:<ul>{items}</ul>Add the missing exports and run the month again "
        f"(<code>reach check --month {esc(month)}</code> says what each needs).</div>"
    )


def banner(sample: bool, month: str, readiness: object = None) -> HTML:
    """The banner at the top of the report: loud for sample data, plain for real data.

    An incomplete month (a headline source missing or unusable, rendered with
    ``--allow-incomplete``) opens with an "Incomplete month" banner naming what is missing.

    Parameters
    ----------
    sample : bool
        True when the figures come from the bundled synthetic sample.
    month : str
        Reporting month.
    readiness : pandas.DataFrame, optional
        The processed ``readiness`` table; None (tables built before it existed) shows no
        incomplete-month banner.

    Returns
    -------
    IPython.display.HTML
    """
    when = html.escape(month_label(month))
    warning = incomplete_banner(month, readiness)
    if sample:
        return HTML(
            warning + '<div class="reach-banner reach-banner-sample" role="note">'
            "<strong>SAMPLE DATA — not real figures.</strong> This report was made from the synthetic sample "
            f"bundled with <code>reach</code> for {when}. Do not quote any number from it.</div>"
        )
    return HTML(f'{warning}<div class="reach-banner" role="note">Figures for {when}.</div>')


def show(*items: object) -> None:
    """Display several results of this module in order, so one notebook cell can show a group.

    Parameters
    ----------
    *items : IPython display objects
        E.g. tables and findings from this module.
    """
    for item in items:
        display(item)


def sentence(text: str) -> Markdown:
    """Show a sentence written from the numbers (already escaped by the caller's formatting)."""
    return Markdown(text)


def chart(item: Chart) -> None:
    """Show a chart as a PNG with its alt text, then its caption and the numbers as a table.

    Parameters
    ----------
    item : reach.report.charts.Chart
        The chart; its figure is rendered at 2× resolution for sharp text.
    """
    buffer = io.BytesIO()
    # Fast zlib level: the report renders many charts and the batch must stay quick.
    item.figure.savefig(
        buffer, format="png", dpi=150, metadata={"Software": None}, pil_kwargs={"compress_level": 1}
    )
    width = int(item.figure.get_figwidth() * 100)
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    display(
        {"image/png": encoded, "text/plain": f"[chart] {item.alt}"},
        raw=True,
        metadata={"image/png": {"alt": item.alt, "width": width}},
    )
    display(Markdown(f"*{html.escape(item.caption)}*"))
    formats = _number_formats(item.data) | dict(item.formats or {})
    display(table(item.data, f"Data behind the chart: {item.caption}", formats))


# ---------------------------------------------------------------------------------------------
# Reach and impact: findings in plain English, and the numbers behind them
# ---------------------------------------------------------------------------------------------


def findings(sentences: list[str], label: str) -> HTML:
    """Plain-English findings as an escaped bulleted list.

    Parameters
    ----------
    sentences : list of str
        From :func:`reach.report.sentences.reach_sentences` or :func:`reach.report.sentences.impact_sentences`
        (campaign and district names come from the analyst's files, so every sentence is escaped).
    label : str
        What the list is about, read out by screen readers.

    Returns
    -------
    IPython.display.HTML
    """
    if not sentences:
        return HTML(
            f'<p class="reach-findings">No {html.escape(label)} could be estimated for this month.</p>'
        )
    items = "".join(f"<li>{html.escape(text)}</li>" for text in sentences)
    return HTML(f'<ul class="reach-findings" aria-label="{html.escape(label, quote=True)}">{items}</ul>')


# ---------------------------------------------------------------------------------------------
# "At a glance" tiles, caveats, engagement and targets tables
# ---------------------------------------------------------------------------------------------

# Each status has its own shape as well as its own colour (colour is never the only cue), and
# the label is always written out. Colours reach at least 4.5:1 on white.
STATUS_ICONS = {
    "green": '<circle cx="8" cy="8" r="7.5" fill="currentColor"/>'
    '<path d="M4.3 8.4l2.5 2.5 5-5.3" fill="none" stroke="#ffffff" stroke-width="2"/>',
    "amber": '<path d="M8 0.8l7.4 14H0.6z" fill="currentColor"/>'
    '<path d="M8 5.2v5" stroke="#ffffff" stroke-width="2"/><circle cx="8" cy="12.4" r="1.1" fill="#ffffff"/>',
    "red": '<rect x="0.8" y="0.8" width="14.4" height="14.4" rx="1.5" fill="currentColor"/>'
    '<path d="M4.8 4.8l6.4 6.4M11.2 4.8l-6.4 6.4" stroke="#ffffff" stroke-width="2"/>',
    "none": '<circle cx="8" cy="8" r="6.8" fill="none" stroke="currentColor" stroke-width="1.6"/>'
    '<path d="M4.8 8h6.4" stroke="currentColor" stroke-width="2"/>',
}


def status_icon(status: str) -> str:
    """The status's icon as inline SVG, hidden from screen readers (the label says the same).

    Parameters
    ----------
    status : {"green", "amber", "red", "none"}
        From :func:`reach.summary.glance.rag_status`.

    Returns
    -------
    str
        An ``<svg>`` element.
    """
    return (
        f'<svg class="reach-icon" viewBox="0 0 16 16" width="18" height="18" aria-hidden="true" '
        f'focusable="false">{STATUS_ICONS[status]}</svg>'
    )


_TILE_VERDICT = {
    "rise": "clear rise",
    "fall": "clear fall",
    "no clear change": "no clear change",
    "consistent with chance": "consistent with chance",
    "descriptive": "difference only, not tested",
    "not comparable": "not comparable",
}


def _tile_change(comparison: dict, unit: str) -> str:

    value, change = comparison["value"], comparison["change"]
    if value.get("estimate") is None and value.get("low") is not None and value.get("high") is not None:
        return f"{format_value(value['low'], unit)} to {format_value(value['high'], unit)} (a range)"
    if value.get("estimate") is None:
        return f"no figure ({value.get('reason') or 'not estimated'})"
    text = format_value(value["estimate"], unit)
    if value.get("low") is not None and value.get("high") is not None:
        text += f" ({format_value(value['low'], unit)} to {format_value(value['high'], unit)})"
    verdict = change.get("verdict", "not comparable")
    if verdict == "not comparable":
        return text
    if change.get("low") is not None and change.get("high") is not None:
        text += (
            f"; change {format_change(change['estimate'], unit)} "
            f"({format_change_interval(change['low'], change['high'], unit)})"
        )
    return f"{text}: {_TILE_VERDICT[verdict]}"


def _tile_subtitle(tile: dict) -> str:

    value = tile["value"]
    if tile["key"] == "reach_people":
        return "people, each counted once"
    if tile["key"] == "coverage":
        births = value.get("births")
        return "of families with a newborn" + (
            f" ({format_value(births, 'people')} births)" if births else ""
        )
    if tile["key"] == "engagement_rate":
        return f"of {format_value(value.get('sessions') or 0, 'people')} visits were engaged"
    if tile["key"] == "helpful":
        return (
            f"of about {value.get('n')} people answering"
            if value.get("n") not in (None, "*", "0")
            else "of answers"
        )
    if tile["key"] == "campaign_effect":
        return "page views compared with the prediction without the campaign"
    return ""


def _status_why(tile: dict) -> str:
    """What a tile's status is judged on (its interval against the target) and what that found."""
    reason, basis = tile["status_reason"], tile.get("status_basis")
    if not basis or tile.get("target") is None:
        return f"{reason[:1].upper()}{reason[1:]}."
    return f"{basis}: {reason}."


def glance_tiles(result: dict) -> HTML:
    """The "At a glance" tiles: figure, interval (or why there is none), status, and changes.

    Each tile shows the status as text ("On track", "Watch", "Below target", "No status") next
    to an icon of its own shape, so colour is never the only cue, and says what the status is
    judged on (the figure's interval against the target, not the changes it also shows); every
    text is escaped.

    Parameters
    ----------
    result : dict
        From :func:`reach.summary.glance.glance`.

    Returns
    -------
    IPython.display.HTML
    """
    esc = html.escape
    items = []
    for tile in result["tiles"]:
        unit, value, status = tile["unit"], tile["value"], tile["status"]
        label = tile["label"]
        if tile.get("campaign"):
            label = f"Latest campaign: {tile['campaign']['name']}"
        if value.get("estimate") is None and value.get("low") is not None and value.get("high") is not None:
            figure = (
                f'<p class="reach-tile-value">{esc(format_value(value["low"], unit))} to '
                f"{esc(format_value(value['high'], unit))}"
                f' <span class="reach-tile-unit">{esc(_tile_subtitle(tile))}</span></p>'
            )
            interval = (
                '<p class="reach-tile-interval">A range: the data give limits, not a best estimate.</p>'
            )
        elif value.get("estimate") is None:
            figure = '<p class="reach-tile-value">–</p>'
            interval = f'<p class="reach-tile-interval">No figure: {esc(value.get("reason") or "not estimated")}.</p>'
        else:
            figure = (
                f'<p class="reach-tile-value">{esc(format_value(value["estimate"], unit))}'
                f' <span class="reach-tile-unit">{esc(_tile_subtitle(tile))}</span></p>'
            )
            if value.get("low") is not None and value.get("high") is not None:
                interval = (
                    f'<p class="reach-tile-interval">95% interval {esc(format_value(value["low"], unit))} '
                    f"to {esc(format_value(value['high'], unit))}</p>"
                )
            else:
                interval = f'<p class="reach-tile-interval">No interval: {esc(value.get("reason") or "not estimated")}.</p>'
        status_html = (
            f'<p class="reach-tile-status reach-status-{status}">{status_icon(status)}'
            f'<strong class="reach-status-label">{esc(tile["status_label"])}</strong></p>'
            f'<p class="reach-tile-why">{esc(_status_why(tile))}</p>'
        )
        changes = "".join(
            f"<div><dt>{esc(c['label'][:1].upper() + c['label'][1:])}</dt><dd>{esc(_tile_change(c, unit))}</dd></div>"
            for c in tile["comparisons"]
        )
        changes_html = f'<dl class="reach-tile-changes">{changes}</dl>' if changes else ""
        note = f'<p class="reach-tile-note">{esc(tile["note"])}</p>' if tile.get("note") else ""
        # Three groups (figure, status, comparisons): stacked on screen, side by side in print.
        items.append(
            f'<li class="reach-tile reach-tile-{status}"><div class="reach-tile-figure">'
            f'<h3 class="reach-tile-label">{esc(label)}</h3>{figure}{interval}</div>'
            f'<div class="reach-tile-judged">{status_html}</div>'
            f'<div class="reach-tile-context">{changes_html}{note}</div></li>'
        )
    when = esc(month_label(result["month"]))
    return HTML(f'<ul class="reach-tiles" aria-label="Headline figures for {when}">{"".join(items)}</ul>')


def caveats(items: list[dict]) -> HTML:
    """The data-quality caveats as a list with each topic in bold (text escaped).

    Parameters
    ----------
    items : list of dict
        From :func:`reach.summary.quality.data_caveats` (``topic``, ``text``).

    Returns
    -------
    IPython.display.HTML
    """
    rows = "".join(
        f"<li><strong>{html.escape(item['topic'])}:</strong> {html.escape(item['text'])}</li>"
        for item in items
    )
    return HTML(f'<ul class="reach-caveats" aria-label="Data-quality caveats">{rows}</ul>')
