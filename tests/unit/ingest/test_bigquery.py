"""GA4 BigQuery events export: reading NDJSON/.json.gz/Parquet with DuckDB, detection, the generator."""

from __future__ import annotations

import datetime as dt
import gzip
import json

import pandas as pd
import pytest

from reach.errors import InputValidationError, UnrecognisedExportError
from reach.ingest import read as ingest_read
from reach.ingest.bigquery import parse_bigquery
from reach.ingest.detect import detect_kind
from reach.ingest.export import KINDS
from reach.ingest.inspect import inspect_files
from reach.ingest.read import parse_export, read_export, read_exports
from reach.ingest.validate import validate_export
from reach.sample.bigquery import main as sample_main
from reach.sample.bigquery import write_bigquery_events

SITE = "https://www.justonenorfolk.nhs.uk"


def s(key, text):
    """A string parameter in BigQuery's full-schema JSON form (the other value keys explicitly null)."""
    return {
        "key": key,
        "value": {"string_value": text, "int_value": None, "float_value": None, "double_value": None},
    }


def i(key, number):
    """An integer parameter: BigQuery writes INT64 as a JSON string."""
    return {
        "key": key,
        "value": {"string_value": None, "int_value": number, "float_value": None, "double_value": None},
    }


def event(date, name, user, params, city="Norwich", ts="1791190000000000"):
    return {
        "event_date": date,
        "event_timestamp": ts,
        "event_name": name,
        "event_params": params,
        "event_previous_timestamp": None,
        "user_id": None,
        "user_pseudo_id": user,
        "privacy_info": {"analytics_storage": "Yes", "ads_storage": "No", "uses_transient_token": "No"},
        "device": {"category": "mobile", "operating_system": "iOS", "language": "en-gb", "web_info": None},
        "geo": None if city is None else {"continent": "Europe", "country": "United Kingdom", "city": city},
        "traffic_source": {"name": "(direct)", "medium": "(none)", "source": "(direct)"},
        "stream_id": "4917352806",
        "platform": "WEB",
        "items": [],
    }


A, B, C, D = "1111111111.1791190000", "2222222222.1791190100", "333.1791190200", "444.1791270000"
FB = [s("source", "facebook"), s("medium", "social"), s("campaign", "safer-sleep-week-2026")]

ROWS = [
    # 1. A views the safer-sleep page from a QR code link, in a Facebook campaign session
    event(
        "20261005",
        "page_view",
        A,
        [
            s("page_location", SITE + "/baby-sleep/safer-sleep/?utm_source=qr"),
            i("ga_session_id", "1001"),
            i("ga_session_number", "1"),
            *FB,
        ],
    ),
    # 2. A's engagement on that page
    event(
        "20261005",
        "user_engagement",
        A,
        [
            s("page_location", SITE + "/baby-sleep/safer-sleep"),
            i("engagement_time_msec", "1500"),
            i("ga_session_id", "1001"),
        ],
    ),
    # 3. B views the same page (upper case, trailing slash); empty geo city
    event(
        "20261005",
        "page_view",
        B,
        [s("page_location", SITE + "/Baby-Sleep/Safer-Sleep/"), i("ga_session_id", "2001")],
        city="",
    ),
    # 4. A views it again
    event(
        "20261005",
        "page_view",
        A,
        [s("page_location", SITE + "/baby-sleep/safer-sleep/"), i("ga_session_id", "1001")],
    ),
    # 5. C starts a Facebook campaign session on /dads/ (no geo record at all)
    event(
        "20261005",
        "session_start",
        C,
        [
            s("page_location", SITE + "/dads/"),
            i("ga_session_id", "3001"),
            i("engagement_time_msec", None),
            *FB,
        ],
        city=None,
    ),
    # 6. C views /dads/ (this page_view carries engagement time too)
    event(
        "20261005",
        "page_view",
        C,
        [
            s("page_location", SITE + "/dads/"),
            i("ga_session_id", "3001"),
            i("engagement_time_msec", "250"),
            *FB,
        ],
        city=None,
    ),
    # 7. next day: A arrives from Google on /dads
    event(
        "20261006",
        "page_view",
        A,
        [
            s("page_location", SITE + "/dads"),
            i("ga_session_id", "1002"),
            s("source", "google"),
            s("medium", "organic"),
            s("campaign", "(organic)"),
        ],
        city="(not set)",
    ),
    # 8. A scrolls the safer-sleep page (engagement as a JSON number, as some tools write it)
    event(
        "20261006",
        "scroll",
        A,
        [
            s("page_location", SITE + "/baby-sleep/safer-sleep/"),
            {"key": "engagement_time_msec", "value": {"int_value": 700}},
            i("ga_session_id", "1002"),
        ],
        city="(not set)",
    ),
    # 9. D's first visit, no parameters at all
    event("20261006", "first_visit", D, [], city="King's Lynn"),
]

