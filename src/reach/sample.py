"""Seeded synthetic sample: raw exports, reference tables and the truth behind them.

The sample is built from an *individual-level* simulation, so that the estimators in
``reach`` can be validated against known answers:

* every month has a population of people in three groups — families with a newborn in
  Norfolk (births / 12, split by district), Norfolk professionals and visitors from outside
  Norfolk;
* each person has a latent engagement score that raises their chance of being reached on
  *every* channel (web, YouTube, Facebook), so channel audiences overlap more than
  independence predicts;
* web visits, video views and post reach are drawn per person and per day, with a trend,
  seasonality, a day-of-week pattern and planted campaign uplifts (the no-campaign
  counterfactual uses the same random draws, so the true campaign effect is known);
* the exports the analyst would download (GA4, YouTube Studio, Meta Business Suite,
  Microsoft Forms, a page-feedback widget, a partner indicator) are *rendered* from those
  people, in the byte-level shapes documented in ``export-formats.md``;
* ``ground_truth.json`` records what really happened. The pipeline never reads it.

Public API
----------
generate_sample
    Pure function: relative path -> file bytes.
write_sample
    Write the sample to a folder atomically.
SAMPLE_MONTH
    The reporting month the committed sample is built for.

Nothing here reads files or touches global state at import time.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import json
import logging
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from reach.assets import REGISTRY_COLUMNS
from reach.exceptions import ReachError

logger = logging.getLogger(__name__)

__all__ = ["SAMPLE_MONTH", "generate_sample", "write_sample"]

SAMPLE_MONTH = "2026-10"
"""Reporting month of the committed sample (the last month folder)."""

_DEFAULT_SEED = 2026
_DEFAULT_MONTHS = 24

# ---------------------------------------------------------------------------------------
# The simulated world: fixed parameters
# ---------------------------------------------------------------------------------------

#: (ONS code, name, illustrative annual births, towns). The births split is illustrative
#: (district counts are not published in any source we hold); it sums to 7,200.
_DISTRICTS: tuple[tuple[str, str, int, tuple[str, ...]], ...] = (
    ("E07000143", "Breckland", 1152, ("Thetford", "Dereham", "Attleborough", "Swaffham", "Watton")),
    ("E07000144", "Broadland", 1008, ("Hellesdon", "Taverham", "Sprowston", "Aylsham")),
    ("E07000145", "Great Yarmouth", 864, ("Great Yarmouth", "Gorleston-on-Sea", "Caister-on-Sea")),
    ("E07000146", "King's Lynn and West Norfolk", 1296, ("King's Lynn", "Downham Market", "Hunstanton")),
    ("E07000147", "North Norfolk", 720, ("North Walsham", "Cromer", "Fakenham", "Sheringham", "Holt")),
    ("E07000148", "Norwich", 1224, ("Norwich",)),
    ("E07000149", "South Norfolk", 936, ("Wymondham", "Costessey", "Diss")),
)
_COUNTY_CODE = "E10000020"
_COUNTY_BIRTHS = 7200
_DISTRICT_SHARES = np.array([d[2] for d in _DISTRICTS], dtype=float) / _COUNTY_BIRTHS

_OUTSIDE_PLACES = ("London", "Ipswich", "Lowestoft", "Cambridge", "Peterborough", "Birmingham", "Manchester")
_OUTSIDE_WEIGHTS = np.array([0.30, 0.12, 0.12, 0.14, 0.12, 0.10, 0.10])

# Groups: 0 = family with a newborn (Norfolk), 1 = Norfolk professional, 2 = outside Norfolk.
_GROUPS = ("newborn_family", "professional", "outside_norfolk")
_N_PROFESSIONALS = 900
_N_OUTSIDE = 2000

# Latent engagement loadings (log scale) per channel: the shared factor makes channel
# audiences positively dependent.
_LOADING = {"web": 0.8, "video": 0.9, "social": 0.7}
# Expected monthly events per person at trend factor 1 (web sessions, video views) and
# per-post reach intensity (social), by group.
_RATE = {
    "web": np.array([0.55, 0.45, 0.22]),
    "video": np.array([0.22, 0.12, 0.08]),
    "social": np.array([0.08, 0.04, 0.025]),
}
_LEAFLET_P = np.array([0.50, 0.25, 0.01])  # given the leaflet (once it exists)
_LEAFLET_WEB_BOOST = 1.4  # leaflet holders visit more (QR code)
_HV_P = np.array([0.85, 0.0, 0.02])  # heard it from a health visitor or midwife
_OTHER_P = np.array([0.05, 0.08, 0.03])
_NEW_USER_P = 0.8
_CONSENT_RANGE = (0.55, 0.80)

_DOW = np.array([1.14, 1.12, 1.10, 1.06, 0.98, 0.78, 0.82])  # Monday..Sunday, mean 1
_MONTHLY_GROWTH = 0.012
_SEASONAL_AMPLITUDE = 0.08  # peak in January
_TREND_EPOCH = (2024, 1)

_SITE = "https://www.justonenorfolk.nhs.uk"
_PAGE_ID = "104839275610392"
_PAGE_NAME = "Just One Norfolk"


@dataclass(frozen=True)
class _Asset:
    asset_id: str
    title: str
    theme: str
    type: str
    launch: dt.date
    url_paths: tuple[str, ...] = ()
    video_ids: tuple[str, ...] = ()
    campaign_tags: tuple[str, ...] = ()
    # rendering details
    path: str = ""  # canonical GA4 path for web pages
    video_title: str = ""
    duration: int = 0


_SSW25, _ICON25, _SSW26, _AUT26 = (
    "safer-sleep-week-2025",
    "icon-week-2025",
    "safer-sleep-week-2026",
    "safer-sleep-autumn-2026",
)
_QR_TAG = "safer-sleep-leaflet-qr"

_ASSETS: tuple[_Asset, ...] = (
    _Asset(
        "ss-web",
        "Safer sleep for your baby (web page)",
        "safer-sleep",
        "web_page",
        dt.date(2023, 4, 3),
        ("/baby-sleep/safer-sleep*",),
        (),
        (_SSW25, _SSW26, _AUT26),
        path="/baby-sleep/safer-sleep/",
    ),
    _Asset(
        "cosleep-web",
        "Co-sleeping and bed-sharing (web page)",
        "safer-sleep",
        "web_page",
        dt.date(2023, 4, 3),
        ("/baby-sleep/co-sleeping-and-bed-sharing/",),
        (),
        (_SSW25, _SSW26),
        path="/baby-sleep/co-sleeping-and-bed-sharing/",
    ),
    _Asset(
        "ss-video",
        "Safer sleep for your baby (video)",
        "safer-sleep",
        "video",
        dt.date(2024, 3, 4),
        (),
        ("q7Xr2LmPz0k",),
        (_SSW25, _SSW26, _AUT26),
        video_title="Safer sleep for your baby | Just One Norfolk",
        duration=214,
    ),
    _Asset(
        "ss-short",
        "Safer sleep: back to sleep, clear cot (short)",
        "safer-sleep",
        "video",
        dt.date(2025, 3, 10),
        (),
        ("-Tb9wKcZ4sE",),
        (_SSW25, _SSW26, _AUT26),
        video_title="Back to sleep, clear cot: safer sleep in 30 seconds #shorts",
        duration=34,
    ),
    _Asset(
        "icon-web",
        "All Babies Cry - ICON: babies cry, you can cope (web page)",
        "crying-and-coping",
        "web_page",
        dt.date(2023, 9, 18),
        ("/crying/icon-babies-cry-you-can-cope/",),
        (),
        (_ICON25,),
        path="/crying/icon-babies-cry-you-can-cope/",
    ),
    _Asset(
        "icon-video",
        "ICON: infant crying is normal (video)",
        "crying-and-coping",
        "video",
        dt.date(2025, 9, 22),
        (),
        ("Vn3hQ8d_JxU",),
        (_ICON25,),
        video_title="ICON: Infant crying is normal, comfort methods, it's OK to walk away",
        duration=187,
    ),
    _Asset(
        "dads-web",
        "Information for dads and partners (web page)",
        "fathers",
        "web_page",
        dt.date(2024, 6, 10),
        ("/dads/",),
        (),
        (),
        path="/dads/",
    ),
    _Asset(
        "dads-video",
        "Dads: safer sleep and coping with crying (video)",
        "fathers",
        "video",
        dt.date(2026, 6, 15),
        (),
        ("kP0sYw5RrLg",),
        (),
        video_title="Dads, safer sleep and crying: what I wish I'd known",
        duration=156,
    ),
    _Asset(
        "concealed-web",
        "Concealed and denied pregnancy: guidance for professionals (web page)",
        "concealed-pregnancy",
        "web_page",
        dt.date(2024, 1, 15),
        ("/professionals/concealed-pregnancy/",),
        (),
        (),
        path="/professionals/concealed-pregnancy/",
    ),
    _Asset(
        "ss-leaflet",
        "Safer sleep leaflet with QR code",
        "safer-sleep",
        "leaflet",
        dt.date(2024, 9, 2),
        (),
        (),
        (_QR_TAG,),
    ),
    _Asset(
        "ss-social",
        "Safer sleep social posts (Facebook)",
        "safer-sleep",
        "social_post",
        dt.date(2024, 1, 8),
        (),
        (),
        (_SSW25, _SSW26, _AUT26),
    ),
    _Asset(
        "icon-social",
        "All Babies Cry social posts (Facebook)",
        "crying-and-coping",
        "social_post",
        dt.date(2024, 1, 8),
        (),
        (),
        (_ICON25,),
    ),
)
_WEB = tuple(a for a in _ASSETS if a.type == "web_page")
_VIDEO = tuple(a for a in _ASSETS if a.type == "video")
_LEAFLET = next(a for a in _ASSETS if a.type == "leaflet")
_SOCIAL_ASSET = {"safer-sleep": "ss-social", "crying-and-coping": "icon-social"}

# Page preferences (rows: groups; columns: _WEB order) and video preferences (_VIDEO order).
_WEB_SHARES = np.array(
    [
        [0.42, 0.22, 0.18, 0.14, 0.04],
        [0.30, 0.18, 0.14, 0.06, 0.32],
        [0.45, 0.25, 0.15, 0.10, 0.05],
    ]
)
_VIDEO_SHARES = np.array(
    [
        [0.45, 0.30, 0.18, 0.07],
        [0.40, 0.20, 0.30, 0.10],
        [0.40, 0.35, 0.15, 0.10],
    ]
)
_VIDEO_CAP = 3  # a viewer watches at most three times a month


@dataclass(frozen=True)
class _Campaign:
    campaign_id: str
    name: str
    start: dt.date
    end: dt.date
    utm: str
    theme: str
    web_uplift: float
    video_uplift: float
    description: str

    @property
    def assets(self) -> tuple[str, ...]:
        return tuple(a.asset_id for a in _ASSETS if self.utm in a.campaign_tags)


_CAMPAIGNS: tuple[_Campaign, ...] = (
    _Campaign(
        "ssw-2025",
        "Safer Sleep Week 2025",
        dt.date(2025, 3, 10),
        dt.date(2025, 3, 23),
        _SSW25,
        "safer-sleep",
        1.6,
        1.4,
        "Lullaby Trust Safer Sleep Week: new short video, boosted posts, partner newsletters",
    ),
    _Campaign(
        "icon-2025",
        "ICON week 2025",
        dt.date(2025, 9, 22),
        dt.date(2025, 10, 5),
        _ICON25,
        "crying-and-coping",
        1.5,
        1.5,
        "ICON (Infant crying is normal, Comfort methods, It's OK to walk away, Never shake a baby)",
    ),
    _Campaign(
        "ssw-2026",
        "Safer Sleep Week 2026",
        dt.date(2026, 3, 9),
        dt.date(2026, 3, 22),
        _SSW26,
        "safer-sleep",
        1.7,
        1.4,
        "Safer Sleep Week: posts, video promotion and leaflet re-print",
    ),
    _Campaign(
        "ss-autumn-2026",
        "Safer sleep autumn push 2026",
        dt.date(2026, 10, 12),
        dt.date(2026, 10, 25),
        _AUT26,
        "safer-sleep",
        1.6,
        1.4,
        "Clocks-change reminder: room temperature and clear cots",
    ),
)

_PARTNER_STEP_AFTER = dt.date(2025, 3, 23)  # end of Safer Sleep Week 2025
_PARTNER_STEP_PP = 5.0
_PARTNER_TREND_PP = 0.08  # per month, everywhere
_PARTNER_BASE = np.array([0.78, 0.81, 0.74, 0.76, 0.80, 0.77, 0.82])

# Feedback forms
_FORM_TITLE = "Safer sleep feedback"
_Q_TYPE = "Are you a parent or carer, or a professional?"
_Q_DISTRICT = "Which district do you live or work in?"
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
_INTENDS_YES = "Yes, I will change something"
_RESPONSE_WEIGHT = np.array([1.0, 0.5, 0.08])  # by group, among exposed people

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
_POST_TYPES = ("Photos", "Videos", "Reels", "Links")
_POST_TYPE_P = np.array([0.40, 0.20, 0.15, 0.25])
_POST_STRENGTH = {"Photos": 1.0, "Videos": 1.2, "Reels": 1.5, "Links": 0.8}
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
_FORM_HEADER = (
    "ID",
    "Start time",
    "Completion time",
    "Email",
    "Name",
    "Last modified time",
    _Q_TYPE,
    _Q_DISTRICT,
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
    t = y * 12 + (m - 1) + k
    return t // 12, t % 12 + 1


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


def _trend(y: int, m: int) -> float:
    k = (y - _TREND_EPOCH[0]) * 12 + (m - _TREND_EPOCH[1])
    return (1 + _MONTHLY_GROWTH) ** k * (1 + _SEASONAL_AMPLITUDE * np.cos(2 * np.pi * (m - 1) / 12))


def _births_for_year(year: int) -> int:
    # 2024 "around 7,200" (published); 2025-26 assumed flat (illustrative).
    return _COUNTY_BIRTHS


def _month_rng(seed: int, y: int, m: int, stream: int = 0) -> np.random.Generator:
    return np.random.default_rng([seed, y, m, stream])


# ---------------------------------------------------------------------------------------
# Simulation of one month
# ---------------------------------------------------------------------------------------


@dataclass
class _Month:
    ym: str
    start: dt.date
    end: dt.date
    days: int
    consent_rate: float
    # people
    group: np.ndarray
    district: np.ndarray
    town: list
    consent: np.ndarray
    new_user: np.ndarray
    leaflet: np.ndarray
    hv: np.ndarray
    other: np.ndarray
    # web sessions (one row per session)
    w_person: np.ndarray
    w_asset: np.ndarray
    w_day: np.ndarray
    w_extra: np.ndarray
    w_path: list
    w_views: np.ndarray
    w_engaged: np.ndarray
    w_eng: np.ndarray
    w_events: np.ndarray
    w_dur: np.ndarray
    w_source: list
    # video views (one row per view, after the per-person cap)
    v_person: np.ndarray
    v_asset: np.ndarray
    v_day: np.ndarray
    v_extra: np.ndarray
    v_watch: np.ndarray
    # posts
    posts: list
    post_reached: np.ndarray  # (n_posts, n_people) bool
    # feedback
    responses: list
    feedback_truth: dict
    page_feedback: list
    # partner indicator rows
    partner: list
    births_by_district: np.ndarray
    # other-page synthetic GA4 rows
    other_rows: list
    variant_month: bool
    meta_file_id: int
    yt_extra: dict


def _campaign_uplift(start: dt.date, days: int, assets, channel: str) -> np.ndarray:
    """(n_assets, n_days) multiplier: the planted uplift on campaign days, else 1."""
    u = np.ones((len(assets), days))
    for c in _CAMPAIGNS:
        factor = c.web_uplift if channel == "web" else c.video_uplift
        for j, a in enumerate(assets):
            if c.utm not in a.campaign_tags:
                continue
            for d in range(days):
                if c.start <= start + dt.timedelta(days=d) <= c.end:
                    u[j, d] = factor
    return u


def _launch_mask(start: dt.date, days: int, assets) -> np.ndarray:
    return np.array(
        [[1.0 if start + dt.timedelta(days=d) >= a.launch else 0.0 for d in range(days)] for a in assets]
    )


def _draw_events(rng, group, mult, rates, shares, launch, dow, trend, uplift):
    """Person-level Poisson events split into baseline and campaign-extra parts.

    The baseline draws are exactly the no-campaign counterfactual; campaign days add
    independent extra events with rate ``baseline * (uplift - 1)`` (Poisson superposition).
    """
    days = launch.shape[1]
    out_p, out_a, out_d, out_x = [], [], [], []
    for g in range(len(_GROUPS)):
        idx = np.flatnonzero(group == g)
        w = shares[g][:, None] * launch * dow[None, :] / days * trend
        wx = w * (uplift - 1.0)
        base_tot, extra_tot = float(w.sum()), float(wx.sum())
        lam = rates[g] * mult[idx]
        nb = rng.poisson(lam * base_tot)
        nx = rng.poisson(lam * extra_tot)
        for counts, weights, tot, flag in ((nb, w, base_tot, False), (nx, wx, extra_tot, True)):
            n = int(counts.sum())
            if n == 0 or tot <= 0:
                continue
            cells = rng.choice(weights.size, size=n, p=weights.ravel() / tot)
            out_p.append(np.repeat(idx, counts))
            out_a.append(cells // days)
            out_d.append(cells % days)
            out_x.append(np.full(n, flag))
    if not out_p:
        e = np.zeros(0, dtype=int)
        return e, e.copy(), e.copy(), np.zeros(0, dtype=bool)
    return (np.concatenate(out_p), np.concatenate(out_a), np.concatenate(out_d), np.concatenate(out_x))


def _simulate_month(seed: int, y: int, m: int) -> _Month:
    rng = _month_rng(seed, y, m)
    days = calendar.monthrange(y, m)[1]
    start, end = dt.date(y, m, 1), dt.date(y, m, days)
    trend = float(_trend(y, m))
    k = (y - _TREND_EPOCH[0]) * 12 + (m - _TREND_EPOCH[1])
    consent_rate = float(
        np.clip(
            0.675 + 0.09 * np.sin(2 * np.pi * k / 17) + rng.normal(0, 0.015),
            _CONSENT_RANGE[0] + 0.01,
            _CONSENT_RANGE[1] - 0.01,
        )
    )
    consent_rate = round(consent_rate, 3)

    # --- people ---------------------------------------------------------------------
    births = int(rng.poisson(_births_for_year(y) / 12 * (1 + 0.04 * np.sin(2 * np.pi * (m - 4) / 12))))
    births_by_district = rng.multinomial(births, _DISTRICT_SHARES)
    nb_district = np.repeat(np.arange(len(_DISTRICTS)), births_by_district)
    pro_district = rng.choice(len(_DISTRICTS), size=_N_PROFESSIONALS, p=_DISTRICT_SHARES)
    group = np.concatenate([np.zeros(births, int), np.ones(_N_PROFESSIONALS, int), np.full(_N_OUTSIDE, 2)])
    district = np.concatenate([nb_district, pro_district, np.full(_N_OUTSIDE, -1)])
    n = group.size
    z = rng.standard_normal(n)
    consent = rng.random(n) < consent_rate
    new_user = rng.random(n) < _NEW_USER_P
    leaflet_live = end >= _LEAFLET.launch
    leaflet = (rng.random(n) < _LEAFLET_P[group]) & leaflet_live
    hv = rng.random(n) < _HV_P[group]
    other = rng.random(n) < _OTHER_P[group]
    # Town/City as GA4 would geolocate it (IP based: a quarter of Norfolk users show as Norwich).
    r_town = rng.random(n)
    r_pick = rng.random(n)
    out_cum = np.cumsum(_OUTSIDE_WEIGHTS / _OUTSIDE_WEIGHTS.sum())
    town = []
    for i in range(n):
        if district[i] >= 0:
            if r_town[i] < 0.03:
                town.append("(not set)")
            elif r_town[i] < 0.28:
                town.append("Norwich")
            else:
                towns = _DISTRICTS[district[i]][3]
                wts = np.array([1.0 / (j + 1) for j in range(len(towns))])
                j = int(np.searchsorted(np.cumsum(wts / wts.sum()), r_pick[i], side="right"))
                town.append(towns[min(j, len(towns) - 1)])
        elif r_town[i] < 0.05:
            town.append("(not set)")
        else:
            j = int(np.searchsorted(out_cum, r_pick[i], side="right"))
            town.append(_OUTSIDE_PLACES[min(j, len(_OUTSIDE_PLACES) - 1)])

    def mult(channel):
        b = _LOADING[channel]
        return np.exp(b * z - b * b / 2)

    # --- web --------------------------------------------------------------------------
    web_mult = mult("web") * np.where(leaflet, _LEAFLET_WEB_BOOST, 1.0)
    w_person, w_asset, w_day, w_extra = _draw_events(
        rng,
        group,
        web_mult,
        _RATE["web"],
        _WEB_SHARES,
        _launch_mask(start, days, _WEB),
        _dow(start, days),
        trend,
        _campaign_uplift(start, days, _WEB, "web"),
    )
    ns = w_person.size
    w_views = 1 + rng.poisson(0.3, ns)
    w_engaged = rng.random(ns) < 0.63
    w_eng = np.where(w_engaged, rng.lognormal(3.9, 0.7, ns), rng.uniform(0, 9, ns))
    w_events = w_views + 1 + w_engaged.astype(int) + rng.binomial(w_views, 0.45)
    w_dur = w_eng * rng.uniform(1.0, 1.5, ns) + rng.uniform(0, 15, ns)
    variant_month = bool(rng.random() < 0.5)
    r_var = rng.random(ns)
    w_path = []
    for i in range(ns):
        a = _WEB[w_asset[i]]
        if variant_month and a.asset_id == "ss-web" and r_var[i] < 0.1:
            w_path.append(_SS_VARIANT)
        else:
            w_path.append(a.path)
    # traffic sources are drawn after social reach is known (below)

    # --- video ------------------------------------------------------------------------
    v_person, v_asset, v_day, v_extra = _draw_events(
        rng,
        group,
        mult("video"),
        _RATE["video"],
        _VIDEO_SHARES,
        _launch_mask(start, days, _VIDEO),
        _dow(start, days),
        trend,
        _campaign_uplift(start, days, _VIDEO, "video"),
    )
    # cap at three views per person: baseline views first, then campaign extras
    order = np.lexsort((np.arange(v_person.size), v_extra, v_person))
    v_person, v_asset, v_day, v_extra = v_person[order], v_asset[order], v_day[order], v_extra[order]
    rank = np.zeros(v_person.size, int)
    for i in range(1, v_person.size):
        rank[i] = rank[i - 1] + 1 if v_person[i] == v_person[i - 1] else 0
    keep = rank < _VIDEO_CAP
    v_person, v_asset, v_day, v_extra = v_person[keep], v_asset[keep], v_day[keep], v_extra[keep]
    dur = np.array([_VIDEO[a].duration for a in v_asset], dtype=float)
    frac = np.where(dur <= 60, rng.beta(3, 2, v_person.size) * 1.4, rng.beta(2, 2.5, v_person.size))
    v_watch = frac * dur
    yt_extra = {
        "subs_gained": rng.poisson(0.012, v_person.size),
        "subs_lost": rng.poisson(0.25, len(_VIDEO)),
        "ctr": rng.uniform(0.025, 0.07, len(_VIDEO)),
        "impr_click": rng.random(v_person.size) < 0.35,
    }

    # --- social -----------------------------------------------------------------------
    in_month = [c for c in _CAMPAIGNS if c.start <= end and c.end >= start]
    n_posts = int(rng.integers(3, 6))
    camp_posts = []
    for c in in_month:
        camp_posts += [c] * int(rng.integers(2, 4))
    camp_posts = camp_posts[: max(0, 8 - n_posts)]
    posts = []
    soc_mult = mult("social")
    reached_rows = []
    for j in range(n_posts + len(camp_posts)):
        c = camp_posts[j - n_posts] if j >= n_posts else None
        if c is not None:
            lo = max(c.start, start)
            hi = min(c.end, end)
            day = lo + dt.timedelta(days=int(rng.integers(0, (hi - lo).days + 1)))
            theme = c.theme
        else:
            day = start + dt.timedelta(days=int(rng.integers(0, days)))
            theme = "safer-sleep" if rng.random() < 0.65 else "crying-and-coping"
        ptype = _POST_TYPES[int(rng.choice(4, p=_POST_TYPE_P))]
        hour, minute = int(rng.integers(7, 21)), int(rng.choice([0, 15, 30, 45]))
        texts = _POST_TEXT[theme]
        text = texts[int(rng.integers(0, len(texts)))]
        strength = _POST_STRENGTH[ptype] * (1.3 if c is not None else 1.0)
        p = 1 - np.exp(-_RATE["social"][group] * soc_mult * trend * strength)
        reached = rng.random(n) < p
        nr = int(reached.sum())
        duration = int(rng.integers(20, 120)) if ptype in ("Videos", "Reels") else None
        post = {
            "post_id": str(int(rng.integers(10**16, 10**17))),
            "asset_id": _SOCIAL_ASSET[theme],
            "theme": theme,
            "type": ptype,
            "time": dt.datetime(day.year, day.month, day.day, hour, minute),
            "text": text + (f" #{c.utm.replace('-', '')}" if c is not None else ""),
            "campaign": c.utm if c is not None else None,
            "duration": duration,
            "reach": nr,
            "views": nr + int(rng.poisson(0.35 * nr)) if nr else 0,
            "reactions": int(rng.binomial(nr, 0.03)),
            "comments": int(rng.binomial(nr, 0.005)),
            "shares": int(rng.binomial(nr, 0.008)),
            "link_clicks": int(rng.binomial(nr, 0.02)) if ptype == "Links" else None,
            "other_clicks": int(rng.binomial(nr, 0.03)),
        }
        if duration is not None:
            v3 = int(rng.binomial(nr, 0.35))
            v60 = int(rng.binomial(v3, 0.2)) if duration >= 60 else 0
            secs = float(np.sum(rng.beta(2, 3, v3) * duration)) if v3 else 0.0
            post.update(v3=v3, v60=v60, seconds=int(round(secs)))
        posts.append(post)
        reached_rows.append(reached)
    post_reached = np.array(reached_rows, dtype=bool).reshape(len(posts), n)
    social_reached = post_reached.any(axis=0)

    # --- web traffic sources (depend on leaflet and social exposure) ------------------
    r_src1, r_src2 = rng.random(ns), rng.random(ns)
    w_source = []
    for i in range(ns):
        p_i = w_person[i]
        day = start + dt.timedelta(days=int(w_day[i]))
        if leaflet[p_i] and r_src1[i] < 0.4:
            w_source.append(_SRC_QR)
            continue
        if social_reached[p_i] and r_src1[i] > 0.75:
            camp = next((c for c in _CAMPAIGNS if c.start <= day <= c.end), None)
            if camp is not None:
                w_source.append(("facebook / social", camp.utm))
            else:
                w_source.append(_SRC_FB_REF)
            continue
        cum = np.cumsum(_BACKGROUND_SOURCE_P[group[p_i]])
        j = int(np.searchsorted(cum, r_src2[i] * cum[-1], side="right"))
        w_source.append(_BACKGROUND_SOURCES[min(j, len(_BACKGROUND_SOURCES) - 1)])

    # --- feedback ---------------------------------------------------------------------
    web_reached = np.zeros(n, bool)
    web_reached[w_person] = True
    video_reached = np.zeros(n, bool)
    video_reached[v_person] = True
    exposures = np.stack([web_reached, video_reached, social_reached, leaflet, hv, other], axis=1)
    frame = np.flatnonzero(exposures.any(axis=1))
    after_ssw25 = start > _PARTNER_STEP_AFTER
    true_helpful = round(float(np.clip(0.86 + rng.normal(0, 0.02), 0, 1)), 3)
    true_key = round(float(np.clip(0.64 + 0.06 * after_ssw25 + rng.normal(0, 0.02), 0, 1)), 3)
    true_intends = round(float(np.clip(0.30 + rng.normal(0, 0.02), 0, 1)), 3)
    camp_factor = 1.3 if in_month else 1.0
    n_resp = int(np.clip(round(rng.normal(34 * trend * camp_factor, 6)), 20, 60))
    wts = _RESPONSE_WEIGHT[group[frame]]
    chosen = rng.choice(frame, size=min(n_resp, frame.size), replace=False, p=wts / wts.sum())
    responses = []
    for p_i in chosen:
        g = group[p_i]
        if g == 0:
            rtype = "Parent or carer" if rng.random() < 0.97 else "Other"
        elif g == 1:
            rtype = "Professional"
        else:
            rtype = "Parent or carer" if rng.random() < 0.8 else "Other"
        if district[p_i] >= 0:
            dist_ans = _DISTRICTS[district[p_i]][1] if rng.random() >= 0.05 else "Prefer not to say"
        else:
            dist_ans = "Outside Norfolk" if rng.random() >= 0.1 else "Prefer not to say"
        where = "".join(opt + ";" for opt, e in zip(_WHERE_OPTIONS, exposures[p_i], strict=True) if e)
        helpful = "Yes" if rng.random() < true_helpful else ("No" if rng.random() < 0.4 else "Not sure")
        if rng.random() < true_key:
            sel = [True, True, True, bool(rng.random() < 0.6), False]
        else:
            sel = [bool(rng.random() < 0.6) for _ in range(3)] + [
                bool(rng.random() < 0.5),
                bool(rng.random() < 0.35),
            ]
            if all(sel[:3]) and not sel[4]:
                sel[int(rng.integers(0, 3))] = False
            if not any(sel):
                sel[int(rng.integers(0, 3))] = True
        key = "".join(opt + ";" for opt, s in zip(_KEY_OPTIONS, sel, strict=True) if s)
        if rng.random() < true_intends:
            intends = _INTENDS_YES
        else:
            u = rng.random()
            intends = "No, I already do this" if u < 0.6 else ("No" if u < 0.75 else "Not sure")
        comment = ""
        if rng.random() < 0.12:
            comment = _BENIGN_FORM_COMMENTS[int(rng.integers(0, len(_BENIGN_FORM_COMMENTS)))]
        t0 = dt.datetime(y, m, 1) + dt.timedelta(
            days=int(rng.integers(0, days)), seconds=int(rng.integers(7 * 3600, 23 * 3600))
        )
        t1 = t0 + dt.timedelta(seconds=int(rng.integers(60, 480)))
        responses.append(
            {
                "start": t0,
                "end": t1,
                "type": rtype,
                "district": dist_ans,
                "where": where,
                "helpful": helpful,
                "key": key,
                "intends": intends,
                "comment": comment,
                "group": int(g),
            }
        )
    responses.sort(key=lambda r: r["start"])
    feedback_truth = {
        "true_helpful_rate": true_helpful,
        "true_key_messages_rate": true_key,
        "true_intends_change_rate": true_intends,
        "responses": len(responses),
        "frame_size": int(frame.size),
        "respondents_by_group": {
            gname: sum(1 for r in responses if r["group"] == gi) for gi, gname in enumerate(_GROUPS)
        },
    }

    # page-feedback widget: drawn from web sessions (all visitors, consent irrelevant)
    n_pf = int(np.clip(round(0.05 * ns), 30, 120)) if ns else 0
    pf_idx = np.sort(rng.choice(ns, size=min(n_pf, ns), replace=False)) if ns else np.zeros(0, int)
    page_feedback = []
    for i in pf_idx:
        t = dt.datetime(y, m, 1) + dt.timedelta(
            days=int(w_day[i]), seconds=int(rng.integers(6 * 3600, 86400))
        )
        helpful = "Yes" if rng.random() < 0.78 else "No"
        comment = ""
        if rng.random() < 0.1:
            comment = _BENIGN_PAGE_COMMENTS[int(rng.integers(0, len(_BENIGN_PAGE_COMMENTS)))]
        page_feedback.append({"time": t, "path": w_path[i], "helpful": helpful, "comment": comment})
    page_feedback.sort(key=lambda r: (r["time"], r["path"]))

    # --- partner indicator ------------------------------------------------------------
    partner = []
    step = _PARTNER_STEP_PP / 100 if after_ssw25 else 0.0
    for d, (code, name, _, _) in enumerate(_DISTRICTS):
        b = int(births_by_district[d])
        denom = b - int(rng.binomial(b, 0.03)) + int(rng.poisson(1.5))
        p = float(np.clip(_PARTNER_BASE[d] + _PARTNER_TREND_PP / 100 * k + step, 0, 1))
        numer = int(rng.binomial(denom, p))
        partner.append((code, name, numer, denom))

    # --- other GA4 pages (not part of the simulated audience) -------------------------
    tracked_web = int((web_reached & consent).sum())
    other_rows = []
    for path, share in _OTHER_PAGES:
        users = int(max(1, min(tracked_web, round(tracked_web * share * rng.uniform(0.8, 1.2)))))
        other_rows.append(_synthetic_page_row(rng, path, users))
    if rng.random() < 0.35:
        other_rows.append(_synthetic_page_row(rng, "", int(rng.integers(1, 5))))

    return _Month(
        ym=_ym(y, m),
        start=start,
        end=end,
        days=days,
        consent_rate=consent_rate,
        group=group,
        district=district,
        town=town,
        consent=consent,
        new_user=new_user,
        leaflet=leaflet,
        hv=hv,
        other=other,
        w_person=w_person,
        w_asset=w_asset,
        w_day=w_day,
        w_extra=w_extra,
        w_path=w_path,
        w_views=w_views,
        w_engaged=w_engaged,
        w_eng=w_eng,
        w_events=w_events,
        w_dur=w_dur,
        w_source=w_source,
        v_person=v_person,
        v_asset=v_asset,
        v_day=v_day,
        v_extra=v_extra,
        v_watch=v_watch,
        posts=posts,
        post_reached=post_reached,
        responses=responses,
        feedback_truth=feedback_truth,
        page_feedback=page_feedback,
        partner=partner,
        births_by_district=births_by_district,
        other_rows=other_rows,
        variant_month=variant_month,
        meta_file_id=int(rng.integers(10**14, 10**16)),
        yt_extra=yt_extra,
    )


def _dow(start: dt.date, days: int) -> np.ndarray:
    return np.array([_DOW[(start + dt.timedelta(days=d)).weekday()] for d in range(days)])


def _synthetic_page_row(rng, path: str, users: int) -> list:
    views = int(round(users * rng.uniform(1.1, 1.8)))
    sessions = max(1, int(round(users * rng.uniform(1.05, 1.3))))
    engaged = int(round(sessions * rng.uniform(0.45, 0.7)))
    er = engaged / sessions
    return [
        path,
        views,
        users,
        views / users,
        float(users * rng.uniform(20, 70)) / users,
        int(round(views * rng.uniform(2.3, 3.1))),
        0,
        0,
        er,
        1 - er,
        users,
        sessions,
        float(rng.uniform(40, 160)),
    ]


# ---------------------------------------------------------------------------------------
# Rendering the exports
# ---------------------------------------------------------------------------------------


def _first_visit_events(mo: _Month, sel: np.ndarray) -> np.ndarray:
    """One extra ``first_visit`` event on each new user's first tracked session."""
    extra = np.zeros(mo.w_person.size, int)
    idx = np.flatnonzero(sel)
    if idx.size == 0:
        return extra
    order = idx[np.lexsort((idx, mo.w_day[idx], mo.w_person[idx]))]
    _, first = np.unique(mo.w_person[order], return_index=True)
    for i in order[first]:
        if mo.new_user[mo.w_person[i]]:
            extra[i] = 1
    return extra


