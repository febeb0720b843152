"""reach.ingest / reach.ingest.validate against the real exports in ../shared/real-exports.

Every expected value below was read by hand from the files and their MANIFEST.md (line counts,
preamble dates, the YouTube Total row, ...), never by running the code under test.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from reach.errors import InputValidationError
from reach.ingest.detect import detect_kind
from reach.ingest.inspect import inspect_files
from reach.ingest.read import parse_export, read_export
from reach.ingest.validate import validate_export

REAL = Path(__file__).resolve().parents[3] / "shared" / "real-exports"

pytestmark = [
    pytest.mark.needs_shared,
    pytest.mark.skipif(
        not REAL.is_dir(), reason="../shared/real-exports not present (only on the developers' machines)"
    ),
]

D = dt.date

LIGA = "ga4__liga-nt__Pages_and_screens_Page_path_and_screen_class.csv"
MARKO = "ga4__marko7bub__data-export.csv"
ANAS = "ga4__Anas3rdshade__Landing_page_Landing_page.csv"
YT_TABLE = "yt__priyankapatel05__Table data.csv"
YT_CHART = "yt__priyankapatel05__Chart data.csv"
YT_TOTALS = "yt__priyankapatel05__Totals.csv"
META_ADS = "meta__Anas3rdshade__Untitled-report-Feb-1-2025-to-Aug-4-2025_Reach.csv"
FORM = "forms__sshah98__Form_Responses_1.csv"

# name -> (kind, start, end, rows); forms need date_order (all its timestamps are 9/6/2018: ambiguous)
EXPECTED = {
    LIGA: ("ga4_report", D(2026, 2, 24), D(2026, 3, 23), 56),
    MARKO: ("ga4_report", D(2023, 7, 8), D(2024, 3, 4), 241),
    ANAS: ("ga4_report", D(2025, 2, 1), D(2025, 8, 4), 211),
    YT_TABLE: ("youtube_table", None, None, 442),
    YT_CHART: ("youtube_chart", D(2025, 6, 13), D(2026, 6, 12), 1825),
    YT_TOTALS: ("youtube_totals", D(2025, 6, 13), D(2026, 6, 12), 365),
    META_ADS: ("meta_ads", D(2025, 2, 1), D(2025, 8, 4), 15),
    FORM: ("forms_google", D(2018, 9, 6), D(2018, 9, 6), 21),
}


def load(name: str):
    return read_export(REAL / name, date_order="MDY" if name == FORM else None)


def test_every_shared_file_is_covered():
    present = {p.name for p in REAL.iterdir() if p.suffix == ".csv"}
    assert present == set(EXPECTED), "a new real export was added: give it expected values here"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_kind_period_rows_and_validation(name):
    e = load(name)
    assert (e.kind, e.start, e.end, e.rows) == EXPECTED[name]
    assert detect_kind((REAL / name).read_bytes(), name) == EXPECTED[name][0]
    assert validate_export(e) is e


class TestGA4:
    def test_liga_nt(self):
        e = load(LIGA)
        assert e.meta["account"] == "Plan Your Recovery" and e.meta["property"] == "Plan Your Recovery - GA4"
        assert e.meta["segment"] == "All Users" and e.meta["dimensions"] == ["page_path"]
        assert e.table.loc[0, "page_path"] == "/" and e.table.loc[0, "views"] == 221
        paths = set(e.table["page_path"])
        assert {"/adults/", "/adults", "//checkout/", "/favicon.ico"} <= paths
        assert e.warnings == () and e.totals is None
        assert e.meta["_line"][0] == 11 and e.meta["_line"][-1] == 66

    def test_marko7bub_date_rows_sorted_by_date(self):
        e = load(MARKO)
        assert e.meta["report_title"] == "Report CSV Export"
        dates = list(e.table["date"].dt.date)
        assert dates[0] == D(2023, 7, 8) and dates[-1] == D(2024, 3, 4)
        assert all((b - a).days == 1 for a, b in zip(dates, dates[1:], strict=False))  # one row per day
        assert e.table.loc[e.table["date"].dt.date == D(2023, 10, 10), "event_count"].item() == 11338

    def test_anas_landing_page_special_values(self):
        e = load(ANAS)
        t = e.table
        assert "(not set)" in set(t["landing_page"]) and "" in set(t["landing_page"])
        row = t[t["landing_page"] == "/products/printed-t-shirt-crop-tops-tribal-fusion"].iloc[0]
        assert (row["sessions"], row["active_users"]) == (1, 0)
        assert t["session_key_event_rate"].max() == 1
        assert t.loc[0, "landing_page"] == "/shop" and t.loc[0, "sessions"] == 845


class TestYouTube:
    def test_table_total_row_and_ids(self):
        e = load(YT_TABLE)
        assert e.totals["views"] == 181588 and e.totals["subscribers"] == 97
        assert e.totals["impressions"] == 50929 and e.totals["watch_time_hours"] == pytest.approx(243.645)
        # MANIFEST: per-video views sum to 153,235 (not the Total), subscribers sum to the Total
        assert int(e.table["views"].sum()) == 153235
        assert int(e.table["subscribers"].sum()) == 97
        ids = set(e.table["video_id"])
        assert "-i5vAKwX_bY" in ids and not any(i.startswith(" ") for i in ids)
        assert not e.table["id_damaged"].any()
        assert e.table.loc[0, "video_id"] == "UWQNrpakgcA" and e.table.loc[0, "views"] == 30331
        assert e.warnings == ()

    def test_chart_per_video_sums(self):
        e = load(YT_CHART)
        assert e.meta["metric"] == "views"
        sums = e.table.groupby("video_id")["views"].sum().to_dict()
        assert sums == {
            "2imBUt8eZaI": 4010,
            "UWQNrpakgcA": 30331,
            "_hVP92r3z3I": 4364,
            "bCDnDtsTHAk": 5051,
            "mx7T928-TGs": 4717,
        }

    def test_totals_excel_dates_warned(self):
        e = load(YT_TOTALS)
        assert e.meta["metric"] == "views"
        assert int(e.table["views"].sum()) == 181588
        assert e.table.loc[0, "views"] == 1224
        assert any("DD-MM-YYYY" in w for w in e.warnings)


class TestMetaAds:
    def test_account_total_separated(self):
        e = load(META_ADS)
        assert e.totals["reach"] == 635040 and e.totals["impressions"] == 878306
        assert e.totals["purchases"] == 3437
        assert e.table.loc[0, "campaign_name"] == "Traffic_Website Visit_28/06/25"
        assert e.table.loc[0, "reach"] == 81586
        assert e.meta["units"]["ctr_all"] == "percent"

    def test_bom_prefixed_copy_parses_the_same(self):
        data = (REAL / META_ADS).read_bytes()
        assert not data.startswith(b"\xef\xbb\xbf")
        plain = parse_export(data, META_ADS)
        bom = parse_export(b"\xef\xbb\xbf" + data, META_ADS)
        assert bom.kind == plain.kind and (bom.start, bom.end) == (plain.start, plain.end)
        assert bom.table.equals(plain.table) and bom.totals == plain.totals
        assert list(bom.table.columns)[0] == "campaign_name"


class TestGoogleForm:
    def test_rows_and_trimmed_answers(self):
        e = load(FORM)
        assert list(e.table.columns) == ["completed_at", "Full Name"]
        assert "Bernadette Melugin" in set(e.table["Full Name"])

    def test_ambiguous_timestamps_need_date_order(self):
        with pytest.raises(InputValidationError, match="date_order"):
            read_export(REAL / FORM)


def test_inspect_folder():
    out = {Path(o["path"]).name: o for o in inspect_files(sorted(REAL.glob("*.csv")), date_order="MDY")}
    assert set(out) == set(EXPECTED)
    for name, (kind, start, end, rows) in EXPECTED.items():
        o = out[name]
        assert "error" not in o, o
        assert (o["kind"], o["start"], o["end"], o["rows"]) == (
            kind,
            start.isoformat() if start else None,
            end.isoformat() if end else None,
            rows,
        )
