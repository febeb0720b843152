"""Simulating one month of the synthetic world: who saw what, where, and what they answered.

The simulation is individual-level: each person has a latent engagement score that raises their
chance of being reached on every channel, so channel audiences overlap more than independence
predicts, and campaign uplifts are planted with a no-campaign counterfactual drawn from the same
random numbers, so the true effect is known. The knobs of :class:`reach.sample.world.World` add
what the estimators do not assume: consent that differs by district, people on several devices,
autocorrelated and bursty daily traffic, campaign spill-over onto the control pages and a
partner step away from where the estimator looks (the survey's knobs are in
:mod:`reach.sample.survey`).
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
from dataclasses import dataclass

import numpy as np

from reach.core.months import months_between
from reach.sample.formats import (
    _BACKGROUND_SOURCE_P,
    _BACKGROUND_SOURCES,
    _BENIGN_PAGE_COMMENTS,
    _OTHER_PAGES,
    _POST_TEXT,
    _SRC_FB_REF,
    _SRC_QR,
    _SS_VARIANT,
    _shift_month,
    _ym,
)
from reach.sample.survey import _draw_feedback, _draw_recall_return
from reach.sample.world import (
    _CAMPAIGNS,
    _COUNTY_BIRTHS,
    _DISTRICT_SHARES,
    _DISTRICTS,
    _DOW,
    _GROUPS,
    _HV_P,
    _LEAFLET,
    _LEAFLET_P,
    _LEAFLET_WEB_BOOST,
    _MONTHLY_GROWTH,
    _N_PROFESSIONALS,
    _NEW_USER_P,
    _OTHER_P,
    _OUTSIDE_PLACES,
    _OUTSIDE_WEIGHTS,
    _PARTNER_BASE,
    _PARTNER_STEP_AFTER,
    _PARTNER_STEP_PP,
    _PARTNER_TREND_PP,
    _POST_STRENGTH,
    _POST_TYPE_P,
    _POST_TYPES,
    _RATE,
    _SEASONAL_AMPLITUDE,
    _SOCIAL_ASSET,
    _TREND_EPOCH,
    _VIDEO,
    _VIDEO_CAP,
    _VIDEO_SHARES,
    _WEB,
    _WEB_SHARES,
    DEFAULT_WORLD,
    World,
)

_MAX_DEVICES = 3  # a person uses at most three devices; GA4 user id = person · 4 + device


def _trend(y: int, m: int) -> float:
    k = months_between(_ym(*_TREND_EPOCH), _ym(y, m))
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
    consent_by_district: np.ndarray  # planted chance of consent per district (the month's rate + offset)
    world: World
    # people
    group: np.ndarray
    district: np.ndarray
    town: list
    consent: np.ndarray
    new_user: np.ndarray
    leaflet: np.ndarray
    hv: np.ndarray
    other: np.ndarray
    devices: np.ndarray  # devices each person uses (1 to _MAX_DEVICES)
    # web sessions (one row per session)
    w_person: np.ndarray
    w_device: np.ndarray  # which of the person's devices: the GA4 user is (person, device)
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
    # partner indicator rows, and whether the planted step is on this month
    partner: list
    partner_step_on: bool
    # new-birth-visit recall return: true counts per district, and the truth behind them
    recall_rows: list
    recall_truth: dict
    births_by_district: np.ndarray
    # other-page synthetic GA4 rows
    other_rows: list
    variant_month: bool
    meta_file_id: int
    yt_extra: dict

    @property
    def w_user(self) -> np.ndarray:
        """Each web session's GA4 user: one per person and device."""
        return self.w_person * (_MAX_DEVICES + 1) + self.w_device