def _render_ga4(mo: _Month) -> dict[str, bytes]:
    tracked = mo.consent[mo.w_person] if mo.w_person.size else np.zeros(0, bool)
    fv = _first_visit_events(mo, tracked)
    events = mo.w_events + fv
    idx = np.flatnonzero(tracked)

    # Pages and screens
    rows = []
    for path in sorted({mo.w_path[i] for i in idx}):
        s = [i for i in idx if mo.w_path[i] == path]
        views = int(mo.w_views[s].sum())
        users = len({int(mo.w_person[i]) for i in s})
        sessions = len(s)
        engaged = int(mo.w_engaged[s].sum())
        er = engaged / sessions
        rows.append(
            [
                path,
                views,
                users,
                views / users,
                float(mo.w_eng[s].sum()) / users,
                int(events[s].sum()),
                0,
                0,
                er,
                1 - er,
                users,
                sessions,
                float(mo.w_dur[s].sum()) / sessions,
            ]
        )
    rows += [list(r) for r in mo.other_rows]
    rows = _sorted_desc(rows, 1)
    files = {
        _PAGES_FILE: _ga4_bytes(
            _PAGES_TITLE,
            mo.start,
            mo.end,
            _PAGES_HEADER,
            [[_num(v) if not isinstance(v, str) else v for v in r] for r in rows],
        )
    }

    # Daily (Date as the primary dimension, only the registry's canonical asset paths)
    daily = []
    for j, a in enumerate(_WEB):
        for d in range(mo.days):
            day = mo.start + dt.timedelta(days=d)
            if day < a.launch:
                continue
            s = [i for i in idx if mo.w_asset[i] == j and mo.w_day[i] == d and mo.w_path[i] == a.path]
            users = len({int(mo.w_person[i]) for i in s})
            eng = float(mo.w_eng[s].sum()) / users if users else 0
            daily.append(
                [f"{day:%Y%m%d}", a.path, int(mo.w_views[s].sum()), users, int(events[s].sum()), eng]
            )
    daily = _sorted_desc(daily, 2)
    files[_DAILY_FILE] = _ga4_bytes(
        _PAGES_TITLE,
        mo.start,
        mo.end,
        _DAILY_HEADER,
        [[r[0], r[1]] + [_num(v) for v in r[2:]] for r in daily],
    )

    # Town/City over the asset pages' tracked users
    city = []
    for town in sorted({mo.town[mo.w_person[i]] for i in idx}):
        s = [i for i in idx if mo.town[mo.w_person[i]] == town]
        people = {int(mo.w_person[i]) for i in s}
        users = len(people)
        new = sum(1 for p in people if mo.new_user[p])
        engaged = int(mo.w_engaged[s].sum())
        city.append(
            [
                town,
                users,
                new,
                engaged,
                engaged / len(s),
                engaged / users,
                float(mo.w_eng[s].sum()) / users,
                int(events[s].sum()),
                0,
                0,
            ]
        )
    city = _sorted_desc(city, 1)
    files[_CITY_FILE] = _ga4_bytes(
        "Demographic details: Country",
        mo.start,
        mo.end,
        _CITY_HEADER,
        [[r[0]] + [_num(v) for v in r[1:]] for r in city],
    )

    # Traffic acquisition over the asset pages' tracked sessions
    traffic = []
    for src in sorted({mo.w_source[i] for i in idx}):
        s = [i for i in idx if mo.w_source[i] == src]
        sessions = len(s)
        engaged = int(mo.w_engaged[s].sum())
        ev = int(events[s].sum())
        traffic.append(
            [
                src[0],
                src[1],
                sessions,
                engaged,
                engaged / sessions,
                float(mo.w_eng[s].sum()) / sessions,
                ev / sessions,
                ev,
                0,
                0,
            ]
        )
    traffic = _sorted_desc(traffic, 2)
    files[_TRAFFIC_FILE] = _ga4_bytes(
        "Traffic acquisition: Session primary channel group (Default Channel Group)",
        mo.start,
        mo.end,
        _TRAFFIC_HEADER,
        [[r[0], r[1]] + [_num(v) for v in r[2:]] for r in traffic],
    )
    return files


