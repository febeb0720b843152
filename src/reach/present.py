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

from reach.metrics import month_label
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
    styler = frame.style.hide(axis="index").set_caption(html.escape(caption)).set_uuid(_slug(caption))
    styler = styler.format(formats or {}, escape="html", na_rep="–").format_index(escape="html", axis=1)
    # exclude_styles drops table attributes, so the class goes in by hand (no random ids either way).
    return HTML(styler.to_html(exclude_styles=True).replace("<table>", '<table class="reach-table">', 1))


def chart(item: Chart) -> None:
    """Show a chart as a PNG with its alt text, then its caption and the numbers as a table.

    Parameters
    ----------
    item : reach.plots.Chart
        The chart; its figure is rendered at 2× resolution for sharp text.
    """
    buffer = io.BytesIO()
    item.figure.savefig(buffer, format="png", dpi=150, metadata={"Software": None})
    width = int(item.figure.get_figwidth() * 100)
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    display(
        {"image/png": encoded, "text/plain": f"[chart] {item.alt}"},
        raw=True,
        metadata={"image/png": {"alt": item.alt, "width": width}},
    )
    display(Markdown(f"*{html.escape(item.caption)}*"))
    display(table(item.data, f"Data behind the chart: {item.caption}", _number_formats(item.data)))


def _number_formats(frame: pd.DataFrame) -> dict[str, str]:
    return {c: "{:,.0f}" for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])}


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def _count(value: object) -> str:
    return "no" if value in (None, 0) else f"{int(value):,}"


def headline(summary: dict) -> Markdown:
    """The "At a glance" sentences, written from the month's summary.

    Parameters
    ----------
    summary : dict
        From :func:`reach.metrics.monthly_summary`.

    Returns
    -------
    IPython.display.Markdown
    """
    when = month_label(summary["month"])
    web, video, social = summary["web"], summary["video"], summary["social"]
    helpful = summary["feedback"]["helpful"]
    responses = summary["feedback"]["responses"]
    lines = [
        f"- **Web pages:** the registered safer-sleep pages were viewed **{_count(web['page_views'])}** times in "
        f"{when}. GA4 only counts visitors who accept analytics cookies, so the true number is higher.",
        f"- **Videos:** the safer-sleep videos were watched **{_count(video['views'])}** times on YouTube, "
        f"for {video['watch_time_hours']:,.1f} hours in all.",
        f"- **Social media:** the {_count(social['posts'])} Facebook posts published this month were viewed "
        f"**{_count(social['post_views'])}** times.",
    ]
    if helpful.get("estimate") is not None:
        lines.append(
            f"- **Family feedback:** about {html.escape(str(responses))} people answered the feedback form; "
            f"**{_pct(helpful['estimate'])}** of those who answered found the information helpful "
            f"(95% interval {_pct(helpful['low'])} to {_pct(helpful['high'])})."
        )
    elif helpful.get("suppressed"):
        lines.append(
            "- **Family feedback:** fewer than 8 people answered, too few to show a percentage safely."
        )
    else:
        lines.append("- **Family feedback:** nobody answered the feedback form this month.")
    lines.append(
        "\nViews are counts recorded by each platform, not estimates, so they carry no interval; they are not "
        "the number of *people* reached, because one person can view many times. Percentages from feedback are "
        "estimates and are shown with their 95% interval."
    )
    return Markdown("\n".join(lines))


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
