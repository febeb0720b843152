"""The export formats the sample writes: file names, headers and fixed text of each platform's files."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import numpy as np

from reach.core.months import shift_month
from reach.errors import ReachError
from reach.ingest.recall import RECALL_COUNTS
from reach.sample.world import _QR_TAG

# Feedback forms
_FORM_TITLE = "Safer sleep feedback"


_Q_TYPE = "Are you a parent or carer, or a professional?"


_Q_DISTRICT = "Which district do you live or work in?"


_Q_HOW = "How did you get to this form?"


_Q_WHERE = "Where did you see safer sleep information? (select all that apply)"


_Q_HELPFUL = "Was the information helpful?"


_Q_KEY = "Which of these are part of the safer sleep advice? (select all that apply)"


_Q_INTENDS = "Will you change anything about how your baby sleeps?"


_Q_COMMENT = "Is there anything else you would like to tell us?"


_WHERE_OPTIONS = (
    "Just One Norfolk website",
    "YouTube video",
    "Facebook or Instagram",
    "Leaflet or QR code",
    "Health visitor or midwife",
    "Other",
)


_KEY_OPTIONS = (
    "On their back",
    "In a clear, flat cot or Moses basket",
    "In their own sleep space, alone",
    "Room temperature 16-20°C",
    "Swaddled with a loose blanket",
)


_BENIGN_FORM_COMMENTS = (
    "Thank you, very clear.",
    "Could the leaflet be available in Polish and Lithuanian?",
    "The video was really useful for my partner.",
    "More about room temperature in summer please.",
    "I didn't know about keeping pillows and bumpers out of the cot.",
    "Good to have everything in one place, thanks",
    "Our health visitor went through this too, it helped to see it again.",
    "Would like advice on sleeping bags and what tog to use",
    "Clear, short and to the point.",
    "Found it hard to find on my phone, but the advice is good",
)


_BENIGN_PAGE_COMMENTS = (
    "Clear advice",
    "Couldn't find anything on sleeping bags",
    "The video link didn't play on my phone",
    "Very helpful, thank you",
    "Too much text, a checklist would help",
    "Please add advice for twins",
)


#: Planted free text: (kind, text). Synthetic PII only (example.com, Ofcom drama ranges,
#: a made-up NHS-number-like string).
_PLANTED_FORM_COMMENTS = (
    ("pii_email", "Please email me the leaflet at sam.taylor@example.com"),
    ("pii_phone", "Can a health visitor call me on 07700 900417? We are struggling with nights"),
    ("pii_name", "my name is Sam and my baby is 6 weeks old, is a sleeping bag OK?"),
    ("pii_postcode", "We live at NR1 3QU and have not had a visit yet"),
    ("pii_signoff", "Really helpful video. Thanks, Priya"),
    ("pii_nhs_number", "Baby's NHS number is 943 476 5919 if you need it"),
    ("pii_phone", "Ring 01632 960384 if you want to talk about the Moses basket"),
    ("pii_email", "jo.bloggs@example.com - please add me to your mailing list"),
    ("pii_postcode", "I'm in NR30 2PR, is there a baby group near me? Thanks, Tom"),
    ("pii_name_phone", "my name is Alex Carter, call me on 07700 900983"),
    ("html", "<script>alert(1)</script>"),
    ("html", "This was <b>bold</b> and clear"),
    ("formula", '=HYPERLINK("http://example.com","click")'),
    ("formula", "+44 7700 900123 call me"),
)


_PLANTED_PAGE_COMMENTS = (
    ("pii_email", "Email me at parent.one@example.com with the leaflet please"),
    ("pii_phone", "Call 07700 900256, I have a question about the cot"),
)


# GA4 rendering
_GA4_ACCOUNT = "Norfolk County Council"


_GA4_PROPERTY = "Just One Norfolk - GA4"


_RULE = "# ----------------------------------------"


_PAGES_TITLE = "Pages and screens: Page path and screen class"


_PAGES_FILE = "Pages_and_screens_Page_path_and_screen_class.csv"


_DAILY_FILE = "Pages_and_screens_Page_path_and_screen_class (1).csv"


_CITY_FILE = "Demographic_details_Country.csv"


_TRAFFIC_FILE = "Traffic_acquisition_Session_primary_channel_group_(Default_Channel_Group).csv"


_PAGES_HEADER = (
    "Page path and screen class",
    "Views",
    "Active users",
    "Views per active user",
    "Average engagement time per active user",
    "Event count",
    "Key events",
    "Total revenue",
    "Engagement rate",
    "Bounce rate",
    "Total users",
    "Sessions",
    "Average session duration",
)


_DAILY_HEADER = (
    "Date",
    "Page path and screen class",
    "Views",
    "Active users",
    "Event count",
    "Average engagement time per active user",
)


_CITY_HEADER = (
    "Town/City",
    "Active users",
    "New users",
    "Engaged sessions",
    "Engagement rate",
    "Engaged sessions per active user",
    "Average engagement time per active user",
    "Event count",
    "Key events",
    "Total revenue",
)


_TRAFFIC_HEADER = (
    "Session source / medium",
    "Session campaign",
    "Sessions",
    "Engaged sessions",
    "Engagement rate",
    "Average engagement time per session",
    "Events per session",
    "Event count",
    "Key events",
    "Total revenue",
)


_OTHER_PAGES = (
    ("/", 0.55),
    ("/feeding/", 0.30),
    ("/baby-sleep/", 0.22),
    ("/toddlers/potty-training/", 0.18),
    ("/health-visiting/", 0.15),
    ("/search/", 0.06),
)


_SS_VARIANT = "/baby-sleep/safer-sleep"


# Traffic sources: (source / medium, campaign)
_SRC_GOOGLE = ("google / organic", "(organic)")


_SRC_DIRECT = ("(direct) / (none)", "(direct)")


_SRC_NHS = ("nhs.uk / referral", "(referral)")


_SRC_LSCP = ("norfolklscp.org.uk / referral", "(referral)")


_SRC_NOTSET = ("(not set)", "(not set)")


_SRC_QR = ("qr / print", _QR_TAG)


_SRC_FB_REF = ("m.facebook.com / referral", "(referral)")


_BACKGROUND_SOURCES = (_SRC_GOOGLE, _SRC_DIRECT, _SRC_NHS, _SRC_LSCP, _SRC_NOTSET)


_BACKGROUND_SOURCE_P = np.array(
    [
        [0.52, 0.27, 0.15, 0.01, 0.05],
        [0.33, 0.40, 0.10, 0.13, 0.04],
        [0.66, 0.18, 0.10, 0.01, 0.05],
        [0.55, 0.27, 0.12, 0.01, 0.05],
    ]
)


_YT_HEADER_OLD = (
    "Content",
    "Video title",
    "Video publish time",
    "Duration",
    "Views",
    "Watch time (hours)",
    "Subscribers",
    "Impressions",
    "Impressions click-through rate (%)",
)


_YT_HEADER_NEW = (
    "Content",
    "Video title",
    "Video publish time",
    "Duration",
    "Unique viewers",
    "Average views per viewer",
    "Average view duration",
    "Average percentage viewed (%)",
    "Views",
    "Watch time (hours)",
    "Subscribers",
    "Impressions",
    "Impressions click-through rate (%)",
)


_YT_NEW_FROM = "2025-05"


_META_HEADER = (
    "Post ID",
    "Page ID",
    "Page name",
    "Title",
    "Description",
    "Duration (sec)",
    "Publish time",
    "Caption type",
    "Permalink",
    "Is crosspost",
    "Is share",
    "Post type",
    "Languages",
    "Custom labels",
    "Funded content status",
    "Data comment",
    "Date",
    "Views",
    "Reach",
    "Reactions, Comments and Shares",
    "Reactions",
    "Comments",
    "Shares",
    "Total clicks",
    "Link clicks",
    "Other Clicks",
    "Seconds viewed",
    "Average Seconds viewed",
    "3-Second Video Views",
    "1-Minute Video Views",
)


_POST_TEXT = {
    "safer-sleep": (
        "Back to sleep, every sleep. Find out how to keep your baby safe while they sleep.",
        "Is your baby's cot clear? No pillows, bumpers or soft toys - just a firm, flat mattress.",
        "Sharing a room with your baby for the first 6 months, in their own cot, lowers the risk of SIDS.",
        "Too hot or too cold? A room temperature of 16-20°C is comfortable for a sleeping baby.",
        "Watch our short video: safer sleep in 30 seconds.",
        "Bed-sharing after drinking, smoking or taking medication is dangerous. Here's what to know.",
    ),
    "crying-and-coping": (
        "All babies cry, and crying can peak at 6-8 weeks. You are not alone - here's how to cope.",
        "It's OK to walk away. Put your baby somewhere safe and take a few minutes to calm down.",
        "Never shake a baby. If the crying is getting to you, talk to someone.",
        "Comfort methods that help: skin to skin, a gentle walk, white noise, a warm bath.",
    ),
}


_PF_HEADER = ("Submitted", "Page URL", "Was this page helpful?", "Comment")


_PARTNER_HEADER = ("month", "indicator", "area_code", "area_name", "numerator", "denominator")


_PARTNER_INDICATOR = "new_birth_visits_safer_sleep_assessed"


# The health-visiting provider's new-birth-visit prompted-recall return (one row per district).
_RECALL_HEADER = ("month", "district", *RECALL_COUNTS)


_RECALL_SUPPRESSED = (1, 7)  # the provider writes "*" for a count from 1 to 7


def _recall_name(month: str) -> str:
    return f"hv_new_birth_recall_{month}.csv"


_FORM_HEADER = (
    "ID",
    "Start time",
    "Completion time",
    "Email",
    "Name",
    "Last modified time",
    _Q_TYPE,
    _Q_DISTRICT,
    _Q_HOW,
    _Q_WHERE,
    _Q_HELPFUL,
    _Q_KEY,
    _Q_INTENDS,
    _Q_COMMENT,
)


_MONTH_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


# ---------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------


def _parse_month(value: str, name: str) -> tuple[int, int]:
    if not isinstance(value, str) or not _MONTH_RE.match(value):
        raise ReachError(f"{name} must be a month written YYYY-MM (e.g. 2026-10), got {value!r}")
    y, m = value.split("-")
    return int(y), int(m)


def _shift_month(y: int, m: int, k: int) -> tuple[int, int]:
    shifted = shift_month(_ym(y, m), k)
    return int(shifted[:4]), int(shifted[5:])


def _ym(y: int, m: int) -> str:
    return f"{y:04d}-{m:02d}"


def _num(x) -> str:
    """Write a number the way GA4 does: integers plain, floats at full precision (repr)."""
    if isinstance(x, (bool, np.bool_)):
        return str(int(x))
    if isinstance(x, (int, np.integer)):
        return str(int(x))
    f = float(x)
    if f.is_integer():
        return str(int(f))
    return repr(f)


def _dec(x: float, nd: int) -> str:
    """Round to ``nd`` decimals and drop a trailing ``.0`` (YouTube / Meta style)."""
    f = round(float(x), nd)
    if f.is_integer():
        return str(int(f))
    return repr(f)


def _hms(seconds: float) -> str:
    s = int(round(seconds))
    return f"{s // 3600}:{(s % 3600) // 60:02d}:{s % 60:02d}"


def _csv_text(rows, lineterminator: str) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator=lineterminator, quoting=csv.QUOTE_MINIMAL)
    w.writerows(rows)
    return buf.getvalue()


def _lf_csv(rows) -> bytes:
    return _csv_text(rows, "\n").encode("utf-8")


def _ga4_bytes(title: str, start: dt.date, end: dt.date, header, rows) -> bytes:
    pre = [
        _RULE,
        f"# {title}",
        f"# Account: {_GA4_ACCOUNT}",
        f"# Property: {_GA4_PROPERTY}",
        _RULE,
        "# ",
        "# All Users",
        f"# Start date: {start:%Y%m%d}",
        f"# End date: {end:%Y%m%d}",
    ]
    body = _csv_text([header, *rows], "\r\n")
    if body.endswith("\r\n"):
        body = body[:-2]
    return ("\r\n".join(pre) + "\r\n" + body).encode("utf-8")


def _sorted_desc(rows: list[list], n_dims: int) -> list[list]:
    """GA4 order: first metric descending; ties by the dimension values ascending."""
    return sorted(rows, key=lambda r: (-float(r[n_dims]), tuple(str(v) for v in r[:n_dims])))