def _yt_id(vid: str) -> str:
    return " " + vid if vid.startswith("-") else vid


def _publish(d: dt.date) -> str:
    return f"{d:%b} {d.day}, {d.year}"


def _render_youtube(mo: _Month) -> dict[str, bytes]:
    live = [j for j, a in enumerate(_VIDEO) if a.launch <= mo.end]
    new_header = mo.ym >= _YT_NEW_FROM
    ex = mo.yt_extra
    stats = []
    for j in live:
        a = _VIDEO[j]
        s = mo.v_asset == j
        views = int(s.sum())
        viewers = len(set(mo.v_person[s].tolist()))
        watch = float(mo.v_watch[s].sum())
        clicks = int(ex["impr_click"][s].sum())
        impressions = int(round(clicks / ex["ctr"][j])) if clicks else int(round(3 / ex["ctr"][j]))
        subs = int(ex["subs_gained"][s].sum()) - int(ex["subs_lost"][j])
        stats.append(
            {
                "a": a,
                "views": views,
                "viewers": viewers,
                "watch": watch,
                "clicks": clicks,
                "impr": impressions,
                "subs": subs,
                "pct": float(np.mean(mo.v_watch[s] / a.duration)) * 100 if views else 0.0,
            }
        )
    stats.sort(key=lambda r: (-r["views"], r["a"].video_ids[0]))

    def row(label, title, publish, duration, st):
        base = [label, title, publish, duration]
        views = st["views"]
        tail = [
            str(views),
            _dec(st["watch"] / 3600, 4),
            str(st["subs"]),
            str(st["impr"]),
            _dec(100 * st["clicks"] / st["impr"], 2) if st["impr"] else "",
        ]
        if not new_header:
            return base + tail
        aud = [
            str(st["viewers"]),
            _dec(views / st["viewers"], 2) if st["viewers"] else "0",
            _hms(st["watch"] / views) if views else "0:00:00",
            _dec(st["pct"], 2),
        ]
        return base + aud + tail

    all_views = int(sum(r["views"] for r in stats))
    in_live = np.isin(mo.v_asset, live)
    total = {
        "views": all_views,
        "viewers": len(set(mo.v_person[in_live].tolist())),
        "watch": float(sum(r["watch"] for r in stats)),
        "clicks": int(sum(r["clicks"] for r in stats)),
        "impr": int(sum(r["impr"] for r in stats)),
        "subs": int(sum(r["subs"] for r in stats)),
        "pct": (
            float(np.mean(mo.v_watch[in_live] / np.array([_VIDEO[a].duration for a in mo.v_asset[in_live]])))
            * 100
            if all_views
            else 0.0
        ),
    }
    table = [list(_YT_HEADER_NEW if new_header else _YT_HEADER_OLD), row("Total", "", "", "", total)]
    for st in stats:
        a = st["a"]
        table.append(row(_yt_id(a.video_ids[0]), a.video_title, _publish(a.launch), str(a.duration), st))

    chart = [["Date", "Content", "Video title", "Video publish time", "Duration", "Views"]]
    per_day = np.zeros(mo.days, int)
    for j in sorted(live, key=lambda j: _VIDEO[j].video_ids[0]):
        a = _VIDEO[j]
        counts = np.bincount(mo.v_day[mo.v_asset == j], minlength=mo.days)
        per_day += counts
        for d in range(mo.days):
            chart.append(
                [
                    f"{mo.start + dt.timedelta(days=d):%Y-%m-%d}",
                    _yt_id(a.video_ids[0]),
                    a.video_title,
                    _publish(a.launch),
                    str(a.duration),
                    str(int(counts[d])),
                ]
            )
    totals = [["Date", "Views"]] + [
        [f"{mo.start + dt.timedelta(days=d):%Y-%m-%d}", str(int(per_day[d]))] for d in range(mo.days)
    ]
    return {"Table data.csv": _lf_csv(table), "Chart data.csv": _lf_csv(chart), "Totals.csv": _lf_csv(totals)}


