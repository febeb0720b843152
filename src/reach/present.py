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

from reach.metrics import month_label, suppress_count
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
        return HTML(f'<p class="reach-findings">No {html.escape(label)} could be estimated for this month.</p>')
    items = "".join(f"<li>{html.escape(text)}</li>" for text in sentences)
    return HTML(f'<ul class="reach-findings" aria-label="{html.escape(label, quote=True)}">{items}</ul>')


def _whole(value: object) -> str:
    return "–" if value is None else f"{float(value):,.0f}"


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
    return table(pd.DataFrame(rows), f"What respondents took away, {month_label(summary['month'])} (Wilson intervals)")


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
            "Relative effect": "–" if item.get("rel_effect") is None else f"{item['rel_effect']:+.0%}",
            "Relative effect, 95% interval": _interval(
                {"low": item.get("rel_low"), "high": item.get("rel_high")}, lambda v: f"{float(v):+.0%}"
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
    return table(pd.DataFrame(rows, columns=columns), "Campaign counterfactuals: daily views of the campaign's pages")


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
