"""Faults of the machine in plain words: a read-only reports folder, an unreadable raw file, a full disk.

Each is made for real. The suite may run as root, for whom ``chmod`` stops neither reading nor
writing, so then reach runs as an ordinary user inside a user namespace (``unshare``); a full
disk is a small tmpfs mounted, inside a user namespace, over the reports folder. Tests skip,
saying why, where neither is possible.
"""

from __future__ import annotations

import math
import os
import shlex
import shutil
import subprocess
import sys

import pytest

from tests.conftest import REPO_ROOT, run_cli, sample_month

pytestmark = pytest.mark.integration
SAMPLE = REPO_ROOT / "src" / "reach" / "sample_data"
PLAIN_USER = ["unshare", "--user", "--map-user=1000", "--map-group=1000"]


def _env() -> dict:
    return {k: v for k, v in os.environ.items() if k != "REACH_PROJECT_ROOT"}


def as_plain_user(*args: str) -> subprocess.CompletedProcess:
    """``python -m reach ARGS`` as a user whom file permissions apply to."""
    if os.geteuid() != 0:
        return run_cli(*args)
    if (
        shutil.which("unshare") is None
        or subprocess.run([*PLAIN_USER, "true"], capture_output=True).returncode
    ):
        pytest.skip(
            "the tests run as root, for whom chmod stops neither reading nor writing, and no user namespace "
            "(unshare --user) is available to run reach as an ordinary user"
        )
    return subprocess.run([*PLAIN_USER, sys.executable, "-m", "reach", *args], capture_output=True, text=True,
                          timeout=600, env=_env(), cwd=REPO_ROOT)  # fmt: skip


def one_line_error(result: subprocess.CompletedProcess) -> str:
    errors = [line for line in result.stderr.splitlines() if line.startswith("reach: error:")]
    assert len(errors) == 1, result.stderr
    assert "Traceback" not in result.stderr and "unexpected error" not in result.stderr, result.stderr
    return errors[0]


def test_read_only_reports_folder_is_named_with_the_fix(tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    reports.chmod(0o555)
    try:
        result = as_plain_user(
            "run", "--sample", "--reports", str(reports), "--processed", str(tmp_path / "p")
        )
    finally:
        reports.chmod(0o755)
    assert result.returncode == 1
    assert one_line_error(result) == (
        f"reach: error: cannot write to {reports}: permission denied; make it writable (chmod u+w {reports}) "
        "or give another folder with --reports"
    )


def test_unreadable_raw_file_is_named_with_the_fix(tmp_path):
    month = sample_month()
    raw, reports = tmp_path / "raw", tmp_path / "reports"
    shutil.copytree(SAMPLE / "raw", raw)
    victim = raw / month / "youtube" / "Totals.csv"
    victim.chmod(0)
    result = as_plain_user(
        "run", "--month", month, "--raw", str(raw), "--reference", str(SAMPLE / "reference"),
        "--reports", str(reports), "--processed", str(tmp_path / "processed"),
    )  # fmt: skip
    assert result.returncode == 1
    assert one_line_error(result) == (
        f"reach: error: cannot read {victim}: permission denied; make it readable (chmod a+r {victim}), "
        "or move it away if reach should not read it, then run again"
    )
    assert (
        f"the failed run's files are kept for diagnosis in {reports / f'.failed-{month}'} (partial output of a "
        "failed run, not a report: no report.html was written)"
    ) in result.stderr
    assert not (reports / month).exists()


def _can_mount_tmpfs(folder) -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c",
             f"mount -t tmpfs -o size=64k tmpfs {shlex.quote(str(folder))}"]  # fmt: skip
    return subprocess.run(probe, capture_output=True).returncode == 0


def test_full_disk_names_the_folder_and_the_kept_report_as_incomplete(tmp_path, sample_run):
    reports, kept = tmp_path / "reports", tmp_path / "kept"
    reports.mkdir()
    kept.mkdir()
    if not _can_mount_tmpfs(reports):
        pytest.skip(
            "no user namespace in which to mount a small tmpfs as a full disk (unshare --user --mount)"
        )
    # Room for everything the run writes before its pages (as the sample run wrote them), and half
    # of report.html: the disk fills while report.html is being written.
    month = sample_run.month
    files = [path for path in sample_run.report_dir.iterdir() if path.suffix != ".html"]
    pages = sum(math.ceil(path.stat().st_size / 4096) for path in files) + 16
    pages += math.ceil((sample_run.report_dir / "report.html").stat().st_size / 4096) // 2
    reach = shlex.join([sys.executable, "-m", "reach", "run", "--sample", "--reports", str(reports),
                        "--processed", str(tmp_path / "processed")])  # fmt: skip
    script = (
        f"mount -t tmpfs -o size={pages * 4096} tmpfs {shlex.quote(str(reports))} || exit 99; "
        f"{reach}; status=$?; cp -a {shlex.quote(str(reports))}/. {shlex.quote(str(kept))}/; exit $status"
    )
    result = subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", script],
                            capture_output=True, text=True, timeout=900, env=_env(), cwd=REPO_ROOT)  # fmt: skip
    assert result.returncode == 1, result.stderr[-3000:]
    assert one_line_error(result) == (
        f"reach: error: the disk holding {reports} is full (no space left on device); free some space on it, "
        "or give a folder on another disk with --reports, then run again"
    )
    failed = reports / f".failed-{month}"
    assert (
        f"the failed run's files are kept for diagnosis in {failed} (partial output of a failed run, not a "
        "report: report.html there is INCOMPLETE (cut off at "
    ) in result.stderr
    partial = kept / failed.name / "report.html"
    assert 0 < partial.stat().st_size < (sample_run.report_dir / "report.html").stat().st_size
    assert not partial.read_bytes().rstrip().endswith(b"</html>")
    assert not (kept / month).exists()  # nothing half-written was swapped into place
