"""`reach inspect --json` on the real exports in ../shared (skipped where ../shared is absent).

Expected values were read off the files by hand (line counts, preamble dates) and MANIFEST.md.
"""

import json

import pytest

from tests.conftest import run_cli

pytestmark = pytest.mark.needs_shared

EXPECTED = {
    "ga4__liga-nt__Pages_and_screens_Page_path_and_screen_class.csv": (
        "ga4_report",
        "2026-02-24",
        "2026-03-23",
        56,
    ),
    "ga4__marko7bub__data-export.csv": ("ga4_report", "2023-07-08", "2024-03-04", 241),
    "ga4__Anas3rdshade__Landing_page_Landing_page.csv": ("ga4_report", "2025-02-01", "2025-08-04", 211),
    "yt__priyankapatel05__Table data.csv": ("youtube_table", None, None, 442),
    "yt__priyankapatel05__Chart data.csv": ("youtube_chart", "2025-06-13", "2026-06-12", 1825),
    "yt__priyankapatel05__Totals.csv": ("youtube_totals", "2025-06-13", "2026-06-12", 365),
    "meta__Anas3rdshade__Untitled-report-Feb-1-2025-to-Aug-4-2025_Reach.csv": (
        "meta_ads",
        "2025-02-01",
        "2025-08-04",
        15,
    ),
    "forms__sshah98__Form_Responses_1.csv": ("forms_google", "2018-09-06", "2018-09-06", 21),
}


def test_every_real_export_is_recognised(shared_dir):
    files = sorted((shared_dir / "real-exports").glob("*.csv"))
    assert {f.name for f in files} == set(EXPECTED), "a new real export needs its expected values here"
    result = run_cli("inspect", "--json", "--date-order", "MDY", *map(str, files))
    assert result.returncode == 0, result.stderr
    found = {item["path"].rsplit("/", 1)[-1]: item for item in json.loads(result.stdout)}
    for name, (kind, start, end, rows) in EXPECTED.items():
        item = found[name]
        assert (item["kind"], item["start"], item["end"], item["rows"]) == (kind, start, end, rows), name
        assert "error" not in item


def test_excel_resaved_totals_are_announced(shared_dir):
    result = run_cli(
        "inspect", "--json", str(shared_dir / "real-exports" / "yt__priyankapatel05__Totals.csv")
    )
    (item,) = json.loads(result.stdout)
    assert any("Excel" in w for w in item["warnings"])


def test_ambiguous_form_dates_without_an_order_is_a_clear_error(shared_dir):
    from reach.ingest.inspect import inspect_files

    path = shared_dir / "real-exports" / "forms__sshah98__Form_Responses_1.csv"
    (item,) = inspect_files([path], date_order=None)
    assert "forms_date_order" in item["error"]


def test_non_export_file_is_refused_not_crashed(shared_dir):
    result = run_cli("inspect", "--json", str(shared_dir / "real-exports" / "MANIFEST.md"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    (item,) = json.loads(result.stdout)
    assert item["error"] and item["kind"] is None