def _meta_name(mo: _Month) -> str:
    return f"{mo.start:%b-%d-%Y}_{mo.end:%b-%d-%Y}_{mo.meta_file_id}.csv"


def _render_meta(mo: _Month) -> bytes:
    rows = [list(_META_HEADER)]
    for p in sorted(mo.posts, key=lambda p: (p["time"], p["post_id"]), reverse=True):
        video = p["duration"] is not None
        rcs = p["reactions"] + p["comments"] + p["shares"]
        link = p["link_clicks"]
        total_clicks = p["other_clicks"] + (link or 0)
        rows.append(
            [
                p["post_id"],
                _PAGE_ID,
                _PAGE_NAME,
                "",
                p["text"],
                str(p["duration"]) if video else "",
                f"{p['time']:%m/%d/%Y %H:%M}",
                "",
                f"https://www.facebook.com/{_PAGE_ID}/posts/{p['post_id']}",
                "No",
                "No",
                p["type"],
                "",
                "",
                "",
                "",
                "Lifetime",
                str(p["views"]),
                str(p["reach"]),
                str(rcs),
                str(p["reactions"]),
                str(p["comments"]),
                str(p["shares"]),
                str(total_clicks),
                "" if link is None else str(link),
                str(p["other_clicks"]),
                str(p["seconds"]) if video else "",
                (_dec(p["seconds"] / p["v3"], 2) if p["v3"] else "0") if video else "",
                str(p["v3"]) if video else "",
                str(p["v60"]) if video else "",
            ]
        )
    return b"\xef\xbb\xbf" + _lf_csv(rows)


