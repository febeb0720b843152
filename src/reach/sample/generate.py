"""Seeded synthetic sample: raw exports, reference tables and the truth behind them.

The sample is built from an *individual-level* simulation, so that the estimators in
``reach`` can be validated against known answers:

* every month has a population of people in three groups — families with a newborn in
  Norfolk (births / 12, split by district), Norfolk professionals and visitors from outside
  Norfolk;
* each person has a latent engagement score that raises their chance of being reached on
  *every* channel (web, YouTube, Facebook), so channel audiences overlap more than
  independence predicts;
* the knobs of :class:`reach.sample.world.World` make the world break, by chosen amounts, what
  the estimators assume (the default world, which the bundled sample uses, breaks several a
  little; :data:`reach.sample.world.MODEL_WORLD` is the estimators' own model);
* web visits, video views and post reach are drawn per person and per day, with a trend,
  seasonality, a day-of-week pattern and planted campaign uplifts (the no-campaign
  counterfactual uses the same random draws, so the true campaign effect is known);
* the exports the analyst would download (GA4, YouTube Studio, Meta Business Suite,
  Microsoft Forms, a page-feedback widget, a partner indicator, the health visitors'
  new-birth-visit recall return) are *rendered* from those people, in the byte-level shapes
  each source really exports;
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

import dataclasses
import json
import logging
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np

from reach.errors import ReachError
from reach.sample.exports import (
    _meta_name,
    _render_forms,
    _render_ga4,
    _render_meta,
    _render_page_feedback,
    _render_partner,
    _render_recall,
    _render_youtube,
)
from reach.sample.formats import (
    _FORM_TITLE,
    _PARTNER_INDICATOR,
    _PLANTED_FORM_COMMENTS,
    _PLANTED_PAGE_COMMENTS,
    _YT_NEW_FROM,
    _parse_month,
    _recall_name,
    _shift_month,
)
from reach.sample.simulate import _Month, _simulate_month, partner_step_month
from reach.sample.truth import _assets_csv, _births_csv, _campaign_truth, _campaigns_csv, _month_truth
from reach.sample.world import (
    _DEFAULT_MONTHS,
    _DEFAULT_SEED,
    _DISTRICTS,
    _DOW,
    _GROUPS,
    _HV_P,
    _INTENDS_YES,
    _LEAFLET_P,
    _MONTHLY_GROWTH,
    _N_PROFESSIONALS,
    _PARTNER_BASE,
    _PARTNER_STEP_AFTER,
    _PARTNER_STEP_PP,
    _PARTNER_TREND_PP,
    _RATE,
    _SEASONAL_AMPLITUDE,
    _VIDEO_CAP,
    DEFAULT_WORLD,
    World,
)

logger = logging.getLogger(__name__)


SAMPLE_MONTH = "2026-10"
"""Reporting month of the committed sample (the last month folder)."""


_README = """# SYNTHETIC SAMPLE DATA — not real figures

Every number in this folder was made up by `reach.sample` (seed {seed}, {months} months ending
{end_month}). No real person, page, video or post is described. It exists so the pipeline, the
report and the estimators can be run and checked end to end.

Regenerate with `reach sample --out DIR --seed {seed}` or
`reach.sample.generate.write_sample(DIR, seed={seed}, end_month="{end_month}", months={months})`;
the same arguments give byte-identical files.

**This world is not the estimators' own model.** It breaks, a little, several of the
assumptions the estimators make (docs/methodology.md), so that the sample shows what the
estimators do when the world is not as they assume: survey response that depends on exposure,
a form promoted mostly through one channel, recall errors, "parents" who are not families with a
newborn, people on several devices, consent that differs by district, autocorrelated and bursty
traffic. `ground_truth.json` → `parameters.world` lists every knob
(`reach.sample.world.World`).

## How it was made

An individual-level simulation, month by month:

* **People.** Families with a newborn in Norfolk (county births / 12, split by district),
  {n_pro} Norfolk professionals, {n_out} visitors from outside Norfolk and {n_older} Norfolk
  families whose baby was born before the month. Each person has a latent engagement score
  that raises their chance of being reached on *every* channel, so web, YouTube and Facebook
  audiences are positively dependent: deduplication that assumes independence (random
  duplication, two-list capture–recapture) is **biased low**. Most families with a newborn
  get the safer-sleep leaflet (with its QR code) once it exists.
