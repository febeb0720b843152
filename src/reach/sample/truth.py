"""The truth planted in the sample (never read by the pipeline), and the reference tables."""

from __future__ import annotations

import datetime as dt

import numpy as np

from reach.sample.formats import _lf_csv
from reach.sample.simulate import _Month
from reach.sample.world import (
    _ASSETS,
    _CAMPAIGNS,
    _COUNTY_BIRTHS,
    _COUNTY_CODE,
    _DISTRICTS,
    _GROUPS,
    _VIDEO,
    _WEB,
)
from reach.tidy.assets import REGISTRY_COLUMNS

# ---------------------------------------------------------------------------------------
# Ground truth
# ---------------------------------------------------------------------------------------


def _month_truth(mo: _Month) -> dict:
    """The month's true figures, counted from the simulated people (never from the estimators)."""
    n = mo.group.size
    web = np.zeros(n, bool)
    web[mo.w_person] = True
    video = np.zeros(n, bool)
    video[mo.v_person] = True
    social = mo.post_reached.any(axis=0)
    combined = web | video | social
    any_asset = combined | mo.leaflet
    norfolk = mo.district >= 0
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
    nb["leaflet"] = int((mo.leaflet & newborn).sum())
    nb["any_asset"] = int((any_asset & newborn).sum())
    tracked_sessions = mo.consent[mo.w_person]
    users = mo.w_user
    by_asset = {}
    for j, a in enumerate(_WEB):
        s = mo.w_asset == j
        by_asset[a.asset_id] = {
            "people": len(set(mo.w_person[s].tolist())),
            "people_tracked": len(set(mo.w_person[s & tracked_sessions].tolist())),
            "ga4_users_tracked": len(set(users[s & tracked_sessions].tolist())),
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
        b = int(mo.births_by_district[d])
        by_district[code] = {
            "births": b,
            "families_reached": int((combined & mask).sum()),
            "families_reached_any_asset": int((any_asset & mask).sum()),
            "coverage_online": round(int((combined & mask).sum()) / b, 4) if b else None,
            "coverage_any_asset": round(int((any_asset & mask).sum()) / b, 4) if b else None,
            "consent_rate": round(float(mo.consent_by_district[d]), 4),
        }
    births = int(newborn.sum())
    return {
        "births": births,
        "consent_rate": mo.consent_rate,
        "consent_share_realised": round(float(mo.consent.mean()), 4),
        "consent_share_of_web_reached": round(float(mo.consent[web].mean()), 4) if web.any() else None,
        "population": {g: int((mo.group == i).sum()) for i, g in enumerate(_GROUPS)},
        "reach": {**counts(everyone), "web_tracked_ga4_users": len(set(users[tracked_sessions].tolist()))},
        "reach_norfolk": counts(norfolk),
        "newborn_families_reached": nb,
        "overlaps": {
            "web&video": int((web & video).sum()),
            "web&social": int((web & social).sum()),
            "video&social": int((video & social).sum()),
            "web&video&social": int((web & video & social).sum()),
        },
        "norfolk_share_web": round(float((web & norfolk).sum() / web.sum()), 4) if web.any() else None,
        "coverage_any_asset": {
            "county": round(nb["any_asset"] / births, 4) if births else None,
            "by_district": {code: v["coverage_any_asset"] for code, v in by_district.items()},
        },
        "coverage_online": round(nb["combined"] / births, 4) if births else None,
        "recall_return": mo.recall_truth,
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
        "partner_step_on": mo.partner_step_on,
    }


def _campaign_truth(months: list[_Month]) -> list[dict]:
    """Each campaign's planted and realised effects, from the baseline and campaign-extra draws."""
    out = []
    for c in _CAMPAIGNS:
        web_j = [j for j, a in enumerate(_WEB) if c.utm in a.campaign_tags]
        vid_j = [j for j, a in enumerate(_VIDEO) if c.utm in a.campaign_tags]
        overlapping = {t for o in _CAMPAIGNS if o.start <= c.end and o.end >= c.start for t in [o.utm]}
        control_j = [j for j, a in enumerate(_WEB) if not overlapping & set(a.campaign_tags)]
        acc = {
            "web_base": 0,
            "web_extra": 0,
            "web_base_all": 0,
            "web_extra_all": 0,
            "vid_base": 0,
            "vid_extra": 0,
            "control_base": 0,
            "control_extra": 0,
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
            sc = in_days & np.isin(mo.w_asset, control_j)
            acc["control_base"] += int(mo.w_views[sc & ~mo.w_extra & tr].sum())
            acc["control_extra"] += int(mo.w_views[sc & mo.w_extra & tr].sum())
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
                "planted_spillover": months[0].world.spillover if months else 0.0,
                "control_web_paths": [_WEB[j].path for j in control_j],
                "true_rel_effect_control_web_daily_views": rel(acc["control_extra"], acc["control_base"]),
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
    # Each campaign's primary answer, chosen before it ran: three counterfactuals, one time series.
    primary_method = {"icon-2025": "time_series"}
    rows = [
        [
            "campaign_id",
            "name",
            "start",
            "end",
            "channels",
            "utm_campaign",
            "description",
            "primary_outcome",
            "primary_method",
        ]
    ]
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
                    "campaign_page_views",
                    primary_method.get(c.campaign_id, "counterfactual"),
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
