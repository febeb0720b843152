"""The synthetic family-feedback form and the health visitors' new-birth-visit recall return.

Who answers the online feedback form, how they got to it and what they tick under "Where did you
see …", and what families recall when the health visitor asks at the new-birth visit. The knobs
of :class:`reach.sample.world.World` decide how far each departs from what the estimators
assume: response that depends on exposure, a form promoted through one channel, recall that
misattributes channels or reaches back a month, "parents" who are not families with a newborn,
and imperfect recall at the visit.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from reach.sample.formats import _BENIGN_FORM_COMMENTS, _KEY_OPTIONS, _WHERE_OPTIONS
from reach.sample.world import _DISTRICTS, _GROUPS, _INTENDS_YES, EXPOSURES, HOW_ARRIVED_OPTIONS, World

#: The asset channels the recall return asks about: web, video, social and the leaflet (the
#: first four exposures).
RECALL_CHANNELS = ("web", "video", "social", "leaflet")


_ONLINE = 3  # the first three exposures are the online channels


# ---------------------------------------------------------------------------------------
# The online feedback form
# ---------------------------------------------------------------------------------------


def _response_weights(group: np.ndarray, exposures: np.ndarray, world: World) -> np.ndarray:
    """Each person's relative chance of answering: by group, times the exposure knobs (a)."""
    n_online = exposures[:, :_ONLINE].sum(axis=1)
    factor = np.where(
        n_online > 0,
        world.online_response_ratio * world.extra_channel_response_ratio ** np.maximum(n_online - 1, 0),
        1.0,
    )
    return np.asarray(world.response_weights, dtype=float)[group] * factor


def _choose_respondents(
    rng: np.random.Generator,
    frame: np.ndarray,
    weights: np.ndarray,
    exposures: np.ndarray,
    n_resp: int,
    world: World,
) -> tuple[np.ndarray, np.ndarray]:
    """Respondents (person indices) and their route (exposure index, or -1 for "any route")."""
    n_resp = min(n_resp, frame.size)
    recruited = np.zeros(0, dtype=int)
    if world.recruitment_channel is not None and world.recruitment_share > 0 and n_resp:
        c = EXPOSURES.index(world.recruitment_channel)
        pool = frame[exposures[frame, c]]
        n_rec = min(int(rng.binomial(n_resp, world.recruitment_share)), pool.size)
        if n_rec:
            wp = weights[pool]
            recruited = rng.choice(pool, size=n_rec, replace=False, p=wp / wp.sum())
    rest = frame[~np.isin(frame, recruited)]
    n_rest = min(n_resp - recruited.size, rest.size)
    others = np.zeros(0, dtype=int)
    if n_rest > 0:
        wr = weights[rest]
        others = rng.choice(rest, size=n_rest, replace=False, p=wr / wr.sum())
    route = np.concatenate(
        [
            np.full(recruited.size, EXPOSURES.index(world.recruitment_channel or "web")),
            np.full(others.size, -1),
        ]
    )
    return np.concatenate([recruited, others]).astype(int), route


def _how_arrived(rng: np.random.Generator, exposure: np.ndarray, route: int) -> str:
    """The answer to "How did you get to this form?": the recruiting route, else one of the exposures."""
    if route >= 0:
        return HOW_ARRIVED_OPTIONS[route]
    seen = np.flatnonzero(exposure)
    return HOW_ARRIVED_OPTIONS[int(seen[int(rng.integers(0, seen.size))])]


def _recalled(
    rng: np.random.Generator, exposure: np.ndarray, previous: np.ndarray, world: World
) -> np.ndarray:
    """What a respondent ticks under "Where did you see …" (c): misattributed and last month's channels."""
    ticked = np.zeros(len(EXPOSURES), dtype=bool)
    ticked[_ONLINE:] = exposure[_ONLINE:]
    for c in np.flatnonzero(exposure[:_ONLINE]):
        if rng.random() < world.recall_misattribution:
            others = [k for k in range(_ONLINE) if k != c]
            c = others[int(rng.integers(0, len(others)))]
        ticked[c] = True
    if rng.random() < world.recall_previous_month:
        ticked[:_ONLINE] |= previous
    return ticked


