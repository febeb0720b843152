"""manifest.json seals its own content, so an edit to it is told apart from a changed input."""

from __future__ import annotations

import json

from reach.report import manifest
from reach.store import write_json

RECORD = {
    "month": "2026-10",
    "inputs": [{"path": "2026-10/ga4/pages.csv", "role": "raw export", "sha256": "ab" * 32, "bytes": 10}],
    "packages": {"reach": "0.1.0", "pandas": "3.1.1"},
}


class TestSeal:
    def test_survives_the_round_trip_through_the_file(self, tmp_path):
        path = tmp_path / "manifest.json"
        write_json(manifest.seal(RECORD), path)
        assert manifest.seal_intact(json.loads(path.read_text())) is True

    def test_one_edited_hash_character_breaks_it(self, tmp_path):
        path = tmp_path / "manifest.json"
        write_json(manifest.seal(RECORD), path)
        text = path.read_text()
        assert text.count("ab" * 32) == 1
        path.write_text(text.replace("ab" * 32, "ab" * 31 + "ac"))
        assert manifest.seal_intact(json.loads(path.read_text())) is False

    def test_a_manifest_without_a_seal_is_neither(self):
        assert manifest.seal_intact(RECORD) is None
