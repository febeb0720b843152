"""Where people were: the Town/City lookup, the Norfolk share of web visitors, and births by district."""

from __future__ import annotations

import calendar
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from reach.config import ReachSettings
from reach.core.months import days_in_month, month_label
from reach.estimate.base import COUNTY_CODE, _month_rows, _p, _wilson

#: The seven Norfolk districts: (ONS code, name), in code order.
DISTRICTS: tuple[tuple[str, str], ...] = (
    ("E07000143", "Breckland"),
    ("E07000144", "Broadland"),
    ("E07000145", "Great Yarmouth"),
    ("E07000146", "King's Lynn and West Norfolk"),
    ("E07000147", "North Norfolk"),
    ("E07000148", "Norwich"),
    ("E07000149", "South Norfolk"),
)


# =============================================================================================
# Geography
# =============================================================================================


def _norm_place(text: object) -> str:
    value = "" if text is None or (isinstance(text, float) and math.isnan(text)) else str(text)
    value = value.replace("’", "'").replace("‘", "'").strip().casefold()
    return re.sub(r"\s+", " ", value)


def town_lookup(frame: pd.DataFrame | Sequence[Mapping[str, str]]) -> dict[str, tuple[str, str]]:
    """Normalised town/city name → (district name, ONS code), from ``config/town_districts.csv``.

    Parameters
    ----------
    frame : pandas.DataFrame or sequence of mappings
        Columns ``city``, ``district``, ``district_code``.

    Returns
    -------
    dict
        Keys are case-folded, whitespace-collapsed names with curly apostrophes straightened.

    Raises
    ------
    ValueError
        If a column is missing, a code is not one of the seven Norfolk districts, or one name
        maps to two districts.
    """
    frame = pd.DataFrame(frame)
    missing = {"city", "district", "district_code"} - set(frame.columns)
    if missing:
        raise ValueError(f"town lookup lacks columns {sorted(missing)}")
    codes = dict(DISTRICTS)
    lookup: dict[str, tuple[str, str]] = {}
    for city, district, code in frame[["city", "district", "district_code"]].itertuples(index=False):
        if code not in codes:
            raise ValueError(f"town lookup: {city!r} has code {code!r}, not a Norfolk district (E07000143–9)")
        if _norm_place(district) != _norm_place(codes[code]):
            raise ValueError(
                f"town lookup: {city!r} names district {district!r} but code {code} is {codes[code]}"
            )
        key = _norm_place(city)
        if key in lookup and lookup[key][1] != code:
            raise ValueError(f"town lookup: {city!r} is listed under two districts")
        lookup[key] = (codes[code], code)
    return lookup


def _no_city_export() -> dict:
    """The :func:`norfolk_share` result for a month without a Town/City export."""
    return {
        "share": None,
        "tracked_users": 0,
        "norfolk_users": 0,
        "not_set_users": 0,
        "outside_users": 0,
        "not_in_lookup": {},
        "by_district": pd.DataFrame(columns=["district", "code", "users"]),
        "method": "no GA4 Town/City export for the month",
    }


def _users_by_district(hits: Sequence[tuple[str, str] | None], users: np.ndarray) -> pd.DataFrame:
    """GA4 users summed per Norfolk district (``district``, ``code``, ``users``), in code order."""
    by = {code: 0.0 for code, _ in DISTRICTS}
    for h, u in zip(hits, users, strict=True):
        if h is not None:
            by[h[1]] += u
    names_by_code = dict(DISTRICTS)
    return pd.DataFrame([{"district": names_by_code[c], "code": c, "users": int(v)} for c, v in by.items()])


def _shift_odds(share: float, ratio: float) -> float:
    """``share`` with its odds multiplied by ``ratio`` (0 and 1 stay put)."""
    if share <= 0 or share >= 1:
        return min(max(share, 0.0), 1.0)
    odds = share / (1 - share) * ratio
    return odds / (1 + odds)


