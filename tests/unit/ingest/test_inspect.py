# ruff: noqa: E501, W291 - hand-written CSV fixtures keep real long headers and GA4 "#  " lines

from __future__ import annotations

import json

from reach.ingest.inspect import inspect_files
from tests.unit.ingest.exports import PAGES, YT_TABLE, _zip, ga4


class TestInspectFiles:
    def test_good_and_bad(self, tmp_path):
        good = tmp_path / "Pages.csv"
        good.write_bytes(ga4(PAGES))
        bad = tmp_path / "empty.csv"
        bad.write_bytes(b"")
        neg = tmp_path / "neg.csv"
        neg.write_bytes(ga4(PAGES.replace("139,83", "-139,83")))
        out = inspect_files([good, bad, neg, tmp_path / "missing.csv"])
        json.dumps(out)  # JSON-ready
        assert out[0] == {
            "path": str(good),
            "kind": "ga4_report",
            "start": "2026-02-24",
            "end": "2026-03-23",
            "rows": 3,
            "warnings": [],
        }
        assert out[1]["kind"] is None and "empty file" in out[1]["error"]
        assert out[2]["kind"] == "ga4_report" and "line 12" in out[2]["error"]
        assert "not found" in out[3]["error"]

    def test_folder_and_zip_expanded(self, tmp_path):
        (tmp_path / "yt.zip").write_bytes(
            _zip({"Table data.csv": YT_TABLE.encode(), "Totals.csv": b"Date,Views\n2025-06-13,0\n"})
        )
        out = inspect_files([tmp_path])
        assert [o["kind"] for o in out] == ["youtube_table", "youtube_totals"]
        assert out[0]["path"].endswith("yt.zip/Table data.csv")