# Expected, worked out by hand from the rows above.
PAGES = [
    # date, page_path, views, users, engagement_time_msec
    ("2026-10-05", "/baby-sleep/safer-sleep", 3, 2, 1500),  # rows 1, 3, 4 (A, B, A); engagement row 2
    ("2026-10-05", "/dads", 1, 1, 250),  # row 6 (C); engagement row 6 (row 5 is null)
    ("2026-10-06", "/baby-sleep/safer-sleep", 0, 0, 700),  # only the scroll, row 8
    ("2026-10-06", "/dads", 1, 1, 0),  # row 7
]
CITIES = [
    ("2026-10-05", "(not set)", 2),  # B ("") and C (no geo)
    ("2026-10-05", "Norwich", 1),  # A
    ("2026-10-06", "(not set)", 1),  # A ("(not set)")
    ("2026-10-06", "King's Lynn", 1),  # D
]
CAMPAIGNS = [
    # date, source, medium, campaign, sessions, users
    ("2026-10-05", "facebook", "social", "safer-sleep-week-2026", 2, 2),  # (A,1001) row 1; (C,3001) rows 5, 6
    ("2026-10-06", "google", "organic", "(organic)", 1, 1),  # (A,1002) row 7
]


def ndjson(rows) -> str:
    return "".join(json.dumps(r) + "\n" for r in rows)


def tuples(frame: pd.DataFrame) -> list[tuple]:
    out = []
    for rec in frame.to_dict("records"):
        out.append(tuple(v.date().isoformat() if isinstance(v, pd.Timestamp) else v for v in rec.values()))
    return out


@pytest.fixture
def events_file(tmp_path):
    path = tmp_path / "events_20261005.json"
    path.write_text(ndjson(ROWS), encoding="utf-8")
    return path


def check_tables(e):
    assert e.kind == "ga4_bigquery"
    assert (e.start, e.end) == (dt.date(2026, 10, 5), dt.date(2026, 10, 6))
    assert list(e.table.columns) == ["date", "page_path", "views", "users", "engagement_time_msec"]
    assert tuples(e.table) == PAGES
    assert str(e.table["date"].dtype) == "datetime64[ns]"
    assert str(e.table["views"].dtype) == "Int64"
    assert tuples(e.meta["tables"]["city"]) == CITIES
    assert tuples(e.meta["tables"]["campaign"]) == CAMPAIGNS
    assert list(e.meta["tables"]["campaign"].columns) == [
        "date",
        "source",
        "medium",
        "campaign",
        "sessions",
        "users",
    ]
    assert e.meta["events"] == 9
    assert e.meta["distinct_users"] == 4
    assert e.meta["events_by_name"] == {
        "first_visit": 1,
        "page_view": 5,
        "scroll": 1,
        "session_start": 1,
        "user_engagement": 1,
    }
    validate_export(e)  # passes the pipeline's own checks (unique date/page, counts >= 0, in period)