def _norfolk_interval(
    norfolk: float, not_set: float, total: float, level: float, geo_error: float, consent_ratio: float = 1.0
) -> dict | None:
    """The Norfolk share with ``(not set)`` outside (low) or inside (high), widened by ``geo_error``.

    When Norfolk visitors' consent rate may differ from other visitors' by up to ``consent_ratio``
    (either way), the share among all visitors has the tracked share's odds times a factor from
    ``1/consent_ratio`` to ``consent_ratio``; the limits move by those factors.
    """
    if total <= 0:
        return None
    if consent_ratio <= 0:
        raise ValueError(f"consent_ratio_between_areas must be above 0, got {consent_ratio}")
    consent_ratio = max(consent_ratio, 1 / consent_ratio)  # "within ×r either way" is the same for r and 1/r
    low = _shift_odds(_wilson(norfolk, total, level)[0], 1 / consent_ratio) - geo_error
    high = _shift_odds(_wilson(norfolk + not_set, total, level)[1], consent_ratio) + geo_error
    placed = total - not_set
    estimate = norfolk / placed if placed > 0 else (low + high) / 2
    return _p(estimate, low, high)


def norfolk_share(
    web_city: pd.DataFrame,
    month: str,
    lookup: Mapping[str, tuple[str, str]],
    level: float = 0.95,
    geo_error: float = 0.02,
    consent_ratio: float = 1.0,
) -> dict:
    """Share of web visitors who live in Norfolk, from the GA4 Town/City export.

    A row counts as Norfolk when its town is in the lookup. ``(not set)`` users (GA4 could not
    place them) are reported, not guessed: the lower limit treats them all as outside Norfolk,
    the upper limit all as inside, each with the Wilson interval for the consent sample (tracked
    users are a sample of all visitors), widened by ``geo_error`` for IP geolocation placing
    people in the wrong town. The point estimate leaves ``(not set)`` out of the denominator.

    Parameters
    ----------
    web_city : pandas.DataFrame
        Processed ``web_city``.
    month : str
        ``YYYY-MM``.
    lookup : Mapping
        From :func:`town_lookup`.
    level : float
        Confidence level.
    geo_error : float
        Absolute allowance for geolocation error.
    consent_ratio : float
        Most the consent rate of Norfolk visitors may differ from other visitors' (a ratio either
        way; 1 assumes the same rate).

    Returns
    -------
    dict
        ``share`` ({estimate, low, high} or None), ``tracked_users``, ``norfolk_users``,
        ``not_set_users``, ``outside_users``, ``not_in_lookup`` (town names counted as outside,
        with users), ``by_district`` (GA4 users per district: DataFrame) and ``method``.
    """
    rows = _month_rows(web_city, month)
    if len(rows) == 0:
        return _no_city_export()
    users = pd.to_numeric(rows["active_users"], errors="coerce").fillna(0).to_numpy(dtype=float)
    names = [_norm_place(c) for c in rows["city"]]
    not_set_mask = np.array([n in ("(not set)", "", "(other)") for n in names])
    hits = [lookup.get(n) for n in names]
    norfolk_mask = np.array([h is not None for h in hits])
    total = float(users.sum())
    norfolk = float(users[norfolk_mask].sum())
    not_set = float(users[not_set_mask].sum())
    outside = total - norfolk - not_set
    not_in_lookup = {
        str(c): int(u)
        for c, u, nm, ns in zip(rows["city"], users, norfolk_mask, not_set_mask, strict=True)
        if not nm and not ns
    }
    return {
        "share": _norfolk_interval(norfolk, not_set, total, level, geo_error, consent_ratio),
        "tracked_users": int(total),
        "norfolk_users": int(norfolk),
        "not_set_users": int(not_set),
        "outside_users": int(outside),
        "not_in_lookup": not_in_lookup,
        "by_district": _users_by_district(hits, users),
        "method": (
            f"GA4 Town/City (IP-based) via config/town_districts.csv; Wilson {level:.0%} interval for the "
            f"consent sample; '(not set)' counted outside for the lower limit and inside for the upper; "
            + (
                f"Norfolk visitors' consent rate within ×{consent_ratio:g} of others'; "
                if consent_ratio > 1
                else ""
            )
            + f"±{geo_error:.0%} for geolocation error"
        ),
    }


