"""``reach quotes --month YYYY-MM``: the quotes a month's report could show, for the analyst to approve.

A quote reaches the report only when the SHA-256 of its redacted text is in
``config/approved_quotes.csv`` (:func:`reach.config.read_approved_quotes`). This command builds
the month's tables afresh in a temporary folder (as ``reach run`` would, writing nothing
anywhere else), and lists each candidate: the theme, whether it is approved, its hash and its
redacted text, so the analyst can read each one in full and paste the hashes they approve.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from reach import build
from reach.config import APPROVED_QUOTES_COLUMNS
from reach.core.months import previous_months
from reach.core.redaction import strip_invisible
from reach.summary.impact import quote_candidates

#: Where each source of comments is named in the listing.
SOURCE_LABELS = {"feedback_form": "Feedback form", "page_feedback": "Page feedback"}


def month_candidates(
    month: str,
    raw_dir: Path,
    reference_dir: Path,
    settings: Mapping[str, Any],
    progress: Callable[[str], None] | None = None,
) -> pd.DataFrame:
    """Build the month's tables in a temporary folder and return its candidate quotes.

    Parameters
    ----------
    month : str
        Reporting month, ``YYYY-MM``.
    raw_dir, reference_dir : pathlib.Path
        The raw exports and the reference tables, as for ``reach run``.
    settings : Mapping
        Settings from :func:`reach.config.load_config`.
    progress : callable, optional
        Called with a short message at each step of the build.

    Returns
    -------
    pandas.DataFrame
        :func:`reach.summary.impact.quote_candidates`.
    """
    with tempfile.TemporaryDirectory(prefix="reach-quotes-") as scratch:
        built = build.build(month, raw_dir, Path(scratch), reference_dir, settings, progress=progress)
        return quote_candidates(built.tables, month, settings)


def _one_line(text: str) -> str:
    """A quote on one console line: invisible and control characters gone, line breaks shown as ``/``."""
    return " / ".join(part.strip() for part in str(strip_invisible(text)).splitlines() if part.strip())


def candidate_lines(
    candidates: pd.DataFrame,
    month: str,
    settings: Mapping[str, Any],
    approved_file: str,
    per_theme: int = 10,
) -> list[str]:
    """The listing ``reach quotes`` prints: an explanation, then each theme's candidates.

    Parameters
    ----------
    candidates : pandas.DataFrame
        From :func:`reach.summary.impact.quote_candidates`.
    month : str
        Reporting month.
    settings : Mapping
        The settings (``impact.themes_months``, ``themes_min_n``, ``themes_max_quotes``).
    approved_file : str
        The approved-quotes file, as the analyst should see it named.
    per_theme : int
        Most candidates listed per theme; approved ones are always listed.

    Returns
    -------
    list of str
        Lines without newlines.

    Examples
    --------
    >>> frame = pd.DataFrame(
    ...     [("feedback_form", "Swaddling", 12, "ab" * 32, True, "Is swaddling OK?")],
    ...     columns=["source", "theme", "comments", "sha256", "approved", "text"],
    ... )
    >>> lines = candidate_lines(frame, "2026-10", {}, "config/approved_quotes.csv")
    >>> lines[-2]
    'Feedback form, Swaddling (12 comments): 1 candidate, 1 approved'
    >>> lines[-1] == "  approved  " + "ab" * 32 + "  Is swaddling OK?"
    True
    """
    impact = dict(settings.get("impact") or {})
    months = previous_months(month, int(impact.get("themes_months", 12)))
    lines = [
        f"Candidate quotes for {month}: comments of {months[0]} to {months[-1]}, themes with at least "
        f"{impact.get('themes_min_n', 10)} comments; the report shows up to {impact.get('themes_max_quotes', 3)} "
        "approved quotes per theme, and counts only for a theme with none approved.",
        f"To approve a quote, read it in full, then add a line to {approved_file} "
        f"({','.join(APPROVED_QUOTES_COLUMNS)},note), e.g.",
        "  <sha256>,A. Analyst,2026-11-05,read in full; nothing identifying",
        "and run the month again.",
    ]
    if candidates.empty:
        lines.append("")
        lines.append("No theme has enough comments for quotes this month (or no codebook is configured).")
        return lines
    for (source, theme), group in candidates.groupby(["source", "theme"], sort=False):
        approved = int(group["approved"].sum())
        count = int(group["comments"].iloc[0])
        lines.append("")
        lines.append(
            f"{SOURCE_LABELS.get(source, source)}, {_one_line(theme)} ({count} comments): "
            f"{len(group)} candidate{'s' if len(group) != 1 else ''}, {approved} approved"
        )
        shown = group[group["approved"] | (group.reset_index().index < per_theme)]
        for row in shown.itertuples(index=False):
            mark = "approved" if row.approved else "-       "
            lines.append(f"  {mark}  {row.sha256}  {_one_line(row.text)}")
        if len(shown) < len(group):
            lines.append(f"  … {len(group) - len(shown)} more (--per-theme N lists more)")
    return lines
