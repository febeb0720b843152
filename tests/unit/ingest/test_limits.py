"""Tests for reach.ingest.limits: the reading limits, zip sizes and non-regular files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reach.errors import InputValidationError
from reach.ingest.limits import DEFAULT_LIMITS, ReadLimits, check_regular_file, check_zip_sizes

MB = 2**20
LIMITS = ReadLimits(zip_max_unpacked_mb=100, zip_max_ratio=100, totals_min_share=0.5)


class TestReadLimitsFromSettings:
    def test_defaults_when_the_settings_say_nothing(self):
        # The defaults written in reach.config.Settings and config/reach.yaml.
        assert ReadLimits.from_settings(None) == LIMITS

    def test_a_setting_overrides_its_default_only(self):
        got = ReadLimits.from_settings({"zip_max_unpacked_mb": 20})
        assert got == ReadLimits(zip_max_unpacked_mb=20, zip_max_ratio=100, totals_min_share=0.5)

    @pytest.mark.parametrize(
        ("name", "value"),
        [
            ("zip_max_unpacked_mb", 0),
            ("zip_max_unpacked_mb", "100MB"),
            ("zip_max_ratio", 0.5),
            ("zip_max_ratio", True),
            ("totals_min_share", 1.5),
            ("totals_min_share", -0.1),
        ],
    )
    def test_impossible_values_are_refused_naming_the_setting(self, name, value):
        with pytest.raises(InputValidationError, match=f"the setting {name} must be"):
            ReadLimits.from_settings({name: value})


class TestDefaultLimits:
    def test_defaults_are_the_settings_defaults(self):
        # config.Settings: zip_max_unpacked_mb 100, zip_max_ratio 100, totals_min_share 0.5.
        assert (
            DEFAULT_LIMITS.zip_max_unpacked_mb,
            DEFAULT_LIMITS.zip_max_ratio,
            DEFAULT_LIMITS.totals_min_share,
        ) == (
            100,
            100,
            0.5,
        )


class TestCheckZipSizes:
    def test_a_real_sized_download_passes(self):
        # priyankapatel05's Chart data: 224,601 bytes that deflate about 37 times.
        check_zip_sizes(
            [("Chart data.csv", 224_601, 6_120), ("Totals.csv", 5_539, 1_420)], Path("a.zip"), LIMITS
        )

    def test_more_than_the_total_is_refused_before_unpacking(self):
        members = [("Chart data.csv", 60 * MB, 20 * MB), ("Table data.csv", 50 * MB, 20 * MB)]
        with pytest.raises(InputValidationError) as err:
            check_zip_sizes(members, Path("yt.zip"), LIMITS)
        assert str(err.value).startswith(
            "yt.zip: the zip archive would unpack to 110.0 MB, more than the 100 MB"
        )
        assert "zip_max_unpacked_mb" in str(err.value)

    def test_a_member_unpacking_to_too_many_times_its_size_is_named(self):
        # Issue 13: 340 KB holding 60 MB (about 181 times).
        with pytest.raises(InputValidationError) as err:
            check_zip_sizes([("Chart data.csv", 60 * MB, 340 * 1024)], Path("yt.zip"), LIMITS)
        message = str(err.value)
        assert message.startswith(
            "yt.zip, value 'Chart data.csv': the zip archive member unpacks to 181 times"
        )
        assert "(60.0 MB from 340 KB)" in message and "zip_max_ratio" in message

    def test_a_small_member_is_never_refused_for_its_ratio(self):
        check_zip_sizes([("Totals.csv", MB, 100)], Path("a.zip"), LIMITS)  # 10,486 times, but only 1 MB

    def test_the_workbook_is_named_as_such(self):
        with pytest.raises(InputValidationError, match="the Excel workbook would unpack to"):
            sheet = ("xl/worksheets/sheet1.xml", 200 * MB, 100 * MB)
            check_zip_sizes([sheet], Path("f.xlsx"), LIMITS, what="Excel workbook")


class TestCheckRegularFile:
    def test_a_plain_file_passes(self, tmp_path):
        (tmp_path / "a.csv").write_bytes(b"x")
        check_regular_file(tmp_path / "a.csv")

    @pytest.mark.parametrize("target", ["a.csv", "nowhere.csv", "folder"])
    def test_a_link_is_refused_whatever_it_points_at(self, tmp_path, target):
        (tmp_path / "a.csv").write_bytes(b"x")
        (tmp_path / "folder").mkdir()
        link = tmp_path / "link.csv"
        link.symlink_to(tmp_path / target)
        with pytest.raises(InputValidationError) as err:
            check_regular_file(link)
        assert str(err.value).startswith(f"{link}: this is a symbolic link, which reach never follows")

    def test_a_folder_and_a_missing_file(self, tmp_path):
        with pytest.raises(InputValidationError, match="a folder, not a file"):
            check_regular_file(tmp_path)
        with pytest.raises(InputValidationError, match="file not found"):
            check_regular_file(tmp_path / "nope.csv")

    @pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need a POSIX system")
    def test_a_pipe_is_refused_without_opening_it(self, tmp_path):
        pipe = tmp_path / "Totals.csv"
        os.mkfifo(pipe)  # opening it to read would wait forever for a writer
        with pytest.raises(InputValidationError, match="not a regular file"):
            check_regular_file(pipe)
