"""Seeded synthetic GA4 BigQuery ``events_*`` export, as newline-delimited JSON, with its truth.

:func:`write_bigquery_events` writes the rows BigQuery produces when a GA4 ``events_*`` table
is exported to JSON (GA4's BigQuery export to JSON): one nested event per line with
``event_date``, ``event_timestamp`` (UTC microseconds) and other INT64 values as strings,
``event_params`` as a list of ``{key, value{string_value | int_value}}`` records (the compact
web form of that export), an explicit ``"user_id": null``, ``user_pseudo_id``, ``privacy_info``,
``device{..., web_info}``, ``geo{continent, country, region, city}``, ``traffic_source``
(first-user acquisition), ``stream_id``, ``platform`` ``"WEB"`` and ``items`` ``[]``. A row is
about 1 KB, so 1,000,000 events make about 1.0 GB (peak RSS of the generator about 220 MB).

The simulation is session based: every day of the month gets a share of the events (weekday
pattern); each session belongs to a new user (``first_visit`` + ``session_start``) or to a
returning user from an earlier day, views a few pages (``page_view``, and after each page maybe
``scroll`` and ``user_engagement`` carrying ``engagement_time_msec``), and when it came from a
campaign, referral or search its ``session_start`` and first ``page_view`` carry ``source``,
``medium`` and ``campaign``. Cities are Norfolk towns, other UK cities, ``""`` and
``(not set)``.

Events are streamed to disk in chunks (the file is never held in memory) and the generator's
own bookkeeping records the true aggregates, returned as a dict so that tests can compare the
reader (:func:`reach.ingest.bigquery.parse_bigquery`) with what was planted, without re-reading the
file.

Command line::

    python -m reach.sample.bigquery --events 1000000 --out DIR [--seed 2026] [--month 2026-10] [--gzip]

``reach sample --out DIR --bigquery-events N`` writes the synthetic sample and, beside its
``raw/`` folder, ``DIR/bigquery/events_<YYYYMM>.json`` for the sample's last month.
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import gzip
import json
import random
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np

from reach.core.urls import normalise_path
from reach.errors import InputValidationError

_SITE = "https://www.justonenorfolk.nhs.uk"


_TZ = ZoneInfo("Europe/London")


_STREAM_ID = "4917352806"


_CHUNK_EVENTS = 20_000


#: (path as it appears in page_location, page title, weight). Variants with a trailing slash,
#: upper case or a query string normalise to the same page path.
_PAGES: tuple[tuple[str, str, float], ...] = (
    ("/", "Just One Norfolk", 14.0),
    ("/baby-sleep/", "Baby sleep", 6.0),
    ("/baby-sleep/safer-sleep/", "Safer sleep for your baby", 9.0),
    (
        "/baby-sleep/safer-sleep/?utm_source=qr&utm_medium=print",
        "Safer sleep for your baby",
        1.5,
    ),
    ("/Baby-Sleep/Safer-Sleep", "Safer sleep for your baby", 0.4),
    ("/baby-sleep/co-sleeping-and-bed-sharing/", "Co-sleeping and bed-sharing", 4.0),
    ("/baby-sleep/safer-sleep/room-temperature/", "Room temperature and bedding", 2.0),
    ("/crying/icon-babies-cry-you-can-cope/", "ICON: babies cry, you can cope", 3.0),
    ("/dads/", "Dads", 2.5),
    ("/professionals/concealed-pregnancy/", "Concealed pregnancy", 0.8),
    ("/feeding/", "Feeding your baby", 7.0),
    ("/feeding/breastfeeding/", "Breastfeeding", 3.5),
    ("/toddlers/potty-training/", "Potty training", 4.0),
    ("/health-visiting/", "Health visiting", 4.0),
    ("/search/?q=sleep", "Search", 1.2),
    ("/search/?q=cot+death", "Search", 0.3),
    ("/contact-us/", "Contact us", 1.5),
)


#: (continent, sub_continent, country, region, city, metro, weight)
_GEOS: tuple[tuple[str, str, str, str, str, str, float], ...] = (
    *(
        ("Europe", "Northern Europe", "United Kingdom", "England", town, "(not set)", w)
        for town, w in (
            ("Norwich", 30.0),
            ("King's Lynn", 7.0),
            ("Great Yarmouth", 6.0),
            ("Thetford", 3.5),
            ("Dereham", 3.0),
            ("Wymondham", 2.5),
            ("Cromer", 1.5),
            ("North Walsham", 1.5),
            ("Fakenham", 1.0),
            ("Diss", 1.2),
            ("Attleborough", 1.0),
            ("Swaffham", 0.8),
            ("Downham Market", 1.0),
            ("Sheringham", 0.7),
            ("Lowestoft", 2.0),
            ("London", 6.0),
            ("Ipswich", 1.5),
            ("Cambridge", 2.0),
            ("Peterborough", 1.2),
            ("Birmingham", 1.0),
            ("Manchester", 1.0),
        )
    ),
    ("Europe", "Northern Europe", "United Kingdom", "England", "", "(not set)", 5.0),
    ("Europe", "Northern Europe", "United Kingdom", "(not set)", "(not set)", "(not set)", 4.0),
    ("Europe", "Northern Europe", "Ireland", "County Dublin", "Dublin", "(not set)", 0.4),
    ("Americas", "Northern America", "United States", "Virginia", "Ashburn", "(not set)", 0.6),
    ("(not set)", "(not set)", "(not set)", "(not set)", "", "(not set)", 0.3),
)


#: (category, operating_system, os version, browser, browser version, mobile brand, weight)
_DEVICES: tuple[tuple[str, str, str, str, str, str, float], ...] = (
    ("mobile", "iOS", "iOS 18.6", "Safari", "18.6", "Apple", 34.0),
    ("mobile", "Android", "Android 15", "Chrome", "140.0.7339.207", "Samsung", 22.0),
    ("mobile", "Android", "Android 14", "Chrome", "139.0.7258.158", "Google", 6.0),
    ("desktop", "Windows", "Windows 11", "Edge", "140.0.3485.94", "Microsoft", 14.0),
    ("desktop", "Windows", "Windows 10", "Chrome", "140.0.7339.208", "Google", 9.0),
    ("desktop", "Macintosh", "Macintosh Intel 10.15", "Safari", "18.6", "Apple", 5.0),
    ("tablet", "iOS", "iPadOS 18.6", "Safari", "18.6", "Apple", 5.0),
    ("tablet", "Android", "Android 14", "Chrome", "140.0.7339.207", "Samsung", 2.0),
)


_LANGUAGES = (
    ("en-gb", 80.0),
    ("en-us", 12.0),
    ("pl-pl", 3.0),
    ("lt-lt", 1.5),
    ("ro-ro", 1.5),
    ("pt-pt", 2.0),
)


#: Session traffic: (source, medium, campaign, weight, referrer); None = direct (no params).
_TRAFFIC: tuple[tuple[str | None, str | None, str | None, float, str | None], ...] = (
    (None, None, None, 38.0, None),
    ("google", "organic", "(organic)", 30.0, "https://www.google.com/"),
    ("bing", "organic", "(organic)", 3.0, "https://www.bing.com/"),
    ("m.facebook.com", "referral", "(referral)", 6.0, "http://m.facebook.com/"),
    ("facebook", "social", "safer-sleep-week-2026", 5.0, "https://l.facebook.com/"),
    ("facebook", "paid_social", "safer-sleep-autumn-2026", 4.0, "https://l.facebook.com/"),
    ("qr", "print", "safer-sleep-autumn-2026", 2.0, None),
    ("nhs.uk", "referral", "(referral)", 3.0, "https://www.nhs.uk/"),
    ("newsletter", "email", "health-visiting-news", 2.5, None),
    ("youtube.com", "referral", "(referral)", 1.5, "https://www.youtube.com/"),
)


#: First-user acquisition (the ``traffic_source`` record), weights.
_FIRST_TRAFFIC: tuple[tuple[str, str, str, float], ...] = (
    ("(direct)", "(none)", "(direct)", 40.0),
    ("(organic)", "organic", "google", 33.0),
    ("(referral)", "referral", "m.facebook.com", 8.0),
    ("safer-sleep-week-2026", "social", "facebook", 6.0),
    ("safer-sleep-autumn-2026", "paid_social", "facebook", 5.0),
    ("(referral)", "referral", "nhs.uk", 4.0),
    ("health-visiting-news", "email", "newsletter", 4.0),
)


def _sval(key: str, text: str) -> str:
    return f'{{"key":"{key}","value":{{"string_value":{json.dumps(text, ensure_ascii=False)}}}}}'


def _ival(key: str, number: int) -> str:
    return f'{{"key":"{key}","value":{{"int_value":"{number}"}}}}'


def _month_days(month: str) -> list[dt.date]:
    try:
        year, mon = (int(x) for x in month.split("-"))
        ndays = calendar.monthrange(year, mon)[1]
    except (ValueError, calendar.IllegalMonthError) as err:
        raise InputValidationError("expected a month as YYYY-MM", value=month) from err
    return [dt.date(year, mon, d) for d in range(1, ndays + 1)]


def _day_budgets(days: list[dt.date], events: int, rng: random.Random) -> list[int]:
    weights = np.array(
        [(1.15 if d.weekday() < 5 else 0.8) * (0.9 + 0.2 * rng.random()) for d in days], dtype=float
    )
    raw = weights / weights.sum() * events
    budgets = np.floor(raw).astype(int)
    rest = events - int(budgets.sum())
    for i in np.argsort(-(raw - budgets), kind="stable")[:rest]:
        budgets[i] += 1
    return [int(b) for b in budgets]


class _Truth:
    """The generator's own bookkeeping of what it wrote."""

    def __init__(self, days: list[dt.date], paths: list[str], cities: list[str]) -> None:
        self.days = days
        self.paths = paths
        self.cities = cities
        self.events = 0
        self.by_name: dict[str, int] = defaultdict(int)
        self.seen = bytearray()
        self.view_keys: list[np.ndarray] = []
        self._views: list[int] = []
        self.city_keys: list[np.ndarray] = []
        self._cities: list[int] = []
        self.engagement: dict[tuple[int, int], int] = defaultdict(int)
        self.campaign_sessions: dict[tuple[int, tuple[str, str, str]], set[tuple[int, int]]] = defaultdict(
            set
        )
        self.campaign_users: dict[tuple[int, tuple[str, str, str]], set[int]] = defaultdict(set)
        self.n_days = len(days)
        self.day_events = [0] * len(days)
        self.n_paths = len(paths)
        self.n_cities = len(cities)

    def flush(self) -> None:
        if self._views:
            self.view_keys.append(np.array(self._views, dtype=np.int64))
            self._views = []
        if self._cities:
            self.city_keys.append(np.unique(np.array(self._cities, dtype=np.int64)))
            self._cities = []

    def record(
        self,
        name: str,
        u: int,
        p_n: int,
        city: int,
        d_i: int,
        eng: int,
        campaign: tuple[str, str, str] | None,
        sid: int,
    ) -> None:
        """Count one written event of user ``u`` on page ``p_n``, city ``city`` and day ``d_i``."""
        self.events += 1
        self.by_name[name] += 1
        self.day_events[d_i] += 1
        seen = self.seen
        if u >= len(seen):
            seen.extend(b"\0" * (u + 1 - len(seen)))
        seen[u] = 1
        if name == "page_view":
            self._views.append((u * self.n_paths + p_n) * self.n_days + d_i)
        self._cities.append(u * self.n_cities * self.n_days + city * self.n_days + d_i)
        if eng:
            self.engagement[(p_n, d_i)] += eng
        if campaign is not None:
            key = (d_i, campaign)
            self.campaign_sessions[key].add((u, sid))
            self.campaign_users[key].add(u)

    def result(self, n_users: int, path: Path, nbytes: int, compress: bool, seed: int, month: str) -> dict:
        self.flush()
        views = np.concatenate(self.view_keys) if self.view_keys else np.zeros(0, np.int64)
        # key = (user * n_paths + path) * n_days + day
        uniq, counts = np.unique(views, return_counts=True)
        day_path = uniq % (self.n_paths * self.n_days)
        users_dp = np.bincount(day_path, minlength=self.n_paths * self.n_days)
        views_dp = np.bincount(day_path, weights=counts, minlength=self.n_paths * self.n_days).astype(
            np.int64
        )
        per_page_day = {}
        per_page: dict[str, dict[str, int]] = {}
        for p in range(self.n_paths):
            pname = self.paths[p]
            for d in range(self.n_days):
                i = p * self.n_days + d
                if views_dp[i]:
                    per_page_day[(self.days[d].isoformat(), pname)] = {
                        "views": int(views_dp[i]),
                        "users": int(users_dp[i]),
                        "engagement_time_msec": int(self.engagement.get((p, d), 0)),
                    }
        user_page = np.unique(uniq // self.n_days) if len(uniq) else uniq
        page_users = np.bincount(user_page % self.n_paths, minlength=self.n_paths)
        for p in range(self.n_paths):
            v = int(views_dp[p * self.n_days : (p + 1) * self.n_days].sum())
            if v:
                per_page[self.paths[p]] = {"views": v, "users": int(page_users[p])}
        for (p, d), eng in self.engagement.items():  # engagement on days without a page_view
            key = (self.days[d].isoformat(), self.paths[p])
            if key not in per_page_day:
                per_page_day[key] = {"views": 0, "users": 0, "engagement_time_msec": int(eng)}
        cities = np.unique(np.concatenate(self.city_keys)) if self.city_keys else np.zeros(0, np.int64)
        dc = cities % (self.n_cities * self.n_days)
        city_counts = np.bincount(dc, minlength=self.n_cities * self.n_days)
        per_city_day = {
            (self.days[i % self.n_days].isoformat(), self.cities[i // self.n_days]): int(c)
            for i, c in enumerate(city_counts)
            if c
        }
        per_campaign_day = {
            (self.days[d].isoformat(), *camp): {
                "sessions": len(sessions),
                "users": len(self.campaign_users[(d, camp)]),
            }
            for (d, camp), sessions in self.campaign_sessions.items()
        }
        active = [d for d, n in enumerate(self.day_events) if n]
        return {
            "path": str(path),
            "bytes": nbytes,
            "compressed": compress,
            "seed": seed,
            "month": month,
            "events": self.events,
            "events_by_name": dict(sorted(self.by_name.items())),
            "distinct_users": int(sum(self.seen)),
            "users_created": n_users,
            "page_views": int(len(views)),
            "start": self.days[active[0]].isoformat() if active else None,
            "end": self.days[active[-1]].isoformat() if active else None,
            "engagement_time_msec": int(sum(self.engagement.values())),
            "per_page": per_page,
            "per_page_day": per_page_day,
            "per_city_day": per_city_day,
            "per_campaign_day": per_campaign_day,
        }


def write_bigquery_events(
    path: str | Path,
    events: int = 1_000_000,
    seed: int = 2026,
    month: str = "2026-10",
    compress: bool = False,
) -> dict:
    """Write a synthetic GA4 BigQuery ``events_*`` export as newline-delimited JSON.

    Parameters
    ----------
    path : str or pathlib.Path
        The file to write (parent folders are created). With ``compress=True`` it is gzip
        compressed (name it ``*.json.gz``).
    events : int, default 1,000,000
        Exact number of events (lines) to write; about 1 KB each uncompressed.
    seed : int, default 2026
        Seed; the same seed, events and month give byte-identical output.
    month : str, default "2026-10"
        Month ``YYYY-MM`` whose days the events fall on (``event_date``, Europe/London).
    compress : bool, default False
        Write gzip-compressed NDJSON.

    Returns
    -------
    dict
        The truth planted, from the generator's own bookkeeping: ``events``, ``events_by_name``,
        ``distinct_users`` (distinct ``user_pseudo_id`` over the file), ``page_views``,
        ``engagement_time_msec`` (sum over all events), ``start``/``end`` (ISO dates),
        ``per_page`` (normalised page path -> ``{"views", "users"}`` over the month),
        ``per_page_day`` (``(ISO date, page path)`` -> ``{"views", "users",
        "engagement_time_msec"}``), ``per_city_day`` (``(ISO date, city)`` -> distinct users; ``""``
        counted as ``"(not set)"``), ``per_campaign_day`` (``(ISO date, source, medium,
        campaign)`` -> ``{"sessions", "users"}``), plus ``path``, ``bytes``, ``seed``, ``month``.
    """
    if int(events) < 0:
        raise InputValidationError("the number of events must be zero or more", value=events)
    events = int(events)
    rng = random.Random(seed)
    days = _month_days(month)
    budgets = _day_budgets(days, events, rng)
    frags = _build_fragments()
    users = _Users()
    truth = _Truth(days, frags.paths, frags.city_names)

    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    opener = (
        (lambda p: gzip.open(p, "wt", encoding="utf-8", compresslevel=6, newline="\n"))
        if compress
        else (
            lambda p: open(p, "w", encoding="utf-8", newline="\n")  # noqa: SIM115 - closed below
        )
    )
    with opener(out) as fh:
        writer = _EventWriter(fh, rng, frags, users, truth)
        for d_i, (day, budget) in enumerate(zip(days, budgets, strict=True)):
            writer.write_day(d_i, day, budget)
        writer.finish()
    return truth.result(len(users.ids), out, out.stat().st_size, compress, seed, month)


@dataclass(frozen=True)
class _Fragments:
    """Pre-rendered JSON fragments, lookup indices and draw weights shared by every event."""

    page_frags: list[tuple[str, str, str]]
    paths: list[str]
    page_norm: list[int]
    page_weights: list[float]
    geo_frags: list[str]
    city_names: list[str]
    geo_city: list[int]
    geo_weights: list[float]
    device_frags: list[str]
    device_weights: list[float]
    first_frags: list[str]
    first_weights: list[float]
    traffic_weights: list[float]
    traffic_frags: list[tuple[str, tuple[str, str, str]] | None]
    ref_frags: list[str | None]


def _build_fragments() -> _Fragments:
    """Render the page, geo, device and traffic fragments and their weights."""
    page_frags = [
        (
            _sval("page_location", _SITE + p),
            _sval("page_title", title),
            normalise_path(p),
        )
        for p, title, _ in _PAGES
    ]
    paths = sorted({f[2] for f in page_frags})
    path_index = {p: i for i, p in enumerate(paths)}

    geo_frags = [
        json.dumps(
            {"continent": g[0], "country": g[2], "region": g[3], "city": g[4]},
            separators=(",", ":"),
            ensure_ascii=False,
        )
        for g in _GEOS
    ]
    city_names = sorted({(g[4] if g[4] not in ("", "(not set)") else "(not set)") for g in _GEOS})
    city_index = {c: i for i, c in enumerate(city_names)}

    device_frags, device_weights = _device_fragments()
    traffic_frags = [
        None
        if t[0] is None
        else (
            _sval("source", t[0]) + "," + _sval("medium", t[1]) + "," + _sval("campaign", t[2]),
            (t[0], t[1], t[2]),
        )
        for t in _TRAFFIC
    ]
    return _Fragments(
        page_frags=page_frags,
        paths=paths,
        page_norm=[path_index[f[2]] for f in page_frags],
        page_weights=[w for _, _, w in _PAGES],
        geo_frags=geo_frags,
        city_names=city_names,
        geo_city=[city_index[g[4] if g[4] not in ("", "(not set)") else "(not set)"] for g in _GEOS],
        geo_weights=[g[6] for g in _GEOS],
        device_frags=device_frags,
        device_weights=device_weights,
        first_frags=[
            json.dumps({"name": t[0], "medium": t[1], "source": t[2]}, separators=(",", ":"))
            for t in _FIRST_TRAFFIC
        ],
        first_weights=[t[3] for t in _FIRST_TRAFFIC],
        traffic_weights=[t[3] for t in _TRAFFIC],
        traffic_frags=traffic_frags,
        ref_frags=[None if t[4] is None else _sval("page_referrer", t[4]) for t in _TRAFFIC],
    )


def _device_fragments() -> tuple[list[str], list[float]]:
    """Render one ``device`` record per (device, language) pair, with its weight."""
    device_frags = []
    device_weights = []
    for d in _DEVICES:
        for lang, lw in _LANGUAGES:
            device_frags.append(
                json.dumps(
                    {
                        "category": d[0],
                        "operating_system": d[1],
                        "language": lang,
                        "web_info": {"browser": d[3], "browser_version": d[4].split(".")[0]},
                    },
                    separators=(",", ":"),
                )
            )
            device_weights.append(d[6] * lw)
    return device_frags, device_weights


@dataclass
class _Users:
    """The users created so far: pseudo id, device, geo, first traffic and sessions so far."""

    ids: list[str] = field(default_factory=list)
    dev: list[int] = field(default_factory=list)
    geo: list[int] = field(default_factory=list)
    first_traffic: list[int] = field(default_factory=list)
    sessions: list[int] = field(default_factory=list)


class _EventWriter:
    """Simulates the sessions of each day and streams their events to ``fh`` in chunks."""

    def __init__(self, fh, rng: random.Random, frags: _Fragments, users: _Users, truth: _Truth) -> None:
        self.fh = fh
        self.rng = rng
        self.frags = frags
        self.users = users
        self.truth = truth
        self.buf: list[str] = []

    def write_day(self, d_i: int, day: dt.date, budget: int) -> None:
        """Write sessions on day ``d_i`` until exactly ``budget`` events are written."""
        date_s = day.strftime("%Y%m%d")
        midnight_local = dt.datetime(day.year, day.month, day.day, tzinfo=_TZ)
        offsets = [
            int((midnight_local + dt.timedelta(hours=h)).utcoffset().total_seconds()) for h in range(24)
        ]
        day_start = int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp())
        returning_pool = len(self.users.ids)
        written = 0
        while written < budget:
            u, start_s, new = self._session_user(returning_pool, day_start, offsets)
            written = self._write_session(d_i, date_s, u, start_s, new, written, budget)

    def finish(self) -> None:
        """Write the events still buffered."""
        if self.buf:
            self.fh.write("".join(self.buf))

    def _start_second(self, day_start: int, offsets: list[int]) -> int:
        """Draw a session's start (UTC seconds) on the day, peaking in the evening local time."""
        rng = self.rng
        hour = min(23, int(rng.triangular(6, 24, 20)))
        sec = hour * 3600 + rng.randrange(3600)
        return day_start + sec - offsets[hour]

    def _session_user(self, returning_pool: int, day_start: int, offsets: list[int]) -> tuple[int, int, bool]:
        """Pick a new user or one from an earlier day: (user, session start, new?)."""
        rng, users, fr = self.rng, self.users, self.frags
        if returning_pool == 0 or rng.random() < 0.42:
            u = len(users.ids)
            start_s = self._start_second(day_start, offsets)
            users.ids.append(f"{rng.randrange(10**8, 2 * 10**9)}.{start_s}")
            users.dev.append(rng.choices(range(len(fr.device_frags)), fr.device_weights)[0])
            users.geo.append(rng.choices(range(len(_GEOS)), fr.geo_weights)[0])
            users.first_traffic.append(rng.choices(range(len(fr.first_frags)), fr.first_weights)[0])
            users.sessions.append(0)
            return u, start_s, True
        u = rng.randrange(returning_pool)
        return u, self._start_second(day_start, offsets), False

    def _user_tail(self, u: int) -> str:
        """The JSON after ``event_params`` for user ``u``'s events, newline included."""
        fr, users = self.frags, self.users
        return (
            ',"user_id":null,"user_pseudo_id":"'
            + users.ids[u]
            + '","privacy_info":{"analytics_storage":"Yes","ads_storage":"No","uses_transient_token":"No"}'
            + ',"device":'
            + fr.device_frags[users.dev[u]]
            + ',"geo":'
            + fr.geo_frags[users.geo[u]]
            + ',"traffic_source":'
            + fr.first_frags[users.first_traffic[u]]
            + ',"stream_id":"'
            + _STREAM_ID
            + '","platform":"WEB","items":[]}\n'
        )

    def _write_session(
        self, d_i: int, date_s: str, u: int, start_s: int, new: bool, written: int, budget: int
    ) -> int:
        """Write one session of user ``u`` without exceeding ``budget``; return the events written so far."""
        rng, fr, truth = self.rng, self.frags, self.truth
        self.users.sessions[u] += 1
        snum = self.users.sessions[u]
        sid = start_s
        t_us = start_s * 1_000_000 + rng.randrange(1_000_000)
        tr = rng.choices(range(len(_TRAFFIC)), fr.traffic_weights)[0]
        tfrag = fr.traffic_frags[tr]
        ref = fr.ref_frags[tr]
        engaged = rng.random() < 0.62
        n_views = 1 + min(int(rng.expovariate(0.8)), 12)
        page = rng.choices(range(len(_PAGES)), fr.page_weights)[0]
        sid_frag = _ival("ga_session_id", sid) + "," + _ival("ga_session_number", snum)
        tail = self._user_tail(u)
        city = fr.geo_city[self.users.geo[u]]
        seq = self._session_sequence(new, page, ref, tfrag is not None, engaged, n_views)
        for name, pg, extra, eng, camp in seq:
            if written >= budget:
                break
            written += 1
            t_us += rng.randrange(200_000, 40_000_000)
            loc, title, _norm = fr.page_frags[pg]
            params = loc + "," + title + "," + sid_frag + extra
            if name in ("session_start", "user_engagement"):
                params += "," + _sval("session_engaged", "1" if engaged else "0")
            if eng:
                params += "," + _ival("engagement_time_msec", eng)
            if camp:
                params += "," + tfrag[0]
            self.buf.append(
                f'{{"event_date":"{date_s}","event_timestamp":"{t_us}","event_name":"{name}",'
                f'"event_params":[{params}]{tail}'
            )
            truth.record(name, u, fr.page_norm[pg], city, d_i, eng, tfrag[1] if camp else None, sid)
            if len(self.buf) >= _CHUNK_EVENTS:
                self.fh.write("".join(self.buf))
                self.buf = []
                truth.flush()
        return written

    def _session_sequence(
        self, new: bool, page: int, ref: str | None, has_campaign: bool, engaged: bool, n_views: int
    ) -> list[tuple[str, int, str, int, bool]]:
        """The session's events: (name, page, extra params, engagement ms, carries campaign?)."""
        rng, page_weights = self.rng, self.frags.page_weights
        seq: list[tuple[str, int, str, int, bool]] = []
        if new:
            seq.append(("first_visit", page, "", 0, False))
        seq.append(("session_start", page, ("," + ref if ref else ""), 0, has_campaign))
        for v in range(n_views):
            if v:
                page = rng.choices(range(len(_PAGES)), page_weights)[0]
            extra = "," + _ival("entrances", 1) if v == 0 else ""
            if v == 0 and ref:
                extra += "," + ref
            if engaged and v:
                extra += "," + _ival("engaged_session_event", 1)
            seq.append(("page_view", page, extra, 0, v == 0 and has_campaign))
            if rng.random() < 0.3:
                seq.append(
                    ("scroll", page, "," + _ival("percent_scrolled", 90), rng.randrange(2000, 60000), False)
                )
            if engaged and rng.random() < 0.75:
                seq.append(("user_engagement", page, "", int(rng.lognormvariate(9.8, 1.0)) + 1, False))
        return seq


def main(argv: list[str] | None = None) -> int:
    """Command line: write a synthetic BigQuery export and print its planted totals as JSON.

    Parameters
    ----------
    argv : list of str, optional
        ``--events N --out DIR [--seed S] [--month YYYY-MM] [--gzip]``; defaults to ``sys.argv[1:]``.

    Returns
    -------
    int
        0 on success.
    """
    parser = argparse.ArgumentParser(
        prog="python -m reach.sample.bigquery",
        description="Write a synthetic GA4 BigQuery events export (NDJSON).",
    )
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--out", required=True, help="folder to write events_<YYYYMM>.json[.gz] into")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--month", default="2026-10")
    parser.add_argument("--gzip", action="store_true")
    args = parser.parse_args(argv)
    name = f"events_{args.month.replace('-', '')}.json" + (".gz" if args.gzip else "")
    truth = write_bigquery_events(Path(args.out) / name, args.events, args.seed, args.month, args.gzip)
    summary = {
        k: truth[k] for k in ("path", "bytes", "events", "distinct_users", "page_views", "start", "end")
    }
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