def city_total_warning(
    web_city: pd.DataFrame | None,
    web_pages: pd.DataFrame | None,
    month: str,
    tolerance: float | None = None,
) -> str | None:
    """A warning when the GA4 Town/City export counts more users than the asset pages could have had.

    The Norfolk share and the tracked-user count assume the Town/City report was filtered to the
    asset pages. Its users are then at most the sum of the asset pages' users (a user of two pages
    is counted on each page). A total more than ``tolerance`` above that sum means the report
    covers more than the asset pages, most likely the whole site.

    Parameters
    ----------
    web_city : pandas.DataFrame or None
        Processed ``web_city`` (``month``, ``active_users``).
    web_pages : pandas.DataFrame or None
        Processed ``web_pages`` (``month``, ``active_users``, ``asset_id``).
    month : str
        ``YYYY-MM``.
    tolerance : float, optional
        Relative allowance above the page sum; default ``city_total_tolerance`` of
        :class:`~reach.config.ReachSettings`.

    Returns
    -------
    str or None
        The warning, naming both totals; None when the totals agree or either export is
        missing for the month.

    Examples
    --------
    >>> pages = pd.DataFrame({"month": ["2026-10"] * 3, "active_users": [60, 50, 900],
    ...                       "asset_id": ["a", "b", None]})
    >>> city = pd.DataFrame({"month": ["2026-10"] * 2, "active_users": [700, 300]})
    >>> city_total_warning(city, pages, "2026-10")[:59]
    'The GA4 Town/City export counts 1,000 users in October 2026'
    >>> city_total_warning(city.assign(active_users=[70, 30]), pages, "2026-10") is None
    True
    """
    tolerance = ReachSettings().city_total_tolerance if tolerance is None else tolerance
    city, pages = _month_rows(web_city, month), _month_rows(web_pages, month)
    if len(city) == 0 or len(pages) == 0:
        return None
    city_total = float(pd.to_numeric(city["active_users"], errors="coerce").sum())
    assets = pages[pages["asset_id"].notna()] if "asset_id" in pages else pages.iloc[0:0]
    page_sum = float(pd.to_numeric(assets["active_users"], errors="coerce").sum())
    if city_total <= page_sum * (1 + tolerance):
        return None
    return (
        f"The GA4 Town/City export counts {city_total:,.0f} users in {month_label(month)}, more than the "
        f"{page_sum:,.0f} users of all the asset pages together (the most it could count if it covered only "
        "them): it looks like a report of the whole site, not one filtered to the asset pages. The Norfolk "
        "share and the district figures describe whoever it covers; download the Town/City report again "
        "filtered to the asset pages (data/raw/README.md says how)."
    )


# =============================================================================================
# Births
# =============================================================================================


def _county_annual(county_rows: pd.DataFrame, year: int, notes: list[str]) -> tuple[float, int]:
    """The county's annual births used for ``year`` and the year they are for; fallbacks noted in ``notes``."""
    published = county_rows[(county_rows["status"] == "published") & (county_rows["year"] <= year)]
    same = published[published["year"] == year]
    if len(same):
        annual, used_year = float(same["live_births"].iloc[-1]), year
    elif len(published):
        latest = published.sort_values("year").iloc[-1]
        annual, used_year = float(latest["live_births"]), int(latest["year"])
        notes.append(
            f"{year}: county births not yet published; the {used_year} published figure "
            f"({annual:,.0f}) is used"
        )
    else:
        any_rows = county_rows[county_rows["year"] <= year].sort_values("year")
        if not len(any_rows):
            raise ValueError(f"no Norfolk ({COUNTY_CODE}) births figure for {year} or earlier")
        annual, used_year = float(any_rows["live_births"].iloc[-1]), int(any_rows["year"].iloc[-1])
        notes.append(
            f"{year}: no published county births; the {used_year} {any_rows['status'].iloc[-1]} "
            f"figure ({annual:,.0f}) is used"
        )
    return annual, used_year