def _forms_time(t: dt.datetime) -> str:
    return f"{t.month}/{t.day}/{t.year % 100:02d} {t.hour}:{t.minute:02d}:{t.second:02d}"


def _render_forms(mo: _Month, comments: dict[int, str]) -> bytes:
    rows = [list(_FORM_HEADER)]
    for i, r in enumerate(mo.responses, start=1):
        rows.append(
            [
                str(i),
                _forms_time(r["start"]),
                _forms_time(r["end"]),
                "anonymous",
                "",
                "",
                r["type"],
                r["district"],
                r["where"],
                r["helpful"],
                r["key"],
                r["intends"],
                comments.get(i, r["comment"]),
            ]
        )
    return b"\xef\xbb\xbf" + _csv_text(rows, "\r\n").encode("utf-8")


def _render_page_feedback(mo: _Month, comments: dict[int, str]) -> bytes:
    rows = [list(_PF_HEADER)]
    for i, r in enumerate(mo.page_feedback, start=1):
        rows.append(
            [f"{r['time']:%Y-%m-%d %H:%M:%S}", _SITE + r["path"], r["helpful"], comments.get(i, r["comment"])]
        )
    return _lf_csv(rows)


def _render_partner(mo: _Month) -> bytes:
    rows = [list(_PARTNER_HEADER)]
    rows += [[mo.ym, _PARTNER_INDICATOR, code, name, str(nu), str(de)] for code, name, nu, de in mo.partner]
    return _lf_csv(rows)


