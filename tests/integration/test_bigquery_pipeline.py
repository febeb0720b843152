"""A GA4 BigQuery export in a month folder goes through ``reach.build.build`` into ``web_users``.

The export is written by hand (nine events); every expected number below is worked out by hand
from those events and the bundled sample's asset registry (``ss-web`` = ``/baby-sleep/safer-sleep*``,
``cosleep-web`` = ``/baby-sleep/co-sleeping-and-bed-sharing/``).
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from reach import build
from reach import config as config_mod
from reach import store as store_mod
from reach.summary import reach as reach_summary_mod

SITE = "https://www.justonenorfolk.nhs.uk"
SS = SITE + "/baby-sleep/safer-sleep/"
COSLEEP = SITE + "/baby-sleep/co-sleeping-and-bed-sharing/"


def event(date, name, user, location, city="Norwich", engagement=None):
    params = [{"key": "page_location", "value": {"string_value": location}}]
    if engagement is not None:
        params.append({"key": "engagement_time_msec", "value": {"int_value": str(engagement)}})
    return {
        "event_date": date,
        "event_timestamp": "1790000000000000",
        "event_name": name,
        "event_params": params,
        "user_id": None,
        "user_pseudo_id": user,
        "geo": {"country": "United Kingdom", "city": city},
        "platform": "WEB",
    }


EVENTS = [
    event("20261001", "page_view", "u1", SS),  # 1
    event("20261001", "page_view", "u2", COSLEEP),  # 2
    event("20261002", "page_view", "u1", SITE + "/baby-sleep/co-sleeping-and-bed-sharing"),  # 3
    event("20261010", "session_start", "u3", SITE + "/", city="King's Lynn"),  # 4
    event("20261010", "page_view", "u3", SITE + "/", city="King's Lynn"),  # 5: not an asset page
    event(
        "20261031", "page_view", "u2", SITE + "/Baby-Sleep/Safer-Sleep/?utm_source=qr", city="Great Yarmouth"
    ),
    event("20261031", "page_view", "u4", SS + "room-temperature/"),  # 7: ss-web by its wildcard
    event("20261031", "page_view", None, SS),  # 8: consent-mode ping, a view but no user
    event("20261020", "user_engagement", "u5", SS, city="Thetford", engagement=3000),  # 9: not a view
]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    base = tmp_path_factory.mktemp("bq-pipeline")
    month_dir = base / "raw" / "2026-10"
    month_dir.mkdir(parents=True)
    (month_dir / "events_202610.json").write_text("".join(json.dumps(e) + "\n" for e in EVENTS))
    settings = config_mod.load_config()
    result = build.build(
        "2026-10", base / "raw", base / "processed", config_mod.sample_dir() / "reference", settings
    )
    return result, store_mod.load_processed(base / "processed" / "2026-10"), settings


def rows(frame, columns):
    return [
        tuple(None if pd.isna(v) else v for v in r) for r in frame[columns].itertuples(index=False, name=None)
    ]


class TestBigQueryIntoTheProcessedStore:
    def test_web_users_are_distinct_over_the_month(self, built):
        _, tables, _ = built
        # any asset page: u1 (events 1, 3), u2 (2, 6), u4 (7) = 3 people, although the daily distinct
        # counts add up to 5 (1 Oct: u1, u2; 2 Oct: u1; 31 Oct: u2, u4). ss-web: u1, u2, u4;
        # cosleep-web: u2, u1. u3 saw only the home page, u5 no page view, event 8 has no user.
        assert rows(tables["web_users"], ["month", "asset_id", "users"]) == [
            ("2026-10", "cosleep-web", 2),
            ("2026-10", "ss-web", 3),
            ("2026-10", None, 3),
        ]
        assert set(tables["web_users"]["source_file"]) == {"2026-10/events_202610.json"}

    def test_pages_and_cities_of_the_month(self, built):
        _, tables, _ = built
        assert rows(tables["web_pages"], ["page_path", "views", "active_users", "asset_id"]) == [
            ("/", 1, 1, None),
            ("/baby-sleep/co-sleeping-and-bed-sharing", 2, 2, "cosleep-web"),
            ("/baby-sleep/safer-sleep", 3, 2, "ss-web"),  # events 1, 6, 8; users u1, u2
            ("/baby-sleep/safer-sleep/room-temperature", 1, 1, "ss-web"),
        ]
        assert rows(tables["web_city"], ["city", "active_users"]) == [
            ("Great Yarmouth", 1),
            ("King's Lynn", 1),
            ("Norwich", 3),  # u1, u2, u4 (event 8 has no user)
            ("Thetford", 1),
        ]

    def test_daily_rows(self, built):
        _, tables, _ = built
        daily = tables["web_daily"]
        got = [
            (d.strftime("%d"), p, v, u)
            for d, p, v, u in rows(daily, ["date", "page_path", "views", "active_users"])
        ]
        assert got == [
            ("01", "/baby-sleep/co-sleeping-and-bed-sharing", 1, 1),
            ("01", "/baby-sleep/safer-sleep", 1, 1),
            ("02", "/baby-sleep/co-sleeping-and-bed-sharing", 1, 1),
            ("10", "/", 1, 1),
            ("20", "/baby-sleep/safer-sleep", 0, 0),  # event 9: engagement time only, no view
            ("31", "/baby-sleep/safer-sleep", 2, 1),  # events 6 and 8 (no user)
            ("31", "/baby-sleep/safer-sleep/room-temperature", 1, 1),
        ]

    def test_web_reach_uses_the_bigquery_count(self, built):
        _, tables, settings = built
        web = reach_summary_mod.reach_summary(tables, "2026-10", settings)["channels"]["web"]
        assert "BigQuery" in web["method"]
        # Never fewer people than the 3 tracked users allow: each person counts as at most
        # users_per_person_max (1.25) users, so at least 3 / 1.25 = 2.4 people.
        assert web["low"] >= 2 and web["high"] >= 3
