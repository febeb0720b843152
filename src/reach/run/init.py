"""``reach init``: starter reference tables for a new clone, with their columns documented.

A clone has no ``config/reference/`` (the analyst's asset registry, campaign periods and live
births). :func:`write_starter` writes ``assets.csv``, ``campaigns.csv`` and ``births.csv``, each
with its documented columns and one example row, and a ``README.md`` describing every column;
it never replaces a file that is already there. :func:`next_steps` says what to fill in.
The tables and their text are built by pure functions (:func:`starter_tables`,
:func:`reference_readme`).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from reach.errors import ReachError


@dataclass(frozen=True)
class Starter:
    """One reference table: its file, each column with what goes in it, an example row, what to do."""

    name: str
    columns: tuple[tuple[str, str], ...]
    example: tuple[str, ...]
    fill_in: str


ASSETS = Starter(
    "assets.csv",
    (
        ("asset_id", "a short id you choose, unique, never reused (e.g. safer-sleep-web)"),
        ("title", "the asset's name as the report shows it"),
        ("theme", "the theme it belongs to (e.g. safer-sleep, crying-and-coping); assets are grouped by it"),
        ("type", "web_page, video, social_post or leaflet"),
        ("launch_date", "YYYY-MM-DD, when it went live (for your records)"),
        (
            "url_paths",
            "its web pages, ;-separated; a trailing * matches any characters, so /section/* is the section "
            "page /section/ and every page under it",
        ),
        ("video_ids", "its YouTube video ids (the 11 characters after watch?v=), ;-separated"),
        ("post_ids", "its Facebook post ids (as in the Meta export's Post ID column), ;-separated"),
        ("campaign_tags", "the utm_campaign tags that promote it, ;-separated"),
    ),
    (
        "safer-sleep-web",
        "Safer sleep for your baby (web page)",
        "safer-sleep",
        "web_page",
        "2023-04-03",
        "/baby-sleep/safer-sleep/*",
        "",
        "",
        "safer-sleep-week-2026",
    ),
    "one row per safer-sleep asset (web pages, videos, posts, leaflets); replace the example row. "
    "Pages, videos and posts missing from it are listed in each report's unmatched.csv",
)

CAMPAIGNS = Starter(
    "campaigns.csv",
    (
        ("campaign_id", "a short id you choose, unique"),
        ("name", "the campaign's name as the report shows it"),
        ("start", "first day, YYYY-MM-DD"),
        ("end", "last day, YYYY-MM-DD"),
        ("channels", "web, video, social, ;-separated"),
        ("utm_campaign", "the utm_campaign tag its links carry"),
        ("description", "what the campaign did"),
        ("primary_outcome", "campaign_page_views (the only outcome so far)"),
        (
            "primary_method",
            "counterfactual or time_series, chosen before the campaign starts; blank means counterfactual, "
            "reported as not prespecified",
        ),
    ),
    (
        "safer-sleep-week-2026",
        "Safer Sleep Week 2026",
        "2026-03-09",
        "2026-03-22",
        "web;video;social",
        "safer-sleep-week-2026",
        "Safer Sleep Week: posts, video promotion and leaflet re-print",
        "campaign_page_views",
        "counterfactual",
    ),
    "one row per campaign, written before it starts (its primary_method is the prespecified answer); "
    "replace the example row",
)

BIRTHS = Starter(
    "births.csv",
    (
        ("year", "calendar year, YYYY"),
        ("area_code", "ONS code: E10000020 for Norfolk, E07000143 to E07000149 for its seven districts"),
        ("area_name", "the area's name"),
        ("live_births", "live births in the year, a whole number"),
        ("status", "published (an ONS or JSNA figure) or illustrative (a placeholder the report flags)"),
        ("source", "where the figure comes from"),
    ),
    (
        "2023",
        "E10000020",
        "Norfolk",
        "7200",
        "illustrative",
        "example row written by reach init: replace with the published figure",
    ),
    "Norfolk's live births per year (area E10000020) and, when published, each district's; the "
    "example row is a placeholder marked illustrative: replace it with the published figure (ONS via "
    "Nomis, or Norfolk Insight)",
)

#: The reference tables ``reach run`` reads, in the order ``reach init`` writes them.
STARTERS = (ASSETS, CAMPAIGNS, BIRTHS)

#: The file describing every column, written beside the tables.
README = "README.md"


def starter_tables() -> dict[str, str]:
    """Each reference table as CSV text: its header and one example row.

    Returns
    -------
    dict of str to str
        File name → CSV text, one line per row.

    Examples
    --------
    >>> print(starter_tables()["births.csv"], end="")
    year,area_code,area_name,live_births,status,source
    2023,E10000020,Norfolk,7200,illustrative,example row written by reach init: replace with the published figure
    """
    out = {}
    for starter in STARTERS:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow([name for name, _ in starter.columns])
        writer.writerow(starter.example)
        out[starter.name] = buffer.getvalue()
    return out


def reference_readme() -> str:
    """The ``README.md`` written beside the tables: what each file holds and each column means.

    Returns
    -------
    str
        Markdown.

    Examples
    --------
    >>> reference_readme().splitlines()[0]
    '# Reference tables'
    """
    lines = [
        "# Reference tables",
        "",
        "`reach run` reads these three tables from this folder (`reference_dir` in `config/reach.yaml`;",
        "`--reference DIR` for one run). `reach init` wrote each with one example row: replace it with your own.",
        "Cells holding several values are separated by `;`. Save as CSV (UTF-8).",
    ]
    for starter in STARTERS:
        lines += ["", f"## {starter.name}", "", starter.fill_in[0].upper() + starter.fill_in[1:] + ".", ""]
        lines += ["| column | what goes in it |", "|---|---|"]
        lines += [f"| `{name}` | {text} |" for name, text in starter.columns]
    return "\n".join(lines) + "\n"


def write_starter(folder: str | Path) -> list[Path]:
    """Write the starter reference tables and their ``README.md`` into ``folder``.

    Parameters
    ----------
    folder : str or pathlib.Path
        The reference folder; created if missing.

    Returns
    -------
    list of pathlib.Path
        The files written: ``assets.csv``, ``campaigns.csv``, ``births.csv``, ``README.md``.

    Raises
    ------
    ReachError
        If any of those files already exists (each is named); nothing is written then.
    """
    folder = Path(folder)
    files = {**starter_tables(), README: reference_readme()}
    existing = [folder / name for name in files if (folder / name).exists()]
    if existing:
        raise ReachError(
            f"{', '.join(str(p) for p in existing)} already exist{'s' if len(existing) == 1 else ''}; reach init "
            "never replaces a reference table (move it away first, or give another folder with --reference)"
        )
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in files.items():
        path = folder / name
        with path.open("x", encoding="utf-8", newline="") as handle:  # "x": never replace a file
            handle.write(text)
        written.append(path)
    return written


def next_steps(folder: str | Path) -> list[str]:
    """What to fill in, file by file, and how to start the first month.

    Parameters
    ----------
    folder : str or pathlib.Path
        The reference folder written.

    Returns
    -------
    list of str
        Lines to print.

    Examples
    --------
    >>> next_steps("config/reference")[1].startswith("  config/reference/assets.csv: one row per safer-sleep asset")
    True
    """
    folder = Path(folder)
    lines = ["Fill in (columns described in README.md beside them):"]
    lines += [f"  {(folder / s.name).as_posix()}: {s.fill_in}." for s in STARTERS]
    lines += [
        "Then put a month's exports in data/raw/YYYY-MM/ (data/raw/README.md says which reports and filters),",
        "check them with `reach inspect data/raw/YYYY-MM/*` and run `reach run --month YYYY-MM`.",
    ]
    return lines