def _campaign_uplift(start: dt.date, days: int, assets, channel: str, spillover: float = 0.0) -> np.ndarray:
    """(n_assets, n_days) multiplier: the planted uplift on campaign days, else 1.

    With ``spillover`` > 0 the assets a campaign does not promote get ``1 + spillover · (u − 1)``
    on its days (unless another campaign promotes them then).
    """
    u = np.ones((len(assets), days))
    for c in _CAMPAIGNS:
        factor = c.web_uplift if channel == "web" else c.video_uplift
        on = np.array([c.start <= start + dt.timedelta(days=d) <= c.end for d in range(days)], bool)
        if not on.any():
            continue
        for j, a in enumerate(assets):
            if c.utm in a.campaign_tags:
                u[j, on] = factor
            elif spillover > 0:
                u[j, on] = np.maximum(u[j, on], 1 + spillover * (factor - 1))
    return u


def _launch_mask(start: dt.date, days: int, assets) -> np.ndarray:
    return np.array(
        [[1.0 if start + dt.timedelta(days=d) >= a.launch else 0.0 for d in range(days)] for a in assets]
    )


def _draw_events(rng, group, mult, rates, shares, launch, dow, trend, uplift, noise=None):
    """Person-level Poisson events split into baseline and campaign-extra parts.

    The baseline draws are exactly the no-campaign counterfactual; campaign days add
    independent extra events with rate ``baseline * (uplift - 1)`` (Poisson superposition).
    ``noise`` (n_assets, n_days) multiplies each asset's daily rate (autocorrelated and bursty
    traffic); the counterfactual carries it too.
    """
    days = launch.shape[1]
    noise = np.ones_like(launch) if noise is None else noise
    out_p, out_a, out_d, out_x = [], [], [], []
    for g in range(len(_GROUPS)):
        idx = np.flatnonzero(group == g)
        if idx.size == 0:
            continue
        w = shares[g][:, None] * launch * noise * dow[None, :] / days * trend
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


def _simulate_month(seed: int, y: int, m: int, world: World = DEFAULT_WORLD) -> _Month:
    """Simulate one month of the synthetic world from its own seeded random stream."""
    rng = _month_rng(seed, y, m)
    days = calendar.monthrange(y, m)[1]
    start, end = dt.date(y, m, 1), dt.date(y, m, days)
    trend = float(_trend(y, m))
    k = months_between(_ym(*_TREND_EPOCH), _ym(y, m))
    consent_rate = _draw_consent_rate(rng, k, world)
    consent_by_district = np.clip(consent_rate + _district_consent_offsets(seed, world), 0.02, 0.98)
    people, z = _draw_people(rng, y, m, end, consent_rate, consent_by_district, world)
    group, leaflet = people["group"], people["leaflet"]
    web = _draw_web_sessions(
        rng,
        group,
        z,
        leaflet,
        people["devices"],
        start,
        days,
        trend,
        world,
        _traffic_noise(seed, world, "web", start, days),
    )
    video = _draw_video_views(
        rng, group, z, start, days, trend, world, _traffic_noise(seed, world, "video", start, days)
    )
    in_month = [c for c in _CAMPAIGNS if c.start <= end and c.end >= start]
    posts, post_reached = _draw_posts(rng, group, z, in_month, start, end, days, trend, world)
    social_reached = post_reached.any(axis=0)
    w_source = _draw_web_sources(rng, web["w_person"], web["w_day"], start, group, leaflet, social_reached)

    n = group.size
    web_reached = np.zeros(n, bool)
    web_reached[web["w_person"]] = True
    video_reached = np.zeros(n, bool)
    video_reached[video["v_person"]] = True
    exposures = np.stack(
        [web_reached, video_reached, social_reached, leaflet, people["hv"], people["other"]], axis=1
    )
    after_ssw25 = start > _PARTNER_STEP_AFTER
    responses, feedback_truth = _draw_feedback(
        rng,
        y,
        m,
        days,
        trend,
        group,
        people["district"],
        exposures,
        _previous_online(rng, group, z, world),
        bool(in_month),
        after_ssw25,
        world,
    )
    recall_rows, recall_truth = _draw_recall_return(rng, group, people["district"], exposures, world)
    page_feedback = _draw_page_feedback(rng, y, m, web["w_day"], web["w_path"])
    step_on = _ym(y, m) >= partner_step_month(world)
    partner = _draw_partner(rng, people["births_by_district"], k, step_on)
    other_rows = _draw_other_pages(rng, int((web_reached & people["consent"]).sum()))

    return _Month(
        ym=_ym(y, m),
        start=start,
        end=end,
        days=days,
        consent_rate=consent_rate,
        consent_by_district=consent_by_district,
        world=world,
        **people,
        **web,
        w_source=w_source,
        **video,
        posts=posts,
        post_reached=post_reached,
        responses=responses,
        feedback_truth=feedback_truth,
        page_feedback=page_feedback,
        partner=partner,
        partner_step_on=step_on,
        recall_rows=recall_rows,
        recall_truth=recall_truth,
        other_rows=other_rows,
        meta_file_id=int(rng.integers(10**14, 10**16)),
    )