# ---------------------------------------------------------------------------------------
# Ground truth
# ---------------------------------------------------------------------------------------


def _month_truth(mo: _Month) -> dict:
    n = mo.group.size
    web = np.zeros(n, bool)
    web[mo.w_person] = True
    video = np.zeros(n, bool)
    video[mo.v_person] = True
    social = mo.post_reached.any(axis=0)
    combined = web | video | social
    norfolk = mo.group < 2
    newborn = mo.group == 0

    def counts(mask):
        return {
            "web": int((web & mask).sum()),
            "video": int((video & mask).sum()),
            "social": int((social & mask).sum()),
            "combined": int((combined & mask).sum()),
            "web_tracked": int((web & mo.consent & mask).sum()),
        }

    everyone = np.ones(n, bool)
    nb = counts(newborn)
    del nb["web_tracked"]
    tracked_sessions = mo.consent[mo.w_person]
    by_asset = {}
    for j, a in enumerate(_WEB):
        s = mo.w_asset == j
        by_asset[a.asset_id] = {
            "people": len(set(mo.w_person[s].tolist())),
            "people_tracked": len(set(mo.w_person[s & tracked_sessions].tolist())),
            "views": int(mo.w_views[s].sum()),
            "views_tracked": int(mo.w_views[s & tracked_sessions].sum()),
        }
    for j, a in enumerate(_VIDEO):
        s = mo.v_asset == j
        if a.launch <= mo.end:
            by_asset[a.asset_id] = {"people": len(set(mo.v_person[s].tolist())), "views": int(s.sum())}
    for aid in sorted({p["asset_id"] for p in mo.posts}):
        rows = [k for k, p in enumerate(mo.posts) if p["asset_id"] == aid]
        by_asset[aid] = {"people": int(mo.post_reached[rows].any(axis=0).sum()), "posts": len(rows)}
    by_district = {}
    for d, (code, _, _, _) in enumerate(_DISTRICTS):
        mask = newborn & (mo.district == d)
        by_district[code] = {
            "births": int(mo.births_by_district[d]),
            "families_reached": int((combined & mask).sum()),
        }
    return {
        "births": int(newborn.sum()),
        "consent_rate": mo.consent_rate,
        "consent_share_realised": round(float(mo.consent.mean()), 4),
        "population": {g: int((mo.group == i).sum()) for i, g in enumerate(_GROUPS)},
        "reach": counts(everyone),
        "reach_norfolk": counts(norfolk),
        "newborn_families_reached": nb,
        "overlaps": {
            "web&video": int((web & video).sum()),
            "web&social": int((web & social).sum()),
            "video&social": int((video & social).sum()),
            "web&video&social": int((web & video & social).sum()),
        },
        "norfolk_share_web": round(float((web & norfolk).sum() / web.sum()), 4) if web.any() else None,
        "by_district": by_district,
        "by_asset": by_asset,
        "volumes": {
            "web_sessions": int(mo.w_person.size),
            "web_sessions_tracked": int(tracked_sessions.sum()),
            "web_views": int(mo.w_views.sum()),
            "web_views_tracked": int(mo.w_views[tracked_sessions].sum()),
            "video_views": int(mo.v_person.size),
            "social_posts": len(mo.posts),
            "social_post_reach_sum": int(mo.post_reached.sum()),
        },
        "feedback": mo.feedback_truth,
        "partner_indicator": {code: {"numerator": nu, "denominator": de} for code, _, nu, de in mo.partner},
    }


