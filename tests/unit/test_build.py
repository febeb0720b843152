import pytest

from reach import build
from reach.errors import IncompleteDataError

GA4 = (
    "# ----------------------------------------\r\n# Pages and screens: Page path and screen class\r\n"
    "# Account: A\r\n# Property: P - GA4\r\n# ----------------------------------------\r\n# \r\n"
    "# All Users\r\n# Start date: 20261001\r\n# End date: 20261031\r\n"
    "Page path and screen class,Views,Active users\r\n/baby-sleep/safer-sleep/,10,7"
)


class TestMonthFolders:
    def test_lists_months_up_to_the_reporting_month(self, tmp_path):
        for month in ("2026-08", "2026-10", "2026-11"):
            (tmp_path / month).mkdir()
            (tmp_path / month / "pages.csv").write_text(GA4)
        (tmp_path / "notes").mkdir()
        names = [name for name, _ in build.month_folders(tmp_path, "2026-10")]
        assert names == ["2026-08", "2026-10"]

    def test_missing_raw_folder(self, tmp_path):
        with pytest.raises(IncompleteDataError, match="does not exist"):
            build.month_folders(tmp_path / "nope", "2026-10")

    def test_month_without_exports(self, tmp_path):
        (tmp_path / "2026-10").mkdir()
        (tmp_path / "2026-10" / "README.md").write_text("notes")
        with pytest.raises(IncompleteDataError, match="no exports for 2026-10"):
            build.month_folders(tmp_path, "2026-10")


class TestReadReference:
    def test_missing_file_is_named(self, tmp_path):
        (tmp_path / "assets.csv").write_text("asset_id\n")
        with pytest.raises(IncompleteDataError, match="campaigns.csv"):
            build.read_reference(tmp_path)


class TestReadAndValidate:
    def test_reads_hashes_and_parses_one_file(self, tmp_path):
        path = tmp_path / "pages.csv"
        path.write_bytes(GA4.encode())
        month, same_path, digest, size, exports = build.read_and_validate(("2026-10", path, None, None, "x"))
        assert (month, same_path, size) == ("2026-10", path, len(GA4.encode()))
        assert len(digest) == 64
        assert [e.kind for e in exports] == ["ga4_report"]
        assert int(exports[0].table["views"].iloc[0]) == 10


class TestParseCache:
    def test_second_read_comes_from_cache_with_its_own_path(self, tmp_path):
        first, second = tmp_path / "a" / "pages.csv", tmp_path / "b" / "copy.csv"
        for path in (first, second):
            path.parent.mkdir()
            path.write_bytes(GA4.encode())
        cache = tmp_path / "cache"
        fingerprint = build.code_fingerprint()
        *_, exports_a = build.read_and_validate(("2026-10", first, None, cache, fingerprint))
        assert len(list(cache.iterdir())) == 1
        *_, exports_b = build.read_and_validate(("2026-10", second, None, cache, fingerprint))
        assert exports_b[0].path == second
        assert exports_b[0].table.equals(exports_a[0].table)

    def test_damaged_cache_entry_is_parsed_again(self, tmp_path):
        path = tmp_path / "pages.csv"
        path.write_bytes(GA4.encode())
        cache = tmp_path / "cache"
        fingerprint = build.code_fingerprint()
        build.read_and_validate(("2026-10", path, None, cache, fingerprint))
        (entry,) = cache.iterdir()
        entry.write_bytes(b"not a pickle")
        *_, exports = build.read_and_validate(("2026-10", path, None, cache, fingerprint))
        assert int(exports[0].table["views"].iloc[0]) == 10
