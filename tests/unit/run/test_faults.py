"""Faults of the machine in plain words (reach.run.faults)."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from reach.errors import NotebookError
from reach.run import faults


class TestWriting:
    @pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full to fill")
    def test_a_real_full_disk_names_the_folder_being_written(self, tmp_path):
        with pytest.raises(faults.FileSystemError) as info, faults.writing(tmp_path, "--reports"):
            with open("/dev/full", "w") as handle:  # every write to /dev/full fails with ENOSPC
                handle.write("report")
                handle.flush()
        assert str(info.value) == (
            f"the disk holding {tmp_path} is full (no space left on device); free some space on it, or give a "
            "folder on another disk with --reports, then run again"
        )

    def test_a_notebook_that_hit_a_full_disk(self, tmp_path):
        failure = NotebookError(
            "notebook a.ipynb failed at cell 9: OSError: [Errno 28] No space left on device"
        )
        with (
            pytest.raises(faults.FileSystemError, match=f"^the disk holding {tmp_path} is full"),
            faults.writing(tmp_path),
        ):
            raise failure

    def test_other_notebook_failures_pass_through(self, tmp_path):
        with pytest.raises(NotebookError, match="ValueError"), faults.writing(tmp_path):
            raise NotebookError("notebook a.ipynb failed at cell 9: ValueError: bad")


class TestDescribeOsError:
    def test_folder_that_cannot_be_written(self, tmp_path):
        err = PermissionError(errno.EACCES, "Permission denied", str(tmp_path / ".staging-2026-10-x"))
        assert faults.describe_os_error(err, option="--reports") == (
            f"cannot write to {tmp_path}: permission denied; make it writable (chmod u+w {tmp_path}) "
            "or give another folder with --reports"
        )

    def test_read_only_file_system(self, tmp_path):
        err = OSError(errno.EROFS, "Read-only file system", str(tmp_path / "report.html"))
        assert faults.describe_os_error(err, option="--reports") == (
            f"cannot write to {tmp_path}: the file system is read-only; give another folder with --reports on a "
            "writable disk"
        )

    def test_path_with_spaces_is_quoted_in_the_fix(self, tmp_path):
        folder = tmp_path / "my reports"
        folder.mkdir()
        err = PermissionError(errno.EACCES, "Permission denied", str(folder / "x"))
        assert f"chmod u+w '{folder}'" in faults.describe_os_error(err)


class TestDescribePartial:
    def test_complete_and_incomplete_pages(self, tmp_path):
        (tmp_path / "report.html").write_text("<html><body>all of it</body></html>\n")
        (tmp_path / "appendix.html").write_text("<html><body>cut o")
        assert faults.describe_partial(tmp_path) == (
            "partial output of a failed run, not a report: report.html there is complete, but the run failed "
            "after writing it; appendix.html there is INCOMPLETE (cut off at 17 bytes)"
        )

    def test_truncated_report(self, tmp_path):
        (tmp_path / "report.html").write_bytes(b"<html><body>" + b"x" * 2000)
        assert faults.describe_partial(tmp_path).endswith(
            "report.html there is INCOMPLETE (cut off at 2,012 bytes)"
        )
