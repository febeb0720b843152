"""Campaign windows and the daily and monthly series each impact method is fitted to."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from reach.core.intervals import _num, _z
from reach.core.months import month_dates, month_label, months_between, shift_month
from reach.estimate.fake_starts import calibration_words, fake_start_scale, fake_windows
from reach.estimate.its import interrupted_time_series


def _month_end(month: str) -> pd.Timestamp:
    return pd.Timestamp(month_dates(month)[1])


def daily_asset_views(web_daily: pd.DataFrame, last_day: pd.Timestamp | None = None) -> pd.DataFrame:
    """Daily views per asset (rows: every calendar day; columns: asset ids).

    GA4 leaves out rows with no views, so a missing (day, asset) counts as 0 once the asset has
    appeared and the day is covered by the export (some asset has a row that day); days no
    export covers, and days before an asset first appears, stay missing.

    Parameters
    ----------
    web_daily : pandas.DataFrame
        Processed ``web_daily`` table (``date``, ``views``, ``asset_id``).
    last_day : pandas.Timestamp, optional
        Ignore rows after this day.

    Returns
    -------
    pandas.DataFrame
        Float views on a daily DatetimeIndex.
    """
    rows = web_daily.dropna(subset=["asset_id"])
    rows = rows.assign(date=pd.to_datetime(rows["date"]).dt.normalize())
    if last_day is not None:
        rows = rows[rows["date"] <= last_day]
    if rows.empty:
        return pd.DataFrame(dtype=float)
    table = rows.pivot_table(index="date", columns="asset_id", values="views", aggfunc="sum").astype(float)
    covered = table.index
    table = table.reindex(pd.date_range(table.index.min(), table.index.max(), freq="D"))
    for column in table.columns:
        first = table[column].first_valid_index()
        fill = (table.index >= first) & table.index.isin(covered)
        table.loc[fill, column] = table.loc[fill, column].fillna(0.0)
    table.index.name = "date"
    table.columns = [str(c) for c in table.columns]
    return table


def _split(value: object) -> list[str]:
    return [p.strip() for p in str(value).split(";") if p.strip()] if isinstance(value, str) else []


def _relative_interval(row: Mapping[str, Any] | None) -> tuple[float, float, float] | None:
    """A counterfactual or web time-series row as a relative change: estimate, low, high."""
    if row is None:
        return None
    if "rel_effect" in row:
        est, low, high = row.get("rel_effect"), row.get("rel_low"), row.get("rel_high")
    else:
        est, low, high = (
            None if v is None else v - 1 for v in (row.get("rate_ratio"), row.get("low"), row.get("high"))
        )
    if est is None:
        return None
    return float(est), -math.inf if low is None else float(low), math.inf if high is None else float(high)


def methods_agree(counterfactual_row: Mapping[str, Any] | None, its_row: Mapping[str, Any] | None) -> dict:
    """Whether a campaign's counterfactual and web time series give the same answer.

    Both are put on one scale, the relative change (``rel_effect``; rate ratio − 1). They
    disagree when one interval excludes no change and the other does not, when both exclude
    it in opposite directions, or when the two intervals do not overlap (the estimates differ
    by more than their intervals allow). A missing interval limit counts as unbounded.

    Parameters
    ----------
    counterfactual_row, its_row : Mapping or None
        An ``impact.counterfactual`` row and the campaign's ``impact.its`` row.

    Returns
    -------
    dict
        ``agree`` (None when either result is missing) and ``reason`` in words.

    Examples
    --------
    >>> cf = {"rel_effect": 0.40, "rel_low": 0.11, "rel_high": 0.90}
    >>> methods_agree(cf, {"rate_ratio": 1.38, "low": 0.98, "high": 1.94})
    {'agree': False, 'reason': 'the counterfactual finds a clear change and the time series does not'}
    >>> methods_agree(cf, {"rate_ratio": 1.64, "low": 1.25, "high": 2.16})["agree"]
    True
    """
    cf, its = _relative_interval(counterfactual_row), _relative_interval(its_row)
    if cf is None or its is None:
        return {"agree": None, "reason": "only one method gave an estimate"}
    clear = {
        name: not (low <= 0 <= high)
        for name, (_, low, high) in (("counterfactual", cf), ("time series", its))
    }
    if clear["counterfactual"] != clear["time series"]:
        finds, other = (
            ("counterfactual", "time series")
            if clear["counterfactual"]
            else ("time series", "counterfactual")
        )
        return {"agree": False, "reason": f"the {finds} finds a clear change and the {other} does not"}
    if clear["counterfactual"] and (cf[1] > 0) != (its[1] > 0):
        return {"agree": False, "reason": "they find clear changes in opposite directions"}
    if cf[1] > its[2] or its[1] > cf[2]:
        return {
            "agree": False,
            "reason": "their intervals do not overlap: the estimates differ by more than their intervals allow",
        }
    return {
        "agree": True,
        "reason": "both intervals "
        + ("exclude" if clear["counterfactual"] else "include")
        + " no change and they overlap",
    }


def campaign_windows(
    campaigns: pd.DataFrame,
    first_day: pd.Timestamp,
    last_day: pd.Timestamp,
    *,
    washout_days: int = 7,
    min_pre_days: int = 28,
    max_pre_days: int | None = 365,
) -> list[dict]:
    """Pre- and post-periods for each campaign that started by ``last_day``.

    No campaign's pre-period (its baseline) holds a day of any other campaign or of the
    ``washout_days`` after one. Post-period: the campaign's days (``start`` to ``end``), cut at
    ``last_day`` for a campaign still running. Pre-period: it ends the day before the campaign
    started; if another campaign (or its washout) reaches that day (an overlapping campaign that
    began earlier, or one that ended less than ``washout_days`` before), the baseline ends
    instead the day before that campaign began (repeated until no campaign reaches it), and the
    days between are a ``baseline_gap`` the models treat as missing. It starts the day after the
    latest campaign that ended before the baseline's end, plus ``washout_days`` (or on the first
    day of data), and is at most ``max_pre_days`` long. A campaign is ``usable`` when its
    pre-period has at least ``min_pre_days`` days.

    Parameters
    ----------
    campaigns : pandas.DataFrame
        ``reference_campaigns`` (``campaign_id``, ``name``, ``start``, ``end``, ``utm_campaign``).
    first_day, last_day : pandas.Timestamp
        Data coverage.
    washout_days, min_pre_days, max_pre_days : int
        See above.

    Returns
    -------
    list of dict
        ``campaign``, ``name``, ``utm_campaign``, ``start``, ``end``, ``post_start``, ``post_end``,
        ``pre_start``, ``pre_end`` (ISO dates), ``pre_days``, ``post_days``, ``partial``
        (campaign still running), ``baseline_gap`` (None, or ``start``, ``end`` and the
        ``campaigns`` with days, or washout days, in it), ``concurrent`` (other campaigns with
        days inside this one's), ``usable``, ``reason`` (why not usable).

    Examples
    --------
    B began while A was still running, so B's baseline ends before A began:

    >>> table = pd.DataFrame({"campaign_id": ["a", "b"], "name": ["A", "B"],
    ...                       "start": ["2025-03-01", "2025-03-10"], "end": ["2025-03-20", "2025-03-23"],
    ...                       "utm_campaign": ["ua", "ub"]})
    >>> a, b = campaign_windows(table, pd.Timestamp("2025-01-01"), pd.Timestamp("2025-03-31"))
    >>> b["pre_start"], b["pre_end"], b["baseline_gap"], b["concurrent"]
    ('2025-01-01', '2025-02-28', {'start': '2025-03-01', 'end': '2025-03-09', 'campaigns': ['a']}, ['a'])
    """
    frame = campaigns.assign(
        start_ts=pd.to_datetime(campaigns["start"]), end_ts=pd.to_datetime(campaigns["end"])
    ).sort_values(["start_ts", "end_ts"], kind="stable")
    frame = frame.dropna(subset=["start_ts", "end_ts"])
    washout = pd.Timedelta(days=int(washout_days))
    out = []
    for position, row in enumerate(frame.itertuples(index=False)):
        start, end = row.start_ts, row.end_ts
        if start > last_day:
            continue
        others = frame.iloc[[i for i in range(len(frame)) if i != position]]
        cut = _baseline_end(others, start, washout)
        before = others[others["start_ts"] < cut]
        pre_start = (
            first_day
            if before.empty
            else max(first_day, before["end_ts"].max() + washout + pd.Timedelta(days=1))
        )
        pre_end = cut - pd.Timedelta(days=1)
        if max_pre_days:
            pre_start = max(pre_start, pre_end - pd.Timedelta(days=int(max_pre_days) - 1))
        post_end = min(end, last_day)
        pre_days = max(0, (pre_end - pre_start).days + 1)
        reason = ""
        if start < first_day:
            reason = "the campaign began before the data start"
        elif pre_days < min_pre_days:
            reason = f"only {pre_days} days before the campaign (at least {min_pre_days} needed)"
        gap = None
        if cut < start:
            inside = others[(others["start_ts"] < start) & (others["end_ts"] + washout >= cut)]
            gap = {
                "start": cut.date().isoformat(),
                "end": (start - pd.Timedelta(days=1)).date().isoformat(),
                "campaigns": sorted(str(c) for c in inside["campaign_id"]),
            }
        concurrent = others[(others["start_ts"] <= end) & (others["end_ts"] >= start)]
        out.append(
            {
                "campaign": str(row.campaign_id),
                "name": str(row.name),
                "utm_campaign": str(row.utm_campaign),
                "start": start.date().isoformat(),
                "end": end.date().isoformat(),
                "post_start": start.date().isoformat(),
                "post_end": post_end.date().isoformat(),
                "pre_start": pre_start.date().isoformat(),
                "pre_end": pre_end.date().isoformat(),
                "pre_days": pre_days,
                "post_days": (post_end - start).days + 1,
                "partial": bool(end > last_day),
                "baseline_gap": gap,
                "concurrent": sorted(str(c) for c in concurrent["campaign_id"]),
                "usable": not reason,
                "reason": reason,
            }
        )
    return out


def _baseline_end(others: pd.DataFrame, start: pd.Timestamp, washout: pd.Timedelta) -> pd.Timestamp:
    """The day after a campaign's baseline ends.

    The baseline must not reach a day of another campaign or of its washout: while a campaign
    that began before the baseline's end runs (with its washout) into that end, the end moves
    to the day before that campaign began.
    """
    cut = start
    moved = True
    while moved:
        moved = False
        for other in others.itertuples(index=False):
            if other.start_ts < cut and other.end_ts + washout >= cut - pd.Timedelta(days=1):
                cut = other.start_ts
                moved = True
    return cut


def campaign_web_series(
    daily: pd.DataFrame, assets: pd.DataFrame, campaigns: pd.DataFrame, window: Mapping[str, Any]
) -> tuple[pd.Series | None, pd.DataFrame | None, dict]:
    """The campaign pages' daily views and the control series for one campaign window.

    ``y`` is the sum of daily views of the web pages whose registry ``campaign_tags`` include
    the campaign's ``utm_campaign``. The control is the sum of daily views of the other web
    pages in the registry, leaving out any page promoted by a campaign that overlaps the window
    (pooled into one series because single small pages are noisy). A page joins the sums only
    if it has data on every day of the window; if a campaign page starts part-way through the
    pre-period, the pre-period is shortened to start with it. ``y`` is missing (NaN) on the
    days of the window's ``baseline_gap``, so no model learns the baseline from another
    campaign's days.

    Parameters
    ----------
    daily : pandas.DataFrame
        From :func:`daily_asset_views`.
    assets : pandas.DataFrame
        ``reference_assets`` (``asset_id``, ``type``, ``campaign_tags``).
    campaigns : pandas.DataFrame
        ``reference_campaigns``.
    window : Mapping
        One item of :func:`campaign_windows`.

    Returns
    -------
    tuple
        ``(y, X, info)``; ``y`` is None when the campaign has no web page with data, ``X`` is
        None without usable controls; ``info`` holds ``campaign_pages``, ``control_pages``,
        ``new_pages`` (campaign pages with no data before the campaign, left out) and the
        (possibly shortened) ``pre_start``.
    """
    pre_start, post_end = pd.Timestamp(window["pre_start"]), pd.Timestamp(window["post_end"])
    utm = window["utm_campaign"]
    web = assets[assets["type"].astype("string").str.strip() == "web_page"]
    tags = web["campaign_tags"].map(_split)
    promoted = sorted(str(a) for a, t in zip(web["asset_id"], tags, strict=True) if utm in t)
    overlapping = set()
    for row in campaigns.itertuples(index=False):
        start, end = pd.Timestamp(row.start), pd.Timestamp(row.end)
        if start <= post_end and end >= pre_start:
            overlapping.add(str(row.utm_campaign))
    others = sorted(
        str(a)
        for a, t in zip(web["asset_id"], tags, strict=True)
        if not (set(t) & overlapping) and str(a) not in promoted
    )
    info: dict[str, Any] = {
        "campaign_pages": [],
        "control_pages": [],
        "new_pages": [],
        "pre_start": window["pre_start"],
    }
    campaign_cols = [a for a in promoted if a in daily.columns]
    if not campaign_cols:
        return None, None, info
    span = daily.loc[pre_start:post_end]
    pre_end = pd.Timestamp(window["pre_end"])
    # Pages first seen after the pre-period (launched with the campaign) have no baseline and
    # are left out; otherwise the pre-period is shortened so every campaign page has data throughout.
    firsts = {c: span[c].first_valid_index() for c in campaign_cols}
    info["new_pages"] = sorted(c for c, f in firsts.items() if f is None or f > pre_end)
    campaign_cols = [c for c in campaign_cols if c not in info["new_pages"]]
    firsts = [firsts[c] for c in campaign_cols]
    if not campaign_cols:
        return None, None, info
    pre_start = max([pre_start, *firsts])
    span = daily.loc[pre_start:post_end]
    campaign_cols = [c for c in campaign_cols if span[c].notna().all()]
    if not campaign_cols:
        return None, None, info
    y = span[campaign_cols].sum(axis=1).rename("campaign_pages")
    gap = window.get("baseline_gap")
    if gap:
        # Days of another campaign (or its washout) between the baseline and this campaign: missing.
        y.loc[pd.Timestamp(gap["start"]) : pd.Timestamp(gap["end"])] = float("nan")
    controls = [c for c in others if c in span.columns and span[c].notna().all()]
    X = span[controls].sum(axis=1).to_frame("control_pages") if controls else None
    info.update(campaign_pages=campaign_cols, control_pages=controls, pre_start=pre_start.date().isoformat())
    return y, X, info


def _partner_its(
    partner: pd.DataFrame, windows: list[dict], month: str, opts: Mapping[str, Any]
) -> tuple[list[dict], list[str]]:
    out, notes = [], []
    if partner is None or partner.empty or not windows:
        return out, notes
    rows = partner[partner["month"].astype("string") <= month]
    for indicator, group in rows.groupby(rows["indicator"].astype("string"), sort=True):
        monthly = group.groupby("month", as_index=False)[["numerator", "denominator"]].sum()
        monthly = monthly.astype({"numerator": "float64", "denominator": "float64"}).sort_values("month")
        monthly = monthly[monthly["denominator"] > 0]
        chosen, baseline_from = None, None
        for window in windows:
            baseline_from = _partner_baseline_start(windows, window, int(opts.get("washout_days", 7)))
            kept = monthly[monthly["month"] >= baseline_from] if baseline_from else monthly
            step = (kept["month"] > window["end"][:7]).astype(int)
            if (step == 0).sum() >= opts["its_min_points"] and (step == 1).sum() >= opts["its_min_points"]:
                chosen = window
                monthly = kept.assign(step=step)
                break
        if chosen is None:
            notes.append(
                f"{indicator}: not enough months before and after any campaign for an interrupted time series"
            )
            continue
        first = monthly["month"].iloc[0]
        monthly["time"] = [months_between(first, m) + 1 for m in monthly["month"]]
        harmonics = 2 if len(monthly) >= 36 else 0
        fit = interrupted_time_series(
            monthly,
            "numerator",
            "time",
            "step",
            offset="denominator",
            seasonality_period=12 if harmonics else None,
            harmonics=harmonics,
            family="quasipoisson",
            level=opts["level"],
        )
        method = (
            f"{fit.method}; step from {month_label(shift_month(chosen['end'][:7], 1))} "
            f"(after {chosen['name']}); {fit.n_pre} months before, {fit.n_post} after"
        )
        if baseline_from:
            method += (
                f"; months before {month_label(baseline_from)} (earlier campaigns) left out of the baseline"
            )
        if fit.n_pre < 12 or fit.n_post < 12:
            method += "; fewer than 12 months on one side, so seasonality is not modelled"
        out.append(
            {
                "series": f"partner:{indicator}",
                "rate_ratio": _num(fit.effect),
                "low": _num(fit.low),
                "high": _num(fit.high),
                "method": method,
            }
        )
    return out, notes


def _partner_baseline_start(windows: list[dict], chosen: Mapping[str, Any], washout_days: int) -> str | None:
    """First month of the partner indicator's baseline before ``chosen``'s step, or None for all months.

    The baseline holds no month with a day of another campaign that began before ``chosen``,
    or of the ``washout_days`` after it: it starts the month after the latest such day.
    """
    start = pd.Timestamp(chosen["start"])
    ends = [
        pd.Timestamp(w["end"]) + pd.Timedelta(days=washout_days)
        for w in windows
        if w["campaign"] != chosen["campaign"] and pd.Timestamp(w["start"]) < start
    ]
    return shift_month(max(ends).strftime("%Y-%m"), 1) if ends else None


def _web_its_fit(frame: pd.DataFrame, offset: str | None, opts: Mapping[str, Any]):
    """The web time-series GLM on ``frame`` (``views``, ``date``, ``step`` and the offset column)."""
    lags = opts.get("its_daily_hac_lags")
    return interrupted_time_series(
        frame,
        "views",
        "date",
        "step",
        offset=offset,
        day_of_week=True,
        month_factors=True,
        trend=False,
        family="quasipoisson",
        hac_lags=None if lags is None else int(lags),
        level=opts["level"],
    )


def _log_effect_sd(fit: Any, level: float) -> float:
    """Standard error of the log rate ratio, from its Wald interval."""
    return (math.log(fit.high) - math.log(fit.low)) / (2 * _z(level))


def _web_its_fake_errors(
    frame: pd.DataFrame, offset: str | None, n_post: int, opts: Mapping[str, Any]
) -> list[float]:
    """Standardised log rate ratios of the web time series at fake starts in the baseline.

    The model is refitted on the baseline days up to the end of each fake campaign (as long as
    the real one, with at least ``counterfactual_min_pre_days`` days before it), with its step on
    the fake campaign's days. Fits that cannot be made (a fake campaign alone in its month, or a
    step whose interval overflows) are skipped.
    """
    baseline = frame[frame["step"] == 0]
    errors = []
    for start, stop in fake_windows(len(baseline), n_post, int(opts["counterfactual_min_pre_days"])):
        fake = baseline.iloc[:stop].copy()
        fake["step"] = 0
        fake.iloc[start:stop, fake.columns.get_loc("step")] = 1
        if fake["views"].iloc[start:stop].isna().any():
            continue
        try:
            fit = _web_its_fit(fake, offset, opts)
        except (ValueError, OverflowError):  # no step can be estimated there
            continue
        sd = _log_effect_sd(fit, opts["level"])
        if fit.effect > 0 and math.isfinite(sd) and sd > 0:
            errors.append(math.log(fit.effect) / sd)
    return errors


def _web_its(
    y: pd.Series, X: pd.DataFrame | None, pre: tuple, post: tuple, campaign: str, opts: Mapping[str, Any]
) -> dict:
    """Interrupted time series of the campaign pages' daily views (a controlled design when controls exist).

    Quasi-Poisson GLM over the pre-period plus the campaign days: step on campaign days,
    day-of-week terms, calendar-month factors (in place of a linear trend) and, when control
    pages exist, ``log(control views)`` as the offset, so the model follows the campaign pages'
    views relative to pages the campaign did not promote and site-wide changes (cookie consent,
    season) cancel. The month factors make the step a comparison with the same month's days
    before the campaign, so a shift that hits the whole campaign month is not taken for an
    effect. Days on which the control pages had no views are left out. The interval is checked
    against fake starts in the baseline (:mod:`reach.estimate.fake_starts`) and widened when
    they miss by more than the model expects; ``calibration`` records how.
    """
    frame = y.loc[pre[0] : post[1]].rename("views").to_frame()
    frame["date"] = frame.index
    frame["step"] = (frame.index >= pd.Timestamp(post[0])).astype(int)
    offset = None
    dropped = 0
    if X is not None:
        frame["control_views"] = X.loc[pre[0] : post[1]].sum(axis=1)
        dropped = int((frame["control_views"] <= 0).sum())
        frame = frame[frame["control_views"] > 0]
        offset = "control_views"
    fit = _web_its_fit(frame, offset, opts)
    level = opts["level"]
    calibration = fake_start_scale(_web_its_fake_errors(frame, offset, fit.n_post, opts), level)
    low, high = fit.low, fit.high
    if calibration["calibrated"]:
        half = calibration["quantile"] * calibration["applied"] * _log_effect_sd(fit, level)
        low, high = fit.effect * math.exp(-half), fit.effect * math.exp(half)
    method = f"{fit.method}; {fit.n_pre} days before the campaign, {fit.n_post} campaign days"
    if offset:
        method += "; offset: views of pages the campaign did not promote (controlled design)"
    if dropped:
        method += f"; {dropped} day(s) without control views left out"
    method += f"; {calibration_words(calibration)}"
    return {
        "series": f"web_daily_views:{campaign}",
        "rate_ratio": _num(fit.effect),
        "low": _num(low),
        "high": _num(high),
        "method": method,
        "calibration": calibration,
    }


def _all_windows(campaigns: pd.DataFrame, last_day: pd.Timestamp) -> list[dict]:
    """Campaigns that started by ``last_day``, oldest first (for the partner indicator)."""
    out = []
    frame = campaigns.assign(start_ts=pd.to_datetime(campaigns["start"])).sort_values(
        "start_ts", kind="stable"
    )
    for row in frame[frame["start_ts"] <= last_day].itertuples(index=False):
        out.append(
            {
                "campaign": str(row.campaign_id),
                "name": str(row.name),
                "start": str(row.start),
                "end": str(row.end),
            }
        )
    return out
