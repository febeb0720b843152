"""Display helpers for the report notebooks: banners, sentences, accessible tables and charts.

These functions turn results into IPython display objects. Everything that came from an input
file is HTML-escaped here, so a comment containing ``<script>`` shows as text.
"""

from __future__ import annotations

import base64
import html
import io
import re

import pandas as pd
from IPython.display import HTML, Markdown, display

from reach.metrics import format_value, month_label, proportion_estimate, suppress_count
from reach.plots import Chart
from reach.redact import neutralise_formula


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "table"


def banner(sample: bool, month: str) -> HTML:
    """The banner at the top of the report: loud for sample data, plain for real data.

    Parameters
    ----------
    sample : bool
        True when the figures come from the bundled synthetic sample.
    month : str
        Reporting month.

    Returns
    -------
    IPython.display.HTML
    """
    when = html.escape(month_label(month))
    if sample:
        return HTML(
            '<div class="reach-banner reach-banner-sample" role="note">'
            "<strong>SAMPLE DATA — not real figures.</strong> This report was made from the synthetic sample "
            f"bundled with <code>reach</code> for {when}. Do not quote any number from it.</div>"
        )
    return HTML(f'<div class="reach-banner" role="note">Figures for {when}.</div>')


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


def table(frame: pd.DataFrame, caption: str, formats: dict[str, str] | None = None) -> HTML:
    """An accessible HTML table: a real ``<caption>``, header cells, escaped text, no index.

    Parameters
    ----------
    frame : pandas.DataFrame
        The rows to show (already suppressed where needed).
    caption : str
        What the table shows.
    formats : dict of str to str, optional
        Column -> format string such as ``"{:,.0f}"``.

    Returns
    -------
    IPython.display.HTML
    """
    # Text from inputs (page paths, campaign tags, titles) must stay text if the page is pasted
    # into a spreadsheet, so formula prefixes get an apostrophe; escaping happens below.
    text = [c for c in frame.columns if frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c])]
    frame = frame.assign(**{c: frame[c].map(neutralise_formula) for c in text}) if text else frame
    formats = formats or {}
    # Built directly rather than through pandas' Styler: the report has some twenty tables and
    # Styler's templating was a noticeable share of the batch time. Every cell and header is escaped.
    cells = [formats.get(c) for c in frame.columns]
    head = "".join(f'<th scope="col">{html.escape(str(c))}</th>' for c in frame.columns)
    rows = "".join(
        "<tr>" + "".join(f"<td>{_cell(v, f)}</td>" for v, f in zip(row, cells, strict=True)) + "</tr>\n"
        for row in frame.itertuples(index=False, name=None)
    )
    body = (
        f'<table class="reach-table">\n<caption>{html.escape(caption)}</caption>\n'
        f"<thead>\n<tr>{head}</tr>\n</thead>\n<tbody>\n{rows}</tbody>\n</table>"
    )
    # A wide table scrolls sideways inside its own box at 320 px instead of being cut off; the box
    # is focusable and named so keyboard users can scroll it (WCAG 2.1.1, 1.4.10).
    label = html.escape(caption, quote=True)
    return HTML(f'<div class="reach-table-wrap" role="region" tabindex="0" aria-label="{label}">{body}</div>')


def _cell(value: object, fmt: str | None) -> str:
    """One table cell as escaped text: ``–`` for missing, ``fmt`` for numbers, 6 decimals for bare floats."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return "–"
    if not isinstance(value, str) and pd.api.types.is_scalar(value) and pd.isna(value):
        return "–"
    if fmt is not None and not isinstance(value, str):
        text = fmt.format(value)
    elif isinstance(value, float) and not isinstance(value, bool):
        text = f"{value:.6f}"
    else:
        text = str(value)
    return html.escape(text)


def chart(item: Chart) -> None:
    """Show a chart as a PNG with its alt text, then its caption and the numbers as a table.

    Parameters
    ----------
    item : reach.plots.Chart
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


