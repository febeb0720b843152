import os
import shutil
import subprocess
import sys

import pytest

from reach import build
from reach.errors import IncompleteDataError, ReachError
from tests.conftest import REPO_ROOT

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
        month, same_path, digest, size, exports = build.read_and_validate(
            ("2026-10", path, None, None, "x", None)
        )
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
        *_, exports_a = build.read_and_validate(("2026-10", first, None, cache, fingerprint, None))
        assert len(list(cache.iterdir())) == 1
        *_, exports_b = build.read_and_validate(("2026-10", second, None, cache, fingerprint, None))
        assert exports_b[0].path == second
        assert exports_b[0].table.equals(exports_a[0].table)

    def test_damaged_cache_entry_is_parsed_again(self, tmp_path):
        path = tmp_path / "pages.csv"
        path.write_bytes(GA4.encode())
        cache = tmp_path / "cache"
        fingerprint = build.code_fingerprint()
        build.read_and_validate(("2026-10", path, None, cache, fingerprint, None))
        (entry,) = cache.iterdir()
        entry.write_bytes(b"not a pickle")
        *_, exports = build.read_and_validate(("2026-10", path, None, cache, fingerprint, None))
        assert int(exports[0].table["views"].iloc[0]) == 10


class TestParseCacheCannotGoStale:
    """The parse cache is keyed on every module that shapes parsed tables, found from the source."""

    SCRIPT = (
        "import sys, pathlib, reach\n"
        "from reach import build\n"
        "raw = pathlib.Path(sys.argv[1])\n"
        "item = ('2026-10', raw, None, pathlib.Path(sys.argv[2]), build.code_fingerprint(), None)\n"
        "_, _, _, _, [export] = build.read_and_validate(item)\n"
        "print(reach.__file__)\n"
        "print(export.table['page_path'].tolist())\n"
    )
    #: One GA4 BigQuery event: its page path is cleaned by reach.core.urls.normalise_path while parsing.
    EVENT = (
        '{"event_date": "20261005", "event_timestamp": "1791190000000000", "event_name": "page_view", '
        '"event_params": [{"key": "page_location", "value": {"string_value": '
        '"https://www.justonenorfolk.nhs.uk/baby-sleep/safer-sleep/", "int_value": null}}], '
        '"user_pseudo_id": "1.2", "geo": {"city": "Norwich"}}\n'
    )

    @staticmethod
    def _copy_package(tmp_path):
        src = tmp_path / "src"
        shutil.copytree(
            REPO_ROOT / "src" / "reach",
            src / "reach",
            ignore=shutil.ignore_patterns("sample_data", "__pycache__"),
        )
        return src

    def _parse(self, src, raw, cache):
        result = subprocess.run(
            [sys.executable, "-c", self.SCRIPT, str(raw), str(cache)],
            env={**os.environ, "PYTHONPATH": str(src)}, capture_output=True, text=True, check=True,
        )  # fmt: skip
        package_file, pages = result.stdout.strip().splitlines()
        assert package_file == str(src / "reach" / "__init__.py")  # the copy ran, not the installed package
        return pages

    def test_changing_a_helper_the_parsers_import_invalidates_the_cache(self, tmp_path):
        # reach.core.urls.normalise_path is not in reach.ingest or reach.tidy but shapes their
        # tables (it cleans every BigQuery page path), so changing it must bypass old cache entries.
        src = self._copy_package(tmp_path)
        raw = tmp_path / "events_20261005.json"
        raw.write_text(self.EVENT)
        cache = tmp_path / "cache"
        assert self._parse(src, raw, cache) == "['/baby-sleep/safer-sleep']"
        assert len(list(cache.glob("*.pickle"))) == 1

        urls = src / "reach" / "core" / "urls.py"
        urls.write_text(
            urls.read_text().replace("def normalise_path(", "def _original_normalise_path(", 1)
            + "\n\ndef normalise_path(value, *args, **kwargs):\n"
            "    return _original_normalise_path(value, *args, **kwargs).upper()\n"
        )
        # A stale cache entry would still give the lower-case path.
        assert self._parse(src, raw, cache) == "['/BABY-SLEEP/SAFER-SLEEP']"
        assert len(list(cache.glob("*.pickle"))) == 2

    def test_fingerprint_covers_every_parsing_module_and_what_it_imports(self):
        modules = build.parsing_modules()
        ingest = {
            p.stem for p in (REPO_ROOT / "src" / "reach" / "ingest").glob("*.py") if p.stem != "__init__"
        }
        assert {f"reach.ingest.{name}" for name in ingest} <= set(modules)
        assert {"reach.core.urls", "reach.core.disclosure", "reach.errors", "reach.tidy.assets"} <= set(
            modules
        )
        assert "reach.estimate.channels" not in modules  # estimates are never cached

    def test_a_missing_module_fails_loudly(self, tmp_path, monkeypatch):
        src = self._copy_package(tmp_path)
        (src / "reach" / "core" / "urls.py").unlink()
        result = subprocess.run(
            [sys.executable, "-c", "from reach import build; build.code_fingerprint()"],
            env={**os.environ, "PYTHONPATH": str(src)}, capture_output=True, text=True,
        )  # fmt: skip
        assert result.returncode != 0
        assert "reach.core.urls" in result.stderr

    def test_a_missing_package_is_named(self):
        with pytest.raises(ReachError, match="reach.nothing is missing"):
            build.parsing_modules(("reach.nothing",))
