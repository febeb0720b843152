"""The synthetic world behind the bundled sample.

Districts, audiences, assets, campaigns and their planted effects, and the knobs (:class:`World`)
that make the world break, one at a time or together, the assumptions the estimators rest on.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

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


# Groups: 0 = family with a newborn (Norfolk), 1 = Norfolk professional, 2 = outside Norfolk,
# 3 = Norfolk family whose baby was born before the month (answers the form as a "parent"; how
# many there are is the knob ``World.older_baby_families``, 0 in the estimators' own model).
_GROUPS = ("newborn_family", "professional", "outside_norfolk", "older_baby_family")


_N_PROFESSIONALS = 900


_N_OUTSIDE = 2000


# Latent engagement loadings (log scale) per channel: the shared factor makes channel
# audiences positively dependent.
_LOADING = {"web": 0.8, "video": 0.9, "social": 0.7}


# Expected monthly events per person at trend factor 1 (web sessions, video views) and
# per-post reach intensity (social), by group.
_RATE = {
    "web": np.array([0.55, 0.45, 0.22, 0.20]),
    "video": np.array([0.22, 0.12, 0.08, 0.08]),
    "social": np.array([0.08, 0.04, 0.025, 0.05]),
}


#: Leaflet or QR code (once the leaflet exists): handed out at the new-birth visit and by midwives,
#: so most families with a newborn get one.
_LEAFLET_P = np.array([0.50, 0.25, 0.01, 0.15])


_LEAFLET_WEB_BOOST = 1.4  # leaflet holders visit more (QR code)


_HV_P = np.array([0.85, 0.0, 0.02, 0.30])  # heard it from a health visitor or midwife


_OTHER_P = np.array([0.05, 0.08, 0.03, 0.05])


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
        [0.40, 0.20, 0.25, 0.12, 0.03],
    ]
)


_VIDEO_SHARES = np.array(
    [
        [0.45, 0.30, 0.18, 0.07],
        [0.40, 0.20, 0.30, 0.10],
        [0.40, 0.35, 0.15, 0.10],
        [0.35, 0.25, 0.30, 0.10],
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


_RESPONSE_WEIGHT = np.array([1.0, 0.5, 0.08, 0.8])  # by group, among exposed people


_POST_TYPES = ("Photos", "Videos", "Reels", "Links")


_POST_TYPE_P = np.array([0.40, 0.20, 0.15, 0.25])


_POST_STRENGTH = {"Photos": 1.0, "Videos": 1.2, "Reels": 1.5, "Links": 0.8}


# ---------------------------------------------------------------------------------------
# Knobs: how far the world departs from what the estimators assume
# ---------------------------------------------------------------------------------------

#: The options of "How did you get to this form?", one per exposure the world simulates (web,
#: video, social, leaflet, health visitor or midwife, other), in that order.
HOW_ARRIVED_OPTIONS = (
    "A link on the Just One Norfolk website",
    "A YouTube video",
    "A Facebook or Instagram post",
    "A leaflet or QR code",
    "My health visitor or midwife",
    "Other",
)


#: The exposures a person can have, in the order of :data:`HOW_ARRIVED_OPTIONS` and of the
#: "Where did you see …" options; the first three are the online channels.
EXPOSURES = ("web", "video", "social", "leaflet", "hv", "other")


@dataclass(frozen=True)
class World:
    """The knobs of the synthetic world; the defaults are the bundled sample's world.

    Each group of knobs breaks one assumption of the estimators (docs/methodology.md, "What each
    headline figure identifies"). :data:`MODEL_WORLD` sets every one of them to what the
    estimators assume; the defaults turn on a plausible amount of several, so the shipped
    sample is not the estimators' own model. Whatever the knobs, ``ground_truth.json`` records
    the true values, counted from the simulated people.

    Attributes
    ----------
    online_response_ratio : float
        (a) People reached by an online channel are this many times likelier to answer the
        online feedback form than people reached only offline (1 = response depends on group only).
    extra_channel_response_ratio : float
        (a) Each further online channel a person was reached by multiplies their chance of
        answering by this (1 = the number of channels does not matter).
    recruitment_channel : str or None
        (b) The exposure (one of :data:`EXPOSURES`) the form is mostly promoted through; None =
        respondents come through every route alike.
    recruitment_share : float
        (b) Share of respondents who came through ``recruitment_channel`` (all of them were
        reached by it); they answer "How did you get to this form?" with its option.
    recall_misattribution : float
        (c) Chance that each online channel a respondent saw is ticked as another online
        channel instead ("YouTube video" for the video embedded in the web page).
    recall_previous_month : float
        (c) Chance that a respondent also ticks the online channels they saw in the previous
        month but not in this one.
    older_baby_families : int
        (c) Norfolk families whose baby was born before the month: they answer the form as
        "Parent or carer" but are not families with a newborn (0 = every parent is one).
    spillover : float
        (d) On a campaign's days the pages it did not promote get this fraction of its uplift
        (0 = the control pages are untouched).
    traffic_ar1, traffic_ar1_sd : float
        (e) Each asset's daily traffic is multiplied by ``exp(x_t)``, ``x_t`` an AR(1) process
        with this coefficient and innovation sd (mean one; 0 sd = no such noise).
    burst_rate, burst_multiplier, burst_max_days : float, float, int
        (e) Chance per asset and day that a burst (a share, a news story) starts; it multiplies
        the asset's traffic by about ``burst_multiplier`` for 1 to ``burst_max_days`` days.
    partner_step_shift_months : int
        (f) The partner indicator's step starts this many months after the month the estimator
        puts it in (the first month after the first campaign); negative = earlier.
    multi_device_share : float
        (g) Share of people who use two or three devices, each a separate GA4 user.
    consent_centre, consent_amplitude : float
        (h) The month's analytics consent rate is ``centre + amplitude·sin(2πk/17)`` plus noise.
    consent_range : tuple of float
        (h) ... clipped into this range (the estimators assume 0.45 to 0.85).
    consent_district_sd : float
        (h) Each district's consent rate differs from the month's by a fixed amount, drawn once
        per seed with this sd (centred over the districts; 0 = the same everywhere).
    hv_visit_share, hv_asked_share : float
        Recall return: share of the month's newborn families who had the new-birth visit, and
        share of those visited who were asked the recall question.
    hv_recall_sensitivity, hv_false_recall : float
        Recall return: chance that an asked family recalls an asset channel it was reached by,
        and that it "recalls" one it was not (1 and 0 = recall is exposure).
    latent_loadings : tuple of float
        Within the model: the latent engagement loadings of web, video and social (overlap).
    n_outside : int
        Within the model: people outside Norfolk in the audience.
    response_weights : tuple of float
        Within the model: relative chance of answering, by group (:data:`_GROUPS` order).
    """

    online_response_ratio: float = 2.0
    extra_channel_response_ratio: float = 1.2
    recruitment_channel: str | None = "web"
    recruitment_share: float = 0.4
    recall_misattribution: float = 0.10
    recall_previous_month: float = 0.15
    older_baby_families: int = 500
    spillover: float = 0.0
    traffic_ar1: float = 0.5
    traffic_ar1_sd: float = 0.08
    burst_rate: float = 0.01
    burst_multiplier: float = 2.5
    burst_max_days: int = 3
    partner_step_shift_months: int = 0
    multi_device_share: float = 0.15
    consent_centre: float = 0.675
    consent_amplitude: float = 0.09
    consent_range: tuple[float, float] = _CONSENT_RANGE
    consent_district_sd: float = 0.06
    hv_visit_share: float = 0.95
    hv_asked_share: float = 0.88
    hv_recall_sensitivity: float = 0.90
    hv_false_recall: float = 0.03
    latent_loadings: tuple[float, float, float] = (_LOADING["web"], _LOADING["video"], _LOADING["social"])
    n_outside: int = _N_OUTSIDE
    response_weights: tuple[float, float, float, float] = tuple(float(v) for v in _RESPONSE_WEIGHT)

    def __post_init__(self) -> None:
        if self.recruitment_channel is not None and self.recruitment_channel not in EXPOSURES:
            raise ValueError(f"recruitment_channel must be one of {EXPOSURES} or None")
        shares = (
            self.recruitment_share,
            self.recall_misattribution,
            self.recall_previous_month,
            self.multi_device_share,
            self.hv_visit_share,
            self.hv_asked_share,
            self.hv_recall_sensitivity,
            self.hv_false_recall,
            self.burst_rate,
        )
        if any(not 0 <= float(v) <= 1 for v in shares):
            raise ValueError("shares and chances of the world must lie between 0 and 1")
        if not -1 < self.traffic_ar1 < 1:
            raise ValueError("traffic_ar1 must lie strictly between -1 and 1")


#: The estimators' own model: every assumption holds (response by group only, no recruitment
#: channel, exact recall, every parent a newborn family, untouched controls, Poisson traffic, the
#: partner step where the estimator looks, one device each, one consent rate inside the range,
#: exact recall at the new-birth visit).
MODEL_WORLD = World(
    online_response_ratio=1.0,
    extra_channel_response_ratio=1.0,
    recruitment_channel=None,
    recruitment_share=0.0,
    recall_misattribution=0.0,
    recall_previous_month=0.0,
    older_baby_families=0,
    spillover=0.0,
    traffic_ar1=0.0,
    traffic_ar1_sd=0.0,
    burst_rate=0.0,
    partner_step_shift_months=0,
    multi_device_share=0.0,
    consent_district_sd=0.0,
    hv_recall_sensitivity=1.0,
    hv_false_recall=0.0,
)


#: The bundled sample's world (the defaults of :class:`World`).
DEFAULT_WORLD = World()


#: Scenarios of the coverage simulations: name -> (what it breaks, the world). ``base`` is the
#: estimators' own model; each of the next ones breaks one assumption by a clear but plausible
#: amount; ``default_world`` is the bundled sample's mix; the last ones vary the world within
#: the model.
SCENARIOS: dict[str, tuple[str, World]] = {
    "base": ("nothing: the estimators' own model", MODEL_WORLD),
    "exposure_dependent_response": (
        "survey response depends on exposure: reached online x4, each further channel x1.5",
        replace(MODEL_WORLD, online_response_ratio=4.0, extra_channel_response_ratio=1.5),
    ),
    "channel_recruitment": (
        "the form is promoted through the web page: 80% of respondents came from it",
        replace(MODEL_WORLD, recruitment_channel="web", recruitment_share=0.8),
    ),
    "recall_error": (
        "'where did you see': 25% of channels misattributed, 30% add last month's channels",
        replace(MODEL_WORLD, recall_misattribution=0.25, recall_previous_month=0.30),
    ),
    "parents_not_newborn": (
        "2,500 Norfolk families with an older baby in the audience: about 60% of Norfolk 'parents' answering",
        replace(MODEL_WORLD, older_baby_families=2500),
    ),
    "spillover": (
        "control pages get half of each campaign's uplift",
        replace(MODEL_WORLD, spillover=0.5),
    ),
    "bursty_traffic": (
        "daily traffic per page: AR(1) 0.8 with sd 0.15, and bursts (2% of days, x3, up to 3 days)",
        replace(
            MODEL_WORLD,
            traffic_ar1=0.8,
            traffic_ar1_sd=0.15,
            burst_rate=0.02,
            burst_multiplier=3.0,
            burst_max_days=3,
        ),
    ),
    "mistimed_partner_step": (
        "the partner indicator's step starts 3 months after the month the estimator uses",
        replace(MODEL_WORLD, partner_step_shift_months=3),
    ),
    "multi_device": (
        "40% of people use 2-3 devices, each a GA4 user",
        replace(MODEL_WORLD, multi_device_share=0.4),
    ),
    "consent_by_district": (
        "consent differs by district (sd 0.12), inside the configured range on average",
        replace(MODEL_WORLD, consent_district_sd=0.12),
    ),
    "consent_below_range": (
        "consent 0.33-0.43 (below the configured 0.45-0.85), differing by district (sd 0.06)",
        replace(
            MODEL_WORLD,
            consent_centre=0.38,
            consent_amplitude=0.04,
            consent_range=(0.32, 0.44),
            consent_district_sd=0.06,
        ),
    ),
    "recall_return_error": (
        "new-birth-visit recall: sensitivity 0.75, false recall 0.05 per channel",
        replace(MODEL_WORLD, hv_recall_sensitivity=0.75, hv_false_recall=0.05),
    ),
    "default_world": ("the bundled sample's world: several violations at once", DEFAULT_WORLD),
    "independent_channels": (
        "within the model: channels reach people independently",
        replace(MODEL_WORLD, latent_loadings=(0.0, 0.0, 0.0)),
    ),
    "strong_overlap": (
        "within the model: strong overlap between channels",
        replace(MODEL_WORLD, latent_loadings=(1.4, 1.4, 1.4)),
    ),
    "large_outside_audience": (
        "within the model: 5,000 people outside Norfolk",
        replace(MODEL_WORLD, n_outside=5000),
    ),
    "outsiders_answer_survey": (
        "within the model: outsiders six times likelier to answer",
        replace(MODEL_WORLD, response_weights=(1.0, 0.8, 0.5, 0.8)),
    ),
    "low_consent": (
        "within the model: consent 0.45-0.60",
        replace(MODEL_WORLD, consent_centre=0.525, consent_amplitude=0.06, consent_range=(0.45, 0.60)),
    ),
    "high_consent": (
        "within the model: consent 0.80-0.95",
        replace(MODEL_WORLD, consent_centre=0.875, consent_amplitude=0.06, consent_range=(0.80, 0.95)),
    ),
}


#: The scenarios that break an assumption (run by ``--scenarios violations``).
VIOLATIONS: tuple[str, ...] = tuple(list(SCENARIOS)[1:12])


#: The scenarios that vary the world within the model (``--scenarios within``).
WITHIN_MODEL: tuple[str, ...] = tuple(list(SCENARIOS)[13:])