def _number_formats(frame: pd.DataFrame) -> dict[str, str]:
    return {c: "{:,.0f}" for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])}


def _pct(value: float | None) -> str:
    return format_value(value, "share")


def web_asset_table(by_asset: pd.DataFrame, month: str) -> HTML:
    """Table of page views and users per asset (from :func:`reach.metrics.web_by_asset`)."""
    frame = by_asset[["asset_title", "theme", "pages", "views", "users_low", "users_high"]].rename(
        columns={
            "asset_title": "Asset",
            "theme": "Theme",
            "pages": "Pages",
            "views": "Page views",
            "users_low": "Users (at least)",
            "users_high": "Users (at most)",
        }
    )
    return table(frame, f"Web pages by asset, {month_label(month)}", _number_formats(frame))


def video_asset_table(by_asset: pd.DataFrame, month: str) -> HTML:
    """Table of video views and watch time per asset (from :func:`reach.metrics.video_by_asset`)."""
    frame = by_asset[["asset_title", "theme", "videos", "views", "watch_time_hours"]].rename(
        columns={
            "asset_title": "Asset",
            "theme": "Theme",
            "videos": "Videos",
            "views": "Views",
            "watch_time_hours": "Watch time (hours)",
        }
    )
    formats = _number_formats(frame) | {"Watch time (hours)": "{:,.1f}"}
    return table(frame, f"YouTube videos by asset, {month_label(month)}", formats)


def social_asset_table(by_asset: pd.DataFrame, month: str) -> HTML:
    """Table of post views and reach per asset (from :func:`reach.metrics.social_by_asset`)."""
    frame = by_asset[["asset_title", "theme", "posts", "views", "reach_low", "reach_high"]].rename(
        columns={
            "asset_title": "Asset",
            "theme": "Theme",
            "posts": "Posts",
            "views": "Views",
            "reach_low": "People reached (at least)",
            "reach_high": "People reached (at most)",
        }
    )
    return table(frame, f"Facebook posts by asset, published in {month_label(month)}", _number_formats(frame))


def feedback_table(summary: dict) -> HTML:
    """Table of the feedback measures with their intervals and rounded response counts."""
    rows = []
    for label, item in (
        ("Found the information helpful (feedback form)", summary["feedback"]["helpful"]),
        ("Said yes to 'Was this page helpful?' (page widget)", summary["page_feedback"]["helpful"]),
    ):
        suppressed = item.get("estimate") is None
        rows.append(
            {
                "Measure": label,
                "Estimate": "*" if suppressed and item.get("n") == "*" else _pct(item.get("estimate")),
                "95% interval": "–" if suppressed else f"{_pct(item['low'])} to {_pct(item['high'])}",
                "Answers (rounded)": item.get("n"),
                "Method": item.get("method", ""),
            }
        )
    return table(pd.DataFrame(rows), f"Family feedback, {month_label(summary['month'])}")


def data_quality_table(tables: dict[str, pd.DataFrame], month: str) -> HTML:
    """Files read for the month, with their kind, period, rows and any warnings."""
    inputs = tables["inputs"]
    rows = inputs[(inputs["role"] == "raw export") & inputs["path"].str.startswith(f"{month}/")]
    frame = rows[["path", "kind", "start", "end", "rows", "warnings"]].rename(
        columns={
            "path": "File",
            "kind": "Kind",
            "start": "From",
            "end": "To",
            "rows": "Rows",
            "warnings": "Warnings",
        }
    )
    return table(frame, f"Export files read for {month_label(month)}", {"Rows": "{:,.0f}"})