def _respondent_type(rng: np.random.Generator, g: int) -> str:
    if g == 0:
        return "Parent or carer" if rng.random() < 0.97 else "Other"
    if g == 1:
        return "Professional"
    if g == 2:
        return "Parent or carer" if rng.random() < 0.8 else "Other"
    return "Parent or carer" if rng.random() < 0.95 else "Other"


def _draw_feedback(
    rng: np.random.Generator,
    y: int,
    m: int,
    days: int,
    trend: float,
    group: np.ndarray,
    district: np.ndarray,
    exposures: np.ndarray,
    previous: np.ndarray,
    campaign_month: bool,
    after_ssw25: bool,
    world: World,
) -> tuple[list, dict]:
    """Draw the feedback-form responses, sorted by start time, and the truth behind them.

    ``exposures`` is (people × :data:`EXPOSURES`) this month; ``previous`` is (people × 3), the
    online channels each person saw in the previous month.
    """
    frame = np.flatnonzero(exposures.any(axis=1))
    true_helpful = round(float(np.clip(0.86 + rng.normal(0, 0.02), 0, 1)), 3)
    true_key = round(float(np.clip(0.64 + 0.06 * after_ssw25 + rng.normal(0, 0.02), 0, 1)), 3)
    true_intends = round(float(np.clip(0.30 + rng.normal(0, 0.02), 0, 1)), 3)
    camp_factor = 1.3 if campaign_month else 1.0
    n_resp = int(np.clip(round(rng.normal(34 * trend * camp_factor, 6)), 20, 60))
    weights = _response_weights(group, exposures, world)
    chosen, routes = _choose_respondents(rng, frame, weights, exposures, n_resp, world)
    responses = []
    for p_i, route in zip(chosen, routes, strict=True):
        g = int(group[p_i])
        rtype = _respondent_type(rng, g)
        if district[p_i] >= 0:
            dist_ans = _DISTRICTS[district[p_i]][1] if rng.random() >= 0.05 else "Prefer not to say"
        else:
            dist_ans = "Outside Norfolk" if rng.random() >= 0.1 else "Prefer not to say"
        how = _how_arrived(rng, exposures[p_i], int(route))
        ticked = _recalled(rng, exposures[p_i], previous[p_i], world)
        answers = _draw_answers(rng, ticked, true_helpful, true_key, true_intends)
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
                "how": how,
                **answers,
                "group": g,
                "norfolk": bool(district[p_i] >= 0),
                "recruited": bool(route >= 0),
                "online_true": bool(exposures[p_i, :_ONLINE].any()),
                "online_ticked": bool(ticked[:_ONLINE].any()),
                "where_exact": bool((ticked == exposures[p_i]).all()),
            }
        )
    responses.sort(key=lambda r: r["start"])
    return responses, _feedback_truth(responses, frame, true_helpful, true_key, true_intends)


def _feedback_truth(responses: list, frame: np.ndarray, helpful: float, key: float, intends: float) -> dict:
    parents = [r for r in responses if r["type"] == "Parent or carer" and r["norfolk"]]
    return {
        "true_helpful_rate": helpful,
        "true_key_messages_rate": key,
        "true_intends_change_rate": intends,
        "responses": len(responses),
        "frame_size": int(frame.size),
        "respondents_by_group": {
            gname: sum(1 for r in responses if r["group"] == gi) for gi, gname in enumerate(_GROUPS)
        },
        "respondents_reached_online": sum(1 for r in responses if r["online_true"]),
        "respondents_ticking_online": sum(1 for r in responses if r["online_ticked"]),
        "respondents_where_seen_exact": sum(1 for r in responses if r["where_exact"]),
        "respondents_recruited_by_channel": sum(1 for r in responses if r["recruited"]),
        "how_arrived": {opt: sum(1 for r in responses if r["how"] == opt) for opt in HOW_ARRIVED_OPTIONS},
        "norfolk_parents_answering": len(parents),
        "norfolk_parents_not_newborn_family": sum(1 for r in parents if r["group"] != 0),
    }