def _campaign_truth(months: list[_Month]) -> list[dict]:
    out = []
    for c in _CAMPAIGNS:
        web_j = [j for j, a in enumerate(_WEB) if c.utm in a.campaign_tags]
        vid_j = [j for j, a in enumerate(_VIDEO) if c.utm in a.campaign_tags]
        acc = {
            "web_base": 0,
            "web_extra": 0,
            "web_base_all": 0,
            "web_extra_all": 0,
            "vid_base": 0,
            "vid_extra": 0,
        }
        seen = False
        for mo in months:
            if not (c.start <= mo.end and c.end >= mo.start):
                continue
            seen = True
            in_days = np.array(
                [c.start <= mo.start + dt.timedelta(days=int(d)) <= c.end for d in mo.w_day], bool
            )
            s = in_days & np.isin(mo.w_asset, web_j)
            tr = mo.consent[mo.w_person] if mo.w_person.size else np.zeros(0, bool)
            acc["web_base"] += int(mo.w_views[s & ~mo.w_extra & tr].sum())
            acc["web_extra"] += int(mo.w_views[s & mo.w_extra & tr].sum())
            acc["web_base_all"] += int(mo.w_views[s & ~mo.w_extra].sum())
            acc["web_extra_all"] += int(mo.w_views[s & mo.w_extra].sum())
            v_days = np.array(
                [c.start <= mo.start + dt.timedelta(days=int(d)) <= c.end for d in mo.v_day], bool
            )
            sv = v_days & np.isin(mo.v_asset, vid_j)
            acc["vid_base"] += int((sv & ~mo.v_extra).sum())
            acc["vid_extra"] += int((sv & mo.v_extra).sum())
        if not seen:
            continue

        def rel(extra, base):
            return round(extra / base, 4) if base else None

        out.append(
            {
                "campaign_id": c.campaign_id,
                "utm_campaign": c.utm,
                "start": c.start.isoformat(),
                "end": c.end.isoformat(),
                "assets": list(c.assets),
                "web_assets_paths": [_WEB[j].path for j in web_j],
                "video_ids": [_VIDEO[j].video_ids[0] for j in vid_j],
                "planted_web_uplift": c.web_uplift,
                "planted_video_uplift": c.video_uplift,
                "true_rel_effect_web_daily_views": rel(acc["web_extra"], acc["web_base"]),
                "true_rel_effect_web_daily_views_all_visitors": rel(
                    acc["web_extra_all"], acc["web_base_all"]
                ),
                "true_rel_effect_video_daily_views": rel(acc["vid_extra"], acc["vid_base"]),
                "expected_rel_effect_web": round(c.web_uplift - 1, 4),
                "campaign_days_web_views_tracked": acc["web_base"] + acc["web_extra"],
                "counterfactual_web_views_tracked": acc["web_base"],
            }
        )
    return out


# ---------------------------------------------------------------------------------------
# Reference tables and README
# ---------------------------------------------------------------------------------------


def _assets_csv(post_ids: dict[str, list[str]]) -> bytes:
    rows = [list(REGISTRY_COLUMNS)]
    for a in _ASSETS:
        rows.append(
            [
                a.asset_id,
                a.title,
                a.theme,
                a.type,
                a.launch.isoformat(),
                ";".join(a.url_paths),
                ";".join(a.video_ids),
                ";".join(post_ids.get(a.asset_id, [])),
                ";".join(a.campaign_tags),
            ]
        )
    return _lf_csv(rows)


def _campaigns_csv(first: dt.date, last: dt.date) -> bytes:
    rows = [["campaign_id", "name", "start", "end", "channels", "utm_campaign", "description"]]
    for c in _CAMPAIGNS:
        if c.start <= last and c.end >= first:
            rows.append(
                [
                    c.campaign_id,
                    c.name,
                    c.start.isoformat(),
                    c.end.isoformat(),
                    "web;video;social",
                    c.utm,
                    c.description,
                ]
            )
    return _lf_csv(rows)


def _births_csv() -> bytes:
    rows = [["year", "area_code", "area_name", "live_births", "status", "source"]]
    rows.append(
        ["2019", _COUNTY_CODE, "Norfolk", "8083", "published", "Norfolk Insight JSNA (Nomis lebirthsla)"]
    )
    for year in (2023, 2024, 2025, 2026):
        if year <= 2024:
            rows.append(
                [
                    str(year),
                    _COUNTY_CODE,
                    "Norfolk",
                    str(_COUNTY_BIRTHS),
                    "published",
                    'Norfolk Insight JSNA (Nomis lebirthrates): "around 7,200"',
                ]
            )
        else:
            rows.append(
                [
                    str(year),
                    _COUNTY_CODE,
                    "Norfolk",
                    str(_COUNTY_BIRTHS),
                    "illustrative",
                    "assumed flat at the 2024 figure (around 7,200)",
                ]
            )
        for code, name, births, _ in _DISTRICTS:
            rows.append(
                [str(year), code, name, str(births), "illustrative", "illustrative split, not published"]
            )
    return _lf_csv(rows)


_README = """# SYNTHETIC SAMPLE DATA — not real figures

Every number in this folder was made up by `reach.sample` (seed {seed}, {months} months ending
{end_month}). No real person, page, video or post is described. It exists so the pipeline, the
report and the estimators can be run and checked end to end.

Regenerate with `reach sample --out DIR --seed {seed}` or
`reach.sample.write_sample(DIR, seed={seed}, end_month="{end_month}", months={months})`;
the same arguments give byte-identical files.

## How it was made

An individual-level simulation, month by month:

* **People.** Families with a newborn in Norfolk (county births / 12, split by district),
  {n_pro} Norfolk professionals and {n_out} visitors from outside Norfolk. Each person has a
  latent engagement score that raises their chance of being reached on *every* channel, so
  web, YouTube and Facebook audiences are positively dependent: deduplication that assumes
  independence (random duplication, two-list capture–recapture) is **biased low**.
* **Web.** Visits to the asset pages are drawn per person and day (trend ×1.012 a month,
  ±8% seasonality peaking in January, weekday > weekend). Each person accepts analytics
  cookies with the month's consent rate (0.55–0.80); GA4 files count only consenting
  people. Town/City imitates IP geolocation (about a quarter of Norfolk users show as
  Norwich; a few `(not set)`). The Town/City and Traffic acquisition files cover the asset
  pages only; the other site pages in the Pages file (`/`, `/feeding/`, …) are filler.
  The daily file (`… (1).csv`) lists the registry's canonical asset paths only, so visits
  to the no-slash variant `/baby-sleep/safer-sleep` appear only in the monthly Pages file.
* **YouTube.** Viewers watch 1–3 times a month; `Unique viewers` on the Total row is the
  true number of distinct viewers. Months before {yt_new} use the older default column set
  (no audience columns).
* **Facebook.** 3–8 posts a month (more in campaign months); a post's Reach is the number
  of distinct people it reached; values are lifetime as of month end.
* **Campaigns.** On campaign days the campaign's web pages and videos get a planted
  multiplicative uplift. The baseline draws are the no-campaign counterfactual, so the true
  effect is known (`ground_truth.json` → `campaigns`). Campaigns also add posts.
* **Feedback form.** Respondents are a random sample of people with *any* exposure (web,
  video, social, leaflet, health visitor or midwife, other), weighted by group only
  (newborn families 1, professionals 0.5, outside Norfolk 0.08). “Where did you see …”
  answers are their true exposures. Answers are drawn with planted true rates. The form is
  reset every month, so IDs run 1…n. A few free-text comments carry planted synthetic
  personal data (example.com e-mails, Ofcom drama phone numbers, postcodes, names, an
  NHS-number-like string), HTML and spreadsheet-formula prefixes, to test redaction.
* **Partner indicator.** Per district: new-birth visits (≈ births) and how many had a
  safer-sleep assessment; the proportion has a planted step of +{step} percentage points
  from the first month after Safer Sleep Week 2025, on top of a small trend.
* **Births.** County figures for 2019 (8,083) and 2023–2024 (around 7,200) are published
  (Norfolk Insight JSNA); 2025–2026 are assumed flat. **District births are illustrative**
  — no published district counts were available — and only sum to the county figure.

## ground_truth.json (never read by the pipeline)

Per month (`months.<YYYY-MM>`):

* `births` – newborn families simulated that month; `population` – people per group.
* `consent_rate` – planted analytics consent rate; `consent_share_realised` – its sample value.
* `reach` – distinct people (all groups) reached per channel, `combined` = web ∪ video ∪
  social; `web_tracked` = web-reached people who consented (what GA4 can see).
* `reach_norfolk` – the same for Norfolk residents (newborn families + professionals).
* `newborn_families_reached` – the same for newborn families only.
* `overlaps` – distinct people in each channel intersection.
* `norfolk_share_web` – share of web-reached people living in Norfolk.
* `by_district` – births and newborn families reached (combined) per ONS district code.
* `by_asset` – distinct people (and views) per asset.
* `volumes` – sessions, views (all and tracked), video views, posts, sum of post reach.
* `feedback` – planted true rates: `true_helpful_rate` (P answer “Yes”),
  `true_key_messages_rate` (P ticking all three key messages — on their back; clear, flat
  cot; own sleep space — and not the distractor “Swaddled with a loose blanket”),
  `true_intends_change_rate` (P “{intends}”), `responses`, `frame_size` (people eligible),
  `respondents_by_group`.
* `partner_indicator` – numerator and denominator per district.

Top level: `campaigns` (planted uplifts; `true_rel_effect_web_daily_views` = tracked views of
the campaign's web pages on campaign days ÷ the counterfactual − 1, from the same random
draws; the `_all_visitors` and `video` variants likewise; `expected_rel_effect_web` = uplift −
1), `partner_indicator_step` (the planted step), `planted_comments` (where each planted
free-text comment is), `parameters` (the simulation settings).
"""


# ---------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------


