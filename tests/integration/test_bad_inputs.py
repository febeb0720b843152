"""A catalogue of bad inputs and the outcome a user needs from each (issue 3).

Every case is a file an analyst could plausibly drop into ``data/raw/<YYYY-MM>/``: empty,
binary, truncated, re-saved by Excel, in the wrong encoding or language, restated, imported
twice, or carrying formulas, HTML or personal data in free text. Expected outcomes come from
what the user needs (``docs/export-formats.md`` in ../shared), not from what the code happens
to do:

* ``error``   - ``reach inspect`` exits 1; the one-line message names the file (and the line and
  column where that means something) and matches the case's regex;
* ``warning`` - the file is read (exit 0, no error) and the repair is announced in a warning
  matching the regex;
* ``ok``      - the file is read (exit 0, no error), optionally with a check on the result.

File-level cases are read by the real command line (``reach inspect --json FILE...``), each file
in its own folder and judged by its own JSON entry; to keep the file fast they go through three
calls (must fail / must be read / needs ``--date-order``) rather than one per file, and
``test_one_file_per_call_gives_its_own_exit_status`` pins the per-file exit status the grouping
relies on. Pipeline-level cases (restatements, double import, formula/HTML/personal data, Excel
damage inside a month, runs that must stop) copy the bundled sample's raw tree, change the sample
month and run ``reach run`` four times (two at a time); the baseline for the double import is
built in-process. ``test_raw_trees_are_never_written`` proves by SHA-256 that nothing under any
copied raw tree (or the bundled sample) was changed, added or removed by all those runs.

Cases marked xfail(strict) are problems in the pipeline, described in their reason.
"""

# ruff: noqa: E501 - hand-written CSV fixtures keep real long headers

from __future__ import annotations

import codecs
import concurrent.futures
import csv
import datetime as dt
import gzip
import hashlib
import html
import io
import json
import re
import shutil
import subprocess
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pytest
import yaml

from reach.build import build
from reach.config import load_config
from reach.errors import InputValidationError
from reach.ingest.read import read_exports
from reach.store import load_processed
from tests.conftest import REPO_ROOT, run_cli

pytestmark = pytest.mark.integration

SAMPLE = REPO_ROOT / "src" / "reach" / "sample_data"
MONTH = "2026-10"
MONTH_DIR = SAMPLE / "raw" / MONTH

PAGES = "ga4/Pages_and_screens_Page_path_and_screen_class.csv"
DAILY = "ga4/Pages_and_screens_Page_path_and_screen_class (1).csv"
YT_TABLE = "youtube/Table data.csv"
YT_TOTALS = "youtube/Totals.csv"
# Meta names the export after the page's id, which the sample draws from its seed.
META_POSTS = "meta/" + min(path.name for path in (MONTH_DIR / "meta").glob("Oct-01-2026_Oct-31-2026_*.csv"))
MS_FORMS = "feedback/Safer sleep feedback(1-60).csv"
PAGE_FEEDBACK = "feedback/page-feedback-2026-10.csv"
PARTNERS = "partners/outcome_indicators_2026-10.csv"

# A token no real path contains, so a zip-slip write would be found wherever it landed.
SLIP_TOKEN = f"reach-zip-slip-{uuid.uuid4().hex[:12]}"


# ============================================================================================
# Byte builders
# ============================================================================================


def sample_bytes(rel: str) -> bytes:
    return (MONTH_DIR / rel).read_bytes()


def sample_text(rel: str) -> str:
    return sample_bytes(rel).decode("utf-8-sig")


def sample_lines(rel: str) -> list[str]:
    return sample_text(rel).splitlines()


def crlf(lines: list[str], final_newline: bool = False) -> bytes:
    return ("\r\n".join(lines) + ("\r\n" if final_newline else "")).encode("utf-8")


def csv_bytes(rows: list[list[str]], *, bom: bool = False, crlf_endings: bool = True) -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n" if crlf_endings else "\n").writerows(rows)
    data = out.getvalue().encode("utf-8")
    return codecs.BOM_UTF8 + data if bom else data


def csv_rows(rel: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(sample_text(rel), newline="")))


def ga4_preamble(
    title: str = "Pages and screens: Page path and screen class",
    start: str = "20261001",
    end: str = "20261031",
) -> list[str]:
    return [
        "# ----------------------------------------",
        f"# {title}",
        "# Account: Norfolk County Council",
        "# Property: Just One Norfolk - GA4",
        "# ----------------------------------------",
        "# ",
        "# All Users",
        f"# Start date: {start}",
        f"# End date: {end}",
    ]


def pages_lines() -> list[str]:
    """The sample month's GA4 Pages file as lines: 9 preamble lines, header on line 10, data from line 11."""
    return sample_lines(PAGES)


def pages_set(line_no: int, field: int, new: str) -> bytes:
    """The Pages file with one field (0-based) of a 1-based physical line replaced, whatever it held."""
    lines = pages_lines()
    fields = lines[line_no - 1].split(",")
    fields[field] = new
    lines[line_no - 1] = ",".join(fields)
    return crlf(lines)


def set_cell(rows: list[list[str]], row: int, header: str, value: str) -> None:
    rows[row][[h.lstrip("\ufeff") for h in rows[0]].index(header)] = value


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 11, 2, 9, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)  # ZipInfo keeps '../' and '/' exactly as given
    return buf.getvalue()


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def ga4_utf16_no_bom() -> bytes:
    return sample_text(PAGES).encode("utf-16-le")


def ga4_latin1() -> bytes:
    lines = ga4_preamble() + [
        "Page title and screen class,Views,Active users,Event count",
        "Caf\u00e9 safe-sleep guide \u00a3 free,120,80,300",
        "R\u00e9sum\u00e9 of advice,40,30,90",
    ]
    return "\r\n".join(lines).encode("latin-1")


def ga4_missing_views() -> bytes:
    lines = ga4_preamble() + [
        "Page path and screen class,Active users,Event count,Engagement rate",
        "/baby-sleep/safer-sleep/,410,2022,0.6495049504950495",
        "/,386,1331,0.6145374449339207",
    ]
    return crlf(lines)


def ga4_thousands() -> bytes:
    return pages_set(11, 1, '"1,234"')


def ga4_rate_above_one() -> bytes:
    # Engagement rate written as a percentage (64.95) instead of a fraction.
    return pages_set(12, 8, "61.45374449339207")  # the ninth column is Engagement rate


def daily_lines() -> list[str]:
    return sample_lines(DAILY)


def ga4_daily_outside_period() -> bytes:
    lines = daily_lines()
    assert lines[10].startswith("202610")  # line 11: the first row, a day in October 2026
    lines[10] = "20261105," + lines[10].split(",", 1)[1]
    return crlf(lines)


def ga4_daily_duplicate() -> bytes:
    lines = daily_lines()
    date, page, views, rest = lines[11].split(",", 3)
    lines.append(f"{date},{page},{int(views) + 7},{rest}")  # same date + page, different views
    return crlf(lines)


def ga4_daily_exact_duplicate() -> bytes:
    lines = daily_lines()
    lines.append(lines[11])  # the same row pasted twice
    return crlf(lines)


def ga4_truncated_mid_row() -> bytes:
    """The real export cut off after the fourth value of its 14th line (a download that stopped)."""
    lines = sample_bytes(PAGES).split(b"\r\n")
    return b"\r\n".join([*lines[:13], b",".join(lines[13].split(b",")[:4])])


def youtube_truncated_in_quotes() -> bytes:
    data = sample_bytes(YT_TABLE)
    cut = data.index(b'"Back to sleep, clear')
    return data[: cut + len(b'"Back to sleep, clear')]


def youtube_header_only() -> bytes:
    return sample_bytes(YT_TABLE).split(b"\n", 1)[0] + b"\n"


# --- cut short, blank metrics and limits (issue 13) -----------------------------------------------

YT_CHART = "youtube/Chart data.csv"


def daily_cut(keep: Callable[[bytes], bytes]) -> bytes:
    """The sample GA4 daily export stopped inside line 81 (its 71st row), keeping ``keep(line)`` of that line."""
    lines = sample_bytes(DAILY).split(b"\r\n")
    return b"\r\n".join([*lines[:80], keep(lines[80])])


def daily_cut_inside_last_number() -> bytes:
    """Issue 13's case: cut after the '.' of line 81's last value (15.423777495387132 becomes '15.')."""

    def keep(line: bytes) -> bytes:
        assert line.endswith(b",15.423777495387132"), line  # what the sample holds there
        return line[: -len(b"423777495387132")]

    return daily_cut(keep)


def daily_cut_after_comma() -> bytes:
    return daily_cut(lambda line: line.rsplit(b",", 1)[0] + b",")


def meta_posts_header_only() -> bytes:
    return sample_bytes(META_POSTS).split(b"\n", 1)[0] + b"\n"


def meta_posts_cut_mid_header() -> bytes:
    header = sample_bytes(META_POSTS).split(b"\n", 1)[0]
    cut = header.index(b"Permalink") + len(b"Perma")  # after 'Post ID' and 'Publish time': still recognised
    return header[:cut]


def meta_posts_cut_in_first_columns() -> bytes:
    return sample_bytes(META_POSTS)[: len(codecs.BOM_UTF8) + len(b"Post ID,Page I")]


def lines_in(rel: str) -> int:
    """Physical lines of a sample file that ends with a line break."""
    data = sample_bytes(rel)
    assert data.endswith(b"\n")
    return data.count(b"\n")


def without_final_line_break(rel: str, drop: int = 0) -> bytes:
    data = sample_bytes(rel).rstrip(b"\r\n")
    return data[: len(data) - drop]


def youtube_table_rows_far_below_total() -> bytes:
    """Header, the Total row (803 views) and only the last video (72 views): the other rows are lost."""
    rows = youtube_rows()
    assert rows[1][0] == "Total" and rows[1][8] == "803" and rows[-1][8] == "72"
    return csv_bytes([rows[0], rows[1], rows[-1]], crlf_endings=False)


def youtube_totals_blank_before_tracking() -> bytes:
    """A Totals export of a metric YouTube only started tracking on 11 October (blank before)."""
    lines = ["Date,Stayed to watch (%)"]
    lines += [f"2026-10-{d:02d}," for d in range(1, 11)]
    lines += [f"2026-10-{d:02d},{50 + d}.5" for d in range(11, 32)]
    return crlf(lines, final_newline=True)


