import pytest

from reach import pipeline
from reach.exceptions import IncompleteDataError

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
        names = [name for name, _ in pipeline.month_folders(tmp_path, "2026-10")]
        assert names == ["2026-08", "2026-10"]

    def test_missing_raw_folder(self, tmp_path):
        with pytest.raises(IncompleteDataError, match="does not exist"):
            pipeline.month_folders(tmp_path / "nope", "2026-10")

    def test_month_without_exports(self, tmp_path):
        (tmp_path / "2026-10").mkdir()
        (tmp_path / "2026-10" / "README.md").write_text("notes")
        with pytest.raises(IncompleteDataError, match="no exports for 2026-10"):
            pipeline.month_folders(tmp_path, "2026-10")


class TestReadReference:
    def test_missing_file_is_named(self, tmp_path):
        (tmp_path / "assets.csv").write_text("asset_id\n")
        with pytest.raises(IncompleteDataError, match="campaigns.csv"):
            pipeline.read_reference(tmp_path)


class TestReadAndValidate:
    def test_reads_hashes_and_parses_one_file(self, tmp_path):
        path = tmp_path / "pages.csv"
        path.write_bytes(GA4.encode())
        month, same_path, digest, size, exports = pipeline.read_and_validate(("2026-10", path, None))
        assert (month, same_path, size) == ("2026-10", path, len(GA4.encode()))
        assert len(digest) == 64
        assert [e.kind for e in exports] == ["ga4_report"]
        assert int(exports[0].table["views"].iloc[0]) == 10
