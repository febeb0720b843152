"""Accessible HTML tables for the report.

Header cells with scope, every cell escaped, numbers right-aligned. Values are shown exactly
(no spreadsheet-formula apostrophe: that is added only to the CSV files reach writes).
"""

from __future__ import annotations

import html
import re

import pandas as pd
from IPython.display import HTML, Markdown

from reach.core.disclosure import suppress_count
from reach.core.formatting import format_value
from reach.core.intervals import proportion_estimate
from reach.core.months import month_label
from reach.core.redaction import strip_invisible
from reach.report.unmatched import UNMATCHED_ASSETS_FILE, UNMATCHED_FILE, UNMATCHED_SHOWN, unmatched_rows


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
    # Values are shown exactly as they are (a video id "-Boc6OawEW0", a target "+10%"), only
    # escaped; formula neutralising belongs to the files a spreadsheet opens (reach.report.unmatched).
    formats = formats or {}
    # Built directly rather than through pandas' Styler: the report has some twenty tables and
    # Styler's templating was a noticeable share of the batch time. Every cell and header is escaped.
    cells = [formats.get(c) for c in frame.columns]
    head = "".join(f'<th scope="col">{html.escape(str(c))}</th>' for c in frame.columns)
    texts = [
        [_text(v, f) for v, f in zip(row, cells, strict=True)]
        for row in frame.itertuples(index=False, name=None)
    ]
    # Bidi overrides and zero-width characters in a value (a title, a campaign tag) are dropped.
    rows = "".join(
        "<tr>" + "".join(f"<td>{html.escape(strip_invisible(t))}</td>" for t in row) + "</tr>\n"
        for row in texts
    )
    # Numbers are right-aligned and text left-aligned: the template right-aligns the columns named
    # in data-numeric (1-based), so each cell stays a plain <td>.
    numeric = " ".join(str(i + 1) for i in range(len(frame.columns)) if numeric_column([r[i] for r in texts]))
    attribute = f' data-numeric="{numeric}"' if numeric else ""
    body = (
        f'<table class="reach-table"{attribute}>\n<caption>{html.escape(caption)}</caption>\n'
        f"<thead>\n<tr>{head}</tr>\n</thead>\n<tbody>\n{rows}</tbody>\n</table>"
    )
    # A wide table scrolls sideways inside its own box at 320 px instead of being cut off; the box
    # is focusable and named so keyboard users can scroll it (WCAG 2.1.1, 1.4.10).
    label = html.escape(caption, quote=True)
    return HTML(f'<div class="reach-table-wrap" role="region" tabindex="0" aria-label="{label}">{body}</div>')