def meta_ads(rows: list[str]) -> bytes:
    header = '"Campaign name",Reach,Impressions,"Reporting starts","Reporting ends"'
    return ("\n".join([header, *rows]) + "\n").encode()


def zip_ratio_bomb() -> bytes:
    """A zip whose one member unpacks to about 2 MB of a single repeated line (over a thousand times its size)."""
    row = b'2026-10-01,q7Xr2LmPz0k,Safer sleep for your baby,"Mar 4, 2024",214,9\n'
    body = b"Date,Content,Video title,Video publish time,Duration,Views\n" + row * (2 * 2**20 // len(row))
    return zip_bytes({"Chart data.csv": body})


UA_EXPORT = b"""# ----------------------------------------
# All Web Site Data
# Landing Pages
# 20150416-20150416
# ----------------------------------------

Landing Page,Device Category,Sessions,% New Sessions,New Users,Bounce Rate,Pages/Session,Avg. Session Duration
/lasko,mobile,553,96.02%,531,92.41%,1.12,00:00:12
,,"3,215",95.43%,"3,068",88.99%,1.18,00:00:17
"""


def ga4_explorations() -> bytes:
    lines = [
        "# ----------------------------------------",
        "# Free form 1",
        "# Account: Norfolk County Council",
        "# Property: Just One Norfolk - GA4",
        "# Start date: 20261001",
        "# End date: 20261031",
        "# ----------------------------------------",
        "",
        "Page path and screen class,Views,Active users",
        "Totals,1500,900",
        "/baby-sleep/safer-sleep/,660,410",
        "/,549,386",
        "/feeding/,291,104",
    ]
    return codecs.BOM_UTF8 + crlf(lines, final_newline=True)


def ga4_other_row() -> bytes:
    lines = pages_lines()
    lines.append("(other),31,22,1.4090909090909092,20.1,80,0,0,0.6,0.4,22,25,40.5")
    return crlf(lines)


def ga4_excel_trailing_commas() -> bytes:
    lines = ga4_preamble() + [
        "Page path and screen class,Views,Active users",
        "/baby-sleep/safer-sleep/,660,410",
        "/,549,386",
    ]
    return crlf([line + ",,,," for line in lines[:9]] + [",,,,,,"] + [line + ",,,," for line in lines[9:]])


def ga4_crlf_no_final_newline() -> bytes:
    data = sample_bytes(PAGES)
    assert b"\r\n" in data and not data.endswith((b"\n", b"\r"))  # the real GA4 byte shape
    return data


def ga4_semicolons() -> bytes:
    """A GA4 file re-saved by a spreadsheet in a ';' locale: every line padded to the table width."""
    table = [
        "Page path and screen class;Views;Active users;Event count",
        "/baby-sleep/safer-sleep/;660;410;2022",
        "/;549;386;1331",
    ]
    return crlf([line + ";;;" for line in ga4_preamble()] + table, final_newline=True)


def ga4_semicolons_decimal_commas() -> bytes:
    lines = pages_lines()
    table = [line.replace(",", ";").replace(".", ",") for line in lines[9:]]
    return crlf(lines[:9] + table)


def youtube_rows() -> list[list[str]]:
    return csv_rows(YT_TABLE)


def youtube_thumbnail_naming() -> bytes:
    rows = youtube_rows()
    header = rows[0]
    header[header.index("Impressions")] = "Thumbnail impressions"
    header[header.index("Impressions click-through rate (%)")] = "Thumbnail click-through rate (%)"
    return csv_bytes(rows, crlf_endings=False)


def youtube_name_error() -> bytes:
    rows = youtube_rows()
    rows[3][0] = "#NAME?"  # ' -Tb9wKcZ4sE' after an Excel round trip
    return csv_bytes(rows, crlf_endings=False)


def youtube_no_total() -> bytes:
    rows = youtube_rows()
    assert rows[1][0] == "Total"
    return csv_bytes([rows[0], *rows[2:]], crlf_endings=False)


def youtube_dmony() -> bytes:
    rows = youtube_rows()
    for row in rows[1:]:
        if row[2]:
            d = dt.datetime.strptime(row[2], "%b %d, %Y")
            row[2] = f"{d.day}-{d:%b}-{d:%y}"  # '4-Mar-24'
    return csv_bytes(rows)


def youtube_totals_dmy() -> bytes:
    lines = sample_lines(YT_TOTALS)
    out = [lines[0]]
    for line in lines[1:]:
        day, value = line.split(",")
        d = dt.date.fromisoformat(day)
        out.append(f"{d:%d-%m-%Y},{value}")
    return crlf(out, final_newline=True)


def meta_scientific_id() -> bytes:
    rows = csv_rows(META_POSTS)
    rows[1][0] = "6.00867E+16"
    rows[2][0] = "9.48455E+16"
    return csv_bytes(rows, bom=True, crlf_endings=False)


def meta_daily_utf16(days: range = range(1, 32)) -> bytes:
    lines = ["sep=,", '"Facebook follows"', '"Date","Primary"']
    lines += [f'"2026-10-{d:02d}T00:00:00","{(d * 7) % 23}"' for d in days]
    return codecs.BOM_UTF16_LE + ("\r\n".join(lines) + "\r\n").encode("utf-16-le")


META_SWEDISH = (
    codecs.BOM_UTF8
    + (
        'Publicerings-id,Sid-id,Sidnamn,Titel,Beskrivning,Publiceringstid,Permalänk,Inläggstyp,Visningar,Räckvidd,"Reaktioner, kommentarer och delningar"\n'
        "60086652049706098,104839275610392,Just One Norfolk,,Sov säkert,10/25/2026 07:15,https://www.facebook.com/x,Foton,247,191,14\n"
    ).encode()
)


def google_forms(stamps: list[str]) -> bytes:
    rows = [
        [
            "Timestamp",
            "Email address",
            "Was the information helpful?",
            "Is there anything else you would like to tell us?",
        ]
    ]
    rows += [[s, "", "Yes", ""] for s in stamps]
    return csv_bytes(rows)


AMBIGUOUS_STAMPS = [f"{d:02d}/10/2026 09:{d:02d}:00" for d in range(1, 13)]  # no day above 12


def ms_forms_reordered_rows(extra_comments: list[str] = ()) -> list[list[str]]:
    """The sample Microsoft Forms CSV with its question columns out of order (the Forms bug)."""
    rows = csv_rows(MS_FORMS)
    fixed, questions = 6, list(range(6, len(rows[0])))
    order = list(range(fixed)) + questions[::-1]
    template = rows[1]
    comment_col = [i for i, h in enumerate(rows[0]) if h.startswith("Is there anything else")][0]
    for n, text in enumerate(extra_comments):
        new = list(template)
        new[0] = str(len(rows))
        stamp = f"10/30/26 {10 + n // 60:02d}:{n % 60:02d}:07"
        new[1], new[2] = stamp, stamp.replace(":07", ":59")
        new[comment_col] = text
        rows.append(new)
    return [[row[i] for i in order] for row in rows]


def ms_forms_reordered() -> bytes:
    return csv_bytes(ms_forms_reordered_rows(), bom=True)


FORM_QUESTIONS = [
    "Are you a parent or carer, or a professional?",
    "Which district do you live or work in?",
    "Was the information helpful?",
    "Is there anything else you would like to tell us?",
]


def ms_forms_xlsx() -> bytes:
    header = ["ID", "Start time", "Completion time", "Email", "Name", "Last modified time", *FORM_QUESTIONS]
    rows: list[list[object]] = [header]
    rows.append(
        [
            1,
            dt.datetime(2026, 10, 3, 9, 1),
            dt.datetime(2026, 10, 3, 9, 4),
            "anonymous",
            "",
            None,
            "Parent or carer",
            "Norwich",
            "Yes",
            "Clear advice",
        ]
    )
    rows.append(
        [
            2,
            dt.datetime(2026, 10, 14, 19, 30),
            dt.datetime(2026, 10, 14, 19, 36),
            "anonymous",
            "",
            None,
            "Professional",
            "Breckland",
            "No",
            None,
        ]
    )
    return xlsx_bytes(rows)


def xlsx_not_a_form() -> bytes:
    return xlsx_bytes([["Region", "Sales", "Quarter"], ["East", 120, "Q3"], ["West", 80, "Q3"]])


def xlsx_corrupt() -> bytes:
    return zip_bytes({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook>not really"})


def huge_single_line() -> bytes:
    return b"x" * (3 * 1024 * 1024)


def page_feedback_with_comment(comment: str) -> bytes:
    rows = csv_rows(PAGE_FEEDBACK)[:6]
    rows[3][3] = comment
    return csv_bytes(rows, crlf_endings=False)


def page_feedback_bad_helpful() -> bytes:
    rows = csv_rows(PAGE_FEEDBACK)[:6]
    rows[2][2] = "Maybe"
    return csv_bytes(rows, crlf_endings=False)


def partners_with_code(code: str) -> bytes:
    lines = sample_lines(PARTNERS)
    assert ",E07000145," in lines[3]
    lines[3] = lines[3].replace(",E07000145,", f",{code},")
    return ("\n".join(lines) + "\n").encode()


FEEDEX = (
    b"creation date,path or service name,feedback,service satisfaction rating,browser name,browser version,browser platform,user agent,referrer,type,primary organisation,all organisations\n"
    b'2026-10-03 13:45:00,/baby-sleep/safer-sleep/,"I was reading the cot advice\nThe link to the leaflet is broken",,Chrome,120,Windows,Mozilla/5.0,,problem-report,Norfolk County Council,\n'
    b"2026-10-05 08:00:00,/dads/,Helpful page,5,Safari,17,iOS,Mozilla/5.0,,service-feedback,Norfolk County Council,\n"
)

HTML_PAGE = b"<!DOCTYPE html>\n<html><head><title>Sign in - Google Accounts</title></head><body>Sign in</body></html>\n"


# --- shapes met in real exports from other accounts (hand-written in the same shape) -----------


def ga4_pages_resaved_as_xlsx() -> bytes:
    """The GA4 Pages CSV opened in Excel and saved as a workbook."""
    return xlsx_bytes([[c] for c in ga4_preamble()] + [row for row in csv_rows(PAGES)[9:]])


def search_console_chart() -> bytes:
    return b"Date,Clicks,Impressions,CTR,Position\n2026-10-01,161,13456,1.2%,32\n2026-10-02,173,13829,1.25%,32.6\n"


def ms_forms_header_row_deleted() -> bytes:
    return crlf(
        [
            "1,10/15/2026 22:38,10/15/2026 22:39,anonymous,,Yes,Very clear",
            "2,10/16/2026 8:40,10/16/2026 8:41,parent@example.org,A Parent,No,",
        ]
    )


def youtube_by_traffic_source() -> bytes:
    return (
        b"Traffic source,Views,Watch time (hours),Average view duration,Impressions,Impressions click-through rate (%)\n"
        b"Total,1500,20.5,0:00:49,9000,1.7\nYouTube search,600,8.1,0:00:48,3000,2.1\n"
    )


def meta_audience() -> bytes:
    text = 'sep=,\r\n"Age & gender"\r\n"Age","Women","Men"\r\n"18-24","3.2","2.1"\r\n\r\n"Top cities"\r\n"City","Value"\r\n"Norwich, England","120"\r\n'
    return codecs.BOM_UTF16_LE + text.encode("utf-16-le")


def google_forms_script_timestamps() -> bytes:
    """A responses sheet written by an Apps Script: JavaScript date strings, every value quoted."""
    return (
        b'"Timestamp","Which district do you live or work in?"\n'
        b'"Sat Oct 03 2026 13:58:23 GMT+0100 (British Summer Time)","Norwich"\n'
    )


def meta_ads_uk_excel_dates() -> bytes:
    return (
        '"Campaign name",Reach,Impressions,"Reporting starts","Reporting ends"\n'
        ",1000,1500,01/10/2026,31/10/2026\n"
        '"Safer sleep – October",600,900,01/10/2026,31/10/2026\n'
    ).encode()


def ga4_notes_under_table() -> bytes:
    """Re-saved by Excel (lines padded with commas), then notes typed under the table."""
    lines = ga4_preamble(title="Traffic acquisition: Session primary channel group (Default Channel Group)")
    table = [
        "Session primary channel group (Default Channel Group),Active users,Sessions",
        "Organic Search,309,482",
        "Direct,175,243",
        "Referral,88,148",
    ]
    notes = [",,", ",,", "Engagement compared ,,", "1/10-31/10,,", "0.67,,"]
    return crlf([line + ",," for line in lines] + [",,"] + table + notes)


def ga4_snapshot_retention() -> bytes:
    lines = [
        "# ----------------------------------------",
        "# Reports snapshot",
        "# Account: Norfolk County Council",
        "# Property: Just One Norfolk - GA4",
        "# ----------------------------------------",
        "#  ",
        "# Start date: 20261001",
        "# End date: 20261031",
        "Active users,New users,Average engagement time per active user,Event count",
        "410,380,61.5,5200",
        "",
        "# How well do you retain your users?",
        "# Start date: 20260913",
        "# End date: 20261024",
        "Date,Week 0,Week 1,Week 2,Week 3,Week 4,Week 5",
        "Sep 13 - Sep 19,86,0,0,0",
        "Sep 20 - Sep 26,55,0,1,1",
        "Oct 4 - Oct 10,48,0,-1,-1",
        "Oct 18 - Oct 24,69,-1,-1,-1",
    ]
    return crlf(lines)


def meta_posts_with_error_row() -> bytes:
    return (
        b'"Post ID","Page ID","Page name",Title,"Publish time",Permalink,"Post type","Data comment",Date,Reach,Impressions\n'
        b'1142979803545328,108912897259781,"Just One Norfolk",,"10/12/2026 01:12",https://www.facebook.com/x/posts/1,Photo,,Lifetime,5969,6970\n'
        b',,,,,,,"An error occurred while computing metadata for content with ID 933528094972880.",Lifetime,,\n'
        b'1207431990433442,108912897259781,"Just One Norfolk",,"10/04/2026 08:03",https://www.facebook.com/x/posts/2,Photo,,Lifetime,3019,3019\n'
    )


def youtube_negative_net_likes() -> bytes:
    return (
        b"Content,Video title,Video publish time,Duration,Hypes,Hype points,Likes,Dislikes,Views,Watch time (hours)\n"
        b"Total,,,,12,3240,130,3,5000,300.5\n"
        b'UWQNrpakgcA,Safer sleep,"Oct 16, 2025",896,0,0,-27,-8,3456,217.1\n'
        b' -i5vAKwX_bY,Room sharing,"Oct 14, 2025",1229,-1,-350,157,11,1544,83.4\n'
    )


# ============================================================================================
# The file-level catalogue
# ============================================================================================


@dataclass(frozen=True)
class Case:
    """One bad input: its bytes, the name it is saved under, and the outcome a user needs."""

    name: str
    filename: str
    build: Callable[[], bytes]
    outcome: str  # "error" | "warning" | "ok"
    pattern: str = ""  # regex on the error (error) or on one warning (warning)
    kind: str | None = None  # expected kind when the file is read
    args: tuple[str, ...] = ()
    check: Callable[[dict], None] | None = None
    no_warnings: bool = False
    reason: str = ""  # why this outcome is the one a user needs
    forbidden: tuple[str, ...] = ()  # file content that must not be quoted in the error (case-insensitive)


def _rows(n: int) -> Callable[[dict], None]:
    def check(entry: dict) -> None:
        assert entry["rows"] == n, entry

    return check


def _period(start: str, end: str) -> Callable[[dict], None]:
    def check(entry: dict) -> None:
        assert (entry["start"], entry["end"]) == (start, end), entry

    return check


CASES: list[Case] = [
    # --- not an export at all ----------------------------------------------------------------
    Case("empty_file", "Table data.csv", lambda: b"", "error", r"empty file \(0 bytes\).*download"),
    Case("whitespace_only", "Totals.csv", lambda: b"  \r\n\t\r\n   \n", "error", r"only blank lines"),
    Case("bom_only", "Totals.csv", lambda: codecs.BOM_UTF8, "error", r"empty|only blank lines"),
    Case("png_saved_as_csv", "Pages_and_screens.csv", lambda: PNG, "error", r"PNG image, not a CSV export"),
    Case(
        "gzip_not_decompressed",
        "Table data.csv.gz",
        lambda: gzip.compress(sample_bytes(YT_TABLE)),
        "error",
        r"gzip-compressed.*decompress",
    ),
    Case(
        "nul_bytes",
        "Pages.csv",
        lambda: (
            b"Page,Views\r\n/a,1\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
        ),
        "error",
        r"binary file",
    ),
    Case("html_sign_in_page", "Table data.csv", lambda: HTML_PAGE, "error", r"HTML page.*sign-in"),
    Case(
        "unknown_csv",
        "export.csv",
        lambda: b"alpha,beta\n1,2\n",
        "error",
        r"text file with no recognised header \(its first line has 2 comma-separated values\).*reach reads GA4",
        forbidden=("alpha", "beta"),
        reason="the file could be anything (a system file, personal data): its text is described, never quoted",
    ),
    Case(
        "system_file_copied_in",
        "passwd.csv",
        lambda: b"root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n",
        "error",
        r"no recognised header",
        forbidden=("root", "bash", "daemon"),
    ),
    Case(
        "huge_single_line",
        "Pages.csv",
        huge_single_line,
        "error",
        r"(longer than|too long).*(characters|MB)",
        reason="a 3 MB line is no export; the message must say what is wrong, not blame quoting",
    ),
    # --- zip archives ------------------------------------------------------------------------
    Case(
        "zip_not_youtube",
        "youtube-export.zip",
        lambda: zip_bytes({"notes.txt": b"Remember to download the Totals too\n"}),
        "error",
        r"youtube-export\.zip/notes\.txt.*no recognised header",
    ),
    Case(
        "zip_slip_dot_dot",
        "youtube-export.zip",
        lambda: zip_bytes(
            {
                "Table data.csv": sample_bytes(YT_TABLE),
                f"../../{SLIP_TOKEN}.csv": b"Date,Views\n2026-10-01,1\n",
            }
        ),
        "error",
        r"youtube-export\.zip.*value '\.\./\.\./reach-zip-slip-[0-9a-f]+\.csv'.*absolute or '\.\.' path",
    ),
    Case(
        "zip_slip_absolute",
        "youtube-export.zip",
        lambda: zip_bytes(
            {
                f"/tmp/{SLIP_TOKEN}.csv": b"Date,Views\n2026-10-01,1\n",
                "Table data.csv": sample_bytes(YT_TABLE),
            }
        ),
        "error",
        r"youtube-export\.zip.*absolute or '\.\.' path",
    ),
    Case(
        "zip_slip_windows_drive",
        "youtube-export.zip",
        lambda: zip_bytes({f"C:\\Users\\Public\\{SLIP_TOKEN}.csv": b"Date,Views\n2026-10-01,1\n"}),
        "error",
        r"youtube-export\.zip.*absolute or '\.\.' path",
    ),
    # --- truncated ---------------------------------------------------------------------------
    Case(
        "ga4_truncated_mid_row",
        PAGES.split("/")[1],
        ga4_truncated_mid_row,
        "error",
        r"line 14: this row has 4 values but the header has 13 columns; the file looks truncated",
    ),
    Case(
        "youtube_truncated_inside_quotes",
        "Table data.csv",
        youtube_truncated_in_quotes,
        "error",
        r"line 4: the CSV quoting is broken.*truncated",
    ),
    Case(
        "youtube_table_header_only",
        "Table data.csv",
        youtube_header_only,
        "error",
        r"no rows.*'Total' row.*truncated.*download",
        reason="YouTube always writes a Total row; a header alone is a cut-off download, and reading it as 'no videos' would under-count the month",
    ),
    Case("ga4_preamble_only", "Pages.csv", lambda: crlf(ga4_preamble()), "error", r"no table header follows"),
    Case(
        "ga4_daily_cut_inside_last_number",
        "Pages (1).csv",
        daily_cut_inside_last_number,
        "error",
        r"line 81, column 'Average engagement time per active user': the last value holds only the start of a number.*cut short",
        reason="issue 13: read silently as 71 of 155 rows; GA4 never writes '15.'",
    ),
    Case(
        "ga4_daily_cut_after_a_comma",
        "Pages (1).csv",
        daily_cut_after_comma,
        "error",
        r"line 81, column 'Average engagement time per active user': the last value is empty.*cut short",
    ),
    Case(
        "ga4_header_only",
        "Pages.csv",
        lambda: crlf([*pages_lines()[:10]]),
        "error",
        r"line 10: the file has a header but no rows, and a GA4 report has a row for every page.*leave the file out",
    ),
    Case(
        "meta_posts_header_only",
        META_POSTS.split("/")[1],
        meta_posts_header_only,
        "error",
        r"line 1: the file has a header but no rows.*cut short.*leave the file out",
        reason="issue 13: read as 0 posts, which changed reach without a note",
    ),
    Case(
        "meta_posts_cut_mid_header",
        META_POSTS.split("/")[1],
        meta_posts_cut_mid_header,
        "error",
        r"line 1: the file ends inside its header line.*cut short",
        reason="issue 13: read as 0 posts",
    ),
    Case(
        "meta_posts_cut_in_its_first_columns",
        META_POSTS.split("/")[1],
        meta_posts_cut_in_first_columns,
        "error",
        r"no recognised header.*only line, with no line break at its end.*cut short",
    ),
    Case(
        "meta_posts_cut_before_its_last_line_break",
        META_POSTS.split("/")[1],
        lambda: without_final_line_break(META_POSTS),
        "error",
        rf"line {lines_in(META_POSTS)}: the file ends inside this line.*Meta Business Suite ends every export with one",
    ),
    Case(
        "youtube_chart_cut_inside_last_value",
        "Chart data.csv",
        lambda: without_final_line_break(YT_CHART, drop=1),
        "error",
        rf"line {lines_in(YT_CHART)}: the file ends inside this line.*YouTube Studio ends every export with one",
    ),
    Case(
        "youtube_table_rows_far_below_its_total",
        "Table data.csv",
        youtube_table_rows_far_below_total,
        "error",
        r"line 2: the rows' Views add up to 72, only 9% of the file's own Total row \(803\).*rows are missing",
    ),
    Case(
        "youtube_totals_blank_before_tracking",
        "Totals.csv",
        youtube_totals_blank_before_tracking,
        "warning",
        r"'Stayed to watch \(%\)' is blank in 10 row\(s\) \(dated 2026-10-01 to 2026-10-10\).*missing, not as 0",
        kind="youtube_totals",
        check=_rows(31),
        reason="issue 13: blank means YouTube had no figure yet, not damage and not 0",
    ),
    Case(
        "meta_ads_rows_below_the_account_total",
        "Untitled-report-Oct-1-2026-to-Oct-31-2026_Reach.csv",
        lambda: meta_ads([",1000,1500,2026-10-01,2026-10-31", '"Safer sleep",600,900,2026-10-01,2026-10-31']),
        "error",
        r"line 2: the rows' Impressions add up to 900, only 60% of the account-total row \(1,500\)",
    ),
    Case(
        "meta_ads_rows_adding_up_to_the_account_total",
        "Untitled-report-Oct-1-2026-to-Oct-31-2026_Reach.csv",
        lambda: meta_ads(
            [
                ",1000,1500,2026-10-01,2026-10-31",
                '"Safer sleep",600,900,2026-10-01,2026-10-31',
                '"Crying",500,600,2026-10-01,2026-10-31',
            ]
        ),
        "ok",
        kind="meta_ads",
        check=_rows(2),
    ),
    Case(
        "zip_unpacking_to_a_thousand_times_its_size",
        "youtube-export.zip",
        zip_ratio_bomb,
        "error",
        r"youtube-export\.zip, value 'Chart data\.csv': the zip archive member unpacks to [\d,]+ times its packed size.*zip_max_ratio",
        reason="issue 13: a 340 KB zip holding 60 MB of CSV kept reach inspect busy for minutes",
    ),
    # --- encodings and bytes -----------------------------------------------------------------
    Case(
        "ga4_utf16_without_bom",
        "Pages.csv",
        ga4_utf16_no_bom,
        "warning",
        r"UTF-16 \(utf-16-le\) without a byte-order mark",
        kind="ga4_report",
        check=_rows(12),
    ),
    Case(
        "ga4_latin1_pound_and_accent",
        "Pages.csv",
        ga4_latin1,
        "warning",
        r"not UTF-8, so it was read as Windows-1252",
        kind="ga4_report",
        check=_rows(2),
        reason="Latin-1 and Windows-1252 agree on £ and é, so reading it is safe; the user is told the file was re-saved",
    ),
    Case(
        "ga4_utf8_bom",
        "Pages.csv",
        lambda: codecs.BOM_UTF8 + sample_bytes(PAGES),
        "ok",
        kind="ga4_report",
        check=_rows(12),
        no_warnings=True,
    ),
    Case(
        "ga4_crlf_no_final_newline",
        "Pages.csv",
        ga4_crlf_no_final_newline,
        "ok",
        kind="ga4_report",
        check=_rows(12),
        no_warnings=True,
    ),
    Case(
        "ga4_semicolon_separated",
        "Pages.csv",
        ga4_semicolons,
        "warning",
        r"separated by ';'",
        kind="ga4_report",
        check=_period("2026-10-01", "2026-10-31"),
    ),
    Case(
        "ga4_semicolons_and_decimal_commas",
        "Pages.csv",
        ga4_semicolons_decimal_commas,
        "error",
        r"line 11, column 'Views per active user', value '1,\d+': expected a number",
        reason="'1,6' is 1.6 in the locale that wrote it, but reach does not guess locales; the user re-downloads",
    ),
    Case(
        "ga4_excel_trailing_commas",
        "Pages.csv",
        ga4_excel_trailing_commas,
        "warning",
        r"extra empty columns",
        kind="ga4_report",
        check=_rows(2),
    ),
    # --- GA4 values --------------------------------------------------------------------------
    Case(
        "ga4_pages_without_views",
        "Pages.csv",
        ga4_missing_views,
        "error",
        r"Pages\.csv.*'Views' column",
        reason="web_pages is built from Views; without it every page would show as missing, silently",
    ),
    Case(
        "ga4_non_numeric_count",
        "Pages.csv",
        lambda: pages_set(12, 1, "12a"),
        "error",
        r"line 12, column 'Views', value '12a': expected a number",
    ),
    Case(
        "ga4_thousands_separator",
        "Pages.csv",
        ga4_thousands,
        "error",
        r"line 11, column 'Views', value '1,234': expected a number \(raw digits, no thousands separators",
        reason="GA4 never writes separators; '1,234' means a spreadsheet re-save, and could be 1.234 in another locale",
    ),
    Case(
        "ga4_negative_views",
        "Pages.csv",
        lambda: pages_set(13, 1, "-346"),
        "error",
        r"line 13, column 'Views', value '-346': expected 'Views' to be 0 or more",
    ),
    Case(
        "ga4_rate_above_one",
        "Pages.csv",
        ga4_rate_above_one,
        "error",
        r"line 12, column 'Engagement rate', value '61\.45\d*': expected 'Engagement rate' to be a fraction between 0 and 1",
    ),
    Case(
        "ga4_daily_date_outside_period",
        "Pages (1).csv",
        ga4_daily_outside_period,
        "error",
        r"line 11, column 'Date', value '2026-11-05': expected the date to fall inside the export's period 2026-10-01 to 2026-10-31",
    ),
    Case(
        "ga4_daily_duplicate_date_and_page",
        "Pages (1).csv",
        ga4_daily_duplicate,
        "error",
        r"line 12, column 'Date'.*expected each \(Date, Page path and screen class\) to appear once.*also on line \d+",
        reason="GA4 never repeats a key; two different values for one day and page cannot both be right",
    ),
    Case(
        "ga4_daily_row_pasted_twice",
        "Pages (1).csv",
        ga4_daily_exact_duplicate,
        "error",
        r"line 12, column 'Date'.*to appear once.*also on line 166",
        reason="dropping it silently would hide that the file was edited; the user re-downloads",
    ),
    Case(
        "ga4_universal_analytics",
        "Analytics All Web Site Data Landing Pages 20150416-20150416.csv",
        lambda: UA_EXPORT,
        "error",
        r"Universal Analytics.*export the same report from GA4",
    ),
    Case(
        "ga4_explorations_bom_comments_blank_totals",
        "Free form 1.csv",
        ga4_explorations,
        "warning",
        r"'Totals' row \(line 10\) was dropped",
        kind="ga4_report",
        check=_rows(3),
    ),
    Case(
        "ga4_other_row",
        "Pages.csv",
        ga4_other_row,
        "warning",
        r"'\(other\)' row \(line 23\)",
        kind="ga4_report",
        check=_rows(13),
    ),
    # --- YouTube -----------------------------------------------------------------------------
    Case(
        "youtube_thumbnail_impressions",
        "Table data.csv",
        youtube_thumbnail_naming,
        "ok",
        kind="youtube_table",
        check=_rows(4),
        no_warnings=True,
    ),
    Case(
        "youtube_name_error_id",
        "Table data.csv",
        youtube_name_error,
        "warning",
        r"1 row\(s\) have '#NAME\?' instead of a video id \(first on line 4\)",
        kind="youtube_table",
    ),
    Case(
        "youtube_missing_total_row",
        "Table data.csv",
        youtube_no_total,
        "warning",
        r"no 'Total' row.*re-saved by Excel",
        kind="youtube_table",
        check=_rows(4),
    ),
    Case(
        "youtube_publish_dates_3_jun_26",
        "Table data.csv",
        youtube_dmony,
        "warning",
        r"'Video publish time' has dates written like '4-Mar-24'.*re-saved by Excel",
        kind="youtube_table",
    ),
    Case(
        "youtube_totals_dd_mm_yyyy",
        "Totals.csv",
        youtube_totals_dmy,
        "warning",
        r"'Date' has dates written like '01-10-2026' \(DD-MM-YYYY\).*read DMY",
        kind="youtube_totals",
        check=_period("2026-10-01", "2026-10-31"),
    ),
    # --- Meta --------------------------------------------------------------------------------
    Case(
        "meta_post_id_scientific",
        META_POSTS.split("/")[1],
        meta_scientific_id,
        "warning",
        r"2 Post ID\(s\) are in scientific notation like '6\.00867E\+16' \(first on line 2\)",
        kind="meta_posts",
    ),
    Case(
        "meta_daily_utf16_sep_line",
        "Facebook follows.csv",
        meta_daily_utf16,
        "ok",
        kind="meta_daily",
        check=_period("2026-10-01", "2026-10-31"),
        no_warnings=True,
    ),
    Case(
        "meta_daily_sparse_days",
        "Facebook follows.csv",
        lambda: meta_daily_utf16(range(1, 32, 2)),
        "warning",
        r"15 day\(s\) .* were missing .*filled with 0",
        kind="meta_daily",
    ),
    Case(
        "meta_swedish_headers",
        "Oct-01-2026_Oct-31-2026_1.csv",
        lambda: META_SWEDISH,
        "error",
        r"another language \(its first columns are ids but no header reads 'Post ID'\); switch Business Suite to English",
        forbidden=("Publicerings", "Sov säkert"),
    ),
    # --- forms and feedback ------------------------------------------------------------------
    Case(
        "forms_google_ambiguous_dates_with_date_order",
        "Safer sleep (Responses) - Form responses 1.csv",
        lambda: google_forms(AMBIGUOUS_STAMPS),
        "ok",
        kind="forms_google",
        args=("--date-order", "DMY"),
        check=_period("2026-10-01", "2026-10-12"),
    ),
    Case(
        "forms_google_mixed_day_month_order",
        "Safer sleep (Responses) - Form responses 1.csv",
        lambda: google_forms(["13/10/2026 09:00:00", "10/14/2026 10:00:00"]),
        "error",
        r"line 3, column 'Timestamp'.*mix day-first and month-first",
    ),
    Case(
        "forms_microsoft_columns_out_of_order",
        "Safer sleep feedback(1-60).csv",
        ms_forms_reordered,
        "ok",
        kind="forms_microsoft",
        check=_rows(60),
        no_warnings=True,
    ),
    Case(
        "forms_microsoft_xlsx",
        "Safer sleep feedback(1-2).xlsx",
        ms_forms_xlsx,
        "ok",
        kind="forms_microsoft",
        check=_period("2026-10-03", "2026-10-14"),
        no_warnings=True,
    ),
    Case(
        "xlsx_not_a_form",
        "budget.xlsx",
        xlsx_not_a_form,
        "error",
        r"an Excel workbook \(\.xlsx\) whose first sheet has no Microsoft Forms header.*not a Microsoft Forms",
        forbidden=("Region", "Sales", "Quarter", "East"),
    ),
    Case(
        "xlsx_corrupt", "Safer sleep feedback.xlsx", xlsx_corrupt, "error", r"Excel workbook cannot be opened"
    ),
    Case(
        "page_feedback_very_long_comment",
        "page-feedback-2026-10.csv",
        lambda: page_feedback_with_comment("zz " * 40_000),
        "ok",
        kind="feedback_page",
        check=_rows(5),
    ),
    Case(
        "page_feedback_not_yes_or_no",
        "page-feedback-2026-10.csv",
        page_feedback_bad_helpful,
        "error",
        r"line 3, column 'Was this page helpful\?', value 'Maybe': expected Yes or No",
    ),
    Case(
        "feedex_embedded_newline",
        "feedex_2026-10-01_2026-10-31_baby-sleep.csv",
        lambda: FEEDEX,
        "ok",
        kind="feedback_feedex",
        check=_rows(2),
    ),
    # --- partner indicators ------------------------------------------------------------------
    Case(
        "partner_malformed_area_code",
        "outcome_indicators_2026-10.csv",
        lambda: partners_with_code("E0700014"),
        "error",
        r"line 4, column 'area_code', value 'E0700014': expected a GSS area code",
    ),
    Case(
        "partner_unknown_area_code",
        "outcome_indicators_2026-10.csv",
        lambda: partners_with_code("E07000999"),
        "error",
        r"line 4, column 'area_code', value 'E07000999': expected .*Norfolk",
        reason="a well-formed code that is no Norfolk area is a typo; it would become an extra 'district' with no births",
    ),
    # --- shapes from other accounts' real exports ------------------------------------------------
    Case(
        "xlsx_holding_ga4_report",
        "Pages_and_screens_Page_path_and_screen_class.xlsx",
        ga4_pages_resaved_as_xlsx,
        "error",
        r"Excel workbook \(\.xlsx\) holding a GA4 report CSV.*download it again as CSV",
        reason="saying only 'not a Microsoft Forms workbook' leaves the user guessing what to do",
    ),
    Case(
        "search_console_export",
        "Chart.csv",
        search_console_chart,
        "error",
        r"Google Search Console performance export.*reach does not read",
    ),
    Case(
        "ms_forms_header_row_deleted",
        "Safer sleep feedback.csv",
        ms_forms_header_row_deleted,
        "error",
        r"Microsoft Forms responses without their header row.*download the responses again",
    ),
    Case(
        "youtube_table_by_traffic_source",
        "Table data.csv",
        youtube_by_traffic_source,
        "error",
        r"YouTube Studio Table data export grouped by 'Traffic source'.*Content or Date tab",
    ),
    Case(
        "meta_audience_export",
        "Audience.csv",
        meta_audience,
        "error",
        r"line 3: .*looks like the Audience export.*does not read",
    ),
    Case(
        "google_forms_script_timestamps",
        "Safer sleep (Responses) - Form responses 1.csv",
        google_forms_script_timestamps,
        "error",
        r"line 2, column 'Timestamp', value 'Sat Oct 03 2026 .*expected a date.*read as a Google Forms responses sheet",
        reason="the message must say what the file was taken for, not only which cell failed",
    ),
    Case(
        "meta_ads_excel_dates",
        "Untitled-report-Oct-1-2026-to-Oct-31-2026_Reach.csv",
        meta_ads_uk_excel_dates,
        "error",
        r"column 'Reporting starts', value '01/10/2026': .*how a spreadsheet writes dates.*Meta Ads Manager",
        reason="01/10/2026 is 1 October or 10 January; reach does not guess which and says why",
    ),
    Case(
        "ga4_notes_typed_under_the_table",
        "data-export.csv",
        ga4_notes_under_table,
        "warning",
        r"Lines 17 to 19 .*not part of the GA4 export.*ignored",
        kind="ga4_report",
        check=_rows(3),
        reason="a stray block used to turn the file into a 'snapshot' that the pipeline ignores",
    ),
    Case(
        "ga4_snapshot_retention_rows_stop_early",
        "Reports_snapshot.csv",
        ga4_snapshot_retention,
        "warning",
        r"stop before the last week column",
        kind="ga4_snapshot",
        check=_rows(1),
        reason="GA4 writes only the weeks a cohort has reached; refusing the file lost the whole snapshot",
    ),
    Case(
        "meta_posts_row_without_post",
        "Oct-01-2026_Oct-31-2026_108912897259781.csv",
        meta_posts_with_error_row,
        "warning",
        r"no Post ID and no publish time.*line 3.*error occurred while computing metadata.*dropped",
        kind="meta_posts",
        check=_rows(2),
    ),
    Case(
        "youtube_negative_net_likes",
        "Table data.csv",
        youtube_negative_net_likes,
        "ok",
        kind="youtube_table",
        check=_rows(2),
        no_warnings=True,
        reason="YouTube reports likes, dislikes and hypes as net changes, which can be negative",
    ),
]

assert len({c.name for c in CASES}) == len(CASES)

XFAIL: dict[str, str] = {}


def _params() -> list:
    return [
        pytest.param(
            c,
            id=c.name,
            marks=[pytest.mark.xfail(strict=True, reason=XFAIL[c.name])] if c.name in XFAIL else [],
        )
        for c in CASES
    ]


@dataclass
class Inspected:
    path: Path
    result: subprocess.CompletedProcess  # the `reach inspect --json` call that read this file
    entries: list[dict] | None = field(default=None)  # this file's entries (a zip may give several)


@pytest.fixture(scope="module")
def inspected(tmp_path_factory) -> dict[str, Inspected]:
    """Write every case to its own folder and read them with the real `reach inspect --json`.

    Each command line start imports pandas and pandera (about a second), so the files are read
    in three calls rather than sixty: the files that must fail, the files that must be read, and
    the one that needs ``--date-order``. The exit status is 1 exactly when some file failed, so a
    group that must be read exiting 0 proves every file in it was read; each file still gets its
    own entry, error message and warnings in the JSON.
    """
    root = tmp_path_factory.mktemp("bad-inputs")
    groups: dict[tuple[tuple[str, ...], bool], list[tuple[str, Path]]] = {}
    for case in CASES:
        folder = root / case.name / "deep" / "er"  # room for '../..' to land inside root if it escaped
        folder.mkdir(parents=True)
        path = folder / case.filename
        path.write_bytes(case.build())
        groups.setdefault((case.args, case.outcome == "error"), []).append((case.name, path))

    def inspect(group: tuple[tuple[str, ...], list[tuple[str, Path]]]) -> dict[str, Inspected]:
        args, members = group
        result = run_cli("inspect", "--json", *args, *(str(path) for _, path in members), timeout=300)
        try:
            entries = json.loads(result.stdout)
        except json.JSONDecodeError:
            entries = None
        out = {}
        for name, path in members:
            mine = None
            if isinstance(entries, list):
                mine = [e for e in entries if e["path"] == str(path) or e["path"].startswith(f"{path}/")]
            out[name] = Inspected(path, result, mine)
        return out

    results: dict[str, Inspected] = {}
    before = _hash_tree(root)
    with concurrent.futures.ThreadPoolExecutor(max_workers=3) as pool:
        for part in pool.map(inspect, [(args, members) for (args, _), members in groups.items()]):
            results.update(part)
    results["_root"] = root  # type: ignore[assignment]
    results["_before"], results["_after"] = before, _hash_tree(root)  # type: ignore[assignment]
    return results


def test_catalogue_is_big_enough():
    assert len(CASES) >= 35
    assert {c.outcome for c in CASES} == {"error", "warning", "ok"}


SAFETY_NET = ("could not parse the file (", "could not read the file (", "unexpected error")


@pytest.mark.parametrize("case", _params())
def test_bad_input(case: Case, inspected):
    got = inspected[case.name]
    result = got.result
    # Never a crash: no traceback, no "unexpected error", valid JSON naming the file.
    assert "Traceback" not in result.stderr, result.stderr
    assert "unexpected error" not in result.stderr, result.stderr
    assert got.entries, f"no JSON entry for {got.path}:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
    errors = [e["error"] for e in got.entries if e.get("error")]
    if case.outcome == "error":
        assert result.returncode == 1, (result.returncode, result.stderr)
        assert len(got.entries) == 1 and errors, f"expected one error, got {got.entries}"
        message = errors[0]
        assert "\n" not in message, message
        assert str(got.path) in message, f"the error must name the file: {message}"
        assert not any(s in message for s in SAFETY_NET), f"a crash caught by the safety net: {message}"
        assert re.search(case.pattern, message), f"{case.pattern!r} not in {message!r}"
        body = message.replace(str(got.path), "")  # the path may hold any word
        quoted = [text for text in case.forbidden if text.lower() in body.lower()]
        assert not quoted, f"the error quotes the file's content {quoted}: {message}"
        return
    assert result.returncode == 0, (result.returncode, result.stdout[-3000:], result.stderr)
    assert not errors, errors
    entry = got.entries[0]
    if case.kind:
        assert entry["kind"] == case.kind, entry
    warnings = entry["warnings"]
    if case.outcome == "warning":
        assert any(re.search(case.pattern, w) for w in warnings), f"{case.pattern!r} not in {warnings}"
    if case.no_warnings:
        assert warnings == [], warnings
    if case.check:
        case.check(entry)


def test_one_file_per_call_gives_its_own_exit_status(tmp_path):
    """The grouping above relies on this: `reach inspect --json FILE` exits 0 for a good file, 1 for a bad one."""
    good, bad = tmp_path / "Totals.csv", tmp_path / "empty.csv"
    good.write_bytes(sample_bytes(YT_TOTALS))
    bad.write_bytes(b"")
    for path, status in ((good, 0), (bad, 1)):
        result = run_cli("inspect", "--json", str(path), timeout=120)
        assert result.returncode == status, result.stderr
        assert "Traceback" not in result.stderr
        [entry] = json.loads(result.stdout)
        assert bool(entry.get("error")) == bool(status), entry


def test_zip_slip_extracts_nothing_anywhere(inspected):
    """The zip-slip archives were refused; no member was written next to them, above them or in /tmp."""
    root: Path = inspected["_root"]  # type: ignore[assignment]
    candidates = [
        Path("/tmp") / f"{SLIP_TOKEN}.csv",
        REPO_ROOT.parent / f"{SLIP_TOKEN}.csv",
        REPO_ROOT / f"{SLIP_TOKEN}.csv",
    ]
    for name in ("zip_slip_dot_dot", "zip_slip_absolute", "zip_slip_windows_drive"):
        path = inspected[name].path
        candidates += [path.parent / f"{SLIP_TOKEN}.csv", path.parent.parent.parent / f"{SLIP_TOKEN}.csv"]
    assert not [p for p in candidates if p.exists()]
    assert not [p for p in root.rglob(f"*{SLIP_TOKEN}*")]


def test_inspect_never_writes(inspected):
    """`reach inspect` only reads: every case file is byte-identical afterwards and nothing was added."""
    assert inspected["_after"] == inspected["_before"]  # type: ignore[comparison-overlap]


REAL = Path(__file__).resolve().parents[3] / "shared" / "real-exports"
LIGA = "ga4__liga-nt__Pages_and_screens_Page_path_and_screen_class.csv"
YT_REAL = "yt__priyankapatel05__{}.csv"
META_ADS_REAL = "meta__Anas3rdshade__Untitled-report-Feb-1-2025-to-Aug-4-2025_Reach.csv"


def first_lines(data: bytes, n: int) -> bytes:
    """The first ``n`` lines of an LF file, each with its line break (a cut exactly at a line end)."""
    return b"".join(data.splitlines(keepends=True)[:n])


@pytest.mark.needs_shared
@pytest.mark.skipif(
    not REAL.is_dir(), reason="../shared/real-exports not present (only on the developers' machines)"
)
@pytest.mark.parametrize(
    ("name", "damage", "pattern"),
    [
        # 9 preamble lines, the header on line 10, 56 rows: the last on line 66, ending ',0' (Total revenue).
        (
            LIGA,
            lambda d: d[: d.rindex(b",") + 1],
            r"line 66, column 'Total revenue': the last value is empty",
        ),
        # Header and 365 days: the last on line 366; the copy ends with CRLF.
        (YT_REAL.format("Totals"), lambda d: d.rstrip(b"\r\n"), r"line 366: the file ends inside this line"),
        # Header and 1,825 rows: the last on line 1826, ending ',54,0'.
        (YT_REAL.format("Chart data"), lambda d: d[:-3], r"line 1826: the file ends inside this line"),
        # Header, the Total row (181,588 views) and only the first video (UWQNrpakgcA, 30,331 views).
        (
            YT_REAL.format("Table data"),
            lambda d: first_lines(d, 3),
            r"line 2: the rows' Views add up to 30,331, only 17% of the file's own Total row \(181,588\)",
        ),
        # Header, the account total (878,306 impressions) and the first campaign (121,575).
        (
            META_ADS_REAL,
            lambda d: first_lines(d, 3),
            r"line 2: the rows' Impressions add up to 121,575, only 14% of the account-total row \(878,306\)",
        ),
        (
            META_ADS_REAL,
            lambda d: d.rstrip(b"\n"),
            r"line 17: the file ends inside this line.*Meta Ads Manager",
        ),
    ],
    ids=["ga4-pages", "yt-totals", "yt-chart", "yt-table", "meta-ads-rows", "meta-ads-end"],
)
def test_real_exports_cut_short_are_refused(tmp_path, name, damage, pattern):
    """Real downloads cut short in ways each file shows are refused with the line, never read as less."""
    path = tmp_path / name  # the real name: the Meta Ads period is read from it
    path.write_bytes(damage((REAL / name).read_bytes()))
    with pytest.raises(InputValidationError) as err:
        read_exports(path)
    message = str(err.value)
    assert message.startswith(f"{path}, ") and "\n" not in message
    assert re.search(pattern, message), message


def test_links_in_a_month_folder_are_refused_by_name_and_never_followed(tmp_path):
    """Issue 13: a link out of the month folder was followed; one to a system file was refused quoting it.

    Every link (to an export, to a private file, to a folder, to nothing) is named with its own
    error; none is read, so the private file's text and the linked folder's export appear nowhere.
    """
    outside = tmp_path / "outside"
    (outside / "folder").mkdir(parents=True)
    (outside / "Totals.csv").write_bytes(sample_bytes(YT_TOTALS))
    (outside / "folder" / "Totals.csv").write_bytes(sample_bytes(YT_TOTALS))
    secret = "token=do-not-print-7f3a"
    (outside / "private.csv").write_text(f"{secret}\nmore private text\n")
    month = tmp_path / "raw" / MONTH
    month.mkdir(parents=True)
    (month / "Totals.csv").symlink_to(outside / "Totals.csv")
    (month / "passwd.csv").symlink_to(outside / "private.csv")
    (month / "youtube").symlink_to(outside / "folder", target_is_directory=True)
    (month / "gone.csv").symlink_to(tmp_path / "nowhere.csv")
    result = run_cli("inspect", "--json", str(month), timeout=120)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    entries = json.loads(result.stdout)
    names = ("Totals.csv", "passwd.csv", "youtube", "gone.csv")
    assert sorted(e["path"] for e in entries) == sorted(str(month / name) for name in names)
    for entry in entries:
        assert entry["kind"] is None and entry["rows"] is None, entry
        assert entry["error"].startswith(
            f"{entry['path']}: this is a symbolic link, which reach never follows"
        )
        assert "\n" not in entry["error"]
    assert secret not in result.stdout + result.stderr


# ============================================================================================
# Pipeline-level cases: a few real `reach run`s on changed copies of the sample month
# ============================================================================================

FORMULAS = [
    '=HYPERLINK("http://x","y")',
    "+44 dialling code did not work when I rang from abroad",
    "@SUM(1,2)",
    "-2+3 stars from me",
]
HTML_SNIPPETS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>"]
PII = {
    "email": ("Please email me at jo.bloggs@example.com about the leaflet", ["jo.bloggs@example.com"]),
    "mobile": ("Text me on 07700 900123 if there is a group", ["07700 900123"]),
    "mobile_intl": ("Or ring +44 7700 900456 in the evening", ["7700 900456"]),
    "landline": ("Our surgery number is 01632 960123", ["01632 960123"]),
    "postcode": ("We live near NR1 3QX and there is no health visitor", ["NR1 3QX"]),
    "nhs_number": ("My baby's NHS number is 943 476 5919", ["943 476 5919"]),
    "my_name_is": ("Hello my name is Harriet Quill and I am a midwife", ["Harriet Quill", "Quill"]),
    "sign_off": (
        "Really useful leaflet. Kind regards, Wilfred Pennington",
        ["Wilfred Pennington", "Pennington"],
    ),
}
PAGE_HTML_PATH = "/search/<script>alert(1)</script>"
# utm_campaign is whatever a visitor's link says, so anyone can put a formula into GA4's campaign names.
CAMPAIGN_FORMULA = '=HYPERLINK("http://evil.example","Click for safer sleep")'
ACQUISITION = "ga4/Traffic_acquisition_Session_primary_channel_group_(Default_Channel_Group).csv"
VIDEO_HTML_TITLE = "ICON <img src=x onerror=alert(1)> crying"
RESTATED_VIEWS = {"/baby-sleep/safer-sleep/": 701, "/": 561, "/feeding/": 333}


def restated_pages() -> bytes:
    """A later download of the same month's Pages report: GA4 revised some views."""
    lines = pages_lines()
    for i in range(10, len(lines)):
        page, views, rest = lines[i].split(",", 2)
        if page in RESTATED_VIEWS:
            lines[i] = f"{page},{RESTATED_VIEWS[page]},{rest}"
    lines.append(f"{PAGE_HTML_PATH},250,9,1.1,3.2,20,0,0,0.5,0.5,9,9,10.1")
    return crlf(lines)


def partial_daily_export() -> bytes:
    """An earlier download of the daily file that stops on 30 October, with different values."""
    lines = daily_lines()
    lines[8] = "# End date: 20261030"
    out = lines[:10]
    for line in lines[10:]:
        date, page, views, rest = line.split(",", 3)
        if date <= "20261030":
            out.append(f"{date},{page},{int(views) * 3 + 1},{rest}")
    return crlf(out)


def damaged_youtube_table() -> bytes:
    """Table data.csv after an Excel round trip: Total row gone, #NAME? id, 3-Jun-26 dates (+ HTML in a title)."""
    rows = youtube_rows()
    rows = [rows[0], *rows[2:]]
    for row in rows[1:]:
        d = dt.datetime.strptime(row[2], "%b %d, %Y")
        row[2] = f"{d.day}-{d:%b}-{d:%y}"
        if row[0] == "Vn3hQ8d_JxU":
            row[1] = VIDEO_HTML_TITLE
    assert rows[2][0] == " -Tb9wKcZ4sE"
    rows[2][0] = "#NAME?"
    return csv_bytes(rows)


def acquisition_with_formula_campaign() -> bytes:
    lines = sample_lines(ACQUISITION)
    row = ["evil.example / referral", CAMPAIGN_FORMULA, "300", "10", "0.03", "2.5", "1.2", "360", "0", "0"]
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="").writerow(row)
    return crlf([*lines[:10], out.getvalue(), *lines[10:]])


def page_feedback_with_free_text(comments: list[str]) -> bytes:
    rows = csv_rows(PAGE_FEEDBACK)
    for n, text in enumerate(comments):
        rows.append(
            [
                f"2026-10-30 {8 + n // 60:02d}:{n % 60:02d}:00",
                "https://www.justonenorfolk.nhs.uk/baby-sleep/safer-sleep/",
                "No",
                text,
            ]
        )
    return csv_bytes(rows, crlf_endings=False)


FREE_TEXT = FORMULAS + HTML_SNIPPETS + [text for text, _ in PII.values()]


def _copy_raw(dest: Path, history: bool) -> Path:
    """Copy the sample's raw tree: every month folder, or only the sample month (reading is most of a run)."""
    if history:
        shutil.copytree(SAMPLE / "raw", dest)
    else:
        shutil.copytree(MONTH_DIR, dest / MONTH)
    return dest


def _damaged_tree(raw: Path) -> None:
    month = raw / MONTH
    (month / "ga4" / "Pages_and_screens_Page_path_and_screen_class (2).csv").write_bytes(restated_pages())
    (month / "ga4" / "Pages_daily_downloaded_30_Oct.csv").write_bytes(partial_daily_export())
    (month / MS_FORMS).write_bytes(csv_bytes(ms_forms_reordered_rows(FREE_TEXT), bom=True))
    (month / PAGE_FEEDBACK).write_bytes(page_feedback_with_free_text(FREE_TEXT))
    (month / YT_TABLE).write_bytes(damaged_youtube_table())
    (month / YT_TOTALS).write_bytes(youtube_totals_dmy())
    (month / META_POSTS).write_bytes(meta_scientific_id())
    (month / "meta" / "Facebook follows.csv").write_bytes(meta_daily_utf16())
    (month / ACQUISITION).write_bytes(acquisition_with_formula_campaign())


def _double_tree(raw: Path) -> None:
    month = raw / MONTH
    for path in sorted(p for p in month.rglob("*") if p.is_file()):
        rel = path.relative_to(month)
        copy = month / "downloaded again" / rel.parent / f"{rel.stem} - Copy{rel.suffix}"
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, copy)


def _zip_slip_tree(raw: Path) -> None:
    archive = zip_bytes(
        {"Table data.csv": sample_bytes(YT_TABLE), f"../../../../{SLIP_TOKEN}-run.csv": b"Date,Views\n"}
    )
    (raw / MONTH / "youtube" / "youtube-export.zip").write_bytes(archive)


def _ambiguous_forms_tree(raw: Path) -> None:
    (raw / MONTH / "feedback" / "Safer sleep (Responses) - Form responses 1.csv").write_bytes(
        google_forms(AMBIGUOUS_STAMPS)
    )


# name -> (change to the copied raw tree, copy every month folder?). The damaged month is run with
# its 23 months of history, as a user would; the others need only the month itself.
SCENARIOS: dict[str, tuple[Callable[[Path], None], bool]] = {
    "damaged": (_damaged_tree, True),
    "once": (lambda raw: None, False),  # the month as downloaded: baseline for "double" (tables only)
    "double": (_double_tree, False),
    "zip_slip": (_zip_slip_tree, False),
    "ambiguous_forms": (_ambiguous_forms_tree, False),
}


def _hash_tree(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@dataclass
class Run:
    raw: Path
    reports: Path
    processed: Path
    result: subprocess.CompletedProcess

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        return load_processed(self.processed / MONTH)


@dataclass
class Runs:
    runs: dict[str, Run]
    before: dict[str, dict[str, str]]
    after: dict[str, dict[str, str]]


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> Runs:
    """Build each scenario's raw tree, hash every file, run `reach run` on all of them, hash again."""
    base = tmp_path_factory.mktemp("bad-input-runs")
    config = yaml.safe_load((REPO_ROOT / "config" / "reach.yaml").read_text(encoding="utf-8"))
    config["forms_date_order"] = None
    no_order = base / "reach-no-date-order.yaml"
    no_order.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    trees: dict[str, tuple[Path, list[str]]] = {}
    for name, (mutate, history) in SCENARIOS.items():
        raw = _copy_raw(base / name / "raw", history)
        mutate(raw)
        extra = ["--config", str(no_order)] if name == "ambiguous_forms" else []
        trees[name] = (raw, extra)
    trees_and_sample = {**{n: t[0] for n, t in trees.items()}, "bundled sample": SAMPLE / "raw"}
    before = {n: _hash_tree(r) for n, r in trees_and_sample.items()}

    # The baseline needs only its processed tables: build them in-process (no kernel, no report).
    once = trees["once"][0]
    build(
        MONTH,
        once,
        once.parent / "processed",
        SAMPLE / "reference",
        load_config(REPO_ROOT / "config" / "reach.yaml"),
    )
    done = {
        "once": Run(
            once,
            once.parent / "reports",
            once.parent / "processed",
            subprocess.CompletedProcess([], 0, "", ""),
        )
    }

    def go(name: str) -> tuple[str, Run]:
        raw, extra = trees[name]
        reports, processed = raw.parent / "reports", raw.parent / "processed"
        result = run_cli(
            "run",
            "--month",
            MONTH,
            "--raw",
            str(raw),
            "--reference",
            str(SAMPLE / "reference"),
            "--reports",
            str(reports),
            "--processed",
            str(processed),
            *extra,
            timeout=300,
        )
        return name, Run(raw, reports, processed, result)

    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        done.update(pool.map(go, [name for name in trees if name != "once"]))
    after = {n: _hash_tree(r) for n, r in trees_and_sample.items()}
    return Runs(done, before, after)


def _ok(run: Run) -> Run:
    assert run.result.returncode == 0, run.result.stderr[-3000:]
    assert "Traceback" not in run.result.stderr
    return run


def _one_line_error(run: Run) -> str:
    assert run.result.returncode == 1, (run.result.returncode, run.result.stderr[-3000:])
    assert "Traceback" not in run.result.stderr, run.result.stderr
    errors = [
        line
        for line in run.result.stderr.splitlines()
        if line.startswith(("reach: error:", "reach: unexpected"))
    ]
    assert len(errors) == 1, run.result.stderr
    return errors[0]


def _month_rows(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["month"].astype("str") == MONTH]


def _text_files(folder: Path) -> dict[Path, str]:
    return {p: p.read_bytes().decode("utf-8", errors="replace") for p in folder.rglob("*") if p.is_file()}


def _all_strings(tables: dict[str, pd.DataFrame]) -> dict[str, list[str]]:
    out = {}
    for name, frame in tables.items():
        cells = []
        for column in frame.columns:
            cells += [str(v) for v in frame[column].tolist() if isinstance(v, str)]
        cells += [str(c) for c in frame.columns]
        out[name] = cells
    return out


def _spellings(text: str) -> set[str]:
    """How a string can appear in HTML, JSON, or HTML inside JSON (an executed notebook)."""
    forms = {text, html.escape(text), html.escape(text, quote=False)}
    forms |= {json.dumps(f, ensure_ascii=False)[1:-1] for f in list(forms)}
    forms |= {json.dumps(f)[1:-1] for f in list(forms)}
    return forms


class TestRestatementsAndOverlaps:
    def test_run_succeeds_on_a_damaged_month(self, runs):
        _ok(runs.runs["damaged"])

    def test_overlapping_pages_exports_give_one_row_per_page(self, runs):
        pages = _month_rows(_ok(runs.runs["damaged"]).tables["web_pages"])
        assert (
            len(pages) == len(pages_lines()) - 10 + 1
        )  # every page once, plus the new page in the later file
        assert not pages.duplicated("page_path").any()

    def test_later_download_of_the_same_month_wins_once(self, runs):
        """Two Pages files for October: the browser's ' (2)' copy is the later download, so its values win."""
        pages = _month_rows(_ok(runs.runs["damaged"]).tables["web_pages"])
        got = pages.set_index("page_path")["views"]
        for page, views in RESTATED_VIEWS.items():
            assert got[page] == views, (page, got[page], views)

    def test_later_ending_daily_export_wins_once(self, runs):
        daily = _month_rows(_ok(runs.runs["damaged"]).tables["web_daily"])
        assert not daily.duplicated(["date", "page_path"]).any()
        expected = {}
        for line in daily_lines()[10:]:
            date, page, views, _ = line.split(",", 3)
            expected[(pd.Timestamp(dt.datetime.strptime(date, "%Y%m%d")), page)] = int(views)
        got = {
            (pd.Timestamp(d), p): int(v)
            for d, p, v in zip(daily["date"], daily["page_path"], daily["views"], strict=True)
        }
        assert got == expected

    def test_restated_values_are_recorded(self, runs):
        restated = _ok(runs.runs["damaged"]).tables["restatements"]
        views = restated[(restated["table"] == "web_daily") & (restated["column"] == "views")]
        assert len(views) == sum(1 for line in daily_lines()[10:] if line[:8] <= "20261030")


class TestDoubleImport:
    def test_same_exports_twice_give_the_same_tables_as_once(self, runs):
        once = _ok(runs.runs["once"]).tables
        twice = _ok(runs.runs["double"]).tables
        # one row per file read (twice the files, twice the rows); readiness names the files it used
        skip = {"inputs", "notes", "file_use", "readiness"}
        assert set(once) == set(twice)
        for name in sorted(set(once) - skip):
            a = once[name].drop(columns=["source_file", "earlier_file", "later_file"], errors="ignore")
            b = twice[name].drop(columns=["source_file", "earlier_file", "later_file"], errors="ignore")
            pd.testing.assert_frame_equal(
                a.reset_index(drop=True), b.reset_index(drop=True), check_dtype=True, obj=name
            )

    def test_every_copy_was_read(self, runs):
        inputs = _ok(runs.runs["double"]).tables["inputs"]
        copies = inputs[inputs["path"].str.contains("downloaded again", regex=False)]
        assert len(copies) == sum(1 for p in (MONTH_DIR).rglob("*") if p.is_file())


class TestExcelDamageInsideAMonth:
    def test_damaged_video_id_is_quarantined_not_matched(self, runs):
        run = _ok(runs.runs["damaged"])
        quarantine = run.tables["quarantine"]
        rows = quarantine[quarantine["source_file"] == f"{MONTH}/{YT_TABLE}"]
        assert rows["line"].tolist() == [3] and rows["table"].tolist() == ["video"]
        video = _month_rows(run.tables["video"])
        assert "#NAME?" not in set(video["video_id"])
        assert set(video["video_id"]) == {"q7Xr2LmPz0k", "Vn3hQ8d_JxU", "kP0sYw5RrLg"}

    def test_excel_publish_dates_are_read_as_days(self, runs):
        video = _month_rows(_ok(runs.runs["damaged"]).tables["video"]).set_index("video_id")
        assert pd.Timestamp(video.loc["q7Xr2LmPz0k", "published"]) == pd.Timestamp("2024-03-04")
        assert pd.Timestamp(video.loc["kP0sYw5RrLg", "published"]) == pd.Timestamp("2026-06-15")

    def test_dd_mm_yyyy_totals_are_read_day_first(self, runs):
        daily = _month_rows(_ok(runs.runs["damaged"]).tables["channel_daily"]).set_index("date")
        assert len(daily) == 31
        totals = {row[0]: row[1] for row in csv_rows(YT_TOTALS)[1:]}  # the file before it was damaged
        assert int(daily.loc[pd.Timestamp("2026-10-13"), "views"]) == int(totals["2026-10-13"])

    def test_scientific_post_ids_are_quarantined(self, runs):
        run = _ok(runs.runs["damaged"])
        quarantine = run.tables["quarantine"]
        rows = quarantine[quarantine["table"] == "social_posts"]
        assert sorted(rows["line"].tolist()) == [2, 3]
        posts = _month_rows(run.tables["social_posts"])
        assert not posts["post_id"].str.contains("E+", regex=False).any()
        third = csv_rows(META_POSTS)[3][0]  # the first post whose id the damage left alone
        assert third in set(posts["post_id"])

    def test_warnings_are_kept_with_the_inputs(self, runs):
        inputs = _ok(runs.runs["damaged"]).tables["inputs"].set_index("path")
        assert "no 'Total' row" in inputs.loc[f"{MONTH}/{YT_TABLE}", "warnings"]
        assert "DD-MM-YYYY" in inputs.loc[f"{MONTH}/{YT_TOTALS}", "warnings"]
        assert "scientific notation" in inputs.loc[f"{MONTH}/{META_POSTS}", "warnings"]
        assert inputs.loc[f"{MONTH}/meta/Facebook follows.csv", "kind"] == "meta_daily"

    def test_forms_columns_out_of_order_are_matched_by_header(self, runs):
        fields = [
            "completed_at",
            "respondent_type",
            "district",
            "where_seen",
            "helpful",
            "key_messages",
            "intends_change",
        ]
        once = _month_rows(_ok(runs.runs["once"]).tables["feedback"])[fields]
        got = _month_rows(_ok(runs.runs["damaged"]).tables["feedback"])[fields]
        assert len(got) == len(once) + len(FREE_TEXT)
        merged = once.merge(got, how="left", on=fields, indicator=True)
        assert (merged["_merge"] == "both").all()
        assert set(got["district"].dropna()) <= {
            "Breckland",
            "Broadland",
            "Great Yarmouth",
            "King's Lynn and West Norfolk",
            "North Norfolk",
            "Norwich",
            "South Norfolk",
            "Outside Norfolk",
            "Prefer not to say",
        }


APOSTROPHES = ("'", "&#x27;", "&#39;", "&apos;", "\\u0027")


def _csv_cells(folder: Path) -> list[str]:
    """Every cell of every CSV file reach wrote into a report folder (the files a spreadsheet opens)."""
    cells = []
    for path in sorted(folder.rglob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            cells += [cell for row in csv.reader(handle) for cell in row]
    return cells


class TestFreeText:
    @pytest.mark.parametrize("table", ["feedback", "page_feedback"])
    def test_formulas_are_kept_exactly_in_processed_comments(self, runs, table):
        """Processed tables are parquet, never opened by a spreadsheet: text is stored as it was written."""
        comments = _month_rows(_ok(runs.runs["damaged"]).tables[table])["comment"].dropna().tolist()
        for formula in FORMULAS:
            assert formula in comments, (formula, table)
            assert "'" + formula not in comments

    def test_no_formula_gets_an_apostrophe_in_what_people_read(self, runs):
        """report.html, the notebook and the index show text exactly; only the CSVs neutralise it."""
        run = _ok(runs.runs["damaged"])
        report = (run.reports / MONTH / "appendix.html").read_text(encoding="utf-8")  # the targets table
        assert "<td>+10%</td>" in report  # the campaign-effect target of config/reach.yaml, shown as it is
        for path, text in _text_files(run.reports).items():
            if path.suffix == ".csv":
                continue
            for formula in [*FORMULAS, CAMPAIGN_FORMULA]:
                for form in _spellings(formula):
                    for m in re.finditer(re.escape(form), text):
                        before = text[max(0, m.start() - 6) : m.start()]
                        assert not before.endswith(APOSTROPHES), (
                            path.name,
                            text[max(0, m.start() - 80) : m.end()],
                        )

    def test_formula_in_a_campaign_name_stays_text_in_the_csv_beside_the_report(self, runs):
        """A campaign name anyone can set is listed in unmatched.csv; opened in a spreadsheet it must stay text."""
        run = _ok(runs.runs["damaged"])
        campaigns = _month_rows(run.tables["web_acquisition"])["campaign"].tolist()
        assert any(CAMPAIGN_FORMULA in c for c in campaigns)  # it was read
        cells = _csv_cells(run.reports / MONTH)
        assert "'" + CAMPAIGN_FORMULA in cells
        for cell in cells:
            assert cell[:1] not in {"=", "+", "-", "@"}, cell

    def test_html_is_only_ever_escaped_in_the_report(self, runs):
        run = _ok(runs.runs["damaged"])
        files = _text_files(run.reports)  # report.html, index.html, the notebook, summary.json, manifest, log
        assert any(p.suffix == ".html" for p in files) and any(p.name == "summary.json" for p in files)
        # The CSVs beside the report are data for a spreadsheet, not markup: they hold the text exactly.
        assert PAGE_HTML_PATH in _csv_cells(run.reports / MONTH)
        files = {p: t for p, t in files.items() if p.suffix != ".csv"}
        for page, text in files.items():
            for snippet in [*HTML_SNIPPETS, PAGE_HTML_PATH, VIDEO_HTML_TITLE, "onerror=alert(1)>"]:
                assert snippet not in text, (page.name, snippet)
        # ...and the planted page path is shown (escaped), so the check above is not vacuous.
        text = (run.reports / MONTH / "appendix.html").read_text(encoding="utf-8")
        assert html.escape(PAGE_HTML_PATH) in text or html.escape(PAGE_HTML_PATH, quote=False) in text

    def test_personal_data_never_reaches_processed_or_reports(self, runs):
        run = _ok(runs.runs["damaged"])
        comments = _month_rows(run.tables["feedback"])["comment"].dropna().tolist()
        assert any("[email]" in c for c in comments) and any("[name]" in c for c in comments)
        processed = _all_strings(run.tables)
        reports = _text_files(run.reports)
        for kind, (_, raws) in PII.items():
            for raw in raws:
                for table, cells in processed.items():
                    assert not any(raw in cell for cell in cells), (kind, raw, table)
                for path, text in reports.items():
                    for form in _spellings(raw):
                        assert form not in text, (kind, raw, path.name)


class TestRunsThatMustStop:
    def test_zip_slip_in_a_month_stops_the_run_and_extracts_nothing(self, runs):
        run = runs.runs["zip_slip"]
        message = _one_line_error(run)
        assert "youtube-export.zip" in message and "absolute or '..' path" in message, message
        assert not (run.processed / MONTH).exists()
        assert not (run.reports / MONTH).exists()
        leaked = [p for p in run.raw.parent.parent.rglob(f"*{SLIP_TOKEN}*")]
        leaked += [
            p for p in (Path("/tmp"), REPO_ROOT.parent, REPO_ROOT) if (p / f"{SLIP_TOKEN}-run.csv").exists()
        ]
        assert not leaked

    def test_ambiguous_form_dates_without_a_date_order_stop_the_run(self, runs):
        run = runs.runs["ambiguous_forms"]
        message = _one_line_error(run)
        assert "Form responses 1.csv" in message and "line 2" in message and "forms_date_order" in message, (
            message
        )
        assert not (run.processed / MONTH).exists()


def test_raw_trees_are_never_written(runs):
    """SHA-256 of every file under every raw tree, before and after all the runs: nothing changed, added or removed."""
    assert runs.runs  # the runs happened
    for name, before in runs.before.items():
        after = runs.after[name]
        assert sorted(set(after) - set(before)) == [], f"files added under {name}"
        assert sorted(set(before) - set(after)) == [], f"files removed under {name}"
        changed = sorted(k for k in before if before[k] != after[k])
        assert changed == [], f"files changed under {name}"