* **Web.** Visits to the asset pages are drawn per person and day (trend ×1.012 a month,
  ±8% seasonality peaking in January, weekday > weekend), times each page's own daily noise
  (AR(1) on the log scale, coefficient {ar1}, sd {ar1_sd}) and bursts (chance {burst_rate} a
  page and day, about ×{burst_mult} for 1–{burst_days} days). Each person accepts analytics
  cookies with the month's consent rate ({consent_low}–{consent_high}) plus a fixed amount for
  their district (sd {consent_sd}); GA4 files count only consenting people, and count
  *users*: {multi_device:.0%} of people use two or three devices, each a separate GA4 user.
  Town/City imitates IP geolocation (about a quarter of Norfolk users show as Norwich; a few
  `(not set)`). The Town/City and Traffic acquisition files cover the asset pages only; the
  other site pages in the Pages file (`/`, `/feeding/`, …) are filler. The daily file
  (`… (1).csv`) lists the registry's canonical asset paths only, so visits to the no-slash
  variant `/baby-sleep/safer-sleep` appear only in the monthly Pages file.
* **YouTube.** Viewers watch 1–3 times a month; `Unique viewers` on the Total row is the
  true number of distinct viewers. Months before {yt_new} use the older default column set
  (no audience columns).
* **Facebook.** 3–8 posts a month (more in campaign months); a post's Reach is the number
  of distinct people it reached; values are lifetime as of month end.
* **Campaigns.** On campaign days the campaign's web pages and videos get a planted
  multiplicative uplift (the pages it did not promote get {spillover:.0%} of it). The baseline
  draws are the no-campaign counterfactual, so the true effect is known (`ground_truth.json` →
  `campaigns`). Campaigns also add posts.
* **Feedback form.** Respondents are drawn from people with *any* exposure (web, video,
  social, leaflet, health visitor or midwife, other), weighted by group (newborn families 1,
  professionals 0.5, outside Norfolk 0.08, families with an older baby 0.8), ×{online_ratio:g}
  for people reached online and ×{extra_ratio:g} for each further online channel. The form is
  promoted through `{recruit}`: {recruit_share:.0%} of respondents came that way. “How did you
  get to this form?” records the route. “Where did you see …” is recalled, not exact: each
  online channel is ticked as another one with chance {misattr:.0%}, and {prev:.0%} of
  respondents add the online channels they saw the month before. Families with an older baby
  answer “Parent or carer”. Answers are drawn with planted true rates. The form is reset every
  month, so IDs run 1…n. A few free-text comments carry planted synthetic personal data
  (example.com e-mails, Ofcom drama phone numbers, postcodes, names, an NHS-number-like
  string), HTML and spreadsheet-formula prefixes, to test redaction.
* **New-birth-visit recall return** (`health_visiting/hv_new_birth_recall_<YYYY-MM>.csv`).
  Per district: the month's families with a newborn who had the new-birth visit
  ({visit:.0%} of them), how many were asked ({asked:.0%} of those visited), and how many
  recalled any asset and each of web, video, social and leaflet: a family recalls a channel
  it was reached by with chance {sens:g} and one it was not with chance {false:g}. Counts of
  1–7 are written `*`, as the provider suppresses them.
* **Partner indicator.** Per district: new-birth visits (≈ births) and how many had a
  safer-sleep assessment; the proportion has a planted step of +{step} percentage points
  from {step_month}, on top of a small trend.
* **Births.** County figures for 2019 (8,083) and 2023–2024 (around 7,200) are published
  (Norfolk Insight JSNA); 2025–2026 are assumed flat. **District births are illustrative**
  — no published district counts were available — and only sum to the county figure.

## ground_truth.json (never read by the pipeline)

Every value is counted from the simulated people, never from an estimator. Per month
(`months.<YYYY-MM>`):

* `births` – newborn families simulated that month; `population` – people per group.
* `consent_rate` – planted analytics consent rate; `consent_share_realised` – its sample value;
  `consent_share_of_web_reached` – the share of web-reached people who consented.
* `reach` – distinct people (all groups) reached per channel, `combined` = web ∪ video ∪
  social; `web_tracked` = web-reached people who consented; `web_tracked_ga4_users` = the GA4
  users they appear as (more than people when people use several devices).