def partner_step_month(world: World = DEFAULT_WORLD) -> str:
    """The first month (``YYYY-MM``) with the planted partner step: the estimator's month, shifted.

    The estimator puts the step in the first month after the first campaign
    (:data:`_PARTNER_STEP_AFTER`); ``world.partner_step_shift_months`` moves the true step.
    """
    y, m = _shift_month(
        _PARTNER_STEP_AFTER.year, _PARTNER_STEP_AFTER.month, 1 + int(world.partner_step_shift_months)
    )
    return _ym(y, m)


def _draw_consent_rate(rng: np.random.Generator, k: int, world: World = DEFAULT_WORLD) -> float:
    """Draw the month's analytics consent rate, ``k`` months after the trend epoch."""
    low, high = world.consent_range
    consent_rate = float(
        np.clip(
            world.consent_centre
            + world.consent_amplitude * np.sin(2 * np.pi * k / 17)
            + rng.normal(0, 0.015),
            low + 0.01,
            high - 0.01,
        )
    )
    return round(consent_rate, 3)


def _district_consent_offsets(seed: int, world: World) -> np.ndarray:
    """Each district's fixed departure from the month's consent rate (h), centred; the same every month."""
    if world.consent_district_sd <= 0:
        return np.zeros(len(_DISTRICTS))
    x = np.random.default_rng([seed, 0, 0, 7]).standard_normal(len(_DISTRICTS))
    return np.round(world.consent_district_sd * (x - x.mean()), 4)


def _draw_people(
    rng: np.random.Generator,
    y: int,
    m: int,
    end: dt.date,
    consent_rate: float,
    consent_by_district: np.ndarray | None = None,
    world: World = DEFAULT_WORLD,
) -> tuple[dict, np.ndarray]:
    """Draw the month's people: the ``_Month`` people fields and each person's latent score."""
    births = int(rng.poisson(_births_for_year(y) / 12 * (1 + 0.04 * np.sin(2 * np.pi * (m - 4) / 12))))
    births_by_district = rng.multinomial(births, _DISTRICT_SHARES)
    nb_district = np.repeat(np.arange(len(_DISTRICTS)), births_by_district)
    pro_district = rng.choice(len(_DISTRICTS), size=_N_PROFESSIONALS, p=_DISTRICT_SHARES)
    n_older, n_outside = int(world.older_baby_families), int(world.n_outside)
    older_district = rng.choice(len(_DISTRICTS), size=n_older, p=_DISTRICT_SHARES)
    group = np.concatenate(
        [np.zeros(births, int), np.ones(_N_PROFESSIONALS, int), np.full(n_outside, 2), np.full(n_older, 3)]
    )
    district = np.concatenate([nb_district, pro_district, np.full(n_outside, -1), older_district])
    n = group.size
    z = rng.standard_normal(n)
    if consent_by_district is None:
        consent_by_district = np.full(len(_DISTRICTS), consent_rate)
    p_consent = np.where(district >= 0, consent_by_district[np.maximum(district, 0)], consent_rate)
    consent = rng.random(n) < p_consent
    new_user = rng.random(n) < _NEW_USER_P
    leaflet_live = end >= _LEAFLET.launch
    leaflet = (rng.random(n) < _LEAFLET_P[group]) & leaflet_live
    hv = rng.random(n) < _HV_P[group]
    other = rng.random(n) < _OTHER_P[group]
    r_town = rng.random(n)
    r_pick = rng.random(n)
    multi = rng.random(n) < world.multi_device_share
    devices = np.where(multi, 2 + (rng.random(n) < 0.3), 1).astype(int)
    people = {
        "group": group,
        "district": district,
        "town": _assign_towns(district, r_town, r_pick),
        "consent": consent,
        "new_user": new_user,
        "leaflet": leaflet,
        "hv": hv,
        "other": other,
        "devices": devices,
        "births_by_district": births_by_district,
    }
    return people, z