def _text(value: object, fmt: str | None) -> str:
    """One table cell as text: ``–`` for missing, ``fmt`` for numbers, 6 decimals for bare floats."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return "–"
    if not isinstance(value, str) and pd.api.types.is_scalar(value) and pd.isna(value):
        return "–"
    if fmt is not None and not isinstance(value, str):
        return fmt.format(value)
    if isinstance(value, float) and not isinstance(value, bool):
        return f"{value:.6f}"
    return str(value)


_NUMBER = r"[+\-−]?\d[\d,]*(?:\.\d+)?(?:%| points?| s| hours?| more| fewer)?"
_NUMERIC_CELL = re.compile(
    rf"(?:(?:at least|at most|about) )?(?:{_NUMBER}|\*)(?: to {_NUMBER})?(?: \({_NUMBER} to {_NUMBER}\))?"
)
#: What a number column shows where it has no number (missing, withheld, a range given elsewhere).
_BLANK_CELLS = {"", "–", "-", "*", "not shown", "range only", "not measured", "not set", "n/a"}


def numeric_column(texts: list[str]) -> bool:
    """True when a column's cells are numbers (counts, percentages, intervals), so it is right-aligned.

    A column is numeric when every cell is a number, an interval such as ``74% to 92%`` or
    ``1,788 (1,020 to 3,136)``, or a stand-in for a number (``–``, ``*``, ``not shown``), and at
    least one cell is a number.

    Examples
    --------
    >>> numeric_column(["1,788", "74% to 92%", "–", "+1 to +31 points", "*", "at least 809", "not shown"])
    True
    >>> numeric_column(["Web pages", "1,788"]), numeric_column(["–", "*"]), numeric_column(["2026-10"])
    (False, False, False)
    """
    shown = [text.strip() for text in texts if text.strip() not in _BLANK_CELLS]
    return bool(shown) and all(_NUMERIC_CELL.fullmatch(text) for text in shown)


def _number_formats(frame: pd.DataFrame) -> dict[str, str]:
    return {c: "{:,.0f}" for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])}


def _pct(value: float | None) -> str:
    return format_value(value, "share")


#: Per platform: the table's title (``{month}`` is the month's name) and its columns' headings, in order.
ASSET_TABLES: dict[str, tuple[str, dict[str, str]]] = {
    "web": (
        "Web pages by asset, {month}",
        {"asset_title": "Asset", "theme": "Theme", "pages": "Pages", "views": "Page views",
         "users_low": "Users (at least)", "users_high": "Users (at most)"},
    ),
    "video": (
        "YouTube videos by asset, {month}",
        {"asset_title": "Asset", "theme": "Theme", "videos": "Videos", "views": "Views",
         "watch_time_hours": "Watch time (hours)"},
    ),
    "social": (
        "Facebook posts by asset, published in {month}",
        {"asset_title": "Asset", "theme": "Theme", "posts": "Posts", "views": "Views",
         "reach_low": "People reached (at least)", "reach_high": "People reached (at most)"},
    ),
}  # fmt: skip


def asset_table(by_asset: pd.DataFrame, month: str, platform: str) -> HTML:
    """Table of one platform's activity per asset (from :func:`reach.estimate.engagement.by_asset`).

    Parameters
    ----------
    by_asset : pandas.DataFrame
        From :func:`reach.estimate.engagement.by_asset` for the same platform.
    month : str
        ISO month.
    platform : {"web", "video", "social"}
        Which platform (sets the title and headings of :data:`ASSET_TABLES`).

    Returns
    -------
    IPython.display.HTML
    """
    title, headings = ASSET_TABLES[platform]
    frame = by_asset[list(headings)].rename(columns=headings)
    formats = _number_formats(frame)
    if "Watch time (hours)" in frame:
        formats["Watch time (hours)"] = "{:,.1f}"
    return table(frame, title.format(month=month_label(month)), formats)


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


def unmatched_table(tables: dict[str, pd.DataFrame], month: str, top: int = UNMATCHED_SHOWN) -> HTML:
    """How many identifiers matched no registered asset this month, and the ``top`` with most views.

    The full list is not shown: ``reach run`` writes it beside the report
    (:func:`reach.report.unmatched.write_unmatched`).

    Parameters
    ----------
    tables : dict of str to pandas.DataFrame
        Processed tables (``unmatched``).
    month : str
        ISO month.
    top : int
        How many to list.

    Returns
    -------
    IPython.display.HTML
        A paragraph with the count and where the full list is, then a table of the ``top``
        (none when every identifier matched).

    Examples
    --------
    >>> unmatched = pd.DataFrame({"table": ["video"], "month": ["2026-10"], "identifier": ["-Boc6OawEW0"],
    ...                           "measure": ["views"], "value": [12.0]})
    >>> "<td>-Boc6OawEW0</td>" in unmatched_table({"unmatched": unmatched}, "2026-10").data
    True
    """
    rows = unmatched_rows(tables["unmatched"], month)
    label = month_label(month)
    when = html.escape(label)  # in the paragraph; table() escapes the caption itself
    if rows.empty:
        return HTML(
            f"<p>Every page, video, post and campaign tag in the exports for {when} is in the asset registry.</p>"
        )
    count = len(rows)
    shown = rows.head(top)
    lead = (
        (
            f"<p>1 page, video, post or campaign tag in the exports for {when} is not in the asset registry, "
            if count == 1
            else f"<p>{count:,} pages, videos, posts or campaign tags in the exports for {when} are not in the asset "
            "registry, "
        )
        + "so no figure counts them. "
        + (
            f"The {len(shown)} with the most views (sessions for campaign tags) are below. "
            if count > len(shown)
            else ""
        )
        + ("It is" if count == 1 else f"All {count:,} are")
        + f' listed in <a href="{UNMATCHED_FILE}">{UNMATCHED_FILE}</a> beside this report; '
        f'<a href="{UNMATCHED_ASSETS_FILE}">{UNMATCHED_ASSETS_FILE}</a> holds the pages, videos and posts as '
        "rows of the asset registry: keep the safer-sleep ones, give each a title and theme (one row per asset; "
        "list cells are separated by ;) and paste them into assets.csv. A campaign tag belongs in the "
        "campaign_tags cell of the assets it promotes.</p>"
    )
    frame = shown[["table", "identifier", "measure", "value"]].rename(
        columns={"table": "Table", "identifier": "Identifier", "measure": "Measure", "value": "Value"}
    )
    caption = (
        f"Not in the asset registry, {label}: the {len(shown)} with the most views, of {count:,}"
        if count > len(shown)
        else f"Pages, videos, posts and campaign tags not in the asset registry, {label}"
    )
    return HTML(lead + table(frame, caption, {"Value": "{:,.0f}"}).data)


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
        From :func:`reach.summary.monthly.monthly_summary` (its ``reach`` block).

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
    return table(pd.DataFrame(rows), f"People reached in {when}: ranges, and estimates with 95% intervals")


_KIND_TEXT = {
    "estimate": "estimate",
    "bound": "range (the data give limits, not a best estimate)",
    "not measured": "not measured",
}


def _reach_row(label: str, item: dict | None) -> dict:
    if not item or (item.get("estimate") is None and item.get("low") is None):
        return {"Channel": label, "Best estimate": "–", "Range or 95% interval": "no data this month",
                "What it is": "not measured", "Method": ""}  # fmt: skip
    return {
        "Channel": label,
        "Best estimate": "–" if item.get("estimate") is None else _whole(item["estimate"]),
        "Range or 95% interval": _interval(item)
        if item.get("high") is not None
        else f"at least {_whole(item['low'])}",
        "What it is": _KIND_TEXT.get(item.get("kind", "estimate"), ""),
        "Method": item.get("method", ""),
    }


def coverage_table(summary: dict) -> HTML:
    """Norfolk share and coverage of families with a newborn, county and per district.

    District counts of people are already rounded to 5 by :func:`reach.summary.reach.reach_summary`
    (limits outwards); a district estimate below 8 families is shown as ``*`` (NHS rule).

    Parameters
    ----------
    summary : dict
        From :func:`reach.summary.monthly.monthly_summary`.

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
            "Families reached, range or 95% interval": "–",
            "Share of families with a newborn": _pct(cov.get("estimate")),
            "Share, range or 95% interval": _interval(cov, _pct),
            "What it is": _KIND_TEXT.get(cov.get("kind", "estimate"), ""),
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
                "Families reached, range or 95% interval": "*" if small else _interval(r),
                "Share of families with a newborn": "*" if small else _pct(c.get("estimate")),
                "Share, range or 95% interval": "*" if small else _interval(c, _pct),
                "What it is": _KIND_TEXT.get(c.get("kind", "estimate"), ""),
            }
        )
    return table(
        pd.DataFrame(rows),
        f"Families with a newborn who remembered a safer-sleep asset at the new-birth visit, "
        f"{month_label(summary['month'])} (district births illustrative)",
    )