* `reach_norfolk` – the same for Norfolk residents.
* `newborn_families_reached` – the same for newborn families only, with `leaflet` and
  `any_asset` (web, video, social or leaflet).
* `coverage_any_asset` – share of the month's newborn families reached by any asset, leaflet
  included (`county` and `by_district`): the estimand of the headline coverage;
  `coverage_online` – the same for the online channels only.
* `recall_return` – per district and county: the newborn families, how many were reached by any
  asset, online and by each channel (counts and shares), and the return's true counts before
  suppression (`new_birth_visits`, `families_asked`, `recalled_*`).
* `overlaps` – distinct people in each channel intersection.
* `norfolk_share_web` – share of web-reached people living in Norfolk.
* `by_district` – births, newborn families reached online (`families_reached`) and by any asset,
  both coverages, and the district's planted consent rate, per ONS district code.
* `by_asset` – distinct people (and views, GA4 users) per asset.
* `volumes` – sessions, views (all and tracked), video views, posts, sum of post reach.
* `feedback` – planted true rates: `true_helpful_rate` (P answer “Yes”),
  `true_key_messages_rate` (P ticking all three key messages — on their back; clear, flat
  cot; own sleep space — and not the distractor “Swaddled with a loose blanket”),
  `true_intends_change_rate` (P “{intends}”), `responses`, `frame_size` (people eligible),
  `respondents_by_group`, how respondents arrived, how many ticked exactly what they saw, and
  how many "parents" are not families with a newborn.
* `partner_indicator` – numerator and denominator per district; `partner_step_on`.