def _assign_towns(district: np.ndarray, r_town: np.ndarray, r_pick: np.ndarray) -> list:
    """Town/City as GA4 would geolocate it (IP based: a quarter of Norfolk users show as Norwich)."""
    out_cum = np.cumsum(_OUTSIDE_WEIGHTS / _OUTSIDE_WEIGHTS.sum())
    town = []
    for i in range(district.size):
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
    return town


def _channel_mult(z: np.ndarray, channel: str, world: World = DEFAULT_WORLD) -> np.ndarray:
    """Per-person rate multiplier on a channel from the latent score (mean one)."""
    b = dict(zip(("web", "video", "social"), world.latent_loadings, strict=True))[channel]
    return np.exp(b * z - b * b / 2)


def _previous_online(rng: np.random.Generator, group: np.ndarray, z: np.ndarray, world: World) -> np.ndarray:
    """(people × 3): the online channels each person saw in the previous month (for recall error)."""
    cols = []
    for channel in ("web", "video", "social"):
        p = 1 - np.exp(-_RATE[channel][group] * _channel_mult(z, channel, world))
        cols.append(rng.random(group.size) < p)
    return np.stack(cols, axis=1)


_NOISE_EPOCH = dt.date(2015, 1, 1)


_NOISE_DAYS = 366 * 30  # daily traffic noise is drawn from 2015 to 2044


def _traffic_noise(seed: int, world: World, channel: str, start: dt.date, days: int) -> np.ndarray | None:
    """(n_assets, days) multipliers of each asset's daily traffic (e): AR(1) on the log scale and bursts.

    Drawn once per seed over a fixed calendar (from 2015), so the process runs on across months;
    None when the world has neither.
    """
    if world.traffic_ar1_sd <= 0 and world.burst_rate <= 0:
        return None
    assets = _WEB if channel == "web" else _VIDEO
    full = _noise_series(seed, channel, len(assets), world.traffic_ar1, world.traffic_ar1_sd,
                         world.burst_rate, world.burst_multiplier, world.burst_max_days)  # fmt: skip
    first = (start - _NOISE_EPOCH).days
    if first < 0 or first + days > _NOISE_DAYS:
        return None
    return full[:, first : first + days]


@functools.lru_cache(maxsize=8)
def _noise_series(
    seed: int, channel: str, n_assets: int, rho: float, sd: float, rate: float, size: float, max_days: int
) -> np.ndarray:
    rng = np.random.default_rng([seed, 0, 0, 8 if channel == "web" else 9])
    eps = rng.standard_normal((n_assets, _NOISE_DAYS))
    starts = rng.random((n_assets, _NOISE_DAYS)) < rate
    lengths = rng.integers(1, max(1, max_days) + 1, (n_assets, _NOISE_DAYS))
    heights = size * rng.lognormal(0.0, 0.25, (n_assets, _NOISE_DAYS))
    x = np.zeros((n_assets, _NOISE_DAYS))
    if sd > 0:
        x[:, 0] = eps[:, 0] * sd / np.sqrt(1 - rho * rho)
        for t in range(1, _NOISE_DAYS):
            x[:, t] = rho * x[:, t - 1] + sd * eps[:, t]
    mult = np.exp(x - sd * sd / (2 * (1 - rho * rho)))
    burst = np.ones_like(mult)
    for j, t in zip(*np.nonzero(starts), strict=True):
        stop = min(_NOISE_DAYS, t + int(lengths[j, t]))
        burst[j, t:stop] = np.maximum(burst[j, t:stop], heights[j, t])
    out = mult * burst
    out.setflags(write=False)
    return out


