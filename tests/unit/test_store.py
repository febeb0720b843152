import hashlib

import pandas as pd

from reach import store as store_mod


class TestSwapIntoPlace:
    def test_replaces_previous_folder(self, tmp_path):
        target = tmp_path / "2026-10"
        target.mkdir()
        (target / "report.html").write_text("old")
        staging = store_mod.make_staging(target)
        (staging / "report.html").write_text("new")
        store_mod.swap_into_place(staging, target)
        assert (target / "report.html").read_text() == "new"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["2026-10"]

    def test_recover_restores_after_a_kill_between_renames(self, tmp_path):
        target = tmp_path / "2026-10"
        old = tmp_path / f"{store_mod.OLD_PREFIX}2026-10"
        old.mkdir()
        (old / "report.html").write_text("old")
        store_mod.recover(target)
        assert (target / "report.html").read_text() == "old"


class TestWriteTables:
    def test_round_trip_and_identical_bytes(self, tmp_path):
        frame = pd.DataFrame({"month": ["2026-10"], "views": [3]})
        (tmp_path / "a").mkdir()
        (tmp_path / "b").mkdir()
        store_mod.write_tables({"web": frame}, tmp_path / "a")
        store_mod.write_tables({"web": frame}, tmp_path / "b")
        assert (tmp_path / "a/web.parquet").read_bytes() == (tmp_path / "b/web.parquet").read_bytes()
        pd.testing.assert_frame_equal(store_mod.load_processed(tmp_path / "a")["web"], frame)


class TestSha256File:
    def test_matches_hashlib(self, tmp_path):
        path = tmp_path / "x.csv"
        path.write_bytes(b"a,b\n1,2\n")
        assert store_mod.sha256_file(path) == hashlib.sha256(b"a,b\n1,2\n").hexdigest()
