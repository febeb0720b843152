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
        found = run_verify.compare_inputs(manifest, raw, reference)
        problems = found.files
        assert any(p.startswith("changed: 2026-10/changed.csv") for p in problems)
        assert any(p.startswith("disappeared: 2026-10/gone.csv") for p in problems)
        assert any(p.startswith("appeared: 2026-10/new.csv") for p in problems)
        assert len(problems) == 3
        assert found.manifest == []
        assert found.compared == 4


def _one_input(tmp_path, content: bytes, recorded: bytes):
    """A raw folder with one file holding ``content``, and a manifest recording the hash of ``recorded``."""
    raw = tmp_path / "raw"
    (raw / "2026-10").mkdir(parents=True)
    (raw / "2026-10" / "a.csv").write_bytes(content)
    manifest = {
        "month": "2026-10",
        "inputs": [
            {"path": "2026-10/a.csv", "role": "raw export", "sha256": hashlib.sha256(recorded).hexdigest()}
        ],
        "notebooks": [],
        "config": None,
    }
    return raw, manifest


class TestEditedManifestOrChangedFile:
    def test_intact_manifest_blames_the_file(self, tmp_path):
        raw, manifest = _one_input(tmp_path, b"new", b"old")
        found = run_verify.compare_inputs(manifest, raw, tmp_path, sealed=True)
        assert found.files == ["changed: 2026-10/a.csv (its SHA-256 differs from the one recorded)"]
        assert found.manifest == []

    def test_edited_manifest_blames_its_line(self, tmp_path):
        raw, manifest = _one_input(tmp_path, b"same", b"edited")
        found = run_verify.compare_inputs(manifest, raw, tmp_path, sealed=False)
        assert found.files == []
        assert found.manifest[0].startswith("the SHA-256 recorded for 2026-10/a.csv differs from the file's;")

    def test_page_fingerprint_matching_the_file_blames_the_manifest_even_if_resealed(self, tmp_path):
        raw, manifest = _one_input(tmp_path, b"same", b"edited")
        shown = {"2026-10/a.csv": hashlib.sha256(b"same").hexdigest()[:16]}
        found = run_verify.compare_inputs(manifest, raw, tmp_path, shown=shown, sealed=True)
        assert found.files == []
        assert found.manifest == [
            "the SHA-256 recorded for 2026-10/a.csv was edited: the file still matches the fingerprint shown on "
            "the published page"
        ]

    def test_page_fingerprint_matching_the_manifest_blames_the_file(self, tmp_path):
        raw, manifest = _one_input(tmp_path, b"changed", b"original")
        shown = {"2026-10/a.csv": hashlib.sha256(b"original").hexdigest()[:16]}
        found = run_verify.compare_inputs(manifest, raw, tmp_path, shown=shown, sealed=False)
        assert found.files == ["changed: 2026-10/a.csv (its SHA-256 differs from the one recorded)"]
        assert found.manifest == []