def _draw_web_sessions(
    rng: np.random.Generator,
    group: np.ndarray,
    z: np.ndarray,
    leaflet: np.ndarray,
    devices: np.ndarray,
    start: dt.date,
    days: int,
    trend: float,
    world: World = DEFAULT_WORLD,
    noise: np.ndarray | None = None,
) -> dict:
    """Draw the web sessions and their metrics: the ``_Month`` web fields except the sources."""
    web_mult = _channel_mult(z, "web", world) * np.where(leaflet, _LEAFLET_WEB_BOOST, 1.0)
    w_person, w_asset, w_day, w_extra = _draw_events(
        rng,
        group,
        web_mult,
        _RATE["web"],
        _WEB_SHARES,
        _launch_mask(start, days, _WEB),
        _dow(start, days),
        trend,
        _campaign_uplift(start, days, _WEB, "web", world.spillover),
        noise,
    )
    ns = w_person.size
    w_device = np.floor(rng.random(ns) * devices[w_person]).astype(int)
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
    return {
        "w_person": w_person,
        "w_device": w_device,
        "w_asset": w_asset,
        "w_day": w_day,
        "w_extra": w_extra,
        "w_path": w_path,
        "w_views": w_views,
        "w_engaged": w_engaged,
        "w_eng": w_eng,
        "w_events": w_events,
        "w_dur": w_dur,
        "variant_month": variant_month,
    }


def _draw_video_views(
    rng: np.random.Generator,
    group: np.ndarray,
    z: np.ndarray,
    start: dt.date,
    days: int,
    trend: float,
    world: World = DEFAULT_WORLD,
    noise: np.ndarray | None = None,
) -> dict:
    """Draw the video views (capped per person) and YouTube extras: the ``_Month`` video fields."""
    v_person, v_asset, v_day, v_extra = _draw_events(
        rng,
        group,
        _channel_mult(z, "video", world),
        _RATE["video"],
        _VIDEO_SHARES,
        _launch_mask(start, days, _VIDEO),
        _dow(start, days),
        trend,
        _campaign_uplift(start, days, _VIDEO, "video"),
        noise,
    )
    v_person, v_asset, v_day, v_extra = _cap_video_views(v_person, v_asset, v_day, v_extra)
    dur = np.array([_VIDEO[a].duration for a in v_asset], dtype=float)
    frac = np.where(dur <= 60, rng.beta(3, 2, v_person.size) * 1.4, rng.beta(2, 2.5, v_person.size))
    v_watch = frac * dur
    yt_extra = {
        "subs_gained": rng.poisson(0.012, v_person.size),
        "subs_lost": rng.poisson(0.25, len(_VIDEO)),
        "ctr": rng.uniform(0.025, 0.07, len(_VIDEO)),
        "impr_click": rng.random(v_person.size) < 0.35,
    }
    return {
        "v_person": v_person,
        "v_asset": v_asset,
        "v_day": v_day,
        "v_extra": v_extra,
        "v_watch": v_watch,
        "yt_extra": yt_extra,
    }