class TestReader:
    def test_ndjson_by_hand(self, events_file):
        e = parse_bigquery(events_file)
        check_tables(e)
        assert e.meta["format"] == "ndjson"
        assert e.warnings == ()

    def test_gzip(self, tmp_path):
        path = tmp_path / "events_202610.json.gz"
        path.write_bytes(gzip.compress(ndjson(ROWS).encode()))
        e = parse_bigquery(path)
        check_tables(e)
        assert e.meta["format"] == "ndjson.gz"

    def test_gzip_recognised_by_content_not_name(self, tmp_path):
        path = tmp_path / "download"
        path.write_bytes(gzip.compress(ndjson(ROWS).encode()))
        check_tables(parse_bigquery(path))

    def test_parquet_gives_the_same_tables(self, tmp_path):
        pa = pytest.importorskip("pyarrow")
        pq = pytest.importorskip("pyarrow.parquet")
        value = pa.struct(
            [
                ("string_value", pa.string()),
                ("int_value", pa.int64()),
                ("float_value", pa.float64()),
                ("double_value", pa.float64()),
            ]
        )
        schema = pa.schema(
            [
                ("event_date", pa.string()),
                ("event_timestamp", pa.int64()),
                ("event_name", pa.string()),
                ("event_params", pa.list_(pa.struct([("key", pa.string()), ("value", value)]))),
                ("user_pseudo_id", pa.string()),
                (
                    "geo",
                    pa.struct([("continent", pa.string()), ("country", pa.string()), ("city", pa.string())]),
                ),
                ("platform", pa.string()),
            ]
        )
        typed = []
        for r in ROWS:  # in Parquet INT64 columns are integers, not strings
            params = []
            for p in r["event_params"]:
                v = {"string_value": None, "int_value": None, "float_value": None, "double_value": None}
                v.update(p["value"])
                if v["int_value"] is not None:
                    v["int_value"] = int(v["int_value"])
                params.append({"key": p["key"], "value": v})
            typed.append(
                {
                    **{k: r[k] for k in schema.names if k in r},
                    "event_params": params,
                    "event_timestamp": int(r["event_timestamp"]),
                }
            )
        path = tmp_path / "events.parquet"
        pq.write_table(pa.Table.from_pylist(typed, schema=schema), path)
        e = parse_bigquery(path)
        check_tables(e)
        assert e.meta["format"] == "parquet"
        assert detect_kind(path.read_bytes(), path.name) == "ga4_bigquery"
        assert read_export(path).rows == len(PAGES)

    def test_bytes_in_memory(self, events_file):
        check_tables(parse_bigquery(events_file, data=events_file.read_bytes()))

    def test_events_without_user_id_count_as_views_not_users(self, tmp_path):
        rows = [
            event("20261005", "page_view", A, [s("page_location", SITE + "/dads/")]),
            event("20261005", "page_view", None, [s("page_location", SITE + "/dads/")]),
        ]
        path = tmp_path / "e.json"
        path.write_text(ndjson(rows))
        e = parse_bigquery(path)
        assert tuples(e.table) == [("2026-10-05", "/dads", 2, 1, 0)]
        assert e.meta["distinct_users"] == 1
        assert any("no user_pseudo_id" in w for w in e.warnings)

    def test_page_view_without_location_is_not_set(self, tmp_path):
        path = tmp_path / "e.json"
        path.write_text(ndjson([event("20261005", "page_view", A, None)]))
        e = parse_bigquery(path)
        assert tuples(e.table) == [("2026-10-05", "(not set)", 1, 1, 0)]
        assert any("no page_location" in w for w in e.warnings)

    def test_blank_lines_and_extra_keys_are_ignored(self, tmp_path):
        path = tmp_path / "e.json"
        text = (
            ndjson(ROWS[:1])
            + "\n\n"
            + json.dumps({**ROWS[3], "ecommerce": {"x": 1}, "new_col": [1, 2]})
            + "\n"
        )
        path.write_text(text)
        assert tuples(parse_bigquery(path).table) == [("2026-10-05", "/baby-sleep/safer-sleep", 2, 1, 0)]