def unmatched_table(tables: dict[str, pd.DataFrame], month: str) -> HTML:
    """Identifiers (paths, video ids, posts, campaign tags) that matched no registered asset this month."""
    unmatched = tables["unmatched"]
    rows = unmatched[unmatched["month"] == month]
    frame = rows[["table", "identifier", "measure", "value"]].rename(
        columns={"table": "Table", "identifier": "Identifier", "measure": "Measure", "value": "Value"}
    )
    caption = f"Pages, videos, posts and campaign tags not in the asset registry, {month_label(month)}"
    return table(frame, caption, {"Value": "{:,.0f}"})


def quarantine_table(tables: dict[str, pd.DataFrame]) -> HTML:
    """Rows set aside when the files were read (file, line, reason), so none is lost silently."""
    frame = tables["quarantine"].rename(
        columns={"source_file": "File", "line": "Line", "table": "Table", "reason": "Why it was set aside"}
    )
    return table(frame, f"Rows set aside while reading the exports ({len(frame)})")


def restatement_table(tables: dict[str, pd.DataFrame]) -> HTML:
    """Values that a later export changed; the later value is the one used."""
    frame = tables["restatements"].rename(
        columns={
            "table": "Table",
            "key": "Row",
            "column": "Column",
            "earlier": "Earlier value",
            "later": "Value used",
            "earlier_file": "Earlier file",
            "later_file": "Later file",
        }
    )
    return table(frame, f"Values restated by a later export ({len(frame)})")


def data_quality_summary(summary: dict) -> Markdown:
    """One paragraph counting what the data-quality tables below list."""
    quality = summary["data_quality"]
    return Markdown(
        f"{quality['files_this_month']} files were read for this month ({quality['files_read']} in all, with "
        f"the history for the trend); {quality['files_with_warnings']} had warnings. "
        f"{quality['quarantined_rows']} rows were set aside because they could not be used, "
        f"{quality['restated_values']} values were restated by a later export (the later value is used), and "
        f"{quality['unmatched_this_month']} pages, videos, posts or campaign tags this month are not in the "
        "asset registry."
    )


# ---------------------------------------------------------------------------------------------
# Reach and impact (issues 4 and 5): findings in plain English, and the numbers behind them
# ---------------------------------------------------------------------------------------------