def _cap_video_views(v_person, v_asset, v_day, v_extra):
    """Keep at most ``_VIDEO_CAP`` views per person: baseline views first, then campaign extras."""
    order = np.lexsort((np.arange(v_person.size), v_extra, v_person))
    v_person, v_asset, v_day, v_extra = v_person[order], v_asset[order], v_day[order], v_extra[order]
    rank = np.zeros(v_person.size, int)
    for i in range(1, v_person.size):
        rank[i] = rank[i - 1] + 1 if v_person[i] == v_person[i - 1] else 0
    keep = rank < _VIDEO_CAP
    return v_person[keep], v_asset[keep], v_day[keep], v_extra[keep]


def _draw_posts(
    rng: np.random.Generator,
    group: np.ndarray,
    z: np.ndarray,
    in_month: list,
    start: dt.date,
    end: dt.date,
    days: int,
    trend: float,
    world: World = DEFAULT_WORLD,
) -> tuple[list, np.ndarray]:
    """Draw the month's Facebook posts and the (n_posts, n_people) matrix of who each reached."""
    n_posts = int(rng.integers(3, 6))
    camp_posts = []
    for c in in_month:
        camp_posts += [c] * int(rng.integers(2, 4))
    camp_posts = camp_posts[: max(0, 8 - n_posts)]
    posts = []
    soc_mult = _channel_mult(z, "social", world)
    reached_rows = []
    for j in range(n_posts + len(camp_posts)):
        c = camp_posts[j - n_posts] if j >= n_posts else None
        post, reached = _draw_post(rng, c, group, soc_mult, start, end, days, trend)
        posts.append(post)
        reached_rows.append(reached)
    post_reached = np.array(reached_rows, dtype=bool).reshape(len(posts), group.size)
    return posts, post_reached


def _draw_post(
    rng: np.random.Generator,
    c,
    group: np.ndarray,
    soc_mult: np.ndarray,
    start: dt.date,
    end: dt.date,
    days: int,
    trend: float,
) -> tuple[dict, np.ndarray]:
    """Draw one post (for campaign ``c``, or a background post if None) and who it reached."""
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
    reached = rng.random(group.size) < p
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
    return post, reached


def _draw_web_sources(
    rng: np.random.Generator,
    w_person: np.ndarray,
    w_day: np.ndarray,
    start: dt.date,
    group: np.ndarray,
    leaflet: np.ndarray,
    social_reached: np.ndarray,
) -> list:
    """Draw each web session's traffic source (depends on leaflet and social exposure)."""
    ns = w_person.size
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
    return w_source


def _draw_page_feedback(rng: np.random.Generator, y: int, m: int, w_day: np.ndarray, w_path: list) -> list:
    """Draw page-feedback widget rows from web sessions (all visitors, consent irrelevant)."""
    ns = w_day.size
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
    return page_feedback


def _draw_partner(rng: np.random.Generator, births_by_district: np.ndarray, k: int, step_on: bool) -> list:
    """Draw the partner indicator rows ``(code, name, numerator, denominator)`` per district."""
    partner = []
    step = _PARTNER_STEP_PP / 100 if step_on else 0.0
    for d, (code, name, _, _) in enumerate(_DISTRICTS):
        b = int(births_by_district[d])
        denom = b - int(rng.binomial(b, 0.03)) + int(rng.poisson(1.5))
        p = float(np.clip(_PARTNER_BASE[d] + _PARTNER_TREND_PP / 100 * k + step, 0, 1))
        numer = int(rng.binomial(denom, p))
        partner.append((code, name, numer, denom))
    return partner


def _draw_other_pages(rng: np.random.Generator, tracked_web: int) -> list:
    """Draw the GA4 rows of the other site pages (not part of the simulated audience)."""
    other_rows = []
    for path, share in _OTHER_PAGES:
        users = int(max(1, min(tracked_web, round(tracked_web * share * rng.uniform(0.8, 1.2)))))
        other_rows.append(_synthetic_page_row(rng, path, users))
    if rng.random() < 0.35:
        other_rows.append(_synthetic_page_row(rng, "", int(rng.integers(1, 5))))
    return other_rows


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
