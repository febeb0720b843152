"""The synthetic world behind the bundled sample.

Districts, audiences, assets, campaigns and their planted effects.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

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


_INTENDS_YES = "Yes, I will change something"


_RESPONSE_WEIGHT = np.array([1.0, 0.5, 0.08])  # by group, among exposed people


_POST_TYPES = ("Photos", "Videos", "Reels", "Links")


_POST_TYPE_P = np.array([0.40, 0.20, 0.15, 0.25])


_POST_STRENGTH = {"Photos": 1.0, "Videos": 1.2, "Reels": 1.5, "Links": 0.8}