def findings(sentences: list[str], label: str) -> HTML:
    """Plain-English findings as an escaped bulleted list.

    Parameters
    ----------
    sentences : list of str
        From :func:`reach.audience.reach_sentences` or :func:`reach.impact.impact_sentences`
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


def _whole(value: object) -> str:
    return format_value(value, "people")


def _interval(item: dict | None, fmt=_whole) -> str:
    if not item or item.get("low") is None or item.get("high") is None:
        return "no interval (not estimated)"
    return f"{fmt(item['low'])} to {fmt(item['high'])}"


def reach_channel_table(summary: dict) -> HTML:
    """People reached per channel and combined, each with its interval and the method used.

    Parameters
    ----------
    summary : dict
        From :func:`reach.metrics.monthly_summary` (its ``reach`` block).

    Returns
    -------
    IPython.display.HTML
    """
    reach = summary["reach"]
    labels = {"web": "Web pages (GA4)", "video": "Videos (YouTube)", "social": "Facebook posts"}
    rows = []
    for key, label in labels.items():
        item = reach["channels"].get(key)
        rows.append(_reach_row(label, item))
    rows.append(_reach_row("All channels, each person once", reach["combined"]))
    when = month_label(summary["month"])
    return table(pd.DataFrame(rows), f"People reached in {when}, with 95% intervals")


def _reach_row(label: str, item: dict | None) -> dict:
    if not item or item.get("estimate") is None:
        return {"Channel": label, "Best estimate": "–", "95% interval": "no data this month", "Method": ""}
    return {
        "Channel": label,
        "Best estimate": _whole(item["estimate"]),
        "95% interval": _interval(item),
        "Method": item.get("method", ""),
    }


def coverage_table(summary: dict) -> HTML:
    """Norfolk share and coverage of families with a newborn, county and per district.

    District counts of people are already rounded to 5 by :func:`reach.audience.reach_summary`
    (limits outwards); a district estimate below 8 families is shown as ``*`` (NHS rule).

    Parameters
    ----------
    summary : dict
        From :func:`reach.metrics.monthly_summary`.

    Returns
    -------
    IPython.display.HTML
    """
    reach = summary["reach"]
    rows = []
    cov = reach["coverage"]
    rows.append(
        {
            "Area": "Norfolk (county)",
            "ONS code": "E10000020",
            "Births in the month": _whole(cov.get("births_in_period")),
            "Families reached": "–",
            "Families reached, 95% interval": "–",
            "Share of families with a newborn": _pct(cov.get("estimate")),
            "Share, 95% interval": _interval(cov, _pct),
        }
    )
    for district in reach["by_district"]:
        r, c = district["reach"], district["coverage"]
        small = r.get("estimate") is not None and 0 < r["estimate"] < 8
        rows.append(
            {
                "Area": district["district"],
                "ONS code": district["code"],
                "Births in the month": suppress_count(c.get("births_in_period")),
                "Families reached": "*" if small else _whole(r.get("estimate")),
                "Families reached, 95% interval": "*" if small else _interval(r),
                "Share of families with a newborn": "*" if small else _pct(c.get("estimate")),
                "Share, 95% interval": "*" if small else _interval(c, _pct),
            }
        )
    return table(
        pd.DataFrame(rows),
        f"Families with a newborn reached online, {month_label(summary['month'])} (district births illustrative)",
    )


def outtakes_table(summary: dict) -> HTML:
    """What respondents took away: each out-take overall and by respondent type, with intervals.

    Parameters
    ----------
    summary : dict
        From :func:`reach.metrics.monthly_summary` (its ``impact.outtakes`` block).

    Returns
    -------
    IPython.display.HTML
    """
    outtakes = summary["impact"]["outtakes"]
    rows = []
    for key in ("helpful", "key_messages", "intends_change"):
        block = outtakes.get(key)
        if not block:
            continue
        groups = [("Everyone who answered", block["overall"])]
        groups += [(name, item) for name, item in sorted(block.get("by_respondent_type", {}).items())]
        for group, item in groups:
            hidden = item.get("estimate") is None
            rows.append(
                {
                    "Measure": block["label"],
                    "Group": group,
                    "Estimate": "not shown" if hidden else _pct(item["estimate"]),
                    "95% interval": "too few answers to show" if hidden else _interval(item, _pct),
                    "Answers (rounded)": item.get("n"),
                }
            )
    return table(
        pd.DataFrame(rows), f"What respondents took away, {month_label(summary['month'])} (Wilson intervals)"
    )


def its_table(summary: dict) -> HTML:
    """Interrupted time-series results: rate ratio with interval and method per series."""
    rows = [
        {
            "Series": item["series"],
            "Rate ratio": "–" if item.get("rate_ratio") is None else f"{item['rate_ratio']:.2f}",
            "95% interval": _interval(item, lambda v: f"{float(v):.2f}"),
            "Method": item.get("method", ""),
        }
        for item in summary["impact"]["its"]
    ]
    frame = pd.DataFrame(rows, columns=["Series", "Rate ratio", "95% interval", "Method"])
    return table(frame, "Interrupted time series: after the campaign compared with the trend before it")


def counterfactual_table(summary: dict) -> HTML:
    """Campaign counterfactuals: actual vs predicted daily page views and the relative effect."""

    def one(v: float | None) -> str:
        return "–" if v is None else f"{float(v):,.1f}"

    rows = [
        {
            "Campaign": item["campaign"],
            "Actual (views a day)": one(item.get("actual")),
            "Predicted without the campaign": one(item.get("predicted")),
            "Predicted, 95% interval": f"{one(item.get('predicted_low'))} to {one(item.get('predicted_high'))}",
            # A number (formatted with its sign by the table), so the cell never starts with "+" or "-".
            "Relative effect": item.get("rel_effect"),
            "Relative effect, 95% interval": _interval(
                {"low": item.get("rel_low"), "high": item.get("rel_high")}, _more_or_fewer
            ),
        }
        for item in summary["impact"]["counterfactual"]
    ]
    columns = [
        "Campaign",
        "Actual (views a day)",
        "Predicted without the campaign",
        "Predicted, 95% interval",
        "Relative effect",
        "Relative effect, 95% interval",
    ]
    frame = pd.DataFrame(rows, columns=columns).astype({"Relative effect": "Float64"})
    caption = "Campaign counterfactuals: daily views of the campaign's pages"
    return table(frame, caption, {"Relative effect": "{:+.0%}"})


def _more_or_fewer(value: object) -> str:
    """A relative change in words, e.g. ``0.46`` → ``"46% more"``, ``-0.1`` → ``"10% fewer"``."""
    number = float(value)
    return f"{abs(number):.0%} " + ("fewer" if number < 0 else "more")


def themes_table(summary: dict) -> HTML:
    """Free-text themes with rounded counts and redacted, escaped quotes (when a theme has enough)."""
    themes = summary["impact"].get("themes")
    rows = []
    labels = {"feedback_form": "Feedback form", "page_feedback": "Page feedback"}
    if themes:
        for source, block in themes["sources"].items():
            for theme in block["themes"]:
                rows.append(
                    {
                        "Where": labels.get(source, source),
                        "Theme": theme["theme"],
                        "Comments (rounded)": theme["comments"],
                        "Share": "–" if theme.get("share") is None else _pct(theme["share"]),
                        "Example comments (redacted)": " | ".join(theme.get("quotes") or []) or "–",
                    }
                )
        caption = (
            f"Themes in comments, {month_label(themes['first_month'])} to {month_label(themes['last_month'])}; "
            f"quotes only for themes with at least {themes['min_n']} comments"
        )
    else:
        caption = "Themes in comments: no codebook configured"
    columns = ["Where", "Theme", "Comments (rounded)", "Share", "Example comments (redacted)"]
    return table(pd.DataFrame(rows, columns=columns), caption)


# ---------------------------------------------------------------------------------------------
# Issue 6: "At a glance" tiles, caveats, engagement and targets tables
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
        From :func:`reach.metrics.rag_status`.

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
    "not comparable": "not comparable",
}


def _tile_change(comparison: dict, unit: str) -> str:
    from reach.metrics import format_change, format_change_interval, format_value

    value, change = comparison["value"], comparison["change"]
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
    from reach.metrics import format_value

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


def glance_tiles(result: dict) -> HTML:
    """The "At a glance" tiles: figure, interval (or why there is none), status, and changes.

    Each tile shows the status as text ("On track", "Watch", "Below target", "No status") next
    to an icon of its own shape, so colour is never the only cue; every text is escaped.

    Parameters
    ----------
    result : dict
        From :func:`reach.metrics.glance`.

    Returns
    -------
    IPython.display.HTML
    """
    from reach.metrics import format_value

    esc = html.escape
    items = []
    for tile in result["tiles"]:
        unit, value, status = tile["unit"], tile["value"], tile["status"]
        label = tile["label"]
        if tile.get("campaign"):
            label = f"Latest campaign: {tile['campaign']['name']}"
        if value.get("estimate") is None:
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
        reason = tile["status_reason"]
        status_html = (
            f'<p class="reach-tile-status reach-status-{status}">{status_icon(status)}'
            f'<strong class="reach-status-label">{esc(tile["status_label"])}</strong></p>'
            f'<p class="reach-tile-why">{esc(reason[:1].upper() + reason[1:])}.</p>'
        )
        changes = "".join(
            f"<div><dt>{esc(c['label'][:1].upper() + c['label'][1:])}</dt><dd>{esc(_tile_change(c, unit))}</dd></div>"
            for c in tile["comparisons"]
        )
        changes_html = f'<dl class="reach-tile-changes">{changes}</dl>' if changes else ""
        note = f'<p class="reach-tile-note">{esc(tile["note"])}</p>' if tile.get("note") else ""
        items.append(
            f'<li class="reach-tile reach-tile-{status}"><h3 class="reach-tile-label">{esc(label)}</h3>'
            f"{figure}{interval}{status_html}{changes_html}{note}</li>"
        )
    when = esc(month_label(result["month"]))
    return HTML(f'<ul class="reach-tiles" aria-label="Headline figures for {when}">{"".join(items)}</ul>')


def caveats(items: list[dict]) -> HTML:
    """The data-quality caveats as a list with each topic in bold (text escaped).

    Parameters
    ----------
    items : list of dict
        From :func:`reach.metrics.data_caveats` (``topic``, ``text``).

    Returns
    -------
    IPython.display.HTML
    """
    rows = "".join(
        f"<li><strong>{html.escape(item['topic'])}:</strong> {html.escape(item['text'])}</li>"
        for item in items
    )
    return HTML(f'<ul class="reach-caveats" aria-label="Data-quality caveats">{rows}</ul>')


def engagement_table(summary: dict) -> HTML:
    """Web engagement per asset: engagement rate and time, with last month and last year.

    Parameters
    ----------
    summary : dict
        From :func:`reach.metrics.monthly_summary` (its ``impact.engagement.web`` rows).

    Returns
    -------
    IPython.display.HTML
    """
    engagement = summary["impact"]["engagement"]
    before = month_label(engagement["previous_month"])
    year = month_label(engagement["same_month_last_year"])

    def seconds(value: float | None) -> str:
        return "–" if value is None else f"{value:,.0f} s"

    def interval(row: dict) -> str:
        sessions, rate = row.get("sessions"), row.get("engagement_rate")
        if not sessions or rate is None:
            return "no sessions"
        engaged = min(int(sessions), int(round(rate * sessions)))
        item = proportion_estimate(engaged, int(sessions))
        return f"{_pct(item['low'])} to {_pct(item['high'])}"

    rows = [
        {
            "Asset": row["asset_title"],
            "Sessions": _whole(row.get("sessions")),
            "Engagement rate": _pct(row.get("engagement_rate")),
            "95% interval": interval(row),
            f"Engagement rate, {before}": _pct(row.get("engagement_rate_previous_month")),
            f"Engagement rate, {year}": _pct(row.get("engagement_rate_same_month_last_year")),
            "Engagement time per user": seconds(row.get("avg_engagement_time_s")),
        }
        for row in sorted(engagement["web"], key=lambda r: -(r.get("sessions") or 0))
    ]
    columns = [
        "Asset",
        "Sessions",
        "Engagement rate",
        "95% interval",
        f"Engagement rate, {before}",
        f"Engagement rate, {year}",
        "Engagement time per user",
    ]
    caption = (
        f"Web engagement by asset, {month_label(summary['month'])} (GA4 engaged sessions ÷ sessions, Wilson "
        "interval over sessions; sessions and time are platform counts, so they have no interval)"
    )
    return table(pd.DataFrame(rows, columns=columns), caption)


TARGET_LABELS = {
    "reach_people": ("People reached online (combined reach)", "people"),
    "coverage": ("Families with a newborn reached (coverage)", "share"),
    "engagement_rate": ("Engaged visits to the web pages (engagement rate)", "share"),
    "helpful": ("Found the information helpful (feedback form)", "share"),
    "campaign_effect": ("Latest campaign: extra page views (counterfactual)", "relative"),
}


def targets_table(settings: dict) -> HTML:
    """The targets and floors behind the tiles' status, from the ``targets`` settings.

    Parameters
    ----------
    settings : dict
        Settings (``targets``: measure → ``{"target", "floor"}``).

    Returns
    -------
    IPython.display.HTML
    """
    from reach.metrics import format_value

    targets = settings.get("targets") or {}
    rows = []
    for key, (label, unit) in TARGET_LABELS.items():
        item = targets.get(key) or {}
        target, floor = item.get("target"), item.get("floor")
        rows.append(
            {
                "Measure": label,
                "Target (On track when the whole interval is at or above it)": (
                    "not set" if target is None else format_value(target, unit)
                ),
                "Floor (Below target when the whole interval is below it)": (
                    "not set" if floor is None else format_value(floor, unit)
                ),
            }
        )
    return table(pd.DataFrame(rows), "Targets for the status of each headline figure")


def methodology(settings: dict) -> HTML:
    """Plain-English summary of every method named in the report, with the settings in force.

    Parameters
    ----------
    settings : dict
        Settings (``reach.consent_rate``, ``suppression``, ``impact`` thresholds, ``confidence_level``).

    Returns
    -------
    IPython.display.HTML
        Sub-sections (``h3``) of the Methodology section.
    """
    reach = settings.get("reach") or {}
    consent = reach.get("consent_rate") or {"low": 0.45, "high": 0.85}
    impact = settings.get("impact") or {}
    rule = settings.get("suppression") or {}
    high, round_to = int(rule.get("high", 7)), int(rule.get("round_to", 5))
    level = f"{float(settings.get('confidence_level', 0.95)):.0%}"
    min_n = int(impact.get("outtakes_min_n", 10))
    themes_min = int(impact.get("themes_min_n", 10))
    survey_min = int(reach.get("survey_min_respondents", 30))
    parents_min = int(reach.get("survey_min_parents", 15))
    sections = [
        (
            "How to read the figures",
            [
                f"<strong>Intervals.</strong> Every estimate has a {level} interval: the range in which the true value "
                "very probably lies. The best estimate is only the most likely value inside it; the interval is the "
                "honest answer. Counts a platform records (views, sessions, watch time) are counts, not estimates, so "
                "they have no interval, but they are not numbers of people: one person can view many times.",
                "<strong>Changes.</strong> For shares of answers or sessions (found helpful, engaged visits) the "
                "change between two months has its own interval (Newcombe's method, below); the change is called clear "
                "only when that interval excludes zero. Reach and coverage are estimated by separate models each "
                "month, so their change has no interval of its own: it is called clear only when the two months' "
                "intervals do not overlap. That is cautious: a real change can hide inside overlapping intervals.",
                "<strong>Status (red, amber, green).</strong> Each headline figure is judged against a target and a "
                "floor agreed for the report (table below), using the whole interval, never the best estimate alone: "
                "<em>On track</em> (green, tick) when the whole interval is at or above the target; <em>Below "
                "target</em> (red, cross) when the whole interval is below the floor; <em>Watch</em> (amber, "
                "exclamation mark) otherwise, because the interval reaches across the target or the floor or lies "
                "between them and the data cannot yet say which side we are on; <em>No status</em> (grey, dash) when "
                "there is no interval that month or no target. A small month's chance variation therefore cannot turn "
                "a tile green or red on its own. The label and the icon's shape always say the same as the colour.",
            ],
        ),
        (
            "Reach: counting people, not views",
            [
                "<strong>Consent adjustment.</strong> Google Analytics (GA4) only counts visitors who accept analytics "
                f"cookies. The tracked visitors are divided by the share who accept, which is only known as a range "
                f"({consent['low']:.0%} to {consent['high']:.0%}), so the web figure is a range too.",
                "<strong>Page bounds.</strong> GA4 counts a person once per page. The people who saw an asset lie "
                "between its busiest page (everyone saw that page) and the sum over its pages (no one saw two). Where "
                "only such bounds are known, the best estimate is their geometric midpoint. Facebook post reach and "
                "YouTube viewers per video are bounded the same way.",
                "<strong>Survey-based duplication.</strong> The same parent may see the web page, the video and a "
                "post. The feedback form asks where people saw safer-sleep information; among respondents who saw at "
                "least one online channel, the share who saw each channel shows how much the channels overlap (if 60% "
                "saw the web page and 1,200 people visited it, about 2,000 were reached in all). Respondents tend to "
                "be the more engaged, so the limits are set cautiously. It needs at least "
                f"{survey_min} respondents reached online (otherwise months are pooled, or only bounds are given).",
                "<strong>Log-linear capture–recapture.</strong> The pattern of channels the respondents saw is also "
                "fitted with a log-linear model (as used to estimate hidden populations from overlapping lists), which "
                "estimates how many people the channels draw from.",
                "<strong>Random duplication.</strong> 1 − (1 − r₁)(1 − r₂)(1 − r₃), where r is each channel's share "
                "of that population: it assumes people see channels independently. When the same people use several "
                "channels it overstates reach, so it is only a reference, never the headline.",
                "<strong>Families with a newborn (Chapman).</strong> Coverage is the share of answering Norfolk parents "
                "who saw an online channel, times the share of families reached by any source. The second share is "
                "estimated by two-source capture–recapture (Chapman's estimator) between parents reached online and "
                f"parents reached offline (leaflets, health visitors). It needs at least {parents_min} parents. "
                "Families reached = coverage × births in the month; district births are illustrative, and district "
                "figures borrow strength from the county rate, so their intervals are wide.",
            ],
        ),
        (
            "Feedback: shares of answers",
            [
                "<strong>Wilson interval.</strong> A share of answers (for example 53 of 60 found the information "
                "helpful) has a Wilson score interval, which stays sensible with small numbers and near 0% or 100%. "
                "Engagement rates use it too, treating each session as a yes/no trial. People chose to answer, so "
                "the answers may not speak for everyone reached.",
                "<strong>Newcombe interval.</strong> The change in a share between two months has Newcombe's hybrid "
                "score interval for the difference of two proportions.",
                f"Shares are not shown for groups with fewer than {min_n} answers. The 12-month trend in a share is "
                "tested with a logistic regression on month.",
            ],
        ),
        (
            "Impact: did campaigns change anything?",
            [
                "<strong>Interrupted time series (quasi-Poisson).</strong> A regression of the monthly (or daily) "
                "counts on time, with a step when the campaign starts. The step's rate ratio says how much higher the "
                "series was than its earlier trend predicts (1 = no change). 'Quasi-Poisson' allows the counts to vary "
                "more than pure chance would, which widens the interval honestly. A before-and-after comparison of one "
                "series cannot rule out other things that changed at the same time.",
                "<strong>Structural time-series counterfactual.</strong> For each campaign, a model learnt from the "
                "days before it predicts the campaign pages' daily views from the pages the campaign did not promote; "
                "the gap between actual and predicted views during the campaign is the estimated effect. It follows "
                "Google's CausalImpact but is fitted by maximum likelihood: its central estimates should agree "
                "closely with CausalImpact, its intervals only approximately. It counts page views by people who "
                "accept cookies, not people, and not what they understood or did.",
            ],
        ),
        (
            "Keeping families safe: disclosure control",
            [
                "<strong>NHS small-number suppression.</strong> Counts of people below county level, and counts of "
                f"feedback answers, follow NHS England's rule: 0 stays 0, 1 to {high} is shown as *, and anything "
                f"else is rounded to the nearest {round_to}. A percentage is hidden when the count above or below it "
                "is hidden. Intervals and model estimates are worked out on the unrounded numbers, as the rule allows "
                "for such calculations.",
                "<strong>Free text.</strong> Comments are shown only after names, email addresses, phone numbers and "
                f"postcodes are removed, only for themes with at least {themes_min} comments, and always as plain "
                "text.",
            ],
        ),
    ]
    body = "".join(
        f"<h3>{html.escape(title)}</h3>" + "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
        for title, paragraphs in sections
    )
    return HTML(f'<div class="reach-methodology">{body}</div>')