class TestMonthTables:
    """Month-level tables (distinct users over the whole month, never summed from days)."""

    def test_page_month_counts_each_user_once_per_page(self, events_file):
        e = parse_bigquery(events_file)
        page_month = e.meta["tables"]["page_month"]
        assert list(page_month.columns) == ["month", "page_path", "views", "users", "engagement_time_msec"]
        # safer-sleep: views rows 1, 3, 4; users A, B; engagement rows 2 and 8 (1500 + 700)
        # dads: views rows 6 and 7; users C (5 Oct) and A (6 Oct); engagement row 6
        assert list(page_month.itertuples(index=False, name=None)) == [
            ("2026-10", "/baby-sleep/safer-sleep", 3, 2, 2200),
            ("2026-10", "/dads", 2, 2, 250),
        ]

    def test_city_month_counts_a_user_once_per_city(self, events_file):
        city_month = parse_bigquery(events_file).meta["tables"]["city_month"]
        # (not set): B (""), C (no geo), A on 6 Oct ("(not set)"); A is also in Norwich on 5 Oct
        assert list(city_month.itertuples(index=False, name=None)) == [
            ("2026-10", "(not set)", 3),
            ("2026-10", "King's Lynn", 1),
            ("2026-10", "Norwich", 1),
        ]

    def test_user_pages_are_each_users_set_of_pages(self, events_file):
        user_pages = parse_bigquery(events_file).meta["tables"]["user_pages"]
        # A viewed both pages, B only safer-sleep, C only dads; D viewed no page
        assert list(user_pages.itertuples(index=False, name=None)) == [
            ("2026-10", ("/baby-sleep/safer-sleep",), 1),
            ("2026-10", ("/baby-sleep/safer-sleep", "/dads"), 1),
            ("2026-10", ("/dads",), 1),
        ]

    def test_months_are_kept_apart(self, tmp_path):
        rows = [
            event("20260930", "page_view", A, [s("page_location", SITE + "/dads/")]),
            event("20261001", "page_view", A, [s("page_location", SITE + "/dads/")]),
            event("20261001", "page_view", B, [s("page_location", SITE + "/dads/")]),
            event("20261002", "page_view", B, [s("page_location", SITE + "/dads/")]),
        ]
        path = tmp_path / "e.json"
        path.write_text(ndjson(rows))
        tables = parse_bigquery(path).meta["tables"]
        # September: A; October: A and B (B on two days is one user)
        assert list(tables["page_month"][["month", "views", "users"]].itertuples(index=False, name=None)) == [
            ("2026-09", 1, 1),
            ("2026-10", 3, 2),
        ]
        assert list(tables["user_pages"].itertuples(index=False, name=None)) == [
            ("2026-09", ("/dads",), 1),
            ("2026-10", ("/dads",), 2),
        ]