def generate_sample(
    seed: int = _DEFAULT_SEED, end_month: str = SAMPLE_MONTH, months: int = _DEFAULT_MONTHS
) -> dict[str, bytes]:
    """Build the synthetic sample in memory.

    Parameters
    ----------
    seed : int, default 2026
        Non-negative seed for :func:`numpy.random.default_rng`. The same arguments always
        give byte-identical files.
    end_month : str, default ``SAMPLE_MONTH``
        Last month folder, ``YYYY-MM``.
    months : int, default 24
        Number of monthly folders, ending with ``end_month``.

    Returns
    -------
    dict of str to bytes
        Relative POSIX path (e.g. ``raw/2026-10/youtube/Totals.csv``) to the file's exact bytes,
        in sorted path order: ``README.md``, ``ground_truth.json``, ``reference/*.csv`` and
        ``raw/<YYYY-MM>/{ga4,youtube,meta,feedback,partners}/…``.

    Raises
    ------
    ReachError
        If ``seed`` is not a non-negative integer, ``end_month`` is not ``YYYY-MM`` or
        ``months`` is not a positive integer.

    Examples
    --------
    >>> files = generate_sample(seed=1, end_month="2026-10", months=1)
    >>> "raw/2026-10/youtube/Totals.csv" in files
    True
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ReachError(f"seed must be a non-negative integer, got {seed!r}")
    if isinstance(months, bool) or not isinstance(months, (int, np.integer)) or months < 1:
        raise ReachError(f"months must be a positive integer, got {months!r}")
    seed, months = int(seed), int(months)
    ey, em = _parse_month(end_month, "end_month")
    month_list = [_shift_month(ey, em, k - months + 1) for k in range(months)]
    sims = [_simulate_month(seed, y, m) for y, m in month_list]

    # planted free-text comments, spread over the months
    prng = np.random.default_rng([seed, 0, 0, 1])
    n_m = len(sims)
    planted = []
    form_comments: dict[int, dict[int, str]] = {k: {} for k in range(n_m)}
    page_comments: dict[int, dict[int, str]] = {k: {} for k in range(n_m)}
    slots = (
        prng.permutation(n_m)
        if n_m >= len(_PLANTED_FORM_COMMENTS)
        else prng.integers(0, n_m, len(_PLANTED_FORM_COMMENTS))
    )
    for (kind, text), k in zip(_PLANTED_FORM_COMMENTS, slots, strict=False):
        k = int(k)
        free = [i for i in range(1, len(sims[k].responses) + 1) if i not in form_comments[k]]
        rid = int(free[int(prng.integers(0, len(free)))])
        form_comments[k][rid] = text
        planted.append(
            {
                "month": sims[k].ym,
                "file": "feedback/" + _forms_name(sims[k]),
                "id": rid,
                "kind": kind,
                "text": text,
            }
        )
    for kind, text in _PLANTED_PAGE_COMMENTS:
        k = int(prng.integers(0, n_m))
        free = [i for i in range(1, len(sims[k].page_feedback) + 1) if i not in page_comments[k]]
        if not free:
            continue
        row = int(free[int(prng.integers(0, len(free)))])
        page_comments[k][row] = text
        planted.append(
            {
                "month": sims[k].ym,
                "file": f"feedback/page-feedback-{sims[k].ym}.csv",
                "row": row,
                "kind": kind,
                "text": text,
            }
        )

    files: dict[str, bytes] = {}
    post_ids: dict[str, list[str]] = {}
    for k, mo in enumerate(sims):
        base = f"raw/{mo.ym}"
        for name, data in _render_ga4(mo).items():
            files[f"{base}/ga4/{name}"] = data
        for name, data in _render_youtube(mo).items():
            files[f"{base}/youtube/{name}"] = data
        files[f"{base}/meta/{_meta_name(mo)}"] = _render_meta(mo)
        files[f"{base}/feedback/{_forms_name(mo)}"] = _render_forms(mo, form_comments[k])
        files[f"{base}/feedback/page-feedback-{mo.ym}.csv"] = _render_page_feedback(mo, page_comments[k])
        files[f"{base}/partners/outcome_indicators_{mo.ym}.csv"] = _render_partner(mo)
        for p in sorted(mo.posts, key=lambda p: (p["time"], p["post_id"])):
            post_ids.setdefault(p["asset_id"], []).append(p["post_id"])

    files["reference/assets.csv"] = _assets_csv(post_ids)
    files["reference/campaigns.csv"] = _campaigns_csv(sims[0].start, sims[-1].end)
    files["reference/births.csv"] = _births_csv()

    truth = {
        "seed": seed,
        "end_month": end_month,
        "sample_month": end_month,
        "months": {mo.ym: _month_truth(mo) for mo in sims},
        "campaigns": _campaign_truth(sims),
        "partner_indicator_step": {
            "after": _PARTNER_STEP_AFTER.isoformat(),
            "first_month": _ym(*_shift_month(_PARTNER_STEP_AFTER.year, _PARTNER_STEP_AFTER.month, 1)),
            "true_change_pp": _PARTNER_STEP_PP,
            "trend_pp_per_month": _PARTNER_TREND_PP,
            "baseline_proportion_2024_01": {
                d[0]: float(b) for d, b in zip(_DISTRICTS, _PARTNER_BASE, strict=True)
            },
            "indicator": _PARTNER_INDICATOR,
        },
        "planted_comments": planted,
        "parameters": {
            "groups": list(_GROUPS),
            "population_professionals": _N_PROFESSIONALS,
            "population_outside_norfolk": _N_OUTSIDE,
            "latent_loadings": dict(_LOADING),
            "monthly_rates_by_group": {c: [float(v) for v in r] for c, r in _RATE.items()},
            "day_of_week_multipliers_mon_to_sun": [float(v) for v in _DOW],
            "monthly_growth": _MONTHLY_GROWTH,
            "seasonal_amplitude_peak_january": _SEASONAL_AMPLITUDE,
            "consent_rate_range": list(_CONSENT_RANGE),
            "video_views_cap_per_person": _VIDEO_CAP,
            "feedback_response_weight_by_group": [float(v) for v in _RESPONSE_WEIGHT],
            "leaflet_probability_by_group": [float(v) for v in _LEAFLET_P],
            "health_visitor_probability_by_group": [float(v) for v in _HV_P],
        },
    }
    files["ground_truth.json"] = (
        json.dumps(truth, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    ).encode()
    files["README.md"] = _README.format(
        seed=seed,
        months=months,
        end_month=end_month,
        n_pro=_N_PROFESSIONALS,
        n_out=_N_OUTSIDE,
        yt_new=_YT_NEW_FROM,
        step=_PARTNER_STEP_PP,
        intends=_INTENDS_YES,
    ).encode("utf-8")
    return dict(sorted(files.items()))


def _forms_name(mo: _Month) -> str:
    return f"{_FORM_TITLE}(1-{len(mo.responses)}).csv"


def write_sample(
    out_dir,
    seed: int = _DEFAULT_SEED,
    end_month: str = SAMPLE_MONTH,
    months: int = _DEFAULT_MONTHS,
    overwrite: bool = False,
) -> Path:
    """Write the synthetic sample to a folder, atomically.

    The files are written to a temporary sibling folder that is renamed into place, so a
    failure leaves ``out_dir`` as it was.

    Parameters
    ----------
    out_dir : str or os.PathLike
        Destination folder; created (with parents) if missing.
    seed : int, default 2026
        Random seed (see :func:`generate_sample`).
    end_month : str, default ``SAMPLE_MONTH``
        Last month folder, ``YYYY-MM``.
    months : int, default 24
        Number of monthly folders.
    overwrite : bool, default False
        Replace an existing non-empty ``out_dir``. Without it such a folder is refused.

    Returns
    -------
    pathlib.Path
        ``out_dir``.

    Raises
    ------
    ReachError
        If ``out_dir`` is a file, or a non-empty folder and ``overwrite`` is false, or the
        arguments are invalid.
    """
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise ReachError(f"{out} exists and is not a folder; choose another --out")
    if out.is_dir() and any(out.iterdir()) and not overwrite:
        raise ReachError(
            f"{out} already exists and is not empty; choose an empty folder or pass overwrite=True"
        )
    files = generate_sample(seed=seed, end_month=end_month, months=months)
    parent = out.absolute().parent
    parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=parent))
    old = None
    try:
        for rel, data in files.items():
            target = tmp.joinpath(*rel.split("/"))
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=parent))
            os.replace(out, old / "x")
        try:
            os.replace(tmp, out)
        except OSError:
            if old is not None:
                os.replace(old / "x", out)
            raise
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    logger.info("wrote %d synthetic sample files to %s", len(files), out)
    return out