Top level: `campaigns` (planted uplifts; `true_rel_effect_web_daily_views` = tracked views of
the campaign's web pages on campaign days ÷ the counterfactual − 1, from the same random
draws; the `_all_visitors` and `video` variants likewise; `expected_rel_effect_web` = uplift −
1; `true_rel_effect_control_web_daily_views` = the same for the control pages, non-zero only
with spill-over), `partner_indicator_step` (the planted step: `first_month` is where it truly
starts, `estimator_month` where the estimator puts it), `planted_comments` (where each planted
free-text comment is), `parameters` (the simulation settings; `world` = every knob).
"""


# ---------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------


def generate_sample(
    seed: int = _DEFAULT_SEED,
    end_month: str = SAMPLE_MONTH,
    months: int = _DEFAULT_MONTHS,
    world: World | None = None,
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
    world : World, optional
        The knobs of the synthetic world (:class:`reach.sample.world.World`); default
        :data:`reach.sample.world.DEFAULT_WORLD`, the bundled sample's.

    Returns
    -------
    dict of str to bytes
        Relative POSIX path (e.g. ``raw/2026-10/youtube/Totals.csv``) to the file's exact bytes,
        in sorted path order: ``README.md``, ``ground_truth.json``, ``reference/*.csv`` and
        ``raw/<YYYY-MM>/{ga4,youtube,meta,feedback,partners,health_visiting}/…``.

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
    if world is not None and not isinstance(world, World):
        raise ReachError(f"world must be a reach.sample.world.World, got {type(world).__name__}")
    world = DEFAULT_WORLD if world is None else world
    seed, months = int(seed), int(months)
    ey, em = _parse_month(end_month, "end_month")
    month_list = [_shift_month(ey, em, k - months + 1) for k in range(months)]
    sims = [_simulate_month(seed, y, m, world) for y, m in month_list]
    planted, form_comments, page_comments = _plant_comments(seed, sims)

    files, post_ids = _render_months(sims, form_comments, page_comments)
    files["reference/assets.csv"] = _assets_csv(post_ids)
    files["reference/campaigns.csv"] = _campaigns_csv(sims[0].start, sims[-1].end)
    files["reference/births.csv"] = _births_csv()

    truth = _ground_truth(seed, end_month, sims, planted, world)
    files["ground_truth.json"] = (
        json.dumps(truth, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    ).encode()
    files["README.md"] = _readme(seed, months, end_month, world).encode("utf-8")
    return dict(sorted(files.items()))


def _readme(seed: int, months: int, end_month: str, world: World) -> str:
    """The sample's README, with the world's knobs written in."""
    return _README.format(
        seed=seed,
        months=months,
        end_month=end_month,
        n_pro=_N_PROFESSIONALS,
        n_out=world.n_outside,
        n_older=f"{world.older_baby_families:,}",
        yt_new=_YT_NEW_FROM,
        step=_PARTNER_STEP_PP,
        step_month=partner_step_month(world),
        intends=_INTENDS_YES,
        ar1=world.traffic_ar1,
        ar1_sd=world.traffic_ar1_sd,
        burst_rate=world.burst_rate,
        burst_mult=world.burst_multiplier,
        burst_days=world.burst_max_days,
        consent_low=world.consent_range[0],
        consent_high=world.consent_range[1],
        consent_sd=world.consent_district_sd,
        multi_device=world.multi_device_share,
        spillover=world.spillover,
        online_ratio=world.online_response_ratio,
        extra_ratio=world.extra_channel_response_ratio,
        recruit=world.recruitment_channel or "no one channel",
        recruit_share=world.recruitment_share if world.recruitment_channel else 0.0,
        misattr=world.recall_misattribution,
        prev=world.recall_previous_month,
        visit=world.hv_visit_share,
        asked=world.hv_asked_share,
        sens=world.hv_recall_sensitivity,
        false=world.hv_false_recall,
    )


def _plant_comments(
    seed: int, sims: list[_Month]
) -> tuple[list[dict], dict[int, dict[int, str]], dict[int, dict[int, str]]]:
    """Spread the planted free-text comments over the months: (where each is, form and page comments)."""
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
    return planted, form_comments, page_comments


def _render_months(
    sims: list[_Month],
    form_comments: dict[int, dict[int, str]],
    page_comments: dict[int, dict[int, str]],
) -> tuple[dict[str, bytes], dict[str, list[str]]]:
    """Render every month's raw exports, and collect each social asset's post ids in time order."""
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
        files[f"{base}/health_visiting/{_recall_name(mo.ym)}"] = _render_recall(mo)
        for p in sorted(mo.posts, key=lambda p: (p["time"], p["post_id"])):
            post_ids.setdefault(p["asset_id"], []).append(p["post_id"])
    return files, post_ids


def _ground_truth(seed: int, end_month: str, sims: list[_Month], planted: list[dict], world: World) -> dict:
    """The content of ``ground_truth.json``: per-month and campaign truth, planted comments, settings."""
    knobs = {k: (list(v) if isinstance(v, tuple) else v) for k, v in dataclasses.asdict(world).items()}
    return {
        "seed": seed,
        "end_month": end_month,
        "sample_month": end_month,
        "months": {mo.ym: _month_truth(mo) for mo in sims},
        "campaigns": _campaign_truth(sims),
        "partner_indicator_step": {
            "after": _PARTNER_STEP_AFTER.isoformat(),
            "first_month": partner_step_month(world),
            "estimator_month": partner_step_month(dataclasses.replace(world, partner_step_shift_months=0)),
            "shift_months": world.partner_step_shift_months,
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
            "population_outside_norfolk": world.n_outside,
            "population_older_baby_families": world.older_baby_families,
            "latent_loadings": dict(zip(("web", "video", "social"), world.latent_loadings, strict=True)),
            "monthly_rates_by_group": {c: [float(v) for v in r] for c, r in _RATE.items()},
            "day_of_week_multipliers_mon_to_sun": [float(v) for v in _DOW],
            "monthly_growth": _MONTHLY_GROWTH,
            "seasonal_amplitude_peak_january": _SEASONAL_AMPLITUDE,
            "consent_rate_range": list(world.consent_range),
            "video_views_cap_per_person": _VIDEO_CAP,
            "feedback_response_weight_by_group": [float(v) for v in world.response_weights],
            "leaflet_probability_by_group": [float(v) for v in _LEAFLET_P],
            "health_visitor_probability_by_group": [float(v) for v in _HV_P],
            "world": knobs,
        },
    }


def _forms_name(mo: _Month) -> str:
    return f"{_FORM_TITLE}(1-{len(mo.responses)}).csv"


def write_sample(
    out_dir,
    seed: int = _DEFAULT_SEED,
    end_month: str = SAMPLE_MONTH,
    months: int = _DEFAULT_MONTHS,
    overwrite: bool = False,
    world: World | None = None,
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
    world : World, optional
        The knobs of the synthetic world (see :func:`generate_sample`).

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
    files = generate_sample(seed=seed, end_month=end_month, months=months, world=world)
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