class TestBadInputs:
    def test_not_json_names_file_and_line(self, tmp_path):
        path = tmp_path / "broken.json"
        path.write_text(ndjson(ROWS[:2]) + '{"event_date": "20261005", "event_name": \n' + ndjson(ROWS[2:3]))
        with pytest.raises(InputValidationError, match="not valid JSON") as info:
            parse_bigquery(path)
        assert info.value.path == str(path)
        assert info.value.row == 3
        assert "broken.json, line 3" in str(info.value)

    def test_plain_text_is_not_json(self, tmp_path):
        path = tmp_path / "notes.json"
        path.write_text("hello world\nsecond line\n")
        with pytest.raises(InputValidationError, match="not valid JSON") as info:
            parse_bigquery(path)
        assert info.value.path == str(path) and info.value.row == 1

    def test_json_without_the_required_keys(self, tmp_path):
        path = tmp_path / "api.json"
        path.write_text('{"rows": 1, "name": "x"}\n{"rows": 2}\n')
        with pytest.raises(InputValidationError, match="event_date, event_name, user_pseudo_id") as info:
            parse_bigquery(path)
        assert info.value.path == str(path)
        with pytest.raises(UnrecognisedExportError, match="not a GA4 BigQuery events export"):
            read_export(path)

    def test_bad_event_date_names_line_and_value(self, tmp_path):
        path = tmp_path / "e.json"
        path.write_text(ndjson([ROWS[0], {**ROWS[1], "event_date": "2026-10-05"}, ROWS[2]]))
        with pytest.raises(InputValidationError, match="YYYYMMDD") as info:
            read_export(path)
        err = info.value
        assert (err.path, err.row, err.column, err.value) == (str(path), 2, "event_date", "2026-10-05")

    def test_impossible_event_date(self, tmp_path):
        path = tmp_path / "e.json"
        path.write_text(ndjson([ROWS[0], {**ROWS[1], "event_date": "20261305"}]))
        with pytest.raises(InputValidationError, match="YYYYMMDD") as info:
            parse_bigquery(path)
        assert info.value.row == 2 and info.value.value == "20261305"

    def test_missing_event_date_on_one_row(self, tmp_path):
        path = tmp_path / "e.json"
        row = {k: v for k, v in ROWS[1].items() if k != "event_date"}
        path.write_text(ndjson([ROWS[0], ROWS[2], row]))
        with pytest.raises(InputValidationError, match="YYYYMMDD") as info:
            parse_bigquery(path)
        assert info.value.row == 3

    def test_wrong_shape_of_event_params(self, tmp_path):
        path = tmp_path / "e.json"
        path.write_text(ndjson([ROWS[0], {**ROWS[1], "event_params": "page_location=/dads"}]))
        with pytest.raises(InputValidationError, match="GA4 BigQuery event shape") as info:
            parse_bigquery(path)
        assert info.value.row == 2

    def test_truncated_gzip(self, tmp_path):
        path = tmp_path / "events.json.gz"
        data = gzip.compress(ndjson(ROWS * 20).encode())
        path.write_bytes(data[: len(data) // 2])
        with pytest.raises(InputValidationError, match="damaged or truncated") as info:
            read_export(path)
        assert info.value.path == str(path)

    def test_missing_and_empty_files(self, tmp_path):
        with pytest.raises(InputValidationError, match="file not found"):
            parse_bigquery(tmp_path / "nope.json")
        empty = tmp_path / "empty.json"
        empty.write_bytes(b"")
        with pytest.raises(InputValidationError, match="empty file"):
            parse_bigquery(empty)

    def test_errors_cross_inspect_without_raising(self, tmp_path):
        path = tmp_path / "e.json"
        path.write_text(ndjson([ROWS[0], {**ROWS[1], "event_date": "5/10/2026"}]))
        [entry] = inspect_files([path])
        assert entry["kind"] is None and "line 2" in entry["error"] and "YYYYMMDD" in entry["error"]


class TestDetection:
    def test_kind_is_listed(self):
        assert "ga4_bigquery" in KINDS

    def test_detect_kind_ndjson_gzip(self, events_file):
        data = events_file.read_bytes()
        assert detect_kind(data, "events.json") == "ga4_bigquery"
        assert detect_kind(data) == "ga4_bigquery"
        assert detect_kind(gzip.compress(data), "events.json.gz") == "ga4_bigquery"

    def test_detect_kind_looks_at_the_first_line_only(self, events_file):
        first = events_file.read_bytes().split(b"\n", 1)[0]
        assert detect_kind(first + b"\n{this is not json", "x.json") == "ga4_bigquery"

    def test_other_json_is_still_refused(self):
        with pytest.raises(UnrecognisedExportError, match="JSON file"):
            detect_kind(b'{"event_date": "20261005", "event_name": "page_view"}\n')

    def test_read_export_and_inspect(self, events_file, monkeypatch):

        def no_whole_reads(path):  # the BigQuery branch must not read the whole file into memory
            raise AssertionError("read the whole file")

        monkeypatch.setattr(ingest_read, "_read_bytes", no_whole_reads)
        e = read_export(events_file)
        check_tables(e)
        [only] = read_exports(events_file)
        assert only.kind == "ga4_bigquery"
        [entry] = inspect_files([events_file.parent])
        assert entry == {
            "path": str(events_file),
            "kind": "ga4_bigquery",
            "start": "2026-10-05",
            "end": "2026-10-06",
            "rows": len(PAGES),
            "warnings": [],
        }

    def test_parse_export_from_bytes(self, events_file):
        e = parse_export(events_file.read_bytes(), events_file)
        check_tables(e)
        assert e.path == events_file

    def test_gzip_read_export(self, tmp_path):
        path = tmp_path / "events_202610.json.gz"
        path.write_bytes(gzip.compress(ndjson(ROWS).encode()))
        check_tables(read_export(path))

    def test_other_gzip_and_parquet_keep_their_messages(self, tmp_path):
        with pytest.raises(UnrecognisedExportError, match="gzip-compressed"):
            detect_kind(gzip.compress(b"a,b\n1,2\n"))
        with pytest.raises(UnrecognisedExportError, match="Parquet"):
            detect_kind(b"PAR1" + b"\0" * 20 + b"PAR1")


class TestGenerator:
    def test_reader_matches_planted_truth(self, tmp_path):
        truth = write_bigquery_events(tmp_path / "events.json", events=5000, seed=11, month="2026-10")
        assert truth["events"] == 5000
        e = read_export(tmp_path / "events.json")
        assert e.kind == "ga4_bigquery"
        assert e.meta["events"] == truth["events"]
        assert e.meta["distinct_users"] == truth["distinct_users"]
        assert e.meta["events_by_name"] == truth["events_by_name"]
        assert (e.start.isoformat(), e.end.isoformat()) == (truth["start"], truth["end"])
        got = {
            (d, p): {"views": v, "users": u, "engagement_time_msec": g} for d, p, v, u, g in tuples(e.table)
        }
        assert got == truth["per_page_day"]
        views = e.table.groupby("page_path")["views"].sum()
        for path, planted in truth["per_page"].items():
            assert views[path] == planted["views"]
        assert int(e.table["views"].sum()) == truth["page_views"]
        assert int(e.table["engagement_time_msec"].sum()) == truth["engagement_time_msec"]
        assert {(d, c): u for d, c, u in tuples(e.meta["tables"]["city"])} == truth["per_city_day"]
        camp = {
            (d, s_, m, c): {"sessions": n, "users": u}
            for d, s_, m, c, n, u in tuples(e.meta["tables"]["campaign"])
        }
        assert camp == truth["per_campaign_day"]
        assert set(truth["events_by_name"]) == {
            "page_view",
            "user_engagement",
            "scroll",
            "session_start",
            "first_visit",
        }
        validate_export(e)

    def test_planted_monthly_page_users_match_the_file(self, tmp_path):
        from reach.core.urls import normalise_path

        truth = write_bigquery_events(tmp_path / "e.json", events=3000, seed=9)
        users: dict[str, set] = {}
        views: dict[str, int] = {}
        for line in (tmp_path / "e.json").read_text().splitlines():
            row = json.loads(line)
            if row["event_name"] != "page_view":
                continue
            params = {p["key"]: p["value"] for p in row["event_params"]}
            path = normalise_path(params["page_location"]["string_value"])
            users.setdefault(path, set()).add(row["user_pseudo_id"])
            views[path] = views.get(path, 0) + 1
        assert truth["per_page"] == {p: {"views": views[p], "users": len(users[p])} for p in views}

    def test_rows_have_the_bigquery_shape(self, tmp_path):
        write_bigquery_events(tmp_path / "e.json", events=300, seed=3)
        rows = [json.loads(line) for line in (tmp_path / "e.json").read_text().splitlines()]
        assert len(rows) == 300
        r = rows[0]
        for key in (
            "event_date",
            "event_timestamp",
            "event_name",
            "event_params",
            "user_pseudo_id",
            "privacy_info",
            "device",
            "geo",
            "traffic_source",
            "stream_id",
            "platform",
            "items",
        ):
            assert key in r
        assert isinstance(r["event_timestamp"], str) and r["event_timestamp"].isdigit()  # INT64 as string
        assert r["platform"] == "WEB" and r["items"] == []
        params = {p["key"]: p["value"] for p in r["event_params"]}
        assert params["page_location"]["string_value"].startswith(SITE + "/")
        assert isinstance(params["ga_session_id"]["int_value"], str)
        assert all(row["event_date"].startswith("202610") for row in rows)
        assert any(row["geo"]["city"] in ("", "(not set)") for row in rows) or len(rows) < 1000

    def test_deterministic_and_gzip(self, tmp_path):
        t1 = write_bigquery_events(tmp_path / "a.json", events=800, seed=5)
        t2 = write_bigquery_events(tmp_path / "b.json", events=800, seed=5)
        assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
        assert {k: v for k, v in t1.items() if k != "path"} == {k: v for k, v in t2.items() if k != "path"}
        t3 = write_bigquery_events(tmp_path / "c.json.gz", events=800, seed=5, compress=True)
        assert gzip.decompress((tmp_path / "c.json.gz").read_bytes()) == (tmp_path / "a.json").read_bytes()
        assert t3["distinct_users"] == t1["distinct_users"]
        assert read_export(tmp_path / "c.json.gz").meta["distinct_users"] == t1["distinct_users"]

    def test_other_seed_differs(self, tmp_path):
        write_bigquery_events(tmp_path / "a.json", events=200, seed=1)
        write_bigquery_events(tmp_path / "b.json", events=200, seed=2)
        assert (tmp_path / "a.json").read_bytes() != (tmp_path / "b.json").read_bytes()

    def test_bad_month(self, tmp_path):
        with pytest.raises(InputValidationError, match="YYYY-MM"):
            write_bigquery_events(tmp_path / "x.json", events=10, month="October")

    def test_command_line(self, tmp_path, capsys):
        assert sample_main(["--events", "150", "--out", str(tmp_path), "--month", "2026-09"]) == 0
        out = json.loads(capsys.readouterr().out)
        assert out["events"] == 150 and out["path"].endswith("events_202609.json")
        assert read_export(out["path"]).start.month == 9