def sensitivity_table(summary: dict) -> HTML:
    """How each headline reach figure moves when its assumptions move (the appendix's sensitivity table).

    Parameters
    ----------
    summary : dict
        From :func:`reach.summary.monthly.monthly_summary` (its ``reach.sensitivity`` block).

    Returns
    -------
    IPython.display.HTML
    """
    names = {
        "web": ("People reached by the web pages", _whole),
        "combined": ("People reached by any channel", _whole),
        "coverage": ("Share of families with a newborn reached", _pct),
        "responding_parents": ("Share of responding parents who saw something online", _pct),
    }
    rows = []
    for key, (figure, fmt) in names.items():
        for row in summary["reach"].get("sensitivity", {}).get(key, []):
            rows.append(
                {
                    "Figure": figure,
                    "If …": row["scenario"],
                    "Value": "–" if row["estimate"] is None else fmt(row["estimate"]),
                    "Range or 95% interval": "–" if row["low"] is None else _interval(row, fmt),
                }
            )
    frame = pd.DataFrame(rows, columns=["Figure", "If …", "Value", "Range or 95% interval"])
    return table(frame, f"How the reach figures move with their assumptions, {month_label(summary['month'])}")


def outtakes_table(summary: dict) -> HTML:
    """What respondents took away: each out-take overall and by respondent type, with intervals.

    Parameters
    ----------
    summary : dict
        From :func:`reach.summary.monthly.monthly_summary` (its ``impact.outtakes`` block).

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
            "Chosen in advance": "yes" if item.get("primary") else "no (a check on the time series)",
            "Placebo checks": _placebo_text(item.get("placebo")),
            "Smallest effect it could detect": _mde_text(item.get("mde")),
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
        "Chosen in advance",
        "Placebo checks",
        "Smallest effect it could detect",
    ]
    frame = pd.DataFrame(rows, columns=columns).astype({"Relative effect": "Float64"})
    caption = "Campaign counterfactuals: daily views of the campaign's pages"
    return table(frame, caption, {"Relative effect": "{:+.0%}"})


def _placebo_text(placebo: dict | None) -> str:
    """The placebo checks in words: whether a pretend start or an unpromoted page showed a 'change'."""
    if not placebo:
        return "not run"
    flagged = placebo.get("finds_effect")
    pages = placebo.get("pages") or []
    text = (
        "a placebo found a change: normal variation could explain the effect"
        if flagged
        else "none found a change"
    )
    return f"{text} (a pretend start and {len(pages)} unpromoted page(s))"


def _mde_text(mde: dict | None) -> str:
    if not mde or mde.get("rel_effect") is None:
        return "–"
    return f"about {float(mde['rel_effect']):.0%} more views ({float(mde.get('power', 0.8)):.0%} power)"


def _more_or_fewer(value: object) -> str:
    """A relative change in words, e.g. ``0.46`` → ``"46% more"``, ``-0.1`` → ``"10% fewer"``."""
    number = float(value)
    return f"{abs(number):.0%} " + ("fewer" if number < 0 else "more")


def themes_table(summary: dict) -> HTML:
    """Free-text themes with rounded counts and the redacted, escaped quotes the analyst approved."""
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
                        "Example comments (redacted)": " | ".join(theme.get("quotes") or [])
                        or ("– (none approved yet)" if theme.get("quotes_pending") else "–"),
                    }
                )
        caption = (
            f"Themes in comments, {month_label(themes['first_month'])} to {month_label(themes['last_month'])}; "
            f"quotes only for themes with at least {themes['min_n']} comments, and only those the analyst approved"
        )
    else:
        caption = "Themes in comments: no codebook configured"
    columns = ["Where", "Theme", "Comments (rounded)", "Share", "Example comments (redacted)"]
    return table(pd.DataFrame(rows, columns=columns), caption)


def engagement_table(summary: dict) -> HTML:
    """Web engagement per asset: engagement rate and time, with last month and last year.

    Parameters
    ----------
    summary : dict
        From :func:`reach.summary.monthly.monthly_summary` (its ``impact.engagement.web`` rows).

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
    "campaign_effect": ("Latest campaign: extra page views (its method chosen in advance)", "relative"),
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