def _add_district_births(
    births: pd.DataFrame,
    codes: Sequence[str],
    used_year: int,
    annual: float,
    fraction: float,
    districts: dict[str, float],
    notes: list[str],
) -> str:
    """Add one month's district births to ``districts`` in place; return the figures' status."""
    rows = births[(births["year"] == used_year) & births["area_code"].isin(codes)].dropna(
        subset=["live_births"]
    )
    if len(rows) == len(codes) and (rows["status"] == "published").all():
        for code, value in zip(rows["area_code"], rows["live_births"], strict=True):
            districts[code] += float(value) * fraction
        return "published"
    split = rows.set_index("area_code")["live_births"] if len(rows) == len(codes) else None
    if split is None or split.sum() <= 0:
        split = pd.Series(1.0, index=codes)
        notes.append(f"{used_year}: no district births; the county figure is split equally (placeholder)")
    for code in codes:
        districts[code] += annual * fraction * float(split[code]) / float(split.sum())
    return "illustrative"


def births_in_period(reference_births: pd.DataFrame, months: Sequence[str]) -> dict:
    """Live births expected in a period, county and per district, pro-rated from annual figures.

    The county figure for each month's calendar year is used when its status is ``published``;
    otherwise the latest earlier published county figure (and this is said). District figures
    are used as published when every district row of the year is ``published``; when they are
    ``illustrative`` only their split is used, applied to the county figure, and this is said.
    Each month gets ``annual × days in month / days in year``.

    Parameters
    ----------
    reference_births : pandas.DataFrame
        Processed ``reference_births`` (``year``, ``area_code``, ``area_name``,
        ``live_births``, ``status``, ``source``).
    months : sequence of str
        The period's months.

    Returns
    -------
    dict
        ``county`` (float), ``districts`` (code → float), ``district_status``
        (``"published"`` or ``"illustrative"``), ``notes`` (list of str).

    Raises
    ------
    ValueError
        If no county figure exists for or before the period.
    """
    births = reference_births.copy()
    births["year"] = pd.to_numeric(births["year"], errors="coerce")
    births["live_births"] = pd.to_numeric(births["live_births"], errors="coerce")
    births["status"] = births["status"].astype("string").str.strip().str.lower()
    county_rows = births[births["area_code"] == COUNTY_CODE].dropna(subset=["year", "live_births"])
    codes = [code for code, _ in DISTRICTS]
    county_total = 0.0
    districts = dict.fromkeys(codes, 0.0)
    notes: list[str] = []
    statuses = set()
    for month in months:
        year = int(month[:4])
        fraction = days_in_month(month) / (366 if calendar.isleap(year) else 365)
        annual, used_year = _county_annual(county_rows, year, notes)
        county_total += annual * fraction
        statuses.add(_add_district_births(births, codes, used_year, annual, fraction, districts, notes))
    status = "published" if statuses == {"published"} else "illustrative"
    if status == "illustrative":
        notes.append(
            "district births are illustrative (only the published county total is real): district "
            "coverage is indicative"
        )
    return {
        "county": county_total,
        "districts": districts,
        "district_status": status,
        "notes": list(dict.fromkeys(notes)),
    }


# =============================================================================================
# The month's reach
# =============================================================================================


def _lookup_from(tables: Mapping[str, pd.DataFrame], cfg: Mapping[str, Any]) -> dict[str, tuple[str, str]]:
    source = cfg.get("town_districts")
    if source is None:
        source = tables.get("town_districts", tables.get("reference_town_districts"))
    if source is None:
        raise ValueError(
            "the Town/City → district lookup is missing: read config/town_districts.csv and pass it as "
            "settings['reach']['town_districts'] (or town_districts=...)"
        )
    return source if isinstance(source, dict) else town_lookup(source)