def _draw_answers(
    rng: np.random.Generator,
    ticked: np.ndarray,
    true_helpful: float,
    true_key: float,
    true_intends: float,
) -> dict:
    """Draw one respondent's answers: where (the ticked exposures), helpful, key messages, intends, comment."""
    where = "".join(opt + ";" for opt, e in zip(_WHERE_OPTIONS, ticked, strict=True) if e)
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
    return {"where": where, "helpful": helpful, "key": key, "intends": intends, "comment": comment}


# ---------------------------------------------------------------------------------------
# The new-birth-visit recall return
# ---------------------------------------------------------------------------------------


def _draw_recall_return(
    rng: np.random.Generator,
    group: np.ndarray,
    district: np.ndarray,
    exposures: np.ndarray,
    world: World,
) -> tuple[list[dict], dict]:
    """The month's recall return (one row of true counts per district) and its truth.

    Each district's families with a newborn this month are visited with chance
    ``hv_visit_share``; a visited family is asked with chance ``hv_asked_share``; an asked
    family recalls each asset channel it was reached by with chance ``hv_recall_sensitivity``
    and one it was not reached by with chance ``hv_false_recall``; it recalls "any" asset when it
    recalls at least one channel. The rows hold the true counts (the provider's suppression is
    applied when the file is written).
    """
    assets = exposures[:, : len(RECALL_CHANNELS)]
    rows, by_district = [], {}
    for d, (code, name, _, _) in enumerate(_DISTRICTS):
        fam = np.flatnonzero((group == 0) & (district == d))
        visited = fam[rng.random(fam.size) < world.hv_visit_share]
        asked = visited[rng.random(visited.size) < world.hv_asked_share]
        seen = assets[asked]
        recall = rng.random(seen.shape) < np.where(seen, world.hv_recall_sensitivity, world.hv_false_recall)
        row = {
            "district": name,
            "new_birth_visits": int(visited.size),
            "families_asked": int(asked.size),
            "recalled_any": int(recall.any(axis=1).sum()),
            **{f"recalled_{c}": int(recall[:, j].sum()) for j, c in enumerate(RECALL_CHANNELS)},
        }
        rows.append(row)
        by_district[code] = {**_reached(assets[fam]), **{k: v for k, v in row.items() if k != "district"}}
        by_district[code]["asked_reached_any_asset"] = int(seen.any(axis=1).sum())
    county = {
        key: sum(v[key] for v in by_district.values())
        for key in by_district[_DISTRICTS[0][0]]
        if not key.startswith("share") and key != "reached"
    }
    county["reached"] = {c: sum(v["reached"][c] for v in by_district.values()) for c in RECALL_CHANNELS}
    county.update(_shares(county))
    truth = {
        "county": county,
        "by_district": by_district,
        "sensitivity": world.hv_recall_sensitivity,
        "false_recall": world.hv_false_recall,
    }
    return rows, truth


def _reached(seen: np.ndarray) -> dict:
    """True reach of a set of families by the asset channels: counts and shares."""
    out = {
        "newborn_families": int(seen.shape[0]),
        "reached_any_asset": int(seen.any(axis=1).sum()),
        "reached_online": int(seen[:, :_ONLINE].any(axis=1).sum()),
        "reached": {c: int(seen[:, j].sum()) for j, c in enumerate(RECALL_CHANNELS)},
    }
    out.update(_shares(out))
    return out


def _shares(counts: dict) -> dict:
    n = counts["newborn_families"]

    def share(k: int) -> float | None:
        return round(k / n, 4) if n else None

    return {
        "share_any_asset": share(counts["reached_any_asset"]),
        "share_online": share(counts["reached_online"]),
        "share_by_channel": {c: share(k) for c, k in counts["reached"].items()},
    }
