import hashlib

from reach.run import verify as run_verify


class TestCompareSummary:
    def test_nested_difference_is_named(self):
        recorded = {"web": {"page_views": 10}, "month": "2026-10"}
        rebuilt = {"web": {"page_views": 11}, "month": "2026-10"}
        assert run_verify.compare_summary(recorded, rebuilt) == [
            "web.page_views: 10 in the report, 11 on re-running"
        ]

    def test_identical_summaries(self):
        assert run_verify.compare_summary({"a": 1}, {"a": 1}) == []


class TestCompareInputs:
    def test_changed_disappeared_and_appeared(self, tmp_path):
        raw, reference = tmp_path / "raw", tmp_path / "reference"
        (raw / "2026-10").mkdir(parents=True)
        reference.mkdir()
        (raw / "2026-10" / "same.csv").write_bytes(b"a")
        (raw / "2026-10" / "changed.csv").write_bytes(b"new")
        (raw / "2026-10" / "new.csv").write_bytes(b"n")
        (reference / "assets.csv").write_bytes(b"r")
        manifest = {
            "month": "2026-10",
            "inputs": [
                {
                    "path": "2026-10/same.csv",
                    "role": "raw export",
                    "sha256": hashlib.sha256(b"a").hexdigest(),
                },
                {
                    "path": "2026-10/changed.csv",
                    "role": "raw export",
                    "sha256": hashlib.sha256(b"old").hexdigest(),
                },
                {"path": "2026-10/gone.csv", "role": "raw export", "sha256": "0" * 64},
                {
                    "path": "reference/assets.csv",
                    "role": "reference",
                    "sha256": hashlib.sha256(b"r").hexdigest(),
                },
            ],
            "notebooks": [],
            "config": None,
        }
        problems = run_verify.compare_inputs(manifest, raw, reference)
        assert any(p.startswith("changed: 2026-10/changed.csv") for p in problems)
        assert any(p.startswith("disappeared: 2026-10/gone.csv") for p in problems)
        assert any(p.startswith("appeared: 2026-10/new.csv") for p in problems)
        assert len(problems) == 3
